/*
 * account: a person's own account — their details, their password and
 * their sessions.
 *
 * The details follow the sign-up's rules (VALID_PERSON_FIELDS, lib/valid.h).
 * A new password follows the sign-up's rule too and needs the current
 * one, except within 15 minutes of a login by a one-time code (the
 * session says so: auth_user.code_login_recent), which is how a person
 * who forgot it sets a new one.  Changing the password ends every other
 * session of the person and keeps this one.  Wrong current passwords are
 * throttled like logins (PARTA_LOGIN_MAX_FAIL per PARTA_LOGIN_WINDOW).
 *
 * Sessions are named by their public number (parta.session.id), never by
 * the token's hash; a session ended here is gone from the database, so
 * its next request is a logged-out one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "pool.h"

static int	profile_form(struct http_req *);
static int	profile_submit(struct http_req *);
static int	password_form(struct http_req *);
static int	password_submit(struct http_req *);
static int	sessions_list(struct http_req *);
static int	session_end(struct http_req *);
static int	sessions_end_others(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN, "/me/profile", profile_form },
	{ APP_POST | APP_LOGIN, "/me/profile", profile_submit },
	{ APP_GET | APP_LOGIN, "/me/password", password_form },
	{ APP_POST | APP_LOGIN, "/me/password", password_submit },
	{ APP_GET | APP_LOGIN, "/me/sessions", sessions_list },
	{ APP_POST | APP_LOGIN, "/me/sessions/{n}/end", session_end },
	{ APP_POST | APP_LOGIN, "/me/sessions/end-others",
	    sessions_end_others },
};

enum prof_key {
	PROF_LAST, PROF_FIRST, PROF_PATRONYMIC, PROF_GENDER, PROF_BIRTH,
	PROF__MAX
};

/* The person's fields; the profile form validates all but the birth
 * date (PROF_BIRTH first ones), which its owner does not change. */
static const struct valid_field prof_fields[PROF__MAX] = {
	VALID_PERSON_FIELDS
};

_Static_assert(PROF__MAX == VALID_PERSON_N, "the person's fields");

enum pw_key { PW_NEW, PW__MAX };

/* A password is never shown again (html keys unread: new_password). */
static const struct valid_field pw_fields[PW__MAX] = {
	{ "new_password", valid_password, 1 },	/* PW_NEW */
};

static const struct db_stmt q_profile_get = {
	"account_profile_get",
	"SELECT last_name, first_name, patronymic, gender,"
	" to_char(birth_date, 'DD.MM.YYYY') AS birth_text"
	" FROM parta.account WHERE id = $1"
};

static const struct db_stmt q_profile_set = {
	"account_profile_set",
	"UPDATE parta.account SET last_name = $2, first_name = $3,"
	" patronymic = $4, gender = $5 WHERE id = $1"
	" RETURNING to_char(birth_date, 'DD.MM.YYYY') AS birth_text"
};

static const struct db_stmt q_password_set = {
	"account_password_set",
	"UPDATE parta.account SET password_hash = $2 WHERE id = $1"
};

/* A code login lets one password be set: this session's mark is used. */
static const struct db_stmt q_code_used = {
	"account_code_used",
	"UPDATE parta.session SET code_login_at = NULL WHERE id = $1"
};

static const struct db_stmt q_sessions = {
	"account_sessions",
	"SELECT id, user_agent, client_addr,"
	" parta.msk_time(created_at) AS started,"
	" parta.msk_time(last_seen) AS seen"
	" FROM parta.session WHERE account_id = $1 AND expires_at > now()"
	" ORDER BY id = $2 DESC, last_seen DESC, id DESC"
};

static const struct db_stmt q_session_end = {
	"account_session_end",
	"DELETE FROM parta.session WHERE id = $1 AND account_id = $2"
};

static const struct db_stmt q_sessions_end_others = {
	"account_sessions_end_others",
	"DELETE FROM parta.session WHERE account_id = $1 AND id <> $2"
};

static void
gender_set(struct html_ctx *c, const struct valid_result *v)
{
	if (v->error == NULL && v->value[0] != '\0')
		html_set_bool(c, strcmp(v->value, "f") == 0 ? "gender_f" :
		    "gender_m", 1);
}

/* The birth date, shown as text: it decides who is a young child and
 * who may be a parent, so its owner does not change it (the database
 * refuses too: sql/0022_guardian_safety.sql). */
static void
birth_set(struct html_ctx *c, const char *text)
{
	html_set_bool(c, "birth_fixed", 1);
	html_set_str(c, "birth_text", text);
}

/*
 * GET /me/profile[?saved=1]
 * Logged in.  My name and gender, to change; the birth date as text,
 * with who can correct it.
 */
static int
profile_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;

	html_set_str(c, "title", "Мои данные");
	if ((res = db_exec(&q_profile_get, PGRES_TUPLES_OK,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	app_set_cols(c, res, 0, "last_name", "first_name", "patronymic",
	    NULL);
	birth_set(c, db_get(res, 0, "birth_text"));
	html_set_bool(c, strcmp(db_get(res, 0, "gender"), "f") == 0 ?
	    "gender_f" : "gender_m", 1);
	html_set_bool(c, "saved", http_query(r, "saved") != NULL);
	return app_page(r, HTTP_OK, "account_profile", c);
}

/*
 * POST /me/profile   fields: last_name first_name patronymic gender
 * Logged in.  Changes my name and gender (a birth_date sent is ignored:
 * it is not changed here); 303 to /me/profile?saved=1.  Bad input: 422
 * with the values kept.
 */
static int
profile_submit(struct http_req *r)
{
	struct valid_result	 v[PROF__MAX];
	struct html_ctx		*c = app_ctx(r);
	PGresult		*res;

	html_set_str(c, "title", "Мои данные");
	if (app_form(r, prof_fields, PROF_BIRTH, v, c) > 0) {
		gender_set(c, &v[PROF_GENDER]);
		if ((res = db_exec(&q_profile_get, PGRES_TUPLES_OK,
		    app_num(r, r->user->id))) == NULL)
			return app_db_error();
		if (PQntuples(res) == 1)
			birth_set(c, db_get(res, 0, "birth_text"));
		return app_page(r, HTTP_UNPROCESSABLE, "account_profile", c);
	}
	if ((res = db_exec(&q_profile_set, PGRES_TUPLES_OK,
	    app_num(r, r->user->id), v[PROF_LAST].value, v[PROF_FIRST].value,
	    v[PROF_PATRONYMIC].value, v[PROF_GENDER].value)) == NULL)
		return app_db_error();
	return app_redirect(r, "/me/profile?saved=1");
}

static void
password_ctx(struct http_req *r, struct html_ctx *c)
{
	html_set_str(c, "title", "Пароль");
	html_set_bool(c, "ask_current", !r->user->code_login_recent);
}

/*
 * GET /me/password[?changed=N]
 * Logged in.  The form for a new password; after a change, how many
 * other sessions it ended.
 */
static int
password_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*n = http_query(r, "changed");
	char		 num[VALID_MAX];

	password_ctx(r, c);
	if (n != NULL && valid_uint(n, num, sizeof(num)) == NULL &&
	    strcmp(num, "0") != 0)
		html_set_strf(c, "changed", "Пароль изменён. Завершено других "
		    "сеансов: %s.", num);
	else if (n != NULL)
		html_set_str(c, "changed", "Пароль изменён.");
	return app_page(r, HTTP_OK, "account_password", c);
}

/*
 * POST /me/password   fields: password (current) new_password
 * Logged in.  Sets a new password and ends my other sessions; 303 to
 * /me/password?changed=N.  The current password is not asked within 15
 * minutes of a login by code.  A wrong current password or a bad new
 * one: 422; too many wrong ones: 429 before any is checked.
 */
static int
password_submit(struct http_req *r)
{
	struct valid_result	 v[PW__MAX];
	struct html_ctx		*c = app_ctx(r);
	char			 hash[SCRYPT_MCF_LEN];
	const char		*cur = http_form(r, "password");
	const char		*id = app_num(r, r->user->id);
	const char		*sid = app_num(r, r->user->session_id);
	PGresult		*res;
	int			 errors, n, rc;

	password_ctx(r, c);
	errors = app_form(r, pw_fields, PW__MAX, v, c);
	html_set_str(c, "new_password", "");
	if (errors > 0 && !r->user->code_login_recent &&
	    (cur == NULL || *cur == '\0'))
		html_set_str(c, "password_error", "Введите нынешний пароль");
	if (errors > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "account_password", c);
	switch (auth_confirm_password(r, "password", cur)) {
	case AUTH_CONFIRM_OK:
		break;
	case AUTH_CONFIRM_MISSING:
	case AUTH_CONFIRM_WRONG:
		html_set_str(c, "password_error", cur == NULL || *cur == '\0' ?
		    "Введите нынешний пароль" : "Неверный пароль");
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_UNPROCESSABLE, "account_password", c);
	case AUTH_CONFIRM_THROTTLED:
		html_set_strf(c, "password_error", "Слишком много неверных "
		    "попыток. Подождите %d %s и попробуйте снова.",
		    config->login_window, ru_plural(config->login_window,
		    "минуту", "минуты", "минут"));
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_TOO_MANY, "account_password", c);
	default:
		return app_db_error();
	}

	if (auth_password_hash(v[PW_NEW].value, hash) == -1) {
		log_err("password hash", "libscrypt failed");
		return HTTP_SERVER_ERROR;
	}
	explicit_bzero(v[PW_NEW].value, sizeof(v[PW_NEW].value));
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_password_set, PGRES_COMMAND_OK, id, hash)) ==
	    NULL)
		return app_db_error();
	explicit_bzero(hash, sizeof(hash));
	if ((res = db_exec(&q_sessions_end_others, PGRES_COMMAND_OK, id,
	    sid)) == NULL)
		return app_db_error();
	n = atoi(PQcmdTuples(res));
	if ((res = db_exec(&q_code_used, PGRES_COMMAND_OK, sid)) == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/me/password?changed=%d",
	    n));
}

/*
 * GET /me/sessions[?ended=N]
 * Logged in.  My live sessions: started, last seen (to the hour), the
 * browser and address they were started from; this one first, marked.
 */
static int
sessions_list(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r), *item;
	char		 name[128];
	PGresult	*res;
	int		 i, n;

	html_set_str(c, "title", "Сеансы");
	if ((res = db_exec(&q_sessions, PGRES_TUPLES_OK,
	    app_num(r, r->user->id), app_num(r, r->user->session_id))) ==
	    NULL)
		return app_db_error();
	n = PQntuples(res);
	html_list_init(c, "sessions");
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "sessions");
		app_set_cols(item, res, i, "id", "started", "seen",
		    "client_addr", NULL);
		auth_browser_name(db_get(res, i, "user_agent"), name,
		    sizeof(name));
		html_set_str(item, "browser", name);
		html_set_bool(item, "current",
		    db_getll(res, i, "id") == r->user->session_id);
	}
	html_set_bool(c, "has_others", n > 1);
	html_set_bool(c, "ended", http_query(r, "ended") != NULL);
	return app_page(r, HTTP_OK, "account_sessions", c);
}

/*
 * POST /me/sessions/ID/end
 * Logged in, ID one of my sessions (else 404).  Ends it; 303 to
 * /me/sessions?ended=1, or to /login when it was this one.
 */
static int
session_end(struct http_req *r)
{
	PGresult	*res;
	int		 n;

	if (r->id[0] == r->user->session_id) {
		if (auth_session_end(r) == -1)
			return app_db_error();
		return app_redirect(r, "/login");
	}
	if ((res = db_exec(&q_session_end, PGRES_COMMAND_OK,
	    app_num(r, r->id[0]), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	n = atoi(PQcmdTuples(res));
	if (n == 0)
		return HTTP_NOT_FOUND;
	return app_redirect(r, "/me/sessions?ended=1");
}

/*
 * POST /me/sessions/end-others
 * Logged in.  Ends every session of mine but this one; 303 to
 * /me/sessions?ended=1.
 */
static int
sessions_end_others(struct http_req *r)
{
	PGresult	*res;

	if ((res = db_exec(&q_sessions_end_others, PGRES_COMMAND_OK,
	    app_num(r, r->user->id), app_num(r, r->user->session_id))) ==
	    NULL)
		return app_db_error();
	return app_redirect(r, "/me/sessions?ended=1");
}

int
main(int argc, char *argv[])
{
	return app_main("account", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
