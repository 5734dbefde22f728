# tests for the report area (unit tests, e2e scripts, workloads, fixtures)

# A hot always_inline helper under two callers in a 2:1 split.
noinst_PROGRAMS += tests/workloads/report-inline
tests_workloads_report_inline_SOURCES = tests/workloads/report-inline.c
tests_workloads_report_inline_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_report_inline_LDFLAGS =

# The profile model and the views, on hand-built profiles (no data file).
check_PROGRAMS += tests/unit/test-profile
tests_unit_test_profile_SOURCES = tests/unit/test-profile.c \
	src/profile.c src/report-view.c src/report-top.c src/report-table.c src/report-flame.c \
	src/report-callgraph.c
tests_unit_test_profile_CPPFLAGS = $(SRC_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_profile_LDADD = $(LIBUTIL)

REPORT_E2E = \
	tests/e2e/report-cli.sh \
	tests/e2e/report-split.sh \
	tests/e2e/report-inline.sh \
	tests/e2e/report-filter.sh \
	tests/e2e/report-perf.sh \
	tests/e2e/report-fixture.sh \
	tests/e2e/report-flamejs.sh \
	tests/e2e/report-dwarf.sh \
	tests/e2e/report-event.sh \
	tests/e2e/report-callgraph.sh
TESTS += tests/unit/test-profile $(REPORT_E2E)
dist_noinst_SCRIPTS += $(REPORT_E2E) tests/e2e/report-lib.sh
dist_noinst_DATA += tests/e2e/report-flame-dom.js
dist_noinst_DATA += tests/fixtures/report/fixture.c tests/fixtures/report/fixture.data \
	tests/fixtures/report/fixture-top.txt tests/fixtures/report/fixture-folded.txt \
	tests/fixtures/report/README
EXTRA_DIST += tests/fixtures/report/debug
