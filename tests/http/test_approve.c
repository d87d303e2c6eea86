/*
 * Reviewing join requests (program approve): who sees which
 * applications, accepting and rejecting, bulk decisions, final
 * decisions under concurrency, the menu badge, the audit log and its
 * CSV export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

/* A school: its admin, classes 5А and 6Б, a homeroom teacher of 5А, a
 * teacher who is not a homeroom teacher, a student. */
struct school {
	struct t_person	 admin, homeroom, teacher, student;
	long long	 admin_id, homeroom_id, student_id;
	long long	 org, class5, class6;
};

/* p a member of org, as approve makes them (a student unverified). */
static int
member_add(long long org, const struct t_person *p, const char *role)
{
	return t_member_add(org, p->id, role, strcmp(role, "student") != 0);
}

static void
school_new(struct school *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	t_signup(&s->admin, "Админова", "Алла");
	t_signup(&s->homeroom, "Классная", "Клавдия");
	t_signup(&s->teacher, "Предметник", "Пётр");
	t_signup(&s->student, "Учащийся", "Устин");
	s->admin_id = s->admin.id;
	s->homeroom_id = s->homeroom.id;
	s->student_id = s->student.id;
	s->org = t_org_create(&s->admin, name);
	s->class5 = t_class_add(s->org, 5, "А", 2025);
	s->class6 = t_class_add(s->org, 6, "Б", 2025);
	member_add(s->org, &s->homeroom, "teacher");
	member_add(s->org, &s->teacher, "teacher");
	member_add(s->org, &s->student, "student");
	t_class_member_add(s->org, s->class5, s->homeroom_id, "homeroom");
}

static void
school_free(struct school *s)
{
	t_client_free(&s->admin.c);
	t_client_free(&s->homeroom.c);
	t_client_free(&s->teacher.c);
	t_client_free(&s->student.c);
}

/* p applies by a fresh link of the school made by its admin: the
 * application's id, or -1. */
static long long
apply_by_link(struct school *s, struct t_person *p, const char *role,
    long long class)
{
	char	 token[44];

	t_token_new(token);
	t_invite_add(s->org, s->admin_id, role, class, 5, token);
	return t_join(p, token);
}

/* p applies without a link. */
static long long
apply_self(struct school *s, struct t_person *p, const char *role,
    long long class)
{
	return t_apply_self(p, s->org, role, class);
}

static const char *
status_of(long long app)
{
	return t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app);
}

static void
scopes(void)
{
	struct school	 s, other;
	struct t_person	 t, a, b;
	long long	 app_t, app_a, app_b, app_o;
	char		 q[128];

	school_new(&s, "Школа Областей");
	school_new(&other, "Соседняя Школа");
	t_signup(&t, "Новый", "Учитель");
	t_signup(&a, "Ученица", "Пятого");
	t_signup(&b, "Ученик", "Шестого");
	app_t = apply_by_link(&s, &t, "teacher", 0);
	app_a = apply_self(&s, &a, "student", s.class5);
	app_b = apply_by_link(&s, &b, "student", s.class6);
	app_o = apply_by_link(&other, &a, "student", other.class5);
	T_TRUE(app_t > 0 && app_a > 0 && app_b > 0 && app_o > 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);

	/* The admin: all three, oldest first, with how they came. */
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "Новый Учитель");
	T_HAS(&s.admin.c, "Ученица Пятого");
	T_HAS(&s.admin.c, "Ученик Шестого");
	T_TRUE(strstr(s.admin.c.r.body, "Новый Учитель") <
	    strstr(s.admin.c.r.body, "Ученица Пятого"));
	T_TRUE(strstr(s.admin.c.r.body, "Ученица Пятого") <
	    strstr(s.admin.c.r.body, "Ученик Шестого"));
	T_HAS(&s.admin.c, "подана самостоятельно");
	/* The link's author is a woman (t_signup). */
	T_HAS(&s.admin.c, "её создала Админова Алла");
	/* A link without a label: no space before the comma. */
	T_HAS(&s.admin.c, "по <a href=\"/org/");
	T_HAS(&s.admin.c, "\">ссылке</a>, её создала");
	T_LACKS(&s.admin.c, " , её");
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app_t)), 200);
	T_HAS(&s.admin.c, "\">ссылке</a>, её создала");
	T_LACKS(&s.admin.c, " , её");
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"3 новые заявки\"");
	T_LACKS(&s.admin.c, "Соседняя");
	/* Filters. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s?role=teacher", q)), 200);
	T_HAS(&s.admin.c, "Новый Учитель");
	T_LACKS(&s.admin.c, "Ученица Пятого");
	T_EQ(t_get(&s.admin.c, t_fmt("%s?role=&class_id=%lld", q,
	    s.class6)), 200);
	T_HAS(&s.admin.c, "Ученик Шестого");
	T_LACKS(&s.admin.c, "Ученица Пятого");
	T_LACKS(&s.admin.c, "Новый Учитель");
	T_EQ(t_get(&s.admin.c, t_fmt("%s?role=boss", q)), 422);
	T_HAS(&s.admin.c, "id=\"role_error\"");
	T_EQ(t_get(&s.admin.c, t_fmt("%s?class_id=abc", q)), 422);

	/* The homeroom teacher of 5А: only that class's student. */
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_HAS(&s.homeroom.c, "Ученица Пятого");
	T_LACKS(&s.homeroom.c, "Ученик Шестого");
	T_LACKS(&s.homeroom.c, "Новый Учитель");
	T_HAS(&s.homeroom.c, "aria-label=\"1 новая заявка\"");
	T_EQ(t_get(&s.homeroom.c, t_fmt("%s/%lld", q, app_a)), 200);
	T_EQ(t_get(&s.homeroom.c, t_fmt("%s/%lld", q, app_b)), 403);
	T_EQ(t_get(&s.homeroom.c, t_fmt("%s/%lld", q, app_t)), 403);
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/accept", q, app_b),
	    "x=1"), 403);
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/reject", q, app_t),
	    "reason="), 403);
	T_STREQ(status_of(app_b), "pending");
	T_STREQ(status_of(app_t), "pending");

	/* Another teacher, a student: 403, no menu item. */
	T_EQ(t_get(&s.teacher.c, q), 403);
	T_EQ(t_get(&s.teacher.c, t_fmt("%s/%lld", q, app_a)), 403);
	t_form(&s.teacher.c, "/me");
	T_EQ(t_postf(&s.teacher.c, t_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 403);
	T_EQ(t_get(&s.student.c, q), 403);
	/* Another organization's admin: nothing here exists. */
	T_EQ(t_get(&other.admin.c, q), 404);
	T_EQ(t_get(&other.admin.c, t_fmt("%s/%lld", q, app_a)), 404);
	t_form(&other.admin.c, "/me");
	T_EQ(t_postf(&other.admin.c, t_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 404);
	/* ...nor is another organization's application here. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app_o)), 404);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_o),
	    "x=1"), 404);
	T_STREQ(status_of(app_a), "pending");
	T_STREQ(status_of(app_o), "pending");
	t_client_free(&t.c);
	t_client_free(&a.c);
	t_client_free(&b.c);
	school_free(&s);
	school_free(&other);
}

static void
accept_reject_final(void)
{
	struct school	 s;
	struct t_person	 t, a, b;
	long long	 app_t, app_a, app_b, id_t, id_a, id_b;
	char		 q[128];
	char		*msg, reason[400];

	school_new(&s, "Школа Решений");
	t_signup(&t, "Принятый", "Учитель");
	t_signup(&a, "Принятая", "Ученица");
	t_signup(&b, "Отклонённый", "Ученик");
	id_t = t.id;
	id_a = a.id;
	id_b = b.id;
	app_t = apply_by_link(&s, &t, "teacher", 0);
	app_a = apply_by_link(&s, &a, "student", s.class5);
	app_b = apply_self(&s, &b, "student", s.class5);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);

	/* The page warns that a decision is final. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app_t)), 200);
	T_HAS(&s.admin.c, "отменить его нельзя");
	T_HAS(&s.admin.c, "Принятый Учитель");

	/* A teacher: a verified member, badge shown, told by SMS. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_t), "x=1"),
	    303);
	/* Back on the queue, which names the decision (test_flow.c has the
	 * rest of the way back). */
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt(
	    "%s?decided_id=%lld#next", q, app_t));
	T_STREQ(t_sql("SELECT role || ' ' || verified FROM parta.member"
	    " WHERE org_id = %lld AND account_id = %lld", s.org, id_t),
	    "teacher true");
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app_t)), 200);
	T_HAS(&s.admin.c, "Принята");
	T_HAS(&s.admin.c, "✓ подтверждена");
	T_HAS(&s.admin.c, "Админова Алла");
	T_LACKS(&s.admin.c, "/accept\"");
	msg = t_outbox_last(t.phone);
	T_TRUE(msg != NULL && strstr(msg, "принята") != NULL &&
	    strstr(msg, "Школа Решений") != NULL);
	/* With the whole address of the application. */
	T_TRUE(msg != NULL && strstr(msg, t_fmt("%s/me/applications/%lld",
	    t_base, app_t)) != NULL);
	free(msg);
	T_EQ(t_get(&t.c, t_fmt("/me/applications/%lld", app_t)), 200);
	T_HAS(&t.c, "Принята");
	T_HAS(&t.c, t_fmt("/org/%lld", s.org));

	/* A student, by the homeroom teacher: member in the class. */
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 303);
	T_STREQ(t_sql("SELECT role || ' ' || verified FROM parta.member"
	    " WHERE org_id = %lld AND account_id = %lld", s.org, id_a),
	    "student false");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.class_member"
	    " WHERE org_id = %lld AND class_id = %lld AND account_id = %lld"
	    " AND role = 'student'", s.org, s.class5, id_a)), 1);

	/* Reject: the reason is checked, kept, shown and sent. */
	memset(reason, 'x', 310);
	reason[310] = '\0';
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/reject", q, app_b),
	    "reason=%s", reason), 422);
	T_HAS(&s.homeroom.c, "id=\"reason_error\"");
	T_STREQ(status_of(app_b), "pending");
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/reject", q, app_b),
	    "reason=%s", t_enc("Такого ученика в 5А нет")), 303);
	T_STREQ(status_of(app_b), "rejected");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.member WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, id_b)), 0);
	T_EQ(t_get(&b.c, t_fmt("/me/applications/%lld", app_b)), 200);
	T_HAS(&b.c, "Отклонена");
	T_HAS(&b.c, "Такого ученика в 5А нет");
	msg = t_outbox_last(b.phone);
	T_TRUE(msg != NULL && strstr(msg, "отклонена") != NULL &&
	    strstr(msg, "Такого ученика в 5А нет") != NULL);
	free(msg);

	/* Final: deciding again is 409, whichever way, and says so. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_b), "x=1"),
	    409);
	T_HAS(&s.admin.c, "уже принято решение");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/reject", q, app_t),
	    "reason="), 409);
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 409);
	T_STREQ(status_of(app_b), "rejected");
	T_STREQ(status_of(app_t), "accepted");
	/* A withdrawn one cannot be decided either. */
	{
		struct t_person	 w;
		long long	 app_w;

		t_signup(&w, "Передумавший", "Вадим");
		app_w = apply_by_link(&s, &w, "teacher", 0);
		t_form(&w.c, t_fmt("/me/applications/%lld", app_w));
		T_EQ(t_postf(&w.c, t_fmt("/me/applications/%lld/withdraw",
		    app_w), "x=1"), 303);
		T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_w),
		    "x=1"), 409);
		T_STREQ(status_of(app_w), "withdrawn");
		t_client_free(&w.c);
	}

	/* Audit: one row per decision, actor and target. */
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'application_accept' AND actor_id = %lld"
	    " AND target_id = %lld", s.org, s.admin_id, id_t)), 1);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'application_accept' AND actor_id = %lld"
	    " AND target_id = %lld", s.org, s.homeroom_id, id_a)), 1);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'application_reject' AND target_id = %lld"
	    " AND detail LIKE '%%Такого ученика%%'", s.org, id_b)), 1);
	t_client_free(&t.c);
	t_client_free(&a.c);
	t_client_free(&b.c);
	school_free(&s);
}

static void
already_a_member(void)
{
	struct school	 s;
	struct t_person	 p, m;
	long long	 app, app_m, id, id_m;
	char		 q[128];

	school_new(&s, "Школа Совпадений");
	t_signup(&p, "Двойной", "Дмитрий");
	t_signup(&m, "Ученица", "Переводная");
	id = p.id;
	id_m = m.id;
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	/* Applied as a student, then made a teacher there meanwhile: the
	 * acceptance stands, the person stays a teacher, not a student. */
	app = apply_by_link(&s, &p, "student", s.class5);
	T_TRUE(member_add(s.org, &p, "teacher") == 0);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app), "x=1"),
	    303);
	T_STREQ(t_sql("SELECT role FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, id), "teacher");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " org_id = %lld AND account_id = %lld", s.org, id)), 0);
	/* A student already there (another class) joins this class too. */
	app_m = apply_by_link(&s, &m, "student", s.class6);
	T_TRUE(member_add(s.org, &m, "student") == 0);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_m), "x=1"),
	    303);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " org_id = %lld AND account_id = %lld AND class_id = %lld",
	    s.org, id_m, s.class6)), 1);
	/* A teacher who applied for a class teaches it once accepted. */
	{
		struct t_person	 t;
		long long	 app_t;

		t_signup(&t, "Классов", "Учитель");
		app_t = apply_self(&s, &t, "teacher", s.class6);
		T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_t),
		    "x=1"), 303);
		T_STREQ(t_sql("SELECT m.role || ' ' || m.verified || ' ' ||"
		    " cm.role FROM parta.member m JOIN parta.class_member cm"
		    " ON cm.org_id = m.org_id AND cm.account_id = m.account_id"
		    " WHERE m.org_id = %lld AND m.account_id = %lld AND"
		    " cm.class_id = %lld", s.org, t.id, s.class6),
		    "teacher true teacher");
		t_client_free(&t.c);
	}
	t_client_free(&p.c);
	t_client_free(&m.c);
	school_free(&s);
}

static void
teacher_in_two_schools(void)
{
	struct school	 a, b;
	struct t_person	 t;
	long long	 app_a, app_b, id;
	char		 qa[128], qb[128];

	school_new(&a, "Школа Первая Работа");
	school_new(&b, "Школа Вторая Работа");
	t_signup(&t, "Совместитель", "Сергей");
	id = t.id;
	app_a = apply_by_link(&a, &t, "teacher", 0);
	app_b = apply_by_link(&b, &t, "teacher", 0);
	T_TRUE(app_a > 0 && app_b > 0);
	snprintf(qa, sizeof(qa), "/org/%lld/applications", a.org);
	snprintf(qb, sizeof(qb), "/org/%lld/applications", b.org);
	/* Accepted in one school: still pending, and unverified, in the
	 * other until its own admin decides. */
	t_form(&a.admin.c, qa);
	T_EQ(t_postf(&a.admin.c, t_fmt("%s/%lld/accept", qa, app_a), "x=1"),
	    303);
	T_STREQ(status_of(app_b), "pending");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.member WHERE org_id ="
	    " %lld AND account_id = %lld", b.org, id)), 0);
	T_EQ(t_get(&b.admin.c, qb), 200);
	T_HAS(&b.admin.c, "Совместитель Сергей");
	T_EQ(t_get(&a.admin.c, qb), 404);
	T_EQ(t_postf(&b.admin.c, t_fmt("%s/%lld/accept", qb, app_b), "x=1"),
	    303);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.member WHERE"
	    " account_id = %lld AND role = 'teacher' AND verified", id)), 2);
	T_EQ(t_get(&t.c, "/me"), 200);
	T_HAS(&t.c, t_fmt("href=\"/org/%lld\"", a.org));
	T_HAS(&t.c, t_fmt("href=\"/org/%lld\"", b.org));
	t_client_free(&t.c);
	school_free(&a);
	school_free(&b);
}

static void
bulk(void)
{
	struct school	 s;
	struct t_person	 p[4];
	long long	 app[4];
	char		 q[128], d[160];
	int		 i;

	school_new(&s, "Школа Оптом");
	for (i = 0; i < 4; i++) {
		t_signup(&p[i], "Оптовый", i < 3 ? "Ученик" : "Учитель");
		app[i] = apply_by_link(&s, &p[i], i < 3 ? "student" :
		    "teacher", i < 3 ? s.class5 : 0);
		T_TRUE(app[i] > 0);
	}
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	snprintf(d, sizeof(d), "%s/decide", q);
	t_form(&s.admin.c, q);
	T_HAS(&s.admin.c, t_fmt("name=\"id\" value=\"%lld\"", app[0]));

	/* Bad requests change nothing. */
	T_EQ(t_postf(&s.admin.c, d, "decision=accept"), 422);
	T_HAS(&s.admin.c, "id=\"id_error\"");
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&decision=maybe", app[0]), 422);
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=x1&decision=accept", app[0]),
	    400);
	/* A homeroom teacher: their class's student is decided, a
	 * teacher's application is left as it is, named with the reason
	 * (and not by name: it is outside their scope). */
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, d, "id=%lld&id=%lld&decision=accept",
	    app[0], app[3]), 303);
	T_STREQ(t_header(&s.homeroom.c, "Location"), t_fmt(
	    "%s?decided=1&failed=%lld", q, app[3]));
	T_EQ(t_get(&s.homeroom.c, t_fmt("%s?decided=1&failed=%lld", q,
	    app[3])), 200);
	T_HAS(&s.homeroom.c, "Рассмотрено заявок: 1");
	T_HAS(&s.homeroom.c, "<li>Заявка: нет прав");
	/* Application numbers are global: never shown (issue 17). */
	T_LACKS(&s.homeroom.c, t_fmt("№%lld", app[3]));
	T_LACKS(&s.homeroom.c, "Оптовый Учитель");
	T_STREQ(status_of(app[0]), "accepted");
	T_STREQ(status_of(app[3]), "pending");

	/* Two selected, one decided already: the other is accepted, the
	 * decided one is named with why. */
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=%lld&decision=accept",
	    app[1], app[0]), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt(
	    "%s?decided=1&failed=%lld", q, app[0]));
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decided=1&failed=%lld", q,
	    app[0])), 200);
	T_HAS(&s.admin.c, "Рассмотрено заявок: 1");
	T_HAS(&s.admin.c, "Остались без решения (1)");
	T_HAS(&s.admin.c, t_fmt("href=\"%s/%lld\">Оптовый Ученик"
	    "</a>: уже рассмотрена (принята)", q, app[0]));
	T_STREQ(status_of(app[0]), "accepted");
	T_STREQ(status_of(app[1]), "accepted");
	T_STREQ(status_of(app[2]), "pending");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " org_id = %lld AND class_id = %lld AND role = 'student'",
	    s.org, s.class5)), 2);

	/* Reject the rest with a reason, a repeated id counted once. */
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=%lld&id=%lld&decision=reject"
	    "&reason=%s", app[2], app[3], app[2], t_enc("Набор закрыт")),
	    303);
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt("%s?decided=2",
	    q));
	T_STREQ(t_sql("SELECT status || ' ' || reason FROM parta.application"
	    " WHERE id = %lld", app[3]), "rejected Набор закрыт");
	T_STREQ(status_of(app[2]), "rejected");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action LIKE 'application_%%'", s.org)), 4);
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "Новых заявок нет");
	T_LACKS(&s.admin.c, "class=\"badge\"");
	for (i = 0; i < 4; i++)
		t_client_free(&p[i].c);
	school_free(&s);
}

#define ROUNDS	20

struct race {
	struct t_client	*c[2];
	const char	*path[2];
	long		 status[2];
};

static void
race_post(int i, void *arg)
{
	struct race	*x = arg;

	x->status[i] = t_postf(x->c[i], x->path[i], "reason=");
}

static void
two_reviewers_at_once(void)
{
	struct school	 s;
	struct t_person	 second, p;
	struct race	 x;
	long long	 app, id, second_id;
	char		 q[128], want[128];
	int		 round, won;

	school_new(&s, "Школа Гонок");
	t_signup(&second, "Заместитель", "Зоя");
	t_signup(&p, "Спорный", "Семён");
	T_TRUE(member_add(s.org, &second, "admin") == 0);
	id = p.id;
	second_id = second.id;
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	for (round = 0; round < ROUNDS; round++) {
		app = apply_by_link(&s, &p, "student", s.class5);
		T_TRUE(app > 0);
		t_form(&s.admin.c, q);
		t_form(&second.c, q);
		memset(&x, 0, sizeof(x));
		x.c[0] = &s.admin.c;
		x.c[1] = &second.c;
		/* One accepts while the other rejects: the winner's stands. */
		x.path[0] = t_fmt("%s/%lld/accept", q, app);
		x.path[1] = t_fmt("%s/%lld/reject", q, app);
		t_parallel(2, race_post, &x);
		if (!((x.status[0] == 303 && x.status[1] == 409) ||
		    (x.status[0] == 409 && x.status[1] == 303)))
			T_FAIL("round %d: %ld and %ld", round, x.status[0],
			    x.status[1]);
		won = x.status[0] == 303 ? 0 : 1;
		/* The winner's decision, one audit row, a class place only
		 * when accepted. */
		snprintf(want, sizeof(want), "%s %lld 1 %d", won == 0 ?
		    "accepted" : "rejected", won == 0 ? s.admin_id :
		    second_id, won == 0 ? 1 : 0);
		T_STREQ(t_sql("SELECT a.status || ' ' || a.decided_by || ' ' ||"
		    " (SELECT count(*) FROM parta.audit WHERE org_id = %lld"
		    "  AND target_id = %lld AND detail LIKE 'заявка:%%'"
		    "  AND at >= a.created_at)"
		    " || ' ' || (SELECT count(*) FROM parta.class_member"
		    "  WHERE org_id = %lld AND account_id = %lld)"
		    " FROM parta.application a WHERE a.id = %lld", s.org, id,
		    s.org, id, app), want);
		/* Removed again (no route for that here), to apply anew. */
		T_TRUE(t_sql("DELETE FROM parta.class_member WHERE org_id ="
		    " %lld AND account_id = %lld; DELETE FROM parta.member"
		    " WHERE org_id = %lld AND account_id = %lld", s.org, id,
		    s.org, id) != NULL);
	}
	t_client_free(&p.c);
	t_client_free(&second.c);
	school_free(&s);
}

static void
badge_counts(void)
{
	struct school	 s;
	struct t_person	 p[3];
	long long	 app[3];
	char		 q[128];
	int		 i;

	school_new(&s, "Школа Значков");
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	/* Nothing pending: a menu item without a badge. */
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, t_fmt("href=\"%s\"", q));
	T_LACKS(&s.admin.c, "class=\"badge\"");
	for (i = 0; i < 3; i++) {
		t_signup(&p[i], "Значков", "Захар");
		app[i] = apply_by_link(&s, &p[i], "student",
		    i == 0 ? s.class5 : s.class6);
	}
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"3 новые заявки\">3</span>");
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app[1])), 200);
	T_HAS(&s.admin.c, "aria-label=\"3 новые заявки\">3</span>");
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_HAS(&s.homeroom.c, "aria-label=\"1 новая заявка\">1</span>");
	/* A teacher who reviews nothing has no such menu item. */
	T_EQ(t_get(&s.teacher.c, q), 403);
	/* One decided: the counts follow. */
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app[0]), "x=1"),
	    303);
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"2 новые заявки\">2</span>");
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_LACKS(&s.homeroom.c, "class=\"badge\"");
	T_HAS(&s.homeroom.c, "Новых заявок нет");
	/* Withdrawn ones are not counted. */
	t_form(&p[1].c, t_fmt("/me/applications/%lld", app[1]));
	T_EQ(t_postf(&p[1].c, t_fmt("/me/applications/%lld/withdraw",
	    app[1]), "x=1"), 303);
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"1 новая заявка\">1</span>");
	for (i = 0; i < 3; i++)
		t_client_free(&p[i].c);
	school_free(&s);
}

static void
audit_log_and_csv(void)
{
	struct school	 s, other;
	struct t_person	 p, r;
	long long	 app_p, app_r;
	char		 q[128];
	const char	*h;

	school_new(&s, "Школа Журнала");
	school_new(&other, "Школа Без Доступа");
	t_signup(&p, "Журналов", "Жорж");
	t_signup(&r, "Отказов", "Олег");
	app_p = apply_by_link(&s, &p, "teacher", 0);
	app_r = apply_by_link(&s, &r, "student", s.class5);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_p), "x=1"),
	    303);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/reject", q, app_r),
	    "reason=%s", t_enc("=HYPERLINK(\"x\") \"кавычки\"")), 303);

	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/audit", s.org)), 200);
	T_HAS(&s.admin.c, "Заявка принята");
	T_HAS(&s.admin.c, "Заявка отклонена");
	T_HAS(&s.admin.c, "Журналов Жорж");
	T_HAS(&s.admin.c, "Админова Алла");
	T_HAS(&s.admin.c, "&quot;кавычки&quot;");
	T_TRUE(strstr(s.admin.c.r.body, "Заявка отклонена") <
	    strstr(s.admin.c.r.body, "Заявка принята"));
	T_HAS(&s.admin.c, t_fmt("/org/%lld/audit.csv", s.org));

	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/audit.csv", s.org)), 200);
	h = t_header(&s.admin.c, "Content-Type");
	T_TRUE(h != NULL && strncmp(h, "text/csv", 8) == 0);
	h = t_header(&s.admin.c, "Content-Disposition");
	T_TRUE(h != NULL && strncmp(h, "attachment;", 11) == 0);
	/* Headers and actions in Russian, no codes. */
	T_TRUE(strncmp(s.admin.c.r.body, "\xEF\xBB\xBF\"Когда\";\"Кто\";"
	    "\"Что\";\"С кем\";\"Подробности\"\r\n",
	    strlen("\xEF\xBB\xBF\"Когда\";\"Кто\";\"Что\";\"С кем\";"
	    "\"Подробности\"\r\n")) == 0);
	T_HAS(&s.admin.c, "\"Админова Алла\";\"Заявка принята\";"
	    "\"Журналов Жорж\"");
	T_HAS(&s.admin.c, "\"\"кавычки\"\"");
	T_HAS(&s.admin.c, "\"Заявка отклонена\";\"Отказов Олег\"");
	T_LACKS(&s.admin.c, "application_");
	T_LACKS(&s.admin.c, "<html");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/audit?format=csv",
	    s.org)), 200);
	h = t_header(&s.admin.c, "Content-Type");
	T_TRUE(h != NULL && strncmp(h, "text/csv", 8) == 0);
	T_HAS(&s.admin.c, "\"Заявка принята\"");

	/* Admins only; other organizations see nothing. */
	T_EQ(t_get(&s.homeroom.c, t_fmt("/org/%lld/audit", s.org)), 403);
	T_EQ(t_get(&s.homeroom.c, t_fmt("/org/%lld/audit.csv", s.org)),
	    403);
	T_EQ(t_get(&s.teacher.c, t_fmt("/org/%lld/audit", s.org)), 403);
	T_EQ(t_get(&other.admin.c, t_fmt("/org/%lld/audit", s.org)), 404);
	T_EQ(t_get(&other.admin.c, t_fmt("/org/%lld/audit.csv", s.org)),
	    404);
	T_EQ(t_get(&other.admin.c, t_fmt("/org/%lld/audit", other.org)),
	    200);
	T_LACKS(&other.admin.c, "Журналов");
	t_client_free(&p.c);
	t_client_free(&r.c);
	school_free(&s);
	school_free(&other);
}

/* The admin rolls the school's classes of 2025 over into 2026: 0, or -1
 * with a failure recorded. */
static int
rollover_2025(struct school *s)
{
	const char	*path = t_fmt("/org/%lld/classes/rollover", s->org);
	char		 plan[80];

	if (t_get(&s->admin.c, t_fmt("%s?from=2025", path)) != 200) {
		t_fail(__FILE__, __LINE__, "rollover preview: %ld",
		    s->admin.c.r.status);
		return -1;
	}
	snprintf(plan, sizeof(plan), "%s", t_hidden(&s->admin.c, "plan"));
	if (t_postf(&s->admin.c, path, "from=2025&plan=%s", plan) != 303) {
		t_fail(__FILE__, __LINE__, "rollover: %ld",
		    s->admin.c.r.status);
		return -1;
	}
	return 0;
}

/* The admin archives class cls (grade, letter of 2025) by its form. */
static long
archive_by_form(struct school *s, long long cls, int grade,
    const char *letter)
{
	const char	*path = t_fmt("/org/%lld/classes/%lld/edit", s->org,
	    cls);

	t_form(&s->admin.c, path);
	return t_postf(&s->admin.c, path, "kind=class&grade=%d&letter=%s"
	    "&title=&year=2025&color=%%232c7a4b&archived=1", grade,
	    t_enc(letter));
}

static void
archived_class(void)
{
	struct school	 s;
	struct t_person	 a, b, t, z;
	long long	 app_a, app_b, app_t, app_z, c6a, c7b, c8, id_a, id_t;
	char		 q[128];

	school_new(&s, "Школа Архивов");
	t_signup(&a, "Поздняя", "Анна");
	t_signup(&b, "Запоздалый", "Борис");
	t_signup(&t, "Летний", "Тимур");
	t_signup(&z, "Забытый", "Захар");
	id_a = a.id;
	id_t = t.id;
	c8 = t_class_add(s.org, 8, "В", 2025);
	app_a = apply_by_link(&s, &a, "student", s.class5);
	app_b = apply_by_link(&s, &b, "student", s.class6);
	app_t = apply_self(&s, &t, "teacher", s.class5);
	app_z = apply_by_link(&s, &z, "student", c8);
	T_TRUE(app_a > 0 && app_b > 0 && app_t > 0 && app_z > 0 && c8 > 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);

	/* 8В archived by its form: nothing of the new year to offer. */
	T_EQ(archive_by_form(&s, c8, 8, "В"), 303);
	/* The year's rollover: 5А becomes 6А, 6Б becomes 7Б, of 2026. */
	if (rollover_2025(&s) == -1)
		return;
	c6a = t_ll(t_sql("SELECT id FROM parta.class WHERE org_id = %lld"
	    " AND year = 2026 AND grade = 6 AND letter = 'А'", s.org));
	c7b = t_ll(t_sql("SELECT id FROM parta.class WHERE org_id = %lld"
	    " AND year = 2026 AND grade = 7 AND letter = 'Б'", s.org));
	T_TRUE(c6a > 0 && c7b > 0);

	/* The queue marks it; its page says the class is archived and
	 * offers its successor. */
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "<td data-label=\"Класс\">5А <span class=\"muted\">(в архиве)</span>");
	/* The page says the class is archived and offers its successor. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app_a)), 200);
	T_HAS(&s.admin.c, "Класс 5А (2025/2026) в архиве");
	T_HAS(&s.admin.c, "Принять в 6А (2026/2027)");
	/* «Принять» all the same (from the queue, or a page shown before
	 * the rollover): 409 with the offer, nothing changed. */
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_a), "x=1"),
	    409);
	T_HAS(&s.admin.c, "её класс уже в архиве");
	T_HAS(&s.admin.c, "Класс 5А (2025/2026) в архиве");
	T_HAS(&s.admin.c, "Принять в 6А (2026/2027)");
	T_HAS(&s.admin.c, t_fmt("name=\"class_id\" value=\"%lld\"", c6a));
	T_STREQ(status_of(app_a), "pending");
	/* Into a class that is not open: 422, nothing changed. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_a),
	    "class_id=%lld", s.class6), 422);
	T_HAS(&s.admin.c, "id=\"class_id_error\"");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_a),
	    "class_id=abc"), 422);
	T_STREQ(status_of(app_a), "pending");
	/* The offer, one click: 303, a student of 6А of 2026. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_a),
	    "class_id=%lld", c6a), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt(
	    "%s?decided_id=%lld#next", q, app_a));
	T_STREQ(status_of(app_a), "accepted");
	T_STREQ(t_sql("SELECT string_agg(class_id::text, ',') FROM"
	    " parta.class_member WHERE org_id = %lld AND account_id = %lld"
	    " AND role = 'student'", s.org, id_a), t_fmt("%lld", c6a));
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld", q, app_a)), 200);
	T_HAS(&s.admin.c, "Принята");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'application_accept' AND target_id = %lld"
	    " AND detail = 'заявка: ученица, 6А (в заявке был 5А)'",
	    s.org, id_a)), 1);

	/* A teacher who applied for 5А teaches 6А. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_t), "x=1"),
	    409);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_t),
	    "class_id=%lld", c6a), 303);
	T_STREQ(t_sql("SELECT m.role || ' ' || m.verified || ' ' ||"
	    " cm.role FROM parta.member m JOIN parta.class_member cm"
	    " ON cm.org_id = m.org_id AND cm.account_id = m.account_id"
	    " WHERE m.org_id = %lld AND m.account_id = %lld AND"
	    " cm.class_id = %lld", s.org, id_t, c6a), "teacher true teacher");

	/* An archived class's application can still be rejected. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/reject", q, app_b),
	    "reason=%s", t_enc("Набор в 6Б закрыт")), 303);
	T_STREQ(status_of(app_b), "rejected");

	/* Archived with no successor: 409, says so, no offer; reject. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app_z), "x=1"),
	    409);
	T_HAS(&s.admin.c, "Класс 8В (2025/2026) в архиве");
	T_LACKS(&s.admin.c, "name=\"class_id\"");
	T_STREQ(status_of(app_z), "pending");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/reject", q, app_z),
	    "reason="), 303);
	T_STREQ(status_of(app_z), "rejected");
	t_client_free(&a.c);
	t_client_free(&b.c);
	t_client_free(&t.c);
	t_client_free(&z.c);
	school_free(&s);
}

static void
bulk_archived_and_decided(void)
{
	struct school	 s, other;
	struct t_person	 p[4];
	long long	 app[4], oapp;
	char		 q[128], d[160], loc[256];
	int		 i;

	school_new(&s, "Школа Смешанных Решений");
	school_new(&other, "Школа Чужих Заявок");
	/* 0, 1 for 5А; 2 for 6Б (to be archived); 3 a teacher. */
	for (i = 0; i < 4; i++) {
		t_signup(&p[i], "Смешанный", i < 3 ? "Ученик" : "Учитель");
		app[i] = apply_by_link(&s, &p[i], i < 3 ? "student" :
		    "teacher", i < 2 ? s.class5 : i == 2 ? s.class6 : 0);
		T_TRUE(app[i] > 0);
	}
	oapp = apply_by_link(&other, &p[0], "student", other.class5);
	T_TRUE(oapp > 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	snprintf(d, sizeof(d), "%s/decide", q);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app[1]), "x=1"),
	    303);
	T_EQ(archive_by_form(&s, s.class6, 6, "Б"), 303);

	/* All four and another school's: what can be is decided, 303. */
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=%lld&id=%lld&id=%lld&id=%lld"
	    "&decision=accept", app[3], app[2], oapp, app[1], app[0]), 303);
	snprintf(loc, sizeof(loc), "%s?decided=2&failed=%lld,%lld,%lld", q,
	    app[1], app[2], oapp);
	T_STREQ(t_header(&s.admin.c, "Location"), loc);
	T_STREQ(status_of(app[0]), "accepted");
	T_STREQ(status_of(app[3]), "accepted");
	T_STREQ(status_of(app[2]), "pending");
	T_STREQ(status_of(oapp), "pending");
	T_EQ(t_get(&s.admin.c, loc), 200);
	T_HAS(&s.admin.c, "Рассмотрено заявок: 2");
	T_HAS(&s.admin.c, "Остались без решения (3)");
	T_HAS(&s.admin.c, "Смешанный Ученик</a>: уже рассмотрена (принята)");
	T_HAS(&s.admin.c, t_fmt("href=\"%s/%lld\">Смешанный Ученик"
	    "</a>: класс 6Б в архиве", q, app[2]));
	T_HAS(&s.admin.c, "<li>Заявка: заявка не найдена");
	T_LACKS(&s.admin.c, t_fmt("№%lld", oapp));
	T_LACKS(&s.admin.c, "Школа Чужих Заявок");

	/* Rejecting the archived one works, in bulk too. */
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&decision=reject", app[2]), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt("%s?decided=1",
	    q));
	T_STREQ(status_of(app[2]), "rejected");
	/* A hand-made result address: a bad list is left out. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decided=0&failed=1,x", q)), 200);
	T_LACKS(&s.admin.c, "Остались без решения");
	for (i = 0; i < 4; i++)
		t_client_free(&p[i].c);
	school_free(&s);
	school_free(&other);
}

/*
 * Every 5xx leaves one line in the program's log naming the route, the
 * statement, the SQLSTATE and the message.  A trigger made for the test
 * raises on one magic reason; the test always drops it.
 */
#define FAULT_REASON	"test-fault-7c1e"

/* The log of program: $PARTA_VAR/log, else var/log under PARTA_ROOT. */
static const char *
log_dir(void)
{
	static char	 dir[1024];
	const char	*var = getenv("PARTA_VAR");
	const char	*root = getenv("PARTA_ROOT");

	if (var != NULL && *var != '\0')
		snprintf(dir, sizeof(dir), "%s/log", var);
	else
		snprintf(dir, sizeof(dir), "%s/var/log", root ? root : ".");
	return dir;
}

/* 1 if a line of file has every one of the n strings. */
static int
file_has_line(const char *file, const char *const *want, int n)
{
	FILE	*f;
	char	 line[4096];
	int	 i, found = 0;

	if ((f = fopen(file, "r")) == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		for (i = 0; i < n && strstr(line, want[i]) != NULL; i++)
			continue;
		found = i == n;
	}
	fclose(f);
	return found;
}

/* 1 if the program's log (or, with the programs run as plain CGI, the
 * web server's error log, where their stderr goes) has such a line. */
static int
log_has_line(const char *program, const char *const *want, int n)
{
	int	 try;

	/* The programs write line by line; give the writer a moment. */
	for (try = 0; try < 20; try++) {
		if (file_has_line(t_fmt("%s/%s.log", log_dir(), program),
		    want, n) || file_has_line(t_fmt("%s/cgi-nginx-error.log",
		    log_dir()), want, n))
			return 1;
		usleep(100000);
	}
	return 0;
}

static void
fault_logged_run(void)
{
	struct school	 s;
	struct t_person	 p;
	long long	 app;
	char		 q[128];
	const char	*route, *want[5];

	school_new(&s, "Школа Сбоев");
	t_signup(&p, "Сбойный", "Степан");
	app = apply_by_link(&s, &p, "student", s.class5);
	T_TRUE(app > 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	t_form(&s.admin.c, q);

	/* One decision: 500, nothing changed, and the line. */
	route = t_fmt("%s/%lld/reject", q, app);
	T_EQ(t_postf(&s.admin.c, route, "reason=%s", FAULT_REASON), 500);
	T_STREQ(status_of(app), "pending");
	want[0] = t_fmt("approve: %s: ", route);
	want[1] = ": member_decide: ";
	want[2] = "SQLSTATE PT500";
	want[3] = t_fmt("test fault on application %lld", app);
	T_TRUE(log_has_line("approve", want, 4));

	/* A bulk decision: a fault is no refusal; 500, logged too. */
	route = t_fmt("%s/decide", q);
	T_EQ(t_postf(&s.admin.c, route, "id=%lld&decision=reject&reason=%s",
	    app, FAULT_REASON), 500);
	T_STREQ(status_of(app), "pending");
	want[0] = t_fmt("approve: %s: ", route);
	T_TRUE(log_has_line("approve", want, 4));
	/* Without the fault it goes through. */
	T_EQ(t_postf(&s.admin.c, route, "id=%lld&decision=reject", app), 303);
	T_STREQ(status_of(app), "rejected");
	t_client_free(&p.c);
	school_free(&s);
}

static void
fault_logged(void)
{
	const char	*made, *gone;

	made = t_sql("SET client_min_messages = warning;"
	    " DROP TRIGGER IF EXISTS t_fault ON parta.application;"
	    " CREATE OR REPLACE FUNCTION parta.t_fault() RETURNS trigger"
	    " LANGUAGE plpgsql AS $f$ BEGIN RAISE EXCEPTION"
	    " 'test fault on application %%', NEW.id USING ERRCODE = 'PT500';"
	    " END $f$;"
	    " CREATE TRIGGER t_fault BEFORE UPDATE ON parta.application"
	    " FOR EACH ROW WHEN (NEW.reason = '" FAULT_REASON "')"
	    " EXECUTE FUNCTION parta.t_fault()");
	if (made != NULL)
		t_try(fault_logged_run);
	/* Dropped whatever happened above. */
	gone = t_sql("SET client_min_messages = warning;"
	    " DROP TRIGGER IF EXISTS t_fault ON parta.application;"
	    " DROP FUNCTION IF EXISTS parta.t_fault()");
	T_TRUE(made != NULL);
	T_TRUE(gone != NULL);
}

/* The first "class " followed by a digit in s, or NULL. */
static const char *
class_number(const char *s)
{
	const char	*p;

	for (p = s; p != NULL && (p = strstr(p, "class ")) != NULL; p++)
		if (p[6] >= '0' && p[6] <= '9')
			return p;
	return NULL;
}

/* Post text into chat as c: the message's id, or -1. */
static long long
chat_say(struct t_client *c, long long chat, const char *text)
{
	t_form(c, t_fmt("/chats/%lld", chat));
	if (t_postf(c, t_fmt("/chats/%lld/messages", chat), "text=%s",
	    t_enc(text)) != 303)
		return -1;
	return t_id_after(t_header(c, "Location"), "#m");
}

static void
audit_in_words(void)
{
	struct school	 s;
	struct t_person	 a, b, w, r;
	long long	 app_a, app_b, app_w, app_r, id_a, id_b, chat, msg;
	long long	 invite, teacher_id;
	char		 q[128], codes[4096], *code, *save;
	const char	*v, *bad;

	school_new(&s, "Школа Понятного Журнала");
	t_signup(&a, "Словесная", "Алиса");
	t_signup(&b, "Понятный", "Борис");
	t_signup(&w, "Отозванный", "Вадим");
	t_signup(&r, "Отказанный", "Роман");
	id_a = a.id;
	id_b = b.id;
	teacher_id = s.teacher.id;
	app_a = apply_by_link(&s, &a, "student", s.class5);
	app_b = apply_by_link(&s, &b, "student", s.class5);
	app_w = apply_self(&s, &w, "teacher", 0);
	app_r = apply_by_link(&s, &r, "student", s.class6);
	T_TRUE(app_a > 0 && app_b > 0 && app_w > 0 && app_r > 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);

	/* approve: accepted (by the homeroom teacher), rejected. */
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/decide", q),
	    "id=%lld&id=%lld&decision=accept", app_a, app_b), 303);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/reject", q, app_r),
	    "reason=%s", t_enc("Мест нет")), 303);
	/* join: withdrawn by the applicant. */
	t_form(&w.c, t_fmt("/me/applications/%lld", app_w));
	T_EQ(t_postf(&w.c, t_fmt("/me/applications/%lld/withdraw", app_w),
	    "x=1"), 303);
	/* invite: a link revoked. */
	invite = t_ll(t_sql("SELECT max(id) FROM parta.invite WHERE org_id ="
	    " %lld AND class_id = %lld", s.org, s.class6));
	t_form(&s.admin.c, t_fmt("/org/%lld/invites/%lld", s.org, invite));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/invites/%lld/revoke",
	    s.org, invite), "x=1"), 303);
	/* chat: the homeroom teacher deletes a pupil's message and takes
	 * another pupil out of the class chat. */
	chat = t_ll(t_sql("SELECT id FROM parta.chat WHERE org_id = %lld"
	    " AND class_id = %lld AND purpose = 'students'", s.org, s.class5));
	T_TRUE(chat > 0);
	T_TRUE((msg = chat_say(&a.c, chat, "Всем привет")) > 0);
	t_form(&s.homeroom.c, t_fmt("/chats/%lld", chat));
	T_EQ(t_postf(&s.homeroom.c, t_fmt("/chats/%lld/messages/%lld/"
	    "delete", chat, msg), "x=1"), 303);
	T_EQ(t_postf(&s.homeroom.c, t_fmt("/chats/%lld/members/%lld/"
	    "remove", chat, id_b), "x=1"), 303);
	/* The membership functions (sql/0012) write their own rows. */
	T_TRUE(t_sql("SELECT parta.student_move(%lld, %lld, %lld, %lld)",
	    s.org, id_a, s.class6, s.admin_id) != NULL);
	T_TRUE(t_sql("SELECT parta.subject_teacher_add(%lld, %lld, %lld,"
	    " %lld)", s.org, s.class6, teacher_id, s.admin_id) != NULL);
	T_TRUE(t_sql("SELECT parta.subject_teacher_remove(%lld, %lld, %lld,"
	    " %lld)", s.org, s.class6, teacher_id, s.admin_id) != NULL);
	T_TRUE(t_sql("SELECT parta.homeroom_set(%lld, %lld, %lld, %lld)",
	    s.org, s.class6, teacher_id, s.admin_id) != NULL);
	T_TRUE(t_sql("SELECT parta.homeroom_unset(%lld, %lld, %lld, %lld)",
	    s.org, s.class6, teacher_id, s.admin_id) != NULL);
	T_TRUE(t_sql("SELECT parta.member_end(%lld, %lld, %lld, 'removed')",
	    s.org, id_b, s.admin_id) != NULL);
	T_TRUE(t_sql("SELECT parta.member_unbar(%lld, %lld, %lld)",
	    s.org, id_b, s.admin_id) != NULL);
	/* Thirteen kinds, and the grant that made the admin one. */
	T_EQ(t_ll(t_sql("SELECT count(DISTINCT action) FROM parta.audit"
	    " WHERE org_id = %lld", s.org)), 14);
	/* Details are sentences: no "chat 12 message 5", "invite 7". */
	T_STREQ(t_sql("SELECT coalesce(string_agg(detail, ' | '), '')"
	    " FROM parta.audit WHERE org_id = %lld AND detail ~ '[A-Za-z]'",
	    s.org), "");

	/* The page: every event in words, none of the codes, no "class 5". */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/audit", s.org)), 200);
	T_HAS(&s.admin.c, "Заявка принята");
	T_HAS(&s.admin.c, "заявка: ученица, 5А");
	T_LACKS(&s.admin.c, t_fmt("заявка №%lld", app_a));
	T_HAS(&s.admin.c, "Заявка отозвана заявителем");
	T_HAS(&s.admin.c, "заявка: учитель");
	T_HAS(&s.admin.c, "ссылка для учеников 6Б");
	T_LACKS(&s.admin.c, t_fmt("ссылка №%lld", invite));
	T_HAS(&s.admin.c, "Сообщение удалено");
	T_HAS(&s.admin.c, "удалено администратором чата");
	/* About women (t_signup): the words agree. */
	T_HAS(&s.admin.c, "удалена из чата «");
	T_HAS(&s.admin.c, "переведена из 5А в 6Б");
	T_HAS(&s.admin.c, "исключена из организации");
	v = t_sql("SELECT string_agg(code, ' ') FROM parta.audit_action");
	T_TRUE(v != NULL && *v != '\0');
	snprintf(codes, sizeof(codes), "%s", v);
	for (code = strtok_r(codes, " ", &save); code != NULL;
	    code = strtok_r(NULL, " ", &save))
		if (t_has(&s.admin.c, code))
			T_FAIL("the audit page shows the code %s", code);
	if ((bad = class_number(s.admin.c.r.body)) != NULL)
		T_FAIL("the audit page has \"%.20s\"", bad);
	/* The CSV too: words, no codes. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/audit.csv", s.org)), 200);
	T_HAS(&s.admin.c, "\"Перевод в другой класс\";");
	T_LACKS(&s.admin.c, "student_move");
	if ((bad = class_number(s.admin.c.r.body)) != NULL)
		T_FAIL("the CSV has \"%.20s\"", bad);
	t_client_free(&a.c);
	t_client_free(&b.c);
	t_client_free(&w.c);
	t_client_free(&r.c);
	school_free(&s);
}

static void
csrf_and_login(void)
{
	struct school	 s;
	struct t_person	 p;
	struct t_client	 v;
	long long	 app;
	char		 q[128];

	school_new(&s, "Школа Токенов");
	t_signup(&p, "Токенов", "Тихон");
	app = apply_by_link(&s, &p, "teacher", 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	T_EQ(t_post(&s.admin.c, t_fmt("%s/%lld/accept", q, app), "x=1"),
	    403);
	T_EQ(t_post(&s.admin.c, t_fmt("%s/decide", q),
	    t_fmt("id=%lld&decision=accept", app)), 403);
	T_STREQ(status_of(app), "pending");
	t_client_init(&v);
	T_EQ(t_get(&v, q), 303);
	T_TRUE(strncmp(t_header(&v, "Location"), "/login?next=", 12) == 0);
	T_EQ(t_get(&v, t_fmt("/org/%lld/audit", s.org)), 303);
	T_EQ(t_get(&v, t_fmt("%s/%lld", q, app)), 303);
	t_client_free(&v);
	t_client_free(&p.c);
	school_free(&s);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "scopes: admin, homeroom, teacher, student, other org", scopes },
		{ "accept, reject with reason, final, told, audited", accept_reject_final },
		{ "accepting someone who is a member meanwhile", already_a_member },
		{ "a teacher in two schools, accepted in each", teacher_in_two_schools },
		{ "bulk decisions: all it can, the rest named, 400/422", bulk },
		{ "two reviewers at once: one stands, 20 rounds", two_reviewers_at_once },
		{ "badge counts follow the reviewer's scope", badge_counts },
		{ "audit log and CSV export", audit_log_and_csv },
		{ "an archived class: reject, or accept into its successor", archived_class },
		{ "bulk with an archived class's and a decided application", bulk_archived_and_decided },
		{ "a fault answers 500 and leaves its line in the log", fault_logged },
		{ "the audit log in words: no codes, no class numbers", audit_in_words },
		{ "CSRF and login on approve", csrf_and_login },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
