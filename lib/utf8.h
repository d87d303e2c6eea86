/*
 * utf8: the one walker over UTF-8 text.  Whatever reads a string
 * character by character (validating input, counting characters against
 * a limit, cutting at a character boundary, decoding a letter, writing a
 * code point) does it here, so that one rule decides what a character
 * is everywhere.
 *
 * The rule is RFC 3629's (section 4, the ABNF of UTF8-octets; the same
 * table as Unicode's "well-formed UTF-8 byte sequences", table 3-7):
 * shortest form only, no surrogates (U+D800..U+DFFF), nothing past
 * U+10FFFF.  An overlong or otherwise odd spelling is refused rather
 * than decoded, so that a character cannot slip past a check by being
 * spelled unusually.
 *
 * Units: a length or an offset is in bytes (size_t), a count is in
 * characters (code points); a code point is a uint32_t.  The functions
 * read the caller's bytes and write only into the caller's buffer: none
 * allocates, none keeps a pointer, none fails other than as documented
 * (0 for "not a character").  Thread-safe.
 */
#ifndef PARTA_UTF8_H
#define PARTA_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The most bytes one code point takes. */
#define UTF8_MAX	4

/*
 * The well-formed character at s, looking at most n bytes: its length
 * (1..4) with its code point in *cp, or 0 when n is 0 or the bytes are
 * not a well-formed character (*cp then untouched).  A NUL byte is the
 * character U+0000.  Reads s[1] only when s[0] starts a longer
 * sequence, and stops at the first byte that is not a continuation, so
 * on a NUL-terminated string n may be an upper bound (never past the
 * NUL).
 */
size_t		 utf8_decode(const char *s, size_t n, uint32_t *cp);

/* 1 when the n bytes at s are well-formed UTF-8 with no NUL byte (text
 * we keep as a C string), else 0.  An empty string is valid. */
int		 utf8_valid(const char *s, size_t n);

/* Characters in the NUL-terminated, valid UTF-8 string s (a byte that
 * does not continue a sequence starts a character). */
size_t		 utf8_chars(const char *s);

/* The largest length <= n that does not split a character of s, which
 * is valid UTF-8 at least n bytes long: where to cut to fit n bytes. */
size_t		 utf8_cut(const char *s, size_t n);

/* Lower-cases the Latin (A-Z) and Russian (А-Я, Ё) capitals of s, a
 * NUL-terminated string, in place: each keeps its length in bytes.  Any
 * other character, and any byte that is not UTF-8, is left as it is. */
void		 utf8_lower(char *s);

/* Writes code point cp (a Unicode scalar value: at most U+10FFFF, not a
 * surrogate) to out, which has room for UTF8_MAX bytes; returns the
 * bytes written (1..4), or 0 (nothing written) for any other value. */
size_t		 utf8_encode(uint32_t cp, char *out);

#endif
