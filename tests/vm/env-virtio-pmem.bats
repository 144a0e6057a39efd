#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A DAX device that is not synchronous: QEMU's virtio-pmem-pci
# (CONFIG_VIRTIO_PMEM), whose writes reach the host only on a flush request,
# so dax_synchronous() is false.  DESIGN.md §2 rule 5: MAP_SYNC and shared
# writable mappings of a flagged file fail with EOPNOTSUPP, and SET on a file
# with a live shared writable mapping fails with EBUSY and changes nothing.
# Then what syncdaxctl check and status say about it.  ext4 -o dax on the
# raw virtio-pmem namespace (vm-run attaches the device to every guest).

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

# outside the guest the tests skip (or fail in CI) in setup(); here, touch
# no device
setup_file() {
	in_guest || return 0
	require_pmem_dev "$VIRTIO_PMEM_DEV" virtio-pmem
	extra_fs_setup "$VIRTIO_PMEM_DEV" dax mkfs.ext4 -q -F -b 4096
}
teardown_file() { in_guest || return 0; extra_fs_teardown; }

setup() {
	require_guest
	require_prog "$SFTEST" "make -C tests/helpers"
	D=$(mktemp -d "$EXTRA/t.XXXXXX")
}
teardown() {
	map_close
	cd /
	[ -z "${D:-}" ] || rm -rf "$D"
}

@test "virtio-pmem: the raw namespace is DAX and ext4 on it mounts with -o dax" {
	run dev_dax "$VIRTIO_PMEM_DEV"
	assert_success
	assert_output 1
	run findmnt -n -o OPTIONS "$EXTRA"
	assert_success
	assert_output --partial dax=always
	truncate -s 64K "$D/f"
	run "$SFTEST" get "$D/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
}

@test "virtio-pmem: MAP_SYNC fails with EOPNOTSUPP, a plain shared mapping works" {
	truncate -s 64K "$D/f"
	run "$SFTEST" mmap "$D/f" sync
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" mmap "$D/f" shared
	assert_success
}

@test "virtio-pmem: the flag is stored but not active, and a shared writable mmap of the file fails with EOPNOTSUPP" {
	truncate -s 64K "$D/f"
	run "$SFTEST" set "$D/f" on
	assert_success
	run "$SFTEST" get "$D/f"
	assert_success
	assert_output "on=1 dax=1 active=0"
	run "$SFTEST" mmap "$D/f" shared
	assert_failure
	assert_output --partial EOPNOTSUPP
	run "$SFTEST" touch "$D/f" 4 shared
	assert_failure
	assert_output --partial EOPNOTSUPP
	# read-only shared and private mappings give no guarantee to break
	run "$SFTEST" mmap "$D/f" shared-ro
	assert_success
	run "$SFTEST" mmap "$D/f" private
	assert_success
}

@test "virtio-pmem: SET with a live shared writable mapping fails with EBUSY and changes nothing, ctime included" {
	truncate -s 64K "$D/f"
	map_open "$D/f" 4 shared
	assert_equal "$MAP_STATE" ready
	map_cmd write 0 4
	ctime=$(stat -c %z "$D/f")
	run "$SFTEST" set "$D/f" on
	assert_failure
	assert_output --partial EBUSY
	run "$SFTEST" setflags "$D/f" +$FS_SYNCFAULT_FL
	assert_failure
	assert_output --partial EBUSY
	run "$SFTEST" get "$D/f"
	assert_success
	assert_output "on=0 dax=1 active=0"
	assert_equal "$(stat -c %z "$D/f")" "$ctime"
	# the mapping is still usable as the plain mapping it was
	map_cmd write 0 4
	map_close
	run "$SFTEST" set "$D/f" on
	assert_success
}

@test "virtio-pmem: check --json says not-synchronous and names the device's own namespace, exit 1" {
	# virtio_pmem registers a region without DIMMs, so the kernel gives it
	# a label-less I/O namespace (ND_DEVICE_NAMESPACE_IO): the report
	# names that one, as sysfs does, and suggests nothing about it
	require_prog "$SYNCDAXCTL" "make -C cli"
	local ns
	ns=$(basename "$(readlink -f "/sys/block/$(basename "$VIRTIO_PMEM_DEV")/device")")
	run --separate-stderr "$SYNCDAXCTL" check --json "$D"
	assert_failure 1
	echo "$output"	# shown if the check below fails
	jq -e --arg ns "$ns" '.verdict == "not-synchronous" and .dev_sync == false and
		.dev_dax == true and .namespace == $ns' <<< "$output"
}

@test "virtio-pmem: check says the device is not synchronous and why, exit 1" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	run --separate-stderr "$SYNCDAXCTL" check "$D"
	assert_failure 1
	# the reason follows the words: more than the bare phrase
	assert_line --regexp 'not synchronous.*[A-Za-z]{4,}'
	refute_line --partial create-namespace
	assert_line --regexp '^Synchronous page faults cannot work here: '
}

@test "virtio-pmem: status of a flagged file says active no and why" {
	require_prog "$SYNCDAXCTL" "make -C cli"
	truncate -s 64K "$D/f"
	run "$SFTEST" set "$D/f" on
	assert_success
	run --separate-stderr "$SYNCDAXCTL" status "$D/f"
	assert_success
	assert_output --regexp "^$D/f: flag on, DAX yes, active no: .*not synchronous"
	run --separate-stderr "$SYNCDAXCTL" status --json "$D/f"
	assert_success
	echo "$output"	# shown if the check below fails
	jq -e '.[0] | .flag == true and .dax == true and .active == false and
		(.why_not | tostring | test("sync"))' <<< "$output"
}
