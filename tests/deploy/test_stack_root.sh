#!/bin/sh
# The local stack run as root from a checkout below a folder closed to
# others (as a clone in /root, mode 0700): it starts and serves, its
# cluster lives outside the checkout in a folder of the postgres user's
# own, and no folder above the checkout changes its permissions.  The
# checkout is this one seen through a mktemp folder (symbolic links to
# the code, its own var/), on port PARTA_PORT + 3 (or PARTA_ROOT_PORT).
# Not root: nothing to check.  TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PARTA_ROOT_PORT:-$((${PARTA_PORT:-8080} + 3))}

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP the stack changes permissions only when run as root"
	exit 0
fi
echo "1..4"
. "$ROOT/tests/deploy/tap.sh"

TMP=$(mktemp -d)		# mode 0700, like /root
C=$TMP/parta
mkdir -p "$C"
for d in build cgi-bin html lib nginx scripts sql; do
	ln -s "$ROOT/$d" "$C/$d"
done
stack() {
	PARTA_VAR=$C/var PARTA_PORT=$PORT "$C/scripts/stack.sh" "$@"
}
cleanup() {
	stack stop >/dev/null 2>&1
	[ -s "$C/var/pg-home" ] && rm -rf "$(cat "$C/var/pg-home")"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The mode, owner and ACL of every folder from the checkout up to /.
modes() {
	d=$C
	while :; do
		stat -c '%a %U:%G %n' "$d"
		getfacl -cp "$d" 2>/dev/null | grep -v '^$' | tr '\n' ' '
		[ "$d" = / ] && break
		d=$(dirname "$d")
	done
}
before=$(modes)

# 1: it starts, and serves.
stack start >"$TMP/start.log" 2>&1
rc=$?
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login")
if [ $rc -eq 0 ] && [ "$code" = 200 ]; then
	ok "the stack starts as root below a closed folder and serves /login"
else
	not_ok "the stack starts as root below a closed folder and serves /login" \
	    "exit $rc, /login $code" "$(cat "$TMP/start.log")"
fi

# 2: no folder above the checkout changed (nor the checkout itself).
after=$(modes)
if [ "$before" = "$after" ]; then
	ok "no folder from the checkout up to / changed its permissions"
else
	not_ok "no folder from the checkout up to / changed its permissions" \
	    "$(printf '%s\n' "$before" >"$TMP/before";
	    printf '%s\n' "$after" | diff "$TMP/before" -)"
fi

# 3: the cluster is outside the checkout, in a folder of postgres's own
# that only postgres may enter, and the programs reach it.
home=$(cat "$C/var/pg-home" 2>/dev/null)
owner=$(stat -c '%U %a' "$home" 2>/dev/null)
if [ -n "$home" ] && [ "$owner" = "postgres 700" ] &&
    [ -f "$home/data/PG_VERSION" ] && [ ! -e "$C/var/pg" ] &&
    psql -X -h "$C/var/run" -U parta -d parta -tAc 'SELECT 1' 2>&1 |
    grep -qx 1; then
	ok "the cluster lives outside the checkout, postgres's own"
else
	not_ok "the cluster lives outside the checkout, postgres's own" \
	    "pg-home: ${home:-none} ($owner)"
fi

# 4: stop and start again (the same cluster: the operator account is
# still there); then start over (rm -rf var): the old cluster goes.
stack stop >/dev/null 2>&1
stack start >"$TMP/start2.log" 2>&1
again=$(cat "$C/var/pg-home" 2>/dev/null)
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/login")
stack stop >/dev/null 2>&1
rm -rf "${C:?}/var"
stack start >"$TMP/start3.log" 2>&1
new=$(cat "$C/var/pg-home" 2>/dev/null)
if [ "$again" = "$home" ] && [ "$code" = 200 ] && [ -n "$new" ] &&
    [ "$new" != "$home" ] && [ ! -e "$home" ] && [ "$before" = "$(modes)" ]
then
	ok "a restart keeps the cluster; starting over removes it"
else
	not_ok "a restart keeps the cluster; starting over removes it" \
	    "first $home, restart $again (/login $code), over $new" \
	    "$(cat "$TMP/start3.log")"
fi
