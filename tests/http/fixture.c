#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

const char *
t_fmt(const char *fmt, ...)
{
	static _Thread_local char	 ring[16][1024];
	static _Thread_local int	 k;
	char		*o = ring[k++ % 16];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(o, sizeof(ring[0]), fmt, ap);
	va_end(ap);
	return o;
}

void
t_token_new(char out[44])
{
	static const char	 abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 b[43];
	int			 i;

	t_random(b, sizeof(b));
	for (i = 0; i < 43; i++)
		out[i] = abc[b[i] % 64];
	out[43] = '\0';
}

int
t_clients_of(struct t_person *p, struct t_client *c, int n)
{
	struct t_person	 q;
	int		 i;

	for (i = 0; i < n; i++) {
		q = *p;
		t_login(&q);
		c[i] = q.c;
	}
	return 0;
}

long long
t_account_add(const char *last)
{
	char		 phone[16];
	long long	 id;

	t_unique_phone(phone);
	id = t_ll(t_sql("INSERT INTO parta.account (last_name, first_name,"
	    " gender, birth_date, phone, phone_verified, password_hash)"
	    " VALUES ('%s', 'Тест', 'f', '2000-01-01', '%s', true, 'x')"
	    " RETURNING id", last, phone));
	if (id <= 0)
		T_FAIL("account %s not added", last);
	return id;
}

/* (The fixtures format into buffers of their own, so that a caller's
 * t_fmt results live on.) */
long long
t_class_add(long long org, int grade, const char *letter, long long year)
{
	char		 y[64];
	long long	 id;

	if (year > 0)
		snprintf(y, sizeof(y), "%lld", year);
	else
		snprintf(y, sizeof(y), "parta.org_year(%lld)", org);
	id = t_ll(t_sql("INSERT INTO parta.class (org_id, kind, grade,"
	    " letter, year, color) VALUES (%lld, 'class', %d, '%s', %s,"
	    " '#2453d6') RETURNING id", org, grade, letter, y));
	if (id <= 0)
		T_FAIL("class %d%s not added to %lld", grade, letter, org);
	return id;
}

int
t_now_year(void)
{
	return (int)t_ll(t_sql("SELECT extract(year FROM (now() AT TIME ZONE"
	    " tz) - interval '8 months')::int FROM parta.region"
	    " WHERE code = '70'"));
}

int
t_member_add(long long org, long long who, const char *role, int verified)
{
	if (t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, '%s', %s)", org, who, role,
	    verified ? "true" : "false") == NULL)
		T_FAIL("%lld not made a member (%s) of %lld", who, role, org);
	return 0;
}

int
t_guardian_add(long long parent, long long child)
{
	if (t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%lld, %lld)", parent, child) == NULL)
		T_FAIL("%lld not made a guardian of %lld", parent, child);
	return 0;
}

int
t_class_member_add(long long org, long long cls, long long who,
    const char *role)
{
	if (t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, '%s')", org, cls,
	    who, role) == NULL)
		T_FAIL("%lld not put in class %lld (%s)", who, cls, role);
	return 0;
}

long long
t_person_new(struct t_person *p, const char *last, const char *first,
    long long org, const char *role)
{
	t_signup(p, last, first);
	if (role != NULL)
		t_member_add(org, p->id, role, 1);
	return p->id;
}

long long
t_application_add(long long org, long long who, const char *role,
    long long cls)
{
	char		 c[32] = "NULL";
	long long	 id;

	if (cls > 0)
		snprintf(c, sizeof(c), "%lld", cls);
	id = t_ll(t_sql("INSERT INTO parta.application (org_id, account_id,"
	    " role, class_id) VALUES (%lld, %lld, '%s', %s) RETURNING id",
	    org, who, role, c));
	if (id <= 0)
		T_FAIL("application of %lld to %lld not added", who, org);
	return id;
}

long long
t_invite_add(long long org, long long by, const char *role, long long cls,
    int max_uses, const char *token)
{
	char		 c[32] = "NULL";
	long long	 id;

	if (cls > 0)
		snprintf(c, sizeof(c), "%lld", cls);
	id = t_ll(t_sql("INSERT INTO parta.invite (org_id, created_by, role,"
	    " class_id, token_hash, max_uses, expires_at) VALUES (%lld, %lld,"
	    " '%s', %s, sha256(convert_to('%s', 'UTF8')), %d,"
	    " now() + interval '1 day') RETURNING id", org, by, role, c,
	    token, max_uses));
	if (id <= 0)
		T_FAIL("invite of %lld not added", org);
	return id;
}

long long
t_chat_of(long long org, long long cls, const char *purpose)
{
	if (cls == 0)
		return t_ll(t_sql("SELECT id FROM parta.chat WHERE org_id ="
		    " %lld AND class_id IS NULL AND purpose = '%s'", org,
		    purpose));
	return t_ll(t_sql("SELECT id FROM parta.chat WHERE org_id = %lld"
	    " AND class_id = %lld AND purpose = '%s'", org, cls, purpose));
}

long long
t_invite_make(struct t_client *c, long long org, const char *fields,
    char *tok, size_t toksz)
{
	char		 path[96], prefix[96];
	const char	*loc;
	long long	 id;

	snprintf(path, sizeof(path), "/org/%lld/invites", org);
	snprintf(prefix, sizeof(prefix), "/org/%lld/invites/", org);
	t_form(c, path);
	if (t_postf(c, path, "%s", fields) != 303 ||
	    (loc = t_header(c, "Location")) == NULL ||
	    (id = t_id_after(loc, prefix)) <= 0)
		return -1;
	snprintf(path, sizeof(path), "/org/%lld/invites/%lld", org, id);
	if (t_get(c, path) != 200 || t_token(c, "/join/", tok, toksz) == -1)
		return -1;
	return id;
}

long long
t_join(struct t_person *p, const char *token)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/join/%s", token);
	t_form(&p->c, path);
	if (t_postf(&p->c, path, "x=1") != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/me/applications/");
}

long long
t_apply_self(struct t_person *p, long long org, const char *role,
    long long cls)
{
	char	 path[64], c[32] = "";

	snprintf(path, sizeof(path), "/org/%lld/apply", org);
	if (cls > 0)
		snprintf(c, sizeof(c), "%lld", cls);
	t_form(&p->c, path);
	if (t_postf(&p->c, path, "role=%s&class_id=%s", role, c) != 303)
		return -1;
	return t_id_after(t_header(&p->c, "Location"), "/me/applications/");
}

int
t_parent_link(struct t_person *child, char *tok, size_t toksz)
{
	char		 path[256];
	const char	*loc;

	t_form(&child->c, "/chats/parent-link");
	if (t_postf(&child->c, "/chats/parent-link", "x=1") != 303 ||
	    (loc = t_header(&child->c, "Location")) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s", loc);
	if (t_get(&child->c, path) != 200 ||
	    t_token(&child->c, "/c/", tok, toksz) == -1)
		return -1;
	return 0;
}

long
t_chat_get(struct t_client *c, long long chat)
{
	char	 path[64];

	snprintf(path, sizeof(path), "/chats/%lld", chat);
	return t_get(c, path);
}

long
t_chat_post(struct t_client *c, long long chat, const char *text)
{
	char	 path[64];

	snprintf(path, sizeof(path), "/chats/%lld", chat);
	t_form(c, path);
	snprintf(path, sizeof(path), "/chats/%lld/messages", chat);
	return t_postf(c, path, "text=%s", t_enc(text));
}

#define T_BOUNDARY	"----partaTestBoundary7MA4YWxk"

static void
t_mp_add(struct t_mp *m, const void *data, size_t len)
{
	if (m->len + len + 1 > m->cap) {
		m->cap = (m->len + len + 1) * 2;
		if ((m->b = realloc(m->b, m->cap)) == NULL) {
			perror("realloc");
			exit(1);
		}
	}
	memcpy(m->b + m->len, data, len);
	m->len += len;
	m->b[m->len] = '\0';
}

void
t_mp_field(struct t_mp *m, const char *name, const char *value)
{
	char	 head[512];

	snprintf(head, sizeof(head), "--" T_BOUNDARY "\r\nContent-Disposition:"
	    " form-data; name=\"%s\"\r\n\r\n", name);
	t_mp_add(m, head, strlen(head));
	t_mp_add(m, value, strlen(value));
	t_mp_add(m, "\r\n", 2);
}

void
t_mp_file(struct t_mp *m, const char *name, const char *filename,
    const char *type, const void *data, size_t len)
{
	char	 head[512];

	snprintf(head, sizeof(head), "--" T_BOUNDARY "\r\nContent-Disposition:"
	    " form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s"
	    "\r\n\r\n", name, filename, type);
	t_mp_add(m, head, strlen(head));
	t_mp_add(m, data, len);
	t_mp_add(m, "\r\n", 2);
}

long
t_mp_post(struct t_client *c, const char *path, struct t_mp *m)
{
	static const char end[] = "--" T_BOUNDARY "--\r\n";
	long		 st;

	t_mp_add(m, end, sizeof(end) - 1);
	st = t_request(c, "POST", path, "Content-Type: multipart/form-data;"
	    " boundary=" T_BOUNDARY "\r\n", m->b, m->len);
	free(m->b);
	memset(m, 0, sizeof(*m));
	return st;
}

long
t_orgreq_post(struct t_client *c, const struct t_orgreq *q)
{
	struct t_mp	 m = { 0 };

	t_mp_field(&m, "csrf", c->csrf);
	t_mp_field(&m, "region", q->region);
	t_mp_field(&m, "org_type", "school");
	t_mp_field(&m, "full_name", q->full_name);
	t_mp_field(&m, "short_name", q->short_name);
	t_mp_field(&m, "inn", q->inn);
	t_mp_field(&m, "kpp", q->kpp);
	t_mp_field(&m, "admin_last_name", q->admin_last_name);
	t_mp_field(&m, "admin_first_name", q->admin_first_name);
	t_mp_field(&m, "admin_patronymic", q->admin_patronymic);
	t_mp_field(&m, "admin_phone", q->admin_phone);
	t_mp_field(&m, "address", q->address);
	t_mp_file(&m, "document", q->doc_name, q->doc_type, q->doc,
	    q->doc_len);
	return t_mp_post(c, "/register/org", &m);
}

void
t_uploads_dir(char *out, size_t outsz)
{
	const char	*o = getenv("PARTA_OUTBOX_DIR");
	const char	*slash = o != NULL ? strrchr(o, '/') : NULL;

	if (slash != NULL)
		snprintf(out, outsz, "%.*s/uploads", (int)(slash - o), o);
	else
		snprintf(out, outsz, "%s/var/uploads",
		    getenv("PARTA_ROOT") != NULL ? getenv("PARTA_ROOT") : ".");
}

int
t_stored_key(const char *key)
{
	char	 dir[512], path[1024];

	if (key == NULL || *key == '\0')
		return -1;
	t_uploads_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return access(path, F_OK) == 0;
}

char *
t_read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*b = NULL;
	long	 n;

	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n)) != NULL &&
	    fread(b, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(b);
		b = NULL;
	}
	fclose(f);
	return b;
}

char *
t_fixture_file(const char *name, size_t *len)
{
	const char	*root = getenv("PARTA_ROOT");
	char		 path[512];

	snprintf(path, sizeof(path), "%s/tests/http/files/%s",
	    root != NULL ? root : ".", name);
	return t_read_file(path, len);
}

long
t_stored_count(void)
{
	char		 dir[512];
	struct dirent	*e;
	DIR		*d;
	long		 n = 0;

	t_uploads_dir(dir, sizeof(dir));
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* This host's name as lib/file gives it to parta.file_convert_turn. */
static const char *
t_host(void)
{
	static char	 host[256];

	if (gethostname(host, sizeof(host) - 1) == -1)
		snprintf(host, sizeof(host), "-");
	T_TRUE(strchr(host, '\'') == NULL);	/* put into SQL as it is */
	return host;
}

void
t_convert_hold(int on)
{
	/* One statement for all: session-level locks, each taken
	 * (waiting for a conversion going on) or released. */
	T_STREQ(t_sql(on ? "SELECT count(pg_advisory_lock(hashtextextended("
	    "'parta.file_convert_run:%s:' || i, 0))::text)::text FROM"
	    " generate_series(0, %d) i" : "SELECT count(*) FILTER (WHERE"
	    " pg_advisory_unlock(hashtextextended('parta.file_convert_run:%s:'"
	    " || i, 0)))::text FROM generate_series(0, %d) i", t_host(),
	    T_CONVERT_SLOTS - 1), t_fmt("%d", T_CONVERT_SLOTS));
}

long long
t_convert_entered(const char *program)
{
	/* A bigint advisory key is its two halves in pg_locks. */
	return t_ll(t_sql("SELECT count(*) FROM pg_locks l, generate_series(0,"
	    " %d) i, LATERAL (SELECT hashtextextended("
	    "'parta.file_convert_entry:%s:%s:' || i, 0) AS h) k"
	    " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
	    " AND l.classid::bigint = (k.h >> 32) & 4294967295"
	    " AND l.objid::bigint = k.h & 4294967295", T_CONVERT_SLOTS - 1,
	    t_host(), program));
}

void
t_school_new(struct t_school *s, const char *name)
{
	t_signup(&s->admin, "Директорова", "Анна");
	s->org = t_org_create(&s->admin, name);
	s->c5 = t_class_add(s->org, 5, "А", 0);
	s->c6 = t_class_add(s->org, 6, "Б", 0);
	t_person_new(&s->hr, "Классова", "Мария", s->org, "teacher");
	t_class_member_add(s->org, s->c5, s->hr.id, "homeroom");
	t_person_new(&s->t6, "Шестов", "Пётр", s->org, "teacher");
	t_class_member_add(s->org, s->c6, s->t6.id, "teacher");
	t_person_new(&s->st, "Ученикова", "Катя", s->org, "student");
	t_class_member_add(s->org, s->c5, s->st.id, "student");
	t_person_new(&s->st6, "Шестиклассов", "Гоша", s->org, "student");
	t_class_member_add(s->org, s->c6, s->st6.id, "student");
	t_signup(&s->mum, "Ученикова", "Ольга");
	t_guardian_add(s->mum.id, s->st.id);
	t_signup(&s->dad, "Шестиклассов", "Игорь");
	t_guardian_add(s->dad.id, s->st6.id);
	t_signup(&s->nobody, "Посторонний", "Олег");
	t_signup(&s->other, "Чужова", "Вера");
	s->oorg = t_org_create(&s->other, "Чужая школа");
	T_TRUE(t_operator_login(&s->op) == 0);
}

void
t_school_free(struct t_school *s)
{
	t_client_free(&s->admin.c);
	t_client_free(&s->hr.c);
	t_client_free(&s->t6.c);
	t_client_free(&s->st.c);
	t_client_free(&s->st6.c);
	t_client_free(&s->mum.c);
	t_client_free(&s->dad.c);
	t_client_free(&s->nobody.c);
	t_client_free(&s->other.c);
	t_client_free(&s->op);
}
