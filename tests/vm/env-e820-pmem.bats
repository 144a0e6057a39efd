#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Legacy e820 pmem (memmap=SIZE!START on the kernel command line,
# CONFIG_X86_PMEM_LEGACY): RAM the kernel treats as persistent memory.  Its
# namespace is raw and has no label, yet its block device is DAX and
# synchronous, so everything works there: the flag, MAP_SYNC, and check
# passes without asking for a namespace to be re-created.  vm-run gives
# every guest memmap=256M!1G (RAM in a 2G guest: "Persistent Memory
# (legacy)" at 40000000-4fffffff in /proc/iomem).

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

# outside the guest the tests skip (or fail in CI) in setup(); here, touch
# no device
setup_file() {
	in_guest || return 0
	require_pmem_dev "$E820_PMEM_DEV" "legacy e820 pmem"
	extra_fs_setup "$E820_PMEM_DEV" dax mkfs.ext4 -q -F -b 4096
}
teardown_file() { in_guest || return 0; extra_fs_teardown; }

setup() {
	require_guest
	require_prog "$SFTEST" "make -C tests/helpers"
	D=$(mktemp -d "$EXTRA/t.XXXXXX")
}
teardown() {
	syncfault_window_reset
	cd /
	[ -z "${D:-}" ] || rm -rf "$D"
}

@test "e820 pmem: the memmap= range is legacy persistent memory with a raw namespace whose block device is DAX" {
	run grep -i '^ *40000000-4fffffff : Persistent Memory (legacy)$' /proc/iomem
	assert_success
	ns=$(readlink -f "/sys/block/$(basename "$E820_PMEM_DEV")/device")
	assert_regex "$(basename "$ns")" '^namespace[0-9]+\.[0-9]+$'
	# a label-less I/O namespace, with no pfn device claiming it
	run grep -x DEVTYPE=nd_namespace_io "$ns/uevent"
	assert_success
	run dev_dax "$E820_PMEM_DEV"
	assert_success
	assert_output 1
	run findmnt -n -o OPTIONS "$EXTRA"
	assert_success
	assert_output --partial dax=always
}

@test "e820 pmem: the flag makes write faults on a shared mapping synchronous" {
	# one fault per page: the preallocation window is off (syncfault_prealloc_kb 0)
	syncfault_window "$D" 0
	truncate -s 64K "$D/f"
	run "$SFTEST" set "$D/f" on
	assert_success
	run "$SFTEST" get "$D/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	run count_sync_faults "$D/f" "$SFTEST" touch "$D/f" 16 shared nohuge
	assert_success
	assert_output 16
}

@test "e820 pmem: MAP_SYNC works and its faults are synchronous" {
	truncate -s 64K "$D/f"
	run count_sync_faults "$D/f" "$SFTEST" touch "$D/f" 16 sync nohuge
	assert_success
	assert_output 16
}

@test "e820 pmem: check passes with exit 0 and suggests no new namespace" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	assert_check_ready "$D"
	assert_line "Synchronous page faults can work here."
}

@test "e820 pmem: enable through syncdaxctl makes a file active" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	truncate -s 64K "$D/f"
	run --separate-stderr "$SYNCDAXCTL" enable "$D/f"
	assert_success
	run --separate-stderr "$SYNCDAXCTL" status "$D/f"
	assert_success
	assert_output "$D/f: flag on, DAX yes, active yes"
}
