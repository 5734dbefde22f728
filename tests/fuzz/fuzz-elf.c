/* Fuzz target for reading ELF objects (symbolize/elf.c, lookup.c,
 * unwind.c): the input is an object file, mapped as a process's executable;
 * its build-id is read, addresses across it are symbolized (symbol tables,
 * DWARF scopes and inline chains) and a stack is unwound through its CFI.
 * libelf/libdw do the byte-level parsing; this exercises cperf's use of them. */
#include "config.h"

#include "fuzz.h"
#include "symbolize.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PID 4000003u
#define BASE 0x400000ULL
#define LEN 0x200000ULL

static char dir[64], obj[128];

static void cleanup(void)
{
	unlink(obj);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/cperf-fuzz-elf.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(obj, sizeof(obj), "%s/obj", dir);
	atexit(cleanup);
	return 0;
}

static uint64_t get64(const uint8_t *data, size_t size, size_t off)
{
	uint64_t v = 0;

	if (off + 8 <= size)
		memcpy(&v, data + off, 8);
	return v;
}

static void check(const struct sym_result *res)
{
	for (size_t i = 0; i < res->nr; i++)
		if (res->frames[i].function && !res->frames[i].function[0])
			abort();
	if (res->resolved && (!res->nr || !res->frames[res->nr - 1].function))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t bid[SYM_BUILD_ID_MAX];
	uint64_t regs[SYM_X86_NR_REGS], ips[16], entry;
	struct sym_options opt;
	struct sym_result res;
	enum sym_unwind_end end;
	struct sym_ctx *ctx;
	size_t len, nr;
	int fd;

	if (size > (4u << 20))
		return 0;
	fd = open(obj, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	sym_read_build_id(obj, bid, sizeof(bid), &len);
	sym_options_init(&opt);
	opt.perf_map_dir = dir;
	ctx = sym_ctx_new(&opt);
	if (!ctx)
		return 0;
	if (sym_space_mmap(ctx, PID, 0, BASE, LEN, 0, obj, NULL, 0))
		goto out;
	/* e_entry, then addresses spread over the mapping and a few the
	 * input names itself */
	entry = get64(data, size, 24);
	for (int i = 0; i < 40; i++) {
		uint64_t a = i == 0 ? entry : i < 24 ? BASE + (uint64_t)i * (LEN / 24) + (entry & 0xfff)
						   : get64(data, size, 64 + 8 * (size_t)i);
		const struct sym_mapping *m = sym_space_find(ctx, PID, 1, a);

		if (!m)
			continue;
		if (sym_lookup(ctx, m, a, i & 1, &res) == 0)
			check(&res);
	}
	/* an unwind from e_entry through the object's CFI, over a stack made of
	 * the input's last bytes */
	memset(regs, 0, sizeof(regs));
	regs[SYM_X86_IP] = entry >= BASE && entry < BASE + LEN ? entry : BASE + (entry & 0xffff);
	regs[SYM_X86_SP] = 0x7ffe0000;
	regs[SYM_X86_BP] = 0x7ffe0040;
	len = size < 512 ? size : 512;
	{
		const uint64_t mask = 0x1ffULL; /* AX..IP: 9 registers */
		uint64_t compact[9];

		for (int i = 0; i < 9; i++)
			compact[i] = regs[i];
		sym_unwind(ctx, PID, 1, compact, mask, data + size - len, len, ips, 16, &nr, &end);
		for (size_t i = 0; i < nr; i++) {
			const struct sym_mapping *m = sym_space_find(ctx, PID, 1, ips[i]);

			if (m && sym_lookup(ctx, m, ips[i], i > 0, &res) == 0)
				check(&res);
		}
	}
out:
	sym_ctx_free(ctx);
	return 0;
}
