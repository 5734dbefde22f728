/* A workload of named threads with a known split: "spin-long" is busy for
 * the whole duration, "spin-short" for the first half, then sleeps; the
 * main thread ("threads") waits. At the end it prints the CPU time each
 * thread had ("spin-long 1.98 spin-short 0.99"), the truth on a busy
 * machine. Usage: threads [SECONDS] (default 2). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile uint64_t sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Not a leaf, so frame-pointer chains keep the caller (PITFALLS). */
__attribute__((noinline)) static void spin_step(void)
{
	uint64_t x = sink + 1;

	for (int i = 0; i < 100000; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}

__attribute__((noinline)) static void spin_until(double end)
{
	while (now() < end)
		spin_step();
}

struct job {
	const char *name;
	double busy, total;
	double cpu; /* CPU seconds the thread had */
};

static void *run(void *arg)
{
	struct job *j = arg;
	double start = now();
	struct timespec ts;

	pthread_setname_np(pthread_self(), j->name);
	spin_until(start + j->busy);
	while (now() < start + j->total)
		usleep(10000);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	j->cpu = ts.tv_sec + ts.tv_nsec / 1e9;
	return NULL;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	struct job jobs[2] = { { "spin-long", 0, 0, 0 }, { "spin-short", 0, 0, 0 } };
	pthread_t t[2];

	if (!(secs > 0 && secs < 3600)) {
		fprintf(stderr, "threads: bad duration '%s'\n", argv[1]);
		return 2;
	}
	jobs[0].busy = jobs[0].total = secs;
	jobs[1].busy = secs / 2;
	jobs[1].total = secs;
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, run, &jobs[i])) {
			fprintf(stderr, "threads: cannot create a thread\n");
			return 1;
		}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%s %.3f %s %.3f\n", jobs[0].name, jobs[0].cpu, jobs[1].name, jobs[1].cpu);
	return 0;
}
