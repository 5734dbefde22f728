/* Fuzz target for the event-spec parser (-e). Built with libFuzzer:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DCPERF_LIBFUZZER \
 *     -I pmu -I src/util -I BUILD tests/fuzz/fuzz-evspec.c BUILD/libpmu.a \
 *     BUILD/libcperfutil.a -lpfm -o fuzz-evspec
 *   ./fuzz-evspec tests/fuzz/corpus/evspec
 * Without libFuzzer (make check) it replays the corpus files given as
 * arguments, so every corpus entry stays a regression test. Tracepoints and
 * kernel PMUs come from the fixture trees, never from the real system. */
#include "config.h"

#include "pmu.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/tracefs", top ? top : ".");
	setenv("CPERF_TRACEFS", dir, 1);
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/sysfs-pmu", top ? top : ".");
	setenv("CPERF_SYSFS_PMU", dir, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pmu_event_list list = {NULL, 0};
	struct pmu_parse_error err;
	char *spec;
	int ret;

	if (size > 8192)
		return 0;
	spec = malloc(size + 1);
	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	ret = pmu_events_parse(&list, spec, &err);
	if (ret == 0) {
		for (size_t i = 0; i < list.nr; i++)
			if (!list.ev[i].name || list.ev[i].leader < 0 ||
			    (size_t)list.ev[i].leader > i ||
			    list.ev[i].attr.size != sizeof(list.ev[i].attr))
				abort();
		if (list.nr)
			pmu_event_fallback(&list.ev[0], size & 1);
	} else if (ret != -EINVAL && ret != -ENOENT && ret != -ENOMEM) {
		abort();
	} else if (ret != -ENOMEM &&
		   (!err.msg[0] || strchr(err.msg, '\n') || strchr(err.hint, '\n'))) {
		abort();
	} else if (list.nr) {
		abort();
	}
	pmu_event_list_fini(&list);
	free(spec);
	return 0;
}

#ifndef CPERF_LIBFUZZER
static int replay(const char *path)
{
	char *data;
	size_t len;
	int ret = read_file(path, 1 << 20, &data, &len);

	if (ret) {
		fprintf(stderr, "fuzz-evspec: cannot read '%s': %s\n", path, strerror(-ret));
		return ret;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

/* Replays corpus files: fuzz-evspec [FILE...]; without arguments the
 * corpus in $top_srcdir/tests/fuzz/corpus/evspec (make check). */
int main(int argc, char **argv)
{
	int n = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++, n++)
			if (replay(argv[i]))
				return 99;
	} else {
		const char *top = getenv("top_srcdir");
		char dir[4096], path[8192];
		struct dirent *de;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/evspec", top ? top : ".");
		d = opendir(dir);
		if (!d) {
			fprintf(stderr, "fuzz-evspec: cannot open '%s': %s\n", dir,
				strerror(errno));
			return 99;
		}
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (replay(path)) {
				closedir(d);
				return 99;
			}
			n++;
		}
		closedir(d);
	}
	printf("%d inputs replayed\n", n);
	return n ? 0 : 99;
}
#endif
