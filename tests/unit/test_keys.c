/*
 * The template keys lint.  A template name that no code sets renders
 * nothing, and so does a key set under a name no template reads: a typo
 * on either side shows no error anywhere.  So every name a template
 * reads ({{x}}, {{raw x}}, sections, plural, gender: html_set_walk) must
 * be set by some code in cgi-bin/ (a program may be a folder) or lib/,
 * every key the code sets must be read by a template (or by the code,
 * html_get_str), every template the code renders must exist and every
 * template must be rendered or included by another.
 *
 * The code is read as C tokens.  A key is the second argument of
 * html_set_str, _ref, _strf, _int, _bool, html_list_add, html_list_init and
 * html_get_str; a template name the second argument of html_render.  An
 * argument that is not a string literal is followed to what makes it:
 *  - c ? a : b              each branch;
 *  - pool_printf(p, "%s_error", x)   the format over each value of x;
 *  - a parameter            that argument of every call of the function
 *                           (app_page's template, app_confirm's...);
 *  - va_arg(...)            the variadic arguments of every call
 *                           (app_set_cols's column names);
 *  - a local variable       the right-hand side of each assignment;
 *  - t[i].m, t[i], t->m     the first string literal of each element of
 *                           the array t's initializer (the names of a
 *                           valid_field table, so app_form's NAME and
 *                           NAME_error; a list of column names); t is
 *                           followed the same way when it is a parameter;
 *  - a macro                its body.
 * What cannot be followed is marked in the function that holds it, by a
 * comment "html keys: a b." (the keys it sets) or "html keys: columns of
 * q_x." (each column of the SELECT of statement q_x, or of every
 * statement an array q_x names: a row copied whole, whose columns a
 * template may leave unread).  A key the lint cannot follow and no mark
 * covers fails, and so does a mark that covers nothing.  A form field
 * that its page shows some other way (a password never, a chosen option
 * as selected) is named anywhere in its file by "html keys unread: x.":
 * then a template that reads x fails.  Keys are one namespace: a key
 * counts as read when any template reads it.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "html.h"
#include "pool.h"

#define LINT_MAXPARAM	16
#define LINT_MAXARG	64
#define LINT_DEPTH	12	/* how far a key is followed */

enum tok_type { T_ID, T_STR, T_NUM, T_CHR, T_PUNCT };

struct tok {
	enum tok_type	 type;
	int		 line;
	const char	*s;
};

struct toks {
	struct tok	*t;
	size_t		 n, cap;
};

struct src {
	const char	*path;		/* "cgi-bin/chat.c" */
	struct toks	 k;
};

struct macro {
	const struct src *src;
	const char	*name;
	int		 funclike;
	struct toks	 k;
};

/* A comment "html keys: ...". */
struct mark {
	struct src	*src;
	int		 line;
	size_t		 at;		/* the token after it */
	const char	*text;		/* what follows "html keys:" */
	int		 used;
	int		 owned;		/* in or above a function */
	int		 unread;	/* "html keys unread:" */
};

struct fn {
	struct src	*src;
	const char	*name;
	int		 is_static;
	size_t		 head;		/* declared from here */
	size_t		 lb, rb;	/* the braces of its body */
	const char	*param[LINT_MAXPARAM];
	int		 nparam;
	struct mark	*mark;
};

/* A key (or template name) and the literal it came from. */
struct val {
	const char	*s;
	const char	*where;		/* "path:line" */
	int		 offered;	/* a row's column: may go unread */
};

struct vals {
	struct val	*v;
	size_t		 n, cap;
};

struct lint {
	struct pool	*pool;
	struct src	**src;
	size_t		 nsrc;
	struct macro	*mac;
	size_t		 nmac, capmac;
	struct fn	*fn;
	size_t		 nfn, capfn;
	struct mark	*mark;
	size_t		 nmark, capmark;
	struct vals	 sets;		/* keys the code sets */
	struct vals	 gets;		/* keys the code reads back */
	struct vals	 renders;	/* templates the code renders */
	struct vals	 reads;		/* keys the templates read */
	struct vals	 tmpls;		/* the templates */
	struct vals	 partials;	/* templates included by others */
	struct buf	*report;
	int		 problems;
	char		 why[512];	/* why a key was not followed */
};

/* The calls whose second argument is a key or a template name. */
enum use { USE_SET, USE_GET, USE_RENDER };
static const struct {
	const char	*name;
	enum use	 use;
} prims[] = {
	{ "html_set_str", USE_SET },
	{ "html_set_ref", USE_SET },
	{ "html_set_strf", USE_SET },
	{ "html_set_int", USE_SET },
	{ "html_set_bool", USE_SET },
	{ "html_list_add", USE_SET },
	{ "html_list_init", USE_SET },
	{ "html_get_str", USE_GET },
	{ "html_render", USE_RENDER },
};
#define NPRIMS	(sizeof(prims) / sizeof(prims[0]))

static int resolve(struct lint *, struct src *, struct fn *,
    const struct tok *, size_t, size_t, int, struct vals *, int);

static void *
grow(struct lint *l, void *p, size_t n, size_t *cap, size_t size)
{
	void	*q;

	if (n < *cap)
		return p;
	*cap = *cap == 0 ? 64 : *cap * 2;
	q = pool_alloc(l->pool, *cap * size);
	if (n > 0)
		memcpy(q, p, n * size);
	return q;
}

static void
problem(struct lint *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct lint *l, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	buf_puts(l->report, pool_vprintf(l->pool, fmt, ap));
	va_end(ap);
	buf_putc(l->report, '\n');
	l->problems++;
}

/* Note why following a key failed; the innermost reason is kept. */
static int
lfail(struct lint *l, const struct src *s, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
lfail(struct lint *l, const struct src *s, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (l->why[0] != '\0')
		return -1;
	n = snprintf(l->why, sizeof(l->why), "%s:%d: ", s->path, line);
	if (n < 0 || (size_t)n >= sizeof(l->why))
		return -1;
	va_start(ap, fmt);
	vsnprintf(l->why + n, sizeof(l->why) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void
vals_add(struct lint *l, struct vals *v, const char *s, const char *where,
    int offered)
{
	v->v = grow(l, v->v, v->n, &v->cap, sizeof(*v->v));
	v->v[v->n].s = s;
	v->v[v->n].where = where;
	v->v[v->n].offered = offered;
	v->n++;
}

static const struct val *
vals_find(const struct vals *v, const char *s)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i].s, s) == 0)
			return &v->v[i];
	return NULL;
}

static const char *
where(struct lint *l, const struct src *s, int line)
{
	return pool_printf(l->pool, "%s:%d", s->path, line);
}

/* Tokens. */

static void
tok_add(struct lint *l, struct toks *k, enum tok_type type, int line,
    const char *s, size_t len)
{
	k->t = grow(l, k->t, k->n, &k->cap, sizeof(*k->t));
	k->t[k->n].type = type;
	k->t[k->n].line = line;
	k->t[k->n].s = pool_strndup(l->pool, s, len);
	k->n++;
}

static int
is(const struct tok *t, const char *s)
{
	return (t->type == T_PUNCT || t->type == T_ID) && strcmp(t->s, s) == 0;
}

/* The index of the bracket closing the one at i, or k->n. */
static size_t
match(const struct toks *k, size_t i)
{
	int	 depth = 0;

	for (; i < k->n; i++) {
		if (k->t[i].type != T_PUNCT)
			continue;
		if (strchr("([{", k->t[i].s[0]) != NULL && k->t[i].s[1] == '\0')
			depth++;
		else if (strchr(")]}", k->t[i].s[0]) != NULL &&
		    k->t[i].s[1] == '\0' && --depth == 0)
			return i;
	}
	return k->n;
}

static int
is_word(int c)
{
	return isalnum(c) || c == '_';
}

/* A "html keys:" mark in the comment a..e, if any. */
static void
mark_scan(struct lint *l, struct src *s, const char *a, const char *e,
    int line, size_t at)
{
	const char	*p, *q;
	char		*text, *c;
	int		 unread = 0;

	for (p = a; p + 10 <= e; p++)
		if (memcmp(p, "html keys:", 10) == 0 ||
		    (p + 17 <= e && memcmp(p, "html keys unread:", 17) == 0))
			break;
	if (p + 10 > e)
		return;
	for (q = a; q < p; q++)
		line += *q == '\n';
	if (p[9] != ':') {
		unread = 1;
		p += 7;
	}
	p += 10;
	/* Names, spaces and commas, up to anything else ('.', ')'). */
	for (q = p; q < e && (is_word((unsigned char)*q) ||
	    strchr(" \t\n*,", *q) != NULL); q++)
		;
	text = pool_strndup(l->pool, p, (size_t)(q - p));
	for (c = text; *c != '\0'; c++)
		if (*c == '*' || *c == '\n' || *c == '\t' || *c == ',')
			*c = ' ';
	l->mark = grow(l, l->mark, l->nmark, &l->capmark, sizeof(*l->mark));
	l->mark[l->nmark].src = s;
	l->mark[l->nmark].line = line;
	l->mark[l->nmark].at = at;
	l->mark[l->nmark].text = text;
	l->mark[l->nmark].used = 0;
	l->mark[l->nmark].owned = 0;
	l->mark[l->nmark].unread = unread;
	l->nmark++;
}

static void lex(struct lint *, struct src *, const char *, int,
    struct toks *, int);

/* A preprocessor line from p (after '#'): a #define is kept as a macro.
 * Returns the end of the line; *line counts what it spans. */
static const char *
directive(struct lint *l, struct src *s, const char *p, int *line)
{
	struct buf	 b;
	const char	*q, *name;
	struct macro	*m;
	int		 first = *line;
	size_t		 len, i;

	buf_init(&b);
	while (*p != '\0' && *p != '\n') {
		if (p[0] == '\\' && p[1] == '\n') {
			buf_putc(&b, ' ');
			(*line)++;
			p += 2;
		} else if (p[0] == '/' && p[1] == '*') {
			if ((q = strstr(p + 2, "*/")) == NULL)
				q = p + strlen(p) - 2;
			for (; p < q + 2; p++)
				*line += *p == '\n';
			buf_putc(&b, ' ');
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p != '\0' && *p != '\n')
				p++;
		} else
			buf_putc(&b, *p++);
	}
	buf_putc(&b, '\0');
	q = b.data;
	while (*q == ' ' || *q == '\t')
		q++;
	if (strncmp(q, "define", 6) == 0 && isspace((unsigned char)q[6])) {
		q += 6;
		while (isspace((unsigned char)*q))
			q++;
		name = q;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		len = (size_t)(q - name);
		l->mac = grow(l, l->mac, l->nmac, &l->capmac, sizeof(*l->mac));
		m = &l->mac[l->nmac++];
		memset(m, 0, sizeof(*m));
		m->src = s;
		m->name = pool_strndup(l->pool, name, len);
		if (*q == '(') {
			m->funclike = 1;
			while (*q != '\0' && *q != ')')
				q++;
			if (*q == ')')
				q++;
		}
		lex(l, s, q, first, &m->k, 0);
		/* A macro that sets keys would be read by nobody here. */
		for (i = 0; i < m->k.n; i++)
			if (m->k.t[i].type == T_ID &&
			    strncmp(m->k.t[i].s, "html_", 5) == 0 &&
			    strcmp(m->k.t[i].s, "html_escape") != 0)
				problem(l, "%s:%d: macro %s calls %s: call "
				    "it from a function, where keys are read",
				    s->path, first, m->name, m->k.t[i].s);
	}
	buf_free(&b);
	return p;
}

static const char *const puncts[] = { "...", "->", "==", "!=", "<=", ">=",
    "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=",
    "<<", ">>" };

/* Tokens of text p into k; top: a file (directives, marks) rather than
 * a macro's body. */
static void
lex(struct lint *l, struct src *s, const char *p, int line, struct toks *k,
    int top)
{
	struct buf	 str;
	const char	*q;
	size_t		 i, len;
	int		 bol = 1;

	buf_init(&str);
	while (*p != '\0') {
		if (*p == '\n') {
			line++;
			bol = 1;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*') {
			if ((q = strstr(p + 2, "*/")) == NULL)
				q = p + strlen(p) - 2;
			if (top)
				mark_scan(l, s, p + 2, q, line, k->n);
			for (; p < q + 2; p++)
				line += *p == '\n';
			continue;
		}
		if (p[0] == '/' && p[1] == '/') {
			q = p + strcspn(p, "\n");
			if (top)
				mark_scan(l, s, p + 2, q, line, k->n);
			p = q;
			continue;
		}
		if (*p == '#' && bol && top) {
			p = directive(l, s, p + 1, &line);
			continue;
		}
		bol = 0;
		if (*p == '"') {
			/* Adjacent literals are one string, as in C. */
			buf_reset(&str);
			if (k->n > 0 && k->t[k->n - 1].type == T_STR) {
				buf_puts(&str, k->t[k->n - 1].s);
				k->n--;
			}
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0') {
					p++;
					buf_putc(&str, *p == 'n' ? '\n' :
					    *p == 't' ? '\t' : *p);
				} else {
					line += *p == '\n';
					buf_putc(&str, *p);
				}
			}
			if (*p == '"')
				p++;
			buf_putc(&str, '\0');
			tok_add(l, k, T_STR, line, str.data, strlen(str.data));
			continue;
		}
		if (*p == '\'') {
			for (q = p + 1; *q != '\0' && *q != '\''; q++)
				if (*q == '\\' && q[1] != '\0')
					q++;
			if (*q == '\'')
				q++;
			tok_add(l, k, T_CHR, line, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (isalpha((unsigned char)*p) || *p == '_') {
			for (q = p; isalnum((unsigned char)*q) || *q == '_';
			    q++)
				;
			tok_add(l, k, T_ID, line, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			for (q = p; isalnum((unsigned char)*q) || *q == '.';
			    q++)
				;
			tok_add(l, k, T_NUM, line, p, (size_t)(q - p));
			p = q;
			continue;
		}
		len = 1;
		for (i = 0; i < sizeof(puncts) / sizeof(puncts[0]); i++)
			if (strncmp(p, puncts[i], strlen(puncts[i])) == 0) {
				len = strlen(puncts[i]);
				break;
			}
		tok_add(l, k, T_PUNCT, line, p, len);
		p += len;
	}
	buf_free(&str);
}

/* Functions. */

/* The parameter names of a declaration's list a..b (the parentheses
 * excluded): "const char *key" is key, "void (*fn)(int)" is fn. */
static void
params(struct fn *f, const struct toks *k, size_t a, size_t b)
{
	size_t		 i, start = a;
	const char	*name;
	int		 depth = 0;

	for (i = a; i <= b; i++) {
		if (i < b && (is(&k->t[i], "(") || is(&k->t[i], "[")))
			depth++;
		else if (i < b && (is(&k->t[i], ")") || is(&k->t[i], "]")))
			depth--;
		if (i < b && !(depth == 0 && is(&k->t[i], ",")))
			continue;
		name = NULL;
		if (start + 1 < i && is(&k->t[start + 1], "(") &&
		    is(&k->t[start + 2], "*"))
			name = k->t[start + 3].s;
		else {
			for (; start < i && !is(&k->t[start], "["); start++)
				if (k->t[start].type == T_ID)
					name = k->t[start].s;
		}
		if (name != NULL && strcmp(name, "void") != 0 &&
		    f->nparam < LINT_MAXPARAM)
			f->param[f->nparam++] = name;
		start = i + 1;
	}
}

static void
find_fns(struct lint *l, struct src *s)
{
	const struct toks	*k = &s->k;
	struct fn		*f;
	size_t			 i, j, m, head = 0;
	int			 depth = 0;

	for (i = 0; i < k->n; i++) {
		if (is(&k->t[i], "{"))
			depth++;
		else if (is(&k->t[i], "}")) {
			if (--depth == 0)
				head = i + 1;
		} else if (depth == 0 && is(&k->t[i], ";"))
			head = i + 1;
		else if (depth == 0 && k->t[i].type == T_ID &&
		    i + 1 < k->n && is(&k->t[i + 1], "(")) {
			j = match(k, i + 1);
			if (j + 1 >= k->n || !is(&k->t[j + 1], "{")) {
				i = j;
				continue;
			}
			l->fn = grow(l, l->fn, l->nfn, &l->capfn,
			    sizeof(*l->fn));
			f = &l->fn[l->nfn++];
			memset(f, 0, sizeof(*f));
			f->src = s;
			f->name = k->t[i].s;
			f->head = head;
			f->lb = j + 1;
			f->rb = match(k, j + 1);
			for (m = head; m < i; m++)
				if (is(&k->t[m], "static"))
					f->is_static = 1;
			params(f, k, i + 2, j);
			i = f->rb;
			head = i + 1;
		}
	}
}

/* The function whose body holds token i of s, or NULL. */
static struct fn *
fn_at(struct lint *l, const struct src *s, size_t i)
{
	size_t	 j;

	for (j = 0; j < l->nfn; j++)
		if (l->fn[j].src == s && l->fn[j].lb < i && i < l->fn[j].rb)
			return &l->fn[j];
	return NULL;
}

/* Split the arguments of the call whose '(' is at lp: their count. */
static int
args(const struct toks *k, size_t lp, size_t *st, size_t *en)
{
	size_t	 i, rp = match(k, lp), start = lp + 1;
	int	 n = 0, depth = 0;

	if (rp == lp + 1)
		return 0;
	for (i = lp + 1; i <= rp && n < LINT_MAXARG; i++) {
		if (i < rp && strchr("([{", k->t[i].s[0]) != NULL &&
		    k->t[i].type == T_PUNCT && k->t[i].s[1] == '\0')
			depth++;
		else if (i < rp && strchr(")]}", k->t[i].s[0]) != NULL &&
		    k->t[i].type == T_PUNCT && k->t[i].s[1] == '\0')
			depth--;
		else if (i == rp || (depth == 0 && is(&k->t[i], ","))) {
			st[n] = start;
			en[n] = i;
			n++;
			start = i + 1;
		}
	}
	return n;
}

/* Is token i of k a call of a function (not a member, not a
 * declaration)? */
static int
is_call(const struct toks *k, size_t i, const char *name)
{
	return k->t[i].type == T_ID && strcmp(k->t[i].s, name) == 0 &&
	    i + 1 < k->n && is(&k->t[i + 1], "(") && (i == 0 ||
	    (!is(&k->t[i - 1], ".") && !is(&k->t[i - 1], "->")));
}

static const struct macro *
find_macro(const struct lint *l, const struct src *s, const char *name)
{
	const struct macro	*any = NULL;
	size_t			 i;

	for (i = 0; i < l->nmac; i++)
		if (strcmp(l->mac[i].name, name) == 0) {
			if (l->mac[i].src == s)
				return &l->mac[i];
			if (any == NULL)
				any = &l->mac[i];
		}
	return any;
}

/* Following keys. */

static char *
expr_text(struct lint *l, const struct tok *t, size_t a, size_t b)
{
	struct buf	 out;
	char		*s;

	buf_init(&out);
	for (; a < b && out.len < 60; a++) {
		if (out.len > 0)
			buf_putc(&out, ' ');
		if (t[a].type == T_STR)
			buf_printf(&out, "\"%s\"", t[a].s);
		else
			buf_puts(&out, t[a].s);
	}
	buf_putc(&out, '\0');
	s = pool_strdup(l->pool, out.data);
	buf_free(&out);
	return s;
}

/* The keys a mark names into out. */
static int mark_columns(struct lint *, struct mark *, struct fn *,
    struct vals *);

static int
mark_keys(struct lint *l, struct fn *f, struct vals *out)
{
	struct mark	*m = f->mark;
	const char	*p = m->text, *q;

	m->used = 1;
	while (*p == ' ')
		p++;
	if (strncmp(p, "columns of ", 11) == 0)
		return mark_columns(l, m, f, out);
	while (*p != '\0') {
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		vals_add(l, out, pool_strndup(l->pool, p, (size_t)(q - p)),
		    where(l, m->src, m->line), 0);
		for (p = q; *p == ' '; p++)
			;
	}
	return 0;
}

/*
 * A key at a call: followed, or else named by the mark of the function
 * that holds the call.
 */
static int
resolve_site(struct lint *l, struct src *s, struct fn *f, const struct tok *t,
    size_t a, size_t b, int arr, struct vals *out, int depth)
{
	size_t	 n0 = out->n;

	if (resolve(l, s, f, t, a, b, arr, out, depth) == 0)
		return 0;
	if (arr || f == NULL || f->mark == NULL)
		return -1;
	out->n = n0;
	l->why[0] = '\0';
	return mark_keys(l, f, out);
}

static int
has_static(const struct lint *l, const struct src *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->nfn; i++)
		if (l->fn[i].src == s && l->fn[i].is_static &&
		    strcmp(l->fn[i].name, name) == 0)
			return 1;
	return 0;
}

/* The argument k (or, k < 0, the variadic ones) of every call of f. */
static int
from_callers(struct lint *l, struct fn *f, int k, int arr, struct vals *out,
    int depth)
{
	size_t	 st[LINT_MAXARG], en[LINT_MAXARG], i, j;
	int	 n, m, calls = 0;
	struct fn *g;

	for (j = 0; j < l->nsrc; j++) {
		/* A static function of the same name is another one. */
		if (l->src[j] != f->src && (f->is_static ||
		    has_static(l, l->src[j], f->name)))
			continue;
		for (i = 0; i < l->src[j]->k.n; i++) {
			if (!is_call(&l->src[j]->k, i, f->name) ||
			    (g = fn_at(l, l->src[j], i)) == NULL)
				continue;
			calls++;
			n = args(&l->src[j]->k, i + 1, st, en);
			if (k >= n)
				return lfail(l, l->src[j],
				    l->src[j]->k.t[i].line,
				    "%s() has no argument %d", f->name, k + 1);
			for (m = k < 0 ? f->nparam : k; m < n; m++) {
				if (resolve_site(l, l->src[j], g,
				    l->src[j]->k.t, st[m], en[m], arr, out,
				    depth + 1) == -1)
					return -1;
				if (k >= 0)
					break;
			}
		}
	}
	if (calls == 0)
		return lfail(l, f->src, f->src->k.t[f->lb].line, "no call of "
		    "%s() to follow its parameter to", f->name);
	return 0;
}

/*
 * The definition "name ... = {" in f's body, else at the top level of s,
 * else of any file: the index of its '{' in *ds, or 0.
 */
static size_t
find_def(struct lint *l, struct src *s, struct fn *f, const char *name,
    struct src **ds)
{
	const struct toks	*k;
	size_t			 i, j, from, to, pass;

	for (pass = 0; pass < 2 + l->nsrc; pass++) {
		if (pass == 0 && f == NULL)
			continue;
		*ds = pass < 2 ? s : l->src[pass - 2];
		k = &(*ds)->k;
		from = pass == 0 ? f->lb : 0;
		to = pass == 0 ? f->rb : k->n;
		for (i = from; i < to; i++) {
			if (k->t[i].type != T_ID || strcmp(k->t[i].s, name) ||
			    (i > 0 && (is(&k->t[i - 1], ".") ||
			    is(&k->t[i - 1], "->"))))
				continue;
			if (pass > 0 && fn_at(l, *ds, i) != NULL)
				continue;
			for (j = i + 1; j < k->n && is(&k->t[j], "[");)
				j = match(k, j) + 1;
			if (j + 1 < k->n && is(&k->t[j], "=") &&
			    is(&k->t[j + 1], "{"))
				return j + 1;
		}
	}
	return 0;
}

/* The tokens a..b of k with object-like macros expanded, into out. */
static void
expand(struct lint *l, const struct src *s, const struct tok *t, size_t a,
    size_t b, struct toks *out, int depth)
{
	const struct macro	*m;

	for (; a < b; a++) {
		if (t[a].type == T_ID && depth < 4 &&
		    (m = find_macro(l, s, t[a].s)) != NULL && !m->funclike) {
			expand(l, m->src, m->k.t, 0, m->k.n, out, depth + 1);
			continue;
		}
		out->t = grow(l, out->t, out->n, &out->cap, sizeof(*out->t));
		out->t[out->n++] = t[a];
	}
}

/* The first string literal of each element of the initializer at lb. */
static int
elements(struct lint *l, struct src *ds, size_t lb, struct vals *out)
{
	struct toks	 e = { NULL, 0, 0 };
	size_t		 i, start, end;
	int		 depth = 0, found;

	expand(l, ds, ds->k.t, lb + 1, match(&ds->k, lb), &e, 0);
	for (start = i = 0; i <= e.n; i++) {
		if (i < e.n && e.t[i].type == T_PUNCT && e.t[i].s[1] == '\0' &&
		    strchr("([{", e.t[i].s[0]) != NULL)
			depth++;
		else if (i < e.n && e.t[i].type == T_PUNCT &&
		    e.t[i].s[1] == '\0' && strchr(")]}", e.t[i].s[0]) != NULL)
			depth--;
		if (i < e.n && !(depth == 0 && is(&e.t[i], ",")))
			continue;
		end = i;
		found = 0;
		for (; start < end && !found; start++)
			if (e.t[start].type == T_STR) {
				vals_add(l, out, e.t[start].s, where(l, ds,
				    e.t[start].line), 0);
				found = 1;
			}
		if (!found && end > start)
			return lfail(l, ds, e.t[end - 1].line, "an element "
			    "of the initializer has no string");
		start = i + 1;
	}
	return 0;
}

/* The right-hand sides of "name = ..." in f's body; -2 if none. */
static int
assignments(struct lint *l, struct src *s, struct fn *f, const char *name,
    int arr, struct vals *out, int depth)
{
	const struct toks	*k = &s->k;
	size_t			 i, j;
	int			 found = 0, d;

	for (i = f->lb; i < f->rb; i++) {
		if (k->t[i].type != T_ID || strcmp(k->t[i].s, name) != 0 ||
		    i + 2 >= k->n ||
		    !is(&k->t[i + 1], "=") || is(&k->t[i + 2], "{") ||
		    is(&k->t[i - 1], ".") || is(&k->t[i - 1], "->"))
			continue;
		for (d = 0, j = i + 2; j < f->rb; j++) {
			if (k->t[j].type == T_PUNCT && k->t[j].s[1] == '\0' &&
			    strchr("([{", k->t[j].s[0]) != NULL)
				d++;
			else if (k->t[j].type == T_PUNCT &&
			    k->t[j].s[1] == '\0' &&
			    strchr(")]}", k->t[j].s[0]) != NULL) {
				if (--d < 0)
					break;
			} else if (d == 0 && (is(&k->t[j], ";") ||
			    is(&k->t[j], ",")))
				break;
		}
		found = 1;
		if (resolve(l, s, f, k->t, i + 2, j, arr, out, depth + 1) == -1)
			return -1;
	}
	return found ? 0 : -2;
}

/*
 * Follow the expression t[a..b) of s (in function f) to the keys it can
 * be (arr 0), or to the first strings of the elements of the array it
 * names (arr 1), into out: 0, or -1 with the reason in l->why.
 */
static int
resolve(struct lint *l, struct src *s, struct fn *f, const struct tok *t,
    size_t a, size_t b, int arr, struct vals *out, int depth)
{
	const struct macro	*m;
	struct toks		 whole;
	struct vals		 inner = { NULL, 0, 0 };
	struct src		*ds;
	size_t			 i, q = 0, c = 0, st[LINT_MAXARG],
				 en[LINT_MAXARG], lb;
	const char		*fmt, *pct;
	int			 d, n, nq, rc;

	whole.t = (struct tok *)(uintptr_t)t;
	whole.n = whole.cap = b;
	if (a >= b)
		return lfail(l, s, a > 0 ? t[a - 1].line : 0, "an empty "
		    "expression");
	if (depth > LINT_DEPTH)
		return lfail(l, s, t[a].line, "too deep to follow");
	while (is(&t[a], "(") && match(&whole, a) == b - 1) {
		a++;
		b--;
	}
	if (arr && is(&t[a], "&") && b - a > 1)
		a++;
	/* c ? x : y, each branch. */
	for (d = 0, nq = 0, i = a; i < b; i++) {
		if (t[i].type == T_PUNCT && t[i].s[1] == '\0' &&
		    strchr("([{", t[i].s[0]) != NULL)
			d++;
		else if (t[i].type == T_PUNCT && t[i].s[1] == '\0' &&
		    strchr(")]}", t[i].s[0]) != NULL)
			d--;
		else if (d == 0 && is(&t[i], "?")) {
			if (nq++ == 0)
				q = i;
		} else if (d == 0 && is(&t[i], ":") && nq > 0 && --nq == 0) {
			c = i;
			break;
		}
	}
	if (q > 0 && c > q)
		return resolve(l, s, f, t, q + 1, c, arr, out, depth + 1) ==
		    -1 ? -1 : resolve(l, s, f, t, c + 1, b, arr, out,
		    depth + 1);
	if (!arr && b - a == 1 && t[a].type == T_STR) {
		vals_add(l, out, t[a].s, where(l, s, t[a].line), 0);
		return 0;
	}
	if (b - a == 1 && is(&t[a], "NULL"))
		return 0;
	/* pool_printf(pool, "fmt %s", x): the format over each x. */
	if (!arr && b - a > 2 && is(&t[a], "pool_printf") &&
	    is(&t[a + 1], "(") &&
	    match(&whole, a + 1) == b - 1) {
		n = args(&whole, a + 1, st, en);
		if (n < 2 || en[1] - st[1] != 1 || t[st[1]].type != T_STR)
			return lfail(l, s, t[a].line, "pool_printf without a "
			    "literal format");
		fmt = t[st[1]].s;
		if ((pct = strchr(fmt, '%')) == NULL) {
			vals_add(l, out, fmt, where(l, s, t[a].line), 0);
			return 0;
		}
		if (pct[1] != 's' || strchr(pct + 2, '%') != NULL || n != 3)
			return lfail(l, s, t[a].line, "a key from \"%s\": only "
			    "one %%s is followed", fmt);
		if (resolve(l, s, f, t, st[2], en[2], 0, &inner,
		    depth + 1) == -1)
			return -1;
		for (i = 0; i < inner.n; i++)
			vals_add(l, out, pool_printf(l->pool, "%.*s%s%s",
			    (int)(pct - fmt), fmt, inner.v[i].s, pct + 2),
			    inner.v[i].where, inner.v[i].offered);
		return 0;
	}
	/* va_arg(ap, ...): what the callers pass for "...". */
	if (!arr && is(&t[a], "va_arg") && f != NULL)
		return from_callers(l, f, -1, 0, out, depth);
	/* t[i].m, t[i], t->m: the elements of the array t. */
	if (!arr && t[a].type == T_ID && b - a > 1) {
		for (i = a + 1; i < b && is(&t[i], "[");)
			i = match(&whole, i) + 1;
		if ((i == b && i > a + 1) || (i + 2 == b &&
		    (is(&t[i], ".") || is(&t[i], "->")) &&
		    t[i + 1].type == T_ID))
			return resolve(l, s, f, t, a, a + 1, 1, out, depth + 1);
	}
	if (b - a != 1 || t[a].type != T_ID)
		return lfail(l, s, t[a].line, "cannot follow `%s`",
		    expr_text(l, t, a, b));
	/* A name: a parameter, a variable, an array or a macro. */
	if (f != NULL)
		for (n = 0; n < f->nparam; n++)
			if (strcmp(f->param[n], t[a].s) == 0)
				return from_callers(l, f, n, arr, out, depth);
	if (f != NULL && t >= s->k.t && t < s->k.t + s->k.n &&
	    (rc = assignments(l, s, f, t[a].s, arr, out, depth)) != -2)
		return rc;
	if (arr && (lb = find_def(l, s, f, t[a].s, &ds)) != 0)
		return elements(l, ds, lb, out);
	if ((m = find_macro(l, s, t[a].s)) != NULL && !m->funclike)
		return resolve(l, (struct src *)(uintptr_t)m->src, f, m->k.t, 0,
		    m->k.n, arr, out, depth + 1);
	return lfail(l, s, t[a].line, "cannot follow `%s`", t[a].s);
}

/* Columns of a statement's SQL. */

/* The SQL of the db_stmt whose initializer is at lb: "x" for each macro
 * call (an expression, never a column's name). */
static int
stmt_sql(struct lint *l, struct src *ds, size_t lb, struct buf *sql)
{
	const struct toks	*k = &ds->k;
	const struct macro	*m;
	size_t			 st[LINT_MAXARG], en[LINT_MAXARG], i;
	int			 n;

	/* An initializer is not a call, but splits the same way. */
	n = args(k, lb, st, en);
	if (n < 2)
		return -1;
	for (i = st[1]; i < en[1]; i++) {
		if (k->t[i].type == T_STR)
			buf_puts(sql, k->t[i].s);
		else if (k->t[i].type == T_ID && i + 1 < en[1] &&
		    is(&k->t[i + 1], "(")) {
			buf_puts(sql, " x ");
			i = match(k, i + 1);
		} else if (k->t[i].type == T_ID &&
		    (m = find_macro(l, ds, k->t[i].s)) != NULL &&
		    m->k.n == 1 && m->k.t[0].type == T_STR)
			buf_puts(sql, m->k.t[0].s);
		else
			return -1;
	}
	buf_putc(sql, '\0');
	return 0;
}

static int
word_at(const char *p, const char *w)
{
	size_t	 n = strlen(w);

	return strncasecmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) &&
	    p[n] != '_';
}

/* The name of one item of a select list, a..e: its alias, or the
 * column it names; NULL if it has none. */
static char *
item_name(struct lint *l, const char *a, const char *e)
{
	const char	*p, *w;

	while (a < e && isspace((unsigned char)*a))
		a++;
	while (e > a && isspace((unsigned char)e[-1]))
		e--;
	for (w = e; w > a && is_word((unsigned char)w[-1]); w--)
		;
	if (w == e)
		return NULL;
	for (p = w; p > a && isspace((unsigned char)p[-1]); p--)
		;
	if (p - a >= 3 && p < w && strncasecmp(p - 2, "as", 2) == 0 &&
	    (p - 3 == a || !is_word((unsigned char)p[-3])))
		return pool_strndup(l->pool, w, (size_t)(e - w));
	for (p = a; p < e && (is_word((unsigned char)*p) || *p == '.'); p++)
		;
	if (p == e && !isdigit((unsigned char)*a))
		return pool_strndup(l->pool, w, (size_t)(e - w));
	return NULL;
}

/* The columns of the first top-level SELECT of sql into out. */
static int
sql_columns(struct lint *l, const struct src *ds, int line, const char *sql,
    struct vals *out)
{
	const char	*p, *item = NULL;
	char		*name;
	int		 depth = 0;

	for (p = sql; *p != '\0'; p++) {
		if (*p == '\'' || *p == '"') {
			char	 qc = *p;

			for (p++; *p != '\0' && *p != qc; p++)
				;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && (p == sql || !is_word((unsigned char)
		    p[-1])) && item == NULL && word_at(p, "select")) {
			p += 6;
			while (isspace((unsigned char)*p))
				p++;
			if (word_at(p, "distinct"))
				p += 8;
			item = p--;
		} else if (item != NULL && depth == 0 && (*p == ',' ||
		    (!is_word((unsigned char)p[-1]) && word_at(p, "from")))) {
			if ((name = item_name(l, item, p)) == NULL)
				return lfail(l, ds, line, "a column without a "
				    "name: %.40s", item);
			vals_add(l, out, name, where(l, ds, line), 1);
			if (*p != ',')
				return 0;
			item = p + 1;
		}
	}
	if (item != NULL && (name = item_name(l, item, p)) != NULL) {
		vals_add(l, out, name, where(l, ds, line), 1);
		return 0;
	}
	return lfail(l, ds, line, "no SELECT list to read");
}

/* "columns of x y": each a statement, or an array of statements. */
static int
mark_columns(struct lint *l, struct mark *m, struct fn *f, struct vals *out)
{
	const char	*p = strstr(m->text, "columns of ") + 11, *q;
	struct src	*ds, *ss;
	struct buf	 sql;
	size_t		 lb, i, slb, end;
	char		*name;
	int		 found;

	for (; *p == ' '; p++)
		;
	while (*p != '\0') {
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		name = pool_strndup(l->pool, p, (size_t)(q - p));
		for (p = q; *p == ' '; p++)
			;
		if ((lb = find_def(l, f->src, f, name, &ds)) == 0)
			return lfail(l, m->src, m->line, "no definition of %s",
			    name);
		buf_init(&sql);
		if (stmt_sql(l, ds, lb, &sql) == 0) {
			i = (size_t)sql_columns(l, ds, ds->k.t[lb].line,
			    sql.data, out);
			buf_free(&sql);
			if ((int)i == -1)
				return -1;
			continue;
		}
		buf_free(&sql);
		/* An array: the statements its elements name. */
		found = 0;
		end = match(&ds->k, lb);
		for (i = lb + 1; i < end; i++) {
			if (ds->k.t[i].type != T_ID ||
			    (slb = find_def(l, ds, NULL, ds->k.t[i].s,
			    &ss)) == 0)
				continue;
			buf_init(&sql);
			if (stmt_sql(l, ss, slb, &sql) == 0) {
				found++;
				if (sql_columns(l, ss, ss->k.t[slb].line,
				    sql.data, out) == -1) {
					buf_free(&sql);
					return -1;
				}
			}
			buf_free(&sql);
		}
		if (found == 0)
			return lfail(l, m->src, m->line, "%s is neither a "
			    "statement nor an array of statements", name);
	}
	return 0;
}

/* Reading the tree. */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .c and .h files under root/dir, recursively, sorted: paths
 * relative to root. */
static void
list_sources(struct lint *l, const char *root, const char *dir,
    char ***names, size_t *n, size_t *cap)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	const char	*path, *rel;
	size_t		 len;

	path = pool_printf(l->pool, "%s/%s", root, dir);
	if ((d = opendir(path)) == NULL) {
		problem(l, "%s: cannot read the folder", dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		rel = pool_printf(l->pool, "%s/%s", dir, de->d_name);
		if (stat(pool_printf(l->pool, "%s/%s", root, rel), &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			list_sources(l, root, rel, names, n, cap);
			continue;
		}
		len = strlen(de->d_name);
		if (!S_ISREG(st.st_mode) || len < 3 ||
		    (strcmp(de->d_name + len - 2, ".c") != 0 &&
		    strcmp(de->d_name + len - 2, ".h") != 0))
			continue;
		*names = grow(l, *names, *n, cap, sizeof(**names));
		(*names)[(*n)++] = (char *)(uintptr_t)rel;
	}
	closedir(d);
}

/* A whole file as a string from pool, or NULL. */
static char *
slurp_file(struct pool *pool, const char *path)
{
	FILE		*fp;
	struct buf	 b;
	char		 chunk[8192], *s;
	size_t		 n;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	buf_putc(&b, '\0');
	s = pool_strdup(pool, b.data);
	buf_free(&b);
	return s;
}

/* The keys and templates named at each call of prims[] in f. */
static void
scan_fn(struct lint *l, struct fn *f)
{
	const struct toks	*k = &f->src->k;
	struct vals		*into, got = { NULL, 0, 0 };
	size_t			 i, j, st[LINT_MAXARG], en[LINT_MAXARG];

	for (i = f->lb + 1; i < f->rb; i++) {
		if (k->t[i].type != T_ID)
			continue;
		for (j = 0; j < NPRIMS; j++)
			if (strcmp(k->t[i].s, prims[j].name) == 0)
				break;
		if (j == NPRIMS)
			continue;
		if (!is_call(k, i, prims[j].name)) {
			problem(l, "%s:%d: %s is not called: the lint "
			    "cannot see what it is given", f->src->path,
			    k->t[i].line, prims[j].name);
			continue;
		}
		into = prims[j].use == USE_SET ? &l->sets :
		    prims[j].use == USE_GET ? &l->gets : &l->renders;
		got.n = 0;
		l->why[0] = '\0';
		if (args(k, i + 1, st, en) < 2 || resolve_site(l, f->src, f,
		    k->t, st[1], en[1], 0, &got, 0) == -1) {
			problem(l, "%s:%d: cannot tell which %s %s() is given: "
			    "%s; name it with a comment \"html keys: ...\" "
			    "in %s()", f->src->path, k->t[i].line,
			    prims[j].use == USE_RENDER ? "template" : "key",
			    prims[j].name, l->why[0] != '\0' ? l->why :
			    "too few arguments", f->name);
			continue;
		}
		for (j = 0; j < got.n; j++)
			vals_add(l, into, got.v[j].s, got.v[j].where,
			    got.v[j].offered);
	}
}

static void
walk(void *arg, const char *tpl, const char *name, int partial, int line)
{
	struct lint	*l = arg;
	const char	*w;

	w = pool_printf(l->pool, "%s.html:%d", tpl, line);
	if (name == NULL)
		vals_add(l, &l->tmpls, pool_strdup(l->pool, tpl), w, 0);
	else
		vals_add(l, partial ? &l->partials : &l->reads,
		    pool_strdup(l->pool, name), w, 0);
}

static int
cmp_val(const void *a, const void *b)
{
	return strcmp(((const struct val *)a)->where,
	    ((const struct val *)b)->where);
}

static int
valid_key(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!is_word((unsigned char)*s))
			return 0;
	return 1;
}

/* Give an "html keys:" mark to the function it is in or above. */
static void
own_mark(struct lint *l, struct mark *m)
{
	struct fn	*f;
	size_t		 i;

	for (i = 0; i < l->nfn; i++) {
		f = &l->fn[i];
		if (f->src != m->src || m->at < f->head || m->at >= f->rb)
			continue;
		if (f->mark != NULL)
			problem(l, "%s:%d: a second \"html keys:\" in %s()",
			    m->src->path, m->line, f->name);
		else
			f->mark = m;
		m->owned = 1;
		return;
	}
}

/* Does mark m list key? */
static int
mark_lists(const struct mark *m, const char *key)
{
	const char	*p = m->text;
	size_t		 n = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if ((p == m->text || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

/* Is where ("path:line") in the file path? */
static int
in_file(const char *where, const char *path)
{
	size_t	 n = strlen(path);

	return strncmp(where, path, n) == 0 && where[n] == ':';
}

/* An "html keys unread:" mark of where's file that lists key. */
static struct mark *
unread_mark(struct lint *l, const char *key, const char *where)
{
	size_t	 i;

	for (i = 0; i < l->nmark; i++)
		if (l->mark[i].unread && in_file(where, l->mark[i].src->path) &&
		    mark_lists(&l->mark[i], key))
			return &l->mark[i];
	return NULL;
}

/* Each key of an "html keys unread:" mark is set in its file and read
 * by nothing. */
static void
unread_check(struct lint *l, const struct mark *m)
{
	const char		*p = m->text, *q, *key;
	const struct val	*v;
	size_t			 i;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		key = pool_strndup(l->pool, p, (size_t)(q - p));
		p = q;
		if ((v = vals_find(&l->reads, key)) != NULL ||
		    (v = vals_find(&l->gets, key)) != NULL) {
			problem(l, "%s:%d: \"%s\" is marked unread, but %s "
			    "reads it", m->src->path, m->line, key, v->where);
			continue;
		}
		for (i = 0; i < l->sets.n; i++)
			if (strcmp(l->sets.v[i].s, key) == 0 &&
			    in_file(l->sets.v[i].where, m->src->path))
				break;
		if (i == l->sets.n)
			problem(l, "%s:%d: \"%s\" is marked unread, but "
			    "nothing in this file sets it", m->src->path,
			    m->line, key);
	}
}

/*
 * Lint the templates of root/tpldir against the code of root/dirs (NULL
 * ended): the number of problems, each a line of report.
 */
static int
keys_lint(const char *root, const char *tpldir, const char *const *dirs,
    struct buf *report)
{
	struct lint	 l;
	struct html_set	*set;
	struct src	*s;
	char		**names = NULL, *text;
	size_t		 nnames = 0, cap = 0, i, j;
	const struct val *v, *w;

	memset(&l, 0, sizeof(l));
	l.pool = pool_new();
	l.report = report;

	for (; *dirs != NULL; dirs++)
		list_sources(&l, root, *dirs, &names, &nnames, &cap);
	if (nnames > 0)
		qsort(names, nnames, sizeof(*names), cmp_str);
	l.src = pool_alloc(l.pool, (nnames + 1) * sizeof(*l.src));
	for (i = 0; i < nnames; i++) {
		text = slurp_file(l.pool, pool_printf(l.pool, "%s/%s", root, names[i]));
		if (text == NULL) {
			problem(&l, "%s: cannot read", names[i]);
			continue;
		}
		s = pool_zalloc(l.pool, sizeof(*s));
		s->path = names[i];
		lex(&l, s, text, 1, &s->k, 1);
		l.src[l.nsrc++] = s;
	}
	for (i = 0; i < l.nsrc; i++)
		find_fns(&l, l.src[i]);
	for (i = 0; i < l.nmark; i++)
		if (!l.mark[i].unread)
			own_mark(&l, &l.mark[i]);
	for (i = 0; i < l.nfn; i++)
		scan_fn(&l, &l.fn[i]);

	if ((set = html_set_load(pool_printf(l.pool, "%s/%s", root,
	    tpldir))) == NULL)
		problem(&l, "%s: the templates do not load", tpldir);
	else {
		html_set_walk(set, walk, &l);
		html_set_free(set);
	}
	/* Template lines read as tpldir/name.html:line. */
	for (i = 0; i < l.reads.n; i++)
		l.reads.v[i].where = pool_printf(l.pool, "%s/%s", tpldir,
		    l.reads.v[i].where);
	qsort(l.reads.v, l.reads.n, sizeof(*l.reads.v), cmp_val);
	qsort(l.tmpls.v, l.tmpls.n, sizeof(*l.tmpls.v), cmp_val);

	for (i = 0; i < l.reads.n; i++)
		if (vals_find(&l.sets, l.reads.v[i].s) == NULL)
			problem(&l, "%s: reads {{%s}}, which no code sets",
			    l.reads.v[i].where, l.reads.v[i].s);
	for (i = 0; i < l.gets.n; i++)
		if (vals_find(&l.sets, l.gets.v[i].s) == NULL)
			problem(&l, "%s: html_get_str reads \"%s\", which no "
			    "code sets", l.gets.v[i].where, l.gets.v[i].s);
	for (i = 0; i < l.sets.n; i++) {
		v = &l.sets.v[i];
		if (!valid_key(v->s)) {
			problem(&l, "%s: \"%s\" is not a key a template can "
			    "read", v->where, v->s);
			continue;
		}
		if (v->offered || vals_find(&l.reads, v->s) != NULL ||
		    vals_find(&l.gets, v->s) != NULL ||
		    unread_mark(&l, v->s, v->where) != NULL)
			continue;
		/* Once for each place the key comes from. */
		for (j = 0; j < i; j++)
			if (strcmp(l.sets.v[j].s, v->s) == 0 &&
			    strcmp(l.sets.v[j].where, v->where) == 0)
				break;
		if (j == i)
			problem(&l, "%s: sets \"%s\", which no template reads",
			    v->where, v->s);
	}
	for (i = 0; i < l.renders.n; i++)
		if (vals_find(&l.tmpls, l.renders.v[i].s) == NULL)
			problem(&l, "%s: renders template \"%s\", which %s has "
			    "not", l.renders.v[i].where, l.renders.v[i].s,
			    tpldir);
	for (i = 0; i < l.tmpls.n; i++) {
		v = &l.tmpls.v[i];
		w = vals_find(&l.partials, v->s);
		if (vals_find(&l.renders, v->s) == NULL && w == NULL)
			problem(&l, "%s/%s.html: no code renders it and no "
			    "template includes it", tpldir, v->s);
	}
	for (i = 0; i < l.nmark; i++)
		if (l.mark[i].unread)
			unread_check(&l, &l.mark[i]);
		else if (!l.mark[i].owned || !l.mark[i].used)
			problem(&l, "%s:%d: \"html keys:%s\" %s",
			    l.mark[i].src->path, l.mark[i].line,
			    l.mark[i].text, !l.mark[i].owned ?
			    "is not in or above a function" :
			    "names keys of nothing: the lint follows them");
	pool_free(l.pool);
	return l.problems;
}

/* The tests. */

static const char *
root_dir(void)
{
	const char	*root = getenv("PARTA_ROOT");

	return root != NULL && *root != '\0' ? root : ".";
}

/* Parta itself: templates and code agree. */
static void
test_tree(void **state)
{
	static const char *const dirs[] = { "cgi-bin", "lib", NULL };
	struct buf	 report;
	const char	*p, *e;
	int		 n;

	(void)state;
	buf_init(&report);
	n = keys_lint(root_dir(), "html/templates", dirs, &report);
	buf_putc(&report, '\0');
	for (p = report.data; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		print_message("# %.*s\n", (int)(e - p), p);
	}
	buf_free(&report);
	assert_int_equal(n, 0);
}

/*
 * The CSRF field is one partial, csrf_field: it prints exactly the
 * input lib/app reads, no other template writes that input, and every
 * POST form holds the partial.
 */
static void
test_csrf_field(void **state)
{
	struct pool	*pool = pool_new();
	struct html_set	*set;
	struct html_ctx	*c = html_ctx_new(pool);
	struct buf	 out;
	DIR		*d;
	struct dirent	*de;
	const char	*dir, *p, *end, *form;
	char		*text;
	size_t		 len;

	(void)state;
	dir = pool_printf(pool, "%s/html/templates", root_dir());
	assert_non_null(set = html_set_load(dir));
	html_set_str(c, "csrf", "t0k&n");
	buf_init(&out);
	assert_int_equal(html_render(set, "csrf_field", c, &out), 0);
	assert_string_equal(out.data,
	    "<input type=\"hidden\" name=\"csrf\" value=\"t0k&amp;n\">");
	buf_free(&out);
	html_set_free(set);

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".html") != 0 ||
		    strcmp(de->d_name, "csrf_field.html") == 0)
			continue;
		text = slurp_file(pool, pool_printf(pool, "%s/%s", dir,
		    de->d_name));
		if (strstr(text, "name=\"csrf\"") != NULL)
			fail_msg("%s writes the csrf input: use {{>csrf_field}}",
			    de->d_name);
		for (p = text; (p = strstr(p, "<form")) != NULL; p = end) {
			end = strchr(p, '>');
			assert_non_null(end);
			form = pool_strndup(pool, p, (size_t)(end - p));
			if (strstr(form, "method=\"post\"") == NULL)
				continue;
			end = strstr(end, "</form>");
			assert_non_null(end);
			if (memmem(p, (size_t)(end - p), "{{>csrf_field}}",
			    15) == NULL)
				fail_msg("%s: %s> has no {{>csrf_field}}",
				    de->d_name, form);
		}
	}
	closedir(d);
	pool_free(pool);
}

/* A tree of fixture files. */
struct fixture {
	char	 dir[256];
	char	*files[32];
	int	 n;
};

static void
fix_file(struct fixture *x, const char *name, const char *text)
{
	char	 path[512], *slash;
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", x->dir, name);
	for (slash = strchr(path + strlen(x->dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) == 0 && x->n < 32)
			x->files[x->n++] = xstrdup(path);
		*slash = '/';
	}
	if ((fp = fopen(path, "w")) == NULL)
		fail_msg("cannot create %s", path);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	assert_true(x->n < 32);
	x->files[x->n++] = xstrdup(path);
}

static void
fix_new(struct fixture *x)
{
	const char	*tmp = getenv("TMPDIR");

	snprintf(x->dir, sizeof(x->dir), "%s/test_keys.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(x->dir) == NULL)
		fail_msg("mkdtemp %s failed", x->dir);
	x->n = 0;
}

static void
fix_free(struct fixture *x)
{
	while (x->n > 0) {
		x->n--;
		remove(x->files[x->n]);
		free(x->files[x->n]);
	}
	rmdir(x->dir);
}

/* The lint over a fixture: its report, which must hold each of the
 * NULL-ended lines of want and have n problems. */
static void
lint_fixture(struct fixture *x, int n, ...)
{
	static const char *const dirs[] = { "cgi-bin", "lib", NULL };
	struct buf	 report;
	const char	*want;
	va_list		 ap;
	int		 got;

	buf_init(&report);
	got = keys_lint(x->dir, "templates", dirs, &report);
	buf_putc(&report, '\0');
	va_start(ap, n);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(report.data, want) == NULL)
			fail_msg("no \"%s\" in the report:\n%s", want,
			    report.data);
	va_end(ap);
	if (got != n)
		fail_msg("%d problems, not %d:\n%s", got, n, report.data);
	buf_free(&report);
}

/* A fixture's lib: app_page renders a template; app_form sets a field
 * and its error, app_set_cols copies columns. */
static const char fix_lib[] =
    "#include \"html.h\"\n"
    "int\napp_page(struct http_req *r, int status, const char *tpl,\n"
    "    struct html_ctx *c)\n{\n"
    "\treturn html_render(set, tpl, c, &r->body);\n}\n";
static const char fix_form[] =
    "int\napp_form(struct http_req *r, const struct valid_field *f,\n"
    "    size_t n, struct valid_result *res, struct html_ctx *c)\n{\n"
    "\tfor (i = 0; i < n; i++) {\n"
    "\t\thtml_set_str(c, f[i].name, res[i].value);\n"
    "\t\thtml_set_str(c, pool_printf(r->pool, \"%s_error\",\n"
    "\t\t    f[i].name), res[i].error);\n\t}\n\treturn 0;\n}\n"
    "void\napp_set_cols(struct html_ctx *c, const PGresult *res, int row,"
    " ...)\n{\n"
    "\twhile ((col = va_arg(ap, const char *)) != NULL)\n"
    "\t\thtml_set_str(c, col, db_get(res, row, col));\n}\n";

/* A typo in a template and in the code: both reported, with where. */
static void
test_typo(void **state)
{
	struct fixture	 x;

	(void)state;
	fix_new(&x);
	fix_file(&x, "lib/app.c", fix_lib);
	fix_file(&x, "templates/page.html",
	    "{{>head}}<p>{{nmae}}, {{count}}\n"
	    "{{plural count день|дня|дней}}</p>");
	fix_file(&x, "templates/head.html", "<title>{{title}}</title>\n");
	fix_file(&x, "cgi-bin/page.c",
	    "static int\npage_show(struct http_req *r)\n{\n"
	    "\tstruct html_ctx *c = app_ctx(r);\n\n"
	    "\thtml_set_str(c, \"title\", \"Страница\");\n"
	    "\thtml_set_str(c, \"name\", r->user->name);\n"
	    "\thtml_set_int(c, \"cuont\", 3);\n"
	    "\treturn app_page(r, 200, \"page\", c);\n}\n");
	lint_fixture(&x, 5,
	    "templates/page.html:1: reads {{nmae}}, which no code sets",
	    "templates/page.html:1: reads {{count}}, which no code sets",
	    "templates/page.html:2: reads {{count}}, which no code sets",
	    "cgi-bin/page.c:7: sets \"name\", which no template reads",
	    "cgi-bin/page.c:8: sets \"cuont\", which no template reads",
	    NULL);
	fix_free(&x);
}

/* The same page without typos is clean. */
static void
test_clean(void **state)
{
	struct fixture	 x;

	(void)state;
	fix_new(&x);
	fix_file(&x, "lib/app.c", fix_lib);
	fix_file(&x, "templates/page.html",
	    "{{>head}}<p>{{name}}, {{#items}}{{id}}{{/items}}</p>");
	fix_file(&x, "templates/head.html", "<title>{{title}}</title>\n");
	fix_file(&x, "cgi-bin/page/main.c",
	    "static int\npage_show(struct http_req *r)\n{\n"
	    "\tstruct html_ctx *c = app_ctx(r), *it;\n\n"
	    "\thtml_set_str(c, \"title\", \"Страница\");\n"
	    "\thtml_set_str(c, \"name\", r->user->name);\n"
	    "\tit = html_list_add(c, \"items\");\n"
	    "\thtml_set_str(it, \"id\", \"1\");\n"
	    "\treturn app_page(r, 200, \"page\", c);\n}\n");
	lint_fixture(&x, 0, NULL);
	fix_free(&x);
}

/* Keys derived from a valid_field table (with a macro of rows), a
 * ternary, a parameter, a variadic list, a local array and a format;
 * templates rendered from a variable; one read that nothing derives. */
static void
test_derived(void **state)
{
	struct fixture	 x;

	(void)state;
	fix_new(&x);
	fix_file(&x, "lib/app.c", fix_lib);
	fix_file(&x, "lib/form.c", fix_form);
	fix_file(&x, "lib/valid.h",
	    "#define PERSON \\\n\t{ \"first\", valid_name, 1 }, \\\n"
	    "\t{ \"last\", valid_name, 1 }\n");
	fix_file(&x, "templates/form.html",
	    "{{first}}{{first_error}}{{last}}{{last_error}}{{age}}"
	    "{{age_error}}{{password_error}}{{has_parents}}{{has_guardians}}"
	    "{{a}}{{b}}"
	    "{{inn}}{{kpp}}{{pick_error}}{{other_error}}{{?f}}{{/f}}");
	fix_file(&x, "templates/form_done.html", "{{gone}}");
	fix_file(&x, "cgi-bin/form.c",
	    "enum { F_AGE, F_PASSWORD, F__MAX };\n"
	    "/* Never shown again: html keys unread: password. */\n"
	    "static const struct valid_field fields[] = {\n"
	    "\tPERSON,\n\t{ \"age\", valid_age, 0 },\t/* F_AGE */\n"
	    "\t{ \"password\", valid_password, 1 },\n};\n"
	    "static void\nerr(struct http_req *r, struct html_ctx *c,"
	    " const char *errkey)\n{\n"
	    "\thtml_set_str(c, errkey, \"Выберите\");\n}\n"
	    "static int\nform_post(struct http_req *r)\n{\n"
	    "\tstatic const char *const cols[] = { \"inn\", \"kpp\" };\n"
	    "\tconst char *list, *tpl;\n\n"
	    "\tif (app_form(r, fields, F__MAX, v, c) > 0)\n"
	    "\t\terr(r, c, \"pick_error\");\n"
	    "\terr(r, c, x ? \"other_error\" : NULL);\n"
	    "\tlist = strcmp(rel, \"parent\") == 0 ? \"parents\" :"
	    " \"guardians\";\n"
	    "\thtml_set_bool(c, pool_printf(r->pool, \"has_%s\", list), 1);\n"
	    "\tapp_set_cols(c, res, 0, \"a\", \"b\", NULL);\n"
	    "\tfor (i = 0; i < 2; i++)\n"
	    "\t\thtml_set_str(c, cols[i], db_get(res, 0, cols[i]));\n"
	    "\thtml_set_bool(c, (ok) ? \"f\" : \"g\", 1);\n"
	    "\ttpl = ok ? \"form\" : \"form_done\";\n"
	    "\treturn app_page(r, 200, tpl, c);\n}\n");
	lint_fixture(&x, 2,
	    "templates/form_done.html:1: reads {{gone}}, which no code sets",
	    "cgi-bin/form.c:27: sets \"g\", which no template reads", NULL);

	/* A key marked unread must stay so. */
	fix_file(&x, "templates/form_done.html", "{{password}}{{g}}");
	lint_fixture(&x, 1, "cgi-bin/form.c:2: \"password\" is marked "
	    "unread, but templates/form_done.html:1 reads it", NULL);
	fix_free(&x);
}

/* A key the lint cannot follow fails until a mark names it; a mark
 * that covers nothing fails; columns come from a statement's SQL. */
static const char fix_stmts[] =
    "#define TIME(x) \"to_char(\" x \")\"\n"
    "static const struct db_stmt q_one = {\n\t\"one\",\n"
    "\t\"SELECT id, o.short_name AS org, m.role,\"\n"
    "\t\" \" TIME(\"at\") \" AS at, count(*) AS n\"\n"
    "\t\" FROM parta.x WHERE id = $1\"\n};\n"
    "static const struct db_stmt q_two = {\n\t\"two\",\n"
    "\t\"SELECT 'phone' AS kind, phone AS value FROM parta.account\"\n"
    "\t\" UNION ALL SELECT 'email', email FROM parta.account\"\n};\n"
    "static const struct part { const char *key;"
    " const struct db_stmt *stmt; } parts[] = {\n"
    "\t{ \"ones\", &q_one },\n\t{ \"twos\", &q_two },\n};\n"
    "static int\nexport_show(struct http_req *r)\n{\n"
    "\tfor (i = 0; i < 2; i++)\n"
    "\t\trow(html_list_add(c, parts[i].key), res[i], 0);\n"
    "\treturn app_page(r, 200, \"page\", c);\n}\n";

static void
test_marks(void **state)
{
	struct fixture	 x;

	(void)state;
	fix_new(&x);
	fix_file(&x, "lib/app.c", fix_lib);
	fix_file(&x, "templates/page.html",
	    "{{#ones}}{{org}}{{role}}{{at}}{{n}}{{/ones}}"
	    "{{#twos}}{{kind}}{{value}}{{/twos}}{{title}}");
	fix_file(&x, "cgi-bin/a.c", fix_stmts);
	fix_file(&x, "cgi-bin/b.c",
	    "static void\nrow(struct html_ctx *c, PGresult *res, int j)\n{\n"
	    "\thtml_set_str(c, PQfname(res, j), PQgetvalue(res, 0, j));\n"
	    "\thtml_set_str(c, \"title\", \"Данные\");\n}\n");
	lint_fixture(&x, 7,
	    "cgi-bin/b.c:4: cannot tell which key html_set_str() is given: "
	    "cgi-bin/b.c:4: cannot follow `PQfname ( res , j )`",
	    "templates/page.html:1: reads {{org}}, which no code sets",
	    "templates/page.html:1: reads {{value}}, which no code sets",
	    NULL);

	/* Marked: the columns of both statements (id may go unread). */
	fix_file(&x, "cgi-bin/b.c",
	    "/* One row; html keys: columns of parts. */\n"
	    "static void\nrow(struct html_ctx *c, PGresult *res, int j)\n{\n"
	    "\thtml_set_str(c, PQfname(res, j), PQgetvalue(res, 0, j));\n"
	    "\thtml_set_str(c, \"title\", \"Данные\");\n}\n");
	lint_fixture(&x, 0, NULL);

	/* Marked by name, one of them read by nothing. */
	fix_file(&x, "cgi-bin/b.c",
	    "static void\nrow(struct html_ctx *c, PGresult *res, int j)\n{\n"
	    "\t/* html keys: org role at n kind value extra. */\n"
	    "\thtml_set_str(c, PQfname(res, j), PQgetvalue(res, 0, j));\n"
	    "\thtml_set_str(c, \"title\", \"Данные\");\n}\n");
	lint_fixture(&x, 1,
	    "cgi-bin/b.c:4: sets \"extra\", which no template reads", NULL);

	/* A mark where every key is followed already. */
	fix_file(&x, "cgi-bin/b.c",
	    "static void\nrow(struct html_ctx *c, PGresult *res, int j)\n{\n"
	    "\t/* html keys: columns of q_one q_two. */\n"
	    "\thtml_set_str(c, PQfname(res, j), PQgetvalue(res, 0, j));\n"
	    "}\n"
	    "/* html keys: title. */\n"
	    "static void\ntitle(struct html_ctx *c)\n{\n"
	    "\thtml_set_str(c, \"title\", \"Данные\");\n}\n");
	lint_fixture(&x, 1,
	    "cgi-bin/b.c:7: \"html keys: title\" names keys of nothing",
	    NULL);
	fix_free(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typo),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_derived),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_csrf_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
