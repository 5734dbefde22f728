/* Turning perf_event_open errors into "not supported" decisions and one-line
 * advice, as perf's evsel__open_strerror() does. */
#include "config.h"

#include "pmu.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool freq_too_high(const struct perf_event_attr *attr, long long *max);

bool pmu_err_not_supported(int err, const struct pmu_event *ev)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
	case ENXIO:
		return true;
	case ENODEV:
		/* for a software event ENODEV means an offline CPU */
		return pmu_event_needs_pmu(ev);
	case EINVAL:
		/* a PMU that exists but has no such event; EINVAL from a
		 * too-high frequency is a usage error, not "not supported" */
		if (!pmu_event_needs_pmu(ev))
			return false;
		return !(ev->attr.freq && freq_too_high(&ev->attr, NULL));
	default:
		return false;
	}
}

/* True when attr's frequency is above perf_event_max_sample_rate (*max). */
static bool freq_too_high(const struct perf_event_attr *attr, long long *max)
{
	long long v;

	if (read_file_int("/proc/sys/kernel/perf_event_max_sample_rate", &v))
		return false;
	if (max)
		*max = v;
	return (long long)attr->sample_freq > v;
}

static long long paranoid_level(void)
{
	long long v;

	if (read_file_int("/proc/sys/kernel/perf_event_paranoid", &v))
		return 2; /* the kernel's default */
	return v;
}

bool pmu_open_hint(int err, const struct pmu_event *ev, bool system_wide, char *hint, size_t len)
{
	const char *name = ev && ev->name ? ev->name : "event";
	const struct perf_event_attr *attr = ev ? &ev->attr : NULL;
	long long v;

	if (!len)
		return false;
	hint[0] = '\0';
	if (err < 0)
		err = -err;
	switch (err) {
	case EACCES:
	case EPERM: {
		long long p = paranoid_level();

		if (system_wide && p > 0)
			snprintf(hint, len,
				 "kernel.perf_event_paranoid is %lld: system-wide profiling needs "
				 "root or CAP_PERFMON (or 'sysctl kernel.perf_event_paranoid=0')", p);
		else if (attr && attr->type == PERF_TYPE_TRACEPOINT && p > -1)
			snprintf(hint, len,
				 "kernel.perf_event_paranoid is %lld: tracepoints need root or "
				 "CAP_PERFMON (or 'sysctl kernel.perf_event_paranoid=-1')", p);
		else if (attr && !attr->exclude_kernel && p >= 2)
			snprintf(hint, len,
				 "kernel.perf_event_paranoid is %lld: counting the kernel needs root "
				 "or CAP_PERFMON; add ':u' to count user space only, or lower the setting "
				 "(sysctl kernel.perf_event_paranoid=1)", p);
		else if (p >= 3)
			snprintf(hint, len,
				 "kernel.perf_event_paranoid is %lld: only root or CAP_PERFMON may use "
				 "perf events (sysctl kernel.perf_event_paranoid=2)", p);
		else
			snprintf(hint, len,
				 "kernel.perf_event_paranoid is %lld; run as root or with CAP_PERFMON, "
				 "or check the container's seccomp profile", p);
		return true;
	}
	case ENOENT:
	case EOPNOTSUPP:
	case ENXIO:
	case ENODEV:
	case EINVAL:
		if (err == EINVAL && attr && attr->freq && freq_too_high(attr, &v)) {
			snprintf(hint, len,
				 "frequency %llu is above kernel.perf_event_max_sample_rate (%lld): "
				 "lower it or raise the setting",
				 (unsigned long long)attr->sample_freq, v);
			return true;
		}
		if (attr && attr->precise_ip && (err == EOPNOTSUPP || err == EINVAL)) {
			snprintf(hint, len,
				 "precise sampling (':p') is not available for '%s' here; drop the "
				 "'p' modifier", name);
			return true;
		}
		if (ev && pmu_event_needs_pmu(ev) && err != EINVAL) {
			snprintf(hint, len,
				 "event '%s' is not supported on this machine (no hardware PMU?); "
				 "try -e cpu-clock", name);
			return true;
		}
		if (ev && pmu_event_needs_pmu(ev)) {
			snprintf(hint, len,
				 "the PMU rejected event '%s'; see 'cperf list' for the events of this "
				 "machine", name);
			return true;
		}
		if (err == ENODEV) {
			snprintf(hint, len,
				 "the CPU is offline or does not exist; see "
				 "/sys/devices/system/cpu/online");
			return true;
		}
		if (err == ENOENT && attr && attr->type == PERF_TYPE_TRACEPOINT) {
			snprintf(hint, len, "tracepoint '%s' does not exist in this kernel", name);
			return true;
		}
		if (err == EOPNOTSUPP && attr && (attr->sample_period || attr->freq)) {
			snprintf(hint, len, "event '%s' cannot be sampled here; count it with 'cperf stat'",
				 name);
			return true;
		}
		if ((err == ENOENT || err == EOPNOTSUPP) && attr &&
		    attr->type == PERF_TYPE_SOFTWARE) {
			snprintf(hint, len, "this kernel does not offer event '%s'", name);
			return true;
		}
		return false;
	case EMFILE:
		snprintf(hint, len,
			 "too many open files: each event needs one per CPU; raise the limit "
			 "with 'ulimit -n'");
		return true;
	case ENFILE:
		snprintf(hint, len, "the system's open-file table is full (fs.file-max)");
		return true;
	case EBUSY:
		snprintf(hint, len,
			 "the PMU is in use by another tool (another profiler, or the NMI watchdog: "
			 "sysctl kernel.nmi_watchdog=0)");
		return true;
	case ESRCH:
		snprintf(hint, len, "the process does not exist (any more)");
		return true;
	case EOVERFLOW:
		snprintf(hint, len,
			 "the call-chain depth is above kernel.perf_event_max_stack; lower it or raise "
			 "the setting");
		return true;
	case E2BIG:
		snprintf(hint, len, "this kernel is older than cperf's perf_event_attr");
		return true;
	case ENOSPC:
		snprintf(hint, len, "no free hardware slot (too many breakpoints or counters)");
		return true;
	case ENOSYS:
		snprintf(hint, len,
			 "this kernel has no perf_event_open(2) (CONFIG_PERF_EVENTS) or a seccomp "
			 "profile blocks it");
		return true;
	default:
		return false;
	}
}

bool pmu_task_hint(int err, pid_t tid, char *hint, size_t len)
{
	char path[64], *status = NULL, *tgid;
	long long pid = tid;
	struct stat st;

	if (err < 0)
		err = -err;
	if ((err != EACCES && err != EPERM) || tid <= 0 || !len || geteuid() == 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d", (int)tid);
	if (stat(path, &st) || st.st_uid == geteuid())
		return false;
	/* name the process, not the thread that failed */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (!read_file(path, 4096, &status, NULL)) {
		tgid = strstr(status, "\nTgid:");
		if (tgid)
			pid = strtoll(tgid + 6, NULL, 10);
		free(status);
	}
	snprintf(hint, len,
		 "process %lld belongs to another user (uid %u): profiling it needs root or "
		 "CAP_SYS_PTRACE", pid, (unsigned)st.st_uid);
	return true;
}
