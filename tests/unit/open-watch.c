// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * open-watch.c - see open-watch.h.  Each open is stat()ed, not opened, on
 * the way to the C library's own definition, so that watching has no side
 * effect of its own on a fifo or a device.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "open-watch.h"

#define MAX_WATCH	16

static struct {
	dev_t dev;
	ino_t ino;
} watched[MAX_WATCH];
static unsigned int nwatched, nopen, nopath, nblk, ntmpfile;
static dev_t tmp_dev;
static ino_t tmp_ino;

void open_watch_reset(void)
{
	nwatched = nopen = nopath = nblk = ntmpfile = 0;
}

int open_watch_add(const char *path)
{
	struct stat st;

	if (nwatched == MAX_WATCH)
		return -ENOSPC;
	if (stat(path, &st) < 0)
		return -errno;
	watched[nwatched].dev = st.st_dev;
	watched[nwatched].ino = st.st_ino;
	nwatched++;
	return 0;
}

unsigned int open_watch_count(void)
{
	return nopen;
}

unsigned int open_watch_opath_count(void)
{
	return nopath;
}

unsigned int open_watch_blk_count(void)
{
	return nblk;
}

unsigned int open_watch_tmpfile(dev_t *dev, ino_t *ino)
{
	*dev = tmp_dev;
	*ino = tmp_ino;
	return ntmpfile;
}

/* Look at one open before it happens; errno is left as it was. */
static void look(int dirfd, const char *path, int flags)
{
	int saved = errno, i;
	struct stat st;

	if (!path)
		return;
	/* O_TMPFILE names the directory the unnamed file goes to */
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		if (fstatat(dirfd, path, &st, 0) == 0) {
			tmp_dev = st.st_dev;
			tmp_ino = st.st_ino;
		}
		ntmpfile++;
		errno = saved;
		return;
	}
	if (fstatat(dirfd, path, &st, (flags & O_NOFOLLOW) ? AT_SYMLINK_NOFOLLOW : 0) < 0) {
		errno = saved;
		return;
	}
	for (i = 0; i < (int)nwatched; i++) {
		if (watched[i].dev == st.st_dev && watched[i].ino == st.st_ino) {
			if (flags & O_PATH)
				nopath++;
			else
				nopen++;
		}
	}
	if (S_ISBLK(st.st_mode) && !(flags & O_PATH))
		nblk++;
	errno = saved;
}

static int needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

#define NEXT(name, type)						\
	static type real;						\
	if (!real)							\
		*(void **)&real = dlsym(RTLD_NEXT, name);		\
	if (!real) {							\
		errno = ENOSYS;						\
		return -1;						\
	}

typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*open_fn)(const char *, int, ...);

#define DEF_OPENAT(fname)						\
	int fname(int dirfd, const char *path, int flags, ...)		\
	{								\
		mode_t mode = 0;					\
		NEXT(#fname, openat_fn);				\
		if (needs_mode(flags)) {				\
			va_list ap;					\
			va_start(ap, flags);				\
			mode = va_arg(ap, mode_t);			\
			va_end(ap);					\
		}							\
		look(dirfd, path, flags);				\
		return real(dirfd, path, flags, mode);			\
	}

#define DEF_OPEN(fname)							\
	int fname(const char *path, int flags, ...)			\
	{								\
		mode_t mode = 0;					\
		NEXT(#fname, open_fn);					\
		if (needs_mode(flags)) {				\
			va_list ap;					\
			va_start(ap, flags);				\
			mode = va_arg(ap, mode_t);			\
			va_end(ap);					\
		}							\
		look(AT_FDCWD, path, flags);				\
		return real(path, flags, mode);				\
	}

DEF_OPEN(open)
DEF_OPEN(open64)
DEF_OPENAT(openat)
DEF_OPENAT(openat64)

/* _FORTIFY_SOURCE's checked forms take no mode */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

int __open_2(const char *path, int flags)
{
	return open(path, flags);
}

int __open64_2(const char *path, int flags)
{
	return open64(path, flags);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	return openat(dirfd, path, flags);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	return openat64(dirfd, path, flags);
}
