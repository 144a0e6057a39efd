#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# enable / disable as a patched kernel answers them (contract v2), through
# the LD_PRELOAD double fake-syncfault.c: what -v says, what changes,
# errors per path.

load host-common

setup_file() { build_fake; }

setup() {
	fake_kernel_setup
}

teardown() {
	stop_holder
	if [[ -n ${LOCKED-} ]]; then
		chattr -a -i "${LOCKED[@]}"
	fi
	remove_shm_scratch
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
	# on ext4 (GET works), EOPNOTSUPP is the missing sync_fault feature
	assert_regex "$stderr" "^syncdaxctl: enable: $T/unsupported: Operation not supported: the file system lacks the sync_fault feature; "
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$(flag_of "$T/good1")" true
	assert_equal "$(flag_of "$T/unsupported")" false
	assert_equal "$(flag_of "$T/good2")" true
}

@test "EPERM is reported with the path, who may change the flag, and immutable and append-only files" {
	touch "$T/theirs"
	SYNCDAX_FAKE_FAIL=theirs=1 run --separate-stderr fake_syncdaxctl enable "$T/theirs"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/theirs: Operation not permitted: only the owner or CAP_FOWNER may change the flag, and nobody on an immutable or append-only file (clear those attributes first: chattr -i -a)"
	assert_equal "$(flag_of "$T/theirs")" false
}

@test "enable and disable of an append-only or immutable file fail with EPERM and change nothing" {
	touch "$T/a" "$T/i"
	fake_syncdaxctl enable "$T/i"
	chattr +a "$T/a" 2>/dev/null || skip "cannot chattr +a here (needs CAP_LINUX_IMMUTABLE)"
	LOCKED=("$T/a")
	chattr +i "$T/i"
	LOCKED+=("$T/i")
	run --separate-stderr fake_syncdaxctl enable "$T/a"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/a: Operation not permitted: only the owner or CAP_FOWNER may change the flag, and nobody on an immutable or append-only file (clear those attributes first: chattr -i -a)"
	run --separate-stderr fake_syncdaxctl disable "$T/i"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: disable: $T/i: Operation not permitted: only the owner or CAP_FOWNER may change the flag, and nobody on an immutable or append-only file (clear those attributes first: chattr -i -a)"
	assert_equal "$(flag_of "$T/a")" false
	assert_equal "$(flag_of "$T/i")" true
}

@test "enable on tmpfs fails with EOPNOTSUPP and changes nothing, not even ctime" {
	make_shm_scratch
	touch "$SHM_DIR/f"
	local before
	before=$(stat -c %Z.%z "$SHM_DIR/f")
	run --separate-stderr fake_syncdaxctl enable -v "$SHM_DIR/f" "$SHM_DIR"
	assert_failure 1
	assert_output ""
	assert_equal "${stderr_lines[0]}" "syncdaxctl: enable: $SHM_DIR/f: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"
	assert_equal "${stderr_lines[1]}" "syncdaxctl: enable: $SHM_DIR: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"
	# an xattr or flag written would have changed it
	assert_equal "$(stat -c %Z.%z "$SHM_DIR/f")" "$before"
}

@test "disable on tmpfs fails with EOPNOTSUPP too" {
	make_shm_scratch
	touch "$SHM_DIR/f"
	run --separate-stderr fake_syncdaxctl disable "$SHM_DIR/f"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: disable: $SHM_DIR/f: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"
}

@test "enable on a non-DAX file with a shared writable mapping fails with EBUSY, says what to do, changes nothing" {
	touch "$T/mapped"
	start_holder "$T/mapped"
	run --separate-stderr fake_syncdaxctl enable "$T/mapped"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "syncdaxctl: enable: $T/mapped: Device or resource busy: the file has shared writable mappings and is not in DAX mode on a synchronous device, so their faults cannot be made synchronous: unmap it (stop the programs that map it, which fuser -v lists) or move it to ext4 mounted -o dax on an fsdax pmem namespace, then set the flag again"
	assert_equal "$(flag_of "$T/mapped")" false
	# once unmapped, the same command succeeds
	stop_holder
	run fake_syncdaxctl enable "$T/mapped"
	assert_success
	assert_equal "$(flag_of "$T/mapped")" true
}

@test "EBUSY also on a DAX file whose device is not synchronous; not on a synchronous DAX one" {
	touch "$T/mapped"
	start_holder "$T/mapped"
	SYNCDAX_FAKE_DAX=1 SYNCDAX_FAKE_ASYNC=1 run --separate-stderr fake_syncdaxctl enable "$T/mapped"
	assert_failure 1
	assert_equal "${stderr%%: the file has shared writable mappings*}" "syncdaxctl: enable: $T/mapped: Device or resource busy"
	SYNCDAX_FAKE_DAX=1 run --separate-stderr fake_syncdaxctl enable "$T/mapped"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(flag_of "$T/mapped")" true
}

@test "disable of a file with a shared writable mapping is not refused" {
	touch "$T/mapped"
	fake_syncdaxctl enable "$T/mapped"
	start_holder "$T/mapped"
	run --separate-stderr fake_syncdaxctl disable "$T/mapped"
	assert_success
	assert_equal "$(flag_of "$T/mapped")" false
}

@test "EIO after the flag changed: the change is named as not durable and the flag read back" {
	touch "$T/f"
	SYNCDAX_FAKE_COMMIT_FAIL=f run --separate-stderr fake_syncdaxctl enable -v "$T/f"
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "syncdaxctl: enable: $T/f: Input/output error: the file system could not make the change durable (see the kernel log): the flag reads back as on, but may not be after a crash"
	assert_equal "$(flag_of "$T/f")" true
}

@test "EIO before the flag changed: the flag reads back unchanged" {
	touch "$T/f"
	fake_syncdaxctl enable "$T/f"
	SYNCDAX_FAKE_FAIL=f=5 run --separate-stderr fake_syncdaxctl disable "$T/f"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: disable: $T/f: Input/output error: the file system could not make the change durable (see the kernel log): the flag reads back as on, unchanged"
	assert_equal "$(flag_of "$T/f")" true
}

@test "EIO and the flag cannot be read back: both are said" {
	touch "$T/f"
	SYNCDAX_FAKE_FAIL=f=5 SYNCDAX_FAKE_GET_FAIL=f=5 run --separate-stderr fake_syncdaxctl enable "$T/f"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/f: Input/output error: the file system could not make the change durable (see the kernel log), and the flag cannot be read back (Input/output error)"
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
