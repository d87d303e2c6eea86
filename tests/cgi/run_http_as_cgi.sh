#!/bin/sh
# Shared-hosting mode, the whole way: every HTTP test (build/tests/http/
# test_*) against the programs run as plain CGI, one process per request,
# by fcgiwrap (Debian's CGI runner) behind a second nginx.  Prints one TAP
# stream; tests/run.sh counts it.
#
# The second nginx is the local stack's own configuration
# (nginx/local.conf.in) with each program's socket replaced by fcgiwrap
# running build/cgi-bin/PROGRAM, so every route prefix is the same; the
# settings reach the programs as CGI variables (fastcgi_param), the way a
# hosting's web server passes them (Apache: SetEnv).  It uses the local
# stack's database, which it starts when need be.
#   PARTA_PORT      the local stack (8080)
#   PARTA_CGI_PORT  the second nginx (PARTA_PORT + 1)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASE_PORT=${PARTA_PORT:-8080}
PORT=${PARTA_CGI_PORT:-$((BASE_PORT + 1))}
VAR=$ROOT/var
DIR=$VAR/cgi
LOG=$VAR/log
BIN=$ROOT/build/cgi-bin
DB="host=$VAR/run dbname=parta user=parta"
umask 022

die() { echo "Bail out! $*"; exit 1; }

PARTA_PORT=$BASE_PORT "$ROOT/scripts/stack.sh" start >/dev/null ||
    die "the local stack did not start"
command -v /usr/sbin/fcgiwrap >/dev/null ||
    die "fcgiwrap is not installed (scripts/deps.sh)"

stop() {
	if [ -f "$DIR/nginx.pid" ]; then
		kill "$(cat "$DIR/nginx.pid")" 2>/dev/null
		rm -f "$DIR/nginx.pid"
	fi
	# fcgiwrap's preforked children outlive their parent: end its
	# process group (spawn-fcgi started it in a session of its own).
	if [ -f "$DIR/fcgiwrap.pid" ]; then
		kill -- "-$(cat "$DIR/fcgiwrap.pid")" 2>/dev/null
		rm -f "$DIR/fcgiwrap.pid"
	fi
}
stop
trap 'stop' EXIT
trap 'exit 1' INT TERM
mkdir -p "$DIR" "$LOG"
for d in body fastcgi proxy uwsgi scgi; do
	mkdir -p "$DIR/tmp/$d"
done

# Who nginx's workers run as: as in scripts/stack.sh (nobody, or root
# when nobody cannot enter the checkout; spawn-fcgi makes root's socket
# by itself).
user=
owner=
wu=$(PARTA_VAR=$VAR "$ROOT/scripts/stack.sh" webuser)
if [ -n "$wu" ]; then
	user="user $wu $(id -gn "$wu");"
	[ "$wu" != root ] && owner="-U $wu -G $(id -gn "$wu")"
	chown -R "$wu" "$DIR/tmp"
fi

# The CGI variables every program gets besides the request's own.
params=$DIR/params.conf
(umask 077 && : >"$params")
{
	echo "fastcgi_param PARTA_SECRET \"$(cat "$VAR/secret")\";"
	echo "fastcgi_param PARTA_DB \"$DB\";"
	echo "fastcgi_param PARTA_TEMPLATES \"$ROOT/html/templates\";"
	echo "fastcgi_param PARTA_OUTBOX_DIR \"$VAR/outbox\";"
	echo "fastcgi_param PARTA_UPLOADS \"$VAR/uploads\";"
	echo "fastcgi_param PARTA_BASE_URL \"http://127.0.0.1:$PORT\";"
	# The local stack's own settings, as scripts/stack.sh gives them to
	# the programs (the personal-data operator on /privacy, the
	# per-address sign-up limit raised for test suites, the round
	# trips' header test_round_trips reads).
	PARTA_PORT=$BASE_PORT "$ROOT/scripts/stack.sh" env |
	while IFS='=' read -r k v; do
		case $k in
		PARTA_PD_*|PARTA_SIGNUP_ADDR_MAX|PARTA_DEBUG_ROUND_TRIPS)
			echo "fastcgi_param $k \"$v\";" ;;
		esac
	done
} >>"$params"

# local.conf.in, with fcgiwrap instead of the programs' sockets (the
# upload workers' too, PROGRAM$parta_pool.sock: as CGI every request has
# a process of its own, so uploads hold no one else's).
prog='unix:@RUN@/\([A-Za-z0-9_-]*\)\(\$parta_pool\)\{0,1\}\.sock;'
cgi="include $params; fastcgi_param SCRIPT_FILENAME $BIN/\\1;"
cgi="$cgi fastcgi_pass unix:$DIR/fcgiwrap.sock;"
sed -e "s|fastcgi_pass $prog|$cgi|" \
    -e "s|^pid .*|pid $DIR/nginx.pid;|" \
    -e "s|@VAR@/log/nginx-error.log|$LOG/cgi-nginx-error.log|g" \
    -e "s|@VAR@/log/nginx-access.log|$LOG/cgi-nginx-access.log|g" \
    -e "s|@VAR@/nginx/tmp/|$DIR/tmp/|g" \
    -e "s|@ROOT@|$ROOT|g" -e "s|@PORT@|$PORT|g" -e "s|@USER@|$user|g" \
    -e "s|@RUN@|$DIR|g" -e "s|@VAR@|$VAR|g" \
    "$ROOT/nginx/local.conf.in" >"$DIR/nginx.conf"
if grep -v '^[[:space:]]*#' "$DIR/nginx.conf" | grep -q '@[A-Z]*@'; then
	die "nginx/local.conf.in has a placeholder this script does not fill"
fi
# Nothing may reach the FastCGI programs of the local stack: every
# fastcgi_pass directive (not fastcgi_pass_header) goes to fcgiwrap.
if grep -E '(^|[[:space:];])fastcgi_pass[[:space:]]' "$DIR/nginx.conf" |
    grep -qv "unix:$DIR/fcgiwrap.sock;"
then
	die "a location of nginx/local.conf.in escapes the CGI rewrite"
fi

# fcgiwrap on a socket the nginx workers may use; it forks one program
# per request.  Enough of it for the tests' parallel requests.  -f sends
# the programs' stderr (their log) to nginx's error log, as a hosting's
# web server keeps a CGI program's: without it spawn-fcgi's /dev/null
# would swallow every fault.
rm -f "$DIR/fcgiwrap.sock"
# shellcheck disable=SC2086
spawn-fcgi -s "$DIR/fcgiwrap.sock" -M 0600 $owner -P "$DIR/fcgiwrap.pid" \
    -- /usr/sbin/fcgiwrap -f -c 16 >>"$LOG/cgi-fcgiwrap.log" 2>&1 ||
    die "fcgiwrap did not start: see var/log/cgi-fcgiwrap.log"
nginx -p "$DIR" -e "$LOG/cgi-nginx-error.log" -c "$DIR/nginx.conf" \
    2>>"$LOG/cgi-nginx-error.log" ||
    die "nginx did not start on 127.0.0.1:$PORT: see var/log/cgi-nginx-error.log"
i=0
while [ "$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$PORT/login")" != 200 ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || die "the CGI site does not answer on port $PORT"
	sleep 0.1
done

# Every HTTP test, its TAP lines renumbered into one stream and named
# after the test program.  A program that stops early or exits badly
# without a failure of its own counts as one failure.
echo 0 >"$DIR/count"
for t in "$ROOT"/build/tests/http/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	out=$DIR/$name.out
	PARTA_PORT=$PORT PARTA_ROOT=$ROOT PARTA_DB=$DB \
	    PARTA_OUTBOX_DIR=$VAR/outbox "$t" >"$out" 2>&1
	rc=$?
	awk -v n="$(cat "$DIR/count")" -v name="$name" -v rc="$rc" \
	    -v count="$DIR/count" '
	/^1\.\.[0-9]+/ { plan = substr($0, 4) + 0; next }
	/^(not )?ok / {
		bad = /^not ok /
		d = $0
		sub(/^(not )?ok [0-9]+ *(- )?/, "", d)
		n++
		seen++
		if (bad)
			fails++
		printf "%sok %d - %s: %s\n", bad ? "not " : "", n, name, d
		next
	}
	/^#/ { print; next }
	{ print "# " $0 }
	END {
		if (seen == 0 || seen < plan || (rc != 0 && fails == 0)) {
			n++
			printf "not ok %d - %s: ran %d of %d, exit status %d\n",
			    n, name, seen, plan, rc
		}
		print n >count
	}' "$out"
done
echo "1..$(cat "$DIR/count")"
