# tests for --call-graph dwarf: user stacks unwound from their copies (issue 9)

# Built WITHOUT frame pointers (and without sanitizers): only DWARF unwinding
# finds the callers of its leaf helper.
DWARF_WORKLOAD_CFLAGS = -O2 -g -fomit-frame-pointer -std=gnu11
check_PROGRAMS += tests/workloads/dwarf-split
tests_workloads_dwarf_split_SOURCES = tests/workloads/dwarf-split.c
tests_workloads_dwarf_split_CFLAGS = $(DWARF_WORKLOAD_CFLAGS)
tests_workloads_dwarf_split_LDFLAGS =

# dwarf-split.sh: cperf's recordings (the split, libc frames, frame pointers
# failing, [truncated], stack sizes); dwarf-perf.sh: perf's recordings and
# go tool pprof on converted profiles.
DWARF_E2E = tests/e2e/dwarf-split.sh tests/e2e/dwarf-perf.sh
TESTS += $(DWARF_E2E)
dist_noinst_SCRIPTS += $(DWARF_E2E) tests/e2e/dwarf-lib.sh
