/* DWARF unwinding of a sampled user stack (x86_64): registers and a copy of
 * the stack from the sample, call frame information (.eh_frame, else
 * .debug_frame) from each object through libdw, cached per object and PC. */
#include "internal.h"

#include <dwarf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* DWARF register numbers of x86_64 (System V psABI): rax rdx rcx rbx rsi
 * rdi rbp rsp r8..r15, then 16 = the return address column. */
#define DW_NREGS 17
#define DW_SP 7
#define DW_RA 16

/* DWARF register -> perf register (SYM_X86_*). */
static const int dw_to_perf[DW_NREGS] = {
	SYM_X86_AX, SYM_X86_DX, SYM_X86_CX, SYM_X86_BX, SYM_X86_SI, SYM_X86_DI,
	SYM_X86_BP, SYM_X86_SP, SYM_X86_R8, SYM_X86_R9, SYM_X86_R10,
	SYM_X86_R11, SYM_X86_R12, SYM_X86_R13, SYM_X86_R14, SYM_X86_R15,
	SYM_X86_IP,
};

struct uw_state {
	uint64_t reg[DW_NREGS];
	uint32_t valid; /* bit per DWARF register */
	const uint8_t *stack;
	uint64_t stack_lo, stack_hi; /* the copy covers [lo, hi) */
	bool truncated;              /* a read went past the copy's end */
};

static bool mem_read(struct uw_state *st, uint64_t addr, uint64_t *out)
{
	if (addr >= st->stack_lo && addr < st->stack_hi &&
	    st->stack_hi - addr >= 8) {
		memcpy(out, st->stack + (addr - st->stack_lo), 8);
		return true;
	}
	/* Above the copy, on the stack: the copy was too short. */
	if (addr >= st->stack_hi && addr - st->stack_hi < (64u << 20))
		st->truncated = true;
	return false;
}

static bool get_reg(const struct uw_state *st, uint64_t r, uint64_t *v)
{
	if (r >= DW_NREGS || !(st->valid & (1u << r)))
		return false;
	*v = st->reg[r];
	return true;
}

/* Evaluates a DWARF expression of CFI (the subset producers emit there: PLT
 * entries, signal frames, stack realignment). cfa is pushed for
 * DW_OP_call_frame_cfa. Returns false when it cannot be evaluated. *is_value
 * tells a computed value (DW_OP_stack_value, or a register) from a memory
 * location. */
static bool eval(struct uw_state *st, const Dwarf_Op *ops, size_t n,
		 uint64_t cfa, bool have_cfa, uint64_t *out, bool *is_value)
{
	uint64_t s[16], a, b;
	size_t sp = 0, i;

	*is_value = false;
#define PUSH(v) do { if (sp >= ARRAY_SIZE(s)) return false; s[sp++] = (v); } while (0)
#define POP(v) do { if (!sp) return false; (v) = s[--sp]; } while (0)
	for (i = 0; i < n; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t at = op->atom;

		if (at >= DW_OP_lit0 && at <= DW_OP_lit31) {
			PUSH((uint64_t)(at - DW_OP_lit0));
			continue;
		}
		if (at >= DW_OP_breg0 && at <= DW_OP_breg31) {
			if (!get_reg(st, at - DW_OP_breg0, &a))
				return false;
			PUSH(a + op->number);
			continue;
		}
		if (at >= DW_OP_reg0 && at <= DW_OP_reg31) {
			if (n != 1 || !get_reg(st, at - DW_OP_reg0, out))
				return false;
			*is_value = true;
			return true;
		}
		switch (at) {
		case DW_OP_regx:
			if (n != 1 || !get_reg(st, op->number, out))
				return false;
			*is_value = true;
			return true;
		case DW_OP_bregx:
			if (!get_reg(st, op->number, &a))
				return false;
			PUSH(a + op->number2);
			break;
		case DW_OP_call_frame_cfa:
			if (!have_cfa)
				return false;
			PUSH(cfa);
			break;
		case DW_OP_const1u: case DW_OP_const1s: case DW_OP_const2u:
		case DW_OP_const2s: case DW_OP_const4u: case DW_OP_const4s:
		case DW_OP_const8u: case DW_OP_const8s: case DW_OP_constu:
		case DW_OP_consts:
			/* libdw hands signed operands already sign-extended */
			PUSH(op->number);
			break;
		case DW_OP_plus_uconst:
			POP(a);
			PUSH(a + op->number);
			break;
		case DW_OP_deref:
			POP(a);
			if (!mem_read(st, a, &b))
				return false;
			PUSH(b);
			break;
		case DW_OP_dup:
			if (!sp)
				return false;
			a = s[sp - 1];
			PUSH(a);
			break;
		case DW_OP_drop:
			POP(a);
			break;
		case DW_OP_swap:
			POP(a);
			POP(b);
			PUSH(a);
			PUSH(b);
			break;
		case DW_OP_neg:
			POP(a);
			PUSH(-a);
			break;
		case DW_OP_not:
			POP(a);
			PUSH(~a);
			break;
		case DW_OP_nop:
			break;
		case DW_OP_stack_value:
			if (i + 1 != n)
				return false;
			*is_value = true;
			break;
		case DW_OP_plus: case DW_OP_minus: case DW_OP_and: case DW_OP_or:
		case DW_OP_xor: case DW_OP_mul: case DW_OP_shl: case DW_OP_shr:
		case DW_OP_shra: case DW_OP_ge: case DW_OP_gt: case DW_OP_le:
		case DW_OP_lt: case DW_OP_eq: case DW_OP_ne:
			POP(b);
			POP(a);
			switch (at) {
			case DW_OP_plus: a += b; break;
			case DW_OP_minus: a -= b; break;
			case DW_OP_and: a &= b; break;
			case DW_OP_or: a |= b; break;
			case DW_OP_xor: a ^= b; break;
			case DW_OP_mul: a *= b; break;
			case DW_OP_shl: a = b < 64 ? a << b : 0; break;
			case DW_OP_shr: a = b < 64 ? a >> b : 0; break;
			case DW_OP_shra:
				a = (uint64_t)((int64_t)a >> (b < 63 ? b : 63));
				break;
			case DW_OP_ge: a = (int64_t)a >= (int64_t)b; break;
			case DW_OP_gt: a = (int64_t)a > (int64_t)b; break;
			case DW_OP_le: a = (int64_t)a <= (int64_t)b; break;
			case DW_OP_lt: a = (int64_t)a < (int64_t)b; break;
			case DW_OP_eq: a = a == b; break;
			default: a = a != b; break;
			}
			PUSH(a);
			break;
		default:
			return false;
		}
	}
#undef PUSH
#undef POP
	if (!sp)
		return false;
	*out = s[sp - 1];
	return true;
}

/* ---- per-object CFI and a cache of frames by PC --------------------------- */

struct uw_frame_entry {
	const struct sym_object *obj;
	uint64_t vaddr;
	Dwarf_Frame *frame; /* NULL: no CFI there */
	struct uw_frame_entry *next;
};

static void obj_cfi(struct sym_object *o)
{
	Dwarf_Addr bias;

	if (o->cfi_tried)
		return;
	o->cfi_tried = true;
	o->cfi_eh = dwfl_module_eh_cfi(o->mod, &bias);
	o->cfi_eh_bias = bias;
	o->cfi_dw = dwfl_module_dwarf_cfi(o->mod, &bias);
	o->cfi_dw_bias = bias;
}

static Dwarf_Frame *frame_at(struct sym_ctx *ctx, struct sym_object *o,
			     uint64_t vaddr)
{
	struct uw_frame_entry *e;
	Dwarf_Frame *f = NULL;
	size_t h;

	if (ctx->cap_frames) {
		h = hash_u64((uintptr_t)o ^ hash_u64(vaddr)) & (ctx->cap_frames - 1);
		for (e = ctx->frames[h]; e; e = e->next)
			if (e->obj == o && e->vaddr == vaddr)
				return e->frame;
	}
	obj_cfi(o);
	if (o->cfi_eh && dwarf_cfi_addrframe(o->cfi_eh, vaddr - o->cfi_eh_bias, &f) != 0)
		f = NULL;
	if (!f && o->cfi_dw &&
	    dwarf_cfi_addrframe(o->cfi_dw, vaddr - o->cfi_dw_bias, &f) != 0)
		f = NULL;
	if (ctx->nr_frames + 1 > ctx->cap_frames) {
		size_t ncap = ctx->cap_frames ? ctx->cap_frames * 2 : 4096, i;
		struct uw_frame_entry **n = calloc(ncap, sizeof(*n)), *nx;

		if (!n)
			goto nocache;
		for (i = 0; i < ctx->cap_frames; i++) {
			for (e = ctx->frames[i]; e; e = nx) {
				nx = e->next;
				h = hash_u64((uintptr_t)e->obj ^ hash_u64(e->vaddr)) &
				    (ncap - 1);
				e->next = n[h];
				n[h] = e;
			}
		}
		free(ctx->frames);
		ctx->frames = n;
		ctx->cap_frames = ncap;
	}
	e = sym_arena_alloc(&ctx->arena, sizeof(*e));
	if (!e)
		goto nocache;
	e->obj = o;
	e->vaddr = vaddr;
	e->frame = f;
	h = hash_u64((uintptr_t)o ^ hash_u64(vaddr)) & (ctx->cap_frames - 1);
	e->next = ctx->frames[h];
	ctx->frames[h] = e;
	ctx->nr_frames++;
	return f;
nocache:
	/* Without a cache entry nobody would free it. */
	free(f);
	return NULL;
}

void sym_unwind_free_frames(struct sym_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->cap_frames; i++) {
		struct uw_frame_entry *e;

		for (e = ctx->frames[i]; e; e = e->next)
			free(e->frame);
	}
	free(ctx->frames);
	ctx->frames = NULL;
	ctx->cap_frames = ctx->nr_frames = 0;
}

/* True when vaddr lies in the first instructions of o's ELF entry point.
 * The dynamic loader's entry (RTLD_START: "mov %rsp,%rdi; call _dl_start")
 * has no CFI, yet the return address into it is where every process starts:
 * the outermost frame, not a failure. */
static bool in_entry_code(struct sym_object *o, uint64_t vaddr)
{
	GElf_Ehdr ehdr;
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(o->mod, &bias);

	if (!elf || !gelf_getehdr(elf, &ehdr) || !ehdr.e_entry)
		return false;
	return vaddr >= ehdr.e_entry && vaddr - ehdr.e_entry < 64;
}

/* step() results besides enum sym_unwind_end: the caller's registers are in
 * st; after a signal frame the next pc is exact, not a return address. */
#define STEP_OK 100
#define STEP_OK_EXACT 101

/* One step: from the registers of a frame at pc to its caller's. */
static int step(struct sym_ctx *ctx, uint32_t pid, uint64_t time,
				struct uw_state *st, bool exact)
{
	const struct sym_mapping *m;
	struct sym_object *o;
	Dwarf_Frame *f;
	Dwarf_Op ops_mem[3], *ops;
	uint64_t pc = st->reg[DW_RA], off, look, vaddr, cfa, v;
	uint64_t nreg[DW_NREGS];
	uint32_t nvalid = 0;
	size_t nops, i;
	bool isval, sig = false;
	int ra;

	m = sym_space_find(ctx, pid, time, pc);
	if (!m || m->kernel || sym_path_is_anon(m->path))
		return SYM_UNWIND_FAILED;
	o = sym_unwind_object(ctx, m);
	if (!o)
		return SYM_UNWIND_FAILED;
	sym_object_open(ctx, o);
	if (o->state != SYM_OBJ_OK)
		return SYM_UNWIND_FAILED;
	off = pc - m->start + m->pgoff;
	/* A return address is looked up at pc - 1: the call may be the last
	 * instruction of a function whose CFI ends there. */
	look = exact ? off : off - 1;
	if (!sym_offset_to_vaddr(o, look, &vaddr))
		return SYM_UNWIND_FAILED;
	f = frame_at(ctx, o, vaddr);
	if (!f)
		return in_entry_code(o, vaddr) ? SYM_UNWIND_END : SYM_UNWIND_FAILED;
	if (dwarf_frame_cfa(f, &ops, &nops) != 0 || !nops ||
	    !eval(st, ops, nops, 0, false, &cfa, &isval))
		return st->truncated ? SYM_UNWIND_TRUNCATED : SYM_UNWIND_FAILED;
	ra = dwarf_frame_info(f, NULL, NULL, &sig);
	if (ra < 0 || ra >= DW_NREGS)
		return SYM_UNWIND_FAILED;
	for (i = 0; i < DW_NREGS; i++) {
		if (dwarf_frame_register(f, (int)i, ops_mem, &ops, &nops) != 0)
			continue;
		if (!nops && ops == ops_mem)
			continue; /* undefined */
		if (!nops && !ops) { /* same value */
			if (st->valid & (1u << i)) {
				nreg[i] = st->reg[i];
				nvalid |= 1u << i;
			}
			continue;
		}
		if (!eval(st, ops, nops, cfa, true, &v, &isval))
			continue;
		if (!isval && !mem_read(st, v, &v)) {
			/* A slot below the stack pointer was popped already:
			 * in an epilogue the CFI may still name the slot of a
			 * register that "pop" has restored, so the register
			 * holds the caller's value. */
			if (v < st->stack_lo && (int)i != ra && (st->valid & (1u << i))) {
				nreg[i] = st->reg[i];
				nvalid |= 1u << i;
			}
			continue;
		}
		nreg[i] = v;
		nvalid |= 1u << i;
	}
	/* The caller's stack pointer is the CFA (x86_64 psABI). */
	nreg[DW_SP] = cfa;
	nvalid |= 1u << DW_SP;
	if (!(nvalid & (1u << ra))) {
		/* The return address column is undefined: the outermost frame
		 * (_start, clone) says so; else a needed read failed. */
		if (st->truncated)
			return SYM_UNWIND_TRUNCATED;
		if (dwarf_frame_register(f, ra, ops_mem, &ops, &nops) == 0 &&
		    !nops && ops == ops_mem)
			return SYM_UNWIND_END;
		return SYM_UNWIND_FAILED;
	}
	v = nreg[ra];
	if (!v)
		return SYM_UNWIND_END;
	/* The stack grows down: a caller's frame lies above. */
	if (cfa <= st->reg[DW_SP] && v == pc)
		return SYM_UNWIND_FAILED;
	memcpy(st->reg, nreg, sizeof(nreg));
	st->valid = nvalid;
	st->reg[DW_RA] = v;
	st->valid |= 1u << DW_RA;
	st->truncated = false;
	/* A signal frame's caller is the interrupted pc itself. */
	return sig ? STEP_OK_EXACT : STEP_OK;
}

int sym_unwind(struct sym_ctx *ctx, uint32_t pid, uint64_t time,
	       const uint64_t *regs, uint64_t regs_mask, const uint8_t *stack,
	       size_t stack_size, uint64_t *ips, size_t max_ips, size_t *nr_ips,
	       enum sym_unwind_end *end)
{
	struct uw_state st;
	uint64_t perf[SYM_X86_NR_REGS];
	uint32_t have = 0;
	size_t i, k = 0, n = 0;
	bool exact = true;

	*nr_ips = 0;
	*end = SYM_UNWIND_FAILED;
	if (!regs || !ips || !max_ips)
		return -EINVAL;
	/* regs is the sample's compact array: one value per set mask bit. */
	for (i = 0; i < SYM_X86_NR_REGS; i++) {
		if (!(regs_mask & (1ULL << i)))
			continue;
		perf[i] = regs[k++];
		have |= 1u << i;
	}
	if (!(have & (1u << SYM_X86_IP)) || !(have & (1u << SYM_X86_SP)))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < DW_NREGS; i++) {
		if (have & (1u << dw_to_perf[i])) {
			st.reg[i] = perf[dw_to_perf[i]];
			st.valid |= 1u << i;
		}
	}
	st.stack = stack;
	st.stack_lo = perf[SYM_X86_SP];
	st.stack_hi = stack ? st.stack_lo + stack_size : st.stack_lo;
	if (st.stack_hi < st.stack_lo)
		st.stack_hi = UINT64_MAX;
	ips[n++] = st.reg[DW_RA];
	for (;;) {
		int r;

		if (n >= max_ips) {
			*end = SYM_UNWIND_LIMIT;
			break;
		}
		r = step(ctx, pid, time, &st, exact);
		if (r == STEP_OK || r == STEP_OK_EXACT) {
			exact = r == STEP_OK_EXACT;
			ips[n++] = st.reg[DW_RA];
			continue;
		}
		*end = (enum sym_unwind_end)r;
		break;
	}
	*nr_ips = n;
	ctx->stats.unwinds++;
	if (*end == SYM_UNWIND_TRUNCATED)
		ctx->stats.unwinds_truncated++;
	else if (*end == SYM_UNWIND_FAILED)
		ctx->stats.unwinds_failed++;
	return 0;
}
