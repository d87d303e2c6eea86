/*
 * Organization registration, the operator's desk and organization pages:
 * sign-up → request with a document → operator approves → the owner of
 * the verified phone is admin; rejections, validation, duplicates, scopes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

struct orgreq {
	const char	*region;
	const char	*inn;
	const char	*kpp;
	const char	*phone;
	const char	*doc;
	size_t		 doclen;
	const char	*docname;
};

/* POST /register/org as multipart/form-data. */
static long
post_request(struct t_client *c, const struct orgreq *q)
{
	const struct t_orgreq r = { q->region, "Муниципальное автономное"
	    " общеобразовательное учреждение «Школа № 7»", "Школа № 7", q->inn,
	    q->kpp, "Соколова", "Анна", "Игоревна", q->phone,
	    "г. Томск, ул. Ленина, 1", q->docname, "application/octet-stream",
	    q->doc, q->doclen };

	return t_orgreq_post(c, &r);
}

/* A person files a request for a new organization administered by the
 * owner of phone: the request id, or -1. */
static long long
file_request(struct t_person *p, const char *phone, char inn[11],
    char kpp[10])
{
	struct orgreq	 q = { "70", inn, kpp, phone, pdf, sizeof(pdf) - 1,
	    "prikaz.pdf" };

	t_unique_inn(inn, kpp);
	t_form(&p->c, "/register/org");
	if (post_request(&p->c, &q) != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/register/org/");
}

static void
register_approve_admin(void)
{
	struct t_person	 applicant, admin;
	struct t_client	 op;
	char		 inn[11], kpp[10], path[128];
	long long	 req, org;

	t_signup(&applicant, "Заявителев", "Пётр");
	t_signup(&admin, "Соколова", "Анна");
	T_EQ(t_get(&applicant.c, "/register/org"), 200);
	T_HAS(&applicant.c, "70 — Томская область");
	T_HAS(&applicant.c, "enctype=\"multipart/form-data\"");
	req = file_request(&applicant, admin.phone, inn, kpp);
	T_TRUE(req > 0);
	snprintf(path, sizeof(path), "/register/org/%lld", req);
	T_EQ(t_get(&applicant.c, path), 200);
	T_HAS(&applicant.c, "на рассмотрении");
	/* Someone else's request is not there for them. */
	T_EQ(t_get(&admin.c, path), 404);

	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(t_get(&op, "/operator/requests"), 200);
	snprintf(path, sizeof(path), "/operator/requests/%lld", req);
	T_HAS(&op, path);
	T_EQ(t_get(&op, path), 200);
	T_HAS(&op, inn);
	snprintf(path, sizeof(path), "/operator/requests/%lld/document", req);
	T_EQ(t_get(&op, path), 200);
	T_STREQ(t_header(&op, "Content-Type"), "application/pdf");
	T_TRUE(strncmp(t_header(&op, "Content-Disposition"), "attachment",
	    10) == 0);
	T_TRUE(strncmp(op.r.body, "%PDF-1.4", 8) == 0);

	snprintf(path, sizeof(path), "/operator/requests/%lld", req);
	t_form(&op, path);
	snprintf(path, sizeof(path), "/operator/requests/%lld/approve", req);
	T_EQ(t_postf(&op, path, "x=1"), 303);
	/* Deciding again: 409. */
	T_EQ(t_postf(&op, path, "x=1"), 409);

	/* The verified owner of the phone is admin, and lands there. */
	org = atoll(t_sql("SELECT org_id FROM parta.org_request WHERE id = %lld",
	    req));
	T_TRUE(org > 0);
	t_client_free(&admin.c);
	T_EQ(t_login(&admin), 0);
	snprintf(path, sizeof(path), "/org/%lld", org);
	T_STREQ(t_header(&admin.c, "Location"), path);
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "Школа № 7");
	T_HAS(&admin.c, "С чего начать");
	T_HAS(&admin.c, "Администратор");
	/* The applicant sees the approval. */
	snprintf(path, sizeof(path), "/register/org/%lld", req);
	T_EQ(t_get(&applicant.c, path), 200);
	T_HAS(&applicant.c, "одобрена");
	T_EQ(t_outbox_count(applicant.phone), 2);
	/* The same INN and KPP again: 409 with what to do. */
	{
		struct orgreq q = { "70", inn, kpp, admin.phone, pdf,
		    sizeof(pdf) - 1, "p.pdf" };

		t_form(&applicant.c, "/register/org");
		T_EQ(post_request(&applicant.c, &q), 409);
		T_HAS(&applicant.c, "назначить нового");
	}
	t_client_free(&op);
	t_client_free(&admin.c);
	t_client_free(&applicant.c);
}

static void
unverified_phone_gets_nothing(void)
{
	struct t_person	 applicant;
	struct t_client	 owner, op;
	char		 inn[11], kpp[10], phone[16], path[128], code[7];
	char		*msg;
	long long	 req, org;

	t_signup(&applicant, "Заявителев", "Иван");
	/* The phone is signed up but not verified. */
	t_unique_phone(phone);
	t_client_init(&owner);
	t_form(&owner, "/register");
	T_EQ(t_postf(&owner, "/register", "last_name=A&first_name=B&gender=m"
	    "&birth_date=1980-01-01&phone=%s&consent=1&password=longenough",
	    t_enc(phone)), 303);
	snprintf(code, sizeof(code), "%s", t_outbox_code(phone));
	req = file_request(&applicant, phone, inn, kpp);
	T_TRUE(req > 0);
	T_TRUE(t_operator_login(&op) == 0);
	snprintf(path, sizeof(path), "/operator/requests/%lld", req);
	t_form(&op, path);
	snprintf(path, sizeof(path), "/operator/requests/%lld/approve", req);
	T_EQ(t_postf(&op, path, "x=1"), 303);
	org = atoll(t_sql("SELECT org_id FROM parta.org_request WHERE id = %lld",
	    req));
	snprintf(path, sizeof(path), "/org/%lld", org);
	T_EQ(t_get(&owner, path), 404);
	/* The phone is told, with what to do. */
	msg = t_outbox_last(phone);
	T_TRUE(msg != NULL && strstr(msg, "назначены администратором") !=
	    NULL && strstr(msg, "подтвердите") != NULL);
	free(msg);
	/* Proving the phone makes them admin. */
	t_form(&owner, "/verify");
	T_EQ(t_postf(&owner, "/verify", "code=%s", code), 303);
	T_EQ(t_get(&owner, path), 200);
	T_HAS(&owner, "С чего начать");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'admin_grant_applied'", org), "1");
	t_client_free(&owner);
	t_client_free(&op);
	t_client_free(&applicant.c);
}

static void
reject_with_reason(void)
{
	struct t_person	 applicant;
	struct t_client	 op;
	char		 inn[11], kpp[10], path[128];
	long long	 req;
	char		*msg;

	t_signup(&applicant, "Отказов", "Семён");
	req = file_request(&applicant, applicant.phone, inn, kpp);
	T_TRUE(req > 0);
	T_TRUE(t_operator_login(&op) == 0);
	snprintf(path, sizeof(path), "/operator/requests/%lld", req);
	t_form(&op, path);
	snprintf(path, sizeof(path), "/operator/requests/%lld/reject", req);
	T_EQ(t_postf(&op, path, "reason="), 422);
	T_HAS(&op, "id=\"reason_error\"");
	T_EQ(t_postf(&op, path, "reason=%s", t_enc("Приказ не подписан "
	    "руководителем <b>")), 303);
	snprintf(path, sizeof(path), "/register/org/%lld", req);
	T_EQ(t_get(&applicant.c, path), 200);
	T_HAS(&applicant.c, "отклонена");
	T_HAS(&applicant.c, "Приказ не подписан руководителем &lt;b&gt;");
	msg = t_outbox_last(applicant.phone);
	T_TRUE(msg != NULL && strstr(msg, "Приказ не подписан") != NULL);
	free(msg);
	/* Nothing was created. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.org WHERE inn = '%s'", inn),
	    "0");
	t_client_free(&op);
	t_client_free(&applicant.c);
}

static void
request_validation(void)
{
	struct t_person	 p;
	char		 inn[11], kpp[10], badinn[11];
	struct orgreq	 q = { "70", NULL, NULL, NULL, pdf, sizeof(pdf) - 1,
	    "p.pdf" };
	char		*big;
	size_t		 bign = 10 * 1024 * 1024 + 1;

	t_signup(&p, "Проверкин", "Олег");
	t_unique_inn(inn, kpp);
	q.inn = inn;
	q.kpp = kpp;
	q.phone = p.phone;
	t_form(&p.c, "/register/org");
	/* Wrong INN checksum. */
	snprintf(badinn, sizeof(badinn), "%.9s%c", inn,
	    inn[9] == '9' ? '0' : inn[9] + 1);
	q.inn = badinn;
	T_EQ(post_request(&p.c, &q), 422);
	T_HAS(&p.c, "id=\"inn_error\"");
	T_HAS(&p.c, "Школа № 7");
	q.inn = inn;
	/* Unknown region. */
	q.region = "99";
	T_EQ(post_request(&p.c, &q), 422);
	T_HAS(&p.c, "id=\"region_error\"");
	q.region = "70";
	/* A text file named .pdf: the type comes from the bytes. */
	q.doc = "just text, not a pdf";
	q.doclen = strlen(q.doc);
	T_EQ(post_request(&p.c, &q), 422);
	T_HAS(&p.c, "id=\"document_error\"");
	/* A landline for the administrator. */
	q.doc = pdf;
	q.doclen = sizeof(pdf) - 1;
	q.phone = "+7 3822 123456";
	T_EQ(post_request(&p.c, &q), 422);
	T_HAS(&p.c, "id=\"admin_phone_error\"");
	q.phone = p.phone;
	/* Over 10 MiB. */
	big = malloc(bign);
	memset(big, 'x', bign);
	memcpy(big, "%PDF-", 5);
	q.doc = big;
	q.doclen = bign;
	T_EQ(post_request(&p.c, &q), 413);
	free(big);
	T_STREQ(t_sql("SELECT count(*) FROM parta.org_request WHERE inn = '%s'",
	    inn), "0");
	t_client_free(&p.c);
}

static void
operator_pages_hidden(void)
{
	static const char *const pages[] = { "/operator/requests",
	    "/operator/stats", "/operator/orgs", "/operator/requests/1" };
	struct t_person	 p;
	struct t_client	 anon;
	size_t		 i;

	t_signup(&p, "Любопытный", "Кирилл");
	t_client_init(&anon);
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		T_EQ(t_get(&p.c, pages[i]), 404);
		T_EQ(t_get(&anon, pages[i]), 303);
	}
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, "/operator/requests/1/approve", "x=1"), 404);
	t_client_free(&anon);
	t_client_free(&p.c);
}

struct race {
	struct t_client	 op[2];
	char		 path[128];
	long		 status[2];
};

static void
race_one(int i, void *arg)
{
	struct race	*r = arg;

	r->status[i] = t_postf(&r->op[i], r->path, "x=1");
}

static void
two_operators_one_request(void)
{
	struct t_person	 applicant;
	struct race	 r;
	char		 inn[11], kpp[10], path[128];
	long long	 req;
	int		 i;

	t_signup(&applicant, "Гонкин", "Антон");
	T_TRUE(t_operator_login(&r.op[0]) == 0);
	T_TRUE(t_operator_login(&r.op[1]) == 0);
	for (i = 0; i < 20; i++) {
		req = file_request(&applicant, applicant.phone, inn, kpp);
		T_TRUE(req > 0);
		snprintf(path, sizeof(path), "/operator/requests/%lld", req);
		t_form(&r.op[0], path);
		t_form(&r.op[1], path);
		snprintf(r.path, sizeof(r.path),
		    "/operator/requests/%lld/approve", req);
		t_parallel(2, race_one, &r);
		T_TRUE((r.status[0] == 303 && r.status[1] == 409) ||
		    (r.status[0] == 409 && r.status[1] == 303));
		T_STREQ(t_sql("SELECT count(*) FROM parta.org WHERE inn = '%s'",
		    inn), "1");
		T_STREQ(t_sql("SELECT count(*) FROM parta.admin_grant g JOIN "
		    "parta.org o ON o.id = g.org_id WHERE o.inn = '%s'", inn),
		    "1");
	}
	t_client_free(&r.op[0]);
	t_client_free(&r.op[1]);
	t_client_free(&applicant.c);
}

static void
admin_change_and_remove(void)
{
	struct t_person	 first, second;
	struct t_client	 op;
	char		 path[128];
	long long	 org, first_id;

	t_signup(&first, "Первая", "Админ");
	t_signup(&second, "Второй", "Админ");
	org = t_org_create(&first, "Лицей № 2");
	first_id = atoll(t_sql("SELECT id FROM parta.account WHERE phone = '%s'"
	    " AND phone_verified", first.phone));
	snprintf(path, sizeof(path), "/org/%lld", org);
	T_EQ(t_get(&second.c, path), 404);
	T_TRUE(t_operator_login(&op) == 0);
	snprintf(path, sizeof(path), "/operator/orgs/%lld", org);
	T_EQ(t_get(&op, path), 200);
	T_HAS(&op, "Первая Админ");
	snprintf(path, sizeof(path), "/operator/orgs/%lld/admin", org);
	T_EQ(t_postf(&op, path, "phone=123"), 422);
	T_EQ(t_postf(&op, path, "phone=%s", t_enc(second.phone)), 303);
	snprintf(path, sizeof(path), "/org/%lld", org);
	T_EQ(t_get(&second.c, path), 200);
	T_HAS(&second.c, "С чего начать");
	/* Remove the first administrator. */
	snprintf(path, sizeof(path), "/operator/orgs/%lld", org);
	t_form(&op, path);
	snprintf(path, sizeof(path), "/operator/orgs/%lld/admins/%lld/remove",
	    org, first_id);
	T_EQ(t_postf(&op, path, "x=1"), 303);
	T_EQ(t_postf(&op, path, "x=1"), 404);
	snprintf(path, sizeof(path), "/org/%lld", org);
	T_EQ(t_get(&first.c, path), 404);
	T_STREQ(t_sql("SELECT string_agg(action, ',' ORDER BY id) FROM "
	    "parta.audit WHERE org_id = %lld AND action LIKE 'admin_%%'", org),
	    "admin_grant_applied,admin_change,admin_grant_applied,admin_remove");
	t_client_free(&op);
	t_client_free(&first.c);
	t_client_free(&second.c);
}

static void
stats_csv_and_chart(void)
{
	struct t_client	 op;

	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(t_get(&op, "/operator/stats"), 200);
	T_HAS(&op, "<ol class=\"bars\"");
	T_HAS(&op, "<svg class=\"bar\"");
	T_HAS(&op, "<span class=\"bar-name\">Томская область</span>");
	T_EQ(t_get(&op, "/operator/stats?format=csv"), 200);
	T_TRUE(strncmp(t_header(&op, "Content-Type"), "text/csv", 8) == 0);
#define STATS_HEAD "\xEF\xBB\xBF\"Раздел\";\"Код региона\";\"Название\";" \
	"\"Количество\"\r\n"
	T_TRUE(strncmp(op.r.body, STATS_HEAD, strlen(STATS_HEAD)) == 0);
	T_HAS(&op, "\"Организации по регионам\";\"70\";"
	    "\"Томская область\";");
	T_HAS(&op, "\"Заявки на регистрацию\";\"\";\"На рассмотрении\";");
	t_client_free(&op);
}

/* Times: the operator's pages in Moscow time, named; the applicant's and
 * the organization's pages in the region's time (Tomsk, UTC+7). */
static void
times_in_zones(void)
{
	struct t_person	 applicant, admin;
	struct t_client	 op;
	char		 inn[11], kpp[10], path[128];
	long long	 req, org, aid;

	t_signup(&applicant, "Часовой", "Пётр");
	t_signup(&admin, "Поясова", "Анна");
	T_TRUE((req = file_request(&applicant, admin.phone, inn, kpp)) > 0);
	T_TRUE(t_sql("UPDATE parta.org_request SET created_at = "
	    "'2025-03-01 20:30:00+00' WHERE id = %lld", req) != NULL);
	snprintf(path, sizeof(path), "/register/org/%lld", req);
	T_EQ(t_get(&applicant.c, path), 200);
	T_HAS(&applicant.c, "02.03.2025 03:30");
	T_LACKS(&applicant.c, "20:30");

	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(t_get(&op, "/operator/requests"), 200);
	T_HAS(&op, "01.03.2025 23:30 МСК");
	snprintf(path, sizeof(path), "/operator/requests/%lld", req);
	T_EQ(t_get(&op, path), 200);
	T_HAS(&op, "01.03.2025 23:30 МСК");
	T_LACKS(&op, "20:30");
	t_form(&op, path);
	snprintf(path, sizeof(path), "/operator/requests/%lld/approve", req);
	T_EQ(t_postf(&op, path, "x=1"), 303);
	T_TRUE(t_sql("UPDATE parta.org_request SET decided_at = "
	    "'2099-03-02 21:10:00+00' WHERE id = %lld", req) != NULL);
	T_EQ(t_get(&op, "/operator/requests"), 200);
	T_HAS(&op, "03.03.2099 00:10 МСК");
	T_TRUE(t_sql("UPDATE parta.org_request SET decided_at = now() WHERE "
	    "id = %lld", req) != NULL);

	/* The organization's own pages: the region's date. */
	org = atoll(t_sql("SELECT org_id FROM parta.org_request WHERE id = "
	    "%lld", req));
	aid = atoll(t_sql("SELECT id FROM parta.account WHERE phone = '%s'",
	    admin.phone));
	T_TRUE(t_sql("UPDATE parta.member SET joined_at = "
	    "'2025-03-01 20:30:00+00' WHERE org_id = %lld AND account_id = "
	    "%lld", org, aid) != NULL);
	t_client_free(&admin.c);
	T_EQ(t_login(&admin), 0);
	snprintf(path, sizeof(path), "/org/%lld/members/%lld", org, aid);
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "02.03.2025");
	T_LACKS(&admin.c, "01.03.2025");
	t_client_free(&op);
	t_client_free(&admin.c);
	t_client_free(&applicant.c);
}

static void
org_pages_scopes(void)
{
	struct t_person	 a, b, student;
	char		 path[160];
	long long	 org_a, org_b, sid, cls;

	t_signup(&a, "Админова", "Алла");
	t_signup(&b, "Чужой", "Борис");
	t_signup(&student, "Ученик", "Саша");
	org_a = t_org_create(&a, "Школа А");
	org_b = t_org_create(&b, "Школа Б");
	sid = atoll(t_sql("SELECT id FROM parta.account WHERE phone = '%s'"
	    " AND phone_verified", student.phone));
	T_TRUE(t_sql("INSERT INTO parta.member (org_id, account_id, role) "
	    "VALUES (%lld, %lld, 'student')", org_a, sid) != NULL);

	/* Another organization's pages do not exist for them. */
	snprintf(path, sizeof(path), "/org/%lld", org_b);
	T_EQ(t_get(&a.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/members", org_b);
	T_EQ(t_get(&a.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/edit", org_b);
	T_EQ(t_get(&a.c, path), 404);
	T_EQ(t_get(&a.c, "/org/999999999"), 404);

	/* Edit: admin only; bad fields 422; a script link is refused. */
	snprintf(path, sizeof(path), "/org/%lld/edit", org_a);
	T_EQ(t_get(&student.c, path), 403);
	t_form(&a.c, path);
	T_EQ(t_postf(&a.c, path, "short_name=%s&website=%s&email=nope",
	    t_enc("Школа А"), t_enc("javascript:alert(1)")), 422);
	T_HAS(&a.c, "id=\"website_error\"");
	T_HAS(&a.c, "id=\"email_error\"");
	T_EQ(t_postf(&a.c, path, "short_name=%s&address=%s&phone=%s"
	    "&email=info%%40school.ru&website=%s&description=%s",
	    t_enc("Школа «А»"), t_enc("Томск"), t_enc("+7 3822 12-34-56"),
	    t_enc("https://school.ru"), t_enc("Первая строка\nвторая")), 303);
	snprintf(path, sizeof(path), "/org/%lld", org_a);
	T_STREQ(t_header(&a.c, "Location"), path);
	T_EQ(t_get(&a.c, path), 200);
	T_HAS(&a.c, "Школа «А»");
	T_HAS(&a.c, "https://school.ru");
	/* The checklist ticks the profile now. */
	T_HAS(&a.c, "Заполнить профиль организации</a> <span class=\"ok\">");

	/* Members: the student sees the list, not the contacts or CSV. */
	snprintf(path, sizeof(path), "/org/%lld/members", org_a);
	T_EQ(t_get(&student.c, path), 200);
	T_HAS(&student.c, "Админова Алла");
	T_LACKS(&student.c, a.phone);
	T_EQ(t_get(&a.c, path), 200);
	T_HAS(&a.c, a.phone);
	/* A member's classes by name, by grade, the archived one left out
	 * (parta.member_classes): on the page and in the CSV. */
	t_class_member_add(org_a, t_class_add(org_a, 7, "Б", 0), sid,
	    "student");
	t_class_member_add(org_a, t_class_add(org_a, 5, "А", 0), sid,
	    "student");
	cls = t_class_add(org_a, 6, "В", 0);
	t_class_member_add(org_a, cls, sid, "student");
	T_TRUE(t_sql("UPDATE parta.class SET archived_at = now()"
	    " WHERE id = %lld", cls) != NULL);
	T_EQ(t_get(&a.c, path), 200);
	T_HAS(&a.c, "5А, 7Б");
	T_LACKS(&a.c, "6В");
	snprintf(path, sizeof(path), "/org/%lld/members?format=csv", org_a);
	T_EQ(t_get(&a.c, path), 200);
	T_HAS(&a.c, "\"5А, 7Б\"");
	T_LACKS(&a.c, "6В");
	/* A value a spreadsheet would run (say, from old data) is defused
	 * by a leading tab, not an apostrophe. */
	T_TRUE(t_sql("UPDATE parta.account SET patronymic = "
	    "'=HYPERLINK(\"http://x\")' WHERE id = %lld", sid) != NULL);
	snprintf(path, sizeof(path), "/org/%lld/members?format=csv", org_a);
	T_EQ(t_get(&student.c, path), 403);
	T_EQ(t_get(&a.c, path), 200);
	T_HAS(&a.c, "\"Ученик\";\"Саша\";\"\t=HYPERLINK(\"\"http://x\"\")\"");
	T_LACKS(&a.c, "'=");
	/* For Russian Excel: a BOM, ';' between fields; the phone keeps its
	 * "+" behind a tab (never a formula) and has no apostrophe. */
	T_TRUE(strncmp(a.c.r.body, "\xEF\xBB\xBF\"Номер профиля\";"
	    "\"Фамилия\";", strlen("\xEF\xBB\xBF\"Номер профиля\";"
	    "\"Фамилия\";")) == 0);
	{
		char	 cell[64];

		snprintf(cell, sizeof(cell), "\"\t%s\"", a.phone);
		T_HAS(&a.c, cell);
		snprintf(cell, sizeof(cell), "'%s", a.phone);
		T_LACKS(&a.c, cell);
	}
	/* Remove the student: audited, and the door closes. */
	snprintf(path, sizeof(path), "/org/%lld/members/%lld", org_a, sid);
	T_EQ(t_get(&a.c, path), 200);
	T_HAS(&a.c, "Исключить");
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/remove", org_a,
	    sid);
	T_EQ(t_postf(&student.c, path, "x=1"), 403);
	T_EQ(t_postf(&a.c, path, "x=1"), 303);
	snprintf(path, sizeof(path), "/org/%lld", org_a);
	T_EQ(t_get(&student.c, path), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld "
	    "AND action = 'member_remove' AND target_id = %lld", org_a, sid),
	    "1");
	t_client_free(&a.c);
	t_client_free(&b.c);
	t_client_free(&student.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "request, approve, verified phone is admin", register_approve_admin },
		{ "unverified phone is not admin until verified", unverified_phone_gets_nothing },
		{ "reject with a reason the applicant sees", reject_with_reason },
		{ "422 INN, region, type, phone; 413 size", request_validation },
		{ "operator pages 404 for others", operator_pages_hidden },
		{ "two operators, one request", two_operators_one_request },
		{ "admin change and removal, audited", admin_change_and_remove },
		{ "stats with CSV and SVG", stats_csv_and_chart },
		{ "times: Moscow for the operator, the region's for the rest",
		    times_in_zones },
		{ "org pages: scopes, edit, members, remove", org_pages_scopes },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
