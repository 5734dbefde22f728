/* A bump allocator for many small objects freed all at once (interned
 * strings, aggregated stacks): one free instead of millions. */
#ifndef CPERF_ARENA_H
#define CPERF_ARENA_H

#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t used, size;   /* of head */
	size_t total;        /* bytes in all blocks (for statistics) */
};
#define ARENA_INIT { NULL, 0, 0, 0 }

/* n bytes aligned to 8, or NULL when out of memory. Release: arena_fini. */
void *arena_alloc(struct arena *a, size_t n);
/* A copy of n bytes / of a string, or NULL. */
void *arena_memdup(struct arena *a, const void *p, size_t n);
char *arena_strdup(struct arena *a, const char *s);
void arena_fini(struct arena *a);
#endif
