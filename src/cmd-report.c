/* cperf report: not built yet (placeholder until its issue lands). */
#include "cmd.h"
#include "util.h"

#include <string.h>

static const char usage[] = "usage: cperf report [-i FILE] [--top [N]] [--tree] [--folded] [--flamegraph OUT.svg]\n";

int cmd_report(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cmd_help("report", usage);
	msg_error("report", "not built yet");
	return EXIT_FAIL;
}
