#!/bin/sh
# --call-graph dwarf recordings made by perf read by cperf report and
# cperf convert, and converted dwarf profiles read by go tool pprof: the
# 50/30/20 split of dwarf-split comes through each.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/report-lib.sh"
. "$top_srcdir/tests/e2e/dwarf-lib.sh"
need_root
ds=$(workload dwarf-split)
CHECKER="$top_builddir/tests/unit/pprof-check"
HAVE_GO=0
command -v go >/dev/null 2>&1 && HAVE_GO=1
HAVE_PERF=0
command -v perf >/dev/null 2>&1 && HAVE_PERF=1
[ $HAVE_GO -eq 1 ] || [ $HAVE_PERF -eq 1 ] || skip "needs perf or go (neither is installed)"
cd "$TMPD" || hard_error "cannot enter $TMPD"

# pprof_split PROFILE: go tool pprof -top -cum on PROFILE into $TMPD/out
pprof_top() { run go tool pprof -top -cum -symbolize=none "$1"; }

# ---- perf's recordings ---------------------------------------------------------
if [ $HAVE_PERF -eq 1 ]; then
	for attempt in 1 2 3; do
		perf record -q --call-graph dwarf -e task-clock -F 999 -o perf.data -- "$ds" 2 \
			>/dev/null 2>rec.err || { cat rec.err; hard_error "perf record --call-graph dwarf failed"; }
		run "$CPERF" report -i perf.data --top 0 --percent-limit 0
		split_ok "$TMPD/out" && break
	done
	cp "$TMPD/out" top
	expect_rc 0 "cperf report on perf's dwarf recording"
	check "perf's recording: func_a/b/c cum% within 3 points of 50/30/20 (attempt $attempt)" \
		split_ok top
	set -- $(unwind_counts top)
	check "perf's recording: the header counts unwound stacks ($*)" [ $# -eq 3 ]
	check "perf's recording: stacks were unwound (${1:-0})" [ "${1:-0}" -gt 0 ]
	check "perf's recording: [unwind failed] is rare (${3:-?} of ${1:-?})" \
		[ "${3:-1}" -le $((${1:-0} / 50 + 2)) ]
	run "$CPERF" report -i perf.data --folded
	check "perf's recording: libc's qsort frames unwind to their callers" libc_ok "$TMPD/out"
	run "$CPERF" convert -q -i perf.data -o perf.pb.gz
	expect_rc 0 "cperf convert on perf's dwarf recording"
	if [ -x "$CHECKER" ]; then check "perf's recording: the profile obeys pprof's rules" "$CHECKER" perf.pb.gz; fi
	if [ $HAVE_GO -eq 1 ]; then
		pprof_top perf.pb.gz
		expect_rc 0 "go tool pprof on perf's recording converted"
		check "perf's recording via pprof: the split" split_ok "$TMPD/out"
	fi
	expect_no_err "AddressSanitizer|runtime error|LeakSanitizer" "clean convert"
else
	echo "note: perf is not installed: its recordings are not checked"
fi

# ---- cperf's recordings through go tool pprof ----------------------------------
if [ $HAVE_GO -eq 1 ]; then
	for attempt in 1 2 3; do
		"$CPERF" record -q --call-graph dwarf -F 1999 -o dw.data -- "$ds" 2 >/dev/null 2>rec.err ||
			{ cat rec.err; hard_error "cperf record --call-graph dwarf failed"; }
		run "$CPERF" convert -q -i dw.data -o dw.pb.gz
		pprof_top dw.pb.gz
		split_ok "$TMPD/out" && break
	done
	expect_rc 0 "go tool pprof -top -cum"
	check "go tool pprof: func_a/b/c cum% within 3 points of 50/30/20 (attempt $attempt)" \
		split_ok "$TMPD/out"
	check "go tool pprof: main above them" sh -c "awk '\$NF == \"main\"' '$TMPD/out' | grep -q ."
	if [ -s "$TMPD/err" ]; then fail "go tool pprof wrote to stderr"; head -5 "$TMPD/err"; else pass; fi
	run go tool pprof -raw -symbolize=none dw.pb.gz
	expect_out "dwarf unwinding: [0-9]+ stacks" "the profile's comments count unwound stacks"
	# a small copy: [truncated] is a function pprof shows
	"$CPERF" record -q --call-graph dwarf,512 -F 999 -o small.data -- "$ds" 0.5 >/dev/null 2>rec.err ||
		hard_error "cperf record --call-graph dwarf,512 failed"
	run "$CPERF" convert -q -i small.data -o small.pb.gz
	expect_rc 0 "convert a dwarf,512 recording"
	if [ -x "$CHECKER" ]; then check "[truncated] frames obey pprof's rules" "$CHECKER" small.pb.gz; fi
	pprof_top small.pb.gz
	expect_out " \[truncated\]$" "go tool pprof shows [truncated]"
else
	echo "note: go is not installed: the pprof checks are skipped"
fi
done_testing
