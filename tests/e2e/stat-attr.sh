#!/bin/sh
# Attr golden tests: the perf_event_attr cperf stat opens (CPERF_ATTR_DUMP,
# see pmu/pmu.h) for command mode, -i, groups, -a and -p.
. "$top_srcdir/tests/e2e/lib.sh"

# attr_expect FILE DESCRIPTION KEY=VALUE...: every listed key has that value.
attr_expect() {
	f=$1
	d=$2
	shift 2
	if [ ! -f "$f" ]; then
		fail "$d: no attr dump $f"
		return
	fi
	for kv in "$@"; do
		k=${kv%%=*}
		v=${kv#*=}
		got=$(awk -v k="$k" '$1 == k && $2 == "=" { print $3 }' "$f")
		if [ "$got" = "$v" ]; then pass; else fail "$d: $k = ${got:-<missing>}, expected $v"; fi
	done
}
attr_val() { awk -v k="$2" '$1 == k && $2 == "=" { print $3 }' "$1"; }
dumps() { ls "$1" | wc -l; }

COUNTING="sample_period=0 sample_type=0 freq=0 read_format=3 result=0"

# ---- command mode ------------------------------------------------------------
D=$TMPD/cmd
mkdir "$D"
CPERF_ATTR_DUMP=$D run "$CPERF" stat -e task-clock,page-faults -- true
expect_rc 0 "command mode"
check "two attrs opened ($(dumps "$D"))" test "$(dumps "$D")" -eq 2
attr_expect "$D/attr-0001" "task-clock" type=1 config=1 size=128 disabled=1 inherit=1 \
	enable_on_exec=1 cpu=-1 group_fd=-1 flags=8 exclude_kernel=0 exclude_user=0 $COUNTING
attr_expect "$D/attr-0002" "page-faults" type=1 config=2 disabled=1 inherit=1 \
	enable_on_exec=1 cpu=-1 group_fd=-1 $COUNTING
P1=$(attr_val "$D/attr-0001" pid)
P2=$(attr_val "$D/attr-0002" pid)
check "both count the command's pid ($P1, $P2), not cperf's or every task" \
	test -n "$P1" -a "$P1" = "$P2" -a "$P1" != -1 -a "$P1" != 0

# ---- -i: no inheritance --------------------------------------------------------
D=$TMPD/noinh
mkdir "$D"
CPERF_ATTR_DUMP=$D run "$CPERF" stat -i -e task-clock -- true
attr_expect "$D/attr-0001" "-i" inherit=0 enable_on_exec=1 disabled=1

# ---- a group: the member follows its leader -------------------------------------
D=$TMPD/group
mkdir "$D"
CPERF_ATTR_DUMP=$D run "$CPERF" stat -e '{task-clock,page-faults}' -- true
expect_rc 0 "group"
attr_expect "$D/attr-0001" "group leader" config=1 disabled=1 enable_on_exec=1 group_fd=-1 $COUNTING
attr_expect "$D/attr-0002" "group member" config=2 disabled=0 enable_on_exec=0 inherit=1 $COUNTING
G=$(attr_val "$D/attr-0002" group_fd)
check "the member names its leader's fd ($G)" test "${G:--1}" -ge 0

# ---- -a: one counter per CPU, every task, enabled by ioctl ----------------------
D=$TMPD/sys
mkdir "$D"
NCPU=$(getconf _NPROCESSORS_ONLN)
CPERF_ATTR_DUMP=$D run "$CPERF" stat -a -e cpu-clock -- true
expect_rc 0 "-a"
check "one attr per online CPU ($(dumps "$D") of $NCPU)" test "$(dumps "$D")" -eq "$NCPU"
attr_expect "$D/attr-0001" "-a" type=1 config=0 pid=-1 cpu=0 disabled=1 enable_on_exec=0 $COUNTING

# ---- -p: the given task, enabled by ioctl ---------------------------------------
D=$TMPD/pid
mkdir "$D"
sleep 5 &
SP=$!
CPERF_ATTR_DUMP=$D run "$CPERF" stat -p $SP -e page-faults -- true
kill $SP 2>/dev/null
wait $SP 2>/dev/null
attr_expect "$D/attr-0001" "-p" pid=$SP cpu=-1 disabled=1 enable_on_exec=0 inherit=1 $COUNTING

done_testing
