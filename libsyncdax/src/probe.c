// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * probe.c - what stands between a path and synchronous faults, as one
 * opaque object: kernel support, the mount (libmount), the device facts
 * of the context, whether MAP_SYNC works there (the kernel's answer), the
 * inode's DAX attribute, the CPU flush instruction
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include <libmount.h>

struct sdx_probe {
	int kernel;
	int flag;
	int dax_attr;
	int flush;
	struct sdx_state state;
	struct sdxi_dev dev;
	char source[PATH_MAX];
	char target[PATH_MAX];
	char options[PATH_MAX];
};

struct mount_query {
	const char *path;	/* NULL: by device number only */
	dev_t devno;
	struct sdx_probe *p;
};

/*
 * The mount of the path (or, failing that, of its device).  Trust the path
 * when its mount has the file's device number; else look the device up
 * (the path may have been renamed or deleted), and keep the path's answer
 * where device numbers differ (btrfs).
 */
static int find_mount(struct libmnt_table *tb, void *arg)
{
	struct mount_query *q = arg;
	struct libmnt_fs *fs = NULL, *by_path = NULL;

	if (q->path) {
		by_path = mnt_table_find_mountpoint(tb, q->path, MNT_ITER_BACKWARD);
		/* the entry visible at that mount point: the last one mounted */
		if (by_path)
			by_path = mnt_table_find_target(tb, mnt_fs_get_target(by_path),
							MNT_ITER_BACKWARD);
	}
	if (by_path && mnt_fs_get_devno(by_path) == q->devno)
		fs = by_path;
	else
		fs = mnt_table_find_devno(tb, q->devno, MNT_ITER_BACKWARD);
	if (!fs)
		fs = by_path;
	if (!fs)
		return 0;
	sdxi_copy_str(q->p->source, sizeof(q->p->source), mnt_fs_get_source(fs));
	sdxi_copy_str(q->p->target, sizeof(q->p->target), mnt_fs_get_target(fs));
	sdxi_copy_str(q->p->options, sizeof(q->p->options), mnt_fs_get_options(fs));
	sdxi_copy_str(q->p->dev.fstype, sizeof(q->p->dev.fstype), mnt_fs_get_fstype(fs));
	return 0;
}

/* FS_XFLAG_DAX of the inode: what dax=inode decides by. */
static int dax_attr(int fd)
{
	struct fsxattr fa;

	memset(&fa, 0, sizeof(fa));
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0)
		return SDX_UNKNOWN;
	return (fa.fsx_xflags & FS_XFLAG_DAX) ? SDX_YES : SDX_NO;
}

/* The kernel's flag answer: ENOTTY always means an unpatched kernel. */
static void probe_flag(int fd, struct sdx_probe *p)
{
	struct fs_syncfault sf;
	int ret = sdxi_get(fd, &sf);

	if (ret == 0) {
		p->kernel = SDX_YES;
		p->flag = (sf.sf_flags & FS_SYNCFAULT_ON) ? SDX_YES : SDX_NO;
	} else if (ret == -EOPNOTSUPP) {
		p->kernel = SDX_YES;
	} else if (ret == -ENOTTY) {
		p->kernel = SDX_NO;
	}
}

/*
 * MAP_SYNC trial: an O_TMPFILE in the directory of the resolved file (the
 * directory itself for a directory), never of the path string, whose
 * symlinks may lead anywhere; else the file itself when it is DAX.  Both
 * are made on the file's own device, so the answer may be cached for it.
 */
static void probe_sync(int fd, const struct stat *sb, struct sdx_probe *p)
{
	char dir[PATH_MAX];
	int sync = SDX_UNKNOWN;

	if (sdxi_fd_dir(fd, dir, sizeof(dir)) == 0)
		sync = sdxi_sync_trial_dir(dir, sb->st_dev, p->dev.sync_why,
					   sizeof(p->dev.sync_why));
	else
		sdxi_copy_str(p->dev.sync_why, sizeof(p->dev.sync_why),
			      "the file has no directory to try MAP_SYNC in");
	if (sync == SDX_UNKNOWN && S_ISREG(sb->st_mode)) {
		char why[SDXI_STR_WHY];
		int by_file = sdxi_sync_trial_fd(fd, why, sizeof(why));

		if (by_file != SDX_UNKNOWN) {
			sync = by_file;
			sdxi_copy_str(p->dev.sync_why, sizeof(p->dev.sync_why), why);
		}
	}
	p->dev.dev_sync = sync;
}

static int probe_fd(struct sdx_ctx *ctx, int fd, struct sdx_probe *p)
{
	struct mount_query q = { .path = NULL, .p = p };
	char proc[64], real[PATH_MAX];
	struct stat sb;
	ssize_t n;
	int ret;

	if (fstat(fd, &sb) < 0)
		return -errno;
	ret = sdxi_ctx_dev_probe(ctx, sb.st_dev, &p->dev);
	if (ret < 0)
		return ret;
	q.devno = sb.st_dev;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, real, sizeof(real) - 1);
	if (n > 0 && real[0] == '/') {
		real[n] = '\0';
		q.path = real;
	}
	sdxi_ctx_with_mounts(ctx, find_mount, &q);
	p->flush = sdx_flush_insn();
	p->dax_attr = dax_attr(fd);
	probe_flag(fd, p);
	probe_sync(fd, &sb, p);
	if (p->dev.dev_sync != SDX_UNKNOWN)
		sdxi_ctx_set_sync(ctx, sb.st_dev, p->dev.dev_sync, p->dev.sync_why);
	return sdxi_state(fd, &p->dev, &p->state);
}

int sdx_probe_path(struct sdx_ctx *ctx, const char *path, struct sdx_probe **out)
{
	struct sdx_ctx *own = NULL;
	struct sdx_probe *p;
	int fd, ret;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!path)
		return -EINVAL;
	if (!ctx) {
		ret = sdx_new(&own);
		if (ret < 0)
			return ret;
		ctx = own;
	}
	p = calloc(1, sizeof(*p));
	fd = p ? sdxi_open_path(path, 0) : -ENOMEM;
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	p->kernel = SDX_UNKNOWN;
	p->flag = SDX_UNKNOWN;
	ret = probe_fd(ctx, fd, p);
	close(fd);
out:
	sdx_unref(own);
	if (ret < 0) {
		free(p);
		return ret;
	}
	*out = p;
	return 0;
}

void sdx_probe_free(struct sdx_probe *p)
{
	free(p);
}

int sdx_probe_get_kernel(const struct sdx_probe *p)
{
	return p ? p->kernel : SDX_UNKNOWN;
}

int sdx_probe_get_flag(const struct sdx_probe *p)
{
	return p ? p->flag : SDX_UNKNOWN;
}

int sdx_probe_get_dax_attr(const struct sdx_probe *p)
{
	return p ? p->dax_attr : SDX_UNKNOWN;
}

int sdx_probe_get_flush(const struct sdx_probe *p)
{
	return p ? p->flush : SDX_FLUSH_NONE;
}

int sdx_probe_get_mount_dax(const struct sdx_probe *p)
{
	return p ? p->dev.mount_dax : SDX_MOUNT_DAX_NONE;
}

int sdx_probe_get_dev_dax(const struct sdx_probe *p)
{
	return p ? p->dev.dev_dax : SDX_UNKNOWN;
}

int sdx_probe_get_dev_sync(const struct sdx_probe *p)
{
	return p ? p->dev.dev_sync : SDX_UNKNOWN;
}

int sdx_probe_get_ns_mode(const struct sdx_probe *p)
{
	return p ? p->dev.ns_mode : SDX_NS_NONE;
}

int sdx_probe_get_fast_commit(const struct sdx_probe *p)
{
	return p ? p->dev.fast_commit : SDX_UNKNOWN;
}

int sdx_probe_get_sync_fault(const struct sdx_probe *p)
{
	return p ? p->dev.sync_fault : SDX_UNKNOWN;
}

int sdx_probe_get_kernel_sync_fault(const struct sdx_probe *p)
{
	return p ? p->dev.kernel_sync_fault : SDX_UNKNOWN;
}

/*
 * Does the file system lack the sync_fault feature?  The super block says
 * so when it can be read (root); else a patched kernel whose ext4 answers
 * GET for this file has opted in, and ext4 refuses SET with EOPNOTSUPP
 * only for the missing feature (DESIGN.md section 2.9).
 */
static int lacks_sync_fault(const struct sdx_probe *p)
{
	if (strcmp(p->dev.fstype, "ext4") != 0)
		return 0;
	if (p->dev.sync_fault != SDX_UNKNOWN)
		return p->dev.sync_fault == SDX_NO;
	return p->kernel == SDX_YES && p->flag != SDX_UNKNOWN;
}

const char *sdx_probe_strerror(const struct sdx_probe *p, int err)
{
	if (p && (err == -EOPNOTSUPP || err == EOPNOTSUPP) && lacks_sync_fault(p))
		return "the file system lacks the sync_fault feature: an "
		       "administrator turns it on with `tune2fs -O sync_fault DEV` "
		       "(kernels without the sync-fault series then mount it "
		       "read-only)";
	return sdx_strerror(err);
}


const struct sdx_state *sdx_probe_get_state(const struct sdx_probe *p)
{
	static const struct sdx_state none;

	return p ? &p->state : &none;
}

unsigned int sdx_probe_get_dev_major(const struct sdx_probe *p)
{
	return p ? major(p->dev.devno) : 0;
}

unsigned int sdx_probe_get_dev_minor(const struct sdx_probe *p)
{
	return p ? minor(p->dev.devno) : 0;
}

#define STR_GETTER(name, field)						\
	const char *sdx_probe_get_##name(const struct sdx_probe *p)	\
	{								\
		return p ? p->field : "";				\
	}

STR_GETTER(dev_sync_why, dev.sync_why)
STR_GETTER(fstype, dev.fstype)
STR_GETTER(source, source)
STR_GETTER(target, target)
STR_GETTER(options, options)
STR_GETTER(blockdev, dev.blockdev)
STR_GETTER(namespace, dev.ns)
STR_GETTER(region, dev.region)
STR_GETTER(provider, dev.provider)
