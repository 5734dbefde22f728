# cperf convert: the command and the profile -> pprof bridge (also used by
# cperf record -o OUT.pb.gz)
cperf_SOURCES += src/cmd-convert.c src/convert.h src/convert.c src/convert-file.c
