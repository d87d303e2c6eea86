#!/bin/sh
# Shared-hosting mode: a program run as plain CGI (environment + stdin,
# no socket) gives the same page as through nginx and FastCGI.  TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PARTA_PORT:-8080}
BIN=$ROOT/build/cgi-bin
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cgi() {
	env -i PATH=/usr/bin:/bin PARTA_BASE_URL=http://127.0.0.1 \
	    PARTA_DB="host=$ROOT/var/run dbname=parta user=parta" \
	    PARTA_TEMPLATES="$ROOT/html/templates" \
	    PARTA_OUTBOX_DIR="$ROOT/var/outbox" \
	    GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
	    REMOTE_ADDR=127.0.0.1 "$@"
}
# The body of a CGI response: everything after the first empty line, with
# the random CSRF token blanked.
body_of() { sed '1,/^\r\{0,1\}$/d' "$1" | sed 's/name="csrf" value="[^"]*"/name="csrf" value=""/'; }

echo "1..3"

cgi REQUEST_METHOD=GET SCRIPT_NAME=/login QUERY_STRING='next=/me' \
    "$BIN/session" </dev/null >"$TMP/cgi.out"
curl -si "http://127.0.0.1:$PORT/login?next=/me" >"$TMP/fcgi.out"
if head -n 1 "$TMP/cgi.out" | grep -q '^Status: 200 OK' &&
    body_of "$TMP/cgi.out" >"$TMP/a" && body_of "$TMP/fcgi.out" >"$TMP/b" &&
    [ -s "$TMP/a" ] && cmp -s "$TMP/a" "$TMP/b"; then
	echo "ok 1 - GET /login as CGI equals the FastCGI page"
else
	echo "not ok 1 - GET /login as CGI equals the FastCGI page"
	diff "$TMP/a" "$TMP/b" | head -n 20 | sed 's/^/# /'
fi

tok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
# A login of its own each run, so the failures never reach the throttle.
body="csrf=$tok&login=cgi-$$-$(date +%s)%40school.test&password=wrong-password"
printf '%s' "$body" | cgi REQUEST_METHOD=POST SCRIPT_NAME=/login \
    CONTENT_TYPE=application/x-www-form-urlencoded \
    CONTENT_LENGTH=${#body} HTTP_COOKIE="parta_csrf=$tok" \
    "$BIN/session" >"$TMP/post.out"
if head -n 1 "$TMP/post.out" | grep -q '^Status: 422' &&
    grep -q 'Неверный логин или пароль' "$TMP/post.out"; then
	echo "ok 2 - POST /login as CGI reads stdin and answers 422"
else
	echo "not ok 2 - POST /login as CGI reads stdin and answers 422"
	head -n 3 "$TMP/post.out" | sed 's/^/# /'
fi

# A body shorter than CONTENT_LENGTH is refused, not waited for forever.
printf 'csrf=x' | cgi REQUEST_METHOD=POST SCRIPT_NAME=/login \
    CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=100 \
    "$BIN/session" >"$TMP/short.out"
if head -n 1 "$TMP/short.out" | grep -q '^Status: 400'; then
	echo "ok 3 - truncated CGI body gives 400"
else
	echo "not ok 3 - truncated CGI body gives 400"
	head -n 3 "$TMP/short.out" | sed 's/^/# /'
fi
