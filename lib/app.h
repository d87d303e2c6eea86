/*
 * app: the life of a request in every program.  A program is a routes
 * table and its handlers; app_main serves requests as FastCGI (socket on
 * fd 0) or, when started as plain CGI, serves the one request in its
 * environment.  For each request it parses the input, loads the session,
 * refuses what is not allowed (method, login, CSRF, the route's role:
 * APP_OPERATOR, APP_ORG... below), calls the handler, rolls back
 * anything it left open and writes the response.
 */
#ifndef PARTA_APP_H
#define PARTA_APP_H

#include <stddef.h>

#include "html.h"
#include "http.h"
#include "valid.h"

struct pg_result;		/* libpq's PGresult */

#define APP_GET		0x01	/* GET and HEAD */
#define APP_POST	0x02
#define APP_LOGIN	0x04	/* logged-out visitors go to /login?next= */
#define APP_UPLOAD	0x08	/* body may be up to PARTA_MAX_UPLOAD */
/* A logged-out visitor's body, whatever the route: bytes (413 above).
 * Read after the session is known and before the CSRF check, so that
 * nobody without a session makes a program parse megabytes. */
#define APP_VISITOR_BODY_MAX	(64 * 1024)
/* Open to a logged-in person who has not agreed to the personal-data
 * policy in force; every other route sends them to /privacy/consent. */
#define APP_NOCONSENT	0x10
/* Open to a young child whose guardian has not confirmed the sign-up yet
 * (so are the APP_NOCONSENT routes); every other route sends them to
 * /me, which says what they wait for. */
#define APP_WAITING	0x20

/*
 * Who may call a route, checked by the dispatcher after the session, the
 * body and the CSRF token and before the handler.  A route with any of
 * these needs a session (a logged-out visitor goes to /login?next= as
 * with APP_LOGIN, which the table still writes).
 *
 * APP_OPERATOR: the platform operator only; anyone else gets 404, as if
 * there were no such page.
 *
 * The organization's routes, "/org/{n}/...", the first {n} being the
 * organization: the dispatcher loads the person's standing there once
 * (org_access, lib/org.h) into r->org.  Whoever is neither a member nor
 * the operator gets 404, as if the organization did not exist (never
 * 403 across organizations).  APP_ORG alone admits every member and the
 * operator, who oversees every organization without being a member; a
 * role flag admits only the members it names (any one of several flags
 * given), and refuses every other member and the operator with 403.
 * Whatever depends on the thing asked for (this class's homeroom
 * teacher, the link's maker) stays the handler's to check.
 */
#define APP_OPERATOR	0x40
#define APP_ORG		0x80	/* members and the operator */
#define APP_MEMBER	0x100	/* a member (not the operator) */
#define APP_STAFF	0x200	/* the admin or a teacher */
#define APP_REVIEWER	0x400	/* the admin or a homeroom teacher: who
				 * reviews applications, makes links */
#define APP_ADMIN	0x800	/* the organization's admin */
/*
 * APP_ONE_TRIP: a page of one round trip to PostgreSQL (issue 24).  For
 * a GET of such a route the dispatcher queues the session's lookup (a
 * visitor's too: it makes the settings for nobody) and the
 * organization's standing, and calls the handler before reading them.
 * The handler queues its statements (db_send), then admits the request
 * with app_admit, which sends everything in one round trip and checks
 * what the dispatcher checks for every other route (login, consent,
 * waiting, the route's role), and only then reads their answers:
 *
 *	list = db_send(&q_list, PGRES_TUPLES_OK, app_num(r, r->id[0]));
 *	if ((rc = app_admit(r, &answered)) != 0 || answered)
 *		return rc;
 *	if ((res = db_result(list)) == NULL)
 *		return app_db_error();
 *
 * So its statements cannot use r->user or r->org: they take the person
 * from the session in SQL (parta.rls_account(), lib/db.h), and whatever
 * depends on the person's role is decided in them, or read only when it
 * applies.  They only read (lib/db.h, db_hold_begin: the batch is
 * read-only after the lookup) and run under the row-level security of
 * the session's account, or of nobody when it is not live; a refused
 * request never reads them (db_result refuses until admitted).  A
 * handler that does not call app_admit answers 500.  A POST route may
 * be one too (POST /join/TOKEN): its handler queues what it reads
 * before app_admit, which reads the body and checks the CSRF token as
 * for any POST; what it writes it sends once admitted, in a round trip
 * of its own (the held batch is read-only).  A POST of a route flagged
 * for its GET only is admitted before its handler, as any: app_admit
 * then returns 0 at once.
 */
#define APP_ONE_TRIP	0x1000

/*
 * APP_GUEST: an organization's route ("/org/{n}/...") also open to
 * people who are no members (a guardian of its students: the handler
 * admits them, or answers 404).  The dispatcher loads the person's
 * standing there in the session's round trip, as for APP_ORG, into
 * r->org for a member or the operator, and leaves r->org NULL for
 * anyone else, whom it does not refuse.  Not with APP_ORG or a role.
 */
#define APP_GUEST	0x2000

/* The flags that make a route an organization's. */
#define APP_ORG_ROLES	(APP_MEMBER | APP_STAFF | APP_REVIEWER | APP_ADMIN)
#define APP_ORG_ANY	(APP_ORG | APP_ORG_ROLES)

/*
 * Times on pages are written by SQL functions (sql/0027_audit_sql.sql):
 * an organization's pages show its region's time
 * (parta.local_time(ts, rg.tz)); pages of people with no region of
 * their own (the operator, a person's own sessions and consents) show
 * Moscow time, named so it is not misread (parta.msk_time,
 * parta.msk_date); a page read in more than one region names the offset
 * from Moscow (parta.region_time: "02.03.2025 03:30 МСК+4").  A person's
 * own pages about their schools (/me, /me/calendar, /me/files) show
 * their schools' time when those are in one zone, so a file or an event
 * has the same time there as on the school's pages, and Moscow time
 * named so otherwise (parta.calendar_time).
 */

/*
 * A handler returns 0 when it built the response (a page or a redirect),
 * or an HTTP status for which the standard error page is shown.
 *
 * Every helper a handler calls to do part of its work answers the same
 * way: the static functions of a program, app_*, and lib's page and
 * context builders (guardian_*_ctx, home_steps_load, ..._page).  0 means
 * done, go on; anything else is an HTTP status (HTTP_*) that the caller
 * returns as it is: a failed database call is app_db_error().
 *
 *	if ((rc = classes_ctx(r, a, c, chosen, &n)) != 0)
 *		return rc;
 *
 * A helper with a value to hand back writes it through an out-parameter
 * (int org_tz(struct http_req *, const char **tz)).  A helper that may
 * answer the request itself, with a refusal's page, says so through one
 * too, and the handler stops either way:
 *
 *	if ((rc = apply_refused(r, org_name, &refused)) != 0 || refused)
 *		return rc;
 *
 * Never -1, a negative status, or a 1 or 2 with a meaning of its own.
 * Three kinds of functions answer otherwise, as their headers say: the
 * layers under the programs (db_*, auth_*, outbox_*, audit_*, store_*:
 * 0 or -1, and the handler answers app_db_error()); lib's rules with an
 * enum of refusals (member_*, guardian_*, code_*), mapped to a status by
 * member_http_status and guardian_http_status; and predicates and form
 * checks (1 or 0; app_form's number of errors).
 *
 * Transactions.  A handler that changes things calls db_begin() and,
 * when everything is done, app_commit().  Whatever a handler leaves open
 * when it returns is rolled back by the dispatcher, so a refusal or a
 * failure just returns; no handler rolls back.  A refusal answered with
 * a page that reads the database again, after a statement failed (the
 * transaction can run no more) or after changes the page must not show,
 * is built by one function of the program that starts with
 * app_rollback(): once per page, not at each refusal.
 */
typedef int (*app_handler)(struct http_req *);

struct app_route {
	unsigned	 flags;
	/* "/org/{n}/classes/{n}": {n} a positive number into r->id[],
	 * {token} [A-Za-z0-9_-]{1,128} into r->arg[], in order. */
	const char	*pattern;
	app_handler	 handler;
};

/*
 * Serve the routes (argc and argv are main's).  "PROGRAM --routes", run
 * by hand and not as CGI, prints the table instead, one line per route
 * and method: "GET<TAB>/org/{n}/edit<TAB>APP_LOGIN|APP_ADMIN" (the
 * access matrix test reads it).  A table that gives a role to a route
 * that is not an organization's, or none of APP_LOGIN, is refused at
 * start.
 */
int		 app_main(const char *program, const struct app_route *,
		    size_t nroutes, int argc, char *argv[]);

/* Admit the request of an APP_ONE_TRIP route (above): 0 admitted (the
 * handler reads its statements' answers), or the request is answered
 * already: a status to return, or 0 with *answered 1 (sent to log in,
 * to agree to the policy, to /me).  Any other request: 0 at once. */
int		 app_admit(struct http_req *, int *answered);
/* A new page context with what every page needs (user, user_gender,
 * csrf, menu). */
struct html_ctx	*app_ctx(struct http_req *);
/* Render template tpl inside the layout with status: returns 0. */
int		 app_page(struct http_req *, int status, const char *tpl,
		    struct html_ctx *);
/*
 * The page of its own that a destructive action asks to confirm on, no
 * JavaScript needed (template confirm.html): the GET of the action's
 * URL answers it, the POST does the thing.  c holds the title, what
 * will happen in plain words (lead; a list of points, each item's
 * text; note) and any hidden field (a list of fields, name and value);
 * this adds the form posting to action with the csrf token, the button's
 * words and the way back.  Returns 0.
 */
int		 app_confirm(struct http_req *, struct html_ctx *,
		    const char *action, const char *button, const char *back);
/* Add one point to the confirmation page's list. */
void		 app_confirm_point(struct html_ctx *, const char *text);
/*
 * Answer status with the site's error page saying text (a sentence for
 * the person: why, and what they can do) under title, instead of the
 * status's usual words (NULL keeps them): a 403 that tells a reader why
 * a page is not for them.  Returns status, for the handler to return.
 */
int		 app_refuse(struct http_req *, int status, const char *title,
		    const char *text);
/* Redirect (303) to a local path: returns 0. */
int		 app_redirect(struct http_req *, const char *location);
/* 413 with the page a body past an upload route's limit gets: the
 * limit (PARTA_MAX_UPLOAD, in МБ) and what to do.  For the web server's
 * own refusal of a body past its limit, which it answers with this page
 * (nginx's error_page 413, Apache's ErrorDocument 413: cgi-bin/files.c,
 * /files/too-large). */
int		 app_upload_too_large(struct http_req *);
struct csv;
/* Answer the request with a CSV download instead of a page: status 200,
 * the body emptied and started as csv's document (lib/csv: UTF-8 with a
 * BOM, for Russian Excel), Content-Type text/csv and Content-Disposition
 * attachment named filename (ASCII letters, digits, '-', '.' only: it
 * goes into the header as it is).  The caller writes the rows and
 * returns 0. */
void		 app_csv(struct http_req *, struct csv *, const char *filename);
/* Validate the request's form against fields, putting each value and
 * error into ctx as NAME and NAME_error: the number of errors. */
int		 app_form(struct http_req *, const struct valid_field *,
		    size_t n, struct valid_result *, struct html_ctx *);
/* Commit, then deliver queued messages: 0, or the status of a failed
 * commit (app_db_error()). */
int		 app_commit(struct http_req *);
/* Roll back the request's transaction now rather than when the handler
 * returns, for the page of a refusal that reads the database again (see
 * "Transactions" above).  Does nothing outside a transaction. */
void		 app_rollback(void);
/*
 * Call fn(arg, committed) once the request's changes are settled:
 * committed 1 right after app_commit succeeded, 0 at app_rollback() or
 * when the request ends without a commit.  For what lives outside the
 * database and must follow it (lib/file): bytes stored before the row
 * that names them, removed again unless the row committed; bytes to
 * remove once the row that named them is gone.  arg must live until
 * then (the request's pool).  0, or -1 when APP_DEFER_MAX are waiting
 * already (logged): the caller gives up, as on a database fault.
 */
#define APP_DEFER_MAX	64
int		 app_defer(void (*fn)(void *arg, int committed), void *arg);
/* The status for a failed database call: 503 when the connection is
 * gone, else 500.  The dispatcher rolls back what is left open. */
int		 app_db_error(void);
/* A number as a query parameter (from the request's pool). */
const char	*app_num(struct http_req *, long long);
/* Where a person going to chat id lands: its newest messages, scrolled
 * to the last of them ("/chats/ID#end"; the templates' links to a chat
 * say the same, and html/static/parta.css keeps the messages above
 * #end in view).  From r's pool. */
const char	*app_chat_href(struct http_req *, long long id);
/* 1 if next is a safe local path to return to after login. */
int		 app_local_path(const char *next);
/* The origin of links handed out: PARTA_BASE_URL (a program does not
 * start without it; never the request's Host header, which the client
 * writes).  Static, not to be freed. */
const char	*app_base_url(struct http_req *);
/* 1 if PARTA_SECRET may derive links (crypto_link_*); logs when not. */
int		 app_secret_ok(void);
/* Copy columns of row into c under their own names (text, "" for NULL);
 * the list of column names ends with NULL. */
void		 app_set_cols(struct html_ctx *, const struct pg_result *,
		    int row, ...) __attribute__((sentinel));

#endif
