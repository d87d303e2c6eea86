/*
 * roster: the list of an organization's rosters, and the upload of a
 * new one (cgi-bin/roster/main.c).
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "crypto.h"
#include "http.h"
#include "json.h"
#include "roster.h"
#include "rosters.h"
#include "utf8.h"

#define LIST_MAX	100	/* rosters on the list page, newest first */
#define WAITING_MAX	200	/* people not yet joined shown there */

enum up_key { UP_CLASS, UP__MAX };

static const struct valid_field up_fields[UP__MAX] = {
	{ "class_id", valid_uint, 0 },		/* UP_CLASS */
};

static const struct db_stmt q_tz = {
	"roster_tz",
	"SELECT rg.tz FROM parta.org o JOIN parta.region rg"
	" ON rg.code = o.region WHERE o.id = $1"
};

/* The classes a roster may be for: every open class of students for
 * the admin, the ones a homeroom teacher leads for them. */
static const struct db_stmt q_classes = {
	"roster_classes",
	"SELECT c.id, parta.class_name(c.grade, c.letter, c.title) AS name"
	" FROM parta.class c WHERE c.org_id = $1 AND c.archived_at IS NULL"
	" AND c.kind = 'class' AND ($3::boolean OR c.id IN (SELECT h.class_id"
	"  FROM parta.homeroom_classes(org => $1, teacher => $2) h))"
	" ORDER BY c.grade NULLS LAST, c.letter, c.title, c.id"
};

/* A chosen class: whether it is an open class of students, and whether
 * the person leads it. */
static const struct db_stmt q_class_check = {
	"roster_class_check",
	"SELECT c.kind = 'class' AND c.archived_at IS NULL AS usable,"
	" coalesce((SELECT s.in_scope FROM parta.homeroom_scope(org => $1,"
	"  reviewer => $3, app_role => 'student', app_class => c.id) s),"
	"  false) AS mine"
	" FROM parta.class c WHERE c.org_id = $1 AND c.id = $2"
};

/*
 * The rosters the person may see (parta.roster_visible: the admin
 * all; a homeroom teacher those of the classes they lead), newest
 * first, with how many of each are expected (not joined yet) and
 * joined, and whether an applied one is no longer in force
 * (parta.roster_authority: nobody holds its right).
 */
static const struct db_stmt q_list = {
	"roster_list",
	"SELECT r.id, r.file_name, r.row_count,"
	" parta.local_time(r.created_at, $4) AS created,"
	" parta.person_name(r.created_by) AS creator,"
	" r.applied_at IS NOT NULL AS applied,"
	" coalesce(parta.local_time(r.applied_at, $4), '') AS applied_on,"
	" r.applied_at IS NOT NULL"
	"  AND parta.roster_authority(r.org_id, r.id) IS NULL AS off,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" n.expected, n.joined"
	" FROM parta.roster r"
	" LEFT JOIN parta.class c ON c.org_id = r.org_id AND c.id = r.class_id"
	" CROSS JOIN LATERAL (SELECT"
	"  count(*) FILTER (WHERE w.state = 'expected') AS expected,"
	"  count(*) FILTER (WHERE w.state = 'joined') AS joined"
	"  FROM parta.roster_row w"
	"  WHERE w.org_id = r.org_id AND w.roster_id = r.id) n"
	" CROSS JOIN LATERAL parta.roster_visible(org => r.org_id,"
	"  viewer => $2, viewer_admin => $3, roster_class => r.class_id) v"
	" WHERE r.org_id = $1 AND v.visible"
	" ORDER BY r.created_at DESC, r.id DESC LIMIT $5::int"
};

/* The people of rosters $2 (those listed) not joined yet, by class and
 * name, whether their roster is no longer in force
 * (parta.roster_authority), and how many there are in all. */
static const struct db_stmt q_waiting = {
	"roster_waiting",
	"SELECT w.roster_id, w.line,"
	" parta.full_name(w.last_name, w.first_name, w.patronymic) AS name,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" w.role, w.invite_id IS NOT NULL AS has_link,"
	" w.link_sent_at IS NOT NULL AS link_sent, ro.off,"
	" count(*) OVER () AS total"
	" FROM parta.roster_row w"
	" JOIN (SELECT r.id, parta.roster_authority(r.org_id, r.id) IS NULL"
	"  AS off FROM parta.roster r WHERE r.org_id = $1"
	"  AND r.id = ANY ($2::bigint[])) ro ON ro.id = w.roster_id"
	" LEFT JOIN parta.class c ON c.org_id = w.org_id AND c.id = w.class_id"
	" WHERE w.org_id = $1 AND w.roster_id = ANY ($2::bigint[])"
	" AND w.state = 'expected'"
	" ORDER BY c.grade NULLS LAST, c.letter, c.title, w.last_name,"
	" w.first_name, w.roster_id, w.line LIMIT $3::int"
};

/*
 * The roster and every row of it in one statement: the rows arrive as
 * one JSON array (lib/roster's reading of the file, each row with its
 * error or none), state draft.
 */
static const struct db_stmt q_insert = {
	"roster_insert",
	"WITH r AS (INSERT INTO parta.roster (org_id, created_by, class_id,"
	"  file_name, file_hash, row_count)"
	"  VALUES ($1, $2, nullif($3, '')::bigint, $4, decode($5, 'hex'),"
	"  $6::int) RETURNING org_id, id),"
	" w AS (INSERT INTO parta.roster_row (org_id, roster_id, line,"
	"  last_name, first_name, patronymic, role, class_text, grade, letter,"
	"  title, phone, email, birth_date, error)"
	"  SELECT r.org_id, r.id, x.line, x.last_name, x.first_name,"
	"  x.patronymic, x.role, x.class_text, x.grade, x.letter, x.title,"
	"  x.phone, x.email, x.birth_date, x.error"
	"  FROM r, jsonb_to_recordset($7::jsonb) AS x (line int,"
	"  last_name text, first_name text, patronymic text, role text,"
	"  class_text text, grade smallint, letter text, title text,"
	"  phone text, email text, birth_date date, error text)"
	"  RETURNING 1)"
	" SELECT r.id, (SELECT count(*) FROM w) AS n FROM r"
};

/* Analyses the rows' table, so that the rows just stored are in its
 * statistics (the rule: parta.roster_rows_analyze, sql/0029, 0069). */
static const struct db_stmt q_analyze = {
	"roster_analyze",
	"SELECT parta.roster_rows_analyze($1::int) AS analysed"
};

int
roster_tz(struct http_req *r, const char **tz)
{
	PGresult	*res;

	if ((res = db_exec(&q_tz, PGRES_TUPLES_OK, app_num(r, r->id[0]))) ==
	    NULL)
		return app_db_error();
	*tz = PQntuples(res) == 1 ? db_get(res, 0, "tz") : "Europe/Moscow";
	return 0;
}

/* The class choices of the upload form, marking the chosen one: 0, or
 * an HTTP status. */
static int
classes_ctx(struct http_req *r, struct html_ctx *c, const char *chosen)
{
	struct html_ctx	*it = NULL;
	PGresult	*res;
	int		 i;

	res = db_exec(&q_classes, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), r->org->is_admin ? "t" : "f");
	if (res == NULL)
		return app_db_error();
	html_list_init(c, "classes");
	for (i = 0; i < PQntuples(res); i++) {
		it = html_list_add(c, "classes");
		html_set_str(it, "id", db_get(res, i, "id"));
		html_set_str(it, "name", db_get(res, i, "name"));
		html_set_bool(it, "selected", chosen != NULL &&
		    strcmp(chosen, db_get(res, i, "id")) == 0);
	}
	/* A homeroom teacher of one class has it chosen already. */
	if (!r->org->is_admin && it != NULL && PQntuples(res) == 1 && (chosen == NULL ||
	    *chosen == '\0'))
		html_set_bool(it, "selected", 1);
	return 0;
}

/* The people not yet joined of the rosters in ids ("{1,2}"): 0, or an
 * HTTP status. */
static int
waiting_ctx(struct http_req *r, struct html_ctx *c, const char *ids)
{
	struct html_ctx	*it;
	PGresult	*res;
	int		 i, n, off = 0;

	res = db_exec(&q_waiting, PGRES_TUPLES_OK, app_num(r, r->id[0]), ids,
	    app_num(r, WAITING_MAX));
	if (res == NULL)
		return app_db_error();
	n = PQntuples(res);
	html_list_init(c, "waiting");
	for (i = 0; i < n; i++) {
		it = html_list_add(c, "waiting");
		app_set_cols(it, res, i, "roster_id", "line", "name",
		    "class_name", NULL);
		html_set_str(it, "role_name",
		    org_role_name(db_get(res, i, "role")));
		html_set_bool(it, "has_link", db_getbool(res, i, "has_link"));
		html_set_bool(it, "link_sent", db_getbool(res, i,
		    "link_sent"));
		html_set_bool(it, "off", db_getbool(res, i, "off"));
		off |= db_getbool(res, i, "off");
	}
	html_set_bool(c, "any_off", off);
	html_set_int(c, "waiting_total", n > 0 ? db_getll(res, 0, "total") :
	    0);
	if (n > 0 && db_getll(res, 0, "total") > n)
		html_set_int(c, "waiting_more", db_getll(res, 0, "total") - n);
	return 0;
}

/* The list page: the upload form (what c holds of it) and the rosters,
 * with status. */
static int
list_page(struct http_req *r, struct html_ctx *c, int status,
    const char *class_id)
{
	struct html_ctx	*it;
	struct buf	 ids;
	PGresult	*res;
	const char	*tz;
	int		 i, rc;

	org_ctx(c, r->org);
	html_set_str(c, "title", "Списки учеников и учителей");
	html_set_bool(c, "is_homeroom", !r->org->is_admin);
	html_set_int(c, "max_rows", ROSTER_MAX_ROWS);
	html_set_int(c, "max_mb", ROSTER_MAX_BYTES / (1024 * 1024));
	if ((rc = roster_tz(r, &tz)) != 0 ||
	    (rc = classes_ctx(r, c, class_id)) != 0)
		return rc;
	res = db_exec(&q_list, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), r->org->is_admin ? "t" : "f", tz,
	    app_num(r, LIST_MAX));
	if (res == NULL)
		return app_db_error();
	buf_init(&ids);
	buf_puts(&ids, "{");
	html_list_init(c, "rosters");
	for (i = 0; i < PQntuples(res); i++) {
		it = html_list_add(c, "rosters");
		app_set_cols(it, res, i, "id", "file_name", "row_count",
		    "created", "creator", "applied_on", "class_name",
		    "expected", "joined", NULL);
		html_set_bool(it, "applied", db_getbool(res, i, "applied"));
		html_set_bool(it, "off", db_getbool(res, i, "off"));
		buf_printf(&ids, "%s%s", i ? "," : "", db_get(res, i, "id"));
	}
	buf_puts(&ids, "}");
	rc = waiting_ctx(r, c, pool_strdup(r->pool, ids.data));
	buf_free(&ids);
	if (rc != 0)
		return rc;
	return app_page(r, status, "roster_list", c);
}

/*
 * GET /org/N/roster
 * Admin or homeroom teacher.  The upload form (a file or pasted text; a
 * homeroom teacher picks one of their classes), the rosters this person
 * may see with how many of each joined, and the people not yet joined.
 */
int
roster_list(struct http_req *r)
{
	return list_page(r, app_ctx(r), HTTP_OK, NULL);
}

/* s cut to at most n characters (a column's width), in the pool. */
static const char *
clamp(struct pool *p, const char *s, size_t n)
{
	size_t		 i = 0, len;
	uint32_t	 cp;

	if (s == NULL)
		return NULL;
	for (len = 0; s[len] != '\0' && i < n; i++) {
		size_t k = utf8_decode(s + len, UTF8_MAX, &cp);

		len += k ? k : 1;
	}
	return s[len] == '\0' ? s : pool_strndup(p, s, len);
}

/* ,"key":"value" (null for NULL) into b. */
static void
json_kv(struct buf *b, const char *key, const char *val)
{
	buf_printf(b, ",\"%s\":", key);
	json_str(b, val);
}

/* The rows as the JSON array q_insert reads, each text cut to its
 * column's width (sql/0028_roster.sql), into b. */
static void
rows_json(struct pool *p, const struct roster *ro, struct buf *b)
{
	const struct roster_row	*w;
	size_t			 i;

	buf_putc(b, '[');
	for (i = 0; i < ro->n; i++) {
		w = &ro->rows[i];
		buf_printf(b, "%s{\"line\":%d", i ? "," : "", w->line);
		json_kv(b, "last_name", clamp(p, w->last_name, 60));
		json_kv(b, "first_name", clamp(p, w->first_name, 60));
		json_kv(b, "patronymic", clamp(p, w->patronymic, 60));
		json_kv(b, "role", w->role);
		json_kv(b, "class_text", clamp(p, w->class_text, 120));
		if (w->grade >= 1 && w->grade <= 11)
			buf_printf(b, ",\"grade\":%d", w->grade);
		json_kv(b, "letter", clamp(p, w->letter, 8));
		json_kv(b, "title", clamp(p, w->title, 100));
		json_kv(b, "phone", w->phone);
		json_kv(b, "email", w->email);
		json_kv(b, "birth_date", w->birth_date);
		json_kv(b, "error", clamp(p, w->error, 300));
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

/* The file's name as the person's computer had it: the last part of a
 * path, valid UTF-8, at most 255 bytes; "" for pasted text. */
static const char *
file_name(struct pool *p, const struct http_file *f)
{
	const char	*s, *slash;

	if (f == NULL || f->filename == NULL)
		return "";
	s = f->filename;
	if ((slash = strrchr(s, '/')) != NULL)
		s = slash + 1;
	if ((slash = strrchr(s, '\\')) != NULL)
		s = slash + 1;
	if (!utf8_valid(s, strlen(s)))
		return "";
	return pool_strndup(p, s, utf8_cut(s, strlen(s) < 255 ? strlen(s) :
	    255));
}

/*
 * After a roster of n rows is stored: analyse the rows' table, so that
 * its statistics know them (parta.roster_rows_analyze).  The preview
 * and the apply join a roster's rows with themselves and look each
 * application up among the school's rows; planned from statistics that
 * do not know the school's rows (a first small roster, then the
 * school's 5 000 rows; or a new school's roster among others), those
 * become nested loops or scans of the whole school per application,
 * and the first preview took 25 s instead of 0.2 s until autovacuum
 * came by, a minute later.  The roster is committed already (this runs
 * after): a failure here is only logged.
 */
static void
fresh_statistics(struct http_req *r, size_t n)
{
	(void)db_exec(&q_analyze, PGRES_TUPLES_OK, app_num(r, (long long)n));
}

/* The error next to the form's file field, with status; c holds the
 * form as sent. */
static int
file_refused(struct http_req *r, struct html_ctx *c, int status,
    const char *msg, const char *class_id)
{
	html_set_str(c, "file_error", msg);
	html_set_bool(c, "form_errors", 1);
	return list_page(r, c, status, class_id);
}

/*
 * Checks the chosen class (a homeroom teacher must choose one of theirs:
 * another class is 403): 0, an error put next to the field (counted in
 * *errors), or an HTTP status.
 */
static int
class_check(struct http_req *r, struct html_ctx *c,
    const struct valid_result *v, int *errors)
{
	PGresult	*res;
	const char	*err = NULL;

	if (v->error != NULL)
		err = "Выберите класс из списка";
	else if (!v->present) {
		if (!r->org->is_admin)
			err = "Выберите свой класс";
	} else {
		res = db_exec(&q_class_check, PGRES_TUPLES_OK,
		    app_num(r, r->id[0]), v->value, app_num(r, r->user->id));
		if (res == NULL)
			return app_db_error();
		if (PQntuples(res) != 1)
			err = "Выберите класс из списка";
		else if (!r->org->is_admin && !db_getbool(res, 0, "mine"))
			return HTTP_FORBIDDEN;
		else if (!db_getbool(res, 0, "usable"))
			err = "Этот класс в архиве или это учительская: "
			    "выберите класс учеников";
	}
	if (err != NULL) {
		html_set_str(c, "class_id_error", err);
		html_set_bool(c, "form_errors", 1);
		(*errors)++;
	}
	return 0;
}

/*
 * POST /org/N/roster  (multipart) file text class_id
 * Admin or homeroom teacher (their own class only: another is 403; the
 * class is required of them).  Reads the file (or, without one, the
 * pasted text) with lib/roster and stores the roster and its rows in
 * one statement, state draft, with the audit row (then the table's
 * statistics, when the rows outgrow them); 303 to its preview.
 * Over 2 MiB or 5 000 rows 413, an unreadable file 422 with the reason
 * and the row, both with the form again.  A second upload of the same
 * file is stored too: its preview says so, and its rows that another
 * roster has made expected or joined are duplicates, applied to nobody.
 */
int
roster_upload(struct http_req *r)
{
	struct valid_result	 v[UP__MAX];
	struct html_ctx		*c = app_ctx(r);
	const struct http_file	*f = NULL;
	struct roster		 ro;
	struct buf		 json;
	PGresult		*res;
	const char		*data = NULL, *text, *why, *name;
	unsigned char		 sum[CRYPTO_SHA256_LEN];
	char			 hex[2 * CRYPTO_SHA256_LEN + 1];
	size_t			 len = 0;
	long long		 id;
	int			 errors, rc, why_line;

	errors = app_form(r, up_fields, UP__MAX, v, c);
	if ((rc = class_check(r, c, &v[UP_CLASS], &errors)) != 0)
		return rc;
	text = http_form(r, "text");
	if (text != NULL)
		html_set_str(c, "text", text);
	if (http_file_count(&r->files, "file") > 1) {
		html_set_str(c, "file_error", VALID_E_ONE_FILE);
		html_set_bool(c, "form_errors", 1);
		errors++;
	} else if ((f = http_file_get(&r->files, "file")) != NULL &&
	    f->len > 0) {
		data = f->data;
		len = f->len;
	} else if (f != NULL && f->filename != NULL && *f->filename != '\0') {
		/* A file chosen, and nothing in it. */
		html_set_str(c, "file_error", "Файл пустой: в нём нет ни "
		    "одной строки. Откройте его и проверьте, что список "
		    "сохранён.");
		html_set_bool(c, "form_errors", 1);
		errors++;
	} else if (text != NULL && strspn(text, " \t\r\n") < strlen(text)) {
		data = text;
		len = strlen(text);
		f = NULL;
	} else {
		html_set_str(c, "file_error", "Выберите файл CSV или вставьте "
		    "список в поле ниже");
		html_set_bool(c, "form_errors", 1);
		errors++;
	}
	if (errors > 0)
		return list_page(r, c, HTTP_UNPROCESSABLE, v[UP_CLASS].value);

	rc = roster_read(r->pool, data, len, &ro, &why, &why_line);
	if (rc == HTTP_TOO_LARGE)
		return file_refused(r, c, HTTP_TOO_LARGE, len > ROSTER_MAX_BYTES ?
		    pool_printf(r->pool, "Файл больше %d МБ. Разделите список "
		    "на части, например по классам.", ROSTER_MAX_BYTES /
		    (1024 * 1024)) : pool_printf(r->pool, "В списке больше "
		    "%d строк. Разделите его на части, например по классам.",
		    ROSTER_MAX_ROWS), v[UP_CLASS].value);
	if (rc != 0)
		return file_refused(r, c, HTTP_UNPROCESSABLE, why_line > 0 ?
		    pool_printf(r->pool, "Строка %d: %s", why_line, why) :
		    why, v[UP_CLASS].value);
	if (ro.n == 0)
		return file_refused(r, c, HTTP_UNPROCESSABLE, "В списке нет ни "
		    "одной строки с человеком: после заголовка идут пустые "
		    "строки", v[UP_CLASS].value);

	crypto_sha256(data, len, sum);
	crypto_hex(sum, sizeof(sum), hex);
	name = file_name(r->pool, f);
	buf_init(&json);
	rows_json(r->pool, &ro, &json);
	if (db_begin() == -1) {
		buf_free(&json);
		return app_db_error();
	}
	res = db_exec(&q_insert, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), v[UP_CLASS].present ? v[UP_CLASS].value :
	    "", name, hex, app_num(r, (long long)ro.n), json.data);
	buf_free(&json);
	if (res == NULL || PQntuples(res) != 1)
		return app_db_error();
	id = db_getll(res, 0, "id");
	if (audit_write(r->id[0], r->user->id, "roster_upload", 0,
	    pool_printf(r->pool, "№%lld: %zu %s%s%s%s", id, ro.n,
	    ru_plural((long long)ro.n, "строка", "строки", "строк"),
	    *name ? ", файл «" : "", name, *name ? "»" : "")) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	fresh_statistics(r, ro.n);
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/roster/%lld",
	    r->id[0], id));
}
