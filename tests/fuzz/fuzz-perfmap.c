/* Fuzz target for /tmp/perf-PID.map parsing (symbolize/perfmap.c): the input
 * is perf map text, given once through sym_perf_map_load() and once as a
 * file in a private perf_map_dir that a lookup makes the symbolizer read;
 * every address the text names is then looked up, and around it. */
#include "config.h"

#include "fuzz.h"
#include "symbolize.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PID_TEXT 4000001u
#define PID_FILE 4000002u

static char map_dir[64];

static void cleanup(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/perf-%u.map", map_dir, PID_FILE);
	unlink(path);
	rmdir(map_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(map_dir, sizeof(map_dir), "/tmp/cperf-fuzz-perfmap.XXXXXX");
	if (!mkdtemp(map_dir))
		abort();
	atexit(cleanup);
	return 0;
}

static void lookup(struct sym_ctx *ctx, uint32_t pid, uint64_t addr)
{
	const struct sym_mapping *m = sym_space_find(ctx, pid, 0, addr);
	struct sym_result res;

	if (!m)
		return;
	if (sym_lookup(ctx, m, addr, false, &res) == 0 && res.resolved &&
	    (!res.nr || !res.frames[res.nr - 1].function))
		abort();
	sym_lookup(ctx, m, addr, true, &res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sym_options opt;
	struct sym_ctx *ctx;
	char path[128], *text, *copy, *p;
	int fd, n = 0;

	if (size > (1u << 20))
		return 0;
	snprintf(path, sizeof(path), "%s/perf-%u.map", map_dir, PID_FILE);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	sym_options_init(&opt);
	opt.perf_map_dir = map_dir;
	ctx = sym_ctx_new(&opt);
	text = malloc(size ? size : 1); /* exact size: overreads show */
	copy = malloc(size + 1);
	if (!ctx || !text || !copy)
		goto out;
	memcpy(text, data, size);
	sym_perf_map_load(ctx, PID_TEXT, text, size);
	memset(text, 'X', size);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy; p && *p && n < 64; n++) {
		uint64_t addr = strtoull(p, NULL, 16);

		for (int d = -1; d <= 1; d++) {
			lookup(ctx, PID_TEXT, addr + (uint64_t)d);
			lookup(ctx, PID_FILE, addr + (uint64_t)d);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
out:
	free(copy);
	free(text);
	sym_ctx_free(ctx);
	return 0;
}
