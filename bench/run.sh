#!/bin/sh
# make bench [QUICK=1]: how close the pages come to the database's own
# limit, and how their cost grows with the data.  Prints one table and
# writes it, with the machine and the date, to bench/results.md.
#
# A stack of its own (var/bench, port PARTA_BENCH_PORT, default
# PARTA_PORT + 2), so the `make test` stack of the same checkout is left
# alone.  For each page, at CONNS connections:
#   app      wrk against the page, every request from its own prepared
#            session (bench/wrk.lua, bench/sql/fixture.sql)
#   pgbench  the statements that very request ran, captured from
#            PostgreSQL's statement log and replayed (bench/pgbench.awk)
#   static   nginx serving a file of the page's size
# then POST /login against the raw scrypt rate (bench/scrypt.c), worker
# RSS before and after RSS_REQUESTS requests, a roster of 5 000 rows
# uploaded, previewed and applied (bench/roster.sh), 100 MB of files
# uploaded and the files worker's memory before and after
# (bench/files.sh), and the same pages in a
# database of 10 000 organizations, 100 000 members and 1 000 000
# applications (bench/sql/orgs.sql) against the empty one.  Both hold
# the big school (bench/sql/bigorg.sql, bigschool.sql), whose five long
# lists are pages of their own (big_*).
# Raw output of every run: bench/out/.
#
# Two knobs for bench/instructions.sh, which reuses this script's data
# set and capture: BENCH_STEPS=capture stops once every page's SQL is
# captured (out/PAGE.pgbench, out/capture.tsv: page, title, whether it
# answered), leaving the stack running with the empty data set;
# BENCH_ROOT=DIR measures the checkout DIR (its stack, schema, programs
# and bench/sql data set) with this script's tools, its output in
# BENCH_OUT (default DIR/bench/out).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "${BENCH_ROOT:-$HERE/..}" && pwd)
cd "$ROOT"
QUICK=${QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
STEPS=${BENCH_STEPS:-all}
export PARTA_VAR="$ROOT/var/bench"
export PARTA_PORT=${PARTA_BENCH_PORT:-$((${PARTA_PORT:-8080} + 2))}
OUT=${BENCH_OUT:-$ROOT/bench/out}
RUN=$PARTA_VAR/run
PGLOG=$PARTA_VAR/log/postgresql.log
URL=http://127.0.0.1:$PARTA_PORT
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
SCRYPT=$ROOT/build/bench/scrypt
PASSWORD=bench-password-1
CONNS=${BENCH_CONNS:-16}
THREADS=${BENCH_THREADS:-2}
LARGE_ORGS=10000

if [ -n "$QUICK" ]; then
	DUR=2 WARM=1 STATIC_DUR=1 LOGIN_DUR=4 SCRYPT_DUR=1
	RSS_REQUESTS=20000
else
	DUR=10 WARM=2 STATIC_DUR=5 LOGIN_DUR=15 SCRYPT_DUR=5
	RSS_REQUESTS=100000
fi
# Pools of prepared sessions and people: admin sessions are reused in a
# ring, joiners are used once each (wrk 1..J, pgbench J+1..2J).
SESSIONS=50000
JOINERS=$((DUR * 5000))
INVITES=$((2 * JOINERS / 100 + 1))
LOGINS=64
ORG=1
BIG=900000000	# the big school (bench/sql/bigorg.sql)

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

sql() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -U postgres -d parta \
	    "$@"
}

# The numbers of one wrk RESULT line: val FILE KEY.
val() {
	sed -n "s/.*RESULT.* $2=\([^ ]*\).*/\1/p" "$1" | tail -n 1
}

# A ratio with two decimals, or "—" when either side is missing.
ratio() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) print "—";
		else printf "%.2f\n", a / b }'
}

ms() {
	awk -v u="${1:-}" 'BEGIN { if (u == "") print "—";
	    else printf "%.2f\n", u / 1000 }'
}

# meets VALUE LIMIT ge|le: yes or no (or — without a value).
meets() {
	awk -v v="${1:-}" -v l="$2" -v op="$3" 'BEGIN {
		if (v == "" || v == "—") print "—";
		else if (op == "ge") print (v + 0 >= l + 0 ? "yes" : "no");
		else print (v + 0 <= l + 0 ? "yes" : "no") }'
}

# ---------------------------------------------------------------- pages
# page_def NAME sets what wrk, the capture and pgbench need.  {i} is the
# request's number, {l} its login account (bench/wrk.lua).
PAGES="floor org applications join_get join_post big_members big_classes
    big_queue big_invites big_audit"
page_def() {
	METHOD=GET BODY= EXPECT=200 POOL=$SESSIONS PROG=
	case $1 in
	floor)
		# No SQL at all: what a FastCGI request costs by itself.
		TITLE="GET /login (no SQL: the floor)"
		PATHF=/login
		COOKIE='parta_csrf=LC{i}'
		SESS= PGFIRST=1 PROG=session ;;
	org)
		TITLE="GET /org/N (admin)"
		PATHF=/org/$ORG
		COOKIE='parta_session=BA{i}'
		SESS=BA PGFIRST=$((SESSIONS + 1)) PROG=org ;;
	applications)
		TITLE="GET /org/N/applications (admin)"
		PATHF=/org/$ORG/applications
		COOKIE='parta_session=BA{i}'
		SESS=BA PGFIRST=$((SESSIONS + 1)) PROG=approve ;;
	big_members|big_classes|big_queue|big_invites|big_audit)
		# The big school's lists (bench/sql/bigschool.sql), first
		# page of 50 with its total.
		case $1 in
		big_members) l=members PROG=org ;;
		big_classes) l=classes PROG=create-class ;;
		big_queue) l=applications PROG=approve ;;
		big_invites) l=invites PROG=invite ;;
		big_audit) l=audit PROG=approve ;;
		esac
		TITLE="GET /org/B/$l (big school)"
		PATHF=/org/$BIG/$l
		COOKIE='parta_session=BB{i}'
		SESS=BB PGFIRST=$((SESSIONS + 1)) ;;
	join_get)
		TITLE="GET /join/TOKEN"
		PATHF='/join/IJ{v}'
		COOKIE='parta_session=BJ{i}'
		POOL=$JOINERS
		SESS=BJ PGFIRST=$((JOINERS + 1)) PROG=join ;;
	join_post)
		TITLE="POST /join/TOKEN"
		METHOD=POST EXPECT=303
		PATHF='/join/IJ{v}'
		COOKIE='parta_session=BJ{i}'
		BODY='csrf=CJ{i}'
		POOL=$JOINERS
		SESS=BJ PGFIRST=$((JOINERS + 1)) PROG=join ;;
	login)
		TITLE="POST /login"
		METHOD=POST EXPECT=303
		PATHF=/login
		COOKIE='parta_csrf=LC{i}'
		BODY="csrf=LC{i}&login=%2B7999000{l}&password=$PASSWORD"
		POOL=1000000000
		SESS= PGFIRST=1 PROG=session ;;
	esac
}

# One wrk run: run_wrk NAME OUTFILE SECONDS [PATH]; with PATH, a GET of
# that static file instead of the page.
run_wrk() {
	page_def "$1"
	[ -n "${4:-}" ] && METHOD=GET BODY= EXPECT=200
	BENCH_METHOD=$METHOD BENCH_PATH=${4:-$PATHF} BENCH_COOKIE=$COOKIE \
	    BENCH_BODY=$BODY BENCH_POOL=$POOL BENCH_LOGINS=$LOGINS \
	    BENCH_INVITES=$INVITES \
	    BENCH_EXPECT=$EXPECT BENCH_THREADS=$THREADS \
	    BENCH_FIRST=${BENCH_FIRST:-1} \
	    wrk -t "$THREADS" -c "$CONNS" -d "${3}s" --timeout 30s \
	    -s "$HERE/wrk.lua" "$URL" >"$2" 2>&1 || true
	w=$(val "$2" wrong)
	e=$(val "$2" socket_errors)
	if [ -z "$w" ]; then
		say "$1: wrk failed, see $2"
	elif [ "$w" != 0 ] || [ "$e" != 0 ]; then
		say "$1: $w answers were not $EXPECT (last: $(val "$2" \
		    wrong_status)), $e socket errors: see $2"
	fi
}

# Fill in a request template for number 0 (the capture's own).
fill0() {
	z=$(printf '%041d' 0)
	echo "$1" | sed -e "s/{[iv]}/$z/g" -e 's/{l}/0000/g'
}

hex_of() {
	printf '%s' "$1" | sha256sum | cut -c1-64
}

# ----------------------------------------------------------------- data
# The migrations' own rows stay: the regions, and the audit's actions
# (an action without its row is refused: the roster's upload writes one).
reset_data() {
	sql -c "DO \$\$ DECLARE t text; BEGIN
	    SELECT string_agg(format('parta.%I', tablename), ', ') INTO t
	    FROM pg_tables WHERE schemaname = 'parta'
	    AND tablename NOT IN ('region', 'audit_action');
	    EXECUTE 'TRUNCATE ' || t || ' RESTART IDENTITY'; END \$\$"
}

# load ORGS: organizations of the typical size (the bench's is the
# first), then the bench's people.  The generated rows are consistent by
# construction (orgs.sql loads with its foreign keys checked, too); the
# replica role skips those checks to load 1 M rows in seconds.
load() {
	reset_data
	PGOPTIONS="-c session_replication_role=replica" sql -v n="$1" \
	    -v pw="$HASH" -f bench/sql/orgs.sql >/dev/null
	# The triggers that keep each account's organizations and chats
	# (sql/0031_rls_speed.sql) were skipped with the checks: once for all
	# (a schema before 0031, BENCH_ROOT, has none).
	if [ -n "$(sql -tA -c "SELECT 1 FROM pg_proc
	    WHERE proname = 'rls_orgs_of'")" ]; then
		sql -c "UPDATE parta.account SET rls_orgs = parta.rls_orgs_of(id),
		    rls_chats = parta.rls_chats_of(id)" >/dev/null
	fi
	sql -tA -v org=$ORG -v pw="$HASH" -v sessions=$((SESSIONS + CONNS)) \
	    -v joiners=$JOINERS -v invites=$INVITES -v logins=$LOGINS \
	    -f bench/sql/fixture.sql >/dev/null
	# The big school: 3 000 members, 120 classes, 500 pending
	# applications, 300 links, 50 000 audit events.
	sql -v pw="$HASH" -v sessions=$((SESSIONS + CONNS)) \
	    -f bench/sql/bigorg.sql >/dev/null
	sql -c "SELECT set_config('parta.big_org', '$BIG', false)" \
	    -f bench/sql/bigschool.sql >/dev/null
	sql -c "VACUUM ANALYZE" -c CHECKPOINT
	# Both data sets measured warm: what the pages read in shared buffers,
	# as on a server that has run a while (all but the biggest heaps).
	sql -c "SET client_min_messages = warning" \
	    -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" -tA -c "SELECT
	    sum(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n
	    ON n.oid = c.relnamespace WHERE n.nspname = 'parta'
	    AND c.relkind IN ('r', 'i')
	    AND pg_relation_size(c.oid) < 64 * 1024 * 1024" >/dev/null
}

# ----------------------------------------------------- capture, pgbench
log_statements() {
	if [ "$1" = on ]; then
		sql -c "ALTER SYSTEM SET log_statement = 'all'" \
		    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '"
	else
		sql -c "ALTER SYSTEM RESET log_statement"
	fi
	sql -tA -c "SELECT pg_reload_conf()" >/dev/null
	# Idle backends read the file before their next statement.
	sleep 1
}

# capture NAME: run the request once as number 0 with every statement
# logged; leaves out/NAME.{log,body,headers}, STATUS and SIZE.
capture() {
	page_def "$1"
	off=$(stat -c %s "$PGLOG")
	set -- -s -o "$OUT/$1.body" -D "$OUT/$1.headers" \
	    -w '%{http_code} %{size_download}' -X "$METHOD" \
	    -b "$(fill0 "$COOKIE")"
	[ "$METHOD" = POST ] && set -- "$@" --data "$(fill0 "$BODY")"
	r=$(curl "$@" "$URL$(fill0 "$PATHF")" || echo "000 0")
	STATUS=${r% *}
	SIZE=${r#* }
	sleep 0.5
	tail -c +$((off + 1)) "$PGLOG" >"$OUT/$NAME.log"
}

# pgbench_script NAME: out/NAME.pgbench from out/NAME.log.  The values
# that differ per request become per-client or per-transaction variables
# (see bench/pgbench.awk); NOTE says what pgbench does beyond the app.
pgbench_script() {
	page_def "$1"
	map=$OUT/$1.map
	head=$OUT/$1.head
	: >"$map"
	: >"$head"
	NOTE=
	z=$(printf '%041d' 0)
	tok="lpad(($PGFIRST + :client_id)::text, 41, '0')"
	if [ -n "$SESS" ]; then
		printf '%s\th\n' "$(hex_of "$SESS$z")" >>"$map"
		echo "col encode(sha256(convert_to('$SESS' || $tok, 'UTF8')),"\
		    "'hex') AS h" >>"$head"
	fi
	case $1 in
	join_*)
		v="lpad((($PGFIRST + :client_id) % $INVITES)::text, 41, '0')"
		printf '%s\tih\n' "$(hex_of "IJ$z")" >>"$map"
		printf 'IJ%s\ttok\n' "$z" >>"$map"
		printf '1000000000\tacc\n2000000000\tinv\n' >>"$map"
		cat >>"$head" <<-EOF
		col encode(sha256(convert_to('IJ' || $v, 'UTF8')), 'hex') AS ih
		col 'IJ' || $v AS tok
		cmd \\set i $PGFIRST + :k * $CONNS + :client_id
		cmd \\set k :k + 1
		cmd \\set acc 1000000000 + :i
		cmd \\set inv 2000000000 + :i % $INVITES
		EOF
		;;
	login)
		# A new session's random token: pgbench needs one per
		# transaction too, and can only get it from the server.
		t=$(sed -n \
		    's/^[Ss]et-[Cc]ookie: parta_session=\([^;]*\).*/\1/p' \
		    "$OUT/login.headers" | tr -d '\r')
		if [ -n "$t" ]; then
			printf '%s\tf\n' "$(hex_of "$t")" >>"$map"
			echo "cmd SELECT md5(random()::text) ||" \
			    "md5(random()::text) AS f \\gset" >>"$head"
			NOTE="pgbench +1 SELECT for a fresh token"
		fi
		;;
	esac
	awk -f "$HERE/pgbench.awk" -v map="$map" -v head="$head" \
	    "$OUT/$1.log" >"$OUT/$1.pgbench"
}

# run_pgbench NAME SECONDS [PART]: one pgbench run, its output in
# out/NAME.pgbench.PART; per-client counters go on from earlier parts
# (POST /join needs a new person every time).  Leaves TPS, empty when it
# failed.
run_pgbench() {
	out=$OUT/$1.pgbench.out${3:+.$3}
	TPS=
	# Each client's next number: one past the most it did so far.
	k=$(cat "$OUT/$1.pglog"* 2>/dev/null | awk 'BEGIN { m = 0 }
	    $2 + 1 > m { m = $2 + 1 } END { print m }')
	k=$((k + ${PGK:-0}))
	PGK=$k
	# The programs' own session setting (lib/db.c).
	if PGOPTIONS="-c plan_cache_mode=force_generic_plan" \
	    "$PGBIN/pgbench" -n -M prepared -c "$CONNS" -j "$THREADS" \
	    -T "$2" -D init=0 -D k="$k" -f "$OUT/$1.pgbench" -h "$RUN" \
	    -l --log-prefix="$OUT/$1.pglog${3:+$3}" -U parta parta \
	    >"$out" 2>&1 && ! grep -q 'aborted' "$out"; then
		TPS=$(sed -n 's/^tps = \([0-9]*\.[0-9]\).*/\1/p' "$out" |
		    tail -n 1)
	else
		say "$1: pgbench failed, see $out"
	fi
}

# pgbench_percentiles NAME: PG50 and PG99, microseconds, over every
# transaction pgbench logged for NAME.
pgbench_percentiles() {
	set -- $(cat "$OUT/$1.pglog"* 2>/dev/null | awk '{ print $3 }' |
	    sort -n | awk '{ v[NR] = $1 } END { if (NR)
	    print v[int(NR * .5) + 1], v[int(NR * .99) + 1] }')
	PG50=${1:-} PG99=${2:-}
}

# merge_wrk OUT IN...: one RESULT line for several wrk runs: requests and
# time add up; the percentiles are the runs' means weighted by requests.
merge_wrk() {
	o=$1
	shift
	for f in "$@"; do
		grep RESULT "$f" || true
	done | awk '{
		for (i = 2; i <= NF; i++) {
			split($i, kv, "=")
			v[kv[1]] = kv[2]
		}
		n = v["requests"]
		req += n; sec += v["seconds"]; bytes += v["bytes"]
		wrong += v["wrong"]; sock += v["socket_errors"]
		for (k in v)
			if (k ~ /_us$/)
				w[k] += v[k] * n
		if (v["wrong_status"] != "-")
			ws = v["wrong_status"]
		if (v["max_us"] > mx)
			mx = v["max_us"]
	} END {
		if (req == 0)
			exit
		printf "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d " \
		    "p90_us=%d p99_us=%d max_us=%d mean_us=%.0f bytes=%d " \
		    "wrong=%d wrong_status=%s socket_errors=%d\n", req, sec,
		    req / sec, w["p50_us"] / req, w["p90_us"] / req,
		    w["p99_us"] / req, mx, w["mean_us"] / req, bytes, wrong,
		    ws == "" ? "-" : ws, sock
	}' >"$o"
}

# measure NAME FIRST: the app and pgbench in turns, two halves of DUR
# each (app, pgbench, app, pgbench), so that whatever else the machine
# does weighs on both alike.  Leaves out/NAME.wrk, TPS, PG50, PG99.
measure() {
	half=$(awk -v d="$DUR" 'BEGIN { print d / 2 }')
	first=$2
	PGK=0
	rm -f "$OUT/$1.pglog"*
	BENCH_FIRST=$first run_wrk "$1" "$OUT/$1.wrk1" "$half"
	run_pgbench "$1" "$half" 1
	t1=$TPS
	first=$((first + $(val "$OUT/$1.wrk1" requests) + 2 * CONNS))
	BENCH_FIRST=$first run_wrk "$1" "$OUT/$1.wrk2" "$half"
	run_pgbench "$1" "$half" 2
	t2=$TPS
	merge_wrk "$OUT/$1.wrk" "$OUT/$1.wrk1" "$OUT/$1.wrk2"
	TPS=
	[ -n "$t1" ] && [ -n "$t2" ] && TPS=$(awk -v a="$t1" -v b="$t2" \
	    'BEGIN { printf "%.1f\n", (a + b) / 2 }')
	pgbench_percentiles "$1"
}

# POST /join uses each joiner once: after a warm-up that used the first
# ones (and perhaps a few more it did not wait for), where to go on.
join_next() {
	JOIN_NEXT=1
	[ -f "$1" ] && JOIN_NEXT=$(($(val "$1" requests) + 2 * CONNS + 1))
	return 0
}

# ------------------------------------------------------------------ RSS
# Resident memory of a program's largest worker, kB.
rss() {
	[ -f "$RUN/$1.pid" ] || { echo; return; }
	m=0
	for pid in $(pgrep -P "$(cat "$RUN/$1.pid")"); do
		k=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" \
		    2>/dev/null || echo 0)
		[ "${k:-0}" -gt "$m" ] && m=$k
	done
	echo "$m"
}

# ------------------------------------------------------------- the run
command -v wrk >/dev/null || die "wrk is not installed: make deps"
[ -x "$SCRYPT" ] || die "$SCRYPT is not built: make bench builds it"
mkdir -p "$OUT"
rm -f "$OUT"/*
START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

say "starting the bench stack on $URL (var/bench)"
scripts/stack.sh stop >/dev/null 2>&1 || true
rm -rf "$PARTA_VAR"
# Static files of the measured sizes, served by the same nginx.
mkdir -p "$PARTA_VAR/nginx/conf.d" "$PARTA_VAR/static"
cat >"$PARTA_VAR/nginx/conf.d/bench.conf" <<EOF
location /bench-static/ {
	alias $PARTA_VAR/static/;
}
EOF
scripts/stack.sh start >"$OUT/stack.log" 2>&1 ||
    die "the stack did not start: see $OUT/stack.log"
trap 'scripts/stack.sh stop >/dev/null 2>&1 || true' EXIT INT TERM
[ "$(id -u)" -eq 0 ] && chmod -R o+rX "$PARTA_VAR/static"
# The bench grows a table from 100 rows to 10 000 in seconds (POST /join):
# PostgreSQL's statistics must follow, or the plans cached for 100 rows
# scan them all.  A real table grows slowly enough for the default
# minute between autovacuum rounds; here 5 s.
sql -c "ALTER SYSTEM SET autovacuum_naptime = '5s'" >/dev/null
sql -tA -c "SELECT pg_reload_conf()" >/dev/null

HASH=$(echo "$PASSWORD" | "$SCRYPT" hash)
say "loading the empty data set (one organization of the typical size)"
load 1

# Capture the SQL of each page, once, with statement logging on.
log_statements on
AVAILABLE=
for p in $PAGES login; do
	page_def "$p"
	NAME=$p
	capture "$p"
	eval "STATUS_$p=$STATUS SIZE_$p=$SIZE"
	if [ "$STATUS" = "$EXPECT" ]; then
		AVAILABLE="$AVAILABLE $p"
	else
		say "$p: $METHOD $(fill0 "$PATHF") answers $STATUS, not" \
		    "$EXPECT: left out"
	fi
done
log_statements off
for p in $AVAILABLE; do
	pgbench_script "$p" || [ "$p" = floor ] ||
	    say "$p: no statements captured"
	eval "NOTE_$p=\"\$NOTE\""
	eval "STMTS_$p=$(grep -cv -e '^--' -e '^\\' -e '^SELECT .* \\gset$' \
	    "$OUT/$p.pgbench" || true)"
	eval "size=\$SIZE_$p"
	head -c "$size" /dev/zero | tr '\0' x >"$PARTA_VAR/static/$p.html"
done
if [ "$STEPS" = capture ]; then
	for p in $PAGES login; do
		page_def "$p"
		ok=no
		echo "$AVAILABLE" | grep -qw "$p" && ok=yes
		printf '%s\t%s\t%s\n' "$p" "$TITLE" "$ok"
	done >"$OUT/capture.tsv"
	trap - EXIT INT TERM
	say "captured: $OUT/*.pgbench; the stack on $URL is left running"
	exit 0
fi

# Warm every page's workers, then note their memory.  POST /join is
# warmed just before its own run: its applications would lengthen the
# queue GET /org/N/applications shows.
for p in $AVAILABLE; do
	[ "$p" = join_post ] && continue
	BENCH_FIRST=1 run_wrk "$p" "$OUT/$p.warm" "$WARM"
done
# wrk leaves logins queued behind it (scrypt, a second or so): let them
# finish before anything else is measured.
sleep 2
for prog in org approve join session; do
	eval "RSS0_$prog=$(rss $prog)"
done
for p in $AVAILABLE; do
	[ "$p" = login ] && continue
	say "$p: app, pgbench, static"
	if [ "$p" = join_post ]; then
		BENCH_FIRST=1 run_wrk "$p" "$OUT/$p.warm" "$WARM"
		join_next "$OUT/$p.warm"
	fi
	first=1
	[ "$p" = join_post ] && first=$JOIN_NEXT
	if [ "$p" = floor ]; then
		run_wrk "$p" "$OUT/$p.wrk" "$DUR"
	else
		measure "$p" "$first"
		eval "TPS_$p=$TPS PG50_$p=$PG50 PG99_$p=$PG99"
	fi
	run_wrk "$p" "$OUT/$p.static" "$STATIC_DUR" "/bench-static/$p.html"
done

# Login: the app between two readings of the raw scrypt rate at the
# stored parameters with one process per core (their mean: the machine
# is the same for both), pgbench of its SQL, a static file.
if echo "$AVAILABLE" | grep -qw login; then
	say "login: raw scrypt, app (${LOGIN_DUR}s), raw scrypt, pgbench," \
	    "static"
	stored=$(sql -tA -c "SELECT password_hash FROM parta.account
	    WHERE id = 3000000000")
	raw1=$("$SCRYPT" rate "$stored" "$PASSWORD" "$SCRYPT_DUR" "$(nproc)" |
	    cut -d' ' -f1)
	run_wrk login "$OUT/login.wrk" "$LOGIN_DUR"
	sleep 2
	raw2=$("$SCRYPT" rate "$stored" "$PASSWORD" "$SCRYPT_DUR" "$(nproc)" |
	    cut -d' ' -f1)
	SCRYPT_RATE=$(awk -v a="$raw1" -v b="$raw2" 'BEGIN {
	    printf "%.1f\n", (a + b) / 2 }')
	SCRYPT_PARAMS=$(echo "$stored" | cut -d'$' -f3)
	PGK=0
	rm -f "$OUT/login.pglog"*
	run_pgbench login "$DUR"
	pgbench_percentiles login
	TPS_login=$TPS PG50_login=$PG50 PG99_login=$PG99
	run_wrk login "$OUT/login.static" "$STATIC_DUR" \
	    /bench-static/login.html
fi

# Memory: more requests until RSS_REQUESTS in all since the first reading.
served=0
for f in "$OUT"/*.wrk; do
	[ -f "$f" ] && served=$((served + $(val "$f" requests)))
done
left=$((RSS_REQUESTS - served))
gets=
for p in org applications join_get; do
	echo "$AVAILABLE" | grep -qw "$p" && gets="$gets $p"
done
if [ "$left" -gt 0 ] && [ -n "$gets" ]; then
	n=$(echo $gets | wc -w)
	for p in $gets; do
		rate=$(val "$OUT/$p.wrk" rps)
		secs=$(awk -v l="$left" -v n="$n" -v r="${rate:-1000}" \
		    'BEGIN { s = int(l / n / r * 1.1) + 1; print s }')
		say "memory: $p for ${secs}s more"
		run_wrk "$p" "$OUT/$p.rss" "$secs"
		served=$((served + $(val "$OUT/$p.rss" requests)))
	done
fi
RSS_SERVED=$served
for prog in org approve join session; do
	eval "RSS1_$prog=$(rss $prog)"
done

# A school's roster of 5 000 rows: upload, preview, apply, its CSV, and
# the roster program's memory (bench/roster.sh), on the empty data set.
say "roster: 5 000 rows uploaded, previewed, applied"
if ! "$HERE/roster.sh" "$URL" "$RUN" "$OUT" "$ORG" >"$OUT/roster.md" \
    2>"$OUT/roster.log"; then
	say "roster: failed, see $OUT/roster.log"
	printf '## A roster of 5 000 rows\n\nNot measured: see' >"$OUT/roster.md"
	printf ' bench/out/roster.log.\n' >>"$OUT/roster.md"
fi

# 100 MB of uploads and the files program's memory (bench/files.sh).
say "files: 100 MB of uploads"
if ! bench/files.sh "$URL" "$RUN" "$OUT" >"$OUT/files.md" \
    2>"$OUT/files.log"; then
	say "files: failed, see $OUT/files.log"
	printf '## 100 MB of uploads\n\nNot measured: see' >"$OUT/files.md"
	printf ' bench/out/files.log.\n' >>"$OUT/files.md"
fi

# The same pages among 10 000 organizations.
say "loading the large data set ($LARGE_ORGS organizations)"
t0=$(date +%s)
load "$LARGE_ORGS"
LOAD_SECS=$(($(date +%s) - t0))
COUNTS=$(sql -tA -F' ' -c "SELECT (SELECT count(*) FROM parta.org),
    (SELECT count(*) FROM parta.member),
    (SELECT count(*) FROM parta.application),
    pg_size_pretty(pg_database_size('parta'))")
for p in $AVAILABLE; do
	[ "$p" = floor ] && continue
	d=$DUR
	[ "$p" = login ] && d=$LOGIN_DUR
	[ "$p" = login ] || BENCH_FIRST=1 run_wrk "$p" "$OUT/$p.lwarm" "$WARM"
	[ "$p" = join_post ] && join_next "$OUT/join_post.lwarm"
	first=1
	[ "$p" = join_post ] && first=$JOIN_NEXT
	say "$p: large data set (${d}s)"
	BENCH_FIRST=$first run_wrk "$p" "$OUT/$p.large" "$d"
done

# ---------------------------------------------------------------- report
ELAPSED=$(($(date +%s) - START))
PGVER=$("$PGBIN/postgres" -V | sed 's/.*) \([0-9.]*\).*/\1/')
NGINXVER=$(nginx -v 2>&1 | sed 's/.*: //')
WRKVER=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)
res=$OUT/results.md
{
	echo "# Parta benchmarks"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC')$([ -n "$QUICK" ] &&
	    echo ", quick mode (short runs: indicative only)"). Machine:" \
	    "$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)," \
	    "$(nproc) cores," \
	    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' \
	    /proc/meminfo) RAM, $(uname -sr);" \
	    "PostgreSQL $PGVER, $NGINXVER, $WRKVER." \
	    "Load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 \
	    /proc/loadavg)."
	echo
	echo "Knobs: PARTA_WORKERS=${PARTA_WORKERS:-2}," \
	    "PARTA_LOGIN_WORKERS=${PARTA_LOGIN_WORKERS:-3}; wrk and pgbench" \
	    "at $CONNS connections, $THREADS threads; app and pgbench" \
	    "${DUR} s" \
	    "each, taking turns in halves; static ${STATIC_DUR} s; login" \
	    "${LOGIN_DUR} s; everything on the one machine."
	echo
	echo "## Pages against their own SQL and a static file"
	echo
	echo "| page | app req/s | p50 ms | p99 ms | SQL | pgbench tps" \
	    "| p50 ms | p99 ms | app/pgbench | static req/s | app/static |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for p in $PAGES login; do
		page_def "$p"
		if ! echo "$AVAILABLE" | grep -qw "$p"; then
			eval "st=\$STATUS_$p"
			echo "| $TITLE | not measured: answers $st |||||||||"
			continue
		fi
		eval "tps=\${TPS_$p:-} stm=\${STMTS_$p:-} note=\${NOTE_$p:-}"
		eval "g50=\${PG50_$p:-} g99=\${PG99_$p:-}"
		a=$(val "$OUT/$p.wrk" rps)
		s=$(val "$OUT/$p.static" rps)
		if [ "$p" = floor ]; then
			tps=— stm=0 note=
		fi
		echo "| $TITLE | $a | $(ms "$(val "$OUT/$p.wrk" p50_us)")" \
		    "| $(ms "$(val "$OUT/$p.wrk" p99_us)") | $stm" \
		    "| ${tps:-failed}$([ -n "$note" ] && echo " ($note)")" \
		    "| $(ms "$g50") | $(ms "$g99")" \
		    "| $(ratio "$a" "$tps") | $s | $(ratio "$a" "$s") |"
	done
	echo
	echo "SQL: statements per request (BEGIN and COMMIT count), as" \
	    "captured from the statement log; bench/out/PAGE.pgbench is the" \
	    "script."
	if [ -n "${SCRYPT_RATE:-}" ]; then
		a=$(val "$OUT/login.wrk" rps)
		echo
		echo "## Login against raw scrypt"
		echo
		echo "| POST /login req/s | raw libscrypt checks/s" \
		    "($(nproc) processes, \`$SCRYPT_PARAMS\`) | login/raw |"
		echo "|--:|--:|--:|"
		echo "| $a | $SCRYPT_RATE (before $raw1, after $raw2)" \
		    "| $(ratio "$a" "$SCRYPT_RATE") |"
	fi
	echo
	echo "## Worker memory"
	echo
	echo "Resident memory of each program's largest worker, kB, after" \
	    "the warm-up and after $RSS_SERVED requests in all."
	echo
	echo "| program | before | after | change |"
	echo "|---|--:|--:|--:|"
	for prog in org approve join session; do
		eval "b=\${RSS0_$prog:-} a=\${RSS1_$prog:-}"
		[ -n "$b" ] && [ "$b" != 0 ] || continue
		echo "| $prog | $b | $a | $((a - b)) |"
	done
	echo
	cat "$OUT/roster.md"
	echo
	cat "$OUT/files.md"
	echo
	echo "## Large data set against the empty one"
	echo
	echo "Large: $COUNTS (organizations, members, applications, database" \
	    "size; loaded in ${LOAD_SECS} s); empty: the bench's organization" \
	    "alone, the same in both."
	echo
	echo "| page | empty p50 ms | large p50 ms | large/empty p50" \
	    "| empty p99 ms | large p99 ms | empty req/s | large req/s |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|"
	for p in $AVAILABLE; do
		[ "$p" = floor ] && continue
		page_def "$p"
		e50=$(val "$OUT/$p.wrk" p50_us)
		l50=$(val "$OUT/$p.large" p50_us)
		echo "| $TITLE | $(ms "$e50") | $(ms "$l50")" \
		    "| $(ratio "$l50" "$e50")" \
		    "| $(ms "$(val "$OUT/$p.wrk" p99_us)")" \
		    "| $(ms "$(val "$OUT/$p.large" p99_us)")" \
		    "| $(val "$OUT/$p.wrk" rps) | $(val "$OUT/$p.large" rps) |"
	done
	echo
	echo "## Against the targets"
	echo
	echo "| target | page | figure | met |"
	echo "|---|---|--:|:-:|"
	for p in $AVAILABLE; do
		[ "$p" = floor ] && continue
		page_def "$p"
		[ "$p" = login ] && continue
		eval "tps=\${TPS_$p:-}"
		r=$(ratio "$(val "$OUT/$p.wrk" rps)" "$tps")
		echo "| app ≥ 0.7 × pgbench | $TITLE | $r" \
		    "| $(meets "$r" 0.7 ge) |"
	done
	if [ -n "${SCRYPT_RATE:-}" ]; then
		r=$(ratio "$(val "$OUT/login.wrk" rps)" "$SCRYPT_RATE")
		echo "| login ≥ 0.9 × raw scrypt | POST /login | $r" \
		    "| $(meets "$r" 0.9 ge) |"
	fi
	for p in $AVAILABLE; do
		[ "$p" = floor ] && continue
		page_def "$p"
		[ "$p" = login ] && continue
		r=$(ms "$(val "$OUT/$p.wrk" p99_us)")
		echo "| p99 ≤ 5 ms at $CONNS connections | $TITLE | $r ms" \
		    "| $(meets "$r" 5 le) |"
	done
	for p in $AVAILABLE; do
		[ "$p" = floor ] && continue
		page_def "$p"
		r=$(ratio "$(val "$OUT/$p.large" p50_us)" \
		    "$(val "$OUT/$p.wrk" p50_us)")
		echo "| large/empty p50 ≤ 1.3 | $TITLE | $r" \
		    "| $(meets "$r" 1.3 le) |"
	done
	for prog in org approve join; do
		eval "b=\${RSS0_$prog:-} a=\${RSS1_$prog:-}"
		[ -n "$b" ] && [ "$b" != 0 ] || continue
		echo "| RSS flat (within 256 kB) | $prog | $((a - b)) kB" \
		    "| $(meets "$((a - b))" 256 le) |"
	done
	echo
	echo "Whole run: ${ELAPSED} s.  README.md (Performance) says what" \
	    "the figures mean and what each knob does."
} >"$res"
cat "$res"
# The record is made by full runs only.
if [ -n "$QUICK" ]; then
	say "quick mode: written to bench/out/results.md (the record," \
	    "bench/results.md, is left alone)"
else
	cp "$res" "$ROOT/bench/results.md"
	say "written to bench/results.md; raw output in bench/out/"
fi
