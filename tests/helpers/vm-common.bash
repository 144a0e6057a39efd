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
export TRACEFS=/sys/kernel/tracing
NOBODY=65534

# Refuse to run outside the guest: these tests reformat and remount.
in_guest() { [ "$(hostname)" = syncdax-guest ] && mountpoint -q "$PMEM"; }
require_guest() {
	in_guest || skip "not inside the syncdax test guest (use tests/vm/run-suite)"
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
	# Leave the mounts as the suite expects them, whatever a test did.
	mountpoint -q "$PMEM" && mount -o remount,rw "$PMEM" 2>/dev/null
	for d in "${T:-}" "${N:-}" "${M:-}"; do
		[ -n "$d" ] && [ -d "$d" ] || continue
		chattr -R -i -a "$d" 2>/dev/null
		rm -rf "$d"
	done
	return 0
}

# The inode number of a file, as the tracepoint prints it (hex).
ino_hex() { printf '%#x' "$(stat -c %i "$1")"; }

# Count dax_sync_fault events for one inode while running a command.
# Usage: count_sync_faults FILE COMMAND...   (prints the count)
count_sync_faults() {
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
	grep -c "dax_sync_fault: .* ino $ino " "$TRACEFS/trace"
	return $rc
}

# Cut the power: no sync, no umount.  vm-run sees the marker and reports the
# run as a power cut; the next boot on the same state finds the media as the
# cut left it.
vm_power_cut() {
	: > "${SYNCDAX_CTL:-/mnt/ctl}/powercut"
	echo b > /proc/sysrq-trigger
	sleep 60
}
