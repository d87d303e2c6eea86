/*
 * create-class: the move to the next academic year, previewed and then
 * run exactly as the preview showed (main.c).
 */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "crypto.h"
#include "db.h"
#include "org.h"
#include "pool.h"

#include "create-class.h"

/* Whether the rollover of year $2 comes before that year is over
 * (sql/0016_flow.sql): then it asks for one more confirmation. */
static const struct db_stmt q_rollover_early = {
	"class_rollover_early",
	"SELECT parta.rollover_early($1, $2::int) AS early"
};

static const struct db_stmt q_rollover_get = {
	"class_rollover_get",
	"SELECT to_char(r.done_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI')"
	" AS done_at, a.last_name, a.first_name, a.patronymic, r.moved,"
	" r.graduated"
	" FROM parta.class_rollover r"
	" JOIN parta.account a ON a.id = r.done_by"
	" JOIN parta.org o ON o.id = r.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE r.org_id = $1 AND r.from_year = $2"
};

/* The classes a rollover changes, locked against new members and edits
 * until it commits. */
static const struct db_stmt q_rollover_lock = {
	"class_rollover_lock",
	"SELECT id FROM parta.class WHERE org_id = $1 AND year = $2"
	" AND archived_at IS NULL ORDER BY id FOR UPDATE"
};

/*
 * The rollover plan of one year, for the preview and for the rollover
 * itself: each active class of the year with what becomes of it.
 *   graduate  grade 11: archived, nobody moves on
 *   move      a new class of the next year, next grade
 *   merge     that class exists already: its people join it
 *   blocked   that class exists and is archived: nothing can join it
 * moving counts the people carried over (parta.class_carried: students
 * and homeroom teachers, everyone of a staff class, who are still
 * members in a fitting role; subject teachers are not carried); students
 * and homerooms count the same people, for the words of the preview.  A
 * staff class goes into the next year's staff class if there is one
 * (one per year, whatever its title).
 */
static const struct db_stmt q_plan = {
	"class_plan",
	"SELECT c.id, c.kind, coalesce(c.grade::text, '') AS grade, c.letter,"
	" c.title, parta.class_name(c.grade, c.letter, c.title) AS name,"
	" c.color,"
	" CASE WHEN c.kind = 'class' AND c.grade = 11 THEN 'graduate'"
	"  WHEN t.id IS NULL THEN 'move'"
	"  WHEN t.archived_at IS NULL THEN 'merge' ELSE 'blocked' END"
	"  AS action,"
	" coalesce(n.grade::text, '') AS new_grade,"
	" parta.class_name(n.grade, c.letter, coalesce(t.title, c.title))"
	"  AS new_name,"
	" coalesce(t.id::text, '') AS target_id,"
	" w.students, w.homerooms, w.moving"
	" FROM parta.class c"
	" CROSS JOIN LATERAL (SELECT"
	"  count(*) FILTER (WHERE x.role = 'student') AS students,"
	"  count(*) FILTER (WHERE x.role = 'homeroom') AS homerooms,"
	"  count(*) AS moving FROM parta.class_carried(org => c.org_id,"
	"  class_id => c.id, kind => c.kind) x) w"
	" CROSS JOIN LATERAL (SELECT CASE WHEN c.kind = 'class'"
	"  THEN c.grade + 1 ELSE c.grade END AS grade) g"
	" CROSS JOIN LATERAL (SELECT CASE WHEN c.kind = 'class'"
	"  AND c.grade = 11 THEN NULL ELSE g.grade END::smallint AS grade) n"
	" LEFT JOIN parta.class t ON coalesce(c.grade, 0) < 11"
	"  AND t.org_id = c.org_id AND t.year = c.year + 1"
	"  AND CASE WHEN c.kind = 'staff' THEN t.kind = 'staff'"
	"  ELSE t.grade IS NOT DISTINCT FROM g.grade"
	"  AND t.letter = c.letter AND t.title = c.title END"
	" WHERE c.org_id = $1 AND c.year = $2 AND c.archived_at IS NULL"
	" ORDER BY c.kind = 'class', c.grade NULLS LAST, c.letter, c.title,"
	" c.id"
};

/* The class made by a rollover: no unique violation is expected (the
 * plan found no class in its place, under the organization's lock). */
static const struct db_stmt q_rollover_class = {
	"class_rollover_class",
	"INSERT INTO parta.class (org_id, kind, grade, letter, title, year,"
	" color) VALUES ($1, $2, nullif($3, '')::smallint, $4, $5, $6, $7)"
	" RETURNING id"
};

static const struct db_stmt q_copy_members = {
	"class_copy_members",
	"INSERT INTO parta.class_member (org_id, class_id, account_id, role)"
	" SELECT x.org_id, $3, x.account_id, x.role"
	" FROM parta.class_carried(org => $1, class_id => $2, kind => $4) x"
	" ON CONFLICT DO NOTHING"
};

/* The open school classes of a year: where subject teachers are added
 * after a rollover. */
static const struct db_stmt q_year_classes = {
	"class_year_classes",
	"SELECT id, parta.class_name(grade, letter, title) AS name"
	" FROM parta.class WHERE org_id = $1 AND year = $2 AND kind = 'class'"
	" AND archived_at IS NULL"
	" ORDER BY grade NULLS LAST, letter, title, id"
};

static const struct db_stmt q_archive_to = {
	"class_archive_to",
	"UPDATE parta.class SET archived_at = now(),"
	" next_id = nullif($3, '')::bigint WHERE org_id = $1 AND id = $2"
};

static const struct db_stmt q_rollover_insert = {
	"class_rollover_insert",
	"INSERT INTO parta.class_rollover (org_id, from_year, done_by, moved,"
	" graduated) VALUES ($1, $2, $3, $4, $5)"
};

/* The from year of a rollover request into *from: s, 2000..2099, or now
 * when s is NULL (-1: none).  0, or HTTP_BAD_REQUEST. */
static int
rollover_year(const char *s, int now, int *from)
{
	long	 y;

	if (s == NULL)
		y = now;
	else if ((y = class_number(s, 4)) < YEAR_MIN || y >= YEAR_MAX)
		y = -1;
	if (y == -1)
		return HTTP_BAD_REQUEST;
	*from = (int)y;
	return 0;
}

/*
 * The rollover page's plan (q_plan result) into c, and its digest into
 * hex: what the preview shows and what the rollover checks before it
 * runs.  Returns the number of blocked classes.
 */
static int
rollover_plan_ctx(struct http_req *r, struct html_ctx *c,
    const PGresult *res, int from, char hex[2 * CRYPTO_SHA256_LEN + 1])
{
	struct crypto_sha256	 h;
	unsigned char		 d[CRYPTO_SHA256_LEN];
	struct html_ctx		*it;
	const char		*act, *grade, *letter, *title, *line;
	long long		 students, homerooms, moving;
	int			 i, blocked = 0, staff;

	crypto_sha256_init(&h);
	line = pool_printf(r->pool, "%d", from);
	crypto_sha256_update(&h, line, strlen(line) + 1);
	html_list_init(c, "plan");
	for (i = 0; i < PQntuples(res); i++) {
		act = db_get(res, i, "action");
		grade = db_get(res, i, "grade");
		letter = db_get(res, i, "letter");
		title = db_get(res, i, "title");
		students = db_getll(res, i, "students");
		homerooms = db_getll(res, i, "homerooms");
		moving = db_getll(res, i, "moving");
		staff = strcmp(db_get(res, i, "kind"), "staff") == 0;
		/* Form values cannot hold control characters (valid_line),
		 * so \x1f separates fields without ambiguity. */
		line = pool_printf(r->pool, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s"
		    "\x1f%s\x1f%lld", db_get(res, i, "id"), act, grade,
		    db_get(res, i, "new_grade"), letter, title,
		    db_get(res, i, "target_id"), moving);
		crypto_sha256_update(&h, line, strlen(line) + 1);

		it = html_list_add(c, "plan");
		html_set_str(it, "src_id", db_get(res, i, "id"));
		html_set_str(it, "action", act);
		html_set_str(it, "from_name", db_get(res, i, "name"));
		html_set_str(it, "short", class_short(r->pool, grade, letter,
		    title));
		html_set_str(it, "color_class", color_class(r->pool,
		    db_get(res, i, "color")));
		html_set_str(it, "to_name", db_get(res, i, "new_name"));
		html_set_bool(it, "graduate", strcmp(act, "graduate") == 0);
		html_set_bool(it, "merge", strcmp(act, "merge") == 0);
		html_set_bool(it, "blocked", strcmp(act, "blocked") == 0);
		if (strcmp(act, "blocked") == 0)
			blocked++;
		if (staff)
			html_set_str(it, "people", pool_printf(r->pool,
			    "%lld %s", moving, ru_plural(moving, "участник",
			    "участника", "участников")));
		else if (strcmp(act, "graduate") == 0)
			html_set_str(it, "people", pool_printf(r->pool,
			    "%s %s", students_text(r->pool, students),
			    ru_plural(students, "выпускается", "выпускаются",
			    "выпускаются")));
		else
			html_set_str(it, "people", pool_printf(r->pool,
			    "%s%s", students_text(r->pool, students),
			    homerooms == 0 ? "" : homerooms == 1 ?
			    " и классный руководитель" : pool_printf(r->pool,
			    " и %lld %s", homerooms, ru_plural(homerooms,
			    "классный руководитель", "классных руководителя",
			    "классных руководителей"))));
	}
	crypto_sha256_final(&h, d);
	crypto_hex(d, sizeof(d), hex);
	html_set_bool(c, "has_plan", PQntuples(res) > 0);
	html_set_bool(c, "blocked", blocked > 0);
	html_set_str(c, "plan_hash", hex);
	return blocked;
}

/* The rollover page's fixed parts. */
static void
rollover_ctx(struct http_req *r, struct html_ctx *c,
    const struct org_access *a, int from)
{
	org_ctx(c, a);
	html_set_str(c, "title", pool_printf(r->pool, "Переход на %s учебный "
	    "год", year_label(r->pool, from + 1)));
	html_set_int(c, "from_year", from);
	html_set_int(c, "to_year", from + 1);
	html_set_str(c, "from_label", year_label(r->pool, from));
	html_set_str(c, "to_label", year_label(r->pool, from + 1));
}

/*
 * Whether the rollover of academic year from comes early, while that
 * year is still running (parta.rollover_early, sql/0016_flow.sql: the
 * move belongs to June-August): into c as early, so the page asks for
 * one more confirmation, and into *early (1 or 0).  0, or an HTTP
 * status.
 */
int
rollover_early_ctx(struct http_req *r, struct html_ctx *c, long long org,
    int from, int *early)
{
	PGresult	*res;

	if ((res = db_exec(&q_rollover_early, PGRES_TUPLES_OK,
	    app_num(r, org), app_num(r, from))) == NULL)
		return app_db_error();
	*early = PQntuples(res) == 1 && db_getbool(res, 0, "early");
	html_set_bool(c, "early", *early);
	return 0;
}

/* Fill c with a finished rollover of from and the open classes it led to
 * (where subject teachers are added now); *done 1 if there is one, 0 if
 * not.  0, or an HTTP status. */
static int
rollover_done_ctx(struct http_req *r, struct html_ctx *c, long long org,
    int from, int *done)
{
	struct html_ctx	*it;
	PGresult	*res;
	int		 i;

	*done = 0;
	res = db_exec(&q_rollover_get, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", org), pool_printf(r->pool, "%d",
	    from));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return 0;
	html_set_bool(c, "done", 1);
	html_set_str(c, "done_at", db_get(res, 0, "done_at"));
	html_set_str(c, "done_by", person_name(r->pool, res, 0));
	html_set_str(c, "moved", db_get(res, 0, "moved"));
	html_set_str(c, "graduated", db_get(res, 0, "graduated"));

	/* Where subject teachers are added now: each new class's page. */
	res = db_exec(&q_year_classes, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", org), pool_printf(r->pool, "%d",
	    from + 1));
	if (res == NULL)
		return app_db_error();
	html_list_init(c, "new_classes");
	for (i = 0; i < PQntuples(res); i++) {
		it = html_list_add(c, "new_classes");
		html_set_str(it, "id", db_get(res, i, "id"));
		html_set_str(it, "name", db_get(res, i, "name"));
	}
	*done = 1;
	return 0;
}

/*
 * GET /org/N/classes/rollover[?from=YYYY]
 * Admin.  The preview of next year's classes made from the classes of
 * academic year from (default: the current one), and the button that
 * applies it; once applied, what was done.  It says the move belongs to
 * the summer, once the year is over; while year from is still running
 * the form has one more box to tick.  Changes nothing.  A from that is
 * not a year: 400.
 */
int
rollover_preview(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	char			 hex[2 * CRYPTO_SHA256_LEN + 1];
	PGresult		*res;
	int			 rc, now, from, done, early;

	if ((rc = current_year(r, a->id, &now)) != 0 ||
	    (rc = rollover_year(http_query(r, "from"), now, &from)) != 0)
		return rc;
	c = app_ctx(r);
	rollover_ctx(r, c, a, from);
	if ((rc = rollover_done_ctx(r, c, a->id, from, &done)) != 0)
		return rc;
	if (done)
		return app_page(r, HTTP_OK, "class_rollover", c);
	if ((rc = rollover_early_ctx(r, c, a->id, from, &early)) != 0)
		return rc;
	if ((res = db_exec(&q_plan, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", a->id),
	    pool_printf(r->pool, "%d", from))) == NULL)
		return app_db_error();
	rollover_plan_ctx(r, c, res, from, hex);
	return app_page(r, HTTP_OK, "class_rollover", c);
}

/* Carry one planned class over: create or reuse its successor, copy its
 * people there, archive it.  0, or an HTTP status (the transaction is
 * lost). */
static int
rollover_class(struct http_req *r, const char *org, int to,
    const PGresult *plan, int i)
{
	const char	*src = db_get(plan, i, "id");
	const char	*act = db_get(plan, i, "action");
	const char	*target = db_get(plan, i, "target_id");
	PGresult	*res;

	if (strcmp(act, "move") == 0) {
		res = db_exec(&q_rollover_class, PGRES_TUPLES_OK, org,
		    db_get(plan, i, "kind"), db_get(plan, i, "new_grade"),
		    db_get(plan, i, "letter"), db_get(plan, i, "title"),
		    pool_printf(r->pool, "%d", to), db_get(plan, i, "color"));
		if (res == NULL)
			return app_db_error();
		target = pool_strdup(r->pool, db_get(res, 0, "id"));
	}
	if (strcmp(act, "graduate") != 0) {
		res = db_exec(&q_copy_members, PGRES_COMMAND_OK, org, src,
		    target, db_get(plan, i, "kind"));
		if (res == NULL)
			return app_db_error();
	}
	res = db_exec(&q_archive_to, PGRES_COMMAND_OK, org, src,
	    strcmp(act, "graduate") == 0 ? "" : target);
	if (res == NULL)
		return app_db_error();
	return 0;
}

/*
 * POST /org/N/classes/rollover   fields: from plan
 * Admin.  In one transaction: every active class of year from moves to
 * the next grade of year from+1 with its students and homeroom teachers
 * (a staff class with everyone), the 11th grade graduates, and every
 * class of year from is archived.  303 to the rollover's page
 * /org/N/classes/rollover?from=YYYY.  Already done for that year: 409;
 * the classes changed since the preview (plan is its digest), or a
 * successor class is archived: 409 with the new preview; no classes:
 * 422; year from still running (before June of from + 1) and the field
 * early=1 missing: 422 with the message by that box; from not a year:
 * 400.
 */
int
rollover_apply(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	char			 hex[2 * CRYPTO_SHA256_LEN + 1];
	const char		*org, *year, *plan_in, *early_in;
	PGresult		*res;
	int			 rc, from, i, moved = 0, graduated = 0, early;
	int			 done;

	if ((rc = rollover_year(http_form(r, "from"), -1, &from)) != 0)
		return rc;
	plan_in = http_form(r, "plan");
	early_in = http_form(r, "early");
	org = pool_printf(r->pool, "%lld", a->id);
	year = pool_printf(r->pool, "%d", from);
	c = app_ctx(r);
	rollover_ctx(r, c, a, from);

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = class_lock(r, a->id)) != 0 ||
	    (rc = rollover_done_ctx(r, c, a->id, from, &done)) != 0)
		return rc;
	if (done) {
		html_set_str(c, "alert", pool_printf(r->pool, "Переход с %s "
		    "учебного года уже выполнен. Повторить его нельзя.",
		    year_label(r->pool, from)));
		return app_page(r, HTTP_CONFLICT, "class_rollover", c);
	}
	if ((rc = rollover_early_ctx(r, c, a->id, from, &early)) != 0)
		return rc;
	html_set_bool(c, "early_checked", early_in != NULL &&
	    strcmp(early_in, "1") == 0);
	if ((res = db_exec(&q_rollover_lock, PGRES_TUPLES_OK, org,
	    year)) == NULL)
		return app_db_error();
	if ((res = db_exec(&q_plan, PGRES_TUPLES_OK, org, year)) == NULL)
		return app_db_error();
	if (rollover_plan_ctx(r, c, res, from, hex) > 0) {
		html_set_str(c, "alert", "Перевести классы нельзя: некоторые "
		    "классы следующего года в архиве (отмечены ниже).");
		return app_page(r, HTTP_CONFLICT, "class_rollover", c);
	}
	if (PQntuples(res) == 0) {
		html_set_str(c, "alert", pool_printf(r->pool, "В %s учебном "
		    "году нет действующих классов: переводить некого.",
		    year_label(r->pool, from)));
		return app_page(r, HTTP_UNPROCESSABLE, "class_rollover", c);
	}
	if (plan_in == NULL || !crypto_equal(plan_in, hex)) {
		html_set_str(c, "alert", "Классы изменились, пока вы смотрели "
		    "план. Проверьте новый план и переведите ещё раз.");
		return app_page(r, HTTP_CONFLICT, "class_rollover", c);
	}
	if (early && (early_in == NULL || strcmp(early_in, "1") != 0)) {
		html_set_str(c, "early_error", pool_printf(r->pool, "Учебный "
		    "год %s ещё идёт. Если классы всё равно нужно перевести "
		    "сейчас, отметьте это поле.", year_label(r->pool, from)));
		return app_page(r, HTTP_UNPROCESSABLE, "class_rollover", c);
	}
	for (i = 0; i < PQntuples(res); i++) {
		if ((rc = rollover_class(r, org, from + 1, res, i)) != 0)
			return rc;
		if (strcmp(db_get(res, i, "action"), "graduate") == 0)
			graduated++;
		else
			moved++;
	}
	res = db_exec(&q_rollover_insert, PGRES_COMMAND_OK, org, year,
	    pool_printf(r->pool, "%lld", r->user->id),
	    pool_printf(r->pool, "%d", moved),
	    pool_printf(r->pool, "%d", graduated));
	if (res == NULL)
		return app_db_error();
	if (audit_write(a->id, r->user->id, "class_rollover", 0,
	    pool_printf(r->pool, "Классы %s переведены в %s учебный год: "
	    "переведено — %d, выпущено — %d", year_label(r->pool, from),
	    year_label(r->pool, from + 1), moved, graduated)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%s/classes/rollover?from=%d", org, from));
}
