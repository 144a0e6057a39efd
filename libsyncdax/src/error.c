// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * error.c - errors and names as text a person can act on
 */
#include "private.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/*
 * Errors of the flag, state and probe calls.  EBUSY and EIO come only from
 * FS_IOC_SETSYNCFAULT among them (DESIGN.md section 2, contract v2).
 */
static const struct {
	int err;
	const char *text;
} errors[] = {
	{ ENOTTY, "kernel lacks sync-fault support (FS_IOC_GETSYNCFAULT unknown: "
		  "boot a kernel with the syncdax series)" },
	{ EOPNOTSUPP, "file system does not support the sync-fault flag (only "
		      "ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and "
		      "overlayfs have not): put the file on ext4" },
	{ EBUSY, "the file has shared writable mappings and is not in DAX mode "
		 "on a synchronous device, so their faults cannot be made "
		 "synchronous: unmap it (stop the programs that map it, which "
		 "fuser -v lists) or move it to ext4 mounted -o dax "
		 "on an fsdax pmem namespace, then set the flag again" },
	{ EIO, "input/output error: the file system could not read or write "
	       "the inode (see the kernel log); if the flag was being changed, "
	       "it may or may not have changed: read it again" },
	{ EINVAL, "invalid argument: unknown flags, a bad offset or length (or "
		  "an offset + length that would overflow), or a file that is not "
		  "a regular file or directory (sdx_prepare(): a regular file)" },
	{ EPERM, "operation not permitted: only the owner or CAP_FOWNER may change "
		 "the flag, and nobody on an immutable or append-only file (clear "
		 "those attributes first: chattr -i -a)" },
	{ EACCES, "permission denied: check the file's permissions and the "
		  "directories leading to it" },
	{ EROFS, "read-only file system: remount it read-write to change the flag" },
	{ EBADF, "bad file descriptor: it must be open (O_RDWR for a writable "
		 "mapping)" },
	{ ELOOP, "too many symbolic links, or the path is a symbolic link and "
		 "following it was not allowed" },
	{ ENOENT, "no such file or directory" },
	{ ENOTDIR, "a component of the path is not a directory" },
	{ ENAMETOOLONG, "file name too long" },
	{ ENODEV, "the file system does not support memory mapping" },
	{ ENOMEM, "out of memory or address space" },
	{ ENXIO, "no such device or address (a fifo or socket without a peer?)" },
	{ ETXTBSY, "file busy" },
};

const char *sdxi_errdesc(int err)
{
	const char *text = strerrordesc_np(err);	/* thread-safe, unlike strerror() */

	return text ? text : "unknown error";
}

const char *sdx_strerror(int err)
{
	size_t i;

	if (err == 0)
		return "success";
	if (err == INT_MIN)
		return "unknown error";
	if (err < 0)
		err = -err;
	for (i = 0; i < SDX_ARRAY_SIZE(errors); i++)
		if (errors[i].err == err)
			return errors[i].text;
	return sdxi_errdesc(err);
}

/* The same errno means something else for a mapping. */
static const struct {
	int err;
	const char *text;
} map_errors[] = {
	{ EOPNOTSUPP, "no synchronous-fault mapping possible: the file is not in "
		      "DAX mode on a synchronous pmem device (mount ext4 on an "
		      "fsdax namespace with -o dax, or allow the msync fallback); "
		      "or, from sdx_persist(), this CPU has no known cache-flush "
		      "instruction" },
	{ EBADF, "bad file descriptor: a mapping needs a file opened read-write "
		 "(O_RDWR)" },
	{ EINVAL, "invalid argument: unknown flags, an offset that is not "
		  "page-aligned, an empty range, a range outside the mapping, or "
		  "not a regular file" },
	{ EACCES, "permission denied: the file must be opened read-write and "
		  "not append-only" },
	/* not the texts about setting the flag */
	{ EIO, "input/output error: writing the range back failed (see the "
	       "kernel log); it may not be durable" },
	{ EBUSY, "device or resource busy" },
};

const char *sdx_map_strerror(int err)
{
	size_t i;

	if (err < 0 && err != INT_MIN)
		err = -err;
	for (i = 0; i < SDX_ARRAY_SIZE(map_errors); i++)
		if (map_errors[i].err == err)
			return map_errors[i].text;
	return sdx_strerror(err);
}

const char *sdx_why_str(unsigned int why)
{
	switch (why) {
	case SDX_WHY_FLAG_CLEAR:
		return "the sync-fault flag is not set";
	case SDX_WHY_NOT_DAX:
		return "the file is not in DAX mode";
	case SDX_WHY_MOUNT_NOT_DAX:
		return "the file system is not mounted with -o dax (dax=never, no DAX "
		       "support, or dax=inode without the file's DAX attribute)";
	case SDX_WHY_DEV_NOT_DAX:
		return "the backing device does not support DAX (its queue/dax is 0: "
		       "not a pmem device, or an NVDIMM namespace in raw or sector mode)";
	case SDX_WHY_DEV_NOT_SYNC:
		return "the DAX device is not synchronous: the kernel refuses MAP_SYNC "
		       "there (e.g. virtio-pmem)";
	case SDX_WHY_NO_DAX_ATTR:
		return "dax=inode and the file lacks the DAX attribute (chattr +x; "
		       "effective once the inode is evicted from the cache)";
	case SDX_WHY_NO_KERNEL:
		return "the kernel lacks sync-fault support";
	case SDX_WHY_UNKNOWN:
		return "not active for an unknown reason";
	case SDX_WHY_FS_UNSUPPORTED:
		return "the file system does not support the sync-fault flag";
	default:
		return "unknown reason";
	}
}

const char *sdx_map_mode_str(int mode)
{
	switch (mode) {
	case SDX_MAP_FLAG:
		return "flag";
	case SDX_MAP_SYNC:
		return "map_sync";
	case SDX_MAP_MSYNC_FALLBACK:
		return "msync_fallback";
	default:
		return "none";
	}
}

const char *sdx_flush_insn_str(int insn)
{
	switch (insn) {
	case SDX_FLUSH_CLWB:
		return "clwb";
	case SDX_FLUSH_CLFLUSHOPT:
		return "clflushopt";
	case SDX_FLUSH_CLFLUSH:
		return "clflush";
	default:
		return "none";
	}
}

const char *sdx_mount_dax_str(int mode)
{
	switch (mode) {
	case SDX_MOUNT_DAX_ALWAYS:
		return "always";
	case SDX_MOUNT_DAX_NEVER:
		return "never";
	case SDX_MOUNT_DAX_INODE:
		return "inode";
	default:
		return "none";
	}
}

const char *sdx_ns_mode_str(int mode)
{
	switch (mode) {
	case SDX_NS_FSDAX:
		return "fsdax";
	case SDX_NS_RAW:
		return "raw";
	case SDX_NS_SECTOR:
		return "sector";
	case SDX_NS_UNKNOWN:
		return "unknown";
	default:
		return "none";
	}
}
