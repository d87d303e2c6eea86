/*
 * Unit tests for the password half of lib/auth.c: scrypt hashes made by
 * auth_password_hash, checks against them and against hashes made with
 * other parameters, the dummy check for unknown accounts, and malformed
 * stored hashes; the client address limits count (auth_addr_key).
 * Sessions, CSRF and throttling need the database and are covered by the
 * HTTP tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"

#define PW	"correct horse battery staple"

/* One hash made in the group setup, shared by the cases that only read
 * it (each scrypt run costs about 32 MiB and a tenth of a second). */
static char	 stored[SCRYPT_MCF_LEN];

static int
group_setup(void **state)
{
	(void)state;
	return auth_password_hash(PW, stored);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_hash_format(void **state)
{
	char	 other[SCRYPT_MCF_LEN];
	char	 prefix[32];

	(void)state;
	/* "$s1$" then N as log2, r and p in hex: 2^15, 8, 1. */
	snprintf(prefix, sizeof(prefix), "$s1$%02x%02x%02x$", 15,
	    AUTH_SCRYPT_R, AUTH_SCRYPT_P);
	assert_int_equal(AUTH_SCRYPT_N, 1 << 15);
	assert_string_equal(prefix, "$s1$0f0801$");
	assert_memory_equal(stored, prefix, strlen(prefix));
	assert_true(strlen(stored) < SCRYPT_MCF_LEN);
	assert_null(strstr(stored, PW));
	/* Salted: the same password hashes differently each time. */
	assert_int_equal(auth_password_hash(PW, other), 0);
	assert_memory_equal(other, prefix, strlen(prefix));
	assert_string_not_equal(stored, other);
	assert_int_equal(auth_password_check(other, PW), 1);
}

static void
test_check_right(void **state)
{
	(void)state;
	assert_int_equal(auth_password_check(stored, PW), 1);
}

static void
test_check_wrong(void **state)
{
	(void)state;
	assert_int_equal(auth_password_check(stored, "wrong password"), 0);
	assert_int_equal(auth_password_check(stored, ""), 0);
	/* A prefix, an extension and a change of case are all wrong. */
	assert_int_equal(auth_password_check(stored,
	    "correct horse battery stapl"), 0);
	assert_int_equal(auth_password_check(stored, PW " "), 0);
	assert_int_equal(auth_password_check(stored,
	    "Correct horse battery staple"), 0);
}

static void
test_check_utf8(void **state)
{
	char	 h[SCRYPT_MCF_LEN];

	(void)state;
	assert_int_equal(auth_password_hash("пароль ёЁ 🙂", h), 0);
	assert_int_equal(auth_password_check(h, "пароль ёЁ 🙂"), 1);
	assert_int_equal(auth_password_check(h, "пароль еЁ 🙂"), 0);
}

/* The stored string is left as it was (libscrypt_check writes into its
 * argument), so it can be checked again. */
static void
test_check_keeps_hash(void **state)
{
	char	 h[SCRYPT_MCF_LEN], before[SCRYPT_MCF_LEN];

	(void)state;
	memcpy(h, stored, sizeof(h));
	memcpy(before, stored, sizeof(before));
	assert_int_equal(auth_password_check(h, PW), 1);
	assert_memory_equal(h, before, sizeof(h));
	assert_int_equal(auth_password_check(h, "wrong"), 0);
	assert_memory_equal(h, before, sizeof(h));
	assert_int_equal(auth_password_check(h, PW), 1);
	assert_memory_equal(h, before, sizeof(h));
}

/* The parameters come from the stored hash, not from AUTH_SCRYPT_*. */
static void
test_check_other_params(void **state)
{
	char	 h[SCRYPT_MCF_LEN];

	(void)state;
	assert_true(libscrypt_hash(h, "older password", 16384, 8, 1) > 0);
	assert_memory_equal(h, "$s1$0e0801$", 11);
	assert_int_equal(auth_password_check(h, "older password"), 1);
	assert_int_equal(auth_password_check(h, "older passworD"), 0);

	assert_true(libscrypt_hash(h, "older password", 4096, 4, 2) > 0);
	assert_memory_equal(h, "$s1$0c0402$", 11);
	assert_int_equal(auth_password_check(h, "older password"), 1);
	assert_int_equal(auth_password_check(h, "other password"), 0);
}

/* No account: never a match, and not faster than a wrong password. */
static void
test_check_null(void **state)
{
	double	 t0, t_wrong, t_null;

	(void)state;
	t0 = now();
	assert_int_equal(auth_password_check(stored, "not it"), 0);
	t_wrong = now() - t0;
	t0 = now();
	assert_int_equal(auth_password_check(NULL, "not it"), 0);
	t_null = now() - t0;
	assert_int_equal(auth_password_check(NULL, PW), 0);
	assert_int_equal(auth_password_check(NULL, ""), 0);
	/* Both run scrypt with N = 2^15; skipping it would be ~0 s. */
	if (t_null < t_wrong / 5)
		fail_msg("check(NULL) took %.4f s, a wrong password %.4f s",
		    t_null, t_wrong);
}

static void
test_check_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"nonsense",
		"$s1$",
		"$s1$0f0801$",
		"$s1$zz$abc$def",
		"$s2$0e0801$c2FsdA==$aGFzaA==",
		"$s1$0e0801$!!!$aGFzaA==",
		"$s1$0e0801$c2FsdA==",
		"$s1$0e0801$c2FsdA==$",
		"$s1$ff0801$c2FsdA==$aGFzaA==",
		"$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
	};
	char	 long_hash[SCRYPT_MCF_LEN + 10];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (auth_password_check(bad[i], PW) != -1)
			fail_msg("\"%s\" was not refused", bad[i]);
	/* A valid hash with junk appended past the buffer size. */
	memset(long_hash, 'A', sizeof(long_hash));
	memcpy(long_hash, stored, strlen(stored));
	long_hash[sizeof(long_hash) - 1] = '\0';
	assert_int_equal(auth_password_check(long_hash, PW), -1);
}

/* The browser names /me/sessions shows. */
static void
test_browser_name(void **state)
{
	static const char *const cases[][2] = {
		{ "Mozilla/5.0 (Linux; Android 13; SM-A515F) AppleWebKit/537.36"
		  " (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
		  "Chrome на Android" },
		{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)"
		  " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1"
		  " Mobile/15E148 Safari/604.1", "Safari на iPhone" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
		  " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
		  " Edg/120.0.0.0", "Edge на Windows" },
		{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
		  " (KHTML, like Gecko) Chrome/118.0.0.0 YaBrowser/23.11.0.0"
		  " Safari/537.36", "Яндекс Браузер на Windows" },
		{ "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0)"
		  " Gecko/20100101 Firefox/121.0", "Firefox на Linux" },
		{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)"
		  " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1"
		  " Safari/605.1.15", "Safari на macOS" },
		{ "curl/7.88.1", "curl" },
		{ "", "Неизвестный браузер" },
	};
	char	 out[128];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		auth_browser_name(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
	auth_browser_name(NULL, out, sizeof(out));
	assert_string_equal(out, "Неизвестный браузер");
}

/* One key per IPv4 address, per IPv6 /64, however it is written. */
static void
test_addr_key(void **state)
{
	static const char *const cases[][2] = {
		{ "203.0.113.7", "203.0.113.7" },
		{ "::ffff:203.0.113.7", "203.0.113.7" },
		{ "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64" },
		{ "2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64" },
		{ "2001:db8:1:3::1", "2001:db8:1:3::/64" },
		{ "::1", "::/64" },
		{ "", "" },
		{ "not an address", "not an address" },
	};
	char	 out[AUTH_ADDR_KEY_MAX];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		auth_addr_key(cases[i][0], out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
	/* Longer than out: cut, still a string. */
	auth_addr_key("0123456789012345678901234567890123456789012345678901234"
	    "56789012345", out, sizeof(out));
	assert_int_equal(strlen(out), sizeof(out) - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_format),
		cmocka_unit_test(test_check_right),
		cmocka_unit_test(test_check_wrong),
		cmocka_unit_test(test_check_utf8),
		cmocka_unit_test(test_check_keeps_hash),
		cmocka_unit_test(test_check_other_params),
		cmocka_unit_test(test_check_null),
		cmocka_unit_test(test_check_malformed),
		cmocka_unit_test(test_browser_name),
		cmocka_unit_test(test_addr_key),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
