#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# abi-check.sh LIBSYNCDAX - the shared library has SONAME libsyncdax.so.1,
# exports every function declared in syncdax.h at version SYNCDAX_1, and
# nothing else.
set -eu
lib=$1
so=$lib/src/libsyncdax.so.1
readelf -d "$so" | grep -q 'SONAME.*\[libsyncdax\.so\.1\]'
declared=$(sed -n 's/^[a-z].*[ *]\(sdx_[a-z_]*\)(.*/\1/p' "$lib/include/syncdax.h" | sort)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sort)
want=$(for f in $declared; do echo "$f@@SYNCDAX_1"; done)
if [ "$want" != "$exported" ]; then
	echo "declared vs exported differ:"
	diff <(echo "$want") <(echo "$exported") || true
	exit 1
fi
echo "$(echo "$declared" | wc -l) functions exported at SYNCDAX_1"
