/* Reading a recording into a profile: records once, aggregation by stack,
 * then one mapping lookup and one symbolization per unique address.
 *
 * Pass 1 reads only the side-band records (COMM, FORK, EXIT, MMAP, MMAP2):
 * names and address spaces become known with their times, so records that
 * arrive out of order from different CPU rings cost nothing. Pass 2 reads
 * the samples, decodes each once and adds it to a hash table keyed by the
 * raw call chain (context markers included) and the aggregation keys.
 * Pass 3 turns each unique (pid, address) into a location, symbolizing it
 * once, and merges stacks that became identical. */
#include "config.h"

#include "datafile.h"
#include "profile-priv.h"
#include "profile.h"
#include "record.h"
#include "symbolize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ---- threads: names over time ------------------------------------------- */

struct comm_entry {
	uint64_t time;
	const char *comm;  /* NULL: inherited from parent_tid at time (FORK) */
	uint32_t parent_tid;
};

struct thread_state {
	uint32_t tid;
	bool used;
	uint32_t nr, cap;
	struct comm_entry *h; /* sorted by time after pass 1 */
};

struct threads {
	struct thread_state *t; /* open addressing by tid */
	size_t cap, nr;
};

static struct thread_state *threads_get(struct threads *ts, uint32_t tid, bool create)
{
	size_t j;

	if (!ts->cap) {
		if (!create)
			return NULL;
	} else {
		j = hash_u64(tid) & (ts->cap - 1);
		while (ts->t[j].used) {
			if (ts->t[j].tid == tid)
				return &ts->t[j];
			j = (j + 1) & (ts->cap - 1);
		}
		if (!create)
			return NULL;
	}
	if ((ts->nr + 1) * 2 > ts->cap) {
		size_t ncap = ts->cap ? ts->cap * 2 : 256;
		struct thread_state *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < ts->cap; i++) {
			if (!ts->t[i].used)
				continue;
			j = hash_u64(ts->t[i].tid) & (ncap - 1);
			while (n[j].used)
				j = (j + 1) & (ncap - 1);
			n[j] = ts->t[i];
		}
		free(ts->t);
		ts->t = n;
		ts->cap = ncap;
	}
	j = hash_u64(tid) & (ts->cap - 1);
	while (ts->t[j].used)
		j = (j + 1) & (ts->cap - 1);
	ts->t[j].used = true;
	ts->t[j].tid = tid;
	ts->nr++;
	return &ts->t[j];
}

static int threads_add(struct threads *ts, uint32_t tid, uint64_t time, const char *comm,
		       uint32_t parent_tid)
{
	struct thread_state *t = threads_get(ts, tid, true);
	size_t cap;

	if (!t)
		return -ENOMEM;
	cap = t->cap;
	if (grow_array(&t->h, &cap, t->nr + 1, sizeof(*t->h)))
		return -ENOMEM;
	t->cap = (uint32_t)cap;
	t->h[t->nr++] = (struct comm_entry){ time, comm, parent_tid };
	return 0;
}

static void threads_sort(struct threads *ts)
{
	/* nearly sorted already (file order): insertion sort, stable */
	for (size_t i = 0; i < ts->cap; i++) {
		struct thread_state *t = &ts->t[i];

		if (!t->used)
			continue;
		for (uint32_t a = 1; a < t->nr; a++) {
			struct comm_entry e = t->h[a];
			uint32_t b = a;

			while (b > 0 && t->h[b - 1].time > e.time) {
				t->h[b] = t->h[b - 1];
				b--;
			}
			t->h[b] = e;
		}
	}
}

static void threads_fini(struct threads *ts)
{
	for (size_t i = 0; i < ts->cap; i++)
		if (ts->t[i].used)
			free(ts->t[i].h);
	free(ts->t);
}

/* The name of tid at time: its latest COMM at or before time; a sample a
 * little older than the thread's first record (rings disagree on order)
 * takes the first. NULL when the thread is unknown. */
static const char *threads_comm(struct threads *ts, uint32_t tid, uint64_t time, int depth)
{
	struct thread_state *t = threads_get(ts, tid, false);
	struct comm_entry *e;
	uint32_t lo = 0, hi;

	if (!t || !t->nr || depth > 16)
		return NULL;
	hi = t->nr;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (t->h[mid].time <= time)
			lo = mid + 1;
		else
			hi = mid;
	}
	e = &t->h[lo ? lo - 1 : 0];
	if (e->comm)
		return e->comm;
	/* created by FORK: the parent's name at that moment, unless renamed */
	return threads_comm(ts, e->parent_tid, e->time, depth + 1);
}

/* ---- raw stacks: the aggregation table ------------------------------------ */

/* Most user frames taken from a stack copy (perf's default max stack). */
#define PROFILE_MAX_UNWIND 127

/* Pseudo-addresses ending an unwound user stack: [truncated] (the stack copy
 * ended first) and [unwind failed] (no mapping, no CFI or an unreadable
 * value). They lie among perf's context markers (>= PERF_CONTEXT_MAX), at
 * values perf does not use, so no real address collides with them. */
#define MARK_TRUNCATED ((uint64_t)-3072)
#define MARK_UNWIND_FAILED ((uint64_t)-3073)

struct rstack {
	struct rstack *next;
	struct rstack *order;  /* the next stack in insertion order */
	uint64_t hash;
	uint64_t time;         /* first sample's time: for mapping lookups */
	uint32_t pid, tid;     /* pid always (address space); tid only as a key */
	int32_t cpu;
	uint32_t nr;           /* entries in ips (context markers included) */
	const char *comm, *thread;
	uint64_t *values;      /* 2 per event */
	uint64_t ips[];
};

struct rtable {
	struct rstack **b;
	size_t cap, nr;
	struct rstack *first, **last; /* insertion order: walked in memory order */
	struct arena arena;           /* the stacks: freed once resolved */
};

static int rtable_grow(struct rtable *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 4096;
	struct rstack **n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		struct rstack *s = t->b[i], *next;

		for (; s; s = next) {
			next = s->next;
			s->next = n[s->hash & (ncap - 1)];
			n[s->hash & (ncap - 1)] = s;
		}
	}
	free(t->b);
	t->b = n;
	t->cap = ncap;
	return 0;
}

/* ---- the loader's state ----------------------------------------------------- */

struct ev_info {
	const struct df_event *ev;
	struct pmu_sample_layout layout;
};

struct loader {
	const struct profile_options *o;
	struct profile *p;
	struct df_reader *r;
	struct sym_ctx *sym;
	struct threads threads;
	struct rtable rt;
	struct ev_info *evs;
	size_t nr_evs;
	size_t last_ev;
	uint64_t *scratch;       /* the key being built */
	size_t scratch_cap;
	bool kernel_loaded;
	const char *swapper;
	char *err;
	size_t errlen;
};


static struct ev_info *event_of(struct loader *L, const struct perf_event_header *hdr)
{
	const struct df_event *ev = df_reader_event_for_record(L->r, hdr);

	if (!ev)
		return NULL;
	if (L->evs[L->last_ev].ev == ev)
		return &L->evs[L->last_ev];
	for (size_t i = 0; i < L->nr_evs; i++) {
		if (L->evs[i].ev == ev) {
			L->last_ev = i;
			return &L->evs[i];
		}
	}
	return NULL;
}

/* A time for a side-band record: its sample_id trailer's, else 0 (records
 * synthesized at the start of a recording carry none). */
static uint64_t record_time(struct loader *L, const struct perf_event_header *hdr)
{
	struct ev_info *e = event_of(L, hdr);
	struct pmu_sample_id sid;

	if (!e || !e->layout.sample_id_all)
		return 0;
	if (pmu_sample_id_parse(hdr, &e->layout, &sid) || !sid.valid)
		return 0;
	return sid.time;
}

static const char *event_default_name(const struct perf_event_attr *a, char *buf, size_t len)
{
	static const char *const sw[] = { "cpu-clock", "task-clock", "page-faults",
					  "context-switches", "cpu-migrations", "minor-faults",
					  "major-faults", "alignment-faults", "emulation-faults",
					  "dummy", "bpf-output", "cgroup-switches" };
	static const char *const hw[] = { "cycles", "instructions", "cache-references",
					  "cache-misses", "branches", "branch-misses",
					  "bus-cycles", "stalled-cycles-frontend",
					  "stalled-cycles-backend", "ref-cycles" };

	if (a->type == PERF_TYPE_SOFTWARE && a->config < ARRAY_SIZE(sw))
		return sw[a->config];
	if (a->type == PERF_TYPE_HARDWARE && a->config < ARRAY_SIZE(hw))
		return hw[a->config];
	snprintf(buf, len, "event-%u:0x%llx", a->type, (unsigned long long)a->config);
	return buf;
}

static int setup_events(struct loader *L)
{
	size_t n = df_reader_nr_events(L->r);
	const char *fallback = df_reader_fact(L->r, DF_KEY_FALLBACK);
	char from[128] = "";

	if (!n)
		return -EINVAL;
	if (fallback) {
		/* "cycles -> cpu-clock: why" */
		const char *arrow = strstr(fallback, " -> ");

		if (arrow && (size_t)(arrow - fallback) < sizeof(from)) {
			memcpy(from, fallback, (size_t)(arrow - fallback));
			from[arrow - fallback] = '\0';
		}
		L->p->meta.fallback_note = profile_intern(L->p, fallback);
	}
	L->evs = calloc(n, sizeof(*L->evs));
	if (!L->evs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct df_event *ev = df_reader_event(L->r, i);
		struct profile_event pe = { 0 };
		char buf[64];
		int err;

		L->evs[i].ev = ev;
		pmu_sample_layout_from_attr(&L->evs[i].layout, &ev->attr);
		pe.name = ev->name && ev->name[0] ? ev->name :
			  event_default_name(&ev->attr, buf, sizeof(buf));
		pe.attr_type = ev->attr.type;
		pe.attr_config = ev->attr.config;
		if (ev->attr.freq)
			pe.sample_freq = ev->attr.sample_freq;
		else
			pe.sample_period = ev->attr.sample_period;
		pe.unit = ev->attr.type == PERF_TYPE_SOFTWARE &&
					  (ev->attr.config == PERF_COUNT_SW_CPU_CLOCK ||
					   ev->attr.config == PERF_COUNT_SW_TASK_CLOCK) ?
				  PROFILE_UNIT_NANOSECONDS :
				  PROFILE_UNIT_COUNT;
		if (fallback && (n == 1 || !strncmp(strstr(fallback, " -> ") ?
							    strstr(fallback, " -> ") + 4 : "",
						    pe.name, strlen(pe.name)))) {
			pe.fallback = true;
			pe.fallback_from = from[0] ? from : NULL;
		}
		err = profile_add_event(L->p, &pe);
		if (err < 0)
			return err;
		if (ev->attr.sample_type & (PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_STACK_USER))
			L->p->meta.has_callchains = true;
	}
	L->nr_evs = n;
	return 0;
}

/* ---- pass 1: names and address spaces ------------------------------------- */

static int pass_sideband(struct loader *L)
{
	const struct perf_event_header *hdr;
	int rc, err = 0;

	while ((rc = df_reader_next(L->r, &hdr)) > 0) {
		switch (hdr->type) {
		case PERF_RECORD_COMM: {
			struct pmu_comm c;
			uint64_t t;
			const char *name;

			if (pmu_comm_parse(hdr, &c)) {
				L->p->meta.nr_bad_records++;
				break;
			}
			t = record_time(L, hdr);
			name = profile_intern(L->p, c.comm);
			if (!name)
				return -ENOMEM;
			err = threads_add(&L->threads, c.tid, t, name, 0);
			if (!err && c.exec && c.pid == c.tid)
				err = sym_space_exec(L->sym, c.pid, t);
			break;
		}
		case PERF_RECORD_FORK: {
			struct pmu_task tk;

			if (pmu_task_parse(hdr, &tk)) {
				L->p->meta.nr_bad_records++;
				break;
			}
			err = threads_add(&L->threads, tk.tid, tk.time, NULL, tk.ptid);
			if (!err && tk.pid != tk.ppid)
				err = sym_space_fork(L->sym, tk.ppid, tk.pid, tk.time);
			break;
		}
		case PERF_RECORD_MMAP:
		case PERF_RECORD_MMAP2: {
			struct pmu_mmap m;
			uint64_t t;

			if (pmu_mmap_parse(hdr, &m)) {
				L->p->meta.nr_bad_records++;
				break;
			}
			if (!m.executable)
				break;
			t = record_time(L, hdr);
			err = sym_space_mmap(L->sym, m.kernel || m.pid == UINT32_MAX ? SYM_PID_KERNEL : m.pid,
					     t, m.start, m.len, m.pgoff, m.filename,
					     m.has_build_id ? m.build_id : NULL,
					     m.has_build_id ? m.build_id_size : 0);
			break;
		}
		case PERF_RECORD_LOST: {
			struct pmu_lost l;

			if (!pmu_lost_parse(hdr, &l))
				L->p->meta.lost += l.lost;
			break;
		}
		case PERF_RECORD_LOST_SAMPLES: {
			struct pmu_lost l;

			if (!pmu_lost_parse(hdr, &l))
				L->p->meta.lost += l.lost;
			break;
		}
		case PERF_RECORD_THROTTLE:
			L->p->meta.throttled++;
			break;
		default:
			break;
		}
		if (err)
			return err;
	}
	if (rc < 0) {
		const char *why = df_reader_error(L->r);

		L->p->meta.truncated_note = profile_intern(L->p, why ? why : "read error");
	}
	threads_sort(&L->threads);
	return 0;
}

/* ---- pass 2: samples ---------------------------------------------------------- */

static bool comm_matches(const struct profile_options *o, const char *comm, const char *thread)
{
	for (size_t i = 0; i < o->nr_comms; i++)
		if ((comm && !strcmp(o->comms[i], comm)) || (thread && !strcmp(o->comms[i], thread)))
			return true;
	return false;
}

static const char *thread_name(struct loader *L, uint32_t tid, uint32_t pid, uint64_t time)
{
	const char *c = threads_comm(&L->threads, tid, time, 0);
	char buf[32];

	if (c)
		return c;
	if (pid == 0 && tid == 0)
		return L->swapper;
	snprintf(buf, sizeof(buf), ":%u", tid);
	return profile_intern(L->p, buf);
}

/* Replaces the user part of the key in L->scratch (nr entries) by the
 * frames unwound from the sample's stack copy, followed by a marker when the
 * unwinding stopped early; returns the new length. A sample whose registers
 * give nothing to unwind keeps its user IP (when it was taken in user mode)
 * and the [unwind failed] marker. */
static size_t unwind_user(struct loader *L, struct ev_info *e, const struct pmu_sample *s,
			  size_t nr)
{
	struct profile_meta *m = &L->p->meta;
	uint64_t *ips;
	size_t keep = 0, n = 0;
	enum sym_unwind_end end = SYM_UNWIND_FAILED;

	/* keep the kernel part: everything before a PERF_CONTEXT_USER marker */
	while (keep < nr && L->scratch[keep] != PERF_CONTEXT_USER)
		keep++;
	ips = L->scratch + keep + 1;
	m->unwind_samples++;
	/* x86_64 registers only: a 32-bit process's would be misread */
	if (s->user_abi != PERF_SAMPLE_REGS_ABI_64 ||
	    sym_unwind(L->sym, s->pid, s->time, s->user_regs, e->layout.sample_regs_user,
		       s->user_stack, s->user_stack_dyn_size, ips, PROFILE_MAX_UNWIND, &n, &end) ||
	    !n) {
		/* the unwinder may have written over the old user part */
		n = 0;
		if (s->misc_user)
			ips[n++] = s->ip;
		end = SYM_UNWIND_FAILED;
	}
	L->scratch[keep] = PERF_CONTEXT_USER;
	if (end == SYM_UNWIND_TRUNCATED) {
		m->unwind_truncated++;
		ips[n++] = MARK_TRUNCATED;
	} else if (end == SYM_UNWIND_FAILED) {
		m->unwind_failed++;
		ips[n++] = MARK_UNWIND_FAILED;
	}
	return keep + 1 + n;
}

static int add_sample(struct loader *L, struct ev_info *e, const struct pmu_sample *s)
{
	const struct profile_options *o = L->o;
	uint64_t sample_type = e->layout.sample_type;
	int32_t cpu = sample_type & PERF_SAMPLE_CPU ? (int32_t)s->cpu : -1;
	/* the profile's own "" so that keys compare by pointer */
	const char *comm = profile_intern(L->p, ""), *thread = comm;
	uint64_t period, h;
	size_t nr, ev_idx = (size_t)(e - L->evs);
	struct rstack *rs;
	uint32_t tid_key = 0, pid = s->pid;
	int32_t cpu_key = -1;

	if ((o->pids.nr && !int_list_has(&o->pids, (int)s->pid)) ||
	    (o->tids.nr && !int_list_has(&o->tids, (int)s->tid)) ||
	    (o->cpus.nr && !int_list_has(&o->cpus, cpu))) {
		L->p->meta.nr_filtered++;
		return 0;
	}
	if (o->nr_comms || (o->keys & (PROFILE_KEY_COMM | PROFILE_KEY_THREAD))) {
		comm = thread_name(L, s->pid, s->pid, s->time);
		thread = s->tid == s->pid ? comm : thread_name(L, s->tid, s->pid, s->time);
		if (!comm || !thread)
			return -ENOMEM;
		if (o->nr_comms && !comm_matches(o, comm, thread)) {
			L->p->meta.nr_filtered++;
			return 0;
		}
		if (!(o->keys & PROFILE_KEY_COMM))
			comm = profile_intern(L->p, "");
		if (!(o->keys & PROFILE_KEY_THREAD))
			thread = profile_intern(L->p, "");
	}
	if (o->keys & PROFILE_KEY_TID)
		tid_key = s->tid;
	if (o->keys & PROFILE_KEY_CPU)
		cpu_key = cpu;

	/* the key: the raw chain, markers included; a sample without a chain
	 * gets a one-frame chain with the marker its cpumode implies */
	nr = s->nr_callchain ? s->nr_callchain : 2;
	/* room for a USER marker, the unwound frames and an end marker */
	if (nr + 2 + PROFILE_MAX_UNWIND > L->scratch_cap) {
		if (grow_array(&L->scratch, &L->scratch_cap, nr + 2 + PROFILE_MAX_UNWIND,
			       sizeof(uint64_t)))
			return -ENOMEM;
	}
	if (s->nr_callchain) {
		memcpy(L->scratch, s->callchain, nr * sizeof(uint64_t));
	} else {
		L->scratch[0] = s->misc_kernel ? PERF_CONTEXT_KERNEL : PERF_CONTEXT_USER;
		L->scratch[1] = s->ip;
	}
	/* --call-graph dwarf: the user part comes from unwinding the copied
	 * stack, in place of whatever user part the chain has. An empty copy
	 * (the kernel could not read the stack) is unwound too: the IP and a
	 * [truncated] marker. No user registers: a kernel thread. */
	if ((sample_type & PERF_SAMPLE_STACK_USER) && s->user_abi && s->nr_user_regs)
		nr = unwind_user(L, e, s, nr);
	h = hash_bytes(L->scratch, nr * sizeof(uint64_t), pid);
	h = hash_u64(h ^ ((uint64_t)tid_key << 32 | (uint32_t)cpu_key) ^ (uintptr_t)comm ^
		     ((uintptr_t)thread << 1));
	if (L->rt.cap) {
		for (rs = L->rt.b[h & (L->rt.cap - 1)]; rs; rs = rs->next) {
			if (rs->hash == h && rs->nr == nr && rs->pid == pid && rs->tid == tid_key &&
			    rs->cpu == cpu_key && rs->comm == comm && rs->thread == thread &&
			    !memcmp(rs->ips, L->scratch, nr * sizeof(uint64_t)))
				goto found;
		}
	}
	if (L->rt.nr + 1 > L->rt.cap && rtable_grow(&L->rt))
		return -ENOMEM;
	{
		rs = arena_alloc(&L->rt.arena, sizeof(*rs) + nr * sizeof(uint64_t) +
						  2 * L->nr_evs * sizeof(uint64_t));
		if (!rs)
			return -ENOMEM;
		rs->values = rs->ips + nr;
		memset(rs->values, 0, 2 * L->nr_evs * sizeof(uint64_t));
		memcpy(rs->ips, L->scratch, nr * sizeof(uint64_t));
		rs->hash = h;
		rs->nr = (uint32_t)nr;
		rs->pid = pid;
		rs->tid = tid_key;
		rs->cpu = cpu_key;
		rs->comm = comm;
		rs->thread = thread;
		rs->time = s->time;
		rs->order = NULL;
		if (!L->rt.last)
			L->rt.last = &L->rt.first;
		*L->rt.last = rs;
		L->rt.last = &rs->order;
		rs->next = L->rt.b[h & (L->rt.cap - 1)];
		L->rt.b[h & (L->rt.cap - 1)] = rs;
		L->rt.nr++;
	}
found:
	if (sample_type & PERF_SAMPLE_PERIOD)
		period = s->period;
	else
		period = e->ev->attr.freq ? 1 : e->ev->attr.sample_period;
	rs->values[2 * ev_idx]++;
	rs->values[2 * ev_idx + 1] = profile_sat_add(rs->values[2 * ev_idx + 1], period);
	L->p->meta.nr_samples++;
	if (sample_type & PERF_SAMPLE_TIME) {
		if (!L->p->meta.time_first || s->time < L->p->meta.time_first)
			L->p->meta.time_first = s->time;
		if (s->time > L->p->meta.time_last)
			L->p->meta.time_last = s->time;
	}
	return 0;
}

static int pass_samples(struct loader *L)
{
	const struct perf_event_header *hdr;
	int rc, err;

	df_reader_rewind(L->r);
	while ((rc = df_reader_next(L->r, &hdr)) > 0) {
		struct ev_info *e;
		struct pmu_sample s;

		if (hdr->type != PERF_RECORD_SAMPLE)
			continue;
		e = event_of(L, hdr);
		if (!e || pmu_sample_parse(hdr, &e->layout, &s)) {
			L->p->meta.nr_bad_records++;
			continue;
		}
		err = add_sample(L, e, &s);
		if (err)
			return err;
	}
	return 0;
}

/* ---- pass 3: locations, symbols, final samples ------------------------------ */

/* A unique address to resolve: kernel addresses by address alone, user ones
 * by (pid, address); return addresses apart (they are looked up at pc-1). */
struct lockey {
	uint64_t addr;
	uint32_t pid;
	uint8_t kind; /* bit 0: kernel, bit 1: return address */
	bool used;
	int32_t loc;  /* location index, -1: dropped (junk) */
};

struct loctable {
	struct lockey *k;
	size_t cap, nr;
};

static uint64_t lockey_hash(uint64_t addr, uint32_t pid, uint8_t kind)
{
	return hash_u64(addr ^ ((uint64_t)pid << 40) ^ ((uint64_t)kind << 38));
}

static struct lockey *loctable_get(struct loctable *t, uint64_t addr, uint32_t pid, uint8_t kind,
				   bool *fresh)
{
	size_t j;

	if ((t->nr + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 4096;
		struct lockey *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			struct lockey *k = &t->k[i];

			if (!k->used)
				continue;
			j = lockey_hash(k->addr, k->pid, k->kind) & (ncap - 1);
			while (n[j].used)
				j = (j + 1) & (ncap - 1);
			n[j] = *k;
		}
		free(t->k);
		t->k = n;
		t->cap = ncap;
	}
	j = lockey_hash(addr, pid, kind) & (t->cap - 1);
	while (t->k[j].used) {
		struct lockey *k = &t->k[j];

		if (k->addr == addr && k->pid == pid && k->kind == kind) {
			*fresh = false;
			return k;
		}
		j = (j + 1) & (t->cap - 1);
	}
	t->k[j] = (struct lockey){ addr, pid, kind, true, -1 };
	t->nr++;
	*fresh = true;
	return &t->k[j];
}

struct mapindex {
	int32_t *idx; /* sym_mapping id -> profile mapping index + 1 */
	size_t cap;
};

static void hex_build_id(char *out, const uint8_t *id, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 15];
	}
	out[2 * len] = '\0';
}

static int mapping_index(struct loader *L, struct mapindex *mi, const struct sym_mapping *m,
			 uint32_t *out)
{
	struct profile_mapping pm = { 0 };
	char bid[2 * SYM_BUILD_ID_MAX + 1];
	int idx;

	if (m->id >= mi->cap) {
		size_t old = mi->cap;

		if (grow_array(&mi->idx, &mi->cap, (size_t)m->id + 1, sizeof(*mi->idx)))
			return -ENOMEM;
		memset(mi->idx + old, 0, (mi->cap - old) * sizeof(*mi->idx));
	}
	if (mi->idx[m->id]) {
		*out = (uint32_t)(mi->idx[m->id] - 1);
		return 0;
	}
	hex_build_id(bid, m->build_id, m->build_id_len < SYM_BUILD_ID_MAX ? m->build_id_len :
									      SYM_BUILD_ID_MAX);
	pm.start = m->start;
	pm.limit = m->start + m->len;
	pm.file_offset = m->pgoff;
	pm.path = m->path;
	pm.build_id = bid;
	pm.kernel = m->kernel;
	idx = profile_add_mapping(L->p, &pm);
	if (idx < 0)
		return idx;
	mi->idx[m->id] = idx + 1;
	*out = (uint32_t)idx;
	return 0;
}

static int load_kernel_symbols(struct loader *L)
{
	const char *text;
	size_t len;
	int err = -ENOENT;

	L->kernel_loaded = true;
	if (L->o->kallsyms) {
		char *buf;

		err = read_file(L->o->kallsyms, (size_t)1 << 30, &buf, &len);
		if (!err) {
			err = sym_kernel_load(L->sym, buf, len);
			free(buf);
		}
		if (err)
			L->p->meta.kallsyms_note = profile_intern(L->p,
				"kernel symbols: cannot read the given kallsyms file");
		return 0;
	}
	if (!df_reader_kallsyms(L->r, &text, &len))
		err = sym_kernel_load(L->sym, text, len);
	if (err) {
		err = sym_kernel_load_live(L->sym);
		L->p->meta.kallsyms_note = profile_intern(L->p, err ?
			"no kernel symbols: the recording has no kallsyms snapshot and /proc/kallsyms is unreadable" :
			"kernel symbols from the live /proc/kallsyms (the recording has no snapshot)");
	}
	if (!err && sym_kernel_restricted(L->sym))
		L->p->meta.kallsyms_note = profile_intern(L->p,
			"kernel addresses were hidden (kptr_restrict): kernel frames stay unresolved");
	return 0;
}

static int make_location(struct loader *L, struct mapindex *mi, struct lockey *k, uint64_t time)
{
	const struct sym_mapping *m;
	struct sym_result res;
	struct profile_location pl = { 0 };
	struct profile_line lines_buf[16], *lines = lines_buf;
	bool kernel = k->kind & 1, ret = k->kind & 2;
	int idx, err;

	if (kernel) {
		if (!L->kernel_loaded)
			load_kernel_symbols(L);
		m = sym_kernel_find(L->sym, k->addr);
	} else {
		m = sym_space_find(L->sym, k->pid, time, k->addr);
	}
	if (!m) {
		/* in no mapping: junk when it is a return address (libc without
		 * frame pointers leaves garbage), else "[unknown]" */
		if (ret)
			return 0;
		pl.mapping = PROFILE_NO_MAPPING;
		pl.address = k->addr;
		idx = profile_add_location(L->p, &pl);
		if (idx < 0)
			return idx;
		k->loc = idx;
		return 0;
	}
	err = mapping_index(L, mi, m, &pl.mapping);
	if (err)
		return err;
	memset(&res, 0, sizeof(res));
	if (!L->o->no_symbolize) {
		err = sym_lookup(L->sym, m, k->addr, ret, &res);
		if (err)
			return err;
	}
	pl.address = k->addr;
	pl.kernel = kernel;
	pl.file_offset = res.mapping ? res.file_offset : k->addr - m->start + m->pgoff;
	pl.resolved = res.resolved && res.nr;
	if (pl.resolved) {
		size_t first = 0, nr = res.nr;

		if (L->o->no_inline) {
			first = nr - 1;
			nr = 1;
		}
		if (nr > ARRAY_SIZE(lines_buf)) {
			lines = calloc(nr, sizeof(*lines));
			if (!lines)
				return -ENOMEM;
		}
		for (size_t i = 0; i < nr; i++) {
			const struct sym_frame *f = &res.frames[first + i];

			lines[i] = (struct profile_line){
				.function = f->function,
				.system_name = f->system_name ? f->system_name : f->function,
				.file = f->file,
				.line = f->line > 0 ? (uint32_t)f->line : 0,
				.column = f->column > 0 ? (uint32_t)f->column : 0,
				.start_line = f->func_line > 0 ? (uint32_t)f->func_line : 0,
				.function_file = f->func_file ? f->func_file : f->file,
			};
		}
		pl.lines = lines;
		pl.nr_lines = (uint32_t)nr;
	}
	idx = profile_add_location(L->p, &pl);
	if (lines != lines_buf)
		free(lines);
	if (idx < 0)
		return idx;
	/* mapping flags: what symbolization found in it */
	{
		struct profile_mapping *pm = &L->p->mappings[pl.mapping];
		const struct profile_location *loc = &L->p->locations[idx];

		if (loc->resolved) {
			pm->has_functions = true;
			if (!L->o->no_inline)
				pm->has_inline_frames = true;
			for (uint32_t i = 0; i < loc->nr_lines; i++) {
				if (loc->lines[i].file[0])
					pm->has_filenames = true;
				if (loc->lines[i].line)
					pm->has_line_numbers = true;
			}
		}
	}
	k->loc = idx;
	return 0;
}

/* Final samples: (keys, locations) merged once more, since different raw
 * chains can give the same locations (junk dropped, pid not a key). */
struct fsample {
	struct fsample *next;
	uint64_t hash;
	int idx; /* in p->samples */
};

static bool dso_matches(const struct profile_options *o, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < o->nr_dsos; i++)
		if (!strcmp(o->dsos[i], path) || !strcmp(o->dsos[i], base))
			return true;
	return false;
}

/* The location of an unwinding marker: no mapping, no address, one line
 * naming it ("[truncated]"), so that every view and pprof show the name.
 * Returns its index or -ENOMEM. */
static int marker_location(struct profile *p, const char *name)
{
	struct profile_line line = {
		.function = name, .system_name = name, .file = "", .function_file = "",
	};
	struct profile_location pl = {
		.mapping = PROFILE_NO_MAPPING, .resolved = true, .nr_lines = 1, .lines = &line,
	};

	return profile_add_location(p, &pl);
}

static int pass_resolve(struct loader *L)
{
	struct profile *p = L->p;
	struct loctable lt = { 0 };
	struct mapindex mi = { 0 };
	struct fsample **fb = NULL, *fs_pool = NULL;
	size_t fcap = 0, nfs = 0;
	uint32_t *locs = NULL;
	size_t locs_cap = 0;
	int err = 0, unknown_loc = -1, trunc_loc = -1, failed_loc = -1;

	fcap = 1024;
	while (fcap < L->rt.nr * 2)
		fcap *= 2;
	fb = calloc(fcap, sizeof(*fb));
	fs_pool = calloc(L->rt.nr ? L->rt.nr : 1, sizeof(*fs_pool));
	if (!fb || !fs_pool) {
		err = -ENOMEM;
		goto out;
	}
	for (struct rstack *rs = L->rt.first; rs; rs = rs->order) {
		uint64_t ctx = PERF_CONTEXT_USER, weight = 0;
		bool first_in_ctx = true;
		uint32_t n = 0;
		struct profile_sample ps;
		uint64_t h;

		for (size_t e = 0; e < L->nr_evs; e++)
			weight += rs->values[2 * e];
		if (grow_array(&locs, &locs_cap, rs->nr + 1, sizeof(*locs))) {
			err = -ENOMEM;
			break;
		}
		for (uint32_t i = 0; i < rs->nr; i++) {
			uint64_t ip = rs->ips[i];
			struct lockey *k;
			bool fresh, kernel;

			if (ip == MARK_TRUNCATED || ip == MARK_UNWIND_FAILED) {
				int *ml = ip == MARK_TRUNCATED ? &trunc_loc : &failed_loc;

				if (*ml < 0) {
					*ml = marker_location(p, ip == MARK_TRUNCATED ?
								      "[truncated]" : "[unwind failed]");
					if (*ml < 0) {
						err = *ml;
						break;
					}
				}
				locs[n++] = (uint32_t)*ml;
				continue;
			}
			if (ip >= PERF_CONTEXT_MAX) {
				ctx = ip;
				first_in_ctx = true;
				continue;
			}
			kernel = ctx == PERF_CONTEXT_KERNEL || ctx == PERF_CONTEXT_GUEST_KERNEL;
			if (ctx != PERF_CONTEXT_USER && !kernel)
				continue; /* guest user etc.: no address space here */
			if (kernel && L->o->no_kernel) {
				first_in_ctx = false;
				continue;
			}
			p->meta.frames_total += weight;
			k = loctable_get(&lt, ip, kernel ? 0 : rs->pid,
					 (uint8_t)((kernel ? 1 : 0) | (first_in_ctx ? 0 : 2)), &fresh);
			first_in_ctx = false;
			if (!k) {
				err = -ENOMEM;
				break;
			}
			if (fresh) {
				err = make_location(L, &mi, k, rs->time);
				if (err)
					break;
			}
			if (k->loc < 0) {
				p->meta.frames_dropped += weight;
				p->meta.frames_total -= weight;
				continue;
			}
			if (!p->locations[k->loc].resolved)
				p->meta.frames_unresolved += weight;
			locs[n++] = (uint32_t)k->loc;
		}
		if (err)
			break;
		if (L->o->nr_dsos) {
			const struct profile_location *leaf = n ? &p->locations[locs[0]] : NULL;

			if (!leaf || leaf->mapping == PROFILE_NO_MAPPING ||
			    !dso_matches(L->o, p->mappings[leaf->mapping].path)) {
				p->meta.nr_filtered += weight;
				p->meta.nr_samples -= weight;
				continue;
			}
		}
		if (!n) {
			/* every frame dropped: keep the sample, as [unknown]
			 * (one location shared by all such samples) */
			if (unknown_loc < 0) {
				struct profile_location pl = { .mapping = PROFILE_NO_MAPPING };

				unknown_loc = profile_add_location(p, &pl);
				if (unknown_loc < 0) {
					err = unknown_loc;
					break;
				}
			}
			locs[n++] = (uint32_t)unknown_loc;
		}
		{
			struct fsample *f;
			uint32_t pid_key = L->o->keys & PROFILE_KEY_PID ? rs->pid : 0;

			h = hash_bytes(locs, n * sizeof(*locs),
				       (uint64_t)pid_key << 32 ^ rs->tid) ^
			    hash_u64((uintptr_t)rs->comm ^ ((uintptr_t)rs->thread << 1) ^
				     ((uint64_t)(uint32_t)rs->cpu << 40));
			for (f = fb[h & (fcap - 1)]; f; f = f->next) {
				struct profile_sample *t = &p->samples[f->idx];

				if (f->hash == h && t->nr_locs == n && t->pid == pid_key &&
				    t->tid == rs->tid && t->cpu == rs->cpu &&
				    t->comm == rs->comm && t->thread == rs->thread &&
				    !memcmp(t->locs, locs, n * sizeof(*locs)))
					break;
			}
			if (f) {
				uint64_t *v = (uint64_t *)p->samples[f->idx].values;

				for (size_t e = 0; e < 2 * L->nr_evs; e++)
					v[e] = profile_sat_add(v[e], rs->values[e]);
				continue;
			}
			ps = (struct profile_sample){
				.pid = pid_key, .tid = rs->tid, .cpu = rs->cpu,
				.comm = rs->comm, .thread = rs->thread,
				.values = rs->values, .nr_locs = n, .locs = locs,
			};
			err = profile_add_sample(p, &ps);
			if (err < 0)
				break;
			f = &fs_pool[nfs++];
			f->idx = err;
			f->hash = h;
			f->next = fb[h & (fcap - 1)];
			fb[h & (fcap - 1)] = f;
			err = 0;
		}
	}
out:
	free(locs);
	free(fb);
	free(fs_pool);
	free(lt.k);
	free(mi.idx);
	return err;
}

static void fill_meta(struct loader *L, const char *path)
{
	struct profile_meta *m = &L->p->meta;
	uint64_t v;
	char buf[256];

	m->pipe_mode = df_reader_is_pipe(L->r);
	m->cmdline = profile_intern(L->p, df_reader_string(L->r, DF_CMDLINE));
	m->osrelease = profile_intern(L->p, df_reader_string(L->r, DF_OSRELEASE));
	m->hostname = profile_intern(L->p, df_reader_string(L->r, DF_HOSTNAME));
	if (!df_reader_fact_u64(L->r, DF_KEY_START_REALTIME, &v))
		m->start_realtime_ns = v;
	if (!df_reader_fact_u64(L->r, DF_KEY_DURATION, &v) && v)
		m->duration_ns = v;
	else if (m->time_last > m->time_first)
		m->duration_ns = m->time_last - m->time_first;
	/* cperf records LOST in the file and counts them in its facts; count
	 * the records, which perf's files have too */
	if (!m->lost && !df_reader_fact_u64(L->r, DF_KEY_LOST, &v))
		m->lost = v;
	if (!m->truncated_note && df_reader_cut_short(L->r)) {
		uint64_t ignored = df_reader_ignored_bytes(L->r);

		if (ignored)
			snprintf(buf, sizeof(buf),
				 "'%s' was cut short (the recorder was killed?): %llu trailing bytes ignored",
				 path, (unsigned long long)ignored);
		else
			snprintf(buf, sizeof(buf),
				 "'%s' was not closed properly (the recorder was killed?): read up to its last complete record",
				 path);
		m->truncated_note = profile_intern(L->p, buf);
	}
}

static long maxrss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_maxrss;
}

int profile_load(const char *path, const struct profile_options *o, struct profile **out,
		 char *err, size_t errlen)
{
	struct loader L = { 0 };
	struct sym_options so;
	uint64_t t0, t1, t2, t3;
	int rc;

	*out = NULL;
	L.o = o;
	L.err = err;
	L.errlen = errlen;
	L.p = profile_new();
	if (!L.p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	L.swapper = profile_intern(L.p, "swapper");
	L.r = df_reader_open(path, err, errlen);
	if (!L.r) {
		profile_free(L.p);
		return -EINVAL;
	}
	sym_options_init(&so);
	so.inline_frames = !o->no_inline;
	so.debug_dirs = o->debug_dirs;
	L.sym = sym_ctx_new(&so);
	if (!L.sym) {
		rc = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < df_reader_nr_build_ids(L.r); i++) {
		const struct df_build_id *b = df_reader_build_id(L.r, i);

		if (b->path && b->id_len)
			sym_add_build_id(L.sym, b->path, b->id, b->id_len);
	}
	t0 = now_ns();
	rc = setup_events(&L);
	if (rc == -EINVAL) {
		snprintf(err, errlen, "'%s' has no events", path);
		goto out_err;
	}
	if (!rc)
		rc = pass_sideband(&L);
	t1 = now_ns();
	if (getenv("CPERF_PROFILE_STATS"))
		fprintf(stderr, "profile: after sideband: %ld KB\n", maxrss_kb());
	if (!rc)
		rc = pass_samples(&L);
	t2 = now_ns();
	if (getenv("CPERF_PROFILE_STATS"))
		fprintf(stderr, "profile: after samples: %ld KB\n", maxrss_kb());
	if (!rc)
		rc = pass_resolve(&L);
	t3 = now_ns();
	if (rc)
		goto fail;
	/* for the bench and for tuning: where the time went */
	if (getenv("CPERF_PROFILE_STATS"))
		fprintf(stderr, "profile: sideband %.3fs, samples %.3fs, resolve %.3fs; %zu raw stacks, "
			"%zu locations, %zu mappings, %zu samples\n", (double)(t1 - t0) / 1e9,
			(double)(t2 - t1) / 1e9, (double)(t3 - t2) / 1e9, L.rt.nr, L.p->nr_locations,
			L.p->nr_mappings, L.p->nr_samples);
	if (getenv("CPERF_PROFILE_STATS")) {
		struct sym_stats st;

		sym_ctx_stats(L.sym, &st);
		fprintf(stderr, "profile: %ld KB max RSS; symbolizer: %llu lookups, %llu resolved, "
			"%llu unresolved, %u objects (%u missing, %u without debug info)\n",
			maxrss_kb(), (unsigned long long)st.lookups, (unsigned long long)st.resolved,
			(unsigned long long)st.unresolved, st.objects, st.objects_missing,
			st.objects_no_debug);
	}
	fill_meta(&L, path);
	free(L.rt.b);
	arena_fini(&L.rt.arena);
	free(L.evs);
	free(L.scratch);
	threads_fini(&L.threads);
	/* every string was interned into the profile: the symbolizer can go */
	sym_ctx_free(L.sym);
	df_reader_close(L.r);
	*out = L.p;
	return 0;
fail:
	snprintf(err, errlen, "cannot read '%s': %s", path, strerror(-rc));
out_err:
	free(L.rt.b);
	arena_fini(&L.rt.arena);
	free(L.evs);
	free(L.scratch);
	threads_fini(&L.threads);
	sym_ctx_free(L.sym);
	df_reader_close(L.r);
	profile_free(L.p);
	return rc;
}
