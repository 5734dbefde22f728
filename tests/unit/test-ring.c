/* Unit tests for pmu/ring.c on a fake ring in memory: wrap-around, records
 * straddling the end (read from the scratch copy), lost records, and
 * corrupt headers. */
#include "record.h"
#include "ring.h"
#include "unit.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* A COMM-like record of n bytes (a multiple of 8) whose payload is seq. */
static void make_rec(uint64_t *buf, size_t n, uint32_t seq)
{
	struct perf_event_header *h = (struct perf_event_header *)buf;

	memset(buf, 0, n);
	h->type = PERF_RECORD_SAMPLE;
	h->size = (uint16_t)n;
	for (size_t i = 1; i < n / 8; i++)
		buf[i] = ((uint64_t)seq << 32) | i;
}

static bool rec_ok(const struct perf_event_header *h, size_t n, uint32_t seq)
{
	const uint64_t *u = (const uint64_t *)h;

	if (h->size != n || h->type != PERF_RECORD_SAMPLE)
		return false;
	for (size_t i = 1; i < n / 8; i++)
		if (u[i] != (((uint64_t)seq << 32) | i))
			return false;
	return true;
}

static void test_wrap(void)
{
	struct pmu_ring r;
	uint64_t buf[64];
	uint32_t wseq = 0, rseq = 0;
	unsigned int straddled = 0, bad = 0;

	CHECK_INT(pmu_ring_fake_init(&r, 256), 0);
	/* many rounds of varying sizes so that records land on every offset,
	 * including across the end of the ring */
	for (int round = 0; round < 200; round++) {
		for (;;) {
			size_t n = 8 * (1 + (wseq * 7) % 12); /* 8..96 bytes */

			make_rec(buf, n, wseq);
			if (pmu_ring_fake_write(&r, buf, n) == -ENOSPC)
				break;
			wseq++;
		}
		CHECK(pmu_ring_read_begin(&r) > 0);
		for (const struct perf_event_header *h; (h = pmu_ring_next(&r));) {
			size_t n = 8 * (1 + (rseq * 7) % 12);

			if ((const uint8_t *)h == r.scratch)
				straddled++;
			if (!rec_ok(h, n, rseq))
				bad++;
			rseq++;
			/* consume only half of the records some rounds, so the
			 * tail moves to odd places */
			if (round % 3 == 0 && rseq % 2 == 0)
				break;
		}
		pmu_ring_read_end(&r);
	}
	CHECK_INT(bad, 0);
	CHECK(straddled > 10);
	CHECK(rseq > 500);
	CHECK(!r.corrupt);
	/* drain the rest */
	pmu_ring_read_begin(&r);
	while (pmu_ring_next(&r))
		rseq++;
	pmu_ring_read_end(&r);
	CHECK_INT(rseq, wseq);
	CHECK_INT(pmu_ring_read_begin(&r), 0);
	CHECK(pmu_ring_next(&r) == NULL);
	pmu_ring_close(&r);
}

static void test_full_ring_and_lost(void)
{
	struct pmu_ring r;
	uint64_t buf[8] = { 0 };
	struct perf_event_header *h = (struct perf_event_header *)buf;
	const struct perf_event_header *got;
	struct pmu_lost lost;

	CHECK_INT(pmu_ring_fake_init(&r, 64), 0);
	/* a record of exactly the ring's size fits when empty */
	make_rec(buf, 64, 1);
	CHECK_INT(pmu_ring_fake_write(&r, buf, 64), 0);
	CHECK_INT(pmu_ring_fake_write(&r, buf, 8), -ENOSPC);
	CHECK_INT(pmu_ring_read_begin(&r), 64);
	got = pmu_ring_next(&r);
	CHECK(got && rec_ok(got, 64, 1));
	pmu_ring_read_end(&r);

	/* the kernel's LOST record after the producer ran out of room;
	 * offset 8 makes it straddle: 24 bytes at 56..64 and 0..16 */
	make_rec(buf, 8, 2);
	CHECK_INT(pmu_ring_fake_write(&r, buf, 8), 0);
	pmu_ring_read_begin(&r);
	CHECK(pmu_ring_next(&r) != NULL);
	pmu_ring_read_end(&r);
	memset(buf, 0, sizeof(buf));
	h->type = PERF_RECORD_LOST;
	h->size = 24;
	buf[1] = 5;   /* id */
	buf[2] = 123; /* lost */
	for (int i = 0; i < 5; i++) {
		uint64_t pad[1] = { 0 };
		struct perf_event_header *p = (struct perf_event_header *)pad;

		p->type = PMU_RECORD_FINISHED_ROUND; /* any 8-byte record */
		p->size = 8;
		CHECK_INT(pmu_ring_fake_write(&r, pad, 8), 0);
	}
	CHECK_INT(pmu_ring_fake_write(&r, buf, 24), 0);
	pmu_ring_read_begin(&r);
	for (int i = 0; i < 5; i++)
		CHECK(pmu_ring_next(&r) != NULL);
	got = pmu_ring_next(&r);
	CHECK(got != NULL && (const uint8_t *)got == r.scratch);
	if (got) {
		CHECK_INT(pmu_lost_parse(got, &lost), 0);
		CHECK_INT(lost.id, 5);
		CHECK_INT(lost.lost, 123);
	}
	CHECK(pmu_ring_next(&r) == NULL);
	pmu_ring_read_end(&r);
	CHECK_INT(r.meta->data_tail, r.meta->data_head);
	pmu_ring_close(&r);
}

static void test_corrupt(void)
{
	struct pmu_ring r;
	uint64_t buf[4] = { 0 };
	struct perf_event_header *h = (struct perf_event_header *)buf;

	CHECK_INT(pmu_ring_fake_init(&r, 128), 0);
	h->type = PERF_RECORD_SAMPLE;
	h->size = 4; /* smaller than a header */
	CHECK_INT(pmu_ring_fake_write(&r, buf, 8), 0);
	pmu_ring_read_begin(&r);
	CHECK(pmu_ring_next(&r) == NULL);
	CHECK(r.corrupt);
	pmu_ring_read_end(&r);
	CHECK_INT(r.meta->data_tail, r.meta->data_head); /* dropped, no stall */

	r.corrupt = false;
	h->size = 64; /* beyond head */
	CHECK_INT(pmu_ring_fake_write(&r, buf, 16), 0);
	pmu_ring_read_begin(&r);
	CHECK(pmu_ring_next(&r) == NULL);
	CHECK(r.corrupt);
	pmu_ring_read_end(&r);
	pmu_ring_close(&r);

	/* a size that is not a multiple of 8 */
	CHECK_INT(pmu_ring_fake_init(&r, 128), 0);
	h->size = 12;
	CHECK_INT(pmu_ring_fake_write(&r, buf, 16), 0);
	pmu_ring_read_begin(&r);
	CHECK(pmu_ring_next(&r) == NULL);
	CHECK(r.corrupt);
	pmu_ring_read_end(&r);
	pmu_ring_close(&r);

	CHECK_INT(pmu_ring_fake_init(&r, 100), -EINVAL);
	CHECK_INT(pmu_ring_fake_init(&r, 32), -EINVAL);
}

int main(void)
{
	test_wrap();
	test_full_ring_and_lost();
	test_corrupt();
	return unit_done();
}
