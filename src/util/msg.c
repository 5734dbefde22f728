/* One-line user messages on stderr, in the project's format. */
#include "util.h"

#include <stdio.h>

static bool quiet;

void msg_set_quiet(bool q)
{
	quiet = q;
}

bool msg_quiet(void)
{
	return quiet;
}

static void vmsg(const char *cmd, const char *kind, const char *fmt, va_list ap)
{
	if (cmd)
		fprintf(stderr, "cperf %s: %s", cmd, kind);
	else
		fprintf(stderr, "cperf: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, "", fmt, ap);
	va_end(ap);
}

void msg_warn(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, "warning: ", fmt, ap);
	va_end(ap);
}

void msg_note(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vmsg(cmd, "note: ", fmt, ap);
	va_end(ap);
}

void msg_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("hint: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
