#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/run-check's totals: every test counts once.  A guest test run on
# both journal modes ("[fast_commit] " / "[journal] " before its name) is
# one test whose runs must all pass; unprefixed tests that share a name
# stay distinct; a skip directive is not part of the name.

load host-common

setup() {
	# tap_counts, as run-check defines it
	source <(sed -n '/^tap_counts() {/,/^}/p' "$SYNCDAX_TOP/tests/run-check")
	TAP=$BATS_TEST_TMPDIR/tap
}

@test "a test that passed on both journal modes counts once" {
	printf 'ok 1 a\nok 2 [fast_commit] a\n' > "$TAP"
	run tap_counts "$TAP"
	assert_success
	assert_output "1 0 0"
}

@test "a test that failed on one journal mode counts as one failure" {
	printf 'ok 1 a\nnot ok 2 [fast_commit] a\nnot ok 3 - [journal] round 1\nok 4 - [fast_commit] round 1\n' > "$TAP"
	run tap_counts "$TAP"
	assert_success
	assert_output "0 2 0"
}

@test "skipped on one mode and passed on the other is a pass; skipped on both is a skip" {
	printf 'ok 1 a # SKIP x\nok 2 [fast_commit] a\nok 3 b # skip y\nok 4 [fast_commit] b # skip y\n' > "$TAP"
	run tap_counts "$TAP"
	assert_success
	assert_output "1 0 1"
}

@test "unprefixed tests with the same name stay distinct" {
	printf 'ok 1 same\nok 2 same\nnot ok 3 other\n' > "$TAP"
	run tap_counts "$TAP"
	assert_success
	assert_output "2 1 0"
}

@test "lines that are not test lines do not count" {
	printf '1..2\n# ok 1 not a test\nok 1 a\nokay\nnot ok 2 b # TODO later\n' > "$TAP"
	run tap_counts "$TAP"
	assert_success
	assert_output "1 1 0"
}
