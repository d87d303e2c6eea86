#!/bin/sh
# A streaming replica under the programs (build/tests/faults/replica,
# TAP), on a stack of its own so that the one the other tests use keeps
# reading its primary: the same checkout seen through var/replica-test/
# (symbolic links to the code, its own var/ with its own cluster and
# replica) on port PARTA_PORT + 5 (or PARTA_REPLICA_PORT), started with
# PARTA_REPLICA=1.  The tests stop, start and promote the replica
# (REPLICA_*); the stack is stopped and its replica removed at the end.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
PORT=${PARTA_REPLICA_PORT:-$((${PARTA_PORT:-8080} + 5))}
R=$ROOT/var/replica-test

mkdir -p "$R" "$ROOT/var/test"
for d in build cgi-bin html lib nginx scripts sql; do
	ln -sfn "$ROOT/$d" "$R/$d"
done
stack="env PARTA_VAR=$R/var PARTA_PORT=$PORT PARTA_REPLICA=1"
stack="$stack $R/scripts/stack.sh"

cleanup() {
	# Promoted, the replica is a cluster of its own: made anew next
	# time (and its slot dropped while the primary runs).
	$stack replica remove >/dev/null 2>&1
	$stack stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup
rm -f "$R"/var/log/*.log

if ! $stack start >"$ROOT/var/test/replica-stack.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - the stack with a replica starts on port $PORT"
	sed 's/^/# /' "$ROOT/var/test/replica-stack.log"
	exit 1
fi

export PARTA_URL="http://127.0.0.1:$PORT"
export PARTA_ROOT="$R"
export PARTA_DB="host=$R/var/run dbname=parta user=parta"
export PARTA_OUTBOX_DIR="$R/var/outbox"
export REPLICA_DB="host=$R/var/run-replica dbname=parta user=postgres"
export REPLICA_STOP="$stack replica stop >/dev/null"
export REPLICA_START="$stack replica start >/dev/null"
export REPLICA_PROMOTE="$stack replica promote >/dev/null"

"$ROOT/build/tests/faults/replica"
rc=$?
# What the programs logged of the replica (which GETs wrote, backoffs).
grep -h 'db replica\|run on the primary' "$R"/var/log/*.log 2>/dev/null |
    sed 's/^/# /' | head -n 40
exit "$rc"
