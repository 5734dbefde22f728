#!/bin/sh
# The command table: version, help, unknown commands and options.
. "$top_srcdir/tests/e2e/lib.sh"

run "$CPERF" --version
expect_rc 0 "--version"
expect_out '^cperf [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

run "$CPERF" --help
expect_rc 0 "--help"
for c in record report convert stat list; do expect_out "^  $c " "--help lists $c"; done

run "$CPERF"
expect_rc 2 "no command"
expect_err 'usage: cperf' "no command prints usage"

run "$CPERF" recrod
expect_rc 2 "unknown command"
expect_err "^cperf: 'recrod' is not a cperf command$" "unknown command message"
expect_err "^hint: did you mean 'cperf record'\?$" "unknown command suggestion"
expect_one_line_err "unknown command"

run "$CPERF" --frobnicate
expect_rc 2 "unknown option"
expect_err "^cperf: unknown option '--frobnicate'$" "unknown option message"

for c in record report convert stat list; do
	CPERF_NO_MAN=1 run "$CPERF" $c --help
	expect_rc 0 "$c --help (usage)"
	expect_out "usage: cperf $c" "$c --help prints usage"
	run "$CPERF" help $c
	expect_rc 0 "help $c"
	expect_out "cperf[- ]$c" "help $c shows the manual or usage"
done
# getopt errors inside a command: long options missing their argument, unknown
# long and short options; one line naming the option, never a stray byte
run "$CPERF" report --top 3 -i
expect_rc 2 "missing argument to -i"
expect_err "^cperf report: unknown option or missing argument for '-i'$" "missing short argument"
run "$CPERF" report --flamegraph
expect_rc 2 "missing argument to a long option"
expect_err "^cperf report: option '--flamegraph' needs an argument$" "missing long argument"
run "$CPERF" stat --frob=1 true
expect_rc 2 "unknown long option"
expect_err "^cperf stat: unknown option '--frob'$" "unknown long option"
if LC_ALL=C grep -q "$(printf '\\000')" "$TMPD/err" 2>/dev/null || tr -d '\n[:print:]' <"$TMPD/err" | grep -q .; then
	fail "option errors print only printable text"
else
	pass
fi

run "$CPERF" help
expect_rc 0 "help"
run "$CPERF" help frob
expect_rc 2 "help of an unknown command"

done_testing
