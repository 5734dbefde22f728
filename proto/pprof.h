/* proto: the pprof profile builder and writer (profile.proto, gzip). */
#ifndef CPERF_PPROF_H
#define CPERF_PPROF_H

#include <stddef.h>

/* gzip-compresses data into *out (free()). Returns 0 or -errno. */
int pprof_gzip(const void *data, size_t len, void **out, size_t *out_len);
#endif
