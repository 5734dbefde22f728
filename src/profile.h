/* The profile model shared by `cperf report` and `cperf convert`: a recording
 * read once, its samples aggregated by stack and keys, each unique address
 * resolved to a mapping and symbolized once (DESIGN §1). */
#ifndef CPERF_PROFILE_H
#define CPERF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* No mapping: an address that fell in no known mapping (kept, not dropped). */
#define PROFILE_NO_MAPPING UINT32_MAX

enum profile_unit {
	PROFILE_UNIT_COUNT = 0,       /* "count": hardware events, tracepoints, ... */
	PROFILE_UNIT_NANOSECONDS = 1, /* "nanoseconds": cpu-clock, task-clock */
};

/* One event of the recording. Values per event come as (samples, period sum). */
struct profile_event {
	const char *name;         /* "cpu-clock", "cycles", "sched:sched_switch" */
	uint32_t attr_type;       /* perf_event_attr.type */
	uint64_t attr_config;     /* perf_event_attr.config */
	uint64_t sample_period;   /* attr.sample_period, or 0 in frequency mode */
	uint64_t sample_freq;     /* attr.sample_freq in frequency mode, else 0 */
	enum profile_unit unit;
	bool fallback;            /* recorded instead of the event asked for */
	const char *fallback_from; /* the event asked for, or NULL */
};

/* One frame of a location's inline chain. */
struct profile_line {
	const char *function;     /* demangled name ("" when unknown) */
	const char *system_name;  /* raw (mangled) name ("" when unknown) */
	const char *file;         /* source file of this line ("" when unknown) */
	uint32_t line;            /* 0 when unknown */
	uint32_t column;          /* 0 when unknown */
	uint32_t start_line;      /* the function's first line, 0 when unknown */
	const char *function_file; /* the file declaring the function */
};

struct profile_mapping {
	uint64_t start, limit;    /* [start, limit) in the process's address space */
	uint64_t file_offset;     /* file offset of start (pgoff) */
	const char *path;         /* "[kernel.kallsyms]", "[vdso]", "/usr/lib/..." */
	const char *build_id;     /* lowercase hex, "" when unknown */
	bool kernel;              /* the kernel or a kernel module */
	bool has_functions, has_filenames, has_line_numbers, has_inline_frames;
};

/* One unique (mapping, address). */
struct profile_location {
	uint32_t mapping;         /* index in profile.mappings or PROFILE_NO_MAPPING */
	uint64_t address;         /* the runtime address as sampled */
	uint64_t file_offset;     /* address - start + pgoff (0 without mapping) */
	bool resolved;            /* a function was found */
	bool kernel;              /* a kernel frame */
	uint32_t nr_lines;        /* >= 1: unresolved frames get one synthetic line
				   * "object+0xOFF" or "[unknown] 0xADDR" as function */
	const struct profile_line *lines; /* innermost inlined first, physical last */
};

/* One aggregated sample: identical stacks with identical keys merged. */
struct profile_sample {
	uint32_t pid, tid;        /* 0 when not a key (options.keys) */
	int32_t cpu;              /* -1 when not a key or not recorded */
	const char *comm;         /* process name at sample time ("" when not a key) */
	const char *thread;       /* thread name ("" when not a key) */
	/* 2 values per event: values[2*e] = samples, values[2*e+1] = sum of periods
	 * (held at UINT64_MAX) */
	const uint64_t *values;
	uint32_t nr_locs;
	const uint32_t *locs;     /* location indices, leaf first */
};

struct profile_meta {
	uint64_t nr_samples;      /* sample records kept (after filters) */
	uint64_t nr_filtered;     /* sample records left out by filters */
	uint64_t nr_bad_records;  /* malformed records skipped */
	uint64_t lost;            /* samples the kernel reported lost */
	uint64_t throttled;       /* THROTTLE records */
	uint64_t time_first, time_last; /* perf clock ns of the first/last sample (0 = none) */
	uint64_t start_realtime_ns; /* wall clock at recording start, 0 when unknown */
	uint64_t duration_ns;     /* time_last - time_first, or the file's own when known */
	const char *cmdline;      /* the recording's command line, NULL when unknown */
	const char *osrelease;    /* kernel release when recorded, NULL when unknown */
	const char *hostname;     /* NULL when unknown */
	const char *fallback_note; /* e.g. "cycles not supported, recorded cpu-clock", or NULL */
	const char *truncated_note; /* set when the file ended inside a record */
	const char *kallsyms_note; /* set when kernel symbols came from the live system or none */
	/* frames of kept samples (weighted by sample count) */
	uint64_t frames_total;
	uint64_t frames_unresolved; /* kept as object+0xOFF or [unknown] */
	uint64_t frames_dropped;    /* junk addresses in no mapping (PITFALLS) */
	uint64_t unwind_samples;    /* --call-graph dwarf samples whose user stack
				     * was unwound from its copy */
	uint64_t unwind_failed;     /* ... ending in an [unwind failed] frame (no
				     * mapping, no CFI or an unreadable value) */
	uint64_t unwind_truncated;  /* ... ending in a [truncated] frame: the copy
				     * ended first */
	bool has_callchains;
	bool pipe_mode;
};

/* Aggregation keys (profile_options.keys): which of a sample's identities
 * keep samples apart. Those not set are 0 / -1 / "" in profile_sample. */
enum {
	PROFILE_KEY_PID = 1 << 0,
	PROFILE_KEY_TID = 1 << 1,
	PROFILE_KEY_CPU = 1 << 2,
	PROFILE_KEY_COMM = 1 << 3,
	PROFILE_KEY_THREAD = 1 << 4,
	PROFILE_KEYS_ALL = 0x1f,
};

struct profile_options {
	/* filters; an empty list means "all" */
	struct int_list pids, tids, cpus;
	const char *const *comms;  /* exact process or thread names */
	size_t nr_comms;
	const char *const *dsos;   /* exact path or basename of the sampled object */
	size_t nr_dsos;
	unsigned keys;             /* PROFILE_KEY_* */
	bool no_inline;            /* one line per location (the physical function) */
	bool no_kernel;            /* drop kernel frames (samples in the kernel keep
				    * their user part; all-kernel stacks become "[kernel]") */
	bool no_symbolize;         /* addresses only (object+0xOFF) */
	const char *kallsyms;      /* a kallsyms file to use instead of the recording's */
	const char *debug_dirs;    /* ':'-separated roots searched for debug files
				    * (DIR/.build-id/xx/rest.debug) before /usr/lib/debug */
};

struct profile {
	struct profile_event *events;
	size_t nr_events;
	struct profile_mapping *mappings;
	size_t nr_mappings;
	struct profile_location *locations;
	size_t nr_locations;
	struct profile_sample *samples;
	size_t nr_samples;
	struct profile_meta meta;
	void *priv;               /* arena and tables: profile_free() releases */
};

/* Reads the recording at path ("-" for stdin; perf.data file or pipe mode,
 * cperf's or perf's), aggregates and symbolizes it. Returns 0 and *out
 * (release: profile_free), or -errno with a one-line lowercase message in
 * err (subject quoted, no "cperf report:" prefix). */
int profile_load(const char *path, const struct profile_options *o, struct profile **out,
		 char *err, size_t errlen);
void profile_free(struct profile *p);

/* Building a profile by hand (tests, other readers). Strings are copied into
 * the profile. Each returns the new index, or -ENOMEM. */
struct profile *profile_new(void); /* release: profile_free; NULL + errno */
const char *profile_intern(struct profile *p, const char *s);
int profile_add_event(struct profile *p, const struct profile_event *e);
int profile_add_mapping(struct profile *p, const struct profile_mapping *m);
/* lines are copied; nr_lines 0 makes an unresolved location. */
int profile_add_location(struct profile *p, const struct profile_location *l);
/* values has 2 * nr_events entries; locs nr_locs entries, leaf first. */
int profile_add_sample(struct profile *p, const struct profile_sample *s);

/* Sum of values[idx] over all samples (idx = 2*event for counts,
 * 2*event+1 for periods), held at UINT64_MAX. */
uint64_t profile_total(const struct profile *p, size_t idx);

/* a + b held at UINT64_MAX: the model's sums of values never wrap (a
 * recording may carry periods near the top of the u64 range). */
static inline uint64_t profile_sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* The display name of a frame: the function, or for unresolved frames the
 * synthetic "object+0xOFF" / "[unknown]". Never NULL. */
static inline const char *profile_line_name(const struct profile_line *l)
{
	return l->function && l->function[0] ? l->function : "[unknown]";
}
#endif
