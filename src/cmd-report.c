/* cperf report: reads a recording through the profile pipeline and shows it
 * as perf's table, pprof's top/tree/list, folded stacks or a flame graph. */
#include "config.h"

#include "cmd.h"
#include "outfile.h"
#include "profile.h"
#include "report-view.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: cperf report [-i FILE] [--top [N]] [--cum] [--tree] [--list REGEX]\n"
	"                    [--folded] [--flamegraph OUT.svg] [--sort KEYS]\n"
	"                    [--pid LIST] [--tid LIST] [--comm LIST] [--dso LIST] [--cpu LIST]\n"
	"                    [--focus REGEX] [--ignore REGEX] [--no-inline] [--no-children]\n"
	"                    [-g | --call-graph[=ORDER[,PERCENT]]]\n"
	"                    [--event NAME] [--percent-limit P] [--kallsyms FILE]\n"
	"                    [--debug-dir DIR] [--source-path DIRS] [--stdio] [-q]\n"
	"\n"
	"  -i, --input FILE      the recording (default perf.data; - reads a pipe)\n"
	"      --top [N]         pprof's top table of the N heaviest functions (default 10)\n"
	"      --cum             sort --top and --tree by cumulative value\n"
	"      --tree            callers and callees of each function\n"
	"      --list REGEX      source lines of matching functions with flat and cum\n"
	"      --source-path DIRS  where --list looks for sources not found as named\n"
	"      --folded          folded stacks: comm;root;...;leaf count\n"
	"      --flamegraph OUT  write an interactive SVG flame graph to OUT\n"
	"  -s, --sort KEYS       table keys: comm,pid,tid,cpu,dso,sym,srcline (default comm,dso,sym)\n"
	"      --pid LIST        only these process ids (also --tid, --cpu: lists like 1,3-5)\n"
	"      --comm LIST       only these process or thread names\n"
	"      --dso LIST        only samples in these objects (path or file name; or --dsos)\n"
	"      --focus REGEX     only stacks with a function matching REGEX\n"
	"      --ignore REGEX    leave out stacks with a function matching REGEX\n"
	"      --event NAME      only this event of a recording with several (every view;\n"
	"                        --folded and --flamegraph otherwise take the first)\n"
	"      --no-inline       no separate frames for inlined functions\n"
	"      --no-children     the table without the Children column\n"
	"  -g, --call-graph[=ORDER[,PERCENT]]  perf's call-graph lines under each table\n"
	"                        entry; ORDER caller (the default with Children) or callee\n"
	"                        (the default with --no-children); branches below PERCENT\n"
	"                        of the total (default 0.5) left out\n"
	"      --percent-limit P hide entries below P percent\n"
	"      --kallsyms FILE   kernel symbols from FILE instead of the recording's\n"
	"      --debug-dir DIR   look for debug files in DIR/.build-id first (':' separates)\n"
	"      --stdio           text output (the only kind; accepted for perf's users)\n"
	"  -q, --quiet           no notes on standard error\n";

enum {
	OPT_TOP = 256,
	OPT_CUM,
	OPT_TREE,
	OPT_LIST,
	OPT_FOLDED,
	OPT_FLAME,
	OPT_PID,
	OPT_TID,
	OPT_COMM,
	OPT_DSO,
	OPT_CPU,
	OPT_FOCUS,
	OPT_IGNORE,
	OPT_NO_INLINE,
	OPT_NO_CHILDREN,
	OPT_PERCENT,
	OPT_STDIO,
	OPT_KALLSYMS,
	OPT_DEBUG_DIR,
	OPT_SOURCE_PATH,
	OPT_EVENT,
	OPT_CALL_GRAPH,
};

enum view { VIEW_TABLE, VIEW_TOP, VIEW_TREE, VIEW_LIST, VIEW_FOLDED, VIEW_FLAME };

static const struct option longopts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "top", optional_argument, NULL, OPT_TOP },
	{ "cum", no_argument, NULL, OPT_CUM },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "list", required_argument, NULL, OPT_LIST },
	{ "folded", no_argument, NULL, OPT_FOLDED },
	{ "flamegraph", required_argument, NULL, OPT_FLAME },
	{ "sort", required_argument, NULL, 's' },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "tid", required_argument, NULL, OPT_TID },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "dso", required_argument, NULL, OPT_DSO },
	{ "dsos", required_argument, NULL, OPT_DSO },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
	{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
	{ "percent-limit", required_argument, NULL, OPT_PERCENT },
	{ "stdio", no_argument, NULL, OPT_STDIO },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "source-path", required_argument, NULL, OPT_SOURCE_PATH },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "call-graph", optional_argument, NULL, OPT_CALL_GRAPH },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct names {
	char *buf;
	const char **v;
	size_t nr;
};

/* Splits a comma-separated list of names. 0 or -ENOMEM / -EINVAL (empty). */
static int names_parse(struct names *n, const char *s)
{
	char *save = NULL, *tok;

	free(n->buf);
	free(n->v);
	memset(n, 0, sizeof(*n));
	n->buf = strdup(s);
	n->v = calloc(strlen(s) / 2 + 2, sizeof(*n->v));
	if (!n->buf || !n->v)
		return -ENOMEM;
	for (tok = strtok_r(n->buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		n->v[n->nr++] = tok;
	return n->nr ? 0 : -EINVAL;
}

static void names_fini(struct names *n)
{
	free(n->buf);
	free(n->v);
}

static int compile_re(regex_t *re, const char *s, const char *opt)
{
	int rc = regcomp(re, s, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char why[128];

		regerror(rc, re, why, sizeof(why));
		msg_error("report", "bad regular expression '%s' for %s: %s", s, opt, why);
		return -EINVAL;
	}
	return 0;
}

/* A ':'-separated list of directories made absolute (the symbolizer
 * searches from its own idea of the current directory). NULL: no memory. */
static char *absolute_dirs(const char *list)
{
	struct strbuf sb = STRBUF_INIT;
	char *copy = strdup(list), *save = NULL, *tok;
	int err = copy ? 0 : -ENOMEM;

	for (tok = copy ? strtok_r(copy, ":", &save) : NULL; tok && !err;
	     tok = strtok_r(NULL, ":", &save)) {
		char *abs = realpath(tok, NULL);

		if (sb.len)
			err = sb_puts(&sb, ":");
		if (!err)
			err = sb_puts(&sb, abs ? abs : tok);
		free(abs);
	}
	if (!err && !sb.len)
		err = sb_puts(&sb, "");
	free(copy);
	if (err) {
		sb_fini(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

/* -g's argument: "caller", "callee", perf's "graph" and a percentage, in
 * any order, comma-separated. 0 or -EINVAL. */
static int parse_call_graph(const char *arg, struct report_opts *ro)
{
	char buf[128], *save = NULL, *tok;

	ro->call_graph = REPORT_CG_DEFAULT;
	ro->call_graph_limit = 0.5;
	if (!arg)
		return 0;
	if (strlen(arg) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "caller"))
			ro->call_graph = REPORT_CG_CALLER;
		else if (!strcmp(tok, "callee"))
			ro->call_graph = REPORT_CG_CALLEE;
		else if (strcmp(tok, "graph") && parse_double(tok, 0, 100, &ro->call_graph_limit))
			return -EINVAL;
	}
	return 0;
}

static void format_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, len, "%.3fs", (double)ns / 1e9);
	else
		snprintf(buf, len, "%.3fms", (double)ns / 1e6);
}

static void print_header(const struct profile *p, const char *path, FILE *out)
{
	const struct profile_meta *m = &p->meta;
	char buf[64];

	fprintf(out, "# cperf report: %s%s\n", path, m->pipe_mode ? " (pipe mode)" : "");
	if (m->cmdline)
		fprintf(out, "# command: %s\n", m->cmdline);
	if (m->osrelease)
		fprintf(out, "# kernel: %s\n", m->osrelease);
	for (size_t e = 0; e < p->nr_events; e++) {
		const struct profile_event *ev = &p->events[e];

		fprintf(out, "# event: %s (%s), %llu samples", ev->name,
			ev->unit == PROFILE_UNIT_NANOSECONDS ? "nanoseconds" : "count",
			(unsigned long long)profile_total(p, 2 * e));
		if (ev->fallback)
			fprintf(out, ", recorded instead of %s", ev->fallback_from ? ev->fallback_from :
						  "the event asked for");
		fputc('\n', out);
	}
	if (m->fallback_note)
		fprintf(out, "# fallback: %s\n", m->fallback_note);
	fprintf(out, "# samples: %llu", (unsigned long long)m->nr_samples);
	if (m->nr_filtered)
		fprintf(out, " (%llu more left out by filters)", (unsigned long long)m->nr_filtered);
	fprintf(out, ", lost: %llu, throttled: %llu\n", (unsigned long long)m->lost,
		(unsigned long long)m->throttled);
	format_ns(m->duration_ns, buf, sizeof(buf));
	fprintf(out, "# duration: %s\n", buf);
	fprintf(out, "# unsymbolized frames: %.2f%% (%llu of %llu)", m->frames_total ?
		100.0 * (double)m->frames_unresolved / (double)m->frames_total : 0.0,
		(unsigned long long)m->frames_unresolved, (unsigned long long)m->frames_total);
	if (m->frames_dropped)
		fprintf(out, ", junk frames dropped: %llu", (unsigned long long)m->frames_dropped);
	fputc('\n', out);
	if (m->unwind_samples)
		fprintf(out, "# dwarf unwinding: %llu stacks, %llu [truncated] by the stack copy's size, "
			"%llu [unwind failed]\n", (unsigned long long)m->unwind_samples,
			(unsigned long long)m->unwind_truncated, (unsigned long long)m->unwind_failed);
	if (m->nr_bad_records)
		fprintf(out, "# malformed records skipped: %llu\n", (unsigned long long)m->nr_bad_records);
}

static int run_view(const struct profile *p, size_t ev, enum view view, const struct report_opts *ro,
		    const regex_t *focus, const regex_t *ignore, const char *flame_out, const char *path)
{
	struct rview *v = rview_new(p, ev, focus, ignore);
	char err[256];
	int rc = 0;

	if (!v) {
		msg_error("report", "out of memory");
		return EXIT_FAIL;
	}
	switch (view) {
	case VIEW_TABLE:
		fprintf(stdout, "#\n# Samples: %llu of event '%s'\n", (unsigned long long)v->total_count,
			p->events[ev].name);
		{
			char buf[32];

			rview_format(v, v->total, buf, sizeof(buf));
			fprintf(stdout, "# Event count: %s\n", buf);
		}
		rc = report_table(v, ro, stdout, err, sizeof(err));
		if (rc == -EINVAL)
			msg_error("report", "%s", err);
		break;
	case VIEW_TOP:
		rc = report_top(v, ro, stdout);
		break;
	case VIEW_TREE:
		rc = report_tree(v, ro, stdout);
		break;
	case VIEW_LIST:
		rc = report_list(v, ro, stdout);
		if (rc == -ENOENT) {
			msg_error("report", "no function with samples matches '%s'", ro->list_src);
			rc = EXIT_FAIL;
			goto out;
		}
		break;
	case VIEW_FOLDED:
		rc = report_folded(v, stdout);
		break;
	case VIEW_FLAME: {
		struct outfile of;
		char title[512];

		/* never through a symlink planted at the path, never readable
		 * by others, no half-written file after an error */
		rc = outfile_open(&of, flame_out);
		if (rc) {
			msg_error("report", "cannot write '%s': %s", flame_out, strerror(-rc));
			rc = EXIT_FAIL;
			goto out;
		}
		snprintf(title, sizeof(title), "%s: %s", path, p->events[ev].name);
		rc = report_flamegraph(v, of.f, title);
		if (rc)
			outfile_abort(&of);
		else
			rc = outfile_commit(&of);
		if (rc && rc != -ENOMEM) {
			msg_error("report", "cannot write '%s': %s", flame_out, strerror(-rc));
			rc = EXIT_FAIL;
			goto out;
		}
		break;
	}
	}
	if (rc == -ENOMEM) {
		msg_error("report", "out of memory");
		rc = EXIT_FAIL;
	} else if (rc) {
		rc = rc == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
out:
	rview_free(v);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	struct profile_options po = { 0 };
	struct report_opts ro = { .top_n = 10, .children = true };
	struct names comms = { 0 }, dsos = { 0 };
	regex_t focus_re, ignore_re, list_re;
	bool has_focus = false, has_ignore = false, has_list = false;
	const char *input = NULL, *flame_out = NULL, *focus = NULL, *ignore = NULL, *event = NULL;
	size_t only_event = 0;
	enum view view = VIEW_TABLE;
	int nviews = 0, rc = EXIT_USAGE, c;
	bool want_top = false;
	struct profile *p = NULL;
	char err[512], *debug_dirs = NULL;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:s:g::qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case OPT_TOP:
			want_top = true;
			/* --top N as well as --top=N */
			if (!optarg && optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9')
				optarg = argv[optind++];
			if (optarg && parse_int(optarg, 0, 1000000, &ro.top_n)) {
				msg_error("report", "bad count '%s' for --top", optarg);
				msg_hint("a number of functions, 0 for all");
				goto out;
			}
			break;
		case OPT_CUM:
			ro.cum = true;
			break;
		case OPT_TREE:
			view = VIEW_TREE;
			nviews++;
			break;
		case OPT_LIST:
			view = VIEW_LIST;
			nviews++;
			if (has_list)
				regfree(&list_re);
			has_list = false;
			if (compile_re(&list_re, optarg, "--list"))
				goto out;
			has_list = true;
			ro.list_src = optarg;
			break;
		case OPT_FOLDED:
			view = VIEW_FOLDED;
			nviews++;
			break;
		case OPT_FLAME:
			view = VIEW_FLAME;
			nviews++;
			flame_out = optarg;
			break;
		case 's':
			if (report_sort_check(optarg, err, sizeof(err))) {
				msg_error("report", "%s", err);
				msg_hint("sort keys: comm, pid, tid, cpu, dso, sym, srcline");
				goto out;
			}
			ro.sort = optarg;
			break;
		case OPT_PID:
		case OPT_TID:
		case OPT_CPU: {
			struct int_list *l = c == OPT_PID ? &po.pids : c == OPT_TID ? &po.tids : &po.cpus;
			const char *what = c == OPT_PID ? "--pid" : c == OPT_TID ? "--tid" : "--cpu";

			int_list_fini(l);
			if (int_list_parse(l, optarg, 0, c == OPT_CPU ? 65535 : 0x7fffffff)) {
				msg_error("report", "bad list '%s' for %s", optarg, what);
				msg_hint("numbers and ranges, like 1,3-5");
				goto out;
			}
			break;
		}
		case OPT_COMM:
		case OPT_DSO:
			if (names_parse(c == OPT_COMM ? &comms : &dsos, optarg)) {
				msg_error("report", "bad list '%s' for %s", optarg,
					  c == OPT_COMM ? "--comm" : "--dso");
				goto out;
			}
			break;
		case OPT_FOCUS:
			focus = optarg;
			break;
		case OPT_IGNORE:
			ignore = optarg;
			break;
		case OPT_NO_INLINE:
			po.no_inline = true;
			break;
		case OPT_NO_CHILDREN:
			ro.children = false;
			break;
		case OPT_PERCENT:
			if (parse_double(optarg, 0, 100, &ro.percent_limit)) {
				msg_error("report", "bad percentage '%s' for --percent-limit", optarg);
				msg_hint("a number from 0 to 100");
				goto out;
			}
			ro.percent_limit_set = true;
			break;
		case OPT_STDIO:
			break;
		case 'g':
		case OPT_CALL_GRAPH:
			if (parse_call_graph(optarg, &ro)) {
				msg_error("report", "bad call-graph order '%s' for --call-graph", optarg);
				msg_hint("caller or callee, optionally with a percentage: caller,0.5");
				goto out;
			}
			break;
		case OPT_EVENT:
			if (!*optarg) {
				msg_error("report", "empty event name for --event");
				goto out;
			}
			event = optarg;
			break;
		case OPT_KALLSYMS:
			po.kallsyms = optarg;
			break;
		case OPT_SOURCE_PATH:
			ro.source_path = optarg;
			break;
		case OPT_DEBUG_DIR:
			free(debug_dirs);
			debug_dirs = absolute_dirs(optarg);
			if (!debug_dirs) {
				msg_error("report", "out of memory");
				rc = EXIT_FAIL;
				goto out;
			}
			po.debug_dirs = debug_dirs;
			break;
		case 'q':
			msg_set_quiet(true);
			break;
		case 'h':
			rc = cmd_help("report", usage);
			goto out;
		default:
			rc = cmd_bad_option("report", argv, optind, optopt);
			goto out;
		}
	}
	if (optind < argc) {
		msg_error("report", "unexpected argument '%s'", argv[optind]);
		msg_hint("the recording is given with -i FILE");
		goto out;
	}
	/* --top N alone is pprof's top; with --tree it limits the nodes shown */
	if (want_top && !nviews) {
		view = VIEW_TOP;
		nviews++;
	}
	if (nviews > 1 || (want_top && view != VIEW_TOP && view != VIEW_TREE)) {
		msg_error("report", "choose one of --top, --tree, --list, --folded, --flamegraph");
		goto out;
	}
	if (ro.call_graph != REPORT_CG_NONE && view != VIEW_TABLE) {
		msg_error("report", "-g/--call-graph works only with the table view");
		goto out;
	}
	if (view == VIEW_TREE && !want_top)
		ro.top_n = 0;
	if (focus) {
		if (compile_re(&focus_re, focus, "--focus"))
			goto out;
		has_focus = true;
	}
	if (ignore) {
		if (compile_re(&ignore_re, ignore, "--ignore"))
			goto out;
		has_ignore = true;
	}
	ro.list = has_list ? &list_re : NULL;
	if (!input)
		input = "perf.data";
	po.comms = comms.v;
	po.nr_comms = comms.nr;
	po.dsos = dsos.v;
	po.nr_dsos = dsos.nr;
	po.keys = PROFILE_KEY_COMM;
	if (ro.sort && strstr(ro.sort, "pid"))
		po.keys |= PROFILE_KEY_PID;
	if (ro.sort && strstr(ro.sort, "tid"))
		po.keys |= PROFILE_KEY_TID;
	if (ro.sort && strstr(ro.sort, "cpu"))
		po.keys |= PROFILE_KEY_CPU;

	rc = profile_load(input, &po, &p, err, sizeof(err));
	if (rc) {
		msg_error("report", "%s", err);
		if (rc == -ENOENT || strstr(err, "No such file"))
			msg_hint("record one with 'cperf record -g COMMAND', or name it with -i FILE");
		rc = EXIT_FAIL;
		goto out;
	}
	if (p->meta.truncated_note)
		msg_warn("report", "%s", p->meta.truncated_note);
	if (p->meta.kallsyms_note)
		msg_note("report", "%s", p->meta.kallsyms_note);
	if (ro.call_graph != REPORT_CG_NONE && !p->meta.has_callchains)
		msg_note("report", "'%s' has no call chains: no call-graph lines (record with -g)",
			 input);
	if (event) {
		struct strbuf names = STRBUF_INIT;

		for (only_event = 0; only_event < p->nr_events; only_event++)
			if (!strcmp(p->events[only_event].name, event))
				break;
		if (only_event == p->nr_events) {
			for (size_t e = 0; e < p->nr_events; e++)
				sb_printf(&names, "%s%s", e ? ", " : "", p->events[e].name);
			msg_error("report", "'%s' has no event '%s' (it has: %s)", input, event,
				  names.len ? names.buf : "none");
			sb_fini(&names);
			rc = EXIT_FAIL;
			goto out;
		}
		sb_fini(&names);
	}
	if (view != VIEW_FOLDED && view != VIEW_FLAME)
		print_header(p, input, stdout);
	if (!p->meta.nr_samples) {
		if (event) {
			msg_error("report", "event '%s' has no samples in '%s'%s", event, input,
				  p->meta.nr_filtered ? " left after the filters" : "");
			rc = EXIT_FAIL;
			goto out;
		}
		msg_note("report", "'%s' has no samples%s", input,
			 p->meta.nr_filtered ? " left after the filters" : "");
		rc = EXIT_OK;
		goto out;
	}
	rc = EXIT_OK;
	for (size_t e = 0; e < p->nr_events && rc == EXIT_OK; e++) {
		if (event && e != only_event)
			continue;
		if (!profile_total(p, 2 * e)) {
			if (event) {
				/* asked for by name: nothing to show is a failure
				 * (no flame graph file, no folded lines) */
				msg_error("report", "event '%s' has no samples in '%s'%s", event, input,
					  p->meta.nr_filtered ? " left after the filters" : "");
				rc = EXIT_FAIL;
			}
			continue;
		}
		/* one flame graph file: the first event with samples */
		if (view != VIEW_FOLDED && view != VIEW_FLAME && p->nr_events > 1 && !event)
			fprintf(stdout, "#\n# event: %s\n", p->events[e].name);
		rc = run_view(p, e, view, &ro, has_focus ? &focus_re : NULL,
			      has_ignore ? &ignore_re : NULL, flame_out, input);
		if (view == VIEW_FOLDED || view == VIEW_FLAME)
			break;
	}
out:
	profile_free(p);
	if (has_focus)
		regfree(&focus_re);
	if (has_ignore)
		regfree(&ignore_re);
	if (has_list)
		regfree(&list_re);
	names_fini(&comms);
	names_fini(&dsos);
	free(debug_dirs);
	int_list_fini(&po.pids);
	int_list_fini(&po.tids);
	int_list_fini(&po.cpus);
	return rc;
}
