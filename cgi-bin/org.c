/*
 * org: an organization's home, its profile, its members, and the ways
 * out of it that a member or its administrator takes: removing a
 * member, leaving, moving a student to another class, lifting the bar a
 * removal put, removing a student's guardian.
 *
 * Everything here is 404 to anyone who is neither a member nor the
 * operator, and 403 to a member without the route's role: the routes
 * table says who (lib/app.h), the dispatcher checks and hands the
 * handler the person's standing in r->org.  The home page carries the person's onboarding checklists
 * (lib/home: built from the brief's journey, ticked from real data).
 * Who may leave, move or come back, and what a way out ends, is decided
 * by the database (sql/0012_membership.sql) through lib/member; who may
 * be a student's guardian and who removes one, through lib/guardian
 * (sql/0017_guardians.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "csv.h"
#include "db.h"
#include "event.h"
#include "home.h"
#include "guardian.h"
#include "member.h"
#include "org.h"
#include "pager.h"
#include "pool.h"
#include "utf8.h"

static int	home(struct http_req *);
static int	edit_form(struct http_req *);
static int	edit_submit(struct http_req *);
static int	members(struct http_req *);
static int	member_show(struct http_req *);
static int	member_remove_confirm(struct http_req *);
static int	member_remove(struct http_req *);
static int	member_class(struct http_req *);
static int	member_unbar_submit(struct http_req *);
static int	member_guardian_remove_confirm(struct http_req *);
static int	member_guardian_remove(struct http_req *);
static int	leave_confirm(struct http_req *);
static int	leave(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_ORG | APP_ONE_TRIP, "/org/{n}", home },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/edit", edit_form },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/edit", edit_submit },
	{ APP_GET | APP_LOGIN | APP_ORG | APP_ONE_TRIP, "/org/{n}/members",
	    members },
	{ APP_GET | APP_LOGIN | APP_ORG, "/org/{n}/members/{n}", member_show },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/members/{n}/remove",
	    member_remove_confirm },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/members/{n}/remove",
	    member_remove },
	{ APP_POST | APP_LOGIN | APP_REVIEWER, "/org/{n}/members/{n}/class",
	    member_class },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/members/{n}/unbar",
	    member_unbar_submit },
	{ APP_GET | APP_LOGIN | APP_REVIEWER,
	    "/org/{n}/members/{n}/guardians/{n}/remove",
	    member_guardian_remove_confirm },
	{ APP_POST | APP_LOGIN | APP_REVIEWER,
	    "/org/{n}/members/{n}/guardians/{n}/remove",
	    member_guardian_remove },
	{ APP_GET | APP_LOGIN | APP_MEMBER, "/org/{n}/leave", leave_confirm },
	{ APP_POST | APP_LOGIN | APP_MEMBER, "/org/{n}/leave", leave },
};

static const char	*valid_website(const char *, char *, size_t);
static const char	*valid_text(const char *, char *, size_t);

enum edit_key {
	ED_SHORT, ED_ADDRESS, ED_PHONE, ED_EMAIL, ED_WEBSITE, ED_DESC, ED__MAX
};

static const struct valid_field edit_fields[ED__MAX] = {
	{ "short_name", valid_line, 1 },	/* ED_SHORT */
	{ "address", valid_line, 0 },		/* ED_ADDRESS */
	{ "phone", valid_any_phone, 0 },	/* ED_PHONE */
	{ "email", valid_email, 0 },		/* ED_EMAIL */
	{ "website", valid_website, 0 },	/* ED_WEBSITE */
	{ "description", valid_text, 0 },	/* ED_DESC */
};

enum move_key {
	MV_CLASS, MV__MAX
};

static const struct valid_field move_fields[MV__MAX] = {
	{ "class_id", valid_uint, 1 },		/* MV_CLASS */
};

static const struct db_stmt q_profile = {
	"org_profile",
	"SELECT o.full_name, o.short_name, o.inn, o.kpp, o.address,"
	" o.phone, o.email, o.website, o.description, o.org_type,"
	" r.name AS region_name"
	" FROM parta.org o JOIN parta.region r ON r.code = o.region"
	" WHERE o.id = $1"
};

static const struct db_stmt q_update = {
	"org_update",
	"UPDATE parta.org SET short_name = $2, address = $3, phone = $4,"
	" email = $5, website = $6, description = $7 WHERE id = $1"
};

/* Every member with their current classes, for the CSV. */
static const struct db_stmt q_members = {
	"org_members",
	"SELECT a.id, a.last_name, a.first_name, a.patronymic, m.role,"
	" a.gender, m.verified, coalesce(a.phone, '') AS phone,"
	" coalesce(a.email, '') AS email,"
	" mc.names AS classes"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" CROSS JOIN LATERAL parta.member_classes(m.org_id, m.account_id) mc"
	" WHERE m.org_id = $1"
	" ORDER BY CASE m.role WHEN 'admin' THEN 0 WHEN 'teacher' THEN 1"
	"  ELSE 2 END, a.last_name, a.first_name, a.id"
};

/*
 * A page of the members (lib/pager): administrators, teachers, then
 * students, each by name; filtered by role $2, class $3 (in it now) and
 * $4 (a part of the full name, any case); the page after member $5
 * (NULL, or no member here: from the first), $6 rows; with the total
 * under the filters, counted on member alone unless a name is sought.
 * The page's rows are chosen on member alone, by the index member_page
 * in that order (the names as member keeps them for it,
 * sql/0061_list_buffers.sql), and only those are read with their
 * account and their classes (parta.member_classes: each class by its
 * key; a set of the school's open classes read once was scanned whole
 * for every class membership, its size misjudged as one row: 41 x 120
 * comparisons, 0.5 ms of the big school's page among 10 000 schools).
 */
static const struct db_stmt q_members_page = {
	"org_members_page",
	"WITH f AS NOT MATERIALIZED (SELECT m.org_id, m.account_id AS id,"
	"  m.role, m.verified, parta.member_rank(m.role) AS rank,"
	"  m.sort_last_name, m.sort_first_name"
	"  FROM parta.member m"
	"  WHERE m.org_id = $1 AND ($2::text IS NULL OR m.role = $2)"
	"  AND ($3::bigint IS NULL OR EXISTS (SELECT 1"
	"   FROM parta.class_member cm WHERE cm.org_id = m.org_id"
	"   AND cm.class_id = $3 AND cm.account_id = m.account_id))"
	"  AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM parta.account s"
	"   WHERE s.id = m.account_id AND strpos(lower(parta.full_name("
	"   s.last_name, s.first_name, s.patronymic)), lower($4)) > 0)))"
	" SELECT t.total, x.* FROM (SELECT count(*) AS total FROM f) t"
	" LEFT JOIN LATERAL (SELECT p.id, p.role, p.verified, a.gender,"
	"  parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"   AS full_name,"
	"  coalesce(a.phone, '') AS phone, coalesce(a.email, '') AS email,"
	"  mc.names AS classes"
	"  FROM (SELECT f.* FROM f"
	"   WHERE (f.rank, f.sort_last_name, f.sort_first_name, f.id) >"
	"   (SELECT coalesce(max(parta.member_rank(k.role)), -1),"
	"    coalesce(max(k.sort_last_name), ''),"
	"    coalesce(max(k.sort_first_name), ''),"
	"    coalesce(max(k.account_id), 0)"
	"    FROM parta.member k WHERE k.org_id = $1 AND k.account_id = $5)"
	"   ORDER BY f.rank, f.sort_last_name, f.sort_first_name, f.id"
	"   LIMIT $6) p"
	"  JOIN parta.account a ON a.id = p.id"
	"  CROSS JOIN LATERAL parta.member_classes(p.org_id, p.id) mc"
	"  ORDER BY p.rank, p.sort_last_name, p.sort_first_name, p.id) x"
	" ON true"
};

/* The organization's open classes, for the members' filter. */
static const struct db_stmt q_member_filter_classes = {
	"org_member_filter_classes",
	"SELECT c.id, parta.class_name(c.grade, c.letter, c.title) AS name"
	" FROM parta.class c WHERE c.org_id = $1 AND c.archived_at IS NULL"
	" ORDER BY c.kind, c.grade NULLS LAST, c.letter, c.title, c.id"
};

static const struct db_stmt q_member = {
	"org_member",
	"SELECT a.id, a.last_name, a.first_name, a.patronymic, m.role,"
	" parta.full_name(a.last_name, a.first_name, a.patronymic)"
	"  AS full_name,"
	" a.gender, m.verified, coalesce(a.phone, '') AS phone,"
	" coalesce(a.email, '') AS email,"
	" to_char(m.joined_at AT TIME ZONE rg.tz, 'DD.MM.YYYY') AS joined"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" JOIN parta.org o ON o.id = m.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE m.org_id = $1 AND m.account_id = $2"
};

static const struct db_stmt q_member_classes = {
	"org_member_classes",
	"SELECT c.id, parta.class_name(c.grade, c.letter, c.title) AS name,"
	" cm.role FROM parta.class_member cm"
	" JOIN parta.class c ON c.org_id = cm.org_id AND c.id = cm.class_id"
	" WHERE cm.org_id = $1 AND cm.account_id = $2"
	" AND c.archived_at IS NULL ORDER BY c.grade, c.letter"
};

/*
 * The class a student is in now (the one a move takes them out of: the
 * newest open class, as parta.student_move picks it), and whether the
 * person asking ($3) is its homeroom teacher.
 */
static const struct db_stmt q_member_current = {
	"org_member_current",
	"SELECT k.id, parta.class_name(k.grade, k.letter, k.title) AS name,"
	" EXISTS (SELECT 1 FROM parta.class_member h WHERE h.org_id = k.org_id"
	"  AND h.class_id = k.id AND h.account_id = $3"
	"  AND h.role = 'homeroom') AS homeroom"
	" FROM parta.class_member cm JOIN parta.class k"
	" ON k.org_id = cm.org_id AND k.id = cm.class_id"
	" WHERE cm.org_id = $1 AND cm.account_id = $2 AND cm.role = 'student'"
	" AND k.archived_at IS NULL ORDER BY k.year DESC, k.id LIMIT 1"
};

/* The classes a student may be moved into by the person asking ($2): the
 * open school classes but the current one ($4); for a homeroom teacher
 * ($3 false) only their own.  The database checks again on the move. */
static const struct db_stmt q_move_targets = {
	"org_move_targets",
	"SELECT k.id, parta.class_name(k.grade, k.letter, k.title) AS name"
	" FROM parta.class k WHERE k.org_id = $1 AND k.kind = 'class'"
	" AND k.archived_at IS NULL AND k.id <> $4 AND ($3::boolean OR EXISTS"
	"  (SELECT 1 FROM parta.class_member h WHERE h.org_id = k.org_id"
	"  AND h.class_id = k.id AND h.account_id = $2"
	"  AND h.role = 'homeroom'))"
	" ORDER BY k.year DESC, k.grade NULLS LAST, k.letter, k.title, k.id"
};

/* People removed from the organization, who may not come back until an
 * administrator lets them. */
static const struct db_stmt q_barred = {
	"org_barred",
	"SELECT b.account_id AS id, parta.full_name(a.last_name, a.first_name,"
	" a.patronymic) AS name, a.gender,"
	" to_char(b.barred_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI')"
	"  AS barred_at,"
	" CASE WHEN w.id IS NULL OR w.is_operator"
	"  THEN 'оператор платформы'"
	"  ELSE concat_ws(' ', w.last_name, w.first_name) END AS barred_by"
	" FROM parta.member_bar b JOIN parta.account a ON a.id = b.account_id"
	" LEFT JOIN parta.account w ON w.id = b.barred_by"
	" JOIN parta.org o ON o.id = b.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE b.org_id = $1 ORDER BY b.barred_at DESC, b.account_id"
};

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
	size_t	 n = strlen(in), i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') ||
		    c == 0x7f)
			return "Текст содержит недопустимые символы";
	}
	if (utf8_chars(in) > 2000 || n >= outsz)
		return "Не больше 2000 символов";
	memcpy(out, in, n + 1);
	return NULL;
}

static int	profile_read(struct html_ctx *, struct db_query *);

/* The profile into c, by q: 0, or an HTTP status. */
static int
profile_ctx(struct http_req *r, struct html_ctx *c, const struct db_stmt *q)
{
	return profile_read(c, db_send(q, PGRES_TUPLES_OK,
	    app_num(r, r->id[0])));
}

/* The same from its query (sent with others). */
static int
profile_read(struct html_ctx *c, struct db_query *q)
{
	static const char *const cols[] = { "full_name", "short_name", "inn",
	    "kpp", "address", "phone", "email", "website", "description",
	    "region_name" };
	PGresult	*res;
	size_t		 i;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_set_str(c, cols[i], db_get(res, 0, cols[i]));
	return 0;
}

/*
 * GET /org/N
 * Members and the operator.  The profile card, "N новых заявок" for those
 * who review, the person's onboarding checklists here (administrator;
 * teacher and the classes they lead; student: lib/home), for a homeroom
 * teacher the guardians confirmed lately for their students, the
 * member's events of today and the coming week (lib/event), and for
 * members the form to leave the organization.
 */
static int
home(struct http_req *r)
{
	const struct org_access	*a;
	struct html_ctx		*c;
	struct home_steps	*hs;
	struct db_query		*profile, *steps, *news, *week;
	int			 rc = 0, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP),
	 * for the person asking: those of a member's role are read only
	 * when they are one (the operator, no member, finds nothing in
	 * them anyway). */
	profile = db_send(&q_profile, PGRES_TUPLES_OK, app_num(r, r->id[0]));
	steps = home_steps_send(r, r->id[0]);
	week = event_week_send(r, r->id[0]);
	news = guardian_news_send(r, r->id[0]);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	a = r->org;
	if (a->role[0] == '\0')
		steps = week = NULL;
	if (!a->homeroom)
		news = NULL;
	c = org_page_ctx(r, "Организация");
	if ((rc = profile_read(c, profile)) != 0)
		return rc;
	html_set_str(c, "title", a->name);
	html_set_str(c, "role_name", org_person_role(a->role, r->user->gender));
	html_set_bool(c, "verified", a->verified && !a->is_student);
	/* Members may leave; the operator, who is none, may not. */
	html_set_bool(c, "can_leave", a->role[0] != '\0');
	if (a->can_review && a->pending > 0)
		html_set_strf(c, "pending_words", "%lld %s", a->pending,
		    ru_plural(a->pending, "новая заявка", "новые заявки",
		    "новых заявок"));
	/* «1 новая заявка — рассмотрите её», «21 новая заявка —
	 * рассмотрите их»: one application is "it", any other count "they". */
	html_set_str(c, "pending_them", a->pending == 1 ? "её" : "их");
	html_list_init(c, "checklists");
	html_set_int(c, "checklist_level", 2);
	if (a->role[0] != '\0') {
		if ((rc = home_steps_read(r, steps, &hs)) != 0)
			return rc;
		(void)home_checklists(r, hs, c, a->role, a->id);
		(void)home_checklists(r, hs, c, "homeroom", a->id);
	}
	if (news != NULL && (rc = guardian_news_read(news, c)) != 0)
		return rc;
	/* The member's events of today and the coming week (lib/event);
	 * the operator, who is none, has none. */
	html_set_int(c, "event_level", 2);
	if (week != NULL)
		rc = event_week_read(r, week, c);
	else
		html_list_init(c, "event_weeks");
	if (rc != 0)
		return rc;
	return app_page(r, HTTP_OK, "org_home", c);
}

/*
 * GET /org/N/edit
 * Admin (others 403).  The profile form.
 */
static int
edit_form(struct http_req *r)
{
	struct html_ctx		*c;
	int			 rc;

	c = org_page_ctx(r, "Профиль организации");
	if ((rc = profile_ctx(r, c, &q_profile)) != 0)
		return rc;
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
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	int			 rc;

	c = org_page_ctx(r, "Профиль организации");
	if (app_form(r, edit_fields, ED__MAX, v, c) > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "org_edit", c);
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_update, PGRES_COMMAND_OK, app_num(r, a->id),
	    v[ED_SHORT].value, v[ED_ADDRESS].value, v[ED_PHONE].value,
	    v[ED_EMAIL].value, v[ED_WEBSITE].value, v[ED_DESC].value);
	if (res == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld", a->id));
}

/* The members' filter from the query: role (one of the three), class_id
 * (a number) and q (a part of a name): 0, or 400 for a value no form of
 * the page sends. */
static int
members_filter(struct http_req *r, const char **role, const char **cls,
    const char **q)
{
	char	 buf[VALID_MAX];
	int	 rc;

	*role = http_query(r, "role");
	*q = http_query(r, "q");
	if (*role != NULL && (*role)[0] == '\0')
		*role = NULL;
	if (*role != NULL && strcmp(*role, "admin") != 0 &&
	    strcmp(*role, "teacher") != 0 && strcmp(*role, "student") != 0)
		return HTTP_BAD_REQUEST;
	if ((rc = pager_id(r, "class_id", cls)) != 0)
		return rc;
	if (*q != NULL) {
		if (valid_line(*q, buf, sizeof(buf)) != NULL ||
		    utf8_chars(buf) > 100)
			return HTTP_BAD_REQUEST;
		*q = buf[0] != '\0' ? pool_strdup(r->pool, buf) : NULL;
	}
	return 0;
}

/*
 * GET /org/N/members[?role=&class_id=&q=&after=ID][&format=csv]
 * Members and the operator.  The members, administrators and teachers
 * first, then students, each by name, 50 a page (lib/pager), with how
 * many there are under the filters (role, class, a part of the name);
 * their classes and the verified badge for staff; contacts for
 * verified staff only.  CSV export of everyone for the admin (others
 * 403).  The admin and the operator also see the people removed and
 * barred from coming back; the admin may let them.  A filter or cursor
 * no page sends: 400.
 */
static int
members(struct http_req *r)
{
	const struct org_access	*a;
	struct html_ctx		*c, *item;
	struct csv		 csv;
	struct pager		 pg;
	const char		*fmt = http_query(r, "format"), *role;
	const char		*frole = NULL, *fcls = NULL, *fq = NULL;
	const char		*org = app_num(r, r->id[0]);
	struct db_query		*classes = NULL, *page = NULL, *barred = NULL;
	PGresult		*res;
	int			 i, n, rc, bad = 0, contacts, csv_asked;
	int			 answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP):
	 * the removed people are read only for whom they are shown. */
	csv_asked = fmt != NULL && strcmp(fmt, "csv") == 0;
	if (!csv_asked && (bad = members_filter(r, &frole, &fcls, &fq)) == 0 &&
	    (bad = pager_read(r, &pg, pager_path(r, pool_printf(r->pool,
	    "/org/%s/members", org), "role", frole, "class_id", fcls,
	    "q", fq, NULL))) == 0) {
		classes = db_send(&q_member_filter_classes, PGRES_TUPLES_OK,
		    org);
		page = db_send(&q_members_page, PGRES_TUPLES_OK, org, frole,
		    fcls, fq, pg.after, app_num(r, PAGER_SIZE + 1));
		barred = db_send(&q_barred, PGRES_TUPLES_OK, org);
	}
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	a = r->org;
	c = org_page_ctx(r, "Участники");
	contacts = a->is_admin || (a->is_teacher && a->verified) ||
	    a->is_operator;
	if (csv_asked) {
		if (!a->is_admin && !a->is_operator)
			return HTTP_FORBIDDEN;
		if ((res = db_exec(&q_members, PGRES_TUPLES_OK,
		    app_num(r, a->id))) == NULL)
			return app_db_error();
		app_csv(r, &csv, pool_printf(r->pool, "members-%lld.csv",
		    a->id));
		csv_row(&csv, "Номер профиля", "Фамилия", "Имя", "Отчество",
		    "Роль", "Подтверждение", "Классы", "Телефон", "Почта",
		    NULL);
		for (i = 0; i < PQntuples(res); i++)
			csv_row(&csv, db_get(res, i, "id"),
			    db_get(res, i, "last_name"),
			    db_get(res, i, "first_name"),
			    db_get(res, i, "patronymic"),
			    org_person_role(db_get(res, i, "role"),
			    db_get(res, i, "gender")),
			    db_getbool(res, i, "verified") ? "да" : "нет",
			    db_get(res, i, "classes"), db_get(res, i, "phone"),
			    db_get(res, i, "email"), NULL);
		return 0;
	}
	/* A filter or cursor no page sends. */
	if (bad != 0)
		return bad;
	html_set_bool(c, "can_export", a->is_admin || a->is_operator);
	html_set_str(c, "q", fq != NULL ? fq : "");
	html_set_bool(c, "filtered", frole != NULL || fcls != NULL ||
	    fq != NULL);
	html_set_bool(c, "role_admin", frole && strcmp(frole, "admin") == 0);
	html_set_bool(c, "role_teacher", frole &&
	    strcmp(frole, "teacher") == 0);
	html_set_bool(c, "role_student", frole &&
	    strcmp(frole, "student") == 0);
	if (!a->is_admin && !a->is_operator)
		barred = NULL;
	if ((res = db_result(classes)) == NULL)
		return app_db_error();
	html_list_init(c, "filter_classes");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "filter_classes");
		app_set_cols(item, res, i, "id", "name", NULL);
		html_set_bool(item, "selected", fcls != NULL &&
		    strcmp(fcls, db_get(res, i, "id")) == 0);
	}
	if ((res = db_result(page)) == NULL)
		return app_db_error();
	n = pager_ctx(r, c, &pg, res, "id", "участник", "участника",
	    "участников");
	html_list_init(c, "rows");
	for (i = 0; i < n; i++) {
		role = db_get(res, i, "role");
		item = html_list_add(c, "rows");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "full_name"));
		html_set_str(item, "role_name", org_person_role(role,
		    db_get(res, i, "gender")));
		html_set_str(item, "classes", db_get(res, i, "classes"));
		html_set_bool(item, "verified", db_getbool(res, i, "verified") &&
		    strcmp(role, "student") != 0);
		if (contacts && strcmp(role, "student") != 0) {
			html_set_str(item, "phone", db_get(res, i, "phone"));
			html_set_str(item, "email", db_get(res, i, "email"));
		}
	}
	if (barred != NULL) {
		if ((res = db_result(barred)) == NULL)
			return app_db_error();
		html_set_bool(c, "barred_section", 1);
		html_list_init(c, "barred");
		for (i = 0; i < PQntuples(res); i++) {
			item = html_list_add(c, "barred");
			app_set_cols(item, res, i, "id", "name", "gender",
			    "barred_at", "barred_by", NULL);
		}
	}
	return app_page(r, HTTP_OK, "org_members", c);
}

/*
 * A member's card into c, with status: their role, classes, contacts for
 * those who see them, and the forms the person asking may use (remove;
 * move a student to another class).  Not a member: 404.
 */
static int
member_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*org = app_num(r, a->id), *who = app_num(r, r->id[1]);
	const char	*role, *from, *picked;
	int		 i, can_move, rc;

	if ((res = db_exec(&q_member, PGRES_TUPLES_OK, org, who)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	role = pool_strdup(r->pool, db_get(res, 0, "role"));
	html_set_str(c, "account_id", db_get(res, 0, "id"));
	html_set_str(c, "name", db_get(res, 0, "full_name"));
	html_set_str(c, "role_name", org_person_role(role, db_get(res, 0,
	    "gender")));
	html_set_str(c, "gender", db_get(res, 0, "gender"));
	html_set_str(c, "joined", db_get(res, 0, "joined"));
	html_set_bool(c, "verified", db_getbool(res, 0, "verified") &&
	    strcmp(role, "student") != 0);
	if ((a->is_admin || (a->is_teacher && a->verified) ||
	    a->is_operator) && strcmp(role, "student") != 0) {
		html_set_str(c, "phone", db_get(res, 0, "phone"));
		html_set_str(c, "email", db_get(res, 0, "email"));
	}
	html_set_bool(c, "can_remove", a->is_admin &&
	    strcmp(role, "admin") != 0);
	if ((res = db_exec(&q_member_classes, PGRES_TUPLES_OK, org,
	    who)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_bool(item, "homeroom", strcmp(db_get(res, i, "role"),
		    "homeroom") == 0);
	}
	if (strcmp(role, "student") == 0 &&
	    (rc = guardian_member_ctx(r, c, a->id, r->id[1])) != 0)
		return rc;

	/* The move form: for a student in a class, to the administrator
	 * and to that class's homeroom teacher. */
	if (strcmp(role, "student") != 0 || (!a->is_admin && !a->homeroom))
		return app_page(r, status, "org_member", c);
	if ((res = db_exec(&q_member_current, PGRES_TUPLES_OK, org, who,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	can_move = PQntuples(res) == 1 && (a->is_admin ||
	    db_getbool(res, 0, "homeroom"));
	from = PQntuples(res) == 1 ?
	    pool_strdup(r->pool, db_get(res, 0, "id")) : NULL;
	if (can_move)
		html_set_str(c, "current_class", db_get(res, 0, "name"));
	if (!can_move)
		return app_page(r, status, "org_member", c);
	if ((res = db_exec(&q_move_targets, PGRES_TUPLES_OK, org,
	    app_num(r, r->user->id), a->is_admin ? "true" : "false",
	    from)) == NULL)
		return app_db_error();
	html_set_bool(c, "can_move", 1);
	html_list_init(c, "targets");
	picked = html_get_str(c, "class_id");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "targets");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_bool(item, "selected", picked != NULL &&
		    strcmp(picked, db_get(res, i, "id")) == 0);
	}
	return app_page(r, status, "org_member", c);
}

/*
 * GET /org/N/members/ID   (ID is the account id)
 * Members and the operator.  A member's card; contacts for verified
 * staff; a remove button for the admin; for a student, the form to move
 * them to another class for the admin and their homeroom teacher, who
 * also see the student's guardians, when and how each was confirmed,
 * with a remove button each.  Not a member: 404.
 */
static int
member_show(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;

	c = org_page_ctx(r, "Участник");
	return member_page(r, a, c, HTTP_OK);
}

/* The page that says an administrator is removed by the operator only. */
static int
member_admin_page(struct http_req *r, struct html_ctx *c)
{
	html_set_str(c, "title", "Администратора исключить нельзя");
	html_set_str(c, "message", "Администратора организации снимает только "
	    "оператор платформы: напишите в поддержку Парты.");
	return app_page(r, HTTP_FORBIDDEN, "org_notice", c);
}

/*
 * GET /org/N/members/ID/remove
 * Admin (others 403).  Asks to confirm removing the member, saying what
 * it ends; the form posts to the same URL.  Changes nothing.  An
 * administrator: 403 saying the operator removes them; not a member:
 * 404.
 */
static int
member_remove_confirm(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*name, *role;
	int			 is_admin;

	c = org_page_ctx(r, "Исключение из организации");
	if ((res = db_exec(&q_member, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	is_admin = strcmp(db_get(res, 0, "role"), "admin") == 0;
	role = org_person_role_lower(db_get(res, 0, "role"),
	    db_get(res, 0, "gender"));
	name = pool_printf(r->pool, "%s %s%s%s", db_get(res, 0, "last_name"),
	    db_get(res, 0, "first_name"),
	    db_get(res, 0, "patronymic")[0] != '\0' ? " " : "",
	    db_get(res, 0, "patronymic"));
	if (is_admin)
		return member_admin_page(r, c);
	html_set_str(c, "title", "Исключить из организации?");
	html_set_str(c, "lead", pool_printf(r->pool, "Из «%s» будет "
	    "исключён участник: %s, %s. После этого:", a->name, name, role));
	app_confirm_point(c, "участник пропадёт из классов, из всех чатов и "
	    "каналов организации (его сообщения останутся);");
	app_confirm_point(c, "ссылки-приглашения, которые он создал, "
	    "перестанут работать, а его нерассмотренные заявки будут "
	    "закрыты;");
	app_confirm_point(c, "вернуться по ссылке или заявке он не сможет, "
	    "пока вы не разрешите это в списке участников.");
	html_set_str(c, "note", "Отменить исключение нельзя: снова принять "
	    "человека можно только по новой заявке.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/members/%lld/remove", a->id, r->id[1]), "Исключить",
	    pool_printf(r->pool, "/org/%lld/members/%lld", a->id, r->id[1]));
}

/*
 * POST /org/N/members/ID/remove
 * Admin (others 403).  Removes a teacher or student from the
 * organization (member_end): the database ends everything the
 * membership granted (classes, chats, links, pending applications),
 * bars them from coming back and writes the audit row.  303 to the
 * members.  Administrators are removed by the operator only (403); not
 * a member: 404.
 */
static int
member_remove(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	int			 rc;

	c = org_page_ctx(r, "Участник");
	if (db_begin() == -1)
		return app_db_error();
	rc = member_end(a->id, r->id[1], r->user->id, MEMBER_REMOVED);
	if (rc == MEMBER_ADMIN)
		return member_admin_page(r, c);
	if (rc != MEMBER_OK)
		return member_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/members",
	    a->id));
}

/*
 * POST /org/N/members/ID/class   field: class_id
 * Admin, or the homeroom teacher of both the student's class and the new
 * one (others 403).  Moves a student into another open class of the
 * organization (member_move): the database takes them out of the old
 * class's chats, into the new one's, and writes the audit row.  303 to
 * the member's card.  Not a member: 404; not a student with a current
 * class: 409; not an open school class of the organization: 422 on the
 * card; the class they are in: 409 on the card.
 */
static int
member_class(struct http_req *r)
{
	struct valid_result	 v[MV__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	int			 rc;

	c = org_page_ctx(r, "Участник");
	if (app_form(r, move_fields, MV__MAX, v, c) > 0)
		return member_page(r, a, c, HTTP_UNPROCESSABLE);
	if (db_begin() == -1)
		return app_db_error();
	rc = member_move(a->id, r->id[1], atoll(v[MV_CLASS].value),
	    r->user->id);
	switch (rc) {
	case MEMBER_OK:
		break;
	case MEMBER_BAD_CLASS:
		html_set_str(c, "class_id_error", "Выберите класс из списка: "
		    "действующий класс этой организации.");
		return member_page(r, a, c, HTTP_UNPROCESSABLE);
	case MEMBER_SAME:
		html_set_str(c, "class_id_error", "Ученик уже учится в этом "
		    "классе.");
		return member_page(r, a, c, HTTP_CONFLICT);
	case MEMBER_NOT_STUDENT:
		html_set_str(c, "alert", "Перевести в другой класс можно "
		    "только ученика, который сейчас учится в одном из "
		    "классов.");
		return member_page(r, a, c, HTTP_CONFLICT);
	default:
		return member_http_status(rc);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/members/%lld",
	    a->id, r->id[1]));
}

/*
 * POST /org/N/members/ID/unbar
 * Admin (others 403).  Lifts the bar a removal put (member_unbar;
 * audited): the person may apply or follow a link again.  303 to the
 * members.  Not barred here: 404.
 */
static int
member_unbar_submit(struct http_req *r)
{
	const struct org_access	*a = r->org;
	int			 rc;

	if (db_begin() == -1)
		return app_db_error();
	rc = member_unbar(a->id, r->id[1], r->user->id);
	if (rc != MEMBER_OK)
		return member_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/members",
	    a->id));
}

/*
 * GET /org/N/members/ID/guardians/ACC/remove
 * The administrator, or the homeroom teacher of student ID's class
 * (others 403).  Asks to confirm removing guardian ACC of the student,
 * saying what it ends (lib/guardian); the form posts to the same URL.
 * Changes nothing.
 */
static int
member_guardian_remove_confirm(struct http_req *r)
{
	const struct org_access	*a = r->org;

	return guardian_remove_confirm(r, a->id, r->id[2], r->id[1],
	    pool_printf(r->pool, "/org/%lld/members/%lld/guardians/%lld/remove",
	    a->id, r->id[1], r->id[2]), pool_printf(r->pool,
	    "/org/%lld/members/%lld", a->id, r->id[1]));
}

/*
 * POST /org/N/members/ID/guardians/ACC/remove
 * The administrator, or the homeroom teacher of student ID's class
 * (others 403).  Ends account ACC's guardianship of the student
 * (lib/guardian): the parent leaves the class's parents' chat, their
 * direct chats with the student and the class's teachers close; audited.
 * 303 to the student's card.  Not a student here, or ACC not their
 * guardian: 404.
 */
static int
member_guardian_remove(struct http_req *r)
{
	const struct org_access	*a = r->org;
	int			 rc;

	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_remove(r, a->id, r->id[2], r->id[1]);
	if (rc != GUARDIAN_OK)
		return guardian_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/members/%lld",
	    a->id, r->id[1]));
}

/*
 * GET /org/N/leave
 * Any member (the operator, who is none: 403).  Asks to confirm leaving,
 * saying what it ends; the form posts to the same URL.  Changes nothing.
 */
static int
leave_confirm(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;

	c = org_page_ctx(r, "Выход из организации");
	html_set_str(c, "title", pool_printf(r->pool, "Выйти из «%s»?",
	    a->name));
	html_set_str(c, "lead", "После выхода:");
	app_confirm_point(c, "вы пропадёте из классов и из всех чатов и "
	    "каналов организации (ваши сообщения останутся);");
	app_confirm_point(c, "ссылки-приглашения, которые вы создали, "
	    "перестанут работать;");
	app_confirm_point(c, "ваши заявки в эту организацию, которые ещё не "
	    "рассмотрены, будут закрыты;");
	if (a->is_admin)
		app_confirm_point(c, "вы перестанете быть администратором;");
	app_confirm_point(c, "вернуться можно будет только по новой "
	    "ссылке-приглашению или заявке.");
	if (a->is_admin)
		html_set_str(c, "note", "Единственный администратор выйти не "
		    "может: сначала оператор платформы должен назначить "
		    "другого.");
	return app_confirm(r, c, pool_printf(r->pool, "/org/%lld/leave",
	    a->id), "Выйти из организации", pool_printf(r->pool, "/org/%lld",
	    a->id));
}

/*
 * POST /org/N/leave
 * Any member (the operator, who is none: 403).  The person leaves the
 * organization (member_end): their classes, chats, links and pending
 * applications end, and they are not barred from coming back.  303 to
 * /me.  The last administrator may not leave: 409 with the reason.
 */
static int
leave(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	int			 rc;

	c = org_page_ctx(r, "Выход из организации");
	if (db_begin() == -1)
		return app_db_error();
	rc = member_end(a->id, r->user->id, r->user->id, MEMBER_LEFT);
	if (rc == MEMBER_LAST_ADMIN) {
		html_set_str(c, "title", "Нельзя выйти из организации");
		html_set_str(c, "message", "Вы — единственный администратор "
		    "организации, и без вас ею некому будет управлять. "
		    "Сначала попросите оператора платформы назначить другого "
		    "администратора, затем выйдите.");
		return app_page(r, HTTP_CONFLICT, "org_notice", c);
	}
	if (rc != MEMBER_OK)
		return member_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me");
}

int
main(int argc, char *argv[])
{
	return app_main("org", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
