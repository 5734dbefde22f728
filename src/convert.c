/* The bridge from a loaded recording (profile.h) to a pprof profile: sample
 * types per event, labels, comments, mappings, functions and locations with
 * their inline chains (DESIGN §3). */
#include "config.h"

#include "convert.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void convert_options_init(struct convert_options *o)
{
	memset(o, 0, sizeof(*o));
	o->labels = PROFILE_KEYS_ALL;
}

static const struct {
	const char *name;
	unsigned bit;
} label_names[] = {
	{ "pid", PROFILE_KEY_PID },
	{ "tid", PROFILE_KEY_TID },
	{ "cpu", PROFILE_KEY_CPU },
	{ "comm", PROFILE_KEY_COMM },
	{ "thread", PROFILE_KEY_THREAD },
};

int convert_parse_labels(const char *list, unsigned *out, char *bad, size_t badlen)
{
	unsigned bits = 0;
	const char *p = list;

	if (!strcmp(list, "all")) {
		*out = PROFILE_KEYS_ALL;
		return 0;
	}
	if (!strcmp(list, "none") || !*list) {
		*out = 0;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		bool found = false;

		for (size_t i = 0; i < ARRAY_SIZE(label_names); i++) {
			if (strlen(label_names[i].name) == n && !strncmp(p, label_names[i].name, n)) {
				bits |= label_names[i].bit;
				found = true;
			}
		}
		if (!found) {
			snprintf(bad, badlen, "%.*s", (int)n, p);
			return -EINVAL;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	*out = bits;
	return 0;
}

char *convert_default_output(const char *in_path)
{
	const char *base = strrchr(in_path, '/');
	size_t n = strlen(in_path);
	char *out;

	if (!strcmp(in_path, "-"))
		return strdup("-");
	base = base ? base + 1 : in_path;
	/* "perf.data" -> "perf.pb.gz", "x.data" -> "x.pb.gz" */
	if (n > 5 && !strcmp(in_path + n - 5, ".data") && base < in_path + n - 5)
		n -= 5;
	out = malloc(n + sizeof(".pb.gz"));
	if (!out)
		return NULL;
	memcpy(out, in_path, n);
	memcpy(out + n, ".pb.gz", sizeof(".pb.gz"));
	return out;
}

/* ---- sample types ------------------------------------------------------- */

/* Sample type i + 1 belongs to event i; type 0 is "samples/count". */
struct types {
	char **names;
	size_t nr;
};

static void types_fini(struct types *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->names[i]);
	free(t->names);
}

static bool types_has(const struct types *t, const char *name)
{
	for (size_t i = 0; i < t->nr; i++)
		if (t->names[i] && !strcmp(t->names[i], name))
			return true;
	return false;
}

/* "cpu" for the first clock event (what pprof users expect of a CPU
 * profile), the event's name otherwise; made unique with a suffix. */
static int types_init(struct types *t, const struct profile *p)
{
	t->nr = p->nr_events + 1;
	t->names = calloc(t->nr, sizeof(*t->names));
	if (!t->names)
		return -ENOMEM;
	t->names[0] = strdup("samples");
	if (!t->names[0])
		return -ENOMEM;
	for (size_t e = 0; e < p->nr_events; e++) {
		const struct profile_event *ev = &p->events[e];
		const char *base = ev->name && *ev->name ? ev->name : "event";
		struct strbuf sb = STRBUF_INIT;

		if (ev->unit == PROFILE_UNIT_NANOSECONDS && !types_has(t, "cpu"))
			base = "cpu";
		if (sb_puts(&sb, base))
			return -ENOMEM;
		for (int k = 2; types_has(t, sb.buf); k++) {
			sb_reset(&sb);
			if (sb_printf(&sb, "%s-%d", base, k)) {
				sb_fini(&sb);
				return -ENOMEM;
			}
		}
		t->names[e + 1] = sb_detach(&sb);
	}
	return 0;
}

static const char *unit_name(enum profile_unit u)
{
	return u == PROFILE_UNIT_NANOSECONDS ? "nanoseconds" : "count";
}

/* The sample type the user asked for: a type name, or an event's name. */
static const char *pick_type(const struct types *t, const struct profile *p, const char *want)
{
	for (size_t i = 0; i < t->nr; i++)
		if (!strcmp(t->names[i], want))
			return t->names[i];
	for (size_t e = 0; e < p->nr_events; e++)
		if (p->events[e].name && !strcmp(p->events[e].name, want))
			return t->names[e + 1];
	return NULL;
}

static int set_types(struct pprof_builder *b, const struct profile *p, const struct types *t,
		     const struct convert_options *o, char *err, size_t errlen)
{
	const struct profile_event *ev0 = p->nr_events ? &p->events[0] : NULL;
	const char *dflt = t->nr > 1 ? t->names[1] : t->names[0];
	int rc;

	rc = pprof_add_sample_type(b, "samples", "count");
	for (size_t e = 0; !rc && e < p->nr_events; e++)
		rc = pprof_add_sample_type(b, t->names[e + 1], unit_name(p->events[e].unit));
	if (rc)
		goto fail;
	if (o->sample_type) {
		dflt = pick_type(t, p, o->sample_type);
		if (!dflt) {
			struct strbuf sb = STRBUF_INIT;

			for (size_t i = 0; i < t->nr; i++)
				sb_printf(&sb, "%s%s", i ? ", " : "", t->names[i]);
			snprintf(err, errlen, "no sample type '%s' in this recording (it has: %s)",
				 o->sample_type, sb.buf ? sb.buf : "");
			sb_fini(&sb);
			return -ENOENT;
		}
	}
	rc = pprof_set_default_sample_type(b, dflt);
	if (!rc && ev0) {
		/* the period of the first event: fixed, or in frequency mode the
		 * mean (for clock events, the nominal 1/frequency) */
		int64_t period = (int64_t)ev0->sample_period;

		if (!period && ev0->sample_freq && ev0->unit == PROFILE_UNIT_NANOSECONDS)
			period = (int64_t)(1000000000ULL / ev0->sample_freq);
		if (!period) {
			uint64_t n = profile_total(p, 0);

			period = n ? (int64_t)(profile_total(p, 1) / n) : 0;
		}
		rc = pprof_set_period(b, t->names[1], unit_name(ev0->unit), period);
	}
	if (!rc)
		return 0;
fail:
	snprintf(err, errlen, "cannot build the profile: %s", strerror(-rc));
	return rc;
}

/* ---- comments ------------------------------------------------------------ */

static int add_commentf(struct pprof_builder *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int add_commentf(struct pprof_builder *b, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = pprof_add_comment(b, sb.buf);
	sb_fini(&sb);
	return rc;
}

static int set_comments(struct pprof_builder *b, const struct profile *p,
			const struct convert_options *o)
{
	const struct profile_meta *m = &p->meta;
	int rc = 0;

	if (m->cmdline && *m->cmdline)
		rc = add_commentf(b, "command: %s", m->cmdline);
	if (!rc && m->osrelease && *m->osrelease)
		rc = add_commentf(b, "kernel: %s", m->osrelease);
	for (size_t e = 0; !rc && e < p->nr_events; e++) {
		const struct profile_event *ev = &p->events[e];

		if (ev->sample_freq)
			rc = add_commentf(b, "event: %s at %" PRIu64 " Hz", ev->name, ev->sample_freq);
		else
			rc = add_commentf(b, "event: %s every %" PRIu64, ev->name, ev->sample_period);
		if (!rc && ev->fallback && ev->fallback_from)
			rc = add_commentf(b, "fallback: %s recorded instead of %s", ev->name,
					  ev->fallback_from);
	}
	if (!rc && m->fallback_note)
		rc = add_commentf(b, "note: %s", m->fallback_note);
	if (!rc)
		rc = add_commentf(b, "samples: %" PRIu64 ", lost: %" PRIu64 ", throttled: %" PRIu64,
				  m->nr_samples, m->lost, m->throttled);
	if (!rc && m->frames_unresolved)
		rc = add_commentf(b, "unresolved frames: %" PRIu64 " of %" PRIu64,
				  m->frames_unresolved, m->frames_total);
	if (!rc && m->unwind_samples)
		rc = add_commentf(b, "dwarf unwinding: %" PRIu64 " stacks, %" PRIu64
				  " [truncated] by the stack copy's size, %" PRIu64 " [unwind failed]",
				  m->unwind_samples, m->unwind_truncated, m->unwind_failed);
	if (!rc && m->truncated_note)
		rc = add_commentf(b, "note: %s", m->truncated_note);
	if (!rc && m->kallsyms_note)
		rc = add_commentf(b, "note: %s", m->kallsyms_note);
	for (size_t i = 0; !rc && i < o->nr_comments; i++)
		rc = pprof_add_comment(b, o->comments[i]);
	if (!rc)
		rc = add_commentf(b, "converted by cperf %s", PACKAGE_VERSION);
	return rc;
}

/* ---- mappings, functions, locations ------------------------------------- */

static bool is_library(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strstr(base, ".so") != NULL;
}

/* pprof treats mapping 1 as the main binary (the "File:" of its reports,
 * and the one it complains about when it has no name): the user-space,
 * non-library object with the most sample weight, else any user-space
 * object, else the heaviest. */
static size_t pick_main_mapping(const struct profile *p, size_t *order)
{
	uint64_t *w = calloc(p->nr_mappings, sizeof(*w));
	size_t best = SIZE_MAX;
	int best_rank = -1;

	if (!w)
		return 0;
	for (size_t i = 0; i < p->nr_samples; i++) {
		const struct profile_sample *s = &p->samples[i];

		for (uint32_t j = 0; j < s->nr_locs; j++) {
			uint32_t m = p->locations[s->locs[j]].mapping;

			if (m != PROFILE_NO_MAPPING && m < p->nr_mappings)
				w[m] = profile_sat_add(w[m], s->values[0] ? s->values[0] : 1);
		}
	}
	for (size_t m = 0; m < p->nr_mappings; m++) {
		const struct profile_mapping *pm = &p->mappings[m];
		const char *path = pm->path ? pm->path : "";
		int rank = !w[m] ? 0 : pm->kernel || path[0] == '[' || !path[0] ? 1 : is_library(path) ? 2 : 3;

		if (rank > best_rank || (rank == best_rank && w[m] > w[best])) {
			best = m;
			best_rank = rank;
		}
	}
	free(w);
	/* order: the main mapping first, then the others as they come */
	for (size_t m = 0, k = 1; m < p->nr_mappings; m++)
		order[m == best ? 0 : k++] = m;
	return best;
}

static int add_mappings(struct pprof_builder *b, const struct profile *p, uint64_t *map_ids)
{
	size_t *order = calloc(p->nr_mappings ? p->nr_mappings : 1, sizeof(*order));
	bool *resolved = calloc(p->nr_mappings ? p->nr_mappings : 1, sizeof(*resolved));
	int rc = 0;

	if (!order || !resolved) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < p->nr_locations; i++) {
		const struct profile_location *l = &p->locations[i];

		if (l->resolved && l->mapping < p->nr_mappings)
			resolved[l->mapping] = true;
	}
	if (p->nr_mappings)
		pick_main_mapping(p, order);
	for (size_t k = 0; k < p->nr_mappings; k++) {
		size_t m = order[k];
		const struct profile_mapping *pm = &p->mappings[m];
		/* the flags say what the profile carries: pprof leaves such
		 * mappings alone instead of running binutils on them */
		bool fn = pm->has_functions || resolved[m];

		map_ids[m] = pprof_mapping(b, pm->start, pm->limit, pm->file_offset, pm->path,
					   pm->build_id, fn, pm->has_filenames && fn,
					   pm->has_line_numbers && fn, pm->has_inline_frames && fn);
		if (!map_ids[m]) {
			rc = -errno;
			break;
		}
	}
out:
	free(resolved);
	free(order);
	return rc;
}

static uint64_t add_function(struct pprof_builder *b, const struct profile_line *ln)
{
	const char *file = ln->function_file && *ln->function_file ? ln->function_file : ln->file;
	const char *sys = ln->system_name && *ln->system_name ? ln->system_name : NULL;

	return pprof_function(b, profile_line_name(ln), sys, file, ln->start_line);
}

/* One pprof location per profile location (the profile already holds each
 * (mapping, address) once). Unresolved frames become address-only
 * locations in their mapping, as pprof expects of unsymbolized code. */
static int add_locations(struct pprof_builder *b, const struct profile *p,
			 const uint64_t *map_ids, uint64_t *loc_ids)
{
	struct pprof_line *lines = NULL;
	size_t cap = 0;
	int rc = 0;

	for (size_t i = 0; i < p->nr_locations; i++) {
		const struct profile_location *l = &p->locations[i];
		uint64_t mid = l->mapping < p->nr_mappings ? map_ids[l->mapping] : 0;
		size_t nr = l->resolved ? l->nr_lines : 0;

		/* pprof wants the address inside its mapping: a frame the
		 * recording placed elsewhere keeps its address, not the mapping */
		if (mid && (l->address < p->mappings[l->mapping].start ||
			    l->address >= p->mappings[l->mapping].limit))
			mid = 0;

		if (grow_array(&lines, &cap, nr, sizeof(*lines))) {
			rc = -ENOMEM;
			break;
		}
		for (size_t j = 0; j < nr; j++) {
			lines[j].function_id = add_function(b, &l->lines[j]);
			lines[j].line = l->lines[j].line;
			lines[j].column = l->lines[j].column;
			if (!lines[j].function_id) {
				rc = -errno;
				goto out;
			}
		}
		loc_ids[i] = pprof_location(b, mid, l->address, lines, nr);
		if (!loc_ids[i]) {
			rc = -errno;
			break;
		}
	}
out:
	free(lines);
	return rc;
}

/* The string index of each distinct comm/thread pointer of the profile
 * (its strings do not change while it lives), so that a label costs a
 * pointer lookup per sample rather than hashing the string. */
struct ptr_map {
	const char **keys;
	int64_t *vals;
	size_t mask, nr;
};

static void ptr_map_fini(struct ptr_map *m)
{
	free(m->keys);
	free(m->vals);
}

static int ptr_map_grow(struct ptr_map *m)
{
	size_t cap = m->keys ? (m->mask + 1) * 2 : 64;
	const char **keys = calloc(cap, sizeof(*keys));
	int64_t *vals = calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (size_t i = 0; m->keys && i <= m->mask; i++) {
		size_t p;

		if (!m->keys[i])
			continue;
		p = hash_u64((uintptr_t)m->keys[i]) & (cap - 1);
		while (keys[p])
			p = (p + 1) & (cap - 1);
		keys[p] = m->keys[i];
		vals[p] = m->vals[i];
	}
	ptr_map_fini(m);
	m->keys = keys;
	m->vals = vals;
	m->mask = cap - 1;
	return 0;
}

/* The string index of s in b; -1 with errno on failure. */
static int64_t ptr_map_string(struct ptr_map *m, struct pprof_builder *b, const char *s)
{
	size_t p;

	if ((m->nr + 1) * 2 > (m->keys ? m->mask + 1 : 0) && ptr_map_grow(m)) {
		errno = ENOMEM;
		return -1;
	}
	p = hash_u64((uintptr_t)s) & m->mask;
	while (m->keys[p]) {
		if (m->keys[p] == s)
			return m->vals[p];
		p = (p + 1) & m->mask;
	}
	m->vals[p] = pprof_string(b, s);
	if (m->vals[p] < 0)
		return -1;
	m->keys[p] = s;
	m->nr++;
	return m->vals[p];
}

static int add_samples(struct pprof_builder *b, const struct profile *p,
		       const struct convert_options *o, const uint64_t *loc_ids)
{
	size_t nv = p->nr_events + 1;
	int64_t *vals = calloc(nv, sizeof(*vals));
	int64_t k_pid = pprof_string(b, "pid"), k_tid = pprof_string(b, "tid");
	int64_t k_cpu = pprof_string(b, "cpu"), k_comm = pprof_string(b, "comm");
	int64_t k_thread = pprof_string(b, "thread");
	struct ptr_map names = { 0 };
	uint64_t *stack = NULL;
	size_t cap = 0;
	int rc = 0;

	if (!vals || k_pid < 0 || k_tid < 0 || k_cpu < 0 || k_comm < 0 || k_thread < 0) {
		free(vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->nr_samples && !rc; i++) {
		const struct profile_sample *s = &p->samples[i];
		struct pprof_label_ids lab[5];
		size_t nl = 0;
		uint64_t n = 0;
		int64_t str;

		for (size_t e = 0; e < p->nr_events; e++) {
			n = profile_sat_add(n, s->values[2 * e]);
			vals[e + 1] = s->values[2 * e + 1] > INT64_MAX ? INT64_MAX
								      : (int64_t)s->values[2 * e + 1];
		}
		vals[0] = n > INT64_MAX ? INT64_MAX : (int64_t)n;
		if (grow_array(&stack, &cap, s->nr_locs, sizeof(*stack))) {
			rc = -ENOMEM;
			break;
		}
		for (uint32_t j = 0; j < s->nr_locs; j++)
			stack[j] = loc_ids[s->locs[j]];
		/* numbers carry their key as unit: pprof drops a numeric label
		 * that is 0 without a unit, and cpu 0 and pid 0 are real */
		if (o->labels & PROFILE_KEY_PID)
			lab[nl++] = (struct pprof_label_ids){ k_pid, 0, s->pid, k_pid };
		if (o->labels & PROFILE_KEY_TID)
			lab[nl++] = (struct pprof_label_ids){ k_tid, 0, s->tid, k_tid };
		if ((o->labels & PROFILE_KEY_CPU) && s->cpu >= 0)
			lab[nl++] = (struct pprof_label_ids){ k_cpu, 0, s->cpu, k_cpu };
		if ((o->labels & PROFILE_KEY_COMM) && s->comm && *s->comm) {
			str = ptr_map_string(&names, b, s->comm);
			if (str < 0) {
				rc = -errno;
				break;
			}
			lab[nl++] = (struct pprof_label_ids){ k_comm, str, 0, 0 };
		}
		if ((o->labels & PROFILE_KEY_THREAD) && s->thread && *s->thread) {
			str = ptr_map_string(&names, b, s->thread);
			if (str < 0) {
				rc = -errno;
				break;
			}
			lab[nl++] = (struct pprof_label_ids){ k_thread, str, 0, 0 };
		}
		rc = pprof_add_sample_ids(b, stack, s->nr_locs, vals, nv, lab, nl);
	}
	ptr_map_fini(&names);
	free(stack);
	free(vals);
	return rc;
}

int convert_profile(const struct profile *p, const struct convert_options *o,
		    struct pprof_builder *b, char *err, size_t errlen)
{
	struct types t = { 0 };
	uint64_t *map_ids = NULL, *loc_ids = NULL;
	int rc;

	rc = types_init(&t, p);
	if (rc)
		goto fail;
	rc = set_types(b, p, &t, o, err, errlen);
	if (rc)
		goto out; /* err is set */
	rc = set_comments(b, p, o);
	if (rc)
		goto fail;
	pprof_set_time(b, p->meta.start_realtime_ns > INT64_MAX ? 0 : (int64_t)p->meta.start_realtime_ns,
		       p->meta.duration_ns > INT64_MAX ? 0 : (int64_t)p->meta.duration_ns);
	map_ids = calloc(p->nr_mappings + 1, sizeof(*map_ids));
	loc_ids = calloc(p->nr_locations + 1, sizeof(*loc_ids));
	if (!map_ids || !loc_ids) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = add_mappings(b, p, map_ids);
	if (!rc)
		rc = add_locations(b, p, map_ids, loc_ids);
	if (!rc)
		rc = add_samples(b, p, o, loc_ids);
	if (!rc)
		goto out;
fail:
	snprintf(err, errlen, "cannot build the profile: %s", strerror(-rc));
out:
	free(loc_ids);
	free(map_ids);
	types_fini(&t);
	return rc;
}
