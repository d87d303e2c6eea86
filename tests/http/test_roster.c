/*
 * Rosters over HTTP (cgi-bin/roster): a generated roster of 500 people
 * of two classes uploaded, previewed (every row, nothing changed) and
 * applied; a pending application matching a row accepted by the apply;
 * errors shown by row; a file over the limits (413) and one that cannot
 * be read (422), nothing stored; the same file twice (said so, its
 * people not made twice); a subset applied; concurrent applies of one
 * roster (one 303, the rest 409); a class the roster names offered for
 * creation and the preview following; a homeroom teacher's roster kept
 * to their class; another organization's roster 404; the CSV export.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "fixture.h"
#include "roster.h"

struct school {
	struct t_person	 admin;
	long long	 id;
	long long	 a9, b9;	/* classes 9А and 9Б */
};

static void
school_new(struct school *s, const char *last)
{
	t_signup(&s->admin, last, "Ольга");
	s->id = t_org_create(&s->admin, NULL);
	s->a9 = t_class_add(s->id, 9, "А", 0);
	s->b9 = t_class_add(s->id, 9, "Б", 0);
}

/* A growing text (the CSV files made here). */
struct text {
	char	*s;
	size_t	 len, cap;
};

static void
text_add(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && t->len + (size_t)n < t->cap)
			break;
		t->cap = (t->cap + (size_t)n + 1) * 2;
		if ((t->s = realloc(t->s, t->cap)) == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	t->len += (size_t)n;
}

/* A last name made of letters only for number i ("Листов" + letters). */
static const char *
name_of(int i)
{
	static const char *const l[] = { "а", "б", "в", "г", "д", "е", "ж",
	    "з", "и", "к", "л", "м", "н", "о", "п", "р", "с", "т", "у", "ф" };
	static _Thread_local char	 out[8][64];
	static _Thread_local int	 k;
	char				*o = out[k++ % 8];

	snprintf(o, 64, "Листов%s%s%s", l[i / 400 % 20], l[i / 20 % 20],
	    l[i % 20]);
	return o;
}

#define HEADER	"Фамилия;Имя;Отчество;Роль;Класс;Дата рождения"

/* n students, the first half in 9А, the rest in 9Б, each with a birth
 * date: UTF-8, ';', CRLF; the rows under HEADER. */
static void
roster_rows(struct text *t, int n, int first)
{
	int	 i;

	for (i = first; i < first + n; i++)
		text_add(t, "%s;Иван;Петрович;ученик;%s;2011-%02d-%02d\r\n",
		    name_of(i), i - first < n / 2 ? "9А" : "9 б", i % 12 + 1,
		    i % 28 + 1);
}

/* The same with the header row. */
static void
roster_csv(struct text *t, int n, int first)
{
	text_add(t, HEADER "\r\n");
	roster_rows(t, n, first);
}

/* Upload data as file name (NULL: as pasted text) to org's roster form
 * with class (NULL: none): the status. */
static long
upload(struct t_client *c, long long org, const char *data, size_t len,
    const char *name, const char *class_id)
{
	struct t_mp	 m = { 0 };
	const char	*path = t_fmt("/org/%lld/roster", org);

	if (t_form(c, path) == NULL)
		T_FAIL("no form at %s", path);
	t_mp_field(&m, "csrf", c->csrf);
	t_mp_field(&m, "class_id", class_id != NULL ? class_id : "");
	if (name != NULL)
		t_mp_file(&m, "file", name, "text/csv", data, len);
	else
		t_mp_field(&m, "text", data);
	return t_mp_post(c, path, &m);
}

/* The roster a 303 points to, or -1. */
static long long
roster_at(struct t_client *c, long long org)
{
	const char	*loc = t_header(c, "Location");
	const char	*prefix = t_fmt("/org/%lld/roster/", org);

	if (loc == NULL || strncmp(loc, prefix, strlen(prefix)) != 0)
		return -1;
	return t_id_after(loc, prefix);
}

/* Upload and expect the preview: the roster's id. */
static long long
upload_ok(struct t_client *c, long long org, struct text *t,
    const char *class_id)
{
	long long	 id;

	T_EQ(upload(c, org, t->s, t->len, "список.csv", class_id), 303);
	T_TRUE((id = roster_at(c, org)) > 0);
	return id;
}

/* Apply roster id from its page with the form fields (already encoded,
 * "" for none): the status. */
static long
apply(struct t_client *c, long long org, long long id, const char *fields)
{
	const char	*path = t_fmt("/org/%lld/roster/%lld", org, id);

	if (t_form(c, path) == NULL)
		T_FAIL("no page at %s", path);
	return t_postf(c, t_fmt("/org/%lld/roster/%lld/apply", org, id),
	    "%s", fields);
}

static long long
rows_in(long long org, long long id, const char *state)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.roster_row WHERE"
	    " org_id = %lld AND roster_id = %lld AND state = '%s'", org, id,
	    state));
}

static long long
rosters_of(long long org)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.roster WHERE org_id ="
	    " %lld", org));
}

/*
 * 500 people of two classes: the preview lists every row with what will
 * happen and changes nothing; one row's person has a pending
 * application, which the apply accepts into 9А; the other 499 are
 * expected; the list page counts them, the audit says so.
 */
static void
test_five_hundred(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	const char	*phone;
	long long	 acc, app, id;

	school_new(&s, "Пятисотова");
	acc = t_account_add("Заявкина");
	phone = t_fmt("%s", t_sql("SELECT phone FROM parta.account WHERE id ="
	    " %lld", acc));
	T_TRUE(*phone == '+');
	app = t_application_add(s.id, acc, "student", s.a9);
	text_add(&t, HEADER ";Телефон\r\nЗаявкина;Тест;;ученик;9А;;%s\r\n",
	    phone);
	roster_rows(&t, 499, 0);
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(rows_in(s.id, id, "draft"), 500);

	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, id)), 200);
	T_HAS(&s.admin.c, "500 строк");
	T_HAS(&s.admin.c, "1 — есть заявка: примем при применении");
	T_HAS(&s.admin.c, "499 — примем, когда подадут заявку");
	T_HAS(&s.admin.c, name_of(0));
	T_HAS(&s.admin.c, name_of(498));
	T_HAS(&s.admin.c, "Есть заявка — будет принята");
	T_HAS(&s.admin.c, "9Б");
	T_HAS(&s.admin.c, "Применить все подходящие строки (500)");
	/* The preview changed nothing. */
	T_EQ(rows_in(s.id, id, "draft"), 500);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE org_id ="
	    " %lld AND id = %lld", s.id, app), "pending");

	T_EQ(apply(&s.admin.c, s.id, id, ""), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), t_fmt("/org/%lld/roster/"
	    "%lld?done=1", s.id, id));
	T_EQ(rows_in(s.id, id, "expected"), 499);
	T_EQ(rows_in(s.id, id, "joined"), 1);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE org_id ="
	    " %lld AND id = %lld", s.id, app), "accepted");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld AND account_id = %lld AND role ="
	    " 'student'", s.id, s.a9, acc), "1");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %lld AND roster_id = %lld AND class_id = %lld", s.id, id,
	    s.b9)), 250);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld?done=1", s.id,
	    id)), 200);
	T_HAS(&s.admin.c, "Готово, список применён");
	T_HAS(&s.admin.c, "499 — ждём их заявки");
	T_HAS(&s.admin.c, "1 — в организации");
	T_HAS(&s.admin.c, t_fmt("/org/%lld/invites/bulk?roster_id=%lld&amp;"
	    "mode=print", s.id, id));

	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster", s.id)), 200);
	T_HAS(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, id));
	T_HAS(&s.admin.c, "Ещё не вступили: 499");
	T_HAS(&s.admin.c, "И ещё 299");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action IN ('roster_upload', 'roster_apply')", s.id)), 2);
	/* The action's name says «список» already: the detail starts with
	 * its number («Загружен список» «№16: 500 строк»). */
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action IN ('roster_upload', 'roster_apply') AND detail LIKE"
	    " '№%lld%%'", s.id, id)), 2);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/audit", s.id)), 200);
	T_HAS(&s.admin.c, t_fmt("№%lld: 500 строк", id));
	T_LACKS(&s.admin.c, "список №");
}

/* Rows with errors: each shown on its row with its reason; the valid
 * rows can still be applied; the bad ones are skipped. */
static void
test_errors_by_row(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 id;
	const char	*why;

	school_new(&s, "Ошибкина");
	text_add(&t, "ФИО;Класс;Телефон;Дата рождения\n"
	    "Верный Пётр Ильич;9А;;2011-01-01\n"
	    "Телефонов Иван;9А;12345;2011-01-02\n"
	    ";9А;;2011-01-03\n"
	    "Верный Пётр Ильич;9А;;2011-01-01\n"
	    "Датов Олег;9А;;2011-02-31\n");
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %lld AND roster_id = %lld AND error IS NOT NULL", s.id, id)), 4);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, id)), 200);
	/* Each error on its row, in the parser's words. */
	why = t_sql("SELECT error FROM parta.roster_row WHERE org_id = %lld"
	    " AND roster_id = %lld AND line = 3", s.id, id);
	T_TRUE(why != NULL && *why != '\0');
	T_HAS(&s.admin.c, why);
	why = t_sql("SELECT error FROM parta.roster_row WHERE org_id = %lld"
	    " AND roster_id = %lld AND line = 6", s.id, id);
	T_TRUE(why != NULL && *why != '\0');
	T_HAS(&s.admin.c, why);
	T_HAS(&s.admin.c, "Применить все подходящие строки (1)");
	/* Only the problems, on their own. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld?show=error", s.id,
	    id)), 200);
	T_LACKS(&s.admin.c, "Верный Пётр Ильич</td>");
	T_EQ(apply(&s.admin.c, s.id, id, ""), 303);
	T_EQ(rows_in(s.id, id, "expected"), 1);
	T_EQ(rows_in(s.id, id, "skipped"), 4);
}

/* Over 2 MiB or 5 000 rows: 413; a file that is not text or has no
 * header: 422 with the reason; nothing stored either way. */
static void
test_limits(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	char		*big;
	size_t		 n = 2 * 1024 * 1024 + 1;

	school_new(&s, "Лимитова");
	big = malloc(n);
	T_TRUE(big != NULL);
	memset(big, 'x', n);
	memcpy(big, "Фамилия;Имя\n", strlen("Фамилия;Имя\n"));
	T_EQ(upload(&s.admin.c, s.id, big, n, "big.csv", NULL), 413);
	free(big);
	T_HAS(&s.admin.c, "Файл больше 2 МБ");
	T_HAS(&s.admin.c, "name=\"file\"");

	text_add(&t, "Фамилия;Имя\n");
	for (int i = 0; i < 5001; i++)
		text_add(&t, "%s;Ян\n", name_of(i));
	T_EQ(upload(&s.admin.c, s.id, t.s, t.len, "long.csv", NULL), 413);
	free(t.s);
	T_HAS(&s.admin.c, "больше 5000 строк");

	T_EQ(upload(&s.admin.c, s.id, "\x01\x02\x00\xff\xfe", 5, "x.csv",
	    NULL), 422);
	T_HAS(&s.admin.c, "id=\"file_error\"");
	T_EQ(upload(&s.admin.c, s.id, "один;два\nтри;четыре\n", 30, "y.csv",
	    NULL), 422);
	T_HAS(&s.admin.c, "id=\"file_error\"");
	/* The reason said once: no «Файл не прочитан: Файл…». */
	T_EQ(upload(&s.admin.c, s.id, "a\0b", 3, "z.csv", NULL), 422);
	T_HAS(&s.admin.c, "Файл не похож на таблицу. Сохраните файл в Excel как "
	    "«CSV UTF-8» и загрузите снова");
	T_LACKS(&s.admin.c, "Файл не прочитан");
	/* A quote never closed: its line, said once. */
	T_EQ(upload(&s.admin.c, s.id, "ФИО;Класс\nА Б;9А\nВ Г;\"9А\n",
	    strlen("ФИО;Класс\nА Б;9А\nВ Г;\"9А\n"), "q.csv", NULL), 422);
	T_HAS(&s.admin.c, "Строка 3: открыта кавычка, но не закрыта");
	T_LACKS(&s.admin.c, "В строке 3");
	/* Rows in Windows-1251 and rows in UTF-8: the line, what to do. */
	T_EQ(upload(&s.admin.c, s.id, "FIO;Class\n\xC8\xE2\xE0\xED\xEE\xE2"
	    " \xC8\xE2\xE0\xED;9\xC0\nИра Мухина;9А\n", 49, "mix.csv",
	    NULL), 422);
	T_HAS(&s.admin.c, "Строка 3: в этой строке другая кодировка, чем в "
	    "строке 2");
	T_HAS(&s.admin.c, "«CSV UTF-8»");
	/* A file with nothing in it. */
	T_EQ(upload(&s.admin.c, s.id, "", 0, "empty.csv", NULL), 422);
	T_HAS(&s.admin.c, "Файл пустой");
	T_LACKS(&s.admin.c, "Выберите файл CSV");
	/* Neither file nor text. */
	T_EQ(upload(&s.admin.c, s.id, " \r\n", 3, NULL, NULL), 422);
	T_HAS(&s.admin.c, "Выберите файл CSV или вставьте список");
	T_EQ(rosters_of(s.id), 0);
}

/* The same file twice: the second is stored, its page says so, and its
 * people, made expected by the first, are not made twice: applying it
 * is refused (422), it stays a draft. */
static void
test_same_file(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 one, two;

	school_new(&s, "Повторова");
	roster_csv(&t, 20, 1000);
	one = upload_ok(&s.admin.c, s.id, &t, NULL);
	T_EQ(apply(&s.admin.c, s.id, one, ""), 303);
	two = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_TRUE(two != one);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, two)),
	    200);
	T_HAS(&s.admin.c, "Этот же файл уже загружали");
	T_HAS(&s.admin.c, t_fmt("список №%lld", one));
	T_HAS(&s.admin.c, "20 — повторы: пропустим");
	T_HAS(&s.admin.c, "20 строк отмечены как повторы");
	/* The first one says nothing of the later copy. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, one)),
	    200);
	T_LACKS(&s.admin.c, "Этот же файл уже загружали");
	T_LACKS(&s.admin.c, "отмечены как повторы");
	T_LACKS(&s.admin.c, "Применить все подходящие строки");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %lld AND state = 'expected'", s.id)), 20);
	/* Pasted text: the same rows, another hash: still duplicates. */
	t = (struct text){ 0 };
	roster_csv(&t, 20, 1000);
	T_EQ(upload(&s.admin.c, s.id, t.s, t.len, NULL, NULL), 303);
	free(t.s);
	two = roster_at(&s.admin.c, s.id);
	/* Nothing in it to apply: refused on its page, still a draft,
	 * nothing changed: every row at once, or a ticked one. */
	T_EQ(apply(&s.admin.c, s.id, two, "all=1"), 422);
	T_HAS(&s.admin.c, "В списке нет строк, которые можно применить");
	T_LACKS(&s.admin.c, "Готово, список применён");
	T_EQ(apply(&s.admin.c, s.id, two, ""), 422);
	T_EQ(apply(&s.admin.c, s.id, two, "only=1&id=2"), 422);
	T_HAS(&s.admin.c, "Ни одна из отмеченных строк не может быть "
	    "применена");
	T_EQ(apply(&s.admin.c, s.id, two, "only=1&id=99"), 422);
	T_HAS(&s.admin.c, "Ни одна из отмеченных строк не может быть "
	    "применена");
	T_STREQ(t_sql("SELECT applied_at IS NULL FROM parta.roster WHERE"
	    " org_id = %lld AND id = %lld", s.id, two), "t");
	T_EQ(rows_in(s.id, two, "draft"), 20);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.roster_row WHERE org_id ="
	    " %lld AND state = 'expected'", s.id)), 20);
	/* Twice, neither applied: no row is marked, and the page does not
	 * say so. */
	t = (struct text){ 0 };
	roster_csv(&t, 3, 2000);
	one = upload_ok(&s.admin.c, s.id, &t, NULL);
	two = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, two)),
	    200);
	T_HAS(&s.admin.c, t_fmt("список №%lld", one));
	T_LACKS(&s.admin.c, "отмечены как повторы");
	T_HAS(&s.admin.c, "Применяйте только один из них");
}

/* A subset: the ticked lines only; "only" with nothing ticked 422. */
static void
test_subset(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 id;

	school_new(&s, "Выборова");
	roster_csv(&t, 10, 2000);
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(apply(&s.admin.c, s.id, id, "only=1"), 422);
	T_HAS(&s.admin.c, "Отметьте строки, которые применить");
	T_EQ(apply(&s.admin.c, s.id, id, "id=x"), 422);
	T_EQ(rows_in(s.id, id, "draft"), 10);
	T_EQ(apply(&s.admin.c, s.id, id, "only=1&id=2&id=5"), 303);
	/* (The button for every row sends the ticked ones too: all=1 wins;
	 * tested below on a second roster.) */
	T_EQ(rows_in(s.id, id, "expected"), 2);
	T_STREQ(t_sql("SELECT string_agg(line::text, ',' ORDER BY line) FROM"
	    " parta.roster_row WHERE org_id = %lld AND roster_id = %lld AND"
	    " state = 'expected'", s.id, id), "2,5");
	T_EQ(rows_in(s.id, id, "skipped"), 8);
	/* Applied once: again 409, with the page that says so. */
	T_EQ(apply(&s.admin.c, s.id, id, ""), 409);
	T_HAS(&s.admin.c, "Этот список уже применён");
	t = (struct text){ 0 };
	roster_csv(&t, 10, 2100);
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(apply(&s.admin.c, s.id, id, "all=1&id=3"), 303);
	T_EQ(rows_in(s.id, id, "expected"), 10);
}

struct race {
	struct t_client	*c;
	long long	 org, id;
	long		 status[8];
};

static void
race_apply(int i, void *arg)
{
	struct race	*r = arg;

	r->status[i] = t_postf(&r->c[i], t_fmt("/org/%lld/roster/%lld/apply",
	    r->org, r->id), "x=1");
}

/* Eight applies of one roster at once: one 303, seven 409, the rows
 * made once. */
static void
test_concurrent_apply(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	struct t_client	 c[8];
	struct race	 r;
	int		 i, ok = 0, conflict = 0;

	school_new(&s, "Гонкина");
	roster_csv(&t, 200, 3000);
	r.id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	r.org = s.id;
	r.c = c;
	T_EQ(t_clients_of(&s.admin, c, 8), 0);
	for (i = 0; i < 8; i++)
		T_TRUE(t_form(&c[i], t_fmt("/org/%lld/roster/%lld", s.id,
		    r.id)) != NULL);
	t_parallel(8, race_apply, &r);
	for (i = 0; i < 8; i++) {
		ok += r.status[i] == 303;
		conflict += r.status[i] == 409;
		t_client_free(&c[i]);
	}
	T_EQ(ok, 1);
	T_EQ(conflict, 7);
	T_EQ(rows_in(s.id, r.id, "expected"), 200);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'roster_apply'", s.id)), 1);
}

/* A class the roster names that does not exist: offered for creation
 * (the form filled in), and once made the preview finds it. */
static void
test_missing_class(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 id;
	const char	*roster;

	school_new(&s, "Классова");
	text_add(&t, "Фамилия;Имя;Класс\nНовиков;Юрий;10В\n");
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	roster = t_fmt("/org/%lld/roster/%lld", s.id, id);
	T_EQ(t_get(&s.admin.c, roster), 200);
	T_HAS(&s.admin.c, "1 — нет такого класса");
	T_HAS(&s.admin.c, "Создать класс 10В");
	T_HAS(&s.admin.c, t_fmt("/org/%lld/classes/new?grade=10&amp;letter="
	    "%%D0%%92&amp;title=&amp;back=%s", s.id, roster));
	T_LACKS(&s.admin.c, "Применить все подходящие строки");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/classes/new?grade=10&letter="
	    "%%D0%%92&title=&back=%%2Forg%%2F%lld%%2Froster%%2F%lld", s.id,
	    s.id, id)), 200);
	T_HAS(&s.admin.c, "<option value=\"10\" selected>");
	T_HAS(&s.admin.c, "name=\"letter\" value=\"В\"");
	T_HAS(&s.admin.c, t_fmt("name=\"back\" value=\"%s\"", roster));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/classes", s.id),
	    "kind=class&grade=10&letter=%s&title=&year=%d&color=%%232563c9"
	    "&back=%s", t_enc("В"), t_now_year(), t_enc(roster)), 303);
	T_STREQ(t_header(&s.admin.c, "Location"), roster);
	/* A back that is not a roster of this organization is ignored. */
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/classes", s.id),
	    "kind=class&grade=10&letter=%s&title=&year=%d&color=%%232563c9"
	    "&back=%s", t_enc("Г"), t_now_year(), t_enc("https://evil/")),
	    303);
	T_TRUE(strstr(t_header(&s.admin.c, "Location"), "/classes/") != NULL);
	T_EQ(t_get(&s.admin.c, roster), 200);
	T_LACKS(&s.admin.c, "Создать класс 10В");
	T_HAS(&s.admin.c, "Применить все подходящие строки (1)");
}

/* A file of names only, no class chosen: each row says the class is
 * not given and where to give it; no «Нет класса «»». */
static void
test_no_class(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 id;

	school_new(&s, "Безклассова");
	text_add(&t, "ФИО\nБезклассов Иван Петрович\nБезклассова Анна\n");
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, id)), 200);
	T_LACKS(&s.admin.c, "Нет класса «»");
	T_HAS(&s.admin.c, "2 — класс не указан");
	T_HAS(&s.admin.c, "Не указан класс: в файле нет класса");
	T_HAS(&s.admin.c, "выберите класс в поле «Класс»");
	T_HAS(&s.admin.c, t_fmt("href=\"/org/%lld/roster#class_id\"", s.id));
	T_LACKS(&s.admin.c, "Создать класс");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld?show=noclass",
	    s.id, id)), 200);
	T_HAS(&s.admin.c, "Безклассова Анна");
	/* With the class chosen, the same file is fine. */
	t = (struct text){ 0 };
	text_add(&t, "ФИО\nБезклассов Иван Петрович\nБезклассова Анна\n");
	id = upload_ok(&s.admin.c, s.id, &t, t_fmt("%lld", s.a9));
	free(t.s);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, id)), 200);
	T_HAS(&s.admin.c, "Применить все подходящие строки (2)");
}

/*
 * A homeroom teacher: a roster of their own class only (none chosen 422,
 * another's 403); rows of another class or teachers are not theirs to
 * apply; they see their class's rosters, not the admin's school-wide
 * one; a plain teacher gets 403.
 */
static void
test_homeroom(void)
{
	struct school	 s;
	struct t_person	 h, plain;
	struct text	 t = { 0 };
	long long	 mine, school;

	school_new(&s, "Руководова");
	t_person_new(&h, "Классная", "Нина", s.id, "teacher");
	T_EQ(t_class_member_add(s.id, s.a9, h.id, "homeroom"), 0);
	t_person_new(&plain, "Предметник", "Глеб", s.id, "teacher");
	text_add(&t, "Фамилия;Имя;Роль;Класс\nСвой;Иван;ученик;9А\n"
	    "Чужой;Пётр;ученик;9Б\nУчителев;Семён;учитель;\n");
	T_EQ(t_get(&h.c, t_fmt("/org/%lld/roster", s.id)), 200);
	T_HAS(&h.c, "Ваш класс");
	T_EQ(upload(&h.c, s.id, t.s, t.len, "9а.csv", ""), 422);
	T_HAS(&h.c, "Выберите свой класс");
	T_EQ(upload(&h.c, s.id, t.s, t.len, "9а.csv", t_fmt("%lld", s.b9)),
	    403);
	T_EQ(rosters_of(s.id), 0);
	mine = upload_ok(&h.c, s.id, &t, t_fmt("%lld", s.a9));
	T_EQ(t_get(&h.c, t_fmt("/org/%lld/roster/%lld", s.id, mine)), 200);
	T_HAS(&h.c, "2 — нельзя добавить по этому списку");
	/* The teacher's row names no class: not «Учитель · 9А». */
	T_LACKS(&h.c, "Учитель · 9А");
	T_HAS(&h.c, "учителей добавляет администратор школы");
	T_HAS(&h.c, "это не ваш класс");
	T_HAS(&h.c, "Применить все подходящие строки (1)");
	T_EQ(apply(&h.c, s.id, mine, ""), 303);
	T_EQ(rows_in(s.id, mine, "expected"), 1);
	T_STREQ(t_sql("SELECT last_name FROM parta.roster_row WHERE org_id ="
	    " %lld AND roster_id = %lld AND state = 'expected'", s.id, mine),
	    "Свой");

	school = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(t_get(&h.c, t_fmt("/org/%lld/roster/%lld", s.id, school)), 403);
	T_EQ(t_get(&h.c, t_fmt("/org/%lld/roster/%lld.csv", s.id, school)),
	    403);
	T_EQ(apply(&s.admin.c, s.id, school, ""), 303);
	T_EQ(t_get(&h.c, t_fmt("/org/%lld/roster", s.id)), 200);
	T_HAS(&h.c, t_fmt("/org/%lld/roster/%lld\"", s.id, mine));
	T_LACKS(&h.c, t_fmt("/org/%lld/roster/%lld\"", s.id, school));
	/* The admin sees both. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster", s.id)), 200);
	T_HAS(&s.admin.c, t_fmt("/org/%lld/roster/%lld\"", s.id, mine));
	T_HAS(&s.admin.c, t_fmt("/org/%lld/roster/%lld\"", s.id, school));
	T_EQ(t_get(&plain.c, t_fmt("/org/%lld/roster", s.id)), 403);
	T_EQ(t_get(&plain.c, t_fmt("/org/%lld/roster/%lld", s.id, mine)),
	    403);
}

/* Another organization's roster is 404 by either organization's URL. */
static void
test_other_org(void)
{
	struct school	 s, o;
	struct text	 t = { 0 };
	long long	 id;

	school_new(&s, "Своя");
	school_new(&o, "Чужая");
	roster_csv(&t, 4, 4000);
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(t_get(&o.admin.c, t_fmt("/org/%lld/roster/%lld", s.id, id)),
	    404);
	T_EQ(t_get(&o.admin.c, t_fmt("/org/%lld/roster/%lld", o.id, id)),
	    404);
	T_EQ(t_get(&o.admin.c, t_fmt("/org/%lld/roster/%lld.csv", o.id, id)),
	    404);
	T_EQ(apply(&o.admin.c, o.id, id, "") , 404);
	T_EQ(rows_in(s.id, id, "draft"), 4);
}

/* The CSV: UTF-8 with BOM, ';', every row with its state in words. */
static void
test_csv(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 id;

	school_new(&s, "Таблицева");
	text_add(&t, "Фамилия;Имя;Класс;Телефон\nТаблицев;Ян;9А;+79990001122"
	    "\nПлохой;Ян;9А;123\n");
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld.csv", s.id, id)),
	    200);
	T_TRUE(strncmp(t_header(&s.admin.c, "Content-Type"), "text/csv", 8) ==
	    0);
	T_TRUE(strncmp(s.admin.c.r.body, "\xEF\xBB\xBF\"Строка\";\"Фамилия\"",
	    strlen("\xEF\xBB\xBF\"Строка\";\"Фамилия\"")) == 0);
	T_HAS(&s.admin.c, "\"Список не применён: Примем, когда подаст заявку\"");
	T_HAS(&s.admin.c, "\"\t+79990001122\"");
	T_EQ(apply(&s.admin.c, s.id, id, ""), 303);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld.csv", s.id, id)),
	    200);
	T_HAS(&s.admin.c, "\"2\";\"Таблицев\";\"Ян\";\"\";\"Ученик\";\"9А\"");
	T_HAS(&s.admin.c, "\"Ожидается\"");
	T_HAS(&s.admin.c, "\"Не применена: ");
	T_TRUE(t_sql("UPDATE parta.roster_row SET link_sent_at = now() WHERE"
	    " org_id = %lld AND roster_id = %lld AND line = 2", s.id, id) !=
	    NULL);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/roster/%lld.csv", s.id, id)),
	    200);
	T_HAS(&s.admin.c, "\"Ожидается; ссылка отправлена ");
}

/* How many times ANALYZE (not autovacuum's) has run on roster_row. */
#define ANALYZE_COUNT	"SELECT analyze_count FROM pg_stat_user_tables" \
	" WHERE relid = 'parta.roster_row'::regclass"

/*
 * The apply's work grows with the rows plus the applications, not with
 * their product: 300 rows, 40 pending applications whose phones are on
 * 40 rows (with other names: noted, not accepted).  Applied as the
 * programs' role (row-level security on), in a transaction rolled back,
 * the roster's rows read (pg_stat_xact_user_tables) are counted: a
 * lookup that is no index condition under the policies (a name key
 * computed by a function not LEAKPROOF: sql/0055_roster_speed.sql) read
 * every expected row once per application, 300 x 40 x 2 = 24 000 and
 * more; matched by index, a few times 300.  So did the school's rows
 * unknown to the statistics (another school's big roster analysed
 * before them, theirs not: sql/0069).  Counts, not time.
 */
static void
test_apply_work(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	char		 conninfo[1024];
	PGconn		*conn;
	PGresult	*res;
	long long	 acc, id, read = -1, analyzed;
	int		 i;

	/* Another school's roster of ROSTER_MAX_ROWS rows first, so that
	 * the next one's 300 rows are a few percent of the table: 0029's
	 * rule (analyse past a tenth) left them out of the statistics, and
	 * on a database of many schools each application's lookup by name
	 * then read every row of the school (sql/0069). */
	{
		struct school	 o;

		school_new(&o, "Большова");
		roster_csv(&t, ROSTER_MAX_ROWS, 0);
		upload_ok(&o.admin.c, o.id, &t, NULL);
		free(t.s);
		memset(&t, 0, sizeof(t));
	}
	school_new(&s, "Работова");
	text_add(&t, HEADER ";Телефон\r\n");
	for (i = 0; i < 40; i++) {
		acc = t_account_add("Заявкина");
		t_application_add(s.id, acc, "student", s.a9);
		text_add(&t, "%s;Иван;Петрович;ученик;9А;2011-01-01;%s\r\n",
		    name_of(1000 + i), t_sql("SELECT phone FROM parta.account"
		    " WHERE id = %lld", acc));
	}
	for (i = 0; i < 260; i++)
		text_add(&t, "%s;Иван;Петрович;ученик;9 б;2011-02-02;\r\n",
		    name_of(i));
	analyzed = t_ll(t_sql(ANALYZE_COUNT));
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(rows_in(s.id, id, "draft"), 300);
	/* The upload analysed the table, though its rows are a few
	 * percent of it.  Counted by ANALYZE itself (the count of
	 * ANALYZE commands, written at once in PostgreSQL 15), not by
	 * reltuples against count(*): autovacuum estimates reltuples
	 * too, and past 30 000 rows ANALYZE samples. */
	T_TRUE(t_ll(t_sql(ANALYZE_COUNT)) > analyzed);

	snprintf(conninfo, sizeof(conninfo), "%s user=parta_app",
	    getenv("PARTA_DB"));
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		T_FAIL("connect as parta_app: %s", PQerrorMessage(conn));
	res = PQexec(conn, t_fmt("BEGIN;"
	    " SELECT set_config('parta.account', '%lld', true),"
	    "  set_config('parta.orgs', '{%lld}', true);"
	    " SELECT parta.roster_apply(%lld, %lld, %lld, NULL);",
	    s.admin.id, s.id, s.id, id, s.admin.id));
	T_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
	T_STREQ(PQgetvalue(res, 0, 0), "ok");
	PQclear(res);
	res = PQexec(conn, t_fmt("SELECT coalesce(seq_tup_read, 0)"
	    " + coalesce(idx_tup_fetch, 0), (SELECT count(*)"
	    " FROM parta.application WHERE org_id = %lld"
	    " AND roster_why IS NOT NULL)"
	    " FROM pg_stat_xact_user_tables"
	    " WHERE relid = 'parta.roster_row'::regclass", s.id));
	T_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
	read = t_ll(PQgetvalue(res, 0, 0));
	/* Every application was matched (noted by its phone). */
	T_EQ(t_ll(PQgetvalue(res, 0, 1)), 40);
	PQclear(res);
	PQclear(PQexec(conn, "ROLLBACK"));
	PQfinish(conn);
	printf("# roster rows read by the apply: %lld\n", read);
	T_TRUE(read > 0 && read <= 20 * 300);
	T_EQ(rows_in(s.id, id, "draft"), 300);
}

/*
 * The work of EXPLAIN ANALYZE's text plan: every node's rows and the
 * rows its filters removed, times its loops.  What a nested loop does
 * once per pair shows here as the product of its sides.
 */
static double
plan_work(PGresult *res)
{
	const char	*l, *p;
	double		 rows, loops = 1, removed, work = 0;
	int		 i;

	for (i = 0; i < PQntuples(res); i++) {
		l = PQgetvalue(res, i, 0);
		if ((p = strstr(l, "(actual time=")) != NULL &&
		    (p = strstr(p, " rows=")) != NULL &&
		    sscanf(p, " rows=%lf loops=%lf", &rows, &loops) == 2)
			work += rows * loops;
		else if ((p = strstr(l, "Rows Removed by ")) != NULL &&
		    (p = strchr(p, ':')) != NULL &&
		    sscanf(p + 1, "%lf", &removed) == 1)
			work += removed * loops;
	}
	return work;
}

/*
 * The preview's work (what the apply runs first) for a school's roster
 * of n rows with n pending applications of other people, in a school
 * of its own: as the programs' role, with the nested loops the planner
 * chooses when it takes the roster or the queue for small (a roster
 * just uploaded, a queue grown since the last ANALYZE), JIT off (its
 * compilation is no work of the statement's).
 */
static double
preview_work(int n, int first)
{
	struct school	 s;
	struct text	 t = { 0 };
	char		 conninfo[1024];
	PGconn		*conn;
	PGresult	*res;
	long long	 id;
	double		 work = -1;

	school_new(&s, "Линейная");
	T_TRUE(t_sql("WITH a AS (INSERT INTO parta.account (last_name,"
	    " first_name, gender, birth_date, email, password_hash)"
	    " SELECT 'Очередина', 'Ая' || i, 'f', '2011-03-03',"
	    " 'queue-' || gen_random_uuid() || '@example.ru', 'x'"
	    " FROM generate_series(1, %d) i RETURNING id)"
	    " INSERT INTO parta.application (org_id, account_id, role,"
	    " class_id) SELECT %lld, a.id, 'student', %lld FROM a",
	    n, s.id, s.a9) != NULL);
	roster_csv(&t, n, first);
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(rows_in(s.id, id, "draft"), n);

	snprintf(conninfo, sizeof(conninfo), "%s user=parta_app",
	    getenv("PARTA_DB"));
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		T_FAIL("connect as parta_app: %s", PQerrorMessage(conn));
	PQclear(PQexec(conn, t_fmt("SELECT set_config('parta.account',"
	    " '%lld', false), set_config('parta.orgs', '{%lld}', false)",
	    s.admin.id, s.id)));
	PQclear(PQexec(conn, "SET enable_hashjoin = off"));
	PQclear(PQexec(conn, "SET enable_mergejoin = off"));
	PQclear(PQexec(conn, "SET jit = off"));
	res = PQexec(conn, t_fmt("EXPLAIN (ANALYZE, FORMAT TEXT)"
	    " SELECT * FROM parta.roster_preview(%lld, %lld)", s.id, id));
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		work = plan_work(res);
	else
		T_FAIL("explain: %s", PQerrorMessage(conn));
	PQclear(res);
	/* Every row new: nobody of the queue is named as a row. */
	res = PQexec(conn, t_fmt("SELECT count(*) FROM"
	    " parta.roster_preview(%lld, %lld) WHERE outcome = 'new'", s.id,
	    id));
	T_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
	T_EQ(t_ll(PQgetvalue(res, 0, 0)), n);
	PQclear(res);
	PQfinish(conn);
	printf("# preview of %d rows, %d pending: work %.0f\n", n, n, work);
	return work;
}

/*
 * The preview's work grows with the rows and the applications, not with
 * their product, whatever join the planner picks: four times the rows
 * and the queue, about four times the work (sixteen when a nested loop
 * computed an account's name key per row and application:
 * sql/0066_roster_apply_speed.sql; 5 000 rows took minutes and the
 * apply answered 504).  Counts, not time.
 */
static void
test_preview_work(void)
{
	double	 w1, w4;

	w1 = preview_work(150, 5000);
	w4 = preview_work(600, 5200);
	T_TRUE(w1 > 0 && w4 > 0);
	T_TRUE(w4 <= 6 * w1);
}

/*
 * A roster of ROSTER_MAX_ROWS rows (the most lib/roster reads), with a
 * queue of 200 pending applications of other people, is applied through
 * nginx: 303, every row expected (not nginx's 504 after 60 s).
 */
static void
test_apply_full(void)
{
	struct school	 s;
	struct text	 t = { 0 };
	long long	 id;

	school_new(&s, "Полнова");
	T_TRUE(t_sql("WITH a AS (INSERT INTO parta.account (last_name,"
	    " first_name, gender, birth_date, email, password_hash)"
	    " SELECT 'Очередина', 'Яна' || i, 'f', '2011-03-03',"
	    " 'queue-' || gen_random_uuid() || '@example.ru', 'x'"
	    " FROM generate_series(1, 200) i RETURNING id)"
	    " INSERT INTO parta.application (org_id, account_id, role,"
	    " class_id) SELECT %lld, a.id, 'student', %lld FROM a",
	    s.id, s.a9) != NULL);
	roster_csv(&t, ROSTER_MAX_ROWS, 0);
	id = upload_ok(&s.admin.c, s.id, &t, NULL);
	free(t.s);
	T_EQ(rows_in(s.id, id, "draft"), ROSTER_MAX_ROWS);
	T_EQ(apply(&s.admin.c, s.id, id, ""), 303);
	T_EQ(rows_in(s.id, id, "expected"), ROSTER_MAX_ROWS);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "500 people of two classes: preview, apply", test_five_hundred },
		{ "errors by row", test_errors_by_row },
		{ "413 over the limits, 422 unreadable, nothing stored",
		    test_limits },
		{ "the same file twice makes nobody twice", test_same_file },
		{ "a subset applied; applied once", test_subset },
		{ "concurrent applies: one 303, the rest 409",
		    test_concurrent_apply },
		{ "a missing class offered and created", test_missing_class },
		{ "names only, no class chosen", test_no_class },
		{ "a homeroom teacher's roster: their class only",
		    test_homeroom },
		{ "another organization's roster is 404", test_other_org },
		{ "the CSV export", test_csv },
		{ "an apply's work: rows plus applications, not their product",
		    test_apply_work },
		{ "the preview's work: linear in the rows and the queue",
		    test_preview_work },
		{ "a roster of ROSTER_MAX_ROWS rows applied through nginx",
		    test_apply_full },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
