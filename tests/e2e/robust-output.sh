#!/bin/sh
# Where cperf record writes: an output path that is a directory, on a
# read-only or a full file system (a clear error, exit 1, what was written
# stays readable), a symlink planted in the output's place (never followed),
# and the mode of what is written (never world-readable, whatever the umask).
. "$top_srcdir/tests/e2e/lib.sh"
need_root
cd "$TMPD" || hard_error "no temp dir"
W=$(workload cpusplit)
MOUNTS=
cleanup() {
	for m in $MOUNTS; do umount "$m" 2>/dev/null; done
	rm -f "$VICTIM" "$VICTIM.new"
	rm -rf "$TMPD"
}
VICTIM=$(mktemp /tmp/cperf-victim.XXXXXX)
trap cleanup EXIT
sanitizer_free() { expect_no_err 'AddressSanitizer|LeakSanitizer|runtime error' "$1: sanitizer report"; }

# ---- the output path is a directory --------------------------------------
mkdir out.data
run "$CPERF" record -q -o out.data -- true
expect_rc 1 "-o a directory"
expect_err "^cperf record: cannot create 'out\.data': Is a directory$" "-o a directory: message"
expect_one_line_err "-o a directory"
check "-o a directory: the directory stays where it was" [ -d out.data ] && [ ! -e out.data.old ]

# ---- a read-only file system ---------------------------------------------
mkdir ro
if mount -t tmpfs -o ro,size=64k tmpfs ro 2>/dev/null; then
	MOUNTS="$MOUNTS $TMPD/ro"
	for out in ro/x.data ro/x.pb.gz; do
		run "$CPERF" record -q -o $out -- true
		expect_rc 1 "record -o $out on a read-only file system"
		expect_err "^cperf record: cannot create '$out[^']*': Read-only file system$" "$out: read-only message"
		expect_one_line_err "$out on a read-only file system"
	done
else
	echo "note: cannot mount tmpfs: read-only checks skipped"
fi

# ---- a full file system (64 KiB): ENOSPC, exit 1, the file stays readable -
mkdir full
if mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
	MOUNTS="$MOUNTS $TMPD/full"
	# ~80 bytes a sample: far more than 64 KiB even on a starved CPU
	run "$CPERF" record -q -F 4999 -g -o full/x.data -- "$W" 2
	expect_rc 1 "record onto a full file system"
	expect_err "^cperf record: cannot write 'full/x\.data': No space left on device$" "full file system: message"
	expect_one_line_err "full file system"
	sanitizer_free "full file system"
	check "full file system: the file is there" [ -s full/x.data ]
	run "$CPERF" report -i full/x.data --stdio
	expect_rc 0 "report of what fit on the full file system"
	expect_err "^cperf report: warning: 'full/x\.data' (was cut short|was not closed properly)" "the report warns about the cut"
	sanitizer_free "report of a recording cut by a full disk"
	n=$(sed -n 's/^# samples: \([0-9]*\).*/\1/p' "$TMPD/out")
	if [ "${n:-0}" -gt 0 ]; then pass; else fail "the samples written before the disk filled are read (got ${n:-none})"; fi
	rm -f full/*
	run "$CPERF" record -q -F 999 -o full/x.pb.gz -- "$W" 0.3
	if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then pass; else fail "record -o x.pb.gz on a 64 KiB file system: exit status $RC"; fi
	[ "$RC" -eq 1 ] && expect_err "No space left on device" "record -o x.pb.gz: ENOSPC named"
	sanitizer_free "record -o x.pb.gz on a small file system"
	check "no temporary file left behind" [ -z "$(ls full | grep -v '^x\.pb\.gz$')" ]
else
	echo "note: cannot mount tmpfs: full file system checks skipped"
fi

# ---- a symlink planted where the output goes -----------------------------
echo "precious" >"$VICTIM"
chmod 644 "$VICTIM"
for out in link.data link.pb.gz; do
	ln -s "$VICTIM" $out
	run "$CPERF" record -q -F 999 -o $out -- true
	expect_rc 0 "record -o $out (a symlink to another file)"
	check "record -o $out: the symlink's target is untouched" [ "$(cat "$VICTIM")" = precious ]
	check "record -o $out: a regular file now" [ -f $out ] && [ ! -L $out ]
	ln -s "$VICTIM.new" dangling-$out
	run "$CPERF" record -q -F 999 -o dangling-$out -- true
	check "record -o $out: a dangling symlink's target is not created" [ ! -e "$VICTIM.new" ]
done
run "$CPERF" record -q -F 999 -o plain.data -- "$W" 0.2
ln -s "$VICTIM" link2.pb.gz
run "$CPERF" convert -i plain.data -o link2.pb.gz
check "convert -o a symlink: the target is untouched" [ "$(cat "$VICTIM")" = precious ]
# report --flamegraph and stat -o: the link is replaced, never followed
ln -s "$VICTIM" link.svg
run "$CPERF" report -i plain.data --flamegraph link.svg
expect_rc 0 "report --flamegraph a symlink"
check "report --flamegraph a symlink: the target is untouched" [ "$(cat "$VICTIM")" = precious ]
check "report --flamegraph a symlink: a regular file with the graph now" \
	[ -f link.svg ] && [ ! -L link.svg ] && grep -q '<svg' link.svg
ln -s "$VICTIM" link.txt
run "$CPERF" stat -o link.txt -e task-clock -- true
expect_rc 0 "stat -o a symlink"
check "stat -o a symlink: the target is untouched" [ "$(cat "$VICTIM")" = precious ]
check "stat -o a symlink: a regular file with the counts now" \
	[ -f link.txt ] && [ ! -L link.txt ] && grep -q task-clock link.txt
ln -s "$VICTIM.new" dangling.svg
run "$CPERF" report -i plain.data --flamegraph dangling.svg
check "report --flamegraph a dangling symlink: its target is not created" [ ! -e "$VICTIM.new" ]
ln -s "$VICTIM.new" dangling.txt
run "$CPERF" stat -o dangling.txt -e task-clock -- true
check "stat -o a dangling symlink: its target is not created" [ ! -e "$VICTIM.new" ]
# a failed run leaves neither a partial file nor a temporary one
mkdir fail && echo old >fail/keep.txt
run "$CPERF" stat -o fail/keep.txt -e task-clock -- ./no-such-command
expect_rc 127 "stat -o, a command that does not exist"
check "stat -o, a command that does not exist: the old file is kept" [ "$(cat fail/keep.txt)" = old ]
run "$CPERF" stat -o fail/new.txt -e task-clock -- ./no-such-command
check "stat -o, a command that does not exist: no file" [ ! -e fail/new.txt ]
check "stat -o, failed runs: no temporary file left" [ "$(ls fail)" = keep.txt ]

# ---- modes: never world-readable, even with umask 0 ----------------------
for out in m.data m.pb.gz; do
	(umask 0 && exec "$CPERF" record -q -F 999 -o $out -- true) 2>"$TMPD/err"
	mode=$(stat -c %a $out 2>/dev/null)
	check "record -o $out with umask 0: mode 600 (got ${mode:-no file})" [ "$mode" = 600 ]
done
(umask 0 && exec "$CPERF" record -q -F 999 -o m.data -- true) 2>/dev/null
mode=$(stat -c %a m.data.old 2>/dev/null)
check "the previous recording, kept as m.data.old, keeps mode 600 (got ${mode:-none})" [ "$mode" = 600 ]
(umask 0 && exec "$CPERF" convert -i m.data -o c.pb.gz) 2>/dev/null
mode=$(stat -c %a c.pb.gz 2>/dev/null)
check "convert with umask 0: mode 600 (got ${mode:-no file})" [ "$mode" = 600 ]
(umask 0 && exec "$CPERF" report -i plain.data --flamegraph f.svg) 2>/dev/null
check "report --flamegraph with umask 0: not world-readable" [ "$(stat -c %a f.svg | cut -c3)" = 0 ]
(umask 0 && exec "$CPERF" stat -o s.txt -e task-clock -- true) 2>/dev/null
check "stat -o with umask 0: not world-readable" [ "$(stat -c %a s.txt | cut -c3)" = 0 ]
echo old >s.txt && chmod 644 s.txt
(umask 0 && exec "$CPERF" stat -o s.txt -e task-clock -- true) 2>/dev/null
mode=$(stat -c %a s.txt 2>/dev/null)
check "stat -o over an existing file with umask 0: mode 600 (got ${mode:-no file})" [ "$mode" = 600 ]
# a full file system: one line naming the file, no temporary file left
mkdir full2
if mount -t tmpfs -o size=4k tmpfs full2 2>/dev/null; then
	MOUNTS="$MOUNTS $TMPD/full2"
	head -c 4096 /dev/zero >full2/fill 2>/dev/null
	run "$CPERF" report -i plain.data --flamegraph full2/f.svg
	expect_rc 1 "report --flamegraph onto a full file system"
	expect_err "^cperf report: cannot write 'full2/f\.svg': No space left on device$" "flamegraph, full file system: message"
	expect_one_line_err "flamegraph onto a full file system"
	check "flamegraph, full file system: nothing left behind" [ "$(ls full2)" = fill ]
fi

done_testing
