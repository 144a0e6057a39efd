#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# enable / disable as a patched kernel answers them, through the LD_PRELOAD
# double fake-syncfault.c: what -v says, what changes, errors per path.

load host-common

setup_file() { build_fake; }

setup() {
	fake_kernel_setup
}

# The flag of a file as status --json reports it: true or false.
flag_of() {
	fake_syncdaxctl status --json "$1" | jq -r '.[0].flag'
}

@test "enable sets the flag silently; disable clears it" {
	touch "$T/f"
	assert_equal "$(flag_of "$T/f")" false
	run --separate-stderr fake_syncdaxctl enable "$T/f"
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	assert_equal "$(flag_of "$T/f")" true
	run fake_syncdaxctl disable "$T/f"
	assert_success
	assert_equal "$(flag_of "$T/f")" false
}

@test "enable -v says 'enabled:' the first time and 'already enabled:' after" {
	touch "$T/f"
	run --separate-stderr fake_syncdaxctl enable -v "$T/f"
	assert_success
	assert_output "enabled: $T/f"
	run --separate-stderr fake_syncdaxctl enable --verbose "$T/f"
	assert_success
	assert_output "already enabled: $T/f"
}

@test "disable -v says 'disabled:' and then 'already disabled:'" {
	touch "$T/f"
	fake_syncdaxctl enable "$T/f"
	run fake_syncdaxctl disable -v "$T/f"
	assert_success
	assert_output "disabled: $T/f"
	run fake_syncdaxctl disable -v "$T/f"
	assert_success
	assert_output "already disabled: $T/f"
}

@test "enable works on a directory, not on what it holds without -R" {
	mkdir "$T/d"
	touch "$T/d/f"
	run fake_syncdaxctl enable -v "$T/d"
	assert_success
	assert_output "enabled: $T/d"
	assert_equal "$(flag_of "$T/d")" true
	assert_equal "$(flag_of "$T/d/f")" false
}

@test "a symbolic link named on the command line is followed" {
	touch "$T/target"
	ln -s target "$T/link"
	run fake_syncdaxctl enable -v "$T/link"
	assert_success
	assert_output "enabled: $T/link"
	assert_equal "$(flag_of "$T/target")" true
}

@test "mixed success and EOPNOTSUPP: exit 1, the good paths changed, the bad one not" {
	touch "$T/good1" "$T/unsupported" "$T/good2"
	SYNCDAX_FAKE_FAIL=unsupported=95 run --separate-stderr \
		fake_syncdaxctl enable -v "$T/good1" "$T/unsupported" "$T/good2"
	assert_failure 1
	assert_equal "${lines[*]}" "enabled: $T/good1 enabled: $T/good2"
	assert_equal "$stderr" "syncdaxctl: enable: $T/unsupported: Operation not supported: file system does not support the sync-fault flag"
	assert_equal "$(flag_of "$T/good1")" true
	assert_equal "$(flag_of "$T/unsupported")" false
	assert_equal "$(flag_of "$T/good2")" true
}

@test "EPERM is reported with the path and who may change the flag" {
	touch "$T/theirs"
	SYNCDAX_FAKE_FAIL=theirs=1 run --separate-stderr fake_syncdaxctl enable "$T/theirs"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/theirs: Operation not permitted: only the owner or CAP_FOWNER may change the flag, and not on an immutable or append-only file"
}

@test "EROFS is reported with the path and the fix" {
	touch "$T/ro"
	SYNCDAX_FAKE_FAIL=ro=30 run --separate-stderr fake_syncdaxctl disable "$T/ro"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: disable: $T/ro: Read-only file system: remount it read-write to change the flag"
}

@test "two failing paths are both named, each with its own cause" {
	touch "$T/a" "$T/b"
	SYNCDAX_FAKE_FAIL=a=1,b=30 run --separate-stderr fake_syncdaxctl enable "$T/a" "$T/b"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 2
	[[ ${stderr_lines[0]} == "syncdaxctl: enable: $T/a: Operation not permitted:"* ]]
	[[ ${stderr_lines[1]} == "syncdaxctl: enable: $T/b: Read-only file system:"* ]]
}
