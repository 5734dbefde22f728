/* Bench workload: a fixed amount of CPU work on N threads; prints its own
 * elapsed wall time, so recorder overhead is measured inside the workload
 * (PITFALLS: perf's start/exit delay must not count). Usage: busy THREADS MROUNDS */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

static void *thread_main(void *arg)
{
	uint64_t x = (uintptr_t)arg;

	for (uint64_t r = 0; r < rounds; r++)
		x = work_b(work_a(x));
	return (void *)(uintptr_t)(x & 1);
}

int main(int argc, char **argv)
{
	int nthreads = argc > 1 ? atoi(argv[1]) : 2;
	double mrounds = argc > 2 ? atof(argv[2]) : 1.0;
	pthread_t tids[64];
	struct timespec t0, t1;

	if (nthreads < 1 || nthreads > 64 || !(mrounds > 0)) {
		fprintf(stderr, "usage: busy THREADS MROUNDS\n");
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
