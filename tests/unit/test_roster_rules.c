/*
 * Unit tests for the roster rules (sql/0029_roster_rules.sql) and
 * lib/member's member_roster_apply, against the real PostgreSQL of the
 * local stack (PARTA_DB).  Every case runs in a transaction it rolls
 * back.
 *
 * The matching rule: a later applicant who matches exactly one expected
 * row exactly (the same names and a verified phone, a verified e-mail,
 * the row's link, or the birth date + the class of the link) is
 * accepted at once into the row's class, with the roster's authority
 * (roster_authority: who applied an administrator's roster, else its
 * maker, while an administrator; a homeroom teacher's, its maker while
 * they lead the class); two rows, the names only, or a phone with other
 * names leave the application in the queue with a note of the row and
 * why; no match leaves it as it was.  A removed person is not expected
 * and not let in; a roster nobody holds the right for accepts nobody.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "db.h"
#include "member.h"
#include "unit.h"

static const struct db_stmt q_org = {
	"test_roster_org",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp) VALUES ('70', 'school', 'Школа Списков', 'Школа Списков', $1,"
	" '7000ZZ001') RETURNING id"
};

/* A person: names, birth date, phone and e-mail (NULL: none), verified
 * or not ($7). */
static const struct db_stmt q_account = {
	"test_roster_account",
	"INSERT INTO parta.account (last_name, first_name, patronymic, gender,"
	" birth_date, phone, phone_verified, email, email_verified,"
	" password_hash)"
	" VALUES ($1, $2, $3, 'f', $4::date, $5::text,"
	" $5::text IS NOT NULL AND $7::boolean,"
	" $6::text, $6::text IS NOT NULL AND $7::boolean, 'x') RETURNING id"
};

static const struct db_stmt q_member = {
	"test_roster_member",
	"INSERT INTO parta.member (org_id, account_id, role, verified)"
	" VALUES ($1, $2, $3, true) RETURNING account_id AS id"
};

static const struct db_stmt q_class = {
	"test_roster_class",
	"INSERT INTO parta.class (org_id, grade, letter, title, year, color)"
	" VALUES ($1, $2, $3, $4, parta.org_year($1), '#2563c9') RETURNING id"
};

static const struct db_stmt q_class_member = {
	"test_roster_class_member",
	"INSERT INTO parta.class_member (org_id, class_id, account_id, role)"
	" VALUES ($1, $2, $3, $4) RETURNING class_id AS id"
};

static const struct db_stmt q_roster = {
	"test_roster_roster",
	"INSERT INTO parta.roster (org_id, created_by, class_id, file_hash,"
	" row_count) VALUES ($1, $2, nullif($3, '0')::bigint,"
	" sha256(random()::text::bytea), 0) RETURNING id"
};

/* A row as lib/roster reads it: the class as written and parsed. */
static const struct db_stmt q_row = {
	"test_roster_row",
	"INSERT INTO parta.roster_row (org_id, roster_id, line, last_name,"
	" first_name, patronymic, role, class_text, grade, letter, phone,"
	" email, birth_date, error)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, coalesce($8 || $9, ''),"
	"  $8::smallint, coalesce($9, ''), $10, $11, $12, $13)"
	" RETURNING line AS id"
};

static const struct db_stmt q_app = {
	"test_roster_app",
	"INSERT INTO parta.application (org_id, account_id, role, class_id)"
	" VALUES ($1, $2, $3, nullif($4, '0')::bigint) RETURNING id",
	DB_BARRED
};

/* An application as it stands, with the applicant's standing. */
static const struct db_stmt q_app_get = {
	"test_roster_app_get",
	"SELECT a.status, coalesce(a.roster_id, 0) AS roster_id,"
	" coalesce(a.roster_line, 0) AS roster_line,"
	" coalesce(a.roster_why, '') AS roster_why,"
	" coalesce(a.class_id, 0) AS class_id,"
	" coalesce(a.decided_by, 0) AS decided_by,"
	" coalesce((SELECT m.role FROM parta.member m"
	"  WHERE m.org_id = a.org_id AND m.account_id = a.account_id), '')"
	"  AS member_role,"
	" coalesce((SELECT string_agg(cm.class_id::text, ',')"
	"  FROM parta.class_member cm WHERE cm.org_id = a.org_id"
	"  AND cm.account_id = a.account_id), '') AS classes"
	" FROM parta.application a WHERE a.org_id = $1 AND a.id = $2"
};

static const struct db_stmt q_row_get = {
	"test_roster_row_get",
	"SELECT state, coalesce(account_id, 0) AS account_id,"
	" coalesce(application_id, 0) AS application_id,"
	" coalesce(class_id, 0) AS class_id"
	" FROM parta.roster_row WHERE org_id = $1 AND roster_id = $2"
	" AND line = $3"
};

static const struct db_stmt q_preview = {
	"test_roster_preview",
	"SELECT p.line, p.outcome, coalesce(p.class_id, 0) AS class_id,"
	" coalesce(p.account_id, 0) AS account_id,"
	" coalesce(p.application_id, 0) AS application_id,"
	" coalesce(p.dup_line, 0) AS dup_line"
	" FROM parta.roster_preview($1, $2) p ORDER BY p.line"
};

static const struct db_stmt q_roster_class = {
	"test_roster_roster_class",
	"SELECT coalesce(parta.roster_class($1, $2::smallint, $3, $4), 0)"
	" AS id"
};

/* parta.roster_match of a row (student, no contacts, class 7, link 9)
 * and an applicant of names $1 (person_key), birth $2, class $3, link
 * $4: 'exact', 'near' or ''. */
static const struct db_stmt q_match = {
	"test_roster_match",
	"SELECT coalesce(parta.roster_match('student', NULL, NULL,"
	" parta.person_key('Иванов', 'Иван', ''), NULL, 7, 9,"
	" 'student', NULL, NULL, $1, $2::date, $3::bigint, $4::bigint), '')"
	" AS how"
};

static const struct db_stmt q_audit = {
	"test_roster_audit",
	"SELECT coalesce(string_agg(action || ': ' || detail, '|'"
	" ORDER BY id), '') AS audit FROM parta.audit"
	" WHERE org_id = $1 AND action LIKE 'roster%'"
};

/* What is queued for recipient $1. */
static const struct db_stmt q_outbox = {
	"test_roster_outbox",
	"SELECT coalesce(string_agg(body, '|' ORDER BY id), '') AS body"
	" FROM parta.outbox WHERE recipient = $1"
};

static const struct db_stmt q_end = {
	"test_roster_end",
	"SELECT parta.member_end($1, $2, $3, 'removed') AS r"
};

static const struct db_stmt q_homeroom_unset = {
	"test_roster_homeroom_unset",
	"SELECT parta.homeroom_unset($1, $2, $3, $3) AS r"
};

/* An administrator hands over: $2 is one no more, $3 becomes one. */
static const struct db_stmt q_handover = {
	"test_roster_handover",
	"UPDATE parta.member SET role = CASE account_id WHEN $2 THEN 'teacher'"
	" ELSE 'admin' END WHERE org_id = $1 AND account_id IN ($2, $3)"
};

static const struct db_stmt q_authority = {
	"test_roster_authority",
	"SELECT coalesce(parta.roster_authority($1, $2), 0) AS id"
};

static const struct db_stmt q_applied = {
	"test_roster_applied",
	"SELECT applied_at IS NOT NULL AS applied FROM parta.roster"
	" WHERE org_id = $1 AND id = $2"
};

static const struct db_stmt q_savepoint = {
	"test_roster_savepoint",
	"SAVEPOINT t"
};

static const struct db_stmt q_rollback_to = {
	"test_roster_rollback_to",
	"ROLLBACK TO SAVEPOINT t"
};

/* A school: its administrator, 9Г with its homeroom teacher, 9Б. */
struct school {
	long long	 org, admin, homeroom, c9g, c9b;
};

static int
setup(void **state)
{
	(void)state;
	return unit_db_begin("test_roster_rules");
}

static const char *
num(char *buf, long long n)
{
	snprintf(buf, 24, "%lld", n);
	return buf;
}

/* The id column of the one row q answers with its n parameters. */
static long long
one_id(const struct db_stmt *q, int n, ...)
{
	const char	*p[16];
	PGresult	*res;
	va_list		 ap;
	int		 i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		p[i] = va_arg(ap, const char *);
	va_end(ap);
	res = db_execv(q, PGRES_TUPLES_OK, n, p);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	return db_getll(res, 0, "id");
}

/* A fresh mobile number nobody has. */
static const char *
phone_new(char *buf)
{
	uint32_t	 r;

	assert_int_equal(getrandom(&r, sizeof(r), 0), (ssize_t)sizeof(r));
	snprintf(buf, 16, "+79%09u", r % 1000000000u);
	return buf;
}

static const char *
email_new(char *buf)
{
	uint32_t	 r;

	assert_int_equal(getrandom(&r, sizeof(r), 0), (ssize_t)sizeof(r));
	snprintf(buf, 64, "r%u@roster.test", r);
	return buf;
}

static long long
person(const char *last, const char *first, const char *patronymic,
    const char *birth, const char *phone, const char *email, int verified)
{
	return one_id(&q_account, 7, last, first, patronymic, birth, phone,
	    email, verified ? "true" : "false");
}

static void
school_new(struct school *s)
{
	char		 inn[16], o[24], a[24], k[24], ph[16];
	uint32_t	 r;

	assert_int_equal(getrandom(&r, sizeof(r), 0), (ssize_t)sizeof(r));
	snprintf(inn, sizeof(inn), "71%08u", r % 100000000u);
	s->org = one_id(&q_org, 1, inn);
	num(o, s->org);
	s->admin = person("Админова", "Алла", "", "1980-01-01", phone_new(ph),
	    NULL, 1);
	one_id(&q_member, 3, o, num(a, s->admin), "admin");
	s->homeroom = person("Классная", "Клара", "", "1981-01-01",
	    phone_new(ph), NULL, 1);
	one_id(&q_member, 3, o, num(a, s->homeroom), "teacher");
	s->c9g = one_id(&q_class, 4, o, "9", "Г", "");
	s->c9b = one_id(&q_class, 4, o, "9", "Б", "");
	one_id(&q_class_member, 4, o, num(k, s->c9g), num(a, s->homeroom),
	    "homeroom");
}

static long long
roster_new(const struct school *s, long long maker, long long cls)
{
	char	 o[24], m[24], c[24];

	return one_id(&q_roster, 3, num(o, s->org), num(m, maker),
	    num(c, cls));
}

/* A student's row of class 9 letter (NULL: no class). */
static void
row_add(const struct school *s, long long roster, int line,
    const char *last, const char *first, const char *patronymic,
    const char *role, const char *letter, const char *phone,
    const char *email, const char *birth, const char *error)
{
	char	 o[24], r[24], l[24];

	one_id(&q_row, 13, num(o, s->org), num(r, roster), num(l, line),
	    last, first, patronymic, role, letter != NULL ? "9" : NULL,
	    letter, phone, email, birth, error);
}

/* who applies to the school as role for class cls: the application's
 * id, or 0 when the database refused it as barred. */
static long long
apply(const struct school *s, long long who, const char *role,
    long long cls)
{
	char		 o[24], w[24], c[24];
	PGresult	*res;

	assert_non_null(db_exec(&q_savepoint, PGRES_COMMAND_OK));
	res = db_exec(&q_app, PGRES_TUPLES_OK, num(o, s->org), num(w, who),
	    role, num(c, cls));
	if (res == NULL) {
		assert_string_equal(db_sqlstate(), DB_BARRED);
		assert_non_null(db_exec(&q_rollback_to, PGRES_COMMAND_OK));
		return 0;
	}
	return db_getll(res, 0, "id");
}

static PGresult *
app_get(const struct school *s, long long app)
{
	char		 o[24], a[24];
	PGresult	*res;

	res = db_exec(&q_app_get, PGRES_TUPLES_OK, num(o, s->org),
	    num(a, app));
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	return res;
}

static PGresult *
row_get(const struct school *s, long long roster, int line)
{
	char		 o[24], r[24], l[24];
	PGresult	*res;

	res = db_exec(&q_row_get, PGRES_TUPLES_OK, num(o, s->org),
	    num(r, roster), num(l, line));
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	return res;
}

static const char *
audit_of(const struct school *s)
{
	char		 o[24];
	PGresult	*res;

	res = db_exec(&q_audit, PGRES_TUPLES_OK, num(o, s->org));
	assert_non_null(res);
	return db_get(res, 0, "audit");
}

/* Accepted at once by line of roster into class cls. */
static void
assert_accepted(const struct school *s, long long app, long long roster,
    int line, long long cls, long long who)
{
	PGresult	*res;
	char		 c[24];

	res = app_get(s, app);
	assert_string_equal(db_get(res, 0, "status"), "accepted");
	assert_string_equal(db_get(res, 0, "member_role"), "student");
	assert_string_equal(db_get(res, 0, "classes"), num(c, cls));
	assert_int_equal(db_getll(res, 0, "class_id"), cls);
	assert_int_equal(db_getll(res, 0, "roster_id"), roster);
	assert_int_equal(db_getll(res, 0, "roster_line"), line);
	res = row_get(s, roster, line);
	assert_string_equal(db_get(res, 0, "state"), "joined");
	assert_int_equal(db_getll(res, 0, "account_id"), who);
	assert_int_equal(db_getll(res, 0, "application_id"), app);
	assert_int_equal(db_getll(res, 0, "class_id"), cls);
}

/* Pending, with a note of line of roster (0: none). */
/* What roster_match answers for the applicant (names key, birth, class,
 * link). */
static const char *
match_of(const char *key, const char *birth, const char *cls,
    const char *link)
{
	PGresult	*res;

	res = db_exec(&q_match, PGRES_TUPLES_OK, key, birth, cls, link);
	assert_non_null(res);
	return db_get(res, 0, "how");
}

/*
 * A personal link is a card handed to one child: it makes a match exact
 * only with the row's names (the list may lack the birth date).  The
 * card used by someone of other names (passed on, or a typo in the
 * list) is only near: a reviewer looks.
 */
static void
test_personal_link(void **state)
{
	(void)state;
	/* The row's names by its own link, no birth date anywhere. */
	assert_string_equal(match_of("иванов иван ", NULL, "7", "9"),
	    "exact");
	/* Other names by the row's link: near, never exact. */
	assert_string_equal(match_of("петров петр ", NULL, "7", "9"), "near");
	/* The row's names by another link of the class, no birth date:
	 * near. */
	assert_string_equal(match_of("иванов иван ", NULL, "7", "10"),
	    "near");
	/* Other names, other link: no match. */
	assert_string_equal(match_of("петров петр ", NULL, "7", "10"), "");
}

static void
assert_pending(const struct school *s, long long app, long long roster,
    int line)
{
	PGresult	*res;

	res = app_get(s, app);
	assert_string_equal(db_get(res, 0, "status"), "pending");
	assert_string_equal(db_get(res, 0, "member_role"), "");
	assert_int_equal(db_getll(res, 0, "roster_id"), line ? roster : 0);
	assert_int_equal(db_getll(res, 0, "roster_line"), line);
}

static void
assert_row_state(const struct school *s, long long roster, int line,
    const char *state)
{
	assert_string_equal(db_get(row_get(s, roster, line), 0, "state"),
	    state);
}

/* An administrator's roster of 9Г rows, applied. */
static long long
roster_applied(const struct school *s, void (*rows)(const struct school *,
    long long))
{
	long long	 roster = roster_new(s, s->admin, 0);

	rows(s, roster);
	assert_int_equal(member_roster_apply(s->org, roster, s->admin, NULL),
	    MEMBER_OK);
	return roster;
}

static char	 g_phone[16], g_email[64];

static void	assert_preview(const struct school *, long long, const int *,
		    const char *const *, size_t);

static void
rows_contacts(const struct school *s, long long roster)
{
	row_add(s, roster, 2, "Иванов", "Иван", "", "student", "Г", g_phone,
	    NULL, NULL, NULL);
	row_add(s, roster, 3, "Петрова", "Анна", "", "student", "Г", NULL,
	    g_email, NULL, NULL);
}

/* Exact by the names and a verified phone, or a verified e-mail:
 * accepted at once into the row's class, whatever class the applicant
 * chose, audited in words; the same contact unverified is no match. */
static void
test_exact_contacts(void **state)
{
	struct school	 s;
	long long	 roster, a, b, c, app;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	email_new(g_email);
	roster = roster_applied(&s, rows_contacts);
	assert_row_state(&s, roster, 2, "expected");

	/* The same phone, not proved: no match, no note. */
	c = person("Другой", "Кто-то", "", "2010-01-01", g_phone, NULL, 0);
	app = apply(&s, c, "student", s.c9b);
	assert_pending(&s, app, roster, 0);
	assert_row_state(&s, roster, 2, "expected");

	a = person("Иванов", "Иван", "", "2010-02-02", g_phone, NULL, 1);
	app = apply(&s, a, "student", s.c9b);
	assert_accepted(&s, app, roster, 2, s.c9g, a);
	assert_int_equal(db_getll(app_get(&s, app), 0, "decided_by"),
	    s.admin);

	b = person("Петрова", "Анна", "", "2010-03-03", NULL, g_email, 1);
	app = apply(&s, b, "student", s.c9g);
	assert_accepted(&s, app, roster, 3, s.c9g, b);
	/* Women both (q_account): the words agree. */
	assert_non_null(strstr(audit_of(&s), "roster_accept: принята по "
	    "списку №"));
	assert_non_null(strstr(audit_of(&s), " (строка 3), 9Г"));
	assert_non_null(strstr(audit_of(&s), "roster_apply: №"));
}

/* The row's verified phone or e-mail with other names: only near, noted
 * why; the row keeps waiting. */
static void
test_contact_other_names(void **state)
{
	struct school	 s;
	long long	 roster, c, app;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	email_new(g_email);
	roster = roster_applied(&s, rows_contacts);
	c = person("Другой", "Человек", "", "2010-01-01", g_phone, NULL, 1);
	app = apply(&s, c, "student", s.c9g);
	assert_pending(&s, app, roster, 2);
	assert_string_equal(db_get(app_get(&s, app), 0, "roster_why"),
	    "phone");
	assert_row_state(&s, roster, 2, "expected");
	c = person("Другая", "Особа", "", "2010-01-01", NULL, g_email, 1);
	app = apply(&s, c, "student", s.c9g);
	assert_pending(&s, app, roster, 3);
	assert_string_equal(db_get(app_get(&s, app), 0, "roster_why"),
	    "email");
	assert_null(strstr(audit_of(&s), "roster_accept"));
}

static void
rows_names(const struct school *s, long long roster)
{
	row_add(s, roster, 2, "Сидорова", "Мария", "Петровна", "student",
	    "Г", NULL, NULL, "2010-04-04", NULL);
	row_add(s, roster, 3, "Орлова", "Ольга", "", "student", "Г", NULL,
	    NULL, NULL, NULL);
}

/* Exact by names + birth date + the class of the link (the spelling of
 * «ё» and case aside); the same names in another class, or without a
 * birth date on the row, are near: noted, left in the queue. */
static void
test_exact_names(void **state)
{
	struct school	 s;
	long long	 roster, a, b, c, app;

	(void)state;
	school_new(&s);
	roster = roster_applied(&s, rows_names);

	/* Another class: near. */
	a = person("СИДОРОВА", "Мария", "Петровна", "2010-04-04", NULL,
	    email_new(g_email), 1);
	app = apply(&s, a, "student", s.c9b);
	assert_pending(&s, app, roster, 2);
	assert_row_state(&s, roster, 2, "expected");

	/* Another birth date: near. */
	b = person("Сидорова", "Мария", "Петровна", "2011-04-04", NULL,
	    email_new(g_email), 1);
	app = apply(&s, b, "student", s.c9g);
	assert_pending(&s, app, roster, 2);

	/* The names only on the row: near. */
	c = person("Орлова", "Ольга", "", "2010-05-05", NULL,
	    email_new(g_email), 1);
	app = apply(&s, c, "student", s.c9g);
	assert_pending(&s, app, roster, 3);
	assert_string_equal(db_get(app_get(&s, app), 0, "roster_why"),
	    "name");
	assert_row_state(&s, roster, 3, "expected");
}

/* The exact one: accepted even though near ones wait in the queue. */
static void
test_exact_names_accepted(void **state)
{
	struct school	 s;
	long long	 roster, a, app;

	(void)state;
	school_new(&s);
	roster = roster_applied(&s, rows_names);
	a = person("Сидорова", "Мария", "Петровна", "2010-04-04", NULL,
	    email_new(g_email), 1);
	app = apply(&s, a, "student", s.c9g);
	assert_accepted(&s, app, roster, 2, s.c9g, a);
}

static void
rows_two(const struct school *s, long long roster)
{
	row_add(s, roster, 2, "Кошкина", "Ксения", "", "student", "Г",
	    g_phone, NULL, NULL, NULL);
	row_add(s, roster, 3, "Кошкина", "Ксения", "", "student", "Г", NULL,
	    NULL, "2010-06-06", NULL);
}

/* Two rows of the same names exactly (one by the phone, one by birth +
 * class): ambiguous, noted with the first and why, nobody accepted. */
static void
test_ambiguous(void **state)
{
	struct school	 s;
	long long	 roster, a, app;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	roster = roster_applied(&s, rows_two);
	a = person("Кошкина", "Ксения", "", "2010-06-06", g_phone, NULL, 1);
	app = apply(&s, a, "student", s.c9g);
	assert_pending(&s, app, roster, 2);
	assert_string_equal(db_get(app_get(&s, app), 0, "roster_why"),
	    "rows");
	assert_row_state(&s, roster, 2, "expected");
	assert_row_state(&s, roster, 3, "expected");
	assert_null(strstr(audit_of(&s), "roster_accept"));
}

static void
rows_siblings(const struct school *s, long long roster)
{
	/* A sister in 9Б and her brother in 9Г: the parent's phone. */
	row_add(s, roster, 2, "Братова", "Белла", "", "student", "Б",
	    g_phone, NULL, "2011-02-02", NULL);
	row_add(s, roster, 3, "Братов", "Борис", "", "student", "Г", g_phone,
	    NULL, "2009-03-03", NULL);
}

/* School lists give a parent's phone, shared by brothers and sisters:
 * the sister applying with her names, birth date and the parent's phone
 * by a link of her brother's class is accepted by her own row, into her
 * class; the brother's row (the same phone) keeps waiting. */
static void
test_siblings(void **state)
{
	struct school	 s;
	long long	 roster, a, app;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	roster = roster_applied(&s, rows_siblings);
	a = person("Братова", "Белла", "", "2011-02-02", g_phone, NULL, 1);
	app = apply(&s, a, "student", s.c9g);
	assert_accepted(&s, app, roster, 2, s.c9b, a);
	assert_row_state(&s, roster, 3, "expected");
}

/* Nobody like the applicant: left as it was, no note. */
static void
test_none(void **state)
{
	struct school	 s;
	long long	 roster, a, app;

	(void)state;
	school_new(&s);
	roster = roster_applied(&s, rows_names);
	a = person("Незнакомова", "Нина", "", "2010-04-04", NULL,
	    email_new(g_email), 1);
	app = apply(&s, a, "student", s.c9g);
	assert_pending(&s, app, roster, 0);
	/* A teacher of the same names as a student's row: another role. */
	a = person("Сидорова", "Мария", "Петровна", "2010-04-04", NULL,
	    email_new(g_email), 1);
	app = apply(&s, a, "teacher", 0);
	assert_pending(&s, app, roster, 0);
}

/* A person removed from the school is not expected by the roster: the
 * preview says so, the apply skips the row (no card is made for it);
 * the database refuses their application. */
static void
test_barred(void **state)
{
	struct school	 s;
	long long	 roster, a, app;
	char		 o[24], w[24], ad[24];
	PGresult	*res;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	email_new(g_email);
	a = person("Иванов", "Иван", "", "2010-02-02", g_phone, NULL, 1);
	one_id(&q_member, 3, num(o, s.org), num(w, a), "student");
	res = db_exec(&q_end, PGRES_TUPLES_OK, o, w, num(ad, s.admin));
	assert_non_null(res);
	assert_string_equal(db_get(res, 0, "r"), "ok");
	roster = roster_new(&s, s.admin, 0);
	rows_contacts(&s, roster);
	{
		static const int lines[] = { 2, 3 };
		static const char *const outcomes[] = { "barred", "new" };

		assert_preview(&s, roster, lines, outcomes, 2);
	}
	assert_int_equal(member_roster_apply(s.org, roster, s.admin, NULL),
	    MEMBER_OK);
	assert_row_state(&s, roster, 2, "skipped");
	assert_row_state(&s, roster, 3, "expected");
	app = apply(&s, a, "student", s.c9g);
	assert_int_equal(app, 0);
	assert_row_state(&s, roster, 2, "skipped");
	assert_null(strstr(audit_of(&s), "roster_accept"));
}

static void
rows_homeroom(const struct school *s, long long roster)
{
	row_add(s, roster, 2, "Иванов", "Иван", "", "student", NULL, g_phone,
	    NULL, NULL, NULL);
}

/* A homeroom teacher's roster of their class accepts its students; once
 * the teacher no longer leads the class it accepts nobody: the
 * application waits with its note. */
static void
test_maker_lost_right(void **state)
{
	struct school	 s;
	long long	 roster, a, app;
	char		 o[24], k[24], t[24];
	PGresult	*res;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	roster = roster_new(&s, s.homeroom, s.c9g);
	rows_homeroom(&s, roster);
	/* Only an administrator or the class's homeroom teacher applies. */
	assert_int_equal(member_roster_apply(s.org, roster, s.homeroom,
	    "{2}"), MEMBER_OK);
	assert_int_equal(db_getll(row_get(&s, roster, 2), 0, "class_id"),
	    s.c9g);
	res = db_exec(&q_homeroom_unset, PGRES_TUPLES_OK, num(o, s.org),
	    num(k, s.c9g), num(t, s.homeroom));
	assert_non_null(res);
	assert_string_equal(db_get(res, 0, "r"), "ok");
	assert_int_equal(one_id(&q_authority, 2, o, num(t, roster)), 0);
	a = person("Иванов", "Иван", "", "2010-02-02", g_phone, NULL, 1);
	app = apply(&s, a, "student", s.c9g);
	assert_pending(&s, app, roster, 2);
	assert_string_equal(db_get(app_get(&s, app), 0, "roster_why"), "off");
	assert_row_state(&s, roster, 2, "expected");
}

/*
 * An administrator's roster after the administrator hands over: made
 * by the old one and applied by the new one, it accepts with the new
 * one's authority; made and applied by the old one, it is no longer in
 * force (roster_authority NULL): the application waits, noted why.
 */
static void
test_handover(void **state)
{
	struct school	 s;
	long long	 roster, old_roster, next, a, app;
	char		 o[24], x[24], y[24], ph[16];

	(void)state;
	school_new(&s);
	num(o, s.org);
	phone_new(g_phone);
	next = person("Новая", "Нора", "", "1979-01-01", phone_new(ph), NULL,
	    1);
	one_id(&q_member, 3, o, num(x, next), "teacher");
	/* Applied by the old administrator, before the handover. */
	old_roster = roster_applied(&s, rows_contacts);
	assert_int_equal(one_id(&q_authority, 2, o, num(x, old_roster)),
	    s.admin);
	/* Made by the old one, applied by the new one after it. */
	roster = roster_new(&s, s.admin, 0);
	row_add(&s, roster, 2, "Новенькая", "Надя", "", "student", "Б",
	    phone_new(ph), NULL, NULL, NULL);
	assert_non_null(db_exec(&q_handover, PGRES_COMMAND_OK, o,
	    num(x, s.admin), num(y, next)));
	assert_int_equal(one_id(&q_authority, 2, o, num(x, old_roster)), 0);
	assert_int_equal(member_roster_apply(s.org, roster, next, NULL),
	    MEMBER_OK);
	assert_int_equal(one_id(&q_authority, 2, o, num(x, roster)), next);

	a = person("Новенькая", "Надя", "", "2010-02-02", ph, NULL, 1);
	app = apply(&s, a, "student", s.c9g);
	assert_accepted(&s, app, roster, 2, s.c9b, a);
	assert_int_equal(db_getll(app_get(&s, app), 0, "decided_by"), next);

	a = person("Иванов", "Иван", "", "2010-02-02", g_phone, NULL, 1);
	app = apply(&s, a, "student", s.c9g);
	assert_pending(&s, app, old_roster, 2);
	assert_string_equal(db_get(app_get(&s, app), 0, "roster_why"), "off");
}

/* The same while the teacher still leads the class: accepted, by them. */
static void
test_maker_homeroom(void **state)
{
	struct school	 s;
	long long	 roster, a, app;

	(void)state;
	school_new(&s);
	phone_new(g_phone);
	roster = roster_new(&s, s.homeroom, s.c9g);
	rows_homeroom(&s, roster);
	assert_int_equal(member_roster_apply(s.org, roster, s.homeroom, NULL),
	    MEMBER_OK);
	a = person("Иванов", "Иван", "", "2010-02-02", g_phone, NULL, 1);
	app = apply(&s, a, "student", s.c9g);
	assert_accepted(&s, app, roster, 2, s.c9g, a);
	assert_int_equal(db_getll(app_get(&s, app), 0, "decided_by"),
	    s.homeroom);
}

/* "/me/applications/ID" of app (static). */
static const char *
app_path(long long app)
{
	static char	 buf[64];

	snprintf(buf, sizeof(buf), "/me/applications/%lld", app);
	return buf;
}

/* The preview's outcome of each line (and 0 for none). */
static void
assert_preview(const struct school *s, long long roster, const int *lines,
    const char *const *outcomes, size_t n)
{
	PGresult	*res;
	char		 o[24], r[24];
	size_t		 i;

	res = db_exec(&q_preview, PGRES_TUPLES_OK, num(o, s->org),
	    num(r, roster));
	assert_non_null(res);
	assert_int_equal(PQntuples(res), (int)n);
	for (i = 0; i < n; i++) {
		assert_int_equal(db_getll(res, (int)i, "line"), lines[i]);
		if (strcmp(db_get(res, (int)i, "outcome"), outcomes[i]) != 0)
			fail_msg("line %d: %s, want %s", lines[i],
			    db_get(res, (int)i, "outcome"), outcomes[i]);
	}
}

/* The value of col on line of the preview. */
static long long
preview_ll(const struct school *s, long long roster, int line,
    const char *col)
{
	PGresult	*res;
	char		 o[24], r[24];
	int		 i;

	res = db_exec(&q_preview, PGRES_TUPLES_OK, num(o, s->org),
	    num(r, roster));
	assert_non_null(res);
	for (i = 0; i < PQntuples(res); i++)
		if (db_getll(res, i, "line") == line)
			return db_getll(res, i, col);
	fail_msg("no line %d", line);
	return -1;
}

/*
 * The preview says what applying will do to every row, changing
 * nothing, and applying does it, once: a pending application matching
 * exactly (accepted at apply), a new person (expected), an error, a
 * class that does not exist, a row repeated, a member, a teacher and
 * another class in a homeroom teacher's roster (forbidden), a row a
 * pending application resembles (expected, the application noted).
 * Lines left out of the apply are skipped; the same person expected by
 * another roster is a duplicate there.
 */
static void
test_preview_apply(void **state)
{
	static const int lines[] = { 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	static const char *const before[] = { "application", "new", "error",
	    "class", "duplicate", "member", "forbidden", "new", "forbidden" };
	static const char *const after[] = { "joined", "skipped", "skipped",
	    "skipped", "skipped", "joined", "skipped", "expected",
	    "skipped" };
	static const int lines2[] = { 2 };
	static const char *const dup2[] = { "duplicate" };
	struct school	 s;
	long long	 roster, roster2, pupil, waiting, near, app_w, app_n;
	char		 o[24], w[24], ph[16], em[64];
	PGresult	*res;

	(void)state;
	school_new(&s);
	num(o, s.org);
	pupil = person("Членова", "Чара", "", "2010-07-07", phone_new(ph),
	    NULL, 1);
	one_id(&q_member, 3, o, num(w, pupil), "student");
	waiting = person("Ждунова", "Жанна", "", "2010-08-08", NULL,
	    email_new(em), 1);
	app_w = apply(&s, waiting, "student", s.c9g);
	near = person("Похожева", "Полина", "", "2011-01-01", NULL,
	    email_new(g_email), 1);
	app_n = apply(&s, near, "student", s.c9g);

	roster = roster_new(&s, s.homeroom, s.c9g);
	row_add(&s, roster, 2, "Ждунова", "Жанна", "", "student", "Г", NULL,
	    em, NULL, NULL);
	row_add(&s, roster, 3, "Новикова", "Нина", "", "student", "Г", NULL,
	    NULL, "2010-09-09", NULL);
	row_add(&s, roster, 4, "Ошибкин", "Олег", "", "student", "Г", NULL,
	    NULL, NULL, "Телефон записан не так: +7 и 10 цифр");
	row_add(&s, roster, 5, "Яковлев", "Яков", "", "student", "Я", NULL,
	    NULL, NULL, NULL);
	row_add(&s, roster, 6, "Новикова", "Нина", "", "student", "Г", NULL,
	    NULL, "2010-09-09", NULL);
	row_add(&s, roster, 7, "Членова", "Чара", "", "student", "Г", ph,
	    NULL, NULL, NULL);
	row_add(&s, roster, 8, "Учителев", "Ульян", "", "teacher", NULL,
	    NULL, NULL, NULL, NULL);
	row_add(&s, roster, 9, "Похожева", "Полина", "", "student", "Г",
	    NULL, NULL, "2010-01-01", NULL);
	row_add(&s, roster, 10, "Котова", "Кира", "", "student", "Б", NULL,
	    NULL, NULL, NULL);

	assert_preview(&s, roster, lines, before, 9);
	assert_int_equal(preview_ll(&s, roster, 2, "application_id"), app_w);
	assert_int_equal(preview_ll(&s, roster, 2, "account_id"), waiting);
	assert_int_equal(preview_ll(&s, roster, 3, "class_id"), s.c9g);
	assert_int_equal(preview_ll(&s, roster, 6, "dup_line"), 3);
	assert_int_equal(preview_ll(&s, roster, 7, "account_id"), pupil);
	/* Nothing changed. */
	assert_pending(&s, app_w, roster, 0);
	assert_pending(&s, app_n, roster, 0);
	assert_row_state(&s, roster, 2, "draft");

	/* Only an administrator or the homeroom teacher of its class. */
	assert_int_equal(member_roster_apply(s.org, roster, pupil, NULL),
	    MEMBER_FORBIDDEN);
	/* Rows none of which may be applied (an error, no class, a
	 * repeat, a teacher, not a line): nothing, nothing changed. */
	assert_int_equal(member_roster_apply(s.org, roster, s.homeroom,
	    "{4,5,6,8,99}"), MEMBER_NOTHING);
	assert_preview(&s, roster, lines, before, 9);
	assert_string_equal(db_get(db_exec(&q_applied, PGRES_TUPLES_OK, o,
	    num(w, roster)), 0, "applied"), "f");
	assert_int_equal(member_roster_apply(s.org, roster + 1000, s.admin,
	    NULL), MEMBER_NOT_FOUND);
	assert_int_equal(member_roster_apply(s.org, roster, s.homeroom,
	    "{2,4,5,6,7,8,9,10}"), MEMBER_OK);
	assert_int_equal(member_roster_apply(s.org, roster, s.admin, NULL),
	    MEMBER_DECIDED);

	assert_preview(&s, roster, lines, after, 9);
	assert_accepted(&s, app_w, roster, 2, s.c9g, waiting);
	/* Told, as a reviewer's decision tells (lib/member). */
	res = db_exec(&q_outbox, PGRES_TUPLES_OK, em);
	assert_non_null(res);
	assert_non_null(strstr(db_get(res, 0, "body"), "Парта: ваша заявка в "
	    "«Школа Списков» принята."));
	assert_non_null(strstr(db_get(res, 0, "body"), app_path(app_w)));
	res = db_exec(&q_outbox, PGRES_TUPLES_OK, g_email);
	assert_string_equal(db_get(res, 0, "body"), "");
	assert_pending(&s, app_n, roster, 9);
	assert_int_equal(preview_ll(&s, roster, 7, "account_id"), pupil);
	assert_non_null(strstr(audit_of(&s), ": принято заявок — 1, ждём "
	    "по списку — 1, уже в организации — 1, пропущено строк — 6"));

	/* The same person in a second roster: a duplicate, made nothing. */
	roster2 = roster_new(&s, s.admin, 0);
	row_add(&s, roster2, 2, "Похожева", "Полина", "", "student", "Г",
	    NULL, NULL, "2010-01-01", NULL);
	assert_preview(&s, roster2, lines2, dup2, 1);
	assert_int_equal(preview_ll(&s, roster2, 2, "dup_line"), 0);
	/* Nothing in it may be applied: refused, still a draft. */
	assert_int_equal(member_roster_apply(s.org, roster2, s.admin, NULL),
	    MEMBER_NOTHING);
	assert_row_state(&s, roster2, 2, "draft");
	assert_string_equal(db_get(db_exec(&q_applied, PGRES_TUPLES_OK, o,
	    num(w, roster2)), 0, "applied"), "f");
}

/* roster_class: «9Г» names 9Г; «9г» the same; «10А» the only 10А
 * (titled ФизМат); an unknown class, nothing. */
static void
test_roster_class(void **state)
{
	struct school	 s;
	long long	 fm;
	char		 o[24];
	PGresult	*res;

	(void)state;
	school_new(&s);
	num(o, s.org);
	fm = one_id(&q_class, 4, o, "10", "А", "ФизМат");
	res = db_exec(&q_roster_class, PGRES_TUPLES_OK, o, "9", "Г", "");
	assert_non_null(res);
	assert_int_equal(db_getll(res, 0, "id"), s.c9g);
	res = db_exec(&q_roster_class, PGRES_TUPLES_OK, o, "10", "А", "");
	assert_int_equal(db_getll(res, 0, "id"), fm);
	res = db_exec(&q_roster_class, PGRES_TUPLES_OK, o, "10", "А",
	    "физмат");
	assert_int_equal(db_getll(res, 0, "id"), fm);
	res = db_exec(&q_roster_class, PGRES_TUPLES_OK, o, "10", "А", "Гум");
	assert_int_equal(db_getll(res, 0, "id"), 0);
	res = db_exec(&q_roster_class, PGRES_TUPLES_OK, o, "9", "Я", "");
	assert_int_equal(db_getll(res, 0, "id"), 0);
	/* Two titled 10А: «10А» alone names neither. */
	one_id(&q_class, 4, o, "10", "А", "Гум");
	res = db_exec(&q_roster_class, PGRES_TUPLES_OK, o, "10", "А", "");
	assert_int_equal(db_getll(res, 0, "id"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_contacts, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_exact_names, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_exact_names_accepted,
		    setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_ambiguous, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_siblings, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_contact_other_names,
		    setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_none, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_handover, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_barred, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_maker_lost_right, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_maker_homeroom, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_preview_apply, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_personal_link, setup,
		    unit_rollback),
		cmocka_unit_test_setup_teardown(test_roster_class, setup,
		    unit_rollback),
	};

	if (unit_db_env() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
