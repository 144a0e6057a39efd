// SPDX-License-Identifier: GPL-2.0
/*
 * sftest - drive the sync-fault kernel interface directly, for the kernel
 * tests in tests/vm/kernel-*.bats.  It deliberately does not use libsyncdax:
 * the kernel tests must be able to send what the library would refuse
 * (reserved bits, odd inode types) and must not depend on library bugs.
 *
 *   sftest get FILE                  print "on=N dax=N active=N"
 *   sftest set FILE on|off           FS_IOC_SETSYNCFAULT
 *   sftest setraw FILE FLAGS STATE R0 R1   SET with raw field values
 *   sftest getflags FILE             FS_IOC_GETFLAGS, in hex
 *   sftest setflags FILE +HEX|-HEX   FS_IOC_GETFLAGS, change, SETFLAGS
 *   sftest getxflags FILE            FS_IOC_FSGETXATTR fsx_xflags, in hex
 *   sftest setxflags FILE +HEX|-HEX  FS_IOC_FSGETXATTR, change, FSSETXATTR
 *   sftest mmap FILE shared|shared-ro|private|sync   map (1 page) and unmap
 *   sftest touch FILE NPAGES [shared|private|sync] [nohuge]
 *                                    map NPAGES, store to each page once
 *   sftest writer FILE NPAGES PROGRESS USEC
 *                                    store to one new page every USEC
 *                                    microseconds, writing the index of
 *                                    the last finished page to PROGRESS
 *
 * Errors: one line "sftest: OP FILE: ENAME (text)" on stderr, exit 1;
 * usage errors exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* the kernel interface, for hosts whose <linux/fs.h> predates it */
#include "uapi-syncfault.h"

static const char *op, *path;

static const char *ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case EROFS: return "EROFS";
	case ENOSPC: return "ENOSPC";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EIO: return "EIO";
	case EBUSY: return "EBUSY";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case ENXIO: return "ENXIO";
	case ENODEV: return "ENODEV";
	default: return "E?";
	}
}

static int fail(int e)
{
	fprintf(stderr, "sftest: %s %s: %s (%s)\n", op, path, ename(e),
		strerror(e));
	return 1;
}

static int usage(void)
{
	fprintf(stderr, "sftest: usage error; see the comment in tests/helpers/sftest.c\n");
	return 2;
}

static int open_any(int flags)
{
	/* O_NONBLOCK so that a fifo does not block the open */
	return open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

static int change_bits(unsigned int *v, const char *arg)
{
	char *end;
	unsigned long bits;

	if (arg[0] != '+' && arg[0] != '-')
		return -1;
	errno = 0;
	bits = strtoul(arg + 1, &end, 16);
	if (errno || *end || end == arg + 1)
		return -1;
	if (arg[0] == '+')
		*v |= bits;
	else
		*v &= ~bits;
	return 0;
}

static int do_sf(int argc, char **argv)
{
	struct fs_syncfault sf = { 0 };
	int fd, rc;

	fd = open_any(O_RDONLY);
	if (fd < 0)
		return fail(errno);
	if (!strcmp(op, "get")) {
		rc = ioctl(fd, FS_IOC_GETSYNCFAULT, &sf);
		if (!rc)
			printf("on=%d dax=%d active=%d\n",
			       !!(sf.sf_flags & FS_SYNCFAULT_ON),
			       !!(sf.sf_state & FS_SYNCFAULT_STATE_DAX),
			       !!(sf.sf_state & FS_SYNCFAULT_STATE_ACTIVE));
	} else if (!strcmp(op, "set")) {
		if (argc != 4 || (strcmp(argv[3], "on") && strcmp(argv[3], "off")))
			return usage();
		sf.sf_flags = !strcmp(argv[3], "on") ? FS_SYNCFAULT_ON : 0;
		rc = ioctl(fd, FS_IOC_SETSYNCFAULT, &sf);
	} else {
		if (argc != 7)
			return usage();
		sf.sf_flags = strtoul(argv[3], NULL, 0);
		sf.sf_state = strtoul(argv[4], NULL, 0);
		sf.sf_reserved[0] = strtoull(argv[5], NULL, 0);
		sf.sf_reserved[1] = strtoull(argv[6], NULL, 0);
		rc = ioctl(fd, FS_IOC_SETSYNCFAULT, &sf);
	}
	if (rc)
		rc = fail(errno);
	close(fd);
	return rc;
}

static int do_flags(int argc, char **argv)
{
	unsigned int flags;
	int fd, rc = 0;

	fd = open_any(O_RDONLY);
	if (fd < 0)
		return fail(errno);
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags)) {
		rc = fail(errno);
	} else if (!strcmp(op, "getflags")) {
		printf("%#x\n", flags);
	} else if (argc != 4 || change_bits(&flags, argv[3])) {
		rc = usage();
	} else if (ioctl(fd, FS_IOC_SETFLAGS, &flags)) {
		rc = fail(errno);
	}
	close(fd);
	return rc;
}

static int do_xflags(int argc, char **argv)
{
	struct fsxattr fsx;
	int fd, rc = 0;

	fd = open_any(O_RDONLY);
	if (fd < 0)
		return fail(errno);
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx)) {
		rc = fail(errno);
	} else if (!strcmp(op, "getxflags")) {
		printf("%#x\n", fsx.fsx_xflags);
	} else if (argc != 4 || change_bits(&fsx.fsx_xflags, argv[3])) {
		rc = usage();
	} else if (ioctl(fd, FS_IOC_FSSETXATTR, &fsx)) {
		rc = fail(errno);
	}
	close(fd);
	return rc;
}

/* mmap flags, open flags and protection for a mapping mode name */
static int map_mode(const char *mode, int *mflags, int *oflags, int *prot)
{
	*prot = PROT_READ | PROT_WRITE;
	*oflags = O_RDWR;
	if (!strcmp(mode, "shared")) {
		*mflags = MAP_SHARED;
	} else if (!strcmp(mode, "shared-ro")) {
		*mflags = MAP_SHARED;
		*oflags = O_RDONLY;
		*prot = PROT_READ;
	} else if (!strcmp(mode, "private")) {
		*mflags = MAP_PRIVATE;
	} else if (!strcmp(mode, "sync")) {
		*mflags = MAP_SHARED_VALIDATE | MAP_SYNC;
	} else {
		return -1;
	}
	return 0;
}

static int do_mmap(int argc, char **argv)
{
	int mflags, oflags, prot, fd;
	void *p;

	if (argc != 4 || map_mode(argv[3], &mflags, &oflags, &prot))
		return usage();
	fd = open(path, oflags | O_CLOEXEC);
	if (fd < 0)
		return fail(errno);
	p = mmap(NULL, 4096, prot, mflags, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return fail(errno);
	munmap(p, 4096);
	printf("mapped\n");
	return 0;
}

static int do_touch(int argc, char **argv)
{
	const char *mode = argc > 4 ? argv[4] : "shared";
	int mflags, oflags, prot, fd;
	long i, npages;
	size_t len;
	char *p;

	if (argc < 4 || argc > 6 || map_mode(mode, &mflags, &oflags, &prot))
		return usage();
	npages = strtol(argv[3], NULL, 0);
	if (npages <= 0)
		return usage();
	len = (size_t)npages * 4096;
	fd = open(path, oflags | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(errno);
	if (ftruncate(fd, len) && errno != EINVAL)
		return fail(errno);
	p = mmap(NULL, len, prot, mflags, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return fail(errno);
	if (argc == 6 && !strcmp(argv[5], "nohuge"))
		madvise(p, len, MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++)
		p[i * 4096] = (char)(i + 1);
	munmap(p, len);
	return 0;
}

static int do_writer(int argc, char **argv)
{
	long i, npages, usec;
	struct timespec ts;
	char *p, buf[32];
	size_t len;
	int fd, pfd;

	if (argc != 6)
		return usage();
	npages = strtol(argv[3], NULL, 0);
	usec = strtol(argv[5], NULL, 0);
	if (npages <= 0 || usec < 0)
		return usage();
	len = (size_t)npages * 4096;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, len))
		return fail(errno);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return fail(errno);
	madvise(p, len, MADV_NOHUGEPAGE);
	pfd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (pfd < 0) {
		path = argv[4];
		return fail(errno);
	}
	ts.tv_sec = usec / 1000000;
	ts.tv_nsec = (usec % 1000000) * 1000;
	for (i = 0; i < npages; i++) {
		p[i * 4096] = 1;
		snprintf(buf, sizeof(buf), "%ld\n", i);
		if (pwrite(pfd, buf, strlen(buf), 0) < 0)
			return fail(errno);
		nanosleep(&ts, NULL);
	}
	close(pfd);
	munmap(p, len);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "get", do_sf }, { "set", do_sf }, { "setraw", do_sf },
		{ "getflags", do_flags }, { "setflags", do_flags },
		{ "getxflags", do_xflags }, { "setxflags", do_xflags },
		{ "mmap", do_mmap }, { "touch", do_touch },
		{ "writer", do_writer },
	};
	size_t i;

	if (argc < 3)
		return usage();
	op = argv[1];
	path = argv[2];
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(op, cmds[i].name))
			return cmds[i].fn(argc, argv);
	return usage();
}
