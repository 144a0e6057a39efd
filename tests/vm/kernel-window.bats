#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The preallocation window of synchronous allocating faults (the last kernel
# patch; mount option and /sys/fs/ext4/<disk>/syncfault_prealloc_kb): one
# commit covers the faults that follow in the window; the window stays
# within i_size, stops at the next allocated extent and before pages that
# are mapped already, reads as zeros, never touches unflagged files, is
# taken only where the free space holds all of it, and its setting persists
# and refuses what it cannot do.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

# The counts below are exact on ext4 with the default journal.  With
# fast_commit a write fault that only changes the timestamps is synchronous
# too (the inode is on the fast-commit list), which would add faults that
# have nothing to do with the window: the file formats its own
# default-journal ext4, whichever guest runs it.
setup_file() {
	in_guest || return 0
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^fast_commit
}
teardown_file() { in_guest || return 0; alt_fs_teardown; }

setup() {
	require_guest
	vm_scratch
	rmdir "$T"
	T=$(mktemp -d "$ALT/t.XXXXXX")
	KNOB=/sys/fs/ext4/$(basename "$(findmnt -no SOURCE -T "$T")")/syncfault_prealloc_kb
	assert_file_exist "$KNOB"
}
teardown() { vm_cleanup; }

# nonzero_pages FILE: pages of FILE that hold anything but zeros
nonzero_pages() {
	local n=0 i pages
	pages=$(( ($(stat -c %s "$1") + 4095) / 4096 ))
	for ((i = 0; i < pages; i++)); do
		cmp -s -n 4096 <(dd if="$1" bs=4096 skip=$i count=1 status=none) /dev/zero ||
			n=$((n + 1))
	done
	echo $n
}

@test "the window defaults to 2048 KiB, the allocation of one PMD fault" {
	run cat "$KNOB"
	assert_success
	assert_output 2048
}

@test "first touch of 64 pages of a flagged sparse file: one synchronous fault, not 64" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	echo "sync faults: $output" >&3
	assert_output 1
	assert_equal "$(allocated_pages "$T/f")" 64
}

@test "with the window off, every first touch is a synchronous fault, as before" {
	echo 0 > "$KNOB"
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	assert_output 64
}

@test "a window ends at its aligned boundary: 1024 pages take two synchronous faults" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run sync_fault_events "$T/f" "$SFTEST" touch "$T/f" 1024 shared nohuge
	assert_success
	echo "$output" >&3
	assert_equal "$(echo "$output" | grep -c .)" 2
	assert_equal "$(echo "$output" | grep -c 'pgoff 0x0 ')" 1
	assert_equal "$(echo "$output" | grep -c 'pgoff 0x200 ')" 1
}

@test "a smaller window gives proportionally more commits: 64 KiB over 64 pages is 4" {
	echo 64 > "$KNOB"
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	assert_output 4
}

@test "the window stays within i_size" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 3 shared nohuge
	assert_success
	assert_output 1
	assert_equal "$(allocated_pages "$T/f")" 3
}

@test "the window stops at the next allocated extent and keeps its data" {
	truncate -s $((64 * 4096)) "$T/f"
	printf 'keep' | dd of="$T/f" bs=4096 seek=10 conv=notrunc status=none
	sync
	"$SFTEST" set "$T/f" on
	# page 0 fills the hole 0..9, page 11 the hole after the data
	run sync_fault_events "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	echo "$output" >&3
	assert_equal "$(echo "$output" | grep -c .)" 2
	assert_equal "$(echo "$output" | grep -c 'pgoff 0xb ')" 1
	# the touch stored (i + 1) at the start of each page; page 10 kept the rest
	run dd if="$T/f" bs=1 skip=$((10 * 4096 + 1)) count=3 status=none
	assert_success
	assert_output eep
}

@test "fallocated (unwritten) blocks are converted a window at a time" {
	fallocate -l $((64 * 4096)) "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	assert_output 1
}

@test "untouched pages of a window read as zeros" {
	truncate -s $((64 * 4096)) "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" poke "$T/f" 0 5
	assert_success
	assert_output 1
	assert_equal "$(allocated_pages "$T/f")" 64
	assert_equal "$(nonzero_pages "$T/f")" 2
}

@test "files without the flag allocate only what they touch, also under MAP_SYNC" {
	truncate -s $((64 * 4096)) "$T/a"
	run count_sync_faults "$T/a" poke "$T/a" 0 1
	assert_success
	assert_output 0
	assert_equal "$(allocated_pages "$T/a")" 2
	touch "$T/b"
	run count_sync_faults "$T/b" "$SFTEST" touch "$T/b" 8 sync nohuge
	assert_success
	assert_output 8
	assert_equal "$(allocated_pages "$T/b")" 8
}

# fill_fs DIR FREE: fill the file system of DIR (a scratch one) until only
# FREE 4 KiB blocks are left for root, with a file under DIR
root_free() {	# root_free DIR: blocks root may still allocate there
	echo $(( $(stat -f -c %f "$1") - $(cat "$(dirname "$KNOB")/reserved_clusters") ))
}
fill_fs() {
	local i=0 j=0 left
	while fallocate -o $((i * 1048576)) -l 1048576 "$1/filler" 2>/dev/null; do
		i=$((i + 1))
	done
	# the rest, a block at a time, so that nothing is left
	while fallocate -o $((j * 4096)) -l 4096 "$1/filler4k" 2>/dev/null; do
		j=$((j + 1))
	done
	# statfs counts ext4's reserved clusters as free; root cannot have them
	left=$(root_free "$1")
	[ "$left" -le "$2" ] || { echo "fill_fs: $left blocks left after filling"; return 1; }
	[ "$left" -eq "$2" ] || fallocate -p -o 0 -l $(( ($2 - left) * 4096 )) "$1/filler"
	left=$(root_free "$1")
	echo "free blocks: $left" >&3
	[ "$left" -ge "$2" ] || { echo "fill_fs: only $left blocks free"; return 1; }
}

@test "a window larger than the free space is not taken: the fault allocates its page only" {
	fill_fs "$T" 100
	truncate -s $((4 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	run poke "$T/f" 0
	assert_success
	run allocated_pages "$T/f"
	assert_success
	assert_output 1
}

@test "with 100 free blocks, first touches in four windows all succeed, as with the window off" {
	fill_fs "$T" 100
	truncate -s $((8 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	local p
	for p in 0 512 1024 1536; do
		run poke "$T/f" "$p"
		assert_success
	done
	assert_equal "$(allocated_pages "$T/f")" 4
}

@test "with 100 free blocks, first touches alternating between two flagged files all succeed" {
	fill_fs "$T" 100
	truncate -s $((4 * 1024 * 1024)) "$T/a" "$T/b"
	"$SFTEST" set "$T/a" on
	"$SFTEST" set "$T/b" on
	local p
	for p in 0 512; do
		run poke "$T/a" "$p"
		assert_success
		run poke "$T/b" "$p"
		assert_success
	done
	assert_equal "$(allocated_pages "$T/a")" 2
	assert_equal "$(allocated_pages "$T/b")" 2
}

@test "a window that the free space holds is still taken whole" {
	fill_fs "$T" 1000
	truncate -s $((4 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" poke "$T/f" 0 1
	assert_success
	assert_output 1
	assert_equal "$(allocated_pages "$T/f")" 512
}

@test "a window never covers a page another mapping has read: write(2) there is seen through it" {
	truncate -s $((4 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	# B maps the file shared and reads page 5 (the zero page is mapped)
	map_open "$T/f" 1024 shared nohuge
	assert_equal "$MAP_STATE" ready
	map_cmd read 5 6
	assert_equal "$MAP_ANSWER" "ok 0"
	# A's first store to page 0 allocates a window
	run poke "$T/f" 0
	assert_success
	# A writes "X" to page 5 with write(2); B must see it
	printf X | dd of="$T/f" bs=1 seek=$((5 * 4096)) conv=notrunc status=none
	map_cmd read 5 6
	assert_equal "$MAP_ANSWER" "ok 88"
	map_close
	# the window ended before page 5
	assert_equal "$(allocated_pages "$T/f")" 6
}

@test "the window setting rejects what it cannot honour with EINVAL and keeps its value" {
	echo 512 > "$KNOB"
	local v
	for v in 3 4096 1000 -1 abc; do
		run bash -c "echo $v > $KNOB"
		assert_failure
		assert_output --partial "Invalid argument"
	done
	run cat "$KNOB"
	assert_success
	assert_output 512
}

@test "the window persists across mounts as a mount option, and a bad one fails the mount" {
	local dev
	dev=$(findmnt -no SOURCE -T "$T")
	rmdir "$T"
	umount "$ALT"
	run mount -o dax,syncfault_prealloc_kb=3 "$dev" "$ALT"
	assert_failure
	tune2fs -E mount_opts=syncfault_prealloc_kb=256 "$dev"
	mount -o dax "$dev" "$ALT"
	T=$(mktemp -d "$ALT/t.XXXXXX")
	run cat "$KNOB"
	assert_success
	assert_output 256
	run findmnt -no OPTIONS "$ALT"
	assert_success
	assert_output --partial syncfault_prealloc_kb=256
	umount "$ALT"
	tune2fs -E mount_opts= "$dev"
	mount -o dax,syncfault_prealloc_kb=0 "$dev" "$ALT"
	run cat "$KNOB"
	assert_success
	assert_output 0
	umount "$ALT"
	mount -o dax "$dev" "$ALT"
	run cat "$KNOB"
	assert_success
	assert_output 2048
}
