#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "pool.h"

#define DB_MAX_STMTS	256

/*
 * Per-process connection state: the connection, which statements it has
 * prepared (by address of their struct), and the last error.
 */
static PGconn			*db_conn;
static const struct db_stmt	*db_prepared[DB_MAX_STMTS];
static size_t			 db_nprepared;
static int			 db_conn_lost;
static char			 db_state[6];
/* Whether the connection's tenant settings may be set (db_tenant_set). */
static int			 db_tenant;
/* The results handed out since the last db_release(). */
static PGresult			**db_results;
static size_t			 db_nresults, db_results_cap;

/*
 * Whether the connection is usable.  Between transactions the server has
 * nothing to say to us, so anything to read then (the notice of a
 * shutdown, the end of the stream) means the server closed the
 * connection: a restart that this worker slept through.  libpq would
 * only notice when the next statement fails, so that each idle worker
 * would fail one request after every restart; reconnect now instead.
 * Inside a transaction nothing is tested: a lost connection there must
 * fail the request, not continue it outside the transaction.
 */
static int
db_alive(void)
{
	struct pollfd	 pfd;

	if (db_conn == NULL || PQstatus(db_conn) != CONNECTION_OK)
		return 0;
	if (PQtransactionStatus(db_conn) != PQTRANS_IDLE)
		return 1;
	pfd.fd = PQsocket(db_conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0 || poll(&pfd, 1, 0) != 0)
		return 0;
	return 1;
}

/*
 * Every statement is prepared once per connection and run with the plan
 * made for any parameters (force_generic_plan): the statements are short
 * index lookups, so that plan is the plan.  Left to choose, PostgreSQL
 * compares the generic plan with the custom plans it made while the
 * tables were small and may go on planning every execution for good
 * once they have grown: the bench saw GET /join twice as slow, 1-4 ms of
 * planning for 0.1 ms of work.
 */
int
db_connect(void)
{
	const char	*keys[] = { "dbname", "options",
	    "application_name", NULL };
	const char	*vals[] = { config->db,
	    "-c search_path= -c plan_cache_mode=force_generic_plan",
	    "parta", NULL };

	if (db_alive())
		return 0;
	db_close();
	/* expand_dbname lets PARTA_DB be a full conninfo string. */
	db_conn = PQconnectdbParams(keys, vals, 1);
	if (db_conn == NULL || PQstatus(db_conn) != CONNECTION_OK) {
		log_err("db connect", "%s", db_conn ?
		    PQerrorMessage(db_conn) : "out of memory");
		db_close();
		db_conn_lost = 1;
		return -1;
	}
	db_conn_lost = 0;
	return 0;
}

void
db_close(void)
{
	if (db_conn != NULL)
		PQfinish(db_conn);
	db_conn = NULL;
	db_nprepared = 0;
	/* A new connection starts with the settings empty. */
	db_tenant = 0;
}

int
db_failed(void)
{
	return db_conn_lost;
}

const char *
db_sqlstate(void)
{
	return db_state;
}

/* 1 if SQLSTATE st is one of the space-separated list. */
static int
db_state_in(const char *st, const char *list)
{
	size_t	 n = strlen(st);

	if (list == NULL || n == 0)
		return 0;
	while (*list != '\0') {
		if (strncmp(list, st, n) == 0 &&
		    (list[n] == ' ' || list[n] == '\0'))
			return 1;
		list += strcspn(list, " ");
		list += strspn(list, " ");
	}
	return 0;
}

static void
db_note_error(const char *what, const char *expected, const PGresult *res)
{
	const char	*st;

	st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db_state, sizeof(db_state), "%s", st ? st : "");
	if (db_conn == NULL || PQstatus(db_conn) != CONNECTION_OK) {
		db_conn_lost = 1;
		log_err(what, "connection lost: %s",
		    db_conn ? PQerrorMessage(db_conn) : "no connection");
		db_close();
		return;
	}
	/* Only what the caller said it answers is not a fault. */
	if (!db_state_in(db_state, expected))
		log_err(what, "SQLSTATE %s: %s", db_state[0] ? db_state :
		    "none", res == NULL ? PQerrorMessage(db_conn) :
		    *PQresultErrorMessage(res) != '\0' ?
		    PQresultErrorMessage(res) : PQresStatus(PQresultStatus(res)));
}

static int
db_prepare(const struct db_stmt *s)
{
	PGresult	*res;
	size_t		 i;

	for (i = 0; i < db_nprepared; i++)
		if (db_prepared[i] == s)
			return 0;
	res = PQprepare(db_conn, s->name, s->sql, 0, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_note_error(s->name, s->expected, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	if (db_nprepared < DB_MAX_STMTS)
		db_prepared[db_nprepared++] = s;
	return 0;
}

/* Keep res until db_release(): it belongs to the request. */
static PGresult *
db_keep(PGresult *res)
{
	if (db_nresults == db_results_cap) {
		db_results_cap = db_results_cap ? db_results_cap * 2 : 32;
		db_results = xrealloc(db_results,
		    db_results_cap * sizeof(*db_results));
	}
	db_results[db_nresults++] = res;
	return res;
}

void
db_release(void)
{
	while (db_nresults > 0)
		PQclear(db_results[--db_nresults]);
}

PGresult *
db_execv(const struct db_stmt *s, ExecStatusType expect, int n,
    const char *const *params)
{
	PGresult	*res;

	db_state[0] = '\0';
	if (n < 0 || n > DB_MAX_PARAMS) {
		log_err(s->name, "%d parameters", n);
		return NULL;
	}
	if (db_connect() == -1)
		return NULL;
	if (db_prepare(s) == -1)
		return NULL;
	res = PQexecPrepared(db_conn, s->name, n, params, NULL, NULL, 0);
	if (res == NULL || PQresultStatus(res) != expect) {
		db_note_error(s->name, s->expected, res);
		PQclear(res);
		return NULL;
	}
	return db_keep(res);
}

static int
db_command(const char *sql)
{
	PGresult	*res;

	res = PQexec(db_conn, sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_note_error(sql, NULL, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

void
db_tenant_set(void)
{
	db_tenant = 1;
}

static const struct db_stmt q_tenant_clear = {
	"db_tenant_clear",
	"SELECT set_config('parta.account', '', false),"
	" set_config('parta.orgs', '{}', false),"
	" set_config('parta.chats', '{}', false),"
	" set_config('parta.operator', '', false)"
};

int
db_tenant_clear(void)
{
	if (!db_tenant || db_conn == NULL)
		return 0;
	if (db_exec(&q_tenant_clear, PGRES_TUPLES_OK) == NULL)
		return -1;
	/* Cleared inside a transaction that rolls back, they come back:
	 * still set until that transaction commits. */
	if (!db_in_transaction())
		db_tenant = 0;
	return 0;
}

int
db_begin(void)
{
	int	 try;

	/*
	 * A connection that died while idle is only noticed when used;
	 * nothing has happened in this transaction yet, so one retry on a
	 * fresh connection is safe.
	 */
	for (try = 0; try < 2; try++) {
		if (db_connect() == -1)
			return -1;
		if (db_command("BEGIN") == 0)
			return 0;
		if (!db_conn_lost)
			return -1;
	}
	return -1;
}

int
db_commit(void)
{
	if (db_conn == NULL)
		return -1;
	return db_command("COMMIT");
}

void
db_rollback(void)
{
	if (db_conn != NULL && PQtransactionStatus(db_conn) != PQTRANS_IDLE)
		(void)db_command("ROLLBACK");
}

int
db_in_transaction(void)
{
	return db_conn != NULL &&
	    PQtransactionStatus(db_conn) != PQTRANS_IDLE;
}

static int
db_col(const PGresult *res, const char *col)
{
	int	 c;

	if ((c = PQfnumber(res, col)) == -1) {
		log_err("db", "no column %s", col);
		abort();
	}
	return c;
}

const char *
db_get(const PGresult *res, int row, const char *col)
{
	return PQgetvalue(res, row, db_col(res, col));
}

long long
db_getll(const PGresult *res, int row, const char *col)
{
	return strtoll(db_get(res, row, col), NULL, 10);
}

int
db_isnull(const PGresult *res, int row, const char *col)
{
	return PQgetisnull(res, row, db_col(res, col));
}

int
db_getbool(const PGresult *res, int row, const char *col)
{
	return strcmp(db_get(res, row, col), "t") == 0;
}
