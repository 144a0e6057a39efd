#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Setting the flag is durable before the call returns (DESIGN.md §2, rule 6):
# when the commit fails, the call fails, and GET afterwards tells the truth.
# ext4 -o dax on a dm-linear part of pmem1 with an external journal on a
# second dm device, whose table is swapped to the "error" target between
# the last successful commit and the ioctl, so that the commit of the flag
# change is the first journal write to fail.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() {
	require_guest
	vm_scratch
	dm_journal_setup
}

teardown() {
	dm_journal_teardown
	vm_cleanup
}

@test "a journal that fails during the commit of FS_IOC_SETSYNCFAULT makes it fail with EIO" {
	local f=$ALT/f
	truncate -s 1M "$f"
	"$SFTEST" touch "$f" 16 shared nohuge
	sync
	dm_journal_fails
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
	dm_journal_works
	dm_journal_fsck
}

@test "a journal that fails during the commit of FS_IOC_SETFLAGS with the flag makes it fail with EIO" {
	local f=$ALT/f
	truncate -s 1M "$f"
	sync
	dm_journal_fails
	run "$SFTEST" setflags "$f" +$FS_SYNCFAULT_FL
	assert_failure
	assert_output --partial EIO
	umount "$ALT"
	dm_journal_works
}

@test "with a working journal the same set succeeds and the flag is on disk after remount" {
	local f=$ALT/f
	truncate -s 1M "$f"
	sync
	run "$SFTEST" set "$f" on
	assert_success
	umount "$ALT"
	dm_journal_mount
	run "$SFTEST" get "$f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}
