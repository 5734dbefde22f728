/* Fuzz target for the whole report pipeline on a data file: profile_load()
 * (reader, decoders, address spaces, symbolizer, aggregation) on the input
 * as a perf.data file, then every text view and the pprof conversion. The
 * strongest end-to-end target: anything a hostile recording can reach. */
#include "config.h"

#include "convert.h"
#include "fuzz.h"
#include "pprof.h"
#include "profile.h"
#include "report-view.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char kallsyms[4096];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *top = getenv("top_srcdir");

	(void)argc;
	(void)argv;
	/* Kernel symbols from a fixture: the live /proc/kallsyms (used when a
	 * recording has no snapshot) would cost ~0.1 s per input. */
	snprintf(kallsyms, sizeof(kallsyms), "%s/tests/fixtures/kallsyms/normal.txt",
		 top ? top : ".");
	devnull = fopen("/dev/null", "we");
	if (!devnull)
		abort();
	return 0;
}

static void check_profile(const struct profile *p)
{
	for (size_t i = 0; i < p->nr_events; i++)
		if (!p->events[i].name)
			abort();
	for (size_t i = 0; i < p->nr_mappings; i++)
		if (!p->mappings[i].path || !p->mappings[i].build_id)
			abort();
	for (size_t i = 0; i < p->nr_locations; i++) {
		const struct profile_location *l = &p->locations[i];

		if (l->mapping != PROFILE_NO_MAPPING && l->mapping >= p->nr_mappings)
			abort();
		if (!l->nr_lines || !l->lines)
			abort();
		for (uint32_t j = 0; j < l->nr_lines; j++)
			if (!profile_line_name(&l->lines[j]) || !l->lines[j].file)
				abort();
	}
	for (size_t i = 0; i < p->nr_samples; i++) {
		const struct profile_sample *s = &p->samples[i];

		if (!s->comm || !s->thread || (p->nr_events && !s->values))
			abort();
		for (uint32_t j = 0; j < s->nr_locs; j++)
			if (s->locs[j] >= p->nr_locations)
				abort();
	}
}

static void views(const struct profile *p)
{
	struct report_opts ro;
	char err[256];

	memset(&ro, 0, sizeof(ro));
	ro.sort = "comm,dso,sym";
	for (size_t e = 0; e < p->nr_events && e < 2; e++) {
		struct rview *v = rview_new(p, e, NULL, NULL);

		if (!v)
			continue;
		report_top(v, &ro, devnull);
		report_tree(v, &ro, devnull);
		report_table(v, &ro, devnull, err, sizeof(err));
		/* the call-graph lines of both orders, every branch shown */
		ro.children = true;
		ro.call_graph = e ? REPORT_CG_CALLEE : REPORT_CG_CALLER;
		report_table(v, &ro, devnull, err, sizeof(err));
		ro.children = false;
		ro.call_graph = REPORT_CG_NONE;
		report_folded(v, devnull);
		report_flamegraph(v, devnull, "fuzz");
		rview_free(v);
	}
}

static void to_pprof(const struct profile *p)
{
	struct convert_options co;
	struct pprof_builder *b = pprof_builder_new();
	char err[256];
	void *buf = NULL;
	size_t len;

	if (!b)
		return;
	convert_options_init(&co);
	if (convert_profile(p, &co, b, err, sizeof(err)) == 0 &&
	    pprof_serialize(b, &buf, &len) == 0)
		free(buf);
	pprof_builder_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile_options o;
	struct profile *p = NULL;
	char path[64], err[512];
	int ret, fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.kallsyms = kallsyms;
	/* vary the options with the input's size */
	o.keys = (unsigned)(size >> 1) & PROFILE_KEYS_ALL;
	o.no_inline = size & 1;
	o.no_kernel = (size >> 6) & 1;
	err[0] = '\0';
	ret = profile_load(path, &o, &p, err, sizeof(err));
	if (ret) {
		if (p || !err[0] || strchr(err, '\n'))
			abort(); /* a failure is one line and no profile */
	} else {
		check_profile(p);
		views(p);
		to_pprof(p);
		profile_free(p);
	}
	close(fd);
	return 0;
}
