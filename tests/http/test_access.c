/*
 * The access matrix: every route of the contract (and the routes the
 * programs add) against every kind of person, with the status each must
 * get, read from tests/http/access.tsv.
 *
 * First the table is checked against the programs: every built program
 * (build/cgi-bin/NAME of cgi-bin/NAME.c, or of the folder cgi-bin/NAME/)
 * prints its routes table with each route's flags (NAME --routes,
 * lib/app.h); each route and method must have a row (a route added
 * without one fails here, by name), and each row must be a route of some
 * program.  Each route's flags are proved by its rows: every actor the
 * flags promise a status (anonymous callers of a login route: the login
 * page; APP_OPERATOR: 404 to anyone but the operator; an organization's
 * route: 404 to outsiders, with a role flag 403 to the members without
 * it and to the operator) has that status in every row, which the walk
 * below then proves over HTTP; and what every row says is declared (an
 * organization's route turning away every outsider, one refusing the
 * operator, one only the operator reaches, each carries its flag; whom
 * a flag lets in is not refused in every row).
 *
 * Then one world is built once (an organization with a class, links,
 * batches of personal links, pending applications, chats, a parent, a parent link;
 * another organization; a registration request with its document; the
 * operator), and the table is walked over HTTP: every POST route first
 * without a csrf token (403, or the login redirect for anonymous callers
 * of login-only routes), then every row with each actor's own token.
 * Rows run in file order, which keeps the ones that change state
 * (accept, withdraw, log out) after the ones they would spoil.  Also a
 * race: withdrawing and accepting one application at once, 20 times.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

enum {
	A_ANON, A_NOMEMBER, A_APPLICANT, A_STUDENT, A_TEACHER, A_HOMEROOM,
	A_ADMIN, A_OTHERADMIN, A_PARENT, A_OPERATOR, NACTOR
};

static const char *const actor_name[NACTOR] = {
	"anonymous", "signed-up", "applicant", "student", "teacher",
	"homeroom", "admin", "other-admin", "parent", "operator"
};

#define MAXROW	 512
#define MAXROUTE 256
#define MAXCASE	 (MAXROW * NACTOR * 2 + MAXROUTE * 2 + 8)

struct row {
	char	 method[8];
	char	 path[160];
	char	 body[256];
	int	 want[NACTOR];
};

static struct row	 rows[MAXROW];
static size_t		 nrows;

/* The world: actors and the placeholders' values. */
static struct t_client	 actor[NACTOR];
static struct {
	const char	*key;
	char		 val[96];
} ph[] = {
	{ "org", "" }, { "other", "" }, { "class", "" }, { "class2", "" },
	{ "invite", "" }, { "invite2", "" }, { "token", "" }, { "app", "" },
	{ "app2", "" }, { "app3", "" }, { "chat", "" }, { "pchat", "" },
	{ "staff", "" }, { "lchat", "" }, { "ctoken", "" }, { "msg", "" },
	{ "student_id", "" }, { "teacher_id", "" }, { "victim", "" },
	{ "cvictim", "" }, { "ovictim", "" }, { "req", "" }, { "req2", "" },
	{ "admin_id", "" }, { "batch", "" }, { "batch2", "" },
	{ "obatch", "" }, { "doc", "" }, { "oclass", "" }, { "oinvite", "" },
	{ "oapp", "" }, { "ochat", "" }, { "oadmin_id", "" },
	{ "roster", "" }, { "roster2", "" }, { "oroster", "" },
	{ "plink", "" }, { "subject", "" }, { "osession", "" },
	{ "sfile", "" },
	{ "leader", "" }, { "leader2", "" },
	{ "appeal", "" },
	{ "event", "" }, { "event2", "" },
	{ "material", "" }, { "omaterial", "" },
	{ "parent_id", "" }, { "guardian2", "" }, { "guardian3", "" },
	{ "young", "" },
};
#define NPH	(sizeof(ph) / sizeof(ph[0]))

static int	 world_ok;

static void
ph_set(const char *key, const char *fmt, long long v)
{
	size_t	 i;

	for (i = 0; i < NPH; i++)
		if (strcmp(ph[i].key, key) == 0)
			snprintf(ph[i].val, sizeof(ph[i].val), fmt, v);
}

static void
ph_setll(const char *key, long long v)
{
	ph_set(key, "%lld", v);
}

/* s with every {key} replaced; -1 for an unknown key. */
static int
expand(const char *s, char *out, size_t n)
{
	size_t	 i, o = 0, k;
	const char *e;

	while (*s != '\0' && o + 1 < n) {
		if (*s == '{' && (e = strchr(s, '}')) != NULL) {
			k = (size_t)(e - s - 1);
			for (i = 0; i < NPH; i++)
				if (strlen(ph[i].key) == k &&
				    strncmp(ph[i].key, s + 1, k) == 0)
					break;
			if (i == NPH || ph[i].val[0] == '\0')
				return -1;
			o += (size_t)snprintf(out + o, n - o, "%s", ph[i].val);
			s = e + 1;
		} else
			out[o++] = *s++;
	}
	out[o < n ? o : n - 1] = '\0';
	return 0;
}

/* A signed-up person made a member (and class member) by SQL: their id. */
static long long
member_add(long long org, struct t_person *p, const char *role,
    long long cls, const char *crole)
{
	t_member_add(org, p->id, role, 1);
	if (cls > 0)
		t_class_member_add(org, cls, p->id, crole);
	return p->id;
}

static long long
app_add(long long org, long long who, long long cls)
{
	return t_application_add(org, who, "student", cls);
}

static long long
req_add(long long who)
{
	char	 inn[11], kpp[10], phone[16];

	t_unique_inn(inn, kpp);
	t_unique_phone(phone);
	return t_ll(t_sql("INSERT INTO parta.org_request (applicant_id,"
	    " region, org_type, full_name, short_name, inn, kpp,"
	    " admin_last_name, admin_first_name, admin_phone, address,"
	    " doc_name, doc_type, doc_size, doc_key) VALUES (%lld, '70',"
	    " 'school', 'Школа матрицы', 'Школа матрицы', '%s', '%s',"
	    " 'Матрицын', 'Марк', '%s', 'Томск', 'd.pdf', 'application/pdf',"
	    " 10, 'none') RETURNING id", who, inn, kpp, phone));
}

/* The first number after prefix in the last Location or page. */
static long long
id_from(const struct t_client *c, const char *prefix)
{
	const char	*loc = t_header(c, "Location");
	long long	 id = -1;

	if (loc != NULL)
		id = t_id_after(loc, prefix);
	return id > 0 ? id : t_id_after(c->r.body, prefix);
}

/* A file part of a multipart form. */
struct upload {
	const char	*field;
	const char	*filename;
	const char	*data;
	size_t		 len;
};

#define BOUNDARY	"----partaAccessMatrix9xQ2"
#define MULTIPART	"multipart:"

/* The n bytes at s with %XX and + decoded, into out (of size sz). */
static void
unescape(const char *s, size_t n, char *out, size_t sz)
{
	char	 hex[3] = "";
	size_t	 i, o = 0;

	for (i = 0; i < n && o + 1 < sz; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			memcpy(hex, s + i + 1, 2);
			out[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			out[o++] = s[i] == '+' ? ' ' : s[i];
	}
	out[o] = '\0';
}

/*
 * POST body to path as a browser would: "a=1&b=2" form-encoded, or with
 * "multipart:" in front the same fields as multipart/form-data (how an
 * upload form is sent), with the file f if not NULL.  The client's csrf
 * token goes first when csrf is set.  The status.
 */
static long
post_as(struct t_client *c, const char *path, const char *body, int csrf,
    const struct upload *f)
{
	char		*b, val[1024];
	const char	*s, *e, *eq;
	size_t		 n = 0, cap;
	long		 st;

	if (strncmp(body, MULTIPART, strlen(MULTIPART)) != 0) {
		if (!csrf)
			return t_post(c, path, body);
		snprintf(val, sizeof(val), "csrf=%s%s%s", c->csrf,
		    body[0] != '\0' ? "&" : "", body);
		return t_post(c, path, val);
	}
	body += strlen(MULTIPART);
	cap = 8192 + 3 * strlen(body) + (f != NULL ? f->len : 0);
	for (s = body; *s != '\0'; s++)
		cap += *s == '&' ? 128 : 0;
	if ((b = malloc(cap)) == NULL)
		return -1;
	if (csrf)
		n += (size_t)snprintf(b + n, cap - n, "--" BOUNDARY "\r\n"
		    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
		    "%s\r\n", c->csrf);
	for (s = body; *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		e = s + strcspn(s, "&");
		if ((eq = memchr(s, '=', (size_t)(e - s))) == NULL)
			eq = e;
		unescape(eq < e ? eq + 1 : e, (size_t)(e - (eq < e ? eq + 1 :
		    e)), val, sizeof(val));
		n += (size_t)snprintf(b + n, cap - n, "--" BOUNDARY "\r\n"
		    "Content-Disposition: form-data; name=\"%.*s\"\r\n\r\n"
		    "%s\r\n", (int)(eq - s), s, val);
	}
	if (f != NULL) {
		n += (size_t)snprintf(b + n, cap - n, "--" BOUNDARY "\r\n"
		    "Content-Disposition: form-data; name=\"%s\"; "
		    "filename=\"%s\"\r\nContent-Type: "
		    "application/octet-stream\r\n\r\n", f->field, f->filename);
		memcpy(b + n, f->data, f->len);
		n += f->len;
		n += (size_t)snprintf(b + n, cap - n, "\r\n");
	}
	n += (size_t)snprintf(b + n, cap - n, "--" BOUNDARY "--\r\n");
	st = t_request(c, "POST", path, "Content-Type: multipart/form-data; "
	    "boundary=" BOUNDARY "\r\n", b, n);
	free(b);
	return st;
}

/* A batch of personal links made by c in org from the bulk form's
 * fields (form-encoded): its id, or -1. */
static long long
batch_add(struct t_client *c, long long org, const char *fields)
{
	char	 path[128], body[512];

	snprintf(path, sizeof(path), "/org/%lld/invites/bulk", org);
	snprintf(body, sizeof(body), MULTIPART "%s", fields);
	if (t_form(c, path) == NULL || post_as(c, path, body, 1, NULL) != 303)
		return -1;
	snprintf(path, sizeof(path), "/org/%lld/invites/batches/", org);
	return id_from(c, path);
}

/* A registration request filed by c over HTTP, with its document: its
 * id, or -1. */
static long long
doc_request_add(struct t_client *c)
{
	static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\n"
	    "trailer <<>>\n%%EOF\n";
	struct upload	 f = { "document", "prikaz.pdf", pdf,
	    sizeof(pdf) - 1 };
	char		 inn[11], kpp[10], phone[16], body[1024];

	t_unique_inn(inn, kpp);
	t_unique_phone(phone);
	snprintf(body, sizeof(body), MULTIPART "region=70&org_type=school"
	    "&full_name=%s&short_name=%s&inn=%s&kpp=%s&admin_last_name=%s"
	    "&admin_first_name=%s&admin_patronymic=&admin_phone=%s"
	    "&address=%s", t_enc("Школа с документом"),
	    t_enc("Школа с документом"), inn, kpp, t_enc("Документов"),
	    t_enc("Дмитрий"), t_enc(phone), t_enc("Томск, ул. Ленина, 1"));
	if (t_form(c, "/register/org") == NULL ||
	    post_as(c, "/register/org", body, 1, &f) != 303)
		return -1;
	return id_from(c, "/register/org/");
}

/* A roster of org made by account by, for class cls (0: the whole
 * school), with one row, not applied: its id. */
static long long
roster_add(long long org, long long by, long long cls)
{
	long long	 id;

	T_TRUE((id = t_ll(t_sql("INSERT INTO parta.roster (org_id,"
	    " created_by, class_id, file_name, file_hash, row_count) VALUES"
	    " (%lld, %lld, nullif(%lld, 0), 'матрица.csv',"
	    " sha256(random()::text::bytea), 1) RETURNING id", org, by,
	    cls))) > 0);
	T_TRUE(t_sql("INSERT INTO parta.roster_row (org_id, roster_id, line,"
	    " last_name, first_name, role, class_text, grade, letter) VALUES"
	    " (%lld, %lld, 2, 'Списочный', 'Иван', 'student', '7А', 7, 'А')",
	    org, id) != NULL);
	return id;
}

/* Build the world once; every row depends on it. */
static void
world(void)
{
	struct t_person	 p[NACTOR], throwaway;
	char		 path[256];
	const char	*v, *s;
	long long	 org, other, cls, cls2, inv, sid, subj, app, cls8;
	size_t		 n;
	int		 i;

	t_client_init(&actor[A_ANON]);
	for (i = A_NOMEMBER; i < NACTOR; i++) {
		if (i == A_OPERATOR)
			continue;
		t_signup(&p[i], "Матрицын", actor_name[i]);
		actor[i] = p[i].c;
	}
	T_TRUE(t_operator_login(&actor[A_OPERATOR]) == 0);
	/* The operator's account outlives a run: the application the
	 * last row of an earlier run filed would make them "applying as a
	 * student" here. */
	T_TRUE(t_sql("UPDATE parta.application a SET status = 'withdrawn'"
	    " FROM parta.account u, parta.org o WHERE u.id = a.account_id"
	    " AND u.is_operator AND o.id = a.org_id AND a.status = 'pending'"
	    " AND o.short_name = 'Школа матрицы'") != NULL);
	T_TRUE((org = t_org_create(&p[A_ADMIN], "Школа матрицы")) > 0);
	T_TRUE((other = t_org_create(&p[A_OTHERADMIN], "Чужая школа")) > 0);
	ph_setll("org", org);
	ph_setll("other", other);
	ph_setll("admin_id", p[A_ADMIN].id);

	/* Two classes (the second for homeroom changes). */
	T_TRUE((cls = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 7, 'А',"
	    " 2025, '#2453d6') RETURNING id", org))) > 0);
	T_TRUE((cls2 = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 8, 'Б',"
	    " 2025, '#2453d6') RETURNING id", org))) > 0);
	ph_setll("class", cls);
	ph_setll("class2", cls2);

	/* Members. */
	T_TRUE((sid = member_add(org, &p[A_STUDENT], "student", cls,
	    "student")) > 0);
	ph_setll("student_id", sid);
	ph_setll("teacher_id", member_add(org, &p[A_TEACHER], "teacher", 0,
	    NULL));
	T_TRUE(member_add(org, &p[A_HOMEROOM], "teacher", cls,
	    "homeroom") > 0);
	/* A subject teacher of the class, to take out of it. */
	T_TRUE((subj = t_account_add("Предметникова")) > 0);
	T_TRUE(t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, 'teacher', true)", org, subj) !=
	    NULL);
	T_TRUE(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'teacher')", org,
	    cls, subj) != NULL);
	ph_setll("subject", subj);

	/* The parent of the student, in the class's parents' chat; two
	 * more guardians to remove (by the homeroom teacher, by the
	 * student); a young child of the parent's, whose password the
	 * parent may set. */
	T_TRUE(t_guardian_add(p[A_PARENT].id, sid) == 0);
	ph_setll("parent_id", p[A_PARENT].id);
	ph_setll("guardian2", t_account_add("Опекунова"));
	ph_setll("guardian3", t_account_add("Бабушкина"));
	T_TRUE(t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%s, %lld), (%s, %lld)", ph[NPH - 3].val, sid,
	    ph[NPH - 2].val, sid) != NULL);
	T_TRUE((v = t_sql("INSERT INTO parta.account (last_name, first_name,"
	    " gender, birth_date, login, password_hash) VALUES ('Малышкина',"
	    " 'Мила', 'f', '2019-01-01', 'mila' || substr(md5(random()::text),"
	    " 1, 12), 'x') RETURNING id")) != NULL && *v != '\0');
	ph_setll("young", atoll(v));
	T_TRUE(t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%lld, %s)", p[A_PARENT].id, ph[NPH - 1].val) !=
	    NULL);
	/* ... the parent who confirmed her registration (only they set
	 * it: sql/0022). */
	T_TRUE(t_sql("INSERT INTO parta.child_signup (child_id, contact,"
	    " confirmed_at, confirmed_by) VALUES (%s, 'mila@example.org',"
	    " now(), %lld)", ph[NPH - 1].val, p[A_PARENT].id) !=
	    NULL);

	/* Links: one followed by the applicant, one to revoke. */
	snprintf(path, sizeof(path), "/org/%lld/invites", org);
	t_form(&actor[A_ADMIN], path);
	T_EQ(t_postf(&actor[A_ADMIN], path, "role=student&class_id=%lld"
	    "&ttl_hours=48&max_uses=50", cls), 303);
	snprintf(path, sizeof(path), "/org/%lld/invites/", org);
	T_TRUE((inv = id_from(&actor[A_ADMIN], path)) > 0);
	ph_setll("invite", inv);
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", org, inv);
	T_EQ(t_get(&actor[A_ADMIN], path), 200);
	T_TRUE((s = strstr(actor[A_ADMIN].r.body, "/join/")) != NULL);
	s += 6;
	n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_");
	T_TRUE(n >= 22 && n < 90);
	memcpy(ph[6].val, s, n);
	ph[6].val[n] = '\0';
	snprintf(path, sizeof(path), "/org/%lld/invites", org);
	t_form(&actor[A_ADMIN], path);
	T_EQ(t_postf(&actor[A_ADMIN], path, "role=teacher&class_id="
	    "&ttl_hours=48&max_uses=5"), 303);
	snprintf(path, sizeof(path), "/org/%lld/invites/", org);
	T_TRUE((inv = id_from(&actor[A_ADMIN], path)) > 0);
	ph_setll("invite2", inv);

	/* The applicant follows the link. */
	snprintf(path, sizeof(path), "/join/%s", ph[6].val);
	t_form(&actor[A_APPLICANT], path);
	T_EQ(t_postf(&actor[A_APPLICANT], path, "x=1"), 303);
	T_TRUE((app = id_from(&actor[A_APPLICANT], "/me/applications/")) > 0);
	ph_setll("app", app);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "pending");

	/* Throwaway applications to accept and reject, members to remove. */
	T_TRUE((app = app_add(org, t_account_add("Второй"), cls)) > 0);
	ph_setll("app2", app);
	T_TRUE((app = app_add(org, t_account_add("Третий"), cls)) > 0);
	ph_setll("app3", app);
	t_signup(&throwaway, "Уходящий", "Ученик");
	T_TRUE((sid = member_add(org, &throwaway, "student", cls,
	    "student")) > 0);
	ph_setll("victim", sid);
	ph_setll("cvictim", sid = t_account_add("Чатов"));
	T_TRUE((sid = t_account_add("Админов")) > 0);
	T_TRUE(t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, 'admin', true)", other, sid) !=
	    NULL);
	ph_setll("ovictim", sid);
	t_client_free(&throwaway.c);

	/* Chats: the class's, its parents', the staff chat, one with a
	 * link (public for all members), and a message of the student. */
	T_TRUE((v = t_sql("SELECT id FROM parta.chat WHERE org_id = %lld AND"
	    " class_id = %lld AND purpose = 'students'", org, cls)) != NULL &&
	    *v != '\0');
	ph_setll("chat", atoll(v));
	T_TRUE((v = t_sql("SELECT id FROM parta.chat WHERE org_id = %lld AND"
	    " class_id = %lld AND purpose = 'parents'", org, cls)) != NULL &&
	    *v != '\0');
	ph_setll("pchat", atoll(v));
	T_TRUE((v = t_sql("SELECT id FROM parta.chat WHERE org_id = %lld AND"
	    " purpose = 'staff'", org)) != NULL && *v != '\0');
	ph_setll("staff", atoll(v));
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE chat_id ="
	    " %s AND account_id = %lld", ph[11].val, p[A_PARENT].id),
	    "1");
	snprintf(ph[14].val, sizeof(ph[14].val), "matrixlink%lld", org);
	T_TRUE((v = t_sql("INSERT INTO parta.chat (org_id, title, token_hash,"
	    " public_audience) VALUES (%lld, 'Кружок по ссылке',"
	    " sha256(convert_to('%s', 'UTF8')), 'all') RETURNING id", org,
	    ph[14].val)) != NULL &&
	    *v != '\0');
	ph_setll("lchat", atoll(v));
	T_TRUE(t_sql("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %s, %s)", org, ph[10].val,
	    ph[19].val) != NULL);
	T_TRUE((v = t_sql("INSERT INTO parta.message (org_id, chat_id,"
	    " author_id, body) VALUES (%lld, %s, %s, 'Привет') RETURNING id",
	    org, ph[10].val, ph[16].val)) != NULL && *v != '\0');
	ph_setll("msg", atoll(v));
	/* A parent link of the student's. */
	T_TRUE((v = t_sql("INSERT INTO parta.parent_link (child_id,"
	    " token_hash, token_salt, expires_at) VALUES (%lld,"
	    " sha256(convert_to('matrixparent%lld', 'UTF8')),"
	    " decode(md5('a%lld') || md5('b%lld'), 'hex'),"
	    " now() + interval '1 day') RETURNING id",
	    p[A_STUDENT].id, org, org, org)) !=
	    NULL && *v != '\0');
	ph_setll("plink", atoll(v));

	/* Registration requests: one to approve, one to reject, and one
	 * filed over HTTP with its document (the operator downloads it). */
	T_TRUE((app = req_add(p[A_NOMEMBER].id)) > 0);
	ph_setll("req", app);
	T_TRUE((app = req_add(p[A_NOMEMBER].id)) > 0);
	ph_setll("req2", app);
	T_TRUE((app = doc_request_add(&actor[A_NOMEMBER])) > 0);
	ph_setll("doc", app);

	/* Batches of personal links: students of the class (the homeroom
	 * teacher's to see), teachers (the admin's only), and one of the
	 * other organization. */
	snprintf(path, sizeof(path), "role=student&class_id=%lld"
	    "&ttl_hours=48&names=%s", cls, t_enc("Петров Пётр\n"
	    "Сидорова Анна"));
	T_TRUE((app = batch_add(&actor[A_ADMIN], org, path)) > 0);
	ph_setll("batch", app);
	snprintf(path, sizeof(path), "role=teacher&class_id=&ttl_hours=48"
	    "&names=%s", t_enc("Учителев Иван"));
	T_TRUE((app = batch_add(&actor[A_ADMIN], org, path)) > 0);
	ph_setll("batch2", app);
	T_TRUE((app = batch_add(&actor[A_OTHERADMIN], other, path)) > 0);
	ph_setll("obatch", app);

	/* The other organization's things, to ask for through this one's
	 * URLs: a class, a link, an application, its staff chat, its
	 * admin. */
	T_TRUE((v = t_sql("SELECT id FROM parta.invite WHERE org_id = %lld"
	    " AND batch_id = %lld", other, app)) != NULL && *v != '\0');
	ph_setll("oinvite", atoll(v));
	T_TRUE((cls2 = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 7, 'А',"
	    " 2025, '#2453d6') RETURNING id", other))) > 0);
	ph_setll("oclass", cls2);
	T_TRUE((app = app_add(other, t_account_add("Чужой"), cls2)) > 0);
	ph_setll("oapp", app);
	T_TRUE((v = t_sql("SELECT id FROM parta.chat WHERE org_id = %lld AND"
	    " purpose = 'staff'", other)) != NULL && *v != '\0');
	ph_setll("ochat", atoll(v));
	ph_setll("oadmin_id", p[A_OTHERADMIN].id);
	/* Rosters: one of the class (its homeroom teacher's to see), one
	 * of the whole school (the admin's only), one of the other
	 * organization. */
	ph_setll("roster", roster_add(org, p[A_ADMIN].id, cls));
	ph_setll("roster2", roster_add(org, p[A_ADMIN].id, 0));
	ph_setll("oroster", roster_add(other, p[A_OTHERADMIN].id, 0));
	/* A request to the school by the parent about the student, for
	 * the class (cgi-bin/appeal/): its parties and handlers read it. */
	T_TRUE((v = t_sql("INSERT INTO parta.appeal (org_id, account_id,"
	    " child_id, class_id, topic) VALUES (%lld, %lld, %lld, %lld,"
	    " 'Справка') RETURNING id", org, p[A_PARENT].id,
	    p[A_STUDENT].id, cls)) != NULL && *v != '\0');
	ph_setll("appeal", atoll(v));
	T_TRUE(t_sql("INSERT INTO parta.appeal_message (org_id, appeal_id,"
	    " author_id, from_handler, body) VALUES (%lld, %lld, %lld, false,"
	    " 'Нужна справка')", org, atoll(v), p[A_PARENT].id) != NULL);
	/* Someone else's session, to end through /me/sessions/ID/end. */
	T_TRUE((v = t_sql("INSERT INTO parta.session (token_hash, account_id,"
	    " csrf, expires_at) VALUES (sha256(random()::text::bytea), %lld,"
	    " 'x', now() + interval '1 day') RETURNING id",
	    t_account_add("Чужой"))) != NULL && *v != '\0');
	ph_setll("osession", atoll(v));
	/* Leaders: the homeroom teacher, and someone not on the platform
	 * (to take off the list). */
	T_TRUE((v = t_sql("INSERT INTO parta.leader (org_id, account_id,"
	    " title) VALUES (%lld, %lld, 'Директор') RETURNING id", org,
	    p[A_HOMEROOM].id)) != NULL && *v != '\0');
	ph_setll("leader", atoll(v));
	T_TRUE((v = t_sql("INSERT INTO parta.leader (org_id, name, title)"
	    " VALUES (%lld, 'Матрицына Мира', 'Завуч') RETURNING id", org)) !=
	    NULL && *v != '\0');
	ph_setll("leader2", atoll(v));
	/* An event of the class (for everyone: its students, their
	 * parents, its teachers), made by the administrator. */
	T_TRUE((v = t_sql("INSERT INTO parta.event (org_id, class_id, title,"
	    " starts_at, ends_at, audience, created_by) VALUES (%lld, %lld,"
	    " 'Событие матрицы', now() + interval '1 day',"
	    " now() + interval '25 hours', 'all', %lld) RETURNING id", org, cls,
	    p[A_ADMIN].id)) != NULL && *v != '\0');
	ph_setll("event", atoll(v));
	/* One of a third class, for its staff: the teacher teaches
	 * there and may change it. */
	T_TRUE((cls8 = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 9, 'В',"
	    " 2025, '#2453d6') RETURNING id", org))) > 0);
	T_TRUE(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'teacher')", org,
	    cls8, p[A_TEACHER].id) != NULL);
	T_TRUE((v = t_sql("INSERT INTO parta.event (org_id, class_id, title,"
	    " starts_at, ends_at, audience, created_by) VALUES (%lld, %lld,"
	    " 'Педсовет 9В', now() + interval '1 day',"
	    " now() + interval '25 hours', 'staff', %lld) RETURNING id", org,
	    cls8, p[A_ADMIN].id)) != NULL && *v != '\0');
	ph_setll("event2", atoll(v));
	/* A material of the class by its homeroom teacher (its students,
	 * their parents, its teachers read it), and one of the other
	 * organization's for everyone there. */
	T_TRUE((v = t_sql("INSERT INTO parta.material (org_id, kind, title,"
	    " audience, class_id, body, author_id) VALUES (%lld, 'article',"
	    " 'Материал матрицы', 'class', %lld, 'Текст', %lld) RETURNING id",
	    org, cls, p[A_HOMEROOM].id)) != NULL && *v != '\0');
	ph_setll("material", atoll(v));
	T_TRUE((v = t_sql("INSERT INTO parta.material (org_id, kind, title,"
	    " audience, body, author_id) VALUES (%lld, 'article',"
	    " 'Чужой материал', 'all', 'Текст', %lld) RETURNING id", other,
	    p[A_OTHERADMIN].id)) != NULL && *v != '\0');
	ph_setll("omaterial", atoll(v));

	/* A file in the student's storage (cgi-bin/files.c). */
	{
		static const char	 text[] = "конспект\n";
		struct upload		 up = { "file", "konspekt.txt", text,
			    sizeof(text) - 1 };

		T_TRUE(t_form(&actor[A_STUDENT], "/me/files") != NULL);
		T_EQ(post_as(&actor[A_STUDENT], "/me/files", MULTIPART, 1,
		    &up), 303);
		T_TRUE((v = t_sql("SELECT max(id) FROM parta.file WHERE"
		    " owner_id = %lld", p[A_STUDENT].id)) != NULL &&
		    *v != '\0');
		ph_setll("sfile", atoll(v));
	}
	/* Everyone holds a csrf token of their own session. */
	for (i = 0; i < NACTOR; i++)
		T_TRUE(t_form(&actor[i], i == A_ANON ? "/login" : "/chats")
		    != NULL && actor[i].csrf[0] != '\0');
	world_ok = 1;
}

static size_t	 step;		/* the next (row, actor) to check */
static size_t	 nocsrf_n;	/* how many no-csrf checks come first */
static size_t	 post_row[MAXROW];
static size_t	 npost;

/* The path and body of row w with the world's values put in: 0, or -1
 * (the test failed: no world, or an unknown placeholder). */
static int
row_expand(const struct row *w, char path[256], char body[512])
{
	if (!world_ok) {
		t_fail(__FILE__, __LINE__, "no world");
		return -1;
	}
	if (expand(w->path, path, 256) == -1 ||
	    expand(w->body, body, 512) == -1) {
		t_fail(__FILE__, __LINE__, "unknown placeholder in %s %s",
		    w->path, w->body);
		return -1;
	}
	return 0;
}

/* Without a csrf token: 403, or the login redirect for anonymous
 * callers of pages that need a login (app checks the login first). */
static void
check_nocsrf(void)
{
	const struct row *w = &rows[post_row[step / NACTOR]];
	int		 a = (int)(step % NACTOR);
	struct t_client	*c = &actor[a];
	char		 path[256], body[512];
	const char	*loc;

	step++;
	if (row_expand(w, path, body) == -1)
		return;
	post_as(c, path, body, 0, NULL);
	if (a == A_ANON && w->want[A_ANON] == 303) {
		T_STATUS(c, 303);
		T_TRUE((loc = t_header(c, "Location")) != NULL &&
		    strncmp(loc, "/login?next=", 12) == 0);
	} else
		T_STATUS(c, 403);
}

static void
check_row(void)
{
	size_t		 k = step - nocsrf_n;
	const struct row *w = &rows[k / NACTOR];
	int		 a = (int)(k % NACTOR);
	struct t_client	*c = &actor[a];
	char		 path[256], body[512];
	const char	*loc;

	step++;
	if (row_expand(w, path, body) == -1)
		return;
	if (strcmp(w->method, "GET") == 0)
		t_get(c, path);
	else
		post_as(c, path, body, 1, NULL);
	T_STATUS(c, w->want[a]);
	if (w->want[a] == 303 && a == A_ANON &&
	    strncmp(path, "/login", 6) != 0 &&
	    strncmp(path, "/register", 9) != 0)
		T_TRUE((loc = t_header(c, "Location")) != NULL &&
		    strncmp(loc, "/login?next=", 12) == 0);
}

static int
load(const char *file)
{
	struct row	*w;
	FILE	*f;
	char	 line[1024], *fld[3], *p, *q;
	int	 n, i;

	if ((f = fopen(file, "r")) == NULL) {
		perror(file);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		/* METHOD, path, body ("-": none), then one status per
		 * actor, separated by tabs or spaces. */
		for (n = 0, p = line; n < 3 && p != NULL; n++) {
			fld[n] = p;
			if ((q = strchr(p, '\t')) != NULL)
				*q++ = '\0';
			p = q;
		}
		if (n != 3 || p == NULL || nrows == MAXROW) {
			fprintf(stderr, "bad line: %s\n", line);
			fclose(f);
			return -1;
		}
		w = &rows[nrows];
		snprintf(w->method, sizeof(w->method), "%s", fld[0]);
		snprintf(w->path, sizeof(w->path), "%s", fld[1]);
		snprintf(w->body, sizeof(w->body), "%s",
		    strcmp(fld[2], "-") == 0 ? "" : fld[2]);
		for (i = 0; i < NACTOR; i++) {
			w->want[i] = (int)strtol(p, &q, 10);
			if (q == p || w->want[i] < 100) {
				fprintf(stderr, "bad statuses: %s\n", fld[1]);
				fclose(f);
				return -1;
			}
			p = q;
		}
		nrows++;
	}
	fclose(f);
	return 0;
}

/* Withdrawing and accepting one application at once: exactly one wins,
 * and a member never has a withdrawn application. */
static void
withdraw_accept_race_one(int i, void *arg)
{
	struct { struct t_client *c[2]; char path[2][128]; long st[2];
	    int delay; } *x = arg;

	if (i == 0)
		usleep((useconds_t)x->delay);
	x->st[i] = t_postf(x->c[i], x->path[i], "x=1");
}

static void
withdraw_accept_race(void)
{
	struct t_person	 admin, p;
	struct { struct t_client *c[2]; char path[2][128]; long st[2];
	    int delay; } x;
	long long	 org, cls, id, app;
	int		 round, accepted = 0;
	char		 want[64];

	t_signup(&admin, "Гонщиков", "Админ");
	t_signup(&p, "Гонщиков", "Ученик");
	T_TRUE((org = t_org_create(&admin, "Школа гонок")) > 0);
	T_TRUE((cls = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 5, 'В',"
	    " 2025, '#2453d6') RETURNING id", org))) > 0);
	id = p.id;
	x.c[0] = &p.c;
	x.c[1] = &admin.c;
	for (round = 0; round < 20; round++) {
		T_TRUE((app = app_add(org, id, cls)) > 0);
		t_form(&p.c, "/me");
		t_form(&admin.c, "/chats");
		snprintf(x.path[0], sizeof(x.path[0]),
		    "/me/applications/%lld/withdraw", app);
		snprintf(x.path[1], sizeof(x.path[1]),
		    "/org/%lld/applications/%lld/accept", org, app);
		/* Stagger the withdrawal a little so both sides win some. */
		x.delay = (round % 5) * 1500;
		t_parallel(2, withdraw_accept_race_one, &x);
		if (!((x.st[0] == 303 && x.st[1] == 409) ||
		    (x.st[0] == 409 && x.st[1] == 303)))
			T_FAIL("round %d: withdraw %ld, accept %ld", round,
			    x.st[0], x.st[1]);
		/* Status, membership and class place agree with the winner. */
		snprintf(want, sizeof(want), "%s 1 %d 1",
		    x.st[0] == 303 ? "withdrawn" : "accepted",
		    x.st[0] == 303 ? 0 : 1);
		T_STREQ(t_sql("SELECT a.status || ' ' || (SELECT count(*)"
		    " FROM parta.application WHERE org_id = %lld AND"
		    " account_id = %lld AND status IN ('pending', 'accepted',"
		    " 'withdrawn') AND id = %lld) || ' ' || (SELECT count(*)"
		    " FROM parta.member WHERE org_id = %lld AND account_id ="
		    " %lld) || ' ' || CASE WHEN a.status = 'accepted' THEN"
		    " (SELECT count(*) FROM parta.class_member WHERE org_id ="
		    " %lld AND account_id = %lld AND class_id = %lld) ELSE 1"
		    " END FROM parta.application a WHERE a.id = %lld", org, id,
		    app, org, id, org, id, cls, app), want);
		if (x.st[1] == 303) {
			accepted++;
			T_TRUE(t_sql("DELETE FROM parta.class_member WHERE"
			    " org_id = %lld AND account_id = %lld; DELETE FROM"
			    " parta.member WHERE org_id = %lld AND account_id"
			    " = %lld", org, id, org, id) != NULL);
		}
	}
	printf("# withdraw/accept race: accept won %d of 20\n", accepted);
	t_client_free(&p.c);
	t_client_free(&admin.c);
}

/*
 * The programs' routes, as each built program prints its own routes
 * table (build/cgi-bin/NAME --routes, lib/app.h): one entry per route
 * and method with who may call it, checked against the table's rows.
 */
struct route {
	char	 method[8];
	char	 pattern[160];
	char	 prog[64];
	char	 flags_text[200];	/* as printed: "APP_LOGIN|APP_ADMIN" */
	unsigned flags;			/* F_* below */
};

/* The flags of a routes table (lib/app.h) this test knows.  A role flag
 * it does not know fails the reading: each flag is proved below. */
#define F_LOGIN		0x01
#define F_OPERATOR	0x02
#define F_ORG		0x04
#define F_MEMBER	0x08
#define F_STAFF		0x10
#define F_REVIEWER	0x20
#define F_ADMIN		0x40
#define F_ROLES		(F_MEMBER | F_STAFF | F_REVIEWER | F_ADMIN)
#define F_ORGANY	(F_ORG | F_ROLES)

static const struct {
	const char	*name;
	unsigned	 flag;		/* 0: no claim on who gets what */
} flag_names[] = {
	{ "APP_LOGIN", F_LOGIN }, { "APP_UPLOAD", 0 },
	{ "APP_NOCONSENT", 0 }, { "APP_WAITING", 0 },
	{ "APP_OPERATOR", F_OPERATOR }, { "APP_ORG", F_ORG },
	{ "APP_MEMBER", F_MEMBER }, { "APP_STAFF", F_STAFF },
	{ "APP_REVIEWER", F_REVIEWER }, { "APP_ADMIN", F_ADMIN },
	{ "APP_ONE_TRIP", 0 }, { "APP_GUEST", 0 },
};

static struct route	 routes[MAXROUTE];
static size_t		 nroutes, nprogs;
static char		 routes_err[512];	/* why they could not be read */
static size_t		 rstep;			/* the next route to check */
static size_t		 fstep;			/* the next route's flags */

/* s with every {name} written {}: a pattern's {n} and {token} and a
 * row's placeholders compare so. */
static void
shape(const char *s, char *out, size_t n)
{
	const char	*e;
	size_t		 o = 0;

	while (*s != '\0' && o + 3 < n) {
		if (*s == '{' && (e = strchr(s, '}')) != NULL) {
			out[o++] = '{';
			out[o++] = '}';
			s = e + 1;
		} else
			out[o++] = *s++;
	}
	out[o] = '\0';
}

/* The F_* of flags as printed ("APP_LOGIN|APP_ADMIN", "-"): 0, or -1
 * with routes_err for a name this test does not know. */
static int
flags_parse(const char *prog, const char *text, unsigned *flags)
{
	const char	*s = text;
	size_t		 n, i;

	*flags = 0;
	if (strcmp(text, "-") == 0)
		return 0;
	while (*s != '\0') {
		n = strcspn(s, "|");
		for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]);
		    i++)
			if (strlen(flag_names[i].name) == n &&
			    strncmp(flag_names[i].name, s, n) == 0)
				break;
		if (i == sizeof(flag_names) / sizeof(flag_names[0])) {
			snprintf(routes_err, sizeof(routes_err), "cgi-bin/%.60s: "
			    "flag %.*s, which tests/http/test_access.c does "
			    "not know how to prove: teach it", prog, (int)n,
			    s);
			return -1;
		}
		*flags |= flag_names[i].flag;
		s += n;
		if (*s == '|')
			s++;
	}
	return 0;
}

/* One line of prog's --routes, "METHOD<TAB>pattern<TAB>flags": 0, or
 * -1 with routes_err. */
static int
route_add(const char *prog, char *line)
{
	struct route	*rt;
	char		*pat, *flags;

	line[strcspn(line, "\n")] = '\0';
	if ((pat = strchr(line, '\t')) == NULL ||
	    (flags = strchr(pat + 1, '\t')) == NULL) {
		snprintf(routes_err, sizeof(routes_err), "cgi-bin/%.60s "
		    "--routes: not METHOD, pattern and flags: %.200s", prog,
		    line);
		return -1;
	}
	*pat++ = '\0';
	*flags++ = '\0';
	if (nroutes == MAXROUTE) {
		snprintf(routes_err, sizeof(routes_err), "more than %d "
		    "routes: raise MAXROUTE", MAXROUTE);
		return -1;
	}
	rt = &routes[nroutes];
	if ((strcmp(line, "GET") != 0 && strcmp(line, "POST") != 0) ||
	    pat[0] != '/' || strlen(pat) >= sizeof(rt->pattern)) {
		snprintf(routes_err, sizeof(routes_err), "cgi-bin/%.60s "
		    "--routes: a route of no method or pattern: %.7s %.200s",
		    prog, line, pat);
		return -1;
	}
	snprintf(rt->method, sizeof(rt->method), "%.7s", line);
	snprintf(rt->pattern, sizeof(rt->pattern), "%.159s", pat);
	snprintf(rt->prog, sizeof(rt->prog), "%.60s", prog);
	snprintf(rt->flags_text, sizeof(rt->flags_text), "%.190s", flags);
	if (flags_parse(prog, flags, &rt->flags) == -1)
		return -1;
	nroutes++;
	return 0;
}

/*
 * Every program's routes, from each program scripts/programs.sh names
 * (cgi-bin/NAME.c or the folder cgi-bin/NAME/), run as
 * root/build/cgi-bin/NAME --routes: 0, or -1 with routes_err.
 */
static int
routes_load(const char *root)
{
	FILE	*list, *p;
	char	 cmd[2400], prog[256], line[512];
	size_t	 before;
	int	 rc = 0, st;

	snprintf(cmd, sizeof(cmd), "'%s/scripts/programs.sh' '%s'", root,
	    root);
	if ((list = popen(cmd, "r")) == NULL) {
		snprintf(routes_err, sizeof(routes_err), "cannot run "
		    "scripts/programs.sh");
		return -1;
	}
	while (rc == 0 && fgets(prog, sizeof(prog), list) != NULL) {
		prog[strcspn(prog, "\n")] = '\0';
		if (prog[0] == '\0')
			continue;
		/* Never as CGI: a program prints its table only by hand. */
		snprintf(cmd, sizeof(cmd), "exec env -u GATEWAY_INTERFACE "
		    "'%s/build/cgi-bin/%s' --routes", root, prog);
		if ((p = popen(cmd, "r")) == NULL) {
			snprintf(routes_err, sizeof(routes_err), "cannot run "
			    "build/cgi-bin/%.200s", prog);
			rc = -1;
			break;
		}
		before = nroutes;
		while (fgets(line, sizeof(line), p) != NULL)
			if (rc == 0 && route_add(prog, line) == -1)
				rc = -1;
		st = pclose(p);
		if (rc == 0 && (st != 0 || nroutes == before)) {
			snprintf(routes_err, sizeof(routes_err), "build/cgi-"
			    "bin/%.200s --routes: %s", prog, st != 0 ?
			    "failed (not built?)" : "printed no routes");
			rc = -1;
		}
		nprogs++;
	}
	pclose(list);
	if (rc == 0 && nroutes == 0) {
		snprintf(routes_err, sizeof(routes_err), "no programs' routes "
		    "in %.400s", root);
		rc = -1;
	}
	return rc;
}

/*
 * Who an actor is in the organization of row w's path ("/org/{org}/...",
 * "/org/{other}/..."): the organization is the test's own, where every
 * actor has a standing, or the other one, which only its admin and the
 * operator may see.
 */
enum standing {
	S_ANON, S_OUT, S_STUDENT, S_TEACHER, S_HOMEROOM, S_ADMIN, S_OPERATOR
};

static enum standing
standing_in(int other, int a)
{
	switch (a) {
	case A_ANON:
		return S_ANON;
	case A_OPERATOR:
		return S_OPERATOR;
	case A_STUDENT:
		return other ? S_OUT : S_STUDENT;
	case A_TEACHER:
		return other ? S_OUT : S_TEACHER;
	case A_HOMEROOM:
		return other ? S_OUT : S_HOMEROOM;
	case A_ADMIN:
		return other ? S_OUT : S_ADMIN;
	case A_OTHERADMIN:
		return other ? S_ADMIN : S_OUT;
	default:
		/* Signed up, applying, a student's parent: none here. */
		return S_OUT;
	}
}

static enum standing
standing(const struct row *w, int a)
{
	return standing_in(strncmp(w->path, "/org/{other}", 12) == 0, a);
}

/*
 * The status a route's flags promise standing s, or 0 when they promise
 * nothing (the handler answers).  A logged-out visitor goes to the login
 * page; APP_OPERATOR: 404 to anyone but the operator; an organization's
 * route: 404 to whoever is neither a member nor the operator, and with a
 * role flag 403 to every other member and the operator.
 */
static int
flags_want(unsigned flags, enum standing s)
{
	int	 has;

	if (s == S_ANON)
		return flags & (F_LOGIN | F_OPERATOR | F_ORGANY) ? 303 : 0;
	if ((flags & F_OPERATOR) && s != S_OPERATOR)
		return 404;
	if (!(flags & F_ORGANY))
		return 0;
	if (s == S_OUT)
		return 404;
	if (!(flags & F_ROLES))
		return 0;
	has = ((flags & F_MEMBER) && s != S_OPERATOR) ||
	    ((flags & F_STAFF) && (s == S_TEACHER || s == S_HOMEROOM ||
	    s == S_ADMIN)) ||
	    ((flags & F_REVIEWER) && (s == S_HOMEROOM || s == S_ADMIN)) ||
	    ((flags & F_ADMIN) && s == S_ADMIN);
	return has ? 0 : 403;
}

/* The row of the table for method and path shape, or NULL. */
static const struct row *
row_find(const char *method, const char *want)
{
	char	 have[160];
	size_t	 i;

	for (i = 0; i < nrows; i++) {
		if (strcmp(rows[i].method, method) != 0)
			continue;
		shape(rows[i].path, have, sizeof(have));
		if (strcmp(have, want) == 0)
			return &rows[i];
	}
	return NULL;
}

static void
check_routes_read(void)
{
	if (routes_err[0] != '\0')
		T_FAIL("%s", routes_err);
	T_TRUE(nprogs > 0 && nroutes > 0);
}

/* The next route has a row in the table. */
static void
check_route_row(void)
{
	const struct route	*rt = &routes[rstep++];
	char			 want[160];

	shape(rt->pattern, want, sizeof(want));
	if (row_find(rt->method, want) == NULL)
		T_FAIL("cgi-bin/%s serves %s %s, and tests/http/access.tsv "
		    "has no row for it: add one with every actor's status",
		    rt->prog, rt->method, rt->pattern);
}

/*
 * The next route's flags hold in every row of it: each actor's status is
 * the one the flags promise them (flags_want).  And the other way round,
 * what every row says is declared: an organization's route that turns
 * away every outsider with 404 says so (APP_ORG or a role), one that
 * refuses the operator with 403 names its role, and a route that only
 * the operator may see is APP_OPERATOR.
 */
static void
check_route_flags(void)
{
	const struct route	*rt = &routes[fstep++];
	char			 want[160], have[160];
	size_t			 i, nrow = 0;
	int			 a, st, bad = 0, all_out_404 = 1;
	int			 op_403 = 1, others_404 = 1, op_seen = 0;
	int			 org = strncmp(rt->pattern, "/org/{n}", 8) == 0;
	int			 refused[NACTOR] = { 0 };
	size_t			 nown = 0;

	shape(rt->pattern, want, sizeof(want));
	for (i = 0; i < nrows; i++) {
		if (strcmp(rows[i].method, rt->method) != 0)
			continue;
		shape(rows[i].path, have, sizeof(have));
		if (strcmp(have, want) != 0)
			continue;
		nrow++;
		if ((rt->flags & F_ORGANY) &&
		    strncmp(rows[i].path, "/org/{org}", 10) != 0 &&
		    strncmp(rows[i].path, "/org/{other}", 12) != 0) {
			printf("# %s %s: an organization's route, and the "
			    "row names neither {org} nor {other}\n",
			    rows[i].method, rows[i].path);
			bad++;
			continue;
		}
		if (strncmp(rows[i].path, "/org/{org}", 10) == 0)
			nown++;
		for (a = 0; a < NACTOR; a++) {
			if (strncmp(rows[i].path, "/org/{org}", 10) == 0 &&
			    rows[i].want[a] == 403)
				refused[a]++;
			st = flags_want(rt->flags, standing(&rows[i], a));
			if (st != 0 && st != rows[i].want[a]) {
				printf("# %s %s as %s: the row says %d, the "
				    "flags %s promise %d\n", rows[i].method,
				    rows[i].path, actor_name[a],
				    rows[i].want[a], rt->flags_text, st);
				bad++;
			}
			if (standing(&rows[i], a) == S_OUT &&
			    rows[i].want[a] != 404)
				all_out_404 = 0;
			if (a == A_OPERATOR) {
				op_403 &= rows[i].want[a] == 403;
				op_seen |= rows[i].want[a] != 404;
			} else if (a != A_ANON && rows[i].want[a] != 404)
				others_404 = 0;
		}
	}
	if (nrow == 0)
		return;		/* check_route_row says so */
	if (org && all_out_404 && !(rt->flags & F_ORGANY)) {
		printf("# every row turns away every outsider with 404: "
		    "APP_ORG or a role flag says so\n");
		bad++;
	}
	if (org && op_403 && !(rt->flags & F_ROLES)) {
		printf("# every row refuses the operator with 403: a role "
		    "flag says who may\n");
		bad++;
	}
	/* Whom the flags let in, every row of this organization refuses:
	 * the flags let in too many. */
	for (a = 0; a < NACTOR && nown > 0 && (rt->flags & F_ORGANY); a++)
		if ((size_t)refused[a] == nown && standing_in(0, a) != S_OUT &&
		    standing_in(0, a) != S_ANON &&
		    flags_want(rt->flags, standing_in(0, a)) == 0) {
			printf("# the flags let %s in, and every row refuses "
			    "them with 403\n", actor_name[a]);
			bad++;
		}
	if (others_404 && op_seen && !(rt->flags & F_OPERATOR)) {
		printf("# only the operator gets past 404 in every row: "
		    "APP_OPERATOR says so\n");
		bad++;
	}
	if (bad > 0)
		T_FAIL("cgi-bin/%s: %s %s (%s) and tests/http/access.tsv "
		    "disagree %d times (listed above)", rt->prog, rt->method,
		    rt->pattern, rt->flags_text, bad);
}

/* Every row is a route some program serves (no row for a route that
 * is gone, or for a path no route matches). */
static void
check_rows_routed(void)
{
	char	 have[160], want[160];
	size_t	 i, k;
	int	 bad = 0;

	if (routes_err[0] != '\0')
		T_FAIL("%s", routes_err);
	for (i = 0; i < nrows; i++) {
		shape(rows[i].path, have, sizeof(have));
		for (k = 0; k < nroutes; k++) {
			shape(routes[k].pattern, want, sizeof(want));
			if (strcmp(routes[k].method, rows[i].method) == 0 &&
			    strcmp(have, want) == 0)
				break;
		}
		if (k == nroutes) {
			printf("# no program serves %s %s\n", rows[i].method,
			    rows[i].path);
			bad++;
		}
	}
	if (bad > 0)
		T_FAIL("rows of tests/http/access.tsv that no cgi-bin "
		    "program serves: %d (listed above)", bad);
}

static char	 names[MAXCASE][200];

int
main(void)
{
	static struct t_case	 cases[MAXCASE];
	const char		*root = getenv("PARTA_ROOT");
	char			 file[1024];
	size_t			 i, k, n = 0;
	int			 a;

	snprintf(file, sizeof(file), "%s/tests/http/access.tsv",
	    root ? root : ".");
	if (load(file) == -1)
		return 1;
	/* The table against the programs' routes tables. */
	routes_load(root ? root : ".");
	snprintf(names[n], sizeof(names[n]), "routes tables of cgi-bin/ "
	    "read: %zu routes and methods in %zu programs", nroutes, nprogs);
	cases[n].name = names[n];
	cases[n++].fn = check_routes_read;
	for (i = 0; i < nroutes; i++) {
		snprintf(names[n], sizeof(names[n]), "access.tsv has a row "
		    "for %.7s %.100s (cgi-bin/%.40s)", routes[i].method,
		    routes[i].pattern, routes[i].prog);
		cases[n].name = names[n];
		cases[n++].fn = check_route_row;
	}
	for (i = 0; i < nroutes; i++) {
		snprintf(names[n], sizeof(names[n]), "%.7s %.90s: every row "
		    "keeps what %.60s promise", routes[i].method,
		    routes[i].pattern, routes[i].flags_text);
		cases[n].name = names[n];
		cases[n++].fn = check_route_flags;
	}
	cases[n].name = "every row of access.tsv is a route of a program";
	cases[n++].fn = check_rows_routed;

	cases[n].name = "access matrix: world built";
	cases[n++].fn = world;
	for (i = 0; i < nrows; i++)
		if (strcmp(rows[i].method, "POST") == 0)
			post_row[npost++] = i;
	for (k = 0; k < npost; k++)
		for (a = 0; a < NACTOR; a++) {
			snprintf(names[n], sizeof(names[n]), "POST %s as %s "
			    "without csrf → %d", rows[post_row[k]].path,
			    actor_name[a], a == A_ANON &&
			    rows[post_row[k]].want[A_ANON] == 303 ? 303 : 403);
			cases[n].name = names[n];
			cases[n++].fn = check_nocsrf;
		}
	nocsrf_n = npost * NACTOR;
	for (i = 0; i < nrows; i++)
		for (a = 0; a < NACTOR; a++) {
			snprintf(names[n], sizeof(names[n]), "%s %s as %s → %d",
			    rows[i].method, rows[i].path, actor_name[a],
			    rows[i].want[a]);
			cases[n].name = names[n];
			cases[n++].fn = check_row;
		}
	cases[n].name = "withdraw and accept at once: one wins, 20 times";
	cases[n++].fn = withdraw_accept_race;
	return t_run(cases, n);
}
