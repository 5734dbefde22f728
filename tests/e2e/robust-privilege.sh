#!/bin/sh
# cperf without privileges (an unprivileged user, perf_event_paranoid >= 2)
# and with few file descriptors: system-wide recording fails with advice
# naming perf_event_paranoid and CAP_PERFMON; recording the user's own
# command in user space works, as the kernel allows it; unwritable output
# and other users' processes fail with one clear line; a low `ulimit -n`
# gives advice about it.
. "$top_srcdir/tests/e2e/lib.sh"
need_root
need_cmd setpriv
W=$(workload cpusplit)
paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo 0)
# the unprivileged user: nobody (no user is created on the machine)
NB="setpriv --reuid=65534 --regid=65534 --clear-groups"
chmod 755 "$TMPD"
mkdir "$TMPD/nb"
chown 65534:65534 "$TMPD/nb"
cd "$TMPD/nb" || hard_error "no temp dir"
sanitizer_free() { expect_no_err 'AddressSanitizer|LeakSanitizer|runtime error' "$1: sanitizer report"; }

# ---- a low ulimit -n (as root): advice about the limit ------------------
EV=cpu-clock,task-clock,page-faults,minor-faults,major-faults,context-switches
run sh -c "ulimit -n 8 && exec '$CPERF' record -a -e $EV -o '$TMPD/ul.data' -- true"
expect_rc 1 "record -a with ulimit -n 8"
expect_err "^cperf record: cannot open event '[^']*' on CPU [0-9]+: Too many open files$" "record -a, ulimit -n 8: the error"
expect_err "^hint: .*ulimit -n" "record -a, ulimit -n 8: advice about ulimit -n"
expect_one_line_err "record -a, ulimit -n 8"
sanitizer_free "record -a, ulimit -n 8"
run sh -c "ulimit -n 8 && exec '$CPERF' stat -a -e $EV -- true"
expect_rc 1 "stat -a with ulimit -n 8"
expect_err "^hint: .*ulimit -n" "stat -a, ulimit -n 8: advice about ulimit -n"
expect_one_line_err "stat -a, ulimit -n 8"

# ---- unprivileged ---------------------------------------------------------
if ! $NB "$CPERF" --version >/dev/null 2>&1; then
	echo "note: the user nobody cannot run '$CPERF' (build directory permissions): unprivileged checks skipped"
	done_testing
fi
if [ "$paranoid" -lt 2 ]; then
	echo "note: perf_event_paranoid is $paranoid (< 2): unprivileged checks skipped"
	done_testing
fi

run $NB "$CPERF" record -a -o sys.data -- true
expect_rc 1 "unprivileged record -a"
expect_err "^cperf record: cannot open event '[^']*' on CPU [0-9]+: Permission denied$" "unprivileged record -a: the error"
expect_err "^hint: .*perf_event_paranoid.*CAP_PERFMON|^hint: .*CAP_PERFMON.*perf_event_paranoid" \
	"unprivileged record -a: the hint names perf_event_paranoid and CAP_PERFMON"
expect_one_line_err "unprivileged record -a"
sanitizer_free "unprivileged record -a"
check "unprivileged record -a: no file left" [ ! -e sys.data ]

# The user's own command in user space: the kernel allows it at level 2.
run $NB "$CPERF" record -e cpu-clock:u -F 999 -o own.data -- "$W" 0.4
expect_rc 0 "unprivileged record -e cpu-clock:u of its own command"
sanitizer_free "unprivileged record of its own command"
n=$(sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err")
run $NB "$CPERF" report -i own.data --stdio
expect_rc 0 "unprivileged report"
expect_out "^# samples: ${n:-x}," "unprivileged: the report counts the summary's samples"
expect_out "func_a" "unprivileged: the workload's functions are named"
expect_no_err "warning:" "unprivileged report: no warning"
owner=$(stat -c %u own.data)
check "the recording belongs to the user (uid $owner)" [ "$owner" = 65534 ]

# stat of its own command (the user-space-only fallback, as perf)
run $NB "$CPERF" stat -e task-clock -- "$W" 0.1
expect_rc 0 "unprivileged stat of its own command"
expect_err "task-clock" "unprivileged stat prints task-clock"

# an output directory the user cannot write to
mkdir ro
chmod 500 ro
run $NB "$CPERF" record -e cpu-clock:u -o ro/x.data -- true
expect_rc 1 "unprivileged record into an unwritable directory"
expect_err "^cperf record: cannot create 'ro/x\.data': Permission denied$" "unwritable directory: message"
expect_one_line_err "unwritable directory"

# another user's process
sleep 20 &
S=$!
run $NB "$CPERF" record -e cpu-clock:u -p $S -d 0.3 -o other.data
kill $S 2>/dev/null
expect_rc 1 "unprivileged record -p of root's process"
expect_err "Permission denied|Operation not permitted" "record -p of root's process: the error"
expect_one_line_err "record -p of root's process"

# Known bug (reported): perf falls back to user space only (exclude_kernel)
# for a per-process recording at level 2; cperf record does not yet (stat
# does). CPERF_KNOWN_BUGS=1 checks it.
if [ "${CPERF_KNOWN_BUGS:-0}" = 1 ]; then
	run $NB "$CPERF" record -F 999 -o dflt.data -- "$W" 0.3
	expect_rc 0 "unprivileged record of its own command with the default event"
	run $NB "$CPERF" record -e task-clock -F 999 -o tc.data -- "$W" 0.3
	expect_rc 0 "unprivileged record -e task-clock of its own command"
fi

done_testing
