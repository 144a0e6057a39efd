#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# status for people: one line per path with flag, DAX, active and the
# reason when not active (through the LD_PRELOAD double where a patched
# kernel's answer is needed).

load host-common

setup_file() { build_fake; }

setup() {
	fake_kernel_setup
}

teardown() {
	remove_shm_scratch
}

@test "status of a flagged DAX file says active yes and gives no reason" {
	touch "$T/f"
	fake_syncdaxctl enable "$T/f"
	SYNCDAX_FAKE_DAX=1 run --separate-stderr fake_syncdaxctl status "$T/f"
	assert_success
	assert_output "$T/f: flag on, DAX yes, active yes"
}

@test "status of an unflagged DAX file says why it is not active" {
	touch "$T/f"
	SYNCDAX_FAKE_DAX=1 run --separate-stderr fake_syncdaxctl status "$T/f"
	assert_success
	assert_output "$T/f: flag off, DAX yes, active no: the sync-fault flag is not set"
}

@test "status of a flagged file that is not DAX names the mount and the device" {
	touch "$T/f"
	fake_syncdaxctl enable "$T/f"
	run --separate-stderr fake_syncdaxctl status "$T/f"
	assert_success
	assert_output --regexp "^$T/f: flag on, DAX no, active no: the file is not in DAX mode; the file system is not mounted with -o dax"
}

@test "status of a directory shows its flag and what it means" {
	mkdir "$T/d"
	run fake_syncdaxctl status "$T/d"
	assert_success
	assert_output "$T/d: flag off, directory"
	fake_syncdaxctl enable "$T/d"
	run fake_syncdaxctl status "$T/d"
	assert_success
	assert_output "$T/d: flag on, directory: new files and directories in it inherit the flag"
}

@test "status of a flagged file on an asynchronous DAX device says why it is not active" {
	touch "$T/f"
	fake_syncdaxctl enable "$T/f"
	SYNCDAX_FAKE_DAX=1 SYNCDAX_FAKE_ASYNC=1 run --separate-stderr fake_syncdaxctl status "$T/f"
	assert_success
	assert_output --regexp "^$T/f: flag on, DAX yes, active no: .*the DAX device is not synchronous"
	assert_equal "$stderr" ""
}

@test "status on tmpfs shows the flag as unsupported, for files and directories" {
	make_shm_scratch
	touch "$SHM_DIR/f"
	run --separate-stderr fake_syncdaxctl status "$SHM_DIR/f" "$SHM_DIR"
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp "^$SHM_DIR/f: flag unsupported, DAX no, active no: the file system does not support the sync-fault flag; the file is not in DAX mode"
	assert_line --index 1 "$SHM_DIR: flag unsupported, directory: the file system does not support the sync-fault flag"
}

@test "status on the unpatched kernel shows the flag as unknown" {
	mkdir "$T/d"
	run --separate-stderr "$SYNCDAXCTL" status "$T/d"
	assert_success
	assert_output "$T/d: flag unknown, directory: kernel lacks sync-fault support"
}

@test "a path whose state cannot be read: exit 1, named on stderr and in the JSON, others still shown" {
	touch "$T/a" "$T/broken" "$T/c"
	SYNCDAX_FAKE_GET_FAIL=broken=5 run --separate-stderr fake_syncdaxctl status "$T/a" "$T/broken" "$T/c"
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial "$T/a: flag off"
	assert_line --index 1 --partial "$T/c: flag off"
	assert_equal "$stderr" "syncdaxctl: status: $T/broken: Input/output error: the file system could not read or write the inode (see the kernel log); if the flag was being changed, it may or may not have changed: read it again"
	SYNCDAX_FAKE_GET_FAIL=broken=5 run --separate-stderr fake_syncdaxctl status -J "$T/a" "$T/broken" "$T/c"
	assert_failure 1
	run jq -e --arg p "$T/broken" 'length == 3 and .[1].path == $p and .[1].errno == 5 and
		(.[1].error | startswith("Input/output error: ")) and .[2].flag == false' <<<"$output"
	assert_success
}
