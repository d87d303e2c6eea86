# A page's pgbench script (bench/pgbench.awk's) as psql input that runs
# the request's statements under EXPLAIN (ANALYZE, BUFFERS), as the
# programs run them: each prepared once (PREPARE, then EXECUTE with the
# values as text, as libpq sends them; the caller sets the programs'
# role and session options: generic plans).  The request runs twice,
# each time in a transaction rolled back (so a POST changes nothing and
# can run again; the script's own BEGIN and COMMIT are left out); the
# second run is the one to count, with the plans cached and the
# connection warm.  Before each statement a line "@@ N", before each run
# "@@@ run R": bench/buffers.awk reads psql's output by them.
#
#   awk -f bench/explain.awk out/PAGE.pgbench | psql -At ...
#
# pgbench's per-client and per-transaction values become psql variables
# (client 0, transaction 0): the \gset SELECT runs as it is, a \set
# becomes SELECT expression \gset.  As in bench/instructions.sh,
# bench/pgbench.awk has put every colon of a literal out of reach, so
# ":name" is a parameter and "::" a cast.

/^--/ || /^[ \t]*$/ { next }
/^\\if / { inif = 1; next }
/^\\endif/ { inif = 0; next }
inif && /^\\set / { next }
inif { init = init $0 "\n"; next }
/^\\set / {
	split($0, w, " ")
	e = $0
	sub(/^\\set +[^ ]+ +/, "", e)
	sets = sets "SELECT " e " AS " w[2] " \\gset\n"
	next
}
# A request's own values from its number (POST /join: its joiner's
# session and link), after the \set lines they read.
/\\gset[ \t]*$/ { sets = sets $0 "\n"; next }
/^\\/ { print "explain.awk: unknown command: " $0 > "/dev/stderr"; exit 1 }
/^[ \t]*(BEGIN|COMMIT|ROLLBACK|END)[ \t]*;?[ \t]*$/ { next }
{
	sql = $0
	sub(/;[ \t]*$/, "", sql)
	out = ""
	np = 0
	args = ""
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
				args = args (np > 1 ? ", " : "") ":'" m "'"
			}
			out = out "$" seen[m]
			sql = substr(sql, RLENGTH + 1)
		} else {
			out = out ":"
			sql = substr(sql, 2)
		}
	}
	N++
	stmt[N] = out sql
	arg[N] = args
	prep[N] = (stmt[N] ~ /^[ \t(]*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES)[ \t(]/)
}
END {
	if (N == 0)
		exit 1
	print "\\set client_id 0"
	print "\\set k 0"
	print "\\set init 0"
	printf "%s", init
	for (s = 1; s <= N; s++)
		if (prep[s])
			printf "PREPARE s%d AS %s;\n", s, stmt[s]
	for (r = 1; r <= 2; r++) {
		print "\\echo @@@ run " r
		print "BEGIN;"
		printf "%s", sets
		for (s = 1; s <= N; s++) {
			print "\\echo @@ " s
			# A request's reads run read-only (lib/db), its
			# writes in a later round trip (POST /join); here
			# they share one transaction: the setting undone.
			ro = (stmt[s] ~ /set_config\('transaction_read_only'/)
			if (ro)
				print "SAVEPOINT ro;"
			if (prep[s])
				printf "EXPLAIN (ANALYZE, BUFFERS) EXECUTE s%d%s;\n",
				    s, arg[s] == "" ? "" : "(" arg[s] ")"
			else
				printf "%s;\n", stmt[s]
			if (ro)
				print "ROLLBACK TO SAVEPOINT ro;"
		}
		print "ROLLBACK;"
	}
}
