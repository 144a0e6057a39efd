#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# XFS on pmem mounted -o dax: the kernel's answers (SET/GET EOPNOTSUPP,
# nothing changes, MAP_SYNC still works) are in kernel-support.bats; here is
# what syncdaxctl check and status make of such a mount: a DAX-capable,
# synchronous device under a file system that has not opted in.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

# outside the guest the tests skip (or fail in CI) in setup(); here, touch
# no device
setup_file() {
	in_guest || return 0
	alt_fs_setup dax mkfs.xfs -f -q
}
teardown_file() { in_guest || return 0; alt_fs_teardown; }

setup() {
	require_guest
	require_prog "$SYNCDAXCTL" "make -C cli"
	require_prog "$SFTEST" "make -C tests/helpers"
	D=$(mktemp -d "$ALT/t.XXXXXX")
}
teardown() {
	cd /
	[ -z "${D:-}" ] || rm -rf "$D"
}

@test "XFS -o dax: check --json says fs-unsupported, exit 1" {
	run --separate-stderr "$SYNCDAXCTL" check --json "$ALT"
	assert_failure 1
	echo "$output"	# shown if the check below fails
	jq -e '.verdict == "fs-unsupported" and .filesystem == "xfs" and
		.dev_dax == true and .dev_sync == true' <<< "$output"
}

@test "XFS -o dax: check says the file system does not support the flag, and suggests no new namespace" {
	run --separate-stderr "$SYNCDAXCTL" check "$ALT"
	assert_failure 1
	assert_line --regexp '^  filesystem +FAIL +xfs .*does not support the sync-fault flag$'
	refute_output --partial create-namespace
}

@test "XFS -o dax: enable fails with EOPNOTSUPP and the file stays as it was" {
	truncate -s 64K "$D/f"
	ctime=$(stat -c %z "$D/f")
	run --separate-stderr "$SYNCDAXCTL" enable "$D/f"
	assert_failure 1
	assert_equal "$output" ""
	assert_regex "$stderr" "^syncdaxctl: enable: $D/f: .*(not supported|EOPNOTSUPP)"
	assert_equal "$(stat -c %z "$D/f")" "$ctime"
	run "$SFTEST" getxflags "$D/f"
	assert_success
	assert_equal "$(( output & FS_XFLAG_SYNCFAULT ))" 0
}
