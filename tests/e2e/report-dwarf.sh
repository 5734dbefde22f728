#!/bin/sh
# --call-graph dwarf recordings: user stacks are unwound from the copied
# stack, so main (which frame pointers miss above a leaf) is in every stack.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/report-lib.sh"
need_root
cs=$(workload cpusplit)
if ! "$CPERF" record --call-graph dwarf -F 499 -o "$TMPD/dw.data" -- "$cs" 1 >/dev/null 2>"$TMPD/rec.err"; then
	need_cmd perf
	perf record -q --call-graph dwarf -F 499 -o "$TMPD/dw.data" -- "$cs" 1 >/dev/null 2>&1 ||
		hard_error "cannot record with --call-graph dwarf"
fi

run "$CPERF" report -i "$TMPD/dw.data" --folded
expect_rc 0 "--folded"
expect_out "^cpusplit;.*;main;func_a [0-9]+$" "main above func_a"
expect_out "^cpusplit;.*;main;func_c [0-9]+$" "main above func_c"
total=$(folded_sum "$TMPD/out")
with_main=$(awk '$1 ~ /;main;func_[abc]$/ { s += $2 } END { print s + 0 }' "$TMPD/out")
in_funcs=$(awk '$1 ~ /;func_[abc]$/ { s += $2 } END { print s + 0 }' "$TMPD/out")
check "every func_a/b/c stack has main ($with_main of $in_funcs)" [ "$with_main" -eq "$in_funcs" ]
check "samples in func_a/b/c ($in_funcs of $total)" [ "$in_funcs" -gt $((total / 2)) ]

run "$CPERF" report -i "$TMPD/dw.data" --top 0
m=$(cum_of main "$TMPD/out")
within "${m:-0}" 100 10 "main's cum%"
expect_no_err "AddressSanitizer|runtime error" "clean run"
done_testing
