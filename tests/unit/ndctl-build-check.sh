#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# ndctl-build-check.sh LIBSYNCDAX WORKDIR - the libndctl choice is the
# build's and syncdax.pc says which: a copy of the library built with
# WITH_NDCTL=no needs no libndctl and its .pc requires "mount" only; with
# WITH_NDCTL=yes (where pkg-config finds libndctl) it links libndctl and
# says so; any other value is refused.
set -eu
# Not the caller's make variables (LIBSYNCDAX=, TOP= of "make check"):
# the copy must build itself, never the tree it came from.
unset MAKEFLAGS MFLAGS MAKEFILES MAKELEVEL
lib=$1
work=$2
rm -rf "$work"
mkdir -p "$work/libsyncdax"
cp -r "$lib/Makefile" "$lib/include" "$lib/syncdax.pc.in" "$work/libsyncdax/"
mkdir "$work/libsyncdax/src"
cp "$lib"/src/*.c "$lib"/src/*.h "$lib/src/libsyncdax.map" "$work/libsyncdax/src/"
cp "$lib/../VERSION" "$work/VERSION"
so=$(make --no-print-directory -s -C "$work/libsyncdax" -p -n all 2>/dev/null |
	sed -n 's/^SHLIB := //p' | head -n 1)

build() {	# WITH_NDCTL value; prints Requires.private and the NEEDED libndctl
	rm -f "$work"/libsyncdax/src/*.o "$work"/libsyncdax/src/libsyncdax.so* \
		"$work/libsyncdax/syncdax.pc"
	make --no-print-directory -s -C "$work/libsyncdax" WITH_NDCTL="$1" "$so" syncdax.pc >/dev/null
	sed -n 's/^Requires.private: //p' "$work/libsyncdax/syncdax.pc"
	readelf -d "$work/libsyncdax/$so" | grep -c 'NEEDED.*libndctl' || true
}

out=$(build no)
if [ "$out" != "$(printf 'mount\n0')" ]; then
	echo "WITH_NDCTL=no: Requires.private and libndctl NEEDED count:"; echo "$out"; exit 1
fi
if pkg-config --exists libndctl; then
	out=$(build yes)
	if [ "$out" != "$(printf 'mount libndctl\n1')" ]; then
		echo "WITH_NDCTL=yes: Requires.private and libndctl NEEDED count:"; echo "$out"; exit 1
	fi
fi
if make --no-print-directory -s -C "$work/libsyncdax" WITH_NDCTL=maybe syncdax.pc >/dev/null 2>&1; then
	echo "WITH_NDCTL=maybe was accepted"; exit 1
fi
rm -rf "$work"
echo "WITH_NDCTL=no: Requires.private: mount, no libndctl; yes: mount libndctl"
