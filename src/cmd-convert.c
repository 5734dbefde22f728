/* cperf convert: not built yet (placeholder until its issue lands). */
#include "cmd.h"
#include "util.h"

#include <string.h>

static const char usage[] = "usage: cperf convert [-i FILE] [-o OUT.pb.gz]\n";

int cmd_convert(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return cmd_help("convert", usage);
	msg_error("convert", "not built yet");
	return EXIT_FAIL;
}
