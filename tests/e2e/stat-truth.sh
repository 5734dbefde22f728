#!/bin/sh
# cperf stat against ground truth and against perf stat: page faults, context
# switches and task-clock of workloads with known answers.
. "$top_srcdir/tests/e2e/lib.sh"

W=$(workload statwork)
HAVE_PERF=1
command -v perf >/dev/null 2>&1 || HAVE_PERF=0
[ "$HAVE_PERF" -eq 1 ] || echo "note: perf is not installed; comparisons with perf are skipped"

# csv_val FILE EVENT: the counter value of EVENT in a CSV (-x,) file, parsed
# with a real CSV parser; empty when missing or not a number.
csv_val() {
	python3 - "$1" "$2" <<'EOF'
import csv, sys
for row in csv.reader(open(sys.argv[1])):
    if len(row) >= 3 and row[2] == sys.argv[2]:
        try:
            print(float(row[0]))
        except ValueError:
            pass
        break
EOF
}

# rel_within A B PCT DESCRIPTION: |A-B| <= PCT% of B
rel_within() {
	if awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= b * p / 100) }'; then
		pass
	else
		fail "$4: $1 vs $2 (tolerance $3%)"
	fi
}

# ---- page faults: N fresh pages ------------------------------------------
N=10000
run "$CPERF" stat -x, -e page-faults,task-clock -- "$W" pages $N
expect_rc 0 "pages workload"
cp "$TMPD/err" "$TMPD/pf.csv"
PF=$(csv_val "$TMPD/pf.csv" page-faults)
check "page-faults is a number ($PF)" test -n "$PF"
PF=${PF:-0}
check "page-faults $PF >= $N" awk -v a="$PF" -v n=$N 'BEGIN { exit !(a >= n) }'
check "page-faults $PF < $N + 2000 (not wildly over)" awk -v a="$PF" -v n=$N 'BEGIN { exit !(a < n + 2000) }'
if [ "$HAVE_PERF" -eq 1 ]; then
	perf stat -x, -o "$TMPD/perf-pf.csv" -e page-faults -- "$W" pages $N >/dev/null 2>&1
	PPF=$(csv_val "$TMPD/perf-pf.csv" page-faults)
	rel_within "$PF" "${PPF:-0}" 1 "page-faults within 1% of perf's"
fi

# ---- context switches: N pipe round trips ---------------------------------
N=3000
run "$CPERF" stat -x, -e context-switches -- "$W" pingpong $N
expect_rc 0 "pingpong workload"
cp "$TMPD/err" "$TMPD/cs.csv"
CS=$(csv_val "$TMPD/cs.csv" context-switches)
CS=${CS:-0}
# each trip blocks the parent and the child once: 2N, a little less when a
# reply arrives before the reader sleeps
check "context-switches $CS >= 1.8 * $N" awk -v a="$CS" -v n=$N 'BEGIN { exit !(a >= 1.8 * n) }'
check "context-switches $CS < 3 * $N" awk -v a="$CS" -v n=$N 'BEGIN { exit !(a < 3 * n) }'
if [ "$HAVE_PERF" -eq 1 ]; then
	perf stat -x, -o "$TMPD/perf-cs.csv" -e context-switches -- "$W" pingpong $N >/dev/null 2>&1
	PCS=$(csv_val "$TMPD/perf-cs.csv" context-switches)
	rel_within "$CS" "${PCS:-0}" 1 "context-switches within 1% of perf's"
fi

# without inheritance only the parent's switches count (about half)
run "$CPERF" stat -x, -i -e context-switches -- "$W" pingpong $N
expect_rc 0 "pingpong workload with -i"
cp "$TMPD/err" "$TMPD/cs-i.csv"
CSI=$(csv_val "$TMPD/cs-i.csv" context-switches)
CSI=${CSI:-0}
check "-i: context-switches $CSI about N ($N)" awk -v a="$CSI" -v n=$N 'BEGIN { exit !(a >= 0.9 * n && a <= 1.5 * n) }'

# ---- task-clock: 0.5 s of CPU ----------------------------------------------
run "$CPERF" stat -x, -e task-clock -- "$W" spin 500
expect_rc 0 "spin workload"
cp "$TMPD/err" "$TMPD/tc.csv"
TC=$(csv_val "$TMPD/tc.csv" task-clock) # msec
TC=${TC:-0}
SELF=$(awk '{ print $1 / 1e6 }' "$TMPD/out") # the workload's own CPU time, msec
rel_within "$TC" "$SELF" 5 "task-clock within 5% of the workload's own CPU time"
if [ "$HAVE_PERF" -eq 1 ]; then
	perf stat -x, -o "$TMPD/perf-tc.csv" -e task-clock -- "$W" spin 500 >/dev/null 2>&1
	PTC=$(csv_val "$TMPD/perf-tc.csv" task-clock)
	rel_within "$TC" "${PTC:-0}" 5 "task-clock within 5% of perf's"
fi

done_testing
