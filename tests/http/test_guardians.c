/*
 * Guardians and young children (issue 18): who may become a student's
 * guardian by the student's link (a classmate, the student's second
 * account, someone under 18 and the student may not; an adult may, once
 * per link), what the school sees of guardians and who removes one, the
 * parent's access ending at once with the removal (also when it races
 * messages), and a young child's sign-up confirmed by a parent who signs
 * up on the way, the child's login by login name, and the password a
 * guardian sets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* A login name unique to this run: prefix and letters only, so that no
 * six digits in a message look like a code. */
static void
login_new(char *out, size_t outsz, const char *prefix)
{
	char	 email[64];
	size_t	 i, n;

	t_unique_email(email);
	n = (size_t)snprintf(out, outsz, "%s", prefix);
	for (i = 1; email[i] != '@' && n + 1 < outsz && i < 13; i++)
		out[n++] = (char)('a' + (unsigned char)email[i] % 26);
	out[n] = '\0';
}

/* Sign up and verify like t_signup, with a gender and birth date. */
static int
signup_born(struct t_person *p, const char *last, const char *first,
    const char *gender, const char *birth)
{
	return t_signup_as(p, NULL, last, first, gender, birth);
}

static int
adult(struct t_person *p, const char *last, const char *first)
{
	return t_signup(p, last, first);
}

static int
sql_ok(const char *v)
{
	return v != NULL ? 0 : -1;
}

/*
 * A school with class 5А: its homeroom teacher (e-mail proven, to be
 * told of new guardians), a subject teacher, a student Петя and his
 * classmate; the admin.  Petя's link for a parent.
 */
struct school {
	struct t_person	 admin, hr, subj, kid, mate;
	long long	 org, cls, parents, hr_mail_n;
	char		 hr_email[64];
	char		 link[64];	/* /c/TOKEN of Петя's link */
};

static int
school_make(struct school *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	adult(&s->admin, "Директорова", "Анна");
	adult(&s->hr, "Классная", "Клавдия");
	adult(&s->subj, "Предметов", "Павел");
	signup_born(&s->kid, "Петров", "Петя", "m", "2011-03-04");
	signup_born(&s->mate, "Соседов", "Сева", "m", "2011-06-07");
	s->org = t_org_create(&s->admin, name);
	s->cls = t_class_add(s->org, 5, "А", 0);
	s->parents = t_chat_of(s->org, s->cls, "parents");
	t_unique_email(s->hr_email);
	if (s->parents <= 0 ||
	    sql_ok(t_sql("UPDATE parta.account SET email = '%s',"
	    " email_verified = true WHERE id = %lld", s->hr_email,
	    s->hr.id)) == -1 ||
	    sql_ok(t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, 'teacher', true), (%lld, %lld,"
	    " 'teacher', true), (%lld, %lld, 'student', false), (%lld, %lld,"
	    " 'student', false)", s->org, s->hr.id, s->org, s->subj.id, s->org,
	    s->kid.id, s->org, s->mate.id)) == -1 ||
	    sql_ok(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'homeroom'), (%lld,"
	    " %lld, %lld, 'teacher'), (%lld, %lld, %lld, 'student'), (%lld,"
	    " %lld, %lld, 'student')", s->org, s->cls, s->hr.id, s->org,
	    s->cls, s->subj.id, s->org, s->cls, s->kid.id, s->org, s->cls,
	    s->mate.id)) == -1)
		return -1;
	s->hr_mail_n = t_outbox_count(s->hr_email);
	if (t_parent_link(&s->kid, s->link + 3, sizeof(s->link) - 3) == -1)
		return -1;
	memcpy(s->link, "/c/", 3);
	return 0;
}

/* p follows the link: the status of the POST. */
static long
follow(struct t_person *p, const char *link)
{
	t_form(&p->c, link);
	return t_postf(&p->c, link, "x=1");
}

static long long
guardians_of(long long child)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.guardian WHERE"
	    " child_id = %lld", child));
}

/*
 * Nobody but an adult who is no student becomes a guardian, once per
 * link; the homeroom teacher is told and sees who it is.
 */
static void
who_may_be_guardian(void)
{
	struct school	 s;
	struct t_person	 twin, teen, mum, dad, applicant;
	long long	 other, ocls;
	char		 path[128];
	char		*msg;

	T_TRUE(school_make(&s, "Школа родителей") == 0);
	/* The student's second account: a student in another school. */
	T_TRUE(adult(&twin, "Петров", "Пётр") == 0);
	T_TRUE(adult(&applicant, "Заявкин", "Захар") == 0);
	T_TRUE(signup_born(&teen, "Подростков", "Паша", "m", "2010-01-02") ==
	    0);
	T_TRUE(adult(&mum, "Петрова", "Мария") == 0);
	T_TRUE(adult(&dad, "Петров", "Павел") == 0);
	T_TRUE((other = t_org_create(&dad, "Другая школа")) > 0);
	T_TRUE((ocls = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 9, 'Б',"
	    " parta.org_year(%lld), '#2453d6') RETURNING id", other,
	    other))) > 0);
	T_TRUE(sql_ok(t_sql("INSERT INTO parta.member (org_id, account_id,"
	    " role) VALUES (%lld, %lld, 'student')", other, twin.id)) == 0);
	T_TRUE(sql_ok(t_sql("INSERT INTO parta.application (org_id, account_id,"
	    " role, class_id) VALUES (%lld, %lld, 'student', %lld)", other,
	    applicant.id, ocls)) == 0);

	/* The classmate sees why before trying, and is refused: 409. */
	T_EQ(t_get(&s.mate.c, s.link), 200);
	T_HAS(&s.mate.c, "ученик не может быть родителем");
	T_LACKS(&s.mate.c, "Да, я родитель");
	T_EQ(follow(&s.mate, s.link), 409);
	T_HAS(&s.mate.c, "ученик не может быть родителем");
	/* A student of another school, one applying as a student: 409. */
	T_EQ(follow(&twin, s.link), 409);
	T_HAS(&twin.c, "профиль ученика");
	T_EQ(follow(&applicant, s.link), 409);
	/* Under 18: 409, saying so. */
	T_EQ(t_get(&teen.c, s.link), 200);
	T_HAS(&teen.c, "исполнилось 18 лет");
	T_EQ(follow(&teen, s.link), 409);
	T_HAS(&teen.c, "исполнилось 18 лет");
	/* The student themself: 403. */
	T_EQ(follow(&s.kid, s.link), 403);
	T_EQ(guardians_of(s.kid.id), 0);
	/* The link is still unused. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.parent_link WHERE child_id ="
	    " %lld AND used_at IS NULL", s.kid.id), "1");

	/* An adult: the wording follows the child's gender. */
	T_EQ(t_get(&mum.c, s.link), 200);
	T_HAS(&mum.c, "что вы его родитель");
	T_EQ(follow(&mum, s.link), 303);
	T_STREQ(t_header(&mum.c, "Location"), "/chats/family");
	T_STREQ(t_sql("SELECT how FROM parta.guardian WHERE parent_id = %lld"
	    " AND child_id = %lld", mum.id, s.kid.id), "link");
	/* A second use: 410, «уже использована», for anyone. */
	T_EQ(t_get(&dad.c, s.link), 410);
	T_HAS(&dad.c, "уже использована");
	T_LACKS(&dad.c, "истёк");
	T_EQ(follow(&dad, s.link), 410);
	T_HAS(&dad.c, "уже использована");
	T_EQ(follow(&mum, s.link), 410);
	T_EQ(guardians_of(s.kid.id), 1);

	/* The database keeps the rule whoever inserts. */
	T_TRUE(t_sql("INSERT INTO parta.guardian (parent_id, child_id) VALUES"
	    " (%lld, %lld)", teen.id, s.kid.id) == NULL);
	T_TRUE(t_sql("INSERT INTO parta.guardian (parent_id, child_id) VALUES"
	    " (%lld, %lld)", s.mate.id, s.kid.id) == NULL);
	T_EQ(guardians_of(s.kid.id), 1);

	/* The homeroom teacher is told by a message and on the home page. */
	T_EQ(t_outbox_count(s.hr_email), s.hr_mail_n + 1);
	msg = t_outbox_last(s.hr_email);
	T_TRUE(msg != NULL && strstr(msg, "подтверждён новый родитель") !=
	    NULL && strstr(msg, "Петрова Мария") != NULL &&
	    strstr(msg, "Ученик: Петров Петя") != NULL);
	free(msg);
	snprintf(path, sizeof(path), "/org/%lld", s.org);
	T_EQ(t_get(&s.hr.c, path), 200);
	T_HAS(&s.hr.c, "Новые родители в вашем классе");
	T_HAS(&s.hr.c, "Петрова Мария");
	T_EQ(t_get(&s.subj.c, path), 200);
	T_LACKS(&s.subj.c, "Петрова Мария");

	/* Class page and member card: the homeroom teacher and the admin
	 * see the guardian, when and how; a subject teacher and a classmate
	 * do not. */
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld", s.org, s.cls);
	T_EQ(t_get(&s.hr.c, path), 200);
	T_HAS(&s.hr.c, "Родители учеников");
	T_HAS(&s.hr.c, "Петрова Мария");
	T_HAS(&s.hr.c, "по ссылке от ученика");
	T_HAS(&s.hr.c, "1 ученик без подтверждённых родителей");
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Петрова Мария");
	T_EQ(t_get(&s.subj.c, path), 200);
	T_LACKS(&s.subj.c, "Петрова Мария");
	T_EQ(t_get(&s.mate.c, path), 200);
	T_LACKS(&s.mate.c, "Петрова Мария");
	snprintf(path, sizeof(path), "/org/%lld/members/%lld", s.org,
	    s.kid.id);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Его родители");
	T_HAS(&s.admin.c, "Петрова Мария");
	T_EQ(t_get(&s.subj.c, path), 200);
	T_LACKS(&s.subj.c, "Петрова Мария");
	/* The audit, in Russian words. */
	T_STREQ(t_sql("SELECT a.detail FROM parta.audit a WHERE a.org_id ="
	    " %lld AND a.action = 'guardian_confirmed' AND a.target_id = %lld",
	    s.org, s.kid.id), "родитель: Петрова Мария; по ссылке от ученика");

	/* The parent's family page: the child, the class and school, the
	 * parents' chat, the teachers to write to. */
	T_EQ(t_get(&mum.c, "/chats/family"), 200);
	T_HAS(&mum.c, "Ваш сын");
	T_HAS(&mum.c, "Петров Петя");
	T_HAS(&mum.c, "5А · Школа родителей");
	snprintf(path, sizeof(path), "href=\"/chats/%lld#end\"", s.parents);
	T_HAS(&mum.c, path);
	T_HAS(&mum.c, "Классная Клавдия");
	T_HAS(&mum.c, "классный руководитель");
	T_HAS(&mum.c, "Предметов Павел");
	/* Petя is old enough and has his own phone: no password form. */
	T_LACKS(&mum.c, "Сменить пароль ребёнка");

	/* An expired link says it expired. */
	T_TRUE(sql_ok(t_sql("UPDATE parta.parent_link SET created_at = now() -"
	    " interval '20 days', expires_at = now() - interval '6 days',"
	    " used_at = NULL, used_by = NULL WHERE child_id = %lld",
	    s.kid.id)) == 0);
	T_EQ(t_get(&dad.c, s.link), 410);
	T_HAS(&dad.c, "Срок действия ссылки истёк");
	T_EQ(follow(&dad, s.link), 410);
	T_HAS(&dad.c, "истёк");
}

/* What a parent may still do: each status. */
static long
post_text(struct t_person *p, long long chat, const char *text)
{
	return t_chat_post(&p->c, chat, text);
}

/* Open the parent's direct chat with account peer: its id, or -1. */
static long long
direct(struct t_person *p, long long peer)
{
	t_form(&p->c, "/chats/family");
	if (t_postf(&p->c, "/chats/direct", "account_id=%lld", peer) != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/chats/");
}

/* The school, and mum confirmed by Петя's link with her chats open. */
struct family {
	struct school	 s;
	struct t_person	 mum;
	long long	 to_hr, to_kid;
};

static int
family_make(struct family *f, const char *name)
{
	if (school_make(&f->s, name) == -1 ||
	    adult(&f->mum, "Петрова", "Мария") == -1 ||
	    follow(&f->mum, f->s.link) != 303)
		return -1;
	f->to_hr = direct(&f->mum, f->s.hr.id);
	f->to_kid = direct(&f->mum, f->s.kid.id);
	if (f->to_hr <= 0 || f->to_kid <= 0 ||
	    post_text(&f->mum, f->s.parents, "Здравствуйте!") != 303 ||
	    post_text(&f->mum, f->to_hr, "Добрый день") != 303)
		return -1;
	return 0;
}

static long
remove_as(struct t_person *who, long long org, long long child,
    long long parent)
{
	char	 form[96], path[160];

	snprintf(form, sizeof(form), "/org/%lld/members/%lld", org, child);
	snprintf(path, sizeof(path), "%s/guardians/%lld/remove", form, parent);
	t_form(&who->c, form);
	return t_postf(&who->c, path, "x=1");
}

/*
 * Who removes a guardian (the homeroom teacher, the admin, the student
 * from /me), and the parent's access ending at once.
 */
static void
removal(void)
{
	struct family	 f;
	struct t_person	 stranger, outsider;
	long long	 other;
	char		 path[128];

	T_TRUE(family_make(&f, "Школа удалений") == 0);
	T_TRUE(adult(&outsider, "Чужова", "Чара") == 0);
	T_TRUE((other = t_org_create(&outsider, "Чужая школа")) > 0);
	/* Neither a subject teacher nor a student of the class may. */
	T_EQ(remove_as(&f.s.subj, f.s.org, f.s.kid.id, f.mum.id), 403);
	T_EQ(remove_as(&f.s.mate, f.s.org, f.s.kid.id, f.mum.id), 403);
	T_EQ(remove_as(&outsider, f.s.org, f.s.kid.id, f.mum.id), 404);
	T_EQ(guardians_of(f.s.kid.id), 1);

	/* The card offers the removal by a link to a page of its own that
	 * asks to confirm, changing nothing; the form is there. */
	snprintf(path, sizeof(path), "/org/%lld/members/%lld/guardians/%lld"
	    "/remove", f.s.org, f.s.kid.id, f.mum.id);
	T_EQ(t_get(&f.s.hr.c, path), 200);
	T_HAS(&f.s.hr.c, "Убрать Петрова Мария из родителей ученика");
	T_HAS(&f.s.hr.c, "она выйдет из родительского чата");
	{
		char	 form[200], card[96];

		snprintf(form, sizeof(form), "<form method=\"post\" "
		    "action=\"%s\"", path);
		T_HAS(&f.s.hr.c, form);
		snprintf(card, sizeof(card), "/org/%lld/members/%lld",
		    f.s.org, f.s.kid.id);
		T_EQ(t_get(&f.s.hr.c, card), 200);
		T_LACKS(&f.s.hr.c, form);
		snprintf(form, sizeof(form), "href=\"%s\"", path);
		T_HAS(&f.s.hr.c, form);
	}
	T_EQ(t_get(&f.s.subj.c, path), 403);
	T_EQ(guardians_of(f.s.kid.id), 1);

	/* The homeroom teacher removes her: the parents' chat (404) and
	 * the direct chats (409) refuse her at once. */
	T_EQ(remove_as(&f.s.hr, f.s.org, f.s.kid.id, f.mum.id), 303);
	snprintf(path, sizeof(path), "/org/%lld/members/%lld", f.s.org,
	    f.s.kid.id);
	T_STREQ(t_header(&f.s.hr.c, "Location"), path);
	T_EQ(guardians_of(f.s.kid.id), 0);
	T_EQ(post_text(&f.mum, f.s.parents, "Можно?"), 404);
	T_EQ(post_text(&f.mum, f.to_hr, "Можно?"), 404);
	T_EQ(post_text(&f.mum, f.to_kid, "Можно?"), 404);
	/* Nor does she read them, nor see them listed; the teacher and the
	 * child keep the history. */
	snprintf(path, sizeof(path), "/chats/%lld", f.to_hr);
	T_EQ(t_get(&f.mum.c, path), 404);
	T_EQ(t_get(&f.s.hr.c, path), 200);
	T_HAS(&f.s.hr.c, "Добрый день");
	T_HAS(&f.s.hr.c, "Чат закрыт: вас больше не связывает");
	snprintf(path, sizeof(path), "/chats/%lld", f.to_kid);
	T_EQ(t_get(&f.mum.c, path), 404);
	T_EQ(t_get(&f.s.kid.c, path), 200);
	T_EQ(t_get(&f.mum.c, "/chats"), 200);
	snprintf(path, sizeof(path), "href=\"/chats/%lld#end\"", f.to_hr);
	T_LACKS(&f.mum.c, path);
	snprintf(path, sizeof(path), "/chats/%lld", f.s.parents);
	T_EQ(t_get(&f.mum.c, path), 404);
	T_STREQ(t_sql("SELECT a.detail FROM parta.audit a WHERE a.org_id ="
	    " %lld AND a.action = 'guardian_remove' AND a.target_id = %lld",
	    f.s.org, f.s.kid.id), "родитель: Петрова Мария; по решению "
	    "классного руководителя; родительские чаты и личные сообщения с "
	    "учителями закрыты");
	T_STREQ(t_sql("SELECT name FROM parta.audit_action WHERE code ="
	    " 'guardian_remove'"), "Связь с родителем удалена");
	T_EQ(remove_as(&f.s.hr, f.s.org, f.s.kid.id, f.mum.id), 404);
	T_EQ(t_get(&f.mum.c, "/chats/family"), 200);
	T_LACKS(&f.mum.c, "Петров Петя");

	/* A new link brings her back; her direct chats open again. */
	t_form(&f.s.kid.c, "/chats/parent-link");
	T_EQ(t_postf(&f.s.kid.c, "/chats/parent-link", "x=1"), 303);
	T_EQ(t_get(&f.s.kid.c, t_header(&f.s.kid.c, "Location")), 200);
	T_TRUE(t_token(&f.s.kid.c, "/c/", f.s.link + 3,
	    sizeof(f.s.link) - 3) == 0);
	T_EQ(follow(&f.mum, f.s.link), 303);
	T_EQ(post_text(&f.mum, f.to_hr, "Снова здравствуйте"), 303);
	T_EQ(post_text(&f.mum, f.s.parents, "Я вернулась"), 303);

	/* The student sees her on /me and removes her. */
	T_EQ(t_get(&f.s.kid.c, "/me"), 200);
	T_HAS(&f.s.kid.c, "Мои родители");
	T_HAS(&f.s.kid.c, "Петрова Мария");
	snprintf(path, sizeof(path), "/me/guardians/%lld/remove", f.mum.id);
	T_HAS(&f.s.kid.c, path);
	T_EQ(t_get(&f.s.kid.c, path), 200);
	T_HAS(&f.s.kid.c, "Убрать Петрова Мария из ваших родителей?");
	T_EQ(guardians_of(f.s.kid.id), 1);
	T_EQ(t_postf(&f.s.kid.c, path, "x=1"), 303);
	T_STREQ(t_header(&f.s.kid.c, "Location"), "/me");
	T_EQ(guardians_of(f.s.kid.id), 0);
	T_EQ(post_text(&f.mum, f.s.parents, "Можно?"), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit a WHERE a.org_id ="
	    " %lld AND a.action = 'guardian_remove' AND a.target_id = %lld"
	    " AND a.detail LIKE '%%по решению самого ученика%%'", f.s.org,
	    f.s.kid.id), "1");
	/* Nobody else removes through /me: 404. */
	T_TRUE(adult(&stranger, "Посторонний", "Пётр") == 0);
	t_form(&stranger.c, "/me");
	T_EQ(t_postf(&stranger.c, path, "x=1"), 404);

	/* The admin removes too. */
	T_EQ(follow(&f.mum, f.s.link), 410);
	t_form(&f.s.kid.c, "/chats/parent-link");
	T_EQ(t_postf(&f.s.kid.c, "/chats/parent-link", "x=1"), 303);
	T_EQ(t_get(&f.s.kid.c, t_header(&f.s.kid.c, "Location")), 200);
	T_TRUE(t_token(&f.s.kid.c, "/c/", f.s.link + 3,
	    sizeof(f.s.link) - 3) == 0);
	T_EQ(follow(&f.mum, f.s.link), 303);
	T_EQ(remove_as(&f.s.admin, f.s.org, f.s.kid.id, f.mum.id), 303);
	T_EQ(guardians_of(f.s.kid.id), 0);
	T_EQ(post_text(&f.mum, f.to_hr, "Можно?"), 404);
	(void)other;
}

/*
 * The removal races 20 clients of the parent writing in the parents'
 * chat and the direct chat with the homeroom teacher: no message
 * commits after the removal did, and afterwards both refuse at once.
 */
#define RACERS	20
#define USES	2

struct race {
	struct family	*f;
	struct t_person	 p[RACERS];
	long		 out;
};

static void
race_worker(int i, void *arg)
{
	struct race	*r = arg;
	int		 k;

	if (i == 0) {
		r->out = remove_as(&r->f->s.hr, r->f->s.org, r->f->s.kid.id,
		    r->f->mum.id);
		return;
	}
	for (k = 0; k < USES; k++)
		(void)post_text(&r->p[i - 1], i % 2 ? r->f->s.parents :
		    r->f->to_hr, "Гонка");
}

static void
removal_race(void)
{
	struct family	 f;
	struct race	 r;
	int		 i;

	T_STREQ(t_sql("SHOW track_commit_timestamp"), "on");
	T_TRUE(family_make(&f, "Школа гонок") == 0);
	memset(&r, 0, sizeof(r));
	r.f = &f;
	for (i = 0; i < RACERS; i++) {
		r.p[i] = f.mum;
		T_TRUE(t_login(&r.p[i]) == 0);
	}
	t_parallel(RACERS + 1, race_worker, &r);
	for (i = 0; i < RACERS; i++)
		t_client_free(&r.p[i].c);
	T_EQ(r.out, 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.message m WHERE"
	    " m.org_id = %lld AND m.author_id = %lld AND m.chat_id IN (%lld,"
	    " %lld) AND pg_xact_commit_timestamp(m.xmin) > (SELECT"
	    " max(pg_xact_commit_timestamp(a.xmin)) FROM parta.audit a WHERE"
	    " a.org_id = %lld AND a.action = 'guardian_remove' AND"
	    " a.target_id = %lld)", f.s.org, f.mum.id, f.s.parents, f.to_hr,
	    f.s.org, f.s.kid.id), "0");
	T_EQ(post_text(&f.mum, f.s.parents, "После"), 404);
	T_EQ(post_text(&f.mum, f.to_hr, "После"), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " org_id = %lld AND chat_id = %lld AND account_id = %lld", f.s.org,
	    f.s.parents, f.mum.id), "0");
}

/* A young child's sign-up form, with the parent's contact and login. */
static long
child_signup(struct t_client *c, const char *last, const char *first,
    const char *gender, const char *birth, const char *login,
    const char *parent)
{
	t_form(c, "/register");
	return t_postf(c, "/register", "last_name=%s&first_name=%s&patronymic="
	    "&gender=%s&birth_date=%s&phone=&email=&login=%s&parent=%s"
	    "&consent=1&password=%s", t_enc(last), t_enc(first), gender,
	    birth, t_enc(login), t_enc(parent), t_enc("first-grade-1"));
}

/*
 * A seven-year-old signs up with mum's e-mail; the child waits; mum,
 * not registered yet, follows the message: signs up, comes back,
 * confirms; the child logs in by login name; mum sets a new password.
 */
static void
young_child(void)
{
	struct t_client	 kid, kid2, mumc, other;
	struct t_person	 teen, stranger;
	char		 email[64], login[40], code[8], body[1024], path[96];
	char		*msg;
	long long	 kid_id, mum_id;
	int		 sent;

	t_unique_email(email);
	login_new(login, sizeof(login), "Masha");
	t_client_init(&kid);

	/* The form knows the age; a birth date under 14 asks, without
	 * JavaScript, for the parent's contact and a login name. */
	T_EQ(t_get(&kid, "/register"), 200);
	T_HAS(&kid, "data-child-age=\"14\"");
	t_form(&kid, "/register");
	T_EQ(t_postf(&kid, "/register", "last_name=%s&first_name=%s"
	    "&patronymic=&gender=f&birth_date=2019-04-01&phone=&email="
	    "&consent=1&password=first-grade-1", t_enc("Иванова"),
	    t_enc("Маша")), 422);
	T_HAS(&kid, "Телефон или почта родителя");
	T_HAS(&kid, "Укажите телефон или почту мамы");
	T_HAS(&kid, "Придумайте логин");
	T_LACKS(&kid, "data-mode=\"child\" hidden");
	T_HAS(&kid, "data-mode=\"adult\" hidden");
	T_LACKS(&kid, "Укажите мобильный телефон или электронную почту<");
	/* A login name of letters and digits only. */
	T_EQ(child_signup(&kid, "Иванова", "Маша", "f", "2019-04-01",
	    "маша 2019", email), 422);
	T_HAS(&kid, "латинских букв и цифр");

	T_EQ(child_signup(&kid, "Иванова", "Маша", "f", "2019-04-01", login,
	    email), 303);
	T_STREQ(t_header(&kid, "Location"), "/me");
	kid_id = t_ll(t_sql("SELECT id FROM parta.account WHERE login ="
	    " lower('%s')", login));
	T_TRUE(kid_id > 0);
	T_STREQ(t_sql("SELECT phone IS NULL AND email IS NULL FROM"
	    " parta.account WHERE id = %lld", kid_id), "t");
	/* The code went to mum, with the link and the child's name. */
	msg = t_outbox_last(email);
	T_TRUE(msg != NULL);
	T_TRUE(strstr(msg, "Иванова") != NULL && strstr(msg,
	    "/chats/family/confirm") != NULL && strstr(msg, "ваша дочь") !=
	    NULL && strstr(msg, "указала вас как родителя") != NULL);
	free(msg);
	snprintf(code, sizeof(code), "%s", t_outbox_code(email));
	T_EQ(strlen(code), 6);
	sent = t_outbox_count(email);

	/* The login name is taken, whatever the case. */
	t_client_init(&kid2);
	for (size_t i = 0; login[i] != '\0'; i++)
		if (login[i] >= 'a' && login[i] <= 'z')
			login[i] = (char)(login[i] - 'a' + 'A');
	T_EQ(child_signup(&kid2, "Иванов", "Ваня", "m", "2018-01-01", login,
	    email), 422);
	T_HAS(&kid2, "логин уже занят");
	t_client_free(&kid2);

	/* The child waits: /me says so; everything else leads there. */
	T_EQ(t_get(&kid, "/me"), 200);
	T_HAS(&kid, "Регистрацию должен подтвердить родитель");
	T_HAS(&kid, email);
	T_EQ(t_get(&kid, "/orgs"), 303);
	T_STREQ(t_header(&kid, "Location"), "/me");
	T_EQ(t_get(&kid, "/chats"), 303);
	T_EQ(t_get(&kid, "/chats/parent-link"), 303);
	T_EQ(t_get(&kid, "/me/profile"), 303);
	t_form(&kid, "/me");
	T_EQ(t_postf(&kid, "/chats/parent-link", "x=1"), 303);
	T_STREQ(t_header(&kid, "Location"), "/me");
	T_STREQ(t_sql("SELECT count(*) FROM parta.parent_link WHERE child_id ="
	    " %lld", kid_id), "0");
	/* It may send the request again (a new code). */
	t_form(&kid, "/me");
	T_EQ(t_postf(&kid, "/verify/parent", "parent="), 303);
	T_STREQ(t_header(&kid, "Location"), "/me?sent=1");
	T_EQ(t_outbox_count(email), sent + 1);
	snprintf(code, sizeof(code), "%s", t_outbox_code(email));
	T_EQ(t_get(&kid, "/me?sent=1"), 200);
	T_HAS(&kid, "Отправили ещё раз");
	T_EQ(t_postf(&kid, "/verify/parent", "parent=nonsense"), 422);
	/* Somebody who waits for nothing: 404. */
	T_TRUE(adult(&stranger, "Посторонний", "Савва") == 0);
	t_form(&stranger.c, "/me");
	T_EQ(t_postf(&stranger.c, "/verify/parent", "parent="), 404);

	/* Mum follows the message before she has an account. */
	t_client_init(&mumc);
	T_EQ(t_get(&mumc, "/chats/family/confirm"), 200);
	T_HAS(&mumc, "/register?next=/chats/family/confirm");
	T_LACKS(&mumc, "Маша");
	/* Somebody else, logged in, sees nothing waiting for them. */
	T_EQ(t_get(&stranger.c, "/chats/family/confirm"), 200);
	T_LACKS(&stranger.c, "Иванова Маша");
	T_HAS(&stranger.c, "никто из детей не ждёт");
	t_form(&stranger.c, "/chats/family/confirm");
	T_EQ(t_postf(&stranger.c, "/chats/family/confirm", "child_id=%lld"
	    "&code=%s", kid_id, code), 404);
	/* Signs up with that e-mail and comes back. */
	t_form(&mumc, "/register?next=%2Fchats%2Ffamily%2Fconfirm");
	snprintf(body, sizeof(body), "last_name=%s&first_name=%s&patronymic="
	    "&gender=f&birth_date=1988-02-03&phone=&email=%s&consent=1"
	    "&password=mum-password-1&next=%%2Fchats%%2Ffamily%%2Fconfirm",
	    t_enc("Иванова"), t_enc("Ольга"), t_enc(email));
	T_EQ(t_postf(&mumc, "/register", "%s", body), 303);
	T_STREQ(t_header(&mumc, "Location"),
	    "/verify?next=/chats/family/confirm");
	t_form(&mumc, "/verify?next=%2Fchats%2Ffamily%2Fconfirm");
	T_EQ(t_postf(&mumc, "/verify", "code=%s&next=%%2Fchats%%2Ffamily"
	    "%%2Fconfirm", t_outbox_code(email)), 303);
	T_STREQ(t_header(&mumc, "Location"), "/chats/family/confirm");
	mum_id = t_ll(t_sql("SELECT id FROM parta.account WHERE email = '%s'"
	    " AND email_verified", email));
	T_TRUE(mum_id > 0);
	T_EQ(t_get(&mumc, "/chats/family/confirm"), 200);
	T_HAS(&mumc, "Это ваша дочь?");
	T_HAS(&mumc, "Иванова Маша");
	T_HAS(&mumc, "Да, это моя дочь");
	/* A wrong code: 422, nothing changes. */
	t_form(&mumc, "/chats/family/confirm");
	T_EQ(t_postf(&mumc, "/chats/family/confirm", "child_id=%lld"
	    "&code=%06d", kid_id, (atoi(code) + 1) % 1000000), 422);
	T_HAS(&mumc, "Неверный или устаревший код");
	T_EQ(guardians_of(kid_id), 0);
	/* The right one: the child is verified, mum the guardian. */
	T_EQ(t_postf(&mumc, "/chats/family/confirm", "child_id=%lld&code=%s",
	    kid_id, code), 303);
	T_STREQ(t_header(&mumc, "Location"), "/chats/family");
	T_STREQ(t_sql("SELECT how FROM parta.guardian WHERE parent_id = %lld"
	    " AND child_id = %lld", mum_id, kid_id), "signup");
	T_EQ(t_ll(t_sql("SELECT confirmed_by FROM parta.child_signup WHERE"
	    " child_id = %lld", kid_id)), mum_id);
	/* Again: nothing waits, 404. */
	T_EQ(t_postf(&mumc, "/chats/family/confirm", "child_id=%lld&code=%s",
	    kid_id, code), 404);
	T_EQ(t_get(&mumc, "/chats/family"), 200);
	T_HAS(&mumc, "Ваша дочь");
	T_HAS(&mumc, "Иванова Маша");
	T_HAS(&mumc, "пока не в классе");
	T_HAS(&mumc, "Сменить пароль ребёнка");

	/* The child's account works now; the child logs in by login name
	 * (any case) on another device. */
	T_EQ(t_get(&kid, "/me"), 200);
	T_LACKS(&kid, "Регистрацию должен подтвердить родитель");
	T_HAS(&kid, "Иванова Ольга");
	T_EQ(t_get(&kid, "/orgs"), 200);
	t_client_init(&other);
	t_form(&other, "/login");
	T_EQ(t_postf(&other, "/login", "login=%s&password=first-grade-1",
	    t_enc(login)), 303);
	T_EQ(t_get(&other, "/me"), 200);
	T_HAS(&other, "Иванова Маша");
	/* No code login by a login name. */
	t_form(&other, "/login/code");
	T_EQ(t_postf(&other, "/login/code", "login=%s", t_enc(login)), 422);

	/* Mum sets a new password: the child's sessions end. */
	snprintf(path, sizeof(path), "/chats/family/children/%lld/password",
	    kid_id);
	t_form(&mumc, "/chats/family");
	T_EQ(t_postf(&mumc, path, "password=short"), 422);
	T_HAS(&mumc, "aria-invalid");
	T_EQ(t_postf(&mumc, path, "password=%s", t_enc("new-grade-2")), 303);
	T_STREQ(t_header(&mumc, "Location"), "/chats/family?password=1");
	T_EQ(t_get(&mumc, "/chats/family?password=1"), 200);
	T_HAS(&mumc, "Пароль изменён");
	T_EQ(t_get(&other, "/me"), 303);
	T_EQ(t_get(&kid, "/me"), 303);
	t_client_free(&other);
	t_client_init(&other);
	t_form(&other, "/login");
	T_EQ(t_postf(&other, "/login", "login=%s&password=first-grade-1",
	    t_enc(login)), 422);
	T_EQ(t_postf(&other, "/login", "login=%s&password=new-grade-2",
	    t_enc(login)), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE action ="
	    " 'child_password' AND target_id = %lld", kid_id), "1");
	/* Nobody else sets it: 404; not for an older child with a phone of
	 * their own: 403. */
	t_form(&stranger.c, "/chats/family");
	T_EQ(t_postf(&stranger.c, path, "password=%s", t_enc("evil-pass-1")),
	    404);
	T_TRUE(signup_born(&teen, "Иванов", "Гоша", "m", "2010-05-05") == 0);
	T_TRUE(sql_ok(t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%lld, %lld)", mum_id, teen.id)) == 0);
	snprintf(path, sizeof(path), "/chats/family/children/%lld/password",
	    teen.id);
	T_EQ(t_postf(&mumc, path, "password=%s", t_enc("some-pass-1")), 403);

	/* Only an adult who is no student confirms a young child. */
	{
		char	 email2[64], login2[40], code2[8];

		t_unique_email(email2);
		login_new(login2, sizeof(login2), "vanya");
		t_client_init(&kid2);
		T_EQ(child_signup(&kid2, "Сидоров", "Ваня", "m", "2018-09-09",
		    login2, email2), 303);
		snprintf(code2, sizeof(code2), "%s", t_outbox_code(email2));
		/* The sixteen-year-old brother has that e-mail. */
		T_TRUE(sql_ok(t_sql("UPDATE parta.account SET email = '%s',"
		    " email_verified = true WHERE id = %lld", email2,
		    teen.id)) == 0);
		T_EQ(t_get(&teen.c, "/chats/family/confirm"), 200);
		T_HAS(&teen.c, "Это ваш сын?");
		t_form(&teen.c, "/chats/family/confirm");
		T_EQ(t_postf(&teen.c, "/chats/family/confirm", "child_id=%lld"
		    "&code=%s", t_ll(t_sql("SELECT id FROM parta.account WHERE"
		    " login = '%s'", login2)), code2), 409);
		T_HAS(&teen.c, "исполнилось 18 лет");
		t_client_free(&kid2);
	}

	/* The code limit holds for a waiting child's requests too. */
	{
		char	 email3[64], login3[40];
		int	 i, st = 0;

		t_unique_email(email3);
		login_new(login3, sizeof(login3), "lim");
		t_client_init(&kid2);
		T_EQ(child_signup(&kid2, "Лимитов", "Лёва", "m", "2017-02-02",
		    login3, email3), 303);
		for (i = 0; i < 10 && st != 429; i++) {
			t_form(&kid2, "/me");
			st = t_postf(&kid2, "/verify/parent", "parent=");
		}
		T_EQ(st, 429);
		T_HAS(&kid2, "слишком много кодов");
		T_EQ(t_outbox_count(email3), 5);
		t_client_free(&kid2);
	}
	t_client_free(&kid);
	t_client_free(&mumc);
	t_client_free(&other);
}


/*
 * A young child registered through mum: a student of s's class, mum
 * (e-mail proven) the guardian who confirmed.  kid is logged in.
 */
static int
young_confirmed(struct school *s, struct t_client *kid, long long *kid_id,
    struct t_person *mum)
{
	char	 email[64], login[40], code[8];

	t_unique_email(email);
	login_new(login, sizeof(login), "safe");
	t_client_init(kid);
	if (child_signup(kid, "Малышева", "Мила", "f", "2018-05-05", login,
	    email) != 303)
		return -1;
	snprintf(code, sizeof(code), "%s", t_outbox_code(email));
	*kid_id = t_ll(t_sql("SELECT id FROM parta.account WHERE login ="
	    " '%s'", login));
	if (*kid_id <= 0 || adult(mum, "Малышева", "Марина") == -1 ||
	    sql_ok(t_sql("UPDATE parta.account SET email = '%s',"
	    " email_verified = true WHERE id = %lld", email, mum->id)) == -1)
		return -1;
	t_form(&mum->c, "/chats/family/confirm");
	if (t_postf(&mum->c, "/chats/family/confirm", "child_id=%lld&code=%s",
	    *kid_id, code) != 303)
		return -1;
	if (sql_ok(t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, 'student', false)", s->org,
	    *kid_id)) == -1 ||
	    sql_ok(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'student')", s->org,
	    s->cls, *kid_id)) == -1)
		return -1;
	return 0;
}

/*
 * The guardian who confirmed a young child's registration holds the
 * account: the child cannot remove them (the school can), makes no
 * parent links for a stranger to open, and no other guardian may set
 * the child's password.
 */
static void
young_confirmer_holds(void)
{
	struct school	 s;
	struct t_client	 kid;
	struct t_person	 mum, dad;
	long long	 kid_id;
	char		 path[128];

	T_TRUE(school_make(&s, "Школа малышей") == 0);
	T_TRUE(young_confirmed(&s, &kid, &kid_id, &mum) == 0);
	T_EQ(guardians_of(kid_id), 1);

	/* /me shows mum, without a way to remove her. */
	snprintf(path, sizeof(path), "/me/guardians/%lld/remove", mum.id);
	T_EQ(t_get(&kid, "/me"), 200);
	T_HAS(&kid, "Малышева Марина");
	T_LACKS(&kid, path);
	T_HAS(&kid, "убрать может только школа");
	T_EQ(t_get(&kid, path), 403);
	T_HAS(&kid, "подтвердил вашу регистрацию");
	t_form(&kid, "/me");
	T_EQ(t_postf(&kid, path, "x=1"), 403);
	T_EQ(guardians_of(kid_id), 1);

	/* No parent link: the page says why; nothing is made. */
	T_EQ(t_get(&kid, "/me"), 200);
	T_LACKS(&kid, "href=\"/chats/parent-link\"");
	T_EQ(t_get(&kid, "/chats/parent-link"), 403);
	T_HAS(&kid, "Ваш родитель уже подтверждён");
	T_HAS(&kid, "подтвердил регистрацию");
	t_form(&kid, "/me");
	T_EQ(t_postf(&kid, "/chats/parent-link", "x=1"), 403);
	T_STREQ(t_sql("SELECT count(*) FROM parta.parent_link WHERE"
	    " child_id = %lld", kid_id), "0");
	T_STREQ(t_sql("SELECT parta.parent_link_allowed(%lld, 14)", kid_id),
	    "f");

	/* Another guardian (by an old link, say) may not set the password;
	 * the family page offers no form; mum still may. */
	T_TRUE(adult(&dad, "Малышев", "Марк") == 0);
	T_TRUE(sql_ok(t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%lld, %lld)", dad.id, kid_id)) == 0);
	snprintf(path, sizeof(path), "/chats/family/children/%lld/password",
	    kid_id);
	T_EQ(t_get(&dad.c, "/chats/family"), 200);
	T_HAS(&dad.c, "Малышева Мила");
	T_LACKS(&dad.c, "Сменить пароль ребёнка");
	t_form(&dad.c, "/chats/family");
	T_EQ(t_postf(&dad.c, path, "password=%s", t_enc("taken-over-1")), 403);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE action ="
	    " 'child_password' AND target_id = %lld", kid_id), "0");
	t_form(&mum.c, "/chats/family");
	T_EQ(t_postf(&mum.c, path, "password=%s", t_enc("new-grade-3")), 303);
	/* The child may remove the other guardian. */
	t_client_free(&kid);
	t_client_init(&kid);
	t_form(&kid, "/login");
	T_EQ(t_postf(&kid, "/login", "login=%s&password=new-grade-3",
	    t_sql("SELECT login FROM parta.account WHERE id = %lld", kid_id)),
	    303);
	snprintf(path, sizeof(path), "/me/guardians/%lld/remove", dad.id);
	t_form(&kid, "/me");
	T_EQ(t_postf(&kid, path, "x=1"), 303);

	/* The school still may remove mum. */
	T_EQ(remove_as(&s.hr, s.org, kid_id, mum.id), 303);
	T_EQ(guardians_of(kid_id), 0);
	t_client_free(&kid);
}

/*
 * A guardian cannot become a student: neither filing a student's
 * application (by an invite, or of one's own) nor being accepted as one
 * (an application from before the rule, put in with the trigger off),
 * singly or in bulk; a teacher's application is fine.
 */
static void
guardian_no_student(void)
{
	struct family	 f;
	struct t_person	 pupil;
	long long	 app, app2;
	char		 token[48], path[160], q[96];
	int		 i;

	T_TRUE(family_make(&f, "Школа без двойных ролей") == 0);
	for (i = 0; i < 43; i++)
		token[i] = (char)('a' + (f.mum.id * 7 + i * 13) % 26);
	token[43] = '\0';
	T_TRUE(sql_ok(t_sql("INSERT INTO parta.invite (org_id, created_by,"
	    " role, class_id, token_hash, max_uses, expires_at) VALUES (%lld,"
	    " %lld, 'student', %lld, sha256(convert_to('%s', 'UTF8')), 5,"
	    " now() + interval '1 day')", f.s.org, f.s.admin.id, f.s.cls,
	    token)) == 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	t_form(&f.mum.c, path);
	T_EQ(t_postf(&f.mum.c, path, "x=1"), 409);
	T_HAS(&f.mum.c, "родитель не может одновременно быть учеником");
	snprintf(path, sizeof(path), "/org/%lld/apply", f.s.org);
	t_form(&f.mum.c, path);
	T_EQ(t_postf(&f.mum.c, path, "role=student&class_id=%lld", f.s.cls),
	    409);
	T_HAS(&f.mum.c, "родитель не может одновременно быть учеником");
	T_STREQ(t_sql("SELECT count(*) FROM parta.application WHERE"
	    " account_id = %lld", f.mum.id), "0");
	T_STREQ(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld"
	    " AND created_by = %lld", f.s.org, f.s.admin.id), "0");
	/* The database holds it whoever inserts. */
	T_TRUE(t_sql("INSERT INTO parta.member (org_id, account_id, role)"
	    " VALUES (%lld, %lld, 'student')", f.s.org, f.mum.id) == NULL);

	/* Applications from before the rule: accepting is refused with a
	 * reason (409, never 500), singly and in bulk; others go on. */
	T_TRUE(adult(&pupil, "Ученикова", "Ульяна") == 0);
	app = t_ll(t_sql("BEGIN; ALTER TABLE parta.application DISABLE"
	    " TRIGGER student_application_admit; INSERT INTO parta.application"
	    " (org_id, account_id, role, class_id) VALUES (%lld, %lld,"
	    " 'student', %lld) RETURNING id; ALTER TABLE parta.application"
	    " ENABLE TRIGGER student_application_admit; COMMIT", f.s.org,
	    f.mum.id, f.s.cls));
	T_TRUE(app > 0);
	app2 = t_ll(t_sql("INSERT INTO parta.application (org_id, account_id,"
	    " role, class_id) VALUES (%lld, %lld, 'student', %lld) RETURNING"
	    " id", f.s.org, pupil.id, f.s.cls));
	T_TRUE(app2 > 0);
	snprintf(q, sizeof(q), "/org/%lld/applications", f.s.org);
	snprintf(path, sizeof(path), "%s/%lld/accept", q, app);
	t_form(&f.s.admin.c, q);
	T_EQ(t_postf(&f.s.admin.c, path, "x=1"), 409);
	T_HAS(&f.s.admin.c, "родитель не может быть учеником");
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id ="
	    " %lld", app), "pending");
	snprintf(path, sizeof(path), "%s/decide", q);
	t_form(&f.s.admin.c, q);
	T_EQ(t_postf(&f.s.admin.c, path, "id=%lld&id=%lld&decision=accept",
	    app, app2), 303);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id ="
	    " %lld", app), "pending");
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id ="
	    " %lld", app2), "accepted");
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE account_id ="
	    " %lld", f.mum.id), "0");
	T_EQ(guardians_of(f.s.kid.id), 1);
	/* A teacher's application is no student's. */
	T_TRUE(sql_ok(t_sql("UPDATE parta.application SET status ="
	    " 'withdrawn' WHERE id = %lld", app)) == 0);
	snprintf(path, sizeof(path), "/org/%lld/apply", f.s.org);
	t_form(&f.mum.c, path);
	T_EQ(t_postf(&f.mum.c, path, "role=teacher&class_id="), 303);
}

/* A minor cannot make himself an adult to become a guardian. */
static void
minor_stays_minor(void)
{
	struct school	 s;
	struct t_person	 teen;

	T_TRUE(school_make(&s, "Школа честных дат") == 0);
	T_TRUE(signup_born(&teen, "Взрослеев", "Витя", "m", "2009-09-09") ==
	    0);
	t_form(&teen.c, "/me/profile");
	(void)t_postf(&teen.c, "/me/profile", "last_name=%s&first_name=%s"
	    "&patronymic=&gender=m&birth_date=1990-01-01", t_enc("Взрослеев"),
	    t_enc("Витя"));
	T_STREQ(t_sql("SELECT birth_date FROM parta.account WHERE id = %lld",
	    teen.id), "2009-09-09");
	T_EQ(follow(&teen, s.link), 409);
	T_HAS(&teen.c, "исполнилось 18 лет");
	T_EQ(guardians_of(s.kid.id), 0);
}

/* A waiting young child cannot send codes to any number of contacts:
 * the account's own limit (5 an hour) holds, 429 saying when. */
static void
young_child_account_limit(void)
{
	struct t_client	 kid;
	char		 email[64], other[64], login[40];
	int		 i;

	t_unique_email(email);
	login_new(login, sizeof(login), "many");
	t_client_init(&kid);
	T_EQ(child_signup(&kid, "Многоадресов", "Миша", "m", "2017-03-03",
	    login, email), 303);
	/* The sign-up's code and 4 more, each to a new contact. */
	for (i = 0; i < 4; i++) {
		t_unique_email(other);
		t_form(&kid, "/me");
		T_EQ(t_postf(&kid, "/verify/parent", "parent=%s", t_enc(other)),
		    303);
		T_EQ(t_outbox_count(other), 1);
	}
	t_unique_email(other);
	t_form(&kid, "/me");
	T_EQ(t_postf(&kid, "/verify/parent", "parent=%s", t_enc(other)), 429);
	T_HAS(&kid, "Вы уже отправили родителям слишком много кодов");
	T_HAS(&kid, "Попробуйте снова через");
	T_EQ(t_outbox_count(other), 0);
	t_client_free(&kid);
}

static const struct t_case cases[] = {
	{ "who may become a guardian by a student's link", who_may_be_guardian },
	{ "who removes a guardian, and the access ends", removal },
	{ "race: the removal against 20 messages", removal_race },
	{ "a young child signs up through a parent", young_child },
	{ "the confirming guardian holds a young child's account",
	    young_confirmer_holds },
	{ "a guardian cannot become a student", guardian_no_student },
	{ "a minor cannot make himself an adult", minor_stays_minor },
	{ "a waiting child's requests are limited per account",
	    young_child_account_limit },
};

int
main(void)
{
	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
