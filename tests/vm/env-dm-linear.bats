#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# ext4 -o dax on a device-mapper linear target over pmem (how LVM volumes on
# pmem look): dm passes DAX and dax_synchronous() through from the pmem
# below, so the flag works there as on the NVDIMM itself, and check finds a
# usable device behind the dm node.  The target covers all of the second
# NVDIMM; $NODAX is restored afterwards.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

# One file system for the whole file (a mkfs costs a minute under TCG);
# each test works in a directory of its own, $D.
# outside the guest the tests skip (or fail in CI) in setup(); here, touch
# no device
setup_file() {
	in_guest || return 0
	umount "$NODAX"
	dmsetup create --noudevsync sdxlin --table "0 $(blockdev --getsz /dev/pmem1) linear /dev/pmem1 0"
	dmsetup mknodes
	mkfs.ext4 -q -F -b 4096 /dev/mapper/sdxlin
	mkdir -p "$ALT"
	mount -o dax /dev/mapper/sdxlin "$ALT"
}
teardown_file() {
	in_guest || return 0
	cd /
	if mountpoint -q "$ALT"; then umount "$ALT"; fi
	[ ! -e /dev/mapper/sdxlin ] || dmsetup remove --noudevsync sdxlin
	alt_fs_teardown
}

setup() {
	require_guest
	require_prog "$SFTEST" "make -C tests/helpers"
	D=$(mktemp -d "$ALT/t.XXXXXX")
}
teardown() {
	syncfault_window_reset
	cd /
	if ! mountpoint -q "$ALT"; then mount -o dax /dev/mapper/sdxlin "$ALT"; fi
	[ -z "${D:-}" ] || rm -rf "$D"
}

@test "dm-linear over pmem: the dm device is DAX and ext4 on it mounts with -o dax" {
	run dev_dax /dev/mapper/sdxlin
	assert_success
	assert_output 1
	run findmnt -n -o SOURCE,OPTIONS "$ALT"
	assert_success
	assert_output --regexp '^/dev/mapper/sdxlin .*dax=always'
}

@test "dm-linear over pmem: the flag is active and write faults on a shared mapping are synchronous" {
	# one fault per page: the preallocation window is off (syncfault_prealloc_kb 0)
	syncfault_window "$D" 0
	truncate -s 64K "$D/f"
	run "$SFTEST" set "$D/f" on
	assert_success
	run "$SFTEST" get "$D/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run count_sync_faults "$D/f" "$SFTEST" touch "$D/f" 16 shared nohuge
	assert_success
	assert_output 16
	# a file without the flag keeps plain faults
	truncate -s 64K "$D/g"
	run count_sync_faults "$D/g" "$SFTEST" touch "$D/g" 16 shared nohuge
	assert_success
	assert_output 0
}

@test "dm-linear over pmem: the flag survives a remount and stays active" {
	truncate -s 64K "$D/f"
	run "$SFTEST" set "$D/f" on
	assert_success
	umount "$ALT"
	mount -o dax /dev/mapper/sdxlin "$ALT"
	run "$SFTEST" get "$D/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "dm-linear over pmem: check passes with exit 0" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	assert_check_ready "$ALT"
}
