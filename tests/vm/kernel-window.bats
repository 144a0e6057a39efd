#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The preallocation window of synchronous allocating faults (kernel patch 7,
# /sys/fs/ext4/<disk>/syncfault_prealloc_kb): one commit covers the faults
# that follow in the window; the window stays within i_size, stops at the
# next allocated extent, reads as zeros, and never touches unflagged files.

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

# allocated_pages FILE: 4 KiB blocks allocated to FILE
allocated_pages() { echo $(( $(stat -c '%b * %B' "$1") / 4096 )); }

# poke FILE PAGE...: store one byte to each PAGE through a 4 KiB shared
# mapping of FILE as it is (no truncation, unlike sftest touch), with
# tests/helpers/sfmap; fails unless every store was answered "ok"
poke() {
	local f=$1 p out
	shift
	out=$({ for p in "$@"; do echo "write $p $((p + 1))"; done; echo quit; } |
		"$SFMAP" "$f" $(( ($(stat -c %s "$f") + 4095) / 4096 )) shared nohuge) || return 1
	[ "$(grep -cv -e '^ok' -e '^ready$' <<<"$out")" = 0 ] || { echo "sfmap: $out"; return 1; }
}

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

@test "a window larger than the free space does not fail the fault" {
	local i=0
	# fill the file system, then free 100 blocks: a 512-block window
	# cannot fit
	while fallocate -o $((i * 1048576)) -l 1048576 "$T/filler" 2>/dev/null; do
		i=$((i + 1))
	done
	fallocate -p -o 0 -l $((100 * 4096)) "$T/filler"
	truncate -s $((4 * 1024 * 1024)) "$T/f"
	"$SFTEST" set "$T/f" on
	run poke "$T/f" 0
	assert_success
	# the fault got its page, and fewer blocks than a window
	run allocated_pages "$T/f"
	assert_success
	echo "blocks allocated by the fault: $output" >&3
	(( output >= 1 ))
	(( output < 512 ))
}
