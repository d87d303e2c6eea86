/*
 * The flow of issue 17: after a decision the reviewer is back on the
 * queue as it was, with a notice and the next application in view;
 * destructive final actions are confirmed on a page of their own (the
 * GET of the action's URL), while their POST routes answer as before;
 * one pending registration request per INN, under any concurrency; the
 * year's rollover says when it is meant and asks once more while the
 * year runs; binding and removing an administrator tells them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fixture.h"

/* p a member of org, as approve makes them (a student unverified). */
static int
member_add(long long org, const struct t_person *p, const char *role)
{
	return t_member_add(org, p->id, role, strcmp(role, "student") != 0);
}

static int
class_member_add(long long org, long long cls, const struct t_person *p,
    const char *role)
{
	return t_class_member_add(org, cls, p->id, role);
}

/* A school of this year: its admin, 5А with a homeroom teacher, 6Б. */
struct school {
	struct t_person	 admin, homeroom;
	long long	 org, year, c5, c6;
};

static void
school_new(struct school *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	t_signup(&s->admin, "Решалова", "Рита");
	t_signup(&s->homeroom, "Классова", "Клара");
	s->org = t_org_create(&s->admin, name);
	s->year = t_ll(t_sql("SELECT parta.org_year(%lld)", s->org));
	s->c5 = t_class_add(s->org, 5, "А", s->year);
	s->c6 = t_class_add(s->org, 6, "Б", s->year);
	member_add(s->org, &s->homeroom, "teacher");
	class_member_add(s->org, s->c5, &s->homeroom, "homeroom");
}

static void
school_free(struct school *s)
{
	t_client_free(&s->admin.c);
	t_client_free(&s->homeroom.c);
}

/* p applies to the school by themselves: the application's id, or -1. */
static long long
apply_self(struct school *s, struct t_person *p, const char *role,
    long long cls)
{
	return t_apply_self(p, s->org, role, cls);
}

/* The id of the application in the row marked next on the last page,
 * or -1. */
static long long
next_row(const struct t_client *c, long long org)
{
	const char	*p = strstr(c->r.body, "<tr id=\"next\"");

	if (p == NULL)
		return -1;
	return t_id_after(p, t_fmt("/org/%lld/applications/", org));
}

/*
 * 1. After one decision the reviewer is back on the queue, its class
 * filter kept, told whose application was decided how, with the next
 * one marked and anchored; for an admin and for a homeroom teacher.
 */
static void
queue_after_decision(void)
{
	struct school	 s;
	struct t_person	 p[4];
	const char	*names[4] = { "Первый", "Второй", "Третий", "Шестой" };
	long long	 app[4];
	char		 q[64], loc[160];
	int		 i;

	school_new(&s, "Школа Потока");
	for (i = 0; i < 4; i++) {
		t_signup(&p[i], "Заявкин", names[i]);
		app[i] = apply_self(&s, &p[i], "student", i < 3 ? s.c5 : s.c6);
		T_TRUE(app[i] > 0);
	}
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);

	/* The application page, opened from the queue filtered by 5А,
	 * keeps the filter in its way back and in its forms. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s/%lld?class_id=%lld", q, app[0],
	    s.c5)), 200);
	T_HAS(&s.admin.c, t_fmt("href=\"%s?class_id=%lld\">← Все заявки", q,
	    s.c5));
	T_HAS(&s.admin.c, t_fmt("name=\"back_class\" value=\"%lld\"", s.c5));
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/accept", q, app[0]),
	    "back_role=&back_class=%lld", s.c5), 303);
	snprintf(loc, sizeof(loc), "%s?class_id=%lld&decided_id=%lld#next", q,
	    s.c5, app[0]);
	T_STREQ(t_header(&s.admin.c, "Location"), loc);
	*strchr(loc, '#') = '\0';
	T_EQ(t_get(&s.admin.c, loc), 200);
	/* t_signup makes a woman: the notice agrees (issue 17). */
	T_HAS(&s.admin.c, "Заявка принята: Заявкин Первый (ученица, 5А).");
	T_HAS(&s.admin.c, t_fmt("href=\"%s/%lld\">Открыть заявку", q, app[0]));
	T_HAS(&s.admin.c, "href=\"#next\"");
	T_EQ(next_row(&s.admin.c, s.org), app[1]);
	/* The filter stays: 6Б's application is not on the page. */
	T_HAS(&s.admin.c, t_fmt("value=\"%lld\" selected", s.c5));
	T_LACKS(&s.admin.c, "Заявкин Шестой");
	/* Its rows lead to applications with the filter kept. */
	T_HAS(&s.admin.c, t_fmt("href=\"%s/%lld?class_id=%lld\"", q, app[2],
	    s.c5));

	/* Rejecting the newest: the next is the oldest left. */
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/%lld/reject", q, app[2]),
	    "reason=%s&back_class=%lld", t_enc("Мест нет"), s.c5), 303);
	snprintf(loc, sizeof(loc), "%s?class_id=%lld&decided_id=%lld", q,
	    s.c5, app[2]);
	T_EQ(t_get(&s.admin.c, loc), 200);
	T_HAS(&s.admin.c, "Заявка отклонена: Заявкин Третий (ученица, 5А).");
	T_EQ(next_row(&s.admin.c, s.org), app[1]);

	/* The homeroom teacher accepts from the queue's own button (a form
	 * of its own): back on their queue, where nothing is left. */
	T_EQ(t_get(&s.homeroom.c, q), 200);
	T_HAS(&s.homeroom.c, t_fmt("<form id=\"accept-%lld\" method=\"post\""
	    " action=\"%s/%lld/accept\">", app[1], q, app[1]));
	T_HAS(&s.homeroom.c, t_fmt("form=\"accept-%lld\"", app[1]));
	T_EQ(t_postf(&s.homeroom.c, t_fmt("%s/%lld/accept", q, app[1]),
	    "back_role=&back_class="), 303);
	T_STREQ(t_header(&s.homeroom.c, "Location"),
	    t_fmt("%s?decided_id=%lld#next", q, app[1]));
	T_EQ(t_get(&s.homeroom.c, t_fmt("%s?decided_id=%lld", q, app[1])), 200);
	T_HAS(&s.homeroom.c, "Заявка принята: Заявкин Второй (ученица, 5А).");
	T_HAS(&s.homeroom.c, "Больше заявок нет.");
	T_LACKS(&s.homeroom.c, "id=\"next\"");

	/* Someone else's decision is not announced as one's own. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decided_id=%lld", q, app[1])), 200);
	T_LACKS(&s.admin.c, "Заявка принята");
	T_EQ(next_row(&s.admin.c, s.org), app[3]);
	for (i = 0; i < 4; i++)
		t_client_free(&p[i].c);
	school_free(&s);
}

/*
 * The destructive action posting to post is offered on page by a link
 * (href as it appears in the HTML) to its confirmation page confirm,
 * never by a form posting there; the confirmation page holds that form,
 * with the csrf token.
 */
static void
confirm_offered(struct t_client *c, const char *page, const char *href,
    const char *confirm, const char *post)
{
	char	 form[512];

	snprintf(form, sizeof(form), "<form method=\"post\" action=\"%s\"",
	    post);
	T_EQ(t_get(c, page), 200);
	T_HAS(c, t_fmt("href=\"%s\"", href));
	T_LACKS(c, form);
	T_EQ(t_get(c, confirm), 200);
	T_HAS(c, form);
	T_HAS(c, "name=\"csrf\" value=\"");
}

/* 2a. Deciding many applications at once: confirmed on its own page. */
static void
confirm_bulk(void)
{
	struct school	 s;
	struct t_person	 p[3];
	const char	*names[3] = { "Первая", "Вторая", "Третья" };
	long long	 app[3];
	char		 q[64], d[80];
	int		 i;

	school_new(&s, "Школа Оптом");
	for (i = 0; i < 3; i++) {
		t_signup(&p[i], "Оптова", names[i]);
		app[i] = apply_self(&s, &p[i], "student", i < 2 ? s.c5 : s.c6);
		T_TRUE(app[i] > 0);
	}
	snprintf(q, sizeof(q), "/org/%lld/applications", s.org);
	snprintf(d, sizeof(d), "%s/decide", q);
	/* «Отклонить все» of the queue filtered by 5А. */
	confirm_offered(&s.admin.c, t_fmt("%s?class_id=%lld", q, s.c5),
	    t_fmt("%s?decision=reject&amp;all=1&amp;class_id=%lld", d, s.c5),
	    t_fmt("%s?decision=reject&all=1&class_id=%lld", d, s.c5), d);
	T_HAS(&s.admin.c, "Будут отклонены 2 заявки:");
	T_HAS(&s.admin.c, "Оптова Первая");
	T_HAS(&s.admin.c, "Оптова Вторая");
	T_LACKS(&s.admin.c, "Оптова Третья");
	T_HAS(&s.admin.c, t_fmt("name=\"id\" value=\"%lld\"", app[0]));
	T_HAS(&s.admin.c, "id=\"reason\"");
	/* The queue's selection form asks for the confirmation by GET. */
	T_EQ(t_get(&s.admin.c, q), 200);
	T_HAS(&s.admin.c, t_fmt("<form method=\"get\" action=\"%s\"", d));
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decision=accept&id=%lld", d, app[2])),
	    200);
	T_HAS(&s.admin.c, "Будет принята 1 заявка:");
	/* Asking changed nothing; nothing selected: 422; a bad id: 400. */
	T_STREQ(t_sql("SELECT string_agg(status, ',' ORDER BY id) FROM"
	    " parta.application WHERE org_id = %lld", s.org),
	    "pending,pending,pending");
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decision=reject", d)), 422);
	T_HAS(&s.admin.c, "id=\"id_error\"");
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decision=reject&id=x", d)), 400);
	/* A bad reason: 422 on the confirmation page, by the field. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s?decision=reject&all=1&class_id=%lld",
	    d, s.c5)), 200);
	T_EQ(t_postf(&s.admin.c, d, "decision=reject&id=%lld&reason=%s",
	    app[0], t_enc("a\tb")), 422);
	T_HAS(&s.admin.c, "id=\"reason_error\"");
	/* Confirmed: decided, back on the filtered queue. */
	T_EQ(t_postf(&s.admin.c, d, "decision=reject&id=%lld&id=%lld&reason=%s"
	    "&back_class=%lld", app[0], app[1], t_enc("Набор закрыт"), s.c5),
	    303);
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt("%s?class_id=%lld"
	    "&decided=2", q, s.c5));
	T_STREQ(t_sql("SELECT string_agg(status, ',' ORDER BY id) FROM"
	    " parta.application WHERE org_id = %lld", s.org),
	    "rejected,rejected,pending");
	for (i = 0; i < 3; i++)
		t_client_free(&p[i].c);
	school_free(&s);
}

/*
 * 2b. Every other destructive final action: the list's button leads to
 * a confirmation page (GET 200, nothing changed), whose form posts to
 * the unchanged route.
 */
static void
confirm_pages(void)
{
	struct school	 s;
	struct t_person	 st, te, ap;
	struct t_client	 op;
	long long	 st_id, te_id, app, inv, chat, msg;
	char		 o[64], path[160];

	school_new(&s, "Школа Подтверждений");
	t_signup(&st, "Удаляемый", "Ученик");
	t_signup(&te, "Предметов", "Тимур");
	t_signup(&ap, "Передумов", "Павел");
	st_id = st.id;
	te_id = te.id;
	member_add(s.org, &st, "student");
	class_member_add(s.org, s.c5, &st, "student");
	member_add(s.org, &te, "teacher");
	class_member_add(s.org, s.c5, &te, "teacher");
	snprintf(o, sizeof(o), "/org/%lld", s.org);

	/* Withdrawing one's application. */
	T_TRUE((app = apply_self(&s, &ap, "student", s.c6)) > 0);
	snprintf(path, sizeof(path), "/me/applications/%lld", app);
	confirm_offered(&ap.c, path, t_fmt("%s/withdraw", path),
	    t_fmt("%s/withdraw", path), t_fmt("%s/withdraw", path));
	T_HAS(&ap.c, "Отозвать заявку?");
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "pending");
	T_EQ(t_postf(&ap.c, t_fmt("%s/withdraw", path), "x=1"), 303);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "withdrawn");
	/* Withdrawn already: its confirmation answers 409. */
	T_EQ(t_get(&ap.c, t_fmt("%s/withdraw", path)), 409);

	/* Revoking an invite link. */
	inv = t_ll(t_sql("INSERT INTO parta.invite (org_id, created_by, role,"
	    " class_id, token_hash, max_uses, expires_at) VALUES (%lld, %lld,"
	    " 'student', %lld, sha256(convert_to('flow%lld', 'UTF8')), 5,"
	    " now() + interval '1 day') RETURNING id", s.org,
	    s.admin.id, s.c5, s.org));
	T_TRUE(inv > 0);
	snprintf(path, sizeof(path), "%s/invites/%lld", o, inv);
	confirm_offered(&s.admin.c, path, t_fmt("%s/revoke", path),
	    t_fmt("%s/revoke", path), t_fmt("%s/revoke", path));
	T_HAS(&s.admin.c, "Отозвать ссылку?");
	T_STREQ(t_sql("SELECT revoked_at IS NULL FROM parta.invite WHERE id ="
	    " %lld", inv), "t");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/revoke", path), "x=1"), 303);
	T_EQ(t_get(&s.admin.c, t_fmt("%s/revoke", path)), 409);

	/* A chat: deleting one's message, removing a member. */
	chat = t_ll(t_sql("SELECT id FROM parta.chat WHERE org_id = %lld AND"
	    " class_id = %lld AND purpose = 'students'", s.org, s.c5));
	T_TRUE(chat > 0);
	t_form(&st.c, t_fmt("/chats/%lld", chat));
	T_EQ(t_postf(&st.c, t_fmt("/chats/%lld/messages", chat), "text=%s",
	    t_enc("Удалю это")), 303);
	msg = t_id_after(t_header(&st.c, "Location"), "#m");
	T_TRUE(msg > 0);
	snprintf(path, sizeof(path), "/chats/%lld/messages/%lld/delete", chat,
	    msg);
	confirm_offered(&st.c, t_fmt("/chats/%lld", chat), path, path, path);
	T_HAS(&st.c, "«Удалю это»");
	T_EQ(t_postf(&st.c, path, "x=1"), 303);
	T_STREQ(t_sql("SELECT deleted_at IS NOT NULL FROM parta.message WHERE"
	    " id = %lld", msg), "t");
	snprintf(path, sizeof(path), "/chats/%lld/members/%lld/remove", chat,
	    st_id);
	confirm_offered(&s.homeroom.c, t_fmt("/chats/%lld/members", chat), path,
	    path, path);
	T_HAS(&s.homeroom.c, "Удаляемый Ученик");
	T_EQ(t_postf(&s.homeroom.c, path, "x=1"), 303);

	/* A class: its subject teacher, its homeroom teacher, archiving. */
	snprintf(path, sizeof(path), "%s/classes/%lld", o, s.c5);
	confirm_offered(&s.admin.c, path, t_fmt("%s/teachers/%lld/remove", path,
	    te_id), t_fmt("%s/teachers/%lld/remove", path, te_id),
	    t_fmt("%s/teachers/%lld/remove", path, te_id));
	T_HAS(&s.admin.c, "Предметов Тимур перестанет вести уроки в классе 5А");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/teachers/%lld/remove", path, te_id),
	    "x=1"), 303);
	confirm_offered(&s.admin.c, path, t_fmt("%s/homeroom/remove?account_id="
	    "%lld", path, s.homeroom.id),
	    t_fmt("%s/homeroom/remove?account_id=%lld", path,
	    s.homeroom.id), t_fmt("%s/homeroom/remove", path));
	T_HAS(&s.admin.c, t_fmt("name=\"account_id\" value=\"%lld\"",
	    s.homeroom.id));
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/homeroom/remove", path),
	    "account_id=%lld", s.homeroom.id), 303);
	/* Not (any more) its homeroom teacher: 409 on the class page. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s/homeroom/remove?account_id=%lld", path,
	    s.homeroom.id)), 409);
	T_EQ(t_get(&s.admin.c, t_fmt("%s/homeroom/remove?account_id=x", path)),
	    404);
	confirm_offered(&s.admin.c, t_fmt("%s/edit", path), t_fmt("%s/archive",
	    path), t_fmt("%s/archive", path), t_fmt("%s/archive", path));
	T_HAS(&s.admin.c, "Перенести 5А");
	T_STREQ(t_sql("SELECT archived_at IS NULL FROM parta.class WHERE id ="
	    " %lld", s.c5), "t");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/archive", path), "x=1"), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), path);
	T_STREQ(t_sql("SELECT archived_at IS NOT NULL FROM parta.class WHERE"
	    " id = %lld", s.c5), "t");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld AND"
	    " action = 'class_archive'", s.org),
	    t_fmt("5А (%lld/%lld) перенесён в архив", s.year, s.year + 1));
	T_EQ(t_get(&s.admin.c, t_fmt("%s/archive", path)), 409);
	/* An archived class's form keeps the box that brings it back. */
	T_EQ(t_get(&s.admin.c, t_fmt("%s/edit", path)), 200);
	T_HAS(&s.admin.c, "name=\"archived\" value=\"1\" checked");

	/* Removing a member; leaving. */
	snprintf(path, sizeof(path), "%s/members/%lld", o, st_id);
	confirm_offered(&s.admin.c, path, t_fmt("%s/remove", path),
	    t_fmt("%s/remove", path), t_fmt("%s/remove", path));
	T_HAS(&s.admin.c, "Удаляемый Ученик");
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, st_id), "1");
	T_EQ(t_postf(&s.admin.c, t_fmt("%s/remove", path), "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, st_id), "0");
	confirm_offered(&te.c, o, t_fmt("%s/leave", o), t_fmt("%s/leave", o),
	    t_fmt("%s/leave", o));
	T_HAS(&te.c, "Выйти из «Школа Подтверждений»?");
	T_EQ(t_postf(&te.c, t_fmt("%s/leave", o), "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, te_id), "0");

	/* The operator removing an administrator. */
	T_TRUE(t_operator_login(&op) == 0);
	snprintf(path, sizeof(path), "/operator/orgs/%lld", s.org);
	confirm_offered(&op, path, t_fmt("%s/admins/%lld/remove", path,
	    s.admin.id), t_fmt("%s/admins/%lld/remove", path,
	    s.admin.id), t_fmt("%s/admins/%lld/remove", path,
	    s.admin.id));
	T_HAS(&op, "Это единственный администратор");
	T_EQ(t_get(&op, t_fmt("%s/admins/%lld/remove", path,
	    s.homeroom.id)), 404);
	t_client_free(&op);
	t_client_free(&st.c);
	t_client_free(&te.c);
	t_client_free(&ap.c);
	school_free(&s);
}

/* The registration request form, with a small document. */
static long
org_request(struct t_client *c, const char *inn, const char *kpp,
    const char *phone)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	const struct t_orgreq q = { "70", "МАОУ «Школа двойного щелчка»",
	    "Школа двойного щелчка", inn, kpp, "Щелчкова", "Дарья", "", phone,
	    "г. Томск, ул. Мира, 2", "prikaz.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1 };

	return t_orgreq_post(c, &q);
}

/* 3. One pending request per INN: the second sees the first. */
static void
org_request_once(void)
{
	struct t_person	 p, other;
	char		 inn[11], kpp[10];
	long long	 req;

	t_signup(&p, "Щелчков", "Дмитрий");
	t_signup(&other, "Коллегов", "Кирилл");
	t_unique_inn(inn, kpp);
	t_form(&p.c, "/register/org");
	T_EQ(org_request(&p.c, inn, kpp, p.phone), 303);
	req = t_id_after(t_header(&p.c, "Location"), "/register/org/");
	T_TRUE(req > 0);
	/* The same person again: «заявка уже подана, вот она». */
	t_form(&p.c, "/register/org");
	T_EQ(org_request(&p.c, inn, kpp, p.phone), 409);
	T_HAS(&p.c, "Заявка уже подана");
	T_HAS(&p.c, t_fmt("href=\"/register/org/%lld\"", req));
	/* Someone else, another KPP of the same INN: told, not linked. */
	t_form(&other.c, "/register/org");
	T_EQ(org_request(&other.c, inn, "700101001", other.phone), 409);
	T_HAS(&other.c, "уже подал другой человек");
	T_LACKS(&other.c, t_fmt("/register/org/%lld", req));
	T_STREQ(t_sql("SELECT count(*) FROM parta.org_request WHERE inn ="
	    " '%s'", inn), "1");
	/* Once it is decided, a new one may be filed. */
	T_TRUE(t_sql("UPDATE parta.org_request SET status = 'rejected',"
	    " decided_at = now() WHERE id = %lld", req) != NULL);
	t_form(&p.c, "/register/org");
	T_EQ(org_request(&p.c, inn, kpp, p.phone), 303);
	t_client_free(&p.c);
	t_client_free(&other.c);
}

#define PAR	20

struct dbl {
	struct t_person	 p[PAR];
	char		 inn[11], kpp[10];
	long		 status[PAR];
};

static void
dbl_one(int i, void *arg)
{
	struct dbl	*d = arg;

	d->status[i] = org_request(&d->p[i].c, d->inn, d->kpp,
	    d->p[i].phone);
}

/* 3. Twenty clicks at once: exactly one request, nineteen see it. */
static void
org_request_parallel(void)
{
	struct dbl	*d = calloc(1, sizeof(*d));
	int		 i, created = 0, seen = 0;

	t_signup(&d->p[0], "Торопыгин", "Тимофей");
	/* One person, twenty sessions: a double click, twenty times. */
	for (i = 1; i < PAR; i++) {
		d->p[i] = d->p[0];
		t_login(&d->p[i]);
	}
	t_unique_inn(d->inn, d->kpp);
	for (i = 0; i < PAR; i++)
		T_TRUE(t_form(&d->p[i].c, "/register/org") != NULL);
	t_parallel(PAR, dbl_one, d);
	for (i = 0; i < PAR; i++) {
		created += d->status[i] == 303;
		seen += d->status[i] == 409;
	}
	T_EQ(created, 1);
	T_EQ(seen, PAR - 1);
	T_STREQ(t_sql("SELECT count(*) FROM parta.org_request WHERE inn ="
	    " '%s'", d->inn), "1");
	for (i = 0; i < PAR; i++)
		t_client_free(&d->p[i].c);
	free(d);
}

/* The rollover form of year from for the admin: its plan digest. */
static const char *
rollover_plan(struct t_client *c, long long org, long long from)
{
	if (t_get(c, t_fmt("/org/%lld/classes/rollover?from=%lld", org,
	    from)) != 200)
		return "";
	return t_hidden(c, "plan");
}

/*
 * 4. The rollover says when it is meant (June-August, once the year is
 * over); while year from still runs it asks once more, and without that
 * the POST answers 422 by the box, changing nothing.  Next year's
 * classes are always early, last year's never; this year's follow the
 * calendar (the rule itself: tests/unit/test_flow.c).
 */
static void
rollover_timing(void)
{
	struct school	 s;
	const char	*r, *plan;
	long long	 last, next;
	int		 early_now;

	school_new(&s, "Школа Календаря");
	r = t_fmt("/org/%lld/classes/rollover", s.org);
	last = t_class_add(s.org, 3, "В", s.year - 1);
	next = t_class_add(s.org, 4, "Г", s.year + 1);
	T_TRUE(last > 0 && next > 0);

	/* Last year's: over, no extra box. */
	plan = rollover_plan(&s.admin.c, s.org, s.year - 1);
	T_HAS(&s.admin.c, "с июня по август");
	T_LACKS(&s.admin.c, "name=\"early\"");
	T_EQ(t_postf(&s.admin.c, r, "from=%lld&plan=%s", s.year - 1, plan),
	    303);

	/* Next year's: not even begun. */
	plan = t_fmt("%s", rollover_plan(&s.admin.c, s.org, s.year + 1));
	T_HAS(&s.admin.c, "ещё идёт");
	T_HAS(&s.admin.c, "name=\"early\" value=\"1\"");
	T_EQ(t_postf(&s.admin.c, r, "from=%lld&plan=%s", s.year + 1, plan),
	    422);
	T_HAS(&s.admin.c, "id=\"early_error\"");
	T_HAS(&s.admin.c, "Учебный год ещё идёт — всё равно перевести");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_rollover WHERE"
	    " org_id = %lld AND from_year = %lld", s.org, s.year + 1), "0");
	T_STREQ(t_sql("SELECT archived_at IS NULL FROM parta.class WHERE id ="
	    " %lld", next), "t");
	T_EQ(t_postf(&s.admin.c, r, "from=%lld&plan=%s&early=1", s.year + 1,
	    plan), 303);
	T_STREQ(t_sql("SELECT archived_at IS NOT NULL FROM parta.class WHERE"
	    " id = %lld", next), "t");

	/* This year's, by today's date where the school is. */
	early_now = strcmp(t_sql("SELECT extract(month FROM now() AT TIME"
	    " ZONE 'Asia/Tomsk') NOT BETWEEN 6 AND 8"), "t") == 0;
	T_STREQ(t_sql("SELECT parta.rollover_early(%lld, %lld)", s.org,
	    s.year), early_now ? "t" : "f");
	plan = t_fmt("%s", rollover_plan(&s.admin.c, s.org, s.year));
	T_EQ(t_has(&s.admin.c, "name=\"early\""), early_now);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/classes", s.org)), 200);
	T_EQ(t_has(&s.admin.c, "летом, когда учебный год закончится"),
	    early_now);
	T_EQ(t_postf(&s.admin.c, r, "from=%lld&plan=%s", s.year, plan),
	    early_now ? 422 : 303);
	school_free(&s);
}

static int
parta_admin(const char *args)
{
	char		 cmd[512];
	const char	*root = getenv("PARTA_ROOT");
	int		 rc;

	snprintf(cmd, sizeof(cmd), "%s/build/bin/parta-admin %s >/dev/null "
	    "2>&1", root ? root : ".", args);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The latest message to to holds every string of words. */
static int
told(const char *to, const char *a, const char *b)
{
	char	*msg = t_outbox_last(to);
	int	 ok = msg != NULL && strstr(msg, a) != NULL &&
	    (b == NULL || strstr(msg, b) != NULL);

	free(msg);
	return ok;
}

/*
 * 5. Binding an administrator tells the phone bound and the phone whose
 * waiting grant it replaced; removing one tells them; the same from
 * parta-admin; an approved request tells the administrator's phone.
 */
static void
admin_messages(void)
{
	struct t_person	 first, second;
	struct t_client	 op;
	char		 waiting[16], other[16], path[160];
	long long	 org, first_id;
	int		 n;

	t_signup(&first, "Прежняя", "Полина");
	t_signup(&second, "Новая", "Нина");
	org = t_org_create(&first, "Лицей Вестей");
	first_id = first.id;
	T_TRUE(t_operator_login(&op) == 0);
	snprintf(path, sizeof(path), "/operator/orgs/%lld", org);

	/* A phone nobody has proved yet: told to log in with it. */
	t_unique_phone(waiting);
	t_form(&op, path);
	T_EQ(t_postf(&op, t_fmt("%s/admin", path), "phone=%s", t_enc(waiting)),
	    303);
	T_TRUE(told(waiting, "назначены администратором организации «Лицей "
	    "Вестей»", "Войдите"));
	/* Another phone, verified: told it is theirs; the waiting one is
	 * told the role went to someone else. */
	n = t_outbox_count(second.phone);
	T_EQ(t_postf(&op, t_fmt("%s/admin", path), "phone=%s",
	    t_enc(second.phone)), 303);
	T_EQ(t_outbox_count(second.phone), n + 1);
	T_TRUE(told(second.phone, "назначены администратором организации "
	    "«Лицей Вестей»", t_fmt("/org/%lld", org)));
	T_TRUE(told(waiting, "«Лицей Вестей» оператор назначил другого",
	    NULL));
	/* Removing the first administrator tells her. */
	T_EQ(t_get(&op, t_fmt("%s/admins/%lld/remove", path, first_id)), 200);
	T_EQ(t_postf(&op, t_fmt("%s/admins/%lld/remove", path, first_id),
	    "x=1"), 303);
	T_TRUE(told(first.phone, "больше не администратор организации «Лицей "
	    "Вестей»", NULL));

	/* parta-admin says the same. */
	t_unique_phone(other);
	T_EQ(parta_admin(t_fmt("admin-change %lld %s", org, other)), 0);
	T_TRUE(told(other, "назначены администратором организации «Лицей "
	    "Вестей»", NULL));
	T_EQ(parta_admin(t_fmt("admin-remove %lld %lld", org,
	    second.id)), 0);
	T_TRUE(told(second.phone, "больше не администратор организации "
	    "«Лицей Вестей»", NULL));
	t_client_free(&op);
	t_client_free(&first.c);
	t_client_free(&second.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "after a decision: the queue, its filter, a notice, the "
		    "next one", queue_after_decision },
		{ "bulk decisions are confirmed on a page of their own",
		    confirm_bulk },
		{ "destructive actions are confirmed on pages of their own",
		    confirm_pages },
		{ "one pending registration request per INN",
		    org_request_once },
		{ "twenty at once: one request", org_request_parallel },
		{ "the rollover says when, and asks once more before June",
		    rollover_timing },
		{ "an administrator bound or removed is told", admin_messages },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
