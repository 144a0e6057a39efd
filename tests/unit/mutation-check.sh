#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# mutation-check.sh LIBSYNCDAX BUILDDIR - every mutant of persist.c that
# removes one step of persistence makes the persistence tests fail.
#
# The mutants (libsyncdax/src/test-hooks.h, compiled only here):
#   noflush  sdx_persist() does not flush the range
#   nofence  sdx_persist() does not fence (SFENCE) after flushing
#   nomsync  the fallback mapping does not call msync()
#   noinsn   the flush and fence instructions are gone, the code around
#            them (and the test hooks) is not
# Each is built like the library (-O2 -fPIC) with SYNCDAX_TEST_HOOKS and
# linked into test_persist, test_dispatch and test_msync (the msync counter
# linked in); the encoding check (insn-check.sh) runs on its persist.o too.
# A mutant is killed when one of them fails.  The same build without a
# mutant (the control) must pass all of them, or a kill proves nothing:
# then the check exits 77 (a skip: the failing tests are failures already).
# MUTATION_TESTS overrides the list of test programs (to show a survivor).
set -uo pipefail
lib=${1:?usage: mutation-check.sh LIBSYNCDAX BUILDDIR}
out=${2:?usage: mutation-check.sh LIBSYNCDAX BUILDDIR}
unit=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CC=${CC:-cc}
tests=${MUTATION_TESTS:-test_persist test_dispatch test_msync}
mutants="noflush nofence nomsync noinsn"

mount_cflags=$(pkg-config --cflags mount libndctl) mount_libs=$(pkg-config --libs mount libndctl)
# shellcheck disable=SC2206
# src/version.c wants the project VERSION, as the library's Makefile passes it.
IFS=. read -r vmaj vmin vpat < "$lib/../VERSION"
common=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -DSYNCDAX_TEST_HOOKS
	-I"$lib/include" -I"$lib/src" $mount_cflags
	-DSDX_BUILD_VERSION="\"$vmaj.$vmin.$vpat\"" -DSDX_BUILD_MAJOR="$vmaj"
	-DSDX_BUILD_MINOR="$vmin" -DSDX_BUILD_PATCH="$vpat")
libflags=(-O2 -fPIC -fvisibility=default)	# as libsyncdax/Makefile builds it

rm -rf "$out"
mkdir -p "$out/common"
log=$out/build.log
build() {	# build COMMAND...: quietly, into the log; a failure is not a kill
	echo "+ $*" >> "$log"
	"$@" >> "$log" 2>&1 && return
	echo "build failed: $*" >&2
	tail -n 20 "$log" >&2
	return 1
}

# Once: the other library sources and the test programs' objects.
libobjs=()
for src in "$lib"/src/*.c; do
	[ "$(basename "$src")" = persist.c ] && continue
	libobjs+=("$out/common/$(basename "$src" .c).o")
	build "$CC" "${common[@]}" "${libflags[@]}" -c -o "${libobjs[-1]}" "$src" || exit 1
done
for t in $tests msync-counter; do
	build "$CC" "${common[@]}" -O1 -c -o "$out/common/$t.o" "$unit/$t.c" || exit 1
done

# run VARIANT: build persist.c as VARIANT, run the tests; print the failed
# ones; status 1 when it does not build
run() {
	local v=$1 d=$out/$1 t def=() failed=()
	mkdir -p "$d"
	[ "$v" = control ] || def=("-DSYNCDAX_MUTANT=SDXI_MUTANT_${v^^}")
	build "$CC" "${common[@]}" "${libflags[@]}" "${def[@]}" -c -o "$d/persist.o" \
		"$lib/src/persist.c" || return 1
	for t in $tests; do
		# shellcheck disable=SC2086
		build "$CC" -o "$d/$t" "$out/common/$t.o" "$out/common/msync-counter.o" \
			"$d/persist.o" "${libobjs[@]}" $mount_libs -lcmocka -lpthread -ldl || return 1
		if ! (cd "$d" && timeout -k 5 120 "./$t") > "$d/$t.log" 2>&1; then
			failed+=("$t")
		fi
	done
	TEST_HOOKS_OK=1 "$unit/insn-check.sh" "$d/persist.o" > "$d/insn-check.log" 2>&1 ||
		failed+=(insn-check)
	echo "${failed[*]}"
}

rc=0
control=$(run control) || { echo "control (no mutant) does not build"; exit 1; }
if [ -n "$control" ]; then
	for t in $control; do tail -n 20 "$out/control/$t.log"; done
	echo "not run: the build without a mutant already fails $control"
	exit 77
fi
echo "control (no mutant): $tests and insn-check pass"
killed=() survived=()
for m in $mutants; do
	if ! by=$(run "$m"); then
		echo "$m: does not build (not a kill), see $log"
		survived+=("$m")
		rc=1
	elif [ -n "$by" ]; then
		echo "$m: killed by ${by// /, }"
		killed+=("$m")
	else
		echo "$m: SURVIVED: $tests and insn-check all pass without it"
		survived+=("$m")
		rc=1
	fi
done
echo "${#killed[@]} of $(wc -w <<< "$mutants") mutants killed${survived[*]:+; survived: ${survived[*]}}"
[ $rc -ne 0 ] || rm -rf "$out"	# kept to look into otherwise
exit $rc
