#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# -R, -L, -x and -X: what a recursive walk visits, in which order, what it
# skips and what -v says about it (through the LD_PRELOAD double, so that
# every visited path succeeds and -v names it).

load host-common

setup_file() { build_fake; }

setup() {
	fake_kernel_setup
	# T/tree: b/ (with c), a, a regular file z, a symlink, a fifo
	mkdir -p "$T/tree/b" "$T/outside"
	touch "$T/tree/a" "$T/tree/b/c" "$T/tree/z" "$T/outside/o"
	ln -s ../outside "$T/tree/link-dir"
	ln -s a "$T/tree/link-file"
	mkfifo "$T/tree/fifo"
}

teardown() {
	if [[ -n ${MNT-} ]]; then
		umount "$MNT" 2>/dev/null || true
	fi
}

@test "-R visits directories before their contents, in name order" {
	run --separate-stderr fake_syncdaxctl enable -R -v "$T/tree"
	assert_success
	assert_equal "${lines[*]}" "enabled: $T/tree enabled: $T/tree/a enabled: $T/tree/b enabled: $T/tree/b/c enabled: $T/tree/z"
}

@test "-R skips symbolic links and fifos, and -v names each one skipped" {
	run --separate-stderr fake_syncdaxctl enable --recursive -v "$T/tree"
	assert_success
	[[ $stderr == *"syncdaxctl: enable: $T/tree/link-dir: skipped: symbolic link (use -L to follow)"* ]]
	[[ $stderr == *"syncdaxctl: enable: $T/tree/link-file: skipped: symbolic link (use -L to follow)"* ]]
	[[ $stderr == *"syncdaxctl: enable: $T/tree/fifo: skipped: not a regular file or directory"* ]]
	run fake_syncdaxctl status -J "$T/outside/o"
	assert_success
	assert_equal "$(jq -r '.[0].flag' <<<"$output")" false
}

@test "without -v the skipped paths are not mentioned" {
	run --separate-stderr fake_syncdaxctl enable -R "$T/tree"
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
}

@test "-L follows symbolic links met in the tree" {
	run --separate-stderr fake_syncdaxctl enable -R -L -v "$T/tree"
	assert_success
	assert_line "enabled: $T/tree/link-dir"
	assert_line "enabled: $T/tree/link-dir/o"
	# a, the link's target, came first in name order.
	assert_line "already enabled: $T/tree/link-file"
	run fake_syncdaxctl status --json "$T/outside/o"
	assert_success
	assert_equal "$(jq -r '.[0].flag' <<<"$output")" true
}

@test "-L does not loop on a symbolic link back up the tree" {
	ln -s .. "$T/tree/b/up"
	run --separate-stderr timeout 20 "$SYNCDAXCTL" status -R -L -v "$T/tree"
	assert_success
	[[ $stderr == *"$T/tree/b/up: skipped: directory cycle"* ]]
}

@test "status -R reports every regular file and directory once" {
	run --separate-stderr fake_syncdaxctl status -R -J "$T/tree"
	assert_success
	assert_equal "$(jq -r '.[].path' <<<"$output" | tr '\n' ' ')" "$T/tree $T/tree/a $T/tree/b $T/tree/b/c $T/tree/z "
	assert_equal "$(jq -r '.[].type' <<<"$output" | tr '\n' ' ')" "directory file directory file file "
}

@test "-R does not cross a mount point (-x is the default), -X does" {
	[[ $(id -u) -eq 0 ]] || skip "needs root to mount a tmpfs"
	MNT=$T/tree/b/mnt
	mkdir "$MNT"
	mount -t tmpfs -o size=1m syncdax-test "$MNT" || skip "cannot mount tmpfs here"
	touch "$MNT/inside"

	run --separate-stderr fake_syncdaxctl enable -R -v "$T/tree"
	assert_success
	refute_line --partial "$MNT"
	[[ $stderr == *"syncdaxctl: enable: $MNT: skipped: mount point (use -X to cross)"* ]]

	run --separate-stderr fake_syncdaxctl enable -R -x -v "$T/tree"
	assert_success
	refute_line --partial "$MNT"

	# Crossed: the tmpfs paths are reached, and refused, since tmpfs has
	# not opted in to the flag (contract v2).
	run --separate-stderr fake_syncdaxctl enable -R -X "$T/tree"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 2
	assert_equal "${stderr_lines[0]%%: file system does not support*}" "syncdaxctl: enable: $MNT: Operation not supported"
	assert_equal "${stderr_lines[1]%%: file system does not support*}" "syncdaxctl: enable: $MNT/inside: Operation not supported"

	# The last of -x and -X wins.
	run --separate-stderr fake_syncdaxctl disable -R -X -x -v "$T/tree"
	assert_success
	refute_line --partial "$MNT"
}

@test "-R on the unpatched kernel names every file and directory it reached" {
	run --separate-stderr "$SYNCDAXCTL" enable -R "$T/tree"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 5
	[[ ${stderr_lines[0]} == "syncdaxctl: enable: $T/tree: Inappropriate ioctl for device: kernel lacks sync-fault support"* ]]
	[[ ${stderr_lines[3]} == "syncdaxctl: enable: $T/tree/b/c: Inappropriate ioctl for device: kernel lacks sync-fault support"* ]]
}
