#!/bin/sh
# The production nginx server blocks (nginx/parta.conf), the shipped file
# itself: nginx -t accepts it, it routes every prefix the local stack
# routes, and an nginx running it in front of the local stack's programs
# redirects HTTP, serves HTTPS with Secure cookies and the security
# headers, caches static files and keeps tokens out of its access log.
# Only the addresses change: listen on unix sockets in a temporary folder
# (no port needed), a self-signed certificate, the local stack's sockets
# and html/ for /run/parta and the installed web root (the operator's a
# socket nobody listens on: a program not running, test 16).  TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CONF=$ROOT/nginx/parta.conf
RUN=$ROOT/var/run
TMP=$(mktemp -d)
chmod 0755 "$TMP"
trap 'stop_nginx; rm -rf "$TMP"' EXIT
. "$ROOT/tests/deploy/tap.sh"
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
stop_nginx() {
	[ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null
	rm -f "$TMP/nginx.pid"
}

echo "1..19"

# A self-signed certificate for the placeholders.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=parta.example.ru \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1 ||
    echo "# openssl could not make a certificate"

# The shipped file with the machine-specific paths replaced.
localize() {
	sed -e "s|^\([[:space:]]*\)listen 80;|\1listen unix:$TMP/http.sock;|" \
	    -e "s|^\([[:space:]]*\)listen 443 ssl|\1listen unix:$TMP/https.sock ssl|" \
	    -e '/listen \[::\]:/d' \
	    -e "s|\(ssl_certificate\) /etc/letsencrypt/.*;|\1 $TMP/cert.pem;|" \
	    -e "s|\(ssl_certificate_key\) /etc/letsencrypt/.*;|\1 $TMP/key.pem;|" \
	    -e "s|/var/log/nginx/|$TMP/|g" \
	    -e "s|^\([[:space:]]*access_log .*parta-access.log parta;\)|\1 access_log $TMP/upstream.log parta_upstream;|" \
	    -e "s|unix:/run/parta/operator.sock|unix:$TMP/stopped.sock|" \
	    -e "s|unix:/run/parta/|unix:$RUN/|g" \
	    -e "s|root /usr/local/share/parta/html;|root $ROOT/html;|"
}
localize <"$CONF" >"$TMP/parta.conf"
# nginx's workers run as the local stack's do (nobody, or root when
# nobody cannot enter the checkout: scripts/stack.sh).
user=
wu=$(PARTA_VAR=$ROOT/var "$ROOT/scripts/stack.sh" webuser)
[ -n "$wu" ] && user="user $wu $(id -gn "$wu");"
cat >"$TMP/nginx.conf" <<EOF
$user
pid $TMP/nginx.pid;
error_log $TMP/error.log warn;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	client_body_temp_path $TMP/body;
	# Which socket each request went to (test 15).
	log_format parta_upstream '\$request_method \$uri \$upstream_addr';
	include $TMP/parta.conf;
}
EOF

# 1: every placeholder was found (else the test would check less).
left=$(grep -v '^[[:space:]]*#' "$TMP/parta.conf" |
    grep -nE -e 'listen (80|443|\[::\])|/etc/letsencrypt|/var/log/nginx' \
    -e '/run/parta|/usr/local/share')
if [ -z "$left" ] && [ -s "$TMP/cert.pem" ] &&
    grep -q "listen unix:$TMP/https.sock ssl" "$TMP/parta.conf" &&
    grep -q "listen unix:$TMP/http.sock;" "$TMP/parta.conf"; then
	ok "the test finds every address in nginx/parta.conf"
else
	not_ok "the test finds every address in nginx/parta.conf" "$left"
fi

# 2: nginx -t.
if out=$(nginx -t -p "$TMP" -e "$TMP/error.log" -c "$TMP/nginx.conf" 2>&1)
then
	ok "nginx -t accepts nginx/parta.conf"
else
	not_ok "nginx -t accepts nginx/parta.conf" "$out"
fi

# 3: the same routes as the local stack, each to the same program.
routes() {
	awk '/^[[:space:]]*location ~/ { loc = $0; sub(/^[[:space:]]*/, "",
	    loc) } /fastcgi_pass unix:/ { s = $0; sub(/.*\//, "", s);
	    print loc " -> " s }' "$1" | sort
}
routes "$ROOT/nginx/local.conf.in" >"$TMP/local.routes"
routes "$CONF" >"$TMP/prod.routes"
if [ -s "$TMP/local.routes" ] && cmp -s "$TMP/local.routes" "$TMP/prod.routes"
then
	ok "parta.conf routes every prefix of local.conf.in to its program"
else
	not_ok "parta.conf routes every prefix of local.conf.in to its program" \
	    "$(diff "$TMP/local.routes" "$TMP/prod.routes")"
fi

# The rest runs it in front of the local stack's programs.
nginx -p "$TMP" -e "$TMP/error.log" -c "$TMP/nginx.conf" 2>>"$TMP/error.log"
i=0
while [ ! -S "$TMP/https.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
get() {
	# get http|https PATH [curl options]: headers and body to $TMP/out
	scheme=$1
	path=$2
	shift 2
	curl -sk --unix-socket "$TMP/$scheme.sock" -D "$TMP/head" \
	    -o "$TMP/resp" -w '%{http_code}' "$@" \
	    "$scheme://parta.example.ru$path"
}
header() {
	# header NAME: the values of a response header, one a line
	tr -d '\r' <"$TMP/head" | grep -i "^$1:" | sed 's/^[^:]*: //'
}

# 4: plain HTTP redirects to the same path over HTTPS.
code=$(get http '/login?next=/me')
loc=$(header Location)
if [ "$code" = 301 ] &&
    [ "$loc" = "https://parta.example.ru/login?next=/me" ]; then
	ok "HTTP answers 301 to the HTTPS address"
else
	not_ok "HTTP answers 301 to the HTTPS address" "$code $loc"
fi

# 5: HTTPS reaches the program, which marks its cookie Secure.
code=$(get https /login)
cookie=$(header Set-Cookie)
if [ "$code" = 200 ] && grep -q 'name="csrf"' "$TMP/resp" &&
    printf '%s' "$cookie" | grep -q '__Host-parta_csrf=.*; Secure'; then
	ok "HTTPS /login: the program's page, its cookie Secure"
else
	not_ok "HTTPS /login: the program's page, its cookie Secure" \
	    "$code" "$cookie" "$(tail -n 3 "$TMP/error.log")"
fi

# 6: the security headers, each once (the programs' copies hidden).
bad=
for h in Content-Security-Policy X-Content-Type-Options Referrer-Policy \
    X-Frame-Options Strict-Transport-Security; do
	[ "$(header "$h" | wc -l)" -eq 1 ] || bad="$bad $h"
done
if [ -z "$bad" ] && [ "$(header X-Frame-Options)" = DENY ] &&
    header Cache-Control | grep -q no-store; then
	ok "a program's page has each security header once"
else
	not_ok "a program's page has each security header once" "$bad" \
	    "$(cat "$TMP/head")"
fi

# 7: static files: cached for a day, with the same headers.
code=$(get https /static/parta.css)
if [ "$code" = 200 ] && header Cache-Control | grep -q 'max-age=86400' &&
    [ "$(header Content-Security-Policy | wc -l)" -eq 1 ] &&
    [ "$(header Strict-Transport-Security | wc -l)" -eq 1 ]; then
	ok "static files are cached and carry the security headers"
else
	not_ok "static files are cached and carry the security headers" \
	    "$code" "$(cat "$TMP/head")"
fi

# 8: the CGI parameters are set once for the server, and every program
# location inherits them (one fastcgi_param of its own would cut them
# off): HTTP_PROXY empty, so no Proxy header reaches a program as one.
# (5 showed HTTPS arriving.)  9: a body over the upload limit is refused
# by nginx with the site's page saying the limit (error_page 413), still
# 413.
own=$(awk '/^[[:space:]]*location/ { in_loc = 1 } in_loc && /fastcgi_param/ {
    print } /^[[:space:]]*}/ { in_loc = 0 }' "$CONF")
if [ -z "$own" ] && grep -q '^	fastcgi_param HTTP_PROXY "";' "$CONF" &&
    grep -q '^	fastcgi_param HTTPS on;' "$CONF"; then
	ok "HTTP_PROXY blanked and HTTPS on for every program location"
else
	not_ok "HTTP_PROXY blanked and HTTPS on for every program location" \
	    "$own"
fi
head -c $((12 * 1024 * 1024)) /dev/zero >"$TMP/big"
code=$(get https /register/org -X POST -H 'Content-Type: text/plain' \
    --data-binary @"$TMP/big")
if [ "$code" = 413 ] && grep -q 'Файл больше [0-9]* МБ' "$TMP/resp" &&
    grep -q 'href="/static/parta.css"' "$TMP/resp" &&
    ! grep -q nginx "$TMP/resp"; then
	ok "nginx refuses bodies over 11 MiB with the site's page"
else
	not_ok "nginx refuses bodies over 11 MiB with the site's page" "$code" \
	    "$(head -c 300 "$TMP/resp")"
fi

# 10: a path nobody serves answers 404 with the site's own page, in
# Russian, with its stylesheet (as local.conf.in: the same error_page
# lines); /favicon.ico is an image.
code=$(get https /no/such/page)
page=$(cat "$TMP/resp")
fav=$(get https /favicon.ico)
ftype=$(header Content-Type)
ep() { grep -E '^[[:space:]]*(error_page|location = /(404|50x))' "$1" |
    sed 's/^[[:space:]]*//'; }
if [ "$code" = 404 ] &&
    printf '%s' "$page" | grep -q 'Страница не найдена' &&
    printf '%s' "$page" | grep -q 'href="/static/parta.css"' &&
    [ "$fav" = 200 ] && case $ftype in image/*) true ;; *) false ;; esac &&
    [ -n "$(ep "$CONF")" ] &&
    [ "$(ep "$CONF")" = "$(ep "$ROOT/nginx/local.conf.in")" ]; then
	ok "unknown paths: the Russian 404 page; /favicon.ico an image"
else
	not_ok "unknown paths: the Russian 404 page; /favicon.ico an image" \
	    "$code $fav $ftype" "$(printf '%s' "$page" | head -n 5)"
fi

# 15 (its requests; checked below, from the log): a multipart body goes
# to the program's upload workers, a form's to its page workers.
curl -sk --unix-socket "$TMP/https.sock" -o /dev/null -F "file=@$CONF" \
    https://parta.example.ru/me/files
curl -sk --unix-socket "$TMP/https.sock" -o /dev/null -d "x=1" \
    https://parta.example.ru/me/files

# 16 (its request; checked below): a program not running.
code50x=$(get https /operator/requests)
cp "$TMP/resp" "$TMP/resp50x"
csp50x=$(header Content-Security-Policy | wc -l)

# 11, 12: tokens in /join/ and /c/ links and query strings (a calendar
# feed's key) stay out of the access log.
tok=TOKENnotToBeLogged0123456789abcdefghijklmnopq
get https "/join/$tok" >/dev/null
get https "/c/$tok" >/dev/null
get https "/login?next=/join/$tok" >/dev/null
get https "/me/calendar.ics?key=$tok" >/dev/null
stop_nginx
sleep 0.2
if ! grep -q "$tok" "$TMP/parta-access.log" &&
    grep -q '"GET /join/-"' "$TMP/parta-access.log" &&
    grep -q '"GET /c/-"' "$TMP/parta-access.log"; then
	ok "tokens stay out of the access log"
else
	not_ok "tokens stay out of the access log" \
	    "$(cat "$TMP/parta-access.log")"
fi
if grep -q '"GET /login"' "$TMP/parta-access.log" &&
    grep -q '"GET /static/parta.css" 200' "$TMP/parta-access.log"; then
	ok "the access log names the routes"
else
	not_ok "the access log names the routes" \
	    "$(cat "$TMP/parta-access.log")"
fi

# 13: what make install ships is this file with its PREFIX's paths.
make -s -C "$ROOT" install DESTDIR="$TMP/dest" PREFIX=/opt/parta \
    >/dev/null 2>&1
inst=$TMP/dest/opt/parta/share/parta/nginx/parta.conf
if [ -f "$inst" ] && grep -q 'root /opt/parta/share/parta/html;' "$inst" &&
    [ "$(sed 's|/opt/parta/|/usr/local/|' "$inst" | diff - "$CONF")" = "" ]
then
	ok "make install ships it with the PREFIX's web root"
else
	not_ok "make install ships it with the PREFIX's web root"
fi

# 14: requests with a multipart body go to the upload workers
# (PROGRAM$parta_pool.sock, PROGRAM-upload.sock) of exactly the programs
# that take uploads (a route flagged APP_UPLOAD), in both files: the
# stack and systemd start upload workers for those alone.
uploaders() {
	for p in $("$ROOT"/scripts/programs.sh "$ROOT"); do
		"$ROOT/build/cgi-bin/$p" --routes 2>/dev/null |
		    grep -q APP_UPLOAD && echo "$p"
	done | sort
}
pooled() {
	sed -n 's|.*fastcgi_pass unix:.*/\([A-Za-z0-9_-]*\)\$parta_pool\.sock;.*|\1|p' \
	    "$1" | sort -u
}
want=$(uploaders)
map() { grep -A3 'map $content_type $parta_pool' "$1" |
    grep -q 'multipart/form-data[[:space:]]*-upload;'; }
if [ -n "$want" ] && [ "$(pooled "$CONF")" = "$want" ] &&
    [ "$(pooled "$ROOT/nginx/local.conf.in")" = "$want" ] &&
    map "$CONF" && map "$ROOT/nginx/local.conf.in"; then
	ok "multipart bodies go to the upload workers of the programs that take uploads"
else
	not_ok "multipart bodies go to the upload workers of the programs that take uploads" \
	    "take uploads: $(echo "$want" | tr '\n' ' ')" \
	    "parta.conf: $(pooled "$CONF" | tr '\n' ' ')" \
	    "local.conf.in: $(pooled "$ROOT/nginx/local.conf.in" | tr '\n' ' ')"
fi

# 15: and so they do, through the shipped file (a unix: path with a
# variable needs no resolver).
if grep -q "^POST /me/files unix:$RUN/files-upload.sock\$" "$TMP/upstream.log" &&
    grep -q "^POST /me/files unix:$RUN/files.sock\$" "$TMP/upstream.log"; then
	ok "a multipart POST reaches files-upload.sock, a form's files.sock"
else
	not_ok "a multipart POST reaches files-upload.sock, a form's files.sock" \
	    "$(grep 'me/files' "$TMP/upstream.log")"
fi

# 16: more than one host (docs/deploy.md, "More than one machine"): the
# sed given there turns every fastcgi_pass of the shipped file into an
# upstream's name, parta_PROGRAM (parta_PROGRAM$parta_pool), and with an
# upstream of two servers for each program and upload pool nginx -t
# accepts the result.
sed 's|fastcgi_pass unix:/run/parta/\([^;]*\)\.sock;|fastcgi_pass parta_\1;|' \
    "$CONF" | localize >"$TMP/hosts.conf"
{
	echo "fastcgi_next_upstream error timeout;"
	echo "fastcgi_connect_timeout 1s;"
	port=9000
	for p in $("$ROOT"/scripts/programs.sh "$ROOT"); do
		names=$p
		echo "$want" | grep -qx "$p" && names="$p $p-upload"
		for name in $names; do
			port=$((port + 1))
			echo "upstream parta_$name {"
			echo "	server unix:$RUN/$name.sock max_fails=1 fail_timeout=10s;"
			echo "	server 10.0.0.5:$port max_fails=1 fail_timeout=10s;"
			echo "}"
		done
	done
} >"$TMP/upstreams.conf"
sed "s|include $TMP/parta.conf;|include $TMP/upstreams.conf; include $TMP/hosts.conf;|" \
    "$TMP/nginx.conf" >"$TMP/hosts-nginx.conf"
# Every target names an upstream that exists, the pool's too.
missing=
for t in $(sed -n 's/.*fastcgi_pass \([^;]*\);.*/\1/p' "$TMP/hosts.conf" |
    sort -u); do
	for name in "${t%\$parta_pool}" \
	    "$(echo "$t" | sed 's/\$parta_pool$/-upload/')"; do
		grep -q "^upstream $name {" "$TMP/upstreams.conf" ||
		    missing="$missing $name"
	done
done
if ! grep -q 'fastcgi_pass unix:' "$TMP/hosts.conf" && [ -z "$missing" ] &&
    grep -q 'fastcgi_pass parta_session;' "$TMP/hosts.conf" &&
    out=$(nginx -t -p "$TMP" -e "$TMP/error.log" -c "$TMP/hosts-nginx.conf" \
    2>&1); then
	ok "docs/deploy.md's upstreams for a second host: nginx -t accepts them"
else
	not_ok "docs/deploy.md's upstreams for a second host: nginx -t accepts them" \
	    "missing:$missing" "${out:-}" \
	    "$(grep 'fastcgi_pass unix:' "$TMP/hosts.conf")"
fi

# 17: a program that does not answer (here: not running, 502; the same
# page for 503 and 504): the site's own page in Russian, with its
# stylesheet and the site's policy, never nginx's English one.
if [ "$code50x" = 502 ] && grep -q 'Сервер не ответил' "$TMP/resp50x" &&
    grep -q 'href="/static/parta.css"' "$TMP/resp50x" &&
    ! grep -qi nginx "$TMP/resp50x" && [ "$csp50x" -eq 1 ] &&
    grep -q '^[[:space:]]*error_page 502 503 504 /50x.html;' "$CONF"; then
	ok "a program not answering: the Russian 50x page"
else
	not_ok "a program not answering: the Russian 50x page" "$code50x" \
	    "$(head -c 300 "$TMP/resp50x")"
fi

# 18: the locations of the upload workers wait longer for an answer
# than a program waits for photos to convert (PARTA_CONVERT_DEADLINE,
# 75 s), in both files; the others keep nginx's 60 s.
waits() {
	awk '/^[[:space:]]*location/ { loc = $0; r = ""; w = "" }
	    /fastcgi_read_timeout/ { r = $2 } /fastcgi_send_timeout/ { w = $2 }
	    /fastcgi_pass unix:/ { k = "page"; if ($0 ~ /parta_pool/) k = "pool"
	    print k, r, w }' "$1" | sort | uniq -c | sed 's/^ *//'
}
want_waits=$(printf '%s\n' "$(uploaders | wc -l) pool 120s; 120s;")
if [ "$(waits "$CONF" | grep pool)" = "$want_waits" ] &&
    [ "$(waits "$ROOT/nginx/local.conf.in" | grep pool)" = "$want_waits" ] &&
    ! waits "$CONF" | grep page | grep -q 's;' &&
    ! waits "$ROOT/nginx/local.conf.in" | grep page | grep -q 's;'; then
	ok "the upload locations wait 120 s, the others nginx's default"
else
	not_ok "the upload locations wait 120 s, the others nginx's default" \
	    "$(waits "$CONF")" "$(waits "$ROOT/nginx/local.conf.in")"
fi

# 19: a body over the limit while files (which writes the 413's page)
# does not answer: the Russian 50x page still, never nginx's
# (recursive_error_pages).  The same file, that one location's socket
# one nobody listens on (the only fastcgi_pass to files.sock itself).
stop_nginx
sed "s|fastcgi_pass unix:$RUN/files.sock;|fastcgi_pass unix:$TMP/stopped.sock;|" \
    "$TMP/parta.conf" >"$TMP/down.conf"
sed -i "s|include $TMP/parta.conf;|include $TMP/down.conf;|" "$TMP/nginx.conf"
rm -f "$TMP/https.sock" "$TMP/http.sock"
nginx -p "$TMP" -e "$TMP/error.log" -c "$TMP/nginx.conf" 2>>"$TMP/error.log"
i=0
while [ ! -S "$TMP/https.sock" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
code=$(get https /register/org -X POST -H 'Content-Type: text/plain' \
    --data-binary @"$TMP/big")
if ! cmp -s "$TMP/parta.conf" "$TMP/down.conf" && [ "$code" = 502 ] &&
    grep -q 'Сервер не ответил' "$TMP/resp" && ! grep -qi nginx "$TMP/resp"
then
	ok "a body over the limit while files is down: the Russian 50x page"
else
	not_ok "a body over the limit while files is down: the Russian 50x page" \
	    "$code" "$(head -c 300 "$TMP/resp")"
fi
