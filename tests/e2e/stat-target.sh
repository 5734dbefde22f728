#!/bin/sh
# cperf stat on running tasks (-p, -t, --per-thread), on CPUs (-a, -C, -A),
# and its handling of SIGINT / SIGTERM.
. "$top_srcdir/tests/e2e/lib.sh"

need_root
W=$(workload statwork)

# ---- -p: a busy process, bounded by a trailing command ----------------------
"$W" spin 20000 >/dev/null &
SPIN=$!
run "$CPERF" stat -p $SPIN -e task-clock,page-faults -- sleep 0.5
expect_rc 0 "-p PID -- sleep 0.5"
expect_err "^ Performance counter stats for process id '$SPIN':$" "-p header"
expect_err '^ +[0-9.,]+ msec task-clock' "-p: the busy process counted task-clock"
TC=$(awk '/msec task-clock/ { gsub(",", "", $1); print $1 }' "$TMPD/err")
# the spinner gets at most 0.5 s of CPU in 0.5 s (plus scheduling slop)
check "-p: task-clock ${TC:-?} ms is within (0, 700]" awk -v t="${TC:-0}" 'BEGIN { exit !(t > 0 && t <= 700) }'
EL=$(awk '/seconds time elapsed/ { print $1 }' "$TMPD/err")
within "${EL:-0}" 0.5 0.4 "-p: elapsed time follows the bounding command"
expect_no_err "seconds user" "-p: no user/sys time of the bounding command"

# -t on the same task, CSV
run "$CPERF" stat -t $SPIN -x, -e task-clock -- sleep 0.2
expect_rc 0 "-t TID"
expect_err '^[0-9.]+,msec,task-clock,' "-t: counted"
kill $SPIN 2>/dev/null
wait $SPIN 2>/dev/null

# ---- -p on a multi-threaded process, --per-thread ---------------------------
"$W" threads 3 20000 >"$TMPD/thr.out" &
THR=$!
i=0
while [ ! -s "$TMPD/thr.out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
run "$CPERF" stat -p $THR --per-thread -x, -e context-switches -- sleep 0.2
expect_rc 0 "--per-thread"
n=$(grep -c ',context-switches,' "$TMPD/err")
check "--per-thread: 4 threads of the process ($n rows)" test "$n" -eq 4
expect_err "^statwork-$THR," "--per-thread: rows labelled comm-tid"
# the sleeping threads never ran while counted
expect_err '<not counted>' "sleeping threads are <not counted>"
run "$CPERF" stat -p $THR -e task-clock -- sleep 0.1
expect_rc 0 "-p of a sleeping process"
expect_err '^ +<not counted> msec task-clock$' "-p: a sleeping process is <not counted>"
kill $THR 2>/dev/null
wait $THR 2>/dev/null

# ---- many threads, few fds: cperf raises its soft fd limit, not the command's --
HARD=$(ulimit -Hn)
if [ "$HARD" = unlimited ] || [ "$HARD" -ge 1024 ]; then
	"$W" threads 40 20000 >"$TMPD/thr40.out" &
	T40=$!
	i=0
	while [ ! -s "$TMPD/thr40.out" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	(ulimit -Sn 48 && "$CPERF" stat -x, -p $T40 -e task-clock,page-faults,context-switches -- sleep 0.1) >"$TMPD/out" 2>"$TMPD/err"
	RC=$?
	expect_rc 0 "41 threads x 3 events with a soft limit of 48 fds"
	kill $T40 2>/dev/null
	wait $T40 2>/dev/null
	lim=$(ulimit -Sn 48 && "$CPERF" stat -e task-clock -- sh -c 'ulimit -Sn' 2>/dev/null)
	check "the command keeps the soft fd limit (got $lim)" test "$lim" = 48
else
	echo "note: hard fd limit $HARD < 1024: the fd limit check is skipped"
fi

# ---- -p without a command ends when the process has exited -------------------
"$W" spin 300 >/dev/null &
SHORT=$!
run timeout 20 "$CPERF" stat -p $SHORT -e task-clock
expect_rc 0 "-p PID without a command stops when PID exits (zombie or reaped)"
expect_err 'msec task-clock' "-p: counts printed when the process exited"
wait $SHORT 2>/dev/null

# ---- tasks that do not exist -------------------------------------------------
sh -c 'exit 0' &
GONE=$!
wait $GONE
run "$CPERF" stat -p $GONE -e task-clock -- sleep 0.1
expect_rc 1 "-p of a process that does not exist"
expect_err "^cperf stat: process '$GONE' does not exist$" "-p: clear message"
expect_one_line_err "-p nonexistent"
run "$CPERF" stat -t $GONE -e task-clock -- sleep 0.1
expect_rc 1 "-t of a thread that does not exist"
expect_err "^cperf stat: thread '$GONE' does not exist$" "-t: clear message"

# ---- system wide ----------------------------------------------------------
run "$CPERF" stat -a -e cpu-clock,context-switches -- sleep 0.3
expect_rc 0 "-a -- sleep 0.3"
expect_err "^ Performance counter stats for 'system wide':$" "-a header"
NCPU=$(getconf _NPROCESSORS_ONLN)
CPUS=$(awk '/CPUs utilized/ { print $(NF - 2) }' "$TMPD/err")
# cpu-clock counts wall time on every CPU, busy or idle
within "${CPUS:-0}" "$NCPU" 0.3 "-a: cpu-clock is about $NCPU CPUs utilized"
run "$CPERF" stat -a -A -x, -e cpu-clock -- sleep 0.2
expect_rc 0 "-a -A"
n=$(grep -c '^CPU[0-9]*,' "$TMPD/err")
check "-A: one row per online CPU ($n of $NCPU)" test "$n" -eq "$NCPU"
run "$CPERF" stat -C 0 -e cpu-clock -- sleep 0.2
expect_rc 0 "-C 0"
expect_err "^ Performance counter stats for 'CPU\(s\) 0':$" "-C header"
CPUS=$(awk '/CPUs utilized/ { print $(NF - 2) }' "$TMPD/err")
within "${CPUS:-0}" 1 0.2 "-C 0: one CPU utilized"
run "$CPERF" stat -a -e cpu-clock -- "$W" exit 6
expect_rc 6 "-a: the bounding command's status"

# ---- signals ---------------------------------------------------------------
# without a command: count until SIGINT, then print and exit 0
"$CPERF" stat -a -e cpu-clock >"$TMPD/sig.out" 2>"$TMPD/sig.err" &
PID=$!
sleep 0.5
kill -INT $PID
wait $PID
RC=$?
check "-a until SIGINT exits 0 (got $RC)" test $RC -eq 0
check "-a until SIGINT prints the counts" grep -q 'msec cpu-clock' "$TMPD/sig.err"
"$CPERF" stat -a -e cpu-clock >"$TMPD/sig.out" 2>"$TMPD/sig.err" &
PID=$!
sleep 0.3
kill -TERM $PID
wait $PID
RC=$?
check "-a until SIGTERM exits 0 (got $RC)" test $RC -eq 0
check "-a until SIGTERM prints the counts" grep -q 'msec cpu-clock' "$TMPD/sig.err"

# a command: SIGINT sent to cperf reaches the command, the counts are printed
"$CPERF" stat -e task-clock -- sleep 10 >"$TMPD/sig.out" 2>"$TMPD/sig.err" &
PID=$!
sleep 0.5
START=$(date +%s)
kill -INT $PID
wait $PID
RC=$?
END=$(date +%s)
check "SIGINT: the command died of it, 130 (got $RC)" test $RC -eq 130
check "SIGINT: cperf did not wait for the command to finish" test $((END - START)) -lt 5
check "SIGINT: counts printed" grep -q 'msec task-clock' "$TMPD/sig.err"

done_testing
