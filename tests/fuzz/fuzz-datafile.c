/* Fuzz target for the perf.data reader (src/datafile-read.c): the input is
 * a whole data file (file or pipe mode); it is opened through a memfd, every
 * fact is read, every record returned is looked up and decoded, twice (the
 * second pass after a rewind must see the same records). */
#include "config.h"

#include "datafile.h"
#include "decode.h"
#include "fuzz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void read_facts(struct df_reader *r)
{
	static const char *const keys[] = {
		DF_KEY_CPERF_VERSION, DF_KEY_KPTR_RESTRICT, DF_KEY_PARANOID, DF_KEY_SAMPLES,
		DF_KEY_LOST, DF_KEY_THROTTLED, DF_KEY_FALLBACK, DF_KEY_START_REALTIME,
		DF_KEY_START_MONOTONIC, DF_KEY_DURATION, DF_KEY_TARGET, DF_KEY_MODULES,
	};
	const char *text;
	size_t len, sum = 0;
	uint32_t avail;
	uint64_t v;

	for (int i = 0; i < DF_NR_STRINGS; i++) {
		const char *s = df_reader_string(r, (enum df_string)i);

		if (s)
			sum += strlen(s);
	}
	sum += df_reader_nr_cpus(r, &avail) + df_reader_nr_cpus(r, NULL);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = df_reader_fact(r, keys[i]);
		int ret = df_reader_fact_u64(r, keys[i], &v);

		if (s)
			sum += strlen(s);
		if (ret && ret != -ENOENT && ret != -EINVAL)
			abort();
		if ((ret == -ENOENT) != !s)
			abort();
	}
	if (!df_reader_kallsyms(r, &text, &len)) {
		if (!text || strlen(text) != len)
			abort(); /* NUL-terminated, len without the NUL */
	}
	for (size_t i = 0; i < df_reader_nr_build_ids(r); i++) {
		const struct df_build_id *b = df_reader_build_id(r, i);

		if (!b || b->id_len > sizeof(b->id))
			abort();
		if (b->path) {
			sum += strlen(b->path);
			if (!df_reader_build_id_for_path(r, b->path))
				abort();
		}
	}
	for (size_t i = 0; i < df_reader_nr_events(r); i++) {
		const struct df_event *e = df_reader_event(r, i);

		if (!e || !e->name)
			abort();
		sum += strlen(e->name);
		for (size_t j = 0; j < e->nr_ids; j++)
			if (!df_reader_event_for_id(r, e->ids[j]))
				abort();
	}
	(void)sum;
}

/* One pass over the records; returns how many, or -1 on a reader error. */
static long read_records(struct df_reader *r, uint64_t *sum)
{
	const struct perf_event_header *rec;
	long n = 0;
	int ret;

	while ((ret = df_reader_next(r, &rec)) == 1) {
		const struct df_event *e = df_reader_event_for_record(r, rec);
		struct pmu_sample_layout l;

		if (((uintptr_t)rec & 7) || rec->size < sizeof(*rec) || rec->type >= 64)
			abort();
		memset(&l, 0, sizeof(l));
		if (e)
			pmu_sample_layout_from_attr(&l, &e->attr);
		*sum += fuzz_decode_record(rec, &l) + df_reader_offset(r);
		n++;
	}
	if (ret < 0 && !df_reader_error(r))
		abort();
	return ret < 0 ? -1 : n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct df_reader *r;
	uint64_t s1 = 0, s2 = 0;
	long n1, n2;
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	err[0] = '\0';
	r = df_reader_open(path, err, sizeof(err));
	if (!r) {
		/* a one-line reason, always */
		if (!err[0] || strchr(err, '\n'))
			abort();
		close(fd);
		return 0;
	}
	df_reader_is_pipe(r);
	read_facts(r);
	n1 = read_records(r, &s1);
	df_reader_cut_short(r);
	df_reader_ignored_bytes(r);
	df_reader_rewind(r);
	n2 = read_records(r, &s2);
	if (n1 != n2 || s1 != s2)
		abort();
	df_reader_close(r);
	close(fd);
	return 0;
}
