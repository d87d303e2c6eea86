#!/bin/sh
# Run every libFuzzer harness (build/fuzz/fuzz_*) for SECONDS each
# (default 3), one TAP line per harness.  Seeds are tests/fuzz/corpus/NAME;
# what the fuzzer learns is kept in var/fuzz/corpus/NAME, and a crash,
# leak or timeout is saved as var/fuzz/NAME-crash-* (add it to the seed
# corpus once fixed, as a regression test).  With RUNS, a harness also
# stops after that many executions (the soak: 10000000, see README).
# FUZZ_ONLY="html valid" runs only those harnesses (two soaks side by
# side on two cores).
#   tests/fuzz/run.sh [SECONDS [RUNS]]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
secs=${1:-3}
runs_max=${2:-}
out=$ROOT/var/fuzz
mkdir -p "$out/corpus"

set -- build/fuzz/fuzz_*
if [ ! -x "$1" ]; then
	echo "1..1"
	echo "not ok 1 - fuzz harnesses are built (make fuzz-build)"
	exit 1
fi
if [ -n "${FUZZ_ONLY:-}" ]; then
	for bin; do
		shift
		case " $FUZZ_ONLY " in
		*" ${bin##*/fuzz_} "*) set -- "$@" "$bin" ;;
		esac
	done
fi
echo "1..$#"
i=0
bad=0
for bin; do
	i=$((i + 1))
	name=${bin##*/fuzz_}
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$out/corpus/$name" "$seeds"
	dict=
	cap=
	[ -n "$runs_max" ] && cap=-runs=$runs_max
	[ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
	log=$out/$name.log
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$out/$name-" $dict $cap \
	    "$out/corpus/$name" "$seeds" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$rc" -eq 0 ]; then
		took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
		echo "ok $i - fuzz $name: ${runs:-?} runs in ${took:-$secs}s, no crash"
	else
		bad=1
		echo "not ok $i - fuzz $name (exit $rc): see var/fuzz/$name.log"
		grep -e '==ERROR' -e '^SUMMARY' -e 'runtime error' \
		    -e 'Test unit written' "$log" | head -n 10 |
		    sed 's/^/# /'
	fi
done
exit "$bad"
