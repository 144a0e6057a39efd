#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# ext4's two journal modes: the plain JBD2 journal and fast_commit.
# run-suite formats the default file systems of its second guest with
# fast_commit (SYNCDAX_MKFS_FEATURES), so every guest suite runs on one of
# the two modes and the journal-sensitive ones on both; this file checks
# that the guest got the mode it was asked for.  The tests that make a
# fast_commit file system of their own are in kernel-ext4-modes.bats,
# which runs once.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

setup() {
	require_guest
	require_prog "$SFTEST" "make -C tests/helpers"
	vm_scratch
}
teardown() {
	vm_cleanup
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
