/*
 * pager: keyset paging of an organization's lists (see pager.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"
#include "html.h"
#include "http.h"
#include "pager.h"
#include "pool.h"

int
pager_id(struct http_req *r, const char *name, const char **out)
{
	const char	*v = http_query(r, name);
	size_t		 n;

	*out = NULL;
	if (v == NULL || v[0] == '\0')
		return 0;
	/* A row's id: 1 to 18 digits, no sign, no leading zero. */
	n = strlen(v);
	if (n > 18 || strspn(v, "0123456789") != n || v[0] == '0')
		return HTTP_BAD_REQUEST;
	*out = v;
	return 0;
}

/* Whether s is one row's id: 1 to 18 digits, no leading zero. */
static int
pager_is_id(const char *s, size_t n)
{
	return n >= 1 && n <= 18 && s[0] != '0' &&
	    strspn(s, "0123456789") >= n;
}

int
pager_read(struct http_req *r, struct pager *p, const char *path)
{
	const char	*v, *s;
	size_t		 n, k = 0;
	int		 rc;

	p->path = path;
	p->back = NULL;
	if ((rc = pager_id(r, "after", &p->after)) != 0)
		return rc;
	if ((v = http_query(r, "back")) == NULL || v[0] == '\0')
		return 0;
	if (p->after == NULL)
		return HTTP_BAD_REQUEST;
	for (s = v; ; s += n + 1) {
		n = strcspn(s, ".");
		if (!pager_is_id(s, n) || ++k > PAGER_TRAIL)
			return HTTP_BAD_REQUEST;
		if (s[n] == '\0')
			break;
	}
	p->back = v;
	return 0;
}

const char *
pager_path(struct http_req *r, const char *path, ...)
{
	va_list		 ap;
	const char	*name, *value, *out = path;
	int		 first = strchr(path, '?') == NULL;

	va_start(ap, path);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (value == NULL || value[0] == '\0')
			continue;
		out = pool_printf(r->pool, "%s%c%s=%s", out, first ? '?' : '&',
		    name, http_urlencode(r->pool, value));
		first = 0;
	}
	va_end(ap);
	return out;
}

const char *
pager_number(struct http_req *r, long long n)
{
	char		 digits[32], out[64];
	size_t		 len, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n);
	len = strlen(digits);
	if (n < 0)
		out[o++] = '-';
	for (i = 0; i < len; i++) {
		/* U+00A0 between groups of three: «3 000», never broken. */
		if (i > 0 && (len - i) % 3 == 0) {
			out[o++] = '\xc2';
			out[o++] = '\xa0';
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return pool_strdup(r->pool, out);
}

/* How many ids trail joins. */
static size_t
pager_count(const char *trail)
{
	size_t	 k = 1;

	for (; *trail != '\0'; trail++)
		k += *trail == '.';
	return k;
}

int
pager_ctx(struct http_req *r, struct html_ctx *c, const struct pager *p,
    const struct pg_result *res, const char *idcol, const char *one,
    const char *few, const char *many)
{
	long long	 total = 0;
	int		 n = PQntuples(res);
	const char	*sep = strchr(p->path, '?') == NULL ? "?" : "&";

	if (n > 0 && db_isnull(res, 0, idcol))
		n = 0;
	/* A list without its total (one) says nothing of it. */
	if (one != NULL) {
		if (PQntuples(res) > 0)
			total = db_getll(res, 0, "total");
		html_set_str(c, "pager_total", pool_printf(r->pool,
		    "Всего %s %s", pager_number(r, total),
		    ru_plural(total, one, few, many)));
	}
	if (p->after != NULL)
		html_set_str(c, "pager_first", p->path);
	/* Back: the last cursor passed, with those before it. */
	if (p->back != NULL) {
		const char	*last = strrchr(p->back, '.');

		html_set_str(c, "pager_prev", last == NULL ?
		    pool_printf(r->pool, "%s%safter=%s", p->path, sep,
		    p->back) : pool_printf(r->pool, "%s%safter=%s&back=%.*s",
		    p->path, sep, last + 1, (int)(last - p->back), p->back));
	}
	if (n > PAGER_SIZE) {
		const char	*trail = NULL;

		n = PAGER_SIZE;
		/* Forward: this page's cursor joins the trail, the oldest
		 * dropped past PAGER_TRAIL. */
		if (p->after != NULL) {
			trail = p->back == NULL ? p->after :
			    pool_printf(r->pool, "%s.%s", p->back, p->after);
			if (pager_count(trail) > PAGER_TRAIL)
				trail = strchr(trail, '.') + 1;
		}
		html_set_str(c, "pager_next", trail == NULL ?
		    pool_printf(r->pool, "%s%safter=%s", p->path, sep,
		    db_get(res, n - 1, idcol)) : pool_printf(r->pool,
		    "%s%safter=%s&back=%s", p->path, sep, db_get(res, n - 1,
		    idcol), trail));
	}
	html_set_bool(c, "pager", p->after != NULL ||
	    PQntuples(res) > PAGER_SIZE);
	return n;
}
