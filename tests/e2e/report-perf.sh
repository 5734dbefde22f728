#!/bin/sh
# cperf report reads perf's own recordings, file mode and pipe mode, with
# and without call chains, and finds the same top function as perf report.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/report-lib.sh"
need_root
need_cmd perf
cs=$(workload cpusplit)

# perf_top FILE: the symbol with the most self samples per perf report
perf_top() {
	perf report -i "$1" --stdio --no-children --sort sym -q 2>/dev/null |
		awk '/%/ { print $NF; exit }'
}
cperf_top() {
	"$CPERF" report -q -i "$1" --top 1 2>/dev/null | awk '/flat%/ { getline; print $NF; exit }'
}

# precord NAME ARGS...: a perf recording of cpusplit that perf itself can
# read; perf record fails now and then when many run at once (make -j), so
# it is tried three times
precord() {
	local name=$1 i
	shift
	for i in 1 2 3; do
		case $name in
		pipe*) perf record -q "$@" -F 1999 -o - -- "$cs" 1 2>/dev/null >"$TMPD/$name.data" ;;
		*) perf record -q "$@" -F 1999 -o "$TMPD/$name.data" -- "$cs" 1 >/dev/null 2>&1 ;;
		esac
		[ -n "$(perf_top "$TMPD/$name.data")" ] && return 0
		sleep 1
	done
	return 1
}
made=""
precord file-g -g && made="$made file-g"
precord file && made="$made file"
precord pipe-g -g && made="$made pipe-g"
precord pipe && made="$made pipe"
[ -n "$made" ] || skip "perf record made no recording perf report can read"

for f in $made; do
	run "$CPERF" report -i "$TMPD/$f.data" --top
	expect_rc 0 "perf's $f recording"
	expect_no_err "AddressSanitizer|runtime error" "$f: clean run"
	p=$(perf_top "$TMPD/$f.data")
	c=$(cperf_top "$TMPD/$f.data")
	check "$f: top function, perf '$p', cperf '$c'" test -n "$c" -a "$p" = "$c"
	check "$f: top function is func_a ($c)" [ "$c" = func_a ]
done
case $made in
*pipe-g*)
	run "$CPERF" report -i "$TMPD/pipe-g.data" --top
	expect_out "^# cperf report: .*\(pipe mode\)$" "pipe mode is named in the header"
	run "$CPERF" report -i - --folded <"$TMPD/pipe-g.data"
	expect_rc 0 "a pipe-mode recording from stdin"
	expect_out "^cpusplit;.*func_a [0-9]+$" "folded from a pipe"
	;;
esac
# without call chains the children are the self values
case $made in
*" file "*|*" file")
	run "$CPERF" report -i "$TMPD/file.data"
	expect_out "^# Overhead +Command" "no call chains: no Children column"
	;;
esac
# kernel symbols: perf's files have no kallsyms snapshot, so the live one is
# used with a note; --kallsyms names another file
case $made in
*file-g*)
	run "$CPERF" report -i "$TMPD/file-g.data" --top
	if grep -q "live /proc/kallsyms" "$TMPD/err"; then
		pass
		live=$(grep '^# unsymbolized' "$TMPD/out")
		run "$CPERF" report -i "$TMPD/file-g.data" --top --kallsyms /proc/kallsyms
		expect_rc 0 "--kallsyms /proc/kallsyms"
		expect_no_err "kallsyms" "--kallsyms: no note"
		check "--kallsyms /proc/kallsyms names what the live fallback names" \
			[ "$(grep '^# unsymbolized' "$TMPD/out")" = "$live" ]
		printf 'ffffffff80000000 T fake_kernel_text\n' >"$TMPD/fake.kallsyms"
		run "$CPERF" report -i "$TMPD/file-g.data" --top --kallsyms "$TMPD/fake.kallsyms"
		expect_out "^# unsymbolized frames: [1-9]|^# unsymbolized frames: 0\.[0-9]*[1-9]" \
			"--kallsyms with a useless file: kernel frames unresolved"
		run "$CPERF" report -i "$TMPD/file-g.data" --top --kallsyms "$TMPD/missing.kallsyms"
		expect_rc 0 "--kallsyms of a missing file"
		expect_err "note: kernel symbols: cannot read" "--kallsyms of a missing file: a note"
	else
		echo "note: no kernel frames in the recording; --kallsyms not tested"
	fi
	;;
esac
done_testing
