/*
 * The site around the programs: a path nobody serves answers 404 with
 * the site's own page in Russian (nginx's error_page, html/404.html),
 * in the same words and style as a program's 404; the favicon; one
 * Content-Security-Policy on every response, static or a program's
 * (a stored file's its own, no other beside it); a GET that carries
 * a body is answered as one without.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixture.h"

/* The 404 page, whoever answers it: the site's Russian page with its
 * stylesheet and icon, not nginx's English one. */
static int
russian_404(struct t_client *c, const char *path)
{
	if (t_get(c, path) != 404) {
		t_fail(__FILE__, __LINE__, "%s: status %ld, want 404", path,
		    c->r.status);
		return -1;
	}
	if (!t_has(c, "<html lang=\"ru\">") ||
	    !t_has(c, "<section class=\"card narrow\">\n"
	    "<h1>Страница не найдена</h1>") ||
	    !t_has(c, "<link rel=\"stylesheet\" href=\"/static/parta.css\">") ||
	    !t_has(c, "<link rel=\"icon\" href=\"/favicon.ico\"") ||
	    !t_has(c, "<a href=\"/\">На главную</a>") ||
	    t_has(c, "Not Found") || t_has(c, "nginx")) {
		t_fail(__FILE__, __LINE__, "%s: not the site's 404 page: %.300s",
		    path, t_snippet(c));
		return -1;
	}
	return 0;
}

static void
unknown_paths(void)
{
	static const char *const paths[] = {
		"/no-such-page", "/wp-login.php", "/static/no-such.css",
		"/templates/head.html", "/404.html", "/50x.html", "/index.htm",
		"/org/1/no-such", "/operator/no-such", "/me/no/such",
	};
	struct t_client	 c;
	struct t_person	 p;
	size_t		 i;

	t_client_init(&c);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (russian_404(&c, paths[i]) == -1)
			return;
	t_client_free(&c);
	/* Signed in, the same. */
	T_TRUE(t_signup(&p, "Ненайденова", "Ольга") == 0);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (russian_404(&p.c, paths[i]) == -1)
			return;
	t_client_free(&p.c);
}

static void
favicon(void)
{
	struct t_client	 c;
	const char	*type;

	t_client_init(&c);
	T_EQ(t_get(&c, "/favicon.ico"), 200);
	type = t_header(&c, "Content-Type");
	T_TRUE(type != NULL && strncmp(type, "image/", 6) == 0);
	/* A real icon, not an empty answer (the harness keeps bodies as
	 * strings: an ICO starts with a zero byte). */
	T_TRUE(t_header(&c, "Content-Length") != NULL &&
	    atol(t_header(&c, "Content-Length")) > 100);
	T_EQ(t_get(&c, "/static/favicon.svg"), 200);
	T_STREQ(t_header(&c, "Content-Type"), "image/svg+xml");
	T_HAS(&c, "<svg");
	/* Linked from every page: the programs' (head.html), the front
	 * page, the 404 page. */
	T_EQ(t_get(&c, "/login"), 200);
	T_HAS(&c, "<link rel=\"icon\" href=\"/static/favicon.svg\" "
	    "type=\"image/svg+xml\">");
	T_EQ(t_get(&c, "/"), 200);
	T_HAS(&c, "<link rel=\"icon\" href=\"/static/favicon.svg\" "
	    "type=\"image/svg+xml\">");
	t_client_free(&c);
}

/* A GET with a body (a client's oddity) is answered as without one:
 * the body is neither parsed nor left unread, which fcgiwrap, under the
 * CGI suite, would answer with a 502. */
static void
get_with_body(void)
{
	struct t_client	 c;
	static char	 body[200000];

	memset(body, 'a', sizeof(body));
	t_client_init(&c);
	T_EQ(t_request(&c, "GET", "/login", "Content-Type: "
	    "application/x-www-form-urlencoded\r\n", body, sizeof(body)), 200);
	T_HAS(&c, "name=\"password\"");
	T_EQ(t_request(&c, "GET", "/login", "", "x=1", 3), 200);
	T_EQ(t_get(&c, "/login"), 200);
	t_client_free(&c);
}

#define SITE_CSP	"default-src 'self'; object-src 'none'; " \
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

/* c's last response (of path) has exactly one policy, want. */
static int
one_csp(const struct t_client *c, const char *path, const char *want)
{
	const char	*val = t_header(c, "Content-Security-Policy");
	int		 n = t_header_count(c, "Content-Security-Policy");

	if (n != 1 || strcmp(val, want) != 0) {
		t_fail(__FILE__, __LINE__, "%s: %d policies, the first \"%s\";"
		    " want one, \"%s\"", path, n, val != NULL ? val : "",
		    want);
		return -1;
	}
	return 0;
}

/*
 * Exactly one Content-Security-Policy, whoever answers: nginx's static
 * files and 404 page the site's, every program's page, redirect and
 * error the site's (lib/http writes it; nginx adds none), a stored file
 * its own that runs nothing (lib/file), not next to the site's.
 */
static void
one_policy(void)
{
	static const char *const statics[] = {
		"/", "/static/parta.css", "/favicon.ico", "/no-such-page",
	};
	static const char *const pages[] = {
		"/login", "/register", "/me", "/me/files", "/org/1/no-such",
		"/operator", "/privacy", "/orgs",
	};
	static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\n"
	    "trailer << /Root 1 0 R >>\n%%EOF\n";
	struct t_person	 p;
	struct t_mp	 m = { 0 };
	long long	 id;
	size_t		 i;

	T_TRUE(t_signup(&p, "Политикова", "Ирина") == 0);
	for (i = 0; i < sizeof(statics) / sizeof(statics[0]); i++) {
		T_TRUE(t_get(&p.c, statics[i]) > 0);
		if (one_csp(&p.c, statics[i], SITE_CSP) == -1)
			return;
	}
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		T_TRUE(t_get(&p.c, pages[i]) > 0);
		if (one_csp(&p.c, pages[i], SITE_CSP) == -1)
			return;
	}
	/* A refused POST (no CSRF token: 403). */
	T_EQ(t_post(&p.c, "/logout", ""), 403);
	T_TRUE(one_csp(&p.c, "POST /logout", SITE_CSP) == 0);
	/* A stored file: its own policy, alone. */
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", p.c.csrf);
	t_mp_file(&m, "file", "policy.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	T_EQ(t_mp_post(&p.c, "/me/files", &m), 303);	/* a redirect */
	T_TRUE(one_csp(&p.c, "POST /me/files", SITE_CSP) == 0);
	id = t_ll(t_sql("SELECT max(id) FROM parta.file WHERE owner_id ="
	    " %lld", p.id));
	T_TRUE(id > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_TRUE(one_csp(&p.c, "/files/ID", "default-src 'none'; img-src "
	    "'self' data:; style-src 'unsafe-inline'; object-src 'none'; "
	    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	    == 0);
	/* The file's 404 (another person's file, or none): the site's. */
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id + 1000000)), 404);
	T_TRUE(one_csp(&p.c, "/files/none", SITE_CSP) == 0);
	t_client_free(&p.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "unknown_paths", unknown_paths },
		{ "favicon", favicon },
		{ "a GET with a body", get_with_body },
		{ "one_policy", one_policy },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
