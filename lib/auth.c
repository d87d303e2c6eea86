#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "pool.h"

/* The user row joined to a live session.  Only a live session counts:
 * an expired one must not come back to life on its next use.  A session
 * made by a one-time code within 15 minutes may set a new password
 * without the current one (/me/password).  Its expiry slides at most
 * once an hour (slide_due: q_session_slide), so that most requests only
 * read, and this statement never writes: it runs on a read replica too
 * (lib/db.h).
 *
 * The row also says on the connection whom the request runs for, for
 * row-level security (sql/0030_rls.sql, 0031_rls_speed.sql): its account,
 * organizations, chats and operator flag.  No round trip of its own.
 * There is always one row: with no live session, its id is NULL and the
 * settings are made for nobody, so that statements sent after it in the
 * same batch (lib/db.h: the organization's standing, lib/org) never run
 * for the connection's previous request. */
static const struct db_stmt q_session_load = {
	"auth_session_load",
	"WITH s AS (SELECT account_id, csrf, id AS session_id,"
	"  coalesce(code_login_at > now() - interval '15 minutes', false)"
	"  AS code_recent, last_seen < now() - interval '1 hour' AS slide_due"
	"  FROM parta.session"
	"  WHERE token_hash = decode($1, 'hex') AND expires_at > now())"
	" SELECT a.id, a.last_name, a.first_name, a.patronymic, a.gender,"
	"  coalesce(a.phone, '') AS phone, coalesce(a.email, '') AS email,"
	"  a.phone_verified, a.email_verified, a.is_operator, s.csrf,"
	"  s.session_id, s.code_recent, s.slide_due,"
	"  parta.privacy_current() IS NULL OR EXISTS (SELECT 1"
	"   FROM parta.privacy_consent c WHERE c.account_id = a.id"
	"   AND c.version = parta.privacy_current()) AS consent_ok,"
	"  a.phone_verified OR a.email_verified"
	"   OR cs.confirmed_at IS NOT NULL AS verified,"
	"  cs.child_id IS NOT NULL AND cs.confirmed_at IS NULL AS waiting,"
	"  coalesce(a.login, '') AS login,"
	/* Whom the rest of the request runs for (sql/0031_rls_speed.sql
	 * keeps the account's organizations and chats on its row). */
	"  set_config('parta.account', coalesce(a.id::text, ''), false)"
	"   AS rls_account,"
	"  set_config('parta.orgs', coalesce(a.rls_orgs::text, '{}'), false)"
	"   AS rls_orgs,"
	"  set_config('parta.chats', coalesce(a.rls_chats::text, '{}'),"
	"   false) AS rls_chats,"
	"  set_config('parta.operator', CASE WHEN a.is_operator THEN 't'"
	"   ELSE '' END, false) AS rls_operator,"
	/* The operator's requests run as the operator's role (its policy
	 * admits every row, sql/0072_rls_operator_role.sql). */
	"  set_config('role', parta.rls_role(a.is_operator), false)"
	"   AS rls_role"
	" FROM (VALUES (1)) one (x) LEFT JOIN (s"
	"  JOIN parta.account a ON a.id = s.account_id"
	/* A young child's sign-up (sql/0017_guardians.sql): waiting until a
	 * guardian confirms, then verified. */
	"  LEFT JOIN parta.child_signup cs ON cs.child_id = a.id) ON true"
};

/* The session in use, live, for 30 days more (on the primary). */
static const struct db_stmt q_session_slide = {
	"auth_session_slide",
	"UPDATE parta.session SET last_seen = now(),"
	" expires_at = now() + interval '30 days'"
	" WHERE token_hash = decode($1, 'hex') AND expires_at > now()"
};

/* A new session for account $2; the rest of the request runs for it
 * (the settings of q_session_load, in the same round trip). */
static const struct db_stmt q_session_insert = {
	"auth_session_insert",
	"WITH s AS (INSERT INTO parta.session (token_hash, account_id, csrf,"
	" expires_at, user_agent, client_addr, code_login_at)"
	" VALUES (decode($1, 'hex'), $2, $3, now() + interval '30 days', $4,"
	" $5, CASE WHEN $6::bool THEN now() END) RETURNING account_id)"
	" SELECT set_config('parta.account', s.account_id::text, false)"
	"  AS rls_account,"
	"  set_config('parta.orgs', a.rls_orgs::text, false) AS rls_orgs,"
	"  set_config('parta.chats', a.rls_chats::text, false) AS rls_chats,"
	"  set_config('parta.operator', CASE WHEN a.is_operator THEN 't'"
	"   ELSE '' END, false) AS rls_operator,"
	"  set_config('role', parta.rls_role(a.is_operator), false)"
	"   AS rls_role"
	" FROM s JOIN parta.account a ON a.id = s.account_id"
};

static const struct db_stmt q_session_delete = {
	"auth_session_delete",
	"DELETE FROM parta.session WHERE token_hash = decode($1, 'hex')"
};

static const struct db_stmt q_throttle_hit = {
	"auth_throttle_hit",
	"INSERT INTO parta.throttle AS t (key, since, n) VALUES ($1, now(), 1)"
	" ON CONFLICT (key) DO UPDATE SET"
	"  n = CASE WHEN t.since < now() - make_interval(mins => $2::int)"
	"   THEN 1 ELSE t.n + 1 END,"
	"  since = CASE WHEN t.since < now() - make_interval(mins => $2::int)"
	"   THEN now() ELSE t.since END"
	" RETURNING n"
};

static const struct db_stmt q_throttle_count = {
	"auth_throttle_count",
	"SELECT coalesce(max(n), 0) AS n FROM parta.throttle WHERE key = $1"
	" AND since >= now() - make_interval(mins => $2::int)"
};

static const struct db_stmt q_password_of = {
	"auth_password_of",
	"SELECT password_hash FROM parta.account WHERE id = $1"
};

/* Takes an attempt only while under max ($3); a refused one changes
 * nothing, and the minutes left are read from the row as it stood. */
static const struct db_stmt q_throttle_take = {
	"auth_throttle_take",
	"WITH up AS ("
	" INSERT INTO parta.throttle AS t (key, since, n) VALUES ($1, now(), 1)"
	" ON CONFLICT (key) DO UPDATE SET"
	"  n = CASE WHEN t.since < now() - make_interval(mins => $2::int)"
	"   THEN 1 ELSE t.n + 1 END,"
	"  since = CASE WHEN t.since < now() - make_interval(mins => $2::int)"
	"   THEN now() ELSE t.since END"
	" WHERE t.since < now() - make_interval(mins => $2::int)"
	"  OR t.n < $3::int"
	" RETURNING n)"
	" SELECT (SELECT n FROM up) AS n,"
	" (SELECT greatest(1, ceil(extract(epoch FROM since +"
	"   make_interval(mins => $2::int) - now()) / 60))::int"
	"  FROM parta.throttle WHERE key = $1) AS retry"
};

static const struct db_stmt q_throttle_give_back = {
	"auth_throttle_give_back",
	"UPDATE parta.throttle SET n = n - 1 WHERE key = $1 AND n > 0"
};

static const struct db_stmt q_throttle_clear = {
	"auth_throttle_clear",
	"DELETE FROM parta.throttle WHERE key = $1"
};

/* A valid hash of a random password, for equal-time failures. */
static const char auth_dummy_hash[] =
    "$s1$0f0801$35AK2+CzTQ+TzwEkxzuOvQ==$QqgOpbbcPWfvFHyfXwob8mmMAd7YMfUIJ45"
    "x9ZcysuIxfqokyvUvxcHOqlZ0tNYfCa0T04LAR5d0vmy4y8BNvQ==";

int
auth_password_hash(const char *pw, char out[SCRYPT_MCF_LEN])
{
	if (libscrypt_hash(out, pw, AUTH_SCRYPT_N, AUTH_SCRYPT_R,
	    AUTH_SCRYPT_P) <= 0)
		return -1;
	return 0;
}

int
auth_password_check(const char *hash, const char *pw)
{
	char	 copy[SCRYPT_MCF_LEN];
	int	 rc;

	/* libscrypt_check writes into its argument: give it a copy. */
	if (snprintf(copy, sizeof(copy), "%s", hash ? hash : auth_dummy_hash)
	    >= (int)sizeof(copy))
		return -1;
	rc = libscrypt_check(copy, pw);
	explicit_bzero(copy, sizeof(copy));
	if (rc < 0)
		return -1;
	return hash != NULL && rc > 0;
}

static int
auth_token_shape_ok(const char *t)
{
	size_t	 n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_");

	return n == CRYPTO_TOKEN_LEN && t[n] == '\0';
}

struct db_query *
auth_session_send(struct http_req *r, int always)
{
	const char	*token;
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];

	token = http_cookie(r, AUTH_SESSION_COOKIE);
	if (token == NULL || !auth_token_shape_ok(token)) {
		/* No session: a lookup of none makes the settings for
		 * nobody, ahead of what is queued after it. */
		if (always)
			return db_send(&q_session_load, PGRES_TUPLES_OK, NULL);
		return NULL;
	}
	crypto_sha256_hex(token, hex);
	return db_send(&q_session_load, PGRES_TUPLES_OK, hex);
}

int
auth_session_load(struct http_req *r, struct db_query *q)
{
	struct auth_user	*u;
	const char		*token;
	char			 hex[2 * CRYPTO_SHA256_LEN + 1];
	PGresult		*res;

	r->user = NULL;
	if (q == NULL)
		return db_tenant_clear();
	if ((res = db_result(q)) == NULL || PQntuples(res) != 1) {
		(void)db_tenant_clear();
		return -1;
	}
	if (db_tenant_set(res) == -1)
		return -1;
	/* No live session: the settings were made for nobody. */
	if (db_isnull(res, 0, "id"))
		return 0;
	/* Once an hour: the rest of the request on the primary. */
	token = http_cookie(r, AUTH_SESSION_COOKIE);
	crypto_sha256_hex(token, hex);
	if (db_getbool(res, 0, "slide_due") && (db_use_primary() == -1 ||
	    db_exec(&q_session_slide, PGRES_COMMAND_OK, hex) == NULL))
		return -1;
	u = pool_zalloc(r->pool, sizeof(*u));
	u->id = db_getll(res, 0, "id");
	u->last_name = pool_strdup(r->pool, db_get(res, 0, "last_name"));
	u->first_name = pool_strdup(r->pool,
	    db_get(res, 0, "first_name"));
	u->patronymic = pool_strdup(r->pool,
	    db_get(res, 0, "patronymic"));
	u->gender = pool_strdup(r->pool, db_get(res, 0, "gender"));
	u->phone = pool_strdup(r->pool, db_get(res, 0, "phone"));
	u->email = pool_strdup(r->pool, db_get(res, 0, "email"));
	u->phone_verified = db_getbool(res, 0, "phone_verified");
	u->email_verified = db_getbool(res, 0, "email_verified");
	u->is_operator = db_getbool(res, 0, "is_operator");
	u->session_id = db_getll(res, 0, "session_id");
	u->code_login_recent = db_getbool(res, 0, "code_recent");
	u->consent_ok = db_getbool(res, 0, "consent_ok");
	u->verified = db_getbool(res, 0, "verified");
	u->waiting = db_getbool(res, 0, "waiting");
	u->login = pool_strdup(r->pool, db_get(res, 0, "login"));
	r->user = u;
	r->csrf = pool_strdup(r->pool, db_get(res, 0, "csrf"));
	return 0;
}

/* Printable ASCII of s, at most outsz - 1 bytes (a header may hold any
 * byte; the database takes only valid UTF-8). */
static void
auth_header_copy(const char *s, char *out, size_t outsz)
{
	size_t	 i = 0;

	for (; s != NULL && *s != '\0' && i + 1 < outsz; s++)
		out[i++] = *s >= 0x20 && *s < 0x7f ? *s : '?';
	out[i] = '\0';
}

static int
auth_session_insert(struct http_req *r, long long account, int by_code)
{
	char		 token[CRYPTO_TOKEN_LEN + 1], csrf[CRYPTO_TOKEN_LEN + 1];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1], ua[513], addr[65];
	PGresult	*res;

	if (crypto_token(token, CRYPTO_TOKEN_BYTES) == -1 ||
	    crypto_token(csrf, CRYPTO_TOKEN_BYTES) == -1) {
		log_err("session", "getrandom failed");
		return -1;
	}
	crypto_sha256_hex(token, hex);
	auth_header_copy(http_param(r, "HTTP_USER_AGENT"), ua, sizeof(ua));
	auth_header_copy(r->remote_addr, addr, sizeof(addr));
	res = db_exec(&q_session_insert, PGRES_TUPLES_OK, hex,
	    pool_printf(r->pool, "%lld", account), csrf, ua, addr,
	    by_code ? "true" : "false");
	if (res == NULL || db_tenant_set(res) == -1)
		return -1;
	http_set_cookie(r, AUTH_SESSION_COOKIE, token,
	    AUTH_SESSION_DAYS * 24L * 3600L);
	r->csrf = pool_strdup(r->pool, csrf);
	explicit_bzero(token, sizeof(token));
	return 0;
}

int
auth_session_start(struct http_req *r, long long account)
{
	return auth_session_insert(r, account, 0);
}

int
auth_session_start_code(struct http_req *r, long long account)
{
	return auth_session_insert(r, account, 1);
}

int
auth_session_end(struct http_req *r)
{
	const char	*token;
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];
	PGresult	*res;

	token = http_cookie(r, AUTH_SESSION_COOKIE);
	if (token != NULL && auth_token_shape_ok(token)) {
		crypto_sha256_hex(token, hex);
		res = db_exec(&q_session_delete, PGRES_COMMAND_OK, hex);
		if (res == NULL)
			return -1;
	}
	http_set_cookie(r, AUTH_SESSION_COOKIE, "", 0);
	r->user = NULL;
	r->csrf = NULL;
	/* What is left of the request runs for nobody. */
	return db_tenant_clear();
}

void
auth_csrf_prepare(struct http_req *r)
{
	const char	*c;
	char		 token[CRYPTO_TOKEN_LEN + 1];

	if (r->csrf != NULL)
		return;
	/* Visitors get a double-submit token: cookie and form must match. */
	c = http_cookie(r, AUTH_CSRF_COOKIE);
	if (c != NULL && auth_token_shape_ok(c)) {
		r->csrf = c;
		return;
	}
	if (crypto_token(token, CRYPTO_TOKEN_BYTES) == -1) {
		log_err("csrf", "getrandom failed");
		abort();
	}
	r->csrf = pool_strdup(r->pool, token);
	http_set_cookie(r, AUTH_CSRF_COOKIE, token, -1);
}

int
auth_csrf_ok(const struct http_req *r)
{
	const char	*form, *want;

	form = http_form(r, "csrf");
	if (r->user != NULL)
		want = r->csrf;
	else {
		want = http_cookie(r, AUTH_CSRF_COOKIE);
		if (want != NULL && !auth_token_shape_ok(want))
			want = NULL;
	}
	return form != NULL && want != NULL && crypto_equal(form, want);
}

int
auth_throttle_hit(const char *key, int window)
{
	PGresult	*res;
	char		 w[16];
	int		 n;

	snprintf(w, sizeof(w), "%d", window);
	if ((res = db_exec(&q_throttle_hit, PGRES_TUPLES_OK, key, w)) ==
	    NULL)
		return -1;
	n = atoi(PQgetvalue(res, 0, 0));
	return n;
}

int
auth_throttle_count(const char *key, int window)
{
	PGresult	*res;
	char		 w[16];
	int		 n;

	snprintf(w, sizeof(w), "%d", window);
	if ((res = db_exec(&q_throttle_count, PGRES_TUPLES_OK, key, w)) ==
	    NULL)
		return -1;
	n = atoi(PQgetvalue(res, 0, 0));
	return n;
}

int
auth_throttle_clear(const char *key)
{
	PGresult	*res;

	if ((res = db_exec(&q_throttle_clear, PGRES_COMMAND_OK, key)) ==
	    NULL)
		return -1;
	return 0;
}

int
auth_throttle_take(const char *key, int window, int max, int *retry)
{
	PGresult	*res;
	char		 w[16], m[16];

	snprintf(w, sizeof(w), "%d", window);
	snprintf(m, sizeof(m), "%d", max);
	if ((res = db_exec(&q_throttle_take, PGRES_TUPLES_OK, key, w, m)) ==
	    NULL)
		return -1;
	if (!db_isnull(res, 0, "n"))
		return 1;
	/* A row made after this statement's snapshot: a whole window. */
	*retry = db_isnull(res, 0, "retry") ? window :
	    (int)db_getll(res, 0, "retry");
	return 0;
}

int
auth_throttle_give_back(const char *key)
{
	if (db_exec(&q_throttle_give_back, PGRES_COMMAND_OK, key) == NULL)
		return -1;
	return 0;
}

void
auth_addr_key(const char *addr, char *out, size_t outsz)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	char		 buf[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, addr, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			memcpy(&a4, &a6.s6_addr[12], sizeof(a4));
			if (inet_ntop(AF_INET, &a4, buf, sizeof(buf)) != NULL) {
				snprintf(out, outsz, "%s", buf);
				return;
			}
		}
		memset(&a6.s6_addr[8], 0, 8);
		if (inet_ntop(AF_INET6, &a6, buf, sizeof(buf)) != NULL) {
			snprintf(out, outsz, "%s/64", buf);
			return;
		}
	}
	snprintf(out, outsz, "%s", addr);
}

void
auth_browser_name(const char *ua, char *out, size_t outsz)
{
	/* Order matters: Edge, Opera and Yandex say "Chrome" too, Chrome
	 * says "Safari". */
	static const char *const browsers[][2] = {
		{ "YaBrowser/", "Яндекс Браузер" },
		{ "Edg", "Edge" },
		{ "OPR/", "Opera" },
		{ "Opera", "Opera" },
		{ "SamsungBrowser/", "Samsung Internet" },
		{ "Firefox/", "Firefox" },
		{ "FxiOS/", "Firefox" },
		{ "CriOS/", "Chrome" },
		{ "Chrome/", "Chrome" },
		{ "Safari/", "Safari" },
		{ "curl/", "curl" },
	};
	static const char *const systems[][2] = {
		{ "Android", "Android" },
		{ "iPhone", "iPhone" },
		{ "iPad", "iPad" },
		{ "Windows", "Windows" },
		{ "CrOS", "ChromeOS" },
		{ "Macintosh", "macOS" },
		{ "Mac OS X", "macOS" },
		{ "Linux", "Linux" },
	};
	const char	*b = NULL, *os = NULL;
	size_t		 i;

	if (ua == NULL)
		ua = "";
	for (i = 0; b == NULL && i < sizeof(browsers) / sizeof(browsers[0]);
	    i++)
		if (strstr(ua, browsers[i][0]) != NULL)
			b = browsers[i][1];
	for (i = 0; os == NULL && i < sizeof(systems) / sizeof(systems[0]);
	    i++)
		if (strstr(ua, systems[i][0]) != NULL)
			os = systems[i][1];
	if (b == NULL && os == NULL)
		snprintf(out, outsz, "Неизвестный браузер");
	else if (b == NULL)
		snprintf(out, outsz, "Браузер на %s", os);
	else if (os == NULL)
		snprintf(out, outsz, "%s", b);
	else
		snprintf(out, outsz, "%s на %s", b, os);
}

const char *
auth_user_name(struct http_req *r)
{
	const struct auth_user	*u = r->user;

	if (u == NULL)
		return "";
	if (u->patronymic[0] == '\0')
		return pool_printf(r->pool, "%s %s", u->last_name,
		    u->first_name);
	return pool_printf(r->pool, "%s %s %s", u->last_name, u->first_name,
	    u->patronymic);
}

int
auth_confirm_password(struct http_req *r, const char *what, const char *pw)
{
	const char	*key, *hash = NULL;
	PGresult	*res;
	int		 n, ok;

	if (r->user->code_login_recent)
		return AUTH_CONFIRM_OK;
	if (pw == NULL || *pw == '\0')
		return AUTH_CONFIRM_MISSING;
	key = pool_printf(r->pool, "%s:%lld", what, r->user->id);
	if ((n = auth_throttle_count(key, config->login_window)) == -1)
		return -1;
	if (n >= config->login_max_fail)
		return AUTH_CONFIRM_THROTTLED;
	if ((res = db_exec(&q_password_of, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", r->user->id))) == NULL)
		return -1;
	if (PQntuples(res) == 1 && !db_isnull(res, 0, "password_hash"))
		hash = db_get(res, 0, "password_hash");
	ok = auth_password_check(hash, pw);
	if (ok == -1)
		log_err("password", "malformed password hash of %lld",
		    r->user->id);
	if (ok != 1)
		return auth_throttle_hit(key, config->login_window) == -1 ? -1 :
		    AUTH_CONFIRM_WRONG;
	return auth_throttle_clear(key) == -1 ? -1 : AUTH_CONFIRM_OK;
}
