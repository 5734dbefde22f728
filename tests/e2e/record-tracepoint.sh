#!/bin/sh
# Tracepoint recordings read by perf: cperf stores the tracefs formats
# (HEADER_TRACING_DATA), so perf report and perf script read them without a
# word on stderr and count the samples cperf report counts, file mode and
# pipe mode; without tracefs formats record warns and still succeeds.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
need_cmd perf
cd "$TMPD" || hard_error "no temporary directory"

# tracefs, mounted by cperf when it is not (as root)
"$CPERF" list 'sched:sched_switch' >list.txt 2>list.err
grep -q '^sched:sched_switch' list.txt ||
	skip "tracefs is unavailable: $(head -1 list.err)"
TFS=
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -r "$d/events/sched/sched_switch/id" ] && { TFS=$d; break; }
done
[ -n "$TFS" ] || skip "tracefs is unavailable: no events/sched/sched_switch/id"

EV=sched:sched_switch,sched:sched_process_exec
[ -r "$TFS/events/syscalls/sys_enter_getpid/id" ] && EV=$EV,syscalls:sys_enter_getpid
# a workload that execs (sched_process_exec) and sleeps (sched_switch)
WL="/bin/true; /bin/true; sleep 0.05"

# cperf's count of samples per event: "NAME COUNT" lines, sorted
cperf_counts() {
	"$CPERF" report -i "$1" --stdio 2>/dev/null |
		sed -n 's/^# event: \([^ ]*\) (count), \([0-9]*\) samples$/\1 \2/p' | sort
}
# perf script's, in the same form
perf_counts() {
	perf script -i "$1" -F event 2>/dev/null | awk '{ sub(/:$/, "", $1); n[$1]++ }
		END { for (e in n) print e, n[e] }' | sort
}
summary_n() { sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err"; }

# perf_reads FILE WHAT: perf report and perf script exit 0 with nothing on
# stderr, and count the samples cperf counts, event by event
perf_reads() {
	local f=$1 what=$2 n c p
	perf report -i "$f" --stdio >"$f.report" 2>"$f.report.err"
	if [ $? -eq 0 ] && [ ! -s "$f.report.err" ]; then pass; else
		fail "$what: perf report"; head -5 "$f.report.err" | sed 's/^/  stderr: /'
	fi
	perf_script_reads "$f" "$what"
}
perf_script_reads() {
	local f=$1 what=$2 n c p
	perf script -i "$f" >"$f.script" 2>"$f.script.err"
	if [ $? -eq 0 ] && [ ! -s "$f.script.err" ]; then pass; else
		fail "$what: perf script"; head -5 "$f.script.err" | sed 's/^/  stderr: /'
	fi
	n=$("$CPERF" report -i "$f" --stdio 2>/dev/null | sed -n 's/^# samples: \([0-9]*\),.*/\1/p')
	c=$(wc -l <"$f.script")
	if [ -n "$n" ] && [ "$c" -eq "$n" ] && [ "$c" -gt 0 ]; then pass; else
		fail "$what: perf script prints $c samples, cperf report counts ${n:-none}"
	fi
	c=$(cperf_counts "$f")
	p=$(perf_counts "$f")
	if [ "$c" = "$p" ]; then pass; else
		fail "$what: samples per event: cperf '$(echo $c)', perf '$(echo $p)'"
	fi
}

# ---- file mode, command --------------------------------------------------
run "$CPERF" record -e "$EV" -o cmd.data -- sh -c "$WL"
expect_rc 0 "record $EV"
expect_no_err "warning|error" "no warnings"
perf_reads cmd.data "file mode"
N=$(summary_n)
c=$(wc -l <cmd.data.script)
if [ "$c" -eq "${N:-x}" ]; then pass; else fail "perf script prints $c samples, the summary $N"; fi
# the formats decode the raw data: perf prints the fields by name
if grep -q 'sched:sched_process_exec: filename=/bin/true pid=' cmd.data.script; then pass; else
	fail "perf script decodes sched_process_exec"; grep exec cmd.data.script | head -3
fi
if grep -q 'sched:sched_switch: prev_comm=.* ==> next_comm=' cmd.data.script; then pass; else
	fail "perf script decodes sched_switch"; head -3 cmd.data.script
fi
grep -q '^# Samples: .* of event .sched:sched_switch.$' cmd.data.report && pass ||
	fail "perf report names the event"

# ---- the command: system-wide ------------------------------------
run "$CPERF" record -e sched:sched_switch -a -o sys.data -- sleep 0.3
expect_rc 0 "record -a sched:sched_switch"
perf_reads sys.data "system-wide"

# ---- pipe mode (the formats come before the first sample) ----------------
"$CPERF" record -e "$EV" -o - -- sh -c "$WL" >pipe.data 2>"$TMPD/err"
RC=$?
expect_rc 0 "record -o - $EV"
expect_no_err "warning|error" "pipe mode: no warnings"
perf_reads pipe.data "pipe mode"
c=$(perf script -i - <pipe.data 2>/dev/null | wc -l)
if [ "$c" -eq "$(wc -l <pipe.data.script)" ]; then pass; else fail "perf script from a pipe: $c samples"; fi

# ---- no formats: a warning, a file cperf still reads ---------------------
# a tracefs tree with the real id (the event opens) but no header or format
mkdir -p fake/events/sched/sched_switch
cp "$TFS/events/sched/sched_switch/id" fake/events/sched/sched_switch/id
CPERF_TRACEFS=$TMPD/fake run "$CPERF" record -e sched:sched_switch -o nofmt.data -- sh -c "$WL"
expect_rc 0 "record without the formats"
expect_err "^cperf record: warning: cannot store the tracepoint formats \(.*\): perf will not read 'nofmt.data' \(cperf will\)$" \
	"the warning"
n=$(grep -c warning "$TMPD/err")
if [ "$n" -eq 1 ]; then pass; else fail "one warning line (got $n)"; fi
run "$CPERF" report -i nofmt.data --stdio
expect_rc 0 "cperf report reads it"
expect_out "^# event: sched:sched_switch \(count\), [0-9]+ samples$" "cperf report counts its samples"

done_testing
