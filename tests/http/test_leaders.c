/*
 * The organization's leaders (issue 21, program leaders,
 * sql/0033_leaders.sql): who sees /org/N/leaders (members, the operator,
 * the guardians of the students; nobody else), who edits it (the
 * administrators: 403 inside, 404 outside), a member-leader's contacts
 * hidden until that person shows them, typed-in leaders, order, limits
 * and 422s next to the field, the audit, a leader who leaves the
 * organization, and the button to write to a leader directly where the
 * direct messages' rule allows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* A school with its admin, a verified teacher, a student of class 5А
 * (taught by the teacher), the student's parent, a stranger and another
 * school's admin. */
struct school {
	struct t_person	 admin, teacher, student, parent, stranger, other;
	long long	 org, org2, cls;
};

static void
school_new(struct school *s)
{
	T_TRUE(t_signup(&s->admin, "Директорова", "Галина") == 0);
	T_TRUE((s->org = t_org_create(&s->admin, NULL)) > 0);
	T_TRUE(t_signup(&s->other, "Чужакова", "Ольга") == 0);
	T_TRUE((s->org2 = t_org_create(&s->other, "Соседняя школа")) > 0);
	t_person_new(&s->teacher, "Завучева", "Мария", s->org, "teacher");
	t_person_new(&s->student, "Ученикова", "Вера", s->org, "student");
	t_person_new(&s->parent, "Родителева", "Нина", 0, NULL);
	t_person_new(&s->stranger, "Прохожева", "Зоя", 0, NULL);
	T_TRUE((s->cls = t_class_add(s->org, 5, "А", 0)) > 0);
	t_class_member_add(s->org, s->cls, s->student.id, "student");
	t_class_member_add(s->org, s->cls, s->teacher.id, "teacher");
	T_TRUE(t_guardian_add(s->parent.id, s->student.id) == 0);
	/* The parent's session learns its new organization at login. */
	T_TRUE(t_login(&s->parent) == 0);
}

static void
school_free(struct school *s)
{
	t_client_free(&s->admin.c);
	t_client_free(&s->teacher.c);
	t_client_free(&s->student.c);
	t_client_free(&s->parent.c);
	t_client_free(&s->stranger.c);
	t_client_free(&s->other.c);
}

/* The admin adds the teacher as director: the leader's id. */
static long long
add_teacher(struct school *s, const char *title)
{
	t_form(&s->admin.c, t_fmt("/org/%lld/leaders/edit", s->org));
	T_EQ(t_postf(&s->admin.c, t_fmt("/org/%lld/leaders/edit", s->org),
	    "kind=member&account_id=%lld&m_position=%s&m_hours=%s",
	    s->teacher.id, t_enc(title), t_enc("вторник, 15:00–17:00")), 303);
	return t_id_after(t_header(&s->admin.c, "Location"), "?leader=");
}

/* The admin adds someone not on the platform: the leader's id. */
static long long
add_other(struct school *s, const char *name, const char *title)
{
	t_form(&s->admin.c, t_fmt("/org/%lld/leaders/edit", s->org));
	T_EQ(t_postf(&s->admin.c, t_fmt("/org/%lld/leaders/edit", s->org),
	    "kind=other&name=%s&position=%s&phone=%s&email=%s&hours=",
	    t_enc(name), t_enc(title), t_enc("+7 3822 12-34-56"),
	    "zam%40school.example"), 303);
	return t_id_after(t_header(&s->admin.c, "Location"), "?leader=");
}

static void
who_sees_and_who_edits(void)
{
	struct school	 s;
	struct t_client	 anon, op;
	char		 page[128], edit[128];
	long long	 director, deputy;
	char		*d, *z;

	school_new(&s);
	snprintf(page, sizeof(page), "/org/%lld/leaders", s.org);
	T_EQ(t_get(&s.admin.c, page), 200);
	T_HAS(&s.admin.c, "Список руководителей пока не заполнен");
	T_HAS(&s.admin.c, "/leaders\">Руководители</a>");
	T_TRUE((director = add_teacher(&s, "Директор")) > 0);
	T_TRUE((deputy = add_other(&s, "Петрова Анна Сергеевна",
	    "Заместитель директора по УВР")) > 0);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/leaders/edit?leader=%lld",
	    s.org, deputy)), 200);

	/* Members, the operator and the student's parent see it, in order. */
	snprintf(page, sizeof(page), "/org/%lld/leaders", s.org);
	T_EQ(t_get(&s.student.c, page), 200);
	T_HAS(&s.student.c, "Завучева Мария");
	T_HAS(&s.student.c, "Петрова Анна Сергеевна");
	T_HAS(&s.student.c, "вторник, 15:00–17:00");
	d = strstr(s.student.c.r.body, "Директор");
	z = strstr(s.student.c.r.body, "Заместитель директора по УВР");
	T_TRUE(d != NULL && z != NULL && d < z);
	/* Typed-in contacts show; the teacher's own stay hidden. */
	T_HAS(&s.student.c, "+7 3822 12-34-56");
	T_HAS(&s.student.c, "zam@school.example");
	T_LACKS(&s.student.c, s.teacher.phone);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_HAS(&s.parent.c, "Завучева Мария");
	/* The parent finds it beside the child's class. */
	T_EQ(t_get(&s.parent.c, "/chats/family"), 200);
	T_HAS(&s.parent.c, t_fmt("href=\"/org/%lld/leaders\"", s.org));
	T_EQ(t_get(&s.parent.c, page), 200);
	/* A parent cannot open member cards: no link to them. */
	T_LACKS(&s.parent.c, t_fmt("/members/%lld", s.teacher.id));
	T_EQ(t_get(&s.student.c, page), 200);
	T_HAS(&s.student.c, t_fmt("/org/%lld/members/%lld", s.org,
	    s.teacher.id));
	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(t_get(&op, page), 200);
	t_client_free(&op);

	/* Outsiders: 404, as if there were no such organization. */
	T_EQ(t_get(&s.stranger.c, page), 404);
	T_EQ(t_get(&s.other.c, page), 404);
	T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/leaders/edit", s.org)), 404);
	t_form(&s.other.c, t_fmt("/org/%lld/leaders/edit", s.org2));
	T_EQ(t_postf(&s.other.c, t_fmt("/org/%lld/leaders/%lld/remove",
	    s.org, deputy), "x=1"), 404);
	/* Another organization's leader under one's own: 404. */
	T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/leaders/%lld", s.org2,
	    deputy)), 404);
	T_EQ(t_postf(&s.other.c, t_fmt("/org/%lld/leaders/%lld/remove",
	    s.org2, deputy), "x=1"), 404);
	t_client_init(&anon);
	T_EQ(t_get(&anon, page), 303);
	T_TRUE(strstr(t_header(&anon, "Location"), "/login?next=") != NULL);
	t_client_free(&anon);

	/* Inside, only administrators edit: 403. */
	snprintf(edit, sizeof(edit), "/org/%lld/leaders/edit", s.org);
	T_EQ(t_get(&s.teacher.c, edit), 403);
	T_EQ(t_get(&s.student.c, edit), 403);
	t_form(&s.teacher.c, page);
	T_EQ(t_postf(&s.teacher.c, edit, "kind=other&name=%s&position=%s",
	    t_enc("Самозванцев Иван"), t_enc("Директор")), 403);
	T_EQ(t_postf(&s.teacher.c, t_fmt("/org/%lld/leaders/%lld/remove",
	    s.org, deputy), "x=1"), 403);
	T_EQ(t_postf(&s.teacher.c, t_fmt("/org/%lld/leaders/%lld/move",
	    s.org, deputy), "dir=up"), 403);
	T_STREQ(t_sql("SELECT count(*) FROM parta.leader WHERE org_id = %lld",
	    s.org), "2");
	/* The admin sees the buttons; others do not. */
	T_EQ(t_get(&s.admin.c, page), 200);
	T_HAS(&s.admin.c, "Изменить список");
	T_EQ(t_get(&s.teacher.c, page), 200);
	T_LACKS(&s.teacher.c, "Изменить список");

	/* Both additions are in the audit, in Russian words. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit_event WHERE org_id ="
	    " %lld AND action = 'leader_add'", s.org), "2");
	school_free(&s);
}

static void
contacts_are_the_leaders_choice(void)
{
	struct school	 s;
	char		 page[128], mine[128];

	school_new(&s);
	T_TRUE(add_teacher(&s, "Директор") > 0);
	snprintf(page, sizeof(page), "/org/%lld/leaders", s.org);
	snprintf(mine, sizeof(mine), "/org/%lld/leaders/contacts", s.org);
	/* Nobody but the person turns their contacts on, not even the
	 * database's owner. */
	T_TRUE(t_sql("UPDATE parta.leader SET show_phone = true WHERE org_id"
	    " = %lld", s.org) == NULL);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_LACKS(&s.parent.c, s.teacher.phone);
	T_EQ(t_get(&s.teacher.c, page), 200);
	T_HAS(&s.teacher.c, "Вы в списке руководителей");
	/* Someone not on the list has no such page. */
	T_EQ(t_get(&s.student.c, mine), 404);
	T_EQ(t_get(&s.teacher.c, mine), 200);
	T_HAS(&s.teacher.c, s.teacher.phone);
	/* A value other than a ticked box: 422 next to it. */
	T_EQ(t_postf(&s.teacher.c, mine, "show_phone=yes"), 422);
	T_HAS(&s.teacher.c, "show_phone_error");
	T_EQ(t_postf(&s.teacher.c, mine, "show_phone=1"), 303);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_HAS(&s.parent.c, s.teacher.phone);
	T_EQ(t_get(&s.student.c, page), 200);
	T_HAS(&s.student.c, s.teacher.phone);
	/* The admin's edit keeps them as the person chose. */
	t_form(&s.admin.c, t_fmt("/org/%lld/leaders/edit", s.org));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/leaders/%s", s.org,
	    t_sql("SELECT id FROM parta.leader WHERE org_id = %lld", s.org)),
	    "position=%s&hours=", t_enc("Директор школы")), 303);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_HAS(&s.parent.c, "Директор школы");
	T_HAS(&s.parent.c, s.teacher.phone);
	/* The person's own data holds it. */
	T_EQ(t_get(&s.teacher.c, "/me/export"), 200);
	T_HAS(&s.teacher.c, "Страницы руководителей");
	T_HAS(&s.teacher.c, "Директор школы");
	T_HAS(&s.teacher.c, "телефон показан: да");
	/* Hidden again. */
	t_form(&s.teacher.c, mine);
	T_EQ(t_postf(&s.teacher.c, mine, "x=1"), 303);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_LACKS(&s.parent.c, s.teacher.phone);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'leader_contacts' AND actor_id = %lld", s.org,
	    s.teacher.id), "2");
	school_free(&s);
}

static void
forms_say_what_is_wrong(void)
{
	struct school	 s;
	char		 edit[128];
	char		 longtitle[160 * 2 + 1];
	int		 i;

	school_new(&s);
	snprintf(edit, sizeof(edit), "/org/%lld/leaders/edit", s.org);
	t_form(&s.admin.c, edit);
	/* An empty position: 422 next to it, the name kept. */
	T_EQ(t_postf(&s.admin.c, edit, "kind=other&name=%s&position=&phone=%s",
	    t_enc("Сидоров Пётр"), t_enc("12")), 422);
	T_HAS(&s.admin.c, "id=\"position_error\"");
	T_HAS(&s.admin.c, "Заполните поле");
	T_HAS(&s.admin.c, "id=\"phone_error\"");
	T_HAS(&s.admin.c, "value=\"Сидоров Пётр\"");
	/* 151 characters. */
	for (i = 0; i < 151; i++)
		longtitle[i] = 'x';
	longtitle[151] = '\0';
	T_EQ(t_postf(&s.admin.c, edit, "kind=other&name=%s&position=%s",
	    t_enc("Сидоров Пётр"), longtitle), 422);
	T_HAS(&s.admin.c, "Не больше 150 символов");
	/* A student is not staff. */
	T_EQ(t_postf(&s.admin.c, edit, "kind=member&account_id=%lld&m_position="
	    "%s", s.student.id, t_enc("Директор")), 422);
	T_HAS(&s.admin.c, "id=\"account_id_error\"");
	/* Someone of another school neither. */
	T_EQ(t_postf(&s.admin.c, edit, "kind=member&account_id=%lld&m_position="
	    "%s", s.other.id, t_enc("Директор")), 422);
	T_HAS(&s.admin.c, "id=\"account_id_error\"");
	/* Twice the same person. */
	T_TRUE(add_teacher(&s, "Директор") > 0);
	t_form(&s.admin.c, edit);
	T_EQ(t_postf(&s.admin.c, edit, "kind=member&account_id=%lld&m_position="
	    "%s", s.teacher.id, t_enc("Завуч")), 422);
	T_HAS(&s.admin.c, "уже в списке");
	T_STREQ(t_sql("SELECT count(*) FROM parta.leader WHERE org_id = %lld",
	    s.org), "1");
	/* 30 at most. */
	T_TRUE(t_sql("INSERT INTO parta.leader (org_id, name, title)"
	    " SELECT %lld, 'Человек ' || i, 'Должность ' || i"
	    " FROM generate_series(1, 29) i", s.org) != NULL);
	T_EQ(t_get(&s.admin.c, edit), 200);
	T_HAS(&s.admin.c, "больше добавить нельзя");
	T_EQ(t_postf(&s.admin.c, edit, "kind=other&name=%s&position=%s",
	    t_enc("Лишний Иван"), t_enc("Ещё один")), 422);
	T_HAS(&s.admin.c, "30 руководителей");
	T_STREQ(t_sql("SELECT count(*) FROM parta.leader WHERE org_id = %lld",
	    s.org), "30");
	school_free(&s);
}

static void
order_and_removal(void)
{
	struct school	 s;
	char		 page[128];
	long long	 a, b;
	char		*x, *y;

	school_new(&s);
	snprintf(page, sizeof(page), "/org/%lld/leaders", s.org);
	T_TRUE((a = add_other(&s, "Первов Андрей", "Директор")) > 0);
	T_TRUE((b = add_other(&s, "Вторых Борис", "Заместитель")) > 0);
	/* One leader's form: the stored values, the page's own title. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/leaders/%lld", s.org, b)),
	    200);
	T_HAS(&s.admin.c, "<title>Руководитель — Парта</title>");
	T_HAS(&s.admin.c, "value=\"Заместитель\"");
	T_HAS(&s.admin.c, "value=\"Вторых Борис\"");
	t_form(&s.admin.c, t_fmt("/org/%lld/leaders/edit", s.org));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/leaders/%lld/move", s.org,
	    b), "dir=up"), 303);
	T_EQ(t_get(&s.student.c, page), 200);
	x = strstr(s.student.c.r.body, "Вторых Борис");
	y = strstr(s.student.c.r.body, "Первов Андрей");
	T_TRUE(x != NULL && y != NULL && x < y);
	/* The first one up again: nothing moves. */
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/leaders/%lld/move", s.org,
	    b), "dir=up"), 303);
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/leaders/%lld/move", s.org,
	    b), "dir=sideways"), 400);
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/leaders/%lld/move", s.org,
	    b + 100000), "dir=up"), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'leader_move'", s.org), "1");

	/* Taken off, after a confirmation page. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/leaders/%lld/remove", s.org,
	    a)), 200);
	T_HAS(&s.admin.c, "Первов Андрей");
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/leaders/%lld/remove", s.org,
	    a), "x=1"), 303);
	T_EQ(t_get(&s.student.c, page), 200);
	T_LACKS(&s.student.c, "Первов Андрей");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/leaders/%lld", s.org, a)),
	    404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'leader_remove'", s.org), "1");

	/* A leader removed from the organization is off the list. */
	T_TRUE(add_teacher(&s, "Завуч") > 0);
	T_EQ(t_get(&s.student.c, page), 200);
	T_HAS(&s.student.c, "Завучева Мария");
	t_form(&s.admin.c, t_fmt("/org/%lld/members/%lld/remove", s.org,
	    s.teacher.id));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/members/%lld/remove", s.org,
	    s.teacher.id), "x=1"), 303);
	T_EQ(t_get(&s.student.c, page), 200);
	T_LACKS(&s.student.c, "Завучева Мария");
	T_EQ(t_get(&s.parent.c, page), 200);
	T_LACKS(&s.parent.c, "Завучева Мария");
	school_free(&s);
}

static void
write_to_a_leader(void)
{
	struct school	 s;
	char		 page[128];
	const char	*loc;

	school_new(&s);
	T_TRUE(add_teacher(&s, "Директор") > 0);
	snprintf(page, sizeof(page), "/org/%lld/leaders", s.org);
	/* The parent of a student the leader teaches may write to them. */
	T_EQ(t_get(&s.parent.c, page), 200);
	T_HAS(&s.parent.c, "action=\"/chats/direct\"");
	T_HAS(&s.parent.c, t_fmt("name=\"account_id\" value=\"%lld\"",
	    s.teacher.id));
	T_EQ(t_postf(&s.parent.c, "/chats/direct", "account_id=%lld",
	    s.teacher.id), 303);
	T_TRUE((loc = t_header(&s.parent.c, "Location")) != NULL &&
	    strncmp(loc, "/chats/", 7) == 0);
	/* A member is offered no direct chat the platform has not. */
	T_EQ(t_get(&s.student.c, page), 200);
	T_LACKS(&s.student.c, "action=\"/chats/direct\"");
	/* A leader who no longer teaches the class is still the school's
	 * leader: any parent of the school may write to them. */
	T_TRUE(t_sql("DELETE FROM parta.class_member WHERE org_id = %lld AND"
	    " account_id = %lld", s.org, s.teacher.id) != NULL);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_HAS(&s.parent.c, "action=\"/chats/direct\"");
	T_EQ(t_postf(&s.parent.c, "/chats/direct", "account_id=%lld",
	    s.teacher.id), 303);
	/* Off the page as well: no button, and the platform refuses. */
	T_TRUE(t_sql("DELETE FROM parta.leader WHERE org_id = %lld AND"
	    " account_id = %lld", s.org, s.teacher.id) != NULL);
	T_EQ(t_get(&s.parent.c, page), 200);
	T_LACKS(&s.parent.c, "action=\"/chats/direct\"");
	/* A button left on an open page: 404 that says what to do, the
	 * same as for anybody one may never write to. */
	T_EQ(t_postf(&s.parent.c, "/chats/direct", "account_id=%lld",
	    s.teacher.id), 404);
	T_HAS(&s.parent.c, "Откройте список ещё раз");
	T_EQ(t_postf(&s.parent.c, "/chats/direct", "account_id=%lld",
	    s.admin.id), 404);
	T_HAS(&s.parent.c, "Откройте список ещё раз");
	school_free(&s);
}

#define CROWD	10

struct crowd {
	struct t_client	*c;
	char		 path[96];
	long		 status[CROWD];
};

static void
crowd_one(int i, void *arg)
{
	struct crowd	*x = arg;

	x->status[i] = t_postf(&x->c[i], x->path, "kind=other&name=%s"
	    "&position=%s", t_enc(t_fmt("Спешкин %d", i)), t_enc("Завуч"));
}

/* Ten administrators' windows adding at once to a list of 25: five get
 * in, five are told the list is full; 30, never more. */
static void
limit_holds_under_a_crowd(void)
{
	static struct t_client	 c[CROWD];
	struct school		 s;
	struct crowd		 x;
	int			 i, in = 0, full = 0;

	school_new(&s);
	T_TRUE(t_sql("INSERT INTO parta.leader (org_id, name, title)"
	    " SELECT %lld, 'Человек ' || i, 'Должность ' || i"
	    " FROM generate_series(1, 25) i", s.org) != NULL);
	t_clients_of(&s.admin, c, CROWD);
	memset(&x, 0, sizeof(x));
	x.c = c;
	snprintf(x.path, sizeof(x.path), "/org/%lld/leaders/edit", s.org);
	for (i = 0; i < CROWD; i++)
		t_form(&c[i], x.path);
	t_parallel(CROWD, crowd_one, &x);
	for (i = 0; i < CROWD; i++) {
		if (x.status[i] == 303)
			in++;
		else if (x.status[i] == 422)
			full++;
		else
			t_fail(__FILE__, __LINE__, "window %d: status %ld", i,
			    x.status[i]);
	}
	T_EQ(in, 5);
	T_EQ(full, 5);
	T_STREQ(t_sql("SELECT count(*) || ' ' || count(DISTINCT sort)"
	    " FROM parta.leader WHERE org_id = %lld", s.org), "30 30");
	for (i = 0; i < CROWD; i++)
		t_client_free(&c[i]);
	school_free(&s);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "leaders: who sees the page and who edits it", who_sees_and_who_edits },
		{ "leaders: a member's contacts are theirs to show", contacts_are_the_leaders_choice },
		{ "leaders: 422 next to the field, 30 at most", forms_say_what_is_wrong },
		{ "leaders: order, taking off, leaving the school", order_and_removal },
		{ "leaders: writing to a leader directly", write_to_a_leader },
		{ "leaders: 30 at most when ten add at once", limit_holds_under_a_crowd },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
