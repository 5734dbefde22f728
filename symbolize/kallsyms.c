/* Kernel and module symbols from /proc/kallsyms text (live or a snapshot
 * stored in a recording), and the kernel pseudo-mappings for pprof. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The last symbol of the core kernel or of a module has no known size: an
 * address this far past it is not taken as inside it. */
#define KSYM_TAIL_CORE (1024 * 1024)
#define KSYM_TAIL_MODULE (64 * 1024)
#define KALLSYMS_MAX (64u << 20)

static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/* Parses one line [p, end): "ADDR TYPE NAME[\t[MODULE]]". Returns false for a
 * malformed line. */
static bool parse_line(const char *p, const char *end, uint64_t *addr,
		       char *type, const char **name, size_t *name_len,
		       const char **mod, size_t *mod_len)
{
	uint64_t a = 0;
	int ndig = 0, v;

	while (p < end && (v = hex_digit(*p)) >= 0) {
		if (++ndig > 16)
			return false;
		a = a << 4 | (uint64_t)v;
		p++;
	}
	if (!ndig || p >= end || *p != ' ')
		return false;
	p++;
	if (p >= end || *p == ' ' || *p == '\t')
		return false;
	*type = *p++;
	if (p >= end || *p != ' ')
		return false;
	p++;
	*name = p;
	/* no kernel symbol holds a control byte: a line with one is
	 * malformed (a NUL would make the name "", found by fuzz-kallsyms) */
	while (p < end && *p != ' ' && *p != '\t' && *p != '\r') {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
		p++;
	}
	*name_len = (size_t)(p - *name);
	if (!*name_len || *name_len > 1024)
		return false;
	*mod = NULL;
	*mod_len = 0;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p < end) {
		const char *m = p;

		if (*m != '[')
			return false;
		while (p < end && *p != ']' && *p != ' ' && *p != '\t')
			p++;
		if (p >= end || *p != ']' || p - m < 2)
			return false;
		p++;
		*mod = m;
		*mod_len = (size_t)(p - m);
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p != end)
			return false;
	}
	*addr = a;
	return true;
}

static int ksym_cmp(const void *a, const void *b)
{
	const struct sym_ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Same address: core before modules, then the name, for a stable
	 * choice among aliases. */
	if (!x->module != !y->module)
		return x->module ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int kmod_cmp(const void *a, const void *b)
{
	const struct sym_kmod *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

int sym_kernel_load(struct sym_ctx *ctx, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct sym_ksym *syms = NULL;
	size_t nr = 0, cap = 0, lines = 0, zero = 0, i;
	struct sym_kmod *mods = NULL;
	size_t nr_mods = 0, cap_mods = 0;

	if (!text && len)
		return -EINVAL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *name, *mod;
		size_t name_len, mod_len;
		uint64_t addr;
		char type;

		if (!eol)
			eol = end;
		if (parse_line(p, eol, &addr, &type, &name, &name_len, &mod,
			       &mod_len)) {
			lines++;
			if (!addr) {
				zero++;
			} else if (is_text_type(type)) {
				if (grow_array(&syms, &cap, nr + 1,
					       sizeof(*syms)) < 0)
					goto nomem;
				syms[nr].addr = addr;
				syms[nr].name = sym_intern_n(ctx, name, name_len);
				syms[nr].module = mod ? sym_intern_n(ctx, mod, mod_len)
						      : NULL;
				syms[nr].frame = NULL;
				if (!syms[nr].name || (mod && !syms[nr].module))
					goto nomem;
				nr++;
			}
		}
		p = eol + 1;
	}
	if (nr > 1)
		qsort(syms, nr, sizeof(*syms), ksym_cmp);
	/* Module ranges from their symbols. */
	for (i = 0; i < nr; i++) {
		size_t j;

		if (!syms[i].module)
			continue;
		for (j = 0; j < nr_mods; j++)
			if (mods[j].name == syms[i].module)
				break;
		if (j == nr_mods) {
			if (grow_array(&mods, &cap_mods, nr_mods + 1,
				       sizeof(*mods)) < 0)
				goto nomem;
			mods[j].name = syms[i].module;
			mods[j].start = syms[i].addr;
			mods[j].map = NULL;
			nr_mods++;
		}
		mods[j].end = syms[i].addr + KSYM_TAIL_MODULE;
	}
	if (nr_mods > 1)
		qsort(mods, nr_mods, sizeof(*mods), kmod_cmp);
	free(ctx->ksyms);
	free(ctx->kmods);
	ctx->ksyms = syms;
	ctx->nr_ksyms = nr;
	ctx->kmods = mods;
	ctx->nr_kmods = nr_mods;
	ctx->kmap = NULL; /* rebuilt with the new range */
	/* kptr_restrict shows every address as zero. */
	ctx->kernel_restricted = lines > 0 && zero == lines;
	ctx->kernel_loaded = nr > 0;
	return nr ? 0 : -ENOENT;
nomem:
	free(syms);
	free(mods);
	return -ENOMEM;
}

int sym_kernel_load_live(struct sym_ctx *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	int err = read_file("/proc/kallsyms", KALLSYMS_MAX, &buf, &len);

	if (err < 0)
		return err;
	err = sym_kernel_load(ctx, buf, len);
	free(buf);
	return err;
}

bool sym_kernel_restricted(const struct sym_ctx *ctx)
{
	return ctx->kernel_restricted;
}

static struct sym_map_entry *kernel_map(struct sym_ctx *ctx)
{
	uint64_t start = 0xffff800000000000ULL, end = UINT64_MAX;
	size_t i;

	if (ctx->kmap)
		return ctx->kmap;
	if (ctx->kend > ctx->kstart) {
		start = ctx->kstart;
		end = ctx->kend;
	} else if (ctx->nr_ksyms) {
		uint64_t lo = UINT64_MAX, hi = 0;

		for (i = 0; i < ctx->nr_ksyms; i++) {
			if (ctx->ksyms[i].module)
				continue;
			if (ctx->ksyms[i].addr < lo)
				lo = ctx->ksyms[i].addr;
			if (ctx->ksyms[i].addr > hi)
				hi = ctx->ksyms[i].addr;
		}
		if (lo <= hi) {
			start = lo;
			end = hi + KSYM_TAIL_CORE;
			if (end < hi)
				end = UINT64_MAX;
		}
	}
	ctx->kmap = sym_map_entry_new(ctx, SYM_PID_KERNEL, start, end - start,
				      start, "[kernel.kallsyms]", NULL, 0,
				      true);
	return ctx->kmap;
}

const struct sym_mapping *sym_kernel_find(struct sym_ctx *ctx, uint64_t addr)
{
	size_t lo = 0, hi = ctx->nr_kmods;
	struct sym_map_entry *e;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->kmods[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && addr < ctx->kmods[lo - 1].end) {
		struct sym_kmod *k = &ctx->kmods[lo - 1];

		if (!k->map) {
			/* pgoff = start: the "file offset" of a kernel
			 * address is the address itself. */
			k->map = sym_map_entry_new(ctx, SYM_PID_KERNEL, k->start,
						   k->end - k->start, k->start,
						   k->name, NULL, 0, true);
		}
		if (k->map)
			return &k->map->m;
	}
	e = kernel_map(ctx);
	return e ? &e->m : NULL;
}

const struct sym_frame *sym_kernel_frame(struct sym_ctx *ctx, uint64_t addr,
					 uint64_t *sym_offset)
{
	size_t lo = 0, hi = ctx->nr_ksyms;
	struct sym_ksym *k;
	uint64_t tail;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ctx->ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	k = &ctx->ksyms[lo - 1];
	/* Last symbol of its group (core or one module): bound its size. */
	if (lo == ctx->nr_ksyms || ctx->ksyms[lo].module != k->module) {
		tail = k->module ? KSYM_TAIL_MODULE : KSYM_TAIL_CORE;
		if (addr - k->addr >= tail)
			return NULL;
	}
	if (!k->frame) {
		struct sym_frame *f = sym_arena_alloc(&ctx->arena, sizeof(*f));

		if (!f)
			return NULL;
		memset(f, 0, sizeof(*f));
		f->system_name = k->name;
		f->function = k->name;
		k->frame = f;
	}
	*sym_offset = addr - k->addr;
	return k->frame;
}
