// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctx.c - the context: environment facts gathered once and shared by the
 * calls that take it, in the style of daxctl_new()/daxctl_unref().
 *
 * The mount table is parsed once per context, and the facts of each file
 * system (st_dev) once, so that a walk over F files on M mounts costs
 * O(F + M) instead of O(F * M).  A lock makes the caches safe to share
 * between threads; facts are copied out, never pointed into.
 */
#include "private.h"
#include "test-hooks.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmount.h>
#ifdef SDX_WITH_NDCTL
#include <ndctl/libndctl.h>
#endif

struct sdx_ctx {
	int refcount;
	pthread_mutex_t lock;
	struct libmnt_table *mounts;	/* NULL until first needed */
	unsigned int mount_reads;	/* times the table was parsed (tests) */
	struct ndctl_ctx *ndctl;	/* NULL until a namespace is looked up, or without libndctl */
	struct sdxi_dev *devs;		/* facts per st_dev, in first-use order */
	size_t ndevs, capacity;
	char sysfs[PATH_MAX];
};

int sdx_new(struct sdx_ctx **ctx)
{
	struct sdx_ctx *c;

	if (!ctx)
		return -EINVAL;
	*ctx = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (pthread_mutex_init(&c->lock, NULL)) {
		free(c);
		return -ENOMEM;
	}
	c->refcount = 1;
	snprintf(c->sysfs, sizeof(c->sysfs), "%s", "/sys");
	*ctx = c;
	return 0;
}

struct sdx_ctx *sdx_ref(struct sdx_ctx *ctx)
{
	if (ctx)
		__atomic_add_fetch(&ctx->refcount, 1, __ATOMIC_SEQ_CST);
	return ctx;
}

void sdx_unref(struct sdx_ctx *ctx)
{
	if (!ctx || __atomic_sub_fetch(&ctx->refcount, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	mnt_unref_table(ctx->mounts);
#ifdef SDX_WITH_NDCTL
	if (ctx->ndctl)
		ndctl_unref(ctx->ndctl);
#endif
	pthread_mutex_destroy(&ctx->lock);
	free(ctx->devs);
	free(ctx);
}

const char *sdxi_ctx_sysfs(const struct sdx_ctx *ctx)
{
	return ctx->sysfs;
}

/* The mount table, parsed on first use; call with the lock held. */
static struct libmnt_table *mounts_locked(struct sdx_ctx *ctx)
{
	struct libmnt_table *tb;

	if (ctx->mounts)
		return ctx->mounts;
	tb = mnt_new_table();
	if (!tb)
		return NULL;
	ctx->mount_reads++;
	if (mnt_table_parse_mtab(tb, NULL) != 0) {
		mnt_unref_table(tb);
		return NULL;
	}
	ctx->mounts = tb;
	return tb;
}

int sdxi_ctx_with_mounts(struct sdx_ctx *ctx,
			 int (*fn)(struct libmnt_table *tb, void *arg), void *arg)
{
	struct libmnt_table *tb;
	int ret;

	pthread_mutex_lock(&ctx->lock);
	tb = mounts_locked(ctx);
	ret = tb ? fn(tb, arg) : -EIO;
	pthread_mutex_unlock(&ctx->lock);
	return ret;
}

static struct sdxi_dev *find_dev_locked(struct sdx_ctx *ctx, dev_t devno)
{
	size_t i;

	for (i = 0; i < ctx->ndevs; i++)
		if (ctx->devs[i].devno == devno)
			return &ctx->devs[i];
	return NULL;
}

/* The last mount of devno (the visible one), or NULL. */
static struct libmnt_fs *mount_of_locked(struct sdx_ctx *ctx, dev_t devno)
{
	struct libmnt_table *tb = mounts_locked(ctx);

	return tb ? mnt_table_find_devno(tb, devno, MNT_ITER_BACKWARD) : NULL;
}

/* Mount facts of devno, from the mount table alone: no device is opened. */
static void mount_facts_locked(struct sdx_ctx *ctx, struct sdxi_dev *d)
{
	struct libmnt_fs *fs = mount_of_locked(ctx, d->devno);

	if (!fs)
		return;
	sdxi_copy_str(d->fstype, sizeof(d->fstype), mnt_fs_get_fstype(fs));
	d->mount_dax = sdxi_mount_dax_mode(d->fstype, mnt_fs_get_fs_options(fs));
}

/*
 * The super block's features, for a probe only: reading the device needs
 * root and is a side effect state queries must not have (issue 24).
 */
static void super_facts_locked(struct sdx_ctx *ctx, struct sdxi_dev *d)
{
	struct libmnt_fs *fs;

	if (d->sb_probed)
		return;
	d->sb_probed = 1;
	/* a fact of the kernel, whatever the file system probed */
	d->kernel_sync_fault = sdxi_ext4_kernel_feature(ctx->sysfs, "sync_fault");
	if (strcmp(d->fstype, "ext4") != 0)
		return;
	fs = mount_of_locked(ctx, d->devno);
	sdxi_ext4_features(ctx->sysfs, fs ? mnt_fs_get_srcpath(fs) : NULL,
			   fs ? mnt_fs_get_fs_options(fs) : NULL, d);
}

static struct sdxi_dev *add_dev_locked(struct sdx_ctx *ctx, dev_t devno)
{
	struct sdxi_dev *d;

	if (ctx->ndevs == ctx->capacity) {
		size_t cap = ctx->capacity ? 2 * ctx->capacity : 8;

		d = realloc(ctx->devs, cap * sizeof(*d));
		if (!d)
			return NULL;
		ctx->devs = d;
		ctx->capacity = cap;
	}
	d = &ctx->devs[ctx->ndevs++];
	memset(d, 0, sizeof(*d));
	d->devno = devno;
	d->mount_dax = SDX_MOUNT_DAX_NONE;
	d->dev_dax = SDX_UNKNOWN;
	d->dev_sync = SDX_UNKNOWN;
	d->ns_mode = SDX_NS_NONE;
	d->fast_commit = SDX_UNKNOWN;
	d->sync_fault = SDX_UNKNOWN;
	d->kernel_sync_fault = SDX_UNKNOWN;
	snprintf(d->sync_why, sizeof(d->sync_why), "not tried");
	mount_facts_locked(ctx, d);
	sdxi_probe_blockdev(ctx->sysfs, d);
	return d;
}

int sdxi_ctx_dev(struct sdx_ctx *ctx, dev_t devno, struct sdxi_dev *out)
{
	struct sdxi_dev *d;

	pthread_mutex_lock(&ctx->lock);
	d = find_dev_locked(ctx, devno);
	if (!d)
		d = add_dev_locked(ctx, devno);
	if (d)
		*out = *d;
	pthread_mutex_unlock(&ctx->lock);
	return d ? 0 : -ENOMEM;
}

/*
 * libndctl's view of the nvdimm buses, made on first use (only a probe of
 * a file on an nvdimm needs it); NULL where it cannot be had, or where a
 * test's fake sysfs is read instead of /sys.
 */
static struct ndctl_ctx *ndctl_locked(struct sdx_ctx *ctx)
{
#ifdef SDX_WITH_NDCTL
	if (!ctx->ndctl && strcmp(ctx->sysfs, "/sys") == 0 &&
	    ndctl_new(&ctx->ndctl) != 0)
		ctx->ndctl = NULL;
	if (ctx->ndctl)
		ndctl_set_log_priority(ctx->ndctl, 0);	/* the library never prints */
#endif
	return ctx->ndctl;
}

int sdxi_ctx_dev_probe(struct sdx_ctx *ctx, dev_t devno, struct sdxi_dev *out)
{
	struct sdxi_dev *d;

	pthread_mutex_lock(&ctx->lock);
	d = find_dev_locked(ctx, devno);
	if (!d)
		d = add_dev_locked(ctx, devno);
	if (d && !d->ns_probed) {
		sdxi_probe_namespace(ctx->sysfs, ndctl_locked(ctx), d);
		d->ns_probed = 1;
	}
	if (d) {
		super_facts_locked(ctx, d);
		*out = *d;
	}
	pthread_mutex_unlock(&ctx->lock);
	return d ? 0 : -ENOMEM;
}

void sdxi_ctx_set_sync(struct sdx_ctx *ctx, dev_t devno, int sync,
		       const char *why)
{
	struct sdxi_dev *d;

	pthread_mutex_lock(&ctx->lock);
	d = find_dev_locked(ctx, devno);
	if (d) {
		d->dev_sync = sync;
		d->sync_tried = 1;
		sdxi_copy_str(d->sync_why, sizeof(d->sync_why), why);
	}
	pthread_mutex_unlock(&ctx->lock);
}

#ifdef SYNCDAX_TEST_HOOKS
void sdxi_test_ctx_sysfs(struct sdx_ctx *ctx, const char *root)
{
	snprintf(ctx->sysfs, sizeof(ctx->sysfs), "%s", root);
}

unsigned int sdxi_test_ctx_mount_reads(struct sdx_ctx *ctx)
{
	return ctx->mount_reads;
}
#endif
