#!/bin/sh
# A roster of 5 000 rows through the roster program (cgi-bin/roster), on
# a running stack: upload, preview (three times), apply, the page after
# it and the CSV, each timed end to end (curl, through nginx); the SQL of
# the preview and of the apply timed alone (psql, the apply in a
# transaction rolled back first); the roster program's workers' memory
# before and at their peak.  Prints a Markdown section; raw files go to
# OUT/roster.*.
#
#   bench/roster.sh URL RUN OUT ORG
#
# URL the stack's address, RUN its socket folder (PostgreSQL's too, user
# postgres), OUT where the raw files go, ORG an organization with an
# administrator.  bench/run.sh runs it on the bench's organization; by
# hand: bench/roster.sh http://127.0.0.1:8330 var/run /tmp/out 1.
# ROSTER_ROWS (5000) changes the size.  The roster's 20 classes (5А…9Г of
# the organization's current year) are made if missing; 200 rows carry
# the phones of the bench's joiners, whose applications (if POST /join
# ran before) the apply accepts; a session for the administrator is
# inserted (a token only this run knows, shaped as the real ones: 43
# characters).
set -eu

URL=$1 RUN=$2 OUT=$3 ORG=$4
ROWS=${ROSTER_ROWS:-5000}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
mkdir -p "$OUT"

say() { echo "bench: roster: $*" >&2; }
sql() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -U postgres -d parta \
	    "$@"
}

# The largest VmRSS and VmHWM (peak) of the roster program's workers, kB.
mem() {
	r=0 h=0
	if [ -f "$RUN/roster.pid" ]; then
		for pid in $(pgrep -P "$(cat "$RUN/roster.pid")"); do
			set -- $(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 }
			    END { print r + 0, h + 0 }' "/proc/$pid/status" \
			    2>/dev/null || echo 0 0)
			[ "$1" -gt "$r" ] && r=$1
			[ "$2" -gt "$h" ] && h=$2
		done
	fi
	echo "$r $h"
}

# One request: req NAME [curl options...] → "status ms bytes", the
# headers in OUT/roster.NAME.headers.
req() {
	n=$1
	shift
	curl -s -o "$OUT/roster.$n.body" -D "$OUT/roster.$n.headers" \
	    -w '%{http_code} %{time_total} %{size_download}' \
	    -b "parta_session=$TOK" "$@" | awk '{ printf "%s %.0f %s\n", $1,
	    $2 * 1000, $3 }'
}

# psql's own timing of the longest of the statements, ms (the apply,
# not the BEGIN and ROLLBACK around it).
sqltime() {
	sql -c '\timing on' "$@" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' |
	    sort -n | tail -n 1
}

admin=$(sql -tA -c "SELECT account_id FROM parta.member WHERE org_id = $ORG
    AND role = 'admin' ORDER BY account_id LIMIT 1")
[ -n "$admin" ] || { say "organization $ORG has no administrator"; exit 1; }

# The classes the rows name, in the current academic year.
sql -c "INSERT INTO parta.class (org_id, kind, grade, letter, year, color)
    SELECT $ORG, 'class', g, l, parta.org_year($ORG), '#2563c9'
    FROM generate_series(5, 9) g, unnest(ARRAY['А', 'Б', 'В', 'Г']) l
    WHERE NOT EXISTS (SELECT 1 FROM parta.class c WHERE c.org_id = $ORG
    AND c.grade = g AND c.letter = l AND c.title = ''
    AND c.year = parta.org_year($ORG))" >/dev/null

TOK=RB$(od -An -N21 -tx1 /dev/urandom | tr -d ' \n' | cut -c1-41)
CSRF=roster-csrf-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
sql -c "INSERT INTO parta.session (token_hash, account_id, csrf, expires_at)
    VALUES (sha256(convert_to('$TOK', 'UTF8')), $admin, '$CSRF',
    now() + interval '1 hour')" >/dev/null

# The file: names of letters only, classes 5А…9Г, a tenth with a phone,
# a seventh with an e-mail, everyone with a birth date; the first 200
# with the bench joiners' phones.
CSV=$OUT/roster.csv
awk -v n="$ROWS" 'BEGIN {
	split("а б в г д е ж з и к л м н о п р с т у ф", l, " ")
	split("А Б В Г", cl, " ")
	split("Анна Борис Вера Глеб Дарья Егор Жанна Захар Ирина Кирилл", f,
	    " ")
	printf "\357\273\277Фамилия;Имя;Отчество;Роль;Класс;Телефон;Почта;"
	printf "Дата рождения\r\n"
	for (i = 1; i <= n; i++) {
		name = "Списков" l[int(i / 400) % 20 + 1] \
		    l[int(i / 20) % 20 + 1] l[i % 20 + 1]
		phone = ""
		if (i <= 200)
			phone = sprintf("+7998%07d", i)
		else if (i % 10 == 0)
			phone = sprintf("8 997 %03d-%02d-%02d", int(i / 10000),
			    int(i / 100) % 100, i % 100)
		mail = i % 7 == 0 ? "r" i "@example.ru" : ""
		printf "%s;%s;Петрович;ученик;%d%s;%s;%s;%02d.%02d.%d\r\n",
		    name, f[i % 10 + 1], 5 + i % 5, cl[int(i / 5) % 4 + 1],
		    phone, mail, i % 28 + 1, i % 12 + 1, 2008 + i % 9
	}
}' >"$CSV"
BYTES=$(stat -c %s "$CSV")

MEM0=$(mem)
set -- $(req upload -F "csrf=$CSRF" \
    -F "file=@$CSV;type=text/csv;filename=roster.csv" "$URL/org/$ORG/roster")
UPLOAD="$2" UPLOAD_STATUS=$1
ID=$(sed -n 's/^[Ll]ocation: .*\/roster\/\([0-9]*\).*/\1/p' \
    "$OUT/roster.upload.headers" | tr -d '\r')
if [ "$UPLOAD_STATUS" != 303 ] || [ -z "$ID" ]; then
	say "upload answered $UPLOAD_STATUS: see $OUT/roster.upload.body"
	exit 1
fi
MEM1=$(mem)
PREVIEW=
for k in 1 2 3; do
	set -- $(req preview "$URL/org/$ORG/roster/$ID")
	[ "$1" = 200 ] || say "preview answered $1"
	PREVIEW="$PREVIEW $2" PREVIEW_BYTES=$3
done
MEM2=$(mem)
OUTCOMES=$(sql -tA -F' ' -c "SELECT outcome, count(*) FROM
    parta.roster_preview($ORG, $ID) GROUP BY 1 ORDER BY 2 DESC" |
    awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
# Every column asked for (a count(*) would let the planner skip them).
SQL_PREVIEW=$(sqltime -c '\o /dev/null' -c "SELECT * FROM
    parta.roster_preview($ORG, $ID)")
SQL_APPLY=$(sqltime -c "BEGIN" -c "SELECT parta.roster_apply($ORG, $ID,
    $admin, NULL)" -c "ROLLBACK")
set -- $(req apply -d "csrf=$CSRF" "$URL/org/$ORG/roster/$ID/apply")
APPLY=$2 APPLY_STATUS=$1
[ "$APPLY_STATUS" = 303 ] || say "apply answered $APPLY_STATUS"
set -- $(req after "$URL/org/$ORG/roster/$ID")
AFTER=$2 AFTER_BYTES=$3
set -- $(req csv "$URL/org/$ORG/roster/$ID.csv")
CSVT=$2 CSV_BYTES=$3
MEM3=$(mem)
STATES=$(sql -tA -F' ' -c "SELECT state, count(*) FROM parta.roster_row
    WHERE org_id = $ORG AND roster_id = $ID GROUP BY 1 ORDER BY 2 DESC" |
    awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
sql -c "DELETE FROM parta.session WHERE token_hash =
    sha256(convert_to('$TOK', 'UTF8'))" >/dev/null

median() { echo "$@" | tr ' ' '\n' | sort -n | awk 'NF { v[++n] = $1 }
    END { print v[int((n + 1) / 2)] }'; }
kb() { echo "$1" | cut -d' ' -f"$2"; }

echo "## A roster of $ROWS rows"
echo
echo "The file: $(awk -v b="$BYTES" 'BEGIN { printf "%.0f", b / 1024 }') KiB"\
    "(UTF-8, ';', 20 classes, phones, e-mails, birth dates). Each step"\
    "timed end to end through nginx (curl); the SQL alone with psql."\
    "Preview: $OUTCOMES. After the apply: $STATES."
echo
echo "| step | ms | response | SQL alone, ms | roster worker RSS / peak, kB |"
echo "|---|--:|--:|--:|--:|"
echo "| (idle) | | | | $(kb "$MEM0" 1) / $(kb "$MEM0" 2) |"
echo "| POST /org/N/roster (upload, store) | $UPLOAD | 303 | |" \
    "$(kb "$MEM1" 1) / $(kb "$MEM1" 2) |"
echo "| GET /org/N/roster/ID (preview; median of$PREVIEW) |" \
    "$(median $PREVIEW) | $((PREVIEW_BYTES / 1024)) KiB |" \
    "${SQL_PREVIEW:-—} (parta.roster_preview) |" \
    "$(kb "$MEM2" 1) / $(kb "$MEM2" 2) |"
echo "| POST /org/N/roster/ID/apply | $APPLY | $APPLY_STATUS |" \
    "${SQL_APPLY:-—} (parta.roster_apply) | |"
echo "| GET /org/N/roster/ID (after the apply) | $AFTER |" \
    "$((AFTER_BYTES / 1024)) KiB | | |"
echo "| GET /org/N/roster/ID.csv | $CSVT | $((CSV_BYTES / 1024)) KiB | |" \
    "$(kb "$MEM3" 1) / $(kb "$MEM3" 2) |"
# For bench/run.sh's table: the apply end to end and its SQL alone, ms.
echo "ROSTER_APPLY_MS=$APPLY ROSTER_APPLY_SQL_MS=${SQL_APPLY:-}" \
    "ROSTER_APPLY_STATUS=$APPLY_STATUS" >"$OUT/roster.vals"
