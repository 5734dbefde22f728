/* A workload for inline frames in reports: one hot always_inline helper
 * called from two noinline functions, caller_one doing twice the work of
 * caller_two (a 2:1 split). Usage: report-inline [SECONDS] (default 2). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile uint64_t sink;

static inline __attribute__((always_inline)) uint64_t hot_helper(uint64_t x, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

__attribute__((noinline)) void caller_one(void)
{
	sink = hot_helper(sink + 1, 200000);
}

__attribute__((noinline)) void caller_two(void)
{
	sink = hot_helper(sink + 2, 100000);
}

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
		fprintf(stderr, "report-inline: bad duration '%s'\n", argv[1]);
		return 2;
	}
	do {
		caller_one();
		caller_two();
		rounds++;
	} while (now() < end);
	printf("report-inline: %lu rounds\n", rounds);
	return 0;
}
