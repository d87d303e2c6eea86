/*
 * Unit tests for lib/guardian.c and its validators (lib/valid.c:
 * valid_login, valid_contact), against the real PostgreSQL of the local
 * stack (PARTA_DB, exported by tests/run.sh): the rules of
 * sql/0017_guardians.sql as the programs reach them.  Every case that
 * touches the database runs in a transaction it rolls back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "guardian.h"
#include "http.h"
#include "pool.h"
#include "unit.h"
#include "valid.h"

static const struct db_stmt q_bodies = {
	"test_guardian_bodies",
	"SELECT p.proname, p.prosrc FROM pg_catalog.pg_proc p"
	" JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" WHERE n.nspname = 'parta' AND p.proname = ANY ($1::text[])"
};

static const struct db_stmt q_account = {
	"test_guardian_account",
	"INSERT INTO parta.account (last_name, first_name, gender,"
	" birth_date, phone, phone_verified, password_hash)"
	" VALUES ('Опекунов', $1, 'm', $2::date, '+7900' ||"
	" lpad((floor(random() * 10000000))::int::text, 7, '0'), true, 'x')"
	" RETURNING id"
};

static const struct db_stmt q_young_account = {
	"test_guardian_young_account",
	"INSERT INTO parta.account (last_name, first_name, gender,"
	" birth_date, login, password_hash) VALUES ('Малышев', $1, 'm',"
	" $2::date, 'kid' || substr(md5(random()::text), 1, 10), 'x')"
	" RETURNING id"
};

static const struct db_stmt q_org = {
	"test_guardian_org",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp) VALUES ('70', 'school', 'Школа', 'Школа', '7000000000',"
	" '7000ZZ002') RETURNING id"
};

static const struct db_stmt q_member = {
	"test_guardian_member",
	"INSERT INTO parta.member (org_id, account_id, role, verified)"
	" VALUES ($1, $2, $3, true)"
};

static const struct db_stmt q_guardian = {
	"test_guardian_insert",
	"INSERT INTO parta.guardian (parent_id, child_id) VALUES ($1, $2)",
	DB_CLOSED
};

/* $1 confirmed young child $2's registration. */
static const struct db_stmt q_signup_confirmed = {
	"test_guardian_signup_confirmed",
	"INSERT INTO parta.child_signup (child_id, contact, confirmed_at,"
	" confirmed_by) VALUES ($2, 'mum@example.org', now(), $1)"
};

static const struct db_stmt q_savepoint = {
	"test_guardian_savepoint",
	"SAVEPOINT t"
};

static const struct db_stmt q_rollback_to = {
	"test_guardian_rollback_to",
	"ROLLBACK TO SAVEPOINT t"
};

static const struct db_stmt q_audit = {
	"test_guardian_audit",
	"SELECT string_agg(a.detail, '|' ORDER BY a.id) AS detail"
	" FROM parta.audit a WHERE a.org_id = $1 AND a.target_id = $2"
	" AND a.action = 'guardian_remove'"
};

/* The last day a person born on it is still 14 (not young), in
 * Moscow's calendar, and the day after. */
static const struct db_stmt q_edge = {
	"test_guardian_edge",
	"SELECT to_char((now() AT TIME ZONE 'Europe/Moscow')::date"
	" - interval '14 years', 'YYYY-MM-DD') AS old,"
	" to_char((now() AT TIME ZONE 'Europe/Moscow')::date"
	" - interval '14 years' + interval '1 day', 'YYYY-MM-DD') AS young"
};

static struct pool	*pool;
static struct auth_user	 user;
static struct http_req	 req;

static int
setup(void **state)
{
	(void)state;
	if (pool == NULL)
		pool = pool_new();
	memset(&req, 0, sizeof(req));
	memset(&user, 0, sizeof(user));
	req.pool = pool;
	req.user = &user;
	return unit_db_begin("test_guardian");
}

static long long
account(const struct db_stmt *q, const char *first, const char *birth)
{
	PGresult	*res;
	long long	 id;

	res = db_exec(q, PGRES_TUPLES_OK, first, birth);
	assert_non_null(res);
	id = db_getll(res, 0, "id");
	return id;
}

static const char *
num(long long n)
{
	return pool_printf(pool, "%lld", n);
}

static void
exec_ok(const struct db_stmt *q, int n, ...)
{
	const char	*p[4];
	PGresult	*res;
	va_list		 ap;
	int		 i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		p[i] = va_arg(ap, const char *);
	va_end(ap);
	res = db_execv(q, PGRES_COMMAND_OK, n, p);
	assert_non_null(res);
}

/* Login names: letters and digits, a letter first, lower-cased. */
static void
test_valid_login(void **state)
{
	char	 out[64];

	(void)state;
	assert_null(valid_login("Masha2019", out, sizeof(out)));
	assert_string_equal(out, "masha2019");
	assert_null(valid_login("  abc ", out, sizeof(out)));
	assert_string_equal(out, "abc");
	assert_null(valid_login("a1234567890123456789012345678901", out,
	    sizeof(out)));
	assert_non_null(valid_login("ab", out, sizeof(out)));
	assert_non_null(valid_login("a12345678901234567890123456789012", out,
	    sizeof(out)));
	assert_non_null(valid_login("2masha", out, sizeof(out)));
	assert_non_null(valid_login("маша2019", out, sizeof(out)));
	assert_non_null(valid_login("masha_2019", out, sizeof(out)));
	assert_non_null(valid_login("masha 2019", out, sizeof(out)));
	assert_non_null(valid_login("mama@mail.ru", out, sizeof(out)));
	assert_non_null(valid_login("+79123456789", out, sizeof(out)));
	assert_non_null(valid_login("", out, sizeof(out)));
	assert_non_null(valid_login("abcdef", out, 4));
}

/* A parent's contact: a phone, else an e-mail, normalised. */
static void
test_valid_contact(void **state)
{
	char	 out[256];

	(void)state;
	assert_null(valid_contact("8 (912) 345-67-89", out, sizeof(out)));
	assert_string_equal(out, "+79123456789");
	assert_null(valid_contact(" Mama@Example.RU ", out, sizeof(out)));
	assert_string_equal(out, "mama@example.ru");
	assert_non_null(valid_contact("masha2019", out, sizeof(out)));
	assert_non_null(valid_contact("12345", out, sizeof(out)));
}

/* Young: under PARTA_CHILD_AGE (14) by the birth date, to the day. */
static void
test_young(void **state)
{
	PGresult	*res;

	(void)state;
	assert_int_equal(config->child_age, 14);
	assert_int_equal(guardian_young("2019-04-01"), 1);
	assert_int_equal(guardian_young("1990-05-17"), 0);
	res = db_exec(&q_edge, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_int_equal(guardian_young(db_get(res, 0, "old")), 0);
	assert_int_equal(guardian_young(db_get(res, 0, "young")), 1);
}

/* Every word a guardian function answers is one lib/guardian knows. */
static void
test_words_known(void **state)
{
	static const char *const marks[] = { "RETURN '", "result := '",
	    "THEN '", "ELSE '" };
	PGresult	*res;
	const char	*src, *p, *q;
	char		 word[32];
	size_t		 m;
	int		 i, words = 0;

	(void)state;
	res = db_exec(&q_bodies, PGRES_TUPLES_OK, "{guardian_refusal,"
	    "child_signup_start,child_signup_contact,child_confirm,"
	    "parent_link_confirm,guardian_remove,child_password_set}");
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 7);
	for (i = 0; i < PQntuples(res); i++) {
		src = db_get(res, i, "prosrc");
		for (m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
			for (p = src; (p = strstr(p, marks[m])) != NULL;
			    p = q) {
				p += strlen(marks[m]);
				q = strchr(p, '\'');
				assert_non_null(q);
				/* Russian words of the audit are no answers. */
				if (*p < 'a' || *p > 'z' || q - p >= 32)
					continue;
				memcpy(word, p, (size_t)(q - p));
				word[q - p] = '\0';
				if (guardian_result_of(word) == GUARDIAN_ERROR)
					fail_msg("%s answers '%s', unknown to "
					    "lib/guardian",
					    db_get(res, i, "proname"), word);
				words++;
			}
	}
	assert_true(words >= 15);
}

static void
test_http_status(void **state)
{
	(void)state;
	assert_int_equal(guardian_http_status(GUARDIAN_OK), 0);
	assert_int_equal(guardian_http_status(GUARDIAN_NOT_FOUND), 404);
	assert_int_equal(guardian_http_status(GUARDIAN_FORBIDDEN), 403);
	assert_int_equal(guardian_http_status(GUARDIAN_SELF), 403);
	assert_int_equal(guardian_http_status(GUARDIAN_MINOR), 409);
	assert_int_equal(guardian_http_status(GUARDIAN_STUDENT), 409);
	assert_int_equal(guardian_http_status(GUARDIAN_EXISTS), 409);
	assert_int_equal(guardian_http_status(GUARDIAN_USED), 410);
	assert_int_equal(guardian_http_status(GUARDIAN_EXPIRED), 410);
	assert_int_equal(guardian_http_status(GUARDIAN_WRONG), 422);
	assert_int_equal(guardian_http_status(GUARDIAN_LIMIT), 429);
	assert_non_null(strstr(guardian_refusal_text(GUARDIAN_USED),
	    "уже воспользовались"));
	assert_non_null(strstr(guardian_refusal_text(GUARDIAN_MINOR),
	    "18 лет"));
	assert_non_null(strstr(guardian_refusal_text(GUARDIAN_STUDENT),
	    "ученик"));
	assert_string_not_equal(guardian_refusal_text(GUARDIAN_USED),
	    guardian_refusal_text(GUARDIAN_EXPIRED));
}

/*
 * The database refuses a guardian under 18 or a student whoever
 * inserts; the child removes a guardian, a teacher who manages nothing
 * may not; a guardian sets a young child's password, not an older
 * child's who has a phone.
 */
static void
test_rules(void **state)
{
	long long	 adult, minor, pupil, kid, teen, teacher, org;
	PGresult	*res;

	(void)state;
	adult = account(&q_account, "Павел", "1980-01-01");
	minor = account(&q_account, "Паша", "2010-01-01");
	pupil = account(&q_account, "Пётр", "1990-01-01");
	teacher = account(&q_account, "Тимур", "1985-01-01");
	teen = account(&q_account, "Гоша", "2010-06-06");
	kid = account(&q_young_account, "Миша", "2019-02-02");
	res = db_exec(&q_org, PGRES_TUPLES_OK);
	assert_non_null(res);
	org = db_getll(res, 0, "id");
	exec_ok(&q_member, 3, num(org), num(pupil), "student");
	exec_ok(&q_member, 3, num(org), num(teacher), "teacher");
	exec_ok(&q_member, 3, num(org), num(teen), "student");

	exec_ok(&q_savepoint, 0);
	assert_null(db_exec(&q_guardian, PGRES_COMMAND_OK, num(minor),
	    num(kid)));
	assert_string_equal(db_sqlstate(), DB_CLOSED);
	exec_ok(&q_rollback_to, 0);
	assert_null(db_exec(&q_guardian, PGRES_COMMAND_OK, num(pupil),
	    num(kid)));
	assert_string_equal(db_sqlstate(), DB_CLOSED);
	exec_ok(&q_rollback_to, 0);
	exec_ok(&q_guardian, 2, num(adult), num(kid));
	exec_ok(&q_guardian, 2, num(adult), num(teen));

	/* Passwords: the young child's, only by the guardian who confirmed
	 * the registration; not the teen's with a phone. */
	user.id = adult;
	assert_int_equal(guardian_child_may_reset(&req, kid),
	    GUARDIAN_FORBIDDEN);
	exec_ok(&q_signup_confirmed, 2, num(adult), num(kid));
	assert_int_equal(guardian_child_may_reset(&req, kid), GUARDIAN_OK);
	assert_int_equal(guardian_child_may_reset(&req, teen),
	    GUARDIAN_FORBIDDEN);
	assert_int_equal(guardian_child_password(&req, teen, "x"),
	    GUARDIAN_FORBIDDEN);
	assert_int_equal(guardian_child_password(&req, kid, "new-hash"),
	    GUARDIAN_OK);
	user.id = teacher;
	assert_int_equal(guardian_child_may_reset(&req, kid),
	    GUARDIAN_NOT_FOUND);

	/* Removal: a teacher who is not the teen's homeroom teacher may
	 * not; the teen may; then there is nothing to remove. */
	assert_int_equal(guardian_remove(&req, org, adult, teen),
	    GUARDIAN_FORBIDDEN);
	assert_int_equal(guardian_remove(&req, 0, adult, teen),
	    GUARDIAN_FORBIDDEN);
	user.id = teen;
	assert_int_equal(guardian_remove(&req, 0, adult, teen), GUARDIAN_OK);
	assert_int_equal(guardian_remove(&req, 0, adult, teen),
	    GUARDIAN_NOT_FOUND);
	res = db_exec(&q_audit, PGRES_TUPLES_OK, num(org), num(teen));
	assert_non_null(res);
	assert_string_equal(db_get(res, 0, "detail"), "родитель: Опекунов "
	    "Павел; по решению самого ученика; родительские чаты и личные "
	    "сообщения с учителями закрыты");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_login),
		cmocka_unit_test(test_valid_contact),
		cmocka_unit_test(test_http_status),
		cmocka_unit_test_setup_teardown(test_young, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_words_known, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_rules, setup, unit_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
