// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-syncfault.c - LD_PRELOAD test double for the host tests: answers
 * FS_IOC_GETSYNCFAULT / FS_IOC_SETSYNCFAULT as a patched kernel would, so
 * that syncdaxctl's handling of success (and of chosen errors) can be
 * tested on an unpatched host kernel. Not part of any product.
 *
 * The flag lives in the user.syncdax_fake xattr of the file.
 * SYNCDAX_FAKE_FAIL="name=errno,..." makes SET fail with errno for files
 * whose base name is name, SYNCDAX_FAKE_GET_FAIL the same for GET.
 * SYNCDAX_FAKE_DAX=1 reports regular files as DAX.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "uapi-syncfault.h"	/* libsyncdax/src: the numbers, once */

#define XATTR			"user.syncdax_fake"

/* errno configured for fd's base name in variable var, or 0. */
static int configured_failure(int fd, const char *var)
{
	const char *list = getenv(var);
	char link[64], path[4096], *base, *copy, *item, *save = NULL;
	ssize_t n;
	int err = 0;

	if (!list)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	copy = strdup(list);
	if (!copy)
		return 0;
	for (item = strtok_r(copy, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		if (eq && (size_t)(eq - item) == strlen(base) &&
		    strncmp(item, base, (size_t)(eq - item)) == 0)
			err = atoi(eq + 1);
	}
	free(copy);
	return err;
}

static int fake_get(int fd, struct fs_syncfault *sf)
{
	int err = configured_failure(fd, "SYNCDAX_FAKE_GET_FAIL");
	char v = '0';
	struct stat st;

	if (err) {
		errno = err;
		return -1;
	}
	if (fstat(fd, &st) < 0)
		return -1;
	if (fgetxattr(fd, XATTR, &v, 1) < 0 && errno != ENODATA)
		return -1;
	memset(sf, 0, sizeof(*sf));
	if (v == '1')
		sf->sf_flags = FS_SYNCFAULT_ON;
	if (getenv("SYNCDAX_FAKE_DAX") && S_ISREG(st.st_mode)) {
		sf->sf_state = FS_SYNCFAULT_STATE_DAX;
		if (v == '1')
			sf->sf_state |= FS_SYNCFAULT_STATE_ACTIVE;
	}
	return 0;
}

static int fake_set(int fd, const struct fs_syncfault *sf)
{
	int err = configured_failure(fd, "SYNCDAX_FAKE_FAIL");
	char v = (sf->sf_flags & FS_SYNCFAULT_ON) ? '1' : '0';

	if ((sf->sf_flags & ~FS_SYNCFAULT_ON) || sf->sf_reserved[0] ||
	    sf->sf_reserved[1])
		err = EINVAL;
	if (err) {
		errno = err;
		return -1;
	}
	return fsetxattr(fd, XATTR, &v, 1, 0);
}

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (request == FS_IOC_GETSYNCFAULT)
		return fake_get(fd, arg);
	if (request == FS_IOC_SETSYNCFAULT)
		return fake_set(fd, arg);
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))
			     dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, request, arg);
}
