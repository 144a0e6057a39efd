// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake-syncfault.c - LD_PRELOAD test double for the host tests: answers
 * FS_IOC_GETSYNCFAULT / FS_IOC_SETSYNCFAULT as a kernel with the syncdax
 * series (contract v2, DESIGN.md section 2) would, so that syncdaxctl's
 * handling of success and of each error can be tested on an unpatched
 * host kernel. Not part of any product.
 *
 * The model:
 * - The flag lives in the user.syncdax_fake xattr of the file.
 * - Support is declared by a file system: on one that has not opted in
 *   (tmpfs, xfs, FUSE and virtiofs, overlayfs, told apart by statfs()
 *   f_type) GET and SET both fail with EOPNOTSUPP and change nothing.
 *   ext2 shares ext4's magic number, so the double cannot refuse it.
 * - SYNCDAX_FAKE_DAX=1 reports regular files as DAX; SYNCDAX_FAKE_ASYNC=1
 *   makes that DAX device not synchronous (virtio-pmem): never active.
 * - Changing the flag of an immutable or append-only file (chattr +i,
 *   chattr +a, read with the real FS_IOC_GETFLAGS) fails with EPERM.
 * - Setting the flag on a regular file that is not DAX on a synchronous
 *   device while some process has a shared writable mapping of it (seen
 *   in /proc/PID/maps) fails with EBUSY and changes nothing.
 * - SYNCDAX_FAKE_FAIL="name=errno,..." makes SET fail with errno for
 *   files whose base name is name, changing nothing; SYNCDAX_FAKE_GET_FAIL
 *   the same for GET. SYNCDAX_FAKE_COMMIT_FAIL="name,..." makes SET
 *   change the flag and then fail with EIO, as a failed metadata commit
 *   does: GET afterwards tells the truth.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "uapi-syncfault.h"	/* libsyncdax/src: the numbers, once */

#define XATTR			"user.syncdax_fake"

/* statfs() f_type of the file systems that have not opted in */
static const unsigned long not_opted_in[] = {
	0x01021994,	/* TMPFS_MAGIC */
	0x58465342,	/* XFS_SUPER_MAGIC */
	0x65735546,	/* FUSE_SUPER_MAGIC (also virtiofs) */
	0x794c7630,	/* OVERLAYFS_SUPER_MAGIC */
};

/* The base name of the file open at fd into buf: 0, or -1. */
static int base_name(int fd, char *buf, size_t size)
{
	char link[64], path[4096];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return -1;
	path[n] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(buf, size, "%s", base);
	return 0;
}

/*
 * Look fd's base name up in the comma-separated list in variable var:
 * 0 when absent; else the errno after "name=", or dflt for a bare name.
 */
static int listed(int fd, const char *var, int dflt)
{
	const char *list = getenv(var);
	char base[4096], *copy, *item, *save = NULL;
	int err = 0;

	if (!list || base_name(fd, base, sizeof(base)) < 0)
		return 0;
	copy = strdup(list);
	if (!copy)
		return 0;
	for (item = strtok_r(copy, ",", &save); item && !err;
	     item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		size_t len = eq ? (size_t)(eq - item) : strlen(item);

		if (len == strlen(base) && strncmp(item, base, len) == 0)
			err = eq ? atoi(eq + 1) : dflt;
	}
	free(copy);
	return err;
}

static bool opted_in(int fd)
{
	struct statfs sfs;
	size_t i;

	if (fstatfs(fd, &sfs) < 0)
		return true;	/* let the xattr calls report the error */
	for (i = 0; i < sizeof(not_opted_in) / sizeof(not_opted_in[0]); i++)
		if ((unsigned long)sfs.f_type == not_opted_in[i])
			return false;
	return true;
}

/* Can shared mappings of this inode get synchronous faults? */
static bool sync_capable(const struct stat *st)
{
	return S_ISREG(st->st_mode) && getenv("SYNCDAX_FAKE_DAX") &&
	       !getenv("SYNCDAX_FAKE_ASYNC");
}

/* Does a line of /proc/PID/maps map st's inode shared and writable? */
static bool maps_shared_writable(const char *line, const struct stat *st)
{
	char perms[8];
	unsigned int maj, min;
	unsigned long long ino;

	if (sscanf(line, "%*s %7s %*s %x:%x %llu", perms, &maj, &min,
		   &ino) != 4)
		return false;
	return perms[1] == 'w' && perms[3] == 's' &&
	       maj == major(st->st_dev) && min == minor(st->st_dev) &&
	       ino == (unsigned long long)st->st_ino;
}

/* Has any process we can see a shared writable mapping of st's inode? */
static bool has_shared_writable_mapping(const struct stat *st)
{
	DIR *proc = opendir("/proc");
	struct dirent *de;
	bool found = false;

	if (!proc)
		return false;
	while (!found && (de = readdir(proc)) != NULL) {
		char path[300], line[4096];
		FILE *f;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/maps", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		while (!found && fgets(line, sizeof(line), f))
			found = maps_shared_writable(line, st);
		fclose(f);
	}
	closedir(proc);
	return found;
}

static int (*real_ioctl)(int, unsigned long, ...);

static int call_real_ioctl(int fd, unsigned long request, void *arg)
{
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))
			     dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, request, arg);
}

/* Immutable or append-only, as the real FS_IOC_GETFLAGS says? */
static bool immutable_or_append(int fd)
{
	int attrs = 0;

	if (call_real_ioctl(fd, FS_IOC_GETFLAGS, &attrs) < 0)
		return false;
	return attrs & (FS_IMMUTABLE_FL | FS_APPEND_FL);
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static int fake_get(int fd, struct fs_syncfault *sf)
{
	int err = listed(fd, "SYNCDAX_FAKE_GET_FAIL", 0);
	char v = '0';
	struct stat st;

	if (err)
		return fail(err);
	if (fstat(fd, &st) < 0)
		return -1;
	if (!opted_in(fd))
		return fail(EOPNOTSUPP);
	if (fgetxattr(fd, XATTR, &v, 1) < 0 && errno != ENODATA)
		return -1;
	memset(sf, 0, sizeof(*sf));
	if (v == '1')
		sf->sf_flags = FS_SYNCFAULT_ON;
	if (getenv("SYNCDAX_FAKE_DAX") && S_ISREG(st.st_mode)) {
		sf->sf_state = FS_SYNCFAULT_STATE_DAX;
		if (v == '1' && sync_capable(&st))
			sf->sf_state |= FS_SYNCFAULT_STATE_ACTIVE;
	}
	return 0;
}

static int fake_set(int fd, const struct fs_syncfault *sf)
{
	int err = listed(fd, "SYNCDAX_FAKE_FAIL", 0);
	bool on = sf->sf_flags & FS_SYNCFAULT_ON;
	char v = on ? '1' : '0';
	struct stat st;

	if (err)
		return fail(err);
	if ((sf->sf_flags & ~FS_SYNCFAULT_ON) || sf->sf_reserved[0] ||
	    sf->sf_reserved[1])
		return fail(EINVAL);
	if (fstat(fd, &st) < 0)
		return -1;
	if (!opted_in(fd))
		return fail(EOPNOTSUPP);
	if (immutable_or_append(fd))
		return fail(EPERM);
	if (on && S_ISREG(st.st_mode) && !sync_capable(&st) &&
	    has_shared_writable_mapping(&st))
		return fail(EBUSY);
	if (fsetxattr(fd, XATTR, &v, 1, 0) < 0)
		return -1;
	if (listed(fd, "SYNCDAX_FAKE_COMMIT_FAIL", EIO))
		return fail(EIO);
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (request == FS_IOC_GETSYNCFAULT)
		return fake_get(fd, arg);
	if (request == FS_IOC_SETSYNCFAULT)
		return fake_set(fd, arg);
	return call_real_ioctl(fd, request, arg);
}
