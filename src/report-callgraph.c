/* The call-graph lines of cperf report -g: the paths through one table entry
 * as a tree, printed in the layout of perf report --stdio's graph mode. */
#include "config.h"

#include "report-view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A node of the tree: one function on a path from the entry. Node 0 is the
 * root above the first frames. */
struct cg_node {
	uint32_t fn;
	uint32_t kid, next;   /* first child, next sibling (0: none) */
	uint32_t nkids, kbeg; /* children, their place in cg.kids */
	uint64_t total, self; /* paths through it, paths ending at it */
};

struct cg_kid {
	uint64_t total;
	const char *name;
	uint32_t node;
};

struct cg {
	const struct rview *v;
	struct cg_node *n;
	size_t nr, cap;
	struct cg_kid *kids;
	uint64_t min;         /* nodes below this are left out */
	char *bars;           /* per depth: a '|' column is still open */
	FILE *out;
};

static int cg_child(struct cg *g, uint32_t parent, uint32_t fn, uint32_t *out)
{
	uint32_t c;

	for (c = g->n[parent].kid; c; c = g->n[c].next)
		if (g->n[c].fn == fn) {
			*out = c;
			return 0;
		}
	if (grow_array(&g->n, &g->cap, g->nr + 1, sizeof(*g->n)))
		return -ENOMEM;
	c = (uint32_t)g->nr++;
	memset(&g->n[c], 0, sizeof(g->n[c]));
	g->n[c].fn = fn;
	g->n[c].next = g->n[parent].kid;
	g->n[parent].kid = c;
	g->n[parent].nkids++;
	*out = c;
	return 0;
}

/* Adds the path of stack st from frame j on, towards the leaf (step -1) or
 * the root (step +1). */
static int cg_add(struct cg *g, const struct rv_stack *st, uint32_t j, int step)
{
	uint32_t cur = 0;
	int rc;

	for (int64_t k = j; k >= 0 && k < st->nr; k += step) {
		rc = cg_child(g, cur, st->f[k].fn, &cur);
		if (rc)
			return rc;
		g->n[cur].total += st->w;
	}
	g->n[cur].self += st->w;
	return 0;
}

static int by_total(const void *a, const void *b)
{
	const struct cg_kid *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Children of every node sorted by their totals, heaviest first. */
static int cg_sort(struct cg *g)
{
	size_t pos = 0;

	g->kids = calloc(g->nr, sizeof(*g->kids));
	if (!g->kids)
		return -ENOMEM;
	for (size_t i = 0; i < g->nr; i++) {
		struct cg_node *nd = &g->n[i];

		nd->kbeg = (uint32_t)pos;
		for (uint32_t c = nd->kid; c; c = g->n[c].next)
			g->kids[pos++] =
				(struct cg_kid){ g->n[c].total, g->v->fns[g->n[c].fn].name, c };
		qsort(g->kids + nd->kbeg, nd->nkids, sizeof(*g->kids), by_total);
	}
	return 0;
}

/* Children of n at or above the limit (a prefix of the sorted ones). */
static uint32_t cg_shown(const struct cg *g, uint32_t n)
{
	const struct cg_node *nd = &g->n[n];
	uint32_t k = 0;

	while (k < nd->nkids && g->kids[nd->kbeg + k].total >= g->min)
		k++;
	return k;
}

/* perf compresses a run of single children without samples ending on them
 * into one node, printed as plain indented names. */
static bool cg_runs_on(const struct cg *g, uint32_t n)
{
	return g->n[n].nkids == 1 && !g->n[n].self;
}

static void cg_margin(const struct cg *g, int lm)
{
	fprintf(g->out, "%*s", 12 + lm, "");
}

static void cg_print_kids(struct cg *g, uint32_t n, int depth, int lm)
{
	uint32_t nk = cg_shown(g, n);

	for (uint32_t k = 0; k < nk; k++) {
		uint32_t c = g->kids[g->n[n].kbeg + k].node;
		bool first = true;

		/* the separator keeps this level's column open */
		cg_margin(g, lm);
		for (int i = 0; i < depth; i++)
			fputs(g->bars[i] ? "|          " : "           ", g->out);
		fputc('\n', g->out);
		if (k + 1 == nk)
			g->bars[depth - 1] = 0;
		for (;;) {
			cg_margin(g, lm);
			for (int i = 0; i < depth; i++) {
				fputc(g->bars[i] ? '|' : ' ', g->out);
				if (first && i == depth - 1)
					fprintf(g->out, "--%.2f%%--",
						rview_pct(g->v, g->n[c].total));
				else
					fputs("          ", g->out);
			}
			fprintf(g->out, "%s\n", g->v->fns[g->n[c].fn].name);
			if (!cg_runs_on(g, c))
				break;
			c = g->n[c].kid;
			first = false;
		}
		g->bars[depth] = 1;
		cg_print_kids(g, c, depth + 1, lm);
	}
}

int report_callgraph(const struct rview *v, const struct rv_hit *hits, size_t nr, bool callee,
		     double limit, FILE *out)
{
	struct cg g = { .v = v, .out = out };
	uint32_t maxlen = 0, nk;
	int rc = -ENOMEM;

	if (grow_array(&g.n, &g.cap, 1, sizeof(*g.n)))
		goto out;
	memset(&g.n[0], 0, sizeof(g.n[0]));
	g.nr = 1;
	g.min = (uint64_t)((double)v->total * limit / 100.0);
	for (size_t i = 0; i < nr;) {
		const struct rv_stack *st = &v->stacks[hits[i].stack];
		uint32_t lo = hits[i].frame, hi = hits[i].frame;

		/* every occurrence in this stack: a sample in the entry itself
		 * shows its whole chain (as perf does); otherwise the path
		 * from the outermost occurrence down to the leaf, or from the
		 * innermost up to the root */
		for (; i < nr && &v->stacks[hits[i].stack] == st; i++) {
			lo = hits[i].frame < lo ? hits[i].frame : lo;
			hi = hits[i].frame > hi ? hits[i].frame : hi;
		}
		if (!st->w)
			continue;
		if (st->nr > maxlen)
			maxlen = st->nr;
		if (lo == 0)
			rc = cg_add(&g, st, callee ? 0 : st->nr - 1, callee ? 1 : -1);
		else
			rc = callee ? cg_add(&g, st, lo, 1) : cg_add(&g, st, hi, -1);
		if (rc)
			goto out;
	}
	rc = cg_sort(&g);
	if (rc)
		goto out;
	g.bars = calloc(maxlen + 2, 1);
	if (!g.bars) {
		rc = -ENOMEM;
		goto out;
	}
	nk = cg_shown(&g, 0);
	if (!nk)
		goto out;
	g.bars[0] = 1;
	if (nk == 1) {
		/* one root: no percentage (the entry's own), one column less */
		uint32_t c = g.kids[g.n[0].kbeg].node;

		cg_margin(&g, 0);
		fputs("|\n", out);
		cg_margin(&g, 0);
		fprintf(out, "---%s\n", v->fns[g.n[c].fn].name);
		while (cg_runs_on(&g, c)) {
			c = g.n[c].kid;
			cg_margin(&g, 3);
			fprintf(out, "%s\n", v->fns[g.n[c].fn].name);
		}
		cg_print_kids(&g, c, 1, 3);
	} else {
		cg_print_kids(&g, 0, 1, 0);
	}
	fputc('\n', out);
out:
	free(g.bars);
	free(g.kids);
	free(g.n);
	return rc;
}
