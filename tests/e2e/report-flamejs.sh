#!/bin/sh
# The flame graph's script, run in node against a stand-in DOM on the
# fixture's graph: labels fitted, click zooms a frame to the full width and
# hides unrelated ones, search reports the matched share, hover shows the
# value and share, reset restores the graph. Skipped without node.
. "$top_srcdir/tests/e2e/lib.sh"
need_cmd node
fx="$top_srcdir/tests/fixtures/report"
run "$CPERF" report -q -i "$fx/fixture.data" --debug-dir "$fx/debug" --flamegraph "$TMPD/fx.svg"
expect_rc 0 "--flamegraph on the fixture"
run node "$top_srcdir/tests/e2e/report-flame-dom.js" "$TMPD/fx.svg" work_a 'work_[ab]'
expect_rc 0 "the script runs"
expect_out '^frames 10 label0 \["all","report-fixture","_start","run_round",' "frames and labels"
expect_out '^zoomed x 10 w 1180 hidden 4 reset opacity 1$' "click zooms work_a to the full width"
expect_out '^Matched: 83\.29%$' "search shows the matched share"
expect_out '^details: work_a \(431ms, 50\.00%\)$' "hover shows value and share"
expect_out '^after reset hidden 0 w 590$' "reset restores the graph"
done_testing
