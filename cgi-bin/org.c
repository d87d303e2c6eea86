/*
 * org: an organization's home, its profile, its members.
 *
 * Everything here is 404 to anyone who is neither a member nor the
 * operator.  The home page carries the administrator's onboarding
 * checklist, built from the brief's journey and ticked from real data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

static int	home(struct http_req *);
static int	edit_form(struct http_req *);
static int	edit_submit(struct http_req *);
static int	members(struct http_req *);
static int	member_show(struct http_req *);
static int	member_remove(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN, "/org/{n}", home },
	{ APP_GET | APP_LOGIN, "/org/{n}/edit", edit_form },
	{ APP_POST | APP_LOGIN, "/org/{n}/edit", edit_submit },
	{ APP_GET | APP_LOGIN, "/org/{n}/members", members },
	{ APP_GET | APP_LOGIN, "/org/{n}/members/{n}", member_show },
	{ APP_POST | APP_LOGIN, "/org/{n}/members/{n}/remove", member_remove },
};

static const char	*valid_org_phone(const char *, char *, size_t);
static const char	*valid_website(const char *, char *, size_t);
static const char	*valid_text(const char *, char *, size_t);

enum edit_key {
	ED_SHORT, ED_ADDRESS, ED_PHONE, ED_EMAIL, ED_WEBSITE, ED_DESC, ED__MAX
};

static const struct valid_field edit_fields[ED__MAX] = {
	{ "short_name", valid_line, 1 },	/* ED_SHORT */
	{ "address", valid_line, 0 },		/* ED_ADDRESS */
	{ "phone", valid_org_phone, 0 },	/* ED_PHONE */
	{ "email", valid_email, 0 },		/* ED_EMAIL */
	{ "website", valid_website, 0 },	/* ED_WEBSITE */
	{ "description", valid_text, 0 },	/* ED_DESC */
};

#define PROFILE_SQL							\
	"SELECT o.full_name, o.short_name, o.inn, o.kpp, o.address,"	\
	" o.phone, o.email, o.website, o.description, o.org_type,"	\
	" r.name AS region_name"
#define PROFILE_FROM							\
	" FROM parta.org o JOIN parta.region r ON r.code = o.region"	\
	" WHERE o.id = $1"

static const struct db_stmt q_profile = {
	"org_profile",
	PROFILE_SQL PROFILE_FROM
};

/*
 * The home page of an admin: the profile and the onboarding steps of
 * brief 000, each from real data, in one round trip.
 */
static const struct db_stmt q_home_admin = {
	"org_home_admin",
	PROFILE_SQL ","
	" o.address <> '' AND (o.phone <> '' OR o.email <> '')"
	"  AS profile,"
	" EXISTS (SELECT 1 FROM parta.class c WHERE c.org_id = o.id"
	"  AND c.archived_at IS NULL) AS classes,"
	" EXISTS (SELECT 1 FROM parta.invite i WHERE i.org_id = o.id"
	"  AND i.role = 'teacher') AS teachers_invited,"
	" EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = o.id"
	"  AND m.role = 'teacher') AS teachers_accepted,"
	" EXISTS (SELECT 1 FROM parta.class_member cm WHERE cm.org_id = o.id"
	"  AND cm.role = 'homeroom') AS homeroom,"
	" EXISTS (SELECT 1 FROM parta.invite i WHERE i.org_id = o.id"
	"  AND i.role = 'student') AS students_invited,"
	" EXISTS (SELECT 1 FROM parta.chat ch WHERE ch.org_id = o.id"
	"  AND ch.purpose = '') AS chats"
	PROFILE_FROM
};

static const struct db_stmt q_update = {
	"org_update",
	"UPDATE parta.org SET short_name = $2, address = $3, phone = $4,"
	" email = $5, website = $6, description = $7 WHERE id = $1"
};

/* Members with their current class (students) or classes (staff). */
static const struct db_stmt q_members = {
	"org_members",
	"SELECT a.id, a.last_name, a.first_name, a.patronymic, m.role,"
	" m.verified, coalesce(a.phone, '') AS phone,"
	" coalesce(a.email, '') AS email,"
	" coalesce((SELECT string_agg(concat_ws(' ', c.grade::text || c.letter,"
	"   nullif(c.title, '')), ', ' ORDER BY c.grade, c.letter)"
	"  FROM parta.class_member cm JOIN parta.class c"
	"  ON c.org_id = cm.org_id AND c.id = cm.class_id"
	"  WHERE cm.org_id = m.org_id AND cm.account_id = m.account_id"
	"  AND c.archived_at IS NULL), '') AS classes"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" WHERE m.org_id = $1"
	" ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'teacher' THEN 1"
	"  ELSE 2 END, a.last_name, a.first_name, a.id"
};

static const struct db_stmt q_member = {
	"org_member",
	"SELECT a.id, a.last_name, a.first_name, a.patronymic, m.role,"
	" m.verified, coalesce(a.phone, '') AS phone,"
	" coalesce(a.email, '') AS email,"
	" to_char(m.joined_at, 'DD.MM.YYYY') AS joined"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" WHERE m.org_id = $1 AND m.account_id = $2"
};

static const struct db_stmt q_member_classes = {
	"org_member_classes",
	"SELECT c.id, concat_ws(' ', c.grade::text || c.letter,"
	" nullif(c.title, '')) AS name, cm.role FROM parta.class_member cm"
	" JOIN parta.class c ON c.org_id = cm.org_id AND c.id = cm.class_id"
	" WHERE cm.org_id = $1 AND cm.account_id = $2"
	" AND c.archived_at IS NULL ORDER BY c.grade, c.letter"
};

static const struct db_stmt q_member_delete = {
	"org_member_delete",
	"DELETE FROM parta.member WHERE org_id = $1 AND account_id = $2"
	" AND role <> 'admin'"
};

static const struct db_stmt q_member_classes_delete = {
	"org_member_classes_delete",
	"DELETE FROM parta.class_member WHERE org_id = $1 AND account_id = $2"
};

static const struct db_stmt q_audit = {
	"org_audit",
	"INSERT INTO parta.audit (org_id, actor_id, action, target_id)"
	" VALUES ($1, $2, $3, $4)"
};

/* An organization's own phone may be a landline: digits and the usual
 * separators, 5 to 20 characters. */
static const char *
valid_org_phone(const char *in, char *out, size_t outsz)
{
	size_t	 n = strlen(in), digits = 0, i;

	for (i = 0; i < n; i++) {
		if (in[i] >= '0' && in[i] <= '9')
			digits++;
		else if (strchr("+-() ", in[i]) == NULL)
			return "Телефон может содержать цифры, +, -, скобки "
			    "и пробелы";
	}
	if (digits < 5 || n > 20 || n >= outsz)
		return "Введите телефон, например +7 3822 12-34-56";
	memcpy(out, in, n + 1);
	return NULL;
}

/* Only http and https: a "javascript:" link must never reach a page. */
static const char *
valid_website(const char *in, char *out, size_t outsz)
{
	size_t	 n = strlen(in), i;

	if ((strncmp(in, "https://", 8) != 0 && strncmp(in, "http://", 7) !=
	    0) || n < 11 || n > 200 || n >= outsz)
		return "Введите адрес сайта, начиная с https://";
	for (i = 0; i < n; i++)
		if ((unsigned char)in[i] <= ' ' || in[i] == '"' ||
		    in[i] == '<' || in[i] == '>' || in[i] == 0x7f)
			return "Адрес сайта не может содержать пробелы и кавычки";
	memcpy(out, in, n + 1);
	return NULL;
}

/* Several lines of text, up to 2000 characters; tabs and line breaks are
 * kept, other control characters refused. */
static const char *
valid_text(const char *in, char *out, size_t outsz)
{
	size_t	 n = strlen(in), chars = 0, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') ||
		    c == 0x7f)
			return "Текст содержит недопустимые символы";
		if ((c & 0xc0) != 0x80)
			chars++;
	}
	if (chars > 2000 || n >= outsz)
		return "Не больше 2000 символов";
	memcpy(out, in, n + 1);
	return NULL;
}

/* The access check every handler starts with; fills the menu. */
static int
enter(struct http_req *r, struct org_access *a, struct html_ctx **c,
    const char *title)
{
	int	 rc;

	if ((rc = org_access(r, r->id[0], a)) != 0)
		return rc;
	*c = app_ctx(r);
	org_ctx(*c, a);
	html_set_str(*c, "title", title);
	return 0;
}

/* The profile into c, by q_profile or q_home_admin: the result, for the
 * caller to read more from and clear; NULL when the database failed. */
static PGresult *
profile_ctx(struct http_req *r, struct html_ctx *c, const struct db_stmt *q)
{
	static const char *const cols[] = { "full_name", "short_name", "inn",
	    "kpp", "address", "phone", "email", "website", "description",
	    "region_name" };
	PGresult	*res;
	size_t		 i;

	if ((res = db_exec(q, PGRES_TUPLES_OK, 1, app_num(r, r->id[0]))) ==
	    NULL)
		return NULL;
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_set_str(c, cols[i], db_get(res, 0, cols[i]));
	return res;
}

/*
 * GET /org/N
 * Members and the operator.  The profile card, "N новых заявок" for those
 * who review, and the administrator's onboarding checklist.
 */
static int
home(struct http_req *r)
{
	static const char *const steps[][3] = {
		{ "profile", "Заполнить профиль организации", "edit" },
		{ "classes", "Создать классы", "classes" },
		{ "teachers_invited", "Пригласить учителей по ссылке",
		    "invites" },
		{ "teachers_accepted", "Принять заявки учителей",
		    "applications" },
		{ "homeroom", "Назначить классных руководителей", "classes" },
		{ "students_invited", "Пригласить учеников по классам",
		    "invites" },
		{ "chats", "Создать чаты", "chats" },
	};
	struct org_access	 a;
	struct html_ctx		*c, *item;
	PGresult		*res;
	size_t			 i, done = 0;
	int			 rc;

	if ((rc = enter(r, &a, &c, "Организация")) != 0)
		return rc;
	/* The admin's checklist comes with the profile. */
	if ((res = profile_ctx(r, c, a.is_admin ? &q_home_admin :
	    &q_profile)) == NULL)
		return app_db_error();
	html_set_str(c, "title", a.name);
	html_set_str(c, "role_name", org_role_name(a.role));
	html_set_bool(c, "verified", a.verified && !a.is_student);
	if (a.can_review && a.pending > 0)
		html_set_strf(c, "pending_words", "%lld %s", a.pending,
		    ru_plural(a.pending, "новая заявка", "новые заявки",
		    "новых заявок"));
	if (a.is_admin) {
		for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			item = html_list_add(c, "steps");
			html_set_str(item, "text", steps[i][1]);
			html_set_str(item, "href", pool_printf(r->pool,
			    "/org/%lld/%s", a.id, steps[i][2]));
			if (db_getbool(res, 0, steps[i][0])) {
				html_set_bool(item, "done", 1);
				done++;
			}
		}
		html_set_int(c, "steps_done", (long long)done);
		html_set_int(c, "steps_total",
		    (long long)(sizeof(steps) / sizeof(steps[0])));
	}
	PQclear(res);
	return app_page(r, HTTP_OK, "org_home", c);
}

/*
 * GET /org/N/edit
 * Admin (others 403).  The profile form.
 */
static int
edit_form(struct http_req *r)
{
	struct org_access	 a;
	struct html_ctx		*c;
	PGresult		*res;
	int			 rc;

	if ((rc = enter(r, &a, &c, "Профиль организации")) != 0)
		return rc;
	if ((rc = org_require_admin(&a)) != 0)
		return rc;
	if ((res = profile_ctx(r, c, &q_profile)) == NULL)
		return app_db_error();
	PQclear(res);
	return app_page(r, HTTP_OK, "org_edit", c);
}

/*
 * POST /org/N/edit   fields: short_name address phone email website
 *   description
 * Admin.  Changes the profile; 303 to /org/N.  Bad fields: 422.
 */
static int
edit_submit(struct http_req *r)
{
	struct valid_result	 v[ED__MAX];
	struct org_access	 a;
	struct html_ctx		*c;
	PGresult		*res;
	int			 rc;

	if ((rc = enter(r, &a, &c, "Профиль организации")) != 0)
		return rc;
	if ((rc = org_require_admin(&a)) != 0)
		return rc;
	if (app_form(r, edit_fields, ED__MAX, v, c) > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "org_edit", c);
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_update, PGRES_COMMAND_OK, 7, app_num(r, a.id),
	    v[ED_SHORT].value, v[ED_ADDRESS].value, v[ED_PHONE].value,
	    v[ED_EMAIL].value, v[ED_WEBSITE].value, v[ED_DESC].value);
	if (res == NULL)
		return app_db_error();
	PQclear(res);
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/org/%lld", a.id));
}

/*
 * GET /org/N/members[?format=csv]
 * Members and the operator.  Members by role, with their classes and the
 * verified badge for staff; contacts for verified staff only; CSV export
 * for the admin (others 403).
 */
static int
members(struct http_req *r)
{
	struct org_access	 a;
	struct html_ctx		*c, *item;
	const char		*fmt = http_query(r, "format"), *role;
	PGresult		*res;
	int			 rc, i, contacts;

	if ((rc = enter(r, &a, &c, "Участники")) != 0)
		return rc;
	contacts = a.is_admin || (a.is_teacher && a.verified) ||
	    a.is_operator;
	if ((res = db_exec(&q_members, PGRES_TUPLES_OK, 1, app_num(r, a.id))) ==
	    NULL)
		return app_db_error();
	if (fmt != NULL && strcmp(fmt, "csv") == 0) {
		if (!a.is_admin && !a.is_operator) {
			PQclear(res);
			return HTTP_FORBIDDEN;
		}
		buf_reset(&r->body);
		r->status = HTTP_OK;
		http_header(r, "Content-Type", "text/csv; charset=utf-8");
		http_header(r, "Content-Disposition", pool_printf(r->pool,
		    "attachment; filename=\"members-%lld.csv\"", a.id));
		buf_puts(&r->body, "id,last_name,first_name,patronymic,role,"
		    "verified,classes,phone,email\r\n");
		for (i = 0; i < PQntuples(res); i++) {
			static const char *const cols[] = { "last_name",
			    "first_name", "patronymic", "role" };
			size_t k;

			buf_printf(&r->body, "%s", db_get(res, i, "id"));
			for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
				buf_putc(&r->body, ',');
				buf_csv(&r->body, db_get(res, i, cols[k]));
			}
			buf_printf(&r->body, ",%s,", db_getbool(res, i,
			    "verified") ? "yes" : "no");
			buf_csv(&r->body, db_get(res, i, "classes"));
			buf_putc(&r->body, ',');
			buf_csv(&r->body, db_get(res, i, "phone"));
			buf_putc(&r->body, ',');
			buf_csv(&r->body, db_get(res, i, "email"));
			buf_puts(&r->body, "\r\n");
		}
		PQclear(res);
		return 0;
	}
	html_set_bool(c, "can_export", a.is_admin || a.is_operator);
	for (i = 0; i < PQntuples(res); i++) {
		role = db_get(res, i, "role");
		item = html_list_add(c, strcmp(role, "student") == 0 ?
		    "students" : "staff");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", pool_printf(r->pool, "%s %s %s",
		    db_get(res, i, "last_name"), db_get(res, i, "first_name"),
		    db_get(res, i, "patronymic")));
		html_set_str(item, "role_name", org_role_name(role));
		html_set_str(item, "classes", db_get(res, i, "classes"));
		html_set_bool(item, "verified", db_getbool(res, i, "verified") &&
		    strcmp(role, "student") != 0);
		if (contacts && strcmp(role, "student") != 0) {
			html_set_str(item, "phone", db_get(res, i, "phone"));
			html_set_str(item, "email", db_get(res, i, "email"));
		}
	}
	PQclear(res);
	return app_page(r, HTTP_OK, "org_members", c);
}

/*
 * GET /org/N/members/ID   (ID is the account id)
 * Members and the operator.  A member's card; contacts for verified
 * staff; a remove button for the admin.  Not a member: 404.
 */
static int
member_show(struct http_req *r)
{
	struct org_access	 a;
	struct html_ctx		*c, *item;
	PGresult		*res;
	const char		*role;
	int			 rc, i;

	if ((rc = enter(r, &a, &c, "Участник")) != 0)
		return rc;
	if ((res = db_exec(&q_member, PGRES_TUPLES_OK, 2, app_num(r, a.id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return HTTP_NOT_FOUND;
	}
	role = pool_strdup(r->pool, db_get(res, 0, "role"));
	html_set_str(c, "account_id", db_get(res, 0, "id"));
	html_set_str(c, "name", pool_printf(r->pool, "%s %s %s",
	    db_get(res, 0, "last_name"), db_get(res, 0, "first_name"),
	    db_get(res, 0, "patronymic")));
	html_set_str(c, "role_name", org_role_name(role));
	html_set_str(c, "joined", db_get(res, 0, "joined"));
	html_set_bool(c, "verified", db_getbool(res, 0, "verified") &&
	    strcmp(role, "student") != 0);
	if ((a.is_admin || (a.is_teacher && a.verified) || a.is_operator) &&
	    strcmp(role, "student") != 0) {
		html_set_str(c, "phone", db_get(res, 0, "phone"));
		html_set_str(c, "email", db_get(res, 0, "email"));
	}
	html_set_bool(c, "can_remove", a.is_admin &&
	    strcmp(role, "admin") != 0);
	PQclear(res);
	if ((res = db_exec(&q_member_classes, PGRES_TUPLES_OK, 2, app_num(r, a.id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_bool(item, "homeroom", strcmp(db_get(res, i, "role"),
		    "homeroom") == 0);
	}
	PQclear(res);
	return app_page(r, HTTP_OK, "org_member", c);
}

/*
 * POST /org/N/members/ID/remove
 * Admin (others 403).  Removes a teacher or student from the
 * organization and its classes (the database takes them out of its chats,
 * keeping a parent's own chats); audited.  303 to the members.
 * Administrators are removed by the operator only (403); not a member:
 * 404.
 */
static int
member_remove(struct http_req *r)
{
	struct org_access	 a;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*org, *who;
	int			 rc, n;

	if ((rc = enter(r, &a, &c, "Участник")) != 0)
		return rc;
	if ((rc = org_require_admin(&a)) != 0)
		return rc;
	org = app_num(r, a.id);
	who = app_num(r, r->id[1]);
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_member_delete, PGRES_COMMAND_OK, 2, org, who)) ==
	    NULL)
		return app_db_error();
	n = atoi(PQcmdTuples(res));
	PQclear(res);
	if (n != 1) {
		db_rollback();
		if ((res = db_exec(&q_member, PGRES_TUPLES_OK, 2, org, who)) ==
		    NULL)
			return app_db_error();
		n = PQntuples(res);
		PQclear(res);
		return n == 1 ? HTTP_FORBIDDEN : HTTP_NOT_FOUND;
	}
	if ((res = db_exec(&q_member_classes_delete, PGRES_COMMAND_OK, 2, org,
	    who)) == NULL)
		return app_db_error();
	PQclear(res);
	if ((res = db_exec(&q_audit, PGRES_COMMAND_OK, 4, org, app_num(r,
	    r->user->id), "member_remove", who)) == NULL)
		return app_db_error();
	PQclear(res);
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/org/%s/members", org));
}

int
main(void)
{
	return app_main("org", routes, sizeof(routes) / sizeof(routes[0]));
}
