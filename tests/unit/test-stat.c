/* Unit tests for cperf stat's output: number grouping, derived metrics,
 * -r statistics, and the table, CSV and JSON rows. */
#include "stat.h"
#include "unit.h"
#include "util.h"

#include <math.h>

static struct perf_event_attr sw(uint64_t config)
{
	struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .config = config };

	return a;
}

static struct perf_event_attr hw(uint64_t config)
{
	struct perf_event_attr a = { .type = PERF_TYPE_HARDWARE, .config = config };

	return a;
}

static void test_fmt_num(void)
{
	char b[64];

	stat_fmt_num(b, sizeof(b), 0, 0, true);
	CHECK_STR(b, "0");
	stat_fmt_num(b, sizeof(b), 999, 0, true);
	CHECK_STR(b, "999");
	stat_fmt_num(b, sizeof(b), 1000, 0, true);
	CHECK_STR(b, "1,000");
	stat_fmt_num(b, sizeof(b), 1234567, 0, true);
	CHECK_STR(b, "1,234,567");
	stat_fmt_num(b, sizeof(b), 1234567, 0, false);
	CHECK_STR(b, "1234567");
	stat_fmt_num(b, sizeof(b), 123456.789, 2, true);
	CHECK_STR(b, "123,456.79");
	stat_fmt_num(b, sizeof(b), 0.5, 2, true);
	CHECK_STR(b, "0.50");
	stat_fmt_num(b, sizeof(b), -1234.5, 1, true);
	CHECK_STR(b, "-1,234.5");
	stat_fmt_num(b, 6, 1234567, 0, true); /* truncated, still terminated */
	CHECK_INT(strlen(b), 5);
}

static void test_metrics(void)
{
	struct perf_event_attr tc = sw(PERF_COUNT_SW_TASK_CLOCK), pf = sw(PERF_COUNT_SW_PAGE_FAULTS),
			       cyc = hw(PERF_COUNT_HW_CPU_CYCLES),
			       ins = hw(PERF_COUNT_HW_INSTRUCTIONS),
			       br = hw(PERF_COUNT_HW_BRANCH_INSTRUCTIONS),
			       bm = hw(PERF_COUNT_HW_BRANCH_MISSES);
	struct perf_event_attr l1 = { .type = PERF_TYPE_HW_CACHE, .config = 0 };
	struct perf_event_attr l1m = { .type = PERF_TYPE_HW_CACHE, .config = 1 << 16 };
	struct stat_val v[] = {
		{ "task-clock", &tc, STAT_OK, 2e9, 0, 2000000000, 100 },  /* 2 s */
		{ "page-faults", &pf, STAT_OK, 3000, 0, 2000000000, 100 }, /* 1.5 K/sec */
		{ "cycles", &cyc, STAT_OK, 6e9, 0, 1, 100 },               /* 3 GHz */
		{ "instructions", &ins, STAT_OK, 9e9, 0, 1, 100 },         /* 1.5 IPC */
		{ "branches", &br, STAT_OK, 1e9, 0, 1, 100 },              /* 500 M/sec */
		{ "branch-misses", &bm, STAT_OK, 2.5e7, 0, 1, 100 },       /* 2.5% */
		{ "L1-dcache-loads", &l1, STAT_OK, 1000, 0, 1, 100 },
		{ "L1-dcache-load-misses", &l1m, STAT_OK, 50, 0, 1, 100 }, /* 5% */
	};
	size_t n = ARRAY_SIZE(v);
	struct stat_metric m;

	stat_metric(v, n, 0, 1e9, &m);
	CHECK_INT(m.kind, STAT_METRIC_FLOAT);
	CHECK(fabs(m.value - 2.0) < 1e-9);
	CHECK_STR(m.unit, "CPUs utilized");
	stat_metric(v, n, 1, 1e9, &m);
	CHECK(fabs(m.value - 1.5) < 1e-9);
	CHECK_STR(m.unit, "K/sec");
	stat_metric(v, n, 2, 1e9, &m);
	CHECK(fabs(m.value - 3.0) < 1e-9);
	CHECK_STR(m.unit, "GHz");
	stat_metric(v, n, 3, 1e9, &m);
	CHECK_INT(m.kind, STAT_METRIC_RATIO);
	CHECK(fabs(m.value - 1.5) < 1e-9);
	CHECK_STR(m.unit, "insn per cycle");
	stat_metric(v, n, 4, 1e9, &m);
	CHECK(fabs(m.value - 500) < 1e-9);
	CHECK_STR(m.unit, "M/sec");
	stat_metric(v, n, 5, 1e9, &m);
	CHECK_INT(m.kind, STAT_METRIC_PCT);
	CHECK(fabs(m.value - 2.5) < 1e-9);
	CHECK_STR(m.unit, "of all branches");
	stat_metric(v, n, 7, 1e9, &m);
	CHECK(fabs(m.value - 5) < 1e-9);
	CHECK_STR(m.unit, "of all L1-dcache accesses");

	/* no cycles counted: instructions fall back to a rate */
	v[2].state = STAT_NOT_SUPPORTED;
	stat_metric(v, n, 3, 1e9, &m);
	CHECK_STR(m.unit, "G/sec");
	/* a different privilege domain does not pair */
	v[2].state = STAT_OK;
	cyc.exclude_kernel = 1;
	stat_metric(v, n, 3, 1e9, &m);
	CHECK(strcmp(m.unit, "insn per cycle") != 0);
	/* no task-clock: no rates; unsupported rows: no metric */
	v[0].state = STAT_NOT_COUNTED;
	stat_metric(v, n, 1, 1e9, &m);
	CHECK_INT(m.kind, STAT_METRIC_NONE);
	stat_metric(v, n, 0, 1e9, &m);
	CHECK_INT(m.kind, STAT_METRIC_NONE);
	/* small rates */
	v[0].state = STAT_OK;
	v[1].value = 3;
	stat_metric(v, n, 1, 1e9, &m);
	CHECK_STR(m.unit, "/sec");
	CHECK(fabs(m.value - 1.5) < 1e-9);
}

static void test_stats(void)
{
	struct stat_stats s = { 0 };

	CHECK(stat_stats_rel(&s) == 0);
	stat_stats_add(&s, 10);
	CHECK(stat_stats_rel(&s) == 0);
	stat_stats_add(&s, 12);
	stat_stats_add(&s, 14);
	CHECK(fabs(s.mean - 12) < 1e-12);
	/* sample stddev 2, of the mean 2/sqrt(3) */
	CHECK(fabs(stat_stats_stddev_mean(&s) - 2 / sqrt(3)) < 1e-12);
	CHECK(fabs(stat_stats_rel(&s) - 100 * 2 / sqrt(3) / 12) < 1e-9);
}

/* Prints one row through p into a string (caller frees). */
static char *row(struct stat_printer *p, const struct stat_val *v, size_t n, size_t i)
{
	char *buf = NULL;
	size_t len = 0;

	p->f = open_memstream(&buf, &len);
	if (!p->f)
		return NULL;
	stat_print_row(p, 1.5, NULL, v, n, i, 1e9);
	fclose(p->f);
	return buf;
}

static void test_rows(void)
{
	struct perf_event_attr tc = sw(PERF_COUNT_SW_TASK_CLOCK), pf = sw(PERF_COUNT_SW_PAGE_FAULTS),
			       cyc = hw(PERF_COUNT_HW_CPU_CYCLES);
	struct stat_val v[] = {
		{ "task-clock", &tc, STAT_OK, 5e8, 0, 500000000, 100 },
		{ "page-faults", &pf, STAT_OK, 1234567, 0, 500000000, 50 },
		{ "cycles", &cyc, STAT_NOT_SUPPORTED, 0, 0, 0, 100 },
		{ "we\"ird", &pf, STAT_NOT_COUNTED, 0, 0, 0, 100 },
	};
	struct stat_printer p = { .fmt = STAT_FMT_TABLE, .sep = ",", .big_num = true };
	char *s;

	s = row(&p, v, 4, 0);
	CHECK_STR(s, "            500.00 msec task-clock                       #    0.500 CPUs "
		     "utilized\n");
	free(s);
	s = row(&p, v, 4, 1);
	CHECK(s && strstr(s, "         1,234,567      page-faults ") == s);
	CHECK(s && strstr(s, "#    2.469 M/sec"));
	CHECK(s && strstr(s, "  (50.00%)\n"));
	free(s);
	s = row(&p, v, 4, 2);
	CHECK_STR(s, "   <not supported>      cycles\n");
	free(s);

	p.fmt = STAT_FMT_CSV;
	s = row(&p, v, 4, 0);
	CHECK_STR(s, "500.00,msec,task-clock,500000000,100.00,0.500,CPUs utilized\n");
	free(s);
	s = row(&p, v, 4, 2);
	CHECK_STR(s, "<not supported>,,cycles,0,100.00,,\n");
	free(s);
	p.sep = ";";
	p.interval = true;
	p.variance = true;
	s = row(&p, v, 4, 1);
	CHECK_STR(s, "     1.500000000;1234567;;page-faults;0.00%;500000000;50.00;2.469;M/sec\n");
	free(s);

	p.fmt = STAT_FMT_JSON;
	p.interval = false;
	p.variance = false;
	s = row(&p, v, 4, 0);
	CHECK_STR(s, "{\"counter-value\" : \"500.000000\", \"unit\" : \"msec\", \"event\" : "
		     "\"task-clock\", \"event-runtime\" : 500000000, \"pcnt-running\" : 100.00, "
		     "\"metric-value\" : 0.500000, \"metric-unit\" : \"CPUs utilized\"}\n");
	free(s);
	s = row(&p, v, 4, 3);
	CHECK(s && strstr(s, "\"counter-value\" : \"<not counted>\""));
	CHECK(s && strstr(s, "\"event\" : \"we\\\"ird\""));
	free(s);
}

int main(void)
{
	test_fmt_num();
	test_metrics();
	test_stats();
	test_rows();
	return unit_done();
}
