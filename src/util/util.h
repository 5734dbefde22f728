/* Small utilities shared by every module: messages, number parsing, CPU lists,
 * growable buffers, hashing and name suggestions. No module state lives here. */
#ifndef CPERF_UTIL_H
#define CPERF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* ---- messages (stderr only; one line each) ---------------------------- */
/* "cperf CMD: error text" — cmd may be NULL for plain "cperf: ...". */
void msg_error(const char *cmd, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* "cperf CMD: warning: text" */
void msg_warn(const char *cmd, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* "cperf CMD: note: text" (suppressed when msg_set_quiet(true)) */
void msg_note(const char *cmd, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* "hint: text" on its own line, after an error. */
void msg_hint(const char *fmt, ...) PRINTF_LIKE(1, 2);
void msg_set_quiet(bool quiet);
bool msg_quiet(void);

/* ---- number parsing: 0 or -EINVAL (not a number) / -ERANGE ------------- */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
int parse_int(const char *s, int min, int max, int *out);
/* A finite decimal number in [min, max]. */
int parse_double(const char *s, double min, double max, double *out);

/* ---- integer lists: "0-3,5,7" (CPUs) or "12,34" (PIDs) ------------------ */
struct int_list {
	int *v;
	size_t nr;
};
/* Parses LIST into l (sorted, duplicates removed); values must lie in
 * [min, max]. Returns 0, -EINVAL or -ERANGE, -ENOMEM. Release: int_list_fini. */
int int_list_parse(struct int_list *l, const char *s, int min, int max);
/* The online CPUs from /sys/devices/system/cpu/online. Release: int_list_fini. */
int int_list_online_cpus(struct int_list *l);
bool int_list_has(const struct int_list *l, int v);
int int_list_push(struct int_list *l, int v);
void int_list_fini(struct int_list *l);

/* ---- growable byte/string buffer -------------------------------------- */
struct strbuf {
	char *buf; /* always NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
int sb_grow(struct strbuf *sb, size_t extra);
int sb_append(struct strbuf *sb, const void *data, size_t len);
int sb_puts(struct strbuf *sb, const char *s);
int sb_printf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
void sb_reset(struct strbuf *sb);
/* Hands the buffer to the caller (free() it); sb is empty afterwards. */
char *sb_detach(struct strbuf *sb);
void sb_fini(struct strbuf *sb);

/* Grows *arr (element size elsz) so that it holds at least need elements.
 * Returns 0 or -ENOMEM; *cap is updated. */
int grow_array(void *arrp, size_t *cap, size_t need, size_t elsz);

/* ---- files ------------------------------------------------------------ */
/* Reads a whole small file (/proc, /sys) into a NUL-terminated heap buffer.
 * Returns 0 or -errno; *out released with free(). max caps the size read. */
int read_file(const char *path, size_t max, char **out, size_t *len);
/* Reads the first line of a file as an integer: 0 or -errno/-EINVAL. */
int read_file_int(const char *path, long long *out);
/* write(2) until done; 0 or -errno. */
int write_full(int fd, const void *buf, size_t len);
/* pwrite(2) at off until done; 0 or -errno. */
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off);
/* Calls fn(arg, tid) for each thread of process pid, from /proc/PID/task,
 * until fn returns non-zero, which is returned. Else 0, or -errno of
 * opening the directory (-ENOENT when pid is gone). */
int proc_for_each_thread(int pid, int (*fn)(void *arg, int tid), void *arg);

/* ---- parsing ---------------------------------------------------------- */
/* The value of a hex digit (either case), or -1. */
static inline int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ---- sorting ---------------------------------------------------------- */
/* qsort/bsearch comparison of two uint64_t. */
int cmp_u64(const void *a, const void *b);
/* Sorts v[n] ascending and removes duplicates; returns the new count. */
size_t sort_unique_u64(uint64_t *v, size_t n);

/* ---- hashing ---------------------------------------------------------- */
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);
static inline uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* ---- suggestions -------------------------------------------------------- */
/* Edit distance (Damerau: adjacent swaps count 1), case-insensitive. */
size_t edit_distance(const char *a, const char *b);
/* The candidate closest to word, or NULL when none is close enough. */
const char *suggest_word(const char *word, const char *const *cands, size_t n);

/* ---- time ------------------------------------------------------------- */
uint64_t now_ns(void);          /* CLOCK_MONOTONIC */
uint64_t realtime_ns(void);     /* CLOCK_REALTIME */

#endif
