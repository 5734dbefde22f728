# tests for the pmu area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-evspec
tests_unit_test_evspec_SOURCES = tests/unit/test-evspec.c
tests_unit_test_evspec_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_evspec_LDADD = $(PMU_LIBS)
TESTS += tests/unit/test-evspec
# perf's tracing data built from a fake tracefs tree made by the test
check_PROGRAMS += tests/unit/test-tracedata
tests_unit_test_tracedata_SOURCES = tests/unit/test-tracedata.c
tests_unit_test_tracedata_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_tracedata_LDADD = $(PMU_LIBS)
TESTS += tests/unit/test-tracedata
# a fake tracefs for the parser's tracepoint tests (CPERF_TRACEFS)
EXTRA_DIST += tests/fixtures/tracefs
# parse-and-open helper for the attr golden tests and error-message tests
check_PROGRAMS += tests/helpers/pmu-evopen
tests_helpers_pmu_evopen_SOURCES = tests/helpers/pmu-evopen.c
tests_helpers_pmu_evopen_CPPFLAGS = $(PMU_CPPFLAGS)
tests_helpers_pmu_evopen_LDADD = $(PMU_LIBS)
TESTS += tests/e2e/events-attr.sh
dist_noinst_SCRIPTS += tests/e2e/events-attr.sh tests/e2e/attr-lib.sh
EXTRA_DIST += tests/fixtures/attr
TESTS += tests/e2e/list.sh tests/e2e/list-tracepoint.sh
dist_noinst_SCRIPTS += tests/e2e/list.sh tests/e2e/list-tracepoint.sh
TESTS += tests/e2e/events-errors.sh
dist_noinst_SCRIPTS += tests/e2e/events-errors.sh
# a fake /sys/bus/event_source/devices for kernel PMU events (CPERF_SYSFS_PMU)
EXTRA_DIST += tests/fixtures/sysfs-pmu
# the event-spec fuzz target, replaying its corpus (see the file for libFuzzer)
check_PROGRAMS += tests/fuzz/fuzz-evspec
tests_fuzz_fuzz_evspec_SOURCES = tests/fuzz/fuzz-evspec.c
tests_fuzz_fuzz_evspec_CPPFLAGS = $(PMU_CPPFLAGS)
tests_fuzz_fuzz_evspec_LDADD = $(PMU_LIBS)
TESTS += tests/fuzz/fuzz-evspec
EXTRA_DIST += tests/fuzz/corpus/evspec
