/*
 * http: requests and responses for CGI and FastCGI (fcgiapp.h), and the
 * parsers for query strings, forms, multipart bodies and cookies.
 *
 * The parsers are pure functions over a buffer so that unit tests and
 * fuzzers can call them directly.  All memory comes from the pool.
 */
#ifndef PARTA_HTTP_H
#define PARTA_HTTP_H

#include <stddef.h>

#include "buf.h"

struct pool;

/* Status codes the programs use. */
#define HTTP_OK			200
#define HTTP_SEE_OTHER		303
#define HTTP_NOT_MODIFIED	304
#define HTTP_BAD_REQUEST	400
#define HTTP_FORBIDDEN		403
#define HTTP_NOT_FOUND		404
#define HTTP_METHOD_NOT_ALLOWED	405
#define HTTP_CONFLICT		409
#define HTTP_GONE		410
#define HTTP_TOO_LARGE		413
#define HTTP_UNSUPPORTED	415
#define HTTP_UNPROCESSABLE	422
#define HTTP_TOO_MANY		429
#define HTTP_SERVER_ERROR	500
#define HTTP_UNAVAILABLE	503

/* Parser limits: past them the input is malformed. */
#define HTTP_MAX_FIELDS		2000
#define HTTP_MAX_FILES		16

struct http_kv {
	char	*key;
	char	*val;	/* NUL-terminated; text fields hold valid UTF-8 */
	size_t	 len;	/* length of val without the NUL */
};

struct http_kvs {
	struct http_kv	*v;
	size_t		 n;
	size_t		 cap;
};

struct http_file {
	char	*field;		/* form field name */
	char	*filename;	/* as sent by the browser, may be "" */
	char	*type;		/* Content-Type sent, may be "" */
	char	*data;		/* raw bytes (also NUL-terminated) */
	size_t	 len;
};

struct http_files {
	struct http_file	*v;
	size_t			 n;
	size_t			 cap;
	size_t			 over;	/* file parts past HTTP_MAX_FILES:
					 * counted, not kept; handlers say
					 * «Не больше N файлов за раз» */
};

/* 1 if s[0..len) is well-formed UTF-8 without NUL bytes, else 0: what
 * the request's parts must be.  lib/utf8's utf8_valid decides. */
int		 http_utf8_valid(const char *s, size_t len);

/* The value of hex digit c (0-9, a-f, A-F: a percent escape's, RFC
 * 3986 2.1), or -1. */
int		 http_hex_digit(int c);

/* Percent-decode s[0..len) ('+' is a space): 0, or -1 on a bad escape
 * (a '%' not followed by two hex digits) or if the result is not valid
 * UTF-8 (http_utf8_valid). */
int		 http_urldecode(struct pool *, const char *s, size_t len,
		    char **out, size_t *outlen);

/* Parse a query string or an application/x-www-form-urlencoded body
 * (pairs split on '&', empty pairs skipped, a pair without '=' has an
 * empty value).  Appends to out.  0, or -1 when malformed: bad escape,
 * invalid UTF-8 in a key or value, empty key, more than HTTP_MAX_FIELDS. */
int		 http_parse_urlencoded(struct pool *, const char *s, size_t len,
		    struct http_kvs *out);

/* Parse a Cookie header ("a=1; b=2").  Lenient like browsers: a pair
 * without '=' or with an empty name is skipped; values are not decoded
 * (surrounding double quotes are removed).  Always returns 0. */
int		 http_parse_cookies(struct pool *, const char *hdr,
		    struct http_kvs *out);

/* Parse a multipart/form-data body.  content_type is the whole header
 * value (the boundary parameter, quoted or not, is taken from it).  Parts
 * with a filename parameter go to files, the others to fields (whose
 * values must be valid UTF-8).  0, or -1 when malformed: no boundary,
 * missing final boundary, a part without Content-Disposition: form-data
 * and a name, headers not ended by an empty line, too many parts. */
int		 http_parse_multipart(struct pool *, const char *content_type,
		    const char *body, size_t len, struct http_kvs *fields,
		    struct http_files *files);

/* Look-ups: the first value of key, or NULL. */
const char	*http_kv_get(const struct http_kvs *, const char *key);
void		 http_kv_add(struct pool *, struct http_kvs *, char *key,
		    char *val, size_t len);
const struct http_file *http_file_get(const struct http_files *,
		    const char *field);
/* How many files were chosen for field: its parts with a name or
 * bytes (an input left empty sends a part with neither).  A form that
 * takes one file and gets more answers 422 with VALID_E_ONE_FILE next
 * to the field, keeping none of them. */
size_t		 http_file_count(const struct http_files *,
		    const char *field);

/*
 * A request being served.  The same code serves FastCGI (fcgi set) and
 * plain CGI (environment and stdin/stdout).  The response is built in
 * memory and written at the end, so a handler can still change its mind
 * (an error page instead of a half-rendered one).
 */
struct auth_user;
struct org_access;

struct http_req {
	struct pool		*pool;
	void			*fcgi;		/* FCGX_Request *, or NULL */
	char			**envp;
	const char		*method;
	const char		*path;		/* decoded, valid UTF-8 */
	const char		*query_string;
	const char		*content_type;
	const char		*remote_addr;
	int			 https;
	struct http_kvs		 query;
	struct http_kvs		 form;
	struct http_kvs		 cookies;
	struct http_files	 files;
	/* Route captures: {n} as numbers, {token} as strings. */
	long long		 id[4];
	const char		*arg[4];
	/* Who is asking (auth), NULL when logged out. */
	struct auth_user	*user;
	/* Their standing in the organization of an organization's route
	 * (APP_ORG and the role flags, lib/app.h), loaded by the
	 * dispatcher before the handler; NULL on any other route. */
	struct org_access	*org;
	const char		*csrf;		/* token for forms */
	/* The response. */
	int			 status;
	const char		*csp;		/* http_csp's, NULL: HTTP_CSP */
	struct buf		 head;
	struct buf		 body;
};

/* A request parameter from the environment, or NULL. */
const char	*http_param(const struct http_req *, const char *name);
/* Take method, path, query string and cookies from the environment:
 * 0, or HTTP_BAD_REQUEST. */
int		 http_start(struct http_req *);
/* Read and parse the body, at most limit bytes (CONTENT_LENGTH read
 * exactly): 0, or HTTP_BAD_REQUEST, HTTP_TOO_LARGE, HTTP_UNSUPPORTED. */
int		 http_body(struct http_req *, size_t limit);
/* A body not wanted (a GET's, whatever CONTENT_LENGTH says): dropped
 * unparsed.  As plain CGI it is read to its end or EOF, whichever comes
 * first, up to 64 MiB (fcgiwrap answers 502 when input is left unread);
 * under FastCGI libfcgi skips it. */
void		 http_body_drop(struct http_req *);
/* First value of a query or form field, or NULL. */
const char	*http_query(const struct http_req *, const char *);
const char	*http_form(const struct http_req *, const char *);
/* A cookie by its name as the programs know it (NULL if absent).  Under
 * HTTPS every cookie travels as HTTP_HOST_PREFIX + name: a cookie with
 * that prefix must be Secure, with Path=/ and no Domain (RFC 6265bis,
 * 4.1.3.2), so neither a subdomain nor a plain-HTTP page can plant one. */
#define HTTP_HOST_PREFIX	"__Host-"
const char	*http_cookie(const struct http_req *, const char *);

/* Response building. */
/*
 * The site's Content-Security-Policy.  Every response of the programs
 * carries exactly one policy, written by http_send: this one unless the
 * handler chose another by http_csp.  nginx (and Apache) add the same
 * policy only to what they serve themselves, the static files
 * (nginx/local.conf.in, nginx/parta.conf, docs/deploy.md).
 */
#define HTTP_CSP	"default-src 'self'; object-src 'none'; " \
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
/* This response's Content-Security-Policy instead of HTTP_CSP (copied;
 * a later call replaces an earlier one, an error page goes back to
 * HTTP_CSP).  The one way to set it: http_header given the name
 * Content-Security-Policy calls this. */
void		 http_csp(struct http_req *, const char *value);
/* A header line name: value (a value with a line break is dropped). */
void		 http_header(struct http_req *, const char *name,
		    const char *value);
/* Set-Cookie name=value (HttpOnly, SameSite=Lax, Path=/; under HTTPS
 * Secure and named with HTTP_HOST_PREFIX); max_age in seconds, -1 for a
 * session cookie, 0 to delete.  name at most 48 bytes. */
void		 http_set_cookie(struct http_req *, const char *name,
		    const char *value, long max_age);
void		 http_redirect(struct http_req *, const char *location);
/* Write status, headers (with the security headers and the one
 * Content-Security-Policy) and body. */
void		 http_send(struct http_req *);
/*
 * A response, head (headlen bytes) then body (bodylen; either may be
 * empty, NULL when empty), as FastCGI FCGI_STDOUT records of request
 * request_id written to fd (blocking; EINTR retried), a few large
 * records in one writev(2) instead of libfcgi's 8 KiB ones, each its
 * own write(2) that wakes nginx (bench of 1 December: a 64 KiB page
 * cost nginx and the program four context switches more than a small
 * one).  Record format: the FastCGI 1.0 specification, section 3.3
 * (version 1, type 6, the request id and content length big-endian,
 * content of at most 65 528 bytes here, no padding); no empty record
 * (libfcgi writes the end of the stream).  Nothing is kept; the
 * buffers stay the caller's.  0, or -1 with errno when a write failed
 * (nginx gone: EPIPE, SIGPIPE being ignored).
 */
int		 http_fcgi_records(int fd, int request_id, const char *head,
		    size_t headlen, const char *body, size_t bodylen);
const char	*http_reason(int status);
/* Percent-encode s for a query string value. */
char		*http_urlencode(struct pool *, const char *s);

#endif
