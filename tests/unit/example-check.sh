#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# example-check.sh build|run|refuse LIBSYNCDAX STAGE OUT
#
# The example against the library installed under the DESTDIR staging tree
# STAGE, found only through pkg-config (PKG_CONFIG_PATH and
# PKG_CONFIG_SYSROOT_DIR point into STAGE); binary and data go to OUT.
set -eu
mode=$1 lib=$2 stage=$3 out=$4

pc=$(find "$stage" -name syncdax.pc -print -quit)
[ -n "$pc" ] || { echo "no syncdax.pc under $stage"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_SYSROOT_DIR=$stage
libdir=$(pkg-config --libs-only-L syncdax | sed -e 's/^ *-L//' -e 's/ *$//')
case $libdir in
"$stage"/*) ;;
*) echo "pkg-config libdir '$libdir' is not inside the staging tree $stage"; exit 1 ;;
esac

case $mode in
build)
	mkdir -p "$out"
	rm -f "$out/counter"
	make --no-print-directory -C "$lib/examples" OUT="$out"
	# it links the library by SONAME and finds it in the staging tree
	readelf -d "$out/counter" | grep -q 'NEEDED.*\[libsyncdax\.so\.1\]'
	LD_LIBRARY_PATH=$libdir ldd "$out/counter" | grep -q "libsyncdax.so.1 => $libdir/"
	;;
run)
	data=$out/counter.dat
	rm -f "$data"
	for want in 1 2 3; do
		got=$(LD_LIBRARY_PATH=$libdir "$out/counter" --allow-msync "$data")
		echo "$got"
		[ "$got" = "counter=$want mode=msync_fallback" ]
	done
	# the count is in the file itself, not only in the page cache view
	[ "$(od -An -t u8 -j 8 -N 8 "$data" | tr -d ' ')" = 3 ]
	rm -f "$data"
	;;
refuse)
	data=$out/counter-refuse.dat
	rm -f "$data"
	if LD_LIBRARY_PATH=$libdir "$out/counter" "$data" 2> "$out/err"; then
		echo "mapped a non-DAX file without --allow-msync"; exit 1
	fi
	cat "$out/err"
	grep -q "no synchronous-fault mapping possible" "$out/err"
	rm -f "$data" "$out/err"
	;;
*)
	echo "usage: example-check.sh build|run|refuse LIBSYNCDAX STAGE OUT"; exit 2 ;;
esac
