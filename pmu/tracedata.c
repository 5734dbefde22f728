/* perf's tracing data: the tracefs format files of the recorded tracepoints,
 * laid out as perf's trace-event-read.c reads them (HEADER_TRACING_DATA). */
#include "config.h"

#include "evint.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bounds on what is read from tracefs. Real files are far smaller: a format
 * file is a few KB, header_page a few hundred bytes, printk_formats tens of
 * KB. */
#define TD_MAX_HEADER (64u << 10)
#define TD_MAX_FORMAT (1u << 20)
#define TD_MAX_PRINTK (16u << 20)

/* The tracing data version perf 6.1 writes; from 0.6 on, saved_cmdlines
 * follows printk_formats. */
#define TD_VERSION "0.6"

struct td_format {
	char *sys;
	char *ev;
	char *text;
	size_t len;
};

struct td_walk {
	uint64_t *ids; /* wanted ids, sorted, unique */
	bool *found;
	size_t nr_ids, nr_found;
	struct td_format *fmts;
	size_t nr_fmts, cap_fmts;
};

static int cmp_format(const void *a, const void *b)
{
	const struct td_format *x = a, *y = b;
	int c = strcmp(x->sys, y->sys);

	return c ? c : strcmp(x->ev, y->ev);
}

static void td_walk_fini(struct td_walk *t)
{
	for (size_t i = 0; i < t->nr_fmts; i++) {
		free(t->fmts[i].sys);
		free(t->fmts[i].ev);
		free(t->fmts[i].text);
	}
	free(t->fmts);
	free(t->found);
	free(t->ids);
}

/* Reads a tracefs file of at most max bytes. An empty file is -ENODATA: perf
 * cannot read a zero-length header or format. */
static int td_read(const char *path, size_t max, char **text, size_t *len)
{
	int ret = read_file(path, max, text, len);

	if (ret)
		return ret;
	if (*len == 0) {
		free(*text);
		*text = NULL;
		return -ENODATA;
	}
	return 0;
}

/* Keeps the format of events/sys/ev when its id is one of the wanted ones.
 * 0 or -errno (a wanted tracepoint without a readable format). */
static int td_visit(struct td_walk *t, const char *events, const char *sys, const char *ev)
{
	struct td_format *f;
	char path[4096];
	uint64_t id, *hit;
	size_t i;
	int ret;

	if (pmu_tp_read_id(events, sys, ev, &id))
		return 0; /* "enable", "filter", or no tracepoint */
	hit = bsearch(&id, t->ids, t->nr_ids, sizeof(*t->ids), cmp_u64);
	if (!hit)
		return 0;
	i = (size_t)(hit - t->ids);
	if (t->found[i])
		return 0; /* two names, one id: the kernel never does this */
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s/format", events, sys, ev) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	if (grow_array(&t->fmts, &t->cap_fmts, t->nr_fmts + 1, sizeof(*t->fmts)))
		return -ENOMEM;
	f = &t->fmts[t->nr_fmts];
	memset(f, 0, sizeof(*f));
	ret = td_read(path, TD_MAX_FORMAT, &f->text, &f->len);
	if (ret)
		return ret;
	t->nr_fmts++;
	f->sys = strdup(sys);
	f->ev = strdup(ev);
	if (!f->sys || !f->ev)
		return -ENOMEM;
	t->found[i] = true;
	t->nr_found++;
	return 0;
}

/* Walks events/SYS/EVENT/id for the wanted ids (names are not enough: an
 * event may be renamed with name=, and ids are what the attrs hold). */
static int td_find_formats(struct td_walk *t, const char *events)
{
	struct dirent *de;
	DIR *d = opendir(events);
	int ret = 0;

	if (!d)
		return -errno;
	while (!ret && t->nr_found < t->nr_ids && (de = readdir(d))) {
		char sub[4096];
		struct dirent *se;
		DIR *sd;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", events, de->d_name) >= sizeof(sub))
			continue;
		sd = opendir(sub);
		if (!sd)
			continue; /* a file: header_page, enable, ... */
		while (!ret && t->nr_found < t->nr_ids && (se = readdir(sd))) {
			if (se->d_name[0] == '.')
				continue;
			ret = td_visit(t, events, de->d_name, se->d_name);
		}
		closedir(sd);
	}
	closedir(d);
	if (!ret && t->nr_found < t->nr_ids)
		ret = -ENOENT;
	return ret;
}

static int put_u8(struct strbuf *sb, uint8_t v)
{
	return sb_append(sb, &v, 1);
}

static int put_u32(struct strbuf *sb, uint32_t v)
{
	return sb_append(sb, &v, sizeof(v));
}

static int put_u64(struct strbuf *sb, uint64_t v)
{
	return sb_append(sb, &v, sizeof(v));
}

/* u64 size, then the bytes. */
static int put_file64(struct strbuf *sb, const char *text, size_t len)
{
	int ret = put_u64(sb, len);

	return ret ? ret : sb_append(sb, text, len);
}

static bool is_ftrace(const struct td_format *f)
{
	return !strcmp(f->sys, "ftrace");
}

/* The layout (host byte order, as the endianness byte says):
 *   "\027\010\104tracing" "0.6\0" u8 big_endian u8 sizeof(long) u32 page_size
 *   "header_page\0" u64 size, bytes    "header_event\0" u64 size, bytes
 *   u32 count, count x (u64 size, bytes)          formats of ftrace:* events
 *   u32 systems, systems x (name\0, u32 count, count x (u64 size, bytes))
 *   u32 size, bytes                                /proc/kallsyms (0 here)
 *   u32 size, bytes                                printk_formats
 *   u64 size, bytes                                saved_cmdlines (0 here) */
static int td_build(struct strbuf *sb, const struct td_walk *t, const char *hpage, size_t hpage_len,
		    const char *hevent, size_t hevent_len, const char *printk, size_t printk_len)
{
	static const char magic[10] = "\027\010\104tracing";
	long page = sysconf(_SC_PAGESIZE);
	uint32_t nftrace = 0, nsys = 0;
	int ret;

	for (size_t i = 0; i < t->nr_fmts; i++) {
		if (is_ftrace(&t->fmts[i]))
			nftrace++;
		else if (i == 0 || strcmp(t->fmts[i].sys, t->fmts[i - 1].sys))
			nsys++;
	}
	ret = sb_append(sb, magic, sizeof(magic));
	if (!ret)
		ret = sb_append(sb, TD_VERSION, sizeof(TD_VERSION));
	if (!ret)
		ret = put_u8(sb, __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	if (!ret)
		ret = put_u8(sb, (uint8_t)sizeof(long));
	if (!ret)
		ret = put_u32(sb, page > 0 ? (uint32_t)page : 4096);
	if (!ret)
		ret = sb_append(sb, "header_page", sizeof("header_page"));
	if (!ret)
		ret = put_file64(sb, hpage, hpage_len);
	if (!ret)
		ret = sb_append(sb, "header_event", sizeof("header_event"));
	if (!ret)
		ret = put_file64(sb, hevent, hevent_len);
	if (!ret)
		ret = put_u32(sb, nftrace);
	for (size_t i = 0; !ret && i < t->nr_fmts; i++)
		if (is_ftrace(&t->fmts[i]))
			ret = put_file64(sb, t->fmts[i].text, t->fmts[i].len);
	if (!ret)
		ret = put_u32(sb, nsys);
	for (size_t i = 0; !ret && i < t->nr_fmts;) {
		size_t j = i;

		if (is_ftrace(&t->fmts[i])) {
			i++;
			continue;
		}
		while (j < t->nr_fmts && !strcmp(t->fmts[j].sys, t->fmts[i].sys))
			j++;
		ret = sb_append(sb, t->fmts[i].sys, strlen(t->fmts[i].sys) + 1);
		if (!ret)
			ret = put_u32(sb, (uint32_t)(j - i));
		for (; !ret && i < j; i++)
			ret = put_file64(sb, t->fmts[i].text, t->fmts[i].len);
	}
	/* perf resolves kernel addresses with its own symbol code: no kallsyms */
	if (!ret)
		ret = put_u32(sb, 0);
	if (!ret)
		ret = put_u32(sb, (uint32_t)printk_len);
	if (!ret)
		ret = sb_append(sb, printk, printk_len);
	if (!ret)
		ret = put_u64(sb, 0);
	return ret;
}

int pmu_tracing_data(const uint64_t *ids, size_t nr, void **out, size_t *len)
{
	char dir[4096], path[4200];
	char *hpage = NULL, *hevent = NULL, *printk = NULL;
	size_t hpage_len = 0, hevent_len = 0, printk_len = 0;
	struct strbuf sb = STRBUF_INIT;
	struct td_walk t;
	size_t n = 0;
	int ret;

	*out = NULL;
	*len = 0;
	if (!ids || nr == 0 || nr > 65536)
		return -EINVAL;
	memset(&t, 0, sizeof(t));
	t.ids = malloc(nr * sizeof(*t.ids));
	if (!t.ids)
		return -ENOMEM;
	memcpy(t.ids, ids, nr * sizeof(*t.ids));
	n = sort_unique_u64(t.ids, nr);
	t.nr_ids = n;
	t.found = calloc(n, sizeof(*t.found));
	ret = t.found ? pmu_tracefs_dir(dir, sizeof(dir)) : -ENOMEM;
	if (ret)
		goto out;
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	ret = td_read(path, TD_MAX_HEADER, &hpage, &hpage_len);
	if (ret)
		goto out;
	snprintf(path, sizeof(path), "%s/events/header_event", dir);
	ret = td_read(path, TD_MAX_HEADER, &hevent, &hevent_len);
	if (ret)
		goto out;
	snprintf(path, sizeof(path), "%s/events", dir);
	ret = td_find_formats(&t, path);
	if (ret)
		goto out;
	qsort(t.fmts, t.nr_fmts, sizeof(*t.fmts), cmp_format);
	/* optional: without it perf prints trace_printk formats as addresses */
	snprintf(path, sizeof(path), "%s/printk_formats", dir);
	ret = read_file(path, TD_MAX_PRINTK, &printk, &printk_len);
	if (ret == -ENOMEM)
		goto out;
	if (ret) {
		printk = NULL;
		printk_len = 0;
	}
	ret = td_build(&sb, &t, hpage, hpage_len, hevent, hevent_len, printk, printk_len);
	if (ret)
		goto out;
	*len = sb.len;
	*out = sb_detach(&sb);
out:
	sb_fini(&sb);
	free(printk);
	free(hevent);
	free(hpage);
	td_walk_fini(&t);
	return ret;
}
