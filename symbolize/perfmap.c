/* JIT symbols from /tmp/perf-PID.map ("START SIZE name" hex lines), the
 * convention of V8, the JVM agents, LuaJIT and others. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define PERF_MAP_MAX (256u << 20)

bool sym_path_is_anon(const char *path)
{
	return !strncmp(path, "//anon", 6) || !strncmp(path, "[anon", 5) ||
	       !strncmp(path, "/memfd:", 7) || !strncmp(path, "/tmp/perf-", 10) ||
	       !strcmp(path, "[heap]") || !*path;
}

static bool parse_hex(const char **pp, const char *end, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	int n = 0;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; p < end; p++) {
		int d = hex_digit(*p);

		if (d < 0)
			break;
		if (++n > 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (!n)
		return false;
	*pp = p;
	*out = v;
	return true;
}

static int jit_cmp(const void *a, const void *b)
{
	const struct sym_jit_sym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* frame holds the line number while sorting: keeps line order */
	if (x->frame != y->frame)
		return (uintptr_t)x->frame < (uintptr_t)y->frame ? -1 : 1;
	return 0;
}

static int jit_parse(struct sym_ctx *ctx, struct sym_space *sp,
		     const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct sym_jit *j = sym_arena_alloc(&ctx->arena, sizeof(*j));
	struct sym_jit_sym *syms = NULL, *out;
	size_t nr = 0, cap = 0, i, w;
	char pathbuf[64];

	if (!j)
		return -ENOMEM;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;
		uint64_t start, size;
		const char *name;
		size_t nlen;

		if (!eol)
			eol = end;
		if (!parse_hex(&q, eol, &start) || q >= eol || *q != ' ')
			goto next;
		while (q < eol && *q == ' ')
			q++;
		if (!parse_hex(&q, eol, &size) || q >= eol || *q != ' ')
			goto next;
		while (q < eol && *q == ' ')
			q++;
		name = q;
		nlen = (size_t)(eol - q);
		while (nlen && (name[nlen - 1] == '\r' || name[nlen - 1] == ' '))
			nlen--;
		if (!nlen || !size || start + size < start)
			goto next;
		/* control bytes (a NUL would cut the name short; escapes
		 * would reach the terminal through reports): skip the line */
		for (i = 0; i < nlen; i++)
			if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
				break;
		if (i < nlen)
			goto next;
		if (grow_array(&syms, &cap, nr + 1, sizeof(*syms)) < 0)
			goto nomem;
		syms[nr].start = start;
		syms[nr].size = size;
		syms[nr].name = sym_intern_n(ctx, name, nlen);
		syms[nr].frame = NULL;
		if (!syms[nr].name)
			goto nomem;
		nr++;
next:
		p = eol + 1;
	}
	/* Sorted by start; of two lines with the same start the later wins
	 * (code was regenerated there). */
	for (i = 0; i < nr; i++)
		syms[i].frame = (void *)(uintptr_t)i;
	if (nr > 1)
		qsort(syms, nr, sizeof(*syms), jit_cmp);
	out = nr ? sym_arena_alloc(&ctx->arena, nr * sizeof(*out)) : NULL;
	if (nr && !out)
		goto nomem;
	for (i = 0, w = 0; i < nr; i++) {
		if (w && out[w - 1].start == syms[i].start)
			w--;
		out[w] = syms[i];
		out[w].frame = NULL;
		w++;
	}
	free(syms);
	j->syms = out;
	j->nr = w;
	snprintf(pathbuf, sizeof(pathbuf), "/tmp/perf-%u.map", sp->pid);
	j->obj = sym_object_get(ctx, SYM_OBJ_JIT, pathbuf, NULL, 0, sp->pid);
	if (!j->obj)
		return -ENOMEM;
	j->obj->state = SYM_OBJ_OK;
	sp->jit = j;
	sp->jit_tried = true;
	sp->jit_map = NULL;
	if (w) {
		uint64_t lo = out[0].start, hi = 0;

		for (i = 0; i < w; i++)
			if (out[i].start + out[i].size > hi)
				hi = out[i].start + out[i].size;
		/* pgoff = start: file offsets of JIT code are addresses. */
		sp->jit_map = sym_map_entry_new(ctx, sp->pid, lo, hi - lo, lo,
						pathbuf, NULL, 0, false);
		if (!sp->jit_map)
			return -ENOMEM;
	}
	return 0;
nomem:
	free(syms);
	return -ENOMEM;
}

int sym_perf_map_load(struct sym_ctx *ctx, uint32_t pid, const char *text,
		      size_t len)
{
	struct sym_space *sp = sym_space_get(ctx, pid, true);

	if (!sp)
		return -ENOMEM;
	if (!text && len)
		return -EINVAL;
	return jit_parse(ctx, sp, text ? text : "", len);
}

/* Reads a perf map: /tmp is writable by everyone, so like perf only a
 * regular file owned by us or by root is trusted. */
static int read_map(const char *path, char **out, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = sym_open_regular(path);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) != 0 || (st.st_uid != geteuid() && st.st_uid != 0) ||
	    st.st_size < 0 || (uint64_t)st.st_size > PERF_MAP_MAX) {
		close(fd);
		return -EPERM;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

static struct sym_jit *jit_get(struct sym_ctx *ctx, struct sym_space *sp)
{
	char path[4096];
	char *buf = NULL;
	size_t len = 0;

	if (sp->jit_tried)
		return sp->jit;
	sp->jit_tried = true;
	snprintf(path, sizeof(path), "%s/perf-%u.map",
		 ctx->perf_map_dir ? ctx->perf_map_dir : "/tmp", sp->pid);
	if (read_map(path, &buf, &len) < 0)
		return NULL;
	if (jit_parse(ctx, sp, buf, len) < 0)
		sp->jit = NULL;
	free(buf);
	return sp->jit;
}

static const struct sym_jit_sym *jit_sym(const struct sym_jit *j, uint64_t addr)
{
	size_t lo = 0, hi = j->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (j->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - j->syms[lo - 1].start >= j->syms[lo - 1].size)
		return NULL;
	return &j->syms[lo - 1];
}

const struct sym_mapping *sym_jit_find(struct sym_ctx *ctx,
				       struct sym_space *sp, uint64_t addr)
{
	struct sym_jit *j = jit_get(ctx, sp);

	if (!j || !sp->jit_map || !jit_sym(j, addr))
		return NULL;
	return &sp->jit_map->m;
}

const struct sym_frame *sym_jit_lookup(struct sym_ctx *ctx, uint32_t pid,
				       uint64_t addr, uint64_t *sym_offset)
{
	struct sym_space *sp = sym_space_get(ctx, pid, false);
	struct sym_jit_sym *s;
	struct sym_jit *j;

	if (!sp)
		return NULL;
	j = jit_get(ctx, sp);
	if (!j)
		return NULL;
	s = (struct sym_jit_sym *)jit_sym(j, addr);
	if (!s)
		return NULL;
	if (!s->frame) {
		struct sym_frame *f = sym_arena_alloc(&ctx->arena, sizeof(*f));

		if (!f)
			return NULL;
		memset(f, 0, sizeof(*f));
		f->function = s->name;
		f->system_name = s->name;
		s->frame = f;
	}
	*sym_offset = addr - s->start;
	return s->frame;
}
