#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# ext4's two journal modes: the plain JBD2 journal and fast_commit.
# run-suite formats the default file systems of its second guest with
# fast_commit (SYNCDAX_MKFS_FEATURES), so every guest suite runs on one of
# the two modes and the journal-sensitive ones on both; this file checks
# that the guest got the mode it was asked for, and the flag on a fast_commit
# file system of its own in either guest.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

setup() {
	require_guest
	require_prog "$SFTEST" "make -C tests/helpers"
	vm_scratch
}
teardown() {
	alt_fs_teardown
	vm_cleanup
}

# has_fast_commit DEV: whether the ext4 on DEV has the fast_commit feature
has_fast_commit() {
	dumpe2fs -h "$1" 2>/dev/null | grep -E '^Filesystem features:' | grep -qw fast_commit
}

@test "the default file systems have the journal mode the host asked for (SYNCDAX_MKFS_FEATURES)" {
	local want=false dev
	[[ ,${SYNCDAX_MKFS_FEATURES:-}, != *,fast_commit,* ]] || want=true
	for dev in /dev/pmem0 /dev/pmem1; do
		run has_fast_commit "$dev"
		if [ "$want" = true ]; then assert_success; else assert_failure; fi
	done
	echo "# fast_commit on the default file systems: $want" >&3
}

@test "ext4 with fast_commit on pmem: the flag is active, faults are synchronous, it survives a remount, fsck is clean" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O fast_commit
	run has_fast_commit /dev/pmem1
	assert_success
	# one fault per page: the preallocation window (kernel patch 7) is off
	syncfault_window "$ALT" 0
	truncate -s 64K "$ALT/f"
	run "$SFTEST" set "$ALT/f" on
	assert_success
	run count_sync_faults "$ALT/f" "$SFTEST" touch "$ALT/f" 16 shared nohuge
	assert_success
	assert_output 16
	umount "$ALT"
	run e2fsck -fn /dev/pmem1
	assert_success
	mount -o dax /dev/pmem1 "$ALT"
	run "$SFTEST" get "$ALT/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "check --json reports fast_commit as the file system has it; without it check names tune2fs -O fast_commit" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O fast_commit
	run --separate-stderr "$SYNCDAXCTL" check --json "$ALT"
	assert_success
	echo "$output"	# shown if the check below fails
	jq -e '.fast_commit == true' <<< "$output"
	umount "$ALT"
	mkfs.ext4 -q -F -b 4096 -O ^fast_commit /dev/pmem1
	mount -o dax /dev/pmem1 "$ALT"
	run --separate-stderr "$SYNCDAXCTL" check --json "$ALT"
	assert_success
	echo "$output"	# shown if the check below fails
	jq -e '.fast_commit == false' <<< "$output"
	run --separate-stderr "$SYNCDAXCTL" check "$ALT"
	assert_success
	assert_output --partial "tune2fs -O fast_commit"
}
