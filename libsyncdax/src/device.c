// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * device.c - facts of a file system's backing device: DAX capability from
 * the block queue (sysfs queue/dax, as the kernel decides it), the nvdimm
 * namespace where there is one (libndctl where the build has it, sysfs
 * otherwise), and ext4's fast_commit and sync_fault features
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#ifdef SDX_WITH_NDCTL
#include <ndctl/libndctl.h>
#endif

/* Read the first line of a sysfs attribute into buf: 0 or -errno. */
static int read_attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int sdxi_dev_dax(const char *queue_dax)
{
	if (!queue_dax)
		return SDX_UNKNOWN;
	return strcmp(queue_dax, "1") == 0 ? SDX_YES : SDX_NO;
}

static int ns_mode_of(const char *name)
{
	if (starts_with(name, "pfn"))
		return SDX_NS_FSDAX;
	if (starts_with(name, "namespace"))
		return SDX_NS_RAW;
	if (starts_with(name, "btt"))
		return SDX_NS_SECTOR;
	return SDX_NS_UNKNOWN;
}

/*
 * The nvdimm side of a disk whose device link resolved to devpath
 * (.../ndbusN/regionM/pfnM.K, .../namespaceM.K or .../bttM.K): mode,
 * namespace, region, bus provider.  Not below an ndbus: no namespace (dm,
 * brd, virtual devices).
 */
static void probe_namespace(char *devpath, struct sdxi_dev *d)
{
	char buf[SDXI_STR_SHORT];
	const char *name = base_name(devpath);
	char *slash;

	if (!strstr(devpath, "/ndbus")) {
		d->ns_mode = SDX_NS_NONE;
		return;
	}
	d->ns_mode = ns_mode_of(name);
	if (d->ns_mode == SDX_NS_RAW)
		sdxi_copy_str(d->ns, sizeof(d->ns), name);
	else if (read_attr(devpath, "namespace", buf, sizeof(buf)) == 0)
		sdxi_copy_str(d->ns, sizeof(d->ns), buf);
	while ((slash = strrchr(devpath, '/')) && slash != devpath) {
		*slash = '\0';
		name = base_name(devpath);
		if (starts_with(name, "region") && !d->region[0])
			sdxi_copy_str(d->region, sizeof(d->region), name);
		if (starts_with(name, "ndbus")) {
			if (read_attr(devpath, "provider", buf, sizeof(buf)) == 0)
				sdxi_copy_str(d->provider, sizeof(d->provider), buf);
			break;
		}
	}
}

/*
 * The sysfs directory of the disk holding devno (for a partition, its
 * parent: queue/ and device belong to the whole disk) into disk, and the
 * name of devno's own block device into name: 0 or -1.
 */
static int disk_dir(const char *sysfs, dev_t devno, char *disk, char *name,
		    size_t name_size)
{
	char link[PATH_MAX], buf[SDXI_STR_SHORT];

	/* no block device: tmpfs, proc, network and fuse file systems */
	if (major(devno) == 0)
		return -1;
	snprintf(link, sizeof(link), "%s/dev/block/%u:%u", sysfs, major(devno),
		 minor(devno));
	if (!realpath(link, disk))
		return -1;
	sdxi_copy_str(name, name_size, base_name(disk));
	if (read_attr(disk, "partition", buf, sizeof(buf)) == 0) {
		char *slash = strrchr(disk, '/');

		if (slash)
			*slash = '\0';
	}
	return 0;
}

void sdxi_probe_blockdev(const char *sysfs, struct sdxi_dev *d)
{
	char disk[PATH_MAX], buf[SDXI_STR_SHORT];

	if (disk_dir(sysfs, d->devno, disk, d->blockdev, sizeof(d->blockdev)) < 0)
		return;
	/* dm and other stacked devices have a queue/dax of their own */
	if (read_attr(disk, "queue/dax", buf, sizeof(buf)) == 0)
		d->dev_dax = sdxi_dev_dax(buf);
}

#ifdef SDX_WITH_NDCTL
/* The block device of a namespace: its own, or its pfn's or btt's; "" if none. */
static const char *namespace_disk(struct ndctl_namespace *ndns)
{
	struct ndctl_btt *btt = ndctl_namespace_get_btt(ndns);
	struct ndctl_pfn *pfn = ndctl_namespace_get_pfn(ndns);
	const char *bdev = btt ? ndctl_btt_get_block_device(btt) :
			   pfn ? ndctl_pfn_get_block_device(pfn) :
			   ndctl_namespace_get_block_device(ndns);

	return bdev ? bdev : "";
}

/* The namespace whose block device is disk. */
static struct ndctl_namespace *find_namespace(struct ndctl_ctx *nctx,
					      const char *disk,
					      struct ndctl_bus **busp,
					      struct ndctl_region **regionp)
{
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	struct ndctl_bus *bus;

	for (bus = ndctl_bus_get_first(nctx); bus; bus = ndctl_bus_get_next(bus)) {
		for (region = ndctl_region_get_first(bus); region;
		     region = ndctl_region_get_next(region)) {
			for (ndns = ndctl_namespace_get_first(region); ndns;
			     ndns = ndctl_namespace_get_next(ndns)) {
				if (!strcmp(namespace_disk(ndns), disk)) {
					*busp = bus;
					*regionp = region;
					return ndns;
				}
			}
		}
	}
	return NULL;
}

static int ns_mode_of_ndctl(enum ndctl_namespace_mode mode)
{
	switch (mode) {
	case NDCTL_NS_MODE_FSDAX:
		return SDX_NS_FSDAX;
	case NDCTL_NS_MODE_RAW:
		return SDX_NS_RAW;
	case NDCTL_NS_MODE_SECTOR:
		return SDX_NS_SECTOR;
	default:
		return SDX_NS_UNKNOWN;
	}
}

/* The namespace facts from libndctl: 0, or -ENOENT when it does not know disk. */
static int namespace_by_ndctl(struct ndctl_ctx *nctx, const char *disk,
			      struct sdxi_dev *d)
{
	struct ndctl_namespace *ndns;
	struct ndctl_region *region;
	struct ndctl_bus *bus;

	if (!nctx)
		return -ENOENT;
	ndns = find_namespace(nctx, disk, &bus, &region);
	if (!ndns)
		return -ENOENT;
	d->ns_mode = ns_mode_of_ndctl(ndctl_namespace_get_mode(ndns));
	sdxi_copy_str(d->ns, sizeof(d->ns), ndctl_namespace_get_devname(ndns));
	sdxi_copy_str(d->region, sizeof(d->region), ndctl_region_get_devname(region));
	sdxi_copy_str(d->provider, sizeof(d->provider), ndctl_bus_get_provider(bus));
	return 0;
}
#else
/* Built without libndctl: sysfs answers alone. */
static int namespace_by_ndctl(struct ndctl_ctx *nctx, const char *disk,
			      struct sdxi_dev *d)
{
	(void)nctx;
	(void)disk;
	(void)d;
	return -ENOENT;
}
#endif

void sdxi_probe_namespace(const char *sysfs, struct ndctl_ctx *nctx,
			  struct sdxi_dev *d)
{
	char disk[PATH_MAX], dev[PATH_MAX], real[PATH_MAX], name[SDXI_STR_SHORT];

	d->ns_mode = SDX_NS_NONE;
	if (disk_dir(sysfs, d->devno, disk, name, sizeof(name)) < 0)
		return;
	/* the disk's device: below an nvdimm bus, or no namespace at all */
	if (snprintf(dev, sizeof(dev), "%s/device", disk) >= (int)sizeof(dev) ||
	    !realpath(dev, real) || !strstr(real, "/ndbus"))
		return;
	/* libndctl knows the namespaces; sysfs, as it is, where it does not */
	if (namespace_by_ndctl(nctx, base_name(disk), d) == 0)
		return;
	probe_namespace(real, d);
}

/*
 * ext4 super block: offset 1024; s_magic at 0x38, s_feature_compat at
 * 0x5c, s_feature_ro_compat at 0x64 (little endian).  The feature numbers
 * are the kernel's, in uapi-syncfault.h.
 */
#define EXT4_SB_OFFSET		1024
#define EXT4_SB_MAGIC_OFF	0x38
#define EXT4_SB_COMPAT_OFF	0x5c
#define EXT4_SB_RO_COMPAT_OFF	0x64
#define EXT4_SUPER_MAGIC_LE	0xef53

static uint32_t le32_at(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/* The super block's compat and ro_compat words: 0, or -1 if unreadable. */
static int read_ext4_super(const char *devnode, uint32_t *compat,
			   uint32_t *ro_compat)
{
	unsigned char sb[EXT4_SB_RO_COMPAT_OFF + 4];
	char proc[32];
	struct stat st;
	ssize_t n;
	int pfd, fd;

	if (!devnode)
		return -1;
	/*
	 * O_PATH first: only a block device (or an image file) is read, and
	 * it is reopened through /proc/self/fd, so that a node renamed into
	 * its place meanwhile is never opened.
	 */
	pfd = open(devnode, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) < 0 || !(S_ISBLK(st.st_mode) || S_ISREG(st.st_mode))) {
		close(pfd);
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	close(pfd);
	if (fd < 0)
		return -1;
	n = pread(fd, sb, sizeof(sb), EXT4_SB_OFFSET);
	close(fd);
	if (n != (ssize_t)sizeof(sb))
		return -1;
	if ((sb[EXT4_SB_MAGIC_OFF] | sb[EXT4_SB_MAGIC_OFF + 1] << 8) != EXT4_SUPER_MAGIC_LE)
		return -1;
	*compat = le32_at(sb + EXT4_SB_COMPAT_OFF);
	*ro_compat = le32_at(sb + EXT4_SB_RO_COMPAT_OFF);
	return 0;
}

/*
 * Whether ext4 in this kernel knows a feature: /sys/fs/ext4/features/NAME
 * (a patched kernel lists sync_fault there).  Without the features
 * directory (ext4 not loaded) nothing can be said.
 */
int sdxi_ext4_kernel_feature(const char *sysfs, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/fs/ext4/features", sysfs);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return SDX_UNKNOWN;
	if (snprintf(path, sizeof(path), "%s/fs/ext4/features/%s", sysfs, name) >=
	    (int)sizeof(path))
		return SDX_UNKNOWN;
	return stat(path, &st) == 0 ? SDX_YES : SDX_NO;
}

/*
 * The kernel exports no per-mount fast_commit state in 6.12
 * (/sys/fs/ext4/features/fast_commit says only that the driver knows it),
 * nor sync_fault, so read the feature bits from the super block, which
 * needs read access to the device (root).  libext2fs would do this, but
 * it is not a build dependency for two words.  data=journal turns fast
 * commits off (ext4_check_journal_data_mode()).
 */
void sdxi_ext4_features(const char *sysfs, const char *devnode,
			const char *fs_options, struct sdxi_dev *d)
{
	uint32_t compat, ro_compat;

	d->kernel_sync_fault = sdxi_ext4_kernel_feature(sysfs, "sync_fault");
	if (read_ext4_super(devnode, &compat, &ro_compat) < 0) {
		d->fast_commit = SDX_UNKNOWN;
		d->sync_fault = SDX_UNKNOWN;
	} else {
		d->fast_commit = (compat & SDX_EXT4_FEATURE_COMPAT_FAST_COMMIT) ?
				 SDX_YES : SDX_NO;
		d->sync_fault = (ro_compat & SDX_EXT4_FEATURE_RO_COMPAT_SYNC_FAULT) ?
				SDX_YES : SDX_NO;
	}
	if (fs_options && strstr(fs_options, "data=journal"))
		d->fast_commit = SDX_NO;
}
