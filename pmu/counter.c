/* Counting events: one fd per (event, CPU, task), opened disabled and
 * started together, read with the enabled/running times for scaling. */
#include "counter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct counter_event {
	const struct pmu_event *ev;
	struct perf_event_attr attr; /* what we open: ev->attr plus counting bits */
	int err;                     /* why it is unsupported, else 0 */
	bool supported;
	bool leader;                 /* opened as a group leader (or alone) */
	bool user_only;              /* exclude_kernel added after EACCES */
};

struct pmu_counters {
	const struct pmu_event_list *evs;
	struct counter_event *cev; /* evs->nr */
	int *cpus;                 /* nr_cpus entries; { -1 } for any CPU */
	size_t nr_cpus;
	pid_t *tids;               /* nr_tids entries; { -1 } for every task */
	size_t nr_tids;
	bool inherit, enable_on_exec;
	int *fd;                   /* [ev][cpu][tid], -1 when not open */
	struct pmu_count *val;     /* same layout: the last reading */
};

double pmu_count_scaled(const struct pmu_count *c)
{
	if (!c->run)
		return 0;
	if (c->run >= c->ena)
		return (double)c->val;
	/* multiplexed: extrapolate to the whole enabled time */
	return (double)c->val * ((double)c->ena / (double)c->run);
}

double pmu_count_pct_running(const struct pmu_count *c)
{
	if (!c->ena || c->run >= c->ena)
		return 100.0;
	return 100.0 * (double)c->run / (double)c->ena;
}

void pmu_count_add(struct pmu_count *acc, const struct pmu_count *c)
{
	acc->val += c->val;
	acc->ena += c->ena;
	acc->run += c->run;
}

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

void pmu_count_delta(struct pmu_count *out, const struct pmu_count *cur,
		     const struct pmu_count *prev)
{
	out->val = sat_sub(cur->val, prev->val);
	out->ena = sat_sub(cur->ena, prev->ena);
	out->run = sat_sub(cur->run, prev->run);
}

static size_t slot(const struct pmu_counters *c, size_t ev, size_t ci, size_t ti)
{
	return (ev * c->nr_cpus + ci) * c->nr_tids + ti;
}

static size_t nr_slots(const struct pmu_counters *c)
{
	return c->evs->nr * c->nr_cpus * c->nr_tids;
}

struct pmu_counters *pmu_counters_new(const struct pmu_event_list *evs,
				      const struct pmu_counter_target *t)
{
	struct pmu_counters *c;
	size_t n;

	if (!evs || !t || (!t->nr_cpus && !t->nr_tids) || (t->nr_cpus && !t->cpus) ||
	    (t->nr_tids && !t->tids)) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->evs = evs;
	c->inherit = t->inherit;
	c->enable_on_exec = t->enable_on_exec;
	c->nr_cpus = t->nr_cpus ? t->nr_cpus : 1;
	c->nr_tids = t->nr_tids ? t->nr_tids : 1;
	c->cpus = calloc(c->nr_cpus, sizeof(*c->cpus));
	c->tids = calloc(c->nr_tids, sizeof(*c->tids));
	c->cev = calloc(evs->nr ? evs->nr : 1, sizeof(*c->cev));
	if (!c->cpus || !c->tids || !c->cev)
		goto fail;
	for (size_t i = 0; i < c->nr_cpus; i++)
		c->cpus[i] = t->nr_cpus ? t->cpus[i] : -1;
	for (size_t i = 0; i < c->nr_tids; i++)
		c->tids[i] = t->nr_tids ? t->tids[i] : -1;
	/* guard the fd table's size against overflow from absurd inputs */
	n = evs->nr ? evs->nr : 1;
	if (c->nr_cpus > SIZE_MAX / n / c->nr_tids / sizeof(struct pmu_count)) {
		errno = ENOMEM;
		goto fail;
	}
	n = n * c->nr_cpus * c->nr_tids;
	c->fd = malloc(n * sizeof(*c->fd));
	c->val = calloc(n, sizeof(*c->val));
	if (!c->fd || !c->val)
		goto fail;
	for (size_t i = 0; i < n; i++)
		c->fd[i] = -1;
	for (size_t i = 0; i < evs->nr; i++) {
		c->cev[i].ev = &evs->ev[i];
		c->cev[i].supported = true;
	}
	return c;
fail:
	pmu_counters_free(c);
	if (!errno)
		errno = ENOMEM;
	return NULL;
}

void pmu_counters_free(struct pmu_counters *c)
{
	if (!c)
		return;
	if (c->fd)
		pmu_counters_close(c);
	free(c->fd);
	free(c->val);
	free(c->cev);
	free(c->cpus);
	free(c->tids);
	free(c);
}

void pmu_counters_close(struct pmu_counters *c)
{
	/* members before leaders is not required: the kernel detaches them */
	for (size_t i = 0; i < nr_slots(c); i++) {
		if (c->fd[i] >= 0)
			close(c->fd[i]);
		c->fd[i] = -1;
	}
}

/* The attr we open for event i: counting, never sampling. */
static void counter_attr(struct pmu_counters *c, size_t i, bool leader)
{
	struct perf_event_attr *a = &c->cev[i].attr;

	*a = c->evs->ev[i].attr;
	a->size = sizeof(*a);
	/* stat counts: drop any sampling setup the spec carried */
	a->sample_period = 0;
	a->freq = 0;
	a->sample_type = 0;
	a->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	a->inherit = c->inherit;
	/* only leaders are switched on and off; members follow their leader */
	a->disabled = leader;
	a->enable_on_exec = leader && c->enable_on_exec;
	c->cev[i].leader = leader;
}

/* Event i's effective leader: its own group leader when that one can be
 * counted, else itself. */
static size_t leader_of(const struct pmu_counters *c, size_t i)
{
	int l = c->evs->ev[i].leader;

	if (l < 0 || (size_t)l >= c->evs->nr || (size_t)l >= i)
		return i;
	if (!c->cev[l].supported || !c->cev[l].leader)
		return i;
	return (size_t)l;
}

static bool paranoid_retry(int err, const struct perf_event_attr *a, int cpu_any, pid_t pid)
{
	/* perf_event_paranoid >= 2 refuses kernel counting to unprivileged
	 * users; like perf, count user space only instead */
	return (err == -EACCES || err == -EPERM) && !a->exclude_kernel && pid != -1 &&
	       cpu_any;
}

static int open_one(struct pmu_counters *c, size_t i, size_t ci, size_t ti, int group_fd)
{
	struct counter_event *ce = &c->cev[i];
	int cpu = c->cpus[ci];
	pid_t pid = c->tids[ti];
	int fd;

	fd = pmu_open(&ce->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && paranoid_retry(fd, &ce->attr, cpu == -1, pid)) {
		ce->attr.exclude_kernel = 1;
		ce->attr.exclude_hv = 1;
		fd = pmu_open(&ce->attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (fd >= 0)
			ce->user_only = true;
		else {
			ce->attr.exclude_kernel = c->evs->ev[i].attr.exclude_kernel;
			ce->attr.exclude_hv = c->evs->ev[i].attr.exclude_hv;
		}
	}
	return fd;
}

int pmu_counters_open(struct pmu_counters *c, struct pmu_counter_failure *fail)
{
	size_t vanished = 0;
	int first_esrch_ev = -1;

	for (size_t i = 0; i < c->evs->nr; i++) {
		struct counter_event *ce = &c->cev[i];
		size_t l = leader_of(c, i);

		ce->supported = true;
		ce->err = 0;
		ce->user_only = false;
		counter_attr(c, i, l == i);
		for (size_t ci = 0; ci < c->nr_cpus && ce->supported; ci++) {
			for (size_t ti = 0; ti < c->nr_tids; ti++) {
				int group_fd = -1, fd;

				if (l != i) {
					group_fd = c->fd[slot(c, l, ci, ti)];
					if (group_fd < 0)
						continue; /* the leader's task vanished */
				}
				fd = open_one(c, i, ci, ti, group_fd);
				if (fd >= 0) {
					c->fd[slot(c, i, ci, ti)] = fd;
					continue;
				}
				if (fd == -ESRCH && c->tids[ti] != -1) {
					/* the task exited since it was listed */
					vanished++;
					if (first_esrch_ev < 0)
						first_esrch_ev = (int)i;
					continue;
				}
				if (pmu_err_not_supported(-fd, &c->evs->ev[i])) {
					ce->supported = false;
					ce->err = fd;
					break;
				}
				if (fail) {
					fail->event = i;
					fail->cpu = c->cpus[ci];
					fail->tid = c->tids[ti];
					fail->err = fd;
				}
				pmu_counters_close(c);
				return fd;
			}
		}
		if (!ce->supported) {
			/* no half-open events: close what opened on other CPUs */
			for (size_t s = slot(c, i, 0, 0); s < slot(c, i + 1, 0, 0); s++) {
				if (c->fd[s] >= 0)
					close(c->fd[s]);
				c->fd[s] = -1;
			}
		}
	}
	if (vanished) {
		bool any = false;

		for (size_t s = 0; s < nr_slots(c) && !any; s++)
			any = c->fd[s] >= 0;
		if (!any) {
			if (fail) {
				fail->event = (size_t)first_esrch_ev;
				fail->cpu = -1;
				fail->tid = c->tids[0];
				fail->err = -ESRCH;
			}
			return -ESRCH;
		}
	}
	return 0;
}

static int ioctl_leaders(struct pmu_counters *c, unsigned long req)
{
	int ret = 0;

	for (size_t i = 0; i < c->evs->nr; i++) {
		if (!c->cev[i].leader)
			continue;
		for (size_t s = slot(c, i, 0, 0); s < slot(c, i + 1, 0, 0); s++)
			if (c->fd[s] >= 0 && ioctl(c->fd[s], req, 0) < 0 && !ret)
				ret = -errno;
	}
	return ret;
}

int pmu_counters_enable(struct pmu_counters *c)
{
	return ioctl_leaders(c, PERF_EVENT_IOC_ENABLE);
}

int pmu_counters_disable(struct pmu_counters *c)
{
	return ioctl_leaders(c, PERF_EVENT_IOC_DISABLE);
}

int pmu_counters_read(struct pmu_counters *c)
{
	for (size_t s = 0; s < nr_slots(c); s++) {
		uint64_t buf[3];
		ssize_t n;

		if (c->fd[s] < 0)
			continue;
		do
			n = read(c->fd[s], buf, sizeof(buf));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if (n != (ssize_t)sizeof(buf))
			return -EIO;
		c->val[s].val = buf[0];
		c->val[s].ena = buf[1];
		c->val[s].run = buf[2];
	}
	return 0;
}

size_t pmu_counters_nr_events(const struct pmu_counters *c)
{
	return c->evs->nr;
}

size_t pmu_counters_nr_cpus(const struct pmu_counters *c)
{
	return c->nr_cpus;
}

size_t pmu_counters_nr_tids(const struct pmu_counters *c)
{
	return c->nr_tids;
}

bool pmu_counters_supported(const struct pmu_counters *c, size_t ev)
{
	return ev < c->evs->nr && c->cev[ev].supported;
}

int pmu_counters_error(const struct pmu_counters *c, size_t ev)
{
	return ev < c->evs->nr ? c->cev[ev].err : -EINVAL;
}

bool pmu_counters_user_only(const struct pmu_counters *c, size_t ev)
{
	return ev < c->evs->nr && c->cev[ev].user_only;
}

bool pmu_counters_opened(const struct pmu_counters *c, size_t ev)
{
	if (ev >= c->evs->nr)
		return false;
	for (size_t s = slot(c, ev, 0, 0); s < slot(c, ev + 1, 0, 0); s++)
		if (c->fd[s] >= 0)
			return true;
	return false;
}

void pmu_counters_sum(const struct pmu_counters *c, size_t ev, long ci, long ti,
		      struct pmu_count *out)
{
	memset(out, 0, sizeof(*out));
	if (ev >= c->evs->nr)
		return;
	for (size_t i = 0; i < c->nr_cpus; i++) {
		if (ci >= 0 && (size_t)ci != i)
			continue;
		for (size_t j = 0; j < c->nr_tids; j++) {
			size_t s = slot(c, ev, i, j);

			if ((ti >= 0 && (size_t)ti != j) || c->fd[s] < 0)
				continue;
			pmu_count_add(out, &c->val[s]);
		}
	}
}
