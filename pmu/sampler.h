/* Opening sampling events for cperf record: per CPU or per task, one ring
 * per CPU (the other fds redirected into it), the kernel ids of every fd,
 * and the cycles -> cpu-clock/task-clock fallback. */
#ifndef CPERF_PMU_SAMPLER_H
#define CPERF_PMU_SAMPLER_H

#include "pmu.h"
#include "ring.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum pmu_callchain {
	PMU_CALLCHAIN_NONE,
	PMU_CALLCHAIN_FP,    /* kernel-walked frame pointers */
	PMU_CALLCHAIN_DWARF, /* user registers + a copy of the user stack */
};

/* The largest user stack copy the kernel takes (a u16 record size bounds
 * the whole sample), and the default. */
#define PMU_STACK_USER_MAX 65528u
#define PMU_STACK_USER_DEFAULT 8192u

struct pmu_sampler_opts {
	uint64_t freq;              /* samples per second, when period is 0 */
	bool freq_given;            /* -F given: freq applies to every event */
	uint64_t period;            /* -c: events per sample */
	enum pmu_callchain callchain;
	uint32_t stack_size;        /* dwarf: bytes, multiple of 8, <= PMU_STACK_USER_MAX */
	bool system_wide;           /* pid -1 on each CPU */
	const int *cpus;            /* CPUs to open on (NULL: all online) */
	size_t nr_cpus;
	const pid_t *tids;          /* task mode: the threads to open on */
	size_t nr_tids;
	bool inherit;               /* follow new threads and children */
	bool enable_on_exec;        /* command mode: count from exec on */
	size_t mmap_pages;          /* data pages per ring, a power of two */
};

struct pmu_sampler_fd {
	int fd;
	int event;  /* index into the event list */
	int cpu;
	pid_t tid;  /* -1 system-wide */
	uint64_t id;
};

struct pmu_sampler {
	struct perf_event_attr *attrs;  /* the attr opened for each event */
	size_t nr_events;
	struct pmu_sampler_fd *fds;
	size_t nr_fds, cap_fds;
	struct pmu_ring *rings;         /* one per CPU that has fds */
	int *ring_cpu;
	size_t nr_rings;
	/* the fallback: event index and its name before (malloc'ed), or -1 */
	int fallback_event;
	char *fallback_from;
	/* kernel samples were refused (perf_event_paranoid): exclude_kernel
	 * was set on the events and they sample user space only */
	bool user_only;
	/* where the open failed (valid when pmu_sampler_open fails) */
	int err_event, err_cpu;
	pid_t err_tid;
	const char *err_what;          /* "open", "mmap", "set-output", "id" */
};

/* Fills attr for sampling ev with these options; tracking marks the event
 * that carries mmap/comm/task records. nr_events > 1 adds IDENTIFIER.
 * Sampling, as perf does it: the event's period=/freq= term first, then -c
 * (period) or -F (freq_given); without them tracepoints and breakpoints
 * take every hit (sample_period 1), other events freq. */
int pmu_sampler_attr(struct perf_event_attr *attr, const struct pmu_event *ev,
		     const struct pmu_sampler_opts *o, bool tracking, size_t nr_events);

/* Opens every event of list (which may be changed by the fallback) on every
 * CPU (and every thread in task mode), disabled unless enable_on_exec, maps
 * one ring per CPU and collects the ids. Threads that vanished meanwhile
 * (ESRCH) and offline CPUs (ENODEV) are skipped. Returns 0 or -errno, with
 * err_* set. Release: pmu_sampler_close (also after a failure). */
int pmu_sampler_open(struct pmu_sampler *s, struct pmu_event_list *list,
		     const struct pmu_sampler_opts *o);
/* PERF_EVENT_IOC_ENABLE / DISABLE on every fd. 0 or -errno. */
int pmu_sampler_enable(struct pmu_sampler *s);
int pmu_sampler_disable(struct pmu_sampler *s);
/* The ids of event i (malloc'ed array, *nr set). NULL with errno on error. */
uint64_t *pmu_sampler_ids(const struct pmu_sampler *s, size_t event, size_t *nr);
void pmu_sampler_close(struct pmu_sampler *s);

/* The user-register mask perf uses for DWARF unwinding on this
 * architecture; 0 when unsupported. */
uint64_t pmu_user_regs_mask(void);
#endif
