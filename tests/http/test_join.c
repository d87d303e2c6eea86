/*
 * Joining an organization (program join): the invite landing page, the
 * application it files and the use it consumes (under concurrency too),
 * dead links, logging in and coming back, self-submitted requests,
 * /me and withdrawal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* An invite link of org made by account by, for role and class (0 for
 * none), with max uses: its id; the token goes to token. */
static long long
invite_new(long long org, long long by, const char *role, long long class,
    int max_uses, char token[44])
{
	t_token_new(token);
	return t_invite_add(org, by, role, class, max_uses, token);
}

/* path with suffix appended (static ring of buffers). */
static const char *
path_cat(const char *path, const char *suffix)
{
	return t_fmt("%s%s", path, suffix);
}

/* A school with its admin and a class 5А. */
struct school {
	struct t_person	 admin;
	long long	 admin_id;
	long long	 org;
	long long	 class;
};

static void
school_new(struct school *s, const char *name)
{
	t_signup(&s->admin, "Директорова", "Анна");
	s->admin_id = s->admin.id;
	s->org = t_org_create(&s->admin, name);
	s->class = t_class_add(s->org, 5, "А", 2025);
}

static void
school_free(struct school *s)
{
	t_client_free(&s->admin.c);
}

static void
landing_log_in_and_come_back(void)
{
	struct school	 s;
	struct t_person	 p;
	struct t_client	 v;
	char		 token[44], path[128], want[256];
	long long	 inv, app;

	school_new(&s, "Гимназия Приглашений");
	t_signup(&p, "Ученикова", "Вера");
	inv = invite_new(s.org, s.admin_id, "student", s.class, 5, token);
	T_TRUE(inv > 0);
	snprintf(path, sizeof(path), "/join/%s", token);

	/* A visitor: the organization, the role, the class, and the way in
	 * that comes back here; nothing else of the school. */
	t_client_init(&v);
	T_EQ(t_get(&v, path), 200);
	T_HAS(&v, "Гимназия Приглашений");
	T_HAS(&v, "Ученик");
	T_HAS(&v, "5А");
	snprintf(want, sizeof(want), "/login?next=/join/%s", token);
	T_HAS(&v, want);
	snprintf(want, sizeof(want), "/register?next=/join/%s", token);
	T_HAS(&v, want);
	T_LACKS(&v, "/org/");
	T_LACKS(&v, "action=\"/join/");

	/* Log in from there: back on the link, now with the button. */
	snprintf(want, sizeof(want), "/login?next=/join/%s", token);
	t_form(&v, want);
	T_EQ(t_postf(&v, "/login", "login=%s&password=%s&next=%s",
	    t_enc(p.phone), t_enc(p.password), t_enc(path)), 303);
	T_STREQ(t_header(&v, "Location"), path);
	T_EQ(t_get(&v, path), 200);
	snprintf(want, sizeof(want), "action=\"/join/%s\"", token);
	T_HAS(&v, want);
	T_EQ(t_postf(&v, path, "x=1"), 303);
	app = t_id_after(t_header(&v, "Location"), "/me/applications/");
	T_TRUE(app > 0);
	T_STREQ(t_sql("SELECT status || ' ' || role || ' ' || class_id || ' '"
	    " || invite_id || ' ' || account_id FROM parta.application"
	    " WHERE id = %lld", app), t_sql("SELECT 'pending student %lld %lld"
	    " %lld'", s.class, inv, p.id));
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE id = %lld",
	    inv)), 1);
	snprintf(want, sizeof(want), "/me/applications/%lld", app);
	T_EQ(t_get(&v, want), 200);
	T_HAS(&v, "На рассмотрении");
	T_HAS(&v, "Гимназия Приглашений");
	T_HAS(&v, "по ссылке-приглашению");
	T_EQ(t_get(&v, "/me"), 200);
	T_HAS(&v, want);
	T_HAS(&v, "На рассмотрении");

	/* Opening the link again shows the application, no button. */
	T_EQ(t_get(&v, path), 200);
	T_HAS(&v, want);
	snprintf(want, sizeof(want), "action=\"/join/%s\"", token);
	T_LACKS(&v, want);
	t_client_free(&v);
	t_client_free(&p.c);
	school_free(&s);
}

static void
register_and_come_back(void)
{
	struct school	 s;
	struct t_client	 v;
	char		 token[44], path[128], want[256], phone[16];

	school_new(&s, "Лицей Новичков");
	T_TRUE(invite_new(s.org, s.admin_id, "teacher", 0, 3, token) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	t_client_init(&v);
	snprintf(want, sizeof(want), "/register?next=/join/%s", token);
	t_form(&v, want);
	snprintf(want, sizeof(want), "name=\"next\" value=\"%s\"", path);
	T_HAS(&v, want);
	t_unique_phone(phone);
	T_EQ(t_postf(&v, "/register", "last_name=%s&first_name=%s&gender=m"
	    "&birth_date=1980-01-02&phone=%s&email=&consent=1&password=long-enough-1"
	    "&next=%s", t_enc("Новиков"), t_enc("Олег"), t_enc(phone),
	    t_enc(path)), 303);
	snprintf(want, sizeof(want), "/verify?next=/join/%s", token);
	T_STREQ(t_header(&v, "Location"), want);

	/* Not verified yet: applying sends to /verify and back. */
	T_EQ(t_get(&v, path), 200);
	T_HAS(&v, "подтвердите телефон или почту");
	T_EQ(t_postf(&v, path, "x=1"), 303);
	T_STREQ(t_header(&v, "Location"), want);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld",
	    s.org)), 0);

	t_form(&v, want);
	T_EQ(t_postf(&v, "/verify", "code=%s&next=%s", t_outbox_code(phone),
	    t_enc(path)), 303);
	T_STREQ(t_header(&v, "Location"), path);
	T_EQ(t_get(&v, path), 200);
	T_HAS(&v, "Учитель");
	T_EQ(t_postf(&v, path, "x=1"), 303);
	T_TRUE(t_id_after(t_header(&v, "Location"), "/me/applications/") > 0);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld",
	    s.org)), 1);
	t_client_free(&v);
	school_free(&s);
}

struct same {
	struct t_client	*c[2];
	const char	*path;
	long		 status[2];
	char		 where[2][128];
};

static void
same_post(int i, void *arg)
{
	struct same	*x = arg;
	const char	*h;

	x->status[i] = t_postf(x->c[i], x->path, "x=1");
	h = t_header(x->c[i], "Location");
	snprintf(x->where[i], sizeof(x->where[i]), "%s", h ? h : "");
}

static void
same_person_twice(void)
{
	struct school	 s;
	struct t_person	 p, again;
	struct same	 x;
	char		 token[44], path[128], first[128], other[44];
	long long	 inv, inv2;
	int		 k;

	school_new(&s, "Школа Повторов");
	t_signup(&p, "Повторов", "Павел");
	inv = invite_new(s.org, s.admin_id, "student", s.class, 5, token);
	snprintf(path, sizeof(path), "/join/%s", token);
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	snprintf(first, sizeof(first), "%s", t_header(&p.c, "Location"));
	/* Again: the same application, no second use. */
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), first);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE id = %lld",
	    inv)), 1);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
	    " WHERE org_id = %lld", s.org)), 1);
	/* Another link of the same school while pending: the pending one. */
	inv2 = invite_new(s.org, s.admin_id, "student", s.class, 5, other);
	snprintf(path, sizeof(path), "/join/%s", other);
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), first);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE id = %lld",
	    inv2)), 0);

	/* Two tabs at the same moment, repeated: one use, one application. */
	again = p;
	t_login(&again);
	for (k = 0; k < 5; k++) {
		t_form(&p.c, first);
		T_EQ(t_postf(&p.c, path_cat(first, "/withdraw"), "x=1"), 303);
		inv = invite_new(s.org, s.admin_id, "student", s.class, 5,
		    token);
		snprintf(path, sizeof(path), "/join/%s", token);
		t_form(&p.c, path);
		t_form(&again.c, path);
		memset(&x, 0, sizeof(x));
		x.c[0] = &p.c;
		x.c[1] = &again.c;
		x.path = path;
		t_parallel(2, same_post, &x);
		T_EQ(x.status[0], 303);
		T_EQ(x.status[1], 303);
		T_STREQ(x.where[0], x.where[1]);
		T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite"
		    " WHERE id = %lld", inv)), 1);
		T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
		    " WHERE org_id = %lld AND invite_id = %lld", s.org, inv)),
		    1);
		snprintf(first, sizeof(first), "%s", x.where[0]);
	}
	t_client_free(&again.c);
	t_client_free(&p.c);
	school_free(&s);
}

static void
dead_links(void)
{
	struct school	 s;
	struct t_person	 p, q;
	char		 token[44], path[128];
	long long	 inv;

	school_new(&s, "Школа Старых Ссылок");
	t_signup(&p, "Опоздалов", "Денис");
	t_signup(&q, "Вторая", "Попытка");

	/* Unknown token: 404, logged in or not. */
	T_EQ(t_get(&p.c, "/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
	    404);
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, "/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "x=1"), 404);
	T_EQ(t_get(&p.c, "/join/bad.token"), 404);

	/* Expired: the clock moved in the database. */
	inv = invite_new(s.org, s.admin_id, "student", s.class, 5, token);
	snprintf(path, sizeof(path), "/join/%s", token);
	T_TRUE(t_sql("UPDATE parta.invite SET created_at = now() -"
	    " interval '3 days', expires_at = now() - interval '1 minute'"
	    " WHERE id = %lld", inv) != NULL);
	T_EQ(t_get(&p.c, path), 410);
	T_HAS(&p.c, "Школа Старых Ссылок");
	T_HAS(&p.c, "Срок действия ссылки истёк");
	T_HAS(&p.c, "новую");
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, path, "x=1"), 410);
	/* Visitors are told the same. */
	{
		struct t_client v;

		t_client_init(&v);
		T_EQ(t_get(&v, path), 410);
		T_HAS(&v, "Срок действия ссылки истёк");
		T_LACKS(&v, "/login?next=");
		t_client_free(&v);
	}

	/* Revoked. */
	inv = invite_new(s.org, s.admin_id, "student", s.class, 5, token);
	snprintf(path, sizeof(path), "/join/%s", token);
	T_TRUE(t_sql("UPDATE parta.invite SET revoked_at = now()"
	    " WHERE id = %lld", inv) != NULL);
	T_EQ(t_get(&p.c, path), 410);
	T_HAS(&p.c, "Ссылку отозвали");
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, path, "x=1"), 410);

	/* Used up: one use, taken by q. */
	inv = invite_new(s.org, s.admin_id, "student", s.class, 1, token);
	snprintf(path, sizeof(path), "/join/%s", token);
	t_form(&q.c, path);
	T_EQ(t_postf(&q.c, path, "x=1"), 303);
	T_EQ(t_get(&p.c, path), 410);
	T_HAS(&p.c, "столько людей");
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, path, "x=1"), 410);
	/* ...but q, who used it, still sees their application. */
	T_EQ(t_get(&q.c, path), 200);
	T_HAS(&q.c, "/me/applications/");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
	    " WHERE org_id = %lld", s.org)), 1);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE id = %lld",
	    inv)), 1);
	t_client_free(&p.c);
	t_client_free(&q.c);
	school_free(&s);
}

#define CROWD	20
#define USES	5
#define ROUNDS	20

struct crowd {
	struct t_person	 p[CROWD];
	const char	*path;
	long		 status[CROWD];
	char		 where[CROWD][128];
};

static void
crowd_post(int i, void *arg)
{
	struct crowd	*x = arg;
	const char	*h;

	x->status[i] = t_postf(&x->p[i].c, x->path, "x=1");
	h = t_header(&x->p[i].c, "Location");
	snprintf(x->where[i], sizeof(x->where[i]), "%s", h ? h : "");
}

static void
link_never_used_beyond_max(void)
{
	static struct crowd	 x;
	struct school		 s;
	char			 token[44], path[128];
	long long		 inv;
	int			 i, round, ok, gone;

	school_new(&s, "Школа Толпы");
	for (i = 0; i < CROWD; i++)
		t_signup(&x.p[i], "Толпов", "Тимур");
	for (round = 0; round < ROUNDS; round++) {
		inv = invite_new(s.org, s.admin_id, "student", s.class, USES,
		    token);
		T_TRUE(inv > 0);
		snprintf(path, sizeof(path), "/join/%s", token);
		x.path = path;
		for (i = 0; i < CROWD; i++)
			t_form(&x.p[i].c, path);
		t_parallel(CROWD, crowd_post, &x);
		ok = gone = 0;
		for (i = 0; i < CROWD; i++) {
			if (x.status[i] == 303 && strncmp(x.where[i],
			    "/me/applications/", 17) == 0)
				ok++;
			else if (x.status[i] == 410)
				gone++;
		}
		if (ok != USES || gone != CROWD - USES)
			T_FAIL("round %d: %d applications, %d gone", round, ok,
			    gone);
		/* Uses and applications both exactly the maximum. */
		T_EQ(t_ll(t_sql("SELECT uses * 1000 + (SELECT count(*)"
		    " FROM parta.application WHERE org_id = %lld AND"
		    " invite_id = %lld) FROM parta.invite WHERE id = %lld",
		    s.org, inv, inv)), USES * 1000 + USES);
		/* The winners withdraw, so that all can try the next link. */
		for (i = 0; i < CROWD; i++) {
			if (x.status[i] != 303)
				continue;
			t_form(&x.p[i].c, x.where[i]);
			T_EQ(t_postf(&x.p[i].c, path_cat(x.where[i],
			    "/withdraw"), "x=1"), 303);
		}
	}
	for (i = 0; i < CROWD; i++)
		t_client_free(&x.p[i].c);
	school_free(&s);
}

static void
self_request(void)
{
	struct school	 s, other;
	struct t_person	 p;
	char		 path[128], want[256], name[64], inn[16];
	long long	 app, foreign;
	unsigned char	 b[4];

	t_random(b, sizeof(b));
	/* Digits: a page shows no Latin word (test_words). */
	snprintf(name, sizeof(name), "Школа Поиска %u",
	    (unsigned)b[0] << 24 | (unsigned)b[1] << 16 | (unsigned)b[2] << 8 |
	    b[3]);
	school_new(&s, name);
	school_new(&other, "Чужая Школа");
	t_signup(&p, "Самостоятельная", "Софья");
	T_TRUE(t_sql("UPDATE parta.org SET address = 'г. Томск, ул. Ленина, 1',"
	    " phone = '+73822000000' WHERE id = %lld", s.org) != NULL);
	snprintf(inn, sizeof(inn), "%s", t_sql("SELECT inn FROM parta.org"
	    " WHERE id = %lld", s.org));
	snprintf(path, sizeof(path), "/org/%lld/apply", s.org);

	/* The search form; by a piece of the name in any case; by INN; by
	 * region; the card shows name, type, region, address only. */
	T_EQ(t_get(&p.c, "/orgs"), 200);
	T_HAS(&p.c, "Томская область");
	snprintf(want, sizeof(want), "/orgs?region=70&q=%s",
	    t_enc(strchr(name, ' ') + 1));
	T_EQ(t_get(&p.c, want), 200);
	T_HAS(&p.c, path);
	T_HAS(&p.c, name);
	T_HAS(&p.c, "Томская область");
	T_HAS(&p.c, "ул. Ленина");
	T_LACKS(&p.c, "+73822000000");
	snprintf(want, sizeof(want), "/orgs?q=%s", t_enc("шКОЛА пОИСКА"));
	T_EQ(t_get(&p.c, want), 200);
	T_HAS(&p.c, path);
	snprintf(want, sizeof(want), "/orgs?q=%s", inn);
	T_EQ(t_get(&p.c, want), 200);
	T_HAS(&p.c, path);
	snprintf(want, sizeof(want), "/orgs?region=01&q=%s", t_enc(name));
	T_EQ(t_get(&p.c, want), 200);
	T_LACKS(&p.c, path);
	T_HAS(&p.c, "Ничего не найдено");
	T_EQ(t_get(&p.c, "/orgs?region=00"), 422);
	T_HAS(&p.c, "id=\"region_error\"");
	T_EQ(t_get(&p.c, "/orgs?region=7x"), 422);

	/* The form. */
	T_EQ(t_get(&p.c, path), 200);
	T_HAS(&p.c, name);
	T_HAS(&p.c, "5А");
	T_LACKS(&p.c, "+73822000000");
	T_EQ(t_get(&p.c, "/org/999999999/apply"), 404);
	/* Bad fields: 422, messages by the fields, choice kept. */
	T_EQ(t_postf(&p.c, path, "role=student&class_id="), 422);
	T_HAS(&p.c, "id=\"class_id_error\"");
	T_HAS(&p.c, "value=\"student\" checked");
	T_EQ(t_postf(&p.c, path, "role=director&class_id="), 422);
	T_HAS(&p.c, "id=\"role_error\"");
	foreign = other.class;
	T_EQ(t_postf(&p.c, path, "role=student&class_id=%lld", foreign), 422);
	T_HAS(&p.c, "Такого класса в организации нет");
	T_EQ(t_postf(&p.c, path, "role=student&class_id=abc"), 422);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
	    " WHERE account_id = %lld", p.id)), 0);

	T_EQ(t_postf(&p.c, path, "role=student&class_id=%lld", s.class), 303);
	app = t_id_after(t_header(&p.c, "Location"), "/me/applications/");
	T_TRUE(app > 0);
	T_STREQ(t_sql("SELECT status || ' ' || role || ' ' || class_id || ' '"
	    " || (invite_id IS NULL) FROM parta.application WHERE id = %lld",
	    app), t_sql("SELECT 'pending student %lld true'", s.class));
	snprintf(want, sizeof(want), "/me/applications/%lld", app);
	T_EQ(t_get(&p.c, want), 200);
	T_HAS(&p.c, "самостоятельно");
	T_HAS(&p.c, "5А");
	/* Pending already: 409 with the way to it. */
	T_EQ(t_get(&p.c, path), 409);
	T_HAS(&p.c, want);
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, path, "role=teacher&class_id="), 409);
	T_HAS(&p.c, want);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
	    " WHERE account_id = %lld", p.id)), 1);
	/* A teacher may apply without a class (to the other school). */
	snprintf(path, sizeof(path), "/org/%lld/apply", other.org);
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "role=teacher&class_id="), 303);
	T_EQ(t_get(&p.c, "/me"), 200);
	T_HAS(&p.c, "Чужая Школа");
	T_HAS(&p.c, name);
	t_client_free(&p.c);
	school_free(&s);
	school_free(&other);
}

static void
withdraw(void)
{
	struct school	 s;
	struct t_person	 p, q;
	char		 token[44], path[128], app[128];

	school_new(&s, "Школа Передумавших");
	t_signup(&p, "Передумова", "Пелагея");
	t_signup(&q, "Посторонний", "Пётр");
	T_TRUE(invite_new(s.org, s.admin_id, "student", s.class, 5, token) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	snprintf(app, sizeof(app), "%s", t_header(&p.c, "Location"));

	/* Someone else's application does not exist for them. */
	T_EQ(t_get(&q.c, app), 404);
	t_form(&q.c, "/me");
	T_EQ(t_postf(&q.c, path_cat(app, "/withdraw"), "x=1"), 404);
	/* Without the form's token: 403. */
	T_EQ(t_post(&p.c, path_cat(app, "/withdraw"), "x=1"), 403);

	T_EQ(t_get(&p.c, app), 200);
	T_HAS(&p.c, "Отозвать заявку");
	T_EQ(t_postf(&p.c, path_cat(app, "/withdraw"), "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), app);
	T_EQ(t_get(&p.c, app), 200);
	T_HAS(&p.c, "Отозвана");
	T_LACKS(&p.c, "Отозвать заявку");
	T_EQ(t_postf(&p.c, path_cat(app, "/withdraw"), "x=1"), 409);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'application_withdraw' AND actor_id = %lld",
	    s.org, p.id)), 1);
	/* The same link again shows the withdrawn one, no second use. */
	T_EQ(t_get(&p.c, path), 200);
	T_HAS(&p.c, "Посмотреть заявку");
	T_LACKS(&p.c, "Подать заявку на вступление");
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), app);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld",
	    s.org)), 1);
	T_EQ(t_get(&p.c, "/me/applications/999999999"), 404);
	t_client_free(&p.c);
	t_client_free(&q.c);
	school_free(&s);
}

static void
member_again_and_rejected_again(void)
{
	struct school	 s;
	struct t_person	 p;
	char		 token[44], path[128], want[128], first[128];
	long long	 id;

	school_new(&s, "Школа Своих");
	t_signup(&p, "Свой", "Семён");
	id = p.id;
	T_TRUE(invite_new(s.org, s.admin_id, "teacher", 0, 5, token) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);

	/* Rejected: the same link shows the decision; a new link works. */
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	snprintf(first, sizeof(first), "%s", t_header(&p.c, "Location"));
	T_TRUE(t_sql("UPDATE parta.application SET status = 'rejected',"
	    " reason = 'Не наш сотрудник', decided_at = now(), decided_by ="
	    " %lld WHERE org_id = %lld", s.admin_id, s.org) != NULL);
	T_EQ(t_get(&p.c, first), 200);
	T_HAS(&p.c, "Отклонена");
	T_HAS(&p.c, "Не наш сотрудник");
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), first);
	T_TRUE(invite_new(s.org, s.admin_id, "teacher", 0, 5, token) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	T_TRUE(strcmp(t_header(&p.c, "Location"), first) != 0);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
	    " WHERE org_id = %lld AND account_id = %lld AND status ="
	    " 'pending'", s.org, id)), 1);

	/* A member: 409 with the way to the organization, everywhere. */
	T_TRUE(t_sql("UPDATE parta.application SET status = 'accepted',"
	    " decided_at = now() WHERE org_id = %lld AND status = 'pending';"
	    " INSERT INTO parta.member (org_id, account_id, role, verified)"
	    " VALUES (%lld, %lld, 'teacher', true)", s.org, s.org, id) != NULL);
	T_TRUE(invite_new(s.org, s.admin_id, "teacher", 0, 5, token) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	snprintf(want, sizeof(want), "/org/%lld", s.org);
	T_EQ(t_get(&p.c, path), 409);
	T_HAS(&p.c, want);
	T_HAS(&p.c, "уже состоите");
	T_EQ(t_postf(&p.c, path, "x=1"), 409);
	T_HAS(&p.c, want);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld"
	    " ORDER BY id DESC LIMIT 1", s.org)), 0);
	snprintf(path, sizeof(path), "/org/%lld/apply", s.org);
	T_EQ(t_get(&p.c, path), 409);
	t_form(&p.c, "/me");
	T_EQ(t_postf(&p.c, path, "role=teacher"), 409);
	/* /me links the organization. */
	T_EQ(t_get(&p.c, "/me"), 200);
	snprintf(want, sizeof(want), "href=\"/org/%lld\"", s.org);
	T_HAS(&p.c, want);
	T_HAS(&p.c, "Принята");
	t_client_free(&p.c);
	school_free(&s);
}

static void
teacher_in_two_schools(void)
{
	struct school	 a, b;
	struct t_person	 p;
	char		 ta[44], tb[44], path[128], want[64];
	long long	 id;

	school_new(&a, "Первая Школа Учителя");
	school_new(&b, "Вторая Школа Учителя");
	t_signup(&p, "Совместителева", "Тамара");
	id = p.id;
	T_TRUE(invite_new(a.org, a.admin_id, "teacher", 0, 5, ta) > 0);
	T_TRUE(invite_new(b.org, b.admin_id, "teacher", 0, 5, tb) > 0);
	snprintf(path, sizeof(path), "/join/%s", ta);
	t_form(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	/* A member of the first school still applies to the second. */
	T_TRUE(t_sql("UPDATE parta.application SET status = 'accepted',"
	    " decided_at = now() WHERE org_id = %lld; INSERT INTO parta.member"
	    " (org_id, account_id, role, verified) VALUES (%lld, %lld,"
	    " 'teacher', true)", a.org, a.org, id) != NULL);
	snprintf(path, sizeof(path), "/join/%s", tb);
	T_EQ(t_get(&p.c, path), 200);
	T_HAS(&p.c, "Вторая Школа Учителя");
	T_EQ(t_postf(&p.c, path, "x=1"), 303);
	T_EQ(t_get(&p.c, "/me"), 200);
	snprintf(want, sizeof(want), "href=\"/org/%lld\"", a.org);
	T_HAS(&p.c, want);
	snprintf(want, sizeof(want), "href=\"/org/%lld\"", b.org);
	T_LACKS(&p.c, want);
	T_HAS(&p.c, "Вторая Школа Учителя");
	T_HAS(&p.c, "На рассмотрении");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.application"
	    " WHERE account_id = %lld", id)), 2);
	t_client_free(&p.c);
	school_free(&a);
	school_free(&b);
}

static void
csrf_and_login_required(void)
{
	struct school	 s;
	struct t_person	 p;
	struct t_client	 v;
	char		 token[44], path[128], want[160];

	school_new(&s, "Школа Форм");
	t_signup(&p, "Формов", "Фёдор");
	T_TRUE(invite_new(s.org, s.admin_id, "teacher", 0, 5, token) > 0);
	snprintf(path, sizeof(path), "/join/%s", token);
	T_EQ(t_post(&p.c, path, "x=1"), 403);
	T_EQ(t_ll(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld",
	    s.org)), 0);
	/* A visitor's POST goes to log in and back. */
	t_client_init(&v);
	t_form(&v, path);
	T_EQ(t_postf(&v, path, "x=1"), 303);
	snprintf(want, sizeof(want), "/login?next=/join/%s", token);
	T_STREQ(t_header(&v, "Location"), want);
	T_EQ(t_get(&v, "/orgs"), 303);
	T_EQ(t_get(&v, "/me/applications/1"), 303);
	t_client_free(&v);
	t_client_free(&p.c);
	school_free(&s);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "landing, log in and come back, apply", landing_log_in_and_come_back },
		{ "sign up and verify from a link, come back", register_and_come_back },
		{ "the same person twice: one use, one application", same_person_twice },
		{ "unknown 404; expired, revoked, used up 410", dead_links },
		{ "20 people, 5 uses: exactly 5, 20 rounds", link_never_used_beyond_max },
		{ "self-submitted request: search, form, 422, 409", self_request },
		{ "withdraw: own only, 409 when not pending", withdraw },
		{ "member 409, rejected may use a new link", member_again_and_rejected_again },
		{ "a teacher in two schools", teacher_in_two_schools },
		{ "CSRF and login on join", csrf_and_login_required },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
