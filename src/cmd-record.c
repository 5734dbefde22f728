/* cperf record: sample events per CPU or per task into a perf.data file
 * (raw records from the rings, unchanged), with the command, processes,
 * threads or whole machine as the target. */
#include "config.h"

#include "cmd.h"
#include "convert.h"
#include "datafile.h"
#include "pmu.h"
#include "record.h"
#include "sampler.h"
#include "synth.h"
#include "util.h"
#include "workload.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define CMD "record"
#define usage_error(...) cmd_usage_error(CMD, __VA_ARGS__)

static const char usage[] =
	"usage: cperf record [OPTIONS] [--] [COMMAND [ARGS...]]\n"
	"\n"
	"Samples events while COMMAND runs, or for running processes (-p, -t) or\n"
	"CPUs (-a, -C) until Ctrl-C, the duration (-d) or the targets end. With\n"
	"neither a target nor a command it records the whole machine.\n"
	"\n"
	"  -e, --event EVENTS        events to sample (repeatable; default cycles,\n"
	"                            cpu-clock or task-clock without a hardware PMU)\n"
	"  -F, --freq FREQ           samples per second per CPU or task (default 4000;\n"
	"                            'max': the kernel's limit); tracepoints and\n"
	"                            breakpoints default to every hit (-c 1)\n"
	"  -c, --count PERIOD        one sample every PERIOD events (instead of -F)\n"
	"  -a, --all-cpus            every CPU, all tasks (system wide)\n"
	"  -C, --cpu CPUS            these CPUs only (0-3,5), all tasks\n"
	"  -p, --pid PIDS            these processes (every thread, and new ones)\n"
	"  -t, --tid TIDS            these threads\n"
	"  -g                        call chains from frame pointers (--call-graph fp)\n"
	"      --call-graph MODE     fp, or dwarf[,SIZE]: user stack copies of SIZE\n"
	"                            bytes (default 8192, a multiple of 8, <= 65528)\n"
	"  -o, --output FILE         the data file (default perf.data; an existing\n"
	"                            file is kept as FILE.old); X.pb.gz: a pprof\n"
	"                            profile; -: pipe format on standard output\n"
	"  -m, --mmap-pages PAGES    ring pages per CPU, a power of two (default 128,\n"
	"                            1024 with --call-graph dwarf; more at high rates)\n"
	"  -d, --duration SECONDS    stop after SECONDS\n"
	"  -i, --no-inherit          do not follow new threads and child processes\n"
	"  -q, --quiet               no notes and no summary line\n"
	"  -h, --help                show this help\n";

#define DEFAULT_FREQ 4000
#define DEFAULT_PAGES 128
#define DEFAULT_DWARF_PAGES 1024
#define MAX_PAGES (1u << 20)
#define MAX_DEFAULT_PAGES 4096
/* Rings are drained at least this often, so that a killed recorder leaves
 * recent data on disk even when the watermark is not reached. */
#define DRAIN_MS 1000

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t child_exited;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_child(int sig)
{
	(void)sig;
	child_exited = 1;
}

/* ppoll delivers the signals it unblocks only when it fails with EINTR: a
 * ring that always has data (high rates) makes it return at once, every
 * time, with SIGINT or SIGCHLD left pending. Take them by hand. */
static void take_pending_signals(const sigset_t *set)
{
	struct timespec zero = { 0, 0 };
	sigset_t pend;
	int sig;

	if (sigpending(&pend) || (!sigismember(&pend, SIGINT) && !sigismember(&pend, SIGTERM) &&
				  !sigismember(&pend, SIGCHLD)))
		return;
	while ((sig = sigtimedwait(set, NULL, &zero)) > 0) {
		if (sig == SIGCHLD)
			child_exited = 1;
		else
			stop_signal = sig;
	}
}

struct bid_seen {
	uint64_t hash;
	char *path;
};

/* The kernel addresses the samples hit (an open-addressing set): only the
 * kernel symbols around them go into the file's kallsyms snapshot. */
struct kaddr_set {
	uint64_t *slot; /* 0 = empty (0 is never a kernel address) */
	size_t nr, cap; /* cap: a power of two */
	bool full;      /* out of memory: store every kernel symbol */
};

struct rec_state {
	struct df_writer *w;
	const char *path;
	uint64_t samples, lost, throttled;
	int write_err;
	struct bid_seen *bids;
	size_t nr_bids, cap_bids;
	/* how to decode samples: one layout per event; ids to tell them apart */
	struct pmu_sample_layout *layouts;
	const struct df_event *events;
	size_t nr_events;
	bool same_layout;
	struct kaddr_set kaddrs;
};

static void kaddr_add(struct kaddr_set *k, uint64_t a)
{
	size_t i;

	if (!a || k->full)
		return;
	if ((k->nr + 1) * 2 > k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 1024;
		uint64_t *ns = calloc(ncap, sizeof(*ns));

		if (!ns) {
			k->full = true;
			return;
		}
		for (size_t j = 0; j < k->cap; j++) {
			uint64_t v = k->slot[j];

			if (!v)
				continue;
			for (i = hash_u64(v) & (ncap - 1); ns[i]; i = (i + 1) & (ncap - 1))
				;
			ns[i] = v;
		}
		free(k->slot);
		k->slot = ns;
		k->cap = ncap;
	}
	for (i = hash_u64(a) & (k->cap - 1); k->slot[i]; i = (i + 1) & (k->cap - 1))
		if (k->slot[i] == a)
			return;
	k->slot[i] = a;
	k->nr++;
}

/* The set's addresses, sorted (heap array for free()), or NULL. */
static uint64_t *kaddr_sorted(const struct kaddr_set *k, size_t *n)
{
	uint64_t *v = malloc((k->nr ? k->nr : 1) * sizeof(*v));
	size_t m = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < k->cap; i++)
		if (k->slot[i])
			v[m++] = k->slot[i];
	qsort(v, m, sizeof(*v), cmp_u64);
	*n = m;
	return v;
}

static const struct pmu_sample_layout *sample_layout(const struct rec_state *st,
						     const struct perf_event_header *h)
{
	uint64_t id;

	if (st->same_layout)
		return &st->layouts[0];
	/* IDENTIFIER is set whenever there are several events */
	if (pmu_record_id(h, &st->layouts[0], &id))
		return NULL;
	for (size_t e = 0; e < st->nr_events; e++)
		for (size_t i = 0; i < st->events[e].nr_ids; i++)
			if (st->events[e].ids[i] == id)
				return &st->layouts[e];
	return NULL;
}

/* Notes the kernel addresses of a sample: its IP when it was taken in the
 * kernel, and the kernel part of its call chain. */
static void note_kernel_addrs(struct rec_state *st, const struct perf_event_header *h)
{
	const struct pmu_sample_layout *l;
	struct pmu_sample smp;
	bool kernel;

	if (!st->layouts || st->kaddrs.full || !(l = sample_layout(st, h)) ||
	    pmu_sample_parse(h, l, &smp))
		return;
	if (smp.misc_kernel)
		kaddr_add(&st->kaddrs, smp.ip);
	kernel = false;
	for (uint64_t i = 0; i < smp.nr_callchain; i++) {
		uint64_t ip = smp.callchain[i];

		if (ip >= (uint64_t)PERF_CONTEXT_MAX) {
			kernel = ip == (uint64_t)PERF_CONTEXT_KERNEL;
			continue;
		}
		if (kernel)
			kaddr_add(&st->kaddrs, ip);
	}
}

/* Remembers the build-id of an object mapped executable, once per path
 * and build-id, for the file's build-id table (perf buildid-list). */
static void note_build_id(struct rec_state *st, const struct pmu_mmap *m)
{
	uint64_t h;

	if (!m->has_build_id || !m->build_id_size || !m->executable || m->filename[0] != '/')
		return;
	h = hash_bytes(m->filename, strlen(m->filename),
		       hash_bytes(m->build_id, m->build_id_size, 1));
	for (size_t i = 0; i < st->nr_bids; i++)
		if (st->bids[i].hash == h && !strcmp(st->bids[i].path, m->filename))
			return;
	if (grow_array(&st->bids, &st->cap_bids, st->nr_bids + 1, sizeof(*st->bids)))
		return;
	st->bids[st->nr_bids].hash = h;
	st->bids[st->nr_bids].path = strdup(m->filename);
	if (!st->bids[st->nr_bids].path)
		return;
	st->nr_bids++;
	df_writer_add_build_id(st->w, -1, m->filename, m->build_id, m->build_id_size, false);
}

/* Counts what the summary reports and writes the record unchanged. */
static int take_record(struct rec_state *st, const struct perf_event_header *h)
{
	int err;

	switch (h->type) {
	case PERF_RECORD_SAMPLE:
		st->samples++;
		note_kernel_addrs(st, h);
		break;
	case PERF_RECORD_LOST:
	case PERF_RECORD_LOST_SAMPLES: {
		struct pmu_lost l;

		if (!pmu_lost_parse(h, &l))
			st->lost += l.lost;
		break;
	}
	case PERF_RECORD_THROTTLE:
		st->throttled++;
		break;
	case PERF_RECORD_MMAP2: {
		struct pmu_mmap m;

		if (!pmu_mmap_parse(h, &m))
			note_build_id(st, &m);
		break;
	}
	default:
		break;
	}
	err = df_writer_write(st->w, h, h->size);
	if (err && !st->write_err)
		st->write_err = err;
	return err;
}

static int synth_emit(void *arg, const struct perf_event_header *rec)
{
	return take_record(arg, rec);
}

/* One pass over every ring; FINISHED_ROUND after it lets perf sort what
 * came before by time. Returns 0 or a write error. */
static int drain(struct rec_state *st, struct pmu_sampler *s)
{
	bool any = false;
	int err;

	for (size_t i = 0; i < s->nr_rings; i++) {
		struct pmu_ring *r = &s->rings[i];
		const struct perf_event_header *h;

		if (!pmu_ring_read_begin(r))
			continue;
		any = true;
		while ((h = pmu_ring_next(r)))
			if (take_record(st, h))
				break;
		pmu_ring_read_end(r);
		if (r->corrupt) {
			/* never seen from a real kernel; still, say so */
			msg_warn(CMD, "the ring of CPU %d held a malformed record; its unread data "
				 "was dropped", s->ring_cpu[i]);
			r->corrupt = false;
		}
		if (st->write_err)
			return st->write_err;
	}
	if (!any)
		return 0;
	err = df_writer_finished_round(st->w);
	if (!err)
		err = df_writer_flush(st->w);
	if (err && !st->write_err)
		st->write_err = err;
	return st->write_err;
}

/* ---- targets ---------------------------------------------------------- */

static bool pid_exists(int pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", pid);
	return access(path, F_OK) == 0;
}

struct tid_array {
	pid_t **tids;
	size_t *nr, *cap;
};

static int append_tid(void *arg, int tid)
{
	struct tid_array *a = arg;

	if (grow_array(a->tids, a->cap, *a->nr + 1, sizeof(**a->tids)))
		return -ENOMEM;
	(*a->tids)[(*a->nr)++] = tid;
	return 0;
}

/* Appends every thread of pid (from /proc/PID/task). 0 or -errno. */
static int add_threads(int pid, pid_t **tids, size_t *nr, size_t *cap)
{
	struct tid_array a = { tids, nr, cap };
	int err = proc_for_each_thread(pid, append_tid, &a);

	return err == -ENOENT ? -ESRCH : err;
}

/* Drops the CPUs of -C that are not online, with a warning each; fails
 * (with the message printed) when none is left. */
static int filter_online(struct int_list *cpus)
{
	struct int_list online = { 0 };
	size_t j = 0;

	if (int_list_online_cpus(&online))
		return 0; /* cannot tell: let the open say */
	for (size_t i = 0; i < cpus->nr; i++) {
		if (int_list_has(&online, cpus->v[i]))
			cpus->v[j++] = cpus->v[i];
		else
			msg_warn(CMD, "CPU %d is not online; skipping it", cpus->v[i]);
	}
	cpus->nr = j;
	int_list_fini(&online);
	if (!j) {
		msg_error(CMD, "none of the CPUs given with -C is online");
		msg_hint("/sys/devices/system/cpu/online lists the online CPUs");
		return -ENODEV;
	}
	return 0;
}

/* ---- the command -------------------------------------------------------- */

/* True when file names an executable, itself or found in PATH (execvp's
 * rule), so that a missing command fails before any file is touched. */
static bool command_exists(const char *file)
{
	const char *path = getenv("PATH"), *p;
	char buf[PATH_MAX];

	if (strchr(file, '/'))
		return access(file, X_OK) == 0;
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path; ; p = strchr(p, ':') + 1) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)n, p, n ? "/" : "", file) <
		    (int)sizeof(buf) && access(buf, X_OK) == 0)
			return true;
		if (!end)
			return false;
	}
}

/* ---- options ------------------------------------------------------------ */

struct rec_opts {
	struct pmu_event_list events;
	bool events_given;
	uint64_t freq;
	bool freq_given, freq_max;
	uint64_t period;
	bool system_wide;
	struct int_list cpus;
	bool cpus_given;
	struct int_list pids, tids;
	enum pmu_callchain callchain;
	uint32_t stack_size;
	const char *output;     /* the perf.data file written */
	const char *pprof;      /* -o X.pb.gz: converted to this at the end */
	char *tmp_output;       /* the temporary perf.data beside it */
	uint64_t pages;
	double duration;
	bool inherit;
	bool quiet;
	char **command;
};

enum { OPT_CALL_GRAPH = 256 };

static const struct option long_opts[] = {
	{ "event", required_argument, NULL, 'e' },
	{ "freq", required_argument, NULL, 'F' },
	{ "count", required_argument, NULL, 'c' },
	{ "all-cpus", no_argument, NULL, 'a' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tid", required_argument, NULL, 't' },
	{ "call-graph", required_argument, NULL, OPT_CALL_GRAPH },
	{ "output", required_argument, NULL, 'o' },
	{ "mmap-pages", required_argument, NULL, 'm' },
	{ "duration", required_argument, NULL, 'd' },
	{ "no-inherit", no_argument, NULL, 'i' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_event_arg(struct rec_opts *o, const char *spec)
{
	struct pmu_parse_error perr;
	int err;

	memset(&perr, 0, sizeof(perr));
	err = pmu_events_parse(&o->events, spec, &perr);
	if (err == -ENOMEM) {
		msg_error(CMD, "out of memory");
		return EXIT_FAIL;
	}
	if (err) {
		msg_error(CMD, "%s", perr.msg[0] ? perr.msg : "bad event specification");
		msg_hint("%s", perr.hint[0] ? perr.hint : "'cperf list' shows the events");
		return EXIT_USAGE;
	}
	o->events_given = true;
	return EXIT_OK;
}

static int parse_call_graph(struct rec_opts *o, const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t n = comma ? (size_t)(comma - arg) : strlen(arg);

	if (n == 2 && !strncmp(arg, "fp", 2) && !comma) {
		o->callchain = PMU_CALLCHAIN_FP;
		return EXIT_OK;
	}
	if (n == 5 && !strncmp(arg, "dwarf", 5)) {
		uint64_t size = PMU_STACK_USER_DEFAULT;

		if (comma && (parse_u64(comma + 1, 8, PMU_STACK_USER_MAX, &size) || size % 8))
			return usage_error("bad dwarf stack size '%s': a multiple of 8 from 8 "
					   "to 65528", comma + 1);
		o->callchain = PMU_CALLCHAIN_DWARF;
		o->stack_size = (uint32_t)size;
		return EXIT_OK;
	}
	return usage_error("bad call graph mode '%s': fp or dwarf[,SIZE]", arg);
}

static int parse_opts(struct rec_opts *o, int argc, char **argv)
{
	int c, ret;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+e:F:c:aC:p:t:go:m:d:iqh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			ret = parse_event_arg(o, optarg);
			if (ret)
				return ret;
			break;
		case 'F':
			if (!strcmp(optarg, "max"))
				o->freq_max = true;
			else if (parse_u64(optarg, 1, UINT32_MAX, &o->freq))
				return usage_error("bad frequency '%s': a positive number of "
						   "samples per second, or 'max'", optarg);
			o->freq_given = true;
			break;
		case 'c':
			if (parse_u64(optarg, 1, INT64_MAX, &o->period))
				return usage_error("bad sample period '%s': a positive number", optarg);
			break;
		case 'a':
			o->system_wide = true;
			break;
		case 'C':
			int_list_fini(&o->cpus);
			if (int_list_parse(&o->cpus, optarg, 0, 65535) || !o->cpus.nr)
				return usage_error("bad CPU list '%s': like 0-3,5", optarg);
			o->cpus_given = true;
			o->system_wide = true;
			break;
		case 'p':
			if (int_list_parse(&o->pids, optarg, 1, INT32_MAX) || !o->pids.nr)
				return usage_error("bad process list '%s': PIDs like 123,456", optarg);
			break;
		case 't':
			if (int_list_parse(&o->tids, optarg, 1, INT32_MAX) || !o->tids.nr)
				return usage_error("bad thread list '%s': TIDs like 123,456", optarg);
			break;
		case 'g':
			o->callchain = PMU_CALLCHAIN_FP;
			break;
		case OPT_CALL_GRAPH:
			ret = parse_call_graph(o, optarg);
			if (ret)
				return ret;
			break;
		case 'o':
			if (!*optarg)
				return usage_error("bad output file '%s'", optarg);
			o->output = optarg;
			break;
		case 'm':
			if (parse_u64(optarg, 1, MAX_PAGES, &o->pages) || (o->pages & (o->pages - 1)))
				return usage_error("bad ring size '%s': a power of two number of "
						   "pages, at most 1048576", optarg);
			break;
		case 'd':
			if (parse_double(optarg, 0.001, 31536000.0, &o->duration))
				return usage_error("bad duration '%s': seconds, like 2 or 0.5", optarg);
			break;
		case 'i':
			o->inherit = false;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			return -1;
		default:
			/* a long-only option has no letter to name */
			for (size_t i = 0; optopt >= 256 && long_opts[i].name; i++)
				if (long_opts[i].val == optopt)
					return usage_error("option '--%s' needs an argument",
							   long_opts[i].name);
			return cmd_bad_option(CMD, argv, optind, optopt);
		}
	}
	if (optind < argc)
		o->command = argv + optind;
	if (o->freq_given && o->period)
		return usage_error("%s", "-F and -c are mutually exclusive");
	if ((o->pids.nr || o->tids.nr) && o->system_wide)
		return usage_error("%s", "-p/-t and -a/-C are mutually exclusive");
	if (!o->command && !o->pids.nr && !o->tids.nr)
		o->system_wide = true;
	return EXIT_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/* Ring pages per CPU when -m is not given: perf's 512 KiB, or more when the
 * expected data rate would fill that in under half a second, so that a
 * recorder that the scheduler keeps waiting (two busy CPUs) loses nothing.
 * Only root: others are held to kernel.perf_event_mlock_kb. */
static uint64_t default_pages(const struct rec_opts *o)
{
	uint64_t base = o->callchain == PMU_CALLCHAIN_DWARF ? DEFAULT_DWARF_PAGES : DEFAULT_PAGES;
	uint64_t per = 64, rate, pages = base;
	long page = sysconf(_SC_PAGESIZE);

	if (geteuid() != 0 || page <= 0 || o->period)
		return base;
	if (o->callchain == PMU_CALLCHAIN_FP)
		per += 128; /* a typical user + kernel chain */
	if (o->callchain == PMU_CALLCHAIN_DWARF)
		per += o->stack_size + 200;
	rate = o->freq * per * o->events.nr;
	while (pages * (uint64_t)page < rate / 2 && pages < MAX_DEFAULT_PAGES)
		pages *= 2;
	return pages;
}

/* The kernel's maximum sampling rate (perf_event_max_sample_rate). */
static uint64_t max_sample_rate(void)
{
	long long v;

	if (read_file_int("/proc/sys/kernel/perf_event_max_sample_rate", &v) || v <= 0)
		return 100000;
	return (uint64_t)v;
}

/* ---- the recording ------------------------------------------------------ */

static const char *event_name(const struct pmu_event_list *l, int e)
{
	return e >= 0 && (size_t)e < l->nr && l->ev[e].name ? l->ev[e].name : "?";
}

static void open_error(const struct rec_opts *o, const struct pmu_sampler *s, int err)
{
	char hint[256];
	const struct pmu_event *ev = s->err_event >= 0 && (size_t)s->err_event < o->events.nr ?
				     &o->events.ev[s->err_event] : NULL;
	const char *what = s->err_what ? s->err_what : "open";

	if (err == -ESRCH) {
		msg_error(CMD, "the target exited before recording started");
		return;
	}
	if (!strcmp(what, "mmap")) {
		msg_error(CMD, "cannot map the ring buffer of event '%s' on CPU %d: %s",
			  event_name(&o->events, s->err_event), s->err_cpu, strerror(-err));
		msg_hint("use fewer ring pages (-m), or raise kernel.perf_event_mlock_kb");
		return;
	}
	/* a task is opened on every CPU, but the CPU is not what failed */
	if (!o->system_wide && !o->pids.nr && !o->tids.nr && o->command)
		msg_error(CMD, "cannot %s event '%s' for the command: %s",
			  strcmp(what, "open") ? "set up" : "open",
			  event_name(&o->events, s->err_event), strerror(-err));
	else if (!o->system_wide && s->err_tid > 0)
		msg_error(CMD, "cannot %s event '%s' for task %d: %s",
			  strcmp(what, "open") ? "set up" : "open",
			  event_name(&o->events, s->err_event), (int)s->err_tid, strerror(-err));
	else if (s->err_cpu >= 0)
		msg_error(CMD, "cannot %s event '%s' on CPU %d: %s", strcmp(what, "open") ? "set up" : "open",
			  event_name(&o->events, s->err_event), s->err_cpu, strerror(-err));
	else
		msg_error(CMD, "cannot open event '%s': %s", event_name(&o->events, s->err_event),
			  strerror(-err));
	if (!o->system_wide && pmu_task_hint(-err, s->err_tid, hint, sizeof(hint)))
		msg_hint("%s", hint);
	else if (ev && pmu_open_hint(-err, ev, o->system_wide, hint, sizeof(hint)))
		msg_hint("%s", hint);
}

/* The 'ulimit -n' advice after a failure that is not an event's open. */
static void fd_limit_hint(int err)
{
	char hint[256];

	if ((err == -EMFILE || err == -ENFILE) && pmu_open_hint(-err, NULL, false, hint, sizeof(hint)))
		msg_hint("%s", hint);
}

static const char *target_name(const struct rec_opts *o, char *buf, size_t len)
{
	if (o->system_wide)
		return o->cpus_given ? "cpus" : "system-wide";
	if (o->pids.nr) {
		snprintf(buf, len, "pid %d%s", o->pids.v[0], o->pids.nr > 1 ? " ..." : "");
		return buf;
	}
	if (o->tids.nr) {
		snprintf(buf, len, "tid %d%s", o->tids.v[0], o->tids.nr > 1 ? " ..." : "");
		return buf;
	}
	return "command";
}

static void write_facts(struct df_writer *w, const struct rec_opts *o,
			const struct pmu_sampler *s, const struct rec_state *st,
			uint64_t start_real, uint64_t start_mono, int argc, char **argv)
{
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	char buf[128];

	df_writer_set_host_facts(w);
	if (args) {
		args[0] = (char *)"cperf";
		for (int i = 0; i < argc; i++)
			args[i + 1] = argv[i];
		df_writer_set_cmdline(w, argc + 1, args);
		free(args);
	}
	df_writer_set_fact(w, DF_KEY_CPERF_VERSION, PACKAGE_VERSION);
	df_writer_set_fact_u64(w, DF_KEY_SAMPLES, st->samples);
	df_writer_set_fact_u64(w, DF_KEY_LOST, st->lost);
	df_writer_set_fact_u64(w, DF_KEY_THROTTLED, st->throttled);
	df_writer_set_fact_u64(w, DF_KEY_START_REALTIME, start_real);
	df_writer_set_fact_u64(w, DF_KEY_START_MONOTONIC, start_mono);
	df_writer_set_fact_u64(w, DF_KEY_DURATION, now_ns() - start_mono);
	df_writer_set_fact(w, DF_KEY_TARGET, target_name(o, buf, sizeof(buf)));
	if (s->fallback_event >= 0) {
		snprintf(buf, sizeof(buf), "%s -> %s: no hardware PMU", s->fallback_from,
			 event_name(&o->events, s->fallback_event));
		df_writer_set_fact(w, DF_KEY_FALLBACK, buf);
	}
	/* only the symbols the samples need (a few KB instead of ~1 MB per
	 * file); every symbol if the address set ran out of memory. -EPERM:
	 * kptr_restrict hides addresses; the facts are still stored. */
	if (st->kaddrs.full) {
		df_writer_snapshot_kallsyms(w);
	} else {
		size_t n = 0;
		uint64_t *addrs = kaddr_sorted(&st->kaddrs, &n);

		if (addrs)
			df_writer_snapshot_kallsyms_for(w, addrs, n);
		else
			df_writer_snapshot_kallsyms(w);
		free(addrs);
	}
}

/* Stores the tracefs formats of the recorded tracepoints, which perf needs
 * to read the file (cperf does not). Failure is a warning: the recording
 * is still whole for cperf. */
static void add_tracing_data(struct df_writer *w, const struct perf_event_attr *attrs, size_t nr,
			     const char *path)
{
	uint64_t *ids = calloc(nr ? nr : 1, sizeof(*ids));
	size_t n = 0, len = 0;
	void *buf = NULL;
	int err;

	if (!ids) {
		err = -ENOMEM;
		goto fail;
	}
	for (size_t e = 0; e < nr; e++)
		if (attrs[e].type == PERF_TYPE_TRACEPOINT)
			ids[n++] = attrs[e].config;
	if (n == 0) {
		free(ids);
		return;
	}
	err = pmu_tracing_data(ids, n, &buf, &len);
	free(ids);
	if (!err)
		err = df_writer_set_tracing_data(w, buf, len);
	free(buf);
	if (!err)
		return;
fail:
	msg_warn(CMD, "cannot store the tracepoint formats (%s): perf will not read '%s' "
		 "(cperf will)", strerror(-err), path);
}

static int add_kernel_build_id(struct df_writer *w)
{
	uint8_t id[20];
	size_t len = 0;

	if (synth_kernel_build_id(id, sizeof(id), &len) || !len)
		return -ENOENT;
	return df_writer_add_build_id(w, -1, "[kernel.kallsyms]", id, len, true);
}

static int synthesize(struct rec_state *st, const struct rec_opts *o,
		      const struct pmu_sampler *s)
{
	struct synth sy;
	int err = 0;

	synth_init(&sy, &s->attrs[0], s->nr_fds ? s->fds[0].id : 0, synth_emit, st);
	synth_kernel(&sy); /* absent when kallsyms hides addresses: perf copes */
	if (o->system_wide) {
		err = synth_all_processes(&sy);
	} else {
		for (size_t i = 0; i < o->pids.nr && !err; i++) {
			err = synth_process(&sy, o->pids.v[i]);
			if (err == -ESRCH)
				err = 0;
		}
		/* -t: the process of each thread (its maps are shared) */
		for (size_t i = 0; i < o->tids.nr && !err; i++) {
			err = synth_process(&sy, o->tids.v[i]);
			if (err == -ESRCH)
				err = 0;
		}
	}
	synth_fini(&sy);
	return st->write_err ? st->write_err : err;
}

static int ms_until(uint64_t deadline)
{
	uint64_t now = now_ns();

	if (!deadline)
		return DRAIN_MS;
	if (now >= deadline)
		return 0;
	return (deadline - now) / 1000000 + 1 < DRAIN_MS ? (int)((deadline - now) / 1000000 + 1)
							 : DRAIN_MS;
}

static int record(struct rec_opts *o, int argc, char **argv)
{
	struct pmu_sampler_opts so = { 0 };
	struct pmu_sampler s = { 0 };
	struct rec_state st = { 0 };
	struct workload ch = WORKLOAD_INIT;
	struct df_event *dev = NULL;
	struct pollfd *pfd = NULL;
	pid_t *tids = NULL;
	size_t nr_tids = 0, cap_tids = 0, nr_pfd = 0, hup = 0;
	sigset_t block, orig;
	struct sigaction sa;
	uint64_t deadline = 0, start_real, start_mono, bytes;
	bool task_mode, profile_child;
	int ret = EXIT_FAIL, err;

	/* the targets exist */
	for (size_t i = 0; i < o->pids.nr; i++) {
		if (!pid_exists(o->pids.v[i])) {
			msg_error(CMD, "no process with PID '%d'", o->pids.v[i]);
			return EXIT_FAIL;
		}
		err = add_threads(o->pids.v[i], &tids, &nr_tids, &cap_tids);
		if (err) {
			msg_error(CMD, "cannot list the threads of PID '%d': %s", o->pids.v[i],
				  strerror(-err));
			free(tids);
			return EXIT_FAIL;
		}
	}
	for (size_t i = 0; i < o->tids.nr; i++) {
		if (!pid_exists(o->tids.v[i])) {
			msg_error(CMD, "no thread with TID '%d'", o->tids.v[i]);
			free(tids);
			return EXIT_FAIL;
		}
		if (grow_array(&tids, &cap_tids, nr_tids + 1, sizeof(*tids))) {
			free(tids);
			return EXIT_FAIL;
		}
		tids[nr_tids++] = o->tids.v[i];
	}
	if (o->cpus_given && filter_online(&o->cpus)) {
		free(tids);
		return EXIT_FAIL;
	}
	if (o->command && !command_exists(o->command[0])) {
		msg_error(CMD, "cannot run '%s': %s", o->command[0], strerror(ENOENT));
		free(tids);
		return 127;
	}
	profile_child = o->command && !o->system_wide && !nr_tids;
	task_mode = !o->system_wide;

	/* signals: blocked except while waiting in ppoll, so none is missed */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &orig);

	if (o->command) {
		/* the command's stdout goes to stderr under -o -; EOF on the
		 * go pipe lets it run: with events enable_on_exec, a recorder
		 * that died has none open */
		struct workload_opts wo = {
			.mask = &orig,
			.stdout_to_stderr = !strcmp(o->output, "-"),
			.go_on_eof = true,
		};

		err = workload_start(&ch, o->command, &wo);
		if (err) {
			msg_error(CMD, "cannot start '%s': %s", o->command[0], strerror(-err));
			fd_limit_hint(err);
			goto out;
		}
		if (profile_child) {
			if (grow_array(&tids, &cap_tids, 1, sizeof(*tids)))
				goto out;
			tids[nr_tids++] = ch.pid;
		}
	}

	so.freq = o->freq;
	so.freq_given = o->freq_given;
	so.period = o->period;
	so.callchain = o->callchain;
	so.stack_size = o->stack_size;
	so.system_wide = o->system_wide;
	so.cpus = o->cpus_given ? o->cpus.v : NULL;
	so.nr_cpus = o->cpus_given ? o->cpus.nr : 0;
	so.tids = tids;
	so.nr_tids = nr_tids;
	so.inherit = o->inherit;
	so.enable_on_exec = profile_child;
	so.mmap_pages = o->pages;
	err = pmu_sampler_open(&s, &o->events, &so);
	if (err) {
		open_error(o, &s, err);
		goto out;
	}
	if (s.user_only) {
		long long par = -1;

		read_file_int("/proc/sys/kernel/perf_event_paranoid", &par);
		msg_note(CMD, "sampling user space only: kernel.perf_event_paranoid is %lld and "
			 "cperf has no CAP_PERFMON", par);
	}
	if (s.fallback_event >= 0)
		msg_note(CMD, "'%s' is not supported here (no hardware PMU); sampling '%s' instead",
			 s.fallback_from, event_name(&o->events, s.fallback_event));

	dev = calloc(o->events.nr, sizeof(*dev));
	if (!dev)
		goto out;
	for (size_t e = 0; e < o->events.nr; e++) {
		dev[e].attr = s.attrs[e];
		dev[e].name = o->events.ev[e].name;
		dev[e].ids = pmu_sampler_ids(&s, e, &dev[e].nr_ids);
		if (!dev[e].ids)
			goto out;
	}
	st.path = o->output;
	st.layouts = calloc(o->events.nr, sizeof(*st.layouts));
	if (!st.layouts)
		goto out;
	st.same_layout = true;
	for (size_t e = 0; e < o->events.nr; e++) {
		pmu_sample_layout_from_attr(&st.layouts[e], &s.attrs[e]);
		if (st.layouts[e].sample_type != st.layouts[0].sample_type)
			st.same_layout = false;
	}
	st.events = dev;
	st.nr_events = o->events.nr;
	st.w = df_writer_new(o->output, dev, o->events.nr, &err);
	if (!st.w) {
		msg_error(CMD, "cannot create '%s': %s", o->output, strerror(-err));
		fd_limit_hint(err);
		goto out;
	}
	/* first: in pipe mode perf needs the formats before any sample */
	add_tracing_data(st.w, s.attrs, o->events.nr, o->output);
	start_real = realtime_ns();
	start_mono = now_ns();
	/* before enabling, as perf does: synthesis reads all of /proc, which
	 * on a loaded machine takes long enough to overflow busy rings. A
	 * mapping made in between is missed; the synthesized records (time
	 * 0) come first in the file and in time */
	err = synthesize(&st, o, &s);
	if (st.write_err)
		goto write_failed;
	add_kernel_build_id(st.w);
	df_writer_flush(st.w);
	if (!profile_child) {
		err = pmu_sampler_enable(&s);
		if (err) {
			msg_error(CMD, "cannot enable the events: %s", strerror(-err));
			goto out;
		}
	}
	if (o->duration > 0)
		deadline = now_ns() + (uint64_t)(o->duration * 1e9);

	if (o->command) {
		int e = workload_go(&ch);

		if (e) {
			msg_error(CMD, "cannot run '%s': %s", o->command[0], strerror(-e));
			workload_reap(&ch, true, NULL);
			/* always 127, even for EACCES: the sentinel for "the
			 * command never ran" below */
			ret = 127;
			goto finish;
		}
	}

	nr_pfd = s.nr_fds;
	pfd = calloc(nr_pfd ? nr_pfd : 1, sizeof(*pfd));
	if (!pfd)
		goto out;
	for (size_t i = 0; i < nr_pfd; i++) {
		pfd[i].fd = s.fds[i].fd;
		pfd[i].events = POLLIN;
	}
	while (!stop_signal) {
		struct timespec ts;
		int ms = ms_until(deadline), n;

		if (child_exited) {
			workload_reap(&ch, false, NULL);
			if (ch.reaped)
				break;
		}
		if (deadline && !ms)
			break;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		n = ppoll(pfd, nr_pfd, &ts, &orig);
		take_pending_signals(&block);
		if (n < 0 && errno != EINTR) {
			msg_error(CMD, "poll failed: %s", strerror(errno));
			break;
		}
		if (drain(&st, &s))
			goto write_failed;
		if (n > 0 && task_mode) {
			/* a target that exited (with all its children) hangs
			 * up; when every fd has, the recording is over */
			for (size_t i = 0; i < nr_pfd; i++) {
				if (pfd[i].fd >= 0 && (pfd[i].revents & (POLLHUP | POLLERR))) {
					pfd[i].fd = -1;
					hup++;
				}
			}
			if (hup == nr_pfd && !o->command)
				break;
		}
	}
	pmu_sampler_disable(&s);
	if (drain(&st, &s))
		goto write_failed;
finish:
	write_facts(st.w, o, &s, &st, start_real, start_mono, argc, argv);
	bytes = df_writer_bytes(st.w);
	err = df_writer_close(st.w);
	st.w = NULL;
	if (err) {
		msg_error(CMD, "cannot write '%s': %s", o->output, strerror(-err));
		if (o->pprof)
			unlink(o->output);
		ret = EXIT_FAIL;
		goto out;
	}
	if (ret == 127 && o->pprof)
		unlink(o->output);
	if (ret != 127 && o->pprof) {
		struct convert_options co;
		struct convert_stats cst;
		char cerr[512], c1[160];
		const char *comments[1] = { c1 };

		snprintf(c1, sizeof(c1), "cperf record: %" PRIu64 " samples, %" PRIu64 " lost, %" PRIu64
			 " throttled", st.samples, st.lost, st.throttled);
		convert_options_init(&co);
		co.comments = comments;
		co.nr_comments = 1;
		memset(&cst, 0, sizeof(cst));
		err = convert_to_pprof(o->output, o->pprof, &co, &cst, cerr, sizeof(cerr));
		unlink(o->output);
		if (err) {
			msg_error(CMD, "%s", cerr);
			ret = EXIT_FAIL;
			goto out;
		}
		bytes = cst.bytes;
	} else {
		struct stat sb;

		if (strcmp(o->output, "-") && !stat(o->output, &sb) && S_ISREG(sb.st_mode))
			bytes = (uint64_t)sb.st_size;
	}
	if (!o->quiet && ret != 127)
		fprintf(stderr, "cperf record: %" PRIu64 " samples, %" PRIu64 " lost, %" PRIu64
			" throttled, %" PRIu64 " bytes written to '%s'\n", st.samples, st.lost,
			st.throttled, bytes, o->pprof ? o->pprof : o->output);
	if (st.lost && ret != 127)
		msg_hint("samples were lost: use a bigger ring (-m) or a lower frequency (-F)");
	if (o->command && ret != 127) {
		/* stopped by a signal or -d while the command runs: it goes too */
		if (!ch.reaped)
			kill(ch.pid, SIGTERM);
		workload_reap(&ch, true, NULL);
		ret = workload_exit_code(&ch);
	} else if (ret != 127) {
		ret = EXIT_OK;
	}
	goto out;

write_failed:
	msg_error(CMD, "cannot write '%s': %s", o->output, strerror(-st.write_err));
	if (!o->pprof)
		msg_hint("the file is valid up to the last complete record written");
	pmu_sampler_disable(&s);
	df_writer_close(st.w);
	st.w = NULL;
	if (o->pprof)
		unlink(o->output);
	ret = EXIT_FAIL;
out:
	if (st.w)
		df_writer_close(st.w);
	workload_kill(&ch);
	pmu_sampler_close(&s);
	if (dev)
		for (size_t e = 0; e < o->events.nr; e++)
			free(dev[e].ids);
	free(dev);
	free(st.layouts);
	free(st.kaddrs.slot);
	free(pfd);
	free(tids);
	for (size_t i = 0; i < st.nr_bids; i++)
		free(st.bids[i].path);
	free(st.bids);
	sigprocmask(SIG_SETMASK, &orig, NULL);
	return ret;
}

int cmd_record(int argc, char **argv)
{
	struct rec_opts o = { 0 };
	uint64_t maxrate;
	int ret;

	o.freq = DEFAULT_FREQ;
	o.output = "perf.data";
	o.inherit = true;
	ret = parse_opts(&o, argc, argv);
	if (ret == -1) {
		ret = cmd_help(CMD, usage);
		goto out;
	}
	if (ret)
		goto out;
	msg_set_quiet(o.quiet);
	if (!o.events_given) {
		ret = parse_event_arg(&o, "cycles");
		if (ret)
			goto out;
	}
	if (!o.period) {
		maxrate = max_sample_rate();
		if (o.freq_max) {
			o.freq = maxrate;
		} else if (o.freq > maxrate) {
			msg_warn(CMD, "-F %" PRIu64 " is above the kernel's maximum sample rate; "
				 "using %" PRIu64 " (kernel.perf_event_max_sample_rate)", o.freq, maxrate);
			o.freq = maxrate;
		}
	}
	if (ends_with(o.output, ".pb.gz") || ends_with(o.output, ".pb")) {
		/* record beside it, convert at the end while the processes
		 * (and their /proc entries) are still there */
		o.pprof = o.output;
		if (asprintf(&o.tmp_output, "%s.%d.tmp.data", o.pprof, (int)getpid()) < 0) {
			o.tmp_output = NULL;
			msg_error(CMD, "out of memory");
			ret = EXIT_FAIL;
			goto out;
		}
		o.output = o.tmp_output;
	}
	if (!o.pages)
		o.pages = default_pages(&o);
	if (o.callchain == PMU_CALLCHAIN_DWARF && !pmu_user_regs_mask()) {
		ret = usage_error("%s", "--call-graph dwarf is not supported on this architecture");
		goto out;
	}
	ret = record(&o, argc, argv);
out:
	pmu_event_list_fini(&o.events);
	int_list_fini(&o.cpus);
	int_list_fini(&o.pids);
	int_list_fini(&o.tids);
	free(o.tmp_output);
	return ret;
}
