#!/bin/sh
# cperf convert end to end, without go: a recording of cpusplit becomes a
# valid pprof profile (checked by pprof-check, a protobuf-c reader) with the
# content DESIGN §3 asks for; options, defaults, stdout and errors.
. "$top_srcdir/tests/e2e/lib.sh"

need_root
CHECKER="$top_builddir/tests/unit/pprof-check"
[ -x "$CHECKER" ] || hard_error "tests/unit/pprof-check not built"
CPUSPLIT=$(workload cpusplit)
cd "$TMPD" || hard_error "cannot enter $TMPD"

# record OUT CMD...: cperf record -g into OUT; perf record -g while cperf's
# recorder is not built yet (the reader takes perf's files too).
RECORDER=
record() {
	local out=$1
	shift
	if "$CPERF" record -q -g -o "$out" "$@" >"$TMPD/rec.out" 2>"$TMPD/rec.err"; then
		RECORDER=cperf
		return 0
	fi
	if grep -q "not built yet" "$TMPD/rec.err" && command -v perf >/dev/null 2>&1 &&
	   perf record -q -g -o "$out" "$@" >"$TMPD/rec.out" 2>"$TMPD/rec.err"; then
		echo "note: cperf record is not built yet: recorded with perf"
		RECORDER=perf
		return 0
	fi
	sed 's/^/  record: /' "$TMPD/rec.err" | head -5
	return 1
}


# needs_reader FILE: skip while the data file reader is not built yet
needs_reader() {
	"$CPERF" convert -q -i "$1" -o probe.pb.gz >/dev/null 2>"$TMPD/probe.err" ||
		! grep -q "not implemented yet" "$TMPD/probe.err" ||
		skip "the data file reader is not built yet"
	rm -f probe.pb.gz
}

record rec.data "$CPUSPLIT" 1 || hard_error "cannot record cpusplit"
needs_reader rec.data

# default output name: rec.data -> rec.pb.gz, mode 0600, a summary note
run "$CPERF" convert -i rec.data
expect_rc 0 "convert with the default output"
expect_err "^cperf convert: note: wrote 'rec.pb.gz' \\([0-9.]+ (bytes|kB|MB)\\): [0-9]+ sample records as [0-9]+ samples" "summary note"
check "rec.pb.gz exists" test -s rec.pb.gz
check "profile mode 0600" test "$(stat -c %a rec.pb.gz)" = 600
check "gzip data" gzip -t rec.pb.gz

run "$CHECKER" --dump rec.pb.gz
expect_rc 0 "the profile obeys pprof's rules"
expect_out "^ok: [1-9][0-9]* samples" "checker summary"
cp "$TMPD/out" dump.txt
expect_out "^sample_type samples count$" "samples/count sample type"
expect_out "^sample_type cpu nanoseconds$" "cpu/nanoseconds for a clock event"
expect_out "^default_sample_type cpu$" "default sample type"
expect_out "^period_type cpu nanoseconds$" "period type"
expect_out "^period [1-9][0-9]*$" "period"
# perf's files carry no wall-clock start
[ "$RECORDER" = perf ] || expect_out "^time_nanos 1[0-9]{18}$" "time_nanos is a wall-clock time"
expect_out "^duration_nanos [1-9][0-9]{8,9}$" "duration about a second"
expect_out "^comment command: .*cpusplit 1$" "command line comment"
expect_out "^comment kernel: $(uname -r)$" "kernel release comment"
expect_out "^comment samples: [0-9]+, lost: [0-9]+, throttled: [0-9]+$" "lost and throttled comment"
expect_out "^mapping 1 0x[0-9a-f]+-0x[0-9a-f]+ off=0x[0-9a-f]+ file=[^ ]*/cpusplit build_id=[0-9a-f]{40} flags=FSL" "main binary first, with build-id and has_* flags"
expect_out "^function [0-9]+ name=func_a system_name=func_a file=[^ ]*cpusplit.c start_line=[1-9]" "func_a with file and start line"
expect_out "^sample values=[0-9]+,[0-9]+ locations=[0-9,]+ labels=pid=[0-9]+pid,tid=[0-9]+tid,.*comm:cpusplit,thread:cpusplit$" "pid, tid, comm, thread labels"

# sample counts add up to what the recording holds
n_rec=$(sed -n 's/^comment samples: \([0-9]*\),.*/\1/p' dump.txt)
n_sum=$(awk '/^sample values=/ { split($2, v, "[=,]"); s += v[2] } END { print s + 0 }' dump.txt)
check "sample values sum to the sample records ($n_sum of $n_rec)" test "$n_sum" -eq "$n_rec"

# labels: none, a subset, a bad name
run "$CPERF" convert -q -i rec.data -o nolab.pb.gz --no-labels
expect_rc 0 "--no-labels"
expect_no_err "." "-q prints nothing"
run "$CHECKER" --dump nolab.pb.gz
expect_out "^sample values=.* labels=$" "no labels"
expect_no_err "." "checker quiet"
if grep -q "labels=[a-z]" "$TMPD/out"; then fail "--no-labels left labels"; else pass; fi
nolab=$(grep -c '^sample ' "$TMPD/out")
nall=$(grep -c '^sample ' dump.txt)
check "fewer samples without labels ($nolab <= $nall)" test "$nolab" -le "$nall"

run "$CPERF" convert -q -i rec.data -o comm.pb.gz --labels=comm
expect_rc 0 "--labels=comm"
run "$CHECKER" --dump comm.pb.gz
expect_out "^sample values=.* labels=comm:cpusplit$" "only the comm label"

run "$CPERF" convert -i rec.data -o x.pb.gz --labels=pid,bogus
expect_rc 2 "unknown label"
expect_err "^cperf convert: unknown label 'bogus' in --labels$" "unknown label message"
expect_one_line_err "unknown label"

# default sample type
run "$CPERF" convert -q -i rec.data -o st.pb.gz --sample-type samples
expect_rc 0 "--sample-type samples"
run "$CHECKER" --dump st.pb.gz
expect_out "^default_sample_type samples$" "default sample type picked"
run "$CPERF" convert -i rec.data -o st.pb.gz --sample-type nosuch
expect_rc 1 "unknown sample type"
expect_err "^cperf convert: no sample type 'nosuch' in this recording \\(it has: samples, cpu\\)$" "unknown sample type message"
expect_one_line_err "unknown sample type"

# stdout
"$CPERF" convert -i rec.data -o - >stdout.pb.gz 2>"$TMPD/err"
RC=$?
expect_rc 0 "convert to stdout"
check "stdout profile is valid" "$CHECKER" stdout.pb.gz

# errors: one line each, non-zero exit
run "$CPERF" convert -i nosuch.data
expect_rc 1 "missing input"
expect_err "nosuch.data" "missing input named"
expect_one_line_err "missing input"
mkdir adir
run "$CPERF" convert -i rec.data -o adir
expect_rc 1 "output is a directory"
expect_err "^cperf convert: cannot write 'adir': Is a directory$" "directory message"
run "$CPERF" convert -i rec.data -o x.pb.gz -z 0
expect_rc 2 "bad compression level"
run "$CPERF" convert -i rec.data extra
expect_rc 2 "stray argument"
: >empty.data
run "$CPERF" convert -i empty.data -o e.pb.gz
expect_rc 1 "empty input"
expect_one_line_err "empty input"
check "no output left behind on failure" test ! -e e.pb.gz

# a symlink planted at the output path is replaced, not followed
echo keep >victim
ln -s victim link.pb.gz
run "$CPERF" convert -q -i rec.data -o link.pb.gz
expect_rc 0 "convert over a symlink"
check "symlink target untouched" test "$(cat victim)" = keep
check "symlink replaced by the profile" test ! -L link.pb.gz

# system wide: every process, kernel frames, junk addresses; still valid
if record sys.data -a "$CPUSPLIT" 1; then
	run "$CPERF" convert -q -i sys.data -o sys.pb.gz
	expect_rc 0 "convert a system-wide recording"
	run "$CHECKER" --dump sys.pb.gz
	expect_rc 0 "the system-wide profile obeys pprof's rules"
	expect_out "^mapping [0-9]+ 0xffffffff[0-9a-f]+-0x[0-9a-f]+ .*file=\\[kernel.kallsyms\\] " "a kernel mapping"
	expect_out "^sample .*labels=pid=[0-9]+pid,tid=[0-9]+tid,cpu=[0-9]+cpu," "cpu label in a system-wide recording"
else
	fail "system-wide recording"
fi

# perf's own files: file mode and pipe mode
if command -v perf >/dev/null 2>&1; then
	if perf record -q -g -o perf.data "$CPUSPLIT" 1 >/dev/null 2>&1; then
		run "$CPERF" convert -q
		expect_rc 0 "convert perf's perf.data (default input)"
		check "perf.pb.gz is the default output" "$CHECKER" perf.pb.gz
		run "$CHECKER" --dump perf.pb.gz
		expect_out "^function [0-9]+ name=func_b " "func_b in perf's recording"
		perf record -q -g -o - "$CPUSPLIT" 1 2>/dev/null | "$CPERF" convert -q -i - -o pipe.pb.gz 2>"$TMPD/err"
		RC=$?
		expect_rc 0 "convert perf's pipe-mode output from stdin"
		check "pipe-mode profile is valid" "$CHECKER" pipe.pb.gz
	else
		echo "note: perf record failed here; perf's files not tested"
	fi
else
	echo "note: perf not installed; perf's files not tested"
fi

done_testing
