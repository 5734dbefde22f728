# tests for the stat area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-stat
tests_unit_test_stat_SOURCES = tests/unit/test-stat.c src/stat-print.c
tests_unit_test_stat_CPPFLAGS = -I$(top_srcdir)/src $(UTIL_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_stat_LDADD = $(LIBUTIL) -lm
TESTS += tests/unit/test-stat
