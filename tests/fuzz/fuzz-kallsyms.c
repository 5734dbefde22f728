/* Fuzz target for kallsyms parsing (sym_kernel_load, symbolize/kallsyms.c):
 * the input is /proc/kallsyms text, loaded as it is (no NUL at the end) and
 * then looked up at every address it names, and around them. */
#include "config.h"

#include "fuzz.h"
#include "symbolize.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_result(const struct sym_result *res)
{
	for (size_t i = 0; i < res->nr; i++)
		if (res->frames[i].function && !res->frames[i].function[0] && res->resolved)
			abort();
	if (res->resolved && (!res->nr || !res->frames[res->nr - 1].function))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sym_ctx *ctx;
	struct sym_result res;
	char *text, *copy, *p;
	int ret, n = 0;

	if (size > (1u << 20))
		return 0;
	ctx = sym_ctx_new(NULL);
	text = malloc(size ? size : 1); /* exact size: overreads show */
	copy = malloc(size + 1);
	if (!ctx || !text || !copy)
		goto out;
	memcpy(text, data, size);
	ret = sym_kernel_load(ctx, text, size);
	if (ret && ret != -ENOENT && ret != -ENOMEM)
		abort();
	sym_kernel_restricted(ctx);
	/* the text must not be needed after loading */
	memset(text, 'X', size);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; p && *p && n < 64; n++) {
		uint64_t addr = strtoull(p, NULL, 16);

		for (int d = -1; d <= 1; d++) {
			const struct sym_mapping *m = sym_kernel_find(ctx, addr + (uint64_t)d);

			if (!m || !m->kernel)
				abort();
			if (sym_lookup(ctx, m, addr + (uint64_t)d, d > 0, &res) == 0)
				check_result(&res);
			if (sym_kernel_lookup(ctx, addr + (uint64_t)d, d < 0, &res) == 0)
				check_result(&res);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	/* loading again replaces the symbols */
	sym_kernel_load(ctx, copy, size / 2);
	sym_kernel_lookup(ctx, strtoull(copy, NULL, 16), false, &res);
out:
	free(copy);
	free(text);
	sym_ctx_free(ctx);
	return 0;
}
