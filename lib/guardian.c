/*
 * guardian: parents and young children (see guardian.h for the rules;
 * the database holds them, sql/0017_guardians.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "code.h"
#include "config.h"
#include "db.h"
#include "guardian.h"
#include "log.h"
#include "outbox.h"
#include "pool.h"

/* The words the database functions answer with, as results. */
static const struct {
	const char	*word;
	int		 result;
} guardian_words[] = {
	{ "ok", GUARDIAN_OK },
	{ "not_found", GUARDIAN_NOT_FOUND },
	{ "forbidden", GUARDIAN_FORBIDDEN },
	{ "self", GUARDIAN_SELF },
	{ "minor", GUARDIAN_MINOR },
	{ "student", GUARDIAN_STUDENT },
	{ "exists", GUARDIAN_EXISTS },
	{ "used", GUARDIAN_USED },
	{ "expired", GUARDIAN_EXPIRED },
	{ "decided", GUARDIAN_DECIDED },
	{ "contact", GUARDIAN_CONTACT },
	{ "not_young", GUARDIAN_NOT_YOUNG },
	{ "confirmer", GUARDIAN_CONFIRMER },
};

static const struct db_stmt q_young = {
	"guardian_young",
	"SELECT parta.child_young($1::date, $2::int) AS young"
};

/* A young child's account: a login name, no contact of their own. */
static const struct db_stmt q_child_insert = {
	"guardian_child_insert",
	"INSERT INTO parta.account (last_name, first_name, patronymic, gender,"
	" birth_date, login, password_hash)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	DB_UNIQUE_VIOLATION
};

static const struct db_stmt q_signup_start = {
	"guardian_signup_start",
	"SELECT parta.child_signup_start($1, $2, $3) AS r"
};

static const struct db_stmt q_signup_contact = {
	"guardian_signup_contact",
	"SELECT parta.child_signup_contact($1, $2) AS r"
};

/* A waiting child, as their parent's message names them. */
static const struct db_stmt q_waiting = {
	"guardian_waiting",
	"SELECT a.first_name, a.last_name, a.gender, coalesce(a.login, '')"
	" AS login, cs.contact,"
	" parta.msk_time(cs.created_at) AS created"
	" FROM parta.child_signup cs JOIN parta.account a ON a.id = cs.child_id"
	" WHERE cs.child_id = $1 AND cs.confirmed_at IS NULL"
};

/* The contact child $1's waiting sign-up names, when parent $2 has
 * proven it. */
static const struct db_stmt q_waiting_for = {
	"guardian_waiting_for",
	"SELECT cs.contact FROM parta.child_signup cs"
	" JOIN parta.account p ON p.id = $2"
	" WHERE cs.child_id = $1 AND cs.confirmed_at IS NULL"
	" AND ((p.phone = cs.contact AND p.phone_verified)"
	"  OR (p.email = cs.contact AND p.email_verified))"
};

static const struct db_stmt q_child_confirm = {
	"guardian_child_confirm",
	"SELECT parta.child_confirm($1, $2) AS r"
};

static const struct db_stmt q_link_confirm = {
	"guardian_link_confirm",
	"SELECT result AS r, coalesce(child, 0) AS child"
	" FROM parta.parent_link_confirm(decode($1, 'hex'), $2)"
};

static const struct db_stmt q_remove = {
	"guardian_remove",
	"SELECT parta.guardian_remove(nullif($1, '0')::bigint, $2, $3, $4,"
	" $5::int) AS r"
};

/* What removing would answer, with the two names for the page. */
static const struct db_stmt q_remove_check = {
	"guardian_remove_check",
	"SELECT parta.guardian_remove_check(nullif($1, '0')::bigint, $2, $3,"
	" $4, $5::int) AS r, parta.person_name($2) AS parent_name,"
	" parta.person_name($3) AS child_name,"
	" (SELECT gender FROM parta.account WHERE id = $2) AS gender"
};

static const struct db_stmt q_may_reset = {
	"guardian_may_reset",
	"SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM parta.guardian"
	"  WHERE parent_id = $1 AND child_id = $2) THEN 'not_found'"
	" WHEN parta.guardian_may_reset($1, $2, $3::int) THEN 'ok'"
	" ELSE 'forbidden' END AS r"
};

static const struct db_stmt q_password = {
	"guardian_password",
	"SELECT parta.child_password_set($1, $2, $3, $4) AS r"
};

/*
 * The homeroom teachers of child $1's current classes who can be told
 * (a proven e-mail, else a phone), and what to tell them of guardian $2.
 */
static const struct db_stmt q_notify = {
	"guardian_notify",
	"SELECT DISTINCT ON (h.account_id) h.account_id,"
	" t.email_verified AS by_email,"
	" CASE WHEN t.email_verified THEN t.email ELSE t.phone END AS address,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" s.org_id, c.first_name, c.last_name, c.gender,"
	" parta.person_name($2) AS parent_name,"
	" (SELECT how FROM parta.guardian WHERE parent_id = $2"
	"  AND child_id = $1) AS how"
	" FROM parta.class_member s"
	" JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id"
	"  AND k.archived_at IS NULL"
	" JOIN parta.class_member h ON h.org_id = s.org_id"
	"  AND h.class_id = s.class_id AND h.role = 'homeroom'"
	" JOIN parta.account t ON t.id = h.account_id"
	"  AND (t.email_verified OR t.phone_verified)"
	" JOIN parta.account c ON c.id = s.account_id"
	" WHERE s.account_id = $1 AND s.role = 'student'"
	" ORDER BY h.account_id, k.year DESC, k.id"
};

/* The guardians of the request's account (parta.rls_account(): /me
 * sends it with the session's lookup, APP_ONE_TRIP), a student's, and
 * whether they may remove each (a young child, of fewer than $1 years,
 * may not); the date in the region of the child's school, as the member
 * card and the class page show it (Moscow for a child of none). */
static const struct db_stmt q_mine = {
	"guardian_mine",
	"SELECT g.parent_id, parta.person_name(g.parent_id) AS name,"
	" p.gender, g.how, coalesce((SELECT to_char(g.confirmed_at"
	"  AT TIME ZONE rg.tz, 'DD.MM.YYYY') FROM parta.member m"
	"  JOIN parta.org o ON o.id = m.org_id"
	"  JOIN parta.region rg ON rg.code = o.region"
	"  WHERE m.account_id = g.child_id AND m.role = 'student'"
	"  ORDER BY m.org_id LIMIT 1),"
	" parta.msk_date(g.confirmed_at)) AS since,"
	" parta.guardian_remove_check(NULL, g.parent_id, g.child_id,"
	"  g.child_id, $1::int) = 'ok' AS removable"
	" FROM parta.guardian g JOIN parta.account p ON p.id = g.parent_id"
	" WHERE g.child_id = parta.rls_account()"
	" ORDER BY g.confirmed_at, g.parent_id"
};

static const struct db_stmt q_manager = {
	"guardian_manager",
	"SELECT parta.guardian_manager($1, $2, $3) AS manager,"
	" (SELECT gender FROM parta.account WHERE id = $2) AS gender"
};

/* The guardians of student $2 of organization $1, dates in its time. */
static const struct db_stmt q_of_child = {
	"guardian_of_child",
	"SELECT g.parent_id, parta.person_name(g.parent_id) AS name, g.how,"
	" to_char(g.confirmed_at AT TIME ZONE rg.tz, 'DD.MM.YYYY') AS since"
	" FROM parta.guardian g, parta.org o"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE o.id = $1 AND g.child_id = $2"
	" ORDER BY g.confirmed_at, g.parent_id"
};

/* Each student of class $2 and their guardians, the rows person $3
 * manages (parta.guardian_manager). */
static const struct db_stmt q_of_class = {
	"guardian_of_class",
	"SELECT s.account_id AS child_id,"
	" parta.person_name(s.account_id) AS child_name, c.gender,"
	" coalesce(g.parent_id, 0) AS parent_id,"
	" coalesce(parta.person_name(g.parent_id), '') AS parent_name,"
	" coalesce(g.how, '') AS how,"
	" coalesce(to_char(g.confirmed_at AT TIME ZONE rg.tz, 'DD.MM.YYYY'),"
	"  '') AS since"
	" FROM parta.class_member s"
	" JOIN parta.account c ON c.id = s.account_id"
	" JOIN parta.org o ON o.id = s.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.guardian g ON g.child_id = s.account_id"
	" WHERE s.org_id = $1 AND s.class_id = $2 AND s.role = 'student'"
	" AND parta.guardian_manager($1, s.account_id, $3)"
	" ORDER BY c.last_name, c.first_name, s.account_id, g.confirmed_at,"
	"  g.parent_id"
};

/* Guardians confirmed in the last 14 days for the students of person
 * $2's homeroom classes in organization $1. */
static const struct db_stmt q_news = {
	"guardian_news",
	"SELECT DISTINCT ON (g.confirmed_at, g.parent_id, g.child_id)"
	" g.child_id, parta.person_name(g.child_id) AS child_name, c.gender,"
	" parta.person_name(g.parent_id) AS parent_name, g.how,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" to_char(g.confirmed_at AT TIME ZONE rg.tz, 'DD.MM.YYYY') AS since"
	" FROM parta.class_member h"
	" JOIN parta.class k ON k.org_id = h.org_id AND k.id = h.class_id"
	"  AND k.archived_at IS NULL"
	" JOIN parta.class_member s ON s.org_id = h.org_id"
	"  AND s.class_id = h.class_id AND s.role = 'student'"
	" JOIN parta.guardian g ON g.child_id = s.account_id"
	"  AND g.confirmed_at > now() - interval '14 days'"
	" JOIN parta.account c ON c.id = s.account_id"
	" JOIN parta.org o ON o.id = h.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE h.org_id = $1 AND h.account_id = parta.rls_account()"
	" AND h.role = 'homeroom'"
	" ORDER BY g.confirmed_at DESC, g.parent_id, g.child_id"
};

/* A parent's children, and whether they may set each one's password. */
static const struct db_stmt q_children = {
	"guardian_children",
	"SELECT g.child_id, parta.person_name(g.child_id) AS name,"
	" a.first_name, a.gender, coalesce(a.login, '') AS login,"
	" parta.guardian_may_reset($1, g.child_id, $2::int) AS may_reset"
	" FROM parta.guardian g JOIN parta.account a ON a.id = g.child_id"
	" WHERE g.parent_id = $1 AND a.deleted_at IS NULL"
	" ORDER BY g.confirmed_at, g.child_id"
};

/* Their current classes, and the class's parents' chat when the parent
 * is in it. */
static const struct db_stmt q_children_classes = {
	"guardian_children_classes",
	"SELECT s.account_id AS child_id, s.org_id, o.short_name AS org_name,"
	" k.id AS class_id, parta.class_name(k.grade, k.letter, k.title)"
	" AS class_name,"
	" coalesce((SELECT ch.id FROM parta.chat ch JOIN parta.chat_member cm"
	"  ON cm.org_id = ch.org_id AND cm.chat_id = ch.id"
	"  AND cm.account_id = $1"
	"  WHERE ch.org_id = s.org_id AND ch.class_id = s.class_id"
	"  AND ch.purpose = 'parents'), 0) AS parents_chat"
	" FROM parta.guardian g JOIN parta.class_member s"
	" ON s.account_id = g.child_id AND s.role = 'student'"
	" JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id"
	"  AND k.archived_at IS NULL"
	" JOIN parta.org o ON o.id = s.org_id"
	" WHERE g.parent_id = $1 ORDER BY s.account_id, k.year DESC, k.id"
};

/* The teachers of those classes (parta.direct_related: the ones a
 * guardian may write to). */
static const struct db_stmt q_children_teachers = {
	"guardian_children_teachers",
	"SELECT t.org_id, t.class_id, t.account_id,"
	" parta.person_name(t.account_id) AS name,"
	" bool_or(t.role = 'homeroom') AS homeroom"
	" FROM parta.guardian g JOIN parta.class_member s"
	" ON s.account_id = g.child_id AND s.role = 'student'"
	" JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id"
	"  AND k.archived_at IS NULL"
	" JOIN parta.class_member t ON t.org_id = s.org_id"
	"  AND t.class_id = s.class_id AND t.role IN ('teacher', 'homeroom')"
	" JOIN parta.member tm ON tm.org_id = t.org_id"
	"  AND tm.account_id = t.account_id"
	" WHERE g.parent_id = $1 AND t.account_id <> $1"
	" GROUP BY t.org_id, t.class_id, t.account_id"
	" ORDER BY t.org_id, t.class_id, bool_or(t.role = 'homeroom') DESC,"
	"  parta.person_name(t.account_id), t.account_id"
};

/* Young children waiting for a contact person $1 has proven. */
static const struct db_stmt q_waiting_mine = {
	"guardian_waiting_mine",
	"SELECT cs.child_id, parta.person_name(cs.child_id) AS name,"
	" a.first_name, a.gender, coalesce(a.login, '') AS login,"
	" to_char(a.birth_date, 'DD.MM.YYYY') AS birth, cs.contact"
	" FROM parta.child_signup cs JOIN parta.account a ON a.id = cs.child_id"
	" JOIN parta.account p ON p.id = $1"
	" WHERE cs.confirmed_at IS NULL"
	" AND ((p.phone = cs.contact AND p.phone_verified)"
	"  OR (p.email = cs.contact AND p.email_verified))"
	" ORDER BY cs.created_at, cs.child_id"
};

/* The word for a woman (f) or a man: "дочь"/"сын". */
static const char *
g(const char *gender, const char *f, const char *m)
{
	return gender != NULL && strcmp(gender, "f") == 0 ? f : m;
}

int
guardian_result_of(const char *word)
{
	size_t	 i;

	for (i = 0; i < sizeof(guardian_words) / sizeof(guardian_words[0]);
	    i++)
		if (strcmp(word, guardian_words[i].word) == 0)
			return guardian_words[i].result;
	log_err("guardian", "unknown answer %s", word);
	return GUARDIAN_ERROR;
}

/* Run q (its answer in column r): a result. */
static int
guardian_call(const struct db_stmt *q, int n, const char *const *params)
{
	PGresult	*res;
	int		 rc;

	if ((res = db_execv(q, PGRES_TUPLES_OK, n, params)) == NULL)
		return GUARDIAN_ERROR;
	rc = guardian_result_of(db_get(res, 0, "r"));
	return rc;
}

static int
guardian_code_result(int rc)
{
	switch (rc) {
	case CODE_OK:
		return GUARDIAN_OK;
	case CODE_LIMIT:
		return GUARDIAN_LIMIT;
	case CODE_WRONG:
	case CODE_NONE:
		return GUARDIAN_WRONG;
	default:
		return GUARDIAN_ERROR;
	}
}

int
guardian_young(const char *birth)
{
	char		 age[16];
	PGresult	*res;
	int		 young;

	snprintf(age, sizeof(age), "%d", config->child_age);
	if ((res = db_exec(&q_young, PGRES_TUPLES_OK, birth, age)) == NULL)
		return -1;
	young = db_getbool(res, 0, "young");
	return young;
}

/* The code for the waiting child to its parent at contact, with what the
 * parent needs: who asks, where to confirm, how long the code lives. */
static int
guardian_code_send(struct http_req *r, long long child, const char *first,
    const char *last, const char *gender, const char *login,
    const char *contact, int *retry)
{
	const char	*phone = code_channel(contact);

	/* The code comes before the login name, which may hold digits. */
	return guardian_code_result(code_send_text(child, CODE_CHILD, phone,
	    contact, pool_printf(r->pool, "%s %s регистрируется в Парте — "
	    "школьной платформе — и %s вас как родителя. Код "
	    "подтверждения: ", first, last, g(gender, "указала", "указал")),
	    pool_printf(r->pool, ". Если это %s, откройте "
	    "%s/chats/family/confirm, войдите или зарегистрируйтесь с этим "
	    "%s и введите код: так вы подтвердите регистрацию и станете %s "
	    "родителем в Парте. Код действует 3 дня. Логин %s для входа: %s. "
	    "Если это не ваш ребёнок, ничего не делайте.",
	    g(gender, "ваша дочь", "ваш сын"), app_base_url(r),
	    strcmp(phone, "phone") == 0 ? "номером телефона" :
	    "адресом почты", g(gender, "её", "его"), g(gender, "дочери",
	    "сына"), login), retry));
}

int
guardian_child_signup(struct http_req *r, const char *last,
    const char *first, const char *patronymic, const char *gender,
    const char *birth, const char *login, const char *hash,
    const char *contact, long long *child, int *retry)
{
	const char	*params[3];
	PGresult	*res;
	int		 rc;

	*child = 0;
	res = db_exec(&q_child_insert, PGRES_TUPLES_OK, last, first,
	    patronymic, gender, birth, login, hash);
	if (res == NULL)
		return strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) == 0 ?
		    GUARDIAN_TAKEN : GUARDIAN_ERROR;
	*child = db_getll(res, 0, "id");
	params[0] = app_num(r, *child);
	params[1] = contact;
	params[2] = app_num(r, config->child_age);
	if ((rc = guardian_call(&q_signup_start, 3, params)) != GUARDIAN_OK)
		return rc;
	if (code_account_hit(*child, retry) == CODE_ERROR)
		return GUARDIAN_ERROR;
	return guardian_code_send(r, *child, first, last, gender, login,
	    contact, retry);
}

int
guardian_child_resend(struct http_req *r, const char *contact, int *retry)
{
	const char	*params[2], *first, *last, *gender, *login;
	PGresult	*res;
	int		 rc;

	params[0] = app_num(r, r->user->id);
	switch (code_account_hit(r->user->id, retry)) {
	case CODE_OK:
		break;
	case CODE_LIMIT:
		return GUARDIAN_ACCOUNT_LIMIT;
	default:
		return GUARDIAN_ERROR;
	}
	if (contact != NULL && contact[0] != '\0') {
		params[1] = contact;
		if ((rc = guardian_call(&q_signup_contact, 2, params)) !=
		    GUARDIAN_OK)
			return rc;
	}
	if ((res = db_exec(&q_waiting, PGRES_TUPLES_OK, params[0])) == NULL)
		return GUARDIAN_ERROR;
	if (PQntuples(res) != 1)
		return GUARDIAN_NOT_FOUND;
	first = pool_strdup(r->pool, db_get(res, 0, "first_name"));
	last = pool_strdup(r->pool, db_get(res, 0, "last_name"));
	gender = pool_strdup(r->pool, db_get(res, 0, "gender"));
	login = pool_strdup(r->pool, db_get(res, 0, "login"));
	contact = pool_strdup(r->pool, db_get(res, 0, "contact"));
	return guardian_code_send(r, r->user->id, first, last, gender, login,
	    contact, retry);
}

/*
 * Tell the homeroom teachers of child's current classes that parent is
 * now the child's guardian: 0, or -1.
 */
static int
guardian_notify(struct http_req *r, long long child, long long parent)
{
	PGresult	*res;
	const char	*gender, *text;
	int		 i;

	if ((res = db_exec(&q_notify, PGRES_TUPLES_OK, app_num(r, child),
	    app_num(r, parent))) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		gender = db_get(res, i, "gender");
		text = pool_printf(r->pool, "Парта, класс %s: подтверждён новый "
		    "родитель. %s: %s %s. Родитель: %s (%s). Если вы не знаете "
		    "этого человека, уберите его на странице %s: "
		    "%s/org/%s/members/%lld",
		    db_get(res, i, "class_name"),
		    g(gender, "Ученица", "Ученик"),
		    db_get(res, i, "last_name"), db_get(res, i, "first_name"),
		    db_get(res, i, "parent_name"),
		    strcmp(db_get(res, i, "how"), "signup") == 0 ?
		    "при регистрации ребёнка" :
		    g(gender, "по ссылке от ученицы", "по ссылке от ученика"),
		    g(gender, "ученицы", "ученика"), app_base_url(r),
		    db_get(res, i, "org_id"), child);
		if (outbox_queue(db_getbool(res, i, "by_email") ? OUTBOX_EMAIL :
		    OUTBOX_SMS, db_get(res, i, "address"), text) == -1) {
			return -1;
		}
	}
	return 0;
}

int
guardian_child_confirm(struct http_req *r, long long child,
    const char *code, int *retry)
{
	struct code_found	 f;
	const char		*params[2], *contact;
	PGresult		*res;
	int			 rc;

	params[0] = app_num(r, child);
	params[1] = app_num(r, r->user->id);
	if ((res = db_execv(&q_waiting_for, PGRES_TUPLES_OK, 2, params)) ==
	    NULL)
		return GUARDIAN_ERROR;
	if (PQntuples(res) != 1)
		return GUARDIAN_NOT_FOUND;
	contact = pool_strdup(r->pool, db_get(res, 0, "contact"));
	rc = guardian_code_result(code_check(child, CODE_CHILD, "", contact,
	    code, &f, retry));
	if (rc != GUARDIAN_OK)
		return rc;
	if ((rc = guardian_call(&q_child_confirm, 2, params)) != GUARDIAN_OK)
		return rc;
	return guardian_notify(r, child, r->user->id) == -1 ? GUARDIAN_ERROR :
	    GUARDIAN_OK;
}

int
guardian_link_confirm(struct http_req *r, const char *hash,
    long long *child)
{
	PGresult	*res;
	int		 rc;

	*child = 0;
	if ((res = db_exec(&q_link_confirm, PGRES_TUPLES_OK, hash,
	    app_num(r, r->user->id))) == NULL)
		return GUARDIAN_ERROR;
	rc = guardian_result_of(db_get(res, 0, "r"));
	*child = db_getll(res, 0, "child");
	if (rc != GUARDIAN_OK)
		return rc;
	return guardian_notify(r, *child, r->user->id) == -1 ? GUARDIAN_ERROR :
	    GUARDIAN_OK;
}

int
guardian_remove(struct http_req *r, long long org, long long parent,
    long long child)
{
	const char	*params[5];

	params[0] = app_num(r, org);
	params[1] = app_num(r, parent);
	params[2] = app_num(r, child);
	params[3] = app_num(r, r->user->id);
	params[4] = app_num(r, config->child_age);
	return guardian_call(&q_remove, 5, params);
}

int
guardian_refused_page(struct http_req *r, int result)
{
	struct html_ctx	*c;

	if (result != GUARDIAN_CONFIRMER)
		return guardian_http_status(result);
	c = app_ctx(r);
	html_set_str(c, "title", "Убрать этого родителя может только школа");
	html_set_str(c, "message", guardian_refusal_text(result));
	return app_page(r, guardian_http_status(result), "error", c);
}

int
guardian_remove_confirm(struct http_req *r, long long org, long long parent,
    long long child, const char *action, const char *back)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;
	const char	*g;
	int		 rc;
	int		 self = org == 0;

	res = db_exec(&q_remove_check, PGRES_TUPLES_OK, app_num(r, org),
	    app_num(r, parent), app_num(r, child), app_num(r, r->user->id),
	    app_num(r, config->child_age));
	if (res == NULL)
		return app_db_error();
	if ((rc = guardian_result_of(db_get(res, 0, "r"))) != GUARDIAN_OK)
		return guardian_refused_page(r, rc);
	html_set_str(c, "title", pool_printf(r->pool, "Убрать %s из %s?",
	    db_get(res, 0, "parent_name"), self ? "ваших родителей" :
	    pool_printf(r->pool, "родителей ученика %s",
	    db_get(res, 0, "child_name"))));
	g = pool_strdup(r->pool, db_get(res, 0, "gender"));
	html_set_str(c, "lead", "Сразу после этого:");
	app_confirm_point(c, pool_printf(r->pool, "%s из родительского чата "
	    "класса (%s сообщения останутся);", ru_gender(g, "он выйдет",
	    "она выйдет"), ru_gender(g, "его", "её")));
	app_confirm_point(c, pool_printf(r->pool, "%s личные чаты %s "
	    "закроются;", ru_gender(g, "его", "её"), self ? "с вами и с "
	    "вашими учителями" : "с учеником и с учителями класса"));
	app_confirm_point(c, pool_printf(r->pool, "вернуть %s можно будет "
	    "только новой ссылкой для родителя, которую сделает ученик.",
	    ru_gender(g, "его", "её")));
	return app_confirm(r, c, action, "Убрать", back);
}

int
guardian_child_may_reset(struct http_req *r, long long child)
{
	const char	*params[3];

	params[0] = app_num(r, r->user->id);
	params[1] = app_num(r, child);
	params[2] = app_num(r, config->child_age);
	return guardian_call(&q_may_reset, 3, params);
}

int
guardian_child_password(struct http_req *r, long long child,
    const char *hash)
{
	const char	*params[4];

	params[0] = app_num(r, r->user->id);
	params[1] = app_num(r, child);
	params[2] = hash;
	params[3] = app_num(r, config->child_age);
	return guardian_call(&q_password, 4, params);
}

const char *
guardian_refusal_text(int result)
{
	switch (result) {
	case GUARDIAN_SELF:
		return "Это ссылка для вашего родителя: подтвердить её сами вы "
		    "не можете. Отправьте её маме, папе или другому законному "
		    "представителю.";
	case GUARDIAN_MINOR:
		return "Родителем (законным представителем) в Парте может быть "
		    "только взрослый — человек, которому исполнилось 18 лет. "
		    "Пусть подтвердит взрослый со своего профиля.";
	case GUARDIAN_STUDENT:
		return "Этот профиль — профиль ученика, а ученик не может быть "
		    "родителем в Парте. Пусть родитель войдёт в свой профиль "
		    "или зарегистрирует новый.";
	case GUARDIAN_EXISTS:
		return "Вы уже подтверждены как родитель этого ребёнка.";
	case GUARDIAN_USED:
		return "Этой ссылкой уже воспользовались: она действует один "
		    "раз. Попросите ребёнка создать новую.";
	case GUARDIAN_EXPIRED:
		return "Срок действия ссылки истёк: она действует 14 дней. "
		    "Попросите ребёнка создать новую.";
	case GUARDIAN_DECIDED:
		return "Регистрацию этого ребёнка уже подтвердил родитель.";
	case GUARDIAN_CONTACT:
		return "Код отправлен на другой телефон или адрес почты: "
		    "войдите в профиль, где он подтверждён.";
	case GUARDIAN_CONFIRMER:
		return "Этот родитель подтвердил вашу регистрацию в Парте, "
		    "поэтому убрать его сами вы не можете. Если это ошибка, "
		    "скажите классному руководителю или администратору "
		    "школы: они могут это сделать.";
	default:
		return "Это действие выполнить нельзя.";
	}
}

int
guardian_http_status(int result)
{
	switch (result) {
	case GUARDIAN_OK:
		return 0;
	case GUARDIAN_NOT_FOUND:
		return HTTP_NOT_FOUND;
	case GUARDIAN_FORBIDDEN:
	case GUARDIAN_SELF:
	case GUARDIAN_CONFIRMER:
		return HTTP_FORBIDDEN;
	case GUARDIAN_USED:
	case GUARDIAN_EXPIRED:
		return HTTP_GONE;
	case GUARDIAN_WRONG:
	case GUARDIAN_TAKEN:
		return HTTP_UNPROCESSABLE;
	case GUARDIAN_LIMIT:
	case GUARDIAN_ACCOUNT_LIMIT:
		return HTTP_TOO_MANY;
	case GUARDIAN_ERROR:
		return app_db_error();
	default:
		return HTTP_CONFLICT;
	}
}

int
guardian_waiting_page(struct http_req *r, int status,
    const char *contact_error)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;
	const char	*contact;

	/* After a refused resend, what is committed: not the contact the
	 * refused request named. */
	app_rollback();
	html_set_str(c, "title", "Ждём подтверждения родителя");
	html_set_str(c, "full_name", auth_user_name(r));
	html_set_bool(c, "sent", status == HTTP_OK &&
	    http_query(r, "sent") != NULL);
	if ((res = db_exec(&q_waiting, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) == 1) {
		contact = db_get(res, 0, "contact");
		html_set_str(c, "contact", contact);
		html_set_bool(c, "by_sms", contact[0] == '+');
		app_set_cols(c, res, 0, "login", "created", NULL);
	}
	if (contact_error != NULL) {
		html_set_str(c, "parent_error", contact_error);
		if (http_form(r, "parent") != NULL)
			html_set_str(c, "parent", http_form(r, "parent"));
	}
	return app_page(r, status, "me_waiting", c);
}

struct db_query *
guardian_me_send(struct http_req *r)
{
	return db_send(&q_mine, PGRES_TUPLES_OK, app_num(r, config->child_age));
}

int
guardian_me_read(struct db_query *q, struct html_ctx *c)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*gender;
	int		 i;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	html_set_bool(c, "has_my_guardians", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "my_guardians");
		gender = db_get(res, i, "gender");
		app_set_cols(item, res, i, "parent_id", "name", "since", NULL);
		html_set_str(item, "how", strcmp(db_get(res, i, "how"),
		    "signup") == 0 ? g(gender, "подтвердила вашу регистрацию",
		    "подтвердил вашу регистрацию") : "по вашей ссылке");
		html_set_bool(item, "removable", db_getbool(res, i,
		    "removable"));
	}
	return 0;
}

/* How a guardian was confirmed, for staff: "по ссылке от ученицы",
 * "при регистрации ребёнка". */
static const char *
how_text(const char *how, const char *child_gender)
{
	if (strcmp(how, "signup") == 0)
		return "при регистрации ребёнка";
	return g(child_gender, "по ссылке от ученицы", "по ссылке от ученика");
}

int
guardian_member_ctx(struct http_req *r, struct html_ctx *c, long long org,
    long long child)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*gender;
	int		 i;

	if ((res = db_exec(&q_manager, PGRES_TUPLES_OK, app_num(r, org),
	    app_num(r, child), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (!db_getbool(res, 0, "manager"))
		return 0;
	gender = pool_strdup(r->pool, db_get(res, 0, "gender"));
	if ((res = db_exec(&q_of_child, PGRES_TUPLES_OK, app_num(r, org),
	    app_num(r, child))) == NULL)
		return app_db_error();
	html_set_bool(c, "guardians_section", 1);
	html_set_str(c, "guardians_whose", g(gender, "Её", "Его"));
	html_list_init(c, "guardians");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "guardians");
		app_set_cols(item, res, i, "parent_id", "name", "since", NULL);
		html_set_str(item, "how", how_text(db_get(res, i, "how"),
		    gender));
	}
	return 0;
}

int
guardian_class_ctx(struct http_req *r, struct html_ctx *c, long long org,
    long long cls)
{
	struct html_ctx	*pupil = NULL, *item;
	PGresult	*res;
	long long	 last = 0, id;
	int		 i, without = 0;

	if ((res = db_exec(&q_of_class, PGRES_TUPLES_OK, app_num(r, org),
	    app_num(r, cls), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	html_set_bool(c, "guardians_section", PQntuples(res) > 0);
	html_set_int(c, "child_age", config->child_age);
	for (i = 0; i < PQntuples(res); i++) {
		id = db_getll(res, i, "child_id");
		if (pupil == NULL || id != last) {
			pupil = html_list_add(c, "g_pupils");
			html_set_str(pupil, "child_id", db_get(res, i,
			    "child_id"));
			html_set_str(pupil, "child_name", db_get(res, i,
			    "child_name"));
			html_list_init(pupil, "g_parents");
			last = id;
			if (db_getll(res, i, "parent_id") == 0)
				without++;
		}
		if (db_getll(res, i, "parent_id") == 0)
			continue;
		item = html_list_add(pupil, "g_parents");
		html_set_str(item, "parent_id", db_get(res, i, "parent_id"));
		html_set_str(item, "parent_name", db_get(res, i,
		    "parent_name"));
		html_set_str(item, "since", db_get(res, i, "since"));
		html_set_str(item, "how", how_text(db_get(res, i, "how"),
		    db_get(res, i, "gender")));
	}
	if (without > 0)
		html_set_strf(c, "g_without", "%d %s без подтверждённых "
		    "родителей", without, ru_plural(without, "ученик",
		    "ученика", "учеников"));
	return 0;
}

struct db_query *
guardian_news_send(struct http_req *r, long long org)
{
	return db_send(&q_news, PGRES_TUPLES_OK, app_num(r, org));
}

int
guardian_news_ctx(struct http_req *r, struct html_ctx *c, long long org)
{
	return guardian_news_read(guardian_news_send(r, org), c);
}

int
guardian_news_read(struct db_query *q, struct html_ctx *c)
{
	struct html_ctx	*item;
	PGresult	*res;
	int		 i;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	html_set_bool(c, "has_new_guardians", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "new_guardians");
		app_set_cols(item, res, i, "child_id", "child_name",
		    "parent_name", "class_name", "since", NULL);
		html_set_str(item, "how", how_text(db_get(res, i, "how"),
		    db_get(res, i, "gender")));
	}
	return 0;
}

/* The children of a family page, found by id. */
struct guardian_kid {
	long long	 id;
	struct html_ctx	*item;
};

/* A class of a family page, found by organization and id. */
struct guardian_class {
	long long	 org, id;
	struct html_ctx	*item;
};

int
guardian_family_ctx(struct http_req *r, struct html_ctx *c,
    long long err_child, const char *error)
{
	struct guardian_kid	*kids;
	struct guardian_class	*classes;
	struct html_ctx		*item, *k;
	PGresult		*res;
	const char		*me = app_num(r, r->user->id), *gender;
	int			 i, j, nkids, nclasses;

	if ((res = db_exec(&q_children, PGRES_TUPLES_OK, me, app_num(r,
	    config->child_age))) == NULL)
		return app_db_error();
	nkids = PQntuples(res);
	kids = pool_zalloc(r->pool, sizeof(*kids) * (size_t)(nkids + 1));
	html_set_bool(c, "has_children", nkids > 0);
	for (i = 0; i < nkids; i++) {
		k = html_list_add(c, "children");
		gender = db_get(res, i, "gender");
		kids[i].id = db_getll(res, i, "child_id");
		kids[i].item = k;
		app_set_cols(k, res, i, "child_id", "name", "first_name",
		    "login", NULL);
		html_set_str(k, "relation", g(gender, "Ваша дочь", "Ваш сын"));
		html_set_str(k, "write_child", g(gender, "Написать дочери",
		    "Написать сыну"));
		html_set_str(k, "whose", g(gender, "её", "его"));
		html_set_bool(k, "may_reset", db_getbool(res, i, "may_reset"));
		html_set_bool(k, "in_class", 0);
		html_set_str(k, "password_error", error != NULL &&
		    kids[i].id == err_child ? error : "");
		html_list_init(k, "classes");
	}

	if ((res = db_exec(&q_children_classes, PGRES_TUPLES_OK, me)) ==
	    NULL)
		return app_db_error();
	nclasses = PQntuples(res);
	classes = pool_zalloc(r->pool, sizeof(*classes) *
	    (size_t)(nclasses + 1));
	for (i = 0; i < nclasses; i++) {
		for (j = 0; j < nkids; j++)
			if (kids[j].id == db_getll(res, i, "child_id"))
				break;
		if (j == nkids)
			continue;
		html_set_bool(kids[j].item, "in_class", 1);
		item = html_list_add(kids[j].item, "classes");
		app_set_cols(item, res, i, "org_id", "org_name", "class_name",
		    NULL);
		if (db_getll(res, i, "parents_chat") > 0)
			html_set_str(item, "parents_chat", db_get(res, i,
			    "parents_chat"));
		else
			html_set_str(item, "parents_chat", "");
		html_list_init(item, "teachers");
		classes[i].org = db_getll(res, i, "org_id");
		classes[i].id = db_getll(res, i, "class_id");
		classes[i].item = item;
	}

	if ((res = db_exec(&q_children_teachers, PGRES_TUPLES_OK, me)) ==
	    NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++)
		for (j = 0; j < nclasses; j++) {
			if (classes[j].item == NULL ||
			    classes[j].org != db_getll(res, i, "org_id") ||
			    classes[j].id != db_getll(res, i, "class_id"))
				continue;
			item = html_list_add(classes[j].item, "teachers");
			html_set_str(item, "teacher_id", db_get(res, i,
			    "account_id"));
			html_set_str(item, "teacher_name", db_get(res, i,
			    "name"));
			html_set_bool(item, "homeroom", db_getbool(res, i,
			    "homeroom"));
		}

	if ((res = db_exec(&q_waiting_mine, PGRES_TUPLES_OK, me)) == NULL)
		return app_db_error();
	if (PQntuples(res) > 0)
		html_set_strf(c, "waiting_words", "%d %s %s вашего "
		    "подтверждения", PQntuples(res), ru_plural(PQntuples(res),
		    "ребёнок", "ребёнка", "детей"), PQntuples(res) % 10 == 1 &&
		    PQntuples(res) % 100 != 11 ? "ждёт" : "ждут");
	return 0;
}

int
guardian_confirm_ctx(struct http_req *r, struct html_ctx *c,
    long long err_child, const char *error)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*gender;
	int		 i;

	if ((res = db_exec(&q_waiting_mine, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	html_set_bool(c, "has_waiting", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "waiting");
		gender = db_get(res, i, "gender");
		app_set_cols(item, res, i, "child_id", "name", "first_name",
		    "login", "birth", "contact", NULL);
		html_set_str(item, "yes", g(gender, "Да, это моя дочь",
		    "Да, это мой сын"));
		html_set_str(item, "question", g(gender, "Это ваша дочь?",
		    "Это ваш сын?"));
		html_set_str(item, "to_child", g(gender, "ей", "ему"));
		html_set_str(item, "whose", g(gender, "её", "его"));
		html_set_str(item, "code_error", error != NULL &&
		    db_getll(res, i, "child_id") == err_child ? error : "");
	}
	return 0;
}
