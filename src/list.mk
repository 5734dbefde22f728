# cperf list
cperf_SOURCES += src/cmd-list.c
