/*
 * chat: parents in chats.  A student's parent link, the parent's family
 * page and a young child's confirmation, a student removing a guardian,
 * and direct chats between a guardian and the child or its teachers
 * (main.c: who may be a guardian is lib/guardian's).
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "guardian.h"
#include "home.h"
#include "log.h"
#include "org.h"
#include "outbox.h"
#include "pool.h"

#include "chat.h"

#define PARENT_LINKS_LIVE	5	/* unused parent links per child */

#define PARENT_LINK_DAYS	14

/* A student (or one applying as a student) who is not a young child
 * may make parent links, by the rule of parta.parent_link_refusal
 * (sql/0022_guardian_safety.sql). */
static const struct db_stmt q_child = {
	"chat_child",
	"SELECT parta.parent_link_refusal($1, $2::int) AS refusal,"
	" (SELECT count(*) FROM parta.parent_link WHERE child_id = $1"
	"  AND used_at IS NULL AND expires_at > now()) AS live"
};

static const struct db_stmt q_account_lock = {
	"chat_account_lock",
	"SELECT 1 FROM parta.account WHERE id = $1 FOR UPDATE"
};

static const struct db_stmt q_parent_link_insert = {
	"chat_parent_link_insert",
	"INSERT INTO parta.parent_link (child_id, token_hash, token_salt,"
	" expires_at) VALUES ($1, decode($2, 'hex'), decode($3, 'hex'),"
	" now() + make_interval(days => $4)) RETURNING id"
};

/* A child's parent links not used and not expired, newest first; times
 * in the child's zone (parta.child_tz). */
static const struct db_stmt q_parent_links_live = {
	"chat_parent_links_live",
	"SELECT p.id, parta.local_time(p.created_at, z.tz) AS created,"
	" parta.local_time(p.expires_at, z.tz) AS expires"
	" FROM parta.parent_link p CROSS JOIN parta.child_tz(child => $1) z"
	" WHERE p.child_id = $1"
	" AND p.used_at IS NULL AND p.expires_at > now() ORDER BY p.id DESC"
};

/* One parent link of child $1, and who used it. */
static const struct db_stmt q_parent_link_mine = {
	"chat_parent_link_mine",
	"SELECT encode(p.token_hash, 'hex') AS token_hash,"
	" coalesce(encode(p.token_salt, 'hex'), '') AS token_salt,"
	" p.used_at IS NOT NULL AS used, p.expires_at <= now() AS expired,"
	" parta.local_time(p.expires_at, z.tz) AS expires,"
	" coalesce(parta.full_name(a.last_name, a.first_name, a.patronymic),"
	"  '')"
	"  AS used_by, a.gender AS used_by_gender"
	" FROM parta.parent_link p"
	" LEFT JOIN parta.account a ON a.id = p.used_by"
	" CROSS JOIN parta.child_tz(child => $1) z"
	" WHERE p.child_id = $1 AND p.id = $2"
};

static const struct db_stmt q_parents = {
	"chat_parents",
	"SELECT a.id, parta.full_name(a.last_name, a.first_name,"
	"  a.patronymic) AS name FROM parta.guardian g"
	" JOIN parta.account a ON a.id = g.parent_id"
	" WHERE g.child_id = $1 ORDER BY g.confirmed_at, a.id"
};

/*
 * The people one may write to directly besides one's children and their
 * teachers (lib/guardian): one's parents (while one is a student in a
 * current class), the parents of one's students.
 */
static const struct db_stmt q_contacts = {
	"chat_contacts",
	"SELECT DISTINCT ON (x.account_id, x.relation) x.account_id,"
	" x.relation, parta.full_name(a.last_name, a.first_name,"
	"  a.patronymic) AS name, x.about, o.short_name AS org_name FROM ("
	"  SELECT g.parent_id AS account_id, 'parent' AS relation, s.org_id,"
	"   '' AS about"
	"  FROM parta.guardian g LEFT JOIN parta.class_member s"
	"   ON s.account_id = g.child_id AND s.role = 'student'"
	"  WHERE g.child_id = $1"
	"  UNION ALL"
	"  SELECT g.parent_id, 'guardian', s.org_id,"
	"   concat_ws(' ', 'родитель:', c.first_name, c.last_name, '·',"
	"   parta.class_name(k.grade, k.letter, k.title))"
	"  FROM parta.class_member t JOIN parta.class k ON k.org_id = t.org_id"
	"   AND k.id = t.class_id AND k.archived_at IS NULL"
	"  JOIN parta.member tm ON tm.org_id = t.org_id"
	"   AND tm.account_id = t.account_id"
	"  JOIN parta.class_member s ON s.org_id = t.org_id"
	"   AND s.class_id = t.class_id AND s.role = 'student'"
	"  JOIN parta.guardian g ON g.child_id = s.account_id"
	"  JOIN parta.account c ON c.id = s.account_id"
	"  WHERE t.account_id = $1 AND t.role IN ('teacher', 'homeroom')"
	"   AND g.parent_id <> $1"
	" ) x JOIN parta.account a ON a.id = x.account_id"
	" LEFT JOIN parta.org o ON o.id = x.org_id"
	" ORDER BY x.relation, x.account_id, x.org_id"
};

/*
 * Whether $1 and $2 may have a direct chat, and where: a guardian and
 * their child (in the child's school), or a guardian and a teacher of
 * the child's current class (in that school), by parta.direct_related
 * (sql/0012), the rule that also closes such chats when it ends.
 */
static const struct db_stmt q_relation = {
	"chat_relation",
	"SELECT o.org_id, pr.g AS guardian_id, pr.p AS peer_id"
	" FROM (VALUES ($1::bigint, $2::bigint), ($2::bigint, $1::bigint))"
	"  AS pr (g, p)"
	" CROSS JOIN LATERAL (SELECT DISTINCT s.org_id FROM parta.guardian g"
	"  JOIN parta.class_member s ON s.account_id = g.child_id"
	"  AND s.role = 'student' WHERE g.parent_id = pr.g) o"
	" WHERE parta.direct_related(o.org_id, pr.g, pr.p)"
	" ORDER BY NOT EXISTS (SELECT 1 FROM parta.guardian x"
	"  WHERE x.parent_id = pr.g AND x.child_id = pr.p), o.org_id LIMIT 1"
};

/* The other side's membership, held until the chat is opened: a way out
 * of theirs waits for it, or it waits for the way out and finds none
 * (""). */
static const struct db_stmt q_peer_lock = {
	"chat_peer_lock",
	"SELECT parta.member_role_locked($1, $2) AS role,"
	" (SELECT short_name FROM parta.org WHERE id = $1) AS org_name"
};

static const struct db_stmt q_direct_insert = {
	"chat_direct_insert",
	"INSERT INTO parta.chat (org_id, title, purpose, guardian_id, peer_id,"
	" created_by) VALUES ($1, 'Личные сообщения', 'direct', $2, $3, $4)"
	" ON CONFLICT DO NOTHING"
};

static const struct db_stmt q_direct_find = {
	"chat_direct_find",
	"SELECT id FROM parta.chat WHERE org_id = $1 AND purpose = 'direct'"
	" AND guardian_id = $2 AND peer_id = $3"
};

/*
 * Both people into their chat, only those not in it yet (the database
 * checks each joining row).  Refused: the chat was closed, the other
 * side having left (it opens again when they come back); the guardian
 * was removed from the organization and is barred.
 */
static const struct db_stmt q_direct_join = {
	"chat_direct_join",
	"INSERT INTO parta.chat_member (org_id, chat_id, account_id)"
	" SELECT $1, $2, a FROM unnest(ARRAY[$3, $4]::bigint[]) AS a"
	" WHERE NOT EXISTS (SELECT 1 FROM parta.chat_member cm"
	"  WHERE cm.org_id = $1 AND cm.chat_id = $2 AND cm.account_id = a)"
	" ON CONFLICT DO NOTHING",
	DB_CLOSED " " DB_BARRED
};

/* Why a direct chat is closed (direct_related, sql/0012, no longer holds
 * for its two people: one left, a child moved, a guardianship ended). */
#define DIRECT_CLOSED_WORDS						\
	"Чат закрыт: вас больше не связывает общий класс или ребёнок в "	\
	"этой организации. Переписка сохранена, писать в этот чат нельзя."

/* A direct chat found closed where it was to be opened: 409. */
static int
direct_closed_page(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Переписка закрыта");
	html_set_str(c, "message", DIRECT_CLOSED_WORDS);
	return app_page(r, HTTP_CONFLICT, "error", c);
}

/*
 * The 404 of a direct chat nobody may open: the same for a person one
 * may never write to and one who no longer is among them (a leader
 * taken off the page, a teacher who left the class), so it tells
 * nothing about anybody; but it says what to do, since the button that
 * led here was on a page a moment ago.
 */
static int
direct_none_page(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Написать нельзя");
	html_set_str(c, "message", "Этому человеку отсюда написать нельзя: "
	    "его уже нет среди учителей ваших детей и руководителей их "
	    "школы. Откройте список ещё раз — он показывает тех, кому "
	    "можно написать сейчас.");
	return app_page(r, HTTP_NOT_FOUND, "error", c);
}

/* The 410 page of a parent link used already or expired. */
int
parent_link_gone(struct http_req *r, int used)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", used ? "Ссылка уже использована" :
	    "Срок действия ссылки истёк");
	html_set_str(c, "message", guardian_refusal_text(used ?
	    GUARDIAN_USED : GUARDIAN_EXPIRED));
	return app_page(r, HTTP_GONE, "error", c);
}

/* The 409 (or 403 for the child) page of a refused confirmation. */
int
parent_link_refused(struct http_req *r, int result)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", result == GUARDIAN_EXISTS ?
	    "Вы уже подтверждены" : "Подтвердить нельзя");
	html_set_str(c, "message", guardian_refusal_text(result));
	return app_page(r, guardian_http_status(result), "error", c);
}

/* The family page with status; error (or NULL) next to the password
 * form of child err_child. */
static int
family_page(struct http_req *r, int status, long long err_child,
    const char *error)
{
	struct html_ctx	*c, *item;
	PGresult	*res;
	const char	*list;
	int		 i, rc, allowed;

	c = app_ctx(r);
	html_set_str(c, "title", "Семья и учителя");
	if ((rc = home_parent_link_allowed(r, &allowed)) != 0)
		return rc;
	html_set_bool(c, "parent_link", allowed);
	html_set_int(c, "child_age", config->child_age);
	html_set_bool(c, "password_set", status == HTTP_OK &&
	    http_query(r, "password") != NULL);
	if ((rc = guardian_family_ctx(r, c, err_child, error)) != 0)
		return rc;
	if ((res = db_exec(&q_contacts, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		list = strcmp(db_get(res, i, "relation"), "parent") == 0 ?
		    "parents" : "guardians";
		/* A section shows when its list has people (a list inside a
		 * section of the same name would repeat per item). */
		html_set_bool(c, pool_printf(r->pool, "has_%s", list), 1);
		item = html_list_add(c, list);
		html_set_str(item, "id", db_get(res, i, "account_id"));
		app_set_cols(item, res, i, "name", "about", "org_name", NULL);
		/* A direct chat lives in the school of the child's class. */
		html_set_bool(item, "reachable",
		    !db_isnull(res, i, "org_name"));
	}
	return app_page(r, status, "family", c);
}

/*
 * GET /chats/family[?password=1]
 * Anyone logged in.  One's children, each with their class and school,
 * the class's parents' chat and the teachers one may write to (a "write"
 * button each, POST /chats/direct), and for a young child a form to set
 * a new password; young children waiting for one's confirmation; one's
 * parents; the parents of one's students.
 */
int
family(struct http_req *r)
{
	return family_page(r, HTTP_OK, 0, NULL);
}

/* The confirmation page with status; error (or NULL) next to the code
 * form of child err_child. */
static int
family_confirm_page(struct http_req *r, int status, long long err_child,
    const char *error)
{
	struct html_ctx	*c = app_ctx(r);
	int		 rc;

	html_set_str(c, "title", "Подтверждение регистрации ребёнка");
	html_set_int(c, "child_age", config->child_age);
	html_set_str(c, "next_enc", http_urlencode(r->pool,
	    "/chats/family/confirm"));
	if (r->user != NULL) {
		html_set_bool(c, "verified", r->user->verified);
		if ((rc = guardian_confirm_ctx(r, c, err_child, error)) != 0)
			return rc;
	}
	return app_page(r, status, "family_confirm", c);
}

/*
 * GET /chats/family/confirm
 * Anyone: where the code sent to a young child's parent leads.  Not
 * logged in: how to go on (log in, or sign up and come back here).
 * Logged in: the young children waiting for a phone or e-mail the person
 * has proven, each with a code field and «Да, это мой сын» / «моя
 * дочь»; none: what to do.
 */
int
family_confirm_form(struct http_req *r)
{
	return family_confirm_page(r, HTTP_OK, 0, NULL);
}

/*
 * POST /chats/family/confirm   fields: child_id code
 * Logged in.  The parent confirms a young child's sign-up with the code
 * (lib/guardian): the child's account is verified and the person its
 * guardian; 303 to /chats/family.  No sign-up waiting for a contact the
 * person has proven: 404; malformed child_id: 400; a wrong or expired
 * code: 422 (the try counts against the contact), too many: 429;
 * confirmed already, or the person may not be a guardian (under 18, a
 * student): 409 with the reason.
 */
int
family_confirm(struct http_req *r)
{
	char		 id[VALID_MAX], code[VALID_MAX];
	const char	*in = http_form(r, "child_id");
	long long	 child;
	int		 rc, status, retry = 0;

	if (in == NULL || valid_uint(in, id, sizeof(id)) != NULL)
		return HTTP_BAD_REQUEST;
	child = atoll(id);
	if (valid_code(http_form(r, "code"), code, sizeof(code)) != NULL)
		return family_confirm_page(r, HTTP_UNPROCESSABLE, child,
		    "Введите шесть цифр из сообщения");
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_child_confirm(r, child, code, &retry);
	switch (rc) {
	case GUARDIAN_OK:
		break;
	case GUARDIAN_WRONG:
	case GUARDIAN_LIMIT:
		/* The try stays counted. */
		if ((status = app_commit(r)) != 0)
			return status;
		return family_confirm_page(r, guardian_http_status(rc), child,
		    rc == GUARDIAN_LIMIT ? pool_printf(r->pool, "Слишком много "
		    "неверных попыток. Попробуйте снова через %d мин.", retry) :
		    "Неверный или устаревший код. Проверьте цифры; если код "
		    "устарел, попросите ребёнка отправить запрос ещё раз.");
	case GUARDIAN_ERROR:
	case GUARDIAN_NOT_FOUND:
		return guardian_http_status(rc);
	default:
		return parent_link_refused(r, rc);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/chats/family");
}

/*
 * POST /chats/family/children/ID/password   field: password
 * A guardian of child ID who is young (PARTA_CHILD_AGE) or has no proven
 * contact of their own (lib/guardian; another child: 403; not one's
 * child: 404).  Sets the child's new password and ends all the child's
 * sessions (audited); 303 to /chats/family?password=1.  A bad password:
 * 422 with the message next to the child's form.
 */
int
child_password(struct http_req *r)
{
	char		 pw[VALID_MAX], hash[SCRYPT_MCF_LEN];
	const char	*err;
	int		 rc;

	if ((rc = guardian_child_may_reset(r, r->id[0])) != GUARDIAN_OK)
		return guardian_http_status(rc);
	if ((err = valid_password(http_form(r, "password") != NULL ?
	    http_form(r, "password") : "", pw, sizeof(pw))) != NULL)
		return family_page(r, HTTP_UNPROCESSABLE, r->id[0], err);
	rc = auth_password_hash(pw, hash);
	explicit_bzero(pw, sizeof(pw));
	if (rc == -1) {
		log_err("password hash", "libscrypt failed");
		return HTTP_SERVER_ERROR;
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_child_password(r, r->id[0], hash);
	explicit_bzero(hash, sizeof(hash));
	if (rc != GUARDIAN_OK)
		return guardian_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/chats/family?password=1");
}

/*
 * GET /me/guardians/ID/remove
 * The child whose guardian account ID is (anyone else: 404).  Asks to
 * confirm removing the guardian, saying what it ends (lib/guardian);
 * the form posts to the same URL.  Changes nothing.
 */
int
my_guardian_remove_confirm(struct http_req *r)
{
	return guardian_remove_confirm(r, 0, r->id[0], r->user->id,
	    pool_printf(r->pool, "/me/guardians/%lld/remove", r->id[0]),
	    "/me");
}

/*
 * POST /me/guardians/ID/remove
 * The child whose guardian account ID is (anyone else: 404).  Ends the
 * guardianship (lib/guardian): the parent leaves the parents' chats of
 * the child's classes, their direct chats with the child and the
 * class's teachers close; audited in each school of the child's.  303 to
 * /me.
 */
int
my_guardian_remove(struct http_req *r)
{
	int	 rc;

	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_remove(r, 0, r->id[0], r->user->id);
	if (rc != GUARDIAN_OK)
		return guardian_refused_page(r, rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me");
}

/*
 * POST /chats/direct   field: account_id
 * A guardian and their child, or a guardian and a teacher of the child's
 * class (either of them).  Opens their direct chat, creating it the
 * first time; 303 to /chats/ID.  Anyone else: 404 (nobody is found by
 * asking), also when the other side leaves the organization meanwhile:
 * a closed chat is never opened again for them (409 if it is found
 * closed).  A guardian removed from the school: 403 with the page that
 * says so.  Malformed id: 400.
 */
int
direct_open(struct http_req *r)
{
	char		 id[VALID_MAX];
	const char	*me = app_num(r, r->user->id), *in, *org, *guardian, *peer;
	const char	*org_name;
	PGresult	*res;
	long long	 chat;
	int		 rc;

	in = http_form(r, "account_id");
	if (in == NULL || valid_uint(in, id, sizeof(id)) != NULL)
		return HTTP_BAD_REQUEST;
	if (atoll(id) == r->user->id)
		return HTTP_NOT_FOUND;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_relation, PGRES_TUPLES_OK, me, id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return direct_none_page(r);
	org = pool_strdup(r->pool, db_get(res, 0, "org_id"));
	guardian = pool_strdup(r->pool, db_get(res, 0, "guardian_id"));
	peer = pool_strdup(r->pool, db_get(res, 0, "peer_id"));
	if ((res = db_exec(&q_peer_lock, PGRES_TUPLES_OK, org, peer)) ==
	    NULL)
		return app_db_error();
	org_name = pool_strdup(r->pool, db_get(res, 0, "org_name"));
	if (db_get(res, 0, "role")[0] == '\0')
		return direct_none_page(r);
	/* Two people opening it at once: the unique index keeps one chat,
	 * and both find it. */
	if ((res = db_exec(&q_direct_insert, PGRES_COMMAND_OK, org,
	    guardian, peer, me)) == NULL)
		return app_db_error();
	if ((res = db_exec(&q_direct_find, PGRES_TUPLES_OK, org, guardian,
	    peer)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_CONFLICT;
	chat = db_getll(res, 0, "id");
	if ((res = db_exec(&q_direct_join, PGRES_COMMAND_OK, org, app_num(r,
	    chat), guardian, peer)) == NULL) {
		if (strcmp(db_sqlstate(), DB_BARRED) == 0)
			return org_barred_page(r, org_name);
		if (strcmp(db_sqlstate(), DB_CLOSED) != 0)
			return app_db_error();
		return direct_closed_page(r);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, app_chat_href(r, chat));
}

/* Whether the person may make parent links (a student, or applying as
 * one, not a young child) into *ok, 1 or 0 (*young: because a young
 * child); *live is their unused links.  0, or an HTTP status. */
static int
child_check(struct http_req *r, int *ok, long long *live, int *young)
{
	PGresult	*res;
	const char	*why;

	if ((res = db_exec(&q_child, PGRES_TUPLES_OK, app_num(r,
	    r->user->id), app_num(r, config->child_age))) == NULL)
		return app_db_error();
	why = db_get(res, 0, "refusal");
	*ok = why[0] == '\0';
	*young = strcmp(why, "young") == 0;
	*live = db_getll(res, 0, "live");
	return 0;
}

/* The 403 of /chats/parent-link for anyone but a student: what the
 * link is, and how a parent, a teacher or an administrator brings
 * parents in instead; for a young child, that their parent was
 * confirmed at registration.  Returns 0. */
static int
parent_link_not_student(struct http_req *r, int young)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", young ? "Ваш родитель уже подтверждён" :
	    "Ссылку для родителя делает ученик");
	html_set_bool(c, "young", young);
	return app_page(r, HTTP_FORBIDDEN, "parent_link_refused", c);
}

static int
parent_link_page(struct http_req *r, int status, long long live,
    int sent)
{
	struct html_ctx	*c, *item;
	PGresult	*res;
	int		 i;

	c = app_ctx(r);
	html_set_str(c, "title", "Ссылка для родителя");
	html_set_int(c, "live", live);
	html_set_bool(c, "can_create", live < PARENT_LINKS_LIVE);
	html_set_int(c, "max_live", PARENT_LINKS_LIVE);
	html_set_bool(c, "sent", sent);
	/* Young children sign up with a parent's e-mail: offer to send
	 * the link there. */
	if (r->user->email[0] != '\0' && r->user->email_verified)
		html_set_str(c, "email", r->user->email);
	if ((res = db_exec(&q_parents, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	html_set_bool(c, "has_parents", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "parents");
		html_set_str(item, "name", db_get(res, i, "name"));
	}
	if ((res = db_exec(&q_parent_links_live, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	html_set_bool(c, "has_links", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "links");
		app_set_cols(item, res, i, "id", "created", "expires", NULL);
	}
	return app_page(r, status, "parent_link", c);
}

/*
 * GET /chats/parent-link[?sent=1]
 * A student (or someone applying as a student; others 403 with a page
 * that says who makes it and how parents come in).  Their confirmed
 * parents, their links not yet used (each opens its page), and a button
 * to make a personal link for a parent.
 */
int
parent_link_form(struct http_req *r)
{
	long long	 live;
	int		 rc, ok, young;

	if ((rc = child_check(r, &ok, &live, &young)) != 0)
		return rc;
	if (!ok)
		return parent_link_not_student(r, young);
	return parent_link_page(r, HTTP_OK, live,
	    http_query(r, "sent") != NULL);
}

/*
 * POST /chats/parent-link   field: send (optional, "email")
 * A student (others 403, the page GET shows).  Makes a single-use link
 * for a parent, valid 14 days; at most 5 unused links at a time (429),
 * counted under a lock of the child's account so parallel requests
 * cannot pass it.  303 to the link's page, /chats/parent-link/ID.  With
 * send=email the link goes to the account's verified e-mail instead (a
 * young child's account is the parent's e-mail; none: 400) and the
 * answer is 303 to /chats/parent-link?sent=1.
 */
int
parent_link_create(struct http_req *r)
{
	char		 salt[2 * CRYPTO_SALT_LEN + 1];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1];
	char		 token[CRYPTO_TOKEN_LEN + 1];
	PGresult	*res;
	const char	*send = http_form(r, "send"), *me;
	long long	 live, id;
	int		 ok, by_email, young, rc;

	by_email = send != NULL && strcmp(send, "email") == 0;
	if (by_email && (r->user->email[0] == '\0' ||
	    !r->user->email_verified))
		return HTTP_BAD_REQUEST;
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;
	me = app_num(r, r->user->id);
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_account_lock, PGRES_TUPLES_OK, me)) == NULL)
		return app_db_error();
	if ((rc = child_check(r, &ok, &live, &young)) != 0)
		return rc;
	if (!ok)
		return parent_link_not_student(r, young);
	if (live >= PARENT_LINKS_LIVE) {
		/* The page says why and what to wait for. */
		return parent_link_page(r, HTTP_TOO_MANY, live, 0);
	}
	if (crypto_link_new(config->secret, CRYPTO_LINK_PARENT, r->user->id,
	    salt, hash, token) == -1) {
		log_err("parent-link", "no random bytes");
		return HTTP_SERVER_ERROR;
	}
	if ((res = db_exec(&q_parent_link_insert, PGRES_TUPLES_OK, me, hash,
	    salt, app_num(r, PARENT_LINK_DAYS))) == NULL)
		return app_db_error();
	id = db_getll(res, 0, "id");
	if (by_email && outbox_queue(OUTBOX_EMAIL, r->user->email,
	    pool_printf(r->pool, "%s %s просит подтвердить на платформе "
	    "«Парта», что вы родитель (законный представитель).\n"
	    "Откройте ссылку, войдите или зарегистрируйтесь и подтвердите "
	    "(ссылка действует 14 дней, один раз):\n%s/c/%s\n",
	    r->user->first_name, r->user->last_name, app_base_url(r),
	    token)) == -1) {
		explicit_bzero(token, sizeof(token));
		return app_db_error();
	}
	explicit_bzero(token, sizeof(token));
	if ((rc = app_commit(r)) != 0)
		return rc;
	if (by_email)
		return app_redirect(r, "/chats/parent-link?sent=1");
	return app_redirect(r, pool_printf(r->pool, "/chats/parent-link/%lld",
	    id));
}

/*
 * GET /chats/parent-link/ID
 * The child who made the link (anyone else: 404).  The link and its QR
 * code, derived again from the stored salt, while it can still be used;
 * once used, who used it; expired, or made before salts were kept: says
 * so.  Changes nothing.
 */
int
parent_link_show(struct http_req *r)
{
	struct html_ctx	*c;
	PGresult	*res;
	int		 used, expired, shown;

	if ((res = db_exec(&q_parent_link_mine, PGRES_TUPLES_OK, app_num(r,
	    r->user->id), app_num(r, r->id[0]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	used = db_getbool(res, 0, "used");
	expired = db_getbool(res, 0, "expired");
	c = app_ctx(r);
	shown = !used && !expired && link_again_ctx(r, c, CRYPTO_LINK_PARENT,
	    r->user->id, res);
	html_set_str(c, "title", "Ссылка для родителя");
	html_set_str(c, "expires", db_get(res, 0, "expires"));
	html_set_bool(c, "used", used);
	html_set_str(c, "used_by", db_get(res, 0, "used_by"));
	html_set_str(c, "used_by_gender", db_get(res, 0, "used_by_gender"));
	html_set_bool(c, "expired", !used && expired);
	html_set_bool(c, "hidden_link", !used && !expired && !shown);
	return app_page(r, HTTP_OK, "parent_link_show", c);
}
