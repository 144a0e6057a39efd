#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The --help texts and the JSON output agree with syncdaxctl(8) and
# syncdax-bench(8): every command, option and JSON field each tool has is
# documented in its page.

load host-common

setup() {
	require_binary
	make_scratch
	PAGE=$SYNCDAX_TOP/man/man8/syncdaxctl.8
	BENCH_PAGE=$SYNCDAX_TOP/man/man8/syncdax-bench.8
}

# An option as groff source writes it: --one-file-system -> \-\-one\-file\-system
groff_opt() {
	printf '%s' "${1//-/\\-}"
}

@test "every command in --help has an entry in syncdaxctl(8)" {
	run "$SYNCDAXCTL" --help
	assert_success
	local cmds
	cmds=$(awk '/^Commands:/{ on = 1; next } on && /^  [a-z]/{ print $1 } /^$/{ on = 0 }' <<<"$output")
	[[ -n $cmds ]]
	# the tags of the .TP paragraphs: the COMMANDS entries are among them
	local tags
	tags=$(awk '/^\.TP/{ getline; print }' "$PAGE")
	for c in $cmds; do
		grep -qE "^\.B(I|R)? \"?$c( |\"|$)" <<<"$tags" || fail "command $c not documented in $PAGE"
	done
}

@test "every option in each command's --help is documented in syncdaxctl(8)" {
	local opts o
	for c in enable disable status check help; do
		run "$SYNCDAXCTL" "$c" --help
		assert_success
		opts=$(grep -oE -- '--[a-z][a-z-]+' <<<"$output" | sort -u)
		for o in $opts; do
			grep -qF -- "$(groff_opt "$o")" "$PAGE" || fail "$c: option $o not documented in $PAGE"
		done
	done
}

@test "every short option in --help texts is documented with its long form" {
	local pairs p short long
	for c in enable disable status check; do
		run "$SYNCDAXCTL" "$c" --help
		assert_success
		pairs=$(grep -oE -- '-[A-Za-z], --[a-z-]+' <<<"$output")
		while read -r short long; do
			[[ -n $short ]] || continue
			short=${short%,}
			grep -qF -- ".BR $(groff_opt "$short") \", \" $(groff_opt "$long")" "$PAGE" ||
				fail "$c: $short, $long not documented together in $PAGE"
		done <<<"$pairs"
	done
}

@test "every key status --json and check --json print is documented in syncdaxctl(8)" {
	touch "$T/f"
	local keys k status_json
	# both fail on this host (a missing path; an unpatched kernel), and only so
	run --separate-stderr "$SYNCDAXCTL" status -J "$T/f" "$T/missing"
	assert_failure 1
	status_json=$output
	run --separate-stderr "$SYNCDAXCTL" check -J "$T"
	assert_failure 1
	keys=$(printf '%s\n%s\n' "$status_json" "$output" | jq -r '.. | objects | keys[]' | sort -u)
	[[ -n $keys ]]
	for k in $keys; do
		grep -qE "^\.BR? .*\b$k\b" "$PAGE" || fail "JSON key $k not documented in $PAGE"
	done
}

@test "every why_not code is documented in syncdaxctl(8)" {
	for k in no_kernel fs_unsupported flag_clear not_dax mount_not_dax dev_not_dax dev_not_sync unknown; do
		grep -qxF ".B $k" "$PAGE" || fail "why_not code $k not documented"
	done
	# and the tool prints only those
	touch "$T/f"
	run "$SYNCDAXCTL" status -J "$T/f"
	assert_success
	jq -e 'all(.[0].why_not[]; IN("no_kernel","fs_unsupported","flag_clear","not_dax","mount_not_dax","dev_not_dax","dev_not_sync","unknown"))' <<<"$output"
}

@test "every option in syncdax-bench --help is documented in syncdax-bench(8)" {
	local opts o

	require_bench_binary
	run "$SYNCDAX_BENCH" --help
	assert_success
	opts=$(grep -oE -- '--[a-z][a-z-]+' <<<"$output" | sort -u)
	[[ -n $opts ]]
	for o in $opts; do
		grep -qF -- "$(groff_opt "$o")" "$BENCH_PAGE" || fail "option $o not documented in $BENCH_PAGE"
	done
}

@test "syncdaxctl(8) documents no bench command; it points to syncdax-bench(8)" {
	run grep -nE '^\.B(R|I)? "?syncdaxctl bench' "$PAGE"
	assert_failure 1
	run grep -c 'syncdax\\-bench (8)\|syncdax-bench (8)' "$PAGE"
	assert_success
}
