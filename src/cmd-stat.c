/* cperf stat: not built yet (placeholder until its issue lands). */
#include "cmd.h"
#include "util.h"

#include <string.h>

static const char usage[] = "usage: cperf stat [-e EVENTS] [-a] [-p PID] [--] [COMMAND [ARGS...]]\n";

int cmd_stat(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cmd_help("stat", usage);
	msg_error("stat", "not built yet");
	return EXIT_FAIL;
}
