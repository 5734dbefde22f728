#!/bin/sh
# A canned recording (tests/fixtures/report) gives exactly the expected
# --top and --folded output: symbols, inline frames and values are fixed.
. "$top_srcdir/tests/e2e/lib.sh"
fx="$top_srcdir/tests/fixtures/report"

run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --top
expect_rc 0 "--top on the fixture"
grep -v '^# cperf report:' "$TMPD/out" >"$TMPD/top"
if diff -u "$fx/fixture-top.txt" "$TMPD/top"; then pass; else fail "--top differs from fixture-top.txt"; fi

run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --folded
expect_rc 0 "--folded on the fixture"
if diff -u "$fx/fixture-folded.txt" "$TMPD/out"; then pass; else fail "--folded differs from fixture-folded.txt"; fi

# without the debug files: object+offset frames, counted in the header
run "$CPERF" report -q -i "$fx/fixture.data" --top
expect_out "^# unsymbolized frames: 100\.00% \(2586 of 2586\)" "unsymbolized frames counted"
expect_out "report-fixture\+0x103b$" "unresolved frames as object+0xOFFSET"

# --tree: run_round's callees with exact shares
run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --tree
expect_out "^ +431ms +50\.00% \|   work_a$" "run_round -> work_a 50%"
expect_out "^ +144ms +16\.71% \|   work_c$" "run_round -> work_c 16.71%"
# --list of the inline function: its loop line carries all the time
# (the recorded source path is this machine's: --source-path finds the copy)
run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --list '^spin$' \
	--source-path "$TMPD/none:$fx"
expect_out "^ROUTINE =+ spin in .*fixture\.c$" "--list of the inline function"
expect_out "^ +862ms +862ms +14:.*x = x \*" "spin's hot line, with its source"
expect_out "^ +\. +\. +16:}$" "lines around it"
run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --list '^work_b$' \
	--source-path "$TMPD/none"
expect_out "^ +\. +287ms +23:" "work_b's line: cum only (source found or not)"
# the table
run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --sort sym
expect_out "^ +50\.00% +50\.00%  \[\.\] work_a$|^ +50\.00% +0\.00%  \[\.\] work_a$" "table row of work_a"
run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" -s sym --no-children
expect_out "^ +100\.00%  \[\.\] spin$" "-s sym, --no-children: spin has all the self time"
done_testing
