#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# syncdaxctl on the patched kernel, inside the test guest: enable, disable,
# status and check on the DAX mount ($PMEM), the dax=never mount ($NODAX)
# and tmpfs ($TMPFS); recursion with symbolic links and a mount inside the
# tree; mixed success and failure; EPERM, EROFS and EOPNOTSUPP.
# Run with: tests/vm/run-suite tests/vm/syncdaxctl.bats

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

bats_require_minimum_version 1.5.0

setup() {
	require_guest
	[ -x "$SYNCDAXCTL" ] || fail "$SYNCDAXCTL missing: run make -C cli on the host"
	vm_scratch
	INNER=
}

teardown() {
	if [ -n "${INNER:-}" ] && mountpoint -q "$INNER"; then
		umount "$INNER"
	fi
	vm_cleanup
}

# flag_of PATH: true or false, as status --json reports it
flag_of() {
	"$SYNCDAXCTL" status --json "$1" | jq -r '.[0].flag'
}

@test "enable on a file on the DAX mount makes it active; status says so" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" enable -v "$T/f"
	assert_success
	assert_output "enabled: $T/f"
	assert_equal "$stderr" ""
	run "$SYNCDAXCTL" status "$T/f"
	assert_success
	assert_output "$T/f: flag on, DAX yes, active yes"
	run "$SYNCDAXCTL" status -J "$T/f"
	assert_success
	jq -e '.[0] | .flag == true and .dax == true and .active == true and
		.why_not == [] and .reason == null' <<< "$output"
}

@test "enable twice says 'already enabled'; disable clears the flag and status names the reason" {
	touch "$T/f"
	"$SYNCDAXCTL" enable "$T/f"
	run "$SYNCDAXCTL" enable -v "$T/f"
	assert_success
	assert_output "already enabled: $T/f"
	run "$SYNCDAXCTL" disable -v "$T/f"
	assert_success
	assert_output "disabled: $T/f"
	run "$SYNCDAXCTL" status "$T/f"
	assert_success
	assert_output "$T/f: flag off, DAX yes, active no: the sync-fault flag is not set"
	run "$SYNCDAXCTL" status -J "$T/f"
	assert_success
	jq -e '.[0] | .flag == false and .active == false and .why_not == ["flag_clear"]' <<< "$output"
}

@test "the flag set by syncdaxctl is the letter Y of lsattr" {
	require_prog "$LSATTR" "make chattr"
	touch "$T/f"
	"$SYNCDAXCTL" enable "$T/f"
	run "$LSATTR" "$T/f"
	assert_success
	assert_output --regexp '^[^ ]*Y[^ ]* '
	"$SYNCDAXCTL" disable "$T/f"
	run "$LSATTR" "$T/f"
	assert_success
	refute_output --regexp '^[^ ]*Y[^ ]* '
}

@test "enable on a directory: files created in it inherit the flag" {
	mkdir "$T/d"
	run "$SYNCDAXCTL" enable -v "$T/d"
	assert_success
	assert_output "enabled: $T/d"
	run "$SYNCDAXCTL" status "$T/d"
	assert_success
	assert_output "$T/d: flag on, directory: new files and directories in it inherit the flag"
	touch "$T/d/new"
	mkdir "$T/d/sub"
	assert_equal "$(flag_of "$T/d/new")" true
	assert_equal "$(flag_of "$T/d/sub")" true
	run "$SYNCDAXCTL" status "$T/d/new"
	assert_success
	assert_output "$T/d/new: flag on, DAX yes, active yes"
}

@test "-R enables a whole tree, skips symbolic links, and does not cross a mount inside it" {
	mkdir -p "$T/tree/sub" "$T/outside"
	touch "$T/tree/a" "$T/tree/sub/b" "$T/outside/o"
	ln -s ../outside/o "$T/tree/link"
	INNER=$T/tree/sub/mnt
	mkdir "$INNER"
	mount -t tmpfs -o size=1m syncdax-inner "$INNER"
	touch "$INNER/inside"

	run --separate-stderr "$SYNCDAXCTL" enable -R -v "$T/tree"
	assert_success
	assert_equal "${lines[*]}" "enabled: $T/tree enabled: $T/tree/a enabled: $T/tree/sub enabled: $T/tree/sub/b"
	[[ $stderr == *"$T/tree/link: skipped: symbolic link (use -L to follow)"* ]]
	[[ $stderr == *"$INNER: skipped: mount point (use -X to cross)"* ]]
	assert_equal "$(flag_of "$T/tree/sub/b")" true
	assert_equal "$(flag_of "$T/outside/o")" false

	run --separate-stderr "$SYNCDAXCTL" status -R -J "$T/tree"
	assert_success
	assert_equal "$(jq -r '.[].path' <<< "$output" | grep -c "$INNER")" 0
	jq -e 'all(.[]; .flag == true)' <<< "$output"
}

@test "-R -L follows a symbolic link out of the tree" {
	mkdir -p "$T/tree" "$T/outside"
	touch "$T/outside/o"
	ln -s ../outside/o "$T/tree/link"
	run --separate-stderr "$SYNCDAXCTL" enable -R -L -v "$T/tree"
	assert_success
	assert_line "enabled: $T/tree/link"
	assert_equal "$(flag_of "$T/outside/o")" true
}

@test "-R -X crosses into the mount inside the tree, and tmpfs refuses the flag there" {
	mkdir -p "$T/tree"
	touch "$T/tree/a"
	INNER=$T/tree/mnt
	mkdir "$INNER"
	mount -t tmpfs -o size=1m syncdax-inner "$INNER"
	touch "$INNER/inside"
	run --separate-stderr "$SYNCDAXCTL" enable -R -X "$T/tree"
	assert_failure 1
	[[ $stderr == *"syncdaxctl: enable: $INNER: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"* ]]
	[[ $stderr == *"syncdaxctl: enable: $INNER/inside: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"* ]]
	assert_equal "$(flag_of "$T/tree/a")" true
}

@test "mixed success and failure in one call: exit 1, the good paths changed, the bad ones not" {
	touch "$T/good1" "$T/good2" "$M/on-tmpfs"
	run --separate-stderr "$SYNCDAXCTL" enable -v "$T/good1" "$M/on-tmpfs" "$T/missing" "$T/good2"
	assert_failure 1
	assert_equal "${lines[*]}" "enabled: $T/good1 enabled: $T/good2"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: enable: $M/on-tmpfs: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"
	assert_equal "${stderr_lines[1]}" "syncdaxctl: enable: $T/missing: No such file or directory"
	assert_equal "$(flag_of "$T/good1")" true
	assert_equal "$(flag_of "$T/good2")" true
	assert_file_not_exists "$T/missing"
}

@test "tmpfs: enable fails with EOPNOTSUPP and changes nothing" {
	touch "$M/f"
	run --separate-stderr "$SYNCDAXCTL" enable "$M/f"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $M/f: Operation not supported: file system does not support the sync-fault flag (only ext4 has opted in; tmpfs, ext2, xfs, FUSE, virtiofs and overlayfs have not): put the file on ext4"
	run "$SYNCDAXCTL" status -J "$M/f"
	assert_success
	jq -e '.[0].flag == null and .[0].active == false' <<< "$output"
}

@test "a user who does not own the file gets EPERM and the flag stays clear" {
	touch "$T/roots"
	chmod 644 "$T/roots"
	run --separate-stderr as_nobody "$SYNCDAXCTL" enable "$T/roots"
	assert_failure 1
	[[ $stderr == "syncdaxctl: enable: $T/roots: Operation not permitted: "* ]]
	assert_equal "$(flag_of "$T/roots")" false
	# and the owner may
	chown $NOBODY:$NOBODY "$T/roots"
	run as_nobody "$SYNCDAXCTL" enable -v "$T/roots"
	assert_success
	assert_output "enabled: $T/roots"
}

@test "a read-only mount gives EROFS and the flag stays as it was" {
	touch "$T/f"
	mount -o remount,ro "$PMEM"
	run --separate-stderr "$SYNCDAXCTL" enable "$T/f"
	mount -o remount,rw "$PMEM"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/f: Read-only file system: remount it read-write to change the flag"
	assert_equal "$(flag_of "$T/f")" false
}

@test "a flagged file on the dax=never mount is not active, and status says why" {
	touch "$N/f"
	run "$SYNCDAXCTL" enable "$N/f"
	assert_success
	run "$SYNCDAXCTL" status "$N/f"
	assert_success
	assert_output --regexp "^$N/f: flag on, DAX no, active no: the file is not in DAX mode; the file system is not mounted with -o dax"
	run "$SYNCDAXCTL" status -J "$N/f"
	assert_success
	jq -e '.[0] | .flag == true and .dax == false and .active == false and
		(.why_not | index("not_dax") != null and index("mount_not_dax") != null)' <<< "$output"
}

@test "check on the DAX mount: every finding passes, exit 0" {
	run --separate-stderr "$SYNCDAXCTL" check "$PMEM"
	assert_success
	assert_line --regexp '^  kernel +pass '
	assert_line --regexp '^  mount +pass +mounted with dax=always$'
	assert_line --regexp '^  namespace +pass +namespace[0-9.]+ in fsdax mode'
	refute_line --regexp 'FAIL'
	assert_line "verdict: ready: the flag gives synchronous page faults here"
	assert_line "Synchronous page faults can work here."
	run "$SYNCDAXCTL" check -J "$PMEM"
	assert_success
	jq -e '.ok == true and .verdict == "ready" and .kernel == true and
		.mount_dax == "always" and .dev_dax == true and .ns_mode == "fsdax" and
		.dev_sync == true and (.fast_commit | type) == "boolean"' <<< "$output"
}

@test "check on a read-only DAX mount: a directory cannot hold the MAP_SYNC trial (unknown, and why); a DAX file can" {
	touch "$T/f"
	mount -o remount,ro "$PMEM"
	run "$SYNCDAXCTL" check -J "$T"
	assert_failure 1
	jq -e '.verdict == "unknown" and .dev_sync == null and
		(.dev_sync_why | test("cannot create a trial file .*Read-only file system"))' <<< "$output"
	run "$SYNCDAXCTL" check "$T"
	assert_failure 1
	assert_line --regexp '^verdict: unknown: cannot create a trial file '
	run "$SYNCDAXCTL" check -J "$T/f"
	assert_success
	jq -e '.verdict == "ready" and .dev_sync == true' <<< "$output"
}

@test "check on the dax=never mount: exit 1, says dax=never and how to fix it" {
	run --separate-stderr "$SYNCDAXCTL" check "$NODAX"
	assert_failure 1
	assert_line --regexp '^  mount +FAIL +mounted with dax=never$'
	assert_line --regexp '^ +fix: +unmount and mount again with -o dax'
	assert_line --regexp '^Synchronous page faults cannot work here: '
	assert_line "verdict: not-dax: the file system is mounted with dax=never"
	run "$SYNCDAXCTL" check -J "$NODAX"
	assert_failure 1
	jq -e '.ok == false and .verdict == "not-dax" and .mount_dax == "never"' <<< "$output"
}

@test "check on tmpfs: exit 1, no DAX and no sync-fault support named" {
	run --separate-stderr "$SYNCDAXCTL" check "$TMPFS"
	assert_failure 1
	assert_line --regexp '^  filesystem +FAIL +tmpfs .*does not support the sync-fault flag$'
	assert_line --regexp '^  mount +FAIL +tmpfs: no DAX on this mount'
	assert_line "verdict: fs-unsupported: the file system does not support the flag"
	run "$SYNCDAXCTL" check -J "$TMPFS"
	assert_failure 1
	jq -e '.ok == false and .verdict == "fs-unsupported" and .filesystem == "tmpfs" and
		.mount_dax == "none" and .namespace == null and .ns_mode == "none"' <<< "$output"
}
