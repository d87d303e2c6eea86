/*
 * Invite links over HTTP: creating one (limits at the edges), the daily
 * allowance (also under 60 parallel requests), who may make and see
 * which links, the link's page (full link, attribution), revoking,
 * personal links in bulk (printable sheet whose QR codes decode to the
 * right links, CSV, uploaded files), and other organizations' links.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define TOKEN_LEN	43

struct org {
	struct t_person	 admin;
	long long	 id;
};

static int	 class_seq;

/* A new organization with its admin (signed up, logged in). */
static void
org_new(struct org *o, const char *last)
{
	t_signup(&o->admin, last, "Светлана");
	o->id = t_org_create(&o->admin, NULL);
}

/* A class of org: its id. */
static long long
class_new(long long org, int grade)
{
	return t_class_add(org, grade, t_fmt("Т%d", ++class_seq), 2025);
}

/* A person who is a member of org with role, homeroom teacher of class
 * homeroom when it is not 0. */
static void
member_new(struct t_person *p, const char *last, long long org,
    const char *role, long long homeroom)
{
	t_person_new(p, last, "Анна", org, role);
	if (homeroom > 0)
		t_class_member_add(org, homeroom, p->id, "homeroom");
}

/* POST the "new link" form: the status. */
static long
invite_post(struct t_client *c, long long org, const char *fields)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/org/%lld/invites", org);
	t_form(c, path);
	return t_postf(c, path, "%s", fields);
}

/* The id of the invite a 303 points to, or -1. */
static long long
created_id(struct t_client *c, long long org)
{
	char		 prefix[64];
	const char	*loc = t_header(c, "Location");

	snprintf(prefix, sizeof(prefix), "/org/%lld/invites/", org);
	if (loc == NULL || strncmp(loc, prefix, strlen(prefix)) != 0)
		return -1;
	return t_id_after(loc, prefix);
}

/* The token in the last page's first /join/ link into tok: 0 or -1. */
static int
page_token(struct t_client *c, char tok[TOKEN_LEN + 1])
{
	char		 prefix[256];
	const char	*p;
	size_t		 n;

	snprintf(prefix, sizeof(prefix), "%s/join/", t_base);
	if ((p = strstr(c->r.body, prefix)) == NULL)
		return -1;
	p += strlen(prefix);
	n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
	if (n != TOKEN_LEN)
		return -1;
	memcpy(tok, p, n);
	tok[n] = '\0';
	return 0;
}

/* 1 if invite id's stored hash is the SHA-256 of token. */
static int
token_matches(long long org, long long id, const char *token)
{
	const char	*n;

	n = t_sql("SELECT count(*) FROM parta.invite WHERE org_id = %lld AND "
	    "id = %lld AND token_hash = sha256(convert_to('%s', 'UTF8'))",
	    org, id, token);
	return n != NULL && strcmp(n, "1") == 0;
}

static long long
count_sql(const char *sql)
{
	const char	*n = t_sql("%s", sql);

	return n != NULL ? atoll(n) : -1;
}

static void
create_show_list(void)
{
	struct org	 o;
	long long	 cls, id, tid;
	char		 path[128], tok[TOKEN_LEN + 1], again[TOKEN_LEN + 1];
	char		 q[256];

	org_new(&o, "Дмитриева");
	cls = class_new(o.id, 9);
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "Новая ссылка");
	T_HAS(&o.admin.c, "Не размещайте ссылки в открытом доступе");
	T_HAS(&o.admin.c, "value=\"teacher\"");
	T_HAS(&o.admin.c, "Сегодня вы можете создать ещё 50 из 50");

	snprintf(q, sizeof(q), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=30", cls);
	T_EQ(invite_post(&o.admin.c, o.id, q), 303);
	T_TRUE((id = created_id(&o.admin.c, o.id)) > 0);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id, id);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_TRUE(page_token(&o.admin.c, tok) == 0);
	/* The link shown is the real one: its hash is what is stored, and
	 * the token itself is nowhere in the row. */
	T_TRUE(token_matches(o.id, id, tok));
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "row_to_json(invite)::text LIKE '%%%s%%'", tok);
	T_EQ(count_sql(q), 0);
	T_HAS(&o.admin.c, "<svg class=\"qr\"");
	T_HAS(&o.admin.c, "30 из 30");
	T_HAS(&o.admin.c, "Ученик");
	T_HAS(&o.admin.c, "действует");
	T_HAS(&o.admin.c, "Не размещайте ссылку в открытом доступе");
	T_HAS(&o.admin.c, "/revoke");
	/* Shown again later: the same link. */
	T_EQ(t_get(&o.admin.c, path), 200);
	T_TRUE(page_token(&o.admin.c, again) == 0);
	T_STREQ(again, tok);

	/* A link whose token cannot be derived again (the key changed, or
	 * a row made by hand): still stored, but not shown. */
	snprintf(q, sizeof(q), "UPDATE parta.invite SET token_salt = "
	    "decode(repeat('00', 32), 'hex') WHERE org_id = %lld AND id = %lld",
	    o.id, id);
	T_TRUE(t_sql("%s", q) != NULL);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_LACKS(&o.admin.c, "/join/");
	T_HAS(&o.admin.c, "нельзя показать снова");

	/* A teacher link needs no class. */
	T_EQ(invite_post(&o.admin.c, o.id,
	    "role=teacher&class_id=&ttl_hours=24&max_uses=5"), 303);
	T_TRUE((tid = created_id(&o.admin.c, o.id)) > id);
	snprintf(q, sizeof(q), "SELECT role || ' ' || coalesce(class_id, 0) "
	    "|| ' ' || max_uses FROM parta.invite WHERE org_id = %lld AND "
	    "id = %lld", o.id, tid);
	T_STREQ(t_sql("%s", q), "teacher 0 5");

	/* The list: both links, with role, class, uses left, status and
	 * who made them; each links to its page. */
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&o.admin.c, path), 200);
	snprintf(q, sizeof(q), "/org/%lld/invites/%lld\"", o.id, id);
	T_HAS(&o.admin.c, q);
	snprintf(q, sizeof(q), "/org/%lld/invites/%lld\"", o.id, tid);
	T_HAS(&o.admin.c, q);
	T_HAS(&o.admin.c, "Учитель");
	T_HAS(&o.admin.c, "5 из 5");
	T_HAS(&o.admin.c, "Дмитриева Светлана");
	T_HAS(&o.admin.c, "Сегодня вы можете создать ещё 48 из 50");
	t_client_free(&o.admin.c);
}

static void
limits_at_the_edges(void)
{
	struct org	 o;
	long long	 cls, id;
	char		 f[256], q[256];

	org_new(&o, "Границева");
	cls = class_new(o.id, 5);
	/* 336 hours (14 days) is the longest lifetime. */
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=336"
	    "&max_uses=1", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	T_TRUE((id = created_id(&o.admin.c, o.id)) > 0);
	snprintf(q, sizeof(q), "SELECT expires_at - created_at = interval "
	    "'336 hours' FROM parta.invite WHERE org_id = %lld AND id = %lld",
	    o.id, id);
	T_STREQ(t_sql("%s", q), "t");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=337"
	    "&max_uses=1", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 422);
	T_HAS(&o.admin.c, "id=\"ttl_hours_error\"");
	T_HAS(&o.admin.c, "value=\"337\"");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=0"
	    "&max_uses=1", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 422);
	T_HAS(&o.admin.c, "id=\"ttl_hours_error\"");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=1"
	    "&max_uses=100", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	T_TRUE((id = created_id(&o.admin.c, o.id)) > 0);
	snprintf(q, sizeof(q), "SELECT max_uses || ' ' || (expires_at - "
	    "created_at = interval '1 hour') FROM parta.invite WHERE "
	    "org_id = %lld AND id = %lld", o.id, id);
	T_STREQ(t_sql("%s", q), "100 true");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=101", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 422);
	T_HAS(&o.admin.c, "id=\"max_uses_error\"");
	T_HAS(&o.admin.c, "value=\"101\"");
	T_LACKS(&o.admin.c, "id=\"ttl_hours_error\"");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=0", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 422);
	T_HAS(&o.admin.c, "id=\"max_uses_error\"");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=2x"
	    "&max_uses=-1", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 422);
	T_HAS(&o.admin.c, "id=\"ttl_hours_error\"");
	T_HAS(&o.admin.c, "id=\"max_uses_error\"");
	/* A student link needs a class, of this organization. */
	T_EQ(invite_post(&o.admin.c, o.id,
	    "role=student&class_id=&ttl_hours=24&max_uses=1"), 422);
	T_HAS(&o.admin.c, "id=\"class_id_error\"");
	T_EQ(invite_post(&o.admin.c, o.id,
	    "role=student&class_id=999999999&ttl_hours=24&max_uses=1"), 422);
	T_HAS(&o.admin.c, "Такого класса нет");
	T_EQ(invite_post(&o.admin.c, o.id,
	    "role=parent&class_id=&ttl_hours=24&max_uses=1"), 422);
	T_HAS(&o.admin.c, "id=\"role_error\"");
	/* Nothing was made by the refused forms. */
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(q), 2);
	/* No CSRF token: 403, nothing made. */
	snprintf(f, sizeof(f), "/org/%lld/invites", o.id);
	T_EQ(t_post(&o.admin.c, f, "role=teacher&ttl_hours=1&max_uses=1"),
	    403);
	T_EQ(count_sql(q), 2);
	t_client_free(&o.admin.c);
}

static void
daily_limit(void)
{
	struct org	 o;
	long long	 cls;
	char		 f[256], q[512];
	int		 i;

	org_new(&o, "Лимитова");
	cls = class_new(o.id, 6);
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", cls);
	for (i = 0; i < 50; i++)
		if (invite_post(&o.admin.c, o.id, f) != 303)
			T_FAIL("link %d: status %ld", i + 1,
			    o.admin.c.r.status);
	/* The 51st: 429, saying when the next one is possible. */
	T_EQ(invite_post(&o.admin.c, o.id, f), 429);
	T_HAS(&o.admin.c, "id=\"limit_error\"");
	T_HAS(&o.admin.c, "Следующую можно будет создать после");
	T_TRUE(t_header(&o.admin.c, "Retry-After") != NULL);
	T_TRUE(atoll(t_header(&o.admin.c, "Retry-After")) > 86000);
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(q), 50);
	/* Any 24 hours: once the oldest is a day old, one more fits. */
	snprintf(q, sizeof(q), "UPDATE parta.invite SET created_at = "
	    "created_at - interval '25 hours', expires_at = expires_at - "
	    "interval '25 hours' WHERE org_id = %lld AND id = (SELECT min(id) "
	    "FROM parta.invite WHERE org_id = %lld)", o.id, o.id);
	T_TRUE(t_sql("%s", q) != NULL);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	T_EQ(invite_post(&o.admin.c, o.id, f), 429);
	t_client_free(&o.admin.c);
}

struct race {
	const char	*cookie;
	const char	*path;
	const char	*body;
	long		 status[64];
};

static void
race_one(int i, void *arg)
{
	struct race	*rc = arg;
	struct t_client	 c;
	char		 hdr[512];

	t_client_init(&c);
	snprintf(hdr, sizeof(hdr), "Cookie: parta_session=%s\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n", rc->cookie);
	rc->status[i] = t_request(&c, "POST", rc->path, hdr, rc->body,
	    strlen(rc->body));
	t_client_free(&c);
}

/* 60 creations at once, three times over: never more than 50 a day. */
static void
daily_limit_parallel(void)
{
	struct org	 o;
	struct race	 rc;
	long long	 cls;
	char		 path[128], body[512], cookie[256], q[256];
	int		 round, i, made, refused;

	for (round = 0; round < 3; round++) {
		org_new(&o, "Гонкина");
		cls = class_new(o.id, 7);
		snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
		t_form(&o.admin.c, path);
		snprintf(cookie, sizeof(cookie), "%s",
		    t_cookie(&o.admin.c, "parta_session"));
		snprintf(body, sizeof(body), "csrf=%s&role=student&class_id="
		    "%lld&ttl_hours=24&max_uses=3", o.admin.c.csrf, cls);
		memset(&rc, 0, sizeof(rc));
		rc.cookie = cookie;
		rc.path = path;
		rc.body = body;
		t_parallel(60, race_one, &rc);
		made = refused = 0;
		for (i = 0; i < 60; i++) {
			made += rc.status[i] == 303;
			refused += rc.status[i] == 429;
		}
		snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite "
		    "WHERE org_id = %lld AND created_by = %lld", o.id,
		    o.admin.id);
		T_EQ(count_sql(q), 50);
		T_EQ(made, 50);
		T_EQ(refused, 10);
		t_client_free(&o.admin.c);
	}
}

static void
homeroom_scope(void)
{
	struct org	 o;
	struct t_person	 hr, plain, pupil;
	long long	 own, other, id, admin_own, admin_other, admin_teacher;
	char		 f[256], path[128];

	org_new(&o, "Директорова");
	own = class_new(o.id, 3);
	other = class_new(o.id, 4);
	member_new(&hr, "Классная", o.id, "teacher", own);
	member_new(&plain, "Предметник", o.id, "teacher", 0);
	member_new(&pupil, "Ученикова", o.id, "student", 0);

	/* The homeroom teacher: the form offers students of own classes. */
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&hr.c, path), 200);
	T_LACKS(&hr.c, "value=\"teacher\"");
	snprintf(f, sizeof(f), "<option value=\"%lld\"", own);
	T_HAS(&hr.c, f);
	snprintf(f, sizeof(f), "<option value=\"%lld\"", other);
	T_LACKS(&hr.c, f);
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=48"
	    "&max_uses=25", own);
	T_EQ(invite_post(&hr.c, o.id, f), 303);
	T_TRUE((id = created_id(&hr.c, o.id)) > 0);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id, id);
	T_EQ(t_get(&hr.c, path), 200);
	T_HAS(&hr.c, "/join/");
	/* A teacher link, or another class: 403, nothing made. */
	T_EQ(invite_post(&hr.c, o.id,
	    "role=teacher&class_id=&ttl_hours=24&max_uses=1"), 403);
	snprintf(f, sizeof(f), "role=teacher&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", own);
	T_EQ(invite_post(&hr.c, o.id, f), 403);
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", other);
	T_EQ(invite_post(&hr.c, o.id, f), 403);
	snprintf(f, sizeof(f), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(f), 1);

	/* A plain teacher and a student may not make or see links. */
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&plain.c, path), 403);
	t_form(&plain.c, "/me");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", own);
	T_EQ(t_postf(&plain.c, path, "%s", f), 403);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id, id);
	T_EQ(t_get(&plain.c, path), 403);
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&pupil.c, path), 403);
	snprintf(f, sizeof(f), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(f), 1);

	/* The admin's links: the homeroom teacher sees the student link
	 * of their class, not the others. */
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=30", own);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	admin_own = created_id(&o.admin.c, o.id);
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=30", other);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	admin_other = created_id(&o.admin.c, o.id);
	T_EQ(invite_post(&o.admin.c, o.id,
	    "role=teacher&class_id=&ttl_hours=24&max_uses=3"), 303);
	admin_teacher = created_id(&o.admin.c, o.id);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id,
	    admin_own);
	T_EQ(t_get(&hr.c, path), 200);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id,
	    admin_other);
	T_EQ(t_get(&hr.c, path), 403);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id,
	    admin_teacher);
	T_EQ(t_get(&hr.c, path), 403);
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&hr.c, path), 200);
	snprintf(f, sizeof(f), "/org/%lld/invites/%lld\"", o.id, admin_own);
	T_HAS(&hr.c, f);
	snprintf(f, sizeof(f), "/org/%lld/invites/%lld\"", o.id, admin_other);
	T_LACKS(&hr.c, f);
	snprintf(f, sizeof(f), "/org/%lld/invites/%lld\"", o.id,
	    admin_teacher);
	T_LACKS(&hr.c, f);
	/* ... and may not revoke what they cannot see. */
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld/revoke", o.id,
	    admin_other);
	t_form(&hr.c, "/me");
	T_EQ(t_postf(&hr.c, path, "x=1"), 403);
	t_client_free(&o.admin.c);
	t_client_free(&hr.c);
	t_client_free(&plain.c);
	t_client_free(&pupil.c);
}

/* Whether the page looks dead: no link, no QR code, no "revoke", and the
 * reason why, said plainly. */
static void
dead_page(struct t_client *c, const char *why)
{
	char	 prefix[256];

	snprintf(prefix, sizeof(prefix), "%s/join/", t_base);
	T_HAS(c, "Эта ссылка больше не работает");
	T_HAS(c, why);
	T_LACKS(c, prefix);
	T_LACKS(c, "id=\"link\"");
	T_LACKS(c, "<svg class=\"qr\"");
	T_LACKS(c, "/revoke\"");
	T_LACKS(c, "Отозвать");
}

/* The value between the quotes after key in s (up to end), or "". */
static const char *
attr_after(const char *s, const char *end, const char *key, char *out,
    size_t outsz)
{
	const char	*p = strstr(s, key), *e;

	*out = '\0';
	if (p == NULL || (end != NULL && p > end))
		return out;
	p += strlen(key);
	e = p + strcspn(p, "\"");
	snprintf(out, outsz, "%.*s", (int)(e - p), p);
	return out;
}

/* The "new link" form as the last page shows it, untouched, into form
 * (url-encoded fields): the checked role, the selected class and
 * lifetime, the uses; 0, or -1 when the page has no form. */
static int
shown_form(const char *body, char *form, size_t formsz)
{
	const char	*cls, *ttl, *end;
	char		 role[32], cid[32], hours[32], uses[32];
	const char	*p;

	if ((cls = strstr(body, "<select id=\"class_id\"")) == NULL ||
	    (ttl = strstr(body, "<select id=\"ttl_hours\"")) == NULL)
		return -1;
	if ((p = strstr(body, "\" checked>")) == NULL)
		return -1;
	while (p > body && p[-1] != '"')
		p--;
	snprintf(role, sizeof(role), "%.*s", (int)strcspn(p, "\""), p);
	end = strstr(cls, "</select>");
	cid[0] = '\0';
	for (p = cls; (p = strstr(p, "<option value=\"")) != NULL &&
	    p < end; p++)
		if (strncmp(p + 15 + strcspn(p + 15, "\""), "\" selected",
		    10) == 0)
			attr_after(p, end, "<option value=\"", cid,
			    sizeof(cid));
	end = strstr(ttl, "</select>");
	hours[0] = '\0';
	for (p = ttl; (p = strstr(p, "<option value=\"")) != NULL &&
	    p < end; p++)
		if (strncmp(p + 15 + strcspn(p + 15, "\""), "\" selected",
		    10) == 0)
			attr_after(p, end, "<option value=\"", hours,
			    sizeof(hours));
	if ((p = strstr(body, "<input id=\"max_uses\"")) == NULL)
		return -1;
	attr_after(p, NULL, "value=\"", uses, sizeof(uses));
	snprintf(form, formsz, "role=%s&class_id=%s&ttl_hours=%s&max_uses=%s",
	    role, cid, hours, uses);
	return 0;
}

/* The form offers lifetimes in hours and days, and is valid as shown:
 * sent untouched it makes a link. */
static void
form_as_shown(void)
{
	struct org	 o, e;
	long long	 cls;
	char		 path[128], form[256], want[128];

	org_new(&o, "Срокова");
	cls = class_new(o.id, 4);
	org_new(&e, "Бесклассова");
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_TRUE(t_form(&o.admin.c, path) != NULL);
	T_HAS(&o.admin.c, "<select id=\"ttl_hours\" name=\"ttl_hours\"");
	T_HAS(&o.admin.c, "<option value=\"1\">1 час</option>");
	T_HAS(&o.admin.c, "<option value=\"3\">3 часа</option>");
	T_HAS(&o.admin.c, "<option value=\"12\">12 часов</option>");
	T_HAS(&o.admin.c, "<option value=\"24\" selected>1 день</option>");
	T_HAS(&o.admin.c, "<option value=\"48\">2 дня</option>");
	T_HAS(&o.admin.c, "<option value=\"168\">7 дней</option>");
	T_HAS(&o.admin.c, "<option value=\"336\">14 дней</option>");
	T_LACKS(&o.admin.c, "<option value=\"337\"");
	T_LACKS(&o.admin.c, "часов <span class=\"hint\">");
	T_HAS(&o.admin.c, "(от 1 часа до 14 дней)");
	T_TRUE(shown_form(o.admin.c.r.body, form, sizeof(form)) == 0);
	snprintf(want, sizeof(want), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", cls);
	T_STREQ(form, want);
	T_EQ(t_postf(&o.admin.c, path, "%s", form), 303);
	T_TRUE(created_id(&o.admin.c, o.id) > 0);

	/* No class yet: the admin's form invites a teacher. */
	snprintf(path, sizeof(path), "/org/%lld/invites", e.id);
	T_TRUE(t_form(&e.admin.c, path) != NULL);
	T_HAS(&e.admin.c, "value=\"teacher\" checked");
	T_TRUE(shown_form(e.admin.c.r.body, form, sizeof(form)) == 0);
	T_EQ(t_postf(&e.admin.c, path, "%s", form), 303);

	/* A script's own number of hours still works, and is kept in the
	 * form when another field is wrong. */
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	snprintf(form, sizeof(form), "role=student&class_id=%lld&ttl_hours=5"
	    "&max_uses=0", cls);
	T_EQ(t_postf(&o.admin.c, path, "%s", form), 422);
	T_HAS(&o.admin.c, "<option value=\"5\" selected>5 часов</option>");
	T_HAS(&o.admin.c, "<option value=\"3\">3 часа</option>");
	snprintf(form, sizeof(form), "role=student&class_id=%lld&ttl_hours=5"
	    "&max_uses=1", cls);
	T_EQ(t_postf(&o.admin.c, path, "%s", form), 303);
	T_STREQ(t_sql("SELECT expires_at - created_at = interval '5 hours' "
	    "FROM parta.invite WHERE org_id = %lld AND id = %lld", o.id,
	    created_id(&o.admin.c, o.id)), "t");
	T_EQ(t_postf(&o.admin.c, path, "role=student&class_id=%lld"
	    "&ttl_hours=337&max_uses=1", cls), 422);
	T_HAS(&o.admin.c, "от 1 часа до 14 дней");

	/* The personal links' form: the longest by default. */
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", o.id);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "<option value=\"336\" selected>14 дней</option>");
	T_HAS(&o.admin.c, "<option value=\"1\">1 час</option>");
	snprintf(want, sizeof(want), "<option value=\"%lld\" selected>", cls);
	T_HAS(&o.admin.c, want);
	t_client_free(&o.admin.c);
	t_client_free(&e.admin.c);
}

static void
revoke_link(void)
{
	struct org	 o;
	long long	 cls, id;
	char		 f[256], path[128], q[256];

	org_new(&o, "Отзывова");
	cls = class_new(o.id, 8);
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=10", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	T_TRUE((id = created_id(&o.admin.c, o.id)) > 0);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld/revoke", o.id,
	    id);
	T_EQ(t_post(&o.admin.c, path, "x=1"), 403);
	snprintf(q, sizeof(q), "SELECT revoked_at IS NULL FROM parta.invite "
	    "WHERE org_id = %lld AND id = %lld", o.id, id);
	T_STREQ(t_sql("%s", q), "t");
	snprintf(f, sizeof(f), "/org/%lld/invites/%lld", o.id, id);
	t_form(&o.admin.c, f);
	T_EQ(t_postf(&o.admin.c, path, "x=1"), 303);
	T_STREQ(t_header(&o.admin.c, "Location"), f);
	T_STREQ(t_sql("%s", q), "f");
	T_EQ(t_get(&o.admin.c, f), 200);
	T_HAS(&o.admin.c, "отозвана");
	dead_page(&o.admin.c, "Ссылка отозвана.");
	/* Again: already revoked. */
	T_EQ(t_postf(&o.admin.c, path, "x=1"), 409);
	T_HAS(&o.admin.c, "уже отозвана");
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.audit WHERE "
	    "org_id = %lld AND actor_id = %lld AND action = 'invite_revoked' "
	    "AND detail LIKE 'ссылка для %%' AND detail NOT LIKE '%%№%%'",
	    o.id, o.admin.id);
	T_EQ(count_sql(q), 1);
	/* The list says so too. */
	snprintf(path, sizeof(path), "/org/%lld/invites", o.id);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "status-revoked");
	/* Expired and used-up links are named as such. */
	T_EQ(invite_post(&o.admin.c, o.id, "role=teacher&ttl_hours=1"
	    "&max_uses=1"), 303);
	id = created_id(&o.admin.c, o.id);
	snprintf(q, sizeof(q), "UPDATE parta.invite SET created_at = now() - "
	    "interval '2 hours', expires_at = now() - interval '1 hour' WHERE "
	    "org_id = %lld AND id = %lld", o.id, id);
	T_TRUE(t_sql("%s", q) != NULL);
	snprintf(f, sizeof(f), "/org/%lld/invites/%lld", o.id, id);
	T_EQ(t_get(&o.admin.c, f), 200);
	T_HAS(&o.admin.c, "срок истёк");
	dead_page(&o.admin.c, "Срок действия ссылки истёк");
	T_EQ(invite_post(&o.admin.c, o.id, "role=teacher&ttl_hours=24"
	    "&max_uses=2"), 303);
	id = created_id(&o.admin.c, o.id);
	T_TRUE(t_sql("UPDATE parta.invite SET uses = 2 WHERE org_id = %lld "
	    "AND id = %lld", o.id, id) != NULL);
	snprintf(f, sizeof(f), "/org/%lld/invites/%lld", o.id, id);
	T_EQ(t_get(&o.admin.c, f), 200);
	T_HAS(&o.admin.c, "использована");
	dead_page(&o.admin.c, "по ней уже подали заявку 2 раза");
	t_client_free(&o.admin.c);
}

static void
attribution(void)
{
	struct org	 o;
	struct t_person	 joiner;
	long long	 cls, id;
	char		 f[256], path[128], q[512];

	org_new(&o, "Атрибутова");
	cls = class_new(o.id, 10);
	t_signup(&joiner, "Присоединённый", "Пётр");
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", cls);
	T_EQ(invite_post(&o.admin.c, o.id, f), 303);
	T_TRUE((id = created_id(&o.admin.c, o.id)) > 0);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", o.id, id);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "пока никто не подал заявку");
	T_HAS(&o.admin.c, "1 из 1");
	/* A join by the link, as the join program will record it. */
	snprintf(q, sizeof(q), "UPDATE parta.invite SET uses = uses + 1 "
	    "WHERE org_id = %lld AND id = %lld; INSERT INTO parta.application "
	    "(org_id, account_id, role, class_id, invite_id) VALUES (%lld, "
	    "%lld, 'student', %lld, %lld)", o.id, id, o.id, joiner.id, cls,
	    id);
	T_TRUE(t_sql("%s", q) != NULL);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "Присоединённый Пётр");
	T_HAS(&o.admin.c, "ждёт решения");
	T_HAS(&o.admin.c, "0 из 1");
	T_HAS(&o.admin.c, "использована");
	T_LACKS(&o.admin.c, "пока никто не подал заявку");
	/* Accepted: the name links to the member's card. */
	snprintf(q, sizeof(q), "UPDATE parta.application SET status = "
	    "'accepted', decided_by = %lld, decided_at = now() WHERE org_id = "
	    "%lld AND invite_id = %lld", o.admin.id, o.id, id);
	T_TRUE(t_sql("%s", q) != NULL);
	/* Not a member (any more): no card to link to. */
	T_EQ(t_get(&o.admin.c, path), 200);
	snprintf(f, sizeof(f), "/org/%lld/members/%lld\"", o.id, joiner.id);
	T_LACKS(&o.admin.c, f);
	T_HAS(&o.admin.c, "Присоединённый Пётр");
	T_TRUE(t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, 'student', true)", o.id,
	    joiner.id) != NULL);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, f);
	T_HAS(&o.admin.c, "принята");
	t_client_free(&o.admin.c);
	t_client_free(&joiner.c);
}

static void
other_org_404(void)
{
	struct org	 a, b;
	long long	 cls, id, bid;
	char		 f[256], path[128];

	org_new(&a, "Первая");
	org_new(&b, "Вторая");
	cls = class_new(a.id, 11);
	snprintf(f, sizeof(f), "role=student&class_id=%lld&ttl_hours=24"
	    "&max_uses=1", cls);
	T_EQ(invite_post(&a.admin.c, a.id, f), 303);
	T_TRUE((id = created_id(&a.admin.c, a.id)) > 0);
	T_EQ(invite_post(&b.admin.c, b.id, "role=teacher&ttl_hours=24"
	    "&max_uses=1"), 303);
	T_TRUE((bid = created_id(&b.admin.c, b.id)) > 0);

	/* B's admin knows nothing of A. */
	snprintf(path, sizeof(path), "/org/%lld/invites", a.id);
	T_EQ(t_get(&b.admin.c, path), 404);
	T_EQ(t_postf(&b.admin.c, path, "%s", f), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", a.id, id);
	T_EQ(t_get(&b.admin.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld/revoke", a.id,
	    id);
	T_EQ(t_postf(&b.admin.c, path, "x=1"), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", a.id);
	T_EQ(t_get(&b.admin.c, path), 404);
	/* A's admin cannot reach B's link through A. */
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", a.id, bid);
	T_EQ(t_get(&a.admin.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld/revoke", a.id,
	    bid);
	t_form(&a.admin.c, "/me");
	T_EQ(t_postf(&a.admin.c, path, "x=1"), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/999999999", a.id);
	T_EQ(t_get(&a.admin.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/999999999",
	    a.id);
	T_EQ(t_get(&a.admin.c, path), 404);
	/* Logged out: to the login page. */
	{
		struct t_client	 anon;

		t_client_init(&anon);
		snprintf(path, sizeof(path), "/org/%lld/invites", a.id);
		T_EQ(t_get(&anon, path), 303);
		T_TRUE(strncmp(t_header(&anon, "Location"), "/login?next=",
		    12) == 0);
		t_client_free(&anon);
	}
	t_client_free(&a.admin.c);
	t_client_free(&b.admin.c);
}

/* POST a multipart form: fields as "name", "value" pairs (NULL-ended),
 * with an optional file part "file". */
static long
post_multipart(struct t_client *c, const char *path,
    const char *const *fields, const char *file, size_t filelen)
{
	struct t_mp	 m = { 0 };

	t_mp_field(&m, "csrf", c->csrf);
	for (; fields[0] != NULL; fields += 2)
		t_mp_field(&m, fields[0], fields[1]);
	if (file != NULL)
		t_mp_file(&m, "file", "names.csv", "text/csv", file, filelen);
	return t_mp_post(c, path, &m);
}

/* The link of name in the CSV body, into out: 0 or -1. */
static int
csv_link(const char *csv, const char *name, char *out, size_t outsz)
{
	char		 key[256];
	const char	*p, *e;

	snprintf(key, sizeof(key), "\n\"%s\";\"", name);
	if ((p = strstr(csv, key)) == NULL)
		return -1;
	p += strlen(key);
	if ((p = strstr(p, "\";\"")) == NULL)	/* past the class */
		return -1;
	p += 3;
	e = p + strcspn(p, "\"");
	snprintf(out, outsz, "%.*s", (int)(e - p), p);
	return 0;
}

static void
bulk_sheet_and_csv(void)
{
	static const char *names[] = {
		"Алексеев Алексей", "Борисова Белла Борисовна", "Васильев Вася"
	};
	struct org	 o;
	long long	 cls, batch;
	char		 path[128], csv[16384], link[512], qr[512], q[512];
	char		 cls_s[32], prefix[64], *sheet;
	const char	*p, *e, *s, *loc;
	const char	*fields[10];
	int		 cards = 0, k;
	size_t		 i;

	org_new(&o, "Печатникова");
	cls = class_new(o.id, 2);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", o.id);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "enctype=\"multipart/form-data\"");
	snprintf(cls_s, sizeof(cls_s), "%lld", cls);
	fields[0] = "role"; fields[1] = "student";
	fields[2] = "class_id"; fields[3] = cls_s;
	fields[4] = "ttl_hours"; fields[5] = "168";
	fields[6] = "names";
	fields[7] = "Алексеев Алексей\r\n\r\n  Борисова\tБелла  Борисовна \r\n"
	    "Васильев Вася\r\n";
	fields[8] = NULL;
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 303);
	snprintf(prefix, sizeof(prefix), "/org/%lld/invites/batches/", o.id);
	loc = t_header(&o.admin.c, "Location");
	T_TRUE(loc != NULL && strncmp(loc, prefix, strlen(prefix)) == 0);
	T_TRUE((batch = t_id_after(loc, prefix)) > 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld AND batch_id = %lld AND max_uses = 1 AND "
	    "role = 'student' AND class_id = %lld AND expires_at - created_at "
	    "= interval '168 hours'", o.id, batch, cls);
	T_EQ(count_sql(q), 3);

	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld", o.id,
	    batch);
	T_EQ(t_get(&o.admin.c, path), 200);
	for (i = 0; i < 3; i++)
		T_HAS(&o.admin.c, names[i]);
	T_HAS(&o.admin.c, "/print\"");
	T_HAS(&o.admin.c, "/csv\"");

	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld/csv",
	    o.id, batch);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_TRUE(strncmp(t_header(&o.admin.c, "Content-Type"), "text/csv",
	    8) == 0);
	T_TRUE(strstr(t_header(&o.admin.c, "Content-Disposition"),
	    "attachment") != NULL);
	T_TRUE(strncmp(o.admin.c.r.body, "\xEF\xBB\xBF" "\"ФИО\";\"Класс\";",
	    strlen("\xEF\xBB\xBF" "\"ФИО\";\"Класс\";")) == 0);
	snprintf(csv, sizeof(csv), "%s", o.admin.c.r.body);

	snprintf(path, sizeof(path), "/org/%lld/invites/batches/%lld/print",
	    o.id, batch);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "Школа №1");
	sheet = strdup(o.admin.c.r.body);
	/* One card per person, each with one QR code that decodes to that
	 * person's link: the one in the CSV, whose hash is stored. */
	for (p = sheet; (p = strstr(p, "<article class=\"cut\">")) != NULL;
	    p = e) {
		char	 name[256], token[64];

		if ((e = strstr(p, "</article>")) == NULL)
			break;
		cards++;
		s = strstr(p, "<p class=\"cut-name\">");
		T_TRUE(s != NULL && s < e);
		s += strlen("<p class=\"cut-name\">");
		snprintf(name, sizeof(name), "%.*s",
		    (int)(strstr(s, "</p>") - s), s);
		T_TRUE(csv_link(csv, name, link, sizeof(link)) == 0);
		s = strstr(p, "<svg");
		T_TRUE(s != NULL && s < e);
		T_TRUE(strstr(s + 4, "<svg") == NULL ||
		    strstr(s + 4, "<svg") > e);
		k = (int)(strstr(s, "</svg>") + 6 - s);
		T_TRUE(t_qr_decode(s, (size_t)k, qr, sizeof(qr)) == 0);
		T_STREQ(qr, link);
		snprintf(prefix, sizeof(prefix), "%s/join/", t_base);
		T_TRUE(strncmp(link, prefix, strlen(prefix)) == 0);
		snprintf(token, sizeof(token), "%s", link + strlen(prefix));
		T_EQ(strlen(token), TOKEN_LEN);
		snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite "
		    "WHERE org_id = %lld AND batch_id = %lld AND label = '%s' "
		    "AND token_hash = sha256(convert_to('%s', 'UTF8'))", o.id,
		    batch, name, token);
		T_EQ(count_sql(q), 1);
	}
	free(sheet);
	T_EQ(cards, 3);
	for (i = 0; i < 3; i++)
		T_TRUE(csv_link(csv, names[i], link, sizeof(link)) == 0);
	/* A used link is left off the sheet. */
	snprintf(q, sizeof(q), "UPDATE parta.invite SET uses = 1 WHERE "
	    "org_id = %lld AND batch_id = %lld AND label = '%s'", o.id, batch,
	    names[0]);
	T_TRUE(t_sql("%s", q) != NULL);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_LACKS(&o.admin.c, names[0]);
	T_HAS(&o.admin.c, names[1]);
	T_HAS(&o.admin.c, "1 ссылка не напечатана: уже использована, отозвана"
	    " или истекла.");
	t_client_free(&o.admin.c);
}

static void
bulk_csv_upload(void)
{
	struct org	 o;
	long long	 cls;
	char		 path[128], cls_s[32], q[512];
	const char	*fields[10];
	/* A spreadsheet's export: BOM, header, semicolons, quotes. */
	static const char utf8[] = "\xEF\xBB\xBF"
	    "Фамилия;Имя;Отчество;Класс\r\n"
	    "Гаврилов;Гаврила;Гаврилович;2Т\r\n"
	    "\"Дмитриева\";\"Дарья\";;2Т\r\n"
	    ";;;\r\n";
	/* Windows-1251: "ФИО\nЕрмаков Ёжик\n". */
	static const char cp1251[] = "\xD4\xC8\xCE\n"
	    "\xC5\xF0\xEC\xE0\xEA\xEE\xE2 \xA8\xE6\xE8\xEA\n";

	org_new(&o, "Файлова");
	cls = class_new(o.id, 1);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", o.id);
	t_form(&o.admin.c, path);
	snprintf(cls_s, sizeof(cls_s), "%lld", cls);
	fields[0] = "role"; fields[1] = "student";
	fields[2] = "class_id"; fields[3] = cls_s;
	fields[4] = "ttl_hours"; fields[5] = "24";
	fields[6] = "names"; fields[7] = "";
	fields[8] = NULL;
	T_EQ(post_multipart(&o.admin.c, path, fields, utf8, sizeof(utf8) - 1),
	    303);
	snprintf(q, sizeof(q), "SELECT string_agg(label, '/' ORDER BY id) "
	    "FROM parta.invite WHERE org_id = %lld", o.id);
	T_STREQ(t_sql("%s", q), "Гаврилов Гаврила Гаврилович/Дмитриева Дарья");
	t_form(&o.admin.c, path);
	T_EQ(post_multipart(&o.admin.c, path, fields, cp1251,
	    sizeof(cp1251) - 1), 303);
	T_STREQ(t_sql("%s", q), "Гаврилов Гаврила Гаврилович/Дмитриева Дарья"
	    "/Ермаков Ёжик");
	/* Not text at all: 422 by the file field. */
	t_form(&o.admin.c, path);
	T_EQ(post_multipart(&o.admin.c, path, fields, "\x89PNG\r\n\x1a\n\x81",
	    9), 422);
	T_HAS(&o.admin.c, "id=\"file_error\"");
	t_client_free(&o.admin.c);
}

static void
bulk_errors_and_cap(void)
{
	struct org	 o;
	struct t_person	 hr;
	long long	 cls, other;
	char		 path[128], cls_s[32], other_s[32], q[512];
	char		 longname[400];
	const char	*fields[10];

	org_new(&o, "Спискова");
	cls = class_new(o.id, 4);
	other = class_new(o.id, 5);
	member_new(&hr, "Руководителева", o.id, "teacher", cls);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", o.id);
	snprintf(cls_s, sizeof(cls_s), "%lld", cls);
	snprintf(other_s, sizeof(other_s), "%lld", other);
	fields[0] = "role"; fields[1] = "student";
	fields[2] = "class_id"; fields[3] = cls_s;
	fields[4] = "ttl_hours"; fields[5] = "24";
	fields[6] = "names"; fields[7] = "";
	fields[8] = NULL;
	/* Empty list. */
	t_form(&o.admin.c, path);
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 422);
	T_HAS(&o.admin.c, "id=\"names_error\"");
	/* A name too long, on line 2: the list is kept as typed. */
	memset(longname, 0, sizeof(longname));
	snprintf(longname, sizeof(longname), "Иванов Иван\n");
	memset(longname + strlen(longname), 'x', 101);
	fields[7] = longname;
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 422);
	T_HAS(&o.admin.c, "строка 2");
	T_HAS(&o.admin.c, "Иванов Иван\nxxxx");
	/* Lifetime out of range. */
	fields[5] = "337";
	fields[7] = "Иванов Иван";
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 422);
	T_HAS(&o.admin.c, "id=\"ttl_hours_error\"");
	fields[5] = "24";
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(q), 0);

	/* 48 links made today: a list of 3 is too long, 2 fit. */
	snprintf(q, sizeof(q), "INSERT INTO parta.invite (org_id, created_by, "
	    "role, token_hash, max_uses, expires_at) SELECT %lld, %lld, "
	    "'teacher', sha256(convert_to('cap' || g || '-' || %lld, 'UTF8')), "
	    "1, now() + interval '1 hour' FROM generate_series(1, 48) g",
	    o.id, o.admin.id, o.id);
	T_TRUE(t_sql("%s", q) != NULL);
	fields[7] = "Первый\nВторой\nТретий";
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 429);
	T_HAS(&o.admin.c,
	    "В списке 3 имени, а сегодня можно создать ещё 2 ссылки");
	T_HAS(&o.admin.c, "Первый\nВторой\nТретий");
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(q), 48);
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite_batch "
	    "WHERE org_id = %lld", o.id);
	T_EQ(count_sql(q), 0);
	fields[7] = "Первый\nВторой";
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 303);
	snprintf(q, sizeof(q), "SELECT count(*) FROM parta.invite WHERE "
	    "org_id = %lld", o.id);
	T_EQ(count_sql(q), 50);

	/* The homeroom teacher: own class yes; others, teachers: 403.  The
	 * allowance is per person. */
	t_form(&hr.c, path);
	T_LACKS(&hr.c, "value=\"teacher\"");
	fields[7] = "Четвёртый";
	T_EQ(post_multipart(&hr.c, path, fields, NULL, 0), 303);
	fields[3] = other_s;
	T_EQ(post_multipart(&hr.c, path, fields, NULL, 0), 403);
	fields[1] = "teacher";
	fields[3] = "";
	T_EQ(post_multipart(&hr.c, path, fields, NULL, 0), 403);
	T_EQ(count_sql(q), 51);
	t_client_free(&o.admin.c);
	t_client_free(&hr.c);
}

/* Personal links of a class are seen by its homeroom teacher only. */
static void
batch_scope(void)
{
	struct org	 o;
	struct t_person	 hr;
	long long	 own, other, batch;
	char		 path[128], other_s[32], prefix[64];
	const char	*fields[10];

	org_new(&o, "Пачкина");
	own = class_new(o.id, 6);
	other = class_new(o.id, 7);
	member_new(&hr, "Своеклассная", o.id, "teacher", own);
	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", o.id);
	snprintf(other_s, sizeof(other_s), "%lld", other);
	fields[0] = "role"; fields[1] = "student";
	fields[2] = "class_id"; fields[3] = other_s;
	fields[4] = "ttl_hours"; fields[5] = "24";
	fields[6] = "names"; fields[7] = "Чужой Ученик";
	fields[8] = NULL;
	t_form(&o.admin.c, path);
	T_EQ(post_multipart(&o.admin.c, path, fields, NULL, 0), 303);
	snprintf(prefix, sizeof(prefix), "/org/%lld/invites/batches/", o.id);
	T_TRUE((batch = t_id_after(t_header(&o.admin.c, "Location"),
	    prefix)) > 0);
	snprintf(path, sizeof(path), "%s%lld", prefix, batch);
	T_EQ(t_get(&o.admin.c, path), 200);
	T_HAS(&o.admin.c, "Чужой Ученик");
	T_EQ(t_get(&hr.c, path), 403);
	snprintf(path, sizeof(path), "%s%lld/print", prefix, batch);
	T_EQ(t_get(&hr.c, path), 403);
	snprintf(path, sizeof(path), "%s%lld/csv", prefix, batch);
	T_EQ(t_get(&hr.c, path), 403);
	T_LACKS(&hr.c, "Чужой Ученик");
	t_client_free(&o.admin.c);
	t_client_free(&hr.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "create, show the full link, list", create_show_list },
		{ "limits at the edges: 336/337 hours, 1/100/101 uses, 0",
		    limits_at_the_edges },
		{ "51st link in 24 hours: 429", daily_limit },
		{ "60 parallel creations: exactly 50, three times",
		    daily_limit_parallel },
		{ "homeroom teacher: own class only; plain teacher 403",
		    homeroom_scope },
		{ "the form: lifetimes in hours and days, valid as shown",
		    form_as_shown },
		{ "revoke, 409 when revoked, statuses; dead links look dead",
		    revoke_link },
		{ "who joined by a link", attribution },
		{ "other organizations: 404", other_org_404 },
		{ "personal links: sheet QR codes decode, CSV",
		    bulk_sheet_and_csv },
		{ "personal links from CSV files", bulk_csv_upload },
		{ "personal links: 422, daily cap 429, homeroom",
		    bulk_errors_and_cap },
		{ "personal links of another class: 403 to its pages",
		    batch_scope },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
