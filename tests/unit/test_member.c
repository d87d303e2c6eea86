/*
 * Unit tests for lib/member.c and the failure logging of lib/db.c,
 * against the real PostgreSQL of the local stack (PARTA_DB, exported by
 * tests/run.sh).  Every case runs in a transaction it rolls back, so
 * nothing outlives it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "http.h"
#include "member.h"
#include "unit.h"

/* The bodies of the membership functions of sql/0012 (and 0029). */
static const struct db_stmt q_bodies = {
	"test_member_bodies",
	"SELECT p.proname, p.prosrc FROM pg_catalog.pg_proc p"
	" JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" WHERE n.nspname = 'parta' AND p.proname = ANY ($1::text[])"
};

static const struct db_stmt q_account = {
	"test_member_account",
	"INSERT INTO parta.account (last_name, first_name, gender,"
	" birth_date, email, password_hash)"
	" VALUES ('Тестов', $1, 'f', '1990-01-01', $1 || '@member.test', 'x')"
	" RETURNING id"
};

static const struct db_stmt q_org = {
	"test_member_org",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp) VALUES ('70', 'school', 'Школа', 'Школа', '7000000000',"
	" '7000ZZ001') RETURNING id"
};

static const struct db_stmt q_member = {
	"test_member_member",
	"INSERT INTO parta.member (org_id, account_id, role, verified)"
	" VALUES ($1, $2, $3, true)"
};

static const struct db_stmt q_class = {
	"test_member_class",
	"INSERT INTO parta.class (org_id, grade, letter, year, color)"
	" VALUES ($1, $2, $3, parta.org_year($1), '#2563c9') RETURNING id"
};

static const struct db_stmt q_class_member = {
	"test_member_class_member",
	"INSERT INTO parta.class_member (org_id, class_id, account_id, role)"
	" VALUES ($1, $2, $3, $4)"
};

static const struct db_stmt q_count = {
	"test_member_count",
	"SELECT (SELECT count(*) FROM parta.member WHERE org_id = $1"
	"  AND account_id = $2) AS members,"
	" (SELECT count(*) FROM parta.class_member WHERE org_id = $1"
	"  AND account_id = $2) AS classes,"
	" (SELECT count(*) FROM parta.chat_member WHERE org_id = $1"
	"  AND account_id = $2) AS chats,"
	" (SELECT count(*) FROM parta.member_bar WHERE org_id = $1"
	"  AND account_id = $2) AS bars,"
	" (SELECT string_agg(a.detail, '|' ORDER BY a.id) FROM parta.audit a"
	"  WHERE a.org_id = $1 AND a.target_id = $2) AS audit"
};

/* A unique violation the caller answers, and the same unanswered. */
static const struct db_stmt q_dup_expected = {
	"test_member_dup_expected",
	"INSERT INTO parta.member (org_id, account_id, role)"
	" VALUES ($1, $2, 'student')",
	DB_UNIQUE_VIOLATION
};

static const struct db_stmt q_dup_fault = {
	"test_member_dup_fault",
	"INSERT INTO parta.member (org_id, account_id, role)"
	" VALUES ($1, $2, 'student')"
};

static const struct db_stmt q_savepoint = {
	"test_member_savepoint",
	"SAVEPOINT t"
};

static const struct db_stmt q_rollback_to = {
	"test_member_rollback_to",
	"ROLLBACK TO SAVEPOINT t"
};

static int
setup(void **state)
{
	(void)state;
	return unit_db_begin("test_member");
}

static long long
one_id(const struct db_stmt *q, int n, ...)
{
	const char	*p[4];
	PGresult	*res;
	va_list		 ap;
	long long	 id;
	int		 i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		p[i] = va_arg(ap, const char *);
	va_end(ap);
	res = db_execv(q, PGRES_TUPLES_OK, n, p);
	assert_non_null(res);
	id = db_getll(res, 0, "id");
	return id;
}

static const char *
num(char *buf, long long n)
{
	snprintf(buf, 24, "%lld", n);
	return buf;
}

static void
member_add(long long org, long long acc, const char *role)
{
	char		 o[24], a[24];
	PGresult	*res;

	res = db_exec(&q_member, PGRES_COMMAND_OK, num(o, org),
	    num(a, acc), role);
	assert_non_null(res);
}

/* Every word a membership function answers is one lib/member knows. */
static void
test_words_known(void **state)
{
	PGresult	*res;
	const char	*src, *p, *q;
	char		 word[32];
	int		 i, words = 0;

	(void)state;
	res = db_exec(&q_bodies, PGRES_TUPLES_OK, "{member_end,"
	    "member_unbar,student_move,subject_teacher_add,"
	    "subject_teacher_remove,homeroom_set,homeroom_unset,"
	    "application_decide,roster_apply}");
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 9);
	for (i = 0; i < PQntuples(res); i++) {
		src = db_get(res, i, "prosrc");
		for (p = src; (p = strstr(p, "RETURN '")) != NULL; p = q) {
			p += strlen("RETURN '");
			q = strchr(p, '\'');
			assert_non_null(q);
			assert_true((size_t)(q - p) < sizeof(word));
			memcpy(word, p, (size_t)(q - p));
			word[q - p] = '\0';
			if (member_result_of(word) == MEMBER_ERROR)
				fail_msg("%s answers '%s', unknown to "
				    "lib/member", db_get(res, i, "proname"),
				    word);
			words++;
		}
	}
	assert_true(words >= 20);
	assert_int_equal(member_result_of("no such word"), MEMBER_ERROR);
}

static void
test_http_status(void **state)
{
	(void)state;
	assert_int_equal(member_http_status(MEMBER_OK), 0);
	assert_int_equal(member_http_status(MEMBER_NOT_FOUND), HTTP_NOT_FOUND);
	assert_int_equal(member_http_status(MEMBER_FORBIDDEN), HTTP_FORBIDDEN);
	assert_int_equal(member_http_status(MEMBER_ADMIN), HTTP_FORBIDDEN);
	assert_int_equal(member_http_status(MEMBER_LAST_ADMIN), HTTP_CONFLICT);
	assert_int_equal(member_http_status(MEMBER_DECIDED), HTTP_CONFLICT);
	assert_int_equal(member_http_status(MEMBER_ARCHIVED), HTTP_CONFLICT);
	assert_int_equal(member_http_status(MEMBER_BAD_CLASS),
	    HTTP_UNPROCESSABLE);
	assert_int_equal(member_http_status(MEMBER_NOT_TEACHER),
	    HTTP_UNPROCESSABLE);
}

/*
 * The ways out through the lib: a removal ends the classes and chats and
 * bars; an administrator is not removed by another; the last one does
 * not leave; a student moves; every step audited in words.
 */
static void
test_ways_out(void **state)
{
	long long	 org, admin, admin2, pupil, c1, c2;
	char		 o[24], a[24], k[24];
	PGresult	*res;

	(void)state;
	org = one_id(&q_org, 0);
	admin = one_id(&q_account, 1, "admin");
	admin2 = one_id(&q_account, 1, "admin2");
	pupil = one_id(&q_account, 1, "pupil");
	member_add(org, admin, "admin");
	member_add(org, pupil, "student");
	c1 = one_id(&q_class, 3, num(o, org), "9", "Г");
	c2 = one_id(&q_class, 3, num(o, org), "9", "А");
	res = db_exec(&q_class_member, PGRES_COMMAND_OK, num(o, org),
	    num(k, c1), num(a, pupil), "student");
	assert_non_null(res);

	assert_int_equal(member_move(org, pupil, c2, admin), MEMBER_OK);
	assert_int_equal(member_move(org, pupil, c2, admin), MEMBER_SAME);
	assert_int_equal(member_move(org, pupil, c1, pupil),
	    MEMBER_FORBIDDEN);
	assert_int_equal(member_end(org, admin, admin, MEMBER_REMOVED),
	    MEMBER_ADMIN);
	assert_int_equal(member_end(org, admin, admin, MEMBER_LEFT),
	    MEMBER_LAST_ADMIN);
	assert_int_equal(member_end(org, pupil, admin, MEMBER_REMOVED),
	    MEMBER_OK);
	assert_int_equal(member_end(org, pupil, admin, MEMBER_REMOVED),
	    MEMBER_NOT_FOUND);
	res = db_exec(&q_count, PGRES_TUPLES_OK, num(o, org),
	    num(a, pupil));
	assert_non_null(res);
	assert_int_equal(db_getll(res, 0, "members"), 0);
	assert_int_equal(db_getll(res, 0, "classes"), 0);
	assert_int_equal(db_getll(res, 0, "chats"), 0);
	assert_int_equal(db_getll(res, 0, "bars"), 1);
	/* The pupil is a girl (q_account): the words agree
	 * (sql/0018_words.sql). */
	assert_string_equal(db_get(res, 0, "audit"),
	    "переведена из 9Г в 9А|исключена из организации");
	assert_int_equal(member_unbar(org, pupil, admin), MEMBER_OK);
	assert_int_equal(member_unbar(org, pupil, admin), MEMBER_NOT_FOUND);

	/* With a second administrator the first may leave; not barred. */
	member_add(org, admin2, "admin");
	assert_int_equal(member_end(org, admin, admin, MEMBER_LEFT),
	    MEMBER_OK);
	assert_int_equal(member_end(org, admin2, 0, MEMBER_ADMIN_REMOVED),
	    MEMBER_OK);
	res = db_exec(&q_count, PGRES_TUPLES_OK, num(o, org),
	    num(a, admin));
	assert_non_null(res);
	assert_int_equal(db_getll(res, 0, "bars"), 0);
}

/* Read what was written to fd 2 since fd was made its copy's target. */
static void
capture_read(int fd, char *buf, size_t sz)
{
	ssize_t	 n;

	assert_true(lseek(fd, 0, SEEK_SET) == 0);
	n = read(fd, buf, sz - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
}

/*
 * A failure the statement expects is the caller's answer and is not
 * logged; any other is a fault, logged with the statement's name and
 * SQLSTATE.
 */
static void
test_unexpected_logged(void **state)
{
	long long	 org, acc;
	char		 o[24], a[24], path[] = "/tmp/parta-test-member-XXXXXX";
	char		 out[4096];
	PGresult	*res;
	int		 fd, saved;

	(void)state;
	org = one_id(&q_org, 0);
	acc = one_id(&q_account, 1, "dup");
	member_add(org, acc, "student");
	assert_true((fd = mkstemp(path)) != -1);
	unlink(path);
	fflush(stderr);
	assert_true((saved = dup(2)) != -1);
	assert_true(dup2(fd, 2) == 2);

	res = db_exec(&q_savepoint, PGRES_COMMAND_OK);
	res = db_exec(&q_dup_expected, PGRES_COMMAND_OK, num(o, org),
	    num(a, acc));
	assert_null(res);
	assert_string_equal(db_sqlstate(), DB_UNIQUE_VIOLATION);
	res = db_exec(&q_rollback_to, PGRES_COMMAND_OK);
	fflush(stderr);
	capture_read(fd, out, sizeof(out));
	assert_string_equal(out, "");

	res = db_exec(&q_dup_fault, PGRES_COMMAND_OK, num(o, org),
	    num(a, acc));
	assert_null(res);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	capture_read(fd, out, sizeof(out));
	close(fd);
	assert_non_null(strstr(out, "test_member_dup_fault"));
	assert_non_null(strstr(out, "SQLSTATE 23505"));
	assert_non_null(strstr(out, "duplicate key"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_words_known, setup, unit_rollback),
		cmocka_unit_test(test_http_status),
		cmocka_unit_test_setup_teardown(test_ways_out, setup, unit_rollback),
		cmocka_unit_test_setup_teardown(test_unexpected_logged, setup, unit_rollback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
