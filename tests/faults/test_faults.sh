#!/bin/sh
# Fault tests (build/tests/faults/faults, TAP) on a stack of their own,
# so that the stack the other tests use is never disturbed: the same
# checkout seen through var/faults/ (symbolic links to the code, its own
# var/ with its own cluster, sockets, logs and uploads) on port
# PARTA_PORT + 1000 (or PARTA_FAULT_PORT).  The tests stop and start
# that stack's PostgreSQL, kill its workers and mount a 64 KiB tmpfs on
# its uploads; the stack is stopped and the tmpfs unmounted at the end.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
PORT=${PARTA_FAULT_PORT:-$((${PARTA_PORT:-8080} + 1000))}
F=$ROOT/var/faults

mkdir -p "$F" "$ROOT/var/test"
for d in build cgi-bin html lib nginx scripts sql; do
	ln -sfn "$ROOT/$d" "$F/$d"
done

cleanup() {
	if mountpoint -q "$F/var/uploads" 2>/dev/null; then
		umount "$F/var/uploads" || umount -l "$F/var/uploads"
	fi
	PARTA_VAR=$F/var PARTA_PORT=$PORT "$F/scripts/stack.sh" stop \
	    >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup
# Fresh logs: the tests read what this run wrote.
rm -f "$F"/var/log/*.log

if ! PARTA_VAR=$F/var PARTA_PORT=$PORT "$F/scripts/stack.sh" start \
    >"$ROOT/var/test/faults-stack.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - the fault stack starts on port $PORT"
	sed 's/^/# /' "$ROOT/var/test/faults-stack.log"
	exit 1
fi

export PARTA_URL="http://127.0.0.1:$PORT"
export PARTA_ROOT="$F"
export PARTA_DB="host=$F/var/run dbname=parta user=parta"
export PARTA_OUTBOX_DIR="$F/var/outbox"
export FAULT_RUN="$F/var/run"
export FAULT_UPLOADS="$F/var/uploads"
# PostgreSQL alone, wherever the stack keeps its cluster (var/pg, or a
# folder of the postgres user's own: scripts/stack.sh).
pg="PARTA_VAR=$F/var PARTA_PORT=$PORT $F/scripts/stack.sh"
export FAULT_PG_STOP="$pg pg-stop >/dev/null"
export FAULT_PG_START="$pg pg-start >/dev/null"
export FAULT_STACK_START="$pg start >/dev/null 2>&1"

# A full disk is a real one: a 64 KiB tmpfs over the uploads folder.
mnt="mount -t tmpfs -o size=64k,mode=0755 parta-faults $F/var/uploads"
if [ "$(id -u)" -ne 0 ]; then
	export FAULT_DISK_WHY="mounting a tmpfs needs root"
elif ! $mnt 2>/dev/null; then
	export FAULT_DISK_WHY="mount -t tmpfs is not allowed here"
else
	umount "$F/var/uploads"
	export FAULT_DISK_FULL="$mnt"
	export FAULT_DISK_FREE="umount $F/var/uploads"
fi

"$ROOT/build/tests/faults/faults"
rc=$?

# The stack must be whole again: the database up, every program serving.
code=$(curl -s -o /dev/null -w '%{http_code}' "$PARTA_URL/login")
if [ "$code" != 200 ] ||
    ! PARTA_VAR=$F/var PARTA_PORT=$PORT "$F/scripts/stack.sh" pg-status; then
	echo "not ok - the fault stack is healthy after the tests ($code)"
	rc=1
fi
exit "$rc"
