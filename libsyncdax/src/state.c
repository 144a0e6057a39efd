// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * state.c - is the flag set, is the inode DAX, are faults synchronous, and
 * if not, why not: the kernel's answer for the inode plus the context's
 * facts about its file system
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Reasons from the file system's facts why DAX (or synchronous DAX) is missing. */
static uint32_t env_reasons(const struct sdxi_dev *d, int dax)
{
	uint32_t why = 0;

	if (!dax) {
		if (d->mount_dax != SDX_MOUNT_DAX_ALWAYS)
			why |= SDX_WHY_MOUNT_NOT_DAX;
		if (d->mount_dax == SDX_MOUNT_DAX_INODE && d->dev_dax == SDX_YES)
			why |= SDX_WHY_NO_DAX_ATTR;
		if (d->dev_dax == SDX_NO)
			why |= SDX_WHY_DEV_NOT_DAX;
	}
	if (d->dev_sync == SDX_NO)
		why |= SDX_WHY_DEV_NOT_SYNC;
	return why;
}

/*
 * ENOTTY: an unpatched kernel; EOPNOTSUPP: a patched kernel and a file
 * system that has not opted in to the flag (tmpfs, ext2, xfs, FUSE,
 * overlayfs), where the flag can be neither read nor set.  Neither is an
 * error for the state: take the DAX state from statx() and say why.
 */
static void state_without_flag(int fd, int err, const struct sdxi_dev *d,
			       struct sdx_state *st)
{
	int dax = sdxi_statx_dax(fd);

	st->why_not = err == -ENOTTY ? SDX_WHY_NO_KERNEL : SDX_WHY_FS_UNSUPPORTED;
	if (dax == SDX_YES)
		st->flags |= SDX_STATE_DAX;
	else if (dax == SDX_NO)
		st->why_not |= SDX_WHY_NOT_DAX;
	st->why_not |= env_reasons(d, dax == SDX_YES);
}

int sdxi_state(int fd, const struct sdxi_dev *d, struct sdx_state *st)
{
	struct fs_syncfault sf;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = sdxi_get(fd, &sf);
	if (ret == -ENOTTY || ret == -EOPNOTSUPP) {
		state_without_flag(fd, ret, d, st);
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
	st->why_not |= env_reasons(d, !!(st->flags & SDX_STATE_DAX));
	/* flag set and DAX but not active: the kernel found the device async */
	if ((st->flags & SDX_STATE_FLAG) && (st->flags & SDX_STATE_DAX))
		st->why_not |= SDX_WHY_DEV_NOT_SYNC;
	if (!st->why_not)
		st->why_not = SDX_WHY_UNKNOWN;
	return 0;
}

/*
 * The file system's facts, with the MAP_SYNC trial made on the first DAX
 * regular file met on it (a read-only mapping of the file itself).
 */
static int dev_facts(struct sdx_ctx *ctx, int fd, const struct stat *sb,
		     struct sdxi_dev *d)
{
	char why[SDXI_STR_WHY];
	int ret, sync;

	ret = sdxi_ctx_dev(ctx, sb->st_dev, d);
	if (ret < 0 || d->sync_tried || !S_ISREG(sb->st_mode))
		return ret;
	if (sdxi_statx_dax(fd) != SDX_YES)
		return 0;
	sync = sdxi_sync_trial_fd(fd, why, sizeof(why));
	sdxi_ctx_set_sync(ctx, sb->st_dev, sync, why);
	d->dev_sync = sync;
	d->sync_tried = 1;
	return 0;
}

int sdx_ctx_state_fd(struct sdx_ctx *ctx, int fd, struct sdx_state *st)
{
	struct sdxi_dev d;
	struct stat sb;
	int ret;

	if (!ctx || !st)
		return -EINVAL;
	ret = sdxi_check_type(fd);
	if (ret < 0)
		return ret;
	if (fstat(fd, &sb) < 0)
		return -errno;
	ret = dev_facts(ctx, fd, &sb, &d);
	if (ret < 0)
		return ret;
	return sdxi_state(fd, &d, st);
}

int sdx_ctx_state_path(struct sdx_ctx *ctx, const char *path,
		       unsigned int flags, struct sdx_state *st)
{
	int fd, ret;

	if (!ctx || !path || !st)
		return -EINVAL;
	fd = sdxi_open_path(path, flags);
	if (fd < 0)
		return fd;
	ret = sdx_ctx_state_fd(ctx, fd, st);
	close(fd);
	return ret;
}

int sdx_state_fd(int fd, struct sdx_state *st)
{
	struct sdx_ctx *ctx;
	int ret;

	if (!st)
		return -EINVAL;
	ret = sdx_new(&ctx);
	if (ret < 0)
		return ret;
	ret = sdx_ctx_state_fd(ctx, fd, st);
	sdx_unref(ctx);
	return ret;
}

int sdx_state_path(const char *path, unsigned int flags, struct sdx_state *st)
{
	struct sdx_ctx *ctx;
	int ret;

	if (!path || !st)
		return -EINVAL;
	ret = sdx_new(&ctx);
	if (ret < 0)
		return ret;
	ret = sdx_ctx_state_path(ctx, path, flags, st);
	sdx_unref(ctx);
	return ret;
}
