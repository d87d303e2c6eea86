/*
 * crypto: randomness from the kernel, SHA-256, URL-safe base64 and a
 * constant-time comparison.  Tokens handed to people are random bytes
 * from getrandom(2) in base64url; only their SHA-256 is ever stored.
 */
#ifndef PARTA_CRYPTO_H
#define PARTA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN	32
/* A 256-bit token in base64url without padding: 43 characters. */
#define CRYPTO_TOKEN_BYTES	32
#define CRYPTO_TOKEN_LEN	43

struct crypto_sha256 {
	uint32_t	 h[8];
	uint64_t	 total;
	unsigned char	 block[64];
	size_t		 used;
};

void	crypto_sha256_init(struct crypto_sha256 *);
void	crypto_sha256_update(struct crypto_sha256 *, const void *, size_t);
void	crypto_sha256_final(struct crypto_sha256 *,
	    unsigned char out[CRYPTO_SHA256_LEN]);
void	crypto_sha256(const void *, size_t,
	    unsigned char out[CRYPTO_SHA256_LEN]);

/* Fill buf with n random bytes from getrandom(2): 0, or -1. */
int	crypto_random(void *buf, size_t n);
/* A random token of nbytes bytes as base64url into out (which must hold
 * crypto_b64url_len(nbytes) + 1 bytes): 0, or -1. */
int	crypto_token(char *out, size_t nbytes);
/* A random decimal code of ndigits digits (uniform): 0, or -1. */
int	crypto_code(char *out, size_t ndigits);

size_t	crypto_b64url_len(size_t);
void	crypto_b64url(const unsigned char *, size_t, char *out);
void	crypto_hex(const unsigned char *, size_t, char *out);

/* 1 if a and b are equal, compared in time independent of content. */
int	crypto_equal(const char *a, const char *b);

/* HMAC-SHA256 (RFC 2104) of msg under key: for values the server must
 * be able to derive again from a secret it keeps outside the database. */
void	crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t n, unsigned char out[CRYPTO_SHA256_LEN]);

#endif
