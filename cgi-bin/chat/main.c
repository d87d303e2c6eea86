/*
 * chat: chats, channels, messages, chat links and parents.
 *
 * A person sees and reaches only the chats they are a member of: any
 * other chat is 404, whether it exists or not.  That is the chat's own
 * rule (a chat is not an organization's route), checked where the chat
 * is loaded; an organization's chat page, /org/N/chats, has its roles
 * in the routes table (APP_ORG, APP_STAFF).  Nobody can be found by
 * phone number here; people meet in chats they were let into (by role,
 * by class, or by a link a chat admin handed out).
 *
 * Who is in the automatic chats (an organization's staff chat, a class's
 * students' and parents' chats, channels by audience) is kept by the
 * triggers of sql/0008_chat.sql, so it follows the organization's data
 * whichever program changes it.  This program adds what people do by
 * hand: create chats and channels, write, delete, moderate, hand out and
 * follow links.
 *
 * Parents are never organization members.  A student makes a personal,
 * single-use link for a parent (/chats/parent-link); the parent follows
 * it (/c/TOKEN), confirms, and becomes the child's guardian, which puts
 * them in the parents' chat of the child's class and lets them write to
 * the child and the child's teachers (/chats/family).  A young child's
 * sign-up is confirmed by the parent the code went to
 * (/chats/family/confirm); the parent may set a young child's password
 * there too.  Who may be a guardian, and every way in and out, is
 * lib/guardian's (sql/0017_guardians.sql): a student removes a guardian
 * from /me (/me/guardians/ID/remove).
 *
 * Chat links and parent links share the /c/TOKEN prefix: one nginx
 * location that keeps tokens out of the access log; the token is looked
 * up among chat links first, then parent links.  Both are shown again
 * whenever their page is opened (/chats/ID/link for the chat's admins,
 * /chats/parent-link/ID for the child who made it), yet the database
 * keeps only SHA-256(TOKEN): the token is derived like an invite's,
 * base64url(HMAC-SHA256(PARTA_SECRET, purpose 0 id 0 salt)) with a
 * random salt kept in the row (lib/crypto.h, crypto_link_*; README,
 * "Links: shown again, never stored").  Purpose "parta-chat-v1" with
 * the chat's id, "parta-parent-v1" with the child's account id.  Links
 * made before salts were kept (sql/0011_chat_links.sql) still work;
 * their pages say they cannot be shown and offer a new one.
 *
 * The chats of an archived class (its two automatic chats and chats made
 * about it) stay readable to their members but are read-only: no new
 * messages (409), no new members (their link answers 410, no new link:
 * 409).  Moderation of the history stays: authors and chat admins may
 * still delete messages, chat admins remove members.  The state is the
 * class's, so restoring the class opens them again; the database
 * enforces it (trigger chat_open in sql/0011_chat_links.sql), this
 * program says it.
 *
 * When a person leaves an organization, by themselves or removed, their
 * messages stay under their name.  A direct chat whose other side left is
 * closed (chat.closed_at, set by the database): the parent keeps reading
 * it, nobody writes in it (409).  A person removed from an organization is
 * barred: its chat links (and a child's parent link into its parents'
 * chats) answer 403 with a page that says so, until an administrator lifts
 * the bar; the database refuses their join by a chat link whatever this
 * program saw (SQLSTATE PAB03, sql/0012_membership.sql).
 *
 * Public chats (issue 21): a chat made by hand may be made public by its
 * admins, for staff or for every member; members of that audience find
 * it on /org/N/chats/public and join it by a button (/chats/ID/join),
 * and leave it (/chats/ID/leave).  Parents, never members, are never
 * offered one.  The organization's administrator sees every chat but
 * the direct ones (/org/N/chats/all), closes a chat made by hand and
 * opens it again, and takes over the moderation of any.  The rules are
 * sql/0034_public_chats.sql's.
 *
 * The program is this folder: main.c the routes, rooms.c chats and
 * their messages, links.c chat links and /c/TOKEN, family.c parents in
 * chats, public.c public chats and the administrator's view; chat.h
 * what they share.
 */
#include "chat.h"

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_ONE_TRIP, "/chats", chats_list },
	{ APP_GET | APP_LOGIN, "/chats/family", family },
	{ APP_GET, "/chats/family/confirm", family_confirm_form },
	{ APP_POST | APP_LOGIN, "/chats/family/confirm", family_confirm },
	{ APP_POST | APP_LOGIN, "/chats/family/children/{n}/password",
	    child_password },
	{ APP_GET | APP_LOGIN, "/me/guardians/{n}/remove",
	    my_guardian_remove_confirm },
	{ APP_POST | APP_LOGIN, "/me/guardians/{n}/remove",
	    my_guardian_remove },
	{ APP_POST | APP_LOGIN, "/chats/direct", direct_open },
	{ APP_GET | APP_LOGIN, "/chats/parent-link", parent_link_form },
	{ APP_POST | APP_LOGIN, "/chats/parent-link", parent_link_create },
	{ APP_GET | APP_LOGIN, "/chats/parent-link/{n}", parent_link_show },
	{ APP_GET | APP_LOGIN | APP_ONE_TRIP, "/chats/{n}", chat_show },
	{ APP_POST | APP_LOGIN | APP_UPLOAD, "/chats/{n}/messages",
	    message_post },
	{ APP_GET | APP_LOGIN, "/chats/{n}/messages/{n}/delete",
	    message_delete_confirm },
	{ APP_POST | APP_LOGIN, "/chats/{n}/messages/{n}/delete",
	    message_delete },
	{ APP_GET | APP_LOGIN, "/chats/{n}/members", members_show },
	{ APP_GET | APP_LOGIN, "/chats/{n}/members/{n}/remove",
	    member_remove_confirm },
	{ APP_POST | APP_LOGIN, "/chats/{n}/members/{n}/remove",
	    member_remove },
	{ APP_POST | APP_LOGIN, "/chats/{n}/settings", settings_submit },
	{ APP_GET | APP_LOGIN, "/chats/{n}/link", link_show },
	{ APP_POST | APP_LOGIN, "/chats/{n}/link", link_regenerate },
	{ APP_GET | APP_LOGIN | APP_ORG, "/org/{n}/chats", org_chats },
	{ APP_POST | APP_LOGIN | APP_STAFF, "/org/{n}/chats",
	    org_chat_create },
	{ APP_GET | APP_LOGIN | APP_MEMBER, "/org/{n}/chats/public",
	    org_chats_public },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/chats/all",
	    org_chats_all },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/chats/{n}/close",
	    org_chat_close_confirm },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/chats/{n}/close",
	    org_chat_close },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/chats/{n}/reopen",
	    org_chat_reopen },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/chats/{n}/moderate",
	    org_chat_moderate },
	{ APP_POST | APP_LOGIN, "/chats/{n}/join", chat_join },
	{ APP_POST | APP_LOGIN, "/chats/{n}/leave", chat_leave },
	{ APP_POST | APP_LOGIN, "/chats/{n}/public", chat_public_set },
	{ APP_GET, "/c/{token}", link_landing },
	{ APP_POST | APP_LOGIN, "/c/{token}", link_follow },
};

int
main(int argc, char *argv[])
{
	return app_main("chat", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
