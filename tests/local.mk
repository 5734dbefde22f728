# The test harness (DESIGN §5). Exit 77 = skipped, 99 = hard error.
# Each area lists its tests in its own fragment below.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	LC_ALL=C; export LC_ALL; \
	CPERF='$(abs_top_builddir)/cperf'; export CPERF; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ASAN_OPTIONS="$${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"; export ASAN_OPTIONS; \
	UBSAN_OPTIONS="$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"; export UBSAN_OPTIONS;

noinst_HEADERS += tests/unit/unit.h
dist_noinst_SCRIPTS += tests/e2e/lib.sh

# Workloads with known answers. Built with `make` too: the demo and bench use them.
# Frame pointers and debug info; no sanitizers (they would distort the profile).
WORKLOAD_CFLAGS = -O2 -g -fno-omit-frame-pointer -std=gnu11
noinst_PROGRAMS += tests/workloads/cpusplit
tests_workloads_cpusplit_SOURCES = tests/workloads/cpusplit.c
tests_workloads_cpusplit_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_cpusplit_LDFLAGS =

check_PROGRAMS += tests/unit/test-util
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_CPPFLAGS = $(UTIL_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_unit_test_util_LDADD = $(LIBUTIL)

TESTS += tests/unit/test-util tests/e2e/cli.sh
dist_noinst_SCRIPTS += tests/e2e/cli.sh

include tests/pmu.mk
include tests/stat.mk
include tests/record.mk
include tests/datafile.mk
include tests/symbolize.mk
include tests/proto.mk
include tests/report.mk
include tests/convert.mk
include tests/robust.mk
include tests/dwarf.mk
