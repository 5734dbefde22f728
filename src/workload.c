/* Running the command that record and stat profile, for both. */
#include "config.h"

#include "workload.h"
#include "cmd.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void close_pair(int p[2])
{
	close(p[0]);
	close(p[1]);
}

/* In the child: waits for the go, then execs. Never returns. */
static void child_run(char **argv, const struct workload_opts *o, int go_fd, int err_fd)
{
	ssize_t n;
	char b;
	int e;

	/* the command gets the dispositions and mask it would have had
	 * without us; defaults first, so that a signal the unblocking lets
	 * in is not taken by the caller's handler */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, o->mask, NULL);
	/* and the fd limit it would have had */
	if (o->nofile)
		setrlimit(RLIMIT_NOFILE, o->nofile);
	n = read(go_fd, &b, 1);
	if (n < 0 || (n == 0 && !o->go_on_eof))
		_exit(127); /* the caller gave up: do not run the command */
	close(go_fd);
	/* record -o -: stdout carries the recording; the command's own
	 * output would corrupt it, so it goes to stderr */
	if (o->stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int workload_start(struct workload *w, char **argv, const struct workload_opts *o)
{
	int go[2], er[2], err;

	memset(w, 0, sizeof(*w));
	w->pid = -1;
	w->go_fd = w->err_fd = -1;
	w->go_on_eof = o->go_on_eof;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(er, O_CLOEXEC)) {
		err = -errno;
		close_pair(go);
		return err;
	}
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0) {
		err = -errno;
		close_pair(go);
		close_pair(er);
		return err;
	}
	if (w->pid == 0) {
		close(go[1]);
		close(er[0]);
		child_run(argv, o, go[0], er[1]);
	}
	close(go[0]);
	close(er[1]);
	w->go_fd = go[1];
	w->err_fd = er[0];
	return 0;
}

int workload_go(struct workload *w)
{
	char b = 'g';
	int e = 0;
	ssize_t n;

	/* with go_on_eof, EOF is the signal: no write, so no SIGPIPE if the
	 * child is gone. Otherwise a byte; a failed write leaves the child
	 * EOF, so it ends with 127, which the caller learns by reaping it */
	if (!w->go_on_eof) {
		n = write(w->go_fd, &b, 1);
		(void)n;
	}
	close(w->go_fd);
	w->go_fd = -1;
	/* the exec errno, or EOF: the close-on-exec pipe closed at exec */
	do
		n = read(w->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(w->err_fd);
	w->err_fd = -1;
	w->exec_errno = n == (ssize_t)sizeof(e) ? e : 0;
	return -w->exec_errno;
}

int workload_reap(struct workload *w, bool block, struct rusage *ru)
{
	int st;
	pid_t r;

	if (w->pid <= 0 || w->reaped)
		return 0;
	do
		r = wait4(w->pid, &st, block ? 0 : WNOHANG, ru);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == w->pid) {
		w->reaped = true;
		w->status = st;
	}
	return 0;
}

void workload_kill(struct workload *w)
{
	if (w->go_fd >= 0) {
		close(w->go_fd);
		w->go_fd = -1;
	}
	if (w->pid > 0 && !w->reaped) {
		kill(w->pid, SIGKILL);
		workload_reap(w, true, NULL);
	}
	if (w->err_fd >= 0) {
		close(w->err_fd);
		w->err_fd = -1;
	}
}

int workload_exit_code(const struct workload *w)
{
	int e = w->exec_errno;

	if (e) /* found but not runnable, or not found */
		return e == EACCES || e == ENOEXEC || e == EPERM ? 126 : 127;
	if (WIFEXITED(w->status))
		return WEXITSTATUS(w->status);
	if (WIFSIGNALED(w->status))
		return 128 + WTERMSIG(w->status);
	return EXIT_FAIL;
}
