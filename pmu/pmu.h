/* pmu: event names to perf_event_attr, opening events, and advice for open
 * errors. Knows nothing of symbols or profiles (DESIGN §2). */
#ifndef CPERF_PMU_H
#define CPERF_PMU_H

/* <linux/perf_event.h> first: libpfm4 ships an older copy (PITFALLS). */
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum pmu_event_kind {
	PMU_EV_HARDWARE,   /* PERF_TYPE_HARDWARE generic names */
	PMU_EV_CACHE,      /* PERF_TYPE_HW_CACHE */
	PMU_EV_RAW,        /* rNNNN, or a kernel PMU's pmu/terms/ (msr/tsc/) */
	PMU_EV_PFM,        /* a libpfm4 PMU event (INST_RETIRED:ANY_P, pmu::ev:umask) */
	PMU_EV_SOFTWARE,   /* PERF_TYPE_SOFTWARE */
	PMU_EV_TRACEPOINT, /* PERF_TYPE_TRACEPOINT */
	PMU_EV_BREAKPOINT, /* PERF_TYPE_BREAKPOINT: mem:ADDR[/LEN][:rwx] (sample_period 1) */
};

struct pmu_event {
	char *name;        /* canonical display name: "cycles", "cpu-clock:u", "sched:sched_switch" */
	enum pmu_event_kind kind;
	struct perf_event_attr attr; /* type, config*, exclude_*, precise_ip, size set;
				      * sampling fields only when period=/freq= given */
	int leader;        /* index of the group leader in the list; itself when not grouped */
	bool has_period;   /* period=N given for this event */
	bool has_freq;     /* freq=N given for this event */
};

struct pmu_event_list {
	struct pmu_event *ev;
	size_t nr;
};

struct pmu_parse_error {
	char msg[256];  /* one line: "unknown event 'cylces'" */
	char hint[256]; /* "did you mean 'cycles'?" or empty */
};

/* Parses one -e argument ("a,b,{c,d}:u,...") and appends its events to list.
 * Returns 0, or -EINVAL (syntax, bad term value) or -ENOENT (unknown name,
 * no such tracepoint, tracefs unavailable) with err filled, or -ENOMEM.
 * Release the list with pmu_event_list_fini().
 *
 * Syntax (perf's): EVENT[,EVENT|,{EVENT,...}[:MODS]]... where EVENT is
 *   NAME[/TERMS/][:MODS]
 *   NAME  cycles, cpu-clock, L1-dcache-load-misses (hardware, software,
 *         cache names and perf's aliases), rNNNN (raw hex), a libpfm4 name
 *         (INST_RETIRED:ANY_P, pmu::event:umask), a tracepoint sys:name with
 *         fnmatch globs (sched:sched_*; one event per match, sorted), or a
 *         kernel PMU from /sys/bus/event_source/devices as PMU/TERMS/
 *         (msr/tsc/, cpu/event=0x3c,umask=0/: format terms and aliases);
 *         or a breakpoint mem:ADDR[/LEN][:ACCESS] (sample_period 1, but not
 *         has_period: -F and -c still apply, see pmu_sampler_attr)
 *   TERMS period=N, freq=N, name=DISPLAY-NAME (comma-separated)
 *   MODS  u k h (count only those levels), p pp ppp (precise_ip)
 * Each event gets attr.type, config, exclude_* bits, precise_ip, attr.size =
 * sizeof(struct perf_event_attr), disabled = 0; sample_period/freq only from
 * terms (has_period/has_freq). Callers set sample_type, read_format,
 * disabled, inherit ... themselves.
 * Errors: err->msg is one line without "cperf CMD:" ("unknown event
 * 'cylces'"), err->hint one line without "hint:" ("did you mean
 * 'cycles'?") or empty. Print them as
 *   msg_error(cmd, "%s", err.msg); if (err.hint[0]) msg_hint("%s", err.hint);
 * and exit 2 (EXIT_USAGE) for -EINVAL/-ENOENT. Quoted user text in the
 * messages is sanitized (no control characters) and bounded.
 * On error the list is left as it was before the call. */
int pmu_events_parse(struct pmu_event_list *list, const char *spec,
		     struct pmu_parse_error *err);
void pmu_event_list_fini(struct pmu_event_list *list);

/* True for a hardware-class event (needs a PMU). */
bool pmu_event_needs_pmu(const struct pmu_event *ev);

/* Turns ev (cycles, named or default) into its sampling fallback on a
 * machine without a PMU: cpu-clock when system_wide, else task-clock. Keeps
 * modifiers (exclude_*), period/freq terms; clears precise_ip (a timer has
 * none) and renames ev->name ("cycles:u" -> "cpu-clock:u"). Returns 0, or
 * -ENOENT when ev has no fallback (anything but hardware cpu-cycles).
 * Usage: save the old name first, then
 *   msg_note(cmd, "event '%s' is not supported here; sampling '%s' instead", old, ev->name); */
int pmu_event_fallback(struct pmu_event *ev, bool system_wide);

/* perf_event_open(2). Returns an fd or -errno. With CPERF_ATTR_DUMP=DIR set,
 * also writes the attr it opens to DIR (for the attr golden tests).
 *
 * Dump format (one file per call, written whether or not the open succeeds):
 * DIR/attr-NNNN, NNNN = 0001, 0002, ... in call order (the first free number
 * in DIR, so several cperf runs into one DIR keep their order too). The file
 * is text, one "key = value" line per field, values in decimal:
 *   pid, cpu, group_fd, flags      the other arguments of the call
 *   type, size, config, config1, config2, sample_period (or sample_freq when
 *   freq = 1), sample_type, read_format, every attr bit-field by its kernel
 *   name (disabled, inherit, ..., exclude_kernel, precise_ip, ..., sigtrap),
 *   wakeup_events, bp_type, config1, config2, bp_addr, bp_len (the same
 *   unions again), branch_sample_type, sample_regs_user,
 *   sample_stack_user, clockid, sample_regs_intr, aux_watermark,
 *   sample_max_stack, aux_sample_size, sig_data
 *   result                         0 when the open succeeded, else -errno
 * Golden tests compare only the keys their expected file lists
 * (tests/e2e/attr-lib.sh: attr_check EXPECTED DUMPFILE). */
int pmu_open(const struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	     unsigned long flags);

/* Probes whether this machine can count attr: opens it disabled on the
 * calling thread (any CPU) and closes it again; on EACCES/EPERM retries
 * with exclude_kernel and exclude_hv set (perf_event_paranoid 2). Returns 0
 * or -errno of the open. */
int pmu_probe(const struct perf_event_attr *attr);

/* True when err (negative or positive errno) from opening ev means "this
 * machine cannot count it": ENOENT, EOPNOTSUPP, ENXIO; ENODEV and EINVAL
 * only for PMU events (for software events ENODEV is an offline CPU; EINVAL
 * from a frequency above perf_event_max_sample_rate is not "unsupported"). */
bool pmu_err_not_supported(int err, const struct pmu_event *ev);

/* Advice for an open error (negative or positive errno): fills hint (one
 * line, no "hint:" prefix, never longer than len) and returns true when
 * there is advice: perf_event_paranoid's value and CAP_PERFMON for
 * EACCES/EPERM, "event 'X' is not supported on this machine (no hardware
 * PMU?); try -e cpu-clock" for ENOENT/EOPNOTSUPP on PMU events, the sysctl
 * for EINVAL with a too-high frequency, ulimit -n for EMFILE, offline CPUs
 * for ENODEV, ... Print the error line yourself first:
 *   msg_error(cmd, "cannot open event '%s' on CPU %d: %s", ev->name, cpu, strerror(-err)); */
bool pmu_open_hint(int err, const struct pmu_event *ev, bool system_wide,
		   char *hint, size_t len);
/* Advice for an EACCES/EPERM opening events on task tid when the cause is
 * the task, not the paranoid level: it belongs to another user and we are
 * not root ("process N belongs to another user ..."). False when that is
 * not the case; then use pmu_open_hint. */
bool pmu_task_hint(int err, pid_t tid, char *hint, size_t len);

/* The tracefs directory, mounting tracefs on /sys/kernel/tracing when root and
 * it is not mounted. Returns 0 or -errno: -EACCES (mounted, but only root
 * may read it), -EPERM (not mounted and not root), -ENOENT (no tracefs).
 * CPERF_TRACEFS=DIR in the environment overrides the search (tests use a
 * fixture tree with DIR/events/<sys>/<name>/id). */
int pmu_tracefs_dir(char *buf, size_t len);
/* For an error of pmu_tracefs_dir: a few words saying why ("not mounted")
 * and the advice to print after it (PMU_TRACEFS_HINT for -EPERM). */
const char *pmu_tracefs_reason(int err);
const char *pmu_tracefs_hint(int err);
#define PMU_TRACEFS_HINT "mount it as root: mount -t tracefs nodev /sys/kernel/tracing"

/* perf's tracing data for the tracepoints with these ids (attr.config of
 * PERF_TYPE_TRACEPOINT events; duplicates allowed): the bytes perf's
 * trace-event-read.c reads from a recording's HEADER_TRACING_DATA section
 * (version 0.6): tracefs's events/header_page and header_event, the format
 * file of each tracepoint (found by its events/SYS/EVENT/id; ftrace:* ones
 * in the ftrace list, the others grouped by system), no kallsyms,
 * printk_formats (empty when unreadable), no saved_cmdlines; host byte
 * order. perf refuses a recording with tracepoints without it. Returns 0
 * with *out (release with free) and *len set, or -errno: those of
 * pmu_tracefs_dir, -ENOENT (an id names no tracepoint, or a file is
 * missing), -ENODATA (an empty header or format file), -EFBIG (a file
 * larger than perf would expect), -EINVAL (no ids), -ENOMEM. */
int pmu_tracing_data(const uint64_t *ids, size_t nr, void **out, size_t *len);

/* ---- listing (cperf list) --------------------------------------------- */
struct pmu_event_info {
	const char *name;  /* "cycles", "L1-dcache-load-misses", "sched:sched_switch",
			    * "skl::INST_RETIRED" (PMU events), "skl::INST_RETIRED:ANY_P" (umasks) */
	const char *alias; /* "cpu-cycles" or NULL */
	const char *desc;  /* one line, may be NULL (tracepoints) */
	enum pmu_event_kind kind;
	const char *pmu;   /* libpfm4 PMU name for PMU_EV_PFM, else NULL */
	bool is_umask;     /* a PMU event's umask line (verbose listing only) */
	struct perf_event_attr attr; /* ready to probe; type 0 size 0 when the
				      * entry cannot be encoded alone */
};

/* Calls fn for every event of kind, in listing order, until fn returns
 * non-zero (which is returned). PMU_EV_PFM lists the events of the PMUs
 * libpfm4 finds on this host (umask lines only when verbose);
 * before them, the kernel PMUs' sysfs event aliases as "pmu/alias/" with
 * kind PMU_EV_RAW (desc: their terms);
 * PMU_EV_TRACEPOINT lists tracefs (errors from pmu_tracefs_dir are
 * returned); PMU_EV_RAW lists nothing; PMU_EV_BREAKPOINT one syntax line
 * (attr.size 0). Returns 0 or -errno. The strings
 * live only during the call. */
int pmu_events_foreach(enum pmu_event_kind kind, bool verbose,
		       int (*fn)(const struct pmu_event_info *info, void *arg), void *arg);
#endif
