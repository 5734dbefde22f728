/* A pprof validity checker: gunzips and unpacks a profile with protobuf-c and
 * checks the rules readers enforce (DESIGN §3). Built as the program
 * tests/unit/pprof-check (with PPROF_CHECK_MAIN) for the end-to-end tests and
 * included by test-pprof.c.
 *
 * usage: pprof-check [--dump] FILE.pb.gz
 * Prints "ok: ..." and exits 0 for a valid profile, prints each problem and
 * exits 1 otherwise, 2 when the file cannot be read or unpacked. --dump also
 * prints the profile's tables, one fact per line, for tests to grep. */
#include "config.h"

#include "pprof.h"
#include "profile.pb-c.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef Perftools__Profiles__Profile pb_profile;

/* Reads and unpacks a gzipped profile. Release: pb_profile_free. */
/* (not every includer uses every function) */
__attribute__((unused)) static pb_profile *pb_profile_read(const char *path, const char **why)
{
	char *gz = NULL;
	void *raw = NULL;
	size_t gz_len, raw_len;
	pb_profile *p;
	int err;

	err = read_file(path, (size_t)1 << 31, &gz, &gz_len);
	if (err) {
		*why = strerror(-err);
		return NULL;
	}
	err = pprof_gunzip(gz, gz_len, (size_t)1 << 32, &raw, &raw_len);
	free(gz);
	if (err) {
		*why = "not gzip data";
		return NULL;
	}
	p = perftools__profiles__profile__unpack(NULL, raw_len, raw);
	free(raw);
	if (!p)
		*why = "protobuf-c cannot unpack it";
	return p;
}

static void pb_profile_free(pb_profile *p)
{
	if (p)
		perftools__profiles__profile__free_unpacked(p, NULL);
}

struct id_set {
	uint64_t *v;
	size_t nr, cap;
};

/* Sorts the ids; returns the number of zero or repeated ids. */
static size_t id_set_seal(struct id_set *s)
{
	size_t bad = 0;

	qsort(s->v, s->nr, sizeof(*s->v), cmp_u64);
	for (size_t i = 0; i < s->nr; i++)
		if (!s->v[i] || (i && s->v[i] == s->v[i - 1]))
			bad++;
	return bad;
}

static bool id_set_has(const struct id_set *s, uint64_t id)
{
	return id && bsearch(&id, s->v, s->nr, sizeof(id), cmp_u64);
}

/* The mapping with this id: ids are usually dense (id = index + 1). */
static const Perftools__Profiles__Mapping *find_mapping(const pb_profile *p, uint64_t id)
{
	if (id && id <= p->n_mapping && p->mapping[id - 1]->id == id)
		return p->mapping[id - 1];
	for (size_t i = 0; i < p->n_mapping; i++)
		if (p->mapping[i]->id == id)
			return p->mapping[i];
	return NULL;
}

static int pb_problems;

PRINTF_LIKE(1, 2) static void problem(const char *fmt, ...)
{
	va_list ap;

	if (pb_problems++ >= 20)
		return;
	fputs("invalid: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

#define STR_OK(p, i) ((i) >= 0 && (size_t)(i) < (p)->n_string_table)
#define CHECK_STR_IDX(p, i, what)                                                    \
	do {                                                                         \
		if (!STR_OK(p, i))                                                   \
			problem("%s: string index %lld out of range", what, (long long)(i)); \
	} while (0)

/* Checks a profile; returns the number of problems found (printed). */
static int pb_profile_check(const pb_profile *p)
{
	struct id_set maps = { 0 }, locs = { 0 }, funcs = { 0 };
	size_t bad;

	pb_problems = 0;
	if (!p->n_string_table || strcmp(p->string_table[0], ""))
		problem("string 0 is not \"\"");
	if (!p->n_sample_type)
		problem("no sample type");
	for (size_t i = 0; i < p->n_sample_type; i++) {
		CHECK_STR_IDX(p, p->sample_type[i]->type, "sample_type.type");
		CHECK_STR_IDX(p, p->sample_type[i]->unit, "sample_type.unit");
	}
	if (p->period_type) {
		CHECK_STR_IDX(p, p->period_type->type, "period_type.type");
		CHECK_STR_IDX(p, p->period_type->unit, "period_type.unit");
	}
	for (size_t i = 0; i < p->n_comment; i++)
		CHECK_STR_IDX(p, p->comment[i], "comment");
	CHECK_STR_IDX(p, p->drop_frames, "drop_frames");
	CHECK_STR_IDX(p, p->keep_frames, "keep_frames");
	CHECK_STR_IDX(p, p->doc_url, "doc_url");
	if (p->default_sample_type) {
		bool found = false;

		for (size_t i = 0; i < p->n_sample_type; i++)
			found |= p->sample_type[i]->type == p->default_sample_type;
		if (!found)
			problem("default_sample_type names no sample type");
	}
	for (size_t i = 0; i < p->n_mapping; i++) {
		const Perftools__Profiles__Mapping *m = p->mapping[i];

		if (grow_array(&maps.v, &maps.cap, maps.nr + 1, sizeof(*maps.v)))
			abort();
		maps.v[maps.nr++] = m->id;
		CHECK_STR_IDX(p, m->filename, "mapping.filename");
		CHECK_STR_IDX(p, m->build_id, "mapping.build_id");
		if (m->memory_limit < m->memory_start)
			problem("mapping %llu: limit below start", (unsigned long long)m->id);
	}
	for (size_t i = 0; i < p->n_function; i++) {
		const Perftools__Profiles__Function *f = p->function[i];

		if (grow_array(&funcs.v, &funcs.cap, funcs.nr + 1, sizeof(*funcs.v)))
			abort();
		funcs.v[funcs.nr++] = f->id;
		CHECK_STR_IDX(p, f->name, "function.name");
		CHECK_STR_IDX(p, f->system_name, "function.system_name");
		CHECK_STR_IDX(p, f->filename, "function.filename");
	}
	for (size_t i = 0; i < p->n_location; i++) {
		if (grow_array(&locs.v, &locs.cap, locs.nr + 1, sizeof(*locs.v)))
			abort();
		locs.v[locs.nr++] = p->location[i]->id;
	}
	if ((bad = id_set_seal(&maps)))
		problem("%zu mapping ids are zero or repeated", bad);
	if ((bad = id_set_seal(&funcs)))
		problem("%zu function ids are zero or repeated", bad);
	if ((bad = id_set_seal(&locs)))
		problem("%zu location ids are zero or repeated", bad);
	for (size_t i = 0; i < p->n_location; i++) {
		const Perftools__Profiles__Location *l = p->location[i];

		if (l->mapping_id && !id_set_has(&maps, l->mapping_id))
			problem("location %llu: no mapping %llu", (unsigned long long)l->id,
				(unsigned long long)l->mapping_id);
		if (l->mapping_id && l->address) {
			const Perftools__Profiles__Mapping *m = find_mapping(p, l->mapping_id);

			if (m && (l->address < m->memory_start || l->address >= m->memory_limit))
				problem("location %llu: address 0x%llx outside mapping %llu",
					(unsigned long long)l->id, (unsigned long long)l->address,
					(unsigned long long)m->id);
		}
		for (size_t j = 0; j < l->n_line; j++)
			if (!id_set_has(&funcs, l->line[j]->function_id))
				problem("location %llu: line %zu names no function",
					(unsigned long long)l->id, j);
	}
	for (size_t i = 0; i < p->n_sample; i++) {
		const Perftools__Profiles__Sample *s = p->sample[i];

		if (s->n_value != p->n_sample_type)
			problem("sample %zu: %zu values for %zu sample types", i, s->n_value,
				p->n_sample_type);
		for (size_t j = 0; j < s->n_location_id; j++)
			if (!id_set_has(&locs, s->location_id[j]))
				problem("sample %zu: no location %llu", i,
					(unsigned long long)s->location_id[j]);
		for (size_t j = 0; j < s->n_label; j++) {
			const Perftools__Profiles__Label *l = s->label[j];

			CHECK_STR_IDX(p, l->key, "label.key");
			CHECK_STR_IDX(p, l->str, "label.str");
			CHECK_STR_IDX(p, l->num_unit, "label.num_unit");
			if (!l->key)
				problem("sample %zu: label without a key", i);
			if (l->str && (l->num || l->num_unit))
				problem("sample %zu: label both string and number", i);
		}
	}
	free(maps.v);
	free(funcs.v);
	free(locs.v);
	return pb_problems;
}

static const char *pb_str(const pb_profile *p, int64_t i)
{
	return STR_OK(p, i) ? p->string_table[i] : "?";
}

/* One fact per line: "sample_type cpu nanoseconds", "mapping 1 ...", ... */
__attribute__((unused)) static void pb_profile_dump(const pb_profile *p, FILE *f)
{
	for (size_t i = 0; i < p->n_sample_type; i++)
		fprintf(f, "sample_type %s %s\n", pb_str(p, p->sample_type[i]->type),
			pb_str(p, p->sample_type[i]->unit));
	if (p->default_sample_type)
		fprintf(f, "default_sample_type %s\n", pb_str(p, p->default_sample_type));
	if (p->period_type)
		fprintf(f, "period_type %s %s\n", pb_str(p, p->period_type->type),
			pb_str(p, p->period_type->unit));
	fprintf(f, "period %lld\n", (long long)p->period);
	fprintf(f, "time_nanos %lld\nduration_nanos %lld\n", (long long)p->time_nanos,
		(long long)p->duration_nanos);
	for (size_t i = 0; i < p->n_comment; i++)
		fprintf(f, "comment %s\n", pb_str(p, p->comment[i]));
	for (size_t i = 0; i < p->n_mapping; i++) {
		const Perftools__Profiles__Mapping *m = p->mapping[i];

		fprintf(f, "mapping %llu 0x%llx-0x%llx off=0x%llx file=%s build_id=%s flags=%s%s%s%s\n",
			(unsigned long long)m->id, (unsigned long long)m->memory_start,
			(unsigned long long)m->memory_limit, (unsigned long long)m->file_offset,
			pb_str(p, m->filename), pb_str(p, m->build_id),
			m->has_functions ? "F" : "-", m->has_filenames ? "S" : "-",
			m->has_line_numbers ? "L" : "-", m->has_inline_frames ? "I" : "-");
	}
	for (size_t i = 0; i < p->n_function; i++) {
		const Perftools__Profiles__Function *fn = p->function[i];

		fprintf(f, "function %llu name=%s system_name=%s file=%s start_line=%lld\n",
			(unsigned long long)fn->id, pb_str(p, fn->name),
			pb_str(p, fn->system_name), pb_str(p, fn->filename),
			(long long)fn->start_line);
	}
	for (size_t i = 0; i < p->n_location; i++) {
		const Perftools__Profiles__Location *l = p->location[i];

		fprintf(f, "location %llu mapping=%llu address=0x%llx lines=",
			(unsigned long long)l->id, (unsigned long long)l->mapping_id,
			(unsigned long long)l->address);
		for (size_t j = 0; j < l->n_line; j++)
			fprintf(f, "%s%llu:%lld", j ? "," : "",
				(unsigned long long)l->line[j]->function_id,
				(long long)l->line[j]->line);
		fputc('\n', f);
	}
	for (size_t i = 0; i < p->n_sample; i++) {
		const Perftools__Profiles__Sample *s = p->sample[i];

		fputs("sample values=", f);
		for (size_t j = 0; j < s->n_value; j++)
			fprintf(f, "%s%lld", j ? "," : "", (long long)s->value[j]);
		fputs(" locations=", f);
		for (size_t j = 0; j < s->n_location_id; j++)
			fprintf(f, "%s%llu", j ? "," : "", (unsigned long long)s->location_id[j]);
		fputs(" labels=", f);
		for (size_t j = 0; j < s->n_label; j++) {
			const Perftools__Profiles__Label *l = s->label[j];

			if (l->str)
				fprintf(f, "%s%s:%s", j ? "," : "", pb_str(p, l->key), pb_str(p, l->str));
			else
				fprintf(f, "%s%s=%lld%s", j ? "," : "", pb_str(p, l->key),
					(long long)l->num, pb_str(p, l->num_unit));
		}
		fputc('\n', f);
	}
}

#ifdef PPROF_CHECK_MAIN
int main(int argc, char **argv)
{
	bool dump = argc == 3 && !strcmp(argv[1], "--dump");
	const char *why = "", *path;
	pb_profile *p;
	int n;

	if (argc != 2 && !dump) {
		fprintf(stderr, "usage: pprof-check [--dump] FILE.pb.gz\n");
		return 2;
	}
	path = argv[argc - 1];
	p = pb_profile_read(path, &why);
	if (!p) {
		printf("invalid: %s: %s\n", path, why);
		return 2;
	}
	n = pb_profile_check(p);
	if (dump)
		pb_profile_dump(p, stdout);
	if (!n)
		printf("ok: %zu samples, %zu locations, %zu functions, %zu mappings, %zu strings\n",
		       p->n_sample, p->n_location, p->n_function, p->n_mapping, p->n_string_table);
	pb_profile_free(p);
	return n ? 1 : 0;
}
#endif
