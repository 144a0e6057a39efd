#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The ext4 sync_fault feature (DESIGN.md section 2.9): on ext4 without it a
# patched kernel reads the flag (off) and refuses to set it with
# EOPNOTSUPP; enable then names the path, the missing feature, the
# tune2fs command for the file system's device and what turning it on
# means.  The fake patched kernel (fake-syncfault.c) answers SET with
# EOPNOTSUPP through SYNCDAX_FAKE_FAIL=NAME=95 and GET as usual.

load host-common

EOPNOTSUPP=95

setup() {
	fake_kernel_setup
	[[ $(findmnt -n -o FSTYPE -T "$T") == ext4 ]] || skip "$T is not on ext4"
	DEV=$(findmnt -n -o SOURCE -T "$T")
	touch "$T/f" "$T/g"
}

teardown() {
	[ -z "${OPEN_DIR:-}" ] || rm -rf "$OPEN_DIR"
	remove_shm_scratch
}

@test "enable on ext4 without the sync_fault feature names the path, the feature, the tune2fs command and what it means" {
	SYNCDAX_FAKE_FAIL=f=$EOPNOTSUPP run --separate-stderr fake_syncdaxctl enable "$T/f"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "syncdaxctl: enable: $T/f: Operation not supported: the file system lacks the sync_fault feature; an administrator turns it on with 'tune2fs -O sync_fault $DEV', after which kernels without the sync-fault series mount this file system read-only"
	# nothing changed
	run --separate-stderr fake_syncdaxctl status "$T/f"
	assert_success
	assert_output --regexp "^$T/f: flag off, "
}

@test "enable -R on ext4 without the feature says so for every path, and probes the file system once" {
	local log=$BATS_TEST_TMPDIR/strace

	command -v strace >/dev/null || skip "strace is not installed"
	mkdir "$T/d"
	touch "$T/d/a" "$T/d/b"
	SYNCDAX_FAKE_FAIL=d=$EOPNOTSUPP,a=$EOPNOTSUPP,b=$EOPNOTSUPP \
		run --separate-stderr env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -o "$log" -e trace=openat env LD_PRELOAD="$FAKE_SO" "$SYNCDAXCTL" enable -R "$T/d"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 3
	assert_regex "${stderr_lines[0]}" "^syncdaxctl: enable: $T/d: Operation not supported: the file system lacks the sync_fault feature; "
	assert_regex "${stderr_lines[2]}" "^syncdaxctl: enable: $T/d/b: Operation not supported: the file system lacks the sync_fault feature; "
	# one MAP_SYNC trial (the probe's O_TMPFILE) for the three paths
	assert_equal "$(grep -c O_TMPFILE "$log")" 1
}

@test "an EOPNOTSUPP on a file system that has not opted in keeps its own message" {
	make_shm_scratch
	touch "$SHM_DIR/f"
	run --separate-stderr fake_syncdaxctl enable "$SHM_DIR/f"
	assert_failure 1
	assert_regex "$stderr" "^syncdaxctl: enable: $SHM_DIR/f: Operation not supported: file system does not support the sync-fault flag"
	refute_regex "$stderr" "sync_fault feature"
}

@test "check -J reports the feature item and the sync_fault facts" {
	run --separate-stderr fake_syncdaxctl check -J "$T"
	assert_failure 1	# not DAX here
	jq -e '.checks[2].name == "feature" and
		(.checks[2].result | IN("pass","fail","unknown")) and
		(.sync_fault == null or (.sync_fault | type) == "boolean") and
		(.kernel_sync_fault == null or (.kernel_sync_fault | type) == "boolean")' <<<"$output"
}

@test "check names why the super block cannot be read: a user who may not open the device is told that reading it needs root" {
	local -a as_user=()
	if [[ $(id -u) -eq 0 ]]; then
		command -v setpriv >/dev/null || skip "needs setpriv to drop root"
		as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	fi
	# The bats temporary directories are private to root: use one that
	# everybody may enter, on the same file system, with the fake there.
	OPEN_DIR=$(mktemp -d "$(dirname "$BATS_RUN_TMPDIR")/syncdaxctl-feature.XXXXXX")
	chmod 0755 "$OPEN_DIR"
	cp "$FAKE_SO" "$OPEN_DIR/fake.so"
	local dev
	dev=$(findmnt -n -o SOURCE -T "$OPEN_DIR")
	# the device must be closed to that user, as a block device of root's is
	run "${as_user[@]}" test -r "$dev"
	assert_failure
	run --separate-stderr "${as_user[@]}" env "LD_PRELOAD=$OPEN_DIR/fake.so" "$SYNCDAXCTL" check "$OPEN_DIR"
	assert_failure 1	# not DAX here
	assert_output --partial "feature      unknown sync_fault unknown: the super block of $dev cannot be read: opening it fails: Permission denied (reading it needs root)"
	assert_output --partial "fast_commit unknown: the super block of $dev cannot be read: opening it fails: Permission denied (reading it needs root)"
}
