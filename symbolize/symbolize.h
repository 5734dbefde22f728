/* symbolize: addresses to functions, source lines and inline chains through
 * libdwfl; per-process address spaces; kernel symbols from kallsyms.
 * Knows nothing of perf records (DESIGN §2): it speaks addresses, mappings
 * (start, len, pgoff, path, build-id) and frames. */
#ifndef CPERF_SYMBOLIZE_H
#define CPERF_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The pid under which kernel mappings ([kernel.kallsyms], modules) are
 * recorded: perf uses pid -1 for them. */
#define SYM_PID_KERNEL UINT32_MAX
#define SYM_BUILD_ID_MAX 20

struct sym_options {
	bool inline_frames; /* report inlined functions as their own frames */
	bool demangle;      /* C++ / legacy Rust names through __cxa_demangle */
	const char *debug_dirs; /* extra ':'-separated debug roots, searched
				 * before /usr/lib/debug (DIR/.build-id/xx/rest.debug
				 * and DIR/<object dir>/<debuglink>) */
	bool use_proc; /* processes may still live: /proc/PID/root and
			* /proc/PID/map_files may be used to find objects */
	const char *perf_map_dir; /* where perf-PID.map files live; NULL: /tmp */
	const char *kernel_release; /* the recording's (uname -r); the live
				     * vDSO stands in for "[vdso]" only when it
				     * matches this kernel. NULL: same machine */
};

/* Defaults: inline frames and demangling on, no /proc, no extra dirs. */
void sym_options_init(struct sym_options *opt);

struct sym_ctx;

/* A symbolizer owning every cache and every string it returns: all strings,
 * mappings and results live until sym_ctx_free(). opt may be NULL (defaults);
 * it is copied. Returns NULL with errno set. Release: sym_ctx_free(). */
struct sym_ctx *sym_ctx_new(const struct sym_options *opt);
void sym_ctx_free(struct sym_ctx *ctx);

/* ---- address spaces ---------------------------------------------------- */

struct sym_mapping {
	uint64_t start, len, pgoff; /* pgoff: file offset of start, in bytes */
	const char *path;           /* as recorded: "/usr/lib/.../libc.so.6",
				     * "[vdso]", "//anon", "[kernel.kallsyms]" */
	uint8_t build_id[SYM_BUILD_ID_MAX];
	uint8_t build_id_len;       /* 0: unknown */
	uint32_t pid;               /* SYM_PID_KERNEL for the kernel */
	unsigned id;   /* small dense id (from 1), one per distinct (path,
			* build-id, start, pgoff): pprof Mapping ids */
	bool kernel;   /* kernel or module (symbols from kallsyms) */
};

/* Records that pid mapped [start, start+len) of path at file offset pgoff at
 * time. build_id may be NULL (then a build-id given to sym_add_build_id() for
 * that path is used, if any). A later mapping over the same range replaces the
 * older one for lookups at or after its time. pid SYM_PID_KERNEL records kernel
 * and module ranges. Returns 0 or -errno. */
int sym_space_mmap(struct sym_ctx *ctx, uint32_t pid, uint64_t time,
		   uint64_t start, uint64_t len, uint64_t pgoff,
		   const char *path, const uint8_t *build_id,
		   size_t build_id_len);
/* Process pid was forked from ppid at time: it starts with the parent's
 * mappings of that moment. Pass process ids, not thread ids: ppid == pid (a
 * new thread) is a no-op. Returns 0 or -errno. */
int sym_space_fork(struct sym_ctx *ctx, uint32_t ppid, uint32_t pid,
		   uint64_t time);
/* Process pid called exec at time: its earlier mappings are gone for
 * lookups at or after time. Returns 0 or -errno. */
int sym_space_exec(struct sym_ctx *ctx, uint32_t pid, uint64_t time);
/* The mapping that covered addr in pid at time: the latest one starting at or
 * before time; if every candidate is younger, the earliest one (rings of
 * different CPUs disagree a little about order). For an address in no
 * mapping, a JIT region of /tmp/perf-PID.map if one covers it. NULL when
 * nothing covers addr. Valid until sym_ctx_free(). */
const struct sym_mapping *sym_space_find(struct sym_ctx *ctx, uint32_t pid,
					 uint64_t time, uint64_t addr);
/* The kernel pseudo-mapping for a kernel address: a module's ("[ext4]") when
 * addr lies in a module, else "[kernel.kallsyms]". Never NULL unless out of
 * memory. */
const struct sym_mapping *sym_kernel_find(struct sym_ctx *ctx, uint64_t addr);

/* The build-id of path, as a recording's build-id table gives it; used for
 * mappings recorded without one. Returns 0 or -errno. */
int sym_add_build_id(struct sym_ctx *ctx, const char *path,
		     const uint8_t *build_id, size_t build_id_len);

/* ---- lookups ----------------------------------------------------------- */

struct sym_frame {
	const char *function;    /* demangled (or plain) name; NULL: unknown */
	const char *system_name; /* raw linkage name; NULL: unknown */
	const char *file;        /* source file; NULL: unknown */
	int line;                /* 0: unknown */
	int column;              /* 0: unknown */
	const char *func_file;   /* where the function is declared */
	int func_line;           /* pprof Function.start_line; 0: unknown */
};

struct sym_result {
	const struct sym_mapping *mapping; /* the mapping looked in (may be NULL) */
	size_t nr;                      /* number of frames, 0 when unresolved */
	const struct sym_frame *frames; /* innermost inlined function first,
					 * the physical function last */
	uint64_t file_offset; /* offset of addr in the mapped object: print
			       * unresolved frames as object+0xOFFSET; for the
			       * kernel, the address itself */
	uint64_t rel_addr;    /* the ELF virtual address of addr */
	uint64_t sym_offset;  /* addr - start of the physical function */
	bool resolved;        /* a function name was found */
};

/* Symbolizes addr inside mapping m. return_address: addr is a return address
 * (every call-chain entry except the sampled IP), so it is looked up at
 * addr - 1, inside the call instruction, not at the instruction after it
 * (which may belong to the next line or even the next function). m must come
 * from sym_space_find() or sym_kernel_find() of this context; NULL gives an
 * unresolved result. Results are cached per (object,
 * offset): each unique address is resolved once. *out points into the
 * context and stays valid until sym_ctx_free(). Returns 0 (also for
 * unresolved addresses) or -errno (-ENOMEM). */
int sym_lookup(struct sym_ctx *ctx, const struct sym_mapping *m, uint64_t addr,
	       bool return_address, struct sym_result *out);

/* ---- kernel ------------------------------------------------------------ */

/* Loads kernel and module symbols from text in /proc/kallsyms format (a live
 * copy or a snapshot stored in a recording): "ADDR TYPE NAME [MODULE]". Bad
 * lines are skipped. Replaces symbols loaded before. Returns 0, -ENOENT when
 * the text held no usable symbol (sym_kernel_restricted() tells whether
 * kptr_restrict was the reason), or -errno. */
int sym_kernel_load(struct sym_ctx *ctx, const char *text, size_t len);
/* The same from the live /proc/kallsyms. */
int sym_kernel_load_live(struct sym_ctx *ctx);
/* True when the loaded kallsyms had only zero addresses: kptr_restrict hid
 * them, so kernel frames stay unresolved (the CLI prints a note). */
bool sym_kernel_restricted(const struct sym_ctx *ctx);
/* sym_lookup() on sym_kernel_find(ctx, addr). */
int sym_kernel_lookup(struct sym_ctx *ctx, uint64_t addr, bool return_address,
		      struct sym_result *out);

/* ---- JIT symbols ------------------------------------------------------- */

/* Loads perf-PID.map text ("START SIZE name" hex lines) for pid, instead of
 * reading perf_map_dir/perf-PID.map on first need. Bad lines are skipped.
 * Returns 0 or -errno. */
int sym_perf_map_load(struct sym_ctx *ctx, uint32_t pid, const char *text,
		      size_t len);

/* ---- unwinding (--call-graph dwarf, x86_64) ----------------------------- */

/* perf's x86_64 user register numbers (PERF_REG_X86_*): bit i of a sample's
 * regs mask is register i. */
enum sym_x86_reg {
	SYM_X86_AX, SYM_X86_BX, SYM_X86_CX, SYM_X86_DX, SYM_X86_SI, SYM_X86_DI,
	SYM_X86_BP, SYM_X86_SP, SYM_X86_IP, SYM_X86_FLAGS, SYM_X86_CS,
	SYM_X86_SS, SYM_X86_DS, SYM_X86_ES, SYM_X86_FS, SYM_X86_GS,
	SYM_X86_R8, SYM_X86_R9, SYM_X86_R10, SYM_X86_R11, SYM_X86_R12,
	SYM_X86_R13, SYM_X86_R14, SYM_X86_R15,
	SYM_X86_NR_REGS
};
/* The registers sym_unwind() uses: AX..IP and R8..R15 (sample_regs_user). */
#define SYM_UNWIND_REGS_MASK 0xff01ffULL

enum sym_unwind_end {
	SYM_UNWIND_END,       /* reached the outermost frame (_start, clone) */
	SYM_UNWIND_TRUNCATED, /* the stack copy ended first: mark [truncated] */
	SYM_UNWIND_FAILED,    /* no mapping, no CFI or an unreadable value */
	SYM_UNWIND_LIMIT,     /* max_ips reached */
};

/* Unwinds a user stack from a sample of process pid at time: regs holds one
 * value per bit set in regs_mask (the sample's compact order), stack the
 * bytes copied from the user stack pointer up (stack_size of them: the
 * sample's dyn_size). Writes the sampled IP and then each caller's return
 * address to ips (at most max_ips; symbolize all but the first with
 * return_address = true), the count to *nr_ips and why it stopped to *end.
 * Mappings come from the context's address spaces; CFI (.eh_frame, else
 * .debug_frame) is cached per object and PC. Returns 0, or -EINVAL when IP
 * or SP is missing. */
int sym_unwind(struct sym_ctx *ctx, uint32_t pid, uint64_t time,
	       const uint64_t *regs, uint64_t regs_mask, const uint8_t *stack,
	       size_t stack_size, uint64_t *ips, size_t max_ips, size_t *nr_ips,
	       enum sym_unwind_end *end);

/* ---- files ------------------------------------------------------------- */

/* Reads the GNU build-id note of the ELF file at path into out (cap bytes).
 * Returns 0, -ENOENT (no note), -ENOSPC (cap too small), -EINVAL (not ELF)
 * or -errno. */
int sym_read_build_id(const char *path, uint8_t *out, size_t cap, size_t *len);

/* ---- statistics -------------------------------------------------------- */

struct sym_stats {
	uint64_t lookups;          /* sym_lookup calls */
	uint64_t cache_hits;       /* answered from the cache (ELF objects) */
	uint64_t resolved;         /* lookups that found a function */
	uint64_t unresolved;       /* lookups that did not */
	uint64_t inline_frames;    /* inlined frames reported */
	unsigned objects;          /* distinct objects seen */
	unsigned objects_missing;  /* objects not found anywhere */
	unsigned objects_mismatch; /* found, but the build-id differed */
	unsigned objects_no_debug; /* found, no line info */
	bool kernel_loaded;
	bool kernel_restricted;
	uint64_t unwinds;           /* sym_unwind calls */
	uint64_t unwinds_truncated; /* ended by the stack copy's size */
	uint64_t unwinds_failed;    /* ended without reaching the outermost frame */
};
void sym_ctx_stats(const struct sym_ctx *ctx, struct sym_stats *out);

/* Objects that could not be used, for notes ("no symbols for X: ..."). */
enum sym_problem_kind {
	SYM_PROBLEM_MISSING,  /* not found (deleted, other machine) */
	SYM_PROBLEM_MISMATCH, /* found, but not with the recorded build-id */
	SYM_PROBLEM_NO_DEBUG, /* found, without line information */
};
struct sym_problem {
	const char *path; /* as recorded; lives until sym_ctx_free() */
	enum sym_problem_kind kind;
};
/* Fills out[0..max) with problems among the objects looked up so far, in no
 * particular order; returns how many there are (may exceed max). */
size_t sym_ctx_problems(const struct sym_ctx *ctx, struct sym_problem *out,
			size_t max);

/* Demangles a C++/Rust symbol. Returns a heap string (free()) or NULL when
 * name is not mangled. */
char *sym_demangle(const char *name);
#endif
