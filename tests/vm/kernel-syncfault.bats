#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The sync path, counted with the fs_dax:dax_sync_fault tracepoint
# (DESIGN.md §2, rules 3, 5 and 7).

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() { require_guest; vm_scratch; }
teardown() { vm_cleanup; }

@test "the dax_sync_fault tracepoint exists" {
	assert_file_exist "$TRACEFS/events/fs_dax/dax_sync_fault/enable"
}

@test "first writes to a flagged sparse file take one synchronous fault per page (window off)" {
	# the preallocation window (kernel-window.bats) is off: one page per fault
	syncfault_window "$T" 0
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	echo "sync faults: $output" >&3
	assert_output 64
}

@test "an unflagged sparse file takes no synchronous faults" {
	touch "$T/f"
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	assert_output 0
}

@test "MAP_PRIVATE of a flagged file takes no synchronous faults" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 private nohuge
	assert_success
	assert_output 0
}

@test "MAP_SYNC on an unflagged file still takes synchronous faults" {
	touch "$T/f"
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 sync nohuge
	assert_success
	assert_output 64
}

@test "rewriting already allocated pages of a flagged file takes no synchronous faults" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	"$SFTEST" touch "$T/f" 64 shared nohuge
	sync
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 64 shared nohuge
	assert_success
	assert_output 0
}

@test "a file inheriting the flag from its directory takes synchronous faults" {
	# one per page: the preallocation window (kernel-window.bats) is off
	syncfault_window "$T" 0
	"$SFTEST" set "$T" on
	touch "$T/f"
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 32 shared nohuge
	assert_success
	assert_output 32
}

@test "2 MiB faults on a flagged file are synchronous too: four order-9 faults for 8 MiB" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	run sync_fault_events "$T/f" "$SFTEST" touch "$T/f" 2048 shared
	assert_success
	assert_equal "$(echo "$output" | grep -c ' order 9 error 0 ')" 4
	assert_equal "$(echo "$output" | grep -c ' order 0 ')" 0
}

@test "setting the flag under a running writer: every page faulted after the ioctl returns is synchronous" {
	local ev=$TRACEFS/events/fs_dax/dax_sync_fault
	# every page its own fault: the preallocation window is off
	syncfault_window "$T" 0
	touch "$T/f"
	ino=$(ino_hex "$T/f")
	echo > "$TRACEFS/trace"
	echo 1 > "$ev/enable"
	echo 1 > "$TRACEFS/tracing_on"
	"$SFTEST" writer "$T/f" 400 /tmp/progress 5000 &
	wpid=$!
	while [ "$(cat /tmp/progress 2>/dev/null || echo -1)" -lt 50 ]; do sleep 0.1; done
	"$SFTEST" set "$T/f" on
	after=$(cat /tmp/progress)
	wait $wpid
	echo 0 > "$ev/enable"
	# pages after+2 .. 399 were first touched after the ioctl returned
	# (page after+1 may have been in flight)
	missing=0
	for ((i = after + 2; i < 400; i++)); do
		grep -q "ino $ino .*pgoff $(printf '%#x' $i) " "$TRACEFS/trace" || missing=$((missing + 1))
	done
	before=$(grep -c "ino $ino .*pgoff " "$TRACEFS/trace")
	echo "flag set after page $after; sync faults: $before; pages missing: $missing" >&3
	(( after < 390 ))
	assert_equal "$missing" 0
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
}

@test "clearing the flag stops synchronous faults for mappings created afterwards" {
	touch "$T/f"
	"$SFTEST" set "$T/f" on
	"$SFTEST" set "$T/f" off
	run count_sync_faults "$T/f" "$SFTEST" touch "$T/f" 32 shared nohuge
	assert_success
	assert_output 0
}
