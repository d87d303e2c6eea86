/*
 * Chats, channels and parents: automatic chats that follow the
 * organization's data (rows inserted the way approve and create-class
 * do), chats and channels made by hand, messages (escaping, links,
 * limits, paging), moderation, chat links and their pages, the child's
 * link for a parent and its page, direct chats, the chats of an archived
 * class (read-only, also in the database and under a race), and who may
 * see what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* How many times s is on the last page. */
static int
count_of(const struct t_client *c, const char *s)
{
	const char	*p = c->r.body;
	int		 n = 0;

	while (p != NULL && (p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

/* Post text (already URL-encoded) to a chat, from its page's form. */
static long
post_raw(struct t_client *c, long long chat, const char *enc)
{
	char	 path[64], *body;
	size_t	 n = strlen(enc) + 256;
	long	 st;

	snprintf(path, sizeof(path), "/chats/%lld", chat);
	t_form(c, path);
	snprintf(path, sizeof(path), "/chats/%lld/messages", chat);
	body = malloc(n);
	snprintf(body, n, "csrf=%s&text=%s", c->csrf, enc);
	st = t_post(c, path, body);
	free(body);
	return st;
}

/* The QR code of the last page says the link of token. */
static int
qr_is_link(const struct t_client *c, const char *token)
{
	char	 qr[512], want[128];
	size_t	 n, w;

	if (t_qr(c, qr, sizeof(qr)) == -1)
		return 0;
	snprintf(want, sizeof(want), "/c/%s", token);
	n = strlen(qr);
	w = strlen(want);
	return strncmp(qr, "http", 4) == 0 && n > w &&
	    strcmp(qr + n - w, want) == 0;
}

/* A new organization with its admin, and a second client of a person. */
struct school {
	struct t_person	 admin;
	long long	 org;
	long long	 admin_id;
};

static void
school_new(struct school *s)
{
	t_signup(&s->admin, "Директорова", "Анна");
	s->org = t_org_create(&s->admin, "Школа чатов");
	s->admin_id = s->admin.id;
}

static void
auto_chats_follow_org_data(void)
{
	struct school	 s;
	struct t_person	 teacher, student, other;
	long long	 tid, sid, oid, cls, staff, pupils, parents;
	char		 path[128];

	school_new(&s);
	/* The organization came with its staff chat, its admin in charge. */
	staff = t_chat_of(s.org, 0, "staff");
	T_TRUE(staff > 0);
	T_STREQ(t_sql("SELECT is_admin FROM parta.chat_member WHERE chat_id ="
	    " %lld AND account_id = %lld", staff, s.admin_id), "t");
	T_EQ(t_get(&s.admin.c, "/chats"), 200);
	T_HAS(&s.admin.c, "Учительская");

	/* Accepting a teacher (approve inserts the member row). */
	tid = t_person_new(&teacher, "Учителева", "Мария", s.org, "teacher");
	T_TRUE(tid > 0);
	T_EQ(t_chat_get(&teacher.c, staff), 200);
	T_HAS(&teacher.c, "Учительская");

	/* A class gets a students' and a parents' chat. */
	cls = t_class_add(s.org, 7, "Б", 2025);
	T_TRUE(cls > 0);
	pupils = t_chat_of(s.org, cls, "students");
	parents = t_chat_of(s.org, cls, "parents");
	T_TRUE(pupils > 0 && parents > 0);
	T_STREQ(t_sql("SELECT title FROM parta.chat WHERE id = %lld", pupils),
	    "Класс 7Б");
	T_STREQ(t_sql("SELECT title FROM parta.chat WHERE id = %lld", parents),
	    "Родители 7Б");
	/* Staff groups get none. */
	T_STREQ(t_sql("WITH k AS (INSERT INTO parta.class (org_id, kind, "
	    "title, year, color) VALUES (%lld, 'staff', 'Методсовет', 2025, "
	    "'#2453d6') RETURNING id) SELECT count(*) FROM parta.chat c, k "
	    "WHERE c.class_id = k.id", s.org), "0");

	/* The homeroom teacher administers both class chats. */
	T_EQ(t_chat_get(&teacher.c, pupils), 404);
	T_TRUE(t_class_member_add(s.org, cls, tid, "homeroom") == 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE account_id"
	    " = %lld AND is_admin AND chat_id IN (%lld, %lld)", tid, pupils,
	    parents), "2");
	snprintf(path, sizeof(path), "/chats/%lld/members", parents);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "Создать ссылку");

	/* An accepted student joins the class chat, not the staff chat. */
	sid = t_person_new(&student, "Ученикова", "Саша", s.org, "student");
	T_TRUE(sid > 0);
	T_EQ(t_chat_get(&student.c, pupils), 404);
	T_TRUE(t_class_member_add(s.org, cls, sid, "student") == 0);
	T_EQ(t_chat_get(&student.c, pupils), 200);
	T_EQ(t_get(&student.c, "/chats"), 200);
	T_HAS(&student.c, "Класс 7Б");
	T_LACKS(&student.c, "Учительская");
	T_EQ(t_chat_get(&student.c, staff), 404);
	T_EQ(t_chat_get(&student.c, parents), 404);

	/* Unassigning the homeroom teacher removes their admin rights and,
	 * as they do not teach the class, its chats. */
	T_TRUE(t_sql("DELETE FROM parta.class_member WHERE org_id = %lld AND "
	    "class_id = %lld AND account_id = %lld AND role = 'homeroom'",
	    s.org, cls, tid) != NULL);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE account_id"
	    " = %lld AND is_admin AND chat_id IN (%lld, %lld)", tid, pupils,
	    parents), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE account_id"
	    " = %lld AND chat_id IN (%lld, %lld)", tid, pupils, parents), "0");
	snprintf(path, sizeof(path), "/chats/%lld/link", pupils);
	t_form(&teacher.c, "/chats");
	T_EQ(t_postf(&teacher.c, path, "x=1"), 404);

	/* A role change: a teacher made student leaves the staff chat; a
	 * student made teacher joins it. */
	oid = t_person_new(&other, "Сменов", "Олег", s.org, "teacher");
	T_TRUE(oid > 0);
	T_EQ(t_chat_get(&other.c, staff), 200);
	T_TRUE(t_sql("UPDATE parta.member SET role = 'student' WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, oid) != NULL);
	T_EQ(t_chat_get(&other.c, staff), 404);
	T_TRUE(t_sql("UPDATE parta.member SET role = 'admin' WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, oid) != NULL);
	T_EQ(t_chat_get(&other.c, staff), 200);
	T_STREQ(t_sql("SELECT is_admin FROM parta.chat_member WHERE chat_id ="
	    " %lld AND account_id = %lld", staff, oid), "t");

	/* Removal from the organization closes its chats. */
	T_TRUE(t_sql("DELETE FROM parta.member WHERE org_id = %lld AND "
	    "account_id = %lld", s.org, sid) != NULL);
	T_EQ(t_chat_get(&student.c, pupils), 404);
	T_TRUE(t_sql("DELETE FROM parta.member WHERE org_id = %lld AND "
	    "account_id = %lld", s.org, tid) != NULL);
	T_EQ(t_chat_get(&teacher.c, staff), 404);
	T_EQ(t_get(&teacher.c, "/chats"), 200);
	T_LACKS(&teacher.c, "Учительская");

	/* The triggers are idempotent: inserting the rows twice changes
	 * nothing (ON CONFLICT), and the staff chat is one. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat WHERE org_id = %lld "
	    "AND purpose = 'staff'", s.org), "1");
	t_client_free(&s.admin.c);
	t_client_free(&teacher.c);
	t_client_free(&student.c);
	t_client_free(&other.c);
}

static void
create_chat_and_channel(void)
{
	struct school	 s;
	struct t_person	 teacher, student, outsider, late;
	long long	 tid, sid, lid, cls, chat, chan, chan_all;
	char		 path[128];

	school_new(&s);
	tid = t_person_new(&teacher, "Учителев", "Пётр", s.org, "teacher");
	sid = t_person_new(&student, "Школьников", "Ваня", s.org, "student");
	T_TRUE(tid > 0 && sid > 0);
	T_TRUE(t_person_new(&outsider, "Чужой", "Игорь", 0, NULL) > 0);
	cls = t_class_add(s.org, 5, "А", 2025);
	T_TRUE(cls > 0);
	snprintf(path, sizeof(path), "/org/%lld/chats", s.org);

	/* Who sees the page and the form. */
	T_EQ(t_get(&outsider.c, path), 404);
	T_EQ(t_get(&student.c, path), 200);
	T_LACKS(&student.c, "name=\"title\"");
	T_EQ(t_postf(&student.c, path, "title=x&kind=chat"), 403);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "name=\"title\"");
	T_LACKS(&teacher.c, "value=\"channel\"");
	T_EQ(t_postf(&teacher.c, path, "title=x&kind=channel&audience=all"),
	    403);

	/* 422: no title, too long, unknown class; typed values kept. */
	T_EQ(t_postf(&teacher.c, path, "title=&kind=chat"), 422);
	T_HAS(&teacher.c, "id=\"title_error\"");
	{
		char	 longt[256];

		memset(longt, 'x', 101);
		longt[101] = '\0';
		T_EQ(t_postf(&teacher.c, path, "title=%s&kind=chat", longt),
		    422);
		T_HAS(&teacher.c, "Не больше 100 символов");
	}
	T_EQ(t_postf(&teacher.c, path, "title=%s&class_id=999999999&kind=chat",
	    t_enc("Кружок")), 422);
	T_HAS(&teacher.c, "id=\"class_id_error\"");
	T_HAS(&teacher.c, "value=\"Кружок\"");

	/* A teacher's chat for a class: they administer it. */
	T_EQ(t_postf(&teacher.c, path, "title=%s&class_id=%lld&kind=chat",
	    t_enc("Кружок <робототехники>"), cls), 303);
	chat = t_id_after(t_header(&teacher.c, "Location"), "/chats/");
	T_TRUE(chat > 0);
	T_EQ(t_chat_get(&teacher.c, chat), 200);
	T_HAS(&teacher.c, "Кружок &lt;робототехники&gt;");
	T_EQ(t_chat_get(&student.c, chat), 404);
	T_STREQ(t_sql("SELECT is_admin FROM parta.chat_member WHERE chat_id ="
	    " %lld AND account_id = %lld", chat, tid), "t");
	T_EQ(t_get(&teacher.c, path), 200);
	snprintf(path, sizeof(path), "/chats/%lld#end\"", chat);
	T_HAS(&teacher.c, path);

	/* A channel for staff: the admin writes, the teacher reads only,
	 * students do not see it. */
	snprintf(path, sizeof(path), "/org/%lld/chats", s.org);
	t_form(&s.admin.c, path);
	T_HAS(&s.admin.c, "value=\"channel\"");
	T_EQ(t_postf(&s.admin.c, path, "title=%s&kind=channel",
	    t_enc("Новости")), 422);
	T_HAS(&s.admin.c, "id=\"audience_error\"");
	T_EQ(t_postf(&s.admin.c, path, "title=%s&kind=channel&audience=staff",
	    t_enc("Педсовет")), 303);
	chan = t_id_after(t_header(&s.admin.c, "Location"), "/chats/");
	T_TRUE(chan > 0);
	T_EQ(t_chat_post(&s.admin.c, chan, "Педсовет в четверг"), 303);
	T_EQ(t_chat_get(&teacher.c, chan), 200);
	T_HAS(&teacher.c, "Педсовет в четверг");
	T_HAS(&teacher.c, "В канал пишут только администраторы");
	T_LACKS(&teacher.c, "name=\"text\"");
	T_EQ(t_chat_post(&teacher.c, chan, "Можно вопрос?"), 403);
	T_EQ(t_chat_get(&student.c, chan), 404);

	/* A channel for everyone: students read it, and so does a student
	 * accepted later (the audience follows roles). */
	T_EQ(t_postf(&s.admin.c, path, "title=%s&kind=channel&audience=all",
	    t_enc("Объявления")), 303);
	chan_all = t_id_after(t_header(&s.admin.c, "Location"), "/chats/");
	T_EQ(t_chat_post(&s.admin.c, chan_all, "Завтра линейка"), 303);
	T_EQ(t_chat_get(&student.c, chan_all), 200);
	T_HAS(&student.c, "Завтра линейка");
	T_EQ(t_chat_post(&student.c, chan_all, "Ура"), 403);
	lid = t_person_new(&late, "Позднев", "Коля", s.org, "student");
	T_TRUE(lid > 0);
	T_EQ(t_chat_get(&late.c, chan_all), 200);
	T_EQ(t_chat_get(&late.c, chan), 404);
	/* The teacher promoted to admin writes in channels. */
	T_TRUE(t_sql("UPDATE parta.member SET role = 'admin' WHERE org_id = "
	    "%lld AND account_id = %lld", s.org, tid) != NULL);
	T_EQ(t_chat_post(&teacher.c, chan, "Теперь могу"), 303);
	/* Nobody gets a link to a channel or the staff chat. */
	snprintf(path, sizeof(path), "/chats/%lld/link", chan);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 403);
	T_EQ(t_get(&s.admin.c, path), 403);
	snprintf(path, sizeof(path), "/chats/%lld/link", t_chat_of(s.org, 0,
	    "staff"));
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 403);
	T_EQ(t_get(&s.admin.c, path), 403);
	/* Outsiders: 404 everywhere. */
	T_EQ(t_chat_get(&outsider.c, chat), 404);
	T_EQ(t_chat_post(&outsider.c, chat, "привет"), 404);
	t_client_free(&s.admin.c);
	t_client_free(&teacher.c);
	t_client_free(&student.c);
	t_client_free(&outsider.c);
	t_client_free(&late.c);
}

static void
messages_text_limits_paging(void)
{
	struct school	 s;
	struct t_person	 teacher;
	long long	 tid, staff, admin_id;
	char		*big, path[128];
	int		 i;

	school_new(&s);
	tid = t_person_new(&teacher, "Читалкина", "Ольга", s.org, "teacher");
	T_TRUE(tid > 0);
	staff = t_chat_of(s.org, 0, "staff");
	admin_id = s.admin_id;

	/* Markup is text; links are http(s) only, escaped, rel set; line
	 * breaks kept. */
	T_EQ(t_chat_post(&s.admin.c, staff, "<script>alert(1)</script> "
	    "<b>жирный</b>"), 303);
	T_TRUE(strncmp(t_header(&s.admin.c, "Location"), "/chats/", 7) == 0);
	T_TRUE(strstr(t_header(&s.admin.c, "Location"), "#m") != NULL);
	T_EQ(t_chat_post(&s.admin.c, staff, "Расписание: https://school.test/a?"
	    "b=1&c=\"2\". И javascript:alert(1) и ftp://x.test\nвторая строка"),
	    303);
	T_EQ(t_chat_get(&teacher.c, staff), 200);
	T_HAS(&teacher.c, "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&lt;b&gt;жирный&lt;/b&gt;");
	T_LACKS(&teacher.c, "<script>alert");
	T_LACKS(&teacher.c, "<b>жирный");
	T_HAS(&teacher.c, "<a href=\"https://school.test/a?b=1&amp;c=\" "
	    "rel=\"noopener noreferrer nofollow\">https://school.test/a?b=1"
	    "&amp;c=</a>&quot;2&quot;.");
	T_LACKS(&teacher.c, "href=\"javascript");
	T_LACKS(&teacher.c, "href=\"ftp");
	T_HAS(&teacher.c, "ftp://x.test\nвторая строка");

	/* 1..4000 characters: empty and 4001 are 422 with the text kept;
	 * 4000 two-byte letters are fine. */
	T_EQ(t_chat_post(&teacher.c, staff, "  \n "), 422);
	T_HAS(&teacher.c, "id=\"text_error\"");
	big = malloc(4001 * 6 + 1);
	for (i = 0; i < 4001; i++)
		memcpy(big + i * 6, "%D1%8F", 6);	/* я */
	big[4001 * 6] = '\0';
	T_EQ(post_raw(&teacher.c, staff, big), 422);
	T_HAS(&teacher.c, "Не больше 4000 символов");
	T_HAS(&teacher.c, "яяяяяяяяяя</textarea>");
	big[4000 * 6] = '\0';
	T_EQ(post_raw(&teacher.c, staff, big), 303);
	free(big);
	T_STREQ(t_sql("SELECT length(body) FROM parta.message WHERE chat_id = "
	    "%lld ORDER BY id DESC LIMIT 1", staff), "4000");

	/* Unread counts: the admin has 1 new message until they read. */
	T_EQ(t_get(&s.admin.c, "/chats"), 200);
	T_HAS(&s.admin.c, "1 непрочитанное сообщение\"");
	T_EQ(t_chat_get(&s.admin.c, staff), 200);
	T_EQ(t_get(&s.admin.c, "/chats"), 200);
	T_LACKS(&s.admin.c, "непрочитанных");

	/* Paging: 120 more messages; the page shows the newest 50 at the
	 * bottom, and "earlier" goes back 50 at a time. */
	T_TRUE(t_sql("INSERT INTO parta.message (org_id, chat_id, author_id, "
	    "body) SELECT %lld, %lld, %lld, 'номер ' || g || '.' FROM "
	    "generate_series(1, 120) g", s.org, staff, admin_id) != NULL);
	T_EQ(t_chat_get(&teacher.c, staff), 200);
	T_HAS(&teacher.c, "номер 120.");
	T_HAS(&teacher.c, "номер 71.");
	T_LACKS(&teacher.c, "номер 70.");
	T_EQ(count_of(&teacher.c, "номер 120."), 1);
	T_EQ(count_of(&teacher.c, "class=\"message"), 51);
	T_TRUE(strstr(teacher.c.r.body, "номер 71.") < strstr(teacher.c.r.body,
	    "номер 120."));
	{
		long long before = t_id_after(teacher.c.r.body, "?before=");

		T_TRUE(before > 0);
		snprintf(path, sizeof(path), "/chats/%lld?before=%lld", staff,
		    before);
		T_EQ(t_get(&teacher.c, path), 200);
		T_HAS(&teacher.c, "номер 70.");
		T_HAS(&teacher.c, "номер 21.");
		T_LACKS(&teacher.c, "номер 20.");
		T_LACKS(&teacher.c, "номер 71.");
		before = t_id_after(teacher.c.r.body, "?before=");
		snprintf(path, sizeof(path), "/chats/%lld?before=%lld", staff,
		    before);
		T_EQ(t_get(&teacher.c, path), 200);
		T_HAS(&teacher.c, "номер 1.");
		T_HAS(&teacher.c, "&lt;script&gt;");
		T_LACKS(&teacher.c, "?before=");
	}
	snprintf(path, sizeof(path), "/chats/%lld?before=abc", staff);
	T_EQ(t_get(&teacher.c, path), 400);
	t_client_free(&s.admin.c);
	t_client_free(&teacher.c);
}

static void
moderation(void)
{
	struct school	 s;
	struct t_person	 a, b;
	long long	 aid, bid, cls, pupils, staff, m_a, m_b;
	char		 path[128];

	school_new(&s);
	aid = t_person_new(&a, "Первый", "Антон", s.org, "student");
	bid = t_person_new(&b, "Вторая", "Вера", s.org, "student");
	T_TRUE(aid > 0 && bid > 0);
	cls = t_class_add(s.org, 9, "В", 2025);
	T_TRUE(t_class_member_add(s.org, cls, s.admin_id, "homeroom") == 0);
	T_TRUE(t_class_member_add(s.org, cls, aid, "student") == 0);
	T_TRUE(t_class_member_add(s.org, cls, bid, "student") == 0);
	pupils = t_chat_of(s.org, cls, "students");
	staff = t_chat_of(s.org, 0, "staff");

	/* Without the form's csrf token: 403, nothing stored. */
	snprintf(path, sizeof(path), "/chats/%lld/messages", pupils);
	T_EQ(t_post(&a.c, path, "text=hi"), 403);
	T_STREQ(t_sql("SELECT count(*) FROM parta.message WHERE chat_id = "
	    "%lld", pupils), "0");
	T_EQ(t_chat_post(&a.c, pupils, "от Антона"), 303);
	m_a = t_id_after(t_header(&a.c, "Location"), "#m");
	T_EQ(t_chat_post(&b.c, pupils, "от Веры"), 303);
	m_b = t_id_after(t_header(&b.c, "Location"), "#m");
	T_TRUE(m_a > 0 && m_b > 0);

	/* Delete: one's own yes, another's no; an admin any; twice 409; a
	 * message of another chat 404. */
	snprintf(path, sizeof(path), "/chats/%lld/messages/%lld/delete",
	    pupils, m_b);
	T_EQ(t_postf(&a.c, path, "x=1"), 403);
	snprintf(path, sizeof(path), "/chats/%lld/messages/%lld/delete",
	    pupils, m_a);
	T_EQ(t_postf(&a.c, path, "x=1"), 303);
	T_EQ(t_postf(&a.c, path, "x=1"), 409);
	snprintf(path, sizeof(path), "/chats/%lld/messages/%lld/delete",
	    staff, m_b);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 404);
	snprintf(path, sizeof(path), "/chats/%lld/messages/%lld/delete",
	    pupils, m_b);
	t_form(&s.admin.c, "/chats");
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	T_EQ(t_chat_get(&b.c, pupils), 200);
	T_LACKS(&b.c, "от Антона");
	T_LACKS(&b.c, "от Веры");
	T_HAS(&b.c, "Сообщение удалено");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld "
	    "AND action = 'chat_message_delete' AND target_id = %lld", s.org,
	    bid), "1");

	/* Only admins write. */
	snprintf(path, sizeof(path), "/chats/%lld/settings", pupils);
	T_EQ(t_postf(&a.c, path, "admins_only=1"), 403);
	T_EQ(t_postf(&s.admin.c, path, "admins_only=yes"), 400);
	T_EQ(t_postf(&s.admin.c, path, "admins_only=1"), 303);
	T_EQ(t_chat_post(&a.c, pupils, "можно?"), 403);
	T_EQ(t_chat_get(&a.c, pupils), 200);
	T_HAS(&a.c, "пишут только администраторы");
	T_EQ(t_chat_post(&s.admin.c, pupils, "Тишина в классе"), 303);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	T_EQ(t_chat_post(&a.c, pupils, "теперь можно"), 303);

	/* Removing a member: admins only, not another admin. */
	snprintf(path, sizeof(path), "/chats/%lld/members", pupils);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Удалить из чата");
	T_EQ(t_get(&a.c, path), 200);
	T_LACKS(&a.c, "Удалить из чата");
	snprintf(path, sizeof(path), "/chats/%lld/members/%lld/remove",
	    pupils, aid);
	T_EQ(t_postf(&b.c, path, "x=1"), 403);
	snprintf(path, sizeof(path), "/chats/%lld/members/%lld/remove",
	    pupils, s.admin_id);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 403);
	snprintf(path, sizeof(path), "/chats/%lld/members/%lld/remove",
	    pupils, aid);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 404);
	T_EQ(t_chat_get(&a.c, pupils), 404);
	T_EQ(t_chat_post(&a.c, pupils, "я тут?"), 404);
	T_EQ(t_get(&a.c, "/chats"), 200);
	T_LACKS(&a.c, "Класс 9В");
	t_client_free(&s.admin.c);
	t_client_free(&a.c);
	t_client_free(&b.c);
}

/* 60 messages a minute per person; the 61st is 429 and not stored. */
static void
posting_rate_limit(void)
{
	struct school	 s;
	long long	 staff;
	char		 path[64];
	int		 i, ok = 0;

	school_new(&s);
	staff = t_chat_of(s.org, 0, "staff");
	snprintf(path, sizeof(path), "/chats/%lld", staff);
	t_form(&s.admin.c, path);
	snprintf(path, sizeof(path), "/chats/%lld/messages", staff);
	for (i = 0; i < 60; i++)
		ok += t_postf(&s.admin.c, path, "text=n%d", i) == 303;
	T_EQ(ok, 60);
	T_EQ(t_postf(&s.admin.c, path, "text=one+more"), 429);
	T_STREQ(t_sql("SELECT count(*) FROM parta.message WHERE chat_id = "
	    "%lld", staff), "60");
	t_client_free(&s.admin.c);
}

struct join_race {
	struct t_client	*c;
	const char	*path;
	long		 status[8];
};

static void
join_one(int i, void *arg)
{
	struct join_race *j = arg;

	j->status[i] = t_postf(&j->c[i], j->path, "x=1");
}


static void
chat_link_joins(void)
{
	struct school	 s;
	struct t_person	 teacher, parent, guest;
	struct t_client	 anon, many[4];
	struct join_race j;
	long long	 tid, cls, parents, pupils;
	char		 path[128], token[64], old[64];
	int		 i, ok, conflict;

	school_new(&s);
	tid = t_person_new(&teacher, "Классная", "Нина", s.org, "teacher");
	cls = t_class_add(s.org, 3, "А", 2025);
	T_TRUE(t_class_member_add(s.org, cls, tid, "homeroom") == 0);
	parents = t_chat_of(s.org, cls, "parents");
	pupils = t_chat_of(s.org, cls, "students");
	T_TRUE(t_person_new(&parent, "Родителева", "Ирина", 0, NULL) > 0);
	T_TRUE(t_person_new(&guest, "Гостев", "Гоша", 0, NULL) > 0);

	/* Outsiders: 404; no link yet: the page says so, with the button. */
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	t_form(&parent.c, "/chats");
	T_EQ(t_postf(&parent.c, path, "x=1"), 404);
	T_EQ(t_get(&parent.c, path), 404);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "Ссылки пока нет");
	T_HAS(&teacher.c, "Создать ссылку");
	T_LACKS(&teacher.c, "<svg class=\"qr\"");
	T_LACKS(&teacher.c, "/c/");

	/* The homeroom teacher makes the link: 303 to its page, which
	 * shows it and its QR code every time it is opened. */
	snprintf(path, sizeof(path), "/chats/%lld/members", parents);
	t_form(&teacher.c, path);
	T_HAS(&teacher.c, "Создать ссылку");
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	T_EQ(t_postf(&teacher.c, path, "x=1"), 303);
	T_STREQ(t_header(&teacher.c, "Location"), path);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "<svg class=\"qr\"");
	T_HAS(&teacher.c, "Создать новую ссылку");
	T_TRUE(t_token(&teacher.c, "/c/", token, 64) == 0);
	T_EQ(strlen(token), 43);
	T_TRUE(qr_is_link(&teacher.c, token));
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat WHERE id = %lld AND "
	    "token_hash = sha256('%s') AND length(token_salt) = 32", parents,
	    token), "1");
	/* The database keeps no token, only its hash and the salt. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat c WHERE id = %lld AND "
	    "c::text LIKE '%%%s%%'", parents, token), "0");
	T_EQ(t_get(&teacher.c, path), 200);
	T_TRUE(t_token(&teacher.c, "/c/", old, 64) == 0);
	T_STREQ(old, token);
	snprintf(old, sizeof(old), "/chats/%lld/members", parents);
	T_EQ(t_get(&teacher.c, old), 200);
	T_HAS(&teacher.c, path);
	T_LACKS(&teacher.c, token);

	/* Logged out: the chat's name and the way in. */
	t_client_init(&anon);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&anon, path), 200);
	T_HAS(&anon, "Родители 3А");
	T_HAS(&anon, "/login?next=/c/");
	T_EQ(t_postf(&anon, path, "x=1"), 303);
	T_TRUE(strncmp(t_header(&anon, "Location"), "/login?next=", 12) == 0);

	/* A parent joins by the link; again: 409. */
	T_EQ(t_get(&parent.c, path), 200);
	T_HAS(&parent.c, "Вступить в чат");
	T_EQ(t_postf(&parent.c, path, "x=1"), 303);
	snprintf(old, sizeof(old), "/chats/%lld#end", parents);
	T_STREQ(t_header(&parent.c, "Location"), old);
	T_EQ(t_chat_get(&parent.c, parents), 200);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_postf(&parent.c, path, "x=1"), 409);
	T_HAS(&parent.c, "Вы уже в этом чате");
	/* A parent is never an organization member. */
	snprintf(path, sizeof(path), "/org/%lld", s.org);
	T_EQ(t_get(&parent.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/chats", s.org);
	T_EQ(t_get(&parent.c, path), 404);
	T_EQ(t_chat_get(&parent.c, pupils), 404);
	T_EQ(t_chat_get(&parent.c, t_chat_of(s.org, 0, "staff")), 404);
	snprintf(path, sizeof(path), "/chats/%lld/members", parents);
	T_EQ(t_get(&parent.c, path), 200);
	T_HAS(&parent.c, "Родитель");
	T_LACKS(&parent.c, parent.phone);
	T_LACKS(&parent.c, token);
	/* A member who is not a chat admin: 403 for the link. */
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	T_EQ(t_get(&parent.c, path), 403);
	T_EQ(t_postf(&parent.c, path, "x=1"), 403);

	/* Parallel joins by one person: one join, the rest 409. */
	T_TRUE(t_clients_of(&guest, many, 4) == 0);
	snprintf(path, sizeof(path), "/c/%s", token);
	for (i = 0; i < 4; i++)
		t_form(&many[i], path);
	j.c = many;
	j.path = path;
	t_parallel(4, join_one, &j);
	for (i = ok = conflict = 0; i < 4; i++) {
		ok += j.status[i] == 303;
		conflict += j.status[i] == 409;
	}
	T_EQ(ok, 1);
	T_EQ(conflict, 3);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE chat_id = "
	    "%lld AND account_id = %lld", parents, t_account_id(&guest)), "1");

	/* A new link: the old one is dead. */
	snprintf(old, sizeof(old), "%s", token);
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	T_EQ(t_postf(&teacher.c, path, "x=1"), 303);
	T_EQ(t_get(&teacher.c, path), 200);
	T_TRUE(t_token(&teacher.c, "/c/", token, 64) == 0);
	T_TRUE(strcmp(old, token) != 0);
	snprintf(path, sizeof(path), "/c/%s", old);
	T_EQ(t_get(&anon, path), 404);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&anon, path), 200);
	T_EQ(t_get(&anon, "/c/notatoken"), 404);
	/* The chat admin removes the guest: the door closes. */
	snprintf(path, sizeof(path), "/chats/%lld/members/%lld/remove",
	    parents, t_account_id(&guest));
	T_EQ(t_postf(&teacher.c, path, "x=1"), 303);
	T_EQ(t_chat_get(&many[0], parents), 404);

	/* A link made before salts were kept (only its hash): it works,
	 * its page says it cannot be shown and offers a new one.  So does
	 * a link whose salt no longer derives it (the key changed). */
	T_TRUE(t_sql("UPDATE parta.chat SET token_salt = NULL, token_hash ="
	    " sha256('legacylink%lld') WHERE id = %lld", parents, parents) !=
	    NULL);
	snprintf(path, sizeof(path), "/c/legacylink%lld", parents);
	T_EQ(t_get(&anon, path), 200);
	T_HAS(&anon, "Родители 3А");
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "показать её нельзя");
	T_HAS(&teacher.c, "Создать новую ссылку");
	T_LACKS(&teacher.c, "<svg class=\"qr\"");
	T_LACKS(&teacher.c, "/c/");
	T_TRUE(t_sql("UPDATE parta.chat SET token_salt = decode(md5('x') ||"
	    " md5('y'), 'hex') WHERE id = %lld", parents) != NULL);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "показать её нельзя");
	T_LACKS(&teacher.c, "/c/");
	T_EQ(t_postf(&teacher.c, path, "x=1"), 303);
	T_EQ(t_get(&teacher.c, path), 200);
	T_TRUE(t_token(&teacher.c, "/c/", token, 64) == 0);
	T_LACKS(&teacher.c, "показать её нельзя");
	snprintf(path, sizeof(path), "/c/legacylink%lld", parents);
	T_EQ(t_get(&anon, path), 404);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&anon, path), 200);
	for (i = 0; i < 4; i++)
		t_client_free(&many[i]);
	t_client_free(&anon);
	t_client_free(&s.admin.c);
	t_client_free(&teacher.c);
	t_client_free(&parent.c);
	t_client_free(&guest.c);
}

static void
parent_link_guardian(void)
{
	struct school	 s;
	struct t_person	 teacher, child, mum, dad, stranger;
	struct t_client	 many[4];
	struct join_race j;
	long long	 tid, cid, mid, cls, parents, pupils, direct, chat2;
	long long	 plink;
	char		 path[128], token[64], old[64], mine[64];
	const char	*v;
	int		 i, ok, gone;

	school_new(&s);
	tid = t_person_new(&teacher, "Руководова", "Елена", s.org, "teacher");
	cid = t_person_new(&child, "Малышев", "Петя", s.org, "student");
	T_TRUE(tid > 0 && cid > 0);
	cls = t_class_add(s.org, 2, "Г", 2025);
	T_TRUE(t_class_member_add(s.org, cls, tid, "homeroom") == 0);
	T_TRUE(t_class_member_add(s.org, cls, cid, "student") == 0);
	parents = t_chat_of(s.org, cls, "parents");
	pupils = t_chat_of(s.org, cls, "students");
	mid = t_person_new(&mum, "Малышева", "Ольга", 0, NULL);
	T_TRUE(mid > 0);
	T_TRUE(t_person_new(&dad, "Малышев", "Игорь", 0, NULL) > 0);
	T_TRUE(t_person_new(&stranger, "Посторонний", "Вадим", 0, NULL) > 0);

	/* Only students make parent links. */
	T_EQ(t_get(&mum.c, "/chats/parent-link"), 403);
	T_EQ(t_get(&child.c, "/chats/parent-link"), 200);
	T_HAS(&child.c, "Пока никто не подтвердил");
	T_EQ(t_postf(&mum.c, "/chats/parent-link", "x=1"), 403);
	T_EQ(t_postf(&child.c, "/chats/parent-link", "x=1"), 303);
	plink = t_id_after(t_header(&child.c, "Location"),
	    "/chats/parent-link/");
	T_TRUE(plink > 0);
	snprintf(mine, sizeof(mine), "/chats/parent-link/%lld", plink);
	T_EQ(t_get(&child.c, mine), 200);
	T_HAS(&child.c, "<svg class=\"qr\"");
	T_HAS(&child.c, "только один раз");
	T_TRUE(t_token(&child.c, "/c/", token, 64) == 0);
	T_TRUE(qr_is_link(&child.c, token));
	T_STREQ(t_sql("SELECT count(*) FROM parta.parent_link WHERE id = %lld"
	    " AND child_id = %lld AND token_hash = sha256('%s') AND"
	    " length(token_salt) = 32", plink, cid, token), "1");
	/* The same link whenever its page is opened; listed while unused. */
	T_EQ(t_get(&child.c, mine), 200);
	T_TRUE(t_token(&child.c, "/c/", old, 64) == 0);
	T_STREQ(old, token);
	T_EQ(t_get(&child.c, "/chats/parent-link"), 200);
	T_HAS(&child.c, mine);
	T_LACKS(&child.c, token);
	/* Only the child sees it: anyone else 404. */
	T_EQ(t_get(&mum.c, mine), 404);
	T_EQ(t_get(&teacher.c, mine), 404);
	T_EQ(t_get(&s.admin.c, mine), 404);
	T_EQ(t_get(&child.c, "/chats/parent-link/999999999"), 404);
	snprintf(path, sizeof(path), "/c/%s", token);

	/* The child opening their own link is told it is for a parent. */
	T_EQ(t_get(&child.c, path), 200);
	T_HAS(&child.c, "Это ваша ссылка для родителя");
	T_EQ(t_postf(&child.c, path, "x=1"), 403);
	T_HAS(&child.c, "Это ваша ссылка для родителя");

	/* Mum confirms: guardian, in the parents' chat, not in the
	 * students' chat, not an organization member. */
	T_EQ(t_get(&mum.c, path), 200);
	T_HAS(&mum.c, "Малышев Петя");
	T_EQ(t_postf(&mum.c, path, "x=1"), 303);
	T_STREQ(t_header(&mum.c, "Location"), "/chats/family");
	T_STREQ(t_sql("SELECT count(*) FROM parta.guardian WHERE parent_id = "
	    "%lld AND child_id = %lld", mid, cid), "1");
	T_EQ(t_chat_get(&mum.c, parents), 200);
	T_EQ(t_chat_get(&mum.c, pupils), 404);
	snprintf(path, sizeof(path), "/org/%lld", s.org);
	T_EQ(t_get(&mum.c, path), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE account_id = "
	    "%lld", mid), "0");
	/* Single use: used is 410 for anyone. */
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&dad.c, path), 410);
	T_EQ(t_postf(&dad.c, path, "x=1"), 410);
	T_EQ(t_get(&child.c, "/chats/parent-link"), 200);
	T_EQ(count_of(&child.c, "Малышева Ольга"), 1);
	T_LACKS(&child.c, mine);
	/* Its page now says who used it, and shows no link. */
	T_EQ(t_get(&child.c, mine), 200);
	T_HAS(&child.c, "Ссылкой уже воспользовались");
	T_HAS(&child.c, "Малышева Ольга");
	T_LACKS(&child.c, "/c/");
	T_LACKS(&child.c, "<svg class=\"qr\"");

	/* Mum writes to her child and to the homeroom teacher. */
	T_EQ(t_get(&mum.c, "/chats/family"), 200);
	T_HAS(&mum.c, "Малышев Петя");
	T_HAS(&mum.c, "Руководова Елена");
	T_HAS(&mum.c, "классный руководитель");
	T_EQ(count_of(&mum.c, "Руководова Елена"), 1);
	t_form(&mum.c, "/chats/family");
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", cid), 303);
	direct = t_id_after(t_header(&mum.c, "Location"), "/chats/");
	T_TRUE(direct > 0);
	T_EQ(t_chat_post(&mum.c, direct, "Петя, ты пообедал?"), 303);
	T_EQ(t_chat_get(&child.c, direct), 200);
	T_HAS(&child.c, "Петя, ты пообедал?");
	T_HAS(&child.c, "Ольга Малышева");
	T_EQ(t_chat_get(&teacher.c, direct), 404);
	/* The same pair again: the same chat. */
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", cid), 303);
	T_EQ(t_id_after(t_header(&mum.c, "Location"), "/chats/"), direct);
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", tid), 303);
	chat2 = t_id_after(t_header(&mum.c, "Location"), "/chats/");
	T_TRUE(chat2 > 0 && chat2 != direct);
	T_EQ(t_chat_post(&mum.c, chat2, "Здравствуйте, Елена Викторовна"), 303);
	T_EQ(t_chat_get(&teacher.c, chat2), 200);
	T_HAS(&teacher.c, "Здравствуйте");
	/* The teacher sees mum among her students' parents. */
	T_EQ(t_get(&teacher.c, "/chats/family"), 200);
	T_HAS(&teacher.c, "Малышева Ольга");
	/* Nobody else: 404 (no finding people by asking). */
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld",
	    t_account_id(&stranger)), 404);
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", s.admin_id),
	    404);
	T_EQ(t_postf(&stranger.c, "/chats/direct", "account_id=%lld", cid),
	    404);
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=x"), 400);
	T_EQ(t_chat_get(&stranger.c, direct), 404);

	/* An expired link and one made before salts were kept: their pages
	 * say so and show no link. */
	T_EQ(t_postf(&child.c, "/chats/parent-link", "x=1"), 303);
	plink = t_id_after(t_header(&child.c, "Location"),
	    "/chats/parent-link/");
	T_TRUE(t_sql("UPDATE parta.parent_link SET created_at = now() -"
	    " interval '20 days', expires_at = now() - interval '7 days'"
	    " WHERE id = %lld", plink) != NULL);
	snprintf(mine, sizeof(mine), "/chats/parent-link/%lld", plink);
	T_EQ(t_get(&child.c, mine), 200);
	T_HAS(&child.c, "Срок действия ссылки истёк");
	T_LACKS(&child.c, "/c/");
	T_EQ(t_get(&child.c, "/chats/parent-link"), 200);
	T_LACKS(&child.c, mine);
	T_TRUE((v = t_sql("INSERT INTO parta.parent_link (child_id,"
	    " token_hash, expires_at) VALUES (%lld, sha256('oldparent%lld'),"
	    " now() + interval '1 day') RETURNING id", cid, cid)) != NULL);
	snprintf(mine, sizeof(mine), "/chats/parent-link/%s", v);
	T_EQ(t_get(&child.c, mine), 200);
	T_HAS(&child.c, "показать её нельзя");
	T_LACKS(&child.c, "/c/");
	snprintf(path, sizeof(path), "/c/oldparent%lld", cid);
	T_EQ(t_get(&dad.c, path), 200);
	T_HAS(&dad.c, "Да, я родитель");
	T_TRUE(t_sql("DELETE FROM parta.parent_link WHERE child_id = %lld"
	    " AND token_salt IS NULL", cid) != NULL);

	/* One link, four people at once: exactly one becomes the guardian. */
	T_EQ(t_postf(&child.c, "/chats/parent-link", "x=1"), 303);
	snprintf(mine, sizeof(mine), "%s", t_header(&child.c, "Location"));
	T_EQ(t_get(&child.c, mine), 200);
	T_TRUE(t_token(&child.c, "/c/", token, 64) == 0);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_TRUE(t_clients_of(&stranger, many, 2) == 0);
	{
		struct t_client c2[2];

		T_TRUE(t_clients_of(&dad, c2, 2) == 0);
		many[2] = c2[0];
		many[3] = c2[1];
	}
	for (i = 0; i < 4; i++)
		t_form(&many[i], path);
	j.c = many;
	j.path = path;
	t_parallel(4, join_one, &j);
	for (i = ok = gone = 0; i < 4; i++) {
		ok += j.status[i] == 303;
		gone += j.status[i] == 410 || j.status[i] == 409;
	}
	T_EQ(ok, 1);
	T_EQ(gone, 3);
	T_STREQ(t_sql("SELECT count(*) FROM parta.guardian WHERE child_id = "
	    "%lld", cid), "2");
	for (i = 0; i < 4; i++)
		t_client_free(&many[i]);

	/* A guardian joins the parents' chat of a class the child joins
	 * later, and leaves it with the child. */
	{
		long long cls2 = t_class_add(s.org, 3, "Г", 2025), parents2;

		parents2 = t_chat_of(s.org, cls2, "parents");
		T_EQ(t_chat_get(&mum.c, parents2), 404);
		T_TRUE(t_class_member_add(s.org, cls2, cid, "student") == 0);
		T_EQ(t_chat_get(&mum.c, parents2), 200);
		T_TRUE(t_sql("DELETE FROM parta.class_member WHERE class_id = "
		    "%lld AND account_id = %lld", cls2, cid) != NULL);
		T_EQ(t_chat_get(&mum.c, parents2), 404);
		T_EQ(t_chat_get(&mum.c, parents), 200);
	}
	/* A guardian who is also staff keeps the parents' chat when they
	 * leave the organization. */
	T_TRUE(t_member_add(s.org, mid, "teacher", 1) == 0);
	T_EQ(t_chat_get(&mum.c, t_chat_of(s.org, 0, "staff")), 200);
	T_TRUE(t_sql("DELETE FROM parta.member WHERE org_id = %lld AND "
	    "account_id = %lld", s.org, mid) != NULL);
	T_EQ(t_chat_get(&mum.c, t_chat_of(s.org, 0, "staff")), 404);
	T_EQ(t_chat_get(&mum.c, parents), 200);
	T_EQ(t_chat_get(&mum.c, direct), 200);
	t_client_free(&s.admin.c);
	t_client_free(&teacher.c);
	t_client_free(&child.c);
	t_client_free(&mum.c);
	t_client_free(&dad.c);
	t_client_free(&stranger.c);
}

static void
link_create_one(int i, void *arg)
{
	struct join_race *j = arg;

	j->status[i] = t_postf(&j->c[i], "/chats/parent-link", "x=1");
}

/* At most 5 unused parent links, also when asked for in parallel; an
 * account on an e-mail (a parent's, say) sends the link there.  (A child
 * under 14 signs up through a parent instead: test_guardians.c.) */
static void
parent_link_limit_and_email(void)
{
	struct school	 s;
	struct t_person	 child;
	struct t_client	 kid, many[8], mum;
	struct join_race j;
	char		 email[64], body[512], *msg, *p, token[64];
	char		 path[128];
	long long	 kid_id;
	int		 i, ok, over;

	school_new(&s);
	T_TRUE(t_person_new(&child, "Лимитов", "Дима", s.org, "student") > 0);
	T_TRUE(t_clients_of(&child, many, 8) == 0);
	for (i = 0; i < 8; i++)
		t_form(&many[i], "/chats/parent-link");
	j.c = many;
	t_parallel(8, link_create_one, &j);
	for (i = ok = over = 0; i < 8; i++) {
		ok += j.status[i] == 303;
		over += j.status[i] == 429;
	}
	T_EQ(ok, 5);
	T_EQ(over, 3);
	/* The refused one says why, on the page. */
	for (i = 0; i < 8; i++)
		if (j.status[i] == 429)
			T_HAS(&many[i], "Неиспользованных ссылок уже 5");
	T_EQ(t_get(&many[0], "/chats/parent-link"), 200);
	T_HAS(&many[0], "уже 5");
	T_LACKS(&many[0], "Создать ссылку и QR-код");
	T_EQ(count_of(&many[0], "href=\"/chats/parent-link/"), 5);
	for (i = 0; i < 8; i++)
		t_client_free(&many[i]);

	/* A pupil signed up with mum's e-mail. */
	t_unique_email(email);
	t_client_init(&kid);
	t_form(&kid, "/register");
	snprintf(body, sizeof(body), "last_name=%s&first_name=%s&gender=m&"
	    "birth_date=2011-03-01&phone=&email=%s&consent=1&password=first-grade-1",
	    t_enc("Крохин"), t_enc("Миша"), t_enc(email));
	T_EQ(t_postf(&kid, "/register", "%s", body), 303);
	t_form(&kid, "/verify");
	T_EQ(t_postf(&kid, "/verify", "code=%s", t_outbox_code(email)), 303);
	kid_id = atoll(t_sql("SELECT id FROM parta.account WHERE email = '%s'",
	    email));
	T_TRUE(kid_id > 0);
	T_TRUE(t_member_add(s.org, kid_id, "student", 1) == 0);
	T_EQ(t_get(&kid, "/chats/parent-link"), 200);
	T_HAS(&kid, email);
	T_EQ(t_postf(&kid, "/chats/parent-link", "send=email"), 303);
	T_STREQ(t_header(&kid, "Location"), "/chats/parent-link?sent=1");
	msg = t_outbox_last(email);
	T_TRUE(msg != NULL && (p = strstr(msg, "/c/")) != NULL);
	snprintf(token, sizeof(token), "%.*s", (int)strspn(p + 3,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
	    p + 3);
	free(msg);
	{
		struct t_person parent;

		T_TRUE(t_person_new(&parent, "Крохина", "Вера", 0, NULL) > 0);
		mum = parent.c;
		snprintf(path, sizeof(path), "/c/%s", token);
		t_form(&mum, path);
		T_EQ(t_postf(&mum, path, "x=1"), 303);
		T_STREQ(t_sql("SELECT count(*) FROM parta.guardian WHERE "
		    "parent_id = %lld AND child_id = %lld", t_account_id(&parent),
		    kid_id), "1");
	}
	t_client_free(&mum);
	t_client_free(&kid);
	t_client_free(&s.admin.c);
	t_client_free(&child.c);
}

/* Archive (1) or restore (0) a class made by add_class, as the admin does
 * on the class form: the status. */
static long
class_archive(struct t_client *admin, long long org, long long cls,
    int grade, const char *letter, int archived)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/edit", org, cls);
	return t_postf(admin, path, "kind=class&grade=%d&letter=%s&title="
	    "&year=2025&color=%%232563c9%s", grade, t_enc(letter),
	    archived ? "&archived=1" : "");
}

static long long
message_count(long long chat)
{
	const char	*v;

	v = t_sql("SELECT count(*) FROM parta.message WHERE chat_id = %lld",
	    chat);
	return v != NULL ? atoll(v) : -1;
}

/*
 * Archiving a class makes its chats (the two automatic ones, and those
 * made about it) read-only: members go on reading them, nobody writes
 * (409) or joins (the link: 410), whoever inserts (the database refuses
 * too); restoring the class opens them again.
 */
static void
archived_class_chats(void)
{
	struct school	 s;
	struct t_person	 teacher, student, guest, late;
	struct t_client	 anon;
	long long	 tid, sid, cls, pupils, parents, hand, chan, n;
	char		 path[128], token[64];

	school_new(&s);
	tid = t_person_new(&teacher, "Архивова", "Вера", s.org, "teacher");
	sid = t_person_new(&student, "Архивов", "Лёва", s.org, "student");
	T_TRUE(tid > 0 && sid > 0);
	T_TRUE(t_person_new(&guest, "Гостья", "Галя", 0, NULL) > 0);
	cls = t_class_add(s.org, 6, "Д", 2025);
	T_TRUE(cls > 0);
	T_TRUE(t_class_member_add(s.org, cls, tid, "homeroom") == 0);
	T_TRUE(t_class_member_add(s.org, cls, sid, "student") == 0);
	pupils = t_chat_of(s.org, cls, "students");
	parents = t_chat_of(s.org, cls, "parents");
	T_EQ(t_chat_post(&student.c, pupils, "Что задали на завтра?"), 303);
	/* A chat and a channel for everyone, made about the class. */
	snprintf(path, sizeof(path), "/org/%lld/chats", s.org);
	t_form(&teacher.c, path);
	T_EQ(t_postf(&teacher.c, path, "title=%s&class_id=%lld&kind=chat",
	    t_enc("Театр 6Д"), cls), 303);
	hand = t_id_after(t_header(&teacher.c, "Location"), "/chats/");
	T_TRUE(hand > 0);
	t_form(&s.admin.c, path);
	T_EQ(t_postf(&s.admin.c, path, "title=%s&class_id=%lld&kind=channel"
	    "&audience=all", t_enc("Новости 6Д"), cls), 303);
	chan = t_id_after(t_header(&s.admin.c, "Location"), "/chats/");
	T_TRUE(chan > 0);
	/* The parents' chat has a link. */
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	t_form(&teacher.c, path);
	T_EQ(t_postf(&teacher.c, path, "x=1"), 303);
	T_EQ(t_get(&teacher.c, path), 200);
	T_TRUE(t_token(&teacher.c, "/c/", token, 64) == 0);

	/* The admin archives the class. */
	T_EQ(class_archive(&s.admin.c, s.org, cls, 6, "Д", 1), 303);

	/* Members read the history; the page says why there is no form. */
	T_EQ(t_chat_get(&student.c, pupils), 200);
	T_HAS(&student.c, "Что задали на завтра?");
	T_HAS(&student.c, "Класс в архиве — чат только для чтения");
	T_LACKS(&student.c, "name=\"text\"");
	T_EQ(t_get(&student.c, "/chats"), 200);
	T_HAS(&student.c, "архив, только чтение");
	/* Nobody writes, chat admins neither: 409, nothing stored. */
	n = message_count(pupils);
	T_EQ(t_chat_post(&student.c, pupils, "Можно вопрос?"), 409);
	T_HAS(&student.c, "Класс в архиве — чат только для чтения");
	T_LACKS(&student.c, "name=\"text\"");
	T_EQ(t_chat_post(&teacher.c, pupils, "Итоги года"), 409);
	T_EQ(message_count(pupils), n);
	T_EQ(t_chat_post(&teacher.c, hand, "Репетиция в пятницу"), 409);
	T_EQ(t_chat_post(&s.admin.c, chan, "Новость"), 409);
	T_EQ(message_count(hand), 0);
	T_EQ(message_count(chan), 0);
	/* Members stay members; the history can still be moderated. */
	T_EQ(t_chat_get(&teacher.c, hand), 200);
	T_HAS(&teacher.c, "Класс в архиве");
	snprintf(path, sizeof(path), "/chats/%lld/messages/%s/delete", pupils,
	    t_sql("SELECT min(id) FROM parta.message WHERE chat_id = %lld",
	    pupils));
	T_EQ(t_postf(&teacher.c, path, "x=1"), 303);
	T_EQ(t_chat_get(&student.c, pupils), 200);
	T_HAS(&student.c, "Сообщение удалено");
	T_LACKS(&student.c, "Что задали на завтра?");

	/* Nobody joins: the link answers 410 and says why, to anyone. */
	t_client_init(&anon);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&anon, path), 410);
	T_HAS(&anon, "Класс этого чата в архиве");
	T_LACKS(&anon, "Вступить в чат");
	T_LACKS(&anon, "/login?next=");
	t_form(&guest.c, "/chats");
	T_EQ(t_get(&guest.c, path), 410);
	T_EQ(t_postf(&guest.c, path, "x=1"), 410);
	T_HAS(&guest.c, "Класс этого чата в архиве");
	T_EQ(t_chat_get(&guest.c, parents), 404);
	/* Its admin sees no link and cannot make one: 409. */
	snprintf(path, sizeof(path), "/chats/%lld/link", parents);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "Класс в архиве");
	T_LACKS(&teacher.c, "<svg class=\"qr\"");
	T_LACKS(&teacher.c, token);
	T_EQ(t_postf(&teacher.c, path, "x=1"), 409);
	T_HAS(&teacher.c, "Класс в архиве");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat WHERE id = %lld AND"
	    " token_hash = sha256('%s')", parents, token), "1");
	snprintf(path, sizeof(path), "/chats/%lld/members", parents);
	T_EQ(t_get(&teacher.c, path), 200);
	T_HAS(&teacher.c, "больше не вступить");

	/* The database refuses, whoever inserts. */
	T_TRUE(t_sql("INSERT INTO parta.message (org_id, chat_id, author_id,"
	    " body) VALUES (%lld, %lld, %lld, 'в обход')", s.org, pupils,
	    sid) == NULL);
	T_TRUE(t_sql("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %lld, %lld)", s.org, parents,
	    t_account_id(&guest)) == NULL);
	T_EQ(message_count(pupils), n);
	/* A new member of the school is not let into the archived class's
	 * channel (and is not refused for its sake). */
	T_TRUE(t_person_new(&late, "Новенький", "Стас", s.org, "student") > 0);
	T_EQ(t_chat_get(&late.c, chan), 404);

	/* Restoring the class opens its chats again. */
	T_EQ(class_archive(&s.admin.c, s.org, cls, 6, "Д", 0), 303);
	T_EQ(t_chat_get(&student.c, pupils), 200);
	T_LACKS(&student.c, "Класс в архиве");
	T_HAS(&student.c, "name=\"text\"");
	T_EQ(t_chat_post(&student.c, pupils, "Снова учимся"), 303);
	T_EQ(message_count(pupils), n + 1);
	T_EQ(t_chat_post(&s.admin.c, chan, "Новость"), 303);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&anon, path), 200);
	T_HAS(&anon, "Приглашение в чат");
	T_EQ(t_postf(&guest.c, path, "x=1"), 303);
	T_EQ(t_chat_get(&guest.c, parents), 200);
	t_client_free(&anon);
	t_client_free(&s.admin.c);
	t_client_free(&teacher.c);
	t_client_free(&student.c);
	t_client_free(&guest.c);
	t_client_free(&late.c);
}

struct archive_race {
	struct t_client	*c;		/* c[0] the admin, then writers */
	long long	 org, cls, chat;
	int		 archive;
	long		 status[8];
};

static void
archive_race_one(int i, void *arg)
{
	struct archive_race	*a = arg;
	char			 path[64];

	if (i == 0) {
		a->status[0] = class_archive(&a->c[0], a->org, a->cls, 6, "Е",
		    a->archive);
		return;
	}
	snprintf(path, sizeof(path), "/chats/%lld/messages", a->chat);
	a->status[i] = t_postf(&a->c[i], path, "text=race+%d", i);
}

/* The class archived and restored while seven people write in its chat:
 * every message is either stored (303) or refused (409), never an
 * error, and what is stored is exactly what was answered 303. */
static void
archive_while_writing(void)
{
	struct school	 s;
	struct t_person	 student;
	struct t_client	 c[8];
	struct archive_race a;
	long long	 sid, n;
	char		 path[64];
	int		 round, i, ok, refused;

	school_new(&s);
	sid = t_person_new(&student, "Гонкин", "Федя", s.org, "student");
	T_TRUE(sid > 0);
	a.cls = t_class_add(s.org, 6, "Е", 2025);
	T_TRUE(a.cls > 0);
	T_TRUE(t_class_member_add(s.org, a.cls, sid, "student") == 0);
	a.org = s.org;
	a.chat = t_chat_of(s.org, a.cls, "students");
	T_TRUE(a.chat > 0);
	c[0] = s.admin.c;
	T_TRUE(t_clients_of(&student, c + 1, 7) == 0);
	snprintf(path, sizeof(path), "/chats/%lld", a.chat);
	for (i = 0; i < 8; i++)
		t_form(&c[i], i == 0 ? "/chats" : path);
	a.c = c;
	for (round = 0; round < 4; round++) {
		a.archive = round % 2 == 0;
		n = message_count(a.chat);
		t_parallel(8, archive_race_one, &a);
		T_EQ(a.status[0], 303);
		for (i = 1, ok = refused = 0; i < 8; i++) {
			ok += a.status[i] == 303;
			refused += a.status[i] == 409;
		}
		T_EQ(ok + refused, 7);
		T_EQ(message_count(a.chat), n + ok);
		/* Afterwards the chat is what the class is. */
		snprintf(path, sizeof(path), "/chats/%lld/messages", a.chat);
		T_EQ(t_postf(&c[1], path, "text=after+%d", round),
		    a.archive ? 409 : 303);
		snprintf(path, sizeof(path), "/chats/%lld", a.chat);
	}
	for (i = 0; i < 8; i++)
		t_client_free(&c[i]);
	t_client_free(&student.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "automatic chats follow org, class, member rows",
		    auto_chats_follow_org_data },
		{ "create chat and channel; scopes, 403, 422",
		    create_chat_and_channel },
		{ "messages: escaping, links, 4000, unread, paging",
		    messages_text_limits_paging },
		{ "moderation: delete, only admins write, removal",
		    moderation },
		{ "posting: 60 a minute, then 429", posting_rate_limit },
		{ "chat link: parent joins, 409, regenerate, parallel",
		    chat_link_joins },
		{ "child's parent link, guardian, direct chats",
		    parent_link_guardian },
		{ "parent links: limit in parallel, by e-mail",
		    parent_link_limit_and_email },
		{ "archived class: chats read-only, link 410, restore",
		    archived_class_chats },
		{ "archiving while people write: 303 or 409, all counted",
		    archive_while_writing },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
