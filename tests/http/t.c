#include <curl/curl.h>
#include <ctype.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "t.h"

int		 t_failed;
const char	*t_base;

/* Where t_abort goes in this thread: the running test's t_run, t_try or
 * t_parallel worker; NULL outside them. */
static _Thread_local jmp_buf	*t_jump;

void
t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	t_failed = 1;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void
t_abort(void)
{
	if (t_jump != NULL)
		longjmp(*t_jump, 1);
	/* No test is running in this thread. */
	printf("Bail out! a check failed outside a test\n");
	exit(1);
}

int
t_try(void (*fn)(void))
{
	jmp_buf		 jb, *volatile outer = t_jump;
	volatile int	 rc = 0;

	t_jump = &jb;
	if (setjmp(jb) == 0)
		fn();
	else
		rc = -1;
	t_jump = outer;
	return rc;
}

int
t_run(const struct t_case *cases, size_t n)
{
	static char	 base[256];
	const char	*port;
	size_t		 i;
	int		 bad = 0;

	if ((t_base = getenv("PARTA_URL")) == NULL) {
		port = getenv("PARTA_PORT");
		snprintf(base, sizeof(base), "http://127.0.0.1:%s",
		    port ? port : "8080");
		t_base = base;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	curl_global_init(CURL_GLOBAL_ALL);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		t_failed = 0;
		t_try(cases[i].fn);
		printf("%sok %zu - %s\n", t_failed ? "not " : "", i + 1,
		    cases[i].name);
		bad += t_failed;
	}
	curl_global_cleanup();
	return bad ? 1 : 0;
}

static size_t
t_collect(char *p, size_t size, size_t n, void *arg)
{
	char	**bufp = arg;
	size_t	 len = *bufp ? strlen(*bufp) : 0;

	*bufp = realloc(*bufp, len + size * n + 1);
	memcpy(*bufp + len, p, size * n);
	(*bufp)[len + size * n] = '\0';
	return size * n;
}

/* The body, binary or not (a stored file): r->len counts its bytes, a
 * NUL follows them. */
static size_t
t_collect_body(char *p, size_t size, size_t n, void *arg)
{
	struct t_resp	*r = arg;

	r->body = realloc(r->body, r->len + size * n + 1);
	memcpy(r->body + r->len, p, size * n);
	r->len += size * n;
	r->body[r->len] = '\0';
	return size * n;
}

void
t_client_init(struct t_client *c)
{
	memset(c, 0, sizeof(*c));
	c->curl = curl_easy_init();
	/* An empty file name turns on the in-memory cookie engine. */
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
}

void
t_client_from(struct t_client *c, const char *addr)
{
	/* libcurl copies the string. */
	curl_easy_setopt(c->curl, CURLOPT_INTERFACE, addr);
}

static void
t_resp_clear(struct t_resp *r)
{
	free(r->body);
	free(r->head);
	memset(r, 0, sizeof(*r));
}

void
t_client_free(struct t_client *c)
{
	t_resp_clear(&c->r);
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

long
t_request(struct t_client *c, const char *method, const char *path,
    const char *headers, const char *body, size_t len)
{
	struct curl_slist	*h = NULL;
	char			 url[4096], line[1024];
	const char		*p, *e;
	CURLcode		 rc;

	t_resp_clear(&c->r);
	snprintf(url, sizeof(url), "%s%s", t_base, path);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, t_collect_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &c->r);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, t_collect);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &c->r.head);
	for (p = headers; p != NULL && *p != '\0'; p = e + 2) {
		if ((e = strstr(p, "\r\n")) == NULL)
			break;
		snprintf(line, sizeof(line), "%.*s", (int)(e - p), p);
		h = curl_slist_append(h, line);
	}
	if (strcmp(method, "GET") == 0 && body == NULL) {
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
	} else {
		curl_easy_setopt(c->curl, CURLOPT_NOBODY, 0L);
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
		curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST,
		    strcmp(method, "POST") == 0 ? NULL : method);
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		printf("# %s %s: %s\n", method, path, curl_easy_strerror(rc));
		c->r.status = -1;
		return -1;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->r.status);
	if (c->r.body == NULL)
		c->r.body = calloc(1, 1);
	if (t_csrf(c) != NULL)
		snprintf(c->csrf, sizeof(c->csrf), "%s", t_csrf(c));
	return c->r.status;
}

long
t_get(struct t_client *c, const char *path)
{
	return t_request(c, "GET", path, NULL, NULL, 0);
}

long
t_post(struct t_client *c, const char *path, const char *body)
{
	return t_request(c, "POST", path,
	    "Content-Type: application/x-www-form-urlencoded\r\n", body,
	    strlen(body));
}

long
t_postf(struct t_client *c, const char *path, const char *fmt, ...)
{
	char	 body[16384];
	int	 n;
	va_list	 ap;

	n = snprintf(body, sizeof(body), "csrf=%s&", c->csrf);
	va_start(ap, fmt);
	vsnprintf(body + n, sizeof(body) - (size_t)n, fmt, ap);
	va_end(ap);
	return t_post(c, path, body);
}

const char *
t_form(struct t_client *c, const char *path)
{
	t_get(c, path);
	return c->csrf;
}

int
t_has(const struct t_client *c, const char *s)
{
	return c->r.body != NULL && strstr(c->r.body, s) != NULL;
}

const char *
t_snippet(const struct t_client *c)
{
	const char	*b = c->r.body ? c->r.body : "";
	const char	*main = strstr(b, "<main");

	return main ? main : b;
}

const char *
t_header(const struct t_client *c, const char *name)
{
	static _Thread_local char	 val[4096];
	const char	*p, *e;
	size_t		 n = strlen(name);

	for (p = c->r.head; p != NULL && *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			snprintf(val, sizeof(val), "%.*s", (int)(e - p), p);
			val[strcspn(val, "\r")] = '\0';
			return val;
		}
	}
	return NULL;
}

int
t_header_count(const struct t_client *c, const char *name)
{
	const char	*p, *e;
	size_t		 n = strlen(name);
	int		 count = 0;

	for (p = c->r.head; p != NULL && *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			count++;
	}
	return count;
}

const char *
t_csrf(const struct t_client *c)
{
	static _Thread_local char	 tok[128];
	const char	*p;
	size_t		 n;

	if (c->r.body == NULL ||
	    (p = strstr(c->r.body, "name=\"csrf\" value=\"")) == NULL)
		return NULL;
	p += strlen("name=\"csrf\" value=\"");
	n = strcspn(p, "\"");
	if (n >= sizeof(tok))
		return NULL;
	memcpy(tok, p, n);
	tok[n] = '\0';
	return tok;
}

const char *
t_cookie(const struct t_client *c, const char *name)
{
	static _Thread_local char		 val[256];
	struct curl_slist	*list = NULL, *l;
	const char		*v = NULL;

	curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list);
	for (l = list; l != NULL; l = l->next) {
		/* Netscape format: 7 tab-separated fields, name 6th. */
		const char *f = l->data;
		int i;

		for (i = 0; i < 5 && f != NULL; i++)
			if ((f = strchr(f, '\t')) != NULL)
				f++;
		if (f != NULL && strncmp(f, name, strlen(name)) == 0 &&
		    f[strlen(name)] == '\t') {
			snprintf(val, sizeof(val), "%s", f + strlen(name) + 1);
			v = val;
		}
	}
	curl_slist_free_all(list);
	return v;
}

const char *
t_enc(const char *s)
{
	static _Thread_local char	 ring[8][4096];
	static _Thread_local int	 k;
	char		*o = ring[k++ % 8], *start = o;

	for (; *s != '\0' && o - start < 4090; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-_.~", ch) != NULL)
			*o++ = (char)ch;
		else
			o += sprintf(o, "%%%02X", ch);
	}
	*o = '\0';
	return start;
}

static const char *
t_outbox_dir(void)
{
	const char	*d = getenv("PARTA_OUTBOX_DIR");

	return d ? d : "var/outbox";
}

/* Messages are files named by increasing id: scan for the last match. */
static char *
t_outbox_scan(const char *recipient, int *count)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096], best[256] = "", *text = NULL, line[512];
	FILE		*f;
	size_t		 n;

	*count = 0;
	if ((d = opendir(t_outbox_dir())) == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", t_outbox_dir(),
		    e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (strcmp(line, recipient) == 0) {
				(*count)++;
				if (strcmp(e->d_name, best) > 0)
					snprintf(best, sizeof(best), "%s",
					    e->d_name);
			}
		}
		fclose(f);
	}
	closedir(d);
	if (best[0] == '\0')
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", t_outbox_dir(), best);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	text = calloc(1, 65536);
	n = fread(text, 1, 65535, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

char *
t_outbox_last(const char *recipient)
{
	int	 n;

	return t_outbox_scan(recipient, &n);
}

int
t_outbox_count(const char *recipient)
{
	int	 n;
	char	*t = t_outbox_scan(recipient, &n);

	free(t);
	return n;
}

const char *
t_outbox_code(const char *recipient)
{
	static _Thread_local char	 code[7];
	char		*t, *p;

	code[0] = '\0';
	if ((t = t_outbox_last(recipient)) == NULL)
		return code;
	for (p = strchr(t, '\n'); p != NULL && *p != '\0'; p++) {
		if (strspn(p, "0123456789") == 6 &&
		    (p == t || p[-1] < '0' || p[-1] > '9')) {
			memcpy(code, p, 6);
			code[6] = '\0';
			break;
		}
	}
	free(t);
	return code;
}

void
t_random(void *b, size_t n)
{
	if (getrandom(b, n, 0) != (ssize_t)n) {
		perror("getrandom");
		exit(1);
	}
}

void
t_unique_phone(char out[16])
{
	unsigned char	 b[9];
	int		 i;

	t_random(b, sizeof(b));
	strcpy(out, "+79");
	for (i = 0; i < 9; i++)
		out[3 + i] = (char)('0' + b[i] % 10);
	out[12] = '\0';
}

void
t_unique_addr(char out[16])
{
	unsigned char	 b[3];

	t_random(b, sizeof(b));
	/* 127.1-254.1-254.1-254: not 127.0.0.1, no network or broadcast. */
	snprintf(out, 16, "127.%d.%d.%d", 1 + b[0] % 254, 1 + b[1] % 254,
	    1 + b[2] % 254);
}

void
t_unique_email(char out[64])
{
	unsigned char	 b[6];

	t_random(b, sizeof(b));
	snprintf(out, 64, "u%02x%02x%02x%02x%02x%02x@school.test", b[0], b[1],
	    b[2], b[3], b[4], b[5]);
}

int
t_signup_as(struct t_person *p, const char *phone, const char *last,
    const char *first, const char *gender, const char *birth)
{
	char	 body[1024], ph[sizeof(p->phone)];

	/* (phone may be p->phone.) */
	if (phone != NULL)
		snprintf(ph, sizeof(ph), "%s", phone);
	else
		t_unique_phone(ph);
	memset(p, 0, sizeof(*p));
	t_client_init(&p->c);
	memcpy(p->phone, ph, sizeof(ph));
	snprintf(p->password, sizeof(p->password), "secret-%s", p->phone + 5);
	t_form(&p->c, "/register");
	snprintf(body, sizeof(body), "last_name=%s&first_name=%s&patronymic="
	    "&gender=%s&birth_date=%s&phone=%s&email=&consent=1&password=%s",
	    t_enc(last), t_enc(first), gender, birth, t_enc(p->phone),
	    t_enc(p->password));
	if (t_postf(&p->c, "/register", "%s", body) != 303)
		T_FAIL("sign-up %s: status %ld: %.300s", last, p->c.r.status,
		    t_snippet(&p->c));
	t_form(&p->c, "/verify");
	if (t_postf(&p->c, "/verify", "code=%s",
	    t_outbox_code(p->phone)) != 303)
		T_FAIL("verify %s: status %ld: %.300s", last, p->c.r.status,
		    t_snippet(&p->c));
	if ((p->id = t_account_id(p)) <= 0)
		T_FAIL("sign-up %s: no account", last);
	return 0;
}

int
t_signup(struct t_person *p, const char *last, const char *first)
{
	return t_signup_as(p, NULL, last, first, "f", "1990-05-17");
}

void
t_unique_inn(char inn[11], char kpp[10])
{
	static const int w[9] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	unsigned char	 b[18];
	int		 i, sum = 0;

	t_random(b, sizeof(b));
	for (i = 0; i < 9; i++)
		inn[i] = (char)('0' + (i == 0 ? 7 : b[i] % 10));
	for (i = 0; i < 9; i++)
		sum += w[i] * (inn[i] - '0');
	inn[9] = (char)('0' + sum % 11 % 10);
	inn[10] = '\0';
	for (i = 0; i < 9; i++)
		kpp[i] = (char)('0' + b[9 + i] % 10);
	kpp[9] = '\0';
}

long long
t_org_create(struct t_person *admin, const char *name)
{
	char		 cmd[1024], inn[11], kpp[10], line[64];
	const char	*root = getenv("PARTA_ROOT");
	FILE		*p;
	long long	 id = -1;

	t_unique_inn(inn, kpp);
	snprintf(cmd, sizeof(cmd), "%s/build/bin/parta-admin org-create 70 "
	    "school %s %s '%s' '%s'", root ? root : ".", inn, kpp,
	    name ? name : "Школа №1", admin->phone);
	if ((p = popen(cmd, "r")) == NULL)
		T_FAIL("popen %s", cmd);
	if (fgets(line, sizeof(line), p) != NULL)
		id = atoll(line);
	if (pclose(p) != 0 || id <= 0)
		T_FAIL("parta-admin org-create failed");
	return id;
}

long long
t_id_after(const char *s, const char *prefix)
{
	const char	*p;

	if (s == NULL || (p = strstr(s, prefix)) == NULL)
		return -1;
	p += strlen(prefix);
	if (*p < '0' || *p > '9')
		return -1;
	return atoll(p);
}

int
t_login(struct t_person *p)
{
	t_client_init(&p->c);
	t_form(&p->c, "/login");
	if (t_postf(&p->c, "/login", "login=%s&password=%s", t_enc(p->phone),
	    t_enc(p->password)) != 303)
		T_FAIL("login: status %ld", p->c.r.status);
	return 0;
}

/*
 * The database: one connection a thread (t_parallel workers have their
 * own), opened on first use and closed when the thread ends; the main
 * thread's when the program does.  A connection the server dropped (a
 * restart in the fault tests) is opened again on the next call.
 */
static _Thread_local PGconn	*t_pg;
static pthread_key_t		 t_pg_key;
static pthread_once_t		 t_pg_once = PTHREAD_ONCE_INIT;

static void
t_pg_close(void *conn)
{
	PQfinish(conn);
}

static void
t_pg_key_make(void)
{
	pthread_key_create(&t_pg_key, t_pg_close);
}

/* The thread's connection with the old one (if any) closed first. */
static PGconn *
t_pg_open(void)
{
	const char	*db = getenv("PARTA_DB");

	pthread_once(&t_pg_once, t_pg_key_make);
	if (t_pg != NULL) {
		pthread_setspecific(t_pg_key, NULL);
		PQfinish(t_pg);
		t_pg = NULL;
	}
	if (db == NULL)
		return NULL;
	t_pg = PQconnectdb(db);
	if (PQstatus(t_pg) != CONNECTION_OK) {
		fprintf(stderr, "t_sql: %s", PQerrorMessage(t_pg));
		PQfinish(t_pg);
		t_pg = NULL;
		return NULL;
	}
	pthread_setspecific(t_pg_key, t_pg);
	return t_pg;
}

static int
t_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (c & 0x80);
}

static size_t
t_ident_len(const char *s)
{
	size_t	 n = 0;

	while (t_ident(s[n]))
		n++;
	return n;
}

/*
 * The length of the statement at the start of s, up to and with its
 * semicolon, as psql splits a script: not in quotes ('…', E'…', "…",
 * $tag$…$tag$), comments or parentheses.
 */
static size_t
t_sql_stmt(const char *s)
{
	const char	*p = s, *e;
	size_t		 tag;
	int		 depth = 0;

	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {
			/* E'…' takes backslash escapes. */
			int	 esc = *p == '\'' && p > s &&
			    (p[-1] == 'E' || p[-1] == 'e') &&
			    (p - 1 == s || !t_ident(p[-2]));
			char	 q = *p++;

			while (*p != '\0' && *p != q)
				p += esc && *p == '\\' && p[1] != '\0' ? 2 : 1;
			if (*p != '\0')
				p++;
		} else if (*p == '$' && (p == s || !t_ident(p[-1])) &&
		    !isdigit((unsigned char)p[1]) &&
		    p[1 + (tag = t_ident_len(p + 1))] == '$') {
			char	 end[128];

			snprintf(end, sizeof(end), "%.*s", (int)tag + 2, p);
			e = strstr(p + tag + 2, end);
			p = e != NULL ? e + tag + 2 : p + strlen(p);
		} else if (p[0] == '-' && p[1] == '-')
			p += strcspn(p, "\n");
		else if (p[0] == '/' && p[1] == '*') {
			e = strstr(p + 2, "*/");
			p = e != NULL ? e + 2 : p + strlen(p);
		} else if (*p == '(')
			depth++, p++;
		else if (*p == ')')
			depth--, p++;
		else if (*p == ';' && depth <= 0)
			return (size_t)(p + 1 - s);
		else
			p++;
	}
	return (size_t)(p - s);
}

/* Whether s holds more than white space and comments. */
static int
t_sql_blank(const char *s, size_t n)
{
	const char	*p = s, *end = s + n, *e;

	while (p < end) {
		if (isspace((unsigned char)*p) || *p == ';')
			p++;
		else if (p + 1 < end && p[0] == '-' && p[1] == '-')
			p += strcspn(p, "\n");
		else if (p + 1 < end && p[0] == '/' && p[1] == '*' &&
		    (e = strstr(p + 2, "*/")) != NULL && e < end)
			p = e + 2;
		else
			return 0;
	}
	return 1;
}

/*
 * Run the script sql as psql -f would on the thread's connection: its
 * statements one at a time, each committed on its own unless the script
 * says BEGIN, stopping at the first error; what it leaves open is rolled
 * back.  The first column of the first row any statement returned goes
 * to out.  0, 1 if the connection was lost before any statement ran, or
 * -1.
 */
static int
t_sql_run(PGconn *conn, const char *sql, char *out, size_t outsz)
{
	PGresult	*res;
	const char	*p;
	char		*stmt;
	size_t		 n;
	int		 rc = 0, ran = 0, got = 0;

	out[0] = '\0';
	for (p = sql; *p != '\0'; p += n) {
		n = t_sql_stmt(p);
		if (t_sql_blank(p, n))
			continue;
		if ((stmt = strndup(p, n)) == NULL)
			return -1;
		res = PQexec(conn, stmt);
		free(stmt);
		switch (PQresultStatus(res)) {
		case PGRES_TUPLES_OK:
			if (!got && PQntuples(res) > 0 && PQnfields(res) > 0) {
				snprintf(out, outsz, "%s",
				    PQgetvalue(res, 0, 0));
				got = 1;
			}
			/* FALLTHROUGH */
		case PGRES_COMMAND_OK:
		case PGRES_EMPTY_QUERY:
			ran = 1;
			break;
		default:
			rc = !ran && PQstatus(conn) == CONNECTION_BAD ? 1 : -1;
			if (rc == -1)
				fprintf(stderr, "t_sql: %s",
				    PQerrorMessage(conn));
			break;
		}
		PQclear(res);
		if (rc != 0)
			break;
	}
	if (PQstatus(conn) == CONNECTION_OK &&
	    PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexec(conn, "ROLLBACK"));
	return rc;
}

const char *
t_sql(const char *fmt, ...)
{
	static _Thread_local char	 out[16384];
	char		*sql;
	va_list		 ap;
	int		 rc;

	va_start(ap, fmt);
	rc = vasprintf(&sql, fmt, ap);
	va_end(ap);
	if (rc == -1)
		return NULL;
	if (t_pg == NULL || PQstatus(t_pg) != CONNECTION_OK)
		t_pg_open();
	rc = t_pg != NULL ? t_sql_run(t_pg, sql, out, sizeof(out)) : -1;
	/* Dropped by the server since the last call: once more, afresh. */
	if (rc == 1 && t_pg_open() != NULL)
		rc = t_sql_run(t_pg, sql, out, sizeof(out));
	free(sql);
	return rc == 0 ? out : NULL;
}

int
t_operator_login(struct t_client *c)
{
	char		 path[1024], login[128], pw[128];
	const char	*root = getenv("PARTA_ROOT");
	FILE		*f;

	snprintf(path, sizeof(path), "%s/var/operator.txt", root ? root : ".");
	if ((f = fopen(path, "r")) == NULL ||
	    fgets(login, sizeof(login), f) == NULL ||
	    fgets(pw, sizeof(pw), f) == NULL) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	login[strcspn(login, "\n")] = '\0';
	pw[strcspn(pw, "\n")] = '\0';
	t_client_init(c);
	t_form(c, "/login");
	return t_postf(c, "/login", "login=%s&password=%s", t_enc(login),
	    t_enc(pw)) == 303 ? 0 : -1;
}

double
t_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct t_thread {
	pthread_t		 th;
	int			 i;
	void			(*fn)(int, void *);
	void			*arg;
	pthread_barrier_t	*go;
};

static void *
t_thread_main(void *p)
{
	struct t_thread	*t = p;
	jmp_buf		 jb;

	pthread_barrier_wait(t->go);
	/* A failed check ends this worker only. */
	t_jump = &jb;
	if (setjmp(jb) == 0)
		t->fn(t->i, t->arg);
	t_jump = NULL;
	return NULL;
}

void
t_parallel(int n, void (*fn)(int, void *), void *arg)
{
	struct t_thread		*t;
	pthread_barrier_t	 go;
	int			 i;

	t = calloc((size_t)n, sizeof(*t));
	pthread_barrier_init(&go, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		t[i].i = i;
		t[i].fn = fn;
		t[i].arg = arg;
		t[i].go = &go;
		pthread_create(&t[i].th, NULL, t_thread_main, &t[i]);
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i].th, NULL);
	pthread_barrier_destroy(&go);
	free(t);
}

/* Decode the one QR code of an SVG image: the text into out, 0 or -1. */
int
t_qr_decode(const char *svg, size_t len, char *out, size_t outsz)
{
	char	 in[] = "/tmp/parta-qr-XXXXXX.svg", png[64], cmd[256];
	FILE	*p;
	int	 fd, rc;

	if ((fd = mkstemps(in, 4)) == -1)
		return -1;
	if (write(fd, svg, len) != (ssize_t)len) {
		close(fd);
		unlink(in);
		return -1;
	}
	close(fd);
	snprintf(png, sizeof(png), "%.*s.png", (int)strlen(in) - 4, in);
	snprintf(cmd, sizeof(cmd), "rsvg-convert -w 400 -h 400 -b white "
	    "-f png -o %s %s && zbarimg --raw -q %s 2>/dev/null", png, in, png);
	out[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL) {
		unlink(in);
		return -1;
	}
	if (fgets(out, (int)outsz, p) == NULL)
		out[0] = '\0';
	rc = pclose(p);
	unlink(in);
	unlink(png);
	out[strcspn(out, "\r\n")] = '\0';
	return rc == 0 && out[0] != '\0' ? 0 : -1;
}

int
t_qr(const struct t_client *c, char *out, size_t outsz)
{
	const char	*s, *e;

	out[0] = '\0';
	if (c->r.body == NULL ||
	    (s = strstr(c->r.body, "<svg class=\"qr\"")) == NULL ||
	    (e = strstr(s, "</svg>")) == NULL)
		return -1;
	return t_qr_decode(s, (size_t)(e + 6 - s), out, outsz);
}

long long
t_ll(const char *v)
{
	return v != NULL && *v != '\0' ? atoll(v) : -1;
}

long long
t_account_id(const struct t_person *p)
{
	return t_ll(t_sql("SELECT id FROM parta.account WHERE phone = '%s'"
	    " AND phone_verified", p->phone));
}

const char *
t_hidden(const struct t_client *c, const char *name)
{
	static _Thread_local char	 val[256];
	char				 pat[64];
	const char			*p, *e;

	val[0] = '\0';
	snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
	if (c->r.body == NULL || (p = strstr(c->r.body, pat)) == NULL)
		return val;
	p += strlen(pat);
	if ((e = strchr(p, '"')) == NULL || (size_t)(e - p) >= sizeof(val))
		return val;
	memcpy(val, p, (size_t)(e - p));
	val[e - p] = '\0';
	return val;
}

int
t_token(const struct t_client *c, const char *marker, char *out,
    size_t outsz)
{
	const char	*p;
	size_t		 n;

	if (c->r.body == NULL || (p = strstr(c->r.body, marker)) == NULL)
		return -1;
	p += strlen(marker);
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
	if (n < 16 || n >= outsz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}
