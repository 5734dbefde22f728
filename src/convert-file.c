/* cperf convert's file-to-file step: load a recording through the profile
 * pipeline, build the pprof profile, write it (kept apart from convert.c so
 * that the mapping itself can be unit-tested without the reader). */
#include "config.h"

#include "convert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int convert_to_pprof(const char *in_path, const char *out_path, const struct convert_options *o,
		     struct convert_stats *st, char *err, size_t errlen)
{
	struct profile_options po = { 0 };
	struct convert_stats dummy;
	struct pprof_builder *b = NULL;
	struct profile *p = NULL;
	struct pprof_stats ps;
	uint64_t t0 = now_ns(), t1, t2;
	int rc;

	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	po.keys = o->labels;
	po.no_inline = o->no_inline;
	po.no_kernel = o->no_kernel;
	po.kallsyms = o->kallsyms;
	rc = profile_load(in_path, &po, &p, err, errlen);
	if (rc)
		return rc;
	t1 = now_ns();
	st->load_ns = t1 - t0;
	st->records = p->meta.nr_samples;
	if (p->meta.truncated_note)
		snprintf(st->warning, sizeof(st->warning), "%s", p->meta.truncated_note);
	if (p->meta.kallsyms_note)
		snprintf(st->note, sizeof(st->note), "%s", p->meta.kallsyms_note);
	b = pprof_builder_new();
	if (!b) {
		rc = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = convert_profile(p, o, b, err, errlen);
	if (rc)
		goto out;
	/* the recording is no longer needed: give its memory back first */
	profile_free(p);
	p = NULL;
	t2 = now_ns();
	st->build_ns = t2 - t1;
	if (!strcmp(out_path, "-"))
		rc = pprof_write_gz_fd(b, STDOUT_FILENO, o->level);
	else
		rc = pprof_write_gz(b, out_path, o->level);
	if (rc) {
		snprintf(err, errlen, "cannot write '%s': %s", strcmp(out_path, "-") ? out_path : "standard output",
			 strerror(-rc));
		goto out;
	}
	st->write_ns = now_ns() - t2;
	pprof_get_stats(b, &ps);
	st->samples = ps.samples;
	st->locations = ps.locations;
	st->functions = ps.functions;
	st->mappings = ps.mappings;
	if (strcmp(out_path, "-")) {
		struct stat sb;

		if (!stat(out_path, &sb))
			st->bytes = (uint64_t)sb.st_size;
	}
out:
	pprof_builder_free(b);
	profile_free(p);
	return rc;
}
