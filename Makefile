# SPDX-License-Identifier: GPL-2.0
# syncdax: per-inode synchronous page faults for DAX files.
#
#   make            library, syncdaxctl, syncdax-bench, test helpers (user space)
#   make kernel     the patched test-guest kernel (cached, see kernel/build-kernel)
#   make chattr     the patched chattr/lsattr (chattr-ext/)
#   make demo       power-cut demonstration in the guest (README.md)
#   make bench      fault and persist benchmarks in the guest (build/bench/)
#   make check      host tests, then the bats suites inside the guest
#   make fstests    fstests on the series and on the unpatched kernel, compared
#   make failclosed the sync_fault feature on the unpatched kernel (read-only)
#   make bench-status  status -R against lsattr -R with 20 and 1000 mounts
#   make install    library, headers, syncdaxctl, syncdax-bench, man pages
#                   (DESTDIR, PREFIX); no test program
#   make abi-check  libsyncdax's ABI against its baseline (abidiff, TAP)
#   make deb        Debian packages of the library and the CLI (debian/),
#                   into build/deb/

PREFIX ?= /usr/local
export PREFIX DESTDIR
SYNCDAX_CACHE ?= $(HOME)/.cache/syncdax
export SYNCDAX_CACHE

KERNEL_IMAGE := build/kernel/bzImage

all: lib cli bench-tool helpers

# The library alone (what make install installs); its test programs for
# the guest come with the helpers.
lib:
	$(MAKE) -C libsyncdax lib

cli: lib
	$(MAKE) -C cli

# The benchmark program (bench/); "make bench" runs it in the guest.
bench-tool: lib
	$(MAKE) -C bench

helpers: lib
	$(MAKE) -C libsyncdax vmprog
	$(MAKE) -C tests/helpers
	$(MAKE) -C tests/crash

chattr:
	$(MAKE) -C chattr-ext

kernel:
	kernel/build-kernel --link $(KERNEL_IMAGE)

# Build every prefix of the series: each patch must compile on its own.
kernel-each-patch:
	kernel/build-each-patch

checkpatch:
	kernel/checkpatch-series

demo: all kernel
	tests/demo/run-demo

# Fault and persist benchmarks in the guest, default ext4 and fast_commit;
# report under build/bench/, copied to docs/bench/ unless the run was
# contended (then it fails, saying why).
bench: all kernel
	tests/bench/run-bench --publish docs/bench

# A smoke test of the same: few faults, never published.
bench-quick: all kernel
	tests/bench/run-bench --quick

# The plain cases of the fault benchmark on the unpatched kernel and on the
# series, four interleaved boots of each: files without the flag must be
# within the noise measured between boots of one kernel
# (build/bench-baseline/compare.md).
bench-baseline: all kernel
	tests/bench/run-baseline

# syncdaxctl status -R over 2000 files with 20 and with 1000 mounts,
# against lsattr -R on the same tree (host only, as root).
bench-status: cli
	tests/host/scaling-status

# fstests (tests/fstests/): the selection on the series and on the unpatched
# kernel, compared in build/fstests/compare.md; fstests-quick is the subset
# that make check runs.
# The selection takes hours under TCG: FSTESTS_MAX=N runs at most N of the
# tests that lack a result, and the next make fstests goes on from there.
fstests: kernel
	tests/fstests/run-compare $(if $(FSTESTS_MAX),--max $(FSTESTS_MAX))

# A file system with the sync_fault feature and a flagged file, booted on the
# unpatched 6.12 (built and cached on first use): read-only, no writable
# mapping, nothing changed; then on the series again, as before.
failclosed: all chattr kernel
	tests/failclosed/run-failclosed

fstests-quick: kernel
	tests/fstests/run-fstests --quick

check: all chattr kernel
	tests/run-check

check-host: all chattr
	tests/run-check --host-only

install: lib
	$(MAKE) -C libsyncdax install
	$(MAKE) -C cli install
	$(MAKE) -C bench install
	$(MAKE) -C man install

# libsyncdax's ABI against abi/libsyncdax.so.1.abi (make check runs it
# too); after an addition in a new version node: make -C libsyncdax
# abi-baseline, and commit the baseline with the change.
abi-check: lib
	$(MAKE) -s -C libsyncdax abi-check

# dpkg-buildpackage -b -us -uc in a copy of the tree (scripts/build-deb):
# libsyncdax1, libsyncdax-dev, syncdaxctl (and their -dbgsym) under
# build/deb/, then lintian on them (no error, no warning).
deb:
	scripts/build-deb build/deb

clean:
	$(MAKE) -C libsyncdax clean
	$(MAKE) -C cli clean
	$(MAKE) -C bench clean
	$(MAKE) -C tests/helpers clean
	$(MAKE) -C tests/crash clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C tests/demo clean
	$(MAKE) -C chattr-ext clean
	rm -rf build

.PHONY: all lib cli bench-tool helpers chattr kernel kernel-each-patch checkpatch demo bench bench-quick bench-baseline \
	fstests fstests-quick failclosed bench-status check check-host install abi-check deb clean
