/* Workloads with known counts for cperf stat's tests:
 *   statwork pages N      touch N fresh pages (>= N page faults)
 *   statwork pingpong N   N pipe round trips with a child (~2N context switches)
 *   statwork spin MS      burn MS milliseconds of CPU time, print the CPU ns used
 *   statwork threads N MS N threads sleeping MS milliseconds (for -p, --per-thread)
 *   statwork exit CODE    exit with CODE
 *   statwork touch FILE   create FILE (proves that a command ran) */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long arg_long(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "statwork: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static int pages(long n)
{
	long psz = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, (size_t)(n * psz), PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("statwork: mmap");
		return 1;
	}
	/* one fault per page: no transparent huge pages here */
	madvise((void *)p, (size_t)(n * psz), MADV_NOHUGEPAGE);
	for (long i = 0; i < n; i++)
		p[i * psz] = 1;
	printf("%ld\n", n);
	return 0;
}

static int pingpong(long n)
{
	int to_child[2], to_parent[2];
	char c = 'x';
	pid_t pid;

	if (pipe(to_child) || pipe(to_parent)) {
		perror("statwork: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("statwork: fork");
		return 1;
	}
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		/* each read blocks until the parent writes: one switch per trip */
		while (read(to_child[0], &c, 1) == 1)
			if (write(to_parent[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (long i = 0; i < n; i++) {
		if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1) {
			perror("statwork: pipe i/o");
			return 1;
		}
	}
	close(to_child[1]);
	waitpid(pid, NULL, 0);
	printf("%ld\n", n);
	return 0;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile uint64_t sink;

static int spin(double secs)
{
	uint64_t end = (uint64_t)(secs * 1e9), x = 1, used;

	while ((used = cpu_ns()) < end) {
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		sink = x;
	}
	printf("%llu\n", (unsigned long long)used);
	return 0;
}

static void *sleeper(void *arg)
{
	usleep((useconds_t)(*(double *)arg * 1e6));
	return NULL;
}

static int threads(long n, double secs)
{
	pthread_t t[64];

	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, sleeper, &secs)) {
			fprintf(stderr, "statwork: cannot create a thread\n");
			return 1;
		}
	printf("ready\n");
	fflush(stdout);
	for (long i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "pages"))
		return pages(arg_long(argv[2], 1, 1L << 22));
	if (argc >= 3 && !strcmp(argv[1], "pingpong"))
		return pingpong(arg_long(argv[2], 1, 100000000));
	if (argc >= 3 && !strcmp(argv[1], "spin"))
		return spin(arg_long(argv[2], 1, 60000) / 1000.0);
	if (argc >= 4 && !strcmp(argv[1], "threads"))
		return threads(arg_long(argv[2], 1, 64), arg_long(argv[3], 1, 600000) / 1000.0);
	if (argc >= 3 && !strcmp(argv[1], "exit"))
		return (int)arg_long(argv[2], 0, 255);
	if (argc >= 3 && !strcmp(argv[1], "touch")) {
		int fd = open(argv[2], O_WRONLY | O_CREAT, 0644);

		return fd < 0 ? 1 : close(fd);
	}
	fprintf(stderr, "usage: statwork pages N | pingpong N | spin MS | threads N MS | "
			"exit CODE | touch FILE\n");
	return 2;
}
