#!/bin/sh
# Event-spec errors and open advice as commands print them (through the
# pmu-evopen helper, which prints the way stat and record do).
. "$top_srcdir/tests/e2e/lib.sh"
EVOPEN="$top_builddir/tests/helpers/pmu-evopen"
[ -x "$EVOPEN" ] || hard_error "tests/helpers/pmu-evopen not built"
export CPERF_TRACEFS="$top_srcdir/tests/fixtures/tracefs"

# bad_spec SPEC MESSAGE-REGEX [HINT-REGEX]
bad_spec() {
	run "$EVOPEN" "$1"
	expect_rc 2 "spec '$1'"
	expect_err "^cperf evopen: $2\$" "spec '$1' message"
	[ -z "${3-}" ] || expect_err "^hint: $3\$" "spec '$1' hint"
	expect_one_line_err "spec '$1'"
}
bad_spec cylces "unknown event 'cylces'" "did you mean 'cycles'\?"
bad_spec 'cycles,' "missing event after ',' in 'cycles,'"
bad_spec '{cycles' "unterminated group '\{cycles'" "close the group with '\}'.*"
bad_spec ':u' "missing event name before ':u'"
bad_spec 'cycles:z' "unknown modifier 'z' in 'cycles:z'" "modifiers are .*"
bad_spec '' "empty event list" ".*"
bad_spec 'cpu-clock/perod=1/' "unknown term 'perod'" "terms are .*"
bad_spec 'sched:sched_swtich' "unknown event 'sched:sched_swtich'" "did you mean 'sched:sched_switch'\?"
bad_spec 'sched:nope*' "no tracepoint matches 'sched:nope\*'" ".*"
long=$(awk 'BEGIN { for (i = 0; i < 5000; i++) printf "x" }')
bad_spec "$long" "event list too long \(5000 characters, at most 4096\)"
bad_spec "$(printf 'cyc\033]0;x\007les')" "unknown event 'cyc\?\]0;x\?les'"

# open errors turn into advice
run "$EVOPEN" --open cycles:u
if grep -q 'No such file or directory' "$TMPD/err"; then
	expect_rc 1 "cycles without a PMU"
	expect_err "^cperf evopen: cannot open event 'cycles:u': No such file or directory$" \
		"cycles open error"
	expect_err "^hint: event 'cycles:u' is not supported on this machine \(no hardware PMU\?\); try -e cpu-clock$" \
		"cycles advice"
else
	echo "note: cycles opened here ($RC): no not-supported advice to check"
fi

max=$(cat /proc/sys/kernel/perf_event_max_sample_rate 2>/dev/null || echo 0)
if [ "$max" -gt 0 ] && [ "$max" -lt 1000000 ]; then
	run "$EVOPEN" --open 'cpu-clock/freq=1000000/'
	expect_rc 1 "freq above the sysctl"
	expect_err "^hint: frequency 1000000 is above kernel.perf_event_max_sample_rate \($max\)" \
		"freq advice"
fi

(ulimit -n 6 && exec "$EVOPEN" --open cs,cs,cs,cs,cs,cs,cs,cs) >"$TMPD/out" 2>"$TMPD/err"
RC=$?
if grep -q 'Too many open files' "$TMPD/err"; then
	expect_rc 1 "EMFILE"
	expect_err "^hint: .*ulimit -n" "EMFILE advice"
else
	echo "note: could not provoke EMFILE (rc $RC)"
fi

# unprivileged: paranoid level and CAP_PERFMON
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && [ "$paranoid" -ge 1 ]; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EVOPEN" --open --system-wide cpu-clock \
		>"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	if grep -q 'cannot open event' "$TMPD/err"; then
		expect_rc 1 "unprivileged system-wide"
		expect_err "^cperf evopen: cannot open event 'cpu-clock': Permission denied$" "EACCES error"
		expect_err "^hint: kernel.perf_event_paranoid is $paranoid: system-wide profiling needs root or CAP_PERFMON" \
			"EACCES advice"
	else
		echo "note: the helper cannot run as nobody here (rc $RC)"
	fi
	# tracepoints as nobody: either tracefs is readable, or the advice
	# says what root must do
	unset CPERF_TRACEFS
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EVOPEN" sched:sched_switch \
		>"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	if grep -q 'tracefs is not available' "$TMPD/err"; then
		expect_rc 2 "tracepoint as nobody"
		expect_err "^hint: .*root" "tracefs advice names root"
		expect_one_line_err "tracepoint as nobody"
	fi
fi

done_testing
