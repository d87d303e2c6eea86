/*
 * Personal data over HTTP (program privacy): the policy and its
 * operator, consent at sign-up and to a newer version, a person's data
 * as JSON and as a page, deleting an account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* What scripts/stack.sh (and tests/cgi) give the programs by default. */
static const char *
env_or(const char *key, const char *def)
{
	const char	*v = getenv(key);

	return v != NULL && *v != '\0' ? v : def;
}

static void
policy_public(void)
{
	struct t_client	 c;
	char		 want[64];

	t_client_init(&c);
	T_EQ(t_get(&c, "/privacy"), 200);
	snprintf(want, sizeof(want), "Редакция %s от ",
	    t_sql("SELECT parta.privacy_current()"));
	T_HAS(&c, want);
	T_HAS(&c, "152-ФЗ");
	T_HAS(&c, env_or("PARTA_PD_OPERATOR", "Парта, локальный стенд"));
	T_HAS(&c, env_or("PARTA_PD_CONTACT", "privacy@parta.local"));
	/* Every page links it. */
	T_EQ(t_get(&c, "/login"), 200);
	T_HAS(&c, "href=\"/privacy\"");
	t_client_free(&c);
}

static void
signup_needs_consent(void)
{
	struct t_client	 c;
	char		 phone[16];

	t_client_init(&c);
	t_unique_phone(phone);
	T_EQ(t_get(&c, "/register"), 200);
	T_HAS(&c, "name=\"consent\"");
	T_HAS(&c, "href=\"/privacy\"");
	T_EQ(t_postf(&c, "/register", "last_name=%s&first_name=%s"
	    "&gender=f&birth_date=1990-01-02&phone=%s&email="
	    "&password=long-enough-1", t_enc("Согласова"), t_enc("Анна"),
	    t_enc(phone)), 422);
	T_HAS(&c, "id=\"consent_error\"");
	T_HAS(&c, "Без согласия на обработку персональных данных");
	T_HAS(&c, "value=\"Согласова\"");
	T_HAS(&c, phone);
	T_STREQ(t_sql("SELECT count(*) FROM parta.account WHERE phone = '%s'",
	    phone), "0");
	/* consent=0 is no consent either. */
	T_EQ(t_postf(&c, "/register", "last_name=A&first_name=B"
	    "&gender=f&birth_date=1990-01-02&phone=%s&email="
	    "&consent=0&password=long-enough-1", t_enc(phone)), 422);

	T_EQ(t_postf(&c, "/register", "last_name=A&first_name=B"
	    "&gender=f&birth_date=1990-01-02&phone=%s&email="
	    "&consent=1&password=long-enough-1", t_enc(phone)), 303);
	T_STREQ(t_sql("SELECT c.version = parta.privacy_current() AND"
	    " c.at > now() - interval '1 minute'"
	    " FROM parta.privacy_consent c JOIN parta.account a"
	    " ON a.id = c.account_id WHERE a.phone = '%s'", phone), "t");
	t_client_free(&c);
}

/*
 * A person whose latest consent is for an older version than the one in
 * force: their consent is moved to version "0" (published long ago, so
 * never in force) rather than a new version published for everyone,
 * which would stop every other test's people too.
 */
static void
new_version_asks_again(void)
{
	struct t_person	 p;
	long long	 id;

	t_signup(&p, "Новая", "Редакция");
	id = t_account_id(&p);
	T_TRUE(t_sql("INSERT INTO parta.privacy_policy (version,"
	    " published_at, body) VALUES ('0', '2000-01-01', 'Старая')"
	    " ON CONFLICT DO NOTHING") != NULL);
	T_TRUE(t_sql("UPDATE parta.privacy_consent SET version = '0'"
	    " WHERE account_id = %lld", id) != NULL);

	/* Any page leads to the consent page, keeping where one was going. */
	T_EQ(t_get(&p.c, "/orgs?q=x"), 303);
	T_STREQ(t_header(&p.c, "Location"),
	    "/privacy/consent?next=/orgs%3Fq%3Dx");
	T_EQ(t_get(&p.c, "/me"), 303);
	/* A POST elsewhere changes nothing and goes there too. */
	T_EQ(t_get(&p.c, "/privacy/consent?next=/me"), 200);
	T_HAS(&p.c, "Вы соглашались с редакцией 0");
	T_EQ(t_postf(&p.c, "/chats/direct", "peer=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), "/privacy/consent");
	/* Open meanwhile: the policy, one's data, deleting, logging out. */
	T_EQ(t_get(&p.c, "/privacy"), 200);
	T_EQ(t_get(&p.c, "/me/export"), 200);
	T_EQ(t_get(&p.c, "/me/delete"), 200);

	/* Not ticked: 422. */
	t_form(&p.c, "/privacy/consent?next=/me");
	T_EQ(t_postf(&p.c, "/privacy/consent", "next=%%2Forgs"), 422);
	T_HAS(&p.c, "id=\"consent_error\"");
	T_EQ(t_get(&p.c, "/me"), 303);
	T_EQ(t_postf(&p.c, "/privacy/consent", "consent=1&next=%%2Forgs"),
	    303);
	T_STREQ(t_header(&p.c, "Location"), "/orgs");
	T_EQ(t_get(&p.c, "/me"), 200);
	T_STREQ(t_sql("SELECT count(*) FROM parta.privacy_consent WHERE"
	    " account_id = %lld AND version = parta.privacy_current()", id),
	    "1");
	/* Agreed: the consent page moves on. */
	T_EQ(t_get(&p.c, "/privacy/consent"), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me");
	t_client_free(&p.c);
}

/* Fields of the JSON file, read by PostgreSQL's own parser. */
static const char *
json_at(const char *json, const char *path)
{
	return t_sql("SELECT $pj$%s$pj$::jsonb #>> '{%s}'", json, path);
}

struct world {
	struct t_person	 admin, p, child;
	long long	 org, staff, pid, kid;
};

/* An organization; p a teacher there (so in its staff chat) who wrote a
 * message and is the parent of child. */
static int
world_new(struct world *w, const char *text)
{
	memset(w, 0, sizeof(*w));
	t_signup(&w->admin, "Админова", "Анна");
	w->org = t_org_create(&w->admin, "Школа «Данные»");
	w->pid = t_person_new(&w->p, "Данных", "Пётр", w->org, "teacher");
	t_signup(&w->child, "Данных", "Ваня");
	w->kid = w->child.id;
	if (t_guardian_add(w->pid, w->kid) != 0)
		return -1;
	w->staff = t_chat_of(w->org, 0, "staff");
	if (t_chat_post(&w->p.c, w->staff, text) != 303)
		return -1;
	return 0;
}

static void
world_free(struct world *w)
{
	t_client_free(&w->admin.c);
	t_client_free(&w->p.c);
	t_client_free(&w->child.c);
}

static void
export_json_and_page(void)
{
	struct world	 w;
	const char	*text = "Привет, \"коллеги\" <b>\\\nвторая строка";
	const char	*disp;
	char		*json, want[64];

	if (world_new(&w, text) == -1)
		T_FAIL("world");
	T_EQ(t_get(&w.p.c, "/me/export?format=json"), 200);
	T_STREQ(t_header(&w.p.c, "Content-Type"),
	    "application/json; charset=utf-8");
	disp = t_header(&w.p.c, "Content-Disposition");
	T_TRUE(disp != NULL && strncmp(disp, "attachment;", 11) == 0);
	T_TRUE(w.p.c.r.len < 7000);
	json = strdup(w.p.c.r.body);
	T_STREQ(json_at(json, "profile,last_name"), "Данных");
	T_STREQ(json_at(json, "profile,birth_date"), "1990-05-17");
	T_STREQ(json_at(json, "contacts,0,value"), w.p.phone);
	T_STREQ(json_at(json, "contacts,0,verified"), "true");
	snprintf(want, sizeof(want), "%lld", w.org);
	T_STREQ(json_at(json, "memberships,0,org_id"), want);
	T_STREQ(json_at(json, "memberships,0,role"), "teacher");
	T_STREQ(json_at(json, "memberships,0,org"), "Школа «Данные»");
	T_STREQ(t_sql("SELECT $pj$%s$pj$::jsonb #>> '{messages,0,body}'"
	    " = $m$%s$m$", json, text), "t");
	T_STREQ(json_at(json, "guardianships,0,relation"), "child");
	T_STREQ(json_at(json, "guardianships,0,name"), "Данных Ваня");
	T_STREQ(json_at(json, "consents,0,version"), "1");
	free(json);

	/* The child sees the other side. */
	T_EQ(t_get(&w.child.c, "/me/export?format=json"), 200);
	json = strdup(w.child.c.r.body);
	T_STREQ(json_at(json, "guardianships,0,relation"), "parent");
	T_STREQ(json_at(json, "guardianships,0,name"), "Данных Пётр");
	free(json);

	T_EQ(t_get(&w.p.c, "/me/export"), 200);
	T_HAS(&w.p.c, "Привет, &quot;коллеги&quot; &lt;b&gt;");
	T_HAS(&w.p.c, "Школа «Данные»");
	T_HAS(&w.p.c, "Данных Ваня");
	T_HAS(&w.p.c, w.p.phone);
	T_HAS(&w.p.c, "href=\"/me/export?format=json\"");
	world_free(&w);
}

static void
delete_account(void)
{
	struct world	 w;
	struct t_client	 other;
	char		 cookie[128], path[64];

	if (world_new(&w, "Сообщение до удаления") == -1)
		T_FAIL("world");
	/* A second session of p, to be ended too. */
	other = w.p.c;
	memset(&w.p.c, 0, sizeof(w.p.c));
	t_login(&w.p);
	snprintf(cookie, sizeof(cookie), "%s",
	    t_cookie(&other, "parta_session"));
	T_TRUE(cookie[0] != '\0');

	/* A wrong password: 422, nothing changed. */
	T_EQ(t_get(&w.p.c, "/me/delete"), 200);
	T_HAS(&w.p.c, "Удалённый пользователь");
	T_EQ(t_postf(&w.p.c, "/me/delete", "confirm=wrong-password"), 422);
	T_HAS(&w.p.c, "id=\"confirm_error\"");
	T_HAS(&w.p.c, "Неверный пароль");
	T_EQ(t_postf(&w.p.c, "/me/delete", "confirm="), 422);
	T_STREQ(t_sql("SELECT phone FROM parta.account WHERE id = %lld",
	    w.pid), w.p.phone);

	/* The last administrator: 409 saying so, nothing changed. */
	t_form(&w.admin.c, "/me/delete");
	T_HAS(&w.admin.c, "единственный администратор");
	T_EQ(t_postf(&w.admin.c, "/me/delete", "confirm=%s",
	    t_enc(w.admin.password)), 409);
	T_HAS(&w.admin.c, "единственный администратор");
	T_HAS(&w.admin.c, "Школа «Данные»");
	T_STREQ(t_sql("SELECT role FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", w.org, w.admin.id), "admin");
	T_STREQ(t_sql("SELECT phone IS NOT NULL AND deleted_at IS NULL FROM"
	    " parta.account WHERE phone = '%s'", w.admin.phone), "t");
	snprintf(path, sizeof(path), "/org/%lld", w.org);
	T_EQ(t_get(&w.admin.c, path), 200);

	/* p deletes: logged out, on a page saying so. */
	T_EQ(t_postf(&w.p.c, "/me/delete", "confirm=%s",
	    t_enc(w.p.password)), 303);
	T_STREQ(t_header(&w.p.c, "Location"), "/privacy/deleted");
	T_EQ(t_get(&w.p.c, "/privacy/deleted"), 200);
	T_HAS(&w.p.c, "Профиль удалён");
	T_LACKS(&w.p.c, "action=\"/logout\"");
	T_EQ(t_get(&w.p.c, "/me"), 303);
	/* The other session is refused too. */
	T_EQ(t_get(&other, "/me"), 303);
	T_TRUE(strncmp(t_header(&other, "Location"), "/login", 6) == 0);
	T_EQ(t_get(&other, path), 303);

	/* Memberships ended the way leaving does, with its audit row. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.member WHERE account_id ="
	    " %lld", w.pid), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " account_id = %lld", w.pid), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'member_leave' AND target_id = %lld", w.org,
	    w.pid), "1");
	T_STREQ(t_sql("SELECT count(*) FROM parta.guardian WHERE"
	    " parent_id = %lld OR child_id = %lld", w.pid, w.pid), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.session WHERE"
	    " account_id = %lld", w.pid), "0");
	/* Personal data gone at once. */
	T_STREQ(t_sql("SELECT last_name || '/' || first_name || '/' ||"
	    " coalesce(birth_date::text, 'none') || '/' ||"
	    " coalesce(phone, 'none') || '/' || coalesce(email, 'none') ||"
	    " '/' || coalesce(password_hash, 'none') || '/' ||"
	    " (deleted_at IS NOT NULL)"
	    " FROM parta.account WHERE id = %lld", w.pid),
	    "Удалённый пользователь//none/none/none/none/true");

	/* The message stays, under that name. */
	snprintf(path, sizeof(path), "/chats/%lld", w.staff);
	T_EQ(t_get(&w.admin.c, path), 200);
	T_HAS(&w.admin.c, "Сообщение до удаления");
	T_HAS(&w.admin.c, "Удалённый пользователь");
	T_LACKS(&w.admin.c, "Данных Пётр");
	T_LACKS(&w.admin.c, "Пётр Данных");

	/* Nobody logs in as them any more. */
	t_client_init(&other);
	t_form(&other, "/login");
	T_EQ(t_postf(&other, "/login", "login=%s&password=%s",
	    t_enc(w.p.phone), t_enc(w.p.password)), 422);
	t_client_free(&other);
	world_free(&w);
}

/*
 * Deleting by a code instead of the password: asked for on the page,
 * sent to one's own verified phone, single use; a code made for another
 * purpose (logging in) does not delete.
 */
static void
delete_by_code(void)
{
	struct t_person	 p;
	struct t_client	 other;
	char		 code[8];

	t_signup(&p, "Кодов", "Карл");
	/* A login code is no deletion code. */
	t_client_init(&other);
	t_form(&other, "/login/code");
	T_EQ(t_postf(&other, "/login/code", "login=%s", t_enc(p.phone)), 303);
	snprintf(code, sizeof(code), "%s", t_outbox_code(p.phone));
	T_EQ(strlen(code), 6);
	t_client_free(&other);
	t_form(&p.c, "/me/delete");
	T_HAS(&p.c, "Прислать код");
	T_EQ(t_postf(&p.c, "/me/delete", "confirm=%s", code), 422);
	T_HAS(&p.c, "Сначала запросите код");

	T_EQ(t_postf(&p.c, "/me/delete/code", "x=1"), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me/delete?sent=1");
	T_EQ(t_get(&p.c, "/me/delete?sent=1"), 200);
	T_HAS(&p.c, "Мы отправили код");
	snprintf(code, sizeof(code), "%s", t_outbox_code(p.phone));
	T_EQ(strlen(code), 6);
	T_EQ(t_postf(&p.c, "/me/delete", "confirm=%s",
	    strcmp(code, "000000") == 0 ? "000001" : "000000"), 422);
	T_HAS(&p.c, "Неверный код");
	T_STREQ(t_sql("SELECT deleted_at IS NULL FROM parta.account"
	    " WHERE id = %lld", t_account_id(&p)), "t");
	T_EQ(t_postf(&p.c, "/me/delete", "confirm=%s", code), 303);
	T_STREQ(t_header(&p.c, "Location"), "/privacy/deleted");
	T_STREQ(t_sql("SELECT count(*) FROM parta.account WHERE phone = '%s'",
	    p.phone), "0");
	t_client_free(&p.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "policy_public", policy_public },
		{ "signup_needs_consent", signup_needs_consent },
		{ "new_version_asks_again", new_version_asks_again },
		{ "export_json_and_page", export_json_and_page },
		{ "delete_account", delete_account },
		{ "delete_by_code", delete_by_code },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
