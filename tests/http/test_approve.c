/*
 * Reviewing join requests (program approve): who sees which
 * applications, accepting and rejecting, bulk decisions, final
 * decisions under concurrency, the menu badge, the audit log and its
 * CSV export.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "t.h"

static long long
person_id(const struct t_person *p)
{
	const char	*v;

	v = t_sql("SELECT id FROM parta.account WHERE phone = '%s'"
	    " AND phone_verified", p->phone);
	return v != NULL ? atoll(v) : -1;
}

static long long
sql_ll(const char *v)
{
	return v != NULL && *v != '\0' ? atoll(v) : -1;
}

/* A formatted path or value (static ring of buffers). */
static const char *path_fmt(const char *, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
path_fmt(const char *fmt, ...)
{
	static _Thread_local char	 ring[8][256];
	static _Thread_local int	 k;
	char		*o = ring[k++ % 8];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(o, 256, fmt, ap);
	va_end(ap);
	return o;
}

static void
token_new(char out[44])
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 b[43];
	int			 i;

	getrandom(b, sizeof(b), 0);
	for (i = 0; i < 43; i++)
		out[i] = abc[b[i] % 64];
	out[43] = '\0';
}

static long long
class_new(long long org, int grade, const char *letter)
{
	return sql_ll(t_sql("INSERT INTO parta.class (org_id, grade, letter,"
	    " year, color) VALUES (%lld, %d, '%s', 2025, '#2453d6')"
	    " RETURNING id", org, grade, letter));
}

/* A school: its admin, classes 5А and 6Б, a homeroom teacher of 5А, a
 * teacher who is not a homeroom teacher, a student. */
struct school {
	struct t_person	 admin, homeroom, teacher, student;
	long long	 admin_id, homeroom_id, student_id;
	long long	 org, class5, class6;
};

static int
member_add(long long org, const struct t_person *p, const char *role)
{
	return t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, '%s', %s)", org, person_id(p),
	    role, strcmp(role, "student") == 0 ? "false" : "true") ? 0 : -1;
}

static int
school_new(struct school *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	if (t_signup(&s->admin, "Админова", "Алла") == -1 ||
	    t_signup(&s->homeroom, "Классная", "Клавдия") == -1 ||
	    t_signup(&s->teacher, "Предметник", "Пётр") == -1 ||
	    t_signup(&s->student, "Учащийся", "Устин") == -1)
		return -1;
	s->admin_id = person_id(&s->admin);
	s->homeroom_id = person_id(&s->homeroom);
	s->student_id = person_id(&s->student);
	if ((s->org = t_org_create(&s->admin, name)) == -1)
		return -1;
	s->class5 = class_new(s->org, 5, "А");
	s->class6 = class_new(s->org, 6, "Б");
	if (s->class5 <= 0 || s->class6 <= 0 ||
	    member_add(s->org, &s->homeroom, "teacher") == -1 ||
	    member_add(s->org, &s->teacher, "teacher") == -1 ||
	    member_add(s->org, &s->student, "student") == -1 ||
	    t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'homeroom')",
	    s->org, s->class5, s->homeroom_id) == NULL) {
		t_fail(__FILE__, __LINE__, "school set-up failed");
		return -1;
	}
	return 0;
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

	token_new(token);
	if (t_sql("INSERT INTO parta.invite (org_id, created_by, role,"
	    " class_id, token_hash, max_uses, expires_at) VALUES (%lld, %lld,"
	    " '%s', %s, sha256(convert_to('%s', 'UTF8')), 5,"
	    " now() + interval '1 day')", s->org, s->admin_id, role,
	    class > 0 ? path_fmt("%lld", class) : "NULL", token) == NULL)
		return -1;
	t_form(&p->c, path_fmt("/join/%s", token));
	if (t_postf(&p->c, path_fmt("/join/%s", token), "x=1") != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/me/applications/");
}

/* p applies without a link. */
static long long
apply_self(struct school *s, struct t_person *p, const char *role,
    long long class)
{
	const char	*path = path_fmt("/org/%lld/apply", s->org);

	t_form(&p->c, path);
	if (t_postf(&p->c, path, "role=%s&class_id=%s", role,
	    class > 0 ? path_fmt("%lld", class) : "") != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/me/applications/");
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

	if (school_new(&s, "Школа Областей") == -1 ||
	    school_new(&other, "Соседняя Школа") == -1)
		return;
	if (t_signup(&t, "Новый", "Учитель") == -1 ||
	    t_signup(&a, "Ученица", "Пятого") == -1 ||
	    t_signup(&b, "Ученик", "Шестого") == -1)
		return;
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
	T_HAS(&s.admin.c, "её создал(а) Админова Алла");
	T_HAS(&s.admin.c, "aria-label=\"новых заявок: 3\"");
	T_LACKS(&s.admin.c, "Соседняя");
	/* Filters. */
	T_EQ(t_get(&s.admin.c, path_fmt("%s?role=teacher", q)), 200);
	T_HAS(&s.admin.c, "Новый Учитель");
	T_LACKS(&s.admin.c, "Ученица Пятого");
	T_EQ(t_get(&s.admin.c, path_fmt("%s?role=&class_id=%lld", q,
	    s.class6)), 200);
	T_HAS(&s.admin.c, "Ученик Шестого");
	T_LACKS(&s.admin.c, "Ученица Пятого");
	T_LACKS(&s.admin.c, "Новый Учитель");
	T_EQ(t_get(&s.admin.c, path_fmt("%s?role=boss", q)), 422);
	T_HAS(&s.admin.c, "id=\"role_error\"");
	T_EQ(t_get(&s.admin.c, path_fmt("%s?class_id=abc", q)), 422);

	/* The homeroom teacher of 5А: only that class's student. */
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_HAS(&s.homeroom.c, "Ученица Пятого");
	T_LACKS(&s.homeroom.c, "Ученик Шестого");
	T_LACKS(&s.homeroom.c, "Новый Учитель");
	T_HAS(&s.homeroom.c, "aria-label=\"новых заявок: 1\"");
	T_EQ(t_get(&s.homeroom.c, path_fmt("%s/%lld", q, app_a)), 200);
	T_EQ(t_get(&s.homeroom.c, path_fmt("%s/%lld", q, app_b)), 403);
	T_EQ(t_get(&s.homeroom.c, path_fmt("%s/%lld", q, app_t)), 403);
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, path_fmt("%s/%lld/accept", q, app_b),
	    "x=1"), 403);
	T_EQ(t_postf(&s.homeroom.c, path_fmt("%s/%lld/reject", q, app_t),
	    "reason="), 403);
	T_STREQ(status_of(app_b), "pending");
	T_STREQ(status_of(app_t), "pending");

	/* Another teacher, a student: 403, no menu item. */
	T_EQ(t_get(&s.teacher.c, q), 403);
	T_EQ(t_get(&s.teacher.c, path_fmt("%s/%lld", q, app_a)), 403);
	t_form(&s.teacher.c, "/me");
	T_EQ(t_postf(&s.teacher.c, path_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 403);
	T_EQ(t_get(&s.student.c, q), 403);
	/* Another organization's admin: nothing here exists. */
	T_EQ(t_get(&other.admin.c, q), 404);
	T_EQ(t_get(&other.admin.c, path_fmt("%s/%lld", q, app_a)), 404);
	t_form(&other.admin.c, "/me");
	T_EQ(t_postf(&other.admin.c, path_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 404);
	/* ...nor is another organization's application here. */
	T_EQ(t_get(&s.admin.c, path_fmt("%s/%lld", q, app_o)), 404);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_o),
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

	if (school_new(&s, "Школа Решений") == -1)
		return;
	if (t_signup(&t, "Принятый", "Учитель") == -1 ||
	    t_signup(&a, "Принятая", "Ученица") == -1 ||
	    t_signup(&b, "Отклонённый", "Ученик") == -1)
		return;
	id_t = person_id(&t);
	id_a = person_id(&a);
	id_b = person_id(&b);
	app_t = apply_by_link(&s, &t, "teacher", 0);
	app_a = apply_by_link(&s, &a, "student", s.class5);
	app_b = apply_self(&s, &b, "student", s.class5);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);

	/* The page warns that a decision is final. */
	T_EQ(t_get(&s.admin.c, path_fmt("%s/%lld", q, app_t)), 200);
	T_HAS(&s.admin.c, "отменить его нельзя");
	T_HAS(&s.admin.c, "Принятый Учитель");

	/* A teacher: a verified member, badge shown, told by SMS. */
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_t), "x=1"),
	    303);
	T_STREQ(t_header(&s.admin.c, "Location"), path_fmt("%s/%lld", q,
	    app_t));
	T_STREQ(t_sql("SELECT role || ' ' || verified FROM parta.member"
	    " WHERE org_id = %lld AND account_id = %lld", s.org, id_t),
	    "teacher true");
	T_EQ(t_get(&s.admin.c, path_fmt("%s/%lld", q, app_t)), 200);
	T_HAS(&s.admin.c, "Принята");
	T_HAS(&s.admin.c, "✓ подтверждён");
	T_HAS(&s.admin.c, "Админова Алла");
	T_LACKS(&s.admin.c, "/accept\"");
	msg = t_outbox_last(t.phone);
	T_TRUE(msg != NULL && strstr(msg, "принята") != NULL &&
	    strstr(msg, "Школа Решений") != NULL);
	/* With the whole address of the application. */
	T_TRUE(msg != NULL && strstr(msg, path_fmt("%s/me/applications/%lld",
	    t_base, app_t)) != NULL);
	free(msg);
	T_EQ(t_get(&t.c, path_fmt("/me/applications/%lld", app_t)), 200);
	T_HAS(&t.c, "Принята");
	T_HAS(&t.c, path_fmt("/org/%lld", s.org));

	/* A student, by the homeroom teacher: member in the class. */
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, path_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 303);
	T_STREQ(t_sql("SELECT role || ' ' || verified FROM parta.member"
	    " WHERE org_id = %lld AND account_id = %lld", s.org, id_a),
	    "student false");
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.class_member"
	    " WHERE org_id = %lld AND class_id = %lld AND account_id = %lld"
	    " AND role = 'student'", s.org, s.class5, id_a)), 1);

	/* Reject: the reason is checked, kept, shown and sent. */
	memset(reason, 'x', 310);
	reason[310] = '\0';
	T_EQ(t_postf(&s.homeroom.c, path_fmt("%s/%lld/reject", q, app_b),
	    "reason=%s", reason), 422);
	T_HAS(&s.homeroom.c, "id=\"reason_error\"");
	T_STREQ(status_of(app_b), "pending");
	T_EQ(t_postf(&s.homeroom.c, path_fmt("%s/%lld/reject", q, app_b),
	    "reason=%s", t_enc("Такого ученика в 5А нет")), 303);
	T_STREQ(status_of(app_b), "rejected");
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.member WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, id_b)), 0);
	T_EQ(t_get(&b.c, path_fmt("/me/applications/%lld", app_b)), 200);
	T_HAS(&b.c, "Отклонена");
	T_HAS(&b.c, "Такого ученика в 5А нет");
	msg = t_outbox_last(b.phone);
	T_TRUE(msg != NULL && strstr(msg, "отклонена") != NULL &&
	    strstr(msg, "Такого ученика в 5А нет") != NULL);
	free(msg);

	/* Final: deciding again is 409, whichever way, and says so. */
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_b), "x=1"),
	    409);
	T_HAS(&s.admin.c, "уже принято решение");
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/reject", q, app_t),
	    "reason="), 409);
	T_EQ(t_postf(&s.homeroom.c, path_fmt("%s/%lld/accept", q, app_a),
	    "x=1"), 409);
	T_STREQ(status_of(app_b), "rejected");
	T_STREQ(status_of(app_t), "accepted");
	/* A withdrawn one cannot be decided either. */
	{
		struct t_person	 w;
		long long	 app_w;

		if (t_signup(&w, "Передумавший", "Вадим") == -1)
			return;
		app_w = apply_by_link(&s, &w, "teacher", 0);
		t_form(&w.c, path_fmt("/me/applications/%lld", app_w));
		T_EQ(t_postf(&w.c, path_fmt("/me/applications/%lld/withdraw",
		    app_w), "x=1"), 303);
		T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_w),
		    "x=1"), 409);
		T_STREQ(status_of(app_w), "withdrawn");
		t_client_free(&w.c);
	}

	/* Audit: one row per decision, actor and target. */
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'application_accept' AND actor_id = %lld"
	    " AND target_id = %lld", s.org, s.admin_id, id_t)), 1);
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'application_accept' AND actor_id = %lld"
	    " AND target_id = %lld", s.org, s.homeroom_id, id_a)), 1);
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
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

	if (school_new(&s, "Школа Совпадений") == -1)
		return;
	if (t_signup(&p, "Двойной", "Дмитрий") == -1 ||
	    t_signup(&m, "Ученица", "Переводная") == -1)
		return;
	id = person_id(&p);
	id_m = person_id(&m);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	/* Applied as a student, then made a teacher there meanwhile: the
	 * acceptance stands, the person stays a teacher, not a student. */
	app = apply_by_link(&s, &p, "student", s.class5);
	T_TRUE(member_add(s.org, &p, "teacher") == 0);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app), "x=1"),
	    303);
	T_STREQ(t_sql("SELECT role FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, id), "teacher");
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " org_id = %lld AND account_id = %lld", s.org, id)), 0);
	/* A student already there (another class) joins this class too. */
	app_m = apply_by_link(&s, &m, "student", s.class6);
	T_TRUE(member_add(s.org, &m, "student") == 0);
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_m), "x=1"),
	    303);
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " org_id = %lld AND account_id = %lld AND class_id = %lld",
	    s.org, id_m, s.class6)), 1);
	/* A teacher who applied for a class teaches it once accepted. */
	{
		struct t_person	 t;
		long long	 app_t;

		if (t_signup(&t, "Классов", "Учитель") == -1)
			return;
		app_t = apply_self(&s, &t, "teacher", s.class6);
		T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_t),
		    "x=1"), 303);
		T_STREQ(t_sql("SELECT m.role || ' ' || m.verified || ' ' ||"
		    " cm.role FROM parta.member m JOIN parta.class_member cm"
		    " ON cm.org_id = m.org_id AND cm.account_id = m.account_id"
		    " WHERE m.org_id = %lld AND m.account_id = %lld AND"
		    " cm.class_id = %lld", s.org, person_id(&t), s.class6),
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

	if (school_new(&a, "Школа Первая Работа") == -1 ||
	    school_new(&b, "Школа Вторая Работа") == -1)
		return;
	if (t_signup(&t, "Совместитель", "Сергей") == -1)
		return;
	id = person_id(&t);
	app_a = apply_by_link(&a, &t, "teacher", 0);
	app_b = apply_by_link(&b, &t, "teacher", 0);
	T_TRUE(app_a > 0 && app_b > 0);
	snprintf(qa, sizeof(qa), "/org/%lld/applications", a.org);
	snprintf(qb, sizeof(qb), "/org/%lld/applications", b.org);
	/* Accepted in one school: still pending, and unverified, in the
	 * other until its own admin decides. */
	t_form(&a.admin.c, qa);
	T_EQ(t_postf(&a.admin.c, path_fmt("%s/%lld/accept", qa, app_a), "x=1"),
	    303);
	T_STREQ(status_of(app_b), "pending");
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.member WHERE org_id ="
	    " %lld AND account_id = %lld", b.org, id)), 0);
	T_EQ(t_get(&b.admin.c, qb), 200);
	T_HAS(&b.admin.c, "Совместитель Сергей");
	T_EQ(t_get(&a.admin.c, qb), 404);
	T_EQ(t_postf(&b.admin.c, path_fmt("%s/%lld/accept", qb, app_b), "x=1"),
	    303);
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.member WHERE"
	    " account_id = %lld AND role = 'teacher' AND verified", id)), 2);
	T_EQ(t_get(&t.c, "/me"), 200);
	T_HAS(&t.c, path_fmt("href=\"/org/%lld\"", a.org));
	T_HAS(&t.c, path_fmt("href=\"/org/%lld\"", b.org));
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

	if (school_new(&s, "Школа Оптом") == -1)
		return;
	for (i = 0; i < 4; i++) {
		if (t_signup(&p[i], "Оптовый", i < 3 ? "Ученик" : "Учитель")
		    == -1)
			return;
		app[i] = apply_by_link(&s, &p[i], i < 3 ? "student" :
		    "teacher", i < 3 ? s.class5 : 0);
		T_TRUE(app[i] > 0);
	}
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	snprintf(d, sizeof(d), "%s/decide", q);
	t_form(&s.admin.c, q);
	T_HAS(&s.admin.c, path_fmt("name=\"id\" value=\"%lld\"", app[0]));

	/* Bad requests change nothing. */
	T_EQ(t_postf(&s.admin.c, d, "decision=accept"), 422);
	T_HAS(&s.admin.c, "id=\"id_error\"");
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&decision=maybe", app[0]), 422);
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=x1&decision=accept", app[0]),
	    400);
	/* A homeroom teacher cannot slip a teacher's application in. */
	t_form(&s.homeroom.c, q);
	T_EQ(t_postf(&s.homeroom.c, d, "id=%lld&id=%lld&decision=accept",
	    app[0], app[3]), 403);
	T_STREQ(status_of(app[0]), "pending");
	T_STREQ(status_of(app[3]), "pending");

	/* Two selected, accepted at once. */
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=%lld&decision=accept",
	    app[1], app[0]), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), path_fmt("%s?decided=2",
	    q));
	T_EQ(t_get(&s.admin.c, path_fmt("%s?decided=2", q)), 200);
	T_HAS(&s.admin.c, "Рассмотрено заявок: 2");
	T_STREQ(status_of(app[0]), "accepted");
	T_STREQ(status_of(app[1]), "accepted");
	T_STREQ(status_of(app[2]), "pending");
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " org_id = %lld AND class_id = %lld AND role = 'student'",
	    s.org, s.class5)), 2);

	/* One of them decided already: 409, and the rest untouched. */
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=%lld&decision=reject",
	    app[2], app[0]), 409);
	T_HAS(&s.admin.c, "Ничего не изменено");
	T_STREQ(status_of(app[2]), "pending");
	T_STREQ(status_of(app[0]), "accepted");

	/* Reject the rest with a reason, a repeated id counted once. */
	T_EQ(t_postf(&s.admin.c, d, "id=%lld&id=%lld&id=%lld&decision=reject"
	    "&reason=%s", app[2], app[3], app[2], t_enc("Набор закрыт")),
	    303);
	T_STREQ(t_header(&s.admin.c, "Location"), path_fmt("%s?decided=2",
	    q));
	T_STREQ(t_sql("SELECT status || ' ' || reason FROM parta.application"
	    " WHERE id = %lld", app[3]), "rejected Набор закрыт");
	T_STREQ(status_of(app[2]), "rejected");
	T_EQ(sql_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
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

	if (school_new(&s, "Школа Гонок") == -1)
		return;
	if (t_signup(&second, "Заместитель", "Зоя") == -1 ||
	    t_signup(&p, "Спорный", "Семён") == -1)
		return;
	T_TRUE(member_add(s.org, &second, "admin") == 0);
	id = person_id(&p);
	second_id = person_id(&second);
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
		x.path[0] = path_fmt("%s/%lld/accept", q, app);
		x.path[1] = path_fmt("%s/%lld/reject", q, app);
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
		    "  AND target_id = %lld AND detail LIKE 'Заявка №%lld:%%')"
		    " || ' ' || (SELECT count(*) FROM parta.class_member"
		    "  WHERE org_id = %lld AND account_id = %lld)"
		    " FROM parta.application a WHERE a.id = %lld", s.org, id,
		    app, s.org, id, app), want);
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

	if (school_new(&s, "Школа Значков") == -1)
		return;
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	/* Nothing pending: a menu item without a badge. */
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, path_fmt("href=\"%s\"", q));
	T_LACKS(&s.admin.c, "class=\"badge\"");
	for (i = 0; i < 3; i++) {
		if (t_signup(&p[i], "Значков", "Захар") == -1)
			return;
		app[i] = apply_by_link(&s, &p[i], "student",
		    i == 0 ? s.class5 : s.class6);
	}
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"новых заявок: 3\">3</span>");
	T_EQ(t_get(&s.admin.c, path_fmt("%s/%lld", q, app[1])), 200);
	T_HAS(&s.admin.c, "aria-label=\"новых заявок: 3\">3</span>");
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_HAS(&s.homeroom.c, "aria-label=\"новых заявок: 1\">1</span>");
	/* A teacher who reviews nothing has no such menu item. */
	T_EQ(t_get(&s.teacher.c, q), 403);
	/* One decided: the counts follow. */
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app[0]), "x=1"),
	    303);
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"новых заявок: 2\">2</span>");
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_LACKS(&s.homeroom.c, "class=\"badge\"");
	T_HAS(&s.homeroom.c, "Новых заявок нет");
	/* Withdrawn ones are not counted. */
	t_form(&p[1].c, path_fmt("/me/applications/%lld", app[1]));
	T_EQ(t_postf(&p[1].c, path_fmt("/me/applications/%lld/withdraw",
	    app[1]), "x=1"), 303);
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, "aria-label=\"новых заявок: 1\">1</span>");
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

	if (school_new(&s, "Школа Журнала") == -1 ||
	    school_new(&other, "Школа Без Доступа") == -1)
		return;
	if (t_signup(&p, "Журналов", "Жорж") == -1 ||
	    t_signup(&r, "Отказов", "Олег") == -1)
		return;
	app_p = apply_by_link(&s, &p, "teacher", 0);
	app_r = apply_by_link(&s, &r, "student", s.class5);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	t_form(&s.admin.c, q);
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/accept", q, app_p), "x=1"),
	    303);
	T_EQ(t_postf(&s.admin.c, path_fmt("%s/%lld/reject", q, app_r),
	    "reason=%s", t_enc("=HYPERLINK(\"x\") \"кавычки\"")), 303);

	T_EQ(t_get(&s.admin.c, path_fmt("/org/%lld/audit", s.org)), 200);
	T_HAS(&s.admin.c, "Заявка принята");
	T_HAS(&s.admin.c, "Заявка отклонена");
	T_HAS(&s.admin.c, "Журналов Жорж");
	T_HAS(&s.admin.c, "Админова Алла");
	T_HAS(&s.admin.c, "&quot;кавычки&quot;");
	T_TRUE(strstr(s.admin.c.r.body, "Заявка отклонена") <
	    strstr(s.admin.c.r.body, "Заявка принята"));
	T_HAS(&s.admin.c, path_fmt("/org/%lld/audit.csv", s.org));

	T_EQ(t_get(&s.admin.c, path_fmt("/org/%lld/audit.csv", s.org)), 200);
	h = t_header(&s.admin.c, "Content-Type");
	T_TRUE(h != NULL && strncmp(h, "text/csv", 8) == 0);
	h = t_header(&s.admin.c, "Content-Disposition");
	T_TRUE(h != NULL && strncmp(h, "attachment;", 11) == 0);
	T_HAS(&s.admin.c, "when,who,action,action_code,whom,detail\r\n");
	T_HAS(&s.admin.c, "\"Админова Алла\",\"Заявка принята\","
	    "\"application_accept\",\"Журналов Жорж\"");
	T_HAS(&s.admin.c, "\"\"кавычки\"\"");
	T_HAS(&s.admin.c, "\"application_reject\",\"Отказов Олег\"");
	T_LACKS(&s.admin.c, "<html");
	T_EQ(t_get(&s.admin.c, path_fmt("/org/%lld/audit?format=csv",
	    s.org)), 200);
	h = t_header(&s.admin.c, "Content-Type");
	T_TRUE(h != NULL && strncmp(h, "text/csv", 8) == 0);
	T_HAS(&s.admin.c, "application_accept");

	/* Admins only; other organizations see nothing. */
	T_EQ(t_get(&s.homeroom.c, path_fmt("/org/%lld/audit", s.org)), 403);
	T_EQ(t_get(&s.homeroom.c, path_fmt("/org/%lld/audit.csv", s.org)),
	    403);
	T_EQ(t_get(&s.teacher.c, path_fmt("/org/%lld/audit", s.org)), 403);
	T_EQ(t_get(&other.admin.c, path_fmt("/org/%lld/audit", s.org)), 404);
	T_EQ(t_get(&other.admin.c, path_fmt("/org/%lld/audit.csv", s.org)),
	    404);
	T_EQ(t_get(&other.admin.c, path_fmt("/org/%lld/audit", other.org)),
	    200);
	T_LACKS(&other.admin.c, "Журналов");
	t_client_free(&p.c);
	t_client_free(&r.c);
	school_free(&s);
	school_free(&other);
}

static void
csrf_and_login(void)
{
	struct school	 s;
	struct t_person	 p;
	struct t_client	 v;
	long long	 app;
	char		 q[128];

	if (school_new(&s, "Школа Токенов") == -1)
		return;
	if (t_signup(&p, "Токенов", "Тихон") == -1)
		return;
	app = apply_by_link(&s, &p, "teacher", 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	T_EQ(t_post(&s.admin.c, path_fmt("%s/%lld/accept", q, app), "x=1"),
	    403);
	T_EQ(t_post(&s.admin.c, path_fmt("%s/decide", q),
	    path_fmt("id=%lld&decision=accept", app)), 403);
	T_STREQ(status_of(app), "pending");
	t_client_init(&v);
	T_EQ(t_get(&v, q), 303);
	T_TRUE(strncmp(t_header(&v, "Location"), "/login?next=", 12) == 0);
	T_EQ(t_get(&v, path_fmt("/org/%lld/audit", s.org)), 303);
	T_EQ(t_get(&v, path_fmt("%s/%lld", q, app)), 303);
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
		{ "bulk decisions: all or nothing, 400/403/409/422", bulk },
		{ "two reviewers at once: one stands, 20 rounds", two_reviewers_at_once },
		{ "badge counts follow the reviewer's scope", badge_counts },
		{ "audit log and CSV export", audit_log_and_csv },
		{ "CSRF and login on approve", csrf_and_login },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
