#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Argument errors of the test bed's own tools (no guest is booted): each is
# a clear message naming the problem, exit 2 (vm-run, run-suite) or 1
# (build-kernel), and nothing is started.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

@test "vm-run without a command is a usage error" {
	run "$TOP/tests/vm/vm-run"
	assert_failure 2
	assert_output --partial "no command given"
}

@test "vm-run rejects an unknown option by name" {
	run "$TOP/tests/vm/vm-run" --frobnicate -- true
	assert_failure 2
	assert_output --partial "unknown option '--frobnicate'"
}

@test "vm-run rejects a non-numeric timeout" {
	run "$TOP/tests/vm/vm-run" --timeout soon -- true
	assert_failure 2
	assert_output --partial "--timeout needs seconds, not 'soon'"
}

@test "vm-run rejects a guest CPU count out of range, from --smp or SYNCDAX_VM_SMP" {
	run "$TOP/tests/vm/vm-run" --smp 0 -- true
	assert_failure 2
	assert_output "vm-run: --smp (or SYNCDAX_VM_SMP) needs a number from 1 to 8, not '0'"
	SYNCDAX_VM_SMP=two run "$TOP/tests/vm/vm-run" -- true
	assert_failure 2
	assert_output "vm-run: --smp (or SYNCDAX_VM_SMP) needs a number from 1 to 8, not 'two'"
}

@test "vm-run names a missing kernel image and how to build one" {
	run "$TOP/tests/vm/vm-run" --kernel "$BATS_TEST_TMPDIR/none" -- true
	assert_failure 2
	assert_output --partial "$BATS_TEST_TMPDIR/none: no kernel image (run 'make kernel')"
}

@test "run-suite names a missing test file" {
	run "$TOP/tests/vm/run-suite" "$BATS_TEST_TMPDIR/missing.bats"
	assert_failure 2
	assert_output --partial "missing.bats: no such test file"
}

@test "run-suite rejects a bad --jobs value" {
	run "$TOP/tests/vm/run-suite" --jobs 0
	assert_failure 2
	assert_output --partial "--jobs needs a positive number"
}

@test "build-kernel rejects an unknown argument by name" {
	run "$TOP/kernel/build-kernel" --bogus
	assert_failure 1
	assert_output --partial "unknown argument '--bogus'"
}

@test "build-kernel names an unreadable series file" {
	run "$TOP/kernel/build-kernel" --series "$BATS_TEST_TMPDIR/nope"
	assert_failure 1
	assert_output --partial "$BATS_TEST_TMPDIR/nope: cannot read the series file"
}

@test "build-kernel names a patch listed in the series but missing" {
	echo "0001-missing.patch" > "$BATS_TEST_TMPDIR/series"
	run "$TOP/kernel/build-kernel" --series "$BATS_TEST_TMPDIR/series"
	assert_failure 1
	assert_output --partial "0001-missing.patch: listed in $BATS_TEST_TMPDIR/series but missing"
}

@test "build-kernel resolves a relative series path to absolute patch paths" {
	# the patches are applied from inside the cache's tree, where a
	# relative path no longer names them
	mkdir "$BATS_TEST_TMPDIR/fixes"
	echo "0001-missing.patch" > "$BATS_TEST_TMPDIR/fixes/series"
	cd "$BATS_TEST_TMPDIR"
	run "$TOP/kernel/build-kernel" --series fixes/series
	assert_failure 1
	assert_output --partial "$BATS_TEST_TMPDIR/fixes/0001-missing.patch: listed in fixes/series but missing"
}

@test "build-kernel rejects --upto beyond the series" {
	run "$TOP/kernel/build-kernel" --upto 99
	assert_failure 1
	assert_output --partial "--upto 99: the series has"
}

@test "build-kernel rejects a bad variant name" {
	run "$TOP/kernel/build-kernel" --variant "../x"
	assert_failure 1
	assert_output --partial "bad variant name '../x'"
}

@test "checkpatch-series passes on the series as committed" {
	run "$TOP/kernel/checkpatch-series"
	assert_success
	refute_output --partial "not ok"
}
