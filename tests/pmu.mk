# tests for the pmu area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-evspec
tests_unit_test_evspec_SOURCES = tests/unit/test-evspec.c
tests_unit_test_evspec_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_evspec_LDADD = $(PMU_LIBS)
TESTS += tests/unit/test-evspec
# a fake tracefs for the parser's tracepoint tests (CPERF_TRACEFS)
EXTRA_DIST += tests/fixtures/tracefs
