#!/bin/sh
# The names of the programs, one a line, sorted: cgi-bin/NAME.c, or a
# folder cgi-bin/NAME/ with a main.c (the Makefile builds each into
# build/cgi-bin/NAME).  For stack.sh, the tests and the install check.
#   scripts/programs.sh [CHECKOUT]
set -eu
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
for f in "$ROOT"/cgi-bin/*.c "$ROOT"/cgi-bin/*/main.c; do
	[ -f "$f" ] || continue
	f=${f#"$ROOT"/cgi-bin/}
	echo "${f%%[./]*}"
done | LC_ALL=C sort
