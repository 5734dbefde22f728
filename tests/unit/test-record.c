/* Unit tests for pmu/record.c: every decoder on hand-built records, each
 * sample_type bit, and short or malformed records rejected with -EINVAL. */
#include "record.h"
#include "unit.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* A record under construction, 8-byte aligned. */
struct rec {
	uint64_t buf[512];
	size_t len; /* bytes */
};

static struct perf_event_header *rec_start(struct rec *r, uint32_t type, uint16_t misc)
{
	struct perf_event_header *h = (struct perf_event_header *)r->buf;

	memset(r, 0, sizeof(*r));
	h->type = type;
	h->misc = misc;
	r->len = sizeof(*h);
	return h;
}

static void put(struct rec *r, const void *p, size_t n)
{
	memcpy((uint8_t *)r->buf + r->len, p, n);
	r->len += n;
}

static void put64(struct rec *r, uint64_t v) { put(r, &v, 8); }
static void put32x2(struct rec *r, uint32_t a, uint32_t b) { put(r, &a, 4); put(r, &b, 4); }

/* A NUL-terminated string padded to 8 bytes, as the kernel writes it. */
static void putstr(struct rec *r, const char *s)
{
	size_t n = strlen(s) + 1, pad = (n + 7) & ~(size_t)7;

	put(r, s, n);
	memset((uint8_t *)r->buf + r->len, 0, pad - n);
	r->len += pad - n;
}

static struct perf_event_header *rec_end(struct rec *r)
{
	struct perf_event_header *h = (struct perf_event_header *)r->buf;

	h->size = (uint16_t)r->len;
	return h;
}

/* The trailer for sample_type TID|TIME|ID|STREAM_ID|CPU|IDENTIFIER subsets. */
static void put_trailer(struct rec *r, uint64_t t)
{
	if (t & PERF_SAMPLE_TID)
		put32x2(r, 11, 12);
	if (t & PERF_SAMPLE_TIME)
		put64(r, 1000);
	if (t & PERF_SAMPLE_ID)
		put64(r, 77);
	if (t & PERF_SAMPLE_STREAM_ID)
		put64(r, 78);
	if (t & PERF_SAMPLE_CPU)
		put32x2(r, 3, 0);
	if (t & PERF_SAMPLE_IDENTIFIER)
		put64(r, 79);
}

static void test_sample_basic(void)
{
	struct pmu_sample_layout l = { 0 };
	struct pmu_sample s;
	struct rec r;
	struct perf_event_header *h;
	uint64_t id;

	l.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_STREAM_ID |
			PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	h = rec_start(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	put64(&r, 42);             /* identifier */
	put64(&r, 0x401000);       /* ip */
	put32x2(&r, 100, 101);     /* pid, tid */
	put64(&r, 123456789);      /* time */
	put64(&r, 0xdead);         /* addr */
	put64(&r, 55);             /* stream id */
	put32x2(&r, 1, 0);         /* cpu, res */
	put64(&r, 250000);         /* period */
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	CHECK_INT(s.id, 42);
	CHECK_INT(s.ip, 0x401000);
	CHECK_INT(s.pid, 100);
	CHECK_INT(s.tid, 101);
	CHECK_INT(s.time, 123456789);
	CHECK_INT(s.addr, 0xdead);
	CHECK_INT(s.stream_id, 55);
	CHECK_INT(s.cpu, 1);
	CHECK_INT(s.period, 250000);
	CHECK(s.misc_user && !s.misc_kernel);
	CHECK(s.callchain == NULL && s.nr_callchain == 0);
	CHECK_INT(pmu_record_id(h, &l, &id), 0);
	CHECK_INT(id, 42);

	/* every truncation of it is rejected */
	for (size_t n = sizeof(*h); n < r.len; n += 4) {
		h->size = (uint16_t)n;
		if (pmu_sample_parse(h, &l, &s) != -EINVAL) {
			CHECK(!"truncated sample accepted");
			break;
		}
	}
	h->size = (uint16_t)r.len;
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);

	/* PERF_SAMPLE_ID without IDENTIFIER: after ip, tid, time, addr */
	l.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_ID;
	h = rec_start(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_KERNEL);
	put64(&r, 0xffffffff81000000ULL);
	put32x2(&r, 0, 0);
	put64(&r, 99);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	CHECK_INT(s.id, 99);
	CHECK(s.misc_kernel && !s.misc_user);
	CHECK_INT(pmu_record_id(h, &l, &id), 0);
	CHECK_INT(id, 99);
	l.sample_type = PERF_SAMPLE_IP;
	CHECK_INT(pmu_record_id(h, &l, &id), -ENOENT);
	/* not a sample */
	h->type = PERF_RECORD_COMM;
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
}

static void test_sample_read_callchain_raw(void)
{
	struct pmu_sample_layout l = { 0 };
	struct pmu_sample s;
	struct rec r;
	struct perf_event_header *h;

	l.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_READ | PERF_SAMPLE_CALLCHAIN |
			PERF_SAMPLE_RAW | PERF_SAMPLE_BRANCH_STACK | PERF_SAMPLE_PERIOD;
	l.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED;
	l.branch_sample_type = PERF_SAMPLE_BRANCH_HW_INDEX;
	h = rec_start(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	put64(&r, 0x1234);
	put64(&r, 7);           /* period */
	put64(&r, 2);           /* read: nr */
	put64(&r, 1000);        /* time enabled */
	put64(&r, 5); put64(&r, 1); /* value, id */
	put64(&r, 6); put64(&r, 2);
	put64(&r, 3);           /* callchain nr */
	put64(&r, PERF_CONTEXT_USER);
	put64(&r, 0x1234);
	put64(&r, 0x5678);
	put32x2(&r, 12, 0xaabbccdd); /* raw size 12: 4 + 12 = 16 */
	put64(&r, 0x1122334455667788ULL);
	put64(&r, 1);           /* branch nr */
	put64(&r, 9);           /* hw_idx */
	put64(&r, 1); put64(&r, 2); put64(&r, 3);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	CHECK_INT(s.ip, 0x1234);
	CHECK_INT(s.period, 7);
	CHECK_INT(s.nr_callchain, 3);
	CHECK(s.callchain && s.callchain[0] == PERF_CONTEXT_USER && s.callchain[2] == 0x5678);
	CHECK_INT(s.raw_size, 12);
	CHECK(s.raw && *(const uint32_t *)s.raw == 0xaabbccdd);
	/* without HW_INDEX the branch block is 8 bytes shorter than the record */
	l.branch_sample_type = 0;
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	l.branch_sample_type = PERF_SAMPLE_BRANCH_HW_INDEX;

	/* a callchain count larger than the record */
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	l.sample_type = PERF_SAMPLE_CALLCHAIN;
	put64(&r, 1000000);
	put64(&r, 1);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
	/* a huge read group count */
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	l.sample_type = PERF_SAMPLE_READ;
	put64(&r, UINT64_MAX / 2);
	put64(&r, 1);
	put64(&r, 1);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
	/* read without group: value, enabled, id */
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	l.sample_type = PERF_SAMPLE_READ | PERF_SAMPLE_PERIOD;
	l.read_format = PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED;
	put64(&r, 4); /* period comes before read */
	put64(&r, 1);
	put64(&r, 2);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL); /* id missing */
	put64(&r, 3);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	CHECK_INT(s.period, 4);
	/* a raw size that leaves the next fields misaligned */
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	l.sample_type = PERF_SAMPLE_RAW | PERF_SAMPLE_PERIOD;
	put64(&r, 1);
	put32x2(&r, 8, 0);
	put64(&r, 0);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
	/* a raw size beyond the record */
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	l.sample_type = PERF_SAMPLE_RAW;
	put32x2(&r, 4000, 0);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
	/* a header size smaller than a header */
	h->size = 4;
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
}

static void test_sample_dwarf(void)
{
	struct pmu_sample_layout l = { 0 };
	struct pmu_sample s;
	struct rec r;
	struct perf_event_header *h;
	uint8_t stack[64];

	memset(stack, 0xab, sizeof(stack));
	l.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	l.sample_regs_user = 0xff0fff; /* 20 registers */
	h = rec_start(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	put32x2(&r, 5, 6);
	put64(&r, PERF_SAMPLE_REGS_ABI_64);
	for (int i = 0; i < 20; i++)
		put64(&r, 1000 + i);
	put64(&r, sizeof(stack));
	put(&r, stack, sizeof(stack));
	put64(&r, 40); /* dyn size */
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	CHECK_INT(s.user_abi, PERF_SAMPLE_REGS_ABI_64);
	CHECK_INT(s.nr_user_regs, 20);
	CHECK(s.user_regs && s.user_regs[19] == 1019);
	CHECK_INT(s.user_stack_size, 64);
	CHECK_INT(s.user_stack_dyn_size, 40);
	CHECK(s.user_stack && s.user_stack[63] == 0xab);

	/* dyn_size larger than size */
	((uint64_t *)((uint8_t *)r.buf + r.len))[-1] = 65;
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
	/* missing dyn_size */
	h->size -= 8;
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);

	/* a kernel thread: abi 0 (no regs), stack size 0 (no dyn_size) */
	h = rec_start(&r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_KERNEL);
	put32x2(&r, 0, 0);
	put64(&r, 0);
	put64(&r, 0);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), 0);
	CHECK_INT(s.user_abi, 0);
	CHECK(s.user_regs == NULL && s.user_stack == NULL);
	CHECK_INT(s.user_stack_size, 0);
	/* stack size beyond the record */
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	put32x2(&r, 0, 0);
	put64(&r, 0);
	put64(&r, 8192);
	rec_end(&r);
	CHECK_INT(pmu_sample_parse(h, &l, &s), -EINVAL);
}

static void test_sample_id(void)
{
	const uint64_t full = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID |
			      PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU | PERF_SAMPLE_IDENTIFIER;
	struct pmu_sample_layout l = { 0 };
	struct pmu_sample_id sid;
	struct pmu_comm c;
	struct rec r;
	struct perf_event_header *h;
	uint64_t id;

	l.sample_type = full | PERF_SAMPLE_IP | PERF_SAMPLE_PERIOD;
	l.sample_id_all = true;
	h = rec_start(&r, PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC);
	put32x2(&r, 11, 12);
	putstr(&r, "worker-1");
	put_trailer(&r, full);
	rec_end(&r);
	CHECK_INT(pmu_sample_id_parse(h, &l, &sid), 0);
	CHECK(sid.valid);
	CHECK_INT(sid.pid, 11);
	CHECK_INT(sid.tid, 12);
	CHECK_INT(sid.time, 1000);
	CHECK_INT(sid.id, 79); /* IDENTIFIER wins, it is last */
	CHECK_INT(sid.stream_id, 78);
	CHECK_INT(sid.cpu, 3);
	CHECK_INT(pmu_record_id(h, &l, &id), 0);
	CHECK_INT(id, 79);
	CHECK_INT(pmu_comm_parse(h, &c), 0);
	CHECK_STR(c.comm, "worker-1");
	CHECK(c.exec);
	CHECK_INT(c.pid, 11);

	/* ID without IDENTIFIER: found before STREAM_ID and CPU */
	l.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_ID | PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU;
	h = rec_start(&r, PERF_RECORD_COMM, 0);
	put32x2(&r, 11, 12);
	putstr(&r, "x");
	put_trailer(&r, l.sample_type);
	rec_end(&r);
	CHECK_INT(pmu_record_id(h, &l, &id), 0);
	CHECK_INT(id, 77);
	CHECK_INT(pmu_sample_id_parse(h, &l, &sid), 0);
	CHECK_INT(sid.id, 77);
	CHECK_INT(sid.cpu, 3);

	/* no sample_id_all: no trailer */
	l.sample_id_all = false;
	CHECK_INT(pmu_sample_id_parse(h, &l, &sid), 0);
	CHECK(!sid.valid);
	CHECK_INT(pmu_record_id(h, &l, &id), -ENOENT);
	/* a record too short for its trailer */
	l.sample_id_all = true;
	h->size = sizeof(*h) + 8;
	CHECK_INT(pmu_sample_id_parse(h, &l, &sid), -EINVAL);
	CHECK_INT(pmu_record_id(h, &l, &id), -EINVAL);
	/* user-space records carry none */
	h = rec_start(&r, PMU_RECORD_FINISHED_ROUND, 0);
	rec_end(&r);
	CHECK_INT(pmu_sample_id_parse(h, &l, &sid), 0);
	CHECK(!sid.valid);
	CHECK_INT(pmu_record_id(h, &l, &id), -ENOENT);

	/* a sample gives its own fields */
	l.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU;
	h = rec_start(&r, PERF_RECORD_SAMPLE, 0);
	put32x2(&r, 1, 2);
	put64(&r, 3);
	put32x2(&r, 1, 0);
	rec_end(&r);
	CHECK_INT(pmu_sample_id_parse(h, &l, &sid), 0);
	CHECK(sid.valid && sid.pid == 1 && sid.tid == 2 && sid.time == 3 && sid.cpu == 1);
}

static void test_mmap(void)
{
	struct pmu_mmap m;
	struct rec r;
	struct perf_event_header *h;
	uint8_t u[24] = { 0 };

	h = rec_start(&r, PERF_RECORD_MMAP, PERF_RECORD_MISC_USER);
	put32x2(&r, 10, 10);
	put64(&r, 0x400000);
	put64(&r, 0x1000);
	put64(&r, 0);
	putstr(&r, "/bin/true");
	rec_end(&r);
	CHECK_INT(pmu_mmap_parse(h, &m), 0);
	CHECK_INT(m.start, 0x400000);
	CHECK_INT(m.len, 0x1000);
	CHECK_STR(m.filename, "/bin/true");
	CHECK(m.executable && !m.kernel && !m.has_build_id);

	/* MMAP2 with a build-id */
	h = rec_start(&r, PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER | PERF_RECORD_MISC_MMAP_BUILD_ID);
	put32x2(&r, 20, 21);
	put64(&r, 0x7f0000000000ULL);
	put64(&r, 0x2000);
	put64(&r, 0x3000);
	u[0] = 20;
	for (int i = 0; i < 20; i++)
		u[4 + i] = (uint8_t)(0xa0 + i);
	put(&r, u, sizeof(u));
	put32x2(&r, 5, 2); /* prot r-x, flags MAP_PRIVATE */
	putstr(&r, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	put_trailer(&r, PERF_SAMPLE_TID | PERF_SAMPLE_TIME);
	rec_end(&r);
	CHECK_INT(pmu_mmap_parse(h, &m), 0);
	CHECK_INT(m.pid, 20);
	CHECK_INT(m.tid, 21);
	CHECK_INT(m.pgoff, 0x3000);
	CHECK_INT(m.prot, 5);
	CHECK_INT(m.flags, 2);
	CHECK(m.has_build_id);
	CHECK_INT(m.build_id_size, 20);
	CHECK_INT(m.build_id[19], 0xa0 + 19);
	CHECK_STR(m.filename, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	/* a build-id size beyond 20 */
	((uint8_t *)r.buf)[sizeof(*h) + 32] = 21;
	CHECK_INT(pmu_mmap_parse(h, &m), -EINVAL);
	/* without the build-id bit the union is maj/min/ino */
	h->misc = PERF_RECORD_MISC_USER | PERF_RECORD_MISC_MMAP_DATA;
	CHECK_INT(pmu_mmap_parse(h, &m), 0);
	CHECK(!m.has_build_id && !m.executable);
	/* the filename not terminated within the record */
	h = rec_start(&r, PERF_RECORD_MMAP, PERF_RECORD_MISC_KERNEL);
	put32x2(&r, 0, 0);
	put64(&r, 1);
	put64(&r, 2);
	put64(&r, 3);
	put(&r, "[kernel.kallsyms]_text", 8); /* no NUL */
	rec_end(&r);
	CHECK_INT(pmu_mmap_parse(h, &m), -EINVAL);
	/* too short for the fixed part */
	h->size = sizeof(*h) + 16;
	CHECK_INT(pmu_mmap_parse(h, &m), -EINVAL);
	h->type = PERF_RECORD_SAMPLE;
	CHECK_INT(pmu_mmap_parse(h, &m), -EINVAL);
}

static void test_comm_task_lost_throttle(void)
{
	struct pmu_comm c;
	struct pmu_task t;
	struct pmu_lost lo;
	struct pmu_throttle th;
	struct rec r;
	struct perf_event_header *h;

	h = rec_start(&r, PERF_RECORD_COMM, 0);
	put32x2(&r, 1, 1);
	put(&r, "abcdefgh", 8); /* unterminated */
	rec_end(&r);
	CHECK_INT(pmu_comm_parse(h, &c), -EINVAL);
	h->size = sizeof(*h) + 4;
	CHECK_INT(pmu_comm_parse(h, &c), -EINVAL);

	h = rec_start(&r, PERF_RECORD_FORK, 0);
	put32x2(&r, 200, 100);
	put32x2(&r, 201, 101);
	put64(&r, 555);
	rec_end(&r);
	CHECK_INT(pmu_task_parse(h, &t), 0);
	CHECK(t.pid == 200 && t.ppid == 100 && t.tid == 201 && t.ptid == 101);
	CHECK(t.time == 555 && !t.exit);
	h->type = PERF_RECORD_EXIT;
	CHECK_INT(pmu_task_parse(h, &t), 0);
	CHECK(t.exit);
	h->size -= 8;
	CHECK_INT(pmu_task_parse(h, &t), -EINVAL);
	h->type = PERF_RECORD_COMM;
	CHECK_INT(pmu_task_parse(h, &t), -EINVAL);

	h = rec_start(&r, PERF_RECORD_LOST, 0);
	put64(&r, 17);
	put64(&r, 300);
	rec_end(&r);
	CHECK_INT(pmu_lost_parse(h, &lo), 0);
	CHECK_INT(lo.id, 17);
	CHECK_INT(lo.lost, 300);
	h->size = sizeof(*h) + 8;
	CHECK_INT(pmu_lost_parse(h, &lo), -EINVAL);
	h = rec_start(&r, PERF_RECORD_LOST_SAMPLES, 0);
	put64(&r, 9);
	rec_end(&r);
	CHECK_INT(pmu_lost_parse(h, &lo), 0);
	CHECK_INT(lo.lost, 9);
	h->type = PERF_RECORD_MMAP;
	CHECK_INT(pmu_lost_parse(h, &lo), -EINVAL);

	h = rec_start(&r, PERF_RECORD_THROTTLE, 0);
	put64(&r, 1);
	put64(&r, 2);
	put64(&r, 3);
	rec_end(&r);
	CHECK_INT(pmu_throttle_parse(h, &th), 0);
	CHECK(th.time == 1 && th.id == 2 && th.stream_id == 3 && !th.unthrottle);
	h->type = PERF_RECORD_UNTHROTTLE;
	CHECK_INT(pmu_throttle_parse(h, &th), 0);
	CHECK(th.unthrottle);
	h->size -= 8;
	CHECK_INT(pmu_throttle_parse(h, &th), -EINVAL);
}

static void test_names(void)
{
	CHECK_STR(pmu_record_name(PERF_RECORD_SAMPLE), "SAMPLE");
	CHECK_STR(pmu_record_name(PERF_RECORD_MMAP2), "MMAP2");
	CHECK_STR(pmu_record_name(PMU_RECORD_FINISHED_ROUND), "FINISHED_ROUND");
	CHECK_STR(pmu_record_name(PMU_RECORD_FINISHED_INIT), "FINISHED_INIT");
	CHECK_STR(pmu_record_name(50), "UNKNOWN");
	CHECK_STR(pmu_record_name(1000), "UNKNOWN");
}

static void test_layout(void)
{
	struct perf_event_attr a;
	struct pmu_sample_layout l;

	memset(&a, 0, sizeof(a));
	a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_REGS_USER;
	a.sample_regs_user = 0xf;
	a.sample_id_all = 1;
	a.read_format = PERF_FORMAT_ID;
	pmu_sample_layout_from_attr(&l, &a);
	CHECK_INT(l.sample_type, a.sample_type);
	CHECK_INT(l.sample_regs_user, 0xf);
	CHECK_INT(l.read_format, PERF_FORMAT_ID);
	CHECK(l.sample_id_all);
}

int main(void)
{
	test_sample_basic();
	test_sample_read_callchain_raw();
	test_sample_dwarf();
	test_sample_id();
	test_mmap();
	test_comm_task_lost_throttle();
	test_names();
	test_layout();
	return unit_done();
}
