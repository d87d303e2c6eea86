#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

/* One round trip: the organization, the person's membership, homeroom
 * classes and the count of applications they may review. */
static const struct db_stmt q_org_access = {
	"org_access",
	"SELECT o.short_name, o.full_name, coalesce(m.role, '') AS role,"
	" coalesce(m.verified, false) AS verified,"
	" EXISTS (SELECT 1 FROM parta.class_member cm JOIN parta.class c"
	"  ON c.org_id = cm.org_id AND c.id = cm.class_id"
	"  WHERE cm.org_id = o.id AND cm.account_id = $2"
	"  AND cm.role = 'homeroom' AND c.archived_at IS NULL) AS homeroom,"
	" (SELECT count(*) FROM parta.application a"
	"  WHERE a.org_id = o.id AND a.status = 'pending' AND"
	"  (m.role = 'admin' OR (m.role = 'teacher' AND a.role = 'student'"
	"   AND a.class_id IN (SELECT cm.class_id FROM parta.class_member cm"
	"   JOIN parta.class c ON c.org_id = cm.org_id AND c.id = cm.class_id"
	"   WHERE cm.org_id = o.id AND cm.account_id = $2"
	"   AND cm.role = 'homeroom' AND c.archived_at IS NULL)))) AS pending"
	" FROM parta.org o LEFT JOIN parta.member m"
	"  ON m.org_id = o.id AND m.account_id = $2"
	" WHERE o.id = $1"
};

int
org_access(struct http_req *r, long long org, struct org_access *a)
{
	PGresult	*res;

	memset(a, 0, sizeof(*a));
	if (r->user == NULL)
		return HTTP_NOT_FOUND;
	res = db_exec(&q_org_access, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", org),
	    pool_printf(r->pool, "%lld", r->user->id));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	a->id = org;
	a->name = pool_strdup(r->pool, db_get(res, 0, "short_name"));
	a->full_name = pool_strdup(r->pool, db_get(res, 0, "full_name"));
	a->role = pool_strdup(r->pool, db_get(res, 0, "role"));
	a->verified = db_getbool(res, 0, "verified");
	a->is_admin = strcmp(a->role, "admin") == 0;
	a->is_teacher = strcmp(a->role, "teacher") == 0;
	a->is_student = strcmp(a->role, "student") == 0;
	a->is_operator = r->user->is_operator;
	a->homeroom = a->is_teacher && db_getbool(res, 0, "homeroom");
	a->can_review = a->is_admin || a->homeroom;
	a->pending = db_getll(res, 0, "pending");
	if (a->role[0] == '\0' && !a->is_operator)
		return HTTP_NOT_FOUND;
	return 0;
}

int
org_require_admin(const struct org_access *a)
{
	return a->is_admin ? 0 : HTTP_FORBIDDEN;
}

void
org_ctx(struct html_ctx *c, const struct org_access *a)
{
	html_set_int(c, "org_id", a->id);
	html_set_int(c, "menu_org", a->id);
	html_set_str(c, "org_name", a->name);
	html_set_bool(c, "is_admin", a->is_admin);
	html_set_bool(c, "can_review", a->can_review);
	html_set_bool(c, "can_invite", a->can_review);
	if (a->pending > 0)
		html_set_int(c, "pending_count", a->pending);
}

int
org_barred_page(struct http_req *r, const char *org_name)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Вас исключили из организации");
	html_set_str(c, "org_name", org_name);
	return app_page(r, HTTP_FORBIDDEN, "barred", c);
}

const char *
org_role_name(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return "Администратор";
	if (strcmp(role, "teacher") == 0)
		return "Учитель";
	if (strcmp(role, "student") == 0)
		return "Ученик";
	return "";
}

const char *
org_person_role(const char *role, const char *gender)
{
	if (strcmp(role, "student") == 0)
		return ru_gender(gender, "Ученик", "Ученица");
	return org_role_name(role);
}

const char *
org_role_plural(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return "Администраторы";
	if (strcmp(role, "teacher") == 0)
		return "Учителя";
	if (strcmp(role, "student") == 0)
		return "Ученики";
	return "";
}

const char *
org_application_status(const char *status)
{
	if (strcmp(status, "pending") == 0)
		return "На рассмотрении";
	if (strcmp(status, "accepted") == 0)
		return "Принята";
	if (strcmp(status, "rejected") == 0)
		return "Отклонена";
	if (strcmp(status, "withdrawn") == 0)
		return "Отозвана заявителем";
	if (strcmp(status, "closed") == 0)
		return "Закрыта: вы больше не в организации";
	return status;
}
