#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "pool.h"

#define DB_MAX_STMTS	256

/*
 * A connection and what it holds: the statements it has prepared (by
 * address of their struct) and whether its tenant settings may be set
 * (db_tenant_set).  The primary (PARTA_DB) serves every request; the
 * replica (PARTA_DB_READ, a hot standby) only read-only ones, when it is
 * up and has replayed the person's own last change (db_request).
 */
struct db_link {
	const char		*name;
	PGconn			*conn;
	const struct db_stmt	*prepared[DB_MAX_STMTS];
	size_t			 nprepared;
	int			 tenant;
};

static struct db_link		 db_primary = { .name = "primary" };
static struct db_link		 db_replica = { .name = "replica" };
/* Where this request's statements go. */
static struct db_link		*db_cur = &db_primary;
static int			 db_conn_lost;
static char			 db_state[6];
/* The results handed out since the last db_release(). */
static PGresult			**db_results;
static size_t			 db_nresults, db_results_cap;

/*
 * Column numbers db_get and its kin found, by result and by the address
 * of the column's name (a program names a column by a string literal).
 * PQfnumber compares the name with each column's in turn, for every
 * value read: a tenth of the big school's queue page's own time (perf),
 * its 50 rows read column by column.  An entry lasts as long as its
 * result: forgotten when a result comes at its address
 * (db_next_result), all of them at db_release; a hit is checked against
 * the column's name as well.
 */
#define DB_COLS	256
struct db_col_slot {
	const PGresult	*res;
	const char	*col;
	int		 num;
};
static struct db_col_slot	 db_cols[DB_COLS];

/* Forget the column numbers of a result at res's address. */
static void
db_cols_forget(const PGresult *res)
{
	size_t	 i;

	if (res == NULL)
		return;
	for (i = 0; i < DB_COLS; i++)
		if (db_cols[i].res == res)
			db_cols[i].res = NULL;
}

/* The request's tenant settings, as set by the statement that loaded its
 * session (db_tenant_set), to be made again on the primary when the
 * request moves there (db_use_primary); NULL when none. */
static char			*db_tenant_vals[4];

/* The request: read-only (a GET), and whether it changed something on
 * the primary (db_written_lsn). */
static int			 db_read_request;
static int			 db_wrote;

/*
 * The replica: when to try it again after it failed (CLOCK_MONOTONIC
 * milliseconds; 0: now), the wait before that (doubling from
 * DB_READ_BACKOFF_MIN to DB_READ_BACKOFF_MAX while it keeps failing), and
 * the greatest WAL position it was seen to have replayed (it only grows
 * while the connection lasts).
 */
#define DB_READ_CONNECT_MS	500
#define DB_READ_BACKOFF_MIN	1000
#define DB_READ_BACKOFF_MAX	8000
static long long		 db_read_retry_at;
/* The statements that were found to write (db_read_retry): they go to
 * the primary from then on. */
static const struct db_stmt	*db_writers[DB_MAX_STMTS];
static size_t			 db_nwriters;
static long long		 db_read_backoff;
static unsigned long long	 db_read_replayed;
/* Why the replica did not connect, for the log. */
static char			 db_read_error[256];

/*
 * Whether link's connection is usable.  Between transactions the server
 * has nothing to say to us, so anything to read then (the notice of a
 * shutdown, the end of the stream) means the server closed the
 * connection: a restart that this worker slept through.  libpq would
 * only notice when the next statement fails, so that each idle worker
 * would fail one request after every restart; reconnect now instead.
 * Inside a transaction nothing is tested: a lost connection there must
 * fail the request, not continue it outside the transaction.
 */
static int
db_alive(const struct db_link *l)
{
	struct pollfd	 pfd;

	if (l->conn == NULL || PQstatus(l->conn) != CONNECTION_OK)
		return 0;
	if (PQtransactionStatus(l->conn) != PQTRANS_IDLE)
		return 1;
	pfd.fd = PQsocket(l->conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd < 0 || poll(&pfd, 1, 0) != 0)
		return 0;
	return 1;
}

static void
db_link_close(struct db_link *l)
{
	if (l->conn != NULL)
		PQfinish(l->conn);
	l->conn = NULL;
	l->nprepared = 0;
	/* A new connection starts with the settings empty. */
	l->tenant = 0;
}

static long long
db_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Open the replica's connection within DB_READ_CONNECT_MS: libpq's own
 * connect_timeout counts whole seconds and at least two, and a replica
 * whose host does not answer must cost a page no more than this.
 */
static PGconn *
db_read_connect(const char *const *keys, const char *const *vals)
{
	PGconn			*c;
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	struct pollfd		 pfd;
	long long		 end = db_now_ms() + DB_READ_CONNECT_MS, left;

	if ((c = PQconnectStartParams(keys, vals, 1)) == NULL)
		return NULL;
	while (PQstatus(c) != CONNECTION_BAD && st != PGRES_POLLING_OK &&
	    st != PGRES_POLLING_FAILED) {
		if ((left = end - db_now_ms()) <= 0)
			break;
		pfd.fd = PQsocket(c);
		pfd.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		pfd.revents = 0;
		if (pfd.fd < 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		st = PQconnectPoll(c);
	}
	return c;
}

/*
 * Every statement is prepared once per connection and run with the plan
 * made for any parameters (force_generic_plan): the statements are short
 * index lookups, so that plan is the plan.  Left to choose, PostgreSQL
 * compares the generic plan with the custom plans it made while the
 * tables were small and may go on planning every execution for good
 * once they have grown: the bench saw GET /join twice as slow, 1-4 ms of
 * planning for 0.1 ms of work.
 *
 * The replica's connection says so in its application_name
 * (pg_stat_activity), and its failure is not logged here: the request
 * goes on on the primary (db_read_failed).
 */
static int
db_link_connect(struct db_link *l)
{
	const char	*keys[] = { "dbname", "options",
	    "application_name", NULL };
	const char	*vals[] = { config->db,
	    "-c search_path= -c plan_cache_mode=force_generic_plan",
	    "parta", NULL };

	if (db_alive(l))
		return 0;
	db_link_close(l);
	/* expand_dbname lets PARTA_DB be a full conninfo string. */
	if (l == &db_replica) {
		vals[0] = config->db_read;
		vals[2] = "parta-read";
		l->conn = db_read_connect(keys, vals);
		if (l->conn == NULL || PQstatus(l->conn) != CONNECTION_OK) {
			snprintf(db_read_error, sizeof(db_read_error),
			    "cannot connect: %s", l->conn == NULL ?
			    "out of memory" : PQstatus(l->conn) ==
			    CONNECTION_BAD ? PQerrorMessage(l->conn) :
			    "no answer within 500 ms");
			db_read_error[strcspn(db_read_error, "\n")] = '\0';
			db_link_close(l);
			return -1;
		}
		return 0;
	}
	l->conn = PQconnectdbParams(keys, vals, 1);
	if (l->conn == NULL || PQstatus(l->conn) != CONNECTION_OK) {
		log_err("db connect", "%s", l->conn ?
		    PQerrorMessage(l->conn) : "out of memory");
		db_link_close(l);
		db_conn_lost = 1;
		return -1;
	}
	db_conn_lost = 0;
	return 0;
}

int
db_connect(void)
{
	return db_link_connect(db_cur);
}

void
db_close(void)
{
	db_link_close(&db_primary);
	db_link_close(&db_replica);
	db_cur = &db_primary;
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
	PGconn		*c = db_cur->conn;
	const char	*st;

	st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(db_state, sizeof(db_state), "%s", st ? st : "");
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		db_conn_lost = 1;
		log_err(what, "connection lost: %s",
		    c ? PQerrorMessage(c) : "no connection");
		db_link_close(db_cur);
		return;
	}
	/* Only what the caller said it answers is not a fault. */
	if (!db_state_in(db_state, expected))
		log_err(what, "SQLSTATE %s: %s", db_state[0] ? db_state :
		    "none", res == NULL ? PQerrorMessage(c) :
		    *PQresultErrorMessage(res) != '\0' ?
		    PQresultErrorMessage(res) : PQresStatus(PQresultStatus(res)));
}

/*
 * A statement sent, or queued to be sent with the next batch (db_send):
 * its parameters (copies, freed with the request), and once its batch
 * ran, its result or how it failed.
 */
enum db_phase { DB_QUEUED, DB_SENDING, DB_DONE };

struct db_query {
	const struct db_stmt	*stmt;
	ExecStatusType		 expect;
	int			 n;
	char			*params[DB_MAX_PARAMS];
	enum db_phase		 phase;
	PGresult		*res;		/* kept (db_keep); NULL: failed */
	PGresult		*bad;		/* the failed result, to note */
	char			 state[6];	/* its SQLSTATE when it failed */
	int			 lost;		/* the connection went */
	/* Not run: this statement of its batch failed before it. */
	const struct db_stmt	*aborted;
	/* Ran, but a later statement of its batch failed outside a
	 * transaction: what it changed (settings too) was undone. */
	int			 undone;
	/* Queued before its request was admitted (db_hold_begin). */
	int			 held;
};

/* The request's statements, queued and run (freed by db_release). */
static struct db_query		**db_queries;
static size_t			 db_nqueries, db_queries_cap;
/* Round trips since db_release (db_round_trips). */
static int			 db_trips;
/* db_hold_begin: statements queued now are held; until released, a held
 * one's answer is refused; with no statement making the settings before
 * them, they are never sent (db_hold_blind). */
static int			 db_holding, db_held_free, db_hold_blind;

static int
db_is_prepared(const struct db_link *l, const struct db_stmt *s)
{
	size_t	 i;

	for (i = 0; i < l->nprepared; i++)
		if (l->prepared[i] == s)
			return 1;
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
	struct db_query	*q;
	int		 i;

	while (db_nresults > 0)
		PQclear(db_results[--db_nresults]);
	memset(db_cols, 0, sizeof(db_cols));
	while (db_nqueries > 0) {
		q = db_queries[--db_nqueries];
		for (i = 0; i < q->n; i++)
			free(q->params[i]);
		PQclear(q->bad);
		free(q);
	}
	db_trips = 0;
	db_holding = db_held_free = db_hold_blind = 0;
}

int
db_round_trips(void)
{
	return db_trips;
}

/* The replica failed: leave it alone for a while, doubling the wait
 * while it keeps failing, so that pages go to the primary at once and
 * nothing waits for a replica that is down. */
static void
db_read_failed(const char *why)
{
	db_read_backoff = db_read_backoff == 0 ? DB_READ_BACKOFF_MIN :
	    db_read_backoff * 2 > DB_READ_BACKOFF_MAX ? DB_READ_BACKOFF_MAX :
	    db_read_backoff * 2;
	db_read_retry_at = db_now_ms() + db_read_backoff;
	log_info("db replica", "%s: reading from the primary for %lld ms",
	    why, db_read_backoff);
	db_link_close(&db_replica);
	/* Another server may answer next time: what it replayed is not
	 * known. */
	db_read_replayed = 0;
}

/*
 * Whether a statement that failed on the replica may run again on the
 * primary, which it is then switched to: the replica went away (the
 * statement only read: nothing is lost by running it again), the
 * statement writes (SQLSTATE 25006: a GET that writes, such as a code
 * sent; it changed nothing on the replica), or recovery cancelled it
 * (40001).  The replica never holds a transaction (db_begin).
 */
static int
db_read_retry(const struct db_stmt *s, const PGresult *res)
{
	const char	*st;

	if (db_cur != &db_replica)
		return 0;
	st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (db_replica.conn == NULL ||
	    PQstatus(db_replica.conn) != CONNECTION_OK)
		db_read_failed(db_replica.conn ?
		    PQerrorMessage(db_replica.conn) : "connection lost");
	else if (st != NULL && strcmp(st, "25006") == 0) {
		/* Learnt once per worker, and said. */
		log_info(s->name, "writes: runs on the primary");
		if (db_nwriters < DB_MAX_STMTS)
			db_writers[db_nwriters++] = s;
		db_wrote = 1;
	} else if (st == NULL || strcmp(st, "40001") != 0)
		return 0;
	return 1;
}

static int
db_writer(const struct db_stmt *s)
{
	size_t	 i;

	for (i = 0; i < db_nwriters; i++)
		if (db_writers[i] == s)
			return 1;
	return 0;
}

/* Forget what a run of the batch left in its queries. */
static void
db_batch_reset(struct db_query **b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		PQclear(b[i]->res);
		PQclear(b[i]->bad);
		b[i]->res = b[i]->bad = NULL;
		b[i]->state[0] = '\0';
		b[i]->lost = b[i]->undone = 0;
		b[i]->aborted = NULL;
	}
}

/* The next result of the pipeline, or NULL; the NULL that ends each
 * command's results is read too. */
static PGresult *
db_next_result(PGconn *c)
{
	PGresult	*res, *extra;

	res = PQgetResult(c);
	if (res != NULL && PQresultStatus(res) != PGRES_PIPELINE_SYNC)
		while ((extra = PQgetResult(c)) != NULL)
			PQclear(extra);
	db_cols_forget(res);
	return res;
}

/*
 * One round trip: the batch's statements (each prepared first when the
 * connection has not prepared it yet) and one Sync, in pipeline mode, in
 * one write; then every answer.  Fills each query's res (its status as
 * expected) or bad, aborted and undone.  Returns the index of the first
 * query that failed, n when none did; a connection that failed is
 * closed, its queries left with res and bad NULL.
 */
static size_t
db_pipeline(struct db_query **b, size_t n)
{
	struct db_link	*l = db_cur;
	PGconn		*c = l->conn;
	PGresult	*res;
	char		 prep[DB_BATCH_MAX];
	size_t		 i, k, first = n;
	int		 idle, error_at = -1;

	idle = PQtransactionStatus(c) == PQTRANS_IDLE;
	if (!PQenterPipelineMode(c))
		goto lost;
	for (i = 0; i < n; i++) {
		prep[i] = !db_is_prepared(l, b[i]->stmt);
		for (k = 0; k < i && prep[i]; k++)
			if (prep[k] && b[k]->stmt == b[i]->stmt)
				prep[i] = 0;
		if (prep[i] && !PQsendPrepare(c, b[i]->stmt->name,
		    b[i]->stmt->sql, 0, NULL))
			goto lost;
		if (!PQsendQueryPrepared(c, b[i]->stmt->name, b[i]->n,
		    (const char *const *)b[i]->params, NULL, NULL, 0))
			goto lost;
	}
	if (!PQpipelineSync(c))
		goto lost;
	db_trips++;
	for (i = 0; i < n; i++) {
		if (prep[i]) {
			res = db_next_result(c);
			if (res != NULL &&
			    PQresultStatus(res) == PGRES_COMMAND_OK) {
				if (l->nprepared < DB_MAX_STMTS)
					l->prepared[l->nprepared++] =
					    b[i]->stmt;
				PQclear(res);
			} else if (res != NULL &&
			    PQresultStatus(res) == PGRES_PIPELINE_ABORTED) {
				PQclear(res);
			} else {
				/* Its statement is not run, answered
				 * aborted below. */
				b[i]->bad = res;
				first = first < i ? first : i;
				error_at = (int)i;
			}
		}
		res = db_next_result(c);
		if (res != NULL && PQresultStatus(res) == b[i]->expect) {
			b[i]->res = res;
			continue;
		}
		if (res != NULL &&
		    PQresultStatus(res) == PGRES_PIPELINE_ABORTED &&
		    error_at >= 0) {
			PQclear(res);
			if (b[i]->bad == NULL)
				b[i]->aborted = b[error_at]->stmt;
			continue;
		}
		if (res == NULL && PQstatus(c) != CONNECTION_OK)
			goto lost;
		b[i]->bad = res;
		first = first < i ? first : i;
		if (res == NULL || PQresultStatus(res) == PGRES_FATAL_ERROR)
			error_at = (int)i;
	}
	res = PQgetResult(c);
	if (res == NULL || (PQresultStatus(res) != PGRES_PIPELINE_SYNC)) {
		PQclear(res);
		goto lost;
	}
	PQclear(res);
	if (!PQexitPipelineMode(c))
		goto lost;
	/* An error outside a transaction rolled back the implicit one the
	 * batch ran in: what the statements before it did is undone. */
	if (idle && error_at >= 0)
		for (i = 0; i < (size_t)error_at; i++)
			if (b[i]->res != NULL)
				b[i]->undone = 1;
	return first;
lost:
	/* Whatever was sent or read, nothing of it is trusted. */
	if (PQstatus(c) == CONNECTION_OK)
		log_err(b[0]->stmt->name, "pipeline: %s", PQerrorMessage(c));
	db_batch_reset(b, n);
	for (i = 0; i < n; i++)
		b[i]->lost = 1;
	db_link_close(l);
	return 0;
}

/* Every query of the batch failed: the connection is gone. */
static void
db_batch_lost(struct db_query **b, size_t n)
{
	size_t	 i;

	db_batch_reset(b, n);
	for (i = 0; i < n; i++)
		b[i]->lost = 1;
}

/*
 * Run a batch (at most DB_BATCH_MAX queries) on the request's
 * connection in one round trip, moving it to the primary first when one
 * of its statements is known to write, and running it all again there
 * when the replica could not (db_read_retry).  Each failure is noted
 * (logged unless expected).
 */
static void
db_run(struct db_query **b, size_t n)
{
	size_t	 i, first;

	if (db_cur == &db_replica)
		for (i = 0; i < n; i++)
			if (db_writer(b[i]->stmt)) {
				if (db_use_primary() == -1) {
					db_batch_lost(b, n);
					return;
				}
				db_wrote = 1;
				break;
			}
	for (;;) {
		if (db_connect() == -1) {
			if (db_cur == &db_replica) {
				db_read_failed(db_read_error);
				if (db_use_primary() == -1) {
					db_batch_lost(b, n);
					return;
				}
				continue;
			}
			db_batch_lost(b, n);
			return;
		}
		first = db_pipeline(b, n);
		if (first == n || !db_read_retry(b[first]->stmt,
		    b[first]->bad))
			break;
		/* Every statement of the batch again, on the primary: on
		 * the replica they only read. */
		db_batch_reset(b, n);
		if (db_use_primary() == -1) {
			db_batch_lost(b, n);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		if (b[i]->res != NULL) {
			(void)db_keep(b[i]->res);
			continue;
		}
		if (b[i]->aborted != NULL)
			continue;
		if (b[i]->lost) {
			/* Said once for the batch. */
			if (i == 0) {
				db_conn_lost = 1;
				log_err(b[i]->stmt->name, "connection lost");
			}
			continue;
		}
		db_note_error(b[i]->stmt->name, b[i]->stmt->expected,
		    b[i]->bad);
		snprintf(b[i]->state, sizeof(b[i]->state), "%s", db_state);
		/* db_note_error closed a connection that went. */
		if (db_cur->conn == NULL)
			b[i]->lost = 1;
	}
	/* A write on the primary outside a transaction (a POST's single
	 * statement): the person's next pages must see it. */
	if (db_cur == &db_primary && !db_read_request &&
	    db_primary.conn != NULL &&
	    PQtransactionStatus(db_primary.conn) == PQTRANS_IDLE)
		db_wrote = 1;
}

/* Send every queued statement, in batches of DB_BATCH_MAX. */
static void
db_flush(void)
{
	struct db_query	*b[DB_BATCH_MAX];
	size_t		 i, n = 0;

	for (i = 0; i < db_nqueries; i++) {
		if (db_queries[i]->phase != DB_QUEUED)
			continue;
		db_queries[i]->phase = DB_SENDING;
		b[n++] = db_queries[i];
		if (n == DB_BATCH_MAX) {
			db_run(b, n);
			while (n > 0)
				b[--n]->phase = DB_DONE;
		}
	}
	if (n > 0)
		db_run(b, n);
	while (n > 0)
		b[--n]->phase = DB_DONE;
}

struct db_query *
db_sendv(const struct db_stmt *s, ExecStatusType expect, int n,
    const char *const *params)
{
	struct db_query	*q;
	int		 i;

	q = xmalloc(sizeof(*q));
	memset(q, 0, sizeof(*q));
	q->stmt = s;
	q->expect = expect;
	if (n < 0 || n > DB_MAX_PARAMS) {
		log_err(s->name, "%d parameters", n);
		q->phase = DB_DONE;
	} else {
		q->n = n;
		for (i = 0; i < n; i++)
			q->params[i] = params[i] ? xstrdup(params[i]) : NULL;
	}
	q->held = db_holding;
	if (db_holding && db_hold_blind)
		q->phase = DB_DONE;	/* never sent, never read */
	if (db_nqueries == db_queries_cap) {
		db_queries_cap = db_queries_cap ? db_queries_cap * 2 : 32;
		db_queries = xrealloc(db_queries,
		    db_queries_cap * sizeof(*db_queries));
	}
	db_queries[db_nqueries++] = q;
	return q;
}

PGresult *
db_result(struct db_query *q)
{
	if (q->held && !db_held_free) {
		/* A program's fault: nothing is sent for it. */
		log_err(q->stmt->name, "read before the request was admitted");
		db_state[0] = '\0';
		db_conn_lost = 0;
		return NULL;
	}
	if (q->phase == DB_QUEUED)
		db_flush();
	snprintf(db_state, sizeof(db_state), "%s", q->state);
	if (q->res == NULL)
		db_conn_lost = q->lost;
	if (q->aborted != NULL)
		log_err(q->stmt->name, "not run: %s failed before it in its "
		    "batch", q->aborted->name);
	return q->res;
}

PGresult *
db_execv(const struct db_stmt *s, ExecStatusType expect, int n,
    const char *const *params)
{
	return db_result(db_sendv(s, expect, n, params));
}

static int
db_command(const char *sql)
{
	PGresult	*res;

	db_trips++;
	res = PQexec(db_cur->conn, sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_note_error(sql, NULL, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

static void
db_tenant_forget(void)
{
	size_t	 i;

	for (i = 0; i < 4; i++) {
		free(db_tenant_vals[i]);
		db_tenant_vals[i] = NULL;
	}
}

/* The settings of a session loaded on the replica, made again on the
 * primary; or made again where the batch that made them failed. */
static const struct db_stmt q_tenant_copy = {
	"db_tenant_copy",
	"SELECT set_config('parta.account', $1, false),"
	" set_config('parta.orgs', $2, false),"
	" set_config('parta.chats', $3, false),"
	" set_config('parta.operator', $4, false),"
	" set_config('role', parta.rls_role($4 = 't'), false)"
};

/* Whether res came from a statement whose batch failed after it outside
 * a transaction, which undid what it set. */
static int
db_undone(const PGresult *res)
{
	size_t	 i;

	for (i = 0; i < db_nqueries; i++)
		if (db_queries[i]->res == res)
			return db_queries[i]->undone;
	return 0;
}

int
db_tenant_set(const PGresult *res)
{
	static const char *const cols[4] = { "rls_account", "rls_orgs",
	    "rls_chats", "rls_operator" };
	size_t	 i;

	db_tenant_forget();
	for (i = 0; i < 4; i++)
		db_tenant_vals[i] = xstrdup(db_get(res, 0, cols[i]));
	/* Set, or possibly set: a rollback may bring back what was. */
	db_cur->tenant = 1;
	if (db_undone(res) && db_exec(&q_tenant_copy, PGRES_TUPLES_OK,
	    db_tenant_vals[0], db_tenant_vals[1], db_tenant_vals[2],
	    db_tenant_vals[3]) == NULL) {
		/* Never go on with another request's settings. */
		db_tenant_forget();
		db_link_close(db_cur);
		return -1;
	}
	/* Made for nobody (a session that is not live): as cleared. */
	if (db_tenant_vals[0][0] == '\0') {
		db_tenant_forget();
		if (!db_in_transaction())
			db_cur->tenant = 0;
	}
	return 0;
}

static const struct db_stmt q_tenant_clear = {
	"db_tenant_clear",
	"SELECT set_config('parta.account', '', false),"
	" set_config('parta.orgs', '{}', false),"
	" set_config('parta.chats', '{}', false),"
	" set_config('parta.operator', '', false),"
	" set_config('role', 'none', false)"
};


int
db_tenant_clear(void)
{
	db_tenant_forget();
	if (!db_cur->tenant || db_cur->conn == NULL)
		return 0;
	if (db_exec(&q_tenant_clear, PGRES_TUPLES_OK) == NULL)
		return -1;
	/* Cleared inside a transaction that rolls back, they come back:
	 * still set until that transaction commits. */
	if (!db_in_transaction())
		db_cur->tenant = 0;
	return 0;
}

int
db_use_primary(void)
{
	if (db_cur == &db_primary)
		return 0;
	db_cur = &db_primary;
	/* The primary's connection may hold an earlier request's
	 * settings: this request's, or none. */
	if (db_tenant_vals[0] == NULL ? db_tenant_clear() == -1 :
	    db_exec(&q_tenant_copy, PGRES_TUPLES_OK, db_tenant_vals[0],
	    db_tenant_vals[1], db_tenant_vals[2], db_tenant_vals[3]) == NULL) {
		/* Never go on with another request's settings. */
		db_link_close(&db_primary);
		return -1;
	}
	if (db_tenant_vals[0] != NULL)
		db_primary.tenant = 1;
	return 0;
}

int
db_reading(void)
{
	return db_cur == &db_replica;
}

/* "X/Y", hexadecimal (pg_lsn's text): 0 and *lsn, or -1. */
static int
db_lsn_parse(const char *s, unsigned long long *lsn)
{
	unsigned long long	 hi, lo;
	char			*end;

	if (s == NULL || strspn(s, "0123456789ABCDEFabcdef") == 0)
		return -1;
	hi = strtoull(s, &end, 16);
	if (*end != '/' || hi > 0xffffffffULL ||
	    strspn(end + 1, "0123456789ABCDEFabcdef") == 0)
		return -1;
	lo = strtoull(end + 1, &end, 16);
	if (*end != '\0' || lo > 0xffffffffULL)
		return -1;
	*lsn = hi << 32 | lo;
	return 0;
}

void
db_request(int read_only, const char *seen)
{
	unsigned long long	 want = 0;
	PGresult		*res;
	int			 ok;

	db_tenant_forget();
	db_wrote = 0;
	db_read_request = read_only;
	db_cur = &db_primary;
	if (!read_only || config->db_read == NULL ||
	    db_now_ms() < db_read_retry_at)
		return;
	if (db_link_connect(&db_replica) == -1) {
		db_read_failed(db_read_error);
		return;
	}
	/* The person changed something at WAL position want: the
	 * replica serves them once it has replayed that far (asked only
	 * when this worker has not yet seen it get there). */
	if (db_lsn_parse(seen, &want) == 0 && want > db_read_replayed) {
		db_trips++;
		res = PQexec(db_replica.conn,
		    "SELECT pg_last_wal_replay_lsn()");
		ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == 1 &&
		    db_lsn_parse(PQgetvalue(res, 0, 0), &db_read_replayed) == 0;
		PQclear(res);
		if (!ok) {
			db_read_failed("pg_last_wal_replay_lsn() failed");
			return;
		}
		if (want > db_read_replayed)
			return;
	}
	db_read_backoff = 0;
	db_cur = &db_replica;
}

const char *
db_written_lsn(void)
{
	static char	 lsn[32];
	PGresult	*res;
	int		 ok;

	if (config->db_read == NULL || !db_wrote || db_primary.conn == NULL ||
	    PQstatus(db_primary.conn) != CONNECTION_OK ||
	    PQtransactionStatus(db_primary.conn) != PQTRANS_IDLE)
		return NULL;
	db_trips++;
	res = PQexec(db_primary.conn, "SELECT pg_current_wal_lsn()");
	ok = res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK &&
	    PQntuples(res) == 1 && snprintf(lsn, sizeof(lsn), "%s",
	    PQgetvalue(res, 0, 0)) < (int)sizeof(lsn);
	PQclear(res);
	return ok ? lsn : NULL;
}

/* What a held batch runs after the session's lookup: nothing in it may
 * write (SQLSTATE 25006), until its Sync ends the implicit transaction
 * (only a read-write setting is refused once a statement ran). */
static const struct db_stmt q_hold_read_only = {
	"db_hold_read_only",
	"SELECT set_config('transaction_read_only', 'on', true)"
};

void
db_hold_begin(const struct db_query *settings)
{
	if (db_holding || db_in_transaction())
		return;
	db_holding = 1;
	db_held_free = 0;
	/* They would run for whomever the connection last ran for. */
	if ((db_hold_blind = settings == NULL)) {
		log_err("db", "statements held with no settings made before "
		    "them: none is sent");
		return;
	}
	db_holding = 0;
	(void)db_send(&q_hold_read_only, PGRES_TUPLES_OK);
	db_holding = 1;
}

void
db_hold_end(int release)
{
	db_holding = 0;
	if (release && !db_hold_blind)
		db_held_free = 1;
}

int
db_begin(void)
{
	int	 try;

	if (db_holding) {
		log_err("BEGIN", "before the request was admitted");
		return -1;
	}

	/* What was queued before it runs before it. */
	db_flush();
	/* A transaction is there to write: on the primary. */
	if (db_use_primary() == -1)
		return -1;
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
	db_flush();
	if (db_cur->conn == NULL)
		return -1;
	if (db_command("COMMIT") == -1)
		return -1;
	db_wrote = 1;
	return 0;
}

void
db_rollback(void)
{
	if (db_cur->conn != NULL &&
	    PQtransactionStatus(db_cur->conn) != PQTRANS_IDLE)
		(void)db_command("ROLLBACK");
}

int
db_in_transaction(void)
{
	return db_cur->conn != NULL &&
	    PQtransactionStatus(db_cur->conn) != PQTRANS_IDLE;
}

/* The slot of db_cols for res and col. */
static struct db_col_slot *
db_col_slot(const PGresult *res, const char *col)
{
	uintptr_t	 h;

	h = (uintptr_t)res * 31 + (uintptr_t)col;
	return &db_cols[(h ^ (h >> 7) ^ (h >> 13)) % DB_COLS];
}

static int
db_col(const PGresult *res, const char *col)
{
	struct db_col_slot	*e = db_col_slot(res, col);
	int			 c;

	if (e->res == res && e->col == col && e->num < PQnfields(res) &&
	    strcmp(PQfname(res, e->num), col) == 0)
		return e->num;
	/* PQfnumber copies and case-folds the name each time (a tenth of
	 * the look-ups' cost on a long page); for a name it leaves as it
	 * is, no capital and no quote, its answer is the first column of
	 * exactly that name. */
	if (strpbrk(col, "ABCDEFGHIJKLMNOPQRSTUVWXYZ\"") != NULL)
		c = PQfnumber(res, col);
	else {
		for (c = 0; c < PQnfields(res); c++)
			if (strcmp(PQfname(res, c), col) == 0)
				break;
		if (c == PQnfields(res))
			c = -1;
	}
	if (c == -1) {
		log_err("db", "no column %s", col);
		abort();
	}
	e->res = res;
	e->col = col;
	e->num = c;
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
