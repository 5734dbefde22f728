/* The default view of cperf report: perf's table (Children, Self, Command,
 * Shared Object, Symbol), grouped by the --sort keys. */
#include "config.h"

#include "report-view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum {
	KEY_COMM = 1 << 0,
	KEY_PID = 1 << 1,
	KEY_TID = 1 << 2,
	KEY_CPU = 1 << 3,
	KEY_DSO = 1 << 4,
	KEY_SYM = 1 << 5,
	KEY_SRCLINE = 1 << 6,
};

static const struct {
	const char *name;
	unsigned bit;
	const char *title;
} sort_keys[] = {
	{ "comm", KEY_COMM, "Command" },    { "pid", KEY_PID, "Pid:Command" },
	{ "tid", KEY_TID, "Tid" },          { "cpu", KEY_CPU, "CPU" },
	{ "dso", KEY_DSO, "Shared Object" }, { "sym", KEY_SYM, "Symbol" },
	{ "srcline", KEY_SRCLINE, "Source:Line" },
};

/* Parses "comm,dso,sym" into key bits in order; 0 or -EINVAL. */
static int parse_keys(const char *keys, unsigned order[], size_t *n, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *tok;

	*n = 0;
	if (strlen(keys) >= sizeof(buf)) {
		snprintf(err, errlen, "sort key list too long");
		return -EINVAL;
	}
	strcpy(buf, keys);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(sort_keys); i++)
			if (!strcmp(tok, sort_keys[i].name))
				break;
		if (i == ARRAY_SIZE(sort_keys)) {
			snprintf(err, errlen, "unknown sort key '%s'", tok);
			return -EINVAL;
		}
		if (*n < ARRAY_SIZE(sort_keys))
			order[(*n)++] = (unsigned)i;
	}
	if (!*n) {
		snprintf(err, errlen, "empty sort key list");
		return -EINVAL;
	}
	return 0;
}

int report_sort_check(const char *keys, char *err, size_t errlen)
{
	unsigned order[ARRAY_SIZE(sort_keys)];
	size_t n;

	return parse_keys(keys, order, &n, err, errlen);
}

struct entry {
	const char *comm, *dso, *sym, *file;
	uint32_t pid, tid, line;
	int32_t cpu;
	bool kernel, used;
	uint64_t self, children;
	size_t stamp;
	uint32_t id;          /* order of creation */
};

struct etable {
	struct entry *e;
	size_t cap, nr;
};

static uint64_t entry_hash(const struct entry *k)
{
	uint64_t h = hash_u64((uintptr_t)k->comm) ^ hash_u64((uintptr_t)k->dso * 3) ^
		     hash_u64((uintptr_t)k->sym * 5) ^ hash_u64((uintptr_t)k->file * 7);

	return h ^ hash_u64(((uint64_t)k->pid << 32 | k->tid) + 11) ^
	       hash_u64(((uint64_t)k->line << 32 | (uint32_t)k->cpu) + 13);
}

static bool entry_eq(const struct entry *a, const struct entry *b)
{
	return a->comm == b->comm && a->dso == b->dso && a->sym == b->sym && a->file == b->file &&
	       a->pid == b->pid && a->tid == b->tid && a->line == b->line && a->cpu == b->cpu;
}

static struct entry *entry_get(struct etable *t, const struct entry *k)
{
	size_t j;

	if ((t->nr + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 1024;
		struct entry *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->e[i].used)
				continue;
			j = entry_hash(&t->e[i]) & (ncap - 1);
			while (n[j].used)
				j = (j + 1) & (ncap - 1);
			n[j] = t->e[i];
		}
		free(t->e);
		t->e = n;
		t->cap = ncap;
	}
	j = entry_hash(k) & (t->cap - 1);
	while (t->e[j].used) {
		if (entry_eq(&t->e[j], k))
			return &t->e[j];
		j = (j + 1) & (t->cap - 1);
	}
	t->e[j] = *k;
	t->e[j].used = true;
	t->e[j].id = (uint32_t)t->nr++;
	return &t->e[j];
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

static int by_children(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;

	if (x->children != y->children)
		return x->children > y->children ? -1 : 1;
	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	return strcmp(x->sym ? x->sym : "", y->sym ? y->sym : "");
}

static int by_self(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;

	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	return by_children(a, b);
}

/* The text of one key column of e. */
static void key_text(const struct entry *e, unsigned key, char *buf, size_t len)
{
	switch (sort_keys[key].bit) {
	case KEY_COMM:
		snprintf(buf, len, "%s", e->comm);
		break;
	case KEY_PID:
		snprintf(buf, len, "%u:%s", e->pid, e->comm ? e->comm : "");
		break;
	case KEY_TID:
		snprintf(buf, len, "%u", e->tid);
		break;
	case KEY_CPU:
		if (e->cpu < 0)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%03d", e->cpu);
		break;
	case KEY_DSO:
		snprintf(buf, len, "%s", basename_of(e->dso));
		break;
	case KEY_SYM:
		snprintf(buf, len, "[%c] %s", e->kernel ? 'k' : '.', e->sym);
		break;
	case KEY_SRCLINE:
		if (e->file && e->file[0] && e->line)
			snprintf(buf, len, "%s:%u", basename_of(e->file), e->line);
		else
			snprintf(buf, len, "%s", e->sym ? e->sym : "??:0");
		break;
	default:
		buf[0] = '\0';
	}
}

/* The occurrences of every entry, grouped by entry id then by stack:
 * entry id's are hits[start[id]] to hits[start[id + 1]]. ids holds the
 * entry of each counted frame (UINT32_MAX for none), at off[stack]. */
static int hits_index(const struct rview *v, const struct etable *t, const uint32_t *ids,
		      const size_t *off, struct rv_hit **hitsp, size_t **startp)
{
	size_t *start = calloc(t->nr + 2, sizeof(*start)), n = 0;
	struct rv_hit *hits;

	if (!start)
		return -ENOMEM;
	for (size_t i = 0; i < v->nr_stacks; i++)
		for (uint32_t j = 0; j < v->stacks[i].nr; j++)
			if (ids[off[i] + j] != UINT32_MAX) {
				start[ids[off[i] + j] + 2]++;
				n++;
			}
	for (size_t id = 0; id < t->nr; id++)
		start[id + 2] += start[id + 1];
	hits = calloc(n ? n : 1, sizeof(*hits));
	if (!hits) {
		free(start);
		return -ENOMEM;
	}
	/* start[id + 1] is the fill position of id, ending as its end */
	for (size_t i = 0; i < v->nr_stacks; i++)
		for (uint32_t j = 0; j < v->stacks[i].nr; j++) {
			uint32_t id = ids[off[i] + j];

			if (id != UINT32_MAX)
				hits[start[id + 1]++] = (struct rv_hit){ (uint32_t)i, j };
		}
	*hitsp = hits;
	*startp = start;
	return 0;
}

int report_table(const struct rview *v, const struct report_opts *o, FILE *out, char *err,
		 size_t errlen)
{
	unsigned order[ARRAY_SIZE(sort_keys)], bits = 0;
	size_t nkeys, nshow = 0;
	struct etable t = { 0 };
	struct entry **list = NULL;
	bool children = o->children && v->p->meta.has_callchains;
	double limit = o->percent_limit_set ? o->percent_limit : 0.0;
	int width[ARRAY_SIZE(sort_keys)] = { 0 };
	bool graph = o->call_graph != REPORT_CG_NONE && v->p->meta.has_callchains;
	bool callee = o->call_graph == REPORT_CG_CALLEE ||
		      (o->call_graph == REPORT_CG_DEFAULT && !children);
	uint32_t *ids = NULL;
	size_t *off = NULL, *start = NULL;
	struct rv_hit *hits = NULL;
	char buf[1024];
	int rc;

	rc = parse_keys(o->sort ? o->sort : "comm,dso,sym", order, &nkeys, err, errlen);
	if (rc)
		return rc;
	for (size_t i = 0; i < nkeys; i++)
		bits |= sort_keys[order[i]].bit;
	if (graph) {
		size_t nframes = 0;

		off = calloc(v->nr_stacks + 1, sizeof(*off));
		if (!off) {
			rc = -ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < v->nr_stacks; i++) {
			off[i] = nframes;
			nframes += v->stacks[i].nr;
		}
		ids = malloc((nframes ? nframes : 1) * sizeof(*ids));
		if (!ids) {
			rc = -ENOMEM;
			goto out;
		}
		memset(ids, 0xff, (nframes ? nframes : 1) * sizeof(*ids));
	}
	for (size_t i = 0; i < v->nr_stacks; i++) {
		const struct rv_stack *st = &v->stacks[i];
		const struct profile_sample *s = st->s;

		if (!st->kept)
			continue;
		for (uint32_t j = 0; j < st->nr && (j == 0 || children); j++) {
			const struct rv_frame *f = &st->f[j];
			const struct rv_fn *fn = &v->fns[f->fn];
			struct entry k = { 0 }, *e;

			k.comm = bits & (KEY_COMM | KEY_PID) ? s->comm : NULL;
			k.pid = bits & KEY_PID ? s->pid : 0;
			k.tid = bits & KEY_TID ? s->tid : 0;
			k.cpu = bits & KEY_CPU ? s->cpu : -1;
			if (bits & KEY_DSO) {
				/* the frame's own object: two processes may both
				 * have a "main" */
				const struct profile_location *l = &v->p->locations[f->loc];

				k.dso = l->mapping < v->p->nr_mappings && v->p->mappings[l->mapping].path[0] ?
						v->p->mappings[l->mapping].path : "[unknown]";
			}
			k.sym = bits & (KEY_SYM | KEY_SRCLINE) ? fn->name : NULL;
			k.kernel = fn->kernel;
			if (bits & KEY_SRCLINE) {
				k.file = f->line->file;
				k.line = f->line->line;
			}
			e = entry_get(&t, &k);
			if (!e) {
				rc = -ENOMEM;
				goto out;
			}
			if (graph)
				ids[off[i] + j] = e->id;
			if (j == 0)
				e->self += st->w;
			if (e->stamp != i + 1) {
				e->stamp = i + 1;
				e->children += st->w;
			}
		}
	}
	list = calloc(t.nr ? t.nr : 1, sizeof(*list));
	if (!list) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.cap; i++) {
		struct entry *e = &t.e[i];

		if (!e->used)
			continue;
		if (!children)
			e->children = e->self;
		if (!e->children || rview_pct(v, e->children) < limit)
			continue;
		list[nshow++] = e;
	}
	qsort(list, nshow, sizeof(*list), children ? by_children : by_self);
	if (graph) {
		rc = hits_index(v, &t, ids, off, &hits, &start);
		if (rc)
			goto out;
	}
	for (size_t k = 0; k < nkeys; k++) {
		width[k] = (int)strlen(sort_keys[order[k]].title);
		for (size_t i = 0; i < nshow; i++) {
			int w;

			key_text(list[i], order[k], buf, sizeof(buf));
			w = (int)strlen(buf);
			if (w > width[k])
				width[k] = w > 60 ? 60 : w;
		}
	}
	fprintf(out, "#\n# %s", children ? "Children      Self" : "Overhead");
	for (size_t k = 0; k < nkeys; k++)
		fprintf(out, "  %-*s", k + 1 < nkeys ? width[k] : 0, sort_keys[order[k]].title);
	fprintf(out, "\n# %s", children ? "........  ........" : "........");
	for (size_t k = 0; k < nkeys; k++) {
		int n = width[k] > 0 ? width[k] : 1;

		memset(buf, '.', (size_t)n);
		buf[n] = '\0';
		fprintf(out, "  %s", buf);
	}
	fputs("\n#\n", out);
	for (size_t i = 0; i < nshow; i++) {
		const struct entry *e = list[i];

		if (children)
			fprintf(out, "  %7.2f%%  %7.2f%%", rview_pct(v, e->children), rview_pct(v, e->self));
		else
			fprintf(out, "  %7.2f%%", rview_pct(v, e->self));
		for (size_t k = 0; k < nkeys; k++) {
			key_text(e, order[k], buf, sizeof(buf));
			fprintf(out, "  %-*s", k + 1 < nkeys ? width[k] : 0, buf);
		}
		fputc('\n', out);
		if (graph) {
			rc = report_callgraph(v, hits + start[e->id], start[e->id + 1] - start[e->id],
					      callee, o->call_graph_limit, out);
			if (rc)
				goto out;
		}
	}
	rc = 0;
out:
	free(hits);
	free(start);
	free(ids);
	free(off);
	free(list);
	free(t.e);
	return rc;
}
