# the perf.data reader and writer (src/datafile.*)
DATAFILE_SOURCES = src/datafile.h src/datafile-int.h src/datafile.c src/datafile-read.c
cperf_SOURCES += $(DATAFILE_SOURCES)
