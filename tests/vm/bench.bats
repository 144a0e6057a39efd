#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# syncdax-bench inside the test guest, on the DAX mount: a quick run of
# both benchmarks where every case and every method runs and reports
# numbers that make sense (p99 >= p50, commit counts >= 0, blocks
# counted), JSON that parses, synchronous faults where the mapping asks for
# them and none where it does not or where sdx_prepare() made the range
# stable.  On the non-DAX mount the MAP_SYNC and flag cases are skipped
# with the reason.  Runs on whichever journal mode run-suite gives it.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"
bats_require_minimum_version 1.5.0

SYNCDAX_BENCH=${SYNCDAX_BENCH:-$SYNCDAX_TOP/bench/syncdax-bench}

setup() {
	require_guest
	vm_scratch
}

teardown() {
	vm_cleanup
}

# The number of fs_dax:dax_sync_fault events (any inode) while running a
# command; its output goes to $BATS_TEST_TMPDIR/out.  The guest runs
# nothing else that maps DAX files.
count_all_sync_faults() {
	local ev=$TRACEFS/events/fs_dax/dax_sync_fault rc
	[ -d "$ev" ] || { echo "no tracepoint fs_dax/dax_sync_fault" >&2; return 1; }
	echo 0 > "$TRACEFS/tracing_on"
	echo > "$TRACEFS/trace"
	echo 1 > "$ev/enable"
	echo 1 > "$TRACEFS/tracing_on"
	"$@" > "$BATS_TEST_TMPDIR/out"
	rc=$?
	echo 0 > "$TRACEFS/tracing_on"
	echo 0 > "$ev/enable"
	grep -c 'dax_sync_fault:' "$TRACEFS/trace"
	return $rc
}

@test "bench fault -q on the DAX mount: every case runs and reports numbers" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -q "$T"
	assert_success
	local f m p v
	for f in prealloc sparse falloc; do
		for m in plain mapsync flag; do
			for p in 4k 2m; do
				for v in "" -random -prepared; do
					[[ $f == prealloc && -n $v ]] && continue
					# faults min avg p50 p99 max commits fc beyond
					assert_line --regexp "^$f-$m-$p$v +[0-9]+( +[0-9.]+){5} +[0-9]+ +[0-9]+ +(-?[0-9]+|-)$"
				done
			done
		done
	done
	refute_output --partial skipped
	refute_output --partial failed
	assert_equal "$(ls -A "$T")" ""
}

@test "bench fault -q --json on the DAX mount: every case ok, the new columns present and sane" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -q -J --samples "$T"
	assert_success
	local j=$output
	jq -e . <<<"$j" >/dev/null
	jq -e '.benchmark == "fault" and .mount_dax == "always" and .filesystem == "ext4" and (.fast_commit | type == "boolean")' <<<"$j"
	jq -e '.load.cpus > 0 and .load.steal_percent >= 0 and .load.loadavg_before >= 0' <<<"$j"
	# the window (the series' last patch), as ext4 exports it (null without it)
	jq -e --argjson w "$(cat "/sys/fs/ext4/$(basename "$(findmnt -no SOURCE -T "$T")")/syncfault_prealloc_kb" 2>/dev/null || echo null)" \
		'.syncfault_prealloc_kb == $w' <<<"$j"
	jq -e '.cases | length == 42 and all(.status == "ok" and .reason == null and .faults > 0
		and .min_us > 0 and .min_us <= .p50_us and .p50_us <= .p99_us and .p99_us <= .max_us
		and .journal_commits >= 0 and .fast_commits >= 0 and .fc_ineligible >= 0
		and .journal_commits_per_512 == ((.journal_commits * 512 / .faults) * 10 | round) / 10
		and .blocks_touched == .faults * .fault_size / 4096 and .blocks_allocated >= 0 and .blocks_written >= 0
		and ([.histogram[].count] | add) == .faults and (.samples_us | length) == .faults)' <<<"$j"
	# blocks beyond the touched ones are counted for sparse and fallocated files
	jq -e 'all(.cases[]; (.blocks_beyond_touched == null) == (.file == "prealloc"))' <<<"$j"
	jq -e 'all(.cases[] | select(.prepared); .prepare_us > 0)' <<<"$j"
	jq -e '[.ratios[][]] | all(type == "number")' <<<"$j"
	# A synchronous fault on a hole (MAP_SYNC or the flag) commits the
	# journal: a jbd2 commit, or a fast commit on a fast_commit file system.
	jq -e '.cases[] | select(.name == "sparse-flag-4k") | .journal_commits + .fast_commits >= 1' <<<"$j"
	jq -e '.cases[] | select(.name == "sparse-mapsync-4k") | .journal_commits + .fast_commits >= 1' <<<"$j"
	jq -e '.cases[] | select(.name == "falloc-flag-4k-random") | .journal_commits + .fast_commits >= 1' <<<"$j"
}

@test "bench fault: a plain sparse case takes no synchronous fault, a flagged one does" {
	local n
	n=$(count_all_sync_faults "$SYNCDAX_BENCH" fault -J -n 16 -r 1 --cases sparse-plain-4k "$T")
	assert_equal "$n" 0
	jq -e '.cases[0].status == "ok" and .cases[0].faults == 16' "$BATS_TEST_TMPDIR/out"
	n=$(count_all_sync_faults "$SYNCDAX_BENCH" fault -J -n 16 -r 1 --cases sparse-flag-4k "$T")
	assert [ "$n" -ge 1 ]
	jq -e '.cases[0].status == "ok" and .cases[0].journal_commits + .cases[0].fast_commits >= 1' "$BATS_TEST_TMPDIR/out"
}

@test "bench fault: after sdx_prepare() a flagged sparse file takes no synchronous fault" {
	local n
	n=$(count_all_sync_faults "$SYNCDAX_BENCH" fault -J -n 16 -r 1 --cases sparse-flag-4k-prepared "$T")
	assert_equal "$n" 0
	jq -e '.cases[0].status == "ok" and .cases[0].prepared and .cases[0].prepare_us > 0
		and .cases[0].blocks_beyond_touched == 0' "$BATS_TEST_TMPDIR/out"
}

@test "bench persist -q on the DAX mount: every method runs and reports numbers" {
	run --separate-stderr "$SYNCDAX_BENCH" persist -q "$T"
	assert_success
	for m in msync fdatasync dsync mapsync flag; do
		assert_line --regexp "^$m +200 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9.]+$"
	done
	assert_line --regexp "^flag throughput / msync throughput: [0-9.]+$"
	assert_equal "$(ls -A "$T")" ""
}

@test "bench persist -q --json on the DAX mount: every method ok, ratios present" {
	run --separate-stderr "$SYNCDAX_BENCH" persist -q -J "$T"
	assert_success
	local j=$output
	jq -e '.benchmark == "persist" and (.flag_vs_msync | type == "number") and .flag_vs_msync > 0' <<<"$j"
	jq -e '.methods | length == 5 and all(.status == "ok" and .updates == 200 and .ops_per_sec > 0
		and .seconds > 0 and (.ratio_to_flag | type == "number"))' <<<"$j"
	jq -e '.methods[] | select(.name == "flag") | .ratio_to_flag == 1' <<<"$j"
}

@test "bench in a flagged directory: plain cases are not made synchronous by inheritance" {
	"$SYNCDAXCTL" enable "$T"
	run --separate-stderr "$SYNCDAX_BENCH" fault -q -J --cases 'sparse-*-4k' "$T"
	assert_success
	jq -e '.cases | length == 3 and all(.status == "ok")' <<<"$output"
	jq -e '.cases[] | select(.name == "sparse-plain-4k") | .journal_commits < .faults' <<<"$output"
}

@test "bench fault -q on the non-DAX mount: MAP_SYNC and flag cases are skipped with the reason" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -q -J --cases '*-4k' "$N"
	assert_success
	jq -e '[.cases[] | select(.mapping == "plain")] | all(.status == "ok")' <<<"$output"
	jq -e '[.cases[] | select(.mapping == "mapsync")] | all(.status == "skipped" and (.reason | test("MAP_SYNC refused")))' <<<"$output"
	jq -e '[.cases[] | select(.mapping == "flag")] | all(.status == "skipped" and (.reason | test("refused|not")))' <<<"$output"
}
