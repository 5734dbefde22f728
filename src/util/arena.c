/* The bump allocator of arena.h. */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	struct arena_block *next;
	size_t pad; /* keeps data 16-byte aligned */
	unsigned char data[];
};

enum { ARENA_MIN_BLOCK = 64 * 1024, ARENA_MAX_BLOCK = 4 * 1024 * 1024 };

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t size;

	n = (n + 7) & ~(size_t)7;
	if (n == 0)
		n = 8;
	if (a->head && a->size - a->used >= n) {
		void *p = a->head->data + a->used;

		a->used += n;
		return p;
	}
	/* blocks grow with the arena so big profiles need few mallocs */
	size = a->total / 4;
	if (size < ARENA_MIN_BLOCK)
		size = ARENA_MIN_BLOCK;
	if (size > ARENA_MAX_BLOCK)
		size = ARENA_MAX_BLOCK;
	if (size < n)
		size = n;
	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = a->head;
	a->head = b;
	a->size = size;
	a->used = n;
	a->total += size;
	return b->data;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_memdup(a, s, strlen(s) + 1);
}

void arena_fini(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = a->size = a->total = 0;
}
