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
#define SDX_VERSION_STRING	SDX_XSTR(SDX_VERSION_MAJOR) "." SDX_XSTR(SDX_VERSION_MINOR)

#define SDX_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* flag.c */
/* Open a path for the flag ioctls; -EINVAL unless regular file or directory. */
int sdxi_open_path(const char *path, unsigned int flags);
/* 0 if fd is a regular file or directory, -EINVAL for other types, -errno. */
int sdxi_check_type(int fd);
/* FS_IOC_GETSYNCFAULT on fd: 0 or -errno. */
int sdxi_get(int fd, struct fs_syncfault *sf);

/* probe.c */
/* Fill mount, device and CPU fields of *p for the file open at fd. */
int sdxi_probe_env(int fd, struct sdx_probe *p);

/* state.c */
/* Fill *st for fd, with *env (from sdxi_probe_env) giving the reasons. */
int sdxi_state(int fd, const struct sdx_probe *env, struct sdx_state *st);

/* persist.c */
/* Write back [addr, addr+len) with the CPU's best instruction. */
void sdxi_flush(const void *addr, size_t len);

#endif /* SYNCDAX_PRIVATE_H */
