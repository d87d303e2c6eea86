/*
 * approve: the review of an organization's join requests, and its audit
 * log.
 *
 * An admin reviews every application; a homeroom teacher only students'
 * applications for their own classes (the same scope as the pending
 * count on the menu badge, lib/org.c).  A decision is final: a guarded
 * UPDATE (... AND status = 'pending') lets exactly one of two reviewers
 * deciding at once stand, and the other gets 409.  Accepting a teacher
 * makes them a verified member (teaching the application's class, if
 * any); accepting a student makes them a member in the application's
 * class.  Every decision is audited and the
 * applicant told by SMS to a verified phone, else by e-mail, queued in
 * the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "org.h"
#include "outbox.h"
#include "pool.h"

static int	queue(struct http_req *);
static int	decide_bulk(struct http_req *);
static int	application_show(struct http_req *);
static int	application_accept(struct http_req *);
static int	application_reject(struct http_req *);
static int	audit(struct http_req *);
static int	audit_csv(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN, "/org/{n}/applications", queue },
	{ APP_POST | APP_LOGIN, "/org/{n}/applications/decide", decide_bulk },
	{ APP_GET | APP_LOGIN, "/org/{n}/applications/{n}", application_show },
	{ APP_POST | APP_LOGIN, "/org/{n}/applications/{n}/accept",
	    application_accept },
	{ APP_POST | APP_LOGIN, "/org/{n}/applications/{n}/reject",
	    application_reject },
	{ APP_GET | APP_LOGIN, "/org/{n}/audit", audit },
	{ APP_GET | APP_LOGIN, "/org/{n}/audit.csv", audit_csv },
};

/* How a class is named on every page: "9А · ФизМат". */
#define CLASS_NAME(c)							\
	"coalesce(concat_ws(' · ', nullif(concat(" c ".grade, " c	\
	".letter), ''), nullif(" c ".title, '')), '')"

/* The applications reviewer $2 may decide when not an admin: students'
 * applications for the current classes they are the homeroom teacher
 * of (the same scope as the badge count in lib/org.c). */
#define HOMEROOM_SCOPE(a)						\
	"(" a ".role = 'student' AND " a ".class_id IN"			\
	" (SELECT cm.class_id FROM parta.class_member cm"		\
	"  JOIN parta.class hc ON hc.org_id = cm.org_id"		\
	"  AND hc.id = cm.class_id AND hc.archived_at IS NULL"		\
	"  WHERE cm.org_id = " a ".org_id AND cm.account_id = $2"	\
	"  AND cm.role = 'homeroom'))"

#define PERSON_NAME(p)							\
	"concat_ws(' ', " p ".last_name, " p ".first_name,"		\
	" nullif(" p ".patronymic, ''))"

#define QUEUE_MAX	200	/* applications shown at once */
#define BULK_MAX	1000	/* ids in one bulk decision */
#define AUDIT_PAGE	500	/* audit rows on the page; the CSV has all */
#define AUDIT_CSV_MAX	100000

/* Pending applications in the reviewer's scope, oldest first. */
static const struct db_stmt q_queue = {
	"approve_queue",
	"SELECT a.id, a.role, a.invite_id, i.created_by = $2 AS my_link,"
	" " PERSON_NAME("p") " AS name,"
	" " CLASS_NAME("c") " AS class_name,"
	" coalesce(" PERSON_NAME("ib") ", '') AS invited_by,"
	" coalesce(i.label, '') AS label,"
	" to_char(a.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI')"
	"  AS created"
	" FROM parta.application a"
	" JOIN parta.account p ON p.id = a.account_id"
	" JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" LEFT JOIN parta.invite i ON i.org_id = a.org_id"
	"  AND i.id = a.invite_id"
	" LEFT JOIN parta.account ib ON ib.id = i.created_by"
	" WHERE a.org_id = $1 AND a.status = 'pending'"
	" AND ($3::boolean OR " HOMEROOM_SCOPE("a") ")"
	" AND ($4::text IS NULL OR a.role = $4)"
	" AND ($5::bigint IS NULL OR a.class_id = $5)"
	" ORDER BY a.created_at, a.id LIMIT $6"
};

/* The classes a reviewer can filter by. */
static const struct db_stmt q_classes = {
	"approve_classes",
	"SELECT c.id, " CLASS_NAME("c") " AS class_name FROM parta.class c"
	" WHERE c.org_id = $1 AND (($3::boolean AND c.archived_at IS NULL)"
	"  OR c.id IN (SELECT cm.class_id FROM parta.class_member cm"
	"  WHERE cm.org_id = $1 AND cm.account_id = $2"
	"  AND cm.role = 'homeroom'))"
	" ORDER BY c.kind, c.grade NULLS LAST, c.letter, c.title, c.id"
};

/* One application of the organization, with whether reviewer $2 could
 * decide it as a homeroom teacher. */
static const struct db_stmt q_application = {
	"approve_application",
	"SELECT a.id, a.account_id, a.role, a.status, a.reason, a.invite_id,"
	" i.created_by = $2 AS my_link,"
	" " HOMEROOM_SCOPE("a") " AS in_homeroom,"
	" " PERSON_NAME("p") " AS name,"
	" " CLASS_NAME("c") " AS class_name,"
	" coalesce(" PERSON_NAME("ib") ", '') AS invited_by,"
	" coalesce(" PERSON_NAME("d") ", '') AS decided_by,"
	" coalesce(i.label, '') AS label,"
	" coalesce(m.verified AND m.role <> 'student', false) AS staff_badge,"
	" to_char(a.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI')"
	"  AS created,"
	" coalesce(to_char(a.decided_at AT TIME ZONE rg.tz,"
	"  'DD.MM.YYYY HH24:MI'), '') AS decided,"
	" o.short_name, p.phone, p.phone_verified, p.email, p.email_verified"
	" FROM parta.application a"
	" JOIN parta.account p ON p.id = a.account_id"
	" JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" LEFT JOIN parta.invite i ON i.org_id = a.org_id"
	"  AND i.id = a.invite_id"
	" LEFT JOIN parta.account ib ON ib.id = i.created_by"
	" LEFT JOIN parta.account d ON d.id = a.decided_by"
	" LEFT JOIN parta.member m ON m.org_id = a.org_id"
	"  AND m.account_id = a.account_id"
	" WHERE a.org_id = $1 AND a.id = $3"
};

/* The decision itself: no row when someone decided first. */
static const struct db_stmt q_decide = {
	"approve_decide",
	"UPDATE parta.application SET status = $3, reason = $4,"
	" decided_by = $5, decided_at = now()"
	" WHERE org_id = $1 AND id = $2 AND status = 'pending'"
	" RETURNING account_id, role, class_id"
};

/* A teacher becomes a verified member; an admin stays an admin. */
static const struct db_stmt q_member_teacher = {
	"approve_member_teacher",
	"INSERT INTO parta.member (org_id, account_id, role, verified)"
	" VALUES ($1, $2, 'teacher', true)"
	" ON CONFLICT (org_id, account_id) DO UPDATE SET verified = true,"
	" role = CASE WHEN parta.member.role = 'admin' THEN 'admin'"
	" ELSE 'teacher' END"
};

/* A student becomes a member unless already one (in any role)... */
static const struct db_stmt q_member_student = {
	"approve_member_student",
	"INSERT INTO parta.member (org_id, account_id, role)"
	" VALUES ($1, $2, 'student')"
	" ON CONFLICT (org_id, account_id) DO NOTHING"
};

/* ...and, being a student there, joins the application's class. */
static const struct db_stmt q_class_student = {
	"approve_class_student",
	"INSERT INTO parta.class_member (org_id, class_id, account_id, role)"
	" SELECT $1, $3, $2, 'student' WHERE EXISTS (SELECT 1"
	"  FROM parta.member WHERE org_id = $1 AND account_id = $2"
	"  AND role = 'student')"
	" ON CONFLICT DO NOTHING"
};

/* A teacher invited into a class teaches it. */
static const struct db_stmt q_class_teacher = {
	"approve_class_teacher",
	"INSERT INTO parta.class_member (org_id, class_id, account_id, role)"
	" VALUES ($1, $3, $2, 'teacher') ON CONFLICT DO NOTHING"
};

static const struct db_stmt q_audit_insert = {
	"approve_audit_insert",
	"INSERT INTO parta.audit (org_id, actor_id, action, target_id, detail)"
	" VALUES ($1, $2, $3, $4, $5)"
};

static const struct db_stmt q_audit = {
	"approve_audit",
	"SELECT to_char(au.at AT TIME ZONE rg.tz, $3) AS at, au.action,"
	" au.detail, coalesce(" PERSON_NAME("ac") ", '') AS actor,"
	" coalesce(" PERSON_NAME("t") ", '') AS target, au.target_id"
	" FROM parta.audit au JOIN parta.org o ON o.id = au.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.account ac ON ac.id = au.actor_id"
	" LEFT JOIN parta.account t ON t.id = au.target_id"
	" WHERE au.org_id = $1 ORDER BY au.at DESC, au.id DESC LIMIT $2"
};

static const char *const audit_actions[][2] = {
	{ "application_accept", "Заявка принята" },
	{ "application_reject", "Заявка отклонена" },
	{ "application_withdraw", "Заявка отозвана заявителем" },
	{ "admin_grant_applied", "Получены права администратора" },
	{ "admin_grant", "Назначен администратор" },
	{ "admin_revoke", "Сняты права администратора" },
	{ "member_remove", "Участник исключён" },
	{ "homeroom_set", "Назначен классный руководитель" },
	{ "homeroom_change", "Сменён классный руководитель" },
	{ "invite_revoke", "Ссылка-приглашение отозвана" },
};

static const char *
audit_action_name(const char *action)
{
	size_t	 i;

	for (i = 0; i < sizeof(audit_actions) / sizeof(audit_actions[0]); i++)
		if (strcmp(action, audit_actions[i][0]) == 0)
			return audit_actions[i][1];
	return action;
}

/* "accept" or "reject". */
static const char *
valid_decision(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "accept") != 0 && strcmp(in, "reject") != 0)
		return "Выберите решение: принять или отклонить";
	snprintf(out, outsz, "%s", in);
	return NULL;
}

enum filter_key { FILTER_ROLE, FILTER_CLASS, FILTER__MAX };

static const struct valid_field filter_fields[FILTER__MAX] = {
	{ "role", valid_role, 0 },		/* FILTER_ROLE */
	{ "class_id", valid_uint, 0 },		/* FILTER_CLASS */
};

enum bulk_key { BULK_DECISION, BULK_REASON, BULK__MAX };

static const struct valid_field bulk_fields[BULK__MAX] = {
	{ "decision", valid_decision, 1 },	/* BULK_DECISION */
	{ "reason", valid_line, 0 },		/* BULK_REASON */
};

static const struct valid_field reason_field[] = {
	{ "reason", valid_line, 0 },
};

/* The organization's reviewer asking: 0, 404 (not a member), 403. */
static int
reviewer(struct http_req *r, struct org_access *a)
{
	int	 rc;

	if ((rc = org_access(r, r->id[0], a)) != 0)
		return rc;
	return a->can_review ? 0 : HTTP_FORBIDDEN;
}

/* Where an application came from, for the queue and its page. */
static void
source_ctx(struct http_req *r, struct html_ctx *c,
    const struct org_access *a, const PGresult *res, int row)
{
	if (db_isnull(res, row, "invite_id"))
		return;
	html_set_bool(c, "by_link", 1);
	app_set_cols(c, res, row, "invite_id", "invited_by", "label", NULL);
	/* The link's page is for admins and the link's author. */
	if (a->is_admin || db_getbool(res, row, "my_link"))
		html_set_str(c, "link_href", pool_printf(r->pool,
		    "/org/%lld/invites/%s", a->id,
		    db_get(res, row, "invite_id")));
}

/* The queue page with the values in c (filters, errors, notices). */
static int
queue_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *role, const char *class)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*me = app_num(r, r->user->id);
	const char	*admin = a->is_admin ? "true" : "false";
	int		 i, n;

	html_set_str(c, "title", "Заявки на вступление");
	org_ctx(c, a);
	html_set_int(c, "total", a->pending);

	if ((res = db_exec(&q_classes, PGRES_TUPLES_OK, 3, app_num(r, a->id), me,
	    admin)) == NULL)
		return app_db_error();
	html_list_init(c, "classes");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "class_id", db_get(res, i, "id"));
		html_set_str(item, "class_name", db_get(res, i, "class_name"));
		html_set_bool(item, "selected", class != NULL &&
		    strcmp(class, db_get(res, i, "id")) == 0);
	}
	PQclear(res);
	html_set_bool(c, "role_teacher", role && strcmp(role, "teacher") == 0);
	html_set_bool(c, "role_student", role && strcmp(role, "student") == 0);

	if ((res = db_exec(&q_queue, PGRES_TUPLES_OK, 6, app_num(r, a->id), me,
	    admin, role, class, app_num(r, QUEUE_MAX + 1))) == NULL)
		return app_db_error();
	n = PQntuples(res);
	html_set_bool(c, "has_rows", n > 0);
	html_set_bool(c, "more", n > QUEUE_MAX);
	html_set_int(c, "shown", n > QUEUE_MAX ? QUEUE_MAX : n);
	html_list_init(c, "rows");
	for (i = 0; i < n && i < QUEUE_MAX; i++) {
		item = html_list_add(c, "rows");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_str(item, "role_name",
		    org_role_name(db_get(res, i, "role")));
		html_set_str(item, "class_name", db_get(res, i, "class_name"));
		html_set_str(item, "created", db_get(res, i, "created"));
		html_set_bool(item, "by_link", 0);
		source_ctx(r, item, a, res, i);
	}
	PQclear(res);
	return app_page(r, status, "approve_queue", c);
}

/* Validate the query string against fields, as app_form does a form. */
static const char *
query_get(void *arg, const char *name)
{
	return http_query(arg, name);
}

/*
 * GET /org/N/applications[?role=teacher|student&class_id=ID]
 * The organization's reviewers: an admin sees every pending application,
 * a homeroom teacher students' applications for their classes; others
 * 403, non-members 404.  Oldest first, with name, role, class, how they
 * came and date; filters by role and class (bad filter: 422).
 */
static int
queue(struct http_req *r)
{
	struct org_access	 a;
	struct valid_result	 v[FILTER__MAX];
	struct html_ctx		*c;
	const char		*done;
	char			 buf[16];
	size_t			 i;
	int			 rc, errors;

	if ((rc = reviewer(r, &a)) != 0)
		return rc;
	c = app_ctx(r);
	errors = valid_form(filter_fields, FILTER__MAX, query_get, r, v);
	for (i = 0; i < FILTER__MAX; i++)
		if (v[i].error != NULL)
			html_set_str(c, pool_printf(r->pool, "%s_error",
			    filter_fields[i].name), v[i].error);
	done = http_query(r, "decided");
	if (done != NULL && valid_uint(done, buf, sizeof(buf)) == NULL)
		html_set_str(c, "done", pool_printf(r->pool,
		    "Рассмотрено заявок: %s.", done));
	if (errors > 0)
		return queue_page(r, &a, c, HTTP_UNPROCESSABLE, NULL, NULL);
	return queue_page(r, &a, c, HTTP_OK,
	    v[FILTER_ROLE].present ? v[FILTER_ROLE].value : NULL,
	    v[FILTER_CLASS].present ? v[FILTER_CLASS].value : NULL);
}

/* Load application id of the organization: 0, 404, or an error. */
static int
application_load(struct http_req *r, const struct org_access *a,
    const char *id, PGresult **resp)
{
	PGresult	*res;

	if ((res = db_exec(&q_application, PGRES_TUPLES_OK, 3, app_num(r, a->id),
	    app_num(r, r->user->id), id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		PQclear(res);
		return HTTP_NOT_FOUND;
	}
	*resp = res;
	return 0;
}

/* 1 if the reviewer may decide the loaded application. */
static int
in_scope(const struct org_access *a, const PGresult *res)
{
	return a->can_review &&
	    (a->is_admin || db_getbool(res, 0, "in_homeroom"));
}

/*
 * The application's page with the values in c: its facts, its decision
 * or the forms to make one.  0, or an HTTP status.
 */
static int
application_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status)
{
	PGresult	*res;
	const char	*st;
	int		 rc;

	if ((rc = application_load(r, a, app_num(r, r->id[1]), &res)) != 0)
		return rc;
	if (!in_scope(a, res)) {
		PQclear(res);
		return HTTP_FORBIDDEN;
	}
	st = pool_strdup(r->pool, db_get(res, 0, "status"));
	html_set_str(c, "title", pool_printf(r->pool, "Заявка: %s",
	    db_get(res, 0, "name")));
	org_ctx(c, a);
	html_set_str(c, "id", db_get(res, 0, "id"));
	html_set_str(c, "name", db_get(res, 0, "name"));
	html_set_str(c, "role_name", org_role_name(db_get(res, 0, "role")));
	app_set_cols(c, res, 0, "class_name", "created", "decided",
	    "decided_by", "reason", NULL);
	html_set_str(c, "status", st);
	html_set_str(c, "status_name", org_application_status(st));
	html_set_bool(c, "is_pending", strcmp(st, "pending") == 0);
	html_set_bool(c, "is_accepted", strcmp(st, "accepted") == 0);
	html_set_bool(c, "is_rejected", strcmp(st, "rejected") == 0);
	html_set_bool(c, "staff_badge", strcmp(st, "accepted") == 0 &&
	    db_getbool(res, 0, "staff_badge"));
	html_set_bool(c, "by_link", 0);
	source_ctx(r, c, a, res, 0);
	PQclear(res);
	return app_page(r, status, "approve_application", c);
}

/*
 * GET /org/N/applications/ID
 * A reviewer whose scope holds the application (else 403; not of this
 * organization: 404).  The application and its decision, or the accept
 * and reject forms with the warning that a decision is final.
 */
static int
application_show(struct http_req *r)
{
	struct org_access	 a;
	int			 rc;

	if ((rc = reviewer(r, &a)) != 0)
		return rc;
	return application_page(r, &a, app_ctx(r), HTTP_OK);
}

/* Tell the applicant: SMS to a verified phone, else a verified e-mail. */
static int
applicant_notify(struct http_req *r, const PGresult *res, const char *id,
    int accept, const char *reason)
{
	const char	*text, *org = db_get(res, 0, "short_name");

	if (accept)
		text = pool_printf(r->pool, "Парта: ваша заявка в «%s» "
		    "принята. Добро пожаловать! %s/me/applications/%s", org,
		    app_base_url(r), id);
	else
		text = pool_printf(r->pool, "Парта: ваша заявка в «%s» "
		    "отклонена.%s%s%s %s/me/applications/%s", org,
		    reason[0] ? " Причина: " : "", reason, reason[0] ? "." : "",
		    app_base_url(r), id);
	if (db_getbool(res, 0, "phone_verified"))
		return outbox_queue(OUTBOX_SMS, db_get(res, 0, "phone"), text);
	if (db_getbool(res, 0, "email_verified"))
		return outbox_queue(OUTBOX_EMAIL, db_get(res, 0, "email"),
		    text);
	log_info("notify", "application %s: applicant has no verified "
	    "contact", id);
	return 0;
}

/*
 * Decide application id inside the caller's transaction: 0, or an HTTP
 * status: 404 not of this organization, 403 outside the reviewer's
 * scope, 409 decided already (a moment ago by someone else included).
 */
static int
decide_one(struct http_req *r, const struct org_access *a, const char *id,
    int accept, const char *reason)
{
	PGresult	*app, *res;
	const char	*org = app_num(r, a->id), *me = app_num(r, r->user->id);
	const char	*account, *role, *class, *detail;
	int		 rc;

	if ((rc = application_load(r, a, id, &app)) != 0)
		return rc;
	rc = 0;
	if (!in_scope(a, app))
		rc = HTTP_FORBIDDEN;
	else if (strcmp(db_get(app, 0, "status"), "pending") != 0)
		rc = HTTP_CONFLICT;
	if (rc != 0)
		goto out;

	if ((res = db_exec(&q_decide, PGRES_TUPLES_OK, 5, org, id,
	    accept ? "accepted" : "rejected", accept ? "" : reason,
	    me)) == NULL) {
		rc = app_db_error();
		goto out;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		rc = HTTP_CONFLICT;
		goto out;
	}
	account = pool_strdup(r->pool, db_get(res, 0, "account_id"));
	role = pool_strdup(r->pool, db_get(res, 0, "role"));
	class = db_isnull(res, 0, "class_id") ? NULL :
	    pool_strdup(r->pool, db_get(res, 0, "class_id"));
	PQclear(res);

	if (accept) {
		res = db_exec(strcmp(role, "teacher") == 0 ? &q_member_teacher :
		    &q_member_student, PGRES_COMMAND_OK, 2, org, account);
		if (res == NULL) {
			rc = app_db_error();
			goto out;
		}
		PQclear(res);
	}
	if (accept && class != NULL) {
		res = db_exec(strcmp(role, "student") == 0 ? &q_class_student :
		    &q_class_teacher, PGRES_COMMAND_OK, 3, org, account, class);
		if (res == NULL) {
			rc = app_db_error();
			goto out;
		}
		PQclear(res);
	}

	detail = pool_printf(r->pool, "Заявка №%s: %s%s%s%s%s", id,
	    org_role_name(role), db_get(app, 0, "class_name")[0] ? ", " : "",
	    db_get(app, 0, "class_name"),
	    !accept && reason[0] ? "; причина: " : "", accept ? "" : reason);
	if ((res = db_exec(&q_audit_insert, PGRES_COMMAND_OK, 5, org, me,
	    accept ? "application_accept" : "application_reject", account,
	    detail)) == NULL) {
		rc = app_db_error();
		goto out;
	}
	PQclear(res);
	if (applicant_notify(r, app, id, accept, reason) == -1)
		rc = app_db_error();
out:
	PQclear(app);
	return rc;
}

/* The 409 of a single decision: the application as it now stands. */
static int
decided_page(struct http_req *r, const struct org_access *a)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "conflict", "По этой заявке уже принято решение. "
	    "Отменить или изменить его нельзя.");
	return application_page(r, a, c, HTTP_CONFLICT);
}

/* One decision from its own form. */
static int
decide_single(struct http_req *r, int accept)
{
	struct org_access	 a;
	struct valid_result	 v[1];
	struct html_ctx		*c;
	int			 rc;

	if ((rc = reviewer(r, &a)) != 0)
		return rc;
	c = app_ctx(r);
	v[0].value[0] = '\0';
	if (!accept && app_form(r, reason_field, 1, v, c) > 0) {
		html_set_str(c, "reason_value", v[0].value);
		return application_page(r, &a, c, HTTP_UNPROCESSABLE);
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = decide_one(r, &a, app_num(r, r->id[1]), accept,
	    accept ? "" : v[0].value);
	if (rc != 0) {
		db_rollback();
		return rc == HTTP_CONFLICT ? decided_page(r, &a) : rc;
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/applications/%lld", a.id, r->id[1]));
}

/*
 * POST /org/N/applications/ID/accept
 * A reviewer whose scope holds the application (else 403; not of this
 * organization: 404).  Accepts it: a teacher becomes a verified member,
 * a student a member in the application's class; audited, the applicant
 * told.  303 to the application.  Decided already: 409.
 */
static int
application_accept(struct http_req *r)
{
	return decide_single(r, 1);
}

/*
 * POST /org/N/applications/ID/reject   field: reason (optional)
 * As accept; rejects it with the reason (bad reason: 422), audited, the
 * applicant told.  303 to the application.  Decided already: 409.
 */
static int
application_reject(struct http_req *r)
{
	return decide_single(r, 0);
}

static int
ll_cmp(const void *x, const void *y)
{
	long long	 a = *(const long long *)x, b = *(const long long *)y;

	return a < b ? -1 : a > b;
}

/*
 * POST /org/N/applications/decide   fields: id (repeated), decision
 * (accept|reject), reason (optional, for rejections)
 * A reviewer.  Decides every selected application in one transaction,
 * all or nothing: one outside the reviewer's scope 403, not of this
 * organization 404, decided already 409 (nothing changed).  303 to the
 * queue.  No selection or bad fields: 422; a malformed id: 400.
 */
static int
decide_bulk(struct http_req *r)
{
	struct org_access	 a;
	struct valid_result	 v[BULK__MAX];
	struct html_ctx		*c;
	long long		*ids;
	char			 buf[VALID_MAX];
	size_t			 i, n = 0;
	int			 rc, errors, accept, decided = 0;

	if ((rc = reviewer(r, &a)) != 0)
		return rc;
	ids = pool_alloc(r->pool, sizeof(*ids) * (r->form.n + 1));
	for (i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, "id") != 0)
			continue;
		if (valid_uint(r->form.v[i].val, buf, sizeof(buf)) != NULL ||
		    n == BULK_MAX)
			return HTTP_BAD_REQUEST;
		ids[n++] = atoll(buf);
	}
	c = app_ctx(r);
	errors = app_form(r, bulk_fields, BULK__MAX, v, c);
	if (n == 0) {
		html_set_str(c, "id_error", "Отметьте хотя бы одну заявку.");
		errors++;
	}
	if (errors > 0) {
		html_set_str(c, "reason_value", v[BULK_REASON].value);
		return queue_page(r, &a, c, HTTP_UNPROCESSABLE, NULL, NULL);
	}
	accept = strcmp(v[BULK_DECISION].value, "accept") == 0;

	/* In id order, so that overlapping bulk decisions lock rows in
	 * the same order and never deadlock. */
	qsort(ids, n, sizeof(*ids), ll_cmp);
	if (db_begin() == -1)
		return app_db_error();
	for (i = 0; i < n; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		rc = decide_one(r, &a, app_num(r, ids[i]), accept,
		    accept ? "" : v[BULK_REASON].value);
		if (rc == 0) {
			decided++;
			continue;
		}
		db_rollback();
		if (rc != HTTP_CONFLICT)
			return rc;
		c = app_ctx(r);
		html_set_str(c, "title", "Заявка уже рассмотрена");
		org_ctx(c, &a);
		html_set_str(c, "message", pool_printf(r->pool, "По заявке "
		    "№%lld уже принято решение. Ничего не изменено: обновите "
		    "список и выберите заявки снова.", ids[i]));
		return app_page(r, HTTP_CONFLICT, "approve_notice", c);
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/applications?decided=%d", a.id, decided));
}

/* The organization's admin asking: 0, 404 (not a member), 403. */
static int
admin(struct http_req *r, struct org_access *a)
{
	int	 rc;

	if ((rc = org_access(r, r->id[0], a)) != 0)
		return rc;
	return org_require_admin(a);
}

/* Append s as one CSV field: quoted, quotes doubled, and a leading
 * character a spreadsheet would run as a formula defused. */
static void
csv_field(struct buf *b, const char *s, int last)
{
	buf_putc(b, '"');
	if (strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0')
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_puts(b, last ? "\"\r\n" : "\",");
}

/*
 * GET /org/N/audit.csv (also /org/N/audit?format=csv)
 * The organization's admin (others 403, non-members 404).  The whole
 * audit log as CSV (UTF-8), newest first, as an attachment.
 */
static int
audit_csv(struct http_req *r)
{
	struct org_access	 a;
	PGresult		*res;
	int			 rc, i;

	if ((rc = admin(r, &a)) != 0)
		return rc;
	if ((res = db_exec(&q_audit, PGRES_TUPLES_OK, 3, app_num(r, a.id),
	    app_num(r, AUDIT_CSV_MAX), "YYYY-MM-DD HH24:MI:SS")) == NULL)
		return app_db_error();
	r->status = HTTP_OK;
	buf_reset(&r->body);
	http_header(r, "Content-Type", "text/csv; charset=utf-8");
	http_header(r, "Content-Disposition", pool_printf(r->pool,
	    "attachment; filename=\"audit-org-%lld.csv\"", a.id));
	/* The byte order mark makes spreadsheets read UTF-8 Cyrillic. */
	buf_puts(&r->body, "\xEF\xBB\xBF");
	buf_puts(&r->body, "when,who,action,action_code,whom,detail\r\n");
	for (i = 0; i < PQntuples(res); i++) {
		csv_field(&r->body, db_get(res, i, "at"), 0);
		csv_field(&r->body, db_get(res, i, "actor"), 0);
		csv_field(&r->body, audit_action_name(db_get(res, i,
		    "action")), 0);
		csv_field(&r->body, db_get(res, i, "action"), 0);
		csv_field(&r->body, db_get(res, i, "target"), 0);
		csv_field(&r->body, db_get(res, i, "detail"), 1);
	}
	PQclear(res);
	return 0;
}

/*
 * GET /org/N/audit[?format=csv]
 * The organization's admin (others 403, non-members 404).  Every
 * decision, grant, revocation, removal and homeroom change: who, what,
 * whom, when; newest first, the latest AUDIT_PAGE rows (the CSV has
 * all).
 */
static int
audit(struct http_req *r)
{
	struct org_access	 a;
	struct html_ctx		*c, *item;
	const char		*format = http_query(r, "format");
	PGresult		*res;
	int			 rc, i, n;

	if (format != NULL && strcmp(format, "csv") == 0)
		return audit_csv(r);
	if ((rc = admin(r, &a)) != 0)
		return rc;
	if ((res = db_exec(&q_audit, PGRES_TUPLES_OK, 3, app_num(r, a.id),
	    app_num(r, AUDIT_PAGE + 1), "DD.MM.YYYY HH24:MI")) == NULL)
		return app_db_error();
	c = app_ctx(r);
	html_set_str(c, "title", "Журнал действий");
	org_ctx(c, &a);
	n = PQntuples(res);
	html_set_bool(c, "has_rows", n > 0);
	html_set_bool(c, "more", n > AUDIT_PAGE);
	html_list_init(c, "rows");
	for (i = 0; i < n && i < AUDIT_PAGE; i++) {
		item = html_list_add(c, "rows");
		html_set_str(item, "at", db_get(res, i, "at"));
		html_set_str(item, "actor", db_get(res, i, "actor"));
		html_set_str(item, "action", audit_action_name(db_get(res, i,
		    "action")));
		html_set_str(item, "target", db_get(res, i, "target"));
		html_set_str(item, "detail", db_get(res, i, "detail"));
	}
	PQclear(res);
	return app_page(r, HTTP_OK, "approve_audit", c);
}

int
main(void)
{
	return app_main("approve", routes, sizeof(routes) / sizeof(routes[0]));
}
