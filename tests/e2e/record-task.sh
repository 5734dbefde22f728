#!/bin/sh
# cperf record on running processes and threads: -p with -d or a command to
# bound it, a target that exits, new threads and a dlopen after the start,
# -t, and a PID that does not exist.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
cd "$TMPD" || hard_error "no temporary directory"
HAVE_PERF=0
command -v perf >/dev/null 2>&1 && HAVE_PERF=1
summary_n() { sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err"; }
# elapsed seconds of a command, to 0.01 s
now() { date +%s.%N; }
# CPU seconds a process has used (utime + stime)
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' /proc/$1/stat; }

# ---- -p PID -d 1: one busy thread, 1.0 s at 1000 Hz ---------------------
"$(workload cpusplit)" 4 >/dev/null &
P=$!
sleep 0.3
c0=$(cpu_of $P)
t0=$(now)
run "$CPERF" record -F 1000 -p $P -d 1 -o pid.data
t1=$(now)
c1=$(cpu_of $P)
expect_rc 0 "record -p -d 1"
N=$(summary_n)
# 1.0 s busy at 1000 Hz gives 600..1100; the machine may be busy with other
# tests, so scale by the CPU time the target really had
cpu=$(awk -v a=$c0 -v b=$c1 'BEGIN { print b - a }')
# (a target starved by other tests also gets fewer samples per CPU second:
# the kernel's frequency estimate lags behind short time slices)
if awk -v n="${N:-0}" -v c="$cpu" 'BEGIN { lo = c >= 0.9 ? 600 : 400; exit !(n >= lo * c - 20 && n <= 1100 * c + 20) }'; then
	pass
else
	fail "-p PID -d 1 at 1000 Hz: $N samples for $cpu CPU seconds, expected 600..1100 per second"
fi
within "$(awk -v a=$t0 -v b=$t1 'BEGIN { print b - a }')" 1.7 0.7 "-d 1 stops after about a second"
if [ $HAVE_PERF -eq 1 ]; then
	perf script -i pid.data -F comm,pid,tid,ip,sym >pid.txt 2>/dev/null
	c=$(wc -l <pid.txt)
	if [ "$c" -eq "$N" ]; then pass; else fail "perf script counts $c, the summary $N"; fi
	awk -v p=$P '$1 != "cpusplit" || $2 != p "/" p { bad++ } END { exit bad > 0 }' pid.txt && pass || fail "comm cpusplit, pid/tid $P"
	# the process was running before: its maps come from /proc (synthesized)
	a=$(awk '$NF == "func_a"' pid.txt | wc -l)
	if [ "$a" -gt $((N / 4)) ]; then pass; else fail "func_a symbolized in an already-running process ($a of $N)"; fi
fi

# ---- -p PID -- sleep: the command bounds the recording ------------------
t0=$(now)
run "$CPERF" record -q -p $P -o sleep.data -- sleep 0.5
t1=$(now)
expect_rc 0 "record -p PID -- sleep 0.5"
within "$(awk -v a=$t0 -v b=$t1 'BEGIN { print b - a }')" 1.5 1.0 "-- sleep 0.5 bounds the recording"
# ---- -p P1,P2: both processes ----------------------------------------------
"$(workload cpusplit)" 2 >/dev/null &
P2=$!
sleep 0.2
run "$CPERF" record -q -F 999 -p $P,$P2 -d 0.5 -o two.data
expect_rc 0 "record -p P1,P2"
if [ $HAVE_PERF -eq 1 ]; then
	n=$(perf script -i two.data -F pid 2>/dev/null | awk -v a=$P -v b=$P2 '$1 == a || $1 == b { print $1 }' | sort -u | wc -l)
	if [ "$n" -eq 2 ]; then pass; else fail "-p $P,$P2 samples both processes ($n)"; fi
fi
kill $P $P2 2>/dev/null
wait $P $P2 2>/dev/null

# ---- a target that exits ends the recording ------------------------------
"$(workload cpusplit)" 0.8 >/dev/null &
P=$!
sleep 0.1
run timeout 10 "$CPERF" record -F 500 -p $P -o exit.data
expect_rc 0 "record until the target exits"
expect_err "^cperf record: [0-9]+ samples" "summary after the target exited"

# ---- named threads, found in /proc/PID/task -----------------------------
"$(workload threads)" 3 &
P=$!
sleep 0.3
run "$CPERF" record -q -F 999 -p $P -d 1 -o threads.data
expect_rc 0 "record -p of a threaded process"
if [ $HAVE_PERF -eq 1 ]; then
	perf script -i threads.data -F comm,tid 2>/dev/null | awk '{ print $1 }' | sort | uniq -c >names.txt
	check "thread spin-long sampled" grep -q ' spin-long$' names.txt
	check "thread spin-short sampled" grep -q ' spin-short$' names.txt
	# -t: only that thread
	tid=$(grep -l spin-long /proc/$P/task/*/comm 2>/dev/null | head -1 | cut -d/ -f5)
	if [ -n "$tid" ]; then
		run "$CPERF" record -q -F 999 -t "$tid" -d 0.3 -o tid.data
		expect_rc 0 "record -t"
		o=$(perf script -i tid.data -F tid 2>/dev/null | sort -u | tr -d ' ')
		if [ "$o" = "$tid" ]; then pass; else fail "-t $tid records only that thread (got '$o')"; fi
	fi
fi
wait $P

# ---- a library dlopen'ed after the recording started -----------------------
"$(workload dlopen-main)" "$top_builddir/tests/workloads/libdlwork.so" 0.8 0.5 &
P=$!
sleep 0.1
run timeout 10 "$CPERF" record -q -F 999 -p $P -o dl.data
expect_rc 0 "record -p across a dlopen"
if [ $HAVE_PERF -eq 1 ]; then
	t=$(perf script -i dl.data -F ip,sym,dso 2>/dev/null | wc -l)
	n=$(perf script -i dl.data -F ip,sym,dso 2>/dev/null | grep -c 'dl_hot_loop (.*libdlwork.so)')
	# nearly all the time after the dlopen is spent in dl_hot_loop
	if [ "$n" -gt 30 ] && [ "$n" -ge $((t * 7 / 10)) ]; then pass; else fail "dl_hot_loop in libdlwork.so symbolized ($n of $t samples)"; fi
	check "perf buildid-list lists the library" sh -c "perf buildid-list -i dl.data 2>/dev/null | grep -q libdlwork.so"
fi
wait $P

# ---- -o X.pb.gz: a pprof profile, no temporary file left ---------------------
run "$CPERF" record -q -o prof.pb.gz -- "$(workload cpusplit)" 0.3
expect_rc 0 "record -o X.pb.gz"
check "a gzip file" sh -c "gzip -t prof.pb.gz"
n=$(ls | grep -c 'prof.pb.gz.*tmp')
if [ "$n" -eq 0 ]; then pass; else fail "the temporary perf.data is removed"; fi

# ---- a PID that does not exist -------------------------------------------
run "$CPERF" record -p 99999999999 -o none.data
expect_rc 2 "a PID out of range"
pid=4194303
while [ -e /proc/$pid ]; do pid=$((pid - 1)); done
run "$CPERF" record -p $pid -o none.data
expect_rc 1 "a PID that does not exist"
expect_err "^cperf record: no process with PID '$pid'$" "nonexistent PID message"
expect_one_line_err "nonexistent PID"
check "no file for a nonexistent PID" [ ! -e none.data ]

done_testing
