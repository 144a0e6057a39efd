# SPDX-License-Identifier: GPL-2.0-or-later
#
# host-common.bash - loaded by every tests/host/*.bats: bats helpers, the
# binary under test and a scratch directory. The host runs an unpatched
# kernel, which answers the sync-fault ioctls with ENOTTY; tests of what
# a patched kernel answers use the LD_PRELOAD double fake-syncfault.c.

bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load /usr/lib/bats/bats-file/load

SYNCDAX_TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SYNCDAXCTL=${SYNCDAXCTL:-$SYNCDAX_TOP/cli/syncdaxctl}
SYNCDAX_BENCH=${SYNCDAX_BENCH:-$SYNCDAX_TOP/bench/syncdax-bench}
export SYNCDAX_TOP SYNCDAXCTL SYNCDAX_BENCH

# The binary must have been built (make -C cli): fail, do not skip.
require_binary() {
	if [[ ! -x $SYNCDAXCTL ]]; then
		echo "$SYNCDAXCTL not built: run make -C cli" >&2
		return 1
	fi
}

# The benchmark must have been built (make -C bench): fail, do not skip.
require_bench_binary() {
	if [[ ! -x $SYNCDAX_BENCH ]]; then
		echo "$SYNCDAX_BENCH not built: run make -C bench" >&2
		return 1
	fi
}

# A fresh scratch directory for this test in $T.
make_scratch() {
	T=$BATS_TEST_TMPDIR/scratch
	mkdir -p "$T"
}

# A scratch directory on tmpfs, a file system that has not opted in to the
# sync-fault flag, in $SHM_DIR; skips the test where /dev/shm is no tmpfs.
# remove_shm_scratch (from teardown) removes it.
make_shm_scratch() {
	[[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs ]] || skip "no tmpfs at /dev/shm"
	SHM_DIR=$(mktemp -d /dev/shm/syncdax-host.XXXXXX)
}

remove_shm_scratch() {
	if [[ -n ${SHM_DIR-} ]]; then
		rm -rf "$SHM_DIR"
		SHM_DIR=
	fi
	return 0
}

# Build the LD_PRELOAD double once per file into $FAKE_SO. It takes the
# ioctl numbers from the library's uapi-syncfault.h, the one C header
# that defines them.
build_fake() {
	FAKE_SO=$BATS_FILE_TMPDIR/fake-syncfault.so
	if [[ ! -f $FAKE_SO ]]; then
		${CC:-cc} -std=c11 -Wall -Wextra -Werror -shared -fPIC \
			-I"$SYNCDAX_TOP/libsyncdax/src" -o "$FAKE_SO" \
			"$BATS_TEST_DIRNAME/fake-syncfault.c" -ldl
	fi
	export FAKE_SO
}

# Build hold-mapping.c once per file into $HOLD_MAPPING.
build_hold_mapping() {
	HOLD_MAPPING=$BATS_FILE_TMPDIR/hold-mapping
	if [[ ! -x $HOLD_MAPPING ]]; then
		${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$HOLD_MAPPING" \
			"$BATS_TEST_DIRNAME/hold-mapping.c"
	fi
}

# Start a process that keeps a shared writable mapping of FILE; its pid
# goes to $HOLDER_PID (stop it with stop_holder, e.g. from teardown).
start_holder() {
	local ready=$BATS_TEST_TMPDIR/holder-ready.$RANDOM
	local i

	build_hold_mapping
	"$HOLD_MAPPING" "$1" "$ready" &
	HOLDER_PID=$!
	for ((i = 0; i < 100; i++)); do
		[[ -e $ready ]] && return 0
		kill -0 "$HOLDER_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "hold-mapping did not map $1" >&2
	return 1
}

stop_holder() {
	if [[ -n ${HOLDER_PID-} ]]; then
		kill "$HOLDER_PID" 2>/dev/null || true
		wait "$HOLDER_PID" 2>/dev/null || true
		HOLDER_PID=
	fi
	return 0
}

# Run syncdaxctl as a patched kernel would answer it (see fake-syncfault.c).
fake_syncdaxctl() {
	LD_PRELOAD=$FAKE_SO "$SYNCDAXCTL" "$@"
}

# setup() of the tests that talk to the fake patched kernel: the binary, a
# scratch directory and the LD_PRELOAD double. The double refuses file
# systems that have not opted in (tmpfs, xfs, FUSE, overlayfs), as the
# kernel does: the scratch directory must be on another one (TMPDIR).
fake_kernel_setup() {
	require_binary
	make_scratch
	build_fake
	case $(stat -f -c %T "$T") in
	tmpfs | xfs | fuse* | overlayfs)
		echo "$T is on $(stat -f -c %T "$T"), which has not opted in to the sync-fault flag: set TMPDIR to a directory on ext4" >&2
		return 1 ;;
	esac
}
