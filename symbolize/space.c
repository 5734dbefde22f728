/* Per-process address spaces with time-aware mappings: which object covered
 * an address of a process at a given time, across fork, exec and remaps. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct sym_space *sym_space_get(struct sym_ctx *ctx, uint32_t pid, bool create)
{
	struct sym_space *s;
	size_t h;

	if (ctx->cap_spaces) {
		h = hash_u64(pid) & (ctx->cap_spaces - 1);
		for (s = ctx->spaces[h]; s; s = s->next)
			if (s->pid == pid)
				return s;
	}
	if (!create)
		return NULL;
	if (ctx->nr_spaces + 1 > ctx->cap_spaces) {
		size_t ncap = ctx->cap_spaces ? ctx->cap_spaces * 2 : 256, i;
		struct sym_space **n = calloc(ncap, sizeof(*n)), *nx;

		if (!n)
			return NULL;
		for (i = 0; i < ctx->cap_spaces; i++) {
			for (s = ctx->spaces[i]; s; s = nx) {
				nx = s->next;
				h = hash_u64(s->pid) & (ncap - 1);
				s->next = n[h];
				n[h] = s;
			}
		}
		free(ctx->spaces);
		ctx->spaces = n;
		ctx->cap_spaces = ncap;
	}
	s = sym_arena_alloc(&ctx->arena, sizeof(*s));
	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->first_exec = UINT64_MAX;
	h = hash_u64(pid) & (ctx->cap_spaces - 1);
	s->next = ctx->spaces[h];
	ctx->spaces[h] = s;
	ctx->nr_spaces++;
	return s;
}

static uint64_t id_hash(const struct sym_mapping *m)
{
	uint64_t h = hash_bytes(m->path, strlen(m->path), m->start);

	h ^= hash_u64(m->pgoff + 0x9e3779b97f4a7c15ULL);
	if (m->build_id_len)
		h ^= hash_bytes(m->build_id, m->build_id_len, 3);
	return hash_u64(h ^ m->kernel);
}

static bool id_same(const struct sym_mapping *a, const struct sym_mapping *b)
{
	/* Paths are interned: pointer equality is string equality. */
	return a->path == b->path && a->start == b->start &&
	       a->pgoff == b->pgoff && a->kernel == b->kernel &&
	       a->build_id_len == b->build_id_len &&
	       !memcmp(a->build_id, b->build_id, a->build_id_len);
}

/* Gives e the id of an identical earlier mapping, or the next free one. */
static int assign_id(struct sym_ctx *ctx, struct sym_map_entry *e)
{
	size_t h, i;

	if ((ctx->nr_ids + 1) * 2 > ctx->cap_ids) {
		size_t ncap = ctx->cap_ids ? ctx->cap_ids * 2 : 512;
		struct sym_map_entry **n = calloc(ncap, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (i = 0; i < ctx->cap_ids; i++) {
			if (!ctx->ids[i])
				continue;
			h = id_hash(&ctx->ids[i]->m) & (ncap - 1);
			while (n[h])
				h = (h + 1) & (ncap - 1);
			n[h] = ctx->ids[i];
		}
		free(ctx->ids);
		ctx->ids = n;
		ctx->cap_ids = ncap;
	}
	h = id_hash(&e->m) & (ctx->cap_ids - 1);
	for (; ctx->ids[h]; h = (h + 1) & (ctx->cap_ids - 1)) {
		if (id_same(&ctx->ids[h]->m, &e->m)) {
			e->m.id = ctx->ids[h]->m.id;
			return 0;
		}
	}
	ctx->ids[h] = e;
	ctx->nr_ids++;
	e->m.id = (unsigned)ctx->nr_ids;
	return 0;
}

static const struct sym_bid *bid_find(const struct sym_ctx *ctx,
				      const char *path)
{
	size_t i;

	for (i = 0; i < ctx->nr_bids; i++)
		if (ctx->bids[i].path == path)
			return &ctx->bids[i];
	return NULL;
}

int sym_add_build_id(struct sym_ctx *ctx, const char *path,
		     const uint8_t *build_id, size_t build_id_len)
{
	struct sym_bid *b;
	const char *p;

	if (!path || !build_id || !build_id_len ||
	    build_id_len > SYM_BUILD_ID_MAX)
		return -EINVAL;
	p = sym_intern(ctx, path);
	if (!p)
		return -ENOMEM;
	b = (struct sym_bid *)bid_find(ctx, p);
	if (!b) {
		if (grow_array(&ctx->bids, &ctx->cap_bids, ctx->nr_bids + 1,
			       sizeof(*ctx->bids)) < 0)
			return -ENOMEM;
		b = &ctx->bids[ctx->nr_bids++];
	}
	b->path = p;
	memcpy(b->id, build_id, build_id_len);
	b->len = (uint8_t)build_id_len;
	return 0;
}

struct sym_map_entry *sym_map_entry_new(struct sym_ctx *ctx, uint32_t pid,
					uint64_t start, uint64_t len,
					uint64_t pgoff, const char *path,
					const uint8_t *bid, size_t bid_len,
					bool kernel)
{
	struct sym_map_entry *e = sym_arena_alloc(&ctx->arena, sizeof(*e));

	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->m.start = start;
	e->m.len = len;
	e->m.pgoff = pgoff;
	e->m.path = sym_intern(ctx, path ? path : "");
	if (!e->m.path)
		return NULL;
	if (bid && bid_len && bid_len <= SYM_BUILD_ID_MAX) {
		memcpy(e->m.build_id, bid, bid_len);
		e->m.build_id_len = (uint8_t)bid_len;
	} else {
		const struct sym_bid *b = bid_find(ctx, e->m.path);

		if (b) {
			memcpy(e->m.build_id, b->id, b->len);
			e->m.build_id_len = b->len;
		}
	}
	e->m.pid = pid;
	e->m.kernel = kernel;
	e->end_time = UINT64_MAX;
	if (assign_id(ctx, e) < 0)
		return NULL;
	return e;
}

static int space_insert(struct sym_space *s, struct sym_map_entry *e)
{
	size_t lo = 0, hi = s->nr_maps;

	if (grow_array(&s->maps, &s->cap_maps, s->nr_maps + 1,
		       sizeof(*s->maps)) < 0)
		return -ENOMEM;
	/* Sorted by start; equal starts keep insertion order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->maps[mid]->m.start <= e->m.start)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&s->maps[lo + 1], &s->maps[lo],
		(s->nr_maps - lo) * sizeof(*s->maps));
	s->maps[lo] = e;
	s->nr_maps++;
	if (e->m.len > s->max_len)
		s->max_len = e->m.len;
	return 0;
}

int sym_space_mmap(struct sym_ctx *ctx, uint32_t pid, uint64_t time,
		   uint64_t start, uint64_t len, uint64_t pgoff,
		   const char *path, const uint8_t *build_id,
		   size_t build_id_len)
{
	struct sym_space *s;
	struct sym_map_entry *e;

	if (!len || start + len < start || !path)
		return -EINVAL;
	if (build_id_len > SYM_BUILD_ID_MAX)
		return -EINVAL;
	if (pid == SYM_PID_KERNEL) {
		/* perf's kernel map: "[kernel.kallsyms]_text" at _text;
		 * modules are told apart through kallsyms. */
		if (!strncmp(path, "[kernel.kallsyms]", 17)) {
			ctx->kstart = start;
			ctx->kend = start + len;
		}
		return 0;
	}
	s = sym_space_get(ctx, pid, true);
	if (!s)
		return -ENOMEM;
	e = sym_map_entry_new(ctx, pid, start, len, pgoff, path, build_id,
			      build_id_len, false);
	if (!e)
		return -ENOMEM;
	e->time = time;
	e->seq = ++ctx->seq;
	return space_insert(s, e);
}

int sym_space_fork(struct sym_ctx *ctx, uint32_t ppid, uint32_t pid,
		   uint64_t time)
{
	struct sym_space *s;

	if (ppid == pid)
		return 0;
	s = sym_space_get(ctx, pid, true);
	if (!s)
		return -ENOMEM;
	/* The child looks through to its parent as it was at the fork, until
	 * its first exec: nothing is copied, so the parent's mappings that
	 * arrive late (another CPU's ring) still count. */
	s->has_parent = true;
	s->ppid = ppid;
	s->fork_time = time;
	return 0;
}

int sym_space_exec(struct sym_ctx *ctx, uint32_t pid, uint64_t time)
{
	struct sym_space *s = sym_space_get(ctx, pid, true);
	size_t i;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < s->nr_maps; i++) {
		struct sym_map_entry *e = s->maps[i];

		if (e->time < time && e->end_time > time)
			e->end_time = time;
	}
	if (time < s->first_exec)
		s->first_exec = time;
	return 0;
}

/* Is a better than b as the answer for a lookup at time? */
static bool better(const struct sym_map_entry *a, const struct sym_map_entry *b,
		   uint64_t time)
{
	bool a_old, b_old;

	if (!b)
		return true;
	a_old = a->time <= time;
	b_old = b->time <= time;
	if (a_old != b_old)
		return a_old;
	if (a_old) /* both at or before: the latest */
		return a->time > b->time || (a->time == b->time && a->seq > b->seq);
	/* both younger than time: the earliest */
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static const struct sym_map_entry *space_find(struct sym_space *s,
					      uint64_t time, uint64_t addr,
					      bool strict)
{
	const struct sym_map_entry *best = NULL;
	size_t lo = 0, hi = s->nr_maps, i;

	/* Candidates start at or below addr: the first index with
	 * start > addr bounds the scan; scanning back stops once no earlier
	 * mapping could reach addr (none is longer than max_len). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->maps[mid]->m.start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i-- > 0;) {
		const struct sym_map_entry *e = s->maps[i];

		if (addr - e->m.start >= s->max_len)
			break;
		if (addr - e->m.start >= e->m.len)
			continue;
		if (e->end_time <= time)
			continue; /* an exec removed it before time */
		if (strict && e->time > time)
			continue;
		if (!best || better(e, best, time))
			best = e;
	}
	return best;
}

const struct sym_mapping *sym_space_find(struct sym_ctx *ctx, uint32_t pid,
					 uint64_t time, uint64_t addr)
{
	struct sym_space *s = sym_space_get(ctx, pid, false), *cur;
	const struct sym_map_entry *e = NULL;
	uint64_t t = time;
	unsigned depth;

	if (pid == SYM_PID_KERNEL)
		return sym_kernel_find(ctx, addr);
	/* Follow fork parents (bounded: pid reuse could make a loop). A
	 * mapping younger than time is only a fallback: the parent's at the
	 * fork is the better answer when there is one. */
	for (cur = s, depth = 0; cur && depth < 64; depth++) {
		const struct sym_map_entry *f;

		/* In a parent, only what it had mapped at the fork. */
		f = space_find(cur, t, addr, depth > 0);
		if (f && f->time <= t)
			return &f->m;
		if (f && !e)
			e = f;
		if (!cur->has_parent || t >= cur->first_exec)
			break;
		if (t > cur->fork_time)
			t = cur->fork_time;
		cur = sym_space_get(ctx, cur->ppid, false);
	}
	if (e)
		return &e->m;
	if (!s)
		s = sym_space_get(ctx, pid, true);
	return s ? sym_jit_find(ctx, s, addr) : NULL;
}
