# tests for the record area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-record
tests_unit_test_record_SOURCES = tests/unit/test-record.c
tests_unit_test_record_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_record_LDADD = $(LIBPMU) $(LIBUTIL)
TESTS += tests/unit/test-record
check_PROGRAMS += tests/unit/test-ring
tests_unit_test_ring_SOURCES = tests/unit/test-ring.c
tests_unit_test_ring_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_ring_LDADD = $(LIBPMU) $(LIBUTIL)
TESTS += tests/unit/test-ring

# Workloads with known answers for the record tests (no sanitizers: they
# would distort the profile; frame pointers and debug info).
check_PROGRAMS += tests/workloads/threads tests/workloads/forkexec \
	tests/workloads/dlopen-main tests/workloads/libdlwork.so
tests_workloads_threads_SOURCES = tests/workloads/threads.c
tests_workloads_threads_CFLAGS = $(WORKLOAD_CFLAGS) -pthread
tests_workloads_threads_LDFLAGS = -pthread
tests_workloads_forkexec_SOURCES = tests/workloads/forkexec.c
tests_workloads_forkexec_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_forkexec_LDFLAGS =
tests_workloads_dlopen_main_SOURCES = tests/workloads/dlopen-main.c
tests_workloads_dlopen_main_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_dlopen_main_LDFLAGS =
tests_workloads_dlopen_main_LDADD = -ldl
# a shared object built as a "program": -shared makes the link a library
tests_workloads_libdlwork_so_SOURCES = tests/workloads/dlwork.c
tests_workloads_libdlwork_so_CFLAGS = $(WORKLOAD_CFLAGS) -fPIC
tests_workloads_libdlwork_so_LDFLAGS = -shared -fPIC

TESTS += tests/e2e/record-cmd.sh
dist_noinst_SCRIPTS += tests/e2e/record-cmd.sh
TESTS += tests/e2e/record-task.sh
dist_noinst_SCRIPTS += tests/e2e/record-task.sh
TESTS += tests/e2e/record-system.sh
dist_noinst_SCRIPTS += tests/e2e/record-system.sh

check_PROGRAMS += tests/unit/test-record-synth
tests_unit_test_record_synth_SOURCES = tests/unit/test-record-synth.c src/synth.c src/synth.h
tests_unit_test_record_synth_CPPFLAGS = $(SRC_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_record_synth_CFLAGS = $(AM_CFLAGS) -pthread
tests_unit_test_record_synth_LDADD = $(LIBSYM) $(LIBPMU) $(LIBUTIL) $(DW_LIBS) $(ELF_LIBS) $(DEMANGLE_LIBS) -lpthread
TESTS += tests/unit/test-record-synth

# the filtered kallsyms snapshot
TESTS += tests/e2e/record-kallsyms.sh
dist_noinst_SCRIPTS += tests/e2e/record-kallsyms.sh

# tracepoint recordings that perf report and perf script read (HEADER_TRACING_DATA)
# and that hold every hit: getpids makes a known number of getpid calls
check_PROGRAMS += tests/workloads/getpids
tests_workloads_getpids_SOURCES = tests/workloads/getpids.c
tests_workloads_getpids_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_getpids_LDFLAGS =
TESTS += tests/e2e/record-tracepoint-period.sh
dist_noinst_SCRIPTS += tests/e2e/record-tracepoint-period.sh
TESTS += tests/e2e/record-tracepoint.sh
dist_noinst_SCRIPTS += tests/e2e/record-tracepoint.sh

# perf report and perf script read cperf's pipe-mode recordings
TESTS += tests/e2e/record-pipe-perf.sh
dist_noinst_SCRIPTS += tests/e2e/record-pipe-perf.sh
