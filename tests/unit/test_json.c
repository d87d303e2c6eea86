/*
 * Unit tests for lib/json.c: every character a JSON string must escape,
 * UTF-8 kept as it is, broken UTF-8 replaced, NULL as null.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "buf.h"
#include "json.h"

static void
check(const char *in, const char *want)
{
	struct buf	 b;

	buf_init(&b);
	json_str(&b, in);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

static void
test_plain(void **state)
{
	(void)state;
	check("", "\"\"");
	check("abc 123", "\"abc 123\"");
	check(NULL, "null");
}

static void
test_escapes(void **state)
{
	(void)state;
	check("a\"b", "\"a\\\"b\"");
	check("a\\b", "\"a\\\\b\"");
	check("1\n2\r3\t4", "\"1\\n2\\r3\\t4\"");
	check("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	check("</script>", "\"</script>\"");
}

static void
test_utf8(void **state)
{
	(void)state;
	check("Удалённый пользователь", "\"Удалённый пользователь\"");
	check("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");	/* U+1F600 */
	check("a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"");
}

static void
test_broken_utf8(void **state)
{
	(void)state;
	check("\xff", "\"\\ufffd\"");
	check("a\xd0", "\"a\\ufffd\"");			/* cut short */
	check("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong '/' */
	check("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");	/* surrogate */
	check("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_broken_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
