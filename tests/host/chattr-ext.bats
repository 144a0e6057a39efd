#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# chattr-ext/fetch-source, with apt replaced by stubs on PATH: without a
# deb-src entry it fails and sends the user to scripts/install-deps; it
# never edits /etc/apt or runs apt-get itself then (that is install-deps'
# job, as root).

load host-common

setup() {
	make_scratch
	STUBS=$T/stubs
	mkdir -p "$STUBS"
	# apt-cache knows no source package; apt-get records any call.
	printf '#!/bin/sh\nexit 0\n' > "$STUBS/apt-cache"
	printf '#!/bin/sh\necho "apt-get $*" >> "%s/apt-get.calls"\nexit 0\n' "$T" > "$STUBS/apt-get"
	chmod +x "$STUBS/apt-cache" "$STUBS/apt-get"
}

@test "fetch-source without a deb-src entry fails and says to run scripts/install-deps as root" {
	local before
	before=$(ls -l --time-style=+%s.%N /etc/apt/sources.list.d 2>/dev/null | sha256sum)
	PATH=$STUBS:$PATH run --separate-stderr "$SYNCDAX_TOP/chattr-ext/fetch-source" "$T/src"
	assert_failure 1
	assert_output ""
	assert_equal "${stderr_lines[0]}" "fetch-source: apt knows no source package 'e2fsprogs': apt needs a deb-src entry for"
	assert_equal "${stderr_lines[2]}" "fetch-source: Run scripts/install-deps as root once (it adds both), then retry."
	assert_file_not_exists "$T/apt-get.calls"
	assert_file_not_exists "$T/src"
	assert_equal "$(ls -l --time-style=+%s.%N /etc/apt/sources.list.d 2>/dev/null | sha256sum)" "$before"
}
