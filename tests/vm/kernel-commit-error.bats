#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Setting the flag is durable before the call returns (DESIGN.md §2, rule 6):
# when the commit fails, the call fails, and GET afterwards tells the truth.
# ext4 -o dax on a dm-linear part of pmem1 with an external journal on a
# second dm device, whose table is swapped to the "error" target between
# the last successful commit and the ioctl, so that the commit of the flag
# change is the first journal write to fail.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

JSZ=$((64 * 2048))	# journal: 64 MiB in 512-byte sectors

setup() {
	require_guest
	vm_scratch
	local sz
	sz=$(blockdev --getsz /dev/pmem1)
	DSZ=$(( (sz - JSZ) / 4096 * 4096 ))
	rm -rf "$N"
	N=
	umount "$NODAX"
	dmsetup create --noudevsync sdxdata --table "0 $DSZ linear /dev/pmem1 0"
	dmsetup create --noudevsync sdxjrnl --table "0 $JSZ linear /dev/pmem1 $DSZ"
	dmsetup mknodes
	mkfs.ext4 -q -F -b 4096 -O journal_dev /dev/mapper/sdxjrnl
	mkfs.ext4 -q -F -b 4096 -J device=/dev/mapper/sdxjrnl /dev/mapper/sdxdata
	mkdir -p "$ALT"
	mount -t ext4 -o dax,journal_path=/dev/mapper/sdxjrnl /dev/mapper/sdxdata "$ALT"
}

teardown() {
	cd /
	umount "$ALT" 2>/dev/null
	dmsetup remove --noudevsync sdxdata 2>/dev/null
	dmsetup remove --noudevsync sdxjrnl 2>/dev/null
	alt_fs_teardown
	vm_cleanup
}

journal_fails() {
	dmsetup suspend --noudevsync sdxjrnl
	dmsetup load sdxjrnl --table "0 $JSZ error"
	dmsetup resume --noudevsync sdxjrnl
}

journal_works() {
	dmsetup suspend --noudevsync sdxjrnl
	dmsetup load sdxjrnl --table "0 $JSZ linear /dev/pmem1 $DSZ"
	dmsetup resume --noudevsync sdxjrnl
}

@test "a journal that fails during the commit of FS_IOC_SETSYNCFAULT makes it fail with EIO" {
	local f=$ALT/f
	truncate -s 1M "$f"
	"$SFTEST" touch "$f" 16 shared nohuge
	sync
	journal_fails
	run "$SFTEST" set "$f" on
	echo "# set with a failing journal: $output" >&3
	assert_failure
	assert_output --partial EIO
	# GET tells the truth afterwards: the flag stays set in memory, or the
	# file system shut down when its journal aborted and every access
	# fails; it never answers "off"
	run "$SFTEST" get "$f"
	echo "# get after the failed set: $output" >&3
	if [ "$status" -eq 0 ]; then
		assert_output "on=1 dax=1 active=1"
	else
		assert_output --partial EIO
	fi
	# and no write fault succeeds without its commit
	run "$SFTEST" touch "$f" 32 shared nohuge
	assert_failure
	umount "$ALT"
	journal_works
	run e2fsck -fy -j /dev/mapper/sdxjrnl /dev/mapper/sdxdata
	(( status <= 1 ))	# clean, or errors from the abort corrected
	run e2fsck -fn -j /dev/mapper/sdxjrnl /dev/mapper/sdxdata
	assert_success
}

@test "a journal that fails during the commit of FS_IOC_SETFLAGS with the flag makes it fail with EIO" {
	local f=$ALT/f
	truncate -s 1M "$f"
	sync
	journal_fails
	run "$SFTEST" setflags "$f" +$FS_SYNCFAULT_FL
	assert_failure
	assert_output --partial EIO
	umount "$ALT"
	journal_works
}

@test "with a working journal the same set succeeds and the flag is on disk after remount" {
	local f=$ALT/f
	truncate -s 1M "$f"
	sync
	run "$SFTEST" set "$f" on
	assert_success
	umount "$ALT"
	mount -t ext4 -o dax,journal_path=/dev/mapper/sdxjrnl /dev/mapper/sdxdata "$ALT"
	run "$SFTEST" get "$f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}
