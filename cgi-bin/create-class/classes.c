/*
 * create-class: an organization's classes and groups, made, shown,
 * edited and archived, and what the other files of the program share
 * about a class (its cover, its year, the organization's lock, the audit
 * row); what the program as a whole does: main.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "db.h"
#include "guardian.h"
#include "org.h"
#include "pager.h"
#include "pool.h"
#include "utf8.h"

#include "create-class.h"

/* The cover colours a class may have: the form offers exactly these. */
struct class_color {
	const char	*hex;
	const char	*name;
};

static const struct class_color palette[] = {
	{ "#2563c9", "Синий" },
	{ "#1e7a7b", "Бирюзовый" },
	{ "#2c7a4b", "Зелёный" },
	{ "#8a6410", "Горчичный" },
	{ "#b4531a", "Оранжевый" },
	{ "#c0392b", "Красный" },
	{ "#b03a6b", "Малиновый" },
	{ "#6b46c1", "Фиолетовый" },
};

#define PALETTE_N	(sizeof(palette) / sizeof(palette[0]))

#define GRADE_MAX	11

#define LETTER_MAX	8	/* characters, as the schema allows */

#define TITLE_MAX	100

#define STAFF_TITLE	"Учительская"

static const char *valid_kind(const char *, char *, size_t);
static const char *valid_grade(const char *, char *, size_t);
static const char *valid_letter(const char *, char *, size_t);
static const char *valid_title(const char *, char *, size_t);
static const char *valid_year(const char *, char *, size_t);
static const char *valid_color(const char *, char *, size_t);

enum class_key {
	CLASS_KIND, CLASS_GRADE, CLASS_LETTER, CLASS_TITLE, CLASS_YEAR,
	CLASS_COLOR, CLASS__MAX
};

static const struct valid_field class_fields[CLASS__MAX] = {
	{ "kind", valid_kind, 1 },		/* CLASS_KIND */
	{ "grade", valid_grade, 0 },		/* CLASS_GRADE */
	{ "letter", valid_letter, 0 },		/* CLASS_LETTER */
	{ "title", valid_title, 0 },		/* CLASS_TITLE */
	{ "year", valid_year, 1 },		/* CLASS_YEAR */
	{ "color", valid_color, 1 },		/* CLASS_COLOR */
};

/* The organization's current academic year (parta.org_year, sql/0012:
 * it starts in September where the organization is). */
static const struct db_stmt q_current_year = {
	"class_current_year",
	"SELECT parta.org_year(o.id) AS year FROM parta.org o WHERE o.id = $1"
};

/* The list's year and whether its rollover comes early: current_year
 * and rollover_early_ctx in one statement, sent with the list's (the
 * page's one round trip, lib/db.h). */
static const struct db_stmt q_year_early = {
	"class_year_early",
	"SELECT y.year, coalesce(parta.rollover_early(o.id, y.year), false)"
	" AS early FROM parta.org o,"
	" LATERAL (SELECT parta.org_year(o.id) AS year) y WHERE o.id = $1"
};

static const struct db_stmt q_lock = {
	"class_lock",
	"SELECT pg_advisory_xact_lock(hashtextextended('parta.class:' || $1,"
	" 0))"
};

/*
 * A page of the classes (lib/pager): by academic year, newest first,
 * the staff class first, then by grade (those without one last),
 * letter and title; of grade $2 (NULL: any); after class $3, $4 rows;
 * with the total under the filter.  The key is ascending throughout
 * (-year; a missing grade as 99), so that one row comparison
 * pages it.  The page's classes are chosen first, then each one's
 * members counted in one pass of its index entries (both counts).
 */
static const struct db_stmt q_list = {
	"class_list",
	"WITH f AS NOT MATERIALIZED (SELECT c.* FROM parta.class c"
	"  WHERE c.org_id = $1 AND ($2::smallint IS NULL OR c.grade = $2))"
	" SELECT t.total, x.* FROM (SELECT count(*) AS total FROM f) t"
	" LEFT JOIN LATERAL (SELECT c.id, c.kind,"
	" coalesce(c.grade::text, '') AS grade, c.letter,"
	" c.title, parta.class_name(c.grade, c.letter, c.title) AS name,"
	" c.year, c.color, c.archived_at IS NOT NULL AS archived,"
	" n.students, n.members"
	" FROM (SELECT c.* FROM f c"
	"  WHERE (-c.year, c.kind = 'class', coalesce(c.grade, 99),"
	"  c.letter, c.title, c.id) > (SELECT coalesce(max(-k.year), -100000),"
	"  coalesce(bool_or(k.kind = 'class'), false),"
	"  coalesce(max(coalesce(k.grade, 99)), 0), coalesce(max(k.letter), ''),"
	"  coalesce(max(k.title), ''), coalesce(max(k.id), 0)"
	"  FROM parta.class k WHERE k.org_id = $1 AND k.id = $3)"
	"  ORDER BY -c.year, c.kind = 'class', coalesce(c.grade, 99),"
	"  c.letter, c.title, c.id LIMIT $4) c"
	" CROSS JOIN LATERAL (SELECT"
	"  count(*) FILTER (WHERE m.role = 'student') AS students,"
	"  count(*) AS members FROM parta.class_member m"
	"  WHERE m.org_id = c.org_id AND m.class_id = c.id) n"
	" ORDER BY -c.year, c.kind = 'class', coalesce(c.grade, 99),"
	" c.letter, c.title, c.id) x ON true"
};

static const struct db_stmt q_rollovers = {
	"class_rollovers",
	"SELECT from_year FROM parta.class_rollover WHERE org_id = $1"
};

static const struct db_stmt q_class = {
	"class_get",
	"SELECT c.kind, coalesce(c.grade::text, '') AS grade, c.letter,"
	" c.title, parta.class_name(c.grade, c.letter, c.title) AS name,"
	" c.year, c.color, c.archived_at IS NOT NULL AS archived,"
	" coalesce(to_char(c.archived_at AT TIME ZONE rg.tz, 'DD.MM.YYYY'),"
	"  '') AS archived_on,"
	" coalesce(n.id::text, '') AS next_id,"
	" parta.class_name(n.grade, n.letter, n.title) AS next_name,"
	" coalesce(n.year, 0) AS next_year,"
	" coalesce(p.id::text, '') AS prev_id,"
	" parta.class_name(p.grade, p.letter, p.title) AS prev_name,"
	" coalesce(p.year, 0) AS prev_year"
	" FROM parta.class c"
	" JOIN parta.org o ON o.id = c.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.class n ON n.org_id = c.org_id AND n.id = c.next_id"
	" LEFT JOIN LATERAL (SELECT * FROM parta.class x"
	"  WHERE x.org_id = c.org_id AND x.next_id = c.id"
	"  ORDER BY x.year DESC, x.id LIMIT 1) p ON true"
	" WHERE c.org_id = $1 AND c.id = $2"
};

static const struct db_stmt q_class_update_lock = {
	"class_update_lock",
	"SELECT archived_at IS NOT NULL AS archived, kind,"
	" coalesce(grade::text, '') AS grade,"
	" parta.class_name(grade, letter, title) AS name, year"
	" FROM parta.class WHERE org_id = $1 AND id = $2 FOR UPDATE"
};

static const struct db_stmt q_archive = {
	"class_archive",
	"UPDATE parta.class SET archived_at = now()"
	" WHERE org_id = $1 AND id = $2 AND archived_at IS NULL"
};

static const struct db_stmt q_members = {
	"class_members",
	"SELECT a.id, a.last_name, a.first_name, a.patronymic, cm.role,"
	" a.gender, coalesce(m.verified, false) AS verified"
	" FROM parta.class_member cm"
	" JOIN parta.account a ON a.id = cm.account_id"
	" LEFT JOIN parta.member m ON m.org_id = cm.org_id"
	"  AND m.account_id = cm.account_id"
	" WHERE cm.org_id = $1 AND cm.class_id = $2"
	" ORDER BY cm.role, a.last_name, a.first_name, a.patronymic, a.id"
};

/* The verified teachers of the organization, and whether each may still
 * be made a homeroom teacher or a subject teacher of class $2. */
static const struct db_stmt q_teachers_free = {
	"class_teachers_free",
	"SELECT a.id, a.last_name, a.first_name, a.patronymic,"
	" NOT EXISTS (SELECT 1 FROM parta.class_member cm"
	"  WHERE cm.org_id = m.org_id AND cm.class_id = $2"
	"  AND cm.account_id = m.account_id AND cm.role = 'homeroom')"
	"  AS homeroom_free,"
	" NOT EXISTS (SELECT 1 FROM parta.class_member cm"
	"  WHERE cm.org_id = m.org_id AND cm.class_id = $2"
	"  AND cm.account_id = m.account_id AND cm.role = 'teacher')"
	"  AS subject_free"
	" FROM parta.member m JOIN parta.account a ON a.id = m.account_id"
	" WHERE m.org_id = $1 AND m.role = 'teacher' AND m.verified"
	" ORDER BY a.last_name, a.first_name, a.patronymic, a.id"
};

static const struct db_stmt q_insert = {
	"class_insert",
	"INSERT INTO parta.class (org_id, kind, grade, letter, title, year,"
	" color) VALUES ($1, $2, nullif($3, '')::smallint, $4, $5, $6, $7)"
	" RETURNING id",
	DB_UNIQUE_VIOLATION
};

/* archived_at keeps the day a class was first archived. */
static const struct db_stmt q_update = {
	"class_update",
	"UPDATE parta.class SET kind = $3, grade = nullif($4, '')::smallint,"
	" letter = $5, title = $6, year = $7, color = $8,"
	" archived_at = CASE WHEN $9 THEN coalesce(archived_at, now())"
	"  ELSE NULL END"
	" WHERE org_id = $1 AND id = $2"
	" RETURNING parta.class_name(grade, letter, title) AS name",
	DB_UNIQUE_VIOLATION
};

/* The class with this key (id '' when there is none now) and its
 * name. */
static const struct db_stmt q_find = {
	"class_find",
	"SELECT parta.class_name(nullif($3, '')::smallint, $4, $5) AS name,"
	" coalesce((SELECT id::text FROM parta.class WHERE org_id = $1"
	"  AND year = $2::int"
	"  AND grade IS NOT DISTINCT FROM nullif($3, '')::smallint"
	"  AND letter = $4 AND title = $5), '') AS id"
};

/* The staff class of a year other than class $3 (0 for none): the one a
 * second staff class runs into (class_one_staff). */
static const struct db_stmt q_find_staff = {
	"class_find_staff",
	"SELECT id, title FROM parta.class WHERE org_id = $1 AND year = $2"
	" AND kind = 'staff' AND id <> $3"
};

/* Validators of the class form (valid.h conventions). */

static const char *
valid_kind(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "class") != 0 && strcmp(in, "staff") != 0)
		return "Выберите тип: класс или учительский класс";
	snprintf(out, outsz, "%s", in);
	return NULL;
}

/* Parse a decimal number of at most digits digits: the value or -1. */
long
class_number(const char *in, int digits)
{
	const char	*s = in;
	long		 v = 0;
	int		 n = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == digits)
			return -1;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ')
		s++;
	return n == 0 || *s != '\0' ? -1 : v;
}

static const char *
valid_grade(const char *in, char *out, size_t outsz)
{
	long	 g;

	if ((g = class_number(in, 2)) < 1 || g > GRADE_MAX)
		return "Номер класса — от 1 до 11, или без номера";
	snprintf(out, outsz, "%ld", g);
	return NULL;
}

static const char *
valid_year(const char *in, char *out, size_t outsz)
{
	long	 y;

	if ((y = class_number(in, 4)) < YEAR_MIN || y > YEAR_MAX)
		return "Выберите учебный год из списка";
	snprintf(out, outsz, "%ld", y);
	return NULL;
}

/*
 * The letter of a class: up to 8 Cyrillic or Latin letters and digits,
 * upper-cased, so that "9г" and "9Г" are the same class.
 */
static const char *
valid_letter(const char *in, char *out, size_t outsz)
{
	const char	*s = in;
	uint32_t	 cp;
	size_t		 n, len = 0;
	int		 chars = 0;

	while (*s == ' ')
		s++;
	for (; *s != '\0' && *s != ' '; s += n) {
		if ((n = utf8_decode(s, UTF8_MAX, &cp)) == 0)
			return "Литера — буквы или цифры, например Г";
		if (cp >= 'a' && cp <= 'z')
			cp -= 'a' - 'A';
		else if (cp >= 0x430 && cp <= 0x44F)
			cp -= 0x20;		/* а-я */
		else if (cp >= 0x450 && cp <= 0x45F)
			cp -= 0x50;		/* ё and the other ѐ-џ */
		if (!((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
		    (cp >= 0x400 && cp <= 0x42F)))
			return "Литера — буквы или цифры, например Г";
		/* What is left is at most U+042F: two bytes. */
		if (++chars > LETTER_MAX || len + 3 > outsz)
			return "Литера — не длиннее 8 знаков";
		len += utf8_encode(cp, out + len);
	}
	while (*s == ' ')
		s++;
	if (*s != '\0')
		return "Литера пишется без пробелов";
	out[len] = '\0';
	return NULL;
}

static const char *
valid_title(const char *in, char *out, size_t outsz)
{
	const char	*err;

	if ((err = valid_line(in, out, outsz)) != NULL)
		return err;
	if (utf8_chars(out) > TITLE_MAX)
		return "Название — не длиннее 100 символов";
	return NULL;
}

static const char *
valid_color(const char *in, char *out, size_t outsz)
{
	char	 c[8];
	size_t	 i;

	if (strlen(in) != 7)
		return "Выберите цвет обложки из предложенных";
	for (i = 0; i < 7; i++)
		c[i] = (char)(in[i] >= 'A' && in[i] <= 'F' ? in[i] + 32 :
		    in[i]);
	c[7] = '\0';
	for (i = 0; i < PALETTE_N; i++)
		if (strcmp(c, palette[i].hex) == 0) {
			snprintf(out, outsz, "%s", c);
			return NULL;
		}
	return "Выберите цвет обложки из предложенных";
}

/* Helpers for pages. */

const char *
students_text(struct pool *p, long long n)
{
	return pool_printf(p, "%lld %s", n, ru_plural(n, "ученик", "ученика",
	    "учеников"));
}

static const char *
members_text(struct pool *p, long long n)
{
	return pool_printf(p, "%lld %s", n, ru_plural(n, "участник",
	    "участника", "участников"));
}

/* What the round cover shows: "9Г", or the first letter of the title. */
const char *
class_short(struct pool *p, const char *grade, const char *letter,
    const char *title)
{
	uint32_t	 cp;
	size_t		 n;

	if (grade[0] != '\0')
		return pool_printf(p, "%s%s", grade, letter);
	if (title[0] != '\0' && (n = utf8_decode(title, UTF8_MAX, &cp)) > 0)
		return pool_strndup(p, title, n);
	return letter[0] != '\0' ? letter : "—";
}

const char *
year_label(struct pool *p, long long y)
{
	return pool_printf(p, "%lld/%lld", y, y + 1);
}

/* A CSS class per palette colour: the pages allow no inline styles. */
const char *
color_class(struct pool *p, const char *color)
{
	return pool_printf(p, "cover-%s", color[0] == '#' ? color + 1 : color);
}

const char *
person_name(struct pool *p, const PGresult *res, int row)
{
	const char	*pat = db_get(res, row, "patronymic");

	return pool_printf(p, "%s %s%s%s", db_get(res, row, "last_name"),
	    db_get(res, row, "first_name"), pat[0] ? " " : "", pat);
}

/* The current academic year of the organization into *year: 0, or an
 * HTTP status. */
int
current_year(struct http_req *r, long long org, int *year)
{
	PGresult	*res;

	res = db_exec(&q_current_year, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", org));
	if (res == NULL || PQntuples(res) != 1)
		return app_db_error();
	*year = (int)db_getll(res, 0, "year");
	return 0;
}

/* Lock the organization's classes for a change: 0, or an HTTP status. */
int
class_lock(struct http_req *r, long long org)
{
	PGresult	*res;

	res = db_exec(&q_lock, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", org));
	if (res == NULL)
		return app_db_error();
	return 0;
}

static void
year_option(struct html_ctx *c, struct pool *p, int y, const char *sel)
{
	struct html_ctx	*it = html_list_add(c, "years");

	html_set_int(it, "value", y);
	html_set_str(it, "label", year_label(p, y));
	html_set_bool(it, "selected", atoi(sel) == y);
}

/*
 * The choices of the class form around the values in ctx (as typed or
 * loaded): kind, the grade list, the years around the current one (and
 * the class's own), the palette.
 */
static void
class_form_ctx(struct http_req *r, struct html_ctx *c, int now)
{
	const char	*kind, *grade, *year, *color;
	struct html_ctx	*it;
	size_t		 i;
	int		 y, g;

	kind = html_get_str(c, "kind");
	grade = html_get_str(c, "grade");
	year = html_get_str(c, "year");
	color = html_get_str(c, "color");
	html_set_bool(c, "kind_staff", kind && strcmp(kind, "staff") == 0);
	html_set_bool(c, "kind_class", !kind || strcmp(kind, "staff") != 0);
	it = html_list_add(c, "grades");
	html_set_str(it, "value", "");
	html_set_str(it, "label", "Без номера");
	html_set_bool(it, "selected", !grade || grade[0] == '\0');
	for (g = 1; g <= GRADE_MAX; g++) {
		it = html_list_add(c, "grades");
		html_set_int(it, "value", g);
		html_set_int(it, "label", g);
		html_set_bool(it, "selected", grade && atoi(grade) == g);
	}
	y = year ? (int)class_number(year, 4) : -1;
	if (y >= YEAR_MIN && y < now - 1)
		year_option(c, r->pool, y, year);
	for (g = now - 1; g <= now + 1; g++)
		year_option(c, r->pool, g, year ? year : "");
	if (y > now + 1 && y <= YEAR_MAX)
		year_option(c, r->pool, y, year);
	for (i = 0; i < PALETTE_N; i++) {
		it = html_list_add(c, "palette");
		html_set_str(it, "hex", palette[i].hex);
		html_set_str(it, "color_name", palette[i].name);
		html_set_str(it, "css", color_class(r->pool, palette[i].hex));
		html_set_bool(it, "checked", color &&
		    strcmp(color, palette[i].hex) == 0);
	}
}

/*
 * Validate the class form into v and c: the number of errors.  Beyond
 * each field: a staff class has no grade (and is called "Учительская"
 * unless named), a class without a grade needs a title.
 */
static int
class_form_check(struct http_req *r, struct html_ctx *c,
    struct valid_result *v)
{
	int	 errors;

	errors = app_form(r, class_fields, CLASS__MAX, v, c);
	if (v[CLASS_KIND].error == NULL &&
	    strcmp(v[CLASS_KIND].value, "staff") == 0) {
		if (v[CLASS_GRADE].present && v[CLASS_GRADE].error == NULL) {
			html_set_str(c, "grade_error", "У учительского класса "
			    "нет номера: выберите «Без номера»");
			errors++;
		}
		if (!v[CLASS_TITLE].present)
			snprintf(v[CLASS_TITLE].value,
			    sizeof(v[CLASS_TITLE].value), "%s", STAFF_TITLE);
	} else if (v[CLASS_KIND].error == NULL && !v[CLASS_GRADE].present &&
	    !v[CLASS_TITLE].present) {
		html_set_str(c, "title_error", "Укажите номер класса или "
		    "название группы");
		errors++;
	}
	if (errors > 0)
		html_set_bool(c, "form_errors", 1);
	return errors;
}

/*
 * After a unique violation: say which class is in the way, with a link
 * to it; 409.  The violation left the transaction unusable, so this rolls
 * it back before it reads (app_rollback).  self is the class being
 * edited, 0 when creating.  A second staff class of a year is refused by
 * class_one_staff and told apart from a class with the same name.
 */
static int
class_conflict(struct http_req *r, struct html_ctx *c, long long org,
    long long self, const struct valid_result *v)
{
	const char	*o = pool_printf(r->pool, "%lld", org);
	const char	*year = year_label(r->pool, atoll(v[CLASS_YEAR].value));
	PGresult	*res;

	app_rollback();
	if (strcmp(v[CLASS_KIND].value, "staff") == 0) {
		res = db_exec(&q_find_staff, PGRES_TUPLES_OK, o,
		    v[CLASS_YEAR].value, pool_printf(r->pool, "%lld", self));
		if (res == NULL)
			return app_db_error();
		if (PQntuples(res) == 1) {
			html_set_str(c, "conflict", pool_printf(r->pool, "В %s "
			    "учебном году учительский класс уже есть: «%s». "
			    "Второй не нужен — в нём и так собираются все "
			    "учителя.", year, db_get(res, 0, "title")));
			html_set_str(c, "conflict_id", db_get(res, 0, "id"));
			return app_page(r, HTTP_CONFLICT, "class_form", c);
		}
	}
	res = db_exec(&q_find, PGRES_TUPLES_OK, o, v[CLASS_YEAR].value,
	    v[CLASS_GRADE].value, v[CLASS_LETTER].value, v[CLASS_TITLE].value);
	if (res == NULL)
		return app_db_error();
	html_set_str(c, "conflict", pool_printf(r->pool, "Такой класс уже "
	    "есть: %s, %s учебный год.", db_get(res, 0, "name"), year));
	if (db_get(res, 0, "id")[0] != '\0')
		html_set_str(c, "conflict_id", db_get(res, 0, "id"));
	return app_page(r, HTTP_CONFLICT, "class_form", c);
}

/*
 * The class page into c with status: 0 after app_page, or an error
 * status (404 when the class is not the organization's).
 */
int
class_page(struct http_req *r, const struct org_access *a, long long id,
    int status, struct html_ctx *c)
{
	const char	*org = pool_printf(r->pool, "%lld", a->id);
	const char	*cid = pool_printf(r->pool, "%lld", id);
	const char	*grade, *letter, *title, *role;
	struct html_ctx	*it;
	PGresult	*res;
	long long	 students = 0, homerooms = 0, teachers = 0;
	int		 i, rc, archived, staff;

	if ((res = db_exec(&q_class, PGRES_TUPLES_OK, org, cid)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	grade = db_get(res, 0, "grade");
	letter = db_get(res, 0, "letter");
	title = db_get(res, 0, "title");
	archived = db_getbool(res, 0, "archived");
	staff = strcmp(db_get(res, 0, "kind"), "staff") == 0;
	org_ctx(c, a);
	html_set_str(c, "class_id", cid);
	html_set_str(c, "class_name", db_get(res, 0, "name"));
	html_set_str(c, "title", html_get_str(c, "class_name"));
	html_set_str(c, "short", class_short(r->pool, grade, letter, title));
	html_set_str(c, "color_class", color_class(r->pool,
	    db_get(res, 0, "color")));
	html_set_str(c, "kind_name", staff ? "Учительский класс" :
	    grade[0] ? "Класс" : "Группа");
	html_set_str(c, "year_label", year_label(r->pool,
	    db_getll(res, 0, "year")));
	html_set_bool(c, "archived", archived);
	html_set_str(c, "archived_on", db_get(res, 0, "archived_on"));
	/* A staff class gathers the teachers: it has no homeroom teacher. */
	html_set_bool(c, "can_manage", a->is_admin && !archived && !staff);
	if (db_get(res, 0, "next_id")[0] != '\0') {
		html_set_str(c, "next_id", db_get(res, 0, "next_id"));
		html_set_str(c, "next_name", db_get(res, 0, "next_name"));
		html_set_str(c, "next_year", year_label(r->pool,
		    db_getll(res, 0, "next_year")));
	}
	if (db_get(res, 0, "prev_id")[0] != '\0') {
		html_set_str(c, "prev_id", db_get(res, 0, "prev_id"));
		html_set_str(c, "prev_name", db_get(res, 0, "prev_name"));
		html_set_str(c, "prev_year", year_label(r->pool,
		    db_getll(res, 0, "prev_year")));
	}

	if ((res = db_exec(&q_members, PGRES_TUPLES_OK, org, cid)) == NULL)
		return app_db_error();
	html_list_init(c, "homerooms");
	html_list_init(c, "students");
	html_list_init(c, "teachers");
	for (i = 0; i < PQntuples(res); i++) {
		role = db_get(res, i, "role");
		if (strcmp(role, "homeroom") == 0) {
			it = html_list_add(c, "homerooms");
			homerooms++;
		} else if (strcmp(role, "student") == 0) {
			it = html_list_add(c, "students");
			students++;
		} else {
			it = html_list_add(c, "teachers");
			teachers++;
		}
		html_set_str(it, "account_id", db_get(res, i, "id"));
		html_set_str(it, "person", person_name(r->pool, res, i));
		html_set_bool(it, "verified", db_getbool(res, i, "verified"));
		html_set_str(it, "gender", db_get(res, i, "gender"));
	}
	html_set_bool(c, "has_homerooms", homerooms > 0);
	html_set_bool(c, "homeroom_section", homerooms > 0 || !staff);
	html_set_bool(c, "has_students", students > 0);
	html_set_bool(c, "has_teachers", teachers > 0);
	html_set_int(c, "students_count", students);
	html_set_str(c, "students_text", staff ? members_text(r->pool,
	    homerooms + teachers + students) : students_text(r->pool,
	    students));
	html_set_bool(c, "staff", staff);
	/* Each student's guardians, for those who manage them. */
	if ((a->is_admin || a->homeroom) && !staff &&
	    (rc = guardian_class_ctx(r, c, a->id, id)) != 0)
		return rc;

	if (a->is_admin && !archived && !staff) {
		res = db_exec(&q_teachers_free, PGRES_TUPLES_OK, org, cid);
		if (res == NULL)
			return app_db_error();
		html_list_init(c, "free_teachers");
		html_list_init(c, "free_subject");
		for (i = 0; i < PQntuples(res); i++) {
			if (db_getbool(res, i, "homeroom_free")) {
				it = html_list_add(c, "free_teachers");
				html_set_str(it, "account_id",
				    db_get(res, i, "id"));
				html_set_str(it, "person",
				    person_name(r->pool, res, i));
			}
			if (db_getbool(res, i, "subject_free")) {
				it = html_list_add(c, "free_subject");
				html_set_str(it, "account_id",
				    db_get(res, i, "id"));
				html_set_str(it, "person",
				    person_name(r->pool, res, i));
			}
		}
		html_set_bool(c, "has_verified", PQntuples(res) > 0);
	}
	return app_page(r, status, "class_show", c);
}

/*
 * GET /org/N/classes[?grade=G&after=ID]
 * Members (and the operator).  The classes grouped by academic year,
 * newest first, each with its cover colour, name, student count and
 * years; archived ones folded away under each year; 50 a page
 * (lib/pager), with how many there are (of grade G: the filter).  A
 * grade or cursor no page sends: 400.  Changes nothing.
 */
int
class_list(struct http_req *r)
{
	const struct org_access	*a;
	struct html_ctx		*c, *year = NULL, *it;
	const char		*org = app_num(r, r->id[0]);
	const char		*grade, *letter, *title;
	struct pager		 pg;
	PGresult		*res, *done;
	struct db_query		*yq = NULL, *listq = NULL, *doneq = NULL;
	const char		*fgrade = http_query(r, "grade");
	long long		 y, cur = -1;
	int			 i, j, n, now, staff, staff_now = 0;
	int			 rolled = 0, early;
	int			 rc, bad = 0, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP);
	 * a grade or cursor no page sends is refused once admitted. */
	if (fgrade != NULL && fgrade[0] == '\0')
		fgrade = NULL;
	if (fgrade != NULL && (strspn(fgrade, "0123456789") !=
	    strlen(fgrade) || strlen(fgrade) > 2 || atoi(fgrade) < 1 ||
	    atoi(fgrade) > 11))
		bad = HTTP_BAD_REQUEST;
	if (bad == 0 && (bad = pager_read(r, &pg, pager_path(r,
	    pool_printf(r->pool, "/org/%s/classes", org), "grade", fgrade,
	    NULL))) == 0) {
		yq = db_send(&q_year_early, PGRES_TUPLES_OK, org);
		listq = db_send(&q_list, PGRES_TUPLES_OK, org, fgrade,
		    pg.after, app_num(r, PAGER_SIZE + 1));
		doneq = db_send(&q_rollovers, PGRES_TUPLES_OK, org);
	}
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	if (bad != 0)
		return bad;
	a = r->org;
	if ((res = db_result(yq)) == NULL || PQntuples(res) != 1)
		return app_db_error();
	now = (int)db_getll(res, 0, "year");
	c = app_ctx(r);
	/* The current year's rollover is offered with when it is meant. */
	early = db_getbool(res, 0, "early");
	html_set_bool(c, "early", early);
	if ((res = db_result(listq)) == NULL)
		return app_db_error();
	if ((done = db_result(doneq)) == NULL)
		return app_db_error();
	org_ctx(c, a);
	html_set_str(c, "title", "Классы");
	n = pager_ctx(r, c, &pg, res, "id", "класс", "класса", "классов");
	html_set_bool(c, "filtered", fgrade != NULL);
	html_list_init(c, "grades");
	for (i = 1; i <= 11; i++) {
		it = html_list_add(c, "grades");
		html_set_int(it, "grade", i);
		html_set_bool(it, "selected", fgrade != NULL &&
		    atoi(fgrade) == i);
	}
	html_list_init(c, "groups");
	for (i = 0; i < n; i++) {
		y = db_getll(res, i, "year");
		if (year == NULL || y != cur) {
			cur = y;
			year = html_list_add(c, "groups");
			html_set_int(year, "year", y);
			html_set_str(year, "year_label",
			    year_label(r->pool, y));
			html_set_str(year, "next_label", year_label(r->pool,
			    y + 1));
			html_list_init(year, "active");
			html_list_init(year, "archive");
			for (rolled = 0, j = 0; j < PQntuples(done); j++)
				if (db_getll(done, j, "from_year") == y)
					rolled = 1;
			html_set_bool(year, "rolled", rolled);
			html_set_bool(year, "has_active", 0);
			html_set_bool(year, "has_archive", 0);
			html_set_bool(year, "can_roll", 0);
		}
		grade = db_get(res, i, "grade");
		letter = db_get(res, i, "letter");
		title = db_get(res, i, "title");
		staff = strcmp(db_get(res, i, "kind"), "staff") == 0;
		if (db_getbool(res, i, "archived")) {
			it = html_list_add(year, "archive");
			html_set_bool(year, "has_archive", 1);
		} else {
			it = html_list_add(year, "active");
			html_set_bool(year, "has_active", 1);
			/* Offered up to the current year; the preview page
			 * takes any year. */
			html_set_bool(year, "can_roll", a->is_admin &&
			    !rolled && y <= now);
			html_set_bool(year, "roll_early", early && y == now);
			if (y == now && staff)
				staff_now = 1;
		}
		html_set_str(it, "id", db_get(res, i, "id"));
		html_set_str(it, "name", db_get(res, i, "name"));
		html_set_str(it, "short", class_short(r->pool, grade, letter,
		    title));
		html_set_str(it, "color_class", color_class(r->pool,
		    db_get(res, i, "color")));
		html_set_str(it, "students_text", staff ?
		    members_text(r->pool, db_getll(res, i, "members")) :
		    students_text(r->pool, db_getll(res, i, "students")));
		html_set_str(it, "years_text", pool_printf(r->pool,
		    "%lld – %lld", y, y + 1));
	}
	html_set_bool(c, "has_groups", n > 0);
	html_set_bool(c, "staff_hint", a->is_admin && !staff_now);
	html_set_str(c, "now_label", year_label(r->pool, now));
	return app_page(r, HTTP_OK, "class_list", c);
}

/*
 * Where the new-class form returns after creating the class: a roster's
 * preview of this organization (cgi-bin/roster offers to create a class
 * its rows name), or NULL for the class's own page.
 */
static const char *
class_back(struct http_req *r, const char *back)
{
	const char	*prefix, *n;

	if (back == NULL)
		return NULL;
	prefix = pool_printf(r->pool, "/org/%lld/roster/", r->org->id);
	if (strncmp(back, prefix, strlen(prefix)) != 0)
		return NULL;
	n = back + strlen(prefix);
	if (*n < '1' || *n > '9' || strlen(n) > 17 ||
	    strspn(n, "0123456789") != strlen(n))
		return NULL;
	return back;
}

/*
 * GET /org/N/classes/new[?kind=staff]
 *   [?grade=9&letter=Г&title=ФизМат&back=/org/N/roster/ID]
 * Admin.  The "Новый класс" form, set to the current academic year;
 * filled in with a class a roster names, and then returning to the
 * roster's preview once the class is made.
 */
int
class_new(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	const char		*kind = http_query(r, "kind"), *v;
	int			 now, rc;

	if ((rc = current_year(r, a->id, &now)) != 0)
		return rc;
	c = app_ctx(r);
	org_ctx(c, a);
	html_set_str(c, "title", "Новый класс");
	html_set_str(c, "heading", "Новый класс");
	html_set_str(c, "action", pool_printf(r->pool, "/org/%lld/classes",
	    a->id));
	html_set_str(c, "submit", "Создать класс");
	if (kind != NULL && strcmp(kind, "staff") == 0) {
		html_set_str(c, "kind", "staff");
		html_set_str(c, "class_title", STAFF_TITLE);
	} else
		html_set_str(c, "kind", "class");
	html_set_int(c, "year", now);
	html_set_str(c, "color", palette[0].hex);
	/* Filled in from a roster's row (?grade=9&letter=Г&title=...). */
	if ((v = http_query(r, "grade")) != NULL && class_number(v, 2) >= 1)
		html_set_str(c, "grade", v);
	if ((v = http_query(r, "letter")) != NULL)
		html_set_str(c, "letter", v);
	if ((v = http_query(r, "title")) != NULL)
		html_set_str(c, "class_title", v);
	if ((v = class_back(r, http_query(r, "back"))) != NULL)
		html_set_str(c, "back", v);
	class_form_ctx(r, c, now);
	return app_page(r, HTTP_OK, "class_form", c);
}

/*
 * POST /org/N/classes   fields: kind grade letter title year color back
 * Admin.  Creates a class; 303 to /org/N/classes/ID (or to back, a
 * roster's preview of the organization).  Bad fields: 422;
 * the same organization, year, grade, letter and title exists: 409.
 */
int
class_create(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[CLASS__MAX];
	struct html_ctx		*c;
	const char		*org, *back;
	PGresult		*res;
	long long		 id;
	int			 rc, now;

	if ((rc = current_year(r, a->id, &now)) != 0)
		return rc;
	org = pool_printf(r->pool, "%lld", a->id);
	c = app_ctx(r);
	org_ctx(c, a);
	html_set_str(c, "heading", "Новый класс");
	html_set_str(c, "action", pool_printf(r->pool, "/org/%s/classes", org));
	html_set_str(c, "submit", "Создать класс");
	rc = class_form_check(r, c, v);
	/* The form's title field is the class title, not the page's. */
	html_set_str(c, "class_title", v[CLASS_TITLE].value);
	html_set_str(c, "title", "Новый класс");
	if ((back = class_back(r, http_form(r, "back"))) != NULL)
		html_set_str(c, "back", back);
	class_form_ctx(r, c, now);
	if (rc > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "class_form", c);

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = class_lock(r, a->id)) != 0)
		return rc;
	res = db_exec(&q_insert, PGRES_TUPLES_OK, org, v[CLASS_KIND].value,
	    v[CLASS_GRADE].value, v[CLASS_LETTER].value, v[CLASS_TITLE].value,
	    v[CLASS_YEAR].value, v[CLASS_COLOR].value);
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			return app_db_error();
		return class_conflict(r, c, a->id, 0, v);
	}
	id = db_getll(res, 0, "id");
	if ((rc = app_commit(r)) != 0)
		return rc;
	if (back != NULL)
		return app_redirect(r, back);
	return app_redirect(r, pool_printf(r->pool, "/org/%s/classes/%lld",
	    org, id));
}

/*
 * GET /org/N/classes/ID
 * Members (and the operator).  The class: its homeroom teachers,
 * students and subject teachers; for the admin, the forms that assign
 * and take away homeroom and subject teachers; for the admin and the
 * class's homeroom teacher, each student's guardians (lib/guardian),
 * when and how confirmed, with a remove button each.
 */
int
class_show(struct http_req *r)
{
	const struct org_access	*a = r->org;

	return class_page(r, a, r->id[1], HTTP_OK, app_ctx(r));
}

/* The edit form's fixed parts. */
static void
class_edit_ctx(struct http_req *r, struct html_ctx *c,
    const struct org_access *a, long long id)
{
	org_ctx(c, a);
	html_set_bool(c, "editing", 1);
	html_set_int(c, "class_id", id);
	html_set_str(c, "action", pool_printf(r->pool,
	    "/org/%lld/classes/%lld/edit", a->id, id));
	html_set_str(c, "submit", "Сохранить");
}

/*
 * GET /org/N/classes/ID/edit
 * Admin.  The class form with the class's values; for an archived class
 * the box that brings it back, for an open one the way to archive it
 * (on a confirmation page of its own).
 */
int
class_edit_form(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*name;
	int			 now, rc;

	if ((rc = current_year(r, a->id, &now)) != 0)
		return rc;
	if ((res = db_exec(&q_class, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", a->id),
	    pool_printf(r->pool, "%lld", r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	c = app_ctx(r);
	class_edit_ctx(r, c, a, r->id[1]);
	name = db_get(res, 0, "name");
	html_set_str(c, "title", pool_printf(r->pool, "Класс %s", name));
	html_set_str(c, "heading", pool_printf(r->pool, "Класс %s", name));
	app_set_cols(c, res, 0, "kind", "grade", "letter", NULL);
	html_set_str(c, "class_title", db_get(res, 0, "title"));
	html_set_str(c, "year", db_get(res, 0, "year"));
	html_set_str(c, "color", db_get(res, 0, "color"));
	html_set_bool(c, "archived", db_getbool(res, 0, "archived"));
	html_set_bool(c, "in_archive", db_getbool(res, 0, "archived"));
	class_form_ctx(r, c, now);
	return app_page(r, HTTP_OK, "class_form", c);
}

/*
 * The audit words for a class archived or brought back: "9Г (2025/2026)
 * перенесён в архив", "Группа «Солнышко» (2025/2026) возвращена из
 * архива".
 */
static const char *
archive_words(struct pool *p, const char *kind, const char *grade,
    const char *name, const char *year, int archive)
{
	const char	*who;
	int		 group;

	group = strcmp(kind, "class") == 0 && grade[0] == '\0';
	if (strcmp(kind, "staff") == 0)
		who = pool_printf(p, "Учительский класс «%s»", name);
	else if (group)
		who = pool_printf(p, "Группа «%s»", name);
	else
		who = name;
	return pool_printf(p, "%s (%s) %s", who, year_label(p, atoll(year)),
	    archive ? (group ? "перенесена в архив" : "перенесён в архив") :
	    (group ? "возвращена из архива" : "возвращён из архива"));
}

/*
 * POST /org/N/classes/ID/edit   fields: kind grade letter title year
 *                               color archived (1 to archive)
 * Admin.  Changes the class, archives it (it keeps its members and
 * takes no new ones; its chats become read-only) or brings it back (and
 * its chats with it); 303 to /org/N/classes/ID.  Bad fields: 422;
 * another class with the same key: 409.  Archiving and restoring are
 * audited.
 */
int
class_edit(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[CLASS__MAX];
	struct html_ctx		*c;
	const char		*org, *cid, *arch;
	PGresult		*res;
	int			 rc, now, archive, was;

	if ((rc = current_year(r, a->id, &now)) != 0)
		return rc;
	org = pool_printf(r->pool, "%lld", a->id);
	cid = pool_printf(r->pool, "%lld", r->id[1]);
	arch = http_form(r, "archived");
	archive = arch != NULL && strcmp(arch, "1") == 0;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = class_lock(r, a->id)) != 0)
		return rc;
	if ((res = db_exec(&q_class_update_lock, PGRES_TUPLES_OK, org,
	    cid)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	was = db_getbool(res, 0, "archived");

	c = app_ctx(r);
	class_edit_ctx(r, c, a, r->id[1]);
	rc = class_form_check(r, c, v);
	html_set_str(c, "class_title", v[CLASS_TITLE].value);
	html_set_str(c, "title", "Изменение класса");
	html_set_str(c, "heading", "Изменение класса");
	html_set_bool(c, "archived", archive);
	html_set_bool(c, "in_archive", was);
	class_form_ctx(r, c, now);
	if (rc > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "class_form", c);

	res = db_exec(&q_update, PGRES_TUPLES_OK, org, cid,
	    v[CLASS_KIND].value, v[CLASS_GRADE].value, v[CLASS_LETTER].value,
	    v[CLASS_TITLE].value, v[CLASS_YEAR].value, v[CLASS_COLOR].value,
	    archive ? "true" : "false");
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			return app_db_error();
		return class_conflict(r, c, a->id, r->id[1], v);
	}
	if (archive != was && audit_write(a->id, r->user->id, archive ?
	    "class_archive" : "class_restore", 0, archive_words(r->pool,
	    v[CLASS_KIND].value, v[CLASS_GRADE].value, db_get(res, 0, "name"),
	    v[CLASS_YEAR].value, archive)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%s/classes/%s", org,
	    cid));
}

/*
 * GET /org/N/classes/ID/archive
 * Admin (others 403).  Asks to confirm archiving the class, saying what
 * that does; the form posts to the same URL.  Changes nothing.  Not the
 * organization's class: 404; archived already: 409 on the class page.
 */
int
class_archive_confirm(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*name, *year;
	int			 archived;

	if ((res = db_exec(&q_class, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	archived = db_getbool(res, 0, "archived");
	name = db_get(res, 0, "name");
	year = year_label(r->pool, db_getll(res, 0, "year"));
	c = app_ctx(r);
	if (archived) {
		html_set_str(c, "alert", "Класс уже в архиве.");
		return class_page(r, a, r->id[1], HTTP_CONFLICT, c);
	}
	org_ctx(c, a);
	html_set_str(c, "title", pool_printf(r->pool, "Перенести %s (%s) в "
	    "архив?", name, year));
	html_set_str(c, "lead", "Класс и его история сохранятся. После "
	    "переноса в архив:");
	app_confirm_point(c, "класс не будет принимать новых учеников, "
	    "учителей и классных руководителей, а ссылки-приглашения в него "
	    "перестанут работать;");
	app_confirm_point(c, "чаты класса станут только для чтения: "
	    "сообщения останутся, но писать и вступать в них будет нельзя;");
	app_confirm_point(c, "вернуть класс из архива можно на странице его "
	    "изменения; ссылки-приглашения при этом не вернутся.");
	html_set_str(c, "note", "В конце учебного года переносить классы в "
	    "архив по одному не нужно: переход на новый учебный год делает "
	    "это сам.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/classes/%lld/archive", a->id, r->id[1]),
	    "Перенести в архив", pool_printf(r->pool, "/org/%lld/classes/%lld",
	    a->id, r->id[1]));
}

/*
 * POST /org/N/classes/ID/archive
 * Admin (others 403).  Archives the class (as the edit form's archive
 * box does: it keeps its members and takes no new ones, its chats
 * become read-only, its links are revoked); audited.  303 to
 * /org/N/classes/ID.  Not the organization's class: 404; archived
 * already: 409 on the class page.
 */
int
class_archive(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*org, *cid, *words;
	int			 rc;

	org = app_num(r, a->id);
	cid = app_num(r, r->id[1]);
	if (db_begin() == -1)
		return app_db_error();
	if ((rc = class_lock(r, a->id)) != 0)
		return rc;
	if ((res = db_exec(&q_class_update_lock, PGRES_TUPLES_OK, org,
	    cid)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (db_getbool(res, 0, "archived")) {
		c = app_ctx(r);
		html_set_str(c, "alert", "Класс уже в архиве.");
		return class_page(r, a, r->id[1], HTTP_CONFLICT, c);
	}
	words = archive_words(r->pool, db_get(res, 0, "kind"),
	    db_get(res, 0, "grade"), db_get(res, 0, "name"),
	    db_get(res, 0, "year"), 1);
	if ((res = db_exec(&q_archive, PGRES_COMMAND_OK, org, cid)) == NULL)
		return app_db_error();
	if (audit_write(a->id, r->user->id, "class_archive", 0, words) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%s/classes/%s", org,
	    cid));
}
