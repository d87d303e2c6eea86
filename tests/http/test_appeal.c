/*
 * Requests to the organization (issue 21, cgi-bin/appeal/): a parent
 * files about their child and every kind of person reads it or gets 404
 * (the child, the homeroom teacher and the administrator read it; another
 * teacher, a stranger, another school's administrator and the operator
 * do not); the answer puts it in work and tells the parent and the
 * child; only a handler or the requester closes it, audited, and nothing
 * is written after; the handlers' count in the menu; 4,000 characters a
 * message (422, the form kept); 10 requests a day per person, held by
 * the database against parallel requests (429 saying when); the
 * administrators' topics (audited; a topic not offered 422); a parent
 * of two children chooses whom it is about.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* A school: its administrator, class 7А with its homeroom teacher and a
 * student, a teacher of no class, the student's parent. */
static struct t_person	 admin, homeroom, teacher, student, parent;
static long long	 org, cls;

static void
school(const char *name)
{
	t_signup(&admin, "Директорова", "Елена");
	T_TRUE((org = t_org_create(&admin, name)) > 0);
	cls = t_class_add(org, 7, "А", 0);
	t_person_new(&homeroom, "Классная", "Ирина", org, "teacher");
	t_class_member_add(org, cls, homeroom.id, "homeroom");
	t_person_new(&teacher, "Предметник", "Олег", org, "teacher");
	t_person_new(&student, "Ученикова", "Аня", org, "student");
	t_class_member_add(org, cls, student.id, "student");
	t_signup(&parent, "Ученикова", "Мама");
	T_TRUE(t_guardian_add(parent.id, student.id) == 0);
}

/* c files a request on the list page's form with the fields (already
 * encoded): the status. */
static long
file(struct t_client *c, const char *fields)
{
	T_EQ(t_get(c, t_fmt("/org/%lld/appeals", org)), 200);
	return t_postf(c, t_fmt("/org/%lld/appeals", org), "%s", fields);
}

/* The id of the request the last 303 named. */
static long long
filed(const struct t_client *c)
{
	const char	*loc = t_header(c, "Location");

	T_TRUE(loc != NULL);
	return t_id_after(loc, t_fmt("/org/%lld/appeals/", org));
}

static long
show(struct t_client *c, long long id)
{
	return t_get(c, t_fmt("/org/%lld/appeals/%lld", org, id));
}

/* c opens the request and posts to its action with the fields. */
static long
act(struct t_client *c, long long id, const char *action,
    const char *fields)
{
	show(c, id);
	t_form(c, t_fmt("/org/%lld/appeals", org));
	return t_postf(c, t_fmt("/org/%lld/appeals/%lld/%s", org, id, action),
	    "%s", fields);
}

/* A string of n Cyrillic letters, URL-encoded (malloc'd). */
static char *
letters(int n)
{
	char	*s = malloc((size_t)n * 6 + 1), *p = s;
	int	 i;

	T_TRUE(s != NULL);
	for (i = 0; i < n; i++, p += 6)
		memcpy(p, "%D0%AF", 6);
	*p = '\0';
	return s;
}

static void
test_parent_files_and_who_reads(void)
{
	struct t_person	 stranger, other_admin;
	struct t_client	 op;
	long long	 id, other;
	char		*sms;

	school("Школа обращений");
	t_signup(&stranger, "Посторонний", "Пётр");
	t_signup(&other_admin, "Чужова", "Зоя");
	T_TRUE((other = t_org_create(&other_admin, "Другая школа")) > 0);

	/* The parent is no member: the page is theirs all the same, the
	 * request about their only child there. */
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&parent.c, "Обращение о ребёнке");
	T_HAS(&parent.c, "Ученикова Аня");
	T_EQ(file(&parent.c, t_fmt("topic=%s&text=%s", t_enc("Справка"),
	    t_enc("Нужна справка об обучении для бассейна."))), 303);
	T_TRUE((id = filed(&parent.c)) > 0);
	/* About the child: the child's class, so its homeroom teacher
	 * handles it too. */
	T_EQ(t_ll(t_sql("SELECT class_id FROM parta.appeal WHERE id = %lld",
	    id)), cls);
	T_EQ(t_ll(t_sql("SELECT child_id FROM parta.appeal WHERE id = %lld",
	    id)), student.id);
	T_STREQ(t_sql("SELECT status FROM parta.appeal WHERE id = %lld", id),
	    "new");

	T_EQ(show(&parent.c, id), 200);
	T_HAS(&parent.c, "Нужна справка об обучении для бассейна.");
	T_HAS(&parent.c, "Новое");
	T_EQ(show(&student.c, id), 200);
	T_EQ(show(&homeroom.c, id), 200);
	T_EQ(show(&admin.c, id), 200);
	/* Nobody else: 404, inside the school as well as outside. */
	T_EQ(show(&teacher.c, id), 404);
	T_EQ(show(&stranger.c, id), 404);
	T_EQ(show(&other_admin.c, id), 404);
	T_EQ(t_get(&other_admin.c, t_fmt("/org/%lld/appeals/%lld", other,
	    id)), 404);
	T_TRUE(t_operator_login(&op) == 0);
	T_EQ(show(&op, id), 404);
	T_EQ(t_get(&stranger.c, t_fmt("/org/%lld/appeals", org)), 404);
	/* Nor in a list. */
	T_EQ(t_get(&teacher.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_LACKS(&teacher.c, t_fmt("/appeals/%lld\"", id));
	T_EQ(t_get(&student.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&student.c, t_fmt("/appeals/%lld\"", id));

	/* The handlers' queue and its count in the menu. */
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld", org)), 200);
	T_HAS(&admin.c, "1 обращение ждёт ответа");
	T_EQ(t_get(&homeroom.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&homeroom.c, "Обращения к вам");
	T_HAS(&homeroom.c, t_fmt("/appeals/%lld\"", id));
	T_HAS(&homeroom.c, "1 обращение ждёт ответа");
	T_EQ(t_get(&teacher.c, t_fmt("/org/%lld", org)), 200);
	T_LACKS(&teacher.c, "ждёт ответа");

	/* Another teacher may not answer; the administrator answers: in
	 * work, the parent and the child told. */
	T_EQ(act(&teacher.c, id, "reply", "text=x"), 404);
	T_EQ(act(&admin.c, id, "reply", t_fmt("text=%s",
	    t_enc("Справку подготовим к пятнице."))), 303);
	T_STREQ(t_sql("SELECT status FROM parta.appeal WHERE id = %lld", id),
	    "in_work");
	T_TRUE((sms = t_outbox_last(parent.phone)) != NULL);
	T_TRUE(strstr(sms, "новый ответ на обращение «Справка»") != NULL);
	T_TRUE(strstr(sms, t_fmt("/org/%lld/appeals/%lld", org, id)) != NULL);
	free(sms);
	T_TRUE((sms = t_outbox_last(student.phone)) != NULL);
	T_TRUE(strstr(sms, "новый ответ") != NULL);
	free(sms);
	/* On the site too: the parent's list marks the answer until they
	 * open it. */
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&parent.c, "Новый ответ");
	T_EQ(show(&parent.c, id), 200);
	T_HAS(&parent.c, "Справку подготовим к пятнице.");
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_LACKS(&parent.c, "Новый ответ");
	T_EQ(show(&parent.c, id), 200);
	T_HAS(&parent.c, "В работе");
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld", org)), 200);
	T_LACKS(&admin.c, "ждёт ответа");
	/* The parent writes again: waiting once more. */
	T_EQ(act(&parent.c, id, "reply", t_fmt("text=%s",
	    t_enc("Спасибо! Можно забрать в субботу?"))), 303);
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld", org)), 200);
	T_HAS(&admin.c, "1 обращение ждёт ответа");

	/* A person's messages in a minute are bounded. */
	T_TRUE(t_sql("INSERT INTO parta.throttle (key, since, n) VALUES"
	    " ('appeal_reply:%lld', now(), 20) ON CONFLICT (key) DO UPDATE"
	    " SET since = now(), n = 20", parent.id) != NULL);
	T_EQ(act(&parent.c, id, "reply", "text=x"), 429);
	T_HAS(&parent.c, "Подождите минуту и отправьте снова");
	T_TRUE(t_sql("DELETE FROM parta.throttle WHERE key ="
	    " 'appeal_reply:%lld'", parent.id) != NULL);

	/* The child reads it, and does not close another's request; an
	 * outcome that is not one line: 422. */
	T_EQ(act(&student.c, id, "close", "outcome="), 403);
	T_EQ(act(&admin.c, id, "close", "outcome=%D0%98%D1%82%D0%BE%D0%B3%01"),
	    422);
	/* The close form keeps what was typed. */
	T_HAS(&admin.c, "value=\"Итог\x01\"");
	T_EQ(act(&homeroom.c, id, "close", t_fmt("outcome=%s",
	    t_enc("Справка выдана"))), 303);
	T_STREQ(t_sql("SELECT status FROM parta.appeal WHERE id = %lld", id),
	    "closed");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'appeal_close' AND actor_id = %lld AND target_id ="
	    " %lld AND detail LIKE '%%Справка выдана'", org, homeroom.id,
	    parent.id)), 1);
	T_TRUE((sms = t_outbox_last(parent.phone)) != NULL);
	T_TRUE(strstr(sms, "закрыто обращение «Справка», итог: Справка "
	    "выдана") != NULL);
	free(sms);
	T_EQ(show(&parent.c, id), 200);
	T_HAS(&parent.c, "Закрыто");
	T_HAS(&parent.c, "Итог: Справка выдана");
	T_EQ(act(&parent.c, id, "reply", "text=ещё"), 409);
	T_EQ(act(&admin.c, id, "close", "outcome="), 409);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.appeal_message"
	    " WHERE appeal_id = %lld", id)), 3);
	/* The closed one is in the homeroom teacher's closed list. */
	T_EQ(t_get(&homeroom.c, t_fmt("/org/%lld/appeals?closed=1", org)),
	    200);
	T_HAS(&homeroom.c, t_fmt("/appeals/%lld\"", id));
	/* The parent's data export holds what they wrote, and the
	 * teacher's what she answered. */
	T_EQ(t_get(&parent.c, "/me/export?format=json"), 200);
	T_HAS(&parent.c, "\"appeals\": [");
	T_HAS(&parent.c, "Спасибо! Можно забрать в субботу?");
	T_EQ(t_get(&admin.c, "/me/export"), 200);
	T_HAS(&admin.c, "Обращения в организации");
	T_HAS(&admin.c, "Справку подготовим к пятнице.");
	t_client_free(&op);
}

/* A request of a member: the requester closes it; a request about no
 * class is the administrators' alone. */
static void
test_member_files(void)
{
	long long	 id;

	school("Школа учителя");
	T_EQ(file(&teacher.c, t_fmt("topic=%s&text=%s", t_enc("Другое"),
	    t_enc("Прошу заменить проектор в 12 кабинете."))), 303);
	T_TRUE((id = filed(&teacher.c)) > 0);
	T_STREQ(t_sql("SELECT topic FROM parta.appeal WHERE id = %lld", id),
	    "");
	T_EQ(show(&teacher.c, id), 200);
	T_HAS(&teacher.c, "Другое");
	T_EQ(show(&admin.c, id), 200);
	T_EQ(show(&homeroom.c, id), 404);
	T_EQ(show(&student.c, id), 404);
	T_EQ(show(&parent.c, id), 404);
	/* A class the student does not study in: 422. */
	T_EQ(file(&student.c, t_fmt("topic=%s&class_id=%lld&text=x",
	    t_enc("Питание"), t_class_add(org, 8, "Б", 0))), 422);
	T_HAS(&student.c, "Выберите класс из списка");
	T_EQ(act(&teacher.c, id, "close", "outcome="), 303);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'appeal_close' AND actor_id = %lld AND detail LIKE"
	    " '%%закрыто заявителем'", org, teacher.id)), 1);
}

static void
test_text_limit(void)
{
	char		*big;
	long long	 before;

	school("Школа длинных писем");
	before = t_ll(t_sql("SELECT count(*) FROM parta.appeal WHERE"
	    " org_id = %lld", org));
	big = letters(4001);
	T_EQ(file(&student.c, t_fmt("topic=%s&text=", t_enc("Питание"))),
	    422);
	T_HAS(&student.c, "Напишите сообщение");
	T_EQ(file(&student.c, "topic=&text=x"), 422);
	T_HAS(&student.c, "Выберите тему");
	T_EQ(t_get(&student.c, t_fmt("/org/%lld/appeals", org)), 200);
	{
		char	*body = malloc(strlen(big) + 256);

		T_TRUE(body != NULL);
		snprintf(body, strlen(big) + 256, "csrf=%s&topic=%s&text=%s",
		    student.c.csrf, t_enc("Питание"), big);
		T_EQ(t_post(&student.c, t_fmt("/org/%lld/appeals", org),
		    body), 422);
		T_HAS(&student.c, "Не больше 4000 символов (сейчас 4001)");
		/* The form kept what was typed. */
		T_HAS(&student.c, "<option value=\"Питание\" selected>");
		T_HAS(&student.c, "ЯЯЯЯЯЯЯЯЯЯ");
		T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.appeal WHERE"
		    " org_id = %lld", org)), before);
		/* 4,000 is allowed. */
		big[4000 * 6] = '\0';
		snprintf(body, strlen(big) + 256, "csrf=%s&topic=%s&text=%s",
		    student.c.csrf, t_enc("Питание"), big);
		T_EQ(t_post(&student.c, t_fmt("/org/%lld/appeals", org),
		    body), 303);
		T_EQ(t_ll(t_sql("SELECT char_length(body) FROM"
		    " parta.appeal_message WHERE appeal_id = %lld",
		    filed(&student.c))), 4000);
		/* And a reply of 4,001: 422 on the request's page. */
		free(big);
		big = letters(4001);
		show(&student.c, filed(&student.c));
		snprintf(body, strlen(big) + 256, "csrf=%s&text=%s",
		    student.c.csrf, big);
		T_EQ(t_post(&student.c, t_fmt("/org/%lld/appeals/%lld/reply",
		    org, t_ll(t_sql("SELECT max(id) FROM parta.appeal WHERE"
		    " org_id = %lld", org))), body), 422);
		T_HAS(&student.c, "Не больше 4000 символов");
		free(body);
	}
	free(big);
}

/* Parallel filings of one person: of the day's 10, 4 were filed
 * already (and one more 25 hours ago, which does not count). */
#define PAR	12
static struct t_client	 par_c[PAR];
static long		 par_st[PAR];

static void
par_file(int i, void *arg)
{
	(void)arg;
	par_st[i] = t_postf(&par_c[i], t_fmt("/org/%lld/appeals", org),
	    "topic=%s&text=%s%d", t_enc("Питание"), t_enc("Обед номер "), i);
}

static void
test_day_limit(void)
{
	int	 i, ok = 0, limited = 0;

	school("Школа многих обращений");
	T_TRUE(t_sql("INSERT INTO parta.appeal (org_id, account_id, topic,"
	    " created_at) SELECT %lld, %lld, 'Питание', now() - interval"
	    " '25 hours' UNION ALL SELECT %lld, %lld, 'Питание', now()"
	    " FROM generate_series(1, 4)", org, student.id, org,
	    student.id) != NULL);
	t_clients_of(&student, par_c, PAR);
	for (i = 0; i < PAR; i++)
		T_EQ(t_get(&par_c[i], t_fmt("/org/%lld/appeals", org)), 200);
	t_parallel(PAR, par_file, NULL);
	for (i = 0; i < PAR; i++) {
		if (par_st[i] == 303)
			ok++;
		else if (par_st[i] == 429)
			limited++;
	}
	printf("# %d parallel filings: %d filed, %d refused\n", PAR, ok,
	    limited);
	T_EQ(ok, 6);
	T_EQ(limited, PAR - 6);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.appeal WHERE account_id ="
	    " %lld AND created_at > now() - interval '1 day'", student.id)),
	    10);
	/* The page says when. */
	T_EQ(file(&student.c, t_fmt("topic=%s&text=x", t_enc("Питание"))),
	    429);
	T_HAS(&student.c, "Следующее можно будет отправить через");
	for (i = 0; i < PAR; i++)
		t_client_free(&par_c[i]);
}

static void
test_topics(void)
{
	long long	 id;

	school("Школа тем");
	T_EQ(t_get(&teacher.c, t_fmt("/org/%lld/appeals/topics", org)), 403);
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/appeals/topics", org)), 404);
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld/appeals/topics", org)), 200);
	T_HAS(&admin.c, "Справка\nПитание");
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/appeals/topics", org),
	    "topics=%s", t_enc("Справка\nДругое")), 422);
	T_HAS(&admin.c, "Строка 2: тема «Другое» есть всегда");
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/appeals/topics", org),
	    "topics=%s", t_enc("\n")), 422);
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/appeals/topics", org),
	    "topics=%s", t_enc("Справка\r\nЭкскурсии\r\n\r\nСправка")), 303);
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld/appeals/topics?saved=1", org)),
	    200);
	T_HAS(&admin.c, "Темы сохранены");
	T_STREQ(t_sql("SELECT array_to_string(titles, '|') FROM"
	    " parta.appeal_topics WHERE org_id = %lld", org),
	    "Справка|Экскурсии");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'appeal_topics' AND detail LIKE"
	    " 'добавлены: «Экскурсии»; убраны: «Питание»%%'", org)), 1);
	/* A topic no longer offered: 422; one offered: filed. */
	T_EQ(file(&student.c, t_fmt("topic=%s&text=x", t_enc("Питание"))),
	    422);
	T_HAS(&student.c, "Выберите тему из списка");
	T_EQ(file(&student.c, t_fmt("topic=%s&text=x",
	    t_enc("Экскурсии"))), 303);
	T_TRUE((id = filed(&student.c)) > 0);
	T_STREQ(t_sql("SELECT topic FROM parta.appeal WHERE id = %lld", id),
	    "Экскурсии");
}

/* A parent of two children there chooses whom it is about; a child
 * who is not theirs: 404. */
static void
test_two_children(void)
{
	struct t_person	 second, foreign;
	long long	 id;

	school("Школа двоих детей");
	t_person_new(&second, "Ученикова", "Вера", org, "student");
	t_person_new(&foreign, "Чужой", "Коля", org, "student");
	T_TRUE(t_guardian_add(parent.id, second.id) == 0);
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&parent.c, "О ком обращение");
	T_HAS(&parent.c, "Ученикова Вера");
	T_EQ(file(&parent.c, t_fmt("topic=%s&text=x", t_enc("Справка"))),
	    422);
	T_HAS(&parent.c, "Выберите, о ком обращение");
	T_EQ(file(&parent.c, t_fmt("topic=%s&child_id=%lld&text=x",
	    t_enc("Справка"), foreign.id)), 404);
	T_EQ(file(&parent.c, t_fmt("topic=%s&child_id=%lld&text=x",
	    t_enc("Справка"), second.id)), 303);
	T_TRUE((id = filed(&parent.c)) > 0);
	T_EQ(show(&second.c, id), 200);
	T_EQ(show(&student.c, id), 404);
	T_EQ(show(&foreign.c, id), 404);
	/* No class: the administrators' alone. */
	T_EQ(show(&homeroom.c, id), 404);
	/* The school removes the parent from Vera: the request about her
	 * is no longer theirs to read nor to hear of. */
	T_TRUE(t_sql("DELETE FROM parta.guardian WHERE parent_id = %lld AND"
	    " child_id = %lld", parent.id, second.id) != NULL);
	T_EQ(act(&admin.c, id, "reply", "text=%D0%9E%D1%82%D0%B2%D0%B5%D1%82"),
	    303);
	T_EQ(show(&second.c, id), 200);
	T_EQ(show(&parent.c, id), 404);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.appeal_parties(%lld,"
	    " %lld) WHERE account_id = %lld", parent.id, second.id,
	    parent.id)), 0);
}

/* Issue 21's QA round: the parent's /me leads to the leaders; a
 * requester's closing promises the school nothing it does not get, and
 * the outcome's example is the school's; the second parent sees who
 * wrote; a class a parent may not name is told next to the form; a
 * removed member's request is marked, and they get no link they cannot
 * open. */
static void
test_qa_round(void)
{
	struct t_person	 second;
	long long	 id, t_id;
	int		 before;
	char		*sms;

	school("Школа после проверки");
	/* The parent's /me: «Руководители» next to the requests. */
	T_EQ(t_get(&parent.c, "/me"), 200);
	T_HAS(&parent.c, t_fmt("href=\"/org/%lld/leaders\"", org));
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/leaders", org)), 200);

	T_EQ(file(&parent.c, t_fmt("topic=%s&text=x", t_enc("Справка"))),
	    303);
	id = filed(&parent.c);
	T_EQ(show(&parent.c, id), 200);
	T_LACKS(&parent.c, "школе придёт сообщение");
	T_LACKS(&parent.c, "Справка выдана");
	T_EQ(show(&admin.c, id), 200);
	T_HAS(&admin.c, "Справка выдана");

	/* The second parent's «Мои обращения»: who wrote it. */
	t_signup(&second, "Учеников", "Папа");
	T_TRUE(t_guardian_add(second.id, student.id) == 0);
	T_EQ(t_get(&second.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&second.c, "автор: Ученикова Мама");
	T_EQ(t_get(&parent.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_LACKS(&parent.c, "автор: ");

	/* A class injected into a parent's form: 422 with words. */
	T_EQ(file(&parent.c, t_fmt("topic=%s&class_id=%lld&text=x",
	    t_enc("Справка"), t_class_add(org, 9, "В", 0))), 422);
	T_HAS(&parent.c, "id=\"class_id_error\"");
	T_HAS(&parent.c, "Этот класс выбрать нельзя");

	/* A teacher files, and the school removes them. */
	T_EQ(file(&teacher.c, t_fmt("topic=%s&text=x", t_enc("Питание"))),
	    303);
	t_id = filed(&teacher.c);
	T_TRUE(t_sql("DELETE FROM parta.member WHERE org_id = %lld AND"
	    " account_id = %lld", org, teacher.id) != NULL);
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&admin.c, "автор больше не в школе");
	T_EQ(show(&admin.c, t_id), 200);
	T_HAS(&admin.c, "автор больше не в школе");
	T_EQ(show(&teacher.c, t_id), 404);
	/* An answer: nothing to them (they cannot read it). */
	before = t_outbox_count(teacher.phone);
	T_EQ(act(&admin.c, t_id, "reply", "text=x"), 303);
	T_EQ(t_outbox_count(teacher.phone), before);
	/* The closing: its outcome, with no link. */
	T_EQ(act(&admin.c, t_id, "close", t_fmt("outcome=%s",
	    t_enc("Новая плита заказана"))), 303);
	T_EQ(t_outbox_count(teacher.phone), before + 1);
	T_TRUE((sms = t_outbox_last(teacher.phone)) != NULL);
	T_TRUE(strstr(sms, "Новая плита заказана") != NULL);
	T_TRUE(strstr(sms, "/appeals/") == NULL);
	/* A request of someone who stayed is not marked. */
	T_EQ(show(&admin.c, id), 200);
	T_LACKS(&admin.c, "автор больше не в школе");
}

/*
 * Issue 21's second QA round: the mark on a request names what is new
 * (the school's answer, or only another party's message), and what the
 * handlers are told of an author who can no longer open it matches what
 * the author is then sent: a parent unlinked from the child hears
 * nothing; a parent whose child left is told the outcome in words for a
 * parent, without a link.
 */
static void
test_author_standing(void)
{
	struct t_person	 second;
	long long	 id, kept;
	int		 before;
	char		*sms;

	school("Школа второй проверки");
	t_signup(&second, "Ученикова", "Бабушка");
	T_TRUE(t_guardian_add(second.id, student.id) == 0);

	/* Filed by one parent, unanswered: new to the other and the child,
	 * but no answer. */
	T_EQ(file(&parent.c, t_fmt("topic=%s&text=x", t_enc("Справка"))),
	    303);
	id = filed(&parent.c);
	T_EQ(t_get(&second.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&second.c, "Новое сообщение");
	T_LACKS(&second.c, "Новый ответ");
	T_EQ(t_get(&student.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&student.c, "Новое сообщение");
	T_LACKS(&student.c, "Новый ответ");
	T_EQ(act(&admin.c, id, "reply", "text=ok"), 303);
	T_EQ(t_get(&second.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&second.c, "Новый ответ");

	/* The school unlinks the filing parent: the handlers are told the
	 * author learns nothing more, and the closing tells them nothing. */
	T_TRUE(t_sql("DELETE FROM parta.guardian WHERE parent_id = %lld"
	    " AND child_id = %lld", parent.id, student.id) != NULL);
	T_EQ(show(&admin.c, id), 200);
	T_HAS(&admin.c, "автор больше не связан с ребёнком");
	T_HAS(&admin.c, "не узнает итог");
	T_LACKS(&admin.c, "придёт только итог");
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld/appeals", org)), 200);
	T_HAS(&admin.c, "автор больше не связан с ребёнком");
	before = t_outbox_count(parent.phone);
	T_EQ(act(&admin.c, id, "close", t_fmt("outcome=%s",
	    t_enc("Справка выдана"))), 303);
	T_EQ(t_outbox_count(parent.phone), before);

	/* The other parent files; the child leaves the school: the parent
	 * is told the outcome as a parent, without a link. */
	T_EQ(file(&second.c, t_fmt("topic=%s&text=x", t_enc("Справка"))),
	    303);
	kept = filed(&second.c);
	T_TRUE(t_sql("DELETE FROM parta.class_member WHERE org_id = %lld"
	    " AND account_id = %lld; DELETE FROM parta.member"
	    " WHERE org_id = %lld AND account_id = %lld", org, student.id,
	    org, student.id) != NULL);
	T_EQ(show(&admin.c, kept), 200);
	T_HAS(&admin.c, "ребёнок автора больше не в школе");
	T_HAS(&admin.c, "придёт только итог");
	T_LACKS(&admin.c, "автор больше не в школе");
	before = t_outbox_count(second.phone);
	T_EQ(act(&admin.c, kept, "close", t_fmt("outcome=%s",
	    t_enc("Справка выдана"))), 303);
	T_EQ(t_outbox_count(second.phone), before + 1);
	T_TRUE((sms = t_outbox_last(second.phone)) != NULL);
	T_TRUE(strstr(sms, "Справка выдана") != NULL);
	T_TRUE(strstr(sms, "Ребёнок больше не учится") != NULL);
	T_TRUE(strstr(sms, "Вас больше нет") == NULL);
	T_TRUE(strstr(sms, "/appeals/") == NULL);
	free(sms);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "a parent files about the child; who reads, answers, "
		    "closes", test_parent_files_and_who_reads },
		{ "a member files; the requester closes",
		    test_member_files },
		{ "4,000 characters a message (422, kept)", test_text_limit },
		{ "10 a day, parallel filings (429)", test_day_limit },
		{ "the administrators' topics", test_topics },
		{ "a parent of two chooses the child", test_two_children },
		{ "issue 21 QA: leaders link, words, removed author",
		    test_qa_round },
		{ "issue 21 second QA: what is new; an unlinked parent, a"
		    " child who left", test_author_standing },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
