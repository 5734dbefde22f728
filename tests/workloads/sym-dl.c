/* Symbolizer e2e workload: CPU in main's own function, in a forked child that
 * exits long before any report, and in a library loaded with dlopen after
 * the start. Usage: sym-dl LIBRARY [SECONDS_EACH] */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) unsigned long sym_main_spin(double secs)
{
	volatile unsigned long x = 0;
	double end = now() + secs;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * 7;
	return x;
}

__attribute__((noinline)) unsigned long sym_child_spin(double secs)
{
	volatile unsigned long x = 1;
	double end = now() + secs;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x ^= x << 1 | (unsigned long)i;
	return x;
}

int main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 0.4;
	unsigned long (*spin)(double);
	void *h;
	pid_t pid;

	if (argc < 2)
		return 2;
	sym_main_spin(secs);
	pid = fork();
	if (pid == 0)
		_exit(sym_child_spin(secs) == 0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 1;
	h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "sym-dl: %s\n", dlerror());
		return 1;
	}
	spin = (unsigned long (*)(double))dlsym(h, "sym_dlib_spin");
	if (!spin)
		return 1;
	printf("%lu\n", spin(secs) & 1);
	dlclose(h);
	return 0;
}
