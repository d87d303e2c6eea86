/*
 * Unit tests for lib/csv.c, the one CSV writer: a BOM first, ';'
 * between fields, CRLF rows, quotes doubled, Cyrillic kept, and a cell a
 * spreadsheet would run as a formula defused by a leading tab (a phone
 * number keeps its "+" and gets no apostrophe); and its reader: UTF-8
 * with or without a BOM or Windows-1251 in, UTF-8 out; the delimiter
 * guessed; RFC 4180 quotes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "csv.h"
#include "pool.h"

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

/* Reading: what a spreadsheet saves comes back as UTF-8 text. */
static void
test_text(void **state)
{
	struct pool	*p = pool_new();

	(void)state;
	assert_string_equal(csv_text(p, "ФИО\r\n", 8), "ФИО\r\n");
	assert_string_equal(csv_text(p, BOM "Иван", 11), "Иван");
	/* Windows-1251: "Ёлкин Пётр №5 «А»". */
	assert_string_equal(csv_text(p, "\xa8\xeb\xea\xe8\xed \xcf\xb8\xf2"
	    "\xf0 \xb9" "5 \xab\xc0\xbb", 17), "Ёлкин Пётр №5 «А»");
	assert_null(csv_text(p, "a\0b", 3));
	assert_null(csv_text(p, "\x98", 1));	/* not a letter in 1251 */
	/* Control characters say the file is not text, in any encoding:
	 * a PNG's signature, an escape in UTF-8, a NUL after valid UTF-8,
	 * a control character inside UTF-16. */
	assert_null(csv_text(p, "\x89PNG\r\n\x1a\n\x81", 9));
	assert_null(csv_text(p, "Иван\x1b", 9));
	assert_null(csv_text(p, "Иван\0", 9));
	assert_null(csv_text(p, "\xFF\xFE\x24\x04\x07\0", 6));
	assert_string_equal(csv_text(p, "a\tb\r\n", 5), "a\tb\r\n");
	assert_string_equal(csv_text(p, "", 0), "");
	/* 1251's whole table: Word's quotes, the ellipsis, Ukrainian. */
	assert_string_equal(csv_text(p, "\x93\xc0\x94\x85 \xb2\xbf\xaa", 8),
	    "“А”… ІїЄ");
	/* UTF-16 after its BOM, either byte order; a surrogate pair. */
	assert_string_equal(csv_text(p, "\xFF\xFE\x24\x04;\0\x3D\xD8"
	    "\x00\xDE", 10), "Ф;😀");
	assert_string_equal(csv_text(p, "\xFE\xFF\x04\x24\0;", 6), "Ф;");
	assert_null(csv_text(p, "\xFF\xFE\x24", 3));	/* odd length */
	assert_null(csv_text(p, "\xFF\xFE\x00\xDC", 4));	/* lone low */
	assert_null(csv_text(p, "\xFF\xFE\x3D\xD8", 4));	/* lone high */
	assert_null(csv_text(p, "\xFF\xFE\0\0", 4));	/* NUL */
	pool_free(p);
}

static void
test_records(void **state)
{
	struct pool	*p = pool_new();
	const char	*s;
	char		*cells[3];
	int		 open;

	(void)state;
	assert_int_equal(csv_delim("ФИО;Класс\n"), ';');
	assert_int_equal(csv_delim("a\tb\tc,d\n"), '\t');
	assert_int_equal(csv_delim("Фамилия,Имя\nx;y;z"), ',');
	assert_int_equal(csv_delim("Иванов Иван"), ',');
	s = "\"Иванова; Анна\";5А\r\n\"say \"\"hi\"\"\";\"two\nlines\"\n"
	    "a;b;c;d\nlast";
	assert_int_equal(csv_record(p, &s, ';', cells, 3), 2);
	assert_string_equal(cells[0], "Иванова; Анна");
	assert_string_equal(cells[1], "5А");
	assert_int_equal(csv_record(p, &s, ';', cells, 3), 2);
	assert_string_equal(cells[0], "say \"hi\"");
	assert_string_equal(cells[1], "two lines");
	/* More cells than room: the first ones are kept. */
	assert_int_equal(csv_record(p, &s, ';', cells, 3), 3);
	assert_string_equal(cells[2], "c");
	assert_int_equal(csv_record(p, &s, ';', cells, 3), 1);
	assert_string_equal(cells[0], "last");
	assert_string_equal(s, "");

	/* A quote never closed: the rest is one cell, and it is said. */
	s = "a;\"b\"\"\nc\n";
	assert_int_equal(csv_record_checked(p, &s, ';', cells, 3, &open), 2);
	assert_int_equal(open, 1);
	assert_string_equal(cells[1], "b\" c ");
	s = "\"a\"\"\"\n";
	assert_int_equal(csv_record_checked(p, &s, ';', cells, 3, &open), 1);
	assert_int_equal(open, 0);
	assert_string_equal(cells[0], "a\"");
	pool_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_formulas),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
