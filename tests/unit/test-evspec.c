/* Unit tests of the event-spec parser: every kind of name, groups,
 * modifiers, terms, errors with hints, fallback and advice. No kernel
 * needed: tracepoints come from a fixture tracefs (CPERF_TRACEFS). */
#include "config.h"

#include "pmu.h"
#include "unit.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct pmu_parse_error err;

/* Tracepoints and kernel PMUs from the fixture trees: the test never
 * touches (or mounts) the real tracefs. */
static void fixture_env(void)
{
	const char *top = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/tracefs", top);
	setenv("CPERF_TRACEFS", dir, 1);
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/sysfs-pmu", top);
	setenv("CPERF_SYSFS_PMU", dir, 1);
}

/* Parses spec into a fresh list; returns the parser's result. */
static int parse(struct pmu_event_list *l, const char *spec)
{
	memset(l, 0, sizeof(*l));
	memset(&err, 0x55, sizeof(err)); /* the parser must clear it */
	return pmu_events_parse(l, spec, &err);
}

/* spec parses into one event of the given type and config. */
static void one(const char *spec, uint32_t type, uint64_t config, const char *name)
{
	struct pmu_event_list l;
	int ret = parse(&l, spec);

	CHECK_INT(ret, 0);
	if (ret) {
		fprintf(stderr, "  spec '%s': %s (%s)\n", spec, err.msg, err.hint);
		return;
	}
	CHECK_INT(l.nr, 1);
	CHECK_INT(l.ev[0].attr.type, type);
	CHECK_INT(l.ev[0].attr.config, config);
	CHECK_INT(l.ev[0].attr.size, sizeof(struct perf_event_attr));
	CHECK_INT(l.ev[0].attr.disabled, 0);
	CHECK_INT(l.ev[0].leader, 0);
	CHECK_STR(l.ev[0].name, name);
	CHECK_STR(err.msg, "");
	pmu_event_list_fini(&l);
}

/* spec fails with ret, a message matching msg (substring) and hint. */
static void bad(const char *spec, int want, const char *msg, const char *hint)
{
	struct pmu_event_list l;
	int ret = parse(&l, spec);

	CHECK_INT(ret, want);
	CHECK_INT(l.nr, 0);
	CHECK(l.ev == NULL);
	if (!strstr(err.msg, msg)) {
		fprintf(stderr, "  spec '%.60s': message '%s' lacks '%s'\n", spec, err.msg, msg);
		CHECK(!"message");
	}
	CHECK(strchr(err.msg, '\n') == NULL);
	for (const char *c = err.msg; *c; c++)
		if (*c < 0x20 || *c > 0x7e) {
			CHECK(!"message has an unprintable character");
			break;
		}
	CHECK(strlen(err.msg) < sizeof(err.msg) - 1 || !"message truncated");
	if (hint && !strstr(err.hint, hint)) {
		fprintf(stderr, "  spec '%.60s': hint '%s' lacks '%s'\n", spec, err.hint, hint);
		CHECK(!"hint");
	}
	pmu_event_list_fini(&l);
}

#define HW(c) PERF_TYPE_HARDWARE, PERF_COUNT_HW_##c
#define SW(c) PERF_TYPE_SOFTWARE, PERF_COUNT_SW_##c
#define CACHE(t, o, r)                                                                     \
	PERF_TYPE_HW_CACHE, (PERF_COUNT_HW_CACHE_##t | (PERF_COUNT_HW_CACHE_OP_##o << 8) | \
			     (PERF_COUNT_HW_CACHE_RESULT_##r << 16))

static void test_symbols(void)
{
	one("cycles", HW(CPU_CYCLES), "cycles");
	one("cpu-cycles", HW(CPU_CYCLES), "cpu-cycles");
	one("instructions", HW(INSTRUCTIONS), "instructions");
	one("cache-references", HW(CACHE_REFERENCES), "cache-references");
	one("cache-misses", HW(CACHE_MISSES), "cache-misses");
	one("branches", HW(BRANCH_INSTRUCTIONS), "branches");
	one("branch-instructions", HW(BRANCH_INSTRUCTIONS), "branch-instructions");
	one("branch-misses", HW(BRANCH_MISSES), "branch-misses");
	one("bus-cycles", HW(BUS_CYCLES), "bus-cycles");
	one("ref-cycles", HW(REF_CPU_CYCLES), "ref-cycles");
	one("stalled-cycles-frontend", HW(STALLED_CYCLES_FRONTEND), "stalled-cycles-frontend");
	one("stalled-cycles-backend", HW(STALLED_CYCLES_BACKEND), "stalled-cycles-backend");
	one("cpu-clock", SW(CPU_CLOCK), "cpu-clock");
	one("task-clock", SW(TASK_CLOCK), "task-clock");
	one("page-faults", SW(PAGE_FAULTS), "page-faults");
	one("faults", SW(PAGE_FAULTS), "faults");
	one("minor-faults", SW(PAGE_FAULTS_MIN), "minor-faults");
	one("major-faults", SW(PAGE_FAULTS_MAJ), "major-faults");
	one("context-switches", SW(CONTEXT_SWITCHES), "context-switches");
	one("cs", SW(CONTEXT_SWITCHES), "cs");
	one("cpu-migrations", SW(CPU_MIGRATIONS), "cpu-migrations");
	one("migrations", SW(CPU_MIGRATIONS), "migrations");
	one("alignment-faults", SW(ALIGNMENT_FAULTS), "alignment-faults");
	one("emulation-faults", SW(EMULATION_FAULTS), "emulation-faults");
	one("dummy", SW(DUMMY), "dummy");
}

static void test_cache(void)
{
	one("L1-dcache-load-misses", CACHE(L1D, READ, MISS), "L1-dcache-load-misses");
	one("L1-dcache-loads", CACHE(L1D, READ, ACCESS), "L1-dcache-loads");
	one("L1-dcache-stores", CACHE(L1D, WRITE, ACCESS), "L1-dcache-stores");
	one("L1-dcache-prefetch-misses", CACHE(L1D, PREFETCH, MISS), "L1-dcache-prefetch-misses");
	one("L1-icache-load-misses", CACHE(L1I, READ, MISS), "L1-icache-load-misses");
	one("LLC-loads", CACHE(LL, READ, ACCESS), "LLC-loads");
	one("LLC-store-misses", CACHE(LL, WRITE, MISS), "LLC-store-misses");
	one("dTLB-load-misses", CACHE(DTLB, READ, MISS), "dTLB-load-misses");
	one("iTLB-loads", CACHE(ITLB, READ, ACCESS), "iTLB-loads");
	one("branch-loads", CACHE(BPU, READ, ACCESS), "branch-loads");
	one("branch-load-misses", CACHE(BPU, READ, MISS), "branch-load-misses");
	one("node-loads", CACHE(NODE, READ, ACCESS), "node-loads");
	/* perf's aliases and defaults (op load, result access) */
	one("l1d-read-miss", CACHE(L1D, READ, MISS), "l1d-read-miss");
	one("L1-dcache", CACHE(L1D, READ, ACCESS), "L1-dcache");
	one("LLC-misses", CACHE(LL, READ, MISS), "LLC-misses");
	one("llc-loads", CACHE(LL, READ, ACCESS), "llc-loads");
	/* combinations the kernel does not define */
	bad("L1-icache-stores", -ENOENT, "unknown event 'L1-icache-stores'", NULL);
	bad("iTLB-store-misses", -ENOENT, "unknown event", NULL);
	bad("L1-dcache-", -ENOENT, "unknown event", NULL);
	bad("LLC-load-misses-misses", -ENOENT, "unknown event", NULL);
}

static void test_raw(void)
{
	one("r1a8", PERF_TYPE_RAW, 0x1a8, "r1a8");
	one("r0", PERF_TYPE_RAW, 0, "r0");
	one("rFFFFFFFFFFFFFFFF", PERF_TYPE_RAW, UINT64_MAX, "rFFFFFFFFFFFFFFFF");
	bad("r1g", -ENOENT, "unknown event 'r1g'", NULL);
}

static void test_modifiers(void)
{
	struct pmu_event_list l;

	CHECK_INT(parse(&l, "cycles:u"), 0);
	CHECK_INT(l.nr, 1);
	CHECK_STR(l.ev[0].name, "cycles:u");
	CHECK_INT(l.ev[0].attr.exclude_user, 0);
	CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
	CHECK_INT(l.ev[0].attr.exclude_hv, 1);
	CHECK_INT(l.ev[0].attr.precise_ip, 0);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "cpu-clock:k"), 0);
	CHECK_INT(l.ev[0].attr.exclude_user, 1);
	CHECK_INT(l.ev[0].attr.exclude_kernel, 0);
	CHECK_INT(l.ev[0].attr.exclude_hv, 1);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "instructions:upp"), 0);
	CHECK_STR(l.ev[0].name, "instructions:upp");
	CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
	CHECK_INT(l.ev[0].attr.exclude_user, 0);
	CHECK_INT(l.ev[0].attr.precise_ip, 2);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "cycles:ppp"), 0);
	CHECK_INT(l.ev[0].attr.precise_ip, 3);
	CHECK_INT(l.ev[0].attr.exclude_kernel, 0);
	CHECK_INT(l.ev[0].attr.exclude_user, 0);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "cycles:ukh"), 0);
	CHECK_INT(l.ev[0].attr.exclude_kernel + l.ev[0].attr.exclude_user + l.ev[0].attr.exclude_hv,
		  0);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "L1-dcache-load-misses:k"), 0);
	CHECK_INT(l.ev[0].attr.type, PERF_TYPE_HW_CACHE);
	CHECK_INT(l.ev[0].attr.exclude_user, 1);
	pmu_event_list_fini(&l);

	bad("cycles:z", -EINVAL, "unknown modifier 'z' in 'cycles:z'", "modifiers are");
	bad("cycles:pppp", -EINVAL, "too many 'p'", NULL);
	bad("cycles:", -EINVAL, "missing modifier", NULL);
	bad(":u", -EINVAL, "missing event name before ':u'", NULL);
	bad("cycles:u:k", -EINVAL, "unknown modifier ':'", NULL);
}

static void test_terms(void)
{
	struct pmu_event_list l;

	CHECK_INT(parse(&l, "cpu-clock/period=10000/"), 0);
	CHECK_INT(l.nr, 1);
	CHECK_STR(l.ev[0].name, "cpu-clock");
	CHECK_INT(l.ev[0].attr.sample_period, 10000);
	CHECK_INT(l.ev[0].attr.freq, 0);
	CHECK(l.ev[0].has_period);
	CHECK(!l.ev[0].has_freq);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "task-clock/freq=999,name=tc/:u"), 0);
	CHECK_STR(l.ev[0].name, "tc");
	CHECK_INT(l.ev[0].attr.sample_freq, 999);
	CHECK_INT(l.ev[0].attr.freq, 1);
	CHECK(l.ev[0].has_freq);
	CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
	pmu_event_list_fini(&l);

	/* commas inside terms do not split the list */
	CHECK_INT(parse(&l, "cycles/period=1,name=a/,instructions"), 0);
	CHECK_INT(l.nr, 2);
	CHECK_STR(l.ev[0].name, "a");
	CHECK_STR(l.ev[1].name, "instructions");
	pmu_event_list_fini(&l);

	bad("cpu-clock/period=0/", -EINVAL, "bad value in term 'period=0'", "terms are");
	bad("cpu-clock/period=abc/", -EINVAL, "bad value", NULL);
	bad("cpu-clock/period=-1/", -EINVAL, "bad value", NULL);
	bad("cpu-clock/period=99999999999999999999999/", -EINVAL, "bad value", NULL);
	bad("cpu-clock/frequency=10/", -EINVAL, "unknown term 'frequency'", "terms are");
	bad("cpu-clock/period=1", -EINVAL, "unterminated term list", NULL);
	bad("cpu-clock//", -EINVAL, "empty term list", NULL);
	bad("cpu-clock/period/", -EINVAL, "not key=value", NULL);
	bad("cpu-clock/period=1,/", -EINVAL, "empty term", NULL);
	bad("cpu-clock/period=1,freq=2/", -EINVAL, "both period= and freq=", NULL);
	bad("cpu-clock/period=1/x", -EINVAL, "unexpected text after the terms", NULL);
	bad("/period=1/", -EINVAL, "missing event name", NULL);
}

static void test_lists_groups(void)
{
	struct pmu_event_list l;

	CHECK_INT(parse(&l, "cycles,instructions,cpu-clock"), 0);
	CHECK_INT(l.nr, 3);
	for (size_t i = 0; i < l.nr; i++)
		CHECK_INT(l.ev[i].leader, i);
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "cs,{cycles,instructions}:u,faults"), 0);
	CHECK_INT(l.nr, 4);
	CHECK_INT(l.ev[0].leader, 0);
	CHECK_INT(l.ev[1].leader, 1);
	CHECK_INT(l.ev[2].leader, 1);
	CHECK_INT(l.ev[3].leader, 3);
	CHECK_STR(l.ev[1].name, "cycles:u");
	CHECK_STR(l.ev[2].name, "instructions:u");
	CHECK_INT(l.ev[1].attr.exclude_kernel, 1);
	CHECK_INT(l.ev[2].attr.exclude_kernel, 1);
	CHECK_INT(l.ev[3].attr.exclude_kernel, 0);
	pmu_event_list_fini(&l);

	/* a group's modifiers add levels to a member that named its own */
	CHECK_INT(parse(&l, "{cycles:u,instructions,cs:k}:k"), 0);
	CHECK_INT(l.nr, 3);
	if (l.nr == 3) {
		CHECK_STR(l.ev[0].name, "cycles:uk");
		CHECK_INT(l.ev[0].attr.exclude_user, 0);
		CHECK_INT(l.ev[0].attr.exclude_kernel, 0);
		CHECK_INT(l.ev[0].attr.exclude_hv, 1);
		CHECK_STR(l.ev[1].name, "instructions:k");
		CHECK_INT(l.ev[1].attr.exclude_user, 1);
		CHECK_INT(l.ev[1].attr.exclude_kernel, 0);
		CHECK_STR(l.ev[2].name, "cs:k");
		CHECK_INT(l.ev[2].attr.exclude_user, 1);
	}
	pmu_event_list_fini(&l);
	CHECK_INT(parse(&l, "{cpu-clock:upp,faults:u,task-clock/name=tc/}:kppp"), 0);
	CHECK_INT(l.nr, 3);
	if (l.nr == 3) {
		CHECK_STR(l.ev[0].name, "cpu-clock:uppkp");
		CHECK_INT(l.ev[0].attr.precise_ip, 3);
		CHECK_STR(l.ev[1].name, "faults:ukppp");
		CHECK_INT(l.ev[1].attr.exclude_user + l.ev[1].attr.exclude_kernel, 0);
		CHECK_STR(l.ev[2].name, "tc:kppp");
	}
	pmu_event_list_fini(&l);

	/* a second -e appends, and leaders index the whole list */
	CHECK_INT(parse(&l, "cpu-clock"), 0);
	CHECK_INT(pmu_events_parse(&l, "{task-clock,page-faults:k}", &err), 0);
	CHECK_INT(l.nr, 3);
	CHECK_INT(l.ev[1].leader, 1);
	CHECK_INT(l.ev[2].leader, 1);
	CHECK_STR(l.ev[2].name, "page-faults:k");
	/* a failing spec leaves the list as it was */
	CHECK_INT(pmu_events_parse(&l, "cs,cylces", &err), -ENOENT);
	CHECK_INT(l.nr, 3);
	pmu_event_list_fini(&l);
	CHECK_INT(l.nr, 0);
	pmu_event_list_fini(&l); /* twice is fine */
	pmu_event_list_fini(NULL);

	bad("{cycles", -EINVAL, "unterminated group '{cycles'", "close the group");
	bad("{cycles,instructions", -EINVAL, "unterminated group", NULL);
	bad("{}", -EINVAL, "empty group", NULL);
	bad("{cycles,{instructions}}", -EINVAL, "nested", NULL);
	bad("cycles}", -EINVAL, "unmatched '}'", NULL);
	bad("}", -EINVAL, "unmatched '}'", NULL);
	bad("{cycles}x", -EINVAL, "unexpected 'x' after group", NULL);
	bad("{cycles}:q", -EINVAL, "unknown modifier 'q'", NULL);
	bad("cycles{instructions}", -EINVAL, "missing ','", NULL);
	bad("cycles,", -EINVAL, "missing event after ','", NULL);
	bad("cycles,,instructions", -EINVAL, "missing event after ','", NULL);
	bad(",cycles", -EINVAL, "missing event name", NULL);
	bad("", -EINVAL, "empty event list", NULL);
	bad("   ", -EINVAL, "empty event list", NULL);
	CHECK_INT(pmu_events_parse(&l, NULL, &err), -EINVAL);
	CHECK_INT(pmu_events_parse(&l, "cylces", NULL), -ENOENT); /* err may be NULL */
	CHECK_INT(l.nr, 0);
}

static void test_unknown(void)
{
	bad("cylces", -ENOENT, "unknown event 'cylces'", "did you mean 'cycles'?");
	bad("instrutions", -ENOENT, "unknown event 'instrutions'", "did you mean 'instructions'?");
	bad("task-clok:u", -ENOENT, "unknown event", "did you mean 'task-clock'?");
	bad("L1-dcache-load-mises", -ENOENT, "unknown event",
	    "did you mean 'L1-dcache-load-misses'?");
	bad("xyzzy", -ENOENT, "unknown event 'xyzzy'", "cperf list");
	/* control characters never reach the terminal */
	bad("cyc\nles", -ENOENT, "unknown event 'cyc?les'", NULL);
	bad("cyc\033[31mles", -ENOENT, "unknown event 'cyc?[31mles'", NULL);
}

static void test_long(void)
{
	char *s = malloc(5000);
	struct pmu_event_list l;

	memset(s, 'a', 4999);
	s[4999] = '\0';
	bad(s, -EINVAL, "event list too long", NULL);
	/* a long unknown name: the message quotes a bounded part of it */
	s[3000] = '\0';
	bad(s, -ENOENT, "unknown event 'aaaa", NULL);
	CHECK(strstr(err.msg, "...") != NULL);
	/* many events */
	{
		struct strbuf sb = STRBUF_INIT;

		for (int i = 0; i < 400; i++)
			sb_puts(&sb, i ? ",cs" : "cs");
		CHECK_INT(parse(&l, sb.buf), 0);
		CHECK_INT(l.nr, 400);
		pmu_event_list_fini(&l);
		sb_fini(&sb);
	}
	free(s);
}

static void test_tracepoints(void)
{
	char dir[4096];
	struct pmu_event_list l;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/tracefs",
		 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	setenv("CPERF_TRACEFS", dir, 1);
	if (pmu_tracefs_dir(dir, sizeof(dir)) != 0) {
		fprintf(stderr, "fixture tracefs missing under $top_srcdir\n");
		CHECK(!"fixture");
		return;
	}
	one("sched:sched_switch", PERF_TYPE_TRACEPOINT, 316, "sched:sched_switch");
	one("syscalls:sys_enter_read", PERF_TYPE_TRACEPOINT, 700, "syscalls:sys_enter_read");

	CHECK_INT(parse(&l, "sched:sched_*"), 0);
	CHECK_INT(l.nr, 3);
	if (l.nr == 3) {
		CHECK_STR(l.ev[0].name, "sched:sched_process_exec");
		CHECK_STR(l.ev[1].name, "sched:sched_switch");
		CHECK_STR(l.ev[2].name, "sched:sched_wakeup");
		CHECK_INT(l.ev[2].attr.config, 318);
	}
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "{sched:sched_switch,cs}:k"), 0);
	CHECK_INT(l.nr, 2);
	if (l.nr == 2) {
		CHECK_STR(l.ev[0].name, "sched:sched_switch:k");
		CHECK_INT(l.ev[1].leader, 0);
		CHECK_INT(l.ev[0].attr.exclude_user, 1);
	}
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "sched:sched_switch:u"), 0);
	CHECK_INT(l.nr, 1);
	if (l.nr == 1) {
		CHECK_STR(l.ev[0].name, "sched:sched_switch:u");
		CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
		CHECK_INT(l.ev[0].attr.config, 316);
	}
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "*:sys_*_read/period=1/"), 0);
	CHECK_INT(l.nr, 2);
	if (l.nr == 2)
		CHECK_INT(l.ev[1].attr.sample_period, 1);
	pmu_event_list_fini(&l);

	bad("sched:sched_swtich", -ENOENT, "unknown event 'sched:sched_swtich'",
	    "did you mean 'sched:sched_switch'?");
	bad("sched:nothing_*", -ENOENT, "no tracepoint matches 'sched:nothing_*'", NULL);
	bad("bad:negative", -ENOENT, "unknown event", NULL);
	bad("bad:noid", -ENOENT, "unknown event", NULL);
	bad("bad:emptyid", -ENOENT, "unknown event", NULL);
	bad("..:sched", -ENOENT, "unknown event", NULL);
	bad("sched:../sched/sched_switch", -EINVAL, "unexpected text", NULL);

	setenv("CPERF_TRACEFS", "/nonexistent/tracefs", 1);
	bad("sched:sched_switch", -ENOENT, "tracefs is not available (not mounted)",
	    "CPERF_TRACEFS names no tracefs");
	CHECK_STR(pmu_tracefs_reason(-EACCES), "permission denied");
	unsetenv("CPERF_TRACEFS");
	CHECK_STR(pmu_tracefs_hint(-EPERM), PMU_TRACEFS_HINT);
	CHECK(strstr(pmu_tracefs_hint(-EACCES), "root") != NULL);
	fixture_env();
}

static void test_fallback(void)
{
	struct pmu_event_list l;

	CHECK_INT(parse(&l, "cycles:upp,cpu-cycles/period=5000/,instructions,cpu-clock"), 0);
	CHECK_INT(pmu_event_fallback(&l.ev[0], true), 0);
	CHECK_STR(l.ev[0].name, "cpu-clock:u");
	CHECK_INT(l.ev[0].attr.type, PERF_TYPE_SOFTWARE);
	CHECK_INT(l.ev[0].attr.config, PERF_COUNT_SW_CPU_CLOCK);
	CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
	CHECK_INT(l.ev[0].attr.precise_ip, 0);
	CHECK_INT(l.ev[0].kind, PMU_EV_SOFTWARE);
	CHECK_INT(pmu_event_fallback(&l.ev[1], false), 0);
	CHECK_STR(l.ev[1].name, "task-clock");
	CHECK_INT(l.ev[1].attr.config, PERF_COUNT_SW_TASK_CLOCK);
	CHECK_INT(l.ev[1].attr.sample_period, 5000);
	CHECK(l.ev[1].has_period);
	CHECK_INT(pmu_event_fallback(&l.ev[2], false), -ENOENT);
	CHECK_STR(l.ev[2].name, "instructions");
	CHECK_INT(pmu_event_fallback(&l.ev[3], false), -ENOENT);
	pmu_event_list_fini(&l);
}

static void test_advice(void)
{
	struct pmu_event_list l;
	char hint[256];

	CHECK_INT(parse(&l, "cycles,cpu-clock,sched:sched_switch"), 0);
	CHECK(pmu_event_needs_pmu(&l.ev[0]));
	CHECK(!pmu_event_needs_pmu(&l.ev[1]));
	CHECK(pmu_err_not_supported(-ENOENT, &l.ev[0]));
	CHECK(pmu_err_not_supported(EOPNOTSUPP, &l.ev[0]));
	CHECK(pmu_err_not_supported(-ENODEV, &l.ev[0]));
	CHECK(!pmu_err_not_supported(-ENODEV, &l.ev[1]));
	CHECK(!pmu_err_not_supported(-EACCES, &l.ev[0]));
	CHECK(!pmu_err_not_supported(-EMFILE, &l.ev[1]));

	CHECK(pmu_open_hint(-ENOENT, &l.ev[0], false, hint, sizeof(hint)));
	CHECK_STR(hint, "event 'cycles' is not supported on this machine (no hardware PMU?); "
			"try -e cpu-clock");
	CHECK(pmu_open_hint(-EACCES, &l.ev[1], true, hint, sizeof(hint)));
	CHECK(strstr(hint, "kernel.perf_event_paranoid is") && strstr(hint, "CAP_PERFMON"));
	CHECK(pmu_open_hint(EPERM, &l.ev[1], false, hint, sizeof(hint)));
	CHECK(strstr(hint, "perf_event_paranoid") != NULL);
	CHECK(pmu_open_hint(-EMFILE, &l.ev[1], false, hint, sizeof(hint)));
	CHECK(strstr(hint, "ulimit -n") != NULL);
	CHECK(pmu_open_hint(-ENODEV, &l.ev[1], true, hint, sizeof(hint)));
	CHECK(strstr(hint, "offline") != NULL);
	CHECK(pmu_open_hint(-EBUSY, &l.ev[0], true, hint, sizeof(hint)));
	CHECK(pmu_open_hint(-ENOENT, &l.ev[2], true, hint, sizeof(hint)));
	CHECK(strstr(hint, "sched:sched_switch") != NULL);
	CHECK(pmu_open_hint(-ENOENT, &l.ev[1], false, hint, sizeof(hint)));
	CHECK_STR(hint, "this kernel does not offer event 'cpu-clock'");
	CHECK(!pmu_open_hint(-EINTR, &l.ev[1], false, hint, sizeof(hint)));
	CHECK_STR(hint, "");
	/* a tiny buffer is never overrun */
	CHECK(pmu_open_hint(-ENOENT, &l.ev[0], false, hint, 8));
	CHECK_INT(strlen(hint), 7);

	/* a frequency above the sysctl: EINVAL is advice, not "not supported" */
	l.ev[0].attr.freq = 1;
	l.ev[0].attr.sample_freq = 1000000000;
	{
		long long max;

		if (read_file_int("/proc/sys/kernel/perf_event_max_sample_rate", &max) == 0) {
			CHECK(!pmu_err_not_supported(-EINVAL, &l.ev[0]));
			CHECK(pmu_open_hint(-EINVAL, &l.ev[0], false, hint, sizeof(hint)));
			CHECK(strstr(hint, "perf_event_max_sample_rate") != NULL);
		}
	}
	pmu_event_list_fini(&l);
}

static void test_pfm(void)
{
	struct pmu_event_list l;
	int ret;

	/* perf:: is libpfm4's generic PMU, always there: no hardware needed */
	ret = parse(&l, "perf::PERF_COUNT_HW_CPU_CYCLES:u");
	if (ret == -ENOENT) {
		printf("note: libpfm4 has no perf:: PMU here (%s)\n", err.msg);
		return;
	}
	CHECK_INT(ret, 0);
	CHECK_INT(l.nr, 1);
	if (ret || l.nr != 1)
		return;
	CHECK_INT(l.ev[0].kind, PMU_EV_PFM);
	CHECK_INT(l.ev[0].attr.type, PERF_TYPE_HARDWARE);
	CHECK_INT(l.ev[0].attr.config, PERF_COUNT_HW_CPU_CYCLES);
	CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
	CHECK_INT(l.ev[0].attr.size, sizeof(struct perf_event_attr));
	CHECK_STR(l.ev[0].name, "perf::PERF_COUNT_HW_CPU_CYCLES:u");
	CHECK(pmu_event_needs_pmu(&l.ev[0]));
	pmu_event_list_fini(&l);

	CHECK_INT(parse(&l, "perf::PERF_COUNT_SW_CPU_CLOCK:k"), 0);
	CHECK_INT(l.nr, 1);
	if (l.nr == 1) {
		CHECK_INT(l.ev[0].attr.type, PERF_TYPE_SOFTWARE);
		CHECK_INT(l.ev[0].attr.exclude_user, 1);
	}
	pmu_event_list_fini(&l);

	bad("perf::PERF_COUNT_HW_CPU_CYCLES:bogus", -EINVAL, "invalid event", NULL);
	bad("perf::PERF_COUNT_SW_CPU_CLOK:u", -ENOENT,
	    "unknown event 'perf::PERF_COUNT_SW_CPU_CLOK:u'",
	    "did you mean 'perf::PERF_COUNT_SW_CPU_CLOCK:u'?");
	bad("PERF_COUNT_SW_TASK_CLOK", -ENOENT, "unknown event",
	    "did you mean 'PERF_COUNT_SW_TASK_CLOCK'?");
	/* lower-case names are not compared with libpfm4's */
	bad("cylces", -ENOENT, "unknown event", "did you mean 'cycles'?");
}

static void test_sysfs(void)
{
	char dir[4096];
	struct pmu_event_list l;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/sysfs-pmu",
		 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	setenv("CPERF_SYSFS_PMU", dir, 1);
	one("cpu/event=0x3c,umask=0x2/", 4, 0x023c, "cpu/event=0x3c,umask=0x2/");
	one("cpu/cpu-cycles/", 4, 0x3c, "cpu/cpu-cycles/");
	one("cpu/event=0xc4,edge,cmask=3/", 4, 0x030400c4, "cpu/event=0xc4,edge,cmask=3/");
	one("cpu/split=0xab/", 4, 0xa0000000bULL, "cpu/split=0xab/");
	one("cpu/event=12/", 4, 12, "cpu/event=12/");
	one("msr/tsc/", 9, 0, "msr/tsc/");
	one("msr/event=0xffffffffffffffff/", 9, UINT64_MAX, "msr/event=0xffffffffffffffff/");

	CHECK_INT(parse(&l, "cpu/mem-loads,period=1000,name=ld/u,{msr/tsc/,cpu/instructions/:k}"),
		  0);
	CHECK_INT(l.nr, 3);
	if (l.nr == 3) {
		CHECK_STR(l.ev[0].name, "ld");
		CHECK_INT(l.ev[0].kind, PMU_EV_RAW);
		CHECK_INT(l.ev[0].attr.config, 0x01cd);
		CHECK_INT(l.ev[0].attr.config1, 3);
		CHECK_INT(l.ev[0].attr.sample_period, 1000);
		CHECK_INT(l.ev[0].attr.exclude_kernel, 1);
		CHECK(pmu_event_needs_pmu(&l.ev[0]));
		CHECK_STR(l.ev[2].name, "cpu/instructions/:k");
		CHECK_INT(l.ev[2].leader, 1);
		CHECK_INT(l.ev[2].attr.config, 0xc0);
		CHECK_INT(l.ev[2].attr.exclude_user, 1);
	}
	pmu_event_list_fini(&l);

	bad("cpu/umask=0x100/", -EINVAL, "value of 'umask' does not fit in its 8 bits", NULL);
	bad("cpu/edge=2/", -EINVAL, "does not fit in its 1 bits", NULL);
	bad("cpu/event=zz/", -EINVAL, "bad value in term 'event=zz'", NULL);
	bad("cpu/event=-1/", -EINVAL, "bad value", NULL);
	bad("cpu/event=/", -EINVAL, "bad value", NULL);
	bad("cpu/cpu-cylces/", -ENOENT, "PMU 'cpu' has no event or format term 'cpu-cylces'",
	    "cperf list pmu");
	bad("cpu/foo=1/", -ENOENT, "has no format term 'foo'", NULL);
	bad("cpu/bad-alias/", -ENOENT, "has no format term 'nosuch'", NULL);
	bad("cpu/../", -ENOENT, "has no event or format term '..'", NULL);
	bad("cpu/mem-loads.unit/", -ENOENT, "has no event", NULL);
	bad("msr//", -EINVAL, "no event given for PMU 'msr'", NULL);
	bad("msr/\001\033x/", -ENOENT, "PMU 'msr' has no event or format term '??x'", NULL);
	bad("c*pu/name=x,e\374oad2/", -EINVAL, "not key=value", NULL);
	bad("msr/empty/", -EINVAL, "event 'empty' of PMU 'msr' is empty in sysfs", NULL);
	bad("msr/period=1/", -EINVAL, "no event given", NULL);
	bad("broken/event=1/", -ENOENT, "cannot read the type of PMU 'broken'", NULL);
	bad("nopmu/event=1/", -ENOENT, "unknown event or PMU 'nopmu'", "/sys/bus/event_source");
	bad("cpu/event=1/x", -EINVAL, "unexpected text after the terms", NULL);
	/* symbolic names keep their meaning */
	one("cpu-clock/period=10/", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, "cpu-clock");
}

static void test_breakpoints(void)
{
	struct pmu_event_list l;

	CHECK_INT(parse(&l, "mem:0x1000,mem:4096/8:w,mem:0x400000:x:u,mem:0x10:rw:k,cs"), 0);
	CHECK_INT(l.nr, 5);
	if (l.nr == 5) {
		CHECK_STR(l.ev[0].name, "mem:0x1000");
		CHECK_INT(l.ev[0].kind, PMU_EV_BREAKPOINT);
		CHECK_INT(l.ev[0].attr.type, PERF_TYPE_BREAKPOINT);
		CHECK_INT(l.ev[0].attr.bp_addr, 0x1000);
		CHECK_INT(l.ev[0].attr.bp_len, 4);
		CHECK_INT(l.ev[0].attr.bp_type, 3); /* HW_BREAKPOINT_RW */
		CHECK_INT(l.ev[0].attr.sample_period, 1);
		/* not a term: -F and -c still apply (pmu_sampler_attr) */
		CHECK(!l.ev[0].has_period);
		CHECK(!pmu_event_needs_pmu(&l.ev[0]));
		CHECK_STR(l.ev[1].name, "mem:4096/8:w");
		CHECK_INT(l.ev[1].attr.bp_addr, 4096);
		CHECK_INT(l.ev[1].attr.bp_len, 8);
		CHECK_INT(l.ev[1].attr.bp_type, 2);
		CHECK_STR(l.ev[2].name, "mem:0x400000:x:u");
		CHECK_INT(l.ev[2].attr.bp_type, 4);
		CHECK_INT(l.ev[2].attr.bp_len, sizeof(long));
		CHECK_INT(l.ev[2].attr.exclude_kernel, 1);
		CHECK_INT(l.ev[3].attr.bp_type, 3);
		CHECK_INT(l.ev[3].attr.exclude_user, 1);
		CHECK_STR(l.ev[4].name, "cs");
	}
	pmu_event_list_fini(&l);
	bad("mem:", -ENOENT, "unknown event 'mem:'", NULL);
	bad("mem:zz", -EINVAL, "invalid breakpoint 'mem:zz'", "breakpoints are");
	bad("mem:0x10/3", -EINVAL, "invalid breakpoint", NULL);
	bad("mem:0x10/16", -EINVAL, "invalid breakpoint", NULL);
	bad("mem:0x10/", -EINVAL, "invalid breakpoint", NULL);
	bad("mem:0x10:rx", -EINVAL, "invalid breakpoint", NULL);
	bad("mem:0x10:rw:u:k", -EINVAL, "invalid breakpoint", NULL);
	bad("mem:0x10:q", -EINVAL, "unknown modifier 'q'", NULL);
	bad("mem:99999999999999999999999", -EINVAL, "invalid breakpoint", NULL);
}

/* Random specs from tokens and characters: the parser never crashes, on
 * error leaves the list alone with a one-line message, on success appends
 * well-formed events. Deterministic (fixed seed). */
static void test_random(void)
{
	static const char *const toks[] = {
		"cycles",
		"cpu-clock",
		":",
		"u",
		"pp",
		"k",
		"{",
		"}",
		",",
		"/",
		"period=",
		"freq=",
		"name=",
		"10",
		"0",
		"sched:sched_*",
		"sched:sched_switch",
		"r1a8",
		"L1-dcache-load-misses",
		"perf::PERF_COUNT_SW_CPU_CLOCK",
		"INST_RETIRED:ANY_P",
		"x",
		"*",
		":k",
		"\001",
		"-",
		"dTLB",
		"::",
		"=",
		"cs",
		"task-clock/period=5/",
		"cpu/",
		"msr/tsc/",
		"event=1",
	};
	static const char chars[] = "cyles-tak:upkhz{},/=*0123456789 \n_.";
	uint64_t seed = 42;
	int bad_ret = 0, bad_list = 0, bad_msg = 0, bad_ev = 0, ok = 0;

	for (int iter = 0; iter < 20000; iter++) {
		struct pmu_event_list l = {NULL, 0};
		char spec[256];
		size_t n = 0, before;
		int ret, len;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		len = (int)((seed >> 33) % 12);
		for (int j = 0; j < len; j++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			if ((seed >> 40) & 1) {
				const char *t = toks[(seed >> 20) % ARRAY_SIZE(toks)];
				size_t tl = strlen(t);

				if (n + tl < sizeof(spec))
					memcpy(spec + n, t, tl), n += tl;
			} else if (n + 1 < sizeof(spec)) {
				spec[n++] = chars[(seed >> 20) % (sizeof(chars) - 1)];
			}
		}
		spec[n] = '\0';
		CHECK_INT(pmu_events_parse(&l, "cs", &err), 0);
		before = l.nr;
		ret = pmu_events_parse(&l, spec, &err);
		if (ret != 0 && ret != -EINVAL && ret != -ENOENT) {
			bad_ret++;
			fprintf(stderr, "  '%s': ret %d\n", spec, ret);
		} else if (ret) {
			if (l.nr != before)
				bad_list++;
			if (!err.msg[0] || strchr(err.msg, '\n') || strchr(err.hint, '\n'))
				bad_msg++;
		} else {
			ok++;
			if (l.nr <= before)
				bad_list++;
			for (size_t i = before; i < l.nr; i++)
				if (!l.ev[i].name || !l.ev[i].name[0] ||
				    l.ev[i].leader < (int)before || l.ev[i].leader > (int)i ||
				    l.ev[i].attr.size != sizeof(l.ev[i].attr))
					bad_ev++;
		}
		pmu_event_list_fini(&l);
	}
	CHECK_INT(bad_ret, 0);
	CHECK_INT(bad_list, 0);
	CHECK_INT(bad_msg, 0);
	CHECK_INT(bad_ev, 0);
	CHECK(ok > 100); /* the generator does make valid specs too */
	printf("random specs: %d of 20000 valid\n", ok);
}

int main(void)
{
	fixture_env();
	test_symbols();
	test_cache();
	test_raw();
	test_modifiers();
	test_terms();
	test_lists_groups();
	test_unknown();
	test_long();
	test_tracepoints();
	test_fallback();
	test_advice();
	test_pfm();
	test_sysfs();
	test_breakpoints();
	test_random();
	return unit_done();
}
