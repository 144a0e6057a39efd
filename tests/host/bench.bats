#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# syncdaxctl bench on the host: usage errors, --help, and quick runs in a
# scratch directory that is not DAX (and a kernel without sync-fault
# support), where the plain cases run and the MAP_SYNC and flag cases are
# reported as skipped, with the reason; the JSON has the documented fields.

load host-common

setup() {
	require_binary
	make_scratch
}

@test "bench --help shows both benchmarks and every option, exit 0" {
	run --separate-stderr "$SYNCDAXCTL" bench --help
	assert_success
	assert_line --index 0 "Usage: syncdaxctl bench fault [OPTIONS] DIR"
	assert_line --index 1 "       syncdaxctl bench persist [OPTIONS] DIR"
	for o in --count --huge-count --cases --quick --seed --json --samples --progress --no-progress --help; do
		assert_output --partial -- "$o"
	done
	assert_equal "$stderr" ""
}

@test "bench without a benchmark, or an unknown one, is a usage error" {
	run --separate-stderr "$SYNCDAXCTL" bench
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: no benchmark given (fault or persist)"
	assert_equal "${stderr_lines[1]}" "Try 'syncdaxctl bench --help' for more information."
	run --separate-stderr "$SYNCDAXCTL" bench frob "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: frob: unknown benchmark (fault or persist)"
}

@test "bench needs exactly one directory" {
	run --separate-stderr "$SYNCDAXCTL" bench fault
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: no directory given"
	run --separate-stderr "$SYNCDAXCTL" bench persist "$T" "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: only one directory can be used at a time"
}

@test "bench rejects bad counts and options without their argument" {
	for n in 0 -1 abc 1x 99999999999; do
		run --separate-stderr "$SYNCDAXCTL" bench fault -n "$n" "$T"
		assert_failure 2
		[[ ${stderr_lines[0]} == "syncdaxctl: bench: -n: '$n' is not a count from 1 to 1048576" ]]
	done
	run --separate-stderr "$SYNCDAXCTL" bench fault --huge-count 0 "$T"
	assert_failure 2
	run --separate-stderr "$SYNCDAXCTL" bench fault "$T" -n
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: option '-n' needs an argument"
	run --separate-stderr "$SYNCDAXCTL" bench fault "$T" --cases
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: option '--cases' needs an argument"
	run --separate-stderr "$SYNCDAXCTL" bench fault --frobnicate "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: unrecognized option '--frobnicate'"
}

@test "bench --cases with a pattern that matches nothing is a usage error" {
	run --separate-stderr "$SYNCDAXCTL" bench fault --cases 'sparse-*,nosuch' "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: --cases: 'nosuch' matches no case"
	run --separate-stderr "$SYNCDAXCTL" bench persist --cases 'sparse-plain-4k' "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdaxctl: bench: --cases: 'sparse-plain-4k' matches no method"
	run --separate-stderr "$SYNCDAXCTL" bench persist --cases 'msync,' "$T"
	assert_failure 2
}

@test "bench on a missing directory or a file fails with status 1 naming it" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -q "$T/missing"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: bench: $T/missing: No such file or directory"
	touch "$T/file"
	run --separate-stderr "$SYNCDAXCTL" bench persist -q "$T/file"
	assert_failure 1
	assert_equal "$stderr" "syncdaxctl: bench: $T/file: Not a directory"
}

@test "bench fault -q: plain cases report numbers, MAP_SYNC and flag cases are skipped" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -q "$T"
	assert_success
	assert_line --index 0 --partial "fault benchmark in $T"
	for f in prealloc sparse falloc; do
		for p in 4k 2m; do
			assert_line --regexp "^$f-plain-$p +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ "
			assert_line --regexp "^$f-mapsync-$p +skipped: MAP_SYNC refused: "
			assert_line --regexp "^$f-flag-$p +skipped: cannot set the sync-fault flag: .*kernel lacks sync-fault support"
		done
	done
	assert_line --regexp "^prealloc-plain-4k +\[.*\):[0-9]+"
	assert_equal "$stderr" ""
	# the scratch files are gone
	assert_equal "$(ls -A "$T")" ""
}

@test "bench fault --json has the documented fields" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -q -J --samples "$T"
	assert_success
	local j=$output
	jq -e . <<<"$j" >/dev/null
	jq -e '.benchmark == "fault" and (.version | type == "string") and .dir == "'"$T"'"
		and (.count == 32) and (.huge_count == 4) and (.quick == true)
		and (.cpu_flush | type == "string")
		and (has("filesystem") and has("mount_dax") and has("blockdev"))' <<<"$j"
	jq -e '.cases | length == 18' <<<"$j"
	jq -e '[.cases[] | keys] | unique == [["avg_us","fault_size","faults","file","histogram","journal_commits","mapping","max_us","min_us","name","p50_us","p99_us","page","reason","samples_us","status"]]' <<<"$j"
	jq -e '[.cases[] | select(.mapping == "plain")] | length == 6 and all(.status == "ok" and .reason == null
		and .faults > 0 and (.min_us <= .p50_us) and (.p50_us <= .p99_us) and (.p99_us <= .max_us)
		and ([.histogram[].count] | add) == .faults and (.samples_us | length) == .faults
		and (.fault_size == (if .page == "4k" then 4096 else 2097152 end)))' <<<"$j"
	jq -e '[.cases[] | select(.mapping != "plain")] | length == 12 and all(.status == "skipped"
		and (.reason | type == "string") and .faults == 0 and .p50_us == null and .histogram == [])' <<<"$j"
	jq -e '.ratios | keys == ["falloc-2m","falloc-4k","prealloc-2m","prealloc-4k","sparse-2m","sparse-4k"]' <<<"$j"
	jq -e '.ratios["sparse-4k"] | has("flag_vs_plain_p50") and .flag_vs_plain_p50 == null and has("mapsync_vs_plain_p50") and has("flag_vs_mapsync_p50")' <<<"$j"
}

@test "bench fault --cases and -n select the cases and the number of faults" {
	run --separate-stderr "$SYNCDAXCTL" bench fault -J -n 7 --huge-count 2 --cases 'sparse-plain-*,prealloc-plain-4k' "$T"
	assert_success
	assert_equal "$(jq -r '[.cases[].name] | join(" ")' <<<"$output")" "prealloc-plain-4k sparse-plain-4k sparse-plain-2m"
	assert_equal "$(jq -r '[.cases[].faults] | join(" ")' <<<"$output")" "7 7 2"
	# no samples without --samples
	jq -e 'all(.cases[]; has("samples_us") | not)' <<<"$output"
}

@test "bench persist -q: file-based methods run, mapping-based ones are skipped" {
	run --separate-stderr "$SYNCDAXCTL" bench persist -q "$T"
	assert_success
	for m in msync fdatasync dsync; do
		assert_line --regexp "^$m +200 +[0-9.]+ +[0-9.]+ +[0-9.]+ "
	done
	assert_line --regexp "^mapsync +skipped: MAP_SYNC refused: "
	assert_line --regexp "^flag +skipped: cannot set the sync-fault flag: "
	assert_equal "$(ls -A "$T")" ""
}

@test "bench persist --json has the documented fields" {
	run --separate-stderr "$SYNCDAXCTL" bench persist -q -J -n 50 -s 7 "$T"
	assert_success
	local j=$output
	jq -e '.benchmark == "persist" and .count == 50 and .update_size == 64 and .file_size == 4194304
		and .seed == 7 and .quick == true and has("flag_vs_msync") and .flag_vs_msync == null
		and (has("filesystem") and has("mount_dax") and has("blockdev") and has("cpu_flush") and has("version") and has("dir"))' <<<"$j"
	jq -e '[.methods[].name] == ["msync","fdatasync","dsync","mapsync","flag"]' <<<"$j"
	jq -e '[.methods[] | keys] | unique == [["avg_us","journal_commits","name","ops_per_sec","ratio_to_flag","reason","seconds","status","updates"]]' <<<"$j"
	jq -e '[.methods[0,1,2]] | all(.status == "ok" and .updates == 50 and .ops_per_sec > 0 and .seconds > 0 and .avg_us > 0 and .ratio_to_flag == null)' <<<"$j"
	jq -e '[.methods[3,4]] | all(.status == "skipped" and (.reason | length > 0) and .updates == 0 and .ops_per_sec == null)' <<<"$j"
}

@test "bench progress goes to stderr only with --progress when stderr is no terminal" {
	run --separate-stderr "$SYNCDAXCTL" bench persist -q --cases msync "$T"
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr "$SYNCDAXCTL" bench persist -q --progress --cases 'msync,flag' "$T"
	assert_success
	assert_equal "${stderr_lines[0]}" "syncdaxctl bench persist: [1/2] msync"
	assert_equal "${stderr_lines[1]}" "syncdaxctl bench persist: [2/2] flag"
	assert_equal "${stderr_lines[2]}" "syncdaxctl bench persist: done"
	run --separate-stderr "$SYNCDAXCTL" bench persist -q --progress --no-progress --cases msync "$T"
	assert_success
	assert_equal "$stderr" ""
}

@test "bench leaves the directory as it found it" {
	touch "$T/keep"
	run "$SYNCDAXCTL" bench fault -q --cases '*-plain-4k' "$T"
	assert_success
	assert_equal "$(ls -A "$T")" "keep"
}
