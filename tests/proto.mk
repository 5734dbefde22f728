# tests for the proto area (unit tests, e2e scripts, workloads, fixtures)
# test-pprof: a round trip through the builder, the writer, zlib and
# protobuf-c's unpack; pprof-check: the validity checker the e2e tests run.
check_PROGRAMS += tests/unit/test-pprof tests/unit/pprof-check
tests_unit_test_pprof_SOURCES = tests/unit/test-pprof.c
EXTRA_DIST += tests/unit/test-pprof-check.c
tests_unit_test_pprof_CPPFLAGS = $(PROTO_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_pprof_LDADD = $(PROTO_LIBS)
tests_unit_pprof_check_SOURCES = tests/unit/test-pprof-check.c
tests_unit_pprof_check_CPPFLAGS = $(PROTO_CPPFLAGS) -DPPROF_CHECK_MAIN
tests_unit_pprof_check_LDADD = $(PROTO_LIBS)
TESTS += tests/unit/test-pprof
