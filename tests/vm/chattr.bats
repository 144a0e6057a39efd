#!/usr/bin/env bats
# chattr/lsattr with the syncdax patches (chattr-ext/): the 'Y'
# (Synchronous_Page_Faults) attribute, EXT4_SYNCFAULT_FL = 0x01000000 on
# disk, FS_SYNCFAULT_FL = 0x01000000 in FS_IOC_GETFLAGS (DESIGN.md §2).
#
# Runs inside the QEMU guest on the patched kernel, as root, with
#   $PMEM   ext4 on emulated pmem, mounted -o dax
#   $NODAX  ext4 without dax
#   $TMPFS  tmpfs
# Every test works in a scratch directory of its own and removes it.

if [[ -f "$BATS_TEST_DIRNAME/../helpers/vm-common.bash" ]]; then
	load "$BATS_TEST_DIRNAME/../helpers/vm-common"
else
	# Stand-in until tests/helpers/vm-common exists; it defines the same.
	load /usr/lib/bats/bats-support/load
	load /usr/lib/bats/bats-assert/load
	load /usr/lib/bats/bats-file/load
	: "${SYNCDAX_TOP:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
	: "${PMEM:=/mnt/pmem}"
	: "${NODAX:=/mnt/nodax}"
	: "${TMPFS:=/mnt/tmpfs}"
	: "${SYNCDAXCTL:=$SYNCDAX_TOP/cli/syncdaxctl}"
	: "${CHATTR:=$SYNCDAX_TOP/chattr-ext/build/chattr}"
	: "${LSATTR:=$SYNCDAX_TOP/chattr-ext/build/lsattr}"
	export SYNCDAX_TOP PMEM NODAX TMPFS SYNCDAXCTL CHATTR LSATTR
fi

# e2fsck to run on the unmounted pmem file system: the system's (the
# flag needs no e2fsck change), or another one given in $E2FSCK.
: "${E2FSCK:=e2fsck}"
: "${DEBUGFS:=debugfs}"

EXT4_SYNCFAULT_FL=0x01000000

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
	[[ -x $CHATTR && -x $LSATTR ]] ||
		fail "chattr-ext not built: $CHATTR, $LSATTR"
	mountpoint -q "$PMEM" || fail "$PMEM is not mounted"
	findmnt -n -o OPTIONS --target "$PMEM" | grep -q 'dax' ||
		fail "$PMEM is not mounted with -o dax"
	PMEM_DEV=$(pmem_dev)
	S=$(mktemp -d "$PMEM/chattr.XXXXXX")
	chmod 0755 "$S"
	CLEANUP=("$S")
	BIND=
}

teardown() {
	[[ -n ${BIND:-} ]] && umount "$BIND" 2>/dev/null
	[[ -n ${PMEM_DEV:-} ]] && remount_pmem
	local d
	for d in "${CLEANUP[@]}"; do
		[[ -d $d ]] && rm -rf -- "$d"
	done
	return 0
}

@test "chattr +Y on a file on DAX ext4 makes lsattr show Y" {
	touch "$S/f"
	refute_has_Y "$S/f"

	run "$CHATTR" +Y "$S/f"
	assert_success
	assert_output ''

	run "$LSATTR" "$S/f"
	assert_success
	assert_output --regexp "^[-a-zA-Z]+ $S/f\$"
	assert_has_Y "$S/f"
}

@test "lsattr -l names the flag Synchronous_Page_Faults" {
	touch "$S/f" "$S/g"
	"$CHATTR" +Y "$S/f"

	run "$LSATTR" -l "$S/f"
	assert_success
	assert_output --partial "Synchronous_Page_Faults"

	run "$LSATTR" -l "$S/g"
	assert_success
	refute_output --partial "Synchronous_Page_Faults"
}

@test "chattr -Y clears the flag and keeps the other flags" {
	touch "$S/f"
	"$CHATTR" +dY "$S/f"
	assert_has_Y "$S/f"

	run "$CHATTR" -Y "$S/f"
	assert_success
	refute_has_Y "$S/f"
	[[ $(letters "$S/f") == *d* ]] || fail "chattr -Y lost the d flag: $(attrs "$S/f")"
}

@test "chattr -Y on a file without the flag succeeds and changes nothing" {
	touch "$S/f"
	"$CHATTR" +d "$S/f"
	local before
	before=$(attrs "$S/f")

	run "$CHATTR" -Y "$S/f"
	assert_success
	assert_equal "$(attrs "$S/f")" "$before"
}

@test "chattr =Y replaces the other user flags" {
	touch "$S/f"
	"$CHATTR" +dA "$S/f"
	# 'e' (extents) cannot be cleared on ext4; keep it if the file has it.
	local e=
	[[ $(letters "$S/f") == *e* ]] && e=e

	run "$CHATTR" "=${e}Y" "$S/f"
	assert_success
	assert_equal "$(letters "$S/f")" "${e}Y"
}

@test "chattr -V +Y reports the new flags including Y" {
	touch "$S/f"
	run "$CHATTR" -V +Y "$S/f"
	assert_success
	assert_output --regexp "Flags of $S/f set as [-a-zA-Z]*Y"
}

@test "chattr +Y sets the flag on a directory" {
	mkdir "$S/d"
	run "$CHATTR" +Y "$S/d"
	assert_success
	assert_has_Y "$S/d"
}

@test "chattr -R +Y sets the flag on a whole tree" {
	mkdir -p "$S/t/a/b" "$S/t/c"
	touch "$S/t/f1" "$S/t/a/f2" "$S/t/a/b/f3" "$S/t/c/f4"
	touch "$S/outside"

	run "$CHATTR" -R +Y "$S/t"
	assert_success

	local p
	for p in t t/f1 t/a t/a/f2 t/a/b t/a/b/f3 t/c t/c/f4; do
		assert_has_Y "$S/$p"
	done
	refute_has_Y "$S/outside"
	refute_has_Y "$S"

	# lsattr -R lists every file of the tree with Y
	run "$LSATTR" -R "$S/t"
	assert_success
	assert_equal "$(grep -c '^[-a-zA-Z]*Y[-a-zA-Z]* ' <<<"$output")" 6
}

@test "chattr -R -Y clears the flag on a whole tree" {
	mkdir -p "$S/t/a"
	touch "$S/t/f1" "$S/t/a/f2"
	"$CHATTR" -R +Y "$S/t"
	assert_has_Y "$S/t/a/f2"

	run "$CHATTR" -R -Y "$S/t"
	assert_success
	local p
	for p in t t/f1 t/a t/a/f2; do
		refute_has_Y "$S/$p"
	done
}

@test "new files and directories inherit Y from their directory" {
	mkdir "$S/y" "$S/n"
	"$CHATTR" +Y "$S/y"

	touch "$S/y/file" "$S/n/file"
	mkdir "$S/y/sub" "$S/n/sub"
	touch "$S/y/sub/deeper"

	assert_has_Y "$S/y/file"
	assert_has_Y "$S/y/sub"
	assert_has_Y "$S/y/sub/deeper"
	refute_has_Y "$S/n/file"
	refute_has_Y "$S/n/sub"
}

@test "Y survives umount, is bit 0x01000000 on disk, e2fsck -fn finds nothing" {
	mkdir "$S/d"
	touch "$S/f" "$S/plain"
	echo data > "$S/d/g"
	"$CHATTR" +Y "$S/f" "$S/d" "$S/d/g"
	local rel=${S#"$PMEM"/}

	sync
	run umount "$PMEM"
	assert_success

	# the on-disk inode carries EXT4_SYNCFAULT_FL, and only where set
	local p fl
	for p in f d d/g; do
		fl=$(disk_flags "$PMEM_DEV" "$rel/$p")
		[[ -n $fl ]] || fail "debugfs could not stat $rel/$p on $PMEM_DEV"
		(( fl & EXT4_SYNCFAULT_FL )) ||
			fail "$p: on-disk flags $fl lack $EXT4_SYNCFAULT_FL"
	done
	fl=$(disk_flags "$PMEM_DEV" "$rel/plain")
	[[ -n $fl ]] || fail "debugfs could not stat $rel/plain on $PMEM_DEV"
	(( !(fl & EXT4_SYNCFAULT_FL) )) ||
		fail "plain: on-disk flags $fl have $EXT4_SYNCFAULT_FL"

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
	findmnt -n -o OPTIONS --target "$PMEM" | grep -q dax ||
		fail "$PMEM came back without dax"

	assert_has_Y "$S/f"
	assert_has_Y "$S/d"
	assert_has_Y "$S/d/g"
	refute_has_Y "$S/plain"
	assert_equal "$(cat "$S/d/g")" data
}

@test "e2fsck -fn on the unmounted file system leaves flagged inodes unchanged" {
	touch "$S/f"
	"$CHATTR" +Y "$S/f"
	local rel=${S#"$PMEM"/}
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
	mountpoint -q "$NODAX" || fail "$NODAX is not mounted"
	local n
	n=$(mktemp -d "$NODAX/chattr.XXXXXX")
	CLEANUP+=("$n")
	touch "$n/f"

	run "$CHATTR" +Y "$n/f"
	assert_success
	assert_has_Y "$n/f"

	run "$CHATTR" -Y "$n/f"
	assert_success
	refute_has_Y "$n/f"
}

@test "chattr +Y on tmpfs fails with a clear message and changes nothing" {
	mountpoint -q "$TMPFS" || fail "$TMPFS is not mounted"
	local t
	t=$(mktemp -d "$TMPFS/chattr.XXXXXX")
	CLEANUP+=("$t")
	touch "$t/f"
	local before
	before=$("$LSATTR" "$t/f" 2>&1)

	run "$CHATTR" +Y "$t/f"
	assert_failure
	assert_output --partial "while setting flags on $t/f"
	assert_output --regexp "Operation not supported|Inappropriate ioctl"

	assert_equal "$("$LSATTR" "$t/f" 2>&1)" "$before"
	refute_has_Y "$t/f"
}

@test "chattr +Y on a FIFO, a device node and a symlink is refused" {
	mkfifo "$S/fifo"
	mknod "$S/null" c 1 3
	touch "$S/target"
	ln -s target "$S/link"

	local p
	for p in fifo null link; do
		run "$CHATTR" +Y "$S/$p"
		assert_failure
		assert_output --partial "$S/$p"
	done
	# the symlink's target is not touched either
	refute_has_Y "$S/target"
}

@test "chattr +Y by a user who does not own the file fails with EPERM" {
	touch "$S/f"
	chmod 0644 "$S/f"
	install -m 0755 "$CHATTR" "$S/chattr"

	run setpriv --reuid=65534 --regid=65534 --clear-groups -- "$S/chattr" +Y "$S/f"
	assert_failure
	assert_output --partial "Operation not permitted"
	refute_has_Y "$S/f"
}

@test "the owner of a file may set and clear Y without privileges" {
	touch "$S/f"
	chown 65534:65534 "$S/f"
	install -m 0755 "$CHATTR" "$S/chattr"

	run setpriv --reuid=65534 --regid=65534 --clear-groups -- "$S/chattr" +Y "$S/f"
	assert_success
	assert_has_Y "$S/f"

	run setpriv --reuid=65534 --regid=65534 --clear-groups -- "$S/chattr" -Y "$S/f"
	assert_success
	refute_has_Y "$S/f"
}

@test "chattr +Y through a read-only mount fails with EROFS" {
	mkdir "$S/rw" "$S/ro"
	touch "$S/rw/f"
	mount --bind "$S/rw" "$S/ro"
	BIND=$S/ro
	mount -o remount,bind,ro "$S/ro"

	run "$CHATTR" +Y "$S/ro/f"
	assert_failure
	assert_output --partial "Read-only file system"
	refute_has_Y "$S/rw/f"
}

@test "lsattr shows Y in its own column after the existing flags" {
	touch "$S/f" "$S/g"
	"$CHATTR" +Y "$S/f"
	local a b
	a=$(attrs "$S/f")
	b=$(attrs "$S/g")
	assert_equal "${#a}" "${#b}"
	assert_equal "${a: -1}" Y
	assert_equal "${b: -1}" -
}
