#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The flag on ext4 file systems of other shapes (DESIGN.md §2, rules 1, 5,
# 6): no journal, data=journal, inline data, fs-verity, fast_commit.  Each
# gets its own file system on the second NVDIMM, or in an image on tmpfs.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

setup() { require_guest; vm_scratch; }
teardown() {
	cd /
	fc_image_teardown
	mountpoint -q "$ALT" && umount "$ALT"
	[ ! -e /dev/mapper/sdxnj ] || dmsetup remove --noudevsync sdxnj
	alt_fs_teardown
	vm_cleanup
}

# fc_stat DEV FIELD: one counter (commits, ineligible, numblks) of the
# fast commit statistics of the ext4 on DEV.
fc_stat() {
	awk -v f="$2" 'NF == 2 && $2 == f { print $1 }' "/proc/fs/ext4/$(basename "$1")/fc_info"
}

# append_fsync FILE: append 8 bytes to FILE and fsync it: a fast commit
# of one block (the inode and its new extent).
append_fsync() {
	xfs_io -c "pwrite -q $(stat -c %s "$1") 8" -c fsync "$1"
}

fc_image_teardown() {
	local m
	for m in "${M:-/nonexistent}/fc" "${M:-/nonexistent}/fc-copy"; do
		mountpoint -q "$m" && umount "$m"
	done
	[ -z "${FC_LOOPS:-}" ] || losetup -d $FC_LOOPS 2>/dev/null
	return 0
}

# nojournal_over_dm: ext4 without a journal on a dm-linear device over
# pmem1 (normally $NODAX), mounted at $ALT.  The file system's metadata
# buffers live in the dm device's cache, so an O_DIRECT read of pmem1
# itself (debugfs -D) shows what has reached the media, what a power cut
# would leave, and flushes nothing.
nojournal_over_dm() {
	rm -rf "$N"
	N=
	umount "$NODAX"
	dmsetup create --noudevsync sdxnj --table "0 $(blockdev --getsz /dev/pmem1) linear /dev/pmem1 0"
	dmsetup mknodes
	mkfs.ext4 -q -F -b 4096 -O ^has_journal /dev/mapper/sdxnj
	mkdir -p "$ALT"
	mount /dev/mapper/sdxnj "$ALT"
}

# flag_set_but_not_mapped_shared FILE: on a file that is not in DAX mode the
# flag is stored and reported inactive, and shared writable mappings are
# refused (all or nothing).
flag_set_but_not_mapped_shared() {
	run "$SFTEST" set "$1" on
	assert_success
	run "$SFTEST" get "$1"
	assert_success
	assert_output "on=1 dax=0 active=0"
	run "$SFTEST" mmap "$1" shared
	assert_failure
	assert_output --partial EOPNOTSUPP
}

@test "without a journal, setting the flag writes the new file's inode and parent directories to the media" {
	nojournal_over_dm
	mkdir "$ALT/d"
	touch "$ALT/d/f"
	run debugfs -D -R "stat /d/f" /dev/pmem1
	assert_success
	refute_output --partial "Flags:"	# not on the media yet
	run "$SFTEST" set "$ALT/d/f" on
	assert_success
	run debugfs -D -R "stat /d/f" /dev/pmem1
	assert_success
	assert_output --regexp 'Flags: 0x1[0-9a-f]{6}'
}

@test "without a journal, setting the flag on a new directory writes it and its parents to the media" {
	nojournal_over_dm
	mkdir -p "$ALT/d/e"
	# not on the media yet (grep -c prints 0 and fails)
	run bash -c "debugfs -D -R 'stat /d/e' /dev/pmem1 2>&1 | grep -cE 'Flags: 0x1[0-9a-f]{6}'"
	assert_failure
	assert_output 0
	run "$CHATTR" +Y "$ALT/d/e"
	assert_success
	run debugfs -D -R "stat /d/e" /dev/pmem1
	assert_success
	assert_output --regexp 'Flags: 0x1[0-9a-f]{6}'
	# and through the directory, as lsattr -d would show it after a cut
	run debugfs -D -R "ls -l /d" /dev/pmem1
	assert_success
	assert_line --regexp ' e$'
}

@test "without a journal, faults on a flagged file are synchronous and the flag survives a remount" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^has_journal
	# one fault per page: the preallocation window is off
	syncfault_window "$ALT" 0
	truncate -s 64K "$ALT/f"
	"$SFTEST" set "$ALT/f" on
	run count_sync_faults "$ALT/f" "$SFTEST" touch "$ALT/f" 16 shared nohuge
	assert_success
	assert_output 16
	umount "$ALT"
	mount -o dax /dev/pmem1 "$ALT"
	run "$SFTEST" get "$ALT/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "data=journal (no DAX): the flag is stored, shared mappings are refused, private ones work" {
	alt_fs_setup data=journal mkfs.ext4 -q -F -b 4096
	truncate -s 64K "$ALT/f"
	flag_set_but_not_mapped_shared "$ALT/f"
	run "$SFTEST" mmap "$ALT/f" private
	assert_success
}

@test "inline data (no DAX): a file with inline data takes the flag and is refused shared mappings" {
	alt_fs_setup rw mkfs.ext4 -q -F -b 4096 -O inline_data
	echo small > "$ALT/f"
	flag_set_but_not_mapped_shared "$ALT/f"
	run "$SFTEST" mmap "$ALT/f" shared-ro
	assert_success
}

@test "fs-verity: ext4 refuses verity on a DAX file; a verity file takes the flag but is never mapped writable" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O verity
	head -c 65536 /dev/urandom > "$ALT/dax"
	run fsverity enable "$ALT/dax"
	assert_failure
	assert_output --partial "Invalid argument"
	umount "$ALT"
	mount -o dax=never /dev/pmem1 "$ALT"
	head -c 65536 /dev/urandom > "$ALT/f"
	run fsverity enable "$ALT/f"
	assert_success
	run "$SFTEST" set "$ALT/f" on
	assert_success
	run "$SFTEST" get "$ALT/f"
	assert_success
	assert_output "on=1 dax=0 active=0"
	run "$SFTEST" mmap "$ALT/f" shared
	assert_failure
	assert_output --partial EPERM
}

@test "ext4 with fast_commit on pmem: the flag is active, faults are synchronous, it survives a remount, fsck is clean" {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O fast_commit
	run has_fast_commit /dev/pmem1
	assert_success
	# one fault per page: the preallocation window is off (syncfault_prealloc_kb 0)
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

@test "a fast commit area filled to its last block is replayed at mount (kernel patches 1-2)" {
	local img=$M/fc.img copy=$M/fc-copy.img dev dev2 base inel cap i n size
	truncate -s 64M "$img"
	mkfs.ext4 -q -F -b 4096 -O fast_commit "$img"
	dev=$(losetup -f --show "$img")
	FC_LOOPS=$dev
	mkdir "$M/fc" "$M/fc-copy"
	# a long commit interval: only fsync commits while the test runs
	mount -o commit=600 "$dev" "$M/fc"
	: > "$M/fc/f"
	sync
	# Find the area's size: fsync until the first fast commit that does not
	# fit (it falls back to a full commit, which empties the area).
	base=$(fc_stat "$dev" numblks) inel=$(fc_stat "$dev" ineligible)
	for ((i = 0; i < 2000; i++)); do
		n=$(fc_stat "$dev" numblks)
		append_fsync "$M/fc/f"
		[ "$(fc_stat "$dev" ineligible)" = "$inel" ] || break
	done
	cap=$((n - base))
	echo "# the fast commit area holds $cap blocks; $i fsyncs filled it" >&3
	(( cap >= 2 ))
	# Now fill it to its last block, and stop there.
	base=$(fc_stat "$dev" numblks) inel=$(fc_stat "$dev" ineligible)
	while (( $(fc_stat "$dev" numblks) - base < cap )); do
		append_fsync "$M/fc/f"
	done
	assert_equal "$(( $(fc_stat "$dev" numblks) - base ))" "$cap"
	assert_equal "$(fc_stat "$dev" ineligible)" "$inel"
	# The image is what a power cut would leave: copy it before the
	# unmount commits the journal.
	size=$(stat -c %s "$M/fc/f")
	cp "$img" "$copy"
	umount "$M/fc"
	dev2=$(losetup -f --show "$copy")
	FC_LOOPS="$dev $dev2"
	run mount "$dev2" "$M/fc-copy"
	assert_success
	# every fsync'd append came back
	run stat -c %s "$M/fc-copy/f"
	assert_success
	assert_output "$size"
	umount "$M/fc-copy"
	run e2fsck -fn "$dev2"
	assert_success
}
