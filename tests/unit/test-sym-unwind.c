/* Unit tests of DWARF unwinding: a stack captured inside a qsort comparator
 * of a workload built without frame pointers unwinds through libc to main;
 * short copies end as truncated, garbage ends cleanly. */
#include "test-sym-common.h"
#include "unit.h"

#include <time.h>

#define PID 777

static uint64_t regs[24];
static uint8_t *stack;
static size_t stack_len;

static int run_capture(struct wl_out *w)
{
	char cmd[4096], *line = NULL;
	size_t cap = 0, got = 0;
	FILE *p;

	memset(w, 0, sizeof(*w));
	snprintf(cmd, sizeof(cmd), "%s/tests/workloads/sym-unwind",
		 env_dir("top_builddir"));
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (getline(&line, &cap, p) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "regs ", 5)) {
			char *s = line + 5;
			int i;

			for (i = 0; i < 24; i++)
				regs[i] = strtoull(s, &s, 16);
		} else if (!strncmp(line, "stack ", 6)) {
			stack_len = strtoul(line + 6, NULL, 10);
			stack = calloc(1, stack_len + 1);
		} else if (!strncmp(line, "map ", 4) && w->nr_maps < 256) {
			snprintf(w->maps[w->nr_maps++], sizeof(w->maps[0]),
				 "%.500s", line + 4);
		} else if (stack && got < stack_len && line[0] &&
			   strncmp(line, "result", 6)) {
			size_t i;

			for (i = 0; line[2 * i] && line[2 * i + 1] && got < stack_len; i++) {
				unsigned v;

				if (sscanf(line + 2 * i, "%2x", &v) != 1)
					break;
				stack[got++] = (uint8_t)v;
			}
		}
	}
	free(line);
	if (pclose(p) != 0 || !stack || got != stack_len || !regs[8]) {
		fprintf(stderr, "workload sym-unwind failed\n");
		return -1;
	}
	return 0;
}

static const char *fn(struct sym_ctx *ctx, uint64_t ip, bool ra)
{
	const struct sym_mapping *m = sym_space_find(ctx, PID, 0, ip);
	struct sym_result r;

	if (!m || sym_lookup(ctx, m, ip, ra, &r) != 0 || !r.resolved)
		return "??";
	return r.frames[r.nr - 1].function;
}

int main(void)
{
	struct sym_ctx *ctx;
	struct wl_out w;
	enum sym_unwind_end end;
	uint64_t ips[128];
	size_t n = 0, i, pos_cmp = 0, pos_c = 0, pos_b = 0, pos_a = 0, pos_main = 0;
	size_t libc_frames = 0;
	struct sym_stats st;
	uint8_t *zeros;

#if !defined(__x86_64__)
	SKIP("unwinding is implemented for x86_64 only");
#endif
	if (run_capture(&w) < 0)
		return 99;
	ctx = sym_ctx_new(NULL);
	CHECK(wl_load(ctx, &w, PID, "/", NULL, 0) >= 3);

	CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xffffff, stack, stack_len, ips,
			     128, &n, &end), 0);
	fprintf(stderr, "unwound %zu frames, end %d\n", n, (int)end);
	for (i = 0; i < n; i++) {
		const char *f = fn(ctx, ips[i], i > 0);
		const struct sym_mapping *m = sym_space_find(ctx, PID, 0, ips[i]);

		fprintf(stderr, "  #%zu %#llx %s (%s)\n", i,
			(unsigned long long)ips[i], f, m ? m->path : "?");
		if (!strcmp(f, "sym_uw_cmp") && !pos_cmp)
			pos_cmp = i + 1;
		else if (!strcmp(f, "sym_uw_c"))
			pos_c = i + 1;
		else if (!strcmp(f, "sym_uw_b"))
			pos_b = i + 1;
		else if (!strcmp(f, "sym_uw_a"))
			pos_a = i + 1;
		else if (!strcmp(f, "main"))
			pos_main = i + 1;
		if (pos_cmp && !pos_c && m && strstr(m->path, "libc.so"))
			libc_frames++;
	}
	CHECK_INT(pos_cmp, 1);
	CHECK(libc_frames >= 1); /* through Debian's libc, no frame pointers */
	CHECK(pos_c > pos_cmp + libc_frames - 1 && pos_c > 1);
	CHECK_INT(pos_b, pos_c + 1);
	CHECK_INT(pos_a, pos_b + 1);
	CHECK_INT(pos_main, pos_a + 1);
	CHECK(end == SYM_UNWIND_END || end == SYM_UNWIND_TRUNCATED);

	/* Unwinding again comes from the frame cache: the same answer. */
	{
		uint64_t ips2[128];
		size_t n2 = 0;
		enum sym_unwind_end end2;

		CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xffffff, stack, stack_len,
				     ips2, 128, &n2, &end2), 0);
		CHECK_INT(n2, n);
		CHECK(n2 == n && !memcmp(ips, ips2, n * sizeof(ips[0])));
	}

	/* Cost per sample once the caches are warm (printed, not asserted). */
	{
		struct timespec t0, t1;
		uint64_t ips2[128];
		size_t n2 = 0, it;
		enum sym_unwind_end end2;
		double dt;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (it = 0; it < 20000; it++)
			sym_unwind(ctx, PID, 0, regs, 0xffffff, stack, stack_len, ips2,
				   128, &n2, &end2);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("unwind: %.2f us per %zu-frame stack\n", dt / 20000 * 1e6, n2);
	}

	/* Only the registers sym_unwind needs, in the compact order. */
	{
		uint64_t compact[24], ips2[128];
		size_t k = 0, n2 = 0;
		enum sym_unwind_end end2;

		for (i = 0; i < 24; i++)
			if (SYM_UNWIND_REGS_MASK & (1ULL << i))
				compact[k++] = regs[i];
		CHECK_INT(sym_unwind(ctx, PID, 0, compact, SYM_UNWIND_REGS_MASK,
				     stack, stack_len, ips2, 128, &n2, &end2), 0);
		CHECK_INT(n2, n);
	}

	/* A short copy: truncated, not garbage. */
	CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xffffff, stack, 64, ips, 128, &n,
			     &end), 0);
	CHECK_INT(end, SYM_UNWIND_TRUNCATED);
	CHECK(n >= 1 && n < 4);
	/* The limit. */
	CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xffffff, stack, stack_len, ips, 3,
			     &n, &end), 0);
	CHECK_INT(n, 3);
	CHECK_INT(end, SYM_UNWIND_LIMIT);
	/* Garbage stack: ends cleanly. */
	zeros = calloc(1, stack_len);
	CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xffffff, zeros, stack_len, ips,
			     128, &n, &end), 0);
	CHECK(n >= 1 && n < 128);
	memset(zeros, 0x41, stack_len);
	CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xffffff, zeros, stack_len, ips,
			     128, &n, &end), 0);
	CHECK(n >= 1 && n < 128);
	free(zeros);
	/* An IP in no mapping: one frame, failed. */
	{
		uint64_t bad[24];

		memcpy(bad, regs, sizeof(bad));
		bad[SYM_X86_IP] = 0x10;
		CHECK_INT(sym_unwind(ctx, PID, 0, bad, 0xffffff, stack, stack_len,
				     ips, 128, &n, &end), 0);
		CHECK_INT(n, 1);
		CHECK_INT(end, SYM_UNWIND_FAILED);
	}
	/* No IP or SP in the mask. */
	CHECK_INT(sym_unwind(ctx, PID, 0, regs, 0xff, stack, stack_len, ips, 128,
			     &n, &end), -EINVAL);
	sym_ctx_stats(ctx, &st);
	CHECK(st.unwinds >= 6);
	CHECK(st.unwinds_truncated >= 1);
	sym_ctx_free(ctx);
	free(stack);
	return unit_done();
}
