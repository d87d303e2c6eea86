/*
 * session: log in and log out.  scrypt is slow on purpose, so this
 * program has its own workers and never starves the others.
 *
 * Throttling runs before scrypt: PARTA_LOGIN_MAX_FAIL failed attempts
 * for one login within PARTA_LOGIN_WINDOW minutes give 429 for that
 * login, and a much higher per-address limit keeps one machine from
 * trying many accounts while a whole school behind one NAT still gets
 * in.  Every failure reads the same, whether the account exists or not.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "pool.h"

static int	login_form(struct http_req *);
static int	login_submit(struct http_req *);
static int	logout(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET, "/login", login_form },
	{ APP_POST, "/login", login_submit },
	{ APP_POST | APP_LOGIN | APP_NOCONSENT, "/logout", logout },
};

static const char login_wrong[] = "Неверный логин или пароль";

/* A verified owner of the phone wins over unverified sign-ups of it. */
static const struct db_stmt q_by_phone = {
	"session_by_phone",
	"SELECT id, password_hash FROM parta.account WHERE phone = $1"
	" ORDER BY phone_verified DESC, id DESC LIMIT 1"
};

/* Where a person lands after logging in: their organization, when they
 * belong to exactly one. */
static const struct db_stmt q_landing = {
	"session_landing",
	"SELECT min(org_id) AS org_id, count(*) AS n FROM parta.member"
	" WHERE account_id = $1"
};

static const struct db_stmt q_by_email = {
	"session_by_email",
	"SELECT id, password_hash FROM parta.account WHERE email = $1"
	" ORDER BY email_verified DESC, id DESC LIMIT 1"
};

static void
login_ctx(struct http_req *r, struct html_ctx *c)
{
	const char	*next = http_form(r, "next");

	if (next == NULL)
		next = http_query(r, "next");
	html_set_str(c, "title", "Вход");
	if (app_local_path(next)) {
		html_set_str(c, "next", next);
		html_set_str(c, "next_enc", http_urlencode(r->pool, next));
	}
}

/*
 * GET /login[?next=/local/path]
 * Anyone.  The login form; a logged-in visitor goes on to next or /me.
 */
static int
login_form(struct http_req *r)
{
	struct html_ctx	*c;
	const char	*next = http_query(r, "next");

	if (r->user != NULL)
		return app_redirect(r, app_local_path(next) ? next : "/me");
	c = app_ctx(r);
	login_ctx(r, c);
	return app_page(r, HTTP_OK, "login", c);
}

/* The normalised login ("+7…" or an e-mail), or NULL if it is neither. */
static const char *
login_normalise(struct http_req *r, const char *in, int *is_phone)
{
	char	 out[VALID_MAX];

	if (in == NULL)
		return NULL;
	if (valid_phone(in, out, sizeof(out)) == NULL) {
		*is_phone = 1;
		return pool_strdup(r->pool, out);
	}
	if (valid_email(in, out, sizeof(out)) == NULL) {
		*is_phone = 0;
		return pool_strdup(r->pool, out);
	}
	return NULL;
}

/*
 * POST /login   fields: login password next
 * Anyone.  Starts a session; 303 to next (a local path), else to the
 * person's organization when they belong to exactly one, else /me.  Wrong
 * login or password: 422 with one message for both; too many failures:
 * 429 before any password is checked.
 */
static int
login_submit(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*login, *pw, *key, *addr_key, *next, *hash = NULL;
	PGresult	*res = NULL;
	long long	 id = 0;
	int		 is_phone = 0, ok, n;

	login_ctx(r, c);
	html_set_str(c, "login", http_form(r, "login"));
	pw = http_form(r, "password");
	login = login_normalise(r, http_form(r, "login"), &is_phone);
	if (login == NULL || pw == NULL || *pw == '\0') {
		html_set_str(c, "login_error", login_wrong);
		return app_page(r, HTTP_UNPROCESSABLE, "login", c);
	}
	key = pool_printf(r->pool, "login:%s", login);
	addr_key = pool_printf(r->pool, "addr:%s", r->remote_addr);
	if ((n = auth_throttle_count(key, config->login_window)) == -1)
		return app_db_error();
	if (n >= config->login_max_fail)
		goto throttled;
	if ((n = auth_throttle_count(addr_key, config->login_window)) == -1)
		return app_db_error();
	if (n >= config->login_addr_max)
		goto throttled;

	res = db_exec(is_phone ? &q_by_phone : &q_by_email, PGRES_TUPLES_OK,
	    1, login);
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) == 1) {
		id = db_getll(res, 0, "id");
		hash = db_get(res, 0, "password_hash");
	}
	ok = auth_password_check(hash, pw);
	PQclear(res);
	if (ok != 1) {
		if (ok == -1)
			log_err("login", "malformed password hash of %lld", id);
		if (auth_throttle_hit(key, config->login_window) == -1 ||
		    auth_throttle_hit(addr_key, config->login_window) == -1)
			return app_db_error();
		html_set_str(c, "login_error", login_wrong);
		return app_page(r, HTTP_UNPROCESSABLE, "login", c);
	}

	if (db_begin() == -1)
		return app_db_error();
	if (auth_throttle_clear(key) == -1 || auth_session_start(r, id) == -1)
		return app_db_error();
	if (app_commit(r) == -1)
		return app_db_error();
	next = http_form(r, "next");
	if (app_local_path(next))
		return app_redirect(r, next);
	if ((res = db_exec(&q_landing, PGRES_TUPLES_OK, 1,
	    pool_printf(r->pool, "%lld", id))) == NULL)
		return app_redirect(r, "/me");
	next = db_getll(res, 0, "n") == 1 ? pool_printf(r->pool, "/org/%s",
	    db_get(res, 0, "org_id")) : "/me";
	PQclear(res);
	return app_redirect(r, next);

throttled:
	html_set_str(c, "login_error", "Слишком много неудачных попыток входа. "
	    "Подождите 15 минут и попробуйте снова.");
	return app_page(r, HTTP_TOO_MANY, "login", c);
}

/*
 * POST /logout
 * Logged in.  Deletes the session; 303 to /login.
 */
static int
logout(struct http_req *r)
{
	if (auth_session_end(r) == -1)
		return app_db_error();
	return app_redirect(r, "/login");
}

int
main(void)
{
	return app_main("session", routes, sizeof(routes) / sizeof(routes[0]));
}
