/*
 * Unit tests for app_local_path (lib/app.c): the "next" parameter of
 * /login must be a path on this site, never something a browser reads
 * as another origin.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app.h"

static void
test_local_ok(void **state)
{
	static const char *const ok[] = {
		"/",
		"/me",
		"/org/1?x=2",
		"/org/1/classes/2",
		"/login?next=%2F%2Fevil",
		"/a/b/",
		"/a//b",
		"/a?x=//evil",
		"/#frag",
		"/%D0%BF%D1%80%D0%B8",
		"/при/вет",
		"/a b",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (app_local_path(ok[i]) != 1)
			fail_msg("\"%s\" was refused", ok[i]);
}

static void
test_local_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"//evil",
		"//evil.example/path",
		"///evil",
		"/\\evil",
		"/\\/evil",
		"/a\\b",
		"\\\\evil",
		"http://x",
		"https://evil.example/",
		"javascript:alert(1)",
		"evil.example",
		"me",
		"?x=1",
		"#frag",
		" /me",
		"\t/me",
	};
	size_t	 i;

	(void)state;
	assert_int_equal(app_local_path(NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (app_local_path(bad[i]) != 0)
			fail_msg("\"%s\" was accepted", bad[i]);
}

/* Every control character, anywhere in the path. */
static void
test_local_control(void **state)
{
	char	 s[16];
	int	 c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		snprintf(s, sizeof(s), "/me%cx", c);
		if (app_local_path(s) != 0)
			fail_msg("control 0x%02x in the middle accepted", c);
		snprintf(s, sizeof(s), "/%c/evil", c);
		if (app_local_path(s) != 0)
			fail_msg("control 0x%02x after / accepted", c);
		snprintf(s, sizeof(s), "/me%c", c);
		if (app_local_path(s) != 0)
			fail_msg("control 0x%02x at the end accepted", c);
	}
	assert_int_equal(app_local_path("/me\r\nSet-Cookie: x=1"), 0);
	assert_int_equal(app_local_path("/\t/evil"), 0);
	assert_int_equal(app_local_path("/\n/evil"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_ok),
		cmocka_unit_test(test_local_refused),
		cmocka_unit_test(test_local_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
