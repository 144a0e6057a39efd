#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The kernel interface numbers (DESIGN.md section 2, contract v2) live in
# one header per language: libsyncdax/src/uapi-syncfault.h for C,
# tests/helpers/uapi.bash for shell. These tests fail when the two
# disagree, when anything else defines them, and when the numbers of
# contract v1 (the ext4 ioctl type with nr 45 and 46, fsxattr bit 17)
# come back. kernel/patches is the kernel engineer's and docs/ is
# history: both are left out.

load host-common

UAPI_H=$SYNCDAX_TOP/libsyncdax/src/uapi-syncfault.h
UAPI_BASH=$SYNCDAX_TOP/tests/helpers/uapi.bash

# Build a program printing what uapi-syncfault.h defines, once per file.
setup_file() {
	UAPI_PROG=$BATS_FILE_TMPDIR/uapi-values
	cat > "$UAPI_PROG.c" <<'EOF'
#include <stdio.h>
#include "uapi-syncfault.h"

#define U(x)	((unsigned int)(x))

static void show(const char *name, unsigned int cmd)
{
	printf("%s type=%#x nr=%u dir=%u size=%u\n", name, U(_IOC_TYPE(cmd)),
	       U(_IOC_NR(cmd)), U(_IOC_DIR(cmd)), U(_IOC_SIZE(cmd)));
}

int main(void)
{
	printf("FS_SYNCFAULT_FL=%#010x\n", U(FS_SYNCFAULT_FL));
	printf("FS_XFLAG_SYNCFAULT=%#010x\n", U(FS_XFLAG_SYNCFAULT));
	show("GET", U(FS_IOC_GETSYNCFAULT));
	show("SET", U(FS_IOC_SETSYNCFAULT));
	printf("read=%u write=%u struct=%zu\n", U(_IOC_READ), U(_IOC_WRITE),
	       sizeof(struct fs_syncfault));
	return 0;
}
EOF
	${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$SYNCDAX_TOP/libsyncdax/src" \
		-o "$UAPI_PROG" "$UAPI_PROG.c"
	export UAPI_PROG
}

# What uapi.bash defines, NAME=0x%08x per line, in a clean shell.
bash_values() {
	env -i bash -c '
		before=$(compgen -v | sort)
		source "$1" || exit 1
		for v in $(comm -13 <(echo "$before") <(compgen -v | sort)); do
			[[ $v =~ ^(before|PIPESTATUS|_|BASH_.*)$ ]] && continue
			printf "%s=%#010x\n" "$v" "${!v}"
		done' bash "$UAPI_BASH"
}

# Every file of the tree (tracked or not, not ignored) but kernel/patches
# and docs/, NUL-separated.
tree_files() {
	git -C "$SYNCDAX_TOP" ls-files -z --cached --others --exclude-standard \
		-- . ':!:kernel/patches/**' ':!:docs/**'
}

# file:line:text of every line of the tree matching the regex $1.
grep_tree() {
	(cd "$SYNCDAX_TOP" && tree_files | xargs -0 grep -IinE -- "$1" || true)
}

@test "uapi.bash and uapi-syncfault.h agree on FS_SYNCFAULT_FL and FS_XFLAG_SYNCFAULT" {
	run --separate-stderr "$UAPI_PROG"
	assert_success
	local from_c
	from_c=$(grep -E '^FS_(SYNCFAULT_FL|XFLAG_SYNCFAULT)=' <<<"$output" | sort)
	run --separate-stderr bash_values
	assert_success
	assert_equal "$output" "$from_c"
	# and both say what the contract says
	assert_equal "$from_c" "$(printf '%s=%s\n' FS_SYNCFAULT_FL 0x01000000 FS_XFLAG_SYNCFAULT 0x00100000)"
}

@test "uapi.bash defines only FS_SYNCFAULT_FL and FS_XFLAG_SYNCFAULT" {
	run --separate-stderr bash_values
	assert_success
	assert_equal "$(cut -d= -f1 <<<"$output" | tr '\n' ' ')" "FS_SYNCFAULT_FL FS_XFLAG_SYNCFAULT "
}

@test "the ioctls are _IOR(0x15, 8) and _IOW(0x15, 9) of struct fs_syncfault (24 bytes)" {
	run --separate-stderr "$UAPI_PROG"
	assert_success
	local rw
	rw=$(sed -n 's/^read=\([0-9]*\) write=\([0-9]*\) struct=24$/\1 \2/p' <<<"$output")
	assert [ -n "$rw" ]
	assert_line "GET type=0x15 nr=8 dir=${rw% *} size=24"
	assert_line "SET type=0x15 nr=9 dir=${rw#* } size=24"
}

@test "the tree is a git work tree, so the scans below see every file" {
	run git -C "$SYNCDAX_TOP" rev-parse --is-inside-work-tree
	assert_success
	assert_output true
	run --separate-stderr grep_tree 'FS_IOC_GETSYNCFAULT'
	assert_success
	assert_output --partial "libsyncdax/src/uapi-syncfault.h:"
}

@test "nothing outside kernel/patches and docs/ names the v1 ioctl numbers or fsxattr bit" {
	# v1: ioctl type 'f' (ext4's: nr 45 and 46 are its
	# EXT4_IOC_GET/SET_TUNE_SB_PARAM upstream) and fsxattr bit 17
	# (FS_XFLAG_VERITY in pending VFS work); also as raw ioctl numbers.
	# Contract v3 gives 0x00020000 to the ext4 ro_compat feature
	# sync_fault: lines that name it (or write it into a test's super
	# block) are not the fsxattr bit.
	run --separate-stderr grep_tree "'f',? *4[56]([^0-9]|\$)|0x0*20000([^0-9a-f]|\$)|[48]018662[de]"
	assert_success
	local left
	left=$(grep -vE 'RO_COMPAT_SYNC_FAULT|ro_compat|feature sync_fault|write_super\(' <<<"$output" || true)
	assert_equal "$left" ""
}

@test "no C file but uapi-syncfault.h defines a sync-fault number" {
	run --separate-stderr grep_tree '^[[:space:]]*#[[:space:]]*define[[:space:]]+(FS_IOC_[GS]ETSYNCFAULT|FS_XFLAG_SYNCFAULT|FS_SYNCFAULT_FL|EXT4_SYNCFAULT_FL|FS_SYNCFAULT_(ON|STATE_[A-Z]+))\b'
	assert_success
	assert_equal "$(grep -v '^libsyncdax/src/uapi-syncfault\.h:' <<<"$output")" ""
	assert_output --partial "libsyncdax/src/uapi-syncfault.h:"
}

@test "no shell file but uapi.bash assigns a sync-fault number" {
	run --separate-stderr grep_tree '^[[:space:]]*(export[[:space:]]+|local[[:space:]]+|readonly[[:space:]]+)?(FS_SYNCFAULT_FL|FS_XFLAG_SYNCFAULT|EXT4_SYNCFAULT_FL)='
	assert_success
	assert_equal "$(grep -v '^tests/helpers/uapi\.bash:' <<<"$output")" ""
	assert_output --partial "tests/helpers/uapi.bash:"
}
