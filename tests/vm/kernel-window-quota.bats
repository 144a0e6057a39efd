#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The sync-fault window must never leave a user at quota without a block:
# it is taken only if the user's quota holds all of it (DESIGN.md §2.10).
# On an ext4 with the quota feature mounted -o dax,usrquota, the user nobody
# may allocate 100 blocks: first touches in four windows of a flagged file
# all succeed, as they do with the window off.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup_file() {
	in_guest || return 0
	alt_fs_setup dax,usrquota mkfs.ext4 -q -F -b 4096 -O quota,^fast_commit
}
teardown_file() { in_guest || return 0; alt_fs_teardown; }

setup() {
	require_guest
	require_prog /usr/sbin/setquota "apt-get install quota"
	vm_scratch
	rmdir "$T"
	T=$(mktemp -d "$ALT/t.XXXXXX")
	chown "$NOBODY" "$T"
	# 400 KiB: 100 blocks of 4 KiB
	setquota -u "$NOBODY" 0 400 0 0 "$ALT"
}
teardown() {
	[ -z "${ALT:-}" ] || setquota -u "$NOBODY" 0 0 0 0 "$ALT" 2>/dev/null
	vm_cleanup
}

@test "the quota is enforced here: nobody cannot fallocate 101 blocks" {
	run as_nobody fallocate -l $((101 * 4096)) "$T/big"
	assert_failure
	assert_output --partial "quota exceeded"
}

@test "a user with 100 blocks of quota gets a block at each first touch in four windows" {
	as_nobody truncate -s $((8 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	local p
	for p in 0 512 1024 1536; do
		run poke --as-nobody "$T/f" "$p"
		assert_success
	done
	assert_equal "$(allocated_pages "$T/f")" 4
}

@test "a user with enough quota for a whole window still gets it" {
	setquota -u "$NOBODY" 0 4096 0 0 "$ALT"
	as_nobody truncate -s $((4 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	run poke --as-nobody "$T/f" 0
	assert_success
	assert_equal "$(allocated_pages "$T/f")" 512
}
