#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# insn-check.sh OBJECT... - the built persistence code contains the cache
# flush and fence instructions, decoded from the bytes objdump shows (not
# from its mnemonics), in the functions that execute them:
#   sdxi_flush   CLWB       66 [REX] 0f ae /6, memory operand
#                CLFLUSHOPT 66 [REX] 0f ae /7, memory operand
#                CLFLUSH       [REX] 0f ae /7, memory operand
#   sdx_drain    SFENCE        0f ae f8
#   sdx_persist  calls sdxi_flush and sdx_drain (or has their instructions
#                inline), and calls msync
# and no test hook (sdxi_test_*) is in it.  OBJECT is persist.o or the
# shared library; both keep these symbols in .symtab.  TEST_HOOKS_OK=1
# accepts a test build (the mutation check uses this on its mutants).
set -uo pipefail
[ $# -gt 0 ] || { echo "usage: insn-check.sh OBJECT..." >&2; exit 2; }
rc=0
for obj in "$@"; do
	if ! dis=$(objdump -d -w -r "$obj" 2>&1); then
		echo "$obj: objdump failed: $dis"
		rc=1
		continue
	fi
	if [ "${TEST_HOOKS_OK:-0}" != 1 ] && nm "$obj" | grep -q 'sdxi_test_'; then
		echo "$obj: contains test hooks (sdxi_test_*): not a shipped build"
		rc=1
	fi
	# One line per function and what it contains: "FUNC INSN..."
	found=$(awk '
	function hex(s) { return index("0123456789abcdef", substr(s, 1, 1)) * 16 - 16 + index("0123456789abcdef", substr(s, 2, 1)) - 1 }
	/^[0-9a-f]+ <[^>]+>:$/ {
		fn = $2; gsub(/[<>:]/, "", fn); seen[fn] = 1; next
	}
	fn == "" { next }
	/^ *[0-9a-f]+:\t/ {
		np = split($0, part, "\t")
		nb = split(part[2], b, " ")
		i = 1; p66 = 0
		while (i <= nb && b[i] ~ /^(66|f2|f3|2e|3e|26|64|65|36|f0|67)$/) {
			if (b[i] == "66") p66 = 1
			i++
		}
		if (i <= nb && b[i] ~ /^4[0-9a-f]$/) i++	# REX
		if (i + 2 <= nb && b[i] == "0f" && b[i + 1] == "ae") {
			m = hex(b[i + 2]); mod = int(m / 64); reg = int(m / 8) % 8
			if (mod != 3 && reg == 6 && p66) has[fn, "CLWB"] = 1
			if (mod != 3 && reg == 7 && p66) has[fn, "CLFLUSHOPT"] = 1
			if (mod != 3 && reg == 7 && !p66) has[fn, "CLFLUSH"] = 1
			if (m == 248 && i == 1) has[fn, "SFENCE"] = 1
		}
		# calls: "call ... <sym>" or "<sym@plt>" (linked), or a relocation (object)
		if (part[3] ~ /^call/) {
			t = part[3]
			if (match(t, /<[^>+@]+/)) has[fn, "call:" substr(t, RSTART + 1, RLENGTH - 1)] = 1
			if (np >= 5 && match(part[5], /[A-Za-z_][A-Za-z0-9_]*/))
				has[fn, "call:" substr(part[5], RSTART, RLENGTH)] = 1
		}
	}
	END {
		for (k in has) { split(k, kk, SUBSEP); list[kk[1]] = list[kk[1]] " " kk[2] }
		for (f in seen) print f list[f]
	}' <<< "$dis")
	has() {	# has FUNC WORD: FUNC contains WORD
		grep -qE "^$1( .*)? $2( |\$)" <<< "$found"
	}
	need() {	# need FUNC WHAT WORD [OR-WORD...]
		local fn=$1 what=$2 w
		shift 2
		grep -qE "^$fn( |\$)" <<< "$found" || { echo "$obj: no function $fn (stripped?)"; rc=1; return; }
		for w in "$@"; do
			if has "$fn" "$w"; then
				echo "$obj: $fn: $what ($w)"
				return
			fi
		done
		echo "$obj: $fn: MISSING $what"
		rc=1
	}
	need sdxi_flush "CLWB, memory operand" CLWB
	need sdxi_flush "CLFLUSHOPT, memory operand" CLFLUSHOPT
	need sdxi_flush "CLFLUSH, memory operand" CLFLUSH
	need sdx_drain "SFENCE" SFENCE
	need sdx_persist "flushes the range" call:sdxi_flush CLWB
	need sdx_persist "fences" call:sdx_drain SFENCE
	need sdx_persist "msync() for the fallback" call:msync
done
exit $rc
