/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-common.h - what the libsyncdax unit tests share: cmocka, a scratch
 * directory, the raw ioctl the library wraps (to compare against)
 */
#ifndef SYNCDAX_TEST_COMMON_H
#define SYNCDAX_TEST_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <syncdax.h>
#include "uapi-syncfault.h"	/* libsyncdax/src: to issue the raw ioctl */

/* Where scratch directories go: $TMPDIR, else /tmp. */
static inline const char *scratch_base(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp ? tmp : "/tmp";
}

/* A scratch directory on the host's ordinary (non-DAX) file system. */
static inline char *scratch_dir(const char *base)
{
	char tmpl[PATH_MAX];
	char *made;

	snprintf(tmpl, sizeof(tmpl), "%s/sdx-unit.XXXXXX", base);
	made = mkdtemp(tmpl);
	return made ? strdup(made) : NULL;
}

static inline char *scratch_path(const char *dir, const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

/* A file of size bytes filled with zeros: its path (caller frees). */
static inline char *scratch_file(const char *dir, const char *name, off_t size)
{
	char *p = scratch_path(dir, name);
	int fd;

	if (!p)
		return NULL;
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		if (fd >= 0)
			close(fd);
		free(p);
		return NULL;
	}
	close(fd);
	return p;
}

/* Remove a scratch file and then its directory, and free both paths. */
static inline void scratch_remove(char *dir, char *file)
{
	if (file)
		unlink(file);
	if (dir)
		rmdir(dir);
	free(file);
	free(dir);
}

/* What the kernel itself answers to FS_IOC_GETSYNCFAULT: 0 or -errno. */
static inline int raw_get(int fd, struct fs_syncfault *sf)
{
	memset(sf, 0, sizeof(*sf));
	return ioctl(fd, FS_IOC_GETSYNCFAULT, sf) < 0 ? -errno : 0;
}

static inline int raw_get_path(const char *path, struct fs_syncfault *sf)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = raw_get(fd, sf);
	close(fd);
	return ret;
}

/* Does the running kernel lack the syncdax series (the host normally does)? */
static inline int kernel_unpatched(const char *path)
{
	struct fs_syncfault sf;

	return raw_get_path(path, &sf) == -ENOTTY;
}

/* A patched kernel, and path's file system has not opted in to the flag? */
static inline int fs_not_opted_in(const char *path)
{
	struct fs_syncfault sf;

	return raw_get_path(path, &sf) == -EOPNOTSUPP;
}

/* Probe path into *p with a context of its own, freeing the old probe first. */
static inline int probe_again(const char *path, struct sdx_probe **p)
{
	sdx_probe_free(*p);
	*p = NULL;
	return sdx_probe_path(NULL, path, p);
}

#endif /* SYNCDAX_TEST_COMMON_H */
