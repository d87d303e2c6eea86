#!/bin/sh
# make bench [QUICK=1] [ROUNDS=N]: how close the pages come to what their
# parts allow (issue 24), and how their cost grows with the data.  Prints
# the tables and writes them, with the machine and the date, to
# bench/results.md.
#
# A stack of its own (var/bench, port PARTA_BENCH_PORT, default
# PARTA_PORT + 2), so the `make test` stack of the same checkout is left
# alone.  For each page, wrk at CONNS connections, pgbench at the
# program's (PGCONNS, below):
#   app      wrk against the page, every request from its own prepared
#            session (bench/wrk.lua, bench/sql/fixture.sql)
#   pgbench  the statements that very request ran, captured from
#            PostgreSQL's statement log and replayed (bench/pgbench.awk)
#   static   nginx serving a file of the page's size
# and the limit model: a page cannot beat the floor (GET /login, no SQL,
# through nginx and FastCGI) and its own SQL (pgbench) together, so its
# limit is 1/(1/floor + 1/pgbench) requests a second, and app ÷ limit
# says what the program adds of its own (goal ≥ 0.9).  All of that
# ROUNDS times (3; QUICK=1: 1), page after page within a round, min /
# median / max shown.  Per page too: its statements and round trips to
# PostgreSQL (round_trips below says how they are told apart), and the
# shared buffers its statements touch, EXPLAIN (ANALYZE, BUFFERS) on
# both data sets (bench/explain.awk, bench/buffers.awk).  With two cores
# or more, the load generators (wrk, pgbench) run on the first core and
# the stack (nginx, programs, PostgreSQL) on the others (taskset);
# BENCH_PIN=0 leaves everything unpinned.
# then POST /login against the raw scrypt rate (bench/scrypt.c), worker
# RSS before and after RSS_REQUESTS requests, a roster of 5 000 rows
# uploaded, previewed and applied (bench/roster.sh), 100 MB of files
# uploaded and the files worker's memory before and after
# (bench/files.sh), and the same pages in a
# database of 10 000 organizations, 100 000 members and 1 000 000
# applications (bench/sql/orgs.sql) against the empty one.  Both hold
# the big school (bench/sql/bigorg.sql, bigschool.sql), whose five long
# lists are pages of their own (big_*), as is a class chat of it with 1 000
# messages and 40 members (bench/sql/bigchat.sql: GET as a member).
# Raw output of every run: bench/out/.
#
# Two knobs for bench/instructions.sh, which reuses this script's data
# set and capture: BENCH_STEPS=capture stops once every page's SQL is
# captured (out/PAGE.pgbench, out/capture.tsv: page, title, whether it
# answered), leaving the stack running with the empty data set (with
# BENCH_SET=large too: the large one, to look at its plans);
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
# The round-trip header is for tests: none in measured responses.
export PARTA_DEBUG_ROUND_TRIPS=0
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
# pgbench runs a page's SQL over as many connections as the page's program
# has (its workers, one connection each): the app's SQL never has more,
# and at more a write page's commits share WAL flushes its program cannot
# share (POST /join: 2 connections 5 000 commits a second on this host,
# 16 connections 19 700), a limit the program could not reach however
# little it added of its own.
PGCONNS=${BENCH_PG_CONNS:-${PARTA_WORKERS:-2}}
PGTHREADS=$((THREADS < PGCONNS ? THREADS : PGCONNS))
LARGE_ORGS=10000

if [ -n "$QUICK" ]; then
	DUR=2 WARM=1 STATIC_DUR=1 LOGIN_DUR=4 SCRYPT_DUR=1
	RSS_REQUESTS=20000
	ROUNDS=${ROUNDS:-1}
else
	# Per round; three rounds fit in about 15 minutes on 2 cores.
	DUR=6 WARM=2 STATIC_DUR=3 LOGIN_DUR=10 SCRYPT_DUR=3
	RSS_REQUESTS=100000
	ROUNDS=${ROUNDS:-3}
fi
DUR=${BENCH_DUR:-$DUR}
# Pools of prepared sessions and people: admin sessions are reused in a
# ring, joiners are used once each (wrk 1..J, pgbench J+1..2J, the
# round-trip count 2J + 1).
SESSIONS=50000
JOINERS=$((DUR * 6000 * ROUNDS))
INVITES=$((2 * JOINERS / 100 + 1))
LOGINS=64
ORG=1
BIG=900000000	# the big school (bench/sql/bigorg.sql)

say() { echo "bench: $*" >&2; }

# With two cores or more: the load generators on the first, the stack on
# the others (everything scripts/stack.sh starts inherits its affinity).
CORES=$(nproc)
LOADPIN= STACKPIN= STACK_CORES=$CORES
if [ "$CORES" -ge 2 ] && [ "${BENCH_PIN:-1}" != 0 ] &&
    command -v taskset >/dev/null; then
	LOADPIN="taskset -c 0" STACKPIN="taskset -c 1-$((CORES - 1))"
	STACK_CORES=$((CORES - 1))
fi
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
    big_queue big_invites big_audit chat"
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
	chat)
		# A class chat of the big school (bench/sql/bigchat.sql), as
		# one of its members sees it.
		TITLE="GET /chats/C (1 000 messages, 40 members)"
		PATHF=/chats/900000000
		COOKIE='parta_session=BC{i}'
		SESS=BC PGFIRST=$((SESSIONS + 1)) PROG=chat ;;
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
	    $LOADPIN wrk -t "$THREADS" -c "$CONNS" -d "${3}s" --timeout 30s \
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

# Fill in a request template for number 0 (the capture's own), or N.
fill0() {
	z=$(printf '%041d' "${2:-0}")
	v=$(printf '%041d' $((${2:-0} % INVITES)))
	echo "$1" | sed -e "s/{i}/$z/g" -e "s/{v}/$v/g" -e 's/{l}/0000/g'
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

# join_undo: the applications POST /join filed (joiner i is account
# 1000000000 + i, bench/sql/fixture.sql) taken back, and the table
# vacuumed, so that the pages measured after it (the next round's) show
# the school they showed before it: the joins of a round lengthened the
# typical school's queue from 10 pending applications to 20 000, and
# its home and queue, which count them, ran ten times slower in the
# rounds after the first.
join_undo() {
	sql -c "DELETE FROM parta.application
	    WHERE account_id BETWEEN 1000000000 AND 1999999999" \
	    -c "VACUUM ANALYZE parta.application" >/dev/null
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
	# So were those that copy the names the members list is ordered by
	# and the log's filter shows (sql/0061_list_buffers.sql): the copies
	# made here, triggers off.
	if [ -n "$(sql -tA -c "SELECT 1 FROM pg_attribute
	    WHERE attrelid = 'parta.member'::regclass
	    AND attname = 'sort_last_name'")" ]; then
		PGOPTIONS="-c session_replication_role=replica" sql -c "UPDATE
		    parta.member m SET sort_last_name = a.last_name,
		    sort_first_name = a.first_name,
		    sort_patronymic = a.patronymic FROM parta.account a
		    WHERE a.id = m.account_id" >/dev/null
	fi
	sql -tA -v org=$ORG -v pw="$HASH" -v sessions=$((SESSIONS + CONNS)) \
	    -v joiners=$JOINERS -v invites=$INVITES -v logins=$LOGINS \
	    -f bench/sql/fixture.sql >/dev/null
	# The big school: 3 000 members, 120 classes, 500 pending
	# applications, 300 links, 50 000 audit events.
	sql -v pw="$HASH" -v sessions=$((SESSIONS + CONNS)) \
	    -f bench/sql/bigorg.sql >/dev/null
	# Its class chat: 1 000 messages, 40 members (a checkout measured
	# by BENCH_ROOT may have none).
	set -- -f bench/sql/bigschool.sql
	[ -f bench/sql/bigchat.sql ] && set -- "$@" -f bench/sql/bigchat.sql
	sql -c "SELECT set_config('parta.big_org', '$BIG', false)" \
	    -v pw="$HASH" -v sessions=$((SESSIONS + CONNS)) "$@" >/dev/null
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
		# POST /join's person is the session's (parta.rls_account()):
		# a new one each time, below.
		if [ "$1" != join_post ]; then
			echo "col encode(sha256(convert_to('$SESS' || $tok," \
			    "'UTF8')), 'hex') AS h" >>"$head"
		fi
	fi
	case $1 in
	join_*)
		v="lpad((($PGFIRST + :client_id) % $INVITES)::text, 41, '0')"
		printf '%s\tih\n' "$(hex_of "IJ$z")" >>"$map"
		printf 'IJ%s\ttok\n' "$z" >>"$map"
		printf '1000000000\tacc\n2000000000\tinv\n' >>"$map"
		if [ "$1" = join_get ]; then
			cat >>"$head" <<-EOF
			col encode(sha256(convert_to('IJ' || $v, 'UTF8')), 'hex') AS ih
			col 'IJ' || $v AS tok
			EOF
		fi
		cat >>"$head" <<-EOF
		cmd \\set i $PGFIRST + :k * $PGCONNS + :client_id
		cmd \\set k :k + 1
		cmd \\set acc 1000000000 + :i
		cmd \\set inv 2000000000 + :i % $INVITES
		EOF
		# POST /join: a new person each time, by a link of the
		# spread as wrk's (bench/wrk.lua): joiner :i's session and
		# link :i % INVITES (a link takes 100; one SELECT more than
		# the app runs, of no table).
		if [ "$1" = join_post ]; then
			v="lpad((:i % $INVITES)::text, 41, '0')"
			echo "cmd SELECT encode(sha256(convert_to('$SESS' ||" \
			    "lpad(:i::text, 41, '0'), 'UTF8')), 'hex') AS h," \
			    "encode(sha256(convert_to('IJ' || $v, 'UTF8'))," \
			    "'hex') AS ih, 'IJ' || $v AS tok \\gset" >>"$head"
			NOTE="pgbench +1 SELECT for the joiner's session and link"
		fi
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
# out/NAME.pgbench.out.PART, its log out/NAME.pglog.PART.*; per-client
# counters go on from earlier parts and rounds (POST /join needs a new
# person every time).  Leaves TPS, empty when it failed.
run_pgbench() {
	out=$OUT/$1.pgbench.out${3:+.$3}
	TPS=
	# Each client's next number: one past the most it did so far.
	k=$(cat "$OUT/$1.pglog"* 2>/dev/null | awk 'BEGIN { m = 0 }
	    $2 + 1 > m { m = $2 + 1 } END { print m }')
	k=$((k + ${PGK:-0}))
	PGK=$k
	# As the programs run it: their role ($ROLE, parta_app: row-level
	# security on, the settings made by the request's own session
	# lookup, its first statement) and their session options (lib/db.c).
	# Over the program's connections (PGCONNS; POST /login's program has
	# PARTA_LOGIN_WORKERS).
	c=$PGCONNS j=$PGTHREADS
	if [ "$1" = login ]; then
		c=${BENCH_PG_CONNS:-${PARTA_LOGIN_WORKERS:-3}}
		j=$((THREADS < c ? THREADS : c))
	fi
	if PGOPTIONS="-c plan_cache_mode=force_generic_plan -c search_path=" \
	    $LOADPIN "$PGBIN/pgbench" -n -M prepared -c "$c" -j "$j" \
	    -T "$2" -D init=0 -D k="$k" -f "$OUT/$1.pgbench" -h "$RUN" \
	    -l --log-prefix="$OUT/$1.pglog${3:+.$3}" -U "$ROLE" parta \
	    >"$out" 2>&1 && ! grep -q 'aborted' "$out"; then
		TPS=$(sed -n 's/^tps = \([0-9]*\.[0-9]\).*/\1/p' "$out" |
		    tail -n 1)
	else
		say "$1: pgbench failed, see $out"
	fi
}

# pgbench_percentiles NAME [ROUND]: PG50 and PG99, microseconds, over
# every transaction pgbench logged for NAME (in that round).
pgbench_percentiles() {
	set -- $(cat "$OUT/$1.pglog${2:+.r$2.}"* 2>/dev/null | awk '{ print $3 }' |
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

# measure NAME FIRST ROUND: the app and pgbench in turns, two halves of
# DUR each (app, pgbench, app, pgbench), so that whatever else the
# machine does weighs on both alike.  Leaves out/NAME.wrk (and a copy,
# out/NAME.wrk.rROUND), TPS, PG50, PG99, and in NEXT the first number
# no wrk request used (POST /join's next person).
measure() {
	half=$(awk -v d="$DUR" 'BEGIN { print d / 2 }')
	first=$2
	eval "PGK=\${PGK_$1:-0}"
	if [ "$3" = 1 ]; then
		PGK=0
		rm -f "$OUT/$1.pglog"*
	fi
	BENCH_FIRST=$first run_wrk "$1" "$OUT/$1.wrk1" "$half"
	run_pgbench "$1" "$half" "r$3.1"
	t1=$TPS
	first=$((first + $(val "$OUT/$1.wrk1" requests) + 2 * CONNS))
	BENCH_FIRST=$first run_wrk "$1" "$OUT/$1.wrk2" "$half"
	run_pgbench "$1" "$half" "r$3.2"
	t2=$TPS
	NEXT=$((first + $(val "$OUT/$1.wrk2" requests) + 2 * CONNS))
	eval "PGK_$1=$PGK"
	merge_wrk "$OUT/$1.wrk" "$OUT/$1.wrk1" "$OUT/$1.wrk2"
	cp "$OUT/$1.wrk" "$OUT/$1.wrk.r$3"
	TPS=
	[ -n "$t1" ] && [ -n "$t2" ] && TPS=$(awk -v a="$t1" -v b="$t2" \
	    'BEGIN { printf "%.1f\n", (a + b) / 2 }')
	pgbench_percentiles "$1" "$3"
}

# ------------------------------------------------------------- rounds
# Each round's figures, a line each in out/rounds.tsv: page, key, round,
# value.  rec PAGE KEY ROUND VALUE; vals PAGE KEY: the values, one a line.
rec() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$OUT/rounds.tsv"
}
vals() {
	awk -F'\t' -v p="$1" -v k="$2" '$1 == p && $2 == k && $4 != "" &&
	    $4 != "—" { print $4 }' "$OUT/rounds.tsv" 2>/dev/null
}
# med PAGE KEY: the median of the rounds' values (or nothing).
med() {
	vals "$1" "$2" | sort -g | awk '{ v[NR] = $1 } END { if (NR)
	    print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# mmm PAGE KEY [SCALE [FORMAT]]: "min / median / max" of the rounds'
# values times SCALE, in FORMAT (%.2f); one value alone when there is
# one; "—" when none.
mmm() {
	vals "$1" "$2" | sort -g | awk -v s="${3:-1}" -v f="${4:-%.2f}" '
	    { v[NR] = $1 * s } END {
		if (!NR) { print "—"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		if (NR == 1) printf f "\n", m
		else printf f " / " f " / " f "\n", v[1], m, v[NR] }'
}
# calc EXPRESSION with a and b: awk's result, "" when a or b is missing
# or would divide by zero.
calc() {
	awk -v a="${2:-}" -v b="${3:-}" "BEGIN { if (a == \"\" || b == \"\" ||
	    a + 0 == 0 || b + 0 == 0) exit; printf \"%.4f\\n\", $1 }"
}

# POST /join uses each joiner once: after a warm-up that used the first
# ones (and perhaps a few more it did not wait for), where to go on.
join_next() {
	JOIN_NEXT=1
	[ -f "$1" ] && JOIN_NEXT=$(($(val "$1" requests) + 2 * CONNS + 1))
	return 0
}

# ---------------------------------------------- round trips, buffers
# round_trips NAME: one more request of the page, with the PostgreSQL
# backends of the programs (application_name parta) under strace, every
# program's workers already warm (their statements prepared).  A round
# trip is the client sending and then waiting for the answer: without
# pipelining, each of libpq's calls (PQexecPrepared: Bind, Describe,
# Execute, Sync in one write; PQexec: one Query) reaches the backend as
# one read starting with Bind ('B') or Query ('Q'), and the next comes
# only after the answer; in pipeline mode several statements come in one
# read and count once, so this counts what a client waits for, whatever
# lib/db.c does.  A statement a connection runs for the first time is
# prepared in the same write (Parse, then Bind: lib/db.c never waits on a
# Parse alone), so a read starting with Parse ('P') counts too: the
# record of 1 December counted one round trip for POST /join, whose
# write, prepared on that worker's connection for the first time, began
# with its Parse.  The request's reads are told from
# other backends' (daemons polling, requests still queued) by its
# session's token hash, a parameter of its first statement, the session
# lookup (its name from the capture's log): they run from that read to
# the next Bind of the lookup on the same backend.  The log's statements
# (STMTS_) are counted from the capture; this request is number 0 again
# for the pages that do not change what they show, a person no run uses
# (2 × JOINERS + 1) for /join.  Leaves RT, empty without strace or when
# the request was not found.
round_trips() {
	RT=
	NAME=$1
	command -v strace >/dev/null || return 0
	page_def "$1"
	[ -n "$SESS" ] || return 0
	n=0
	case $1 in join_*) n=$((2 * JOINERS + 1)) ;; esac
	look=$(sed -n 's/.*LOG:  execute \([^:]*\):.*/\1/p' "$OUT/$1.log" |
	    head -n 1)
	hash=$(hex_of "$SESS$(printf '%041d' "$n")")
	pids=$(sql -tA -c "SELECT pid FROM pg_stat_activity
	    WHERE application_name = 'parta'")
	[ -n "$pids" ] && [ -n "$look" ] || return 0
	set --
	for pid in $pids; do
		set -- "$@" -p "$pid"
	done
	strace -qq -e trace=recvfrom -e signal=none -s 4096 \
	    -o "$OUT/$NAME.strace" "$@" 2>/dev/null &
	spid=$!
	sleep 0.5
	set -- -s -o /dev/null -w '%{http_code}' -X "$METHOD" \
	    -b "$(fill0 "$COOKIE" "$n")"
	[ "$METHOD" = POST ] && set -- "$@" --data "$(fill0 "$BODY" "$n")"
	code=$(curl "$@" "$URL$(fill0 "$PATHF" "$n")" || echo 000)
	sleep 0.3
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	if [ "$code" != "$EXPECT" ]; then
		say "$NAME: the round trips' request answered $code"
		return 0
	fi
	RT=$(awk -v h="$hash" -v look="$look" '
	    /recvfrom\([0-9]+, "[BQP]/ {
		pid = $1
		if (index($0, h)) { on[pid] = 1; found = 1 }
		else if (on[pid] && index($0, "\\0" look "\\0")) on[pid] = 0
		if (on[pid]) rt++
	    }
	    END { if (found) print rt + 0 }' "$OUT/$NAME.strace")
}

# explain NAME SET: EXPLAIN (ANALYZE, BUFFERS) of the page's captured
# statements (bench/explain.awk) as the programs' role with their
# session options, in out/NAME.explain.SET; leaves BUF, the shared
# buffers they touched (bench/buffers.awk), empty when it failed.
explain() {
	BUF=
	awk -f "$HERE/explain.awk" "$OUT/$1.pgbench" >"$OUT/$1.explain.sql" \
	    2>/dev/null || return 0
	PGOPTIONS="-c plan_cache_mode=force_generic_plan -c search_path=" \
	    "$PGBIN/psql" -X -At -h "$RUN" -U postgres -d parta \
	    -c "SET SESSION AUTHORIZATION $ROLE" -f "$OUT/$1.explain.sql" \
	    >"$OUT/$1.explain.$2" 2>&1 || true
	BUF=$(awk -f "$HERE/buffers.awk" "$OUT/$1.explain.$2" | cut -d' ' -f1)
	[ -n "$BUF" ] || say "$1: EXPLAIN failed, see $OUT/$1.explain.$2"
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
rm -rf "${OUT:?}"/*
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
$STACKPIN scripts/stack.sh start >"$OUT/stack.log" 2>&1 ||
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
	tx=no
	grep -qi '^BEGIN' "$OUT/$p.pgbench" 2>/dev/null && tx=yes
	eval "TX_$p=$tx"
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
	if [ "${BENCH_SET:-empty}" = large ]; then
		say "loading the large data set ($LARGE_ORGS organizations)"
		load $LARGE_ORGS
	fi
	trap - EXIT INT TERM
	say "captured: $OUT/*.pgbench; the stack on $URL is left running" \
	    "with the ${BENCH_SET:-empty} data set"
	exit 0
fi

# The shared buffers each page's statements touch, before pgbench or
# wrk changed anything (POST /join's EXPLAIN is rolled back).
ROLE=$(scripts/stack.sh env | sed -n 's/^PARTA_DB=.*user=\([^ ]*\).*/\1/p')
ROLE=${ROLE:-parta}
for p in $AVAILABLE; do
	case $p in floor|login) continue ;; esac
	explain "$p" empty
	eval "BUF_$p=$BUF"
done

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
for prog in org approve join session chat; do
	eval "RSS0_$prog=$(rss $prog)"
done
# Round trips, every program warm (POST /join's by GET /join's warm-up).
for p in $AVAILABLE; do
	case $p in floor|login) continue ;; esac
	round_trips "$p"
	eval "RT_$p=$RT"
done

# ROUNDS rounds, each page in turn: app and pgbench, then the static
# file; the floor first, so each page's limit takes its own round's.
JOIN_NEXT=
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for p in $AVAILABLE; do
		[ "$p" = login ] && continue
		say "round $r/$ROUNDS: $p: app, pgbench, static"
		if [ "$p" = join_post ] && [ -z "$JOIN_NEXT" ]; then
			BENCH_FIRST=1 run_wrk "$p" "$OUT/$p.warm" "$WARM"
			join_next "$OUT/$p.warm"
			join_undo
		fi
		first=1
		[ "$p" = join_post ] && first=$JOIN_NEXT
		if [ "$p" = floor ]; then
			run_wrk "$p" "$OUT/$p.wrk" "$DUR"
			cp "$OUT/$p.wrk" "$OUT/$p.wrk.r$r"
		else
			measure "$p" "$first" "$r"
			if [ "$p" = join_post ]; then
				JOIN_NEXT=$NEXT
				join_undo
			fi
			rec "$p" tps "$r" "$TPS"
			rec "$p" pg50 "$r" "$PG50"
			rec "$p" pg99 "$r" "$PG99"
		fi
		run_wrk "$p" "$OUT/$p.static" "$STATIC_DUR" \
		    "/bench-static/$p.html"
		cp "$OUT/$p.static" "$OUT/$p.static.r$r"
		a=$(val "$OUT/$p.wrk" rps)
		a50=$(val "$OUT/$p.wrk" p50_us)
		a99=$(val "$OUT/$p.wrk" p99_us)
		st=$(val "$OUT/$p.static" rps)
		rec "$p" app "$r" "$a"
		rec "$p" p50 "$r" "$a50"
		rec "$p" p99 "$r" "$a99"
		rec "$p" static "$r" "$st"
		rec "$p" tail "$r" "$(calc 'a / b' "$a99" "$a50")"
		if [ "$p" = floor ]; then
			FLOOR=$a
			rec floor floor_static "$r" "$(calc 'a / b' "$a" "$st")"
		else
			# The limit: the floor's time and the SQL's, one after
			# the other, for every request.
			lim=$(calc '1 / (1 / a + 1 / b)' "${FLOOR:-}" "$TPS")
			rec "$p" limit "$r" "$lim"
			rec "$p" model "$r" "$(calc 'a / b' "$a" "$lim")"
		fi
	done
	r=$((r + 1))
done

# Login: the app between two readings of the raw scrypt rate at the
# stored parameters with one process per core (their mean: the machine
# is the same for both), pgbench of its SQL, a static file.
if echo "$AVAILABLE" | grep -qw login; then
	say "login: raw scrypt, app (${LOGIN_DUR}s), raw scrypt, pgbench," \
	    "static"
	stored=$(sql -tA -c "SELECT password_hash FROM parta.account
	    WHERE id = 3000000000")
	raw1=$($STACKPIN "$SCRYPT" rate "$stored" "$PASSWORD" "$SCRYPT_DUR" \
	    "$STACK_CORES" | cut -d' ' -f1)
	run_wrk login "$OUT/login.wrk" "$LOGIN_DUR"
	sleep 2
	raw2=$($STACKPIN "$SCRYPT" rate "$stored" "$PASSWORD" "$SCRYPT_DUR" \
	    "$STACK_CORES" | cut -d' ' -f1)
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
for f in "$OUT"/*.wrk.r* "$OUT/login.wrk"; do
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
		# (At most 5 × DUR a page: a host too busy for the count
		# gives what it can.)
		secs=$(awk -v l="$left" -v n="$n" -v r="${rate:-1000}" \
		    -v m=$((5 * DUR)) 'BEGIN { s = int(l / n / r * 1.1) + 1
		    print (s > m ? m : s) }')
		say "memory: $p for ${secs}s more"
		run_wrk "$p" "$OUT/$p.rss" "$secs"
		served=$((served + $(val "$OUT/$p.rss" requests)))
	done
fi
RSS_SERVED=$served
for prog in org approve join session chat; do
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
	case $p in floor|login) continue ;; esac
	explain "$p" large
	eval "BUFL_$p=$BUF"
done
# ROUNDS rounds again (POST /login in the first only: scrypt is its cost).
JOIN_NEXT=
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for p in $AVAILABLE; do
		[ "$p" = floor ] && continue
		[ "$p" = login ] && [ "$r" -gt 1 ] && continue
		d=$DUR
		[ "$p" = login ] && d=$LOGIN_DUR
		[ "$p" = login ] || [ "$r" -gt 1 ] ||
		    BENCH_FIRST=1 run_wrk "$p" "$OUT/$p.lwarm" "$WARM"
		[ "$p" = join_post ] && [ -z "$JOIN_NEXT" ] &&
		    join_next "$OUT/join_post.lwarm"
		first=1
		[ "$p" = join_post ] && first=$JOIN_NEXT
		say "round $r/$ROUNDS: $p: large data set (${d}s)"
		BENCH_FIRST=$first run_wrk "$p" "$OUT/$p.large.r$r" "$d"
		cp "$OUT/$p.large.r$r" "$OUT/$p.large"
		if [ "$p" = join_post ]; then
			JOIN_NEXT=$((first + $(val "$OUT/$p.large" requests) \
			    + 2 * CONNS))
			join_undo
		fi
		l50=$(val "$OUT/$p.large" p50_us)
		rec "$p" lp50 "$r" "$l50"
		rec "$p" lp99 "$r" "$(val "$OUT/$p.large" p99_us)"
		rec "$p" lrps "$r" "$(val "$OUT/$p.large" rps)"
		e50=$(vals "$p" p50 | sed -n "${r}p")
		[ "$p" = login ] && e50=$(val "$OUT/login.wrk" p50_us)
		rec "$p" growth "$r" "$(calc 'a / b' "$l50" "$e50")"
	done
	r=$((r + 1))
done

# Row-level security's own cost (issue 23: no page more than 10 % slower
# for it), in what the host cannot move: each page's SQL counted in
# instructions as the programs' role and as the same role bypassing the
# policies (bench/instructions.sh, its own capture on the empty data set
# in this stack's place).  BENCH_INSTRUCTIONS=0 leaves it out.
INSTR=
if [ "$STEPS" = all ] && [ "${BENCH_INSTRUCTIONS:-1}" != 0 ]; then
	scripts/stack.sh stop >/dev/null 2>&1 || true
	trap - EXIT INT TERM
	say "row-level security's cost, in instructions (bench/instructions.sh)"
	if PARTA_BENCH_PORT=$PARTA_PORT "$HERE/instructions.sh" \
	    -o "$OUT/instructions" "$ROOT" >/dev/null \
	    2>"$OUT/instructions.log" &&
	    [ -s "$OUT/instructions/instructions.tsv" ]; then
		INSTR=$OUT/instructions/instructions.tsv
	else
		say "instructions failed: see $OUT/instructions.log"
	fi
fi

# ---------------------------------------------------------------- report
ELAPSED=$(($(date +%s) - START))
PGVER=$("$PGBIN/postgres" -V | sed 's/.*) \([0-9.]*\).*/\1/')
NGINXVER=$(nginx -v 2>&1 | sed 's/.*: //')
WRKVER=$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)
[ -f "$OUT/roster.vals" ] && eval "$(cat "$OUT/roster.vals")"
# The apply's SQL ÷ app, only when the apply answered as it should.
ROSTER_RATIO=—
[ "${ROSTER_APPLY_STATUS:-}" = 303 ] && ROSTER_RATIO=$(ratio \
    "${ROSTER_APPLY_SQL_MS:-}" "${ROSTER_APPLY_MS:-}")
if [ -n "$LOADPIN" ]; then
	PIN="wrk and pgbench pinned to core 0, the stack (nginx, programs,"
	PIN="$PIN PostgreSQL) to cores 1-$((CORES - 1)) (taskset)"
else
	PIN="nothing pinned ($CORES core$([ "$CORES" -gt 1 ] && echo s)$(
	    [ "${BENCH_PIN:-1}" = 0 ] && echo ", BENCH_PIN=0"))"
fi
if [ "$ROUNDS" -gt 1 ]; then
	EACH="each cell the median of $ROUNDS rounds; min / median / max"
	EACH="$EACH where three figures are shown"
else
	EACH="one round"
fi
res=$OUT/results.md
{
	echo "# Parta benchmarks"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC')$([ -n "$QUICK" ] &&
	    echo ", quick mode (short runs: indicative only)"). Machine:" \
	    "$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)," \
	    "$CORES cores," \
	    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' \
	    /proc/meminfo) RAM, $(uname -sr);" \
	    "PostgreSQL $PGVER, $NGINXVER, $WRKVER." \
	    "Load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 \
	    /proc/loadavg)."
	echo
	echo "Knobs: PARTA_WORKERS=${PARTA_WORKERS:-2}," \
	    "PARTA_LOGIN_WORKERS=${PARTA_LOGIN_WORKERS:-3}; wrk at $CONNS" \
	    "connections, $THREADS threads, pgbench at the programs'" \
	    "$PGCONNS ($PGTHREADS threads); $ROUNDS round(s), in" \
	    "each app and pgbench ${DUR} s a page, taking turns in halves," \
	    "static ${STATIC_DUR} s; login ${LOGIN_DUR} s; everything on the" \
	    "one machine, $PIN."
	echo
	echo "## Pages against their limit"
	echo
	echo "Limit: 1/(1/floor + 1/pgbench) requests a second, the floor" \
	    "(GET /login: nginx and FastCGI, no SQL) and the page's own SQL" \
	    "(pgbench, over the program's $PGCONNS connections) one after" \
	    "the other, each round's own; app ÷ limit is" \
	    "what the program adds beyond the two (1: nothing). Statements" \
	    "as the log has them (BEGIN and COMMIT count); round trips: the" \
	    "times the program sent and waited for PostgreSQL (strace of the" \
	    "backends, bench/run.sh round_trips); tx: whether BEGIN/COMMIT" \
	    "run. $EACH."
	echo
	echo "| page | stmts | round trips | tx | app req/s | p50 ms" \
	    "| p99 ms | p99/p50 | pgbench tps | limit req/s | app ÷ limit" \
	    "| static req/s |"
	echo "|---|--:|--:|:-:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for p in $PAGES; do
		page_def "$p"
		if ! echo "$AVAILABLE" | grep -qw "$p"; then
			eval "st=\$STATUS_$p"
			echo "| $TITLE | not measured: answers $st |||||||||||"
			continue
		fi
		eval "stm=\${STMTS_$p:-} rt=\${RT_$p:-} tx=\${TX_$p:-}"
		eval "note=\${NOTE_$p:-}"
		[ "$p" = floor ] && stm=0 rt=0 tx=no
		echo "| $TITLE | $stm | ${rt:-—} | $tx" \
		    "| $(mmm "$p" app 1 %.0f) | $(mmm "$p" p50 0.001 %.2f)" \
		    "| $(mmm "$p" p99 0.001 %.2f) | $(mmm "$p" tail)" \
		    "| $(mmm "$p" tps 1 %.0f)$([ -n "$note" ] && echo " ($note)")" \
		    "| $(mmm "$p" limit 1 %.0f) | $(mmm "$p" model)" \
		    "| $(mmm "$p" static 1 %.0f) |"
	done
	echo
	echo "The floor against nginx serving a static file of its size:" \
	    "$(mmm floor floor_static) (GET /login ÷ static)."
	if [ -n "${SCRYPT_RATE:-}" ]; then
		a=$(val "$OUT/login.wrk" rps)
		echo
		echo "## Login against raw scrypt"
		echo
		echo "| POST /login req/s | raw libscrypt checks/s" \
		    "(one process a core of the stack's, $STACK_CORES," \
		    "\`$SCRYPT_PARAMS\`) | login/raw | stmts | pgbench tps |"
		echo "|--:|--:|--:|--:|--:|"
		echo "| $a | $SCRYPT_RATE (before $raw1, after $raw2)" \
		    "| $(ratio "$a" "$SCRYPT_RATE") | ${STMTS_login:-—}" \
		    "| ${TPS_login:-—} (${NOTE_login:-}) |"
	fi
	echo
	echo "## Worker memory"
	echo
	echo "Resident memory of each program's largest worker, kB, after" \
	    "the warm-up and after $RSS_SERVED requests in all."
	echo
	echo "| program | before | after | change |"
	echo "|---|--:|--:|--:|"
	for prog in org approve join session chat; do
		eval "b=\${RSS0_$prog:-} a=\${RSS1_$prog:-}"
		[ -n "$b" ] && [ "$b" != 0 ] || continue
		echo "| $prog | $b | $a | $((a - b)) |"
	done
	echo
	cat "$OUT/roster.md"
	echo
	echo "The apply against its own SQL (one request, as the pages'" \
	    "app ÷ limit): SQL alone ${ROSTER_APPLY_SQL_MS:-—} ms, through" \
	    "nginx and the program ${ROSTER_APPLY_MS:-—} ms (answered" \
	    "${ROSTER_APPLY_STATUS:-—}), SQL ÷ app $ROSTER_RATIO."
	echo
	cat "$OUT/files.md"
	echo
	echo "## Large data set against the empty one"
	echo
	echo "Large: $COUNTS (organizations, members, applications, database" \
	    "size; loaded in ${LOAD_SECS} s); empty: the bench's organization" \
	    "and the big school alone, the same in both. Buffers: the shared" \
	    "buffers (hit + read) the page's statements touch, summed over" \
	    "them: each one's top plan node in EXPLAIN (ANALYZE, BUFFERS)," \
	    "generic plans, as the programs' role, the request's second run" \
	    "in one connection (bench/out/PAGE.explain.empty, .large). $EACH."
	echo
	echo "| page | empty p50 ms | large p50 ms | large/empty p50" \
	    "| empty buffers | large buffers | large/empty buffers" \
	    "| empty p99 ms | large p99 ms | large req/s |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for p in $AVAILABLE; do
		[ "$p" = floor ] && continue
		page_def "$p"
		eval "be=\${BUF_$p:-} bl=\${BUFL_$p:-}"
		e50=$(mmm "$p" p50 0.001 %.2f) e99=$(mmm "$p" p99 0.001 %.2f)
		if [ "$p" = login ]; then
			e50=$(ms "$(val "$OUT/login.wrk" p50_us)")
			e99=$(ms "$(val "$OUT/login.wrk" p99_us)")
		fi
		echo "| $TITLE | $e50 | $(mmm "$p" lp50 0.001 %.2f)" \
		    "| $(mmm "$p" growth) | ${be:-—} | ${bl:-—}" \
		    "| $(ratio "$bl" "$be") | $e99" \
		    "| $(mmm "$p" lp99 0.001 %.2f) | $(mmm "$p" lrps 1 %.0f) |"
	done
	echo
	if [ -n "$INSTR" ]; then
		echo "## Row-level security's own cost (issue 23)"
		echo
		echo "Each page's SQL in instructions a request (valgrind's" \
		    "callgrind, a single-user backend, the statements the" \
		    "page ran, prepared once; bench/instructions.sh), as the" \
		    "programs' role runs them and as the same role bypassing" \
		    "row-level security (BYPASSRLS for that backend alone):" \
		    "the policies' cost with nothing else changed, a count the" \
		    "host's load does not move. Empty data set; goal ≤ 1.10."
		echo
		echo "| page | with the policies (k) | without (k)" \
		    "| with ÷ without |"
		echo "|---|--:|--:|--:|"
		awk -F'\t' '
		function k(v) { return v == "" ? "—" : sprintf("%.0f", v / 1000) }
		{
			r = "—"
			if ($3 != "" && $6 != "" && $6 != 0)
				r = sprintf("%.3f", $3 / $6)
			printf "| %s | %s | %s | %s |\n", $2, k($3), k($6), r
		}' "$INSTR"
		echo
	fi
	echo "## Against the targets (issue 24)"
	echo
	echo "Met by the median where a figure has three."
	echo
	echo "| target | page | figure | met |"
	echo "|---|---|--:|:-:|"
	for p in $AVAILABLE; do
		case $p in floor|login) continue ;; esac
		page_def "$p"
		echo "| app ≥ 0.9 × limit | $TITLE | $(mmm "$p" model)" \
		    "| $(meets "$(med "$p" model)" 0.9 ge) |"
	done
	for p in $AVAILABLE; do
		case $p in floor|login) continue ;; esac
		page_def "$p"
		[ "$METHOD" = GET ] || continue
		eval "rt=\${RT_$p:-} tx=\${TX_$p:-}"
		ok=—
		[ -n "$rt" ] && ok=no
		[ "$rt" = 1 ] && [ "$tx" = no ] && ok=yes
		echo "| a GET: one round trip, no BEGIN/COMMIT | $TITLE" \
		    "| ${rt:-—}$([ "$tx" = yes ] && echo ", BEGIN/COMMIT") | $ok |"
	done
	for p in $AVAILABLE; do
		case $p in floor) continue ;; esac
		page_def "$p"
		echo "| large/empty p50 ≤ 1.2 | $TITLE | $(mmm "$p" growth)" \
		    "| $(meets "$(med "$p" growth)" 1.2 le) |"
	done
	for p in $AVAILABLE; do
		case $p in floor|login) continue ;; esac
		page_def "$p"
		eval "be=\${BUF_$p:-} bl=\${BUFL_$p:-}"
		r=$(ratio "$bl" "$be")
		echo "| large/empty buffers ≤ 1.5 | $TITLE | $r ($be → $bl)" \
		    "| $(meets "$r" 1.5 le) |"
	done
	for p in $AVAILABLE; do
		case $p in login) continue ;; esac
		page_def "$p"
		echo "| p99 ≤ 3 × p50 at $CONNS connections | $TITLE" \
		    "| $(mmm "$p" tail) | $(meets "$(med "$p" tail)" 3 le) |"
	done
	echo "| the floor ÷ a static file (reported) | GET /login" \
	    "| $(mmm floor floor_static) | — |"
	r=$ROSTER_RATIO
	[ "${ROSTER_APPLY_STATUS:-303}" = 303 ] ||
	    r="— (answered $ROSTER_APPLY_STATUS)"
	echo "| roster apply: SQL ≥ 0.9 × app | POST /org/N/roster/ID/apply" \
	    "(5 000 rows) | $r | $(meets "$ROSTER_RATIO" 0.9 ge) |"
	if [ -n "${SCRYPT_RATE:-}" ]; then
		r=$(ratio "$(val "$OUT/login.wrk" rps)" "$SCRYPT_RATE")
		echo "| login ≥ 0.9 × raw scrypt | POST /login | $r" \
		    "| $(meets "$r" 0.9 ge) |"
	fi
	for prog in org approve join chat; do
		eval "b=\${RSS0_$prog:-} a=\${RSS1_$prog:-}"
		[ -n "$b" ] && [ "$b" != 0 ] || continue
		echo "| RSS flat (within 256 kB) | $prog | $((a - b)) kB" \
		    "| $(meets "$((a - b))" 256 le) |"
	done
	# Issue 23's: the policies' cost.
	if [ -n "$INSTR" ]; then
		awk -F'\t' '{
			r = "—"; ok = "—"
			if ($3 != "" && $6 != "" && $6 != 0) {
				r = sprintf("%.3f", $3 / $6)
				ok = $3 / $6 <= 1.10 ? "yes" : "no"
			}
			printf "| row-level security ≤ 1.10 × without (issue" \
			    " 23) | %s | %s | %s |\n", $2, r, ok
		}' "$INSTR"
	fi
	echo
	echo "Whole run: ${ELAPSED} s.  README.md (Performance) says what" \
	    "the figures mean and what each knob does."
	# Measurements made by hand, kept with the record across runs.
	if [ -f "$HERE/notes.md" ]; then
		echo
		cat "$HERE/notes.md"
	fi
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
