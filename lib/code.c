/*
 * code: one-time codes and their limits (see code.h for the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "html.h"
#include "log.h"
#include "outbox.h"

static const char *const code_purposes[] = { "verify", "login", "contact",
    "delete", "child" };

/* One hit on a counter; the window restarts once it has run out. */
static const struct db_stmt q_limit_hit = {
	"code_limit_hit",
	"INSERT INTO parta.code_limit AS l (kind, key, since, n)"
	" VALUES ($1, $2, now(), 1) ON CONFLICT (kind, key) DO UPDATE SET"
	"  n = CASE WHEN l.since < now() - make_interval(mins => $3::int)"
	"   THEN 1 ELSE l.n + 1 END,"
	"  since = CASE WHEN l.since < now() - make_interval(mins => $3::int)"
	"   THEN now() ELSE l.since END"
	" RETURNING n, greatest(1, ceil(extract(epoch FROM since"
	"  + make_interval(mins => $3::int) - now()) / 60))::int AS retry"
};

/* Take back one hit (a right code is no wrong try). */
static const struct db_stmt q_limit_unhit = {
	"code_limit_unhit",
	"UPDATE parta.code_limit SET n = greatest(n - 1, 0)"
	" WHERE kind = $1 AND key = $2"
};

static const struct db_stmt q_code_put = {
	"code_put",
	"INSERT INTO parta.code (account_id, purpose, channel, address,"
	" code_hash, expires_at) VALUES ($1, $2, $3, $4, decode($5, 'hex'),"
	" now() + make_interval(mins => $6::int))"
	" ON CONFLICT (account_id, purpose, channel) DO UPDATE SET"
	" address = $4, code_hash = decode($5, 'hex'), created_at = now(),"
	" expires_at = now() + make_interval(mins => $6::int)"
};

/* The newest code that fits, locked against parallel tries. */
static const struct db_stmt q_code_find = {
	"code_find",
	"SELECT account_id, channel, address, encode(code_hash, 'hex')"
	" AS code_hash, expires_at > now() AS live FROM parta.code"
	" WHERE purpose = $1 AND ($2::bigint = 0 OR account_id = $2)"
	" AND ($3 = '' OR channel = $3) AND ($4 = '' OR address = $4)"
	" ORDER BY expires_at > now() DESC, created_at DESC LIMIT 1"
	" FOR UPDATE"
};

static const struct db_stmt q_code_delete = {
	"code_delete",
	"DELETE FROM parta.code WHERE account_id = $1 AND purpose = $2"
	" AND channel = $3"
};

const char *
code_channel(const char *recipient)
{
	return recipient[0] == '+' ? "phone" : "email";
}

/* Count one hit of kind for key against max: CODE_OK, CODE_LIMIT (with
 * *retry) or CODE_ERROR. */
static int
code_limit_hit(const char *kind, const char *key, int max, int *retry)
{
	PGresult	*res;
	char		 w[16];
	int		 n;

	snprintf(w, sizeof(w), "%d", config->code_window);
	if ((res = db_exec(&q_limit_hit, PGRES_TUPLES_OK, kind, key, w)) ==
	    NULL)
		return CODE_ERROR;
	n = atoi(db_get(res, 0, "n"));
	*retry = atoi(db_get(res, 0, "retry"));
	return n > max ? CODE_LIMIT : CODE_OK;
}

int
code_signup_hit(const char *addr, int *retry)
{
	return code_limit_hit("signup", addr, config->signup_addr_max, retry);
}

int
code_account_hit(long long account, int *retry)
{
	char	 key[24];

	snprintf(key, sizeof(key), "%lld", account);
	return code_limit_hit("account", key, config->code_send_max, retry);
}

int
code_quota(const char *recipient, int *retry)
{
	return code_limit_hit("sent", recipient, config->code_send_max,
	    retry);
}

/* Store a new code's hash; the code into out. */
static int
code_issue(long long account, enum code_purpose p, const char *channel,
    const char *address, char out[CODE_DIGITS + 1])
{
	char		 hex[2 * CRYPTO_SHA256_LEN + 1], id[24], mins[16];
	PGresult	*res;

	if (crypto_code(out, CODE_DIGITS) == -1) {
		log_err("code", "getrandom failed");
		return CODE_ERROR;
	}
	crypto_sha256_hex(out, hex);
	snprintf(id, sizeof(id), "%lld", account);
	snprintf(mins, sizeof(mins), "%d", p == CODE_CHILD ?
	    CODE_CHILD_MINUTES : CODE_MINUTES);
	res = db_exec(&q_code_put, PGRES_COMMAND_OK, id, code_purposes[p],
	    channel, address, hex, mins);
	if (res == NULL)
		return CODE_ERROR;
	return CODE_OK;
}

/* Limit, code, and the message: text; or before, the code and after when
 * before is set; or the code's own when both are NULL. */
static int
code_message(long long account, enum code_purpose p, const char *channel,
    const char *address, const char *what, const char *text,
    const char *before, const char *after, int *retry)
{
	char	 code[CODE_DIGITS + 1], msg[2048];
	int	 rc;

	if ((rc = code_quota(address, retry)) != CODE_OK)
		return rc;
	if (code_issue(account, p, channel, address, code) != CODE_OK)
		return CODE_ERROR;
	if (before != NULL)
		snprintf(msg, sizeof(msg), "%s%s%s", before, code,
		    after != NULL ? after : "");
	else if (text == NULL)
		snprintf(msg, sizeof(msg), "%s: %s. Он действует %d %s. "
		    "Никому его не сообщайте.", what, code, CODE_MINUTES,
		    ru_plural(CODE_MINUTES, "минуту", "минуты", "минут"));
	else
		snprintf(msg, sizeof(msg), "%s", text);
	explicit_bzero(code, sizeof(code));
	rc = outbox_queue(strcmp(channel, "phone") == 0 ? OUTBOX_SMS :
	    OUTBOX_EMAIL, address, msg);
	explicit_bzero(msg, sizeof(msg));
	return rc == 0 ? CODE_OK : CODE_ERROR;
}

int
code_send(long long account, enum code_purpose p, const char *channel,
    const char *address, const char *what, int *retry)
{
	return code_message(account, p, channel, address, what, NULL, NULL,
	    NULL, retry);
}

int
code_send_text(long long account, enum code_purpose p, const char *channel,
    const char *address, const char *before, const char *after, int *retry)
{
	return code_message(account, p, channel, address, NULL, NULL, before,
	    after, retry);
}

int
code_notice(long long account, enum code_purpose p, const char *channel,
    const char *address, const char *text, int *retry)
{
	return code_message(account, p, channel, address, NULL, text, NULL,
	    NULL, retry);
}

int
code_pending(long long account, enum code_purpose p, const char *channel,
    struct code_found *found)
{
	PGresult	*res;
	char		 id[24];
	int		 live;

	memset(found, 0, sizeof(*found));
	snprintf(id, sizeof(id), "%lld", account);
	res = db_exec(&q_code_find, PGRES_TUPLES_OK, code_purposes[p], id,
	    channel, "");
	if (res == NULL)
		return CODE_ERROR;
	live = PQntuples(res) == 1 && db_getbool(res, 0, "live");
	if (live) {
		found->account = account;
		snprintf(found->channel, sizeof(found->channel), "%s",
		    db_get(res, 0, "channel"));
		snprintf(found->address, sizeof(found->address), "%s",
		    db_get(res, 0, "address"));
	}
	return live;
}

int
code_check(long long account, enum code_purpose p, const char *channel,
    const char *address, const char *code, struct code_found *found,
    int *retry)
{
	char		 hex[2 * CRYPTO_SHA256_LEN + 1], id[24];
	char		 recipient[CODE_ADDR_MAX];
	PGresult	*res;
	int		 rc, live = 0, right = 0;

	memset(found, 0, sizeof(*found));
	snprintf(id, sizeof(id), "%lld", account);
	res = db_exec(&q_code_find, PGRES_TUPLES_OK, code_purposes[p], id,
	    channel, address);
	if (res == NULL)
		return CODE_ERROR;
	if (PQntuples(res) == 1) {
		live = db_getbool(res, 0, "live");
		found->account = db_getll(res, 0, "account_id");
		snprintf(found->channel, sizeof(found->channel), "%s",
		    db_get(res, 0, "channel"));
		snprintf(found->address, sizeof(found->address), "%s",
		    db_get(res, 0, "address"));
		crypto_sha256_hex(code, hex);
		right = live && strlen(code) == CODE_DIGITS &&
		    crypto_equal(hex, db_get(res, 0, "code_hash"));
	}
	if (address[0] == '\0' && !live) {
		/* Nothing to guess: no try to count. */
		memset(found, 0, sizeof(*found));
		return CODE_NONE;
	}
	snprintf(recipient, sizeof(recipient), "%s", address[0] != '\0' ?
	    address : found->address);
	rc = code_limit_hit("wrong", recipient, config->code_wrong_max, retry);
	if (rc != CODE_OK) {
		memset(found, 0, sizeof(*found));
		return rc;
	}
	if (!right) {
		memset(found, 0, sizeof(*found));
		return CODE_WRONG;
	}
	if ((res = db_exec(&q_limit_unhit, PGRES_COMMAND_OK, "wrong",
	    recipient)) == NULL)
		return CODE_ERROR;
	snprintf(id, sizeof(id), "%lld", found->account);
	if ((res = db_exec(&q_code_delete, PGRES_COMMAND_OK, id,
	    code_purposes[p], found->channel)) == NULL)
		return CODE_ERROR;
	return CODE_OK;
}
