#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# syncdaxctl bench inside the test guest, on the DAX mount: a quick run of
# both benchmarks where every case and every method runs and reports
# numbers, and JSON that parses.  On the non-DAX mount the MAP_SYNC and
# flag cases are skipped with the reason.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"
bats_require_minimum_version 1.5.0

setup() {
	require_guest
	vm_scratch
}

teardown() {
	vm_cleanup
}

@test "bench fault -q on the DAX mount: every case runs and reports numbers" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -q "$T"
	assert_success
	for f in prealloc sparse falloc; do
		for m in plain mapsync flag; do
			for p in 4k 2m; do
				assert_line --regexp "^$f-$m-$p +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+$"
			done
		done
	done
	refute_output --partial skipped
	refute_output --partial failed
	assert_equal "$(ls -A "$T")" ""
}

@test "bench fault -q --json on the DAX mount: every case ok, synchronous cases commit the journal" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -q -J --samples "$T"
	assert_success
	local j=$output
	jq -e . <<<"$j" >/dev/null
	jq -e '.benchmark == "fault" and .mount_dax == "always" and .filesystem == "ext4"' <<<"$j"
	jq -e '.cases | length == 18 and all(.status == "ok" and .reason == null and .faults > 0
		and .min_us > 0 and .min_us <= .p50_us and .p50_us <= .p99_us and .p99_us <= .max_us
		and (.journal_commits | type == "number")
		and ([.histogram[].count] | add) == .faults and (.samples_us | length) == .faults)' <<<"$j"
	jq -e '[.ratios[][]] | all(type == "number")' <<<"$j"
	# A plain fault on a sparse file does not wait for the journal; a
	# synchronous one (MAP_SYNC or the flag) must have committed it.
	jq -e '.cases[] | select(.name == "sparse-flag-4k") | .journal_commits >= 1' <<<"$j"
	jq -e '.cases[] | select(.name == "sparse-mapsync-4k") | .journal_commits >= 1' <<<"$j"
}

@test "bench persist -q on the DAX mount: every method runs and reports numbers" {
	run --separate-stderr "$SYNCDAXCTL" bench persist -q "$T"
	assert_success
	for m in msync fdatasync dsync mapsync flag; do
		assert_line --regexp "^$m +200 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+$"
	done
	assert_line --regexp "^flag throughput / msync throughput: [0-9.]+$"
	assert_equal "$(ls -A "$T")" ""
}

@test "bench persist -q --json on the DAX mount: every method ok, ratios present" {
	run --separate-stderr "$SYNCDAXCTL" bench persist -q -J "$T"
	assert_success
	local j=$output
	jq -e '.benchmark == "persist" and (.flag_vs_msync | type == "number") and .flag_vs_msync > 0' <<<"$j"
	jq -e '.methods | length == 5 and all(.status == "ok" and .updates == 200 and .ops_per_sec > 0
		and .seconds > 0 and (.ratio_to_flag | type == "number"))' <<<"$j"
	jq -e '.methods[] | select(.name == "flag") | .ratio_to_flag == 1' <<<"$j"
}

@test "bench in a flagged directory: plain cases are not made synchronous by inheritance" {
	"$SYNCDAXCTL" enable "$T"
	run --separate-stderr "$SYNCDAXCTL" bench fault -q -J --cases 'sparse-*-4k' "$T"
	assert_success
	jq -e '.cases | length == 3 and all(.status == "ok")' <<<"$output"
	jq -e '.cases[] | select(.name == "sparse-plain-4k") | .journal_commits < .faults' <<<"$output"
}

@test "bench fault -q on the non-DAX mount: MAP_SYNC and flag cases are skipped with the reason" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -q -J --cases '*-4k' "$N"
	assert_success
	jq -e '[.cases[] | select(.mapping == "plain")] | all(.status == "ok")' <<<"$output"
	jq -e '[.cases[] | select(.mapping == "mapsync")] | all(.status == "skipped" and (.reason | test("MAP_SYNC refused")))' <<<"$output"
	jq -e '[.cases[] | select(.mapping == "flag")] | all(.status == "skipped" and (.reason | test("refused|not")))' <<<"$output"
}
