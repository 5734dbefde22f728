#!/bin/sh
# The whole test suite, as CI runs it: installs what is missing, builds cperf
# twice (warnings as errors; then ASan+UBSan) and runs `make check` in both,
# runs each fuzz target briefly (clang, libFuzzer), then `make distcheck`.
# Safe to run again. Usage: ./runtests.sh (as root)
set -eu
cd "$(dirname "$0")"
top=$(pwd)
.ci/install-deps --test
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)
status=0
summary=
for variant in plain sanitizers; do
	dir="$top/build-test-$variant"
	flags="--enable-werror"
	[ "$variant" = sanitizers ] && flags="$flags --enable-sanitizers"
	mkdir -p "$dir"
	cd "$dir"
	echo "=== $variant build ($flags)"
	[ -f Makefile ] || "$top/configure" $flags >configure.out 2>&1 || { cat configure.out; exit 1; }
	make -j"$jobs" >make.out 2>&1 || { tail -50 make.out; exit 1; }
	echo "=== $variant: make check"
	if ! make -j"$jobs" check >check.out 2>&1; then
		status=1
		grep -E '^(FAIL|ERROR|XPASS)' check.out || true
		for log in $(grep -lE '^:test-result: (FAIL|ERROR|XPASS)' $(find . -name '*.trs') 2>/dev/null | sed 's/\.trs$/.log/'); do
			echo "--- $log"; tail -40 "$log"
		done
	fi
	grep -E '^(PASS|SKIP|FAIL|ERROR|XFAIL|XPASS):|^# ' check.out || true
	summary="$summary $(grep -hE '^# (PASS|FAIL|SKIP|ERROR|XPASS):' check.out | tr -s ' ' | tr '\n' ' ')"
	cd "$top"
done
# Fuzzing: libFuzzer builds of tests/fuzz (clang), each target run for a
# short fixed time from the corpus in the tree; a crash fails the run.
if [ "${CPERF_SKIP_FUZZ:-}" != 1 ]; then
	dir="$top/build-test-fuzz"
	echo "=== fuzz build (CC=clang --enable-fuzzing)"
	mkdir -p "$dir"
	cd "$dir"
	[ -f Makefile ] || CC=clang "$top/configure" --enable-fuzzing >configure.out 2>&1 || { cat configure.out; exit 1; }
	if make -j"$jobs" fuzz-targets >make.out 2>&1; then
		"$top/tests/fuzz/run.sh" "$dir" "${CPERF_FUZZ_SECONDS:-20}" || status=1
	else
		status=1; tail -30 make.out
	fi
	cd "$top"
fi
if [ "${CPERF_SKIP_DISTCHECK:-}" != 1 ] && [ $status -eq 0 ]; then
	echo "=== make distcheck"
	cd "$top/build-test-plain"
	if make distcheck >distcheck.out 2>&1; then
		echo "distcheck: ok"
	else
		status=1
		grep -E '^(FAIL|ERROR|XPASS):' distcheck.out || tail -40 distcheck.out
		for log in $(find . -path '*_build*' -name '*.trs' -exec grep -lE '^:test-result: (FAIL|ERROR|XPASS)' {} + 2>/dev/null | sed 's/\.trs$/.log/'); do
			echo "--- $log"; tail -40 "$log"
		done
	fi
	# distcheck's own make check counts too (a failure there is a failure)
	summary="$summary $(grep -hE '^# (PASS|FAIL|SKIP|ERROR|XPASS):' distcheck.out | tr -s ' ' | tr '\n' ' ')"
	cd "$top"
fi
# One closing line for every make check run: N passed, N failed, N skipped.
echo "$summary" | awk '{
	for (i = 1; i <= NF; i++) {
		if ($i == "PASS:") p += $(i + 1); else if ($i == "FAIL:" || $i == "ERROR:" || $i == "XPASS:") f += $(i + 1); else if ($i == "SKIP:") s += $(i + 1)
	}
	printf "%d passed, %d failed, %d skipped\n", p, f, s
}'
exit $status
