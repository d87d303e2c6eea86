#!/bin/sh
# make test-valgrind: the HTTP tests against a stack whose programs all
# run under valgrind memcheck (scripts/stack.sh with VALGRIND=1, one
# worker each).  The stack is then stopped so that every process exits
# and writes its report, and each var/log/valgrind-*.log must show 0
# errors and nothing definitely lost.  Slow (scrypt under valgrind takes
# seconds): not part of make test.  Prints TAP lines, then
#   tests: N passed, N failed
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=$ROOT/var/test
LOG=$ROOT/var/log
mkdir -p "$OUT" "$LOG"
export CMOCKA_MESSAGE_OUTPUT=TAP
export PARTA_PORT=${PARTA_PORT:-8080}
export PARTA_OUTBOX_DIR=$ROOT/var/outbox
export PARTA_ROOT=$ROOT
export PARTA_DB="host=$ROOT/var/run dbname=parta user=parta"

# The programs of a running stack are not under valgrind: restart them.
scripts/stack.sh stop
rm -f "$LOG"/valgrind-*.log
VALGRIND=1 scripts/stack.sh start || {
	VALGRIND=1 scripts/stack.sh stop
	echo "tests: 0 passed, 1 failed"
	exit 1
}

passed=0
failed=0
for t in build/tests/http/test_*; do
	case $t in *.o) continue ;; esac
	name=$(basename "$t")
	log=$OUT/valgrind-$name.log
	"$t" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name under valgrind ($p passed, $f failed):" \
		    "var/test/valgrind-$name.log"
		grep -E '^(not ok|#)' "$log" | head -n 20
	else
		echo "ok   $name under valgrind ($p passed)"
	fi
done

# Stopping lets each process finish and write its leak report.
VALGRIND=1 scripts/stack.sh stop

for p in $(scripts/programs.sh); do
	set -- "$LOG"/valgrind-"$p"-*.log
	if [ ! -f "$1" ]; then
		echo "not ok - $p: no valgrind report"
		failed=$((failed + 1))
		continue
	fi
	bad=
	for f; do
		# A report without its summary: the process did not exit.
		if ! grep -q 'ERROR SUMMARY: 0 errors' "$f" ||
		    grep -q 'definitely lost: [1-9]' "$f"; then
			bad="$bad ${f#"$ROOT"/}"
		fi
	done
	if [ -n "$bad" ]; then
		echo "not ok - $p: memory errors or leaks:$bad"
		for f in $bad; do
			grep -E -e 'ERROR SUMMARY|definitely lost|Invalid' \
			    -e 'uninitialised|Mismatched|at 0x|by 0x' "$f" |
			    head -n 30 | sed 's/^/# /'
		done
		failed=$((failed + 1))
	else
		echo "ok - $p: $# processes, 0 errors, 0 bytes definitely lost"
		passed=$((passed + 1))
	fi
done

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
