/* cperf list: not built yet (placeholder until its issue lands). */
#include "cmd.h"
#include "util.h"

#include <string.h>

static const char usage[] = "usage: cperf list [hw|sw|cache|tracepoint|pmu] [GLOB]\n";

int cmd_list(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cmd_help("list", usage);
	msg_error("list", "not built yet");
	return EXIT_FAIL;
}
