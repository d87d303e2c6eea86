/*
 * Unit tests for lib/code.c against the real PostgreSQL of the local
 * stack (PARTA_DB).  The limits are set low through the environment;
 * every case runs in a transaction that is rolled back, so neither its
 * account, codes, counters nor messages outlive it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "code.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "unit.h"

static const struct db_stmt q_account = {
	"test_code_account",
	"INSERT INTO parta.account (last_name, first_name, patronymic, gender,"
	" birth_date, phone, password_hash) VALUES ('Тест', 'Код', '', 'f',"
	" '1990-01-01', $1, 'x') RETURNING id"
};

static const struct db_stmt q_last_body = {
	"test_code_last_body",
	"SELECT body FROM parta.outbox WHERE recipient = $1 ORDER BY id DESC"
	" LIMIT 1"
};

static const struct db_stmt q_stored = {
	"test_code_stored",
	"SELECT length(code_hash) AS n, encode(code_hash, 'escape') AS raw"
	" FROM parta.code WHERE account_id = $1::bigint"
};

static const struct db_stmt q_expire = {
	"test_code_expire",
	"UPDATE parta.code SET expires_at = now() - interval '1 second'"
	" WHERE account_id = $1::bigint"
};

static char		 phone[16];
static long long	 account;

static int
group_setup(void **state)
{
	(void)state;
	setenv("PARTA_CODE_SEND_MAX", "3", 1);
	setenv("PARTA_CODE_WRONG_MAX", "4", 1);
	setenv("PARTA_CODE_WINDOW", "60", 1);
	setenv("PARTA_SIGNUP_ADDR_MAX", "2", 1);
	if (getenv("PARTA_DB") == NULL || config_load() == -1)
		return -1;
	return db_connect();
}

/* A fresh phone and an account naming it, in a new transaction. */
static int
setup(void **state)
{
	PGresult	*res;

	(void)state;
	if (crypto_code(phone + 3, 9) == -1 || db_begin() == -1)
		return -1;
	memcpy(phone, "+79", 3);
	if ((res = db_exec(&q_account, PGRES_TUPLES_OK, phone)) == NULL) {
		db_rollback();
		return -1;
	}
	account = db_getll(res, 0, "id");
	return 0;
}

/* The six digits of the last message to phone into out ("" if none). */
static void
last_code(char out[CODE_DIGITS + 1])
{
	PGresult	*res;
	const char	*b, *p;

	out[0] = '\0';
	res = db_exec(&q_last_body, PGRES_TUPLES_OK, phone);
	assert_non_null(res);
	if (PQntuples(res) == 1) {
		b = db_get(res, 0, "body");
		for (p = b; *p; p++)
			if (strspn(p, "0123456789") == CODE_DIGITS &&
			    (p == b || p[-1] < '0' || p[-1] > '9')) {
				memcpy(out, p, CODE_DIGITS);
				out[CODE_DIGITS] = '\0';
				break;
			}
	}
}

static void
test_channel(void **state)
{
	(void)state;
	assert_string_equal(code_channel("+79990000000"), "phone");
	assert_string_equal(code_channel("a@b.ru"), "email");
}

static void
test_send_stores_hash_only(void **state)
{
	char		 code[CODE_DIGITS + 1], id[24];
	PGresult	*res;
	int		 retry = 0;

	(void)state;
	assert_int_equal(code_send(account, CODE_VERIFY, "phone", phone,
	    "Код", &retry), CODE_OK);
	last_code(code);
	assert_int_equal(strlen(code), CODE_DIGITS);
	snprintf(id, sizeof(id), "%lld", account);
	res = db_exec(&q_stored, PGRES_TUPLES_OK, id);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_int_equal(db_getll(res, 0, "n"), 32);
	assert_null(strstr(db_get(res, 0, "raw"), code));
}

static void
test_send_limit(void **state)
{
	int	 i, retry = 0;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(code_send(account, i == 2 ? CODE_LOGIN :
		    CODE_VERIFY, "phone", phone, "Код", &retry), CODE_OK);
	/* Across purposes and kinds of message: the fourth is refused. */
	assert_int_equal(code_notice(account, CODE_CONTACT, "phone", phone,
	    "Текст", &retry), CODE_LIMIT);
	assert_true(retry >= 1 && retry <= 60);
	assert_int_equal(code_quota(phone, &retry), CODE_LIMIT);
}

static void
test_single_use(void **state)
{
	struct code_found	 f;
	char			 code[CODE_DIGITS + 1];
	int			 retry = 0;

	(void)state;
	assert_int_equal(code_send(account, CODE_LOGIN, "phone", phone, "Код",
	    &retry), CODE_OK);
	last_code(code);
	assert_int_equal(code_check(0, CODE_LOGIN, "", phone, code, &f,
	    &retry), CODE_OK);
	assert_int_equal(f.account, account);
	assert_string_equal(f.channel, "phone");
	assert_string_equal(f.address, phone);
	/* Used once: by address it reads as wrong, by account as none. */
	assert_int_equal(code_check(0, CODE_LOGIN, "", phone, code, &f,
	    &retry), CODE_WRONG);
	assert_int_equal(code_check(account, CODE_LOGIN, "", "", code, &f,
	    &retry), CODE_NONE);
}

static void
test_purpose_bound(void **state)
{
	struct code_found	 f;
	char			 code[CODE_DIGITS + 1];
	int			 retry = 0;

	(void)state;
	assert_int_equal(code_send(account, CODE_VERIFY, "phone", phone, "Код",
	    &retry), CODE_OK);
	last_code(code);
	assert_int_equal(code_check(0, CODE_LOGIN, "", phone, code, &f,
	    &retry), CODE_WRONG);
	assert_int_equal(code_check(account, CODE_VERIFY, "", "", code, &f,
	    &retry), CODE_OK);
}

static void
test_wrong_limit(void **state)
{
	struct code_found	 f;
	char			 code[CODE_DIGITS + 1], wrong[16];
	int			 i, retry = 0;

	(void)state;
	assert_int_equal(code_send(account, CODE_VERIFY, "phone", phone, "Код",
	    &retry), CODE_OK);
	last_code(code);
	snprintf(wrong, sizeof(wrong), "%06u", (unsigned)(atoi(code) + 1) % 1000000u);
	for (i = 0; i < 4; i++)
		assert_int_equal(code_check(account, CODE_VERIFY, "", "",
		    wrong, &f, &retry), CODE_WRONG);
	/* The limit holds even for the right code. */
	assert_int_equal(code_check(account, CODE_VERIFY, "", "", code, &f,
	    &retry), CODE_LIMIT);
	assert_true(retry >= 1 && retry <= 60);
	assert_int_equal(f.account, 0);
}

static void
test_right_code_is_no_wrong_try(void **state)
{
	struct code_found	 f;
	char			 code[CODE_DIGITS + 1];
	int			 i, retry = 0;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(code_send(account, CODE_LOGIN, "phone", phone,
		    "Код", &retry), CODE_OK);
		last_code(code);
		assert_int_equal(code_check(0, CODE_LOGIN, "", phone, code,
		    &f, &retry), CODE_OK);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(code_check(0, CODE_LOGIN, "", phone, "000000",
		    &f, &retry) == CODE_LIMIT, 0);
}

static void
test_expired(void **state)
{
	struct code_found	 f;
	char			 code[CODE_DIGITS + 1], id[24];
	PGresult		*res;
	int			 retry = 0;

	(void)state;
	assert_int_equal(code_send(account, CODE_CONTACT, "phone", phone,
	    "Код", &retry), CODE_OK);
	last_code(code);
	snprintf(id, sizeof(id), "%lld", account);
	res = db_exec(&q_expire, PGRES_COMMAND_OK, id);
	assert_non_null(res);
	assert_int_equal(code_check(account, CODE_CONTACT, "", "", code, &f,
	    &retry), CODE_NONE);
	assert_int_equal(code_pending(account, CODE_CONTACT, "", &f), 0);
}

static void
test_signup_limit(void **state)
{
	char	 addr[40];
	int	 retry = 0;

	(void)state;
	snprintf(addr, sizeof(addr), "test-%s", phone);
	assert_int_equal(code_signup_hit(addr, &retry), CODE_OK);
	assert_int_equal(code_signup_hit(addr, &retry), CODE_OK);
	assert_int_equal(code_signup_hit(addr, &retry), CODE_LIMIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channel),
		cmocka_unit_test_setup_teardown(test_send_stores_hash_only, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_send_limit, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_single_use, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_purpose_bound, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_wrong_limit, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_right_code_is_no_wrong_try, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_expired, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_signup_limit, setup, unit_rollback),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
