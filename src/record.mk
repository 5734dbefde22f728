# cperf record
cperf_SOURCES += src/cmd-record.c
