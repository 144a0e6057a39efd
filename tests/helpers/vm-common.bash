# SPDX-License-Identifier: GPL-2.0
# Common setup for the bats suites that run inside the test guest
# (tests/vm/*.bats).  Load it with:
#   load "$BATS_TEST_DIRNAME/../helpers/vm-common"

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load /usr/lib/bats/bats-file/load

: "${SYNCDAX_TOP:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${PMEM:=/mnt/pmem}" "${NODAX:=/mnt/nodax}" "${TMPFS:=/mnt/tmpfs}"
export SYNCDAX_TOP PMEM NODAX TMPFS
export SYNCDAXCTL=$SYNCDAX_TOP/cli/syncdaxctl
export CHATTR=$SYNCDAX_TOP/chattr-ext/build/chattr
export LSATTR=$SYNCDAX_TOP/chattr-ext/build/lsattr
export SFTEST=$SYNCDAX_TOP/tests/helpers/build/sftest
export SFMAP=$SYNCDAX_TOP/tests/helpers/build/sfmap
export SFRACE=$SYNCDAX_TOP/tests/helpers/build/sfrace
export SFMMAPRACE=$SYNCDAX_TOP/tests/helpers/build/sfmmaprace
export TRACEFS=/sys/kernel/tracing
NOBODY=65534

# The kernel interface numbers (FS_SYNCFAULT_FL, FS_XFLAG_SYNCFAULT).
# shellcheck source=uapi.bash
. "$SYNCDAX_TOP/tests/helpers/uapi.bash"

# Refuse to run outside the guest: these tests reformat and remount.  On a
# developer's host that is a visible skip; inside the guest (whose setup
# then broke) and in CI it is a failure, never a silent skip.
in_guest() { [ "$(hostname)" = syncdax-guest ] && mountpoint -q "$PMEM"; }
require_guest() {
	in_guest && return 0
	if [ "$(hostname)" = syncdax-guest ] || [ "${CI:-}" = true ] ||
	   [ "${SYNCDAX_REQUIRE_GUEST:-0}" = 1 ]; then
		echo "the guest's file systems are not set up ($PMEM is not a mount point)"
		return 1
	fi
	skip "not inside the syncdax test guest (use tests/vm/run-suite)"
}

# Fail (not skip) a test whose helper program has not been built.
require_prog() {
	[ -x "$1" ] || { echo "$1: not built (${2:-make})"; return 1; }
}

# Run a command as an unprivileged user (nobody).
as_nobody() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@"; }

# A fresh scratch directory on each mount, removed by vm_cleanup.
vm_scratch() {
	local d
	for d in "$PMEM" "$NODAX" "$TMPFS"; do
		mkdir -p "$d/t"
	done
	T=$(mktemp -d "$PMEM/t/$(basename "$BATS_TEST_FILENAME" .bats).XXXXXX")
	N=$(mktemp -d "$NODAX/t/$(basename "$BATS_TEST_FILENAME" .bats).XXXXXX")
	M=$(mktemp -d "$TMPFS/t/$(basename "$BATS_TEST_FILENAME" .bats).XXXXXX")
	chmod 755 "$T" "$N" "$M"
	export T N M
}
vm_cleanup() {
	syncfault_window_reset
	# A mapping session a failed test left open.
	[ -z "${MAPSESSION_PID:-}" ] || kill "$MAPSESSION_PID" 2>/dev/null
	# Leave the mounts as the suite expects them, whatever a test did.
	mountpoint -q "$PMEM" && mount -o remount,rw "$PMEM" 2>/dev/null
	for d in "${T:-}" "${N:-}" "${M:-}"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		chattr -R -i -a "$d" 2>/dev/null
		rm -rf "$d"
	done
	return 0
}

# has_fast_commit DEV: whether the ext4 on DEV has the fast_commit feature
has_fast_commit() {
	dumpe2fs -h "$1" 2>/dev/null | grep -E '^Filesystem features:' | grep -qw fast_commit
}

# syncfault_window PATH KB: the preallocation window of synchronous
# allocating faults (the series' last patch, "ext4: preallocate a window")
# on the ext4 file system holding PATH; 0 turns it off, so that every
# first touch of a flagged file is its own synchronous fault.  vm_cleanup
# puts back the default (2048).
# (ext4's sysfs directory is the kernel's name of the device, "dm-0" for
# /dev/mapper/NAME: found by device number.)
syncfault_window() {
	local mm
	mm=$(findmnt -no MAJ:MIN -T "$1") || return 1
	echo "$2" > "/sys/fs/ext4/$(basename "$(readlink -f "/sys/dev/block/${mm// /}")")/syncfault_prealloc_kb"
}
# syncfault_window_reset: the default window on every ext4 file system,
# whatever a test set.
syncfault_window_reset() {
	local knob
	for knob in /sys/fs/ext4/*/syncfault_prealloc_kb; do
		[ -w "$knob" ] && echo 2048 > "$knob"
	done
	return 0
}

# assert_check_ready DIR: syncdaxctl check on DIR says "ready" (exit 0) in
# JSON and in text, with no failed item and no namespace re-creation.
assert_check_ready() {
	run --separate-stderr "$SYNCDAXCTL" check --json "$1"
	assert_success
	echo "$output"	# shown if the check below fails
	jq -e '.verdict == "ready" and .ok == true and .dev_dax == true and
		.dev_sync == true' <<< "$output"
	run --separate-stderr "$SYNCDAXCTL" check "$1"
	assert_success
	refute_line --regexp 'FAIL'
	refute_output --partial create-namespace
}

# allocated_pages FILE: 4 KiB blocks allocated to FILE
allocated_pages() { echo $(( $(stat -c '%b * %B' "$1") / 4096 )); }

# poke [--as-nobody] FILE PAGE...: store one byte to each PAGE through a
# 4 KiB shared mapping of FILE as it is (no truncation, unlike sftest
# touch), with tests/helpers/sfmap, as root or as nobody; fails unless
# every store was answered "ok"
poke() {
	local as=() f p out
	[ "$1" != --as-nobody ] || { as=(as_nobody); shift; }
	f=$1
	shift
	out=$({ for p in "$@"; do echo "write $p $((p + 1))"; done; echo quit; } |
		"${as[@]}" "$SFMAP" "$f" $(( ($(stat -c %s "$f") + 4095) / 4096 )) shared nohuge) ||
		{ echo "sfmap: $out"; return 1; }
	[ "$(grep -cv -e '^ok' -e '^ready$' <<<"$out")" = 0 ] || { echo "sfmap: $out"; return 1; }
}

# The inode number of a file, as the tracepoint prints it (hex).
ino_hex() { printf '%#x' "$(stat -c %i "$1")"; }

# The dax_sync_fault events of one inode while running a command, one per
# line ("... ino 0xc vm_sync flag 1 address ... order 0 error 0 NOPAGE").
# Usage: sync_fault_events FILE COMMAND...
sync_fault_events() {
	local file=$1; shift
	local ino ev=$TRACEFS/events/fs_dax/dax_sync_fault
	ino=$(ino_hex "$file")
	echo 0 > "$TRACEFS/tracing_on"
	echo > "$TRACEFS/trace"
	echo 1 > "$ev/enable"
	echo 1 > "$TRACEFS/tracing_on"
	"$@" >&2
	local rc=$?
	echo 0 > "$TRACEFS/tracing_on"
	echo 0 > "$ev/enable"
	grep "dax_sync_fault: .* ino $ino " "$TRACEFS/trace"
	return $rc
}

# Count dax_sync_fault events for one inode while running a command.
# Usage: count_sync_faults FILE COMMAND...   (prints the count)
count_sync_faults() {
	local events rc
	events=$(sync_fault_events "$@")
	rc=$?
	if [ -z "$events" ]; then echo 0; else echo "$events" | wc -l; fi
	return $rc
}

# A mapping held by tests/helpers/sfmap in the background, so that a test
# can act between creating a mapping and faulting through it.
# map_open FILE NPAGES MODE [nohuge]: $MAP_STATE is "ready" or "err ENAME".
map_open() {
	coproc MAPSESSION { "$SFMAP" "$@" 2>&1; }
	MAP_STATE=
	read -r -t 60 MAP_STATE <&"${MAPSESSION[0]}"
	[ -n "$MAP_STATE" ]
}
# map_cmd COMMAND: one command (see sfmap.c); fails unless it answered ok.
map_cmd() {
	echo "$*" >&"${MAPSESSION[1]}"
	MAP_ANSWER=
	read -r -t 120 MAP_ANSWER <&"${MAPSESSION[0]}"
	[[ $MAP_ANSWER == ok* ]] || { echo "sfmap: $*: ${MAP_ANSWER:-no answer}"; return 1; }
}
# map_close: unmap and wait for the program; its exit status.
map_close() {
	[ -n "${MAPSESSION_PID:-}" ] || return 0
	local pid=$MAPSESSION_PID
	echo quit >&"${MAPSESSION[1]}" 2>/dev/null
	wait "$pid"
}

# The second NVDIMM (/dev/pmem1, normally ext4 -o dax=never at $NODAX)
# formatted and mounted for one test in another shape: another file system
# type, ext4 features or mount options.  alt_fs_teardown restores $NODAX.
ALT=/mnt/alt
# alt_fs_setup MOUNT_OPTIONS MKFS_COMMAND...   (the device is appended)
alt_fs_setup() {
	local opts=$1; shift
	[ -z "${N:-}" ] || rm -rf "$N"
	N=
	umount "$NODAX" || return 1
	"$@" /dev/pmem1 >/dev/null || { echo "alt_fs_setup: $* /dev/pmem1 failed"; return 1; }
	mkdir -p "$ALT"
	mount -o "$opts" /dev/pmem1 "$ALT" || { echo "alt_fs_setup: mount -o $opts failed"; return 1; }
}
alt_fs_teardown() {
	# a teardown runs after a skip too: never format a host's /dev/pmem1
	[ "$(hostname)" = syncdax-guest ] || return 0
	cd /
	mountpoint -q "$ALT" && umount "$ALT"
	mountpoint -q "$NODAX" && return 0
	mkfs.ext4 -q -F -b 4096 ${SYNCDAX_MKFS_FEATURES:+-O "$SYNCDAX_MKFS_FEATURES"} /dev/pmem1 &&
		mount -t ext4 -o dax=never /dev/pmem1 "$NODAX" && mkdir -p "$NODAX/t"
}

# ext4 -o dax on a dm-linear part of pmem1 (normally $NODAX) with an
# external journal on a second dm device, mounted at $ALT, so that a test
# can switch the journal to the "error" target (dm_journal_fails) and back
# (dm_journal_works).  dm_journal_teardown removes it and restores $NODAX.
DM_JSZ=$((64 * 2048))	# the journal: 64 MiB in 512-byte sectors
dm_journal_setup() {
	local sz
	sz=$(blockdev --getsz /dev/pmem1) || return 1
	DM_DSZ=$(( (sz - DM_JSZ) / 4096 * 4096 ))
	[ -z "${N:-}" ] || rm -rf "$N"
	N=
	umount "$NODAX" || return 1
	dmsetup create --noudevsync sdxdata --table "0 $DM_DSZ linear /dev/pmem1 0" &&
	dmsetup create --noudevsync sdxjrnl --table "0 $DM_JSZ linear /dev/pmem1 $DM_DSZ" &&
	dmsetup mknodes || return 1
	mkfs.ext4 -q -F -b 4096 -O journal_dev /dev/mapper/sdxjrnl || return 1
	mkfs.ext4 -q -F -b 4096 -J device=/dev/mapper/sdxjrnl /dev/mapper/sdxdata || return 1
	mkdir -p "$ALT"
	dm_journal_mount
}
dm_journal_mount() {
	mount -t ext4 -o dax,journal_path=/dev/mapper/sdxjrnl /dev/mapper/sdxdata "$ALT"
}
dm_journal_fails() {
	dmsetup suspend --noudevsync sdxjrnl &&
	dmsetup load sdxjrnl --table "0 $DM_JSZ error" &&
	dmsetup resume --noudevsync sdxjrnl
}
dm_journal_works() {
	dmsetup suspend --noudevsync sdxjrnl &&
	dmsetup load sdxjrnl --table "0 $DM_JSZ linear /dev/pmem1 $DM_DSZ" &&
	dmsetup resume --noudevsync sdxjrnl
}
# dm_journal_fsck: with the journal working again, e2fsck repairs what an
# abort left (exit 0 or 1) and then finds the file system clean.
dm_journal_fsck() {
	run e2fsck -fy -j /dev/mapper/sdxjrnl /dev/mapper/sdxdata
	(( status <= 1 )) || { echo "e2fsck -fy: exit $status"; echo "$output"; return 1; }
	run e2fsck -fn -j /dev/mapper/sdxjrnl /dev/mapper/sdxdata
	assert_success
}
dm_journal_teardown() {
	[ "$(hostname)" = syncdax-guest ] || return 0
	cd /
	mountpoint -q "$ALT" && umount "$ALT"
	[ ! -e /dev/mapper/sdxdata ] || dmsetup remove --noudevsync sdxdata
	[ ! -e /dev/mapper/sdxjrnl ] || dmsetup remove --noudevsync sdxjrnl
	alt_fs_teardown
}

# The pmem devices that are not NFIT NVDIMMs: vm-run attaches a virtio-pmem
# device (DAX, not synchronous) and legacy e820 pmem (memmap=: DAX,
# synchronous, a raw namespace); guest-init exports their block devices.
: "${VIRTIO_PMEM_DEV:=}" "${E820_PMEM_DEV:=}"
EXTRA=/mnt/extra
# require_pmem_dev DEV WHAT: fail (never skip) when the guest lacks DEV.
require_pmem_dev() {
	[ -n "$1" ] && [ -b "$1" ] && return 0
	echo "no $2 block device in this guest (was it booted with vm-run --no-extra-pmem?)"
	return 1
}
# extra_fs_setup DEV MOUNT_OPTIONS MKFS_COMMAND...: a file system on DEV
# (the device is appended to the command), mounted at $EXTRA.
extra_fs_setup() {
	local dev=$1 opts=$2; shift 2
	"$@" "$dev" >/dev/null || { echo "extra_fs_setup: $* $dev failed"; return 1; }
	mkdir -p "$EXTRA"
	mount -o "$opts" "$dev" "$EXTRA" || { echo "extra_fs_setup: mount -o $opts $dev failed"; return 1; }
}
extra_fs_teardown() {
	cd /
	if mountpoint -q "$EXTRA"; then umount "$EXTRA"; fi
}
# The value of queue/dax of a block device node (1: DAX-capable); by
# number, since a dm node made by dmsetup mknodes is not named as in sysfs.
dev_dax() {
	local mm maj min
	mm=$(stat -L -c '%t %T' "$1") || return 1
	read -r maj min <<< "$mm"
	cat "/sys/dev/block/$((16#$maj)):$((16#$min))/queue/dax"
}
# evict_inodes: drop the clean inodes from the cache, so that a DAX mode
# change asked for with chattr +x takes effect on the next lookup.
evict_inodes() { sync; echo 2 > /proc/sys/vm/drop_caches; }

# A small file system of another type on a loop device over a sparse image
# in the guest's tmpfs, mounted at $LOOPMNT (ext2, XFS: no DAX there).
LOOPMNT=/mnt/loopfs
# loop_fs_setup SIZE MOUNT_OPTIONS MKFS_COMMAND...
loop_fs_setup() {
	local size=$1 opts=$2; shift 2
	truncate -s "$size" /tmp/loopfs.img || return 1
	LOOPDEV=$(losetup -f --show /tmp/loopfs.img) || return 1
	"$@" "$LOOPDEV" >/dev/null 2>&1 || { echo "loop_fs_setup: $* failed"; return 1; }
	mkdir -p "$LOOPMNT"
	mount -o "$opts" "$LOOPDEV" "$LOOPMNT"
}
loop_fs_teardown() {
	cd /
	mountpoint -q "$LOOPMNT" && umount "$LOOPMNT"
	[ -n "${LOOPDEV:-}" ] && losetup -d "$LOOPDEV"
	LOOPDEV=
	rm -f /tmp/loopfs.img
	return 0
}

# Cut the power: no sync, no umount.  vm-run sees the marker and reports the
# run as a power cut; the next boot on the same state finds the media as the
# cut left it.
vm_power_cut() {
	: > "${SYNCDAX_CTL:-/mnt/ctl}/powercut"
	echo b > /proc/sysrq-trigger
	sleep 60
}
