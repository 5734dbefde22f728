/* cperf convert: writes a recording (perf.data format) as a gzipped pprof
 * profile that go tool pprof reads without symbolizing anything itself. */
#include "config.h"

#include "cmd.h"
#include "convert.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD "convert"

static const char usage[] =
	"usage: cperf convert [-i FILE] [-o OUT.pb.gz] [options]\n"
	"\n"
	"  -i, --input FILE          recording to read (default perf.data; - for stdin)\n"
	"  -o, --output FILE         profile to write (default: FILE with .data replaced\n"
	"                            by .pb.gz, perf.data -> perf.pb.gz; - for stdout)\n"
	"      --labels LIST         sample labels among pid,tid,cpu,comm,thread, or all,\n"
	"                            none (default all)\n"
	"      --no-labels           same as --labels none\n"
	"      --sample-type NAME    the sample type shown by default: samples, cpu, or\n"
	"                            an event name (default: the first event)\n"
	"      --no-inline           no inlined frames\n"
	"      --no-kernel           leave kernel frames out\n"
	"      --kallsyms FILE       kernel symbols from FILE\n"
	"  -z, --compression-level N gzip level 1-9 (default 6)\n"
	"  -q, --quiet               no summary line\n"
	"  -v, --verbose             also the time spent reading, building, writing\n"
	"  -h, --help                this help (the manual page when installed)\n";

enum {
	OPT_LABELS = 256,
	OPT_NO_LABELS,
	OPT_SAMPLE_TYPE,
	OPT_NO_INLINE,
	OPT_NO_KERNEL,
	OPT_KALLSYMS,
};

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "labels", required_argument, NULL, OPT_LABELS },
	{ "no-labels", no_argument, NULL, OPT_NO_LABELS },
	{ "sample-type", required_argument, NULL, OPT_SAMPLE_TYPE },
	{ "default-sample-type", required_argument, NULL, OPT_SAMPLE_TYPE },
	{ "no-inline", no_argument, NULL, OPT_NO_INLINE },
	{ "no-kernel", no_argument, NULL, OPT_NO_KERNEL },
	{ "kallsyms", required_argument, NULL, OPT_KALLSYMS },
	{ "compression-level", required_argument, NULL, 'z' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "812 bytes", "13.5 kB", "2.31 MB" */
static void human_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes < 1000)
		snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
	else if (bytes < 1000000)
		snprintf(buf, len, "%.1f kB", (double)bytes / 1e3);
	else
		snprintf(buf, len, "%.2f MB", (double)bytes / 1e6);
}

int cmd_convert(int argc, char **argv)
{
	struct convert_options o;
	struct convert_stats st;
	const char *in = "perf.data", *out = NULL;
	char *out_alloc = NULL, err[512], bad[64];
	bool quiet = false, verbose = false;
	int c, rc;

	convert_options_init(&o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:o:z:qvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			in = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case OPT_LABELS:
			if (convert_parse_labels(optarg, &o.labels, bad, sizeof(bad))) {
				msg_error(CMD, "unknown label '%s' in --labels", bad);
				msg_hint("labels are pid, tid, cpu, comm, thread, or all, none");
				return EXIT_USAGE;
			}
			break;
		case OPT_NO_LABELS:
			o.labels = 0;
			break;
		case OPT_SAMPLE_TYPE:
			o.sample_type = optarg;
			break;
		case OPT_NO_INLINE:
			o.no_inline = true;
			break;
		case OPT_NO_KERNEL:
			o.no_kernel = true;
			break;
		case OPT_KALLSYMS:
			o.kallsyms = optarg;
			break;
		case 'z':
			if (parse_int(optarg, 1, 9, &o.level)) {
				msg_error(CMD, "invalid compression level '%s'", optarg);
				msg_hint("give a number from 1 (fastest) to 9 (smallest)");
				return EXIT_USAGE;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			return cmd_help(CMD, usage);
		default:
			return cmd_bad_option(CMD, argv, optind, optopt);
		}
	}
	if (optind < argc) {
		msg_error(CMD, "unexpected argument '%s'", argv[optind]);
		msg_hint("give the recording with -i FILE");
		return EXIT_USAGE;
	}
	if (!*in) {
		msg_error(CMD, "empty input file name");
		return EXIT_USAGE;
	}
	if (!out) {
		out_alloc = convert_default_output(in);
		if (!out_alloc) {
			msg_error(CMD, "out of memory");
			return EXIT_FAIL;
		}
		out = out_alloc;
	}
	if (!*out) {
		msg_error(CMD, "empty output file name");
		free(out_alloc);
		return EXIT_USAGE;
	}
	if (!strcmp(out, "-") && isatty(STDOUT_FILENO)) {
		msg_error(CMD, "refusing to write a gzipped profile to a terminal");
		msg_hint("redirect standard output or give -o FILE");
		free(out_alloc);
		return EXIT_USAGE;
	}
	rc = convert_to_pprof(in, out, &o, &st, err, sizeof(err));
	if (rc) {
		msg_error(CMD, "%s", err);
		if (rc == -ENOENT && !o.sample_type && !strcmp(in, "perf.data"))
			msg_hint("record one with 'cperf record', or give the recording with -i FILE");
		free(out_alloc);
		return EXIT_FAIL;
	}
	if (st.warning[0])
		msg_warn(CMD, "%s", st.warning);
	if (st.note[0] && !quiet)
		msg_note(CMD, "%s", st.note);
	if (!quiet && strcmp(out, "-")) {
		char size[32];

		human_size(size, sizeof(size), st.bytes);
		msg_note(CMD, "wrote '%s' (%s): %llu sample records as %zu samples, %zu locations, %zu functions",
			 out, size, (unsigned long long)st.records, st.samples, st.locations,
			 st.functions);
	}
	if (verbose) {
		double total = (double)(st.load_ns + st.build_ns + st.write_ns) / 1e9;

		msg_note(CMD, "read and symbolized in %.3f s, built in %.3f s, written in %.3f s: %.0f sample records/s",
			 (double)st.load_ns / 1e9, (double)st.build_ns / 1e9,
			 (double)st.write_ns / 1e9, total > 0 ? (double)st.records / total : 0.0);
	}
	free(out_alloc);
	return EXIT_OK;
}
