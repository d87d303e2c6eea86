/*
 * Unit tests for lib/utf8.c, the one UTF-8 walker: decoding refuses what
 * RFC 3629 refuses (overlongs, surrogates, past U+10FFFF, a sequence cut
 * short) and never reads past a NUL; validity, character counts,
 * cutting at a boundary, lower-casing and encoding agree with it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "utf8.h"

#define S(x)	x, sizeof(x) - 1

static void
test_decode(void **state)
{
	uint32_t	 cp = 7;

	(void)state;
	assert_int_equal(utf8_decode(S("A"), &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode(S("Ж"), &cp), 2);
	assert_int_equal(cp, 0x416);
	assert_int_equal(utf8_decode(S("№"), &cp), 3);
	assert_int_equal(cp, 0x2116);
	assert_int_equal(utf8_decode(S("\xf0\x9f\x98\x80"), &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode(S("\xf4\x8f\xbf\xbf"), &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* Only the first character, whatever follows. */
	assert_int_equal(utf8_decode(S("Ёж"), &cp), 2);
	assert_int_equal(cp, 0x401);
	/* The NUL byte is U+0000 (utf8_valid refuses it, decode does not). */
	assert_int_equal(utf8_decode("\0x", 2, &cp), 1);
	assert_int_equal(cp, 0);
}

static void
test_decode_refuses(void **state)
{
	uint32_t	 cp = 7;

	(void)state;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(utf8_decode(S("\xc0\xaf"), &cp), 0);	/* overlong */
	assert_int_equal(utf8_decode(S("\xc1\xbf"), &cp), 0);
	assert_int_equal(utf8_decode(S("\xe0\x9f\xbf"), &cp), 0);
	assert_int_equal(utf8_decode(S("\xf0\x8f\xbf\xbf"), &cp), 0);
	/* A surrogate, then past U+10FFFF. */
	assert_int_equal(utf8_decode(S("\xed\xa0\x80"), &cp), 0);
	assert_int_equal(utf8_decode(S("\xf4\x90\x80\x80"), &cp), 0);
	assert_int_equal(utf8_decode(S("\xf5\x80\x80\x80"), &cp), 0);
	assert_int_equal(utf8_decode(S("\x80"), &cp), 0);	/* lone tail */
	assert_int_equal(utf8_decode(S("\xff"), &cp), 0);
	assert_int_equal(utf8_decode(S("\xd0\x41"), &cp), 0);	/* not a tail */
	/* Cut short by n, or by the string's NUL. */
	assert_int_equal(utf8_decode("\xd0\x96", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x84\x96", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xe2\x84", UTF8_MAX, &cp), 0);
	assert_int_equal(cp, 7);
}

static void
test_valid(void **state)
{
	(void)state;
	assert_int_equal(utf8_valid(S("")), 1);
	assert_int_equal(utf8_valid(S("Школа № 7, 9А · ФизМат")), 1);
	assert_int_equal(utf8_valid(S("\xf0\x9f\x98\x80!")), 1);
	assert_int_equal(utf8_valid(S("abc\xd0")), 0);
	assert_int_equal(utf8_valid(S("a\0b")), 0);
	assert_int_equal(utf8_valid(S("\xed\xbf\xbf")), 0);
	/* Windows-1251 "Иван" is not UTF-8. */
	assert_int_equal(utf8_valid(S("\xc8\xe2\xe0\xed")), 0);
}

static void
test_chars(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("Ёлка"), 4);
	assert_int_equal(utf8_chars("9А · ФизМат"), 11);
	assert_int_equal(utf8_chars("\xf0\x9f\x98\x80 №"), 3);
}

static void
test_cut(void **state)
{
	const char	*s = "aЖ№";	/* 1 + 2 + 3 bytes */

	(void)state;
	assert_int_equal(utf8_cut(s, 0), 0);
	assert_int_equal(utf8_cut(s, 1), 1);
	assert_int_equal(utf8_cut(s, 2), 1);	/* inside Ж */
	assert_int_equal(utf8_cut(s, 3), 3);
	assert_int_equal(utf8_cut(s, 4), 3);	/* inside № */
	assert_int_equal(utf8_cut(s, 5), 3);
	assert_int_equal(utf8_cut(s, 6), 6);
}

static void
test_lower(void **state)
{
	char	 s[64];

	(void)state;
	strcpy(s, "ФИО Фамилия ЁЛКА Name, №7 яЯ");
	utf8_lower(s);
	assert_string_equal(s, "фио фамилия ёлка name, №7 яя");
	/* A byte that is not UTF-8 stays, and so does the rest. */
	strcpy(s, "\xd0Ж\xff");
	utf8_lower(s);
	assert_string_equal(s, "\xd0ж\xff");
}

static void
test_encode(void **state)
{
	static const uint32_t	 cps[] = { 0x41, 0x7F, 0x80, 0x416, 0x7FF,
	    0x800, 0x2116, 0xFFFD, 0x10000, 0x1F600, 0x10FFFF };
	char			 out[UTF8_MAX];
	uint32_t		 cp;
	size_t			 i, n;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], out);
		assert_true(n >= 1 && n <= UTF8_MAX);
		assert_int_equal(utf8_decode(out, n, &cp), n);
		assert_int_equal(cp, cps[i]);
	}
	assert_int_equal(utf8_encode(0x416, out), 2);
	assert_memory_equal(out, "Ж", 2);
	assert_int_equal(utf8_encode(0xD800, out), 0);
	assert_int_equal(utf8_encode(0x110000, out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_refuses),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_lower),
		cmocka_unit_test(test_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
