# cperf convert
cperf_SOURCES += src/cmd-convert.c
