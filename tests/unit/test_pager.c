/*
 * Unit tests for lib/pager.c: the cursor a page reads back (a row's id,
 * anything else 400), the list's address with its filters, and totals
 * written as Russian pages write numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pager.h"
#include "pool.h"

static int
setup(void **state)
{
	struct http_req	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	r->pool = pool_new();
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	struct http_req	*r = *state;

	pool_free(r->pool);
	free(r);
	return 0;
}

/* The request's query string is q. */
static void
query(struct http_req *r, const char *q)
{
	memset(&r->query, 0, sizeof(r->query));
	assert_int_equal(http_parse_urlencoded(r->pool, q, strlen(q),
	    &r->query), 0);
}

static void
test_read(void **state)
{
	static const char *const bad[] = { "after=x", "after=-1",
	    "after=0", "after=007", "after=1.5", "after=1%20OR%201=1",
	    "after=1234567890123456789", "after=%27" };
	struct http_req	*r = *state;
	struct pager	 p;
	size_t		 i;

	query(r, "");
	assert_int_equal(pager_read(r, &p, "/org/1/members"), 0);
	assert_null(p.after);
	assert_string_equal(p.path, "/org/1/members");
	query(r, "after=");
	assert_int_equal(pager_read(r, &p, "/x"), 0);
	assert_null(p.after);
	query(r, "role=student&after=123456789012345678");
	assert_int_equal(pager_read(r, &p, "/x"), 0);
	assert_string_equal(p.after, "123456789012345678");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		query(r, bad[i]);
		assert_int_equal(pager_read(r, &p, "/x"), HTTP_BAD_REQUEST);
	}
}

/* The trail of earlier pages' cursors: up to PAGER_TRAIL ids joined by
 * '.', only with a cursor; anything else 400. */
static void
test_back(void **state)
{
	static const char *const bad[] = { "back=5", "after=9&back=x",
	    "after=9&back=1..2", "after=9&back=.1", "after=9&back=1.",
	    "after=9&back=01", "after=9&back=1,2", "after=9&back=1%202",
	    "after=9&back=1234567890123456789" };
	struct http_req	*r = *state;
	struct pager	 p;
	char		 q[512];
	size_t		 i;

	query(r, "after=9&back=");
	assert_int_equal(pager_read(r, &p, "/x"), 0);
	assert_null(p.back);
	query(r, "after=9&back=3.5.7");
	assert_int_equal(pager_read(r, &p, "/x"), 0);
	assert_string_equal(p.back, "3.5.7");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		query(r, bad[i]);
		assert_int_equal(pager_read(r, &p, "/x"), HTTP_BAD_REQUEST);
	}
	/* PAGER_TRAIL ids, not one more. */
	strcpy(q, "after=99&back=1");
	for (i = 1; i < PAGER_TRAIL; i++)
		strcat(q, ".1");
	query(r, q);
	assert_int_equal(pager_read(r, &p, "/x"), 0);
	strcat(q, ".1");
	query(r, q);
	assert_int_equal(pager_read(r, &p, "/x"), HTTP_BAD_REQUEST);
}

static void
test_path(void **state)
{
	struct http_req	*r = *state;

	assert_string_equal(pager_path(r, "/org/1/members", "role", NULL,
	    "q", "", NULL), "/org/1/members");
	assert_string_equal(pager_path(r, "/org/1/members", "role", "student",
	    "q", "Иванов Лев&x=1", NULL), "/org/1/members?role=student&q="
	    "%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%20%D0%9B%D0%B5%D0%B2%26x%3D1");
	assert_string_equal(pager_path(r, "/a?b=1", "c", "2", NULL),
	    "/a?b=1&c=2");
}

static void
test_number(void **state)
{
	struct http_req	*r = *state;

	assert_string_equal(pager_number(r, 0), "0");
	assert_string_equal(pager_number(r, 999), "999");
	assert_string_equal(pager_number(r, 3000), "3\xc2\xa0" "000");
	assert_string_equal(pager_number(r, 50000), "50\xc2\xa0" "000");
	assert_string_equal(pager_number(r, 1234567),
	    "1\xc2\xa0" "234\xc2\xa0" "567");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_number, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
