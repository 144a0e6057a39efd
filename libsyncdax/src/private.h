/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * private.h - what the library's source files share; never installed
 */
#ifndef SYNCDAX_PRIVATE_H
#define SYNCDAX_PRIVATE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/mman.h>

#include <syncdax.h>
#include "uapi-syncfault.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif
#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX		0x00200000
#endif


#define SDX_XSTR_(x)		#x
#define SDX_XSTR(x)		SDX_XSTR_(x)

#define SDX_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define SDXI_STR_SHORT		64
#define SDXI_STR_WHY		160

/*
 * Facts of one file system (one st_dev), gathered once per context: from
 * the mount table (libmount), from sysfs and, for ext4, from the super
 * block.  Copied out of the cache, never pointed into.
 */
struct sdxi_dev {
	dev_t devno;
	int mount_dax;			/* SDX_MOUNT_DAX_* */
	int dev_dax;			/* SDX_YES/NO/UNKNOWN: queue/dax */
	int dev_sync;			/* SDX_YES/NO/UNKNOWN: MAP_SYNC trial */
	int sync_tried;			/* the trial was made */
	int ns_probed;			/* ns_mode..provider are filled in */
	int ns_mode;			/* SDX_NS_* */
	int fast_commit;		/* SDX_YES/NO/UNKNOWN */
	char fstype[SDXI_STR_SHORT];
	char blockdev[SDXI_STR_SHORT];
	char ns[SDXI_STR_SHORT];
	char region[SDXI_STR_SHORT];
	char provider[SDXI_STR_SHORT];
	char sync_why[SDXI_STR_WHY];	/* how dev_sync was decided */
};

/* ctx.c */
/* The facts of devno, gathered on first use: 0 or -errno. */
int sdxi_ctx_dev(struct sdx_ctx *ctx, dev_t devno, struct sdxi_dev *out);
/* As sdxi_ctx_dev(), with the namespace facts (libndctl) too. */
int sdxi_ctx_dev_namespace(struct sdx_ctx *ctx, dev_t devno, struct sdxi_dev *out);
/* Record a MAP_SYNC trial's answer for devno (SDX_YES or SDX_NO). */
void sdxi_ctx_set_sync(struct sdx_ctx *ctx, dev_t devno, int sync, const char *why);
/*
 * Call fn on the mount table (read once per context) under the context's
 * lock; returns what fn returns, or -errno if the table cannot be read.
 */
struct libmnt_table;
int sdxi_ctx_with_mounts(struct sdx_ctx *ctx,
			 int (*fn)(struct libmnt_table *tb, void *arg), void *arg);
/* The sysfs root ("/sys"; a fake tree in the unit tests). */
const char *sdxi_ctx_sysfs(const struct sdx_ctx *ctx);

/* mount.c */
/* Copy src (NULL: "") into dst, truncated to size - 1 bytes. */
void sdxi_copy_str(char *dst, size_t size, const char *src);
/* SDX_MOUNT_DAX_* from a file system type and its super block options. */
int sdxi_mount_dax_mode(const char *fstype, const char *fs_options);

/* device.c: facts of a block device from sysfs (root: sysfs): name, DAX */
void sdxi_probe_blockdev(const char *sysfs, struct sdxi_dev *d);
/* Its nvdimm namespace, from libndctl (nctx may be NULL) or else sysfs. */
struct ndctl_ctx;
void sdxi_probe_namespace(const char *sysfs, struct ndctl_ctx *nctx,
			  struct sdxi_dev *d);
/* DAX-capable: queue/dax 1, whatever the namespace mode (e820, virtio-pmem). */
int sdxi_dev_dax(const char *queue_dax);
/* fast_commit from an ext4 super block device node: SDX_YES/NO/UNKNOWN. */
int sdxi_ext4_fast_commit(const char *devnode, const char *fs_options);

/* sync.c */
/*
 * The kernel's own answer to "is this DAX device synchronous": a
 * MAP_SHARED_VALIDATE|MAP_SYNC mapping of a DAX inode, either fd itself
 * (a regular file; fd may be read-only) or an O_TMPFILE in dir.
 * SDX_YES/NO/UNKNOWN, with why filled in.
 */
int sdxi_sync_trial_fd(int fd, char *why, size_t size);
int sdxi_sync_trial_dir(const char *dir, char *why, size_t size);

/* flag.c */
/* Open a path for the flag ioctls; -EINVAL unless regular file or directory. */
int sdxi_open_path(const char *path, unsigned int flags);
/* 0 if fd is a regular file or directory, -EINVAL for other types, -errno. */
int sdxi_check_type(int fd);
/* FS_IOC_GETSYNCFAULT on fd: 0 or -errno. */
int sdxi_get(int fd, struct fs_syncfault *sf);

/* state.c */
/* DAX state of an inode from statx(): SDX_YES/NO/UNKNOWN. */
int sdxi_statx_dax(int fd);
/* Fill *st for fd from the kernel's answer and the facts d. */
int sdxi_state(int fd, const struct sdxi_dev *d, struct sdx_state *st);

/* persist.c */
/* Write back [addr, addr+len) with the CPU's best instruction. */
void sdxi_flush(const void *addr, size_t len);

#endif /* SYNCDAX_PRIVATE_H */
