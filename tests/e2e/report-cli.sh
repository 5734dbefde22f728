#!/bin/sh
# cperf report's command line: usage errors exit 2 with one error line,
# unreadable or malformed files exit 1 without crashing, --help works.
. "$top_srcdir/tests/e2e/lib.sh"

run "$CPERF" report --help
expect_rc 0 "--help"
expect_out "cperf report|CPERF-REPORT|--flamegraph" "--help shows the usage or the manual"

run "$CPERF" report --no-such-option
expect_rc 2 "unknown option"
expect_one_line_err "unknown option"

for args in "--sort comm,bogus" "--top x" "--percent-limit 101" "--pid 1-x" "--cpu ,," \
	"--focus (" "--ignore [" "--list (" "--folded --tree" "--top 3 --folded" "extra-arg"; do
	# shellcheck disable=SC2086
	run "$CPERF" report -i /dev/null $args
	expect_rc 2 "bad usage: $args"
	expect_one_line_err "bad usage: $args"
done

run "$CPERF" report -i "$TMPD/missing.data"
expect_rc 1 "missing file"
expect_one_line_err "missing file"
expect_err "missing.data" "the message names the file"

# malformed inputs: empty, garbage, a perf.data header cut short
: >"$TMPD/empty.data"
head -c 4096 /dev/urandom >"$TMPD/garbage.data"
printf 'PERFILE2\001\002' >"$TMPD/short.data"
for f in empty garbage short; do
	run "$CPERF" report -i "$TMPD/$f.data"
	expect_rc 1 "$f file"
	expect_one_line_err "$f file"
done

# a real recording cut short in its middle reads up to the cut
if [ -f "$top_srcdir/tests/fixtures/report/fixture.data" ]; then
	head -c 40000 "$top_srcdir/tests/fixtures/report/fixture.data" >"$TMPD/cut.data"
	run "$CPERF" report -i "$TMPD/cut.data" --top
	if [ "$RC" -eq 0 ]; then pass; else
		check "a cut recording fails cleanly" [ "$RC" -eq 1 ]
	fi
	expect_no_err "AddressSanitizer|runtime error" "no sanitizer report on a cut file"
fi
done_testing
