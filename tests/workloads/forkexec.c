/* A workload that forks and execs itself: the parent ("forkexec") and the
 * exec'ed child, renamed "fe-child", are each busy for the duration.
 * Usage: forkexec [SECONDS] (default 1). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile uint64_t sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((noinline)) static void fe_work(double secs)
{
	double end = now() + secs;
	uint64_t x = sink + 1;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}

int main(int argc, char **argv)
{
	double secs;
	pid_t pid;
	int st;

	if (argc > 2 && !strcmp(argv[1], "--child")) {
		prctl(PR_SET_NAME, "fe-child");
		fe_work(atof(argv[2]));
		return 0;
	}
	secs = argc > 1 ? atof(argv[1]) : 1.0;
	if (!(secs > 0 && secs < 3600)) {
		fprintf(stderr, "forkexec: bad duration\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		char arg[32];

		snprintf(arg, sizeof(arg), "%g", secs);
		execl("/proc/self/exe", argv[0], "--child", arg, (char *)NULL);
		_exit(127);
	}
	fe_work(secs);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	return 0;
}
