/*
 * Unit tests for lib/crypto.c: SHA-256 and HMAC-SHA256 against published
 * vectors (FIPS 180-2, RFC 4231), base64url and tokens.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto.h"

static void
hex_of(const unsigned char *d, char out[2 * CRYPTO_SHA256_LEN + 1])
{
	crypto_hex(d, CRYPTO_SHA256_LEN, out);
}

static void
test_sha256(void **state)
{
	unsigned char	 h[CRYPTO_SHA256_LEN];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];

	(void)state;
	crypto_sha256("abc", 3, h);
	hex_of(h, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

static void
test_hmac_rfc4231(void **state)
{
	unsigned char	 key[131], h[CRYPTO_SHA256_LEN];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];
	const char	*msg;

	(void)state;
	/* Test case 1. */
	memset(key, 0x0b, 20);
	crypto_hmac_sha256(key, 20, "Hi There", 8, h);
	hex_of(h, hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7");
	/* Test case 2: a key shorter than the output. */
	msg = "what do ya want for nothing?";
	crypto_hmac_sha256("Jefe", 4, msg, strlen(msg), h);
	hex_of(h, hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	/* Test case 6: a key longer than the block is hashed first. */
	memset(key, 0xaa, sizeof(key));
	msg = "Test Using Larger Than Block-Size Key - Hash Key First";
	crypto_hmac_sha256(key, sizeof(key), msg, strlen(msg), h);
	hex_of(h, hex);
	assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
}

static void
test_b64url_and_token(void **state)
{
	char	 out[CRYPTO_TOKEN_LEN + 1], other[CRYPTO_TOKEN_LEN + 1];

	(void)state;
	crypto_b64url((const unsigned char *)"\xfb\xff", 2, out);
	assert_string_equal(out, "-_8");
	assert_int_equal(crypto_b64url_len(CRYPTO_TOKEN_BYTES),
	    CRYPTO_TOKEN_LEN);
	assert_int_equal(crypto_token(out, CRYPTO_TOKEN_BYTES), 0);
	assert_int_equal(crypto_token(other, CRYPTO_TOKEN_BYTES), 0);
	assert_int_equal(strlen(out), CRYPTO_TOKEN_LEN);
	assert_int_equal(strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), CRYPTO_TOKEN_LEN);
	assert_string_not_equal(out, other);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_b64url_and_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
