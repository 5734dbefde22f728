/* Placeholder implementations of the symbolize API, so callers build while the
 * real code lands. */
#include "symbolize.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void sym_options_init(struct sym_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->inline_frames = true;
	opt->demangle = true;
}

struct sym_ctx {
	struct sym_options opt;
};

struct sym_ctx *sym_ctx_new(const struct sym_options *opt)
{
	struct sym_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	if (opt)
		ctx->opt = *opt;
	else
		sym_options_init(&ctx->opt);
	return ctx;
}

void sym_ctx_free(struct sym_ctx *ctx)
{
	free(ctx);
}

int sym_space_mmap(struct sym_ctx *ctx, uint32_t pid, uint64_t time,
		   uint64_t start, uint64_t len, uint64_t pgoff,
		   const char *path, const uint8_t *build_id,
		   size_t build_id_len)
{
	(void)ctx, (void)pid, (void)time, (void)start, (void)len, (void)pgoff;
	(void)path, (void)build_id, (void)build_id_len;
	return -ENOSYS;
}

int sym_space_fork(struct sym_ctx *ctx, uint32_t ppid, uint32_t pid,
		   uint64_t time)
{
	(void)ctx, (void)ppid, (void)pid, (void)time;
	return -ENOSYS;
}

int sym_space_exec(struct sym_ctx *ctx, uint32_t pid, uint64_t time)
{
	(void)ctx, (void)pid, (void)time;
	return -ENOSYS;
}

const struct sym_mapping *sym_space_find(struct sym_ctx *ctx, uint32_t pid,
					 uint64_t time, uint64_t addr)
{
	(void)ctx, (void)pid, (void)time, (void)addr;
	return NULL;
}

const struct sym_mapping *sym_kernel_find(struct sym_ctx *ctx, uint64_t addr)
{
	(void)ctx, (void)addr;
	return NULL;
}

int sym_add_build_id(struct sym_ctx *ctx, const char *path,
		     const uint8_t *build_id, size_t build_id_len)
{
	(void)ctx, (void)path, (void)build_id, (void)build_id_len;
	return -ENOSYS;
}

int sym_lookup(struct sym_ctx *ctx, const struct sym_mapping *m, uint64_t addr,
	       bool return_address, struct sym_result *out)
{
	(void)ctx, (void)return_address;
	memset(out, 0, sizeof(*out));
	out->mapping = m;
	out->file_offset = m ? addr - m->start + m->pgoff : addr;
	return 0;
}

int sym_kernel_load(struct sym_ctx *ctx, const char *text, size_t len)
{
	(void)ctx, (void)text, (void)len;
	return -ENOSYS;
}

int sym_kernel_load_live(struct sym_ctx *ctx)
{
	(void)ctx;
	return -ENOSYS;
}

bool sym_kernel_restricted(const struct sym_ctx *ctx)
{
	(void)ctx;
	return false;
}

int sym_kernel_lookup(struct sym_ctx *ctx, uint64_t addr, bool return_address,
		      struct sym_result *out)
{
	return sym_lookup(ctx, sym_kernel_find(ctx, addr), addr, return_address,
			  out);
}

int sym_perf_map_load(struct sym_ctx *ctx, uint32_t pid, const char *text,
		      size_t len)
{
	(void)ctx, (void)pid, (void)text, (void)len;
	return -ENOSYS;
}

int sym_read_build_id(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	(void)path, (void)out, (void)cap, (void)len;
	return -ENOSYS;
}

void sym_ctx_stats(const struct sym_ctx *ctx, struct sym_stats *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
}
