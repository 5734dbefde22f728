#!/bin/sh
# cperf list: categories, marks for events this machine cannot count, globs,
# PMU events and their umasks, usage errors.
. "$top_srcdir/tests/e2e/lib.sh"
EVOPEN="$top_builddir/tests/helpers/pmu-evopen"
[ -x "$EVOPEN" ] || hard_error "tests/helpers/pmu-evopen not built"

run "$CPERF" list sw
expect_rc 0 "list sw"
expect_out '^cpu-clock +\[Software event\]  ' "sw lists cpu-clock"
expect_out '^page-faults OR faults +\[Software event\]' "sw shows aliases"
check "cpu-clock is not marked" sh -c "! grep '^cpu-clock ' '$TMPD/out' | grep -q '\\['not"
check "sw lists only software events" sh -c "! grep -v 'Software event' '$TMPD/out' | grep -q ."

# cycles: marked exactly when a direct open says this machine cannot count it
"$EVOPEN" --open cycles:u >/dev/null 2>"$TMPD/probe"
run "$CPERF" list hw
expect_rc 0 "list hw"
if grep -q 'not supported on this machine' "$TMPD/probe"; then
	expect_out '^cycles OR cpu-cycles +\[Hardware event\] \[not supported\]' \
		"cycles marked not supported without a PMU"
else
	echo "note: this machine has a hardware PMU: cycles must not be marked"
	check "cycles not marked" sh -c "! grep '^cycles ' '$TMPD/out' | grep -q 'not supported'"
fi
expect_out '^instructions ' "hw lists instructions"

run "$CPERF" list cache
expect_rc 0 "list cache"
expect_out '^L1-dcache-load-misses +\[Hardware cache event\]' "cache lists L1-dcache-load-misses"
expect_out '^dTLB-load-misses ' "cache lists dTLB-load-misses"
check "no L1-icache stores (the kernel defines none)" sh -c "! grep -q '^L1-icache-store' '$TMPD/out'"

# every event once
run "$CPERF" list
expect_rc 0 "list"
check "no event listed twice" sh -c "[ -z \"\$(awk '{print \$1}' '$TMPD/out' | sort | uniq -d)\" ]"
expect_out '^cpu-clock ' "list shows software events"
expect_out '^L1-dcache-loads ' "list shows cache events"

# globs: category + glob, glob alone, plain word = substring
run "$CPERF" list sw '*faults'
expect_rc 0 "list sw '*faults'"
expect_out '^major-faults ' "glob keeps major-faults"
check "glob drops cpu-clock" sh -c "! grep -q '^cpu-clock' '$TMPD/out'"
check "every line matches the glob" sh -c "! awk '{print \$1}' '$TMPD/out' | grep -vq 'faults\$'"
run "$CPERF" list 'task-*'
expect_rc 0 "list 'task-*'"
expect_out '^task-clock ' "glob without category"
check "glob alone: one line" test "$(wc -l <"$TMPD/out")" -eq 1
run "$CPERF" list cpu
expect_rc 0 "list cpu (a word close to 'pmu' that matches events)"
expect_out '^cpu-migrations ' "list cpu finds cpu-migrations"
run "$CPERF" list clock
expect_out '^cpu-clock ' "a word matches anywhere (cpu-clock)"
expect_out '^task-clock ' "a word matches anywhere (task-clock)"
run "$CPERF" list sw CS
expect_out '^context-switches OR cs ' "glob matches aliases, case-insensitively"

# libpfm4's PMUs: the generic perf:: PMU is always there
run "$CPERF" list pmu 'perf::PERF_COUNT_SW_CPU_CLOCK'
expect_rc 0 "list pmu"
expect_out '^perf::PERF_COUNT_SW_CPU_CLOCK +\[PMU event\]  ' "pmu lists perf:: events, cpu-clock not marked"
run "$CPERF" list pmu 'perf::PERF_COUNT_HW_CACHE_L1D*'
check "umasks hidden without -v" sh -c "! grep -q 'L1D:' '$TMPD/out'"
run "$CPERF" list -v pmu 'perf::PERF_COUNT_HW_CACHE_L1D*'
expect_rc 0 "list -v pmu"
expect_out '^  perf::PERF_COUNT_HW_CACHE_L1D:READ +\[PMU event\]' "umasks shown with -v"
run "$CPERF" list --verbose pmu 'perf::PERF_COUNT_HW_CACHE_L1D*'
expect_out 'L1D:MISS' "--verbose"

# kernel PMUs from sysfs (a fixture tree)
CPERF_SYSFS_PMU="$top_srcdir/tests/fixtures/sysfs-pmu" run "$CPERF" list pmu 'cpu/*'
expect_rc 0 "list pmu 'cpu/*' (sysfs fixture)"
expect_out '^cpu/mem-loads/ +\[Kernel PMU event\].*  event=0xcd,umask=0x1,ldlat=3$' \
	"sysfs aliases with their terms"
check "sysfs: four aliases, no .unit files" test "$(wc -l <"$TMPD/out")" -eq 4

# usage errors
run "$CPERF" list tracepiont
expect_rc 2 "unknown category"
expect_err "^cperf list: unknown event category 'tracepiont'$" "unknown category message"
expect_err "^hint: did you mean 'tracepoint'\?" "category suggestion"
expect_one_line_err "unknown category"
run "$CPERF" list frob 'x*'
expect_rc 2 "unknown category with a glob"
expect_err "unknown event category 'frob'" "unknown category with a glob message"
run "$CPERF" list sw a b
expect_rc 2 "too many arguments"
expect_one_line_err "too many arguments"
run "$CPERF" list --frob
expect_rc 2 "unknown option"
expect_err "^cperf list: unknown option '--frob'$" "unknown option message"
run "$CPERF" list 'zzz*'
expect_rc 1 "no match"
expect_err "^cperf list: no event matches 'zzz\*'$" "no match message"

# stdout errors are failures
if [ -w /dev/full ]; then
	"$CPERF" list sw >/dev/full 2>"$TMPD/err"
	RC=$?
	expect_rc 1 "list to a full disk"
	expect_err "write error" "write error message"
fi

CPERF_NO_MAN=1 run "$CPERF" list --help
expect_rc 0 "list --help"
expect_out '^usage: cperf list ' "usage"
expect_out -- '--verbose' "usage names --verbose"

done_testing
