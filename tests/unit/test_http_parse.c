/*
 * Unit tests for the request parsers in lib/http_parse.c.  The inputs
 * are what a hostile client could send; every test checks exact results
 * so a parser that accepts too much fails as loudly as one that crashes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pool.h"

#define S(lit)	(lit), (sizeof(lit) - 1)

#define CT	"multipart/form-data; boundary=XyZ"

static int
setup(void **state)
{
	*state = pool_new();
	return 0;
}

static int
teardown(void **state)
{
	pool_free(*state);
	return 0;
}

/* Parse a query string into a fresh table. */
static int
urlenc(struct pool *p, const char *s, struct http_kvs *kvs)
{
	memset(kvs, 0, sizeof(*kvs));
	return http_parse_urlencoded(p, s, strlen(s), kvs);
}

/* Parse a multipart body with a heap copy of exactly len bytes, so that
 * valgrind sees any read past the end. */
static int
multipart(struct pool *p, const char *ct, const char *body, size_t len,
    struct http_kvs *fields, struct http_files *files)
{
	char	*copy;
	int	 r;

	memset(fields, 0, sizeof(*fields));
	memset(files, 0, sizeof(*files));
	copy = malloc(len == 0 ? 1 : len);
	assert_non_null(copy);
	memcpy(copy, body, len);
	r = http_parse_multipart(p, ct, copy, len, fields, files);
	free(copy);
	return r;
}

/* UTF-8 */

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_int_equal(http_utf8_valid(S("")), 1);
	assert_int_equal(http_utf8_valid(S("hello")), 1);
	assert_int_equal(http_utf8_valid(S("\xd0\x9f\xd1\x80\xd0\xb8")), 1);
	assert_int_equal(http_utf8_valid(S("\xe2\x82\xac")), 1);
	assert_int_equal(http_utf8_valid(S("\xf0\x9f\x98\x80")), 1);
	assert_int_equal(http_utf8_valid(S("\xf4\x8f\xbf\xbf")), 1);
	assert_int_equal(http_utf8_valid(S("\xed\x9f\xbf")), 1);
	assert_int_equal(http_utf8_valid(S("\xee\x80\x80")), 1);
	assert_int_equal(http_utf8_valid(S("\xc2\x80")), 1);
	assert_int_equal(http_utf8_valid(S("\xe0\xa0\x80")), 1);
	assert_int_equal(http_utf8_valid(S("\xf0\x90\x80\x80")), 1);
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	/* Overlong forms. */
	assert_int_equal(http_utf8_valid(S("\xc0\x80")), 0);
	assert_int_equal(http_utf8_valid(S("\xc1\xbf")), 0);
	assert_int_equal(http_utf8_valid(S("\xe0\x80\xaf")), 0);
	assert_int_equal(http_utf8_valid(S("\xe0\x9f\xbf")), 0);
	assert_int_equal(http_utf8_valid(S("\xf0\x8f\xbf\xbf")), 0);
	/* Surrogates. */
	assert_int_equal(http_utf8_valid(S("\xed\xa0\x80")), 0);
	assert_int_equal(http_utf8_valid(S("\xed\xbf\xbf")), 0);
	/* Past U+10FFFF. */
	assert_int_equal(http_utf8_valid(S("\xf4\x90\x80\x80")), 0);
	assert_int_equal(http_utf8_valid(S("\xf5\x80\x80\x80")), 0);
	assert_int_equal(http_utf8_valid(S("\xff")), 0);
	assert_int_equal(http_utf8_valid(S("\xfe")), 0);
	/* Truncated sequences, alone and followed by ASCII. */
	assert_int_equal(http_utf8_valid(S("\xe2\x82")), 0);
	assert_int_equal(http_utf8_valid(S("\xe2\x82" "a")), 0);
	assert_int_equal(http_utf8_valid(S("\xd0")), 0);
	assert_int_equal(http_utf8_valid(S("\xf0\x9f\x98")), 0);
	/* Stray continuation bytes. */
	assert_int_equal(http_utf8_valid(S("\x80")), 0);
	assert_int_equal(http_utf8_valid(S("a\xbf" "b")), 0);
	/* NUL. */
	assert_int_equal(http_utf8_valid(S("a\0b")), 0);
	/* The length is honoured: the bad byte past it is not looked at. */
	assert_int_equal(http_utf8_valid("ab\xff", 2), 1);
	assert_int_equal(http_utf8_valid("\xe2\x82\xac", 2), 0);
}

/* Percent-decoding and urlencoded forms */

static void
test_urldecode(void **state)
{
	char	*out;
	size_t	 n;

	assert_int_equal(http_urldecode(*state, S("a+b%20c%2Bd%2b"), &out,
	    &n), 0);
	assert_string_equal(out, "a b c+d+");
	assert_int_equal(n, 8);
	assert_int_equal(http_urldecode(*state, S("%D0%9F%d1%80"), &out, &n),
	    0);
	assert_string_equal(out, "\xd0\x9f\xd1\x80");
	assert_int_equal(n, 4);
	assert_int_equal(http_urldecode(*state, S(""), &out, &n), 0);
	assert_string_equal(out, "");
	assert_int_equal(n, 0);
	assert_int_equal(http_urldecode(*state, S("100%25"), &out, NULL), 0);
	assert_string_equal(out, "100%");
	/* Only the given length is decoded. */
	assert_int_equal(http_urldecode(*state, "ab%", 2, &out, &n), 0);
	assert_string_equal(out, "ab");
}

static void
test_urldecode_bad(void **state)
{
	char	*out = NULL;
	size_t	 n;

	assert_int_equal(http_urldecode(*state, S("%"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%4"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("a%4"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%G1"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%1G"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%zz"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("% 1"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%00"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%C0%80"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%ED%A0%80"), &out, &n),
	    -1);
	assert_int_equal(http_urldecode(*state, S("%E2%82"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("%80"), &out, &n), -1);
	assert_int_equal(http_urldecode(*state, S("\xff"), &out, &n), -1);
	/* A raw NUL inside the given length is refused too. */
	assert_int_equal(http_urldecode(*state, S("a\0b"), &out, &n), -1);
	assert_null(out);
}

static void
test_urlencoded_basic(void **state)
{
	struct http_kvs	 kvs;

	assert_int_equal(urlenc(*state, "a=1&b=two+words&c=%D0%9F%D1%80",
	    &kvs), 0);
	assert_int_equal(kvs.n, 3);
	assert_string_equal(kvs.v[0].key, "a");
	assert_string_equal(kvs.v[0].val, "1");
	assert_int_equal(kvs.v[0].len, 1);
	assert_string_equal(kvs.v[1].key, "b");
	assert_string_equal(kvs.v[1].val, "two words");
	assert_int_equal(kvs.v[1].len, 9);
	assert_string_equal(kvs.v[2].key, "c");
	assert_string_equal(kvs.v[2].val, "\xd0\x9f\xd1\x80");
	assert_int_equal(kvs.v[2].len, 4);
	assert_string_equal(http_kv_get(&kvs, "b"), "two words");
	assert_null(http_kv_get(&kvs, "d"));
	assert_null(http_kv_get(&kvs, "A"));
}

static void
test_urlencoded_shapes(void **state)
{
	struct http_kvs	 kvs;

	/* Empty pairs are skipped; no '=' means an empty value. */
	assert_int_equal(urlenc(*state, "&a=1&&b=2&", &kvs), 0);
	assert_int_equal(kvs.n, 2);
	assert_string_equal(http_kv_get(&kvs, "a"), "1");
	assert_string_equal(http_kv_get(&kvs, "b"), "2");

	assert_int_equal(urlenc(*state, "flag&x=", &kvs), 0);
	assert_int_equal(kvs.n, 2);
	assert_string_equal(kvs.v[0].key, "flag");
	assert_string_equal(kvs.v[0].val, "");
	assert_int_equal(kvs.v[0].len, 0);
	assert_string_equal(kvs.v[1].key, "x");
	assert_string_equal(kvs.v[1].val, "");

	/* Only the first '=' splits. */
	assert_int_equal(urlenc(*state, "eq=a=b%3Dc", &kvs), 0);
	assert_int_equal(kvs.n, 1);
	assert_string_equal(kvs.v[0].val, "a=b=c");

	/* Encoded '&' and '=' are data, not separators. */
	assert_int_equal(urlenc(*state, "k%3D%26=v%26w", &kvs), 0);
	assert_int_equal(kvs.n, 1);
	assert_string_equal(kvs.v[0].key, "k=&");
	assert_string_equal(kvs.v[0].val, "v&w");

	assert_int_equal(urlenc(*state, "", &kvs), 0);
	assert_int_equal(kvs.n, 0);
	assert_int_equal(urlenc(*state, "&&&", &kvs), 0);
	assert_int_equal(kvs.n, 0);

	/* Keys are case-sensitive and may be multi-byte. */
	assert_int_equal(urlenc(*state,
	    "%D0%B8%D0%BC%D1%8F=%D0%98%D0%B2%D0%B0%D0%BD", &kvs), 0);
	assert_string_equal(http_kv_get(&kvs, "\xd0\xb8\xd0\xbc\xd1\x8f"),
	    "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd");
}

static void
test_urlencoded_repeated(void **state)
{
	struct http_kvs	 kvs;
	size_t		 i, seen;

	assert_int_equal(urlenc(*state, "tag=a&x=1&tag=b&tag=c", &kvs), 0);
	assert_int_equal(kvs.n, 4);
	assert_string_equal(http_kv_get(&kvs, "tag"), "a");
	seen = 0;
	for (i = 0; i < kvs.n; i++) {
		if (strcmp(kvs.v[i].key, "tag") != 0)
			continue;
		assert_int_equal(kvs.v[i].len, 1);
		assert_int_equal(kvs.v[i].val[0], "abc"[seen]);
		seen++;
	}
	assert_int_equal(seen, 3);
}

static void
test_urlencoded_append(void **state)
{
	struct http_kvs	 kvs;

	/* A second call appends; a failed one leaves what was there. */
	assert_int_equal(urlenc(*state, "a=1", &kvs), 0);
	assert_int_equal(http_parse_urlencoded(*state, S("b=2"), &kvs), 0);
	assert_int_equal(kvs.n, 2);
	assert_int_equal(http_parse_urlencoded(*state, S("c=3&d=%"), &kvs),
	    -1);
	assert_int_equal(kvs.n, 2);
	assert_string_equal(kvs.v[1].key, "b");
	assert_null(http_kv_get(&kvs, "c"));
	/* A NULL, empty input is fine. */
	assert_int_equal(http_parse_urlencoded(*state, NULL, 0, &kvs), 0);
	assert_int_equal(kvs.n, 2);
}

static void
test_urlencoded_bad(void **state)
{
	struct http_kvs	 kvs;
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%G1", "a=%zz", "a%=1", "a=1&b=%4",
		"a=%00", "%00=1", "a=b%00c",
		"a=%C0%80", "a=%ED%A0%80", "a=%F5%80%80%80", "a=%E2%82",
		"a=%80", "%C0%80=1", "a=\xff", "\xed\xa0\x80=1",
		"=1", "a=1&=2", "=", "a=1&=",
	};
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (urlenc(*state, bad[i], &kvs) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(kvs.n, 0);
	}
}

static void
test_urlencoded_limit(void **state)
{
	struct http_kvs	 kvs;
	char		*s, *p;
	size_t		 i;

	s = malloc(16 * (HTTP_MAX_FIELDS + 1));
	assert_non_null(s);
	p = s;
	for (i = 0; i < HTTP_MAX_FIELDS; i++)
		p += sprintf(p, "%sk%zu=%zu", i ? "&" : "", i, i);
	assert_int_equal(urlenc(*state, s, &kvs), 0);
	assert_int_equal(kvs.n, HTTP_MAX_FIELDS);
	assert_string_equal(http_kv_get(&kvs, "k0"), "0");
	assert_string_equal(http_kv_get(&kvs, "k1999"), "1999");
	/* Empty pairs do not count. */
	strcpy(p, "&&&");
	assert_int_equal(urlenc(*state, s, &kvs), 0);
	assert_int_equal(kvs.n, HTTP_MAX_FIELDS);
	strcpy(p, "&one=more");
	assert_int_equal(urlenc(*state, s, &kvs), -1);
	assert_int_equal(kvs.n, 0);
	free(s);
}

static void
test_kv_add_grows(void **state)
{
	struct http_kvs	 kvs;
	size_t		 i;

	memset(&kvs, 0, sizeof(kvs));
	for (i = 0; i < 100; i++)
		http_kv_add(*state, &kvs, pool_printf(*state, "k%zu", i),
		    pool_printf(*state, "%zu", i * 2), 1);
	assert_int_equal(kvs.n, 100);
	assert_true(kvs.cap >= 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(atoi(kvs.v[i].val), (int)(i * 2));
	assert_string_equal(http_kv_get(&kvs, "k99"), "198");
	assert_null(http_kv_get(NULL, "k1"));
	assert_null(http_kv_get(&kvs, NULL));
}

/* Cookies */

static void
test_cookies(void **state)
{
	struct http_kvs	 kvs;

	memset(&kvs, 0, sizeof(kvs));
	assert_int_equal(http_parse_cookies(*state,
	    "sid=abc123; theme=dark;lang=ru;  x = y ", &kvs), 0);
	assert_int_equal(kvs.n, 4);
	assert_string_equal(kvs.v[0].key, "sid");
	assert_string_equal(kvs.v[0].val, "abc123");
	assert_int_equal(kvs.v[0].len, 6);
	assert_string_equal(kvs.v[1].key, "theme");
	assert_string_equal(kvs.v[1].val, "dark");
	assert_string_equal(kvs.v[2].key, "lang");
	assert_string_equal(kvs.v[2].val, "ru");
	assert_string_equal(kvs.v[3].key, "x");
	assert_string_equal(kvs.v[3].val, "y");
	assert_int_equal(kvs.v[3].len, 1);
}

static void
test_cookies_quotes(void **state)
{
	struct http_kvs	 kvs;

	memset(&kvs, 0, sizeof(kvs));
	assert_int_equal(http_parse_cookies(*state,
	    "a=\"quoted value\"; b=\"\"; c=\"; d=\"x; e=y\"", &kvs), 0);
	assert_int_equal(kvs.n, 5);
	assert_string_equal(http_kv_get(&kvs, "a"), "quoted value");
	assert_int_equal(kvs.v[0].len, 12);
	assert_string_equal(http_kv_get(&kvs, "b"), "");
	assert_int_equal(kvs.v[1].len, 0);
	/* A lone quote is not a pair of quotes: kept as is. */
	assert_string_equal(http_kv_get(&kvs, "c"), "\"");
	assert_string_equal(http_kv_get(&kvs, "d"), "\"x");
	assert_string_equal(http_kv_get(&kvs, "e"), "y\"");
}

static void
test_cookies_garbage(void **state)
{
	struct http_kvs	 kvs;

	memset(&kvs, 0, sizeof(kvs));
	assert_int_equal(http_parse_cookies(*state,
	    ";;garbage; =nameless;  ;a=1;b==2;c=%41;d=;=;"
	    "bad=\xff;\xc0\x80=x;e=\xd0\xb4\xd0\xb0;f", &kvs), 0);
	assert_int_equal(kvs.n, 5);
	assert_string_equal(kvs.v[0].key, "a");
	assert_string_equal(kvs.v[0].val, "1");
	/* Only the first '=' splits. */
	assert_string_equal(kvs.v[1].key, "b");
	assert_string_equal(kvs.v[1].val, "=2");
	/* No percent-decoding. */
	assert_string_equal(kvs.v[2].key, "c");
	assert_string_equal(kvs.v[2].val, "%41");
	assert_string_equal(kvs.v[3].key, "d");
	assert_string_equal(kvs.v[3].val, "");
	assert_string_equal(kvs.v[4].key, "e");
	assert_string_equal(kvs.v[4].val, "\xd0\xb4\xd0\xb0");

	memset(&kvs, 0, sizeof(kvs));
	assert_int_equal(http_parse_cookies(*state, "", &kvs), 0);
	assert_int_equal(kvs.n, 0);
	assert_int_equal(http_parse_cookies(*state, NULL, &kvs), 0);
	assert_int_equal(kvs.n, 0);
	assert_int_equal(http_parse_cookies(*state, "   ;  ; ", &kvs), 0);
	assert_int_equal(kvs.n, 0);
}

static void
test_cookies_repeated(void **state)
{
	struct http_kvs	 kvs;

	memset(&kvs, 0, sizeof(kvs));
	assert_int_equal(http_parse_cookies(*state, "sid=first; sid=second",
	    &kvs), 0);
	assert_int_equal(kvs.n, 2);
	assert_string_equal(http_kv_get(&kvs, "sid"), "first");
	assert_string_equal(kvs.v[1].val, "second");
}

static void
test_cookies_limit(void **state)
{
	struct http_kvs	 kvs;
	char		*s, *p;
	size_t		 i;

	s = malloc(8 * (HTTP_MAX_FIELDS + 10));
	assert_non_null(s);
	p = s;
	for (i = 0; i < HTTP_MAX_FIELDS + 10; i++)
		p += sprintf(p, "c%zu=1;", i);
	memset(&kvs, 0, sizeof(kvs));
	assert_int_equal(http_parse_cookies(*state, s, &kvs), 0);
	assert_int_equal(kvs.n, HTTP_MAX_FIELDS);
	free(s);
}

/* Multipart */

static const char form_body[] =
	"This is a preamble, to be ignored.\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n"
	"\r\n"
	"Hello, \xd0\xbc\xd0\xb8\xd1\x80\r\n"
	"--XyZ\r\n"
	"content-disposition: FORM-DATA; NAME=empty\r\n"
	"\r\n"
	"\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"doc\"; "
	    "filename=\"a b.bin\"\r\n"
	"Content-Type: application/octet-stream\r\n"
	"\r\n"
	"\x00\x01\r\n--XyY\r\n\r\nx--XyZ--\x00\xff"
	"\r\n"
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n"
	"X-Other: ignored\r\n"
	"\r\n"
	"second\r\nline"
	"\r\n"
	"--XyZ--\r\n"
	"epilogue, also ignored\r\n";

/* Binary, with NULs, CRLFs and the boundary not at a line start. */
static const char file_data[] =
	"\x00\x01\r\n--XyY\r\n\r\nx--XyZ--\x00\xff";

static void
test_multipart_form(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	const struct http_file	*f;

	assert_int_equal(multipart(*state, CT, form_body,
	    sizeof(form_body) - 1, &fields, &files), 0);
	assert_int_equal(fields.n, 3);
	assert_string_equal(fields.v[0].key, "title");
	assert_string_equal(fields.v[0].val, "Hello, \xd0\xbc\xd0\xb8\xd1\x80");
	assert_int_equal(fields.v[0].len, 13);
	assert_string_equal(fields.v[1].key, "empty");
	assert_string_equal(fields.v[1].val, "");
	assert_int_equal(fields.v[1].len, 0);
	assert_string_equal(fields.v[2].key, "title");
	assert_string_equal(fields.v[2].val, "second\r\nline");
	assert_int_equal(fields.v[2].len, 12);
	assert_string_equal(http_kv_get(&fields, "title"),
	    "Hello, \xd0\xbc\xd0\xb8\xd1\x80");

	assert_int_equal(files.n, 1);
	f = http_file_get(&files, "doc");
	assert_non_null(f);
	assert_string_equal(f->field, "doc");
	assert_string_equal(f->filename, "a b.bin");
	assert_string_equal(f->type, "application/octet-stream");
	assert_int_equal(f->len, sizeof(file_data) - 1);
	assert_memory_equal(f->data, file_data, sizeof(file_data) - 1);
	assert_int_equal(f->data[f->len], '\0');
	assert_null(http_file_get(&files, "title"));
	assert_null(http_file_get(&files, "nope"));
}

static void
test_multipart_boundaries(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 body[] =
		"--a'()+_,-./:=? b\r\n"
		"Content-Disposition: form-data; name=x\r\n"
		"\r\n"
		"1\r\n"
		"--a'()+_,-./:=? b--";
	static const char	 simple[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"x\"\r\n"
		"\r\n"
		"1\r\n"
		"--XyZ--";
	static const char *const good_ct[] = {
		"multipart/form-data; boundary=XyZ",
		"multipart/form-data; boundary=\"XyZ\"",
		"multipart/form-data;boundary=XyZ",
		"Multipart/Form-Data; BOUNDARY=XyZ",
		"multipart/form-data; charset=utf-8; boundary=XyZ",
		"multipart/form-data; boundary=XyZ; charset=\"a;b\"",
		"  multipart/form-data ; boundary = \"XyZ\" ;",
	};
	static const char *const bad_ct[] = {
		"multipart/form-data",
		"multipart/form-data; charset=utf-8",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"XyZ",
		"multipart/form-data; boundary=XyZ; boundary=XyZ",
		"multipart/form-data; boundary",
		"multipart/form-data; boundary=X\"yZ\"",
		"multipart/form-data; boundary=\"XyZ \"",
		"multipart/form-data; boundary=\"X\\yZ\"",
		"multipart/mixed; boundary=XyZ",
		"text/plain; boundary=XyZ",
		"",
		NULL,
	};
	char			 ct[128];
	size_t			 i;

	for (i = 0; i < sizeof(good_ct) / sizeof(good_ct[0]); i++) {
		if (multipart(*state, good_ct[i], S(simple), &fields,
		    &files) != 0)
			fail_msg("refused \"%s\"", good_ct[i]);
		assert_int_equal(fields.n, 1);
		assert_string_equal(http_kv_get(&fields, "x"), "1");
	}
	for (i = 0; i < sizeof(bad_ct) / sizeof(bad_ct[0]); i++) {
		if (multipart(*state, bad_ct[i], S(simple), &fields,
		    &files) != -1)
			fail_msg("accepted \"%s\"", bad_ct[i]);
		assert_int_equal(fields.n, 0);
	}

	/* Every RFC 2046 bchar, quoted because some are not tokens. */
	assert_int_equal(multipart(*state,
	    "multipart/form-data; boundary=\"a'()+_,-./:=? b\"",
	    S(body), &fields, &files), 0);
	assert_int_equal(fields.n, 1);
	assert_string_equal(http_kv_get(&fields, "x"), "1");

	/* Length 70 is the most a boundary may have. */
	memset(ct, 0, sizeof(ct));
	strcpy(ct, "multipart/form-data; boundary=");
	memset(ct + strlen(ct), 'b', 70);
	assert_int_equal(multipart(*state, ct, S("--"), &fields, &files), -1);
	{
		char	 b70[512];

		snprintf(b70, sizeof(b70), "--%.70s\r\n"
		    "Content-Disposition: form-data; name=\"x\"\r\n\r\n"
		    "1\r\n--%.70s--", ct + 30, ct + 30);
		assert_int_equal(multipart(*state, ct, b70, strlen(b70),
		    &fields, &files), 0);
		assert_string_equal(http_kv_get(&fields, "x"), "1");
	}
	strcat(ct, "b");
	assert_int_equal(multipart(*state, ct, S(simple), &fields, &files),
	    -1);
}

static void
test_multipart_empty(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 nofile[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"up\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n"
		"\r\n"
		"\r\n"
		"--XyZ--\r\n";

	/* A body with no parts at all is a valid, empty form. */
	assert_int_equal(multipart(*state, CT, S("--XyZ--"), &fields, &files),
	    0);
	assert_int_equal(fields.n, 0);
	assert_int_equal(files.n, 0);
	assert_int_equal(multipart(*state, CT, S(""), &fields, &files), -1);
	assert_int_equal(http_parse_multipart(*state, CT, NULL, 0, &fields,
	    &files), -1);

	/*
	 * "--XyZ" that does not start a line is not a delimiter: all this
	 * is preamble before the close delimiter (RFC 2046).
	 */
	assert_int_equal(multipart(*state, CT, S("x--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--"), &fields, &files), 0);
	assert_int_equal(fields.n, 0);
	assert_int_equal(files.n, 0);

	/* An empty file input still sends a part with filename="". */
	assert_int_equal(multipart(*state, CT, S(nofile), &fields, &files), 0);
	assert_int_equal(fields.n, 0);
	assert_int_equal(files.n, 1);
	assert_string_equal(files.v[0].field, "up");
	assert_string_equal(files.v[0].filename, "");
	assert_int_equal(files.v[0].len, 0);
	assert_string_equal(files.v[0].data, "");
}

static void
test_multipart_file_details(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"f\"; "
		    "filename=\"C:\\dir\\\xd1\x84.txt\"\r\n"
		"\r\n"
		"text\r\n"
		"--XyZ\t \r\n"
		"Content-Type:  text/plain \r\n"
		"Content-Disposition: form-data; filename=x; name=g\r\n"
		"\r\n"
		"\r\n\r\n"
		"--XyZ--";

	assert_int_equal(multipart(*state, CT, S(body), &fields, &files), 0);
	assert_int_equal(fields.n, 0);
	assert_int_equal(files.n, 2);
	/* Backslashes are kept: browsers do not escape with them. */
	assert_string_equal(files.v[0].filename,
	    "C:\\dir\\\xd1\x84.txt");
	assert_string_equal(files.v[0].type, "");
	assert_int_equal(files.v[0].len, 4);
	assert_memory_equal(files.v[0].data, "text", 4);
	/* Headers in any order; padding after a delimiter. */
	assert_string_equal(files.v[1].field, "g");
	assert_string_equal(files.v[1].filename, "x");
	assert_string_equal(files.v[1].type, "text/plain");
	assert_int_equal(files.v[1].len, 2);
	assert_memory_equal(files.v[1].data, "\r\n", 2);
}

/* Browsers write '"', CR and LF in a file's name as %22, %0D, %0A (HTML
 * standard): those three decoded (CR, LF as spaces), any other '%' kept. */
static void
test_multipart_filename_escapes(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"f\"; "
		    "filename=\"\xd0\x94 %225\xd0\x90%22.pdf\"\r\n"
		"\r\n"
		"1\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"g\"; "
		    "filename=\"a%0Db%0ac 100%25 %41%2\"\r\n"
		"\r\n"
		"2\r\n"
		"--XyZ--";

	assert_int_equal(multipart(*state, CT, S(body), &fields, &files), 0);
	assert_int_equal(files.n, 2);
	assert_string_equal(files.v[0].filename,
	    "\xd0\x94 \"5\xd0\x90\".pdf");
	assert_string_equal(files.v[1].filename, "a b c 100%25 %41%2");
}

/* curl (before 7.81) and scripts write a quoted-pair: \" and \\ are a
 * quote and a backslash, any other backslash the name's own. */
static void
test_multipart_filename_quoted_pairs(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"f\"; "
		    "filename=\"\xd0\x94 \\\"5\\\".pdf\"\r\n"
		"\r\n"
		"1\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"g\"; "
		    "filename=\"a\\\\b\\c\\\"\"; x=\"\\\"\"\r\n"
		"\r\n"
		"2\r\n"
		"--XyZ--";

	assert_int_equal(multipart(*state, CT, S(body), &fields, &files), 0);
	assert_int_equal(files.n, 2);
	assert_string_equal(files.v[0].filename, "\xd0\x94 \"5\".pdf");
	assert_string_equal(files.v[1].filename, "a\\b\\c\"");
}

static const char *const bad_bodies[] = {
	/* No final boundary. */
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ-",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\n",
	/* No boundary at all, or never at the start of a line. */
	"hello",
	"x--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ",
	/* A longer boundary is not ours. */
	"--XyZW\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZW\r\n--XyZ--",
	/* Missing name, empty name, repeated name. */
	"--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=a; filename=b; "
	    "filename=c\r\n\r\n1\r\n--XyZ--",
	/* Not form-data, or no Content-Disposition, or two of them. */
	"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data-x; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--",
	"--XyZ\r\n\r\n1\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
	    "Content-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--",
	/* Broken parameters. */
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"x\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name\r\n\r\n1\r\n--XyZ--",
	/* Headers not ended by an empty line. */
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"
	    "--XyZ\r\n\r\n1\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "--XyZ--",
	/* Bad header lines: folding, no colon, space before the colon,
	 * a bare LF. */
	"--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition : form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\nb\"\r\n\r\n1\r\n"
	    "--XyZ--",
	/* Invalid UTF-8 in a text field, in a name, or a NUL. */
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xc0\x80"
	    "\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "\xed\xa0\x80\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "\xe2\x82\r\n--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
	    "filename=\"\xc0\x80\"\r\n\r\n1\r\n--XyZ--",
	/* Garbage after a delimiter. */
	"--XyZ x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ--",
	"--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n1\n--XyZ--",
};

static void
test_multipart_bad(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	size_t			 i;

	for (i = 0; i < sizeof(bad_bodies) / sizeof(bad_bodies[0]); i++) {
		if (multipart(*state, CT, bad_bodies[i],
		    strlen(bad_bodies[i]), &fields, &files) != -1)
			fail_msg("accepted body %zu", i);
		assert_int_equal(fields.n, 0);
		assert_int_equal(files.n, 0);
	}
}

static void
test_multipart_nul_in_field(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
		"x\0y\r\n--XyZ--";
	static const char	 hdr[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\0b\"\r\n\r\n"
		"1\r\n--XyZ--";

	assert_int_equal(multipart(*state, CT, S(body), &fields, &files), -1);
	assert_int_equal(multipart(*state, CT, S(hdr), &fields, &files), -1);
}

static void
test_multipart_prefixes(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	size_t			 len, total, ok;
	int			 r;

	/*
	 * Every prefix must be refused until the close delimiter is in;
	 * from there on the epilogue does not matter.
	 */
	total = sizeof(form_body) - 1;
	ok = (size_t)((const char *)memmem(form_body, total, "\r\n--XyZ--",
	    9) - form_body) + 9;
	for (len = 0; len <= total; len++) {
		r = multipart(*state, CT, form_body, len, &fields, &files);
		if (len < ok) {
			assert_int_equal(r, -1);
			assert_int_equal(fields.n, 0);
			assert_int_equal(files.n, 0);
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(fields.n, 3);
			assert_int_equal(files.n, 1);
		}
	}
}

static void
test_multipart_suffixes(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	size_t			 off, total;

	/* Starting mid-way must never crash either. */
	total = sizeof(form_body) - 1;
	for (off = 0; off <= total; off++)
		(void)multipart(*state, CT, form_body + off, total - off,
		    &fields, &files);
}

static char *
many_parts(size_t nfields, size_t nfiles, size_t *len)
{
	char	*s, *p;
	size_t	 i;

	s = malloc(100 * (nfields + nfiles) + 16);
	assert_non_null(s);
	p = s;
	for (i = 0; i < nfields; i++)
		p += sprintf(p, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"f%zu\"\r\n\r\n%zu\r\n", i, i);
	for (i = 0; i < nfiles; i++)
		p += sprintf(p, "--XyZ\r\nContent-Disposition: form-data; "
		    "name=\"u%zu\"; filename=\"%zu.txt\"\r\n\r\n%zu\r\n",
		    i, i, i);
	p += sprintf(p, "--XyZ--");
	*len = p - s;
	return s;
}

static void
test_multipart_limits(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	char			*s;
	size_t			 len;

	s = many_parts(HTTP_MAX_FIELDS, HTTP_MAX_FILES, &len);
	assert_int_equal(multipart(*state, CT, s, len, &fields, &files), 0);
	assert_int_equal(fields.n, HTTP_MAX_FIELDS);
	assert_int_equal(files.n, HTTP_MAX_FILES);
	assert_string_equal(http_kv_get(&fields, "f1999"), "1999");
	assert_string_equal(http_file_get(&files, "u15")->filename,
	    "15.txt");
	free(s);

	s = many_parts(HTTP_MAX_FIELDS + 1, 0, &len);
	assert_int_equal(multipart(*state, CT, s, len, &fields, &files), -1);
	assert_int_equal(fields.n, 0);
	free(s);

	/* Files past the limit are counted, not kept: the handler says
	 * how many it takes. */
	assert_int_equal(files.over, 0);
	s = many_parts(0, HTTP_MAX_FILES + 4, &len);
	assert_int_equal(multipart(*state, CT, s, len, &fields, &files), 0);
	assert_int_equal(files.n, HTTP_MAX_FILES);
	assert_int_equal(files.over, 4);
	free(s);

	/* A huge number of parts fails early, not after all of them. */
	s = many_parts(100000, 0, &len);
	assert_int_equal(multipart(*state, CT, s, len, &fields, &files), -1);
	assert_int_equal(fields.n, 0);
	free(s);
}

static void
test_multipart_big(void **state)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	static const char	 head[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
		"filename=\"big\"\r\n\r\n";
	static const char	 tail[] = "\r\n--XyZ--\r\n";
	char			*s;
	size_t			 n, i, len;

	/*
	 * Four megabytes of near-delimiters ("\r\n--XyY") must be read in
	 * one linear pass, and kept byte for byte.
	 */
	n = 4 * 1024 * 1024;
	s = malloc(sizeof(head) + n + sizeof(tail));
	assert_non_null(s);
	memcpy(s, head, sizeof(head) - 1);
	for (i = 0; i < n; i++)
		s[sizeof(head) - 1 + i] = "\r\n--XyY"[i % 7];
	memcpy(s + sizeof(head) - 1 + n, tail, sizeof(tail) - 1);
	len = sizeof(head) - 1 + n + sizeof(tail) - 1;
	assert_int_equal(multipart(*state, CT, s, len, &fields, &files), 0);
	assert_int_equal(files.n, 1);
	assert_int_equal(files.v[0].len, n);
	assert_memory_equal(files.v[0].data, s + sizeof(head) - 1, n);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test_setup_teardown(test_urldecode, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urldecode_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_basic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_shapes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_repeated,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_append, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kv_add_grows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cookies, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cookies_quotes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cookies_garbage, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cookies_repeated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cookies_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_form, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_boundaries,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_file_details,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_filename_escapes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_multipart_filename_quoted_pairs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_nul_in_field,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_prefixes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_suffixes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_multipart_big, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
