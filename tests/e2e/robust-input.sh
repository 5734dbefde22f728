#!/bin/sh
# cperf report and cperf convert on damaged data files: cut at many offsets,
# empty, random bytes, wrong magic, header sizes and offsets past the end or
# absurd. Each run ends with exit 0 (with a warning naming the damage) or 1
# (one error line naming the file and what is wrong), never a signal, never
# a sanitizer report.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
need_cmd python3
cd "$TMPD" || hard_error "no temp dir"

# sane RC CMD...: the run ended in 0 or 1 without a sanitizer report; for 1,
# one error line (hints aside) that names the input file.
sane() {
	local what=$1
	shift
	run "$@"
	if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then pass; else
		fail "$what: exit status $RC (a signal or usage error)"
		head -5 "$TMPD/err" | sed 's/^/  stderr: /'
	fi
	expect_no_err 'AddressSanitizer|LeakSanitizer|runtime error|Segmentation' "$what: sanitizer report"
	if [ "$RC" -eq 1 ]; then
		expect_one_line_err "$what"
		expect_err "^cperf (report|convert): .*'[^']*bad\.data'" "$what: the error names the file"
	fi
}

# A recording of our own, with call chains and a kallsyms snapshot.
"$CPERF" record -q -F 999 -g -o good.data -- "$(workload cpusplit)" 0.3 >/dev/null 2>&1 ||
	hard_error "cannot record"
size=$(stat -c %s good.data)
# header: magic, size, attr_size, attrs (offset, size), data (offset, size)
set -- $(python3 -c "import struct; print(*struct.unpack_from('<QQQQQQ', open('good.data','rb').read(), 8))")
data_off=$5 data_end=$(($5 + $6))
[ "$data_end" -le "$size" ] || hard_error "unexpected layout of good.data"

# patch OFFSET VALUE: good.data with the u64 at OFFSET replaced, as bad.data
patch() {
	python3 -c "import struct,sys; b=bytearray(open('good.data','rb').read()); struct.pack_into('<Q', b, int(sys.argv[1]), int(sys.argv[2]) % 2**64); open('bad.data','wb').write(b)" "$1" "$2"
}

# ---- cut at many offsets -------------------------------------------------
# the header, the attrs, every stretch of the data, the feature sections
offsets="0 7 8 15 16 60 103 104 $((data_off - 1)) $data_off $((data_off + 5)) $((data_off + 8))"
step=$(( (data_end - data_off) / 8 + 1 ))
o=$((data_off + 13))
while [ $o -lt $data_end ]; do offsets="$offsets $o"; o=$((o + step)); done
offsets="$offsets $((data_end - 1)) $data_end $((data_end + 1)) $(( (data_end + size) / 2 )) $((size - 8)) $((size - 1))"
cut_warned=0 cut_ok=0
for off in $offsets; do
	head -c "$off" good.data >bad.data
	sane "report, cut at $off" "$CPERF" report -i bad.data --stdio
	if [ "$RC" -eq 0 ]; then
		cut_ok=$((cut_ok + 1))
		# cut inside the data: a warning says so
		if [ "$off" -gt "$data_off" ] && [ "$off" -lt "$data_end" ]; then
			expect_err "^cperf report: warning: 'bad\.data' (was cut short|was not closed properly)" \
				"report, cut at $off inside the data: a warning names the damage"
			cut_warned=$((cut_warned + 1))
		fi
	fi
done
# a recording cut inside its data is read up to its last complete record
if [ $cut_warned -ge 4 ]; then pass; else fail "only $cut_warned data cuts read (expected most)"; fi
# cut inside its feature table or sections (the data whole, as perf reads
# it): every sample, with a warning
run "$CPERF" report -i good.data --stdio
all=$(grep -E '^# Samples: [0-9]+ ' "$TMPD/out")
for off in $((data_end + 1)) $((data_end + 16)) $(( (data_end + size) / 2 )) $((size - 8)) $((size - 1)); do
	head -c "$off" good.data >bad.data
	run "$CPERF" report -i bad.data --stdio
	expect_rc 0 "report, cut at $off inside the features"
	expect_err "^cperf report: warning: 'bad\.data' was not closed properly" \
		"report, cut at $off inside the features: a warning"
	check "report, cut at $off inside the features: every sample ($all)" \
		[ "$(grep -E '^# Samples: [0-9]+ ' "$TMPD/out")" = "$all" ]
done
for off in 0 16 104 $((data_off + 13)) $(( (data_off + data_end) / 2 )) $((data_end - 1)) $((size - 1)); do
	head -c "$off" good.data >bad.data
	rm -f bad.pb.gz
	sane "convert, cut at $off" "$CPERF" convert -i bad.data -o bad.pb.gz
	if [ "$RC" -eq 1 ]; then
		check "convert, cut at $off: no output left behind" [ ! -e bad.pb.gz ]
	else
		check "convert, cut at $off: a profile" [ -s bad.pb.gz ]
	fi
done

# ---- whole files that are not recordings ---------------------------------
: >bad.data
sane "report, zero-length" "$CPERF" report -i bad.data --stdio
expect_rc 1 "report, zero-length"
expect_err "zero-length|empty" "report, zero-length: says so"
sane "convert, zero-length" "$CPERF" convert -i bad.data -o bad.pb.gz
expect_rc 1 "convert, zero-length"
head -c 65536 /dev/urandom >bad.data
sane "report, random bytes" "$CPERF" report -i bad.data --stdio
expect_rc 1 "report, random bytes"
expect_err "not a perf.data file" "report, random bytes: says so"
sane "convert, random bytes" "$CPERF" convert -i bad.data -o bad.pb.gz
expect_rc 1 "convert, random bytes"
{ printf 'PERFILE3'; tail -c +9 good.data; } >bad.data
sane "report, wrong magic" "$CPERF" report -i bad.data --stdio
expect_rc 1 "report, wrong magic"
expect_err "bad magic" "report, wrong magic: says so"

# A non-regular input (a device, a pipe) is read on only after its first
# 16 bytes (magic, header size) say it is a recording, so an endless one
# ends at once; a recording's header from a pipe followed by an endless
# stream ends with an error at a limit (half the memory or the ulimit).
run timeout 10 "$CPERF" report -i /dev/zero --stdio
expect_rc 1 "report -i /dev/zero ends at once"
expect_err "^cperf report: '/dev/zero' is not a perf\.data file \(bad magic\)$" "report -i /dev/zero: says so"
expect_one_line_err "report -i /dev/zero"
run timeout 10 sh -c "'$CPERF' report -i - --stdio </dev/zero"
expect_rc 1 "report -i - from /dev/zero ends at once"
expect_err "'-' is not a perf\.data file \(bad magic\)" "report -i - from /dev/zero: says so"
rm -f bad.pb.gz
run timeout 10 sh -c "{ printf 'PERFILE2\010\0\0\0\0\0\0\0'; cat /dev/zero; } | '$CPERF' convert -i - -o bad.pb.gz"
expect_rc 1 "convert -i -, a header size of 8 and endless zeros"
expect_err "bad header size 8" "convert -i -, a header size of 8: says so"
check "convert -i -, a header size of 8: no output left behind" [ ! -e bad.pb.gz ]
# (ulimit -v cannot be combined with the sanitizers' shadow memory)
if ! grep -q -- '-fsanitize=address' "$top_builddir/Makefile"; then
	run timeout 60 sh -c "ulimit -v 1000000; { printf 'PERFILE2\020\0\0\0\0\0\0\0'; cat /dev/zero; } | '$CPERF' report -i - --stdio"
	expect_rc 1 "report -i -, a pipe header and endless zeros, ulimit -v 1 GB"
	expect_err "^cperf report: '-': more than [0-9]+ MiB from a pipe or device: save it to a file" \
		"report -i -, endless pipe input: the limit is named"
	expect_one_line_err "report -i -, endless pipe input"
fi
# file mode through a pipe is read too
run sh -c "cat good.data | '$CPERF' report -i - --stdio"
expect_rc 0 "report -i - of a file-mode recording from a pipe"

# ---- header fields pointing past the end, or absurd ----------------------
for spec in "8 $((1 << 62)) header size" "8 24 header size too small" \
	"16 0 attr size 0" "16 $((1 << 40)) attr size huge" \
	"24 $((size + 4096)) attrs offset past the end" "32 $((1 << 62)) attrs size huge" \
	"40 $((size + 1)) data offset past the end" "40 -8 data offset wraps" \
	"48 $((size * 4)) data size past the end" "48 -1 data size wraps" \
	"$data_off 0 first record all zero (size 0)" \
	"$data_off 18446744069414584320 first record size 0xffff, type 0"; do
	set -- $spec
	o=$1 v=$2
	shift 2
	patch "$o" "$v"
	sane "report, $*" "$CPERF" report -i bad.data --stdio
	sane "convert, $*" "$CPERF" convert -i bad.data -o bad.pb.gz
done
# a data size past the end is a recorder killed before it could fix the
# header: read what is there, with a warning
patch 48 $((size * 4))
run "$CPERF" report -i bad.data --stdio
if [ "$RC" -eq 0 ]; then expect_err "warning: 'bad\.data'" "data size past the end: a warning"; else
	expect_err "past the end|truncated|cut short" "data size past the end: the error says so"; fi

# ---- mapping paths that name a FIFO or a device: never opened blocking --
# (the workload's path in the MMAP2 records is replaced by a shorter one)
mkfifo fifo
wl=$(workload cpusplit)
for target in "$TMPD/fifo" /dev/zero /dev/tty; do
	if python3 -c "import sys
b = open('good.data', 'rb').read(); old = sys.argv[1].encode() + b'\0'; new = sys.argv[2].encode()
if len(new) >= len(old) or old not in b: sys.exit(1)
open('bad.data', 'wb').write(b.replace(old, new + b'\0' * (len(old) - len(new))))" "$wl" "$target"; then
		run timeout 20 "$CPERF" report -i bad.data --stdio
		expect_rc 0 "report of a recording whose mapping names $target"
		expect_no_err 'AddressSanitizer|LeakSanitizer|runtime error' "mapping named $target: sanitizer report"
	else
		echo "note: cannot put '$target' in place of '$wl' (longer path): skipped"
	fi
done

# ---- pipe mode from a pipe, cut short ------------------------------------
"$CPERF" record -q -F 999 -o - -- "$(workload cpusplit)" 0.2 >pipe.data 2>/dev/null || hard_error "cannot record to a pipe"
psize=$(stat -c %s pipe.data)
for off in 8 16 17 100 $((psize / 3)) $((psize / 2)) $((psize - 3)); do
	head -c "$off" pipe.data >bad.data
	run sh -c "cat bad.data | '$CPERF' report -i - --stdio"
	if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then pass; else fail "report -i - of a pipe cut at $off: exit status $RC"; fi
	expect_no_err 'AddressSanitizer|LeakSanitizer|runtime error' "report -i -, cut at $off: sanitizer report"
done

done_testing
