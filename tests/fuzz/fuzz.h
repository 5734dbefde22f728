/* Shared declarations of cperf's fuzz targets: the libFuzzer entry points and
 * a helper that turns fuzz input into a file the real APIs can open. */
#ifndef CPERF_FUZZ_H
#define CPERF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Each target defines LLVMFuzzerTestOneInput; LLVMFuzzerInitialize is
 * defined by every target too (it may do nothing). Under libFuzzer
 * (--enable-fuzzing) libFuzzer calls them; otherwise driver.c's main()
 * replays corpus files through them. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Writes data to a fresh memfd and puts "/proc/self/fd/N" into path, so
 * code that opens a path reads exactly these bytes. Returns the fd (close
 * it when done) or -1 (then the input is skipped). */
int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen);
#endif
