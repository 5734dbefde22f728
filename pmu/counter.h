/* pmu counters: counting events per task or per CPU (groups, inherit,
 * enable_on_exec), reading them and scaling for multiplexing; the engine
 * under cperf stat. Never prints (DESIGN §4). */
#ifndef CPERF_PMU_COUNTER_H
#define CPERF_PMU_COUNTER_H

#include "pmu.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One reading (or a sum of readings) with read_format
 * TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING. */
struct pmu_count {
	uint64_t val; /* raw count */
	uint64_t ena; /* ns the event was enabled */
	uint64_t run; /* ns the event was on the PMU; < ena when multiplexed */
};

/* The count scaled for multiplexing: val * ena / run; val when the event ran
 * the whole time; 0 when it never ran. */
double pmu_count_scaled(const struct pmu_count *c);
/* Percentage of the enabled time the event ran (100 when ena is 0). */
double pmu_count_pct_running(const struct pmu_count *c);
void pmu_count_add(struct pmu_count *acc, const struct pmu_count *c);
/* cur - prev, field by field (saturating at 0), for interval deltas. */
void pmu_count_delta(struct pmu_count *out, const struct pmu_count *cur,
		     const struct pmu_count *prev);

/* What to count. Every event is opened once per (CPU, task) pair:
 * cpus NULL means any CPU (cpu = -1), tids NULL means every task on the CPU
 * (pid = -1, system wide); not both NULL. */
struct pmu_counter_target {
	const int *cpus;
	size_t nr_cpus;
	const pid_t *tids;
	size_t nr_tids;
	bool inherit;        /* count children and threads created later */
	bool enable_on_exec; /* start counting when the task execs (command
			      * mode); otherwise pmu_counters_enable() starts */
};

/* Where and why pmu_counters_open() failed. */
struct pmu_counter_failure {
	size_t event; /* index in the event list */
	int cpu;      /* -1: any CPU */
	pid_t tid;    /* -1: every task */
	int err;      /* -errno */
};

struct pmu_counters;

/* Prepares counters for every event of evs (which must outlive them) on
 * target (copied). NULL with errno (EINVAL, ENOMEM) on failure.
 * Release: pmu_counters_free(). */
struct pmu_counters *pmu_counters_new(const struct pmu_event_list *evs,
				      const struct pmu_counter_target *target);
void pmu_counters_free(struct pmu_counters *c);

/* Opens every counter, disabled (leaders) until enable or exec. An event the
 * machine cannot count (pmu_err_not_supported) is marked unsupported and
 * skipped; a group member whose leader is unsupported counts on its own. A
 * task that exited meanwhile (ESRCH) is skipped unless every task did.
 * Returns 0, or the -errno of the first real failure with *fail filled
 * (fail may be NULL); nothing stays open then. */
int pmu_counters_open(struct pmu_counters *c, struct pmu_counter_failure *fail);
void pmu_counters_close(struct pmu_counters *c);

/* PERF_EVENT_IOC_ENABLE / DISABLE on every open leader. 0 or -errno. */
int pmu_counters_enable(struct pmu_counters *c);
int pmu_counters_disable(struct pmu_counters *c);

/* Reads every open counter; the values stay until the next read.
 * 0 or -errno (a short read is -EIO). */
int pmu_counters_read(struct pmu_counters *c);

size_t pmu_counters_nr_events(const struct pmu_counters *c);
size_t pmu_counters_nr_cpus(const struct pmu_counters *c);  /* >= 1 */
size_t pmu_counters_nr_tids(const struct pmu_counters *c);  /* >= 1 */
/* False when the machine cannot count event ev. */
bool pmu_counters_supported(const struct pmu_counters *c, size_t ev);
/* The -errno that made event ev unsupported (0 when supported). */
int pmu_counters_error(const struct pmu_counters *c, size_t ev);
/* True when event ev counts user space only because the kernel refused
 * kernel counting (perf_event_paranoid): show it as "name:u". */
bool pmu_counters_user_only(const struct pmu_counters *c, size_t ev);
/* True when at least one counter of event ev is open (tasks may vanish). */
bool pmu_counters_opened(const struct pmu_counters *c, size_t ev);

/* The last read values of event ev summed over CPU index ci and task index
 * ti; ci or ti of -1 sums over all of them. Counters that are not open add
 * nothing. */
void pmu_counters_sum(const struct pmu_counters *c, size_t ev, long ci, long ti,
		      struct pmu_count *out);
#endif
