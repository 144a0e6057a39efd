#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The bash completions of syncdaxctl and syncdax-bench complete commands,
# each command's options (the same as its --help lists) and paths.

load host-common

setup() {
	require_binary
	make_scratch
	source "$SYNCDAX_TOP/cli/bash-completion/syncdaxctl"
	source "$SYNCDAX_TOP/bench/bash-completion/syncdax-bench"
}

# complete WORD...: the completions of the last word, sorted, one line
complete_words() {
	COMP_WORDS=(syncdaxctl "$@")
	COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	COMPREPLY=()
	_syncdaxctl
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

# complete_bench WORD...: the same for syncdax-bench
complete_bench() {
	COMP_WORDS=(syncdax-bench "$@")
	COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	COMPREPLY=()
	_syncdax_bench
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}

@test "completes the commands" {
	assert_equal "$(complete_words "")" "check disable enable help status "
	assert_equal "$(complete_words "st")" "status "
}

@test "completes the global options" {
	assert_equal "$(complete_words "--")" "--help --version "
}

@test "completes exactly the long options each command's --help lists" {
	local c want
	for c in enable disable status check; do
		want=$("$SYNCDAXCTL" "$c" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | tr '\n' ' ')
		assert_equal "$(complete_words "$c" "--")" "$want"
	done
}

@test "completes paths after a command and its options" {
	touch "$T/file-one"
	mkdir "$T/dir-two"
	assert_equal "$(complete_words enable -R "$T/f")" "$T/file-one "
	assert_equal "$(complete_words status "$T/d")" "$T/dir-two "
}

@test "syncdax-bench completes the benchmark, then directories; an option's argument is neither" {
	mkdir "$T/dir-two"
	touch "$T/file-one"
	assert_equal "$(complete_bench "")" "fault persist "
	assert_equal "$(complete_bench -r 2 "")" "fault persist "
	assert_equal "$(complete_bench fault --cases 'sparse-*' "$T/")" "$T/dir-two "
	# no words: complete_bench prints an empty line, " "
	assert_equal "$(complete_bench fault -n "")" " "
	assert_equal "$(complete_bench persist --seed "")" " "
}

@test "syncdax-bench completes exactly the long options its --help lists" {
	local want

	require_bench_binary
	want=$("$SYNCDAX_BENCH" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | tr '\n' ' ')
	assert_equal "$(complete_bench "--")" "$want"
}

@test "help completes the commands it can explain" {
	assert_equal "$(complete_words help "")" "check disable enable status "
}
