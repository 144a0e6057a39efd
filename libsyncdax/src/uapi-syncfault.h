/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * uapi-syncfault.h - the syncdax kernel interface (DESIGN.md section 2)
 *
 * The build host's linux-libc-dev predates the syncdax series, so the
 * definitions are repeated here; a patched <linux/fs.h> takes precedence.
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

#define FS_IOC_GETSYNCFAULT	_IOR('f', 45, struct fs_syncfault)
#define FS_IOC_SETSYNCFAULT	_IOW('f', 46, struct fs_syncfault)
#endif

#ifndef FS_SYNCFAULT_FL
#define FS_SYNCFAULT_FL		0x01000000
#endif
#ifndef FS_XFLAG_SYNCFAULT
#define FS_XFLAG_SYNCFAULT	0x00020000
#endif

#endif /* SYNCDAX_UAPI_SYNCFAULT_H */
