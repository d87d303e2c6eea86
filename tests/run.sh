#!/bin/sh
# Run every test against a real stack and print one summary line:
#   tests: N passed, N failed
# Unit tests (cmocka) and HTTP tests (C + libcurl) speak TAP; each "ok"
# and "not ok" line counts, and a program that dies without reporting a
# failure counts as one failure.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
OUT=$ROOT/var/test
mkdir -p "$OUT"
export CMOCKA_MESSAGE_OUTPUT=TAP
export PARTA_PORT=${PARTA_PORT:-8080}
export PARTA_OUTBOX_DIR=$ROOT/var/outbox
export PARTA_ROOT=$ROOT
export PARTA_DB="host=$ROOT/var/run dbname=parta user=parta"

started=0
if ! curl -s -o /dev/null "http://127.0.0.1:$PARTA_PORT/login"; then
	started=1
fi
scripts/stack.sh start || { echo "tests: 0 passed, 1 failed"; exit 1; }

passed=0
failed=0
run_one() {
	name=$1
	shift
	log=$OUT/$name.log
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "$name: exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed): var/test/$name.log"
		# Which tests failed, then the lines each failure came
		# after (a long log's head may not reach them).
		if grep -q '^not ok' "$log"; then
			grep -E '^not ok' "$log" | head -n 20
			grep -E -B 12 '^not ok' "$log" | head -n 80
		else
			tail -n 20 "$log"
		fi
	else
		echo "ok   $name ($p passed)"
	fi
}

# Test programs, not the objects make may not have removed yet.
progs() {
	for t; do
		case $t in *.o) continue ;; esac
		[ -x "$t" ] && echo "$t"
	done
}

for t in $(progs build/tests/unit/test_*); do
	run_one "unit-$(basename "$t")" "$t"
done
for t in tests/cgi/test_*.sh; do
	[ -f "$t" ] && run_one "cgi-$(basename "$t" .sh)" sh "$t"
done
for t in $(progs build/tests/http/test_*); do
	run_one "http-$(basename "$t")" "$t"
done
# After the HTTP suite, so that its logs are there to search for secrets.
for t in $(progs build/tests/faults/test_*); do
	run_one "sec-$(basename "$t")" "$t"
done
for t in tests/deploy/test_*.sh; do
	[ -f "$t" ] && run_one "deploy-$(basename "$t" .sh)" sh "$t"
done
# Shared hosting: every HTTP test again, the programs as plain CGI behind
# fcgiwrap and a second nginx on PARTA_CGI_PORT (PARTA_PORT + 1).
run_one "cgi-http-suite" sh tests/cgi/run_http_as_cgi.sh
# The brief's journey in Chromium: phone, desktop, and without JavaScript.
run_one browser sh tests/browser/run.sh
# Bad input: each libFuzzer harness for a few seconds, over its corpus.
run_one fuzz sh tests/fuzz/run.sh "${FUZZ_TEST_SECONDS:-3}"
# Faults (database restart, killed worker, full disk) on a stack of their
# own, so that this one is not disturbed.
run_one faults sh tests/faults/test_faults.sh

[ "$started" -eq 1 ] && scripts/stack.sh stop
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
