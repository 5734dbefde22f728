/* Fuzz target for /proc/PID/maps parsing: cperf reads maps only from the
 * live /proc (src/synth.c, synth_process), so this target includes synth.c
 * and drives its line parser and MMAP2 builder directly. Input: 8 bytes of
 * sample_type for the records' trailer, 1 byte of flags (bit 0
 * sample_id_all, bit 1 mmap_data), then maps text. Each record built must
 * decode (pmu_mmap_parse) to exactly the mapping parsed. */
#include "synth.c"

#include "decode.h"
#include "fuzz.h"
#include "record.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

struct expect {
	const struct map_line *m;
	uint32_t pid;
	struct pmu_sample_layout l;
};

static int check_record(void *arg, const struct perf_event_header *rec)
{
	const struct expect *e = arg;
	const char *path = *e->m->path ? e->m->path : "//anon";
	struct pmu_mmap mm;
	struct pmu_sample_id sid;

	if (rec->size % 8 || pmu_mmap_parse(rec, &mm))
		abort();
	if (mm.pid != e->pid || mm.start != e->m->start || mm.len != e->m->end - e->m->start ||
	    mm.pgoff != e->m->pgoff || strcmp(mm.filename, path))
		abort();
	if (pmu_sample_id_parse(rec, &e->l, &sid))
		abort();
	if (sid.valid && (e->l.sample_type & PERF_SAMPLE_TID) && sid.pid != e->pid)
		abort();
	fuzz_decode_record(rec, &e->l);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint64_t trailer_bits = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ID |
				      PERF_SAMPLE_STREAM_ID | PERF_SAMPLE_CPU |
				      PERF_SAMPLE_IDENTIFIER;
	struct perf_event_attr attr;
	struct synth s;
	struct expect e;
	char *text, *line, *next;

	if (size < 9 || size > (1u << 20))
		return 0;
	memset(&attr, 0, sizeof(attr));
	memcpy(&attr.sample_type, data, 8);
	attr.sample_type &= trailer_bits;
	attr.sample_id_all = data[8] & 1;
	attr.mmap_data = !!(data[8] & 2);
	text = malloc(size - 9 + 1);
	if (!text)
		return 0;
	memcpy(text, data + 9, size - 9);
	text[size - 9] = '\0';
	memset(&e, 0, sizeof(e));
	e.pid = 4242;
	pmu_sample_layout_from_attr(&e.l, &attr);
	synth_init(&s, &attr, 7, check_record, &e);
	s.build_ids = false; /* no file reads for fuzzed paths */
	for (line = text; line; line = next) {
		struct map_line m;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		chomp(line);
		if (!parse_map_line(line, &m))
			continue;
		if (m.end <= m.start || strlen(m.perms) != 4 || !m.path)
			abort();
		if (m.perms[2] != 'x' && !(s.data_maps && m.path[0] == '/'))
			continue;
		e.m = &m;
		if (emit_mmap2(&s, e.pid, &m) < 0)
			break;
	}
	synth_fini(&s);
	free(text);
	return 0;
}
