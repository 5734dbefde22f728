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
	PMU_EV_RAW,        /* rNNNN */
	PMU_EV_PFM,        /* a libpfm4 PMU event (INST_RETIRED:ANY_P, pmu::ev:umask) */
	PMU_EV_SOFTWARE,   /* PERF_TYPE_SOFTWARE */
	PMU_EV_TRACEPOINT, /* PERF_TYPE_TRACEPOINT */
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
 * Returns 0, or -EINVAL/-ENOENT with err filled, or -ENOMEM.
 * Release the list with pmu_event_list_fini(). */
int pmu_events_parse(struct pmu_event_list *list, const char *spec,
		     struct pmu_parse_error *err);
void pmu_event_list_fini(struct pmu_event_list *list);

/* True for a hardware-class event (needs a PMU). */
bool pmu_event_needs_pmu(const struct pmu_event *ev);

/* Turns ev (cycles, named or default) into its sampling fallback on a
 * machine without a PMU: cpu-clock when system_wide, else task-clock. Keeps
 * modifiers. Returns 0, or -ENOENT when ev has no fallback. */
int pmu_event_fallback(struct pmu_event *ev, bool system_wide);

/* perf_event_open(2). Returns an fd or -errno. With CPERF_ATTR_DUMP=DIR set,
 * also writes the attr it opens to DIR (for the attr golden tests). */
int pmu_open(const struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	     unsigned long flags);

/* True when err from opening ev means "this machine cannot count it"
 * (ENOENT, EOPNOTSUPP, ENODEV for a hardware event ...). */
bool pmu_err_not_supported(int err, const struct pmu_event *ev);

/* Advice for an open error: fills hint (one line, no "hint:" prefix) and
 * returns true when there is advice. */
bool pmu_open_hint(int err, const struct pmu_event *ev, bool system_wide,
		   char *hint, size_t len);

/* The tracefs directory, mounting tracefs on /sys/kernel/tracing when root and
 * it is not mounted. Returns 0 or -errno (-EACCES when not root). */
int pmu_tracefs_dir(char *buf, size_t len);
#endif
