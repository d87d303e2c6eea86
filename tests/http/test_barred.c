/*
 * What a person taken out of an organization meets afterwards (issue
 * 15): at its doors (a chat link /c/TOKEN, an invite link /join/TOKEN,
 * the request form /org/N/apply) a removed person is barred, 403 with a
 * page that says so, and nothing is inserted, until an administrator
 * lifts the bar; a person who left by themselves is not barred.  Their
 * messages stay under their name; a direct chat whose other side left is
 * closed (read-only, 409).  A link whose maker's right ended is revoked
 * and its page says so.
 *
 * The ways out are run through SQL (parta.member_end, member_unbar,
 * homeroom_unset), as the programs do through lib/member.  Races: a way
 * out held open in one transaction while a request waits on it (the
 * program's own check saw the access; the database refuses the use),
 * and 20 uses at once against a way out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define CROWD	20

/* A chat made by hand with a link /c/TOKEN (a token of our own: only
 * its hash is looked up). */
static long long
linked_chat(long long org, long long by, const char *title,
    const char *token)
{
	return t_ll(t_sql("INSERT INTO parta.chat (org_id, title,"
	    " created_by, token_hash) VALUES (%lld, '%s', %lld, sha256('%s'))"
	    " RETURNING id", org, title, by, token));
}

/* A student invite link by account by (the database checks they may
 * make it); /join/TOKEN. */
static long long
invite_new(long long org, long long by, long long cls, int uses,
    const char *token)
{
	return t_invite_add(org, by, "student", cls, uses, token);
}

static const char *
member_end(long long org, long long who, long long actor, const char *how)
{
	return t_sql("SELECT parta.member_end(%lld, %lld, %lld, '%s')", org,
	    who, actor, how);
}

/*
 * Held ways out: sql runs in a transaction that stays open for a few
 * seconds after it; use(arg) runs once that transaction holds its locks
 * (it is seen asleep), so the request's own checks see the access still
 * there and its statement waits for the commit.
 */
struct held {
	const char	*sql;
	char		 mark[64];
	void		(*use)(void *);
	void		*arg;
	int		 seen;
};

static void
held_one(int i, void *arg)
{
	struct held	*h = arg;
	const char	*v;
	int		 tries;

	if (i == 0) {
		t_sql("BEGIN;\n%s;\nSELECT '%s', pg_sleep(3);\nCOMMIT;\n",
		    h->sql, h->mark);
		return;
	}
	for (tries = 0; tries < 200; tries++) {
		v = t_sql("SELECT count(*) FROM pg_stat_activity WHERE pid <>"
		    " pg_backend_pid() AND state = 'active' AND query LIKE"
		    " '%%%s%%'", h->mark);
		if (v != NULL && strcmp(v, "1") == 0) {
			h->seen = 1;
			break;
		}
		usleep(50000);
	}
	h->use(h->arg);
}

static int
while_held(const char *sql, void (*use)(void *), void *arg)
{
	static int	 n;
	struct held	 h;

	memset(&h, 0, sizeof(h));
	h.sql = sql;
	snprintf(h.mark, sizeof(h.mark), "held-%d-%d", (int)getpid(), ++n);
	h.use = use;
	h.arg = arg;
	t_parallel(2, held_one, &h);
	return h.seen ? 0 : -1;
}

/* One request, for while_held and t_parallel. */
struct req {
	struct t_client	*c;
	const char	*path;
	const char	*body;	/* after the csrf token */
	long		 status;
	char		 page[2048];
};

static void
req_post(void *arg)
{
	struct req	*q = arg;

	q->status = t_postf(q->c, q->path, "%s", q->body);
	snprintf(q->page, sizeof(q->page), "%s", q->c->r.body != NULL ?
	    q->c->r.body : "");
}

/* The words of the barred page. */
static int
barred_words(const char *page, const char *org_name)
{
	char	 h[256];

	snprintf(h, sizeof(h), "Вас исключили из «%s»", org_name);
	return strstr(page, h) != NULL &&
	    strstr(page, "может разрешить вам вернуться") != NULL;
}

#define T_BARRED(c, org_name) do {					\
	T_STATUS(c, 403);						\
	if (!barred_words((c)->r.body, org_name))			\
		T_FAIL("not the barred page: %.300s", t_snippet(c));	\
} while (0)

/* A school: its admin, a class 5Б, a chat with a link, an invite link
 * into the class. */
struct school {
	struct t_person	 admin;
	long long	 org;
	long long	 cls;
	long long	 chat;		/* "Кружок робототехники" */
	char		 name[64];
	char		 chat_token[48];
	char		 join_token[48];
	long long	 invite;
};

static void
school_new(struct school *s, const char *name)
{
	static int	 n;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	t_signup(&s->admin, "Директорова", "Анна");
	s->org = t_org_create(&s->admin, name);
	s->cls = t_class_add(s->org, 5, "Б", 2025);
	n++;
	snprintf(s->chat_token, sizeof(s->chat_token), "barredchat%d%lld", n,
	    s->org);
	snprintf(s->join_token, sizeof(s->join_token), "barredjoin%d%lld", n,
	    s->org);
	if ((s->chat = linked_chat(s->org, s->admin.id,
	    "Кружок робототехники", s->chat_token)) <= 0)
		T_FAIL("chat not added");
	s->invite = invite_new(s->org, s->admin.id, s->cls, 50, s->join_token);
}

/* A student of the school's class. */
static long long
student(struct school *s, struct t_person *p, const char *last,
    const char *first)
{
	t_person_new(p, last, first, s->org, "student");
	t_class_member_add(s->org, s->cls, p->id, "student");
	return p->id;
}

static long long
chats_in_org(long long org, long long who)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " org_id = %lld AND account_id = %lld", org, who));
}

static long long
applications(long long org, long long who)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.application WHERE"
	    " org_id = %lld AND account_id = %lld", org, who));
}

/*
 * Every door for a removed student: 403 with the page that says the
 * school removed them and who can let them back, nothing of the chat or
 * the class, and nothing inserted; the database refuses too.  Lifting
 * the bar opens the doors again.
 */
static void
barred_at_the_doors(void)
{
	struct school	 s;
	struct t_person	 st;
	char		 chat_path[96], join_path[96], apply_path[64];
	char		 apply_body[64];
	long long	 apps;

	school_new(&s, "Школа Барьерова");
	student(&s, &st, "Исключёнов", "Игорь");
	snprintf(chat_path, sizeof(chat_path), "/c/%s", s.chat_token);
	snprintf(join_path, sizeof(join_path), "/join/%s", s.join_token);
	snprintf(apply_path, sizeof(apply_path), "/org/%lld/apply", s.org);
	snprintf(apply_body, sizeof(apply_body), "role=student&class_id=%lld",
	    s.cls);

	/* A member follows the chat link, then is removed: out of every
	 * chat of the school, barred. */
	t_form(&st.c, chat_path);
	T_EQ(t_postf(&st.c, chat_path, "x=1"), 303);
	T_TRUE(chats_in_org(s.org, st.id) >= 2);
	T_STREQ(member_end(s.org, st.id, s.admin.id, "removed"), "ok");
	T_EQ(chats_in_org(s.org, st.id), 0);
	T_STREQ(t_sql("SELECT parta.is_barred(%lld, %lld)", s.org, st.id),
	    "t");
	apps = applications(s.org, st.id);

	/* The chat link. */
	T_EQ(t_get(&st.c, chat_path), 403);
	T_BARRED(&st.c, s.name);
	T_LACKS(&st.c, "Кружок робототехники");
	T_LACKS(&st.c, "Вступить в чат");
	T_EQ(t_postf(&st.c, chat_path, "x=1"), 403);
	T_BARRED(&st.c, s.name);
	T_EQ(chats_in_org(s.org, st.id), 0);
	/* The invite link. */
	T_EQ(t_get(&st.c, join_path), 403);
	T_BARRED(&st.c, s.name);
	T_LACKS(&st.c, "5Б");
	T_LACKS(&st.c, "Подать заявку");
	T_EQ(t_postf(&st.c, join_path, "x=1"), 403);
	T_BARRED(&st.c, s.name);
	T_STREQ(t_sql("SELECT uses FROM parta.invite WHERE id = %lld",
	    s.invite), "0");
	/* The request form. */
	T_EQ(t_get(&st.c, apply_path), 403);
	T_BARRED(&st.c, s.name);
	T_LACKS(&st.c, "5Б");
	T_EQ(t_postf(&st.c, apply_path, "%s", apply_body), 403);
	T_BARRED(&st.c, s.name);
	T_EQ(applications(s.org, st.id), apps);
	/* Logged out, the link's page is the usual one. */
	{
		struct t_client	 anon;

		t_client_init(&anon);
		T_EQ(t_get(&anon, chat_path), 200);
		T_HAS(&anon, "Кружок робототехники");
		T_EQ(t_get(&anon, join_path), 200);
		t_client_free(&anon);
	}
	/* The database refuses them whatever a program saw. */
	T_TRUE(t_sql("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %lld, %lld)", s.org, s.chat, st.id) ==
	    NULL);
	T_TRUE(t_sql("INSERT INTO parta.application (org_id, account_id,"
	    " role, class_id) VALUES (%lld, %lld, 'student', %lld)", s.org,
	    st.id, s.cls) == NULL);
	T_EQ(chats_in_org(s.org, st.id), 0);
	T_EQ(applications(s.org, st.id), apps);

	/* The administrator lifts the bar: every door opens again. */
	T_STREQ(t_sql("SELECT parta.member_unbar(%lld, %lld, %lld)", s.org,
	    st.id, s.admin.id), "ok");
	T_EQ(t_get(&st.c, apply_path), 200);
	T_EQ(t_get(&st.c, chat_path), 200);
	T_HAS(&st.c, "Вступить в чат");
	T_EQ(t_postf(&st.c, chat_path, "x=1"), 303);
	T_EQ(chats_in_org(s.org, st.id), 1);
	T_EQ(t_get(&st.c, join_path), 200);
	T_HAS(&st.c, "5Б");
	T_EQ(t_postf(&st.c, join_path, "x=1"), 303);
	T_TRUE(strncmp(t_header(&st.c, "Location"), "/me/applications/",
	    17) == 0);
	T_EQ(applications(s.org, st.id), apps + 1);
	t_client_free(&st.c);
	t_client_free(&s.admin.c);
}

/* A student who left by themselves is not barred: the same doors let
 * them back. */
static void
leaver_not_barred(void)
{
	struct school	 s;
	struct t_person	 st;
	char		 path[96];

	school_new(&s, "Школа Уходова");
	student(&s, &st, "Ушедшая", "Ульяна");
	T_STREQ(member_end(s.org, st.id, st.id, "left"), "ok");
	T_EQ(chats_in_org(s.org, st.id), 0);
	T_STREQ(t_sql("SELECT parta.is_barred(%lld, %lld)", s.org, st.id),
	    "f");
	snprintf(path, sizeof(path), "/c/%s", s.chat_token);
	T_EQ(t_get(&st.c, path), 200);
	T_LACKS(&st.c, "Вас исключили");
	T_EQ(t_postf(&st.c, path, "x=1"), 303);
	T_EQ(chats_in_org(s.org, st.id), 1);
	snprintf(path, sizeof(path), "/join/%s", s.join_token);
	T_EQ(t_get(&st.c, path), 200);
	T_HAS(&st.c, "5Б");
	snprintf(path, sizeof(path), "/org/%lld/apply", s.org);
	T_EQ(t_get(&st.c, path), 200);
	t_form(&st.c, path);
	T_EQ(t_postf(&st.c, path, "role=student&class_id=%lld", s.cls), 303);
	T_EQ(applications(s.org, st.id), 1);
	t_client_free(&st.c);
	t_client_free(&s.admin.c);
}

/*
 * A parent removed from their child's school (they taught there) follows
 * the child's parent link: 403 with the school's name, no guardian, not
 * in the parents' chat; after the bar is lifted, they are confirmed.
 */
static void
barred_parent(void)
{
	struct school	 s;
	struct t_person	 child, dad;
	char		 path[128], token[64];
	long long	 parents, cls2;

	school_new(&s, "Школа Отцова");
	student(&s, &child, "Сыновьев", "Семён");
	t_person_new(&dad, "Сыновьев", "Сергей", s.org, "teacher");
	parents = t_chat_of(s.org, s.cls, "parents");
	T_STREQ(member_end(s.org, dad.id, s.admin.id, "removed"), "ok");
	t_form(&child.c, "/chats/parent-link");
	T_EQ(t_postf(&child.c, "/chats/parent-link", "x=1"), 303);
	snprintf(path, sizeof(path), "%s", t_header(&child.c, "Location"));
	T_EQ(t_get(&child.c, path), 200);
	T_TRUE(t_token(&child.c, "/c/", token, 64) == 0);
	snprintf(path, sizeof(path), "/c/%s", token);
	T_EQ(t_get(&dad.c, path), 403);
	T_BARRED(&dad.c, s.name);
	T_LACKS(&dad.c, "Да, я родитель");
	T_EQ(t_postf(&dad.c, path, "x=1"), 403);
	T_BARRED(&dad.c, s.name);
	T_STREQ(t_sql("SELECT count(*) FROM parta.guardian WHERE"
	    " child_id = %lld", child.id), "0");
	T_STREQ(t_sql("SELECT used_at IS NULL FROM parta.parent_link WHERE"
	    " child_id = %lld", child.id), "t");
	T_STREQ(t_sql("SELECT parta.member_unbar(%lld, %lld, %lld)", s.org,
	    dad.id, s.admin.id), "ok");
	T_EQ(t_get(&dad.c, path), 200);
	T_EQ(t_postf(&dad.c, path, "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " chat_id = %lld AND account_id = %lld", parents, dad.id), "1");
	/* Barred again (a member once more, removed once more): the child
	 * still moves to another class, and the parent joins no new
	 * parents' chat. */
	T_TRUE(t_member_add(s.org, dad.id, "teacher", 1) == 0);
	T_STREQ(member_end(s.org, dad.id, s.admin.id, "removed"), "ok");
	T_TRUE((cls2 = t_class_add(s.org, 5, "В", 2025)) > 0);
	T_STREQ(t_sql("SELECT parta.student_move(%lld, %lld, %lld, %lld)",
	    s.org, child.id, cls2, s.admin.id), "ok");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " chat_id = %lld AND account_id = %lld", t_chat_of(s.org, cls2,
	    "parents"), dad.id), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " class_id = %lld AND account_id = %lld", cls2, child.id), "1");
	t_client_free(&child.c);
	t_client_free(&dad.c);
	t_client_free(&s.admin.c);
}

/*
 * A removal that commits while the request is on its way: the
 * program's checks saw a member, the database refuses the join (PAB03,
 * 403 with the page) and the message (PA403, 404 as for any chat one is
 * not in).
 */
static void
removal_while_on_the_way(void)
{
	struct school	 s;
	struct t_person	 a, b;
	struct req	 q;
	char		 sql[256], path[96];
	long long	 pupils, n;

	school_new(&s, "Школа Гонкина");
	student(&s, &a, "Гонкин", "Алексей");
	student(&s, &b, "Гонкина", "Белла");

	/* The chat link. */
	snprintf(path, sizeof(path), "/c/%s", s.chat_token);
	t_form(&a.c, path);
	memset(&q, 0, sizeof(q));
	q.c = &a.c;
	q.path = path;
	q.body = "x=1";
	snprintf(sql, sizeof(sql), "SELECT parta.member_end(%lld, %lld, %lld,"
	    " 'removed')", s.org, a.id, s.admin.id);
	T_TRUE(while_held(sql, req_post, &q) == 0);
	T_EQ(q.status, 403);
	T_TRUE(barred_words(q.page, s.name));
	T_EQ(chats_in_org(s.org, a.id), 0);

	/* A message. */
	pupils = t_chat_of(s.org, s.cls, "students");
	snprintf(path, sizeof(path), "/chats/%lld", pupils);
	t_form(&b.c, path);
	snprintf(path, sizeof(path), "/chats/%lld/messages", pupils);
	q.c = &b.c;
	q.path = path;
	q.body = "text=Успею";
	n = t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " chat_id = %lld", pupils));
	snprintf(sql, sizeof(sql), "SELECT parta.member_end(%lld, %lld, %lld,"
	    " 'removed')", s.org, b.id, s.admin.id);
	T_TRUE(while_held(sql, req_post, &q) == 0);
	T_EQ(q.status, 404);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " chat_id = %lld", pupils)), n);
	t_client_free(&a.c);
	t_client_free(&b.c);
	t_client_free(&s.admin.c);
}

/*
 * A direct chat between a parent and a teacher of the child's class,
 * after the teacher is taken out of the school: history kept with the
 * names, the parent reads it, nobody writes (409), it is not opened
 * again; a message on its way when it closes is refused too.
 */
static void
closed_direct_chat(void)
{
	struct school	 s;
	struct t_person	 t, t2, child, mum;
	struct req	 q;
	char		 path[96], sql[256], msgs[96];
	long long	 direct, direct2, n;

	school_new(&s, "Школа Личкина");
	t_person_new(&t, "Учителева", "Тамара", s.org, "teacher");
	t_person_new(&t2, "Физикова", "Фаина", s.org, "teacher");
	student(&s, &child, "Детский", "Дима");
	t_person_new(&mum, "Детская", "Мария", 0, NULL);
	T_TRUE(t_class_member_add(s.org, s.cls, t.id, "homeroom") == 0);
	T_TRUE(t_class_member_add(s.org, s.cls, t2.id, "teacher") == 0);
	T_TRUE(t_guardian_add(mum.id, child.id) == 0);

	t_form(&mum.c, "/chats/family");
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", t.id), 303);
	direct = t_id_after(t_header(&mum.c, "Location"), "/chats/");
	T_TRUE(direct > 0);
	snprintf(path, sizeof(path), "/chats/%lld", direct);
	snprintf(msgs, sizeof(msgs), "/chats/%lld/messages", direct);
	t_form(&mum.c, path);
	T_EQ(t_postf(&mum.c, msgs, "text=%s", t_enc("Как Дима на уроках?")),
	    303);
	t_form(&t.c, path);
	T_EQ(t_postf(&t.c, msgs, "text=%s", t_enc("Старается, молодец")),
	    303);

	/* The teacher is taken out of the school. */
	T_STREQ(member_end(s.org, t.id, s.admin.id, "removed"), "ok");
	T_STREQ(t_sql("SELECT closed_at IS NOT NULL FROM parta.chat WHERE"
	    " id = %lld", direct), "t");
	n = t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " chat_id = %lld", direct));
	T_EQ(n, 2);
	/* The parent reads it all, with the teacher's name; no form. */
	T_EQ(t_get(&mum.c, path), 200);
	T_HAS(&mum.c, "Чат закрыт: вас больше не связывает общий класс "
	    "или ребёнок в этой организации. Переписка сохранена, писать в "
	    "этот чат нельзя");
	T_HAS(&mum.c, "Старается, молодец");
	T_HAS(&mum.c, "Тамара Учителева");
	T_HAS(&mum.c, "Как Дима на уроках?");
	T_LACKS(&mum.c, "class=\"compose\"");
	T_LACKS(&mum.c, "Отправить");
	T_EQ(t_get(&mum.c, "/chats"), 200);
	T_HAS(&mum.c, "закрыт, только чтение");
	/* Nobody writes: 409 with the words; the teacher is not in it. */
	T_EQ(t_postf(&mum.c, msgs, "text=%s", t_enc("Вы здесь?")), 409);
	T_HAS(&mum.c, "Чат закрыт: вас больше не связывает");
	T_EQ(t_get(&t.c, path), 404);
	T_EQ(t_postf(&t.c, msgs, "text=%s", t_enc("Я ещё тут")), 404);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " chat_id = %lld", direct)), n);
	/* The relation has ended: the chat is not opened again, and no new
	 * one is made. */
	t_form(&mum.c, "/chats/family");
	T_LACKS(&mum.c, "Учителева Тамара");
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", t.id), 404);
	T_STREQ(t_sql("SELECT count(*) || ':' || bool_and(closed_at IS NOT"
	    " NULL) FROM parta.chat WHERE org_id = %lld AND purpose ="
	    " 'direct' AND peer_id = %lld", s.org, t.id), "1:true");
	T_EQ(chats_in_org(s.org, t.id), 0);

	/* The database closes it under a message on its way. */
	T_EQ(t_postf(&mum.c, "/chats/direct", "account_id=%lld", t2.id), 303);
	direct2 = t_id_after(t_header(&mum.c, "Location"), "/chats/");
	T_TRUE(direct2 > 0 && direct2 != direct);
	snprintf(path, sizeof(path), "/chats/%lld", direct2);
	snprintf(msgs, sizeof(msgs), "/chats/%lld/messages", direct2);
	t_form(&mum.c, path);
	memset(&q, 0, sizeof(q));
	q.c = &mum.c;
	q.path = msgs;
	q.body = "text=Успеете ответить?";
	snprintf(sql, sizeof(sql), "SELECT parta.member_end(%lld, %lld, %lld,"
	    " 'left')", s.org, t2.id, t2.id);
	T_TRUE(while_held(sql, req_post, &q) == 0);
	T_EQ(q.status, 409);
	T_TRUE(strstr(q.page, "Чат закрыт: вас больше не связывает") != NULL);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " chat_id = %lld", direct2)), 0);
	t_client_free(&t.c);
	t_client_free(&t2.c);
	t_client_free(&child.c);
	t_client_free(&mum.c);
	t_client_free(&s.admin.c);
}

/*
 * Links: one made while the maker's right ends is refused (403, never
 * 500, nothing made); the links of a removed maker are revoked and their
 * page says so without handing the link out.
 */
static void
invite_right_ends(void)
{
	struct school	 s;
	struct t_person	 t;
	struct req	 q;
	char		 sql[256], body[128], path[96], token[48];
	long long	 inv;

	school_new(&s, "Школа Ссылкина");
	t_person_new(&t, "Классова", "Клара", s.org, "teacher");
	T_TRUE(t_class_member_add(s.org, s.cls, t.id, "homeroom") == 0);
	snprintf(token, sizeof(token), "makerlink%lld", s.org);
	T_TRUE((inv = invite_new(s.org, t.id, s.cls, 10, token)) > 0);

	/* The homeroom teacher is unassigned while making a link. */
	snprintf(path, sizeof(path), "/org/%lld/invites", s.org);
	t_form(&t.c, path);
	snprintf(body, sizeof(body), "role=student&class_id=%lld"
	    "&ttl_hours=24&max_uses=5", s.cls);
	memset(&q, 0, sizeof(q));
	q.c = &t.c;
	q.path = path;
	q.body = body;
	snprintf(sql, sizeof(sql), "SELECT parta.homeroom_unset(%lld, %lld,"
	    " %lld, %lld)", s.org, s.cls, t.id, s.admin.id);
	T_TRUE(while_held(sql, req_post, &q) == 0);
	T_EQ(q.status, 403);
	T_STREQ(t_sql("SELECT count(*) FROM parta.invite WHERE org_id = %lld"
	    " AND created_by = %lld", s.org, t.id), "1");
	/* The link made before is revoked; its page says why. */
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", s.org, inv);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "status-revoked");
	T_HAS(&s.admin.c, "Ссылка отозвана");
	T_HAS(&s.admin.c, "больше не классный руководитель этого класса");
	T_LACKS(&s.admin.c, "/join/");
	T_LACKS(&s.admin.c, "<svg class=\"qr\"");

	/* Homeroom again, new links (one made on the page, so that it can
	 * be shown), then taken out of the school. */
	T_TRUE(t_class_member_add(s.org, s.cls, t.id, "homeroom") == 0);
	snprintf(token, sizeof(token), "makerlink2x%lld", s.org);
	T_TRUE(invite_new(s.org, t.id, s.cls, 10, token) > 0);
	snprintf(path, sizeof(path), "/org/%lld/invites", s.org);
	t_form(&t.c, path);
	T_EQ(t_postf(&t.c, path, "%s", body), 303);
	snprintf(path, sizeof(path), "/org/%lld/invites/", s.org);
	inv = t_id_after(t_header(&t.c, "Location"), path);
	T_TRUE(inv > 0);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", s.org, inv);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "/join/");
	T_LACKS(&s.admin.c, "Ссылка отозвана");
	T_STREQ(member_end(s.org, t.id, s.admin.id, "removed"), "ok");
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "status-revoked");
	T_HAS(&s.admin.c, "Ссылка отозвана");
	T_HAS(&s.admin.c, "автор ссылки больше не состоит в организации");
	T_LACKS(&s.admin.c, "/join/");
	T_LACKS(&s.admin.c, "<svg class=\"qr\"");
	T_LACKS(&s.admin.c, "Отозвать ссылку");
	snprintf(path, sizeof(path), "/join/%s", token);
	{
		struct t_client	 anon;

		t_client_init(&anon);
		T_EQ(t_get(&anon, path), 410);
		T_HAS(&anon, "Ссылку отозвали");
		t_client_free(&anon);
	}
	t_client_free(&t.c);
	t_client_free(&s.admin.c);
}

/* Races: many uses at once, one of the workers taking the access away. */
struct crowd {
	struct t_client	*c;		/* CROWD clients */
	const char	*path;
	const char	*body;
	const char	*way_out;	/* SQL run by worker 0 */
	long		 status[CROWD + 1];
};

static void
crowd_one(int i, void *arg)
{
	struct crowd	*x = arg;

	/* The uses are spread over 200 ms and the way out goes halfway
	 * through, so that uses land before, during and after it. */
	if (i == 0) {
		usleep(CROWD / 2 * 10000);
		t_sql("%s", x->way_out);
		return;
	}
	usleep((useconds_t)(i - 1) * 10000);
	x->status[i] = t_postf(&x->c[i - 1], x->path, "%s", x->body);
}

/* The number of statuses among the workers that are none of a, b, c. */
static int
others(const struct crowd *x, long a, long b, long c)
{
	int	 i, n = 0;

	for (i = 1; i <= CROWD; i++)
		if (x->status[i] != a && x->status[i] != b &&
		    x->status[i] != c)
			n++;
	return n;
}

static int
count_of(const struct crowd *x, long st)
{
	int	 i, n = 0;

	for (i = 1; i <= CROWD; i++)
		n += x->status[i] == st;
	return n;
}

/* 20 joins by a chat link by a student removed at the same moment:
 * afterwards they are in no chat of the school. */
static void
race_chat_link(void)
{
	static struct t_client	 c[CROWD];
	struct school		 s;
	struct t_person		 st;
	struct crowd		 x;
	char			 path[96], sql[256];
	int			 i;

	school_new(&s, "Школа Толкучкина");
	student(&s, &st, "Торопыгин", "Тихон");
	t_clients_of(&st, c, CROWD);
	snprintf(path, sizeof(path), "/c/%s", s.chat_token);
	for (i = 0; i < CROWD; i++)
		t_form(&c[i], path);
	snprintf(sql, sizeof(sql), "SELECT parta.member_end(%lld, %lld, %lld,"
	    " 'removed')", s.org, st.id, s.admin.id);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.path = path;
	x.body = "x=1";
	x.way_out = sql;
	t_parallel(CROWD + 1, crowd_one, &x);
	T_EQ(others(&x, 303, 409, 403), 0);
	T_TRUE(count_of(&x, 303) <= 1);
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org, st.id), "0");
	T_EQ(chats_in_org(s.org, st.id), 0);
	for (i = 0; i < CROWD; i++)
		t_client_free(&c[i]);
	t_client_free(&st.c);
	t_client_free(&s.admin.c);
}

/* 20 messages by a student removed at the same moment: none is later
 * than the removal (its audit row), the earlier ones stay under the
 * author's name. */
static void
race_messages(void)
{
	static struct t_client	 c[CROWD];
	struct school		 s;
	struct t_person		 st, t;
	struct crowd		 x;
	char			 path[96], sql[256];
	long long		 pupils;
	int			 i;

	school_new(&s, "Школа Болтушкина");
	student(&s, &st, "Болтунов", "Борис");
	t_person_new(&t, "Наставникова", "Нина", s.org, "teacher");
	t_class_member_add(s.org, s.cls, t.id, "homeroom");
	t_clients_of(&st, c, CROWD);
	pupils = t_chat_of(s.org, s.cls, "students");
	snprintf(path, sizeof(path), "/chats/%lld", pupils);
	for (i = 0; i < CROWD; i++)
		t_form(&c[i], path);
	snprintf(path, sizeof(path), "/chats/%lld/messages", pupils);
	T_EQ(t_postf(&c[0], path, "text=%s", t_enc("Первое слово")), 303);
	snprintf(sql, sizeof(sql), "SELECT parta.member_end(%lld, %lld, %lld,"
	    " 'removed')", s.org, st.id, s.admin.id);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.path = path;
	x.body = "text=Ещё";
	x.way_out = sql;
	t_parallel(CROWD + 1, crowd_one, &x);
	T_EQ(others(&x, 303, 404, 404), 0);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " chat_id = %lld AND author_id = %lld AND body = 'Ещё'", pupils,
	    st.id)), count_of(&x, 303));
	T_STREQ(t_sql("SELECT count(*) FROM parta.message m WHERE"
	    " m.org_id = %lld AND m.author_id = %lld AND m.created_at >"
	    " (SELECT a.at FROM parta.audit a WHERE a.org_id = %lld AND"
	    " a.target_id = %lld AND a.action = 'member_remove')", s.org,
	    st.id, s.org, st.id), "0");
	/* Afterwards: 404, and the history stays under their name. */
	T_EQ(t_postf(&c[0], path, "text=%s", t_enc("Поздно")), 404);
	snprintf(path, sizeof(path), "/chats/%lld", pupils);
	T_EQ(t_get(&t.c, path), 200);
	T_HAS(&t.c, "Первое слово");
	T_HAS(&t.c, "Борис Болтунов");
	for (i = 0; i < CROWD; i++)
		t_client_free(&c[i]);
	t_client_free(&st.c);
	t_client_free(&t.c);
	t_client_free(&s.admin.c);
}

/* 20 people follow an invite link while its maker is removed: no use
 * after the removal, the link revoked (410). */
static void
race_invite_maker(void)
{
	static struct t_person	 p[CROWD];
	static struct t_client	 c[CROWD];
	struct school		 s;
	struct t_person		 t, late;
	struct crowd		 x;
	char			 path[96], sql[256], token[48];
	long long		 inv;
	int			 i;

	school_new(&s, "Школа Вратарёва");
	t_person_new(&t, "Привратникова", "Полина", s.org, "teacher");
	t_class_member_add(s.org, s.cls, t.id, "homeroom");
	snprintf(token, sizeof(token), "racelink%lld", s.org);
	T_TRUE((inv = invite_new(s.org, t.id, s.cls, 100, token)) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	for (i = 0; i < CROWD; i++) {
		t_signup(&p[i], "Толпова", "Таисия");
		t_form(&p[i].c, path);
		c[i] = p[i].c;
	}
	snprintf(sql, sizeof(sql), "SELECT parta.member_end(%lld, %lld, %lld,"
	    " 'removed')", s.org, t.id, s.admin.id);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.path = path;
	x.body = "x=1";
	x.way_out = sql;
	t_parallel(CROWD + 1, crowd_one, &x);
	T_EQ(others(&x, 303, 410, 410), 0);
	T_STREQ(t_sql("SELECT revoked_at IS NOT NULL FROM parta.invite WHERE"
	    " id = %lld", inv), "t");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application WHERE"
	    " org_id = %lld AND invite_id = %lld", s.org, inv)),
	    count_of(&x, 303));
	T_STREQ(t_sql("SELECT uses = (SELECT count(*) FROM parta.application"
	    " WHERE org_id = %lld AND invite_id = %lld) FROM parta.invite"
	    " WHERE id = %lld", s.org, inv, inv), "t");
	T_STREQ(t_sql("SELECT count(*) FROM parta.application ap WHERE"
	    " ap.org_id = %lld AND ap.invite_id = %lld AND ap.created_at >"
	    " (SELECT a.at FROM parta.audit a WHERE a.org_id = %lld AND"
	    " a.target_id = %lld AND a.action = 'member_remove')", s.org, inv,
	    s.org, t.id), "0");
	/* After it: revoked, for anyone. */
	t_signup(&late, "Опоздавшая", "Ольга");
	t_form(&late.c, path);
	T_EQ(t_postf(&late.c, path, "x=1"), 410);
	T_HAS(&late.c, "Ссылку отозвали");
	for (i = 0; i < CROWD; i++)
		t_client_free(&c[i]);
	t_client_free(&late.c);
	t_client_free(&t.c);
	t_client_free(&s.admin.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "barred at the chat link, invite link, request form; "
		    "unbar opens them", barred_at_the_doors },
		{ "a leaver is not barred", leaver_not_barred },
		{ "a barred parent at the child's parent link",
		    barred_parent },
		{ "removal on the request's way: PAB03 403, PA403 404",
		    removal_while_on_the_way },
		{ "direct chat closed when the teacher leaves; PA409 409",
		    closed_direct_chat },
		{ "link making when the right ends: 403; revoked links say "
		    "why", invite_right_ends },
		{ "race: 20 chat link joins against a removal",
		    race_chat_link },
		{ "race: 20 messages against the author's removal",
		    race_messages },
		{ "race: 20 invite joins against the maker's removal",
		    race_invite_maker },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
