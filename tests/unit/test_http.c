/*
 * Unit tests for lib/http.c in plain CGI mode (r->fcgi NULL): the
 * request comes from the environment and stdin, the response goes to
 * stdout.  Each case sets the CGI variables with setenv, feeds stdin
 * from a pipe and catches stdout in a temporary file, then checks the
 * exact result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/ioctl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "pool.h"

#define S(lit)	(lit), (sizeof(lit) - 1)

/* A copy, on purpose: weakening the headers in lib/ must fail here. */
#define SECURITY_HEADERS \
	"Content-Security-Policy: default-src 'self'; object-src 'none'; " \
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'\r\n" \
	"X-Content-Type-Options: nosniff\r\n" \
	"Referrer-Policy: no-referrer\r\n" \
	"X-Frame-Options: DENY\r\n" \
	"Cache-Control: no-store\r\n"

static const char *const cgi_vars[] = {
	"REQUEST_METHOD", "CONTENT_TYPE", "CONTENT_LENGTH", "REMOTE_ADDR",
	"QUERY_STRING", "HTTPS", "DOCUMENT_URI", "SCRIPT_NAME", "PATH_INFO",
	"HTTP_COOKIE", "PARTA_TEST_PARAM",
};

static int	 saved_stdin = -1;

static void
clear_cgi_env(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(cgi_vars) / sizeof(cgi_vars[0]); i++)
		unsetenv(cgi_vars[i]);
}

static int
group_setup(void **state)
{
	(void)state;
	if ((saved_stdin = dup(STDIN_FILENO)) == -1)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (saved_stdin != -1)
		close(saved_stdin);
	return 0;
}

static int
setup(void **state)
{
	struct http_req	*r;

	clear_cgi_env();
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	r->pool = pool_new();
	buf_init(&r->head);
	buf_init(&r->body);
	*state = r;
	return 0;
}

static int
teardown(void **state)
{
	struct http_req	*r = *state;

	buf_free(&r->head);
	buf_free(&r->body);
	pool_free(r->pool);
	free(r);
	clear_cgi_env();
	/* Put the real stdin back after a case replaced it. */
	dup2(saved_stdin, STDIN_FILENO);
	return 0;
}

/* Make stdin a pipe holding exactly data[0..n), write end closed. */
static void
feed_stdin(const char *data, size_t n)
{
	int	 fds[2];

	assert_true(n < 65536);		/* fits in the pipe */
	assert_int_equal(pipe(fds), 0);
	if (n > 0)
		assert_int_equal(write(fds[1], data, n), (ssize_t)n);
	close(fds[1]);
	assert_int_not_equal(dup2(fds[0], STDIN_FILENO), -1);
	close(fds[0]);
}

/* Bytes still unread on stdin. */
static int
stdin_left(void)
{
	int	 n = -1;

	assert_int_equal(ioctl(STDIN_FILENO, FIONREAD, &n), 0);
	return n;
}

/* http_send with stdout caught: the bytes written, from the pool. */
static char *
capture_send(struct http_req *r, size_t *len)
{
	FILE	*tmp;
	char	*out;
	long	 n;
	int	 saved;

	fflush(stdout);
	tmp = tmpfile();
	assert_non_null(tmp);
	saved = dup(STDOUT_FILENO);
	assert_int_not_equal(saved, -1);
	assert_int_not_equal(dup2(fileno(tmp), STDOUT_FILENO), -1);
	http_send(r);
	assert_int_not_equal(dup2(saved, STDOUT_FILENO), -1);
	close(saved);
	assert_int_equal(fseek(tmp, 0, SEEK_END), 0);
	n = ftell(tmp);
	assert_true(n >= 0);
	rewind(tmp);
	out = pool_alloc(r->pool, (size_t)n + 1);
	assert_int_equal(fread(out, 1, (size_t)n, tmp), (size_t)n);
	out[n] = '\0';
	fclose(tmp);
	*len = (size_t)n;
	return out;
}

/* http_param */

static void
test_param_getenv(void **state)
{
	struct http_req	*r = *state;

	assert_null(r->fcgi);
	assert_null(http_param(r, "PARTA_TEST_PARAM"));
	setenv("PARTA_TEST_PARAM", "value=1; x", 1);
	assert_string_equal(http_param(r, "PARTA_TEST_PARAM"), "value=1; x");
	setenv("PARTA_TEST_PARAM", "", 1);
	assert_string_equal(http_param(r, "PARTA_TEST_PARAM"), "");
	unsetenv("PARTA_TEST_PARAM");
	assert_null(http_param(r, "PARTA_TEST_PARAM"));
}

/* http_start */

static void
test_start_basic(void **state)
{
	struct http_req	*r = *state;

	setenv("REQUEST_METHOD", "POST", 1);
	setenv("DOCUMENT_URI", "/org/12/classes", 1);
	setenv("QUERY_STRING", "a=1&b=%D0%BF+x&a=2&flag", 1);
	setenv("HTTP_COOKIE", "parta_session=abc; parta_csrf=\"q\"; junk", 1);
	setenv("REMOTE_ADDR", "192.0.2.7", 1);
	setenv("CONTENT_TYPE", "application/x-www-form-urlencoded", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->method, "POST");
	assert_string_equal(r->path, "/org/12/classes");
	assert_string_equal(r->query_string, "a=1&b=%D0%BF+x&a=2&flag");
	assert_string_equal(r->remote_addr, "192.0.2.7");
	assert_string_equal(r->content_type,
	    "application/x-www-form-urlencoded");
	assert_int_equal(r->https, 0);
	assert_int_equal(r->query.n, 4);
	assert_string_equal(http_query(r, "a"), "1");
	assert_string_equal(http_query(r, "b"), "\xd0\xbf x");
	assert_string_equal(http_query(r, "flag"), "");
	assert_null(http_query(r, "c"));
	assert_string_equal(http_cookie(r, "parta_session"), "abc");
	assert_string_equal(http_cookie(r, "parta_csrf"), "q");
	assert_null(http_cookie(r, "junk"));
	assert_null(http_form(r, "a"));
	/* Under HTTPS only the __Host- cookies count. */
	r->https = 1;
	assert_null(http_cookie(r, "parta_session"));
}

static void
test_start_defaults(void **state)
{
	struct http_req	*r = *state;

	setenv("DOCUMENT_URI", "/", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->method, "GET");
	assert_string_equal(r->path, "/");
	assert_string_equal(r->query_string, "");
	assert_string_equal(r->remote_addr, "");
	assert_null(r->content_type);
	assert_int_equal(r->https, 0);
	assert_int_equal(r->query.n, 0);
	assert_int_equal(r->cookies.n, 0);
}

static void
test_start_https(void **state)
{
	struct http_req	*r = *state;

	setenv("DOCUMENT_URI", "/", 1);
	setenv("HTTPS", "on", 1);
	assert_int_equal(http_start(r), 0);
	assert_int_equal(r->https, 1);
	setenv("HTTPS", "ON", 1);
	assert_int_equal(http_start(r), 0);
	assert_int_equal(r->https, 1);
	setenv("HTTPS", "off", 1);
	assert_int_equal(http_start(r), 0);
	assert_int_equal(r->https, 0);
	setenv("HTTPS", "", 1);
	assert_int_equal(http_start(r), 0);
	assert_int_equal(r->https, 0);
}

/* Without DOCUMENT_URI the path is SCRIPT_NAME + PATH_INFO. */
static void
test_start_cgi_path(void **state)
{
	struct http_req	*r = *state;

	setenv("SCRIPT_NAME", "/cgi-bin/join", 1);
	setenv("PATH_INFO", "/org/3/", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/cgi-bin/join/org/3");

	unsetenv("PATH_INFO");
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/cgi-bin/join");

	unsetenv("SCRIPT_NAME");
	setenv("PATH_INFO", "/only", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/only");

	/* DOCUMENT_URI wins when both are there. */
	setenv("SCRIPT_NAME", "/cgi-bin/join", 1);
	setenv("DOCUMENT_URI", "/me", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/me");
}

static void
test_start_trailing_slash(void **state)
{
	struct http_req	*r = *state;

	setenv("DOCUMENT_URI", "/me/", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/me");
	setenv("DOCUMENT_URI", "/org/1/classes/", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/org/1/classes");
	/* The root stays the root. */
	setenv("DOCUMENT_URI", "/", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/");
	setenv("DOCUMENT_URI", "/\xd0\xbf/", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(r->path, "/\xd0\xbf");
}

static void
test_start_bad_path(void **state)
{
	static const char *const bad[] = {
		"/\xff",
		"/me\xc0\xaf",			/* overlong '/' */
		"/\xed\xa0\x80",		/* surrogate */
		"/\xd0",			/* truncated */
		"me",
		"",
		"http://evil/",
	};
	struct http_req	*r = *state;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("DOCUMENT_URI", bad[i], 1);
		if (http_start(r) != HTTP_BAD_REQUEST)
			fail_msg("path \"%s\" was accepted", bad[i]);
	}
	/* No path at all. */
	unsetenv("DOCUMENT_URI");
	assert_int_equal(http_start(r), HTTP_BAD_REQUEST);
	/* Bad bytes in PATH_INFO. */
	setenv("SCRIPT_NAME", "/cgi-bin/x", 1);
	setenv("PATH_INFO", "/\xfe", 1);
	assert_int_equal(http_start(r), HTTP_BAD_REQUEST);
}

static void
test_start_bad_query(void **state)
{
	static const char *const bad[] = {
		"a=%zz",
		"a=%4",
		"a=%ff",
		"a=%C0%AF",
		"=x",
		"a=1&=2",
		"%ZZ=1",
	};
	struct http_req	*r = *state;
	size_t		 i;

	setenv("DOCUMENT_URI", "/me", 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("QUERY_STRING", bad[i], 1);
		if (http_start(r) != HTTP_BAD_REQUEST)
			fail_msg("query \"%s\" was accepted", bad[i]);
	}
	setenv("QUERY_STRING", "a=%41", 1);
	assert_int_equal(http_start(r), 0);
	assert_string_equal(http_query(r, "a"), "A");
}

/* http_body */

/* http_start for a POST to /form with the given type and length. */
static void
post(struct http_req *r, const char *type, const char *length)
{
	setenv("REQUEST_METHOD", "POST", 1);
	setenv("DOCUMENT_URI", "/form", 1);
	if (type != NULL)
		setenv("CONTENT_TYPE", type, 1);
	if (length != NULL)
		setenv("CONTENT_LENGTH", length, 1);
	assert_int_equal(http_start(r), 0);
}

#define FORM_BODY	"name=%D0%98%D0%B2%D0%B0%D0%BD&note=a+b%26c&csrf=tok"

static void
test_body_form(void **state)
{
	struct http_req	*r = *state;
	char		 len[32];

	snprintf(len, sizeof(len), "%zu", strlen(FORM_BODY));
	post(r, "application/x-www-form-urlencoded", len);
	/* Bytes after CONTENT_LENGTH are not ours to read. */
	feed_stdin(S(FORM_BODY "&extra=1"));
	assert_int_equal(http_body(r, 1024), 0);
	assert_int_equal(stdin_left(), 8);
	assert_int_equal(r->form.n, 3);
	assert_string_equal(http_form(r, "name"), "Иван");
	assert_string_equal(http_form(r, "note"), "a b&c");
	assert_string_equal(http_form(r, "csrf"), "tok");
	assert_null(http_form(r, "extra"));
	assert_int_equal(r->files.n, 0);
}

/* Media type matching ignores case and parameters, not suffixes. */
static void
test_body_form_type_params(void **state)
{
	struct http_req	*r = *state;

	post(r, "Application/X-WWW-Form-Urlencoded; charset=UTF-8", "3");
	feed_stdin(S("a=1"));
	assert_int_equal(http_body(r, 1024), 0);
	assert_string_equal(http_form(r, "a"), "1");
}

static void
test_body_exact_limit(void **state)
{
	struct http_req	*r = *state;
	char		 body[1024];

	memset(body, 'x', sizeof(body));
	memcpy(body, "k=", 2);
	post(r, "application/x-www-form-urlencoded", "1024");
	feed_stdin(body, sizeof(body));
	assert_int_equal(http_body(r, 1024), 0);
	assert_int_equal(stdin_left(), 0);
	assert_int_equal(strlen(http_form(r, "k")), 1022);
}

static void
test_body_empty(void **state)
{
	struct http_req	*r = *state;

	/* No CONTENT_LENGTH, "" and "0": nothing read, any type. */
	post(r, "text/plain", NULL);
	feed_stdin(S("a=1"));
	assert_int_equal(http_body(r, 1024), 0);
	assert_int_equal(stdin_left(), 3);
	assert_int_equal(r->form.n, 0);

	setenv("CONTENT_LENGTH", "", 1);
	assert_int_equal(http_body(r, 1024), 0);
	setenv("CONTENT_LENGTH", "0", 1);
	assert_int_equal(http_body(r, 1024), 0);
	assert_int_equal(stdin_left(), 3);
	assert_int_equal(r->form.n, 0);
}

static void
test_body_short(void **state)
{
	struct http_req	*r = *state;

	post(r, "application/x-www-form-urlencoded", "10");
	feed_stdin(S("a=12"));
	assert_int_equal(http_body(r, 1024), HTTP_BAD_REQUEST);
	assert_int_equal(r->form.n, 0);
}

static void
test_body_too_large(void **state)
{
	struct http_req	*r = *state;

	post(r, "application/x-www-form-urlencoded", "1025");
	feed_stdin(S("a=1&b=2"));
	assert_int_equal(http_body(r, 1024), HTTP_TOO_LARGE);
	/* Refused from the header alone, nothing kept; as plain CGI the
	 * body is read and dropped, since a CGI server (fcgiwrap) writes it
	 * all before it reads the answer. */
	assert_int_equal(stdin_left(), 0);
	assert_int_equal(r->form.n, 0);

	/* Past what is worth draining, nothing is read at all. */
	feed_stdin(S("a=1&b=2"));
	setenv("CONTENT_LENGTH", "18446744073709551615", 1);
	assert_int_equal(http_body(r, 1024), HTTP_TOO_LARGE);
	assert_int_equal(stdin_left(), 7);
}

static void
test_body_bad_length(void **state)
{
	static const char *const bad[] = {
		"abc", "-1", "-0", "+5", " 5", "5 ", "5x", "0x10", "1e3",
		"99999999999999999999999",
	};
	struct http_req	*r = *state;
	size_t		 i;

	post(r, "application/x-www-form-urlencoded", NULL);
	feed_stdin(S("a=1&b=2"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("CONTENT_LENGTH", bad[i], 1);
		if (http_body(r, 1024) != HTTP_BAD_REQUEST)
			fail_msg("CONTENT_LENGTH \"%s\" was accepted", bad[i]);
		assert_int_equal(stdin_left(), 7);
	}
	assert_int_equal(r->form.n, 0);
}

static void
test_body_unsupported(void **state)
{
	static const char *const types[] = {
		"text/plain",
		"application/json",
		"application/x-www-form-urlencodedx",
		"multipart/form-datax; boundary=x",
		"multipart/mixed; boundary=x",
	};
	struct http_req	*r = *state;
	size_t		 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		clear_cgi_env();
		memset(&r->form, 0, sizeof(r->form));
		post(r, types[i], "3");
		feed_stdin(S("a=1"));
		if (http_body(r, 1024) != HTTP_UNSUPPORTED)
			fail_msg("type \"%s\" was accepted", types[i]);
		assert_int_equal(r->form.n, 0);
	}
	/* A body without any type. */
	clear_cgi_env();
	post(r, NULL, "3");
	assert_null(r->content_type);
	feed_stdin(S("a=1"));
	assert_int_equal(http_body(r, 1024), HTTP_UNSUPPORTED);
}

static void
test_body_bad_form(void **state)
{
	struct http_req	*r = *state;

	post(r, "application/x-www-form-urlencoded", "6");
	feed_stdin(S("a=%zz1"));
	assert_int_equal(http_body(r, 1024), HTTP_BAD_REQUEST);
}

static void
test_body_multipart(void **state)
{
	static const char	 body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n"
	    "\r\n"
	    "Справка\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"doc\"; "
	    "filename=\"a.pdf\"\r\n"
	    "Content-Type: application/pdf\r\n"
	    "\r\n"
	    "%PDF-1.4\r\n\0\x01\xff--Xy\r\n"
	    "--XyZ--\r\n";
	struct http_req		*r = *state;
	const struct http_file	*f;
	char			 len[32];

	snprintf(len, sizeof(len), "%zu", sizeof(body) - 1);
	post(r, "multipart/form-data; boundary=XyZ", len);
	feed_stdin(S(body));
	assert_int_equal(http_body(r, 4096), 0);
	assert_int_equal(stdin_left(), 0);
	assert_int_equal(r->form.n, 1);
	assert_string_equal(http_form(r, "title"), "Справка");
	assert_int_equal(r->files.n, 1);
	f = http_file_get(&r->files, "doc");
	assert_non_null(f);
	assert_string_equal(f->field, "doc");
	assert_string_equal(f->filename, "a.pdf");
	assert_string_equal(f->type, "application/pdf");
	assert_int_equal(f->len, 17);
	assert_memory_equal(f->data, "%PDF-1.4\r\n\0\x01\xff--Xy", 17);
}

static void
test_body_bad_multipart(void **state)
{
	static const char	 body[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n"
	    "\r\n"
	    "no final boundary\r\n";
	struct http_req		*r = *state;
	char			 len[32];

	snprintf(len, sizeof(len), "%zu", sizeof(body) - 1);
	post(r, "multipart/form-data; boundary=XyZ", len);
	feed_stdin(S(body));
	assert_int_equal(http_body(r, 4096), HTTP_BAD_REQUEST);
}

/* Responses */

static void
test_send_redirect(void **state)
{
	struct http_req	*r = *state;
	char		*out;
	size_t		 n;

	r->method = "POST";
	buf_puts(&r->body, "dropped by the redirect");
	http_redirect(r, "/org/1?x=2");
	assert_int_equal(r->status, HTTP_SEE_OTHER);
	out = capture_send(r, &n);
	assert_string_equal(out,
	    "Status: 303 See Other\r\n"
	    SECURITY_HEADERS
	    "Location: /org/1?x=2\r\n"
	    "Content-Length: 0\r\n"
	    "\r\n");
	assert_int_equal(n, strlen(out));
}

static void
test_send_page(void **state)
{
	struct http_req	*r = *state;
	char		*out;
	size_t		 n;

	r->method = "GET";
	r->status = HTTP_OK;
	http_header(r, "Content-Type", "text/html; charset=utf-8");
	buf_puts(&r->body, "<p>Привет</p>");
	out = capture_send(r, &n);
	assert_string_equal(out,
	    "Status: 200 OK\r\n"
	    SECURITY_HEADERS
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: 19\r\n"
	    "\r\n"
	    "<p>Привет</p>");
	assert_int_equal(n, strlen(out));
	assert_int_equal(strlen("<p>Привет</p>"), 19);
}

/* A body with NUL bytes goes out whole; Content-Length counts bytes. */
static void
test_send_binary(void **state)
{
	static const char	 want[] = "Status: 200 OK\r\n"
	    SECURITY_HEADERS
	    "Content-Length: 5\r\n"
	    "\r\n"
	    "a\0b\0c";
	struct http_req		*r = *state;
	char			*out;
	size_t			 n;

	r->status = HTTP_OK;
	buf_add(&r->body, "a\0b\0c", 5);
	out = capture_send(r, &n);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(out, want, n);
}

/* HEAD: the headers of GET, no body. */
static void
test_send_head(void **state)
{
	struct http_req	*r = *state;
	char		*out;
	size_t		 n;

	r->method = "HEAD";
	r->status = HTTP_NOT_FOUND;
	buf_puts(&r->body, "not found page");
	out = capture_send(r, &n);
	assert_string_equal(out,
	    "Status: 404 Not Found\r\n"
	    SECURITY_HEADERS
	    "Content-Length: 14\r\n"
	    "\r\n");
}

static void
test_send_security_headers(void **state)
{
	struct http_req	*r = *state;
	char		*out;
	size_t		 n;

	r->status = HTTP_SERVER_ERROR;
	out = capture_send(r, &n);
	assert_memory_equal(out, "Status: 500 Internal Server Error\r\n", 35);
	assert_non_null(strstr(out, "\r\nContent-Security-Policy: "
	    "default-src 'self'; object-src 'none'; base-uri 'none'; "
	    "frame-ancestors 'none'"));
	assert_non_null(strstr(out,
	    "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(out, "\r\nReferrer-Policy: no-referrer\r\n"));
	assert_non_null(strstr(out, "\r\nContent-Length: 0\r\n\r\n"));
	assert_int_equal(out[n - 1], '\n');
	assert_int_equal(out[n - 2], '\r');
}

/* One policy per response: http_csp replaces the site's, a later call
 * the earlier one, a header named Content-Security-Policy goes the same
 * way (never a second line), a value with a line break is dropped. */
static void
test_send_csp(void **state)
{
	struct http_req	*r = *state;
	char		*out, *p;
	size_t		 n;
	int		 count;

	assert_string_equal(HTTP_CSP, "default-src 'self'; object-src "
	    "'none'; base-uri 'none'; frame-ancestors 'none'; "
	    "form-action 'self'");
	r->status = HTTP_OK;
	http_csp(r, "default-src 'none'");
	http_header(r, "content-security-policy", "default-src 'none'; "
	    "sandbox");
	http_csp(r, "default-src 'self'\r\nSet-Cookie: evil=1");
	http_header(r, "Content-Security-Policy", "x\ny");
	out = capture_send(r, &n);
	assert_string_equal(out,
	    "Status: 200 OK\r\n"
	    "Content-Security-Policy: default-src 'none'; sandbox\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: no-referrer\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: 0\r\n"
	    "\r\n");
	for (count = 0, p = out; (p = strstr(p,
	    "Content-Security-Policy")) != NULL; p++)
		count++;
	assert_int_equal(count, 1);
	assert_int_equal(r->head.len, 0);
}

static void
test_reason(void **state)
{
	(void)state;
	assert_string_equal(http_reason(200), "OK");
	assert_string_equal(http_reason(303), "See Other");
	assert_string_equal(http_reason(400), "Bad Request");
	assert_string_equal(http_reason(403), "Forbidden");
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(405), "Method Not Allowed");
	assert_string_equal(http_reason(409), "Conflict");
	assert_string_equal(http_reason(410), "Gone");
	assert_string_equal(http_reason(413), "Payload Too Large");
	assert_string_equal(http_reason(415), "Unsupported Media Type");
	assert_string_equal(http_reason(422), "Unprocessable Content");
	assert_string_equal(http_reason(429), "Too Many Requests");
	assert_string_equal(http_reason(500), "Internal Server Error");
	assert_string_equal(http_reason(503), "Service Unavailable");
	assert_string_equal(http_reason(418), "Client Error");
	assert_string_equal(http_reason(502), "Internal Server Error");
}

static void
test_header_crlf(void **state)
{
	struct http_req	*r = *state;

	http_header(r, "X-Test", "a\r\nSet-Cookie: evil=1");
	http_header(r, "X-Test", "a\nb");
	http_header(r, "X-Test", "a\rb");
	http_header(r, "X-Test", "\n");
	assert_int_equal(r->head.len, 0);
	http_header(r, "X-Test", "ok");
	http_header(r, "X-Empty", "");
	assert_string_equal(r->head.data, "X-Test: ok\r\nX-Empty: \r\n");
}

/* A redirect to a location with a line break sends no Location. */
static void
test_redirect_crlf(void **state)
{
	struct http_req	*r = *state;
	char		*out;
	size_t		 n;

	http_redirect(r, "/me\r\nSet-Cookie: evil=1");
	out = capture_send(r, &n);
	assert_string_equal(out,
	    "Status: 303 See Other\r\n"
	    SECURITY_HEADERS
	    "Content-Length: 0\r\n"
	    "\r\n");
}

static void
test_set_cookie(void **state)
{
	struct http_req	*r = *state;

	r->https = 0;
	http_set_cookie(r, "parta_session", "abc", 3600);
	assert_string_equal(r->head.data, "Set-Cookie: parta_session=abc; "
	    "Path=/; HttpOnly; SameSite=Lax; Max-Age=3600\r\n");
	assert_null(strstr(r->head.data, "Secure"));

	buf_reset(&r->head);
	http_set_cookie(r, "parta_csrf", "t", -1);
	assert_string_equal(r->head.data, "Set-Cookie: parta_csrf=t; "
	    "Path=/; HttpOnly; SameSite=Lax\r\n");

	buf_reset(&r->head);
	/* Under HTTPS: Secure, and named __Host- (RFC 6265bis 4.1.3.2). */
	r->https = 1;
	http_set_cookie(r, "parta_session", "abc", 3600);
	assert_string_equal(r->head.data, "Set-Cookie: __Host-parta_session="
	    "abc; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=3600\r\n");

	/* Clearing a cookie: empty value, Max-Age=0. */
	buf_reset(&r->head);
	http_set_cookie(r, "parta_session", "", 0);
	assert_string_equal(r->head.data, "Set-Cookie: __Host-parta_session=; "
	    "Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0\r\n");
}

/* Cookies and headers reach the wire in order, before the length. */
static void
test_send_cookie(void **state)
{
	struct http_req	*r = *state;
	char		*out;
	size_t		 n;

	r->https = 1;
	http_set_cookie(r, "parta_csrf", "tok", -1);
	http_redirect(r, "/login");
	out = capture_send(r, &n);
	assert_string_equal(out,
	    "Status: 303 See Other\r\n"
	    SECURITY_HEADERS
	    "Set-Cookie: __Host-parta_csrf=tok; Path=/; HttpOnly; "
	    "SameSite=Lax; Secure\r\n"
	    "Location: /login\r\n"
	    "Content-Length: 0\r\n"
	    "\r\n");
}

static void
test_urlencode(void **state)
{
	struct http_req	*r = *state;
	struct pool	*p = r->pool;

	assert_string_equal(http_urlencode(p, ""), "");
	assert_string_equal(http_urlencode(p, "abcXYZ019-_.~/"),
	    "abcXYZ019-_.~/");
	assert_string_equal(http_urlencode(p, "a b&c=d?e#f+g%h"),
	    "a%20b%26c%3Dd%3Fe%23f%2Bg%25h");
	assert_string_equal(http_urlencode(p, "/org/1?x=2"),
	    "/org/1%3Fx%3D2");
	assert_string_equal(http_urlencode(p, "при"), "%D0%BF%D1%80%D0%B8");
	assert_string_equal(http_urlencode(p, "\x01\r\n\x7f\xff"),
	    "%01%0D%0A%7F%FF");
	assert_string_equal(http_urlencode(p, "\"'<>\\"),
	    "%22%27%3C%3E%5C");
}

/* What http_urlencode makes, http_parse_urlencoded reads back. */
static void
test_urlencode_roundtrip(void **state)
{
	static const char	 v[] = "/org/7?tab=a b&x=%41+при";
	struct http_req		*r = *state;
	struct http_kvs		 kvs;
	char			*q;

	memset(&kvs, 0, sizeof(kvs));
	q = pool_printf(r->pool, "next=%s", http_urlencode(r->pool, v));
	assert_int_equal(http_parse_urlencoded(r->pool, q, strlen(q), &kvs),
	    0);
	assert_int_equal(kvs.n, 1);
	assert_string_equal(http_kv_get(&kvs, "next"), v);
}

/*
 * http_fcgi_records: the response as FastCGI stdout records (FastCGI
 * 1.0, section 3.3), into a temporary file read back: each record
 * version 1, type 6, the request's id, 1 to 65 528 bytes of content, no
 * padding, as few as fit; their contents in order are head and body;
 * nothing at all for an empty response.  Sizes around a record's and
 * past one writev's 32 records.
 */
static void
check_records(size_t headlen, size_t bodylen)
{
	const size_t	 max = 65528, total = headlen + bodylen;
	char		*head, *body, *got;
	unsigned char	 h[8];
	size_t		 i, at = 0, len, records = 0;
	FILE		*f;

	head = malloc(headlen + 1);
	body = malloc(bodylen + 1);
	got = malloc(total + 1);
	assert_non_null(head);
	assert_non_null(body);
	assert_non_null(got);
	for (i = 0; i < headlen; i++)
		head[i] = (char)('a' + i % 26);
	for (i = 0; i < bodylen; i++)
		body[i] = (char)('A' + (i * 7) % 26);
	assert_non_null(f = tmpfile());
	assert_int_equal(http_fcgi_records(fileno(f), 0x1234,
	    headlen > 0 ? head : NULL, headlen, bodylen > 0 ? body : NULL,
	    bodylen), 0);
	rewind(f);
	while (fread(h, 1, sizeof(h), f) == sizeof(h)) {
		assert_int_equal(h[0], 1);
		assert_int_equal(h[1], 6);
		assert_int_equal(h[2], 0x12);
		assert_int_equal(h[3], 0x34);
		len = (size_t)h[4] << 8 | h[5];
		assert_true(len >= 1 && len <= max);
		assert_int_equal(h[6], 0);
		assert_true(at + len <= total);
		assert_int_equal(fread(got + at, 1, len, f), len);
		at += len;
		records++;
	}
	assert_true(feof(f));
	assert_int_equal(at, total);
	assert_int_equal(records, (total + max - 1) / max);
	assert_memory_equal(got, head, headlen);
	assert_memory_equal(got + headlen, body, bodylen);
	fclose(f);
	free(head);
	free(body);
	free(got);
}

static void
test_fcgi_records(void **state)
{
	(void)state;
	check_records(0, 0);
	check_records(40, 0);
	check_records(0, 1);
	check_records(300, 65528 - 300);
	check_records(300, 65528 - 299);
	check_records(65528, 65528);
	check_records(300, 64 * 1024);
	check_records(300, 33 * 65528 + 5);
	check_records(70000, 3 * 1024 * 1024);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_param_getenv),
		T(test_start_basic),
		T(test_start_defaults),
		T(test_start_https),
		T(test_start_cgi_path),
		T(test_start_trailing_slash),
		T(test_start_bad_path),
		T(test_start_bad_query),
		T(test_body_form),
		T(test_body_form_type_params),
		T(test_body_exact_limit),
		T(test_body_empty),
		T(test_body_short),
		T(test_body_too_large),
		T(test_body_bad_length),
		T(test_body_unsupported),
		T(test_body_bad_form),
		T(test_body_multipart),
		T(test_body_bad_multipart),
		T(test_send_redirect),
		T(test_send_page),
		T(test_send_binary),
		T(test_send_head),
		T(test_send_security_headers),
		T(test_send_csp),
		T(test_reason),
		T(test_header_crlf),
		T(test_redirect_crlf),
		T(test_set_cookie),
		T(test_send_cookie),
		T(test_urlencode),
		T(test_urlencode_roundtrip),
		T(test_fcgi_records),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
