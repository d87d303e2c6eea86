/*
 * Personal links for a roster's expected people (issue 20), over HTTP:
 * POST /org/N/invites/bulk with roster_id.  60 roster links at once, each
 * working exactly once; the daily limit neither stopping them nor
 * counting them; sending the links by SMS and e-mail within each
 * recipient's message limit; the batches listed on /org/N/invites with
 * how many joined, each printable again with the expiry on every card;
 * who may make which; and that a removed or rejected person does not
 * get in by one.  The rosters are put in by SQL as applied rosters
 * (rows 'expected' with their class), the way roster_apply leaves them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define TOKEN_LEN	43
#define CROWD		60

struct school {
	struct t_person	 admin;
	long long	 org;
	long long	 a, b;		/* classes 7Р and 8Р */
};

static void
school_new(struct school *s, const char *admin_last)
{
	static int	 n;
	char		 l[16];

	t_signup(&s->admin, admin_last, "Римма");
	s->org = t_org_create(&s->admin, NULL);
	snprintf(l, sizeof(l), "Р%d", ++n);
	s->a = t_class_add(s->org, 7, l, 0);
	s->b = t_class_add(s->org, 8, l, 0);
}

/* An applied roster of the school made by maker for class cls (0: the
 * whole school): its id. */
static long long
roster_by(struct school *s, long long maker, long long cls)
{
	long long	 id;

	id = t_ll(t_sql("INSERT INTO parta.roster (org_id, created_by,"
	    " class_id, file_name, file_hash, row_count, applied_at,"
	    " applied_by) VALUES (%lld, %lld, nullif(%lld, 0), 'список.csv',"
	    " sha256(convert_to(random()::text, 'UTF8')), 0, now(), %lld)"
	    " RETURNING id", s->org, maker, cls, maker));
	if (id <= 0)
		T_FAIL("roster not added");
	return id;
}

/* An applied roster of the school made by its admin: its id. */
static long long
roster_new(struct school *s)
{
	return roster_by(s, s->admin.id, 0);
}

/* n expected students of class cls on roster ros from line first on,
 * named last + number, with phone and email ("NULL" or a quoted SQL
 * value). */
static void
rows_add(struct school *s, long long ros, int first, int n, long long cls,
    const char *last, const char *phone, const char *email)
{
	if (t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, class_text, state, class_id,"
	    " phone, email) SELECT %lld, %lld, %d + g, '%s' || g, 'Ученик',"
	    " 'student', '', 'expected', %lld, %s, %s"
	    " FROM generate_series(0, %d) g", s->org, ros, first, last, cls,
	    phone, email, n - 1) == NULL)
		T_FAIL("roster rows not added");
}

/* A count the SQL (one %s: the organization) answers. */
static long long
count_sql(const char *fmt, const char *org)
{
	char	 sql[1024];
	const char *p = strstr(fmt, "%s");

	if (p == NULL)
		T_FAIL("no %%s in %s", fmt);
	snprintf(sql, sizeof(sql), "%.*s%s%s", (int)(p - fmt), fmt, org,
	    p + 2);
	return t_ll(t_sql("%s", sql));
}

/* Post the roster form of ros with the fields after roster_id: the
 * status. */
static long
roster_post(struct t_client *c, long long org, long long ros,
    const char *fields)
{
	t_form(c, t_fmt("/org/%lld/invites/bulk?roster_id=%lld", org, ros));
	return t_postf(c, t_fmt("/org/%lld/invites/bulk", org),
	    "roster_id=%lld&%s", ros, fields);
}

/* The tokens of every /join/ link of the last page into tok (up to max,
 * each once): how many. */
static int
page_tokens(struct t_client *c, char tok[][TOKEN_LEN + 1], int max)
{
	char		 prefix[256];
	const char	*p = c->r.body;
	size_t		 len;
	int		 n = 0, i, dup;

	snprintf(prefix, sizeof(prefix), "%s/join/", t_base);
	while (n < max && (p = strstr(p, prefix)) != NULL) {
		p += strlen(prefix);
		len = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_");
		if (len != TOKEN_LEN)
			continue;
		for (dup = 0, i = 0; i < n; i++)
			dup |= strncmp(tok[i], p, TOKEN_LEN) == 0;
		if (!dup) {
			memcpy(tok[n], p, TOKEN_LEN);
			tok[n++][TOKEN_LEN] = '\0';
		}
	}
	return n;
}

struct crowd {
	struct t_client	*c[CROWD];
	char		 (*tok)[TOKEN_LEN + 1];
	long		 status[CROWD];
	char		 loc[CROWD][64];
};

/* Worker i follows link i and applies. */
static void
crowd_join(int i, void *arg)
{
	struct crowd	*x = arg;
	const char	*path, *loc;

	path = t_fmt("/join/%s", x->tok[i]);
	t_form(x->c[i], path);
	x->status[i] = t_postf(x->c[i], path, "x=1");
	loc = t_header(x->c[i], "Location");
	snprintf(x->loc[i], sizeof(x->loc[i]), "%s", loc != NULL ? loc : "");
}

/*
 * A roster of 60 people without contacts (35 of 7Р, 25 of 8Р) and 3
 * with phones: one click makes the 60 cards, in one batch per class,
 * although the admin's 50 links of the day are used up, and the 60 do
 * not count; 60 people follow the 60 links at once: each works, once.
 */
static void
sixty_at_once(void)
{
	static struct t_person	 p[CROWD];
	static struct t_client	 late[CROWD];
	static char		 tok[CROWD][TOKEN_LEN + 1];
	static struct crowd	 x;
	struct t_person		 q[2];
	struct school		 s;
	long long		 ros, b1, b2;
	const char		*loc, *org;
	char			 orgbuf[24];
	char			 path[128], want[128];
	int			 i, n;

	school_new(&s, "Спискова");
	snprintf(orgbuf, sizeof(orgbuf), "%lld", s.org);
	org = orgbuf;
	ros = roster_new(&s);
	rows_add(&s, ros, 2, 35, s.a, "Первоклассов", "NULL", "NULL");
	rows_add(&s, ros, 40, 25, s.b, "Второклассов", "NULL", "NULL");
	rows_add(&s, ros, 70, 3, s.b, "Телефонов", "'+79990000001'", "NULL");
	/* The day's 50 links are made already. */
	T_TRUE(t_sql("INSERT INTO parta.invite (org_id, created_by, role,"
	    " token_hash, max_uses, expires_at) SELECT %lld, %lld, 'teacher',"
	    " sha256(convert_to('day' || g || '-' || %lld, 'UTF8')), 1,"
	    " now() + interval '1 hour' FROM generate_series(1, 50) g", s.org,
	    s.admin.id, s.org) != NULL);

	/* The form says who needs what. */
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk?roster_id=%lld",
	    s.org, ros);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Личные ссылки по списку №");
	T_HAS(&s.admin.c, "60 человек без телефона и почты");
	T_HAS(&s.admin.c, "3 человека с телефоном или почтой");
	T_HAS(&s.admin.c, "7Р");

	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=168"
	    "&mode=print"), 303);
	loc = t_header(&s.admin.c, "Location");
	snprintf(want, sizeof(want), "/org/%lld/invites?roster=%lld&made=60",
	    s.org, ros);
	T_TRUE(loc != NULL && strncmp(loc, want, strlen(want)) == 0);
	T_EQ(t_get(&s.admin.c, loc), 200);
	T_HAS(&s.admin.c, "Создано 60 ссылок");
	/* The 60 did not count: none left today, as before. */
	T_HAS(&s.admin.c, "Сегодня вы можете создать ещё 0 из 50");

	T_EQ(count_sql("SELECT count(*) FROM parta.invite i JOIN"
	    " parta.invite_batch b ON b.org_id = i.org_id AND b.id = i.batch_id"
	    " WHERE i.org_id = %s AND b.roster_id IS NOT NULL AND i.max_uses = 1"
	    " AND i.role = 'student' AND i.expires_at - i.created_at ="
	    " interval '168 hours'", org), 60);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row rr JOIN"
	    " parta.invite i ON i.org_id = rr.org_id AND i.id = rr.invite_id"
	    " AND i.class_id = rr.class_id AND i.label = rr.last_name || ' '"
	    " || rr.first_name WHERE rr.org_id = %s AND rr.link_sent_at IS NULL",
	    org), 60);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND phone IS NOT NULL AND invite_id IS NOT NULL", org), 0);
	b1 = t_ll(t_sql("SELECT min(id) FROM parta.invite_batch WHERE org_id ="
	    " %lld AND roster_id = %lld AND class_id = %lld", s.org, ros, s.a));
	b2 = t_ll(t_sql("SELECT min(id) FROM parta.invite_batch WHERE org_id ="
	    " %lld AND roster_id = %lld AND class_id = %lld", s.org, ros, s.b));
	T_TRUE(b1 > 0 && b2 > 0);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite_batch WHERE org_id ="
	    " %s", org), 2);
	/* Both listed, each printable again. */
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/%lld/print",
	    s.org, b1);
	T_HAS(&s.admin.c, want);
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/%lld/print",
	    s.org, b2);
	T_HAS(&s.admin.c, want);
	T_HAS(&s.admin.c, "0 из 35");
	T_HAS(&s.admin.c, "0 из 25");

	/* Older than a day, the 50 make room again: the 60 still do not
	 * count. */
	T_TRUE(t_sql("UPDATE parta.invite SET created_at = now() - interval"
	    " '25 hours', expires_at = now() - interval '1 hour' WHERE org_id ="
	    " %lld AND batch_id IS NULL", s.org) != NULL);
	snprintf(path, sizeof(path), "/org/%lld/invites", s.org);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Сегодня вы можете создать ещё 50 из 50");

	/* A second click makes nothing more. */
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=168"
	    "&mode=print"), 303);
	T_EQ(t_get(&s.admin.c, t_header(&s.admin.c, "Location")), 200);
	T_HAS(&s.admin.c, "Новых ссылок не понадобилось");
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s"
	    " AND batch_id IS NOT NULL", org), 60);

	/* The 60 links, from the two batches' pages. */
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld", s.org,
	    b1);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "№");
	n = page_tokens(&s.admin.c, tok, CROWD);
	T_EQ(n, 35);
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld", s.org,
	    b2);
	T_EQ(t_get(&s.admin.c, path), 200);
	n += page_tokens(&s.admin.c, tok + n, CROWD - n);
	T_EQ(n, CROWD);

	memset(&x, 0, sizeof(x));
	for (i = 0; i < CROWD; i++) {
		t_signup(&p[i], "Пришедший", "Павел");
		x.c[i] = &p[i].c;
	}
	x.tok = tok;
	t_parallel(CROWD, crowd_join, &x);
	for (i = 0; i < CROWD; i++) {
		T_EQ(x.status[i], 303);
		T_TRUE(strncmp(x.loc[i], "/me/applications/", 17) == 0);
	}
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s"
	    " AND batch_id IS NOT NULL AND uses = 1", org), CROWD);
	T_EQ(count_sql("SELECT count(DISTINCT invite_id) FROM"
	    " parta.application WHERE org_id = %s AND invite_id IS NOT NULL",
	    org), CROWD);
	/* Once each: two latecomers try all 60 at once: 410 each time. */
	t_signup(&q[0], "Опоздавший", "Олег");
	t_signup(&q[1], "Опоздавшая", "Ольга");
	t_clients_of(&q[0], late, CROWD / 2);
	t_clients_of(&q[1], late + CROWD / 2, CROWD / 2);
	for (i = 0; i < CROWD; i++)
		x.c[i] = &late[i];
	t_parallel(CROWD, crowd_join, &x);
	for (i = 0; i < CROWD; i++)
		T_EQ(x.status[i], 410);
	T_EQ(count_sql("SELECT count(*) FROM parta.application WHERE org_id ="
	    " %s", org), CROWD);

	for (i = 0; i < CROWD; i++) {
		t_client_free(&p[i].c);
		t_client_free(&late[i]);
	}
	t_client_free(&q[0].c);
	t_client_free(&q[1].c);
	t_client_free(&s.admin.c);
}

/*
 * Sending: 7 brothers and sisters under one parent's phone, one with an
 * e-mail, one with both, two with neither.  One message per contact
 * within its limit (5 a window): the phone gets 5, the other two of its
 * rows wait (the page says when), and the limit counts exactly the 5;
 * clicking again while it lasts: 429, nothing made; once the window has
 * passed, the two get theirs.  The message carries the row's own link.
 */
static void
sent_within_limits(void)
{
	struct school	 s;
	long long	 ros;
	const char	*loc, *org;
	char		 orgbuf[24];
	char		 phone[16], phone2[16], mail[64], mail2[64];
	char		 sql[512], want[160], *msg, *p;
	char		 token[TOKEN_LEN + 1];

	school_new(&s, "Рассылкина");
	snprintf(orgbuf, sizeof(orgbuf), "%lld", s.org);
	org = orgbuf;
	ros = roster_new(&s);
	t_unique_phone(phone);
	t_unique_phone(phone2);
	t_unique_email(mail);
	t_unique_email(mail2);
	rows_add(&s, ros, 2, 7, s.a, "Семейный", t_fmt("'%s'", phone),
	    "NULL");
	rows_add(&s, ros, 9, 1, s.a, "Почтовый", "NULL", t_fmt("'%s'", mail));
	rows_add(&s, ros, 10, 1, s.b, "Двойной", t_fmt("'%s'", phone2),
	    t_fmt("'%s'", mail2));
	rows_add(&s, ros, 11, 2, s.b, "Бесконтактный", "NULL", "NULL");

	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=72"
	    "&mode=send"), 303);
	loc = t_header(&s.admin.c, "Location");
	snprintf(want, sizeof(want), "/org/%lld/invites?roster=%lld&made=7"
	    "&sent=7&unsent=2&retry=", s.org, ros);
	T_TRUE(loc != NULL && strncmp(loc, want, strlen(want)) == 0);
	T_EQ(t_get(&s.admin.c, loc), 200);
	T_HAS(&s.admin.c, "Создано 7 ссылок и отправлено по SMS или почте 7 "
	    "людям");
	T_HAS(&s.admin.c, "2 людям ссылку не отправили");
	T_HAS(&s.admin.c, "Сегодня вы можете создать ещё 50 из 50");
	T_HAS(&s.admin.c, "отправлены по SMS или почте");

	T_EQ(t_outbox_count(phone), 5);
	T_EQ(t_outbox_count(mail), 1);
	T_EQ(t_outbox_count(phone2), 1);
	T_EQ(t_outbox_count(mail2), 1);
	snprintf(sql, sizeof(sql), "SELECT n FROM parta.code_limit WHERE"
	    " kind = 'sent' AND key = '%s'", phone);
	T_STREQ(t_sql("%s", sql), "5");
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND invite_id IS NOT NULL AND link_sent_at IS NOT NULL", org),
	    7);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND invite_id IS NULL", org), 4);

	/* The e-mail holds the row's link: its hash is the row's invite's. */
	T_TRUE((msg = t_outbox_last(mail)) != NULL);
	T_TRUE(strstr(msg, "Почтовый0 Ученик") != NULL);
	T_TRUE(strstr(msg, "действует до ") != NULL);
	snprintf(want, sizeof(want), "%s/join/", t_base);
	T_TRUE((p = strstr(msg, want)) != NULL);
	p += strlen(want);
	T_EQ(strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_"), TOKEN_LEN);
	memcpy(token, p, TOKEN_LEN);
	token[TOKEN_LEN] = '\0';
	free(msg);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM parta.roster_row rr"
	    " JOIN parta.invite i ON i.org_id = rr.org_id AND i.id ="
	    " rr.invite_id WHERE rr.org_id = %lld AND rr.line = 9 AND"
	    " i.token_hash = sha256(convert_to('%s', 'UTF8'))", s.org, token);
	T_STREQ(t_sql("%s", sql), "1");

	/* Again within the window: the two left cannot be reached. */
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=72"
	    "&mode=send"), 429);
	T_TRUE(t_header(&s.admin.c, "Retry-After") != NULL);
	T_HAS(&s.admin.c, "Повторите через");
	T_EQ(t_outbox_count(phone), 5);
	T_STREQ(t_sql("%s", sql), "1");
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 7);
	snprintf(sql, sizeof(sql), "SELECT n FROM parta.code_limit WHERE"
	    " kind = 'sent' AND key = '%s'", phone);
	T_STREQ(t_sql("%s", sql), "5");

	/* The window over: the two get theirs, nobody a second one. */
	T_TRUE(t_sql("UPDATE parta.code_limit SET since = now() - interval"
	    " '2 hours' WHERE kind = 'sent' AND key = '%s'", phone) != NULL);
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=72"
	    "&mode=send"), 303);
	loc = t_header(&s.admin.c, "Location");
	snprintf(want, sizeof(want), "/org/%lld/invites?roster=%lld&made=2"
	    "&sent=2#", s.org, ros);
	T_TRUE(loc != NULL && strncmp(loc, want, strlen(want)) == 0);
	T_EQ(t_outbox_count(phone), 7);
	T_EQ(t_outbox_count(mail), 1);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND link_sent_at IS NOT NULL", org), 9);

	/* The two without contacts get cards, in a sheet of their own. */
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=72"
	    "&mode=print"), 303);
	loc = t_header(&s.admin.c, "Location");
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/", s.org);
	T_TRUE(loc != NULL && strncmp(loc, want, strlen(want)) == 0);
	T_EQ(t_get(&s.admin.c, loc), 200);
	T_HAS(&s.admin.c, "Бесконтактный0 Ученик");
	T_HAS(&s.admin.c, "Бесконтактный1 Ученик");
	T_LACKS(&s.admin.c, "Двойной0");
	t_client_free(&s.admin.c);
}

/*
 * The batches on /org/N/invites: a list of names and the roster's, with
 * links, applications and joined (by the link, or the row joined by
 * whatever way); ?roster=ID shows only the roster's.  The sheet prints
 * again, every card with its expiry.
 */
static void
batches_listed(void)
{
	struct school	 s;
	struct t_person	 j1;
	long long	 ros, rb, nb, inv, app, other;
	const char	*org;
	char		 orgbuf[24];
	char		 path[128], want[128], expires[64];
	struct t_mp	 m = { 0 };
	const char	*p;
	int		 cards = 0;

	school_new(&s, "Листова");
	snprintf(orgbuf, sizeof(orgbuf), "%lld", s.org);
	org = orgbuf;
	ros = roster_new(&s);
	rows_add(&s, ros, 2, 4, s.a, "Листовой", "NULL", "NULL");
	T_EQ(roster_post(&s.admin.c, s.org, ros, t_fmt("class_id=%lld"
	    "&ttl_hours=48&mode=print", s.a)), 303);
	rb = t_ll(t_sql("SELECT id FROM parta.invite_batch WHERE org_id = %lld"
	    " AND roster_id = %lld", s.org, ros));
	T_TRUE(rb > 0);
	/* A list of names too. */
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", s.org);
	t_form(&s.admin.c, path);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "role", "student");
	t_mp_field(&m, "class_id", t_fmt("%lld", s.b));
	t_mp_field(&m, "ttl_hours", "24");
	t_mp_field(&m, "names", "Именной Иван\nИменная Инна");
	T_EQ(t_mp_post(&s.admin.c, path, &m), 303);
	nb = t_ll(t_sql("SELECT id FROM parta.invite_batch WHERE org_id = %lld"
	    " AND roster_id IS NULL", s.org));
	T_TRUE(nb > 0);

	/* One joins by their link and is accepted; another row joins by
	 * some other way. */
	t_signup(&j1, "Вступивший", "Юрий");
	inv = t_ll(t_sql("SELECT invite_id FROM parta.roster_row WHERE org_id ="
	    " %lld AND roster_id = %lld AND line = 2", s.org, ros));
	T_TRUE(t_sql("UPDATE parta.invite SET uses = 1 WHERE org_id = %lld AND"
	    " id = %lld", s.org, inv) != NULL);
	app = t_ll(t_sql("INSERT INTO parta.application (org_id, account_id,"
	    " role, class_id, invite_id) VALUES (%lld, %lld, 'student', %lld,"
	    " %lld) RETURNING id", s.org, j1.id, s.a, inv));
	/* Accepted (by the reviewer, unless the roster accepted it as it
	 * was filed: the link was made for the row). */
	T_TRUE(t_sql("SELECT parta.application_decide(%lld, %lld, %lld,"
	    " 'accepted', '', NULL) FROM parta.application WHERE org_id = %lld"
	    " AND id = %lld AND status = 'pending'", s.org, app, s.admin.id,
	    s.org, app) != NULL);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "accepted");
	other = t_account_add("Другойпуть");
	T_TRUE(t_sql("UPDATE parta.roster_row SET state = 'joined', account_id"
	    " = %lld, joined_at = now() WHERE org_id = %lld AND roster_id ="
	    " %lld AND line = 3", other, s.org, ros) != NULL);

	snprintf(path, sizeof(path), "/org/%lld/invites", s.org);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Листы личных ссылок");
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/%lld\"", s.org,
	    rb);
	T_HAS(&s.admin.c, want);
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/%lld\"", s.org,
	    nb);
	T_HAS(&s.admin.c, want);
	snprintf(want, sizeof(want), "по списку №%lld", ros);
	T_HAS(&s.admin.c, want);
	T_LACKS(&s.admin.c, "отправлены по SMS или почте");
	T_HAS(&s.admin.c, "<td data-label=\"Ссылок\">4</td>");
	T_HAS(&s.admin.c, "<td data-label=\"Подали заявку\">1</td>");
	T_HAS(&s.admin.c, "<td data-label=\"Вступили\">2 из 4</td>");
	T_HAS(&s.admin.c, "<td data-label=\"Вступили\">0 из 2</td>");
	/* Only the roster's. */
	snprintf(path, sizeof(path), "/org/%lld/invites?roster=%lld", s.org,
	    ros);
	T_EQ(t_get(&s.admin.c, path), 200);
	snprintf(want, sizeof(want), "Личные ссылки по списку №%lld", ros);
	T_HAS(&s.admin.c, want);
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/%lld\"", s.org,
	    rb);
	T_HAS(&s.admin.c, want);
	snprintf(want, sizeof(want), "/org/%lld/invites/batches/%lld\"", s.org,
	    nb);
	T_LACKS(&s.admin.c, want);
	/* The batch's page names the roster. */
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld", s.org,
	    rb);
	T_EQ(t_get(&s.admin.c, path), 200);
	snprintf(want, sizeof(want), "/org/%lld/roster/%lld\"", s.org, ros);
	T_HAS(&s.admin.c, want);

	/* Printed again: the 3 unused links, each card with its expiry. */
	snprintf(expires, sizeof(expires), "<strong class=\"cut-expires\">"
	    "Действует до %s.</strong>", t_sql("SELECT parta.local_time("
	    "i.expires_at, rg.tz) FROM parta.invite i JOIN parta.org o ON"
	    " o.id = i.org_id JOIN parta.region rg ON rg.code = o.region"
	    " WHERE i.org_id = %lld AND i.batch_id = %lld LIMIT 1", s.org,
	    rb));
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld/print",
	    s.org, rb);
	T_EQ(t_get(&s.admin.c, path), 200);
	for (p = s.admin.c.r.body; (p = strstr(p, "<article class=\"cut\">"))
	    != NULL; p++) {
		const char *e = strstr(p, "</article>"), *x = strstr(p, expires);

		T_TRUE(e != NULL && x != NULL && x < e);
		cards++;
	}
	T_EQ(cards, 3);
	/* A roster card says the school expects the person; a card of a
	 * list of names, that the school will review the application. */
	T_HAS(&s.admin.c, "школа ждёт вас и примет сразу");
	T_LACKS(&s.admin.c, "её рассмотрит школа");
	T_HAS(&s.admin.c, "Листовой1 Ученик");
	T_LACKS(&s.admin.c, "Листовой0 Ученик");
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld/csv",
	    s.org, rb);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "Листовой0 Ученик");
	T_HAS(&s.admin.c, "использована");
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld/print",
	    s.org, nb);
	T_EQ(t_get(&s.admin.c, path), 200);
	T_HAS(&s.admin.c, "её рассмотрит школа");
	T_LACKS(&s.admin.c, "примет сразу");
	T_EQ(count_sql("SELECT count(*) FROM parta.invite_batch WHERE org_id ="
	    " %s", org), 2);
	t_client_free(&j1.c);
	t_client_free(&s.admin.c);
}

/*
 * A removed person whose row is on the roster: the roster link answers
 * the barred page, files nothing and keeps its use.  A rejected one: the
 * link brings them no second application, nobody else can use it, and a
 * new click makes them no new link.
 */
static void
barred_and_rejected(void)
{
	struct school	 s;
	struct t_person	 out, rej;
	long long	 ros, app, inv;
	const char	*org;
	char		 orgbuf[24];
	char		 tok[2][TOKEN_LEN + 1], path[128], sql[256];

	school_new(&s, "Строгова");
	snprintf(orgbuf, sizeof(orgbuf), "%lld", s.org);
	org = orgbuf;
	t_person_new(&out, "Исключённый", "Иван", s.org, "student");
	T_STREQ(t_sql("SELECT parta.member_end(%lld, %lld, %lld, 'removed')",
	    s.org, out.id, s.admin.id), "ok");
	t_signup(&rej, "Отклонённый", "Олег");
	ros = roster_new(&s);
	T_TRUE(t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, state, class_id) VALUES"
	    " (%lld, %lld, 2, 'Исключённый', 'Иван', 'student', 'expected',"
	    " %lld), (%lld, %lld, 3, 'Отклонённый', 'Олег', 'student',"
	    " 'expected', %lld)", s.org, ros, s.a, s.org, ros, s.a) != NULL);
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=24"
	    "&mode=print"), 303);
	T_EQ(t_get(&s.admin.c, t_header(&s.admin.c, "Location")), 200);
	T_EQ(page_tokens(&s.admin.c, tok, 2), 2);
	/* Which token is whose: by the stored hash. */
	snprintf(sql, sizeof(sql), "SELECT rr.line FROM parta.roster_row rr"
	    " JOIN parta.invite i ON i.org_id = rr.org_id AND i.id ="
	    " rr.invite_id WHERE i.token_hash = sha256(convert_to('%s',"
	    " 'UTF8'))", tok[0]);
	if (strcmp(t_sql("%s", sql), "2") != 0) {
		char	 t[TOKEN_LEN + 1];

		memcpy(t, tok[0], sizeof(t));
		memcpy(tok[0], tok[1], sizeof(t));
		memcpy(tok[1], t, sizeof(t));
	}

	/* The removed one: barred, nothing filed, the use kept. */
	snprintf(path, sizeof(path), "/join/%s", tok[0]);
	T_EQ(t_get(&out.c, path), 403);
	T_HAS(&out.c, "Вас исключили");
	T_EQ(t_postf(&out.c, path, "x=1"), 403);
	T_EQ(count_sql("SELECT count(*) FROM parta.application WHERE org_id ="
	    " %s", org), 0);
	T_EQ(count_sql("SELECT count(*) FROM parta.member WHERE org_id = %s"
	    " AND role = 'student'", org), 0);
	T_EQ(count_sql("SELECT sum(uses) FROM parta.invite WHERE org_id = %s",
	    org), 0);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND state = 'expected'", org), 2);

	/* The rejected one: they followed their link and a reviewer said
	 * no (put as join.c and application_decide leave it, the use
	 * consumed; filed as pending today, the roster would accept it at
	 * once).  The link again: their rejected application, nothing new. */
	snprintf(path, sizeof(path), "/join/%s", tok[1]);
	snprintf(sql, sizeof(sql), "SELECT id FROM parta.invite WHERE"
	    " token_hash = sha256(convert_to('%s', 'UTF8'))", tok[1]);
	inv = t_ll(t_sql("%s", sql));
	T_TRUE(t_sql("UPDATE parta.invite SET uses = 1 WHERE org_id = %lld AND"
	    " id = %lld", s.org, inv) != NULL);
	app = t_ll(t_sql("INSERT INTO parta.application (org_id, account_id,"
	    " role, class_id, invite_id, status, reason, decided_by,"
	    " decided_at) VALUES (%lld, %lld, 'student', %lld, %lld,"
	    " 'rejected', 'Не наш ученик', %lld, now()) RETURNING id", s.org,
	    rej.id, s.a, inv, s.admin.id));
	T_TRUE(app > 0);
	T_EQ(t_get(&rej.c, path), 200);
	T_EQ(t_postf(&rej.c, path, "x=1"), 303);
	T_STREQ(t_header(&rej.c, "Location"), t_fmt("/me/applications/%lld",
	    app));
	T_EQ(count_sql("SELECT count(*) FROM parta.application WHERE org_id ="
	    " %s", org), 1);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND state = 'expected'", org), 2);
	T_EQ(count_sql("SELECT count(*) FROM parta.member WHERE org_id = %s"
	    " AND role = 'student'", org), 0);
	/* Nobody else gets in by it. */
	t_form(&out.c, "/me");
	T_EQ(t_postf(&out.c, path, "x=1"), 403);
	{
		struct t_person	 third;

		t_signup(&third, "Третий", "Тимур");
		t_form(&third.c, path);
		T_EQ(t_postf(&third.c, path, "x=1"), 410);
		t_client_free(&third.c);
	}
	/* No new link for either: one used, one still live. */
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=24"
	    "&mode=print"), 303);
	T_EQ(t_get(&s.admin.c, t_header(&s.admin.c, "Location")), 200);
	T_HAS(&s.admin.c, "Новых ссылок не понадобилось");
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 2);
	t_client_free(&out.c);
	t_client_free(&rej.c);
	t_client_free(&s.admin.c);
}

/* The one roster link of roster ros made last (its page), into tok. */
static void
card_of(struct school *s, long long ros, char tok[TOKEN_LEN + 1])
{
	char	 t[1][TOKEN_LEN + 1];

	T_EQ(roster_post(&s->admin.c, s->org, ros, "class_id=&ttl_hours=24"
	    "&mode=print"), 303);
	T_EQ(t_get(&s->admin.c, t_header(&s->admin.c, "Location")), 200);
	T_EQ(page_tokens(&s->admin.c, t, 1), 1);
	memcpy(tok, t[0], TOKEN_LEN + 1);
}

/*
 * A card used by someone of other names waits in the queue, the note
 * naming the row and why («Новый Никита, 7Р — имя не совпадает»).  A
 * person removed from the school on a roster not applied yet: the
 * preview says they will not be let in.  After the administrator hands
 * over, the old one's roster is no longer in force: its page, the list
 * and the links form say so, and a card the new administrator makes for
 * it accepts nobody at once (the note says why).
 */
static void
card_other_barred_handover(void)
{
	struct school	 s;
	struct t_person	 other, out, next, owner;
	long long	 ros, draft, app;
	char		 tok[TOKEN_LEN + 1], path[128], cls[64];

	school_new(&s, "Сменова");
	snprintf(cls, sizeof(cls), "%s", t_sql("SELECT parta.class_name_of("
	    "%lld, %lld)", s.org, s.a));
	ros = roster_new(&s);
	T_TRUE(t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, state, class_id) VALUES"
	    " (%lld, %lld, 12, 'Новый', 'Никита', 'student', 'expected',"
	    " %lld)", s.org, ros, s.a) != NULL);
	card_of(&s, ros, tok);
	t_signup(&other, "Посторонняя", "Полина");
	snprintf(path, sizeof(path), "/join/%s", tok);
	t_form(&other.c, path);
	T_EQ(t_postf(&other.c, path, "x=1"), 303);
	app = t_ll(t_sql("SELECT id FROM parta.application WHERE org_id ="
	    " %lld AND account_id = %lld", s.org, other.id));
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "pending");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/applications", s.org)), 200);
	T_HAS(&s.admin.c, t_fmt("строку 12 списка №%lld</a>: Новый Никита, "
	    "%s — имя не совпадает", ros, cls));
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/applications/%lld", s.org,
	    app)), 200);
	T_HAS(&s.admin.c, t_fmt("строку 12 списка №%lld</a>: Новый Никита, "
	    "%s — имя не совпадает", ros, cls));

	/* Removed, on a draft roster: not let in, the preview says. */
	t_person_new(&out, "Исключённая", "Ирина", s.org, "student");
	T_STREQ(t_sql("SELECT parta.member_end(%lld, %lld, %lld, 'removed')",
	    s.org, out.id, s.admin.id), "ok");
	draft = t_ll(t_sql("INSERT INTO parta.roster (org_id, created_by,"
	    " file_hash, row_count) VALUES (%lld, %lld, sha256(convert_to("
	    "random()::text, 'UTF8')), 1) RETURNING id", s.org, s.admin.id));
	T_TRUE(t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, class_text, grade, letter, phone)"
	    " SELECT %lld, %lld, 2, 'Исключённая', 'Ирина', 'student', '7',"
	    " 7, c.letter, p.phone FROM parta.class c, parta.account p"
	    " WHERE c.org_id = %lld AND c.id = %lld AND p.id = %lld", s.org,
	    draft, s.org, s.a, out.id) != NULL);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.org, draft)),
	    200);
	T_HAS(&s.admin.c, "Исключён(а) из школы — не примем, пока не снят "
	    "запрет");
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/roster/%lld/apply", s.org,
	    draft), "all=1"), 422);
	T_STREQ(t_sql("SELECT state FROM parta.roster_row WHERE org_id = %lld"
	    " AND roster_id = %lld", s.org, draft), "draft");

	/* The handover: the old administrator is one no more. */
	t_person_new(&next, "Новая", "Нора", s.org, "teacher");
	T_TRUE(t_sql("UPDATE parta.member SET role = CASE account_id WHEN"
	    " %lld THEN 'teacher' ELSE 'admin' END WHERE org_id = %lld AND"
	    " account_id IN (%lld, %lld)", s.admin.id, s.org, s.admin.id,
	    next.id) != NULL);
	T_EQ(t_get(&next.c, t_fmt("/org/%lld/roster/%lld", s.org, ros)), 200);
	T_HAS(&next.c, "Список больше не действует: у применивших его больше "
	    "нет прав. Загрузите его заново, чтобы людей принимали сразу");
	T_LACKS(&next.c, "по ней его примут сразу");
	T_EQ(t_get(&next.c, t_fmt("/org/%lld/roster", s.org)), 200);
	T_HAS(&next.c, "Список больше не действует: у применивших");
	T_HAS(&next.c, "Список больше не действует: сразу не примем");
	T_HAS(&next.c, "кроме тех, чей список больше не действует");
	T_EQ(t_get(&next.c, t_fmt("/org/%lld/invites/bulk?roster_id=%lld",
	    s.org, ros)), 200);
	T_HAS(&next.c, "Список больше не действует");
	/* A card the new administrator makes: nobody accepted at once. */
	T_TRUE(t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, state, class_id) VALUES"
	    " (%lld, %lld, 13, 'Владелец', 'Вадим', 'student', 'expected',"
	    " %lld)", s.org, ros, s.a) != NULL);
	{
		struct t_person	 keep = s.admin;

		s.admin = next;
		card_of(&s, ros, tok);
		next = s.admin;
		s.admin = keep;
	}
	/* Its sheet promises nothing the roster no longer does. */
	T_EQ(t_get(&next.c, t_fmt("/org/%lld/invites/batches/%s/print", s.org,
	    t_sql("SELECT max(id) FROM parta.invite_batch WHERE org_id ="
	    " %lld", s.org))), 200);
	T_HAS(&next.c, "Отправьте заявку — её рассмотрит школа.");
	T_LACKS(&next.c, "школа ждёт вас и примет сразу");
	t_signup(&owner, "Владелец", "Вадим");
	snprintf(path, sizeof(path), "/join/%s", tok);
	t_form(&owner.c, path);
	T_EQ(t_postf(&owner.c, path, "x=1"), 303);
	T_STREQ(t_sql("SELECT status || ' ' || roster_line || ' ' ||"
	    " roster_why FROM parta.application WHERE org_id = %lld AND"
	    " account_id = %lld", s.org, owner.id), "pending 13 off");
	T_EQ(t_get(&next.c, t_fmt("/org/%lld/applications", s.org)), 200);
	T_HAS(&next.c, "Владелец Вадим, ");
	T_HAS(&next.c, " — список больше не действует");
	t_client_free(&other.c);
	t_client_free(&out.c);
	t_client_free(&owner.c);
	t_client_free(&next.c);
	t_client_free(&s.admin.c);
}

/*
 * Who: a homeroom teacher makes their class's links (and sees them),
 * not another class's (403), nor any of a roster they may not see, as
 * the roster's own page (403); another organization's admin: 404; the
 * form's errors: 422, nothing made; a roster not applied yet: 409.
 */
static void
who_and_errors(void)
{
	struct school	 s, t;
	struct t_person	 hr;
	long long	 ros, draft, mine;
	const char	*org;
	char		 orgbuf[24];
	char		 path[128];

	school_new(&s, "Классова");
	school_new(&t, "Чужова");
	snprintf(orgbuf, sizeof(orgbuf), "%lld", s.org);
	org = orgbuf;
	t_person_new(&hr, "Руководитель", "Роман", s.org, "teacher");
	t_class_member_add(s.org, s.a, hr.id, "homeroom");
	ros = roster_new(&s);
	rows_add(&s, ros, 2, 3, s.a, "Свой", "NULL", "NULL");
	rows_add(&s, ros, 5, 2, s.b, "Чужой", "NULL", "NULL");

	/* Another school's admin knows nothing of this roster. */
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk?roster_id=%lld",
	    t.org, ros);
	T_EQ(t_get(&t.admin.c, path), 404);
	t_form(&t.admin.c, t_fmt("/org/%lld/invites/bulk", t.org));
	T_EQ(t_postf(&t.admin.c, t_fmt("/org/%lld/invites/bulk", t.org),
	    "roster_id=%lld&class_id=&ttl_hours=24&mode=print", ros), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk?roster_id=%lld",
	    s.org, ros);
	T_EQ(t_get(&t.admin.c, path), 404);

	/* Bad fields: 422 by the field, nothing made. */
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=337"
	    "&mode=print"), 422);
	T_HAS(&s.admin.c, "id=\"ttl_hours_error\"");
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=24"
	    "&mode=fax"), 422);
	T_HAS(&s.admin.c, "id=\"mode_error\"");
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=x&ttl_hours=24"
	    "&mode=print"), 422);
	T_HAS(&s.admin.c, "id=\"class_id_error\"");
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 0);
	/* Not applied yet. */
	draft = t_ll(t_sql("INSERT INTO parta.roster (org_id, created_by,"
	    " file_hash, row_count) VALUES (%lld, %lld, sha256('d'), 0)"
	    " RETURNING id", s.org, s.admin.id));
	T_EQ(roster_post(&s.admin.c, s.org, draft, "class_id=&ttl_hours=24"
	    "&mode=print"), 409);

	/* The homeroom teacher: not the admin's roster, which its page
	 * refuses them too (not even its name). */
	T_EQ(t_get(&hr.c, t_fmt("/org/%lld/roster/%lld", s.org, ros)), 403);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk?roster_id=%lld",
	    s.org, ros);
	T_EQ(t_get(&hr.c, path), 403);
	T_LACKS(&hr.c, "список.csv");
	t_form(&hr.c, t_fmt("/org/%lld/invites/bulk", s.org));
	T_EQ(t_postf(&hr.c, t_fmt("/org/%lld/invites/bulk", s.org),
	    "roster_id=%lld&class_id=&ttl_hours=24&mode=print", ros), 403);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 0);
	/* Their own roster: not the other class; their own, yes. */
	mine = roster_by(&s, hr.id, s.a);
	rows_add(&s, mine, 2, 3, s.a, "Свой", "NULL", "NULL");
	rows_add(&s, mine, 5, 2, s.b, "Чужой", "NULL", "NULL");
	T_EQ(t_get(&hr.c, t_fmt("/org/%lld/roster/%lld", s.org, mine)), 200);
	T_EQ(roster_post(&hr.c, s.org, mine, t_fmt("class_id=%lld"
	    "&ttl_hours=24&mode=print", s.b)), 403);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 0);
	T_EQ(roster_post(&hr.c, s.org, mine, "class_id=&ttl_hours=24"
	    "&mode=print"), 303);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 3);
	T_EQ(count_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %s AND last_name LIKE 'Чужой%%' AND invite_id IS NOT NULL", org),
	    0);
	T_EQ(t_get(&hr.c, t_header(&hr.c, "Location")), 200);
	T_HAS(&hr.c, "Свой0 Ученик");
	/* The admin makes the links of their own roster. */
	T_EQ(roster_post(&s.admin.c, s.org, ros, "class_id=&ttl_hours=24"
	    "&mode=print"), 303);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    org), 8);
	/* The teacher does not see the other class's batch. */
	snprintf(path, sizeof(path), "/org/%lld/invites", s.org);
	T_EQ(t_get(&hr.c, path), 200);
	/* The page says who a link brings in at once: the roster's people. */
	T_HAS(&hr.c, "Тех, кто есть в загруженном списке школы");
	T_HAS(&hr.c, "примут сразу");
	T_LACKS(&hr.c, "только подаёт заявку");
	T_EQ(t_get(&hr.c, t_fmt("/org/%lld/invites/batches/%lld", s.org,
	    t_ll(t_sql("SELECT id FROM parta.invite_batch WHERE org_id = %lld"
	    " AND class_id = %lld", s.org, s.b)))), 403);
	t_client_free(&hr.c);
	t_client_free(&s.admin.c);
	t_client_free(&t.admin.c);
}

struct twice {
	struct t_client	*c[4];
	long long	 org, ros;
	long		 status[4];
};

static void
twice_one(int i, void *arg)
{
	struct twice	*x = arg;

	x->status[i] = t_postf(x->c[i], t_fmt("/org/%lld/invites/bulk",
	    x->org), "roster_id=%lld&class_id=&ttl_hours=24&mode=print",
	    x->ros);
}

/* Two administrators click at once, twice each: the roster's rows get
 * one link each. */
static void
clicks_at_once(void)
{
	struct school	 s;
	struct t_person	 second;
	struct t_client	 c[4];
	struct twice	 x;
	char		 orgbuf[24];
	int		 i;

	school_new(&s, "Двоякова");
	snprintf(orgbuf, sizeof(orgbuf), "%lld", s.org);
	t_person_new(&second, "Заместителева", "Зоя", s.org, "admin");
	memset(&x, 0, sizeof(x));
	x.org = s.org;
	x.ros = roster_new(&s);
	rows_add(&s, x.ros, 2, 30, s.a, "Одновременный", "NULL", "NULL");
	t_clients_of(&s.admin, c, 2);
	t_clients_of(&second, c + 2, 2);
	for (i = 0; i < 4; i++) {
		t_form(&c[i], t_fmt("/org/%lld/invites/bulk?roster_id=%lld",
		    s.org, x.ros));
		x.c[i] = &c[i];
	}
	t_parallel(4, twice_one, &x);
	for (i = 0; i < 4; i++)
		T_EQ(x.status[i], 303);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite WHERE org_id = %s",
	    orgbuf), 30);
	T_EQ(count_sql("SELECT count(DISTINCT invite_id) FROM"
	    " parta.roster_row WHERE org_id = %s", orgbuf), 30);
	T_EQ(count_sql("SELECT count(*) FROM parta.invite_batch WHERE org_id ="
	    " %s", orgbuf), 1);
	for (i = 0; i < 4; i++)
		t_client_free(&c[i]);
	t_client_free(&second.c);
	t_client_free(&s.admin.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "60 roster links: past the daily limit, not counted, each "
		    "works once", sixty_at_once },
		{ "sent by SMS and e-mail within each recipient's limit",
		    sent_within_limits },
		{ "batches listed with joined counts, printed again with "
		    "the expiry", batches_listed },
		{ "a removed or rejected person does not get in by a roster "
		    "link", barred_and_rejected },
		{ "a card used by another, a removed person, a handover",
		    card_other_barred_handover },
		{ "homeroom teacher, other organizations, errors",
		    who_and_errors },
		{ "clicks at once by two admins: one link a row",
		    clicks_at_once },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
