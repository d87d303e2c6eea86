/*
 * Unit tests for lib/db.c against the real PostgreSQL of the local stack
 * (PARTA_DB, exported by tests/run.sh; without it every case fails).
 * Only TEMP tables are used, so nothing outlives the connection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "unit.h"

/* Quotes, semicolons, comments, backslashes, a "$1" and Cyrillic: any
 * splicing into the SQL would break the statement or change the data. */
#define NASTY	"Robert'); DROP TABLE pg_temp.t_db; --\" \\' $1 ;; 'Ёж'"

static const struct db_stmt q_exists = {
	"test_exists",
	"SELECT pg_catalog.to_regclass('pg_temp.t_db') IS NOT NULL AS e"
};

static const struct db_stmt q_create = {
	"test_create",
	"CREATE TEMP TABLE t_db (k text PRIMARY KEY, v text)"
};

static const struct db_stmt q_clear = {
	"test_clear",
	"DELETE FROM pg_temp.t_db"
};

static const struct db_stmt q_insert = {
	"test_insert",
	"INSERT INTO pg_temp.t_db (k, v) VALUES ($1, $2)"
};

static const struct db_stmt q_get = {
	"test_get",
	"SELECT k, v FROM pg_temp.t_db WHERE k = $1"
};

static const struct db_stmt q_count = {
	"test_count",
	"SELECT count(*) AS n FROM pg_temp.t_db"
};

static const struct db_stmt q_echo = {
	"test_echo",
	"SELECT $1::text AS s, $2::bigint AS n, $3::text AS z,"
	" $4::boolean AS t, $5::boolean AS f, length($1) AS len"
};

static const struct db_stmt q_values = {
	"test_values",
	"SELECT 42::bigint AS n, -7 AS neg, 9223372036854775807 AS big,"
	" NULL::text AS z, NULL::boolean AS zb, true AS t, false AS f,"
	" '' AS empty, 'x' AS s"
};

static const struct db_stmt q_ab = {
	"test_ab",
	"SELECT 1 AS a, 2 AS b"
};

static const struct db_stmt q_ba = {
	"test_ba",
	"SELECT 3 AS b, 4 AS a, 5 AS \"B\", 6 AS b"
};

static const struct db_stmt q_settings = {
	"test_settings",
	"SELECT current_setting('search_path') AS search_path,"
	" current_setting('application_name') AS app"
};

static const struct db_stmt q_div0 = {
	"test_div0",
	"SELECT 1 / $1::int AS x"
};

static const struct db_stmt q_pid = {
	"test_pid",
	"SELECT pg_backend_pid() AS pid"
};

static const struct db_stmt q_suicide = {
	"test_suicide",
	"SELECT pg_terminate_backend(pg_backend_pid())"
};

/* Refuse writes on this connection, as a hot standby does (SQLSTATE
 * 25006). */
static const struct db_stmt q_read_only = {
	"test_read_only",
	"SELECT set_config('default_transaction_read_only', 'on', false) AS s"
};

/* A statement that writes (a row lock), changing nothing. */
static const struct db_stmt q_lock = {
	"test_lock",
	"SELECT count(*) AS n FROM"
	" (SELECT 1 FROM parta.region LIMIT 1 FOR UPDATE) r"
};

static int
group_setup(void **state)
{
	(void)state;
	/* A missing PARTA_DB is reported by every case's setup. */
	if (getenv("PARTA_DB") == NULL || *getenv("PARTA_DB") == '\0')
		return 0;
	return config_load();
}

static int
group_teardown(void **state)
{
	(void)state;
	db_rollback();
	db_close();
	return 0;
}

static long long
count_rows(void)
{
	PGresult	*res;
	long long	 n;

	res = db_exec(&q_count, PGRES_TUPLES_OK);
	assert_non_null(res);
	n = db_getll(res, 0, "n");
	return n;
}

static long long
backend_pid(void)
{
	PGresult	*res;
	long long	 pid;

	res = db_exec(&q_pid, PGRES_TUPLES_OK);
	assert_non_null(res);
	pid = db_getll(res, 0, "pid");
	assert_true(pid > 0);
	return pid;
}

static void
insert(const char *k, const char *v)
{
	PGresult	*res;

	res = db_exec(&q_insert, PGRES_COMMAND_OK, k, v);
	assert_non_null(res);
	assert_string_equal(PQcmdTuples(res), "1");
}

/* Each case: PARTA_DB set, no transaction open, an empty t_db. */
static int
setup(void **state)
{
	PGresult	*res;
	int		 exists;

	(void)state;
	if (unit_db_env() == -1)
		return -1;
	db_rollback();
	/* The table lives as long as the connection. */
	if ((res = db_exec(&q_exists, PGRES_TUPLES_OK)) == NULL)
		return -1;
	exists = db_getbool(res, 0, "e");
	if (!exists) {
		if ((res = db_exec(&q_create, PGRES_COMMAND_OK)) == NULL)
			return -1;
	}
	if ((res = db_exec(&q_clear, PGRES_COMMAND_OK)) == NULL)
		return -1;
	return 0;
}

static void
test_connect(void **state)
{
	PGresult	*res;
	const char	*env = getenv("PARTA_DB");

	(void)state;
	if (env == NULL)
		fail_msg("PARTA_DB is not set");
	assert_string_equal(config->db, env);
	assert_int_equal(db_connect(), 0);
	assert_int_equal(db_failed(), 0);
	assert_int_equal(db_in_transaction(), 0);
	/* Every name in SQL is schema-qualified: the path is empty. */
	res = db_exec(&q_settings, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_string_equal(db_get(res, 0, "search_path"), "");
	assert_string_equal(db_get(res, 0, "app"), "parta");
}

static void
test_params(void **state)
{
	PGresult	*res;

	(void)state;
	res = db_exec(&q_echo, PGRES_TUPLES_OK, NASTY,
	    "-9007199254740993", NULL, "true", "f");
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "s"), NASTY);
	assert_int_equal(db_getll(res, 0, "len"),
	    strlen(NASTY) - 2);	/* "Ё" and "ж" are two bytes each */
	assert_int_equal(db_isnull(res, 0, "s"), 0);
	assert_true(db_getll(res, 0, "n") == -9007199254740993LL);
	assert_int_equal(db_isnull(res, 0, "z"), 1);
	assert_string_equal(db_get(res, 0, "z"), "");
	assert_int_equal(db_getbool(res, 0, "t"), 1);
	assert_int_equal(db_getbool(res, 0, "f"), 0);
	assert_string_equal(db_sqlstate(), "");

	/* The same statement again (already prepared), other values. */
	res = db_exec(&q_echo, PGRES_TUPLES_OK, "", "0", "z", "no", "yes");
	assert_non_null(res);
	assert_string_equal(db_get(res, 0, "s"), "");
	assert_int_equal(db_isnull(res, 0, "s"), 0);
	assert_int_equal(db_getll(res, 0, "n"), 0);
	assert_string_equal(db_get(res, 0, "z"), "z");
	assert_int_equal(db_getbool(res, 0, "t"), 0);
	assert_int_equal(db_getbool(res, 0, "f"), 1);
}

/*
 * Columns by name (lib/db keeps the numbers it found per result): two
 * results of other orders at once, then results made again and again at
 * what may be the addresses of released ones; the name as PQfnumber
 * takes it (folded, the first of two).
 */
static void
test_column_numbers(void **state)
{
	PGresult	*ab, *ba;
	int		 i;

	(void)state;
	assert_non_null(ab = db_exec(&q_ab, PGRES_TUPLES_OK));
	assert_string_equal(db_get(ab, 0, "b"), "2");
	assert_non_null(ba = db_exec(&q_ba, PGRES_TUPLES_OK));
	assert_string_equal(db_get(ba, 0, "b"), "3");
	assert_string_equal(db_get(ab, 0, "b"), "2");
	assert_string_equal(db_get(ba, 0, "a"), "4");
	assert_string_equal(db_get(ab, 0, "a"), "1");
	assert_string_equal(db_get(ba, 0, "B"), "3");
	assert_string_equal(db_get(ba, 0, "B"), "3");
	assert_string_equal(db_get(ba, 0, "\"B\""), "5");
	for (i = 0; i < 40; i++) {
		db_release();
		if (i % 2 == 0) {
			assert_non_null(ab = db_exec(&q_ab, PGRES_TUPLES_OK));
			assert_string_equal(db_get(ab, 0, "b"), "2");
			assert_int_equal(db_getll(ab, 0, "a"), 1);
		} else {
			assert_non_null(ba = db_exec(&q_ba, PGRES_TUPLES_OK));
			assert_string_equal(db_get(ba, 0, "b"), "3");
			assert_int_equal(db_getll(ba, 0, "a"), 4);
		}
	}
}

/* Stored and found by value: the table survives, one row, same bytes. */
static void
test_no_splicing(void **state)
{
	const char *const	 params[2] = { "k' OR '1'='1", NASTY };
	PGresult		*res;

	(void)state;
	insert(NASTY, NASTY);
	insert("plain", "value");
	res = db_execv(&q_insert, PGRES_COMMAND_OK, 2, params);
	assert_non_null(res);
	assert_int_equal(count_rows(), 3);

	res = db_exec(&q_get, PGRES_TUPLES_OK, NASTY);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "k"), NASTY);
	assert_string_equal(db_get(res, 0, "v"), NASTY);

	/* An injection attempt as a key matches only itself. */
	res = db_exec(&q_get, PGRES_TUPLES_OK, "k' OR '1'='1");
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "v"), NASTY);
	res = db_exec(&q_get, PGRES_TUPLES_OK, "' OR ''='");
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 0);
}

static void
test_wrong_status(void **state)
{
	PGresult	*res;

	(void)state;
	/* A query's result is TUPLES_OK, not COMMAND_OK. */
	res = db_exec(&q_pid, PGRES_COMMAND_OK);
	assert_null(res);
	assert_int_equal(db_failed(), 0);
	assert_string_equal(db_sqlstate(), "");
	res = db_exec(&q_count, PGRES_COMMAND_OK);
	assert_null(res);
	/* The connection is fine afterwards. */
	assert_int_equal(count_rows(), 0);
	assert_int_equal(db_failed(), 0);
}

static void
test_sql_error(void **state)
{
	PGresult	*res;

	(void)state;
	res = db_exec(&q_div0, PGRES_TUPLES_OK, "0");
	assert_null(res);
	assert_string_equal(db_sqlstate(), "22012");
	assert_int_equal(db_failed(), 0);
	res = db_exec(&q_div0, PGRES_TUPLES_OK, "not a number");
	assert_null(res);
	assert_string_equal(db_sqlstate(), "22P02");
	res = db_exec(&q_div0, PGRES_TUPLES_OK, "2");
	assert_non_null(res);
	assert_string_equal(db_sqlstate(), "");
	assert_int_equal(db_getll(res, 0, "x"), 0);
}

static void
test_param_count(void **state)
{
	const char	*many[DB_MAX_PARAMS + 1] = { NULL };

	(void)state;
	assert_null(db_execv(&q_pid, PGRES_TUPLES_OK, -1, many));
	assert_null(db_execv(&q_pid, PGRES_TUPLES_OK, DB_MAX_PARAMS + 1,
	    many));
	/* Fewer parameters than the statement needs: a server error. */
	assert_null(db_exec(&q_get, PGRES_TUPLES_OK));
	assert_int_equal(db_failed(), 0);
	assert_string_equal(db_sqlstate(), "08P01");
	assert_int_equal(count_rows(), 0);
}

static void
test_unique_violation(void **state)
{
	PGresult	*res;

	(void)state;
	insert("dup", "first");
	res = db_exec(&q_insert, PGRES_COMMAND_OK, "dup", "second");
	assert_null(res);
	assert_string_equal(db_sqlstate(), "23505");
	assert_string_equal(db_sqlstate(), DB_UNIQUE_VIOLATION);
	assert_int_equal(db_failed(), 0);
	/* The first row is untouched; the next statement clears the state. */
	res = db_exec(&q_get, PGRES_TUPLES_OK, "dup");
	assert_non_null(res);
	assert_string_equal(db_sqlstate(), "");
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "v"), "first");
	assert_int_equal(count_rows(), 1);
}

static void
test_rollback(void **state)
{
	(void)state;
	assert_int_equal(db_in_transaction(), 0);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(db_in_transaction(), 1);
	insert("a", "1");
	insert("b", "2");
	assert_int_equal(count_rows(), 2);
	db_rollback();
	assert_int_equal(db_in_transaction(), 0);
	assert_int_equal(count_rows(), 0);
	/* Rolling back with nothing open is harmless. */
	db_rollback();
	assert_int_equal(db_in_transaction(), 0);
	assert_int_equal(count_rows(), 0);
}

static void
test_commit(void **state)
{
	PGresult	*res;

	(void)state;
	assert_int_equal(db_begin(), 0);
	insert("kept", "yes");
	assert_int_equal(db_commit(), 0);
	assert_int_equal(db_in_transaction(), 0);
	/* A rollback after the commit takes nothing back. */
	db_rollback();
	assert_int_equal(count_rows(), 1);
	res = db_exec(&q_get, PGRES_TUPLES_OK, "kept");
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "v"), "yes");
}

/* A failed statement aborts the transaction; rollback recovers. */
static void
test_error_in_transaction(void **state)
{
	PGresult	*res;

	(void)state;
	insert("before", "1");
	assert_int_equal(db_begin(), 0);
	insert("inside", "2");
	assert_null(db_exec(&q_insert, PGRES_COMMAND_OK, "before", "x"));
	assert_string_equal(db_sqlstate(), DB_UNIQUE_VIOLATION);
	assert_int_equal(db_in_transaction(), 1);
	res = db_exec(&q_count, PGRES_TUPLES_OK);
	assert_null(res);
	assert_string_equal(db_sqlstate(), "25P02");
	db_rollback();
	assert_int_equal(db_in_transaction(), 0);
	assert_int_equal(count_rows(), 1);
	assert_int_equal(db_begin(), 0);
	insert("inside", "3");
	assert_int_equal(db_commit(), 0);
	assert_int_equal(count_rows(), 2);
}

static void
test_getters(void **state)
{
	PGresult	*res;

	(void)state;
	res = db_exec(&q_values, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_int_equal(db_getll(res, 0, "n"), 42);
	assert_true(db_getll(res, 0, "neg") == -7);
	assert_true(db_getll(res, 0, "big") == 9223372036854775807LL);
	assert_int_equal(db_isnull(res, 0, "n"), 0);
	assert_int_equal(db_isnull(res, 0, "z"), 1);
	assert_string_equal(db_get(res, 0, "z"), "");
	assert_int_equal(db_getll(res, 0, "z"), 0);
	assert_int_equal(db_isnull(res, 0, "zb"), 1);
	assert_int_equal(db_getbool(res, 0, "zb"), 0);
	assert_int_equal(db_getbool(res, 0, "t"), 1);
	assert_int_equal(db_getbool(res, 0, "f"), 0);
	/* "" is a value, not NULL. */
	assert_int_equal(db_isnull(res, 0, "empty"), 0);
	assert_string_equal(db_get(res, 0, "empty"), "");
	assert_string_equal(db_get(res, 0, "s"), "x");
	assert_int_equal(db_getbool(res, 0, "s"), 0);
}

/* After db_close the next db_begin connects again. */
static void
test_reconnect_after_close(void **state)
{
	long long	 pid1, pid2;

	(void)state;
	pid1 = backend_pid();
	db_close();
	assert_int_equal(db_in_transaction(), 0);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(db_in_transaction(), 1);
	pid2 = backend_pid();
	assert_true(pid1 != pid2);
	db_rollback();
}

/* The server ends the connection during a statement: that statement
 * fails as a lost connection (503), the next transaction works. */
static void
test_reconnect_after_terminate(void **state)
{
	long long	 pid1, pid2;

	(void)state;
	pid1 = backend_pid();
	assert_null(db_exec(&q_suicide, PGRES_TUPLES_OK));
	assert_int_equal(db_failed(), 1);
	assert_int_equal(db_in_transaction(), 0);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(db_failed(), 0);
	pid2 = backend_pid();
	assert_true(pid1 != pid2);
	assert_int_equal(db_commit(), 0);
}

/* End backend pid from a second connection and wait until it is gone,
 * as when the server restarts while this process is idle. */
static void
terminate_from_outside(long long pid)
{
	PGconn		*c;
	PGresult	*res;
	char		 spid[32];
	const char	*params[1] = { spid };
	int		 i, gone = 0;

	snprintf(spid, sizeof(spid), "%lld", pid);
	c = PQconnectdb(getenv("PARTA_DB"));
	assert_non_null(c);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	res = PQexecParams(c, "SELECT pg_catalog.pg_terminate_backend($1::int)",
	    1, NULL, params, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_string_equal(PQgetvalue(res, 0, 0), "t");
	for (i = 0; i < 500 && !gone; i++) {
		res = PQexecParams(c, "SELECT count(*) FROM "
		    "pg_catalog.pg_stat_activity WHERE pid = $1::int",
		    1, NULL, params, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		gone = strcmp(PQgetvalue(res, 0, 0), "0") == 0;
		if (!gone)
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	PQfinish(c);
	assert_true(gone);
}

/* The connection died while idle: db_begin notices and retries once on
 * a fresh connection, so the request succeeds. */
static void
test_begin_after_idle_kill(void **state)
{
	long long	 pid1, pid2;

	(void)state;
	pid1 = backend_pid();
	terminate_from_outside(pid1);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(db_failed(), 0);
	assert_int_equal(db_in_transaction(), 1);
	pid2 = backend_pid();
	assert_true(pid1 != pid2);
	db_rollback();
}

/* Outside a transaction, a connection that the server closed while it
 * was idle (its goodbye is waiting on the socket) is replaced before use,
 * so the statement works on a fresh backend. */
static void
test_exec_after_idle_kill(void **state)
{
	long long	 pid1, pid2;

	(void)state;
	pid1 = backend_pid();
	terminate_from_outside(pid1);
	/* Let the server's goodbye reach our socket. */
	nanosleep(&(struct timespec){ 0, 200000000 }, NULL);
	pid2 = backend_pid();
	assert_int_equal(db_failed(), 0);
	assert_true(pid1 != pid2);
}

/* Read from conninfo (PARTA_DB_READ; NULL: unset), the configuration
 * loaded again. */
static void
read_from(const char *conninfo)
{
	if (conninfo != NULL)
		setenv("PARTA_DB_READ", conninfo, 1);
	else
		unsetenv("PARTA_DB_READ");
	assert_int_equal(config_load(), 0);
}

static void
read_done(void)
{
	read_from(NULL);
	db_request(0, NULL);
}

static double
secs(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A read-only request reads from PARTA_DB_READ (here the same server,
 * named parta-read); any other request from PARTA_DB, and what it
 * wrote is where its writer's next pages wait for the replica. */
static void
test_read_replica(void **state)
{
	PGresult	*res;

	(void)state;
	read_from(getenv("PARTA_DB"));
	db_request(1, NULL);
	assert_true(db_reading());
	assert_non_null(res = db_exec(&q_settings, PGRES_TUPLES_OK));
	assert_string_equal(db_get(res, 0, "app"), "parta-read");
	assert_null(db_written_lsn());
	db_request(0, NULL);
	assert_false(db_reading());
	assert_non_null(res = db_exec(&q_settings, PGRES_TUPLES_OK));
	assert_string_equal(db_get(res, 0, "app"), "parta");
	assert_non_null(db_written_lsn());
	read_done();
}

/* A statement that writes, refused by the replica, runs on the primary,
 * and goes there directly next time; so does a transaction. */
static void
test_read_writes_move(void **state)
{
	(void)state;
	read_from(getenv("PARTA_DB"));
	db_request(1, NULL);
	assert_true(db_reading());
	assert_non_null(db_exec(&q_read_only, PGRES_TUPLES_OK));
	assert_non_null(db_exec(&q_lock, PGRES_TUPLES_OK));
	assert_false(db_reading());
	assert_non_null(db_written_lsn());
	db_request(1, NULL);
	assert_true(db_reading());
	assert_non_null(db_exec(&q_lock, PGRES_TUPLES_OK));
	assert_false(db_reading());
	db_request(1, NULL);
	assert_true(db_reading());
	assert_int_equal(db_begin(), 0);
	assert_false(db_reading());
	db_rollback();
	/* The read-only setting goes with the connection. */
	db_close();
	read_done();
}

/* A person whose change the replica has not replayed reads the primary
 * (this "replica" replays nothing: it is not one). */
static void
test_read_own_change(void **state)
{
	(void)state;
	read_from(getenv("PARTA_DB"));
	db_request(1, "0/1");
	assert_false(db_reading());
	read_done();
}

/* A replica that accepts the connection and never answers costs a page
 * at most about half a second, and then nothing while it is left alone;
 * the page reads the primary. */
static void
test_read_silent_replica(void **state)
{
	struct sockaddr_in	 a;
	socklen_t		 len = sizeof(a);
	char			 ci[128];
	double			 t0;
	int			 fd;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	snprintf(ci, sizeof(ci), "host=127.0.0.1 port=%d dbname=parta"
	    " connect_timeout=10", ntohs(a.sin_port));
	read_from(ci);
	/* Past the wait an earlier case's failure set. */
	nanosleep(&(struct timespec){ 1, 100000000 }, NULL);
	t0 = secs();
	db_request(1, NULL);
	assert_true(secs() - t0 < 0.8);
	assert_false(db_reading());
	backend_pid();
	t0 = secs();
	db_request(1, NULL);
	assert_true(secs() - t0 < 0.05);
	assert_false(db_reading());
	close(fd);
	read_done();
}

/* Settings as a session's lookup makes them (lib/auth), for db_tenant_set. */
static const struct db_stmt q_tenant = {
	"test_tenant",
	"SELECT set_config('parta.account', $1, false) AS rls_account,"
	" set_config('parta.orgs', '{1}', false) AS rls_orgs,"
	" set_config('parta.chats', '{}', false) AS rls_chats,"
	" set_config('parta.operator', '', false) AS rls_operator"
};

static const struct db_stmt q_account = {
	"test_account",
	"SELECT current_setting('parta.account', true) AS a"
};

/* Statements sent together: one round trip, answers in order, the
 * parameters copied when sent (the caller's buffer may change), and a
 * statement prepared in the same write. */
static void
test_batch(void **state)
{
	struct db_query	*a, *b, *c, *d;
	PGresult	*res;
	char		 buf[16];
	int		 trips;

	(void)state;
	trips = db_round_trips();
	snprintf(buf, sizeof(buf), "k1");
	a = db_send(&q_insert, PGRES_COMMAND_OK, buf, "v1");
	snprintf(buf, sizeof(buf), "k2");
	b = db_send(&q_insert, PGRES_COMMAND_OK, buf, NASTY);
	c = db_send(&q_get, PGRES_TUPLES_OK, "k2");
	d = db_send(&q_echo, PGRES_TUPLES_OK, "x", "7", NULL, "t", "f");
	assert_int_equal(db_round_trips(), trips);
	assert_non_null(res = db_result(c));
	assert_int_equal(db_round_trips(), trips + 1);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "v"), NASTY);
	assert_non_null(db_result(a));
	assert_non_null(db_result(b));
	assert_non_null(res = db_result(d));
	assert_int_equal(db_getll(res, 0, "n"), 7);
	assert_true(db_isnull(res, 0, "z"));
	assert_int_equal(db_round_trips(), trips + 1);
	assert_int_equal(count_rows(), 2);
	assert_int_equal(db_round_trips(), trips + 2);
}

/* A failure outside a transaction: the statements after it are not run,
 * what the ones before it wrote is undone, and the connection goes on. */
static void
test_batch_failure(void **state)
{
	struct db_query	*a, *b, *c;

	(void)state;
	a = db_send(&q_insert, PGRES_COMMAND_OK, "k1", "v1");
	b = db_send(&q_div0, PGRES_TUPLES_OK, "0");
	c = db_send(&q_get, PGRES_TUPLES_OK, "k1");
	assert_null(db_result(b));
	assert_string_equal(db_sqlstate(), "22012");
	assert_int_equal(db_failed(), 0);
	assert_null(db_result(c));
	assert_int_equal(db_failed(), 0);
	assert_non_null(db_result(a));
	assert_int_equal(count_rows(), 0);
	/* A wrong status alone stops nothing. */
	a = db_send(&q_insert, PGRES_TUPLES_OK, "k1", "v1");
	b = db_send(&q_get, PGRES_TUPLES_OK, "k1");
	assert_null(db_result(a));
	assert_non_null(db_result(b));
	assert_int_equal(count_rows(), 1);
}

/* Settings a statement made in a batch that failed after it are made
 * again by db_tenant_set: never the connection's earlier ones. */
static void
test_batch_tenant_undone(void **state)
{
	struct db_query	*a;
	PGresult	*res;

	(void)state;
	assert_non_null(res = db_exec(&q_tenant, PGRES_TUPLES_OK, "41"));
	assert_int_equal(db_tenant_set(res), 0);
	a = db_send(&q_tenant, PGRES_TUPLES_OK, "42");
	(void)db_send(&q_div0, PGRES_TUPLES_OK, "0");
	assert_non_null(res = db_result(a));
	assert_non_null(res = db_exec(&q_account, PGRES_TUPLES_OK));
	assert_string_equal(db_get(res, 0, "a"), "41");
	assert_int_equal(db_tenant_set(db_result(a)), 0);
	assert_non_null(res = db_exec(&q_account, PGRES_TUPLES_OK));
	assert_string_equal(db_get(res, 0, "a"), "42");
	assert_int_equal(db_tenant_clear(), 0);
	assert_non_null(res = db_exec(&q_account, PGRES_TUPLES_OK));
	assert_string_equal(db_get(res, 0, "a"), "");
}

/* The operator's settings and role, as lib/auth takes them. */
static const struct db_stmt q_tenant_operator = {
	"test_tenant_operator",
	"SELECT set_config('parta.account', $1, false) AS rls_account,"
	" set_config('parta.orgs', '{}', false) AS rls_orgs,"
	" set_config('parta.chats', '{}', false) AS rls_chats,"
	" set_config('parta.operator', 't', false) AS rls_operator,"
	" set_config('role', parta.rls_role(true), false) AS rls_role"
};

/* The same for someone else, as lib/auth's session lookup makes it. */
static const struct db_stmt q_tenant_user = {
	"test_tenant_user",
	"SELECT set_config('parta.account', $1, false) AS rls_account,"
	" set_config('parta.orgs', '{}', false) AS rls_orgs,"
	" set_config('parta.chats', '{}', false) AS rls_chats,"
	" set_config('parta.operator', 'f', false) AS rls_operator,"
	" set_config('role', parta.rls_role(false), false) AS rls_role"
};

static const struct db_stmt q_user = {
	"test_user",
	"SELECT current_user AS u"
};

/* Whom the connection runs as now. */
static const char *
current_user(void)
{
	PGresult	*res = db_exec(&q_user, PGRES_TUPLES_OK);

	assert_non_null(res);
	return db_get(res, 0, "u");
}

/*
 * As the programs' role: the operator's role (sql/0072), taken with the
 * operator's settings, goes with them when they are cleared (a request
 * without a session never runs as the operator), and comes back with
 * them when a failed batch undid them.
 */
static void
test_tenant_operator_role(void **state)
{
	struct db_query	*a;
	PGresult	*res;
	char		 owner[1024], app[1100];

	(void)state;
	snprintf(owner, sizeof(owner), "%s", getenv("PARTA_DB"));
	snprintf(app, sizeof(app), "%s user=parta_app", owner);
	setenv("PARTA_DB", app, 1);
	assert_int_equal(config_load(), 0);
	db_close();
	assert_int_equal(db_connect(), 0);
	assert_string_equal(current_user(), "parta_app");
	assert_non_null(res = db_exec(&q_tenant_operator, PGRES_TUPLES_OK,
	    "7"));
	assert_int_equal(db_tenant_set(res), 0);
	assert_string_equal(current_user(), "parta_operator");
	assert_int_equal(db_tenant_clear(), 0);
	assert_string_equal(current_user(), "parta_app");
	/* Undone by the batch's failure, made again, role and all. */
	a = db_send(&q_tenant_operator, PGRES_TUPLES_OK, "8");
	(void)db_send(&q_div0, PGRES_TUPLES_OK, "0");
	assert_non_null(res = db_result(a));
	assert_string_equal(current_user(), "parta_app");
	assert_int_equal(db_tenant_set(res), 0);
	assert_string_equal(current_user(), "parta_operator");
	assert_int_equal(db_tenant_clear(), 0);
	assert_string_equal(current_user(), "parta_app");
	/* Someone's lookup right after the operator's, nothing cleared
	 * between (a request that ended early): their role, not the
	 * operator's. */
	assert_non_null(res = db_exec(&q_tenant_operator, PGRES_TUPLES_OK,
	    "9"));
	assert_int_equal(db_tenant_set(res), 0);
	assert_string_equal(current_user(), "parta_operator");
	assert_non_null(res = db_exec(&q_tenant_user, PGRES_TUPLES_OK,
	    "10"));
	assert_int_equal(db_tenant_set(res), 0);
	assert_string_equal(current_user(), "parta_app");
	assert_int_equal(db_tenant_clear(), 0);
	assert_string_equal(current_user(), "parta_app");
	setenv("PARTA_DB", owner, 1);
	assert_int_equal(config_load(), 0);
	db_close();
	assert_int_equal(db_connect(), 0);
}

/* Another statement that writes, which no case before has run. */
static const struct db_stmt q_lock_batch = {
	"test_lock_batch",
	"SELECT count(*) AS n FROM"
	" (SELECT 1 FROM parta.region LIMIT 1 FOR UPDATE) r"
};

/* A batch with a statement the replica refuses (it writes) runs again,
 * all of it, on the primary. */
static void
test_batch_read_writes_move(void **state)
{
	struct db_query	*a, *b;
	PGresult	*res;

	(void)state;
	read_from(getenv("PARTA_DB"));
	db_request(1, NULL);
	assert_true(db_reading());
	assert_non_null(db_exec(&q_read_only, PGRES_TUPLES_OK));
	a = db_send(&q_settings, PGRES_TUPLES_OK);
	b = db_send(&q_lock_batch, PGRES_TUPLES_OK);
	assert_non_null(res = db_result(a));
	assert_non_null(db_result(b));
	assert_false(db_reading());
	/* The statement before it ran again there too. */
	assert_string_equal(db_get(res, 0, "app"), "parta");
	db_close();
	read_done();
}

/*
 * Statements held until their request is admitted (lib/app.h,
 * APP_ONE_TRIP): sent in one round trip with the settings' statement
 * queued before them, and run for those settings; their answers refused
 * (nothing sent for them) until db_hold_end(1), for good after
 * db_hold_end(0) alone; BEGIN refused while they are queued; and the
 * batch read-only from db_hold_begin on, so a held statement never
 * writes.
 */
static void
test_hold(void **state)
{
	struct db_query	*lookup, *held, *w;
	PGresult	*res;
	int		 trips;

	(void)state;
	trips = db_round_trips();
	lookup = db_send(&q_tenant, PGRES_TUPLES_OK, "43");
	db_hold_begin(lookup);
	held = db_send(&q_account, PGRES_TUPLES_OK);
	assert_null(db_result(held));
	assert_int_equal(db_failed(), 0);
	assert_int_equal(db_round_trips(), trips);
	assert_int_equal(db_begin(), -1);
	db_hold_end(0);
	assert_non_null(res = db_result(lookup));
	assert_int_equal(db_tenant_set(res), 0);
	assert_int_equal(db_round_trips(), trips + 1);
	assert_null(db_result(held));
	db_hold_end(1);
	assert_non_null(res = db_result(held));
	assert_string_equal(db_get(res, 0, "a"), "43");
	assert_int_equal(db_round_trips(), trips + 1);
	/* Refused, it is never read, however the request goes on. */
	db_hold_begin(lookup);
	held = db_send(&q_account, PGRES_TUPLES_OK);
	db_hold_end(0);
	assert_non_null(db_exec(&q_account, PGRES_TUPLES_OK));
	assert_null(db_result(held));
	db_release();
	/* Held, a statement that writes (a lock, on a table of the schema:
	 * a temporary one may be written in a read-only transaction)
	 * fails. */
	lookup = db_send(&q_tenant, PGRES_TUPLES_OK, "44");
	db_hold_begin(lookup);
	w = db_send(&q_lock_batch, PGRES_TUPLES_OK);
	db_hold_end(1);
	assert_null(db_result(w));
	assert_string_equal(db_sqlstate(), "25006");
	/* The read-only batch ended with its Sync. */
	assert_non_null(db_exec(&q_lock_batch, PGRES_TUPLES_OK));
	db_release();
	/* With no statement making the settings before them, held
	 * statements would run for the connection's last request: none is
	 * sent or read. */
	trips = db_round_trips();
	db_hold_begin(NULL);
	held = db_send(&q_account, PGRES_TUPLES_OK);
	db_hold_end(1);
	assert_null(db_result(held));
	assert_non_null(db_exec(&q_account, PGRES_TUPLES_OK));
	assert_null(db_result(held));
	assert_int_equal(db_round_trips(), trips + 1);
	assert_int_equal(db_tenant_clear(), 0);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, unit_rollback)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_connect),
		T(test_params),
		T(test_column_numbers),
		T(test_no_splicing),
		T(test_wrong_status),
		T(test_sql_error),
		T(test_param_count),
		T(test_unique_violation),
		T(test_rollback),
		T(test_commit),
		T(test_error_in_transaction),
		T(test_getters),
		T(test_reconnect_after_close),
		T(test_reconnect_after_terminate),
		T(test_begin_after_idle_kill),
		T(test_exec_after_idle_kill),
		T(test_read_replica),
		T(test_read_writes_move),
		T(test_batch_read_writes_move),
		T(test_read_own_change),
		T(test_read_silent_replica),
		T(test_batch),
		T(test_batch_failure),
		T(test_batch_tenant_undone),
		T(test_tenant_operator_role),
		T(test_hold),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
