/* Unit tests for src/synth.c: the records synthesized from /proc for this
 * very process decode with pmu/record.c, carry a sample_id trailer perf
 * can parse, name this thread and map this executable with its build-id. */
#define _GNU_SOURCE
#include "record.h"
#include "synth.h"
#include "unit.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seen {
	struct pmu_sample_layout l;
	int comms, self_comm, named_thread, mmaps, self_exe, self_exe_bid, kernel, bad, data;
	char exe[PATH_MAX];
};

static int emit(void *arg, const struct perf_event_header *h)
{
	struct seen *s = arg;
	struct pmu_sample_id sid;
	uint64_t id;

	if (h->size % 8)
		s->bad++;
	if (pmu_sample_id_parse(h, &s->l, &sid) || !sid.valid || sid.time != 0)
		s->bad++;
	if (pmu_record_id(h, &s->l, &id) || id != 4242)
		s->bad++;
	if (h->type == PERF_RECORD_COMM) {
		struct pmu_comm c;

		if (pmu_comm_parse(h, &c)) {
			s->bad++;
			return 0;
		}
		s->comms++;
		if (c.pid == (uint32_t)getpid() && c.tid == (uint32_t)getpid())
			s->self_comm++;
		if (c.pid == (uint32_t)getpid() && !strcmp(c.comm, "synth-named"))
			s->named_thread++;
		if (sid.pid != c.pid || sid.tid != c.tid)
			s->bad++;
	} else if (h->type == PERF_RECORD_MMAP2 || h->type == PERF_RECORD_MMAP) {
		struct pmu_mmap m;

		if (pmu_mmap_parse(h, &m)) {
			s->bad++;
			return 0;
		}
		if (m.kernel) {
			s->kernel++;
			return 0;
		}
		s->mmaps++;
		if (!m.executable)
			s->data++;
		if (m.executable && !strcmp(m.filename, s->exe)) {
			s->self_exe++;
			if (m.has_build_id && m.build_id_size == 20)
				s->self_exe_bid++;
		}
	} else {
		s->bad++;
	}
	return 0;
}

static void *named(void *arg)
{
	pthread_setname_np(pthread_self(), "synth-named");
	while (!*(volatile int *)arg)
		usleep(1000);
	return NULL;
}

int main(void)
{
	struct perf_event_attr attr;
	struct seen s;
	struct synth sy;
	pthread_t t;
	int stop = 0;
	ssize_t n;
	uint8_t bid[20];
	size_t len = 0;

	memset(&s, 0, sizeof(s));
	n = readlink("/proc/self/exe", s.exe, sizeof(s.exe) - 1);
	if (n <= 0)
		SKIP("no /proc/self/exe");
	memset(&attr, 0, sizeof(attr));
	attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID |
			   PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD;
	attr.sample_id_all = 1;
	pmu_sample_layout_from_attr(&s.l, &attr);
	if (pthread_create(&t, NULL, named, &stop))
		SKIP("no threads");
	usleep(20000); /* let the thread name itself */

	synth_init(&sy, &attr, 4242, emit, &s);
	CHECK_INT(synth_process(&sy, getpid()), 0);
	CHECK(s.self_comm == 1);
	CHECK(s.named_thread == 1);
	CHECK(s.comms >= 2);
	CHECK(s.mmaps >= 3); /* this program, libc, ld.so (and the vDSO) */
	CHECK_INT(s.self_exe, 1);
	CHECK_INT(s.self_exe_bid, 1);
	CHECK_INT(s.data, 0);
	CHECK_INT(s.bad, 0);
	CHECK(sy.records == (uint64_t)(s.comms + s.mmaps));

	/* with mmap_data, the read-only file maps come too, marked data */
	synth_fini(&sy);
	attr.mmap_data = 1;
	s.comms = s.self_comm = s.named_thread = s.mmaps = s.self_exe = 0;
	s.self_exe_bid = s.kernel = s.bad = s.data = 0;
	synth_init(&sy, &attr, 4242, emit, &s);
	CHECK_INT(synth_process(&sy, getpid()), 0);
	CHECK(s.data > 0);
	CHECK_INT(s.bad, 0);

	/* a process that does not exist */
	CHECK_INT(synth_process(&sy, INT_MAX), -ESRCH);
	/* the kernel: an MMAP of [kernel.kallsyms]_text, unless kallsyms
	 * hides addresses */
	s.kernel = 0;
	if (synth_kernel(&sy) == 0)
		CHECK_INT(s.kernel, 1);
	else
		CHECK_INT(s.kernel, 0);
	synth_fini(&sy);

	/* the kernel's build-id from /sys/kernel/notes */
	if (synth_kernel_build_id(bid, sizeof(bid), &len) == 0)
		CHECK(len > 0 && len <= 20);
	else
		CHECK_INT(len, 0);

	stop = 1;
	pthread_join(t, NULL);
	return unit_done();
}
