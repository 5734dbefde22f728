/* Unit tests of the perf.data reader and writer: a round trip, truncation at
 * every offset, malformed headers; --dump FILE and --synth FILE serve the
 * end-to-end tests (record counts of perf's fixtures, perf reading ours). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "datafile-int.h"
#include "datafile.h"
#include "record.h"
#include "unit.h"
#include "util.h"

static char tmpdir[64];

static const char *tpath(const char *name)
{
	static char buf[4][256];
	static int n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", tmpdir, name);
	return buf[n];
}

static int load(const char *path, uint8_t **buf, size_t *len)
{
	char *text;
	int ret = read_file(path, 64 << 20, &text, len);

	*buf = (uint8_t *)text;
	return ret;
}

static int save(const char *path, const void *buf, size_t len)
{
	int fd, ret;

	/* A fresh file: truncating one that has data forces a disk flush. */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -errno;
	ret = write_full(fd, buf, len);
	close(fd);
	return ret;
}

/* ---- synthetic records -------------------------------------------------- */

#define ST                                                                              \
	(PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
	 PERF_SAMPLE_PERIOD)

struct rec {
	uint8_t b[512];
	size_t len;
};

static void put(struct rec *r, const void *p, size_t n)
{
	memcpy(r->b + r->len, p, n);
	r->len += n;
}

static void put64(struct rec *r, uint64_t v)
{
	put(r, &v, 8);
}

static void put32x2(struct rec *r, uint32_t a, uint32_t b)
{
	put(r, &a, 4);
	put(r, &b, 4);
}

static void rec_begin(struct rec *r, uint32_t type, uint16_t misc)
{
	struct perf_event_header h = {.type = type, .misc = misc, .size = 0};

	r->len = 0;
	put(r, &h, sizeof(h));
}

static void rec_end(struct rec *r)
{
	uint16_t size = (uint16_t)r->len;

	memcpy(r->b + 6, &size, 2);
}

/* sample_id trailer for ST: TID, TIME, IDENTIFIER. */
static void trailer(struct rec *r, uint32_t pid, uint64_t time, uint64_t id)
{
	put32x2(r, pid, pid);
	put64(r, time);
	put64(r, id);
}

static void rec_comm(struct rec *r, uint32_t pid, const char *comm, uint64_t id)
{
	char name[16] = {0};

	rec_begin(r, PERF_RECORD_COMM, PERF_RECORD_MISC_COMM_EXEC);
	put32x2(r, pid, pid);
	snprintf(name, sizeof(name), "%s", comm);
	put(r, name, 16);
	trailer(r, pid, 1000, id);
	rec_end(r);
}

static void rec_mmap2(struct rec *r, uint32_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
		      const char *path, uint64_t id)
{
	char name[256] = {0};
	size_t nlen = DF_ALIGN(strlen(path) + 1, 8);

	rec_begin(r, PERF_RECORD_MMAP2, PERF_RECORD_MISC_USER);
	put32x2(r, pid, pid);
	put64(r, start);
	put64(r, len);
	put64(r, pgoff);
	put32x2(r, 8, 1); /* maj, min */
	put64(r, 1234); /* ino */
	put64(r, 0); /* ino_generation */
	put32x2(r, 5, 2); /* prot r-x, flags MAP_PRIVATE */
	snprintf(name, sizeof(name), "%s", path);
	put(r, name, nlen);
	trailer(r, pid, 1001, id);
	rec_end(r);
}

static void rec_sample(struct rec *r, uint64_t id, uint64_t ip, uint32_t pid, uint64_t time,
		       uint64_t period)
{
	rec_begin(r, PERF_RECORD_SAMPLE, PERF_RECORD_MISC_USER);
	put64(r, id);
	put64(r, ip);
	put32x2(r, pid, pid);
	put64(r, time);
	put64(r, period);
	rec_end(r);
}

static void make_events(struct df_event ev[2], uint64_t ids0[2], uint64_t ids1[2])
{
	memset(ev, 0, 2 * sizeof(*ev));
	for (int i = 0; i < 2; i++) {
		ev[i].attr.type = PERF_TYPE_SOFTWARE;
		ev[i].attr.size = sizeof(ev[i].attr);
		ev[i].attr.sample_type = ST;
		ev[i].attr.sample_period = 1000;
		ev[i].attr.freq = 1;
		ev[i].attr.sample_id_all = 1;
		ev[i].attr.disabled = 1;
	}
	ev[0].attr.config = PERF_COUNT_SW_CPU_CLOCK;
	ev[0].attr.mmap = ev[0].attr.comm = ev[0].attr.mmap2 = ev[0].attr.task = 1;
	ev[0].name = (char *)"cpu-clock";
	ev[0].ids = ids0;
	ev[0].nr_ids = 2;
	ev[1].attr.config = PERF_COUNT_SW_PAGE_FAULTS;
	ev[1].name = (char *)"page-faults";
	ev[1].ids = ids1;
	ev[1].nr_ids = 2;
}

/* ---- the round trip --------------------------------------------------------- */

static const char kallsyms_in[] = "ffffffff81000000 T _stext\n"
				  "ffffffff81000010 t helper\n"
				  "ffffffff82000000 D some_data\n"
				  "ffffffff81000100 W weak_fn\n"
				  "ffffffffc0000000 t mod_fn\t[mymod]\n"
				  "ffffffff83000000 b bss_thing\n";
static const char kallsyms_out[] = "ffffffff81000000 T _stext\n"
				   "ffffffff81000010 t helper\n"
				   "ffffffff81000100 W weak_fn\n"
				   "ffffffffc0000000 t mod_fn\t[mymod]\n";

/* 40 KB that compress poorly: pipe mode must slice it (32 KiB). */
static const char *big_fact(void)
{
	static char big[40001];
	uint64_t x = 88172645463325252ULL;

	if (!big[0])
		for (size_t i = 0; i < sizeof(big) - 1; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			big[i] = (char)('!' + x % 90);
		}
	return big;
}

static struct rec recs[40];
static size_t nr_recs;
static const uint8_t bid[20] = {0xde, 0xad, 0xbe, 0xef, 1,  2,	3,  4,	5,  6,
				7,    8,    9,	  10,	11, 12, 13, 14, 15, 16};

static struct df_writer *write_sample_file(const char *path, bool close_it, int *err)
{
	uint64_t ids0[2] = {11, 12}, ids1[2] = {13, 14};
	struct df_event ev[2];
	char *argv[] = {(char *)"cperf", (char *)"record", (char *)"-a"};
	struct df_writer *w;

	make_events(ev, ids0, ids1);
	ev[1].attr.size = PERF_ATTR_SIZE_VER5; /* a caller's older size */
	w = df_writer_new(path, ev, 2, err);
	if (!w)
		return NULL;
	nr_recs = 0;
	rec_comm(&recs[nr_recs++], 42, "worker", 11);
	rec_mmap2(&recs[nr_recs++], 42, 0x400000, 0x10000, 0, "/usr/bin/worker", 11);
	for (int i = 0; i < 20; i++)
		rec_sample(&recs[nr_recs++], (uint64_t)(11 + i % 4), 0x400100 + (uint64_t)i, 42,
			   2000 + (uint64_t)i, 1000);
	for (size_t i = 0; i < nr_recs; i++)
		CHECK_INT(df_writer_write(w, recs[i].b, recs[i].len), 0);
	CHECK_INT(df_writer_set_host_facts(w), 0);
	CHECK_INT(df_writer_set_cmdline(w, 3, argv), 0);
	CHECK_INT(df_writer_set_nr_cpus(w, 2, 4), 0);
	CHECK_INT(df_writer_set_string(w, DF_HOSTNAME, "testhost"), 0);
	CHECK_INT(df_writer_add_build_id(w, -1, "/usr/bin/worker", bid, 20, false), 0);
	CHECK_INT(df_writer_add_build_id(w, -1, "[kernel.kallsyms]", bid, 8, true), 0);
	CHECK_INT(df_writer_add_build_id(w, -1, "[kernel.kallsyms]", bid, 8, true), 0);
	CHECK_INT(df_writer_add_build_id(w, -1, "x", bid, 21, true), -EINVAL);
	CHECK_INT(df_writer_set_fact_u64(w, DF_KEY_SAMPLES, 20), 0);
	CHECK_INT(df_writer_set_fact_u64(w, DF_KEY_LOST, 3), 0);
	CHECK_INT(df_writer_set_fact_u64(w, DF_KEY_LOST, 5), 0);
	CHECK_INT(df_writer_set_fact(w, DF_KEY_FALLBACK, "cycles -> cpu-clock"), 0);
	CHECK_INT(df_writer_set_kallsyms(w, kallsyms_in, strlen(kallsyms_in)), 0);
	CHECK_INT(df_writer_set_fact(w, "big", big_fact()), 0);
	CHECK_INT(df_writer_set_kallsyms(w, "0000000000000000 T x\n", 21), -EPERM);
	CHECK_INT((int)df_writer_bytes(w) > 0, 1);
	if (!close_it)
		return w;
	CHECK_INT(df_writer_close(w), 0);
	return NULL;
}

static size_t read_all(struct df_reader *r, bool compare, int *err)
{
	const struct perf_event_header *h;
	size_t n = 0;
	int ret;

	while ((ret = df_reader_next(r, &h)) == 1) {
		if (compare) {
			if (n >= nr_recs || h->size != recs[n].len ||
			    memcmp(h, recs[n].b, recs[n].len)) {
				*err = -1000;
				return n;
			}
		}
		CHECK((uintptr_t)h % 8 == 0);
		n++;
	}
	*err = ret;
	return n;
}

static void test_roundtrip(void)
{
	const char *path = tpath("rt.data");
	char eb[256];
	struct df_reader *r;
	const struct df_event *e;
	const struct df_build_id *b;
	const char *ks;
	size_t kslen;
	uint64_t v;
	int err = 0;
	struct stat st;

	write_sample_file(path, true, &err);
	CHECK_INT(err, 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	r = df_reader_open(path, eb, sizeof(eb));
	CHECK(r != NULL);
	if (!r) {
		fprintf(stderr, "open: %s\n", eb);
		return;
	}
	CHECK(!df_reader_is_pipe(r));
	CHECK_INT(df_reader_nr_events(r), 2);
	e = df_reader_event(r, 0);
	CHECK_STR(e->name, "cpu-clock");
	CHECK_INT(e->nr_ids, 2);
	CHECK_INT(e->ids[1], 12);
	CHECK_INT(e->attr.sample_type, ST);
	CHECK_INT(e->attr.config, PERF_COUNT_SW_CPU_CLOCK);
	CHECK(e->attr.mmap2 && e->attr.sample_id_all);
	CHECK_STR(df_reader_event(r, 1)->name, "page-faults");
	CHECK(df_reader_event(r, 2) == NULL);
	CHECK(df_reader_event_for_id(r, 13) == df_reader_event(r, 1));
	CHECK(df_reader_event_for_id(r, 12) == df_reader_event(r, 0));
	CHECK(df_reader_event_for_id(r, 99) == NULL);
	CHECK(df_reader_event_for_record(r, (void *)recs[2].b) == df_reader_event(r, 0));
	CHECK(df_reader_event_for_record(r, (void *)recs[4].b) == df_reader_event(r, 1));
	CHECK(df_reader_event_for_record(r, (void *)recs[1].b) == df_reader_event(r, 0));
	CHECK_INT(read_all(r, true, &err), nr_recs);
	CHECK_INT(err, 0);
	CHECK(!df_reader_cut_short(r));
	CHECK_INT(df_reader_ignored_bytes(r), 0);
	df_reader_rewind(r);
	CHECK_INT(read_all(r, true, &err), nr_recs);
	CHECK_STR(df_reader_string(r, DF_HOSTNAME), "testhost");
	CHECK_STR(df_reader_string(r, DF_VERSION), "cperf " PACKAGE_VERSION);
	CHECK_STR(df_reader_string(r, DF_CMDLINE), "cperf record -a");
	CHECK(df_reader_string(r, DF_OSRELEASE) && df_reader_string(r, DF_ARCH));
	CHECK_INT(df_reader_nr_cpus(r, NULL), 2);
	CHECK_INT(df_reader_nr_build_ids(r), 2);
	b = df_reader_build_id_for_path(r, "/usr/bin/worker");
	CHECK(b && b->id_len == 20 && !memcmp(b->id, bid, 20) && !b->kernel && b->pid == -1);
	b = df_reader_build_id_for_path(r, "[kernel.kallsyms]");
	CHECK(b && b->id_len == 8 && !memcmp(b->id, bid, 8) && b->kernel);
	CHECK_INT(df_reader_fact_u64(r, DF_KEY_SAMPLES, &v), 0);
	CHECK_INT(v, 20);
	CHECK_INT(df_reader_fact_u64(r, DF_KEY_LOST, &v), 0);
	CHECK_INT(v, 5);
	CHECK_INT(df_reader_fact_u64(r, "nope", &v), -ENOENT);
	CHECK_INT(df_reader_fact_u64(r, DF_KEY_FALLBACK, &v), -EINVAL);
	CHECK_STR(df_reader_fact(r, DF_KEY_CPERF_VERSION), PACKAGE_VERSION);
	CHECK_STR(df_reader_fact(r, "big"), big_fact());
	CHECK_INT(df_reader_kallsyms(r, &ks, &kslen), 0);
	CHECK_INT(kslen, strlen(kallsyms_out));
	CHECK_STR(ks, kallsyms_out);
	df_reader_close(r);

	/* An existing file becomes FILE.old. */
	write_sample_file(path, true, &err);
	CHECK(stat(tpath("rt.data.old"), &st) == 0);
}

/* Keeping only the symbols that sample addresses need: the one containing
 * each address (and address-1), every alias at its start, the symbol after
 * it, and the first symbol. */
static void test_kallsyms_for(void)
{
	static const char in[] = "ffffffff81000000 T _stext\n"
				 "ffffffff81000100 t alpha\n"
				 "ffffffff81000200 t beta\n"
				 "ffffffff81000200 T beta_alias\n"
				 "ffffffff81000300 D data_sym\n"
				 "ffffffff81000400 t gamma\n"
				 "ffffffff81000500 t delta\n"
				 "ffffffffc0000100 t mod_a\t[m]\n"
				 "ffffffffc0000000 t mod_b\t[m]\n"
				 "ffffffff81000600 t epsilon\n";
	/* beta+0x10; gamma's first byte (its pc-1 is in beta); mod_b+8 */
	const uint64_t addrs[] = { 0xffffffff81000210ULL, 0xffffffff81000400ULL,
				   0xffffffffc0000008ULL };
	static const char want[] = "ffffffff81000000 T _stext\n"
				   "ffffffff81000200 t beta\n"
				   "ffffffff81000200 T beta_alias\n"
				   "ffffffff81000400 t gamma\n"
				   "ffffffff81000500 t delta\n"
				   "ffffffffc0000000 t mod_b\t[m]\n"
				   "ffffffffc0000100 t mod_a\t[m]\n";
	char eb[256];
	const char *path = tpath("ksyms.data");
	struct df_writer *w;
	struct df_reader *r;
	struct df_event ev[2];
	uint64_t ids0[2] = { 11, 12 }, ids1[2] = { 13, 14 };
	const char *ks;
	size_t kslen;
	int err;

	make_events(ev, ids0, ids1);
	w = df_writer_new(path, ev, 1, &err);
	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_INT(df_writer_set_kallsyms_for(w, in, strlen(in), addrs, 3), 0);
	CHECK_INT(df_writer_set_kallsyms_for(w, "0 T x\n0 t y\n", 12, addrs, 3), -EPERM);
	CHECK_INT(df_writer_set_kallsyms_for(w, NULL, 0, addrs, 3), -EINVAL);
	CHECK_INT(df_writer_close(w), 0);
	r = df_reader_open(path, eb, sizeof(eb));
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT(df_reader_kallsyms(r, &ks, &kslen), 0);
	CHECK_STR(ks, want);
	df_reader_close(r);
}

/* A recorder killed after a flush: the file reads up to the flush. */
static void test_killed(void)
{
	const char *path = tpath("killed.data");
	struct df_writer *w;
	struct df_reader *r;
	struct rec extra;
	char eb[256];
	int err = 0;

	w = write_sample_file(path, false, &err);
	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_INT(df_writer_flush(w), 0);
	rec_sample(&extra, 11, 0x400200, 42, 5000, 1000);
	CHECK_INT(df_writer_write(w, extra.b, extra.len), 0); /* buffered, not flushed */
	r = df_reader_open(path, eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(read_all(r, true, &err), nr_recs);
		CHECK_INT(err, 0);
		CHECK(df_reader_cut_short(r));
		CHECK_STR(df_reader_event(r, 1)->name, "page-faults"); /* from the attr */
		df_reader_close(r);
	}
	{
		/* Past the vouched data, junk ends the data quietly. */
		uint8_t *buf, *big;
		size_t len;

		if (!load(path, &buf, &len)) {
			big = calloc(1, len + 50);
			memcpy(big, buf, len);
			save(tpath("killed2.data"), big, len + 50);
			r = df_reader_open(tpath("killed2.data"), eb, sizeof(eb));
			CHECK(r != NULL);
			if (r) {
				CHECK_INT(read_all(r, true, &err), nr_recs);
				CHECK_INT(err, 0);
				CHECK_INT(df_reader_ignored_bytes(r), 50);
				df_reader_close(r);
			}
			free(big);
			free(buf);
		}
	}
	CHECK_INT(df_writer_close(w), 0);
}

/* A symlink planted at the output path is moved aside, never followed. */
static void test_symlink(void)
{
	const char *path = tpath("link.data"), *target = tpath("target");
	uint64_t ids0[2] = {1, 2}, ids1[2] = {3, 4};
	struct df_event ev[2];
	struct df_writer *w;
	struct stat st;
	int err;

	CHECK_INT(save(target, "keep", 4), 0);
	CHECK_INT(symlink(target, path), 0);
	make_events(ev, ids0, ids1);
	w = df_writer_new(path, ev, 2, &err);
	CHECK(w != NULL);
	CHECK_INT(df_writer_close(w), 0);
	CHECK(stat(target, &st) == 0 && st.st_size == 4);
	{
		/* A recording without records is complete, not cut short. */
		char eb[256];
		struct df_reader *r = df_reader_open(path, eb, sizeof(eb));
		const struct perf_event_header *h;

		CHECK(r != NULL);
		if (r) {
			CHECK_INT(df_reader_nr_events(r), 2);
			CHECK_INT(df_reader_next(r, &h), 0);
			CHECK(!df_reader_cut_short(r));
			df_reader_close(r);
		}
	}
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	CHECK(lstat(tpath("link.data.old"), &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(df_writer_new(tmpdir, ev, 2, &err) == NULL && err == -EISDIR);
	CHECK(df_writer_new(path, ev, 0, &err) == NULL && err == -EINVAL);
}

/* Pipe mode through stdout, read back. */
static void test_pipe(void)
{
	const char *path = tpath("pipe.data");
	int saved = dup(STDOUT_FILENO), fd, err = 0;
	struct df_writer *w;
	struct df_reader *r;
	char eb[256];

	fflush(stdout);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && saved >= 0);
	if (fd < 0 || saved < 0)
		return;
	dup2(fd, STDOUT_FILENO);
	close(fd);
	w = write_sample_file("-", true, &err);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	CHECK(w == NULL && err == 0);
	r = df_reader_open(path, eb, sizeof(eb));
	CHECK(r != NULL);
	if (!r) {
		fprintf(stderr, "open: %s\n", eb);
		return;
	}
	CHECK(df_reader_is_pipe(r));
	CHECK_INT(df_reader_nr_events(r), 2);
	CHECK_STR(df_reader_event(r, 1)->name, "page-faults");
	CHECK(df_reader_event_for_id(r, 14) == df_reader_event(r, 1));
	CHECK_INT(df_reader_event(r, 1)->nr_ids, 2);
	CHECK_INT(df_reader_event(r, 1)->attr.config, PERF_COUNT_SW_PAGE_FAULTS);
	CHECK_INT(read_all(r, true, &err), nr_recs);
	CHECK_INT(err, 0);
	CHECK_STR(df_reader_string(r, DF_HOSTNAME), "testhost");
	CHECK_INT(df_reader_nr_build_ids(r), 2);
	CHECK_STR(df_reader_fact(r, DF_KEY_LOST), "5");
	CHECK_STR(df_reader_fact(r, "big"), big_fact());
	CHECK_STR(df_reader_fact(r, DF_KEY_KALLSYMS), kallsyms_out);
	CHECK(!df_reader_cut_short(r));
	df_reader_close(r);
	{
		/* Damage in the middle of a pipe: the records before it. */
		uint8_t *buf;
		size_t len, at = 0;

		if (load(path, &buf, &len))
			return;
		/* the 5th SAMPLE: find it by its bytes */
		for (size_t i = 16; i + recs[6].len <= len; i += 8)
			if (!memcmp(buf + i, recs[6].b, recs[6].len)) {
				at = i;
				break;
			}
		CHECK(at != 0);
		buf[at + 6] = 3;
		buf[at + 7] = 0;
		save(tpath("pipe-bad.data"), buf, len);
		r = df_reader_open(tpath("pipe-bad.data"), eb, sizeof(eb));
		CHECK(r != NULL);
		if (r) {
			CHECK_INT(read_all(r, true, &err), 6);
			CHECK_INT(err, 0);
			CHECK(df_reader_cut_short(r));
			CHECK_INT(df_reader_ignored_bytes(r), len - at);
			CHECK(strstr(df_reader_error(r), "less than 8") != NULL);
			df_reader_close(r);
		}
		free(buf);
	}
}

/* The facts of pipe.data (test_pipe) travel in HEADER_EVENT_TYPE records
 * that perf skips: no HEADER_FEATURE 200 (perf report stops at it). The
 * form earlier cperf wrote (HEADER_FEATURE, feature 200) still reads, a
 * damaged slice is refused, and perf's own deprecated records are skipped. */
static void test_pipe_facts(void)
{
	uint8_t *buf, *old;
	size_t len, olen = 0, nfacts = 0, first = 0;
	struct df_reader *r;
	char eb[256];

	if (load(tpath("pipe.data"), &buf, &len))
		return;
	old = malloc(len * 2);
	CHECK(old != NULL);
	if (!old) {
		free(buf);
		return;
	}
	memcpy(old, buf, 16);
	olen = 16;
	for (size_t pos = 16; pos + 8 <= len;) {
		struct perf_event_header h;

		memcpy(&h, buf + pos, sizeof(h));
		if (h.size < 8 || pos + h.size > len) {
			CHECK(!"pipe.data walks to its end");
			break;
		}
		if (h.type == PMU_RECORD_HEADER_FEATURE) {
			uint64_t feat;

			memcpy(&feat, buf + pos + 8, 8);
			CHECK(feat != DF_FEAT_CPERF);
		}
		if (h.type == PMU_RECORD_HEADER_EVENT_TYPE) {
			struct perf_event_header oh = {PMU_RECORD_HEADER_FEATURE, 0,
						       (uint16_t)(h.size + 8)};
			uint64_t feat = DF_FEAT_CPERF;

			CHECK(!memcmp(buf + pos + 8, DF_KV_MAGIC, 8));
			CHECK(h.size >= DF_PIPE_FACTS_MIN && h.size % 8 == 0);
			if (!nfacts)
				first = pos;
			nfacts++;
			/* the same slice as earlier cperf wrote it */
			memcpy(old + olen, &oh, sizeof(oh));
			memcpy(old + olen + 8, &feat, 8);
			memcpy(old + olen + 16, buf + pos + 8, h.size - 8u);
			olen += h.size + 8u;
		} else {
			memcpy(old + olen, buf + pos, h.size);
			olen += h.size;
		}
		pos += h.size;
	}
	/* lost, samples, kallsyms and big in two slices at least */
	CHECK(nfacts >= 5);

	save(tpath("pipe-old.data"), old, olen);
	r = df_reader_open(tpath("pipe-old.data"), eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(df_reader_fact(r, DF_KEY_LOST), "5");
		CHECK_STR(df_reader_fact(r, "big"), big_fact());
		CHECK_STR(df_reader_fact(r, DF_KEY_KALLSYMS), kallsyms_out);
		CHECK_STR(df_reader_string(r, DF_HOSTNAME), "testhost");
		df_reader_close(r);
	} else {
		fprintf(stderr, "old-style pipe facts: %s\n", eb);
	}

	if (first) {
		uint64_t stored;

		/* a slice that claims more bytes than its record holds */
		memcpy(&stored, buf + first + 8 + 24, 8);
		stored += 4096;
		memcpy(buf + first + 8 + 24, &stored, 8);
		save(tpath("pipe-badfacts.data"), buf, len);
		r = df_reader_open(tpath("pipe-badfacts.data"), eb, sizeof(eb));
		CHECK(r == NULL);
		if (!r)
			CHECK(strstr(eb, "malformed cperf facts record at offset") != NULL);
		df_reader_close(r);
		stored -= 4096;
		memcpy(buf + first + 8 + 24, &stored, 8);

		/* not cperf's magic: perf's deprecated record, skipped */
		buf[first + 8] = 'X';
		save(tpath("pipe-perftype.data"), buf, len);
		r = df_reader_open(tpath("pipe-perftype.data"), eb, sizeof(eb));
		CHECK(r != NULL);
		if (r) {
			CHECK_STR(df_reader_fact(r, DF_KEY_KALLSYMS), kallsyms_out);
			df_reader_close(r);
		}
	}
	free(old);
	free(buf);
}

/* ---- HEADER_TRACING_DATA ---------------------------------------------------- */

/* Not real tracing data: the writer stores any bytes unchanged. 37 bytes,
 * so that pipe mode pads. */
static const char tracing_blob[] = "\027\010\104tracing0.6\0\0\010\0\020\0\0header_page\0x";

/* A recording with a tracepoint event and the blob: file mode at path, or
 * pipe mode written to path through stdout. */
static int write_tracing_file(const char *path, bool pipe)
{
	uint64_t ids0[2] = {11, 12}, ids1[2] = {13, 14};
	size_t blen = sizeof(tracing_blob) - 1;
	int saved = -1, fd, err = 0;
	struct df_event ev[2];
	struct df_writer *w;

	make_events(ev, ids0, ids1);
	ev[1].attr.type = PERF_TYPE_TRACEPOINT;
	ev[1].attr.config = 316;
	ev[1].name = (char *)"sched:sched_switch";
	if (pipe) {
		fflush(stdout);
		saved = dup(STDOUT_FILENO);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || saved < 0)
			return -1;
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	w = df_writer_new(pipe ? "-" : path, ev, 2, &err);
	if (w) {
		CHECK_INT(df_writer_set_tracing_data(w, tracing_blob, 0), -EINVAL);
		CHECK_INT(df_writer_set_tracing_data(w, NULL, 4), -EINVAL);
		if (!pipe) /* a later call replaces the first */
			CHECK_INT(df_writer_set_tracing_data(w, "junk", 4), 0);
		CHECK_INT(df_writer_set_tracing_data(w, tracing_blob, blen), 0);
		/* pipe mode: perf needs it once, before the records */
		if (pipe)
			CHECK_INT(df_writer_set_tracing_data(w, tracing_blob, blen), -EBUSY);
		nr_recs = 0;
		rec_comm(&recs[nr_recs++], 42, "worker", 11);
		for (int i = 0; i < 6; i++)
			rec_sample(&recs[nr_recs++], (uint64_t)(11 + i % 4), 0x400100, 42,
				   2000 + (uint64_t)i, 1);
		for (size_t i = 0; i < nr_recs; i++)
			CHECK_INT(df_writer_write(w, recs[i].b, recs[i].len), 0);
		if (pipe)
			CHECK_INT(df_writer_set_tracing_data(w, tracing_blob, blen), -EBUSY);
		CHECK_INT(df_writer_set_string(w, DF_HOSTNAME, "testhost"), 0);
		err = df_writer_close(w);
	}
	if (pipe) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	return err;
}

/* The reader takes both files whole; the blob is where perf looks for it. */
static void test_tracing_data(void)
{
	size_t blen = sizeof(tracing_blob) - 1;
	struct df_file_header h;
	struct df_reader *r;
	uint8_t *buf;
	size_t len;
	char eb[256];
	int err = 0;

	CHECK_INT(write_tracing_file(tpath("tp.data"), false), 0);
	if (load(tpath("tp.data"), &buf, &len) == 0 && len > sizeof(h)) {
		struct df_section sec;
		uint64_t table;

		memcpy(&h, buf, sizeof(h));
		CHECK(h.features[0] & (1ULL << DF_FEAT_TRACING_DATA));
		/* bit 1 is the lowest set: the first entry of the table */
		CHECK(!(h.features[0] & 1));
		table = h.data.offset + h.data.size;
		CHECK(table + sizeof(sec) <= len);
		if (table + sizeof(sec) <= len) {
			memcpy(&sec, buf + table, sizeof(sec));
			CHECK_INT(sec.size, blen);
			CHECK(sec.offset + sec.size <= len &&
			      !memcmp(buf + sec.offset, tracing_blob, blen));
		}
		free(buf);
	}
	r = df_reader_open(tpath("tp.data"), eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		CHECK_INT(read_all(r, true, &err), nr_recs);
		CHECK_INT(err, 0);
		CHECK(!df_reader_cut_short(r));
		CHECK_STR(df_reader_string(r, DF_HOSTNAME), "testhost");
		CHECK_STR(df_reader_event(r, 1)->name, "sched:sched_switch");
		df_reader_close(r);
	}

	CHECK_INT(write_tracing_file(tpath("tp-pipe.data"), true), 0);
	if (load(tpath("tp-pipe.data"), &buf, &len) == 0) {
		size_t pos = DF_PIPE_HEADER_SIZE, at = 0;

		/* the meta records the writer starts with, then ours */
		while (pos + 8 <= len) {
			struct perf_event_header eh;

			memcpy(&eh, buf + pos, sizeof(eh));
			if (eh.type == PMU_RECORD_HEADER_TRACING_DATA) {
				at = pos;
				break;
			}
			if (eh.type < PMU_RECORD_HEADER_ATTR || eh.size < 8)
				break;
			pos += eh.size;
		}
		CHECK(at != 0);
		if (at && at + 16 + DF_ALIGN(blen, 8) <= len) {
			struct perf_event_header eh;
			uint32_t size, pad;

			memcpy(&eh, buf + at, sizeof(eh));
			memcpy(&size, buf + at + 8, 4);
			memcpy(&pad, buf + at + 12, 4);
			CHECK_INT(eh.size, 16);
			CHECK_INT(size, DF_ALIGN(blen, 8));
			CHECK_INT(pad, 0);
			CHECK(!memcmp(buf + at + 16, tracing_blob, blen));
			for (size_t i = blen; i < size; i++)
				CHECK_INT(buf[at + 16 + i], 0);
			/* the first record follows the padding */
			CHECK(!memcmp(buf + at + 16 + size, recs[0].b, recs[0].len));
		} else {
			CHECK(0);
		}
		free(buf);
	}
	r = df_reader_open(tpath("tp-pipe.data"), eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		CHECK(df_reader_is_pipe(r));
		CHECK_INT(read_all(r, true, &err), nr_recs);
		CHECK_INT(err, 0);
		CHECK(!df_reader_cut_short(r));
		CHECK_STR(df_reader_string(r, DF_HOSTNAME), "testhost");
		df_reader_close(r);
	}
}

/* Every prefix of a good file (every stride-th when it is large): a prefix
 * of its records, or a clean one-line error. Returns the failures. */
static size_t truncate_check(const char *src, const char *scratch)
{
	struct strbuf all = STRBUF_INIT;
	const struct perf_event_header *h;
	struct df_reader *r;
	char eb[256] = "";
	uint8_t *buf;
	size_t len, bad = 0, stride;

	if (load(src, &buf, &len))
		return 1;
	r = df_reader_open(src, eb, sizeof(eb));
	if (!r) {
		fprintf(stderr, "%s\n", eb);
		free(buf);
		return 1;
	}
	while (df_reader_next(r, &h) == 1)
		sb_append(&all, h, h->size);
	df_reader_close(r);
	stride = len / 3000 + 1;
	for (size_t cut = 0; cut < len; cut += cut < 256 ? 1 : stride) {
		size_t off = 0;
		int ret;

		save(scratch, buf, cut);
		r = df_reader_open(scratch, eb, sizeof(eb));
		if (!r) {
			if (!eb[0] || strchr(eb, '\n'))
				bad++;
			continue;
		}
		while ((ret = df_reader_next(r, &h)) == 1) {
			if (off + h->size > all.len || memcmp(all.buf + off, h, h->size)) {
				bad++;
				break;
			}
			off += h->size;
		}
		if (ret < 0 && !df_reader_error(r)[0])
			bad++;
		df_reader_close(r);
	}
	if (bad)
		fprintf(stderr, "%s: %zu bad cuts\n", src, bad);
	sb_fini(&all);
	free(buf);
	return bad;
}

/* Random damage (deterministic): bytes flipped, header words replaced with
 * extreme values. The reader must fail cleanly or read; never crash (the
 * sanitizer build checks). Returns the number of unclean failures. */
static size_t mutate_check(const char *src, const char *scratch, unsigned rounds)
{
	static const uint64_t extremes[] = {0,		1,	    7,		8,	    0xffff,
					    0x7fffffff, 0xffffffff, 1ULL << 32, 1ULL << 62, ~0ULL};
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	uint8_t *buf, *m;
	size_t len, bad = 0;

	if (load(src, &buf, &len) || len < 16)
		return 1;
	m = malloc(len);
	for (unsigned i = 0; i < rounds; i++) {
		const struct perf_event_header *h;
		struct df_reader *r;
		char eb[256] = "";
		int ret, n = 1 + (int)(i % 4);

		memcpy(m, buf, len);
		while (n--) {
			size_t at;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Half the damage in the first 1 KiB, where the headers are. */
			at = (size_t)(x >> 20) % (x & 1 ? (len < 1024 ? len : 1024) : len);
			if ((x >> 8) % 3 == 0 && at + 8 <= len)
				memcpy(m + at - at % 8, &extremes[(x >> 12) % ARRAY_SIZE(extremes)],
				       8);
			else
				m[at] ^= (uint8_t)(1u << ((x >> 4) % 8));
		}
		save(scratch, m, len);
		r = df_reader_open(scratch, eb, sizeof(eb));
		if (!r) {
			if (!eb[0])
				bad++;
			continue;
		}
		for (size_t e = 0; e < df_reader_nr_events(r); e++)
			if (!df_reader_event(r, e)->name)
				bad++;
		while ((ret = df_reader_next(r, &h)) == 1)
			df_reader_event_for_record(r, h);
		if (ret < 0 && !df_reader_error(r)[0])
			bad++;
		df_reader_close(r);
	}
	free(m);
	free(buf);
	return bad;
}

static void test_truncate(const char *name)
{
	CHECK_INT(truncate_check(tpath(name), tpath("cut.data")), 0);
}

static void expect_reject(const void *buf, size_t len, const char *what)
{
	const char *p = tpath("bad.data");
	char eb[256] = "";
	struct df_reader *r;

	save(p, buf, len);
	r = df_reader_open(p, eb, sizeof(eb));
	if (r) {
		fprintf(stderr, "accepted, expected '%s'\n", what);
		df_reader_close(r);
	}
	CHECK(r == NULL);
	if (!strstr(eb, what))
		fprintf(stderr, "got '%s', expected '%s'\n", eb, what);
	CHECK(strstr(eb, what) != NULL);
}

static void test_malformed(void)
{
	uint8_t *good, *b;
	size_t len;
	struct df_file_header h;
	struct df_reader *r;
	char eb[256];
	uint32_t u;

	if (load(tpath("rt.data"), &good, &len)) {
		CHECK(0);
		return;
	}
	b = malloc(len);
	memcpy(&h, good, sizeof(h));
	expect_reject("", 0, "zero-length");
	expect_reject("PERFILE", 7, "not a perf.data file");
	expect_reject(good, 50, "truncated header");
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(i * 7919 + 13);
	expect_reject(b, len, "bad magic");
	memcpy(b, good, len);
	memcpy(b, "2ELIFREP", 8);
	expect_reject(b, len, "byte-swapped");
	memcpy(b, "PERFFILE", 8);
	expect_reject(b, len, "PERFFILE");

#define PATCH64(field, val)                  \
	do {                                 \
		struct df_file_header x = h; \
		x.field = (val);             \
		memcpy(b, good, len);        \
		memcpy(b, &x, sizeof(x));    \
	} while (0)
	PATCH64(attr_size, 0);
	expect_reject(b, len, "attr size");
	PATCH64(attr_size, 1ULL << 40);
	expect_reject(b, len, "attr size");
	PATCH64(attrs.offset, len - 8);
	expect_reject(b, len, "attr section points past the end");
	PATCH64(attrs.size, ~0ULL);
	expect_reject(b, len, "attr section points past the end");
	PATCH64(attrs.size, h.attrs.size - 1);
	expect_reject(b, len, "whole attrs");
	PATCH64(data.offset, len + 100);
	expect_reject(b, len, "data section");
	PATCH64(size, 1ULL << 50);
	expect_reject(b, len, "bad header size");
	PATCH64(features[0], h.features[0] | (1ULL << DF_FEAT_COMPRESSED));
	expect_reject(b, len, "compressed");
	/* ids of event 0 (the first attr's section) past the end */
	memcpy(b, good, len);
	{
		uint64_t off = len;

		memcpy(b + h.attrs.offset + h.attr_size - 16, &off, 8);
	}
	expect_reject(b, len, "ids of event 0");
	/* a feature section past the end: the first entry of the table */
	memcpy(b, good, len);
	{
		uint64_t off = ~0ULL - 4;

		memcpy(b + h.data.offset + h.data.size, &off, 8);
	}
	expect_reject(b, len, "header feature");

	/* A record whose size is below 8: the records before it, the rest
	 * flagged. */
	memcpy(b, good, len);
	{
		uint16_t s = 4;

		memcpy(b + h.data.offset + recs[0].len + 6, &s, 2);
	}
	save(tpath("bad.data"), b, len);
	r = df_reader_open(tpath("bad.data"), eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		const struct perf_event_header *rec;

		CHECK_INT(df_reader_next(r, &rec), 1);
		CHECK_INT(df_reader_next(r, &rec), 0);
		CHECK(df_reader_cut_short(r));
		CHECK_INT(df_reader_ignored_bytes(r), h.data.size - recs[0].len);
		CHECK(strstr(df_reader_error(r), "less than 8") != NULL);
		df_reader_close(r);
	}
	/* A PERF_RECORD_COMPRESSED in the data. */
	memcpy(b, good, len);
	u = PMU_RECORD_COMPRESSED;
	memcpy(b + h.data.offset + recs[0].len, &u, 4);
	save(tpath("bad.data"), b, len);
	r = df_reader_open(tpath("bad.data"), eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		const struct perf_event_header *rec;

		CHECK_INT(df_reader_next(r, &rec), 1);
		CHECK(df_reader_next(r, &rec) < 0);
		CHECK(strstr(df_reader_error(r), "perf record -z") != NULL);
		df_reader_close(r);
	}
	/* Cut inside the third record: two records, the rest counted. */
	save(tpath("bad.data"), good, h.data.offset + recs[0].len + recs[1].len + 5);
	r = df_reader_open(tpath("bad.data"), eb, sizeof(eb));
	CHECK(r != NULL);
	if (r) {
		int err;

		CHECK_INT(read_all(r, true, &err), 2);
		CHECK_INT(err, 0);
		CHECK(df_reader_cut_short(r));
		CHECK_INT(df_reader_ignored_bytes(r), 5);
		df_reader_close(r);
	}
	/* Random junk after a valid pipe header. */
	memcpy(b, good, len);
	{
		uint64_t ph[2] = {DF_MAGIC, 16};

		memcpy(b, ph, 16);
		for (size_t i = 16; i < len; i++)
			b[i] = (uint8_t)(i * 31 + 7);
	}
	save(tpath("bad.data"), b, len);
	r = df_reader_open(tpath("bad.data"), eb, sizeof(eb));
	if (r)
		df_reader_close(r);
	CHECK(r == NULL);
	r = df_reader_open(tpath("does-not-exist"), eb, sizeof(eb));
	CHECK(r == NULL && strstr(eb, "cannot open"));
	free(b);
	free(good);
}

/* A file cut inside its feature table or sections (the data intact, as
 * perf reads it): every record, the features before the cut, flagged as
 * cut short. */
static void test_feature_cut(void)
{
	struct df_file_header h;
	uint8_t *good;
	size_t len, nfeat = 0, table, secs;

	if (load(tpath("rt.data"), &good, &len) || len < sizeof(h)) {
		CHECK(0);
		return;
	}
	memcpy(&h, good, sizeof(h));
	for (int b = 0; b < DF_FEAT_BITS; b++)
		nfeat += !!(h.features[b / 64] & (1ULL << (b % 64)));
	table = h.data.offset + h.data.size;
	secs = table + nfeat * sizeof(struct df_section);
	CHECK(nfeat > 2 && secs < len);
	{
		const size_t cuts[] = {table, table + 5, secs, secs + 3, (secs + len) / 2, len - 1};

		for (size_t c = 0; c < ARRAY_SIZE(cuts); c++) {
			struct df_reader *r;
			char eb[256] = "";
			int err = 0;

			save(tpath("featcut.data"), good, cuts[c]);
			r = df_reader_open(tpath("featcut.data"), eb, sizeof(eb));
			if (!r)
				fprintf(stderr, "cut at %zu (features at %zu..%zu): %s\n", cuts[c],
					table, len, eb);
			CHECK(r != NULL);
			if (!r)
				continue;
			CHECK_INT(read_all(r, true, &err), nr_recs);
			CHECK_INT(err, 0);
			CHECK(df_reader_cut_short(r));
			CHECK_INT(df_reader_ignored_bytes(r), 0);
			CHECK_INT(df_reader_nr_events(r), 2);
			/* the sections before the last one are whole there */
			if (cuts[c] == len - 1)
				CHECK_STR(df_reader_string(r, DF_HOSTNAME), "testhost");
			df_reader_close(r);
		}
	}
	free(good);
}

/* Non-regular inputs: read on only when the first 16 bytes are a recording's
 * magic and header size, so endless ones end at once. */
static void test_endless(void)
{
	static const uint8_t zeros[4096];
	char eb[256] = "", path[64];
	struct df_reader *r;
	int fds[2], status;
	pid_t pid;

	r = df_reader_open("/dev/zero", eb, sizeof(eb));
	CHECK(r == NULL);
	CHECK_STR(eb, "'/dev/zero' is not a perf.data file (bad magic)");
	df_reader_close(r);

	/* a pipe: a magic, a header size of 8, then zeros without end */
	CHECK_INT(pipe(fds), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		uint64_t h[2] = {DF_MAGIC, 8};

		close(fds[0]);
		if (write_full(fds[1], h, sizeof(h)) == 0)
			while (write_full(fds[1], zeros, sizeof(zeros)) == 0)
				;
		_exit(0);
	}
	close(fds[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[0]);
	r = df_reader_open(path, eb, sizeof(eb));
	CHECK(r == NULL);
	if (!strstr(eb, "bad header size 8"))
		fprintf(stderr, "pipe with header size 8: got '%s'\n", eb);
	CHECK(strstr(eb, "bad header size 8") != NULL);
	df_reader_close(r);
	close(fds[0]); /* the writer gets EPIPE (or SIGPIPE) and ends */
	CHECK_INT(waitpid(pid, &status, 0), pid);
}

/* ---- --dump: what the e2e tests compare with perf --------------------------- */

static int dump(const char *path)
{
	char eb[256];
	struct df_reader *r = df_reader_open(path, eb, sizeof(eb));
	const struct perf_event_header *h;
	uint64_t counts[64] = {0}, unknown = 0, n = 0, t0;
	int ret;

	if (!r) {
		fprintf(stderr, "%s\n", eb);
		return 1;
	}
	t0 = now_ns();
	while ((ret = df_reader_next(r, &h)) == 1) {
		if (h->type < 64)
			counts[h->type]++;
		else
			unknown++;
		if (!df_reader_event_for_record(r, h) && h->type == PERF_RECORD_SAMPLE)
			unknown++;
		n++;
	}
	t0 = now_ns() - t0;
	printf("mode %s\n", df_reader_is_pipe(r) ? "pipe" : "file");
	for (size_t i = 0; i < df_reader_nr_events(r); i++) {
		const struct df_event *e = df_reader_event(r, i);

		printf("event %zu %s ids=%zu sample_type=0x%llx\n", i, e->name, e->nr_ids,
		       (unsigned long long)e->attr.sample_type);
	}
	for (uint32_t t = 0; t < 64; t++)
		if (counts[t])
			printf("records %s %llu\n", pmu_record_name(t), (unsigned long long)counts[t]);
	printf("unattributed %llu\n", (unsigned long long)unknown);
	for (size_t i = 0; i < df_reader_nr_build_ids(r); i++) {
		const struct df_build_id *b = df_reader_build_id(r, i);

		printf("buildid ");
		for (size_t j = 0; j < b->id_len; j++)
			printf("%02x", b->id[j]);
		printf(" %s%s\n", b->path, b->kernel ? " kernel" : "");
	}
	printf("hostname %s\n", df_reader_string(r, DF_HOSTNAME) ?: "-");
	printf("nr_cpus %u\n", df_reader_nr_cpus(r, NULL));
	{
		const char *ks;
		size_t kslen = 0;

		df_reader_kallsyms(r, &ks, &kslen);
		printf("kallsyms_bytes %zu\n", kslen);
	}
	printf("cut_short %d ignored %llu\n", df_reader_cut_short(r),
	       (unsigned long long)df_reader_ignored_bytes(r));
	if (ret < 0)
		printf("error %s\n", df_reader_error(r));
	fprintf(stderr, "%llu records in %.3f ms (%.1f M records/s)\n", (unsigned long long)n,
		(double)t0 / 1e6, t0 ? (double)n * 1e3 / (double)t0 : 0.0);
	df_reader_close(r);
	return ret < 0 ? 1 : 0;
}

/* ---- --synth: a realistic recording for perf to read -------------------------- */

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
	uint8_t *out = data;

	(void)size;
	if (info->dlpi_name && info->dlpi_name[0])
		return 0; /* the main program only */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint8_t *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + 12 <= end) {
			uint32_t nsz, dsz, type;

			memcpy(&nsz, p, 4);
			memcpy(&dsz, p + 4, 4);
			memcpy(&type, p + 8, 4);
			if (p + 12 + DF_ALIGN(nsz, 4) + dsz > end)
				break;
			if (type == NT_GNU_BUILD_ID && nsz == 4 && !memcmp(p + 12, "GNU", 4) &&
			    dsz <= 20) {
				out[0] = (uint8_t)dsz;
				memcpy(out + 1, p + 12 + DF_ALIGN(nsz, 4), dsz);
				return 1;
			}
			p += 12 + DF_ALIGN(nsz, 4) + DF_ALIGN(dsz, 4);
		}
	}
	return 0;
}

__attribute__((noinline)) int synth_hot_function(int x);
__attribute__((noinline)) int synth_hot_function(int x)
{
	return x * 3 + 1;
}

/* COMM, MMAP2 of this program's text and samples inside synth_hot_function,
 * with this program's build-id: perf report must name the function. */
static int synth(const char *path)
{
	char exe[4096], line[4608];
	uint64_t start = 0, end = 0, pgoff = 0, ids0[2] = {101, 102}, ids1[2] = {103, 104};
	uint64_t fn = (uint64_t)(uintptr_t)&synth_hot_function;
	uint8_t bidbuf[21] = {0};
	struct df_event ev[2];
	struct df_writer *w;
	struct rec r;
	uint32_t pid = (uint32_t)getpid();
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *maps = fopen("/proc/self/maps", "r");
	char *argv[] = {(char *)"test-datafile", (char *)"--synth", (char *)path};
	int err;

	if (n <= 0 || !maps)
		return 1;
	exe[n] = '\0';
	while (fgets(line, sizeof(line), maps)) {
		unsigned long long s, e, off;
		char perms[8];

		if (sscanf(line, "%llx-%llx %7s %llx", &s, &e, perms, &off) == 4 &&
		    perms[2] == 'x' && fn >= s && fn < e) {
			start = s;
			end = e;
			pgoff = off;
		}
	}
	fclose(maps);
	if (!start || !dl_iterate_phdr(find_build_id, bidbuf))
		return 1;
	make_events(ev, ids0, ids1);
	w = df_writer_new(path, ev, 2, &err);
	if (!w) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	{
		/* The kernel map perf expects first (perf record synthesizes it). */
		unsigned long long text = 0, etext = 0, a;
		char t, sym[256];
		FILE *ks = fopen("/proc/kallsyms", "r");

		while (ks && fgets(line, sizeof(line), ks))
			if (sscanf(line, "%llx %c %255s", &a, &t, sym) == 3) {
				if (!strcmp(sym, "_text"))
					text = a;
				else if (!strcmp(sym, "_etext"))
					etext = a;
			}
		if (ks)
			fclose(ks);
		if (text && etext > text) {
			char name[32] = "[kernel.kallsyms]_text";

			rec_begin(&r, PERF_RECORD_MMAP, PERF_RECORD_MISC_KERNEL);
			put32x2(&r, (uint32_t)-1, 0);
			put64(&r, text);
			put64(&r, etext - text);
			put64(&r, text);
			put(&r, name, 24);
			trailer(&r, (uint32_t)-1, 0, 101);
			rec_end(&r);
			df_writer_write(w, r.b, r.len);
		}
	}
	rec_comm(&r, pid, "synthprog", 101);
	df_writer_write(w, r.b, r.len);
	rec_mmap2(&r, pid, start, end - start, pgoff, exe, 101);
	df_writer_write(w, r.b, r.len);
	for (int i = 0; i < 100; i++) {
		rec_sample(&r, i % 5 ? 101 : 103, fn, pid, 2000 + (uint64_t)i, 1000000);
		df_writer_write(w, r.b, r.len);
		if (i % 10 == 9)
			df_writer_finished_round(w);
	}
	df_writer_set_host_facts(w);
	df_writer_set_cmdline(w, 3, argv);
	df_writer_add_build_id(w, -1, exe, bidbuf + 1, bidbuf[0], false);
	df_writer_snapshot_kallsyms(w);
	df_writer_set_fact_u64(w, DF_KEY_SAMPLES, 100);
	err = df_writer_close(w);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	/* stderr: with "-" the recording itself is on stdout */
	fprintf(stderr, "%s ", exe);
	for (int i = 0; i < bidbuf[0]; i++)
		fprintf(stderr, "%02x", bidbuf[1 + i]);
	fprintf(stderr, "\n");
	return 0;
}

/* Writes samples until n bytes or an error; prints the first error. */
static int fill(const char *path, const char *bytes)
{
	uint64_t ids0[2] = {1, 2}, ids1[2] = {3, 4}, n;
	struct df_event ev[2];
	struct df_writer *w;
	struct rec r;
	int err = 0;

	if (parse_u64(bytes, 1, 1ULL << 32, &n))
		return 2;
	make_events(ev, ids0, ids1);
	w = df_writer_new(path, ev, 2, &err);
	if (!w) {
		printf("new: %s\n", strerror(-err));
		return 1;
	}
	for (uint64_t i = 0; !err && df_writer_bytes(w) < n; i++) {
		rec_sample(&r, 1, 0x1000 + i, 7, i, 1);
		err = df_writer_write(w, r.b, r.len);
		if (!err && i % 1000 == 999)
			err = df_writer_flush(w);
	}
	if (err)
		printf("write: %s\n", strerror(-err));
	err = df_writer_close(w);
	if (err)
		printf("close: %s\n", strerror(-err));
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--fill"))
		return fill(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		return dump(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--synth"))
		return synth(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--kallsyms")) {
		char eb[256];
		struct df_reader *r = df_reader_open(argv[2], eb, sizeof(eb));
		const char *ks;
		size_t kslen;

		if (!r || df_reader_kallsyms(r, &ks, &kslen)) {
			fprintf(stderr, "%s\n", r ? "no kallsyms" : eb);
			df_reader_close(r);
			return 1;
		}
		fwrite(ks, 1, kslen, stdout);
		df_reader_close(r);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--mutate-check"))
		return mutate_check(argv[2], argv[3], 500) ? 1 : 0;
	if (argc == 4 && !strcmp(argv[1], "--truncate-check"))
		return truncate_check(argv[2], argv[3]) ? 1 : 0;
	/* Thousands of small files are written: memory beats a disk. */
	snprintf(tmpdir, sizeof(tmpdir), "%s/df-XXXXXX",
		 getenv("TMPDIR")
			 ?: access("/dev/shm", W_OK) == 0 ? "/dev/shm"
							  : "/tmp");
	if (!mkdtemp(tmpdir))
		SKIP("cannot make a temporary directory");
	test_roundtrip();
	test_kallsyms_for();
	test_killed();
	test_symlink();
	test_pipe();
	test_pipe_facts();
	test_malformed();
	test_endless();
	test_feature_cut();
	test_tracing_data();
	test_truncate("rt.data");
	test_truncate("pipe.data");
	test_truncate("tp.data");
	test_truncate("tp-pipe.data");
	CHECK_INT(mutate_check(tpath("rt.data"), tpath("mut.data"), 1500), 0);
	CHECK_INT(mutate_check(tpath("pipe.data"), tpath("mut.data"), 1500), 0);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return unit_done();
}
