#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make install of cli/, bench/ and man/: honours DESTDIR and PREFIX,
# installs binaries without any rpath into the build tree, the bash
# completions and the manual pages.

load host-common

setup() {
	require_binary
	DEST=$BATS_TEST_TMPDIR/dest
}

@test "make -C cli install puts the binary and the completion under DESTDIR/PREFIX" {
	run make -s -C "$SYNCDAX_TOP/cli" install DESTDIR="$DEST" PREFIX=/usr
	assert_success
	assert_file_executable "$DEST/usr/bin/syncdaxctl"
	assert_file_exists "$DEST/usr/share/bash-completion/completions/syncdaxctl"
}

@test "the installed binary carries no rpath or runpath" {
	make -s -C "$SYNCDAX_TOP/cli" install DESTDIR="$DEST" PREFIX=/usr
	run readelf -d "$DEST/usr/bin/syncdaxctl"
	assert_success
	assert_line --partial "Shared library: [libsyncdax.so.1]"
	refute_line --partial "RPATH"
	refute_line --partial "RUNPATH"
}

@test "the installed binary works against the library found by the loader" {
	make -s -C "$SYNCDAX_TOP/cli" install DESTDIR="$DEST" PREFIX=/usr
	LD_LIBRARY_PATH=$SYNCDAX_TOP/libsyncdax/src run "$DEST/usr/bin/syncdaxctl" --version
	assert_success
	assert_output --partial "syncdaxctl $(cat "$SYNCDAX_TOP/VERSION")"
}

@test "make -C bench install puts syncdax-bench, without rpath, and its completion under DESTDIR/PREFIX" {
	require_bench_binary
	run make -s -C "$SYNCDAX_TOP/bench" install DESTDIR="$DEST" PREFIX=/usr
	assert_success
	assert_file_executable "$DEST/usr/bin/syncdax-bench"
	assert_file_exists "$DEST/usr/share/bash-completion/completions/syncdax-bench"
	run readelf -d "$DEST/usr/bin/syncdax-bench"
	assert_success
	assert_line --partial "Shared library: [libsyncdax.so.1]"
	refute_line --partial "RPATH"
	refute_line --partial "RUNPATH"
	LD_LIBRARY_PATH=$SYNCDAX_TOP/libsyncdax/src run "$DEST/usr/bin/syncdax-bench" --version
	assert_success
	assert_output --partial "syncdax-bench $(cat "$SYNCDAX_TOP/VERSION")"
}

@test "make -C man install puts each page in its section under DESTDIR/PREFIX" {
	run make -s -C "$SYNCDAX_TOP/man" install DESTDIR="$DEST" PREFIX=/usr
	assert_success
	assert_file_exists "$DEST/usr/share/man/man8/syncdaxctl.8"
	assert_file_exists "$DEST/usr/share/man/man8/syncdax-bench.8"
	assert_file_exists "$DEST/usr/share/man/man7/syncdax.7"
}

@test "make -C man check passes and prints one TAP line per page" {
	run make -s -C "$SYNCDAX_TOP/man" check
	assert_success
	assert_line --regexp "^ok [0-9]+ - groff: man/man7/syncdax.7$"
	assert_line --regexp "^ok [0-9]+ - groff: man/man8/syncdaxctl.8$"
	assert_line --regexp "^ok [0-9]+ - groff: man/man8/syncdax-bench.8$"
	refute_line --partial "not ok"
}
