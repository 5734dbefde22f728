/* Private structures shared by the symbolize sources: the context, its arena
 * and string interning, objects, address spaces, the kernel and JIT tables. */
#ifndef CPERF_SYMBOLIZE_INTERNAL_H
#define CPERF_SYMBOLIZE_INTERNAL_H

#include "config.h" /* _GNU_SOURCE: memfd_create */

#include "symbolize.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>

/* ---- arena: many small allocations freed at once with the context ----- */
struct sym_arena_chunk;
struct sym_arena {
	struct sym_arena_chunk *head;
	size_t used, cap;
};
void *sym_arena_alloc(struct sym_arena *a, size_t size);
void sym_arena_fini(struct sym_arena *a);

/* ---- objects: one per distinct file (build-id, else path) ------------- */
enum sym_obj_kind {
	SYM_OBJ_ELF,    /* a file on disk (or the vDSO) read through libdwfl */
	SYM_OBJ_JIT,    /* /tmp/perf-PID.map of one process */
	SYM_OBJ_KERNEL, /* kallsyms */
};

enum sym_obj_state {
	SYM_OBJ_UNTRIED,
	SYM_OBJ_OK,
	SYM_OBJ_MISSING,  /* no file found */
	SYM_OBJ_MISMATCH, /* a file found, but never one with the right build-id */
};

struct sym_load {
	uint64_t offset, vaddr, filesz, memsz;
};

struct sym_elfsym {
	uint64_t addr, size;
	const char *name; /* in libelf's data: lives as long as the Dwfl */
	int rank;         /* among aliases: lower is the better name */
};

/* The top-level functions of one compilation unit by address: found once,
 * then each lookup in the unit is a binary search instead of a DIE walk. */
struct sym_fnrange {
	uint64_t lo, hi;
	Dwarf_Die die;
};
struct sym_cuidx {
	Dwarf_Off off; /* of the CU DIE; (Dwarf_Off)-1: free slot */
	struct sym_fnrange *r;
	size_t nr;
};

struct sym_object {
	enum sym_obj_kind kind;
	enum sym_obj_state state;
	const char *path; /* interned, as recorded */
	uint8_t build_id[SYM_BUILD_ID_MAX];
	uint8_t build_id_len;
	uint32_t pid;        /* a process that mapped it (for /proc); JIT: owner */
	uint64_t map_start, map_end; /* one of its mappings (map_files) */
	Dwfl *dwfl;
	Dwfl_Module *mod;
	struct sym_load *loads; /* PT_LOAD segments: file offset -> vaddr */
	size_t nr_loads;
	bool has_dwarf;
	struct sym_elfsym *syms; /* function symbols sorted by address */
	size_t nr_syms;
	bool syms_loaded;
	bool cfi_tried;
	Dwarf_CFI *cfi_eh, *cfi_dw; /* .eh_frame, .debug_frame (libdwfl owns) */
	uint64_t cfi_eh_bias, cfi_dw_bias;
	struct sym_cuidx *cus; /* open addressing by CU offset */
	size_t cap_cus, nr_cus;
	struct sym_object *next; /* hash chain */
};

/* ---- address spaces --------------------------------------------------- */
struct sym_map_entry {
	struct sym_mapping m;
	uint64_t time;     /* when it was mapped */
	uint64_t end_time; /* exec that ended it; UINT64_MAX while alive */
	uint64_t seq;      /* insertion order: breaks time ties */
	struct sym_object *obj;
};

struct sym_space {
	uint32_t pid;
	bool has_parent;
	uint32_t ppid;
	uint64_t fork_time;
	uint64_t first_exec; /* UINT64_MAX: never; parent's maps end here */
	struct sym_map_entry **maps; /* sorted by start */
	size_t nr_maps, cap_maps;
	uint64_t max_len; /* of any mapping: bounds the backward scan */
	struct sym_space *next;
	/* JIT symbols of this process */
	struct sym_jit *jit; /* NULL: not loaded yet */
	bool jit_tried;
	struct sym_map_entry *jit_map;
};

struct sym_jit_sym {
	uint64_t start, size;
	const char *name;
	struct sym_frame *frame;
};
struct sym_jit {
	struct sym_jit_sym *syms; /* sorted by start */
	size_t nr;
	struct sym_object *obj;
};

/* ---- kernel ----------------------------------------------------------- */
struct sym_ksym {
	uint64_t addr;
	const char *name;   /* interned */
	const char *module; /* interned "[ext4]"; NULL for the core kernel */
	struct sym_frame *frame; /* built on first use */
};
struct sym_kmod {
	const char *name; /* "[ext4]" */
	uint64_t start, end;
	struct sym_map_entry *map;
};

/* ---- lookup cache ----------------------------------------------------- */
struct sym_cache_entry {
	const struct sym_object *obj;
	uint64_t key; /* file offset (ELF), address (JIT, kernel) */
	bool ra;
	struct sym_result res;
	struct sym_cache_entry *next;
};

struct sym_ctx {
	struct sym_options opt;
	char *debug_dirs;    /* owned copy of opt.debug_dirs */
	char *perf_map_dir;  /* owned copy */
	char *kernel_release; /* owned copy */
	char *debuginfo_path; /* for dwfl_standard_find_debuginfo */
	Dwfl_Callbacks cb;
	struct sym_arena arena;

	/* interned strings */
	const char **strs;
	size_t nr_strs, cap_strs; /* open addressing, cap a power of two */

	struct sym_object **objs; /* hash buckets */
	size_t cap_objs;
	size_t nr_objs;

	struct sym_space **spaces;
	size_t cap_spaces, nr_spaces;
	uint64_t seq;

	/* dense mapping ids: distinct (path, build-id, start, pgoff) */
	struct sym_map_entry **ids;
	size_t cap_ids, nr_ids;

	/* path -> build-id table from the recording */
	struct sym_bid {
		const char *path;
		uint8_t id[SYM_BUILD_ID_MAX];
		uint8_t len;
	} *bids;
	size_t nr_bids, cap_bids;

	struct sym_cache_entry **cache;
	size_t cap_cache, nr_cache;

	/* kernel */
	struct sym_ksym *ksyms;
	size_t nr_ksyms;
	struct sym_kmod *kmods;
	size_t nr_kmods;
	struct sym_map_entry *kmap; /* [kernel.kallsyms] */
	uint64_t kstart, kend;      /* from a kernel mmap, if any */
	struct sym_object *kobj;
	bool kernel_loaded, kernel_restricted;

	/* unwinding: Dwarf_Frame by (object, vaddr) */
	struct uw_frame_entry **frames;
	size_t cap_frames, nr_frames;

	/* scratch for building frames without allocating per lookup */
	struct sym_frame scratch[64];

	struct sym_stats stats;
};

/* Interns s (len bytes, not necessarily NUL-terminated): NULL on ENOMEM. */
const char *sym_intern_n(struct sym_ctx *ctx, const char *s, size_t len);
const char *sym_intern(struct sym_ctx *ctx, const char *s);
/* Interns a possibly mangled name: the display name (demangled when asked)
 * in *display, the raw one returned. */
const char *sym_intern_name(struct sym_ctx *ctx, const char *raw,
			    const char **display);

struct sym_object *sym_object_get(struct sym_ctx *ctx, enum sym_obj_kind kind,
				  const char *path, const uint8_t *bid,
				  size_t bid_len, uint32_t pid);
/* Opens the object's ELF and Dwfl on first use; sets obj->state. */
void sym_object_open(struct sym_ctx *ctx, struct sym_object *obj);
void sym_object_close(struct sym_object *obj);
/* Builds the frames of an ELF address (module vaddr). Returns the number of
 * frames written to ctx->scratch, 0 when nothing is known. */
size_t sym_elf_frames(struct sym_ctx *ctx, struct sym_object *obj,
		      uint64_t vaddr, uint64_t *sym_offset);

/* Opens a regular file read-only without blocking on FIFOs: fd or -errno. */
int sym_open_regular(const char *path);

/* The object behind a mapping of this context (created on first use). */
struct sym_object *sym_unwind_object(struct sym_ctx *ctx,
				     const struct sym_mapping *m);
bool sym_offset_to_vaddr(const struct sym_object *o, uint64_t off,
			 uint64_t *vaddr);
void sym_unwind_free_frames(struct sym_ctx *ctx);

struct sym_space *sym_space_get(struct sym_ctx *ctx, uint32_t pid, bool create);
/* JIT: the pseudo mapping for pid's perf map covering addr, or NULL. */
const struct sym_mapping *sym_jit_find(struct sym_ctx *ctx,
				       struct sym_space *sp, uint64_t addr);
const struct sym_frame *sym_jit_lookup(struct sym_ctx *ctx, uint32_t pid,
				       uint64_t addr, uint64_t *sym_offset);
bool sym_path_is_anon(const char *path);
/* Kernel: the frame for addr, or NULL. */
const struct sym_frame *sym_kernel_frame(struct sym_ctx *ctx, uint64_t addr,
					 uint64_t *sym_offset);
/* A new mapping entry with a dense id (ids shared by identical mappings). */
struct sym_map_entry *sym_map_entry_new(struct sym_ctx *ctx, uint32_t pid,
					uint64_t start, uint64_t len,
					uint64_t pgoff, const char *path,
					const uint8_t *bid, size_t bid_len,
					bool kernel);

static inline struct sym_map_entry *sym_entry_of(const struct sym_mapping *m)
{
	return (struct sym_map_entry *)((char *)m -
					offsetof(struct sym_map_entry, m));
}
#endif
