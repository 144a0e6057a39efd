#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The sync_fault feature (DESIGN.md §2.9): the inode bit is the sync-fault
# flag only where the administrator turned the read-only-compatible feature
# on.  Without it, setting the flag fails with EOPNOTSUPP on every interface
# and changes nothing, and a bit found on disk is neither reported nor
# honoured nor cleared.  The feature excludes has_snapshot.  It can be
# turned on while mounted and takes effect at once.  (That a kernel without
# the series mounts such a file system read-only is tests/vm/failclosed.)

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() { require_guest; vm_scratch; }
teardown() {
	cd /
	loop_fs_teardown
	alt_fs_teardown
	vm_cleanup
}

# ro_compat DEV: the superblock's feature list, as dumpe2fs names it
ro_compat() { dumpe2fs -h "$1" 2>/dev/null | sed -n 's/^Filesystem features://p'; }
# disk_flags DEV PATH: the inode's i_flags on disk, as debugfs shows them
disk_flags() {
	debugfs -R "stat $2" "$1" 2>/dev/null | grep -o 'Flags: 0x[0-9a-f]*' | cut -d' ' -f2
}

@test "the kernel declares the feature in /sys/fs/ext4/features" {
	assert_file_exist /sys/fs/ext4/features/sync_fault
}

@test "the bed's file systems are made with the sync_fault feature" {
	run ro_compat /dev/pmem0
	assert_success
	assert_output --partial sync_fault
	run ro_compat /dev/pmem1
	assert_success
	assert_output --partial sync_fault
}

@test "without sync_fault, SET fails with EOPNOTSUPP on every interface and changes nothing" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^sync_fault
	touch "$ALT/f"
	mkdir "$ALT/d"
	sleep 1		# a change would move ctime by at least this much
	local f ctime flags
	for f in "$ALT/f" "$ALT/d"; do
		ctime=$(stat -c %z "$f")
		flags=$("$SFTEST" getflags "$f")
		run "$SFTEST" set "$f" on
		assert_failure
		assert_output --partial EOPNOTSUPP
		run "$SFTEST" setflags "$f" +$FS_SYNCFAULT_FL
		assert_failure
		assert_output --partial EOPNOTSUPP
		run "$SFTEST" setxflags "$f" +$FS_XFLAG_SYNCFAULT
		assert_failure
		assert_output --partial EOPNOTSUPP
		run "$CHATTR" +Y "$f"
		assert_failure
		run "$SFTEST" get "$f"
		assert_success
		assert_output --regexp '^on=0 '
		assert_equal "$("$SFTEST" getflags "$f")" "$flags"
		assert_equal "$(stat -c %z "$f")" "$ctime"
	done
	# clearing (a no-op) and the other flags still work
	run "$SFTEST" set "$ALT/f" off
	assert_success
	run "$CHATTR" +A "$ALT/f"
	assert_success
}

@test "tune2fs -O sync_fault on the mounted file system lets the flag be set at once" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^sync_fault
	touch "$ALT/f"
	run "$SFTEST" set "$ALT/f" on
	assert_failure
	assert_output --partial EOPNOTSUPP
	run tune2fs -O sync_fault /dev/pmem1
	assert_success
	run "$SFTEST" set "$ALT/f" on
	assert_success
	run "$SFTEST" get "$ALT/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run count_sync_faults "$ALT/f" "$SFTEST" touch "$ALT/f" 4 shared nohuge
	assert_success
	refute_output 0
}

@test "without sync_fault, a bit 0x01000000 on disk is not reported, not honoured and kept" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^sync_fault
	truncate -s 64K "$ALT/f"
	umount "$ALT"
	# EXT4_SNAPFILE_FL as old snapshot tools left it, plus EXTENTS_FL
	debugfs -w -R "set_inode_field /f flags 0x01080000" /dev/pmem1
	mount -o dax /dev/pmem1 "$ALT"
	run "$LSATTR" "$ALT/f"
	assert_success
	refute_output --regexp '^[^ ]*Y'
	run "$SFTEST" get "$ALT/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
	run count_sync_faults "$ALT/f" "$SFTEST" touch "$ALT/f" 16 shared nohuge
	assert_success
	assert_output 0
	# another flag changes; the bit stays on disk as it was
	run "$CHATTR" +A "$ALT/f"
	assert_success
	umount "$ALT"
	run disk_flags /dev/pmem1 /f
	assert_success
	assert_output 0x1080080
	mount -o dax /dev/pmem1 "$ALT"
}

@test "without sync_fault, new files do not inherit a bit a directory carries on disk" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^sync_fault
	mkdir "$ALT/d"
	umount "$ALT"
	debugfs -w -R "set_inode_field /d flags 0x01080000" /dev/pmem1
	mount -o dax /dev/pmem1 "$ALT"
	touch "$ALT/d/f"
	umount "$ALT"
	run disk_flags /dev/pmem1 /d/f
	assert_success
	assert_output 0x80000
	mount -o dax /dev/pmem1 "$ALT"
}

@test "sync_fault together with has_snapshot does not mount, not even read-only" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096
	umount "$ALT"
	# has_snapshot is RO_COMPAT 0x0080: set it behind tune2fs's back
	debugfs -w -R "feature has_snapshot" /dev/pmem1
	run ro_compat /dev/pmem1
	assert_success
	assert_output --partial has_snapshot
	run mount -o dax /dev/pmem1 "$ALT"
	assert_failure
	run mount -o ro /dev/pmem1 "$ALT"
	assert_failure
	run dmesg
	assert_output --partial "sync_fault and has_snapshot features exclude each other"
	# e2fsprogs refuses to open it for writing but when forced
	printf 'open -w -f /dev/pmem1\nfeature -has_snapshot\nclose\n' > /tmp/dbg.cmd
	debugfs -f /tmp/dbg.cmd
	mount -o dax /dev/pmem1 "$ALT"
}
