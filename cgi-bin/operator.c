/*
 * operator: the platform operator's desk.  Organization registration
 * requests (review the document, approve or reject with a reason),
 * administrator changes, and statistics by region and type.
 *
 * Approval creates the organization and an administrator grant bound to
 * the phone in the request; the grant takes effect for whoever has that
 * phone verified, now or when they verify it later.  Every page here is
 * 404 for anyone but an operator (APP_OPERATOR: the dispatcher says so
 * before any handler runs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "csv.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "org.h"
#include "outbox.h"
#include "pool.h"
#include "store.h"

static int	home(struct http_req *);
static int	requests_list(struct http_req *);
static int	request_show(struct http_req *);
static int	request_document(struct http_req *);
static int	request_approve(struct http_req *);
static int	request_reject(struct http_req *);
static int	orgs_list(struct http_req *);
static int	org_show(struct http_req *);
static int	org_admin_bind(struct http_req *);
static int	org_admin_remove_confirm(struct http_req *);
static int	org_admin_remove(struct http_req *);
static int	stats(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_OPERATOR, "/operator", home },
	{ APP_GET | APP_LOGIN | APP_OPERATOR, "/operator/requests",
	    requests_list },
	{ APP_GET | APP_LOGIN | APP_OPERATOR, "/operator/requests/{n}",
	    request_show },
	{ APP_GET | APP_LOGIN | APP_OPERATOR,
	    "/operator/requests/{n}/document", request_document },
	{ APP_POST | APP_LOGIN | APP_OPERATOR,
	    "/operator/requests/{n}/approve", request_approve },
	{ APP_POST | APP_LOGIN | APP_OPERATOR,
	    "/operator/requests/{n}/reject", request_reject },
	{ APP_GET | APP_LOGIN | APP_OPERATOR, "/operator/orgs", orgs_list },
	{ APP_GET | APP_LOGIN | APP_OPERATOR, "/operator/orgs/{n}",
	    org_show },
	{ APP_POST | APP_LOGIN | APP_OPERATOR, "/operator/orgs/{n}/admin",
	    org_admin_bind },
	{ APP_GET | APP_LOGIN | APP_OPERATOR,
	    "/operator/orgs/{n}/admins/{n}/remove", org_admin_remove_confirm },
	{ APP_POST | APP_LOGIN | APP_OPERATOR,
	    "/operator/orgs/{n}/admins/{n}/remove", org_admin_remove },
	{ APP_GET | APP_LOGIN | APP_OPERATOR, "/operator/stats", stats },
};

static const struct db_stmt q_pending = {
	"operator_pending",
	"SELECT q.id, q.short_name, q.inn, q.kpp, r.name AS region_name,"
	" parta.msk_time(q.created_at) AS created"
	" FROM parta.org_request q JOIN parta.region r ON r.code = q.region"
	" WHERE q.status = 'pending' ORDER BY q.created_at, q.id"
};

static const struct db_stmt q_decided = {
	"operator_decided",
	"SELECT q.id, q.short_name, q.status, q.org_id,"
	" parta.msk_time(q.decided_at) AS decided"
	" FROM parta.org_request q WHERE q.status <> 'pending'"
	" ORDER BY q.decided_at DESC LIMIT 20"
};

static const struct db_stmt q_request = {
	"operator_request",
	"SELECT q.*, r.name AS region_name,"
	" parta.msk_time(q.created_at) AS created,"
	" a.last_name || ' ' || a.first_name AS applicant,"
	" coalesce(a.phone, a.email) AS applicant_contact"
	" FROM parta.org_request q JOIN parta.region r ON r.code = q.region"
	" JOIN parta.account a ON a.id = q.applicant_id WHERE q.id = $1"
};

/* The decision is a guarded update: of two operators, one wins. */
static const struct db_stmt q_decide = {
	"operator_decide",
	"UPDATE parta.org_request SET status = $2, reason = $3,"
	" decided_by = $4, decided_at = now()"
	" WHERE id = $1 AND status = 'pending'"
	" RETURNING region, org_type, full_name, short_name, inn, kpp,"
	" address, admin_phone, applicant_id"
};

static const struct db_stmt q_org_insert = {
	"operator_org_insert",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp, address) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	" ON CONFLICT (inn, kpp) DO NOTHING RETURNING id"
};

static const struct db_stmt q_request_org = {
	"operator_request_org",
	"UPDATE parta.org_request SET org_id = $2 WHERE id = $1"
};

static const struct db_stmt q_contact = {
	"operator_contact",
	"SELECT CASE WHEN phone_verified THEN phone ELSE email END AS address,"
	" phone_verified FROM parta.account WHERE id = $1"
	" AND (phone_verified OR email_verified)"
};

static const struct db_stmt q_orgs = {
	"operator_orgs",
	"SELECT o.id, o.short_name, o.inn, o.kpp, r.name AS region_name,"
	" (SELECT count(*) FROM parta.member m WHERE m.org_id = o.id) AS members"
	" FROM parta.org o JOIN parta.region r ON r.code = o.region"
	" WHERE $1 = '' OR o.inn = $1 OR o.short_name ILIKE '%' || $1 || '%'"
	" OR o.full_name ILIKE '%' || $1 || '%'"
	" ORDER BY o.short_name LIMIT 200"
};

static const struct db_stmt q_org = {
	"operator_org",
	"SELECT o.id, o.short_name, o.full_name, o.inn, o.kpp,"
	" r.name AS region_name FROM parta.org o"
	" JOIN parta.region r ON r.code = o.region WHERE o.id = $1"
};

/* Administrator changes of one organization take turns (parta-admin's
 * admin-change takes the same lock). */
static const struct db_stmt q_org_lock = {
	"operator_org_lock",
	"SELECT id FROM parta.org WHERE id = $1 FOR UPDATE"
};

static const struct db_stmt q_org_admins = {
	"operator_org_admins",
	"SELECT a.id, a.last_name || ' ' || a.first_name AS name, a.phone"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" WHERE m.org_id = $1 AND m.role = 'admin' ORDER BY a.last_name"
};

static const struct db_stmt q_org_grants = {
	"operator_org_grants",
	"SELECT phone, parta.msk_time(created_at) AS created"
	" FROM parta.admin_grant WHERE org_id = $1 AND applied_at IS NULL"
	" AND revoked_at IS NULL ORDER BY created_at"
};

static const struct db_stmt q_stats_region = {
	"operator_stats_region",
	"SELECT r.code, r.name, count(o.id) AS orgs FROM parta.region r"
	" LEFT JOIN parta.org o ON o.region = r.code GROUP BY r.code, r.name"
	" ORDER BY count(o.id) DESC, r.code"
};

static const struct db_stmt q_stats_type = {
	"operator_stats_type",
	"SELECT org_type, count(*) AS orgs FROM parta.org GROUP BY org_type"
	" ORDER BY org_type"
};

static const struct db_stmt q_stats_members = {
	"operator_stats_members",
	"SELECT role, count(*) AS n FROM parta.member GROUP BY role"
	" ORDER BY role"
};

static const struct db_stmt q_stats_pending = {
	"operator_stats_pending",
	"SELECT count(*) AS n FROM parta.org_request WHERE status = 'pending'"
};

static struct html_ctx *
operator_ctx(struct http_req *r, const char *title)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", title);
	return c;
}

/* Queue a message to the verified contact of account, if any: 0, or an
 * HTTP status. */
static int
notify(struct http_req *r, const char *account, const char *text)
{
	PGresult	*res;

	(void)r;
	if ((res = db_exec(&q_contact, PGRES_TUPLES_OK, account)) == NULL)
		return app_db_error();
	if (PQntuples(res) == 1 && outbox_queue(db_getbool(res, 0,
	    "phone_verified") ? OUTBOX_SMS : OUTBOX_EMAIL, db_get(res, 0,
	    "address"), text) == -1)
		return app_db_error();
	return 0;
}

/*
 * GET /operator
 * Operator.  303 to the request queue.
 */
static int
home(struct http_req *r)
{
	return app_redirect(r, "/operator/requests");
}

/*
 * GET /operator/requests
 * Operator.  Pending registration requests, oldest first, and the
 * latest decisions.
 */
static int
requests_list(struct http_req *r)
{
	struct html_ctx	*c, *item;
	PGresult	*res;
	int		 i;

	c = operator_ctx(r, "Заявки организаций");
	if ((res = db_exec(&q_pending, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	html_list_init(c, "pending");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "pending");
		app_set_cols(item, res, i, "id", "short_name", "inn", "kpp",
		    NULL);
		html_set_str(item, "region_name", db_get(res, i,
		    "region_name"));
		html_set_str(item, "created", db_get(res, i, "created"));
	}
	if ((res = db_exec(&q_decided, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "decided");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "short_name", db_get(res, i, "short_name"));
		html_set_bool(item, "approved", strcmp(db_get(res, i,
		    "status"), "approved") == 0);
		html_set_str(item, "status_name", org_request_status(db_get(res,
		    i, "status")));
		html_set_str(item, "org_id", db_get(res, i, "org_id"));
		html_set_str(item, "decided", db_get(res, i, "decided"));
	}
	return app_page(r, HTTP_OK, "operator_requests", c);
}

/*
 * GET /operator/requests/ID
 * Operator.  One request with its document and the decision forms.
 */
static int
request_show(struct http_req *r)
{
	static const char *const cols[] = { "id", "full_name", "short_name",
	    "inn", "kpp", "region_name", "address", "admin_last_name",
	    "admin_first_name", "admin_patronymic", "admin_phone", "doc_name",
	    "doc_type", "doc_size", "status", "reason", "org_id", "created",
	    "applicant", "applicant_contact" };
	struct html_ctx	*c;
	PGresult	*res;
	size_t		 i;

	if ((res = db_exec(&q_request, PGRES_TUPLES_OK, app_num(r,
	    r->id[0]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	c = operator_ctx(r, "Заявка организации");
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		html_set_str(c, cols[i], db_get(res, 0, cols[i]));
	html_set_str(c, "type_name", org_type_name(db_get(res, 0,
	    "org_type")));
	html_set_str(c, "doc_type", store_type_word(db_get(res, 0,
	    "doc_type")));
	html_set_bool(c, "pending", strcmp(db_get(res, 0, "status"),
	    "pending") == 0);
	html_set_bool(c, "approved", strcmp(db_get(res, 0, "status"),
	    "approved") == 0);
	html_set_str(c, "status_name", org_request_status(db_get(res, 0,
	    "status")));
	return app_page(r, HTTP_OK, "operator_request", c);
}

/*
 * GET /operator/requests/ID/document
 * Operator.  The appointment document, as an attachment of its sniffed
 * type (never rendered inline).
 */
static int
request_document(struct http_req *r)
{
	PGresult	*res;
	char		*data;
	size_t		 len;
	const char	*type, *ext;

	if ((res = db_exec(&q_request, PGRES_TUPLES_OK, app_num(r,
	    r->id[0]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (store_get(db_get(res, 0, "doc_key"), &data, &len) == -1)
		return HTTP_SERVER_ERROR;
	/* The type comes from the bytes, not from what the browser said. */
	type = store_sniff(data, len);
	if (type == NULL)
		type = "application/octet-stream";
	ext = strcmp(type, "application/pdf") == 0 ? "pdf" :
	    strcmp(type, "image/png") == 0 ? "png" :
	    strcmp(type, "image/jpeg") == 0 ? "jpg" : "bin";
	r->status = HTTP_OK;
	http_header(r, "Content-Type", type);
	http_header(r, "Content-Disposition", pool_printf(r->pool,
	    "attachment; filename=\"request-%lld.%s\"", r->id[0], ext));
	buf_add(&r->body, data, len);
	free(data);
	return 0;
}

/*
 * POST /operator/requests/ID/approve
 * Operator.  Creates the organization and an administrator grant bound
 * to the request's phone (applied at once when that phone is verified by
 * its owner; member_admin_bind tells the phone), tells the applicant;
 * 303 to the request.  Decided already,
 * or the organization exists: 409.
 */
static int
request_approve(struct http_req *r)
{
	PGresult	*res, *org_res;
	const char	*id = app_num(r, r->id[0]), *org, *phone, *applicant;
	const char	*name;
	int		 rc;

	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_decide, PGRES_TUPLES_OK, id, "approved", "",
	    app_num(r, r->user->id));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_CONFLICT;
	phone = pool_strdup(r->pool, db_get(res, 0, "admin_phone"));
	applicant = pool_strdup(r->pool, db_get(res, 0, "applicant_id"));
	name = pool_strdup(r->pool, db_get(res, 0, "short_name"));
	org_res = db_exec(&q_org_insert, PGRES_TUPLES_OK,
	    db_get(res, 0, "region"), db_get(res, 0, "org_type"),
	    db_get(res, 0, "full_name"), db_get(res, 0, "short_name"),
	    db_get(res, 0, "inn"), db_get(res, 0, "kpp"),
	    db_get(res, 0, "address"));
	if (org_res == NULL)
		return app_db_error();
	org = PQntuples(org_res) == 1 ?
	    pool_strdup(r->pool, PQgetvalue(org_res, 0, 0)) : NULL;
	if (org == NULL) {
		/* Another request for the same INN and KPP won. */
		return HTTP_CONFLICT;
	}
	if ((res = db_exec(&q_request_org, PGRES_COMMAND_OK, id, org)) ==
	    NULL)
		return app_db_error();
	/* The administrator is bound (and told) as by a change. */
	if (member_admin_bind(atoll(org), phone, r->user->id,
	    app_base_url(r)) == MEMBER_ERROR)
		return app_db_error();
	if (audit_write(atoll(org), r->user->id, "org_request_approve", 0,
	    pool_printf(r->pool, "организация зарегистрирована; администратор "
	    "— владелец номера %s", phone)) == -1)
		return app_db_error();
	if ((rc = notify(r, applicant, pool_printf(r->pool, "Парта: заявка на "
	    "регистрацию «%s» одобрена. Администратор входит с номером %s.",
	    name, phone))) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/operator/requests/%s",
	    id));
}

/*
 * POST /operator/requests/ID/reject   field: reason (required)
 * Operator.  Rejects the request with a reason the applicant sees and is
 * told; 303 to the request.  No reason: 422; decided already: 409.
 */
static int
request_reject(struct http_req *r)
{
	static const struct valid_field fields[] = {
		{ "reason", valid_line, 1 },
	};
	struct valid_result	 v[1];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*id = app_num(r, r->id[0]), *applicant, *name;
	int			 rc;

	c = operator_ctx(r, "Заявка организации");
	if (app_form(r, fields, 1, v, c) > 0) {
		/* Show the request again with the message by the field. */
		PGresult *q = db_exec(&q_request, PGRES_TUPLES_OK, id);

		if (q == NULL)
			return app_db_error();
		if (PQntuples(q) != 1)
			return HTTP_NOT_FOUND;
		html_set_str(c, "id", id);
		html_set_str(c, "short_name", db_get(q, 0, "short_name"));
		html_set_str(c, "full_name", db_get(q, 0, "full_name"));
		html_set_bool(c, "pending", 1);
		html_set_str(c, "status_name", org_request_status("pending"));
		return app_page(r, HTTP_UNPROCESSABLE, "operator_request", c);
	}
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_decide, PGRES_TUPLES_OK, id, "rejected",
	    v[0].value, app_num(r, r->user->id));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_CONFLICT;
	applicant = pool_strdup(r->pool, db_get(res, 0, "applicant_id"));
	name = pool_strdup(r->pool, db_get(res, 0, "short_name"));
	if (audit_write(0, r->user->id, "org_request_reject", atoll(applicant),
	    pool_printf(r->pool, "заявка «%s» отклонена; причина: %s", name,
	    v[0].value)) == -1)
		return app_db_error();
	if ((rc = notify(r, applicant, pool_printf(r->pool, "Парта: заявка на "
	    "регистрацию «%s» отклонена. Причина: %s", name, v[0].value))) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/operator/requests/%s",
	    id));
}

/*
 * GET /operator/orgs[?q=name or INN]
 * Operator.  Registered organizations.
 */
static int
orgs_list(struct http_req *r)
{
	struct html_ctx	*c, *item;
	const char	*q = http_query(r, "q");
	PGresult	*res;
	int		 i;

	c = operator_ctx(r, "Организации");
	html_set_str(c, "q", q ? q : "");
	if ((res = db_exec(&q_orgs, PGRES_TUPLES_OK, q ? q : "")) == NULL)
		return app_db_error();
	html_list_init(c, "orgs");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "orgs");
		app_set_cols(item, res, i, "id", "short_name", "inn", NULL);
		html_set_str(item, "region_name", db_get(res, i,
		    "region_name"));
		html_set_str(item, "members", db_get(res, i, "members"));
	}
	return app_page(r, HTTP_OK, "operator_orgs", c);
}

/* The organization page of the operator; status 200 or 422. */
static int
org_page(struct http_req *r, int status, struct html_ctx *c)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*id = app_num(r, r->id[0]);
	int		 i;

	if ((res = db_exec(&q_org, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	html_set_str(c, "id", id);
	app_set_cols(c, res, 0, "short_name", "full_name", "inn", "kpp",
	    "region_name", NULL);
	if ((res = db_exec(&q_org_admins, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	html_list_init(c, "admins");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "admins");
		html_set_str(item, "account_id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_str(item, "phone", db_get(res, i, "phone"));
	}
	if ((res = db_exec(&q_org_grants, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "grants");
		html_set_str(item, "phone", db_get(res, i, "phone"));
		html_set_str(item, "created", db_get(res, i, "created"));
	}
	return app_page(r, status, "operator_org", c);
}

/*
 * GET /operator/orgs/ID
 * Operator.  An organization's administrators and waiting grants, with
 * the forms to bind another phone and to remove an administrator.
 */
static int
org_show(struct http_req *r)
{
	return org_page(r, HTTP_OK, operator_ctx(r, "Организация"));
}

/*
 * POST /operator/orgs/ID/admin   field: phone
 * Operator.  Binds the organization's administrator role to another
 * phone (member_admin_bind): open grants for other phones are closed, a
 * new grant is made and applied at once if the phone's owner has
 * verified it; the new administrator and the owners of the closed
 * grants' phones are told by SMS; audited.  303 to the organization.
 */
static int
org_admin_bind(struct http_req *r)
{
	static const struct valid_field fields[] = {
		{ "phone", valid_phone, 1 },
	};
	struct valid_result	 v[1];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*id = app_num(r, r->id[0]);
	int			 rc;

	c = operator_ctx(r, "Организация");
	if (app_form(r, fields, 1, v, c) > 0)
		return org_page(r, HTTP_UNPROCESSABLE, c);
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_org_lock, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (audit_write(r->id[0], r->user->id, "admin_change", 0,
	    pool_printf(r->pool, "права администратора получит владелец "
	    "номера %s", v[0].value)) == -1)
		return app_db_error();
	if (member_admin_bind(r->id[0], v[0].value, r->user->id,
	    app_base_url(r)) == MEMBER_ERROR)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/operator/orgs/%s", id));
}

/*
 * GET /operator/orgs/ID/admins/ACCOUNT/remove
 * Operator.  Asks to confirm taking the administrator out, saying what
 * ends (and when they are the last one, that the organization is left
 * without); the form posts to the same URL.  Changes nothing.  Not an
 * administrator there: 404.
 */
static int
org_admin_remove_confirm(struct http_req *r)
{
	struct html_ctx	*c;
	PGresult	*res;
	const char	*id = app_num(r, r->id[0]), *name = NULL, *org;
	int		 i, n;

	if ((res = db_exec(&q_org, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	org = pool_strdup(r->pool, db_get(res, 0, "short_name"));
	if ((res = db_exec(&q_org_admins, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		if (db_getll(res, i, "id") == r->id[1])
			name = pool_strdup(r->pool, db_get(res, i, "name"));
	if (name == NULL)
		return HTTP_NOT_FOUND;
	c = operator_ctx(r, "Снять права администратора?");
	html_set_str(c, "lead", pool_printf(r->pool, "Администратор «%s»: %s. "
	    "После этого:", org, name));
	app_confirm_point(c, "права администратора снимаются, и человек "
	    "выходит из организации: из её классов, чатов и каналов "
	    "(сообщения останутся);");
	app_confirm_point(c, "ссылки-приглашения, созданные этим "
	    "администратором, перестанут работать; вернуться в организацию "
	    "по ссылке или заявке можно будет, только если новый "
	    "администратор разрешит;");
	app_confirm_point(c, "снятому администратору придёт SMS или письмо "
	    "об этом.");
	if (n == 1)
		html_set_str(c, "note", "Это единственный администратор: "
		    "организацией некому будет управлять, пока вы не привяжете "
		    "номер нового администратора на странице организации.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/operator/orgs/%lld/admins/%lld/remove", r->id[0], r->id[1]),
	    "Снять права", pool_printf(r->pool, "/operator/orgs/%lld",
	    r->id[0]));
}

/*
 * POST /operator/orgs/ID/admins/ACCOUNT/remove
 * Operator.  Takes an administrator out of the organization
 * (member_end), as any removal: their grants, classes, chats and links
 * end, they are barred from coming back, the database writes the audit
 * row, and they are told by SMS or e-mail.  303 to the organization;
 * not an administrator there: 404.
 */
static int
org_admin_remove(struct http_req *r)
{
	int	 rc;

	if (db_begin() == -1)
		return app_db_error();
	rc = member_end(r->id[0], r->id[1], r->user->id,
	    MEMBER_ADMIN_REMOVED);
	if (rc != MEMBER_OK)
		return member_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/operator/orgs/%lld",
	    r->id[0]));
}

/*
 * GET /operator/stats[?format=csv]
 * Operator.  Organizations by region (a bar chart: a list of regions,
 * each with its bar and number, legible on a phone) and by type,
 * members by role, pending requests; the same figures as CSV.
 */
static int
stats(struct http_req *r)
{
	struct html_ctx	*c, *item;
	struct csv	 out;
	PGresult	*reg, *typ, *mem, *pen;
	const char	*fmt = http_query(r, "format");
	long long	 max = 1, n;
	int		 i, rows = 0, as_csv;

	as_csv = fmt != NULL && strcmp(fmt, "csv") == 0;
	reg = db_exec(&q_stats_region, PGRES_TUPLES_OK);
	typ = db_exec(&q_stats_type, PGRES_TUPLES_OK);
	mem = db_exec(&q_stats_members, PGRES_TUPLES_OK);
	pen = db_exec(&q_stats_pending, PGRES_TUPLES_OK);
	if (reg == NULL || typ == NULL || mem == NULL || pen == NULL)
		return app_db_error();
	if (as_csv) {
		app_csv(r, &out, "parta-stats.csv");
		/* The region's code is the one code a person uses (70 is
		 * Tomsk); types and roles are named. */
		csv_row(&out, "Раздел", "Код региона", "Название",
		    "Количество", NULL);
		for (i = 0; i < PQntuples(reg); i++)
			csv_row(&out, "Организации по регионам",
			    db_get(reg, i, "code"), db_get(reg, i, "name"),
			    db_get(reg, i, "orgs"), NULL);
		for (i = 0; i < PQntuples(typ); i++)
			csv_row(&out, "Организации по типам", "",
			    org_type_plural(db_get(typ, i, "org_type")),
			    db_get(typ, i, "orgs"), NULL);
		for (i = 0; i < PQntuples(mem); i++)
			csv_row(&out, "Участники по ролям", "",
			    org_role_plural(db_get(mem, i, "role")),
			    db_get(mem, i, "n"), NULL);
		csv_row(&out, "Заявки на регистрацию", "", "На рассмотрении",
		    db_get(pen, 0, "n"), NULL);
		goto out;
	}
	c = operator_ctx(r, "Статистика");
	for (i = 0; i < PQntuples(reg); i++)
		if ((n = db_getll(reg, i, "orgs")) > max)
			max = n;
	/* The chart shows regions that have organizations. */
	for (i = 0; i < PQntuples(reg); i++) {
		n = db_getll(reg, i, "orgs");
		item = html_list_add(c, "regions");
		html_set_str(item, "code", db_get(reg, i, "code"));
		html_set_str(item, "name", db_get(reg, i, "name"));
		html_set_int(item, "orgs", n);
		if (n == 0)
			continue;
		/* A bar's length in per cent of the longest (at least 1). */
		item = html_list_add(c, "bars");
		html_set_str(item, "name", db_get(reg, i, "name"));
		html_set_int(item, "orgs", n);
		html_set_int(item, "pct", n * 100 / max > 0 ? n * 100 / max : 1);
		rows++;
	}
	html_set_bool(c, "has_bars", rows > 0);
	for (i = 0; i < PQntuples(typ); i++) {
		item = html_list_add(c, "types");
		html_set_str(item, "name", org_type_plural(db_get(typ, i,
		    "org_type")));
		html_set_str(item, "orgs", db_get(typ, i, "orgs"));
	}
	for (i = 0; i < PQntuples(mem); i++) {
		item = html_list_add(c, "roles");
		html_set_str(item, "name", org_role_plural(db_get(mem, i,
		    "role")));
		html_set_str(item, "n", db_get(mem, i, "n"));
	}
	html_set_str(c, "pending", db_get(pen, 0, "n"));
	(void)app_page(r, HTTP_OK, "operator_stats", c);
out:
	return 0;
}

int
main(int argc, char *argv[])
{
	return app_main("operator", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
