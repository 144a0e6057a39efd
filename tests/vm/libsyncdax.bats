#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# libsyncdax on the patched kernel: get/set/state/probe/map through the
# library, on the DAX mount ($PMEM), the dax=never mount ($NODAX) and tmpfs
# ($TMPFS).  The driver is libsyncdax/build/sdx-lib-check (built by
# "make -C libsyncdax"); see tests/vm/progs/sdx-lib-check.c.

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

LIBCHECK=$SYNCDAX_TOP/libsyncdax/build/sdx-lib-check

# struct sdx_state.why_not bits (syncdax.h)
WHY_FLAG_CLEAR=0x1
WHY_NOT_DAX=0x2
WHY_MOUNT_NOT_DAX=0x4

setup() {
	require_guest
	[ -x "$LIBCHECK" ] || fail "$LIBCHECK missing: run make -C libsyncdax on the host"
	vm_scratch
}
teardown() {
	if mountpoint -q "$ALT"; then alt_fs_teardown; fi
	vm_cleanup
}

# why_has HEX BIT: the why= value printed by "state" has BIT set
why_of() { sed -n 's/.* why=\(0x[0-9a-f]*\)$/\1/p' <<< "$1"; }
why_has() { (( $1 & $2 )); }

@test "probe of the DAX mount: kernel support, ext4, dax=always, fsdax pmem namespace, synchronous by the kernel's MAP_SYNC answer" {
	run "$LIBCHECK" probe "$PMEM"
	assert_success
	assert_line "kernel=1"
	assert_line "fstype=ext4"
	assert_line "target=$PMEM"
	assert_line "mount_dax=always"
	assert_line --regexp '^blockdev=pmem[0-9]+'
	assert_line "dev_dax=1"
	assert_line "ns_mode=fsdax"
	assert_line --regexp '^ns=namespace[0-9]+\.[0-9]+$'
	assert_line --regexp '^region=region[0-9]+$'
	assert_line "dev_sync=1"
	assert_line "dev_sync_why=a MAP_SYNC mapping of a DAX file succeeds"
	assert_line --regexp '^fast_commit=(0|1)$'
	refute_line "flush=none"
}

@test "probe of the dax=never mount says dax=never and the inode is not DAX" {
	run "$LIBCHECK" probe "$NODAX"
	assert_success
	assert_line "kernel=1"
	assert_line "fstype=ext4"
	assert_line "mount_dax=never"
	why_has "$(sed -n 's/^why=//p' <<< "$output")" $WHY_NOT_DAX
	# a new file there is not DAX, so MAP_SYNC cannot be tried: unknown, and why
	assert_line "dev_sync=-1"
	assert_line --regexp '^dev_sync_why=a new file in .* is not in DAX mode'
}

@test "a new file on the DAX mount: flag off, DAX, not active because the flag is clear" {
	touch "$T/f"
	run "$LIBCHECK" get "$T/f"
	assert_success
	assert_output "flag=0"
	run "$LIBCHECK" state "$T/f"
	assert_success
	assert_output "flag=0 dax=1 active=0 why=$WHY_FLAG_CLEAR"
}

@test "set on the DAX mount: get says 1 and the state is active with no reason" {
	touch "$T/f"
	run "$LIBCHECK" set "$T/f" 1
	assert_success
	assert_output "ok"
	run "$LIBCHECK" get "$T/f"
	assert_success
	assert_output "flag=1"
	run "$LIBCHECK" state "$T/f"
	assert_success
	assert_output "flag=1 dax=1 active=1 why=0x0"
}

@test "clearing the flag makes the state inactive again" {
	touch "$T/f"
	"$LIBCHECK" set "$T/f" 1
	run "$LIBCHECK" set "$T/f" 0
	assert_success
	run "$LIBCHECK" state "$T/f"
	assert_success
	assert_output "flag=0 dax=1 active=0 why=$WHY_FLAG_CLEAR"
}

@test "a directory's flag is set through the library and inherited by a new file" {
	mkdir "$T/d"
	run "$LIBCHECK" set "$T/d" 1
	assert_success
	touch "$T/d/f"
	run "$LIBCHECK" get "$T/d/f"
	assert_success
	assert_output "flag=1"
	run "$LIBCHECK" state "$T/d/f"
	assert_success
	assert_output "flag=1 dax=1 active=1 why=0x0"
}

@test "map without the flag on the DAX mount uses MAP_SYNC and reports the flag clear" {
	dd if=/dev/zero of="$T/f" bs=4096 count=4 status=none
	run "$LIBCHECK" map "$T/f"
	assert_success
	assert_line "mode=map_sync"
	assert_line "inode_flag=0"
}

@test "map with the flag set on the DAX mount still asks MAP_SYNC first and reports the flag as information" {
	dd if=/dev/zero of="$T/f" bs=4096 count=4 status=none
	"$LIBCHECK" set "$T/f" 1
	run "$LIBCHECK" map "$T/f"
	assert_success
	assert_line "mode=map_sync"
	assert_line "inode_flag=1"
}

@test "map on the dax=never mount is refused with EOPNOTSUPP unless the fallback is asked for" {
	dd if=/dev/zero of="$N/f" bs=4096 count=4 status=none
	run "$LIBCHECK" map "$N/f"
	assert_failure 1
	assert_output --partial "error=EOPNOTSUPP: no synchronous-fault mapping possible"
	run "$LIBCHECK" map "$N/f" --allow-msync
	assert_success
	assert_line "mode=msync_fallback"
}

@test "a flagged file on the dax=never mount is not active, says why, and cannot be mapped even with the fallback" {
	dd if=/dev/zero of="$N/f" bs=4096 count=4 status=none
	run "$LIBCHECK" set "$N/f" 1
	assert_success
	run "$LIBCHECK" state "$N/f"
	assert_success
	assert_output --regexp '^flag=1 dax=0 active=0 why=0x[0-9a-f]+$'
	why_has "$(why_of "$output")" $WHY_NOT_DAX
	why_has "$(why_of "$output")" $WHY_MOUNT_NOT_DAX
	run "$LIBCHECK" map "$N/f" --allow-msync
	assert_failure 1
	assert_output --partial "error=EOPNOTSUPP"
}

@test "tmpfs: get and set fail with EOPNOTSUPP and change nothing, map needs the fallback" {
	touch "$M/f"
	run "$LIBCHECK" get "$M/f"
	assert_failure 1
	assert_output --partial "error=EOPNOTSUPP: file system does not support the sync-fault flag"
	run "$LIBCHECK" set "$M/f" 1
	assert_failure 1
	assert_output --partial "error=EOPNOTSUPP: file system does not support the sync-fault flag"
	dd if=/dev/zero of="$M/f" bs=4096 count=1 status=none
	run "$LIBCHECK" map "$M/f"
	assert_failure 1
	assert_output --partial "error=EOPNOTSUPP: no synchronous-fault mapping possible"
	run "$LIBCHECK" map "$M/f" --allow-msync
	assert_success
	assert_line "mode=msync_fallback"
}

@test "no library call on the three mounts answers ENOTTY (the kernel has the series)" {
	local f
	for f in "$T/f" "$N/f" "$M/f"; do
		touch "$f"
		run "$LIBCHECK" get "$f"
		if [ "$f" = "$M/f" ]; then
			# tmpfs has not opted in: EOPNOTSUPP, not ENOTTY
			assert_failure 1
			assert_output --partial "error=EOPNOTSUPP"
		else
			assert_success
			refute_output --partial ENOTTY
		fi
		run "$LIBCHECK" state "$f"
		assert_success
		refute_output --partial ENOTTY
		run "$LIBCHECK" probe "$f"
		assert_success
		assert_line "kernel=1"
	done
}

@test "set on a fifo fails with EINVAL at once instead of blocking" {
	mkfifo "$T/fifo"
	run timeout 10 "$LIBCHECK" set "$T/fifo" 1
	assert_failure 1
	assert_output --partial "error=EINVAL"
}

@test "the example counter persists through a MAP_SYNC mapping, with and without the flag" {
	local ex=$SYNCDAX_TOP/libsyncdax/build/counter lib=$SYNCDAX_TOP/libsyncdax/src
	require_prog "$ex" "make -C libsyncdax"
	run env LD_LIBRARY_PATH="$lib" "$ex" "$T/ctr"
	assert_success
	assert_output "counter=1 mode=map_sync"
	"$LIBCHECK" set "$T/ctr" 1
	run env LD_LIBRARY_PATH="$lib" "$ex" "$T/ctr"
	assert_success
	assert_output "counter=2 mode=map_sync"
	run env LD_LIBRARY_PATH="$lib" "$ex" "$N/ctr"
	assert_failure 1
}

# write_pages FILE N: store to the first byte of pages 0..N-1 through a
# shared mapping (tests/helpers/sfmap), then unmap.
write_pages() { echo "write 0 $2" | "$SFMAP" "$1" "$2" shared nohuge; }

# The sdx_prepare tests count synchronous faults on ext4 with the default
# journal, whatever the guest's own file systems use: with fast_commit a
# write fault that only changes the timestamps puts the inode on the
# fast-commit list, so it takes a synchronous fault (a fast commit) even on
# written blocks -- as MAP_SYNC does there.
prepare_fs() {
	alt_fs_setup dax mkfs.ext4 -q -F -b 4096 -O ^fast_commit
	rmdir "$T"
	T=$ALT
}

@test "sdx_prepare: the first writes to a flagged sparse file take no synchronous fault, and the range reads as zeros" {
	local pages=64 n
	require_prog "$SFMAP" "make -C tests/helpers"
	prepare_fs
	: > "$T/f"
	"$LIBCHECK" set "$T/f" 1
	run "$LIBCHECK" prepare "$T/f" 0 $((pages * 4096))
	assert_success
	assert_output "ok"
	assert_equal "$(stat -c %s "$T/f")" $((pages * 4096))
	run cmp -n $((pages * 4096)) "$T/f" /dev/zero
	assert_success
	n=$(count_sync_faults "$T/f" write_pages "$T/f" $pages)
	assert_equal "$n" 0
	# the control: the same writes without sdx_prepare take synchronous faults
	truncate -s $((pages * 4096)) "$T/g"
	"$LIBCHECK" set "$T/g" 1
	n=$(count_sync_faults "$T/g" write_pages "$T/g" $pages)
	(( n > 0 ))
}

@test "sdx_prepare converts fallocated blocks and keeps the data already in the file" {
	local n
	require_prog "$SFMAP" "make -C tests/helpers"
	prepare_fs
	fallocate -l $((32 * 4096)) "$T/f"
	printf 'keep' | dd of="$T/f" bs=1 seek=$((8 * 4096)) conv=notrunc status=none
	"$LIBCHECK" set "$T/f" 1
	run "$LIBCHECK" prepare "$T/f" 0 $((32 * 4096))
	assert_success
	assert_equal "$(dd if="$T/f" bs=1 skip=$((8 * 4096)) count=4 status=none)" "keep"
	n=$(count_sync_faults "$T/f" write_pages "$T/f" 32)
	assert_equal "$n" 0
}
