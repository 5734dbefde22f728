/* The -e event-spec parser: lists, groups, modifiers and terms, with the
 * symbolic hardware, cache and software events; libpfm4 and tracefs names
 * are resolved through pfm.c and tracefs.c. */
#include "config.h"

#include "evint.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Longer specs are certainly a mistake; the limit keeps error messages and
 * edit distances cheap. */
#define SPEC_MAX 4096
/* How much of a user's text an error message quotes. */
#define QUOTE_MAX 80

struct sym_event {
	const char *name;
	const char *alias;
	enum pmu_event_kind kind;
	uint32_t type;
	uint64_t config;
	const char *desc;
};

static const struct sym_event sym_events[] = {
	{"cycles", "cpu-cycles", PMU_EV_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES,
	 "CPU cycles"},
	{"instructions", NULL, PMU_EV_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS,
	 "retired instructions"},
	{"cache-references", NULL, PMU_EV_HARDWARE, PERF_TYPE_HARDWARE,
	 PERF_COUNT_HW_CACHE_REFERENCES, "cache accesses (usually the last-level cache)"},
	{"cache-misses", NULL, PMU_EV_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES,
	 "cache misses (usually the last-level cache)"},
	{"branches", "branch-instructions", PMU_EV_HARDWARE, PERF_TYPE_HARDWARE,
	 PERF_COUNT_HW_BRANCH_INSTRUCTIONS, "retired branch instructions"},
	{"branch-misses", NULL, PMU_EV_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES,
	 "mispredicted branch instructions"},
	{"bus-cycles", NULL, PMU_EV_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES,
	 "bus cycles"},
	{"stalled-cycles-frontend", "idle-cycles-frontend", PMU_EV_HARDWARE, PERF_TYPE_HARDWARE,
	 PERF_COUNT_HW_STALLED_CYCLES_FRONTEND,
	 "cycles stalled in the instruction issue front end"},
	{"stalled-cycles-backend", "idle-cycles-backend", PMU_EV_HARDWARE, PERF_TYPE_HARDWARE,
	 PERF_COUNT_HW_STALLED_CYCLES_BACKEND, "cycles stalled in the execution back end"},
	{"ref-cycles", NULL, PMU_EV_HARDWARE, PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES,
	 "reference cycles, not scaled by frequency changes"},
	{"cpu-clock", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK,
	 "per-CPU high-resolution timer (nanoseconds)"},
	{"task-clock", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK,
	 "time the task ran on a CPU (nanoseconds)"},
	{"page-faults", "faults", PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS,
	 "page faults"},
	{"context-switches", "cs", PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE,
	 PERF_COUNT_SW_CONTEXT_SWITCHES, "context switches"},
	{"cpu-migrations", "migrations", PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE,
	 PERF_COUNT_SW_CPU_MIGRATIONS, "moves of a task to another CPU"},
	{"minor-faults", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN,
	 "page faults served without I/O"},
	{"major-faults", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ,
	 "page faults that needed I/O"},
	{"alignment-faults", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE,
	 PERF_COUNT_SW_ALIGNMENT_FAULTS, "unaligned accesses fixed up by the kernel"},
	{"emulation-faults", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE,
	 PERF_COUNT_SW_EMULATION_FAULTS, "instructions emulated by the kernel"},
	{"dummy", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_DUMMY,
	 "counts nothing; carries side-band records"},
	{"bpf-output", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT,
	 "output of BPF programs"},
	{"cgroup-switches", NULL, PMU_EV_SOFTWARE, PERF_TYPE_SOFTWARE,
	 PERF_COUNT_SW_CGROUP_SWITCHES, "context switches to a task in another cgroup"},
};

/* Hardware cache events: cache[-op[-result]] or cache-result, as perf spells
 * them (aliases included, case-insensitive). */
struct cache_type {
	const char *names[5]; /* canonical first */
	unsigned int ops; /* bit per valid op */
	const char *desc;
};

#define OPS_R (1u << PERF_COUNT_HW_CACHE_OP_READ)
#define OPS_W (1u << PERF_COUNT_HW_CACHE_OP_WRITE)
#define OPS_P (1u << PERF_COUNT_HW_CACHE_OP_PREFETCH)

static const struct cache_type cache_types[PERF_COUNT_HW_CACHE_MAX] = {
	[PERF_COUNT_HW_CACHE_L1D] = {{"L1-dcache", "l1-d", "l1d", "L1-data"},
				     OPS_R | OPS_W | OPS_P,
				     "level 1 data cache"},
	[PERF_COUNT_HW_CACHE_L1I] = {{"L1-icache", "l1-i", "l1i", "L1-instruction"},
				     OPS_R | OPS_P,
				     "level 1 instruction cache"},
	[PERF_COUNT_HW_CACHE_LL] = {{"LLC", "L2"}, OPS_R | OPS_W | OPS_P, "last-level cache"},
	[PERF_COUNT_HW_CACHE_DTLB] = {{"dTLB", "d-tlb", "Data-TLB"},
				      OPS_R | OPS_W | OPS_P,
				      "data TLB"},
	[PERF_COUNT_HW_CACHE_ITLB] = {{"iTLB", "i-tlb", "Instruction-TLB"},
				      OPS_R,
				      "instruction TLB"},
	[PERF_COUNT_HW_CACHE_BPU] = {{"branch", "branches", "bpu", "btb", "bpc"},
				     OPS_R,
				     "branch prediction unit"},
	[PERF_COUNT_HW_CACHE_NODE] = {{"node"}, OPS_R | OPS_W | OPS_P, "local memory (NUMA node)"},
};

static const char *const cache_ops[PERF_COUNT_HW_CACHE_OP_MAX][5] = {
	[PERF_COUNT_HW_CACHE_OP_READ] = {"load", "loads", "read"},
	[PERF_COUNT_HW_CACHE_OP_WRITE] = {"store", "stores", "write"},
	[PERF_COUNT_HW_CACHE_OP_PREFETCH] = {"prefetch", "prefetches", "speculative-read",
					     "speculative-load"},
};

static const char *const cache_results[PERF_COUNT_HW_CACHE_RESULT_MAX][5] = {
	[PERF_COUNT_HW_CACHE_RESULT_ACCESS] = {"refs", "Reference", "ops", "access"},
	[PERF_COUNT_HW_CACHE_RESULT_MISS] = {"misses", "miss"},
};

static const char *const cache_op_plural[PERF_COUNT_HW_CACHE_OP_MAX] = {"loads", "stores",
									"prefetches"};
static const char *const cache_op_desc[PERF_COUNT_HW_CACHE_OP_MAX] = {"loads", "stores",
								      "prefetches"};

/* Matches one of names[] at the start of *s followed by '-' or the end;
 * advances *s past it (and the '-'). Returns the index or -1. */
static int match_prefix(const char **s, const char *const *names, size_t n)
{
	int best = -1;
	size_t best_len = 0;

	for (size_t i = 0; i < n && names[i]; i++) {
		size_t l = strlen(names[i]);

		if (!strncasecmp(*s, names[i], l) && ((*s)[l] == '\0' || (*s)[l] == '-') &&
		    l > best_len) {
			best = (int)i;
			best_len = l;
		}
	}
	if (best < 0)
		return -1;
	*s += best_len;
	if (**s == '-')
		(*s)++;
	return best;
}

/* Parses a cache event name into its config; 0 or -ENOENT. */
static int cache_parse(const char *name, uint64_t *config)
{
	for (int t = 0; t < PERF_COUNT_HW_CACHE_MAX; t++) {
		const char *s = name;
		int op = PERF_COUNT_HW_CACHE_OP_READ, res = PERF_COUNT_HW_CACHE_RESULT_ACCESS;
		int k;

		if (match_prefix(&s, cache_types[t].names, 5) < 0)
			continue;
		if (*s && s[-1] != '-')
			continue;
		if (!*s && s[-1] == '-') /* "L1-dcache-" */
			continue;
		if (*s) {
			bool got_op = false;

			for (k = 0; k < PERF_COUNT_HW_CACHE_OP_MAX; k++)
				if (match_prefix(&s, cache_ops[k], 5) >= 0) {
					op = k;
					got_op = true;
					break;
				}
			if (*s && (!got_op || s[-1] == '-')) {
				for (k = 0; k < PERF_COUNT_HW_CACHE_RESULT_MAX; k++)
					if (match_prefix(&s, cache_results[k], 5) >= 0) {
						res = k;
						break;
					}
				if (k == PERF_COUNT_HW_CACHE_RESULT_MAX)
					continue;
			}
			if (*s)
				continue;
			/* "L1-dcache-" */
			if (s[-1] == '-')
				continue;
		}
		if (!(cache_types[t].ops & (1u << op)))
			continue;
		*config = (uint64_t)t | ((uint64_t)op << 8) | ((uint64_t)res << 16);
		return 0;
	}
	return -ENOENT;
}

/* The canonical name of cache event (t, op, res) into buf. */
static void cache_name(char *buf, size_t len, int t, int op, int res)
{
	if (res == PERF_COUNT_HW_CACHE_RESULT_ACCESS)
		snprintf(buf, len, "%s-%s", cache_types[t].names[0], cache_op_plural[op]);
	else
		snprintf(buf, len, "%s-%s-misses", cache_types[t].names[0], cache_ops[op][0]);
}

/* ---- errors ------------------------------------------------------------- */

/* Copies at most QUOTE_MAX characters of s[0..n) into buf with control
 * characters replaced, so that a message stays one printable line. */
static const char *quote(char *buf, size_t size, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && s[i] && o + 4 < size; i++) {
		if (i == QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	}
	buf[o] = '\0';
	return buf;
}

static int set_err(struct pmu_parse_error *err, int ret, const char *hint, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

static int set_err(struct pmu_parse_error *err, int ret, const char *hint, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return ret;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	snprintf(err->hint, sizeof(err->hint), "%s", hint ? hint : "");
	/* user text reached here through sysfs/libpfm4 reasons too: the
	 * message must stay one printable line whatever it quotes */
	for (char *c = err->msg; *c; c++)
		if (!isprint((unsigned char)*c))
			*c = '?';
	for (char *c = err->hint; *c; c++)
		if (!isprint((unsigned char)*c))
			*c = '?';
	return ret;
}

/* ---- the parser --------------------------------------------------------- */

struct mods {
	int u, k, h, p;
};

/* What the parser remembers of each event it added. */
struct evstate {
	bool excl_set; /* u/k/h given already: a group's modifiers add levels */
	bool has_suffix; /* its name ends in its own ":mods" */
};

struct parser {
	struct pmu_event_list *list;
	size_t cap;
	const char *spec;
	struct pmu_parse_error *err;
	struct evstate *st; /* per list index */
	size_t st_cap;
};

#define PMUS_HINT \
	"kernel PMUs are the directories of /sys/bus/event_source/devices; see 'cperf list pmu'"
#define MODS_HINT "modifiers are u (user), k (kernel), h (hypervisor), p, pp, ppp (precise)"
#define TERMS_HINT "terms are period=N, freq=N and name=NAME, as in 'cpu-clock/period=100000/'"

static bool is_mod_char(char c)
{
	return c == 'u' || c == 'k' || c == 'h' || c == 'p';
}

/* Parses modifier letters s[0..n); 0 or -EINVAL. */
static int mods_parse(struct parser *ps, const char *s, size_t n, struct mods *m)
{
	char q[QUOTE_MAX + 8];

	memset(m, 0, sizeof(*m));
	if (n == 0)
		return set_err(ps->err, -EINVAL, MODS_HINT, "missing modifier after ':' in '%s'",
			       quote(q, sizeof(q), ps->spec, SIZE_MAX));
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case 'u':
			m->u = 1;
			break;
		case 'k':
			m->k = 1;
			break;
		case 'h':
			m->h = 1;
			break;
		case 'p':
			if (++m->p > 3)
				return set_err(ps->err, -EINVAL, MODS_HINT,
					       "too many 'p' modifiers in '%s' (at most 3)",
					       quote(q, sizeof(q), s, n));
			break;
		default: {
			char c[8];

			return set_err(ps->err, -EINVAL, MODS_HINT, "unknown modifier '%s' in '%s'",
				       quote(c, sizeof(c), s + i, 1),
				       quote(q, sizeof(q), ps->spec, SIZE_MAX));
		}
		}
	}
	return 0;
}

static bool mods_valid(const char *s, size_t n)
{
	int p = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_mod_char(s[i]))
			return false;
		if (s[i] == 'p' && ++p > 3)
			return false;
	}
	return true;
}

/* perf's rule: naming any of u, k, h excludes the levels not named; a
 * group's modifiers then add levels to a member that named its own
 * ("{cycles:u}:k" counts user and kernel). */
static void mods_apply(const struct mods *m, struct perf_event_attr *attr, struct evstate *st)
{
	if (m->u || m->k || m->h) {
		if (!st->excl_set) {
			attr->exclude_user = 1;
			attr->exclude_kernel = 1;
			attr->exclude_hv = 1;
			st->excl_set = true;
		}
		if (m->u)
			attr->exclude_user = 0;
		if (m->k)
			attr->exclude_kernel = 0;
		if (m->h)
			attr->exclude_hv = 0;
	}
	if (m->p > (int)attr->precise_ip)
		attr->precise_ip = (unsigned int)m->p;
}

struct terms {
	bool has_period, has_freq;
	uint64_t period, freq;
	char *name;
};

/* Parses "period=N,freq=N,name=X" (s[0..n)); 0 or -EINVAL. */
static int terms_parse_inner(struct parser *ps, const char *s, size_t n, struct terms *t)
{
	char q[QUOTE_MAX + 8], v[64];
	size_t i = 0;

	memset(t, 0, sizeof(*t));
	if (n == 0)
		return set_err(ps->err, -EINVAL, TERMS_HINT, "empty term list in '%s'",
			       quote(q, sizeof(q), ps->spec, SIZE_MAX));
	while (i < n) {
		size_t end = i, eq;

		while (end < n && s[end] != ',')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		if (eq == end || eq == i || eq + 1 == end)
			return set_err(ps->err, -EINVAL, TERMS_HINT, "term '%s' is not key=value",
				       quote(q, sizeof(q), s + i, end - i));
		if ((eq - i == 6 && !strncmp(s + i, "period", 6)) ||
		    (eq - i == 4 && !strncmp(s + i, "freq", 4))) {
			bool is_period = s[i] == 'p';
			uint64_t val;

			if (end - eq - 1 >= sizeof(v) ||
			    parse_u64(quote(v, sizeof(v), s + eq + 1, end - eq - 1), 1,
				      is_period ? UINT64_MAX >> 1 : 1000000000ULL, &val))
				return set_err(
					ps->err, -EINVAL, TERMS_HINT,
					"bad value in term '%s' (a positive integer is needed)",
					quote(q, sizeof(q), s + i, end - i));
			if (is_period) {
				t->has_period = true;
				t->period = val;
			} else {
				t->has_freq = true;
				t->freq = val;
			}
		} else if (eq - i == 4 && !strncmp(s + i, "name", 4)) {
			free(t->name);
			t->name = strndup(s + eq + 1, end - eq - 1);
			if (!t->name)
				return -ENOMEM;
			for (char *c = t->name; *c; c++)
				if (!isprint((unsigned char)*c))
					*c = '?';
		} else {
			free(t->name);
			t->name = NULL;
			return set_err(ps->err, -EINVAL, TERMS_HINT, "unknown term '%s'",
				       quote(q, sizeof(q), s + i, eq - i));
		}
		i = end + 1;
		if (end + 1 == n) {
			free(t->name);
			t->name = NULL;
			return set_err(ps->err, -EINVAL, TERMS_HINT, "empty term in '%s'",
				       quote(q, sizeof(q), ps->spec, SIZE_MAX));
		}
	}
	if (t->has_period && t->has_freq) {
		free(t->name);
		t->name = NULL;
		return set_err(ps->err, -EINVAL, NULL, "both period= and freq= given in '%s'",
			       quote(q, sizeof(q), ps->spec, SIZE_MAX));
	}
	return 0;
}

/* As terms_parse_inner; on error t holds nothing to free. */
static int terms_parse(struct parser *ps, const char *s, size_t n, struct terms *t)
{
	int ret = terms_parse_inner(ps, s, n, t);

	if (ret) {
		free(t->name);
		t->name = NULL;
	}
	return ret;
}

static int push_event(struct parser *ps, const char *name, enum pmu_event_kind kind,
		      const struct perf_event_attr *attr)
{
	struct pmu_event_list *l = ps->list;
	struct pmu_event *ev;

	if (l->nr == ps->cap && grow_array(&l->ev, &ps->cap, l->nr + 1, sizeof(*l->ev)))
		return -ENOMEM;
	ev = &l->ev[l->nr];
	memset(ev, 0, sizeof(*ev));
	ev->name = strdup(name);
	if (!ev->name)
		return -ENOMEM;
	ev->kind = kind;
	ev->attr = *attr;
	ev->attr.size = sizeof(ev->attr);
	ev->attr.disabled = 0;
	ev->leader = (int)l->nr;
	if (grow_array(&ps->st, &ps->st_cap, l->nr + 1, sizeof(*ps->st))) {
		free(ev->name);
		return -ENOMEM;
	}
	memset(&ps->st[l->nr], 0, sizeof(ps->st[l->nr]));
	l->nr++;
	return 0;
}

static const struct sym_event *sym_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sym_events); i++)
		if (!strcasecmp(name, sym_events[i].name) ||
		    (sym_events[i].alias && !strcasecmp(name, sym_events[i].alias)))
			return &sym_events[i];
	return NULL;
}

/* rNNNN: a raw PMU config in hex. */
static bool raw_parse(const char *name, uint64_t *config)
{
	size_t n = strlen(name);

	if (n < 2 || n > 17 || name[0] != 'r')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isxdigit((unsigned char)name[i]))
			return false;
	*config = strtoull(name + 1, NULL, 16);
	return true;
}

/* A symbolic (hardware, cache, software) or raw event; true when found. */
static bool symbol_resolve(const char *name, struct perf_event_attr *attr,
			   enum pmu_event_kind *kind)
{
	const struct sym_event *se = sym_find(name);
	uint64_t config;

	memset(attr, 0, sizeof(*attr));
	if (se) {
		attr->type = se->type;
		attr->config = se->config;
		*kind = se->kind;
		return true;
	}
	if (cache_parse(name, &config) == 0) {
		attr->type = PERF_TYPE_HW_CACHE;
		attr->config = config;
		*kind = PMU_EV_CACHE;
		return true;
	}
	if (raw_parse(name, &config)) {
		attr->type = PERF_TYPE_RAW;
		attr->config = config;
		*kind = PMU_EV_RAW;
		return true;
	}
	return false;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The first ':' that is not part of "::", or NULL. */
static const char *single_colon(const char *s)
{
	for (; *s; s++) {
		if (s[0] == ':' && s[1] == ':') {
			s++;
			continue;
		}
		if (*s == ':')
			return s;
	}
	return NULL;
}

/* The did-you-mean hint for an unknown name. */
static void unknown_hint(const char *name, char *hint, size_t len)
{
	const char *cands[ARRAY_SIZE(sym_events) * 2 + 64];
	char cache_names[64][40];
	size_t n = 0, nc = 0;
	const char *best, *colon = single_colon(name);

	hint[0] = '\0';
	if (strstr(name, "::") || !strpbrk(name, "abcdefghijklmnopqrstuvwxyz")) {
		/* libpfm4 names are upper case or pmu::qualified */
		char sug[256];

		if (pmu_pfm_suggest(name, sug, sizeof(sug)) == 0) {
			snprintf(hint, len, "did you mean '%.200s'?", sug);
			return;
		}
	}
	if (colon && colon != name) {
		/* looks like a tracepoint: suggest among tracepoints */
		struct pmu_tp *tps = NULL;
		int nr = pmu_tp_all(&tps);

		if (nr > 0) {
			const char **names = calloc((size_t)nr, sizeof(*names));

			if (names) {
				for (int i = 0; i < nr; i++)
					names[i] = tps[i].name;
				best = suggest_word(name, names, (size_t)nr);
				if (best)
					snprintf(hint, len, "did you mean '%s'?", best);
				free(names);
			}
		}
		pmu_tp_free(tps, nr);
		if (!hint[0])
			snprintf(hint, len, "see 'cperf list' for the events of this machine");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sym_events); i++) {
		cands[n++] = sym_events[i].name;
		if (sym_events[i].alias)
			cands[n++] = sym_events[i].alias;
	}
	for (int t = 0; t < PERF_COUNT_HW_CACHE_MAX; t++)
		for (int op = 0; op < PERF_COUNT_HW_CACHE_OP_MAX; op++) {
			if (!(cache_types[t].ops & (1u << op)))
				continue;
			for (int r = 0; r < PERF_COUNT_HW_CACHE_RESULT_MAX && nc < 64; r++) {
				cache_name(cache_names[nc], sizeof(cache_names[nc]), t, op, r);
				cands[n++] = cache_names[nc++];
			}
		}
	best = suggest_word(name, cands, n);
	if (best)
		snprintf(hint, len, "did you mean '%s'?", best);
	else
		snprintf(hint, len, "see 'cperf list' for the events of this machine");
}

static int apply_event(struct parser *ps, size_t first, const struct mods *m,
		       const struct terms *t);

/* Adds the events named by name (no terms), with modifiers m (may be NULL)
 * and display suffix ":mods" (may be empty). */
static int resolve_name(struct parser *ps, const char *name, const struct mods *m,
			const char *suffix, const struct terms *t)
{
	struct perf_event_attr attr;
	enum pmu_event_kind kind;
	char q[QUOTE_MAX + 8], disp[512], why[200];
	const char *colon = single_colon(name);
	size_t first = ps->list->nr;
	int ret;

	if (symbol_resolve(name, &attr, &kind)) {
		snprintf(disp, sizeof(disp), "%s%s", name, suffix);
		ret = push_event(ps, disp, kind, &attr);
		if (ret)
			return ret;
		goto apply;
	}
	if (!has_glob(name)) {
		memset(&attr, 0, sizeof(attr));
		ret = pmu_pfm_encode(name, &attr, why, sizeof(why));
		if (ret == 0) {
			snprintf(disp, sizeof(disp), "%s%s", name, suffix);
			ret = push_event(ps, disp, PMU_EV_PFM, &attr);
			if (ret)
				return ret;
			goto apply;
		}
		if (ret == -EINVAL)
			return set_err(ps->err, -EINVAL, "see 'cperf list -v pmu' for its umasks",
				       "invalid event '%s': %s",
				       quote(q, sizeof(q), name, SIZE_MAX), why);
	}
	if (colon && colon != name && colon[1] && !single_colon(colon + 1)) {
		struct pmu_tp *tps = NULL;
		char *sys = strndup(name, (size_t)(colon - name));
		int nr;

		if (!sys)
			return -ENOMEM;
		nr = pmu_tp_find(sys, colon + 1, &tps);
		free(sys);
		if (nr < 0) {
			if (nr == -ENOMEM)
				return nr;
			return set_err(
				ps->err, -ENOENT, pmu_tracefs_hint(nr),
				"cannot resolve tracepoint '%s': tracefs is not available (%s)",
				quote(q, sizeof(q), name, SIZE_MAX), pmu_tracefs_reason(nr));
		}
		if (nr == 0 && has_glob(name))
			return set_err(ps->err, -ENOENT, "see 'cperf list tracepoint'",
				       "no tracepoint matches '%s'",
				       quote(q, sizeof(q), name, SIZE_MAX));
		for (int i = 0; i < nr; i++) {
			memset(&attr, 0, sizeof(attr));
			attr.type = PERF_TYPE_TRACEPOINT;
			attr.config = tps[i].id;
			snprintf(disp, sizeof(disp), "%s%s", tps[i].name, suffix);
			ret = push_event(ps, disp, PMU_EV_TRACEPOINT, &attr);
			if (ret) {
				pmu_tp_free(tps, nr);
				return ret;
			}
		}
		pmu_tp_free(tps, nr);
		if (nr > 0)
			goto apply;
	}
	{
		char hint[sizeof(ps->err->hint)];

		unknown_hint(name, hint, sizeof(hint));
		return set_err(ps->err, -ENOENT, hint, "unknown event '%s'",
			       quote(q, sizeof(q), name, SIZE_MAX));
	}
apply:
	return apply_event(ps, first, m, t);
}

/* Modifiers and terms onto the events from index first on. */
static int apply_event(struct parser *ps, size_t first, const struct mods *m, const struct terms *t)
{
	for (size_t i = first; i < ps->list->nr; i++) {
		struct pmu_event *ev = &ps->list->ev[i];

		if (m) {
			mods_apply(m, &ev->attr, &ps->st[i]);
			ps->st[i].has_suffix = true;
		}
		if (t->has_period) {
			ev->attr.freq = 0;
			ev->attr.sample_period = t->period;
			ev->has_period = true;
		}
		if (t->has_freq) {
			ev->attr.freq = 1;
			ev->attr.sample_freq = t->freq;
			ev->has_freq = true;
		}
		if (t->name) {
			char *n = strdup(t->name);

			if (!n)
				return -ENOMEM;
			free(ev->name);
			ev->name = n;
			ps->st[i].has_suffix = false;
		}
	}
	return 0;
}

/* A kernel PMU event "pmu/terms/": period=, freq=, name= are ours, the
 * other terms are the PMU's (formats and event aliases from sysfs). */
static int parse_sysfs_event(struct parser *ps, const char *pmu, const char *tok, size_t n,
			     const char *slash, const char *close, const struct mods *m,
			     const char *suffix)
{
	struct strbuf gen = STRBUF_INIT, own = STRBUF_INIT;
	struct perf_event_attr attr;
	char q[QUOTE_MAX + 8], why[200], disp[512];
	struct terms t;
	const char *p = slash + 1;
	size_t first = ps->list->nr;
	int ret = 0;

	memset(&t, 0, sizeof(t));
	while (p < close && !ret) {
		const char *end = memchr(p, ',', (size_t)(close - p));
		struct strbuf *sb;
		size_t l;
		bool generic;

		if (!end)
			end = close;
		l = (size_t)(end - p);
		generic = (l > 7 && !strncmp(p, "period=", 7)) ||
			  (l > 5 && !strncmp(p, "freq=", 5)) || (l > 5 && !strncmp(p, "name=", 5));
		sb = generic ? &gen : &own;
		if ((sb->len && sb_puts(sb, ",")) || sb_append(sb, p, l))
			ret = -ENOMEM;
		p = end + 1;
	}
	if (!ret && gen.len)
		ret = terms_parse(ps, gen.buf, gen.len, &t);
	if (!ret && !own.len)
		ret = set_err(ps->err, -EINVAL, "name an event or its terms, as in 'msr/tsc/'",
			      "no event given for PMU '%s' in '%s'", pmu,
			      quote(q, sizeof(q), tok, n));
	if (!ret) {
		ret = pmu_sysfs_encode(pmu, own.buf, own.len, &attr, why, sizeof(why));
		if (ret == -ENOENT) {
			char hint[160];

			snprintf(hint, sizeof(hint), "see 'cperf list pmu '%.60s/*''", pmu);
			ret = set_err(ps->err, -ENOENT, hint, "unknown event '%s': %s",
				      quote(q, sizeof(q), tok, n), why);
		} else if (ret) {
			ret = set_err(ps->err, -EINVAL, NULL, "invalid event '%s': %s",
				      quote(q, sizeof(q), tok, n), why);
		}
	}
	if (!ret) {
		snprintf(disp, sizeof(disp), "%.*s%s", (int)(close + 1 - tok), tok, suffix);
		ret = push_event(ps, disp, PMU_EV_RAW, &attr);
	}
	if (!ret)
		ret = apply_event(ps, first, m, &t);
	free(t.name);
	sb_fini(&gen);
	sb_fini(&own);
	return ret;
}

#define BP_HINT "breakpoints are mem:ADDR[/LEN][:ACCESS], LEN 1, 2, 4 or 8, ACCESS of r, w, x"

/* A hardware breakpoint, as perf spells it: mem:ADDR[/LEN][:ACCESS][:MODS],
 * ACCESS "rw" by default; LEN 4 (data) or sizeof(long) (x) by default. */
static int parse_breakpoint(struct parser *ps, const char *tok, size_t n)
{
	char q[QUOTE_MAX + 8], buf[64], suffix[16] = "";
	struct perf_event_attr attr;
	const char *p = tok + 4, *end = tok + n, *colon;
	uint64_t addr, len = 0;
	unsigned int access = 0;
	struct terms t;
	struct mods m;
	size_t first = ps->list->nr, l;
	bool has_mods = false;
	int ret;

	memset(&t, 0, sizeof(t));
	colon = memchr(p, ':', (size_t)(end - p));
	l = (size_t)((colon ? colon : end) - p);
	{
		const char *slash = memchr(p, '/', l);
		size_t al = slash ? (size_t)(slash - p) : l;
		char *e;

		if (al == 0 || al >= sizeof(buf))
			goto bad;
		memcpy(buf, p, al);
		buf[al] = '\0';
		if (!isdigit((unsigned char)buf[0]))
			goto bad;
		errno = 0;
		addr = strtoull(buf, &e, 0);
		if (*e || errno)
			goto bad;
		if (slash) {
			size_t ll = l - al - 1;

			if (ll == 0 || ll >= sizeof(buf))
				goto bad;
			memcpy(buf, slash + 1, ll);
			buf[ll] = '\0';
			if (parse_u64(buf, 1, 8, &len) || (len & (len - 1)))
				goto bad;
		}
	}
	while (colon) {
		const char *seg = colon + 1, *next = memchr(seg, ':', (size_t)(end - seg));
		size_t sl = (size_t)((next ? next : end) - seg);

		if (!access && !has_mods && sl && strspn(seg, "rwx") >= sl) {
			for (size_t i = 0; i < sl; i++)
				access |= seg[i] == 'r'	  ? HW_BREAKPOINT_R
					  : seg[i] == 'w' ? HW_BREAKPOINT_W
							  : HW_BREAKPOINT_X;
		} else if (!has_mods && !next) {
			ret = mods_parse(ps, seg, sl, &m);
			if (ret)
				return ret;
			snprintf(suffix, sizeof(suffix), ":%.*s", (int)sl, seg);
			has_mods = true;
		} else {
			goto bad;
		}
		colon = next;
	}
	if (!access)
		access = HW_BREAKPOINT_R | HW_BREAKPOINT_W;
	/* the kernel takes an execute breakpoint alone, never with r/w */
	if ((access & HW_BREAKPOINT_X) && access != HW_BREAKPOINT_X)
		goto bad;
	if (!len)
		len = access == HW_BREAKPOINT_X ? sizeof(long) : HW_BREAKPOINT_LEN_4;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_BREAKPOINT;
	attr.bp_type = access;
	attr.bp_addr = addr;
	attr.bp_len = len;
	/* a breakpoint fires every time: perf samples each hit (the sampler
	 * does too, unless -F, -c or a term says otherwise) */
	attr.sample_period = 1;
	{
		size_t base = has_mods ? (size_t)((const char *)memrchr(tok, ':', n) - tok) : n;
		char disp[80];

		snprintf(disp, sizeof(disp), "%.*s%s", (int)(base < 48 ? base : 48), tok, suffix);
		ret = push_event(ps, disp, PMU_EV_BREAKPOINT, &attr);
	}
	if (!ret)
		ret = apply_event(ps, first, has_mods ? &m : NULL, &t);
	return ret;
bad:
	return set_err(ps->err, -EINVAL, BP_HINT, "invalid breakpoint '%s'",
		       quote(q, sizeof(q), tok, n));
}

/* One event token tok[0..n): name[/terms/][:mods]. */
static int parse_event(struct parser *ps, const char *tok, size_t n)
{
	char q[QUOTE_MAX + 8];
	struct terms t;
	struct mods m;
	const char *slash = memchr(tok, '/', n), *modstr = NULL;
	size_t namelen, modlen = 0;
	char *name, suffix[16] = "";
	int ret;

	memset(&t, 0, sizeof(t));
	if (n == 0)
		return set_err(
			ps->err, -EINVAL, "events are separated by ',' as in 'cycles,instructions'",
			"missing event name in '%s'", quote(q, sizeof(q), ps->spec, SIZE_MAX));
	if (tok[0] == ':' || tok[0] == '/')
		return set_err(ps->err, -EINVAL, NULL, "missing event name before '%s'",
			       quote(q, sizeof(q), tok, n));
	if (n > 4 && !strncmp(tok, "mem:", 4))
		return parse_breakpoint(ps, tok, n);
	if (slash) {
		const char *close = memchr(slash + 1, '/', n - (size_t)(slash + 1 - tok));

		if (!close)
			return set_err(ps->err, -EINVAL, TERMS_HINT,
				       "unterminated term list in '%s'",
				       quote(q, sizeof(q), tok, n));
		namelen = (size_t)(slash - tok);
		if (close + 1 < tok + n) {
			/* perf takes both "cpu/instructions/u" and ".../:u" */
			if (close[1] != ':' &&
			    !mods_valid(close + 1, (size_t)(tok + n - close - 1)))
				return set_err(ps->err, -EINVAL, MODS_HINT,
					       "unexpected text after the terms in '%s'",
					       quote(q, sizeof(q), tok, n));
			modstr = close + (close[1] == ':' ? 2 : 1);
			modlen = (size_t)(tok + n - modstr);
			ret = mods_parse(ps, modstr, modlen, &m);
			if (ret)
				return ret;
			snprintf(suffix, sizeof(suffix), ":%.*s", (int)modlen, modstr);
		}
		name = strndup(tok, namelen);
		if (!name)
			return -ENOMEM;
		if (!sym_find(name) && pmu_sysfs_exists(name)) {
			ret = parse_sysfs_event(ps, name, tok, (size_t)(close + 1 - tok), slash,
						close, modstr ? &m : NULL, suffix);
			free(name);
			return ret;
		}
		if (!strchr(name, ':') && !has_glob(name)) {
			struct perf_event_attr a;
			enum pmu_event_kind k;
			char why[8];

			if (!symbol_resolve(name, &a, &k) &&
			    pmu_pfm_encode(name, &a, why, sizeof(why)) == -ENOENT) {
				char hint[sizeof(ps->err->hint)];

				unknown_hint(name, hint, sizeof(hint));
				if (!strncmp(hint, "see", 3))
					snprintf(hint, sizeof(hint), "%s", PMUS_HINT);
				set_err(ps->err, -ENOENT, hint, "unknown event or PMU '%s'",
					quote(q, sizeof(q), name, SIZE_MAX));
				free(name);
				return -ENOENT;
			}
		}
		free(name);
		ret = terms_parse(ps, slash + 1, (size_t)(close - slash - 1), &t);
		if (ret)
			return ret;
	} else {
		namelen = n;
	}
	name = strndup(tok, namelen);
	if (!name) {
		free(t.name);
		return -ENOMEM;
	}
	if (!modstr) {
		/* split off trailing ":mods": for a symbolic event the first
		 * ':' starts the modifiers; for a PMU event or a tracepoint the
		 * last segment is modifiers when it looks like them and the
		 * rest resolves ("INST_RETIRED:ANY_P:u", "sched:sched_switch:k") */
		const char *colon = single_colon(name), *last = strrchr(name, ':');
		struct perf_event_attr a;
		enum pmu_event_kind k;
		char *prefix;

		if (colon) {
			prefix = strndup(name, (size_t)(colon - name));
			if (!prefix) {
				ret = -ENOMEM;
				goto out;
			}
			if (symbol_resolve(prefix, &a, &k)) {
				modstr = colon + 1;
				modlen = strlen(modstr);
				ret = mods_parse(ps, modstr, modlen, &m);
				if (!ret) {
					snprintf(suffix, sizeof(suffix), ":%s", modstr);
					ret = resolve_name(ps, prefix, &m, suffix, &t);
				}
				free(prefix);
				goto out;
			}
			free(prefix);
		}
		if (colon && last > name && last[-1] != ':' &&
		    mods_valid(last + 1, strlen(last + 1))) {
			struct pmu_parse_error save;

			modstr = last + 1;
			modlen = strlen(modstr);
			mods_parse(ps, modstr, modlen, &m);
			snprintf(suffix, sizeof(suffix), ":%s", modstr);
			prefix = strndup(name, (size_t)(last - name));
			if (!prefix) {
				ret = -ENOMEM;
				goto out;
			}
			ret = resolve_name(ps, prefix, &m, suffix, &t);
			free(prefix);
			if (ret != -ENOENT)
				goto out;
			/* unknown without the suffix: try the whole name, but
			 * keep the first answer's did-you-mean */
			if (ps->err)
				save = *ps->err;
			ret = resolve_name(ps, name, NULL, "", &t);
			if (ret == -ENOENT && ps->err && !strncmp(save.hint, "did you mean", 12) &&
			    strncmp(ps->err->hint, "did you mean", 12))
				*ps->err = save;
			goto out;
		}
	}
	ret = resolve_name(ps, name, modstr ? &m : NULL, suffix, &t);
out:
	free(name);
	free(t.name);
	return ret;
}

/* The end of the event token at s: ',' '{' '}' or the end, with '/.../'
 * terms skipped over (they may contain commas). */
static size_t token_len(const char *s)
{
	size_t i = 0;
	bool in_terms = false, bp = !strncmp(s, "mem:", 4);

	for (; s[i]; i++) {
		if (s[i] == '/' && !bp) /* mem:ADDR/LEN has no terms */
			in_terms = !in_terms;
		else if (!in_terms && (s[i] == ',' || s[i] == '{' || s[i] == '}'))
			break;
	}
	return i;
}

static int parse_group(struct parser *ps, const char **pp)
{
	const char *p = *pp + 1, *start = *pp;
	char q[QUOTE_MAX + 8];
	size_t leader = ps->list->nr;
	int ret;

	for (;;) {
		size_t n = token_len(p);

		if (*p == '{')
			return set_err(ps->err, -EINVAL, NULL, "groups cannot be nested in '%s'",
				       quote(q, sizeof(q), ps->spec, SIZE_MAX));
		if (n == 0 && *p == '}' && ps->list->nr == leader)
			return set_err(ps->err, -EINVAL, NULL, "empty group in '%s'",
				       quote(q, sizeof(q), ps->spec, SIZE_MAX));
		ret = parse_event(ps, p, n);
		if (ret)
			return ret;
		p += n;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '}')
			break;
		if (*p == '{')
			return set_err(ps->err, -EINVAL, NULL, "groups cannot be nested in '%s'",
				       quote(q, sizeof(q), ps->spec, SIZE_MAX));
		return set_err(ps->err, -EINVAL,
			       "close the group with '}' as in '{cycles,instructions}'",
			       "unterminated group '%s'", quote(q, sizeof(q), start, SIZE_MAX));
	}
	p++; /* '}' */
	for (size_t i = leader; i < ps->list->nr; i++)
		ps->list->ev[i].leader = (int)leader;
	if (*p == ':') {
		size_t n = token_len(p + 1);
		struct mods m;
		char suffix[16];

		ret = mods_parse(ps, p + 1, n, &m);
		if (ret)
			return ret;
		for (size_t i = leader; i < ps->list->nr; i++) {
			struct pmu_event *ev = &ps->list->ev[i];
			char *nn;

			/* "cycles" in "{...}:k" shows as "cycles:k", "cycles:u"
			 * as "cycles:uk" (the group's letters it lacks) */
			if (ps->st[i].has_suffix) {
				const char *own = strrchr(ev->name, ':') + 1;
				size_t o = 0;
				int p_own = 0;

				for (const char *c = own; *c; c++)
					p_own += *c == 'p';
				for (size_t j = 0; j < n && o + 1 < sizeof(suffix); j++)
					if (p[1 + j] == 'p' ? p_own-- <= 0 : !strchr(own, p[1 + j]))
						suffix[o++] = p[1 + j];
				suffix[o] = '\0';
			} else {
				snprintf(suffix, sizeof(suffix), ":%.*s", (int)n, p + 1);
			}
			if (asprintf(&nn, "%s%s", ev->name, suffix) < 0)
				return -ENOMEM;
			free(ev->name);
			ev->name = nn;
			mods_apply(&m, &ev->attr, &ps->st[i]);
			ps->st[i].has_suffix = true;
		}
		p += 1 + n;
	} else if (*p && *p != ',') {
		return set_err(ps->err, -EINVAL, NULL, "unexpected '%c' after group in '%s'", *p,
			       quote(q, sizeof(q), ps->spec, SIZE_MAX));
	}
	*pp = p;
	return 0;
}

int pmu_events_parse(struct pmu_event_list *list, const char *spec, struct pmu_parse_error *err)
{
	struct parser ps = {list, list->nr, spec, err, NULL, 0};
	size_t orig = list->nr, len;
	const char *p = spec;
	char q[QUOTE_MAX + 8];
	int ret = 0;

	if (err)
		err->msg[0] = err->hint[0] = '\0';
	if (!spec)
		return set_err(err, -EINVAL, NULL, "empty event list");
	len = strlen(spec);
	if (len == 0 || strspn(spec, " \t\n") == len)
		return set_err(err, -EINVAL, "name events as in 'cycles,instructions'",
			       "empty event list");
	if (len > SPEC_MAX)
		return set_err(err, -EINVAL, NULL,
			       "event list too long (%zu characters, at most %d)", len, SPEC_MAX);
	for (;;) {
		if (*p == '{') {
			ret = parse_group(&ps, &p);
		} else if (*p == '}') {
			ret = set_err(err, -EINVAL, NULL, "unmatched '}' in '%s'",
				      quote(q, sizeof(q), spec, SIZE_MAX));
		} else {
			size_t n = token_len(p);

			ret = parse_event(&ps, p, n);
			p += n;
			if (!ret && *p == '{')
				ret = set_err(err, -EINVAL, "separate events with ','",
					      "missing ',' before '{' in '%s'",
					      quote(q, sizeof(q), spec, SIZE_MAX));
		}
		if (ret)
			break;
		if (*p == '\0')
			break;
		if (*p == '}') {
			ret = set_err(err, -EINVAL, NULL, "unmatched '}' in '%s'",
				      quote(q, sizeof(q), spec, SIZE_MAX));
			break;
		}
		/* *p == ',' */
		p++;
		if (*p == '\0' || *p == ',') {
			ret = set_err(err, -EINVAL, "remove the extra ','",
				      "missing event after ',' in '%s'",
				      quote(q, sizeof(q), spec, SIZE_MAX));
			break;
		}
	}
	if (ret) {
		if (ret == -ENOMEM)
			set_err(err, ret, NULL, "out of memory");
		while (list->nr > orig)
			free(list->ev[--list->nr].name);
		if (list->nr == 0) {
			free(list->ev);
			list->ev = NULL;
		}
	}
	free(ps.st);
	return ret;
}

void pmu_event_list_fini(struct pmu_event_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->nr; i++)
		free(list->ev[i].name);
	free(list->ev);
	list->ev = NULL;
	list->nr = 0;
}

bool pmu_event_needs_pmu(const struct pmu_event *ev)
{
	switch (ev->attr.type) {
	case PERF_TYPE_HARDWARE:
	case PERF_TYPE_HW_CACHE:
	case PERF_TYPE_RAW:
		return true;
	case PERF_TYPE_SOFTWARE:
	case PERF_TYPE_TRACEPOINT:
	case PERF_TYPE_BREAKPOINT:
		return false;
	default:
		/* a dynamic PMU type from libpfm4 (cpu, uncore ...) */
		return ev->kind == PMU_EV_PFM || ev->kind == PMU_EV_RAW;
	}
}

int pmu_event_fallback(struct pmu_event *ev, bool system_wide)
{
	const char *base = system_wide ? "cpu-clock" : "task-clock";
	char suffix[8] = "", *name;
	size_t o = 0;

	if (ev->attr.type != PERF_TYPE_HARDWARE || ev->attr.config != PERF_COUNT_HW_CPU_CYCLES)
		return -ENOENT;
	if (ev->attr.exclude_user || ev->attr.exclude_kernel || ev->attr.exclude_hv) {
		suffix[o++] = ':';
		if (!ev->attr.exclude_user)
			suffix[o++] = 'u';
		if (!ev->attr.exclude_kernel)
			suffix[o++] = 'k';
		if (!ev->attr.exclude_hv)
			suffix[o++] = 'h';
		suffix[o] = '\0';
		if (o == 1)
			suffix[0] = '\0';
	}
	if (asprintf(&name, "%s%s", base, suffix) < 0)
		return -ENOMEM;
	free(ev->name);
	ev->name = name;
	ev->kind = PMU_EV_SOFTWARE;
	ev->attr.type = PERF_TYPE_SOFTWARE;
	ev->attr.config = system_wide ? PERF_COUNT_SW_CPU_CLOCK : PERF_COUNT_SW_TASK_CLOCK;
	/* a timer has no precise mode; the kernel would refuse it */
	ev->attr.precise_ip = 0;
	return 0;
}

/* ---- listing ------------------------------------------------------------ */

static int foreach_sym(enum pmu_event_kind kind,
		       int (*fn)(const struct pmu_event_info *info, void *arg), void *arg)
{
	for (size_t i = 0; i < ARRAY_SIZE(sym_events); i++) {
		const struct sym_event *se = &sym_events[i];
		struct pmu_event_info info;
		int ret;

		if (se->kind != kind)
			continue;
		memset(&info, 0, sizeof(info));
		info.name = se->name;
		info.alias = se->alias;
		info.desc = se->desc;
		info.kind = kind;
		info.attr.type = se->type;
		info.attr.size = sizeof(info.attr);
		info.attr.config = se->config;
		ret = fn(&info, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* perf list's one line for breakpoints (a syntax, not an event) */
static int foreach_bp(int (*fn)(const struct pmu_event_info *info, void *arg), void *arg)
{
	struct pmu_event_info info;

	memset(&info, 0, sizeof(info));
	info.name = "mem:<addr>[/len][:access]";
	info.desc = "hardware breakpoint: access r, w, x (default rw), len 1, 2, 4, 8";
	info.kind = PMU_EV_BREAKPOINT;
	return fn(&info, arg);
}

static int foreach_cache(int (*fn)(const struct pmu_event_info *info, void *arg), void *arg)
{
	for (int t = 0; t < PERF_COUNT_HW_CACHE_MAX; t++)
		for (int op = 0; op < PERF_COUNT_HW_CACHE_OP_MAX; op++) {
			if (!(cache_types[t].ops & (1u << op)))
				continue;
			for (int r = 0; r < PERF_COUNT_HW_CACHE_RESULT_MAX; r++) {
				struct pmu_event_info info;
				char name[64], desc[128];
				int ret;

				cache_name(name, sizeof(name), t, op, r);
				snprintf(desc, sizeof(desc), "%s %s%s", cache_types[t].desc,
					 cache_op_desc[op], r ? " that missed" : "");
				memset(&info, 0, sizeof(info));
				info.name = name;
				info.desc = desc;
				info.kind = PMU_EV_CACHE;
				info.attr.type = PERF_TYPE_HW_CACHE;
				info.attr.size = sizeof(info.attr);
				info.attr.config =
					(uint64_t)t | ((uint64_t)op << 8) | ((uint64_t)r << 16);
				ret = fn(&info, arg);
				if (ret)
					return ret;
			}
		}
	return 0;
}

static int foreach_tp(int (*fn)(const struct pmu_event_info *info, void *arg), void *arg)
{
	struct pmu_tp *tps = NULL;
	int nr = pmu_tp_all(&tps), ret = 0;

	if (nr < 0)
		return nr;
	for (int i = 0; i < nr && !ret; i++) {
		struct pmu_event_info info;

		memset(&info, 0, sizeof(info));
		info.name = tps[i].name;
		info.kind = PMU_EV_TRACEPOINT;
		info.attr.type = PERF_TYPE_TRACEPOINT;
		info.attr.size = sizeof(info.attr);
		info.attr.config = tps[i].id;
		ret = fn(&info, arg);
	}
	pmu_tp_free(tps, nr);
	return ret;
}

int pmu_events_foreach(enum pmu_event_kind kind, bool verbose,
		       int (*fn)(const struct pmu_event_info *info, void *arg), void *arg)
{
	switch (kind) {
	case PMU_EV_HARDWARE:
	case PMU_EV_SOFTWARE:
		return foreach_sym(kind, fn, arg);
	case PMU_EV_CACHE:
		return foreach_cache(fn, arg);
	case PMU_EV_TRACEPOINT:
		return foreach_tp(fn, arg);
	case PMU_EV_PFM: {
		/* the kernel's own PMU aliases first, as perf list shows them */
		int ret = pmu_sysfs_foreach(fn, arg);

		return ret ? ret : pmu_pfm_foreach(verbose, fn, arg);
	}
	case PMU_EV_RAW:
		return 0;
	case PMU_EV_BREAKPOINT:
		return foreach_bp(fn, arg);
	}
	return -EINVAL;
}
