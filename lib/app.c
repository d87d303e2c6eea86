#include <fcgiapp.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "crypto.h"
#include "csv.h"
#include "db.h"
#include "log.h"
#include "org.h"
#include "outbox.h"
#include "pool.h"

/* Templates: parsed once at start-up, read-only afterwards. */
/* Blocks from this size up are mapped on their own (app_main). */
#define APP_MMAP_THRESHOLD	(256 * 1024)

static struct html_set	*app_templates;

struct app_error_text {
	int		 status;
	const char	*title;
	const char	*text;
};

static const struct app_error_text app_errors[] = {
	{ 400, "Неверный запрос",
	    "Запрос повреждён или содержит недопустимые символы." },
	{ 403, "Доступ запрещён",
	    "У вас нет прав на это действие. Если форма была открыта давно, "
	    "обновите страницу и попробуйте ещё раз." },
	{ 404, "Страница не найдена",
	    "Такой страницы нет, или у вас нет к ней доступа." },
	{ 405, "Метод не поддерживается",
	    "Эта страница не принимает такой запрос." },
	{ 409, "Уже сделано", "Это действие уже выполнено." },
	{ 410, "Ссылка больше не действует",
	    "Срок действия ссылки истёк, или она отозвана." },
	{ 413, "Слишком большой файл",
	    "Размер отправленных данных превышает допустимый." },
	{ 415, "Неподдерживаемый формат", "Форма отправлена в неизвестном "
	    "формате." },
	{ 429, "Слишком много попыток",
	    "Подождите немного и попробуйте снова." },
	{ 500, "Ошибка сервера",
	    "Что-то пошло не так. Мы уже знаем об этом; попробуйте позже." },
	{ 503, "Сервис временно недоступен",
	    "Идут технические работы. Попробуйте через минуту." },
};

const char *
app_chat_href(struct http_req *r, long long id)
{
	return pool_printf(r->pool, "/chats/%lld#end", id);
}

const char *
app_num(struct http_req *r, long long n)
{
	return pool_printf(r->pool, "%lld", n);
}

const char *
app_base_url(struct http_req *r)
{
	(void)r;
	return config->base_url;
}

/* Whether PARTA_BASE_URL is an http:// or https:// address. */
static int
app_base_url_ok(void)
{
	const char	*u = config->base_url;

	return u != NULL && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0) && strchr(u, '/')[2] != '\0';
}

int
app_secret_ok(void)
{
	if (!crypto_link_secret_ok(config->secret)) {
		log_err("config", "PARTA_SECRET is not set or shorter than %d "
		    "bytes: links cannot be made or shown", CRYPTO_SECRET_MIN);
		return 0;
	}
	return 1;
}

void
app_set_cols(struct html_ctx *c, const PGresult *res, int row, ...)
{
	const char	*col;
	va_list		 ap;

	va_start(ap, row);
	/* A result's values last until db_release, after the page. */
	while ((col = va_arg(ap, const char *)) != NULL)
		html_set_ref(c, col, db_get(res, row, col));
	va_end(ap);
}

int
app_local_path(const char *next)
{
	/* "/x" but not "//host" or "/\host", which browsers treat as
	 * another site, and nothing with control characters. */
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\')
		return 0;
	for (; *next != '\0'; next++)
		if ((unsigned char)*next < 0x20 || *next == 0x7f ||
		    *next == '\\')
			return 0;
	return 1;
}

/* The signed-in person of the header into c (head.html), if any. */
static void
app_ctx_user(struct http_req *r, struct html_ctx *c)
{
	if (r->user != NULL) {
		html_set_bool(c, "logged_in", 1);
		/* Last name first, as every other page names a person. */
		html_set_str(c, "user_name", pool_printf(r->pool, "%s %s",
		    r->user->last_name, r->user->first_name));
		/* The person's own words agree with them:
		 * {{gender user_gender ...}}. */
		html_set_str(c, "user_gender", r->user->gender);
		html_set_bool(c, "is_operator", r->user->is_operator);
	}
}

struct html_ctx *
app_ctx(struct http_req *r)
{
	struct html_ctx	*c;

	c = html_ctx_new(r->pool);
	auth_csrf_prepare(r);
	html_set_str(c, "csrf", r->csrf);
	app_ctx_user(r, c);
	return c;
}

int
app_page(struct http_req *r, int status, const char *tpl,
    struct html_ctx *c)
{
	r->status = status;
	buf_reset(&r->body);
	http_header(r, "Content-Type", "text/html; charset=utf-8");
	if (html_render(app_templates, tpl, c, &r->body) == -1) {
		log_err("template", "no template %s", tpl);
		buf_reset(&r->body);
		r->status = HTTP_SERVER_ERROR;
		buf_puts(&r->body, "Internal Server Error\n");
	}
	return 0;
}

int
app_confirm(struct http_req *r, struct html_ctx *c, const char *action,
    const char *button, const char *back)
{
	html_set_str(c, "confirm_action", action);
	html_set_str(c, "confirm_button", button);
	html_set_str(c, "confirm_back", back);
	return app_page(r, HTTP_OK, "confirm", c);
}

void
app_confirm_point(struct html_ctx *c, const char *text)
{
	html_set_str(html_list_add(c, "points"), "text", text);
}

int
app_redirect(struct http_req *r, const char *location)
{
	http_redirect(r, location);
	return 0;
}

void
app_csv(struct http_req *r, struct csv *csv, const char *filename)
{
	r->status = HTTP_OK;
	buf_reset(&r->body);
	http_header(r, "Content-Type", "text/csv; charset=utf-8");
	http_header(r, "Content-Disposition", pool_printf(r->pool,
	    "attachment; filename=\"%s\"", filename));
	csv_begin(csv, &r->body);
}

static const char *
app_form_get(void *arg, const char *name)
{
	return http_form(arg, name);
}

int
app_form(struct http_req *r, const struct valid_field *f, size_t n,
    struct valid_result *res, struct html_ctx *c)
{
	size_t	 i;
	int	 errors;

	errors = valid_form(f, n, app_form_get, r, res);
	for (i = 0; i < n; i++) {
		html_set_str(c, f[i].name, res[i].value);
		if (res[i].error != NULL)
			html_set_str(c, pool_printf(r->pool, "%s_error",
			    f[i].name), res[i].error);
	}
	if (errors > 0)
		html_set_bool(c, "form_errors", 1);
	return errors;
}

static struct {
	void	(*fn)(void *, int);
	void	*arg;
} app_deferred[APP_DEFER_MAX];
static size_t	app_ndeferred;

int
app_defer(void (*fn)(void *, int), void *arg)
{
	if (app_ndeferred == APP_DEFER_MAX) {
		log_err("app", "more than %d deferred calls", APP_DEFER_MAX);
		return -1;
	}
	app_deferred[app_ndeferred].fn = fn;
	app_deferred[app_ndeferred].arg = arg;
	app_ndeferred++;
	return 0;
}

/* Settle what app_defer holds, in order. */
static void
app_settle(int committed)
{
	size_t	 i, n = app_ndeferred;

	app_ndeferred = 0;
	for (i = 0; i < n; i++)
		app_deferred[i].fn(app_deferred[i].arg, committed);
}

int
app_commit(struct http_req *r)
{
	(void)r;
	if (db_commit() == -1)
		return app_db_error();
	app_settle(1);
	outbox_flush();
	return 0;
}

void
app_rollback(void)
{
	db_rollback();
	app_settle(0);
}

int
app_db_error(void)
{
	return db_failed() ? HTTP_UNAVAILABLE : HTTP_SERVER_ERROR;
}

/* The body limit of the route being served (0 before one is known):
 * what its 413 page says. */
static size_t	app_body_limit;
/* The words of this request's error page when its handler chose them
 * (app_refuse), else NULL. */
static const char	*app_refused_title, *app_refused_text;

int
app_refuse(struct http_req *r, int status, const char *title,
    const char *text)
{
	(void)r;
	app_refused_title = title;
	app_refused_text = text;
	return status;
}

/*
 * The upload forms, by the path their POST goes to: the page of the
 * form, for the way back from a 413 (a body past a limit, nginx's or
 * ours: the browser shows our page instead of the form, and without
 * JavaScript nothing of the form is left on the screen).  Built from
 * the request's own path and the numbers in it, never from a Referer.
 */
static const struct {
	const char	*post;		/* an app_match pattern */
	const char	*form;		/* its ids, %lld each, in order */
} app_upload_forms[] = {
	{ "/me/files", "/me/files" },
	{ "/chats/{n}/messages", "/chats/%lld" },
	{ "/org/{n}/materials/new", "/org/%lld/materials/new" },
	{ "/org/{n}/materials/{n}/edit", "/org/%lld/materials/%lld" },
	{ "/org/{n}/roster", "/org/%lld/roster" },
	{ "/org/{n}/invites/bulk", "/org/%lld/invites/bulk" },
	{ "/register/org", "/register/org" },
};

static int	app_match(struct http_req *, const char *, const char *);

/* The form page of the upload whose body was refused (REQUEST_URI: the
 * refused request's, also when the web server's error page answers
 * it), or NULL when it is none of app_upload_forms. */
static const char *
app_upload_back(struct http_req *r)
{
	const char	*uri = http_param(r, "REQUEST_URI");
	char		*path;
	size_t		 i;

	if (uri == NULL)
		return NULL;
	path = pool_strndup(r->pool, uri, strcspn(uri, "?#"));
	for (i = 0; i < sizeof(app_upload_forms) /
	    sizeof(app_upload_forms[0]); i++)
		if (app_match(r, app_upload_forms[i].post, path))
			return pool_printf(r->pool, app_upload_forms[i].form,
			    r->id[0], r->id[1]);
	return NULL;
}

static void
app_error_page(struct http_req *r, int status)
{
	struct html_ctx	*c;
	const char	*back;
	size_t		 i;

	/* The session may be unknown (database down): show no user; a
	 * known one as every page shows them (a 413 too). */
	c = html_ctx_new(r->pool);
	if (r->csrf != NULL)
		html_set_str(c, "csrf", r->csrf);
	app_ctx_user(r, c);
	html_set_int(c, "status", status);
	for (i = 0; i < sizeof(app_errors) / sizeof(app_errors[0]); i++)
		if (app_errors[i].status == status) {
			html_set_str(c, "title", app_errors[i].title);
			html_set_str(c, "message", app_errors[i].text);
			break;
		}
	if (i == sizeof(app_errors) / sizeof(app_errors[0])) {
		html_set_str(c, "title", "Ошибка");
		html_set_str(c, "message", http_reason(status));
	}
	/* A page refused (reading): not a form's action, nothing to
	 * refresh. */
	if (status == HTTP_FORBIDDEN && r->method != NULL &&
	    strcmp(r->method, "POST") != 0) {
		html_set_str(c, "title", "Нет доступа");
		html_set_str(c, "message", "У вас нет доступа к этой "
		    "странице. Если она вам нужна, спросите того, кто дал "
		    "ссылку, или администратора организации.");
	}
	/* A body past an upload route's limit: the limit, and the way
	 * back to the form (the browser's «Назад» keeps what was
	 * typed; the link opens the form again). */
	if (status == HTTP_TOO_LARGE && app_body_limit != 0 &&
	    app_body_limit == config->max_upload) {
		html_set_str(c, "message", pool_printf(r->pool,
		    "Файл больше %zu МБ: такие Парта не принимает. Вернитесь "
		    "назад (кнопка «Назад» в браузере) и выберите файл "
		    "поменьше или отправьте файлы по одному.",
		    (config->max_upload + (1 << 20) - 1) >> 20));
		if ((back = app_upload_back(r)) != NULL)
			html_set_str(c, "back", back);
	}
	if (app_refused_title != NULL)
		html_set_str(c, "title", app_refused_title);
	if (app_refused_text != NULL)
		html_set_str(c, "message", app_refused_text);
	buf_reset(&r->head);
	r->csp = NULL;
	(void)app_page(r, status, "error", c);
}

int
app_upload_too_large(struct http_req *r)
{
	(void)r;
	app_body_limit = config->max_upload;
	return HTTP_TOO_LARGE;
}

/* Match path against pattern, filling r->id and r->arg: 1 or 0. */
static int
app_match(struct http_req *r, const char *pat, const char *path)
{
	int		 nid = 0, narg = 0;
	long long	 v;
	size_t		 n;

	while (*pat != '\0') {
		if (strncmp(pat, "{n}", 3) == 0) {
			if (*path < '1' || *path > '9' || nid == 4)
				return 0;
			for (v = 0, n = 0; path[n] >= '0' && path[n] <= '9';
			    n++) {
				if (n == 17)
					return 0;
				v = v * 10 + (path[n] - '0');
			}
			r->id[nid++] = v;
			path += n;
			pat += 3;
		} else if (strncmp(pat, "{token}", 7) == 0) {
			n = strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789-_");
			if (n == 0 || n > 128 || narg == 4)
				return 0;
			r->arg[narg++] = pool_strndup(r->pool, path, n);
			path += n;
			pat += 7;
		} else if (*pat++ != *path++)
			return 0;
	}
	return *path == '\0';
}

/*
 * Whether the person may call a route with flags (lib/app.h): 0, or the
 * status that refuses them.  An organization's route loads their
 * standing into r->org.
 */
static int
app_allowed(struct http_req *r, unsigned flags, struct db_query *org)
{
	struct org_access	*a;
	int			 rc;

	if (!(flags & (APP_OPERATOR | APP_ORG_ANY | APP_GUEST)))
		return 0;
	if (r->user == NULL)
		return HTTP_NOT_FOUND;
	if ((flags & APP_OPERATOR) && !r->user->is_operator)
		return HTTP_NOT_FOUND;
	if (!(flags & (APP_ORG_ANY | APP_GUEST)))
		return 0;
	a = pool_alloc(r->pool, sizeof(*a));
	rc = org == NULL ? org_access(r, r->id[0], a) :
	    org_access_read(r, org, r->id[0], a);
	/* No member: the handler decides (a guardian, or 404). */
	if (rc == HTTP_NOT_FOUND && (flags & APP_GUEST))
		return 0;
	if (rc != 0)
		return rc;
	r->org = a;
	if (flags & APP_GUEST)
		return 0;
	if (!(flags & APP_ORG_ROLES) ||
	    ((flags & APP_MEMBER) && a->role[0] != '\0') ||
	    ((flags & APP_STAFF) && (a->is_admin || a->is_teacher)) ||
	    ((flags & APP_REVIEWER) && a->can_review) ||
	    ((flags & APP_ADMIN) && a->is_admin))
		return 0;
	return HTTP_FORBIDDEN;
}

/*
 * A route's request once its session and standing are read: sent to
 * log in, to agree to the policy or to /me (*answered 1, 0 returned),
 * refused (a status), or admitted (0), its body read and its CSRF token
 * checked.
 */
static int
app_check(struct http_req *r, const struct app_route *rt, unsigned want,
    struct db_query *session, struct db_query *org, int *answered)
{
	size_t	 limit;
	int	 rc;

	*answered = 0;
	if (auth_session_load(r, session) == -1)
		return app_db_error();
	if ((rt->flags & (APP_LOGIN | APP_OPERATOR | APP_ORG_ANY)) &&
	    r->user == NULL) {
		const char *next = r->path;

		if (want == APP_GET && r->query_string[0] != '\0')
			next = pool_printf(r->pool, "%s?%s", r->path,
			    r->query_string);
		*answered = 1;
		return app_redirect(r, pool_printf(r->pool, "/login?next=%s",
		    http_urlencode(r->pool, next)));
	}
	if (r->user != NULL && !r->user->consent_ok &&
	    !(rt->flags & APP_NOCONSENT)) {
		/* A new version of the policy: agree first (152-FZ).  A
		 * refused POST changes nothing. */
		*answered = 1;
		if (want != APP_GET)
			return app_redirect(r, "/privacy/consent");
		return app_redirect(r, pool_printf(r->pool,
		    "/privacy/consent?next=%s", http_urlencode(r->pool,
		    r->query_string[0] != '\0' ? pool_printf(r->pool,
		    "%s?%s", r->path, r->query_string) : r->path)));
	}
	if (r->user != NULL && r->user->waiting &&
	    !(rt->flags & (APP_WAITING | APP_NOCONSENT))) {
		/* A young child's account does nothing until a guardian
		 * confirms it (sql/0017_guardians.sql); a refused POST
		 * changes nothing. */
		*answered = 1;
		return app_redirect(r, "/me");
	}
	limit = rt->flags & APP_UPLOAD ? config->max_upload : config->max_body;
	if (r->user == NULL && limit > APP_VISITOR_BODY_MAX)
		limit = APP_VISITOR_BODY_MAX;
	app_body_limit = limit;
	/* A GET's body is not parsed, whatever CONTENT_LENGTH says: nginx's
	 * error_page 413 passes on the refused POST's length, with no
	 * body (/files/too-large). */
	if (want != APP_POST)
		http_body_drop(r);
	else if ((rc = http_body(r, limit)) != 0)
		return rc;
	if (want == APP_POST && !auth_csrf_ok(r))
		return HTTP_FORBIDDEN;
	return app_allowed(r, rt->flags, org);
}

/* The request an APP_ONE_TRIP handler is to admit (app_admit): its
 * route (NULL: none waits), and whether the handler asked. */
static struct {
	const struct app_route	*rt;
	struct db_query		*session, *org;
	unsigned		 want;	/* APP_GET or APP_POST */
	int			 asked;
} app_waiting;

int
app_admit(struct http_req *r, int *answered)
{
	const struct app_route	*rt = app_waiting.rt;
	int			 rc;

	*answered = 0;
	if (rt == NULL)
		return 0;
	app_waiting.rt = NULL;
	app_waiting.asked = 1;
	/* What the checks themselves run is not held; the page's
	 * statements stay held unless the request is admitted. */
	db_hold_end(0);
	if ((rc = app_check(r, rt, app_waiting.want, app_waiting.session,
	    app_waiting.org, answered)) != 0 || *answered)
		return rc;
	db_hold_end(1);
	return 0;
}

static int
app_dispatch(struct http_req *r, const struct app_route *routes, size_t n)
{
	const struct app_route	*rt = NULL;
	struct db_query		*session, *org = NULL;
	unsigned		 want;
	size_t			 i;
	int			 rc, path_found = 0, one_trip, answered;

	if ((rc = http_start(r)) != 0)
		return rc;
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		want = APP_GET;
	else if (strcmp(r->method, "POST") == 0)
		want = APP_POST;
	else
		want = 0;
	for (i = 0; i < n; i++) {
		if (!app_match(r, routes[i].pattern, r->path))
			continue;
		path_found = 1;
		if (routes[i].flags & want) {
			rt = &routes[i];
			break;
		}
	}
	if (rt == NULL)
		return path_found ? HTTP_METHOD_NOT_ALLOWED : HTTP_NOT_FOUND;

	/* A read-only request may read from the replica (lib/db.h). */
	if (want == APP_GET)
		db_request(1, http_cookie(r, DB_LSN_COOKIE));
	/* The session comes from a cookie, before any body is read: a
	 * visitor's body is small, whatever the route.  An organization's
	 * route asks for the person's standing there in the same round
	 * trip (the statement reads the account the session's lookup sets
	 * before it; a refused request never reads its answer).  A page of
	 * one round trip (APP_ONE_TRIP) always looks a session up, a
	 * visitor's too: its statements, queued after, run for the
	 * session's account or for nobody, never for the connection's
	 * previous request.  A POST of one is admitted (its body read, its
	 * CSRF token checked) by app_admit too: what it reads goes with
	 * the lookup, what it writes after. */
	one_trip = want != 0 && (rt->flags & APP_ONE_TRIP);
	session = auth_session_send(r, one_trip);
	if (session != NULL && (rt->flags & (APP_ORG_ANY | APP_GUEST)))
		org = org_access_send(r, r->id[0]);
	if (one_trip) {
		/* The handler queues its statements, held, then admits
		 * the request (app_admit): all of it one round trip. */
		db_hold_begin(session);
		app_waiting.rt = rt;
		app_waiting.session = session;
		app_waiting.org = org;
		app_waiting.want = want;
		app_waiting.asked = 0;
		rc = rt->handler(r);
		app_waiting.rt = NULL;
		if (!app_waiting.asked) {
			log_err("app", "%s: the handler did not call "
			    "app_admit", rt->pattern);
			return HTTP_SERVER_ERROR;
		}
		return rc;
	}
	if ((rc = app_check(r, rt, want, session, org, &answered)) != 0 ||
	    answered)
		return rc;
	return rt->handler(r);
}

static void
app_serve(struct http_req *r, const struct app_route *routes, size_t n)
{
	const char	*lsn;
	int		 rc;

	r->status = HTTP_OK;
	app_body_limit = 0;
	app_refused_title = app_refused_text = NULL;
	/* The route is logged before parsing, so it is the raw URI path. */
	log_set_route(http_param(r, "DOCUMENT_URI"));
	db_request(0, NULL);
	rc = app_dispatch(r, routes, n);
	if (db_in_transaction()) {
		/* A handler that returned without committing changes
		 * nothing. */
		db_rollback();
	}
	app_settle(0);
	if (rc == HTTP_METHOD_NOT_ALLOWED)
		http_header(r, "Allow", "GET, HEAD, POST");
	if (rc != 0)
		app_error_page(r, rc);
	/* What the person changed, their next pages read (lib/db.h): an
	 * hour is far beyond any lag a working replica has. */
	if ((lsn = db_written_lsn()) != NULL)
		http_set_cookie(r, DB_LSN_COOKIE, lsn, 3600);
	/* What a test holds a page to (lib/db.h): the request's round
	 * trips to PostgreSQL. */
	if (config->debug_round_trips)
		http_header(r, "X-Parta-Round-Trips",
		    pool_printf(r->pool, "%d", db_round_trips()));
	http_send(r);
}

static void
app_reset(struct http_req *r, struct pool *pool)
{
	struct buf	 head = r->head, body = r->body;

	/* The request's results go with its pool (lib/db.h). */
	db_release();
	pool_clear(pool);
	memset(r, 0, sizeof(*r));
	r->pool = pool;
	r->head = head;
	r->body = body;
	buf_reset(&r->head);
	/* A body that held a file goes, not kept for the next request. */
	if (r->body.cap > APP_MMAP_THRESHOLD) {
		buf_free(&r->body);
		buf_init(&r->body);
	} else
		buf_reset(&r->body);
}

/*
 * Let nginx's connection go as soon as the answer is written.  On its
 * own, libfcgi closes with a lingering close: shutdown, then wait (up to
 * 2 s) for nginx to close its end, reading whatever input is left, so
 * that unread input cannot reset the connection.  That wait costs every
 * request one more wakeup of this worker and keeps it from the next
 * request meanwhile.  nginx sends the whole request before it reads the
 * answer, so what is left of it (the empty record ending the body, at
 * least) is already here: read it, then close without waiting.  A large
 * body the handler refused (413) stays unread: libfcgi lingers then.
 */
static void
app_release(FCGX_Request *fr)
{
	char	 junk[4096];
	int	 left = 65536;

	while (left > 0 && FCGX_GetStr(junk, sizeof(junk), fr->in) > 0)
		left -= (int)sizeof(junk);
	if (FCGX_HasSeenEOF(fr->in) == EOF)
		FCGX_Detach(fr);
}

/* The flags a routes table may hold, by name, as --routes prints them. */
static const struct {
	unsigned	 flag;
	const char	*name;
} app_flag_names[] = {
	{ APP_LOGIN, "APP_LOGIN" },
	{ APP_UPLOAD, "APP_UPLOAD" },
	{ APP_NOCONSENT, "APP_NOCONSENT" },
	{ APP_WAITING, "APP_WAITING" },
	{ APP_OPERATOR, "APP_OPERATOR" },
	{ APP_ORG, "APP_ORG" },
	{ APP_MEMBER, "APP_MEMBER" },
	{ APP_STAFF, "APP_STAFF" },
	{ APP_REVIEWER, "APP_REVIEWER" },
	{ APP_ADMIN, "APP_ADMIN" },
	{ APP_ONE_TRIP, "APP_ONE_TRIP" },
	{ APP_GUEST, "APP_GUEST" },
};

/* The routes table, one line per route and method (lib/app.h). */
static int
app_print_routes(const struct app_route *routes, size_t n)
{
	static const struct { unsigned flag; const char *name; } method[] = {
		{ APP_GET, "GET" }, { APP_POST, "POST" }
	};
	size_t		 i, k, f;
	const char	*sep;

	for (i = 0; i < n; i++)
		for (k = 0; k < sizeof(method) / sizeof(method[0]); k++) {
			if (!(routes[i].flags & method[k].flag))
				continue;
			printf("%s\t%s\t", method[k].name,
			    routes[i].pattern);
			sep = "";
			for (f = 0; f < sizeof(app_flag_names) /
			    sizeof(app_flag_names[0]); f++)
				if (routes[i].flags & app_flag_names[f].flag) {
					printf("%s%s", sep,
					    app_flag_names[f].name);
					sep = "|";
				}
			printf("%s\n", sep[0] == '\0' ? "-" : "");
		}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

/* A table the dispatcher can keep: a role only on an organization's
 * route ("/org/{n}..."), and with APP_LOGIN.  0, or -1 (logged). */
static int
app_routes_ok(const struct app_route *routes, size_t n)
{
	unsigned	 known = APP_GET | APP_POST;
	size_t		 i, f;

	for (f = 0; f < sizeof(app_flag_names) / sizeof(app_flag_names[0]);
	    f++)
		known |= app_flag_names[f].flag;
	for (i = 0; i < n; i++) {
		if ((routes[i].flags & ~known) ||
		    !(routes[i].flags & (APP_GET | APP_POST))) {
			log_err("start", "route %s: unknown flags or no "
			    "method", routes[i].pattern);
			return -1;
		}
		if ((routes[i].flags & (APP_OPERATOR | APP_ORG_ANY)) &&
		    !(routes[i].flags & APP_LOGIN)) {
			log_err("start", "route %s: a role without APP_LOGIN",
			    routes[i].pattern);
			return -1;
		}
		if ((routes[i].flags & APP_GUEST) &&
		    ((routes[i].flags & (APP_ORG_ANY | APP_OPERATOR)) ||
		    !(routes[i].flags & APP_LOGIN))) {
			log_err("start", "route %s: APP_GUEST with a role, or "
			    "without APP_LOGIN", routes[i].pattern);
			return -1;
		}
		if ((routes[i].flags & (APP_ORG_ANY | APP_GUEST)) &&
		    (strncmp(routes[i].pattern, "/org/{n}", 8) != 0 ||
		    (routes[i].pattern[8] != '\0' &&
		    routes[i].pattern[8] != '/'))) {
			log_err("start", "route %s: an organization's role on "
			    "a route not under /org/{n}", routes[i].pattern);
			return -1;
		}
	}
	return 0;
}

int
app_main(const char *program, const struct app_route *routes,
    size_t nroutes, int argc, char *argv[])
{
	FCGX_Request	 fr;
	struct http_req	 r;
	struct pool	*pool;

	/* Asked by hand, never as CGI (a server may pass a query string
	 * without '=' as arguments). */
	if (argc == 2 && strcmp(argv[1], "--routes") == 0 &&
	    getenv("GATEWAY_INTERFACE") == NULL)
		return app_print_routes(routes, nroutes);
	log_init(program);
	signal(SIGPIPE, SIG_IGN);
	/* A large block (an upload's body, a file served) is its own
	 * mapping, given back when freed: glibc would otherwise raise the
	 * threshold after the first such free and keep later ones in a
	 * heap it does not shrink, so a worker grew with every upload
	 * (bench/files.sh). */
	(void)mallopt(M_MMAP_THRESHOLD, APP_MMAP_THRESHOLD);
	if (app_routes_ok(routes, nroutes) == -1)
		return 1;
	if (config_load() == -1)
		return 1;
	if (!app_base_url_ok()) {
		/* Links are never built from the request's Host header,
		 * which the client writes. */
		log_err("start", "PARTA_BASE_URL is not set to an http:// or "
		    "https:// address: links cannot be made");
		return 1;
	}
	if ((app_templates = html_set_load(config->templates)) == NULL) {
		log_err("start", "cannot load templates from %s",
		    config->templates);
		return 1;
	}
	pool = pool_new();
	memset(&r, 0, sizeof(r));
	buf_init(&r.head);
	buf_init(&r.body);

	if (FCGX_IsCGI()) {
		app_reset(&r, pool);
		app_serve(&r, routes, nroutes);
		goto out;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0) {
		log_err("start", "cannot initialise FastCGI");
		return 1;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		app_reset(&r, pool);
		r.fcgi = &fr;
		r.envp = fr.envp;
		app_serve(&r, routes, nroutes);
		app_release(&fr);
		FCGX_Finish_r(&fr);
	}
out:
	db_release();
	db_close();
	buf_free(&r.head);
	buf_free(&r.body);
	pool_free(pool);
	html_set_free(app_templates);
	return 0;
}
