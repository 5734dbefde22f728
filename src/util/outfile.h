/* Creating an output file safely as root: written under a temporary name
 * beside it and renamed over it at the end, so a symlink planted at the
 * path is replaced, never followed, and a failed run leaves no partial file. */
#ifndef CPERF_UTIL_OUTFILE_H
#define CPERF_UTIL_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;
	const char *path; /* the target (borrowed from the caller) */
	char *tmp_path;   /* the temporary file, or NULL when written in place */
};

/* Opens path for writing: a regular file, a symlink or a new name goes
 * through "path.XXXXXX" (O_EXCL, O_NOFOLLOW, O_CLOEXEC, mode 0600); a FIFO
 * or a device (/dev/null) is written in place without following a link; a
 * directory is -EISDIR. path must outlive o. Returns 0 or -errno.
 * Release: outfile_commit or outfile_abort. */
int outfile_open(struct outfile *o, const char *path);
/* Flushes and closes the file and renames it into place. Returns 0 or
 * -errno; on error the temporary file is removed. */
int outfile_commit(struct outfile *o);
/* Closes and removes the temporary file; the target is left as it was.
 * A no-op after outfile_commit or a failed outfile_open. */
void outfile_abort(struct outfile *o);

#endif
