#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The sync-fault flag through its three interfaces (DESIGN.md §2, rules 1-2).

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() { require_guest; vm_scratch; }
teardown() { vm_cleanup; }

flags_have() { (( $("$SFTEST" getflags "$1") & FS_SYNCFAULT_FL )); }
xflags_have() { (( $("$SFTEST" getxflags "$1") & FS_XFLAG_SYNCFAULT )); }
# The inode flags of PATH as stored on the unmounted /dev/pmem0.
disk_flags() {
	debugfs -R "stat $1" /dev/pmem0 2>/dev/null | sed -n 's/.*Flags: \(0x[0-9a-f]*\).*/\1/p'
}

@test "a new file on a DAX mount has the flag off and is in DAX mode" {
	touch "$T/f"
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "FS_IOC_SETSYNCFAULT on: GET, GETFLAGS and FSGETXATTR all report it, and it is active" {
	touch "$T/f"
	run "$SFTEST" set "$T/f" on
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	flags_have "$T/f"
	xflags_have "$T/f"
}

@test "FS_IOC_SETSYNCFAULT off clears it everywhere" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run "$SFTEST" set "$T/f" off
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
	run flags_have "$T/f"
	assert_failure
	run xflags_have "$T/f"
	assert_failure
}

@test "FS_IOC_SETFLAGS with FS_SYNCFAULT_FL sets the flag seen by GETSYNCFAULT and FSGETXATTR" {
	touch "$T/f"
	run "$SFTEST" setflags "$T/f" +$FS_SYNCFAULT_FL
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	xflags_have "$T/f"
	"$SFTEST" setflags "$T/f" -$FS_SYNCFAULT_FL
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "FS_IOC_FSSETXATTR with FS_XFLAG_SYNCFAULT sets the flag seen by GETSYNCFAULT and GETFLAGS" {
	touch "$T/f"
	run "$SFTEST" setxflags "$T/f" +$FS_XFLAG_SYNCFAULT
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	flags_have "$T/f"
	"$SFTEST" setxflags "$T/f" -$FS_XFLAG_SYNCFAULT
	run flags_have "$T/f"
	assert_failure
}

@test "SETSYNCFAULT leaves the other inode flags alone" {
	touch "$T/f"
	"$SFTEST" setflags "$T/f" +0x80	# FS_NOATIME_FL
	"$SFTEST" set "$T/f" on
	(( $("$SFTEST" getflags "$T/f") & 0x80 ))
	"$SFTEST" set "$T/f" off
	(( $("$SFTEST" getflags "$T/f") & 0x80 ))
}

@test "setting the flag twice is not an error and keeps it on" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run "$SFTEST" set "$T/f" on
	assert_success
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "the flag can be set on a directory" {
	mkdir "$T/d"
	run "$SFTEST" set "$T/d" on
	assert_success
	run "$SFTEST" get "$T/d"
	assert_success
	assert_output --partial "on=1"
}

@test "new files and subdirectories inherit the flag from their directory" {
	mkdir "$T/d"
	"$SFTEST" set "$T/d" on
	touch "$T/d/f"
	mkdir "$T/d/sub"
	touch "$T/d/sub/g"
	for p in "$T/d/f" "$T/d/sub" "$T/d/sub/g"; do
		run "$SFTEST" get "$p"
		assert_success
		assert_output --partial "on=1"
	done
	run "$SFTEST" get "$T/d/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "files created in an unflagged directory do not get the flag" {
	mkdir "$T/d"
	touch "$T/d/f"
	run "$SFTEST" get "$T/d/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "special files do not inherit the flag from a flagged directory" {
	# ext4 has no inode flag ioctls for special files: read the inode
	# from the device with debugfs instead
	mkdir "$T/d"
	"$SFTEST" set "$T/d" on
	mkfifo "$T/d/fifo"
	touch "$T/d/file"
	rel=${T#"$PMEM"/}/d
	umount "$PMEM"
	fifo_flags=$(disk_flags "/$rel/fifo")
	file_flags=$(disk_flags "/$rel/file")
	mount -o dax /dev/pmem0 "$PMEM"
	echo "fifo flags: $fifo_flags, file flags: $file_flags" >&3
	[ -n "$fifo_flags" ]
	[ -n "$file_flags" ]
	(( ! (fifo_flags & FS_SYNCFAULT_FL) ))
	(( file_flags & FS_SYNCFAULT_FL ))
}

@test "the flag survives umount and mount" {
	touch "$T/f"
	mkdir "$T/d"
	"$SFTEST" set "$T/f" on
	"$SFTEST" set "$T/d" on
	rel_f=${T#"$PMEM"/}/f
	rel_d=${T#"$PMEM"/}/d
	umount "$PMEM"
	mount -o dax /dev/pmem0 "$PMEM"
	run "$SFTEST" get "$PMEM/$rel_f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run "$SFTEST" get "$PMEM/$rel_d"
	assert_success
	assert_output --partial "on=1"
}

@test "the flag survives e2fsck -f, which finds nothing to fix" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	rel=${T#"$PMEM"/}/f
	umount "$PMEM"
	run e2fsck -fn /dev/pmem0
	mount -o dax /dev/pmem0 "$PMEM"
	assert_success
	run "$SFTEST" get "$PMEM/$rel"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "on a dax=never mount the flag can be set but is not active" {
	touch "$N/f"
	run "$SFTEST" set "$N/f" on
	assert_success
	run "$SFTEST" get "$N/f"
	assert_success
	assert_output "on=1 dax=0 active=0"
}
