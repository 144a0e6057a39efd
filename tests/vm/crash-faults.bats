#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Faults under stress (issue 7): ENOSPC during a synchronous fault, and many
# processes storing into one flagged file while others toggle the flag,
# truncate, punch holes and read.  vm-run fails the run on any kernel
# warning; each test ends with a clean e2fsck -fn.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

HAMMER=$SYNCDAX_TOP/tests/crash/build/hammer

setup() {
	require_guest
	require_prog "$HAMMER" "make -C tests/crash"
	vm_scratch
}
teardown() {
	rm -f "$PMEM"/fill*
	dm_journal_teardown
	vm_cleanup
}

# umount, e2fsck -fn, mount again: the file system must be clean
fsck_clean() {
	local dev
	dev=$(findmnt -n -o SOURCE "$PMEM")
	cd /
	umount "$PMEM" || return 1
	e2fsck -fn "$dev" > "$M/fsck.log" 2>&1
	local rc=$?
	mount -t ext4 -o dax "$dev" "$PMEM" || return 1
	[ $rc = 0 ] || { cat "$M/fsck.log"; return 1; }
}

# Fill the file system up to the last block a data write may take (root
# may use the reserved blocks; ext4 keeps s_resv_clusters back for metadata,
# which fallocate and data writes cannot take): afterwards a one-block write
# must fail with ENOSPC.
fill_up() {
	local free
	free=$(stat -f -c %f "$PMEM")
	fallocate -l $(( (free - 8192) * 4096 )) "$PMEM/fill" || return 1
	# many closed files: a close gives back the allocator's preallocation
	python3 - "$PMEM" <<-'EOF'
	import sys
	i = 0
	for bs in (1 << 20, 65536, 4096):
	    while True:
	        try:
	            with open("%s/fill3.%d" % (sys.argv[1], i), "wb") as f:
	                f.write(bytes(bs))
	            i += 1
	        except OSError:
	            break
	EOF
	sync
	if dd if=/dev/zero of="$PMEM/fill4" bs=4096 count=1 2> "$M/dd.err"; then
		return 1
	fi
	grep -q 'No space left' "$M/dd.err"
}

@test "ENOSPC during a synchronous fault: SIGBUS for the new page, old pages stay writable, fsck clean" {
	truncate -s 16M "$T/f"
	"$SFTEST" set "$T/f" on
	# four pages allocated while there is space
	run "$SFTEST" touch "$T/f" 4 shared
	assert_success
	fill_up
	# a first touch of a hole needs a block: the process gets SIGBUS
	run "$SFTEST" touch "$T/f" 64 shared
	[ "$status" -eq $((128 + 7)) ] || { echo "status $status: $output"; false; }
	# the allocated pages take stores without allocation
	run "$SFTEST" touch "$T/f" 4 shared
	assert_success
	# an unflagged file fails the same way, no worse
	truncate -s 1M "$T/g"
	run "$SFTEST" touch "$T/g" 16 shared
	[ "$status" -eq $((128 + 7)) ]
	run "$SFTEST" get "$T/f"
	assert_success
	assert_output "on=1 dax=1 active=1"
	rm -f "$PMEM"/fill*
	sync
	# space again: the same faults succeed
	run "$SFTEST" touch "$T/f" 64 shared
	assert_success
	fsck_clean
}

@test "ENOSPC from MAP_SYNC on the same full file system behaves the same" {
	truncate -s 16M "$T/s"
	fill_up
	run "$SFTEST" touch "$T/s" 8 sync
	[ "$status" -eq $((128 + 7)) ] || { echo "status $status: $output"; false; }
	rm -f "$PMEM"/fill*
	fsck_clean
}

@test "concurrency: writers on one flagged file while others toggle the flag, truncate, punch and read" {
	local seed=${SYNCDAX_SEED:-$(( (RANDOM << 15) | RANDOM ))}
	local secs=${SYNCDAX_HAMMER_SECS:-20}
	echo "# hammer seed $seed, ${secs} s (replay: SYNCDAX_SEED=$seed)" >&3
	run "$HAMMER" "$T/h" "$secs" "$seed" 3
	echo "$output" | sed 's/^/# /' >&3
	assert_success
	assert_output --regexp 'hammer: [1-9][0-9]* stable pages match their last store'
	fsck_clean
}

# --- I/O errors on the journal (dm_journal_setup in vm-common): the
# journal's dm table is swapped to the "error" target at the right moment.
@test "journal I/O errors during a synchronous fault: SIGBUS, the journal aborts, recovery and fsck work" {
	dm_journal_setup
	local f=$ALT/f
	truncate -s 16M "$f"
	"$SFTEST" set "$f" on
	run "$SFTEST" get "$f"
	assert_success
	local state=$output
	run "$SFTEST" touch "$f" 4 shared
	local r1=$status
	# the journal device starts failing every I/O
	dm_journal_fails
	run "$SFTEST" touch "$f" 64 shared
	local r2=$status o2=$output
	run "$SFTEST" set "$f" off
	local r3=$status o3=$output
	dmesg | tail -n 20 > "$M/dmesg"
	echo "# state=$state r1=$r1 r2=$r2 ($o2) r3=$r3 ($o3)" >&3
	[ "$state" = "on=1 dax=1 active=1" ]	# the guarantee is really in force on dm
	[ "$r1" = 0 ]
	[ "$r2" = $((128 + 7)) ]		# the synchronous fault cannot commit: SIGBUS
	[ "$r3" != 0 ]				# the aborted file system refuses changes
	[[ $o3 == *EROFS* || $o3 == *EIO* ]]
	umount "$ALT"
	# the journal works again: the file system recovers (teardown removes
	# the dm devices and restores $NODAX whatever happens from here)
	dm_journal_works
	dm_journal_fsck
	dm_journal_mount
	run "$SFTEST" touch "$f" 64 shared
	assert_success
}
