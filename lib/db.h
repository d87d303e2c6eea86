/*
 * db: the process's PostgreSQL connection, opened lazily with an empty
 * search_path (every name in SQL is schema-qualified), named prepared
 * statements prepared on first use per connection (in the same write as
 * their first run), statements sent together in one round trip (db_send,
 * libpq's pipeline mode), and one transaction per changing request.  With PARTA_DB_READ set, a second connection to
 * a hot standby serves read-only requests (db_request).
 *
 * A statement lives in the program file as a static struct db_stmt; its
 * parameters travel separately, never spliced into the SQL.
 */
#ifndef PARTA_DB_H
#define PARTA_DB_H

#include <libpq-fe.h>

struct db_stmt {
	const char	*name;	/* unique per program */
	const char	*sql;
	/*
	 * The SQLSTATEs the caller answers itself (a unique violation that
	 * means "exists already"), space-separated, or NULL.  Any other
	 * failure is a fault: logged with the route, the statement's name,
	 * the SQLSTATE and the message.
	 */
	const char	*expected;
};

/* SQLSTATEs the handlers act on. */
#define DB_UNIQUE_VIOLATION	"23505"
#define DB_CHECK_VIOLATION	"23514"
#define DB_FK_VIOLATION		"23503"
/* Raised by the membership triggers (sql/0012_membership.sql): the person
 * may not do this; the thing is closed; the person is barred. */
#define DB_NOT_ALLOWED		"PA403"
#define DB_CLOSED		"PA409"
#define DB_BARRED		"PAB03"

/*
 * Run stmt with its text parameters (const char *, NULL for SQL NULL;
 * counted by the macro, at most DB_MAX_PARAMS) and check the result
 * status is exactly expect:
 *
 *	res = db_exec(&q_member, PGRES_TUPLES_OK, org, account);
 *
 * Returns the result or NULL; then db_failed() tells whether the
 * connection is gone (answer 503) and db_sqlstate() the error code.  A
 * failure is logged unless its SQLSTATE is one of stmt->expected.
 *
 * A result belongs to the request: it stays valid, and so do the values
 * db_get returns from it, until db_release(), which lib/app calls when
 * the request's pool is cleared.  Nobody else frees it (no PQclear).
 */
#define DB_MAX_PARAMS	32
#define db_exec(stmt, expect, ...)					\
	db_execv((stmt), (expect),					\
	    (int)(sizeof((const char *[]){ NULL, __VA_ARGS__ }) /	\
	    sizeof(const char *)) - 1,					\
	    (const char *const []){ NULL, __VA_ARGS__ } + 1)
/* The same with n parameters in an array (a statement whose parameter
 * list is built at run time). */
PGresult	*db_execv(const struct db_stmt *, ExecStatusType expect, int n,
		    const char *const *params);

/*
 * Statements sent together: one round trip for several (libpq's pipeline
 * mode).  db_send queues a statement with its parameters (copied: the
 * caller's buffers may go) and sends nothing; db_result answers one of
 * them, sending first every statement queued so far, in the order they
 * were queued, in one write with one Sync, and reading all their
 * answers.  So a page queues what it needs, then reads:
 *
 *	struct db_query *classes, *queue;
 *
 *	classes = db_send(&q_classes, PGRES_TUPLES_OK, org);
 *	queue = db_send(&q_queue, PGRES_TUPLES_OK, org, after);
 *	if ((res = db_result(classes)) == NULL)	  (the one round trip)
 *		return app_db_error();
 *	...
 *	if ((res = db_result(queue)) == NULL)	  (no round trip)
 *
 * db_result answers as db_exec does (db_exec is db_result of db_send):
 * the result, kept until db_release, or NULL with db_failed() and
 * db_sqlstate() telling why, a failure logged with the statement's name
 * unless expected.  A statement not yet prepared on the connection is
 * prepared in the same write.  db_exec, db_begin and db_commit send the
 * queued statements first; a query is the request's, freed by
 * db_release (a statement still queued then is never sent).
 *
 * The statements of a batch outside a transaction run in one implicit
 * transaction, as PostgreSQL runs a pipeline up to its Sync: when one
 * fails, the ones after it are not run (their db_result is NULL, logged
 * "not run") and what the ones before it changed is undone.  So send
 * together reads, or what is all or nothing anyway; a statement whose
 * expected failure a handler answers goes last or alone.  (The tenant
 * settings a session statement made in such a batch are made again by
 * db_tenant_set.)  On a read replica a batch moves to the primary as a
 * single statement does (below), all of it.  At most DB_BATCH_MAX
 * statements go in one round trip; more take more.
 */
#define DB_BATCH_MAX	64
struct db_query;
#define db_send(stmt, expect, ...)					\
	db_sendv((stmt), (expect),					\
	    (int)(sizeof((const char *[]){ NULL, __VA_ARGS__ }) /	\
	    sizeof(const char *)) - 1,					\
	    (const char *const []){ NULL, __VA_ARGS__ } + 1)
struct db_query	*db_sendv(const struct db_stmt *, ExecStatusType expect,
		    int n, const char *const *params);
PGresult	*db_result(struct db_query *);

/*
 * Statements sent before their request is admitted: a page's in the
 * round trip of the session's lookup (lib/app, APP_ONE_TRIP).  After
 * db_hold_begin(settings) every statement queued is held: sent with its
 * batch as any other, but db_result refuses its answer (NULL, logged as
 * the program's fault, sending nothing; db_failed() 0) until
 * db_hold_end(1).  settings is the statement queued before them that
 * makes the request's tenant settings (lib/auth's session lookup, for
 * a visitor too), so that they run for the request's account or for
 * nobody, never for the connection's last request: with NULL none of
 * them is ever sent or read (logged).  db_hold_end(0) holds no later statement and keeps
 * those held refused: what a refused request does.  db_begin refuses
 * (-1) while statements are being held.  db_hold_begin queues first a
 * statement that makes the rest of the batch's implicit transaction
 * read-only, so a held statement can never write (SQLSTATE 25006: a
 * fault): whatever it runs for, it only reads, and the row-level
 * security of the settings the session's lookup made before it (the
 * account, or nobody) decides what.  Outside a transaction only (else
 * nothing is held).  db_release ends the hold.
 */
void		 db_hold_begin(const struct db_query *settings);
void		 db_hold_end(int release);

/* Free every result db_exec/db_execv/db_result returned and every query
 * since the last call: the end of a request (lib/app), or a long batch
 * of statements outside one (parta-admin). */
void		 db_release(void);
/* The times the request sent statements and waited for their answers
 * since db_release (each batch once, BEGIN and COMMIT each once): what a
 * test reads to hold a page to its round trips (lib/app's
 * X-Parta-Round-Trips header, PARTA_DEBUG_ROUND_TRIPS). */
int		 db_round_trips(void);

/* Transactions: 0, or -1 (logged).  db_begin reconnects once when the
 * server went away, so the first request after a restart works. */
int		 db_begin(void);
int		 db_commit(void);
void		 db_rollback(void);
int		 db_in_transaction(void);

/*
 * Row-level security (sql/0030_rls.sql): whom the connection's statements
 * run for is in the settings parta.account, parta.orgs, parta.chats and
 * parta.operator, set by the statement that loads or makes a session
 * (lib/auth), which then calls db_tenant_set() with its result (columns
 * rls_account, rls_orgs, rls_chats and rls_operator; an empty account:
 * made for nobody, as cleared).  Statements queued after that statement
 * in its batch run with its settings.  When its batch failed after it,
 * which undid them, db_tenant_set makes them again (one statement).
 * db_tenant_clear() empties them when they were set (one statement;
 * none when they were not): a request without a session calls it
 * before its first statement, so it sees no tenant row.  Both 0, or -1
 * (logged; the connection is closed rather than left with another
 * request's settings).
 */
int		 db_tenant_set(const PGresult *);
int		 db_tenant_clear(void);

/*
 * Read replica (PARTA_DB_READ: a hot standby fed by streaming
 * replication).  lib/app calls db_request() before a request's first
 * statement: a read-only request (GET, HEAD) with the replica set runs
 * its statements there, anything else on the primary (PARTA_DB).
 *
 * Reading one's own writes: a request that changed something ends with
 * db_written_lsn(), the primary's WAL position after its commit, which
 * lib/app keeps in the person's DB_LSN_COOKIE; their next GETs (seen) go
 * to the replica only once it has replayed that far
 * (pg_last_wal_replay_lsn), else to the primary.  A position rather than
 * a time ("the primary for N seconds") because it holds however far the
 * replica lags, and costs nothing once the replica is past it: a worker
 * remembers the greatest position it saw replayed and asks only when the
 * cookie is beyond it.  The cookie is only a hint: a forged one sends
 * its bearer to the primary, or to a replica that shows them stale rows
 * anybody may see anyway.
 *
 * Writes stay on the primary: db_begin moves the request there first (a
 * transaction is only begun to write), and a statement that writes
 * outside one (a GET that sends a code, marks something seen, locks a
 * row: SQLSTATE 25006 on the standby, having changed nothing) runs again
 * on the primary, and goes there directly from then on: the worker
 * remembers it (and logs it once), so no list of writing GETs is kept
 * by hand.  A read that recovery cancelled (40001) runs again there
 * too, and is not remembered.  Moving to the primary makes the
 * request's tenant settings there as well.
 *
 * A replica that does not answer (not connected within 500 ms, or lost
 * mid-request: the read is simply run again on the primary) is left
 * alone for 1 s, doubling up to 8 s while it keeps failing; meanwhile
 * every page reads from the primary.
 *
 * What others changed shows on the replica after its lag, a session
 * ended elsewhere too: for reading only, since every POST loads the
 * session on the primary.
 */
#define DB_LSN_COOKIE	"lsn"
void		 db_request(int read_only, const char *seen);
/* Run the rest of the request on the primary: 0, or -1 (logged). */
int		 db_use_primary(void);
/* 1 if the request's statements go to the replica. */
int		 db_reading(void);
/* The primary's WAL position once the request wrote there, else NULL. */
const char	*db_written_lsn(void);

/* Open the connection if need be: 0, or -1 (logged). */
int		 db_connect(void);
void		 db_close(void);
/* 1 if the last failure was the connection, not the statement. */
int		 db_failed(void);
/* SQLSTATE of the last failed statement, or "". */
const char	*db_sqlstate(void);

/* Value of column col in row, "" for NULL.  col must exist. */
const char	*db_get(const PGresult *, int row, const char *col);
long long	 db_getll(const PGresult *, int row, const char *col);
int		 db_isnull(const PGresult *, int row, const char *col);
int		 db_getbool(const PGresult *, int row, const char *col);

#endif
