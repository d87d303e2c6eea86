/*
 * roster: one roster — its preview (every row and what will happen to
 * it, or after the apply what became of it), the apply, and its CSV
 * (cgi-bin/roster/main.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "http.h"
#include "member.h"
#include "roster.h"
#include "rosters.h"

#define ROWS_PAGE	500	/* rows of the table on one page */
#define CLASSES_SHOWN	60	/* missing classes offered for creation */

/*
 * The roster, whether the person may see it (parta.roster_visible),
 * whether it is applied but no longer in force (nobody holds the right
 * it accepts with: parta.roster_authority), and the earliest roster of
 * the organization made from the same file before it that the person
 * may see.
 */
static const struct db_stmt q_roster = {
	"roster_head",
	"SELECT r.id, r.file_name, r.row_count,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" parta.local_time(r.created_at, $4) AS created,"
	" parta.person_name(r.created_by) AS creator,"
	" r.applied_at IS NOT NULL AS applied,"
	" coalesce(parta.local_time(r.applied_at, $4), '') AS applied_on,"
	" coalesce(parta.person_name(r.applied_by), '') AS applier,"
	" r.applied_at IS NOT NULL"
	"  AND parta.roster_authority(r.org_id, r.id) IS NULL AS off,"
	" v.visible,"
	" coalesce(s.id::text, '') AS same_id,"
	" coalesce(parta.local_time(s.created_at, $4), '') AS same_created,"
	" s.applied_at IS NOT NULL AS same_applied"
	" FROM parta.roster r"
	" LEFT JOIN parta.class c ON c.org_id = r.org_id AND c.id = r.class_id"
	" CROSS JOIN LATERAL parta.roster_visible(org => r.org_id,"
	"  viewer => $2, viewer_admin => $3, roster_class => r.class_id) v"
	" LEFT JOIN LATERAL (SELECT o.id, o.created_at, o.applied_at"
	"  FROM parta.roster o"
	"  CROSS JOIN LATERAL parta.roster_visible(org => o.org_id,"
	"   viewer => $2, viewer_admin => $3, roster_class => o.class_id) ov"
	"  WHERE o.org_id = r.org_id AND o.file_hash = r.file_hash"
	"  AND (o.created_at, o.id) < (r.created_at, r.id) AND ov.visible"
	"  ORDER BY o.created_at, o.id LIMIT 1) s ON true"
	" WHERE r.org_id = $1 AND r.id = $5"
};

/*
 * Every row with its outcome, as parta.roster_preview computes it now
 * (before the apply: what will happen; after: the row's state;
 * computed once, whatever shape the planner would give the function
 * inlined into the joins), the
 * class it names (resolved, or as it would be named), and what has
 * happened since: a personal link made or sent, an application like it
 * waiting in the queue.
 */
static const struct db_stmt q_rows = {
	"roster_rows",
	"WITH p AS MATERIALIZED (SELECT * FROM parta.roster_preview($1, $2))"
	" SELECT w.line, w.last_name, w.first_name, w.patronymic,"
	" parta.full_name(w.last_name, w.first_name, w.patronymic) AS name,"
	" w.role, w.class_text, w.grade, w.letter, w.title,"
	" parta.class_name(w.grade, w.letter, w.title) AS wanted,"
	" coalesce(w.phone, '') AS phone, coalesce(w.email, '') AS email,"
	" coalesce(to_char(w.birth_date, 'DD.MM.YYYY'), '') AS birth,"
	" coalesce(w.error, '') AS error, p.outcome,"
	" coalesce(parta.class_name(c.grade, c.letter, c.title), '')"
	"  AS class_name,"
	" coalesce(p.dup_line, 0) AS dup_line,"
	" w.invite_id IS NOT NULL AS has_link,"
	" coalesce(parta.local_time(w.link_sent_at, $3), '') AS link_sent,"
	" q.line IS NOT NULL AS pending"
	" FROM parta.roster_row w"
	" JOIN p ON p.line = w.line"
	" LEFT JOIN parta.class c ON c.org_id = w.org_id AND c.id = p.class_id"
	" LEFT JOIN (SELECT DISTINCT a.roster_line AS line"
	"  FROM parta.application a WHERE a.org_id = $1 AND a.roster_id = $2"
	"  AND a.status = 'pending') q ON q.line = w.line"
	" WHERE w.org_id = $1 AND w.roster_id = $2 ORDER BY w.line"
};

/*
 * What a row's outcome is called: on the counts (label, with the count
 * before it), on the row (what happens to it) and in the CSV.  The
 * outcomes are parta.roster_preview's.
 */
struct outcome {
	const char	*code;
	const char	*label;
	const char	*row;
	int		 pick;		/* may be applied */
	int		 problem;	/* needs the person's attention */
};

static const struct outcome outcomes[] = {
	{ "application", "есть заявка: примем при применении",
	    "Есть заявка — будет принята", 1, 0 },
	{ "new", "примем, когда подадут заявку",
	    "Примем, когда подаст заявку", 1, 0 },
	{ "member", "уже в организации: без изменений",
	    "Уже в организации — без изменений", 1, 0 },
	{ "duplicate", "повторы: пропустим", "Повтор — пропустим", 0, 0 },
	{ "barred", "исключены из школы: не примем, пока не снят запрет",
	    "Исключён(а) из школы — не примем, пока не снят запрет", 0, 1 },
	{ "class", "нет такого класса", "Нет такого класса", 0, 1 },
	/* 'class' of a row naming none (a file without the column, no
	 * class chosen on the upload form): nothing to create. */
	{ "noclass", "класс не указан", "Не указан класс", 0, 1 },
	{ "forbidden", "нельзя добавить по этому списку",
	    "Нельзя добавить по этому списку", 0, 1 },
	{ "error", "ошибки в строке", "Ошибка в строке", 0, 1 },
	{ "joined", "в организации", "В организации", 0, 0 },
	{ "expected", "ждём их заявки", "Ждём заявку", 0, 0 },
	{ "skipped", "не применены", "Не применена", 0, 0 },
};
#define NOUTCOME	(sizeof(outcomes) / sizeof(outcomes[0]))

static const struct outcome *
outcome_of(const char *code)
{
	size_t	 i;

	for (i = 0; i < NOUTCOME; i++)
		if (strcmp(outcomes[i].code, code) == 0)
			return &outcomes[i];
	return NULL;
}

/* The outcome of row i of res (q_rows), as the page tells it. */
static const struct outcome *
row_outcome(const PGresult *res, int i)
{
	const char	*code = db_get(res, i, "outcome");

	if (strcmp(code, "class") == 0 && *db_get(res, i, "wanted") == '\0')
		code = "noclass";
	return outcome_of(code);
}

/* Who may see roster r->id[1], and its facts into c (applied into
 * *applied): 0, or an HTTP status.  *tz gets the organization's time
 * zone. */
static int
roster_head(struct http_req *r, struct html_ctx *c, const char **tz,
    int *applied)
{
	PGresult	*res;
	int		 rc;

	if ((rc = roster_tz(r, tz)) != 0)
		return rc;
	res = db_exec(&q_roster, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), r->org->is_admin ? "t" : "f", *tz,
	    app_num(r, r->id[1]));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "visible"))
		return HTTP_FORBIDDEN;
	app_set_cols(c, res, 0, "file_name", "row_count", "class_name",
	    "created", "creator", "applied_on", "applier", "same_id",
	    "same_created", NULL);
	html_set_int(c, "roster_id", r->id[1]);
	*applied = db_getbool(res, 0, "applied");
	html_set_bool(c, "applied", *applied);
	html_set_bool(c, "off", db_getbool(res, 0, "off"));
	html_set_bool(c, "same_applied", db_getbool(res, 0, "same_applied"));
	return 0;
}

/* What happens to row i of res, in words: the outcome and its detail. */
static const char *
row_words(struct http_req *r, const PGresult *res, int i,
    const struct outcome *o)
{
	const char	*code = o != NULL ? o->code : db_get(res, i, "outcome");
	long long	 dup = db_getll(res, i, "dup_line");

	if (o == NULL)
		return code;
	if (strcmp(code, "error") == 0 || (strcmp(code, "skipped") == 0 &&
	    *db_get(res, i, "error") != '\0'))
		return pool_printf(r->pool, "%s: %s", o->row,
		    db_get(res, i, "error"));
	if (strcmp(code, "duplicate") == 0)
		return dup > 0 ? pool_printf(r->pool, "Повтор строки %lld — "
		    "пропустим", dup) : "Уже есть в другом списке — пропустим";
	if (strcmp(code, "class") == 0)
		return pool_printf(r->pool, "Нет класса «%s» — создайте его",
		    db_get(res, i, "wanted"));
	if (strcmp(code, "noclass") == 0)
		return "Не указан класс: в файле нет класса, и при загрузке "
		    "он не выбран. Загрузите файл снова, выбрав класс в поле "
		    "«Класс», или добавьте в файл столбец «Класс»";
	if (strcmp(code, "forbidden") == 0 && !r->org->is_admin &&
	    strcmp(db_get(res, i, "role"), "teacher") == 0)
		return "Пропустим: учителей добавляет администратор школы, "
		    "а по списку класса принимаются только ученики";
	if (strcmp(code, "forbidden") == 0 && !r->org->is_admin)
		return "Пропустим: это не ваш класс — по своему списку "
		    "классный руководитель добавляет только учеников своего "
		    "класса";
	if (strcmp(code, "expected") == 0) {
		if (db_getbool(res, i, "pending"))
			return "Есть похожая заявка — ждёт решения";
		if (*db_get(res, i, "link_sent") != '\0')
			return pool_printf(r->pool, "Ждём заявку; ссылка "
			    "отправлена %s", db_get(res, i, "link_sent"));
		if (db_getbool(res, i, "has_link"))
			return "Ждём заявку; личная ссылка напечатана";
	}
	return o->row;
}

/* The class of row i as the page shows it: the class it names, else
 * the name it would have, else the cell as written.  A row that may
 * not be added shows only a class its file named (not the roster's:
 * «Учитель · 9Б» would read as a teacher of 9Б). */
static const char *
class_shown(const PGresult *res, int i)
{
	if (strcmp(db_get(res, i, "outcome"), "forbidden") == 0 &&
	    *db_get(res, i, "class_text") == '\0')
		return "";
	if (*db_get(res, i, "class_name") != '\0')
		return db_get(res, i, "class_name");
	if (*db_get(res, i, "wanted") != '\0')
		return db_get(res, i, "wanted");
	return db_get(res, i, "class_text");
}

/* Missing classes offered for creation, each once (the names so far in
 * seen, *n of them). */
static void
missing_class(struct http_req *r, struct html_ctx *c, const PGresult *res,
    int i, const char **seen, int *n)
{
	struct html_ctx	*it;
	const char	*wanted = db_get(res, i, "wanted");
	int		 k;

	for (k = 0; k < *n; k++)
		if (strcmp(seen[k], wanted) == 0)
			return;
	if (*n >= CLASSES_SHOWN || *wanted == '\0')
		return;
	seen[(*n)++] = wanted;
	it = html_list_add(c, "missing");
	html_set_str(it, "wanted", wanted);
	/* The create-class form, filled in, returns here. */
	html_set_str(it, "create_href", pool_printf(r->pool,
	    "/org/%lld/classes/new?grade=%s&letter=%s&title=%s&back=%s",
	    r->id[0], db_get(res, i, "grade"),
	    http_urlencode(r->pool, db_get(res, i, "letter")),
	    http_urlencode(r->pool, db_get(res, i, "title")),
	    http_urlencode(r->pool, pool_printf(r->pool,
	    "/org/%lld/roster/%lld", r->id[0], r->id[1]))));
}

/* The outcome to show only (?show=), or NULL for every row. */
static const struct outcome *
shown_outcome(struct http_req *r)
{
	const char	*s = http_query(r, "show");

	return s != NULL ? outcome_of(s) : NULL;
}

/* The page of rows asked for (?page=), from 1. */
static long long
page_asked(struct http_req *r)
{
	const char	*p = http_query(r, "page");

	if (p != NULL && *p != '\0' && strlen(p) <= 4 &&
	    strspn(p, "0123456789") == strlen(p) && atoll(p) >= 1)
		return atoll(p);
	return 1;
}

/*
 * The rows into c: counts by outcome, the rows of the page asked for
 * (all, or one outcome's), the missing classes, whether any may be
 * applied.  0, or an HTTP status.
 */
static int
rows_ctx(struct http_req *r, struct html_ctx *c, const char *tz,
    int applied)
{
	const struct outcome	*o, *only = shown_outcome(r);
	const char		*seen[CLASSES_SHOWN];
	struct html_ctx		*it;
	PGresult		*res;
	long long		 count[NOUTCOME] = { 0 }, page = page_asked(r);
	long long		 matching = 0, from = (page - 1) * ROWS_PAGE;
	int			 i, n, nmissing = 0, pickable = 0;
	long long		 other_dups = 0;
	size_t			 k;

	res = db_exec(&q_rows, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), tz);
	if (res == NULL)
		return app_db_error();
	n = PQntuples(res);
	html_list_init(c, "rows");
	html_list_init(c, "missing");
	for (i = 0; i < n; i++) {
		o = row_outcome(res, i);
		/* Duplicates of another roster's people (not of a line). */
		if (o != NULL && strcmp(o->code, "duplicate") == 0 &&
		    db_getll(res, i, "dup_line") == 0)
			other_dups++;
		if (o != NULL) {
			count[o - outcomes]++;
			pickable += o->pick;
			if (strcmp(o->code, "class") == 0)
				missing_class(r, c, res, i, seen, &nmissing);
		}
		if (only != NULL && o != only)
			continue;
		if (matching++ < from || matching > from + ROWS_PAGE)
			continue;
		it = html_list_add(c, "rows");
		app_set_cols(it, res, i, "line", "name", "phone", "email",
		    "birth", NULL);
		html_set_str(it, "role_name", org_role_name(db_get(res, i,
		    "role")));
		html_set_str(it, "class_shown", class_shown(res, i));
		html_set_str(it, "outcome", o != NULL ? o->code : "");
		html_set_str(it, "what", row_words(r, res, i, o));
		html_set_bool(it, "pick", !applied && o != NULL && o->pick);
		html_set_bool(it, "problem", o != NULL && o->problem);
	}
	html_list_init(c, "counts");
	for (k = 0; k < NOUTCOME; k++) {
		if (count[k] == 0)
			continue;
		it = html_list_add(c, "counts");
		html_set_int(it, "n", count[k]);
		html_set_str(it, "label", outcomes[k].label);
		html_set_str(it, "code", outcomes[k].code);
		html_set_bool(it, "current", only == &outcomes[k]);
		html_set_bool(it, "problem", outcomes[k].problem);
	}
	html_set_int(c, "pickable", pickable);
	html_set_bool(c, "can_apply", !applied && pickable > 0);
	html_set_bool(c, "none_to_apply", !applied && pickable == 0);
	html_set_bool(c, "has_expected", count[outcome_of("expected") -
	    outcomes] > 0);
	html_set_bool(c, "has_missing", nmissing > 0);
	k = (size_t)(outcome_of("noclass") - outcomes);
	html_set_bool(c, "has_noclass", count[k] > 0);
	html_set_int(c, "noclass", count[k]);
	html_set_bool(c, "has_other_dups", other_dups > 0);
	html_set_int(c, "other_dups", other_dups);
	if (only != NULL) {
		html_set_str(c, "show", only->code);
		html_set_str(c, "show_label", only->label);
	}
	html_set_int(c, "shown", matching);
	if (page > 1)
		html_set_int(c, "prev_page", page - 1);
	if (matching > from + ROWS_PAGE)
		html_set_int(c, "next_page", page + 1);
	if (matching > ROWS_PAGE) {
		html_set_int(c, "page_from", from + 1);
		html_set_int(c, "page_to", matching < from + ROWS_PAGE ?
		    matching : from + ROWS_PAGE);
	}
	return 0;
}

/* The roster's page with status; c may hold an error of the apply. */
static int
show_page(struct http_req *r, struct html_ctx *c, int status)
{
	const char	*tz;
	int		 applied, rc;

	if ((rc = roster_head(r, c, &tz, &applied)) != 0 ||
	    (rc = rows_ctx(r, c, tz, applied)) != 0)
		return rc;
	org_ctx(c, r->org);
	html_set_str(c, "title", pool_printf(r->pool, "Список №%lld",
	    r->id[1]));
	html_set_bool(c, "done", http_query(r, "done") != NULL);
	return app_page(r, status, "roster_show", c);
}

/*
 * GET /org/N/roster/ID[?show=OUTCOME][&page=P]
 * Admin, or the homeroom teacher of the roster's class (else 403).
 * Before the apply, the preview: how many rows will do what, every row
 * with what will happen to it and its error, the classes missing (the
 * admin gets a button to create each), and the apply form.  After it,
 * each row's state, and the way to personal links for the people
 * expected (the invite program's roster form).  Changes nothing.
 */
int
roster_show(struct http_req *r)
{
	return show_page(r, app_ctx(r), HTTP_OK);
}

/* The lines the form chose ("{2,5,9}") into *lines, NULL for none
 * sent: 0, or 1 when one is not a line number. */
static int
lines_chosen(struct http_req *r, const char **lines)
{
	char		 v[VALID_MAX];
	struct buf	 b;
	size_t		 i, n = 0;
	int		 bad = 0;

	buf_init(&b);
	buf_puts(&b, "{");
	for (i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, "id") != 0)
			continue;
		if (valid_uint(r->form.v[i].val, v, sizeof(v)) != NULL ||
		    atoll(v) > 100000) {
			bad = 1;
			break;
		}
		buf_printf(&b, "%s%s", n++ ? "," : "", v);
	}
	buf_puts(&b, "}");
	*lines = n > 0 ? pool_strdup(r->pool, b.data) : NULL;
	buf_free(&b);
	return bad;
}

/* The apply refused with a message on the roster's page. */
static int
apply_refused(struct http_req *r, int status, const char *msg)
{
	struct html_ctx	*c = app_ctx(r);

	app_rollback();
	html_set_str(c, "apply_error", msg);
	return show_page(r, c, status);
}

/*
 * POST /org/N/roster/ID/apply  id (repeated: the lines to apply; none:
 * every valid row) only (set by the "only the ticked rows" button, so
 * that ticking nothing is an error rather than everything) all (set by
 * the "every valid row" button: the ticked boxes, which the form sends
 * with it, are then left aside)
 * Admin, or the homeroom teacher of the roster's class.  Applies the
 * roster in one transaction (parta.roster_apply through lib/member):
 * matching pending applications are accepted into their rows' classes,
 * the other rows become expected people, the audit says so; 303 back
 * to the roster.  Applied already (also by a concurrent request) 409;
 * rows of another line or no line chosen, or none of the rows chosen
 * (of all: none) can be applied 422, the roster left a draft.
 */
int
roster_apply_post(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*lines, *tz;
	int		 applied, rc;

	/* The roster must exist and be the person's to see first. */
	if ((rc = roster_head(r, c, &tz, &applied)) != 0)
		return rc;
	if (lines_chosen(r, &lines))
		return apply_refused(r, HTTP_UNPROCESSABLE, "Отметьте строки "
		    "из списка ниже");
	/* The "all" button sends the ticked boxes too: they do not count. */
	if (http_form(r, "all") != NULL)
		lines = NULL;
	if (lines == NULL && http_form(r, "only") != NULL)
		return apply_refused(r, HTTP_UNPROCESSABLE, "Отметьте строки, "
		    "которые применить, или нажмите «Применить все "
		    "подходящие строки»");
	if (db_begin() == -1)
		return app_db_error();
	switch ((rc = member_roster_apply(r->id[0], r->id[1], r->user->id,
	    lines))) {
	case MEMBER_OK:
		break;
	case MEMBER_DECIDED:
		return apply_refused(r, HTTP_CONFLICT, "Этот список уже "
		    "применён: второй раз применить его нельзя. Ниже — что "
		    "стало с каждой строкой.");
	case MEMBER_NOTHING:
		return apply_refused(r, HTTP_UNPROCESSABLE, lines != NULL ?
		    "Ни одна из отмеченных строк не может быть применена" :
		    "В списке нет строк, которые можно применить");
	default:
		return member_http_status(rc);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/roster/%lld?done=1", r->id[0], r->id[1]));
}

/* A row's state in the export, in words. */
static const char *
csv_state(struct http_req *r, const PGresult *res, int i, int applied)
{
	const struct outcome	*o;
	const char		*code = db_get(res, i, "outcome");

	o = row_outcome(res, i);
	if (!applied)
		return pool_printf(r->pool, "Список не применён: %s",
		    row_words(r, res, i, o));
	if (strcmp(code, "expected") == 0 && db_getbool(res, i, "pending"))
		return "Подана заявка, ждёт решения";
	if (strcmp(code, "expected") == 0 && *db_get(res, i, "link_sent"))
		return pool_printf(r->pool, "Ожидается; ссылка отправлена %s",
		    db_get(res, i, "link_sent"));
	if (strcmp(code, "expected") == 0 && db_getbool(res, i, "has_link"))
		return "Ожидается; личная ссылка выдана";
	if (strcmp(code, "expected") == 0)
		return "Ожидается";
	return row_words(r, res, i, o);
}

/*
 * GET /org/N/roster/ID.csv
 * As the roster's page.  Every row as uploaded, with its state (joined,
 * a similar application waiting, expected, link made or sent, not
 * applied and why) for the school's records: UTF-8 with BOM, ';'
 * (lib/csv).
 */
int
roster_csv(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	struct csv	 csv;
	PGresult	*res;
	const char	*tz;
	int		 applied, i, rc;

	if ((rc = roster_head(r, c, &tz, &applied)) != 0)
		return rc;
	res = db_exec(&q_rows, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), tz);
	if (res == NULL)
		return app_db_error();
	app_csv(r, &csv, pool_printf(r->pool, "parta-roster-%lld.csv",
	    r->id[1]));
	csv_row(&csv, "Строка", "Фамилия", "Имя", "Отчество", "Роль",
	    "Класс", "Телефон", "Почта", "Дата рождения", "Состояние", NULL);
	for (i = 0; i < PQntuples(res); i++)
		csv_row(&csv, db_get(res, i, "line"),
		    db_get(res, i, "last_name"), db_get(res, i, "first_name"),
		    db_get(res, i, "patronymic"),
		    org_role_name(db_get(res, i, "role")),
		    class_shown(res, i),
		    db_get(res, i, "phone"), db_get(res, i, "email"),
		    db_get(res, i, "birth"), csv_state(r, res, i, applied),
		    NULL);
	return 0;
}
