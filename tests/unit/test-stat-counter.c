/* Unit tests for pmu/counter: scaling arithmetic, and real counters on this
 * thread (software events; hardware ones where the machine has a PMU). */
#include "counter.h"
#include "unit.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_scaling(void)
{
	struct pmu_count c = { 1000, 3000, 1000 }, a = { 0 }, d;

	/* ran a third of the time: extrapolate */
	CHECK(fabs(pmu_count_scaled(&c) - 3000) < 1e-9);
	CHECK(fabs(pmu_count_pct_running(&c) - 100.0 / 3) < 1e-9);
	c.run = c.ena;
	CHECK(fabs(pmu_count_scaled(&c) - 1000) < 1e-9);
	CHECK(fabs(pmu_count_pct_running(&c) - 100) < 1e-9);
	c.run = 0;
	CHECK(pmu_count_scaled(&c) == 0);
	c.ena = 0;
	CHECK(fabs(pmu_count_pct_running(&c) - 100) < 1e-9);
	/* run > ena can show up with rounding: never scale below the count */
	c = (struct pmu_count){ 10, 5, 6 };
	CHECK(fabs(pmu_count_scaled(&c) - 10) < 1e-9);

	pmu_count_add(&a, &(struct pmu_count){ 1, 2, 3 });
	pmu_count_add(&a, &(struct pmu_count){ 10, 20, 30 });
	CHECK(a.val == 11 && a.ena == 22 && a.run == 33);
	pmu_count_delta(&d, &a, &(struct pmu_count){ 1, 2, 3 });
	CHECK(d.val == 10 && d.ena == 20 && d.run == 30);
	/* a counter that went backwards (a task vanished) saturates at 0 */
	pmu_count_delta(&d, &(struct pmu_count){ 1, 2, 3 }, &a);
	CHECK(d.val == 0 && d.ena == 0 && d.run == 0);
}

static struct pmu_event mkev(const char *name, uint32_t type, uint64_t config, int leader)
{
	struct pmu_event e = { 0 };

	e.name = (char *)name;
	e.kind = type == PERF_TYPE_HARDWARE ? PMU_EV_HARDWARE : PMU_EV_SOFTWARE;
	e.attr.type = type;
	e.attr.size = sizeof(e.attr);
	e.attr.config = config;
	e.leader = leader;
	return e;
}

static volatile unsigned long sink;

static void burn(void)
{
	for (unsigned long i = 0; i < 20000000; i++)
		sink += i;
}

static void test_bad_targets(void)
{
	struct pmu_event ev = mkev("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0);
	struct pmu_event_list l = { &ev, 1 };
	struct pmu_counter_target t = { 0 };

	errno = 0;
	CHECK(pmu_counters_new(&l, &t) == NULL && errno == EINVAL);
	CHECK(pmu_counters_new(NULL, &t) == NULL);
	t.nr_tids = 1; /* a count without the array */
	CHECK(pmu_counters_new(&l, &t) == NULL && errno == EINVAL);
	pmu_counters_free(NULL);
}

static void test_real(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	/* {cycles,task-clock},page-faults: without a PMU the leader is
	 * unsupported and task-clock counts on its own */
	struct pmu_event evs[3] = {
		mkev("cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, 0),
		mkev("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0),
		mkev("page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 2),
	};
	struct pmu_event_list l = { evs, 3 };
	struct pmu_counter_target t = { .tids = &tid, .nr_tids = 1 };
	struct pmu_counter_failure f = { 0 };
	struct pmu_counters *c = pmu_counters_new(&l, &t);
	struct pmu_count v, v2;
	int ret;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(pmu_counters_nr_events(c), 3);
	CHECK_INT(pmu_counters_nr_cpus(c), 1);
	CHECK_INT(pmu_counters_nr_tids(c), 1);
	ret = pmu_counters_open(c, &f);
	if (ret == -EACCES || ret == -EPERM || ret == -ENOSYS) {
		pmu_counters_free(c);
		SKIP("perf_event_open is not allowed here (%s)", strerror(-ret));
	}
	CHECK_INT(ret, 0);
	CHECK(pmu_counters_supported(c, 1));
	CHECK(pmu_counters_opened(c, 1));
	if (!pmu_counters_supported(c, 0)) {
		CHECK(pmu_counters_error(c, 0) < 0);
		CHECK(!pmu_counters_opened(c, 0));
	}
	/* opened disabled: nothing counts before enable */
	burn();
	CHECK_INT(pmu_counters_read(c), 0);
	pmu_counters_sum(c, 1, -1, -1, &v);
	CHECK(v.val == 0);
	CHECK_INT(pmu_counters_enable(c), 0);
	burn();
	CHECK_INT(pmu_counters_disable(c), 0);
	CHECK_INT(pmu_counters_read(c), 0);
	pmu_counters_sum(c, 1, -1, -1, &v);
	CHECK(v.val > 1000000); /* > 1 ms of task-clock */
	CHECK(v.run > 0 && v.run <= v.ena);
	pmu_counters_sum(c, 1, 0, 0, &v2);
	CHECK(v2.val == v.val);
	/* disabled: the count stays */
	burn();
	CHECK_INT(pmu_counters_read(c), 0);
	pmu_counters_sum(c, 1, -1, -1, &v2);
	CHECK(v2.val == v.val);
	/* out-of-range indexes read as zero */
	pmu_counters_sum(c, 7, -1, -1, &v2);
	CHECK(v2.val == 0 && v2.ena == 0);
	CHECK(!pmu_counters_supported(c, 7));
	pmu_counters_free(c);
}

static void test_vanished(void)
{
	pid_t gone = fork();
	struct pmu_event ev = mkev("task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0);
	struct pmu_event_list l = { &ev, 1 };
	struct pmu_counter_target t = { .tids = &gone, .nr_tids = 1 };
	struct pmu_counter_failure f = { 0 };
	struct pmu_counters *c;

	if (gone == 0)
		_exit(0);
	if (gone < 0)
		return;
	waitpid(gone, NULL, 0);
	c = pmu_counters_new(&l, &t);
	CHECK(c != NULL);
	if (!c)
		return;
	/* every task gone: an error naming ESRCH, nothing left open */
	CHECK_INT(pmu_counters_open(c, &f), -ESRCH);
	CHECK_INT(f.err, -ESRCH);
	CHECK(!pmu_counters_opened(c, 0));
	pmu_counters_free(c);
}

int main(void)
{
	test_scaling();
	test_bad_targets();
	test_vanished();
	test_real();
	return unit_done();
}
