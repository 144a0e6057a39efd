#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The flag changing under running faults (DESIGN.md §2, rules 3 and 6): no
# fault may see the flag set in one place and clear in another.  A fault
# that decided "synchronous" when tagging its entry and "not synchronous"
# when inserting the PTE would leave a writable page that neither fsync nor
# msync ever writes back; every page must be written back by the msync
# that ends its round (counted with fs_dax:dax_writeback_one).

load "$BATS_TEST_DIRNAME/../helpers/vm-common"

setup() {
	require_guest
	require_prog "$SFRACE" "make -C tests/helpers"
	vm_scratch
}
teardown() {
	echo 0 > "$TRACEFS/tracing_on"
	for e in dax_writeback_one dax_sync_fault; do
		echo 0 > "$TRACEFS/events/fs_dax/$e/enable"
		echo 0 > "$TRACEFS/events/fs_dax/$e/filter"
	done
	vm_cleanup
}

# pages_not_written_back INO TOTAL: how many of pages 0..TOTAL-1 no
# dax_writeback_one event of inode INO covered.
pages_not_written_back() {
	awk -v ino="$1" -v total="$2" '
		function hex(s,   i, v) {
			s = tolower(s); sub(/^0x/, "", s); v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		/dax_writeback_one:/ {
			for (i = 1; i < NF; i++) {
				if ($i == "ino") cur = $(i + 1)
				if ($i == "pgoff") off = hex($(i + 1))
				if ($i == "pglen") len = hex($(i + 1))
			}
			if (cur != ino) next
			for (p = off; p < off + len; p++) seen[p] = 1
		}
		END {
			missing = 0
			for (p = 0; p < total; p++) if (!(p in seen)) missing++
			print missing
		}' "$TRACEFS/trace"
}

@test "flag toggled while two threads first-touch pages: every page is written back by the next msync" {
	local rounds=${SYNCDAX_RACE_ROUNDS:-24} per=256 total ino
	total=$((rounds * per))
	touch "$T/f"
	ino=$(ino_hex "$T/f")
	echo 0 > "$TRACEFS/tracing_on"
	echo 16384 > "$TRACEFS/buffer_size_kb"
	echo > "$TRACEFS/trace"
	for e in dax_writeback_one dax_sync_fault; do
		echo "ino == $ino" > "$TRACEFS/events/fs_dax/$e/filter"
		echo 1 > "$TRACEFS/events/fs_dax/$e/enable"
	done
	echo 1 > "$TRACEFS/tracing_on"
	run "$SFRACE" "$T/f" "$per" "$rounds"
	echo 0 > "$TRACEFS/tracing_on"
	assert_success
	local sync lost missing
	sync=$(grep -c 'dax_sync_fault:' "$TRACEFS/trace")
	lost=$(awk '/LOST/ { n++ } END { print n + 0 }' "$TRACEFS/trace")
	missing=$(pages_not_written_back "$ino" "$total")
	echo "# $output; synchronous faults: $sync of $total; pages never written back: $missing" >&3
	assert_equal "$lost" 0		# the trace buffer kept every event
	# faults ran with the flag both set and clear
	(( sync > 0 ))
	(( sync < total ))
	assert_equal "$missing" 0
}

@test "mmap racing with the flag on a non-DAX file gets EOPNOTSUPP or a mapping, never EPERM" {
	require_prog "$SFMMAPRACE" "make -C tests/helpers"
	touch "$N/f"
	run "$SFMMAPRACE" "$N/f" 2000
	assert_success
	echo "$output" >&3
	assert_output --regexp ' eperm=0 other=0 '
	# both outcomes happened, and the flag did change meanwhile
	refute_output --regexp ' ok=0 '
	refute_output --regexp ' eopnotsupp=0 '
	refute_output --regexp ' sets=0 '
}
