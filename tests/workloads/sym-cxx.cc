// Symbolizer test workload: a namespaced template function for demangling;
// prints the return address taken inside it and its maps.
#include <cstdio>
#include <unistd.h>

static void *mark;

extern "C" __attribute__((noinline)) void sym_cxx_mark()
{
	mark = __builtin_return_address(0);
	__asm__ volatile("" ::: "memory");
}

namespace cperf_test {
template <typename T> struct Box {
	T v;
	__attribute__((noinline)) T twice(T add) const
	{
		sym_cxx_mark(); // SYM-LINE cxx-call
		return v * 2 + add;
	}
};
} // namespace cperf_test

int main()
{
	cperf_test::Box<long> b{21};
	volatile long r = b.twice(1);
	char exe[4096], line[8192];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return 1;
	exe[n] = '\0';
	std::printf("pid %d\nexe %s\none %p\n", (int)getpid(), exe, mark);
	FILE *f = std::fopen("/proc/self/maps", "r");
	if (!f)
		return 1;
	while (std::fgets(line, sizeof(line), f))
		std::printf("map %s", line);
	std::fclose(f);
	return r == 0;
}
