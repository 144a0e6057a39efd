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
export SYNCDAX_TOP SYNCDAXCTL

# The binary must have been built (make -C cli): fail, do not skip.
require_binary() {
	if [[ ! -x $SYNCDAXCTL ]]; then
		echo "$SYNCDAXCTL not built: run make -C cli" >&2
		return 1
	fi
}

# A fresh scratch directory for this test in $T.
make_scratch() {
	T=$BATS_TEST_TMPDIR/scratch
	mkdir -p "$T"
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

# Run syncdaxctl as a patched kernel would answer it (see fake-syncfault.c).
fake_syncdaxctl() {
	LD_PRELOAD=$FAKE_SO "$SYNCDAXCTL" "$@"
}

# setup() of the tests that talk to the fake patched kernel: the binary, a
# scratch directory and the LD_PRELOAD double.
fake_kernel_setup() {
	require_binary
	make_scratch
	build_fake
}
