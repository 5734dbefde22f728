/* --help for every command: the man page when one can be shown, else usage. */
#include "config.h"

#include "cmd.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Runs man with the given arguments; true when it showed the page. */
static bool run_man(char *const args[])
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int devnull = open("/dev/null", 0);

		/* man's own complaints would be noise: we fall back to usage */
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		execvp("man", args);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int cmd_help(const char *name, const char *usage)
{
	char page[64], path[4096];

	snprintf(page, sizeof(page), name ? "cperf-%s" : "cperf", name);
	if (!getenv("CPERF_NO_MAN")) {
		/* the source tree's page first: it matches this binary */
		snprintf(path, sizeof(path), "%s/%s.1", CPERF_SRC_MANDIR, page);
		if (file_exists(path)) {
			char *args[] = { (char *)"man", (char *)"-l", path, NULL };

			if (run_man(args))
				return EXIT_OK;
		}
		snprintf(path, sizeof(path), "%s/man1/%s.1", CPERF_MANDIR, page);
		if (file_exists(path)) {
			char *args[] = { (char *)"man", page, NULL };

			if (run_man(args))
				return EXIT_OK;
		}
	}
	if (usage)
		fputs(usage, stdout);
	else
		printf("usage: cperf [--version] [--help] COMMAND [ARGS]\n"
		       "commands: record, report, convert, stat, list\n");
	return EXIT_OK;
}

int cmd_bad_option(const char *name, char **argv, int optind_now, int optopt_now)
{
	const char *arg = optind_now > 0 ? argv[optind_now - 1] : "";

	if (!arg)
		arg = "";
	if (!strncmp(arg, "--", 2)) {
		/* a long option: getopt sets optopt to its value (which may be a
		 * number above 255 for long-only options) when the argument is
		 * missing, and to 0 when the option is unknown */
		size_t len = strcspn(arg, "=");

		if (optopt_now)
			msg_error(name, "option '%.*s' needs an argument", (int)len, arg);
		else
			msg_error(name, "unknown option '%.*s'", (int)len, arg);
	} else if (optopt_now > 0 && optopt_now < 127 && isprint(optopt_now)) {
		msg_error(name, "unknown option or missing argument for '-%c'", optopt_now);
	} else {
		msg_error(name, "unknown option '%s'", arg);
	}
	msg_hint("see 'cperf %s --help'", name);
	return EXIT_USAGE;
}

int cmd_usage_error(const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	msg_error(name, "%s", buf);
	msg_hint("see 'cperf %s --help'", name);
	return EXIT_USAGE;
}
