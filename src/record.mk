# cperf record
cperf_SOURCES += src/cmd-record.c src/synth.h src/synth.c
cperf_SOURCES += src/workload.c src/workload.h
