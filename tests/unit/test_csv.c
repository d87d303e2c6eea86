/*
 * Unit tests for lib/csv.c, the one CSV writer: a BOM first, ';'
 * between fields, CRLF rows, quotes doubled, Cyrillic kept, and a cell a
 * spreadsheet would run as a formula defused by a leading tab (a phone
 * number keeps its "+" and gets no apostrophe).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "csv.h"

#define BOM "\xEF\xBB\xBF"

static void
test_rows(void **state)
{
	struct buf	 b;
	struct csv	 c;

	(void)state;
	buf_init(&b);
	csv_begin(&c, &b);
	csv_row(&c, "ФИО", "Класс", NULL);
	csv_field(&c, "Иванова; Анна");
	csv_field(&c, NULL);
	csv_fieldf(&c, "%d", 42);
	csv_end_row(&c);
	assert_string_equal(b.data, BOM "\"ФИО\";\"Класс\"\r\n"
	    "\"Иванова; Анна\";\"\";\"42\"\r\n");
	buf_free(&b);
}

static void
check(const char *in, const char *want)
{
	struct buf	 b;
	struct csv	 c;

	buf_init(&b);
	csv_begin(&c, &b);
	csv_field(&c, in);
	assert_string_equal(b.data + strlen(BOM), want);
	buf_free(&b);
}

static void
test_quotes(void **state)
{
	(void)state;
	check("a\"b\"", "\"a\"\"b\"\"\"");
	check("two\r\nlines", "\"two\r\nlines\"");
	check("", "\"\"");
}

static void
test_formulas(void **state)
{
	(void)state;
	check("=1+1", "\"\t=1+1\"");
	check("+79991234567", "\"\t+79991234567\"");
	check("-2+3", "\"\t-2+3\"");
	check("@SUM(A1)", "\"\t@SUM(A1)\"");
	check("\t=cmd", "\"\t\t=cmd\"");
	check("\r=cmd", "\"\t\r=cmd\"");
	check("=HYPERLINK(\"x\")", "\"\t=HYPERLINK(\"\"x\"\")\"");
	/* Not at the start: left as it is; no apostrophe anywhere. */
	check("a=b", "\"a=b\"");
	check("x-1", "\"x-1\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_formulas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
