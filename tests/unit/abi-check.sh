#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# abi-check.sh LIBSYNCDAX - the names of the ABI agree: the shared library
# has SONAME libsyncdax.so.1; the functions declared in include/syncdax.h,
# the names the version script (src/libsyncdax.map) lists and the
# symbols the library exports are one set; each is exported, as its
# default version, at the node the version script puts it in (SYNCDAX_1.0,
# SYNCDAX_1.1, ...); the version script exports nothing by pattern.
# (The types and signatures: make -C libsyncdax abi-check, abidiff against
# the baseline.)
set -eu
lib=$1
so=$lib/src/libsyncdax.so.1
map=$lib/src/libsyncdax.map
readelf -d "$so" | grep -q 'SONAME.*\[libsyncdax\.so\.1\]' ||
	{ echo "SONAME is not libsyncdax.so.1"; exit 1; }

declared=$(sed -n 's/^[a-z].*[ *]\(sdx_[a-z_0-9]*\)(.*/\1/p' "$lib/include/syncdax.h" | sort)

# "NAME@@NODE" for each name in a global: list of the version script
# (comments removed: perl is essential in Debian), and the pattern entries (anything but an identifier)
listed=$(perl -0777 -pe 's{/\*.*?\*/}{}gs' "$map" | awk '
	/^[ \t]*[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ { node = $1; sub(/\{.*/, "", node); scope = ""; next }
	/global:/ { scope = "global"; next }
	/local:/ { scope = "local"; next }
	/\}/ { scope = ""; next }
	scope == "global" {
		gsub(/[ \t;]/, "")
		if ($0 == "") next
		if ($0 !~ /^[A-Za-z_][A-Za-z0-9_]*$/) print "PATTERN " $0
		else print $0 "@@" node
	}' | sort)
if grep -q '^PATTERN ' <<<"$listed"; then
	echo "the version script exports by pattern:"
	grep '^PATTERN ' <<<"$listed"
	exit 1
fi
nodes=$(sed 's/.*@@//' <<<"$listed" | sort -u)
if grep -qvE '^SYNCDAX_1\.[0-9]+$' <<<"$nodes"; then
	echo "version nodes not named SYNCDAX_1.N:" $nodes
	exit 1
fi

exported=$(nm -D --defined-only "$so" | awk '$2 != "A" { print $3 }' | sort)

status=0
if [ "$declared" != "$(sed 's/@@.*//' <<<"$listed")" ]; then
	echo "declared in syncdax.h (<) vs listed in libsyncdax.map (>):"
	diff <(echo "$declared") <(sed 's/@@.*//' <<<"$listed") || true
	status=1
fi
if [ "$listed" != "$exported" ]; then
	echo "listed in libsyncdax.map (<) vs exported by the library (>):"
	diff <(echo "$listed") <(echo "$exported") || true
	status=1
fi
[ $status -eq 0 ] || exit 1
echo "$(echo "$declared" | wc -l) functions declared, listed and exported at" $nodes
