# tests for the convert area (unit tests, e2e scripts, workloads, fixtures)
# A C++ workload with a hot forced-inline helper in two callers (60/40).
check_PROGRAMS += tests/workloads/convert-inline
tests_workloads_convert_inline_SOURCES = tests/workloads/convert-inline.cc
tests_workloads_convert_inline_CXXFLAGS = -O2 -g -fno-omit-frame-pointer
tests_workloads_convert_inline_LDFLAGS =

# convert.sh: the command, its options and errors, validity of what it writes
# (no go needed); convert-pprof.sh: go tool pprof reading cperf's profiles.
TESTS += tests/e2e/convert.sh tests/e2e/convert-pprof.sh
dist_noinst_SCRIPTS += tests/e2e/convert.sh tests/e2e/convert-pprof.sh
