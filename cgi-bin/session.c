/*
 * session: log in and log out.  scrypt is slow on purpose, so this
 * program has its own workers and never starves the others.
 *
 * Throttling runs before scrypt (issue 23).  One attempt is taken,
 * in one short transaction, from three counters of PARTA_LOGIN_WINDOW
 * minutes in turn; the first that is full answers 429 and the
 * transaction rolls back, so a refused attempt counts nowhere:
 *
 *  1. this login from this address (auth_addr_key: an IPv6 /64):
 *     PARTA_LOGIN_MAX_FAIL (5).  The lock a person meets.  It is not
 *     the account's: a stranger who types a teacher's phone with wrong
 *     passwords locks only their own address, not the teacher's;
 *  2. this address, any login: PARTA_LOGIN_ADDR_MAX (1000), which keeps
 *     one machine from trying many accounts while a whole school behind
 *     one NAT still gets in;
 *  3. this login from anywhere: PARTA_LOGIN_ACCOUNT_MAX (100).  Without
 *     it, 5 guesses per address per window become 5 000 for someone
 *     with a thousand addresses (a botnet, an IPv6 provider's many
 *     /64s): the ceiling caps guessing one password at 100 per window
 *     whatever the addresses.  It is far above 1, so that locking an
 *     account for everyone takes 20 addresses, not one; and while it
 *     holds, its owner still logs in by a code (below), which no
 *     password lock stops, as the 429 page says with a link.
 *
 * Taking before checking (not counting after) is what holds under
 * parallel requests: the row lock of each upsert orders them, and
 * exactly the limit get through to scrypt.  A right password gives its
 * attempt back (and forgets counter 1): only failures count.  Every
 * failure reads the same, whether the account exists or not, and so do
 * the counters, which are kept for any login typed.
 * A young child (lib/guardian) logs in by their login name and password;
 * having no contact, they recover through a guardian, who sets a new
 * password from their family page.
 *
 * A login by a one-time code (lib/code) also serves recovery: the code
 * goes only to a verified contact of an account, but the answer is the
 * same whether there is one or not.  The login typed is kept in a
 * cookie between the two steps.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "code.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "pool.h"

static int	login_form(struct http_req *);
static int	login_submit(struct http_req *);
static int	logout(struct http_req *);
static int	code_form(struct http_req *);
static int	code_submit(struct http_req *);
static int	code_enter_form(struct http_req *);
static int	code_enter_submit(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET, "/login", login_form },
	{ APP_POST, "/login", login_submit },
	{ APP_POST | APP_LOGIN | APP_NOCONSENT, "/logout", logout },
	{ APP_GET, "/login/code", code_form },
	{ APP_POST, "/login/code", code_submit },
	{ APP_GET, "/login/code/enter", code_enter_form },
	{ APP_POST, "/login/code/enter", code_enter_submit },
};

#define CODE_COOKIE	"parta_code_login"


static const char login_wrong[] = "Неверный логин или пароль";

/*
 * A password logs in only by a proven contact: the one account whose
 * verified phone (or e-mail) it is.  An unfinished sign-up does not log
 * in by password (its own session goes on to /verify; lost, one signs up
 * again): else a sign-up with someone's phone followed by a login would
 * tell whether the phone has an account here (issue 16).
 */
static const struct db_stmt q_by_phone = {
	"session_by_phone",
	"SELECT id, password_hash FROM parta.account WHERE phone = $1"
	" AND phone_verified"
};

/* The account whose verified contact this is (at most one). */
static const struct db_stmt q_by_contact = {
	"session_by_contact",
	"SELECT id FROM parta.account WHERE (phone = $1 AND phone_verified)"
	" OR (email = $1 AND email_verified)"
};

/* Stale unverified sign-ups naming the contact go (sql/0013_codes.sql). */
static const struct db_stmt q_purge = {
	"session_purge",
	"SELECT parta.account_unverified_purge($1)"
};

/* Where a person lands after logging in: the operator at their desk; a
 * member of exactly one organization who is no parent there; anyone
 * else on /me, which shows every role they have. */
static const struct db_stmt q_landing = {
	"session_landing",
	"SELECT a.is_operator,"
	" (SELECT min(org_id) FROM parta.member WHERE account_id = a.id)"
	"  AS org_id,"
	" (SELECT count(*) FROM parta.member WHERE account_id = a.id) AS n,"
	" EXISTS (SELECT 1 FROM parta.guardian WHERE parent_id = a.id)"
	"  AS parent"
	" FROM parta.account a WHERE a.id = $1"
};

static const struct db_stmt q_by_email = {
	"session_by_email",
	"SELECT id, password_hash FROM parta.account WHERE email = $1"
	" AND email_verified"
};

/*
 * The page to go to after logging in, when no next was asked for: see
 * q_landing.  "/me" when the database fails: the login stands.
 */
static const char *
landing(struct http_req *r, long long account)
{
	const char	*to = "/me";
	PGresult	*res;

	if ((res = db_exec(&q_landing, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", account))) == NULL)
		return to;
	if (PQntuples(res) == 1) {
		if (db_getbool(res, 0, "is_operator"))
			to = "/operator";
		else if (db_getll(res, 0, "n") == 1 &&
		    !db_getbool(res, 0, "parent"))
			to = pool_printf(r->pool, "/org/%s",
			    db_get(res, 0, "org_id"));
	}
	return to;
}

/* A young child's login name (stored lower-case): their sign-up proved
 * nothing about a contact, so it logs in while it waits for the
 * guardian too (its /me says so). */
static const struct db_stmt q_by_login = {
	"session_by_login",
	"SELECT id, password_hash FROM parta.account WHERE login = $1"
};

enum login_kind {
	LOGIN_EMAIL, LOGIN_PHONE, LOGIN_NAME
};

static const struct db_stmt *const login_query[] = {
	&q_by_email, &q_by_phone, &q_by_login
};

static void
login_ctx(struct http_req *r, struct html_ctx *c)
{
	const char	*next = http_form(r, "next");

	if (next == NULL)
		next = http_query(r, "next");
	html_set_str(c, "title", "Вход");
	html_set_int(c, "child_age", config->child_age);
	if (app_local_path(next)) {
		html_set_str(c, "next", next);
		html_set_str(c, "next_enc", http_urlencode(r->pool, next));
	}
}

/*
 * GET /login[?next=/local/path]
 * Anyone.  The login form; a logged-in visitor goes on to next or where
 * a login lands (landing()).
 */
static int
login_form(struct http_req *r)
{
	struct html_ctx	*c;
	const char	*next = http_query(r, "next");

	if (r->user != NULL)
		return app_redirect(r, app_local_path(next) ? next :
		    landing(r, r->user->id));
	c = app_ctx(r);
	login_ctx(r, c);
	return app_page(r, HTTP_OK, "login", c);
}

/* The normalised login ("+7…", an e-mail, or a young child's login name,
 * lower-cased) and its kind, or NULL if it is none of them. */
static const char *
login_normalise(struct http_req *r, const char *in, int *kind)
{
	char	 out[VALID_MAX];

	if (in == NULL)
		return NULL;
	if (valid_phone(in, out, sizeof(out)) == NULL) {
		*kind = LOGIN_PHONE;
		return pool_strdup(r->pool, out);
	}
	if (valid_email(in, out, sizeof(out)) == NULL) {
		*kind = LOGIN_EMAIL;
		return pool_strdup(r->pool, out);
	}
	if (valid_login(in, out, sizeof(out)) == NULL) {
		*kind = LOGIN_NAME;
		return pool_strdup(r->pool, out);
	}
	return NULL;
}

/* What the 429 page says of each counter (see the head comment). */
static const char *const login_locked[] = {
	"Слишком много неудачных попыток входа с этого устройства.",
	"Слишком много неудачных попыток входа из вашей сети.",
	"Слишком много неудачных попыток войти в этот профиль: возможно, "
	"кто-то подбирает пароль."
};

/*
 * Take one attempt from the three counters of a login (the head
 * comment), committed.  When one is full, *locked is set and the page
 * answered: 429, saying when the password will be taken again and that
 * a code logs in now (a young child, who has no contact for a code, is
 * sent to the parent instead); the dispatcher rolls back the attempts
 * taken from the counters before it.  Returns 0 or a status.
 */
static int
login_take(struct http_req *r, struct html_ctx *c, const char *pair_key,
    const char *addr_key, const char *key, int kind, int *locked)
{
	const char	*keys[] = { pair_key, addr_key, key };
	const int	 max[] = { config->login_max_fail,
			    config->login_addr_max, config->login_account_max };
	size_t		 i;
	int		 taken = 1, retry = 0;

	if (db_begin() == -1)
		return app_db_error();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((taken = auth_throttle_take(keys[i], config->login_window,
		    max[i], &retry)) != 1)
			break;
	if (taken == -1)
		return app_db_error();
	if (taken == 1)
		return app_commit(r);
	*locked = 1;
	html_set_str(c, "login_error", pool_printf(r->pool, "%s Пароль снова "
	    "можно будет ввести через %d %s.", login_locked[i], retry,
	    ru_plural(retry, "минуту", "минуты", "минут")));
	if (kind == LOGIN_NAME)
		html_set_bool(c, "locked_child", 1);
	else
		html_set_bool(c, "locked_code", 1);
	return app_page(r, HTTP_TOO_MANY, "login", c);
}

/*
 * POST /login   fields: login (a phone, an e-mail or a young child's
 *   login name) password next
 * Anyone.  Starts a session; 303 to next (a local path), else where a
 * login lands: the operator on /operator, a member of exactly one
 * organization (and no parent) there, anyone else on /me.  Wrong
 * login or password: 422 with one message for both; too many failures
 * (login_take): 429 before any password is checked, saying when to try
 * again and linking to the login by a code, which works meanwhile.
 */
static int
login_submit(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*login, *pw, *key, *pair_key, *addr_key, *next;
	const char	*hash = NULL;
	char		 addr[AUTH_ADDR_KEY_MAX];
	PGresult	*res = NULL;
	long long	 id = 0;
	int		 kind = LOGIN_EMAIL, ok, rc, locked = 0;

	login_ctx(r, c);
	html_set_str(c, "login", http_form(r, "login"));
	pw = http_form(r, "password");
	login = login_normalise(r, http_form(r, "login"), &kind);
	if (login == NULL || pw == NULL || *pw == '\0') {
		html_set_str(c, "login_error", login_wrong);
		return app_page(r, HTTP_UNPROCESSABLE, "login", c);
	}
	auth_addr_key(r->remote_addr, addr, sizeof(addr));
	key = pool_printf(r->pool, "login:%s", login);
	pair_key = pool_printf(r->pool, "login:%s from %s", login, addr);
	addr_key = pool_printf(r->pool, "addr:%s", addr);
	if ((rc = login_take(r, c, pair_key, addr_key, key, kind,
	    &locked)) != 0 || locked)
		return rc;

	res = db_exec(login_query[kind], PGRES_TUPLES_OK, login);
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) == 1) {
		id = db_getll(res, 0, "id");
		hash = db_get(res, 0, "password_hash");
	}
	ok = auth_password_check(hash, pw);
	if (ok != 1) {
		if (ok == -1)
			log_err("login", "malformed password hash of %lld", id);
		/* The attempt taken stays counted. */
		html_set_str(c, "login_error", login_wrong);
		return app_page(r, HTTP_UNPROCESSABLE, "login", c);
	}

	if (db_begin() == -1)
		return app_db_error();
	if (auth_throttle_clear(pair_key) == -1 ||
	    auth_throttle_give_back(addr_key) == -1 ||
	    auth_throttle_give_back(key) == -1 ||
	    auth_session_start(r, id) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	next = http_form(r, "next");
	return app_redirect(r, app_local_path(next) ? next : landing(r, id));
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

/* Where to go after logging in: next, else /me. */
static const char *
code_next(struct http_req *r)
{
	const char	*next = http_form(r, "next");

	if (next == NULL)
		next = http_query(r, "next");
	return app_local_path(next) ? next : NULL;
}

static void
code_ctx(struct http_req *r, struct html_ctx *c)
{
	const char	*next = code_next(r);

	html_set_str(c, "title", "Вход по коду");
	if (next != NULL) {
		html_set_str(c, "next", next);
		html_set_str(c, "next_enc", http_urlencode(r->pool, next));
	}
}

/*
 * GET /login/code[?next=/local/path]
 * Anyone.  The form asking for a phone or e-mail to send a code to.
 */
static int
code_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);

	code_ctx(r, c);
	return app_page(r, HTTP_OK, "login_code", c);
}

/*
 * POST /login/code   fields: login next
 * Anyone.  Sends a login code to login when it is a verified contact of
 * an account, and always answers 303 to /login/code/enter (keeping the
 * login in a cookie for 10 minutes).  Not a phone or e-mail: 422.  Over
 * the recipient's PARTA_CODE_SEND_MAX (counted whether or not there is
 * an account): 429, nothing sent.  Unverified sign-ups older than 7
 * days naming the login are deleted first.
 */
static int
code_submit(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*login, *next;
	PGresult	*res;
	long long	 id = 0;
	int		 kind = LOGIN_EMAIL, rc, retry = 0;

	code_ctx(r, c);
	html_set_str(c, "login", http_form(r, "login"));
	login = login_normalise(r, http_form(r, "login"), &kind);
	if (login == NULL) {
		html_set_str(c, "login_error", "Введите номер мобильного "
		    "телефона или адрес электронной почты");
		return app_page(r, HTTP_UNPROCESSABLE, "login_code", c);
	}
	if (kind == LOGIN_NAME) {
		/* A young child has no contact to send a code to. */
		html_set_str(c, "login_error", "Код приходит только на телефон "
		    "или почту. Если ребёнок, который входит по логину, забыл "
		    "пароль, новый пароль задаст родитель на своей странице "
		    "«Семья и учителя».");
		return app_page(r, HTTP_UNPROCESSABLE, "login_code", c);
	}
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_purge, PGRES_TUPLES_OK, login)) == NULL)
		return app_db_error();
	if ((res = db_exec(&q_by_contact, PGRES_TUPLES_OK, login)) == NULL)
		return app_db_error();
	if (PQntuples(res) == 1)
		id = db_getll(res, 0, "id");
	if (id != 0)
		rc = code_send(id, CODE_LOGIN, kind == LOGIN_PHONE ? "phone" :
		    "email",
		    login, "Код для входа в Парту", &retry);
	else	/* The same limit, so that it tells nothing either. */
		rc = code_quota(login, &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_LIMIT) {
		html_set_str(c, "login_error", pool_printf(r->pool, "На этот "
		    "контакт уже отправлено слишком много кодов. Попробуйте "
		    "снова через %d мин.", retry));
		return app_page(r, HTTP_TOO_MANY, "login_code", c);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	http_set_cookie(r, CODE_COOKIE, login, CODE_MINUTES * 60L);
	next = code_next(r);
	return app_redirect(r, next ? pool_printf(r->pool,
	    "/login/code/enter?next=%s", http_urlencode(r->pool, next)) :
	    "/login/code/enter");
}

/* The login kept by POST /login/code, or NULL. */
static const char *
code_login(struct http_req *r)
{
	const char	*login;
	int		 kind;

	login = login_normalise(r, http_cookie(r, CODE_COOKIE), &kind);
	return login != NULL && kind != LOGIN_NAME ? login : NULL;
}

/*
 * GET /login/code/enter[?next=]
 * Anyone who asked for a code (else 303 to /login/code).  The code form.
 */
static int
code_enter_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*login = code_login(r);

	if (login == NULL)
		return app_redirect(r, "/login/code");
	code_ctx(r, c);
	html_set_str(c, "sent_to", login);
	return app_page(r, HTTP_OK, "login_code_enter", c);
}

/*
 * POST /login/code/enter   fields: code next
 * Anyone who asked for a code (else 422 asking for a new one).  The
 * right code: a new session marked as made by a code, 303 to next or
 * where a login lands (as POST /login).  Wrong or
 * no code: 422, the try counted against the login; its wrong tries used
 * up: 429.
 */
static int
code_enter_submit(struct http_req *r)
{
	struct html_ctx		*c = app_ctx(r);
	struct code_found	 f;
	const char		*login = code_login(r), *code, *next;
	int			 rc, status, retry = 0;

	code_ctx(r, c);
	if (login == NULL) {
		/* The 10 minutes of the cookie are over (or none was asked). */
		html_set_str(c, "code_error", "Время ввода кода истекло. "
		    "Запросите новый код.");
		return app_page(r, HTTP_UNPROCESSABLE, "login_code_enter", c);
	}
	html_set_str(c, "sent_to", login);
	code = http_form(r, "code");
	if (code == NULL || strlen(code) != CODE_DIGITS ||
	    strspn(code, "0123456789") != CODE_DIGITS) {
		html_set_str(c, "code_error", "Введите шесть цифр из сообщения");
		return app_page(r, HTTP_UNPROCESSABLE, "login_code_enter", c);
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = code_check(0, CODE_LOGIN, "", login, code, &f, &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc != CODE_OK) {
		if ((status = app_commit(r)) != 0)
			return status;
		html_set_str(c, "code_error", rc == CODE_LIMIT ?
		    pool_printf(r->pool, "Слишком много неверных попыток. "
		    "Попробуйте снова через %d мин.", retry) :
		    "Неверный или устаревший код. Проверьте цифры или "
		    "запросите новый.");
		return app_page(r, rc == CODE_LIMIT ? HTTP_TOO_MANY :
		    HTTP_UNPROCESSABLE, "login_code_enter", c);
	}
	if (r->user != NULL && auth_session_end(r) == -1)
		return app_db_error();
	if (auth_session_start_code(r, f.account) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	http_set_cookie(r, CODE_COOKIE, "", 0);
	next = code_next(r);
	return app_redirect(r, next ? next : landing(r, f.account));
}

int
main(int argc, char *argv[])
{
	return app_main("session", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
