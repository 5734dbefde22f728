/* The library that dlopen-main loads at run time: one hot function. */
#include <stdint.h>
#include <time.h>

void dl_hot_loop(double secs);

static volatile uint64_t sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void dl_hot_loop(double secs)
{
	double end = now() + secs;
	uint64_t x = sink + 1;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}
