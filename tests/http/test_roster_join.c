/*
 * Joining a school that has its roster (sql/0029_roster_rules.sql): a
 * roster of 500 rows applied, then its people apply by one shared link
 * all at once and are in without review, while one who only resembles a
 * row and one not on it wait in the queue, the first with «похож на
 * строку N списка №ID»; two applies of one roster at once apply it once;
 * an application filed while a roster is being applied is matched by it.
 * The roster is built by SQL the way the roster program stores one; it
 * is applied by the SQL member_roster_apply runs (lib/member.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define PEOPLE	30	/* on the roster, applying at once */
#define ROWS	500	/* the roster's rows */

static const char *const names[PEOPLE] = {
	"Алина", "Богдана", "Вера", "Галина", "Дарья", "Ева", "Жанна",
	"Зоя", "Инна", "Кира", "Лада", "Мила", "Нина", "Олеся", "Полина",
	"Рита", "Софья", "Таисия", "Ульяна", "Фаина", "Христина", "Юлия",
	"Яна", "Агата", "Бэлла", "Валерия", "Глафира", "Доминика", "Елена",
	"Злата"
};

/* A school with its administrator and classes 9А and 9Б. */
struct school {
	struct t_person	 admin;
	long long	 org, c9a, c9b;
};

static void
school_new(struct school *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	t_signup(&s->admin, "Директорова", "Диана");
	s->org = t_org_create(&s->admin, name);
	s->c9a = t_class_add(s->org, 9, "А", 0);
	s->c9b = t_class_add(s->org, 9, "Б", 0);
}

/* A roster of org made by maker (for class cls, 0: the school): its
 * id.  Its rows are added by rows_add. */
static long long
roster_new(long long org, long long maker, long long cls, int nrows)
{
	long long	 id;

	id = t_ll(t_sql("INSERT INTO parta.roster (org_id, created_by,"
	    " class_id, file_name, file_hash, row_count) VALUES (%lld, %lld,"
	    " nullif(%lld, 0), 'list.csv', sha256(random()::text::bytea), %d)"
	    " RETURNING id", org, maker, cls, nrows));
	if (id <= 0)
		T_FAIL("roster not made");
	return id;
}

/* Rows of roster: "(line, last, first, class letter, phone or NULL,
 * birth or NULL)" tuples, for grade 9. */
static void
rows_add(long long org, long long roster, const char *values)
{
	if (t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, class_text, grade, letter, phone,"
	    " birth_date) SELECT %lld, %lld, v.line, v.last, v.first,"
	    " 'student', '9' || v.letter, 9, v.letter, v.phone, v.birth::date"
	    " FROM (VALUES %s) AS v (line, last, first, letter, phone, birth)",
	    org, roster, values) == NULL)
		T_FAIL("rows of roster %lld not added", roster);
}

/* The SQL of member_roster_apply (lib/member.c). */
static const char *
roster_apply(long long org, long long roster, long long actor)
{
	return t_sql("SELECT parta.roster_apply(%lld, %lld, %lld, NULL)",
	    org, roster, actor);
}

struct crowd {
	struct t_person	*p;
	const char	*token;
	long long	 app[PEOPLE + 2];
	int		 page[PEOPLE + 2];	/* 1 accepted, 0 pending */
};

/* One person follows the shared link, applies, and reads the page the
 * application's address shows. */
static void
crowd_one(int i, void *arg)
{
	struct crowd	*x = arg;
	struct t_person	*p = &x->p[i];
	long long	 app;

	app = t_join(p, x->token);
	T_TRUE(app > 0);
	x->app[i] = app;
	T_EQ(t_get(&p->c, t_fmt("/me/applications/%lld", app)), 200);
	x->page[i] = t_has(&p->c, "Вы приняты.") && t_has(&p->c,
	    "Вы есть в списке, который школа загрузила в Парту");
}

/*
 * A roster of 500 rows in 9А and 9Б, applied; 30 of its people (15 by
 * their phone, in 9Б, 15 by names, birth date and the link's class 9А)
 * and two others apply at once by one shared link of 9А: the 30 are
 * accepted without review into their rows' classes, each told so; the
 * one who only resembles a row (another birth date) waits with the note
 * «похожа на строку N списка №ID»; the one not on the roster waits
 * without one.
 */
static void
thirty_at_once(void)
{
	static struct t_person	 p[PEOPLE + 2];
	struct school		 s;
	struct crowd		 x;
	char			 birth[16], token[44], *values, *v;
	long long		 roster;
	size_t			 cap = 64 * 1024, len = 0;
	int			 i, line = 2, near_line, accepted = 0;

	school_new(&s, "Школа Списочная");
	values = v = calloc(1, cap);
	T_TRUE(values != NULL);
	for (i = 0; i < PEOPLE; i++) {
		snprintf(birth, sizeof(birth), "2010-%02d-%02d", i % 12 + 1,
		    i + 1);
		t_signup_as(&p[i], NULL, "Спискова", names[i], "f", birth);
		/* Half by the phone: the names as the school wrote them. */
		if (i % 2 == 0)
			len += (size_t)snprintf(values + len, cap - len,
			    "%s(%d, 'СПИСКОВА', '%s', 'Б', '%s', NULL)",
			    len ? ", " : "", line++, names[i], p[i].phone);
		else
			len += (size_t)snprintf(values + len, cap - len,
			    "%s(%d, 'Спискова', '%s', 'А', NULL, '%s')",
			    len ? ", " : "", line++, names[i], birth);
	}
	t_signup_as(&p[PEOPLE], NULL, "Похожева", "Полина", "f",
	    "2010-05-05");
	near_line = line;
	len += (size_t)snprintf(values + len, cap - len, ", (%d, 'Похожева',"
	    " 'Полина', 'А', NULL, '2009-05-05')", line++);
	t_signup_as(&p[PEOPLE + 1], NULL, "Чужая", "Чара", "f",
	    "2010-06-06");
	for (; line <= ROWS + 1; line++)
		len += (size_t)snprintf(values + len, cap - len,
		    ", (%d, 'Заполнитель', 'Номер%d', '%s', NULL, NULL)", line,
		    line, line % 2 ? "А" : "Б");
	T_TRUE(len < cap - 1);
	roster = roster_new(s.org, s.admin.id, 0, ROWS);
	rows_add(s.org, roster, values);
	free(values);
	T_STREQ(t_sql("SELECT count(*) FROM parta.roster_preview(%lld, %lld)"
	    " WHERE outcome = 'new'", s.org, roster), "500");
	T_STREQ(roster_apply(s.org, roster, s.admin.id), "ok");
	T_STREQ(t_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %lld AND roster_id = %lld AND state = 'expected'", s.org, roster),
	    "500");

	t_token_new(token);
	t_invite_add(s.org, s.admin.id, "student", s.c9a, PEOPLE + 2, token);
	memset(&x, 0, sizeof(x));
	x.p = p;
	x.token = token;
	for (i = 0; i < PEOPLE + 2; i++)
		t_form(&p[i].c, t_fmt("/join/%s", token));
	t_parallel(PEOPLE + 2, crowd_one, &x);
	for (i = 0; i < PEOPLE + 2; i++) {
		T_TRUE(x.app[i] > 0);
		T_EQ(x.page[i], i < PEOPLE);
		accepted += x.page[i];
	}
	T_EQ(accepted, PEOPLE);

	/* In their rows' classes, members, none left in the queue. */
	for (i = 0; i < PEOPLE; i++) {
		T_STREQ(t_sql("SELECT a.status || ' ' || a.decided_by || ' '"
		    " || cm.class_id FROM parta.application a"
		    " JOIN parta.class_member cm ON cm.org_id = a.org_id"
		    " AND cm.account_id = a.account_id AND cm.role = 'student'"
		    " WHERE a.org_id = %lld AND a.id = %lld", s.org, x.app[i]),
		    t_fmt("accepted %lld %lld", s.admin.id,
		    i % 2 == 0 ? s.c9b : s.c9a));
	}
	T_STREQ(t_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %lld AND roster_id = %lld AND state = 'joined'", s.org, roster),
	    t_fmt("%d", PEOPLE));
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'roster_accept'", s.org), t_fmt("%d", PEOPLE));
	T_STREQ(t_sql("SELECT uses FROM parta.invite WHERE org_id = %lld",
	    s.org), t_fmt("%d", PEOPLE + 2));

	/* The queue: the two others, one with the note. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/applications", s.org)), 200);
	T_HAS(&s.admin.c, "Похожева Полина");
	T_HAS(&s.admin.c, "Чужая Чара");
	T_LACKS(&s.admin.c, "Спискова");
	T_HAS(&s.admin.c, t_fmt("похожа на <a href=\"/org/%lld/roster/%lld"
	    "#line-%d\">строку %d списка №%lld</a>: Похожева Полина, 9А — "
	    "совпадает только имя", s.org, roster, near_line, near_line,
	    roster));
	T_STREQ(t_sql("SELECT coalesce(roster_line, 0) FROM"
	    " parta.application WHERE org_id = %lld AND id = %lld", s.org,
	    x.app[PEOPLE + 1]), "0");
	/* Its page says so; an accepted one's says by which row. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/applications/%lld", s.org,
	    x.app[PEOPLE])), 200);
	T_HAS(&s.admin.c, t_fmt("строку %d списка №%lld</a>: Похожева "
	    "Полина, 9А — совпадает только имя. Совпадение неполное",
	    near_line, roster));
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/applications/%lld", s.org,
	    x.app[1])), 200);
	T_HAS(&s.admin.c, "принята по <a href=");
	T_HAS(&s.admin.c, t_fmt("списку №%lld (строка 3)</a>", roster));
	/* The one who waits is told she waits. */
	T_EQ(t_get(&p[PEOPLE].c, t_fmt("/me/applications/%lld",
	    x.app[PEOPLE])), 200);
	T_HAS(&p[PEOPLE].c, "Заявку рассматривает администрация");
	T_LACKS(&p[PEOPLE].c, "Вы приняты");

	for (i = 0; i < PEOPLE + 2; i++)
		t_client_free(&p[i].c);
	t_client_free(&s.admin.c);
}

struct race {
	long long	 org, roster, admin;
	const char	*answer[2];
	struct t_person	*joiner;
	const char	*token;
	long long	 app;
	int		 hold;
};

/* Two applies of one roster: both at once; or (hold) the first holds
 * its transaction open a moment and the second starts within it. */
static void
apply_one(int i, void *arg)
{
	struct race	*x = arg;
	const char	*r;

	if (i == 0 && x->hold)
		r = t_sql("BEGIN; SELECT parta.roster_apply(%lld, %lld, %lld,"
		    " NULL); SELECT pg_sleep(0.5); COMMIT;", x->org, x->roster,
		    x->admin);
	else {
		if (x->hold)
			usleep(100000);
		r = roster_apply(x->org, x->roster, x->admin);
	}
	x->answer[i] = r != NULL ? strdup(r) : NULL;
}

/* Two applies of one roster at once (10 rounds): one 'ok', the other
 * 'applied' (409 on the page), the rows made once. */
static void
two_applies(void)
{
	struct school	 s;
	struct race	 x;
	int		 round, ok;

	school_new(&s, "Школа Двух Кнопок");
	for (round = 0; round < 10; round++) {
		memset(&x, 0, sizeof(x));
		x.org = s.org;
		x.admin = s.admin.id;
		x.roster = roster_new(s.org, s.admin.id, 0, 2);
		/* Other people each round (a person expected by an earlier
		 * roster is a duplicate). */
		rows_add(s.org, x.roster, t_fmt("(2, 'Первова', 'Пелагея%d',"
		    " 'А', NULL, NULL), (3, 'Вторая', 'Варвара%d', 'Б', NULL,"
		    " NULL)", round, round));
		x.hold = round % 2 == 0;
		t_parallel(2, apply_one, &x);
		T_TRUE(x.answer[0] != NULL && x.answer[1] != NULL);
		ok = (strcmp(x.answer[0], "ok") == 0) +
		    (strcmp(x.answer[1], "ok") == 0);
		T_EQ(ok, 1);
		T_TRUE(strcmp(x.answer[0], "applied") == 0 ||
		    strcmp(x.answer[1], "applied") == 0);
		T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
		    " %lld AND action = 'roster_apply' AND detail LIKE"
		    " '№%lld %%'", s.org, x.roster), "1");
		T_STREQ(t_sql("SELECT count(*) FROM parta.roster_row WHERE"
		    " org_id = %lld AND roster_id = %lld AND state = 'expected'",
		    s.org, x.roster), "2");
		free((void *)x.answer[0]);
		free((void *)x.answer[1]);
	}
	t_client_free(&s.admin.c);
}

/* The apply, held open a moment; and a person on the roster applying
 * by a link while it runs. */
static void
apply_or_join(int i, void *arg)
{
	struct race	*x = arg;
	const char	*r;

	if (i == 0) {
		r = t_sql("BEGIN; SELECT parta.roster_apply(%lld, %lld, %lld,"
		    " NULL); SELECT pg_sleep(0.7); COMMIT;", x->org, x->roster,
		    x->admin);
		x->answer[0] = r != NULL ? strdup(r) : NULL;
	} else {
		usleep(200000);
		x->app = t_join(x->joiner, x->token);
	}
}

/*
 * A person on the roster who applies while the roster is being applied
 * (their application waits for the apply, then finds their row
 * expected) is accepted at once all the same.
 */
static void
join_while_applied(void)
{
	struct school	 s;
	struct t_person	 p;
	struct race	 x;
	char		 token[44];

	school_new(&s, "Школа Одновременная");
	t_signup_as(&p, NULL, "Торопова", "Тамара", "f", "2010-03-03");
	memset(&x, 0, sizeof(x));
	x.org = s.org;
	x.admin = s.admin.id;
	x.roster = roster_new(s.org, s.admin.id, 0, 1);
	rows_add(s.org, x.roster, t_fmt("(2, 'Торопова', 'Тамара', 'А', '%s',"
	    " NULL)", p.phone));
	t_token_new(token);
	t_invite_add(s.org, s.admin.id, "student", s.c9a, 5, token);
	t_form(&p.c, t_fmt("/join/%s", token));
	x.joiner = &p;
	x.token = token;
	t_parallel(2, apply_or_join, &x);
	T_TRUE(x.answer[0] != NULL);
	T_STREQ(x.answer[0], "ok");
	T_TRUE(x.app > 0);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    x.app), "accepted");
	T_STREQ(t_sql("SELECT state FROM parta.roster_row WHERE org_id = %lld"
	    " AND roster_id = %lld AND line = 2", s.org, x.roster), "joined");
	free((void *)x.answer[0]);
	t_client_free(&p.c);
	t_client_free(&s.admin.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "500-row roster, 30 of it apply at once: in without review", thirty_at_once },
		{ "two applies of one roster at once: applied once", two_applies },
		{ "an application filed while the roster is applied is matched", join_while_applied },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
