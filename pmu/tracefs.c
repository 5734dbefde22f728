/* tracefs: finding (or mounting) it, and tracepoint names to ids. */
#include "config.h"

#include "evint.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRACEFS_MNT "/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

/* 0 when dir/events is a directory we can read, else -errno (EACCES: it
 * is there but only root may look). */
static int events_dir(const char *dir)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/events", dir);
	if (stat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static bool has_events(const char *dir)
{
	return events_dir(dir) == 0;
}

static int set_dir(char *buf, size_t len, const char *dir)
{
	if ((size_t)snprintf(buf, len, "%s", dir) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int pmu_tracefs_dir(char *buf, size_t len)
{
	const char *env = getenv("CPERF_TRACEFS");
	int err;

	if (env && *env)
		return has_events(env) ? set_dir(buf, len, env) : -ENOENT;
	err = events_dir(TRACEFS_MNT);
	if (err == 0)
		return set_dir(buf, len, TRACEFS_MNT);
	if (err == -EACCES)
		return -EACCES; /* mounted, but not for us */
	if (geteuid() == 0) {
		/* EBUSY: mounted meanwhile (another cperf) */
		if ((mount("nodev", TRACEFS_MNT, "tracefs", 0, NULL) == 0 || errno == EBUSY) &&
		    has_events(TRACEFS_MNT))
			return set_dir(buf, len, TRACEFS_MNT);
	}
	err = events_dir(DEBUGFS_TRACING);
	if (err == 0)
		return set_dir(buf, len, DEBUGFS_TRACING);
	if (err == -EACCES)
		return -EACCES;
	return geteuid() == 0 ? -ENOENT : -EPERM;
}

const char *pmu_tracefs_hint(int err)
{
	const char *env = getenv("CPERF_TRACEFS");

	if (env && *env)
		return "CPERF_TRACEFS names no tracefs (its events/ directory is missing)";
	switch (err < 0 ? -err : err) {
	case EACCES:
		return "tracefs is readable only by root here: run as root";
	case EPERM:
		return PMU_TRACEFS_HINT;
	default:
		return "this kernel has no tracefs (CONFIG_TRACING), or it cannot be mounted on "
		       "/sys/kernel/tracing";
	}
}

const char *pmu_tracefs_reason(int err)
{
	switch (err < 0 ? -err : err) {
	case EACCES:
		return "permission denied";
	case EPERM:
		return "not mounted, and only root may mount it";
	case ENOENT:
		return "not mounted";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

void pmu_tp_free(struct pmu_tp *tps, int nr)
{
	for (int i = 0; i < nr; i++)
		free(tps[i].name);
	free(tps);
}

static int tp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pmu_tp *)a)->name, ((const struct pmu_tp *)b)->name);
}

int pmu_tp_read_id(const char *events, const char *sys, const char *ev, uint64_t *id)
{
	char path[4096], *text;
	size_t n;
	uint64_t v;
	int ret;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s/id", events, sys, ev) >= sizeof(path))
		return -ENAMETOOLONG;
	ret = read_file(path, 64, &text, &n);
	if (ret)
		return ret;
	/* read_file leaves an empty file's buffer unterminated (it has room) */
	text[n] = '\0';
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	ret = parse_u64(text, 1, UINT64_MAX, &v);
	free(text);
	if (ret)
		return -EINVAL;
	*id = v;
	return 0;
}

static int tp_push(struct pmu_tp **tps, size_t *cap, int *nr, const char *sys, const char *ev,
		   uint64_t id)
{
	struct pmu_tp *t;

	if (*nr == INT32_MAX || grow_array(tps, cap, (size_t)*nr + 1, sizeof(**tps)))
		return -ENOMEM;
	t = &(*tps)[*nr];
	if (asprintf(&t->name, "%s:%s", sys, ev) < 0)
		return -ENOMEM;
	t->id = id;
	(*nr)++;
	return 0;
}

int pmu_tp_find(const char *sys_pat, const char *ev_pat, struct pmu_tp **out)
{
	char dir[4096], events[4200];
	struct pmu_tp *tps = NULL;
	size_t cap = 0;
	int nr = 0, ret;
	DIR *d;
	struct dirent *de;

	*out = NULL;
	ret = pmu_tracefs_dir(dir, sizeof(dir));
	if (ret)
		return ret;
	snprintf(events, sizeof(events), "%s/events", dir);
	if (!strpbrk(sys_pat, "*?[") && !strpbrk(ev_pat, "*?[\\")) {
		/* an exact name: no need to walk every subsystem */
		uint64_t id;

		if (sys_pat[0] == '.' || ev_pat[0] == '.' || strchr(sys_pat, '/') ||
		    strchr(ev_pat, '/') || pmu_tp_read_id(events, sys_pat, ev_pat, &id))
			return 0;
		ret = tp_push(&tps, &cap, &nr, sys_pat, ev_pat, id);
		if (ret)
			return ret;
		*out = tps;
		return nr;
	}
	d = opendir(events);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		DIR *sd;
		struct dirent *se;
		char sub[4600];

		if (de->d_name[0] == '.' || fnmatch(sys_pat, de->d_name, 0))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", events, de->d_name);
		sd = opendir(sub);
		if (!sd)
			continue; /* a file such as "enable" or "header_page" */
		while ((se = readdir(sd))) {
			uint64_t id;

			if (se->d_name[0] == '.' || fnmatch(ev_pat, se->d_name, 0))
				continue;
			if (pmu_tp_read_id(events, de->d_name, se->d_name, &id))
				continue; /* "enable", "filter" */
			ret = tp_push(&tps, &cap, &nr, de->d_name, se->d_name, id);
			if (ret) {
				closedir(sd);
				closedir(d);
				pmu_tp_free(tps, nr);
				return ret;
			}
		}
		closedir(sd);
	}
	closedir(d);
	if (nr > 1)
		qsort(tps, (size_t)nr, sizeof(*tps), tp_cmp);
	*out = tps;
	return nr;
}

int pmu_tp_all(struct pmu_tp **out)
{
	return pmu_tp_find("*", "*", out);
}
