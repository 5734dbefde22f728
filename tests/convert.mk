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

# The profile -> pprof mapping on a hand-built profile (no reader needed).
check_PROGRAMS += tests/unit/test-pprof-convert
tests_unit_test_pprof_convert_SOURCES = tests/unit/test-pprof-convert.c \
	src/convert.c src/convert.h src/profile.c src/profile.h
tests_unit_test_pprof_convert_CPPFLAGS = $(SRC_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_pprof_convert_LDADD = $(PROTO_LIBS)
TESTS += tests/unit/test-pprof-convert
