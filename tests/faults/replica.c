/*
 * A streaming replica under the programs (lib/db.h), against a stack of
 * its own started with PARTA_REPLICA=1 (tests/deploy/test_replica.sh
 * starts it and says how to stop, start and promote the replica, in
 * REPLICA_*):
 *  - a GET is answered by the replica: with its replay paused
 *    (pg_wal_replay_pause), a change made on the primary alone does not
 *    show, and the programs' connections are there (application_name);
 *  - a person who just changed something reads their change (POST, then
 *    GET, while replay is paused), and the others still read the
 *    replica;
 *  - a GET whose session is due to slide writes that on the primary;
 *  - the replica stopped: the next pages answer 200 from the primary,
 *    each within a second, none 5xx;
 *  - the replica started again: pages read from it again;
 *  - promoted (pg_ctl promote), it takes writes.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

/* The replica, as its superuser (REPLICA_DB). */
static PGconn	*rep;

static const char *
rep_sql(const char *sql)
{
	static char	 out[256];
	PGresult	*res;
	const char	*db = getenv("REPLICA_DB");

	/* A connection the replica's restart ended: made again. */
	if (rep != NULL && PQstatus(rep) == CONNECTION_OK) {
		res = PQexec(rep, "");
		PQclear(res);
	}
	if (rep != NULL && PQstatus(rep) != CONNECTION_OK) {
		PQfinish(rep);
		rep = NULL;
	}
	if (rep == NULL && db != NULL) {
		rep = PQconnectdb(db);
		if (PQstatus(rep) != CONNECTION_OK) {
			fprintf(stderr, "replica: %s", PQerrorMessage(rep));
			PQfinish(rep);
			rep = NULL;
		}
	}
	if (rep == NULL)
		return NULL;
	res = PQexec(rep, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "replica: %s: %s", sql, PQerrorMessage(rep));
		PQclear(res);
		return NULL;
	}
	snprintf(out, sizeof(out), "%s", PQntuples(res) > 0 ?
	    PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return out;
}

static void
resume(void)
{
	(void)rep_sql("SELECT pg_wal_replay_resume()");
}

/* Wait (up to 20 s) until the replica, replaying again if a failed
 * check left it paused, has replayed everything the primary has written
 * so far: 1, or 0. */
static int
caught_up(void)
{
	char		 lsn[64], q[160];
	const char	*v;
	int		 i;

	resume();
	if ((v = t_sql("SELECT pg_current_wal_lsn()")) == NULL)
		return 0;
	snprintf(lsn, sizeof(lsn), "%s", v);
	snprintf(q, sizeof(q), "SELECT pg_last_wal_replay_lsn() >= '%s'",
	    lsn);
	for (i = 0; i < 200; i++) {
		if ((v = rep_sql(q)) != NULL && strcmp(v, "t") == 0)
			return 1;
		usleep(100000);
	}
	return 0;
}

/* Pause the replica's replay once it has caught up: 1, or 0. */
static int
paused(void)
{
	const char	*v;
	int		 i;

	if (!caught_up() || rep_sql("SELECT pg_wal_replay_pause()") == NULL)
		return 0;
	for (i = 0; i < 100; i++) {
		v = rep_sql("SELECT pg_get_wal_replay_pause_state()");
		if (v != NULL && strcmp(v, "paused") == 0)
			return 1;
		usleep(50000);
	}
	return 0;
}

static int
run(const char *env)
{
	const char	*cmd = getenv(env);

	return cmd != NULL && system(cmd) == 0;
}

static void
set_last_name(const struct t_person *p, const char *name)
{
	T_TRUE(t_sql("UPDATE parta.account SET last_name = '%s'"
	    " WHERE id = %lld", name, t_account_id(p)) != NULL);
}

/* Two people, signed up through the pages (whose own GETs after each
 * POST read their writes, replica or not). */
static struct t_person	 anna, boris;

static void
reads_from_replica(void)
{
	T_EQ(t_signup(&anna, "Первая", "Анна"), 0);
	T_EQ(t_signup(&boris, "Второй", "Борис"), 0);
	T_TRUE(paused());
	/* Changed on the primary only: the replica has the old name. */
	set_last_name(&anna, "Перваяновая");
	T_EQ(t_get(&anna.c, "/me"), 200);
	T_HAS(&anna.c, "Первая Анна");
	T_LACKS(&anna.c, "Перваяновая");
	/* The programs' own connections, named so. */
	T_TRUE(atoi(rep_sql("SELECT count(*) FROM pg_stat_activity"
	    " WHERE application_name = 'parta-read'")) > 0);
	resume();
}

static void
reads_own_writes(void)
{
	T_TRUE(paused());
	set_last_name(&boris, "Второйновый");
	/* Anna changes her name while the replica stands still: her next
	 * pages show it (the primary's), and she was told where her
	 * change is. */
	t_form(&anna.c, "/me/profile");
	T_EQ(t_postf(&anna.c, "/me/profile", "last_name=%s&first_name=%s"
	    "&patronymic=&gender=f", t_enc("Своя"), t_enc("Анна")), 303);
	T_TRUE(t_cookie(&anna.c, "lsn") != NULL);
	T_EQ(t_get(&anna.c, "/me/profile?saved=1"), 200);
	T_HAS(&anna.c, "value=\"Своя\"");
	T_EQ(t_get(&anna.c, "/me"), 200);
	T_HAS(&anna.c, "Своя Анна");
	/* Boris changed nothing: he still reads the replica. */
	T_EQ(t_get(&boris.c, "/me"), 200);
	T_HAS(&boris.c, "Второй Борис");
	T_LACKS(&boris.c, "Второйновый");
	resume();
	T_TRUE(caught_up());
	T_EQ(t_get(&boris.c, "/me"), 200);
	T_HAS(&boris.c, "Второйновый Борис");
}

/* A session last seen two hours ago slides on a GET: written on the
 * primary, although the page reads the replica. */
static void
session_slides(void)
{
	const char	*q = "SELECT count(*) FROM parta.session WHERE"
	    " account_id = %lld AND last_seen > now() - interval '1 minute'";

	T_TRUE(t_sql("UPDATE parta.session SET last_seen = now() -"
	    " interval '2 hours' WHERE account_id = %lld",
	    t_account_id(&boris)) != NULL);
	T_TRUE(caught_up());
	T_EQ(t_ll(t_sql(q, t_account_id(&boris))), 0);
	T_EQ(t_get(&boris.c, "/me"), 200);
	T_HAS(&boris.c, "Второйновый Борис");
	T_EQ(t_ll(t_sql(q, t_account_id(&boris))), 1);
}

static void
replica_stopped(void)
{
	static const char *const pages[] = { "/me", "/me/profile", "/",
	    "/me/sessions", "/privacy" };
	double		 t0, worst = 0;
	long		 code;
	int		 i, bad = 0;

	T_TRUE(paused());
	set_last_name(&boris, "Третий");
	T_TRUE(run("REPLICA_STOP"));
	/* Every worker finds the replica gone on its next request. */
	for (i = 0; i < 30; i++) {
		t0 = t_now();
		code = t_get(&boris.c, pages[i % 5]);
		if (t_now() - t0 > worst)
			worst = t_now() - t0;
		if (code != 200) {
			printf("# %s: %ld\n", pages[i % 5], code);
			bad++;
		}
		if (i == 0) {
			/* The primary's row. */
			T_HAS(&boris.c, "Третий Борис");
		}
	}
	printf("# slowest page with the replica down: %.3f s\n", worst);
	T_EQ(bad, 0);
	T_TRUE(worst < 1.0);
}

static void
replica_back(void)
{
	double	 t0;
	int	 seen = 0;

	T_TRUE(run("REPLICA_START"));
	T_TRUE(paused());
	set_last_name(&boris, "Четвёртый");
	/* Back within the backoff (at most 8 s), without a 5xx. */
	t0 = t_now();
	while (t_now() - t0 < 20 && !seen) {
		T_EQ(t_get(&boris.c, "/me"), 200);
		seen = t_has(&boris.c, "Третий Борис");
		if (!seen)
			usleep(200000);
	}
	printf("# the replica read again after %.1f s\n", t_now() - t0);
	T_TRUE(seen);
	resume();
}

static void
replica_promoted(void)
{
	T_TRUE(caught_up());
	T_TRUE(run("REPLICA_PROMOTE"));
	T_STREQ(rep_sql("SELECT pg_is_in_recovery()"), "f");
	T_TRUE(rep_sql("CREATE TEMP TABLE promoted (n int)") != NULL);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "a GET is answered by the replica", reads_from_replica },
		{ "a person reads their own change, the others the replica",
		    reads_own_writes },
		{ "a session due to slide slides on the primary on a GET",
		    session_slides },
		{ "the replica stopped: pages 200 from the primary within"
		    " a second", replica_stopped },
		{ "the replica started again: read from again",
		    replica_back },
		{ "the replica promoted takes writes", replica_promoted },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
