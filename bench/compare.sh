#!/bin/sh
# make bench-compare BEFORE=REV [QUICK=1] [ROUNDS=3]: the bench of an
# earlier revision and of this checkout in one run, taking turns (before,
# after, before, after, ...) so that both see the same host.  Each side
# runs its own bench/run.sh in its own checkout and stack; the table
# compares each page's req/s and p50, min/median/max over the rounds, and
# says whether any page is slower after (median req/s down by more than
# TOLERANCE percent, default 5: the spread one side shows against
# itself on this host).  Then what the host cannot move: each page's SQL
# in instructions per request, before and after (bench/instructions.sh,
# run once on each side: a count, not a sample), with the pages over
# INSTR_TOLERANCE percent more (default 10, the issue's goal) marked.
# Written to var/bench-compare/compare.md.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BEFORE=${BEFORE:?BEFORE=REV: the revision to compare with}
ROUNDS=${ROUNDS:-3}
TOLERANCE=${TOLERANCE:-5}
INSTR_TOLERANCE=${INSTR_TOLERANCE:-10}
OUT=$ROOT/var/bench-compare
OLD=$ROOT/var/bench-before
REV=$(git rev-parse --short "$BEFORE")
NOW=$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo +)

say() { echo "bench-compare: $*" >&2; }

rm -rf "$OUT"
mkdir -p "$OUT"
# The earlier revision, built in a checkout of its own under var/.
if [ "$(git -C "$OLD" rev-parse --short HEAD 2>/dev/null)" != "$REV" ]; then
	rm -rf "$OLD"
	git worktree prune
	git worktree add -q --detach "$OLD" "$REV"
fi
say "building $REV in $OLD"
make -s -C "$OLD" programs build/bench/scrypt >/dev/null

# Both stacks on the same port, one at a time.
port=${PARTA_BENCH_PORT:-$((${PARTA_PORT:-8080} + 2))}
i=1
while [ "$i" -le "$ROUNDS" ]; do
	for side in before after; do
		dir=$ROOT
		[ "$side" = before ] && dir=$OLD
		say "round $i/$ROUNDS: $side"
		(cd "$dir" && PARTA_BENCH_PORT=$port QUICK=${QUICK:-} ROUNDS=1 \
		    bench/run.sh >"$OUT/$side.$i.log" 2>&1) ||
		    { say "$side failed: $OUT/$side.$i.log"; exit 1; }
		cp "$dir/bench/out/results.md" "$OUT/$side.$i.md"
	done
	i=$((i + 1))
done

# Instructions: once a side (the same count every time).
for side in before after; do
	dir=$ROOT
	[ "$side" = before ] && dir=$OLD
	say "instructions: $side"
	PARTA_BENCH_PORT=$port "$ROOT/bench/instructions.sh" \
	    -o "$OUT/instructions-$side" "$dir" >/dev/null \
	    2>"$OUT/instructions-$side.log" ||
	    say "instructions of $side failed: $OUT/instructions-$side.log"
done

# The first table of a results.md: "page|req/s|p50" per line.  Its
# columns by their heading ("app req/s", "p50 ms": the first of each);
# a cell "min / median / max" gives its median.
pages() {
	awk -F'|' '
	function m(x,   n, a) { n = split(x, a, " / "); return (n == 3 ? a[2] : a[1]) + 0 }
	/^## Pages/ { on = 1; next } on && /^## / { exit }
	on && /^\| page / {
		for (i = 2; i < NF; i++) {
			h = $i
			gsub(/^ +| +$/, "", h)
			if (h == "app req/s" && !cr) cr = i
			if (h == "p50 ms" && !cp) cp = i
		}
		next
	}
	on && cr && $2 ~ /^ (GET|POST)/ && $cr ~ /[0-9]/ {
		gsub(/^ +| +$/, "", $2); print $2 "|" m($cr) "|" m($cp) }' "$1"
}

for side in before after; do
	i=1
	while [ "$i" -le "$ROUNDS" ]; do
		pages "$OUT/$side.$i.md" | sed "s/^/$side|/"
		i=$((i + 1))
	done
done >"$OUT/all.txt"

res=$OUT/compare.md
{
	echo "# Before ($REV) and after ($NOW), one run"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $ROUNDS rounds taking turns" \
	    "$([ -n "${QUICK:-}" ] && echo "(quick bench runs)"); load" \
	    "average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Each cell: min / median / max over the rounds."
	echo
	echo "| page | before req/s | after req/s | after/before (medians)" \
	    "| before p50 ms | after p50 ms | slower? |"
	echo "|---|--:|--:|--:|--:|--:|:-:|"
	awk -F'|' -v tol="$TOLERANCE" '
	function stats(list,   n, a, i, j, t) {
		n = split(list, a, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		return sprintf("%s / %s / %s", a[1], med, a[n])
	}
	{
		if (!($2 in seen)) { seen[$2] = 1; order[++np] = $2 }
		rps[$1, $2] = rps[$1, $2] " " $3
		p50[$1, $2] = p50[$1, $2] " " $4
	}
	END {
		for (k = 1; k <= np; k++) {
			p = order[k]
			b = stats(rps["before", p]); bm = med
			a = stats(rps["after", p]); am = med
			r = bm > 0 ? am / bm : 0
			slow = r < 1 - tol / 100 ? "**yes**" : "no"
			if (slow == "**yes**") bad++
			printf "| %s | %s | %s | %.2f | %s | %s | %s |\n", p, b,
			    a, r, stats(p50["before", p]), stats(p50["after", p]),
			    slow
		}
		exit bad ? 1 : 0
	}' "$OUT/all.txt" && verdict="no page slower than before" ||
	    verdict="SLOWER: see the pages marked"
	echo
	echo "Verdict (tolerance $TOLERANCE %): $verdict. Raw runs:" \
	    "var/bench-compare/."
	echo
	echo "## Instructions per request"
	echo
	echo "Each page's SQL in a single-user backend under callgrind, as" \
	    "the programs run it (bench/instructions.sh: (60 requests − 20)" \
	    "/ 40), thousands; the same bench data on each side's schema." \
	    "A count: the host's load does not move it."
	echo
	echo "| page | before (k) | after (k) | after/before | over" \
	    "$((100 + INSTR_TOLERANCE)) %? |"
	echo "|---|--:|--:|--:|:-:|"
	touch "$OUT/instructions-before/instructions.tsv" \
	    "$OUT/instructions-after/instructions.tsv"
	awk -F'\t' -v tol="$INSTR_TOLERANCE" '
	FNR == NR { b[$1] = $3; next }
	{
		r = (b[$1] != "" && $3 != "") ? $3 / b[$1] : ""
		over = r == "" ? "—" : (r > 1 + tol / 100 ? "**yes**" : "no")
		if (over == "**yes**") bad++
		printf "| %s | %s | %s | %s | %s |\n", $2,
		    b[$1] == "" ? "—" : sprintf("%.0f", b[$1] / 1000),
		    $3 == "" ? "—" : sprintf("%.0f", $3 / 1000),
		    r == "" ? "—" : sprintf("%.2f", r), over
		n++
	}
	END { exit (bad || !n) ? 1 : 0 }' \
	    "$OUT/instructions-before/instructions.tsv" \
	    "$OUT/instructions-after/instructions.tsv" &&
	    iv="no page over $((100 + INSTR_TOLERANCE)) %" ||
	    iv="OVER: see the pages marked (or none measured)"
	echo
	echo "Verdict on instructions: $iv. Where they go:" \
	    "\`callgrind_annotate var/bench-compare/instructions-SIDE/PAGE.60.callgrind\`."
} >"$res"
cat "$res"
