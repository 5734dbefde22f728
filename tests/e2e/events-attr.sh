#!/bin/sh
# Attr golden tests for event parsing: the attrs the pmu module opens for
# specs of every kind, compared with tests/fixtures/attr/*.attr.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/attr-lib.sh"
EVOPEN="$top_builddir/tests/helpers/pmu-evopen"
[ -x "$EVOPEN" ] || hard_error "tests/helpers/pmu-evopen not built"
FIX="$top_srcdir/tests/fixtures/attr"

d=$(attr_dir group)
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open 'cycles:u,{cpu-clock,task-clock}:k'
attr_check "$FIX/group-mods.attr" "$d" "modifiers and a group"

d=$(attr_dir cache)
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open 'L1-dcache-load-misses:k,dTLB-stores,r1a8:pp'
attr_check "$FIX/cache-raw.attr" "$d" "cache and raw events"

d=$(attr_dir terms)
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open 'cpu-clock/period=12345/,task-clock/freq=99,name=tc/:u'
expect_rc 0 "terms open"
attr_check "$FIX/terms.attr" "$d" "period and freq terms"

d=$(attr_dir tp)
CPERF_TRACEFS="$top_srcdir/tests/fixtures/tracefs" CPERF_ATTR_DUMP=$d \
	run "$EVOPEN" --open 'sched:sched_w*,syscalls:sys_exit_read'
attr_check "$FIX/tracepoint.attr" "$d" "tracepoint ids from tracefs"

d=$(attr_dir bp)
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open 'mem:0x1000:w,mem:0x2000/8:rw:u'
attr_check "$FIX/breakpoint.attr" "$d" "hardware breakpoints"

# several processes dumping into one directory keep their order
d=$(attr_dir seq)
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open cpu-clock
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open task-clock
check "second run numbered after the first" grep -q '^config = 1$' "$d/attr-0002"

d=$(attr_dir list)
CPERF_ATTR_DUMP=$d run "$CPERF" list sw task-clock
expect_rc 0 "list sw task-clock"
attr_check "$FIX/list-probe.attr" "$d" "list probes once, disabled, on itself"

d=$(attr_dir fallback)
CPERF_ATTR_DUMP=$d run "$EVOPEN" --open --fallback --system-wide 'cycles:u'
if [ "$(attr_result "$d" 1)" = 0 ]; then
	echo "note: this machine counts cycles: no fallback to check"
else
	expect_rc 0 "fallback open"
	expect_err "note: event 'cycles:u' is not supported here; using 'cpu-clock:u' instead" \
		"fallback note"
	attr_check "$FIX/fallback.attr" "$d" "cycles falls back to cpu-clock, keeping :u"
fi

done_testing
