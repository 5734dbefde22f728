/* The profile model of profile.h: storage, interning and hand-building.
 * The recording reader that fills it lives in profile-load.c. */
#include "config.h"

#include "profile.h"
#include "profile-priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct profile *profile_new(void)
{
	struct profile *p = calloc(1, sizeof(*p));
	struct profile_priv *pv;

	if (!p)
		return NULL;
	pv = calloc(1, sizeof(*pv));
	if (!pv) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->priv = pv;
	return p;
}

void profile_free(struct profile *p)
{
	struct profile_priv *pv;

	if (!p)
		return;
	pv = p->priv;
	if (pv) {
		free(pv->strs);
		arena_fini(&pv->arena);
		free(pv);
	}
	free(p->events);
	free(p->mappings);
	free(p->locations);
	free(p->samples);
	free(p);
}

static int intern_grow(struct profile_priv *pv)
{
	size_t ncap = pv->strs_cap ? pv->strs_cap * 2 : 1024;
	const char **n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < pv->strs_cap; i++) {
		const char *s = pv->strs[i];
		size_t j;

		if (!s)
			continue;
		j = hash_bytes(s, strlen(s), 0) & (ncap - 1);
		while (n[j])
			j = (j + 1) & (ncap - 1);
		n[j] = s;
	}
	free(pv->strs);
	pv->strs = n;
	pv->strs_cap = ncap;
	return 0;
}

const char *profile_intern(struct profile *p, const char *s)
{
	struct profile_priv *pv = p->priv;
	size_t len, j;
	char *c;

	if (!s)
		return NULL;
	if (!s[0])
		return "";
	/* keep the table at most half full */
	if ((pv->nr_strs + 1) * 2 > pv->strs_cap && intern_grow(pv))
		return NULL;
	len = strlen(s);
	j = hash_bytes(s, len, 0) & (pv->strs_cap - 1);
	while (pv->strs[j]) {
		if (!strcmp(pv->strs[j], s))
			return pv->strs[j];
		j = (j + 1) & (pv->strs_cap - 1);
	}
	c = arena_memdup(&pv->arena, s, len + 1);
	if (!c)
		return NULL;
	pv->strs[j] = c;
	pv->nr_strs++;
	return c;
}

/* Interns s, or "" when it is NULL; NULL only when out of memory. */
static const char *intern_or_empty(struct profile *p, const char *s)
{
	return profile_intern(p, s ? s : "");
}

int profile_add_event(struct profile *p, const struct profile_event *e)
{
	struct profile_priv *pv = p->priv;
	struct profile_event *n;

	if (grow_array(&p->events, &pv->events_cap, p->nr_events + 1, sizeof(*p->events)))
		return -ENOMEM;
	n = &p->events[p->nr_events];
	*n = *e;
	n->name = intern_or_empty(p, e->name);
	n->fallback_from = e->fallback_from ? profile_intern(p, e->fallback_from) : NULL;
	if (!n->name || (e->fallback_from && !n->fallback_from))
		return -ENOMEM;
	return (int)p->nr_events++;
}

int profile_add_mapping(struct profile *p, const struct profile_mapping *m)
{
	struct profile_priv *pv = p->priv;
	struct profile_mapping *n;

	if (grow_array(&p->mappings, &pv->mappings_cap, p->nr_mappings + 1, sizeof(*p->mappings)))
		return -ENOMEM;
	n = &p->mappings[p->nr_mappings];
	*n = *m;
	n->path = intern_or_empty(p, m->path);
	n->build_id = intern_or_empty(p, m->build_id);
	if (!n->path || !n->build_id)
		return -ENOMEM;
	return (int)p->nr_mappings++;
}

/* The synthetic line of an unresolved location: "object+0xOFF" when it has
 * a mapping, else "[unknown]" (the address stays in the location). */
static int unresolved_line(struct profile *p, struct profile_location *l,
			   struct profile_line *line)
{
	const char *name;

	memset(line, 0, sizeof(*line));
	if (l->mapping != PROFILE_NO_MAPPING && l->mapping < p->nr_mappings) {
		const char *path = p->mappings[l->mapping].path;
		const char *base = strrchr(path, '/');
		struct strbuf sb = STRBUF_INIT;

		base = base ? base + 1 : path;
		if (sb_printf(&sb, "%s+0x%llx", base[0] ? base : "[unknown]",
			      (unsigned long long)l->file_offset))
			return -ENOMEM;
		name = profile_intern(p, sb.buf);
		sb_fini(&sb);
	} else {
		name = "[unknown]";
	}
	if (!name)
		return -ENOMEM;
	line->function = name;
	line->system_name = name;
	line->file = "";
	line->function_file = "";
	return 0;
}

int profile_add_location(struct profile *p, const struct profile_location *l)
{
	struct profile_priv *pv = p->priv;
	struct profile_location *n;
	struct profile_line *lines;
	uint32_t nr = l->nr_lines ? l->nr_lines : 1;

	if (l->mapping != PROFILE_NO_MAPPING && l->mapping >= p->nr_mappings)
		return -EINVAL;
	if (grow_array(&p->locations, &pv->locations_cap, p->nr_locations + 1,
		       sizeof(*p->locations)))
		return -ENOMEM;
	lines = arena_alloc(&pv->arena, nr * sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	n = &p->locations[p->nr_locations];
	*n = *l;
	if (!l->nr_lines) {
		n->resolved = false;
		n->nr_lines = 1;
		if (unresolved_line(p, n, &lines[0]))
			return -ENOMEM;
	} else {
		for (uint32_t i = 0; i < nr; i++) {
			const struct profile_line *s = &l->lines[i];

			lines[i] = *s;
			lines[i].function = intern_or_empty(p, s->function);
			lines[i].system_name = intern_or_empty(p, s->system_name);
			lines[i].file = intern_or_empty(p, s->file);
			lines[i].function_file = intern_or_empty(p, s->function_file);
			if (!lines[i].function || !lines[i].system_name || !lines[i].file ||
			    !lines[i].function_file)
				return -ENOMEM;
		}
	}
	n->lines = lines;
	return (int)p->nr_locations++;
}

int profile_add_sample(struct profile *p, const struct profile_sample *s)
{
	struct profile_priv *pv = p->priv;
	struct profile_sample *n;
	uint64_t *values;
	uint32_t *locs = NULL;

	for (uint32_t i = 0; i < s->nr_locs; i++)
		if (s->locs[i] >= p->nr_locations)
			return -EINVAL;
	if (grow_array(&p->samples, &pv->samples_cap, p->nr_samples + 1, sizeof(*p->samples)))
		return -ENOMEM;
	values = arena_alloc(&pv->arena, 2 * (p->nr_events ? p->nr_events : 1) * sizeof(*values));
	if (!values)
		return -ENOMEM;
	memset(values, 0, 2 * (p->nr_events ? p->nr_events : 1) * sizeof(*values));
	if (s->values)
		memcpy(values, s->values, 2 * p->nr_events * sizeof(*values));
	if (s->nr_locs) {
		locs = arena_memdup(&pv->arena, s->locs, s->nr_locs * sizeof(*locs));
		if (!locs)
			return -ENOMEM;
	}
	n = &p->samples[p->nr_samples];
	*n = *s;
	n->comm = intern_or_empty(p, s->comm);
	n->thread = intern_or_empty(p, s->thread);
	if (!n->comm || !n->thread)
		return -ENOMEM;
	n->values = values;
	n->locs = locs;
	return (int)p->nr_samples++;
}

uint64_t profile_total(const struct profile *p, size_t idx)
{
	uint64_t t = 0;

	if (idx >= 2 * p->nr_events)
		return 0;
	for (size_t i = 0; i < p->nr_samples; i++)
		t = profile_sat_add(t, p->samples[i].values[idx]);
	return t;
}
