// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * map.c - map a file so that write faults are synchronous: the inode flag
 * when it is active, else MAP_SYNC, else (only when asked) a plain mapping
 * whose persist call is msync()
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void set_mapping(struct sdx_mapping *m, void *addr, size_t length,
			off_t offset, int mode)
{
	memset(m, 0, sizeof(*m));
	m->addr = addr;
	m->length = length;
	m->offset = offset;
	m->mode = mode;
}

int sdx_map_fd(int fd, off_t offset, size_t length, unsigned int flags,
	       struct sdx_mapping *m)
{
	const int prot = PROT_READ | PROT_WRITE;
	struct fs_syncfault sf;
	struct stat st;
	long pagesize;
	void *addr;
	int acc, ret;

	if (!m)
		return -EINVAL;
	set_mapping(m, NULL, 0, 0, SDX_MAP_NONE);
	if (flags & ~SDX_MAP_ALLOW_MSYNC)
		return -EINVAL;
	if (fd < 0)
		return -EBADF;
	pagesize = sysconf(_SC_PAGESIZE);
	if (offset < 0 || pagesize <= 0 || offset % pagesize)
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
	if (length == 0) {
		if (st.st_size <= offset)
			return -EINVAL;
		length = (size_t)(st.st_size - offset);
	}

	/* 1: the inode flag is active, any shared mapping is synchronous */
	ret = sdxi_get(fd, &sf);
	if (ret == 0 && (sf.sf_state & FS_SYNCFAULT_STATE_ACTIVE)) {
		addr = mmap(NULL, length, prot, MAP_SHARED, fd, offset);
		if (addr == MAP_FAILED)
			return -errno;
		/* still active now that the mapping exists? else use MAP_SYNC */
		ret = sdxi_get(fd, &sf);
		if (ret == 0 && (sf.sf_state & FS_SYNCFAULT_STATE_ACTIVE)) {
			set_mapping(m, addr, length, offset, SDX_MAP_FLAG);
			return 0;
		}
		munmap(addr, length);
	}

	/* 2: a MAP_SYNC mapping */
	addr = mmap(NULL, length, prot, MAP_SHARED_VALIDATE | MAP_SYNC, fd, offset);
	if (addr != MAP_FAILED) {
		set_mapping(m, addr, length, offset, SDX_MAP_SYNC);
		return 0;
	}
	ret = -errno;
	/* EOPNOTSUPP: not DAX, or the DAX device is not synchronous */
	if (ret != -EOPNOTSUPP || !(flags & SDX_MAP_ALLOW_MSYNC))
		return ret;

	/* 3: asked-for fallback; a flagged non-DAX inode refuses this too */
	addr = mmap(NULL, length, prot, MAP_SHARED, fd, offset);
	if (addr == MAP_FAILED)
		return -errno;
	set_mapping(m, addr, length, offset, SDX_MAP_MSYNC_FALLBACK);
	return 0;
}

int sdx_unmap(struct sdx_mapping *m)
{
	if (!m || !m->addr || m->mode == SDX_MAP_NONE)
		return -EINVAL;
	if (munmap(m->addr, m->length) < 0)
		return -errno;
	set_mapping(m, NULL, 0, 0, SDX_MAP_NONE);
	return 0;
}

int sdx_map_mode(const struct sdx_mapping *m)
{
	if (!m || !m->addr)
		return SDX_MAP_NONE;
	return m->mode;
}
