# tests for the stat area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-stat
tests_unit_test_stat_SOURCES = tests/unit/test-stat.c src/stat-print.c
tests_unit_test_stat_CPPFLAGS = -I$(top_srcdir)/src $(UTIL_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_stat_LDADD = $(LIBUTIL) -lm
TESTS += tests/unit/test-stat

# a workload with known counts (page faults, context switches, CPU time)
check_PROGRAMS += tests/workloads/statwork
tests_workloads_statwork_SOURCES = tests/workloads/statwork.c
tests_workloads_statwork_CFLAGS = $(WORKLOAD_CFLAGS) -pthread
tests_workloads_statwork_LDFLAGS = -pthread

TESTS += tests/e2e/stat-truth.sh
dist_noinst_SCRIPTS += tests/e2e/stat-truth.sh
TESTS += tests/e2e/stat-basic.sh
dist_noinst_SCRIPTS += tests/e2e/stat-basic.sh
TESTS += tests/e2e/stat-format.sh
dist_noinst_SCRIPTS += tests/e2e/stat-format.sh
TESTS += tests/e2e/stat-target.sh
dist_noinst_SCRIPTS += tests/e2e/stat-target.sh
TESTS += tests/e2e/stat-attr.sh
dist_noinst_SCRIPTS += tests/e2e/stat-attr.sh

check_PROGRAMS += tests/unit/test-stat-counter
tests_unit_test_stat_counter_SOURCES = tests/unit/test-stat-counter.c
tests_unit_test_stat_counter_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_stat_counter_LDADD = $(PMU_LIBS) -lm
TESTS += tests/unit/test-stat-counter
