#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# All or nothing (DESIGN.md §2, rule 4): a shared writable mapping of a
# flagged file that cannot take synchronous faults is refused.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() { require_guest; vm_scratch; }
teardown() { vm_cleanup; }

flagged_file() {
	truncate -s 1M "$1"
	"$SFTEST" set "$1" on
}

@test "dax=never: a shared writable mmap of a flagged file fails with EOPNOTSUPP" {
	flagged_file "$N/f"
	run "$SFTEST" mmap "$N/f" shared
	assert_failure
	assert_output --partial EOPNOTSUPP
}

@test "dax=never: a read-only shared mapping of a flagged file works" {
	flagged_file "$N/f"
	run "$SFTEST" mmap "$N/f" shared-ro
	assert_success
}

@test "dax=never: a private mapping of a flagged file works" {
	flagged_file "$N/f"
	run "$SFTEST" mmap "$N/f" private
	assert_success
}

@test "dax=never: an unflagged file maps shared as before" {
	truncate -s 1M "$N/f"
	run "$SFTEST" mmap "$N/f" shared
	assert_success
}

@test "dax=never: clearing the flag makes the shared mapping possible again" {
	flagged_file "$N/f"
	"$SFTEST" set "$N/f" off
	run "$SFTEST" mmap "$N/f" shared
	assert_success
}

@test "DAX mount: a flagged file maps shared, private and with MAP_SYNC" {
	flagged_file "$T/f"
	for mode in shared shared-ro private sync; do
		run "$SFTEST" mmap "$T/f" $mode
		assert_success
	done
}

@test "DAX mount: MAP_SYNC still works on an unflagged file" {
	truncate -s 1M "$T/f"
	run "$SFTEST" mmap "$T/f" sync
	assert_success
}

@test "DAX mount: data stored through a flagged shared mapping reads back" {
	"$SFTEST" set "$T" on
	"$SFTEST" touch "$T/f" 16 shared
	# page i holds byte i+1 at its start
	run od -An -tu1 -j $((5 * 4096)) -N1 "$T/f"
	assert_success
	assert_output --regexp '^ *6$'
}
