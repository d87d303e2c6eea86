#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "event.h"
#include "html.h"
#include "pool.h"

/* Events a day of the week shows; the rest are «ещё N событий», a link
 * to the list for a member. */
#define EVENT_DAY_MAX	5

/* An event's time on a day of the week: «10:00–12:00»; one that spans
 * days «с 10:00» on its first, «весь день» between, «до 12:00» on its
 * last (parta.event_week leaves starts or ends '' off the day). */
static const char *
day_time(struct http_req *r, const char *starts, const char *ends)
{
	if (starts[0] != '\0' && ends[0] != '\0')
		return pool_printf(r->pool, "%s–%s", starts, ends);
	if (starts[0] != '\0')
		return pool_printf(r->pool, "с %s", starts);
	if (ends[0] != '\0')
		return pool_printf(r->pool, "до %s", ends);
	return "весь день";
}

/* Say on day how many of its events were left off (n > 0). */
static void
day_more(struct http_req *r, struct html_ctx *day, int n)
{
	html_set_str(day, "more", pool_printf(r->pool, "ещё %d %s", n,
	    ru_plural(n, "событие", "события", "событий")));
}

static const struct db_stmt q_week = {
	"event_week",
	"SELECT org_id, org_name, day, day_name, today,"
	" coalesce(id, 0) AS id, coalesce(title, '') AS title,"
	" coalesce(starts, '') AS starts, coalesce(ends, '') AS ends,"
	" coalesce(place, '') AS place,"
	" coalesce(class_name, '') AS class_name,"
	" coalesce(cancelled, false) AS cancelled,"
	" coalesce(child_name, '') AS child_name, member"
	" FROM parta.event_week(parta.rls_account(), $1)"
};

struct db_query *
event_week_send(struct http_req *r, long long org)
{
	return db_send(&q_week, PGRES_TUPLES_OK,
	    org > 0 ? app_num(r, org) : NULL);
}

int
event_week_ctx(struct http_req *r, struct html_ctx *c, long long org)
{
	return event_week_read(r, event_week_send(r, org), c);
}

int
event_week_read(struct http_req *r, struct db_query *q, struct html_ctx *c)
{
	struct html_ctx	*week = NULL, *day = NULL, *ev;
	PGresult	*res;
	const char	*org_id, *prev_org = "", *prev_day = "";
	int		 i, shown = 0, more = 0;

	html_list_init(c, "event_weeks");
	if ((res = db_result(q)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		org_id = db_get(res, i, "org_id");
		if (week == NULL || strcmp(org_id, prev_org) != 0) {
			week = html_list_add(c, "event_weeks");
			html_set_str(week, "org_id", org_id);
			html_set_str(week, "org_name", db_get(res, i,
			    "org_name"));
			html_set_bool(week, "member", db_getbool(res, i,
			    "member"));
			prev_org = org_id;
			prev_day = "";
		}
		if (strcmp(db_get(res, i, "day"), prev_day) != 0) {
			if (more > 0)
				day_more(r, day, more);
			shown = more = 0;
			day = html_list_add(week, "days");
			html_set_str(day, "day_name", db_get(res, i,
			    "day_name"));
			html_set_bool(day, "today", db_getbool(res, i,
			    "today"));
			html_list_init(day, "events");
			prev_day = db_get(res, i, "day");
		}
		if (db_getll(res, i, "id") == 0)
			continue;
		if (shown == EVENT_DAY_MAX) {
			more++;
			continue;
		}
		shown++;
		ev = html_list_add(day, "events");
		app_set_cols(ev, res, i, "id", "title", "place", "class_name",
		    "child_name", NULL);
		html_set_str(ev, "time", day_time(r, db_get(res, i, "starts"),
		    db_get(res, i, "ends")));
		html_set_bool(ev, "cancelled", db_getbool(res, i,
		    "cancelled"));
	}
	if (more > 0)
		day_more(r, day, more);
	return 0;
}
