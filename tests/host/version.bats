#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One version number: the top-level VERSION file.  The library's header
# macros, sdx_version(), syncdax.pc, syncdaxctl --version and every man
# page's .TH line say the same; the SONAME and the shared object's file
# name follow the ABI (libsyncdax.so.1, libsyncdax/Makefile's ABI_*).

load host-common

setup() {
	require_binary
	VERSION=$(cat "$SYNCDAX_TOP/VERSION")
	LIB=$SYNCDAX_TOP/libsyncdax
}

@test "VERSION is major.minor.patch" {
	[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "the header's SDX_VERSION_MAJOR/MINOR/PATCH are VERSION" {
	local h=$LIB/include/syncdax.h maj min pat
	maj=$(sed -n 's/^#define SDX_VERSION_MAJOR[[:space:]]*\([0-9]*\)$/\1/p' "$h")
	min=$(sed -n 's/^#define SDX_VERSION_MINOR[[:space:]]*\([0-9]*\)$/\1/p' "$h")
	pat=$(sed -n 's/^#define SDX_VERSION_PATCH[[:space:]]*\([0-9]*\)$/\1/p' "$h")
	assert_equal "$maj.$min.$pat" "$VERSION"
}

@test "sdx_version() (through syncdaxctl --version) is VERSION" {
	run "$SYNCDAXCTL" --version
	assert_success
	assert_output "syncdaxctl $VERSION (libsyncdax $VERSION)"
}

@test "syncdax.pc has Version: VERSION" {
	run make -s -C "$LIB" syncdax.pc
	assert_success
	run grep -x "Version: $VERSION" "$LIB/syncdax.pc"
	assert_success
}

@test "the shared object is libsyncdax.so.1.ABI_REVISION.ABI_FIX of the Makefile, not named from VERSION, with SONAME libsyncdax.so.1" {
	local rev fix so
	rev=$(sed -n 's/^ABI_REVISION := \([0-9]*\)$/\1/p' "$LIB/Makefile")
	fix=$(sed -n 's/^ABI_FIX := \([0-9]*\)$/\1/p' "$LIB/Makefile")
	so=$LIB/src/libsyncdax.so.1.$rev.$fix
	assert_file_exists "$so"
	assert_equal "$(readlink -f "$LIB/src/libsyncdax.so.1")" "$(readlink -f "$so")"
	run readelf -d "$so"
	assert_success
	assert_line --partial "Library soname: [libsyncdax.so.1]"
}

@test "every man page's .TH line names VERSION" {
	local page th bad=
	for page in "$SYNCDAX_TOP"/man/man[378]/*.[378]; do
		th=$(grep -m1 '^\.TH' "$page") || continue	# .so links have none
		[[ $th == *" $VERSION\" "* ]] || bad+="$page: $th"$'\n'
	done
	assert_equal "$bad" ""
}

@test "a header that disagrees with VERSION does not build" {
	local tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree/libsyncdax"
	cp -r "$LIB/src" "$LIB/include" "$LIB/Makefile" "$LIB/syncdax.pc.in" "$tree/libsyncdax/"
	rm -f "$tree"/libsyncdax/src/*.o
	echo 9.9.9 > "$tree/VERSION"
	run make -s -C "$tree/libsyncdax" src/version.o
	assert_failure
	assert_output --partial "disagree with the VERSION file"
}
