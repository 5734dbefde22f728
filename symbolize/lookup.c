/* sym_lookup: an address in a mapping to its frames, through the cache keyed
 * by (object, file offset) so each unique address is resolved once. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static size_t cache_slot(const struct sym_ctx *ctx, const struct sym_object *o,
			 uint64_t key, bool ra)
{
	uint64_t h = hash_u64((uint64_t)(uintptr_t)o ^ hash_u64(key) ^ ra);

	return h & (ctx->cap_cache - 1);
}

static struct sym_cache_entry *cache_find(struct sym_ctx *ctx,
					  const struct sym_object *o,
					  uint64_t key, bool ra)
{
	struct sym_cache_entry *e;

	if (!ctx->cap_cache)
		return NULL;
	for (e = ctx->cache[cache_slot(ctx, o, key, ra)]; e; e = e->next)
		if (e->obj == o && e->key == key && e->ra == ra)
			return e;
	return NULL;
}

static struct sym_cache_entry *cache_add(struct sym_ctx *ctx,
					 const struct sym_object *o,
					 uint64_t key, bool ra)
{
	struct sym_cache_entry *e;
	size_t h;

	if (ctx->nr_cache + 1 > ctx->cap_cache) {
		size_t ncap = ctx->cap_cache ? ctx->cap_cache * 2 : 4096, i;
		struct sym_cache_entry **n = calloc(ncap, sizeof(*n)), *nx;

		if (!n)
			return NULL;
		for (i = 0; i < ctx->cap_cache; i++) {
			for (e = ctx->cache[i]; e; e = nx) {
				nx = e->next;
				h = hash_u64((uint64_t)(uintptr_t)e->obj ^
					     hash_u64(e->key) ^ e->ra) &
				    (ncap - 1);
				e->next = n[h];
				n[h] = e;
			}
		}
		free(ctx->cache);
		ctx->cache = n;
		ctx->cap_cache = ncap;
	}
	e = sym_arena_alloc(&ctx->arena, sizeof(*e));
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->obj = o;
	e->key = key;
	e->ra = ra;
	h = cache_slot(ctx, o, key, ra);
	e->next = ctx->cache[h];
	ctx->cache[h] = e;
	ctx->nr_cache++;
	return e;
}

bool sym_offset_to_vaddr(const struct sym_object *o, uint64_t off,
			 uint64_t *vaddr)
{
	size_t i;

	for (i = 0; i < o->nr_loads; i++) {
		const struct sym_load *l = &o->loads[i];

		if (off >= l->offset && off - l->offset < l->filesz) {
			*vaddr = l->vaddr + (off - l->offset);
			return true;
		}
	}
	return false;
}

static struct sym_object *mapping_object(struct sym_ctx *ctx,
					 struct sym_map_entry *e)
{
	struct sym_object *o = e->obj;

	if (o)
		return o;
	o = sym_object_get(ctx, SYM_OBJ_ELF, e->m.path, e->m.build_id,
			   e->m.build_id_len, e->m.pid);
	if (!o)
		return NULL;
	if (o->state == SYM_OBJ_UNTRIED && !o->map_end) {
		o->pid = e->m.pid;
		o->map_start = e->m.start;
		o->map_end = e->m.start + e->m.len;
	}
	e->obj = o;
	return o;
}

struct sym_object *sym_unwind_object(struct sym_ctx *ctx,
				     const struct sym_mapping *m)
{
	return mapping_object(ctx, sym_entry_of(m));
}

/* Resolves an ELF address not in the cache into e->res. */
static int resolve_elf(struct sym_ctx *ctx, struct sym_object *o,
		       uint64_t off, bool ra, struct sym_result *res)
{
	uint64_t look = ra && off ? off - 1 : off, vaddr, so = 0;
	struct sym_frame *frames;
	size_t nr;

	sym_object_open(ctx, o);
	if (o->state != SYM_OBJ_OK || !sym_offset_to_vaddr(o, look, &vaddr))
		return 0;
	res->rel_addr = vaddr + (look != off);
	nr = sym_elf_frames(ctx, o, vaddr, &so);
	if (!nr)
		return 0;
	frames = sym_arena_alloc(&ctx->arena, nr * sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	memcpy(frames, ctx->scratch, nr * sizeof(*frames));
	res->frames = frames;
	res->nr = nr;
	res->sym_offset = so + (look != off);
	res->resolved = frames[nr - 1].function != NULL;
	ctx->stats.inline_frames += nr - 1;
	return 0;
}

int sym_lookup(struct sym_ctx *ctx, const struct sym_mapping *m, uint64_t addr,
	       bool return_address, struct sym_result *out)
{
	struct sym_cache_entry *ce;
	struct sym_map_entry *e;
	struct sym_object *o;
	uint64_t off, so = 0;
	const struct sym_frame *f;
	int err;

	memset(out, 0, sizeof(*out));
	out->mapping = m;
	out->file_offset = addr;
	out->rel_addr = addr;
	ctx->stats.lookups++;
	if (!m || addr - m->start >= m->len) {
		ctx->stats.unresolved++;
		return 0;
	}
	/* Return addresses are looked up at addr - 1: the call instruction,
	 * not whatever follows it (another line, or another function after
	 * a call to a noreturn function). */
	if (m->kernel) {
		f = sym_kernel_frame(ctx, return_address ? addr - 1 : addr, &so);
		goto single;
	}
	off = addr - m->start + m->pgoff;
	out->file_offset = off;
	if (sym_path_is_anon(m->path)) {
		f = sym_jit_lookup(ctx, m->pid, return_address ? addr - 1 : addr,
				   &so);
		goto single;
	}
	e = sym_entry_of(m);
	o = mapping_object(ctx, e);
	if (!o)
		return -ENOMEM;
	ce = cache_find(ctx, o, off, return_address);
	if (ce) {
		ctx->stats.cache_hits++;
		*out = ce->res;
		out->mapping = m;
		if (out->resolved)
			ctx->stats.resolved++;
		else
			ctx->stats.unresolved++;
		return 0;
	}
	ce = cache_add(ctx, o, off, return_address);
	if (!ce)
		return -ENOMEM;
	ce->res.file_offset = off;
	ce->res.rel_addr = off;
	err = resolve_elf(ctx, o, off, return_address, &ce->res);
	if (err < 0)
		return err;
	if (ce->res.resolved)
		ctx->stats.resolved++;
	else
		ctx->stats.unresolved++;
	*out = ce->res;
	out->mapping = m;
	return 0;

single:
	if (f) {
		out->frames = f;
		out->nr = 1;
		out->resolved = true;
		out->sym_offset = so + (return_address ? 1 : 0);
		ctx->stats.resolved++;
	} else {
		ctx->stats.unresolved++;
	}
	return 0;
}

int sym_kernel_lookup(struct sym_ctx *ctx, uint64_t addr, bool return_address,
		      struct sym_result *out)
{
	return sym_lookup(ctx, sym_kernel_find(ctx, addr), addr, return_address,
			  out);
}
