/* cperf record: not built yet (placeholder until its issue lands). */
#include "cmd.h"
#include "util.h"

#include <string.h>

static const char usage[] = "usage: cperf record [-e EVENTS] [-F FREQ] [-a] [-p PID] [-g] [-o FILE] [--] [COMMAND [ARGS...]]\n";

int cmd_record(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cmd_help("record", usage);
	msg_error("record", "not built yet");
	return EXIT_FAIL;
}
