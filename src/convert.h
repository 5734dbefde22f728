/* The bridge from a loaded recording (profile.h) to a pprof profile
 * (proto/pprof.h): what `cperf convert` and `cperf record -o OUT.pb.gz` run. */
#ifndef CPERF_CONVERT_H
#define CPERF_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pprof.h"
#include "profile.h"

struct convert_options {
	/* PROFILE_KEY_* bits: which of pid, tid, cpu, comm, thread become
	 * sample labels (and keep samples apart). Default PROFILE_KEYS_ALL. */
	unsigned labels;
	/* The sample type pprof shows by default, by type name ("samples",
	 * "cpu", an event name such as "cycles"); NULL: the first event's. */
	const char *sample_type;
	int level;               /* gzip level 1-9; 0: zlib's default (6) */
	bool no_inline;          /* one line per location, no inline frames */
	bool no_kernel;          /* leave kernel frames out */
	const char *kallsyms;    /* kernel symbols from this file instead */
	/* extra comment lines for the profile (e.g. from cperf record) */
	const char *const *comments;
	size_t nr_comments;
};

/* labels = all, everything else off. */
void convert_options_init(struct convert_options *o);

/* What a conversion produced. */
struct convert_stats {
	uint64_t records;        /* sample records read */
	size_t samples;          /* pprof samples written (unique stack + labels) */
	size_t locations, functions, mappings;
	uint64_t bytes;          /* size of the gzipped output (0 for a pipe) */
	uint64_t load_ns, build_ns, write_ns;
	/* what the user should hear about, "" when nothing: the recording was
	 * cut short; kernel symbols were not in the recording */
	char warning[256];
	char note[256];
};

/* Adds the profile p to the empty builder b. 0, or -errno with a one-line
 * lowercase message in err (e.g. an unknown sample type). */
int convert_profile(const struct profile *p, const struct convert_options *o,
		    struct pprof_builder *b, char *err, size_t errlen);

/* Reads the recording in_path (perf.data format, cperf's or perf's; "-" for
 * stdin), symbolizes it and writes a gzipped pprof profile to out_path ("-"
 * for stdout), created with mode 0600 and renamed into place when complete.
 * st may be NULL. 0, or -errno with a one-line lowercase message in err
 * (subject quoted, no "cperf convert:" prefix). */
int convert_to_pprof(const char *in_path, const char *out_path, const struct convert_options *o,
		     struct convert_stats *st, char *err, size_t errlen);

/* The default output name for an input: "perf.data" -> "perf.pb.gz",
 * "x.data" -> "x.pb.gz", "run1" -> "run1.pb.gz", "-" -> "-" (stdout).
 * Returns a heap string (free()) or NULL with errno. */
char *convert_default_output(const char *in_path);

/* Parses a comma-separated label list ("pid,tid,cpu,comm,thread", "all",
 * "none") into PROFILE_KEY_* bits. 0 or -EINVAL (*bad names the word). */
int convert_parse_labels(const char *list, unsigned *out, char *bad, size_t badlen);
#endif
