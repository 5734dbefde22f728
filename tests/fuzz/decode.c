/* Runs one raw perf record through every decoder of pmu/record.h and checks
 * that whatever a decoder accepts lies inside the record (shared by the
 * record, datafile and profile fuzz targets). */
#include "config.h"

#include "decode.h"

#include <stdlib.h>
#include <string.h>

/* [p, p+n) inside the record, or abort: a decoder handed out a pointer the
 * record's own size does not cover. */
static void inside(const struct perf_event_header *hdr, const void *p, uint64_t n)
{
	const uint8_t *lo = (const uint8_t *)hdr, *hi = lo + hdr->size, *q = p;

	if (!p && !n)
		return;
	if (!p || q < lo || q > hi || n > (uint64_t)(hi - q))
		abort();
}

/* A C string fully inside the record (strnlen never reads past it). */
static void inside_str(const struct perf_event_header *hdr, const char *s)
{
	const uint8_t *hi = (const uint8_t *)hdr + hdr->size;

	inside(hdr, s, 0);
	if (strnlen(s, (size_t)(hi - (const uint8_t *)s)) == (size_t)(hi - (const uint8_t *)s))
		abort();
}

/* Touches every byte a pointer claims, so ASan catches an overread. */
static uint64_t touch(const void *p, uint64_t n)
{
	const uint8_t *q = p;
	uint64_t sum = 0;

	for (uint64_t i = 0; i < n; i++)
		sum += q[i];
	return sum;
}

uint64_t fuzz_decode_record(const struct perf_event_header *hdr, const struct pmu_sample_layout *l)
{
	struct pmu_sample s;
	struct pmu_sample_id sid;
	struct pmu_mmap m;
	struct pmu_comm c;
	struct pmu_task t;
	struct pmu_lost lo;
	struct pmu_throttle th;
	uint64_t id, sum = 0;

	if (hdr->size < sizeof(*hdr))
		return 0;
	sum += strlen(pmu_record_name(hdr->type));
	if (!pmu_record_id(hdr, l, &id))
		sum += id;
	if (!pmu_sample_id_parse(hdr, l, &sid))
		sum += sid.pid + sid.time;
	switch (hdr->type) {
	case PERF_RECORD_SAMPLE:
		if (pmu_sample_parse(hdr, l, &s))
			break;
		inside(hdr, s.callchain, s.nr_callchain * 8);
		inside(hdr, s.raw, s.raw_size);
		inside(hdr, s.user_regs, (uint64_t)s.nr_user_regs * 8);
		inside(hdr, s.user_stack, s.user_stack_size);
		if (s.user_stack_dyn_size > s.user_stack_size)
			abort();
		sum += touch(s.callchain, s.nr_callchain * 8) + touch(s.raw, s.raw_size) +
		       touch(s.user_regs, (uint64_t)s.nr_user_regs * 8) +
		       touch(s.user_stack, s.user_stack_size);
		break;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		if (pmu_mmap_parse(hdr, &m))
			break;
		inside_str(hdr, m.filename);
		if (m.has_build_id && m.build_id_size > sizeof(m.build_id))
			abort();
		sum += strlen(m.filename) + m.start;
		break;
	case PERF_RECORD_COMM:
		if (pmu_comm_parse(hdr, &c))
			break;
		inside_str(hdr, c.comm);
		sum += strlen(c.comm);
		break;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (!pmu_task_parse(hdr, &t))
			sum += t.pid;
		break;
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES:
		if (!pmu_lost_parse(hdr, &lo))
			sum += lo.lost;
		break;
	case PERF_RECORD_THROTTLE:
	case PERF_RECORD_UNTHROTTLE:
		if (!pmu_throttle_parse(hdr, &th))
			sum += th.time;
		break;
	default:
		/* the other decoders must refuse or survive any type too */
		if (!pmu_mmap_parse(hdr, &m))
			inside_str(hdr, m.filename);
		if (!pmu_comm_parse(hdr, &c))
			inside_str(hdr, c.comm);
		pmu_task_parse(hdr, &t);
		pmu_lost_parse(hdr, &lo);
		pmu_throttle_parse(hdr, &th);
		break;
	}
	return sum;
}
