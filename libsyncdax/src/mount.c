// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount.c - the dax= mode of a mount, from libmount's view of its super
 * block options
 */
#include "private.h"

#include <string.h>
#include <libmount.h>

void sdxi_copy_str(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!src)
		src = "";
	n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int sdxi_mount_dax_mode(const char *fstype, const char *fs_options)
{
	char *val = NULL;
	size_t valsz = 0;

	if (fs_options && mnt_optstr_get_option(fs_options, "dax", &val, &valsz) == 0) {
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
