#!/bin/sh
# End-to-end symbolization: record a workload that forks a child (exited long
# before the report), loads a library with dlopen after the start, and runs
# from a stripped binary whose debug info is found by .gnu_debuglink; the
# report names every function, with the inlined helper as its own frame.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
W=$(workload sym-dl-dl)
LIB="$WORKLOADS/libsym-dlib.so"
[ -f "$LIB" ] || hard_error "libsym-dlib.so not built"

run "$CPERF" record -g -o "$TMPD/d.data" -- "$W" "$LIB" 0.4
expect_rc 0 "record"
run "$CPERF" report -i "$TMPD/d.data" --folded
expect_rc 0 "report --folded"
expect_out 'sym_main_spin' "main's function in a stripped binary (debuglink)"
expect_out 'sym_child_spin' "the forked child that exited"
expect_out 'sym_dlib_spin;sym_dlib_inner [0-9]+$' "dlopen'd library with its inline frame innermost"
expect_no_err 'unsymbolized frames: [1-9][0-9]\.' "few unresolved frames"

# Without inline frames the helper folds into its caller.
run "$CPERF" report -i "$TMPD/d.data" --folded --no-inline
expect_rc 0 "report --no-inline"
if grep -q 'sym_dlib_inner' "$TMPD/out"; then fail "--no-inline still shows the inline frame"; else pass; fi
expect_out 'sym_dlib_spin [0-9]+$' "the library function is the leaf with --no-inline"

# The library file replaced after the recording: its frames stay unresolved
# (object+offset), never named after the new file's symbols.
cp "$LIB" "$TMPD/libsym-dlib.so"
run "$CPERF" record -g -o "$TMPD/e.data" -- "$W" "$TMPD/libsym-dlib.so" 0.3
expect_rc 0 "record with a private copy of the library"
printf 'int sym_other_function(void) { return 42; }\n' >"$TMPD/other.c"
if cc -shared -fPIC -O2 -g -o "$TMPD/libsym-dlib.so" "$TMPD/other.c"; then
	run "$CPERF" report -i "$TMPD/e.data" --folded
	expect_rc 0 "report after the library was replaced"
	if grep -q 'sym_other_function\|sym_dlib_spin' "$TMPD/out"; then
		fail "frames of a replaced library were symbolized"
	else
		pass
	fi
	expect_out 'libsym-dlib\.so\+0x[0-9a-f]+' "replaced library frames keep object+offset"
fi
done_testing
