# tests for the datafile area (unit tests, e2e scripts, workloads, fixtures)
check_PROGRAMS += tests/unit/test-datafile
tests_unit_test_datafile_SOURCES = tests/unit/test-datafile.c $(DATAFILE_SOURCES)
tests_unit_test_datafile_CPPFLAGS = $(SRC_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_datafile_LDADD = $(PMU_LIBS) $(ZLIB_LIBS)
TESTS += tests/unit/test-datafile
TESTS += tests/e2e/datafile.sh
dist_noinst_SCRIPTS += tests/e2e/datafile.sh
EXTRA_DIST += \
	tests/fixtures/perfdata/file-dwarf.data tests/fixtures/perfdata/file-dwarf.expected \
	tests/fixtures/perfdata/file-fp.data tests/fixtures/perfdata/file-fp.expected \
	tests/fixtures/perfdata/file-multi.data tests/fixtures/perfdata/file-multi.expected \
	tests/fixtures/perfdata/file-plain.data tests/fixtures/perfdata/file-plain.expected \
	tests/fixtures/perfdata/file-sys.data tests/fixtures/perfdata/file-sys.expected \
	tests/fixtures/perfdata/killed.data tests/fixtures/perfdata/killed.expected \
	tests/fixtures/perfdata/pipe-fp.data tests/fixtures/perfdata/pipe-fp.expected \
	tests/fixtures/perfdata/pipe-multi.data tests/fixtures/perfdata/pipe-multi.expected \
	tests/fixtures/perfdata/pipe-tracepoint.data tests/fixtures/perfdata/pipe-tracepoint.expected \
	tests/fixtures/perfdata/compressed.perfz tests/fixtures/perfdata/README
