// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * flag.c - get and set the sync-fault flag by fd and by path (a path is
 * opened as inode.c opens it: never before its type is known)
 */
#include "private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

int sdx_get_flag_fd(int fd)
{
	struct fs_syncfault sf;
	int ret;

	ret = sdxi_check_type(fd);
	if (ret < 0)
		return ret;
	ret = sdxi_get(fd, &sf);
	if (ret < 0)
		return ret;
	return (sf.sf_flags & FS_SYNCFAULT_ON) ? 1 : 0;
}

int sdx_get_flag_path(const char *path, unsigned int flags)
{
	int fd, ret;

	fd = sdxi_open_path(path, flags);
	if (fd < 0)
		return fd;
	ret = sdx_get_flag_fd(fd);
	close(fd);
	return ret;
}

int sdx_set_flag_fd(int fd, int on)
{
	struct fs_syncfault sf;
	int ret;

	if (on != 0 && on != 1)
		return -EINVAL;
	ret = sdxi_check_type(fd);
	if (ret < 0)
		return ret;
	memset(&sf, 0, sizeof(sf));
	sf.sf_flags = on ? FS_SYNCFAULT_ON : 0;
	if (ioctl(fd, FS_IOC_SETSYNCFAULT, &sf) < 0)
		return -errno;
	return 0;
}

int sdx_set_flag_path(const char *path, int on, unsigned int flags)
{
	int fd, ret;

	if (on != 0 && on != 1)
		return -EINVAL;
	fd = sdxi_open_path(path, flags);
	if (fd < 0)
		return fd;
	ret = sdx_set_flag_fd(fd, on);
	close(fd);
	return ret;
}
