/*
 * Security properties that no single program owns, checked against the
 * running stack after the HTTP suite: secrets (session tokens, codes,
 * passwords, CSRF tokens) never reach a log; cookies are Secure when the
 * request came over HTTPS; an expired session is a logged-out visitor
 * and stays one.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "fixture.h"

static const char *
root(void)
{
	const char	*r = getenv("PARTA_ROOT");

	return r != NULL ? r : ".";
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Whether secret occurs in text.  A numeric secret (a six-digit code)
 * only counts as a whole number, not inside a longer one such as a
 * phone number or a timestamp.
 */
static int
contains(const char *text, const char *secret)
{
	const char	*p;
	size_t		 n = strlen(secret);
	int		 numeric = strspn(secret, "0123456789") == n;

	for (p = text; (p = strstr(p, secret)) != NULL; p++) {
		if (!numeric)
			return 1;
		if ((p == text || !is_digit(p[-1])) && !is_digit(p[n]))
			return 1;
	}
	return 0;
}

/* The whole file (malloc'd, NUL-terminated; NULs inside become '.'). */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s = NULL;
	size_t	 len = 0, n, i;
	char	 chunk[65536];

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		s = realloc(s, len + n + 1);
		memcpy(s + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (s == NULL)
		s = calloc(1, 1);
	s[len] = '\0';
	for (i = 0; i < len; i++)
		if (s[i] == '\0')
			s[i] = '.';
	return s;
}

/*
 * Search every log file in var/log for each of the n secrets: the number of
 * log files read, or -1 (and a failure) when a secret is found.
 */
static int
logs_lack(const char *const *secrets, const char *const *what, size_t n)
{
	char		 dir[4096], path[8192];
	struct dirent	*e;
	DIR		*d;
	char		*text;
	size_t		 i, len;
	int		 files = 0, found = 0;

	snprintf(dir, sizeof(dir), "%s/var/log", root());
	if ((d = opendir(dir)) == NULL) {
		t_fail(__FILE__, __LINE__, "cannot open %s", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".log") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((text = slurp(path)) == NULL)
			continue;
		files++;
		for (i = 0; i < n; i++)
			if (secrets[i][0] != '\0' &&
			    contains(text, secrets[i])) {
				t_fail(__FILE__, __LINE__, "%s found in "
				    "var/log/%s", what[i], e->d_name);
				found = 1;
			}
		free(text);
	}
	closedir(d);
	return found ? -1 : files;
}

static void
secrets_not_in_logs(void)
{
	struct t_person	 p;
	struct t_client	 c, other;
	char		 code1[8], code2[8], code3[8], wrong[8], phone[16];
	char		 session1[64], session2[64];
	char		 visitor_csrf[64], session_csrf[128], body[512];
	const char	*secrets[9], *what[9];
	int		 files;

	t_signup(&p, "Секретов", "Тайный");
	snprintf(code1, sizeof(code1), "%s", t_outbox_code(p.phone));
	T_EQ(strlen(code1), 6);
	snprintf(session1, sizeof(session1), "%s",
	    t_cookie(&p.c, "parta_session"));
	T_EQ(strlen(session1), 43);
	t_form(&p.c, "/me");
	snprintf(session_csrf, sizeof(session_csrf), "%s", p.c.csrf);
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);
	/* The dead session token sent again. */
	T_EQ(t_get(&p.c, "/me"), 303);

	t_client_init(&c);
	T_EQ(t_get(&c, "/login"), 200);
	snprintf(visitor_csrf, sizeof(visitor_csrf), "%s",
	    t_cookie(&c, "parta_csrf") ? t_cookie(&c, "parta_csrf") : "");
	T_EQ(strlen(visitor_csrf), 43);
	/* A wrong password first (logged as a failure, if at all). */
	T_EQ(t_postf(&c, "/login", "login=%s&password=%s-x", t_enc(p.phone),
	    t_enc(p.password)), 422);
	T_EQ(t_postf(&c, "/login", "login=%s&password=%s", t_enc(p.phone),
	    t_enc(p.password)), 303);
	snprintf(session2, sizeof(session2), "%s",
	    t_cookie(&c, "parta_session"));
	T_EQ(strlen(session2), 43);
	/* Someone else's codes: a wrong one typed, then a new one sent. */
	t_client_init(&other);
	t_unique_phone(phone);
	t_form(&other, "/register");
	T_EQ(t_postf(&other, "/register", "last_name=A&first_name=B&gender=m"
	    "&birth_date=2000-01-01&phone=%s&email=&consent=1&password=%s",
	    t_enc(phone), t_enc(p.password)), 303);
	snprintf(code2, sizeof(code2), "%s", t_outbox_code(phone));
	T_EQ(strlen(code2), 6);
	t_form(&other, "/verify");
	snprintf(wrong, sizeof(wrong), "%06d", (atoi(code2) + 1) % 1000000);
	T_EQ(t_postf(&other, "/verify", "code=%s", wrong), 422);
	T_EQ(t_postf(&other, "/verify/resend", "channel=phone"), 303);
	snprintf(code3, sizeof(code3), "%s", t_outbox_code(phone));
	T_EQ(strlen(code3), 6);
	t_client_free(&other);
	T_EQ(t_get(&c, "/me"), 200);
	/* Forged and malformed requests carrying the secrets (the query
	 * string is not part of a route, so nginx does not log it). */
	snprintf(body, sizeof(body), "csrf=%s&x=%s", visitor_csrf, session2);
	T_EQ(t_post(&c, "/logout", body), 403);
	snprintf(body, sizeof(body), "/login?next=%%FF%s", session2);
	T_EQ(t_get(&c, body), 400);

	secrets[0] = code1;
	what[0] = "the sign-up code";
	secrets[1] = code2;
	what[1] = "a code";
	secrets[7] = code3;
	what[7] = "a resent code";
	secrets[8] = wrong;
	what[8] = "a wrong code typed";
	secrets[2] = session1;
	what[2] = "a session token (logged out)";
	secrets[3] = session2;
	what[3] = "a session token";
	secrets[4] = p.password;
	what[4] = "a password";
	secrets[5] = visitor_csrf;
	what[5] = "a visitor's CSRF token";
	secrets[6] = session_csrf;
	what[6] = "a session's CSRF token";
	/* The programs write their logs line by line: give them a moment. */
	usleep(200 * 1000);
	files = logs_lack(secrets, what, 9);
	if (files == -1)
		return;
	/* The logs were really read: nginx's and each program's. */
	T_TRUE(files >= 3);
	t_client_free(&c);
	t_client_free(&p.c);
}

/*
 * Run a program as plain CGI with extra environment (single-quoted
 * NAME='value' words) and stdin from a file: its whole output.
 */
static char *
cgi(const char *prog, const char *env, const char *input)
{
	char	 cmd[8192], in[] = "/tmp/parta-t-cgi-XXXXXX";
	char	*out = NULL;
	size_t	 len = 0, n;
	char	 chunk[8192];
	FILE	*f;
	int	 fd;

	if ((fd = mkstemp(in)) == -1)
		return NULL;
	if (input != NULL && write(fd, input, strlen(input)) !=
	    (ssize_t)strlen(input)) {
		close(fd);
		unlink(in);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "env -i PATH=/usr/bin:/bin "
	    "PARTA_DB='%s' PARTA_TEMPLATES='%s/html/templates' "
	    "PARTA_OUTBOX_DIR='%s/var/outbox' GATEWAY_INTERFACE=CGI/1.1 "
	    "PARTA_BASE_URL=https://parta.test "
	    "SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 %s "
	    "'%s/build/cgi-bin/%s' <%s", getenv("PARTA_DB"), root(), root(),
	    env, root(), prog, in);
	if ((f = popen(cmd, "r")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			out = realloc(out, len + n + 1);
			memcpy(out + len, chunk, n);
			len += n;
			out[len] = '\0';
		}
		pclose(f);
	}
	unlink(in);
	return out;
}

/* The Set-Cookie line for name in a CGI response (static), or NULL. */
static const char *
set_cookie(const char *out, const char *name)
{
	static char	 line[1024];
	const char	*p, *e;
	size_t		 n = strlen(name);

	for (p = out; p != NULL && *p != '\0' && *p != '\r' && *p != '\n';
	    p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		if (strncmp(p, "Set-Cookie: ", 12) == 0 &&
		    strncmp(p + 12, name, n) == 0 && p[12 + n] == '=') {
			snprintf(line, sizeof(line), "%.*s", (int)(e - p), p);
			line[strcspn(line, "\r")] = '\0';
			return line;
		}
	}
	return NULL;
}

static void
cookies_secure_over_https(void)
{
	struct t_person	 p;
	char		*out;
	const char	*h;
	const char	*tok = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
	char		 env[1024], body[512];

	t_signup(&p, "Шифрованный", "Канал");
	t_client_free(&p.c);

	/* The visitor's CSRF cookie: Secure only when HTTPS is on. */
	out = cgi("session", "REQUEST_METHOD=GET SCRIPT_NAME=/login HTTPS=on",
	    NULL);
	T_TRUE(out != NULL);
	T_TRUE(strncmp(out, "Status: 200", 11) == 0);
	/* Named __Host-: no subdomain or plain-HTTP page can set it. */
	T_TRUE(set_cookie(out, "parta_csrf") == NULL);
	h = set_cookie(out, "__Host-parta_csrf");
	T_TRUE(h != NULL);
	T_TRUE(strstr(h, "; Secure") != NULL);
	T_TRUE(strstr(h, "HttpOnly") != NULL);
	T_TRUE(strstr(h, "SameSite=Lax") != NULL);
	free(out);
	out = cgi("session", "REQUEST_METHOD=GET SCRIPT_NAME=/login", NULL);
	T_TRUE(out != NULL);
	h = set_cookie(out, "parta_csrf");
	T_TRUE(h != NULL);
	T_TRUE(strstr(h, "Secure") == NULL);
	free(out);

	/* Over HTTPS a cookie without the prefix is not ours: a CSRF
	 * token planted by a subdomain does not pass. */
	snprintf(body, sizeof(body), "csrf=%s&login=%s&password=%s", tok,
	    t_enc(p.phone), t_enc(p.password));
	snprintf(env, sizeof(env), "REQUEST_METHOD=POST SCRIPT_NAME=/login "
	    "CONTENT_TYPE=application/x-www-form-urlencoded "
	    "CONTENT_LENGTH=%zu HTTP_COOKIE='parta_csrf=%s' HTTPS=on",
	    strlen(body), tok);
	out = cgi("session", env, body);
	T_TRUE(out != NULL && strncmp(out, "Status: 403", 11) == 0);
	free(out);

	/* Logging in over HTTPS: a Secure session cookie. */
	snprintf(env, sizeof(env), "REQUEST_METHOD=POST SCRIPT_NAME=/login "
	    "CONTENT_TYPE=application/x-www-form-urlencoded "
	    "CONTENT_LENGTH=%zu HTTP_COOKIE='__Host-parta_csrf=%s' HTTPS=on",
	    strlen(body), tok);
	out = cgi("session", env, body);
	T_TRUE(out != NULL);
	if (strncmp(out, "Status: 303", 11) != 0)
		T_FAIL("login over HTTPS: %.200s", out);
	T_TRUE(set_cookie(out, "parta_session") == NULL);
	h = set_cookie(out, "__Host-parta_session");
	T_TRUE(h != NULL);
	T_TRUE(strstr(h, "; Secure") != NULL);
	T_TRUE(strstr(h, "HttpOnly") != NULL);
	T_TRUE(strstr(h, "SameSite=Lax") != NULL);
	free(out);

	/* Through nginx (plain HTTP here) the flag is absent. */
	T_EQ(t_login(&p), 0);
	T_TRUE(t_cookie(&p.c, "parta_session") != NULL);
	t_client_free(&p.c);
	t_client_init(&p.c);
	T_EQ(t_get(&p.c, "/login"), 200);
	T_TRUE((h = t_header(&p.c, "Set-Cookie")) != NULL);
	T_TRUE(strstr(h, "Secure") == NULL);
	t_client_free(&p.c);
}

/* A program does not start without PARTA_BASE_URL: links would have to
 * be built from the Host header the client sends. */
static void
base_url_required(void)
{
	char	*out;

	/* No answer at all (the web server says 502). */
	out = cgi("session", "REQUEST_METHOD=GET SCRIPT_NAME=/login "
	    "HTTP_HOST=evil.example PARTA_BASE_URL=", NULL);
	T_TRUE(out == NULL);
	free(out);
	out = cgi("session", "REQUEST_METHOD=GET SCRIPT_NAME=/login "
	    "HTTP_HOST=evil.example PARTA_BASE_URL=evil.example", NULL);
	T_TRUE(out == NULL);
	free(out);
	out = cgi("session", "REQUEST_METHOD=GET SCRIPT_NAME=/login "
	    "HTTP_HOST=evil.example", NULL);
	T_TRUE(out != NULL && strncmp(out, "Status: 200", 11) == 0);
	free(out);
}

static void
expired_session_is_logged_out(void)
{
	struct t_person	 p;
	const char	*n;
	char		 token[64], hdr[128];

	t_signup(&p, "Просроченный", "Сеанс");
	T_EQ(t_get(&p.c, "/me"), 200);
	snprintf(token, sizeof(token), "%s", t_cookie(&p.c, "parta_session"));
	/* A session last seen 31 days ago, expired yesterday. */
	n = t_sql("UPDATE parta.session SET expires_at = now() - interval "
	    "'1 day', last_seen = now() - interval '31 days' WHERE "
	    "account_id = (SELECT id FROM parta.account WHERE phone = '%s' "
	    "AND phone_verified) RETURNING 1", p.phone);
	T_STREQ(n, "1");
	T_EQ(t_get(&p.c, "/me"), 303);
	T_STREQ(t_header(&p.c, "Location"), "/login?next=/me");
	/* And it stays dead: using it must not bring it back. */
	T_EQ(t_get(&p.c, "/me"), 303);
	n = t_sql("SELECT count(*) FROM parta.session WHERE account_id = "
	    "(SELECT id FROM parta.account WHERE phone = '%s' AND "
	    "phone_verified) AND expires_at > now()", p.phone);
	T_STREQ(n, "0");
	/* Not even on another page, nor for a POST. */
	t_client_free(&p.c);
	t_client_init(&p.c);
	snprintf(hdr, sizeof(hdr), "Cookie: parta_session=%s\r\n", token);
	T_EQ(t_request(&p.c, "GET", "/verify", hdr, NULL, 0), 303);
	T_TRUE(strncmp(t_header(&p.c, "Location"), "/login", 6) == 0);
	t_client_free(&p.c);
	/* Logging in again gives a new, working session. */
	T_EQ(t_login(&p), 0);
	T_EQ(t_get(&p.c, "/me"), 200);
	T_TRUE(strcmp(t_cookie(&p.c, "parta_session"), token) != 0);
	t_client_free(&p.c);
}

/*
 * Log every statement the database runs, with its parameters
 * (log_min_duration_statement = 0, as an administrator chasing a slow
 * page would), or stop: through the cluster's superuser, reloaded into
 * the programs' open connections.  0, or -1.
 */
static int
statement_log(int on)
{
	const char	*db = getenv("PARTA_DB");
	char		 conninfo[1024];
	PGconn		*conn;
	PGresult	*r1 = NULL, *r2 = NULL;
	int		 ok;

	if (db == NULL)
		return -1;
	snprintf(conninfo, sizeof(conninfo), "%s user=postgres", db);
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) == CONNECTION_OK) {
		r1 = PQexec(conn, on ? "ALTER SYSTEM SET"
		    " log_min_duration_statement = 0" : "ALTER SYSTEM RESET"
		    " log_min_duration_statement");
		if (PQresultStatus(r1) == PGRES_COMMAND_OK)
			r2 = PQexec(conn, "SELECT pg_reload_conf()");
	}
	ok = PQresultStatus(r2) == PGRES_TUPLES_OK;
	if (!ok)
		printf("# statement_log: %s", PQerrorMessage(conn));
	PQclear(r1);
	PQclear(r2);
	PQfinish(conn);
	if (!ok)
		return -1;
	/* Each connection reloads before its next statement. */
	usleep(300 * 1000);
	return 0;
}

/*
 * Tokens and passwords reach the database only as hashes, so that its
 * statement log (turned on here) never holds one.  (A code does reach
 * it, in the outbox's message to deliver, and so does a session's CSRF
 * token: see README, "Secrets".)
 */
static void
tokens_reach_database_hashed(void)
{
	struct t_person	 p;
	const char	*secrets[4], *what[4];
	char		 session[64], link[44], chat[44], path[64];

	t_token_new(link);
	t_token_new(chat);
	t_signup(&p, "Журналов", "Тихон");
	t_client_free(&p.c);
	t_client_init(&p.c);
	if (statement_log(1) == -1) {
		T_TRUE(!"statement logging could not be turned on");
		return;
	}
	T_EQ(t_login(&p), 0);
	snprintf(session, sizeof(session), "%s",
	    t_cookie(&p.c, "parta_session") ? t_cookie(&p.c,
	    "parta_session") : "");
	T_EQ(strlen(session), 43);
	T_EQ(t_get(&p.c, "/me"), 200);
	/* Any well-formed link token is looked up. */
	snprintf(path, sizeof(path), "/join/%s", link);
	T_EQ(t_get(&p.c, path), 404);
	snprintf(path, sizeof(path), "/c/%s", chat);
	T_EQ(t_get(&p.c, path), 404);
	T_EQ(statement_log(0), 0);
	secrets[0] = link;
	what[0] = "an invite link's token";
	secrets[1] = chat;
	what[1] = "a chat link's token";
	secrets[2] = session;
	what[2] = "a session token";
	secrets[3] = p.password;
	what[3] = "a password";
	/* The statements were logged: the log was really read. */
	T_TRUE(logs_lack(secrets, what, 4) >= 1);
	T_STREQ(t_sql("SELECT current_setting('log_min_duration_statement')"),
	    "-1");
	t_client_free(&p.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "no token, code, password or CSRF token in any log", secrets_not_in_logs },
		{ "tokens and passwords reach the database only hashed", tokens_reach_database_hashed },
		{ "cookies Secure behind HTTPS (CGI with HTTPS=on), not over HTTP", cookies_secure_over_https },
		{ "no start without PARTA_BASE_URL (never the Host header)", base_url_required },
		{ "an expired session is logged out and stays so", expired_session_is_logged_out },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
