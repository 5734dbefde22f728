/* Test helper: parses an event spec as -e does and prints the events, and
 * with --open opens them on itself (groups included) the way stat would, so
 * that the attr golden tests (CPERF_ATTR_DUMP) and the error-message tests
 * can drive the pmu module without a command. */
#include "config.h"

#include "pmu.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "usage: pmu-evopen [--open] [--system-wide] [--fallback] SPEC...\n";

static const char *kind_name(enum pmu_event_kind k)
{
	static const char *const names[] = {
		"hardware", "cache", "raw", "pmu", "software", "tracepoint", "breakpoint",
	};

	return (size_t)k < ARRAY_SIZE(names) ? names[k] : "?";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"open", no_argument, NULL, 'o'},
		{"system-wide", no_argument, NULL, 'a'},
		{"fallback", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct pmu_event_list list = {NULL, 0};
	struct pmu_parse_error err;
	bool do_open = false, sw = false, fallback = false;
	int opt, status = 0, *fds;

	while ((opt = getopt_long(argc, argv, "oaf", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			do_open = true;
			break;
		case 'a':
			sw = true;
			break;
		case 'f':
			fallback = true;
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind == argc) {
		fputs(usage, stderr);
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		int ret = pmu_events_parse(&list, argv[i], &err);

		if (ret) {
			msg_error("evopen", "%s", ret == -ENOMEM ? "out of memory" : err.msg);
			if (err.hint[0])
				msg_hint("%s", err.hint);
			pmu_event_list_fini(&list);
			return ret == -ENOMEM ? 1 : 2;
		}
	}
	fds = calloc(list.nr ? list.nr : 1, sizeof(*fds));
	if (!fds)
		return 1;
	for (size_t i = 0; i < list.nr; i++) {
		struct pmu_event *ev = &list.ev[i];
		int fd, group_fd;
		char hint[256];

		printf("%s %s type=%u config=%#llx leader=%d\n", ev->name, kind_name(ev->kind),
		       ev->attr.type, (unsigned long long)ev->attr.config, ev->leader);
		fds[i] = -1;
		if (!do_open)
			continue;
		group_fd = ev->leader == (int)i ? -1 : fds[ev->leader];
		ev->attr.disabled = ev->leader == (int)i;
		fd = pmu_open(&ev->attr, sw ? -1 : 0, sw ? 0 : -1, group_fd, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0 && fallback && ev->leader == (int)i && pmu_err_not_supported(fd, ev)) {
			char *old = strdup(ev->name);

			if (old && pmu_event_fallback(ev, sw) == 0) {
				msg_note("evopen",
					 "event '%s' is not supported here; using '%s' instead",
					 old, ev->name);
				fd = pmu_open(&ev->attr, sw ? -1 : 0, sw ? 0 : -1, group_fd,
					      PERF_FLAG_FD_CLOEXEC);
			}
			free(old);
		}
		if (fd < 0) {
			msg_error("evopen", "cannot open event '%s': %s", ev->name, strerror(-fd));
			if (pmu_open_hint(fd, ev, sw, hint, sizeof(hint)))
				msg_hint("%s", hint);
			status = 1;
			continue;
		}
		fds[i] = fd;
	}
	for (size_t i = 0; i < list.nr; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	pmu_event_list_fini(&list);
	return status;
}
