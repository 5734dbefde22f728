# the perf.data reader and writer (src/datafile.*)
cperf_SOURCES += src/datafile.h
