/* proto: builds a pprof profile (profile.proto) in memory, deduplicating
 * strings, mappings, functions, locations and samples, and writes it
 * gzip-compressed. Speaks only neutral types: addresses, names, numbers.
 *
 * Ids returned by the builder are the profile's ids: unique, non-zero and
 * dense (1, 2, 3, ...). A function returning an id returns 0 on failure and
 * sets errno (EINVAL for an argument that would break the profile, ENOMEM).
 * Strings passed in are copied; invalid UTF-8 is replaced by U+FFFD so that
 * strict protobuf readers accept the profile. */
#ifndef CPERF_PPROF_H
#define CPERF_PPROF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pprof_builder;

/* One line of a location: a function (id from pprof_function) and its
 * source line (0 when unknown) and column (0 when unknown). */
struct pprof_line {
	uint64_t function_id;
	int64_t line;
	int64_t column;
};

/* A sample label: key with either a string value (str != NULL) or a number
 * (num, with an optional unit such as "bytes"; NULL for none). pprof drops a
 * numeric label whose num is 0 and that has no unit: give a unit (such as
 * the key itself) where 0 is a real value (cpu 0, pid 0). */
struct pprof_label {
	const char *key;
	const char *str;
	int64_t num;
	const char *num_unit;
};

/* A new, empty profile (string 0 is ""). NULL with errno on failure.
 * Release: pprof_builder_free. */
struct pprof_builder *pprof_builder_new(void);
void pprof_builder_free(struct pprof_builder *b);

/* Interns s (NULL means "") and returns its index in the string table, or
 * -1 with errno ENOMEM. */
int64_t pprof_string(struct pprof_builder *b, const char *s);

/* Appends a sample type ("samples", "count"). Only before the first sample:
 * -EBUSY afterwards. 0 or -errno. */
int pprof_add_sample_type(struct pprof_builder *b, const char *type, const char *unit);
size_t pprof_nr_sample_types(const struct pprof_builder *b);
/* period_type = (type, unit) and period. 0 or -errno. */
int pprof_set_period(struct pprof_builder *b, const char *type, const char *unit, int64_t period);
/* The sample type shown by default: type must name one added with
 * pprof_add_sample_type (-ENOENT otherwise). 0 or -errno. */
int pprof_set_default_sample_type(struct pprof_builder *b, const char *type);
/* Appends a comment line. 0 or -errno. */
int pprof_add_comment(struct pprof_builder *b, const char *text);
/* Start of collection (ns since the epoch) and its duration in ns. */
void pprof_set_time(struct pprof_builder *b, int64_t time_nanos, int64_t duration_nanos);
/* An absolute URL documenting the profile. 0 or -errno. */
int pprof_set_doc_url(struct pprof_builder *b, const char *url);

/* A mapping [start, limit) loaded from file_offset of filename (may be
 * NULL), with build_id as hex text (NULL or "" when unknown). Identical
 * mappings (all fields equal) share one id; has_* of a repeated mapping are
 * OR-ed in. Returns the id, or 0 with errno. */
uint64_t pprof_mapping(struct pprof_builder *b, uint64_t start, uint64_t limit,
		       uint64_t file_offset, const char *filename, const char *build_id_hex,
		       bool has_functions, bool has_filenames, bool has_line_numbers,
		       bool has_inline_frames);

/* A function: readable name, raw linker name (NULL: same as name), source
 * file (NULL: unknown) and first line (0: unknown). Deduplicated on all four.
 * Returns the id, or 0 with errno. */
uint64_t pprof_function(struct pprof_builder *b, const char *name, const char *system_name,
			const char *filename, int64_t start_line);

/* A location at address in mapping mapping_id (0: none) with nr lines,
 * innermost inlined function first and the physical function last (nr 0:
 * an address-only location). Deduplicated by (mapping_id, address): the lines
 * of the first call win. Returns the id, or 0 with errno (EINVAL for an
 * unknown mapping or function id). */
uint64_t pprof_location(struct pprof_builder *b, uint64_t mapping_id, uint64_t address,
			const struct pprof_line *lines, size_t nr);

/* Adds a sample: nr location ids, leaf first; exactly one value per sample
 * type (-EINVAL otherwise, and for unknown location ids); labels as given.
 * Samples with the same stack and the same labels are merged by summing
 * their values, as pprof itself does (a sum saturates at INT64_MAX or
 * INT64_MIN). 0 or -errno. */
int pprof_add_sample(struct pprof_builder *b, const uint64_t *location_ids, size_t nr,
		     const int64_t *values, size_t nvalues, const struct pprof_label *labels,
		     size_t nlabels);

/* The same with labels given as string-table indices (from pprof_string),
 * for callers that add many samples with few distinct label strings: no
 * string is hashed per sample. key must be non-zero; str and num/num_unit
 * exclusive; every index must exist (-EINVAL otherwise). */
struct pprof_label_ids {
	int64_t key, str, num, num_unit;
};
int pprof_add_sample_ids(struct pprof_builder *b, const uint64_t *location_ids, size_t nr,
			 const int64_t *values, size_t nvalues,
			 const struct pprof_label_ids *labels, size_t nlabels);

/* Counts, for statistics and tests. */
struct pprof_stats {
	size_t strings, mappings, functions, locations, samples;
	size_t samples_added; /* pprof_add_sample calls that succeeded */
};
void pprof_get_stats(const struct pprof_builder *b, struct pprof_stats *st);

/* Serializes the profile (protobuf-c), gzip-compresses it (zlib) and writes
 * it. pprof_write_gz creates path with mode 0600 (profiles can reveal
 * command lines, paths and function names: not world-readable) through a
 * temporary file in the same directory renamed into place, so a failed
 * write leaves no partial file and a symlink planted at path is replaced,
 * never followed; a path naming something else than a regular file (a FIFO,
 * /dev/null) is opened without following symlinks and written in place.
 * level is the zlib level (1-9; 0 or negative: the default, 6).
 * 0 or -errno. */
int pprof_write_gz(const struct pprof_builder *b, const char *path, int level);
/* The same to an open descriptor (stdout); the descriptor stays open. */
int pprof_write_gz_fd(const struct pprof_builder *b, int fd, int level);
/* The serialized, uncompressed profile in *out (free()). 0 or -errno. */
int pprof_serialize(const struct pprof_builder *b, void **out, size_t *len);

/* gzip-compresses data into *out (free()). Returns 0 or -errno. */
int pprof_gzip(const void *data, size_t len, void **out, size_t *out_len);
/* Inflates gzip (or zlib) data into *out (free()); at most max bytes of
 * output (-EFBIG beyond). Returns 0 or -errno (-EINVAL: not gzip data). */
int pprof_gunzip(const void *data, size_t len, size_t max, void **out, size_t *out_len);
#endif
