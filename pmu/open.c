/* perf_event_open(2) and the attr dump used by the golden tests. */
#include "pmu.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

int pmu_open(const struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
	     unsigned long flags)
{
	long fd = syscall(SYS_perf_event_open, attr, pid, cpu, group_fd, flags);

	return fd < 0 ? -errno : (int)fd;
}
