/* gzip through zlib. */
#include "pprof.h"

#include <errno.h>
#include <stdlib.h>
#include <zlib.h>

int pprof_gzip(const void *data, size_t len, void **out, size_t *out_len)
{
	z_stream zs = { 0 };
	uLong cap;
	unsigned char *buf;
	int rc;

	/* 15 + 16: a gzip header and trailer rather than a raw zlib stream */
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	cap = deflateBound(&zs, (uLong)len) + 32;
	buf = malloc(cap);
	if (!buf) {
		deflateEnd(&zs);
		return -ENOMEM;
	}
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = buf;
	zs.avail_out = (uInt)cap;
	rc = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	*out_len = zs.total_out;
	return 0;
}
