#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

/* One round trip: the organization (its region's time zone too), the
 * person's membership, homeroom classes, and for staff only (a
 * student's or the operator's page reads neither) the count of
 * applications they may review and of the requests to the organization
 * waiting for their answer: those parta.appeal_role calls theirs to
 * handle, counted set-based by its own handler rule, the person's scope
 * read once (parta.appeal_handler_scope, parta.appeal_handles,
 * sql/0043_rls_tuning.sql).  The person is the request's account
 * (parta.rls_account()), so that the statement can travel in one batch
 * with the session's lookup, which makes that setting (lib/auth).
 * Of the organizations in $1 (an array), or with $1 NULL of every
 * organization the account is still a member of (parta.rls_orgs()), by
 * short name. */
static const struct db_stmt q_org_access = {
	"org_access",
	"SELECT o.id, o.short_name, o.full_name,"
	" coalesce(m.role, '') AS role,"
	" coalesce(rg.tz, 'Europe/Moscow') AS tz,"
	" coalesce(m.verified, false) AS verified,"
	" cardinality(s.classes) > 0 AS homeroom,"
	" CASE WHEN m.role IN ('admin', 'teacher') THEN"
	"  (SELECT count(*) FROM parta.application a"
	"  WHERE a.org_id = o.id AND a.status = 'pending' AND"
	"  (m.role = 'admin' OR parta.homeroom_in(s.classes, a.role,"
	"  a.class_id)))"
	"  ELSE 0 END AS pending,"
	" CASE WHEN m.role IN ('admin', 'teacher') THEN"
	"  (SELECT count(*) FROM parta.appeal ap WHERE ap.org_id = o.id"
	"  AND ap.status <> 'closed' AND NOT ap.answered"
	"  AND parta.appeal_handles(s.all_classes, s.classes, ap.class_id))"
	"  ELSE 0 END AS appeals"
	" FROM parta.org o LEFT JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.member m"
	"  ON m.org_id = o.id AND m.account_id = parta.rls_account()"
	/* The viewer's homeroom classes, read once for the three columns
	 * (sql/0053_rls_cost.sql): OFFSET 0 keeps the planner from
	 * pulling the scope up into each column that names it (three
	 * copies, each reading class and class_member under their
	 * policies). */
	" CROSS JOIN LATERAL (SELECT h.* FROM parta.appeal_handler_scope("
	"  org => o.id, viewer => parta.rls_account()) h OFFSET 0) s"
	" WHERE o.id = ANY (coalesce($1::bigint[],"
	"  (SELECT parta.rls_orgs())::bigint[]))"
	" AND ($1::bigint[] IS NOT NULL OR m.account_id IS NOT NULL)"
	" ORDER BY o.short_name, o.id"
};

/* Row i of a result of q_org_access into a: 0, or
 * HTTP_NOT_FOUND when the person is neither a member nor the operator. */
static int
org_access_row(struct http_req *r, const PGresult *res, int i,
    struct org_access *a)
{
	a->id = db_getll(res, i, "id");
	a->name = pool_strdup(r->pool, db_get(res, i, "short_name"));
	a->full_name = pool_strdup(r->pool, db_get(res, i, "full_name"));
	a->tz = pool_strdup(r->pool, db_get(res, i, "tz"));
	a->role = pool_strdup(r->pool, db_get(res, i, "role"));
	a->verified = db_getbool(res, i, "verified");
	a->is_admin = strcmp(a->role, "admin") == 0;
	a->is_teacher = strcmp(a->role, "teacher") == 0;
	a->is_student = strcmp(a->role, "student") == 0;
	a->is_operator = r->user->is_operator;
	a->homeroom = a->is_teacher && db_getbool(res, i, "homeroom");
	a->can_review = a->is_admin || a->homeroom;
	a->pending = db_getll(res, i, "pending");
	a->appeals = db_getll(res, i, "appeals");
	if (a->role[0] == '\0' && !a->is_operator)
		return HTTP_NOT_FOUND;
	return 0;
}

struct db_query *
org_access_send(struct http_req *r, long long org)
{
	return db_send(&q_org_access, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "{%lld}", org));
}

int
org_access_read(struct http_req *r, struct db_query *q, long long org,
    struct org_access *a)
{
	PGresult	*res;

	memset(a, 0, sizeof(*a));
	if (r->user == NULL)
		return HTTP_NOT_FOUND;
	if ((res = db_result(q)) == NULL)
		return app_db_error();
	/* The organization asked for (the statement's), or none. */
	if (PQntuples(res) != 1 || db_getll(res, 0, "id") != org)
		return HTTP_NOT_FOUND;
	return org_access_row(r, res, 0, a);
}

struct db_query *
org_access_mine_send(void)
{
	return db_send(&q_org_access, PGRES_TUPLES_OK, NULL);
}

int
org_access_mine_read(struct http_req *r, struct db_query *q,
    struct org_access **list, int *n)
{
	PGresult	*res;
	int		 i;

	*list = NULL;
	*n = 0;
	if (r->user == NULL)
		return 0;
	if ((res = db_result(q)) == NULL)
		return app_db_error();
	*list = pool_zalloc(r->pool, sizeof(**list) *
	    (size_t)(PQntuples(res) + 1));
	for (i = 0; i < PQntuples(res); i++)
		if (org_access_row(r, res, i, &(*list)[*n]) == 0)
			(*n)++;
	return 0;
}

int
org_access(struct http_req *r, long long org, struct org_access *a)
{
	memset(a, 0, sizeof(*a));
	if (r->user == NULL)
		return HTTP_NOT_FOUND;
	return org_access_read(r, org_access_send(r, org), org, a);
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
	if (a->appeals > 0)
		html_set_int(c, "appeals_count", a->appeals);
}

struct html_ctx *
org_page_ctx(struct http_req *r, const char *title)
{
	struct html_ctx	*c = app_ctx(r);

	org_ctx(c, r->org);
	html_set_str(c, "title", title);
	return c;
}

struct html_ctx *
org_guest_ctx(struct http_req *r, long long org, const char *org_name,
    const char *title)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_int(c, "org_id", org);
	html_set_str(c, "org_name", org_name);
	html_set_str(c, "title", title);
	return c;
}

int
org_barred_page(struct http_req *r, const char *org_name)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Вас исключили из организации");
	html_set_str(c, "org_name", org_name);
	return app_page(r, HTTP_FORBIDDEN, "barred", c);
}

const struct org_type org_types[ORG_TYPE_N] = {
	{ "school", "Школа", "Школы" },
	{ "kindergarten", "Детский сад", "Детские сады" },
	{ "college", "Колледж, техникум", "Колледжи" },
	{ "university", "Вуз", "Вузы" },
	{ "extra", "Дополнительное образование",
	    "Дополнительное образование" },
	{ "authority", "Орган управления образованием",
	    "Органы управления образованием" },
};

const struct org_type *
org_type(const char *type)
{
	size_t	 i;

	for (i = 0; i < ORG_TYPE_N; i++)
		if (strcmp(type, org_types[i].value) == 0)
			return &org_types[i];
	return NULL;
}

const char *
org_type_name(const char *type)
{
	const struct org_type	*t = org_type(type);

	return t != NULL ? t->name : type;
}

const char *
org_type_plural(const char *type)
{
	const struct org_type	*t = org_type(type);

	return t != NULL ? t->plural : type;
}

/* A role's words; a teacher or an administrator is the same word for a
 * woman ("учитель", as schools write it). */
static const struct {
	const char	*role;
	const char	*name, *name_f;		/* alone */
	const char	*lower, *lower_f;	/* in a sentence */
	const char	*plural;		/* "Ученики" */
	const char	*of;			/* "для учеников" */
} roles[] = {
	{ "admin", "Администратор", "Администратор", "администратор",
	    "администратор", "Администраторы", "администраторов" },
	{ "teacher", "Учитель", "Учитель", "учитель", "учитель", "Учителя",
	    "учителей" },
	{ "student", "Ученик", "Ученица", "ученик", "ученица", "Ученики",
	    "учеников" },
};

static int
role_row(const char *role)
{
	size_t	 i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(role, roles[i].role) == 0)
			return (int)i;
	return -1;
}

const char *
org_role_name(const char *role)
{
	int	 i = role_row(role);

	return i >= 0 ? roles[i].name : "";
}

const char *
org_person_role(const char *role, const char *gender)
{
	int	 i = role_row(role);

	return i >= 0 ? ru_gender(gender, roles[i].name, roles[i].name_f) :
	    "";
}

const char *
org_person_role_lower(const char *role, const char *gender)
{
	int	 i = role_row(role);

	return i >= 0 ? ru_gender(gender, roles[i].lower, roles[i].lower_f) :
	    "";
}

const char *
org_role_plural(const char *role)
{
	int	 i = role_row(role);

	return i >= 0 ? roles[i].plural : "";
}

const char *
org_role_for(const char *role)
{
	int	 i = role_row(role);

	return i >= 0 ? roles[i].of : "";
}

/* An application's status: its badge (the applicant's words) and the
 * reviewers' words in a sentence. */
static const struct {
	const char	*status;
	const char	*badge;
	const char	*review;
} applications[] = {
	{ "pending", "На рассмотрении", "ждёт решения" },
	{ "accepted", "Принята", "принята" },
	{ "rejected", "Отклонена", "отклонена" },
	{ "withdrawn", "Отозвана заявителем", "отозвана заявителем" },
	{ "closed", "Закрыта: вы больше не в организации",
	    "закрыта: заявитель больше не в организации" },
};

static int
application_row(const char *status)
{
	size_t	 i;

	for (i = 0; i < sizeof(applications) / sizeof(applications[0]); i++)
		if (strcmp(status, applications[i].status) == 0)
			return (int)i;
	return -1;
}

const char *
org_application_status(const char *status)
{
	int	 i = application_row(status);

	return i >= 0 ? applications[i].badge : status;
}

const char *
org_application_review(const char *status)
{
	int	 i = application_row(status);

	return i >= 0 ? applications[i].review : status;
}

const char *
org_request_status(const char *status)
{
	if (strcmp(status, "pending") == 0)
		return "на рассмотрении";
	if (strcmp(status, "approved") == 0)
		return "одобрена";
	if (strcmp(status, "rejected") == 0)
		return "отклонена";
	return status;
}

/* A request to the organization's status (sql/0032_appeals.sql): its
 * badge. */
const char *
org_appeal_status(const char *status)
{
	if (strcmp(status, "new") == 0)
		return "Новое";
	if (strcmp(status, "in_work") == 0)
		return "В работе";
	if (strcmp(status, "closed") == 0)
		return "Закрыто";
	return status;
}
