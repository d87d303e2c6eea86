#include <stdio.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "member.h"
#include "outbox.h"

/* The words the database functions answer with, as results. */
static const struct {
	const char	*word;
	int		 result;
} member_words[] = {
	{ "ok", MEMBER_OK },
	{ "not_member", MEMBER_NOT_FOUND },
	{ "not_found", MEMBER_NOT_FOUND },
	{ "not_barred", MEMBER_NOT_FOUND },
	{ "forbidden", MEMBER_FORBIDDEN },
	{ "admin", MEMBER_ADMIN },
	{ "last_admin", MEMBER_LAST_ADMIN },
	{ "exists", MEMBER_EXISTS },
	{ "decided", MEMBER_DECIDED },
	{ "archived", MEMBER_ARCHIVED },
	{ "class", MEMBER_BAD_CLASS },
	{ "not_student", MEMBER_NOT_STUDENT },
	{ "not_teacher", MEMBER_NOT_TEACHER },
	{ "same", MEMBER_SAME },
	{ "guardian", MEMBER_GUARDIAN },
	{ "applied", MEMBER_DECIDED },
	{ "nothing", MEMBER_NOTHING },
};

static const struct db_stmt q_end = {
	"member_end",
	"SELECT parta.member_end($1, $2, nullif($3, '0')::bigint, $4) AS r"
};

static const struct db_stmt q_unbar = {
	"member_unbar",
	"SELECT parta.member_unbar($1, $2, nullif($3, '0')::bigint) AS r"
};

static const struct db_stmt q_move = {
	"member_move",
	"SELECT parta.student_move($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_teacher_add = {
	"member_teacher_add",
	"SELECT parta.subject_teacher_add($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_teacher_remove = {
	"member_teacher_remove",
	"SELECT parta.subject_teacher_remove($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_homeroom_set = {
	"member_homeroom_set",
	"SELECT parta.homeroom_set($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_homeroom_unset = {
	"member_homeroom_unset",
	"SELECT parta.homeroom_unset($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_decide = {
	"member_decide",
	"SELECT parta.application_decide_checked($1, $2, $3, $4, $5,"
	" nullif($6, '0')::bigint) AS r"
};

static const struct db_stmt q_roster_apply = {
	"member_roster_apply",
	"SELECT parta.roster_apply($1, $2, $3, $4::int[]) AS r"
};

/* The applications an apply of roster $2 accepted (its rows joined by
 * an application: the roster was a draft before). */
static const struct db_stmt q_roster_accepted = {
	"member_roster_accepted",
	"SELECT application_id FROM parta.roster_row"
	" WHERE org_id = $1 AND roster_id = $2 AND state = 'joined'"
	" AND application_id IS NOT NULL ORDER BY line"
};

/* Where to tell the applicant of application $2 about its decision. */
static const struct db_stmt q_applicant = {
	"member_applicant",
	"SELECT o.short_name, p.phone, p.phone_verified, p.email,"
	" p.email_verified"
	" FROM parta.application a"
	" JOIN parta.account p ON p.id = a.account_id"
	" JOIN parta.org o ON o.id = a.org_id"
	" WHERE a.org_id = $1 AND a.id = $2"
};

/*
 * Administrator changes.  The grants of an organization that still wait
 * for their phone are revoked when another phone is bound; their phones
 * are told.
 */
static const struct db_stmt q_admin_revoke = {
	"member_admin_revoke",
	"UPDATE parta.admin_grant SET revoked_at = now(),"
	" revoked_by = nullif($2, '0')::bigint"
	" WHERE org_id = $1 AND applied_at IS NULL AND revoked_at IS NULL"
	" RETURNING phone"
};

static const struct db_stmt q_admin_grant = {
	"member_admin_grant",
	"INSERT INTO parta.admin_grant (org_id, phone, granted_by)"
	" VALUES ($1, $2, nullif($3, '0')::bigint)"
};

/* Applied at once when the phone's owner has proved it. */
static const struct db_stmt q_admin_apply = {
	"member_admin_apply",
	"SELECT a.id, parta.admin_grants_apply(a.id) AS n"
	" FROM parta.account a WHERE a.phone = $1 AND a.phone_verified"
};

static const struct db_stmt q_org_name = {
	"member_org_name",
	"SELECT short_name FROM parta.org WHERE id = $1"
};

/* Where to tell a person: their verified phone, else verified e-mail. */
static const struct db_stmt q_contact = {
	"member_contact",
	"SELECT CASE WHEN phone_verified THEN phone ELSE email END AS address,"
	" phone_verified FROM parta.account WHERE id = $1"
	" AND (phone_verified OR email_verified)"
};

/* The short name of organization org into buf: 0, or -1. */
static int
member_org_name(long long org, char *buf, size_t bufsz)
{
	PGresult	*res;
	char		 id[24];

	snprintf(id, sizeof(id), "%lld", org);
	if ((res = db_exec(&q_org_name, PGRES_TUPLES_OK, id)) == NULL)
		return -1;
	snprintf(buf, bufsz, "%s", PQntuples(res) == 1 ?
	    db_get(res, 0, "short_name") : "");
	return 0;
}

long long
member_admin_bind(long long org, const char *phone, long long actor,
    const char *site)
{
	PGresult	*res;
	char		 o[24], who[24], name[400], text[1024];
	long long	 account = 0;
	int		 i;

	snprintf(o, sizeof(o), "%lld", org);
	snprintf(who, sizeof(who), "%lld", actor);
	if (member_org_name(org, name, sizeof(name)) == -1)
		return MEMBER_ERROR;
	if ((res = db_exec(&q_admin_revoke, PGRES_TUPLES_OK, o, who)) ==
	    NULL)
		return MEMBER_ERROR;
	for (i = 0; i < PQntuples(res); i++) {
		if (strcmp(db_get(res, i, "phone"), phone) == 0)
			continue;
		snprintf(text, sizeof(text), "Парта: администратором "
		    "организации «%s» оператор назначил другого человека. "
		    "Права администратора по номеру %s больше не ждут входа.",
		    name, db_get(res, i, "phone"));
		if (outbox_queue(OUTBOX_SMS, db_get(res, i, "phone"), text) ==
		    -1) {
			return MEMBER_ERROR;
		}
	}
	if ((res = db_exec(&q_admin_grant, PGRES_COMMAND_OK, o, phone,
	    who)) == NULL)
		return MEMBER_ERROR;
	if ((res = db_exec(&q_admin_apply, PGRES_TUPLES_OK, phone)) == NULL)
		return MEMBER_ERROR;
	if (PQntuples(res) == 1)
		account = db_getll(res, 0, "id");
	if (account > 0 && site != NULL)
		snprintf(text, sizeof(text), "Парта: вы назначены "
		    "администратором организации «%s». Она уже в вашем "
		    "профиле: %s/org/%lld", name, site, org);
	else if (account > 0)
		snprintf(text, sizeof(text), "Парта: вы назначены "
		    "администратором организации «%s». Она уже в вашем "
		    "профиле.", name);
	else
		snprintf(text, sizeof(text), "Парта: вы назначены "
		    "администратором организации «%s». Войдите%s%s с номером "
		    "%s и подтвердите его кодом из SMS — права появятся сразу.",
		    name, site != NULL ? " на " : "", site != NULL ? site : "",
		    phone);
	if (outbox_queue(OUTBOX_SMS, phone, text) == -1)
		return MEMBER_ERROR;
	return account;
}

/* Tell account that they are no longer an administrator of org. */
static int
member_admin_removed(long long org, long long account)
{
	PGresult	*res;
	char		 id[24], name[400], text[1024];
	int		 rc = 0;

	if (member_org_name(org, name, sizeof(name)) == -1)
		return -1;
	snprintf(id, sizeof(id), "%lld", account);
	if ((res = db_exec(&q_contact, PGRES_TUPLES_OK, id)) == NULL)
		return -1;
	snprintf(text, sizeof(text), "Парта: вы больше не администратор "
	    "организации «%s» и не состоите в ней — оператор платформы снял "
	    "ваши права. Если это ошибка, напишите в поддержку Парты.", name);
	if (PQntuples(res) == 1)
		rc = outbox_queue(db_getbool(res, 0, "phone_verified") ?
		    OUTBOX_SMS : OUTBOX_EMAIL, db_get(res, 0, "address"), text);
	return rc;
}

int
member_result_of(const char *word)
{
	size_t	 i;

	for (i = 0; i < sizeof(member_words) / sizeof(member_words[0]); i++)
		if (strcmp(word, member_words[i].word) == 0)
			return member_words[i].result;
	return MEMBER_ERROR;
}

/* Run q with n numbers and then the strings in s: the result word. */
static int
member_call(const struct db_stmt *q, int n, const long long *num,
    int ns, const char *const *s)
{
	char		 buf[6][24];
	const char	*params[8];
	PGresult	*res;
	int		 k, result;

	for (k = 0; k < n; k++) {
		snprintf(buf[k], sizeof(buf[k]), "%lld", num[k]);
		params[k] = buf[k];
	}
	for (k = 0; k < ns; k++)
		params[n + k] = s[k];
	if ((res = db_execv(q, PGRES_TUPLES_OK, n + ns, params)) == NULL)
		return MEMBER_ERROR;
	if ((result = member_result_of(db_get(res, 0, "r"))) == MEMBER_ERROR)
		log_err(q->name, "unknown answer %s", db_get(res, 0, "r"));
	return result;
}

int
member_end(long long org, long long account, long long actor,
    enum member_how how)
{
	static const char *const hows[] = { "removed", "admin_removed",
	    "left" };
	const long long	 num[] = { org, account, actor };
	int		 rc;

	rc = member_call(&q_end, 3, num, 1, &hows[how]);
	if (rc == MEMBER_OK && how == MEMBER_ADMIN_REMOVED &&
	    member_admin_removed(org, account) == -1)
		return MEMBER_ERROR;
	return rc;
}

int
member_unbar(long long org, long long account, long long actor)
{
	const long long	 num[] = { org, account, actor };

	return member_call(&q_unbar, 3, num, 0, NULL);
}

int
member_move(long long org, long long account, long long to,
    long long actor)
{
	const long long	 num[] = { org, account, to, actor };

	return member_call(&q_move, 4, num, 0, NULL);
}

int
member_teacher_add(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_teacher_add, 4, num, 0, NULL);
}

int
member_teacher_remove(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_teacher_remove, 4, num, 0, NULL);
}

int
member_homeroom_set(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_homeroom_set, 4, num, 0, NULL);
}

int
member_homeroom_unset(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_homeroom_unset, 4, num, 0, NULL);
}

int
member_decide(long long org, long long app, long long actor, int accept,
    const char *reason, long long cls)
{
	const long long	 num[] = { org, app, actor };
	char		 c[24];
	const char	*s[3];

	snprintf(c, sizeof(c), "%lld", cls);
	s[0] = accept ? "accepted" : "rejected";
	s[1] = reason != NULL ? reason : "";
	s[2] = c;
	return member_call(&q_decide, 3, num, 3, s);
}

int
member_decided_tell(long long org, long long app, int accept,
    const char *reason)
{
	PGresult	*res;
	const char	*org_name, *base = config->base_url;
	char		 o[24], a[24], text[1024];
	int		 rc = 0;

	snprintf(o, sizeof(o), "%lld", org);
	snprintf(a, sizeof(a), "%lld", app);
	if ((res = db_exec(&q_applicant, PGRES_TUPLES_OK, o, a)) == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		/* Decided a moment ago in this very transaction. */
		log_err("notify", "application %lld is gone", app);
		return -1;
	}
	org_name = db_get(res, 0, "short_name");
	if (reason == NULL)
		reason = "";
	if (accept)
		snprintf(text, sizeof(text), "Парта: ваша заявка в «%s» "
		    "принята. Добро пожаловать! %s/me/applications/%lld",
		    org_name, base != NULL ? base : "", app);
	else
		snprintf(text, sizeof(text), "Парта: ваша заявка в «%s» "
		    "отклонена.%s%s%s %s/me/applications/%lld", org_name,
		    reason[0] ? " Причина: " : "", reason, reason[0] ? "." : "",
		    base != NULL ? base : "", app);
	if (db_getbool(res, 0, "phone_verified"))
		rc = outbox_queue(OUTBOX_SMS, db_get(res, 0, "phone"), text);
	else if (db_getbool(res, 0, "email_verified"))
		rc = outbox_queue(OUTBOX_EMAIL, db_get(res, 0, "email"), text);
	else
		log_info("notify", "application %lld: applicant has no "
		    "verified contact", app);
	return rc == -1 ? -1 : 0;
}

int
member_roster_apply(long long org, long long roster, long long actor,
    const char *lines)
{
	const long long	 num[] = { org, roster, actor };
	PGresult	*res;
	char		 o[24], r[24];
	int		 i, rc;

	if ((rc = member_call(&q_roster_apply, 3, num, 1, &lines)) !=
	    MEMBER_OK)
		return rc;
	snprintf(o, sizeof(o), "%lld", org);
	snprintf(r, sizeof(r), "%lld", roster);
	if ((res = db_exec(&q_roster_accepted, PGRES_TUPLES_OK, o, r)) ==
	    NULL)
		return MEMBER_ERROR;
	for (i = 0; i < PQntuples(res); i++)
		if (member_decided_tell(org, db_getll(res, i,
		    "application_id"), 1, "") == -1)
			return MEMBER_ERROR;
	return MEMBER_OK;
}

int
member_http_status(int result)
{
	switch (result) {
	case MEMBER_OK:
		return 0;
	case MEMBER_NOT_FOUND:
		return HTTP_NOT_FOUND;
	case MEMBER_FORBIDDEN:
	case MEMBER_ADMIN:
		return HTTP_FORBIDDEN;
	case MEMBER_BAD_CLASS:
	case MEMBER_NOT_TEACHER:
	case MEMBER_NOTHING:
		return HTTP_UNPROCESSABLE;
	case MEMBER_ERROR:
		return app_db_error();
	default:
		return HTTP_CONFLICT;
	}
}
