/* A workload that dlopen()s a library after it has started and spends its
 * time in the library's dl_hot_loop. Usage: dlopen-main LIB.so [SECONDS]
 * [DELAY] (default 1 s busy after 0.3 s idle). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	double delay = argc > 3 ? atof(argv[3]) : 0.3;
	void (*hot)(double);
	void *h;

	if (argc < 2 || !(secs > 0 && secs < 3600) || !(delay >= 0 && delay < 60)) {
		fprintf(stderr, "usage: dlopen-main LIB.so [SECONDS] [DELAY]\n");
		return 2;
	}
	/* idle first, so that a recorder attached meanwhile sees the dlopen */
	usleep((useconds_t)(delay * 1e6));
	h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "dlopen-main: %s\n", dlerror());
		return 1;
	}
	*(void **)&hot = dlsym(h, "dl_hot_loop");
	if (!hot) {
		fprintf(stderr, "dlopen-main: %s\n", dlerror());
		return 1;
	}
	hot(secs);
	dlclose(h);
	return 0;
}
