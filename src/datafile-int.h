/* The perf.data layout shared by the reader and the writer (not an API). */
#ifndef CPERF_DATAFILE_INT_H
#define CPERF_DATAFILE_INT_H

#include <stddef.h>
#include <stdint.h>

/* "PERFILE2" read as a little-endian u64. */
#define DF_MAGIC 0x32454c4946524550ULL
/* "PERFFILE": the version 1 format. */
#define DF_MAGIC_V1 0x454c494646524550ULL

/* perf's feature bits (perf.data-file-format). */
enum {
	DF_FEAT_TRACING_DATA = 1,
	DF_FEAT_BUILD_ID = 2,
	DF_FEAT_HOSTNAME = 3,
	DF_FEAT_OSRELEASE = 4,
	DF_FEAT_VERSION = 5,
	DF_FEAT_ARCH = 6,
	DF_FEAT_NRCPUS = 7,
	DF_FEAT_CPUDESC = 8,
	DF_FEAT_CPUID = 9,
	DF_FEAT_TOTAL_MEM = 10,
	DF_FEAT_CMDLINE = 11,
	DF_FEAT_EVENT_DESC = 12,
	DF_FEAT_COMPRESSED = 27,
	DF_FEAT_BITS = 256,
};

struct df_section {
	uint64_t offset;
	uint64_t size;
};

/* The file-mode header; the pipe-mode header is its first two fields. */
struct df_file_header {
	uint64_t magic;
	uint64_t size;
	uint64_t attr_size;
	struct df_section attrs;
	struct df_section data;
	struct df_section event_types;
	uint64_t features[DF_FEAT_BITS / 64];
};
#define DF_PIPE_HEADER_SIZE 16
/* Where data.size sits in the header: rewritten after each flush. */
#define DF_DATA_SIZE_OFFSET 48

/* perf pads header strings to this (do_write_string). */
#define DF_NAME_ALIGN 64
/* build_id_event: header, s32 pid, u8 build_id[24] (with
 * PERF_RECORD_MISC_BUILD_ID_SIZE, build_id[20] holds the id's length). */
#define DF_BUILD_ID_FIXED 36
#define DF_MISC_BUILD_ID_SIZE (1 << 15)

/* cperf's own section: "CPERFKV1", u32 version, u32 flags, u64 raw size,
 * u64 stored size, then the stored bytes (zlib when DF_KV_ZLIB). The raw
 * bytes are entries: u32 key length, u64 value length, key, value. */
#define DF_KV_MAGIC "CPERFKV1"
#define DF_KV_HEADER 32
#define DF_KV_ZLIB 1u
#define DF_KV_MAX_RAW (1ULL << 30)
/* How the kallsyms snapshot is stored: lines sorted by address, each
 * address the hex difference from the previous line's. The reader turns it
 * back into DF_KEY_KALLSYMS in /proc/kallsyms format. */
#define DF_KV_KALLSYMS_DELTA "kallsyms_delta"

/* Pipe mode carries cperf's section in PERF_RECORD_HEADER_EVENT_TYPE records
 * (65), one slice each: the header, then the section as above (it starts
 * with DF_KV_MAGIC), zeros up to a multiple of 8 and to at least
 * DF_PIPE_FACTS_MIN bytes in all. perf's session code skips that record
 * type unread (deprecated, "old data files created in pipe mode") and newer
 * perf checks only that it holds a perf_trace_event_type (u64 id, char
 * name[64]): 80 bytes. A HEADER_FEATURE record (80) with a feature id perf
 * does not know stops perf report ("wrong feature ID"); earlier cperf wrote
 * its facts that way, and the reader still takes them. */
#define DF_PIPE_FACTS_MIN 80

/* PERF_RECORD_EVENT_UPDATE types. */
#define DF_EVENT_UPDATE_NAME 2

#define DF_ALIGN(x, a) (((x) + (a)-1) / (a) * (a))
/* A fact (a key and its text) as the reader and the writer keep them. */
struct df_fact {
	char *key;
	char *value;
	size_t len;
};

/* Sets the fact named key (klen bytes) in the array (*facts)[0..*nr) to
 * value (malloc'd, len bytes, NUL-terminated), replacing its old value or
 * appending it. Takes value: it is freed on failure. 0 or -ENOMEM. */
int df_fact_set(struct df_fact **facts, size_t *nr, size_t *cap, const char *key, size_t klen,
		char *value, size_t len);

#endif
