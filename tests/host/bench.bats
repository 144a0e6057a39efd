#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# syncdax-bench on the host: usage errors, --help, and quick runs in a
# scratch directory that is not DAX (and a kernel without sync-fault
# support), where the plain cases run and the MAP_SYNC and flag cases are
# reported as skipped, with the reason; the JSON has the documented fields.
# The scripts around it (tests/bench: load-monitor, bench-report,
# publish-bench, run-bench --no-vm) run here on recorded or fake input.

load host-common

setup() {
	require_bench_binary
	make_scratch
}

@test "bench --help shows both benchmarks and every option, exit 0" {
	run --separate-stderr "$SYNCDAX_BENCH" --help
	assert_success
	assert_line --index 0 "Usage: syncdax-bench fault [OPTIONS] DIR"
	assert_line --index 1 "       syncdax-bench persist [OPTIONS] DIR"
	for o in --count --huge-count --rounds --cases --quick --seed --json --samples --progress --no-progress --help; do
		assert_output --partial -- "$o"
	done
	assert_equal "$stderr" ""
}

@test "a full stdout fails the benchmark, naming the cause; /dev/null does not" {
	[[ -c /dev/full ]] || skip "no /dev/full"
	run --separate-stderr bash -c '"$0" --help > /dev/full' "$SYNCDAX_BENCH"
	assert_failure 1
	assert_equal "$stderr" "syncdax-bench: standard output: No space left on device: cannot write the results"
	run --separate-stderr bash -c '"$0" persist -q -n 5 --cases msync -J "$1" > /dev/full' "$SYNCDAX_BENCH" "$T"
	assert_failure 1
	assert_equal "${stderr_lines[-1]}" "syncdax-bench: standard output: No space left on device: cannot write the results"
	run --separate-stderr bash -c '"$0" persist -q -n 5 --cases msync -J "$1" > /dev/null' "$SYNCDAX_BENCH" "$T"
	assert_success
}

@test "-V prints the version of syncdax-bench and of libsyncdax" {
	run --separate-stderr "$SYNCDAX_BENCH" -V
	assert_success
	assert_output --regexp "^syncdax-bench [0-9]+[.][0-9]+[.][0-9]+ [(]libsyncdax [0-9]+[.][0-9]+[.][0-9]+[)]$"
}

@test "bench without a benchmark, or an unknown one, is a usage error" {
	run --separate-stderr "$SYNCDAX_BENCH"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: no benchmark given (fault or persist)"
	assert_equal "${stderr_lines[1]}" "Try 'syncdax-bench --help' for more information."
	run --separate-stderr "$SYNCDAX_BENCH" frob "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: frob: unknown benchmark (fault or persist)"
}

@test "bench needs exactly one directory" {
	run --separate-stderr "$SYNCDAX_BENCH" fault
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: no directory given"
	run --separate-stderr "$SYNCDAX_BENCH" persist "$T" "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: only one directory can be used at a time"
}

@test "bench rejects bad counts and options without their argument" {
	for n in 0 -1 abc 1x 99999999999; do
		run --separate-stderr "$SYNCDAX_BENCH" fault -n "$n" "$T"
		assert_failure 2
		[[ ${stderr_lines[0]} == "syncdax-bench: -n: '$n' is not a count from 1 to 1048576" ]]
	done
	run --separate-stderr "$SYNCDAX_BENCH" fault --huge-count 0 "$T"
	assert_failure 2
	run --separate-stderr "$SYNCDAX_BENCH" fault "$T" -n
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: option '-n' needs an argument"
	run --separate-stderr "$SYNCDAX_BENCH" fault "$T" --cases
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: option '--cases' needs an argument"
	run --separate-stderr "$SYNCDAX_BENCH" fault --frobnicate "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: unrecognized option '--frobnicate'"
}

@test "bench --cases with a pattern that matches nothing is a usage error" {
	run --separate-stderr "$SYNCDAX_BENCH" fault --cases 'sparse-*,nosuch' "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: --cases: 'nosuch' matches no case"
	run --separate-stderr "$SYNCDAX_BENCH" persist --cases 'sparse-plain-4k' "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: --cases: 'sparse-plain-4k' matches no method"
	run --separate-stderr "$SYNCDAX_BENCH" persist --cases 'msync,' "$T"
	assert_failure 2
}

@test "bench on a missing directory or a file fails with status 1 naming it" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -q "$T/missing"
	assert_failure 1
	assert_equal "$stderr" "syncdax-bench: $T/missing: No such file or directory"
	touch "$T/file"
	run --separate-stderr "$SYNCDAX_BENCH" persist -q "$T/file"
	assert_failure 1
	assert_equal "$stderr" "syncdax-bench: $T/file: Not a directory"
}

@test "bench fault -q: plain cases report numbers, MAP_SYNC and flag cases are skipped" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -q "$T"
	assert_success
	assert_line --index 0 --partial "fault benchmark in $T"
	assert_line --index 1 --regexp "^load: [0-9]+ CPUs, load average [0-9.]+ before, [0-9.]+ after, steal time [0-9.]+%$"
	local f p v
	for f in prealloc sparse falloc; do
		for p in 4k 2m; do
			for v in "" -random -prepared; do
				[[ $f == prealloc && -n $v ]] && continue
				# faults min avg p50 p99 max commits fc beyond
				assert_line --regexp "^$f-plain-$p$v +[0-9]+( +[0-9.]+){5} +([0-9]+|-) +([0-9]+|-) +(-?[0-9]+|-)$"
				assert_line --regexp "^$f-mapsync-$p$v +skipped: MAP_SYNC refused: "
				assert_line --regexp "^$f-flag-$p$v +skipped: cannot set the sync-fault flag: .*kernel lacks sync-fault support"
			done
		done
	done
	assert_line --regexp "^prealloc-plain-4k +\[.*\):[0-9]+"
	assert_line "sdx_prepare() of the touched range before the faults, us (mean of the rounds)"
	assert_line --regexp "^sparse-plain-4k-prepared +[0-9.]+$"
	assert_line --regexp "^sparse-4k-random +- +- +- +-$"
	assert_equal "$stderr" ""
	# the scratch files are gone
	assert_equal "$(ls -A "$T")" ""
}

@test "bench fault --json has the documented fields" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -q -J --samples "$T"
	assert_success
	local j=$output
	jq -e . <<<"$j" >/dev/null
	jq -e '.benchmark == "fault" and (.version | type == "string") and .dir == "'"$T"'"
		and (.count == 32) and (.huge_count == 4) and (.rounds == 1) and (.quick == true)
		and (.cpu_flush | type == "string")
		and (has("filesystem") and has("mount_dax") and has("blockdev"))' <<<"$j"
	jq -e '.cases | length == 42' <<<"$j"
	# each name says what the case is
	jq -e 'all(.cases[]; .name == "\(.file)-\(.mapping)-\(.page)" + (if .prepared then "-prepared" elif .order == "random" then "-random" else "" end))' <<<"$j"
	jq -e '[.cases[] | keys] | unique == [["avg_us","blocks_allocated","blocks_beyond_touched","blocks_touched","blocks_written","fast_commits","fast_commits_per_512","fault_size","faults","fc_ineligible","file","file_size","histogram","journal_commits","journal_commits_per_512","mapping","max_us","min_us","name","order","p50_us","p99_us","page","prepare_us","prepared","reason","samples_us","status"]]' <<<"$j"
	jq -e '.seed == 1 and .spread == 4 and (.load | keys == ["cpus","loadavg_after","loadavg_before","steal_percent"])
		and .load.cpus > 0 and (.load.loadavg_before | type == "number") and (.load.steal_percent | type == "number")
		and (.fast_commit == null or (.fast_commit | type == "boolean"))
		and has("syncfault_prealloc_kb") and .syncfault_prealloc_kb == null' <<<"$j"
	jq -e '[.cases[] | select(.mapping == "plain")] | length == 14 and all(.status == "ok" and .reason == null
		and .faults > 0 and (.min_us <= .p50_us) and (.p50_us <= .p99_us) and (.p99_us <= .max_us)
		and ([.histogram[].count] | add) == .faults and (.samples_us | length) == .faults
		and (.fault_size == (if .page == "4k" then 4096 else 2097152 end)))' <<<"$j"
	jq -e '[.cases[] | select(.mapping != "plain")] | length == 28 and all(.status == "skipped"
		and (.reason | type == "string") and .faults == 0 and .p50_us == null and .histogram == []
		and .journal_commits == null and .blocks_touched == null and .file_size == null)' <<<"$j"
	jq -e '.ratios | keys == ["falloc-2m","falloc-2m-prepared","falloc-2m-random","falloc-4k","falloc-4k-prepared","falloc-4k-random","prealloc-2m","prealloc-4k","sparse-2m","sparse-2m-prepared","sparse-2m-random","sparse-4k","sparse-4k-prepared","sparse-4k-random"]' <<<"$j"
	jq -e '.ratios["sparse-4k"] | keys == ["flag_vs_mapsync_p50","flag_vs_plain_p50","flag_vs_plain_p99","mapsync_vs_plain_p50"] and all(.[]; . == null)' <<<"$j"
	jq -e '.ratios["falloc-4k-prepared"] | has("flag_vs_unprepared_plain_p50")' <<<"$j"
}

@test "bench fault: the variants, the file sizes and the blocks of each case" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -J -n 8 --huge-count 1 --cases 'sparse-plain-4k*,falloc-plain-4k*,prealloc-plain-4k' "$T"
	assert_success
	local j=$output
	assert_equal "$(jq -r '[.cases[].name] | join(" ")' <<<"$j")" \
		"prealloc-plain-4k sparse-plain-4k sparse-plain-4k-random sparse-plain-4k-prepared falloc-plain-4k falloc-plain-4k-random falloc-plain-4k-prepared"
	assert_equal "$(jq -r '[.cases[] | "\(.order)/\(.prepared)"] | join(" ")' <<<"$j")" \
		"sequential/false sequential/false random/false sequential/true sequential/false random/false sequential/true"
	# sparse and fallocated files are 4x the touched range; preallocated ones 1x
	jq -e '[.cases[] | .file_size] == [32768,131072,131072,131072,131072,131072,131072]' <<<"$j"
	jq -e 'all(.cases[]; .blocks_touched == 8)' <<<"$j"
	# only the prepared cases took the time of sdx_prepare()
	jq -e 'all(.cases[]; (.prepare_us != null) == .prepared) and all(.cases[] | select(.prepared); .prepare_us > 0)' <<<"$j"
	# beyond: none on a preallocated file; allocated (sparse) or written (falloc) minus touched
	jq -e '.cases[0].blocks_beyond_touched == null' <<<"$j"
	jq -e 'all(.cases[] | select(.file == "sparse"); .blocks_beyond_touched == .blocks_allocated - .blocks_touched)' <<<"$j"
	jq -e 'all(.cases[] | select(.file == "falloc" and .blocks_written != null); .blocks_beyond_touched == .blocks_written - .blocks_touched)' <<<"$j"
	# a fallocated file has all its blocks allocated, the touched ones written
	jq -e '.cases[] | select(.name == "falloc-plain-4k") | .blocks_allocated >= 32 and .blocks_written >= 8' <<<"$j"
}

@test "bench fault: the random order depends on --seed only" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -J -n 16 -s 7 --cases 'sparse-plain-4k-random' "$T"
	assert_success
	# three rounds by default: 16 faults each
	jq -e '.seed == 7 and .rounds == 3 and .cases[0].status == "ok" and .cases[0].faults == 48' <<<"$output"
	run --separate-stderr "$SYNCDAX_BENCH" fault -J -s 0x10 --cases 'sparse-plain-4k' -n 1 "$T"
	assert_success
	jq -e '.seed == 16' <<<"$output"
	run --separate-stderr "$SYNCDAX_BENCH" fault -s -3 "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: --seed: '-3' is not a number"
}

@test "bench fault --cases with a variant pattern selects exactly those cases" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -J -n 2 --huge-count 1 --cases '*-plain-*-random,*-plain-*-prepared' "$T"
	assert_success
	assert_equal "$(jq -r '[.cases[].name] | join(" ")' <<<"$output")" \
		"sparse-plain-4k-random sparse-plain-4k-prepared falloc-plain-4k-random falloc-plain-4k-prepared sparse-plain-2m-random sparse-plain-2m-prepared falloc-plain-2m-random falloc-plain-2m-prepared"
	run --separate-stderr "$SYNCDAX_BENCH" fault --cases 'prealloc-plain-4k-random' "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: --cases: 'prealloc-plain-4k-random' matches no case"
}

@test "bench fault --cases and -n select the cases and the number of faults" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -J -n 7 --huge-count 2 --cases 'sparse-plain-?k,sparse-plain-?m,prealloc-plain-4k' "$T"
	assert_success
	assert_equal "$(jq -r '[.cases[].name] | join(" ")' <<<"$output")" "prealloc-plain-4k sparse-plain-4k sparse-plain-2m"
	# -n and --huge-count faults per round, three rounds
	assert_equal "$(jq -r '[.cases[].faults] | join(" ")' <<<"$output")" "21 21 6"
	# no samples without --samples
	jq -e 'all(.cases[]; has("samples_us") | not)' <<<"$output"
}

@test "bench fault --rounds: every round's faults in one case; bad counts and persist are usage errors" {
	run --separate-stderr "$SYNCDAX_BENCH" fault -J --samples -r 2 -n 5 --cases 'prealloc-plain-4k,sparse-plain-4k-prepared' "$T"
	assert_success
	jq -e '.rounds == 2 and .count == 5' <<<"$output"
	jq -e 'all(.cases[]; .status == "ok" and .faults == 10 and (.samples_us | length) == 10 and .blocks_touched == 5)' <<<"$output"
	jq -e '.cases[1].prepare_us > 0' <<<"$output"
	for r in 0 65 abc -1; do
		run --separate-stderr "$SYNCDAX_BENCH" fault -r "$r" "$T"
		assert_failure 2
		assert_equal "${stderr_lines[0]}" "syncdax-bench: --rounds: '$r' is not a count from 1 to 64"
	done
	run --separate-stderr "$SYNCDAX_BENCH" fault "$T" --rounds
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: option '--rounds' needs an argument"
	run --separate-stderr "$SYNCDAX_BENCH" persist -r 2 "$T"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "syncdax-bench: --rounds applies to the fault benchmark only"
}

@test "bench persist -q: file-based methods run, mapping-based ones are skipped" {
	run --separate-stderr "$SYNCDAX_BENCH" persist -q "$T"
	assert_success
	for m in msync fdatasync dsync; do
		assert_line --regexp "^$m +200 +[0-9.]+ +[0-9.]+ +[0-9.]+ "
	done
	assert_line --regexp "^mapsync +skipped: MAP_SYNC refused: "
	assert_line --regexp "^flag +skipped: cannot set the sync-fault flag: "
	assert_equal "$(ls -A "$T")" ""
}

@test "bench persist --json has the documented fields" {
	run --separate-stderr "$SYNCDAX_BENCH" persist -q -J -n 50 -s 7 "$T"
	assert_success
	local j=$output
	jq -e '.benchmark == "persist" and .count == 50 and .update_size == 64 and .file_size == 4194304
		and .seed == 7 and .quick == true and has("flag_vs_msync") and .flag_vs_msync == null
		and (has("filesystem") and has("mount_dax") and has("blockdev") and has("cpu_flush") and has("version") and has("dir"))' <<<"$j"
	jq -e '[.methods[].name] == ["msync","fdatasync","dsync","mapsync","flag"]' <<<"$j"
	jq -e '[.methods[] | keys] | unique == [["avg_us","journal_commits","name","ops_per_sec","ratio_to_flag","reason","seconds","status","updates"]]' <<<"$j"
	jq -e '.load.cpus > 0 and (.load.loadavg_after | type == "number")' <<<"$j"
	jq -e '[.methods[0,1,2]] | all(.status == "ok" and .updates == 50 and .ops_per_sec > 0 and .seconds > 0 and .avg_us > 0 and .ratio_to_flag == null)' <<<"$j"
	jq -e '[.methods[3,4]] | all(.status == "skipped" and (.reason | length > 0) and .updates == 0 and .ops_per_sec == null)' <<<"$j"
}

@test "bench progress goes to stderr only with --progress when stderr is no terminal" {
	run --separate-stderr "$SYNCDAX_BENCH" persist -q --cases msync "$T"
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr "$SYNCDAX_BENCH" persist -q --progress --cases 'msync,flag' "$T"
	assert_success
	assert_equal "${stderr_lines[0]}" "syncdax-bench persist: [1/2] msync"
	assert_equal "${stderr_lines[1]}" "syncdax-bench persist: [2/2] flag"
	assert_equal "${stderr_lines[2]}" "syncdax-bench persist: done"
	run --separate-stderr "$SYNCDAX_BENCH" persist -q --progress --no-progress --cases msync "$T"
	assert_success
	assert_equal "$stderr" ""
}

@test "bench leaves the directory as it found it" {
	touch "$T/keep"
	run "$SYNCDAX_BENCH" fault -q --cases '*-plain-4k' "$T"
	assert_success
	assert_equal "$(ls -A "$T")" "keep"
}

# ---- tests/bench: the load record, the report, publishing ----

BENCH=$SYNCDAX_TOP/tests/bench

# A fake /proc in $FAKE_PROC: LOAD1, and the cpu line's busy ticks.
# Processes: 100 the own QEMU (its command line names /state/own),
# 300 a "timeout" wrapper whose command line names QEMU (not a QEMU).
fake_proc() {
	FAKE_PROC=$BATS_TEST_TMPDIR/proc
	mkdir -p "$FAKE_PROC/100" "$FAKE_PROC/300"
	echo "$1 0.40 0.30 1/100 1234" > "$FAKE_PROC/loadavg"
	printf 'processor\t: 0\nmodel name\t: x\nprocessor\t: 1\n' > "$FAKE_PROC/cpuinfo"
	echo "cpu  $2 0 0 5000 10 0 0 0 0 0" > "$FAKE_PROC/stat"
	echo qemu-system-x86 > "$FAKE_PROC/100/comm"
	printf 'qemu-system-x86_64\0-object\0mem-path=/state/own/pmem0.img\0' > "$FAKE_PROC/100/cmdline"
	echo "100 (qemu-system-x86) S 1 1 1 0 -1 0 0 0 0 0 70 30 0 0" > "$FAKE_PROC/100/stat"
	echo timeout > "$FAKE_PROC/300/comm"
	printf 'timeout\0qemu-system-x86_64\0' > "$FAKE_PROC/300/cmdline"
	echo "300 (timeout) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0" > "$FAKE_PROC/300/stat"
	export SYNCDAX_BENCH_PROC=$FAKE_PROC
}

# Another QEMU as process 200 of the fake /proc.
fake_other_qemu() {
	mkdir -p "$FAKE_PROC/200"
	echo qemu-system-x86 > "$FAKE_PROC/200/comm"
	printf 'qemu-system-x86_64\0-object\0mem-path=/elsewhere/pmem0.img\0' > "$FAKE_PROC/200/cmdline"
	echo "200 (qemu system) S 1 1 1 0 -1 0 0 0 0 0 500 500 0 0" > "$FAKE_PROC/200/stat"
}

@test "load-monitor sample: load, CPUs, other QEMUs and the own QEMU's ticks from /proc" {
	fake_proc 0.25 1000
	run --separate-stderr "$BENCH/load-monitor" sample /state/own
	assert_success
	assert_output --regexp '^[0-9]+ 0.25 2 0 1000 100$'
	fake_other_qemu
	run --separate-stderr "$BENCH/load-monitor" sample /state/own
	assert_success
	assert_output --regexp '^[0-9]+ 0.25 2 1 1000 100$'
}

@test "load-monitor settle: returns at once on an idle host, fails saying why on a loaded one" {
	fake_proc 0.25 1000
	run --separate-stderr "$BENCH/load-monitor" settle 0
	assert_success
	assert_equal "$stderr" ""
	fake_proc 1.50 1000
	run --separate-stderr "$BENCH/load-monitor" settle 0
	assert_failure 1
	assert_equal "$stderr" "load-monitor: the load average is still 1.50, more than 1 (CPUs - 1)"
	run --separate-stderr "$BENCH/load-monitor" settle soon
	assert_failure 2
	assert_equal "$stderr" "load-monitor: settle: 'soon' is not a number of seconds"
}

@test "load-monitor verdict: an idle host is an uncontended run" {
	printf '1000 0.30 2 0 5000 0\n1010 0.90 2 0 6500 1000\n' > "$BATS_TEST_TMPDIR/s"
	SYNCDAX_BENCH_CLK_TCK=100 run --separate-stderr "$BENCH/load-monitor" verdict "$BATS_TEST_TMPDIR/s"
	assert_success
	jq -e '.contended == false and .reasons == [] and .cpus == 2 and .samples == 2 and .seconds == 10
		and .loadavg_before == 0.3 and .loadavg_after == 0.9 and .other_qemus_max == 0 and .others_cpus == 0.5' <<<"$output"
}

@test "load-monitor verdict: another QEMU, a loaded host before, or busy others make a run contended" {
	local s=$BATS_TEST_TMPDIR/s
	export SYNCDAX_BENCH_CLK_TCK=100
	printf '1000 0.30 2 0 5000 0\n1010 0.50 2 1 5100 50\n' > "$s"
	run --separate-stderr "$BENCH/load-monitor" verdict "$s"
	assert_success
	jq -e '.contended and .reasons == ["1 other QEMU process(es) ran during the run"]' <<<"$output"
	printf '1000 1.50 2 0 5000 0\n1010 0.50 2 0 5100 50\n' > "$s"
	run --separate-stderr "$BENCH/load-monitor" verdict "$s"
	assert_success
	jq -e '.contended and .reasons == ["the load average before the run was 1.50, more than 1 (CPUs - 1)"]' <<<"$output"
	# 10 s, 3000 busy ticks, 500 of them the own guest's: others used 2.5 CPUs
	printf '1000 0.20 2 0 5000 0\n1010 3.00 2 0 8000 500\n' > "$s"
	run --separate-stderr "$BENCH/load-monitor" verdict "$s"
	assert_success
	jq -e '.contended and .others_cpus == 2.5 and .reasons == ["other processes used 2.50 CPUs on average during the run, more than 1 (CPUs - 1)"]' <<<"$output"
}

@test "load-monitor verdict: the own guest's CPU time counts across its restarts" {
	# guest 1 uses 800 ticks and exits, guest 2 starts from 0 and uses 900;
	# all 1700 busy ticks were the guests': the others used nothing
	printf '1000 0.10 2 0 5000 0\n1008 1.00 2 0 5800 800\n1010 1.00 2 0 5800 0\n1019 1.50 2 0 6700 900\n1020 1.50 2 0 6700 0\n' > "$BATS_TEST_TMPDIR/s"
	SYNCDAX_BENCH_CLK_TCK=100 run --separate-stderr "$BENCH/load-monitor" verdict "$BATS_TEST_TMPDIR/s"
	assert_success
	jq -e '.contended == false and .others_cpus == 0 and .seconds == 20 and .samples == 5' <<<"$output"
}

@test "load-monitor: bad input and usage fail with status 2 and say why" {
	run --separate-stderr "$BENCH/load-monitor" verdict "$BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_equal "$stderr" "load-monitor: $BATS_TEST_TMPDIR/none: no samples"
	echo "1000 0.3 2" > "$BATS_TEST_TMPDIR/bad"
	run --separate-stderr "$BENCH/load-monitor" verdict "$BATS_TEST_TMPDIR/bad"
	assert_failure 2
	assert_equal "$stderr" "load-monitor: $BATS_TEST_TMPDIR/bad:1: not a sample"
	run --separate-stderr "$BENCH/load-monitor" frob
	assert_failure 2
	assert_equal "$stderr" "load-monitor: usage: load-monitor sample|watch|verdict|settle ... (see the comment at the top)"
	run --separate-stderr "$BENCH/load-monitor" watch "$BATS_TEST_TMPDIR/w" /state/own 0
	assert_failure 2
	assert_equal "$stderr" "load-monitor: watch: '0' is not a number of seconds"
	SYNCDAX_BENCH_PROC=$BATS_TEST_TMPDIR/noproc run --separate-stderr "$BENCH/load-monitor" sample /state/own
	assert_failure 2
	assert_equal "$stderr" "load-monitor: $BATS_TEST_TMPDIR/noproc/loadavg: cannot read"
}

# What run-bench leaves in OUT, from host runs of syncdax-bench, with a
# load record that is contended (true) or not (false); quick: -q runs.
make_run_dir() {
	local out=$1 contended=$2 quick=${3:-} m
	for m in default fast-commit; do
		mkdir -p "$out/$m"
		"$SYNCDAX_BENCH" fault -J --samples ${quick:+-q} -n 4 --huge-count 1 -r 2 \
			--cases '*-plain-4k,*-flag-4k,sparse-plain-4k-prepared' "$T" > "$out/$m/fault.json" || return 1
		"$SYNCDAX_BENCH" persist -J -n 10 --cases 'msync,flag' "$T" > "$out/$m/persist.json" || return 1
		echo 6.12.0-test > "$out/$m/kernel-release"
		echo "has_journal extent" > "$out/$m/fs-features"
	done
	if [ "$contended" = true ]; then
		echo '{"cpus": 2, "samples": 3, "seconds": 20, "loadavg_before": 3.1, "loadavg_after": 2.0, "loadavg_max": 3.1, "other_qemus_max": 1, "others_cpus": 1.5, "contended": true, "reasons": ["1 other QEMU process(es) ran during the run"]}' > "$out/load.json"
	else
		echo '{"cpus": 2, "samples": 3, "seconds": 20, "loadavg_before": 0.1, "loadavg_after": 1.0, "loadavg_max": 1.0, "other_qemus_max": 0, "others_cpus": 0.1, "contended": false, "reasons": []}' > "$out/load.json"
	fi
}

@test "bench-report: the first lines say whether the run was contended; both journal modes; the limits of TCG" {
	local out=$BATS_TEST_TMPDIR/out
	make_run_dir "$out" true
	echo ram > "$out/backing"
	run --separate-stderr "$BENCH/bench-report" "$out"
	assert_success
	assert_line "- The NVDIMMs' backing files are in host RAM (a tmpfs), allocated when QEMU"
	assert_line --index 0 "# syncdax benchmark report"
	assert_line --index 1 "> **Contended run: the figures are not comparable with an idle machine's.**"
	assert_line --index 2 "> - 1 other QEMU process(es) ran during the run"
	assert_line "## Fault latency, default ext4"
	assert_line "## Fault latency, ext4 with fast_commit"
	assert_line "## What this guest cannot measure"
	assert_output --partial "CLWB, CLFLUSHOPT and SFENCE cost nothing"
	assert_output --partial "keeps every store"
	assert_output --partial "QEMU TCG"
	assert_line --regexp '^\| default ext4 \| hole \(sparse file\), 4 KiB first touch, flag p50 / plain p50 \| – \| ≤ 1.5 \| n/a \|$'
	assert_line --regexp '^\| ext4 with fast_commit \| hole \(sparse file\), 4 KiB first touch, flag p50 / plain p50 \| – \| ≤ 1.2 \| n/a \|$'
	assert_line --regexp '^\| sparse-plain-4k \| ok \| 8 \| [0-9.]+ \| [0-9.]+ \|'
	assert_line --regexp '^\| sparse-plain-4k-prepared \| ok \| 8 \|.* \| [0-9.]+ \|$'
	assert_line "4 faults per 4 KiB case and 1 per 2 MiB case in each of 2 round(s), reported together;"
	# fast_commit false is "false", not "unknown" (jq's // takes false for null)
	jq '.fast_commit = false' "$out/default/fault.json" > "$out/f.json"
	mv "$out/f.json" "$out/default/fault.json"
	run --separate-stderr "$BENCH/bench-report" "$out" default
	assert_success
	assert_line --regexp '^directory .*, fast_commit false, cpu flush '
	make_run_dir "$out" false
	run --separate-stderr "$BENCH/bench-report" "$out" default
	assert_success
	assert_line --index 1 --partial "> **Uncontended run**"
	refute_output --partial "fast_commit |"
}

@test "bench-report: a missing result fails naming the file" {
	local out=$BATS_TEST_TMPDIR/out
	make_run_dir "$out" false
	rm "$out/fast-commit/persist.json"
	run --separate-stderr "$BENCH/bench-report" "$out"
	assert_failure 1
	assert_equal "$stderr" "bench-report: $out/fast-commit/persist.json: missing or not JSON"
}

@test "publish-bench refuses a contended run, says why, and leaves the docs alone" {
	local out=$BATS_TEST_TMPDIR/out docs=$BATS_TEST_TMPDIR/docs
	make_run_dir "$out" true
	"$BENCH/bench-report" "$out" > "$out/report.md"
	mkdir -p "$docs"
	echo old > "$docs/report.md"
	run --separate-stderr "$BENCH/publish-bench" "$out" "$docs"
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "publish-bench: not publishing $out to $docs: the run was contended (1 other QEMU process(es) ran during the run); run 'make bench' again on an idle machine"
	assert_equal "$(cat "$docs/report.md")" old
	rm "$out/load.json"
	run --separate-stderr "$BENCH/publish-bench" "$out" "$docs"
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "publish-bench: not publishing $out to $docs: $out/load.json: no load record, so the run cannot be shown to be uncontended"
	assert_equal "$(cat "$docs/report.md")" old
}

@test "publish-bench refuses a quick run, and publishes an uncontended full one" {
	local out=$BATS_TEST_TMPDIR/out docs=$BATS_TEST_TMPDIR/docs
	make_run_dir "$out" false quick
	"$BENCH/bench-report" "$out" > "$out/report.md"
	mkdir -p "$docs"
	echo old > "$docs/report.md"
	echo old > "$docs/report-fast-commit.md"
	run --separate-stderr "$BENCH/publish-bench" "$out" "$docs"
	assert_failure 1
	assert_equal "${stderr_lines[0]}" "publish-bench: not publishing $out to $docs: $out/default/fault.json: a quick run (smoke test), not a measurement"
	assert_equal "$(cat "$docs/report.md")" old
	make_run_dir "$out" false
	"$BENCH/bench-report" "$out" > "$out/report.md"
	echo png > "$out/fault-latency.png"
	run --separate-stderr "$BENCH/publish-bench" "$out" "$docs"
	assert_success
	cmp "$out/report.md" "$docs/report.md"
	cmp "$out/fault-latency.png" "$docs/fault-latency.png"
	assert_file_not_exists "$docs/report-fast-commit.md"
}

@test "run-bench --no-vm: report and figures in the output, a contended run is not published" {
	local out=$BATS_TEST_TMPDIR/out docs=$BATS_TEST_TMPDIR/docs
	make_run_dir "$out" true
	mkdir -p "$docs"
	echo old > "$docs/report.md"
	run --separate-stderr "$BENCH/run-bench" --no-vm --out "$out" --publish "$docs"
	assert_failure 1
	assert_file_exists "$out/report.md"
	assert_file_exists "$out/fault-latency.png"
	assert_file_exists "$out/fault-latency-fast-commit.png"
	assert_line --index 1 "> **Contended run: the figures are not comparable with an idle machine's.**"
	assert_equal "$(cat "$docs/report.md")" old
	[[ $stderr == *"publish-bench: not publishing $out to $docs: the run was contended"* ]]
}

@test "run-bench: bad arguments are usage errors" {
	run --separate-stderr "$BENCH/run-bench" --mode frob
	assert_failure 2
	assert_equal "$stderr" "run-bench: --mode: 'frob' is not default or fast-commit"
	run --separate-stderr "$BENCH/run-bench" --timeout x --no-vm
	assert_failure 2
	assert_equal "$stderr" "run-bench: --timeout needs seconds, not 'x'"
	run --separate-stderr "$BENCH/run-bench" --bogus
	assert_failure 2
	assert_equal "$stderr" "run-bench: unknown argument '--bogus' (see --help)"
	run --separate-stderr "$BENCH/run-bench" --backing nvme
	assert_failure 2
	assert_equal "$stderr" "run-bench: --backing: 'nvme' is not ram or disk"
}

@test "run-bench --backing ram: refuses a directory that is not a tmpfs, or one too small, before booting" {
	# /proc is never a tmpfs
	SYNCDAX_BENCH_RAM_DIR=/proc run --separate-stderr "$BENCH/run-bench" --backing ram --out "$T/o"
	assert_failure 2
	assert_equal "$stderr" "run-bench: /proc: not a tmpfs, so not RAM (mount one, set SYNCDAX_BENCH_RAM_DIR, or use --backing disk)"
	assert_not_exist "$T/o/backing"
	[ "$(id -u)" = 0 ] || skip "mounting a small tmpfs needs root"
	mkdir "$T/small"
	mount -t tmpfs -o size=1m syncdax-test "$T/small"
	SYNCDAX_BENCH_RAM_DIR=$T/small run --separate-stderr "$BENCH/run-bench" --out "$T/o"
	umount "$T/small"
	assert_failure 2
	assert_equal "$stderr" "run-bench: $T/small: 1024 KiB free, the guest needs 1835008 KiB (or use --backing disk)"
	assert_not_exist "$T/o/backing"
}

@test "run-baseline: bad arguments are usage errors; --compare-only without the runs fails naming what is missing" {
	run --separate-stderr "$BENCH/run-baseline" --bogus
	assert_failure 2
	assert_equal "$stderr" "run-baseline: unknown argument '--bogus'"
	run --separate-stderr "$BENCH/run-baseline" --out
	assert_failure 2
	assert_equal "$stderr" "run-baseline: --out needs a directory"
	run --separate-stderr "$BENCH/run-baseline" --boots 0
	assert_failure 2
	assert_equal "$stderr" "run-baseline: --boots: '0' is not a number from 1 to 99"
	run --separate-stderr "$BENCH/run-baseline" --compare-only --out "$T/bl"
	assert_failure 1
	assert_equal "$stderr" "baseline-compare: $T/bl/unpatched: no runs of the unpatched kernel (No such file or directory)"
	make_run_dir "$T/bl/unpatched/boot1" false
	make_run_dir "$T/bl/patched/boot1" false
	rm "$T/bl/patched/boot1/default/fault.json"
	run --separate-stderr "$BENCH/run-baseline" --compare-only --out "$T/bl"
	assert_failure 1
	assert_equal "$stderr" "baseline-compare: $T/bl/patched/boot1/default/fault.json: no fault benchmark of mode default"
	assert_not_exist "$T/bl/compare.md"
}

# set_p50 FILE CASE P50: one case's p50 in a fault.json
set_p50() {
	jq --arg c "$2" --argjson v "$3" '(.cases[] | select(.name == $c) | .p50_us) = $v' "$1" > "$1.new"
	mv "$1.new" "$1"
}

@test "run-baseline --compare-only: per-boot p50s of both kernels, judged against the same-kernel spread" {
	local k b
	for k in unpatched patched; do
		for b in 1 2; do
			make_run_dir "$T/bl/$k/boot$b" false
			echo "/k/$k/bzImage" > "$T/bl/$k/boot$b/kernel-image"
			echo ram > "$T/bl/$k/boot$b/backing"
		done
	done
	echo "unpatched/boot1 patched/boot1 patched/boot2 unpatched/boot2" > "$T/bl/order"
	# sparse-plain-4k: twice as slow on the patched kernel, boots within 5%
	set_p50 "$T/bl/unpatched/boot1/default/fault.json" sparse-plain-4k 200
	set_p50 "$T/bl/unpatched/boot2/default/fault.json" sparse-plain-4k 210
	set_p50 "$T/bl/patched/boot1/default/fault.json" sparse-plain-4k 400
	set_p50 "$T/bl/patched/boot2/default/fault.json" sparse-plain-4k 410
	# prealloc-plain-4k: boots of the unpatched kernel 20% apart, the
	# patched kernel's median 2% below: within noise
	set_p50 "$T/bl/unpatched/boot1/default/fault.json" prealloc-plain-4k 100
	set_p50 "$T/bl/unpatched/boot2/default/fault.json" prealloc-plain-4k 120
	set_p50 "$T/bl/patched/boot1/default/fault.json" prealloc-plain-4k 105
	set_p50 "$T/bl/patched/boot2/default/fault.json" prealloc-plain-4k 110
	run --separate-stderr "$BENCH/run-baseline" --compare-only --out "$T/bl" --mode default
	assert_failure 1
	assert_line "2 boots of each kernel, one after the other, in this order: unpatched/boot1, patched/boot1, patched/boot2, unpatched/boot2."
	assert_line "NVDIMM backing files: ram (ram: a tmpfs, preallocated; disk: sparse files in the cache directory)."
	assert_line "- patched boot 2: uncontended"
	assert_line "Kernels: \`6.12.0-test\` (unpatched, /k/unpatched/bzImage)"
	assert_line "| sparse-plain-4k | 200 / 210 | 400 / 410 | 1.976 | 1.05 | **no** |"
	assert_line "| prealloc-plain-4k | 100 / 120 | 105 / 110 | 0.977 | 1.2 | yes |"
	assert_line --regexp '^[0-9]+ of [0-9]+ plain cases within noise; the largest same-kernel spread is [0-9.]+ \([a-z0-9-]+\)\.$'
	assert_file_exist "$T/bl/compare.md"
	# one boot per kernel gives no spread, so no verdict at all
	rm -r "$T/bl/unpatched/boot2" "$T/bl/patched/boot2"
	run --separate-stderr "$BENCH/run-baseline" --compare-only --out "$T/bl" --mode default
	assert_failure 1
	assert_line "With one boot per kernel there is no spread, so no verdict."
	assert_line "| prealloc-plain-4k | 100 | 105 | 1.05 | – | no verdict |"
}

@test "run-bench --cases: passed to the guest, and never published" {
	run --separate-stderr "$BENCH/run-bench" --cases
	assert_failure 2
	assert_equal "$stderr" "run-bench: --cases needs a list"
	run --separate-stderr "$BENCH/run-bench" --cases '*-plain-*' --publish "$T/docs" --no-vm --out "$T/o"
	assert_failure 2
	assert_equal "$stderr" "run-bench: --cases: a run of some cases is not published (no --publish)"
	assert_not_exist "$T/docs"
}
