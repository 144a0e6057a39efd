#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A write to standard output that fails (here /dev/full: ENOSPC) is an
# error in every sub-command: one line on stderr naming the command,
# standard output and the cause, and exit status 1 where it would have
# been 0.  The same output to /dev/null succeeds (the control).

load host-common

FULL_MSG="standard output: No space left on device: write error, the output is incomplete"

setup() {
	fake_kernel_setup
	[[ -c /dev/full ]] || skip "no /dev/full"
	touch "$T/f"
	mkdir "$T/d"
}

# to DEST ARGS...: syncdaxctl ARGS (on the fake patched kernel) with stdout
# to DEST, through bats' run
to() {
	local dest=$1

	shift
	run --separate-stderr env LD_PRELOAD="$FAKE_SO" bash -c '"$@" > '"$dest" _ "$SYNCDAXCTL" "$@"
}

# full_fails CMD ARGS...: exit 1 and the message with stdout on /dev/full,
# exit 0 and no message with stdout on /dev/null
full_fails() {
	local cmd=$1

	to /dev/null "$@"
	assert_success
	assert_equal "$stderr" ""
	to /dev/full "$@"
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "syncdaxctl: $cmd: $FULL_MSG"
}

@test "enable -v and disable -v fail with exit 1 naming the cause when stdout is full" {
	full_fails enable -v "$T/f"
	full_fails disable -v "$T/f" "$T/d"
}

@test "status fails with exit 1 naming the cause when stdout is full, as text and as JSON" {
	full_fails status "$T/f"
	full_fails status -J "$T/f" "$T/d"
	full_fails status -R "$T"
}

@test "--help of each command, help and --version fail with exit 1 when stdout is full" {
	local c

	for c in enable disable status check; do
		full_fails "$c" --help
	done
	full_fails help help
	to /dev/full --version
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: $FULL_MSG"
	to /dev/full --help
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: $FULL_MSG"
}

@test "check reports a full stdout, as text and as JSON" {
	# check's own verdict is not ready on this host (exit 1 either way):
	# the message tells the two apart
	to /dev/null check "$T"
	assert_failure 1
	assert_equal "$stderr" ""
	to /dev/full check "$T"
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "syncdaxctl: check: $FULL_MSG"
	to /dev/full check -J "$T"
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "syncdaxctl: check: $FULL_MSG"
}

@test "a closed stdout is reported too" {
	run --separate-stderr env LD_PRELOAD="$FAKE_SO" bash -c '"$@" >&-' _ "$SYNCDAXCTL" status "$T/f"
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "syncdaxctl: status: standard output: Bad file descriptor: write error, the output is incomplete"
}

@test "a command that prints nothing on stdout succeeds with stdout full" {
	to /dev/full enable "$T/f"
	assert_success
	assert_equal "$stderr" ""
}
