/* Bench workload: a fixed amount of CPU work on N threads; prints its own
 * elapsed wall time, so recorder overhead is measured inside the workload
 * (PITFALLS: perf's start/exit delay must not count).
 * Usage: busy THREADS MROUNDS [flat|deep]
 * flat (default): two hot functions under one caller, a handful of stacks.
 * deep: each round descends 2 to 7 levels through six functions chosen by the
 * data, so that a long recording holds tens of thousands of distinct call
 * chains, as a real program's does (what makes a report tool work). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rounds;

__attribute__((noinline)) static uint64_t leaf_mix(uint64_t x)
{
	return x * 6364136223846793005ULL + 1442695040888963407ULL;
}

/* non-leaf hot functions, so frame-pointer chains keep their callers */
__attribute__((noinline)) static uint64_t work_a(uint64_t x)
{
	for (int i = 0; i < 500; i++)
		x = leaf_mix(x) ^ (x >> 7);
	return x;
}

__attribute__((noinline)) static uint64_t work_b(uint64_t x)
{
	for (int i = 0; i < 300; i++)
		x = leaf_mix(x) ^ (x >> 5);
	return x;
}

static uint64_t step(uint64_t x, int depth);

/* "+ 1" after the call: no tail call, so each level keeps its frame */
#define STEP(n)                                                                   \
	__attribute__((noinline)) static uint64_t step_##n(uint64_t x, int depth) \
	{                                                                         \
		for (int i = 0; i < 16 * (n + 1); i++)                            \
			x = leaf_mix(x) ^ (x >> 9);                               \
		return depth > 0 ? step(x, depth - 1) + 1 : x;                    \
	}
STEP(0)
STEP(1)
STEP(2)
STEP(3)
STEP(4)
STEP(5)

__attribute__((noinline)) static uint64_t step(uint64_t x, int depth)
{
	static uint64_t (*const fns[6])(uint64_t, int) = { step_0, step_1, step_2,
							   step_3, step_4, step_5 };

	return fns[(x >> 32) % 6](x, depth) + 1;
}

static int deep;

static void *thread_main(void *arg)
{
	uint64_t x = (uintptr_t)arg;

	for (uint64_t r = 0; r < rounds; r++)
		x = deep ? step(x, 1 + (int)((x >> 40) % 6)) : work_b(work_a(x));
	return (void *)(uintptr_t)(x & 1);
}

int main(int argc, char **argv)
{
	int nthreads = argc > 1 ? atoi(argv[1]) : 2;
	double mrounds = argc > 2 ? atof(argv[2]) : 1.0;
	pthread_t tids[64];
	struct timespec t0, t1;

	if (argc > 3)
		deep = !strcmp(argv[3], "deep") ? 1 : !strcmp(argv[3], "flat") ? 0 : -1;
	if (nthreads < 1 || nthreads > 64 || !(mrounds > 0) || deep < 0) {
		fprintf(stderr, "usage: busy THREADS MROUNDS [flat|deep]\n");
		return 2;
	}
	rounds = (uint64_t)(mrounds * 1e6);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < nthreads; i++)
		pthread_create(&tids[i], NULL, thread_main, (void *)(uintptr_t)(i + 1));
	for (int i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("busy: %.6f s\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
