/*
 * Accounts and sessions over HTTP: sign-up, verification by code, login,
 * /me, logout; validation, CSRF, throttling, cookies and headers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

static void
signup_verify_login_me_logout(void)
{
	struct t_client	 c, fresh;
	char		 phone[16], body[1024], cookie[256];
	const char	*code;

	t_client_init(&c);
	t_unique_phone(phone);
	T_EQ(t_get(&c, "/register"), 200);
	T_HAS(&c, "name=\"csrf\"");
	/* The phone in another common spelling: stored as E.164. */
	snprintf(body, sizeof(body), "last_name=%s&first_name=%s&patronymic=%s"
	    "&gender=f&birth_date=1985-03-08&phone=8+(%.3s)+%.3s-%.2s-%.2s"
	    "&email=&consent=1&password=correct-horse", t_enc("Иванова"),
	    t_enc("Мария"), t_enc("Петровна"), phone + 2, phone + 5,
	    phone + 8, phone + 10);
	T_EQ(t_postf(&c, "/register", "%s", body), 303);
	T_STREQ(t_header(&c, "Location"), "/verify");
	T_EQ(t_get(&c, "/verify"), 200);
	T_HAS(&c, phone);
	code = t_outbox_code(phone);
	T_EQ(strlen(code), 6);
	/* Unverified: /me says so. */
	T_EQ(t_get(&c, "/me"), 200);
	T_HAS(&c, "не подтверждён");
	t_form(&c, "/verify");
	T_EQ(t_postf(&c, "/verify", "code=%s", t_outbox_code(phone)), 303);
	T_STREQ(t_header(&c, "Location"), "/me");
	T_EQ(t_get(&c, "/me"), 200);
	T_HAS(&c, "Иванова Мария Петровна");
	T_HAS(&c, "подтверждён");
	T_LACKS(&c, "не подтверждён");

	/* Log out, then log in with the number typed another way. */
	snprintf(cookie, sizeof(cookie), "%s", t_cookie(&c, "parta_session"));
	T_EQ(t_postf(&c, "/logout", "x=1"), 303);
	T_EQ(t_get(&c, "/me"), 303);
	/* The old session token is dead, not just forgotten by the client. */
	t_client_init(&fresh);
	snprintf(body, sizeof(body), "Cookie: parta_session=%s\r\n", cookie);
	T_EQ(t_request(&fresh, "GET", "/me", body, NULL, 0), 303);
	t_client_free(&fresh);

	t_form(&c, "/login");
	T_EQ(t_postf(&c, "/login", "login=%s&password=correct-horse",
	    t_enc(phone + 1)), 303);
	T_STREQ(t_header(&c, "Location"), "/me");
	T_EQ(t_get(&c, "/me"), 200);
	T_HAS(&c, "Иванова Мария");
	t_client_free(&c);
}

static void
signup_by_email(void)
{
	struct t_client	 c;
	char		 email[64];

	t_client_init(&c);
	t_unique_email(email);
	t_form(&c, "/register");
	T_EQ(t_postf(&c, "/register", "last_name=Smith&first_name=Anna"
	    "&gender=f&birth_date=2008-09-01&phone=&email=%s"
	    "&consent=1&password=longenough", t_enc(email)), 303);
	T_EQ(t_outbox_count(email), 1);
	t_form(&c, "/verify");
	T_HAS(&c, email);
	T_EQ(t_postf(&c, "/verify", "code=%s", t_outbox_code(email)), 303);
	T_EQ(t_get(&c, "/me"), 200);
	T_HAS(&c, "подтверждена");
	t_client_free(&c);
}

static void
register_errors_keep_values(void)
{
	struct t_client	 c;

	t_client_init(&c);
	t_form(&c, "/register");
	T_EQ(t_postf(&c, "/register", "last_name=%s&first_name=%s"
	    "&gender=m&birth_date=2031-02-30&phone=12345&email="
	    "&consent=1&password=short",
	    t_enc("Петров"), t_enc("<b>Пётр</b>")), 422);
	/* Each message next to its field; typed values kept and escaped. */
	T_HAS(&c, "id=\"phone_error\"");
	T_HAS(&c, "id=\"first_name_error\"");
	T_HAS(&c, "id=\"birth_date_error\"");
	T_HAS(&c, "id=\"password_error\"");
	T_LACKS(&c, "id=\"last_name_error\"");
	T_HAS(&c, "value=\"Петров\"");
	T_HAS(&c, "value=\"12345\"");
	T_HAS(&c, "&lt;b&gt;Пётр&lt;/b&gt;");
	T_LACKS(&c, "<b>Пётр");
	/* The password is never sent back. */
	T_LACKS(&c, "value=\"short\"");

	/* Neither phone nor e-mail. */
	T_EQ(t_postf(&c, "/register", "last_name=A&first_name=B&gender=m"
	    "&birth_date=2000-01-01&phone=&email="
	    "&consent=1&password=longenough"), 422);
	T_HAS(&c, "Укажите мобильный телефон или электронную почту");
	t_client_free(&c);
}

static void
register_verified_phone_taken(void)
{
	struct t_person	 p;
	struct t_client	 c;
	char		*msg;
	int		 n;

	t_signup(&p, "Занятый", "Номер");
	n = t_outbox_count(p.phone);
	t_client_init(&c);
	t_form(&c, "/register");
	/* The same answer as a new sign-up: nobody learns the phone is here. */
	T_EQ(t_postf(&c, "/register", "last_name=X&first_name=Y&gender=m"
	    "&birth_date=2000-01-01&phone=%s&email=&consent=1"
	    "&password=longenough", t_enc(p.phone)), 303);
	T_STREQ(t_header(&c, "Location"), "/verify");
	/* The owner is told, with no code that could verify the newcomer. */
	T_EQ(t_outbox_count(p.phone), n + 1);
	T_TRUE((msg = t_outbox_last(p.phone)) != NULL);
	T_TRUE(strstr(msg, "/login/code") != NULL);
	free(msg);
	T_STREQ(t_outbox_code(p.phone), "");
	t_form(&c, "/verify");
	T_EQ(t_postf(&c, "/verify", "code=000000"), 422);
	t_client_free(&c);
	t_client_free(&p.c);
}

static void
csrf_required(void)
{
	struct t_client	 c;
	struct t_person	 p;

	t_client_init(&c);
	t_get(&c, "/login");
	/* No token, a wrong one: 403, nothing happens. */
	T_EQ(t_post(&c, "/login", "login=a%40b.ru&password=whatever1"), 403);
	T_EQ(t_post(&c, "/login", "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAA&login=a%40b.ru&password=whatever1"), 403);
	T_EQ(t_post(&c, "/register", "last_name=A&first_name=B&gender=m"
	    "&birth_date=2000-01-01&phone=%2B79001112233"
	    "&consent=1&password=longenough"),
	    403);
	t_client_free(&c);

	t_signup(&p, "Токенов", "Сергей");
	T_EQ(t_post(&p.c, "/logout", ""), 403);
	T_EQ(t_post(&p.c, "/verify/resend", "channel=phone"), 403);
	/* The visitor token of another browser is not this session's. */
	T_EQ(t_get(&p.c, "/me"), 200);
	t_client_free(&p.c);
}

static void
login_throttled_after_five_failures(void)
{
	struct t_person	 p;
	int		 i;

	t_signup(&p, "Забывчивый", "Иван");
	t_postf(&p.c, "/logout", "x=1");
	for (i = 0; i < 5; i++) {
		t_form(&p.c, "/login");
		T_EQ(t_postf(&p.c, "/login", "login=%s&password=wrong-%d",
		    t_enc(p.phone), i), 422);
		T_HAS(&p.c, "Неверный логин или пароль");
	}
	/* Even the right password is refused now, before scrypt runs. */
	t_form(&p.c, "/login");
	T_EQ(t_postf(&p.c, "/login", "login=%s&password=%s", t_enc(p.phone),
	    t_enc(p.password)), 429);
	T_HAS(&p.c, "Слишком много");
	t_client_free(&p.c);
}

static void
login_same_message_for_unknown_account(void)
{
	struct t_client	 c;
	struct t_person	 p;
	char		 phone[16];
	size_t		 known, unknown;

	t_signup(&p, "Известный", "Пользователь");
	t_client_init(&c);
	t_unique_phone(phone);
	t_form(&c, "/login");
	T_EQ(t_postf(&c, "/login", "login=%s&password=whatever-1",
	    t_enc(phone)), 422);
	unknown = strlen(t_snippet(&c));
	T_EQ(t_postf(&c, "/login", "login=%s&password=whatever-1",
	    t_enc(p.phone)), 422);
	known = strlen(t_snippet(&c));
	/* Identical pages apart from the login typed (same length here). */
	T_HAS(&c, "Неверный логин или пароль");
	T_TRUE(known > 100);
	T_EQ(known, unknown);
	t_client_free(&c);
	t_client_free(&p.c);
}

static void
login_next_only_local(void)
{
	struct t_person	 p;

	t_signup(&p, "Переходов", "Павел");
	t_postf(&p.c, "/logout", "x=1");
	T_EQ(t_get(&p.c, "/me"), 303);
	T_STREQ(t_header(&p.c, "Location"), "/login?next=/me");
	t_form(&p.c, "/login?next=/me");
	T_HAS(&p.c, "name=\"next\" value=\"/me\"");
	T_EQ(t_postf(&p.c, "/login", "login=%s&password=%s&next=%%2Fme",
	    t_enc(p.phone), t_enc(p.password)), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me");
	t_postf(&p.c, "/logout", "x=1");
	t_form(&p.c, "/login");
	T_EQ(t_postf(&p.c, "/login", "login=%s&password=%s"
	    "&next=%%2F%%2Fevil.example%%2F", t_enc(p.phone),
	    t_enc(p.password)), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me");
	t_client_free(&p.c);
}

static void
verify_wrong_code_and_tries(void)
{
	struct t_client	 c;
	char		 phone[16], wrong[12];
	const char	*code;
	int		 i;

	t_client_init(&c);
	t_unique_phone(phone);
	t_form(&c, "/register");
	T_EQ(t_postf(&c, "/register", "last_name=A&first_name=B&gender=m"
	    "&birth_date=2000-01-01&phone=%s&email=&consent=1&password=longenough",
	    t_enc(phone)), 303);
	code = t_outbox_code(phone);
	snprintf(wrong, sizeof(wrong), "%06u", (unsigned)(atoi(code) + 1) % 1000000u);
	t_form(&c, "/verify");
	T_EQ(t_postf(&c, "/verify", "code=12ab"), 422);
	T_HAS(&c, "id=\"code_error\"");
	/* Wrong tries are counted per recipient (lib/code), not per code:
	 * with tries left, the right code still works. */
	for (i = 0; i < 5; i++)
		T_EQ(t_postf(&c, "/verify", "code=%s", wrong), 422);
	T_HAS(&c, "Неверный код");
	T_EQ(t_postf(&c, "/verify/resend", "channel=phone"), 303);
	T_EQ(t_outbox_count(phone), 2);
	t_form(&c, "/verify");
	T_EQ(t_postf(&c, "/verify", "code=%s", t_outbox_code(phone)), 303);
	t_client_free(&c);
}

static void
cookies_and_headers(void)
{
	struct t_client	 c;
	struct t_person	 p;
	const char	*h;

	t_client_init(&c);
	T_EQ(t_get(&c, "/login"), 200);
	T_TRUE((h = t_header(&c, "Content-Security-Policy")) != NULL);
	T_TRUE(strstr(h, "default-src 'self'") != NULL);
	T_TRUE(strstr(h, "object-src 'none'") != NULL);
	T_TRUE(strstr(h, "base-uri 'none'") != NULL);
	T_TRUE(strstr(h, "frame-ancestors 'none'") != NULL);
	T_STREQ(t_header(&c, "X-Content-Type-Options"), "nosniff");
	T_STREQ(t_header(&c, "Referrer-Policy"), "no-referrer");
	/* Static files too. */
	T_EQ(t_get(&c, "/static/parta.css"), 200);
	T_STREQ(t_header(&c, "X-Content-Type-Options"), "nosniff");
	T_TRUE(t_header(&c, "Content-Security-Policy") != NULL);
	/* And error pages. */
	T_EQ(t_get(&c, "/register/no/such/page"), 404);
	T_TRUE(t_header(&c, "Content-Security-Policy") != NULL);
	t_client_free(&c);

	t_signup(&p, "Печенькин", "Олег");
	t_form(&p.c, "/login");
	t_postf(&p.c, "/logout", "x=1");
	t_form(&p.c, "/login");
	T_EQ(t_postf(&p.c, "/login", "login=%s&password=%s", t_enc(p.phone),
	    t_enc(p.password)), 303);
	h = t_header(&p.c, "Set-Cookie");
	T_TRUE(h != NULL);
	T_TRUE(strncmp(h, "parta_session=", 14) == 0);
	T_TRUE(strstr(h, "HttpOnly") != NULL);
	T_TRUE(strstr(h, "SameSite=Lax") != NULL);
	T_TRUE(strstr(h, "Max-Age=2592000") != NULL);
	/* The session token is 256 bits in base64url. */
	T_EQ(strlen(t_cookie(&p.c, "parta_session")), 43);
	t_client_free(&p.c);
}

static void
malformed_requests(void)
{
	struct t_client	 c;
	char		*big;
	size_t		 n = 2 * 1024 * 1024;

	t_client_init(&c);
	t_form(&c, "/login");
	T_EQ(t_postf(&c, "/login", "login=%%zz&password=x"), 400);
	T_EQ(t_postf(&c, "/login", "login=%%C0%%80&password=x"), 400);
	T_EQ(t_postf(&c, "/login", "login=%%FF&password=x"), 400);
	T_EQ(t_get(&c, "/login?next=%FF"), 400);
	big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	memcpy(big, "login=", 6);
	T_EQ(t_post(&c, "/login", big), 413);
	free(big);
	T_EQ(t_request(&c, "POST", "/login", "Content-Type: text/plain\r\n",
	    "hello", 5), 415);
	T_EQ(t_request(&c, "DELETE", "/login", NULL, NULL, 0), 405);
	T_EQ(t_get(&c, "/register/nope/nope"), 404);
	t_client_free(&c);
}

/* A visitor's body is read only up to 64 KiB (APP_VISITOR_BODY_MAX) on
 * every route; a logged-in person's up to PARTA_MAX_BODY. */
static void
visitor_body_is_small(void)
{
	struct t_person	 p;
	struct t_client	 c;
	char		*big;
	size_t		 n = 100 * 1024;

	big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	memcpy(big, "junk=", 5);
	t_client_init(&c);
	t_form(&c, "/login");
	T_EQ(t_post(&c, "/login", big), 413);
	t_form(&c, "/register");
	T_EQ(t_post(&c, "/register", big), 413);
	t_client_free(&c);
	if (t_signup(&p, "Объёмова", "Вера") == 0) {
		/* The same body from a member is read: the CSRF check
		 * refuses it, not the size. */
		T_EQ(t_post(&p.c, "/me/profile", big), 403);
		t_client_free(&p.c);
	}
	free(big);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "sign-up, verify, /me, logout, login", signup_verify_login_me_logout },
		{ "sign-up by e-mail", signup_by_email },
		{ "422 keeps typed values, messages by fields", register_errors_keep_values },
		{ "verified phone cannot sign up again", register_verified_phone_taken },
		{ "403 without CSRF token", csrf_required },
		{ "429 after five bad passwords", login_throttled_after_five_failures },
		{ "one message for unknown account and wrong password", login_same_message_for_unknown_account },
		{ "next kept, only local paths", login_next_only_local },
		{ "wrong codes counted, resend", verify_wrong_code_and_tries },
		{ "cookies HttpOnly SameSite, security headers", cookies_and_headers },
		{ "400, 413, 415, 405, 404", malformed_requests },
		{ "a visitor's body: 64 KiB at most", visitor_body_is_small },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
