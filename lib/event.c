#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "event.h"
#include "pool.h"

static const struct db_stmt q_week = {
	"event_week",
	"SELECT org_id, org_name, day, day_name, today,"
	" coalesce(id, 0) AS id, coalesce(title, '') AS title,"
	" coalesce(starts, '') AS starts, coalesce(ends, '') AS ends,"
	" coalesce(place, '') AS place,"
	" coalesce(class_name, '') AS class_name,"
	" coalesce(cancelled, false) AS cancelled,"
	" coalesce(child_name, '') AS child_name, member"
	" FROM parta.event_week($1, $2)"
};

int
event_week_ctx(struct http_req *r, struct html_ctx *c, long long org)
{
	struct html_ctx	*week = NULL, *day = NULL, *ev;
	PGresult	*res;
	const char	*org_id, *prev_org = "", *prev_day = "";
	int		 i;

	html_list_init(c, "event_weeks");
	if ((res = db_exec(&q_week, PGRES_TUPLES_OK, app_num(r, r->user->id),
	    org > 0 ? app_num(r, org) : NULL)) == NULL)
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
		ev = html_list_add(day, "events");
		app_set_cols(ev, res, i, "id", "title", "starts", "ends",
		    "place", "class_name", "child_name", NULL);
		html_set_bool(ev, "cancelled", db_getbool(res, i,
		    "cancelled"));
	}
	return 0;
}
