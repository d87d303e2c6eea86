/*
 * The ways out of an organization that org, operator and parta-admin
 * own (issue 15): an administrator removes a member; the operator, or
 * parta-admin admin-remove, removes an administrator; a member leaves; a
 * student is moved to another class.  After each, over HTTP, the person
 * has lost what the way out ends: the class and school chats they were
 * in, deciding applications and making invite links, the links they
 * made (410), their pending applications (closed).  A removed person is
 * barred from the organization's chat and invite links until an
 * administrator lets them back; a person who left is not.  The audit
 * page says each event in Russian words.  Also: a removed administrator
 * who was a homeroom teacher is in no chat after the year rollover, and
 * a removal raced by the removed student's messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"

#define NPOSTS	20

/* p made a member of org by SQL (and of class cls in crole, if cls):
 * their id. */
static long long
member_put(long long org, const struct t_person *p, const char *role,
    long long cls, const char *crole)
{
	if (t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, '%s', true)"
	    " ON CONFLICT DO NOTHING", org, p->id, role) == NULL)
		T_FAIL("%s not made a member", p->phone);
	if (cls > 0)
		t_class_member_add(org, cls, p->id, crole);
	return p->id;
}

static int
in_chat(long long chat, long long who)
{
	return (int)t_ll(t_sql("SELECT count(*) FROM parta.chat_member"
	    " WHERE chat_id = %lld AND account_id = %lld", chat, who));
}

/* c makes a student invite link for class cls of org: its token. */
static int
invite_make(struct t_client *c, long long org, long long cls, char out[96])
{
	return t_invite_make(c, org, t_fmt("role=student&class_id=%lld"
	    "&ttl_hours=48&max_uses=50", cls), out, 96) > 0 ? 0 : -1;
}

/* c, an admin of chat, makes its chat link: its token. */
static int
chat_link_make(struct t_client *c, long long chat, char out[96])
{
	char	 path[128];

	snprintf(path, sizeof(path), "/chats/%lld/link", chat);
	t_form(c, path);
	if (t_postf(c, path, "x=1") != 303 || t_get(c, path) != 200)
		return -1;
	return t_token(c, "/c/", out, 96);
}

static long
post_msg(struct t_client *c, long long chat, const char *text)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/chats/%lld/messages", chat);
	return t_postf(c, path, "text=%s", t_enc(text));
}

/* A school: its admin, classes 9Г and 9А of year, their chats, the
 * staff chat and a channel for everyone. */
struct school {
	struct t_person	 admin;
	long long	 org, admin_id;
	long long	 c9g, c9a;
	long long	 chat9g, pchat9g, chat9a, pchat9a, staff, channel;
};

static void
school_new(struct school *s, const char *name, int year)
{
	memset(s, 0, sizeof(*s));
	t_signup(&s->admin, "Директорова", "Дина");
	s->org = t_org_create(&s->admin, name);
	s->admin_id = s->admin.id;
	s->c9g = t_class_add(s->org, 9, "Г", year);
	s->c9a = t_class_add(s->org, 9, "А", year);
	s->chat9g = t_chat_of(s->org, s->c9g, "students");
	s->pchat9g = t_chat_of(s->org, s->c9g, "parents");
	s->chat9a = t_chat_of(s->org, s->c9a, "students");
	s->pchat9a = t_chat_of(s->org, s->c9a, "parents");
	s->staff = t_chat_of(s->org, 0, "staff");
	/* Members added from now on join it (0008). */
	s->channel = t_ll(t_sql("INSERT INTO parta.chat (org_id, kind,"
	    " title, audience) VALUES (%lld, 'channel', 'Новости школы',"
	    " 'all') RETURNING id", s->org));
	if (s->chat9g <= 0 || s->chat9a <= 0 || s->pchat9g <= 0 ||
	    s->pchat9a <= 0 || s->staff <= 0 || s->channel <= 0)
		T_FAIL("school_new");
}

/* What one way out must have ended for a person. */
struct gone {
	struct t_client	*c;		/* the person's session */
	long long	 org;
	long long	 chats[4];	/* chats they were in (0: none) */
	long long	 app;		/* an application they could decide */
	long long	 cls;		/* a class they could make links for */
	const char	*token;		/* a link they made */
	long long	 own_app;	/* their application, pending before */
	int		 status;	/* what org pages answer them now */
};

static void
gone_check(const struct gone *g)
{
	struct t_client	 anon;
	char		 path[160];
	size_t		 i;

	for (i = 0; i < sizeof(g->chats) / sizeof(g->chats[0]); i++) {
		if (g->chats[i] == 0)
			continue;
		if (t_chat_get(g->c, g->chats[i]) != 404)
			T_FAIL("chat %lld: status %ld, want 404", g->chats[i],
			    g->c->r.status);
		if (post_msg(g->c, g->chats[i], "Я ещё здесь?") != 404)
			T_FAIL("post to chat %lld: status %ld, want 404",
			    g->chats[i], g->c->r.status);
	}
	if (g->app > 0) {
		snprintf(path, sizeof(path),
		    "/org/%lld/applications/%lld/accept", g->org, g->app);
		T_EQ(t_postf(g->c, path, "x=1"), g->status);
		T_STREQ(t_sql("SELECT status FROM parta.application WHERE"
		    " id = %lld", g->app), "pending");
	}
	if (g->cls > 0) {
		snprintf(path, sizeof(path), "/org/%lld/invites", g->org);
		T_EQ(t_postf(g->c, path, "role=student&class_id=%lld"
		    "&ttl_hours=48&max_uses=5", g->cls), g->status);
	}
	if (g->token != NULL) {
		t_client_init(&anon);
		snprintf(path, sizeof(path), "/join/%s", g->token);
		T_EQ(t_get(&anon, path), 410);
		t_client_free(&anon);
	}
	if (g->own_app > 0) {
		snprintf(path, sizeof(path), "/me/applications/%lld",
		    g->own_app);
		T_EQ(t_get(g->c, path), 200);
		T_HAS(g->c, "status closed");
		T_LACKS(g->c, ">closed<");
		T_LACKS(g->c, "/withdraw");
		T_STREQ(t_sql("SELECT status FROM parta.application WHERE"
		    " id = %lld", g->own_app), "closed");
	}
	snprintf(path, sizeof(path), "/org/%lld", g->org);
	T_EQ(t_get(g->c, path), g->status == 404 ? 404 : 200);
}

/* A barred person follows a chat link and an invite link: 403, and they
 * are not in the chat, nor has an application been filed. */
static void
barred_check(struct t_person *p, long long org, const char *ctoken,
    long long chat, const char *itoken)
{
	char	 path[160];

	if (ctoken != NULL) {
		snprintf(path, sizeof(path), "/c/%s", ctoken);
		t_form(&p->c, path);
		T_EQ(t_postf(&p->c, path, "x=1"), 403);
		T_EQ(in_chat(chat, p->id), 0);
	}
	if (itoken != NULL) {
		snprintf(path, sizeof(path), "/join/%s", itoken);
		t_form(&p->c, path);
		T_EQ(t_postf(&p->c, path, "x=1"), 403);
		T_STREQ(t_sql("SELECT count(*) FROM parta.application WHERE"
		    " org_id = %lld AND account_id = %lld AND status ="
		    " 'pending'", org, p->id), "0");
	}
}

/* Way out 1: an administrator removes a homeroom teacher and a student;
 * the removed are barred until let back. */
static void
admin_removes(void)
{
	struct school	 s;
	struct t_person	 t, h, st;
	struct gone	 g;
	char		 path[160], ttoken[96], ctoken[96], itoken[96];
	long long	 tid, hid, sid, app_t, app_s, app_x;

	school_new(&s, "Школа исключений", 2026);
	t_signup(&t, "Уходов", "Тимур");
	t_signup(&h, "Классова", "Хельга");
	t_signup(&st, "Учеников", "Степан");
	T_TRUE((tid = member_put(s.org, &t, "teacher", s.c9a,
	    "homeroom")) > 0);
	T_TRUE((hid = member_put(s.org, &h, "teacher", s.c9g,
	    "homeroom")) > 0);
	T_TRUE((sid = member_put(s.org, &st, "student", s.c9g,
	    "student")) > 0);
	T_TRUE((app_t = t_application_add(s.org, tid, "teacher", 0)) > 0);
	T_TRUE((app_s = t_application_add(s.org, sid, "student", s.c9a)) > 0);
	T_TRUE((app_x = t_application_add(s.org, t_account_add("Заявкин"),
	    "student", s.c9a)) > 0);
	T_EQ(invite_make(&t.c, s.org, s.c9a, ttoken), 0);
	T_EQ(chat_link_make(&h.c, s.chat9g, ctoken), 0);
	T_EQ(invite_make(&s.admin.c, s.org, s.c9g, itoken), 0);
	/* Before: the teacher writes in the class and staff chats. */
	T_EQ(post_msg(&t.c, s.chat9a, "Завтра контрольная"), 303);
	T_EQ(post_msg(&t.c, s.staff, "Коллеги, привет"), 303);
	T_EQ(post_msg(&st.c, s.chat9g, "Привет, класс"), 303);
	T_EQ(t_chat_get(&st.c, s.channel), 200);

	snprintf(path, sizeof(path), "/org/%lld/members/%lld", s.org, tid);
	t_form(&s.admin.c, path);
	T_HAS(&s.admin.c, "Исключить из организации");
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/remove", s.org,
	    tid);
	T_EQ(t_postf(&h.c, path, "x=1"), 403);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	snprintf(path, sizeof(path), "/org/%lld/members", s.org);
	T_STREQ(t_header(&s.admin.c, "Location"), path);
	g = (struct gone){ &t.c, s.org, { s.chat9a, s.pchat9a, s.staff, 0 },
	    app_x, s.c9a, ttoken, app_t, 404 };
	gone_check(&g);
	/* Their messages stay. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.message WHERE author_id ="
	    " %lld AND deleted_at IS NULL", tid), "2");

	snprintf(path, sizeof(path), "/org/%lld/members/%lld/remove", s.org,
	    sid);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	g = (struct gone){ &st.c, s.org, { s.chat9g, s.channel, 0, 0 }, 0, 0,
	    NULL, app_s, 404 };
	gone_check(&g);
	/* Twice: not a member now; an administrator: only the operator. */
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 404);
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/remove", s.org,
	    s.admin_id);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 403);

	/* Barred: the class chat link and the invite link do not let the
	 * student back in. */
	barred_check(&st, s.org, ctoken, s.chat9g, itoken);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member_bar WHERE org_id ="
	    " %lld AND account_id IN (%lld, %lld)", s.org, tid, sid), "2");

	/* The members page lists them for the admin, with the button. */
	snprintf(path, sizeof(path), "/org/%lld/members", s.org);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Исключённые");
	T_HAS(&s.admin.c, "Учеников Степан");
	T_HAS(&s.admin.c, "Уходов Тимур");
	T_HAS(&s.admin.c, "Директорова Дина");
	T_HAS(&s.admin.c, "Разрешить вернуться");
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/unbar", s.org,
	    sid);
	T_HAS(&s.admin.c, path);
	snprintf(path, sizeof(path), "/org/%lld/members", s.org);
	T_EQ(t_get(&h.c, path), 200);
	T_LACKS(&h.c, "Разрешить вернуться");
	T_LACKS(&h.c, "Учеников Степан");

	/* The audit says it in words (that agree: t_signup's people are
	 * women). */
	snprintf(path, sizeof(path), "/org/%lld/audit", s.org);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "исключена из организации");
	T_HAS(&s.admin.c, "отозвано ссылок-приглашений: 1");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'member_remove' AND target_id = %lld", s.org, sid),
	    "1");

	/* Unbar: the admin only; then the student may apply again. */
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/unbar", s.org,
	    sid);
	T_EQ(t_postf(&h.c, path, "x=1"), 403);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	snprintf(path, sizeof(path), "/org/%lld/members", s.org);
	T_STREQ(t_header(&s.admin.c, "Location"), path);
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/unbar", s.org,
	    sid);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 404);
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/unbar", s.org,
	    hid);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'member_unbar' AND target_id = %lld", s.org, sid),
	    "1");
	snprintf(path, sizeof(path), "/join/%s", itoken);
	t_form(&st.c, path);
	T_EQ(t_postf(&st.c, path, "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.application WHERE org_id ="
	    " %lld AND account_id = %lld AND status = 'pending'", s.org, sid),
	    "1");
	/* The other one stays barred. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.member_bar WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, tid), "1");

	t_client_free(&s.admin.c);
	t_client_free(&t.c);
	t_client_free(&h.c);
	t_client_free(&st.c);
}

/* The operator binds another administrator (phone of p) to org. */
static int
admin_bind(struct t_client *op, long long org, const struct t_person *p)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/operator/orgs/%lld", org);
	t_form(op, path);
	snprintf(path, sizeof(path), "/operator/orgs/%lld/admin", org);
	return t_postf(op, path, "phone=%s", t_enc(p->phone)) == 303 ? 0 : -1;
}

/*
 * Way out 2 by the operator's page: an administrator who is also the
 * homeroom teacher of 9Г is removed.  Everything ends as for any
 * removal, they are barred, and at the next year's rollover they are in
 * no chat of the class 9Г became.
 */
static void
operator_removes_admin(void)
{
	struct school	 s;
	struct t_person	 second, st;
	struct t_client	 op;
	struct gone	 g;
	char		 path[160], itoken[96], ctoken[96], plan[80];
	long long	 sid, app_a, app_x, n10;

	school_new(&s, "Школа смены власти", 2025);
	t_signup(&second, "Заменова", "Зоя");
	t_signup(&st, "Переходов", "Пётр");
	T_TRUE(t_operator_login(&op) == 0);
	T_TRUE(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'homeroom')",
	    s.org, s.c9g, s.admin_id) != NULL);
	T_TRUE((sid = member_put(s.org, &st, "student", s.c9g,
	    "student")) > 0);
	T_EQ(admin_bind(&op, s.org, &second), 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE org_id = %lld"
	    " AND role = 'admin'", s.org), "2");
	T_TRUE((app_a = t_application_add(s.org, s.admin_id, "teacher", 0)) >
	    0);
	T_TRUE((app_x = t_application_add(s.org, t_account_add("Ожидаев"),
	    "student", s.c9g)) > 0);
	T_EQ(invite_make(&s.admin.c, s.org, s.c9g, itoken), 0);
	T_EQ(chat_link_make(&s.admin.c, s.chat9g, ctoken), 0);
	T_EQ(t_chat_get(&s.admin.c, s.pchat9g), 200);
	T_EQ(post_msg(&s.admin.c, s.staff, "Передаю дела"), 303);

	snprintf(path, sizeof(path), "/operator/orgs/%lld/admins/%lld/remove",
	    s.org, s.admin_id);
	T_EQ(t_postf(&op, path, "x=1"), 303);
	snprintf(path, sizeof(path), "/operator/orgs/%lld", s.org);
	T_STREQ(t_header(&op, "Location"), path);
	snprintf(path, sizeof(path), "/operator/orgs/%lld/admins/%lld/remove",
	    s.org, s.admin_id);
	T_EQ(t_postf(&op, path, "x=1"), 404);
	/* Not an administrator (a student): 404 too, and nothing done. */
	snprintf(path, sizeof(path), "/operator/orgs/%lld/admins/%lld/remove",
	    s.org, sid);
	T_EQ(t_postf(&op, path, "x=1"), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, sid), "1");

	g = (struct gone){ &s.admin.c, s.org, { s.chat9g, s.pchat9g, s.staff,
	    s.channel }, app_x, s.c9g, itoken, app_a, 404 };
	gone_check(&g);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, s.admin_id), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.admin_grant WHERE org_id ="
	    " %lld AND account_id = %lld AND revoked_at IS NULL", s.org,
	    s.admin_id), "0");
	barred_check(&s.admin, s.org, ctoken, s.chat9g, NULL);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'admin_remove' AND target_id = %lld", s.org,
	    s.admin_id), "1");
	snprintf(path, sizeof(path), "/org/%lld/audit", s.org);
	T_EQ(t_get(&second.c, path), 200);
	T_HAS(&second.c, "снята с должности администратора и исключена из "
	    "организации");
	/* The operator's own audit details are words, not a bare phone. */
	T_STREQ(t_sql("SELECT detail = 'права администратора получит"
	    " владелец номера %s' FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'admin_change'", second.phone, s.org), "t");

	/* The rollover: 9Г becomes 10Г with its students, and the removed
	 * administrator is in none of 10Г's chats. */
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover?from=2025",
	    s.org);
	T_EQ(t_get(&second.c, path), 200);
	snprintf(plan, sizeof(plan), "%s", t_hidden(&second.c, "plan"));
	T_EQ(strlen(plan), 64);
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover", s.org);
	T_EQ(t_postf(&second.c, path, "from=2025&plan=%s", plan), 303);
	T_TRUE((n10 = t_ll(t_sql("SELECT id FROM parta.class WHERE org_id ="
	    " %lld AND year = 2026 AND grade = 10 AND letter = 'Г'",
	    s.org))) > 0);
	T_EQ(in_chat(t_chat_of(s.org, n10, "students"), sid), 1);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member cm JOIN"
	    " parta.chat c ON c.org_id = cm.org_id AND c.id = cm.chat_id"
	    " WHERE c.org_id = %lld AND c.class_id = %lld AND cm.account_id ="
	    " %lld", s.org, n10, s.admin_id), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, s.admin_id), "0");

	t_client_free(&op);
	t_client_free(&s.admin.c);
	t_client_free(&second.c);
	t_client_free(&st.c);
}

/* Run parta-admin with args: its exit status, its output into out. */
static int
parta_admin(const char *args, char *out, size_t outsz)
{
	char		 cmd[512];
	const char	*root = getenv("PARTA_ROOT");
	FILE		*p;
	size_t		 n;
	int		 rc;

	snprintf(cmd, sizeof(cmd), "%s/build/bin/parta-admin %s 2>&1",
	    root ? root : ".", args);
	out[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Way out 2 by parta-admin admin-remove: the same as the operator's. */
static void
console_removes_admin(void)
{
	struct school	 s;
	struct t_person	 second;
	struct t_client	 op;
	struct gone	 g;
	char		 args[128], out[1024], itoken[96], ctoken[96];
	long long	 second_id, app_a, app_x;

	school_new(&s, "Школа консоли", 2026);
	t_signup(&second, "Запасова", "Зара");
	T_TRUE(t_operator_login(&op) == 0);
	T_TRUE(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'homeroom')",
	    s.org, s.c9g, s.admin_id) != NULL);
	T_EQ(admin_bind(&op, s.org, &second), 0);
	second_id = second.id;
	T_TRUE((app_a = t_application_add(s.org, s.admin_id, "teacher", 0)) >
	    0);
	T_TRUE((app_x = t_application_add(s.org, t_account_add("Ждунов"),
	    "student", s.c9g)) > 0);
	T_EQ(invite_make(&s.admin.c, s.org, s.c9g, itoken), 0);
	T_EQ(chat_link_make(&s.admin.c, s.chat9g, ctoken), 0);

	snprintf(args, sizeof(args), "admin-remove %lld %lld", s.org,
	    s.admin_id);
	T_EQ(parta_admin(args, out, sizeof(out)), 0);
	if (strstr(out, "is no longer its administrator") == NULL ||
	    strstr(out, "no administrator now") != NULL)
		T_FAIL("parta-admin said: %s", out);
	g = (struct gone){ &s.admin.c, s.org, { s.chat9g, s.pchat9g, s.staff,
	    s.channel }, app_x, s.c9g, itoken, app_a, 404 };
	gone_check(&g);
	barred_check(&s.admin, s.org, ctoken, s.chat9g, NULL);
	/* One audit row, by nobody (the console), in words. */
	T_STREQ(t_sql("SELECT count(*) || ' ' || bool_and(actor_id IS NULL)"
	    " || ' ' || bool_and(detail LIKE 'снята с должности администратора"
	    " и исключена из организации%%') FROM parta.audit WHERE org_id ="
	    " %lld AND action = 'admin_remove' AND target_id = %lld", s.org,
	    s.admin_id), "1 true true");

	/* Again: not an administrator, exit 1; a bad id: exit 1. */
	T_EQ(parta_admin(args, out, sizeof(out)), 1);
	if (strstr(out, "is not an administrator of organization") == NULL)
		T_FAIL("parta-admin said: %s", out);
	T_EQ(parta_admin("admin-remove 0 1", out, sizeof(out)), 1);
	/* The last one: done, with the warning. */
	snprintf(args, sizeof(args), "admin-remove %lld %lld", s.org,
	    second_id);
	T_EQ(parta_admin(args, out, sizeof(out)), 0);
	if (strstr(out, "has no administrator now") == NULL)
		T_FAIL("parta-admin said: %s", out);
	/* The operator sees both on the members page, barred by the
	 * platform. */
	snprintf(args, sizeof(args), "/org/%lld/members", s.org);
	T_EQ(t_get(&op, args), 200);
	T_HAS(&op, "Исключённые");
	T_HAS(&op, "Запасова Зара");
	T_HAS(&op, "оператор платформы");
	T_LACKS(&op, "Разрешить вернуться");

	t_client_free(&op);
	t_client_free(&s.admin.c);
	t_client_free(&second.c);
}

/* Way out 3: a student and a homeroom teacher leave; neither is
 * barred; the last administrator may not leave. */
static void
members_leave(void)
{
	struct school	 s;
	struct t_person	 h, st, second;
	struct t_client	 op;
	struct gone	 g;
	char		 path[160], htoken[96], itoken[96];
	long long	 hid, sid, app_h, app_s, app_x;

	school_new(&s, "Школа уходящих", 2026);
	t_signup(&h, "Прощаева", "Полина");
	t_signup(&st, "Уходящий", "Ушат");
	t_signup(&second, "Второва", "Вера");
	T_TRUE(t_operator_login(&op) == 0);
	T_TRUE((hid = member_put(s.org, &h, "teacher", s.c9g,
	    "homeroom")) > 0);
	T_TRUE((sid = member_put(s.org, &st, "student", s.c9g,
	    "student")) > 0);
	T_TRUE((app_h = t_application_add(s.org, hid, "teacher", 0)) > 0);
	T_TRUE((app_s = t_application_add(s.org, sid, "student", s.c9a)) > 0);
	T_TRUE((app_x = t_application_add(s.org, t_account_add("Новенький"),
	    "student", s.c9g)) > 0);
	T_EQ(invite_make(&h.c, s.org, s.c9g, htoken), 0);
	T_EQ(invite_make(&s.admin.c, s.org, s.c9g, itoken), 0);

	/* The home page leads to the confirmation, which says what ends
	 * and holds the form; not for the operator. */
	snprintf(path, sizeof(path), "/org/%lld", s.org);
	T_EQ(t_get(&st.c, path), 200);
	T_HAS(&st.c, "Выйти из организации");
	snprintf(path, sizeof(path), "/org/%lld/leave", s.org);
	T_HAS(&st.c, path);
	T_EQ(t_get(&st.c, path), 200);
	T_HAS(&st.c, "перестанут работать");
	snprintf(path, sizeof(path), "/org/%lld", s.org);
	T_EQ(t_get(&op, path), 200);
	snprintf(path, sizeof(path), "/org/%lld/leave", s.org);
	T_LACKS(&op, path);
	T_EQ(t_postf(&op, path, "x=1"), 403);

	/* The student leaves: 303 to /me; not barred. */
	t_form(&st.c, "/me");
	T_EQ(t_postf(&st.c, path, "x=1"), 303);
	T_STREQ(t_header(&st.c, "Location"), "/me");
	g = (struct gone){ &st.c, s.org, { s.chat9g, s.channel, 0, 0 }, 0, 0,
	    NULL, app_s, 404 };
	gone_check(&g);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member_bar WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, sid), "0");
	snprintf(path, sizeof(path), "/join/%s", itoken);
	t_form(&st.c, path);
	T_EQ(t_postf(&st.c, path, "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.application WHERE org_id ="
	    " %lld AND account_id = %lld AND status = 'pending'", s.org, sid),
	    "1");

	/* The homeroom teacher leaves: their review and links end. */
	snprintf(path, sizeof(path), "/org/%lld/leave", s.org);
	t_form(&h.c, "/me");
	T_EQ(t_postf(&h.c, path, "x=1"), 303);
	g = (struct gone){ &h.c, s.org, { s.chat9g, s.pchat9g, s.staff,
	    s.channel }, app_x, s.c9g, htoken, app_h, 404 };
	gone_check(&g);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member_bar WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, hid), "0");
	/* Twice: no longer a member, 404. */
	T_EQ(t_postf(&h.c, path, "x=1"), 404);

	/* The only administrator may not leave: 409 saying why. */
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 409);
	T_HAS(&s.admin.c, "единственный администратор");
	T_HAS(&s.admin.c, "назначить другого администратора");
	T_STREQ(t_sql("SELECT role FROM parta.member WHERE org_id = %lld AND"
	    " account_id = %lld", s.org, s.admin_id), "admin");
	/* With a second one bound by the operator, they may. */
	T_EQ(admin_bind(&op, s.org, &second), 0);
	T_EQ(t_postf(&s.admin.c, path, "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member_bar WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, s.admin_id), "0");
	t_form(&second.c, "/me");
	T_EQ(t_postf(&second.c, path, "x=1"), 409);

	snprintf(path, sizeof(path), "/org/%lld/audit", s.org);
	T_EQ(t_get(&second.c, path), 200);
	T_HAS(&second.c, "вышла из организации");
	T_HAS(&second.c, "отозвано ссылок-приглашений: 1");

	t_client_free(&op);
	t_client_free(&s.admin.c);
	t_client_free(&h.c);
	t_client_free(&st.c);
	t_client_free(&second.c);
}

/* Way out 6: a student moved to another class. */
static void
student_moved(void)
{
	struct school	 s, other;
	struct t_person	 h, t, st;
	char		 path[224], card[160];
	long long	 hid, tid, sid, oclass, old;

	school_new(&s, "Школа переводов", 2026);
	school_new(&other, "Чужая школа", 2026);
	t_signup(&h, "Руководова", "Рада");
	t_signup(&t, "Предметов", "Пров");
	t_signup(&st, "Переводной", "Павел");
	T_TRUE((hid = member_put(s.org, &h, "teacher", s.c9g,
	    "homeroom")) > 0);
	T_TRUE((tid = member_put(s.org, &t, "teacher", 0, NULL)) > 0);
	T_TRUE((sid = member_put(s.org, &st, "student", s.c9g,
	    "student")) > 0);
	oclass = other.c9a;
	T_TRUE((old = t_class_add(s.org, 9, "Я", 2026)) > 0);
	T_TRUE(t_sql("UPDATE parta.class SET archived_at = now() WHERE id ="
	    " %lld", old) != NULL);
	T_EQ(post_msg(&st.c, s.chat9g, "Я из 9Г"), 303);

	/* The card: the form for the admin, with the current class. */
	snprintf(card, sizeof(card), "/org/%lld/members/%lld", s.org, sid);
	T_EQ(t_get(&s.admin.c, card), 200);
	T_HAS(&s.admin.c, "Перевести в класс");
	T_HAS(&s.admin.c, "Сейчас: 9Г");
	T_HAS(&s.admin.c, ">9А</option>");
	T_LACKS(&s.admin.c, ">9Я</option>");
	T_EQ(t_get(&st.c, card), 200);
	T_LACKS(&st.c, "Перевести в класс");
	T_EQ(t_get(&t.c, card), 200);
	T_LACKS(&t.c, "Перевести в класс");
	T_EQ(t_get(&h.c, card), 200);
	T_HAS(&h.c, "Перевести в класс");

	/* Who may not: the student, a teacher, a homeroom teacher of one
	 * of the two classes only. */
	snprintf(path, sizeof(path), "%s/class", card);
	T_EQ(t_postf(&st.c, path, "class_id=%lld", s.c9a), 403);
	T_EQ(t_postf(&t.c, path, "class_id=%lld", s.c9a), 403);
	T_EQ(t_postf(&h.c, path, "class_id=%lld", s.c9a), 403);
	/* Wrong classes: 422 by the field; the same class: 409. */
	t_form(&s.admin.c, card);
	T_EQ(t_postf(&s.admin.c, path, "class_id=abc"), 422);
	T_HAS(&s.admin.c, "id=\"class_id_error\"");
	T_EQ(t_postf(&s.admin.c, path, "class_id=%lld", oclass), 422);
	T_HAS(&s.admin.c, "id=\"class_id_error\"");
	T_HAS(&s.admin.c, "Перевести в класс");
	T_EQ(t_postf(&s.admin.c, path, "class_id=%lld", old), 422);
	T_HAS(&s.admin.c, "Выберите класс из списка");
	T_EQ(t_postf(&s.admin.c, path, "class_id=%lld", s.c9g), 409);
	T_HAS(&s.admin.c, "уже учится в этом классе");
	/* Not a student: 409; not a member: 404. */
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/class", s.org,
	    tid);
	T_EQ(t_postf(&s.admin.c, path, "class_id=%lld", s.c9a), 409);
	T_HAS(&s.admin.c, "только ученика");
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/class", s.org,
	    other.admin_id);
	T_EQ(t_postf(&s.admin.c, path, "class_id=%lld", s.c9a), 404);
	T_EQ(in_chat(s.chat9g, sid), 1);

	/* The admin moves them: 303 to the card; the chats follow. */
	snprintf(path, sizeof(path), "%s/class", card);
	T_EQ(t_postf(&s.admin.c, path, "class_id=%lld", s.c9a), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), card);
	T_EQ(t_get(&s.admin.c, card), 200);
	T_HAS(&s.admin.c, "Сейчас: 9А");
	T_EQ(t_chat_get(&st.c, s.chat9g), 404);
	T_EQ(post_msg(&st.c, s.chat9g, "Я ещё в 9Г?"), 404);
	T_EQ(t_chat_get(&st.c, s.chat9a), 200);
	T_EQ(post_msg(&st.c, s.chat9a, "Привет, 9А"), 303);
	T_EQ(in_chat(s.chat9g, sid), 0);
	T_EQ(in_chat(s.chat9a, sid), 1);
	T_EQ(t_chat_get(&st.c, s.channel), 200);
	snprintf(path, sizeof(path), "/org/%lld/audit", s.org);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "переведена из 9Г в 9А");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'student_move' AND target_id = %lld", s.org, sid),
	    "1");

	/* The homeroom teacher of both classes may move them back. */
	T_TRUE(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'homeroom')",
	    s.org, s.c9a, hid) != NULL);
	t_form(&h.c, card);
	T_HAS(&h.c, ">9Г</option>");
	snprintf(path, sizeof(path), "%s/class", card);
	T_EQ(t_postf(&h.c, path, "class_id=%lld", s.c9g), 303);
	T_EQ(in_chat(s.chat9g, sid), 1);
	T_EQ(in_chat(s.chat9a, sid), 0);

	t_client_free(&s.admin.c);
	t_client_free(&other.admin.c);
	t_client_free(&h.c);
	t_client_free(&t.c);
	t_client_free(&st.c);
}

/* The removal raced by the removed student's messages. */
struct race {
	struct t_client	 c[NPOSTS + 1];	/* [0] the admin, then the student */
	char		 remove[160];
	char		 post[160];
	long		 status[NPOSTS + 1];
	char		 removed_at[64];	/* when the removal returned */
};

static void
race_one(int i, void *arg)
{
	struct race	*x = arg;
	char		 body[256];
	const char	*now;

	if (i == 0) {
		usleep(15000);
		x->status[0] = t_postf(&x->c[0], x->remove, "x=1");
		if ((now = t_sql("SELECT clock_timestamp()")) != NULL)
			snprintf(x->removed_at, sizeof(x->removed_at), "%s",
			    now);
		return;
	}
	usleep((useconds_t)(i - 1) * 1500);
	snprintf(body, sizeof(body), "csrf=%s&text=%s", x->c[i].csrf,
	    t_enc("Сообщение в гонке"));
	x->status[i] = t_post(&x->c[i], x->post, body);
}

static void
removal_raced_by_posts(void)
{
	struct school	 s;
	struct t_person	 st, q;
	struct race	*x;
	long long	 sid;
	int		 i, posted = 0;

	school_new(&s, "Школа гонок", 2026);
	t_signup(&st, "Гонкин", "Глеб");
	T_TRUE((sid = member_put(s.org, &st, "student", s.c9g,
	    "student")) > 0);
	x = calloc(1, sizeof(*x));
	x->c[0] = s.admin.c;
	for (i = 1; i <= NPOSTS; i++) {
		q = st;
		t_login(&q);
		x->c[i] = q.c;
		t_form(&x->c[i], "/chats");
	}
	t_form(&x->c[0], "/chats");
	snprintf(x->remove, sizeof(x->remove),
	    "/org/%lld/members/%lld/remove", s.org, sid);
	snprintf(x->post, sizeof(x->post), "/chats/%lld/messages", s.chat9g);
	t_parallel(NPOSTS + 1, race_one, x);

	T_EQ(x->status[0], 303);
	for (i = 1; i <= NPOSTS; i++) {
		if (x->status[i] == 303)
			posted++;
		else if (x->status[i] != 404 && x->status[i] != 403)
			t_fail(__FILE__, __LINE__, "post %d: status %ld", i,
			    x->status[i]);
	}
	printf("# %d of %d messages went in before the removal\n", posted,
	    NPOSTS);
	/* Every accepted post is a message, none came after the removal,
	 * and the student is in no chat; one audit row. */
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " author_id = %lld", sid)), posted);
	T_TRUE(x->removed_at[0] != '\0');
	T_STREQ(t_sql("SELECT count(*) FROM parta.message WHERE author_id ="
	    " %lld AND created_at > '%s'::timestamptz", sid, x->removed_at),
	    "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, sid), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'member_remove' AND target_id = %lld", s.org, sid),
	    "1");
	/* And after: nothing. */
	T_EQ(post_msg(&x->c[1], s.chat9g, "Последняя попытка"), 404);

	for (i = 0; i <= NPOSTS; i++)
		t_client_free(&x->c[i]);
	free(x);
	t_client_free(&st.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "1: an admin removes; barred until let back",
		    admin_removes },
		{ "2: the operator removes an admin; the rollover after",
		    operator_removes_admin },
		{ "2: parta-admin admin-remove, the same way out",
		    console_removes_admin },
		{ "3: members leave, not barred; the last admin may not",
		    members_leave },
		{ "6: a student moved to another class", student_moved },
		{ "removal raced by 20 messages of the removed",
		    removal_raced_by_posts },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
