/*
 * crypto: randomness from the kernel, SHA-256, HMAC-SHA256, URL-safe
 * base64, hex and a constant-time comparison.  Tokens handed to people
 * are random bytes from getrandom(2) in base64url, or, for links a page
 * must show again, derived from a random salt under the server's secret
 * (crypto_link_*); only their SHA-256 is ever stored.
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
/* The SHA-256 of the NUL-terminated string s as 64 lowercase hex digits
 * into hex: how a token (session, link) is stored and looked up, so that
 * the raw token never reaches the database or its logs. */
void	crypto_sha256_hex(const char *s, char hex[2 * CRYPTO_SHA256_LEN + 1]);

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

/* n bytes from 2n hex digits (either case, nothing else): 0, or -1. */
int	crypto_unhex(const char *hex, unsigned char *out, size_t n);

/*
 * Links shown again, never stored (README, "Links: shown again, never
 * stored").  A link's token is
 *
 *	base64url(HMAC-SHA256(secret, purpose 0x00 id 0x00 salt))
 *
 * where purpose names the kind of link and its version (the names below:
 * tokens of different kinds never coincide), id is the number the link
 * belongs to (the organization of an invite, the chat, the child), and
 * salt is CRYPTO_SALT_LEN random bytes kept in the link's row next to
 * SHA-256(token), which is what a request for the link looks up.  The
 * page that shows the link derives the token again from the salt; the
 * secret (PARTA_SECRET) lives outside the database, so neither a copy of
 * the database nor the secret alone gives a working link.
 */
#define CRYPTO_SALT_LEN		32
#define CRYPTO_SECRET_MIN	32	/* bytes of the secret, at least */

#define CRYPTO_LINK_INVITE	"parta-invite-v1"	/* id: organization */
#define CRYPTO_LINK_CHAT	"parta-chat-v1"		/* id: chat */
#define CRYPTO_LINK_PARENT	"parta-parent-v1"	/* id: the child */
#define CRYPTO_LINK_CALENDAR	"parta-calendar-v1"	/* id: the account */

/* 1 if secret may derive links (set, at least CRYPTO_SECRET_MIN bytes). */
int	crypto_link_secret_ok(const char *secret);
/* The token of a link from its salt: 0, or -1 (a bad secret or a
 * purpose longer than 64 bytes; token is then ""). */
int	crypto_link_token(const char *secret, const char *purpose, long long id,
	    const unsigned char salt[CRYPTO_SALT_LEN],
	    char token[CRYPTO_TOKEN_LEN + 1]);
/* A new link: a fresh salt from getrandom(2), as hex for the row, the hex
 * SHA-256 of its token for the row, and the token itself into token
 * unless that is NULL.  0, or -1 (bad secret or purpose, no random
 * bytes). */
int	crypto_link_new(const char *secret, const char *purpose, long long id,
	    char salt_hex[2 * CRYPTO_SALT_LEN + 1],
	    char hash_hex[2 * CRYPTO_SHA256_LEN + 1],
	    char token[CRYPTO_TOKEN_LEN + 1]);
/* The token of a stored link again, from the row's salt and hash (hex):
 * 0 when it derives and its SHA-256 is the stored hash; -1 when it
 * cannot be shown (no salt, a malformed one, a bad secret, or the secret
 * changed since the link was made), token then "". */
int	crypto_link_again(const char *secret, const char *purpose, long long id,
	    const char *salt_hex, const char *hash_hex,
	    char token[CRYPTO_TOKEN_LEN + 1]);

#endif
