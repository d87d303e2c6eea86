/*
 * join: the person's own page and the ways into an organization.
 *
 * An invite link (/join/TOKEN) or a self-submitted request
 * (/org/N/apply, found through /orgs) files a pending application, never
 * a membership: the organization's reviewers decide (program approve).
 * Unless the school's roster expects the person: an application that
 * matches exactly one expected row of a roster is accepted as it is
 * filed, in the same statement, by the database (sql/0029_roster_rules
 * .sql); its page then says the person is in, without waiting.
 * A link's use is consumed by one guarded UPDATE in the transaction that
 * files the application, so whatever the concurrency a link is never
 * used beyond its maximum, and the same person following it again
 * consumes nothing.  Applying needs a verified phone or e-mail: a school
 * only accepts proven accounts.  People see, and may withdraw, their own
 * applications under /me.
 *
 * A person removed from an organization is barred from it until an
 * administrator lifts the bar: its invite links and its request form
 * answer 403 with a page that says so, and the database refuses their
 * application whatever this program saw (SQLSTATE PAB03,
 * sql/0012_membership.sql).  A person who left by themselves may come
 * back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "crypto.h"
#include "db.h"
#include "event.h"
#include "home.h"
#include "guardian.h"
#include "log.h"
#include "org.h"
#include "pool.h"

static int	me(struct http_req *);
static int	application_show(struct http_req *);
static int	withdraw_confirm(struct http_req *);
static int	application_withdraw(struct http_req *);
static int	join_show(struct http_req *);
static int	join_submit(struct http_req *);
static int	orgs_search(struct http_req *);
static int	apply_form(struct http_req *);
static int	apply_submit(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_WAITING | APP_ONE_TRIP, "/me", me },
	{ APP_GET | APP_LOGIN, "/me/applications/{n}", application_show },
	{ APP_GET | APP_LOGIN, "/me/applications/{n}/withdraw",
	    withdraw_confirm },
	{ APP_POST | APP_LOGIN, "/me/applications/{n}/withdraw",
	    application_withdraw },
	{ APP_GET | APP_ONE_TRIP, "/join/{token}", join_show },
	{ APP_POST | APP_LOGIN | APP_ONE_TRIP, "/join/{token}", join_submit },
	{ APP_GET | APP_LOGIN, "/orgs", orgs_search },
	{ APP_GET | APP_LOGIN, "/org/{n}/apply", apply_form },
	{ APP_POST | APP_LOGIN, "/org/{n}/apply", apply_submit },
};

#define ORGS_MAX	50	/* search results shown */

/* The link by the SHA-256 of its token ($1, hex; parta.invite_by_token). */
static const struct db_stmt q_invite = {
	"join_invite",
	"SELECT l.* FROM parta.invite_by_token(decode($1, 'hex')) l"
};

/* The link and where the request's account stands (a visitor's: as no
 * member), in one round trip. */
static const struct db_stmt q_invite_standing = {
	"join_invite_standing",
	"SELECT l.*, s.* FROM parta.invite_by_token(decode($1, 'hex')) l"
	" CROSS JOIN LATERAL parta.standing(org => l.org_id,"
	"  account => parta.rls_account(), invite => l.id) s"
};

/* Where person $2 stands in organization $1, by link $3 (or none). */
static const struct db_stmt q_standing = {
	"join_standing",
	"SELECT s.* FROM parta.standing(org => $1, account => $2,"
	" invite => $3) s"
};

/*
 * One use of live link $2 of organization $1, found by the SHA-256 of its
 * token ($3, hex), and the application of the request's account by it
 * (parta.invite_join, sql/0030_rls.sql): one statement, all or nothing
 * without BEGIN and COMMIT round trips.  No row when the link is
 * expired, revoked or used up, including by the requests that got there
 * first or a way out of the link's maker (which revokes it); a unique
 * violation when the same person's parallel request filed first (the use
 * is undone with it); barred when the person was removed meanwhile.
 */
static const struct db_stmt q_invite_join = {
	"join_invite_join",
	"SELECT j.id FROM parta.invite_join(token_hash => decode($3, 'hex'),"
	" org => $1, invite => $2) j",
	DB_UNIQUE_VIOLATION " " DB_BARRED " " DB_CLOSED
};

static const struct db_stmt q_application_insert = {
	"join_application_insert",
	"INSERT INTO parta.application (org_id, account_id, role, class_id,"
	" invite_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	DB_UNIQUE_VIOLATION " " DB_BARRED " " DB_CLOSED
};

/*
 * The statements of /me read for the request's account
 * (parta.rls_account()): they go with the session's lookup, before the
 * program knows who asks (APP_ONE_TRIP).
 *
 * The person's current classes, once each (a teacher may both lead and
 * teach one), with the class's chats they are in.
 */
static const struct db_stmt q_me_classes = {
	"join_me_classes",
	"SELECT k.org_id, k.id, k.kind,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" bool_or(cm.role = 'homeroom') AS homeroom,"
	" bool_or(cm.role = 'student') AS student,"
	" (SELECT cc.id FROM parta.class_chat(org => k.org_id,"
	"  class_id => k.id, purpose => 'students',"
	"  member => parta.rls_account()) cc)"
	"  AS students_chat,"
	" (SELECT cc.id FROM parta.class_chat(org => k.org_id,"
	"  class_id => k.id, purpose => 'parents',"
	"  member => parta.rls_account()) cc)"
	"  AS parents_chat"
	" FROM parta.class_member cm JOIN parta.class k"
	"  ON k.org_id = cm.org_id AND k.id = cm.class_id"
	"  AND k.archived_at IS NULL"
	" WHERE cm.account_id = parta.rls_account()"
	" GROUP BY k.org_id, k.id"
	" ORDER BY k.org_id, k.kind, k.grade NULLS LAST, k.letter, k.title,"
	"  k.id"
};

/*
 * A parent's children (guardian rows), each with their current classes
 * (one row per class; none: one row without), the school, and the
 * class's parents' chat when the parent is in it.
 */
static const struct db_stmt q_me_children = {
	"join_me_children",
	"SELECT g.child_id, concat_ws(' ', a.first_name, a.last_name) AS name,"
	" coalesce(a.gender, '') AS gender,"
	" coalesce(k.org_id, 0) AS org_id, coalesce(k.id, 0) AS class_id,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" coalesce(o.short_name, '') AS org_name,"
	" (SELECT cc.id FROM parta.class_chat(org => k.org_id,"
	"  class_id => k.id, purpose => 'parents',"
	"  member => parta.rls_account()) cc)"
	"  AS parents_chat"
	" FROM parta.guardian g JOIN parta.account a ON a.id = g.child_id"
	" LEFT JOIN (parta.class_member s JOIN parta.class k"
	"  ON k.org_id = s.org_id AND k.id = s.class_id"
	"  AND k.archived_at IS NULL AND k.kind = 'class')"
	"  ON s.account_id = g.child_id AND s.role = 'student'"
	" LEFT JOIN parta.org o ON o.id = k.org_id"
	" WHERE g.parent_id = parta.rls_account()"
	" ORDER BY g.confirmed_at, g.child_id, o.short_name, k.id"
};

/* The teachers of the children's classes a parent may write to: the rule
 * is parta.direct_related (sql/0012), the one cgi-bin/chat/ opens chats by. */
static const struct db_stmt q_me_teachers = {
	"join_me_teachers",
	"SELECT s.account_id AS child_id, t.org_id, t.class_id,"
	" t.account_id AS id,"
	" concat_ws(' ', a.last_name, a.first_name, a.patronymic) AS name,"
	" bool_or(t.role = 'homeroom') AS homeroom"
	" FROM parta.guardian g JOIN parta.class_member s"
	"  ON s.account_id = g.child_id AND s.role = 'student'"
	" JOIN parta.class_member t ON t.org_id = s.org_id"
	"  AND t.class_id = s.class_id AND t.role IN ('teacher', 'homeroom')"
	" JOIN parta.account a ON a.id = t.account_id"
	" WHERE g.parent_id = parta.rls_account()"
	" AND t.account_id <> parta.rls_account()"
	" AND parta.direct_related(t.org_id, parta.rls_account(), t.account_id)"
	" GROUP BY s.account_id, t.org_id, t.class_id, t.account_id,"
	"  a.last_name, a.first_name, a.patronymic"
	" ORDER BY bool_or(t.role = 'homeroom') DESC, a.last_name,"
	"  a.first_name, t.account_id"
};

/* The organization registration requests the person filed. */
static const struct db_stmt q_me_org_requests = {
	"join_me_org_requests",
	"SELECT q.id, q.short_name, q.status,"
	" to_char(q.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY') AS created"
	" FROM parta.org_request q JOIN parta.region rg ON rg.code = q.region"
	" WHERE q.applicant_id = parta.rls_account()"
	" ORDER BY q.created_at DESC, q.id DESC"
	" LIMIT 20"
};

static const struct db_stmt q_me_applications = {
	"join_me_applications",
	"SELECT a.id, o.short_name, a.role, a.status,"
	" parta.my_application_class(a.org_id, a.class_id) AS class_name,"
	" to_char(a.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY') AS created"
	" FROM parta.application a JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE a.account_id = parta.rls_account()"
	" ORDER BY a.created_at DESC, a.id DESC"
	" LIMIT 100"
};

/* One application, only if it is the person's own. */
static const struct db_stmt q_application_get = {
	"join_application_get",
	"SELECT a.id, a.org_id, o.short_name, a.role, a.status, a.reason,"
	" a.invite_id IS NOT NULL AS by_link,"
	" EXISTS (SELECT 1 FROM parta.roster_row rr"
	"  WHERE rr.org_id = a.org_id AND rr.application_id = a.id"
	"  AND rr.state = 'joined') AS by_roster,"
	" parta.my_application_class(a.org_id, a.class_id) AS class_name,"
	" to_char(a.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI')"
	"  AS created,"
	" coalesce(to_char(a.decided_at AT TIME ZONE rg.tz,"
	"  'DD.MM.YYYY HH24:MI'), '') AS decided"
	" FROM parta.application a JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE a.id = $1 AND a.account_id = $2"
};

static const struct db_stmt q_withdraw = {
	"join_withdraw",
	"UPDATE parta.application SET status = 'withdrawn', decided_at = now()"
	" WHERE id = $1 AND account_id = $2 AND status = 'pending'"
	" RETURNING org_id, role,"
	" coalesce(parta.my_application_class(org_id, class_id), '')"
	"  AS class_name"
};

static const struct db_stmt q_regions = {
	"join_regions",
	"SELECT code, name FROM parta.region ORDER BY name"
};

/* Organizations by region and a piece of the name, or the INN. */
static const struct db_stmt q_orgs_search = {
	"join_orgs_search",
	"SELECT o.id, o.short_name, o.full_name, o.org_type, o.address,"
	" rg.name AS region_name"
	" FROM parta.org o JOIN parta.region rg ON rg.code = o.region"
	" WHERE ($1::text IS NULL OR o.region = $1)"
	" AND ($2::text IS NULL OR o.inn = $2"
	"  OR strpos(lower(o.short_name), lower($2)) > 0"
	"  OR strpos(lower(o.full_name), lower($2)) > 0)"
	" ORDER BY o.short_name, o.id LIMIT $3"
};

/* What anyone may know of an organization: name, type, region, address. */
static const struct db_stmt q_org_public = {
	"join_org_public",
	"SELECT o.short_name, o.full_name, o.org_type, o.address,"
	" rg.name AS region_name"
	" FROM parta.org o JOIN parta.region rg ON rg.code = o.region"
	" WHERE o.id = $1"
};

/* The classes anyone may apply to (parta.org_classes: the applicant
 * does not see the organization's own rows yet). */
static const struct db_stmt q_org_classes = {
	"join_org_classes",
	"SELECT c.id, c.kind, c.class_name FROM parta.org_classes($1) c"
	" ORDER BY c.kind, c.grade NULLS LAST, c.letter, c.title, c.id"
};

static const struct db_stmt q_class_get = {
	"join_class_get",
	"SELECT c.kind FROM parta.org_classes($1) c WHERE c.id = $2"
};

enum apply_key { APPLY_ROLE, APPLY_CLASS, APPLY__MAX };


static const struct valid_field apply_fields[APPLY__MAX] = {
	{ "role", valid_role, 1 },		/* APPLY_ROLE */
	{ "class_id", valid_uint, 0 },		/* APPLY_CLASS */
};

enum search_key { SEARCH_REGION, SEARCH_Q, SEARCH__MAX };

/* The region list marks the chosen one (html keys unread: region). */
static const struct valid_field search_fields[SEARCH__MAX] = {
	{ "region", valid_region, 0 },		/* SEARCH_REGION */
	{ "q", valid_line, 0 },			/* SEARCH_Q */
};

/* A page that explains a refusal (409, 410) with a way on. */
static int
notice_page(struct http_req *r, int status, const char *title,
    const char *message, const char *href, const char *link)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", title);
	html_set_str(c, "message", message);
	if (href != NULL) {
		html_set_str(c, "href", href);
		html_set_str(c, "link", link);
	}
	return app_page(r, status, "join_notice", c);
}

/* The 409 for someone who already belongs to the organization. */
static int
member_page(struct http_req *r, long long org, const char *org_name,
    const char *role)
{
	return notice_page(r, HTTP_CONFLICT, "Вы уже в организации",
	    pool_printf(r->pool, "Вы уже состоите в организации «%s» (%s). "
	    "Повторная заявка не нужна.", org_name,
	    org_person_role(role, r->user->gender)),
	    pool_printf(r->pool, "/org/%lld", org),
	    pool_printf(r->pool, "Перейти в «%s»", org_name));
}

/* The 409 of a student's application by a guardian (the database
 * refuses it: sql/0022_guardian_safety.sql). */
static int
guardian_student_page(struct http_req *r)
{
	return notice_page(r, HTTP_CONFLICT, "Родитель не может быть учеником",
	    "Вы подтверждены в Парте как родитель ребёнка, а родитель не "
	    "может одновременно быть учеником. Если вы ученик, попросите "
	    "ребёнка или его классного руководителя убрать вас из "
	    "родителей, а потом подайте заявку снова. Если вы родитель, "
	    "вступать в школу учеником не нужно: родительский чат и "
	    "учителя ребёнка — на странице «Мои дети».", "/chats/family",
	    "Мои дети");
}

static int
verified(const struct http_req *r)
{
	return r->user->verified;
}

static const char *
verify_url(struct http_req *r, const char *next)
{
	return pool_printf(r->pool, "/verify?next=%s",
	    http_urlencode(r->pool, next));
}

/* "3 новые заявки ждут решения", for the reviewers of an organization. */
static const char *
pending_words(struct http_req *r, long long n)
{
	return pool_printf(r->pool, "%lld %s решения", n, ru_plural(n,
	    "новая заявка ждёт", "новые заявки ждут", "новых заявок ждут"));
}

/* The statements of /me, queued (lib/db.h) with the session's lookup
 * (APP_ONE_TRIP): each reads for the request's account, whatever
 * the person's roles (a statement that finds nothing is an index lookup,
 * and what is sent does not depend on who asks). */
struct me_q {
	struct db_query	*steps, *orgs, *classes, *children, *teachers;
	struct db_query	*org_requests, *week, *link, *applications;
	struct db_query	*guardians;
};

static void
me_send(struct http_req *r, struct me_q *q)
{
	q->steps = home_steps_send(r, 0);
	q->orgs = org_access_mine_send();
	q->classes = db_send(&q_me_classes, PGRES_TUPLES_OK);
	q->children = db_send(&q_me_children, PGRES_TUPLES_OK);
	q->teachers = db_send(&q_me_teachers, PGRES_TUPLES_OK);
	q->org_requests = db_send(&q_me_org_requests, PGRES_TUPLES_OK);
	q->week = event_week_send(r, 0);
	q->link = home_parent_link_send(r);
	q->applications = db_send(&q_me_applications, PGRES_TUPLES_OK);
	q->guardians = guardian_me_send(r);
}

/*
 * The organizations of /me, one card each by the person's role there
 * (their standing, by the rule of every org page: lib/org): an
 * administrator's pending applications and checklist; a teacher's
 * classes (the ones they lead marked, with their pending applications)
 * and checklists; a student's class and its chats.  0, or an HTTP
 * status.
 */
static int
me_orgs(struct http_req *r, struct html_ctx *c, const struct home_steps *hs,
    const struct me_q *q, int *count)
{
	struct org_access	*list, *a;
	struct html_ctx		*item, *cls;
	PGresult		*classes;
	const char		*org_s;
	int			 i, j, n, rc;

	if ((rc = org_access_mine_read(r, q->orgs, &list, &n)) != 0)
		return rc;
	if ((classes = db_result(q->classes)) == NULL)
		return app_db_error();
	*count = n;
	html_set_bool(c, "has_orgs", n > 0);
	html_list_init(c, "orgs");
	for (i = 0; i < n; i++) {
		a = &list[i];
		org_s = app_num(r, a->id);
		item = html_list_add(c, "orgs");
		html_list_init(item, "classes");
		html_list_init(item, "checklists");
		html_set_str(item, "id", org_s);
		/* Named apart from a class's id, for links inside its list. */
		html_set_str(item, "org", org_s);
		html_set_str(item, "name", a->name);
		html_set_str(item, "role_name", org_person_role(a->role,
		    r->user->gender));
		html_set_bool(item, "is_admin", a->is_admin);
		html_set_bool(item, "is_teacher", a->is_teacher);
		html_set_bool(item, "is_student", a->is_student);
		html_set_bool(item, "staff_verified", a->verified &&
		    !a->is_student);
		if (a->can_review && a->pending > 0)
			html_set_str(item, "pending_words",
			    pending_words(r, a->pending));
		for (j = 0; j < PQntuples(classes); j++) {
			if (db_getll(classes, j, "org_id") != a->id)
				continue;
			cls = html_list_add(item, "classes");
			app_set_cols(cls, classes, j, "id", "class_name",
			    "students_chat", "parents_chat", NULL);
			html_set_bool(cls, "homeroom",
			    db_getbool(classes, j, "homeroom"));
			html_set_bool(cls, "staff_group", strcmp(db_get(classes,
			    j, "kind"), "staff") == 0);
			if (db_getbool(classes, j, "student") &&
			    html_get_str(item, "student_class") == NULL) {
				html_set_str(item, "student_class",
				    db_get(classes, j, "class_name"));
				html_set_str(item, "student_chat",
				    db_get(classes, j, "students_chat"));
			}
		}
		(void)home_checklists(r, hs, item, a->role, a->id);
		(void)home_checklists(r, hs, item, "homeroom", a->id);
	}
	return 0;
}

/*
 * The parent's part of /me (template me_children): each child with their
 * class and school, the class's parents' chat, the teachers the parent
 * may write to, and the parent's checklist.  A guardian need not belong
 * to any organization.  0, or an HTTP status.
 */
static int
me_children(struct http_req *r, struct html_ctx *c,
    const struct home_steps *hs, const struct me_q *q, int *count)
{
	struct html_ctx	**kids, *item, *t;
	PGresult	*res;
	const char	*gender;
	int		 i, j, n;

	if ((res = db_result(q->children)) == NULL)
		return app_db_error();
	n = *count = PQntuples(res);
	html_set_bool(c, "has_children", n > 0);
	html_list_init(c, "children");
	kids = pool_zalloc(r->pool, sizeof(*kids) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		gender = db_get(res, i, "gender");
		item = kids[i] = html_list_add(c, "children");
		html_list_init(item, "teachers");
		app_set_cols(item, res, i, "child_id", "name", "class_name",
		    "org_name", "parents_chat", NULL);
		html_set_str(item, "pupil", org_person_role_lower("student",
		    gender));
		html_set_str(item, "him", ru_gender(gender, "его", "её"));
		html_set_str(item, "org_id", db_get(res, i, "org_id"));
		html_set_str(item, "class_id", db_get(res, i, "class_id"));
	}
	if (n == 0)
		return 0;

	if ((res = db_result(q->teachers)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++)
		for (j = 0; j < n; j++) {
			if (strcmp(html_get_str(kids[j], "child_id"),
			    db_get(res, i, "child_id")) != 0 ||
			    strcmp(html_get_str(kids[j], "class_id"),
			    db_get(res, i, "class_id")) != 0)
				continue;
			t = html_list_add(kids[j], "teachers");
			app_set_cols(t, res, i, "id", "name", NULL);
			html_set_bool(t, "homeroom", db_getbool(res, i,
			    "homeroom"));
		}
	(void)home_checklists(r, hs, c, "parent", 0);
	return 0;
}

/* The organization registration requests the person filed. */
static int
me_org_requests(struct html_ctx *c, const struct me_q *q)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*status;
	int		 i;

	if ((res = db_result(q->org_requests)) == NULL)
		return app_db_error();
	html_list_init(c, "org_requests");
	for (i = 0; i < PQntuples(res); i++) {
		status = db_get(res, i, "status");
		item = html_list_add(c, "org_requests");
		app_set_cols(item, res, i, "id", "short_name", "created",
		    NULL);
		html_set_str(item, "status_class",
		    strcmp(status, "approved") == 0 ? "accepted" : status);
		html_set_str(item, "status_name", org_request_status(status));
	}
	return 0;
}

/*
 * GET /me[?sent=1]
 * Logged in.  The person's home, by every role they have: my name and
 * contacts; my organizations (links /org/N) as administrator (pending
 * applications), teacher (my classes; those I lead with their pending
 * applications), student (my class and its chats, the link for a
 * parent, my guardians: lib/guardian); as a parent, my children with
 * their classes, schools and the chats I may open; each role's
 * checklist; the week's events of each school, mine and my children's
 * (lib/event); the operator's desk; my applications; my organization
 * registration requests and the way to file one.  Someone with none of
 * these is told how to join, a parent how to follow their child's link.
 * A young child whose guardian has not confirmed yet sees only what they
 * wait for (lib/guardian).  One round trip with the session's lookup
 * (APP_ONE_TRIP).
 */
static int
me(struct http_req *r)
{
	struct html_ctx		*c, *item;
	const struct auth_user	*u;
	struct home_steps	*hs;
	struct me_q		 q;
	PGresult		*res;
	int			 i, n, rc, allowed, orgs = 0, children = 0;
	int			 answered;

	me_send(r, &q);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	u = r->user;
	if (u->waiting)
		return guardian_waiting_page(r, HTTP_OK, NULL);
	c = app_ctx(r);
	html_set_str(c, "title", "Мой профиль");
	html_set_str(c, "full_name", auth_user_name(r));
	html_set_str(c, "phone", u->phone);
	html_set_bool(c, "phone_verified", u->phone_verified);
	html_set_str(c, "email", u->email);
	html_set_bool(c, "email_verified", u->email_verified);
	html_list_init(c, "applications");
	html_list_init(c, "checklists");
	html_set_int(c, "checklist_level", 3);

	if ((rc = home_steps_read(r, q.steps, &hs)) != 0)
		return rc;
	if ((rc = me_orgs(r, c, hs, &q, &orgs)) != 0 ||
	    (rc = me_children(r, c, hs, &q, &children)) != 0 ||
	    (rc = me_org_requests(c, &q)) != 0)
		return rc;
	/* The week's events of every school of mine and of my children's
	 * (lib/event). */
	html_set_int(c, "event_level", 3);
	html_set_bool(c, "event_show_org", 1);
	if ((rc = event_week_read(r, q.week, c)) != 0)
		return rc;
	if ((rc = home_parent_link_read(q.link, &allowed)) != 0)
		return rc;
	html_set_bool(c, "parent_link", allowed);
	/* A person with no part anywhere yet is shown the ways in. */
	html_set_bool(c, "nothing", orgs == 0 && children == 0 &&
	    !u->is_operator);
	/* What does not apply to the person is not offered: a young child
	 * (a login name) is no parent and files no organization; the
	 * operator approves organizations and files none. */
	html_set_bool(c, "young", u->login[0] != '\0');
	html_set_bool(c, "may_register_org", u->login[0] == '\0' &&
	    !u->is_operator);

	if ((res = db_result(q.applications)) == NULL)
		return app_db_error();
	n = PQntuples(res);
	html_set_bool(c, "has_applications", n > 0);
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "applications");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "org_name", db_get(res, i, "short_name"));
		html_set_str(item, "role_name", org_person_role(db_get(res, i,
		    "role"), r->user->gender));
		html_set_str(item, "class_name", db_get(res, i, "class_name"));
		html_set_str(item, "status", db_get(res, i, "status"));
		html_set_str(item, "status_name",
		    org_application_status(db_get(res, i, "status")));
		html_set_str(item, "created", db_get(res, i, "created"));
	}
	if ((rc = guardian_me_read(q.guardians, c)) != 0)
		return rc;
	return app_page(r, HTTP_OK, "me", c);
}

/*
 * GET /me/applications/ID
 * Logged in, the applicant only (anyone else: 404).  The application,
 * its status and, when rejected, the reason; a pending one can be
 * withdrawn from here.  One accepted at once by the school's roster
 * says so: the person is in, nobody had to review it.
 */
static int
application_show(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*status;
	PGresult	*res;

	if ((res = db_exec(&q_application_get, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	status = pool_strdup(r->pool, db_get(res, 0, "status"));
	html_set_str(c, "title", "Заявка на вступление");
	html_set_str(c, "id", db_get(res, 0, "id"));
	html_set_str(c, "app_org_id", db_get(res, 0, "org_id"));
	html_set_str(c, "org_name", db_get(res, 0, "short_name"));
	html_set_str(c, "role_name", org_person_role(db_get(res, 0, "role"),
	    r->user->gender));
	html_set_str(c, "class_name", db_get(res, 0, "class_name"));
	html_set_bool(c, "by_link", db_getbool(res, 0, "by_link"));
	html_set_bool(c, "by_roster", db_getbool(res, 0, "by_roster"));
	app_set_cols(c, res, 0, "created", "decided", "reason", NULL);
	html_set_str(c, "status", status);
	html_set_str(c, "status_name", org_application_status(status));
	html_set_bool(c, "is_pending", strcmp(status, "pending") == 0);
	html_set_bool(c, "is_accepted", strcmp(status, "accepted") == 0);
	html_set_bool(c, "is_rejected", strcmp(status, "rejected") == 0);
	html_set_bool(c, "is_withdrawn", strcmp(status, "withdrawn") == 0);
	return app_page(r, HTTP_OK, "join_application", c);
}

/* The 409 for an application that can no longer be withdrawn. */
static int
withdrawn_page(struct http_req *r, const char *id)
{
	return notice_page(r, HTTP_CONFLICT, "Заявка уже рассмотрена",
	    "Эту заявку уже нельзя отозвать: по ней принято решение, или она "
	    "отозвана раньше.", pool_printf(r->pool, "/me/applications/%s",
	    id), "Посмотреть заявку");
}

/*
 * GET /me/applications/ID/withdraw
 * Logged in, the applicant only (anyone else: 404).  Asks to confirm
 * withdrawing the pending application; the form posts to the same URL.
 * Changes nothing.  Not pending: 409.
 */
static int
withdraw_confirm(struct http_req *r)
{
	struct html_ctx	*c;
	PGresult	*res;
	const char	*id = app_num(r, r->id[0]), *cls;
	int		 pending;

	if ((res = db_exec(&q_application_get, PGRES_TUPLES_OK, id,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	pending = strcmp(db_get(res, 0, "status"), "pending") == 0;
	c = app_ctx(r);
	html_set_str(c, "title", "Отозвать заявку?");
	cls = db_get(res, 0, "class_name");
	html_set_str(c, "lead", pool_printf(r->pool, "Заявка в «%s»: %s%s%s, "
	    "подана %s. После отзыва:", db_get(res, 0, "short_name"),
	    org_person_role_lower(db_get(res, 0, "role"), r->user->gender),
	    cls[0] != '\0' ? ", класс " : "", cls,
	    db_get(res, 0, "created")));
	if (!pending)
		return withdrawn_page(r, id);
	app_confirm_point(c, "организация больше не увидит заявку и не примет "
	    "по ней решения;");
	app_confirm_point(c, "вернуть отозванную заявку нельзя — можно подать "
	    "новую, по ссылке-приглашению или самостоятельно.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/me/applications/%s/withdraw", id), "Отозвать заявку",
	    pool_printf(r->pool, "/me/applications/%s", id));
}

/*
 * POST /me/applications/ID/withdraw
 * Logged in, the applicant only (anyone else: 404).  A pending
 * application becomes withdrawn (audited); 303 back to it.  Already
 * decided or withdrawn: 409.
 */
static int
application_withdraw(struct http_req *r)
{
	const char	*id = app_num(r, r->id[0]), *me = app_num(r, r->user->id);
	const char	*org, *detail;
	PGresult	*res;
	int		 rc;

	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_withdraw, PGRES_TUPLES_OK, id, me)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		/* Not pending any more, or not this person's at all. */
		if ((res = db_exec(&q_application_get, PGRES_TUPLES_OK, id,
		    me)) == NULL)
			return app_db_error();
		if (PQntuples(res) != 1)
			return HTTP_NOT_FOUND;
		return withdrawn_page(r, id);
	}
	org = pool_strdup(r->pool, db_get(res, 0, "org_id"));
	/* In the words the decisions use: "заявка: ученик, 5А" (no
	 * number: it is global across organizations). */
	detail = pool_printf(r->pool, "заявка: %s%s%s",
	    org_person_role_lower(db_get(res, 0, "role"), ""),
	    db_get(res, 0, "class_name")[0] != '\0' ? ", " : "",
	    db_get(res, 0, "class_name"));
	if (audit_write(atoll(org), r->user->id, "application_withdraw",
	    r->user->id, detail) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/me/applications/%s",
	    id));
}

/* A link as it was found by its token. */
struct join_link {
	const char	*org;		/* organization id */
	const char	*id;		/* invite id */
	const char	*org_name;
	const char	*role;
	const char	*class_name;
	const char	*gone;		/* why it no longer works, or NULL */
};

struct join_standing {
	const char	*member_role;	/* "" when not a member */
	int		 barred;	/* removed, not allowed back yet */
	const char	*invite_app;	/* their application by this link */
	const char	*pending_app;	/* their pending application */
};

/* The parta.standing columns of row 0 of res into s. */
static void
standing_read(struct http_req *r, const PGresult *res,
    struct join_standing *s)
{
	s->member_role = pool_strdup(r->pool, db_get(res, 0, "member_role"));
	s->barred = db_getbool(res, 0, "barred");
	s->invite_app = db_isnull(res, 0, "invite_app") ? NULL :
	    pool_strdup(r->pool, db_get(res, 0, "invite_app"));
	s->pending_app = db_isnull(res, 0, "pending_app") ? NULL :
	    pool_strdup(r->pool, db_get(res, 0, "pending_app"));
}

static int	link_read(struct http_req *, struct db_query *,
		    struct join_link *, struct join_standing *);

/* The link of token, and where the request's account stands there:
 * queued (lib/db.h), for link_read; before the session is known too
 * (APP_ONE_TRIP). */
static struct db_query *
link_send(const char *token)
{
	char	 hash[2 * CRYPTO_SHA256_LEN + 1];

	crypto_sha256_hex(token, hash);
	return db_send(&q_invite_standing, PGRES_TUPLES_OK, hash);
}

/*
 * Find the link of token, as it is now (no one's standing): 0,
 * HTTP_NOT_FOUND or a database error.  With the standing, link_admit.
 */
static int
link_find(struct http_req *r, const char *token, struct join_link *l)
{
	char	 hash[2 * CRYPTO_SHA256_LEN + 1];

	crypto_sha256_hex(token, hash);
	return link_read(r, db_send(&q_invite, PGRES_TUPLES_OK, hash), l,
	    NULL);
}

/* The link of q (link_send, or q_invite without s) into l, and s when
 * asked for and someone is logged in: 0, HTTP_NOT_FOUND or a database
 * error. */
static int
link_read(struct http_req *r, struct db_query *q, struct join_link *l,
    struct join_standing *s)
{
	PGresult	*res;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	l->org = pool_strdup(r->pool, db_get(res, 0, "org_id"));
	l->id = pool_strdup(r->pool, db_get(res, 0, "id"));
	l->org_name = pool_strdup(r->pool, db_get(res, 0, "short_name"));
	l->role = pool_strdup(r->pool, db_get(res, 0, "role"));
	l->class_name = pool_strdup(r->pool, db_get(res, 0, "class_name"));
	l->gone = NULL;
	if (db_getbool(res, 0, "revoked"))
		l->gone = "Ссылку отозвали.";
	else if (db_getbool(res, 0, "expired"))
		l->gone = "Срок действия ссылки истёк.";
	else if (db_getbool(res, 0, "used_up"))
		l->gone = "По этой ссылке уже вступило столько людей, сколько "
		    "было разрешено.";
	if (s != NULL && r->user != NULL)
		standing_read(r, res, s);
	return 0;
}

/* The link of the request's token (r->arg[0]) and the person's
 * standing by it, sent with the session's lookup (APP_ONE_TRIP), then
 * the request admitted (app_admit) and both read into l and s: 0,
 * *answered set when app_admit answered the request itself, or an HTTP
 * status (HTTP_NOT_FOUND: no such link). */
static int
link_admit(struct http_req *r, struct join_link *l, struct join_standing *s,
    int *answered)
{
	struct db_query	*link;
	int		 rc;

	link = link_send(r->arg[0]);
	if ((rc = app_admit(r, answered)) != 0 || *answered)
		return rc;
	memset(s, 0, sizeof(*s));
	return link_read(r, link, l, s);
}

/* The 410 page: the organization's name, why, and what to do. */
static int
link_gone(struct http_req *r, const struct join_link *l, const char *why)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Ссылка больше не действует");
	html_set_str(c, "org_name", l->org_name);
	html_set_str(c, "why", why);
	return app_page(r, HTTP_GONE, "join_gone", c);
}

static int
standing_get(struct http_req *r, const char *org, const char *invite,
    struct join_standing *s)
{
	PGresult	*res;

	if ((res = db_exec(&q_standing, PGRES_TUPLES_OK, org,
	    app_num(r, r->user->id), invite)) == NULL)
		return app_db_error();
	standing_read(r, res, s);
	return 0;
}

/*
 * GET /join/TOKEN
 * Anyone.  The organization's name, the role and class the link is for
 * and one button: "apply" for a logged-in person, "sign up" / "log in"
 * (coming back here) for a visitor.  Unknown token: 404; expired,
 * revoked or used up: 410.  A member gets 409; someone who already
 * applied sees their application.  A person removed from the
 * organization: 403 with a page that says so and nothing of the link.
 */
static int
join_show(struct http_req *r)
{
	struct html_ctx		*c;
	struct join_link	 l;
	struct join_standing	 s;
	const char		*here, *app;
	int			 rc, answered;

	if ((rc = link_admit(r, &l, &s, &answered)) != 0 || answered)
		return rc;
	if (r->user != NULL && s.member_role[0] != '\0')
		return member_page(r, atoll(l.org), l.org_name, s.member_role);
	if (r->user != NULL && s.barred)
		return org_barred_page(r, l.org_name);
	if (l.gone != NULL && (r->user == NULL || s.invite_app == NULL))
		return link_gone(r, &l, l.gone);

	c = app_ctx(r);
	here = pool_printf(r->pool, "/join/%s", r->arg[0]);
	html_set_str(c, "title", pool_printf(r->pool, "Приглашение в «%s»",
	    l.org_name));
	html_set_str(c, "token", r->arg[0]);
	html_set_str(c, "org_name", l.org_name);
	html_set_str(c, "role_name", org_role_name(l.role));
	html_set_str(c, "class_name", l.class_name);
	html_set_str(c, "next_enc", http_urlencode(r->pool, here));
	if (r->user != NULL) {
		app = s.invite_app != NULL ? s.invite_app : s.pending_app;
		if (app != NULL)
			html_set_str(c, "app_id", app);
		else
			html_set_bool(c, "can_apply", 1);
		html_set_bool(c, "need_verify", !verified(r));
	}
	return app_page(r, HTTP_OK, "join", c);
}

/*
 * POST /join/TOKEN
 * Logged in, with a verified phone or e-mail (else 303 to /verify and
 * back).  Files a pending application for the link's role and class and
 * consumes one use, in one transaction; 303 to /me/applications/ID,
 * which says «Вы приняты» when the school's roster accepted it at once.
 * Applied before (by this link, or pending by any way): 303 to that
 * application, no use consumed.  Member: 409; a guardian filing a
 * student's application: 409 saying why, no use consumed (the database
 * refuses it, sql/0022).  Unknown: 404; expired,
 * revoked or used up: 410 (also when revoked while the request was on
 * its way).  Removed from the organization: 403 with the page that says
 * so, also when it happened while the request was on its way; no use
 * consumed.
 */
static int
join_submit(struct http_req *r)
{
	struct join_link	 l;
	struct join_standing	 s;
	const char		*app;
	char			 hash[2 * CRYPTO_SHA256_LEN + 1];
	PGresult		*res;
	int			 rc, answered;

	/* The join itself once admitted, in a round trip of its own. */
	if ((rc = link_admit(r, &l, &s, &answered)) != 0 || answered)
		return rc;
	if (s.member_role[0] != '\0')
		return member_page(r, atoll(l.org), l.org_name, s.member_role);
	if (s.barred)
		return org_barred_page(r, l.org_name);
	if (s.invite_app != NULL)
		goto existing;
	if (l.gone != NULL)
		return link_gone(r, &l, l.gone);
	if (s.pending_app != NULL)
		goto existing;
	if (!verified(r))
		return app_redirect(r, verify_url(r, pool_printf(r->pool,
		    "/join/%s", r->arg[0])));

	crypto_sha256_hex(r->arg[0], hash);
	res = db_exec(&q_invite_join, PGRES_TUPLES_OK, l.org, l.id, hash);
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_BARRED) == 0)
			return org_barred_page(r, l.org_name);
		if (strcmp(db_sqlstate(), DB_CLOSED) == 0)
			return guardian_student_page(r);
		/* The same person's parallel request won: show theirs. */
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			return app_db_error();
		if ((rc = standing_get(r, l.org, l.id, &s)) != 0)
			return rc;
		if (s.invite_app == NULL && s.pending_app == NULL)
			return HTTP_CONFLICT;
		goto existing;
	}
	if (PQntuples(res) != 1) {
		/* Others took the last uses, or it was revoked or expired,
		 * meanwhile: say which, as it is now. */
		if ((rc = link_find(r, r->arg[0], &l)) != 0)
			return rc;
		return link_gone(r, &l, l.gone != NULL ? l.gone : "По этой "
		    "ссылке уже вступило столько людей, сколько было "
		    "разрешено.");
	}
	app = pool_strdup(r->pool, db_get(res, 0, "id"));
	return app_redirect(r, pool_printf(r->pool, "/me/applications/%s",
	    app));

existing:
	return app_redirect(r, pool_printf(r->pool, "/me/applications/%s",
	    s.invite_app != NULL ? s.invite_app : s.pending_app));
}

/* Validate the query string against fields, as app_form does a form. */
static const char *
query_get(void *arg, const char *name)
{
	return http_query(arg, name);
}

static int
query_form(struct http_req *r, const struct valid_field *f, size_t n,
    struct valid_result *v, struct html_ctx *c)
{
	size_t	 i;
	int	 errors;

	errors = valid_form(f, n, query_get, r, v);
	for (i = 0; i < n; i++) {
		html_set_str(c, f[i].name, v[i].value);
		if (v[i].error != NULL)
			html_set_str(c, pool_printf(r->pool, "%s_error",
			    f[i].name), v[i].error);
	}
	return errors;
}

/*
 * GET /orgs[?region=NN&q=TEXT]
 * Logged in.  Finds organizations by region and a piece of the name or
 * the INN; shows only name, type, region and address, each linking to
 * its request form.  A bad region code: 422.
 */
static int
orgs_search(struct http_req *r)
{
	struct valid_result	 v[SEARCH__MAX];
	struct html_ctx		*c = app_ctx(r), *item;
	PGresult		*res;
	int			 errors, i, n;

	html_set_str(c, "title", "Найти организацию");
	errors = query_form(r, search_fields, SEARCH__MAX, v, c);

	if ((res = db_exec(&q_regions, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "regions");
		html_set_str(item, "code", db_get(res, i, "code"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_bool(item, "selected", strcmp(db_get(res, i, "code"),
		    v[SEARCH_REGION].value) == 0);
	}
	if (v[SEARCH_REGION].error == NULL && v[SEARCH_REGION].present) {
		for (i = 0; i < PQntuples(res); i++)
			if (strcmp(db_get(res, i, "code"),
			    v[SEARCH_REGION].value) == 0)
				break;
		if (i == PQntuples(res)) {
			html_set_str(c, "region_error", VALID_E_REGION);
			errors++;
		}
	}
	if (errors > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "join_orgs", c);
	if (!v[SEARCH_REGION].present && !v[SEARCH_Q].present)
		return app_page(r, HTTP_OK, "join_orgs", c);

	if ((res = db_exec(&q_orgs_search, PGRES_TUPLES_OK,
	    v[SEARCH_REGION].present ? v[SEARCH_REGION].value : NULL,
	    v[SEARCH_Q].present ? v[SEARCH_Q].value : NULL,
	    app_num(r, ORGS_MAX + 1))) == NULL)
		return app_db_error();
	n = PQntuples(res);
	html_set_bool(c, "searched", 1);
	html_set_bool(c, "found", n > 0);
	html_set_bool(c, "more", n > ORGS_MAX);
	html_list_init(c, "orgs");
	for (i = 0; i < n && i < ORGS_MAX; i++) {
		item = html_list_add(c, "orgs");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "short_name"));
		html_set_str(item, "full_name", db_get(res, i, "full_name"));
		html_set_str(item, "type_name",
		    org_type_name(db_get(res, i, "org_type")));
		html_set_str(item, "region_name",
		    db_get(res, i, "region_name"));
		html_set_str(item, "address", db_get(res, i, "address"));
	}
	return app_page(r, HTTP_OK, "join_orgs", c);
}

/*
 * The request form's page: the organization's public card and its
 * current classes (the chosen one selected).  0, or an HTTP status.
 */
static int
apply_ctx(struct http_req *r, struct html_ctx *c, const char *chosen)
{
	struct html_ctx	*item;
	PGresult	*res;
	int		 i;

	if ((res = db_exec(&q_org_public, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	html_set_str(c, "title", pool_printf(r->pool, "Заявка в «%s»",
	    db_get(res, 0, "short_name")));
	html_set_str(c, "apply_org", app_num(r, r->id[0]));
	html_set_str(c, "org_name", db_get(res, 0, "short_name"));
	html_set_str(c, "full_name", db_get(res, 0, "full_name"));
	html_set_str(c, "type_name", org_type_name(db_get(res, 0,
	    "org_type")));
	html_set_str(c, "region_name", db_get(res, 0, "region_name"));
	html_set_str(c, "address", db_get(res, 0, "address"));

	if ((res = db_exec(&q_org_classes, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]))) == NULL)
		return app_db_error();
	html_list_init(c, "classes");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "class_name"));
		html_set_bool(item, "selected", chosen != NULL &&
		    strcmp(chosen, db_get(res, i, "id")) == 0);
	}
	return 0;
}

/*
 * The refusals common to the form and its submission: a member (409),
 * a person removed from the organization (403), someone with a pending
 * application there (409 with a link to it).  0, with *refused set when
 * the refusal's page is built; or an HTTP status.  Also the answer when
 * the submission's INSERT lost to a parallel one: that failure left the
 * transaction unusable, so the standing is read outside it.
 */
static int
apply_refused(struct http_req *r, const char *org_name, int *refused)
{
	struct join_standing	 s;
	int			 rc;

	*refused = 1;
	app_rollback();
	if ((rc = standing_get(r, app_num(r, r->id[0]), NULL, &s)) != 0)
		return rc;
	if (s.member_role[0] != '\0')
		return member_page(r, r->id[0], org_name, s.member_role);
	if (s.barred)
		return org_barred_page(r, org_name);
	if (s.pending_app != NULL)
		return notice_page(r, HTTP_CONFLICT, "Заявка уже подана",
		    pool_printf(r->pool, "Ваша заявка в «%s» уже на "
		    "рассмотрении. Чтобы подать другую, сначала отзовите её.",
		    org_name), pool_printf(r->pool, "/me/applications/%s",
		    s.pending_app), "Посмотреть заявку");
	*refused = 0;
	return 0;
}

/*
 * GET /org/N/apply
 * Logged in.  The self-submitted request form: the organization's card,
 * role and class.  Unknown organization: 404; member or already
 * pending there: 409; removed from it: 403 with a page that says so.
 */
static int
apply_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	int		 rc, refused;

	if ((rc = apply_ctx(r, c, http_query(r, "class_id"))) != 0)
		return rc;
	if ((rc = apply_refused(r, html_get_str(c, "org_name"),
	    &refused)) != 0 || refused)
		return rc;
	html_set_bool(c, "need_verify", !verified(r));
	return app_page(r, HTTP_OK, "join_apply", c);
}

/*
 * POST /org/N/apply   fields: role (teacher|student), class_id
 * Logged in, with a verified phone or e-mail (else 303 to /verify and
 * back).  Files a pending application without a link; 303 to
 * /me/applications/ID (accepted at once when the school's roster expects
 * the person, as a link's).  A student names a current class of the
 * organization, a teacher may; bad fields: 422.  Member or already
 * pending: 409; a guardian applying as a student: 409 saying why.  Unknown organization: 404.  Removed from it: 403 with
 * the page that says so, also when it happened while the request was on
 * its way (the database refuses the application).
 */
static int
apply_submit(struct http_req *r)
{
	struct valid_result	 v[APPLY__MAX];
	struct html_ctx		*c = app_ctx(r);
	const char		*org = app_num(r, r->id[0]), *app, *kind = NULL;
	PGresult		*res;
	int			 errors, rc, refused;

	errors = app_form(r, apply_fields, APPLY__MAX, v, c);
	if ((rc = apply_ctx(r, c, v[APPLY_CLASS].value)) != 0)
		return rc;
	if ((rc = apply_refused(r, html_get_str(c, "org_name"),
	    &refused)) != 0 || refused)
		return rc;
	if (v[APPLY_ROLE].error == NULL)
		html_set_bool(c, strcmp(v[APPLY_ROLE].value, "teacher") == 0 ?
		    "role_teacher" : "role_student", 1);
	if (v[APPLY_CLASS].error == NULL && v[APPLY_CLASS].present) {
		if ((res = db_exec(&q_class_get, PGRES_TUPLES_OK, org,
		    v[APPLY_CLASS].value)) == NULL)
			return app_db_error();
		if (PQntuples(res) == 1)
			kind = pool_strdup(r->pool, db_get(res, 0, "kind"));
		if (kind == NULL) {
			html_set_str(c, "class_id_error",
			    "Такого класса в организации нет");
			errors++;
		}
	}
	if (v[APPLY_ROLE].error == NULL &&
	    strcmp(v[APPLY_ROLE].value, "student") == 0 &&
	    v[APPLY_CLASS].error == NULL && !v[APPLY_CLASS].present) {
		html_set_str(c, "class_id_error", "Выберите свой класс");
		errors++;
	} else if (v[APPLY_ROLE].error == NULL &&
	    strcmp(v[APPLY_ROLE].value, "student") == 0 && kind != NULL &&
	    strcmp(kind, "class") != 0) {
		html_set_str(c, "class_id_error",
		    "Ученик выбирает класс, а не группу сотрудников");
		errors++;
	}
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		html_set_bool(c, "need_verify", !verified(r));
		return app_page(r, HTTP_UNPROCESSABLE, "join_apply", c);
	}
	if (!verified(r))
		return app_redirect(r, verify_url(r, pool_printf(r->pool,
		    "/org/%s/apply", org)));

	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_application_insert, PGRES_TUPLES_OK, org,
	    app_num(r, r->user->id), v[APPLY_ROLE].value,
	    v[APPLY_CLASS].present ? v[APPLY_CLASS].value : NULL, NULL);
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_BARRED) == 0)
			return org_barred_page(r, html_get_str(c, "org_name"));
		if (strcmp(db_sqlstate(), DB_CLOSED) == 0)
			return guardian_student_page(r);
		/* A parallel request of the same person filed one first. */
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			return app_db_error();
		if ((rc = apply_refused(r, html_get_str(c, "org_name"),
		    &refused)) != 0 || refused)
			return rc;
		return HTTP_CONFLICT;
	}
	app = pool_strdup(r->pool, db_get(res, 0, "id"));
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/me/applications/%s",
	    app));
}

int
main(int argc, char *argv[])
{
	return app_main("join", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
