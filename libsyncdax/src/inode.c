// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * inode.c - the facts of one inode that every other file asks for: its
 * type, the flag ioctl's answer, statx()'s DAX bit, where it lives.  It
 * calls nothing else of the library, so facts flow one way: flag.c,
 * state.c, sync.c, probe.c and map.c ask here, never each other back.
 *
 * A path is opened O_PATH first: that reaches no driver (an open of
 * /dev/watchdog arms it, of a tape rewinds it, of a fifo may block), and
 * only a regular file or directory is then reopened for real, through
 * /proc/self/fd, which names the same inode whatever happens to the path
 * meanwhile.
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

int sdxi_check_type(int fd)
{
	struct stat st;

	if (fd < 0)
		return -EBADF;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return -EINVAL;
	return 0;
}

int sdxi_open_path(const char *path, unsigned int flags)
{
	char proc[32];
	struct stat st;
	int pfd, fd;

	if (!path)
		return -EINVAL;
	if (!*path)
		return -ENOENT;
	if (flags & ~SDX_PATH_NOFOLLOW)
		return -EINVAL;
	pfd = open(path, O_PATH | O_CLOEXEC |
		   ((flags & SDX_PATH_NOFOLLOW) ? O_NOFOLLOW : 0));
	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st) < 0) {
		fd = -errno;
		goto out;
	}
	/* O_PATH|O_NOFOLLOW opens the symlink itself; a plain open fails */
	if (S_ISLNK(st.st_mode)) {
		fd = -ELOOP;
		goto out;
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		fd = -EINVAL;
		goto out;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	/* O_NONBLOCK, O_NOCTTY: harmless on the two types left, kept as a guard */
	fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
out:
	close(pfd);
	return fd;
}

int sdxi_get(int fd, struct fs_syncfault *sf)
{
	memset(sf, 0, sizeof(*sf));
	if (ioctl(fd, FS_IOC_GETSYNCFAULT, sf) < 0)
		return -errno;
	return 0;
}

int sdxi_statx_dax(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, 0, &stx) < 0)
		return SDX_UNKNOWN;
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		return SDX_UNKNOWN;
	return (stx.stx_attributes & STATX_ATTR_DAX) ? SDX_YES : SDX_NO;
}

int sdxi_fd_dir(int fd, char *dir, size_t size)
{
	char proc[32], real[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, real, sizeof(real) - 1);
	if (n < 0)
		return -errno;
	real[n] = '\0';
	/* a deleted file's link ends in " (deleted)"; anonymous ones are not paths */
	if (real[0] != '/' || (st.st_nlink == 0 && !S_ISDIR(st.st_mode)))
		return -ENOENT;
	if (!S_ISDIR(st.st_mode)) {
		char *slash = strrchr(real, '/');

		if (slash == real)
			real[1] = '\0';
		else
			*slash = '\0';
	}
	if (strlen(real) >= size)
		return -ENAMETOOLONG;
	memcpy(dir, real, strlen(real) + 1);
	return 0;
}
