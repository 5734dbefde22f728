/* The expansion shared by the report views (report-view.h). */
#include "config.h"

#include "report-view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct fn_slot {
	const char *name; /* interned: pointer equality is string equality */
	uint32_t idx;
};

struct rview_priv {
	struct fn_slot *slots;
	size_t cap;
	size_t fns_cap;
	unsigned char *match; /* per fn: 1 focus matched, 2 ignore matched */
};

static const char *loc_dso(const struct profile *p, const struct profile_location *l)
{
	if (l->mapping == PROFILE_NO_MAPPING || l->mapping >= p->nr_mappings)
		return "[unknown]";
	return p->mappings[l->mapping].path[0] ? p->mappings[l->mapping].path : "[unknown]";
}

static int fn_index(struct rview *v, const char *name, const struct profile_line *line,
		    const struct profile_location *loc, uint32_t *out)
{
	struct rview_priv *pv = v->priv;
	size_t j;

	if ((v->nr_fns + 1) * 2 > pv->cap) {
		size_t ncap = pv->cap ? pv->cap * 2 : 1024;
		struct fn_slot *n = calloc(ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (size_t i = 0; i < pv->cap; i++) {
			if (!pv->slots[i].name)
				continue;
			j = hash_u64((uintptr_t)pv->slots[i].name) & (ncap - 1);
			while (n[j].name)
				j = (j + 1) & (ncap - 1);
			n[j] = pv->slots[i];
		}
		free(pv->slots);
		pv->slots = n;
		pv->cap = ncap;
	}
	j = hash_u64((uintptr_t)name) & (pv->cap - 1);
	while (pv->slots[j].name) {
		if (pv->slots[j].name == name) {
			*out = pv->slots[j].idx;
			return 0;
		}
		j = (j + 1) & (pv->cap - 1);
	}
	if (grow_array(&v->fns, &pv->fns_cap, v->nr_fns + 1, sizeof(*v->fns)))
		return -ENOMEM;
	v->fns[v->nr_fns] = (struct rv_fn){
		.name = name,
		.file = line->function_file && line->function_file[0] ? line->function_file :
			(line->file ? line->file : ""),
		.dso = loc_dso(v->p, loc),
		.kernel = loc->kernel,
	};
	pv->slots[j].name = name;
	pv->slots[j].idx = (uint32_t)v->nr_fns;
	*out = (uint32_t)v->nr_fns++;
	return 0;
}

void rview_free(struct rview *v)
{
	struct rview_priv *pv;

	if (!v)
		return;
	pv = v->priv;
	if (pv) {
		free(pv->slots);
		free(pv->match);
		free(pv);
	}
	free(v->stacks);
	free(v->fns);
	free(v->frames);
	free(v);
}

struct rview *rview_new(const struct profile *p, size_t event, const regex_t *focus,
			const regex_t *ignore)
{
	struct rview *v = calloc(1, sizeof(*v));
	struct rview_priv *pv;
	size_t nframes = 0, k = 0;
	uint64_t periods = 0;

	if (!v)
		return NULL;
	pv = calloc(1, sizeof(*pv));
	if (!pv)
		goto oom;
	v->priv = pv;
	v->p = p;
	v->event = event;
	v->unit = event < p->nr_events ? p->events[event].unit : PROFILE_UNIT_COUNT;
	for (size_t i = 0; i < p->nr_samples; i++) {
		const struct profile_sample *s = &p->samples[i];

		for (uint32_t j = 0; j < s->nr_locs; j++)
			nframes += p->locations[s->locs[j]].nr_lines;
		if (event < p->nr_events)
			periods += s->values[2 * event + 1];
	}
	/* periods when the file has them (frequency mode varies them) */
	v->use_period = periods > 0;
	if (!v->use_period)
		v->unit = PROFILE_UNIT_COUNT;
	v->frames = calloc(nframes ? nframes : 1, sizeof(*v->frames));
	v->stacks = calloc(p->nr_samples ? p->nr_samples : 1, sizeof(*v->stacks));
	if (!v->frames || !v->stacks)
		goto oom;
	for (size_t i = 0; i < p->nr_samples; i++) {
		const struct profile_sample *s = &p->samples[i];
		struct rv_stack *st;
		uint64_t count = event < p->nr_events ? s->values[2 * event] : 0;

		if (!count)
			continue;
		st = &v->stacks[v->nr_stacks++];
		st->s = s;
		st->count = count;
		st->w = v->use_period ? s->values[2 * event + 1] : count;
		st->f = &v->frames[k];
		for (uint32_t j = 0; j < s->nr_locs; j++) {
			const struct profile_location *l = &p->locations[s->locs[j]];

			for (uint32_t n = 0; n < l->nr_lines; n++) {
				struct rv_frame *f = &v->frames[k++];

				f->loc = s->locs[j];
				f->line = &l->lines[n];
				f->inlined = n + 1 < l->nr_lines;
				if (fn_index(v, profile_line_name(f->line), f->line, l, &f->fn))
					goto oom;
				st->nr++;
			}
		}
		v->total += st->w;
		v->total_count += st->count;
	}
	/* --focus / --ignore: one regexec per function, not per frame */
	if (focus || ignore) {
		pv->match = calloc(v->nr_fns ? v->nr_fns : 1, 1);
		if (!pv->match)
			goto oom;
		for (size_t i = 0; i < v->nr_fns; i++) {
			if (focus && !regexec(focus, v->fns[i].name, 0, NULL, 0))
				pv->match[i] |= 1;
			if (ignore && !regexec(ignore, v->fns[i].name, 0, NULL, 0))
				pv->match[i] |= 2;
		}
	}
	for (size_t i = 0; i < v->nr_stacks; i++) {
		struct rv_stack *st = &v->stacks[i];
		bool focused = !focus, ignored = false;

		for (uint32_t j = 0; j < st->nr && pv->match; j++) {
			unsigned char m = pv->match[st->f[j].fn];

			if (m & 1)
				focused = true;
			if (m & 2)
				ignored = true;
		}
		st->kept = focused && !ignored;
		if (!st->kept)
			continue;
		v->kept += st->w;
		for (uint32_t j = 0; j < st->nr; j++) {
			struct rv_fn *fn = &v->fns[st->f[j].fn];

			if (j == 0)
				fn->flat += st->w;
			/* recursion: a function counts once per stack in cum */
			if (fn->stamp != i + 1) {
				fn->stamp = i + 1;
				fn->cum += st->w;
			}
		}
	}
	return v;
oom:
	rview_free(v);
	errno = ENOMEM;
	return NULL;
}

double rview_pct(const struct rview *v, uint64_t w)
{
	return v->total ? 100.0 * (double)w / (double)v->total : 0.0;
}

void rview_format(const struct rview *v, uint64_t w, char *buf, size_t len)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = {
		{ "hrs", 3600e9 }, { "mins", 60e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 },
	};
	double x = (double)w;
	const char *u = "ns";
	size_t n;

	if (v->unit != PROFILE_UNIT_NANOSECONDS || w == 0) {
		snprintf(buf, len, "%llu", (unsigned long long)w);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (x >= units[i].ns) {
			x /= units[i].ns;
			u = units[i].name;
			break;
		}
	}
	if (!strcmp(u, "ns")) {
		snprintf(buf, len, "%lluns", (unsigned long long)w);
		return;
	}
	/* two decimals, ".00" dropped, as pprof prints */
	snprintf(buf, len, "%.2f", x);
	n = strlen(buf);
	if (n > 3 && !strcmp(buf + n - 3, ".00"))
		buf[n - 3] = '\0';
	n = strlen(buf);
	snprintf(buf + n, len > n ? len - n : 0, "%s", u);
}
