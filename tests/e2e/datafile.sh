#!/bin/sh
# The perf.data reader on perf's own recordings (fixtures with known record
# counts, checked live against perf when it is installed), its errors on bad
# input, and perf reading files written by cperf's writer.
. "$top_srcdir/tests/e2e/lib.sh"

T="$top_builddir/tests/unit/test-datafile"
FIX="$top_srcdir/tests/fixtures/perfdata"
[ -x "$T" ] || hard_error "tests/unit/test-datafile not built"

# perf's record counts per kernel record type, from its raw dump.
perf_counts() {
	perf report -D -i "$1" 2>/dev/null | grep -o ' PERF_RECORD_[A-Z0-9_]*' |
		sed 's/ PERF_RECORD_//' | sort | uniq -c |
		awk '$2 ~ /^(SAMPLE|MMAP|MMAP2|COMM|FORK|EXIT|LOST|THROTTLE|UNTHROTTLE)$/ { print $2, $1 }'
}
have_perf=0
command -v perf >/dev/null 2>&1 && have_perf=1

for f in "$FIX"/*.data; do
	name=$(basename "$f" .data)
	run "$T" --dump "$f"
	expect_rc 0 "read $name"
	if diff -u "$FIX/$name.expected" "$TMPD/out" >"$TMPD/diff"; then pass; else
		fail "$name: reader output differs from $name.expected"; head -20 "$TMPD/diff"
	fi
	run "$T" --truncate-check "$f" "$TMPD/cut.data"
	expect_rc 0 "$name cut at many offsets: a prefix of the records or a clean error"
	run "$T" --mutate-check "$f" "$TMPD/mut.data"
	expect_rc 0 "$name with random damage: read or a clean error"
	# A killed perf cannot be read by perf itself; compare the others live.
	if [ $have_perf = 1 ] && [ "$name" != killed ]; then
		"$T" --dump "$f" 2>/dev/null | awk '/^records / { print $2, $3 }' | sort >"$TMPD/ours"
		perf_counts "$f" | sort >"$TMPD/perfs"
		if cmp -s "$TMPD/ours" "$TMPD/perfs"; then pass; else
			fail "$name: record counts differ from perf's"; diff "$TMPD/perfs" "$TMPD/ours" | head
		fi
	fi
done
# The killed recording is flagged and still gives its records.
grep -q '^cut_short 1' "$FIX/killed.expected" && pass || fail "killed.data not flagged as cut short"

# Bad input: one line naming the problem, exit 1, no crash.
: >"$TMPD/empty.data"
run "$T" --dump "$TMPD/empty.data"
expect_rc 1 "zero-length file"; expect_err "zero-length" "zero-length message"; expect_one_line_err "zero-length"
head -c 4096 /dev/urandom >"$TMPD/random.data"
run "$T" --dump "$TMPD/random.data"
expect_rc 1 "random bytes"; expect_err "not a perf.data file" "random bytes message"; expect_one_line_err "random bytes"
{ printf '2ELIFREP'; head -c 200 /dev/zero; } >"$TMPD/swapped.data"
run "$T" --dump "$TMPD/swapped.data"
expect_rc 1 "byte-swapped"; expect_err "byte-swapped perf.data files are not supported" "byte-swapped message"
run "$T" --dump "$FIX/compressed.perfz"
expect_rc 1 "perf record -z"; expect_err "compressed recordings \(perf record -z\) are not supported" "perf record -z message"
run sh -c "cat '$FIX/pipe-fp.data' | '$T' --dump -"
expect_rc 0 "read pipe mode from a real pipe"
if diff -u "$FIX/pipe-fp.expected" "$TMPD/out" >"$TMPD/diff"; then pass; else fail "pipe-fp from stdin differs"; head "$TMPD/diff"; fi
head -c 60 "$FIX/file-fp.data" >"$TMPD/short.data"
run "$T" --dump "$TMPD/short.data"
expect_rc 1 "truncated header"; expect_err "truncated header" "truncated header message"

# A full disk: the error is returned and the file reads up to the last
# complete record.
if [ "$(id -u)" -eq 0 ] && mkdir "$TMPD/full" && mount -t tmpfs -o size=256k tmpfs "$TMPD/full" 2>/dev/null; then
	run "$T" --fill "$TMPD/full/x.data" 4000000
	expect_rc 1 "writing past a full disk fails"
	expect_out 'No space left on device' "the error is ENOSPC"
	run "$T" --dump "$TMPD/full/x.data"
	expect_rc 0 "the file of a full disk is readable"
	expect_out '^records SAMPLE [0-9]{3,}' "it holds the samples written before the disk filled"
	umount "$TMPD/full"
else
	echo "no tmpfs (needs root): skipping the full-disk check"
fi

# perf reads what cperf writes: file mode and pipe mode.
[ $have_perf = 1 ] || { echo "perf not installed: skipping the perf-reads-cperf checks"; done_testing; }
run "$T" --synth "$TMPD/cperf.data"
expect_rc 0 "write a synthetic cperf recording"
bid=$(awk '{ print $2 }' "$TMPD/err")
run perf report -i "$TMPD/cperf.data" --stdio
expect_rc 0 "perf report reads cperf's file"
expect_out 'synth_hot_function' "perf report names the sampled function"
expect_out "Samples: 80 +of event 'cpu-clock'" "perf report sees 80 cpu-clock samples"
expect_no_err 'WARNING|Warning|warning' "perf report without warnings"
run perf script -i "$TMPD/cperf.data"
expect_rc 0 "perf script reads cperf's file"
check "perf script prints 100 samples" [ "$(wc -l <"$TMPD/out")" -eq 100 ]
expect_no_err 'WARNING|Warning|warning' "perf script without warnings"
run perf buildid-list -i "$TMPD/cperf.data"
expect_out "^$bid " "perf buildid-list lists the stored build-id"
run perf report --header-only -i "$TMPD/cperf.data"
expect_out 'perf version : cperf ' "perf shows cperf's version"
expect_out 'event : name = page-faults' "perf shows the event names"

# The snapshot exists only where kallsyms shows addresses (root, kptr_restrict).
awk '$2 ~ /^[tTwW]$/' /proc/kallsyms | sort >"$TMPD/ks.proc"
has_ks=0
grep -qv '^0000000000000000 ' "$TMPD/ks.proc" && has_ks=1
"$T" --synth - >"$TMPD/pipe.data" 2>/dev/null
if [ $has_ks = 1 ]; then
	run "$T" --dump "$TMPD/cperf.data"
	expect_out '^kallsyms_bytes [1-9][0-9]{5,}' "the kallsyms snapshot comes back (file mode)"
	"$T" --kallsyms "$TMPD/cperf.data" | sort >"$TMPD/ks.ours"
	check "the kallsyms snapshot holds /proc/kallsyms' text symbols" cmp -s "$TMPD/ks.ours" "$TMPD/ks.proc"
	run "$T" --dump "$TMPD/pipe.data"
	expect_out '^kallsyms_bytes [1-9][0-9]{5,}' "the kallsyms snapshot comes back (pipe mode)"
fi
run "$T" --dump "$TMPD/pipe.data"
expect_out '^mode pipe' "cperf's pipe output is read as pipe mode"
run sh -c "perf script -i - <'$TMPD/pipe.data'"
expect_rc 0 "perf script reads cperf's pipe output"
check "pipe: 100 samples" [ "$(wc -l <"$TMPD/out")" -eq 100 ]
expect_out ' cpu-clock: ' "pipe: event names from EVENT_UPDATE"
expect_no_err 'WARNING|Warning|warning' "perf script (pipe) without warnings"
# cperf's facts are in records perf skips: perf report does not stop at them
run perf report -i "$TMPD/pipe.data" --stdio
expect_rc 0 "perf report reads cperf's pipe output"
check "perf report (pipe): nothing on stderr" [ ! -s "$TMPD/err" ]
expect_out 'synth_hot_function' "perf report (pipe) names the sampled function"
done_testing
