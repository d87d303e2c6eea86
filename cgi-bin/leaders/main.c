/*
 * leaders: an organization's leaders («Руководители»): the director,
 * the deputies and whoever else the school lists, each with a position,
 * reception hours and the contacts shown, in the order its
 * administrators choose.
 *
 * Who sees the page: the organization's members, the operator, and the
 * guardians of its students, who are no members (so the page's route
 * carries APP_GUEST, the standing loaded with the session, and show.c
 * decides: anyone else gets 404, as for every organization's page).  Who edits it: the organization's
 * administrators (APP_ADMIN).  A leader is usually one of the staff,
 * picked from a list: their name is their account's, and which of their
 * own contacts the page shows is theirs alone to choose
 * (/org/N/leaders/contacts; the database refuses anyone else,
 * sql/0033_leaders.sql), both hidden until they do.  A leader may also be
 * someone not on the platform, whose name and contacts the
 * administrator types in.  Leaving the organization takes a person off
 * the list.  A leader one may write to directly by the platform's rule
 * for direct messages (parta.direct_related: a parent and a teacher of
 * the child's class) has a button for it (POST /chats/direct).
 *
 * Every change is audited (lib/audit); limits (30 leaders, lengths) are
 * the database's, said in Russian by the forms first.
 *
 * The program is this folder: main.c the routes, show.c the page and a
 * leader's own choice of contacts, edit.c the administrators' edits;
 * leaders.h what they share.
 */
#include "leaders.h"

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_GUEST | APP_ONE_TRIP, "/org/{n}/leaders",
	    leaders_show },
	{ APP_GET | APP_LOGIN | APP_MEMBER, "/org/{n}/leaders/contacts",
	    leaders_contacts_form },
	{ APP_POST | APP_LOGIN | APP_MEMBER, "/org/{n}/leaders/contacts",
	    leaders_contacts_submit },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/edit",
	    leaders_edit_form },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/edit",
	    leaders_add },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/{n}",
	    leader_form },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/{n}",
	    leader_submit },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/{n}/move",
	    leader_move_submit },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/{n}/remove",
	    leader_remove_confirm },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/leaders/{n}/remove",
	    leader_remove },
};

int
main(int argc, char *argv[])
{
	return app_main("leaders", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
