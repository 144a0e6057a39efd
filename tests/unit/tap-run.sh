#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tap-run.sh - run libsyncdax's checks and print one TAP stream on stdout,
# one line per distinct test.
#
#   tap-run.sh run TAG BINARY [WRAPPER...]   run a cmocka binary once (one
#                                            variant: plain, asan, ...) and
#                                            keep its results
#   tap-run.sh cases                         one TAP line per cmocka case of
#                                            the binaries run so far
#   tap-run.sh cmd [-v] "DESCRIPTION" COMMAND...
#                                            one TAP line: ok when COMMAND
#                                            exits 0, a skip when it exits
#                                            77 (its last line the reason);
#                                            its output is shown when it
#                                            fails (-v: always)
#   tap-run.sh finish                        the plan and the totals; exits
#                                            non-zero when a test failed
#
# A cmocka case is one test, however many variants ran it: it passes when
# it passed in every run, fails (once) when it failed in any, and is a skip
# when every run skipped it.  A run that crashed, leaked or reported a
# sanitizer or valgrind error beyond its failed cases, or that did not
# report every case, adds exactly one "not ok" for its binary; the cases it
# did not report are not counted.  A comment line per binary says how each
# variant went.
#
# State lives in the directory $TAP_STATE (created on first use).
set -u

state=${TAP_STATE:?TAP_STATE must name a state directory}
mkdir -p "$state/runs"
[ -f "$state/count" ] || echo "0 0 0" > "$state/count"
read -r n fail skipped < "$state/count"

emit() {	# emit STATUS DESCRIPTION [SKIP-REASON]
	n=$((n + 1))
	if [ -n "${3:-}" ]; then
		echo "ok $n - $2 # SKIP $3"
		skipped=$((skipped + 1))
	elif [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}

comment() {	# prefix each line of stdin with "# "
	sed -e 's/^/# /'
}

# Exit codes that say "more than failed cases" (a cmocka binary exits with
# its number of failed cases): the Makefile sets ASan's to 97, UBSan's to
# 98 and valgrind's to 99; timeout's is 124.

# case_results FILE: "STATUS NAME" per case of a cmocka TAP output
case_results() {
	sed -n -e 's/^ok [0-9]* - \(.*\)$/ok \1/p' \
	       -e 's/^not ok [0-9]* # SKIP \(.*\)$/skip \1/p' \
	       -e '/ # SKIP /!s/^not ok [0-9]* - \(.*\)$/fail \1/p' "$1" |
		sed -e 's/ Could not run test: .*$//'
}

# diag FILE NAME: the comment lines cmocka printed after NAME failed
diag() {
	awk -v name="$2" '
		$0 ~ /^not ok [0-9]+ - / {
			sub(/^not ok [0-9]+ - /, ""); sub(/ Could not run test: .*$/, "")
			on = ($0 == name); next
		}
		/^ok / || /^not ok / { on = 0; next }
		on && /^#/ { print }' "$1"
}

aggregate() {
	local -a suites=() cases=() tags=()
	local -A seen=() status=()
	local s t c r rc nf ncases line why desc bad reasons detail
	while read -r s t; do
		[ -n "${seen[s:$s]:-}" ] || { seen[s:$s]=1; suites+=("$s"); }
	done < "$state/index"
	for s in "${suites[@]}"; do
		cases=() tags=() status=() bad=() reasons=
		while read -r r t; do
			[ "$r" = "$s" ] || continue
			tags+=("$t")
			while read -r st c; do
				[ -n "${seen[c:$s:$c]:-}" ] || { seen[c:$s:$c]=1; cases+=("$c"); }
				status[$t:$c]=$st
			done < <(case_results "$state/runs/$s.$t.out")
		done < "$state/index"
		# the runs that went wrong beyond their failed cases
		for t in "${tags[@]}"; do
			rc=$(cat "$state/runs/$s.$t.rc")
			nf=$(case_results "$state/runs/$s.$t.out" | grep -c '^fail ')
			ncases=$(case_results "$state/runs/$s.$t.out" | wc -l)
			why=
			if [ "$rc" -ne 0 ] && [ "$rc" -ne "$nf" ]; then
				case $rc in
				97) why="AddressSanitizer report" ;;
				98) why="UndefinedBehaviorSanitizer report" ;;
				99) why="valgrind error report" ;;
				124|137) why="timed out" ;;
				*) [ "$rc" -gt 128 ] && why="killed by signal $((rc - 128))" ;;
				esac
				why="exit status $rc${why:+: $why}"
			fi
			if [ "$ncases" -lt "${#cases[@]}" ] || [ "$ncases" -eq 0 ]; then
				why="${why:+$why, }reported $ncases of ${#cases[@]} cases"
			fi
			[ -z "$why" ] || { bad+=("$t"); reasons="${reasons:+$reasons; }$t: $why"; }
		done
		detail=
		for t in "${tags[@]}"; do
			line=$(case_results "$state/runs/$s.$t.out" | awk '
				{ c[$1]++ }
				END {
					printf "%d ok", c["ok"]
					if (c["fail"]) printf ", %d failed", c["fail"]
					if (c["skip"]) printf ", %d skipped", c["skip"]
				}')
			detail="${detail:+$detail; }$t: $line"
		done
		echo "# $s: ${#cases[@]} cases, ${#tags[@]} runs each ($detail)"
		for c in "${cases[@]}"; do
			local failed_in=() skipped_in=() missing_in=()
			for t in "${tags[@]}"; do
				case ${status[$t:$c]:-missing} in
				fail) failed_in+=("$t") ;;
				skip) skipped_in+=("$t") ;;
				missing) missing_in+=("$t") ;;
				esac
			done
			desc="$s: $c"
			if [ ${#failed_in[@]} -gt 0 ]; then
				emit 1 "$desc (failed: ${failed_in[*]})"
				for t in "${failed_in[@]}"; do
					echo "# [$t]"
					diag "$state/runs/$s.$t.out" "$c"
				done
			elif [ ${#missing_in[@]} -gt 0 ]; then
				echo "# $desc: not counted, did not run under ${missing_in[*]}"
			elif [ ${#skipped_in[@]} -eq ${#tags[@]} ]; then
				emit 0 "$desc" "skipped in every run"
			elif [ ${#skipped_in[@]} -gt 0 ]; then
				emit 0 "$desc (skipped under ${skipped_in[*]})"
			else
				emit 0 "$desc"
			fi
		done
		if [ ${#bad[@]} -gt 0 ]; then
			emit 1 "$s: a run crashed, leaked or reported errors ($reasons)"
			for t in "${bad[@]}"; do
				echo "# [$t] stderr:"
				tail -n 60 "$state/runs/$s.$t.err" | comment
			done
		fi
	done
	rm -f "$state/index" "$state"/runs/*
}

case "${1:-}" in
run)
	tag=$2 bin=$3
	shift 3
	s=$(basename "$bin")
	s=${s#test_}
	# line-buffered, so that a crash keeps the cases reported before it;
	# a hung test must not hang "make check": 10 minutes per binary at most
	CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 10 600 stdbuf -oL "$@" "$bin" \
		> "$state/runs/$s.$tag.out" 2> "$state/runs/$s.$tag.err"
	rc=$?
	echo "$rc" > "$state/runs/$s.$tag.rc"
	echo "$s $tag" >> "$state/index"
	[ "$rc" -eq 0 ] || echo "# [$tag] $s: exit status $rc"
	;;
cases)
	[ -f "$state/index" ] && aggregate
	;;
cmd)
	verbose=0
	[ "$2" = -v ] && { verbose=1; shift; }
	desc=$2
	shift 2
	log=$(mktemp)
	"$@" > "$log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ] || [ $verbose = 1 ]; then
		comment < "$log" | tail -n 60
	fi
	if [ "$rc" -eq 77 ]; then
		emit 0 "$desc" "$(tail -n 1 "$log")"
	else
		emit "$rc" "$desc"
	fi
	rm -f "$log"
	;;
finish)
	echo "1..$n"
	echo "# $((n - fail - skipped)) passed, $fail failed, $skipped skipped"
	rm -rf "$state"
	[ "$fail" -eq 0 ]
	exit
	;;
*)
	echo "usage: tap-run.sh run|cases|cmd|finish ..." >&2
	exit 2
	;;
esac
echo "$n $fail $skipped" > "$state/count"
exit 0
