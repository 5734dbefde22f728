/* cperf stat: count events for a command, running tasks, CPUs or the whole
 * system, and print the counts like perf stat (table, CSV, JSON, intervals,
 * -r statistics). */
#include "config.h"

#include "cmd.h"
#include "counter.h"
#include "outfile.h"
#include "pmu.h"
#include "stat.h"
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CMD "stat"
#define usage_error(...) cmd_usage_error(CMD, __VA_ARGS__)

static const char usage[] =
	"usage: cperf stat [OPTIONS] [--] [COMMAND [ARGS...]]\n"
	"\n"
	"Counts events while COMMAND runs, or for running tasks (-p, -t) or CPUs\n"
	"(-a, -C) until Ctrl-C or until COMMAND (then only a duration) ends.\n"
	"\n"
	"  -e, --event EVENTS        events to count (repeatable; 'cperf list' shows them);\n"
	"                            default task-clock, context-switches, cpu-migrations,\n"
	"                            page-faults, cycles, instructions, branches, branch-misses\n"
	"  -a, --all-cpus            count on every CPU, all tasks (system wide)\n"
	"  -C, --cpu CPUS            count on these CPUs only (0-3,5)\n"
	"  -p, --pid PIDS            attach to these processes (all their threads)\n"
	"  -t, --tid TIDS            attach to these threads\n"
	"  -i, --no-inherit          do not count child tasks of the command or targets\n"
	"  -r, --repeat N            run COMMAND N times, print means and +- stddev\n"
	"  -I, --interval-print MS   print counts every MS milliseconds (>= 10)\n"
	"      --interval-count N    stop after N intervals (with -I)\n"
	"  -A, --no-aggr             one row per CPU (with -a or -C)\n"
	"      --per-thread          one row per thread (with -p or -t)\n"
	"  -x, --field-separator SEP CSV output with separator SEP\n"
	"  -j, --json-output         one JSON object per row\n"
	"  -o, --output FILE         write the counts to FILE instead of stderr\n"
	"  -B, --big-num             thousands separators in the table (default)\n"
	"      --no-big-num          no thousands separators\n"
	"  -h, --help                show this help\n";

static const char default_events[] =
	"task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,branches,"
	"branch-misses";
static const char default_events_cpu[] =
	"cpu-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,branches,"
	"branch-misses";

struct stat_opts {
	struct pmu_event_list evs;
	bool all_cpus, no_inherit, no_aggr, per_thread, json, big_num;
	const char *cpu_list, *pid_list, *tid_list, *sep, *output;
	int repeat, interval_ms, interval_count;
	char **cmd; /* NULL-terminated, or NULL */
};

/* What the counters are attached to, resolved once. */
struct stat_target {
	struct int_list cpus; /* -a / -C */
	pid_t *tids;          /* -p / -t */
	char **tid_labels;    /* "comm-tid" for --per-thread */
	size_t nr_tids;
	bool system;          /* per CPU (pid -1) */
	bool attach;          /* -p / -t */
	char *what;           /* header: "'./bin args'", "process id '12'" */
};

/* Counts of one run (or one interval) as [unit][event]. */
struct stat_counts {
	size_t nr_units, nr_events;
	struct pmu_count *c;
	bool *supported;
};

/* -r accumulation as [unit][event]. */
struct stat_acc {
	struct stat_stats *val;
	struct pmu_count *sum;
	bool *supported;
	struct stat_stats elapsed;
	double user_s, sys_s;
	bool have_rusage;
};

/* Signals: SIGINT/SIGTERM stop counting (or are passed to the command),
 * SIGCHLD wakes the main loop. All three stay blocked except inside ppoll(),
 * so none is lost between a check and the wait. */
static volatile sig_atomic_t got_stop, forward_sig, got_chld;

static void on_signal(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	if (sig == SIGCHLD) {
		got_chld = 1;
		return;
	}
	got_stop = sig;
	/* A terminal's ^C reaches the whole process group (SI_KERNEL), the
	 * command included; a kill(2) aimed at cperf alone is passed on. */
	if (si && si->si_code != SI_KERNEL)
		forward_sig = sig;
}

static int install_signals(sigset_t *old)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGCHLD, &sa, NULL) < 0)
		return -errno;
	return 0;
}

/* ---- targets ----------------------------------------------------------- */

static char *join_args(char **argv)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; argv[i]; i++)
		sb_printf(&sb, "%s%s", i ? " " : "", argv[i]);
	return sb_detach(&sb);
}

static int push_tid(struct stat_target *t, pid_t pid, pid_t tid, size_t *cap)
{
	char path[64], *comm = NULL, *label;
	size_t len = 0;

	for (size_t i = 0; i < t->nr_tids; i++)
		if (t->tids[i] == tid)
			return 0;
	if (grow_array(&t->tids, cap, t->nr_tids + 1, sizeof(*t->tids)))
		return -ENOMEM;
	t->tid_labels = realloc(t->tid_labels, *cap * sizeof(*t->tid_labels));
	if (!t->tid_labels)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
	if (read_file(path, 256, &comm, &len) < 0)
		comm = NULL;
	if (comm && len && comm[len - 1] == '\n')
		comm[len - 1] = '\0';
	if (asprintf(&label, "%s-%d", comm && *comm ? comm : "?", (int)tid) < 0)
		label = NULL;
	free(comm);
	if (!label)
		return -ENOMEM;
	t->tids[t->nr_tids] = tid;
	t->tid_labels[t->nr_tids++] = label;
	return 0;
}

struct stat_task {
	struct stat_target *t;
	pid_t pid;
	size_t *cap;
};

static int add_thread(void *arg, int tid)
{
	const struct stat_task *k = arg;

	return push_tid(k->t, k->pid, tid, k->cap);
}

/* Every thread of process pid, from /proc/PID/task. */
static int add_process(struct stat_target *t, pid_t pid, size_t *cap)
{
	struct stat_task k = { t, pid, cap };

	return proc_for_each_thread(pid, add_thread, &k);
}

static bool task_exists(pid_t pid, bool thread)
{
	char path[64];
	char *buf = NULL;
	size_t len;
	int tgid = -1;

	/* /proc/TID answers for threads too; Tgid tells a process from a thread */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_file(path, 1 << 16, &buf, &len) < 0)
		return false;
	const char *p = strstr(buf, "\nTgid:");

	if (p)
		tgid = atoi(p + 6);
	free(buf);
	return thread || tgid == (int)pid;
}

/* Resolves -p / -t / -a / -C; returns an exit code on error, else -1. */
static int resolve_target(const struct stat_opts *o, struct stat_target *t)
{
	struct int_list l = { NULL, 0 };
	size_t cap = 0;
	int ret;

	if (o->pid_list || o->tid_list) {
		t->attach = true;
		for (int pass = 0; pass < 2; pass++) {
			const char *s = pass ? o->tid_list : o->pid_list;
			const char *what = pass ? "thread" : "process";

			if (!s)
				continue;
			ret = int_list_parse(&l, s, 1, INT_MAX);
			if (ret) {
				msg_error(CMD, "invalid %s id list '%s'", what, s);
				msg_hint("give ids separated by commas, e.g. -%c 1234,5678",
					 pass ? 't' : 'p');
				return EXIT_USAGE;
			}
			for (size_t i = 0; i < l.nr; i++) {
				if (!task_exists(l.v[i], pass)) {
					msg_error(CMD, "%s '%d' does not exist", what, l.v[i]);
					int_list_fini(&l);
					return EXIT_FAIL;
				}
				ret = pass ? push_tid(t, l.v[i], l.v[i], &cap)
					   : add_process(t, l.v[i], &cap);
				if (ret) {
					msg_error(CMD, "cannot list the threads of %s '%d': %s", what,
						  l.v[i], strerror(-ret));
					int_list_fini(&l);
					return EXIT_FAIL;
				}
			}
			int_list_fini(&l);
		}
		if (asprintf(&t->what, "%s id '%s'", o->pid_list ? "process" : "thread",
			     o->pid_list ? o->pid_list : o->tid_list) < 0)
			t->what = NULL;
	} else if (o->all_cpus || o->cpu_list) {
		struct int_list online = { NULL, 0 };

		t->system = true;
		if (int_list_online_cpus(&online)) {
			msg_error(CMD, "cannot read the online CPUs: %s", strerror(errno));
			return EXIT_FAIL;
		}
		if (o->cpu_list) {
			if (int_list_parse(&t->cpus, o->cpu_list, 0, 65535)) {
				msg_error(CMD, "invalid CPU list '%s'", o->cpu_list);
				msg_hint("give CPU numbers and ranges, e.g. -C 0-3,5");
				int_list_fini(&online);
				return EXIT_USAGE;
			}
			for (size_t i = 0; i < t->cpus.nr; i++) {
				if (!int_list_has(&online, t->cpus.v[i])) {
					msg_error(CMD, "CPU %d in '-C %s' is not online", t->cpus.v[i],
						  o->cpu_list);
					msg_hint("online CPUs are listed in /sys/devices/system/cpu/online");
					int_list_fini(&online);
					return EXIT_USAGE;
				}
			}
			int_list_fini(&online);
			if (asprintf(&t->what, "'CPU(s) %s'", o->cpu_list) < 0)
				t->what = NULL;
		} else {
			t->cpus = online;
			t->what = strdup("'system wide'");
		}
	} else {
		char *args = join_args(o->cmd);

		if (!args || asprintf(&t->what, "'%s'", args) < 0)
			t->what = NULL;
		free(args);
	}
	if (!t->what) {
		msg_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	return -1;
}

static void target_fini(struct stat_target *t)
{
	int_list_fini(&t->cpus);
	for (size_t i = 0; i < t->nr_tids; i++)
		free(t->tid_labels[i]);
	free(t->tid_labels);
	free(t->tids);
	free(t->what);
}

/* How often -p/-t without a command checks that its tasks still live. */
#define LIVENESS_NS 200000000ull

/* True while a task of the target still runs (zombies count as gone), as
 * perf stat -p stops when its processes have exited. */
static bool any_task_alive(const struct stat_target *t)
{
	for (size_t i = 0; i < t->nr_tids; i++) {
		char path[64], *buf = NULL, *p;
		size_t len;
		bool alive;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)t->tids[i]);
		if (read_file(path, 4096, &buf, &len) < 0)
			continue;
		/* "pid (comm) S ...": comm may hold spaces and parentheses */
		p = strrchr(buf, ')');
		alive = p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X' && p[2] != 'x';
		free(buf);
		if (alive)
			return true;
	}
	return false;
}

/* ---- the command --------------------------------------------------------- */

/* ---- counts -------------------------------------------------------------- */

static int counts_init(struct stat_counts *sc, size_t units, size_t events)
{
	sc->nr_units = units;
	sc->nr_events = events;
	sc->c = calloc(units * events + 1, sizeof(*sc->c));
	sc->supported = calloc(units * events + 1, sizeof(*sc->supported));
	return sc->c && sc->supported ? 0 : -ENOMEM;
}

static void counts_fini(struct stat_counts *sc)
{
	free(sc->c);
	free(sc->supported);
}

/* Reads the counters' last values into sc, per output unit. */
static void counts_take(struct stat_counts *sc, const struct pmu_counters *pc, bool per_cpu,
			bool per_thread)
{
	for (size_t u = 0; u < sc->nr_units; u++) {
		for (size_t e = 0; e < sc->nr_events; e++) {
			size_t k = u * sc->nr_events + e;

			pmu_counters_sum(pc, e, per_cpu ? (long)u : -1, per_thread ? (long)u : -1,
					 &sc->c[k]);
			sc->supported[k] = pmu_counters_supported(pc, e);
		}
	}
}

static char *display_name(const struct pmu_event *ev, const struct pmu_counters *pc, size_t e)
{
	char *s;

	/* the kernel made us drop kernel counting: say so as perf does */
	if (pc && pmu_counters_user_only(pc, e) && !strchr(ev->name, ':')) {
		if (asprintf(&s, "%s:u", ev->name) < 0)
			return NULL;
		return s;
	}
	return strdup(ev->name);
}

/* Fills vals for unit u from counts (no -r statistics). */
static void vals_from_counts(struct stat_val *vals, const struct stat_counts *sc, size_t u,
			     const struct pmu_event_list *evs, char **names)
{
	for (size_t e = 0; e < sc->nr_events; e++) {
		const struct pmu_count *c = &sc->c[u * sc->nr_events + e];
		struct stat_val *v = &vals[e];

		v->name = names[e];
		v->attr = &evs->ev[e].attr;
		v->run = c->run;
		v->pcnt = pmu_count_pct_running(c);
		v->variance = 0;
		v->value = pmu_count_scaled(c);
		if (!sc->supported[u * sc->nr_events + e])
			v->state = STAT_NOT_SUPPORTED;
		else if (!c->run)
			v->state = STAT_NOT_COUNTED;
		else
			v->state = STAT_OK;
	}
}

static const char *unit_label(const struct stat_target *t, bool per_cpu, bool per_thread,
			      size_t u, char *buf, size_t len)
{
	if (per_cpu) {
		snprintf(buf, len, "CPU%d", t->cpus.v[u]);
		return buf;
	}
	if (per_thread)
		return t->tid_labels[u];
	return NULL;
}

/* ---- one run ------------------------------------------------------------- */

struct run_ctx {
	const struct stat_opts *o;
	const struct stat_target *t;
	const struct stat_printer *pr;
	const sigset_t *oldmask;
	struct rlimit nofile; /* the fd limit we started with */
	char **names;
	size_t nr_units;
	bool per_cpu, per_thread;
	/* results of the run */
	struct stat_counts counts;
	uint64_t elapsed_ns;
	struct rusage ru;
	bool have_rusage;
	bool fatal; /* stop repeating, return status as is */
	bool names_failed;
};

static void print_interval(struct run_ctx *x, struct stat_counts *prev, struct stat_counts *cur,
			   double ts, double wall_ns)
{
	size_t ne = cur->nr_events;
	struct stat_val *vals = calloc(ne + 1, sizeof(*vals));
	struct stat_counts d = *cur;
	char lab[32];

	if (!vals)
		return;
	d.c = calloc(cur->nr_units * ne + 1, sizeof(*d.c));
	if (!d.c) {
		free(vals);
		return;
	}
	for (size_t k = 0; k < cur->nr_units * ne; k++)
		pmu_count_delta(&d.c[k], &cur->c[k], &prev->c[k]);
	/* like perf: each event's rows together, one per CPU or thread */
	for (size_t e = 0; e < ne; e++) {
		for (size_t u = 0; u < cur->nr_units; u++) {
			vals_from_counts(vals, &d, u, &x->o->evs, x->names);
			stat_print_row(x->pr, ts, unit_label(x->t, x->per_cpu, x->per_thread, u, lab,
							     sizeof(lab)),
				       vals, ne, e, wall_ns);
		}
	}
	fflush(x->pr->f);
	memcpy(prev->c, cur->c, cur->nr_units * ne * sizeof(*cur->c));
	free(d.c);
	free(vals);
}

static void open_failed(const struct run_ctx *x, const struct pmu_counter_failure *f)
{
	const struct pmu_event *ev = &x->o->evs.ev[f->event];
	char hint[512];

	if (f->err == -ESRCH) {
		msg_error(CMD, "cannot attach to %s: every thread has exited",
			  x->t->what ? x->t->what : "the target");
		return;
	}
	if (f->cpu >= 0)
		msg_error(CMD, "cannot open event '%s' on CPU %d: %s", ev->name, f->cpu,
			  strerror(-f->err));
	else if (f->tid > 0 && x->t->attach)
		msg_error(CMD, "cannot open event '%s' for thread %d: %s", ev->name, (int)f->tid,
			  strerror(-f->err));
	else
		msg_error(CMD, "cannot open event '%s': %s", ev->name, strerror(-f->err));
	if (f->tid > 0 && !x->t->system && pmu_task_hint(-f->err, f->tid, hint, sizeof(hint)))
		msg_hint("%s", hint);
	else if (pmu_open_hint(-f->err, ev, x->t->system, hint, sizeof(hint)))
		msg_hint("%s", hint);
}

/* Counts once; returns the exit code (the command's, or an error code). */
static int run_once(struct run_ctx *x, struct pmu_counters **pcp)
{
	const struct stat_opts *o = x->o;
	const struct stat_target *t = x->t;
	struct pmu_counter_target pt = { 0 };
	struct pmu_counter_failure fail = { 0 };
	struct workload ch = WORKLOAD_INIT;
	struct stat_counts prev = { 0 }, cur = { 0 };
	struct pmu_counters *pc;
	uint64_t t0, next = 0, last;
	int ret, code = EXIT_OK, intervals = 0;
	bool by_count = false, targets_gone = false;
	pid_t cpid;

	got_stop = forward_sig = got_chld = 0;
	if (o->cmd) {
		/* the command gets the fd limit we started with; it runs only
		 * on a byte on the go pipe, not on EOF (we gave up) */
		struct workload_opts wo = { .mask = x->oldmask, .nofile = &x->nofile };

		ret = workload_start(&ch, o->cmd, &wo);
		if (ret) {
			char hint[256];

			msg_error(CMD, "cannot start '%s': %s", o->cmd[0], strerror(-ret));
			if ((ret == -EMFILE || ret == -ENFILE) &&
			    pmu_open_hint(ret, NULL, false, hint, sizeof(hint)))
				msg_hint("%s", hint);
			x->fatal = true;
			return EXIT_FAIL;
		}
	}
	cpid = ch.pid;
	pt.inherit = !o->no_inherit;
	if (t->system) {
		pt.cpus = t->cpus.v;
		pt.nr_cpus = t->cpus.nr;
	} else if (t->attach) {
		pt.tids = t->tids;
		pt.nr_tids = t->nr_tids;
	} else {
		pt.tids = &cpid;
		pt.nr_tids = 1;
		pt.enable_on_exec = true;
	}
	pc = pmu_counters_new(&o->evs, &pt);
	*pcp = pc;
	if (!pc) {
		msg_error(CMD, "cannot set up counters: %s", strerror(errno));
		workload_kill(&ch);
		x->fatal = true;
		return EXIT_FAIL;
	}
	ret = pmu_counters_open(pc, &fail);
	if (ret) {
		open_failed(x, &fail);
		workload_kill(&ch);
		x->fatal = true;
		return EXIT_FAIL;
	}
	if (!x->names[0] && !x->names_failed) {
		for (size_t e = 0; e < o->evs.nr; e++) {
			x->names[e] = display_name(&o->evs.ev[e], pc, e);
			if (!x->names[e])
				x->names_failed = true;
		}
	}
	if (x->names_failed) {
		msg_error(CMD, "out of memory");
		workload_kill(&ch);
		x->fatal = true;
		return EXIT_FAIL;
	}
	if (!pt.enable_on_exec && (ret = pmu_counters_enable(pc))) {
		msg_error(CMD, "cannot enable the counters: %s", strerror(-ret));
		workload_kill(&ch);
		x->fatal = true;
		return EXIT_FAIL;
	}
	if (counts_init(&x->counts, x->nr_units, o->evs.nr) ||
	    (o->interval_ms &&
	     (counts_init(&prev, x->nr_units, o->evs.nr) ||
	      counts_init(&cur, x->nr_units, o->evs.nr)))) {
		msg_error(CMD, "out of memory");
		workload_kill(&ch);
		x->fatal = true;
		code = EXIT_FAIL;
		goto out;
	}
	t0 = now_ns();
	if (o->cmd) {
		int e = workload_go(&ch);

		if (e) {
			msg_error(CMD, "cannot run '%s': %s", o->cmd[0], strerror(-e));
			if (e == -ENOENT)
				msg_hint("check the command name and PATH");
			workload_reap(&ch, true, NULL);
			x->fatal = true;
			code = workload_exit_code(&ch);
			goto out;
		}
	}
	if (o->interval_ms) {
		if (x->pr->fmt == STAT_FMT_TABLE)
			stat_print_interval_header(x->pr, x->per_cpu, x->per_thread);
		next = t0 + (uint64_t)o->interval_ms * 1000000;
	}
	last = t0;
	for (;;) {
		struct timespec ts, *tsp = NULL;
		uint64_t now;

		if (o->cmd && got_chld) {
			got_chld = 0;
			workload_reap(&ch, false, &x->ru);
			if (ch.reaped)
				break;
		}
		if (got_stop) {
			if (!o->cmd)
				break;
			if (forward_sig) {
				kill(ch.pid, forward_sig);
				forward_sig = 0;
			}
		}
		now = now_ns();
		if (o->interval_ms && now >= next) {
			pmu_counters_read(pc);
			counts_take(&cur, pc, x->per_cpu, x->per_thread);
			print_interval(x, &prev, &cur, (double)(now - t0) / 1e9, (double)(now - last));
			last = now;
			/* stay on the grid even when a print ran late */
			while (next <= now)
				next += (uint64_t)o->interval_ms * 1000000;
			if (o->interval_count && ++intervals >= o->interval_count) {
				by_count = true;
				break;
			}
			continue;
		}
		if (t->attach && !o->cmd && !any_task_alive(t)) {
			targets_gone = true;
			break;
		}
		if (o->interval_ms || (t->attach && !o->cmd)) {
			uint64_t d = o->interval_ms ? next - now : UINT64_MAX;

			/* attached without a command: notice when the tasks are gone */
			if (t->attach && !o->cmd && d > LIVENESS_NS)
				d = LIVENESS_NS;
			ts.tv_sec = (time_t)(d / 1000000000);
			ts.tv_nsec = (long)(d % 1000000000);
			tsp = &ts;
		}
		ppoll(NULL, 0, tsp, x->oldmask);
	}
	if (!o->cmd || t->system || t->attach)
		pmu_counters_disable(pc);
	if (o->cmd && !ch.reaped) {
		/* --interval-count ended the run: the command has had its time */
		kill(ch.pid, SIGTERM);
		workload_reap(&ch, true, &x->ru);
	}
	x->elapsed_ns = now_ns() - t0;
	ret = pmu_counters_read(pc);
	if (ret) {
		msg_error(CMD, "cannot read the counters: %s", strerror(-ret));
		x->fatal = true;
		code = EXIT_FAIL;
		goto out;
	}
	counts_take(&x->counts, pc, x->per_cpu, x->per_thread);
	if (o->interval_ms && !by_count) {
		/* the last, partial interval: what counted since the last print */
		uint64_t now = now_ns();

		print_interval(x, &prev, &x->counts, (double)(now - t0) / 1e9,
			       (double)(now - last));
	}
	if (o->cmd) {
		/* the command's user and sys time, when it is what we counted */
		x->have_rusage = !t->system && !t->attach;
		if (by_count && WIFSIGNALED(ch.status) && WTERMSIG(ch.status) == SIGTERM)
			code = EXIT_OK;
		else
			code = workload_exit_code(&ch);
	}
	if ((got_stop || targets_gone) && !o->cmd)
		code = EXIT_OK;
out:
	counts_fini(&prev);
	counts_fini(&cur);
	return code;
}

/* ---- -r accumulation and the summary ----------------------------------- */

static int acc_init(struct stat_acc *a, size_t n)
{
	memset(a, 0, sizeof(*a));
	a->val = calloc(n + 1, sizeof(*a->val));
	a->sum = calloc(n + 1, sizeof(*a->sum));
	a->supported = calloc(n + 1, sizeof(*a->supported));
	return a->val && a->sum && a->supported ? 0 : -ENOMEM;
}

static void acc_fini(struct stat_acc *a)
{
	free(a->val);
	free(a->sum);
	free(a->supported);
}

static void acc_add(struct stat_acc *a, const struct run_ctx *x)
{
	const struct stat_counts *sc = &x->counts;

	for (size_t k = 0; k < sc->nr_units * sc->nr_events; k++) {
		stat_stats_add(&a->val[k], pmu_count_scaled(&sc->c[k]));
		pmu_count_add(&a->sum[k], &sc->c[k]);
		a->supported[k] = sc->supported[k];
	}
	stat_stats_add(&a->elapsed, (double)x->elapsed_ns / 1e9);
	if (x->have_rusage) {
		a->have_rusage = true;
		a->user_s = (double)x->ru.ru_utime.tv_sec + x->ru.ru_utime.tv_usec / 1e6;
		a->sys_s = (double)x->ru.ru_stime.tv_sec + x->ru.ru_stime.tv_usec / 1e6;
	}
}

static void print_summary(const struct run_ctx *x, const struct stat_acc *a, int runs)
{
	size_t ne = x->o->evs.nr;
	struct stat_val *vals = calloc(ne + 1, sizeof(*vals));
	char lab[32];

	if (!vals)
		return;
	stat_print_header(x->pr, x->t->what, runs);
	for (size_t row = 0; row < x->nr_units * ne; row++) {
		/* like perf: each event's rows together, one per CPU or thread */
		size_t u = row % x->nr_units, ev = row / x->nr_units;

		for (size_t e = 0; e < ne; e++) {
			size_t k = u * ne + e;
			struct stat_val *v = &vals[e];

			v->name = x->names[e];
			v->attr = &x->o->evs.ev[e].attr;
			v->run = a->sum[k].run / (uint64_t)runs;
			v->pcnt = pmu_count_pct_running(&a->sum[k]);
			v->value = a->val[k].mean;
			v->variance = stat_stats_rel(&a->val[k]);
			if (!a->supported[k])
				v->state = STAT_NOT_SUPPORTED;
			else if (!a->sum[k].run)
				v->state = STAT_NOT_COUNTED;
			else
				v->state = STAT_OK;
		}
		stat_print_row(x->pr, 0, unit_label(x->t, x->per_cpu, x->per_thread, u, lab,
						     sizeof(lab)),
			       vals, ne, ev, a->elapsed.mean * 1e9);
	}
	/* user and sys come from one run: perf prints them only without -r */
	stat_print_footer(x->pr, &a->elapsed, runs, a->have_rusage && runs == 1, a->user_s,
			  a->sys_s);
	free(vals);
}

/* ---- options ------------------------------------------------------------- */

enum { OPT_INTERVAL_COUNT = 256, OPT_PER_THREAD, OPT_NO_BIG_NUM };

static const struct option long_opts[] = {
	{ "event", required_argument, NULL, 'e' },
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "repeat", required_argument, NULL, 'r' },
	{ "interval-print", required_argument, NULL, 'I' },
	{ "interval-count", required_argument, NULL, OPT_INTERVAL_COUNT },
	{ "field-separator", required_argument, NULL, 'x' },
	{ "json-output", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "no-inherit", no_argument, NULL, 'i' },
	{ "no-aggr", no_argument, NULL, 'A' },
	{ "per-thread", no_argument, NULL, OPT_PER_THREAD },
	{ "big-num", no_argument, NULL, 'B' },
	{ "no-big-num", no_argument, NULL, OPT_NO_BIG_NUM },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_events(struct stat_opts *o, const char *spec)
{
	struct pmu_parse_error err = { { 0 }, { 0 } };
	int ret = pmu_events_parse(&o->evs, spec, &err);

	if (ret == -ENOMEM) {
		msg_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	if (ret) {
		msg_error(CMD, "%s", err.msg[0] ? err.msg : "invalid event list");
		if (err.hint[0])
			msg_hint("%s", err.hint);
		return EXIT_USAGE;
	}
	return -1;
}

/* Parses argv into o; returns an exit code, or -1 to go on. */
static int parse_opts(int argc, char **argv, struct stat_opts *o)
{
	int c, ret;

	o->big_num = true;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+e:aC:p:t:r:I:x:jo:iABh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			ret = parse_events(o, optarg);
			if (ret >= 0)
				return ret;
			break;
		case 'a':
			o->all_cpus = true;
			break;
		case 'C':
			o->cpu_list = optarg;
			break;
		case 'p':
			o->pid_list = optarg;
			break;
		case 't':
			o->tid_list = optarg;
			break;
		case 'r':
			if (parse_int(optarg, 1, 1000000, &o->repeat))
				return usage_error("invalid repeat count '%s': give 1 to 1000000",
						   optarg);
			break;
		case 'I':
			if (parse_int(optarg, 10, INT_MAX / 2, &o->interval_ms))
				return usage_error("invalid interval '%s': give 10 to %d milliseconds",
						   optarg, INT_MAX / 2);
			break;
		case OPT_INTERVAL_COUNT:
			if (parse_int(optarg, 1, INT_MAX, &o->interval_count))
				return usage_error("invalid interval count '%s': give 1 or more",
						   optarg);
			break;
		case 'x':
			if (!*optarg)
				return usage_error("the field separator must not be empty");
			o->sep = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'i':
			o->no_inherit = true;
			break;
		case 'A':
			o->no_aggr = true;
			break;
		case OPT_PER_THREAD:
			o->per_thread = true;
			break;
		case 'B':
			o->big_num = true;
			break;
		case OPT_NO_BIG_NUM:
			o->big_num = false;
			break;
		case 'h':
			return cmd_help(CMD, usage);
		default:
			return cmd_bad_option(CMD, argv, optind, optopt);
		}
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (o->sep && o->json)
		return usage_error("-x and -j cannot be used together");
	if (o->interval_count && !o->interval_ms)
		return usage_error("--interval-count needs -I");
	if (o->repeat > 1 && !o->cmd)
		return usage_error("-r needs a command to repeat");
	if (o->repeat > 1 && o->interval_ms)
		return usage_error("-r and -I cannot be used together");
	if ((o->pid_list || o->tid_list) && (o->all_cpus || o->cpu_list))
		return usage_error("-p/-t and -a/-C cannot be used together");
	if (o->no_aggr && !o->all_cpus && !o->cpu_list)
		return usage_error("-A needs -a or -C");
	if (o->per_thread && !o->pid_list && !o->tid_list)
		return usage_error("--per-thread needs -p or -t");
	if (o->per_thread && o->no_aggr)
		return usage_error("-A and --per-thread cannot be used together");
	if (!o->cmd && !o->pid_list && !o->tid_list && !o->all_cpus && !o->cpu_list)
		return usage_error("nothing to count: give a command, -p, -t, -a or -C");
	if (!o->evs.nr) {
		ret = parse_events(o, o->all_cpus || o->cpu_list ? default_events_cpu
								 : default_events);
		if (ret >= 0)
			return ret;
	}
	if (!o->repeat)
		o->repeat = 1;
	return -1;
}

int cmd_stat(int argc, char **argv)
{
	struct stat_opts o;
	struct stat_target t;
	struct stat_printer pr;
	struct run_ctx x;
	struct stat_acc acc;
	sigset_t oldmask;
	char **names = NULL;
	struct outfile of = { 0 };
	FILE *out = stderr;
	int code, runs = 0, err;

	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	memset(&x, 0, sizeof(x));
	memset(&acc, 0, sizeof(acc));
	code = parse_opts(argc, argv, &o);
	if (code >= 0)
		goto out_evs;
	code = resolve_target(&o, &t);
	if (code >= 0)
		goto out_target;
	if (o.output) {
		/* close-on-exec, a symlink at the path replaced rather than
		 * followed, mode 0600; renamed into place once counted */
		err = outfile_open(&of, o.output);
		if (err) {
			msg_error(CMD, "cannot write '%s': %s", o.output, strerror(-err));
			code = EXIT_FAIL;
			goto out_target;
		}
		out = of.f;
	}
	memset(&pr, 0, sizeof(pr));
	pr.f = out;
	pr.fmt = o.json ? STAT_FMT_JSON : o.sep ? STAT_FMT_CSV : STAT_FMT_TABLE;
	pr.sep = o.sep ? o.sep : ",";
	pr.big_num = o.big_num;
	pr.interval = o.interval_ms > 0;
	pr.variance = o.repeat > 1;
	pr.prefix_kind = o.no_aggr ? "cpu" : o.per_thread ? "thread" : NULL;

	x.o = &o;
	x.t = &t;
	x.pr = &pr;
	x.oldmask = &oldmask;
	x.per_cpu = o.no_aggr;
	x.per_thread = o.per_thread;
	x.nr_units = x.per_cpu ? t.cpus.nr : x.per_thread ? t.nr_tids : 1;
	names = calloc(o.evs.nr + 1, sizeof(*names));
	if (!names || acc_init(&acc, x.nr_units * o.evs.nr) ||
	    install_signals(&oldmask)) {
		msg_error(CMD, "cannot set up: %s", strerror(errno ? errno : ENOMEM));
		code = EXIT_FAIL;
		goto out_file;
	}
	x.names = names;
	/* one fd per event, CPU and thread adds up: raise the soft limit to the
	 * hard one, as perf does (the command keeps the original) */
	if (!getrlimit(RLIMIT_NOFILE, &x.nofile)) {
		struct rlimit raised = x.nofile;

		raised.rlim_cur = raised.rlim_max;
		setrlimit(RLIMIT_NOFILE, &raised);
	}
	code = EXIT_OK;
	for (int r = 0; r < o.repeat; r++) {
		struct pmu_counters *pc = NULL;

		x.fatal = false;
		x.have_rusage = false;
		code = run_once(&x, &pc);
		if (!x.fatal) {
			acc_add(&acc, &x);
			runs++;
		}
		counts_fini(&x.counts);
		memset(&x.counts, 0, sizeof(x.counts));
		pmu_counters_free(pc);
		if (x.fatal || got_stop)
			break;
	}
	if (runs && !o.interval_ms)
		print_summary(&x, &acc, runs);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
out_file:
	if (out == stderr) {
		fflush(stderr);
	} else if (!runs) {
		/* nothing was counted: no file */
		outfile_abort(&of);
	} else {
		err = outfile_commit(&of);
		if (err) {
			msg_error(CMD, "cannot write '%s': %s", o.output, strerror(-err));
			if (code == EXIT_OK)
				code = EXIT_FAIL;
		}
	}
	acc_fini(&acc);
	if (names)
		for (size_t e = 0; e < o.evs.nr; e++)
			free(names[e]);
	free(names);
out_target:
	target_fini(&t);
out_evs:
	pmu_event_list_fini(&o.evs);
	return code;
}
