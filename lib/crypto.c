#include <sys/random.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(struct crypto_sha256 *c, const unsigned char *p)
{
	uint32_t	 w[64], a, b, d, e, f, g, h, cc, t1, t2;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		    (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		    (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = c->h[0]; b = c->h[1]; cc = c->h[2]; d = c->h[3];
	e = c->h[4]; f = c->h[5]; g = c->h[6]; h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
	c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

void
crypto_sha256_init(struct crypto_sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->total = 0;
	c->used = 0;
}

void
crypto_sha256_update(struct crypto_sha256 *c, const void *data, size_t n)
{
	const unsigned char	*p = data;
	size_t			 take;

	c->total += n;
	while (n > 0) {
		take = 64 - c->used < n ? 64 - c->used : n;
		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used == 64) {
			sha256_block(c, c->block);
			c->used = 0;
		}
	}
}

void
crypto_sha256_final(struct crypto_sha256 *c, unsigned char out[32])
{
	uint64_t	 bits = c->total * 8;
	unsigned char	 pad = 0x80, zero = 0, len[8];
	int		 i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	crypto_sha256_update(c, &pad, 1);
	while (c->used != 56)
		crypto_sha256_update(c, &zero, 1);
	crypto_sha256_update(c, len, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void
crypto_sha256(const void *data, size_t n, unsigned char out[32])
{
	struct crypto_sha256	 c;

	crypto_sha256_init(&c);
	crypto_sha256_update(&c, data, n);
	crypto_sha256_final(&c, out);
}

int
crypto_random(void *buf, size_t n)
{
	unsigned char	*p = buf;
	ssize_t		 got;

	while (n > 0) {
		got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

size_t
crypto_b64url_len(size_t n)
{
	return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void
crypto_b64url(const unsigned char *in, size_t n, char *out)
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	uint32_t		 v;
	size_t			 i;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = abc[v >> 6 & 63];
		*out++ = abc[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)in[i] << 16;
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		*out++ = abc[v >> 18 & 63];
		*out++ = abc[v >> 12 & 63];
		*out++ = abc[v >> 6 & 63];
	}
	*out = '\0';
}

void
crypto_hex(const unsigned char *in, size_t n, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < n; i++) {
		*out++ = hex[in[i] >> 4];
		*out++ = hex[in[i] & 15];
	}
	*out = '\0';
}

int
crypto_token(char *out, size_t nbytes)
{
	unsigned char	 raw[64];

	if (nbytes > sizeof(raw) || crypto_random(raw, nbytes) == -1)
		return -1;
	crypto_b64url(raw, nbytes, out);
	explicit_bzero(raw, sizeof(raw));
	return 0;
}

int
crypto_code(char *out, size_t ndigits)
{
	unsigned char	 b;
	size_t		 i;

	/* Rejection sampling keeps every digit equally likely. */
	for (i = 0; i < ndigits; ) {
		if (crypto_random(&b, 1) == -1)
			return -1;
		if (b >= 250)
			continue;
		out[i++] = (char)('0' + b % 10);
	}
	out[i] = '\0';
	return 0;
}

int
crypto_equal(const char *a, const char *b)
{
	size_t		 la = strlen(a), lb = strlen(b), i;
	unsigned char	 d = 0;

	if (la != lb)
		return 0;
	for (i = 0; i < la; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

void
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t n, unsigned char out[CRYPTO_SHA256_LEN])
{
	struct crypto_sha256	 c;
	unsigned char		 k[64], pad[64], inner[CRYPTO_SHA256_LEN];
	size_t			 i;

	/* RFC 2104: a key longer than the block is hashed first. */
	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k))
		crypto_sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x36;
	crypto_sha256_init(&c);
	crypto_sha256_update(&c, pad, sizeof(pad));
	crypto_sha256_update(&c, msg, n);
	crypto_sha256_final(&c, inner);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] = k[i] ^ 0x5c;
	crypto_sha256_init(&c);
	crypto_sha256_update(&c, pad, sizeof(pad));
	crypto_sha256_update(&c, inner, sizeof(inner));
	crypto_sha256_final(&c, out);
	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	explicit_bzero(inner, sizeof(inner));
	explicit_bzero(&c, sizeof(c));
}

int
crypto_unhex(const char *hex, unsigned char *out, size_t n)
{
	size_t	 i, k;
	int	 v[2];

	if (hex == NULL || strlen(hex) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < 2; k++) {
			char	 c = hex[2 * i + k];

			if (c >= '0' && c <= '9')
				v[k] = c - '0';
			else if (c >= 'a' && c <= 'f')
				v[k] = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				v[k] = c - 'A' + 10;
			else
				return -1;
		}
		out[i] = (unsigned char)(v[0] << 4 | v[1]);
	}
	return 0;
}

int
crypto_link_secret_ok(const char *secret)
{
	return secret != NULL && strlen(secret) >= CRYPTO_SECRET_MIN;
}

int
crypto_link_token(const char *secret, const char *purpose, long long id,
    const unsigned char salt[CRYPTO_SALT_LEN],
    char token[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 msg[96 + CRYPTO_SALT_LEN], mac[CRYPTO_SHA256_LEN];
	int		 n;

	token[0] = '\0';
	if (!crypto_link_secret_ok(secret) || strlen(purpose) > 64)
		return -1;
	/* purpose 0 id 0: at most 64 + 1 + 20 + 1 bytes. */
	n = snprintf((char *)msg, 96, "%s%c%lld%c", purpose, '\0', id, '\0');
	if (n < 0 || n >= 96)
		return -1;
	memcpy(msg + n, salt, CRYPTO_SALT_LEN);
	crypto_hmac_sha256(secret, strlen(secret), msg,
	    (size_t)n + CRYPTO_SALT_LEN, mac);
	crypto_b64url(mac, sizeof(mac), token);
	explicit_bzero(mac, sizeof(mac));
	return 0;
}

int
crypto_link_new(const char *secret, const char *purpose, long long id,
    char salt_hex[2 * CRYPTO_SALT_LEN + 1],
    char hash_hex[2 * CRYPTO_SHA256_LEN + 1],
    char token[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 salt[CRYPTO_SALT_LEN];
	char		 t[CRYPTO_TOKEN_LEN + 1];

	if (crypto_random(salt, sizeof(salt)) == -1 ||
	    crypto_link_token(secret, purpose, id, salt, t) == -1)
		return -1;
	crypto_hex(salt, sizeof(salt), salt_hex);
	crypto_sha256_hex(t, hash_hex);
	if (token != NULL)
		memcpy(token, t, sizeof(t));
	explicit_bzero(t, sizeof(t));
	explicit_bzero(salt, sizeof(salt));
	return 0;
}

void
crypto_sha256_hex(const char *s, char hex[2 * CRYPTO_SHA256_LEN + 1])
{
	unsigned char	 h[CRYPTO_SHA256_LEN];

	crypto_sha256(s, strlen(s), h);
	crypto_hex(h, sizeof(h), hex);
	explicit_bzero(h, sizeof(h));
}

int
crypto_link_again(const char *secret, const char *purpose, long long id,
    const char *salt_hex, const char *hash_hex,
    char token[CRYPTO_TOKEN_LEN + 1])
{
	unsigned char	 salt[CRYPTO_SALT_LEN];
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];

	token[0] = '\0';
	if (hash_hex == NULL || crypto_unhex(salt_hex, salt,
	    sizeof(salt)) == -1 || crypto_link_token(secret, purpose, id, salt,
	    token) == -1)
		return -1;
	crypto_sha256_hex(token, hex);
	if (!crypto_equal(hex, hash_hex)) {
		explicit_bzero(token, CRYPTO_TOKEN_LEN + 1);
		token[0] = '\0';
		return -1;
	}
	return 0;
}
