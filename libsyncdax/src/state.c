// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * state.c - is the flag set, is the inode DAX, are faults synchronous, and
 * if not, why not
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* DAX state of an inode from statx(), for kernels without the ioctl. */
static int statx_dax(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, 0, &stx) < 0)
		return SDX_UNKNOWN;
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		return SDX_UNKNOWN;
	return (stx.stx_attributes & STATX_ATTR_DAX) ? SDX_YES : SDX_NO;
}

/* Reasons from the environment why DAX (or synchronous DAX) is missing. */
static uint32_t env_reasons(const struct sdx_probe *env, int dax)
{
	uint32_t why = 0;

	if (!dax) {
		if (env->mount_dax != SDX_MOUNT_DAX_ALWAYS)
			why |= SDX_WHY_MOUNT_NOT_DAX;
		if (env->dev_dax == SDX_NO)
			why |= SDX_WHY_DEV_NOT_DAX;
	}
	if (env->dev_sync == SDX_NO)
		why |= SDX_WHY_DEV_NOT_SYNC;
	return why;
}

int sdxi_state(int fd, const struct sdx_probe *env, struct sdx_state *st)
{
	struct fs_syncfault sf;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = sdxi_get(fd, &sf);
	/*
	 * ENOTTY: an unpatched kernel; EOPNOTSUPP: a patched kernel and a file
	 * system that has not opted in to the flag (tmpfs, ext2, xfs, FUSE,
	 * overlayfs), where the flag can be neither read nor set.  Neither is
	 * an error for the state: take the DAX state from statx() and say why.
	 */
	if (ret == -ENOTTY || ret == -EOPNOTSUPP) {
		int dax;

		st->why_not = ret == -ENOTTY ? SDX_WHY_NO_KERNEL : SDX_WHY_FS_UNSUPPORTED;
		dax = statx_dax(fd);
		if (dax == SDX_YES)
			st->flags |= SDX_STATE_DAX;
		else if (dax == SDX_NO)
			st->why_not |= SDX_WHY_NOT_DAX;
		st->why_not |= env_reasons(env, dax == SDX_YES);
		return 0;
	}
	if (ret < 0)
		return ret;

	st->kernel_state = sf.sf_state;
	if (sf.sf_flags & FS_SYNCFAULT_ON)
		st->flags |= SDX_STATE_FLAG;
	if (sf.sf_state & FS_SYNCFAULT_STATE_DAX)
		st->flags |= SDX_STATE_DAX;
	if (sf.sf_state & FS_SYNCFAULT_STATE_ACTIVE) {
		st->flags |= SDX_STATE_ACTIVE;
		return 0;
	}
	if (!(st->flags & SDX_STATE_FLAG))
		st->why_not |= SDX_WHY_FLAG_CLEAR;
	if (!(st->flags & SDX_STATE_DAX))
		st->why_not |= SDX_WHY_NOT_DAX;
	st->why_not |= env_reasons(env, !!(st->flags & SDX_STATE_DAX));
	/* flag set and DAX but not active: the kernel found the device async */
	if ((st->flags & SDX_STATE_FLAG) && (st->flags & SDX_STATE_DAX))
		st->why_not |= SDX_WHY_DEV_NOT_SYNC;
	if (!st->why_not)
		st->why_not = SDX_WHY_UNKNOWN;
	return 0;
}

int sdx_state_fd(int fd, struct sdx_state *st)
{
	struct sdx_probe *env;
	int ret;

	if (!st)
		return -EINVAL;
	ret = sdxi_check_type(fd);
	if (ret < 0)
		return ret;
	env = calloc(1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	ret = sdxi_probe_env(fd, env);
	if (ret == 0)
		ret = sdxi_state(fd, env, st);
	free(env);
	return ret;
}

int sdx_state_path(const char *path, unsigned int flags, struct sdx_state *st)
{
	int fd, ret;

	if (!path || !st)
		return -EINVAL;
	fd = sdxi_open_path(path, flags);
	if (fd < 0)
		return fd;
	ret = sdx_state_fd(fd, st);
	close(fd);
	return ret;
}
