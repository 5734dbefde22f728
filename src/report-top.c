/* The pprof-like views of cperf report: --top, --tree and --list. */
#include "config.h"

#include "report-view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int by_flat(const void *a, const void *b, void *arg)
{
	const struct rview *v = arg;
	const struct rv_fn *x = &v->fns[*(const uint32_t *)a], *y = &v->fns[*(const uint32_t *)b];

	if (x->flat != y->flat)
		return x->flat > y->flat ? -1 : 1;
	if (x->cum != y->cum)
		return x->cum > y->cum ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int by_cum(const void *a, const void *b, void *arg)
{
	const struct rview *v = arg;
	const struct rv_fn *x = &v->fns[*(const uint32_t *)a], *y = &v->fns[*(const uint32_t *)b];

	if (x->cum != y->cum)
		return x->cum > y->cum ? -1 : 1;
	if (x->flat != y->flat)
		return x->flat > y->flat ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The functions worth showing, sorted; *dropped counts those under the
 * limit. Returns the count, or -ENOMEM. */
static long sorted_fns(const struct rview *v, const struct report_opts *o, uint32_t **out,
		       size_t *dropped, uint64_t *limit)
{
	double pct = o->percent_limit_set ? o->percent_limit : 0.5;
	uint32_t *idx = calloc(v->nr_fns ? v->nr_fns : 1, sizeof(*idx));
	size_t n = 0;

	if (!idx)
		return -ENOMEM;
	*limit = (uint64_t)((double)v->total * pct / 100.0);
	*dropped = 0;
	for (size_t i = 0; i < v->nr_fns; i++) {
		if (!v->fns[i].cum)
			continue;
		if (pct > 0 && v->fns[i].cum <= *limit) {
			(*dropped)++;
			continue;
		}
		idx[n++] = (uint32_t)i;
	}
	qsort_r(idx, n, sizeof(*idx), o->cum ? by_cum : by_flat, (void *)v);
	*out = idx;
	return (long)n;
}

static void active_filters(const struct rview *v, FILE *out)
{
	if (v->kept != v->total)
		fprintf(out, "Active filters: %.2f%% of the total kept by --focus/--ignore\n",
			rview_pct(v, v->kept));
}

int report_top(const struct rview *v, const struct report_opts *o, FILE *out)
{
	uint32_t *idx;
	size_t dropped, shown;
	uint64_t limit, sum = 0, acc = 0;
	long n = sorted_fns(v, o, &idx, &dropped, &limit);
	char a[32], b[32], c[32];

	if (n < 0)
		return (int)n;
	shown = o->top_n > 0 && (size_t)o->top_n < (size_t)n ? (size_t)o->top_n : (size_t)n;
	for (size_t i = 0; i < shown; i++)
		sum += v->fns[idx[i]].flat;
	active_filters(v, out);
	rview_format(v, sum, a, sizeof(a));
	rview_format(v, v->total, b, sizeof(b));
	fprintf(out, "Showing nodes accounting for %s, %.2f%% of %s total\n", a, rview_pct(v, sum), b);
	if (dropped) {
		rview_format(v, limit, c, sizeof(c));
		fprintf(out, "Dropped %zu node%s (cum <= %s)\n", dropped, dropped == 1 ? "" : "s", c);
	}
	if (shown < (size_t)n)
		fprintf(out, "Showing top %zu nodes out of %ld\n", shown, n);
	fprintf(out, "%10s %6s %6s %10s %6s\n", "flat", "flat%", "sum%", "cum", "cum%");
	for (size_t i = 0; i < shown; i++) {
		const struct rv_fn *f = &v->fns[idx[i]];

		acc += f->flat;
		rview_format(v, f->flat, a, sizeof(a));
		rview_format(v, f->cum, b, sizeof(b));
		fprintf(out, "%10s %5.2f%% %5.2f%% %10s %5.2f%%  %s\n", a, rview_pct(v, f->flat),
			rview_pct(v, acc), b, rview_pct(v, f->cum), f->name);
	}
	free(idx);
	return 0;
}

/* ---- --tree: callers and callees of each function ------------------------- */

struct edge {
	uint64_t key; /* caller << 32 | callee; 0 = empty slot (never a real key + 1) */
	uint64_t w;
	size_t stamp;
};

struct edges {
	struct edge *e;
	size_t cap, nr;
};

static struct edge *edge_get(struct edges *t, uint32_t caller, uint32_t callee)
{
	uint64_t key = ((uint64_t)caller << 32 | callee) + 1;
	size_t j;

	if ((t->nr + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 1024;
		struct edge *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->e[i].key)
				continue;
			j = hash_u64(t->e[i].key) & (ncap - 1);
			while (n[j].key)
				j = (j + 1) & (ncap - 1);
			n[j] = t->e[i];
		}
		free(t->e);
		t->e = n;
		t->cap = ncap;
	}
	j = hash_u64(key) & (t->cap - 1);
	while (t->e[j].key && t->e[j].key != key)
		j = (j + 1) & (t->cap - 1);
	if (!t->e[j].key) {
		t->e[j].key = key;
		t->nr++;
	}
	return &t->e[j];
}

static uint32_t edge_caller(const struct edge *e)
{
	return (uint32_t)((e->key - 1) >> 32);
}

static uint32_t edge_callee(const struct edge *e)
{
	return (uint32_t)(e->key - 1);
}

static int by_weight(const struct edge *x, const struct edge *y)
{
	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Edges grouped by callee (callers of a function), heaviest first. */
static int by_callee(const void *a, const void *b)
{
	const struct edge *x = *(const struct edge *const *)a, *y = *(const struct edge *const *)b;

	if (edge_callee(x) != edge_callee(y))
		return edge_callee(x) < edge_callee(y) ? -1 : 1;
	return by_weight(x, y);
}

/* Edges grouped by caller (callees of a function), heaviest first. */
static int by_caller(const void *a, const void *b)
{
	const struct edge *x = *(const struct edge *const *)a, *y = *(const struct edge *const *)b;

	if (edge_caller(x) != edge_caller(y))
		return edge_caller(x) < edge_caller(y) ? -1 : 1;
	return by_weight(x, y);
}

/* The first index in list (sorted by get) whose get() is >= fn. */
static size_t edges_lower(struct edge *const *list, size_t n, uint32_t fn,
			  uint32_t (*get)(const struct edge *))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (get(list[mid]) < fn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void tree_edges(const struct rview *v, const struct rv_fn *f, struct edge *const *list,
		       size_t n, uint32_t fn, uint32_t (*get)(const struct edge *),
		       uint32_t (*other)(const struct edge *), FILE *out)
{
	char a[32];

	for (size_t k = edges_lower(list, n, fn, get); k < n && get(list[k]) == fn; k++) {
		rview_format(v, list[k]->w, a, sizeof(a));
		fprintf(out, "%42s %10s %6.2f%% |   %s\n", "", a,
			f->cum ? 100.0 * (double)list[k]->w / (double)f->cum : 0.0,
			v->fns[other(list[k])].name);
	}
}

static const char tree_rule[] =
	"--------------------------------------------------------------+-------------\n";

int report_tree(const struct rview *v, const struct report_opts *o, FILE *out)
{
	struct edges t = { 0 };
	struct edge **callers = NULL, **callees = NULL;
	uint32_t *idx = NULL;
	size_t dropped;
	uint64_t limit, sum = 0, acc = 0;
	long n;
	int err = 0;
	char a[32], b[32];

	for (size_t i = 0; i < v->nr_stacks; i++) {
		const struct rv_stack *st = &v->stacks[i];

		if (!st->kept)
			continue;
		for (uint32_t j = 0; j + 1 < st->nr; j++) {
			struct edge *e = edge_get(&t, st->f[j + 1].fn, st->f[j].fn);

			if (!e) {
				err = -ENOMEM;
				goto out;
			}
			if (e->stamp != i + 1) {
				e->stamp = i + 1;
				e->w += st->w;
			}
		}
	}
	callers = calloc(t.nr ? t.nr : 1, sizeof(*callers));
	callees = calloc(t.nr ? t.nr : 1, sizeof(*callees));
	if (!callers || !callees) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t k = 0, m = 0; k < t.cap; k++)
		if (t.e[k].key)
			callers[m] = callees[m] = &t.e[k], m++;
	qsort(callers, t.nr, sizeof(*callers), by_callee);
	qsort(callees, t.nr, sizeof(*callees), by_caller);
	n = sorted_fns(v, o, &idx, &dropped, &limit);
	if (n < 0) {
		err = -ENOMEM;
		goto out;
	}
	if (o->top_n > 0 && o->top_n < n)
		n = o->top_n;
	for (long i = 0; i < n; i++)
		sum += v->fns[idx[i]].flat;
	active_filters(v, out);
	rview_format(v, sum, a, sizeof(a));
	rview_format(v, v->total, b, sizeof(b));
	fprintf(out, "Showing nodes accounting for %s, %.2f%% of %s total\n", a, rview_pct(v, sum), b);
	fputs(tree_rule, out);
	fprintf(out, "%10s %6s %6s %10s %6s %10s %7s | %s\n", "flat", "flat%", "sum%", "cum", "cum%",
		"calls", "calls%", "context");
	fputs(tree_rule, out);
	for (long i = 0; i < n; i++) {
		const struct rv_fn *f = &v->fns[idx[i]];

		tree_edges(v, f, callers, t.nr, idx[i], edge_callee, edge_caller, out);
		acc += f->flat;
		rview_format(v, f->flat, a, sizeof(a));
		rview_format(v, f->cum, b, sizeof(b));
		fprintf(out, "%10s %5.2f%% %5.2f%% %10s %5.2f%% %18s | %s\n", a, rview_pct(v, f->flat),
			rview_pct(v, acc), b, rview_pct(v, f->cum), "", f->name);
		tree_edges(v, f, callees, t.nr, idx[i], edge_caller, edge_callee, out);
		fputs(tree_rule, out);
	}
out:
	free(idx);
	free(callers);
	free(callees);
	free(t.e);
	return err;
}

/* ---- --list: source lines of matching functions ---------------------------- */

struct lineval {
	const char *file;
	uint32_t fn;
	uint32_t line;
	uint64_t flat, cum;
	size_t stamp;
};

static int by_file_line(const void *a, const void *b)
{
	const struct lineval *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Reads a source file as named, else from the --source-path directories:
 * each suffix of its path (a/b/c.c, b/c.c, c.c) under each directory, as
 * pprof's -source_path does. 0 or -errno. */
static int read_source_text(const char *path, const char *dirs, char **text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *d = dirs;
	int err;

	err = read_file(path, 64 << 20, text, NULL);
	while (err && d && *d) {
		const char *end = strchr(d, ':');
		size_t dlen = end ? (size_t)(end - d) : strlen(d);

		for (const char *suf = path; suf && *suf && err; suf = strchr(suf + 1, '/')) {
			while (*suf == '/')
				suf++;
			sb_reset(&sb);
			if (sb_append(&sb, d, dlen) || sb_printf(&sb, "/%s", suf))
				break;
			err = read_file(sb.buf, 64 << 20, text, NULL);
		}
		d = end ? end + 1 : NULL;
	}
	sb_fini(&sb);
	return err;
}

/* Reads a source file into lines; NULL when unreadable. */
static char **read_source(const char *path, const char *dirs, size_t *nr, char **text)
{
	char **lines = NULL;
	size_t cap = 0, n = 0;
	char *p;

	*nr = 0;
	if (!path[0] || read_source_text(path, dirs, text))
		return NULL;
	p = *text;
	while (*p) {
		char *nl = strchr(p, '\n');

		if (grow_array(&lines, &cap, n + 1, sizeof(*lines))) {
			free(lines);
			free(*text);
			return NULL;
		}
		lines[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*nr = n;
	return lines;
}

static void list_file(const struct rview *v, const struct lineval *lv, size_t nr, uint32_t start,
		      const char *dirs, FILE *out)
{
	char **src, *text = NULL;
	size_t nsrc;
	uint32_t lo, hi;
	size_t k = 0;
	char a[32], b[32];

	src = read_source(lv[0].file, dirs, &nsrc, &text);
	if (!src) {
		for (size_t i = 0; i < nr; i++) {
			rview_format(v, lv[i].flat, a, sizeof(a));
			rview_format(v, lv[i].cum, b, sizeof(b));
			fprintf(out, "%10s %10s %6u: (source not found)\n", lv[i].flat ? a : ".",
				lv[i].cum ? b : ".", lv[i].line);
		}
		return;
	}
	/* from the function's first line (or a little before the first hot
	 * line) to a little after the last */
	lo = lv[0].line > 2 ? lv[0].line - 2 : 1;
	if (start && start < lv[0].line && lv[0].line - start < 200)
		lo = start;
	hi = lv[nr - 1].line + 2;
	if (hi > nsrc)
		hi = (uint32_t)nsrc;
	for (uint32_t l = lo; l <= hi; l++) {
		uint64_t flat = 0, cum = 0;

		while (k < nr && lv[k].line < l)
			k++;
		if (k < nr && lv[k].line == l) {
			flat = lv[k].flat;
			cum = lv[k].cum;
		}
		rview_format(v, flat, a, sizeof(a));
		rview_format(v, cum, b, sizeof(b));
		fprintf(out, "%10s %10s %6u:%s\n", flat ? a : ".", cum ? b : ".", l, src[l - 1]);
	}
	free(src);
	free(text);
}

struct ltable {
	struct lineval *e;
	size_t cap, nr;
};

static uint64_t line_hash(uint32_t fn, const char *file, uint32_t line)
{
	return hash_u64(((uint64_t)fn << 32 | line) ^ (uintptr_t)file * 0x9e3779b97f4a7c15ULL);
}

static struct lineval *line_get(struct ltable *t, uint32_t fn, const char *file, uint32_t line)
{
	size_t j;

	if ((t->nr + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 256;
		struct lineval *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			struct lineval *e = &t->e[i];

			if (!e->file)
				continue;
			j = line_hash(e->fn, e->file, e->line) & (ncap - 1);
			while (n[j].file)
				j = (j + 1) & (ncap - 1);
			n[j] = *e;
		}
		free(t->e);
		t->e = n;
		t->cap = ncap;
	}
	j = line_hash(fn, file, line) & (t->cap - 1);
	while (t->e[j].file) {
		struct lineval *e = &t->e[j];

		if (e->fn == fn && e->file == file && e->line == line)
			return e;
		j = (j + 1) & (t->cap - 1);
	}
	t->e[j] = (struct lineval){ .fn = fn, .file = file, .line = line };
	t->nr++;
	return &t->e[j];
}

static const struct rview *sort_view; /* qsort has no argument: set around the call */

static int by_fn_file_line(const void *a, const void *b)
{
	const struct lineval *x = a, *y = b;

	if (x->fn != y->fn) {
		int c = strcmp(sort_view->fns[x->fn].name, sort_view->fns[y->fn].name);

		return c ? c : (x->fn < y->fn ? -1 : 1);
	}
	return by_file_line(a, b);
}

static int by_fn_name(const void *a, const void *b, void *arg)
{
	const struct rview *v = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(v->fns[x].name, v->fns[y].name);

	return c ? c : (x < y ? -1 : x > y);
}

int report_list(const struct rview *v, const struct report_opts *o, FILE *out)
{
	unsigned char *match = calloc(v->nr_fns ? v->nr_fns : 1, 1);
	uint32_t *start = calloc(v->nr_fns ? v->nr_fns : 1, sizeof(*start));
	uint32_t *fns = calloc(v->nr_fns ? v->nr_fns : 1, sizeof(*fns));
	struct ltable t = { 0 };
	struct lineval *lv = NULL;
	size_t matched = 0, nlv = 0, k = 0;
	int err = 0;
	char a[32], b[32];

	if (!match || !start || !fns) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t fi = 0; fi < v->nr_fns; fi++) {
		if (v->fns[fi].cum && !regexec(o->list, v->fns[fi].name, 0, NULL, 0)) {
			match[fi] = 1;
			fns[matched++] = (uint32_t)fi;
		}
	}
	if (!matched) {
		err = -ENOENT;
		goto out;
	}
	/* one pass over the stacks for every matching function */
	for (size_t i = 0; i < v->nr_stacks; i++) {
		const struct rv_stack *st = &v->stacks[i];

		if (!st->kept)
			continue;
		for (uint32_t j = 0; j < st->nr; j++) {
			const struct profile_line *pl = st->f[j].line;
			uint32_t fn = st->f[j].fn;
			struct lineval *e;

			if (!match[fn] || !pl->line)
				continue;
			if (pl->start_line)
				start[fn] = pl->start_line;
			e = line_get(&t, fn, pl->file, pl->line);
			if (!e) {
				err = -ENOMEM;
				goto out;
			}
			if (j == 0)
				e->flat += st->w;
			if (e->stamp != i + 1) {
				e->stamp = i + 1;
				e->cum += st->w;
			}
		}
	}
	lv = calloc(t.nr ? t.nr : 1, sizeof(*lv));
	if (!lv) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.cap; i++)
		if (t.e[i].file)
			lv[nlv++] = t.e[i];
	sort_view = v;
	qsort(lv, nlv, sizeof(*lv), by_fn_file_line);
	qsort_r(fns, matched, sizeof(*fns), by_fn_name, (void *)v);

	rview_format(v, v->total, a, sizeof(a));
	fprintf(out, "Total: %s\n", a);
	for (size_t m = 0; m < matched; m++) {
		const struct rv_fn *f = &v->fns[fns[m]];
		size_t first = k, nr;

		while (k < nlv && lv[k].fn == fns[m])
			k++;
		nr = k - first;
		rview_format(v, f->flat, a, sizeof(a));
		rview_format(v, f->cum, b, sizeof(b));
		fprintf(out, "ROUTINE ======================== %s in %s\n", f->name,
			f->file[0] ? f->file : f->dso);
		fprintf(out, "%10s %10s (flat, cum) %.2f%% of Total\n", a, b, rview_pct(v, f->cum));
		if (!nr) {
			fprintf(out, "%10s %10s %6s  (no line information)\n", ".", ".", "");
			continue;
		}
		for (size_t s = first; s < k;) {
			size_t e = s;

			while (e < k && lv[e].file == lv[s].file)
				e++;
			if (s > first || e < k)
				fprintf(out, "%21s  %s\n", "", lv[s].file);
			list_file(v, lv + s, e - s, lv[s].file == f->file ? start[fns[m]] : 0,
				  o->source_path, out);
			s = e;
		}
	}
out:
	free(match);
	free(start);
	free(fns);
	free(t.e);
	free(lv);
	return err;
}
