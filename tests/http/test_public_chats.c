/*
 * Public chats (issue 21): a chat's admins make it public for staff or
 * for every member; members of that audience join it by a button and
 * leave it; parents and other organizations never.  The organization's
 * administrator sees every chat (/org/N/chats/all), closes a chat made
 * by hand and opens it again, takes over the moderation of any, also
 * under row-level security.  Twenty people joining one chat at once are
 * each seated once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* A school: its admin, a teacher, a class with a student, the
 * student's parent; another school with its admin. */
struct world {
	struct t_person	 admin, teacher, student, parent, oadmin;
	long long	 org, other, cls;
};

static void
world_new(struct world *w)
{
	t_signup(&w->admin, "Директорова", "Анна");
	w->org = t_org_create(&w->admin, "Школа открытых чатов");
	t_signup(&w->oadmin, "Чужакова", "Ольга");
	w->other = t_org_create(&w->oadmin, "Другая школа");
	w->cls = t_class_add(w->org, 7, "А", 0);
	T_TRUE(t_person_new(&w->teacher, "Учителев", "Иван", w->org,
	    "teacher") > 0);
	T_TRUE(t_person_new(&w->student, "Ученикова", "Маша", w->org,
	    "student") > 0);
	T_TRUE(t_class_member_add(w->org, w->cls, w->student.id,
	    "student") == 0);
	t_signup(&w->parent, "Ученикова", "Мама");
	T_TRUE(t_guardian_add(w->parent.id, w->student.id) == 0);
}

static void
world_free(struct world *w)
{
	t_client_free(&w->admin.c);
	t_client_free(&w->teacher.c);
	t_client_free(&w->student.c);
	t_client_free(&w->parent.c);
	t_client_free(&w->oadmin.c);
}

/* c makes a chat titled title in org: its id. */
static long long
chat_make(struct t_client *c, long long org, const char *title)
{
	long long	 id;

	t_form(c, t_fmt("/org/%lld/chats", org));
	T_EQ(t_postf(c, t_fmt("/org/%lld/chats", org), "title=%s&class_id="
	    "&kind=chat", t_enc(title)), 303);
	id = t_id_after(t_header(c, "Location"), "/chats/");
	T_TRUE(id > 0);
	return id;
}

/* c sets chat's public audience (none, staff, all): the status. */
static long
publish(struct t_client *c, long long chat, const char *audience)
{
	t_form(c, t_fmt("/chats/%lld/members", chat));
	return t_postf(c, t_fmt("/chats/%lld/public", chat), "audience=%s",
	    audience);
}

/* c posts to path with a fresh csrf token (from its chats page): the
 * status. */
static long
act(struct t_client *c, const char *path)
{
	t_form(c, "/chats");
	return t_postf(c, path, "x=1");
}

static long long
seats(long long chat)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " chat_id = %lld", chat));
}

static long long
seated(long long chat, long long who)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " chat_id = %lld AND account_id = %lld", chat, who));
}

static void
join_and_leave(void)
{
	struct world	 w;
	struct t_client	 op;
	long long	 chess, staff_chat, pupils;
	char		 pub[64];

	world_new(&w);
	snprintf(pub, sizeof(pub), "/org/%lld/chats/public", w.org);
	/* The menu's «Публичные чаты» opens the public list; the person's
	 * own chats keep their page and name. */
	T_EQ(t_get(&w.student.c, t_fmt("/org/%lld", w.org)), 200);
	T_HAS(&w.student.c, t_fmt("href=\"/org/%lld/chats/public\">"
	    "Публичные чаты", w.org));
	T_EQ(t_get(&w.student.c, t_fmt("/org/%lld/chats", w.org)), 200);
	T_HAS(&w.student.c, "Мои чаты и каналы");

	chess = chat_make(&w.teacher.c, w.org, "Шахматный клуб");
	/* Not public yet: not listed, not joined. */
	T_EQ(t_get(&w.student.c, pub), 200);
	T_LACKS(&w.student.c, "Шахматный клуб");
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", chess)), 404);
	T_EQ(seated(chess, w.student.id), 0);

	/* Only its chat admins make it public; a bad audience is 400. */
	T_EQ(publish(&w.teacher.c, chess, "everyone"), 400);
	T_EQ(publish(&w.teacher.c, chess, "all"), 303);
	T_STREQ(t_header(&w.teacher.c, "Location"), t_fmt("/chats/%lld/members",
	    chess));
	T_STREQ(t_sql("SELECT public_audience FROM parta.chat WHERE id = %lld",
	    chess), "all");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_public' AND actor_id = %lld AND detail LIKE"
	    " '%%Шахматный клуб%%'", w.org, w.teacher.id), "1");
	/* The same again changes nothing (no second audit row). */
	T_EQ(publish(&w.teacher.c, chess, "all"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_public'", w.org), "1");

	/* Listed with its member count; one button joins. */
	T_EQ(t_get(&w.student.c, pub), 200);
	T_HAS(&w.student.c, "Шахматный клуб");
	T_HAS(&w.student.c, "1 участник");
	T_HAS(&w.student.c, t_fmt("action=\"/chats/%lld/join\"", chess));
	T_EQ(t_postf(&w.student.c, t_fmt("/chats/%lld/join", chess), "x=1"),
	    303);
	T_STREQ(t_header(&w.student.c, "Location"), t_fmt("/chats/%lld#end",
	    chess));
	T_EQ(t_chat_get(&w.student.c, chess), 200);
	T_EQ(t_chat_post(&w.student.c, chess, "Привет, шахматисты"), 303);
	T_EQ(seats(chess), 2);
	/* Joining again changes nothing. */
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", chess)), 303);
	T_EQ(seats(chess), 2);
	T_EQ(t_get(&w.student.c, pub), 200);
	T_HAS(&w.student.c, "2 участника");
	/* Joined: under «Вы участник», not offered to join again. */
	T_HAS(&w.student.c, "Вы участник");
	T_TRUE(strstr(w.student.c.r.body, "Вы участник") <
	    strstr(w.student.c.r.body, "Шахматный клуб"));
	T_LACKS(&w.student.c, t_fmt("action=\"/chats/%lld/join\"", chess));
	/* A member who is not its admin cannot make it private. */
	T_EQ(publish(&w.student.c, chess, "none"), 403);

	/* Leave, and come back. */
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/leave", chess)), 303);
	T_STREQ(t_header(&w.student.c, "Location"), pub);
	T_EQ(t_chat_get(&w.student.c, chess), 404);
	T_EQ(seated(chess, w.student.id), 0);
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/leave", chess)), 404);
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", chess)), 303);
	T_EQ(t_chat_get(&w.student.c, chess), 200);
	T_HAS(&w.student.c, "Привет, шахматисты");
	T_EQ(seated(chess, w.student.id), 1);
	/* The last chat admin does not leave people without one, and is
	 * not offered «Выйти» (issue 21's second QA): the pages say why
	 * and what can be done, as the 409 does. */
	T_EQ(t_get(&w.teacher.c, pub), 200);
	T_LACKS(&w.teacher.c, t_fmt("action=\"/chats/%lld/leave\"", chess));
	T_HAS(&w.teacher.c, "Вы единственный администратор");
	T_EQ(t_get(&w.teacher.c, t_fmt("/chats/%lld/members", chess)), 200);
	T_LACKS(&w.teacher.c, t_fmt("action=\"/chats/%lld/leave\"", chess));
	T_HAS(&w.teacher.c, "взять чат на модерацию");
	T_EQ(t_get(&w.student.c, t_fmt("/chats/%lld/members", chess)), 200);
	T_HAS(&w.student.c, t_fmt("action=\"/chats/%lld/leave\"", chess));
	T_EQ(act(&w.teacher.c, t_fmt("/chats/%lld/leave", chess)), 409);
	T_HAS(&w.teacher.c, "единственный администратор");
	/* What can be done, and no promise of what cannot. */
	T_HAS(&w.teacher.c, "взять чат на модерацию");
	T_HAS(&w.teacher.c, "«Все чаты организации»");
	T_LACKS(&w.teacher.c, "Сделайте администратором");
	T_EQ(seated(chess, w.teacher.id), 1);
	/* Automatic chats follow classes and roles: not left by hand, not
	 * made public. */
	pupils = t_chat_of(w.org, w.cls, "students");
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/leave", pupils)), 403);
	T_EQ(seated(pupils, w.student.id), 1);
	T_EQ(publish(&w.admin.c, t_chat_of(w.org, 0, "staff"), "all"), 403);

	/* A chat for staff: not shown to a student, refused with 403;
	 * the admin (staff) joins it. */
	staff_chat = chat_make(&w.teacher.c, w.org, "Методобъединение");
	T_EQ(publish(&w.teacher.c, staff_chat, "staff"), 303);
	T_EQ(t_get(&w.student.c, pub), 200);
	T_LACKS(&w.student.c, "Методобъединение");
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", staff_chat)), 403);
	T_EQ(seated(staff_chat, w.student.id), 0);
	T_EQ(t_get(&w.admin.c, pub), 200);
	T_HAS(&w.admin.c, "Методобъединение");
	T_HAS(&w.admin.c, "для сотрудников");
	T_EQ(act(&w.admin.c, t_fmt("/chats/%lld/join", staff_chat)), 303);
	T_EQ(seated(staff_chat, w.admin.id), 1);

	/* A parent is no member: never offered, never joins, even a chat
	 * for all of the child's school. */
	T_EQ(t_get(&w.parent.c, pub), 404);
	T_EQ(act(&w.parent.c, t_fmt("/chats/%lld/join", chess)), 404);
	T_EQ(seated(chess, w.parent.id), 0);
	/* Another organization's admin: 404 for the list and the chat. */
	T_EQ(t_get(&w.oadmin.c, pub), 404);
	T_EQ(act(&w.oadmin.c, t_fmt("/chats/%lld/join", chess)), 404);
	T_EQ(seated(chess, w.oadmin.id), 0);
	/* The operator oversees, but is no member: 403. */
	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(t_get(&op, pub), 403);
	t_client_free(&op);

	/* Made private again: off the list, who is in stays, nobody new. */
	T_EQ(publish(&w.teacher.c, chess, "none"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_unpublic'", w.org), "1");
	T_EQ(t_get(&w.admin.c, pub), 200);
	T_LACKS(&w.admin.c, "Шахматный клуб");
	T_EQ(act(&w.admin.c, t_fmt("/chats/%lld/join", chess)), 404);
	T_EQ(seated(chess, w.student.id), 1);
	world_free(&w);
}

static void
admin_sees_closes_moderates(void)
{
	struct world	 w;
	struct t_person	 late;
	struct t_client	 op;
	long long	 chess, pupils, ochat;
	const char	*v;
	char		 all[64];

	world_new(&w);
	snprintf(all, sizeof(all), "/org/%lld/chats/all", w.org);
	chess = chat_make(&w.teacher.c, w.org, "Шахматный клуб");
	T_EQ(publish(&w.teacher.c, chess, "all"), 303);
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", chess)), 303);
	T_EQ(t_chat_post(&w.teacher.c, chess, "Турнир в пятницу"), 303);
	pupils = t_chat_of(w.org, w.cls, "students");

	/* Every chat but direct ones: the admin is in none of the chess
	 * club's seats, yet sees its last message's time (past row-level
	 * security), its maker, its members. */
	T_EQ(seated(chess, w.admin.id), 0);
	T_EQ(t_get(&w.admin.c, all), 200);
	T_HAS(&w.admin.c, "Шахматный клуб");
	T_HAS(&w.admin.c, "Учителев Иван");
	T_HAS(&w.admin.c, "публичный, для всех");
	T_HAS(&w.admin.c, "Учительская");
	T_HAS(&w.admin.c, "Класс 7А");
	T_HAS(&w.admin.c, "Родители 7А");
	T_HAS(&w.admin.c, "создан автоматически");
	v = t_sql("SELECT parta.local_time(max(m.created_at), 'Asia/Tomsk')"
	    " FROM parta.message m WHERE m.chat_id = %lld", chess);
	T_TRUE(v != NULL && *v != '\0');
	T_HAS(&w.admin.c, v);
	/* Only the administrator. */
	T_EQ(t_get(&w.teacher.c, all), 403);
	T_EQ(t_get(&w.student.c, all), 403);
	T_EQ(t_get(&w.parent.c, all), 404);
	T_EQ(t_get(&w.oadmin.c, all), 404);
	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(t_get(&op, all), 403);
	t_client_free(&op);
	/* Its SQL answers nobody else, whatever the caller asks. */
	T_STREQ(t_sql("SET parta.account = '%lld'; SELECT count(*) FROM"
	    " parta.org_chats_overview(%lld)", w.teacher.id, w.org), "0");
	T_TRUE(t_sql("RESET parta.account") != NULL);

	/* The chat has a link, which closing ends. */
	T_TRUE(t_sql("UPDATE parta.chat SET token_hash = sha256(convert_to("
	    "'pubclose%lld', 'UTF8')) WHERE id = %lld", chess, chess) != NULL);
	T_EQ(t_get(&w.parent.c, t_fmt("/c/pubclose%lld", chess)), 200);
	T_HAS(&w.parent.c, "Шахматный клуб");

	/* Closing: asked first; the teacher cannot. */
	T_EQ(t_get(&w.admin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    chess)), 200);
	T_HAS(&w.admin.c, "Закрыть чат");
	T_EQ(act(&w.teacher.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    chess)), 403);
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    chess)), 303);
	T_STREQ(t_header(&w.admin.c, "Location"), all);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_close' AND actor_id = %lld", w.org,
	    w.admin.id), "1");
	T_STREQ(t_sql("SELECT token_hash IS NULL FROM parta.chat WHERE id ="
	    " %lld", chess), "t");
	T_EQ(t_get(&w.parent.c, t_fmt("/c/pubclose%lld", chess)), 404);
	/* Read-only for its members; off the public list; nobody joins. */
	T_EQ(t_chat_get(&w.student.c, chess), 200);
	T_HAS(&w.student.c, "Чат закрыт администратором организации");
	T_HAS(&w.student.c, "Турнир в пятницу");
	T_EQ(t_chat_post(&w.student.c, chess, "Можно?"), 409);
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/leave", chess)), 303);
	T_EQ(t_get(&w.student.c, t_fmt("/org/%lld/chats/public", w.org)),
	    200);
	T_LACKS(&w.student.c, "Шахматный клуб");
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", chess)), 409);
	T_HAS(&w.student.c, "Чат закрыт");
	T_EQ(seated(chess, w.student.id), 0);
	T_EQ(publish(&w.teacher.c, chess, "staff"), 409);
	/* Opened again: joined again. */
	T_EQ(t_get(&w.admin.c, all), 200);
	T_HAS(&w.admin.c, t_fmt("/org/%lld/chats/%lld/reopen", w.org, chess));
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/reopen", w.org,
	    chess)), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_reopen'", w.org), "1");
	T_EQ(act(&w.student.c, t_fmt("/chats/%lld/join", chess)), 303);
	T_EQ(t_chat_post(&w.student.c, chess, "Я снова тут"), 303);

	/* The automatic chats are not closed (they follow classes and
	 * roles); the other organization's and unknown chats are 404. */
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    pupils)), 403);
	ochat = t_chat_of(w.other, 0, "staff");
	T_EQ(t_get(&w.admin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    ochat)), 404);
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    ochat)), 404);
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/moderate", w.org,
	    ochat)), 404);
	T_EQ(act(&w.oadmin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    chess)), 404);

	/* Taking over the class chat's moderation: its chat admin, who
	 * removes a member and deletes a message. */
	T_EQ(t_chat_post(&w.student.c, pupils, "Списывайте у меня"), 303);
	T_EQ(t_chat_get(&w.admin.c, pupils), 404);
	T_EQ(act(&w.teacher.c, t_fmt("/org/%lld/chats/%lld/moderate", w.org,
	    pupils)), 403);
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/moderate", w.org,
	    pupils)), 303);
	T_STREQ(t_header(&w.admin.c, "Location"), t_fmt("/chats/%lld#end",
	    pupils));
	T_EQ(t_chat_get(&w.admin.c, pupils), 200);
	T_HAS(&w.admin.c, "Списывайте у меня");
	T_STREQ(t_sql("SELECT is_admin FROM parta.chat_member WHERE chat_id ="
	    " %lld AND account_id = %lld", pupils, w.admin.id), "t");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_moderate'", w.org), "1");
	v = t_sql("SELECT max(id) FROM parta.message WHERE chat_id = %lld",
	    pupils);
	T_EQ(act(&w.admin.c, t_fmt("/chats/%lld/messages/%s/delete", pupils,
	    v)), 303);
	/* Again: nothing more. */
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/moderate", w.org,
	    pupils)), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'chat_moderate'", w.org), "1");
	/* A closed chat takes no new moderator who is not in it. */
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/close", w.org,
	    chess)), 303);
	T_EQ(act(&w.admin.c, t_fmt("/org/%lld/chats/%lld/moderate", w.org,
	    chess)), 409);
	/* A member who came later sees none of this on the public list. */
	T_TRUE(t_person_new(&late, "Поздняя", "Вера", w.org, "student") > 0);
	T_EQ(t_get(&late.c, t_fmt("/org/%lld/chats/public", w.org)), 200);
	T_LACKS(&late.c, "Шахматный клуб");
	t_client_free(&late.c);
	world_free(&w);
}

/* Twenty people join one chat at once. */
struct crowd {
	struct t_person	 p[20];
	long long	 chat;
	long		 st[20];
};

static void
crowd_join(int i, void *arg)
{
	struct crowd	*x = arg;

	x->st[i] = t_postf(&x->p[i].c, t_fmt("/chats/%lld/join", x->chat),
	    "x=1");
}

static void
twenty_join_at_once(void)
{
	struct world	 w;
	static struct crowd x;
	int		 i, round;

	world_new(&w);
	x.chat = chat_make(&w.teacher.c, w.org, "Большой сбор");
	T_EQ(publish(&w.teacher.c, x.chat, "all"), 303);
	for (i = 0; i < 20; i++) {
		T_TRUE(t_person_new(&x.p[i], "Толпина", "Ученица", w.org,
		    "student") > 0);
		t_form(&x.p[i].c, "/chats");
	}
	/* Twice: the second time everyone is in already. */
	for (round = 0; round < 2; round++) {
		t_parallel(20, crowd_join, &x);
		for (i = 0; i < 20; i++)
			if (x.st[i] != 303)
				T_FAIL("round %d: person %d: %ld", round, i,
				    x.st[i]);
		T_EQ(seats(x.chat), 21);
		T_STREQ(t_sql("SELECT count(DISTINCT account_id) FROM"
		    " parta.chat_member WHERE chat_id = %lld", x.chat), "21");
	}
	T_EQ(t_get(&w.teacher.c, t_fmt("/org/%lld/chats/public", w.org)),
	    200);
	T_HAS(&w.teacher.c, "21 участник");
	for (i = 0; i < 20; i++)
		t_client_free(&x.p[i].c);
	world_free(&w);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "join and leave a public chat; parents, strangers, staff "
		    "only", join_and_leave },
		{ "the admin sees every chat, closes, reopens, moderates",
		    admin_sees_closes_moderates },
		{ "twenty people join one public chat at once",
		    twenty_join_at_once },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
