#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Errors name the command, the path and the cause on one line of stderr;
# the host's unpatched kernel (ENOTTY) is named as such; one bad path does
# not stop the others, and makes the exit status 1.

load host-common

NO_KERNEL="Inappropriate ioctl for device: kernel lacks sync-fault support"

setup() {
	require_binary
	make_scratch
}

teardown() {
	if [[ -n ${OPEN_DIR-} ]]; then
		chmod -R u+rwx "$OPEN_DIR"
		rm -rf "$OPEN_DIR"
	fi
}

@test "the host kernel is unpatched: enable fails with 'kernel lacks sync-fault support'" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" enable "$T/f"
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]%% (*}" "syncdaxctl: enable: $T/f: $NO_KERNEL"
}

@test "disable on the unpatched kernel names the kernel too, for files and directories" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" disable "$T/f" "$T"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 2
	[[ ${stderr_lines[0]} == "syncdaxctl: disable: $T/f: $NO_KERNEL"* ]]
	[[ ${stderr_lines[1]} == "syncdaxctl: disable: $T: $NO_KERNEL"* ]]
}

@test "a missing path is named with 'No such file or directory'" {
	run --separate-stderr "$SYNCDAXCTL" enable "$T/missing"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/missing: No such file or directory"
}

@test "an empty path is an error, not a usage error" {
	run --separate-stderr "$SYNCDAXCTL" status ""
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: status: : No such file or directory"
}

@test "a path under a regular file fails with 'Not a directory'" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" disable "$T/f/x"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: disable: $T/f/x: Not a directory"
}

@test "a fifo named on the command line fails with EINVAL" {
	mkfifo "$T/fifo"
	# That it is never opened, no-open.bats shows (strace): an open with
	# O_NONBLOCK would not block, so no timeout could tell.
	run --separate-stderr "$SYNCDAXCTL" enable "$T/fifo"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/fifo: Invalid argument: only regular files and directories carry the sync-fault flag"
}

@test "a device file named on the command line fails with EINVAL, in every command" {
	local c

	for c in enable disable status check; do
		run --separate-stderr "$SYNCDAXCTL" "$c" /dev/null
		assert_failure 1
		assert_equal "$stderr" "syncdaxctl: $c: /dev/null: Invalid argument: only regular files and directories carry the sync-fault flag"
	done
}

@test "a dangling symbolic link named on the command line is an error naming it" {
	ln -s nowhere "$T/dangling"
	run --separate-stderr "$SYNCDAXCTL" enable "$T/dangling"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: enable: $T/dangling: No such file or directory: dangling symbolic link"
}

@test "mixed good and bad paths: exit 1, every bad path named, the good ones still processed" {
	touch "$T/good1" "$T/good2"
	run --separate-stderr "$SYNCDAXCTL" status "$T/good1" "$T/bad1" "$T/good2" "$T/bad2"
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial "$T/good1: flag unknown"
	assert_line --index 1 --partial "$T/good2: flag unknown"
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: status: $T/bad1: No such file or directory"
	assert_equal "${stderr_lines[1]}" "syncdaxctl: status: $T/bad2: No such file or directory"
}

@test "every path of a failing enable gets its own error line, in order" {
	touch "$T/a" "$T/c"
	run --separate-stderr "$SYNCDAXCTL" enable "$T/a" "$T/b" "$T/c"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 3
	[[ ${stderr_lines[0]} == "syncdaxctl: enable: $T/a: $NO_KERNEL"* ]]
	assert_equal "${stderr_lines[1]}" "syncdaxctl: enable: $T/b: No such file or directory"
	[[ ${stderr_lines[2]} == "syncdaxctl: enable: $T/c: $NO_KERNEL"* ]]
}

@test "status on the unpatched kernel succeeds and says why faults are not synchronous" {
	touch "$T/f"
	run --separate-stderr "$SYNCDAXCTL" status "$T/f"
	assert_success
	assert_output --regexp "^$T/f: flag unknown, DAX no, active no: the kernel lacks sync-fault support"
	assert_equal "$stderr" ""
}

@test "an unreadable directory met with -R is an error naming it; the walk goes on" {
	if [[ $(id -u) -eq 0 ]] && ! command -v setpriv >/dev/null; then
		skip "needs setpriv to drop root"
	fi
	local -a as_user=()
	[[ $(id -u) -eq 0 ]] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	# The binary must be reachable by that user: a work tree under a
	# private directory (/root) is not, and would fail with status 127.
	if [[ ${#as_user[@]} -gt 0 ]] && ! "${as_user[@]}" test -x "$SYNCDAXCTL"; then
		echo "$SYNCDAXCTL cannot be run by uid 65534 (is the work tree under a private directory?)" >&2
		return 1
	fi
	# The bats temporary directories are private to root: use one that
	# everybody may enter.
	OPEN_DIR=$(mktemp -d /tmp/syncdaxctl-host.XXXXXX)
	chmod 0755 "$OPEN_DIR"
	mkdir -p "$OPEN_DIR/top/a-locked/inner" "$OPEN_DIR/top/b-open"
	touch "$OPEN_DIR/top/b-open/f"
	chmod 0311 "$OPEN_DIR/top/a-locked"
	run --separate-stderr "${as_user[@]}" "$SYNCDAXCTL" status -R "$OPEN_DIR/top"
	assert_failure 1
	[[ $stderr == *"syncdaxctl: status: $OPEN_DIR/top/a-locked: Permission denied"* ]]
	assert_line "$OPEN_DIR/top/b-open/f: flag unknown, DAX no, active no: the kernel lacks sync-fault support; the file is not in DAX mode; the file system is not mounted with -o dax (dax=never, no DAX support, or dax=inode without the file's DAX attribute); the backing device does not support DAX (its queue/dax is 0: not a pmem device, or an NVDIMM namespace in raw or sector mode)"
}
