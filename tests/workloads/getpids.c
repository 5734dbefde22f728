/* A workload with a known number of tracepoint hits: N getpid system calls
 * (syscalls:sys_enter_getpid), made through syscall() so that no libc
 * caches the answer. Usage: getpids [N] (default 500). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 500;
	long sum = 0;

	if (n < 0 || n > 100000000) {
		fprintf(stderr, "usage: getpids [N]\n");
		return 2;
	}
	for (long i = 0; i < n; i++)
		sum += syscall(SYS_getpid);
	/* used, so the calls are not dropped */
	return sum == 0 && n > 0 ? 1 : 0;
}
