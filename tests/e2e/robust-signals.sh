#!/bin/sh
# Signals during cperf record: after SIGINT or SIGTERM the summary's sample
# count is what cperf report counts in the file; after SIGKILL the file is
# readable up to its last complete record (cperf report and convert, with a
# warning); a signalled recording of a command takes its command down too.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
cd "$TMPD" || hard_error "no temp dir"

summary_n() { sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$1"; }
report_n() { "$CPERF" report -i "$1" --stdio 2>/dev/null | sed -n 's/^# samples: \([0-9]*\).*/\1/p'; }
no_sanitizer() {
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' "$1"; then
		fail "$2: sanitizer report"; grep -E 'Sanitizer|runtime error' "$1" | head -3
	else pass; fi
}

"$(workload cpusplit)" 30 >/dev/null &
BUSY=$!
trap 'kill $BUSY 2>/dev/null; rm -rf "$TMPD"' EXIT

# ---- SIGINT and SIGTERM: a complete file that agrees with the summary ----
for sig in INT TERM; do
	"$CPERF" record -a -F 499 -g -o $sig.data 2>$sig.err &
	R=$!
	sleep 1.2
	kill -$sig $R
	wait $R
	RC=$?
	if [ $RC -eq 0 ]; then pass; else fail "SIG$sig: exit status $RC"; fi
	no_sanitizer $sig.err "SIG$sig"
	n=$(summary_n $sig.err)
	c=$(report_n $sig.data)
	check "SIG$sig: one summary line" [ -n "$n" ]
	if [ -n "$n" ] && [ "$n" = "$c" ] && [ "$n" -gt 0 ]; then pass; else
		fail "SIG$sig: the summary says ${n:-nothing}, cperf report counts ${c:-nothing}"
	fi
	run "$CPERF" report -i $sig.data --stdio
	expect_no_err "warning: .*(cut short|not closed properly)" "SIG$sig: the file was closed properly"
done

# ---- SIGKILL: readable up to the last complete record --------------------
"$CPERF" record -a -F 499 -g -o kill.data 2>kill.err &
R=$!
# the header's data size is brought up to date at least once a second
sleep 2.5
kill -KILL $R
wait $R 2>/dev/null
check "SIGKILL: the file exists" [ -s kill.data ]
mode=$(stat -c %a kill.data)
check "SIGKILL: the file is 0600 (got $mode)" [ "$mode" = 600 ]
run "$CPERF" report -i kill.data --stdio
expect_rc 0 "report of a killed recording"
expect_err "^cperf report: warning: 'kill\.data' (was not closed properly|was cut short)" "report warns about the killed recorder"
expect_no_err 'AddressSanitizer|LeakSanitizer|runtime error' "report of a killed recording: sanitizer report"
c=$(sed -n 's/^# samples: \([0-9]*\).*/\1/p' "$TMPD/out")
if [ "${c:-0}" -gt 100 ]; then pass; else fail "SIGKILL: cperf report reads ${c:-no} samples (a busy CPU for >1 s)"; fi
run "$CPERF" convert -i kill.data -o kill.pb.gz
expect_rc 0 "convert of a killed recording"
check "convert of a killed recording writes a profile" [ -s kill.pb.gz ]

# ---- a recording of a command: the signal ends the command too ----------
for sig in INT TERM; do
	rm -f pid
	"$CPERF" record -F 499 -o cmd$sig.data -- sh -c 'echo $$ >pid; exec sleep 30' 2>cmd$sig.err &
	R=$!
	i=0
	while [ ! -s pid ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	C=$(cat pid 2>/dev/null)
	sleep 0.3
	kill -$sig $R
	wait $R
	RC=$?
	# cperf exits with the command's status: killed by the same signal
	if [ $RC -ne 0 ] && [ $RC -lt 160 ]; then pass; else fail "SIG$sig to record -- cmd: exit status $RC"; fi
	sleep 0.2
	if [ -n "$C" ] && ! kill -0 "$C" 2>/dev/null; then pass; else
		fail "SIG$sig to record -- cmd: the command (pid ${C:-?}) outlived cperf"; kill "$C" 2>/dev/null
	fi
	n=$(summary_n cmd$sig.err)
	c=$(report_n cmd$sig.data)
	if [ -n "$n" ] && [ "$n" = "$c" ]; then pass; else
		fail "SIG$sig to record -- cmd: the summary says ${n:-nothing}, cperf report counts ${c:-nothing}"
	fi
	no_sanitizer cmd$sig.err "SIG$sig to record -- cmd"
done

done_testing
