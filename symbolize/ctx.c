/* The symbolizer context: options, the arena that owns every returned string
 * and frame, string interning, the object table and statistics. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_CHUNK (64 * 1024)

struct sym_arena_chunk {
	struct sym_arena_chunk *next;
	max_align_t data[];
};

void *sym_arena_alloc(struct sym_arena *a, size_t size)
{
	struct sym_arena_chunk *c;
	size_t cap;

	size = (size + 15) & ~(size_t)15;
	if (a->head && a->cap - a->used >= size) {
		void *p = (char *)a->head->data + a->used;
		a->used += size;
		return p;
	}
	cap = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
	c = malloc(sizeof(*c) + cap);
	if (!c)
		return NULL;
	if (size > ARENA_CHUNK / 4 && a->head) {
		/* A big block goes behind the current chunk, which keeps its
		 * free space. */
		c->next = a->head->next;
		a->head->next = c;
		return c->data;
	}
	c->next = a->head;
	a->head = c;
	a->cap = cap;
	a->used = size;
	return c->data;
}

void sym_arena_fini(struct sym_arena *a)
{
	struct sym_arena_chunk *c = a->head, *n;

	for (; c; c = n) {
		n = c->next;
		free(c);
	}
	memset(a, 0, sizeof(*a));
}

void sym_options_init(struct sym_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->inline_frames = true;
	opt->demangle = true;
}

static char *dup_or_null(const char *s, int *err)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*err = ENOMEM;
	return d;
}

struct sym_ctx *sym_ctx_new(const struct sym_options *opt)
{
	struct sym_ctx *ctx = calloc(1, sizeof(*ctx));
	struct strbuf sb = STRBUF_INIT;
	int err = 0;

	if (!ctx)
		return NULL;
	if (opt)
		ctx->opt = *opt;
	else
		sym_options_init(&ctx->opt);
	ctx->debug_dirs = dup_or_null(ctx->opt.debug_dirs, &err);
	ctx->perf_map_dir = dup_or_null(ctx->opt.perf_map_dir, &err);
	ctx->kernel_release = dup_or_null(ctx->opt.kernel_release, &err);
	ctx->opt.kernel_release = ctx->kernel_release;
	ctx->opt.debug_dirs = ctx->debug_dirs;
	ctx->opt.perf_map_dir = ctx->perf_map_dir;
	/* libdwfl's search path: the object's own directory, its .debug/,
	 * the extra roots, then /usr/lib/debug; absolute entries are also the
	 * roots of the .build-id/xx/rest.debug search. */
	if (sb_puts(&sb, ":.debug") < 0 ||
	    (ctx->debug_dirs && *ctx->debug_dirs &&
	     sb_printf(&sb, ":%s", ctx->debug_dirs) < 0) ||
	    sb_puts(&sb, ":/usr/lib/debug") < 0)
		err = ENOMEM;
	ctx->debuginfo_path = sb_detach(&sb);
	if (err || !ctx->debuginfo_path) {
		sym_ctx_free(ctx);
		errno = ENOMEM;
		return NULL;
	}
	ctx->cb.find_elf = dwfl_build_id_find_elf;
	ctx->cb.find_debuginfo = dwfl_standard_find_debuginfo;
	ctx->cb.section_address = dwfl_offline_section_address;
	ctx->cb.debuginfo_path = &ctx->debuginfo_path;
	return ctx;
}

void sym_ctx_free(struct sym_ctx *ctx)
{
	size_t i;

	if (!ctx)
		return;
	/* Frames before objects: they came from the objects' CFI. */
	sym_unwind_free_frames(ctx);
	for (i = 0; i < ctx->cap_objs; i++) {
		struct sym_object *o;

		for (o = ctx->objs[i]; o; o = o->next)
			sym_object_close(o);
	}
	for (i = 0; i < ctx->cap_spaces; i++) {
		struct sym_space *s;

		for (s = ctx->spaces[i]; s; s = s->next)
			free(s->maps);
	}
	free(ctx->objs);
	free(ctx->spaces);
	free(ctx->ids);
	free(ctx->bids);
	free(ctx->cache);
	free(ctx->strs);
	free(ctx->ksyms);
	free(ctx->kmods);
	free(ctx->debug_dirs);
	free(ctx->perf_map_dir);
	free(ctx->kernel_release);
	free(ctx->debuginfo_path);
	sym_arena_fini(&ctx->arena);
	free(ctx);
}

/* ---- interning ----------------------------------------------------------- */

static int strs_grow(struct sym_ctx *ctx)
{
	size_t ncap = ctx->cap_strs ? ctx->cap_strs * 2 : 1024, i;
	const char **n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < ctx->cap_strs; i++) {
		const char *s = ctx->strs[i];
		size_t h;

		if (!s)
			continue;
		h = hash_bytes(s, strlen(s), 0) & (ncap - 1);
		while (n[h])
			h = (h + 1) & (ncap - 1);
		n[h] = s;
	}
	free(ctx->strs);
	ctx->strs = n;
	ctx->cap_strs = ncap;
	return 0;
}

const char *sym_intern_n(struct sym_ctx *ctx, const char *s, size_t len)
{
	size_t h;
	char *d;

	if (!s)
		return NULL;
	if ((ctx->nr_strs + 1) * 2 > ctx->cap_strs && strs_grow(ctx) < 0)
		return NULL;
	h = hash_bytes(s, len, 0) & (ctx->cap_strs - 1);
	for (; ctx->strs[h]; h = (h + 1) & (ctx->cap_strs - 1)) {
		const char *e = ctx->strs[h];

		if (!strncmp(e, s, len) && e[len] == '\0')
			return e;
	}
	d = sym_arena_alloc(&ctx->arena, len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	ctx->strs[h] = d;
	ctx->nr_strs++;
	return d;
}

const char *sym_intern(struct sym_ctx *ctx, const char *s)
{
	return s ? sym_intern_n(ctx, s, strlen(s)) : NULL;
}

const char *sym_intern_name(struct sym_ctx *ctx, const char *raw,
			    const char **display)
{
	const char *r = sym_intern(ctx, raw);
	char *dm;

	*display = r;
	if (!r || !ctx->opt.demangle)
		return r;
	dm = sym_demangle(r);
	if (dm) {
		*display = sym_intern(ctx, dm);
		free(dm);
		if (!*display)
			*display = r;
	}
	return r;
}

/* ---- objects --------------------------------------------------------------- */

static uint64_t obj_hash(enum sym_obj_kind kind, const char *path,
			 const uint8_t *bid, size_t bid_len, uint32_t pid)
{
	if (kind == SYM_OBJ_JIT)
		return hash_u64(pid + 1);
	if (bid_len)
		return hash_bytes(bid, bid_len, 1);
	return hash_bytes(path, strlen(path), 2);
}

struct sym_object *sym_object_get(struct sym_ctx *ctx, enum sym_obj_kind kind,
				  const char *path, const uint8_t *bid,
				  size_t bid_len, uint32_t pid)
{
	struct sym_object *o;
	size_t h;

	if (bid_len > SYM_BUILD_ID_MAX)
		bid_len = SYM_BUILD_ID_MAX;
	if (ctx->nr_objs + 1 > ctx->cap_objs) {
		size_t ncap = ctx->cap_objs ? ctx->cap_objs * 2 : 256, i;
		struct sym_object **n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (i = 0; i < ctx->cap_objs; i++) {
			struct sym_object *nx;

			for (o = ctx->objs[i]; o; o = nx) {
				nx = o->next;
				h = obj_hash(o->kind, o->path, o->build_id,
					     o->build_id_len, o->pid) &
				    (ncap - 1);
				o->next = n[h];
				n[h] = o;
			}
		}
		free(ctx->objs);
		ctx->objs = n;
		ctx->cap_objs = ncap;
	}
	h = obj_hash(kind, path, bid, bid_len, pid) & (ctx->cap_objs - 1);
	for (o = ctx->objs[h]; o; o = o->next) {
		if (o->kind != kind)
			continue;
		if (kind == SYM_OBJ_JIT) {
			if (o->pid == pid)
				return o;
		} else if (bid_len) {
			/* The same build-id is the same object, whatever
			 * path or namespace it was mapped from. */
			if (o->build_id_len == bid_len &&
			    !memcmp(o->build_id, bid, bid_len))
				return o;
		} else if (!o->build_id_len && !strcmp(o->path, path)) {
			return o;
		}
	}
	o = sym_arena_alloc(&ctx->arena, sizeof(*o));
	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->path = sym_intern(ctx, path);
	if (!o->path)
		return NULL;
	if (bid_len)
		memcpy(o->build_id, bid, bid_len);
	o->build_id_len = (uint8_t)bid_len;
	o->pid = pid;
	o->next = ctx->objs[h];
	ctx->objs[h] = o;
	ctx->nr_objs++;
	if (kind == SYM_OBJ_ELF)
		ctx->stats.objects++;
	return o;
}

void sym_ctx_stats(const struct sym_ctx *ctx, struct sym_stats *out)
{
	*out = ctx->stats;
	out->kernel_loaded = ctx->kernel_loaded;
	out->kernel_restricted = ctx->kernel_restricted;
}

size_t sym_ctx_problems(const struct sym_ctx *ctx, struct sym_problem *out,
			size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ctx->cap_objs; i++) {
		const struct sym_object *o;

		for (o = ctx->objs[i]; o; o = o->next) {
			enum sym_problem_kind k;

			if (o->kind != SYM_OBJ_ELF)
				continue;
			if (o->state == SYM_OBJ_MISSING && o->path[0] == '/')
				k = SYM_PROBLEM_MISSING;
			else if (o->state == SYM_OBJ_MISMATCH)
				k = SYM_PROBLEM_MISMATCH;
			else if (o->state == SYM_OBJ_OK && !o->has_dwarf)
				k = SYM_PROBLEM_NO_DEBUG;
			else
				continue;
			if (n < max) {
				out[n].path = o->path;
				out[n].kind = k;
			}
			n++;
		}
	}
	return n;
}
