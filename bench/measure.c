/* Bench helper: runs a command and writes its user+sys CPU seconds, peak
 * RSS and exit status to a file. Usage: measure RESULT COMMAND [ARGS...]
 *
 * Why not wait4() in the Python harness: a child's ru_maxrss starts at its
 * parent's resident size (fork copies the counters, exec keeps the high
 * water mark), so a 14 MB Python, or one that has read a 200 MB file,
 * would be measured instead of a small recorder. This process is small.
 * SIGINT and SIGTERM are passed on to the command, so that stopping a
 * recorder through this wrapper is the same as stopping it directly.
 * The result line: "STATUS CPU_SECONDS MAXRSS_KB", STATUS as in the shell
 * (128+N for a signal). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, orig;
	struct rusage ru;
	int status, code;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: measure RESULT COMMAND [ARGS...]\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a signal before the child's pid is known waits until it is */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 2;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_SETMASK, &orig, NULL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "measure: cannot run '%s': %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	child = pid;
	sigprocmask(SIG_SETMASK, &orig, NULL);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("measure: wait4");
			return 2;
		}
	}
	child = 0; /* reaped: its pid may be reused */
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	f = fopen(argv[1], "w");
	if (!f) {
		fprintf(stderr, "measure: cannot write '%s': %s\n", argv[1], strerror(errno));
		return 2;
	}
	fprintf(f, "%d %.6f %ld\n", code,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
		ru.ru_maxrss);
	if (fclose(f)) {
		fprintf(stderr, "measure: cannot write '%s'\n", argv[1]);
		return 2;
	}
	return code;
}
