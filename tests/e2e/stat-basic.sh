#!/bin/sh
# cperf stat in command mode: the default table, exit status pass-through,
# commands that cannot run, unsupported events, usage errors, -o, -i.
. "$top_srcdir/tests/e2e/lib.sh"

W=$(workload statwork)

# ---- the default events and the table layout -------------------------------
run "$CPERF" stat -- "$W" exit 0
expect_rc 0 "default events"
expect_err "^ Performance counter stats for '.*statwork exit 0':$" "header names the command"
for ev in task-clock context-switches cpu-migrations page-faults cycles instructions branches branch-misses; do
	expect_err " $ev( |$)" "default event $ev"
done
expect_err '^ +[0-9.,]+ msec task-clock +# +[0-9.]+ CPUs utilized$' "task-clock in msec with CPUs utilized"
expect_err '^ +[0-9,]+ +page-faults +# +[0-9.]+ [KMG]?/sec$' "page-faults with a rate"
expect_err '^ +[0-9.]+ seconds time elapsed$' "elapsed time"
expect_err '^ +[0-9.]+ seconds user$' "user time"
expect_err '^ +[0-9.]+ seconds sys$' "sys time"
check "nothing on stdout" test ! -s "$TMPD/out"

# the command's stdout and stdin are its own
out=$(echo hello | "$CPERF" stat -e task-clock -- cat 2>/dev/null)
check "stdin and stdout pass through (got '$out')" test "$out" = hello

# ---- exit status -----------------------------------------------------------
run "$CPERF" stat -e task-clock -- "$W" exit 3
expect_rc 3 "exit status 3 passes through"
run "$CPERF" stat -e task-clock -- false
expect_rc 1 "false gives 1"
run "$CPERF" stat -e task-clock -- sh -c 'kill -TERM $$'
expect_rc 143 "death by SIGTERM gives 128+15"
expect_err 'task-clock' "counts printed after the command died of a signal"
run "$CPERF" stat -e task-clock -- nosuchcmd-cperf
expect_rc 127 "a command that does not exist"
expect_err "^cperf stat: cannot run 'nosuchcmd-cperf': No such file or directory$" "cannot run message"
expect_one_line_err "cannot run"
expect_no_err "Performance counter stats" "no counts for a command that never ran"
: >"$TMPD/notexec"
chmod 644 "$TMPD/notexec"
run "$CPERF" stat -e task-clock -- "$TMPD/notexec"
expect_rc 126 "a command that is not executable"
expect_err "cannot run '.*notexec': Permission denied" "not executable message"

# ---- an event this machine cannot count ------------------------------------
if perf stat -e cycles true 2>&1 | grep -q 'not supported'; then
	run "$CPERF" stat -e cycles,task-clock -- "$W" exit 4
	expect_rc 4 "unsupported event still gives the command's status"
	expect_err '^ +<not supported> +cycles$' "cycles is <not supported>"
	expect_err 'msec task-clock' "the other events still count"
	run "$CPERF" stat -x, -e cycles -- true
	expect_err '^<not supported>,,cycles,0,100.00,,$' "CSV <not supported> row"
else
	echo "note: this machine has a PMU; the <not supported> checks are skipped"
fi

# ---- bad events: exit 2 before running anything ----------------------------
rm -f "$TMPD/ran"
run "$CPERF" stat -e nosuch-event -- "$W" touch "$TMPD/ran"
expect_rc 2 "unknown event"
expect_err "^cperf stat: .*'nosuch-event'" "unknown event message names the event"
check "the command did not run" test ! -e "$TMPD/ran"
run "$CPERF" stat -e cylces -- true
expect_rc 2 "misspelled event"
expect_err "^hint: .*cycles" "suggestion for a misspelled event"
run "$CPERF" stat -e task-clock -- "$W" touch "$TMPD/ran"
check "the command ran with a good event" test -e "$TMPD/ran"

# ---- usage errors ----------------------------------------------------------
usage_err() {
	desc=$1
	shift
	run "$CPERF" stat "$@"
	expect_rc 2 "$desc"
	expect_one_line_err "$desc"
}
usage_err "-r 0" -r 0 true
usage_err "-r negative" -r -1 true
usage_err "-r not a number" -r x true
usage_err "-I negative" -I -100 -a
usage_err "-I too small" -I 5 -a
usage_err "--interval-count 0" -I 100 --interval-count 0 -a
usage_err "--interval-count without -I" --interval-count 3 true
usage_err "-x with -j" -x, -j true
usage_err "empty -x" -x '' true
usage_err "unknown option" --frobnicate true
usage_err "missing option argument" -e
usage_err "bad -C list" -C 0-x true
usage_err "-C offline CPU" -C 4000 true
usage_err "bad -p list" -p abc true
usage_err "-p with -a" -p 1 -a true
usage_err "-A without -a" -A true
usage_err "--per-thread without -p" --per-thread true
usage_err "nothing to count"
usage_err "-r without a command" -r 3 -a
run "$CPERF" stat -r 0 -- "$W" touch "$TMPD/ran2"
check "a usage error runs nothing" test ! -e "$TMPD/ran2"

# ---- help ------------------------------------------------------------------
sed 's/\\//g' "$top_srcdir/man/cperf-stat.1" >"$TMPD/man.txt" # troff escapes off
CPERF_NO_MAN=1 run "$CPERF" stat --help
expect_rc 0 "--help"
expect_out "usage: cperf stat" "--help prints usage"
for opt in --event --all-cpus --cpu --pid --tid --no-inherit --repeat --interval-print \
	--interval-count --no-aggr --per-thread --field-separator --json-output --output \
	--big-num --no-big-num; do
	expect_out "$opt" "usage lists $opt"
	check "man page documents $opt" grep -q -- "$opt" "$TMPD/man.txt"
done

# ---- -o FILE, --no-big-num -------------------------------------------------
run "$CPERF" stat -o "$TMPD/counts.txt" -e page-faults -- "$W" pages 2000
expect_rc 0 "-o FILE"
check "-o: nothing on stderr" test ! -s "$TMPD/err"
check "-o: counts in the file" grep -Eq '^ +[0-9],[0-9]{3} +page-faults' "$TMPD/counts.txt"
run "$CPERF" stat -o "$TMPD/counts2.txt" -e task-clock -- ls -l /proc/self/fd/
expect_rc 0 "-o with ls"
check "-o: the command does not inherit the output file" sh -c "! grep -q counts2 '$TMPD/out'"
ls /proc/self/fd/ >"$TMPD/fds-plain" 2>/dev/null
"$CPERF" stat -o /dev/null -e task-clock -- ls /proc/self/fd/ >"$TMPD/fds-stat" 2>/dev/null
check "the command gets the same fds as without cperf" cmp -s "$TMPD/fds-plain" "$TMPD/fds-stat"
run "$CPERF" stat --no-big-num -e page-faults -- "$W" pages 2000
expect_err '^ +[0-9]{4} +page-faults' "--no-big-num: no thousands separators"
run "$CPERF" stat -o /nonexistent/dir/file -e task-clock -- "$W" touch "$TMPD/ran3"
expect_rc 1 "-o into a missing directory"
expect_err "^cperf stat: cannot write '/nonexistent/dir/file'" "-o error message"
check "-o error: the command did not run" test ! -e "$TMPD/ran3"

# ---- unprivileged, perf_event_paranoid >= 2: user space only, like perf -----
PARANOID=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 0)
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && [ "$PARANOID" -ge 2 ] &&
	$NOBODY "$CPERF" --version >/dev/null 2>&1; then
	run $NOBODY "$CPERF" stat -e task-clock,page-faults -- true
	expect_rc 0 "unprivileged command mode"
	expect_err 'msec task-clock:u ' "unprivileged: task-clock counted as task-clock:u"
	expect_err ' page-faults:u ' "unprivileged: page-faults:u"
	run $NOBODY "$CPERF" stat -a -e cpu-clock -- true
	expect_rc 1 "unprivileged -a"
	expect_err "^cperf stat: cannot open event 'cpu-clock' on CPU [0-9]+: Permission denied$" "unprivileged -a: message"
	expect_err '^hint: .*perf_event_paranoid' "unprivileged -a: hint names perf_event_paranoid"
else
	echo "note: not root, no setpriv, perf_event_paranoid < 2, or cperf not runnable by nobody: unprivileged checks skipped"
fi

# ---- CSV separators other than a comma ------------------------------------
run "$CPERF" stat -x ';' -e task-clock,page-faults -- true
expect_err '^[0-9.]+;msec;task-clock;[0-9]+;100.00;[0-9.]+;CPUs utilized$' "-x ';'"

done_testing
