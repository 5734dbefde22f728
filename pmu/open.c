/* perf_event_open(2), the probe used by cperf list, and the attr dump used
 * by the golden tests (format: see pmu_open in pmu.h). */
#include "config.h"

#include "pmu.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The next dump number to try. Only a hint: O_EXCL decides, so several
 * processes dumping into one directory keep a consistent order. */
static unsigned int dump_next = 1;

static void dump_attr(const char *dir, const struct perf_event_attr *a, pid_t pid, int cpu,
		      int group_fd, unsigned long flags, int result)
{
	struct strbuf sb = STRBUF_INIT;
	char path[4096];
	int fd = -1;

	for (unsigned int tries = 0; tries < 100000; tries++, dump_next++) {
		snprintf(path, sizeof(path), "%s/attr-%04u", dir, dump_next);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return; /* a test will notice the missing file */
	dump_next++;
#define U(f) sb_printf(&sb, "%s = %llu\n", #f, (unsigned long long)a->f)
	sb_printf(&sb, "pid = %d\ncpu = %d\ngroup_fd = %d\nflags = %lu\n", (int)pid, cpu, group_fd,
		  flags);
	U(type);
	U(size);
	U(config);
	if (a->freq)
		U(sample_freq);
	else
		U(sample_period);
	U(sample_type);
	U(read_format);
	U(disabled);
	U(inherit);
	U(pinned);
	U(exclusive);
	U(exclude_user);
	U(exclude_kernel);
	U(exclude_hv);
	U(exclude_idle);
	U(mmap);
	U(comm);
	U(freq);
	U(inherit_stat);
	U(enable_on_exec);
	U(task);
	U(watermark);
	U(precise_ip);
	U(mmap_data);
	U(sample_id_all);
	U(exclude_host);
	U(exclude_guest);
	U(exclude_callchain_kernel);
	U(exclude_callchain_user);
	U(mmap2);
	U(comm_exec);
	U(use_clockid);
	U(context_switch);
	U(write_backward);
	U(namespaces);
	U(ksymbol);
	U(bpf_event);
	U(aux_output);
	U(cgroup);
	U(text_poke);
	U(build_id);
	U(inherit_thread);
	U(remove_on_exec);
	U(sigtrap);
	U(wakeup_events);
	U(bp_type);
	U(config1);
	U(config2);
	/* the same unions under their breakpoint names */
	U(bp_addr);
	U(bp_len);
	U(branch_sample_type);
	U(sample_regs_user);
	U(sample_stack_user);
	sb_printf(&sb, "clockid = %d\n", a->clockid);
	U(sample_regs_intr);
	U(aux_watermark);
	U(sample_max_stack);
	U(aux_sample_size);
	U(sig_data);
#undef U
	sb_printf(&sb, "result = %d\n", result);
	if (sb.buf)
		write_full(fd, sb.buf, sb.len);
	close(fd);
	sb_fini(&sb);
}

int pmu_open(const struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	     unsigned long flags)
{
	long fd = syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);
	int ret = fd < 0 ? -errno : (int)fd;
	const char *dir = getenv("CPERF_ATTR_DUMP");

	if (dir && *dir) {
		dump_attr(dir, attr, pid, cpu, group_fd, flags, ret < 0 ? ret : 0);
		if (ret < 0)
			errno = -ret;
	}
	return ret;
}

int pmu_probe(const struct perf_event_attr *attr)
{
	struct perf_event_attr a = *attr;
	int fd;

	a.size = sizeof(a);
	a.disabled = 1;
	fd = pmu_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd == -EACCES || fd == -EPERM) {
		/* perf_event_paranoid 2: user space only may still work */
		a.exclude_kernel = 1;
		a.exclude_hv = 1;
		fd = pmu_open(&a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	}
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
