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
# fewer still: what fails first (the command's pipes, the output file, an
# event) names the error and gives the same advice
for n in 4 5 6 7; do
	run sh -c "ulimit -n $n && exec '$CPERF' record -a -e cpu-clock -o '$TMPD/ul$n.data' -- true"
	expect_rc 1 "record -a with ulimit -n $n"
	expect_err "^cperf record: .*: Too many open files$" "record -a, ulimit -n $n: the error"
	expect_err "^hint: .*ulimit -n" "record -a, ulimit -n $n: advice about ulimit -n"
	expect_one_line_err "record -a, ulimit -n $n"
	sanitizer_free "record -a, ulimit -n $n"
	run sh -c "ulimit -n $n && exec '$CPERF' stat -a -- true"
	expect_rc 1 "stat -a with ulimit -n $n"
	expect_err "^hint: .*ulimit -n" "stat -a, ulimit -n $n: advice about ulimit -n"
	expect_one_line_err "stat -a, ulimit -n $n"
done

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
expect_err "^cperf record: cannot open event '[^']*' for task $S: " "record -p of root's process: the error names the task"
expect_err "^hint: process $S belongs to another user" "record -p of root's process: the hint says whose process it is"
expect_no_err "perf_event_paranoid" "record -p of root's process: no advice about the paranoid level"
expect_one_line_err "record -p of root's process"
sanitizer_free "record -p of root's process"
sleep 20 &
S=$!
run $NB "$CPERF" stat -e task-clock -p $S -- sleep 0.1
kill $S 2>/dev/null
expect_rc 1 "unprivileged stat -p of root's process"
expect_err "^hint: process $S belongs to another user" "stat -p of root's process: the hint says whose process it is"
expect_one_line_err "stat -p of root's process"

# Without ':u' record falls back to user space only (exclude_kernel), as
# perf does for a per-process recording at level 2, with one note.
NOTE='^cperf record: note: sampling user space only: kernel\.perf_event_paranoid is [0-9]+'
for args in "" "-e task-clock" "-g" "-e task-clock -g"; do
	rm -f dflt.data
	run $NB "$CPERF" record $args -F 999 -o dflt.data -- "$W" 0.3
	expect_rc 0 "unprivileged record $args of its own command without ':u'"
	expect_err "$NOTE" "unprivileged record $args: the user-space-only note"
	check "unprivileged record $args: the note once" [ "$(grep -Ec "$NOTE" "$TMPD/err")" = 1 ]
	sanitizer_free "unprivileged record $args"
	n=$(sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err")
	check "unprivileged record $args: samples (got ${n:-none})" [ "${n:-0}" -gt 0 ]
	run "$CPERF" report -i dflt.data --stdio
	expect_rc 0 "report (as root) of the unprivileged record $args"
	expect_out "^# samples: ${n:-x}," "unprivileged record $args: the report counts the summary's samples"
	expect_out "func_a" "unprivileged record $args: the workload's functions are named"
done
# the user's own running process (-p)
$NB "$W" 3 >/dev/null 2>&1 &
S=$!
sleep 0.2
run $NB "$CPERF" record -F 999 -p $S -d 0.4 -o pown.data
kill $S 2>/dev/null
wait $S 2>/dev/null
expect_rc 0 "unprivileged record -p of its own process without ':u'"
expect_err "$NOTE" "unprivileged record -p: the user-space-only note"
n=$(sed -n 's/^cperf record: \([0-9]*\) samples, .*/\1/p' "$TMPD/err")
check "unprivileged record -p: samples (got ${n:-none})" [ "${n:-0}" -gt 0 ]
# ':k' asks for the kernel only: no fallback (it would record nothing); the
# error names the command, not a CPU
run $NB "$CPERF" record -e task-clock:k -o k.data -- true
expect_rc 1 "unprivileged record -e task-clock:k"
expect_err "^cperf record: cannot open event 'task-clock:k' for the command: Permission denied$" \
	"unprivileged record -e task-clock:k: the error names the command"
expect_err "^hint: .*perf_event_paranoid" "unprivileged record -e task-clock:k: the hint"
expect_one_line_err "unprivileged record -e task-clock:k"

done_testing
