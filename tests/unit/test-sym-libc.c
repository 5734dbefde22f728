/* Unit tests of symbolization inside this very process: libc through its
 * separate debug file (libc6-dbg, by build-id) and the vDSO from memory; also
 * measures lookups per second over libc (--bench FILE writes the addresses
 * for a comparison with eu-addr2line). */
#include <dlfcn.h>
#include <time.h>

#include "test-sym-common.h"
#include "unit.h"

static struct wl_out self;

static void load_self(void)
{
	char line[8192];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		exit(99);
	while (fgets(line, sizeof(line), f) && self.nr_maps < 256) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(self.maps[self.nr_maps++], sizeof(self.maps[0]), "%.500s",
			 line);
	}
	fclose(f);
}

/* The executable mapping of the object whose path contains name. */
static bool text_map(const char *name, unsigned long long *s,
		     unsigned long long *e, char *path, size_t cap)
{
	int i;

	for (i = 0; i < self.nr_maps; i++) {
		unsigned long long o;
		const char *p;
		char perms[8];

		if (maps_parse(self.maps[i], s, e, &o, perms, &p) == 0 &&
		    strstr(p, name) && perms[2] == 'x') {
			snprintf(path, cap, "%s", p);
			return true;
		}
	}
	return false;
}

static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_vdso(void)
{
	struct sym_ctx *ctx = sym_ctx_new(NULL);
	unsigned long long s, e, a;
	const struct sym_mapping *m;
	struct sym_result r;
	uint8_t bid[20] = { 0xde, 0xad };
	char path[4096];
	int found = 0;

	if (!text_map("[vdso]", &s, &e, path, sizeof(path))) {
		printf("note: no [vdso] mapping, vdso part skipped\n");
		sym_ctx_free(ctx);
		return;
	}
	CHECK(wl_load(ctx, &self, 7, "[vdso]", NULL, 0) >= 1);
	for (a = s; a < e; a += 4) {
		m = sym_space_find(ctx, 7, 0, a);
		if (!m || sym_lookup(ctx, m, a, false, &r) != 0 || !r.resolved)
			continue;
		if (strstr(r.frames[r.nr - 1].function, "clock_gettime"))
			found++;
	}
	CHECK(found > 0);
	sym_ctx_free(ctx);

	/* a recorded build-id that is not this kernel's vDSO: unresolved */
	ctx = sym_ctx_new(NULL);
	wl_load(ctx, &self, 7, "[vdso]", bid, 20);
	found = 0;
	for (a = s; a < e; a += 4) {
		m = sym_space_find(ctx, 7, 0, a);
		if (m && sym_lookup(ctx, m, a, false, &r) == 0 && r.resolved)
			found++;
	}
	CHECK_INT(found, 0);
	sym_ctx_free(ctx);

	/* a recording from another kernel: its vDSO is not ours */
	{
		struct sym_options o;

		sym_options_init(&o);
		o.kernel_release = "0.0.0-not-this-kernel";
		ctx = sym_ctx_new(&o);
		wl_load(ctx, &self, 7, "[vdso]", NULL, 0);
		found = 0;
		for (a = s; a < e; a += 4) {
			m = sym_space_find(ctx, 7, 0, a);
			if (m && sym_lookup(ctx, m, a, false, &r) == 0 && r.resolved)
				found++;
		}
		CHECK_INT(found, 0);
		sym_ctx_free(ctx);
	}
}

static int test_libc(const char *bench_out)
{
	unsigned long long s, e, a;
	char path[4096], dbg[4096], hex[41];
	const struct sym_mapping *m;
	struct sym_result r;
	struct sym_stats st;
	struct sym_ctx *ctx;
	uint8_t bid[20];
	size_t bl = 0, i, n = 0, resolved = 0, inl = 0, lines = 0;
	/* libc's own qsort, not a sanitizer's interceptor */
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	void *q = h ? dlsym(h, "qsort") : NULL;
	double t0, t1;
	FILE *bf = NULL;

	if (!text_map("/libc.so", &s, &e, path, sizeof(path))) {
		printf("SKIP-PART: libc not mapped from a file\n");
		return 0;
	}
	if (sym_read_build_id(path, bid, sizeof(bid), &bl) != 0)
		return 0;
	for (i = 0; i < bl; i++)
		sprintf(hex + 2 * i, "%02x", bid[i]);
	snprintf(dbg, sizeof(dbg), "/usr/lib/debug/.build-id/%.2s/%s.debug", hex,
		 hex + 2);
	if (access(dbg, R_OK) != 0) {
		printf("SKIP-PART: %s missing (install libc6-dbg)\n", dbg);
		return 0;
	}
	if (h)
		dlclose(h);
	ctx = sym_ctx_new(NULL);
	CHECK(wl_load(ctx, &self, 7, "/libc.so", NULL, 0) >= 1);
	m = sym_space_find(ctx, 7, 0, (uintptr_t)q);
	CHECK(m != NULL);
	CHECK_INT(sym_lookup(ctx, m, (uintptr_t)q, false, &r), 0);
	CHECK(r.resolved);
	if (r.resolved) {
		CHECK_STR(r.frames[r.nr - 1].function, "qsort");
		CHECK(ends_with(r.frames[0].file, "msort.c"));
		CHECK(r.frames[0].line > 0);
		CHECK_INT(r.sym_offset, 0);
	}
	sym_ctx_free(ctx);

	/* Every 64th byte of libc's code, through a fresh context. */
	ctx = sym_ctx_new(NULL);
	wl_load(ctx, &self, 7, "/libc.so", NULL, 0);
	if (bench_out)
		bf = fopen(bench_out, "w");
	t0 = secs();
	for (a = s; a < e; a += 64) {
		m = sym_space_find(ctx, 7, 0, a);
		if (!m || sym_lookup(ctx, m, a, false, &r) != 0)
			continue;
		n++;
		if (bf) {
			/* address, then each frame innermost first */
			fprintf(bf, "0x%llx", (unsigned long long)r.rel_addr);
			for (i = 0; i < r.nr; i++)
				fprintf(bf, "\t%s %s:%d",
					r.frames[i].function ? r.frames[i].function : "??",
					r.frames[i].file ? r.frames[i].file : "??",
					r.frames[i].line);
			fprintf(bf, "\n");
		}
		if (!r.resolved)
			continue;
		resolved++;
		if (r.nr > 1)
			inl++;
		if (r.frames[0].line > 0)
			lines++;
	}
	t1 = secs();
	if (bf)
		fclose(bf);
	printf("libc: %zu lookups in %.3f s (%.0f/s), %zu resolved, %zu with "
	       "inline frames, %zu with lines\n", n, t1 - t0,
	       (double)n / (t1 - t0 > 0 ? t1 - t0 : 1e-9), resolved, inl, lines);
	CHECK(n > 1000);
	CHECK(resolved > n * 9 / 10);
	CHECK(inl > n / 10);
	CHECK(lines > n / 2);
	/* A second pass comes from the cache. */
	t0 = secs();
	for (a = s; a < e; a += 64) {
		m = sym_space_find(ctx, 7, 0, a);
		if (m)
			sym_lookup(ctx, m, a, false, &r);
	}
	t1 = secs();
	sym_ctx_stats(ctx, &st);
	printf("libc: cached pass %.3f s, %llu cache hits\n", t1 - t0,
	       (unsigned long long)st.cache_hits);
	CHECK(st.cache_hits >= n);
	CHECK_INT(st.objects, 1);
	sym_ctx_free(ctx);
	return 1;
}

/* A live process's objects through /proc: map_files finds a mapped file
 * whose path no longer leads to it; without use_proc it stays unresolved. */
static void test_proc(void)
{
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	void *q = h ? dlsym(h, "qsort") : NULL;
	unsigned long long s, e;
	struct sym_options o;
	char path[4096];
	int pass;

	if (h)
		dlclose(h);
	if (!q || !text_map("/libc.so", &s, &e, path, sizeof(path)))
		return;
	for (pass = 0; pass < 3; pass++) {
		const struct sym_mapping *m;
		struct sym_result r;
		struct sym_ctx *ctx;
		struct sym_stats st;
		int i;

		sym_options_init(&o);
		o.use_proc = pass > 0;
		ctx = sym_ctx_new(&o);
		for (i = 0; i < self.nr_maps; i++) {
			unsigned long long a, b, off;
			const char *p;
			char perms[8];

			if (maps_parse(self.maps[i], &a, &b, &off, perms, &p) == 0 &&
			    !strcmp(p, path))
				/* pass 2: the path as seen from our root */
				sym_space_mmap(ctx, (uint32_t)getpid(), 0, a, b - a, off,
					       pass == 2 ? path : "/gone/libc.so.6",
					       NULL, 0);
		}
		m = sym_space_find(ctx, (uint32_t)getpid(), 0, (uintptr_t)q);
		CHECK(m != NULL);
		CHECK_INT(sym_lookup(ctx, m, (uintptr_t)q, false, &r), 0);
		sym_ctx_stats(ctx, &st);
		if (pass == 0) {
			CHECK(!r.resolved);
			CHECK_INT(st.objects_missing, 1);
		} else {
			CHECK(r.resolved);
			if (r.resolved)
				CHECK_STR(r.frames[r.nr - 1].function, "qsort");
		}
		sym_ctx_free(ctx);
	}
}

int main(int argc, char **argv)
{
	const char *bench = argc > 2 && !strcmp(argv[1], "--bench") ? argv[2] : NULL;

	load_self();
	test_vdso();
	test_proc();
	test_libc(bench);
	return unit_done();
}
