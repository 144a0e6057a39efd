// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * prepare.c - sdx_prepare(): make a range of a file allocated, written
 * and durable once, so that the synchronous write faults that follow find
 * stable extents and need no journal commit each.
 *
 * Only holes and unwritten (fallocated) extents get zeros: both read as
 * zeros already, so no data changes.  FIEMAP tells unwritten extents
 * apart (SEEK_HOLE shows them as data); where FIEMAP is not supported,
 * SEEK_HOLE/SEEK_DATA finds the holes (such file systems have no
 * unwritten extents to convert, or none that matter for DAX).
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>

#define FIEMAP_BATCH	64

static const char zeros[64 * 1024];

/* Write zeros over [start, end): 0 or -errno. */
static int zero_range(int fd, uint64_t start, uint64_t end)
{
	while (start < end) {
		size_t n = end - start < sizeof(zeros) ? (size_t)(end - start) : sizeof(zeros);
		ssize_t done = pwrite(fd, zeros, n, (off_t)start);

		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			return -errno;
		if (done == 0)
			return -EIO;
		start += (uint64_t)done;
	}
	return 0;
}

/* Zero what needs it of the extents in fm, below end; advances *pos. */
static int zero_extents(int fd, const struct fiemap *fm, uint64_t *pos,
			uint64_t end, int *last)
{
	uint32_t i;

	for (i = 0; i < fm->fm_mapped_extents; i++) {
		const struct fiemap_extent *e = &fm->fm_extents[i];
		uint64_t e_start = e->fe_logical, e_end = e->fe_logical + e->fe_length;
		int ret;

		if (e->fe_flags & FIEMAP_EXTENT_LAST)
			*last = 1;
		if (e_start >= end)
			break;
		/* a hole before the extent */
		if (e_start > *pos && (ret = zero_range(fd, *pos, e_start)) < 0)
			return ret;
		if (e_start > *pos)
			*pos = e_start;
		if ((e->fe_flags & FIEMAP_EXTENT_UNWRITTEN) && e_end > *pos &&
		    (ret = zero_range(fd, *pos, e_end < end ? e_end : end)) < 0)
			return ret;
		if (e_end > *pos)
			*pos = e_end;
	}
	return 0;
}

/* Holes and unwritten extents of [off, end) by FIEMAP: 0, -EOPNOTSUPP or -errno. */
static int zero_by_fiemap(int fd, uint64_t off, uint64_t end)
{
	size_t size = sizeof(struct fiemap) + FIEMAP_BATCH * sizeof(struct fiemap_extent);
	struct fiemap *fm = malloc(size);
	uint64_t pos = off;
	int ret = 0, last = 0;

	if (!fm)
		return -ENOMEM;
	while (pos < end && !last) {
		memset(fm, 0, size);
		fm->fm_start = pos;
		fm->fm_length = end - pos;
		/* SYNC: delayed allocations become real extents first */
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm) < 0) {
			ret = errno == ENOTTY ? -EOPNOTSUPP : -errno;
			break;
		}
		if (fm->fm_mapped_extents == 0)
			break;
		ret = zero_extents(fd, fm, &pos, end, &last);
		if (ret < 0)
			break;
	}
	free(fm);
	if (ret == 0 && pos < end)
		ret = zero_range(fd, pos, end);		/* the hole at the end */
	return ret;
}

/* Holes of [off, end) by SEEK_HOLE/SEEK_DATA: 0 or -errno. */
static int zero_by_seek(int fd, uint64_t off, uint64_t end)
{
	uint64_t pos = off;

	while (pos < end) {
		off_t hole = lseek(fd, (off_t)pos, SEEK_HOLE), data;
		int ret;

		if (hole < 0)
			return errno == ENXIO ? zero_range(fd, pos, end) : -errno;
		if ((uint64_t)hole >= end)
			return 0;
		data = lseek(fd, hole, SEEK_DATA);
		if (data < 0 && errno != ENXIO)
			return -errno;
		if (data < 0 || (uint64_t)data > end)
			data = (off_t)end;
		ret = zero_range(fd, (uint64_t)hole, (uint64_t)data);
		if (ret < 0)
			return ret;
		pos = (uint64_t)data;
	}
	return 0;
}

/* fd must be a regular file open for writing: 0 or -errno. */
static int check_prepare_fd(int fd, struct stat *st)
{
	int acc;

	if (fd < 0)
		return -EBADF;
	if (fstat(fd, st) < 0)
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	acc = fcntl(fd, F_GETFL);
	if (acc < 0)
		return -errno;
	if ((acc & O_ACCMODE) == O_RDONLY || (acc & O_APPEND))
		return -EBADF;
	return 0;
}

int sdx_prepare(int fd, uint64_t off, uint64_t len)
{
	uint64_t end;
	struct stat st;
	int ret;

	ret = check_prepare_fd(fd, &st);
	if (ret < 0)
		return ret;
	if (off > INT64_MAX || len > INT64_MAX - off)
		return -EINVAL;
	if (len == 0)
		return 0;
	end = off + len;
	ret = zero_by_fiemap(fd, off, end);
	if (ret == -EOPNOTSUPP)
		ret = zero_by_seek(fd, off, end);
	if (ret < 0)
		return ret;
	/* blocks allocated past EOF (fallocate KEEP_SIZE) count as in the file now */
	if (fstat(fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size < end && ftruncate(fd, (off_t)end) < 0)
		return -errno;
	return fdatasync(fd) < 0 ? -errno : 0;
}
