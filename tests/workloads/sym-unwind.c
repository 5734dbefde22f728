/* Symbolizer unwinding workload (x86_64, built without frame pointers): a
 * chain main -> sym_uw_a -> sym_uw_b -> sym_uw_c -> qsort (libc) ->
 * sym_uw_cmp, where the comparator captures its registers (perf's order) and
 * a copy of its stack, as a --call-graph dwarf sample would; prints them and
 * the maps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_MAX 8192

static uint64_t regs[24];
static unsigned char stack_copy[STACK_MAX];
static size_t stack_len;
static uint64_t stack_end; /* top of [stack] */
static volatile int captured;

__attribute__((noinline)) static void copy_stack(void)
{
	uint64_t sp = regs[7], n = stack_end > sp ? stack_end - sp : 0;

	if (n > STACK_MAX)
		n = STACK_MAX;
	memcpy(stack_copy, (const void *)(uintptr_t)sp, n);
	stack_len = n;
}

__attribute__((noinline)) int sym_uw_cmp(const void *x, const void *y)
{
	if (!captured) {
		captured = 1;
#if defined(__x86_64__)
		/* perf_regs order: AX BX CX DX SI DI BP SP IP FLAGS CS SS DS ES
		 * FS GS R8..R15 (byte offset = 8 * index) */
		__asm__ volatile("mov %%rax, 0(%0)\n\t"
				 "mov %%rbx, 8(%0)\n\t"
				 "mov %%rcx, 16(%0)\n\t"
				 "mov %%rdx, 24(%0)\n\t"
				 "mov %%rsi, 32(%0)\n\t"
				 "mov %%rdi, 40(%0)\n\t"
				 "mov %%rbp, 48(%0)\n\t"
				 "mov %%rsp, 56(%0)\n\t"
				 "lea 0(%%rip), %%rax\n\t"
				 "mov %%rax, 64(%0)\n\t"
				 "mov %%r8, 128(%0)\n\t"
				 "mov %%r9, 136(%0)\n\t"
				 "mov %%r10, 144(%0)\n\t"
				 "mov %%r11, 152(%0)\n\t"
				 "mov %%r12, 160(%0)\n\t"
				 "mov %%r13, 168(%0)\n\t"
				 "mov %%r14, 176(%0)\n\t"
				 "mov %%r15, 184(%0)\n\t"
				 :
				 : "r"(regs)
				 : "rax", "memory");
		copy_stack();
#endif
	}
	return *(const int *)x - *(const int *)y;
}

__attribute__((noinline)) int sym_uw_c(int n)
{
	int v[64], i;

	for (i = 0; i < 64; i++)
		v[i] = (i * 37 + n) % 64;
	qsort(v, 64, sizeof(v[0]), sym_uw_cmp);
	return v[n & 63] + 1;
}

__attribute__((noinline)) int sym_uw_b(int n)
{
	return sym_uw_c(n + 1) * 3 + 1;
}

__attribute__((noinline)) int sym_uw_a(int n)
{
	return sym_uw_b(n + 2) * 5 + 2;
}

int main(void)
{
	char line[8192];
	FILE *f = fopen("/proc/self/maps", "r");
	int r;
	size_t i;

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;

		if (strstr(line, "[stack]") && sscanf(line, "%llx-%llx", &s, &e) == 2)
			stack_end = e;
	}
	r = sym_uw_a(1);
	if (!captured || !stack_len)
		return 1;
	printf("result %d\nregs", r);
	for (i = 0; i < 24; i++)
		printf(" %llx", (unsigned long long)regs[i]);
	printf("\nstack %zu\n", stack_len);
	for (i = 0; i < stack_len; i++)
		printf("%02x%s", stack_copy[i], i % 64 == 63 ? "\n" : "");
	printf("\n");
	rewind(f);
	while (fgets(line, sizeof(line), f))
		printf("map %s", line);
	fclose(f);
	return 0;
}
