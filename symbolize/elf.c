/* ELF objects: finding the right file (build-id checked), a Dwfl per object,
 * file offset to ELF address, and the frames (inline chain) of an address. */
#include "internal.h"

#include <dwarf.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util.h"

#define MAX_SCOPES 64

static void lib_init(void)
{
	/* elf_version() must be called once before libelf is used; it is
	 * idempotent and keeps no state worth a global of ours. */
	elf_version(EV_CURRENT);
}

int sym_open_regular(const char *path)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: a path from a recording may name a FIFO, which must
	 * not hang the report; only regular files are read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* The GNU build-id of an open ELF: length, 0 when none, -1 on error. */
static ssize_t elf_build_id(Elf *elf, uint8_t *out, size_t cap)
{
	const void *p = NULL;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &p);

	if (n <= 0 || !p)
		return n < 0 ? -1 : 0;
	if ((size_t)n > cap)
		return -2;
	memcpy(out, p, (size_t)n);
	return n;
}

int sym_read_build_id(const char *path, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t buf[256];
	ssize_t n;
	Elf *elf;
	int fd, err = 0;

	lib_init();
	fd = sym_open_regular(path);
	if (fd < 0)
		return fd;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		err = -EINVAL;
		goto out;
	}
	n = elf_build_id(elf, buf, sizeof(buf));
	if (n == 0 || n == -1) {
		err = -ENOENT;
	} else if (n < 0 || (size_t)n > cap) {
		err = -ENOSPC;
	} else {
		memcpy(out, buf, (size_t)n);
		*len = (size_t)n;
	}
out:
	elf_end(elf);
	close(fd);
	return err;
}

/* Reads the PT_LOAD segments. A separate debug file keeps the segments'
 * addresses and sizes but not their file offsets (its sections are NOBITS),
 * so for it the offsets are rebuilt the way linkers lay code out: offset =
 * vaddr - first segment's page-aligned vaddr. */
static int read_loads(Elf *elf, struct sym_object *obj, bool debug_only)
{
	size_t n, i, k = 0;
	uint64_t base = 0;
	bool first = true;

	if (elf_getphdrnum(elf, &n) < 0 || n == 0 || n > 4096)
		return -EINVAL;
	free(obj->loads);
	obj->loads = calloc(n, sizeof(*obj->loads));
	if (!obj->loads)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (first) {
			uint64_t align = ph.p_align > 1 ? ph.p_align : 1;

			base = ph.p_vaddr & ~(align - 1);
			first = false;
		}
		/* Rebuilt offsets are trusted for code only: data segments
		 * usually sit at a different offset than their address. */
		if (debug_only && !(ph.p_flags & PF_X))
			continue;
		obj->loads[k].vaddr = ph.p_vaddr;
		obj->loads[k].memsz = ph.p_memsz;
		if (debug_only) {
			obj->loads[k].offset = ph.p_vaddr - base;
			obj->loads[k].filesz = ph.p_memsz;
		} else {
			obj->loads[k].offset = ph.p_offset;
			obj->loads[k].filesz = ph.p_filesz;
		}
		k++;
	}
	obj->nr_loads = k;
	return k ? 0 : -EINVAL;
}

/* The vDSO of this process, written to a memfd so that libdwfl can read it
 * like a file. The kernel maps the same image into every process. */
static int vdso_fd(void)
{
	const unsigned char *img = (const void *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const void *)img;
	uint64_t size;
	int fd;

	if (!img || memcmp(img, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return -ENOENT;
	size = eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	if (size < sizeof(*eh) || size > (1u << 20))
		return -EINVAL;
	fd = memfd_create("cperf-vdso", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write_full(fd, img, size) < 0) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/* Tries one candidate file. Returns 1 when it became the object's file, 0 to
 * try the next, -ENOMEM. */
static int try_file(struct sym_ctx *ctx, struct sym_object *obj,
		    const char *file, int fd, bool debug_only, bool *mismatch)
{
	uint8_t bid[SYM_BUILD_ID_MAX];
	ssize_t n;
	Elf *elf;
	int ret = 0;

	if (fd < 0)
		fd = sym_open_regular(file);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		goto out;
	n = elf_build_id(elf, bid, sizeof(bid));
	if (obj->build_id_len) {
		/* Never symbolize with a different file than was mapped. */
		if (n != obj->build_id_len ||
		    memcmp(bid, obj->build_id, obj->build_id_len)) {
			*mismatch = true;
			goto out;
		}
	} else if (debug_only) {
		goto out; /* only reached by build-id */
	}
	ret = read_loads(elf, obj, debug_only);
	if (ret < 0) {
		ret = ret == -ENOMEM ? -ENOMEM : 0;
		goto out;
	}
	elf_end(elf);
	elf = NULL;
	obj->dwfl = dwfl_begin(&ctx->cb);
	if (!obj->dwfl) {
		ret = -ENOMEM;
		goto out;
	}
	dwfl_report_begin(obj->dwfl);
	/* ET_DYN at base 0 with p_vaddr added: module addresses are the ELF
	 * virtual addresses (bias 0); ET_EXEC is placed where linked. */
	obj->mod = dwfl_report_elf(obj->dwfl, obj->path, file, fd, 0, true);
	dwfl_report_end(obj->dwfl, NULL, NULL);
	if (!obj->mod) {
		dwfl_end(obj->dwfl);
		obj->dwfl = NULL;
		goto out; /* fd still ours */
	}
	return 1; /* fd consumed by libdwfl */
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

static void hexname(char *out, const uint8_t *id, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[id[i] >> 4];
		out[2 * i + 1] = hx[id[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Tries DIR/.build-id/xx/rest[.debug] for every debug root. */
static int try_build_id(struct sym_ctx *ctx, struct sym_object *obj,
			bool debug, bool *mismatch)
{
	char hex[2 * SYM_BUILD_ID_MAX + 1], path[4096];
	const char *roots = ctx->debug_dirs ? ctx->debug_dirs : "";
	const char *p = roots;
	int r;

	if (obj->build_id_len < 2)
		return 0;
	hexname(hex, obj->build_id, obj->build_id_len);
	for (;;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n && p[0] == '/' && n < 2048) {
			snprintf(path, sizeof(path), "%.*s/.build-id/%.2s/%s%s",
				 (int)n, p, hex, hex + 2, debug ? ".debug" : "");
			r = try_file(ctx, obj, path, -1, debug, mismatch);
			if (r)
				return r;
		}
		if (!e)
			break;
		p = e + 1;
	}
	snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%.2s/%s%s", hex,
		 hex + 2, debug ? ".debug" : "");
	return try_file(ctx, obj, path, -1, debug, mismatch);
}

void sym_object_open(struct sym_ctx *ctx, struct sym_object *obj)
{
	char path[4096];
	bool mismatch = false;
	int r = 0;

	if (obj->state != SYM_OBJ_UNTRIED)
		return;
	obj->state = SYM_OBJ_MISSING;
	lib_init();
	if (!strcmp(obj->path, "[vdso]")) {
		struct utsname u;
		int fd;

		/* Another kernel's vDSO is another image: without a build-id
		 * to check, only the kernel release tells. */
		if (ctx->kernel_release && !obj->build_id_len &&
		    (uname(&u) != 0 || strcmp(u.release, ctx->kernel_release)))
			goto done;
		fd = vdso_fd();
		if (fd >= 0)
			r = try_file(ctx, obj, "[vdso]", fd, false, &mismatch);
		goto done;
	}
	if (obj->path[0] != '/')
		goto done; /* [heap], [stack], //anon ... */
	if (ctx->opt.use_proc && obj->pid && obj->pid != SYM_PID_KERNEL) {
		/* The process may live in another mount namespace: its root
		 * shows its files; map_files holds what it mapped even after
		 * the file was deleted or replaced. */
		snprintf(path, sizeof(path), "/proc/%u/root%s", obj->pid,
			 obj->path);
		r = try_file(ctx, obj, path, -1, false, &mismatch);
		if (!r && obj->map_end > obj->map_start) {
			snprintf(path, sizeof(path), "/proc/%u/map_files/%" PRIx64
				 "-%" PRIx64, obj->pid, obj->map_start,
				 obj->map_end);
			r = try_file(ctx, obj, path, -1, false, &mismatch);
		}
	}
	if (!r)
		r = try_file(ctx, obj, obj->path, -1, false, &mismatch);
	/* The object itself is gone or replaced: the debug roots may hold
	 * the binary (.build-id/xx/rest) or its debug file, which serves as
	 * the object (symbols and DWARF; segments from its headers). */
	if (!r)
		r = try_build_id(ctx, obj, false, &mismatch);
	if (!r)
		r = try_build_id(ctx, obj, true, &mismatch);
done:
	if (r > 0) {
		Dwarf_Addr bias;

		obj->state = SYM_OBJ_OK;
		obj->has_dwarf = dwfl_module_getdwarf(obj->mod, &bias) != NULL;
		if (!obj->has_dwarf)
			ctx->stats.objects_no_debug++;
	} else if (mismatch) {
		obj->state = SYM_OBJ_MISMATCH;
		ctx->stats.objects_mismatch++;
	} else {
		ctx->stats.objects_missing++;
	}
}

void sym_object_close(struct sym_object *obj)
{
	size_t i;

	for (i = 0; i < obj->cap_cus; i++)
		free(obj->cus[i].r);
	free(obj->cus);
	obj->cus = NULL;
	obj->cap_cus = obj->nr_cus = 0;
	free(obj->syms);
	obj->syms = NULL;
	obj->nr_syms = 0;
	if (obj->dwfl)
		dwfl_end(obj->dwfl);
	obj->dwfl = NULL;
	obj->mod = NULL;
	free(obj->loads);
	obj->loads = NULL;
	obj->nr_loads = 0;
}

/* ---- symbol table: sorted once per object -------------------------------- */

/* Among aliases at one address: global before weak before local, then the
 * fewest leading underscores (qsort, not __GI_qsort), then the shortest. */
static int alias_rank(const GElf_Sym *sym, const char *name)
{
	int b = GELF_ST_BIND(sym->st_info), r, u = 0;

	r = b == STB_GLOBAL ? 0 : b == STB_WEAK ? 1 : 2;
	while (name[u] == '_' && u < 8)
		u++;
	if (!strncmp(name, "__GI_", 5))
		u = 9;
	return r << 24 | u << 16 | (int)(strlen(name) & 0xffff);
}

static int elfsym_cmp(const void *a, const void *b)
{
	const struct sym_elfsym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return 0;
}

/* dwfl_module_addrinfo scans every symbol on each call; this table is
 * built once and searched in O(log n). */
static void load_syms(struct sym_object *obj)
{
	int n = dwfl_module_getsymtab(obj->mod), i;
	struct sym_elfsym *t;
	size_t k = 0, w = 0;

	obj->syms_loaded = true;
	if (n <= 1)
		return;
	t = calloc((size_t)n, sizeof(*t));
	if (!t)
		return;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(obj->mod, i, &sym, &addr,
							   &shndx, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (!name || !*name || shndx == SHN_UNDEF || !addr)
			continue;
		if (type != STT_FUNC && type != STT_GNU_IFUNC &&
		    !(type == STT_NOTYPE && sym.st_size))
			continue;
		t[k].addr = addr;
		t[k].size = sym.st_size;
		t[k].name = name;
		t[k].rank = alias_rank(&sym, name);
		k++;
	}
	if (k > 1)
		qsort(t, k, sizeof(*t), elfsym_cmp);
	/* One entry per address (the best alias); a sized alias wins over a
	 * sizeless one. */
	for (i = 0; (size_t)i < k; i++) {
		if (w && t[w - 1].addr == t[i].addr) {
			if (!t[w - 1].size)
				t[w - 1].size = t[i].size;
			continue;
		}
		t[w++] = t[i];
	}
	obj->syms = t;
	obj->nr_syms = w;
}

static const struct sym_elfsym *find_sym(struct sym_object *obj, uint64_t addr)
{
	size_t lo = 0, hi, i;

	if (!obj->syms_loaded)
		load_syms(obj);
	hi = obj->nr_syms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (obj->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The nearest symbol below may be a small one inside a bigger
	 * function (a local label with a size): look back a few. */
	for (i = lo; i-- > 0 && lo - i <= 4;) {
		const struct sym_elfsym *s = &obj->syms[i];

		if (addr - s->addr < s->size)
			return s;
	}
	/* Sizeless symbol (assembly): up to the next symbol. */
	if (lo && !obj->syms[lo - 1].size)
		return &obj->syms[lo - 1];
	return NULL;
}

/* ---- DWARF: the chain of scopes holding pc --------------------------------- */

static bool is_container(int tag)
{
	return tag == DW_TAG_namespace || tag == DW_TAG_module ||
	       tag == DW_TAG_class_type || tag == DW_TAG_structure_type ||
	       tag == DW_TAG_union_type;
}

/* Descends from die to the function scopes holding pc: subprograms, inlined
 * subroutines and the lexical blocks between them (walked, not kept).
 * Subtrees whose range misses pc are skipped whole. */
static bool walk(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Die *chain, size_t *n,
		 int depth)
{
	Dwarf_Die c;

	if (depth > 128 || dwarf_child(die, &c) != 0)
		return false;
	do {
		int tag = dwarf_tag(&c);

		switch (tag) {
		case DW_TAG_subprogram:
		case DW_TAG_inlined_subroutine:
		case DW_TAG_lexical_block:
		case DW_TAG_try_block:
		case DW_TAG_catch_block:
			if (dwarf_haspc(&c, pc) != 1)
				break;
			if (tag == DW_TAG_subprogram ||
			    tag == DW_TAG_inlined_subroutine) {
				if (*n >= MAX_SCOPES)
					return true;
				chain[(*n)++] = c;
			}
			walk(&c, pc, chain, n, depth + 1);
			return true;
		default:
			if (is_container(tag) &&
			    walk(&c, pc, chain, n, depth + 1))
				return true;
			break;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

static int fnrange_cmp(const void *a, const void *b)
{
	const struct sym_fnrange *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

/* Collects the address ranges of the functions under die (into namespaces
 * and classes, not into functions). */
static int collect_fns(Dwarf_Die *die, struct sym_cuidx *ci, size_t *cap,
		       int depth)
{
	Dwarf_Die c;

	if (depth > 32 || dwarf_child(die, &c) != 0)
		return 0;
	do {
		int tag = dwarf_tag(&c);

		if (tag == DW_TAG_subprogram) {
			Dwarf_Addr base, lo, hi;
			ptrdiff_t o = 0;

			while ((o = dwarf_ranges(&c, o, &base, &lo, &hi)) > 0) {
				if (hi <= lo)
					continue;
				if (grow_array(&ci->r, cap, ci->nr + 1,
					       sizeof(*ci->r)) < 0)
					return -ENOMEM;
				ci->r[ci->nr].lo = lo;
				ci->r[ci->nr].hi = hi;
				ci->r[ci->nr].die = c;
				ci->nr++;
			}
		} else if (is_container(tag)) {
			if (collect_fns(&c, ci, cap, depth + 1) < 0)
				return -ENOMEM;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

static struct sym_cuidx *cu_index(struct sym_object *obj, Dwarf_Die *cu)
{
	Dwarf_Off off = dwarf_dieoffset(cu);
	struct sym_cuidx *ci;
	size_t h, cap = 0, i;

	if (off == (Dwarf_Off)-1)
		return NULL;
	if ((obj->nr_cus + 1) * 2 > obj->cap_cus) {
		size_t ncap = obj->cap_cus ? obj->cap_cus * 2 : 256;
		struct sym_cuidx *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (i = 0; i < ncap; i++)
			n[i].off = (Dwarf_Off)-1;
		for (i = 0; i < obj->cap_cus; i++) {
			if (obj->cus[i].off == (Dwarf_Off)-1)
				continue;
			h = hash_u64(obj->cus[i].off) & (ncap - 1);
			while (n[h].off != (Dwarf_Off)-1)
				h = (h + 1) & (ncap - 1);
			n[h] = obj->cus[i];
		}
		free(obj->cus);
		obj->cus = n;
		obj->cap_cus = ncap;
	}
	h = hash_u64(off) & (obj->cap_cus - 1);
	for (; obj->cus[h].off != (Dwarf_Off)-1; h = (h + 1) & (obj->cap_cus - 1))
		if (obj->cus[h].off == off)
			return &obj->cus[h];
	ci = &obj->cus[h];
	ci->off = off;
	ci->r = NULL;
	ci->nr = 0;
	obj->nr_cus++;
	if (collect_fns(cu, ci, &cap, 0) < 0) {
		free(ci->r);
		ci->r = NULL;
		ci->nr = 0;
	}
	if (ci->nr > 1)
		qsort(ci->r, ci->nr, sizeof(*ci->r), fnrange_cmp);
	return ci;
}

/* The chain of function scopes holding pc: the physical function first. */
static size_t scopes_at(struct sym_object *obj, Dwarf_Die *cu, Dwarf_Addr pc,
			Dwarf_Die *chain)
{
	struct sym_cuidx *ci = cu_index(obj, cu);
	size_t lo = 0, hi, n = 0, i;

	if (!ci) {
		walk(cu, pc, chain, &n, 0);
		return n;
	}
	hi = ci->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ci->r[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Ranges of distinct functions do not overlap; look back a little
	 * in case of odd producers. */
	for (i = lo; i-- > 0 && lo - i <= 4;) {
		if (pc < ci->r[i].hi) {
			chain[n++] = ci->r[i].die;
			walk(&chain[0], pc, chain, &n, 0);
			return n;
		}
	}
	return 0;
}

static const char *die_string(Dwarf_Die *die, int at)
{
	Dwarf_Attribute a;

	if (!dwarf_attr_integrate(die, at, &a))
		return NULL;
	return dwarf_formstring(&a);
}

/* Names a frame from its DIE: the raw name is the linkage name when there is
 * one; the display name is its demangled form, or else the source name
 * (glibc's linkage names are hidden aliases: __GI_qsort for qsort). Returns
 * true when the display name is a demangled one. */
static bool frame_names(struct sym_ctx *ctx, Dwarf_Die *die,
			struct sym_frame *f)
{
	const char *link = die_string(die, DW_AT_linkage_name);
	const char *name = die_string(die, DW_AT_name);
	const char *disp = NULL;

	if (!link)
		link = die_string(die, DW_AT_MIPS_linkage_name);
	/* an empty name is no name (damaged DWARF; found by fuzz-elf) */
	if (link && !*link)
		link = NULL;
	if (name && !*name)
		name = NULL;
	if (link) {
		f->system_name = sym_intern_name(ctx, link, &disp);
		/* demangling off: a mangled name is shown as it is */
		if (disp != f->system_name ||
		    (!ctx->opt.demangle && !strncmp(link, "_Z", 2))) {
			f->function = disp;
			return true;
		}
	}
	if (name) {
		f->function = sym_intern(ctx, name);
		if (!f->system_name)
			f->system_name = f->function;
	} else {
		f->function = f->system_name;
	}
	return false;
}

static void frame_decl(struct sym_ctx *ctx, Dwarf_Die *die, struct sym_frame *f)
{
	int line = 0;

	f->func_file = sym_intern(ctx, dwarf_decl_file(die));
	if (dwarf_decl_line(die, &line) == 0 && line > 0)
		f->func_line = line;
}

static int udata(Dwarf_Die *die, int at)
{
	Dwarf_Attribute a;
	Dwarf_Word w;

	if (!dwarf_attr(die, at, &a) || dwarf_formudata(&a, &w) != 0 ||
	    w > INT32_MAX)
		return 0;
	return (int)w;
}

/* The caller position of an inlined subroutine: its call site. */
static void call_site(struct sym_ctx *ctx, Dwarf_Die *cu, Dwarf_Die *inl,
		      struct sym_frame *f)
{
	Dwarf_Files *files;
	size_t nfiles;
	Dwarf_Attribute a;
	Dwarf_Word idx;

	f->line = udata(inl, DW_AT_call_line);
	f->column = udata(inl, DW_AT_call_column);
	if (dwarf_attr(inl, DW_AT_call_file, &a) &&
	    dwarf_formudata(&a, &idx) == 0 &&
	    dwarf_getsrcfiles(cu, &files, &nfiles) == 0 && idx < nfiles)
		f->file = sym_intern(ctx, dwarf_filesrc(files, idx, NULL, NULL));
}

size_t sym_elf_frames(struct sym_ctx *ctx, struct sym_object *obj,
		      uint64_t vaddr, uint64_t *sym_offset)
{
	Dwarf_Die chain[MAX_SCOPES], *cu = NULL;
	struct sym_frame *fr = ctx->scratch;
	const struct sym_elfsym *es = find_sym(obj, vaddr);
	const char *symname = es ? es->name : NULL;
	uint64_t off = es ? vaddr - es->addr : 0;
	Dwarf_Addr bias = 0;
	size_t n = 0, nr = 0, i;
	bool demangled = false;
	Dwfl_Line *ln;

	if (obj->has_dwarf)
		cu = dwfl_module_addrdie(obj->mod, vaddr, &bias);
	if (cu)
		n = scopes_at(obj, cu, vaddr - bias, chain);
	/* A subprogram must head the chain; without one (assembly, or a
	 * CU whose ranges lie), only the symbol table speaks. */
	if (n && dwarf_tag(&chain[0]) != DW_TAG_subprogram)
		n = 0;
	if (!n && !symname)
		return 0;
	memset(fr, 0, sizeof(ctx->scratch));
	/* Innermost first: chain[n-1] is the deepest inlined function. */
	for (i = n; i-- > 0;) {
		struct sym_frame *f = &fr[nr++];

		demangled = frame_names(ctx, &chain[i], f);
		frame_decl(ctx, &chain[i], f);
	}
	if (!n)
		nr = 1;
	/* The physical function: the symbol table's name is the one perf
	 * shows (foo.constprop.0, foo.cold); the display name stays DWARF's
	 * source name unless DWARF had only a short name for a mangled
	 * symbol (a C++ name without its scope). */
	if (symname) {
		struct sym_frame *f = &fr[nr - 1];
		const char *disp, *raw = sym_intern_name(ctx, symname, &disp);

		if (!f->function || (!demangled && disp != raw))
			f->function = disp;
		f->system_name = raw;
		*sym_offset = off;
	} else {
		Dwarf_Addr lo;

		*sym_offset = dwarf_lowpc(&chain[0], &lo) == 0 && vaddr - bias >= lo
				      ? vaddr - bias - lo : 0;
	}
	/* Innermost position from the line table; each inlined function's
	 * call site is where its caller (the next frame out) stands. */
	ln = obj->has_dwarf ? dwfl_module_getsrc(obj->mod, vaddr) : NULL;
	if (ln) {
		int line = 0, col = 0;
		const char *file = dwfl_lineinfo(ln, NULL, &line, &col, NULL, NULL);

		fr[0].file = sym_intern(ctx, file);
		fr[0].line = line;
		fr[0].column = col;
	}
	for (i = n; i-- > 1;) {
		size_t fi = n - i; /* frame of chain[i-1], the caller */

		if (dwarf_tag(&chain[i]) == DW_TAG_inlined_subroutine)
			call_site(ctx, cu, &chain[i], &fr[fi]);
	}
	if (!ctx->opt.inline_frames && nr > 1) {
		fr[0] = fr[nr - 1];
		nr = 1;
	}
	return nr;
}
