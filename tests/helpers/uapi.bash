# SPDX-License-Identifier: GPL-2.0-or-later
#
# uapi.bash - the syncdax kernel interface numbers for shell tests
# (DESIGN.md section 2, contract v2). Source it; never copy a number out
# of it.
#
# It mirrors libsyncdax/src/uapi-syncfault.h, the one C header that
# defines them; tests/host/uapi.bats fails when the two disagree. The
# ioctl numbers are not here: shell tests reach the ioctls through
# programs built from that header (tests/helpers/sftest.c).

# FS_IOC_GETFLAGS / FS_IOC_SETFLAGS bit; the ext4 on-disk bit
# EXT4_SYNCFAULT_FL has the same value.
FS_SYNCFAULT_FL=0x01000000
# struct fsxattr fsx_xflags bit (FS_IOC_FSGETXATTR / FS_IOC_FSSETXATTR)
FS_XFLAG_SYNCFAULT=0x00100000
