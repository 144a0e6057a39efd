#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Declared support and the rules for changing the flag (DESIGN.md §2, rules
# 1-2): file systems that have not opted in answer EOPNOTSUPP on every
# interface and nothing about the inode changes; append-only and immutable
# inodes refuse the change.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() { require_guest; vm_scratch; }
teardown() {
	cd /
	mountpoint -q "$M/ovl" && umount "$M/ovl"
	loop_fs_teardown
	alt_fs_teardown
	vm_cleanup
}

# expect_refused FILE: every interface refuses the flag with EOPNOTSUPP
# and leaves the inode's flags and ctime as they were.
expect_refused() {
	local f=$1 ctime flags xflags
	ctime=$(stat -c %z "$f")
	run "$SFTEST" get "$f"
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" set "$f" on
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" set "$f" off
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" getflags "$f"
	assert_success
	flags=$output
	run "$SFTEST" setflags "$f" +$FS_SYNCFAULT_FL
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" getxflags "$f"
	assert_success
	xflags=$output
	run "$SFTEST" setxflags "$f" +$FS_XFLAG_SYNCFAULT
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" getflags "$f"
	assert_success
	assert_output "$flags"
	run "$SFTEST" getxflags "$f"
	assert_success
	assert_output "$xflags"
	assert_equal "$(stat -c %z "$f")" "$ctime"
}

@test "tmpfs has not opted in: GET, SET, SETFLAGS and FSSETXATTR all give EOPNOTSUPP" {
	touch "$M/f"
	expect_refused "$M/f"
}

@test "ext2 has not opted in: every interface gives EOPNOTSUPP and leaves ctime alone" {
	loop_fs_setup 64M rw mkfs.ext2 -q -F -I 256
	touch "$LOOPMNT/f"
	sleep 1		# a change would move ctime by at least this much
	expect_refused "$LOOPMNT/f"
}

@test "XFS on pmem with -o dax has not opted in, and MAP_SYNC still works there" {
	alt_fs_setup dax mkfs.xfs -f -q
	truncate -s 64K "$ALT/f"
	expect_refused "$ALT/f"
	run count_sync_faults "$ALT/f" "$SFTEST" touch "$ALT/f" 16 sync nohuge
	assert_success
	assert_output 16
}

@test "overlayfs has not opted in: EOPNOTSUPP even when the upper file is flagged on ext4" {
	mkdir -p "$M/lower" "$T/upper" "$T/work" "$M/ovl"
	touch "$T/upper/f"
	"$SFTEST" set "$T/upper/f" on
	mount -t overlay overlay -o "lowerdir=$M/lower,upperdir=$T/upper,workdir=$T/work" "$M/ovl"
	run "$SFTEST" get "$M/ovl/f"
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" set "$M/ovl/f" off
	assert_failure
	assert_output --partial EOPNOTSUPP
	umount "$M/ovl"
	run "$SFTEST" get "$T/upper/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "overlayfs never shows the flag of a flagged upper file, and other changes through it keep it" {
	mkdir -p "$M/lower" "$T/upper" "$T/work" "$M/ovl"
	touch "$T/upper/f"
	"$SFTEST" set "$T/upper/f" on
	mount -t overlay overlay -o "lowerdir=$M/lower,upperdir=$T/upper,workdir=$T/work" "$M/ovl"
	run "$SFTEST" getflags "$M/ovl/f"
	assert_success
	(( ! (output & FS_SYNCFAULT_FL) ))
	run "$SFTEST" getxflags "$M/ovl/f"
	assert_success
	(( ! (output & FS_XFLAG_SYNCFAULT) ))
	run "$LSATTR" "$M/ovl/f"
	assert_success
	refute_output --regexp '^[^ ]*Y'
	run "$CHATTR" +A "$M/ovl/f"
	assert_success
	run "$CHATTR" -Y "$M/ovl/f"
	assert_success
	umount "$M/ovl"
	run "$SFTEST" get "$T/upper/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run "$LSATTR" "$T/upper/f"
	assert_success
	assert_output --regexp '^[^ ]*A[^ ]*Y'
}

@test "an append-only inode refuses the flag with EPERM on every interface" {
	touch "$T/f"
	chattr +a "$T/f"
	run "$SFTEST" set "$T/f" on
	assert_failure
	assert_output --partial EPERM
	run "$SFTEST" setflags "$T/f" +$FS_SYNCFAULT_FL
	assert_failure
	assert_output --partial EPERM
	chattr -a "$T/f"
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "an append-only inode with the flag cannot lose it either" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	chattr +a "$T/f"
	run "$SFTEST" set "$T/f" off
	assert_failure
	assert_output --partial EPERM
	chattr -a "$T/f"
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}
