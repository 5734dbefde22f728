# cperf report
cperf_SOURCES += src/cmd-report.c
