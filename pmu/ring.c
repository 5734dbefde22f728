/* The perf ring buffer reader: the consumer half of the kernel's
 * single-producer ring (barrier contract: tools/include/linux/ring_buffer.h). */
#include "ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static bool pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

int pmu_ring_open(struct pmu_ring *r, int fd, size_t data_pages)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	memset(r, 0, sizeof(*r));
	if (page <= 0 || !pow2(data_pages) || data_pages > (SIZE_MAX / (size_t)page) - 1)
		return -EINVAL;
	r->map_len = (data_pages + 1) * (size_t)page;
	p = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		memset(r, 0, sizeof(*r));
		return err;
	}
	r->base = p;
	r->meta = p;
	r->data = (uint8_t *)p + page;
	r->size = data_pages * (uint64_t)page;
	/* kernels since 4.1 say where the data is; trust them if consistent */
	if (r->meta->data_offset && r->meta->data_size &&
	    r->meta->data_offset + r->meta->data_size <= r->map_len &&
	    pow2(r->meta->data_size)) {
		r->data = (uint8_t *)p + r->meta->data_offset;
		r->size = r->meta->data_size;
	}
	return 0;
}

int pmu_ring_fake_init(struct pmu_ring *r, size_t data_size)
{
	memset(r, 0, sizeof(*r));
	if (!pow2(data_size) || data_size < 64)
		return -EINVAL;
	r->meta = calloc(1, sizeof(*r->meta));
	r->data = calloc(1, data_size);
	if (!r->meta || !r->data) {
		free(r->meta);
		free(r->data);
		memset(r, 0, sizeof(*r));
		return -ENOMEM;
	}
	r->size = data_size;
	r->fake = true;
	return 0;
}

int pmu_ring_fake_write(struct pmu_ring *r, const void *rec, size_t len)
{
	uint64_t head = r->meta->data_head, tail = r->meta->data_tail;
	uint64_t off = head & (r->size - 1), first;

	if (len > r->size - (head - tail))
		return -ENOSPC;
	first = r->size - off < len ? r->size - off : len;
	memcpy(r->data + off, rec, first);
	memcpy(r->data, (const uint8_t *)rec + first, len - first);
	/* the kernel's side of the contract: data before head */
	__atomic_store_n(&r->meta->data_head, head + len, __ATOMIC_RELEASE);
	return 0;
}

void pmu_ring_close(struct pmu_ring *r)
{
	if (r->fake) {
		free(r->meta);
		free(r->data);
	} else if (r->base) {
		munmap(r->base, r->map_len);
	}
	free(r->scratch);
	memset(r, 0, sizeof(*r));
}

uint64_t pmu_ring_read_begin(struct pmu_ring *r)
{
	/* acquire: the records up to head are visible once head is (pairs
	 * with the kernel's store-release of data_head) */
	r->head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
	r->pos = r->meta->data_tail;
	/* a producer that ran more than a whole ring ahead cannot happen with
	 * a writable mapping; guard anyway so a bug never reads garbage */
	if (r->head - r->pos > r->size) {
		r->corrupt = true;
		r->pos = r->head;
	}
	return r->head - r->pos;
}

const struct perf_event_header *pmu_ring_next(struct pmu_ring *r)
{
	uint64_t left = r->head - r->pos, off = r->pos & (r->size - 1);
	struct perf_event_header h;
	const uint8_t *rec;

	if (left < sizeof(h))
		return NULL;
	/* the kernel keeps every record 8-byte aligned and a multiple of 8
	 * long, so a header never wraps; anything else is corruption */
	if ((off & 7) || off + sizeof(h) > r->size) {
		r->corrupt = true;
		r->pos = r->head;
		return NULL;
	}
	memcpy(&h, r->data + off, sizeof(h));
	if (h.size < sizeof(h) || h.size > left || (h.size & 7)) {
		r->corrupt = true;
		r->pos = r->head;
		return NULL;
	}
	if (off + h.size <= r->size) {
		rec = r->data + off;
	} else {
		uint64_t first = r->size - off;

		if (r->scratch_cap < h.size) {
			uint8_t *n = realloc(r->scratch, 65536);

			if (!n) {
				/* cannot copy: skip it rather than stall */
				r->pos += h.size;
				r->corrupt = true;
				return NULL;
			}
			r->scratch = n;
			r->scratch_cap = 65536;
		}
		memcpy(r->scratch, r->data + off, first);
		memcpy(r->scratch + first, r->data, h.size - first);
		rec = r->scratch;
	}
	r->pos += h.size;
	return (const struct perf_event_header *)rec;
}

void pmu_ring_read_end(struct pmu_ring *r)
{
	/* release: our reads of the records are done before the kernel may
	 * overwrite them (pairs with the kernel's read of data_tail) */
	__atomic_store_n(&r->meta->data_tail, r->pos, __ATOMIC_RELEASE);
}
