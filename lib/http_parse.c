/*
 * http_parse: the parsers for what a client sends us (query strings,
 * urlencoded and multipart bodies, cookies).  Every byte is untrusted,
 * so each parser works on an explicit length, never reads past it, and
 * rejects anything ambiguous instead of guessing.  All memory comes from
 * the request pool.
 */
#include <string.h>

#include "http.h"
#include "pool.h"
#include "utf8.h"

#define KVS_FIRST	16	/* first array size of an http_kvs */
#define FILES_FIRST	4	/* first size of an http_files array */
#define BOUNDARY_MAX	70	/* RFC 2046 limit on a boundary */

/*
 * The part of a multipart body being parsed.  Strings point into the
 * body and are copied into the pool once the whole part is known good.
 */
struct mp_part {
	const char	*name;
	size_t		 namelen;
	const char	*filename;	/* NULL unless the part is a file */
	size_t		 filenamelen;
	const char	*type;
	size_t		 typelen;
	int		 has_disp;
	int		 has_type;
};

/* The search pattern "\r\n--boundary"; the delimiter is pat + 2. */
struct mp_delim {
	char	 pat[4 + BOUNDARY_MAX];
	size_t	 len;
};

int
http_utf8_valid(const char *s, size_t len)
{
	return utf8_valid(s, len);
}

int
http_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
http_urldecode(struct pool *pool, const char *s, size_t len, char **out,
    size_t *outlen)
{
	char	*d;
	size_t	 i, n;
	int	 hi, lo;

	/* Decoding never makes the text longer. */
	d = pool_alloc(pool, len + 1);
	n = 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			d[n++] = ' ';
		else if (s[i] == '%') {
			if (len - i < 3 ||
			    (hi = http_hex_digit((unsigned char)s[i + 1])) == -1 ||
			    (lo = http_hex_digit((unsigned char)s[i + 2])) == -1)
				return -1;
			d[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else
			d[n++] = s[i];
	}
	d[n] = '\0';
	/* This also refuses %00, which would cut the C string short. */
	if (!http_utf8_valid(d, n))
		return -1;
	*out = d;
	if (outlen != NULL)
		*outlen = n;
	return 0;
}

int
http_parse_urlencoded(struct pool *pool, const char *s, size_t len,
    struct http_kvs *out)
{
	const char	*amp, *eq;
	char		*key, *val;
	size_t		 i, end, sep, klen, vlen, n0;

	n0 = out->n;
	i = 0;
	while (i < len) {
		amp = memchr(s + i, '&', len - i);
		end = amp != NULL ? (size_t)(amp - s) : len;
		if (end == i) {
			i++;
			continue;
		}
		if (out->n >= HTTP_MAX_FIELDS)
			goto fail;
		eq = memchr(s + i, '=', end - i);
		sep = eq != NULL ? (size_t)(eq - s) : end;
		if (sep == i)
			goto fail;
		if (http_urldecode(pool, s + i, sep - i, &key, &klen) == -1)
			goto fail;
		if (sep == end) {
			val = pool_strndup(pool, "", 0);
			vlen = 0;
		} else if (http_urldecode(pool, s + sep + 1, end - sep - 1,
		    &val, &vlen) == -1)
			goto fail;
		http_kv_add(pool, out, key, val, vlen);
		i = end + 1;
	}
	return 0;

fail:
	/* Half a form is worse than none: drop what this call added. */
	out->n = n0;
	return -1;
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

int
http_parse_cookies(struct pool *pool, const char *hdr, struct http_kvs *out)
{
	const char	*semi, *eq;
	size_t		 len, i, end, ns, ne, vs, ve;

	if (hdr == NULL)
		return 0;
	len = strlen(hdr);
	i = 0;
	while (i < len && out->n < HTTP_MAX_FIELDS) {
		semi = memchr(hdr + i, ';', len - i);
		end = semi != NULL ? (size_t)(semi - hdr) : len;
		ns = i;
		i = end + 1;
		if ((eq = memchr(hdr + ns, '=', end - ns)) == NULL)
			continue;
		ne = eq - hdr;
		vs = ne + 1;
		ve = end;
		while (ns < ne && is_ows(hdr[ns]))
			ns++;
		while (ne > ns && is_ows(hdr[ne - 1]))
			ne--;
		while (vs < ve && is_ows(hdr[vs]))
			vs++;
		while (ve > vs && is_ows(hdr[ve - 1]))
			ve--;
		if (ns == ne)
			continue;
		if (ve - vs >= 2 && hdr[vs] == '"' && hdr[ve - 1] == '"') {
			vs++;
			ve--;
		}
		/*
		 * Values are handed to code that expects text; a cookie we
		 * never set cannot be valid anyway, so drop it silently.
		 */
		if (!http_utf8_valid(hdr + ns, ne - ns) ||
		    !http_utf8_valid(hdr + vs, ve - vs))
			continue;
		http_kv_add(pool, out, pool_strndup(pool, hdr + ns, ne - ns),
		    pool_strndup(pool, hdr + vs, ve - vs), ve - vs);
	}
	return 0;
}

/*
 * ASCII-only case folding: strncasecmp() follows the locale, and header
 * and parameter names are ASCII whatever the locale says.
 */
static int
ci_equal(const char *s, size_t n, const char *lit)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < n; i++) {
		if (lit[i] == '\0')
			return 0;
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (c != lit[i])
			return 0;
	}
	return lit[n] == '\0';
}

/* RFC 9110 token characters, used for header and parameter names. */
static int
is_tchar(char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static size_t
skip_ows(const char *s, size_t len, size_t i)
{
	while (i < len && is_ows(s[i]))
		i++;
	return i;
}

/*
 * Read the leading type of a header value ("multipart/form-data",
 * "form-data") and compare it with want; *pos is left after it.
 */
static int
hdr_type_is(const char *s, size_t len, size_t *pos, const char *want)
{
	size_t	 i, start;

	start = i = skip_ows(s, len, 0);
	while (i < len && s[i] != ';' && !is_ows(s[i]))
		i++;
	*pos = i;
	return ci_equal(s + start, i - start, want);
}

/*
 * A multipart filename as the browser wrote it, decoded: browsers
 * percent-encode exactly '"' (%22), CR (%0D) and LF (%0A) there (HTML
 * standard, multipart/form-data encoding), and nothing else, so only
 * those three are decoded; any other '%' is the name's own.  CR and LF
 * become spaces (a name has no lines; a space keeps its words apart).
 * Other clients (curl before 7.81, scripts) write a quoted-string's
 * quoted-pairs instead: \" and \\ are a quote and a backslash; any
 * other backslash is the name's own (an old browser's Windows path,
 * C:\dir\name).
 */
static char *
filename_decode(struct pool *pool, const char *s, size_t len)
{
	char	*d;
	size_t	 i, j;

	d = pool_alloc(pool, len + 1);
	for (i = j = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' ||
		    s[i + 1] == '\\')) {
			d[j++] = s[++i];
		} else if (s[i] == '%' && i + 2 < len && s[i + 1] == '2' &&
		    s[i + 2] == '2') {
			d[j++] = '"';
			i += 2;
		} else if (s[i] == '%' && i + 2 < len && s[i + 1] == '0' &&
		    (s[i + 2] == 'D' || s[i + 2] == 'd' ||
		    s[i + 2] == 'A' || s[i + 2] == 'a')) {
			d[j++] = ' ';
			i += 2;
		} else
			d[j++] = s[i];
	}
	d[j] = '\0';
	return d;
}

/*
 * The next "; name=value" parameter of a header value from *pos: 1 with
 * it, 0 at the end, -1 on a syntax error.  A quoted value ends at the
 * first double quote that is not a quoted-pair's (\" or \\, RFC 9110):
 * browsers percent-encode quotes in names (HTML standard), curl and
 * scripts escape them with a backslash; any other backslash is kept as
 * it is (Windows paths in filenames).  The value is returned raw:
 * filename_decode undoes the escapes.
 */
static int
hdr_param(const char *s, size_t len, size_t *pos, const char **name,
    size_t *namelen, const char **val, size_t *vallen)
{
	const char	*q;
	size_t		 i, start;

	i = *pos;
	for (;;) {
		i = skip_ows(s, len, i);
		if (i == len) {
			*pos = i;
			return 0;
		}
		if (s[i] != ';')
			return -1;
		i = skip_ows(s, len, i + 1);
		/* Empty parameters (";;", a trailing ';') are harmless. */
		if (i == len) {
			*pos = i;
			return 0;
		}
		if (s[i] != ';')
			break;
	}
	start = i;
	while (i < len && is_tchar(s[i]))
		i++;
	if (i == start)
		return -1;
	*name = s + start;
	*namelen = i - start;
	i = skip_ows(s, len, i);
	if (i == len || s[i] != '=')
		return -1;
	i = skip_ows(s, len, i + 1);
	if (i < len && s[i] == '"') {
		i++;
		for (q = s + i; q < s + len && *q != '"'; q++)
			if (*q == '\\' && q + 1 < s + len && (q[1] == '"' ||
			    q[1] == '\\'))
				q++;
		if (q >= s + len)
			return -1;
		*val = s + i;
		*vallen = q - (s + i);
		i = q - s + 1;
	} else {
		start = i;
		while (i < len && s[i] != ';' && s[i] != '"' && !is_ows(s[i]))
			i++;
		if (i == start)
			return -1;
		*val = s + start;
		*vallen = i - start;
	}
	*pos = i;
	return 1;
}

/* RFC 2046 bchars; a space is allowed but not as the last one. */
static int
is_bchar(char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

/* Build the delimiter pattern from the boundary in content_type. */
static int
mp_boundary(const char *ct, struct mp_delim *d)
{
	const char	*name, *val, *b;
	size_t		 len, pos, namelen, vallen, blen, i;
	int		 r;

	if (ct == NULL)
		return -1;
	len = strlen(ct);
	if (!hdr_type_is(ct, len, &pos, "multipart/form-data"))
		return -1;
	b = NULL;
	blen = 0;
	while ((r = hdr_param(ct, len, &pos, &name, &namelen, &val,
	    &vallen)) == 1) {
		if (!ci_equal(name, namelen, "boundary"))
			continue;
		/* Two boundaries: we cannot know which one the body uses. */
		if (b != NULL)
			return -1;
		b = val;
		blen = vallen;
	}
	if (r == -1 || b == NULL || blen < 1 || blen > BOUNDARY_MAX)
		return -1;
	for (i = 0; i < blen; i++)
		if (!is_bchar(b[i]))
			return -1;
	if (b[blen - 1] == ' ')
		return -1;
	memcpy(d->pat, "\r\n--", 4);
	memcpy(d->pat + 4, b, blen);
	d->len = 4 + blen;
	return 0;
}

static int
mp_disposition(struct mp_part *part, const char *s, size_t len)
{
	const char	*name, *val;
	size_t		 pos, namelen, vallen;
	int		 r;

	if (!hdr_type_is(s, len, &pos, "form-data"))
		return -1;
	while ((r = hdr_param(s, len, &pos, &name, &namelen, &val,
	    &vallen)) == 1) {
		/* A repeated name or filename is ambiguous, so refused. */
		if (ci_equal(name, namelen, "name")) {
			if (part->name != NULL)
				return -1;
			part->name = val;
			part->namelen = vallen;
		} else if (ci_equal(name, namelen, "filename")) {
			if (part->filename != NULL)
				return -1;
			part->filename = val;
			part->filenamelen = vallen;
		}
	}
	if (r == -1 || part->name == NULL || part->namelen == 0)
		return -1;
	return 0;
}

/* One header line of a part, without its CRLF. */
static int
mp_header(struct mp_part *part, const char *s, size_t len,
    const struct mp_delim *d)
{
	size_t	 i;

	/*
	 * A delimiter where a header was expected means the headers were
	 * never ended by an empty line.
	 */
	if (len >= d->len - 2 && memcmp(s, d->pat + 2, d->len - 2) == 0)
		return -1;
	/*
	 * Header lines are text: control characters (a bare CR or LF, a
	 * NUL that would cut a name short) have no business there.
	 */
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7f)
			return -1;
	if (!http_utf8_valid(s, len))
		return -1;
	/* A name then a colon: this refuses obsolete line folding too. */
	for (i = 0; i < len && is_tchar(s[i]); i++)
		continue;
	if (i == 0 || i == len || s[i] != ':')
		return -1;
	if (ci_equal(s, i, "content-disposition")) {
		if (part->has_disp)
			return -1;
		part->has_disp = 1;
		return mp_disposition(part, s + i + 1, len - i - 1);
	}
	if (ci_equal(s, i, "content-type")) {
		if (part->has_type)
			return -1;
		part->has_type = 1;
		s += i + 1;
		len -= i + 1;
		while (len > 0 && is_ows(s[0])) {
			s++;
			len--;
		}
		while (len > 0 && is_ows(s[len - 1]))
			len--;
		part->type = s;
		part->typelen = len;
	}
	/* Other headers (Content-Transfer-Encoding...) mean nothing here. */
	return 0;
}

static void
files_add(struct pool *pool, struct http_files *files, struct http_file *f)
{
	struct http_file	*v;
	size_t			 cap;

	if (files->n == files->cap) {
		cap = files->cap == 0 ? FILES_FIRST : files->cap * 2;
		v = pool_alloc(pool, cap * sizeof(*v));
		if (files->n > 0)
			memcpy(v, files->v, files->n * sizeof(*v));
		files->v = v;
		files->cap = cap;
	}
	files->v[files->n++] = *f;
}

/*
 * Parse the part starting at *pos (just after its opening delimiter's
 * CRLF) and leave *pos just after the delimiter that closes it.
 */
static int
mp_part(struct pool *pool, const char *body, size_t len, size_t *pos,
    const struct mp_delim *d, struct http_kvs *fields,
    struct http_files *files)
{
	struct mp_part	 part;
	struct http_file f;
	const char	*eol, *end;
	char		*data;
	size_t		 i, n;

	memset(&part, 0, sizeof(part));
	i = *pos;
	for (;;) {
		if ((eol = memmem(body + i, len - i, "\r\n", 2)) == NULL)
			return -1;
		n = eol - (body + i);
		if (n == 0)
			break;
		if (mp_header(&part, body + i, n, d) == -1)
			return -1;
		i += n + 2;
	}
	i += 2;
	if (!part.has_disp)
		return -1;
	/*
	 * Data starting with the delimiter means a part whose blank line
	 * was followed by no CRLF: readers disagree on such input, so it
	 * is refused rather than read one way.
	 */
	if (len - i >= d->len - 2 && memcmp(body + i, d->pat + 2,
	    d->len - 2) == 0)
		return -1;
	if ((end = memmem(body + i, len - i, d->pat, d->len)) == NULL)
		return -1;
	n = end - (body + i);
	if (part.filename != NULL && files->n >= HTTP_MAX_FILES) {
		/* Counted, not kept: the form answers why (422). */
		files->over++;
	} else if (part.filename != NULL) {
		/* Files are binary: copy as they are, NUL-terminated. */
		data = pool_alloc(pool, n + 1);
		memcpy(data, body + i, n);
		data[n] = '\0';
		f.field = pool_strndup(pool, part.name, part.namelen);
		f.filename = filename_decode(pool, part.filename,
		    part.filenamelen);
		f.type = part.type != NULL ?
		    pool_strndup(pool, part.type, part.typelen) :
		    pool_strndup(pool, "", 0);
		f.data = data;
		f.len = n;
		files_add(pool, files, &f);
	} else {
		if (fields->n >= HTTP_MAX_FIELDS)
			return -1;
		if (!http_utf8_valid(body + i, n))
			return -1;
		http_kv_add(pool, fields,
		    pool_strndup(pool, part.name, part.namelen),
		    pool_strndup(pool, body + i, n), n);
	}
	*pos = end - body + d->len;
	return 0;
}

int
http_parse_multipart(struct pool *pool, const char *content_type,
    const char *body, size_t len, struct http_kvs *fields,
    struct http_files *files)
{
	struct mp_delim	 d;
	const char	*p;
	size_t		 pos, nfields, nfiles;

	if (mp_boundary(content_type, &d) == -1)
		return -1;
	if (body == NULL)
		return -1;
	nfields = fields->n;
	nfiles = files->n;

	/* The first delimiter opens the body or ends a preamble line. */
	if (len >= d.len - 2 && memcmp(body, d.pat + 2, d.len - 2) == 0)
		pos = d.len - 2;
	else if ((p = memmem(body, len, d.pat, d.len)) != NULL)
		pos = p - body + d.len;
	else
		goto fail;

	for (;;) {
		/* After the close delimiter comes an epilogue we ignore. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			return 0;
		/* Transport padding, then the CRLF that ends the line. */
		while (pos < len && is_ows(body[pos]))
			pos++;
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			goto fail;
		pos += 2;
		if (mp_part(pool, body, len, &pos, &d, fields, files) == -1)
			goto fail;
	}

fail:
	fields->n = nfields;
	files->n = nfiles;
	files->over = 0;
	return -1;
}

const char *
http_kv_get(const struct http_kvs *kvs, const char *key)
{
	size_t	 i;

	if (kvs == NULL || key == NULL)
		return NULL;
	for (i = 0; i < kvs->n; i++)
		if (strcmp(kvs->v[i].key, key) == 0)
			return kvs->v[i].val;
	return NULL;
}

void
http_kv_add(struct pool *pool, struct http_kvs *kvs, char *key, char *val,
    size_t len)
{
	struct http_kv	*v;
	size_t		 cap;

	/* The pool cannot resize, so a full array is moved to a new one. */
	if (kvs->n == kvs->cap) {
		cap = kvs->cap == 0 ? KVS_FIRST : kvs->cap * 2;
		v = pool_alloc(pool, cap * sizeof(*v));
		if (kvs->n > 0)
			memcpy(v, kvs->v, kvs->n * sizeof(*v));
		kvs->v = v;
		kvs->cap = cap;
	}
	kvs->v[kvs->n].key = key;
	kvs->v[kvs->n].val = val;
	kvs->v[kvs->n].len = len;
	kvs->n++;
}

size_t
http_file_count(const struct http_files *files, const char *field)
{
	size_t	 i, n = 0;

	if (files == NULL || field == NULL)
		return 0;
	for (i = 0; i < files->n; i++)
		if (strcmp(files->v[i].field, field) == 0 &&
		    (files->v[i].len > 0 || (files->v[i].filename != NULL &&
		    files->v[i].filename[0] != '\0')))
			n++;
	return n + (files->over > 0 ? 1 : 0);
}

const struct http_file *
http_file_get(const struct http_files *files, const char *field)
{
	size_t	 i;

	if (files == NULL || field == NULL)
		return NULL;
	for (i = 0; i < files->n; i++)
		if (strcmp(files->v[i].field, field) == 0)
			return &files->v[i];
	return NULL;
}
