# tests for the record area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-record
tests_unit_test_record_SOURCES = tests/unit/test-record.c
tests_unit_test_record_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_record_LDADD = $(LIBPMU) $(LIBUTIL)
TESTS += tests/unit/test-record
check_PROGRAMS += tests/unit/test-ring
tests_unit_test_ring_SOURCES = tests/unit/test-ring.c
tests_unit_test_ring_CPPFLAGS = $(PMU_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_ring_LDADD = $(LIBPMU) $(LIBUTIL)
TESTS += tests/unit/test-ring
