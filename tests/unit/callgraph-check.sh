#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# callgraph-check.sh LIBSYNCDAX - facts flow one way between the library's
# files (libsyncdax/README.md): from the objects' symbols, file A -> file B
# when A calls an sdx_/sdxi_ function B defines; tsort fails on a circle.
set -eu
src=$1/src
cd "$src"
defs=$(nm -A --defined-only ./*.o | awk '$3 ~ /^sdxi?_/ { split($1, a, ":"); sub(/^\.\//, "", a[1]); print $3, a[1] }')
edges=$(for o in ./*.o; do
	from=${o#./}
	nm "$o" | awk '$1 == "U" && $2 ~ /^sdxi?_/ { print $2 }' | while read -r sym; do
		to=$(echo "$defs" | awk -v s="$sym" '$1 == s { print $2 }')
		[ -n "$to" ] && [ "$to" != "$from" ] && echo "${from%.o} ${to%.o}"
	done
done | sort -u)
if [ -z "$edges" ]; then
	echo "no calls between files found: the check would prove nothing"
	exit 1
fi
if ! loop=$(echo "$edges" | tsort 2>&1 >/dev/null) || [ -n "$loop" ]; then
	echo "$loop"
	echo "calls between files:"
	echo "$edges"
	exit 1
fi
echo "$(echo "$edges" | wc -l) calls between files, no circle"
