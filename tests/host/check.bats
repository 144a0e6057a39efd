#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check for people: one line per finding, a fix under each failure, a last
# line with the verdict, exit 1 when synchronous faults cannot work. The
# host has no pmem and an unpatched kernel, so they cannot work here.

load host-common

setup_file() { build_fake; }

setup() {
	fake_kernel_setup
}

teardown() {
	remove_shm_scratch
}

@test "check names the unpatched kernel and how to fix it, exit 1" {
	run --separate-stderr "$SYNCDAXCTL" check "$T"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_line --index 0 "$T:"
	assert_line --regexp "^  kernel +FAIL +kernel $(uname -r | sed 's/[.]/[.]/g') lacks sync-fault support$"
	assert_line --regexp "^ +fix: +boot a kernel built with the syncdax patch series$"
	assert_line --regexp "^Synchronous page faults cannot work here: [0-9]+ problems?[.]$"
}

@test "check prints the ten findings in order" {
	run "$SYNCDAXCTL" check "$T"
	assert_failure 1	# the kernel finding fails on this host
	local names
	names=$(awk '/^  [a-z_]+ /{ print $1 }' <<<"$output" | tr '\n' ' ')
	assert_equal "$names" "kernel filesystem feature mount device namespace synchronous cpu_flush flag fast_commit "
}

# The verdict line and the JSON "verdict" of the same path.
check_verdicts() {
	run "$@" check "$CHECK_PATH"
	assert_failure 1
	TEXT_VERDICT=$(sed -n 's/^verdict: \([a-z-]*\): .*/\1/p' <<<"$output")
	run "$@" check -J "$CHECK_PATH"
	assert_failure 1
	JSON_VERDICT=$(jq -r .verdict <<<"$output")
	assert_equal "$TEXT_VERDICT" "$JSON_VERDICT"
}

@test "check on the unpatched host: verdict no-kernel-support, the same in text and JSON" {
	CHECK_PATH=$T check_verdicts "$SYNCDAXCTL"
	assert_equal "$TEXT_VERDICT" "no-kernel-support"
}

@test "check on tmpfs with a kernel that supports the flag: verdict fs-unsupported" {
	make_shm_scratch
	CHECK_PATH=$SHM_DIR check_verdicts fake_syncdaxctl
	assert_equal "$TEXT_VERDICT" "fs-unsupported"
}

@test "check on a non-DAX ext4 with a kernel that supports the flag: verdict not-dax, no namespace, dev_sync unknown" {
	[[ $(stat -f -c %T "$T") == ext2/ext3 ]] || skip "the scratch directory is not on ext4"
	CHECK_PATH=$T check_verdicts fake_syncdaxctl
	assert_equal "$TEXT_VERDICT" "not-dax"
	run fake_syncdaxctl check -J "$T"
	assert_failure 1
	jq -e '.namespace == null and .ns_mode == "none" and .dev_sync == null and .ok == false' <<<"$output"
	jq -e '.dev_sync_why | test("not in DAX mode")' <<<"$output"
}

@test "check on ext4 says whether fast_commit is on, or that it cannot tell" {
	[[ $(stat -f -c %T "$T") == ext2/ext3 ]] || skip "the scratch directory is not on ext4"
	run "$SYNCDAXCTL" check -J "$T"
	assert_failure 1
	jq -e '(.fast_commit | type) == "boolean" or .fast_commit == null' <<<"$output"
	run jq -r '.checks[] | select(.name == "fast_commit") | .detail' <<<"$output"
	assert_success
	assert_output --regexp '^fast_commit (on|off|unknown)'
}

@test "check without a path checks the current directory" {
	cd "$T"
	run "$SYNCDAXCTL" check
	assert_failure 1
	assert_line --index 0 ".:"
}

@test "check on a non-DAX ext4 block device says the device does not support DAX" {
	[[ $(stat -f -c %T "$T") == ext2/ext3 ]] || skip "the scratch directory is not on ext4"
	run "$SYNCDAXCTL" check "$T"
	assert_failure 1
	assert_line --regexp "^  filesystem +pass +ext4 on "
	assert_line --regexp "^  device +FAIL +.* does not support DAX$"
}

@test "check on tmpfs says there is no DAX and no block device" {
	local shm=/dev/shm
	[[ $(stat -f -c %T "$shm" 2>/dev/null) == tmpfs ]] || skip "no tmpfs at /dev/shm"
	run "$SYNCDAXCTL" check "$shm"
	assert_failure 1
	assert_line --regexp "^  filesystem +FAIL +tmpfs .*does not support the sync-fault flag$"
	assert_line --regexp "^  mount +FAIL +tmpfs: no DAX on this mount"
	assert_line --regexp "^  device +FAIL +no backing block device"
	assert_line --regexp "^  namespace +info +no namespace"
	assert_line --regexp "^  fast_commit +info +not ext4"
}

@test "check with a kernel that supports the flag passes the kernel finding" {
	run --separate-stderr fake_syncdaxctl check "$T"
	assert_line --regexp "^  kernel +pass +kernel .* supports the sync-fault flag$"
	# still no pmem here
	assert_failure 1
}

@test "check on tmpfs with a kernel that supports the flag: the file system has not opted in, no fix for the flag" {
	make_shm_scratch
	touch "$SHM_DIR/f"
	run --separate-stderr fake_syncdaxctl check "$SHM_DIR/f"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_line --regexp "^  kernel +pass +kernel .* supports the sync-fault flag$"
	assert_line --regexp "^  filesystem +FAIL +tmpfs .*does not support the sync-fault flag$"
	assert_line --regexp "^  flag +info +the file system does not support the flag: it cannot be read or set here$"
	refute_line --partial "syncdaxctl enable"
}

@test "check of a file with the flag clear on a supporting file system suggests enable" {
	touch "$T/f"
	run --separate-stderr fake_syncdaxctl check -J "$T/f"
	assert_failure 1
	run jq -r '.checks[] | select(.name == "flag") | .fix' <<<"$output"
	assert_success
	assert_output "syncdaxctl enable $T/f"
}

@test "check of a missing path names it, exit 1" {
	run --separate-stderr "$SYNCDAXCTL" check "$T/missing"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "syncdaxctl: check: $T/missing: No such file or directory"
}
