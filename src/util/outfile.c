/* Output files written beside their target and renamed into place. */
#include "config.h"

#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path)
{
	struct stat st;
	size_t n;
	int fd, err;

	memset(o, 0, sizeof(*o));
	if (!path || !*path)
		return -EINVAL;
	if (!lstat(path, &st) && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		/* a FIFO, a device, a socket: write in place */
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
		goto fdopen;
	}
	n = strlen(path);
	o->tmp_path = malloc(n + 8);
	if (!o->tmp_path)
		return -ENOMEM;
	memcpy(o->tmp_path, path, n);
	memcpy(o->tmp_path + n, ".XXXXXX", 8);
	/* mkostemp: O_CREAT | O_EXCL (never follows a link), mode 0600 */
	fd = mkostemp(o->tmp_path, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(o->tmp_path);
		o->tmp_path = NULL;
		return err;
	}
fdopen:
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err = -errno;
		close(fd);
		if (o->tmp_path) {
			unlink(o->tmp_path);
			free(o->tmp_path);
			o->tmp_path = NULL;
		}
		return err;
	}
	o->path = path;
	return 0;
}

int outfile_commit(struct outfile *o)
{
	int err = 0;

	if (!o->f)
		return -EBADF;
	if (ferror(o->f)) {
		/* a write failed and stdio kept no errno: flushing again
		 * usually repeats the failure (ENOSPC) with its errno */
		clearerr(o->f);
		err = fflush(o->f) ? -errno : -EIO;
	} else if (fflush(o->f)) {
		err = -errno;
	}
	if (fclose(o->f) && !err)
		err = -errno;
	o->f = NULL;
	if (o->tmp_path) {
		if (!err && rename(o->tmp_path, o->path))
			err = -errno;
		if (err)
			unlink(o->tmp_path);
		free(o->tmp_path);
		o->tmp_path = NULL;
	}
	return err;
}

void outfile_abort(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp_path) {
		unlink(o->tmp_path);
		free(o->tmp_path);
		o->tmp_path = NULL;
	}
}
