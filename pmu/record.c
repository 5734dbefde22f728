/* Decoding raw perf records (ring or data file) into the plain structs of
 * pmu/record.h, checking every length against the record's own header. */
#include "record.h"

#include <errno.h>
#include <string.h>

/* A bounds-checked reader over one record. Records from a file need not be
 * 8-byte aligned in memory, so scalars are read with memcpy. */
struct cursor {
	const uint8_t *p, *end;
	bool bad;
};

static void cur_init(struct cursor *c, const struct perf_event_header *hdr, size_t skip)
{
	c->p = (const uint8_t *)hdr + skip;
	c->end = (const uint8_t *)hdr + hdr->size;
	c->bad = hdr->size < skip;
}

static size_t cur_left(const struct cursor *c)
{
	return c->bad ? 0 : (size_t)(c->end - c->p);
}

static const void *cur_take(struct cursor *c, uint64_t n)
{
	const void *q;

	if (c->bad || n > cur_left(c)) {
		c->bad = true;
		return NULL;
	}
	q = c->p;
	c->p += n;
	return q;
}

static uint64_t cur_u64(struct cursor *c)
{
	uint64_t v = 0;
	const void *q = cur_take(c, 8);

	if (q)
		memcpy(&v, q, 8);
	return v;
}

static uint32_t cur_u32(struct cursor *c)
{
	uint32_t v = 0;
	const void *q = cur_take(c, 4);

	if (q)
		memcpy(&v, q, 4);
	return v;
}

void pmu_sample_layout_from_attr(struct pmu_sample_layout *l, const struct perf_event_attr *attr)
{
	memset(l, 0, sizeof(*l));
	l->sample_type = attr->sample_type;
	l->read_format = attr->read_format;
	l->sample_regs_user = attr->sample_regs_user;
	l->sample_regs_intr = attr->sample_regs_intr;
	l->sample_id_all = attr->sample_id_all;
	l->branch_sample_type = attr->branch_sample_type;
}

static unsigned int popcount64(uint64_t x)
{
	return (unsigned int)__builtin_popcountll(x);
}

static void set_cpumode(uint16_t misc, bool *user, bool *kernel)
{
	unsigned int mode = misc & PERF_RECORD_MISC_CPUMODE_MASK;

	*user = mode == PERF_RECORD_MISC_USER || mode == PERF_RECORD_MISC_GUEST_USER;
	*kernel = mode == PERF_RECORD_MISC_KERNEL || mode == PERF_RECORD_MISC_GUEST_KERNEL;
}

/* The read_format block of PERF_SAMPLE_READ, skipped: its size depends on
 * GROUP (a count of entries first) and on which optional fields are on. */
static void skip_read(struct cursor *c, uint64_t rf)
{
	uint64_t per = 8 + (rf & PERF_FORMAT_ID ? 8 : 0) + (rf & PERF_FORMAT_LOST ? 8 : 0);
	uint64_t times = (rf & PERF_FORMAT_TOTAL_TIME_ENABLED ? 8 : 0) +
			 (rf & PERF_FORMAT_TOTAL_TIME_RUNNING ? 8 : 0);

	if (rf & PERF_FORMAT_GROUP) {
		uint64_t nr = cur_u64(c);

		cur_take(c, times);
		if (nr > cur_left(c) / per) {
			c->bad = true;
			return;
		}
		cur_take(c, nr * per);
	} else {
		cur_take(c, per + times);
	}
}

int pmu_sample_parse(const struct perf_event_header *hdr,
		     const struct pmu_sample_layout *l, struct pmu_sample *s)
{
	uint64_t t = l->sample_type;
	struct cursor c;

	memset(s, 0, sizeof(*s));
	if (hdr->type != PERF_RECORD_SAMPLE || hdr->size < sizeof(*hdr))
		return -EINVAL;
	cur_init(&c, hdr, sizeof(*hdr));
	set_cpumode(hdr->misc, &s->misc_user, &s->misc_kernel);
	/* field order is the kernel's (perf_event.h, PERF_RECORD_SAMPLE) */
	if (t & PERF_SAMPLE_IDENTIFIER)
		s->id = cur_u64(&c);
	if (t & PERF_SAMPLE_IP)
		s->ip = cur_u64(&c);
	if (t & PERF_SAMPLE_TID) {
		s->pid = cur_u32(&c);
		s->tid = cur_u32(&c);
	}
	if (t & PERF_SAMPLE_TIME)
		s->time = cur_u64(&c);
	if (t & PERF_SAMPLE_ADDR)
		s->addr = cur_u64(&c);
	if (t & PERF_SAMPLE_ID)
		s->id = cur_u64(&c);
	if (t & PERF_SAMPLE_STREAM_ID)
		s->stream_id = cur_u64(&c);
	if (t & PERF_SAMPLE_CPU) {
		s->cpu = cur_u32(&c);
		cur_u32(&c);
	}
	if (t & PERF_SAMPLE_PERIOD)
		s->period = cur_u64(&c);
	if (t & PERF_SAMPLE_READ)
		skip_read(&c, l->read_format);
	if (t & PERF_SAMPLE_CALLCHAIN) {
		uint64_t nr = cur_u64(&c);

		if (nr > cur_left(&c) / 8)
			return -EINVAL;
		s->nr_callchain = nr;
		s->callchain = cur_take(&c, nr * 8);
		if (!nr)
			s->callchain = NULL;
	}
	if (t & PERF_SAMPLE_RAW) {
		/* u32 size then data: the pair is padded to 8 bytes by the
		 * kernel, the padding being counted in size */
		s->raw_size = cur_u32(&c);
		/* unpadded, the fields after it (callers read them as u64
		 * arrays) would be misaligned: the kernel never writes that */
		if ((4 + (uint64_t)s->raw_size) % 8)
			return -EINVAL;
		s->raw = cur_take(&c, s->raw_size);
	}
	if (t & PERF_SAMPLE_BRANCH_STACK) {
		uint64_t nr = cur_u64(&c);

		if (l->branch_sample_type & PERF_SAMPLE_BRANCH_HW_INDEX)
			cur_u64(&c);
		if (nr > cur_left(&c) / 24)
			return -EINVAL;
		cur_take(&c, nr * 24);
	}
	if (t & PERF_SAMPLE_REGS_USER) {
		s->user_abi = cur_u64(&c);
		if (s->user_abi) {
			s->nr_user_regs = popcount64(l->sample_regs_user);
			s->user_regs = cur_take(&c, (uint64_t)s->nr_user_regs * 8);
		}
	}
	if (t & PERF_SAMPLE_STACK_USER) {
		uint64_t size = cur_u64(&c);

		/* size 0 (no user stack, e.g. a kernel thread) has no dyn_size */
		if (size) {
			if (size > cur_left(&c))
				return -EINVAL;
			s->user_stack_size = size;
			s->user_stack = cur_take(&c, size);
			s->user_stack_dyn_size = cur_u64(&c);
			if (s->user_stack_dyn_size > size)
				return -EINVAL;
		}
	}
	/* later fields (weight, data_src, ...) are not decoded */
	return c.bad ? -EINVAL : 0;
}

/* Bytes of the sample_id trailer for this layout. */
static size_t trailer_size(const struct pmu_sample_layout *l)
{
	uint64_t t = l->sample_type;

	return (t & PERF_SAMPLE_TID ? 8 : 0) + (t & PERF_SAMPLE_TIME ? 8 : 0) +
	       (t & PERF_SAMPLE_ID ? 8 : 0) + (t & PERF_SAMPLE_STREAM_ID ? 8 : 0) +
	       (t & PERF_SAMPLE_CPU ? 8 : 0) + (t & PERF_SAMPLE_IDENTIFIER ? 8 : 0);
}

/* Records written by the kernel (and thus carrying a trailer). */
static bool kernel_record(uint32_t type)
{
	return type != PERF_RECORD_SAMPLE && type < PMU_RECORD_HEADER_ATTR;
}

int pmu_sample_id_parse(const struct perf_event_header *hdr,
			const struct pmu_sample_layout *l, struct pmu_sample_id *sid)
{
	uint64_t t = l->sample_type;
	size_t tsz = trailer_size(l);
	struct cursor c;

	memset(sid, 0, sizeof(*sid));
	if (hdr->size < sizeof(*hdr))
		return -EINVAL;
	if (hdr->type == PERF_RECORD_SAMPLE) {
		struct pmu_sample s;
		int err = pmu_sample_parse(hdr, l, &s);

		if (err)
			return err;
		sid->pid = s.pid;
		sid->tid = s.tid;
		sid->time = s.time;
		sid->id = s.id;
		sid->stream_id = s.stream_id;
		sid->cpu = s.cpu;
		sid->valid = true;
		return 0;
	}
	if (!kernel_record(hdr->type) || !l->sample_id_all || !tsz)
		return 0;
	if (hdr->size < sizeof(*hdr) + tsz)
		return -EINVAL;
	cur_init(&c, hdr, hdr->size - tsz);
	/* trailer order: TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER */
	if (t & PERF_SAMPLE_TID) {
		sid->pid = cur_u32(&c);
		sid->tid = cur_u32(&c);
	}
	if (t & PERF_SAMPLE_TIME)
		sid->time = cur_u64(&c);
	if (t & PERF_SAMPLE_ID)
		sid->id = cur_u64(&c);
	if (t & PERF_SAMPLE_STREAM_ID)
		sid->stream_id = cur_u64(&c);
	if (t & PERF_SAMPLE_CPU) {
		sid->cpu = cur_u32(&c);
		cur_u32(&c);
	}
	if (t & PERF_SAMPLE_IDENTIFIER)
		sid->id = cur_u64(&c);
	sid->valid = true;
	return c.bad ? -EINVAL : 0;
}

/* A string that must end with NUL before the end of the record. */
static const char *take_string(struct cursor *c)
{
	const char *s = (const char *)c->p;

	if (c->bad || !memchr(s, '\0', cur_left(c)))
		return NULL;
	c->p += strlen(s) + 1;
	return s;
}

int pmu_mmap_parse(const struct perf_event_header *hdr, struct pmu_mmap *m)
{
	struct cursor c;
	bool user;

	memset(m, 0, sizeof(*m));
	if (hdr->type != PERF_RECORD_MMAP && hdr->type != PERF_RECORD_MMAP2)
		return -EINVAL;
	cur_init(&c, hdr, sizeof(*hdr));
	m->pid = cur_u32(&c);
	m->tid = cur_u32(&c);
	m->start = cur_u64(&c);
	m->len = cur_u64(&c);
	m->pgoff = cur_u64(&c);
	if (hdr->type == PERF_RECORD_MMAP2) {
		/* maj, min, ino, ino_generation, or with MISC_MMAP_BUILD_ID:
		 * u8 size, u8 + u16 reserved, u8 build_id[20] (same 24 bytes) */
		const uint8_t *u = cur_take(&c, 24);

		if (u && (hdr->misc & PERF_RECORD_MISC_MMAP_BUILD_ID)) {
			if (u[0] > sizeof(m->build_id))
				return -EINVAL;
			m->has_build_id = true;
			m->build_id_size = u[0];
			memcpy(m->build_id, u + 4, u[0]);
		}
		m->prot = cur_u32(&c);
		m->flags = cur_u32(&c);
	}
	m->filename = take_string(&c);
	if (c.bad || !m->filename)
		return -EINVAL;
	m->executable = !(hdr->misc & PERF_RECORD_MISC_MMAP_DATA);
	set_cpumode(hdr->misc, &user, &m->kernel);
	return 0;
}

int pmu_comm_parse(const struct perf_event_header *hdr, struct pmu_comm *cm)
{
	struct cursor c;

	memset(cm, 0, sizeof(*cm));
	if (hdr->type != PERF_RECORD_COMM)
		return -EINVAL;
	cur_init(&c, hdr, sizeof(*hdr));
	cm->pid = cur_u32(&c);
	cm->tid = cur_u32(&c);
	cm->comm = take_string(&c);
	if (c.bad || !cm->comm)
		return -EINVAL;
	cm->exec = hdr->misc & PERF_RECORD_MISC_COMM_EXEC;
	return 0;
}

int pmu_task_parse(const struct perf_event_header *hdr, struct pmu_task *tk)
{
	struct cursor c;

	memset(tk, 0, sizeof(*tk));
	if (hdr->type != PERF_RECORD_FORK && hdr->type != PERF_RECORD_EXIT)
		return -EINVAL;
	cur_init(&c, hdr, sizeof(*hdr));
	tk->pid = cur_u32(&c);
	tk->ppid = cur_u32(&c);
	tk->tid = cur_u32(&c);
	tk->ptid = cur_u32(&c);
	tk->time = cur_u64(&c);
	tk->exit = hdr->type == PERF_RECORD_EXIT;
	return c.bad ? -EINVAL : 0;
}

int pmu_lost_parse(const struct perf_event_header *hdr, struct pmu_lost *l)
{
	struct cursor c;

	memset(l, 0, sizeof(*l));
	cur_init(&c, hdr, sizeof(*hdr));
	if (hdr->type == PERF_RECORD_LOST) {
		l->id = cur_u64(&c);
		l->lost = cur_u64(&c);
	} else if (hdr->type == PERF_RECORD_LOST_SAMPLES) {
		/* the event's id is in the sample_id trailer, if any */
		l->lost = cur_u64(&c);
	} else {
		return -EINVAL;
	}
	return c.bad ? -EINVAL : 0;
}

int pmu_throttle_parse(const struct perf_event_header *hdr, struct pmu_throttle *th)
{
	struct cursor c;

	memset(th, 0, sizeof(*th));
	if (hdr->type != PERF_RECORD_THROTTLE && hdr->type != PERF_RECORD_UNTHROTTLE)
		return -EINVAL;
	cur_init(&c, hdr, sizeof(*hdr));
	th->time = cur_u64(&c);
	th->id = cur_u64(&c);
	th->stream_id = cur_u64(&c);
	th->unthrottle = hdr->type == PERF_RECORD_UNTHROTTLE;
	return c.bad ? -EINVAL : 0;
}

int pmu_record_id(const struct perf_event_header *hdr,
		  const struct pmu_sample_layout *l, uint64_t *id)
{
	uint64_t t = l->sample_type;
	size_t off;

	*id = 0;
	if (hdr->size < sizeof(*hdr))
		return -EINVAL;
	if (hdr->type == PERF_RECORD_SAMPLE) {
		if (t & PERF_SAMPLE_IDENTIFIER) {
			off = sizeof(*hdr);
		} else if (t & PERF_SAMPLE_ID) {
			off = sizeof(*hdr) + (t & PERF_SAMPLE_IP ? 8 : 0) +
			      (t & PERF_SAMPLE_TID ? 8 : 0) + (t & PERF_SAMPLE_TIME ? 8 : 0) +
			      (t & PERF_SAMPLE_ADDR ? 8 : 0);
		} else {
			return -ENOENT;
		}
	} else {
		size_t tsz = trailer_size(l);

		if (!kernel_record(hdr->type) || !l->sample_id_all ||
		    !(t & (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_ID)))
			return -ENOENT;
		if (hdr->size < sizeof(*hdr) + tsz)
			return -EINVAL;
		if (t & PERF_SAMPLE_IDENTIFIER)
			off = hdr->size - 8;
		else
			off = hdr->size - 8 - (t & PERF_SAMPLE_CPU ? 8 : 0) -
			      (t & PERF_SAMPLE_STREAM_ID ? 8 : 0);
	}
	if (off + 8 > hdr->size)
		return -EINVAL;
	memcpy(id, (const uint8_t *)hdr + off, 8);
	return 0;
}

const char *pmu_record_name(uint32_t type)
{
	static const char *const kernel[] = {
		[PERF_RECORD_MMAP] = "MMAP",
		[PERF_RECORD_LOST] = "LOST",
		[PERF_RECORD_COMM] = "COMM",
		[PERF_RECORD_EXIT] = "EXIT",
		[PERF_RECORD_THROTTLE] = "THROTTLE",
		[PERF_RECORD_UNTHROTTLE] = "UNTHROTTLE",
		[PERF_RECORD_FORK] = "FORK",
		[PERF_RECORD_READ] = "READ",
		[PERF_RECORD_SAMPLE] = "SAMPLE",
		[PERF_RECORD_MMAP2] = "MMAP2",
		[PERF_RECORD_AUX] = "AUX",
		[PERF_RECORD_ITRACE_START] = "ITRACE_START",
		[PERF_RECORD_LOST_SAMPLES] = "LOST_SAMPLES",
		[PERF_RECORD_SWITCH] = "SWITCH",
		[PERF_RECORD_SWITCH_CPU_WIDE] = "SWITCH_CPU_WIDE",
		[PERF_RECORD_NAMESPACES] = "NAMESPACES",
		[PERF_RECORD_KSYMBOL] = "KSYMBOL",
		[PERF_RECORD_BPF_EVENT] = "BPF_EVENT",
		[PERF_RECORD_CGROUP] = "CGROUP",
		[PERF_RECORD_TEXT_POKE] = "TEXT_POKE",
		[PERF_RECORD_AUX_OUTPUT_HW_ID] = "AUX_OUTPUT_HW_ID",
	};
	static const char *const user[] = {
		"ATTR", "EVENT_TYPE", "TRACING_DATA", "BUILD_ID", "FINISHED_ROUND",
		"ID_INDEX", "AUXTRACE_INFO", "AUXTRACE", "AUXTRACE_ERROR",
		"THREAD_MAP", "CPU_MAP", "STAT_CONFIG", "STAT", "STAT_ROUND",
		"EVENT_UPDATE", "TIME_CONV", "FEATURE", "COMPRESSED", "FINISHED_INIT",
	};

	if (type < sizeof(kernel) / sizeof(kernel[0]) && kernel[type])
		return kernel[type];
	if (type >= PMU_RECORD_HEADER_ATTR &&
	    type - PMU_RECORD_HEADER_ATTR < sizeof(user) / sizeof(user[0]))
		return user[type - PMU_RECORD_HEADER_ATTR];
	return "UNKNOWN";
}
