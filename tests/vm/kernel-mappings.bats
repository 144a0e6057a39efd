#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Mappings and the flag over time (DESIGN.md §2, rules 3-6): a mapping
# keeps the guarantee it was created with, a mapping that predates the flag
# gets it when the flag is set, mappings that could not get it block the
# flag, and every way of making a page writable goes through the sync path.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() {
	require_guest
	require_prog "$SFMAP" "make -C tests/helpers"
	vm_scratch
}
teardown() {
	# the pfn_mkwrite tests stretch the commit interval
	mount -o remount,commit=5 "$PMEM"
	vm_cleanup
}

@test "a mapping created while the flag is set keeps synchronous faults after the flag is cleared" {
	truncate -s 256K "$T/f"
	"$SFTEST" set "$T/f" on
	map_open "$T/f" 64 shared nohuge
	assert_equal "$MAP_STATE" ready
	run "$SFTEST" set "$T/f" off
	assert_success
	run sync_fault_events "$T/f" map_cmd write 0 64
	assert_success
	assert_equal "$(echo "$output" | grep -c 'dax_sync_fault:')" 64
	assert_equal "$(echo "$output" | grep -c ' sticky flag 0 ')" 64
	map_cmd vmflags
	assert_equal "$MAP_ANSWER" "ok sf=1"
	map_close
}

@test "a mapping created after the flag was cleared takes ordinary faults" {
	truncate -s 256K "$T/f"
	"$SFTEST" set "$T/f" on
	"$SFTEST" set "$T/f" off
	map_open "$T/f" 64 shared nohuge
	assert_equal "$MAP_STATE" ready
	run count_sync_faults "$T/f" map_cmd write 0 64
	assert_success
	assert_output 0
	map_cmd vmflags
	assert_equal "$MAP_ANSWER" "ok sf=0"
	map_close
}

@test "a mapping that predates the flag takes synchronous faults once the flag is set, traced as 'inode'" {
	# one fault per page: the preallocation window is off
	syncfault_window "$T" 0
	truncate -s 256K "$T/f"
	map_open "$T/f" 64 shared nohuge
	assert_equal "$MAP_STATE" ready
	map_cmd write 0 8
	run "$SFTEST" set "$T/f" on
	assert_success
	run sync_fault_events "$T/f" map_cmd write 8 64
	assert_success
	assert_equal "$(echo "$output" | grep -c 'dax_sync_fault:')" 56
	assert_equal "$(echo "$output" | grep -c ' inode flag 1 ')" 56
	map_close
}

@test "the tracepoint names the source: map_sync, sticky (mapped while flagged), inode (mapped before)" {
	# one fault per page: the preallocation window is off
	syncfault_window "$T" 0
	truncate -s 64K "$T/a" "$T/b" "$T/c"
	"$SFTEST" set "$T/b" on
	run sync_fault_events "$T/a" "$SFTEST" touch "$T/a" 16 sync nohuge
	assert_success
	assert_equal "$(echo "$output" | grep -c ' map_sync flag 0 .* order 0 ')" 16
	run sync_fault_events "$T/b" "$SFTEST" touch "$T/b" 16 shared nohuge
	assert_success
	assert_equal "$(echo "$output" | grep -c ' sticky flag 1 .* order 0 ')" 16
	# MAP_SYNC on a flagged file stays map_sync
	truncate -s 0 "$T/b"
	truncate -s 64K "$T/b"
	run sync_fault_events "$T/b" "$SFTEST" touch "$T/b" 16 sync nohuge
	assert_success
	assert_equal "$(echo "$output" | grep -c ' map_sync flag 1 .* order 0 ')" 16
	# a mapping that predates the flag
	map_open "$T/c" 16 shared nohuge
	assert_equal "$MAP_STATE" ready
	"$SFTEST" set "$T/c" on
	run sync_fault_events "$T/c" map_cmd write 0 16
	assert_success
	assert_equal "$(echo "$output" | grep -c ' inode flag 1 .* order 0 ')" 16
	map_close
}

@test "setting the flag on a non-DAX file with a shared writable mapping fails with EBUSY and changes nothing" {
	truncate -s 16K "$N/f"
	map_open "$N/f" 4 shared
	assert_equal "$MAP_STATE" ready
	local before
	before=$(stat -c %z "$N/f")
	run "$SFTEST" set "$N/f" on
	assert_failure
	assert_output --partial EBUSY
	run "$SFTEST" get "$N/f"
	assert_success
	assert_output "on=0 dax=0 active=0"
	assert_equal "$(stat -c %z "$N/f")" "$before"
	map_cmd write 0 4
	map_close
	run "$SFTEST" set "$N/f" on
	assert_success
}

@test "FS_IOC_SETFLAGS gets the same EBUSY while a shared mapping may become writable" {
	truncate -s 16K "$N/f"
	map_open "$N/f" 4 shared-protread
	assert_equal "$MAP_STATE" ready
	run "$SFTEST" setflags "$N/f" +$FS_SYNCFAULT_FL
	assert_failure
	assert_output --partial EBUSY
	run "$SFTEST" getflags "$N/f"
	assert_success
	(( ! (output & FS_SYNCFAULT_FL) ))
	map_close
}

@test "private and read-only shared mappings of a non-DAX file do not block the flag" {
	truncate -s 16K "$N/f"
	map_open "$N/f" 4 private
	assert_equal "$MAP_STATE" ready
	map_cmd write 0 4
	run "$SFTEST" set "$N/f" on
	assert_success
	map_close
	run "$SFTEST" mmap "$N/f" shared-ro
	assert_success
}

@test "on dax=never a flagged file cannot be mapped shared from an O_RDWR descriptor even with PROT_READ" {
	truncate -s 16K "$N/f"
	"$SFTEST" set "$N/f" on
	run "$SFMAP" "$N/f" 4 shared-protread </dev/null
	assert_failure
	assert_output "err EOPNOTSUPP"
}

@test "mprotect(PROT_WRITE) of a PROT_READ shared mapping of a flagged DAX file gives synchronous faults" {
	# one fault per page: the preallocation window is off
	syncfault_window "$T" 0
	truncate -s 64K "$T/f"
	"$SFTEST" set "$T/f" on
	map_open "$T/f" 16 shared-protread nohuge
	assert_equal "$MAP_STATE" ready
	map_cmd read 0 16
	map_cmd mprotect rw
	run count_sync_faults "$T/f" map_cmd write 0 16
	assert_success
	assert_output 16
	map_close
}

@test "a write to a present read-only PTE of a block with uncommitted metadata is synchronous (pfn_mkwrite)" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	# blocks allocated by write(2): their metadata stays uncommitted
	mount -o remount,commit=600 "$PMEM"
	dd if=/dev/zero of="$T/f" bs=4096 count=16 conv=notrunc status=none
	map_open "$T/f" 16 shared nohuge
	assert_equal "$MAP_STATE" ready
	map_cmd read 0 16
	run sync_fault_events "$T/f" map_cmd write 0 1
	assert_success
	assert_equal "$(echo "$output" | grep -c ' order 0 error 0 ')" 1
	map_close
}

@test "a write to a present read-only PMD of a block with uncommitted metadata is synchronous at order 9" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	mount -o remount,commit=600 "$PMEM"
	fallocate -l 8M "$T/f"
	dd if=/dev/zero of="$T/f" bs=1M count=8 conv=notrunc status=none
	map_open "$T/f" 2048 shared
	assert_equal "$MAP_STATE" ready
	map_cmd read 0 2048
	run sync_fault_events "$T/f" map_cmd write 0 1
	assert_success
	echo "$output" >&3
	assert_equal "$(echo "$output" | grep -c ' order 9 error 0 ')" 1
	map_close
}
