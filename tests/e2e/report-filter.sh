#!/bin/sh
# Filters on a recording of two processes: --comm, --pid and --tid keep one
# process's samples, --cpu splits them, --dso keeps samples in one object.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/report-lib.sh"
need_root
cs=$(workload cpusplit)
ri=$(workload report-inline)
rec "$TMPD/two.data" sh -c "\"$cs\" 1.5 >/dev/null & \"$ri\" 1.5 >/dev/null; wait" ||
	{ cat "$TMPD/rec.err"; hard_error "cannot record two processes"; }

count() { # count ARGS...: the samples kept by a report with ARGS
	"$CPERF" report -q -i "$TMPD/two.data" --top "$@" >"$TMPD/c.out" 2>/dev/null
	samples_of "$TMPD/c.out"
}
all=$(count)
n_cs=$(count --comm cpusplit)
n_ri=$(count --comm report-inline)
check "samples recorded ($all)" [ "${all:-0}" -gt 100 ]
check "--comm cpusplit keeps some ($n_cs)" [ "${n_cs:-0}" -gt 0 ]
check "--comm report-inline keeps some ($n_ri)" [ "${n_ri:-0}" -gt 0 ]
check "each --comm is part of the total" test "$n_cs" -lt "$all" -a "$n_ri" -lt "$all"
check "the two --comm are disjoint" [ $((n_cs + n_ri)) -le "$all" ]
check "--comm a,b keeps both" [ "$(count --comm cpusplit,report-inline)" -eq $((n_cs + n_ri)) ]
run "$CPERF" report -i "$TMPD/two.data" --top 0 --comm cpusplit
check "--comm cpusplit: no report-inline function" [ "$(grep -c 'hot_helper$' "$TMPD/out")" -eq 0 ]
expect_out "filters" "the header counts samples left out"
run "$CPERF" report -i "$TMPD/two.data" --folded --comm report-inline
check "--comm report-inline: folded lines are its own" [ "$(grep -cv '^report-inline;' "$TMPD/out")" -eq 0 ]
check "--comm: folded sums to the filtered total" [ "$(folded_sum "$TMPD/out")" -eq "$n_ri" ]

# the pid of cpusplit from --sort pid
"$CPERF" report -q -i "$TMPD/two.data" --sort pid --no-children >"$TMPD/pids" 2>/dev/null
pid=$(sed -n 's/.*% *\([0-9][0-9]*\):cpusplit.*/\1/p' "$TMPD/pids" | head -1)
if [ -n "$pid" ]; then
	pass
	n_pid=$(count --pid "$pid")
	# the forked shell child runs as "sh" before its exec: pid >= comm
	check "--pid keeps cpusplit's samples ($n_pid vs $n_cs)" test "$n_pid" -ge "$n_cs" -a "$n_pid" -lt "$all"
	check "--tid of a single thread = --pid" [ "$(count --tid "$pid")" -eq "$n_pid" ]
	check "--pid of nothing keeps nothing" [ "$(count --pid 1)" -eq 0 ]
else
	fail "no pid:cpusplit row in --sort pid"
	head "$TMPD/pids"
fi

c0=$(count --cpu 0)
c_rest=$(count --cpu 1-4095)
check "--cpu splits the samples ($c0 + $c_rest = $all)" [ $((c0 + c_rest)) -eq "$all" ]

n_dso=$(count --dso report-inline)
check "--dso keeps samples in the object ($n_dso <= $n_ri)" test "$n_dso" -gt 0 -a "$n_dso" -le "$n_ri"
check "--dsos is --dso" [ "$(count --dsos report-inline)" -eq "$n_dso" ]
done_testing
