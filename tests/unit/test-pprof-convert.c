/* Unit tests of the profile -> pprof bridge (src/convert.c) on a profile
 * built by hand: sample types per event, period, labels, comments, the main
 * mapping first, inline chains, unresolved frames as address-only locations,
 * and the option parsers. */
#include "config.h"

#include "unit.h"

#include "convert.h"

#include "test-pprof-check.c"

#include <errno.h>

static const char *S(const pb_profile *p, int64_t i)
{
	return i >= 0 && (size_t)i < p->n_string_table ? p->string_table[i] : "(out of range)";
}

static const Perftools__Profiles__Label *label(const pb_profile *p,
						const Perftools__Profiles__Sample *s, const char *key)
{
	for (size_t i = 0; i < s->n_label; i++)
		if (!strcmp(S(p, s->label[i]->key), key))
			return s->label[i];
	return NULL;
}

static bool has_comment(const pb_profile *p, const char *text)
{
	for (size_t i = 0; i < p->n_comment; i++)
		if (!strcmp(S(p, p->comment[i]), text))
			return true;
	return false;
}

/* Two events (task-clock at 4000 Hz, cycles every 100000), three objects,
 * an inlined frame, an unresolved frame in libc and one in no mapping. */
static struct profile *build(void)
{
	struct profile *p = profile_new();
	struct profile_event ev1 = { .name = "task-clock", .sample_freq = 4000,
				     .unit = PROFILE_UNIT_NANOSECONDS };
	struct profile_event ev2 = { .name = "cycles", .sample_period = 100000,
				     .unit = PROFILE_UNIT_COUNT };
	struct profile_mapping libc = { 0x7f0000000000, 0x7f0000100000, 0x26000,
					"/usr/lib/libc.so.6", "aa11", false, false, false, false, false };
	struct profile_mapping prog = { 0x400000, 0x401000, 0x1000, "/usr/bin/prog", "bb22",
					false, true, true, true, true };
	struct profile_mapping kern = { 0xffffffff81000000ULL, 0xffffffffffffffffULL, 0,
					"[kernel.kallsyms]", "", true, true, false, false, false };
	struct profile_line inl[2] = {
		{ "ns::helper(int)", "_ZN2ns6helperEi", "prog.h", 7, 3, 5, "prog.h" },
		{ "main", "main", "prog.cc", 20, 0, 15, "prog.cc" },
	};
	struct profile_line kline = { "do_syscall_64", "do_syscall_64", "", 0, 0, 0, "" };
	struct profile_location l0 = { 1, 0x400100, 0x1100, true, false, 2, inl };
	struct profile_location l1 = { 0, 0x7f0000000500, 0x26500, false, false, 0, NULL };
	struct profile_location l2 = { PROFILE_NO_MAPPING, 0xdead, 0, false, false, 0, NULL };
	struct profile_location l3 = { 2, 0xffffffff81000100ULL, 0, true, true, 1, &kline };
	/* a user address the recording put in the kernel mapping */
	struct profile_location l4 = { 2, 0x55cf3a35cd80, 0, false, true, 0, NULL };
	uint32_t st0[] = { 0 }, st1[] = { 1, 0 }, st2[] = { 2 }, st3[] = { 3, 4, 0 };
	uint64_t v0[] = { 3, 750000, 1, 100000 }, v1[] = { 1, 250000, 0, 0 },
		 v2[] = { 0, 0, 2, 200000 }, v3[] = { 1, 250000, 0, 0 };
	struct profile_sample s0 = { 10, 11, 0, "prog", "worker", v0, 1, st0 };
	struct profile_sample s1 = { 10, 12, -1, "prog", "prog", v1, 2, st1 };
	struct profile_sample s2 = { 10, 11, 1, "prog", "worker", v2, 1, st2 };
	struct profile_sample s3 = { 0, 0, 1, "swapper", "", v3, 3, st3 };

	if (!p)
		return NULL;
	CHECK_INT(profile_add_event(p, &ev1), 0);
	CHECK_INT(profile_add_event(p, &ev2), 1);
	CHECK_INT(profile_add_mapping(p, &libc), 0);
	CHECK_INT(profile_add_mapping(p, &prog), 1);
	CHECK_INT(profile_add_mapping(p, &kern), 2);
	CHECK_INT(profile_add_location(p, &l0), 0);
	CHECK_INT(profile_add_location(p, &l1), 1);
	CHECK_INT(profile_add_location(p, &l2), 2);
	CHECK_INT(profile_add_location(p, &l3), 3);
	CHECK_INT(profile_add_location(p, &l4), 4);
	CHECK_INT(profile_add_sample(p, &s0), 0);
	CHECK_INT(profile_add_sample(p, &s1), 1);
	CHECK_INT(profile_add_sample(p, &s2), 2);
	CHECK_INT(profile_add_sample(p, &s3), 3);
	p->meta.nr_samples = 9;
	p->meta.lost = 3;
	p->meta.throttled = 2;
	p->meta.start_realtime_ns = 1700000000000000000ULL;
	p->meta.duration_ns = 1500000000ULL;
	p->meta.cmdline = "cperf record -g ./prog";
	p->meta.osrelease = "6.1.0-test";
	p->meta.fallback_note = "cycles -> task-clock";
	return p;
}

/* Converts p with o and unpacks the result. err gets the message. */
static pb_profile *convert(const struct profile *p, const struct convert_options *o, int *rc,
			   char *err, size_t errlen)
{
	struct pprof_builder *b = pprof_builder_new();
	pb_profile *pb = NULL;
	void *raw = NULL;
	size_t len = 0;

	*rc = -ENOMEM;
	if (!b)
		return NULL;
	*rc = convert_profile(p, o, b, err, errlen);
	if (!*rc && !pprof_serialize(b, &raw, &len))
		pb = perftools__profiles__profile__unpack(NULL, len, raw);
	free(raw);
	pprof_builder_free(b);
	return pb;
}

static void test_content(const struct profile *p)
{
	struct convert_options o;
	char err[256] = "";
	pb_profile *pb;
	int rc;

	convert_options_init(&o);
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK_INT(rc, 0);
	CHECK(pb != NULL);
	if (!pb)
		return;
	CHECK_INT(pb_profile_check(pb), 0);
	CHECK_INT(pb->n_sample_type, 3);
	if (pb->n_sample_type == 3) {
		CHECK_STR(S(pb, pb->sample_type[0]->type), "samples");
		CHECK_STR(S(pb, pb->sample_type[0]->unit), "count");
		CHECK_STR(S(pb, pb->sample_type[1]->type), "cpu");
		CHECK_STR(S(pb, pb->sample_type[1]->unit), "nanoseconds");
		CHECK_STR(S(pb, pb->sample_type[2]->type), "cycles");
		CHECK_STR(S(pb, pb->sample_type[2]->unit), "count");
	}
	CHECK_STR(S(pb, pb->default_sample_type), "cpu");
	CHECK(pb->period_type && !strcmp(S(pb, pb->period_type->type), "cpu"));
	CHECK_INT(pb->period, 250000); /* 1 s / 4000 Hz */
	CHECK_INT(pb->time_nanos, 1700000000000000000LL);
	CHECK_INT(pb->duration_nanos, 1500000000LL);
	CHECK(has_comment(pb, "command: cperf record -g ./prog"));
	CHECK(has_comment(pb, "kernel: 6.1.0-test"));
	CHECK(has_comment(pb, "samples: 9, lost: 3, throttled: 2"));
	CHECK(has_comment(pb, "note: cycles -> task-clock"));
	CHECK(has_comment(pb, "event: task-clock at 4000 Hz"));
	CHECK(has_comment(pb, "event: cycles every 100000"));

	/* the main binary first, then the others in order */
	CHECK_INT(pb->n_mapping, 3);
	if (pb->n_mapping == 3) {
		CHECK_STR(S(pb, pb->mapping[0]->filename), "/usr/bin/prog");
		CHECK_STR(S(pb, pb->mapping[0]->build_id), "bb22");
		CHECK_INT(pb->mapping[0]->file_offset, 0x1000);
		CHECK(pb->mapping[0]->has_functions && pb->mapping[0]->has_inline_frames);
		CHECK_STR(S(pb, pb->mapping[1]->filename), "/usr/lib/libc.so.6");
		CHECK(!pb->mapping[1]->has_functions); /* nothing resolved in it */
		CHECK_STR(S(pb, pb->mapping[2]->filename), "[kernel.kallsyms]");
		CHECK(pb->mapping[2]->has_functions);
	}
	CHECK_INT(pb->n_location, 5);
	if (pb->n_location == 5 && pb->n_mapping == 3) {
		const Perftools__Profiles__Location *l = pb->location[0];

		CHECK_INT(l->mapping_id, pb->mapping[0]->id);
		CHECK_INT(l->address, 0x400100);
		CHECK_INT(l->n_line, 2);
		if (l->n_line == 2 && pb->n_function >= 2) {
			const Perftools__Profiles__Function *f = pb->function[l->line[0]->function_id - 1];

			CHECK_STR(S(pb, f->name), "ns::helper(int)");
			CHECK_STR(S(pb, f->system_name), "_ZN2ns6helperEi");
			CHECK_STR(S(pb, f->filename), "prog.h");
			CHECK_INT(f->start_line, 5);
			CHECK_INT(l->line[0]->line, 7);
			CHECK_INT(l->line[0]->column, 3);
			f = pb->function[l->line[1]->function_id - 1];
			CHECK_STR(S(pb, f->name), "main");
			CHECK_INT(l->line[1]->line, 20);
		}
		/* unresolved: address only, in its mapping or in none */
		CHECK_INT(pb->location[1]->n_line, 0);
		CHECK_INT(pb->location[1]->mapping_id, pb->mapping[1]->id);
		CHECK_INT(pb->location[1]->address, 0x7f0000000500);
		CHECK_INT(pb->location[2]->n_line, 0);
		CHECK_INT(pb->location[2]->mapping_id, 0);
		CHECK_INT(pb->location[2]->address, 0xdead);
		CHECK_INT(pb->location[3]->mapping_id, pb->mapping[2]->id);
		/* outside its mapping: kept as an address without mapping */
		CHECK_INT(pb->location[4]->mapping_id, 0);
		CHECK_INT(pb->location[4]->address, 0x55cf3a35cd80);
	}
	CHECK_INT(pb->n_sample, 4);
	if (pb->n_sample == 4) {
		const Perftools__Profiles__Sample *s = pb->sample[0];
		const Perftools__Profiles__Label *l;

		CHECK_INT(s->n_value, 3);
		CHECK_INT(s->value[0], 4); /* 3 task-clock + 1 cycles samples */
		CHECK_INT(s->value[1], 750000);
		CHECK_INT(s->value[2], 100000);
		l = label(pb, s, "pid");
		CHECK(l && l->num == 10 && !strcmp(S(pb, l->num_unit), "pid"));
		l = label(pb, s, "tid");
		CHECK(l && l->num == 11);
		l = label(pb, s, "cpu");
		CHECK(l && l->num == 0 && !strcmp(S(pb, l->num_unit), "cpu"));
		l = label(pb, s, "comm");
		CHECK(l && !strcmp(S(pb, l->str), "prog"));
		l = label(pb, s, "thread");
		CHECK(l && !strcmp(S(pb, l->str), "worker"));
		CHECK(label(pb, pb->sample[1], "cpu") == NULL); /* cpu -1: no label */
		CHECK_INT(pb->sample[1]->n_location_id, 2);
		CHECK(label(pb, pb->sample[3], "thread") == NULL); /* "" */
		l = label(pb, pb->sample[3], "pid");
		CHECK(l && l->num == 0 && l->num_unit); /* pid 0 kept */
	}
	pb_profile_free(pb);

	/* labels: comm only; samples that differ in the rest merge */
	o.labels = PROFILE_KEY_COMM;
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK(pb != NULL);
	if (pb) {
		size_t nl = 0;

		for (size_t i = 0; i < pb->n_sample; i++) {
			nl += pb->sample[i]->n_label;
			CHECK(label(pb, pb->sample[i], "comm") != NULL);
		}
		CHECK_INT(nl, pb->n_sample);
		pb_profile_free(pb);
	}
}

static void test_sample_type(const struct profile *p)
{
	struct convert_options o;
	char err[256] = "";
	pb_profile *pb;
	int rc;

	convert_options_init(&o);
	o.sample_type = "cycles";
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK(pb && !strcmp(S(pb, pb->default_sample_type), "cycles"));
	pb_profile_free(pb);
	o.sample_type = "task-clock"; /* the event's name for the "cpu" type */
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK(pb && !strcmp(S(pb, pb->default_sample_type), "cpu"));
	pb_profile_free(pb);
	o.sample_type = "samples";
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK(pb && !strcmp(S(pb, pb->default_sample_type), "samples"));
	pb_profile_free(pb);
	o.sample_type = "nosuch";
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK(pb == NULL);
	CHECK_INT(rc, -ENOENT);
	CHECK_STR(err, "no sample type 'nosuch' in this recording (it has: samples, cpu, cycles)");
}

/* A second clock event cannot be "cpu" too. */
static void test_two_clocks(void)
{
	struct profile *p = profile_new();
	struct profile_event e1 = { .name = "cpu-clock", .sample_period = 1000000,
				    .unit = PROFILE_UNIT_NANOSECONDS };
	struct profile_event e2 = { .name = "task-clock", .sample_period = 1000000,
				    .unit = PROFILE_UNIT_NANOSECONDS };
	struct convert_options o;
	char err[256];
	pb_profile *pb;
	int rc;

	if (!p)
		return;
	profile_add_event(p, &e1);
	profile_add_event(p, &e2);
	convert_options_init(&o);
	pb = convert(p, &o, &rc, err, sizeof(err));
	CHECK(pb != NULL);
	if (pb && pb->n_sample_type == 3) {
		CHECK_STR(S(pb, pb->sample_type[1]->type), "cpu");
		CHECK_STR(S(pb, pb->sample_type[2]->type), "task-clock");
		CHECK_INT(pb->period, 1000000);
		CHECK_INT(pb->n_sample, 0);
	}
	pb_profile_free(pb);
	profile_free(p);
}

static void test_parsers(void)
{
	char *s, bad[32] = "";
	unsigned bits = 99;

	s = convert_default_output("perf.data");
	CHECK_STR(s, "perf.pb.gz");
	free(s);
	s = convert_default_output("/tmp/run.1/x.data");
	CHECK_STR(s, "/tmp/run.1/x.pb.gz");
	free(s);
	s = convert_default_output("dir.data/run1");
	CHECK_STR(s, "dir.data/run1.pb.gz");
	free(s);
	s = convert_default_output("/a/.data");
	CHECK_STR(s, "/a/.data.pb.gz");
	free(s);
	s = convert_default_output("-");
	CHECK_STR(s, "-");
	free(s);

	CHECK_INT(convert_parse_labels("all", &bits, bad, sizeof(bad)), 0);
	CHECK_INT(bits, PROFILE_KEYS_ALL);
	CHECK_INT(convert_parse_labels("none", &bits, bad, sizeof(bad)), 0);
	CHECK_INT(bits, 0);
	CHECK_INT(convert_parse_labels("pid,comm", &bits, bad, sizeof(bad)), 0);
	CHECK_INT(bits, PROFILE_KEY_PID | PROFILE_KEY_COMM);
	CHECK_INT(convert_parse_labels("tid,cpux", &bits, bad, sizeof(bad)), -EINVAL);
	CHECK_STR(bad, "cpux");
	CHECK_INT(convert_parse_labels("pi", &bits, bad, sizeof(bad)), -EINVAL);
}

int main(void)
{
	struct profile *p = build();

	CHECK(p != NULL);
	if (p) {
		test_content(p);
		test_sample_type(p);
	}
	profile_free(p);
	test_two_clocks();
	test_parsers();
	return unit_done();
}
