# Helpers shared by the report tests (sourced after lib.sh).

# rec OUT CMD...: records CMD with call chains at 1999 Hz (a rate that does
# not beat with the workloads' loops) into OUT, through cperf record, or
# perf record when cperf's cannot.
rec() {
	local out=$1
	shift
	if "$CPERF" record -g -F 1999 -o "$out" -- "$@" >/dev/null 2>"$TMPD/rec.err"; then
		return 0
	fi
	command -v perf >/dev/null 2>&1 || return 1
	perf record -q -g -F 1999 --sample-cpu -o "$out" -- "$@" >/dev/null 2>"$TMPD/rec.err"
}

# samples_of FILE: the sample count in a report header on FILE.
samples_of() { sed -n 's/^# samples: \([0-9]*\).*/\1/p' "$1" | head -1; }

# folded_sum FILE: the sum of the counts of folded output.
folded_sum() { awk '{ s += $NF } END { print s + 0 }' "$1"; }

# cum_of FUNC FILE: the cum% of FUNC in --top output (number only).
cum_of() { awk -v f="$1" '$NF == f { sub("%", "", $5); print $5; exit }' "$2"; }
