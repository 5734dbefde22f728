/* Helpers for the symbolize unit tests: run a workload that prints its marks
 * and maps, feed the maps to a context, find SYM-LINE markers in sources. */
#ifndef CPERF_TEST_SYM_COMMON_H
#define CPERF_TEST_SYM_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbolize.h"

struct wl_out {
	char exe[4096];
	unsigned long long one, two;
	char maps[256][512];
	int nr_maps;
};

static inline const char *env_dir(const char *name)
{
	const char *d = getenv(name);

	return d && *d ? d : ".";
}

/* Runs builddir/tests/workloads/NAME and collects what it prints. */
static inline int wl_run(const char *name, struct wl_out *w)
{
	char cmd[4096], line[8192];
	FILE *p;

	memset(w, 0, sizeof(*w));
	snprintf(cmd, sizeof(cmd), "%s/tests/workloads/%s", env_dir("top_builddir"),
		 name);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "exe ", 4))
			snprintf(w->exe, sizeof(w->exe), "%.4000s", line + 4);
		else if (!strncmp(line, "one ", 4))
			w->one = strtoull(line + 4, NULL, 16);
		else if (!strncmp(line, "two ", 4))
			w->two = strtoull(line + 4, NULL, 16);
		else if (!strncmp(line, "map ", 4) && w->nr_maps < 256)
			snprintf(w->maps[w->nr_maps++], sizeof(w->maps[0]),
				 "%.500s", line + 4);
	}
	if (pclose(p) != 0 || !w->exe[0] || !w->one) {
		fprintf(stderr, "workload %s failed\n", cmd);
		return -1;
	}
	return 0;
}

/* Parses a /proc/PID/maps line. */
static inline int maps_parse(const char *l, unsigned long long *start,
			     unsigned long long *end, unsigned long long *off,
			     char *perms, const char **path)
{
	int n = 0;

	if (sscanf(l, "%llx-%llx %4s %llx %*s %*s %n", start, end, perms, off,
		   &n) < 4 || !n)
		return -1;
	*path = l + n;
	while (**path == ' ')
		(*path)++;
	return 0;
}

/* Feeds the mappings of w whose path contains match (NULL: the exe) to ctx
 * as process pid, with build-id bid (NULL: none). */
static inline int wl_load(struct sym_ctx *ctx, const struct wl_out *w,
			  uint32_t pid, const char *match, const uint8_t *bid,
			  size_t bid_len)
{
	int i, n = 0;

	for (i = 0; i < w->nr_maps; i++) {
		unsigned long long s, e, o;
		const char *path;
		char perms[8];

		if (maps_parse(w->maps[i], &s, &e, &o, perms, &path) < 0)
			continue;
		if (match ? !strstr(path, match) : strcmp(path, w->exe))
			continue;
		if (sym_space_mmap(ctx, pid, 0, s, e - s, o, path, bid, bid_len) == 0)
			n++;
	}
	return n;
}

/* The line number of the line holding "SYM-LINE tag" in srcdir/rel. */
static inline int marker_line(const char *rel, const char *tag)
{
	char path[4096], line[1024], want[128];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", env_dir("top_srcdir"), rel);
	snprintf(want, sizeof(want), "SYM-LINE %s", tag);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *hit = strstr(line, want);

		n++;
		if (hit && (hit[strlen(want)] == ' ' || hit[strlen(want)] == '\n')) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	return -1;
}

static inline bool ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return s && a >= b && !strcmp(s + a - b, suffix);
}

static inline int copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}
#endif
