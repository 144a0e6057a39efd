#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# tests/fstests/fstests-report and run-compare's bookkeeping on made-up
# results (no guest is booted): runs of the selection in pieces add up, a
# later result replaces an earlier one, tests without a result on either
# kernel are "not yet run", and the exit status says whether the
# comparison is complete and clean.

bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load /usr/lib/bats/bats-file/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
REPORT=$TOP/tests/fstests/fstests-report

setup() {
	T=$BATS_TEST_TMPDIR
}

# run_dir DIR SECTIONS TEST=STATUS...: what run-fstests leaves of one run,
# STATUS pass, fail or notrun, the same in every section
run_dir() {
	local dir=$1 sections=$2 s tc name st
	shift 2
	mkdir -p "$dir"
	echo "$sections" > "$dir/sections"
	: > "$dir/tests"
	echo 0 > "$dir/vm-run.status"
	for tc in "$@"; do echo "${tc%%=*}" >> "$dir/tests"; done
	for s in $sections; do
		mkdir -p "$dir/results/$s"
		{
			echo '<?xml version="1.0" encoding="UTF-8"?>'
			echo '<testsuite name="xfstests">'
			for tc in "$@"; do
				name=${tc%%=*} st=${tc#*=}
				case $st in
				pass) echo "<testcase classname=\"xfstests.$s\" name=\"$name\" time=\"3\"/>" ;;
				fail) echo "<testcase classname=\"xfstests.$s\" name=\"$name\" time=\"3\"><failure message=\"- output mismatch\" type=\"TestFail\"/></testcase>" ;;
				notrun) echo "<testcase classname=\"xfstests.$s\" name=\"$name\" time=\"0\"><skipped message=\"no reason\"/></testcase>" ;;
				esac
			done
			echo '</testsuite>'
		} > "$dir/results/$s/result.xml"
	done
	printf '[    1.0] syncdax-fstests: section %s\n' $sections > "$dir/console.log"
}

@test "fstests-report compare: runs in pieces add up; the latest result of a test counts" {
	printf 'generic/001\ngeneric/002\ngeneric/003\n' > "$T/list"
	run_dir "$T/s/runs/1" "a b" generic/001=pass generic/002=fail
	run_dir "$T/b/runs/1" "a b" generic/001=pass generic/002=pass
	run --separate-stderr "$REPORT" pending "$T/s" "$T/b" "$T/list"
	assert_success
	assert_output "generic/003"
	run --separate-stderr "$REPORT" compare "$T/s" "$T/b" "$T/list"
	assert_failure 1
	assert_line "2 of 3 tests have a result on both kernels in every section; a row counts a test in one section."
	assert_line "| pass on both | 2 |"
	assert_line "| fail only on the series | 2 |"
	assert_line "| not yet run on both kernels | 2 |"
	assert_line "- a generic/002: - output mismatch"
	# run 2: generic/002 passes now, generic/003 runs
	run_dir "$T/s/runs/2" "a b" generic/002=pass generic/003=notrun
	run_dir "$T/b/runs/2" "a b" generic/002=pass generic/003=notrun
	run --separate-stderr "$REPORT" pending "$T/s" "$T/b" "$T/list"
	assert_success
	assert_output ""
	run --separate-stderr "$REPORT" compare "$T/s" "$T/b" "$T/list"
	assert_success
	assert_line "3 of 3 tests have a result on both kernels in every section; a row counts a test in one section."
	assert_line "| pass on both | 4 |"
	assert_line "| fail only on the series | 0 |"
	assert_line "| notrun | 2 |"
	assert_line "| not yet run on both kernels | 0 |"
}

@test "fstests-report compare: crash-state counts of the latest run, for the tests compared" {
	printf 'ext4/310\n' > "$T/list"
	run_dir "$T/s/runs/1" "a" ext4/310=pass ext4/311=pass
	run_dir "$T/b/runs/1" "a" ext4/310=notrun ext4/311=notrun
	mkdir -p "$T/s/runs/1/results/a/ext4" "$T/s/runs/2/results/a/ext4"
	echo "syncfault: 20 states checked, 0 acknowledged pages lost" > "$T/s/runs/1/results/a/ext4/310.full"
	echo "syncfault: 36 states checked, 0 acknowledged pages lost" > "$T/s/runs/1/results/a/ext4/311.full"
	# a --rerun of ext4/310: its new count replaces the old one
	run_dir "$T/s/runs/2" "a" ext4/310=pass
	run_dir "$T/b/runs/2" "a" ext4/310=notrun
	echo "syncfault: 21 states checked, 0 acknowledged pages lost" > "$T/s/runs/2/results/a/ext4/310.full"
	run --separate-stderr "$REPORT" compare "$T/s" "$T/b" "$T/list"
	assert_success
	assert_line "a ext4/310 on the series: syncfault: 21 states checked, 0 acknowledged pages lost"
	refute_line --partial "20 states"
	refute_line --partial "ext4/311"
	assert_line "- a ext4/310: passes on the series; baseline: no reason"
	# a run of ext4/310 that stopped before counting leaves no count
	run_dir "$T/s/runs/3" "a" ext4/310=fail
	run_dir "$T/b/runs/3" "a" ext4/310=notrun
	run --separate-stderr "$REPORT" compare "$T/s" "$T/b" "$T/list"
	assert_failure 1
	assert_line "- a ext4/310: - output mismatch"
	refute_line --partial "states checked"
}

@test "fstests-report: a test missing from one kernel or one section is not yet run" {
	printf 'generic/001\ngeneric/002\n' > "$T/list"
	run_dir "$T/s/runs/1" "a b" generic/001=pass generic/002=pass
	run_dir "$T/b/runs/1" "a" generic/001=pass generic/002=pass
	run_dir "$T/b/runs/2" "b" generic/001=pass
	run --separate-stderr "$REPORT" pending "$T/s" "$T/b" "$T/list"
	assert_success
	assert_output "generic/002"
}

@test "fstests-report compare: a kernel warning on the series fails the comparison and is listed" {
	printf 'generic/001\n' > "$T/list"
	run_dir "$T/s/runs/1" "a" generic/001=pass
	run_dir "$T/b/runs/1" "a" generic/001=pass
	printf '[    2.0] run fstests generic/001 at 2026-12-02 01:00:00\n[    3.0] WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c:1 x\n' >> "$T/s/runs/1/console.log"
	run --separate-stderr "$REPORT" compare "$T/s" "$T/b" "$T/list"
	assert_failure 1
	assert_line "| kernel-log problems (series / baseline) | 1 / 0 |"
	assert_line "- generic/001: [    3.0] WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c:1 x"
}

@test "fstests-report: a missing list names the file; bad usage prints the usage" {
	run --separate-stderr "$REPORT" pending "$T/s" "$T/b" "$T/none"
	assert_failure 2
	assert_equal "$stderr" "fstests-report: $T/none: No such file or directory"
	run --separate-stderr "$REPORT" frob
	assert_failure 2
	assert_output ""
	assert_equal "$(grep -c 'fstests-report pending SERIES BASE LIST' <<<"$stderr")" 1
}

@test "run-compare: bad arguments are usage errors" {
	run --separate-stderr "$TOP/tests/fstests/run-compare" --max 0
	assert_failure 2
	assert_equal "$stderr" "run-compare: --max: '0' is not a positive number"
	run --separate-stderr "$TOP/tests/fstests/run-compare" --frob
	assert_failure 2
	assert_equal "$stderr" "run-compare: unknown option '--frob' (see --help)"
	run --separate-stderr "$TOP/tests/fstests/run-compare" --rerun
	assert_failure 2
	assert_equal "$stderr" "run-compare: --rerun needs the tests to run again"
}
