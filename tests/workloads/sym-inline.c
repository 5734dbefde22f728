/* Symbolizer test workload: a forced-inline helper called from two functions;
 * prints the return addresses taken inside the inlined copies and its maps.
 * Lines marked SYM-LINE are found by the test; keep each marker unique. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *marks[2];
static int nmarks;

__attribute__((noinline)) void sym_mark(void)
{
	marks[nmarks++ & 1] = __builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
}

static inline __attribute__((always_inline)) int helper(int x) /* SYM-LINE helper-decl */
{
	int y = x * 3;

	sym_mark(); /* SYM-LINE helper-call */
	return y + 1;
}

__attribute__((noinline)) int caller_one(int x) /* SYM-LINE one-decl */
{
	return helper(x) + 5; /* SYM-LINE one-call */
}

__attribute__((noinline)) int caller_two(int x)
{
	return helper(x + 1) * 2; /* SYM-LINE two-call */
}

int main(void)
{
	volatile int v = caller_one(1);
	char exe[4096], line[8192];
	ssize_t n;
	FILE *f;

	v += caller_two(2);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return 1;
	exe[n] = '\0';
	printf("pid %d\nexe %s\none %p\ntwo %p\n", (int)getpid(), exe, marks[0],
	       marks[1]);
	f = fopen("/proc/self/maps", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		printf("map %s", line);
	fclose(f);
	return v == 0;
}
