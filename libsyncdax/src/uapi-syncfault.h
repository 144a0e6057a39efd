/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * uapi-syncfault.h - the syncdax kernel interface (DESIGN.md section 2,
 * contract v3)
 *
 * The build host's linux-libc-dev predates the syncdax series, so the
 * definitions are repeated here; a patched <linux/fs.h> takes precedence.
 * This is the only C header in the tree that defines these numbers: every
 * C program includes it, and tests/helpers/uapi.bash mirrors it for the
 * shell (tests/host/uapi.bats checks that the two agree).  The numbers
 * are provisional until upstream allocates them.
 */
#ifndef SYNCDAX_UAPI_SYNCFAULT_H
#define SYNCDAX_UAPI_SYNCFAULT_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/fs.h>

#ifndef FS_IOC_GETSYNCFAULT
struct fs_syncfault {
	__u32 sf_flags;		/* FS_SYNCFAULT_ON: in for SET, out for GET */
	__u32 sf_state;		/* out for GET: FS_SYNCFAULT_STATE_* */
	__u64 sf_reserved[2];	/* must be zero (EINVAL otherwise) */
};

#define FS_SYNCFAULT_ON			0x00000001
#define FS_SYNCFAULT_STATE_DAX		0x00000001
#define FS_SYNCFAULT_STATE_ACTIVE	0x00000002

/* type 0x15: the VFS's own ioctls (FS_IOC_GETFSUUID is nr 0) */
#define FS_IOC_GETSYNCFAULT	_IOR(0x15, 8, struct fs_syncfault)
#define FS_IOC_SETSYNCFAULT	_IOW(0x15, 9, struct fs_syncfault)
#endif

#ifndef FS_SYNCFAULT_FL
#define FS_SYNCFAULT_FL		0x01000000
#endif
#ifndef FS_XFLAG_SYNCFAULT
#define FS_XFLAG_SYNCFAULT	0x00100000
#endif

/*
 * ext4 super block feature bits the library reads (s_feature_compat,
 * s_feature_ro_compat).  The kernel keeps them in fs/ext4/ext4.h, not in
 * UAPI, hence the SDX_ prefix.  sync_fault (contract v3): the flag means
 * "sync faults" only where this feature is set, and a kernel without the
 * series mounts such a file system read-only.
 */
#define SDX_EXT4_FEATURE_COMPAT_FAST_COMMIT	0x00000400
#define SDX_EXT4_FEATURE_RO_COMPAT_SYNC_FAULT	0x00020000

#endif /* SYNCDAX_UAPI_SYNCFAULT_H */
