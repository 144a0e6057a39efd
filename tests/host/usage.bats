#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Help, version and usage errors: exit 0 for help, 2 for usage errors,
# help on stdout, errors on stderr.

load host-common

setup() {
	require_binary
}

@test "--help prints the usage and every command on stdout and exits 0" {
	run --separate-stderr "$SYNCDAXCTL" --help
	assert_success
	assert_line --index 0 --partial "Usage: syncdaxctl"
	for c in enable disable status check help; do
		assert_line --regexp "^  $c +"
	done
	assert_equal "$stderr" ""
}

@test "-h is the same as --help" {
	run "$SYNCDAXCTL" --help
	assert_success
	local long=$output
	run "$SYNCDAXCTL" -h
	assert_success
	assert_equal "$output" "$long"
}

@test "--version prints the version from the VERSION file" {
	run --separate-stderr "$SYNCDAXCTL" --version
	assert_success
	assert_output --regexp "^syncdaxctl $(cat "$SYNCDAX_TOP/VERSION") \(libsyncdax $(cat "$SYNCDAX_TOP/VERSION")\)$"
	run "$SYNCDAXCTL" -V
	assert_success
	assert_output --partial "syncdaxctl $(cat "$SYNCDAX_TOP/VERSION")"
}

@test "no command is a usage error: exit 2, usage on stderr" {
	run --separate-stderr "$SYNCDAXCTL"
	assert_failure 2
	assert_equal "$output" ""
	[[ $stderr == *"no command given"* ]]
	[[ $stderr == *"Usage: syncdaxctl"* ]]
}

@test "an unknown command is a usage error naming it" {
	run --separate-stderr "$SYNCDAXCTL" frobnicate
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "syncdaxctl: frobnicate: unknown command"
}

@test "an unknown global option is a usage error naming it" {
	run --separate-stderr "$SYNCDAXCTL" --frobnicate
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: unrecognized option '--frobnicate'"
}

@test "each command's --help starts with its usage line and exits 0" {
	for c in enable disable status check; do
		run --separate-stderr "$SYNCDAXCTL" "$c" --help
		assert_success
		assert_line --index 0 --regexp "^Usage: syncdaxctl $c( |$)"
		assert_equal "$stderr" ""
	done
}

@test "'help COMMAND' prints the same as 'COMMAND --help'" {
	for c in enable disable status check; do
		run "$SYNCDAXCTL" "$c" --help
		assert_success
		local want=$output
		run "$SYNCDAXCTL" help "$c"
		assert_success
		assert_equal "$output" "$want"
	done
}

@test "'help' alone prints the tool's help, 'help' of an unknown command exits 2" {
	run "$SYNCDAXCTL" --help
	assert_success
	local want=$output
	run "$SYNCDAXCTL" help
	assert_success
	assert_equal "$output" "$want"
	run --separate-stderr "$SYNCDAXCTL" help frobnicate
	assert_failure 2
	[[ $stderr == *"frobnicate: unknown command"* ]]
}

@test "an unknown long option of a command is a usage error naming it" {
	for c in enable disable status check; do
		run --separate-stderr "$SYNCDAXCTL" "$c" --frobnicate .
		assert_failure 2
		assert_equal "$output" ""
		assert_equal "${stderr_lines[0]}" "syncdaxctl: $c: unrecognized option '--frobnicate'"
		assert_equal "${stderr_lines[1]}" "Try 'syncdaxctl $c --help' for more information."
	done
}

@test "an unknown short option of a command is a usage error naming it" {
	run --separate-stderr "$SYNCDAXCTL" enable -q .
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: enable: invalid option -- 'q'"
}

@test "--json is not an option of enable and disable" {
	for c in enable disable; do
		run --separate-stderr "$SYNCDAXCTL" "$c" --json .
		assert_failure 2
		[[ $stderr == *"unrecognized option '--json'"* ]]
	done
}

@test "enable, disable and status without a path are usage errors" {
	for c in enable disable status; do
		run --separate-stderr "$SYNCDAXCTL" "$c"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "syncdaxctl: $c: no path given"
	done
}

@test "check takes at most one path" {
	run --separate-stderr "$SYNCDAXCTL" check / /tmp
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: check: only one path can be checked at a time"
}

@test "options may follow the paths, and -- ends the options" {
	make_scratch
	run --separate-stderr "$SYNCDAXCTL" status "$T" --frobnicate
	assert_failure 2
	# After --, "-R" is a path (that does not exist), not an option.
	run --separate-stderr "$SYNCDAXCTL" status -- -R
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: status: -R: No such file or directory"
}

@test "bench is no command of syncdaxctl: the benchmark is syncdax-bench" {
	run --separate-stderr "$SYNCDAXCTL" bench fault "$BATS_TEST_TMPDIR"
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: unknown command"
	run --separate-stderr "$SYNCDAXCTL" --help
	assert_success
	assert_output --partial "syncdax-bench(8)"
}
