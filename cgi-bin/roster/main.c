/*
 * roster: a school's list of students and teachers (from its electronic
 * diary or admissions), uploaded as CSV, previewed row by row and
 * applied.  Applying accepts the pending applications that match a row
 * into the row's class and makes the other rows *expected people*: a
 * person who applies later and matches exactly one of them is accepted
 * at once (sql/0029_roster_rules.sql).  The list of rosters shows how
 * many of each have joined and who has not yet; each roster is exported
 * as CSV with every row's state, for the school's records.
 *
 * Who: the organization's admin, any rows; a homeroom teacher, a roster
 * for one of their current classes, students only (APP_REVIEWER in the
 * routes table; which rows a roster's maker may apply is the database's
 * word, parta.roster_preview and parta.roster_apply).  A homeroom
 * teacher sees only the rosters of the classes they lead; anyone else
 * of the organization gets 403, people outside it 404.
 *
 * Reading the file (encodings, separators, the header's column names,
 * class names, per-row errors, duplicates inside the file) is lib/roster's;
 * storing it is one statement (the roster and all its rows); previewing
 * asks parta.roster_preview live, so a class created since shows up;
 * applying is one transaction in parta.roster_apply (lib/member's
 * member_roster_apply), which a second concurrent apply finds done (409).
 * Personal links for the expected rows are the invite program's
 * (/org/N/invites/bulk with roster_id): the roster's page posts there.
 *
 * The program is this folder: main.c the routes, upload.c the list and
 * the upload, show.c one roster (preview, apply, CSV); rosters.h what
 * they share.
 */
#include "rosters.h"

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/roster", roster_list },
	{ APP_POST | APP_LOGIN | APP_REVIEWER | APP_UPLOAD, "/org/{n}/roster",
	    roster_upload },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/roster/{n}",
	    roster_show },
	{ APP_POST | APP_LOGIN | APP_REVIEWER, "/org/{n}/roster/{n}/apply",
	    roster_apply_post },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/roster/{n}.csv",
	    roster_csv },
};

int
main(int argc, char *argv[])
{
	return app_main("roster", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
