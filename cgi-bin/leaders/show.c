/*
 * leaders: the page of an organization's leaders, and a leader's own
 * choice of which of their contacts it shows.
 */
#include <stdlib.h>
#include <string.h>

#include "leaders.h"

static const char	*valid_flag(const char *, char *, size_t);

enum contacts_key {
	CO_PHONE, CO_EMAIL, CO__MAX
};

static const struct valid_field contacts_fields[CO__MAX] = {
	{ "show_phone", valid_flag, 0 },	/* CO_PHONE */
	{ "show_email", valid_flag, 0 },	/* CO_EMAIL */
};

/* The organization's name, and whether the request's account is the
 * guardian of one of its students (parta.org_children,
 * sql/0032_appeals.sql).  This statement and q_leaders read for the
 * request's account (parta.rls_account()): they go with the session's
 * lookup (APP_ONE_TRIP). */
static const struct db_stmt q_guardian = {
	"leaders_guardian",
	"SELECT o.short_name, EXISTS (SELECT 1"
	"  FROM parta.org_children(org => o.id,"
	"  account => parta.rls_account())) AS guardian"
	" FROM parta.org o WHERE o.id = $1"
};

/*
 * The leaders of $1 in their order, as the request's account sees them:
 * a member's
 * name is their account's and their contacts are shown only as they
 * chose (verified ones only); someone not on the platform shows what
 * was typed in.  can_write: the viewer may write to them directly by
 * the direct messages' rule (parta.direct_related, sql/0012).
 */
static const struct db_stmt q_leaders = {
	"leaders_list",
	"SELECT l.id, l.title, l.hours, coalesce(l.account_id, 0)"
	"  AS account_id,"
	" CASE WHEN l.account_id IS NULL THEN l.name"
	"  ELSE parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"  END AS name,"
	" CASE WHEN l.account_id IS NULL THEN l.phone"
	"  WHEN l.show_phone AND a.phone_verified THEN a.phone"
	"  ELSE '' END AS phone,"
	" CASE WHEN l.account_id IS NULL THEN l.email"
	"  WHEN l.show_email AND a.email_verified THEN a.email"
	"  ELSE '' END AS email,"
	" l.account_id IS NOT NULL AND l.account_id <> parta.rls_account()"
	"  AND parta.direct_related(l.org_id, parta.rls_account(),"
	"  l.account_id) AS can_write,"
	" l.account_id IS NOT DISTINCT FROM parta.rls_account() AS me"
	" FROM parta.leader l LEFT JOIN parta.account a ON a.id = l.account_id"
	" WHERE l.org_id = $1 ORDER BY l.sort, l.id"
};

/* The person's own place on the list of $1, with their contacts. */
static const struct db_stmt q_mine = {
	"leaders_mine",
	"SELECT l.title AS position, l.show_phone, l.show_email,"
	" CASE WHEN a.phone_verified THEN a.phone ELSE '' END AS phone,"
	" CASE WHEN a.email_verified THEN a.email ELSE '' END AS email"
	" FROM parta.leader l JOIN parta.account a ON a.id = l.account_id"
	" WHERE l.org_id = $1 AND l.account_id = $2"
};

/* The database lets only the person themself change these
 * (parta.leader_consent). */
static const struct db_stmt q_mine_update = {
	"leaders_mine_update",
	"UPDATE parta.leader SET show_phone = $3, show_email = $4"
	" WHERE org_id = $1 AND account_id = $2"
};

/* A checkbox: "1" when ticked. */
static const char *
valid_flag(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "1") != 0 || outsz < 2)
		return "Отметьте поле или снимите отметку";
	memcpy(out, "1", 2);
	return NULL;
}

/*
 * GET /org/N/leaders
 * Members, the operator and the guardians of the organization's
 * students (anyone else 404).  The leaders in order: position, name,
 * reception hours, the contacts shown, for a member the link to their
 * card (members only) and a button to write to them directly where the
 * platform allows it.  The administrator sees the way to edit the list,
 * a leader the way to choose their contacts.
 */
int
leaders_show(struct http_req *r)
{
	const struct org_access	*a;		/* APP_GUEST */
	struct html_ctx		*c, *item;
	PGresult		*res;
	const char		*org = app_num(r, r->id[0]);
	struct db_query		*guardian, *leaders;
	int			 i, member, rc, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP);
	 * whether the person is a guardian is read for a non-member only. */
	guardian = db_send(&q_guardian, PGRES_TUPLES_OK, org);
	leaders = db_send(&q_leaders, PGRES_TUPLES_OK, org);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	a = r->org;
	member = a != NULL;
	if (member) {
		c = org_page_ctx(r, "Руководители");
	} else {
		/* A guardian is no member: no organization's menu. */
		if ((res = db_result(guardian)) == NULL)
			return app_db_error();
		if (PQntuples(res) != 1 || !db_getbool(res, 0, "guardian"))
			return HTTP_NOT_FOUND;
		c = org_guest_ctx(r, r->id[0], db_get(res, 0, "short_name"),
		    "Руководители");
	}
	html_set_bool(c, "can_edit", member && a->is_admin);
	if ((res = db_result(leaders)) == NULL)
		return app_db_error();
	html_list_init(c, "leaders");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "leaders");
		app_set_cols(item, res, i, "title", "name", "hours", "phone",
		    "email", NULL);
		if (db_getll(res, i, "account_id") > 0) {
			html_set_str(item, "account_id",
			    db_get(res, i, "account_id"));
			html_set_bool(item, "linked", member);
		}
		html_set_bool(item, "can_write", db_getbool(res, i,
		    "can_write"));
		if (db_getbool(res, i, "me"))
			html_set_bool(c, "i_lead", 1);
		html_set_bool(item, "no_contacts", db_get(res, i, "phone")[0] ==
		    '\0' && db_get(res, i, "email")[0] == '\0');
	}
	return app_page(r, HTTP_OK, "leaders", c);
}

/* The contacts form of the person's own place on the list, with status:
 * 0, or an HTTP status (404: not on the list). */
static int
contacts_page(struct http_req *r, struct html_ctx *c, int status)
{
	const struct org_access	*a = r->org;
	PGresult		*res;

	if ((res = db_exec(&q_mine, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	app_set_cols(c, res, 0, "position", "phone", "email", NULL);
	if (status == HTTP_OK) {
		html_set_bool(c, "show_phone", db_getbool(res, 0,
		    "show_phone"));
		html_set_bool(c, "show_email", db_getbool(res, 0,
		    "show_email"));
	}
	return app_page(r, status, "leader_contacts", c);
}

/*
 * GET /org/N/leaders/contacts
 * A member who is on the organization's list of leaders (anyone else of
 * it 404; the operator 403).  Which of their own verified contacts the
 * page shows: both hidden until they choose.  Changes nothing.
 */
int
leaders_contacts_form(struct http_req *r)
{
	return contacts_page(r, org_page_ctx(r, "Мои контакты для "
	    "руководителей"), HTTP_OK);
}

/*
 * POST /org/N/leaders/contacts   fields: show_phone show_email (each "1"
 *   when ticked)
 * The leader themself (anyone else of it 404; the operator 403).  Shows
 * or hides their phone and e-mail on the leaders' page; audited.  303 to
 * /org/N/leaders.  A value other than "1": 422.
 */
int
leaders_contacts_submit(struct http_req *r)
{
	struct valid_result	 v[CO__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	int			 rc, phone, email;

	c = org_page_ctx(r, "Мои контакты для руководителей");
	/* Not on the list: 404 whatever was sent. */
	if ((res = db_exec(&q_mine, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (app_form(r, contacts_fields, CO__MAX, v, c) > 0)
		return contacts_page(r, c, HTTP_UNPROCESSABLE);
	phone = v[CO_PHONE].present;
	email = v[CO_EMAIL].present;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_mine_update, PGRES_COMMAND_OK,
	    app_num(r, a->id), app_num(r, r->user->id),
	    phone ? "true" : "false", email ? "true" : "false")) == NULL)
		return app_db_error();
	if (atoi(PQcmdTuples(res)) != 1)
		return HTTP_NOT_FOUND;
	if (audit_write(a->id, r->user->id, "leader_contacts", r->user->id,
	    pool_printf(r->pool, "телефон %s, почта %s", phone ? "показан" :
	    "скрыт", email ? "показана" : "скрыта")) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/leaders",
	    a->id));
}
