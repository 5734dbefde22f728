/* A workload with a known CPU split: func_a, func_b and func_c get 50%, 30%
 * and 20% of the work. Usage: cpusplit [SECONDS] (default 2). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile uint64_t sink;

/* The same loop body in each function, so equal units take equal time. */
#define WORK(units)                                                        \
	do {                                                               \
		uint64_t x = sink + 1;                                     \
		for (uint64_t i = 0; i < (uint64_t)(units) * 100000; i++)   \
			x = x * 6364136223846793005ULL + 1442695040888963407ULL; \
		sink = x;                                                  \
	} while (0)

__attribute__((noinline)) void func_a(void) { WORK(5); }
__attribute__((noinline)) void func_b(void) { WORK(3); }
__attribute__((noinline)) void func_c(void) { WORK(2); }

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	double end = now() + secs;
	unsigned long rounds = 0;

	if (!(secs > 0 && secs < 3600)) {
		fprintf(stderr, "cpusplit: bad duration '%s'\n", argv[1]);
		return 2;
	}
	do {
		func_a();
		func_b();
		func_c();
		rounds++;
	} while (now() < end);
	printf("cpusplit: %lu rounds\n", rounds);
	return 0;
}
