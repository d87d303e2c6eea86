/*
 * Role-aware home pages: what /me shows a parent (children, their
 * classes, schools and chats; never "find an organization and apply"),
 * a student (their class and its chats), a homeroom teacher (their class
 * and its pending applications), a teacher (their classes), an
 * administrator (their organization and its pending applications), a
 * person with several roles (each part) and one with none (how to
 * join); every role's checklist ticking as the person really does each
 * step; the person's organization registration requests; the parent
 * link for students only; where a login lands, the operator at their
 * desk, whose pages keep the operator's menu.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* A signed-up person, a member of org with role (NULL: none) as approve
 * makes them (a student unverified): the account id. */
static long long
person(struct t_person *p, const char *last, const char *first,
    long long org, const char *role)
{
	t_signup(p, last, first);
	if (role != NULL)
		t_member_add(org, p->id, role, strcmp(role, "student") != 0);
	return p->id;
}

/* The checklist on the last page has step text ticked, or not. */
static int
ticked(const struct t_client *c, const char *text)
{
	char	 want[512];

	snprintf(want, sizeof(want), "%s</a> <span class=\"ok\">— готово",
	    text);
	return t_has(c, want);
}

static int
unticked(const struct t_client *c, const char *text)
{
	char	 want[512];

	snprintf(want, sizeof(want), "%s</a></li>", text);
	return t_has(c, want);
}

#define T_TICKED(c, text) do {						\
	if (!ticked(c, text))						\
		T_FAIL("step \"%s\" not ticked: %.300s", (text),	\
		    t_snippet(c));					\
} while (0)
#define T_UNTICKED(c, text) do {					\
	if (!unticked(c, text))						\
		T_FAIL("step \"%s\" not shown undone: %.300s", (text),	\
		    t_snippet(c));					\
} while (0)

/* A link made on the org's invite form by c: its token into tok. */
static int
invite_new(struct t_client *c, long long org, const char *body,
    char *tok, size_t toksz)
{
	return t_invite_make(c, org, body, tok, toksz) > 0 ? 0 : -1;
}

static long
accept(struct t_client *c, long long org, long long app)
{
	t_form(c, t_fmt("/org/%lld/applications", org));
	return t_postf(c, t_fmt("/org/%lld/applications/%lld/accept", org, app),
	    "x=1");
}

/* The child makes a parent link, the parent confirms by it: 0 or -1. */
static int
parent_confirms(struct t_person *child, struct t_person *parent)
{
	char		 tok[128];

	if (t_parent_link(child, tok, sizeof(tok)) == -1)
		return -1;
	t_form(&parent->c, t_fmt("/c/%s", tok));
	return t_postf(&parent->c, t_fmt("/c/%s", tok), "x=1") == 303 ? 0 : -1;
}

/* A school with its administrator and class 3Б. */
struct school {
	struct t_person	 admin;
	long long	 org, cls;
};

static void
school_new(struct school *s, const char *name, int grade,
    const char *letter)
{
	t_signup(&s->admin, "Директорова", "Анна");
	s->org = t_org_create(&s->admin, name);
	s->cls = t_class_add(s->org, grade, letter, 2025);
}

/*
 * A parent who is no member anywhere: before, the ways in (a parent's
 * among them); after confirming a child, the child, class, school, the
 * parents' chat and the teachers to write to, and the parent's
 * checklist ticking as they open the chat and write to a teacher.
 */
static void
parent_home(void)
{
	struct school	 s;
	struct t_person	 hr, child, mum;
	long long	 hid, cid, parents, chat;
	const char	*loc;

	school_new(&s, "Школа родителей", 3, "Б");
	hid = person(&hr, "Руководова", "Елена", s.org, "teacher");
	cid = person(&child, "Малышев", "Петя", s.org, "student");
	T_TRUE(hid > 0 && cid > 0);
	T_TRUE(t_sql("UPDATE parta.account SET gender = 'm' WHERE id = %lld",
	    cid) != NULL);
	T_TRUE(t_class_member_add(s.org, s.cls, hid, "homeroom") == 0);
	T_TRUE(t_class_member_add(s.org, s.cls, cid, "student") == 0);
	parents = t_chat_of(s.org, s.cls, "parents");
	T_TRUE(parents > 0);
	T_TRUE(person(&mum, "Малышева", "Ольга", 0, NULL) > 0);

	/* Nothing yet: how to join, and how a parent comes in. */
	T_EQ(t_get(&mum.c, "/me"), 200);
	T_HAS(&mum.c, "Как начать");
	T_HAS(&mum.c, "href=\"/orgs\"");
	T_HAS(&mum.c, "Родителю вступать в школу не нужно");
	T_HAS(&mum.c, "«Ссылку для родителя»");
	T_LACKS(&mum.c, "Мои дети");
	T_LACKS(&mum.c, "href=\"/chats/parent-link\"");

	T_TRUE(parent_confirms(&child, &mum) == 0);
	T_EQ(t_get(&mum.c, "/me"), 200);
	T_HAS(&mum.c, "Мои дети");
	T_HAS(&mum.c, "<strong>Петя Малышев</strong> — ученик 3Б, "
	    "Школа родителей");
	T_HAS(&mum.c, t_fmt("href=\"/chats/%lld#end\">Родительский чат 3Б",
	    parents));
	T_HAS(&mum.c, "Руководова Елена");
	T_HAS(&mum.c, "(классный руководитель)");
	T_HAS(&mum.c, t_fmt("name=\"account_id\" value=\"%lld\"", hid));
	T_HAS(&mum.c, "Написать ребёнку");
	/* Never told to find an organization and apply. */
	T_LACKS(&mum.c, "Как начать");
	T_LACKS(&mum.c, "href=\"/orgs\"");
	T_LACKS(&mum.c, "найдите");
	T_LACKS(&mum.c, "href=\"/chats/parent-link\"");
	T_TICKED(&mum.c, "Подтвердить, что вы родитель");
	T_UNTICKED(&mum.c, "Открыть родительский чат класса");
	T_HAS(&mum.c, t_fmt("href=\"/chats/%lld#end\">Открыть родительский чат",
	    parents));
	T_UNTICKED(&mum.c, "Написать учителю ребёнка");

	/* Opening the parents' chat ticks it, even with no message in it. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.message WHERE chat_id ="
	    " %lld", parents), "0");
	T_EQ(t_get(&mum.c, t_fmt("/chats/%lld", parents)), 200);
	T_EQ(t_get(&mum.c, "/me"), 200);
	T_TICKED(&mum.c, "Открыть родительский чат класса");
	T_UNTICKED(&mum.c, "Написать учителю ребёнка");

	/* Writing to the homeroom teacher ticks the last one. */
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", hid), 303);
	T_TRUE((loc = t_header(&mum.c, "Location")) != NULL);
	chat = t_id_after(loc, "/chats/");
	T_TRUE(chat > 0);
	/* Only opened: not yet written. */
	T_EQ(t_get(&mum.c, "/me"), 200);
	T_UNTICKED(&mum.c, "Написать учителю ребёнка");
	t_form(&mum.c, t_fmt("/chats/%lld", chat));
	T_EQ(t_postf(&mum.c, t_fmt("/chats/%lld/messages", chat), "text=%s",
	    t_enc("Здравствуйте!")), 303);
	T_EQ(t_get(&mum.c, "/me"), 200);
	T_TICKED(&mum.c, "Написать учителю ребёнка");
	T_HAS(&mum.c, "(3 из 3)");

	/* A girl is a pupil in the feminine. */
	T_TRUE(t_sql("UPDATE parta.account SET gender = 'f' WHERE id = %lld",
	    cid) != NULL);
	T_EQ(t_get(&mum.c, "/me"), 200);
	T_HAS(&mum.c, "— ученица 3Б");
	t_client_free(&mum.c);
	t_client_free(&child.c);
	t_client_free(&hr.c);
	t_client_free(&s.admin.c);
}

/*
 * A student who joins by their homeroom teacher's link: their class and
 * its chat, the parent link, the checklist ticking as they open the
 * chat, make the link and a parent confirms it.
 */
static void
student_home(void)
{
	struct school	 s;
	struct t_person	 hr, st, mum;
	char		 tok[128];
	long long	 hid, app, pupils;

	school_new(&s, "Школа учеников", 5, "А");
	hid = person(&hr, "Учителева", "Вера", s.org, "teacher");
	T_TRUE(hid > 0);
	T_TRUE(t_class_member_add(s.org, s.cls, hid, "homeroom") == 0);
	pupils = t_chat_of(s.org, s.cls, "students");
	T_TRUE(invite_new(&hr.c, s.org, t_fmt("role=student&class_id=%lld"
	    "&ttl_hours=48&max_uses=30", s.cls), tok, sizeof(tok)) == 0);
	T_TRUE(t_signup(&st, "Ученикова", "Маша") == 0);
	T_TRUE(person(&mum, "Ученикова", "Ирина", 0, NULL) > 0);
	T_EQ(t_get(&st.c, "/me"), 200);
	T_HAS(&st.c, "Как начать");

	/* She applies; her homeroom teacher sees it waiting on /me. */
	app = t_join(&st, tok);
	T_TRUE(app > 0);
	T_EQ(t_get(&hr.c, "/me"), 200);
	T_HAS(&hr.c, t_fmt("href=\"/org/%lld/applications\">1 новая"
	    " заявка ждёт решения", s.org));
	T_EQ(accept(&hr.c, s.org, app), 303);
	T_EQ(t_get(&hr.c, "/me"), 200);
	T_LACKS(&hr.c, "ждёт решения");

	T_EQ(t_get(&st.c, "/me"), 200);
	T_LACKS(&st.c, "Как начать");
	T_HAS(&st.c, t_fmt("href=\"/org/%lld\">Школа учеников", s.org));
	T_HAS(&st.c, "Вы: Ученица");
	T_HAS(&st.c, "Ваш класс: <strong>5А</strong>");
	T_HAS(&st.c, t_fmt("href=\"/chats/%lld#end\">Чат класса 5А", pupils));
	T_HAS(&st.c, "href=\"/chats/parent-link\">Ссылка для родителя");
	T_TICKED(&st.c, "Вступить в свой класс");
	T_UNTICKED(&st.c, "Открыть чат класса");
	T_UNTICKED(&st.c, "Сделать ссылку для родителя и отправить её маме "
	    "или папе");
	T_UNTICKED(&st.c, "Родитель открыл ссылку и подтвердил");

	T_EQ(t_get(&st.c, t_fmt("/chats/%lld", pupils)), 200);
	T_EQ(t_get(&st.c, "/me"), 200);
	T_TICKED(&st.c, "Открыть чат класса");

	T_TRUE(parent_confirms(&st, &mum) == 0);
	T_EQ(t_get(&st.c, "/me"), 200);
	T_TICKED(&st.c, "Сделать ссылку для родителя и отправить её маме "
	    "или папе");
	T_TICKED(&st.c, "Родитель открыл ссылку и подтвердил");
	T_HAS(&st.c, "(4 из 4)");
	/* The same list on the school's home page. */
	T_EQ(t_get(&st.c, t_fmt("/org/%lld", s.org)), 200);
	T_HAS(&st.c, "С чего начать");
	T_TICKED(&st.c, "Родитель открыл ссылку и подтвердил");
	t_client_free(&st.c);
	t_client_free(&mum.c);
	t_client_free(&hr.c);
	t_client_free(&s.admin.c);
}

/*
 * A teacher who joins by the administrator's link and is made homeroom
 * teacher: their classes, the pending applications of their class with
 * the way to the queue, and both checklists ticking step by step.
 */
static void
teacher_home(void)
{
	struct school	 s;
	struct t_person	 te, st, mum;
	char		 tok[128];
	long long	 tid, app, staff, chat, pupils;
	const char	*loc;

	school_new(&s, "Школа учителей", 7, "В");
	T_TRUE(invite_new(&s.admin.c, s.org, "role=teacher&ttl_hours=48"
	    "&max_uses=5", tok, sizeof(tok)) == 0);
	T_TRUE(t_signup(&te, "Педагогова", "Нина") == 0);
	tid = t_account_id(&te);
	app = t_join(&te, tok);
	T_TRUE(app > 0);
	/* The administrator sees it waiting, on /me too. */
	T_EQ(t_get(&s.admin.c, "/me"), 200);
	T_HAS(&s.admin.c, "Вы: Администратор");
	T_HAS(&s.admin.c, t_fmt("href=\"/org/%lld/applications\">1 новая"
	    " заявка ждёт решения", s.org));
	T_TICKED(&s.admin.c, "Создать классы");
	T_TICKED(&s.admin.c, "Пригласить учителей по ссылке");
	T_UNTICKED(&s.admin.c, "Принять заявки учителей");
	T_LACKS(&s.admin.c, "href=\"/chats/parent-link\"");
	T_EQ(accept(&s.admin.c, s.org, app), 303);
	T_EQ(t_get(&s.admin.c, "/me"), 200);
	T_TICKED(&s.admin.c, "Принять заявки учителей");

	/* A verified teacher without classes yet. */
	T_EQ(t_get(&te.c, "/me"), 200);
	T_HAS(&te.c, "Вы: Учитель <span class=\"verified\"");
	T_HAS(&te.c, "Мои классы");
	T_HAS(&te.c, "Вас пока не добавили ни в один класс");
	T_LACKS(&te.c, "href=\"/chats/parent-link\"");
	T_LACKS(&te.c, "Мои дети");
	T_TICKED(&te.c, "Получить подтверждение школы, что вы её учитель "
	    "(значок «✓ подтверждён»)");
	staff = t_chat_of(s.org, 0, "staff");
	T_TRUE(staff > 0);
	T_HAS(&te.c, t_fmt("href=\"/chats/%lld#end\">Открыть чат учителей школы",
	    staff));
	T_UNTICKED(&te.c, "Открыть чат учителей школы");
	T_UNTICKED(&te.c, "Создать чат для учеников или родителей");
	T_EQ(t_get(&te.c, t_fmt("/chats/%lld", staff)), 200);
	t_form(&te.c, t_fmt("/org/%lld/chats", s.org));
	T_EQ(t_postf(&te.c, t_fmt("/org/%lld/chats", s.org),
	    "title=%s&kind=chat", t_enc("Кружок робототехники")), 303);
	T_TRUE((loc = t_header(&te.c, "Location")) != NULL);
	chat = t_id_after(loc, "/chats/");
	T_TRUE(chat > 0);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_TICKED(&te.c, "Открыть чат учителей школы");
	T_TICKED(&te.c, "Создать чат для учеников или родителей");
	T_UNTICKED(&te.c, "Пригласить учеников и родителей в чат по ссылке");
	t_form(&te.c, t_fmt("/chats/%lld/members", chat));
	T_EQ(t_postf(&te.c, t_fmt("/chats/%lld/link", chat), "x=1"), 303);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_TICKED(&te.c, "Пригласить учеников и родителей в чат по ссылке");
	T_HAS(&te.c, "(4 из 4)");
	T_LACKS(&te.c, "С чего начать с классом");

	/* The administrator makes her homeroom teacher of 7В. */
	t_form(&s.admin.c, t_fmt("/org/%lld/classes/%lld", s.org, s.cls));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/classes/%lld/homeroom", s.org,
	    s.cls), "account_id=%lld", tid), 303);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_HAS(&te.c, t_fmt("href=\"/org/%lld/classes/%lld\">7В</a> <span "
	    "class=\"muted\">— вы классный руководитель", s.org, s.cls));
	T_HAS(&te.c, "С чего начать с классом 7В");
	T_UNTICKED(&te.c, "Сделать ссылки-приглашения для учеников класса и "
	    "отправить каждому лично");
	T_UNTICKED(&te.c, "Рассмотреть заявки учеников класса");
	T_UNTICKED(&te.c, "Открыть чат класса");

	/* Her link, a student by it, her decision. */
	T_TRUE(invite_new(&te.c, s.org, t_fmt("role=student&class_id=%lld"
	    "&ttl_hours=48&max_uses=30", s.cls), tok, sizeof(tok)) == 0);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_TICKED(&te.c, "Сделать ссылки-приглашения для учеников класса и "
	    "отправить каждому лично");
	T_TRUE(t_signup(&st, "Школьников", "Коля") == 0);
	app = t_join(&st, tok);
	T_TRUE(app > 0);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_HAS(&te.c, t_fmt("href=\"/org/%lld/applications\">1 новая"
	    " заявка ждёт решения", s.org));
	T_UNTICKED(&te.c, "Рассмотреть заявки учеников класса");
	T_EQ(accept(&te.c, s.org, app), 303);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_LACKS(&te.c, "ждёт решения");
	T_TICKED(&te.c, "Рассмотреть заявки учеников класса");

	pupils = t_chat_of(s.org, s.cls, "students");
	T_HAS(&te.c, t_fmt("href=\"/chats/%lld#end\">чат класса", pupils));
	T_EQ(t_get(&te.c, t_fmt("/chats/%lld", pupils)), 200);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_TICKED(&te.c, "Открыть чат класса");
	T_UNTICKED(&te.c, "Попросить учеников пригласить родителей (кнопка "
	    "«Ссылка для родителя» у ученика)");
	T_TRUE(person(&mum, "Школьникова", "Алла", 0, NULL) > 0);
	T_TRUE(parent_confirms(&st, &mum) == 0);
	T_EQ(t_get(&te.c, "/me"), 200);
	T_TICKED(&te.c, "Попросить учеников пригласить родителей (кнопка "
	    "«Ссылка для родителя» у ученика)");
	/* Her school's home page has both of her lists. */
	T_EQ(t_get(&te.c, t_fmt("/org/%lld", s.org)), 200);
	T_HAS(&te.c, "С чего начать с классом 7В");
	T_TICKED(&te.c, "Создать чат для учеников или родителей");
	T_TICKED(&te.c, "Открыть чат класса");
	T_LACKS(&te.c, "Заполнить профиль организации");
	t_client_free(&te.c);
	t_client_free(&st.c);
	t_client_free(&mum.c);
	t_client_free(&s.admin.c);
}

/*
 * Several roles: a teacher of one school who is the parent of a pupil
 * of another sees both parts, and lands on /me, not in the one school.
 */
static void
several_roles(void)
{
	struct school	 a, b;
	struct t_person	 te, kid;
	long long	 tid, kid_id;

	school_new(&a, "Школа работы", 9, "А");
	school_new(&b, "Школа сына", 2, "Д");
	tid = person(&te, "Двойнова", "Зоя", a.org, "teacher");
	kid_id = person(&kid, "Двойнов", "Лёва", b.org, "student");
	T_TRUE(tid > 0 && kid_id > 0);
	T_TRUE(t_class_member_add(a.org, a.cls, tid, "teacher") == 0);
	T_TRUE(t_class_member_add(b.org, b.cls, kid_id, "student") == 0);
	T_TRUE(t_sql("UPDATE parta.account SET gender = 'm' WHERE id = %lld",
	    kid_id) != NULL);
	t_client_free(&te.c);
	T_EQ(t_login(&te), 0);
	T_STREQ(t_header(&te.c, "Location"), t_fmt("/org/%lld", a.org));
	T_TRUE(parent_confirms(&kid, &te) == 0);
	t_client_free(&te.c);
	T_EQ(t_login(&te), 0);
	T_STREQ(t_header(&te.c, "Location"), "/me");
	T_EQ(t_get(&te.c, "/me"), 200);
	T_HAS(&te.c, "Школа работы");
	T_HAS(&te.c, t_fmt("href=\"/org/%lld/classes/%lld\">9А", a.org, a.cls));
	T_HAS(&te.c, "Мои дети");
	T_HAS(&te.c, "— ученик 2Д, Школа сына");
	T_HAS(&te.c, "Подтвердить, что вы родитель");
	T_HAS(&te.c, "Получить подтверждение школы");
	T_LACKS(&te.c, "href=\"/chats/parent-link\"");
	t_client_free(&te.c);
	t_client_free(&kid.c);
	t_client_free(&a.admin.c);
	t_client_free(&b.admin.c);
}

/*
 * «Ссылка для родителя» is a student's: shown to them on /me, /chats
 * and /chats/family, to nobody else; the route refuses anyone else with
 * a page that says who makes it and what to do instead.
 */
static void
parent_link_students_only(void)
{
	struct school	 s;
	struct t_person	 te, st, mum, nobody;
	struct t_person	*refused[4];
	long long	 sid;
	size_t		 i;

	school_new(&s, "Школа ссылок", 4, "Г");
	T_TRUE(person(&te, "Ссылкина", "Ада", s.org, "teacher") > 0);
	sid = person(&st, "Ссылкин", "Боря", s.org, "student");
	T_TRUE(sid > 0);
	T_TRUE(t_class_member_add(s.org, s.cls, sid, "student") == 0);
	T_TRUE(person(&mum, "Ссылкина", "Вера", 0, NULL) > 0);
	T_TRUE(person(&nobody, "Никтов", "Гена", 0, NULL) > 0);
	T_TRUE(parent_confirms(&st, &mum) == 0);

	T_EQ(t_get(&st.c, "/me"), 200);
	T_HAS(&st.c, "href=\"/chats/parent-link\"");
	T_EQ(t_get(&st.c, "/chats"), 200);
	T_HAS(&st.c, "href=\"/chats/parent-link\"");
	T_EQ(t_get(&st.c, "/chats/parent-link"), 200);

	refused[0] = &te;
	refused[1] = &s.admin;
	refused[2] = &mum;
	refused[3] = &nobody;
	for (i = 0; i < 4; i++) {
		struct t_client *c = &refused[i]->c;

		T_EQ(t_get(c, "/me"), 200);
		T_LACKS(c, "href=\"/chats/parent-link\"");
		T_EQ(t_get(c, "/chats"), 200);
		T_LACKS(c, "href=\"/chats/parent-link\"");
		T_EQ(t_get(c, "/chats/family"), 200);
		T_LACKS(c, "href=\"/chats/parent-link\"");
		T_EQ(t_get(c, "/chats/parent-link"), 403);
		T_HAS(c, "Ссылку для родителя делает ученик");
		T_HAS(c, "Вы родитель?");
		T_EQ(t_postf(c, "/chats/parent-link", "x=1"), 403);
		T_HAS(c, "Ссылку для родителя делает ученик");
	}
	T_STREQ(t_sql("SELECT count(*) FROM parta.parent_link p"
	    " JOIN parta.account a ON a.id = p.child_id"
	    " WHERE a.phone IN ('%s', '%s', '%s', '%s')", te.phone,
	    s.admin.phone, mum.phone, nobody.phone), "0");
	t_client_free(&te.c);
	t_client_free(&st.c);
	t_client_free(&mum.c);
	t_client_free(&nobody.c);
	t_client_free(&s.admin.c);
}

/* p files a registration request for the school of short_name, whose
 * administrator is to be phone: its id, or -1. */
static long long
org_request(struct t_person *p, const char *short_name, const char *phone)
{
	static const char pdf[] = "%PDF-1.4\n%%EOF\n";
	char		 inn[11], kpp[10];
	const struct t_orgreq q = { "70", "МАОУ «Школа заявок»", short_name,
	    inn, kpp, "Заявкина", "Юлия", "", phone, "г. Томск", "prikaz.pdf",
	    "application/pdf", pdf, sizeof(pdf) - 1 };

	t_unique_inn(inn, kpp);
	t_form(&p->c, "/register/org");
	if (t_orgreq_post(&p->c, &q) != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/register/org/");
}

/* The operator's menu on the last page, not an organization's. */
static int
operator_menu(const struct t_client *c, long long org)
{
	char	 org_menu[64];

	snprintf(org_menu, sizeof(org_menu), "href=\"/org/%lld/members\"",
	    org);
	return t_has(c, "<a href=\"/operator/orgs\">Организации</a>") &&
	    t_has(c, "<a href=\"/operator/stats\">Статистика</a>") &&
	    !t_has(c, org_menu);
}

#define T_OPERATOR_MENU(c, org, page) do {				\
	if (!operator_menu(c, org))					\
		T_FAIL("%s: no operator's menu: %.300s", (page),	\
		    t_snippet(c));					\
} while (0)

/*
 * /me lists the person's organization registration requests, with their
 * status as the operator decides, and the way to file one.
 */
static void
org_requests_on_me(void)
{
	struct t_person	 ap, owner;
	struct t_client	 op;
	long long	 req, req2;

	t_signup(&ap, "Заявкин", "Иван");
	t_signup(&owner, "Заявкина", "Юлия");
	T_EQ(t_get(&ap.c, "/me"), 200);
	T_HAS(&ap.c, "href=\"/register/org\">Зарегистрируйте организацию");
	T_LACKS(&ap.c, "Заявки на регистрацию организаций");
	req = org_request(&ap, "Школа заявок", owner.phone);
	req2 = org_request(&ap, "Школа отказов", owner.phone);
	T_TRUE(req > 0 && req2 > 0);
	T_EQ(t_get(&ap.c, "/me"), 200);
	T_HAS(&ap.c, "Заявки на регистрацию организаций");
	T_HAS(&ap.c, t_fmt("href=\"/register/org/%lld\">Школа заявок</a>",
	    req));
	T_HAS(&ap.c, t_fmt("href=\"/register/org/%lld\">Школа отказов</a>",
	    req2));
	T_HAS(&ap.c, "на рассмотрении");
	T_HAS(&ap.c, "href=\"/register/org\">Подать новую заявку");
	/* Someone else's requests are not on their /me. */
	T_EQ(t_get(&owner.c, "/me"), 200);
	T_LACKS(&owner.c, "Школа заявок");

	T_TRUE(t_operator_login(&op) == 0);
	t_form(&op, t_fmt("/operator/requests/%lld", req));
	T_EQ(t_postf(&op, t_fmt("/operator/requests/%lld/approve", req), "x=1"),
	    303);
	T_EQ(t_postf(&op, t_fmt("/operator/requests/%lld/reject", req2),
	    "reason=%s", t_enc("Нет подписи руководителя")), 303);
	T_EQ(t_get(&ap.c, "/me"), 200);
	T_HAS(&ap.c, "одобрена");
	T_HAS(&ap.c, "отклонена");
	T_LACKS(&ap.c, "на рассмотрении");
	t_client_free(&op);
	t_client_free(&ap.c);
	t_client_free(&owner.c);
}

/*
 * The operator lands on /operator after any login, and every operator
 * page (an approved request's among them) keeps the operator's menu; an
 * organization's page shows its menu and the way back to the desk.
 */
static void
operator_home(void)
{
	struct t_person	 ap, owner, op2;
	struct t_client	 op, fresh;
	long long	 req, req2, org, oid;
	const char	*pages[8];
	size_t		 i;

	t_signup(&ap, "Заявкин", "Пётр");
	t_signup(&owner, "Заявкина", "Анна");
	req = org_request(&ap, "Школа оператора", owner.phone);
	req2 = org_request(&ap, "Школа без подписи", owner.phone);
	T_TRUE(req > 0 && req2 > 0);

	/* The operator lands at the desk, also when already logged in. */
	T_TRUE(t_operator_login(&op) == 0);
	T_STREQ(t_header(&op, "Location"), "/operator");
	T_EQ(t_get(&op, "/login"), 303);
	T_STREQ(t_header(&op, "Location"), "/operator");
	t_form(&op, t_fmt("/operator/requests/%lld", req));
	T_EQ(t_postf(&op, t_fmt("/operator/requests/%lld/approve", req), "x=1"),
	    303);
	T_EQ(t_postf(&op, t_fmt("/operator/requests/%lld/reject", req2),
	    "reason=%s", t_enc("Нет подписи руководителя")), 303);
	org = t_ll(t_sql("SELECT org_id FROM parta.org_request WHERE id ="
	    " %lld", req));
	T_TRUE(org > 0);

	/* Every operator page keeps the operator's menu. */
	pages[0] = "/operator/requests";
	pages[1] = t_fmt("/operator/requests/%lld", req);
	pages[2] = t_fmt("/operator/requests/%lld", req2);
	pages[3] = "/operator/orgs";
	pages[4] = t_fmt("/operator/orgs/%lld", org);
	pages[5] = "/operator/stats";
	pages[6] = "/me";
	pages[7] = t_fmt("/register/org/%lld", req);
	for (i = 0; i < 8; i++) {
		T_EQ(t_get(&op, pages[i]), 200);
		T_OPERATOR_MENU(&op, org, pages[i]);
	}
	T_EQ(t_get(&op, "/me"), 200);
	T_HAS(&op, "Оператор платформы");
	T_LACKS(&op, "Как начать");
	/* An organization's page: its menu, and the way back. */
	T_EQ(t_get(&op, t_fmt("/org/%lld", org)), 200);
	T_HAS(&op, t_fmt("href=\"/org/%lld/members\"", org));
	T_HAS(&op, "<a href=\"/operator\">Кабинет оператора</a>");

	/* Another operator, by password and by a code: the desk too. */
	T_TRUE(t_signup(&op2, "Операторова", "Ольга") == 0);
	oid = t_account_id(&op2);
	T_TRUE(t_sql("UPDATE parta.account SET is_operator = true WHERE id ="
	    " %lld", oid) != NULL);
	t_client_free(&op2.c);
	T_EQ(t_login(&op2), 0);
	T_STREQ(t_header(&op2.c, "Location"), "/operator");
	t_client_init(&fresh);
	t_form(&fresh, "/login/code");
	T_EQ(t_postf(&fresh, "/login/code", "login=%s", t_enc(op2.phone)),
	    303);
	t_form(&fresh, "/login/code/enter");
	T_EQ(t_postf(&fresh, "/login/code/enter", "code=%s",
	    t_outbox_code(op2.phone)), 303);
	T_STREQ(t_header(&fresh, "Location"), "/operator");
	/* The brand leads an operator to the desk. */
	T_EQ(t_get(&fresh, "/me"), 200);
	T_HAS(&fresh, "<a class=\"brand\" href=\"/operator\">");
	t_client_free(&fresh);
	t_client_free(&op2.c);
	t_client_free(&op);
	t_client_free(&ap.c);
	t_client_free(&owner.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "parent: children, chats, checklist; never \"apply\"",
		    parent_home },
		{ "student: class, chat, parent link, checklist",
		    student_home },
		{ "teacher and homeroom: classes, pending, checklists",
		    teacher_home },
		{ "several roles: each part, land on /me", several_roles },
		{ "parent link: students only, refusal says so",
		    parent_link_students_only },
		{ "org registration requests on /me, a way to file one",
		    org_requests_on_me },
		{ "operator lands on /operator, keeps the menu",
		    operator_home },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
