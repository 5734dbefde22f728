/* Writes the small synthetic recordings of the datafile and profile seed
 * corpora through the real writer (df_writer_*): every record type the
 * report path decodes, facts, a kallsyms snapshot and build-ids, in file
 * and pipe mode, in a few hundred bytes. Not built by make; regenerate with
 *   B=BUILDDIR; gcc -std=gnu11 -I src -I pmu -I src/util -I $B \
 *     tests/fuzz/mkseed.c src/datafile.c src/datafile-read.c \
 *     $B/libpmu.a $B/libcperfutil.a -lz -o mkseed
 *   ./mkseed OUT.data 1|2|tp [pipe]     (one or two events; tp: the second
 *                                        a tracepoint, with tracing data) */
#include "config.h"

#include "datafile.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST (PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
	    PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD | PERF_SAMPLE_CALLCHAIN)

static uint8_t buf[512];
static size_t len;

static void put(const void *p, size_t n)
{
	memcpy(buf + len, p, n);
	len += n;
}

static void put64(uint64_t v)
{
	put(&v, 8);
}

static void put32(uint32_t a, uint32_t b)
{
	put(&a, 4);
	put(&b, 4);
}

static void begin(uint32_t type, uint16_t misc)
{
	struct perf_event_header h = { .type = type, .misc = misc };

	len = 0;
	put(&h, sizeof(h));
}

/* the sample_id trailer for ST: TID, TIME, CPU, IDENTIFIER */
static void trailer(uint32_t pid, uint64_t id)
{
	put32(pid, pid);
	put64(1000);
	put32(0, 0);
	put64(id);
}

static int end(struct df_writer *w)
{
	struct perf_event_header *h = (struct perf_event_header *)buf;

	while (len % 8)
		buf[len++] = 0;
	h->size = (uint16_t)len;
	return df_writer_write(w, buf, len);
}

static void str(const char *s)
{
	put(s, strlen(s) + 1);
	while (len % 8)
		buf[len++] = 0;
}

int main(int argc, char **argv)
{
	static const char ksyms[] = "ffffffff81000000 T _stext\nffffffff81001000 T do_one_initcall\n"
				    "ffffffff81002000 t local_func\nffffffffc0001000 t mod_fn\t[ext4]\n";
	static const uint8_t bid[20] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };
	struct df_event ev[2];
	uint64_t ids[2][2] = { { 11, 12 }, { 21, 22 } };
	/* a made-up HEADER_TRACING_DATA: its shape, not tracefs's text */
	static const char tdata[] = "\027\010\104tracing0.6\0\0\010\0\020\0\0"
				    "header_page\0\001\0\0\0\0\0\0\0x"
				    "header_event\0\0\0\0\0\0\0\0\0"
				    "\0\0\0\0\001\0\0\0sched\0\001\0\0\0"
				    "\010\0\0\0\0\0\0\0name: sw"
				    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
	bool tp = argc > 2 && !strcmp(argv[2], "tp");
	int nr = tp ? 2 : argc > 2 ? atoi(argv[2]) : 1, err, rc = 0;
	const char *path = argc > 3 ? "-" : argv[1];
	struct df_writer *w;

	if (argc < 2 || nr < 1 || nr > 2)
		return 2;
	if (argc > 3 && !freopen(argv[1], "w", stdout))
		return 1;
	memset(ev, 0, sizeof(ev));
	for (int i = 0; i < 2; i++) {
		ev[i].attr.size = sizeof(ev[i].attr);
		ev[i].attr.type = PERF_TYPE_SOFTWARE;
		ev[i].attr.config = i ? PERF_COUNT_SW_PAGE_FAULTS : PERF_COUNT_SW_CPU_CLOCK;
		ev[i].attr.sample_type = ST;
		ev[i].attr.sample_id_all = 1;
		ev[i].attr.freq = !i;
		ev[i].attr.sample_freq = 99;
		ev[i].attr.comm = ev[i].attr.mmap = ev[i].attr.mmap2 = ev[i].attr.task = !i;
		ev[i].name = i ? "page-faults" : "cpu-clock";
		ev[i].ids = ids[i];
		ev[i].nr_ids = 2;
	}
	if (tp) {
		ev[1].attr.type = PERF_TYPE_TRACEPOINT;
		ev[1].attr.config = 316;
		ev[1].name = "sched:sched_switch";
	}
	w = df_writer_new(path, ev, (size_t)nr, &err);
	if (!w)
		return 1;
	if (tp)
		rc |= df_writer_set_tracing_data(w, tdata, sizeof(tdata) - 1);
	begin(PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC);
	put32(100, 100);
	str("seed");
	trailer(100, 11);
	rc |= end(w);
	begin(PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER | PERF_RECORD_MISC_MMAP_BUILD_ID);
	put32(100, 100);
	put64(0x400000);
	put64(0x2000);
	put64(0);
	buf[len] = 20;
	memcpy(buf + len + 4, bid, 20);
	len += 24;
	put32(5, 2);
	str("/usr/bin/true");
	trailer(100, 11);
	rc |= end(w);
	begin(PERF_RECORD_MMAP, PERF_RECORD_MISC_KERNEL);
	put32(UINT32_MAX, 0);
	put64(0xffffffff81000000ULL);
	put64(0x1000000);
	put64(0xffffffff81000000ULL);
	str("[kernel.kallsyms]_text");
	trailer(0, 11);
	rc |= end(w);
	begin(PERF_RECORD_FORK, 0);
	put32(101, 100);
	put32(101, 100);
	put64(1500);
	trailer(101, 11);
	rc |= end(w);
	for (int i = 0; i < 3; i++) {
		begin(PERF_RECORD_SAMPLE, i ? PERF_RECORD_MISC_USER : PERF_RECORD_MISC_KERNEL);
		put64(ids[i == 2 && nr == 2][0]);
		put64(i ? 0x400100 + 16 * (uint64_t)i : 0xffffffff81001010ULL);
		put32(100 + (i == 2), 100 + (i == 2));
		put64(2000 + (uint64_t)i);
		put32((uint32_t)i & 1, 0);
		put64(10101010);
		put64(i ? 3 : 5);
		if (!i) {
			put64(PERF_CONTEXT_KERNEL);
			put64(0xffffffff81001010ULL);
			put64(PERF_CONTEXT_USER);
		} else {
			put64(PERF_CONTEXT_USER);
		}
		put64(0x400100 + 16 * (uint64_t)i);
		put64(0x400200);
		rc |= end(w);
	}
	begin(PERF_RECORD_LOST, 0);
	put64(11);
	put64(3);
	trailer(0, 11);
	rc |= end(w);
	begin(PERF_RECORD_THROTTLE, 0);
	put64(3000);
	put64(11);
	put64(11);
	trailer(0, 11);
	rc |= end(w);
	begin(PERF_RECORD_EXIT, 0);
	put32(101, 100);
	put32(101, 100);
	put64(4000);
	trailer(101, 11);
	rc |= end(w);
	rc |= df_writer_finished_round(w);
	rc |= df_writer_set_host_facts(w);
	rc |= df_writer_set_cmdline(w, argc, argv);
	rc |= df_writer_set_nr_cpus(w, 2, 2);
	rc |= df_writer_add_build_id(w, -1, "/usr/bin/true", bid, 20, false);
	rc |= df_writer_add_build_id(w, -1, "[kernel.kallsyms]", bid, 20, true);
	rc |= df_writer_set_fact_u64(w, DF_KEY_SAMPLES, 3);
	rc |= df_writer_set_fact_u64(w, DF_KEY_LOST, 3);
	rc |= df_writer_set_fact_u64(w, DF_KEY_THROTTLED, 1);
	rc |= df_writer_set_fact(w, DF_KEY_TARGET, "command");
	rc |= df_writer_set_fact(w, DF_KEY_FALLBACK, "cycles -> cpu-clock: no hardware PMU");
	rc |= df_writer_set_fact_u64(w, DF_KEY_START_REALTIME, 1700000000000000000ULL);
	rc |= df_writer_set_fact_u64(w, DF_KEY_DURATION, 5000);
	rc |= df_writer_set_kallsyms(w, ksyms, sizeof(ksyms) - 1);
	rc |= df_writer_close(w);
	if (rc)
		fprintf(stderr, "mkseed: a write failed\n");
	return rc ? 1 : 0;
}
