#!/bin/sh
# cperf stat's output formats read by real parsers: CSV (python csv), JSON
# (python json), intervals (-I, --interval-count), -r statistics.
. "$top_srcdir/tests/e2e/lib.sh"

need_cmd python3
W=$(workload statwork)

# ---- CSV: perf's seven fields ---------------------------------------------
run "$CPERF" stat -x, -e task-clock,page-faults,context-switches,cycles -- "$W" pages 3000
expect_rc 0 "-x,"
cp "$TMPD/err" "$TMPD/stat.csv"
check "CSV parses with 7 fields per row and sane values" python3 - "$TMPD/stat.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 4, rows
by = {r[2]: r for r in rows}
for r in rows:
    assert len(r) == 7, r
tc = by["task-clock"]
assert tc[1] == "msec" and float(tc[0]) > 0 and int(tc[3]) > 0 and float(tc[4]) == 100.0
assert tc[6] == "CPUs utilized" and float(tc[5]) > 0
pf = by["page-faults"]
assert pf[1] == "" and int(pf[0]) >= 3000 and pf[6].endswith("/sec"), pf
# cycles: counted, or <not supported> on a machine without a PMU
cy = by["cycles"]
assert cy[0] == "<not supported>" or float(cy[0]) > 0, cy
EOF

# ---- JSON: one object per row ----------------------------------------------
run "$CPERF" stat -j -e task-clock,page-faults,cycles -- "$W" pages 3000
expect_rc 0 "-j"
cp "$TMPD/err" "$TMPD/stat.json"
check "JSON rows parse with perf's keys" python3 - "$TMPD/stat.json" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(rows) == 3, rows
keys = {"counter-value", "unit", "event", "event-runtime", "pcnt-running", "metric-value", "metric-unit"}
for r in rows:
    assert keys <= set(r), r
by = {r["event"]: r for r in rows}
assert float(by["task-clock"]["counter-value"]) > 0 and by["task-clock"]["unit"] == "msec"
assert by["task-clock"]["metric-unit"] == "CPUs utilized"
assert float(by["page-faults"]["counter-value"]) >= 3000
assert by["cycles"]["counter-value"] == "<not supported>" or float(by["cycles"]["counter-value"]) > 0
EOF

# ---- the same layout as perf's CSV and JSON ----------------------------------
if command -v perf >/dev/null 2>&1; then
	EVS=task-clock,page-faults,cpu-migrations,cycles
	"$CPERF" stat -x, -e $EVS -- "$W" pages 500 2>"$TMPD/c.csv" >/dev/null
	perf stat -x, -e $EVS -- "$W" pages 500 2>"$TMPD/p.csv" >/dev/null
	check "CSV rows line up with perf's (fields, events, units, metric units)" python3 - "$TMPD/c.csv" "$TMPD/p.csv" <<'EOF2'
import csv, sys
c = [r for r in csv.reader(open(sys.argv[1])) if r]
p = [r for r in csv.reader(open(sys.argv[2])) if r and not r[0].startswith("#")]
assert len(c) == len(p), (c, p)
for a, b in zip(c, p):
    assert len(a) == len(b), (a, b)
    assert a[1:3] == b[1:3], (a, b)              # unit, event
    assert a[0].startswith("<") == b[0].startswith("<"), (a, b)
    if a[2] in ("task-clock", "cycles", "cpu-migrations"):
        assert a[6] == b[6], (a, b)              # metric unit
EOF2
	"$CPERF" stat -j -e $EVS -- "$W" pages 500 2>"$TMPD/c.json" >/dev/null
	perf stat -j -e $EVS -- "$W" pages 500 2>"$TMPD/p.json" >/dev/null
	check "JSON rows have perf's keys" python3 - "$TMPD/c.json" "$TMPD/p.json" <<'EOF2'
import json, sys
c = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
p = [json.loads(l) for l in open(sys.argv[2]) if l.strip().startswith("{")]
assert len(c) == len(p), (c, p)
for a, b in zip(c, p):
    assert set(a) == set(b), (sorted(a), sorted(b))
    assert a["event"] == b["event"] and a["unit"] == b["unit"], (a, b)
EOF2
else
	echo "note: perf is not installed; the layout comparison is skipped"
fi

# ---- -I with --interval-count: exactly N intervals -------------------------
run "$CPERF" stat -I 100 --interval-count 3 -e task-clock,page-faults -- "$W" spin 5000
expect_rc 0 "-I 100 --interval-count 3 (the command is stopped)"
expect_err '^#.*time.*counts.*events' "interval header"
n=$(grep -Ec '^ +[0-9]+\.[0-9]{9} .*task-clock' "$TMPD/err")
check "3 task-clock interval rows (got $n)" test "$n" -eq 3
check "interval timestamps increase" awk '/task-clock/ { if ($1 <= last) exit 1; last = $1 } END { exit !(NR > 0) }' "$TMPD/err"
check "interval task-clock rows are deltas (1..150 ms)" awk '/task-clock/ && $2 + 0 >= 1 && $2 + 0 <= 150 { n++ } END { exit !(n >= 2) }' "$TMPD/err"
expect_no_err "Performance counter stats" "no summary in interval mode"

run "$CPERF" stat -I 50 --interval-count 3 -x, -e task-clock -a
expect_rc 0 "-I -x, -a without a command"
check "CSV intervals parse" python3 - "$TMPD/err" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 3, rows
ts = [float(r[0]) for r in rows]
assert ts == sorted(ts) and ts[0] > 0.03 and ts[2] < 5, ts
assert all(r[3] == "task-clock" and len(r) == 8 for r in rows), rows
EOF

run "$CPERF" stat -I 50 --interval-count 2 -j -e cpu-clock -a -A
expect_rc 0 "-I -j -a -A"
check "JSON intervals with cpu keys" python3 - "$TMPD/err" <<'EOF'
import json, os, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ncpu = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
assert len(rows) >= 2 and all("interval" in r and "cpu" in r for r in rows), rows
assert len({r["interval"] for r in rows}) == 2
assert all(r["cpu"].isdigit() for r in rows), rows
EOF

# a command that ends before the count: the last partial interval is printed
run "$CPERF" stat -I 100 --interval-count 50 -e task-clock -- "$W" spin 250
expect_rc 0 "-I with a short command"
n=$(grep -c 'task-clock' "$TMPD/err")
check "a short command stops the intervals ($n rows)" test "$n" -ge 1 -a "$n" -lt 40

# ---- -r: means and +- --------------------------------------------------------
run "$CPERF" stat -r 3 -e task-clock,page-faults -- "$W" pages 1000
expect_rc 0 "-r 3"
expect_err "^ Performance counter stats for '.*statwork pages 1000' \(3 runs\):$" "-r header"
expect_err '^ +[0-9.,]+ msec task-clock .*\( \+- +[0-9]+\.[0-9]{2}% \)$' "-r: task-clock with +-"
expect_err '^ +[0-9,]+ +page-faults .*\( \+- +[0-9]+\.[0-9]{2}% \)$' "-r: page-faults with +-"
expect_err '^ +[0-9.]+ \+- [0-9.]+ seconds time elapsed  \( \+- +[0-9.]+% \)$' "-r: elapsed with +-"
run "$CPERF" stat -r 2 -x, -e page-faults -- "$W" pages 1000
check "-r CSV: the variance field" python3 - "$TMPD/err" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len(rows) == 1 and len(rows[0]) == 8 and rows[0][3].endswith("%"), rows
assert int(rows[0][0]) >= 1000
EOF
run "$CPERF" stat -r 2 -j -e page-faults -- "$W" pages 1000
check "-r JSON: the variance key" python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); assert "variance" in r' "$TMPD/err"
run "$CPERF" stat -r 3 -e task-clock -- "$W" exit 5
expect_rc 5 "-r passes the command's status through"

done_testing
