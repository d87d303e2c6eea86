/*
 * html: a small Mustache-like template engine.
 *
 * Templates are compiled once per process into a tree of nodes that
 * lives in ordinary heap memory (x* helpers) until html_set_free.
 * Contexts hold the values of one render and come from the request's
 * pool, so they are never freed one by one.
 *
 * Behaviour worth knowing beyond html.h:
 *  - Template text is copied to the output verbatim; there is no
 *    Mustache "standalone line" whitespace stripping.
 *  - A value set with html_set_int is stored as its decimal string, so
 *    {{#n}} renders for 0 too ("0" is a non-empty string).
 *  - {{name}} prints strings (and integers); a boolean or a list prints
 *    nothing.
 *  - Lookup takes the nearest context that has the key, whatever its
 *    value: a false in a list item hides a true in the page context.
 *  - Template names follow the same rule as tag names ([A-Za-z0-9_]+)
 *    so that every template can also be used as a partial.
 *  - html_render fails (-1) for an unknown template, for a partial that
 *    is not in the set, and for partials nested deeper than
 *    HTML_MAX_PARTIALS; on failure out is restored to its old length.
 *    On success out->data is always a valid C string, even when nothing
 *    was appended.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "pool.h"

#define HTML_MAX_NEST		64	/* sections inside sections */
#define HTML_MAX_PARTIALS	16	/* partials inside partials */
#define HTML_MSGSZ		256

enum node_type {
	NODE_TEXT,
	NODE_VAR,
	NODE_RAW,
	NODE_SECTION,
	NODE_IF,
	NODE_INVERTED,
	NODE_PARTIAL,
	NODE_PLURAL,		/* str: name, then its words, NUL-separated */
	NODE_GENDER
};

struct node {
	struct node	*next;
	struct node	*child;		/* body of a section */
	enum node_type	 type;
	int		 line;		/* where the tag starts */
	uint32_t	 hash;		/* name_hash of a tag's name */
	const struct tmpl *partial;	/* a partial's template, once
					 * html_set_load has found it */
	size_t		 len;		/* of str; plural, gender: the name */
	char		 str[];		/* text, or the name of a tag */
};

struct tmpl {
	struct tmpl	*next;
	struct node	*nodes;
	char		*name;
	uint32_t	 hash;		/* name_hash of name */
};

struct html_set {
	struct tmpl	*head;
};

enum val_type {
	VAL_STR,
	VAL_BOOL,
	VAL_LIST
};

struct html_val {
	struct html_val		*next;
	const char		*key;
	uint32_t		 hash;	/* name_hash of key */
	enum val_type		 type;
	const char		*str;
	int			 flag;	/* a boolean's value */
	struct html_ctx		*first;	/* items of a list */
	struct html_ctx		*last;
};

struct html_ctx {
	struct pool		*pool;
	const struct html_ctx	*parent;
	struct html_ctx		*next;	/* next item of the list it is in */
	struct html_val		*vals;
};

/* The state of one compilation; errors keep their own line. */
struct parser {
	const char	*p;
	int		 line;
	int		 errline;
	char		 msg[HTML_MSGSZ];
};

/*
 * FNV-1a of a name: a lookup compares the hashes before the names, so
 * that a key is told from the others (and a miss goes up through the
 * parents' values, a list item's page) by one comparison of integers
 * each, not strcmp (most of a long list's rendering, perf of the big
 * school's queue).
 */
static uint32_t
name_hash(const char *s, size_t len)
{
	uint32_t	 h = 2166136261u;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int
is_namechar(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static int
valid_name(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_namechar(s[i]))
			return 0;
	return 1;
}

static int
count_lines(const char *s, const char *e)
{
	int	 n = 0;

	for (; s < e; s++)
		if (*s == '\n')
			n++;
	return n;
}

static void
set_error(struct parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(struct parser *ps, int line, const char *fmt, ...)
{
	va_list	 ap;

	ps->errline = line;
	va_start(ap, fmt);
	vsnprintf(ps->msg, sizeof(ps->msg), fmt, ap);
	va_end(ap);
}

static struct node *
node_new(enum node_type type, int line, const char *s, size_t len)
{
	struct node	*n;

	n = xmalloc(sizeof(*n) + len + 1);
	n->next = NULL;
	n->child = NULL;
	n->partial = NULL;
	n->type = type;
	n->line = line;
	n->len = len;
	memcpy(n->str, s, len);
	n->str[len] = '\0';
	n->hash = name_hash(n->str, len);
	return n;
}

static void
node_free(struct node *n)
{
	struct node	*next;

	for (; n != NULL; n = next) {
		next = n->next;
		node_free(n->child);
		free(n);
	}
}

/*
 * The node of {{plural name one|few|many}} or {{gender name m|f}}, s..e
 * being "name words": the name and each word, NUL-separated in str.  The
 * number of words must fit the tag; a word may be empty.  NULL and the
 * error set when the tag is wrong.
 */
static struct node *
word_node(struct parser *ps, enum node_type type, int line, const char *s,
    const char *e)
{
	struct node	*n;
	const char	*name = s, *w;
	size_t		 namelen, i;
	int		 words = 1, want = type == NODE_PLURAL ? 3 : 2;

	while (s < e && is_namechar(*s))
		s++;
	namelen = (size_t)(s - name);
	if (namelen == 0 || s == e || !is_space(*s)) {
		set_error(ps, line, "%s wants a name and words: "
		    "\"%.*s\"", type == NODE_PLURAL ? "plural" : "gender",
		    e - name > 40 ? 40 : (int)(e - name), name);
		return NULL;
	}
	while (s < e && is_space(*s))
		s++;
	for (w = s; w < e; w++)
		words += *w == '|';
	if (words != want) {
		set_error(ps, line, "%s wants %d words split by '|', not %d",
		    type == NODE_PLURAL ? "plural" : "gender", want, words);
		return NULL;
	}
	/* "name\0word\0word..." in one node. */
	n = node_new(type, line, name, namelen + 1 + (size_t)(e - s));
	n->str[namelen] = '\0';
	memcpy(n->str + namelen + 1, s, (size_t)(e - s));
	for (i = namelen + 1; i < namelen + 1 + (size_t)(e - s); i++)
		if (n->str[i] == '|')
			n->str[i] = '\0';
	n->len = namelen;
	n->hash = name_hash(n->str, namelen);
	return n;
}

/* The k-th word (from 0) of a plural or gender node. */
static const char *
node_word(const struct node *n, int k)
{
	const char	*w = n->str + n->len + 1;

	while (k-- > 0)
		w += strlen(w) + 1;
	return w;
}

/*
 * Parse nodes until the end of the text (section == NULL) or until the
 * {{/name}} that closes section, whose body they become.  Recursion
 * follows section nesting, which is bounded so that a hostile template
 * cannot exhaust the stack.
 */
static int
parse_nodes(struct parser *ps, const struct node *section, int depth,
    struct node **out)
{
	struct node	*head = NULL, **tail = &head, *n;
	const char	*open, *close, *s, *e;
	enum node_type	 type;
	int		 line;
	char		 sigil;

	for (;;) {
		if ((open = strstr(ps->p, "{{")) == NULL)
			open = ps->p + strlen(ps->p);
		if (open > ps->p) {
			*tail = node_new(NODE_TEXT, ps->line, ps->p,
			    (size_t)(open - ps->p));
			tail = &(*tail)->next;
			ps->line += count_lines(ps->p, open);
			ps->p = open;
		}
		if (*open == '\0') {
			if (section != NULL) {
				set_error(ps, section->line,
				    "unclosed section \"%s\"", section->str);
				goto fail;
			}
			break;
		}

		line = ps->line;
		if ((close = strstr(open + 2, "}}")) == NULL) {
			set_error(ps, line, "unclosed tag");
			goto fail;
		}
		ps->line += count_lines(open, close);
		ps->p = close + 2;

		/* Trim the tag, then decide its type by its first byte. */
		s = open + 2;
		e = close;
		while (s < e && is_space(*s))
			s++;
		while (e > s && is_space(e[-1]))
			e--;
		if (s == e) {
			set_error(ps, line, "empty tag");
			goto fail;
		}
		sigil = *s;
		switch (sigil) {
		case '!':
			continue;
		case '#':
			type = NODE_SECTION;
			s++;
			break;
		case '^':
			type = NODE_INVERTED;
			s++;
			break;
		case '?':
			type = NODE_IF;
			s++;
			break;
		case '/':
			/* Closes are not nodes; the type is unused. */
			type = NODE_TEXT;
			s++;
			break;
		case '>':
			type = NODE_PARTIAL;
			s++;
			break;
		default:
			if (e - s > 3 && strncmp(s, "raw", 3) == 0 &&
			    is_space(s[3])) {
				type = NODE_RAW;
				s += 3;
			} else if (e - s > 6 && strncmp(s, "plural", 6) == 0 &&
			    is_space(s[6])) {
				type = NODE_PLURAL;
				s += 6;
			} else if (e - s > 6 && strncmp(s, "gender", 6) == 0 &&
			    is_space(s[6])) {
				type = NODE_GENDER;
				s += 6;
			} else if (is_namechar(sigil)) {
				type = NODE_VAR;
			} else {
				if (isprint((unsigned char)sigil))
					set_error(ps, line,
					    "unknown tag type '%c'", sigil);
				else
					set_error(ps, line,
					    "unknown tag type '\\x%02x'",
					    (unsigned char)sigil);
				goto fail;
			}
			break;
		}
		while (s < e && is_space(*s))
			s++;
		if (s == e) {
			set_error(ps, line, "missing name after '%c'", sigil);
			goto fail;
		}
		if (type == NODE_PLURAL || type == NODE_GENDER) {
			if ((n = word_node(ps, type, line, s, e)) == NULL)
				goto fail;
			*tail = n;
			tail = &n->next;
			continue;
		}
		if (!valid_name(s, (size_t)(e - s))) {
			set_error(ps, line, "bad name \"%.*s\"",
			    e - s > 40 ? 40 : (int)(e - s), s);
			goto fail;
		}

		if (sigil == '/') {
			if (section == NULL) {
				set_error(ps, line, "close \"%.*s\" without "
				    "open section", (int)(e - s), s);
				goto fail;
			}
			if (section->len != (size_t)(e - s) ||
			    memcmp(section->str, s, section->len) != 0) {
				set_error(ps, line, "mismatched close "
				    "\"%.*s\" for section \"%s\" of line %d",
				    (int)(e - s), s, section->str,
				    section->line);
				goto fail;
			}
			*out = head;
			return 0;
		}

		n = node_new(type, line, s, (size_t)(e - s));
		*tail = n;
		tail = &n->next;
		if (type == NODE_SECTION || type == NODE_IF ||
		    type == NODE_INVERTED) {
			if (depth >= HTML_MAX_NEST) {
				set_error(ps, line,
				    "sections nested too deeply");
				goto fail;
			}
			if (parse_nodes(ps, n, depth + 1, &n->child) == -1)
				goto fail;
		}
	}
	*out = head;
	return 0;
fail:
	node_free(head);
	return -1;
}

static struct tmpl *
find_tmpl(const struct html_set *set, const char *name, uint32_t hash)
{
	struct tmpl	*t;

	for (t = set->head; t != NULL; t = t->next)
		if (t->hash == hash && strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/*
 * Compile text into set as name.  On error, line is the line of the
 * fault (0 when it concerns the template as a whole) and msg says what.
 */
static int
compile(struct html_set *set, const char *name, const char *text,
    int *line, char *msg, size_t msgsz)
{
	struct parser	 ps;
	struct tmpl	*t;
	struct node	*nodes;
	uint32_t	 hash;

	*line = 0;
	if (name == NULL || !valid_name(name, strlen(name))) {
		snprintf(msg, msgsz, "bad template name");
		return -1;
	}
	hash = name_hash(name, strlen(name));
	if (find_tmpl(set, name, hash) != NULL) {
		snprintf(msg, msgsz, "template already defined");
		return -1;
	}
	if (text == NULL)
		text = "";
	ps.p = text;
	ps.line = 1;
	ps.errline = 0;
	ps.msg[0] = '\0';
	if (parse_nodes(&ps, NULL, 0, &nodes) == -1) {
		*line = ps.errline;
		snprintf(msg, msgsz, "%s", ps.msg);
		return -1;
	}
	t = xmalloc(sizeof(*t));
	t->name = xstrdup(name);
	t->hash = hash;
	t->nodes = nodes;
	/* Order does not matter for lookups; prepending is cheapest. */
	t->next = set->head;
	set->head = t;
	return 0;
}

struct html_set *
html_set_new(void)
{
	struct html_set	*set;

	set = xmalloc(sizeof(*set));
	set->head = NULL;
	return set;
}

void
html_set_free(struct html_set *set)
{
	struct tmpl	*t, *next;

	if (set == NULL)
		return;
	for (t = set->head; t != NULL; t = next) {
		next = t->next;
		node_free(t->nodes);
		free(t->name);
		free(t);
	}
	free(set);
}

int
html_set_add(struct html_set *set, const char *name, const char *text,
    char *err, size_t errsz)
{
	char	 msg[HTML_MSGSZ];
	int	 line;

	if (compile(set, name, text, &line, msg, sizeof(msg)) == 0)
		return 0;
	if (err != NULL && errsz > 0) {
		if (line > 0)
			snprintf(err, errsz, "%s:%d: %s",
			    name, line, msg);
		else
			snprintf(err, errsz, "%s: %s",
			    name == NULL ? "(null)" : name, msg);
	}
	return -1;
}

/*
 * Point each partial of nodes at its template of set, so that rendering
 * does not look it up by name (a list's partial, once a row, walked the
 * set's hundred templates); the first that names none is returned.  A
 * set's templates are kept until html_set_free, and a name is never
 * taken twice.
 */
static const struct node *
link_partials(const struct html_set *set, struct node *n)
{
	const struct node	*bad;

	for (; n != NULL; n = n->next) {
		if (n->type == NODE_PARTIAL &&
		    (n->partial = find_tmpl(set, n->str, n->hash)) == NULL)
			return n;
		if ((bad = link_partials(set, n->child)) != NULL)
			return bad;
	}
	return NULL;
}

/*
 * Read a whole file into b.  A NUL byte is refused: templates are
 * compiled as C strings and the rest of the file would be lost silently.
 */
static int
read_file(const char *path, struct buf *b, char *msg, size_t msgsz)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(msg, msgsz, "%s", strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	if (ferror(f)) {
		snprintf(msg, msgsz, "read error");
		rc = -1;
	}
	fclose(f);
	buf_add(b, "", 0);
	if (rc == 0 && strlen(b->data) != b->len) {
		snprintf(msg, msgsz, "NUL byte in template");
		rc = -1;
	}
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Collect the base names of the *.html regular files of dir, sorted so
 * that errors come out in the same order on every system.
 */
static char **
list_templates(const char *dir, size_t *np)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, *path;
	size_t		 n = 0, len;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "html: %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".html") != 0 ||
		    de->d_name[0] == '.')
			continue;
		path = xmalloc(strlen(dir) + len + 2);
		sprintf(path, "%s/%s", dir, de->d_name);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		free(path);
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = xstrdup(de->d_name);
		names[n][len - 5] = '\0';
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	else
		names = xmalloc(sizeof(*names));
	*np = n;
	return names;
}

struct html_set *
html_set_load(const char *dir)
{
	struct html_set		*set;
	struct tmpl		*t;
	const struct node	*bad;
	struct buf		 text;
	char			**names, *path, msg[HTML_MSGSZ];
	size_t			 i, n;
	int			 line, ok = 1;

	if ((names = list_templates(dir, &n)) == NULL)
		return NULL;
	set = html_set_new();
	buf_init(&text);
	for (i = 0; i < n && ok; i++) {
		path = xmalloc(strlen(dir) + strlen(names[i]) + 7);
		sprintf(path, "%s/%s.html", dir, names[i]);
		buf_reset(&text);
		if (read_file(path, &text, msg, sizeof(msg)) == -1) {
			fprintf(stderr, "html: %s: %s\n", path, msg);
			ok = 0;
		} else if (compile(set, names[i], text.data, &line, msg,
		    sizeof(msg)) == -1) {
			if (line > 0)
				fprintf(stderr, "html: %s:%d: %s\n",
				    path, line, msg);
			else
				fprintf(stderr, "html: %s: %s\n", path, msg);
			ok = 0;
		}
		free(path);
	}
	buf_free(&text);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);

	/* Partials are checked and linked once every template is known. */
	for (t = set->head; t != NULL && ok; t = t->next) {
		if ((bad = link_partials(set, t->nodes)) == NULL)
			continue;
		fprintf(stderr, "html: %s/%s.html:%d: missing partial "
		    "\"%s\"\n", dir, t->name, bad->line, bad->str);
		ok = 0;
	}
	if (!ok) {
		html_set_free(set);
		return NULL;
	}
	return set;
}

static void
walk_nodes(const struct node *n, const char *tpl,
    void (*fn)(void *, const char *, const char *, int, int), void *arg)
{
	for (; n != NULL; n = n->next) {
		if (n->type != NODE_TEXT)
			fn(arg, tpl, n->str, n->type == NODE_PARTIAL, n->line);
		walk_nodes(n->child, tpl, fn, arg);
	}
}

void
html_set_walk(const struct html_set *set,
    void (*fn)(void *, const char *, const char *, int, int), void *arg)
{
	const struct tmpl	*t;

	for (t = set->head; t != NULL; t = t->next) {
		fn(arg, t->name, NULL, 0, 0);
		walk_nodes(t->nodes, t->name, fn, arg);
	}
}

/* The nearest value of tag n's name, from ctx up through its parents. */
static const struct html_val *
lookup(const struct html_ctx *ctx, const struct node *n)
{
	const struct html_val	*v;

	for (; ctx != NULL; ctx = ctx->parent)
		for (v = ctx->vals; v != NULL; v = v->next)
			if (v->hash == n->hash && strcmp(v->key, n->str) == 0)
				return v;
	return NULL;
}

static int
truthy(const struct html_val *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case VAL_STR:
		return v->str[0] != '\0';
	case VAL_BOOL:
		return v->flag;
	case VAL_LIST:
		return v->first != NULL;
	}
	return 0;
}

static int
render_nodes(const struct html_set *set, const struct node *n,
    const struct html_ctx *ctx, struct buf *out, int depth)
{
	const struct html_val	*v;
	const struct html_ctx	*item;
	const struct tmpl	*t;

	for (; n != NULL; n = n->next) {
		switch (n->type) {
		case NODE_TEXT:
			buf_add(out, n->str, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			v = lookup(ctx, n);
			if (v == NULL || v->type != VAL_STR)
				break;
			if (n->type == NODE_VAR)
				html_escape(out, v->str);
			else
				buf_puts(out, v->str);
			break;
		case NODE_PLURAL:
			v = lookup(ctx, n);
			buf_puts(out, ru_plural(v != NULL && v->type ==
			    VAL_STR ? strtoll(v->str, NULL, 10) : 0,
			    node_word(n, 0), node_word(n, 1), node_word(n, 2)));
			break;
		case NODE_GENDER:
			v = lookup(ctx, n);
			buf_puts(out, ru_gender(v != NULL &&
			    v->type == VAL_STR ? v->str : NULL,
			    node_word(n, 0), node_word(n, 1)));
			break;
		case NODE_SECTION:
			v = lookup(ctx, n);
			if (!truthy(v))
				break;
			if (v->type != VAL_LIST) {
				if (render_nodes(set, n->child, ctx, out,
				    depth) == -1)
					return -1;
				break;
			}
			for (item = v->first; item != NULL; item = item->next)
				if (render_nodes(set, n->child, item, out,
				    depth) == -1)
					return -1;
			break;
		case NODE_IF:
			/* Once, in the same context, however long a list. */
			if (!truthy(lookup(ctx, n)))
				break;
			if (render_nodes(set, n->child, ctx, out, depth) == -1)
				return -1;
			break;
		case NODE_INVERTED:
			if (truthy(lookup(ctx, n)))
				break;
			if (render_nodes(set, n->child, ctx, out, depth) == -1)
				return -1;
			break;
		case NODE_PARTIAL:
			/* Recursive partials are legal but must end. */
			if (depth >= HTML_MAX_PARTIALS)
				return -1;
			if ((t = n->partial) == NULL &&
			    (t = find_tmpl(set, n->str, n->hash)) == NULL)
				return -1;
			if (render_nodes(set, t->nodes, ctx, out,
			    depth + 1) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

int
html_render(const struct html_set *set, const char *name,
    const struct html_ctx *ctx, struct buf *out)
{
	const struct tmpl	*t;
	size_t			 len;

	if (set == NULL || name == NULL ||
	    (t = find_tmpl(set, name, name_hash(name, strlen(name)))) == NULL)
		return -1;
	len = out->len;
	buf_add(out, "", 0);
	if (render_nodes(set, t->nodes, ctx, out, 0) == -1) {
		/* Half a page is worse than none: take it back. */
		out->len = len;
		out->data[len] = '\0';
		return -1;
	}
	return 0;
}

struct html_ctx *
html_ctx_new(struct pool *pool)
{
	struct html_ctx	*ctx;

	ctx = pool_zalloc(pool, sizeof(*ctx));
	ctx->pool = pool;
	return ctx;
}

/*
 * A new value of key in ctx (an empty string), before the others: it
 * hides any older one of that key, which no lookup reaches again.  The
 * setters do not look for one to reuse: a row's twenty keys each
 * compared with those set before them was a tenth of a long list's own
 * time (callgrind of the big school's links).  The value and its key
 * are one piece of the pool.
 */
static struct html_val *
val_new(struct html_ctx *ctx, const char *key)
{
	struct html_val	*v;
	size_t		 len = strlen(key);
	char		*k;

	v = pool_alloc(ctx->pool, sizeof(*v) + len + 1);
	memset(v, 0, sizeof(*v));
	k = (char *)(v + 1);
	memcpy(k, key, len + 1);
	v->key = k;
	v->hash = name_hash(key, len);
	v->type = VAL_STR;
	v->str = "";
	v->next = ctx->vals;
	ctx->vals = v;
	return v;
}

/* The value of key in ctx itself, made by val_new if there is none. */
static struct html_val *
val_get(struct html_ctx *ctx, const char *key)
{
	struct html_val	*v;
	uint32_t	 h = name_hash(key, strlen(key));

	for (v = ctx->vals; v != NULL; v = v->next)
		if (v->hash == h && strcmp(v->key, key) == 0)
			return v;
	return val_new(ctx, key);
}

static void
val_set_str(struct html_val *v, const char *s)
{
	v->type = VAL_STR;
	v->str = s;
	v->flag = 0;
	v->first = v->last = NULL;
}

void
html_set_str(struct html_ctx *ctx, const char *key, const char *val)
{
	val_set_str(val_new(ctx, key),
	    pool_strdup(ctx->pool, val == NULL ? "" : val));
}

void
html_set_ref(struct html_ctx *ctx, const char *key, const char *val)
{
	val_set_str(val_new(ctx, key), val == NULL ? "" : val);
}

void
html_set_strf(struct html_ctx *ctx, const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = pool_vprintf(ctx->pool, fmt, ap);
	va_end(ap);
	val_set_str(val_new(ctx, key), s);
}

void
html_set_int(struct html_ctx *ctx, const char *key, long long n)
{
	val_set_str(val_new(ctx, key), pool_printf(ctx->pool, "%lld", n));
}

void
html_set_bool(struct html_ctx *ctx, const char *key, int b)
{
	struct html_val	*v;

	v = val_new(ctx, key);
	val_set_str(v, "");
	v->type = VAL_BOOL;
	v->flag = b != 0;
}

/*
 * The value of key in ctx as a list, made an empty one if need be.  A
 * list keeps its items: html_list_init after html_list_add is harmless.
 */
static struct html_val *
list_get(struct html_ctx *ctx, const char *key)
{
	struct html_val	*v;

	v = val_get(ctx, key);
	if (v->type != VAL_LIST) {
		val_set_str(v, "");
		v->type = VAL_LIST;
	}
	return v;
}

void
html_list_init(struct html_ctx *ctx, const char *key)
{
	list_get(ctx, key);
}

struct html_ctx *
html_list_add(struct html_ctx *ctx, const char *key)
{
	struct html_val	*v;
	struct html_ctx	*item;

	v = list_get(ctx, key);
	item = html_ctx_new(ctx->pool);
	item->parent = ctx;
	if (v->last == NULL)
		v->first = item;
	else
		v->last->next = item;
	v->last = item;
	return item;
}

const char *
html_get_str(const struct html_ctx *ctx, const char *key)
{
	const struct html_val	*v;
	uint32_t		 h;

	if (ctx == NULL)
		return NULL;
	h = name_hash(key, strlen(key));
	for (v = ctx->vals; v != NULL; v = v->next)
		if (v->hash == h && strcmp(v->key, key) == 0)
			return v->type == VAL_STR ? v->str : NULL;
	return NULL;
}

void
html_escape(struct buf *out, const char *s)
{
	const char	*rep;
	size_t		 n;

	for (;;) {
		/* The plain run before the next special byte in one go
		 * (strcspn: glibc's compares many bytes at a time). */
		n = strcspn(s, "&<>\"'");
		buf_add(out, s, n);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		default:	/* '\'' */
			rep = "&#39;";
			break;
		}
		buf_puts(out, rep);
		s++;
	}
}

const char *
ru_plural(long long n, const char *one, const char *few, const char *many)
{
	if (n < 0)
		n = -n;
	n %= 100;
	if (n >= 11 && n <= 14)
		return many;
	n %= 10;
	if (n == 1)
		return one;
	return n >= 2 && n <= 4 ? few : many;
}

/* n/unit in tenths, written "12", "1,2" or "3" followed by word. */
static void
ru_tenths(char *out, size_t outsz, long long n, long long unit,
    const char *word)
{
	long long	 t = (n * 10 + unit / 2) / unit;

	if (t >= 100 || t % 10 == 0)
		snprintf(out, outsz, "%lld %s", (n + unit / 2) / unit, word);
	else
		snprintf(out, outsz, "%lld,%lld %s", t / 10, t % 10, word);
}

char *
ru_size_words(char *out, size_t outsz, long long n)
{
	if (n < 1024)
		snprintf(out, outsz, "%lld %s", n, ru_plural(n, "байт",
		    "байта", "байт"));
	else if (n < 1024 * 1024)
		snprintf(out, outsz, "%lld КБ", (n + 1023) / 1024);
	else if (n < 1024LL * 1024 * 1024)
		ru_tenths(out, outsz, n, 1024 * 1024, "МБ");
	else
		ru_tenths(out, outsz, n, 1024LL * 1024 * 1024, "ГБ");
	return out;
}

const char *
ru_gender(const char *gender, const char *m, const char *f)
{
	return gender != NULL && strcmp(gender, "f") == 0 ? f : m;
}
