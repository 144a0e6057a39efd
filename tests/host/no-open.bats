#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# No sub-command opens a path before it knows the path's type: a FIFO, a
# character device and a block device are looked at with O_PATH and
# fstat() only, never opened (an open arms a watchdog, rewinds a tape,
# blocks on a FIFO without a writer).  strace counts every open(2),
# openat(2) and openat2(2) that names the node.

load host-common

NOT_REG="Invalid argument: only regular files and directories carry the sync-fault flag"

setup() {
	require_binary
	make_scratch
	command -v strace >/dev/null || skip "strace is not installed"
	# LeakSanitizer cannot stop the world under strace's ptrace.
	if [[ -n ${ASAN_OPTIONS-} ]]; then
		export ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0
	fi
	mkdir "$T/tree"
	mkfifo "$T/tree/sdx-fifo"
	# A block device node (loop0) that must never be opened; making one
	# needs CAP_MKNOD.
	if mknod "$T/tree/sdx-blk" b 7 0 2>/dev/null; then
		BLK=$T/tree/sdx-blk
	else
		BLK=
	fi
	touch "$T/tree/regular"
}

# traced LOG ARGS...: run syncdaxctl ARGS under strace into LOG (bats' run)
traced() {
	local log=$1

	shift
	run --separate-stderr timeout 60 strace -f -qq -o "$log" \
		-e trace=open,openat,openat2 "$SYNCDAXCTL" "$@"
}

# node_opens LOG PATH: the opens in LOG that name PATH's base name and are
# not O_PATH (a relative openat names only the last component)
node_opens() {
	local name=${2##*/}

	grep -E "open(at2?)?\(.*\"([^\"]*/)?${name}\"" "$1" | grep -v O_PATH || true
}

# refused CMD PATH: CMD on PATH fails naming it, and PATH is never opened
refused() {
	local cmd=$1 path=$2 log=$BATS_TEST_TMPDIR/strace.$1.${2##*/}

	traced "$log" "$cmd" "$path"
	assert_failure 1
	assert_equal "$(node_opens "$log" "$path")" ""
	assert_equal "${stderr_lines[0]}" "syncdaxctl: $cmd: $path: $NOT_REG"
}

# skipped_below CMD: CMD -R over the tree skips the nodes without opening them
skipped_below() {
	local cmd=$1 log=$BATS_TEST_TMPDIR/strace.$1.R node

	traced "$log" "$cmd" -R -v "$T/tree"
	assert_equal "$(node_opens "$log" sdx-fifo)" ""
	if [[ -n $BLK ]]; then
		assert_equal "$(node_opens "$log" sdx-blk)" ""
	fi
	for node in sdx-fifo ${BLK:+sdx-blk}; do
		assert_regex "$stderr" "syncdaxctl: $cmd: $T/tree/$node: skipped: not a regular file or directory"
	done
}

@test "the strace filter sees an open of the node where there is one" {
	# The control: cat opens the fifo's twin, a regular file, by name.
	run strace -f -qq -o "$BATS_TEST_TMPDIR/control" -e trace=open,openat,openat2 \
		cat "$T/tree/regular"
	assert_success
	assert_equal "$(node_opens "$BATS_TEST_TMPDIR/control" "$T/tree/regular" | wc -l)" 1
}

@test "enable refuses a fifo, a character device and a block device without opening them" {
	refused enable "$T/tree/sdx-fifo"
	refused enable /dev/null
	[[ -n $BLK ]] || skip "mknod of a block device needs CAP_MKNOD"
	refused enable "$BLK"
}

@test "disable refuses a fifo, a character device and a block device without opening them" {
	refused disable "$T/tree/sdx-fifo"
	refused disable /dev/null
	[[ -n $BLK ]] || skip "mknod of a block device needs CAP_MKNOD"
	refused disable "$BLK"
}

@test "status refuses a fifo, a character device and a block device without opening them" {
	refused status "$T/tree/sdx-fifo"
	refused status /dev/null
	[[ -n $BLK ]] || skip "mknod of a block device needs CAP_MKNOD"
	refused status "$BLK"
}

@test "check refuses a fifo, a character device and a block device without opening them" {
	refused check "$T/tree/sdx-fifo"
	refused check /dev/null
	[[ -n $BLK ]] || skip "mknod of a block device needs CAP_MKNOD"
	refused check "$BLK"
}

@test "enable, disable and status -R skip a fifo and a block device below a directory without opening them" {
	skipped_below enable
	skipped_below disable
	skipped_below status
}
