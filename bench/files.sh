#!/bin/sh
# 100 MB of uploads through the files program (cgi-bin/files, lib/file)
# on a running stack, and what they do to its workers' memory: resident
# memory (VmRSS) of its largest worker after a warm-up upload of each kind, and
# after FILES_MB megabytes of uploads more (5 MiB PDFs and text files,
# and photos, which lib/file re-encodes in a child process), each
# served back once.  The upload buffers a request's body and the file
# it serves in memory and lets them go with the request; the images'
# libvips runs in a child that ends with it: the figure must stay flat.
# Prints a Markdown section; raw files go to OUT/files.*.
#
#   bench/files.sh URL RUN OUT
#
# URL the stack's address, RUN its socket folder (PostgreSQL's too, user
# postgres), OUT where the raw files go.  A person of their own (an
# account and a session put in by SQL) uploads into their storage; their
# files are taken out at the end.  By hand: bench/files.sh
# http://127.0.0.1:8410 var/run /tmp/out.
set -eu

URL=$1 RUN=$2 OUT=$3
MB=${FILES_MB:-100}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
mkdir -p "$OUT"

say() { echo "bench: files: $*" >&2; }
sql() {
	"$PGBIN/psql" -X -q -tA -v ON_ERROR_STOP=1 -h "$RUN" -U postgres \
	    -d parta "$@"
}

# The largest VmRSS and VmHWM (peak) of the files program's workers, kB:
# its upload workers' (files-upload.pid, where nginx sends the uploads'
# multipart bodies) and its page workers' (files.pid, which serve the
# files back).
mem() {
	r=0 h=0
	for pf in "$RUN/files.pid" "$RUN/files-upload.pid"; do
		[ -f "$pf" ] || continue
		for pid in $(pgrep -P "$(cat "$pf")"); do
			set -- $(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 }
			    END { print r + 0, h + 0 }' "/proc/$pid/status" \
			    2>/dev/null || echo 0 0)
			[ "$1" -gt "$r" ] && r=$1
			[ "$2" -gt "$h" ] && h=$2
		done
	done
	echo "$r $h"
}

ACC=$(sql -c "INSERT INTO parta.account (last_name, first_name, gender,
    birth_date, phone, phone_verified, password_hash)
    VALUES ('Файлов', 'Замер', 'm', '1990-01-01',
    '+7999' || lpad((floor(random() * 1e7))::text, 7, '0'), true, 'x')
    RETURNING id")
sql -c "INSERT INTO parta.privacy_consent (account_id, version)
    SELECT $ACC, parta.privacy_current()" >/dev/null 2>&1 || true
TOK=FB$(od -An -N21 -tx1 /dev/urandom | tr -d ' \n' | cut -c1-41)
CSRF=files-csrf-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
sql -c "INSERT INTO parta.session (token_hash, account_id, csrf, expires_at)
    VALUES (sha256(convert_to('$TOK', 'UTF8')), $ACC, '$CSRF',
    now() + interval '1 hour')" >/dev/null

# The files: 5 MiB each, a PDF (a header, then random bytes) or plain
# text (random letters); a photo of the fixtures.
PDF=$OUT/files.pdf TXT=$OUT/files.txt
{ printf '%%PDF-1.4\n'; head -c $((5 * 1024 * 1024 - 9)) /dev/urandom; } \
    >"$PDF"
head -c $((4 * 1024 * 1024)) /dev/urandom | base64 -w 76 |
    head -c $((5 * 1024 * 1024)) >"$TXT"
PHOTO=$ROOT/tests/http/files/photo.jpg

# One upload: up FILE NAME → status and ms; the file served back.
up() {
	curl -s -o "$OUT/files.body" -D "$OUT/files.headers" \
	    -w '%{http_code} %{time_total}\n' -b "parta_session=$TOK" \
	    -F "csrf=$CSRF" -F "file=@$1;filename=$2" "$URL/me/files"
	id=$(sql -c "SELECT max(id) FROM parta.file WHERE owner_id = $ACC")
	curl -s -o /dev/null -b "parta_session=$TOK" "$URL/files/$id"
}

# The warm-up: one of each, so that what a worker keeps for good (the
# magic database's pages, libraries' first use) is in the first figure.
for w in "$PDF warm.pdf" "$TXT warm.txt" "$PHOTO warm.jpg"; do
	set -- $w
	set -- $(up "$1" "$2")
	[ "$1" = 303 ] || { say "a warm-up upload answered $1"; exit 1; }
done
MEM0=$(mem)
sent=0 n=0 bad=0 ms=0
while [ $sent -lt $((MB * 1024 * 1024)) ]; do
	case $((n % 3)) in
	0) f=$PDF name=book-$n.pdf ;;
	1) f=$TXT name=notes-$n.txt ;;
	2) f=$PHOTO name=photo-$n.jpg ;;
	esac
	set -- $(up "$f" "$name")
	[ "$1" = 303 ] || bad=$((bad + 1))
	ms=$(awk -v a="$ms" -v b="$2" 'BEGIN { print a + b * 1000 }')
	sent=$((sent + $(stat -c %s "$f")))
	n=$((n + 1))
done
MEM1=$(mem)
sql -c "UPDATE parta.file SET in_storage = false WHERE owner_id = $ACC;
    DELETE FROM parta.session WHERE token_hash =
    sha256(convert_to('$TOK', 'UTF8'))" >/dev/null

kb() { echo "$1" | cut -d' ' -f"$2"; }
echo "## 100 MB of uploads"
echo
echo "$n files, $((sent / 1024 / 1024)) MiB in all (5 MiB PDFs and text"\
    "files, and photos re-encoded by libvips in a child process), each"\
    "uploaded to /me/files and served back from /files/ID; $bad refused;"\
    "$(awk -v a="$ms" -v n="$n" 'BEGIN { printf "%.0f", a / n }') ms per"\
    "upload on average. Resident memory of the files program's largest"\
    "worker (of its upload and page workers), kB:"
echo
echo "| | RSS | peak (VmHWM) |"
echo "|---|--:|--:|"
echo "| after the warm-up (one of each) | $(kb "$MEM0" 1) |" \
    "$(kb "$MEM0" 2) |"
echo "| after $((sent / 1024 / 1024)) MiB more | $(kb "$MEM1" 1) |" \
    "$(kb "$MEM1" 2) |"
echo "| change | $(($(kb "$MEM1" 1) - $(kb "$MEM0" 1))) |" \
    "$(($(kb "$MEM1" 2) - $(kb "$MEM0" 2))) |"
echo
echo "FILES_RSS_CHANGE=$(($(kb "$MEM1" 1) - $(kb "$MEM0" 1)))" \
    >"$OUT/files.rss"
