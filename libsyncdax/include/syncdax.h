/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * syncdax.h - libsyncdax: the per-inode synchronous page fault flag
 *
 * Every function that can fail returns a negative errno value (-EINVAL,
 * -ENOTTY, ...); sdx_strerror() turns it into text a person can act on.
 * -ENOTTY from a flag call means the running kernel lacks sync-fault
 * support, -EOPNOTSUPP that the file system has not opted in to the flag
 * (tmpfs, ext2, xfs, FUSE, overlayfs: there it can be neither read nor
 * set).  The library never prints and keeps no global mutable state
 * beyond a one-time, thread-safe CPU probe; all functions are thread-safe.
 */
#ifndef SYNCDAX_H
#define SYNCDAX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SDX_VERSION_MAJOR	1
#define SDX_VERSION_MINOR	0

/* Tri-state answers used in struct sdx_probe. */
#define SDX_NO			0
#define SDX_YES			1
#define SDX_UNKNOWN		(-1)

/* Flags for the *_path() functions. */
#define SDX_PATH_NOFOLLOW	0x1u	/* fail with -ELOOP on a final symlink */

/* struct sdx_state.flags */
#define SDX_STATE_FLAG		0x1u	/* sync-fault flag is set on the inode */
#define SDX_STATE_DAX		0x2u	/* inode is in DAX mode now */
#define SDX_STATE_ACTIVE	0x4u	/* write faults on shared mappings are synchronous now */

/* struct sdx_state.why_not: reasons the flag is not active (0 when active) */
#define SDX_WHY_FLAG_CLEAR	0x01u	/* the flag is not set */
#define SDX_WHY_NOT_DAX		0x02u	/* the inode is not in DAX mode */
#define SDX_WHY_MOUNT_NOT_DAX	0x04u	/* mount is not -o dax (dax=never, no dax, or dax=inode without FS_XFLAG_DAX) */
#define SDX_WHY_DEV_NOT_DAX	0x08u	/* backing device is not a DAX-capable (fsdax pmem) device */
#define SDX_WHY_DEV_NOT_SYNC	0x10u	/* DAX device is not synchronous (e.g. virtio-pmem) */
#define SDX_WHY_NO_KERNEL	0x20u	/* kernel lacks sync-fault support (ENOTTY) */
#define SDX_WHY_UNKNOWN		0x40u	/* not active for a reason the library cannot tell */
#define SDX_WHY_FS_UNSUPPORTED	0x80u	/* file system has not opted in to the flag (EOPNOTSUPP) */

struct sdx_state {
	uint32_t flags;		/* SDX_STATE_* */
	uint32_t why_not;	/* SDX_WHY_* bits, 0 when SDX_STATE_ACTIVE */
	uint32_t kernel_state;	/* raw sf_state from FS_IOC_GETSYNCFAULT (0 if unsupported) */
	uint32_t reserved[5];	/* zero */
};

/* struct sdx_probe.mount_dax */
#define SDX_MOUNT_DAX_NONE	0	/* no DAX on this mount (file system or options) */
#define SDX_MOUNT_DAX_ALWAYS	1	/* "dax" or "dax=always" */
#define SDX_MOUNT_DAX_NEVER	2	/* "dax=never" */
#define SDX_MOUNT_DAX_INODE	3	/* "dax=inode" or the ext4/xfs default: FS_XFLAG_DAX decides */

/* struct sdx_probe.ns_mode */
#define SDX_NS_NONE		0	/* not an nvdimm namespace */
#define SDX_NS_FSDAX		1	/* pmem namespace in fsdax mode (pfn device) */
#define SDX_NS_RAW		2	/* raw pmem namespace (no DAX) */
#define SDX_NS_SECTOR		3	/* btt sector mode (no DAX) */
#define SDX_NS_UNKNOWN		4	/* nvdimm, mode not recognised */

/* struct sdx_probe.flush, sdx_flush_insn() */
#define SDX_FLUSH_NONE		0	/* no cache-line flush instruction known */
#define SDX_FLUSH_CLFLUSH	1
#define SDX_FLUSH_CLFLUSHOPT	2
#define SDX_FLUSH_CLWB		3

#define SDX_STR_SHORT		64
#define SDX_STR_PATH		4096

struct sdx_probe {
	int kernel;		/* SDX_YES/NO/UNKNOWN: kernel has FS_IOC_GETSYNCFAULT */
	int flag;		/* SDX_YES/NO, or SDX_UNKNOWN when it cannot be read (ENOTTY, EOPNOTSUPP) */
	struct sdx_state state;	/* as sdx_state_path() (valid when kernel != SDX_UNKNOWN) */
	int mount_dax;		/* SDX_MOUNT_DAX_* */
	int dev_dax;		/* SDX_YES/NO/UNKNOWN: block device supports DAX */
	int dev_sync;		/* SDX_YES/NO/UNKNOWN: DAX device is synchronous */
	int ns_mode;		/* SDX_NS_* */
	int flush;		/* SDX_FLUSH_*: best CPU flush instruction */
	unsigned int dev_major;	/* st_dev of the path */
	unsigned int dev_minor;
	char fstype[SDX_STR_SHORT];	/* e.g. "ext4" */
	char blockdev[SDX_STR_SHORT];	/* e.g. "pmem0", "" when none */
	char ns[SDX_STR_SHORT];		/* e.g. "namespace0.0", "" when none */
	char region[SDX_STR_SHORT];	/* e.g. "region0", "" when none */
	char provider[SDX_STR_SHORT];	/* nvdimm bus provider, e.g. "ACPI.NFIT", "virtio_pmem" */
	char source[SDX_STR_PATH];	/* mount source, e.g. "/dev/pmem0" */
	char target[SDX_STR_PATH];	/* mount point */
	char options[SDX_STR_PATH];	/* file system (super block) options */
	uint32_t reserved[8];		/* zero */
};

/* sdx_map_fd() flags */
#define SDX_MAP_ALLOW_MSYNC	0x1u	/* fall back to a plain mapping persisted by msync() */

/* struct sdx_mapping.mode, sdx_map_mode() */
#define SDX_MAP_NONE		0	/* not mapped */
#define SDX_MAP_FLAG		1	/* plain MAP_SHARED; the inode flag makes faults synchronous */
#define SDX_MAP_SYNC		2	/* MAP_SHARED_VALIDATE | MAP_SYNC */
#define SDX_MAP_MSYNC_FALLBACK	3	/* plain MAP_SHARED, not DAX; sdx_persist() calls msync() */

struct sdx_mapping {
	void *addr;		/* start of the mapping */
	size_t length;		/* bytes mapped */
	off_t offset;		/* file offset of addr */
	int mode;		/* SDX_MAP_* */
	int reserved_i;		/* zero */
	uint64_t reserved[4];	/* zero */
};

/* Library version as "major.minor". */
const char *sdx_version(void);

/* Flag of an open file or directory: 1 set, 0 clear, or -errno. */
int sdx_get_flag_fd(int fd);
/* Flag of a path (flags: SDX_PATH_NOFOLLOW): 1 set, 0 clear, or -errno. */
int sdx_get_flag_path(const char *path, unsigned int flags);
/*
 * Set (on=1) or clear (on=0) the flag of an open file or directory: 0 or
 * -errno; -EBUSY: it has shared writable mappings that cannot get
 * synchronous faults; -EIO: the change may not be durable, read the flag.
 */
int sdx_set_flag_fd(int fd, int on);
/* Set (on=1) or clear (on=0) the flag of a path (flags: SDX_PATH_NOFOLLOW): 0 or -errno. */
int sdx_set_flag_path(const char *path, int on, unsigned int flags);

/* Fill *st with flag/DAX/active state and why not active: 0 or -errno. */
int sdx_state_fd(int fd, struct sdx_state *st);
/* As sdx_state_fd() for a path (flags: SDX_PATH_NOFOLLOW): 0 or -errno. */
int sdx_state_path(const char *path, unsigned int flags, struct sdx_state *st);

/* Probe kernel, mount, device and CPU for a path into *p: 0 or -errno. */
int sdx_probe_path(const char *path, struct sdx_probe *p);

/* Best cache-line flush instruction of this CPU (SDX_FLUSH_*), probed once. */
int sdx_flush_insn(void);

/* Map length bytes (0: to end of file) at page-aligned offset of fd (O_RDWR) with synchronous faults: 0 or -errno. */
int sdx_map_fd(int fd, off_t offset, size_t length, unsigned int flags, struct sdx_mapping *m);
/* Unmap a mapping made by sdx_map_fd() and reset *m: 0 or -errno. */
int sdx_unmap(struct sdx_mapping *m);
/* Mode of a mapping (SDX_MAP_*), SDX_MAP_NONE for NULL or unmapped. */
int sdx_map_mode(const struct sdx_mapping *m);

/* Write back the cache lines of [addr, addr+len) (CLWB/CLFLUSHOPT/CLFLUSH); no fence. */
void sdx_flush(const void *addr, size_t len);
/* Wait for earlier flushes to complete (SFENCE). */
void sdx_drain(void);
/* Make [addr, addr+len) inside m durable: flush+drain, or msync(MS_SYNC) in fallback mode: 0 or -errno. */
int sdx_persist(const struct sdx_mapping *m, const void *addr, size_t len);

/* Text for a negative (or positive) errno value returned by this library; never NULL. */
const char *sdx_strerror(int err);
/* As sdx_strerror(), worded for errors of sdx_map_fd()/sdx_unmap()/sdx_persist(); never NULL. */
const char *sdx_map_strerror(int err);
/* Text for one SDX_WHY_* bit; never NULL. */
const char *sdx_why_str(unsigned int why);
/* Name of an SDX_MAP_* mode ("flag", "map_sync", "msync_fallback", "none"); never NULL. */
const char *sdx_map_mode_str(int mode);
/* Name of an SDX_FLUSH_* value ("clwb", "clflushopt", "clflush", "none"); never NULL. */
const char *sdx_flush_insn_str(int insn);
/* Name of an SDX_MOUNT_DAX_* value ("always", "never", "inode", "none"); never NULL. */
const char *sdx_mount_dax_str(int mode);
/* Name of an SDX_NS_* value ("fsdax", "raw", "sector", "unknown", "none"); never NULL. */
const char *sdx_ns_mode_str(int mode);

#ifdef __cplusplus
}
#endif

#endif /* SYNCDAX_H */
