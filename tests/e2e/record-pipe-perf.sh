#!/bin/sh
# perf report reads cperf's pipe-mode recordings: cperf's facts travel in
# records perf skips (HEADER_EVENT_TYPE), so perf report and perf script
# exit 0 with nothing on stderr and show the top symbol cperf shows, while
# cperf report still finds its facts (duration, kallsyms snapshot).
. "$top_srcdir/tests/e2e/lib.sh"
need_root
need_cmd perf
cd "$TMPD" || hard_error "no temporary directory"

# top_cperf FILE / top_perf FILE: the symbol with the most self samples
top_cperf() {
	"$CPERF" report -i "$1" --stdio --no-children 2>/dev/null | awk '!/^#/ && NF { print $NF; exit }'
}
top_perf() {
	perf report -i "$1" --stdio --no-children --sort sym -g none 2>/dev/null |
		awk '!/^#/ && NF { print $NF; exit }'
}

# perf_pipe_reads FILE WHAT: perf report and perf script without a word on
# stderr, the same top symbol, cperf's facts back
perf_pipe_reads() {
	local f=$1 what=$2 c p
	perf report -i "$f" --stdio >"$f.report" 2>"$f.report.err"
	if [ $? -eq 0 ] && [ ! -s "$f.report.err" ]; then pass; else
		fail "$what: perf report"; head -5 "$f.report.err" | sed 's/^/  stderr: /'
	fi
	grep -q '^# Samples: ' "$f.report" && pass || fail "$what: perf report shows no samples"
	perf script -i "$f" >"$f.script" 2>"$f.script.err"
	if [ $? -eq 0 ] && [ ! -s "$f.script.err" ]; then pass; else
		fail "$what: perf script"; head -5 "$f.script.err" | sed 's/^/  stderr: /'
	fi
	c=$(top_cperf "$f")
	p=$(top_perf "$f")
	if [ -n "$c" ] && [ "$c" = "$p" ]; then pass; else
		fail "$what: top symbol: cperf '$c', perf '$p'"
	fi
	run "$CPERF" report -i "$f" --stdio
	expect_rc 0 "$what: cperf report"
	expect_out '^# duration: ' "$what: cperf's facts come back"
	expect_no_err 'live /proc/kallsyms' "$what: the kallsyms snapshot comes back"
}

# ---- cpu-clock with call chains -------------------------------------------
# a fixed period (1 ms of CPU) rather than a frequency: under a loaded
# make check, frequency mode's ramp-up weighed a few early samples enough to
# put func_b on top once; the file then also has samples without PERIOD
"$CPERF" record -q -e cpu-clock -g -c 1000000 -o - -- "$(workload cpusplit)" 1 >cpu.data 2>"$TMPD/err"
RC=$?
expect_rc 0 "record -o - -e cpu-clock -g -c 1000000"
perf_pipe_reads cpu.data "cpu-clock -g"
c=$(top_cperf cpu.data)
if [ "$c" = func_a ]; then pass; else fail "cpu-clock -g: top symbol '$c', expected func_a"; fi

# ---- a tracepoint ---------------------------------------------------------
"$CPERF" list 'sched:sched_switch' >list.txt 2>list.err
if grep -q '^sched:sched_switch' list.txt; then
	"$CPERF" record -q -e sched:sched_switch -g -o - -- sh -c '/bin/true; sleep 0.05; /bin/true; sleep 0.05' \
		>tp.data 2>"$TMPD/err"
	RC=$?
	expect_rc 0 "record -o - -e sched:sched_switch -g"
	perf_pipe_reads tp.data "sched:sched_switch -g"
else
	echo "tracefs is unavailable: skipping the tracepoint part ($(head -1 list.err))"
fi

done_testing
