#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Who may change the flag and what is refused (DESIGN.md §2, rule 2): every
# error leaves the flag as it was.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() { require_guest; vm_scratch; }
teardown() { vm_cleanup; }

@test "an unprivileged user who does not own the file gets EPERM and nothing changes" {
	touch "$T/f"
	chmod 666 "$T/f"
	run as_nobody "$SFTEST" set "$T/f" on
	assert_failure
	assert_output --partial EPERM
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "an unprivileged owner may set and clear the flag" {
	touch "$T/f"
	chown $NOBODY "$T/f"
	run as_nobody "$SFTEST" set "$T/f" on
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run as_nobody "$SFTEST" set "$T/f" off
	assert_success
}

@test "any user may read the flag" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run as_nobody "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "a read-only mount gives EROFS and nothing changes" {
	touch "$T/f"
	mount -o remount,ro "$PMEM"
	run "$SFTEST" set "$T/f" on
	mount -o remount,rw "$PMEM"
	assert_failure
	assert_output --partial EROFS
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "an immutable file gives EPERM and nothing changes" {
	touch "$T/f"
	chattr +i "$T/f"
	run "$SFTEST" set "$T/f" on
	chattr -i "$T/f"
	assert_failure
	assert_output --partial EPERM
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "a fifo gives EINVAL for SET and GET" {
	mkfifo "$T/fifo"
	run "$SFTEST" set "$T/fifo" on
	assert_failure
	assert_output --partial EINVAL
	run "$SFTEST" get "$T/fifo"
	assert_failure
	assert_output --partial EINVAL
}

@test "a device node gives EINVAL" {
	mknod "$T/null" c 1 3
	run "$SFTEST" set "$T/null" on
	assert_failure
	assert_output --partial EINVAL
}

@test "a symlink cannot be flagged: the ioctl acts on its target" {
	touch "$T/target"
	ln -s target "$T/link"
	"$SFTEST" set "$T/link" on
	run "$SFTEST" get "$T/target"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "unknown bits in sf_flags give EINVAL and nothing changes" {
	touch "$T/f"
	for bad in 0x2 0x3 0x80000000; do
		run "$SFTEST" setraw "$T/f" $bad 0 0 0
		assert_failure
		assert_output --partial EINVAL
	done
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "non-zero sf_reserved gives EINVAL and nothing changes" {
	touch "$T/f"
	run "$SFTEST" setraw "$T/f" 1 0 1 0
	assert_failure
	assert_output --partial EINVAL
	run "$SFTEST" setraw "$T/f" 1 0 0 0x8000000000000000
	assert_failure
	assert_output --partial EINVAL
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "sf_state is ignored by SET, so GET-modify-SET works" {
	touch "$T/f"
	run "$SFTEST" setraw "$T/f" 1 3 0 0
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "procfs, which has not opted in, gives EOPNOTSUPP" {
	run "$SFTEST" get /proc/version
	assert_failure
	assert_output --partial EOPNOTSUPP
}
