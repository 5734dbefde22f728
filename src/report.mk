# cperf report, and the profile pipeline it shares with cperf convert
cperf_SOURCES += src/cmd-report.c \
	src/profile.h src/profile-priv.h src/profile.c src/profile-load.c \
	src/report-view.h src/report-view.c src/report-top.c src/report-table.c \
	src/report-callgraph.c \
	src/report-flame.c
