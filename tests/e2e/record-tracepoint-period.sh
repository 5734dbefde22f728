#!/bin/sh
# Tracepoints sample every hit, as perf's do: a recording of N getpid calls
# under syscalls:sys_enter_getpid holds exactly N samples (cperf report and
# perf script count them), file mode and pipe mode; -F, -c and a period=
# term still apply (attr goldens tests/fixtures/attr/record-tp*.attr).
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/attr-lib.sh"
need_root
cd "$TMPD" || hard_error "no temporary directory"
FIX="$top_srcdir/tests/fixtures/attr"
TP=syscalls:sys_enter_getpid
N=500
GP=$(workload getpids)

"$CPERF" list "$TP" >list.txt 2>list.err
grep -q "^$TP" list.txt ||
	skip "tracepoint $TP does not exist here: $(head -1 list.err)"

# cperf report's sample count for the event
cperf_n() {
	"$CPERF" report -i "$1" --stdio 2>/dev/null |
		sed -n "s/^# event: $TP (count), \([0-9]*\) samples\$/\1/p"
}

# ---- the attrs (golden) ----------------------------------------------------
# attr_record NAME EXPECTED DESCRIPTION ARGS...: the first attr opened
attr_record() {
	local name=$1 exp=$2 desc=$3 d
	shift 3
	d=$(attr_dir "$name")
	CPERF_ATTR_DUMP=$d run "$CPERF" record -q -o "$name.data" "$@" -- true
	expect_rc 0 "record $*"
	mkdir -p "$d.one"
	cp "$d/attr-0001" "$d.one/" 2>/dev/null
	attr_check "$FIX/$exp" "$d.one" "$desc"
}
attr_record tp record-tp.attr "a tracepoint: every hit" -e "$TP"
attr_record tpF record-tp-freq.attr "a tracepoint with -F 99" -e "$TP" -F 99
attr_record tpc record-tp-count.attr "a tracepoint with -c 3" -e "$TP" -c 3
attr_record tpt record-tp-term.attr "a tracepoint with period=7 and -F 99" -e "$TP/period=7/" -F 99
# other events keep the frequency next to a tracepoint
d=$(attr_dir mixed)
CPERF_ATTR_DUMP=$d run "$CPERF" record -q -o mixed.data -e "cpu-clock,$TP" -- true
expect_rc 0 "record cpu-clock,$TP"
if grep -q '^freq = 1$' "$d"/attr-* && grep -q '^sample_freq = 4000$' "$d"/attr-*; then pass; else
	fail "cpu-clock next to a tracepoint keeps freq 4000"
fi

# ---- every hit is a sample -----------------------------------------------
run "$CPERF" record -e "$TP" -o gp.data -- "$GP" $N
expect_rc 0 "record $TP -- getpids $N"
expect_err "^cperf record: $N samples, 0 lost" "the summary counts $N samples"
n=$(cperf_n gp.data)
if [ "${n:-x}" = $N ]; then pass; else fail "cperf report counts ${n:-no} samples, expected $N"; fi

"$CPERF" record -q -e "$TP" -o - -- "$GP" $N >gp-pipe.data 2>"$TMPD/err"
RC=$?
expect_rc 0 "record -o - $TP -- getpids $N"
n=$(cperf_n gp-pipe.data)
if [ "${n:-x}" = $N ]; then pass; else fail "pipe mode: cperf report counts ${n:-no} samples, expected $N"; fi

if command -v perf >/dev/null 2>&1; then
	for f in gp.data gp-pipe.data; do
		c=$(perf script -i "$f" -F event 2>"$f.err" | grep -c "$TP")
		if [ "$c" -eq $N ] && [ ! -s "$f.err" ]; then pass; else
			fail "$f: perf script prints $c samples of $TP, expected $N"
			head -3 "$f.err" | sed 's/^/  stderr: /'
		fi
	done
else
	echo "perf not installed: skipping perf script's count"
fi

# ---- a fixed period samples every PERIOD-th hit ------------------------------
# (with PERF_SAMPLE_PERIOD in the samples the kernel would report every hit
# of a tracepoint or software event: cperf asks for it in frequency mode only)
run "$CPERF" record -e "$TP" -c 10 -o gp10.data -- "$GP" $N
expect_rc 0 "record $TP -c 10 -- getpids $N"
n=$(cperf_n gp10.data)
if [ "${n:-x}" = $((N / 10)) ]; then pass; else
	fail "-c 10: cperf report counts ${n:-no} samples, expected $((N / 10))"
fi
SW=$(workload statwork)
run "$CPERF" record -e page-faults -c 1000 -o pf.data -- "$SW" pages 20000
expect_rc 0 "record -e page-faults -c 1000 -- statwork pages 20000"
n=$("$CPERF" report -i pf.data --stdio 2>/dev/null |
	sed -n 's/^# event: page-faults (count), \([0-9]*\) samples$/\1/p')
if [ -n "$n" ] && [ "$n" -ge 18 ] && [ "$n" -le 25 ]; then pass; else
	fail "page-faults -c 1000 over ~20,000 faults: ${n:-no} samples, expected ~20"
fi

done_testing
