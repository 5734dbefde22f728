/* A workload for --call-graph dwarf, built without frame pointers: func_a,
 * func_b and func_c share the work 50/30/20 through one leaf helper, so the
 * samples fall in the helper and only unwinding gives them to their callers;
 * sort_caller sorts through libc's qsort with a comparator that burns CPU,
 * so unwinding must go through libc (which has no frame pointers either).
 * main's large frame makes a small stack copy (dwarf,512) end before main's
 * caller. Usage: dwarf-split [SECONDS [nocfi]] (default 2 s); with nocfi,
 * all the work goes through nocfi_call, which has no CFI: unwinding must
 * stop there with [unwind failed]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile uint64_t sink;

/* noipa: neither inlined nor cloned nor tail-called into its callers */
__attribute__((noipa)) uint64_t burn(uint64_t units)
{
	uint64_t x = sink + 1;

	for (uint64_t i = 0; i < units * 100000; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

/* Each adds to sink after the call, so the call is not a tail call. */
__attribute__((noipa)) void func_a(void) { sink += burn(5); }
__attribute__((noipa)) void func_b(void) { sink += burn(3); }
__attribute__((noipa)) void func_c(void) { sink += burn(2); }

/* Hand-written without .cfi directives, so .eh_frame does not cover it. */
__asm__(".text\n"
	".globl nocfi_call\n"
	".type nocfi_call, @function\n"
	"nocfi_call:\n"
	"\tsub $8, %rsp\n"
	"\tmov $5, %edi\n"
	"\tcall burn\n"
	"\tadd $8, %rsp\n"
	"\tret\n"
	".size nocfi_call, .-nocfi_call\n");
uint64_t nocfi_call(void);

__attribute__((noipa)) int cmp_burn(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t h = x;

	for (int i = 0; i < 64; i++)
		h = h * 6364136223846793005ULL + 1;
	sink += h;
	return x < y ? -1 : x > y;
}

#define NSORT 512

__attribute__((noipa)) void sort_caller(uint32_t *v, uint32_t seed)
{
	for (size_t i = 0; i < NSORT; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = seed >> 8;
	}
	qsort(v, NSORT, sizeof(*v), cmp_burn);
	sink += v[0];
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
	volatile char pad[2048]; /* main's frame: larger than dwarf,512 */
	uint32_t v[NSORT];
	double end;
	unsigned long rounds = 0;

	if (!(secs > 0 && secs < 3600)) {
		fprintf(stderr, "dwarf-split: bad duration '%s'\n", argv[1]);
		return 2;
	}
	memset((char *)pad, 1, sizeof(pad));
	end = now() + secs;
	if (argc > 2 && !strcmp(argv[2], "nocfi")) {
		do {
			sink += nocfi_call();
			rounds++;
		} while (now() < end);
		printf("dwarf-split: %lu rounds without CFI\n", rounds);
		return 0;
	}
	do {
		func_a();
		func_b();
		func_c();
		sort_caller(v, (uint32_t)rounds);
		rounds++;
	} while (now() < end);
	printf("dwarf-split: %lu rounds\n", rounds + pad[rounds % sizeof(pad)] - 1);
	return 0;
}
