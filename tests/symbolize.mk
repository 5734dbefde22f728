# tests for the symbolize area (unit tests, e2e scripts, workloads, fixtures)
SYM_OBJCOPY = objcopy
SYM_TEST_CPPFLAGS = $(SYM_CPPFLAGS) -I$(top_srcdir)/tests/unit

# Workloads with known answers, built at check time: -O2 -g, no sanitizers.
check_PROGRAMS += tests/workloads/sym-inline tests/workloads/sym-cxx
tests_workloads_sym_inline_SOURCES = tests/workloads/sym-inline.c
tests_workloads_sym_inline_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_sym_inline_LDFLAGS =
tests_workloads_sym_cxx_SOURCES = tests/workloads/sym-cxx.cc
tests_workloads_sym_cxx_CXXFLAGS = -O2 -g
tests_workloads_sym_cxx_LDFLAGS =

# Stripped copies: one pointing at its debug file by .gnu_debuglink, one
# without (found by build-id in a debug root the test sets up).
SYM_GEN = tests/workloads/sym-inline.debug tests/workloads/sym-inline-dl \
	tests/workloads/sym-inline-nodl tests/workloads/sym-inline-mini
CLEANFILES += $(SYM_GEN)
tests/workloads/sym-inline.debug: tests/workloads/sym-inline$(EXEEXT)
	$(AM_V_GEN)$(SYM_OBJCOPY) --only-keep-debug tests/workloads/sym-inline$(EXEEXT) $@
tests/workloads/sym-inline-dl: tests/workloads/sym-inline$(EXEEXT) tests/workloads/sym-inline.debug
	$(AM_V_GEN)$(SYM_OBJCOPY) --strip-all \
		--add-gnu-debuglink=tests/workloads/sym-inline.debug \
		tests/workloads/sym-inline$(EXEEXT) $@
tests/workloads/sym-inline-nodl: tests/workloads/sym-inline$(EXEEXT)
	$(AM_V_GEN)$(SYM_OBJCOPY) --strip-all tests/workloads/sym-inline$(EXEEXT) $@

# MiniDebugInfo (.gnu_debugdata, xz): symbols without debug info.
EXTRA_DIST += tests/workloads/sym-minidebug.sh
tests/workloads/sym-inline-mini: tests/workloads/sym-inline$(EXEEXT) $(srcdir)/tests/workloads/sym-minidebug.sh
	$(AM_V_GEN)$(SHELL) $(srcdir)/tests/workloads/sym-minidebug.sh tests/workloads/sym-inline$(EXEEXT) $@

noinst_HEADERS += tests/unit/test-sym-common.h

check_PROGRAMS += tests/unit/test-sym-elf
tests_unit_test_sym_elf_SOURCES = tests/unit/test-sym-elf.c
tests_unit_test_sym_elf_CPPFLAGS = $(SYM_TEST_CPPFLAGS)
tests_unit_test_sym_elf_LDADD = $(SYM_LIBS)
# The generated objects ride on this test's dependencies, so that make check
# builds them before any test runs (the e2e ones included).
tests_unit_test_sym_elf_DEPENDENCIES = $(LIBSYM) $(LIBUTIL) $(SYM_GEN) \
	tests/workloads/sym-cxx$(EXEEXT) $(SYM_E2E_GEN)
TESTS += tests/unit/test-sym-elf

check_PROGRAMS += tests/unit/test-sym-space
tests_unit_test_sym_space_SOURCES = tests/unit/test-sym-space.c
tests_unit_test_sym_space_CPPFLAGS = $(SYM_TEST_CPPFLAGS)
tests_unit_test_sym_space_LDADD = $(SYM_LIBS)
TESTS += tests/unit/test-sym-space
dist_noinst_DATA += tests/fixtures/kallsyms/normal.txt \
	tests/fixtures/kallsyms/restricted.txt tests/fixtures/kallsyms/crlf.txt \
	tests/fixtures/kallsyms/nonl.txt

check_PROGRAMS += tests/unit/test-sym-libc
tests_unit_test_sym_libc_SOURCES = tests/unit/test-sym-libc.c
tests_unit_test_sym_libc_CPPFLAGS = $(SYM_TEST_CPPFLAGS)
tests_unit_test_sym_libc_LDADD = $(SYM_LIBS)
TESTS += tests/unit/test-sym-libc

# End to end: record and report a forking, dlopen-ing, stripped workload.
check_PROGRAMS += tests/workloads/sym-dl
tests_workloads_sym_dl_SOURCES = tests/workloads/sym-dl.c
tests_workloads_sym_dl_CFLAGS = $(WORKLOAD_CFLAGS)
tests_workloads_sym_dl_LDFLAGS =
tests_workloads_sym_dl_LDADD = -ldl
SYM_E2E_GEN = tests/workloads/libsym-dlib.so tests/workloads/sym-dl.debug \
	tests/workloads/sym-dl-dl
CLEANFILES += $(SYM_E2E_GEN)
EXTRA_DIST += tests/workloads/sym-dlib.c
tests/workloads/libsym-dlib.so: $(srcdir)/tests/workloads/sym-dlib.c
	$(AM_V_GEN)$(CC) -shared -fPIC $(WORKLOAD_CFLAGS) -o $@ $(srcdir)/tests/workloads/sym-dlib.c
tests/workloads/sym-dl.debug: tests/workloads/sym-dl$(EXEEXT)
	$(AM_V_GEN)$(SYM_OBJCOPY) --only-keep-debug tests/workloads/sym-dl$(EXEEXT) $@
tests/workloads/sym-dl-dl: tests/workloads/sym-dl$(EXEEXT) tests/workloads/sym-dl.debug
	$(AM_V_GEN)$(SYM_OBJCOPY) --strip-all \
		--add-gnu-debuglink=tests/workloads/sym-dl.debug \
		tests/workloads/sym-dl$(EXEEXT) $@
dist_noinst_SCRIPTS += tests/e2e/sym-report.sh
TESTS += tests/e2e/sym-report.sh

# DWARF unwinding: a stack captured without frame pointers.
check_PROGRAMS += tests/workloads/sym-unwind tests/unit/test-sym-unwind
tests_workloads_sym_unwind_SOURCES = tests/workloads/sym-unwind.c
tests_workloads_sym_unwind_CFLAGS = -O2 -g -fomit-frame-pointer -std=gnu11
tests_workloads_sym_unwind_LDFLAGS =
tests_unit_test_sym_unwind_SOURCES = tests/unit/test-sym-unwind.c
tests_unit_test_sym_unwind_CPPFLAGS = $(SYM_TEST_CPPFLAGS)
tests_unit_test_sym_unwind_LDADD = $(SYM_LIBS)
TESTS += tests/unit/test-sym-unwind
