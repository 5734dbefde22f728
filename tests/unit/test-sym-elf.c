/* Unit tests of ELF/DWARF symbolization: forced inlines, separate debug info by
 * debuglink and by build-id, build-id mismatch, C++ demangling. */
#include "test-sym-common.h"
#include "unit.h"

#define SRC "tests/workloads/sym-inline.c"
#define PID 4242

static int L_helper_decl, L_helper_call, L_one_decl, L_one_call, L_two_call;

static void lookup(struct sym_ctx *ctx, uint64_t addr, struct sym_result *r)
{
	const struct sym_mapping *m = sym_space_find(ctx, PID, 0, addr);

	CHECK(m != NULL);
	/* A return address: looked up at addr - 1, inside the call. */
	CHECK_INT(sym_lookup(ctx, m, addr, true, r), 0);
}

/* Both callers show the inlined helper innermost, then the physical caller
 * at the call site of the inline. */
static void check_inline(struct sym_ctx *ctx, const struct wl_out *w,
			 const char *what)
{
	struct sym_result r, r2;

	fprintf(stderr, "-- %s\n", what);
	lookup(ctx, w->one, &r);
	CHECK(r.resolved);
	CHECK_INT(r.nr, 2);
	if (r.nr == 2) {
		CHECK_STR(r.frames[0].function, "helper");
		CHECK(ends_with(r.frames[0].file, "/sym-inline.c"));
		CHECK_INT(r.frames[0].line, L_helper_call);
		CHECK_INT(r.frames[0].func_line, L_helper_decl);
		CHECK_STR(r.frames[1].function, "caller_one");
		CHECK_STR(r.frames[1].system_name, "caller_one");
		CHECK(ends_with(r.frames[1].file, "/sym-inline.c"));
		CHECK_INT(r.frames[1].line, L_one_call);
		CHECK(r.frames[1].column > 0);
		CHECK_INT(r.frames[1].func_line, L_one_decl);
	}
	lookup(ctx, w->two, &r);
	CHECK(r.resolved);
	CHECK_INT(r.nr, 2);
	if (r.nr == 2) {
		CHECK_STR(r.frames[0].function, "helper");
		CHECK_INT(r.frames[0].line, L_helper_call);
		CHECK_STR(r.frames[1].function, "caller_two");
		CHECK_INT(r.frames[1].line, L_two_call);
	}
	/* Cached: the same frames come back. */
	lookup(ctx, w->two, &r2);
	CHECK(r2.frames == r.frames);
	CHECK_INT(r2.file_offset, r.file_offset);
}

static struct sym_ctx *new_ctx(const char *debug_dirs, bool inl)
{
	struct sym_options o;
	struct sym_ctx *ctx;

	sym_options_init(&o);
	o.debug_dirs = debug_dirs;
	o.inline_frames = inl;
	ctx = sym_ctx_new(&o);
	if (!ctx) {
		perror("sym_ctx_new");
		exit(99);
	}
	return ctx;
}

static void test_plain(void)
{
	struct sym_ctx *ctx = new_ctx(NULL, true);
	struct sym_result r;
	struct sym_stats st;
	struct wl_out w;
	uint8_t bid[20];
	size_t bl = 0;

	if (wl_run("sym-inline", &w) < 0)
		exit(99);
	CHECK(wl_load(ctx, &w, PID, NULL, NULL, 0) >= 2);
	check_inline(ctx, &w, "plain");
	sym_ctx_stats(ctx, &st);
	CHECK(st.cache_hits >= 1);
	CHECK_INT(st.objects, 1);
	CHECK_INT(sym_read_build_id(w.exe, bid, sizeof(bid), &bl), 0);
	CHECK_INT(bl, 20);
	CHECK_INT(sym_read_build_id(w.exe, bid, 4, &bl), -ENOSPC);
	CHECK_INT(sym_read_build_id("/nonexistent/x", bid, 20, &bl), -ENOENT);
	sym_ctx_free(ctx);

	/* Without inline frames: one frame, the caller at the call site. */
	ctx = new_ctx(NULL, false);
	wl_load(ctx, &w, PID, NULL, NULL, 0);
	lookup(ctx, w.one, &r);
	CHECK_INT(r.nr, 1);
	if (r.nr == 1) {
		CHECK_STR(r.frames[0].function, "caller_one");
		CHECK_INT(r.frames[0].line, L_one_call);
	}
	sym_ctx_free(ctx);
}

static void test_debuglink(void)
{
	struct sym_ctx *ctx = new_ctx(NULL, true);
	struct wl_out w;

	if (wl_run("sym-inline-dl", &w) < 0)
		exit(99);
	CHECK(wl_load(ctx, &w, PID, NULL, NULL, 0) >= 2);
	check_inline(ctx, &w, "stripped, debug file by .gnu_debuglink");
	sym_ctx_free(ctx);
}

static void test_build_id(void)
{
	char dir[] = "/tmp/cperf-sym-XXXXXX", path[4096], hex[41], src[4096];
	struct sym_ctx *ctx;
	struct sym_result r;
	struct sym_stats st;
	struct wl_out w;
	uint8_t bid[20];
	size_t bl = 0, i;

	if (wl_run("sym-inline-nodl", &w) < 0)
		exit(99);
	CHECK_INT(sym_read_build_id(w.exe, bid, sizeof(bid), &bl), 0);
	for (i = 0; i < bl; i++)
		sprintf(hex + 2 * i, "%02x", bid[i]);

	/* No debug info anywhere: unresolved, with the file offset kept. */
	ctx = new_ctx(NULL, true);
	wl_load(ctx, &w, PID, NULL, bid, bl);
	lookup(ctx, w.one, &r);
	CHECK(!r.resolved);
	CHECK(r.file_offset > 0 && r.file_offset < 1 << 20);
	sym_ctx_free(ctx);

	/* The debug file under DIR/.build-id/xx/rest.debug. */
	if (!mkdtemp(dir))
		exit(99);
	snprintf(path, sizeof(path), "%s/.build-id", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/.build-id/%.2s", dir, hex);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/.build-id/%.2s/%s.debug", dir, hex,
		 hex + 2);
	snprintf(src, sizeof(src), "%s/tests/workloads/sym-inline.debug",
		 env_dir("top_builddir"));
	CHECK_INT(copy_file(src, path), 0);
	ctx = new_ctx(dir, true);
	wl_load(ctx, &w, PID, NULL, bid, bl);
	check_inline(ctx, &w, "stripped, debug file by build-id");
	sym_ctx_free(ctx);

	/* The object is gone: its debug file, found by build-id, stands in. */
	ctx = new_ctx(dir, true);
	for (i = 0; i < (size_t)w.nr_maps; i++) {
		unsigned long long s, e, o;
		const char *p;
		char perms[8];

		if (maps_parse(w.maps[i], &s, &e, &o, perms, &p) == 0 &&
		    !strcmp(p, w.exe))
			sym_space_mmap(ctx, PID, 0, s, e - s, o,
				       "/nonexistent/sym-inline-nodl", bid, bl);
	}
	check_inline(ctx, &w, "object deleted, debug file by build-id");
	sym_ctx_free(ctx);

	unlink(path);
	snprintf(path, sizeof(path), "%s/.build-id/%.2s", dir, hex);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.build-id", dir);
	rmdir(path);
	rmdir(dir);

	/* A file whose build-id differs from the recorded one is never used:
	 * unresolved, not wrong. */
	ctx = new_ctx(NULL, true);
	bid[0] ^= 0xff;
	if (wl_run("sym-inline", &w) < 0)
		exit(99);
	wl_load(ctx, &w, PID, NULL, bid, bl);
	lookup(ctx, w.one, &r);
	CHECK(!r.resolved);
	CHECK_INT(r.nr, 0);
	CHECK(r.mapping != NULL);
	if (r.mapping)
		CHECK_INT(r.file_offset, w.one - r.mapping->start + r.mapping->pgoff);
	sym_ctx_stats(ctx, &st);
	CHECK_INT(st.objects_mismatch, 1);
	CHECK(st.unresolved >= 1);
	{
		struct sym_problem pr[4];

		CHECK_INT(sym_ctx_problems(ctx, pr, 4), 1);
		CHECK_INT(pr[0].kind, SYM_PROBLEM_MISMATCH);
		CHECK(ends_with(pr[0].path, "/sym-inline"));
	}
	sym_ctx_free(ctx);
}

/* Broken files as objects: never a crash, never a name. */
static void test_broken(void)
{
	char dir[] = "/tmp/cperf-sym-XXXXXX", path[4096], src[4096];
	static const char *const kinds[] = { "empty", "magic", "half", "garbage" };
	struct wl_out w;
	size_t k;

	if (wl_run("sym-inline", &w) < 0 || !mkdtemp(dir))
		exit(99);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct sym_ctx *ctx = new_ctx(NULL, true);
		struct sym_result r;
		struct sym_problem pr[2];
		FILE *f;
		int i;

		snprintf(path, sizeof(path), "%s/%s", dir, kinds[k]);
		f = fopen(path, "wb");
		if (!f)
			exit(99);
		if (k == 1) {
			fputs("\177ELF\2\1\1", f);
			for (i = 0; i < 4096; i++)
				fputc(i * 7 & 0xff, f);
		} else if (k == 2) {
			/* the first half of the real binary */
			FILE *in;
			long n, sz;

			snprintf(src, sizeof(src), "%s", w.exe);
			in = fopen(src, "rb");
			if (!in)
				exit(99);
			fseek(in, 0, SEEK_END);
			sz = ftell(in);
			rewind(in);
			for (n = 0; n < sz / 2; n++)
				fputc(fgetc(in), f);
			fclose(in);
		} else if (k == 3) {
			for (i = 0; i < 65536; i++)
				fputc((i * 2654435761u) >> 24, f);
		}
		fclose(f);
		for (i = 0; i < w.nr_maps; i++) {
			unsigned long long s, e, o;
			const char *p;
			char perms[8];

			if (maps_parse(w.maps[i], &s, &e, &o, perms, &p) == 0 &&
			    !strcmp(p, w.exe))
				sym_space_mmap(ctx, PID, 0, s, e - s, o, path, NULL, 0);
		}
		lookup(ctx, w.one, &r);
		/* half a binary may still have its symbols; a wrong name
		 * would be a bug */
		CHECK(!r.resolved || (r.nr && r.frames[r.nr - 1].function &&
				      !strcmp(r.frames[r.nr - 1].function, "caller_one")));
		CHECK(sym_ctx_problems(ctx, pr, 2) <= 1);
		sym_ctx_free(ctx);
		unlink(path);
	}
	rmdir(dir);
}

/* MiniDebugInfo: function names from the xz-compressed .gnu_debugdata. */
static void test_minidebug(void)
{
	struct sym_ctx *ctx = new_ctx(NULL, true);
	struct sym_result r;
	struct wl_out w;

	if (wl_run("sym-inline-mini", &w) < 0)
		exit(99);
	CHECK(wl_load(ctx, &w, PID, NULL, NULL, 0) >= 2);
	lookup(ctx, w.one, &r);
	CHECK(r.resolved);
	CHECK_INT(r.nr, 1);
	if (r.nr == 1) {
		CHECK_STR(r.frames[0].function, "caller_one");
		CHECK(r.frames[0].file == NULL);
	}
	lookup(ctx, w.two, &r);
	if (r.nr == 1)
		CHECK_STR(r.frames[0].function, "caller_two");
	else
		CHECK_INT(r.nr, 1);
	sym_ctx_free(ctx);
}

static void test_cxx(void)
{
	struct sym_ctx *ctx = new_ctx(NULL, true);
	struct sym_result r;
	struct wl_out w;
	int line = marker_line("tests/workloads/sym-cxx.cc", "cxx-call");

	if (wl_run("sym-cxx", &w) < 0)
		exit(99);
	CHECK(wl_load(ctx, &w, PID, NULL, NULL, 0) >= 2);
	lookup(ctx, w.one, &r);
	CHECK(r.resolved);
	CHECK(r.nr >= 1);
	if (r.nr >= 1) {
		CHECK_STR(r.frames[0].function,
			  "cperf_test::Box<long>::twice(long) const");
		CHECK_STR(r.frames[0].system_name,
			  "_ZNK10cperf_test3BoxIlE5twiceEl");
		CHECK_INT(r.frames[0].line, line);
		CHECK(ends_with(r.frames[0].file, "/sym-cxx.cc"));
	}
	sym_ctx_free(ctx);

	/* demangle off: raw names */
	{
		struct sym_options o;

		sym_options_init(&o);
		o.demangle = false;
		ctx = sym_ctx_new(&o);
		wl_load(ctx, &w, PID, NULL, NULL, 0);
		lookup(ctx, w.one, &r);
		if (r.nr >= 1)
			CHECK_STR(r.frames[0].function,
				  "_ZNK10cperf_test3BoxIlE5twiceEl");
		else
			CHECK(r.nr >= 1);
		sym_ctx_free(ctx);
	}
	{
		char *d = sym_demangle("_ZN10cperf_test4workIiEET_S1_");

		CHECK_STR(d, "int cperf_test::work<int>(int)");
		free(d);
		CHECK(sym_demangle("main") == NULL);
		CHECK(sym_demangle("_Zgarbage") == NULL);
	}
}

int main(void)
{
	L_helper_decl = marker_line(SRC, "helper-decl");
	L_helper_call = marker_line(SRC, "helper-call");
	L_one_decl = marker_line(SRC, "one-decl");
	L_one_call = marker_line(SRC, "one-call");
	L_two_call = marker_line(SRC, "two-call");
	if (L_helper_decl < 0 || L_two_call < 0) {
		fprintf(stderr, "markers not found in %s\n", SRC);
		return 99;
	}
	test_plain();
	test_debuglink();
	test_build_id();
	test_minidebug();
	test_broken();
	test_cxx();
	return unit_done();
}
