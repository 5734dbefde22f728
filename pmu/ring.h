/* The mmap'ed perf ring buffer of one event fd: reading whole records
 * between data_tail and data_head, with a fake in-memory ring for tests. */
#ifndef CPERF_PMU_RING_H
#define CPERF_PMU_RING_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pmu_ring {
	void *base;                         /* metadata page + data pages */
	size_t map_len;
	struct perf_event_mmap_page *meta;
	uint8_t *data;
	uint64_t size;                      /* data bytes, a power of two */
	uint64_t head, pos;                 /* the current read: [pos, head) */
	uint8_t *scratch;                   /* a record that wraps, copied */
	size_t scratch_cap;
	bool fake;                          /* heap memory, not mmap */
	bool corrupt;                       /* a record header made no sense */
};

/* Maps the ring of fd: one metadata page and data_pages (a power of two)
 * pages, writable so that data_tail tells the kernel what was read.
 * Returns 0 or -errno. Release: pmu_ring_close. */
int pmu_ring_open(struct pmu_ring *r, int fd, size_t data_pages);
void pmu_ring_close(struct pmu_ring *r);

/* A ring in heap memory of data_size bytes (a power of two >= 64), for unit
 * tests. Release: pmu_ring_close. */
int pmu_ring_fake_init(struct pmu_ring *r, size_t data_size);
/* The producer side of a fake ring: appends rec (len bytes, a multiple of 8)
 * at data_head, wrapping. Returns 0 or -ENOSPC when the reader has not
 * made room. */
int pmu_ring_fake_write(struct pmu_ring *r, const void *rec, size_t len);

/* Starts a read: snapshots data_head (acquire). Returns the number of bytes
 * available (0 when empty). */
uint64_t pmu_ring_read_begin(struct pmu_ring *r);
/* The next whole record of this read, or NULL at its end. A record that
 * wraps around the end of the ring is returned from a scratch copy. Valid
 * until the next call. A header that cannot be right (size < 8 or beyond
 * head) sets r->corrupt and ends the read, dropping the rest. */
const struct perf_event_header *pmu_ring_next(struct pmu_ring *r);
/* Ends a read: hands the consumed bytes back to the kernel (release store
 * of data_tail). */
void pmu_ring_read_end(struct pmu_ring *r);
#endif
