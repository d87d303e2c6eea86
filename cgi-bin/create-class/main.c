/*
 * create-class: the classes and groups of an organization, their homeroom
 * and subject teachers, and the move to the next academic year.
 *
 * Every member sees the classes; only the organization's administrator
 * changes them.  A class is a numbered school class (grade 1-11 and a
 * letter), a group without a grade (kindergarten, college) or the staff
 * class the brief recommends, where the teachers gather (one per
 * organization and year: the database's class_one_staff; every teacher
 * joins it by joining the organization, sql/0012_membership.sql).  It
 * belongs to one academic year, named by its first year (2025 for
 * 2025/2026), and is unique per organization, year, grade, letter and
 * title.
 *
 * Who may call each route is in the routes table below (APP_ORG,
 * APP_ADMIN): the dispatcher refuses everyone else before a handler
 * runs, and hands it the person's standing in r->org.
 *
 * Who is in a class changes through lib/member.c only (homeroom and
 * subject teachers here; students by approve and the members page): the
 * database decides who may be put where, ends what a way out ends (the
 * class's chats, the links a homeroom teacher made for it, their review
 * of its applications) and writes the audit row in Russian.
 *
 * An archived class keeps its history and takes no new members (the
 * database refuses them too, see sql/0004_classes.sql); its chats stay
 * readable to their members but take no new messages or members until
 * the class is restored (sql/0011_chat_links.sql, cgi-bin/chat/).  The
 * year rollover archives every class of a year and carries its students
 * and homeroom teachers to the next grade (a staff class: everyone), if
 * they are still members of the organization; the 11th grade graduates.
 * Subject teachers are not carried: what a teacher teaches is decided
 * per year, on each new class's page.  The rollover runs once per
 * organization and year, exactly as its preview showed: the preview form
 * carries a digest of the plan and the rollover refuses to run when the
 * plan has changed since.
 *
 * Changes to an organization's classes (create, edit, rollover) take one
 * advisory lock per organization, so that a class created while the
 * rollover runs cannot slip past it.
 *
 * The program is this folder: main.c the routes, classes.c the classes
 * themselves, teachers.c their homeroom and subject teachers,
 * rollover.c the new year; create-class.h what they share.
 */
#include "create-class.h"

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_ORG | APP_ONE_TRIP, "/org/{n}/classes",
	    class_list },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/classes", class_create },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/new", class_new },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/rollover",
	    rollover_preview },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/rollover",
	    rollover_apply },
	{ APP_GET | APP_LOGIN | APP_ORG, "/org/{n}/classes/{n}", class_show },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/{n}/edit",
	    class_edit_form },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/{n}/edit",
	    class_edit },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/{n}/archive",
	    class_archive_confirm },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/{n}/archive",
	    class_archive },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/{n}/homeroom",
	    homeroom_assign },
	{ APP_GET | APP_LOGIN | APP_ADMIN,
	    "/org/{n}/classes/{n}/homeroom/remove", homeroom_unassign_confirm },
	{ APP_POST | APP_LOGIN | APP_ADMIN,
	    "/org/{n}/classes/{n}/homeroom/remove", homeroom_unassign },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/classes/{n}/teachers",
	    teacher_add },
	{ APP_GET | APP_LOGIN | APP_ADMIN,
	    "/org/{n}/classes/{n}/teachers/{n}/remove",
	    teacher_remove_confirm },
	{ APP_POST | APP_LOGIN | APP_ADMIN,
	    "/org/{n}/classes/{n}/teachers/{n}/remove", teacher_remove },
};

int
main(int argc, char *argv[])
{
	return app_main("create-class", routes,
	    sizeof(routes) / sizeof(routes[0]), argc, argv);
}
