// A workload for cperf convert: a hot always-inline helper (work::mix) inside
// two C++ callers that get 60% and 40% of the work, so that a profile shows
// inline frames, demangled names and their mangled system names.
// Usage: convert-inline [SECONDS] (default 1).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace work {

static volatile uint64_t sink;

__attribute__((noinline)) void publish(uint64_t x)
{
	sink = x;
}

static inline __attribute__((always_inline)) uint64_t mix(uint64_t x, long n)
{
	for (long i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

// The callers call publish() before the hot loop and not as a tail call, so
// that their frame is set up while mix() runs and frame-pointer chains reach
// main (GCC would otherwise set the frame up after the loop).
__attribute__((noinline)) void heavy(long n)
{
	publish(0);
	publish(mix(sink, 3 * n));
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void light(long n)
{
	publish(1);
	publish(mix(sink + 1, 2 * n));
	__asm__ volatile("" ::: "memory");
}

} // namespace work

static double now()
{
	timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	double end;

	if (!(secs > 0 && secs < 3600)) {
		fprintf(stderr, "convert-inline: bad duration '%s'\n", argv[1]);
		return 2;
	}
	end = now() + secs;
	do {
		work::heavy(100000);
		work::light(100000);
	} while (now() < end);
	return 0;
}
