/* The command that record and stat run: forked stopped before exec, let go
 * once the events are open, reaped, and its end turned into an exit code. */
#ifndef CPERF_WORKLOAD_H
#define CPERF_WORKLOAD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

/* How the command starts; what record and stat do differently. */
struct workload_opts {
	/* the signal mask the command starts with: the caller's before it
	 * blocked the signals it waits for */
	const sigset_t *mask;
	/* when set, the fd limit the command starts with (the caller may have
	 * raised its own) */
	const struct rlimit *nofile;
	/* the command's stdout goes to stderr: the caller's stdout carries data */
	bool stdout_to_stderr;
	/* workload_go() only closes the go pipe, and EOF lets the command run
	 * (no SIGPIPE when the child is already gone). Otherwise workload_go()
	 * writes a byte, and EOF alone (the caller gave up or died) ends the
	 * child with 127 before exec. */
	bool go_on_eof;
};

struct workload {
	pid_t pid;      /* -1 when there is no child */
	int go_fd;      /* write end: releases the child */
	int err_fd;     /* read end: the exec errno, or EOF when exec worked */
	int exec_errno; /* from workload_go(): why exec failed, or 0 */
	bool go_on_eof; /* from the options */
	bool reaped;
	int status;     /* the wait status, once reaped */
};

#define WORKLOAD_INIT { .pid = -1, .go_fd = -1, .err_fd = -1 }

/* Forks argv (looked up in PATH), stopped before exec until workload_go().
 * Returns 0 or -errno. Release: workload_kill (a no-op once reaped). */
int workload_start(struct workload *w, char **argv, const struct workload_opts *o);

/* Lets the child exec; waits until it has. Returns 0, or -errno of the
 * exec that failed (the child then exits 127; reap it). */
int workload_go(struct workload *w);

/* Collects the child's status (WNOHANG unless block), with its resource
 * use in ru when not NULL; w->reaped says whether it has ended. Returns 0
 * (also when already reaped or not yet ended) or -errno of wait4. */
int workload_reap(struct workload *w, bool block, struct rusage *ru);

/* Kills (SIGKILL) and reaps a child not reaped yet, closes the pipes. */
void workload_kill(struct workload *w);

/* A shell's view of how the command ended: its exit status, 128 + the
 * signal that ended it, 126 (found, not executable) or 127 (not found)
 * when exec failed, else 1. */
int workload_exit_code(const struct workload *w);

#endif
