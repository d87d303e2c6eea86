/*
 * auth: passwords (scrypt through libscrypt), sessions (256-bit tokens
 * from getrandom, only their SHA-256 stored, 30-day sliding expiry), the
 * CSRF token of every form, and attempt throttling.
 */
#ifndef PARTA_AUTH_H
#define PARTA_AUTH_H

#include <stddef.h>

#include <libscrypt.h>

struct http_req;

#define AUTH_SESSION_COOKIE	"parta_session"
#define AUTH_CSRF_COOKIE	"parta_csrf"
#define AUTH_SESSION_DAYS	30

/* scrypt cost for new hashes: N = 2^15, r = 8, p = 1.  Checks read the
 * parameters from the stored hash, so these can be raised later. */
#define AUTH_SCRYPT_N		32768
#define AUTH_SCRYPT_R		8
#define AUTH_SCRYPT_P		1

struct auth_user {
	long long	 id;
	const char	*last_name;
	const char	*first_name;
	const char	*patronymic;
	const char	*gender;	/* "f", "m", "" erased (ru_gender) */
	const char	*phone;		/* E.164 or "" */
	const char	*email;		/* or "" */
	int		 phone_verified;
	int		 email_verified;
	int		 is_operator;
	long long	 session_id;	/* parta.session.id, public */
	int		 code_login_recent; /* session made by a code < 15 min */
	int		 consent_ok;	/* agreed to the policy in force */
	int		 verified;	/* proved a phone or e-mail, or a young
					 * child confirmed by a guardian */
	int		 waiting;	/* a young child whose guardian has not
					 * confirmed yet: can only wait */
	const char	*login;		/* a young child's login name, or "" */
};

/* Hash a password into out: 0, or -1. */
int	auth_password_hash(const char *pw, char out[SCRYPT_MCF_LEN]);
/* 1 if pw matches the stored hash, 0 if not, -1 on a malformed hash.
 * With hash NULL it spends the same time and returns 0, so that a login
 * for an unknown account is not faster than a wrong password. */
int	auth_password_check(const char *hash, const char *pw);

/*
 * The session of the request's cookie, in two halves so that other
 * statements travel with it (lib/db.h, db_send): auth_session_send
 * queues its lookup, which also makes the connection's tenant settings
 * (whom the statements queued after it run for: the session's account,
 * or nobody when the session is not live); NULL when the request has no
 * session cookie, nothing queued, unless always is 1: then a lookup of
 * no session is queued all the same, which makes the settings for
 * nobody (for statements queued after it before the session is known:
 * lib/app's APP_ONE_TRIP).  auth_session_load(r, q) then loads
 * r->user and r->csrf from it (q NULL: a visitor; the settings are
 * emptied): 0 (logged in or not), or -1 when the database failed.
 */
struct db_query;
struct db_query	*auth_session_send(struct http_req *, int always);
int	auth_session_load(struct http_req *, struct db_query *);
/* Start a session for account (in the current transaction) and set the
 * cookie: 0, or -1.  The session keeps the request's User-Agent and
 * client address, shown on /me/sessions. */
int	auth_session_start(struct http_req *, long long account);
/* The same for a login by a one-time code: the session records when
 * (parta.session.code_login_at). */
int	auth_session_start_code(struct http_req *, long long account);
/* Delete the current session and clear the cookie: 0, or -1. */
int	auth_session_end(struct http_req *);

/* Make sure r->csrf is set: from the session, or a random token kept in
 * a cookie for visitors who are not logged in. */
void	auth_csrf_prepare(struct http_req *);
/* 1 if the form's csrf field matches, else 0. */
int	auth_csrf_ok(const struct http_req *);

/*
 * Count one attempt against key within window minutes, atomically in
 * the database: returns the number of attempts in the current window
 * (including this one), or -1 on failure.  auth_throttle_clear forgets
 * the key.
 */
int	auth_throttle_hit(const char *key, int window);
int	auth_throttle_count(const char *key, int window);
int	auth_throttle_clear(const char *key);
/*
 * Take one attempt against key if it has fewer than max in the current
 * window of window minutes, in one atomic upsert (parallel requests
 * queue on the row, so exactly max are taken): 1 taken; 0 refused,
 * nothing counted, *retry set to the whole minutes until the window
 * ends (at least 1); -1 on failure.  auth_throttle_give_back returns
 * one taken attempt (an attempt that turned out not to be a failure).
 */
int	auth_throttle_take(const char *key, int window, int max, int *retry);
int	auth_throttle_give_back(const char *key);

/*
 * The client address as limits count it: an IPv4 address as it is (also
 * when written IPv4-mapped, "::ffff:a.b.c.d"), an IPv6 address as its
 * /64 ("2001:db8:1:2::/64": one subscriber is given a whole /64, and
 * would otherwise have 2^64 addresses to spread attempts over); anything
 * else as it is, truncated.  Into out.
 */
#define AUTH_ADDR_KEY_MAX	64
void	auth_addr_key(const char *addr, char *out, size_t outsz);

/*
 * Before a change that could lock a person out of their account (a new
 * password, a new contact, deleting it): does r->user know the password?
 * pw is the form's value (may be NULL).  what names the action in the
 * throttle key ("password", "contacts", "delete"): wrong answers count,
 * PARTA_LOGIN_MAX_FAIL per PARTA_LOGIN_WINDOW minutes per person and
 * action, like logins.  A session made by a code in the last 15 minutes
 * passes without one (issue 16: recovery sets a new password by a
 * code).  Returns AUTH_CONFIRM_OK (and the count is cleared),
 * AUTH_CONFIRM_MISSING, AUTH_CONFIRM_WRONG, AUTH_CONFIRM_THROTTLED, or
 * -1 when the database failed (logged).  Runs outside a transaction.
 */
enum auth_confirm {
	AUTH_CONFIRM_OK = 0,
	AUTH_CONFIRM_MISSING,
	AUTH_CONFIRM_WRONG,
	AUTH_CONFIRM_THROTTLED
};
int	auth_confirm_password(struct http_req *, const char *what,
	    const char *pw);

/* A short readable name of the browser of a User-Agent ("Chrome на
 * Android", "Safari на iPhone") into out. */
void	auth_browser_name(const char *ua, char *out, size_t outsz);

/* Display name "Last First Patronymic". */
const char *auth_user_name(struct http_req *);

#endif
