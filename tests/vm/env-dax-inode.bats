#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# ext4 mounted with -o dax=inode: a file is in DAX mode only when it carries
# FS_XFLAG_DAX (chattr +x), and a change of that attribute takes effect once
# the inode has left the cache.  The sync-fault flag on a file without it is
# stored but not active and shared writable mappings are refused (DESIGN.md
# §2 rule 5); after chattr +x and an eviction the same file gets synchronous
# faults.  Then what syncdaxctl status and check say.  The file system is on
# the second NVDIMM (alt_fs_setup), $NODAX is restored afterwards.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

# One file system for the whole file (a mkfs costs a minute under TCG);
# each test works in a directory of its own, $D.
# outside the guest the tests skip (or fail in CI) in setup(); here, touch
# no device
setup_file() {
	in_guest || return 0
	alt_fs_setup dax=inode mkfs.ext4 -q -F -b 4096
}
teardown_file() { in_guest || return 0; alt_fs_teardown; }

setup() {
	require_guest
	require_prog "$SFTEST" "make -C tests/helpers"
	D=$(mktemp -d "$ALT/t.XXXXXX")
	mkdir "$D/d"
	truncate -s 64K "$D/d/f"
}
teardown() {
	syncfault_window_reset
	cd /
	if ! mountpoint -q "$ALT"; then mount -o dax=inode /dev/pmem1 "$ALT"; fi
	[ -z "${D:-}" ] || rm -rf "$D"
}

@test "dax=inode: a flagged file without FS_XFLAG_DAX is not in DAX mode and a shared writable mmap fails with EOPNOTSUPP" {
	run findmnt -n -o OPTIONS "$ALT"
	assert_success
	assert_output --partial dax=inode
	run "$SFTEST" set "$D/d/f" on
	assert_success
	run "$SFTEST" get "$D/d/f"
	assert_success
	assert_output "on=1 dax=0 active=0"
	run "$SFTEST" mmap "$D/d/f" shared
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" mmap "$D/d/f" private
	assert_success
}

@test "dax=inode: chattr +x and an eviction of the inode make the flagged file DAX, with synchronous faults" {
	run "$SFTEST" set "$D/d/f" on
	assert_success
	run chattr +x "$D/d/f"
	assert_success
	run lsattr -d "$D/d/f"
	assert_success
	assert_output --regexp '^[^ ]*x[^ ]* '
	evict_inodes
	# one fault per page: the preallocation window is off (syncfault_prealloc_kb 0)
	syncfault_window "$D" 0
	run "$SFTEST" get "$D/d/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run count_sync_faults "$D/d/f" "$SFTEST" touch "$D/d/f" 16 shared nohuge
	assert_success
	assert_output 16
}

@test "dax=inode: after chattr +x and a remount the flag and the DAX attribute are both in effect" {
	run "$SFTEST" set "$D/d/f" on
	assert_success
	run chattr +x "$D/d/f"
	assert_success
	umount "$ALT"
	mount -o dax=inode /dev/pmem1 "$ALT"
	run "$SFTEST" get "$D/d/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run "$SFTEST" mmap "$D/d/f" shared
	assert_success
}

@test "dax=inode: a file created in a directory with +x and the flag is DAX and active at once" {
	run chattr +x "$D/d"
	assert_success
	run "$SFTEST" set "$D/d" on
	assert_success
	# one fault per page: the preallocation window is off (syncfault_prealloc_kb 0)
	syncfault_window "$D" 0
	truncate -s 64K "$D/d/new"
	run "$SFTEST" get "$D/d/new"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run count_sync_faults "$D/d/new" "$SFTEST" touch "$D/d/new" 16 shared nohuge
	assert_success
	assert_output 16
}

@test "dax=inode: status of a flagged file without +x says active no and names chattr +x" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	run "$SFTEST" set "$D/d/f" on
	assert_success
	run --separate-stderr "$SYNCDAXCTL" status "$D/d/f"
	assert_success
	assert_output --regexp "^$D/d/f: flag on, DAX no, active no: .*chattr \+x"
	run --separate-stderr "$SYNCDAXCTL" status --json "$D/d/f"
	assert_success
	echo "$output"	# shown if the check below fails
	jq -e '.[0] | .flag == true and .dax == false and .active == false and
		(.why_not | index("not_dax") != null)' <<< "$output"
}

@test "dax=inode: check on a directory without +x says not-dax (exit 1), with +x ready (exit 0)" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	run --separate-stderr "$SYNCDAXCTL" check --json "$D/d"
	assert_failure 1
	echo "$output"	# shown if the check below fails
	jq -e '.verdict == "not-dax" and .mount_dax == "inode"' <<< "$output"
	run --separate-stderr "$SYNCDAXCTL" check "$D/d"
	assert_failure 1
	assert_output --partial "chattr +x"
	run chattr +x "$D/d"
	assert_success
	run --separate-stderr "$SYNCDAXCTL" check --json "$D/d"
	assert_success
	echo "$output"	# shown if the check below fails
	jq -e '.verdict == "ready" and .ok == true' <<< "$output"
}
