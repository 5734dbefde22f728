/* The replay driver that turns a fuzz target into an ordinary check program:
 * it feeds each corpus file to LLVMFuzzerTestOneInput, so every corpus entry
 * is a regression test under make check (plain and ASan/UBSan builds). */
#include "config.h"

#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FUZZ_NAME
#error "FUZZ_NAME (the target's corpus directory name) must be defined"
#endif

int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen)
{
	int fd = memfd_create("cperf-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	for (size_t off = 0; off < size;) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

#ifndef CPERF_LIBFUZZER
/* Inputs larger than libFuzzer's default -max_len are still replayed: the
 * seeds include whole recordings. */
#define FUZZ_MAX_INPUT (16u << 20)

static int replay_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > FUZZ_MAX_INPUT) {
		fprintf(stderr, "fuzz-%s: cannot read '%s': %s\n", FUZZ_NAME, path,
			fd < 0 ? strerror(errno) : "too large");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* malloc of the exact size, so ASan sees reads past the input */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size && (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays path: a file, or every file of a directory (in name order). */
static int replay(const char *path, int *count)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, cap = 0;
	int ret = 0;
	DIR *d;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "fuzz-%s: '%s': %s\n", FUZZ_NAME, path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		ret = replay_file(path);
		*count += !ret;
		return ret;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "fuzz-%s: '%s': %s\n", FUZZ_NAME, path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		if (nr == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));

			if (!nn)
				break;
			names = nn;
		}
		if (asprintf(&p, "%s/%s", path, de->d_name) < 0)
			break;
		names[nr++] = p;
	}
	closedir(d);
	qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		if (!ret && replay(names[i], count))
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

/* fuzz-NAME [FILE|DIR...]: replays them; without arguments the corpus
 * $top_srcdir/tests/fuzz/corpus/NAME (make check). Exit 0 when every input
 * ran (a crash aborts, a sanitizer report fails), 99 when none could. */
int main(int argc, char **argv)
{
	int count = 0, ret = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (replay(argv[i], &count))
				ret = 99;
	} else {
		const char *top = getenv("top_srcdir");
		char dir[4096];

		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top ? top : ".", FUZZ_NAME);
		if (replay(dir, &count))
			ret = 99;
	}
	printf("fuzz-%s: %d inputs replayed\n", FUZZ_NAME, count);
	return count ? ret : 99;
}
#endif
