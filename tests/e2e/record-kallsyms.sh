#!/bin/sh
# The kallsyms snapshot in a recording holds only the kernel symbols its
# samples need, and symbolizes them exactly as the whole /proc/kallsyms does.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
[ "$(cat /proc/sys/kernel/kptr_restrict 2>/dev/null)" = 0 ] || skip "kptr_restrict hides kernel addresses"

data="$TMPD/k.data"
run "$CPERF" record -q -a -g -F 999 -o "$data" -- "$(workload cpusplit)" 1
expect_rc 0 "record -a -g"
run "$CPERF" report -q -i "$data" --folded
expect_rc 0 "report with the stored snapshot"
sort "$TMPD/out" >"$TMPD/stored"
run "$CPERF" report -q -i "$data" --folded --kallsyms /proc/kallsyms
expect_rc 0 "report with the live kallsyms"
sort "$TMPD/out" >"$TMPD/live"
check "stored snapshot gives the same stacks as /proc/kallsyms" cmp -s "$TMPD/stored" "$TMPD/live"
# some frame is a kernel text symbol by name (which ones depends on what the
# machine did: syscalls, interrupts, or only the idle loop)
awk '{ sub(/ [0-9]+$/, ""); n = split($0, f, ";"); for (i = 1; i <= n; i++) print f[i] }' \
	"$TMPD/stored" | sort -u >"$TMPD/frames"
awk '$2 ~ /^[tTwW]$/ { print $3 }' /proc/kallsyms | sort -u >"$TMPD/ksyms"
check "kernel frames were symbolized" test -n "$(comm -12 "$TMPD/frames" "$TMPD/ksyms" | head -1)"

# the whole text-symbol table is ~0.8 MB compressed; a 1 s recording with a
# filtered snapshot stays far below what it was with the table (>= 1.2 MB)
size=$(stat -c %s "$data")
if [ "$size" -lt 900000 ]; then pass; else fail "recording of 1 s is $size bytes: the snapshot is not filtered?"; fi
done_testing
