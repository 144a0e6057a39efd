#!/usr/bin/env bats
# chattr/lsattr with the syncdax patches (chattr-ext/): the 'Y'
# (Synchronous_Page_Faults) attribute, EXT4_SYNCFAULT_FL = 0x01000000 on
# disk, FS_SYNCFAULT_FL = 0x01000000 in FS_IOC_GETFLAGS (DESIGN.md §2).
#
# Runs inside the QEMU guest on the patched kernel, as root, with
#   $PMEM   ext4 on emulated pmem, mounted -o dax
#   $NODAX  ext4 without dax
#   $TMPFS  tmpfs
# Every test works in scratch directories of its own (vm_scratch: $T on
# $PMEM, $N on $NODAX, $M on $TMPFS), removed afterwards.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

# e2fsck to run on the unmounted pmem file system: the system's (the
# flag needs no e2fsck change), or another one given in $E2FSCK.
: "${E2FSCK:=e2fsck}"
: "${DEBUGFS:=debugfs}"

# The short attribute letters lsattr prints for $1 (first field).
attrs() {
	local out
	out=$("$LSATTR" -d "$1") || return 1
	printf '%s\n' "${out%% *}"
}

assert_has_Y() {
	local a
	a=$(attrs "$1") || fail "lsattr failed on $1"
	[[ $a == *Y* ]] || fail "expected Y on $1, lsattr shows '$a'"
}

refute_has_Y() {
	local a
	a=$(attrs "$1") || fail "lsattr failed on $1"
	[[ $a != *Y* ]] || fail "expected no Y on $1, lsattr shows '$a'"
}

# Letters of $1 without '-', e.g. "eY".
letters() {
	local a
	a=$(attrs "$1") || return 1
	printf '%s\n' "${a//-/}"
}

# The i_flags word of the on-disk inode for path $2 (relative to the
# file system root) on unmounted device $1, from debugfs.
disk_flags() {
	"$DEBUGFS" -R "stat /$2" "$1" 2>/dev/null |
		sed -n 's/.*Flags: \(0x[0-9a-f]*\).*/\1/p'
}

pmem_dev() {
	findmnt -n -o SOURCE --target "$PMEM"
}

remount_pmem() {
	mountpoint -q "$PMEM" && return 0
	mount -o dax "$PMEM_DEV" "$PMEM"
}

setup() {
	require_guest
	[[ -x $CHATTR && -x $LSATTR ]] ||
		fail "chattr-ext not built: $CHATTR, $LSATTR (make -C chattr-ext)"
	findmnt -n -o OPTIONS --target "$PMEM" | grep -Eq '(^|,)dax(=always)?(,|$)' ||
		fail "$PMEM is not mounted with -o dax"
	PMEM_DEV=$(pmem_dev)
	BIND=
	vm_scratch	# $T on $PMEM, $N on $NODAX, $M on $TMPFS
}

teardown() {
	[[ -n ${BIND:-} ]] && umount "$BIND" 2>/dev/null
	[[ -n ${PMEM_DEV:-} ]] && remount_pmem
	vm_cleanup
}

@test "chattr +Y on a file on DAX ext4 makes lsattr show Y" {
	touch "$T/f"
	refute_has_Y "$T/f"

	run "$CHATTR" +Y "$T/f"
	assert_success
	assert_output ''

	run "$LSATTR" "$T/f"
	assert_success
	assert_output --regexp "^[-a-zA-Z]+ $T/f\$"
	assert_has_Y "$T/f"
}

@test "lsattr -l names the flag Synchronous_Page_Faults" {
	touch "$T/f" "$T/g"
	"$CHATTR" +Y "$T/f"

	run "$LSATTR" -l "$T/f"
	assert_success
	assert_output --partial "Synchronous_Page_Faults"

	run "$LSATTR" -l "$T/g"
	assert_success
	refute_output --partial "Synchronous_Page_Faults"
}

@test "chattr -Y clears the flag and keeps the other flags" {
	touch "$T/f"
	"$CHATTR" +dY "$T/f"
	assert_has_Y "$T/f"

	run "$CHATTR" -Y "$T/f"
	assert_success
	refute_has_Y "$T/f"
	[[ $(letters "$T/f") == *d* ]] || fail "chattr -Y lost the d flag: $(attrs "$T/f")"
}

@test "chattr -Y on a file without the flag succeeds and changes nothing" {
	touch "$T/f"
	"$CHATTR" +d "$T/f"
	local before
	before=$(attrs "$T/f")

	run "$CHATTR" -Y "$T/f"
	assert_success
	assert_equal "$(attrs "$T/f")" "$before"
}

@test "chattr =eY sets exactly Y (and the e that ext4 keeps), dropping other flags" {
	touch "$T/f"
	"$CHATTR" +dA "$T/f"
	# 'e' (extents) cannot be cleared on ext4; keep it if the file has it.
	local e=
	[[ $(letters "$T/f") == *e* ]] && e=e

	run "$CHATTR" "=${e}Y" "$T/f"
	assert_success
	assert_equal "$(letters "$T/f")" "${e}Y"
}

@test "chattr -V +Y reports the new flags including Y" {
	touch "$T/f"
	run "$CHATTR" -V +Y "$T/f"
	assert_success
	assert_output --regexp "Flags of $T/f set as [-a-zA-Z]*Y"
}

@test "chattr +Y sets the flag on a directory" {
	mkdir "$T/d"
	run "$CHATTR" +Y "$T/d"
	assert_success
	assert_has_Y "$T/d"
}

@test "chattr -R +Y sets the flag on a whole tree" {
	mkdir -p "$T/t/a/b" "$T/t/c"
	touch "$T/t/f1" "$T/t/a/f2" "$T/t/a/b/f3" "$T/t/c/f4"
	touch "$T/outside"

	run "$CHATTR" -R +Y "$T/t"
	assert_success

	local p
	for p in t t/f1 t/a t/a/f2 t/a/b t/a/b/f3 t/c t/c/f4; do
		assert_has_Y "$T/$p"
	done
	refute_has_Y "$T/outside"
	refute_has_Y "$T"

	# lsattr -R lists the 7 entries below t (a, b, c, f1..f4), all with Y
	run "$LSATTR" -R "$T/t"
	assert_success
	assert_equal "$(grep -c '^[-a-zA-Z]*Y[-a-zA-Z]* ' <<<"$output")" 7
	assert_equal "$(grep -c '^[-a-zA-Z]* ' <<<"$output")" 7
}

@test "chattr -R -Y clears the flag on a whole tree" {
	mkdir -p "$T/t/a"
	touch "$T/t/f1" "$T/t/a/f2"
	"$CHATTR" -R +Y "$T/t"
	assert_has_Y "$T/t/a/f2"

	run "$CHATTR" -R -Y "$T/t"
	assert_success
	local p
	for p in t t/f1 t/a t/a/f2; do
		refute_has_Y "$T/$p"
	done
}

@test "new files and directories inherit Y from their directory" {
	mkdir "$T/y" "$T/n"
	"$CHATTR" +Y "$T/y"

	touch "$T/y/file" "$T/n/file"
	mkdir "$T/y/sub" "$T/n/sub"
	touch "$T/y/sub/deeper"

	assert_has_Y "$T/y/file"
	assert_has_Y "$T/y/sub"
	assert_has_Y "$T/y/sub/deeper"
	refute_has_Y "$T/n/file"
	refute_has_Y "$T/n/sub"
}

@test "Y survives umount, is bit 0x01000000 on disk, e2fsck -fn finds nothing" {
	mkdir "$T/d"
	touch "$T/f" "$T/plain"
	echo data > "$T/d/g"
	"$CHATTR" +Y "$T/f" "$T/d" "$T/d/g"
	local rel=${T#"$PMEM"/}

	sync
	run umount "$PMEM"
	assert_success

	# the on-disk inode carries EXT4_SYNCFAULT_FL, and only where set
	local p fl
	for p in f d d/g; do
		fl=$(disk_flags "$PMEM_DEV" "$rel/$p")
		[[ -n $fl ]] || fail "debugfs could not stat $rel/$p on $PMEM_DEV"
		(( fl & FS_SYNCFAULT_FL )) ||
			fail "$p: on-disk flags $fl lack $FS_SYNCFAULT_FL"
	done
	fl=$(disk_flags "$PMEM_DEV" "$rel/plain")
	[[ -n $fl ]] || fail "debugfs could not stat $rel/plain on $PMEM_DEV"
	(( !(fl & FS_SYNCFAULT_FL) )) ||
		fail "plain: on-disk flags $fl have $FS_SYNCFAULT_FL"

	# e2fsck -fn: exit 0 means nothing to fix, and it must not
	# mention the flagged inodes at all
	local before
	before=$(disk_flags "$PMEM_DEV" "$rel/d/g")
	run "$E2FSCK" -fn "$PMEM_DEV"
	assert_success
	refute_output --partial "Fix?"
	refute_output --regexp "[Ii]nvalid|[Ii]llegal|[Cc]lear"
	assert_equal "$(disk_flags "$PMEM_DEV" "$rel/d/g")" "$before"

	run mount -o dax "$PMEM_DEV" "$PMEM"
	assert_success
	findmnt -n -o OPTIONS --target "$PMEM" | grep -Eq '(^|,)dax(=always)?(,|$)' ||
		fail "$PMEM came back without dax"

	assert_has_Y "$T/f"
	assert_has_Y "$T/d"
	assert_has_Y "$T/d/g"
	refute_has_Y "$T/plain"
	assert_equal "$(cat "$T/d/g")" data
}

@test "e2fsck -fn on the unmounted file system leaves flagged inodes unchanged" {
	touch "$T/f"
	"$CHATTR" +Y "$T/f"
	local rel=${T#"$PMEM"/}
	sync
	umount "$PMEM"

	local before after
	before=$("$DEBUGFS" -R "stat /$rel/f" "$PMEM_DEV" 2>/dev/null |
		grep -E '^(Inode|Flags|Generation|User|Size|Links)' | tr -s ' ')
	[[ $before == *Flags:* ]] || fail "debugfs could not stat $rel/f"

	run "$E2FSCK" -fn "$PMEM_DEV"
	assert_success

	after=$("$DEBUGFS" -R "stat /$rel/f" "$PMEM_DEV" 2>/dev/null |
		grep -E '^(Inode|Flags|Generation|User|Size|Links)' | tr -s ' ')
	assert_equal "$after" "$before"
}

@test "chattr +Y on non-DAX ext4 stores the flag (it is persistent, DAX or not)" {
	touch "$N/f"

	run "$CHATTR" +Y "$N/f"
	assert_success
	assert_has_Y "$N/f"

	run "$CHATTR" -Y "$N/f"
	assert_success
	refute_has_Y "$N/f"
}

@test "chattr +Y on tmpfs fails with a clear message and changes nothing" {
	touch "$M/f"
	local before
	before=$("$LSATTR" "$M/f" 2>&1)

	run "$CHATTR" +Y "$M/f"
	assert_failure
	assert_output --partial "Operation not supported while setting flags on $M/f"
	assert_output --partial "the kernel or the file system of $M/f does not support the 'Y' attribute"

	assert_equal "$("$LSATTR" "$M/f" 2>&1)" "$before"
	refute_has_Y "$M/f"
}

@test "chattr +Y on a FIFO, a device node and a symlink is refused" {
	mkfifo "$T/fifo"
	mknod "$T/null" c 1 3
	touch "$T/target"
	ln -s target "$T/link"

	local p
	for p in fifo null link; do
		run "$CHATTR" +Y "$T/$p"
		assert_failure
		assert_output --partial "$T/$p"
	done
	# the symlink's target is not touched either
	refute_has_Y "$T/target"
}

@test "chattr +Y by a user who does not own the file fails with EPERM" {
	touch "$T/f"
	chmod 0644 "$T/f"
	install -m 0755 "$CHATTR" "$T/chattr"
	as_nobody test -r "$T/f" ||
		fail "user 65534 cannot reach $T/f: check the modes of $PMEM and above"

	run as_nobody "$T/chattr" +Y "$T/f"
	assert_failure
	assert_output --partial "Operation not permitted"
	refute_has_Y "$T/f"
}

@test "the owner of a file may set and clear Y without privileges" {
	touch "$T/f"
	chown 65534:65534 "$T/f"
	install -m 0755 "$CHATTR" "$T/chattr"
	as_nobody test -r "$T/f" ||
		fail "user 65534 cannot reach $T/f: check the modes of $PMEM and above"

	run as_nobody "$T/chattr" +Y "$T/f"
	assert_success
	assert_has_Y "$T/f"

	run as_nobody "$T/chattr" -Y "$T/f"
	assert_success
	refute_has_Y "$T/f"
}

@test "chattr +Y through a read-only mount fails with EROFS" {
	mkdir "$T/rw" "$T/ro"
	touch "$T/rw/f"
	mount --bind "$T/rw" "$T/ro"
	BIND=$T/ro
	mount -o remount,bind,ro "$T/ro"

	run "$CHATTR" +Y "$T/ro/f"
	assert_failure
	assert_output --partial "Read-only file system"
	refute_has_Y "$T/rw/f"
}

@test "lsattr shows Y in its own column after the existing flags" {
	touch "$T/f" "$T/g"
	"$CHATTR" +Y "$T/f"
	local a b
	a=$(attrs "$T/f")
	b=$(attrs "$T/g")
	assert_equal "${#a}" "${#b}"
	assert_equal "${a: -1}" Y
	assert_equal "${b: -1}" -
}
