#!/bin/sh
# cperf record in command mode: sample counts, names, perf's tools reading
# the file, exit statuses, option errors and the attr it opens.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/attr-lib.sh"
need_root
W="$top_builddir/tests/workloads"
cd "$TMPD" || hard_error "no temporary directory"
HAVE_PERF=0
command -v perf >/dev/null 2>&1 && HAVE_PERF=1

# count FILE: the samples perf script sees
count() { perf script -i "$1" -F tid 2>/dev/null | wc -l; }
summary_n() { sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err"; }

# ---- a fixed CPU split, command mode -----------------------------------
# /usr/bin/time gives the CPU time the workload really had (the machine
# may be busy with other tests): samples ~ CPU seconds x frequency
if [ -x /usr/bin/time ]; then
	run "$CPERF" record -o split.data -- /usr/bin/time -f '%U %S' -o cpu.txt "$(workload cpusplit)" 1
else
	run "$CPERF" record -o split.data -- "$(workload cpusplit)" 1
fi
expect_rc 0 "record cpusplit"
expect_err "^cperf record: [0-9]+ samples, [0-9]+ lost, [0-9]+ throttled, [0-9]+ bytes written to 'split.data'$" "summary line"
n=$(grep -c "note: 'cycles' is not supported here (no hardware PMU); sampling '[a-z-]*' instead" "$TMPD/err")
if [ "$n" -eq 1 ]; then pass; else fail "the cycles fallback note is printed once (got $n)"; fi
expect_no_err "error|warning" "no errors or warnings"
N=$(summary_n)
cpu=1
[ -s cpu.txt ] && cpu=$(awk '{ print $1 + $2 }' cpu.txt)
# 1 s of one busy thread at the default 4000 Hz (999 Hz would alias with
# cpusplit's ~2 ms rounds); task-clock counts only the time it ran
if awk -v n="${N:-0}" -v c="$cpu" 'BEGIN { e = c * 4000; exit !(n >= 0.6 * e && n <= 1.15 * e + 50) }'; then
	pass
else
	fail "samples of $cpu CPU seconds at 4000 Hz: $N"
fi
[ -s split.data ] && pass || fail "split.data written"
if [ $HAVE_PERF -eq 1 ]; then
	c=$(count split.data)
	if [ "$c" -eq "$N" ]; then pass; else fail "perf script counts $c samples, the summary $N"; fi
	perf script -i split.data -F comm,pid,tid,ip,sym >script.txt 2>script.err
	check "perf script reads the file" [ -s script.txt ]
	awk '$1 != "cpusplit" && $1 != "time" { bad++ } END { exit bad > 0 }' script.txt && pass || fail "every sample's comm is cpusplit"
	awk '{ split($2, a, "/"); if (a[1] != a[2]) bad++ } END { exit bad > 0 }' script.txt && pass || fail "pid == tid"
	perf report -i split.data --stdio --sort sym >report.txt 2>&1
	if grep -q WARNING report.txt; then fail "perf report warns"; grep WARNING report.txt | head -3; else pass; fi
	top=$(grep -v '^#' report.txt | awk 'NF >= 3 { print $NF; exit }')
	if [ "$top" = func_a ]; then pass; else fail "perf report's top symbol is '$top', not func_a"; fi
	# cperf report agrees with perf report on the top symbol
	"$CPERF" report -q -i split.data --no-children --stdio >creport.txt 2>&1
	ctop=$(grep -v '^#' creport.txt | awk 'NF >= 3 { print $NF; exit }')
	if [ "$ctop" = "$top" ]; then pass; else fail "cperf report's top symbol '$ctop', perf report's '$top'"; fi
	a=$(awk '$NF == "func_a"' script.txt | wc -l); c=$(awk '$NF == "func_c"' script.txt | wc -l)
	# 50% vs 20% of the work
	if [ "$c" -gt 0 ] && awk -v a="$a" -v c="$c" 'BEGIN { r = a / c; exit !(r > 1.6 && r < 4) }'; then pass; else fail "func_a/func_c = $a/$c, expected ~2.5"; fi
fi

# ---- -o -: pipe mode on stdout, the command's output moved to stderr ------
"$CPERF" record -F 999 -o - -- "$(workload cpusplit)" 0.3 >pipe.data 2>pipe.err
RC=$?
if [ $RC -eq 0 ]; then pass; else fail "record -o -: exit status $RC"; fi
check "-o -: the command's output is on stderr" grep -q '^cpusplit: [0-9]* rounds' pipe.err
if [ $HAVE_PERF -eq 1 ]; then
	c=$(perf script -i - -F tid <pipe.data 2>/dev/null | wc -l)
	n=$(sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' pipe.err)
	if [ "$c" -gt 0 ] && [ "$c" -eq "${n:-x}" ]; then pass; else fail "-o -: perf script -i - counts $c, the summary $n"; fi
fi

# ---- -q: no notes, no summary; the command's exit status ----------------
run "$CPERF" record -q -o q.data -- sh -c 'exit 3'
expect_rc 3 "the command's exit status"
if [ -s "$TMPD/err" ]; then fail "-q prints nothing"; cat "$TMPD/err"; else pass; fi

# ---- an existing output file is kept as FILE.old -------------------------
echo old >keep.data
run "$CPERF" record -q -o keep.data -- true
expect_rc 0 "record over an existing file"
check "the old file is kept as .old" grep -q old keep.data.old

# ---- errors before anything starts ------------------------------------
run "$CPERF" record -o none.data -e no-such-event -- true
expect_rc 2 "unknown event"
expect_err "^cperf record: .*no-such-event" "unknown event message"
check "no file for an unknown event" [ ! -e none.data ]
run "$CPERF" record -o none.data -- ./no-such-command
expect_rc 127 "nonexistent command"
expect_err "^cperf record: cannot run './no-such-command': No such file or directory$" "nonexistent command message"
check "no file for a nonexistent command" [ ! -e none.data ]
for bad in "--call-graph dwarf,100" "--call-graph dwarf,70000" "--call-graph lbr" \
	"-F 0" "-F 10 -c 100" "-m 3" "-d -1" "-C x" "-p 1 -a" "--frobnicate"; do
	run "$CPERF" record -o none.data $bad -- true
	expect_rc 2 "usage error: $bad"
	expect_one_line_err "usage error: $bad"
done

run "$CPERF" record --call-graph
expect_rc 2 "--call-graph without its argument"
expect_err "^cperf record: option '--call-graph' needs an argument$" "--call-graph without its argument: message"

# ---- -F above the kernel's maximum is clamped with a warning ------------
max=$(cat /proc/sys/kernel/perf_event_max_sample_rate)
run "$CPERF" record -o clamp.data -F $((max * 2)) -- true
expect_rc 0 "-F above the maximum"
expect_err "^cperf record: warning: -F $((max * 2)) is above the kernel's maximum sample rate; using $max " "-F clamped"

# ---- the attr it opens (golden) -------------------------------------------
mkdir dump one
CPERF_ATTR_DUMP="$TMPD/dump" run "$CPERF" record -q -e cpu-clock -F 999 -g -o attr.data -- true
expect_rc 0 "record for the attr dump"
cp dump/attr-0001 one/ 2>/dev/null
# IP|TID|TIME|CALLCHAIN|CPU|PERIOD = 1+2+4+32+128+256
cat >attr.exp <<'EXP'
[attr-0001]
pid = *
type = 1
config = 0
freq = 1
sample_freq = 999
sample_type = 423
sample_id_all = 1
disabled = 1
enable_on_exec = 1
inherit = 1
mmap = 1
mmap2 = 1
comm = 1
comm_exec = 1
task = 1
build_id = 1
use_clockid = 1
clockid = 1
watermark = 1
exclude_callchain_user = 0
result = 0
EXP
attr_check attr.exp one "record -e cpu-clock -F 999 -g attr"
n=$(ls dump | wc -l); c=$(grep -c '^processor' /proc/cpuinfo)
if [ "$n" -eq "$c" ]; then pass; else fail "one attr per CPU: $n dumps for $c CPUs"; fi

# ---- -c: a fixed period ---------------------------------------------------
run "$CPERF" record -q -e task-clock -c 2000000 -o period.data -- "$(workload cpusplit)" 0.3
expect_rc 0 "record -c"
if [ $HAVE_PERF -eq 1 ]; then
	p=$(perf script -i period.data -F period 2>/dev/null | sort -u | tr -d ' ')
	if [ "$p" = 2000000 ]; then pass; else fail "-c 2000000 gives periods '$p'"; fi
fi

# ---- named threads, fork + exec ------------------------------------------
run "$CPERF" record -q -F 999 -o threads.data -- "$(workload threads)" 1
expect_rc 0 "record threads"
cp "$TMPD/out" threads.out
run "$CPERF" record -q -F 999 -o fe.data -- "$(workload forkexec)" 0.5
expect_rc 0 "record forkexec"
if [ $HAVE_PERF -eq 1 ]; then
	l=$(perf script -i threads.data -F comm 2>/dev/null | awk '$1 == "spin-long"' | wc -l)
	s=$(perf script -i threads.data -F comm 2>/dev/null | awk '$1 == "spin-short"' | wc -l)
	# spin-long is busy twice as long as spin-short; on a busy machine the
	# CPU time each had (printed by the workload) is the truth
	want=$(awk '$1 == "spin-long" && $3 == "spin-short" && $4 > 0 { print $2 / $4 }' threads.out)
	[ -n "$want" ] || want=2
	if [ "$s" -gt 0 ] && awk -v l="$l" -v s="$s" -v w="$want" 'BEGIN { r = l / s; exit !(r > 0.75 * w && r < 1.33 * w) }'; then pass; else fail "spin-long/spin-short = $l/$s, expected ~$want"; fi
	perf script -i fe.data -F comm,pid 2>/dev/null | sort -u >fe.txt
	check "the exec'ed child's comm appears" grep -q '^ *fe-child ' fe.txt
	check "the parent's comm appears" grep -q '^ *forkexec ' fe.txt
	pc=$(awk '{ print $2 }' fe.txt | sort -u | wc -l)
	if [ "$pc" -eq 2 ]; then pass; else fail "parent and child have their own pids ($pc)"; fi
fi

# ---- -i: the fork's child is not followed; -m; --call-graph fp ---------------
run "$CPERF" record -q -i -m 16 --call-graph fp -F 999 -o noinh.data -- "$(workload forkexec)" 0.3
expect_rc 0 "record -i -m 16 --call-graph fp"
if [ $HAVE_PERF -eq 1 ]; then
	perf script -i noinh.data -F comm 2>/dev/null | sort -u >noinh.txt
	check "-i: the parent is recorded" grep -q '^ *forkexec' noinh.txt
	if grep -q 'fe-child' noinh.txt; then fail "-i: the child is not followed"; else pass; fi
	check "--call-graph fp records call chains" sh -c "perf evlist -v -i noinh.data 2>/dev/null | grep -q CALLCHAIN"
fi

# ---- dwarf call graphs ----------------------------------------------------
run "$CPERF" record -q --call-graph dwarf,4096 -F 499 -o dwarf.data -- "$(workload cpusplit)" 0.5
expect_rc 0 "record --call-graph dwarf"
if [ $HAVE_PERF -eq 1 ]; then
	perf script -i dwarf.data -F ip,sym 2>/dev/null >dwarf.txt
	# frames under func_a unwound from the stack copy: main is its caller
	n=$(awk 'prev == "func_a" && $NF == "main" { n++ } { prev = $NF } END { print n + 0 }' dwarf.txt)
	if [ "$n" -gt 0 ]; then pass; else fail "dwarf unwinding reaches main from func_a"; fi
fi

done_testing
