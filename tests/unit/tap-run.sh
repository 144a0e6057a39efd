#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tap-run.sh - run libsyncdax's checks and print one TAP stream on stdout.
#
#   tap-run.sh suite TAG BINARY [WRAPPER...]   cmocka test binary
#   tap-run.sh cmd "DESCRIPTION" COMMAND...     any command; ok when it exits 0
#
# Lines are appended to the state file $TAP_STATE (test number, failures);
# "tap-run.sh finish" prints the plan and exits non-zero on any failure.
# Every test line is "ok N - ..." or "not ok N - ...", tagged [plain],
# [asan] or [valgrind] so the variants stay distinguishable.
set -u

state=${TAP_STATE:?TAP_STATE must name a state file}
[ -f "$state" ] || echo "0 0" > "$state"
read -r n fail < "$state"

emit() {	# emit STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}

comment() {	# prefix each line of a file with "# "
	sed -e 's/^/# /' "$1"
}

case "${1:-}" in
suite)
	tag=$2 bin=$3
	shift 3
	err=$(mktemp)
	# a hung test must not hang "make check": 10 minutes per binary at most
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 10 600 "$@" "$bin" 2> "$err")
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			emit 0 "[$tag] ${line#ok * - }" ;;
		"not ok "*" # SKIP "*)
			n=$((n + 1))
			echo "ok $n - [$tag] ${line##* # SKIP } # SKIP" ;;
		"not ok "*)
			emit 1 "[$tag] ${line#not ok * - }" ;;
		"1.."*|"")
			;;
		*)
			echo "# ${line#\# }" ;;
		esac
	done <<< "$out"
	if [ "$rc" -ne 0 ]; then
		comment "$err" | tail -n 60
	fi
	emit "$rc" "[$tag] $(basename "$bin") exits 0 (no crash, leak or sanitizer report)"
	rm -f "$err"
	;;
cmd)
	desc=$2
	shift 2
	log=$(mktemp)
	"$@" > "$log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		comment "$log" | tail -n 60
	fi
	emit "$rc" "$desc"
	rm -f "$log"
	;;
finish)
	echo "1..$n"
	echo "# $((n - fail)) passed, $fail failed"
	rm -f "$state"
	[ "$fail" -eq 0 ]
	exit
	;;
*)
	echo "usage: tap-run.sh suite|cmd|finish ..." >&2
	exit 2
	;;
esac
echo "$n $fail" > "$state"
exit 0
