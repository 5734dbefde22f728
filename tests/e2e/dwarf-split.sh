#!/bin/sh
# cperf record --call-graph dwarf on dwarf-split, a workload without frame
# pointers whose func_a/b/c share the work 50/30/20 through one leaf helper:
# unwinding gives the split (frame pointers do not), libc's frames unwind to
# their callers, a small stack copy ends stacks with [truncated], code
# without CFI ends them with [unwind failed], and the stack size is checked.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/report-lib.sh"
. "$top_srcdir/tests/e2e/dwarf-lib.sh"
need_root
ds=$(workload dwarf-split)

# drec OUT ARGS...: cperf record -F 1999 -o OUT ARGS
drec() {
	local out=$1
	shift
	"$CPERF" record -q -F 1999 -o "$out" "$@" >/dev/null 2>"$TMPD/rec.err" ||
		{ sed 's/^/  record: /' "$TMPD/rec.err" | head -5; hard_error "cannot record $*"; }
}

# ---- the stack size: a multiple of 8 from 8 to 65528 ------------------------
for bad in 0 12 65529 65536 -8 abc ""; do
	run "$CPERF" record -q --call-graph "dwarf,$bad" -o "$TMPD/bad.data" -- true
	expect_rc 2 "--call-graph dwarf,$bad"
	expect_err "^cperf record: bad dwarf stack size '$bad'" "dwarf,$bad: the size is named"
done
run "$CPERF" record -q --call-graph dwarf,65528 -F 199 -o "$TMPD/big.data" -- "$ds" 0.3
expect_rc 0 "--call-graph dwarf,65528"
run "$CPERF" report -i "$TMPD/big.data" --folded
expect_out "^dwarf-split;_start;.*;main;func_a;burn [0-9]+$" "dwarf,65528 unwinds to _start"

# ---- the split through the leaf helper ----------------------------------------
# Timer sampling on a loaded machine can beat with the workload's rounds: a
# recording is tried up to three times.
for attempt in 1 2 3; do
	drec "$TMPD/dw.data" --call-graph dwarf -- "$ds" 2
	run "$CPERF" report -i "$TMPD/dw.data" --top 0 --percent-limit 0
	split_ok "$TMPD/out" && break
done
cp "$TMPD/out" "$TMPD/top"
check "dwarf: func_a/b/c cum% within 3 points of 50/30/20 (attempt $attempt)" split_ok "$TMPD/top"
burn=$(cum_of burn "$TMPD/top")
check "dwarf: the samples are in the helper burn (${burn:-none}%)" \
	awk -v b="${burn:-0}" 'BEGIN { exit !(b > 50) }'
set -- $(unwind_counts "$TMPD/top")
check "dwarf: the header counts unwound stacks ($*)" [ $# -eq 3 ]
stacks=${1:-0} truncated=${2:-0} failed=${3:-0}
samples=$(samples_of "$TMPD/top")
check "dwarf: every sample's stack unwound ($stacks of ${samples:-0})" [ "$stacks" -eq "${samples:-0}" ]
check "dwarf: no [truncated] with 8192 bytes ($truncated)" [ "$truncated" -eq 0 ]
check "dwarf: [unwind failed] is rare ($failed of $stacks)" [ "$failed" -le $((stacks / 50 + 2)) ]

run "$CPERF" report -i "$TMPD/dw.data" --folded
expect_out "^dwarf-split;_start;__libc_start_main[^;]*;__libc_start_call_main;main;func_a;burn [0-9]+$" \
	"dwarf: _start -> libc -> main -> func_a -> burn"
check "dwarf: libc's qsort frames unwind to their callers" libc_ok "$TMPD/out"
check "dwarf: markers are only ever the outermost frame" marker_outermost "$TMPD/out"
run "$CPERF" report -i "$TMPD/dw.data" --stdio --sort dso,sym
expect_out "^ +[0-9.]+% +[0-9.]+% +libc\.so\.6 +\[\.\] [^ ]*qsort" "dwarf: qsort's frame is in libc.so.6"
expect_no_err "AddressSanitizer|runtime error|LeakSanitizer" "dwarf: clean report"

# ---- frame pointers lose the split ------------------------------------------
# The helper is a leaf without a frame and no function keeps a frame pointer:
# fp chains cannot name func_a/b/c (the check above needs unwinding).
drec "$TMPD/fp.data" -g -- "$ds" 1
run "$CPERF" report -i "$TMPD/fp.data" --top 0 --percent-limit 0
fb=$(cum_of burn "$TMPD/out")
fa=$(cum_of func_a "$TMPD/out") fbb=$(cum_of func_b "$TMPD/out") fc=$(cum_of func_c "$TMPD/out")
check "fp: samples in burn (${fb:-none}%)" awk -v b="${fb:-0}" 'BEGIN { exit !(b > 50) }'
check "fp: func_a/b/c are lost (${fa:-0}+${fbb:-0}+${fc:-0}% of ${fb:-0}%)" \
	awk -v a="${fa:-0}" -v b="${fbb:-0}" -v c="${fc:-0}" -v t="${fb:-0}" \
	'BEGIN { exit !(a + b + c < t / 4) }'
check "fp: the split is not recovered" sh -c "! share_ok '$fa' '$fbb' '$fc' >/dev/null"

# ---- a small copy: [truncated] ----------------------------------------------
# main's frame (2 KiB) does not fit in 512 bytes: every stack through main
# ends with [truncated], above main; the callers below stay right.
drec "$TMPD/small.data" --call-graph dwarf,512 -- "$ds" 1
run "$CPERF" report -i "$TMPD/small.data" --top 0 --percent-limit 0
set -- $(unwind_counts "$TMPD/out")
stacks=${1:-0} truncated=${2:-0}
check "dwarf,512: stacks were unwound ($stacks)" [ "$stacks" -gt 0 ]
check "dwarf,512: most stacks [truncated] ($truncated of $stacks)" \
	[ "$truncated" -ge $((stacks * 9 / 10)) ]
tr=$(cum_of '[truncated]' "$TMPD/out")
check "dwarf,512: [truncated] is a frame in --top (${tr:-none}%)" [ -n "$tr" ]
run "$CPERF" report -i "$TMPD/small.data" --folded
expect_out "^dwarf-split;\[truncated\];main;func_a;burn [0-9]+$" "dwarf,512: [truncated] above main"
check "dwarf,512: markers are only ever the outermost frame" marker_outermost "$TMPD/out"
check "dwarf,512: no stack reaches main's caller" sh -c "! grep -q '__libc_start_call_main;main;' '$TMPD/out'"
expect_no_err "AddressSanitizer|runtime error|LeakSanitizer" "dwarf,512: clean report"

# ---- code without CFI: [unwind failed], never garbage --------------------------
# nocfi_call (hand-written assembly) has no CFI: every stack through it
# ends there, marked; nothing above it (main) is guessed.
drec "$TMPD/nocfi.data" --call-graph dwarf -- "$ds" 0.5 nocfi
run "$CPERF" report -i "$TMPD/nocfi.data" --folded
expect_out "^dwarf-split;\[unwind failed\];nocfi_call;burn [0-9]+$" "no CFI: [unwind failed] above nocfi_call"
check "no CFI: nothing guessed above nocfi_call" awk -F';' '{ for (i = 2; i <= NF; i++)
	if ($i == "nocfi_call" && $(i - 1) != "[unwind failed]") bad++ } END { exit bad > 0 }' "$TMPD/out"
check "no CFI: markers are only ever the outermost frame" marker_outermost "$TMPD/out"
run "$CPERF" report -i "$TMPD/nocfi.data" --top 0
set -- $(unwind_counts "$TMPD/out")
check "no CFI: the header counts [unwind failed] (${3:-0} of ${1:-0})" \
	[ "${3:-0}" -ge $((${1:-0} * 8 / 10)) ]
check "no CFI: stacks were unwound (${1:-0})" [ "${1:-0}" -gt 0 ]
done_testing
