#!/bin/sh
# --event: one event of a recording with several, in every view; --folded
# and --flamegraph otherwise take the first. An unknown name is an error
# that lists the names the recording has.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
cd "$TMPD" || hard_error "no temporary directory"

# page faults sampled every 10th (a fixed period): 20,000 pages touched
run "$CPERF" record -q -g -e cpu-clock -e page-faults/period=10/ -o two.data -- \
	"$(workload statwork)" pages 20000
expect_rc 0 "record two events"

run "$CPERF" report -i two.data --event nope
expect_rc 1 "--event with a name the recording lacks"
expect_one_line_err "--event nope"
expect_err "has no event 'nope' \(it has: cpu-clock, page-faults" "the error lists the events"

run "$CPERF" report -i two.data --event ""
expect_rc 2 "--event with an empty name"

# the table: one section, that event's (the header still lists the file's)
run "$CPERF" report -i two.data --event page-faults --stdio
expect_rc 0 "table of page-faults"
expect_out "^# Samples: [0-9]+ of event 'page-faults'" "the page-faults section"
if grep -q "of event 'cpu-clock'" out; then fail "cpu-clock's section shown with --event page-faults"; else pass; fi

# --folded: page-faults' stacks (sample counts), not cpu-clock's; with a
# period of 10 they are a tenth of --top's total, the faults of 20,000 pages
run "$CPERF" report -i two.data --event page-faults --folded
expect_rc 0 "--folded --event page-faults"
sum=$(awk '{ s += $NF } END { print s + 0 }' out)
"$CPERF" report -i two.data --event page-faults --top >top.txt 2>/dev/null
total=$(sed -n 's/^Showing nodes accounting for .* of \([0-9]*\) total$/\1/p' top.txt)
if [ -n "$total" ] && [ $((sum * 10)) -eq "$total" ]; then pass; else
	fail "--folded sums to $sum samples, --top's total is ${total:-missing} (period 10)"
fi
if [ "${total:-0}" -ge 19000 ] && [ "${total:-0}" -le 22000 ]; then pass; else
	fail "page-faults over 20,000 touched pages: ${total:-missing}"
fi
expect_out "pages" "the folded stacks end in statwork's pages()"

run "$CPERF" report -i two.data --folded
expect_rc 0 "--folded without --event"
first=$(awk '{ s += $NF } END { print s + 0 }' out)
if [ "$first" -ne "$sum" ]; then pass; else fail "--folded without --event gave page-faults' values too"; fi

# nothing left of the chosen event: an error, and no file
run "$CPERF" report -i two.data --event page-faults --comm no-such-comm --flamegraph none.svg
expect_rc 1 "--event with every sample filtered out"
expect_one_line_err "--event with every sample filtered out"
expect_err "event 'page-faults' has no samples" "the error says the event has no samples"
check "no flame graph file for nothing" test ! -e none.svg

# --flamegraph of the chosen event
run "$CPERF" report -i two.data --event page-faults --flamegraph two.svg
expect_rc 0 "--flamegraph --event page-faults"
check "the flame graph was written" test -s two.svg
done_testing
