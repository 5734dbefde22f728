/* Files, hashing, clocks and "did you mean" suggestions. */
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int read_file(const char *path, size_t max, char **out, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		err = sb_grow(&sb, 4096);
		if (err)
			break;
		n = read(fd, sb.buf + sb.len, 4096);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
		if (sb.len > max) {
			err = -EFBIG;
			break;
		}
	}
	close(fd);
	if (err) {
		sb_fini(&sb);
		return err;
	}
	/* an empty file never appended: terminate what sb_grow allocated */
	sb.buf[sb.len] = '\0';
	if (len)
		*len = sb.len;
	*out = sb_detach(&sb);
	return 0;
}

int read_file_int(const char *path, long long *out)
{
	char *text, *end;
	int err = read_file(path, 4096, &text, NULL);
	long long v;

	if (err)
		return err;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || errno || (*end && !isspace((unsigned char)*end)))
		err = -EINVAL;
	else
		*out = v;
	free(text);
	return err;
}

/* write(2), or pwrite(2) at off when at, until done; 0 or -errno. */
static int write_loop(int fd, const void *buf, size_t len, bool at, uint64_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = at ? pwrite(fd, p, len, (off_t)off) : write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int write_full(int fd, const void *buf, size_t len)
{
	return write_loop(fd, buf, len, false, 0);
}

int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	return write_loop(fd, buf, len, true, off);
}

int proc_for_each_thread(int pid, int (*fn)(void *arg, int tid), void *arg)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		int tid;

		/* ".", ".." and anything else that is not a TID */
		if (parse_int(de->d_name, 1, INT32_MAX, &tid))
			continue;
		ret = fn(arg, tid);
	}
	closedir(d);
	return ret;
}

int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

size_t sort_unique_u64(uint64_t *v, size_t n)
{
	size_t m = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[m])
			v[++m] = v[i];
	return m + 1;
}

uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL ^ len;

	/* one multiply per word, the full mix once at the end: call chains
	 * are hashed once per sample, so this is on report's hot path */
	while (len >= 8) {
		uint64_t k;

		memcpy(&k, p, 8);
		h = (h ^ k) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		p += 8;
		len -= 8;
	}
	if (len) {
		uint64_t k = 0;

		memcpy(&k, p, len);
		h = hash_u64(h ^ k ^ ((uint64_t)len << 56));
	}
	return hash_u64(h);
}

size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *base, *prev2, *prev, *cur, d;

	if (la > 256 || lb > 256)
		return SIZE_MAX;
	base = calloc(3 * (lb + 1), sizeof(size_t));
	if (!base)
		return SIZE_MAX;
	prev2 = base;
	prev = prev2 + lb + 1;
	cur = prev + lb + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t;

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t v = prev[j - 1] + (ca != cb);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(base);
	return d;
}

const char *suggest_word(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, limit;

	limit = strlen(word) / 3 + 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}
