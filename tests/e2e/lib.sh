# Helpers for end-to-end tests that drive the built cperf binary.
# Source it: . "$top_srcdir/tests/e2e/lib.sh"
# Environment (set by make check): CPERF, top_srcdir, top_builddir, LC_ALL=C.
set -u
: "${CPERF:?CPERF is not set: run through make check}"
: "${top_srcdir:?}" "${top_builddir:?}"
WORKLOADS="$top_builddir/tests/workloads"
E2E_PASS=0
E2E_FAIL=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/cperf-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

# skip REASON...: the whole test is skipped (exit 77) with the reason printed.
skip() { echo "SKIP: $*"; exit 77; }
# hard_error REASON: the test could not run at all (exit 99).
hard_error() { echo "ERROR: $*"; exit 99; }
pass() { E2E_PASS=$((E2E_PASS + 1)); }
fail() { E2E_FAIL=$((E2E_FAIL + 1)); echo "FAIL: $*"; }
# check DESCRIPTION CMD...: passes when CMD succeeds.
check() { local d=$1; shift; if "$@"; then pass; else fail "$d"; fi; }

# run CMD...: runs it, storing stdout in $TMPD/out, stderr in $TMPD/err, status in $RC.
run() {
	"$@" >"$TMPD/out" 2>"$TMPD/err"
	RC=$?
}
# expect_rc N DESCRIPTION: the last run's exit status was N.
expect_rc() {
	if [ "$RC" -eq "$1" ]; then pass; else
		fail "$2: exit status $RC, expected $1"
		sed 's/^/  stderr: /' "$TMPD/err" | head -20
	fi
}
# expect_out REGEX DESCRIPTION / expect_err REGEX DESCRIPTION (grep -E)
expect_out() { if grep -Eq -- "$1" "$TMPD/out"; then pass; else fail "$2: stdout lacks /$1/"; head -20 "$TMPD/out" | sed 's/^/  stdout: /'; fi; }
expect_err() { if grep -Eq -- "$1" "$TMPD/err"; then pass; else fail "$2: stderr lacks /$1/"; head -20 "$TMPD/err" | sed 's/^/  stderr: /'; fi; }
expect_no_err() { if grep -Eq -- "$1" "$TMPD/err"; then fail "$2: stderr has /$1/"; grep -E -- "$1" "$TMPD/err" | head -5 | sed 's/^/  stderr: /'; else pass; fi; }
# expect_lines N FILE DESCRIPTION: FILE has exactly N lines
expect_one_line_err() {
	local n; n=$(grep -cv '^hint: ' "$TMPD/err")
	if [ "$n" -eq 1 ]; then pass; else fail "$1: expected one error line (plus hints), got $n"; sed 's/^/  stderr: /' "$TMPD/err" | head; fi
}
# within A B TOL DESCRIPTION: |A-B| <= TOL (floating point)
within() {
	if awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; then pass; else fail "$4: $1 vs $2 (tolerance $3)"; fi
}

need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "needs $1 (not installed)"; }
# A workload built by make check.
workload() { local w="$WORKLOADS/$1"; [ -x "$w" ] || hard_error "workload $1 not built"; echo "$w"; }

# done_testing: prints the summary and exits with the right status.
done_testing() {
	echo "$E2E_PASS passed, $E2E_FAIL failed"
	[ $((E2E_PASS + E2E_FAIL)) -gt 0 ] || exit 99
	[ "$E2E_FAIL" -eq 0 ]
	exit $?
}
