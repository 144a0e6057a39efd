// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check-items.c - the diagnosis of "syncdaxctl check": one item per part
 * of the environment, and one verdict, from a single probe.  Every fix is
 * safe to run; the one that destroys data says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

static void set(struct check_item *c, enum check_result r, const char *fix,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set(struct check_item *c, enum check_result r, const char *fix,
		const char *fmt, ...)
{
	va_list ap;

	c->result = r;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof(c->fix), "%s", fix ? fix : "");
}

static const char *or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/*
 * Why the library could not read the super block of SRC: open it again to
 * name the cause.  "Needs root" only where that is the cause; root can be
 * refused too (a container's device cgroup gives EPERM).
 */
static const char *sb_unreadable(const char *src, char *buf, size_t len)
{
	int fd = open(src, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	int err = errno;

	if (fd >= 0) {
		close(fd);
		return "it is not an ext4 super block, or reading it failed";
	}
	snprintf(buf, len, "opening it fails: %s%s", strerror(err),
		 err == EACCES && geteuid() != 0 ? " (reading it needs root)" : "");
	return buf;
}

static bool is_ext4(const struct sdx_probe *p)
{
	return strcmp(sdx_probe_get_fstype(p), "ext4") == 0;
}

static bool fs_refuses(const struct sdx_probe *p)
{
	return sdx_probe_get_state(p)->why_not & SDX_WHY_FS_UNSUPPORTED;
}

static void check_kernel(const struct sdx_probe *p, struct check_item *c)
{
	struct utsname u;
	const char *release = uname(&u) == 0 ? u.release : "?";

	if (sdx_probe_get_kernel(p) == SDX_YES)
		set(c, CHECK_PASS, NULL,
		    "kernel %s supports the sync-fault flag", release);
	else if (sdx_probe_get_kernel(p) == SDX_NO)
		set(c, CHECK_FAIL,
		    "boot a kernel built with the syncdax patch series",
		    "kernel %s lacks sync-fault support", release);
	else
		set(c, CHECK_UNKNOWN, NULL,
		    "kernel %s: cannot tell, reading the flag failed", release);
}

static void check_fs(const struct sdx_probe *p, struct check_item *c)
{
	const char *fs = or(sdx_probe_get_fstype(p), "unknown");
	const char *src = or(sdx_probe_get_source(p), "?");
	const char *mnt = or(sdx_probe_get_target(p), "?");

	if (is_ext4(p) && !fs_refuses(p)) {
		set(c, CHECK_PASS, NULL, "%s on %s, mounted on %s", fs, src, mnt);
		return;
	}
	set(c, CHECK_FAIL,
	    "put the file on ext4 on a pmem device: mkfs.ext4 /dev/pmemN (this DESTROYS all data on the device); mount -o dax /dev/pmemN DIR",
	    "%s (on %s, mounted on %s): the file system does not support the sync-fault flag",
	    fs, src, mnt);
}

/* The mount is read-only: "ro" is one of its comma-separated options. */
static bool mounted_ro(const struct sdx_probe *p)
{
	const char *o = sdx_probe_get_options(p);

	while (*o) {
		size_t len = strcspn(o, ",");

		if (len == 2 && strncmp(o, "ro", 2) == 0)
			return true;
		o += len;
		if (*o == ',')
			o++;
	}
	return false;
}

/* The kernel lacks the series: ENOTTY, or its ext4 does not know sync_fault. */
static bool kernel_lacks_series(const struct sdx_probe *p)
{
	return sdx_probe_get_kernel(p) == SDX_NO ||
	       sdx_probe_get_kernel_sync_fault(p) == SDX_NO;
}

/*
 * The ext4 sync_fault feature (DESIGN.md section 2.9): the flag can be set
 * only where it is on, and a kernel without the series mounts a file
 * system that has it read-only.
 */
static void check_feature(const struct sdx_probe *p, struct check_item *c)
{
	const char *src = or(sdx_probe_get_source(p), "DEV");
	char fix[sizeof(c->fix)], why[160];

	if (!is_ext4(p)) {
		set(c, CHECK_INFO, NULL, "not ext4: the sync_fault feature does not apply");
		return;
	}
	switch (sdx_probe_get_sync_fault(p)) {
	case SDX_YES:
		if (kernel_lacks_series(p))
			set(c, CHECK_PASS, NULL,
			    "%s has the sync_fault feature, which this kernel lacks (no sync-fault series): it %s the file system read-only, so that no flagged file is mapped writable without synchronous faults",
			    src, mounted_ro(p) ? "mounted" : "mounts");
		else
			set(c, CHECK_PASS, NULL,
			    "%s has the sync_fault feature: the flag can be set; kernels without the sync-fault series mount it read-only", src);
		break;
	case SDX_NO:
		snprintf(fix, sizeof(fix),
			 "tune2fs -O sync_fault %s (also while mounted; from then on, kernels without the sync-fault series mount this file system read-only)",
			 src);
		set(c, CHECK_FAIL, fix,
		    "%s lacks the sync_fault feature: the flag cannot be set here (EOPNOTSUPP)", src);
		break;
	default:
		set(c, CHECK_UNKNOWN, NULL,
		    "sync_fault unknown: the super block of %s cannot be read: %s",
		    src, sb_unreadable(src, why, sizeof(why)));
		break;
	}
}

/* dax=inode: the file's DAX state, or the directory's attribute, decides. */
static void check_dax_inode(const struct check_report *r, struct check_item *c)
{
	const struct sdx_probe *p = r->probe;
	char fix[sizeof(c->fix)];

	if (sdx_probe_get_dev_dax(p) == SDX_NO) {
		set(c, CHECK_FAIL, NULL,
		    "dax=inode, but the device has no DAX, so no file here uses DAX");
		return;
	}
	if (r->is_dir && sdx_probe_get_dax_attr(p) == SDX_YES) {
		set(c, CHECK_PASS, NULL,
		    "dax=inode, and this directory has the DAX attribute: files created in it use DAX");
		return;
	}
	if (!r->is_dir && (sdx_probe_get_state(p)->flags & SDX_STATE_DAX)) {
		set(c, CHECK_PASS, NULL, "dax=inode, and this file is in DAX mode");
		return;
	}
	snprintf(fix, sizeof(fix),
		 "chattr +x %s (FS_XFLAG_DAX; %s), or mount with -o dax=always",
		 r->path, r->is_dir ? "files created in it inherit it" :
		 "effective once the inode is evicted from the cache, e.g. after a remount or 'echo 2 > /proc/sys/vm/drop_caches' while it is not open");
	set(c, CHECK_FAIL, fix,
	    "dax=inode: only files with the DAX attribute use DAX, and this %s %s",
	    r->is_dir ? "directory" : "file",
	    r->is_dir ? "has none" : "is not in DAX mode");
}

static void check_mount(const struct check_report *r, struct check_item *c)
{
	const struct sdx_probe *p = r->probe;
	int mode = sdx_probe_get_mount_dax(p);

	switch (mode) {
	case SDX_MOUNT_DAX_ALWAYS:
		set(c, CHECK_PASS, NULL, "mounted with dax=always");
		break;
	case SDX_MOUNT_DAX_INODE:
		check_dax_inode(r, c);
		break;
	case SDX_MOUNT_DAX_NEVER:
		set(c, CHECK_FAIL, "unmount and mount again with -o dax (dax=always)",
		    "mounted with dax=never");
		break;
	default:
		set(c, CHECK_FAIL, "use ext4 on a pmem device, mounted with -o dax",
		    "%s: no DAX on this mount (dax=%s)",
		    or(sdx_probe_get_fstype(p), "file system"),
		    sdx_mount_dax_str(mode));
		break;
	}
}

static bool ns_without_dax(const struct sdx_probe *p)
{
	int mode = sdx_probe_get_ns_mode(p);

	return (mode == SDX_NS_RAW || mode == SDX_NS_SECTOR) &&
	       sdx_probe_get_dev_dax(p) == SDX_NO;
}

/* The destructive fix: re-create the namespace in fsdax mode. */
static void namespace_fix(const struct sdx_probe *p, char *buf, size_t size)
{
	snprintf(buf, size,
		 "ndctl create-namespace -f -e %s -m fsdax (this DESTROYS all data on the namespace: back it up first)",
		 or(sdx_probe_get_namespace(p), "NAMESPACE"));
}

static void check_device(const struct sdx_probe *p, struct check_item *c)
{
	const char *dev = or(sdx_probe_get_blockdev(p), NULL);
	unsigned int maj = sdx_probe_get_dev_major(p), min = sdx_probe_get_dev_minor(p);
	char fix[sizeof(c->fix)];

	if (sdx_probe_get_dev_dax(p) == SDX_YES) {
		set(c, CHECK_PASS, NULL, "%s (%u:%u, queue/dax 1) supports DAX",
		    or(dev, "device"), maj, min);
	} else if (sdx_probe_get_dev_dax(p) == SDX_NO) {
		if (ns_without_dax(p))
			namespace_fix(p, fix, sizeof(fix));
		else
			snprintf(fix, sizeof(fix),
				 "put the file system on a DAX-capable device (a pmem device, or dm-linear over one)");
		set(c, CHECK_FAIL, fix, "%s (%u:%u, queue/dax 0) does not support DAX",
		    or(dev, "device"), maj, min);
	} else if (!dev) {
		set(c, CHECK_FAIL, "put the file on ext4 on a pmem device",
		    "no backing block device (%u:%u)", maj, min);
	} else {
		set(c, CHECK_UNKNOWN, NULL, "%s (%u:%u): DAX support unknown",
		    dev, maj, min);
	}
}

static void check_namespace(const struct sdx_probe *p, struct check_item *c)
{
	const char *ns = or(sdx_probe_get_namespace(p), "namespace");
	const char *region = or(sdx_probe_get_region(p), "region unknown");
	const char *provider = or(sdx_probe_get_provider(p), "provider unknown");
	int mode = sdx_probe_get_ns_mode(p);
	char fix[sizeof(c->fix)];

	if (mode == SDX_NS_FSDAX) {
		set(c, CHECK_PASS, NULL, "%s in fsdax mode (%s, %s)", ns, region, provider);
	} else if (ns_without_dax(p)) {
		namespace_fix(p, fix, sizeof(fix));
		set(c, CHECK_FAIL, fix, "%s in %s mode, which has no DAX here (%s, %s)",
		    ns, sdx_ns_mode_str(mode), region, provider);
	} else if (mode == SDX_NS_RAW || mode == SDX_NS_SECTOR) {
		set(c, CHECK_PASS, NULL, "%s in %s mode with DAX (%s, %s)", ns,
		    sdx_ns_mode_str(mode), region, provider);
	} else if (mode == SDX_NS_UNKNOWN) {
		set(c, CHECK_UNKNOWN, NULL, "%s: nvdimm namespace of unknown mode", ns);
	} else {
		set(c, CHECK_INFO, NULL, "no namespace: %s is not an nvdimm namespace",
		    or(sdx_probe_get_blockdev(p), "the device"));
	}
}

static void check_sync(const struct sdx_probe *p, struct check_item *c)
{
	const char *why = sdx_probe_get_dev_sync_why(p);

	if (sdx_probe_get_dev_sync(p) == SDX_YES)
		set(c, CHECK_PASS, NULL, "the DAX device is synchronous: %s", why);
	else if (sdx_probe_get_dev_sync(p) == SDX_NO)
		set(c, CHECK_FAIL,
		    "use a synchronous pmem device (an NVDIMM, or memmap= pmem); on this device persist with fsync() or msync()",
		    "not synchronous: %s", why);
	else if (sdx_probe_get_dev_dax(p) == SDX_YES)
		set(c, CHECK_UNKNOWN, NULL,
		    "cannot tell whether the DAX device is synchronous: %s", why);
	else
		set(c, CHECK_INFO, NULL, "no DAX device");
}

static void check_cpu(const struct sdx_probe *p, struct check_item *c)
{
	int insn = sdx_probe_get_flush(p);

	if (insn == SDX_FLUSH_CLWB || insn == SDX_FLUSH_CLFLUSHOPT)
		set(c, CHECK_PASS, NULL, "%s", sdx_flush_insn_str(insn));
	else if (insn == SDX_FLUSH_CLFLUSH)
		set(c, CHECK_PASS, NULL,
		    "clflush (works; slower than clwb or clflushopt, which this CPU lacks)");
	else
		set(c, CHECK_FAIL,
		    "none from user space: persist with msync() or fsync() instead",
		    "no cache-line flush instruction on this CPU");
}

static void check_flag(const struct check_report *r, struct check_item *c)
{
	const struct sdx_probe *p = r->probe;
	int f = sdx_probe_get_flag(p);
	const char *flag = f == SDX_YES ? "set" : f == SDX_NO ? "clear" : "unknown";
	char fix[sizeof(c->fix)];

	snprintf(fix, sizeof(fix), PROG " enable %s", r->path);
	if (fs_refuses(p))
		set(c, CHECK_INFO, NULL,
		    "the file system does not support the flag: it cannot be read or set here");
	else if (r->is_dir)
		set(c, CHECK_INFO, f == SDX_NO ? fix : NULL, "flag %s on this directory%s",
		    flag, f == SDX_YES ? "; new files in it inherit it" : "");
	else if (sdx_probe_get_state(p)->flags & SDX_STATE_ACTIVE)
		set(c, CHECK_INFO, NULL,
		    "flag set: write faults on shared mappings of this file are synchronous now");
	else
		set(c, CHECK_INFO, f == SDX_NO ? fix : NULL,
		    "flag %s on this file: write faults are not synchronous now", flag);
}

/*
 * What fast_commit changes in kind, true wherever ext4 runs; no figure:
 * what it costs here is for syncdax-bench to measure, on this system.
 */
static void check_fast_commit(const struct sdx_probe *p, struct check_item *c)
{
	const char *src = or(sdx_probe_get_source(p), "DEV");
	const char *mnt = or(sdx_probe_get_target(p), "DIR");
	char fix[sizeof(c->fix)], why[160];

	if (!is_ext4(p)) {
		set(c, CHECK_INFO, NULL, "not ext4: fast_commit does not apply");
		return;
	}
	snprintf(fix, sizeof(fix),
		 "tune2fs -O fast_commit %s (on the unmounted file system)", src);
	switch (sdx_probe_get_fast_commit(p)) {
	case SDX_YES:
		set(c, CHECK_INFO, NULL,
		    "fast_commit on: a synchronous fault that allocates or converts blocks logs only this file's change in a fast commit, instead of waiting for a full journal commit; to measure what a synchronous fault costs here: syncdax-bench fault %s",
		    mnt);
		break;
	case SDX_NO:
		set(c, CHECK_INFO, fix,
		    "fast_commit off: every synchronous fault that allocates or converts blocks waits for a full journal commit; with fast_commit most of them become smaller fast commits, and sdx_prepare() avoids them for ranges known in advance; to measure what a synchronous fault costs here: syncdax-bench fault %s",
		    mnt);
		break;
	default:
		set(c, CHECK_INFO, NULL,
		    "fast_commit unknown: the super block of %s cannot be read: %s",
		    src, sb_unreadable(src, why, sizeof(why)));
		break;
	}
}

/* Is DAX missing here, and why (NULL: it is not known to be missing)? */
static const char *not_dax_why(const struct check_report *r)
{
	const struct sdx_probe *p = r->probe;
	int mode = sdx_probe_get_mount_dax(p);

	if (sdx_probe_get_dev_dax(p) == SDX_NO)
		return "the block device does not support DAX";
	if (mode == SDX_MOUNT_DAX_NEVER)
		return "the file system is mounted with dax=never";
	if (mode == SDX_MOUNT_DAX_NONE)
		return "the mount has no DAX";
	if (mode == SDX_MOUNT_DAX_INODE && r->is_dir &&
	    sdx_probe_get_dax_attr(p) != SDX_YES)
		return "dax=inode, and the directory lacks the DAX attribute (chattr +x)";
	if (!r->is_dir && !(sdx_probe_get_state(p)->flags & SDX_STATE_DAX) &&
	    sdx_probe_get_kernel(p) != SDX_UNKNOWN)
		return mode == SDX_MOUNT_DAX_INODE ?
		       "dax=inode, and the file lacks the DAX attribute (chattr +x)" :
		       "the file is not in DAX mode";
	return NULL;
}

static enum check_verdict verdict(const struct check_report *r, const char **why)
{
	const struct sdx_probe *p = r->probe;

	*why = NULL;
	if (sdx_probe_get_kernel(p) == SDX_NO) {
		*why = "the kernel lacks sync-fault support";
		return VERDICT_NO_KERNEL;
	}
	if (!is_ext4(p) || fs_refuses(p)) {
		*why = "the file system does not support the flag";
		return VERDICT_FS_UNSUPPORTED;
	}
	if (sdx_probe_get_sync_fault(p) == SDX_NO) {
		*why = "the file system lacks the sync_fault feature";
		return VERDICT_NO_FEATURE;
	}
	if ((*why = not_dax_why(r)) != NULL)
		return VERDICT_NOT_DAX;
	if (sdx_probe_get_dev_sync(p) == SDX_NO) {
		*why = sdx_probe_get_dev_sync_why(p);
		return VERDICT_NOT_SYNC;
	}
	if (sdx_probe_get_flush(p) == SDX_FLUSH_NONE) {
		*why = "this CPU has no cache-line flush instruction";
		return VERDICT_NO_FLUSH;
	}
	if (sdx_probe_get_kernel(p) == SDX_UNKNOWN) {
		*why = "kernel support could not be read";
		return VERDICT_UNKNOWN;
	}
	if (sdx_probe_get_dev_dax(p) != SDX_YES) {
		*why = "the device's DAX support could not be read";
		return VERDICT_UNKNOWN;
	}
	if (sdx_probe_get_dev_sync(p) != SDX_YES) {
		*why = sdx_probe_get_dev_sync_why(p);
		return VERDICT_UNKNOWN;
	}
	*why = "the flag gives synchronous page faults here";
	return VERDICT_READY;
}

void check_diagnose(struct check_report *r)
{
	static const char *const names[CK_COUNT] = {
		[CK_KERNEL] = "kernel", [CK_FS] = "filesystem",
		[CK_FEATURE] = "feature",
		[CK_MOUNT] = "mount", [CK_DEVICE] = "device",
		[CK_NAMESPACE] = "namespace", [CK_SYNC] = "synchronous",
		[CK_CPU] = "cpu_flush", [CK_FLAG] = "flag",
		[CK_FAST_COMMIT] = "fast_commit",
	};
	const struct sdx_probe *p = r->probe;
	const char *why;
	int i;

	memset(r->items, 0, sizeof(r->items));
	for (i = 0; i < CK_COUNT; i++)
		r->items[i].name = names[i];
	check_kernel(p, &r->items[CK_KERNEL]);
	check_fs(p, &r->items[CK_FS]);
	check_feature(p, &r->items[CK_FEATURE]);
	check_mount(r, &r->items[CK_MOUNT]);
	check_device(p, &r->items[CK_DEVICE]);
	check_namespace(p, &r->items[CK_NAMESPACE]);
	check_sync(p, &r->items[CK_SYNC]);
	check_cpu(p, &r->items[CK_CPU]);
	check_flag(r, &r->items[CK_FLAG]);
	check_fast_commit(p, &r->items[CK_FAST_COMMIT]);
	r->verdict = verdict(r, &why);
	snprintf(r->verdict_why, sizeof(r->verdict_why), "%s", why);
}
