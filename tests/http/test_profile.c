/*
 * A person's own account (cgi-bin/account.c): /me/profile, /me/password
 * (with the skip after a login by code), /me/sessions and ending them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "t.h"

#define UA_ANDROID	"Mozilla/5.0 (Linux; Android 13; SM-A515F) " \
	"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile " \
	"Safari/537.36"
#define UA_IPHONE	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like " \
	"Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 " \
	"Mobile/15E148 Safari/604.1"

/* Log p in on a fresh client c with a User-Agent: the status. */
static long
login_as(struct t_client *c, const struct t_person *p, const char *ua,
    const char *password)
{
	t_client_init(c);
	if (ua != NULL)
		curl_easy_setopt(c->curl, CURLOPT_USERAGENT, ua);
	t_form(c, "/login");
	return t_postf(c, "/login", "login=%s&password=%s", t_enc(p->phone),
	    t_enc(password));
}

/* The public id of the session client c holds, or -1. */
static long long
session_id(const struct t_client *c)
{
	char	 cookie[128];
	const char *v = t_cookie(c, "parta_session");

	if (v == NULL)
		return -1;
	snprintf(cookie, sizeof(cookie), "%s", v);
	return t_ll(t_sql("SELECT id FROM parta.session WHERE token_hash ="
	    " sha256('%s'::bytea)", cookie));
}

/* The client's next request is a logged-out one: 303 to /login. */
static int
refused(struct t_client *c)
{
	const char	*loc;

	if (t_get(c, "/me") != 303)
		return 0;
	loc = t_header(c, "Location");
	return loc != NULL && strncmp(loc, "/login", 6) == 0;
}

static void
me_links(void)
{
	struct t_person	 p;

	t_signup(&p, "Ссылкина", "Анна");
	T_EQ(t_get(&p.c, "/me"), 200);
	T_HAS(&p.c, "href=\"/me/profile\"");
	T_HAS(&p.c, "href=\"/me/password\"");
	T_HAS(&p.c, "href=\"/me/sessions\"");
	t_client_free(&p.c);
}

static void
profile_change(void)
{
	struct t_person	 p;
	long long	 id;

	t_signup(&p, "Профилева", "Ольга");
	id = t_account_id(&p);
	T_EQ(t_get(&p.c, "/me/profile"), 200);
	T_HAS(&p.c, "value=\"Профилева\"");
	/* The birth date is text, with who corrects it: no field. */
	T_HAS(&p.c, "17.05.1990");
	T_HAS(&p.c, "Дату рождения здесь не поменять");
	T_LACKS(&p.c, "name=\"birth_date\"");

	/* Bad input: 422 next to the fields, what was typed kept, nothing
	 * changed. */
	T_EQ(t_postf(&p.c, "/me/profile", "last_name=%s&first_name=%s"
	    "&patronymic=%s&gender=m&birth_date=2999-01-01", t_enc("Ц3"),
	    t_enc("Новая"), t_enc("Игоревна")), 422);
	T_HAS(&p.c, "id=\"last_name_error\"");
	T_LACKS(&p.c, "id=\"birth_date_error\"");
	T_HAS(&p.c, "17.05.1990");
	T_LACKS(&p.c, "id=\"first_name_error\"");
	T_HAS(&p.c, "value=\"Ц3\"");
	T_HAS(&p.c, "value=\"Новая\"");
	T_HAS(&p.c, "value=\"Игоревна\"");
	T_LACKS(&p.c, "2999-01-01");
	T_HAS(&p.c, "value=\"m\" checked");
	T_STREQ(t_sql("SELECT last_name || first_name || gender FROM"
	    " parta.account WHERE id = %lld", id), "ПрофилеваОльгаf");
	/* Missing required fields. */
	t_form(&p.c, "/me/profile");
	T_EQ(t_postf(&p.c, "/me/profile", "last_name=&first_name=X"), 422);
	T_HAS(&p.c, "Заполните поле");
	T_HAS(&p.c, "id=\"gender_error\"");

	/* Good input: saved, and /me says the new name; a birth date sent
	 * along (an old form, or a minor making himself an adult) changes
	 * nothing. */
	t_form(&p.c, "/me/profile");
	T_EQ(t_postf(&p.c, "/me/profile", "last_name=%s&first_name=%s"
	    "&patronymic=%s&gender=m&birth_date=1988-02-29",
	    t_enc("Петрова-Сидорова"), t_enc("Новая"), t_enc("Игоревна")),
	    303);
	T_STREQ(t_header(&p.c, "Location"), "/me/profile?saved=1");
	T_EQ(t_get(&p.c, "/me/profile?saved=1"), 200);
	T_HAS(&p.c, "Сохранено");
	T_HAS(&p.c, "17.05.1990");
	T_EQ(t_get(&p.c, "/me"), 200);
	T_HAS(&p.c, "Петрова-Сидорова Новая Игоревна");
	T_STREQ(t_sql("SELECT gender || birth_date FROM parta.account"
	    " WHERE id = %lld", id), "m1990-05-17");
	/* The database refuses it whoever updates, but for the operator's
	 * correction, which says so. */
	T_TRUE(t_sql("UPDATE parta.account SET birth_date = '1980-01-01'"
	    " WHERE id = %lld", id) == NULL);
	T_STREQ(t_sql("BEGIN; SET LOCAL parta.birth_date_fix = 'on';"
	    " UPDATE parta.account SET birth_date = '1990-05-18' WHERE id ="
	    " %lld RETURNING birth_date; COMMIT", id), "1990-05-18");
	t_client_free(&p.c);
}

static void
password_change(void)
{
	struct t_person	 p;
	struct t_client	 other;

	t_signup(&p, "Паролев", "Пётр");
	T_EQ(login_as(&other, &p, NULL, p.password), 303);
	T_EQ(t_get(&other, "/me"), 200);

	T_EQ(t_get(&p.c, "/me/password"), 200);
	T_HAS(&p.c, "Нынешний пароль");
	T_HAS(&p.c, "других устройствах");
	/* Wrong current password: 422, nothing changed. */
	T_EQ(t_postf(&p.c, "/me/password", "password=wrong-one&new_password="
	    "brand-new-pass"), 422);
	T_HAS(&p.c, "Неверный пароль");
	T_HAS(&p.c, "id=\"password_error\"");
	/* No current password at all, a new one too short. */
	T_EQ(t_postf(&p.c, "/me/password", "password=&new_password=short"),
	    422);
	T_HAS(&p.c, "Введите нынешний пароль");
	T_HAS(&p.c, "id=\"new_password_error\"");
	T_EQ(t_postf(&p.c, "/me/password", "password=%s&new_password=short",
	    t_enc(p.password)), 422);
	T_HAS(&p.c, "id=\"new_password_error\"");
	T_TRUE(!refused(&other));

	/* The right one: changed, the other session ended, this one kept. */
	t_form(&p.c, "/me/password");
	T_EQ(t_postf(&p.c, "/me/password", "password=%s&new_password="
	    "brand-new-pass", t_enc(p.password)), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me/password?changed=1");
	T_EQ(t_get(&p.c, "/me/password?changed=1"), 200);
	T_HAS(&p.c, "Пароль изменён. Завершено других сеансов: 1.");
	T_TRUE(refused(&other));
	T_EQ(t_get(&p.c, "/me"), 200);
	t_client_free(&other);

	/* The old password no longer logs in; the new one does. */
	T_EQ(login_as(&other, &p, NULL, p.password), 422);
	t_client_free(&other);
	T_EQ(login_as(&other, &p, NULL, "brand-new-pass"), 303);
	T_EQ(t_get(&other, "/me"), 200);
	t_client_free(&other);
	t_client_free(&p.c);
}

static void
password_throttled(void)
{
	struct t_person	 p;
	int		 i;

	t_signup(&p, "Перебиров", "Иван");
	t_form(&p.c, "/me/password");
	for (i = 0; i < 5; i++)
		T_EQ(t_postf(&p.c, "/me/password", "password=wrong-%d"
		    "&new_password=brand-new-pass", i), 422);
	/* Even the right password now waits. */
	T_EQ(t_postf(&p.c, "/me/password", "password=%s&new_password="
	    "brand-new-pass", t_enc(p.password)), 429);
	T_HAS(&p.c, "Подождите");
	t_client_free(&p.c);
}

static void
password_after_code_login(void)
{
	struct t_person	 p;
	struct t_client	 other;
	long long	 sid;

	t_signup(&p, "Кодова", "Дарья");
	T_EQ(login_as(&other, &p, NULL, p.password), 303);
	T_TRUE((sid = session_id(&p.c)) > 0);

	/* A code login 16 minutes ago: the current password is asked. */
	T_TRUE(t_sql("UPDATE parta.session SET code_login_at = now() -"
	    " interval '16 minutes' WHERE id = %lld", sid) != NULL);
	T_EQ(t_get(&p.c, "/me/password"), 200);
	T_HAS(&p.c, "Нынешний пароль");
	T_EQ(t_postf(&p.c, "/me/password", "new_password=brand-new-pass"),
	    422);

	/* A code login just now: not asked. */
	T_TRUE(t_sql("UPDATE parta.session SET code_login_at = now()"
	    " WHERE id = %lld", sid) != NULL);
	T_EQ(t_get(&p.c, "/me/password"), 200);
	T_LACKS(&p.c, "Нынешний пароль");
	T_HAS(&p.c, "Вы вошли по коду");
	/* The new password's rules still hold. */
	T_EQ(t_postf(&p.c, "/me/password", "new_password=short"), 422);
	T_HAS(&p.c, "id=\"new_password_error\"");
	T_EQ(t_postf(&p.c, "/me/password", "new_password=brand-new-pass"),
	    303);
	T_TRUE(refused(&other));
	t_client_free(&other);
	/* One new password per code login: asked again afterwards. */
	T_EQ(t_get(&p.c, "/me/password"), 200);
	T_HAS(&p.c, "Нынешний пароль");
	T_EQ(login_as(&other, &p, NULL, "brand-new-pass"), 303);
	t_client_free(&other);
	t_client_free(&p.c);
}

static void
sessions_list_and_end(void)
{
	struct t_person	 p;
	struct t_client	 a, b;
	long long	 ida, idb;
	char		 path[64];

	t_signup(&p, "Сеансова", "Вера");
	t_client_free(&p.c);
	T_EQ(login_as(&a, &p, UA_ANDROID, p.password), 303);
	T_EQ(login_as(&b, &p, UA_IPHONE, p.password), 303);
	T_TRUE((ida = session_id(&a)) > 0);
	T_TRUE((idb = session_id(&b)) > 0);
	T_TRUE(ida != idb);

	/* Times in Moscow time, named (a person has no region). */
	T_TRUE(t_sql("UPDATE parta.session SET created_at = "
	    "'2025-03-01 22:05:00+00' WHERE id = %lld", idb) != NULL);
	T_EQ(t_get(&a, "/me/sessions"), 200);
	T_HAS(&a, "Вход 02.03.2025 01:05 МСК");
	T_HAS(&a, "Chrome на Android</strong> <span class=\"ok\">"
	    "это устройство");
	T_HAS(&a, "Safari на iPhone</strong><br>");
	T_HAS(&a, "127.0.0.1");
	snprintf(path, sizeof(path), "/me/sessions/%lld/end", idb);
	T_HAS(&a, path);
	/* The token's hash is never shown. */
	T_LACKS(&a, t_sql("SELECT encode(token_hash, 'hex') FROM"
	    " parta.session WHERE id = %lld", idb));
	T_EQ(t_get(&b, "/me/sessions"), 200);
	T_HAS(&b, "Safari на iPhone</strong> <span class=\"ok\">"
	    "это устройство");

	/* A ends B: B's next request goes to /login, A stays. */
	t_form(&a, "/me/sessions");
	T_EQ(t_postf(&a, path, "x=1"), 303);
	T_STREQ(t_header(&a, "Location"), "/me/sessions?ended=1");
	T_TRUE(refused(&b));
	T_EQ(t_get(&a, "/me/sessions?ended=1"), 200);
	T_HAS(&a, "Сеанс завершён");
	T_LACKS(&a, "Safari на iPhone");
	/* Ending it again: no such session of mine. */
	T_EQ(t_postf(&a, path, "x=1"), 404);

	/* Ending one's own current session is logging out. */
	snprintf(path, sizeof(path), "/me/sessions/%lld/end", ida);
	t_form(&a, "/me/sessions");
	T_EQ(t_postf(&a, path, "x=1"), 303);
	T_STREQ(t_header(&a, "Location"), "/login");
	T_TRUE(refused(&a));
	t_client_free(&a);
	t_client_free(&b);
}

static void
sessions_end_others(void)
{
	struct t_person	 p;
	struct t_client	 b, c;

	t_signup(&p, "Другова", "Нина");
	T_EQ(login_as(&b, &p, UA_IPHONE, p.password), 303);
	T_EQ(login_as(&c, &p, UA_ANDROID, p.password), 303);
	T_EQ(t_get(&p.c, "/me/sessions"), 200);
	T_HAS(&p.c, "Завершить все сеансы, кроме этого");
	T_EQ(t_postf(&p.c, "/me/sessions/end-others", "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me/sessions?ended=1");
	T_TRUE(refused(&b));
	T_TRUE(refused(&c));
	T_EQ(t_get(&p.c, "/me/sessions"), 200);
	T_LACKS(&p.c, "Safari на iPhone");
	T_LACKS(&p.c, "Chrome на Android");
	T_HAS(&p.c, "это устройство");
	T_LACKS(&p.c, "Завершить все сеансы, кроме этого");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.session WHERE"
	    " account_id = %lld", t_account_id(&p))), 1);
	t_client_free(&b);
	t_client_free(&c);
	t_client_free(&p.c);
}

static void
sessions_of_someone_else(void)
{
	struct t_person	 p, q;
	char		 path[64];
	long long	 qid;

	t_signup(&p, "Своя", "Мария");
	t_signup(&q, "Чужая", "Анна");
	T_TRUE((qid = session_id(&q.c)) > 0);
	T_EQ(t_get(&p.c, "/me/sessions"), 200);
	T_LACKS(&p.c, "Чужая");
	snprintf(path, sizeof(path), "/me/sessions/%lld/end", qid);
	T_LACKS(&p.c, path);
	T_EQ(t_postf(&p.c, path, "x=1"), 404);
	T_EQ(t_get(&q.c, "/me"), 200);
	/* Without a csrf token: refused before anything. */
	T_EQ(t_post(&q.c, path, "x=1"), 403);
	T_EQ(t_get(&q.c, "/me"), 200);
	t_client_free(&p.c);
	t_client_free(&q.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "/me links the account pages", me_links },
		{ "/me/profile: 422 keeps values; a new name shows on /me",
		    profile_change },
		{ "/me/password: the current one is needed; other sessions"
		    " end; the new one logs in", password_change },
		{ "/me/password: wrong current passwords are throttled",
		    password_throttled },
		{ "/me/password: not asked within 15 minutes of a code login",
		    password_after_code_login },
		{ "/me/sessions: two browsers listed; one ended is refused",
		    sessions_list_and_end },
		{ "/me/sessions/end-others keeps only this one",
		    sessions_end_others },
		{ "someone else's session: 404", sessions_of_someone_else },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
