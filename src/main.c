/* The cperf entry point: the command table, global options and help. */
#include "config.h"

#include "cmd.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "record", cmd_record, "sample events (with call chains) into a perf.data file or a pprof profile" },
	{ "report", cmd_report, "show a recording: top, tree, source lines, folded stacks, flame graph" },
	{ "convert", cmd_convert, "write a recording as a pprof profile (.pb.gz)" },
	{ "stat", cmd_stat, "count events for a command, processes, CPUs or the whole system" },
	{ "list", cmd_list, "list the events this machine offers" },
};

static const char usage_text[] =
	"usage: cperf [--version] [--help] COMMAND [ARGS]\n"
	"\n"
	"commands:\n";

static void print_usage(FILE *f)
{
	fputs(usage_text, f);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'cperf help COMMAND' or 'cperf COMMAND --help' shows a command's manual.\n", f);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[ARRAY_SIZE(commands) + 1];
	const char *best;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i].name;
	names[ARRAY_SIZE(commands)] = "help";
	msg_error(NULL, "'%s' is not a cperf command", name);
	best = suggest_word(name, names, ARRAY_SIZE(names));
	if (best)
		msg_hint("did you mean 'cperf %s'?", best);
	else
		msg_hint("see 'cperf --help' for the list of commands");
	return EXIT_USAGE;
}

static int help_command(int argc, char **argv)
{
	if (argc < 2)
		return cmd_help(NULL, NULL);
	if (!find_command(argv[1]))
		return unknown_command(argv[1]);
	/* every command handles --help itself: the man page or its usage */
	char *args[] = { argv[1], (char *)"--help", NULL };

	return find_command(argv[1])->fn(2, args);
}

/* Like perf's run_builtin(): a command that printed to a closed or full
 * stdout has failed, even if it did not notice. */
static int finish_stdout(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		msg_error(NULL, "write error on standard output: %s", strerror(errno ? errno : EIO));
		return status ? status : EXIT_FAIL;
	}
	return status;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	const char *arg;

	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	arg = argv[1];
	if (!strcmp(arg, "--version") || !strcmp(arg, "-v") || !strcmp(arg, "version")) {
		printf("cperf %s\n", PACKAGE_VERSION);
		return finish_stdout(EXIT_OK);
	}
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
		print_usage(stdout);
		return finish_stdout(EXIT_OK);
	}
	if (!strcmp(arg, "help"))
		return finish_stdout(help_command(argc - 1, argv + 1));
	if (arg[0] == '-') {
		msg_error(NULL, "unknown option '%s'", arg);
		msg_hint("see 'cperf --help'");
		return EXIT_USAGE;
	}
	cmd = find_command(arg);
	if (!cmd)
		return unknown_command(arg);
	return finish_stdout(cmd->fn(argc - 1, argv + 1));
}
