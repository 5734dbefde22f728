# pmu: event resolution, perf_event_open, ring buffers, record decoding.
noinst_LIBRARIES += libpmu.a
libpmu_a_CPPFLAGS = $(PMU_CPPFLAGS)
libpmu_a_SOURCES = \
	pmu/pmu.h \
	pmu/open.c
libpmu_a_SOURCES += pmu/record.h pmu/record.c pmu/ring.h pmu/ring.c pmu/sampler.h pmu/sampler.c
libpmu_a_SOURCES += pmu/evint.h pmu/evparse.c pmu/pfm.c pmu/tracefs.c pmu/tracedata.c pmu/advice.c pmu/evsysfs.c
libpmu_a_SOURCES += pmu/counter.h pmu/counter.c
