/*
 * Unit tests for lib/crypto.c: SHA-256 against the FIPS 180-2 / NIST
 * vectors (one-shot and fed in odd-sized chunks), base64url against the
 * RFC 4648 vectors with the URL-safe alphabet and no padding, the
 * shape of random tokens and codes, HMAC-SHA256 against RFC 4231, and
 * links derived from a salt (crypto_link_*): deterministic, different
 * for every purpose, id, salt and secret, URL-safe, and the invite
 * links made before the derivation moved to lib unchanged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"

#define B64URL_ABC	"ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"abcdefghijklmnopqrstuvwxyz0123456789-_"

/* SHA-256 of data as lower-case hex, one shot. */
static void
sha_hex(const void *data, size_t n, char hex[2 * CRYPTO_SHA256_LEN + 1])
{
	unsigned char	 h[CRYPTO_SHA256_LEN];

	crypto_sha256(data, n, h);
	crypto_hex(h, sizeof(h), hex);
}

/* SHA-256 of data fed through update() in chunks of the sizes given,
 * cycling through them. */
static void
sha_hex_chunked(const unsigned char *data, size_t n, const size_t *sizes,
    size_t nsizes, char hex[2 * CRYPTO_SHA256_LEN + 1])
{
	struct crypto_sha256	 c;
	unsigned char		 h[CRYPTO_SHA256_LEN];
	size_t			 off = 0, i = 0, take;

	crypto_sha256_init(&c);
	while (off < n) {
		take = sizes[i++ % nsizes];
		if (take > n - off)
			take = n - off;
		crypto_sha256_update(&c, data + off, take);
		off += take;
	}
	crypto_sha256_final(&c, h);
	crypto_hex(h, sizeof(h), hex);
}

static void
test_sha256_empty(void **state)
{
	char	 hex[65];

	(void)state;
	sha_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
test_sha256_abc(void **state)
{
	char	 hex[65];

	(void)state;
	sha_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

static void
test_sha256_hex(void **state)
{
	char	 hex[65];

	(void)state;
	crypto_sha256_hex("abc", hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_hex("", hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

static void
test_sha256_448(void **state)
{
	static const char	 msg[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static const size_t	 one[] = { 1 }, odd[] = { 3, 7, 13 };
	char			 hex[65];
	const char		*want = "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1";

	(void)state;
	assert_int_equal(strlen(msg), 56);
	sha_hex(msg, strlen(msg), hex);
	assert_string_equal(hex, want);
	sha_hex_chunked((const unsigned char *)msg, strlen(msg), one, 1, hex);
	assert_string_equal(hex, want);
	sha_hex_chunked((const unsigned char *)msg, strlen(msg), odd, 3, hex);
	assert_string_equal(hex, want);
}

static void
test_sha256_896(void **state)
{
	static const char	 msg[] =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	char			 hex[65];

	(void)state;
	assert_int_equal(strlen(msg), 112);
	sha_hex(msg, strlen(msg), hex);
	assert_string_equal(hex, "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1");
}

static void
test_sha256_million_a(void **state)
{
	static const size_t	 odd[] = { 1, 3, 7, 61, 64, 65, 127, 999,
	    4093 };
	static const size_t	 prime[] = { 1000003 };
	const char		*want = "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0";
	unsigned char		*a;
	char			 hex[65];

	(void)state;
	a = malloc(1000000);
	assert_non_null(a);
	memset(a, 'a', 1000000);
	sha_hex(a, 1000000, hex);
	assert_string_equal(hex, want);
	sha_hex_chunked(a, 1000000, odd, sizeof(odd) / sizeof(odd[0]), hex);
	assert_string_equal(hex, want);
	/* One chunk larger than the whole message. */
	sha_hex_chunked(a, 1000000, prime, 1, hex);
	assert_string_equal(hex, want);
	free(a);
}

/* Lengths around the padding boundaries (55/56 bytes fit or not in the
 * last block with the length; 64 is exactly one block). */
static void
test_sha256_boundaries(void **state)
{
	static const struct {
		size_t		 n;
		const char	*hex;
	} v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
		    "e9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
		    "590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98"
		    "e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
		    "f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a"
		    "41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cf"
		    "dfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c"
		    "020d683aa5f73aaaedfdc55af904c21c" },
	};
	static const size_t	 odd[] = { 5, 11 };
	unsigned char		 a[120];
	char			 hex[65];
	size_t			 i;

	(void)state;
	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha_hex(a, v[i].n, hex);
		assert_string_equal(hex, v[i].hex);
		sha_hex_chunked(a, v[i].n, odd, 2, hex);
		assert_string_equal(hex, v[i].hex);
	}
}

static void
test_b64url_len(void **state)
{
	(void)state;
	assert_int_equal(crypto_b64url_len(0), 0);
	assert_int_equal(crypto_b64url_len(1), 2);
	assert_int_equal(crypto_b64url_len(2), 3);
	assert_int_equal(crypto_b64url_len(3), 4);
	assert_int_equal(crypto_b64url_len(4), 6);
	assert_int_equal(crypto_b64url_len(5), 7);
	assert_int_equal(crypto_b64url_len(6), 8);
	assert_int_equal(crypto_b64url_len(24), 32);
	assert_int_equal(crypto_b64url_len(CRYPTO_TOKEN_BYTES),
	    CRYPTO_TOKEN_LEN);
}

/* RFC 4648 section 10 without padding, and the URL-safe characters. */
static void
test_b64url_vectors(void **state)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*out;
	} v[] = {
		{ "", 0, "" },
		{ "f", 1, "Zg" },
		{ "fo", 2, "Zm8" },
		{ "foo", 3, "Zm9v" },
		{ "foob", 4, "Zm9vYg" },
		{ "fooba", 5, "Zm9vYmE" },
		{ "foobar", 6, "Zm9vYmFy" },
		{ "\xfb\xff", 2, "-_8" },
		{ "\xff\xff\xff", 3, "____" },
		{ "\xfb\xef\xbe", 3, "----" },
		{ "\x00", 1, "AA" },
		{ "\x00\x00\x00\x00\x00", 5, "AAAAAAA" },
		{ "\x03\xe0\x7f\xff\xbf", 5, "A-B__78" },
	};
	char	 out[16];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		/* A canary right after the terminating NUL. */
		memset(out, '#', sizeof(out));
		crypto_b64url((const unsigned char *)v[i].in, v[i].n, out);
		assert_string_equal(out, v[i].out);
		assert_int_equal(strlen(out), crypto_b64url_len(v[i].n));
		assert_int_equal(out[strlen(out) + 1], '#');
	}
}

static void
test_hex(void **state)
{
	static const unsigned char	 in[] = { 0x00, 0x01, 0x7f, 0x80,
	    0xab, 0xff };
	char				 out[16];

	(void)state;
	memset(out, '#', sizeof(out));
	crypto_hex(in, sizeof(in), out);
	assert_string_equal(out, "00017f80abff");
	assert_int_equal(out[13], '#');
	crypto_hex(in, 0, out);
	assert_string_equal(out, "");
}

static void
test_random(void **state)
{
	unsigned char	 a[32], b[32], zero[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	assert_int_equal(crypto_random(a, sizeof(a)), 0);
	assert_int_equal(crypto_random(b, sizeof(b)), 0);
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(crypto_random(a, 0), 0);
}

static void
test_token(void **state)
{
	char	 a[CRYPTO_TOKEN_LEN + 2], b[CRYPTO_TOKEN_LEN + 2], c[40];

	(void)state;
	memset(a, '#', sizeof(a));
	assert_int_equal(crypto_token(a, CRYPTO_TOKEN_BYTES), 0);
	assert_int_equal(strlen(a), CRYPTO_TOKEN_LEN);
	assert_int_equal(strlen(a), 43);
	assert_int_equal(strspn(a, B64URL_ABC), 43);
	assert_int_equal(a[CRYPTO_TOKEN_LEN + 1], '#');

	assert_int_equal(crypto_token(b, CRYPTO_TOKEN_BYTES), 0);
	assert_int_equal(strlen(b), 43);
	assert_int_equal(strspn(b, B64URL_ABC), 43);
	assert_string_not_equal(a, b);

	assert_int_equal(crypto_token(c, 24), 0);
	assert_int_equal(strlen(c), 32);
	assert_int_equal(strspn(c, B64URL_ABC), 32);

	/* More than the function's buffer holds is refused. */
	assert_int_equal(crypto_token(c, 65), -1);
}

static void
test_code(void **state)
{
	char	 code[16], other[16], big[1001];
	size_t	 count[10], i;
	int	 tries;

	(void)state;
	memset(code, '#', sizeof(code));
	assert_int_equal(crypto_code(code, 6), 0);
	assert_int_equal(strlen(code), 6);
	assert_int_equal(strspn(code, "0123456789"), 6);
	assert_int_equal(code[7], '#');

	assert_int_equal(crypto_code(code, 1), 0);
	assert_int_equal(strlen(code), 1);
	assert_true(code[0] >= '0' && code[0] <= '9');

	assert_int_equal(crypto_code(code, 0), 0);
	assert_string_equal(code, "");

	/* Two 12-digit codes in a row are not the same (1 in 10^12). */
	assert_int_equal(crypto_code(code, 12), 0);
	assert_int_equal(crypto_code(other, 12), 0);
	assert_int_equal(strspn(other, "0123456789"), 12);
	assert_string_not_equal(code, other);

	/* Every digit turns up, about equally often: 20000 digits, each
	 * expected 2000 times (sd ~42), so 1700..2300 is > 7 sd wide. */
	memset(count, 0, sizeof(count));
	for (tries = 0; tries < 20; tries++) {
		assert_int_equal(crypto_code(big, 1000), 0);
		assert_int_equal(strlen(big), 1000);
		for (i = 0; i < 1000; i++) {
			assert_true(big[i] >= '0' && big[i] <= '9');
			count[big[i] - '0']++;
		}
	}
	for (i = 0; i < 10; i++)
		assert_in_range(count[i], 1700, 2300);
}

static void
test_equal(void **state)
{
	(void)state;
	assert_int_equal(crypto_equal("", ""), 1);
	assert_int_equal(crypto_equal("abc", "abc"), 1);
	assert_int_equal(crypto_equal("abc", "abd"), 0);
	assert_int_equal(crypto_equal("abc", "bbc"), 0);
	assert_int_equal(crypto_equal("abc", "ab"), 0);
	assert_int_equal(crypto_equal("ab", "abc"), 0);
	assert_int_equal(crypto_equal("", "a"), 0);
	assert_int_equal(crypto_equal("a", ""), 0);
	assert_int_equal(crypto_equal("abc", "ABC"), 0);
	/* Bytes with the high bit set compare as bytes. */
	assert_int_equal(crypto_equal("\xd0\x9f", "\xd0\x9f"), 1);
	assert_int_equal(crypto_equal("\xd0\x9f", "\xd0\x9e"), 0);
}

static void
hex_of(const unsigned char *d, char out[2 * CRYPTO_SHA256_LEN + 1])
{
	crypto_hex(d, CRYPTO_SHA256_LEN, out);
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

#define LINK_SECRET	"0123456789abcdef0123456789abcdef-test-key"

static void
fixed_salt(unsigned char salt[CRYPTO_SALT_LEN], int k)
{
	int	 i;

	for (i = 0; i < CRYPTO_SALT_LEN; i++)
		salt[i] = (unsigned char)(i * 7 + k);
}

/*
 * Invite links made before the derivation moved to lib must keep
 * deriving to the same tokens: the expected values were computed with
 * invite.c's own token_derive() of that time (and agree with Python's
 * hmac module) for this secret, organization and salt.
 */
static void
test_link_invite_unchanged(void **state)
{
	unsigned char	 salt[CRYPTO_SALT_LEN], msg[128];
	unsigned char	 mac[CRYPTO_SHA256_LEN];
	char		 token[CRYPTO_TOKEN_LEN + 1], ref[CRYPTO_TOKEN_LEN + 1];
	size_t		 n;

	(void)state;
	fixed_salt(salt, 1);
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_INVITE,
	    12345, salt, token), 0);
	assert_string_equal(token,
	    "2qi8LRbwVSDvogH97ozvyOxV9HgvVSMvge1Gyty5BHE");
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_INVITE,
	    9223372036854775807LL, salt, token), 0);
	assert_string_equal(token,
	    "vGCqQLsUi5nx1wNKdK17LT2T3Hzp5Zlna4EuJoVKjmM");
	/* The message spelled out by hand: "parta-invite-v1" 0 "12345" 0
	 * salt. */
	n = 0;
	memcpy(msg, "parta-invite-v1", 15);
	n += 15;
	msg[n++] = 0;
	memcpy(msg + n, "12345", 5);
	n += 5;
	msg[n++] = 0;
	memcpy(msg + n, salt, CRYPTO_SALT_LEN);
	n += CRYPTO_SALT_LEN;
	crypto_hmac_sha256(LINK_SECRET, strlen(LINK_SECRET), msg, n, mac);
	crypto_b64url(mac, sizeof(mac), ref);
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_INVITE,
	    12345, salt, token), 0);
	assert_string_equal(token, ref);
}

static void
test_link_token_varies(void **state)
{
	unsigned char	 salt[CRYPTO_SALT_LEN], salt2[CRYPTO_SALT_LEN];
	char		 a[CRYPTO_TOKEN_LEN + 1], b[CRYPTO_TOKEN_LEN + 1];
	const char	*purposes[] = { CRYPTO_LINK_INVITE, CRYPTO_LINK_CHAT,
	    CRYPTO_LINK_PARENT };
	size_t		 i, j;

	(void)state;
	fixed_salt(salt, 3);
	fixed_salt(salt2, 3);
	salt2[CRYPTO_SALT_LEN - 1] ^= 1;
	/* Deterministic: the same inputs, the same token. */
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_CHAT, 42,
	    salt, a), 0);
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_CHAT, 42,
	    salt, b), 0);
	assert_string_equal(a, b);
	/* URL-safe, 43 characters. */
	assert_int_equal(strlen(a), CRYPTO_TOKEN_LEN);
	assert_int_equal(strspn(a, B64URL_ABC), CRYPTO_TOKEN_LEN);
	/* Every purpose its own tokens. */
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++) {
			assert_int_equal(crypto_link_token(LINK_SECRET,
			    purposes[i], 42, salt, a), 0);
			assert_int_equal(crypto_link_token(LINK_SECRET,
			    purposes[j], 42, salt, b), 0);
			assert_string_not_equal(a, b);
		}
	/* Another id, another salt (one bit), another secret. */
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_CHAT, 42,
	    salt, a), 0);
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_CHAT, 43,
	    salt, b), 0);
	assert_string_not_equal(a, b);
	/* The 0 after the id ends it: ids 4 and 42 differ too. */
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_CHAT, 4,
	    salt, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_CHAT, 42,
	    salt2, b), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(crypto_link_token(LINK_SECRET "!", CRYPTO_LINK_CHAT,
	    42, salt, b), 0);
	assert_string_not_equal(a, b);
	/* No secret, or one too short: no token. */
	assert_int_equal(crypto_link_token(NULL, CRYPTO_LINK_CHAT, 42, salt,
	    b), -1);
	assert_string_equal(b, "");
	assert_int_equal(crypto_link_token("short", CRYPTO_LINK_CHAT, 42,
	    salt, b), -1);
	assert_int_equal(crypto_link_secret_ok(NULL), 0);
	assert_int_equal(crypto_link_secret_ok(
	    "0123456789abcdef0123456789abcde"), 0);
	assert_int_equal(crypto_link_secret_ok(
	    "0123456789abcdef0123456789abcdef"), 1);
}

/* A new link's salt and hash derive its token again; another id,
 * purpose, secret or a missing salt do not. */
static void
test_link_new_again(void **state)
{
	char		 salt[2 * CRYPTO_SALT_LEN + 1], salt2[sizeof(salt)];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1], hash2[sizeof(hash)];
	char		 token[CRYPTO_TOKEN_LEN + 1];
	char		 again[CRYPTO_TOKEN_LEN + 1];
	unsigned char	 raw[CRYPTO_SALT_LEN], h[CRYPTO_SHA256_LEN];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];

	(void)state;
	assert_int_equal(crypto_link_new(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    salt, hash, token), 0);
	assert_int_equal(strlen(salt), 2 * CRYPTO_SALT_LEN);
	assert_int_equal(strlen(hash), 2 * CRYPTO_SHA256_LEN);
	assert_int_equal(strlen(token), CRYPTO_TOKEN_LEN);
	/* The hash is SHA-256 of the token, the token that of the salt. */
	crypto_sha256(token, strlen(token), h);
	crypto_hex(h, sizeof(h), hex);
	assert_string_equal(hex, hash);
	assert_int_equal(crypto_unhex(salt, raw, sizeof(raw)), 0);
	assert_int_equal(crypto_link_token(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    raw, again), 0);
	assert_string_equal(again, token);
	assert_int_equal(crypto_link_again(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    salt, hash, again), 0);
	assert_string_equal(again, token);
	/* Upper-case hex is the same salt. */
	{
		char	 up[sizeof(salt)];
		size_t	 i;

		for (i = 0; i < sizeof(up); i++)
			up[i] = (char)(salt[i] >= 'a' && salt[i] <= 'f' ?
			    salt[i] - 32 : salt[i]);
		assert_int_equal(crypto_link_again(LINK_SECRET,
		    CRYPTO_LINK_PARENT, 7, up, hash, again), 0);
	}
	/* Not shown again: other id, purpose, secret; no or bad salt. */
	assert_int_equal(crypto_link_again(LINK_SECRET, CRYPTO_LINK_PARENT, 8,
	    salt, hash, again), -1);
	assert_string_equal(again, "");
	assert_int_equal(crypto_link_again(LINK_SECRET, CRYPTO_LINK_CHAT, 7,
	    salt, hash, again), -1);
	assert_int_equal(crypto_link_again(LINK_SECRET "x",
	    CRYPTO_LINK_PARENT, 7, salt, hash, again), -1);
	assert_int_equal(crypto_link_again(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    "", hash, again), -1);
	assert_int_equal(crypto_link_again(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    NULL, hash, again), -1);
	salt[5] = 'g';
	assert_int_equal(crypto_link_again(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    salt, hash, again), -1);
	/* Two new links: fresh salts, different tokens. */
	assert_int_equal(crypto_link_new(LINK_SECRET, CRYPTO_LINK_PARENT, 7,
	    salt2, hash2, NULL), 0);
	assert_string_not_equal(salt2, salt);
	assert_string_not_equal(hash2, hash);
	assert_int_equal(crypto_link_new("short", CRYPTO_LINK_PARENT, 7,
	    salt2, hash2, NULL), -1);
}

static void
test_unhex(void **state)
{
	unsigned char	 b[3];

	(void)state;
	assert_int_equal(crypto_unhex("00fF7a", b, 3), 0);
	assert_int_equal(b[0], 0x00);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(b[2], 0x7a);
	assert_int_equal(crypto_unhex("00ff7", b, 3), -1);
	assert_int_equal(crypto_unhex("00ff7a0", b, 3), -1);
	assert_int_equal(crypto_unhex(" 0ff7a", b, 3), -1);
	assert_int_equal(crypto_unhex("+0ff7a", b, 3), -1);
	assert_int_equal(crypto_unhex("0xff7a", b, 3), -1);
	assert_int_equal(crypto_unhex(NULL, b, 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_empty),
		cmocka_unit_test(test_sha256_abc),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test(test_sha256_448),
		cmocka_unit_test(test_sha256_896),
		cmocka_unit_test(test_sha256_million_a),
		cmocka_unit_test(test_sha256_boundaries),
		cmocka_unit_test(test_b64url_len),
		cmocka_unit_test(test_b64url_vectors),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_unhex),
		cmocka_unit_test(test_link_invite_unchanged),
		cmocka_unit_test(test_link_token_varies),
		cmocka_unit_test(test_link_new_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
