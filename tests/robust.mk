# tests for the robust area: fuzz targets (tests/fuzz, see its README) and
# end-to-end fault tests (tests/e2e/robust*.sh).

# Every fuzz target is a check program: without --enable-fuzzing, driver.c's
# main() replays the target's corpus (tests/fuzz/corpus/NAME) through
# LLVMFuzzerTestOneInput, so make check (plain and ASan/UBSan) runs every
# corpus file. With --enable-fuzzing (clang) they are libFuzzer binaries,
# built by `make fuzz-targets` and run by tests/fuzz/run.sh (runtests.sh).
FUZZ_PROGS = tests/fuzz/fuzz-record tests/fuzz/fuzz-datafile tests/fuzz/fuzz-kallsyms \
	tests/fuzz/fuzz-perfmap tests/fuzz/fuzz-maps tests/fuzz/fuzz-profile tests/fuzz/fuzz-elf
FUZZ_COMMON = tests/fuzz/driver.c tests/fuzz/fuzz.h
FUZZ_DECODE = tests/fuzz/decode.c tests/fuzz/decode.h
if FUZZING
FUZZ_MODE_CPPFLAGS = -DCPERF_LIBFUZZER
FUZZ_MODE_LINK = -fsanitize=fuzzer
# the events engineer's evspec target, as a libFuzzer binary too
check_PROGRAMS += $(FUZZ_PROGS) tests/fuzz/fuzz-evspec-lf
tests_fuzz_fuzz_evspec_lf_SOURCES = tests/fuzz/fuzz-evspec.c
tests_fuzz_fuzz_evspec_lf_CPPFLAGS = $(PMU_CPPFLAGS) $(FUZZ_MODE_CPPFLAGS)
tests_fuzz_fuzz_evspec_lf_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_MODE_LINK)
tests_fuzz_fuzz_evspec_lf_LDADD = $(PMU_LIBS)
fuzz-targets: $(FUZZ_PROGS) tests/fuzz/fuzz-evspec-lf$(EXEEXT)
else
FUZZ_MODE_CPPFLAGS =
FUZZ_MODE_LINK =
check_PROGRAMS += $(FUZZ_PROGS)
TESTS += $(FUZZ_PROGS)
fuzz-targets:
	@echo "fuzz-targets: configure with CC=clang --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz-targets
FUZZ_CPPFLAGS = -I$(top_srcdir)/tests/fuzz $(FUZZ_MODE_CPPFLAGS)
FUZZ_LINK = $(AM_LDFLAGS) $(FUZZ_MODE_LINK)

tests_fuzz_fuzz_record_SOURCES = tests/fuzz/fuzz-record.c $(FUZZ_DECODE) $(FUZZ_COMMON)
tests_fuzz_fuzz_record_CPPFLAGS = $(PMU_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"record"'
tests_fuzz_fuzz_record_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_record_LDADD = $(PMU_LIBS)

tests_fuzz_fuzz_datafile_SOURCES = tests/fuzz/fuzz-datafile.c $(FUZZ_DECODE) $(FUZZ_COMMON) \
	$(DATAFILE_SOURCES)
tests_fuzz_fuzz_datafile_CPPFLAGS = $(SRC_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"datafile"'
tests_fuzz_fuzz_datafile_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_datafile_LDADD = $(PMU_LIBS) $(ZLIB_LIBS)

tests_fuzz_fuzz_kallsyms_SOURCES = tests/fuzz/fuzz-kallsyms.c $(FUZZ_COMMON)
tests_fuzz_fuzz_kallsyms_CPPFLAGS = $(SYM_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"kallsyms"'
tests_fuzz_fuzz_kallsyms_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_kallsyms_LDADD = $(SYM_LIBS)

tests_fuzz_fuzz_perfmap_SOURCES = tests/fuzz/fuzz-perfmap.c $(FUZZ_COMMON)
tests_fuzz_fuzz_perfmap_CPPFLAGS = $(SYM_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"perfmap"'
tests_fuzz_fuzz_perfmap_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_perfmap_LDADD = $(SYM_LIBS)

tests_fuzz_fuzz_elf_SOURCES = tests/fuzz/fuzz-elf.c $(FUZZ_COMMON)
tests_fuzz_fuzz_elf_CPPFLAGS = $(SYM_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"elf"'
tests_fuzz_fuzz_elf_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_elf_LDADD = $(SYM_LIBS)

# fuzz-maps.c includes src/synth.c (its /proc/PID/maps parser is static)
tests_fuzz_fuzz_maps_SOURCES = tests/fuzz/fuzz-maps.c $(FUZZ_COMMON)
tests_fuzz_fuzz_maps_CPPFLAGS = $(SRC_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"maps"'
tests_fuzz_fuzz_maps_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_maps_LDADD = $(SYM_LIBS) $(PMU_LIBS)

tests_fuzz_fuzz_profile_SOURCES = tests/fuzz/fuzz-profile.c $(FUZZ_COMMON) \
	$(DATAFILE_SOURCES) src/profile.c src/profile-load.c src/convert.c \
	src/report-view.c src/report-top.c src/report-table.c src/report-flame.c \
	src/report-callgraph.c
tests_fuzz_fuzz_profile_CPPFLAGS = $(SRC_CPPFLAGS) $(FUZZ_CPPFLAGS) -DFUZZ_NAME='"profile"'
tests_fuzz_fuzz_profile_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_profile_LDADD = $(LIBPROTO) $(LIBSYM) $(LIBPMU) $(LIBUTIL) \
	$(PFM_LIBS) $(DW_LIBS) $(ELF_LIBS) $(PROTOBUF_C_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS)

EXTRA_DIST += tests/fuzz/README.md tests/fuzz/mkseed.c tests/fuzz/corpus/record tests/fuzz/corpus/datafile \
	tests/fuzz/corpus/kallsyms tests/fuzz/corpus/perfmap tests/fuzz/corpus/maps \
	tests/fuzz/corpus/profile tests/fuzz/corpus/elf
dist_noinst_SCRIPTS += tests/fuzz/run.sh

# End-to-end fault tests: damaged data files, signals during record, where
# the output goes (directory, read-only, full, planted symlink, modes), and
# running without privileges or file descriptors.
ROBUST_E2E = tests/e2e/robust-input.sh tests/e2e/robust-signals.sh \
	tests/e2e/robust-output.sh tests/e2e/robust-privilege.sh
TESTS += $(ROBUST_E2E)
dist_noinst_SCRIPTS += $(ROBUST_E2E)
