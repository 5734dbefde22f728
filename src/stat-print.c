/* cperf stat's output: derived metrics (CPUs utilized, rates, IPC, miss
 * ratios), -r statistics, and the table, CSV and JSON row layouts. */
#include "stat.h"
#include "util.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* Table columns, as perf lays them out: value, unit, event, "# metric". */
#define COL_VALUE 18
#define COL_EVENT 32
#define COL_MUNIT 23

bool stat_is_clock(const struct perf_event_attr *a)
{
	return a && a->type == PERF_TYPE_SOFTWARE &&
	       (a->config == PERF_COUNT_SW_TASK_CLOCK || a->config == PERF_COUNT_SW_CPU_CLOCK);
}

static bool same_domain(const struct perf_event_attr *a, const struct perf_event_attr *b)
{
	return a->exclude_user == b->exclude_user && a->exclude_kernel == b->exclude_kernel &&
	       a->exclude_hv == b->exclude_hv;
}

/* The value of a counted event of (type, config) in the same privilege
 * domain as like; -1 when there is none. */
static double find_val(const struct stat_val *vals, size_t nr, uint32_t type, uint64_t config,
		       const struct perf_event_attr *like)
{
	for (size_t j = 0; j < nr; j++) {
		const struct perf_event_attr *a = vals[j].attr;

		if (a && vals[j].state == STAT_OK && a->type == type && a->config == config &&
		    (!like || same_domain(a, like)))
			return vals[j].value;
	}
	return -1;
}

/* task-clock (else cpu-clock) in ns, for rates; -1 when not counted. */
static double clock_ns(const struct stat_val *vals, size_t nr)
{
	double v = find_val(vals, nr, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, NULL);

	if (v < 0)
		v = find_val(vals, nr, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, NULL);
	return v;
}

static void set_ratio(struct stat_metric *m, enum stat_metric_kind kind, double num, double den,
		      const char *unit)
{
	if (den <= 0)
		return;
	m->kind = kind;
	m->value = kind == STAT_METRIC_PCT ? 100.0 * num / den : num / den;
	m->unit = unit;
}

static const char *const cache_access_unit[] = {
	[PERF_COUNT_HW_CACHE_L1D] = "of all L1-dcache accesses",
	[PERF_COUNT_HW_CACHE_L1I] = "of all L1-icache accesses",
	[PERF_COUNT_HW_CACHE_LL] = "of all LL-cache accesses",
	[PERF_COUNT_HW_CACHE_DTLB] = "of all dTLB cache accesses",
	[PERF_COUNT_HW_CACHE_ITLB] = "of all iTLB cache accesses",
	[PERF_COUNT_HW_CACHE_BPU] = "of all branch accesses",
	[PERF_COUNT_HW_CACHE_NODE] = "of all node accesses",
};

/* Hardware-specific ratios; true when one applied. */
static bool hw_metric(const struct stat_val *vals, size_t nr, const struct stat_val *v,
		      double clk, struct stat_metric *m)
{
	const struct perf_event_attr *a = v->attr;
	double d;

	if (a->type == PERF_TYPE_HARDWARE) {
		switch (a->config) {
		case PERF_COUNT_HW_INSTRUCTIONS:
			d = find_val(vals, nr, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, a);
			set_ratio(m, STAT_METRIC_RATIO, v->value, d, "insn per cycle");
			return d > 0;
		case PERF_COUNT_HW_BRANCH_MISSES:
			d = find_val(vals, nr, PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS, a);
			set_ratio(m, STAT_METRIC_PCT, v->value, d, "of all branches");
			return d > 0;
		case PERF_COUNT_HW_CACHE_MISSES:
			d = find_val(vals, nr, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES, a);
			set_ratio(m, STAT_METRIC_PCT, v->value, d, "of all cache refs");
			return d > 0;
		case PERF_COUNT_HW_STALLED_CYCLES_FRONTEND:
		case PERF_COUNT_HW_STALLED_CYCLES_BACKEND:
			d = find_val(vals, nr, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, a);
			set_ratio(m, STAT_METRIC_PCT, v->value, d,
				  a->config == PERF_COUNT_HW_STALLED_CYCLES_FRONTEND ?
					  "frontend cycles idle" :
					  "backend cycles idle");
			return d > 0;
		case PERF_COUNT_HW_CPU_CYCLES:
			set_ratio(m, STAT_METRIC_FLOAT, v->value, clk, "GHz");
			return clk > 0;
		default:
			return false;
		}
	}
	if (a->type == PERF_TYPE_HW_CACHE) {
		uint64_t id = a->config & 0xff, res = (a->config >> 16) & 0xff;

		if (res != PERF_COUNT_HW_CACHE_RESULT_MISS || id >= ARRAY_SIZE(cache_access_unit))
			return false;
		d = find_val(vals, nr, PERF_TYPE_HW_CACHE,
			     a->config & ~((uint64_t)0xff << 16), a);
		set_ratio(m, STAT_METRIC_PCT, v->value, d, cache_access_unit[id]);
		return d > 0;
	}
	return false;
}

void stat_metric(const struct stat_val *vals, size_t nr, size_t i, double wall_ns,
		 struct stat_metric *m)
{
	const struct stat_val *v = &vals[i];
	double clk, rate;

	m->kind = STAT_METRIC_NONE;
	m->value = 0;
	m->unit = "";
	if (v->state != STAT_OK || !v->attr)
		return;
	if (stat_is_clock(v->attr)) {
		set_ratio(m, STAT_METRIC_FLOAT, v->value, wall_ns, "CPUs utilized");
		return;
	}
	clk = clock_ns(vals, nr);
	if (hw_metric(vals, nr, v, clk, m))
		return;
	if (clk <= 0)
		return;
	/* everything else: events per second of task time */
	rate = v->value / (clk / 1e9);
	m->kind = STAT_METRIC_FLOAT;
	if (rate >= 1e9) {
		m->value = rate / 1e9;
		m->unit = "G/sec";
	} else if (rate >= 1e6) {
		m->value = rate / 1e6;
		m->unit = "M/sec";
	} else if (rate >= 1e3) {
		m->value = rate / 1e3;
		m->unit = "K/sec";
	} else {
		m->value = rate;
		m->unit = "/sec";
	}
}

void stat_stats_add(struct stat_stats *s, double v)
{
	double delta = v - s->mean;

	s->n++;
	s->mean += delta / (double)s->n;
	s->m2 += delta * (v - s->mean);
}

double stat_stats_stddev_mean(const struct stat_stats *s)
{
	if (s->n < 2)
		return 0;
	/* sample variance, then the variance of the mean */
	return sqrt(s->m2 / (double)(s->n - 1) / (double)s->n);
}

double stat_stats_rel(const struct stat_stats *s)
{
	if (s->n < 2 || s->mean == 0)
		return 0;
	return 100.0 * stat_stats_stddev_mean(s) / fabs(s->mean);
}

void stat_fmt_num(char *buf, size_t len, double v, int decimals, bool group)
{
	char tmp[64], *dot;
	size_t intlen, start, o = 0;

	if (!len)
		return;
	if (!isfinite(v)) {
		snprintf(buf, len, "%f", v);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (!group) {
		snprintf(buf, len, "%s", tmp);
		return;
	}
	start = tmp[0] == '-' ? 1 : 0;
	dot = strchr(tmp, '.');
	intlen = (dot ? (size_t)(dot - tmp) : strlen(tmp)) - start;
	for (size_t k = 0; tmp[k] && o + 1 < len; k++) {
		buf[o++] = tmp[k];
		if (k >= start && k < start + intlen - 1 && (start + intlen - 1 - k) % 3 == 0 &&
		    o + 1 < len)
			buf[o++] = ',';
	}
	buf[o] = '\0';
}

/* JSON string body: quotes, backslashes and control characters escaped. */
static void json_str(struct strbuf *sb, const char *s)
{
	sb_puts(sb, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			sb_printf(sb, "\\%c", ch);
		else if (ch < 0x20)
			sb_printf(sb, "\\u%04x", ch);
		else
			sb_append(sb, s, 1);
	}
	sb_puts(sb, "\"");
}

static const char *state_text(enum stat_state st)
{
	return st == STAT_NOT_SUPPORTED ? "<not supported>" : "<not counted>";
}

static void rtrim_out(struct strbuf *sb, FILE *f)
{
	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	sb_puts(sb, "\n");
	fputs(sb->buf, f);
}

static void row_table(const struct stat_printer *p, struct strbuf *sb, const struct stat_val *v,
		      const struct stat_metric *m)
{
	bool clock = stat_is_clock(v->attr);
	char num[64];
	size_t start;

	if (v->state == STAT_OK)
		stat_fmt_num(num, sizeof(num), clock ? v->value / 1e6 : v->value, clock ? 2 : 0,
			     p->big_num);
	else
		snprintf(num, sizeof(num), "%s", state_text(v->state));
	sb_printf(sb, "%*s %-4s %-*s", COL_VALUE, num, clock ? "msec" : "", COL_EVENT, v->name);
	start = sb->len;
	switch (m->kind) {
	case STAT_METRIC_FLOAT:
		sb_printf(sb, " # %8.3f %-*s", m->value, COL_MUNIT, m->unit);
		break;
	case STAT_METRIC_RATIO:
		sb_printf(sb, " # %8.2f %-*s", m->value, COL_MUNIT, m->unit);
		break;
	case STAT_METRIC_PCT:
		sb_printf(sb, " # %7.2f%% %-*s", m->value, COL_MUNIT, m->unit);
		break;
	case STAT_METRIC_NONE:
		break;
	}
	if (p->variance || (v->state == STAT_OK && v->pcnt < 100.0)) {
		/* keep the trailing columns aligned on rows without a metric */
		while (sb->len - start < 3 + 8 + 1 + COL_MUNIT)
			sb_puts(sb, " ");
	}
	if (p->variance && v->state == STAT_OK)
		sb_printf(sb, "  ( +- %5.2f%% )", v->variance);
	if (v->state == STAT_OK && v->pcnt < 100.0)
		sb_printf(sb, "  (%.2f%%)", v->pcnt);
}

static void metric_value_str(char *buf, size_t len, const struct stat_metric *m)
{
	if (m->kind == STAT_METRIC_NONE)
		buf[0] = '\0';
	else
		snprintf(buf, len, m->kind == STAT_METRIC_FLOAT ? "%.3f" : "%.2f", m->value);
}

static void row_csv(const struct stat_printer *p, struct strbuf *sb, const struct stat_val *v,
		    const struct stat_metric *m)
{
	bool clock = stat_is_clock(v->attr);
	const char *s = p->sep;
	char mv[64];

	if (v->state == STAT_OK)
		sb_printf(sb, clock ? "%.2f" : "%.0f", clock ? v->value / 1e6 : v->value);
	else
		sb_puts(sb, state_text(v->state));
	sb_printf(sb, "%s%s%s%s", s, clock ? "msec" : "", s, v->name);
	if (p->variance)
		sb_printf(sb, "%s%.2f%%", s, v->variance);
	metric_value_str(mv, sizeof(mv), m);
	sb_printf(sb, "%s%" PRIu64 "%s%.2f%s%s%s%s", s, v->run, s, v->pcnt, s, mv, s, m->unit);
}

static void row_json(const struct stat_printer *p, struct strbuf *sb, const struct stat_val *v,
		     const struct stat_metric *m)
{
	bool clock = stat_is_clock(v->attr);

	if (v->state == STAT_OK)
		sb_printf(sb, "\"counter-value\" : \"%f\", ", clock ? v->value / 1e6 : v->value);
	else
		sb_printf(sb, "\"counter-value\" : \"%s\", ", state_text(v->state));
	sb_printf(sb, "\"unit\" : \"%s\", \"event\" : ", clock ? "msec" : "");
	json_str(sb, v->name);
	if (p->variance)
		sb_printf(sb, ", \"variance\" : %.2f", v->variance);
	sb_printf(sb, ", \"event-runtime\" : %" PRIu64 ", \"pcnt-running\" : %.2f", v->run, v->pcnt);
	sb_printf(sb, ", \"metric-value\" : %f, \"metric-unit\" : ", m->value);
	json_str(sb, m->unit);
	sb_puts(sb, "}");
}

/* The label column: CPU3 is short, comm-tid up to 15 + 1 + 7 characters. */
static int prefix_width(const struct stat_printer *p)
{
	return p->prefix_kind && !strcmp(p->prefix_kind, "thread") ? 23 : 8;
}

void stat_print_row(const struct stat_printer *p, double ts, const char *prefix,
		    const struct stat_val *vals, size_t nr, size_t i, double wall_ns)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat_metric m;

	stat_metric(vals, nr, i, wall_ns, &m);
	switch (p->fmt) {
	case STAT_FMT_TABLE:
		if (p->interval)
			sb_printf(&sb, "%16.9f ", ts);
		if (prefix)
			sb_printf(&sb, "%-*s ", prefix_width(p), prefix);
		row_table(p, &sb, &vals[i], &m);
		break;
	case STAT_FMT_CSV:
		if (p->interval)
			sb_printf(&sb, "%16.9f%s", ts, p->sep);
		if (prefix)
			sb_printf(&sb, "%s%s", prefix, p->sep);
		row_csv(p, &sb, &vals[i], &m);
		break;
	case STAT_FMT_JSON:
		sb_puts(&sb, "{");
		if (p->interval)
			sb_printf(&sb, "\"interval\" : %.9f, ", ts);
		if (prefix) {
			const char *kind = p->prefix_kind ? p->prefix_kind : "unit";

			/* perf writes "cpu" : "3", not "CPU3" */
			if (!strcmp(kind, "cpu") && !strncmp(prefix, "CPU", 3))
				prefix += 3;
			sb_printf(&sb, "\"%s\" : ", kind);
			json_str(&sb, prefix);
			sb_puts(&sb, ", ");
		}
		row_json(p, &sb, &vals[i], &m);
		break;
	}
	if (sb.buf)
		rtrim_out(&sb, p->f);
	sb_fini(&sb);
}

void stat_print_header(const struct stat_printer *p, const char *what, int runs)
{
	if (p->fmt != STAT_FMT_TABLE)
		return;
	fprintf(p->f, "\n Performance counter stats for %s", what);
	if (runs > 1)
		fprintf(p->f, " (%d runs)", runs);
	fputs(":\n\n", p->f);
}

void stat_print_interval_header(const struct stat_printer *p, bool per_cpu, bool per_thread)
{
	if (p->fmt != STAT_FMT_TABLE)
		return;
	fprintf(p->f, "#%15s ", "time");
	if (per_cpu || per_thread)
		fprintf(p->f, "%-*s ", prefix_width(p), per_cpu ? "CPU" : "thread");
	fprintf(p->f, "%18s %-4s %s\n", "counts", "unit", "events");
}

void stat_print_footer(const struct stat_printer *p, const struct stat_stats *el, int runs,
		       bool have_rusage, double user_s, double sys_s)
{
	if (p->fmt != STAT_FMT_TABLE)
		return;
	fputs("\n", p->f);
	if (runs > 1)
		fprintf(p->f, "%18.9f +- %.9f seconds time elapsed  ( +- %5.2f%% )\n", el->mean,
			stat_stats_stddev_mean(el), stat_stats_rel(el));
	else
		fprintf(p->f, "%18.9f seconds time elapsed\n", el->mean);
	if (have_rusage)
		fprintf(p->f, "\n%18.9f seconds user\n%18.9f seconds sys\n", user_s, sys_s);
	fputs("\n", p->f);
}
