#!/bin/sh
# Runs every libFuzzer target of a build configured with CC=clang
# --enable-fuzzing for a fixed time each, starting from the corpus in the
# tree; fails on the first crash, leak or sanitizer report (the input that
# triggered it is kept in OUTDIR and named in the output).
# Usage: tests/fuzz/run.sh BUILDDIR [SECONDS-PER-TARGET] [OUTDIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: run.sh BUILDDIR [SECONDS] [OUTDIR]}
secs=${2:-20}
out=${3:-$build/fuzz-out}
top_srcdir=$top
export top_srcdir
mkdir -p "$out"
status=0
for t in record datafile kallsyms perfmap maps profile elf evspec; do
	bin=$build/tests/fuzz/fuzz-$t
	[ "$t" = evspec ] && bin=$build/tests/fuzz/fuzz-evspec-lf
	if [ ! -x "$bin" ]; then
		echo "fuzz $t: $bin not built (make fuzz-targets)"; status=1; continue
	fi
	work=$out/$t.corpus
	mkdir -p "$work"
	# new inputs go to $work (the first directory); the tree's corpus is read only
	# a fixed seed: CI explores the same inputs as the run that was checked
	# before submitting (a longer run here covers a faster machine)
	if "$bin" -seed="${CPERF_FUZZ_SEED:-1}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
		-artifact_prefix="$out/$t-" "$work" "$top/tests/fuzz/corpus/$t" >"$out/$t.log" 2>&1; then
		echo "fuzz $t: ok ($(grep -Eo '#[0-9]+' "$out/$t.log" | tail -1 | tr -d '#') runs in ${secs}s)"
	else
		status=1
		echo "fuzz $t: FAILED, see $out/$t.log"
		grep -E 'ERROR: |runtime error|Test unit written|SUMMARY' "$out/$t.log" | head -5
	fi
done
exit $status
