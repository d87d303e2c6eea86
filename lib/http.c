#include <fcgiapp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <unistd.h>

#include "http.h"
#include "pool.h"

/* Sent with every dynamic response; nginx adds the same to static files
 * (with HTTP_CSP, which http_send writes: the handler may change it). */
static const char http_security_headers[] =
    "X-Content-Type-Options: nosniff\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "X-Frame-Options: DENY\r\n";
/* Right after them, unless the handler sent a Cache-Control of its own
 * (http_header): nothing of a dynamic response is kept by a cache. */
static const char http_no_store[] = "Cache-Control: no-store\r\n";

const char *
http_param(const struct http_req *r, const char *name)
{
	if (r->fcgi != NULL)
		return FCGX_GetParam(name, r->envp);
	return getenv(name);
}

const char *
http_query(const struct http_req *r, const char *key)
{
	return http_kv_get(&r->query, key);
}

const char *
http_form(const struct http_req *r, const char *key)
{
	return http_kv_get(&r->form, key);
}

const char *
http_cookie(const struct http_req *r, const char *key)
{
	char	 name[64];

	if (r->https) {
		snprintf(name, sizeof(name), "%s%s", HTTP_HOST_PREFIX, key);
		return http_kv_get(&r->cookies, name);
	}
	return http_kv_get(&r->cookies, key);
}

/* Read exactly n bytes of the body: 0, or -1 when it ends early. */
static int
http_read_body(struct http_req *r, char *p, size_t n)
{
	FCGX_Request	*fr = r->fcgi;
	size_t		 got = 0;
	ssize_t		 k;
	int		 chunk;

	while (got < n) {
		chunk = n - got > INT_MAX ? INT_MAX : (int)(n - got);
		if (fr != NULL)
			k = FCGX_GetStr(p + got, chunk, fr->in);
		else {
			k = read(STDIN_FILENO, p + got, (size_t)chunk);
			if (k < 0 && errno == EINTR)
				continue;
		}
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/*
 * As plain CGI, read and drop a refused body before answering: fcgiwrap
 * answers 502 instead of our response when a program leaves its input
 * unread.  Up to 64 MiB; the web server bounds bodies too.
 */
static void
http_drain_cgi(const struct http_req *r, unsigned long long n)
{
	char	 buf[8192];
	ssize_t	 k;

	if (r->fcgi != NULL || n > 64ULL << 20)
		return;
	while (n > 0) {
		k = read(STDIN_FILENO, buf, n < sizeof(buf) ? n : sizeof(buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		n -= (unsigned long long)k;
	}
}

static int
http_type_is(const char *ct, const char *type)
{
	size_t	 n = strlen(type);

	return strncasecmp(ct, type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
http_start(struct http_req *r)
{
	const char	*qs, *cookie, *uri;
	char		*path;
	size_t		 pathlen;

	r->method = http_param(r, "REQUEST_METHOD");
	if (r->method == NULL)
		r->method = "GET";
	r->content_type = http_param(r, "CONTENT_TYPE");
	r->remote_addr = http_param(r, "REMOTE_ADDR");
	if (r->remote_addr == NULL)
		r->remote_addr = "";
	qs = http_param(r, "QUERY_STRING");
	r->query_string = qs ? qs : "";
	r->https = (qs = http_param(r, "HTTPS")) != NULL &&
	    strcasecmp(qs, "on") == 0;

	/*
	 * The path comes from DOCUMENT_URI (nginx, already decoded) or
	 * SCRIPT_NAME + PATH_INFO (CGI); it must be clean UTF-8.
	 */
	if ((uri = http_param(r, "DOCUMENT_URI")) == NULL) {
		const char *sn = http_param(r, "SCRIPT_NAME");
		const char *pi = http_param(r, "PATH_INFO");

		uri = pool_printf(r->pool, "%s%s", sn ? sn : "", pi ? pi : "");
	}
	pathlen = strlen(uri);
	if (pathlen == 0 || uri[0] != '/' || !http_utf8_valid(uri, pathlen))
		return HTTP_BAD_REQUEST;
	path = pool_strndup(r->pool, uri, pathlen);
	/* "/me/" and "/me" are the same page. */
	if (pathlen > 1 && path[pathlen - 1] == '/')
		path[pathlen - 1] = '\0';
	r->path = path;

	if ((cookie = http_param(r, "HTTP_COOKIE")) != NULL)
		(void)http_parse_cookies(r->pool, cookie, &r->cookies);
	if (http_parse_urlencoded(r->pool, r->query_string,
	    strlen(r->query_string), &r->query) == -1)
		return HTTP_BAD_REQUEST;
	return 0;
}

int
http_body(struct http_req *r, size_t limit)
{
	const char	*cl;
	char		*body, *end;
	size_t		 n = 0;
	unsigned long long v;

	if ((cl = http_param(r, "CONTENT_LENGTH")) != NULL && *cl != '\0') {
		if (*cl < '0' || *cl > '9')
			return HTTP_BAD_REQUEST;
		errno = 0;
		v = strtoull(cl, &end, 10);
		if (errno != 0 || *end != '\0')
			return HTTP_BAD_REQUEST;
		if (v > limit) {
			http_drain_cgi(r, v);
			return HTTP_TOO_LARGE;
		}
		n = (size_t)v;
	}
	if (n == 0)
		return 0;
	if (r->content_type == NULL)
		return HTTP_UNSUPPORTED;
	body = pool_alloc(r->pool, n + 1);
	if (http_read_body(r, body, n) == -1)
		return HTTP_BAD_REQUEST;
	body[n] = '\0';
	if (http_type_is(r->content_type, "application/x-www-form-urlencoded")) {
		if (http_parse_urlencoded(r->pool, body, n, &r->form) == -1)
			return HTTP_BAD_REQUEST;
	} else if (http_type_is(r->content_type, "multipart/form-data")) {
		if (http_parse_multipart(r->pool, r->content_type, body, n,
		    &r->form, &r->files) == -1)
			return HTTP_BAD_REQUEST;
	} else
		return HTTP_UNSUPPORTED;
	return 0;
}

void
http_body_drop(struct http_req *r)
{
	const char		*cl;
	char			*end;
	unsigned long long	 v;

	if ((cl = http_param(r, "CONTENT_LENGTH")) == NULL || *cl < '0' ||
	    *cl > '9')
		return;
	errno = 0;
	v = strtoull(cl, &end, 10);
	if (errno == 0 && *end == '\0')
		http_drain_cgi(r, v);
}

void
http_csp(struct http_req *r, const char *value)
{
	if (strpbrk(value, "\r\n") != NULL)
		return;
	r->csp = pool_strdup(r->pool, value);
}

void
http_header(struct http_req *r, const char *name, const char *value)
{
	/* A header value never carries a line break into the response. */
	if (strpbrk(value, "\r\n") != NULL)
		return;
	/* One policy per response: the one http_send writes. */
	if (strcasecmp(name, "Content-Security-Policy") == 0) {
		http_csp(r, value);
		return;
	}
	buf_printf(&r->head, "%s: %s\r\n", name, value);
}

void
http_set_cookie(struct http_req *r, const char *name, const char *value,
    long max_age)
{
	buf_printf(&r->head, "Set-Cookie: %s%s=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s", r->https ? HTTP_HOST_PREFIX : "", name, value,
	    r->https ? "; Secure" : "");
	if (max_age >= 0)
		buf_printf(&r->head, "; Max-Age=%ld", max_age);
	buf_puts(&r->head, "\r\n");
}

void
http_redirect(struct http_req *r, const char *location)
{
	r->status = HTTP_SEE_OTHER;
	http_header(r, "Location", location);
	buf_reset(&r->body);
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status < 500 ? "Client Error" : "Internal Server Error";
	}
}

/*
 * Write every byte of iov[0..n) to fd (advancing iov as parts are
 * written): 0, or -1 when the peer is gone (errno set).  A blocking
 * descriptor; EINTR is retried.
 */
static int
http_writev_all(int fd, struct iovec *iov, int n)
{
	ssize_t	 k;

	while (n > 0) {
		if ((k = writev(fd, iov, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

#define FCGI_VERSION_1	1
#define FCGI_STDOUT	6
#define FCGI_RECORD_MAX	65528	/* content of one record, a multiple of 8 */
#define FCGI_BATCH	32	/* records a writev */

int
http_fcgi_records(int fd, int request_id, const char *head, size_t headlen,
    const char *body, size_t bodylen)
{
	unsigned char	 hdr[FCGI_BATCH][8];
	struct iovec	 iov[FCGI_BATCH * 3];
	const char	*part[2] = { head, body };
	size_t		 left[2] = { headlen, bodylen };
	size_t		 len, take;
	int		 i = 0, n, nrec;

	while (i < 2) {
		n = nrec = 0;
		while (i < 2 && nrec < FCGI_BATCH) {
			/* One record: what is left of this part and, if
			 * there is room, the start of the next. */
			iov[n].iov_base = hdr[nrec];
			iov[n].iov_len = sizeof(hdr[nrec]);
			n++;
			len = 0;
			while (i < 2 && len < FCGI_RECORD_MAX) {
				take = left[i] < FCGI_RECORD_MAX - len ?
				    left[i] : FCGI_RECORD_MAX - len;
				if (take > 0) {
					iov[n].iov_base = (void *)part[i];
					iov[n].iov_len = take;
					n++;
					part[i] += take;
					left[i] -= take;
					len += take;
				}
				if (left[i] == 0)
					i++;
			}
			if (len == 0) {	/* nothing left: no empty record */
				n--;
				break;
			}
			hdr[nrec][0] = FCGI_VERSION_1;
			hdr[nrec][1] = FCGI_STDOUT;
			hdr[nrec][2] = (unsigned char)(request_id >> 8);
			hdr[nrec][3] = (unsigned char)request_id;
			hdr[nrec][4] = (unsigned char)(len >> 8);
			hdr[nrec][5] = (unsigned char)len;
			hdr[nrec][6] = 0;	/* no padding */
			hdr[nrec][7] = 0;
			nrec++;
		}
		if (n > 0 && http_writev_all(fd, iov, n) != 0)
			return -1;
	}
	return 0;
}

/* The response: as FastCGI records, or (CGI) on standard output. */
static void
http_write(struct http_req *r, const char *head, size_t headlen,
    const char *body, size_t bodylen)
{
	FCGX_Request	*fr = r->fcgi;
	struct iovec	 iov[2];

	if (fr != NULL) {
		/* libfcgi's own records first, then these, then (at
		 * FCGX_Finish_r) its end of the stream. */
		if (FCGX_FFlush(fr->out) == 0)
			(void)http_fcgi_records(fr->ipcFd, fr->requestId,
			    head, headlen, body, bodylen);
		return;
	}
	iov[0].iov_base = (void *)head;
	iov[0].iov_len = headlen;
	iov[1].iov_base = (void *)body;
	iov[1].iov_len = bodylen;
	(void)http_writev_all(STDOUT_FILENO, iov, 2);
}

/* Whether the handler's header lines hold one called name. */
static int
http_head_has(const struct http_req *r, const char *name)
{
	const char	*p = r->head.data, *end = p + r->head.len, *nl;
	size_t		 n = strlen(name);

	while (p != NULL && p < end) {
		if ((size_t)(end - p) > n && p[n] == ':' &&
		    strncasecmp(p, name, n) == 0)
			return 1;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

void
http_send(struct http_req *r)
{
	struct buf	 out;
	int		 head;

	head = r->method != NULL && strcmp(r->method, "HEAD") == 0;
	buf_init(&out);
	buf_printf(&out, "Status: %d %s\r\n", r->status,
	    http_reason(r->status));
	buf_printf(&out, "Content-Security-Policy: %s\r\n",
	    r->csp != NULL ? r->csp : HTTP_CSP);
	buf_puts(&out, http_security_headers);
	if (!http_head_has(r, "Cache-Control"))
		buf_puts(&out, http_no_store);
	if (r->head.len > 0)
		buf_add(&out, r->head.data, r->head.len);
	buf_printf(&out, "Content-Length: %zu\r\n\r\n", r->body.len);
	http_write(r, out.data, out.len, r->body.data,
	    head ? 0 : r->body.len);
	buf_free(&out);
}

char *
http_urlencode(struct pool *p, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;

	out = o = pool_alloc(p, strlen(s) * 3 + 1);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~/", c) != NULL)
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
