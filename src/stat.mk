# cperf stat
cperf_SOURCES += src/cmd-stat.c
