/*
 * leaders: the administrators' edits of the list: add one of the staff
 * or someone not on the platform, change a leader's position, hours and
 * (for someone not on the platform) name and contacts, move one up or
 * down, take one off.  Each change is one transaction with its audit
 * row; the limits and who may be a leader are the database's
 * (sql/0033_leaders.sql), said here in Russian first.
 */
#include <stdlib.h>
#include <string.h>

#include "leaders.h"
#include "utf8.h"

static const char	*valid_title(const char *, char *, size_t);
static const char	*valid_person(const char *, char *, size_t);
static const char	*valid_hours(const char *, char *, size_t);

/* The form adding one of the staff (kind=member). */
enum staff_key {
	ST_ACCOUNT, ST_TITLE, ST_HOURS, ST__MAX
};

static const struct valid_field staff_fields[ST__MAX] = {
	{ "account_id", valid_uint, 1 },	/* ST_ACCOUNT */
	{ "m_position", valid_title, 1 },	/* ST_TITLE */
	{ "m_hours", valid_hours, 0 },		/* ST_HOURS */
};

/* The form of someone not on the platform: adding (kind=other) and
 * editing. */
enum other_key {
	OT_NAME, OT_TITLE, OT_PHONE, OT_EMAIL, OT_HOURS, OT__MAX
};

static const struct valid_field other_fields[OT__MAX] = {
	{ "name", valid_person, 1 },		/* OT_NAME */
	{ "position", valid_title, 1 },	/* OT_TITLE */
	{ "phone", valid_any_phone, 0 },	/* OT_PHONE */
	{ "email", valid_email, 0 },		/* OT_EMAIL */
	{ "hours", valid_hours, 0 },		/* OT_HOURS */
};

/* Editing a member who leads: their position and hours only. */
enum member_key {
	ME_TITLE, ME_HOURS, ME__MAX
};

static const struct valid_field member_fields[ME__MAX] = {
	{ "position", valid_title, 1 },	/* ME_TITLE */
	{ "hours", valid_hours, 0 },		/* ME_HOURS */
};

/* The list as the editor shows it. */
static const struct db_stmt q_list = {
	"leaders_edit_list",
	"SELECT l.id, l.title, l.account_id IS NOT NULL AS is_member,"
	" CASE WHEN l.account_id IS NULL THEN l.name"
	"  ELSE parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"  END AS name,"
	" l.show_phone OR l.show_email AS shows"
	" FROM parta.leader l LEFT JOIN parta.account a ON a.id = l.account_id"
	" WHERE l.org_id = $1 ORDER BY l.sort, l.id"
};

/* The staff who are not on the list yet, to pick from. */
static const struct db_stmt q_staff = {
	"leaders_staff",
	"SELECT a.id, parta.full_name(a.last_name, a.first_name,"
	" a.patronymic) AS name, m.role, a.gender"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" WHERE m.org_id = $1 AND m.role IN ('admin', 'teacher')"
	" AND NOT EXISTS (SELECT 1 FROM parta.leader l"
	"  WHERE l.org_id = m.org_id AND l.account_id = m.account_id)"
	" ORDER BY a.last_name, a.first_name, a.id"
};

static const struct db_stmt q_limit = {
	"leaders_limit",
	"SELECT parta.leader_limit() AS n"
};

static const struct db_stmt q_insert = {
	"leaders_insert",
	"INSERT INTO parta.leader (org_id, account_id, name, title, hours,"
	" phone, email) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	" RETURNING id, coalesce(name, (SELECT parta.full_name(a.last_name,"
	"  a.first_name, a.patronymic) FROM parta.account a"
	"  WHERE a.id = account_id)) AS name",
	DB_CLOSED " " DB_NOT_ALLOWED " " DB_UNIQUE_VIOLATION " "
	DB_FK_VIOLATION
};

static const struct db_stmt q_one = {
	"leaders_one",
	"SELECT l.id, l.title AS position, l.hours, l.phone, l.email,"
	" l.show_phone,"
	" l.show_email, coalesce(l.account_id, 0) AS account_id,"
	" CASE WHEN l.account_id IS NULL THEN l.name"
	"  ELSE parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"  END AS name"
	" FROM parta.leader l LEFT JOIN parta.account a ON a.id = l.account_id"
	" WHERE l.org_id = $1 AND l.id = $2"
};

/* Someone not on the platform: all fields; a member: position and hours
 * (name, phone and e-mail stay empty, as the table's checks want). */
static const struct db_stmt q_update = {
	"leaders_update",
	"UPDATE parta.leader SET title = $3, hours = $4,"
	" name = CASE WHEN account_id IS NULL THEN $5 END,"
	" phone = CASE WHEN account_id IS NULL THEN $6 ELSE '' END,"
	" email = CASE WHEN account_id IS NULL THEN $7 ELSE '' END"
	" WHERE org_id = $1 AND id = $2 RETURNING coalesce(account_id, 0)"
	"  AS account_id"
};

static const struct db_stmt q_move = {
	"leaders_move",
	"SELECT parta.leader_move(p_org => $1, p_id => $2, p_step => $3)"
	" AS moved, (SELECT title FROM parta.leader"
	"  WHERE org_id = $1 AND id = $2) AS title"
};

static const struct db_stmt q_delete = {
	"leaders_delete",
	"DELETE FROM parta.leader WHERE org_id = $1 AND id = $2"
	" RETURNING coalesce(account_id, 0) AS account_id, title,"
	" coalesce(name, '') AS name"
};

/* A position: one line, 1 to 150 characters. */
static const char *
valid_title(const char *in, char *out, size_t outsz)
{
	const char	*e;

	if ((e = valid_line(in, out, outsz)) != NULL)
		return e;
	if (utf8_chars(out) > 150)
		return "Не больше 150 символов";
	return NULL;
}

/* The full name of someone not on the platform, as the school writes it:
 * one line, 1 to 150 characters, with a letter. */
static const char *
valid_person(const char *in, char *out, size_t outsz)
{
	const char	*e;
	size_t		 i;

	if ((e = valid_line(in, out, outsz)) != NULL)
		return e;
	if (utf8_chars(out) > 150)
		return "Не больше 150 символов";
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] >= 0x80 ||
		    (out[i] >= 'A' && out[i] <= 'Z') ||
		    (out[i] >= 'a' && out[i] <= 'z'))
			return NULL;
	return "Напишите фамилию, имя и отчество";
}

/* Reception hours: one line, up to 300 characters. */
static const char *
valid_hours(const char *in, char *out, size_t outsz)
{
	return valid_line(in, out, outsz);
}

/*
 * The editor's page into c with status: the list in order with the
 * buttons of each, the staff to pick from, the two forms to add.  0, or
 * an HTTP status.
 */
static int
edit_page(struct http_req *r, struct html_ctx *c, int status)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*item;
	PGresult		*res;
	const char		*org = app_num(r, a->id), *picked, *marked;
	int			 i, n, limit;

	if ((res = db_exec(&q_limit, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	limit = (int)db_getll(res, 0, "n");
	if ((res = db_exec(&q_list, PGRES_TUPLES_OK, org)) == NULL)
		return app_db_error();
	n = PQntuples(res);
	marked = status == HTTP_OK ? http_query(r, "leader") : NULL;
	html_list_init(c, "leaders");
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "leaders");
		app_set_cols(item, res, i, "id", "title", "name", NULL);
		html_set_bool(item, "is_member", db_getbool(res, i,
		    "is_member"));
		html_set_bool(item, "shows", db_getbool(res, i, "shows"));
		html_set_bool(item, "first", i == 0);
		html_set_bool(item, "last", i == n - 1);
		html_set_int(item, "place", i + 1);
		html_set_bool(item, "marked", marked != NULL &&
		    strcmp(marked, db_get(res, i, "id")) == 0);
	}
	html_set_int(c, "count", n);
	html_set_int(c, "limit", limit);
	html_set_bool(c, "full", n >= limit);
	if ((res = db_exec(&q_staff, PGRES_TUPLES_OK, org)) == NULL)
		return app_db_error();
	picked = html_get_str(c, "account_id");
	html_list_init(c, "staff");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "staff");
		app_set_cols(item, res, i, "id", "name", NULL);
		html_set_str(item, "role_name", org_person_role_lower(
		    db_get(res, i, "role"), db_get(res, i, "gender")));
		html_set_bool(item, "selected", picked != NULL &&
		    strcmp(picked, db_get(res, i, "id")) == 0);
	}
	return app_page(r, status, "leaders_edit", c);
}

/*
 * GET /org/N/leaders/edit[?leader=ID]
 * Admin (others of the organization 403).  The list in order, each
 * leader with buttons to move them up or down, to edit and to take off;
 * a form to add one of the staff, another to add someone not on the
 * platform.  Changes nothing.
 */
int
leaders_edit_form(struct http_req *r)
{
	return edit_page(r, org_page_ctx(r, "Руководители: изменить"),
	    HTTP_OK);
}

/* The refusal of an insert as the message next to its field (the list
 * full: add_full, said with the limit by the page): 0 and the message
 * set in c, or an HTTP status for a fault. */
static int
insert_refusal(struct html_ctx *c, int staff)
{
	const char	*state = db_sqlstate();

	if (strcmp(state, DB_CLOSED) == 0)
		html_set_bool(c, "add_full", 1);
	else if (strcmp(state, DB_UNIQUE_VIOLATION) == 0)
		html_set_str(c, "account_id_error", "Этот сотрудник уже в "
		    "списке руководителей.");
	else if (strcmp(state, DB_NOT_ALLOWED) == 0 ||
	    strcmp(state, DB_FK_VIOLATION) == 0)
		html_set_str(c, "account_id_error", "Выберите сотрудника из "
		    "списка: руководителем может быть администратор или "
		    "учитель этой организации.");
	else
		return app_db_error();
	if (!staff)
		html_set_bool(c, "other_open", 1);
	html_set_bool(c, "form_errors", 1);
	return 0;
}

/*
 * POST /org/N/leaders/edit   field kind: member (fields account_id
 *   m_position m_hours) or other (fields name position phone email hours)
 * Admin (others of the organization 403).  Adds a leader at the end of
 * the list: one of the staff, whose contacts stay hidden until they
 * choose, or someone not on the platform with the contacts typed in.
 * Audited.  303 to /org/N/leaders/edit?leader=ID.  Bad fields, a person
 * already listed, not one of the staff, the list full (30): 422 with the
 * message next to the field, nothing changed.
 */
int
leaders_add(struct http_req *r)
{
	struct valid_result	 vs[ST__MAX], vo[OT__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*kind = http_form(r, "kind"), *detail;
	long long		 id, target;
	int			 rc, staff;

	c = org_page_ctx(r, "Руководители: изменить");
	staff = kind != NULL && strcmp(kind, "member") == 0;
	if (staff) {
		if (app_form(r, staff_fields, ST__MAX, vs, c) > 0)
			return edit_page(r, c, HTTP_UNPROCESSABLE);
	} else {
		html_set_bool(c, "other_open", 1);
		if (app_form(r, other_fields, OT__MAX, vo, c) > 0)
			return edit_page(r, c, HTTP_UNPROCESSABLE);
	}
	if (db_begin() == -1)
		return app_db_error();
	if (staff)
		res = db_exec(&q_insert, PGRES_TUPLES_OK, app_num(r, a->id),
		    vs[ST_ACCOUNT].value, NULL, vs[ST_TITLE].value,
		    vs[ST_HOURS].value, "", "");
	else
		res = db_exec(&q_insert, PGRES_TUPLES_OK, app_num(r, a->id),
		    NULL, vo[OT_NAME].value, vo[OT_TITLE].value,
		    vo[OT_HOURS].value, vo[OT_PHONE].value,
		    vo[OT_EMAIL].value);
	if (res == NULL) {
		if (db_failed())
			return app_db_error();
		if ((rc = insert_refusal(c, staff)) != 0)
			return rc;
		app_rollback();
		return edit_page(r, c, HTTP_UNPROCESSABLE);
	}
	id = db_getll(res, 0, "id");
	target = staff ? atoll(vs[ST_ACCOUNT].value) : 0;
	detail = staff ? pool_printf(r->pool, "должность «%s»",
	    vs[ST_TITLE].value) : pool_printf(r->pool, "%s, должность «%s» "
	    "(нет на платформе)", vo[OT_NAME].value, vo[OT_TITLE].value);
	if (audit_write(a->id, r->user->id, "leader_add", target, detail) ==
	    -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/leaders/edit?leader=%lld", a->id, id));
}

/* One leader's form into c with status: 0, or an HTTP status (404: no
 * such leader here).  On GET the stored values fill it; after a refused
 * POST, what was typed. */
static int
leader_page(struct http_req *r, struct html_ctx *c, int status)
{
	const struct org_access	*a = r->org;
	PGresult		*res;

	if ((res = db_exec(&q_one, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	html_set_str(c, "leader_id", db_get(res, 0, "id"));
	html_set_str(c, "person", db_get(res, 0, "name"));
	if (db_getll(res, 0, "account_id") > 0) {
		html_set_bool(c, "is_member", 1);
		html_set_bool(c, "shows_phone", db_getbool(res, 0,
		    "show_phone"));
		html_set_bool(c, "shows_email", db_getbool(res, 0,
		    "show_email"));
	}
	if (status == HTTP_OK)
		app_set_cols(c, res, 0, "position", "hours", "phone", "email",
		    "name", NULL);
	return app_page(r, status, "leader_form", c);
}

/*
 * GET /org/N/leaders/ID
 * Admin (others of the organization 403).  One leader's form: position
 * and hours; for someone not on the platform also the name and the
 * contacts.  A member's contacts are theirs to show: the form says
 * which they show.  No such leader here: 404.
 */
int
leader_form(struct http_req *r)
{
	return leader_page(r, org_page_ctx(r, "Руководитель"), HTTP_OK);
}

/*
 * POST /org/N/leaders/ID   fields: position hours (and for someone not
 *   on the platform name phone email)
 * Admin (others of the organization 403).  Saves them; audited.  303 to
 * /org/N/leaders/edit?leader=ID.  Bad fields: 422 with the form.  No such
 * leader here: 404.
 */
int
leader_submit(struct http_req *r)
{
	struct valid_result	 vo[OT__MAX], vm[ME__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*org = app_num(r, a->id);
	const char		*id = app_num(r, r->id[1]);
	int			 rc, member;

	c = org_page_ctx(r, "Руководитель");
	if ((res = db_exec(&q_one, PGRES_TUPLES_OK, org, id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	member = db_getll(res, 0, "account_id") > 0;
	if (member) {
		if (app_form(r, member_fields, ME__MAX, vm, c) > 0)
			return leader_page(r, c, HTTP_UNPROCESSABLE);
	} else if (app_form(r, other_fields, OT__MAX, vo, c) > 0)
		return leader_page(r, c, HTTP_UNPROCESSABLE);
	if (db_begin() == -1)
		return app_db_error();
	if (member)
		res = db_exec(&q_update, PGRES_TUPLES_OK, org, id,
		    vm[ME_TITLE].value, vm[ME_HOURS].value, NULL, "", "");
	else
		res = db_exec(&q_update, PGRES_TUPLES_OK, org, id,
		    vo[OT_TITLE].value, vo[OT_HOURS].value, vo[OT_NAME].value,
		    vo[OT_PHONE].value, vo[OT_EMAIL].value);
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (audit_write(a->id, r->user->id, "leader_edit",
	    db_getll(res, 0, "account_id"), member ?
	    pool_printf(r->pool, "должность «%s»", vm[ME_TITLE].value) :
	    pool_printf(r->pool, "%s, должность «%s» (нет на платформе)",
	    vo[OT_NAME].value, vo[OT_TITLE].value)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/leaders/edit?leader=%lld", a->id, r->id[1]));
}

/*
 * POST /org/N/leaders/ID/move   field: dir (up or down)
 * Admin (others of the organization 403).  Swaps the leader with the one
 * above or below (parta.leader_move); audited.  303 to
 * /org/N/leaders/edit?leader=ID; already first or last: the same,
 * nothing changed.  Any other dir: 400; no such leader here: 404.
 */
int
leader_move_submit(struct http_req *r)
{
	const struct org_access	*a = r->org;
	PGresult		*res;
	const char		*dir = http_form(r, "dir");
	int			 rc, up;

	if (dir == NULL || (strcmp(dir, "up") != 0 &&
	    strcmp(dir, "down") != 0))
		return HTTP_BAD_REQUEST;
	up = strcmp(dir, "up") == 0;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_move, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]), up ? "-1" : "1")) == NULL)
		return app_db_error();
	if (db_isnull(res, 0, "moved"))
		return HTTP_NOT_FOUND;
	if (db_getbool(res, 0, "moved") && audit_write(a->id, r->user->id,
	    "leader_move", 0, pool_printf(r->pool, "«%s» %s",
	    db_get(res, 0, "title"), up ? "выше" : "ниже")) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/leaders/edit?leader=%lld", a->id, r->id[1]));
}

/*
 * GET /org/N/leaders/ID/remove
 * Admin (others of the organization 403).  Asks to confirm taking the
 * leader off the page; the form posts to the same URL.  Changes nothing.
 * No such leader here: 404.
 */
int
leader_remove_confirm(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;

	c = org_page_ctx(r, "Убрать руководителя");
	if ((res = db_exec(&q_one, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	html_set_str(c, "title", "Убрать со страницы руководителей?");
	html_set_str(c, "lead", pool_printf(r->pool, "%s, %s, больше не "
	    "будет на странице «Руководители».", db_get(res, 0, "name"),
	    db_get(res, 0, "position")));
	if (db_getll(res, 0, "account_id") > 0)
		html_set_str(c, "note", "Из организации человек не исключается: "
		    "он остаётся участником, и его можно снова добавить.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/leaders/%lld/remove", a->id, r->id[1]), "Убрать",
	    pool_printf(r->pool, "/org/%lld/leaders/edit", a->id));
}

/*
 * POST /org/N/leaders/ID/remove
 * Admin (others of the organization 403).  Takes the leader off the
 * list (a member stays a member); audited.  303 to /org/N/leaders/edit.
 * No such leader here: 404.
 */
int
leader_remove(struct http_req *r)
{
	const struct org_access	*a = r->org;
	PGresult		*res;
	int			 rc;

	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_delete, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (audit_write(a->id, r->user->id, "leader_remove",
	    db_getll(res, 0, "account_id"), db_get(res, 0, "name")[0] !=
	    '\0' ? pool_printf(r->pool, "%s, должность «%s» (нет на "
	    "платформе)", db_get(res, 0, "name"), db_get(res, 0, "title")) :
	    pool_printf(r->pool, "должность «%s»", db_get(res, 0, "title")))
	    == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/leaders/edit",
	    a->id));
}
