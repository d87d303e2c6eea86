/*
 * privacy: personal data (152-FZ).  The policy in force and who to ask
 * about it, consent to a new version of it, a person's data as a file,
 * and deleting an account.
 *
 * The policy's versions live in parta.privacy_policy
 * (sql/0015_privacy.sql); sign-up records consent to the version in
 * force (program register), and lib/app sends anyone whose latest
 * consent is for an older version to /privacy/consent before any other
 * page (the routes marked APP_NOCONSENT stay open: reading the policy,
 * taking one's data, deleting the account, logging out).
 *
 * Deleting an account ends every membership the way leaving does
 * (member_end, lib/member.h), so every access ends with it; then
 * parta.account_erase removes the rest: sessions, guardianships, chats
 * joined by a link, contacts, password, birth date, names («Удалённый
 * пользователь»).  Messages stay, under that name.  The last
 * administrator of an organization must hand it over first (409).  The
 * confirmation is the password; a code sent to the person is not
 * accepted here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "code.h"
#include "config.h"
#include "db.h"
#include "home.h"
#include "html.h"
#include "json.h"
#include "log.h"
#include "member.h"
#include "org.h"
#include "pool.h"
#include "privacy.h"

static int	policy_show(struct http_req *);
static int	consent_form(struct http_req *);
static int	consent_submit(struct http_req *);
static int	deleted_show(struct http_req *);
static int	export_show(struct http_req *);
static int	delete_form(struct http_req *);
static int	delete_submit(struct http_req *);
static int	delete_code(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_NOCONSENT, "/privacy", policy_show },
	{ APP_GET | APP_LOGIN | APP_NOCONSENT, "/privacy/consent",
	    consent_form },
	{ APP_POST | APP_LOGIN | APP_NOCONSENT, "/privacy/consent",
	    consent_submit },
	{ APP_GET | APP_NOCONSENT, "/privacy/deleted", deleted_show },
	{ APP_GET | APP_LOGIN | APP_NOCONSENT, "/me/export", export_show },
	{ APP_GET | APP_LOGIN | APP_NOCONSENT, "/me/delete", delete_form },
	{ APP_POST | APP_LOGIN | APP_NOCONSENT, "/me/delete", delete_submit },
	{ APP_POST | APP_LOGIN | APP_NOCONSENT, "/me/delete/code",
	    delete_code },
};

enum consent_key { CON_CONSENT, CON__MAX };

static const struct valid_field consent_fields[CON__MAX] = {
	{ "consent", valid_consent, 1 },	/* CON_CONSENT */
};

static const struct db_stmt q_policy = {
	"privacy_policy",
	"SELECT version, parta.msk_date(published_at) AS date, body"
	" FROM parta.privacy_policy WHERE version = parta.privacy_current()"
};

/* The person's latest consent, for the consent page. */
static const struct db_stmt q_consent_last = {
	"privacy_consent_last",
	"SELECT version, parta.msk_date(at) AS date"
	" FROM parta.privacy_consent WHERE account_id = $1"
	" ORDER BY at DESC LIMIT 1"
};

/*
 * What Parta holds about a person, one statement per part of the file.
 * Every column is written under its own name; text, numbers (int8/int4)
 * and booleans keep their JSON types.  Times are ISO 8601.
 */
static const struct db_stmt q_ex_profile = {
	"privacy_ex_profile",
	"SELECT id, last_name, first_name, patronymic, gender,"
	" to_char(birth_date, 'YYYY-MM-DD') AS birth_date,"
	" parta.iso_time(created_at) AS created_at"
	" FROM parta.account WHERE id = $1"
};

static const struct db_stmt q_ex_contacts = {
	"privacy_ex_contacts",
	"SELECT 'phone' AS kind, phone AS value, phone_verified AS verified"
	" FROM parta.account WHERE id = $1 AND phone IS NOT NULL"
	" UNION ALL"
	" SELECT 'email', email, email_verified"
	" FROM parta.account WHERE id = $1 AND email IS NOT NULL"
	" UNION ALL"	/* a young child's login name (sql/0017) */
	" SELECT 'login', a.login, cs.confirmed_at IS NOT NULL"
	" FROM parta.account a LEFT JOIN parta.child_signup cs"
	" ON cs.child_id = a.id WHERE a.id = $1 AND a.login IS NOT NULL"
};

static const struct db_stmt q_ex_consents = {
	"privacy_ex_consents",
	"SELECT version, parta.iso_time(at) AS at"
	" FROM parta.privacy_consent WHERE account_id = $1 ORDER BY at"
};

static const struct db_stmt q_ex_memberships = {
	"privacy_ex_memberships",
	"SELECT m.org_id, o.short_name AS org, m.role, m.verified,"
	" parta.iso_time(m.joined_at) AS joined_at,"
	" coalesce((SELECT string_agg(parta.class_name(c.grade, c.letter,"
	"  c.title) || ' (' || CASE cm.role WHEN 'homeroom'"
	"  THEN 'классный руководитель' WHEN 'teacher' THEN 'учитель'"
	"  ELSE 'ученик' END || ')', ', '"
	"  ORDER BY c.year, c.grade, c.letter)"
	"  FROM parta.class_member cm JOIN parta.class c"
	"  ON c.org_id = cm.org_id AND c.id = cm.class_id"
	"  WHERE cm.org_id = m.org_id AND cm.account_id = m.account_id), '')"
	"  AS classes"
	" FROM parta.member m JOIN parta.org o ON o.id = m.org_id"
	" WHERE m.account_id = $1 ORDER BY m.org_id"
};

/* Where the person is listed among an organization's leaders, and which
 * of their contacts they chose to show there (sql/0033_leaders.sql). */
static const struct db_stmt q_ex_leaders = {
	"privacy_ex_leaders",
	"SELECT l.org_id, o.short_name AS org, l.title AS position, l.hours,"
	" l.show_phone, l.show_email, parta.iso_time(l.created_at)"
	"  AS listed_at"
	" FROM parta.leader l JOIN parta.org o ON o.id = l.org_id"
	" WHERE l.account_id = $1 ORDER BY l.org_id"
};

static const struct db_stmt q_ex_applications = {
	"privacy_ex_applications",
	"SELECT a.org_id, a.id, o.short_name AS org, a.role,"
	" coalesce(parta.my_application_class(a.org_id, a.class_id), '')"
	"  AS class,"
	" a.status, a.reason, parta.iso_time(a.created_at) AS created_at,"
	" parta.iso_time(a.decided_at) AS decided_at"
	" FROM parta.application a JOIN parta.org o ON o.id = a.org_id"
	" WHERE a.account_id = $1 ORDER BY a.created_at, a.id"
};

static const struct db_stmt q_ex_guardians = {
	"privacy_ex_guardians",
	"SELECT 'child' AS relation, g.child_id AS account_id,"
	" parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"  AS name, parta.iso_time(g.confirmed_at) AS confirmed_at"
	" FROM parta.guardian g JOIN parta.account a ON a.id = g.child_id"
	" WHERE g.parent_id = $1"
	" UNION ALL"
	" SELECT 'parent', g.parent_id,"
	" parta.full_name(a.last_name, a.first_name, a.patronymic),"
	" parta.iso_time(g.confirmed_at)"
	" FROM parta.guardian g JOIN parta.account a ON a.id = g.parent_id"
	" WHERE g.child_id = $1"
	" ORDER BY 1, 2"
};

static const struct db_stmt q_ex_messages = {
	"privacy_ex_messages",
	"SELECT m.org_id, m.chat_id,"
	" coalesce(parta.my_message_chat(m.org_id, m.chat_id), '') AS chat,"
	" m.id, m.body, parta.iso_time(m.created_at) AS created_at,"
	" parta.iso_time(m.deleted_at) AS deleted_at"
	" FROM parta.message m"
	" WHERE m.author_id = $1 ORDER BY m.created_at, m.id"
};

/* The messages the person wrote in requests to an organization
 * (cgi-bin/appeal/): theirs, and the school's answers they wrote. */
static const struct db_stmt q_ex_appeals = {
	"privacy_ex_appeals",
	"SELECT m.org_id, m.appeal_id, coalesce(o.short_name, '') AS org,"
	" coalesce(a.topic, '') AS topic, m.body,"
	" parta.iso_time(m.created_at) AS created_at"
	" FROM parta.appeal_message m"
	" LEFT JOIN parta.appeal a ON a.org_id = m.org_id"
	"  AND a.id = m.appeal_id"
	" LEFT JOIN parta.org o ON o.id = m.org_id"
	" WHERE m.author_id = $1 ORDER BY m.created_at, m.id"
};

static const struct db_stmt q_ex_sessions = {
	"privacy_ex_sessions",
	"SELECT parta.iso_time(created_at) AS created_at,"
	" parta.iso_time(last_seen) AS last_seen,"
	" parta.iso_time(expires_at) AS expires_at"
	" FROM parta.session WHERE account_id = $1 ORDER BY created_at"
};

/* The parts of the file, in order; "profile" is one object. */
static const struct export_part {
	const char		*key;
	const struct db_stmt	*stmt;
} export_parts[] = {
	{ "profile", &q_ex_profile },
	{ "contacts", &q_ex_contacts },
	{ "consents", &q_ex_consents },
	{ "memberships", &q_ex_memberships },
	{ "leaders", &q_ex_leaders },
	{ "applications", &q_ex_applications },
	{ "guardianships", &q_ex_guardians },
	{ "messages", &q_ex_messages },
	{ "appeals", &q_ex_appeals },
	{ "sessions", &q_ex_sessions },
};

#define NPARTS	(sizeof(export_parts) / sizeof(export_parts[0]))

/* libpq's type oids that keep their JSON type. */
#define OID_BOOL	16
#define OID_INT8	20
#define OID_INT4	23

static const struct db_stmt q_password = {
	"privacy_password",
	"SELECT password_hash FROM parta.account WHERE id = $1"
};

/* Where a code to confirm the deletion goes: the verified phone, else
 * the verified e-mail. */
static const struct db_stmt q_own_contact = {
	"privacy_own_contact",
	"SELECT CASE WHEN phone_verified THEN 'phone' ELSE 'email' END"
	" AS channel, CASE WHEN phone_verified THEN phone ELSE email END"
	" AS address FROM parta.account WHERE id = $1"
	" AND (phone_verified OR email_verified)"
};

/* What the person keeps in «Мои файлы» (cgi-bin/files.c), which
 * deleting the account deletes (parta.file_account_erased): how many
 * files, how many bytes. */
static const struct db_stmt q_storage = {
	"privacy_storage",
	"SELECT count(*) AS n, coalesce(sum(f.file_size), 0) AS bytes"
	" FROM parta.file_list f WHERE f.owner_id = $1 AND f.in_storage"
};

/* Organizations where the person is the only administrator. */
static const struct db_stmt q_last_admin = {
	"privacy_last_admin",
	"SELECT o.id, o.short_name FROM parta.member m"
	" JOIN parta.org o ON o.id = m.org_id"
	" WHERE m.account_id = $1 AND m.role = 'admin'"
	" AND NOT EXISTS (SELECT 1 FROM parta.member x"
	"  WHERE x.org_id = m.org_id AND x.role = 'admin'"
	"  AND x.account_id <> m.account_id)"
	" ORDER BY o.id"
};

static const struct db_stmt q_memberships = {
	"privacy_memberships",
	"SELECT org_id FROM parta.member WHERE account_id = $1"
	" ORDER BY org_id"
};

static const struct db_stmt q_erase = {
	"privacy_erase",
	"SELECT parta.account_erase($1) AS r"
};

#define DELETE_THROTTLE	"delete:"	/* + account: wrong passwords */

static const char *
next_path(struct http_req *r)
{
	const char	*next = http_form(r, "next");

	if (next == NULL)
		next = http_query(r, "next");
	return app_local_path(next) ? next : NULL;
}

/* The policy in force into c: 0, 404 when none is published, or an
 * error status. */
static int
policy_ctx(struct http_req *r, struct html_ctx *c)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*p, *end;

	if ((res = db_exec(&q_policy, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		log_err("policy", "no personal-data policy is published");
		return HTTP_NOT_FOUND;
	}
	html_set_str(c, "version", db_get(res, 0, "version"));
	html_set_str(c, "date", db_get(res, 0, "date"));
	html_list_init(c, "paragraphs");
	/* A blank line separates paragraphs. */
	for (p = db_get(res, 0, "body"); *p != '\0'; p = end) {
		p += strspn(p, "\n");
		if (*p == '\0')
			break;
		if ((end = strstr(p, "\n\n")) == NULL)
			end = p + strlen(p);
		item = html_list_add(c, "paragraphs");
		html_set_str(item, "text", pool_strndup(r->pool, p,
		    (size_t)(end - p)));
	}
	html_set_str(c, "operator", config->pd_operator);
	html_set_str(c, "contact", config->pd_contact);
	return 0;
}

/*
 * GET /privacy
 * Anyone.  The personal-data policy in force, its version and date, and
 * the operator to ask about personal data (PARTA_PD_OPERATOR,
 * PARTA_PD_CONTACT).
 */
static int
policy_show(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	int		 rc;

	html_set_str(c, "title", "Политика обработки персональных данных");
	if ((rc = policy_ctx(r, c)) != 0)
		return rc;
	return app_page(r, HTTP_OK, "privacy", c);
}

static int
consent_page(struct http_req *r, struct html_ctx *c, int status)
{
	PGresult	*res;
	const char	*next = next_path(r);
	int		 rc;

	html_set_str(c, "title", "Согласие на обработку персональных данных");
	if ((rc = policy_ctx(r, c)) != 0)
		return rc;
	if (next != NULL)
		html_set_str(c, "next", next);
	if ((res = db_exec(&q_consent_last, PGRES_TUPLES_OK,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) == 1) {
		html_set_str(c, "old_version", db_get(res, 0, "version"));
		html_set_str(c, "old_date", db_get(res, 0, "date"));
	}
	return app_page(r, status, "privacy_consent", c);
}

/*
 * GET /privacy/consent[?next=/path]
 * Logged in.  The policy in force and a checkbox to agree to it; one
 * who has agreed already goes on to next or /me.
 */
static int
consent_form(struct http_req *r)
{
	const char	*next = next_path(r);

	if (r->user->consent_ok)
		return app_redirect(r, next != NULL ? next : home_path(r));
	return consent_page(r, app_ctx(r), HTTP_OK);
}

/*
 * POST /privacy/consent
 * Logged in.  Field consent=1: records the consent to the version in
 * force; 303 to next or /me.  Without it, 422.
 */
static int
consent_submit(struct http_req *r)
{
	struct valid_result	 v[CON__MAX];
	struct html_ctx		*c = app_ctx(r);
	const char		*next = next_path(r);
	int			 rc;

	if (app_form(r, consent_fields, CON__MAX, v, c) > 0) {
		html_set_str(c, "consent_error", "Чтобы пользоваться Партой, "
		    "нужно согласие на обработку персональных данных. Если "
		    "вы не согласны, можно скачать свои данные и удалить "
		    "профиль.");
		return consent_page(r, c, HTTP_UNPROCESSABLE);
	}
	if (db_begin() == -1 || privacy_consent(r->user->id) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, next != NULL ? next : home_path(r));
}

/*
 * GET /privacy/deleted
 * Anyone.  Where a deleted account lands, logged out.
 */
static int
deleted_show(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Профиль удалён");
	return app_page(r, HTTP_OK, "privacy_deleted", c);
}

static void
export_json_value(struct buf *b, const PGresult *res, int row, int col)
{
	const char	*v;

	if (PQgetisnull(res, row, col)) {
		buf_puts(b, "null");
		return;
	}
	v = PQgetvalue(res, row, col);
	switch (PQftype(res, col)) {
	case OID_BOOL:
		buf_puts(b, v[0] == 't' ? "true" : "false");
		break;
	case OID_INT8:
	case OID_INT4:
		buf_puts(b, v);
		break;
	default:
		json_str(b, v);
		break;
	}
}

static void
export_json_row(struct buf *b, const PGresult *res, int row,
    const char *indent)
{
	int	 j, nf = PQnfields(res);

	buf_puts(b, "{");
	for (j = 0; j < nf; j++) {
		buf_printf(b, "%s\n%s  ", j > 0 ? "," : "", indent);
		json_str(b, PQfname(res, j));
		buf_puts(b, ": ");
		export_json_value(b, res, row, j);
	}
	buf_printf(b, "\n%s}", indent);
}

/* Codes the page shows in words (the file keeps the codes). */
static const char *const export_words[][3] = {
	{ "gender", "f", "женский" },
	{ "gender", "m", "мужской" },
	{ "kind", "phone", "Телефон" },
	{ "kind", "email", "Почта" },
	{ "relation", "child", "ребёнок" },
	{ "relation", "parent", "родитель" },
};

/* Each column of row as text into item; booleans as «да»/«нет», codes
 * as words (roles and statuses as everywhere, by lib/org).  For the
 * template keys test, html keys: columns of export_parts. */
static void
export_html_row(struct html_ctx *item, const PGresult *res, int row)
{
	const char	*v, *col;
	size_t		 k;
	int		 j, nf = PQnfields(res);

	for (j = 0; j < nf; j++) {
		v = PQgetvalue(res, row, j);
		col = PQfname(res, j);
		if (PQftype(res, j) == OID_BOOL && !PQgetisnull(res, row, j))
			v = v[0] == 't' ? "да" : "нет";
		else if (strcmp(col, "role") == 0)
			v = org_role_name(v);
		else if (strcmp(col, "status") == 0)
			v = org_application_status(v);
		for (k = 0; k < sizeof(export_words) /
		    sizeof(export_words[0]); k++)
			if (strcmp(col, export_words[k][0]) == 0 &&
			    strcmp(v, export_words[k][1]) == 0)
				v = export_words[k][2];
		html_set_str(item, col, v);
	}
}

/*
 * GET /me/export[?format=json]
 * Logged in.  Everything Parta holds about the person: profile,
 * contacts, consents, memberships, applications, guardianships both
 * ways, the messages they wrote (in chats and in requests to an
 * organization), their sessions.  A readable page, or
 * with format=json a file to download.  Changes nothing.
 */
static int
export_show(struct http_req *r)
{
	const char	*format = http_query(r, "format");
	struct html_ctx	*c = NULL, *item;
	PGresult	*res[NPARTS];
	const char	*id = app_num(r, r->user->id);
	struct buf	*b = &r->body;
	size_t		 i;
	int		 json, n, row;

	json = format != NULL && strcmp(format, "json") == 0;
	/* One snapshot for the whole file. */
	if (db_begin() == -1)
		return app_db_error();
	for (i = 0; i < NPARTS; i++) {
		res[i] = db_exec(export_parts[i].stmt, PGRES_TUPLES_OK, id);
		if (res[i] == NULL)
			return app_db_error();
	}

	if (json) {
		buf_reset(b);
		http_header(r, "Content-Type", "application/json; charset=utf-8");
		http_header(r, "Content-Disposition", pool_printf(r->pool,
		    "attachment; filename=\"parta-%lld.json\"", r->user->id));
		buf_puts(b, "{\n  \"format\": \"parta-export-1\",\n"
		    "  \"operator\": ");
		json_str(b, config->pd_operator);
		for (i = 0; i < NPARTS; i++) {
			buf_puts(b, ",\n  ");
			json_str(b, export_parts[i].key);
			buf_puts(b, ": ");
			n = PQntuples(res[i]);
			if (i == 0) {
				if (n == 1)
					export_json_row(b, res[i], 0, "  ");
				else
					buf_puts(b, "null");
				continue;
			}
			buf_puts(b, "[");
			for (row = 0; row < n; row++) {
				buf_puts(b, row > 0 ? ",\n    " : "\n    ");
				export_json_row(b, res[i], row, "    ");
			}
			buf_puts(b, n > 0 ? "\n  ]" : "]");
		}
		buf_puts(b, "\n}\n");
	} else {
		c = app_ctx(r);
		html_set_str(c, "title", "Мои данные");
		for (i = 0; i < NPARTS; i++) {
			html_list_init(c, export_parts[i].key);
			n = PQntuples(res[i]);
			for (row = 0; row < n; row++) {
				item = html_list_add(c, export_parts[i].key);
				export_html_row(item, res[i], row);
			}
		}
	}
	return json ? 0 : app_page(r, HTTP_OK, "privacy_export", c);
}

/* The organizations the person must hand over first, and what their
 * storage holds (storage_words: «3 файла, 1,2 МБ», none when empty), into
 * c: 0, or an HTTP status. */
static int
last_admin_ctx(struct http_req *r, struct html_ctx *c)
{
	struct html_ctx	*item;
	PGresult	*res;
	char		 size[32];
	long long	 n;
	int		 i;

	if ((res = db_exec(&q_storage, PGRES_TUPLES_OK,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	n = db_getll(res, 0, "n");
	if (n > 0)
		html_set_str(c, "storage_words", pool_printf(r->pool,
		    "%lld %s, %s", n, ru_plural(n, "файл", "файла", "файлов"),
		    ru_size_words(size, sizeof(size), db_getll(res, 0,
		    "bytes"))));
	if ((res = db_exec(&q_last_admin, PGRES_TUPLES_OK,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	html_list_init(c, "last_admin");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "last_admin");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "short_name"));
	}
	return 0;
}

/*
 * GET /me/delete
 * Logged in.  What deleting the account does, the organizations to hand
 * over first, and the form (field confirm: the password).
 */
static int
delete_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	int		 rc;

	html_set_str(c, "title", "Удаление профиля");
	html_set_bool(c, "sent", http_query(r, "sent") != NULL);
	if ((rc = last_admin_ctx(r, c)) != 0)
		return rc;
	return app_page(r, HTTP_OK, "privacy_delete", c);
}

/*
 * The form again with status (and the error by the field): the answer
 * to every refusal of a deletion.  It rolls back first (app_rollback):
 * the memberships a refused deletion ended meanwhile stand as they were.
 */
static int
delete_refuse(struct http_req *r, struct html_ctx *c, int status,
    const char *field_error)
{
	int	 rc;

	app_rollback();
	if (status == HTTP_CONFLICT)
		html_set_bool(c, "refused", 1);
	if (field_error != NULL) {
		html_set_str(c, "confirm_error", field_error);
		html_set_bool(c, "form_errors", 1);
	}
	if ((rc = last_admin_ctx(r, c)) != 0)
		return rc;
	return app_page(r, status, "privacy_delete", c);
}

/*
 * POST /me/delete
 * Logged in.  Field confirm: the password, or the code POST
 * /me/delete/code sent (a wrong one counts against the recipient's
 * tries, lib/code).  Ends every membership as
 * leaving does, then erases the account's personal data
 * (parta.account_erase), in one transaction; logs the browser out and
 * answers 303 to /privacy/deleted.  A wrong password: 422 (counted as a
 * failed login; PARTA_LOGIN_MAX_FAIL of them in PARTA_LOGIN_WINDOW
 * minutes: 429).  The last administrator of an organization: 409,
 * nothing changed.
 */
static int
delete_submit(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*confirm = http_form(r, "confirm");
	const char	*id = app_num(r, r->user->id);
	const char	*key = pool_printf(r->pool, DELETE_THROTTLE "%lld",
	    r->user->id);
	PGresult	*res, *orgs;
	struct code_found found;
	char		 hash[SCRYPT_MCF_LEN];
	int		 i, n, rc, status, ok, by_code, retry;

	html_set_str(c, "title", "Удаление профиля");
	if (confirm == NULL || confirm[0] == '\0')
		return delete_refuse(r, c, HTTP_UNPROCESSABLE,
		    "Введите пароль или код, чтобы подтвердить удаление");
	/* Six digits are a code (a password is at least 8 characters). */
	by_code = strlen(confirm) == CODE_DIGITS &&
	    strspn(confirm, "0123456789") == CODE_DIGITS;
	if (by_code)
		goto begin;
	if ((n = auth_throttle_count(key, config->login_window)) == -1)
		return app_db_error();
	if (n >= config->login_max_fail) {
		html_set_bool(c, "throttled", 1);
		html_set_int(c, "window", config->login_window);
		return delete_refuse(r, c, HTTP_TOO_MANY, NULL);
	}
	if ((res = db_exec(&q_password, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	hash[0] = '\0';
	if (PQntuples(res) == 1 && !db_isnull(res, 0, "password_hash"))
		snprintf(hash, sizeof(hash), "%s",
		    db_get(res, 0, "password_hash"));
	ok = auth_password_check(hash[0] != '\0' ? hash : NULL, confirm);
	explicit_bzero(hash, sizeof(hash));
	if (ok != 1) {
		if (auth_throttle_hit(key, config->login_window) == -1)
			return app_db_error();
		return delete_refuse(r, c, HTTP_UNPROCESSABLE,
		    "Неверный пароль");
	}

begin:
	if (db_begin() == -1)
		return app_db_error();
	if (by_code) {
		/* A wrong try counts against the recipient: committed. */
		rc = code_check(r->user->id, CODE_DELETE, "", "", confirm,
		    &found, &retry);
		if (rc == CODE_ERROR)
			return app_db_error();
		if (rc != CODE_OK) {
			if ((status = app_commit(r)) != 0)
				return status;
			if (rc == CODE_LIMIT) {
				html_set_bool(c, "throttled", 1);
				html_set_int(c, "window", retry);
				return delete_refuse(r, c, HTTP_TOO_MANY, NULL);
			}
			return delete_refuse(r, c, HTTP_UNPROCESSABLE,
			    rc == CODE_NONE ? "Сначала запросите код кнопкой "
			    "ниже" : "Неверный код");
		}
	}
	if ((orgs = db_exec(&q_memberships, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	n = PQntuples(orgs);
	for (i = 0; i < n; i++) {
		rc = member_end(db_getll(orgs, i, "org_id"), r->user->id,
		    r->user->id, MEMBER_LEFT);
		if (rc == MEMBER_OK || rc == MEMBER_NOT_FOUND)
			continue;
		if (rc == MEMBER_LAST_ADMIN)
			return delete_refuse(r, c, HTTP_CONFLICT, NULL);
		return member_http_status(rc);
	}
	if ((res = db_exec(&q_erase, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	ok = strcmp(db_get(res, 0, "r"), "ok") == 0;
	if (!ok)	/* joined an organization meanwhile: try again */
		return delete_refuse(r, c, HTTP_CONFLICT, NULL);
	if ((rc = app_commit(r)) != 0)
		return rc;
	if (auth_throttle_clear(key) == -1)
		log_err("delete", "could not clear the throttle");
	/* The sessions are gone with the account: forget the cookie. */
	http_set_cookie(r, AUTH_SESSION_COOKIE, "", 0);
	r->user = NULL;
	return app_redirect(r, "/privacy/deleted");
}

int
main(int argc, char *argv[])
{
	return app_main("privacy", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}

/*
 * POST /me/delete/code
 * Logged in.  Sends a code that confirms the deletion to the person's
 * verified phone, else e-mail, within the per-recipient limits
 * (lib/code); 303 to /me/delete?sent=1.  Over a limit: 429; no verified
 * contact: 422 (the password confirms).
 */
static int
delete_code(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;
	char		 channel[8], address[CODE_ADDR_MAX];
	int		 rc, retry;

	html_set_str(c, "title", "Удаление профиля");
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_own_contact, PGRES_TUPLES_OK,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		return delete_refuse(r, c, HTTP_UNPROCESSABLE, "Код приходит "
		    "только на подтверждённый телефон или почту: введите "
		    "пароль");
	}
	snprintf(channel, sizeof(channel), "%s", db_get(res, 0, "channel"));
	snprintf(address, sizeof(address), "%s", db_get(res, 0, "address"));
	rc = code_send(r->user->id, CODE_DELETE, channel, address,
	    "Код для удаления профиля в Парте", &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_LIMIT) {
		html_set_bool(c, "throttled", 1);
		html_set_int(c, "window", retry);
		return delete_refuse(r, c, HTTP_TOO_MANY, NULL);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me/delete?sent=1");
}
