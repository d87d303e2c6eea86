/*
 * Unit tests of the rules of sql/0016_flow.sql and of the messages
 * lib/member sends when an administrator is bound or removed, against
 * the real PostgreSQL of the local stack (PARTA_DB, exported by
 * tests/run.sh).  Every case runs in a transaction it rolls back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "member.h"
#include "unit.h"

static const struct db_stmt q_org = {
	"test_flow_org",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp) VALUES ($1::char(2), 'school', 'Школа', 'Школа Правил',"
	" '7000000000', '7000ZZ0' || $1::text) RETURNING id"
};

static const struct db_stmt q_early = {
	"test_flow_early",
	"SELECT parta.rollover_early($1, $2::int, $3::timestamptz) AS early"
};

static const struct db_stmt q_account = {
	"test_flow_account",
	"INSERT INTO parta.account (last_name, first_name, gender,"
	" birth_date, phone, phone_verified, password_hash)"
	" VALUES ('Правилова', 'Анна', 'f', '1990-01-01', $1, true, 'x')"
	" RETURNING id"
};

static const struct db_stmt q_outbox = {
	"test_flow_outbox",
	"SELECT count(*) AS n, coalesce(string_agg(body, '|' ORDER BY id), '')"
	" AS body FROM parta.outbox WHERE recipient = $1 AND sent_at IS NULL"
};

static const struct db_stmt q_request = {
	"test_flow_request",
	"INSERT INTO parta.org_request (applicant_id, region, org_type,"
	" full_name, short_name, inn, kpp, admin_last_name, admin_first_name,"
	" admin_phone, address, doc_name, doc_type, doc_size, doc_key,"
	" status, decided_at)"
	" VALUES ($1, '70', 'school', 'Школа', 'Школа', '7000000019',"
	" '700001001', 'А', 'Б', '+79000000000', 'Томск', 'p.pdf',"
	" 'application/pdf', 1, 'k', $2,"
	" CASE WHEN $2 = 'pending' THEN NULL ELSE now() END)",
	DB_UNIQUE_VIOLATION
};

static const struct db_stmt q_savepoint = {
	"test_flow_savepoint",
	"SAVEPOINT t"
};

static const struct db_stmt q_rollback_to = {
	"test_flow_rollback_to",
	"ROLLBACK TO SAVEPOINT t"
};

static int
setup(void **state)
{
	(void)state;
	return unit_db_begin("test_flow");
}

static long long
org_new(const char *region)
{
	PGresult	*res;
	long long	 id;

	res = db_exec(&q_org, PGRES_TUPLES_OK, region);
	assert_non_null(res);
	id = db_getll(res, 0, "id");
	return id;
}

static int
early(long long org, int from, const char *at)
{
	PGresult	*res;
	char		 o[24], f[16];
	int		 e;

	snprintf(o, sizeof(o), "%lld", org);
	snprintf(f, sizeof(f), "%d", from);
	res = db_exec(&q_early, PGRES_TUPLES_OK, o, f, at);
	assert_non_null(res);
	e = db_getbool(res, 0, "early");
	return e;
}

/*
 * The rollover of a year is early until 1 June of the next calendar
 * year where the school is, and on time from then on (late is fine).
 */
static void
test_rollover_early(void **state)
{
	long long	 tomsk, moscow;

	(void)state;
	tomsk = org_new("70");		/* Asia/Tomsk, UTC+7 */
	moscow = org_new("77");		/* Europe/Moscow, UTC+3 */
	assert_true(early(tomsk, 2025, "2025-09-01 10:00+07"));
	assert_true(early(tomsk, 2025, "2025-11-29 12:00+07"));
	assert_true(early(tomsk, 2025, "2026-05-31 23:59+07"));
	assert_false(early(tomsk, 2025, "2026-06-01 00:00+07"));
	assert_false(early(tomsk, 2025, "2026-07-15 12:00+07"));
	assert_false(early(tomsk, 2025, "2026-08-31 23:00+07"));
	/* Late, in the next year: the year is over, nothing to ask. */
	assert_false(early(tomsk, 2025, "2026-10-01 12:00+07"));
	/* Next year's classes: not even begun. */
	assert_true(early(tomsk, 2026, "2026-07-01 12:00+07"));
	/* The same moment is 1 June in Tomsk and still 31 May in Moscow. */
	assert_false(early(tomsk, 2025, "2026-05-31 21:00+00"));
	assert_true(early(moscow, 2025, "2026-05-31 20:00+00"));
	assert_false(early(moscow, 2025, "2026-05-31 21:00+00"));
}

/* One pending request per INN; decided ones do not count. */
static void
test_one_pending_per_inn(void **state)
{
	PGresult	*res;
	char		 acc[24];

	(void)state;
	res = db_exec(&q_account, PGRES_TUPLES_OK, "+79000000001");
	assert_non_null(res);
	snprintf(acc, sizeof(acc), "%s", db_get(res, 0, "id"));
	res = db_exec(&q_request, PGRES_COMMAND_OK, acc, "rejected");
	assert_non_null(res);
	res = db_exec(&q_request, PGRES_COMMAND_OK, acc, "pending");
	assert_non_null(res);
	(void)db_exec(&q_savepoint, PGRES_COMMAND_OK);
	res = db_exec(&q_request, PGRES_COMMAND_OK, acc, "pending");
	assert_null(res);
	assert_string_equal(db_sqlstate(), DB_UNIQUE_VIOLATION);
	(void)db_exec(&q_rollback_to, PGRES_COMMAND_OK);
}

static void
outbox(const char *to, long long *n, char *body, size_t bodysz)
{
	PGresult	*res;

	res = db_exec(&q_outbox, PGRES_TUPLES_OK, to);
	assert_non_null(res);
	*n = db_getll(res, 0, "n");
	snprintf(body, bodysz, "%s", db_get(res, 0, "body"));
}

/*
 * Binding tells the phone bound (where to log in, or that it is theirs
 * already) and the phones of the grants it revoked; removing tells the
 * administrator removed.  All in the transaction: rolled back, nothing
 * is sent.
 */
static void
test_admin_told(void **state)
{
	PGresult	*res;
	long long	 org, acc, n;
	char		 body[4096];

	(void)state;
	org = org_new("70");
	/* A phone nobody has: told to log in with it. */
	assert_int_equal(member_admin_bind(org, "+79000000011", 0, NULL), 0);
	outbox("+79000000011", &n, body, sizeof(body));
	assert_int_equal(n, 1);
	assert_non_null(strstr(body, "назначены администратором организации "
	    "«Школа Правил»"));
	assert_non_null(strstr(body, "Войдите с номером +79000000011"));
	/* A verified phone: the grant applies, the waiting one is told. */
	res = db_exec(&q_account, PGRES_TUPLES_OK, "+79000000012");
	assert_non_null(res);
	acc = db_getll(res, 0, "id");
	assert_int_equal(member_admin_bind(org, "+79000000012", 0,
	    "https://parta.example"), acc);
	outbox("+79000000012", &n, body, sizeof(body));
	assert_int_equal(n, 1);
	assert_non_null(strstr(body, "Она уже в вашем профиле: "
	    "https://parta.example/org/"));
	outbox("+79000000011", &n, body, sizeof(body));
	assert_int_equal(n, 2);
	assert_non_null(strstr(body, "|Парта: администратором организации "
	    "«Школа Правил» оператор назначил другого человека"));
	/* Removed: told, by the verified phone. */
	assert_int_equal(member_end(org, acc, 0, MEMBER_ADMIN_REMOVED),
	    MEMBER_OK);
	outbox("+79000000012", &n, body, sizeof(body));
	assert_int_equal(n, 2);
	assert_non_null(strstr(body, "|Парта: вы больше не администратор "
	    "организации «Школа Правил»"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rollover_early, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_one_pending_per_inn, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_admin_told, setup, unit_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
