// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * probe.c - what stands between a path and synchronous faults: kernel
 * support, mount (libmount), backing device and nvdimm namespace (sysfs),
 * CPU flush instruction
 */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include <libmount.h>

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!src)
		src = "";
	n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

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

static int mount_dax_mode(const char *fstype, const char *optstr)
{
	char *val = NULL;
	size_t valsz = 0;

	if (optstr && mnt_optstr_get_option(optstr, "dax", &val, &valsz) == 0) {
		if (!val || valsz == 0)
			return SDX_MOUNT_DAX_ALWAYS;
		if (valsz == 6 && !strncmp(val, "always", 6))
			return SDX_MOUNT_DAX_ALWAYS;
		if (valsz == 5 && !strncmp(val, "never", 5))
			return SDX_MOUNT_DAX_NEVER;
		if (valsz == 5 && !strncmp(val, "inode", 5))
			return SDX_MOUNT_DAX_INODE;
		return SDX_MOUNT_DAX_NONE;
	}
	/* ext4 and xfs since 5.8: no option means dax=inode */
	if (fstype && (!strcmp(fstype, "ext4") || !strcmp(fstype, "xfs")))
		return SDX_MOUNT_DAX_INODE;
	return SDX_MOUNT_DAX_NONE;
}

/* Find the mount of path (or, failing that, of devno) with libmount. */
static void probe_mount(const char *path, dev_t devno, struct sdx_probe *p)
{
	struct libmnt_fs *fs = NULL, *by_path = NULL;
	struct libmnt_table *tb;
	const char *opts;

	tb = mnt_new_table();
	if (!tb)
		return;
	if (mnt_table_parse_mtab(tb, NULL) != 0)
		goto out;
	if (path) {
		by_path = mnt_table_find_mountpoint(tb, path, MNT_ITER_BACKWARD);
		/* the entry visible at that mount point: the last one mounted */
		if (by_path)
			by_path = mnt_table_find_target(tb, mnt_fs_get_target(by_path),
							MNT_ITER_BACKWARD);
	}
	/*
	 * Trust the path when its mount has the file's device number; else
	 * look the device up (the path may have been renamed or deleted), and
	 * keep the path's answer where device numbers differ (btrfs).
	 */
	if (by_path && mnt_fs_get_devno(by_path) == devno)
		fs = by_path;
	else
		fs = mnt_table_find_devno(tb, devno, MNT_ITER_BACKWARD);
	if (!fs)
		fs = by_path;
	if (!fs)
		goto out;
	copy_str(p->fstype, sizeof(p->fstype), mnt_fs_get_fstype(fs));
	copy_str(p->source, sizeof(p->source), mnt_fs_get_source(fs));
	copy_str(p->target, sizeof(p->target), mnt_fs_get_target(fs));
	opts = mnt_fs_get_options(fs);
	copy_str(p->options, sizeof(p->options), opts);
	p->mount_dax = mount_dax_mode(p->fstype, mnt_fs_get_fs_options(fs));
out:
	mnt_unref_table(tb);
}

/* Backing block device, DAX support, nvdimm namespace and its bus. */
static void probe_device(struct sdx_probe *p)
{
	char link[64], dev[PATH_MAX], disk[PATH_MAX], buf[SDX_STR_SHORT];
	char *slash;
	const char *name;

	if (p->dev_major == 0) {
		/* no block device: tmpfs, proc, network and fuse file systems */
		p->dev_dax = SDX_UNKNOWN;
		return;
	}
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", p->dev_major, p->dev_minor);
	if (!realpath(link, disk))
		return;
	copy_str(p->blockdev, sizeof(p->blockdev), base_name(disk));
	/* a partition: queue/ and device belong to the whole disk */
	if (read_attr(disk, "partition", buf, sizeof(buf)) == 0) {
		slash = strrchr(disk, '/');
		if (slash)
			*slash = '\0';
	}
	if (read_attr(disk, "queue/dax", buf, sizeof(buf)) == 0)
		p->dev_dax = strcmp(buf, "1") == 0 ? SDX_YES : SDX_NO;

	if (snprintf(dev, sizeof(dev), "%s/device", disk) >= (int)sizeof(dev))
		return;
	if (!realpath(dev, disk))
		return;
	if (!strstr(disk, "/ndbus")) {
		p->ns_mode = SDX_NS_NONE;
		return;
	}
	name = base_name(disk);
	if (starts_with(name, "pfn"))
		p->ns_mode = SDX_NS_FSDAX;
	else if (starts_with(name, "namespace"))
		p->ns_mode = SDX_NS_RAW;
	else if (starts_with(name, "btt"))
		p->ns_mode = SDX_NS_SECTOR;
	else
		p->ns_mode = SDX_NS_UNKNOWN;
	if (starts_with(name, "namespace"))
		copy_str(p->ns, sizeof(p->ns), name);
	else if (read_attr(disk, "namespace", buf, sizeof(buf)) == 0)
		copy_str(p->ns, sizeof(p->ns), buf);

	/* walk up: .../ndbusN/regionM/pfnM.K */
	while ((slash = strrchr(disk, '/')) && slash != disk) {
		*slash = '\0';
		name = base_name(disk);
		if (starts_with(name, "region") && !p->region[0])
			copy_str(p->region, sizeof(p->region), name);
		if (starts_with(name, "ndbus")) {
			if (read_attr(disk, "provider", buf, sizeof(buf)) == 0)
				copy_str(p->provider, sizeof(p->provider), buf);
			break;
		}
	}
	/*
	 * The kernel's dax_synchronous() is false only for regions flagged
	 * ND_REGION_ASYNC, which today only virtio-pmem creates; sysfs shows
	 * no flag, so the bus provider decides.
	 */
	if (p->dev_dax == SDX_YES && p->provider[0])
		p->dev_sync = strcmp(p->provider, "virtio-pmem") ? SDX_YES : SDX_NO;
}

int sdxi_probe_env(int fd, struct sdx_probe *p)
{
	char proc[64], path[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	p->mount_dax = SDX_MOUNT_DAX_NONE;
	p->dev_dax = SDX_UNKNOWN;
	p->dev_sync = SDX_UNKNOWN;
	p->ns_mode = SDX_NS_NONE;
	p->flush = sdx_flush_insn();
	p->dev_major = major(st.st_dev);
	p->dev_minor = minor(st.st_dev);

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, path, sizeof(path) - 1);
	if (n > 0 && path[0] == '/') {
		path[n] = '\0';
		probe_mount(path, st.st_dev, p);
	} else {
		probe_mount(NULL, st.st_dev, p);
	}
	probe_device(p);
	return 0;
}

int sdx_probe_path(const char *path, struct sdx_probe *p)
{
	struct fs_syncfault sf;
	int fd, ret;

	if (!path || !p)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->kernel = SDX_UNKNOWN;
	p->flag = SDX_UNKNOWN;
	fd = sdxi_open_path(path, 0);
	if (fd < 0)
		return fd;
	ret = sdxi_probe_env(fd, p);
	if (ret < 0)
		goto out;
	/*
	 * The kernel handles the ioctls in fs/ioctl.c for every file, so
	 * ENOTTY always means an unpatched kernel, and EOPNOTSUPP a patched
	 * one on a file system that has not opted in: the flag cannot be read
	 * there, and stays SDX_UNKNOWN as for any other error.
	 */
	ret = sdxi_get(fd, &sf);
	if (ret == 0) {
		p->kernel = SDX_YES;
		p->flag = (sf.sf_flags & FS_SYNCFAULT_ON) ? SDX_YES : SDX_NO;
	} else if (ret == -EOPNOTSUPP) {
		p->kernel = SDX_YES;
	} else if (ret == -ENOTTY) {
		p->kernel = SDX_NO;
	}
	ret = sdxi_state(fd, p, &p->state);
out:
	close(fd);
	return ret;
}
