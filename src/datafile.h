/* Reading and writing recordings in the perf.data format (file mode and pipe
 * mode), so that perf's tools read cperf's recordings and cperf reads perf's. */
#ifndef CPERF_DATAFILE_H
#define CPERF_DATAFILE_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One event of a recording: its attr, display name and the kernel ids of its
 * fds (one per CPU/thread it was opened on). Writer input: name may be NULL
 * (written as ""); the writer copies everything. Reader output: name is
 * never NULL ("" when the file names none); owned by the reader. */
struct df_event {
	struct perf_event_attr attr;
	char *name;
	uint64_t *ids;
	size_t nr_ids;
};

/* Host facts stored in perf's standard feature sections. */
enum df_string {
	DF_HOSTNAME, /* HEADER_HOSTNAME, uname -n */
	DF_OSRELEASE, /* HEADER_OSRELEASE, uname -r */
	DF_VERSION, /* HEADER_VERSION: the recorder's version ("cperf 0.1.0") */
	DF_ARCH, /* HEADER_ARCH, uname -m */
	DF_CPUDESC, /* HEADER_CPUDESC, /proc/cpuinfo model name */
	DF_CMDLINE, /* HEADER_CMDLINE; reader: the arguments joined by spaces */
	DF_NR_STRINGS
};

/* Keys of cperf's own section (feature bit DF_FEAT_CPERF). Values are
 * strings; numbers are decimal. Other keys may be stored too. */
#define DF_KEY_CPERF_VERSION "cperf_version"
/* /proc/sys/kernel/kptr_restrict and perf_event_paranoid at start */
#define DF_KEY_KPTR_RESTRICT "kptr_restrict"
#define DF_KEY_PARANOID "perf_event_paranoid"
/* samples written, samples the kernel dropped (LOST), THROTTLE records */
#define DF_KEY_SAMPLES "samples"
#define DF_KEY_LOST "lost"
#define DF_KEY_THROTTLED "throttled"
/* why an event was replaced: "cycles -> cpu-clock: no hardware PMU" */
#define DF_KEY_FALLBACK "fallback"
/* CLOCK_REALTIME and CLOCK_MONOTONIC (the samples' clock) at start, in ns */
#define DF_KEY_START_REALTIME "start_realtime_ns"
#define DF_KEY_START_MONOTONIC "start_monotonic_ns"
#define DF_KEY_DURATION "duration_ns"
/* what was recorded: "system-wide", "pid 123", "command" */
#define DF_KEY_TARGET "target"
/* Set by df_writer_snapshot_kallsyms: /proc/kallsyms lines (text symbols
 * only) and /proc/modules. */
#define DF_KEY_KALLSYMS "kallsyms"
#define DF_KEY_MODULES "modules"

/* The feature bit of cperf's section: above perf's last feature, which perf
 * skips (it still honours its place in the section table). */
#define DF_FEAT_CPERF 200

/* ======================================================================
 * Writer
 * ====================================================================== */
struct df_writer;

/* Creates a recording at path with these events (attrs, names, ids).
 * path "-" writes pipe mode to stdout (fd 1); any other path writes file
 * mode: an existing file is first renamed to path.old (as perf does), then
 * path is created with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600. The header,
 * attrs and ids are on disk when this returns. Returns NULL with *err =
 * -errno (-EINVAL for no events or a bad attr). Release: df_writer_close. */
struct df_writer *df_writer_new(const char *path, const struct df_event *events, size_t nr,
				int *err);

/* Appends whole raw records (one or several back to back, each with its
 * perf_event_header; len is their total size). Buffered; a full buffer is
 * flushed. Returns 0 or -errno (a write error: the file stays valid up to
 * the last flushed record; later calls return the same error). */
int df_writer_write(struct df_writer *w, const void *rec, size_t len);
/* Appends a PERF_RECORD_FINISHED_ROUND (perf sorts by time between them:
 * write one after each pass over all rings). 0 or -errno. */
int df_writer_finished_round(struct df_writer *w);
/* Writes the buffer and, in file mode, the new data size into the header,
 * so that a recorder killed after this leaves a readable file. 0 or -errno. */
int df_writer_flush(struct df_writer *w);
/* Bytes of records written so far (buffered included). */
uint64_t df_writer_bytes(const struct df_writer *w);

/* perf's tracing data (HEADER_TRACING_DATA, from pmu_tracing_data()): the
 * tracefs formats of the recorded tracepoints, without which perf refuses a
 * recording that has tracepoint events. Copied. File mode: written as
 * feature section 1 at close (a later call replaces it). Pipe mode: written
 * at once as a HEADER_TRACING_DATA record, since perf needs the formats
 * before the first sample: call it before any record (-EBUSY after one, or
 * a second time). Returns 0, -EINVAL (empty), -EBUSY, -ENOMEM or a write
 * error. */
int df_writer_set_tracing_data(struct df_writer *w, const void *buf, size_t len);

/* Facts written at close. Each returns 0, -EINVAL or -ENOMEM; later calls
 * replace earlier values. */
int df_writer_set_string(struct df_writer *w, enum df_string which, const char *value);
/* Fills HOSTNAME, OSRELEASE, ARCH (uname), CPUDESC (/proc/cpuinfo),
 * NRCPUS (sysconf) and VERSION ("cperf " PACKAGE_VERSION) from this host. */
int df_writer_set_host_facts(struct df_writer *w);
int df_writer_set_cmdline(struct df_writer *w, int argc, char *const *argv);
int df_writer_set_nr_cpus(struct df_writer *w, uint32_t online, uint32_t available);
/* A build-id for HEADER_BUILD_ID (perf buildid-list shows these). pid is -1
 * for the host (what perf uses); kernel for the kernel and its modules
 * (path "[kernel.kallsyms]" for the kernel). id_len 1..20. */
int df_writer_add_build_id(struct df_writer *w, int32_t pid, const char *path, const uint8_t *id,
			   size_t id_len, bool kernel);
/* A key/value fact in cperf's section (DF_KEY_*). */
int df_writer_set_fact(struct df_writer *w, const char *key, const char *value);
int df_writer_set_fact_u64(struct df_writer *w, const char *key, uint64_t value);
/* Stores the text-symbol lines of a kallsyms text (same format as
 * /proc/kallsyms) as DF_KEY_KALLSYMS. */
int df_writer_set_kallsyms(struct df_writer *w, const char *text, size_t len);
/* Snapshot of /proc/kallsyms (text symbols) and /proc/modules, and the
 * kptr_restrict and perf_event_paranoid facts. Returns 0 or -errno; with
 * kptr_restrict hiding addresses (all zero) it stores nothing and returns
 * -EPERM. Compressed with zlib at close. */
int df_writer_snapshot_kallsyms(struct df_writer *w);
/* The same, keeping only the symbols needed to look up addrs (sorted
 * ascending; each also at addr-1) and the symbol after each, so that a
 * recording carries a few KB of kernel symbols rather than the whole table.
 * addrs NULL: every symbol. */
int df_writer_snapshot_kallsyms_for(struct df_writer *w, const uint64_t *addrs, size_t naddrs);
int df_writer_set_kallsyms_for(struct df_writer *w, const char *text, size_t len,
			       const uint64_t *addrs, size_t naddrs);

/* Flushes, writes the feature sections and the final header (file mode) or
 * HEADER_FEATURE, HEADER_BUILD_ID and (cperf's facts) HEADER_EVENT_TYPE
 * records (pipe mode), closes the file and frees w (always, even on error;
 * NULL is fine). Returns 0 or -errno. */
int df_writer_close(struct df_writer *w);

/* ======================================================================
 * Reader
 * ====================================================================== */
struct df_reader;

/* Opens a recording (file mode or pipe mode; "-" reads stdin). The whole
 * file is mapped (or read, for a pipe); all header facts are known when this
 * returns, in pipe mode too (meta records are scanned at open). A pipe or a
 * device is read on only when its first 16 bytes are a recording's magic
 * and header size, and up to half the memory (or of ulimit -v/-d): more is
 * refused ("save it to a file"). Returns NULL
 * with a one-line reason in errbuf ("'x.data' is not a perf.data file (bad
 * magic)", "'x.data': truncated header", ...). Release: df_reader_close. */
struct df_reader *df_reader_open(const char *path, char *errbuf, size_t errlen);
void df_reader_close(struct df_reader *r);

/* True for a pipe-mode recording. */
bool df_reader_is_pipe(const struct df_reader *r);

size_t df_reader_nr_events(const struct df_reader *r);
const struct df_event *df_reader_event(const struct df_reader *r, size_t i);
/* The event whose ids include id; NULL when unknown. */
const struct df_event *df_reader_event_for_id(const struct df_reader *r, uint64_t id);
/* The event that produced a kernel record (by its id, or the only event
 * when the file has one). NULL when it cannot be told. */
const struct df_event *df_reader_event_for_record(const struct df_reader *r,
						  const struct perf_event_header *hdr);

/* The next record in file order. Returns 1 and sets *rec (8-byte aligned,
 * valid until the next call), 0 at the end, <0 on error (df_reader_error
 * says why; records read so far stay valid). Only kernel records (type <
 * 64) are returned; perf's meta records (HEADER_ATTR, HEADER_FEATURE,
 * HEADER_BUILD_ID, FINISHED_ROUND, FINISHED_INIT, ID_INDEX, THREAD_MAP,
 * CPU_MAP, TIME_CONV, EVENT_UPDATE, ...) are consumed (their content is in
 * the accessors). A record cut short by the end of the data, or damaged
 * (size below 8), ends the stream with 0: df_reader_cut_short() is then
 * true, the rest is counted in df_reader_ignored_bytes(), and for damage
 * df_reader_error() says what was wrong. Errors (<0): a compressed record
 * (perf record -z), out of memory. */
int df_reader_next(struct df_reader *r, const struct perf_event_header **rec);
/* Starts again from the first record. */
void df_reader_rewind(struct df_reader *r);
/* The file offset of the record last returned (for messages). */
uint64_t df_reader_offset(const struct df_reader *r);
const char *df_reader_error(const struct df_reader *r);

/* The recording was cut short: the header's data size was 0 or pointed past
 * the end, no feature sections were written (a killed recorder), the file
 * ends inside its feature sections (the missing ones are ignored, the data
 * is whole), or the data ends inside a record or at a damaged one. */
bool df_reader_cut_short(const struct df_reader *r);
/* Bytes at the end of the data that were not complete, sound records
 * (known once df_reader_next has returned 0). */
uint64_t df_reader_ignored_bytes(const struct df_reader *r);

/* Facts; NULL (or 0) when the file has none. */
const char *df_reader_string(const struct df_reader *r, enum df_string which);
/* Online CPUs (0 when unknown); *available may be NULL. */
uint32_t df_reader_nr_cpus(const struct df_reader *r, uint32_t *available);

struct df_build_id {
	int32_t pid;
	bool kernel;
	uint8_t id[20];
	size_t id_len;
	const char *path;
};
size_t df_reader_nr_build_ids(const struct df_reader *r);
const struct df_build_id *df_reader_build_id(const struct df_reader *r, size_t i);
/* The build-id stored for path (any pid), or NULL. */
const struct df_build_id *df_reader_build_id_for_path(const struct df_reader *r, const char *path);

/* A fact from cperf's section (NULL when absent or not a cperf file). */
const char *df_reader_fact(const struct df_reader *r, const char *key);
/* 0, -ENOENT (absent) or -EINVAL (not a number). */
int df_reader_fact_u64(const struct df_reader *r, const char *key, uint64_t *out);
/* The kallsyms snapshot text (decompressed, /proc/kallsyms format, NUL-
 * terminated, owned by the reader). 0 or -ENOENT. */
int df_reader_kallsyms(const struct df_reader *r, const char **text, size_t *len);
#endif
