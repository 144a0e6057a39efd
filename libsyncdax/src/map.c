// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * map.c - map a file so that write faults are synchronous: MAP_SYNC
 * first, since that guarantee is bound to the mapping (DESIGN.md section
 * 3); the inode flag where MAP_SYNC is refused but the flag is active;
 * else (only when asked) a plain mapping whose persist call is msync().
 * Whether the inode flag was active is reported as information.
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* Fill m in and seal it, so that sdx_persist() can believe its mode. */
static void set_mapping(struct sdx_mapping *m, void *addr, uint64_t length,
			uint64_t offset, int mode)
{
	memset(m, 0, sizeof(*m));
	m->addr = addr;
	m->length = length;
	m->offset = offset;
	m->mode = mode;
	m->inode_flag = SDX_UNKNOWN;
	if (mode != SDX_MAP_NONE)
		sdxi_seal_mapping(m);
}

/* SDX_YES when the inode flag makes write faults synchronous now. */
static int flag_active(int fd)
{
	struct fs_syncfault sf;

	if (sdxi_get(fd, &sf) < 0)
		return SDX_UNKNOWN;
	return (sf.sf_state & FS_SYNCFAULT_STATE_ACTIVE) ? SDX_YES : SDX_NO;
}

/* Checks of fd and the range; fills *length when it is 0: 0 or -errno. */
static int check_map_args(int fd, uint64_t offset, uint64_t *length)
{
	long pagesize = sysconf(_SC_PAGESIZE);
	struct stat st;
	int acc;

	if (fd < 0)
		return -EBADF;
	if (pagesize <= 0 || offset % (uint64_t)pagesize || offset > INT64_MAX)
		return -EINVAL;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	acc = fcntl(fd, F_GETFL);
	if (acc < 0)
		return -errno;
	if ((acc & O_ACCMODE) != O_RDWR)
		return -EBADF;
	if (*length == 0) {
		if ((uint64_t)st.st_size <= offset)
			return -EINVAL;
		*length = (uint64_t)st.st_size - offset;
	}
	if (*length > SIZE_MAX || *length > INT64_MAX - offset)
		return -EINVAL;
	return 0;
}

/* A plain shared mapping that the flag keeps synchronous, checked after. */
static int map_by_flag(int fd, uint64_t offset, uint64_t length,
		       struct sdx_mapping *m)
{
	void *addr = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE,
			  MAP_SHARED, fd, (off_t)offset);

	if (addr == MAP_FAILED)
		return -errno;
	/* still active now that the mapping exists? */
	if (flag_active(fd) != SDX_YES) {
		munmap(addr, (size_t)length);
		return -EOPNOTSUPP;
	}
	set_mapping(m, addr, length, offset, SDX_MAP_FLAG);
	m->inode_flag = SDX_YES;
	return 0;
}

int sdx_map_fd(int fd, uint64_t offset, uint64_t length, unsigned int flags,
	       struct sdx_mapping *m)
{
	const int prot = PROT_READ | PROT_WRITE;
	void *addr;
	int ret, flag;

	if (!m)
		return -EINVAL;
	set_mapping(m, NULL, 0, 0, SDX_MAP_NONE);
	if (flags & ~SDX_MAP_ALLOW_MSYNC)
		return -EINVAL;
	ret = check_map_args(fd, offset, &length);
	if (ret < 0)
		return ret;
	flag = flag_active(fd);

	/* 1: MAP_SYNC, whatever the flag says */
	addr = mmap(NULL, (size_t)length, prot, MAP_SHARED_VALIDATE | MAP_SYNC,
		    fd, (off_t)offset);
	if (addr != MAP_FAILED) {
		set_mapping(m, addr, length, offset, SDX_MAP_SYNC);
		m->inode_flag = flag;
		return 0;
	}
	ret = -errno;
	/* EOPNOTSUPP: not DAX, the DAX device is not synchronous, or no MAP_SYNC */
	if (ret != -EOPNOTSUPP)
		return ret;

	/* 2: a file system whose flag works without MAP_SYNC */
	if (flag == SDX_YES && map_by_flag(fd, offset, length, m) == 0)
		return 0;
	if (!(flags & SDX_MAP_ALLOW_MSYNC))
		return ret;

	/* 3: asked-for fallback; a flagged non-DAX inode refuses this too */
	addr = mmap(NULL, (size_t)length, prot, MAP_SHARED, fd, (off_t)offset);
	if (addr == MAP_FAILED)
		return -errno;
	set_mapping(m, addr, length, offset, SDX_MAP_MSYNC_FALLBACK);
	m->inode_flag = flag;
	return 0;
}

int sdx_unmap(struct sdx_mapping *m)
{
	/* never munmap() a range the library did not map */
	if (!sdxi_mapping_sealed(m))
		return -EINVAL;
	if (munmap(m->addr, (size_t)m->length) < 0)
		return -errno;
	set_mapping(m, NULL, 0, 0, SDX_MAP_NONE);
	return 0;
}

int sdx_map_mode(const struct sdx_mapping *m)
{
	if (!sdxi_mapping_sealed(m))
		return SDX_MAP_NONE;
	return m->mode;
}
