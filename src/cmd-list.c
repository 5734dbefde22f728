/* cperf list: every event this machine offers, one per line, with its kind,
 * a description and a mark when the kernel refuses to count it. */
#include "config.h"

#include "cmd.h"
#include "pmu.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: cperf list [-v] [hw|sw|cache|pmu|tracepoint] [GLOB]\n"
	"\n"
	"Lists the events -e accepts, one per line: name (OR alias), [kind], description,\n"
	"and [not supported] when this machine cannot count it (probed with\n"
	"perf_event_open on cperf itself).\n"
	"\n"
	"  hw, sw, cache, pmu, tracepoint   only that category (also: hardware, software,\n"
	"                                   hwcache, pfm, tracepoints)\n"
	"  GLOB                             only events whose name matches (fnmatch, case-\n"
	"                                   insensitive; a word without * ? [ matches\n"
	"                                   anywhere in the name)\n"
	"  -v, --verbose                    also the umasks of PMU events\n"
	"  -h, --help                       this help\n";

/* Names are padded to this column (perf list uses about the same). */
#define NAME_WIDTH 44

struct category {
	const char *name;
	const char *alias[3];
	enum pmu_event_kind kind;
	const char *label;
};

/* In perf list's order. */
static const struct category categories[] = {
	{"hw", {"hardware"}, PMU_EV_HARDWARE, "[Hardware event]"},
	{"sw", {"software"}, PMU_EV_SOFTWARE, "[Software event]"},
	{"cache", {"hwcache", "hw-cache"}, PMU_EV_CACHE, "[Hardware cache event]"},
	{"pmu", {"pfm"}, PMU_EV_PFM, "[PMU event]"},
	{"tracepoint", {"tracepoints", "tp"}, PMU_EV_TRACEPOINT, "[Tracepoint event]"},
};

struct list_ctx {
	const char *glob; /* NULL: everything */
	const char *label;
	size_t shown;
	bool probe;
};

static const struct category *find_category(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
		if (!strcasecmp(s, categories[i].name))
			return &categories[i];
		for (size_t a = 0; a < ARRAY_SIZE(categories[i].alias) && categories[i].alias[a];
		     a++)
			if (!strcasecmp(s, categories[i].alias[a]))
				return &categories[i];
	}
	return NULL;
}

static bool matches(const char *glob, const char *name)
{
	return name && !fnmatch(glob, name, FNM_CASEFOLD);
}

/* Prints s with control characters (from libpfm4 or tracefs) as spaces. */
static void put_clean(const char *s)
{
	for (; *s; s++)
		putchar(iscntrl((unsigned char)*s) ? ' ' : *s);
}

/* The mark for an event the kernel will not open, or "". */
static const char *probe_mark(const struct pmu_event_info *info, char *buf, size_t len)
{
	struct pmu_event ev;
	int err;

	if (!info->attr.size)
		return "";
	memset(&ev, 0, sizeof(ev));
	ev.name = (char *)info->name;
	ev.kind = info->kind;
	ev.attr = info->attr;
	ev.leader = 0;
	err = pmu_probe(&ev.attr);
	if (err == 0)
		return "";
	if (pmu_err_not_supported(err, &ev))
		return " [not supported]";
	if (err == -EACCES || err == -EPERM)
		return " [no permission]";
	snprintf(buf, len, " [cannot open: %s]", strerror(-err));
	return buf;
}

static int show(const struct pmu_event_info *info, void *arg)
{
	struct list_ctx *c = arg;
	char name[512], mark[128];
	const char *m;
	size_t w;

	if (c->glob && !matches(c->glob, info->name) && !matches(c->glob, info->alias))
		return 0;
	/* tracepoints are not probed: as root they open, and there are
	 * thousands of them */
	m = c->probe && info->kind != PMU_EV_TRACEPOINT ? probe_mark(info, mark, sizeof(mark)) : "";
	if (info->alias)
		snprintf(name, sizeof(name), "%s OR %s", info->name, info->alias);
	else
		snprintf(name, sizeof(name), "%s", info->name);
	if (info->is_umask)
		fputs("  ", stdout);
	put_clean(name);
	w = strlen(name) + (info->is_umask ? 2 : 0);
	printf("%*s %s%s", w < NAME_WIDTH ? (int)(NAME_WIDTH - w) : 0, "",
	       info->kind == PMU_EV_RAW ? "[Kernel PMU event]" : c->label, m);
	if (info->desc && *info->desc) {
		fputs("  ", stdout);
		put_clean(info->desc);
	}
	putchar('\n');
	c->shown++;
	return 0;
}

/* The fnmatch pattern for a GLOB argument: a word without glob
 * characters matches anywhere. NULL when out of memory. */
static char *make_glob(const char *arg)
{
	char *g;

	if (strpbrk(arg, "*?["))
		return strdup(arg);
	return asprintf(&g, "*%s*", arg) < 0 ? NULL : g;
}

/* Lists one category; returns 0 or the -errno from its source. */
static int list_category(const struct category *cat, struct list_ctx *c, bool verbose)
{
	c->label = cat->label;
	return pmu_events_foreach(cat->kind, verbose, show, c);
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct list_ctx c = {NULL, NULL, 0, true};
	const struct category *only = NULL;
	const char *word = NULL;
	char *glob = NULL;
	bool verbose = false;
	int opt, ret, status = EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			return cmd_help("list", usage);
		default:
			return cmd_bad_option("list", argv, optind, optopt);
		}
	}
	if (argc - optind > 2) {
		msg_error("list", "too many arguments ('%s')", argv[optind + 2]);
		msg_hint("usage: cperf list [-v] [hw|sw|cache|pmu|tracepoint] [GLOB]");
		return EXIT_USAGE;
	}
	if (optind < argc) {
		const char *a = argv[optind];

		only = find_category(a);
		if (!only && argc - optind == 2) {
			msg_error("list", "unknown event category '%s'", a);
			msg_hint("categories are hw, sw, cache, pmu and tracepoint");
			return EXIT_USAGE;
		}
		if (!only) {
			/* one word: a pattern, or (when it matches nothing)
			 * perhaps a misspelt category, judged at the end */
			glob = make_glob(a);
			if (!glob) {
				msg_error("list", "out of memory");
				return EXIT_FAIL;
			}
			word = a;
		} else if (argc - optind == 2) {
			glob = make_glob(argv[optind + 1]);
			if (!glob) {
				msg_error("list", "out of memory");
				return EXIT_FAIL;
			}
		}
	}
	c.glob = glob;
	for (size_t i = 0; i < ARRAY_SIZE(categories); i++) {
		const struct category *cat = &categories[i];

		if (only && only != cat)
			continue;
		ret = list_category(cat, &c, verbose);
		if (!ret && cat->kind == PMU_EV_HARDWARE) {
			c.label = "[Hardware breakpoint]";
			ret = pmu_events_foreach(PMU_EV_BREAKPOINT, verbose, show, &c);
		}
		if (ret && cat->kind == PMU_EV_TRACEPOINT) {
			/* say it once; the other categories are still useful */
			if (only) {
				msg_error("list",
					  "cannot list tracepoints: tracefs is not available (%s)",
					  pmu_tracefs_reason(ret));
				msg_hint("%s", pmu_tracefs_hint(ret));
				status = EXIT_FAIL;
			} else if (!glob || strchr(glob, ':')) {
				msg_warn("list",
					 "tracepoints not listed: tracefs is not available (%s)",
					 pmu_tracefs_reason(ret));
			}
		} else if (ret && cat->kind == PMU_EV_PFM) {
			if (only)
				msg_warn("list",
					 "libpfm4 could not be initialized: no PMU events listed");
		} else if (ret) {
			msg_error("list", "cannot list %s events: %s", cat->name, strerror(-ret));
			status = EXIT_FAIL;
		}
	}
	if (status == EXIT_OK && c.shown == 0 && word && !strpbrk(word, "*?[:")) {
		const char *names[ARRAY_SIZE(categories)];
		const char *best;

		for (size_t i = 0; i < ARRAY_SIZE(categories); i++)
			names[i] = categories[i].name;
		best = suggest_word(word, names, ARRAY_SIZE(names));
		if (best) {
			msg_error("list", "unknown event category '%s'", word);
			msg_hint("did you mean '%s'?", best);
			free(glob);
			return EXIT_USAGE;
		}
	}
	if (status == EXIT_OK && c.shown == 0 && glob) {
		msg_error("list", "no event matches '%s'", glob);
		msg_hint("see 'cperf list' for every event");
		status = EXIT_FAIL;
	}
	free(glob);
	return status;
}
