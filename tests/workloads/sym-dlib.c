/* Symbolizer e2e workload library, loaded with dlopen: a hot exported
 * function with a forced-inline helper. */
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline __attribute__((always_inline)) unsigned long sym_dlib_inner(unsigned long x, int i)
{
	return x * 31 + (unsigned long)i; /* SYM-LINE dlib-inner */
}

unsigned long sym_dlib_spin(double secs);
__attribute__((noinline)) unsigned long sym_dlib_spin(double secs)
{
	volatile unsigned long x = 3;
	double end = now() + secs;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x = sym_dlib_inner(x, i);
	return x;
}
