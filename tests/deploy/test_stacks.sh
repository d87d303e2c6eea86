#!/bin/sh
# Two stacks of programs behind one nginx, one of them killed under load
# (build/tests/faults/stacks, TAP), on a stack of its own: the same
# checkout seen through var/stacks-test/ (symbolic links to the code, its
# own var/ with its own cluster) on port PARTA_PORT + 1003 (or
# PARTA_STACKS_PORT), started with PARTA_STACKS=2.  The test kills the
# last group's programs (STACKS_KILL: stack.sh kill-stack, SIGKILL as
# when a host dies) and starts them again (STACKS_START).
# STACKS_TEST_N=1 runs it with one stack, where it must
# fail (the requests after the kill have nowhere to go).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
PORT=${PARTA_STACKS_PORT:-$((${PARTA_PORT:-8080} + 1003))}
N=${STACKS_TEST_N:-2}
S=$ROOT/var/stacks-test

mkdir -p "$S" "$ROOT/var/test"
for d in build cgi-bin html lib nginx scripts sql; do
	ln -sfn "$ROOT/$d" "$S/$d"
done
stack="env PARTA_VAR=$S/var PARTA_PORT=$PORT PARTA_STACKS=$N"
stack="$stack $S/scripts/stack.sh"

cleanup() {
	$stack stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup
rm -f "$S"/var/log/*.log
# Which group answered each request: nginx's $upstream_addr, a header of
# this stack's only.
mkdir -p "$S/var/nginx/conf.d"
echo 'add_header X-Parta-Upstream $upstream_addr always;' \
    >"$S/var/nginx/conf.d/upstream.conf"

if ! $stack start >"$ROOT/var/test/stacks-stack.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - the stack with $N stacks of programs starts on port $PORT"
	sed 's/^/# /' "$ROOT/var/test/stacks-stack.log"
	exit 1
fi

# The group killed: the last (stack.sh: group 1 in var/run, group K in
# var/run/stackK).
G=$S/var/run
[ "$N" -gt 1 ] && G=$G/stack$N
export PARTA_URL="http://127.0.0.1:$PORT"
export PARTA_ROOT="$S"
export PARTA_DB="host=$S/var/run dbname=parta user=parta"
export PARTA_OUTBOX_DIR="$S/var/outbox"
export STACKS_GROUP="$G"
export STACKS_KILL="$stack kill-stack $N"
export STACKS_START="$stack start >/dev/null 2>&1"
# The group's chat workers paused (SIGSTOP): connections wait in its
# socket, their requests sent, until the group is killed.
export STACKS_PAUSE="p=\$(cat $G/chat.pid) && kill -STOP \$p \$(pgrep -P \$p)"

"$ROOT/build/tests/faults/stacks"
rc=$?
# What nginx said of the dead group (connections refused, a group left
# alone for its fail_timeout).
grep -c 'failed (111: Connection refused)' "$S/var/log/nginx-error.log" |
    sed 's/^/# connections refused by the killed group: /'
exit "$rc"
