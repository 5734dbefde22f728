#!/bin/sh
# cperf list tracepoint: names from tracefs (a fixture tree, and the real
# one when it can be mounted), and the error when tracefs is missing.
. "$top_srcdir/tests/e2e/lib.sh"

CPERF_TRACEFS="$top_srcdir/tests/fixtures/tracefs" run "$CPERF" list tracepoint
expect_rc 0 "fixture tracefs"
check "fixture: five tracepoints" test "$(wc -l <"$TMPD/out")" -eq 5
expect_out '^sched:sched_switch +\[Tracepoint event\]$' "fixture: sched:sched_switch"
check "fixture: sorted" sh -c "awk '{print \$1}' '$TMPD/out' | sort -c"
CPERF_TRACEFS="$top_srcdir/tests/fixtures/tracefs" run "$CPERF" list 'syscalls:*'
expect_rc 0 "tracepoint glob over all categories"
check "glob: two syscalls" test "$(wc -l <"$TMPD/out")" -eq 2

CPERF_TRACEFS=/nonexistent run "$CPERF" list tracepoint
expect_rc 1 "no tracefs"
expect_err "^cperf list: cannot list tracepoints: tracefs is not available" "no tracefs message"
expect_err "^hint: CPERF_TRACEFS names no tracefs" "no tracefs hint"
CPERF_TRACEFS=/nonexistent run "$CPERF" list
expect_rc 0 "no tracefs: the rest is listed"
expect_err "warning: tracepoints not listed" "no tracefs: one warning"
expect_out '^cpu-clock ' "no tracefs: software events still listed"

# the real tracefs (cperf mounts it when root)
if [ -d /sys/kernel/tracing/events ] || [ -d /sys/kernel/debug/tracing/events ] ||
	[ "$(id -u)" -eq 0 ]; then
	run "$CPERF" list tracepoint 'sched:sched_switch'
	if [ "$RC" -eq 0 ]; then
		expect_out '^sched:sched_switch +\[Tracepoint event\]$' "real tracefs: sched:sched_switch"
		check "real tracefs: one line" test "$(wc -l <"$TMPD/out")" -eq 1
	else
		grep -q 'tracefs is not available' "$TMPD/err" ||
			fail "real tracefs: unexpected error: $(head -1 "$TMPD/err")"
		echo "note: tracefs cannot be mounted here: $(head -1 "$TMPD/err")"
	fi
else
	echo "note: not root and tracefs not mounted: real tracefs not checked"
fi

done_testing
