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
 * beyond one-time, thread-safe initialisation (the CPU probe, the key that
 * seals mappings); all functions are thread-safe.
 *
 * No side effects from looking: a path is opened O_PATH first and only a
 * regular file or directory is then opened (read-only, through
 * /proc/self/fd); other types give -EINVAL unopened.  State queries read
 * no device; only sdx_probe_path() reads the ext4 super block and makes a
 * MAP_SYNC trial (an unnamed O_TMPFILE in the file's directory, dropped
 * at once).
 */
#ifndef SYNCDAX_H
#define SYNCDAX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The project version (top-level VERSION); the build fails if they differ. */
#define SDX_VERSION_MAJOR	1
#define SDX_VERSION_MINOR	0
#define SDX_VERSION_PATCH	0

/* Tri-state answers of the sdx_probe_get_*() accessors. */
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
#define SDX_WHY_DEV_NOT_DAX	0x08u	/* backing device has no DAX (its queue/dax is 0) */
#define SDX_WHY_DEV_NOT_SYNC	0x10u	/* DAX device is not synchronous: MAP_SYNC refused (e.g. virtio-pmem) */
#define SDX_WHY_NO_KERNEL	0x20u	/* kernel lacks sync-fault support (ENOTTY) */
#define SDX_WHY_UNKNOWN		0x40u	/* not active for a reason the library cannot tell */
#define SDX_WHY_FS_UNSUPPORTED	0x80u	/* file system has not opted in to the flag (EOPNOTSUPP) */
#define SDX_WHY_NO_DAX_ATTR	0x100u	/* dax=inode and the inode lacks FS_XFLAG_DAX (chattr +x) */

struct sdx_state {
	uint32_t flags;		/* SDX_STATE_* */
	uint32_t why_not;	/* SDX_WHY_* bits, 0 when SDX_STATE_ACTIVE */
	uint32_t kernel_state;	/* raw sf_state from FS_IOC_GETSYNCFAULT (0 if unsupported) */
	uint32_t reserved[5];	/* zero */
};

/* sdx_probe_get_mount_dax() */
#define SDX_MOUNT_DAX_NONE	0	/* no DAX on this mount (file system or options) */
#define SDX_MOUNT_DAX_ALWAYS	1	/* "dax" or "dax=always" */
#define SDX_MOUNT_DAX_NEVER	2	/* "dax=never" */
#define SDX_MOUNT_DAX_INODE	3	/* "dax=inode" or the ext4/xfs default: FS_XFLAG_DAX decides */

/* sdx_probe_get_ns_mode() */
#define SDX_NS_NONE		0	/* no nvdimm namespace (dm, virtual or other device) */
#define SDX_NS_FSDAX		1	/* pmem namespace in fsdax mode (pfn device) */
#define SDX_NS_RAW		2	/* raw pmem namespace (DAX when its queue/dax is 1: e820, virtio-pmem, of_pmem) */
#define SDX_NS_SECTOR		3	/* btt sector mode (no DAX) */
#define SDX_NS_UNKNOWN		4	/* nvdimm, mode not recognised */

/* sdx_probe_get_flush(), sdx_flush_insn() */
#define SDX_FLUSH_NONE		0	/* no cache-line flush instruction known */
#define SDX_FLUSH_CLFLUSH	1
#define SDX_FLUSH_CLFLUSHOPT	2
#define SDX_FLUSH_CLWB		3

/*
 * A context: environment facts (the mount table, read once; device facts,
 * cached per st_dev) shared by the calls that take it.  Reference counted;
 * safe to share between threads.  A fresh context sees mounts made after
 * an older one was created.
 */
struct sdx_ctx;
/* The facts of one path, from sdx_probe_path(); read with sdx_probe_get_*(). */
struct sdx_probe;

/* sdx_map_fd() flags */
#define SDX_MAP_ALLOW_MSYNC	0x1u	/* fall back to a plain mapping persisted by msync() */

/* struct sdx_mapping.mode, sdx_map_mode() */
#define SDX_MAP_NONE		0	/* not mapped */
#define SDX_MAP_FLAG		1	/* plain MAP_SHARED; the inode flag makes faults synchronous */
#define SDX_MAP_SYNC		2	/* MAP_SHARED_VALIDATE | MAP_SYNC */
#define SDX_MAP_MSYNC_FALLBACK	3	/* plain MAP_SHARED, not DAX; sdx_persist() calls msync() */

struct sdx_mapping {
	void *addr;		/* start of the mapping */
	uint64_t length;	/* bytes mapped */
	uint64_t offset;	/* file offset of addr */
	int mode;		/* SDX_MAP_* */
	int inode_flag;		/* information: SDX_YES when the inode flag was active at map time */
	uint64_t reserved[4];	/* the library's: [0] seals the fields above (see sdx_persist()) */
};

/* Library version as "major.minor.patch" (the project's VERSION). */
const char *sdx_version(void);

/* New context in *ctx (reference count 1): 0 or -errno. */
int sdx_new(struct sdx_ctx **ctx);
/* Take a reference; returns ctx. */
struct sdx_ctx *sdx_ref(struct sdx_ctx *ctx);
/* Drop a reference; the last one frees the context.  NULL is ignored. */
void sdx_unref(struct sdx_ctx *ctx);

/* Flag of an open file or directory: 1 set, 0 clear, or -errno. */
int sdx_get_flag_fd(int fd);
/* Flag of a path (flags: SDX_PATH_NOFOLLOW): 1 set, 0 clear, or -errno; opens only regular files and directories. */
int sdx_get_flag_path(const char *path, unsigned int flags);
/*
 * Set (on=1) or clear (on=0) the flag of an open file or directory: 0 or
 * -errno; -EBUSY: it has shared writable mappings that cannot get
 * synchronous faults; -EIO: the change may not be durable, read the flag.
 */
int sdx_set_flag_fd(int fd, int on);
/*
 * Set (on=1) or clear (on=0) the flag of a path (flags: SDX_PATH_NOFOLLOW):
 * 0 or -errno.  -EOPNOTSUPP on ext4: the file system lacks the sync_fault
 * feature (sdx_probe_strerror() says so and how to turn it on).
 */
int sdx_set_flag_path(const char *path, int on, unsigned int flags);

/* Fill *st with flag/DAX/active state and why not active, from ctx's facts: 0 or -errno. */
int sdx_ctx_state_fd(struct sdx_ctx *ctx, int fd, struct sdx_state *st);
/* As sdx_ctx_state_fd() for a path (flags: SDX_PATH_NOFOLLOW): 0 or -errno. */
int sdx_ctx_state_path(struct sdx_ctx *ctx, const char *path, unsigned int flags,
		       struct sdx_state *st);
/* As sdx_ctx_state_fd() with a context of its own (reads the mount table each call; opens no device). */
int sdx_state_fd(int fd, struct sdx_state *st);
/* As sdx_ctx_state_path() with a context of its own (as sdx_state_fd()). */
int sdx_state_path(const char *path, unsigned int flags, struct sdx_state *st);

/*
 * Probe kernel, mount, device and CPU for path into a new *p (ctx may be
 * NULL): 0 or -errno.  Reads the ext4 super block (root only: else its
 * facts are SDX_UNKNOWN) once per context and device, and creates and
 * drops an unnamed file (O_TMPFILE) in the resolved file's directory (a
 * directory: in itself) for the MAP_SYNC trial.
 */
int sdx_probe_path(struct sdx_ctx *ctx, const char *path, struct sdx_probe **p);
/* Free a probe; NULL is ignored. */
void sdx_probe_free(struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: the kernel has FS_IOC_GETSYNCFAULT. */
int sdx_probe_get_kernel(const struct sdx_probe *p);
/* SDX_YES/NO, or SDX_UNKNOWN when the flag cannot be read (ENOTTY, EOPNOTSUPP). */
int sdx_probe_get_flag(const struct sdx_probe *p);
/* The path's state, as sdx_state_path() gives it. */
const struct sdx_state *sdx_probe_get_state(const struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: the inode has FS_XFLAG_DAX (what dax=inode looks at). */
int sdx_probe_get_dax_attr(const struct sdx_probe *p);
/* SDX_MOUNT_DAX_* of the mount. */
int sdx_probe_get_mount_dax(const struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: the block device's queue/dax (of the disk for a partition). */
int sdx_probe_get_dev_dax(const struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: a MAP_SYNC mapping of a DAX file there succeeds. */
int sdx_probe_get_dev_sync(const struct sdx_probe *p);
/* Why sdx_probe_get_dev_sync() is what it is, for people; never NULL. */
const char *sdx_probe_get_dev_sync_why(const struct sdx_probe *p);
/* SDX_NS_* of the nvdimm namespace, SDX_NS_NONE where there is none. */
int sdx_probe_get_ns_mode(const struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: ext4 fast_commit is in use on the mount. */
int sdx_probe_get_fast_commit(const struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: the ext4 super block has the sync_fault feature (UNKNOWN: not ext4, or unreadable). */
int sdx_probe_get_sync_fault(const struct sdx_probe *p);
/* SDX_YES/NO/UNKNOWN: the kernel's ext4 knows sync_fault (/sys/fs/ext4/features/sync_fault; UNKNOWN: ext4 not loaded), for any file system. */
int sdx_probe_get_kernel_sync_fault(const struct sdx_probe *p);
/* As sdx_strerror(), for an error of sdx_set_flag_*() on the probed path, told by its facts; never NULL. */
const char *sdx_probe_strerror(const struct sdx_probe *p, int err);
/* SDX_FLUSH_*: best CPU flush instruction. */
int sdx_probe_get_flush(const struct sdx_probe *p);
/* st_dev of the path: major and minor numbers. */
unsigned int sdx_probe_get_dev_major(const struct sdx_probe *p);
unsigned int sdx_probe_get_dev_minor(const struct sdx_probe *p);
/* Strings, "" when unknown or none; never NULL. */
const char *sdx_probe_get_fstype(const struct sdx_probe *p);	/* "ext4" */
const char *sdx_probe_get_source(const struct sdx_probe *p);	/* "/dev/pmem0" */
const char *sdx_probe_get_target(const struct sdx_probe *p);	/* mount point */
const char *sdx_probe_get_options(const struct sdx_probe *p);	/* mount options */
const char *sdx_probe_get_blockdev(const struct sdx_probe *p);	/* "pmem0", "dm-0" */
const char *sdx_probe_get_namespace(const struct sdx_probe *p);	/* "namespace0.0" */
const char *sdx_probe_get_region(const struct sdx_probe *p);	/* "region0" */
const char *sdx_probe_get_provider(const struct sdx_probe *p);	/* "ACPI.NFIT", "e820" */

/* Best cache-line flush instruction of this CPU (SDX_FLUSH_*), probed once. */
int sdx_flush_insn(void);

/*
 * Map length bytes (0: to end of file) at page-aligned offset of fd
 * (O_RDWR) with synchronous faults, MAP_SYNC first: 0 or -errno.
 */
int sdx_map_fd(int fd, uint64_t offset, uint64_t length, unsigned int flags,
	       struct sdx_mapping *m);
/* Unmap a mapping made by sdx_map_fd() and reset *m: 0 or -errno. */
int sdx_unmap(struct sdx_mapping *m);
/* Mode of a mapping (SDX_MAP_*), SDX_MAP_NONE for NULL, unmapped, or not made by sdx_map_fd(). */
int sdx_map_mode(const struct sdx_mapping *m);

/*
 * Make every block of [off, off+len) of fd (open for writing) allocated,
 * written and durable with one fdatasync(), without changing any data:
 * zeros go only to holes and unwritten extents; i_size grows to off+len
 * if smaller.  0 or -errno.  The file must have no other writer (no
 * write(), no store through a mapping) while it runs: the holes are found
 * first and zeroed after, so data written into one in between is lost.
 */
int sdx_prepare(int fd, uint64_t off, uint64_t len);

/* Write back the cache lines of [addr, addr+len) (CLWB/CLFLUSHOPT/CLFLUSH); no fence. */
void sdx_flush(const void *addr, size_t len);
/* Wait for earlier flushes to complete (SFENCE). */
void sdx_drain(void);
/*
 * Make [addr, addr+len) inside m durable: flush+drain, or msync(MS_SYNC)
 * in fallback mode: 0 or -errno.  -EINVAL unless m is as sdx_map_fd()
 * filled it in (a struct made or altered by hand is refused: its mode
 * would claim durability without msync()).
 */
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
