#!/bin/sh
# Every built program and parta-admin carries Debian's hardening set
# (Makefile HARDEN_*): a position-independent executable, full RELRO
# (GNU_RELRO and BIND_NOW), the stack protector and fortified libc calls.
# Read from the ELF files with readelf (binutils).  TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
n=0
check() {
	n=$((n + 1))
	if [ "$2" = yes ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
	fi
}
has() {
	if grep -q "$1"; then echo yes; else echo no; fi
}

found=0
for f in "$ROOT"/build/cgi-bin/* "$ROOT"/build/bin/parta-admin; do
	case $f in *.o) continue ;; esac
	[ -x "$f" ] || continue
	found=$((found + 1))
	name=${f#"$ROOT"/build/}
	check "$name: PIE" "$(readelf -h "$f" | has 'Type:[[:space:]]*DYN')"
	check "$name: RELRO" "$(readelf -lW "$f" | has 'GNU_RELRO')"
	check "$name: bind now" \
	    "$(readelf -dW "$f" | has 'BIND_NOW\|FLAGS_1.*NOW')"
	check "$name: stack protector" \
	    "$(readelf --dyn-syms -W "$f" | has '__stack_chk_fail')"
	check "$name: fortified calls" \
	    "$(readelf --dyn-syms -W "$f" | has '__[a-z]*_chk@')"
done
# The programs are there to be read: an empty build proves nothing.
check "programs found ($found)" "$([ "$found" -ge 10 ] && echo yes || echo no)"
echo "1..$n"
