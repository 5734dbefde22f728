/* Unit tests of the pprof builder and writer: a small profile built, written,
 * gunzipped and unpacked again with protobuf-c, every field checked; the
 * file's mode and symlink handling; a larger random profile for the dedup
 * tables; and, when go is installed, go tool pprof reading the profile. */
#include "config.h"

#include "unit.h"

#include "test-pprof-check.c"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/test-pprof.XXXXXX";

static void path_in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static const char *S(const pb_profile *p, int64_t i)
{
	return i >= 0 && (size_t)i < p->n_string_table ? p->string_table[i] : "(out of range)";
}

static const Perftools__Profiles__Label *find_label(const pb_profile *p,
						     const Perftools__Profiles__Sample *s,
						     const char *key)
{
	for (size_t i = 0; i < s->n_label; i++)
		if (!strcmp(S(p, s->label[i]->key), key))
			return s->label[i];
	return NULL;
}

struct small {
	uint64_t m_exe, m_kernel, f_main, f_work, f_helper, f_kfunc, l_inl, l_main, l_bare, l_k;
};

static void build_small(struct pprof_builder *b, struct small *ids)
{
	struct pprof_line inl[2], ml[1], kl[1];
	uint64_t stack1[2], stack2[2], stack3[1];
	int64_t v1[2] = { 1, 1000000 }, v2[2] = { 2, 3000000 };
	struct pprof_label lab_a[] = {
		{ "pid", NULL, 42, "pid" },
		{ "comm", "prog", 0, NULL },
		{ "cpu", NULL, 0, "cpu" },
	};
	struct pprof_label lab_b[] = {
		{ "pid", NULL, 43, "pid" },
		{ "comm", "other", 0, NULL },
	};

	CHECK_INT(pprof_add_sample_type(b, "samples", "count"), 0);
	CHECK_INT(pprof_add_sample_type(b, "cpu", "nanoseconds"), 0);
	CHECK_INT(pprof_nr_sample_types(b), 2);
	CHECK_INT(pprof_set_period(b, "cpu", "nanoseconds", 1000000), 0);
	CHECK_INT(pprof_set_default_sample_type(b, "cpu"), 0);
	CHECK_INT(pprof_set_default_sample_type(b, "nosuch"), -ENOENT);
	CHECK_INT(pprof_add_comment(b, "cperf record -g ./prog"), 0);
	CHECK_INT(pprof_add_comment(b, "bad utf-8: \xff\xfe end"), 0);
	CHECK_INT(pprof_set_doc_url(b, "https://example.com/doc"), 0);
	pprof_set_time(b, 1700000000123456789LL, 2000000000LL);

	ids->m_exe = pprof_mapping(b, 0x400000, 0x500000, 0x1000, "/usr/bin/prog", "0123abcd",
				   true, true, true, true);
	CHECK_INT(ids->m_exe, 1);
	/* the same mapping again: same id, flags OR-ed */
	CHECK_INT(pprof_mapping(b, 0x400000, 0x500000, 0x1000, "/usr/bin/prog", "0123abcd",
				false, false, false, false), 1);
	ids->m_kernel = pprof_mapping(b, 0xffffffff81000000ULL, 0xffffffffffffffffULL, 0,
				      "[kernel.kallsyms]", NULL, true, false, false, false);
	CHECK_INT(ids->m_kernel, 2);
	errno = 0;
	CHECK_INT(pprof_mapping(b, 0x500000, 0x400000, 0, "x", NULL, false, false, false, false), 0);
	CHECK_INT(errno, EINVAL);

	ids->f_main = pprof_function(b, "main", NULL, "prog.c", 28);
	ids->f_work = pprof_function(b, "work(int)", "_Z4worki", "prog.c", 10);
	ids->f_helper = pprof_function(b, "helper", "helper", "prog.h", 3);
	ids->f_kfunc = pprof_function(b, "do_syscall_64", NULL, NULL, 0);
	CHECK_INT(ids->f_main, 1);
	CHECK_INT(ids->f_work, 2);
	CHECK_INT(ids->f_helper, 3);
	CHECK_INT(ids->f_kfunc, 4);
	CHECK_INT(pprof_function(b, "work(int)", "_Z4worki", "prog.c", 10), ids->f_work);
	/* a different start line is a different function */
	CHECK_INT(pprof_function(b, "work(int)", "_Z4worki", "prog.c", 11), 5);

	inl[0] = (struct pprof_line){ ids->f_helper, 5, 7 };
	inl[1] = (struct pprof_line){ ids->f_work, 12, 0 };
	ml[0] = (struct pprof_line){ ids->f_main, 30, 0 };
	kl[0] = (struct pprof_line){ ids->f_kfunc, 0, 0 };
	ids->l_inl = pprof_location(b, ids->m_exe, 0x401000, inl, 2);
	ids->l_main = pprof_location(b, ids->m_exe, 0x402000, ml, 1);
	ids->l_bare = pprof_location(b, ids->m_exe, 0x403000, NULL, 0);
	ids->l_k = pprof_location(b, ids->m_kernel, 0xffffffff81001234ULL, kl, 1);
	CHECK_INT(ids->l_inl, 1);
	CHECK_INT(ids->l_main, 2);
	CHECK_INT(ids->l_bare, 3);
	CHECK_INT(ids->l_k, 4);
	/* dedup by (mapping, address): the first lines win */
	CHECK_INT(pprof_location(b, ids->m_exe, 0x401000, ml, 1), ids->l_inl);
	errno = 0;
	CHECK_INT(pprof_location(b, 7, 0x1, NULL, 0), 0);
	CHECK_INT(errno, EINVAL);
	{
		struct pprof_line badl = { 99, 1, 0 };

		errno = 0;
		CHECK_INT(pprof_location(b, ids->m_exe, 0x404000, &badl, 1), 0);
		CHECK_INT(errno, EINVAL);
	}

	stack1[0] = ids->l_inl;
	stack1[1] = ids->l_main;
	stack2[0] = ids->l_bare;
	stack2[1] = ids->l_main;
	stack3[0] = ids->l_k;
	CHECK_INT(pprof_add_sample(b, stack1, 2, v1, 2, lab_a, 3), 0);
	CHECK_INT(pprof_add_sample(b, stack1, 2, v2, 2, lab_a, 3), 0);   /* merged */
	CHECK_INT(pprof_add_sample(b, stack1, 2, v1, 2, lab_b, 2), 0);   /* other labels */
	CHECK_INT(pprof_add_sample(b, stack2, 2, v1, 2, lab_a, 3), 0);
	CHECK_INT(pprof_add_sample(b, stack3, 1, v1, 2, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, stack1, 2, v1, 1, NULL, 0), -EINVAL); /* one value */
	stack3[0] = 77;
	CHECK_INT(pprof_add_sample(b, stack3, 1, v1, 2, NULL, 0), -EINVAL); /* no location 77 */
	{
		struct pprof_label nokey = { NULL, "x", 0, NULL };

		CHECK_INT(pprof_add_sample(b, stack1, 2, v1, 2, &nokey, 1), -EINVAL);
	}
	CHECK_INT(pprof_add_sample_type(b, "late", "count"), -EBUSY);
}

static void test_small(void)
{
	struct pprof_builder *b = pprof_builder_new();
	struct pprof_stats st;
	struct small ids;
	struct stat sb;
	char path[256];
	const char *why = "";
	pb_profile *p;
	void *raw = NULL;
	size_t raw_len = 0;

	CHECK(b != NULL);
	if (!b)
		return;
	CHECK_INT(pprof_string(b, ""), 0);
	CHECK_INT(pprof_string(b, NULL), 0);
	build_small(b, &ids);
	pprof_get_stats(b, &st);
	CHECK_INT(st.mappings, 2);
	CHECK_INT(st.functions, 5);
	CHECK_INT(st.locations, 4);
	CHECK_INT(st.samples, 4);
	CHECK_INT(st.samples_added, 5);

	path_in_tmp(path, sizeof(path), "small.pb.gz");
	CHECK_INT(pprof_write_gz(b, path, 0), 0);
	CHECK_INT(stat(path, &sb), 0);
	CHECK_INT(sb.st_mode & 07777, 0600);
	CHECK_INT(pprof_serialize(b, &raw, &raw_len), 0);

	p = pb_profile_read(path, &why);
	CHECK(p != NULL);
	if (!p) {
		fprintf(stderr, "cannot read back: %s\n", why);
		goto out;
	}
	CHECK_INT(pb_profile_check(p), 0);
	/* the file holds exactly what pprof_serialize returns */
	CHECK_INT(perftools__profiles__profile__get_packed_size(p), raw_len);

	CHECK_STR(p->string_table[0], "");
	CHECK_INT(p->n_sample_type, 2);
	CHECK_STR(S(p, p->sample_type[0]->type), "samples");
	CHECK_STR(S(p, p->sample_type[0]->unit), "count");
	CHECK_STR(S(p, p->sample_type[1]->type), "cpu");
	CHECK_STR(S(p, p->sample_type[1]->unit), "nanoseconds");
	CHECK_STR(S(p, p->default_sample_type), "cpu");
	CHECK(p->period_type != NULL);
	if (p->period_type) {
		CHECK_STR(S(p, p->period_type->type), "cpu");
		CHECK_STR(S(p, p->period_type->unit), "nanoseconds");
	}
	CHECK_INT(p->period, 1000000);
	CHECK_INT(p->time_nanos, 1700000000123456789LL);
	CHECK_INT(p->duration_nanos, 2000000000LL);
	CHECK_STR(S(p, p->doc_url), "https://example.com/doc");
	CHECK_INT(p->n_comment, 2);
	if (p->n_comment == 2) {
		CHECK_STR(S(p, p->comment[0]), "cperf record -g ./prog");
		CHECK_STR(S(p, p->comment[1]), "bad utf-8: \xef\xbf\xbd\xef\xbf\xbd end");
	}
	/* every string once */
	for (size_t i = 0; i < p->n_string_table; i++)
		for (size_t j = i + 1; j < p->n_string_table; j++)
			CHECK(strcmp(p->string_table[i], p->string_table[j]));

	CHECK_INT(p->n_mapping, 2);
	if (p->n_mapping == 2) {
		const Perftools__Profiles__Mapping *m = p->mapping[0];

		CHECK_INT(m->id, 1);
		CHECK_INT(m->memory_start, 0x400000);
		CHECK_INT(m->memory_limit, 0x500000);
		CHECK_INT(m->file_offset, 0x1000);
		CHECK_STR(S(p, m->filename), "/usr/bin/prog");
		CHECK_STR(S(p, m->build_id), "0123abcd");
		CHECK(m->has_functions && m->has_filenames && m->has_line_numbers &&
		      m->has_inline_frames);
		m = p->mapping[1];
		CHECK_INT(m->id, 2);
		CHECK_STR(S(p, m->filename), "[kernel.kallsyms]");
		CHECK_INT(m->build_id, 0);
		CHECK(m->has_functions && !m->has_filenames);
	}
	CHECK_INT(p->n_function, 5);
	if (p->n_function == 5) {
		const Perftools__Profiles__Function *f = p->function[1];

		CHECK_INT(f->id, 2);
		CHECK_STR(S(p, f->name), "work(int)");
		CHECK_STR(S(p, f->system_name), "_Z4worki");
		CHECK_STR(S(p, f->filename), "prog.c");
		CHECK_INT(f->start_line, 10);
		CHECK_STR(S(p, p->function[0]->system_name), "main");
		CHECK_INT(p->function[3]->filename, 0);
	}
	CHECK_INT(p->n_location, 4);
	if (p->n_location == 4) {
		const Perftools__Profiles__Location *l = p->location[0];

		CHECK_INT(l->id, 1);
		CHECK_INT(l->mapping_id, 1);
		CHECK_INT(l->address, 0x401000);
		CHECK_INT(l->n_line, 2);
		if (l->n_line == 2) {
			CHECK_INT(l->line[0]->function_id, ids.f_helper); /* inlined first */
			CHECK_INT(l->line[0]->line, 5);
			CHECK_INT(l->line[0]->column, 7);
			CHECK_INT(l->line[1]->function_id, ids.f_work);
			CHECK_INT(l->line[1]->line, 12);
		}
		CHECK_INT(p->location[2]->n_line, 0);
		CHECK_INT(p->location[2]->address, 0x403000);
		CHECK_INT(p->location[3]->mapping_id, 2);
	}
	{
		char *text = NULL;
		size_t tlen = 0;
		FILE *mf = open_memstream(&text, &tlen);

		if (mf) {
			pb_profile_dump(p, mf);
			fclose(mf);
			CHECK(strstr(text, "function 2 name=work(int) system_name=_Z4worki file=prog.c start_line=10\n"));
			CHECK(strstr(text, "mapping 1 0x400000-0x500000 off=0x1000 file=/usr/bin/prog build_id=0123abcd flags=FSLI\n"));
			CHECK(strstr(text, "sample values=3,4000000 locations=1,2 labels=pid=42pid,comm:prog,cpu=0cpu\n"));
			free(text);
		}
	}
	CHECK_INT(p->n_sample, 4);
	if (p->n_sample == 4) {
		const Perftools__Profiles__Sample *s = p->sample[0];
		const Perftools__Profiles__Label *l;

		CHECK_INT(s->n_location_id, 2);
		CHECK_INT(s->location_id[0], ids.l_inl); /* leaf first */
		CHECK_INT(s->location_id[1], ids.l_main);
		CHECK_INT(s->n_value, 2);
		CHECK_INT(s->value[0], 3);       /* 1 + 2 merged */
		CHECK_INT(s->value[1], 4000000);
		CHECK_INT(s->n_label, 3);
		l = find_label(p, s, "pid");
		CHECK(l && l->num == 42 && !strcmp(S(p, l->num_unit), "pid") && !l->str);
		l = find_label(p, s, "comm");
		CHECK(l && !strcmp(S(p, l->str), "prog") && !l->num);
		l = find_label(p, s, "cpu");
		CHECK(l && l->num == 0 && l->num_unit);
		s = p->sample[1];
		l = find_label(p, s, "comm");
		CHECK(l && !strcmp(S(p, l->str), "other"));
		CHECK_INT(s->value[0], 1);
		CHECK_INT(p->sample[3]->n_label, 0);
	}
	pb_profile_free(p);
out:
	free(raw);
	unlink(path);
	pprof_builder_free(b);
}

/* A symlink planted at the output path is replaced, never followed; a
 * directory is refused; stdout-like descriptors work. */
static void test_paths(void)
{
	struct pprof_builder *b = pprof_builder_new();
	char path[256], target[256], dir[256];
	uint64_t loc, fn;
	int64_t v = 1;
	struct stat sb;
	int fd;

	if (!b)
		return;
	CHECK_INT(pprof_add_sample_type(b, "samples", "count"), 0);
	fn = pprof_function(b, "f", NULL, NULL, 0);
	loc = pprof_location(b, 0, 0x10, &(struct pprof_line){ fn, 0, 0 }, 1);
	CHECK_INT(pprof_add_sample(b, &loc, 1, &v, 1, NULL, 0), 0);
	/* no labels and no stack at all, twice: merged */
	CHECK_INT(pprof_add_sample(b, &loc, 1, &v, 1, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, NULL, 0, &v, 1, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, NULL, 0, &v, 1, NULL, 0), 0);
	{
		struct pprof_stats st;

		pprof_get_stats(b, &st);
		CHECK_INT(st.samples, 2);
		CHECK_INT(st.samples_added, 4);
	}

	path_in_tmp(path, sizeof(path), "link.pb.gz");
	path_in_tmp(target, sizeof(target), "target");
	fd = open(target, O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK_INT(symlink(target, path), 0);
	CHECK_INT(pprof_write_gz(b, path, 1), 0);
	CHECK_INT(lstat(path, &sb), 0);
	CHECK(S_ISREG(sb.st_mode));
	CHECK_INT(stat(target, &sb), 0);
	CHECK_INT(sb.st_size, 0); /* the link's target is untouched */

	path_in_tmp(dir, sizeof(dir), "adir");
	CHECK_INT(mkdir(dir, 0700), 0);
	CHECK_INT(pprof_write_gz(b, dir, 0), -EISDIR);
	CHECK_INT(pprof_write_gz(b, "/nonexistent-dir/x.pb.gz", 0), -ENOENT);
	CHECK_INT(pprof_write_gz(b, "/dev/null", 0), 0);
	{
		struct stat dn;

		CHECK(stat("/dev/null", &dn) == 0 && S_ISCHR(dn.st_mode));
	}
	fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		CHECK_INT(pprof_write_gz_fd(b, fd, 0), -ENOSPC);
		close(fd);
	}
	unlink(path);
	unlink(target);
	rmdir(dir);
	pprof_builder_free(b);
}

/* Labels by string index: the same label set as by strings, so merged;
 * bad indices refused. */
static void test_label_ids(void)
{
	struct pprof_builder *b = pprof_builder_new();
	struct pprof_label lab[2] = { { "pid", NULL, 7, "pid" }, { "comm", "x", 0, NULL } };
	struct pprof_label_ids ids[2];
	struct pprof_stats st;
	uint64_t loc, fn;
	int64_t v = 1, k_pid, k_comm, s_x;

	if (!b)
		return;
	CHECK_INT(pprof_add_sample_type(b, "samples", "count"), 0);
	fn = pprof_function(b, "f", NULL, NULL, 0);
	loc = pprof_location(b, 0, 0x10, &(struct pprof_line){ fn, 0, 0 }, 1);
	CHECK_INT(pprof_add_sample(b, &loc, 1, &v, 1, lab, 2), 0);
	k_pid = pprof_string(b, "pid");
	k_comm = pprof_string(b, "comm");
	s_x = pprof_string(b, "x");
	ids[0] = (struct pprof_label_ids){ k_pid, 0, 7, k_pid };
	ids[1] = (struct pprof_label_ids){ k_comm, s_x, 0, 0 };
	CHECK_INT(pprof_add_sample_ids(b, &loc, 1, &v, 1, ids, 2), 0);
	pprof_get_stats(b, &st);
	CHECK_INT(st.samples, 1);
	CHECK_INT(st.samples_added, 2);
	ids[1].str = 100000; /* no such string */
	CHECK_INT(pprof_add_sample_ids(b, &loc, 1, &v, 1, ids, 2), -EINVAL);
	ids[1] = (struct pprof_label_ids){ 0, s_x, 0, 0 }; /* no key */
	CHECK_INT(pprof_add_sample_ids(b, &loc, 1, &v, 1, ids, 2), -EINVAL);
	ids[1] = (struct pprof_label_ids){ k_comm, s_x, 3, 0 }; /* both */
	CHECK_INT(pprof_add_sample_ids(b, &loc, 1, &v, 1, ids, 2), -EINVAL);
	CHECK_INT(pprof_add_sample_ids(b, &loc, 1, &v, 1, NULL, 1), -EINVAL);
	pprof_get_stats(b, &st);
	CHECK_INT(st.samples_added, 2);
	pprof_builder_free(b);
}

/* Many random stacks over a few hundred locations: the dedup tables grow,
 * merge what is equal and keep the profile valid. */
static void test_random(void)
{
	struct pprof_builder *b = pprof_builder_new();
	enum { NFUNC = 300, NLOC = 2000, NSAMP = 200000 };
	uint64_t *locs = calloc(NLOC, sizeof(*locs)), m, stack[16];
	uint64_t rng = 88172645463325252ULL;
	int64_t sum = 0, vals[2];
	struct pprof_stats st;
	char path[256], name[64];
	const char *why = "";
	pb_profile *p;
	int bad = 0;

	if (!b || !locs)
		goto out;
	CHECK_INT(pprof_add_sample_type(b, "samples", "count"), 0);
	CHECK_INT(pprof_add_sample_type(b, "cpu", "nanoseconds"), 0);
	m = pprof_mapping(b, 0x1000, 0x100000, 0, "/bin/x", "ff", true, true, true, false);
	for (int i = 0; i < NLOC; i++) {
		struct pprof_line l;

		snprintf(name, sizeof(name), "fn%d", i % NFUNC);
		l.function_id = pprof_function(b, name, NULL, "x.c", i % NFUNC);
		l.line = i;
		l.column = 0;
		locs[i] = pprof_location(b, m, 0x1000 + (uint64_t)i * 16, &l, 1);
		bad += !locs[i];
	}
	CHECK_INT(bad, 0);
	for (int i = 0; i < NSAMP; i++) {
		size_t depth;
		char comm[16];
		struct pprof_label lab[2] = { { "tid", NULL, 0, "tid" }, { "comm", comm, 0, NULL } };

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		depth = 1 + rng % 6;
		for (size_t d = 0; d < depth; d++)
			stack[d] = locs[(rng >> (8 + d * 4)) % 3 + d * 30];
		lab[0].num = (int64_t)(rng >> 40) % 4;
		snprintf(comm, sizeof(comm), "t%d", (int)lab[0].num);
		vals[0] = 1;
		vals[1] = 1000 + (int64_t)(rng % 7);
		sum += vals[1];
		bad += pprof_add_sample(b, stack, depth, vals, 2, lab, 2) != 0;
	}
	CHECK_INT(bad, 0);
	pprof_get_stats(b, &st);
	CHECK_INT(st.samples_added, NSAMP);
	CHECK(st.samples < NSAMP / 2); /* identical stacks merged */
	CHECK_INT(st.locations, NLOC);
	CHECK_INT(st.functions, NFUNC);
	path_in_tmp(path, sizeof(path), "random.pb.gz");
	CHECK_INT(pprof_write_gz(b, path, 0), 0);
	p = pb_profile_read(path, &why);
	CHECK(p != NULL);
	if (p) {
		int64_t got = 0, n = 0;

		CHECK_INT(pb_profile_check(p), 0);
		for (size_t i = 0; i < p->n_sample; i++) {
			n += p->sample[i]->value[0];
			got += p->sample[i]->value[1];
		}
		CHECK_INT(n, NSAMP);
		CHECK_INT(got, sum);
		pb_profile_free(p);
	}
	unlink(path);
out:
	free(locs);
	pprof_builder_free(b);
}

/* The real reader: go tool pprof, without symbolization. */
static int run_capture(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	return pclose(f);
}

static void test_go_pprof(void)
{
	struct pprof_builder *b;
	struct small ids;
	char path[256], cmd[1024];
	static char out[65536];

	if (system("command -v go >/dev/null 2>&1")) {
		printf("note: go not installed, go tool pprof checks skipped\n");
		return;
	}
	b = pprof_builder_new();
	if (!b)
		return;
	build_small(b, &ids);
	path_in_tmp(path, sizeof(path), "go.pb.gz");
	CHECK_INT(pprof_write_gz(b, path, 0), 0);

	/* stderr folded into stdout: any warning fails the checks below */
	snprintf(cmd, sizeof(cmd), "go tool pprof -raw -symbolize=none %s 2>&1", path);
	CHECK_INT(run_capture(cmd, out, sizeof(out)), 0);
	CHECK(strstr(out, "PeriodType: cpu nanoseconds") != NULL);
	CHECK(strstr(out, "helper prog.h:5") != NULL);
	CHECK(strstr(out, "work(int) prog.c:12") != NULL);
	CHECK(strstr(out, "pid:[42 pid]") != NULL);
	CHECK(strstr(out, "comm:[prog]") != NULL);
	CHECK(strstr(out, "arning") == NULL);
	if (unit_fail)
		fputs(out, stderr);

	snprintf(cmd, sizeof(cmd),
		 "go tool pprof -top -symbolize=none -sample_index=cpu %s 2>&1", path);
	CHECK_INT(run_capture(cmd, out, sizeof(out)), 0);
	/* helper is flat in samples 1+2 (4ms) and 3 (1ms) of 7ms total */
	CHECK(strstr(out, "of 7ms total") != NULL);
	CHECK(strstr(out, "5ms 71.43% 71.43%        5ms 71.43%  helper (inline)") != NULL);
	CHECK(strstr(out, "arning") == NULL);
	if (unit_fail)
		fputs(out, stderr);
	unlink(path);
	pprof_builder_free(b);
}

/* Merged sample values saturate: periods near INT64_MAX summed stay at
 * INT64_MAX (and INT64_MIN for negative ones) rather than wrap. */
static void test_saturate(void)
{
	struct pprof_builder *b = pprof_builder_new();
	int64_t big[2] = { 1, INT64_MAX - 5 }, neg[2] = { 1, INT64_MIN + 5 };
	int64_t more[2] = { 2, 8389168 }, less[2] = { 3, -10 };
	char path[256];
	const char *why = "";
	pb_profile *p;
	uint64_t loc[2], fn;

	if (!b)
		return;
	CHECK_INT(pprof_add_sample_type(b, "samples", "count"), 0);
	CHECK_INT(pprof_add_sample_type(b, "cycles", "count"), 0);
	fn = pprof_function(b, "f", NULL, NULL, 0);
	loc[0] = pprof_location(b, 0, 0x10, &(struct pprof_line){ fn, 0, 0 }, 1);
	loc[1] = pprof_location(b, 0, 0x20, &(struct pprof_line){ fn, 0, 0 }, 1);
	CHECK_INT(pprof_add_sample(b, &loc[0], 1, big, 2, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, &loc[0], 1, more, 2, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, &loc[0], 1, big, 2, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, &loc[1], 1, neg, 2, NULL, 0), 0);
	CHECK_INT(pprof_add_sample(b, &loc[1], 1, less, 2, NULL, 0), 0);
	path_in_tmp(path, sizeof(path), "sat.pb.gz");
	CHECK_INT(pprof_write_gz(b, path, 0), 0);
	p = pb_profile_read(path, &why);
	CHECK(p != NULL);
	if (p) {
		CHECK_INT(p->n_sample, 2);
		if (p->n_sample == 2) {
			CHECK_INT(p->sample[0]->value[0], 4);
			CHECK(p->sample[0]->value[1] == INT64_MAX);
			CHECK_INT(p->sample[1]->value[0], 4);
			CHECK(p->sample[1]->value[1] == INT64_MIN);
		}
		pb_profile_free(p);
	} else {
		fprintf(stderr, "cannot read back: %s\n", why);
	}
	unlink(path);
	pprof_builder_free(b);
}

int main(void)
{
	if (!mkdtemp(tmpdir))
		SKIP("cannot create a temporary directory");
	test_small();
	test_paths();
	test_label_ids();
	test_saturate();
	test_random();
	test_go_pprof();
	rmdir(tmpdir);
	return unit_done();
}
