/* proto: the builder's internal tables, shared by the builder and the writer. */
#ifndef CPERF_PPROF_INT_H
#define CPERF_PPROF_INT_H

#include "pprof.h"
#include "util.h"

#include <stdint.h>

/* Open addressing over entity indices: a slot holds (hash32 << 32 | idx + 1),
 * 0 when empty. The hash kept in the slot makes most mismatches cheap and
 * lets the table grow without rehashing the keys. */
struct pprof_htab {
	uint64_t *slots;
	size_t mask; /* capacity - 1; capacity is a power of two */
	size_t nr;
};

struct pprof_str {
	size_t off; /* into pprof_builder.chars, NUL-terminated there */
	uint32_t len;
};

struct pprof_map {
	uint64_t start, limit, offset;
	int64_t filename, build_id;
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};

struct pprof_func {
	int64_t name, system_name, filename, start_line;
};

struct pprof_loc {
	uint64_t mapping_id, address;
	size_t line_off; /* into lines[] */
	uint32_t nr_lines;
};

struct pprof_lab {
	int64_t key, str, num, num_unit;
};

struct pprof_labset {
	size_t off; /* into labs[] */
	uint32_t nr;
};

struct pprof_smp {
	size_t loc_off; /* into locids[] */
	size_t val_off; /* into vals[], nr_types values */
	uint32_t nr_locs;
	uint32_t labset;
};

struct pprof_builder {
	char *chars;
	size_t chars_len, chars_cap;
	struct pprof_str *strs;
	size_t nr_strs, cap_strs;
	struct pprof_htab str_ht;

	int64_t *types; /* pairs (type, unit) */
	size_t nr_types, cap_types;
	int64_t period_type, period_unit, period;
	int64_t *comments;
	size_t nr_comments, cap_comments;
	int64_t time_nanos, duration_nanos, default_type, doc_url;

	struct pprof_map *maps;
	size_t nr_maps, cap_maps;
	struct pprof_htab map_ht;

	struct pprof_func *funcs;
	size_t nr_funcs, cap_funcs;
	struct pprof_htab func_ht;

	struct pprof_loc *locs;
	size_t nr_locs, cap_locs;
	struct pprof_line *lines;
	size_t nr_lines, cap_lines;
	struct pprof_htab loc_ht;

	struct pprof_lab *labs;
	size_t nr_labs, cap_labs;
	struct pprof_labset *labsets;
	size_t nr_labsets, cap_labsets;
	struct pprof_htab labset_ht;
	uint32_t max_labset; /* labels in the largest label set */

	struct pprof_smp *smps;
	size_t nr_smps, cap_smps;
	uint64_t *locids;
	size_t nr_locids, cap_locids;
	int64_t *vals;
	size_t nr_vals, cap_vals;
	struct pprof_htab smp_ht;
	size_t samples_added;

	struct strbuf scratch; /* UTF-8 repair */
};

static inline const char *pprof_str_at(const struct pprof_builder *b, int64_t i)
{
	return b->chars + b->strs[i].off;
}
#endif
