#!/bin/sh
# cperf record of the whole machine: -a -d, -C, SIGINT and SIGKILL while
# recording, and a full disk.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
cd "$TMPD" || hard_error "no temporary directory"
HAVE_PERF=0
command -v perf >/dev/null 2>&1 && HAVE_PERF=1
summary_n() { sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err"; }

# ---- -a -d 2 while cpusplit runs ------------------------------------------
"$(workload cpusplit)" 3 >/dev/null &
P=$!
sleep 0.2
run "$CPERF" record -a -F 999 -d 2 -o all.data
expect_rc 0 "record -a -d 2"
expect_err "sampling 'cpu-clock' instead" "system-wide falls back to cpu-clock"
N=$(summary_n)
# cpu-clock ticks on every CPU, busy or not (an idle CPU may give few):
# at least one busy CPU for 2 s at 999 Hz, at most two
if [ "${N:-0}" -ge 1000 ] && [ "${N:-0}" -le 4400 ]; then pass; else fail "-a -d 2 at 999 Hz: $N samples"; fi
if [ $HAVE_PERF -eq 1 ]; then
	perf script -i all.data -F comm,pid,ip,sym >all.txt 2>/dev/null
	c=$(wc -l <all.txt)
	if [ "$c" -eq "$N" ]; then pass; else fail "perf script counts $c, the summary $N"; fi
	# cpusplit was running before: its maps come from /proc (synthesized)
	t=$(awk -v p=$P '$1 == "cpusplit" && $2 == p' all.txt | wc -l)
	n=$(awk -v p=$P '$1 == "cpusplit" && $2 == p && $NF ~ /^func_[abc]$/' all.txt | wc -l)
	if [ "$t" -gt 100 ] && [ "$n" -ge $((t * 9 / 10)) ]; then pass; else fail "the running cpusplit symbolized system-wide ($n of $t samples)"; fi
	perf report -i all.data --stdio >report.txt 2>&1
	if grep -q WARNING report.txt; then fail "perf report warns"; grep WARNING report.txt | head -3; else pass; fi
fi
wait $P

# ---- -C 0: one CPU ------------------------------------------------------
run "$CPERF" record -q -C 0 -F 999 -d 0.5 -o cpu0.data
expect_rc 0 "record -C 0"
if [ $HAVE_PERF -eq 1 ]; then
	o=$(perf script -i cpu0.data -F cpu 2>/dev/null | sort -u | tr -d ' []')
	if [ -z "$o" ] || [ "$o" = 000 ]; then pass; else fail "-C 0 samples only CPU 0 (got '$o')"; fi
fi

# ---- -C with CPUs that are not online ------------------------------------
run "$CPERF" record -q -C 0,9999 -d 0.2 -o off.data
expect_rc 0 "-C with one offline CPU"
expect_err "^cperf record: warning: CPU 9999 is not online; skipping it$" "offline CPU warning"
run "$CPERF" record -q -C 9999 -d 0.2 -o off2.data
expect_rc 1 "-C with only offline CPUs"
expect_err "^cperf record: none of the CPUs given with -C is online$" "no online CPU message"

# ---- SIGINT: drain, finish the file, summary agrees with the file --------
"$CPERF" record -a -F 999 -o int.data 2>int.err &
R=$!
sleep 1.5
kill -INT $R
wait $R
RC=$?
if [ $RC -eq 0 ]; then pass; else fail "SIGINT: exit status $RC"; fi
N=$(sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' int.err)
check "SIGINT: summary printed" [ -n "$N" ]
if [ $HAVE_PERF -eq 1 ]; then
	c=$(perf script -i int.data -F cpu 2>/dev/null | wc -l)
	if [ "$c" -eq "${N:-x}" ] && [ "$c" -gt 0 ]; then pass; else fail "SIGINT: perf script counts $c, the summary $N"; fi
fi

# ---- SIGTERM likewise ----------------------------------------------------
"$CPERF" record -q -a -F 999 -o term.data 2>term.err &
R=$!
sleep 1
kill -TERM $R
wait $R
RC=$?
if [ $RC -eq 0 ]; then pass; else fail "SIGTERM: exit status $RC"; fi

# ---- SIGKILL: the file is readable up to its last complete record ---------
"$(workload cpusplit)" 4 >/dev/null &
P=$!
"$CPERF" record -q -a -F 999 -o kill.data 2>kill.err &
R=$!
# rings are drained (and the header's data size updated) at least once a second
sleep 2.5
kill -KILL $R
wait $R 2>/dev/null
kill $P 2>/dev/null
wait $P 2>/dev/null
check "SIGKILL: the file exists" [ -s kill.data ]
if [ $HAVE_PERF -eq 1 ]; then
	c=$(perf script -i kill.data -F cpu 2>/dev/null | wc -l)
	if [ "$c" -gt 500 ]; then pass; else fail "SIGKILL: perf script reads $c samples"; fi
fi
run "$CPERF" report -i kill.data --stdio
if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then pass; else fail "cperf report on a killed recording: exit status $RC"; fi

# ---- a full disk: a clear error, non-zero exit, a valid file -------------
mkdir full
if mount -t tmpfs -o size=1m tmpfs full 2>/dev/null; then
	run "$CPERF" record -a -F 20000 -g -d 10 -o full/x.data
	if [ "$RC" -eq 1 ]; then pass; else fail "full disk: exit status $RC"; fi
	expect_err "^cperf record: cannot write 'full/x.data': No space left on device$" "full disk message"
	if [ $HAVE_PERF -eq 1 ]; then
		check "full disk: perf script reads what was written" sh -c "perf script -i full/x.data >/dev/null 2>&1"
	fi
	umount full
fi

done_testing
