# cperf stat
cperf_SOURCES += src/cmd-stat.c src/stat.h src/stat-print.c
cperf_LDADD += -lm
