#!/bin/sh
# bench/instructions.sh [-o OUTDIR] [DIR]: what each page's SQL costs in
# instructions, a measure a shared host cannot move (wall time on two
# busy cores moves by more than the changes it should tell apart).
#
# DIR is the checkout measured (default: this one), its programs and
# build/bench/scrypt built.  bench/run.sh, with BENCH_ROOT=DIR and
# BENCH_STEPS=capture, starts DIR's bench stack (DIR/var/bench), loads
# the empty data set (quick mode: the bench's organization and its
# people, DIR/bench/sql) and captures the SQL of one request of each page
# (OUTDIR/capture/PAGE.pgbench); nothing of either is copied here.  Then
# the stack stops and each page's statements run in a single-user backend
# (postgres --single) on that very cluster under valgrind's callgrind,
# 20 times in one process and 60 times in another: the difference over
# 40 is the instructions of one request, without the backend's start,
# the first planning and the caches filled once per connection.
#
# As the programs run them: as the role they connect as (PARTA_DB's
# user in DIR's `scripts/stack.sh env`: parta_app since row-level
# security, the owner before), with their session options (search_path
# empty, generic plans, lib/db.c), each statement prepared once and
# executed with its parameters (PREPARE/EXECUTE, as pgbench -M prepared
# does), BEGIN and COMMIT as they are.  The session lookup, the first
# statement of each request, sets the account's settings itself
# (lib/auth.c), so row-level security sees the request's account.  A
# value that differs per request (a new person for POST /join) comes
# from the script's \set lines, evaluated per repetition, or from its
# per-request SELECT ... \gset, whose expressions (the new person's
# session hash) are given to EXECUTE as they are; per-client
# values (the session's token hash) are computed by the stack before it
# stops.  The count includes the single-user backend printing the rows
# (the programs pay libpq's row output instead): the same on both sides
# of a comparison.  POST /login is left out (scrypt, not SQL, is its
# cost), GET /login runs no SQL.
#
# Row-level security's own cost (issue 23: no page more than 10 % slower
# for it): each page is counted twice, as the programs' role runs it and
# as the same role bypassing the policies (ALTER ROLE ... BYPASSRLS for
# that backend alone, NOBYPASSRLS again after it): the same statements,
# plans aside, and the same privilege checks; only the policies differ.
# INSTR_RLS=0 counts only the first; a role that bypasses them anyway
# (INSTR_ROLE=postgres, the superuser) is counted once.
#
# Writes OUTDIR (default var/instructions under this checkout):
# instructions.tsv (page, title, instructions per request, the 20 and 60
# totals; then the same three without the policies), instructions.md
# (the table, printed too), and per page PAGE.N[.off].sql (the
# single-user input), .out, .callgrind: for where the instructions go,
# `callgrind_annotate --inclusive=yes OUTDIR/PAGE.60.callgrind`, against
# PAGE.60.off.callgrind.  INSTR_PAGES="org join_post" measures only
# those.  About four minutes.  bench/compare.sh runs it on both sides,
# bench/run.sh at the end of `make bench`; `make instructions` on this
# checkout.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUTDIR=
while getopts o: opt; do
	case $opt in
	o) OUTDIR=$OPTARG ;;
	*) echo "usage: $0 [-o OUTDIR] [DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
DIR=$(cd "${1:-$HERE/..}" && pwd)
OUTDIR=${OUTDIR:-$HERE/../var/instructions}
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
CAP=$OUTDIR/capture
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
# Repetitions in the two processes.
LOW=${INSTR_LOW:-20}
HIGH=${INSTR_HIGH:-60}
TAB=$(printf '\t')

say() { echo "instructions: $*" >&2; }
die() { echo "instructions: $*" >&2; exit 1; }

command -v valgrind >/dev/null || die "valgrind is not installed"
# The stack bench/run.sh starts for DIR, with the same settings.
export PARTA_VAR="$DIR/var/bench"
export PARTA_PORT=${PARTA_BENCH_PORT:-$((${PARTA_PORT:-8080} + 2))}
stack() { "$DIR/scripts/stack.sh" "$@"; }
trap 'stack stop >/dev/null 2>&1 || true' EXIT INT TERM

rm -rf "$OUTDIR"/*
mkdir -p "$CAP"
say "capturing the pages' SQL in $DIR ($(git -C "$DIR" rev-parse \
    --short HEAD 2>/dev/null || echo '?'))"
BENCH_ROOT=$DIR BENCH_OUT=$CAP BENCH_STEPS=capture QUICK=1 \
    "$HERE/run.sh" >"$OUTDIR/capture.log" 2>&1 ||
    die "the capture failed: see $OUTDIR/capture.log"

ROLE=${INSTR_ROLE:-$(stack env |
    sed -n 's/^PARTA_DB=.*user=\([^ ]*\).*/\1/p')}
[ -n "$ROLE" ] || die "no user in DIR's PARTA_DB (scripts/stack.sh env)"
RUN=$PARTA_VAR/run
# Row-level security's own cost, the issue's goal (23): each page again
# with the role bypassing the policies, unless it bypasses them anyway
# (a superuser, INSTR_ROLE=postgres) or INSTR_RLS=0.
LIMIT=1.10
OFF=
if [ "${INSTR_RLS:-1}" != 0 ] && [ "$("$PGBIN/psql" -X -A -t -h "$RUN" \
    -U postgres -d parta -c "SELECT NOT (rolsuper OR rolbypassrls)
    FROM pg_roles WHERE rolname = '$ROLE'")" = t ]; then
	OFF=1
fi

# The pages: those with SQL that answered at the capture.
PAGES=
while IFS="$TAB" read -r p title ok; do
	case $p in floor|login) continue ;; esac
	[ -n "${INSTR_PAGES:-}" ] && ! echo " $INSTR_PAGES " | grep -q " $p " &&
	    continue
	[ "$ok" = yes ] && [ -s "$CAP/$p.pgbench" ] && PAGES="$PAGES $p"
done <"$CAP/capture.tsv"
[ -n "$PAGES" ] || die "no page captured: see $OUTDIR/capture.log"

# Per-client values (the \gset SELECT of each script), a header of names
# and a row per client, while the stack still runs.  A script that
# varies per request (\set lines: POST /join needs a new person, with
# the session of that person) runs each request as a client of its own,
# its first transaction: clients 0 .. LOW + HIGH - 1, and as many more
# after them for the count without the policies; any other script runs
# as client 0, as pgbench's first client does.
for p in $PAGES; do
	q=$(awk '/^\\if :init = 0/ { on = 1; next } /^\\endif/ { on = 0 }
	    on && /^SELECT / { sub(/ *\\gset$/, ""); sub(/^SELECT /, "");
	    print }' "$CAP/$p.pgbench" | sed 's/:client_id/g.client_id/g')
	: >"$OUTDIR/$p.init"
	[ -n "$q" ] || continue
	n=1
	grep -q '^\\set ' "$CAP/$p.pgbench" &&
	    n=$(((LOW + HIGH) * ${OFF:-0} + LOW + HIGH))
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -U postgres -d parta \
	    -A -F "$TAB" -P footer=off -c "SELECT $q
	    FROM generate_series(0, $((n - 1))) AS g(client_id)
	    ORDER BY g.client_id" >"$OUTDIR/$p.init" ||
	    die "$p: the per-client values failed"
done
stack stop >/dev/null 2>&1
trap - EXIT INT TERM

if [ -s "$PARTA_VAR/pg-home" ]; then
	PGDATA=$(cat "$PARTA_VAR/pg-home")/data
else
	PGDATA=$PARTA_VAR/pg
fi
if [ "$(id -u)" -eq 0 ]; then
	as_pg() { (cd / && runuser -u postgres -- "$@"); }
	chown postgres "$OUTDIR"
else
	as_pg() { "$@"; }
fi

# single_input PAGE K0 N: the single-user backend's input for N requests
# of PAGE, the first numbered K0 (pgbench's :k).  Statements end with a
# semicolon and an empty line (postgres --single -j).
single_input() {
	awk -v init="$OUTDIR/$1.init" -v k0="$2" -v n="$3" -v role="$ROLE" \
	    -v bypass="${4:-}" '
	# pgbench expressions: integers, :variables, + - * / % and brackets.
	function expr(   v) {
		v = term()
		while (substr(E, P, 1) ~ /[-+]/)
			if (substr(E, P++, 1) == "+") v += term()
			else v -= term()
		return v
	}
	function term(   v, o, w) {
		v = factor()
		while (substr(E, P, 1) ~ /[*\/%]/) {
			o = substr(E, P++, 1)
			w = factor()
			if (o == "*") v *= w
			else if (o == "/") v = int(v / w)
			else v = v % w
		}
		return v
	}
	function factor(   v, m) {
		if (substr(E, P, 1) == "(") {
			P++
			v = expr()
			P++
			return v
		}
		if (substr(E, P, 1) == "-") {
			P++
			return -factor()
		}
		if (match(substr(E, P), /^:[A-Za-z_][A-Za-z0-9_]*/)) {
			m = substr(E, P + 1, RLENGTH - 1)
			P += RLENGTH
			if (!(m in var)) { print "unset :" m > "/dev/stderr"; exit 1 }
			return var[m] + 0
		}
		match(substr(E, P), /^[0-9]+/)
		v = substr(E, P, RLENGTH) + 0
		P += RLENGTH
		return v
	}
	function quote(s) {
		# A value computed by SQL (below): the expression itself.
		if (substr(s, 1, 1) == "\002") return substr(s, 2)
		gsub(/\047/, "\047\047", s)
		return "\047" s "\047"
	}
	# e with its :variables replaced by their values (:: is a cast).
	function subst(e,   o, i, m) {
		o = ""
		while ((i = index(e, ":")) > 0) {
			o = o substr(e, 1, i - 1)
			e = substr(e, i)
			if (substr(e, 2, 1) == ":") {
				o = o "::"
				e = substr(e, 3)
			} else if (match(e, /^:[A-Za-z_][A-Za-z0-9_]*/)) {
				o = o var[substr(e, 2, RLENGTH - 1)]
				e = substr(e, RLENGTH + 1)
			} else {
				o = o ":"
				e = substr(e, 2)
			}
		}
		return o e
	}
	# The values of client c (row c + 1 of the init file) into var.
	function client(c,   j) {
		var["client_id"] = c
		var["k"] = 0
		for (j = 1; j <= ncol; j++)
			var[col[j]] = row[c + 1, j]
	}
	BEGIN {
		nrow = -1
		while ((getline l < init) > 0) {
			nf = split(l, f, "\t")
			if (nrow < 0)
				for (j = 1; j <= nf; j++) col[++ncol] = f[j]
			else
				for (j = 1; j <= nf; j++) row[nrow + 1, j] = f[j]
			nrow++
		}
		if (nrow < 1) nrow = 1
		client(0)
		var["init"] = 1
	}
	/^\\if / { skip = 1; next }
	/^\\endif/ { skip = 0; next }
	skip || /^--/ || /^[ \t]*$/ { next }
	/^\\set / {
		ns++
		split($0, w, " ")
		setv[ns] = w[2]
		e = $0
		sub(/^\\set +[^ ]+ +/, "", e)
		gsub(/[ \t]/, "", e)
		sete[ns] = e
		next
	}
	# SELECT e AS name, ... \gset at each request: values SQL computes
	# (POST /join: the session of a new person each time, a hash).  Each
	# name stands for its expression, :variables filled in per request,
	# as a parameter of the statements after it (EXECUTE takes one).
	/\\gset[ \t]*$/ {
		l = $0
		sub(/^[ \t]*SELECT[ \t]+/, "", l)
		sub(/[ \t]*\\gset[ \t]*$/, "", l)
		d = 0
		q = 0
		item = ""
		for (c = 1; c <= length(l) + 1; c++) {
			ch = c <= length(l) ? substr(l, c, 1) : ","
			if (ch == "\047") q = !q
			else if (!q && ch == "(") d++
			else if (!q && ch == ")") d--
			if (ch == "," && !q && d == 0) {
				if (!match(item, / AS [A-Za-z_][A-Za-z0-9_]*$/)) {
					print "cannot read: " $0 > "/dev/stderr"
					exit 1
				}
				ng++
				gname[ng] = substr(item, RSTART + 4)
				gexpr[ng] = substr(item, 1, RSTART - 1)
				sub(/^[ \t]+/, "", gexpr[ng])
				item = ""
			} else
				item = item ch
		}
		next
	}
	/^\\/ { print "unknown command: " $0 > "/dev/stderr"; exit 1 }
	{
		# :name is a parameter, :: a cast (pgbench.awk has put colons
		# inside literals out of reach).
		sql = $0
		sub(/;[ \t]*$/, "", sql)
		out = ""
		np = 0
		delete seen
		while ((i = index(sql, ":")) > 0) {
			out = out substr(sql, 1, i - 1)
			sql = substr(sql, i)
			if (substr(sql, 2, 1) == ":") {
				out = out "::"
				sql = substr(sql, 3)
			} else if (match(sql, /^:[A-Za-z_][A-Za-z0-9_]*/)) {
				m = substr(sql, 2, RLENGTH - 1)
				if (!(m in seen)) {
					seen[m] = ++np
					pname[NST + 1, np] = m
				}
				out = out "$" seen[m]
				sql = substr(sql, RLENGTH + 1)
			} else {
				out = out ":"
				sql = substr(sql, 2)
			}
		}
		NST++
		stmt[NST] = out sql
		nparam[NST] = np
		prep[NST] = (stmt[NST] ~ /^[ \t(]*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)[ \t(]/)
	}
	END {
		if (NST == 0) exit 1
		# Policies off: the same role, bypassing them (count).
		if (bypass)
			printf "ALTER ROLE %s BYPASSRLS;\n\n", role
		printf "SET SESSION AUTHORIZATION %s;\n\n", role
		for (s = 1; s <= NST; s++)
			if (prep[s])
				printf "PREPARE s%d AS %s;\n\n", s, stmt[s]
		for (r = k0; r < k0 + n; r++) {
			if (ns > 0) {
				if (r >= nrow) { print "no client " r > "/dev/stderr"; exit 1 }
				client(r)
			}
			for (j = 1; j <= ns; j++) {
				E = sete[j]
				P = 1
				var[setv[j]] = expr()
			}
			for (j = 1; j <= ng; j++)
				var[gname[j]] = "\002(" subst(gexpr[j]) ")"
			for (s = 1; s <= NST; s++) {
				if (!prep[s]) {
					printf "%s;\n\n", stmt[s]
					continue
				}
				a = ""
				for (j = 1; j <= nparam[s]; j++) {
					m = pname[s, j]
					if (!(m in var)) {
						print "unset :" m > "/dev/stderr"
						exit 1
					}
					a = a (j > 1 ? ", " : "") quote(var[m])
				}
				printf "EXECUTE s%d%s;\n\n", s, (a == "" ? "" : "(" a ")")
			}
		}
	}' "$CAP/$1.pgbench"
}

# count PAGE N K0 [off]: instructions of a single-user backend running N
# requests of PAGE, the first numbered K0, or nothing.  With off, the
# role bypasses row-level security for that process (ALTER ROLE ...
# BYPASSRLS before it, NOBYPASSRLS after, whatever became of it): the
# same statements, role and privilege checks without the policies.
count() {
	f=$OUTDIR/$1.$2${4:+.$4}
	single_input "$1" "$3" "$2" "${4:-}" >"$f.sql" ||
	    { say "$1: its script could not be read"; return 0; }
	rc=0
	as_pg valgrind --tool=callgrind --callgrind-out-file="$f.callgrind" \
	    "$PGBIN/postgres" --single -j -D "$PGDATA" \
	    -c search_path= -c plan_cache_mode=force_generic_plan parta \
	    <"$f.sql" >"$f.out" 2>&1 || rc=$?
	[ -n "${4:-}" ] && policies_on
	[ "$rc" -eq 0 ] || { say "$1: failed, see $f.out"; return 0; }
	if grep -q 'ERROR:' "$f.out"; then
		say "$1: an error, see $f.out"
		return 0
	fi
	sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f.callgrind" | head -n 1
}

# policies_on: the role under row-level security again (count ... off).
policies_on() {
	printf 'ALTER ROLE %s NOBYPASSRLS;\n\n' "$ROLE" |
	    as_pg "$PGBIN/postgres" --single -j -D "$PGDATA" parta \
	    >"$OUTDIR/policies_on.out" 2>&1 ||
	    die "could not put $ROLE under row-level security again: see" \
	    "$OUTDIR/policies_on.out"
}

# per LOW_TOTAL HIGH_TOTAL: instructions of one request, or nothing.
per() {
	awk -v a="$1" -v b="$2" -v n=$((HIGH - LOW)) 'BEGIN {
	    if (a == "" || b == "") print ""; else printf "%.0f\n", (b - a) / n }'
}

say "as $ROLE, single-user backend under callgrind, $LOW and $HIGH" \
    "requests a page${OFF:+, with row-level security and without}"
: >"$OUTDIR/instructions.tsv"
for p in $PAGES; do
	title=$(awk -F"$TAB" -v p="$p" '$1 == p { print $2 }' "$CAP/capture.tsv")
	# Later requests take new numbers (a new person for POST /join).
	lo=$(count "$p" "$LOW" 0)
	hi=$(count "$p" "$HIGH" "$LOW")
	on=$(per "$lo" "$hi")
	off= lo_off= hi_off=
	if [ -n "$OFF" ]; then
		lo_off=$(count "$p" "$LOW" $((LOW + HIGH)) off)
		hi_off=$(count "$p" "$HIGH" $((2 * LOW + HIGH)) off)
		off=$(per "$lo_off" "$hi_off")
	fi
	say "$p: ${on:-failed}${OFF:+ (without the policies: ${off:-failed})}"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "$title" "$on" "$lo" \
	    "$hi" "$off" "$lo_off" "$hi_off" >>"$OUTDIR/instructions.tsv"
done

{
	echo "Instructions per request of each page's SQL, thousands" \
	    "($(git -C "$DIR" rev-parse --short HEAD 2>/dev/null || echo '?')," \
	    "as $ROLE; bench/instructions.sh)${OFF:+: as the programs run it,}"
	[ -n "$OFF" ] && echo "and with the role bypassing row-level security" \
	    "(the policies' own cost: with ÷ without, goal ≤ $LIMIT):"
	echo
	if [ -n "$OFF" ]; then
		echo "| page | with the policies (k) | without (k) | with ÷ without | ≤ $LIMIT |"
		echo "|---|--:|--:|--:|:-:|"
	else
		echo "| page | instructions (k) |"
		echo "|---|--:|"
	fi
	awk -F"$TAB" -v off="$OFF" -v limit="$LIMIT" '
	function k(v) { return v == "" ? "failed" : sprintf("%.0f", v / 1000) }
	{
		if (!off) { printf "| %s | %s |\n", $2, k($3); next }
		r = ($3 == "" || $6 == "" || $6 == 0) ? "" : $3 / $6
		printf "| %s | %s | %s | %s | %s |\n", $2, k($3), k($6),
		    r == "" ? "—" : sprintf("%.2f", r),
		    r == "" ? "—" : (r <= limit + 0 ? "yes" : "no")
	}' "$OUTDIR/instructions.tsv"
} >"$OUTDIR/instructions.md"
cat "$OUTDIR/instructions.md"
