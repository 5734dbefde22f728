/* Unit tests of the profile model and the report views on a hand-built
 * profile: exact top, folded, table and tree output, focus/ignore, inline
 * frames, unresolved frames and the flame graph's content. */
#include "config.h"

#include "profile.h"
#include "report-view.h"
#include "unit.h"

#include <errno.h>
#include <stdlib.h>

/* Output of a view into a heap string. */
static char *capture_begin(FILE **f, char **buf, size_t *len)
{
	*f = open_memstream(buf, len);
	return *buf;
}

static char *capture_end(FILE *f, char **buf)
{
	fclose(f);
	return *buf;
}

/* main -> work -> leaf_a (60 ms) ; main -> work -> helper (inlined in
 * leaf_b) (30 ms); main -> unresolved (10 ms). cpu-clock, ns. */
static struct profile *build(void)
{
	struct profile *p = profile_new();
	struct profile_event ev = { .name = "cpu-clock", .unit = PROFILE_UNIT_NANOSECONDS };
	struct profile_mapping m = { .start = 0x400000, .limit = 0x500000, .path = "/bin/prog",
				     .build_id = "abcd" };
	struct profile_line l_main = { .function = "main", .file = "prog.c", .line = 10 };
	struct profile_line l_work = { .function = "work", .file = "prog.c", .line = 20 };
	struct profile_line l_a = { .function = "leaf_a", .file = "prog.c", .line = 30 };
	struct profile_line l_b[2] = { { .function = "helper", .file = "prog.h", .line = 5 },
				       { .function = "leaf_b", .file = "prog.c", .line = 40 } };
	struct profile_location loc = { 0 };
	int i_main, i_work, i_a, i_b, i_unk;

	CHECK(p != NULL);
	CHECK_INT(profile_add_event(p, &ev), 0);
	CHECK_INT(profile_add_mapping(p, &m), 0);
	loc.mapping = 0;
	loc.resolved = true;
	loc.nr_lines = 1;
	loc.address = 0x401000;
	loc.lines = &l_main;
	i_main = profile_add_location(p, &loc);
	loc.address = 0x402000;
	loc.lines = &l_work;
	i_work = profile_add_location(p, &loc);
	loc.address = 0x403000;
	loc.lines = &l_a;
	i_a = profile_add_location(p, &loc);
	loc.address = 0x404000;
	loc.lines = l_b;
	loc.nr_lines = 2;
	i_b = profile_add_location(p, &loc);
	loc = (struct profile_location){ .mapping = 0, .address = 0x405000, .file_offset = 0x5000 };
	i_unk = profile_add_location(p, &loc);
	CHECK(i_main >= 0 && i_work >= 0 && i_a >= 0 && i_b >= 0 && i_unk >= 0);
	{
		uint32_t s1[] = { (uint32_t)i_a, (uint32_t)i_work, (uint32_t)i_main };
		uint32_t s2[] = { (uint32_t)i_b, (uint32_t)i_work, (uint32_t)i_main };
		uint32_t s3[] = { (uint32_t)i_unk, (uint32_t)i_main };
		uint64_t v1[] = { 60, 60000000 }, v2[] = { 30, 30000000 }, v3[] = { 10, 10000000 };
		struct profile_sample s = { .comm = "prog", .cpu = -1 };

		s.locs = s1, s.nr_locs = 3, s.values = v1;
		CHECK_INT(profile_add_sample(p, &s), 0);
		s.locs = s2, s.nr_locs = 3, s.values = v2;
		CHECK_INT(profile_add_sample(p, &s), 1);
		s.locs = s3, s.nr_locs = 2, s.values = v3;
		CHECK_INT(profile_add_sample(p, &s), 2);
	}
	p->meta.has_callchains = true;
	return p;
}

static void test_model(struct profile *p)
{
	const char *a = profile_intern(p, "same"), *b = profile_intern(p, "same");

	CHECK(a == b);
	CHECK_STR(profile_intern(p, ""), "");
	CHECK_INT(profile_total(p, 0), 100);
	CHECK_INT(profile_total(p, 1), 100000000);
	CHECK_INT(profile_total(p, 7), 0);
	CHECK_STR(p->locations[4].lines[0].function, "prog+0x5000");
	CHECK(!p->locations[4].resolved);
	CHECK_INT(p->locations[3].nr_lines, 2);
	{
		uint32_t bad = 99;
		struct profile_sample s = { .locs = &bad, .nr_locs = 1 };

		CHECK_INT(profile_add_sample(p, &s), -EINVAL);
	}
}

static void test_top(struct profile *p)
{
	struct rview *v = rview_new(p, 0, NULL, NULL);
	struct report_opts o = { .top_n = 10 };
	char *buf = NULL;
	size_t len;
	FILE *f;

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_INT(v->total, 100000000);
	capture_begin(&f, &buf, &len);
	CHECK_INT(report_top(v, &o, f), 0);
	capture_end(f, &buf);
	CHECK_STR(buf, "Showing nodes accounting for 100ms, 100.00% of 100ms total\n"
		       "      flat  flat%   sum%        cum   cum%\n"
		       "      60ms 60.00% 60.00%       60ms 60.00%  leaf_a\n"
		       "      30ms 30.00% 90.00%       30ms 30.00%  helper\n"
		       "      10ms 10.00% 100.00%       10ms 10.00%  prog+0x5000\n"
		       "         0  0.00% 100.00%      100ms 100.00%  main\n"
		       "         0  0.00% 100.00%       90ms 90.00%  work\n"
		       "         0  0.00% 100.00%       30ms 30.00%  leaf_b\n");
	free(buf);
	buf = NULL;
	/* --cum, top 2 */
	o.cum = true;
	o.top_n = 2;
	capture_begin(&f, &buf, &len);
	CHECK_INT(report_top(v, &o, f), 0);
	capture_end(f, &buf);
	CHECK_STR(buf, "Showing nodes accounting for 0, 0.00% of 100ms total\n"
		       "Showing top 2 nodes out of 6\n"
		       "      flat  flat%   sum%        cum   cum%\n"
		       "         0  0.00%  0.00%      100ms 100.00%  main\n"
		       "         0  0.00%  0.00%       90ms 90.00%  work\n");
	free(buf);
	buf = NULL;
	/* folded: root first, counts, inline frames expanded */
	capture_begin(&f, &buf, &len);
	CHECK_INT(report_folded(v, f), 0);
	capture_end(f, &buf);
	CHECK_STR(buf, "prog;main;prog+0x5000 10\n"
		       "prog;main;work;leaf_a 60\n"
		       "prog;main;work;leaf_b;helper 30\n");
	free(buf);
	buf = NULL;
	/* tree: work's callers and callees */
	o.top_n = 0;
	o.cum = false;
	capture_begin(&f, &buf, &len);
	CHECK_INT(report_tree(v, &o, f), 0);
	capture_end(f, &buf);
	CHECK(strstr(buf, "   90ms 100.00% |   main\n") != NULL);
	CHECK(strstr(buf, "   60ms  66.67% |   leaf_a\n") != NULL);
	CHECK(strstr(buf, "   30ms  33.33% |   leaf_b\n") != NULL);
	free(buf);
	buf = NULL;
	/* the perf table */
	o.children = true;
	{
		char err[128];

		capture_begin(&f, &buf, &len);
		CHECK_INT(report_table(v, &o, f, err, sizeof(err)), 0);
		capture_end(f, &buf);
		CHECK(strstr(buf, "# Children      Self  Command  Shared Object  Symbol") != NULL);
		CHECK(strstr(buf, "   100.00%     0.00%  prog     prog           [.] main\n") != NULL);
		CHECK(strstr(buf, "    60.00%    60.00%  prog     prog           [.] leaf_a\n") != NULL);
		free(buf);
		buf = NULL;
		o.sort = "sym,nope";
		capture_begin(&f, &buf, &len);
		CHECK_INT(report_table(v, &o, f, err, sizeof(err)), -EINVAL);
		capture_end(f, &buf);
		CHECK_STR(err, "unknown sort key 'nope'");
		free(buf);
		buf = NULL;
		CHECK_INT(report_sort_check("comm,pid,dso,sym,srcline", err, sizeof(err)), 0);
	}
	/* flame graph */
	capture_begin(&f, &buf, &len);
	CHECK_INT(report_flamegraph(v, f, "t<&>"), 0);
	capture_end(f, &buf);
	CHECK(strstr(buf, "<svg") != NULL && strstr(buf, "</svg>\n") != NULL);
	CHECK(strstr(buf, "data-name=\"leaf_a\"") != NULL);
	CHECK(strstr(buf, "t&lt;&amp;&gt;") != NULL);
	CHECK(strstr(buf, "leaf_a (60ms, 60.00%)") != NULL);
	free(buf);
	rview_free(v);
}

/* report_table with -g: perf's graph lines, in both orders, with a limit */
static char *table_cg(struct profile *p, bool children, enum report_cg cg, double limit)
{
	struct rview *v = rview_new(p, 0, NULL, NULL);
	struct report_opts o = { .children = children, .call_graph = cg, .call_graph_limit = limit };
	char err[128], *buf = NULL;
	size_t len;
	FILE *f;

	CHECK(v != NULL);
	if (!v)
		return NULL;
	capture_begin(&f, &buf, &len);
	CHECK_INT(report_table(v, &o, f, err, sizeof(err)), 0);
	capture_end(f, &buf);
	rview_free(v);
	return buf;
}

static void test_callgraph(struct profile *p)
{
	char *buf;

	/* caller order: main's callees, the inlined helper below leaf_b as a
	 * straight run, the branches' columns closed after their last child */
	buf = table_cg(p, true, REPORT_CG_DEFAULT, 0.5);
	CHECK(buf && strstr(buf, "   100.00%     0.00%  prog     prog           [.] main\n"
				 "            |\n"
				 "            ---main\n"
				 "               |          \n"
				 "               |--90.00%--work\n"
				 "               |          |          \n"
				 "               |          |--60.00%--leaf_a\n"
				 "               |          |          \n"
				 "               |           --30.00%--leaf_b\n"
				 "               |                     helper\n"
				 "               |          \n"
				 "                --10.00%--prog+0x5000\n"
				 "\n") != NULL);
	/* an entry's own samples: its whole chain from the root */
	CHECK(buf && strstr(buf, "[.] leaf_a\n"
				 "            |\n"
				 "            ---main\n"
				 "               work\n"
				 "               leaf_a\n"
				 "\n") != NULL);
	free(buf);
	/* below the limit: the 10% branch left out, work is main's last */
	buf = table_cg(p, true, REPORT_CG_CALLER, 15);
	CHECK(buf && strstr(buf, "            ---main\n"
				 "               |          \n"
				 "                --90.00%--work\n"
				 "                          |          \n"
				 "                          |--60.00%--leaf_a\n"
				 "                          |          \n"
				 "                           --30.00%--leaf_b\n"
				 "                                     helper\n"
				 "\n") != NULL);
	CHECK(buf && !strstr(buf, "prog+0x5000\n\n"));
	free(buf);
	/* callee order, perf's default without Children: up to the root */
	buf = table_cg(p, false, REPORT_CG_DEFAULT, 0.5);
	CHECK(buf && strstr(buf, "    30.00%  prog     prog           [.] helper\n"
				 "            |\n"
				 "            ---helper\n"
				 "               leaf_b\n"
				 "               work\n"
				 "               main\n"
				 "\n") != NULL);
	free(buf);
	/* with Children, callee order: from work up through its callers */
	buf = table_cg(p, true, REPORT_CG_CALLEE, 0.5);
	CHECK(buf && strstr(buf, "[.] work\n"
				 "            |\n"
				 "            ---work\n"
				 "               main\n"
				 "\n") != NULL);
	free(buf);
	/* no call chains: no graph lines */
	p->meta.has_callchains = false;
	buf = table_cg(p, false, REPORT_CG_DEFAULT, 0.5);
	CHECK(buf && !strstr(buf, "---"));
	free(buf);
	p->meta.has_callchains = true;
}

static void test_focus(struct profile *p)
{
	regex_t focus, ignore;
	struct rview *v;

	CHECK_INT(regcomp(&focus, "^leaf_", REG_EXTENDED | REG_NOSUB), 0);
	CHECK_INT(regcomp(&ignore, "^helper$", REG_EXTENDED | REG_NOSUB), 0);
	v = rview_new(p, 0, &focus, NULL);
	CHECK(v && v->kept == 90000000 && v->total == 100000000);
	rview_free(v);
	v = rview_new(p, 0, &focus, &ignore);
	CHECK(v && v->kept == 60000000);
	rview_free(v);
	regfree(&focus);
	regfree(&ignore);
}

static void test_format(void)
{
	struct rview v = { .unit = PROFILE_UNIT_NANOSECONDS };
	char buf[32];

	rview_format(&v, 1500000000, buf, sizeof(buf));
	CHECK_STR(buf, "1.50s");
	rview_format(&v, 10000000, buf, sizeof(buf));
	CHECK_STR(buf, "10ms");
	rview_format(&v, 0, buf, sizeof(buf));
	CHECK_STR(buf, "0");
	rview_format(&v, 999, buf, sizeof(buf));
	CHECK_STR(buf, "999ns");
	rview_format(&v, 90ULL * 60 * 1000000000, buf, sizeof(buf));
	CHECK_STR(buf, "1.50hrs");
	v.unit = PROFILE_UNIT_COUNT;
	rview_format(&v, 123456789, buf, sizeof(buf));
	CHECK_STR(buf, "123456789");
}

int main(void)
{
	struct profile *p = build();

	if (p) {
		test_model(p);
		test_top(p);
		test_callgraph(p);
		test_focus(p);
	}
	test_format();
	profile_free(p);
	profile_free(NULL);
	return unit_done();
}
