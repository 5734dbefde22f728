/* Unit tests of the symbolizer's bookkeeping: time-aware address spaces
 * (fork, exec, remaps), mapping ids, kallsyms parsing from fixture text,
 * perf-PID.map parsing. No ELF files involved. */
#include "test-sym-common.h"
#include "unit.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char *path_at(struct sym_ctx *ctx, uint32_t pid, uint64_t t,
			   uint64_t addr)
{
	const struct sym_mapping *m = sym_space_find(ctx, pid, t, addr);

	return m ? m->path : "(none)";
}

static void test_spaces(void)
{
	struct sym_ctx *ctx = sym_ctx_new(NULL);
	const struct sym_mapping *a, *b;
	struct sym_result r;
	uint8_t bid[20] = { 1, 2, 3 };

	CHECK(ctx != NULL);
	CHECK_INT(sym_space_mmap(ctx, 100, 10, 0x1000, 0x2000, 0, "/bin/a", NULL, 0), 0);
	CHECK_INT(sym_space_mmap(ctx, 100, 10, 0x1000, 0, 0, "/bin/a", NULL, 0), -EINVAL);
	CHECK_INT(sym_space_mmap(ctx, 100, 10, UINT64_MAX - 1, 4, 0, "/x", NULL, 0), -EINVAL);
	CHECK_STR(path_at(ctx, 100, 20, 0x1500), "/bin/a");
	/* A sample older than every mapping (rings disagree on order): the
	 * earliest mapping still answers. */
	CHECK_STR(path_at(ctx, 100, 5, 0x1500), "/bin/a");
	CHECK_STR(path_at(ctx, 100, 20, 0x3000), "(none)");
	CHECK_STR(path_at(ctx, 100, 20, 0xfff), "(none)");
	CHECK_STR(path_at(ctx, 999, 20, 0x1500), "(none)");

	/* A newer mapping over part of the range wins from its time on. */
	CHECK_INT(sym_space_mmap(ctx, 100, 30, 0x2000, 0x1000, 0x5000, "/lib/b", bid, 20), 0);
	CHECK_STR(path_at(ctx, 100, 40, 0x2500), "/lib/b");
	CHECK_STR(path_at(ctx, 100, 20, 0x2500), "/bin/a");
	CHECK_STR(path_at(ctx, 100, 40, 0x1500), "/bin/a");
	a = sym_space_find(ctx, 100, 40, 0x2500);
	CHECK(a && a->pgoff == 0x5000 && a->build_id_len == 20 && a->build_id[2] == 3);
	CHECK(a && a->pid == 100 && !a->kernel);

	/* fork: the child sees the parent's mappings as of the fork. */
	CHECK_INT(sym_space_fork(ctx, 100, 200, 50), 0);
	CHECK_INT(sym_space_fork(ctx, 100, 100, 50), 0); /* a thread: no-op */
	CHECK_INT(sym_space_mmap(ctx, 100, 60, 0x8000, 0x1000, 0, "/lib/late", NULL, 0), 0);
	CHECK_INT(sym_space_mmap(ctx, 200, 55, 0xa000, 0x1000, 0, "/lib/d", NULL, 0), 0);
	CHECK_STR(path_at(ctx, 200, 70, 0x1500), "/bin/a");
	CHECK_STR(path_at(ctx, 200, 70, 0x2500), "/lib/b");
	CHECK_STR(path_at(ctx, 200, 70, 0x8500), "(none)");
	CHECK_STR(path_at(ctx, 100, 70, 0x8500), "/lib/late");
	CHECK_STR(path_at(ctx, 200, 70, 0xa500), "/lib/d");
	CHECK_STR(path_at(ctx, 100, 70, 0xa500), "(none)");

	/* exec: earlier mappings are gone from its time on. */
	CHECK_INT(sym_space_exec(ctx, 200, 80), 0);
	CHECK_INT(sym_space_mmap(ctx, 200, 81, 0x1000, 0x1000, 0, "/bin/c", NULL, 0), 0);
	CHECK_STR(path_at(ctx, 200, 90, 0x1500), "/bin/c");
	CHECK_STR(path_at(ctx, 200, 90, 0x2500), "(none)");
	CHECK_STR(path_at(ctx, 200, 90, 0xa500), "(none)");
	CHECK_STR(path_at(ctx, 200, 75, 0xa500), "/lib/d");
	CHECK_STR(path_at(ctx, 200, 75, 0x2500), "/lib/b");
	CHECK_STR(path_at(ctx, 200, 75, 0x1500), "/bin/a");
	/* the parent is untouched */
	CHECK_STR(path_at(ctx, 100, 90, 0x1500), "/bin/a");

	/* Mapping ids: dense, equal for identical mappings in two processes. */
	CHECK_INT(sym_space_mmap(ctx, 300, 1, 0x2000, 0x1000, 0x5000, "/lib/b", bid, 20), 0);
	a = sym_space_find(ctx, 100, 40, 0x2500);
	b = sym_space_find(ctx, 300, 40, 0x2500);
	CHECK(a && b && a != b && a->id == b->id && b->pid == 300);
	a = sym_space_find(ctx, 100, 40, 0x1500);
	CHECK(a && b && a->id != b->id && a->id >= 1 && a->id <= 10);

	/* A build-id from the recording's table fills mappings without one. */
	CHECK_INT(sym_add_build_id(ctx, "/lib/e", bid, 20), 0);
	CHECK_INT(sym_add_build_id(ctx, "/lib/e", bid, 0), -EINVAL);
	CHECK_INT(sym_space_mmap(ctx, 400, 1, 0x1000, 0x1000, 0, "/lib/e", NULL, 0), 0);
	a = sym_space_find(ctx, 400, 1, 0x1000);
	CHECK(a && a->build_id_len == 20 && a->build_id[0] == 1);

	/* Lookups that cannot resolve still say where. */
	CHECK_INT(sym_lookup(ctx, NULL, 0x1234, false, &r), 0);
	CHECK(!r.resolved && r.nr == 0 && r.file_offset == 0x1234);
	a = sym_space_find(ctx, 100, 40, 0x2500);
	CHECK_INT(sym_lookup(ctx, a, 0x2500, true, &r), 0);
	CHECK(!r.resolved && r.file_offset == 0x5500 && r.mapping == a);
	sym_ctx_free(ctx);
}

static char *slurp(const char *rel, size_t *len)
{
	char path[4096], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", env_dir("top_srcdir"), rel);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(99);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(99);
	fclose(f);
	*len = (size_t)n;
	return buf; /* not NUL-terminated on purpose */
}

static const char *ksym(struct sym_ctx *ctx, uint64_t addr, bool ra,
			uint64_t *off, const char **obj)
{
	struct sym_result r;

	if (sym_kernel_lookup(ctx, addr, ra, &r) != 0)
		return "(error)";
	*obj = r.mapping ? r.mapping->path : "(null)";
	*off = r.sym_offset;
	if (!r.resolved || r.nr != 1)
		return "(unresolved)";
	CHECK(r.frames[0].file == NULL);
	CHECK(r.mapping && r.mapping->kernel);
	return r.frames[0].function;
}

static void test_kallsyms(void)
{
	struct sym_ctx *ctx = sym_ctx_new(NULL);
	struct sym_stats st;
	const char *obj = NULL, *name;
	uint64_t off = 0;
	size_t len;
	char *text = slurp("tests/fixtures/kallsyms/normal.txt", &len);

	CHECK_INT(sym_kernel_load(ctx, text, len), 0);
	free(text);
	CHECK(!sym_kernel_restricted(ctx));
	CHECK_STR(ksym(ctx, 0xffffffff81001010, false, &off, &obj), "do_one_initcall");
	CHECK_INT(off, 0x10);
	CHECK_STR(obj, "[kernel.kallsyms]");
	/* a return address right after a function is its caller's call */
	CHECK_STR(ksym(ctx, 0xffffffff81002000, true, &off, &obj), "do_one_initcall");
	CHECK_STR(ksym(ctx, 0xffffffff81002000, false, &off, &obj), "local_func");
	/* data symbols do not take text addresses */
	CHECK_STR(ksym(ctx, 0xffffffff81003010, false, &off, &obj), "local_func");
	CHECK_INT(off, 0x1010);
	/* malformed lines were skipped */
	CHECK_STR(ksym(ctx, 0xffffffff81006000, false, &off, &obj), "weak_func");
	CHECK_STR(ksym(ctx, 0xffffffff81007000, false, &off, &obj), "weak_func");
	CHECK_STR(ksym(ctx, 0xffffffff81008000, false, &off, &obj), "weak_func");
	name = ksym(ctx, 0xffffffff81000004, false, &off, &obj);
	CHECK(!strcmp(name, "_stext") || !strcmp(name, "_text"));
	CHECK_STR(ksym(ctx, 0xffffffff80000000, false, &off, &obj), "(unresolved)");
	/* modules */
	CHECK_STR(ksym(ctx, 0xffffffffc0a01004, false, &off, &obj), "ext4_fill_super");
	CHECK_STR(obj, "[ext4]");
	CHECK_STR(ksym(ctx, 0xffffffffc0a00010, false, &off, &obj), "ext4_readdir");
	CHECK_STR(obj, "[ext4]");
	CHECK_STR(ksym(ctx, 0xffffffffc0b00010, false, &off, &obj), "nf_hook");
	CHECK_STR(obj, "[nf_tables]");
	/* far past the last symbol of a module: not that module's */
	CHECK_STR(ksym(ctx, 0xffffffffc0c00000, false, &off, &obj), "(unresolved)");
	CHECK(sym_kernel_find(ctx, 0xffffffffc0a00010) ==
	      sym_kernel_find(ctx, 0xffffffffc0a01000));
	CHECK(sym_kernel_find(ctx, 0xffffffffc0a00010) !=
	      sym_kernel_find(ctx, 0xffffffff81001000));
	sym_ctx_stats(ctx, &st);
	CHECK(st.kernel_loaded && !st.kernel_restricted);

	/* kptr_restrict: all addresses zero */
	text = slurp("tests/fixtures/kallsyms/restricted.txt", &len);
	CHECK_INT(sym_kernel_load(ctx, text, len), -ENOENT);
	free(text);
	CHECK(sym_kernel_restricted(ctx));
	CHECK_STR(ksym(ctx, 0xffffffff81001010, false, &off, &obj), "(unresolved)");
	CHECK_STR(obj, "[kernel.kallsyms]");
	CHECK_INT(sym_kernel_load(ctx, "", 0), -ENOENT);
	CHECK(!sym_kernel_restricted(ctx));

	text = slurp("tests/fixtures/kallsyms/crlf.txt", &len);
	CHECK_INT(sym_kernel_load(ctx, text, len), 0);
	free(text);
	CHECK_STR(ksym(ctx, 0xffffffff81000108, false, &off, &obj), "crlf_func");
	text = slurp("tests/fixtures/kallsyms/nonl.txt", &len);
	CHECK_INT(sym_kernel_load(ctx, text, len), 0);
	free(text);
	CHECK_STR(ksym(ctx, 0xffffffff81000008, false, &off, &obj), "no_newline_at_end");
	sym_ctx_free(ctx);

	/* The kernel map recorded by perf bounds [kernel.kallsyms]. */
	ctx = sym_ctx_new(NULL);
	CHECK_INT(sym_space_mmap(ctx, SYM_PID_KERNEL, 0, 0xffffffff81000000,
				 0x1000000, 0xffffffff81000000,
				 "[kernel.kallsyms]_text", NULL, 0), 0);
	{
		const struct sym_mapping *k = sym_kernel_find(ctx, 0xffffffff81000010);

		CHECK(k && k->start == 0xffffffff81000000 && k->len == 0x1000000);
		CHECK(k && k->id >= 1);
	}
	sym_ctx_free(ctx);

	if (geteuid() == 0) {
		ctx = sym_ctx_new(NULL);
		CHECK_INT(sym_kernel_load_live(ctx), 0);
		sym_ctx_stats(ctx, &st);
		CHECK(st.kernel_loaded);
		sym_ctx_free(ctx);
	}
}

static const char *jit(struct sym_ctx *ctx, uint32_t pid, uint64_t addr,
		       const char **obj)
{
	const struct sym_mapping *m = sym_space_find(ctx, pid, 0, addr);
	struct sym_result r;

	*obj = m ? m->path : "(none)";
	if (!m)
		return "(none)";
	if (sym_lookup(ctx, m, addr, false, &r) != 0)
		return "(error)";
	return r.resolved && r.nr == 1 ? r.frames[0].function : "(unresolved)";
}

static void test_perf_map(void)
{
	static const char text[] =
		"7f0000001000 100 jit_foo\n"
		"7f0000001100 0x80 LazyCompile:*bar file.js:12\r\n"
		"zzz 10 bad\n"
		"7f0000002000 0 zero_size\n"
		"7f0000003000 40\n"
		"7f0000004000\n"
		"7f0000001000 100 jit_foo_v2\n"
		"ffffffffffffff00 1000 wraps\n"
		"7f0000005000 10 last_no_newline";
	struct sym_ctx *ctx = sym_ctx_new(NULL);
	char dir[] = "/tmp/cperf-sym-XXXXXX", path[4096];
	struct sym_options o;
	const char *obj;
	FILE *f;

	CHECK_INT(sym_perf_map_load(ctx, 300, text, sizeof(text) - 1), 0);
	CHECK_STR(jit(ctx, 300, 0x7f0000001010, &obj), "jit_foo_v2");
	CHECK_STR(obj, "/tmp/perf-300.map");
	CHECK_STR(jit(ctx, 300, 0x7f0000001150, &obj), "LazyCompile:*bar file.js:12");
	CHECK_STR(jit(ctx, 300, 0x7f0000005004, &obj), "last_no_newline");
	CHECK_STR(jit(ctx, 300, 0x7f0000002000, &obj), "(none)");
	CHECK_STR(jit(ctx, 300, 0x7f0000003010, &obj), "(none)");
	CHECK_STR(jit(ctx, 300, 0x7f0000001180, &obj), "(none)");
	/* JIT code inside an anonymous mapping */
	CHECK_INT(sym_space_mmap(ctx, 300, 0, 0x7f0000000000, 0x10000, 0, "//anon", NULL, 0), 0);
	CHECK_STR(jit(ctx, 300, 0x7f0000001010, &obj), "jit_foo_v2");
	CHECK_STR(obj, "//anon");
	CHECK_STR(jit(ctx, 300, 0x7f0000003010, &obj), "(unresolved)");
	sym_ctx_free(ctx);

	/* Read from perf_map_dir/perf-PID.map on first need. */
	if (!mkdtemp(dir))
		exit(99);
	snprintf(path, sizeof(path), "%s/perf-301.map", dir);
	f = fopen(path, "w");
	if (!f)
		exit(99);
	fputs("1000 20 from_file\n", f);
	fclose(f);
	sym_options_init(&o);
	o.perf_map_dir = dir;
	ctx = sym_ctx_new(&o);
	CHECK_STR(jit(ctx, 301, 0x1010, &obj), "from_file");
	CHECK_STR(jit(ctx, 302, 0x1010, &obj), "(none)");
	sym_ctx_free(ctx);
	unlink(path);
	/* A FIFO in its place must not hang the lookup. */
	if (mkfifo(path, 0600) == 0) {
		ctx = sym_ctx_new(&o);
		CHECK_STR(jit(ctx, 301, 0x1010, &obj), "(none)");
		sym_ctx_free(ctx);
		unlink(path);
	}
	rmdir(dir);
	/* Nor a FIFO as an object. */
	{
		char fifo[] = "/tmp/cperf-sym-fifo-XXXXXX";
		int fd = mkstemp(fifo);
		uint8_t bid[20];
		size_t bl;
		struct sym_result r;

		if (fd >= 0) {
			close(fd);
			unlink(fifo);
			if (mkfifo(fifo, 0600) == 0) {
				ctx = sym_ctx_new(NULL);
				sym_space_mmap(ctx, 5, 0, 0x1000, 0x1000, 0, fifo, NULL, 0);
				CHECK_INT(sym_lookup(ctx, sym_space_find(ctx, 5, 0, 0x1010),
						     0x1010, false, &r), 0);
				CHECK(!r.resolved);
				CHECK(sym_read_build_id(fifo, bid, 20, &bl) < 0);
				sym_ctx_free(ctx);
				unlink(fifo);
			}
		}
	}
}

/* Mutated fixture text must never crash the parsers (run under ASan in the
 * sanitizer build). A fixed seed keeps failures reproducible. */
static void test_mutations(void)
{
	static const char *const seeds[] = {
		"tests/fixtures/kallsyms/normal.txt",
		"tests/fixtures/kallsyms/crlf.txt",
	};
	static const char charset[] = "0123456789abcdefx []\t\n\r\0TtWw-:";
	uint64_t rnd = 0x9e3779b97f4a7c15ULL;
	size_t si, it, len;
	int ok = 0;

	for (si = 0; si < ARRAY_LEN(seeds); si++) {
		char *orig = slurp(seeds[si], &len);

		for (it = 0; it < 500; it++) {
			struct sym_ctx *ctx = sym_ctx_new(NULL);
			char *t = malloc(len + 1);
			size_t k, nmut, cut;
			struct sym_result r;

			memcpy(t, orig, len);
			rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
			nmut = 1 + (rnd >> 60);
			for (k = 0; k < nmut && len; k++) {
				rnd = rnd * 6364136223846793005ULL + 1;
				t[(rnd >> 33) % len] = charset[(rnd >> 20) % (sizeof(charset) - 1)];
			}
			cut = len ? (size_t)((rnd >> 40) % (len + 1)) : 0;
			sym_kernel_load(ctx, t, cut);
			sym_perf_map_load(ctx, 1, t, cut);
			sym_kernel_lookup(ctx, 0xffffffff81001010, true, &r);
			sym_kernel_lookup(ctx, 0xffffffffc0a01000, false, &r);
			sym_lookup(ctx, sym_space_find(ctx, 1, 0, 0xffffffff81001010),
				   0xffffffff81001010, false, &r);
			ok++;
			free(t);
			sym_ctx_free(ctx);
		}
		free(orig);
	}
	CHECK_INT(ok, 1000);
}

int main(void)
{
	test_spaces();
	test_kallsyms();
	test_perf_map();
	test_mutations();
	return unit_done();
}
