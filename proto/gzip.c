/* proto: gzip compression and decompression of whole buffers through zlib. */
#include "config.h"

#include "pprof.h"

#include <errno.h>
#include <limits.h>
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

int pprof_gunzip(const void *data, size_t len, size_t max, void **out, size_t *out_len)
{
	z_stream zs = { 0 };
	unsigned char *buf = NULL, *n;
	size_t cap = 0, used = 0;
	int rc;

	if (len > UINT_MAX)
		return -EFBIG;
	/* 15 + 32: accept a gzip or a zlib header */
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return -ENOMEM;
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	do {
		if (used == cap) {
			size_t ncap = cap ? cap * 2 : (len < 4096 ? 16384 : len * 4);

			if (cap >= max) {
				rc = -EFBIG;
				goto fail;
			}
			if (ncap > max)
				ncap = max;
			if (ncap - used > UINT_MAX)
				ncap = used + UINT_MAX;
			n = realloc(buf, ncap + 1);
			if (!n) {
				rc = -ENOMEM;
				goto fail;
			}
			buf = n;
			cap = ncap;
		}
		zs.next_out = buf + used;
		zs.avail_out = (uInt)(cap - used);
		rc = inflate(&zs, Z_NO_FLUSH);
		used = cap - zs.avail_out;
		if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
			rc = -EINVAL; /* truncated */
			goto fail;
		}
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			rc = rc == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
			goto fail;
		}
	} while (rc != Z_STREAM_END);
	inflateEnd(&zs);
	if (!buf) {
		buf = malloc(1);
		if (!buf)
			return -ENOMEM;
	}
	*out = buf;
	*out_len = used;
	return 0;
fail:
	inflateEnd(&zs);
	free(buf);
	return rc;
}
