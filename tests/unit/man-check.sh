#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# man-check.sh MANDIR PAGE - the page renders with groff -ww -z -man and no
# output at all (run from MANDIR so ".so man3/x.3" links resolve).
set -eu
cd "$1"
out=$(groff -ww -z -man "$2" 2>&1)
[ -z "$out" ] || { echo "$out"; exit 1; }
