/*
 * events: an organization's events and a person's calendar feed.
 *
 * An administrator makes the school's events and events of any class; a
 * teacher makes events for the classes they lead or teach.  Each event
 * has a title, a start and an end (as an HTML datetime-local field
 * sends them, in the organization's zone: its region's tz), a place, an
 * optional class and an audience (everyone, students, parents, staff).
 * Who may make or change which event, whom an event reaches and how many
 * events a person makes a day are said once, in sql/0035_events.sql:
 * the trigger there refuses what this program would let through by
 * mistake.  Changes and cancellations are audited (lib/audit).
 *
 * The members' home pages show the week's events (lib/event); a
 * guardian, who is no member, sees their child's events there and opens
 * each event's page, which is why that one route carries no role flag:
 * its handler asks the database who may see the event (404 to anyone
 * else outside the organization, 403 inside).
 *
 * The calendar feed, /me/calendar.ics?key=TOKEN, is written with libical
 * (never by hand): a calendar app asks without a session, and the key is
 * the right to read the person's events.  Its token is derived from a
 * random salt under the server's secret, as links are (lib/crypto,
 * CRYPTO_LINK_CALENDAR), so /me/calendar shows the address again; only
 * SHA-256 of the token is looked up, and revoking deletes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "org.h"
#include "pager.h"
#include "pool.h"

static int	events_list(struct http_req *);
static int	event_create(struct http_req *);
static int	event_show(struct http_req *);
static int	event_edit(struct http_req *);
static int	event_cancel_confirm(struct http_req *);
static int	event_cancel(struct http_req *);
static int	calendar_page(struct http_req *);
static int	calendar_make(struct http_req *);
static int	calendar_revoke(struct http_req *);
static int	calendar_feed(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_ORG | APP_ONE_TRIP, "/org/{n}/events",
	    events_list },
	{ APP_POST | APP_LOGIN | APP_STAFF, "/org/{n}/events", event_create },
	/* Members and guardians: the handler decides (above). */
	{ APP_GET | APP_LOGIN | APP_GUEST, "/org/{n}/events/{n}",
	    event_show },
	{ APP_POST | APP_LOGIN | APP_STAFF, "/org/{n}/events/{n}/edit",
	    event_edit },
	{ APP_GET | APP_LOGIN | APP_STAFF, "/org/{n}/events/{n}/cancel",
	    event_cancel_confirm },
	{ APP_POST | APP_LOGIN | APP_STAFF, "/org/{n}/events/{n}/cancel",
	    event_cancel },
	{ APP_GET | APP_LOGIN, "/me/calendar", calendar_page },
	{ APP_POST | APP_LOGIN, "/me/calendar", calendar_make },
	{ APP_POST | APP_LOGIN, "/me/calendar/revoke", calendar_revoke },
	{ APP_GET, "/me/calendar.ics", calendar_feed },
};

#define EVENT_TEXT_MAX	200	/* characters of a title or a place */

static const char *valid_event_text(const char *, char *, size_t);
static const char *valid_local_time(const char *, char *, size_t);
static const char *valid_audience(const char *, char *, size_t);

enum event_key {
	EV_TITLE, EV_STARTS, EV_ENDS, EV_PLACE, EV_CLASS, EV_AUDIENCE, EV__MAX
};

/* The chosen audience shows as its checked radio button
 * (html keys unread: audience). */
static const struct valid_field event_fields[EV__MAX] = {
	{ "title", valid_event_text, 1 },	/* EV_TITLE */
	{ "starts_at", valid_local_time, 1 },	/* EV_STARTS */
	{ "ends_at", valid_local_time, 1 },	/* EV_ENDS */
	{ "place", valid_event_text, 0 },	/* EV_PLACE */
	{ "class_id", valid_uint, 0 },		/* EV_CLASS */
	{ "audience", valid_audience, 1 },	/* EV_AUDIENCE */
};

/* Whom an event is for, in the order the form offers them. */
static const struct {
	const char	*value;
	const char	*name;		/* the form's choice */
	const char	*words;		/* the event's page: «Для кого» */
} audiences[] = {
	{ "all", "Все: ученики, родители и учителя",
	    "ученики, родители и учителя" },
	{ "students", "Ученики (и учителя)", "ученики и учителя" },
	{ "parents", "Родители (и учителя)", "родители и учителя" },
	{ "staff", "Только учителя", "только учителя" },
};
#define AUDIENCE_N	(sizeof(audiences) / sizeof(audiences[0]))

/* The classes of organization $1 the request's account may make events
 * for.  This statement, q_zone and q_list read for the request's account
 * (parta.rls_account()): the list page sends them with the session's
 * lookup (APP_ONE_TRIP). */
static const struct db_stmt q_classes = {
	"events_classes",
	"SELECT id, class_name FROM parta.event_classes($1,"
	" parta.rls_account())"
};

/* The organization's zone in the words of the form: «школы, МСК+7». */
static const struct db_stmt q_zone = {
	"events_zone",
	"SELECT 'школы, МСК' || coalesce(to_char(nullif(round(extract(epoch"
	" FROM (now() AT TIME ZONE r.tz) - (now() AT TIME ZONE"
	" 'Europe/Moscow')) / 3600)::int, 0), 'FMSG999'), '') AS words"
	" FROM parta.org o JOIN parta.region r ON r.code = o.region"
	" WHERE o.id = $1"
};

/* The wall-clock times of the form as instants of the organization's
 * zone, and whether the end is after the start, within 31 days, and
 * still to come. */
static const struct db_stmt q_times = {
	"events_times",
	"SELECT e > s AS ordered, e - s <= interval '31 days' AS short,"
	" e > now() AS coming"
	" FROM (SELECT parta.event_local_ts($1, $2) AS s,"
	" parta.event_local_ts($1, $3) AS e) t"
};

static const struct db_stmt q_insert = {
	"events_insert",
	"INSERT INTO parta.event (org_id, class_id, title, place, starts_at,"
	" ends_at, audience, created_by)"
	" VALUES ($1, $2, $3, $4, parta.event_local_ts($1, $5),"
	" parta.event_local_ts($1, $6), $7, $8) RETURNING id,"
	" parta.local_time(starts_at, (SELECT r.tz FROM parta.org o"
	"  JOIN parta.region r ON r.code = o.region WHERE o.id = $1)) AS at",
	"PA403 PA429"
};

/* Upcoming events of organization $1 the request's account may see (all
 * of them for its administrator and the operator), a page of them:
 * those after event $2 (NULL: from the first) in the order of the list,
 * one more than a page to tell whether there is a next; none lasts over
 * 31 days, which bounds the index's range. */
static const struct db_stmt q_list = {
	"events_list",
	"SELECT e.id, e.title, e.place, parta.event_when(e.starts_at,"
	" e.ends_at, r.tz) AS when_text,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" e.cancelled_at IS NOT NULL AS cancelled"
	" FROM parta.event e JOIN parta.org o ON o.id = e.org_id"
	" JOIN parta.region r ON r.code = o.region"
	" LEFT JOIN parta.class k ON k.org_id = e.org_id AND k.id = e.class_id"
	" WHERE e.org_id = $1 AND e.ends_at > now()"
	" AND e.starts_at > now() - interval '31 days'"
	" AND (parta.rls_operator() IS TRUE OR EXISTS (SELECT 1"
	"  FROM parta.viewer_role($1) v WHERE v.role = 'admin')"
	"  OR parta.event_visible(e.org_id, e.class_id,"
	"  e.audience, e.created_by, parta.rls_account()))"
	" AND ($2::bigint IS NULL OR (e.starts_at, e.id) > (SELECT"
	"  a.starts_at, a.id FROM parta.event a WHERE a.org_id = $1"
	"  AND a.id = $2))"
	" ORDER BY e.starts_at, e.id LIMIT 51"
};

/* One event with what its page shows, whether the person ($3) may see
 * and change it, and its times for the edit form. */
static const struct db_stmt q_event = {
	"events_get",
	"SELECT e.title, e.place, e.audience,"
	" coalesce(e.class_id::text, '') AS class_id,"
	" parta.event_when(e.starts_at, e.ends_at, r.tz) AS when_text,"
	" to_char(e.starts_at AT TIME ZONE r.tz, 'YYYY-MM-DD\"T\"HH24:MI')"
	"  AS starts_local,"
	" to_char(e.ends_at AT TIME ZONE r.tz, 'YYYY-MM-DD\"T\"HH24:MI')"
	"  AS ends_local,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" o.short_name AS org_name,"
	" coalesce(parta.full_name(a.last_name, a.first_name, a.patronymic),"
	"  '') AS made_by, coalesce(a.gender, '') AS made_by_gender,"
	" e.cancelled_at IS NOT NULL AS cancelled,"
	" coalesce(parta.local_time(e.cancelled_at, r.tz), '') AS cancelled_on,"
	" coalesce(parta.local_time(e.updated_at, r.tz), '') AS updated_on,"
	" $3::boolean OR parta.event_visible(e.org_id, e.class_id, e.audience,"
	"  e.created_by, $4) AS visible,"
	" parta.event_may_make(e.org_id, $4, e.class_id) AS may_change"
	" FROM parta.event e JOIN parta.org o ON o.id = e.org_id"
	" JOIN parta.region r ON r.code = o.region"
	" LEFT JOIN parta.class k ON k.org_id = e.org_id AND k.id = e.class_id"
	" LEFT JOIN parta.account a ON a.id = e.created_by"
	" WHERE e.org_id = $1 AND e.id = $2"
};

/* The event locked for a change, and whether the person may change it. */
static const struct db_stmt q_event_lock = {
	"events_lock",
	"SELECT e.title, e.cancelled_at IS NOT NULL AS cancelled,"
	" parta.event_may_make(e.org_id, $3, e.class_id) AS may_change"
	" FROM parta.event e WHERE e.org_id = $1 AND e.id = $2 FOR UPDATE"
};

static const struct db_stmt q_update = {
	"events_update",
	"UPDATE parta.event SET class_id = $3, title = $4, place = $5,"
	" starts_at = parta.event_local_ts($1, $6),"
	" ends_at = parta.event_local_ts($1, $7), audience = $8,"
	" updated_at = now() WHERE org_id = $1 AND id = $2"
	" RETURNING parta.local_time(starts_at, (SELECT r.tz FROM parta.org o"
	"  JOIN parta.region r ON r.code = o.region WHERE o.id = $1)) AS at",
	"PA403"
};

static const struct db_stmt q_cancel = {
	"events_cancel",
	"UPDATE parta.event SET cancelled_at = now(), cancelled_by = $3"
	" WHERE org_id = $1 AND id = $2 AND cancelled_at IS NULL",
	"PA403"
};

static const struct db_stmt q_key = {
	"events_calendar_key",
	"SELECT encode(token_hash, 'hex') AS hash,"
	" encode(token_salt, 'hex') AS salt,"
	" parta.calendar_time(created_at, $1) AS created"
	" FROM parta.calendar_key WHERE account_id = $1"
};

static const struct db_stmt q_key_set = {
	"events_calendar_key_set",
	"INSERT INTO parta.calendar_key (account_id, token_hash, token_salt)"
	" VALUES ($1, decode($2, 'hex'), decode($3, 'hex'))"
	" ON CONFLICT (account_id) DO UPDATE SET token_hash = EXCLUDED.token_hash,"
	" token_salt = EXCLUDED.token_salt, created_at = now()"
};

static const struct db_stmt q_key_delete = {
	"events_calendar_key_delete",
	"DELETE FROM parta.calendar_key WHERE account_id = $1"
};

static const struct db_stmt q_feed = {
	"events_calendar_feed",
	"SELECT org_id, id, title, place, org_name,"
	" coalesce(class_name, '') AS class_name, starts_epoch, ends_epoch,"
	" stamp_epoch, cancelled, coalesce(child_name, '') AS child_name"
	" FROM parta.calendar_feed(decode($1, 'hex'))"
};

static const struct db_stmt q_feed_owner = {
	"events_calendar_owner",
	"SELECT parta.calendar_owner(decode($1, 'hex')) IS NOT NULL AS ok"
};

/* A title or a place: one line of at most EVENT_TEXT_MAX characters,
 * as the table keeps them. */
static const char *
valid_event_text(const char *in, char *out, size_t outsz)
{
	return valid_line_max(in, out, outsz, EVENT_TEXT_MAX,
	    "Не больше 200 символов");
}

/*
 * A wall-clock time of the event form into out as "YYYY-MM-DDTHH:MM":
 * as a datetime-local field sends it ("2026-12-24T10:00", seconds, which
 * some browsers add, dropped), or as people type it where a browser
 * shows the field as text: day, month and year, then hours and minutes
 * -- "24.12.2026 10:00" (the example of the message), "4.12.2026 9:00",
 * "24.12.26 10:00", "24/12/2026 10.00", "24.12.2026, 10:00",
 * "24-12-2026 в 10:00".  A day of 2000-2100 and a time of the day.
 * Which instant it is, the database says in the organization's zone.
 */
static const char *
valid_local_time(const char *in, char *out, size_t outsz)
{
	static const char	 bad[] = "Укажите дату и время, например "
	    "24.12.2026 10:00";
	int			 v[6], len[6], n = 0, y, mo, d, h, mi;
	char			 date[32];
	const char		*p = in;

	/* The groups of digits, and what stands between them: date
	 * marks within the date, a space, a comma, 'T' or «в» before the
	 * time, ':' or '.' within it. */
	while (*p != '\0') {
		if (*p >= '0' && *p <= '9') {
			if (n == 6)
				return bad;
			v[n] = len[n] = 0;
			while (*p >= '0' && *p <= '9' && len[n] < 5)
				v[n] = v[n] * 10 + (*p++ - '0'), len[n]++;
			if (*p >= '0' && *p <= '9')
				return bad;
			n++;
		} else if (strchr(" .,/-:T", *p) != NULL)
			p++;
		else if (strncmp(p, "в", strlen("в")) == 0)
			p += strlen("в");
		else
			return bad;
	}
	if (outsz < 17 || n < 5 || (n == 6 && len[0] != 4))
		return bad;
	if (len[0] == 4) {		/* 2026-12-24T10:00[:00] */
		y = v[0], mo = v[1], d = v[2];
		if (len[1] != 2 || len[2] != 2)
			return bad;
	} else {			/* 24.12.2026 10:00 */
		d = v[0], mo = v[1], y = v[2];
		if (len[0] > 2 || len[1] > 2 || (len[2] != 2 && len[2] != 4))
			return bad;
		if (len[2] == 2)
			y += 2000;
	}
	h = v[3], mi = v[4];
	if (len[3] > 2 || len[4] != 2 || y < 2000 || y > 2100 || mo > 12 ||
	    d > 31 || h > 23 || mi > 59)
		return bad;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, mo, d);
	if (valid_date(date, out, outsz) != NULL)
		return bad;
	snprintf(out, outsz, "%sT%02d:%02d", date, h, mi);
	return NULL;
}

static const char *
valid_audience(const char *in, char *out, size_t outsz)
{
	return valid_choice(in, out, outsz, &audiences[0].value, AUDIENCE_N,
	    sizeof(audiences[0]), "Выберите, для кого событие");
}

static const char *
audience_words(const char *value)
{
	size_t	 i;

	for (i = 0; i < AUDIENCE_N; i++)
		if (strcmp(value, audiences[i].value) == 0)
			return audiences[i].words;
	return "";
}

/* The event form's statements, queued (lib/db.h) for form_ctx. */
struct form_q {
	struct db_query	*classes, *zone;
};

static void
form_send(struct http_req *r, struct form_q *q)
{
	q->classes = db_send(&q_classes, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]));
	q->zone = db_send(&q_zone, PGRES_TUPLES_OK, app_num(r, r->id[0]));
}

/*
 * The event form's choices into c: the classes the person may make
 * events for (class "" the school's own, for its administrator) and
 * the audiences, the chosen ones selected; may_make when there is
 * anything to make.  Its statements from q (form_send; NULL: sent
 * here, when the person may make events).  0, or an HTTP status.
 */
static int
form_ctx(struct http_req *r, struct html_ctx *c, const char *cls,
    const char *audience, const char *action, const char *button,
    const struct form_q *q)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*item;
	struct form_q		 now;
	PGresult		*res;
	size_t			 i;
	int			 k;

	if (a->is_operator || a->is_student) {
		html_set_bool(c, "may_make", 0);
		return 0;
	}
	if (q == NULL) {
		form_send(r, &now);
		q = &now;
	}
	if ((res = db_result(q->classes)) == NULL)
		return app_db_error();
	html_set_bool(c, "may_make", a->is_admin || PQntuples(res) > 0);
	html_set_bool(c, "may_school", a->is_admin);
	html_set_str(c, "event_action", action);
	html_set_str(c, "event_button", button);
	html_list_init(c, "classes");
	for (k = 0; k < PQntuples(res); k++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", db_get(res, k, "id"));
		html_set_str(item, "name", db_get(res, k, "class_name"));
		html_set_bool(item, "selected", cls != NULL &&
		    strcmp(cls, db_get(res, k, "id")) == 0);
	}
	for (i = 0; i < AUDIENCE_N; i++) {
		item = html_list_add(c, "audiences");
		html_set_str(item, "value", audiences[i].value);
		html_set_str(item, "name", audiences[i].name);
		html_set_bool(item, "selected", audience != NULL ?
		    strcmp(audience, audiences[i].value) == 0 : i == 0);
	}
	if ((res = db_result(q->zone)) == NULL)
		return app_db_error();
	html_set_str(c, "org_tz_words", db_get(res, 0, "words"));
	return 0;
}

/* The list page's statements, queued (lib/db.h) for list_show, whoever
 * asks (so they may go before the session is known, APP_ONE_TRIP): the
 * form's are read for those who may make events only.  0, or 400 for a
 * cursor no page sends (nothing queued). */
struct list_q {
	struct pager	 pg;
	struct form_q	 form;
	struct db_query	*list;
};

static int
list_send(struct http_req *r, struct list_q *q)
{
	int	 rc;

	if ((rc = pager_read(r, &q->pg, pool_printf(r->pool,
	    "/org/%lld/events", r->id[0]))) != 0)
		return rc;
	form_send(r, &q->form);
	q->list = db_send(&q_list, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    q->pg.after);
	return 0;
}

/* The list page of q (list_send) with status and the form (its values
 * already in c; the class and audience chosen cls and aud, NULL for
 * none).  0, or an HTTP status. */
static int
list_show(struct http_req *r, struct html_ctx *c, int status,
    const char *cls, const char *aud, struct list_q *q)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*item;
	PGresult		*res;
	int			 i, n, rc;

	if ((rc = form_ctx(r, c, cls, aud, pool_printf(r->pool,
	    "/org/%lld/events", a->id), "Создать событие", &q->form)) != 0)
		return rc;
	if ((res = db_result(q->list)) == NULL)
		return app_db_error();
	n = pager_ctx(r, c, &q->pg, res, "id", NULL, NULL, NULL);
	html_list_init(c, "events");
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "events");
		app_set_cols(item, res, i, "id", "title", "place", "when_text",
		    "class_name", NULL);
		html_set_bool(item, "cancelled", db_getbool(res, i,
		    "cancelled"));
	}
	return app_page(r, status, "events", c);
}

/* The list page (list_show), its statements sent now. */
static int
list_page(struct http_req *r, struct html_ctx *c, int status,
    const char *cls, const char *aud)
{
	struct list_q	 q;
	int		 rc;

	if ((rc = list_send(r, &q)) != 0)
		return rc;
	return list_show(r, c, status, cls, aud, &q);
}

/*
 * GET /org/N/events[?after=ID]
 * Members and the operator.  For those who may make events, the form
 * first; then the upcoming events the person may see (all of them for
 * the administrator and the operator), cancelled ones marked, 50 a
 * page (lib/pager): ?after=ID the page after event ID (not a number:
 * 400).
 */
static int
events_list(struct http_req *r)
{
	struct list_q	 q;
	int		 rc, bad, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP). */
	bad = list_send(r, &q);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	if (bad != 0)
		return bad;
	return list_show(r, org_page_ctx(r, "События"), HTTP_OK, NULL, NULL,
	    &q);
}

/*
 * Read the event form into v and c (app_form), the title typed as
 * event_title: the page's own title, "title", stays page_title (NULL:
 * the title typed).  The number of fields with an error.
 */
static int
form_read(struct http_req *r, struct html_ctx *c, struct valid_result *v,
    const char *page_title)
{
	int	 errors;

	errors = app_form(r, event_fields, EV__MAX, v, c);
	html_set_str(c, "event_title", v[EV_TITLE].value);
	if (page_title != NULL)
		html_set_str(c, "title", page_title);
	return errors;
}

/*
 * Check the event form in c (v filled by app_form): the class is one
 * the form offers the person (those they may make events for), a
 * teacher's event has a class, the end comes after the start and is
 * still to come.  A field's error goes next to it, *page set (a 422).
 * 0 when all is well, or an HTTP status.
 */
static int
form_check(struct http_req *r, struct html_ctx *c,
    const struct valid_result *v, int *page)
{
	const struct org_access	*a = r->org;
	PGresult		*res;
	int			 i, ok = 0;

	*page = 0;
	if (v[EV_CLASS].value[0] == '\0') {
		if (!a->is_admin) {
			html_set_str(c, "class_id_error", "Выберите класс: "
			    "учитель создаёт события своих классов");
			*page = 1;
		}
	} else {
		if ((res = db_exec(&q_classes, PGRES_TUPLES_OK,
		    app_num(r, a->id))) == NULL)
			return app_db_error();
		for (i = 0; i < PQntuples(res); i++)
			if (strcmp(db_get(res, i, "id"),
			    v[EV_CLASS].value) == 0)
				ok = 1;
		if (!ok) {
			html_set_str(c, "class_id_error", "Выберите класс из "
			    "списка");
			*page = 1;
		}
	}
	if ((res = db_exec(&q_times, PGRES_TUPLES_OK, app_num(r, a->id),
	    v[EV_STARTS].value, v[EV_ENDS].value)) == NULL)
		return app_db_error();
	if (!db_getbool(res, 0, "ordered")) {
		html_set_str(c, "ends_at_error", "Окончание должно быть позже "
		    "начала");
		*page = 1;
	} else if (!db_getbool(res, 0, "short")) {
		html_set_str(c, "ends_at_error", "Событие не может длиться "
		    "дольше 31 дня");
		*page = 1;
	} else if (!db_getbool(res, 0, "coming")) {
		html_set_str(c, "ends_at_error", "Это время уже прошло: "
		    "проверьте дату и год");
		*page = 1;
	}
	return 0;
}

/* The 429 page: the person made as many events as a day allows. */
static int
limit_page(struct http_req *r)
{
	struct html_ctx	*c;

	app_rollback();
	c = org_page_ctx(r, "Слишком много событий");
	html_set_str(c, "message", "За сутки можно создать не больше 50 "
	    "событий. Попробуйте завтра, через 24 часа после первого из них.");
	html_set_str(c, "back", pool_printf(r->pool, "/org/%lld/events",
	    r->org->id));
	return app_page(r, HTTP_TOO_MANY, "event_limit", c);
}

/*
 * POST /org/N/events   fields: title starts_at ends_at place class_id
 *   audience
 * The administrator (the school's or any class's events) and teachers
 * (their classes' events); students 403.  Makes the event and audits it;
 * 303 to its page.  Bad fields (a class the form does not offer, an
 * end already past): 422 with the list; over 50 events in 24 hours: 429.
 */
static int
event_create(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[EV__MAX];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*id;
	int			 rc, page, errors;

	c = org_page_ctx(r, "События");
	errors = form_read(r, c, v, "События");
	if (errors == 0) {
		if ((rc = form_check(r, c, v, &page)) != 0)
			return rc;
		errors = page;
	}
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		return list_page(r, c, HTTP_UNPROCESSABLE, v[EV_CLASS].value,
		    v[EV_AUDIENCE].value);
	}
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_insert, PGRES_TUPLES_OK, app_num(r, a->id),
	    v[EV_CLASS].value[0] != '\0' ? v[EV_CLASS].value : NULL,
	    v[EV_TITLE].value, v[EV_PLACE].value, v[EV_STARTS].value,
	    v[EV_ENDS].value, v[EV_AUDIENCE].value, app_num(r, r->user->id));
	if (res == NULL && strcmp(db_sqlstate(), "PA429") == 0)
		return limit_page(r);
	if (res == NULL && strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0)
		return HTTP_FORBIDDEN;
	if (res == NULL)
		return app_db_error();
	id = pool_strdup(r->pool, db_get(res, 0, "id"));
	if (audit_write(a->id, r->user->id, "event_create", 0,
	    pool_printf(r->pool, "«%s», %s", v[EV_TITLE].value,
	    db_get(res, 0, "at"))) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/events/%s",
	    a->id, id));
}

/*
 * The event's page into c with status: what, when, where, for whom, who
 * made it, whether it is cancelled; for those who may change it the edit
 * form (its values from the event unless c has them, and cls and aud
 * the class and audience chosen: a 422) and the way to cancel it.  a is the person's standing in the organization (NULL
 * for a guardian).  Not in the organization: 404; not for the person:
 * 403 to a member, 404 to anyone else.
 */
static int
event_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *cls, const char *aud)
{
	PGresult	*res;
	int		 may_change, rc;

	res = db_exec(&q_event, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), a != NULL && a->is_operator ? "t" : "f",
	    app_num(r, r->user->id));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "visible"))
		return a != NULL ? HTTP_FORBIDDEN : HTTP_NOT_FOUND;
	/* The page's title: the event's, or on a 422 the one typed. */
	if (html_get_str(c, "starts_at") == NULL)
		html_set_str(c, "title", db_get(res, 0, "title"));
	html_set_str(c, "ev_title", db_get(res, 0, "title"));
	html_set_str(c, "ev_place", db_get(res, 0, "place"));
	html_set_str(c, "ev_when", db_get(res, 0, "when_text"));
	html_set_str(c, "ev_class", db_get(res, 0, "class_name"));
	html_set_str(c, "ev_org", db_get(res, 0, "org_name"));
	html_set_str(c, "ev_for", audience_words(db_get(res, 0, "audience")));
	html_set_str(c, "ev_made_by", db_get(res, 0, "made_by"));
	html_set_str(c, "ev_made_by_gender", db_get(res, 0,
	    "made_by_gender"));
	html_set_str(c, "ev_updated", db_get(res, 0, "updated_on"));
	html_set_str(c, "ev_cancelled", db_get(res, 0, "cancelled_on"));
	html_set_str(c, "ev_id", app_num(r, r->id[1]));
	html_set_str(c, "ev_org_id", app_num(r, r->id[0]));
	may_change = a != NULL && !a->is_operator &&
	    db_getbool(res, 0, "may_change") &&
	    !db_getbool(res, 0, "cancelled");
	html_set_bool(c, "may_change", may_change);
	if (!may_change)
		return app_page(r, status, "event", c);
	if (html_get_str(c, "starts_at") == NULL) {
		html_set_str(c, "event_title", db_get(res, 0, "title"));
		html_set_str(c, "place", db_get(res, 0, "place"));
		html_set_str(c, "starts_at", db_get(res, 0, "starts_local"));
		html_set_str(c, "ends_at", db_get(res, 0, "ends_local"));
	}
	cls = pool_strdup(r->pool, cls != NULL ? cls :
	    db_get(res, 0, "class_id"));
	aud = pool_strdup(r->pool, aud != NULL ? aud :
	    db_get(res, 0, "audience"));
	if ((rc = form_ctx(r, c, cls, aud, pool_printf(r->pool,
	    "/org/%lld/events/%lld/edit", r->id[0], r->id[1]),
	    "Сохранить", NULL)) != 0)
		return rc;
	return app_page(r, status, "event", c);
}

/*
 * GET /org/N/events/ID
 * Whoever the event is for (members it is addressed to, guardians of
 * students it is addressed to), those who may change it, the
 * administrator and the operator.  Other members 403; anyone else 404.
 */
static int
event_show(struct http_req *r)
{
	struct html_ctx		*c;

	if (r->org == NULL) {
		/* Not a member (APP_GUEST): a guardian of a student it is
		 * for, or nobody it concerns. */
		c = app_ctx(r);
		return event_page(r, NULL, c, HTTP_OK, NULL, NULL);
	}
	c = org_page_ctx(r, "Событие");
	return event_page(r, r->org, c, HTTP_OK, NULL, NULL);
}

/*
 * The event of the route locked for a change by the person asking: 0
 * with its title into *title; 404, 403 (not theirs to change) or 409
 * (cancelled already).
 */
static int
event_lock(struct http_req *r, const char **title)
{
	PGresult	*res;

	if ((res = db_exec(&q_event_lock, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]), app_num(r, r->id[1]),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "may_change"))
		return HTTP_FORBIDDEN;
	if (db_getbool(res, 0, "cancelled"))
		return HTTP_CONFLICT;
	*title = pool_strdup(r->pool, db_get(res, 0, "title"));
	return 0;
}

/*
 * POST /org/N/events/ID/edit   fields: as the new event's
 * The administrator, and teachers of the event's class (and of the class
 * it moves to).  Changes the event and audits it; 303 to its page.  Bad
 * fields: 422 on the event's page; cancelled: 409.
 */
static int
event_edit(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[EV__MAX];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*old;
	int			 rc, page, errors;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = event_lock(r, &old)) != 0)
		return rc;
	c = org_page_ctx(r, "Событие");
	errors = form_read(r, c, v, NULL);
	if (errors == 0) {
		if ((rc = form_check(r, c, v, &page)) != 0)
			return rc;
		errors = page;
	}
	if (errors > 0) {
		app_rollback();
		html_set_bool(c, "form_errors", 1);
		return event_page(r, a, c, HTTP_UNPROCESSABLE,
		    v[EV_CLASS].value, v[EV_AUDIENCE].value);
	}
	res = db_exec(&q_update, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->id[1]),
	    v[EV_CLASS].value[0] != '\0' ? v[EV_CLASS].value : NULL,
	    v[EV_TITLE].value, v[EV_PLACE].value, v[EV_STARTS].value,
	    v[EV_ENDS].value, v[EV_AUDIENCE].value);
	if (res == NULL && strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0)
		return HTTP_FORBIDDEN;
	if (res == NULL)
		return app_db_error();
	if (audit_write(a->id, r->user->id, "event_edit", 0,
	    pool_printf(r->pool, "«%s»: теперь «%s», %s", old,
	    v[EV_TITLE].value, db_get(res, 0, "at"))) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/events/%lld",
	    a->id, r->id[1]));
}

/*
 * GET /org/N/events/ID/cancel
 * Whoever may change the event.  What cancelling does, and the button.
 */
static int
event_cancel_confirm(struct http_req *r)
{
	struct html_ctx	*c;
	const char	*title;
	int		 rc;

	if ((rc = event_lock(r, &title)) != 0)
		return rc;
	c = org_page_ctx(r, "Отменить событие?");
	html_set_str(c, "lead", pool_printf(r->pool, "Событие «%s» будет "
	    "отменено.", title));
	app_confirm_point(c, "оно останется в расписании с пометкой "
	    "«отменено», чтобы никто не пришёл напрасно;");
	app_confirm_point(c, "вернуть отменённое событие нельзя: если нужно, "
	    "создайте новое.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/events/%lld/cancel", r->org->id, r->id[1]),
	    "Отменить событие", pool_printf(r->pool, "/org/%lld/events/%lld",
	    r->org->id, r->id[1]));
}

/*
 * POST /org/N/events/ID/cancel
 * Whoever may change the event.  Marks it cancelled (it stays on the
 * pages and in the feeds, marked) and audits it; 409 when it was
 * cancelled already; 303 to its page.
 */
static int
event_cancel(struct http_req *r)
{
	const struct org_access	*a = r->org;
	const char		*title;
	int			 rc;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = event_lock(r, &title)) != 0)
		return rc;
	if (db_exec(&q_cancel, PGRES_COMMAND_OK, app_num(r, a->id),
	    app_num(r, r->id[1]), app_num(r, r->user->id)) == NULL)
		return strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0 ?
		    HTTP_FORBIDDEN : app_db_error();
	if (audit_write(a->id, r->user->id, "event_cancel", 0,
	    pool_printf(r->pool, "«%s»", title)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/events/%lld",
	    a->id, r->id[1]));
}

/*
 * GET /me/calendar
 * Logged in.  The person's calendar feed: its address when there is
 * one (to paste into a phone's calendar), the buttons to make a new one
 * and to switch it off.
 */
static int
calendar_page(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	char		 token[CRYPTO_TOKEN_LEN + 1];
	PGresult	*res;
	const char	*base, *url;

	html_set_str(c, "title", "Календарь в телефоне");
	html_set_bool(c, "revoked", http_query(r, "revoked") != NULL);
	if ((res = db_exec(&q_key, PGRES_TUPLES_OK,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return app_page(r, HTTP_OK, "calendar", c);
	html_set_bool(c, "has_key", 1);
	html_set_str(c, "created", db_get(res, 0, "created"));
	if (!app_secret_ok() || crypto_link_again(config->secret,
	    CRYPTO_LINK_CALENDAR, r->user->id, db_get(res, 0, "salt"),
	    db_get(res, 0, "hash"), token) == -1)
		return app_page(r, HTTP_OK, "calendar", c);
	base = app_base_url(r);
	url = pool_printf(r->pool, "%s/me/calendar.ics?key=%s", base, token);
	html_set_str(c, "feed_url", url);
	/* webcal:// opens the phone's calendar app to subscribe. */
	html_set_str(c, "webcal_url", pool_printf(r->pool, "webcal://%s",
	    strstr(url, "://") + 3));
	return app_page(r, HTTP_OK, "calendar", c);
}

/*
 * POST /me/calendar
 * Logged in.  A new feed address (the old one, if any, stops working);
 * 303 to /me/calendar.
 */
static int
calendar_make(struct http_req *r)
{
	char		 salt[2 * CRYPTO_SALT_LEN + 1];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1];
	int		 rc;

	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;
	if (crypto_link_new(config->secret, CRYPTO_LINK_CALENDAR, r->user->id,
	    salt, hash, NULL) == -1) {
		log_err("calendar", "no random bytes");
		return HTTP_SERVER_ERROR;
	}
	if (db_begin() == -1)
		return app_db_error();
	if (db_exec(&q_key_set, PGRES_COMMAND_OK, app_num(r, r->user->id),
	    hash, salt) == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me/calendar");
}

/*
 * POST /me/calendar/revoke
 * Logged in.  Switches the feed off: its address answers 404 from now
 * on; 303 to /me/calendar.
 */
static int
calendar_revoke(struct http_req *r)
{
	int	 rc;

	if (db_begin() == -1)
		return app_db_error();
	if (db_exec(&q_key_delete, PGRES_COMMAND_OK,
	    app_num(r, r->user->id)) == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me/calendar?revoked=1");
}

/* A UTC time of libical from an epoch. */
static struct icaltimetype
feed_time(long long epoch)
{
	return icaltime_from_timet_with_zone((time_t)epoch, 0,
	    icaltimezone_get_utc_timezone());
}

/*
 * The calendar of res's events (q_feed) as iCalendar text into r's
 * body, written by libical: one VEVENT per event, times in UTC, a
 * cancelled one with STATUS:CANCELLED.  0, or an HTTP status.
 */
static int
feed_write(struct http_req *r, const PGresult *res)
{
	icalcomponent	*cal, *ev;
	icalproperty	*p;
	char		*text;
	const char	*base = app_base_url(r), *cls, *child, *org;
	int		 i;

	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"),
	    icalproperty_new_prodid("-//Parta//Events//RU"),
	    icalproperty_new_calscale("GREGORIAN"),
	    icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
	if (cal == NULL) {
		log_err("calendar", "libical: %s", icalerror_strerror(icalerrno));
		return HTTP_SERVER_ERROR;
	}
	p = icalproperty_new_x("Парта: события");
	icalproperty_set_x_name(p, "X-WR-CALNAME");
	icalcomponent_add_property(cal, p);
	for (i = 0; i < PQntuples(res); i++) {
		org = db_get(res, i, "org_id");
		cls = db_get(res, i, "class_name");
		child = db_get(res, i, "child_name");
		ev = icalcomponent_new_vevent();
		icalcomponent_add_property(ev, icalproperty_new_uid(
		    pool_printf(r->pool, "event-%s-%s@parta", org,
		    db_get(res, i, "id"))));
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(
		    feed_time(db_getll(res, i, "stamp_epoch"))));
		icalcomponent_add_property(ev, icalproperty_new_lastmodified(
		    feed_time(db_getll(res, i, "stamp_epoch"))));
		icalcomponent_add_property(ev, icalproperty_new_dtstart(
		    feed_time(db_getll(res, i, "starts_epoch"))));
		icalcomponent_add_property(ev, icalproperty_new_dtend(
		    feed_time(db_getll(res, i, "ends_epoch"))));
		icalcomponent_add_property(ev, icalproperty_new_summary(
		    db_get(res, i, "title")));
		if (db_get(res, i, "place")[0] != '\0')
			icalcomponent_add_property(ev,
			    icalproperty_new_location(db_get(res, i, "place")));
		icalcomponent_add_property(ev, icalproperty_new_description(
		    pool_printf(r->pool, "%s%s%s%s%s", db_get(res, i,
		    "org_name"), cls[0] != '\0' ? ", " : "", cls,
		    child[0] != '\0' ? ". Для: " : "", child)));
		icalcomponent_add_property(ev, icalproperty_new_url(
		    pool_printf(r->pool, "%s/org/%s/events/%s", base, org,
		    db_get(res, i, "id"))));
		icalcomponent_add_property(ev, icalproperty_new_status(
		    db_getbool(res, i, "cancelled") ? ICAL_STATUS_CANCELLED :
		    ICAL_STATUS_CONFIRMED));
		icalcomponent_add_component(cal, ev);
	}
	if ((text = icalcomponent_as_ical_string_r(cal)) == NULL) {
		icalcomponent_free(cal);
		log_err("calendar", "libical: %s", icalerror_strerror(icalerrno));
		return HTTP_SERVER_ERROR;
	}
	r->status = HTTP_OK;
	buf_reset(&r->body);
	buf_puts(&r->body, text);
	free(text);
	icalcomponent_free(cal);
	http_header(r, "Content-Type", "text/calendar; charset=utf-8");
	http_header(r, "Content-Disposition",
	    "inline; filename=\"parta.ics\"");
	http_header(r, "Cache-Control", "private, no-store");
	return 0;
}

/*
 * GET /me/calendar.ics?key=TOKEN
 * Anyone with the key (a calendar app asks without a session): the
 * key's owner's events from 30 days back to 180 days on as iCalendar.
 * No such key, or a revoked one: 404.
 */
static int
calendar_feed(struct http_req *r)
{
	const char	*key = http_query(r, "key");
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];
	PGresult	*res;
	size_t		 i;

	if (key == NULL || strlen(key) != CRYPTO_TOKEN_LEN)
		return HTTP_NOT_FOUND;
	for (i = 0; key[i] != '\0'; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_", key[i]) == NULL)
			return HTTP_NOT_FOUND;
	crypto_sha256_hex(key, hex);
	if ((res = db_exec(&q_feed_owner, PGRES_TUPLES_OK, hex)) == NULL)
		return app_db_error();
	if (!db_getbool(res, 0, "ok"))
		return HTTP_NOT_FOUND;
	if ((res = db_exec(&q_feed, PGRES_TUPLES_OK, hex)) == NULL)
		return app_db_error();
	return feed_write(r, res);
}

int
main(int argc, char *argv[])
{
	return app_main("events", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
