/*
 * chat: chat links, handed out by a chat's admins and followed by anyone
 * (/c/TOKEN, also a parent link's landing: main.c says how both are
 * made and looked up).
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "guardian.h"
#include "log.h"
#include "org.h"
#include "pool.h"
#include "qr.h"

#include "chat.h"

/* The chat's link as stored: the hash and the salt it derives from ("":
 * none, or made before salts were kept). */
static const struct db_stmt q_link_get = {
	"chat_link_get",
	"SELECT coalesce(encode(token_hash, 'hex'), '') AS token_hash,"
	" coalesce(encode(token_salt, 'hex'), '') AS token_salt"
	" FROM parta.chat WHERE org_id = $1 AND id = $2"
};

static const struct db_stmt q_link_set = {
	"chat_link_set",
	"UPDATE parta.chat SET token_hash = decode($3, 'hex'),"
	" token_salt = decode($4, 'hex') WHERE org_id = $1 AND id = $2"
};

/* Chat links: the chat for a token hash (parta.chat_by_token: the
 * token opens it to someone of no membership), whether $2 is in it, and
 * whether $2 was removed from its organization (barred). */
static const struct db_stmt q_link_chat = {
	"chat_link_chat",
	"SELECT c.org_id, c.id, c.title, c.org_name,"
	" EXISTS (SELECT 1 FROM parta.chat_member cm WHERE cm.org_id = c.org_id"
	"  AND cm.chat_id = c.id AND cm.account_id = $2) AS joined,"
	" c.archived, (SELECT b.barred FROM parta.barred(c.org_id, $2) b)"
	"  AS barred"
	" FROM parta.chat_by_token(decode($1, 'hex')) c"
};

/* Refused by the database: the class archived meanwhile (check
 * violation), the person barred meanwhile, the chat closed by the
 * organization's administrator meanwhile (closing it also ends its
 * link: sql/0034_public_chats.sql). */
static const struct db_stmt q_link_join = {
	"chat_link_join",
	"INSERT INTO parta.chat_member (org_id, chat_id, account_id)"
	" VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	DB_CHECK_VIOLATION " " DB_BARRED " " DB_CLOSED
};

/* Parent links; barred_org names a school of the child's that removed
 * $2 ("" when none): a guardian joins its parents' chats, a barred
 * person does not (sql/0012_membership.sql, class_chats_sync). */
static const struct db_stmt q_parent_link = {
	"chat_parent_link",
	"SELECT p.child_id, p.used_at IS NOT NULL AS used,"
	" p.expires_at <= now() AS expired, a.first_name, a.gender,"
	" left(a.last_name, 1) AS initial,"
	" parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"  AS full_name,"
	" EXISTS (SELECT 1 FROM parta.guardian g WHERE g.child_id = p.child_id"
	"  AND g.parent_id = $2) AS guardian,"
	" CASE WHEN $2 = 0 THEN '' ELSE parta.guardian_refusal($2, p.child_id)"
	"  END AS refusal,"
	" parta.child_school_barred(p.child_id, $2) AS barred_org"
	" FROM parta.parent_link p JOIN parta.account a ON a.id = p.child_id"
	" WHERE p.token_hash = decode($1, 'hex')"
};

/* SHA-256 of a token as hex, for decode($n, 'hex'). */
static const char *
token_hash_hex(struct http_req *r, const char *token)
{
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];

	crypto_sha256_hex(token, hex);
	return pool_strdup(r->pool, hex);
}

/* Put a link and its QR code into a page. */
static void
link_ctx(struct http_req *r, struct html_ctx *c, const char *token)
{
	const char	*url;

	url = pool_printf(r->pool, "%s/c/%s", app_base_url(r), token);
	html_set_str(c, "link", url);
	qr_ctx(c, url);
}

/* A stored link (token_salt, token_hash of row 0 of res) derived again
 * into a page, as link_ctx does: 1, or 0 when it cannot be shown. */
int
link_again_ctx(struct http_req *r, struct html_ctx *c, const char *purpose,
    long long id, const PGresult *res)
{
	char	 token[CRYPTO_TOKEN_LEN + 1];

	if (!app_secret_ok() || crypto_link_again(config->secret, purpose, id,
	    db_get(res, 0, "token_salt"), db_get(res, 0, "token_hash"),
	    token) == -1)
		return 0;
	link_ctx(r, c, token);
	explicit_bzero(token, sizeof(token));
	return 1;
}

/* The page of a chat's link for its admins: the link and its QR code
 * when there is one that can be shown, else why not, and the button. */
static int
chat_link_page(struct http_req *r, const struct chat *ch, int status)
{
	struct html_ctx	*c;
	PGresult	*res;
	int		 has_link, shown;

	if ((res = db_exec(&q_link_get, PGRES_TUPLES_OK, ch->org_s,
	    ch->id_s)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	c = chat_ctx(r, ch);
	has_link = db_get(res, 0, "token_hash")[0] != '\0';
	shown = has_link && !ch->archived && link_again_ctx(r, c,
	    CRYPTO_LINK_CHAT, ch->id, res);
	html_set_str(c, "title", pool_printf(r->pool, "Ссылка на чат «%s»",
	    ch->title));
	html_set_bool(c, "has_link", has_link);
	html_set_bool(c, "hidden_link", has_link && !shown);
	return app_page(r, status, "chat_link", c);
}

/*
 * GET /chats/ID/link
 * Chat admins (members who are not: 403; others 404) of a chat that may
 * have a link (not a channel, the staff chat or a direct chat: 403).  The
 * chat's current link and its QR code, derived again from the stored
 * salt; no link yet, or one made before salts were kept: says so, with
 * the button to make one.  The chat of an archived class: says its link
 * no longer lets anyone in.  Changes nothing.
 */
int
link_show(struct http_req *r)
{
	struct chat	 ch;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || !ch.linkable)
		return HTTP_FORBIDDEN;
	return chat_link_page(r, &ch, HTTP_OK);
}

/*
 * POST /chats/ID/link
 * Chat admins (others as GET /chats/ID/link).  Makes a new link (a new
 * salt and hash): the old one stops working.  303 to /chats/ID/link,
 * which shows it.  The chat of an archived class takes no new members:
 * 409 with that page.
 */
int
link_regenerate(struct http_req *r)
{
	char		 salt[2 * CRYPTO_SALT_LEN + 1];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1];
	struct chat	 ch;
	PGresult	*res;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || !ch.linkable)
		return HTTP_FORBIDDEN;
	if (ch.archived)
		return chat_link_page(r, &ch, HTTP_CONFLICT);
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;
	if (crypto_link_new(config->secret, CRYPTO_LINK_CHAT, ch.id, salt,
	    hash, NULL) == -1) {
		log_err("link", "no random bytes");
		return HTTP_SERVER_ERROR;
	}
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_link_set, PGRES_COMMAND_OK, ch.org_s, ch.id_s,
	    hash, salt)) == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/link", ch.id));
}

/* What a token of /c/TOKEN opens. */
enum link_kind {
	LINK_NONE,		/* nothing: 404 */
	LINK_CHAT,		/* a chat's link */
	LINK_PARENT		/* a child's link for a parent */
};

/* A token from /c/TOKEN: what it opens into *what, its row into *res.
 * 0, or an HTTP status. */
static int
link_find(struct http_req *r, PGresult **res, enum link_kind *what)
{
	const char	*hash = token_hash_hex(r, r->arg[0]);
	const char	*me = app_num(r, r->user != NULL ? r->user->id : 0);

	*what = LINK_NONE;
	if ((*res = db_exec(&q_link_chat, PGRES_TUPLES_OK, hash, me)) ==
	    NULL)
		return app_db_error();
	if (PQntuples(*res) == 1) {
		*what = LINK_CHAT;
		return 0;
	}
	if ((*res = db_exec(&q_parent_link, PGRES_TUPLES_OK, hash, me)) ==
	    NULL)
		return app_db_error();
	if (PQntuples(*res) == 1)
		*what = LINK_PARENT;
	else
		*res = NULL;
	return 0;
}

/* The landing page of a link: the chat's or the parent link's.  A chat
 * link answered 410 is the link of an archived class's chat. */
static int
link_page(struct http_req *r, int status, enum link_kind what,
    const PGresult *res)
{
	struct html_ctx	*c;
	const char	*self = pool_printf(r->pool, "/c/%s", r->arg[0]);
	const char	*refusal;

	c = app_ctx(r);
	html_set_str(c, "token", r->arg[0]);
	html_set_str(c, "next_enc", http_urlencode(r->pool, self));
	if (what == LINK_CHAT) {
		html_set_str(c, "title", "Приглашение в чат");
		html_set_bool(c, "chat_link", 1);
		html_set_str(c, "chat_title", db_get(res, 0, "title"));
		html_set_str(c, "chat_org", db_get(res, 0, "org_name"));
		html_set_str(c, "chat_id", db_get(res, 0, "id"));
		html_set_bool(c, "joined", db_getbool(res, 0, "joined"));
		if (status == HTTP_GONE) {
			html_set_str(c, "title", "Чат только для чтения");
			html_set_bool(c, "archived", 1);
		}
	} else {
		html_set_str(c, "title", "Подтверждение родителя");
		html_set_bool(c, "parent_link", 1);
		html_set_str(c, "child_short", pool_printf(r->pool, "%s %s.",
		    db_get(res, 0, "first_name"), db_get(res, 0, "initial")));
		html_set_str(c, "child_gender", db_get(res, 0, "gender"));
		if (r->user != NULL) {
			html_set_str(c, "child_name", db_get(res, 0,
			    "full_name"));
			html_set_bool(c, "is_child", db_getll(res, 0,
			    "child_id") == r->user->id);
			html_set_bool(c, "guardian", db_getbool(res, 0,
			    "guardian"));
			refusal = db_get(res, 0, "refusal");
			/* Who may not be a guardian is told before trying. */
			if (strcmp(refusal, "minor") == 0)
				html_set_str(c, "refusal",
				    guardian_refusal_text(GUARDIAN_MINOR));
			else if (strcmp(refusal, "student") == 0)
				html_set_str(c, "refusal",
				    guardian_refusal_text(GUARDIAN_STUDENT));
		}
	}
	return app_page(r, status, "link_landing", c);
}

/* The organization of link row res that bars the person asking, or
 * NULL: the chat's for a chat link, a school of the child's for a
 * parent link. */
static const char *
link_barred(struct http_req *r, enum link_kind what, const PGresult *res)
{
	if (r->user == NULL)
		return NULL;
	if (what == LINK_CHAT)
		return db_getbool(res, 0, "barred") ? pool_strdup(r->pool,
		    db_get(res, 0, "org_name")) : NULL;
	return db_get(res, 0, "barred_org")[0] != '\0' ? pool_strdup(r->pool,
	    db_get(res, 0, "barred_org")) : NULL;
}

/*
 * GET /c/TOKEN
 * Anyone.  A chat link: the chat's name and organization, and a button to
 * join (or log in / sign up first).  A child's parent link: who asks to
 * be confirmed, and a button to confirm; the child themselves is told the
 * link is for their parent, and who may not be a guardian (a minor, a
 * student) why.  Unknown token: 404; a used or expired parent link, or
 * the link of an archived class's chat: 410 with a page that says which.  A person removed from the chat's organization
 * (or from a school of the child's, for a parent link): 403 with a page
 * that says so and nothing of the chat.
 */
int
link_landing(struct http_req *r)
{
	PGresult	*res;
	const char	*barred;
	enum link_kind	 what;
	int		 rc;

	if ((rc = link_find(r, &res, &what)) != 0)
		return rc;
	if (what == LINK_NONE)
		return HTTP_NOT_FOUND;
	if (what == LINK_PARENT && (db_getbool(res, 0, "used") ||
	    db_getbool(res, 0, "expired"))) {
		rc = db_getbool(res, 0, "used");
		return parent_link_gone(r, rc);
	}
	if ((barred = link_barred(r, what, res)) != NULL)
		return org_barred_page(r, barred);
	rc = link_page(r, what == LINK_CHAT && db_getbool(res, 0,
	    "archived") ? HTTP_GONE : HTTP_OK, what, res);
	return rc;
}

/* 1 if the person has proved a phone or e-mail (or is a young child
 * confirmed by a guardian). */
int
verified(const struct http_req *r)
{
	return r->user->verified;
}

/*
 * POST /c/TOKEN
 * Anyone logged in with a verified phone or e-mail (others go to
 * /verify first).  A chat link: joins the chat, 303 to /chats/ID (already
 * in it: 409; the chat of an archived class: 410, also when the class is
 * archived meanwhile: the database refuses the member).  A parent link:
 * takes the link (single use, 14 days: else 410 saying which) and makes
 * the person the child's confirmed guardian (lib/guardian), which brings
 * them into the parents' chat of the child's class and tells the
 * homeroom teacher; 303 to /chats/family.  Already their guardian, under
 * 18, a student (or applying as one) anywhere: 409 with the plain
 * reason; the child themselves: 403 with the explanation.
 * Unknown token: 404.  A barred person (as for GET): 403 with the page
 * that says so, also when the bar came while the request was on its
 * way (the database refuses the join); nothing is changed.
 */
int
link_follow(struct http_req *r)
{
	PGresult	*res, *join;
	const char	*me = app_num(r, r->user->id), *org, *chat;
	const char	*barred;
	enum link_kind	 what;
	long long	 id;
	int		 rc, n;

	if ((rc = link_find(r, &res, &what)) != 0)
		return rc;
	if (what == LINK_NONE)
		return HTTP_NOT_FOUND;
	if ((what == LINK_CHAT || !(db_getbool(res, 0, "used") ||
	    db_getbool(res, 0, "expired"))) &&
	    (barred = link_barred(r, what, res)) != NULL) {
		return org_barred_page(r, barred);
	}
	if (what == LINK_CHAT && db_getbool(res, 0, "archived")) {
		rc = link_page(r, HTTP_GONE, what, res);
		return rc;
	}
	if (!verified(r)) {
		return app_redirect(r, pool_printf(r->pool, "/verify?next=%s",
		    http_urlencode(r->pool, pool_printf(r->pool, "/c/%s",
		    r->arg[0]))));
	}
	if (what == LINK_CHAT) {
		org = pool_strdup(r->pool, db_get(res, 0, "org_id"));
		chat = pool_strdup(r->pool, db_get(res, 0, "id"));
		if (db_getbool(res, 0, "joined")) {
			rc = link_page(r, HTTP_CONFLICT, what, res);
			return rc;
		}
		if (db_begin() == -1)
			return app_db_error();
		if ((join = db_exec(&q_link_join, PGRES_COMMAND_OK, org,
		    chat, me)) == NULL) {
			if (strcmp(db_sqlstate(), DB_BARRED) == 0) {
				barred = pool_strdup(r->pool,
				    db_get(res, 0, "org_name"));
				return org_barred_page(r, barred);
			}
			if (strcmp(db_sqlstate(), DB_CLOSED) == 0)
				return HTTP_GONE;
			if (strcmp(db_sqlstate(), DB_CHECK_VIOLATION) != 0)
				return app_db_error();
			rc = link_page(r, HTTP_GONE, what, res);
			return rc;
		}
		n = atoi(PQcmdTuples(join));
		if ((rc = app_commit(r)) != 0)
			return rc;
		if (n != 1)
			return HTTP_CONFLICT;
		return app_redirect(r, app_chat_href(r,
		    strtoll(chat, NULL, 10)));
	}
	if (db_getll(res, 0, "child_id") == r->user->id) {
		rc = link_page(r, HTTP_FORBIDDEN, what, res);
		return rc;
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_link_confirm(r, token_hash_hex(r, r->arg[0]), &id);
	if (rc != GUARDIAN_OK) {
		if (rc == GUARDIAN_USED || rc == GUARDIAN_EXPIRED)
			return parent_link_gone(r, rc == GUARDIAN_USED);
		if (rc == GUARDIAN_ERROR || rc == GUARDIAN_NOT_FOUND)
			return guardian_http_status(rc);
		return parent_link_refused(r, rc);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/chats/family");
}
