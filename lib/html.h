/*
 * html: templates from html/templates/, parsed once per process.
 *
 * Syntax (a small, strict subset of Mustache):
 *   {{name}}            the value, HTML-escaped (& < > " ' all escaped)
 *   {{raw name}}        the value unescaped: the only way to print raw
 *   {{#name}}..{{/name}} a list: once per item, with the item as context;
 *                       a non-empty string or true: once, same context
 *   {{?name}}..{{/name}} once when name is true, a non-empty string or a
 *                       non-empty list, in the same context (wrap a list's
 *                       <ul> in it: {{#name}} there would repeat the list)
 *   {{^name}}..{{/name}} only when name is missing, false, "" or an empty list
 *   {{>name}}           another template of the set (a partial)
 *   {{plural name one|few|many}}
 *                       the Russian form of a word for the number in
 *                       name (ru_plural: 1 заявка, 2 заявки, 5 заявок);
 *                       a missing or non-numeric value takes many
 *   {{gender name m|f}} the word for a person whose gender (the
 *                       account's 'm' or 'f') is in name (ru_gender:
 *                       «подтвердил|подтвердила»); unknown takes m
 *                       The words are template text, printed as they
 *                       are; they may hold spaces but not '|' or '}'.
 *   {{! comment }}      nothing
 * Names are [A-Za-z0-9_]+; a name not found in a context is looked up in
 * its parents, so a loop body can reach page-level values such as csrf.
 * A missing value renders as nothing.
 */
#ifndef PARTA_HTML_H
#define PARTA_HTML_H

#include <stddef.h>

struct buf;
struct pool;
struct html_set;
struct html_ctx;

/* Template sets. */
struct html_set	*html_set_new(void);
void		 html_set_free(struct html_set *);
/* Compile text as template name; 0, or -1 with a message in err. */
int		 html_set_add(struct html_set *, const char *name,
		    const char *text, char *err, size_t errsz);
/* Load every *.html of dir as a template named by its base name
 * ("login.html" is "login"); checks that partials exist.  NULL and a
 * message on stderr on any error. */
struct html_set	*html_set_load(const char *dir);
/*
 * What the templates of set read, for tests/unit/test_keys.c: fn is
 * called once per template with name NULL, then for each tag of it that
 * names a value ({{x}}, {{raw x}}, a section's name, plural and gender)
 * or, with partial 1, another template ({{>x}}); line is the tag's.
 */
void		 html_set_walk(const struct html_set *,
		    void (*fn)(void *arg, const char *tpl, const char *name,
		    int partial, int line), void *arg);
/* Render template name with ctx (may be NULL) appended to out: 0, or -1
 * if there is no such template. */
int		 html_render(const struct html_set *, const char *name,
		    const struct html_ctx *, struct buf *out);

/* Contexts: memory comes from the pool, released with it. */
struct html_ctx	*html_ctx_new(struct pool *);
void		 html_set_str(struct html_ctx *, const char *key,
		    const char *val);
/* The same without a copy of val, which must outlive every render of
 * the context: a string literal, or a value of one of the request's
 * database results (lib/db: kept until db_release, after the page). */
void		 html_set_ref(struct html_ctx *, const char *key,
		    const char *val);
void		 html_set_strf(struct html_ctx *, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void		 html_set_int(struct html_ctx *, const char *key, long long);
void		 html_set_bool(struct html_ctx *, const char *key, int);
/* Append a new item to the list key (created empty if need be) and
 * return it; its parent for lookups is ctx. */
struct html_ctx	*html_list_add(struct html_ctx *, const char *key);
/* Make key an (empty) list, so {{^key}} renders. */
void		 html_list_init(struct html_ctx *, const char *key);
/* The string value of key in ctx itself (not parents), or NULL. */
const char	*html_get_str(const struct html_ctx *, const char *key);

/* The Russian form of a word for n: one (1, 21 ссылка), few (2-4, 22
 * ссылки) or many (0, 5-20, 25 ссылок). */
const char	*ru_plural(long long n, const char *one, const char *few,
		    const char *many);

/* A size in bytes as a person reads it, into out (outsz bytes; 32 are
 * enough): "830 байт", "12 КБ", "1,2 МБ", "500 МБ", "20 ГБ", binary
 * units (1 КБ = 1024 байт), rounded half up; returns out. */
char		*ru_size_words(char *out, size_t outsz, long long bytes);

/* The word for a person of gender ("f" or "m", the account's gender
 * column): f for a woman, m for a man and when it is unknown (NULL or
 * empty: an erased account).  The one place for gendered words; in a
 * template, {{gender name m|f}}. */
const char	*ru_gender(const char *gender, const char *m, const char *f);

/* Escape s into out (the same escaping {{name}} uses). */
void		 html_escape(struct buf *out, const char *s);

#endif
