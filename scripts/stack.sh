#!/bin/sh
# The local stack: a private PostgreSQL cluster, the FastCGI programs and
# nginx, all under this checkout's var/ (PARTA_VAR: another folder, e.g.
# the bench's var/bench, so two stacks of one checkout never meet).
#   scripts/stack.sh start   start what is not running, return when it answers
#   scripts/stack.sh stop    stop everything this checkout started
#   scripts/stack.sh run     start, print the address, stop on Ctrl-C
#   scripts/stack.sh env     print the environment the programs get
#   scripts/stack.sh webuser  the user nginx's workers run as (root only)
#   scripts/stack.sh kill-stack K  SIGKILL to the programs of stack K
#                            (PARTA_STACKS below), as a host that dies
#   scripts/stack.sh pg-start|pg-stop|pg-status   PostgreSQL alone
#   scripts/stack.sh replica start|stop|status|promote|remove
#                            a hot standby of it (below); PARTA_REPLICA=1
#                            starts it with the stack, and the programs
#                            read from it (PARTA_DB_READ); =sync makes
#                            the primary's commits wait for it
# VALGRIND=1 runs every program under valgrind memcheck, one worker each,
# logging to var/log/valgrind-PROGRAM-PID.log (make test-valgrind).
# PARTA_STACKS=N (default 1) starts N groups of workers of every
# program, as if on N hosts: the first on var/run/PROGRAM.sock, group K
# on var/run/stackK/PROGRAM.sock; nginx passes each program to an
# upstream of all of them (nginx_conf).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
umask 022
VAR=${PARTA_VAR:-$ROOT/var}
mkdir -p "$VAR"
VAR=$(cd "$VAR" && pwd)
RUN=$VAR/run
LOG=$VAR/log
PGDATA=$VAR/pg
PORT=${PARTA_PORT:-8080}
BIN=$ROOT/build/cgi-bin
PROGRAMS=$("$ROOT/scripts/programs.sh" "$ROOT")
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

say() { echo "stack: $*"; }
die() { echo "stack: $*" >&2; exit 1; }

# The cluster in var/pg, its socket in var/run, its log in var/log.
PGHOME=
PGSOCK=$RUN
PGLOG=$LOG/postgresql.log
# PostgreSQL refuses to run as root; then the cluster belongs to the
# postgres system user and nginx's workers run as nobody.  Neither can
# pass a folder above the checkout that is closed to others (a clone in
# /root, or in a mktemp folder), and the stack changes no folder outside
# the checkout.  Then nginx's workers run as root, and a new cluster lives
# in a folder of the postgres user's own, PGHOME (in its home,
# /var/lib/postgresql/parta-XXXXXXXX, named in var/pg-home), with its
# socket and log, linked into var/run and var/log.
if [ "$(id -u)" -eq 0 ]; then
	# (From /: postgres may not be allowed in the current folder.)
	as_pg() { (cd / && runuser -u postgres -- "$@"); }
	# Can user enter folder (search permission all the way down)?
	reaches() { runuser -u "$1" -- test -x "$2" 2>/dev/null; }
	WEBUSER=nobody
	reaches nobody "$ROOT" && reaches nobody "$VAR" || WEBUSER=root
	WEBGROUP=$(id -gn "$WEBUSER")
	if [ -s "$VAR/pg-home" ]; then
		PGHOME=$(cat "$VAR/pg-home")
	elif [ ! -f "$VAR/pg/PG_VERSION" ] && ! reaches postgres "$VAR"; then
		PGHOME=new
	fi
else
	WEBUSER=
	as_pg() { "$@"; }
fi
# The replica's cluster, socket folder and log (replica_start).
REPDATA=$VAR/replica
REPSOCK=$VAR/run-replica
REPLOG=$LOG/replica.log
pg_paths() {
	PGDATA=$PGHOME/data
	PGSOCK=$PGHOME
	PGLOG=$PGHOME/postgresql.log
	REPDATA=$PGHOME/replica
	REPSOCK=$PGHOME/run-replica
	REPLOG=$PGHOME/replica.log
}
[ -n "$PGHOME" ] && [ "$PGHOME" != new ] && pg_paths

# The programs connect as parta_app, which owns nothing and sees only the
# rows of the request's account (sql/0030_rls.sql); the migrations and
# parta-admin as parta, the owner (PARTA_OWNER_DB, never the programs').
export PARTA_DB="host=$RUN dbname=parta user=parta_app"
OWNER_DB="host=$RUN dbname=parta user=parta"
# With PARTA_REPLICA=1 (or sync) the read-only pages read from the
# replica.
if [ "${PARTA_REPLICA:-0}" != 0 ]; then
	export PARTA_DB_READ="host=$VAR/run-replica dbname=parta user=parta_app"
fi
export PARTA_TEMPLATES="$ROOT/html/templates"
export PARTA_OUTBOX_DIR="$VAR/outbox"
export PARTA_UPLOADS="$VAR/uploads"
# The upload workers of each program that takes uploads (below): the
# programs read the number too (lib/file: all but one of them may wait
# for or convert photos, so a PDF never queues behind photos).
export PARTA_UPLOAD_WORKERS="${PARTA_UPLOAD_WORKERS:-6}"
export PARTA_BASE_URL="${PARTA_BASE_URL:-http://127.0.0.1:$PORT}"
# Shown on /privacy; a real server names its operator (systemd/parta.conf).
export PARTA_PD_OPERATOR="${PARTA_PD_OPERATOR:-Парта, локальный стенд}"
export PARTA_PD_CONTACT="${PARTA_PD_CONTACT:-privacy@parta.local}"
# The key invite links are derived with (see cgi-bin/invite.c): made once
# per checkout, kept in var/ beside the cluster, never in the database.
if [ -z "${PARTA_SECRET:-}" ]; then
	if [ ! -s "$VAR/secret" ]; then
		mkdir -p "$VAR"
		(umask 077 && head -c 32 /dev/urandom | base64 >"$VAR/secret")
	fi
	PARTA_SECRET=$(cat "$VAR/secret")
fi
export PARTA_SECRET
# The test suites sign many people up from 127.0.0.1: the per-address
# sign-up limit (20 an hour in production) is raised here, and said so.
export PARTA_SIGNUP_ADDR_MAX="${PARTA_SIGNUP_ADDR_MAX:-100000}"
# The tests hold pages to their round trips to PostgreSQL
# (tests/http/test_round_trips.c): each answer says how many it took.
export PARTA_DEBUG_ROUND_TRIPS="${PARTA_DEBUG_ROUND_TRIPS:-1}"

# A cluster of the postgres user's own for this checkout (see above).
# One left by an earlier var/ of this same path (rm -rf var: start over)
# is stopped and removed first.
pg_home_new() {
	home=$(getent passwd postgres | cut -d: -f6)
	for d in "$home"/parta-*; do
		[ -f "$d/var" ] && [ "$(cat "$d/var")" = "$VAR" ] || continue
		as_pg "$PGBIN/pg_ctl" -D "$d/data" -m immediate -w stop \
		    >/dev/null 2>&1 || true
		rm -rf "$d"
		say "removed $d, the cluster of an earlier $VAR"
	done
	PGHOME=$(as_pg mktemp -d "$home/parta-XXXXXXXX") ||
	    die "could not make a folder in $home for the cluster"
	printf '%s\n' "$VAR" >"$PGHOME/var"
	printf '%s\n' "$PGHOME" >"$VAR/pg-home"
	pg_paths
	say "postgres cannot enter $VAR (a folder above it is closed" \
	    "to others): the cluster lives in $PGHOME"
}

pg_running() {
	[ -f "$PGDATA/postmaster.pid" ] &&
	    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

pg_stop() {
	if pg_running; then
		as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null ||
		    true
	fi
}

pg_start() {
	mkdir -p "$RUN" "$LOG"
	[ "$PGHOME" = new ] && pg_home_new
	if [ -n "$PGHOME" ]; then
		ln -sfn "$PGSOCK/.s.PGSQL.5432" "$RUN/.s.PGSQL.5432"
		ln -sfn "$PGLOG" "$LOG/postgresql.log"
	elif [ "$(id -u)" -eq 0 ]; then
		reaches postgres "$VAR" || die "postgres cannot enter $VAR," \
		    "where this checkout's cluster is (var/pg): a folder above" \
		    "it is closed to others.  Open it (chmod o+x), or start" \
		    "over (make stop; rm -rf var) to have the cluster made" \
		    "outside the checkout."
		chown postgres "$RUN"
		chmod 0755 "$RUN"
		touch "$LOG/postgresql.log"
		chown postgres "$LOG/postgresql.log"
	fi
	if [ ! -f "$PGDATA/PG_VERSION" ]; then
		say "creating the database cluster in $PGDATA"
		mkdir -p "$PGDATA"
		[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA"
		as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust \
		    -E UTF8 --locale=C.UTF-8 >"$LOG/initdb.log" 2>&1 ||
		    die "initdb failed: see $LOG/initdb.log"
		cat >>"$PGDATA/postgresql.conf" <<-CONF
		listen_addresses = ''
		unix_socket_directories = '$PGSOCK'
		max_connections = 200
		shared_buffers = 256MB
		jit = off
		fsync = on
		log_min_messages = warning
		log_min_error_statement = panic
		CONF
		# Only local socket connections, and only from this machine
		# (a replica's too: replica_start).
		printf 'local all all trust\nlocal replication all trust\n' \
		    >"$PGDATA/pg_hba.conf"
		[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA/pg_hba.conf"
	fi
	if ! pg_running; then
		# Commit times let the race tests order a use against the
		# way out it raced (tests/http/test_leaving.c).
		as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" \
		    -o "-c track_commit_timestamp=on" -w -t 30 start >/dev/null ||
		    die "PostgreSQL did not start: see $LOG/postgresql.log"
	fi
	psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'parta'" |
	    grep -q 1 || psql_pg -qc "CREATE ROLE parta LOGIN"
	psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'parta_app'" |
	    grep -q 1 || psql_pg -qc "CREATE ROLE parta_app LOGIN"
	# The operator's requests run as parta_operator, which parta_app
	# takes and must not inherit (sql/0072_rls_operator_role.sql):
	# NOINHERIT before the grant (PostgreSQL 16 fixes a grant's
	# inheritance when it is made).
	psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'parta_operator'" |
	    grep -q 1 || psql_pg -qc "CREATE ROLE parta_operator"
	psql_pg -qc "ALTER ROLE parta_app NOINHERIT"
	psql_pg -tAc "SELECT pg_has_role('parta_app', 'parta_operator', 'MEMBER')" |
	    grep -q t || psql_pg -qc "GRANT parta_operator TO parta_app"
	psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = 'parta'" |
	    grep -q 1 || psql_pg -qc "CREATE DATABASE parta OWNER parta"
}

# A streaming replica of the cluster (PostgreSQL's own: pg_basebackup
# over a replication slot, a hot standby that serves reads), in
# var/replica with its socket in var/run-replica (or beside the cluster
# in PGHOME, linked from there).  The slot keeps the primary's WAL while
# the replica is stopped, so it catches up when started again; "remove"
# drops the slot and the replica's files.  "promote" makes it a primary
# of its own (pg_ctl promote): point PARTA_DB at it (docs/scale.md).
SLOT=parta_replica
rep_running() {
	[ -f "$REPDATA/postmaster.pid" ] &&
	    as_pg "$PGBIN/pg_ctl" -D "$REPDATA" status >/dev/null 2>&1
}

replica_start() {
	pg_running || pg_start
	mkdir -p "$VAR/run-replica"
	if [ -n "$PGHOME" ]; then
		as_pg mkdir -p "$REPSOCK"
		ln -sfn "$REPSOCK/.s.PGSQL.5432" "$VAR/run-replica/.s.PGSQL.5432"
		ln -sfn "$REPLOG" "$LOG/replica.log"
	elif [ "$(id -u)" -eq 0 ]; then
		chown postgres "$REPSOCK"
		touch "$REPLOG"
		chown postgres "$REPLOG"
	fi
	if [ ! -f "$REPDATA/PG_VERSION" ]; then
		# A cluster made before replicas were: let them connect.
		if ! as_pg grep -q '^local replication' "$PGDATA/pg_hba.conf"; then
			as_pg sh -c "printf 'local replication all trust\n' \
			    >>'$PGDATA/pg_hba.conf'"
			psql_pg -qtAc "SELECT pg_reload_conf()" >/dev/null
		fi
		# A slot left by a replica removed by hand.
		psql_pg -qtAc "SELECT pg_drop_replication_slot('$SLOT')
		    FROM pg_replication_slots WHERE slot_name = '$SLOT'" \
		    >/dev/null
		say "copying the cluster to $REPDATA (pg_basebackup)"
		rm -rf "$REPDATA"
		mkdir -p "$REPDATA"
		chmod 0700 "$REPDATA"
		[ "$(id -u)" -eq 0 ] && chown postgres "$REPDATA"
		as_pg "$PGBIN/pg_basebackup" -h "$PGSOCK" -U postgres \
		    -D "$REPDATA" -X stream -C -S "$SLOT" -R -c fast \
		    >"$LOG/basebackup.log" 2>&1 ||
		    die "pg_basebackup failed: see $LOG/basebackup.log"
		as_pg sh -c "cat >>'$REPDATA/postgresql.conf'" <<-CONF
		# The replica (scripts/stack.sh replica start).
		unix_socket_directories = '$REPSOCK'
		hot_standby = on
		hot_standby_feedback = on
		shared_buffers = 128MB
		CONF
	fi
	if ! rep_running; then
		as_pg "$PGBIN/pg_ctl" -D "$REPDATA" -l "$REPLOG" -w -t 30 \
		    start >/dev/null ||
		    die "the replica did not start: see $LOG/replica.log"
	fi
	[ "${PARTA_REPLICA:-}" = sync ] && replica_sync on
	return 0
}

# PARTA_REPLICA=sync: the primary's commits wait until the replica has
# applied them (synchronous_commit = remote_apply), so that tests which
# change rows in SQL and then read a page see them on the replica too.
# Stopping the replica first makes the commits asynchronous again: they
# would wait for it for ever.
replica_sync() {
	if [ "$1" = on ]; then
		psql_pg -qc "ALTER SYSTEM SET synchronous_standby_names = '*'" \
		    -c "ALTER SYSTEM SET synchronous_commit = remote_apply"
	else
		psql_pg -qc "ALTER SYSTEM RESET synchronous_standby_names" \
		    -c "ALTER SYSTEM RESET synchronous_commit"
	fi
	psql_pg -qtAc "SELECT pg_reload_conf()" >/dev/null
}

replica_stop() {
	if pg_running && [ -n "$(psql_pg -tAc \
	    "SHOW synchronous_standby_names")" ]; then
		replica_sync off
	fi
	if rep_running; then
		as_pg "$PGBIN/pg_ctl" -D "$REPDATA" -m fast -w stop \
		    >/dev/null || true
	fi
}

replica() {
	case "${1:-}" in
	start)	replica_start ;;
	stop)	replica_stop ;;
	status)	rep_running ;;
	promote)
		rep_running || die "the replica is not running"
		as_pg "$PGBIN/pg_ctl" -D "$REPDATA" -w promote >/dev/null ||
		    die "pg_ctl promote failed: see $LOG/replica.log"
		say "the replica is a primary now: PARTA_DB=host=$VAR/run-replica" \
		    "dbname=parta user=parta_app" ;;
	remove)
		replica_stop
		rm -rf "$REPDATA"
		if pg_running; then
			psql_pg -qtAc "SELECT pg_drop_replication_slot('$SLOT')
			    FROM pg_replication_slots
			    WHERE slot_name = '$SLOT'" >/dev/null
		fi ;;
	*)	die "usage: $0 replica start|stop|status|promote|remove" ;;
	esac
}

psql_pg() {
	"$PGBIN/psql" -X -h "$RUN" -U postgres -d postgres "$@"
}

migrate() {
	"$ROOT/scripts/migrate.sh" "$OWNER_DB"
}

operator() {
	[ -s "$VAR/operator.txt" ] && return 0
	login=operator@parta.local
	pw=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
	printf '%s\n' "$pw" | PARTA_OWNER_DB=$OWNER_DB \
	    "$ROOT/build/bin/parta-admin" operator-create "$login" >/dev/null ||
	    die "could not create the operator account"
	(umask 077 && printf '%s\n%s\n' "$login" "$pw" >"$VAR/operator.txt")
	say "operator account created: $VAR/operator.txt"
}

# The stacks of programs (PARTA_STACKS): group 1 in RUN, as ever; group
# K in RUN/stackK, its sockets and pid files as if on a host of its own.
STACKS=${PARTA_STACKS:-1}
case $STACKS in
[1-9]) ;;
*) die "PARTA_STACKS must be 1 to 9, not $STACKS" ;;
esac
stack_dir() {
	if [ "$1" -eq 1 ]; then echo "$RUN"; else echo "$RUN/stack$1"; fi
}

# prog_running NAME [DIR]: whether the workers on DIR/NAME.sock run.
prog_running() {
	[ -f "${2:-$RUN}/$1.pid" ] &&
	    kill -0 "$(cat "${2:-$RUN}/$1.pid")" 2>/dev/null
}

# Whether program $1 takes uploads (a route flagged APP_UPLOAD: a
# multipart body, which nginx sends to its upload workers).
takes_uploads() {
	"$BIN/$1" --routes 2>/dev/null | grep -q APP_UPLOAD
}

progs_start() {
	mkdir -p "$VAR/outbox" "$VAR/uploads"
	k=1
	while [ "$k" -le "$STACKS" ]; do
		dir=$(stack_dir "$k")
		mkdir -p "$dir"
		for p in $PROGRAMS; do
			[ -x "$BIN/$p" ] || die "$BIN/$p is not built: run make"
			# scrypt is slow on purpose: logins get their own
			# workers.
			n=${PARTA_WORKERS:-2}
			[ "$p" = session ] && n=${PARTA_LOGIN_WORKERS:-3}
			prog_start "$p" "$p" "$n" "$dir"
			# Uploads (a photo is re-encoded for seconds) get
			# workers of their own, on PROGRAM-upload.sock (nginx's
			# $parta_pool), so that they never hold the workers of
			# everyone's pages.
			takes_uploads "$p" && prog_start "$p-upload" "$p" \
			    "$PARTA_UPLOAD_WORKERS" "$dir"
		done
		k=$((k + 1))
	done
	return 0
}

# prog_start NAME PROGRAM WORKERS DIR: PROGRAM's workers on
# DIR/NAME.sock.
prog_start() {
	name=$1 p=$2 n=$3 dir=$4
	prog_running "$name" "$dir" && return 0
	rm -f "$dir/$name.sock"
	# The socket is nginx's workers' (spawn-fcgi makes it root's
	# by itself, and refuses to be told so).
	owner=
	[ -n "$WEBUSER" ] && [ "$WEBUSER" != root ] &&
	    owner="-U $WEBUSER -G $WEBGROUP"
	vg=
	if [ "${VALGRIND:-0}" = 1 ]; then
		command -v valgrind >/dev/null ||
		    die "valgrind is not installed (scripts/deps.sh)"
		n=1
		vg="$(command -v valgrind) --error-exitcode=99 --leak-check=full
		    --errors-for-leak-kinds=definite
		    --log-file=$LOG/valgrind-$name-%p.log"
	fi
	# spawn-fcgi points the child's stderr at /dev/null: a shell
	# in between sends it (the program's log) to var/log/.
	# shellcheck disable=SC2086,SC2016
	spawn-fcgi -s "$dir/$name.sock" -M 0600 $owner \
	    -P "$dir/$name.pid" -- \
	    /bin/sh -c 'log=$1; shift; exec "$@" 2>>"$log"' sh \
	    "$LOG/$p.log" /usr/bin/multiwatch -f "$n" -- $vg "$BIN/$p" \
	    >>"$LOG/$p.log" 2>&1 || die "could not start $name"
}

nginx_conf() {
	for d in body fastcgi proxy uwsgi scgi; do
		mkdir -p "$VAR/nginx/tmp/$d"
	done
	mkdir -p "$LOG"
	user=
	[ -n "$WEBUSER" ] && user="user $WEBUSER $WEBGROUP;"
	nginx_upstreams >"$VAR/nginx/upstreams.conf"
	# More than one stack: every fastcgi_pass names its upstream.
	pass=
	[ "$STACKS" -gt 1 ] &&
	    pass='s|fastcgi_pass unix:@RUN@/\([^;]*\)\.sock;|fastcgi_pass parta_\1;|'
	sed -e "$pass" -e "s|@ROOT@|$ROOT|g" -e "s|@RUN@|$RUN|g" \
	    -e "s|@VAR@|$VAR|g" -e "s|@PORT@|$PORT|g" -e "s|@USER@|$user|g" \
	    "$ROOT/nginx/local.conf.in" >"$VAR/nginx/nginx.conf"
	[ -n "$WEBUSER" ] && chown -R "$WEBUSER" "$VAR/nginx/tmp"
	return 0
}

# The upstreams of PARTA_STACKS groups of programs (none for one): for
# each program and upload pool, parta_NAME, a server for each group's
# socket.  nginx_conf turns local.conf.in's fastcgi_pass targets,
# unix:@RUN@/NAME.sock (NAME$parta_pool too), into those names.
nginx_upstreams() {
	echo "# scripts/stack.sh, PARTA_STACKS=$STACKS"
	[ "$STACKS" -gt 1 ] || return 0
	cat <<-EOF
	# A request goes to the next group when its group cannot be reached
	# or fails before its answer begins (error, timeout: nginx's default,
	# said here); never a POST, PATCH or LOCK that reached a program
	# (without non_idempotent nginx sends those only once): it may have
	# committed.  A group that failed is left alone for fail_timeout,
	# then tried again.
	fastcgi_next_upstream error timeout;
	EOF
	for p in $PROGRAMS; do
		names=$p
		takes_uploads "$p" && names="$names $p-upload"
		for name in $names; do
			echo "upstream parta_$name {"
			k=1
			while [ "$k" -le "$STACKS" ]; do
				echo "	server unix:$(stack_dir "$k")/$name.sock" \
				    "max_fails=1 fail_timeout=${PARTA_FAIL_TIMEOUT:-2}s;"
				k=$((k + 1))
			done
			echo "}"
		done
	done
}

nginx_running() {
	[ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null
}

nginx_start() {
	nginx_conf
	if nginx_running; then
		nginx -q -p "$VAR/nginx" -e "$LOG/nginx-error.log" \
		    -c "$VAR/nginx/nginx.conf" -s reload
		return 0
	fi
	nginx -p "$VAR/nginx" -e "$LOG/nginx-error.log" \
	    -c "$VAR/nginx/nginx.conf" 2>>"$LOG/nginx-error.log" ||
	    die "nginx did not start on 127.0.0.1:$PORT (port busy? set" \
	    "PARTA_PORT): see $LOG/nginx-error.log"
}

wait_up() {
	i=0
	# Programs under valgrind take seconds to start.
	max=100
	[ "${VALGRIND:-0}" = 1 ] && max=600
	while [ $i -lt $max ]; do
		code=$(curl -s -o /dev/null -w '%{http_code}' \
		    "http://127.0.0.1:$PORT/login" || true)
		[ "$code" = 200 ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	die "the site does not answer on 127.0.0.1:$PORT (last: $code)"
}

start() {
	say "local stack: sign-ups per client address limited to" \
	    "$PARTA_SIGNUP_ADDR_MAX an hour (production default 20)"
	[ -n "$PGBIN" ] || die "PostgreSQL is not installed"
	[ "$WEBUSER" = root ] && say "nobody cannot enter $ROOT or $VAR" \
	    "(a folder above is closed to others): nginx's workers run as root"
	pg_start
	migrate
	operator
	[ "${PARTA_REPLICA:-0}" != 0 ] && replica_start
	progs_start
	nginx_start
	wait_up
}

stop() {
	if nginx_running; then
		nginx -q -p "$VAR/nginx" -e "$LOG/nginx-error.log" \
		    -c "$VAR/nginx/nginx.conf" -s quit || true
	fi
	pids=
	# Every stack of programs there is, whatever PARTA_STACKS says now.
	for dir in "$RUN" "$RUN"/stack[2-9]; do
		[ -d "$dir" ] || continue
		for p in $PROGRAMS; do
			for name in "$p" "$p-upload"; do
				if prog_running "$name" "$dir"; then
					pid=$(cat "$dir/$name.pid")
					# multiwatch and its workers (pgrep
					# -P: their parent).
					pids="$pids $pid $(pgrep -P "$pid" |
					    tr '\n' ' ')"
					kill "$pid" 2>/dev/null || true
				fi
				rm -f "$dir/$name.pid"
			done
		done
	done
	replica_stop
	pg_stop
	# Wait for this stack's programs (only these: another stack of the
	# same checkout runs the same binaries) to let go of their sockets
	# (under valgrind, also to write their leak reports).
	i=0
	max=50
	[ "${VALGRIND:-0}" = 1 ] && max=1200
	while [ $i -lt $max ]; do
		alive=0
		for pid in $pids; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ $alive -eq 0 ] && break
		sleep 0.1
		i=$((i + 1))
	done
}

# kill_stack K: SIGKILL to every program of stack K (1..PARTA_STACKS),
# as when its host dies; `start` starts them again.  multiwatch first,
# so that it starts no worker in place of one that died, then its
# workers (read before: they lose their parent); returns once all are
# gone.
kill_stack() {
	case ${1:-} in
	[1-9]) ;;
	*) die "usage: $0 kill-stack K (1 to 9)" ;;
	esac
	dir=$(stack_dir "$1")
	pids=
	for p in $PROGRAMS; do
		for name in "$p" "$p-upload"; do
			prog_running "$name" "$dir" || continue
			pid=$(cat "$dir/$name.pid")
			w=$(pgrep -P "$pid" | tr '\n' ' ')
			kill -9 "$pid" 2>/dev/null || true
			# shellcheck disable=SC2086
			[ -z "$w" ] || kill -9 $w 2>/dev/null || true
			pids="$pids $pid $w"
		done
	done
	i=0
	while [ $i -lt 100 ]; do
		alive=0
		for pid in $pids; do
			kill -0 "$pid" 2>/dev/null && alive=1
		done
		[ $alive -eq 0 ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	die "stack $1: programs still running after SIGKILL"
}

banner() {
	echo
	echo "Parta is running at http://127.0.0.1:$PORT/"
	echo "Operator login:    $(sed -n 1p "$VAR/operator.txt")"
	echo "Operator password: $(sed -n 2p "$VAR/operator.txt")"
	echo "Outgoing SMS and e-mail: var/outbox/    Logs: var/log/"
}

case "${1:-}" in
start)	start ;;
stop)	stop ;;
run)
	start
	banner
	echo "Press Ctrl-C to stop."
	trap 'echo; stop; exit 0' INT TERM
	while :; do sleep 1; done
	;;
env)
	env | grep '^PARTA_' | grep -v '^PARTA_SECRET=' | sort ;;
webuser)
	echo "$WEBUSER" ;;
kill-stack)
	kill_stack "${2:-}" ;;
pg-start)
	pg_start ;;
pg-stop)
	pg_stop ;;
pg-status)
	pg_running ;;
replica)
	replica "${2:-}" ;;
*)
	echo "usage: $0 start|stop|run|env|webuser|kill-stack|pg-start|pg-stop|pg-status|replica" >&2
	exit 2 ;;
esac
