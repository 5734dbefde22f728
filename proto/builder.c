/* proto: the pprof builder: interning strings and deduplicating mappings,
 * functions, locations, label sets and samples with hash tables, so that
 * building costs one hash lookup per call whatever the profile's size. */
#include "config.h"

#include "pprof-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef bool (*pprof_eq_fn)(const struct pprof_builder *b, uint32_t idx, const void *key);

static void htab_fini(struct pprof_htab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->mask = 0;
	t->nr = 0;
}

/* Keeps the load factor at or under one half, counting the entry about to
 * be inserted, so that a probe always ends at an empty slot. */
static int htab_reserve(struct pprof_htab *t)
{
	size_t cap = t->slots ? t->mask + 1 : 0, ncap;
	uint64_t *ns;

	if ((t->nr + 1) * 2 <= cap)
		return 0;
	ncap = cap ? cap * 2 : 256;
	if (ncap > SIZE_MAX / sizeof(*ns))
		return -ENOMEM;
	ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++) {
		uint64_t s = t->slots[i];
		size_t p;

		if (!s)
			continue;
		p = (size_t)(s >> 32) & (ncap - 1);
		while (ns[p])
			p = (p + 1) & (ncap - 1);
		ns[p] = s;
	}
	free(t->slots);
	t->slots = ns;
	t->mask = ncap - 1;
	return 0;
}

/* The index of the entry equal to key, or -1 with *slot set to the empty
 * slot where it belongs. htab_reserve must have been called. */
static int64_t htab_find(const struct pprof_builder *b, const struct pprof_htab *t, uint32_t h,
			 pprof_eq_fn eq, const void *key, size_t *slot)
{
	size_t p = h & t->mask;

	for (;;) {
		uint64_t s = t->slots[p];

		if (!s) {
			*slot = p;
			return -1;
		}
		if ((uint32_t)(s >> 32) == h && eq(b, (uint32_t)s - 1, key))
			return (uint32_t)s - 1;
		p = (p + 1) & t->mask;
	}
}

static void htab_set(struct pprof_htab *t, size_t slot, uint32_t h, size_t idx)
{
	t->slots[slot] = ((uint64_t)h << 32) | (uint64_t)(idx + 1);
	t->nr++;
}

/* Entity indices live in 32 bits of a slot. */
#define PPROF_MAX_ENTRIES ((size_t)UINT32_MAX - 1)

static uint32_t hash32(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

/* a + b, held at INT64_MAX or INT64_MIN: merged sample values must not wrap
 * (periods near INT64_MAX summed would turn negative). */
static int64_t sat_add_i64(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/* ---- strings ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Copies s into b->scratch with every invalid byte replaced by U+FFFD.
 * Returns 1 when s needed repair, 0 when it is valid, or -ENOMEM. */
static int utf8_repair(struct pprof_builder *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	bool bad = false;

	while (i < len && p[i] < 0x80)
		i++;
	if (i == len)
		return 0;
	sb_reset(&b->scratch);
	if (sb_append(&b->scratch, s, i))
		return -ENOMEM;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);

		if (!n) {
			bad = true;
			if (sb_append(&b->scratch, "\xef\xbf\xbd", 3))
				return -ENOMEM;
			i++;
			continue;
		}
		if (sb_append(&b->scratch, p + i, n))
			return -ENOMEM;
		i += n;
	}
	return bad;
}

struct str_key {
	const char *s;
	size_t len;
};

static bool str_eq(const struct pprof_builder *b, uint32_t idx, const void *key)
{
	const struct str_key *k = key;

	return b->strs[idx].len == k->len && !memcmp(b->chars + b->strs[idx].off, k->s, k->len);
}

static int64_t intern(struct pprof_builder *b, const char *s, size_t len)
{
	struct str_key k = { s, len };
	uint32_t h = hash32(hash_bytes(s, len, 0x5157));
	size_t slot, idx;
	int64_t found;

	if (len >= UINT32_MAX || b->nr_strs >= PPROF_MAX_ENTRIES) {
		errno = EOVERFLOW;
		return -1;
	}
	if (htab_reserve(&b->str_ht))
		goto nomem;
	found = htab_find(b, &b->str_ht, h, str_eq, &k, &slot);
	if (found >= 0)
		return found;
	if (grow_array(&b->strs, &b->cap_strs, b->nr_strs + 1, sizeof(*b->strs)) ||
	    len + 1 > SIZE_MAX - b->chars_len ||
	    grow_array(&b->chars, &b->chars_cap, b->chars_len + len + 1, 1))
		goto nomem;
	idx = b->nr_strs++;
	b->strs[idx].off = b->chars_len;
	b->strs[idx].len = (uint32_t)len;
	memcpy(b->chars + b->chars_len, s, len);
	b->chars[b->chars_len + len] = '\0';
	b->chars_len += len + 1;
	htab_set(&b->str_ht, slot, h, idx);
	return (int64_t)idx;
nomem:
	errno = ENOMEM;
	return -1;
}

int64_t pprof_string(struct pprof_builder *b, const char *s)
{
	size_t len;
	int r;

	if (!s || !*s)
		return 0;
	len = strlen(s);
	r = utf8_repair(b, s, len);
	if (r < 0) {
		errno = ENOMEM;
		return -1;
	}
	if (r > 0)
		return intern(b, b->scratch.buf, b->scratch.len);
	return intern(b, s, len);
}

/* ---- lifecycle ------------------------------------------------------------ */

struct pprof_builder *pprof_builder_new(void)
{
	struct pprof_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	/* string 0 is "" (pprof rejects a profile whose first string is not) */
	if (intern(b, "", 0) != 0) {
		pprof_builder_free(b);
		errno = ENOMEM;
		return NULL;
	}
	return b;
}

void pprof_builder_free(struct pprof_builder *b)
{
	if (!b)
		return;
	sb_fini(&b->scratch);
	htab_fini(&b->smp_ht);
	free(b->vals);
	free(b->locids);
	free(b->smps);
	htab_fini(&b->labset_ht);
	free(b->labsets);
	free(b->labs);
	htab_fini(&b->loc_ht);
	free(b->lines);
	free(b->locs);
	htab_fini(&b->func_ht);
	free(b->funcs);
	htab_fini(&b->map_ht);
	free(b->maps);
	free(b->comments);
	free(b->types);
	htab_fini(&b->str_ht);
	free(b->strs);
	free(b->chars);
	free(b);
}

/* ---- profile-wide fields ---------------------------------------------------- */

int pprof_add_sample_type(struct pprof_builder *b, const char *type, const char *unit)
{
	int64_t t, u;

	if (b->samples_added)
		return -EBUSY;
	t = pprof_string(b, type);
	u = pprof_string(b, unit);
	if (t < 0 || u < 0)
		return -errno;
	if (grow_array(&b->types, &b->cap_types, 2 * (b->nr_types + 1), sizeof(*b->types)))
		return -ENOMEM;
	b->types[2 * b->nr_types] = t;
	b->types[2 * b->nr_types + 1] = u;
	b->nr_types++;
	return 0;
}

size_t pprof_nr_sample_types(const struct pprof_builder *b)
{
	return b->nr_types;
}

int pprof_set_period(struct pprof_builder *b, const char *type, const char *unit, int64_t period)
{
	int64_t t = pprof_string(b, type), u = pprof_string(b, unit);

	if (t < 0 || u < 0)
		return -errno;
	b->period_type = t;
	b->period_unit = u;
	b->period = period;
	return 0;
}

int pprof_set_default_sample_type(struct pprof_builder *b, const char *type)
{
	int64_t t = pprof_string(b, type);

	if (t < 0)
		return -errno;
	for (size_t i = 0; i < b->nr_types; i++) {
		if (b->types[2 * i] == t) {
			b->default_type = t;
			return 0;
		}
	}
	return -ENOENT;
}

int pprof_add_comment(struct pprof_builder *b, const char *text)
{
	int64_t s = pprof_string(b, text);

	if (s < 0)
		return -errno;
	if (grow_array(&b->comments, &b->cap_comments, b->nr_comments + 1, sizeof(*b->comments)))
		return -ENOMEM;
	b->comments[b->nr_comments++] = s;
	return 0;
}

void pprof_set_time(struct pprof_builder *b, int64_t time_nanos, int64_t duration_nanos)
{
	b->time_nanos = time_nanos;
	b->duration_nanos = duration_nanos;
}

int pprof_set_doc_url(struct pprof_builder *b, const char *url)
{
	int64_t s = pprof_string(b, url);

	if (s < 0)
		return -errno;
	b->doc_url = s;
	return 0;
}

/* ---- mappings ------------------------------------------------------------ */

static bool map_eq(const struct pprof_builder *b, uint32_t idx, const void *key)
{
	const struct pprof_map *m = &b->maps[idx], *k = key;

	return m->start == k->start && m->limit == k->limit && m->offset == k->offset &&
	       m->filename == k->filename && m->build_id == k->build_id;
}

uint64_t pprof_mapping(struct pprof_builder *b, uint64_t start, uint64_t limit,
		       uint64_t file_offset, const char *filename, const char *build_id_hex,
		       bool has_functions, bool has_filenames, bool has_line_numbers,
		       bool has_inline_frames)
{
	struct pprof_map k = { 0 }, *m;
	uint64_t hk[5];
	uint32_t h;
	size_t slot;
	int64_t found;

	if (limit < start) {
		errno = EINVAL;
		return 0;
	}
	k.start = start;
	k.limit = limit;
	k.offset = file_offset;
	k.filename = pprof_string(b, filename);
	k.build_id = pprof_string(b, build_id_hex);
	if (k.filename < 0 || k.build_id < 0)
		return 0;
	hk[0] = start;
	hk[1] = limit;
	hk[2] = file_offset;
	hk[3] = (uint64_t)k.filename;
	hk[4] = (uint64_t)k.build_id;
	h = hash32(hash_bytes(hk, sizeof(hk), 0x3a9));
	if (b->nr_maps >= PPROF_MAX_ENTRIES) {
		errno = EOVERFLOW;
		return 0;
	}
	if (htab_reserve(&b->map_ht))
		goto nomem;
	found = htab_find(b, &b->map_ht, h, map_eq, &k, &slot);
	if (found < 0) {
		if (grow_array(&b->maps, &b->cap_maps, b->nr_maps + 1, sizeof(*b->maps)))
			goto nomem;
		found = (int64_t)b->nr_maps++;
		b->maps[found] = k;
		htab_set(&b->map_ht, slot, h, (size_t)found);
	}
	m = &b->maps[found];
	m->has_functions |= has_functions;
	m->has_filenames |= has_filenames;
	m->has_line_numbers |= has_line_numbers;
	m->has_inline_frames |= has_inline_frames;
	return (uint64_t)found + 1;
nomem:
	errno = ENOMEM;
	return 0;
}

/* ---- functions ------------------------------------------------------------ */

static bool func_eq(const struct pprof_builder *b, uint32_t idx, const void *key)
{
	const struct pprof_func *f = &b->funcs[idx], *k = key;

	return f->name == k->name && f->system_name == k->system_name &&
	       f->filename == k->filename && f->start_line == k->start_line;
}

uint64_t pprof_function(struct pprof_builder *b, const char *name, const char *system_name,
			const char *filename, int64_t start_line)
{
	struct pprof_func k;
	uint32_t h;
	size_t slot;
	int64_t found;

	k.name = pprof_string(b, name);
	k.system_name = system_name ? pprof_string(b, system_name) : k.name;
	k.filename = pprof_string(b, filename);
	k.start_line = start_line;
	if (k.name < 0 || k.system_name < 0 || k.filename < 0)
		return 0;
	h = hash32(hash_bytes(&k, sizeof(k), 0xf00));
	if (b->nr_funcs >= PPROF_MAX_ENTRIES) {
		errno = EOVERFLOW;
		return 0;
	}
	if (htab_reserve(&b->func_ht))
		goto nomem;
	found = htab_find(b, &b->func_ht, h, func_eq, &k, &slot);
	if (found >= 0)
		return (uint64_t)found + 1;
	if (grow_array(&b->funcs, &b->cap_funcs, b->nr_funcs + 1, sizeof(*b->funcs)))
		goto nomem;
	b->funcs[b->nr_funcs] = k;
	htab_set(&b->func_ht, slot, h, b->nr_funcs);
	return ++b->nr_funcs;
nomem:
	errno = ENOMEM;
	return 0;
}

/* ---- locations ------------------------------------------------------------ */

struct loc_key {
	uint64_t mapping_id, address;
	const struct pprof_line *lines;
	size_t nr;
};

static bool loc_eq(const struct pprof_builder *b, uint32_t idx, const void *key)
{
	const struct pprof_loc *l = &b->locs[idx];
	const struct loc_key *k = key;

	if (l->mapping_id != k->mapping_id || l->address != k->address)
		return false;
	if (k->address)
		return true;
	/* without an address, the lines tell locations apart */
	if (l->nr_lines != k->nr)
		return false;
	for (size_t i = 0; i < k->nr; i++) {
		const struct pprof_line *a = &b->lines[l->line_off + i], *c = &k->lines[i];

		if (a->function_id != c->function_id || a->line != c->line || a->column != c->column)
			return false;
	}
	return true;
}

uint64_t pprof_location(struct pprof_builder *b, uint64_t mapping_id, uint64_t address,
			const struct pprof_line *lines, size_t nr)
{
	struct loc_key k = { mapping_id, address, lines, nr };
	struct pprof_loc *l;
	uint64_t hk = hash_u64(mapping_id * 0x9e3779b97f4a7c15ULL ^ hash_u64(address));
	size_t slot;
	int64_t found;

	if (mapping_id > b->nr_maps || nr >= UINT32_MAX || (nr && !lines)) {
		errno = EINVAL;
		return 0;
	}
	for (size_t i = 0; i < nr; i++) {
		if (!lines[i].function_id || lines[i].function_id > b->nr_funcs) {
			errno = EINVAL;
			return 0;
		}
		if (!address)
			hk = hash_u64(hk ^ lines[i].function_id ^ ((uint64_t)lines[i].line << 24));
	}
	if (b->nr_locs >= PPROF_MAX_ENTRIES) {
		errno = EOVERFLOW;
		return 0;
	}
	if (htab_reserve(&b->loc_ht))
		goto nomem;
	found = htab_find(b, &b->loc_ht, hash32(hk), loc_eq, &k, &slot);
	if (found >= 0)
		return (uint64_t)found + 1;
	if (grow_array(&b->locs, &b->cap_locs, b->nr_locs + 1, sizeof(*b->locs)) ||
	    grow_array(&b->lines, &b->cap_lines, b->nr_lines + nr, sizeof(*b->lines)))
		goto nomem;
	l = &b->locs[b->nr_locs];
	l->mapping_id = mapping_id;
	l->address = address;
	l->line_off = b->nr_lines;
	l->nr_lines = (uint32_t)nr;
	if (nr)
		memcpy(b->lines + b->nr_lines, lines, nr * sizeof(*lines));
	b->nr_lines += nr;
	htab_set(&b->loc_ht, slot, hash32(hk), b->nr_locs);
	return ++b->nr_locs;
nomem:
	errno = ENOMEM;
	return 0;
}

/* ---- samples ------------------------------------------------------------ */

/* Label sets and samples are appended tentatively at the end of their flat
 * arrays and compared there; a duplicate is then dropped again. */
static bool labset_eq(const struct pprof_builder *b, uint32_t idx, const void *key)
{
	const struct pprof_labset *s = &b->labsets[idx], *k = key;

	if (s->nr != k->nr)
		return false;
	return !k->nr || !memcmp(b->labs + s->off, b->labs + k->off, k->nr * sizeof(*b->labs));
}

/* Finds or adds the label set whose n labels were just written at the end
 * of labs[]. */
static int labset_commit(struct pprof_builder *b, size_t n, uint32_t *out)
{
	struct pprof_labset k = { b->nr_labs, (uint32_t)n };
	uint32_t h;
	size_t slot;
	int64_t found;

	h = n ? hash32(hash_bytes(b->labs + b->nr_labs, n * sizeof(*b->labs), 0x1ab)) : 0x1ab;
	if (htab_reserve(&b->labset_ht))
		return -ENOMEM;
	found = htab_find(b, &b->labset_ht, h, labset_eq, &k, &slot);
	if (found >= 0) {
		*out = (uint32_t)found;
		return 0;
	}
	if (grow_array(&b->labsets, &b->cap_labsets, b->nr_labsets + 1, sizeof(*b->labsets)))
		return -ENOMEM;
	b->labsets[b->nr_labsets] = k;
	b->nr_labs += n;
	if (k.nr > b->max_labset)
		b->max_labset = k.nr;
	htab_set(&b->labset_ht, slot, h, b->nr_labsets);
	*out = (uint32_t)b->nr_labsets++;
	return 0;
}

static int labset_reserve(struct pprof_builder *b, size_t n, bool have)
{
	if (n >= UINT32_MAX || (n && !have))
		return -EINVAL;
	if (b->nr_labsets >= PPROF_MAX_ENTRIES)
		return -EOVERFLOW;
	if (grow_array(&b->labs, &b->cap_labs, b->nr_labs + n, sizeof(*b->labs)))
		return -ENOMEM;
	return 0;
}

static int add_labset(struct pprof_builder *b, const struct pprof_label *labels, size_t n,
		      uint32_t *out)
{
	int err = labset_reserve(b, n, labels != NULL);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		struct pprof_lab *l = &b->labs[b->nr_labs + i];

		if (!labels[i].key || !*labels[i].key)
			return -EINVAL;
		memset(l, 0, sizeof(*l));
		l->key = pprof_string(b, labels[i].key);
		if (labels[i].str) {
			l->str = pprof_string(b, labels[i].str);
		} else {
			l->num = labels[i].num;
			l->num_unit = pprof_string(b, labels[i].num_unit);
		}
		if (l->key < 0 || l->str < 0 || l->num_unit < 0)
			return -errno;
	}
	return labset_commit(b, n, out);
}

static bool str_idx_ok(const struct pprof_builder *b, int64_t i)
{
	return i >= 0 && (uint64_t)i < b->nr_strs;
}

static int add_labset_ids(struct pprof_builder *b, const struct pprof_label_ids *labels,
			  size_t n, uint32_t *out)
{
	int err = labset_reserve(b, n, labels != NULL);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		const struct pprof_label_ids *in = &labels[i];
		struct pprof_lab *l = &b->labs[b->nr_labs + i];

		if (!in->key || !str_idx_ok(b, in->key) || !str_idx_ok(b, in->str) ||
		    !str_idx_ok(b, in->num_unit) || (in->str && (in->num || in->num_unit)))
			return -EINVAL;
		l->key = in->key;
		l->str = in->str;
		l->num = in->num;
		l->num_unit = in->num_unit;
	}
	return labset_commit(b, n, out);
}

static bool smp_eq(const struct pprof_builder *b, uint32_t idx, const void *key)
{
	const struct pprof_smp *s = &b->smps[idx], *k = key;

	if (s->labset != k->labset || s->nr_locs != k->nr_locs)
		return false;
	return !k->nr_locs || !memcmp(b->locids + s->loc_off, b->locids + k->loc_off,
				      k->nr_locs * sizeof(*b->locids));
}

static int check_sample(const struct pprof_builder *b, const uint64_t *location_ids, size_t nr,
			const int64_t *values, size_t nvalues)
{
	if (!b->nr_types || nvalues != b->nr_types || !values || nr >= UINT32_MAX ||
	    (nr && !location_ids))
		return -EINVAL;
	for (size_t i = 0; i < nr; i++)
		if (!location_ids[i] || location_ids[i] > b->nr_locs)
			return -EINVAL;
	if (b->nr_smps >= PPROF_MAX_ENTRIES)
		return -EOVERFLOW;
	return 0;
}

/* Adds or merges a checked sample with label set labset. */
static int add_sample(struct pprof_builder *b, const uint64_t *location_ids, size_t nr,
		      const int64_t *values, size_t nvalues, uint32_t labset)
{
	struct pprof_smp k;
	uint32_t h;
	size_t slot;
	int64_t found;

	k.labset = labset;
	if (grow_array(&b->locids, &b->cap_locids, b->nr_locids + nr, sizeof(*b->locids)))
		return -ENOMEM;
	if (nr)
		memcpy(b->locids + b->nr_locids, location_ids, nr * sizeof(*location_ids));
	k.loc_off = b->nr_locids;
	k.nr_locs = (uint32_t)nr;
	k.val_off = b->nr_vals;
	h = hash32(hash_u64((nr ? hash_bytes(location_ids, nr * sizeof(*location_ids), 0x5a) : 0x5a) ^
			    k.labset));
	if (htab_reserve(&b->smp_ht))
		return -ENOMEM;
	found = htab_find(b, &b->smp_ht, h, smp_eq, &k, &slot);
	if (found >= 0) {
		int64_t *v = b->vals + b->smps[found].val_off;

		for (size_t i = 0; i < nvalues; i++)
			v[i] = sat_add_i64(v[i], values[i]);
		b->samples_added++;
		return 0;
	}
	if (grow_array(&b->smps, &b->cap_smps, b->nr_smps + 1, sizeof(*b->smps)) ||
	    grow_array(&b->vals, &b->cap_vals, b->nr_vals + nvalues, sizeof(*b->vals)))
		return -ENOMEM;
	memcpy(b->vals + b->nr_vals, values, nvalues * sizeof(*values));
	b->nr_vals += nvalues;
	b->nr_locids += nr;
	b->smps[b->nr_smps] = k;
	htab_set(&b->smp_ht, slot, h, b->nr_smps);
	b->nr_smps++;
	b->samples_added++;
	return 0;
}

int pprof_add_sample(struct pprof_builder *b, const uint64_t *location_ids, size_t nr,
		     const int64_t *values, size_t nvalues, const struct pprof_label *labels,
		     size_t nlabels)
{
	uint32_t labset;
	int err = check_sample(b, location_ids, nr, values, nvalues);

	if (!err)
		err = add_labset(b, labels, nlabels, &labset);
	if (!err)
		err = add_sample(b, location_ids, nr, values, nvalues, labset);
	return err;
}

int pprof_add_sample_ids(struct pprof_builder *b, const uint64_t *location_ids, size_t nr,
			 const int64_t *values, size_t nvalues,
			 const struct pprof_label_ids *labels, size_t nlabels)
{
	uint32_t labset;
	int err = check_sample(b, location_ids, nr, values, nvalues);

	if (!err)
		err = add_labset_ids(b, labels, nlabels, &labset);
	if (!err)
		err = add_sample(b, location_ids, nr, values, nvalues, labset);
	return err;
}

void pprof_get_stats(const struct pprof_builder *b, struct pprof_stats *st)
{
	st->strings = b->nr_strs;
	st->mappings = b->nr_maps;
	st->functions = b->nr_funcs;
	st->locations = b->nr_locs;
	st->samples = b->nr_smps;
	st->samples_added = b->samples_added;
}
