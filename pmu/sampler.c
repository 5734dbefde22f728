/* Opening the sampling events of cperf record: one fd per (CPU, thread,
 * event), one ring per CPU with the other fds of that CPU redirected into
 * it, and the kernel id of every fd for the data file's id index. */
#include "sampler.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

uint64_t pmu_user_regs_mask(void)
{
#if defined(__x86_64__)
	/* every general-purpose register, ip, sp and flags; not the segment
	 * registers DS, ES, FS, GS (12..15), which the kernel does not give
	 * for a 64-bit task */
	return ((1ULL << 24) - 1) & ~(0xfULL << 12);
#elif defined(__aarch64__)
	return (1ULL << 33) - 1; /* x0..x30, sp, pc */
#else
	return 0;
#endif
}

int pmu_sampler_attr(struct perf_event_attr *attr, const struct pmu_event *ev,
		     const struct pmu_sampler_opts *o, bool tracking, size_t nr_events)
{
	long page = sysconf(_SC_PAGESIZE);

	*attr = ev->attr;
	attr->size = sizeof(*attr);
	if (ev->has_period) {
		attr->freq = 0;
	} else if (ev->has_freq) {
		attr->freq = 1;
	} else if (o->period) {
		attr->freq = 0;
		attr->sample_period = o->period;
	} else if (!o->freq_given &&
		   (ev->kind == PMU_EV_TRACEPOINT || ev->kind == PMU_EV_BREAKPOINT)) {
		/* each hit is an event worth seeing (a syscall, a sched
		 * switch, a watched write), and a rate would drop most of
		 * them at random: perf samples them all unless told */
		attr->freq = 0;
		attr->sample_period = 1;
	} else {
		attr->freq = 1;
		attr->sample_freq = o->freq;
	}
	/* PERIOD in frequency mode, which varies it (reports weigh samples
	 * by it); a fixed period is in the attr. Not with a fixed period:
	 * the kernel then makes every hit of a software event or tracepoint a
	 * sample carrying its count, so -c 1000 on page-faults would sample
	 * every fault (perf asks for PERIOD in frequency mode only, too) */
	attr->sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
	if (attr->freq)
		attr->sample_type |= PERF_SAMPLE_PERIOD;
	/* with several events each record must say which one it came from,
	 * at a position that does not depend on the sample_type */
	if (nr_events > 1)
		attr->sample_type |= PERF_SAMPLE_IDENTIFIER;
	if (o->callchain != PMU_CALLCHAIN_NONE)
		attr->sample_type |= PERF_SAMPLE_CALLCHAIN;
	/* a tracepoint's fields are its raw data */
	if (ev->kind == PMU_EV_TRACEPOINT)
		attr->sample_type |= PERF_SAMPLE_RAW;
	if (o->callchain == PMU_CALLCHAIN_DWARF) {
		uint64_t mask = pmu_user_regs_mask();

		if (!mask || !o->stack_size || o->stack_size % 8 ||
		    o->stack_size > PMU_STACK_USER_MAX)
			return -EINVAL;
		attr->sample_type |= PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
		attr->sample_regs_user = mask;
		attr->sample_stack_user = o->stack_size;
		/* the user part is unwound from the stack copy; the kernel's
		 * walk of it would only cost time */
		attr->exclude_callchain_user = 1;
	}
	attr->sample_id_all = 1;
	/* CLOCK_MONOTONIC so that sample times can be related to the wall
	 * clock (pprof's time_nanos) */
	attr->use_clockid = 1;
	attr->clockid = CLOCK_MONOTONIC;
	attr->inherit = o->inherit;
	attr->watermark = 1;
	attr->wakeup_watermark = (uint32_t)(o->mmap_pages * (uint64_t)(page > 0 ? page : 4096) / 4);
	if (!attr->wakeup_watermark)
		attr->wakeup_watermark = 1;
	if (tracking) {
		attr->mmap = 1;
		attr->mmap2 = 1;
		attr->comm = 1;
		attr->comm_exec = 1;
		attr->task = 1;
		attr->build_id = 1;
		/* DWARF unwinders read .eh_frame_hdr through the read-only
		 * mapping after the code: they need the non-exec maps too */
		attr->mmap_data = o->callchain == PMU_CALLCHAIN_DWARF;
	}
	return 0;
}

static int push_fd(struct pmu_sampler *s, const struct pmu_sampler_fd *f)
{
	if (grow_array(&s->fds, &s->cap_fds, s->nr_fds + 1, sizeof(*s->fds)))
		return -ENOMEM;
	s->fds[s->nr_fds++] = *f;
	return 0;
}

/* Closes the fds from index from on (a CPU or thread being skipped). */
static void drop_fds(struct pmu_sampler *s, size_t from)
{
	while (s->nr_fds > from)
		close(s->fds[--s->nr_fds].fd);
}

static bool is_leader(const struct pmu_event_list *list, size_t e)
{
	return list->ev[e].leader < 0 || (size_t)list->ev[e].leader == e ||
	       (size_t)list->ev[e].leader >= list->nr;
}

static int build_attrs(struct pmu_sampler *s, const struct pmu_event_list *list,
		       const struct pmu_sampler_opts *o)
{
	for (size_t e = 0; e < list->nr; e++) {
		int err = pmu_sampler_attr(&s->attrs[e], &list->ev[e], o, e == 0, list->nr);

		if (err)
			return err;
		/* a group is enabled through its leader */
		s->attrs[e].disabled = is_leader(list, e);
		s->attrs[e].enable_on_exec = o->enable_on_exec && is_leader(list, e);
	}
	return 0;
}

/* Opens event e for (tid, cpu), with the fallback and old-kernel retries.
 * Returns the fd or -errno. */
static int open_one(struct pmu_sampler *s, struct pmu_event_list *list,
		    const struct pmu_sampler_opts *o, size_t e, pid_t tid, int cpu,
		    int group_fd, bool first)
{
	int fd = pmu_open(&s->attrs[e], tid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);

	if (fd == -EINVAL && s->attrs[e].build_id) {
		/* kernels before 5.12 know no build_id bit */
		s->attrs[e].build_id = 0;
		fd = pmu_open(&s->attrs[e], tid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
	}
	if ((fd == -EACCES || fd == -EPERM) && first && !o->system_wide &&
	    !s->attrs[e].exclude_kernel && !s->attrs[e].exclude_user) {
		/* perf_event_paranoid 2 without privileges: the user part of
		 * a task can still be sampled, as perf falls back to (not a
		 * CPU, which needs level 0; not ':k', which would be empty),
		 * with call chains that stop at the kernel boundary */
		struct perf_event_attr keep = s->attrs[e];

		s->attrs[e].exclude_kernel = 1;
		s->attrs[e].exclude_hv = 1;
		if (s->attrs[e].sample_type & PERF_SAMPLE_CALLCHAIN)
			s->attrs[e].exclude_callchain_kernel = 1;
		fd = pmu_open(&s->attrs[e], tid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (fd == -EACCES || fd == -EPERM) {
			s->attrs[e] = keep;
		} else {
			/* kept in the event, as the cycles fallback below
			 * rebuilds the attr from it */
			list->ev[e].attr.exclude_kernel = 1;
			list->ev[e].attr.exclude_hv = 1;
			list->ev[e].attr.exclude_callchain_kernel =
				s->attrs[e].exclude_callchain_kernel;
			s->user_only = true;
		}
	}
	if (fd < 0 && first && s->fallback_event < 0 &&
	    pmu_err_not_supported(-fd, &list->ev[e])) {
		char *old = strdup(list->ev[e].name ? list->ev[e].name : "");
		struct perf_event_attr keep = s->attrs[e];

		if (!old)
			return -ENOMEM;
		if (pmu_event_fallback(&list->ev[e], o->system_wide) == 0) {
			int err = pmu_sampler_attr(&s->attrs[e], &list->ev[e], o, e == 0, list->nr);

			if (err) {
				free(old);
				return err;
			}
			s->attrs[e].disabled = keep.disabled;
			s->attrs[e].enable_on_exec = keep.enable_on_exec;
			s->attrs[e].build_id = keep.build_id;
			s->fallback_event = (int)e;
			s->fallback_from = old;
			fd = pmu_open(&s->attrs[e], tid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC);
		} else {
			free(old);
		}
	}
	return fd;
}

static bool event_opened(const struct pmu_sampler *s, size_t e)
{
	for (size_t i = 0; i < s->nr_fds; i++)
		if ((size_t)s->fds[i].event == e)
			return true;
	return false;
}

static int add_ring(struct pmu_sampler *s, int fd, int cpu, size_t pages)
{
	struct pmu_ring *r = realloc(s->rings, (s->nr_rings + 1) * sizeof(*r));
	int *c;
	int err;

	if (!r)
		return -ENOMEM;
	s->rings = r;
	c = realloc(s->ring_cpu, (s->nr_rings + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	s->ring_cpu = c;
	err = pmu_ring_open(&s->rings[s->nr_rings], fd, pages);
	if (err)
		return err;
	s->ring_cpu[s->nr_rings++] = cpu;
	return 0;
}

/* Opens all events for one (cpu, tid) pair. Returns 0 or -errno; on error
 * the caller decides whether to skip the CPU or thread. */
static int open_pair(struct pmu_sampler *s, struct pmu_event_list *list,
		     const struct pmu_sampler_opts *o, int cpu, pid_t tid, int *ring_fd)
{
	int group[64];

	for (size_t e = 0; e < list->nr; e++) {
		struct pmu_sampler_fd f = { .event = (int)e, .cpu = cpu, .tid = tid };
		int lead = is_leader(list, e) ? -1 : list->ev[e].leader;
		int gfd = lead >= 0 && lead < 64 ? group[lead] : -1;
		int err;

		f.fd = open_one(s, list, o, e, tid, cpu, gfd, !event_opened(s, e));
		if (f.fd < 0) {
			s->err_event = (int)e;
			s->err_what = "open";
			return f.fd;
		}
		if (e < 64)
			group[e] = f.fd;
		err = push_fd(s, &f);
		if (err) {
			close(f.fd);
			return err;
		}
		if (ioctl(f.fd, PERF_EVENT_IOC_ID, &s->fds[s->nr_fds - 1].id) < 0) {
			s->err_what = "id";
			s->err_event = (int)e;
			return -errno;
		}
		if (*ring_fd < 0) {
			err = add_ring(s, f.fd, cpu, o->mmap_pages);
			if (err) {
				s->err_what = "mmap";
				s->err_event = (int)e;
				return err;
			}
			*ring_fd = f.fd;
		} else if (ioctl(f.fd, PERF_EVENT_IOC_SET_OUTPUT, *ring_fd) < 0) {
			s->err_what = "set-output";
			s->err_event = (int)e;
			return -errno;
		}
	}
	return 0;
}

int pmu_sampler_open(struct pmu_sampler *s, struct pmu_event_list *list,
		     const struct pmu_sampler_opts *o)
{
	struct int_list online = { 0 };
	const int *cpus = o->cpus;
	size_t nr_cpus = o->nr_cpus, nr_tids = o->system_wide ? 1 : o->nr_tids;
	bool *gone = NULL;
	size_t alive;
	int err;

	memset(s, 0, sizeof(*s));
	s->fallback_event = -1;
	s->err_event = -1;
	s->err_cpu = -1;
	s->err_tid = -1;
	if (!list->nr || list->nr > 64 || (!o->system_wide && !o->nr_tids))
		return -EINVAL;
	s->attrs = calloc(list->nr, sizeof(*s->attrs));
	gone = calloc(nr_tids, sizeof(*gone));
	if (!s->attrs || !gone) {
		free(gone);
		return -ENOMEM;
	}
	s->nr_events = list->nr;
	err = build_attrs(s, list, o);
	if (err)
		goto out;
	if (!cpus) {
		err = int_list_online_cpus(&online);
		if (err)
			goto out;
		cpus = online.v;
		nr_cpus = online.nr;
	}
	alive = nr_tids;
	for (size_t c = 0; c < nr_cpus; c++) {
		size_t cpu_start = s->nr_fds, rings_before = s->nr_rings;
		int ring_fd = -1;

		for (size_t t = 0; t < nr_tids; t++) {
			pid_t tid = o->system_wide ? -1 : o->tids[t];
			size_t pair_start = s->nr_fds;

			if (gone[t])
				continue;
			err = open_pair(s, list, o, cpus[c], tid, &ring_fd);
			if (!err)
				continue;
			s->err_cpu = cpus[c];
			s->err_tid = tid;
			if (err == -ESRCH && !o->system_wide) {
				/* the thread exited since it was listed */
				drop_fds(s, pair_start);
				gone[t] = true;
				if (--alive == 0)
					goto out;
				err = 0;
				continue;
			}
			if (err == -ENODEV && s->err_what && !strcmp(s->err_what, "open"))
				break; /* an offline CPU: skip it */
			goto out;
		}
		if (err == -ENODEV) {
			/* the ring of this CPU may already be mapped */
			while (s->nr_rings > rings_before)
				pmu_ring_close(&s->rings[--s->nr_rings]);
			drop_fds(s, cpu_start);
			err = 0;
		}
	}
	if (!s->nr_fds) {
		err = -ENODEV;
		goto out;
	}
	s->err_event = s->err_cpu = -1;
	s->err_tid = -1;
	s->err_what = NULL;
out:
	free(gone);
	int_list_fini(&online);
	return err;
}

static int ioctl_all(struct pmu_sampler *s, unsigned long req)
{
	int ret = 0;

	for (size_t i = 0; i < s->nr_fds; i++)
		if (ioctl(s->fds[i].fd, req, 0) < 0 && !ret)
			ret = -errno;
	return ret;
}

int pmu_sampler_enable(struct pmu_sampler *s)
{
	return ioctl_all(s, PERF_EVENT_IOC_ENABLE);
}

int pmu_sampler_disable(struct pmu_sampler *s)
{
	return ioctl_all(s, PERF_EVENT_IOC_DISABLE);
}

uint64_t *pmu_sampler_ids(const struct pmu_sampler *s, size_t event, size_t *nr)
{
	uint64_t *ids = malloc((s->nr_fds ? s->nr_fds : 1) * sizeof(*ids));

	*nr = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < s->nr_fds; i++)
		if ((size_t)s->fds[i].event == event)
			ids[(*nr)++] = s->fds[i].id;
	return ids;
}

void pmu_sampler_close(struct pmu_sampler *s)
{
	for (size_t i = 0; i < s->nr_rings; i++)
		pmu_ring_close(&s->rings[i]);
	for (size_t i = 0; i < s->nr_fds; i++)
		close(s->fds[i].fd);
	free(s->rings);
	free(s->ring_cpu);
	free(s->fds);
	free(s->attrs);
	free(s->fallback_from);
	memset(s, 0, sizeof(*s));
	s->fallback_event = -1;
}
