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
 * the mount table (libmount) and sysfs for every caller; from the nvdimm
 * bus and, for ext4, the super block only for a probe (sb_probed,
 * ns_probed), since reading a device has costs and needs privileges that
 * a state query must not.  Copied out of the cache, never pointed into.
 */
struct sdxi_dev {
	dev_t devno;
	int mount_dax;			/* SDX_MOUNT_DAX_* */
	int dev_dax;			/* SDX_YES/NO/UNKNOWN: queue/dax */
	int dev_sync;			/* SDX_YES/NO/UNKNOWN: MAP_SYNC trial */
	int sync_tried;			/* the trial was made */
	int ns_probed;			/* ns_mode..provider are filled in */
	int ns_mode;			/* SDX_NS_* */
	int sb_probed;			/* fast_commit, sync_fault are filled in */
	int fast_commit;		/* SDX_YES/NO/UNKNOWN */
	int sync_fault;			/* SDX_YES/NO/UNKNOWN: ext4 ro_compat sync_fault */
	int kernel_sync_fault;		/* SDX_YES/NO/UNKNOWN: /sys/fs/ext4/features/sync_fault */
	char fstype[SDXI_STR_SHORT];
	char blockdev[SDXI_STR_SHORT];
	char ns[SDXI_STR_SHORT];
	char region[SDXI_STR_SHORT];
	char provider[SDXI_STR_SHORT];
	char sync_why[SDXI_STR_WHY];	/* how dev_sync was decided */
};

/* ctx.c */
/* The mount and sysfs facts of devno, gathered on first use; opens no device: 0 or -errno. */
int sdxi_ctx_dev(struct sdx_ctx *ctx, dev_t devno, struct sdxi_dev *out);
/*
 * As sdxi_ctx_dev(), with what only a probe asks for: the namespace
 * (libndctl or sysfs), and for ext4 the super block's features and the
 * kernel's; each read once per context and device.
 */
int sdxi_ctx_dev_probe(struct sdx_ctx *ctx, dev_t devno, struct sdxi_dev *out);
/* Record a MAP_SYNC trial's answer for devno (SDX_YES or SDX_NO), made on devno. */
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
/*
 * Its nvdimm namespace, from libndctl (nctx may be NULL; a build without
 * libndctl passes NULL) or else sysfs.
 */
struct ndctl_ctx;
void sdxi_probe_namespace(const char *sysfs, struct ndctl_ctx *nctx,
			  struct sdxi_dev *d);
/* DAX-capable: queue/dax 1, whatever the namespace mode (e820, virtio-pmem). */
int sdxi_dev_dax(const char *queue_dax);
/*
 * fast_commit and sync_fault of d from an ext4 super block device node
 * (SDX_UNKNOWN where it cannot be read), and whether the kernel knows
 * sync_fault (sysfs/fs/ext4/features/sync_fault).
 */
void sdxi_ext4_features(const char *sysfs, const char *devnode,
			const char *fs_options, struct sdxi_dev *d);
/* SDX_YES/NO/UNKNOWN: sysfs/fs/ext4/features/name exists (ext4 knows the feature). */
int sdxi_ext4_kernel_feature(const char *sysfs, const char *name);

/* sync.c */
/*
 * The kernel's own answer to "is this DAX device synchronous": a
 * MAP_SHARED_VALIDATE|MAP_SYNC mapping of a DAX inode, either fd itself
 * (a regular file; fd may be read-only) or an O_TMPFILE in dir.
 * SDX_YES/NO/UNKNOWN, with why filled in.
 */
int sdxi_sync_trial_fd(int fd, char *why, size_t size);
/* The O_TMPFILE trial refuses (SDX_UNKNOWN) a dir that is not on devno. */
int sdxi_sync_trial_dir(const char *dir, dev_t devno, char *why, size_t size);

/* inode.c: facts of one inode; calls nothing else of the library */
/*
 * Open a path for the flag ioctls: O_PATH first, and only a regular file
 * or directory is reopened (read-only, via /proc/self/fd); -EINVAL for
 * other types, -ELOOP for a final symlink under SDX_PATH_NOFOLLOW.
 */
int sdxi_open_path(const char *path, unsigned int flags);
/* 0 if fd is a regular file or directory, -EINVAL for other types, -errno. */
int sdxi_check_type(int fd);
/* FS_IOC_GETSYNCFAULT on fd: 0 or -errno. */
int sdxi_get(int fd, struct fs_syncfault *sf);
/* DAX state of an inode from statx(): SDX_YES/NO/UNKNOWN. */
int sdxi_statx_dax(int fd);
/* The directory fd is (a directory) or is in (resolved, not a path string): 0 or -errno. */
int sdxi_fd_dir(int fd, char *dir, size_t size);

/* state.c */
/* Fill *st for fd from the kernel's answer and the facts d. */
int sdxi_state(int fd, const struct sdxi_dev *d, struct sdx_state *st);

/* persist.c */
/* Write back [addr, addr+len) with the CPU's best instruction. */
void sdxi_flush(const void *addr, size_t len);
/* Seal m as made by sdx_map_fd(): sdx_persist() trusts m->mode only when sealed. */
void sdxi_seal_mapping(struct sdx_mapping *m);
/* 1 when m is a mapping sealed by sdxi_seal_mapping() and unchanged since, else 0. */
int sdxi_mapping_sealed(const struct sdx_mapping *m);

/* error.c */
/* Thread-safe description of an errno value (never NULL). */
const char *sdxi_errdesc(int err);

#endif /* SYNCDAX_PRIVATE_H */
