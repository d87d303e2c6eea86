/*
 * chat: chats, channels, messages, chat links and parents.
 *
 * A person sees and reaches only the chats they are a member of: any
 * other chat is 404, whether it exists or not.  Nobody can be found by
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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "auth.h"
#include "buf.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "home.h"
#include "guardian.h"
#include "log.h"
#include "org.h"
#include "outbox.h"
#include "pool.h"
#include "qr.h"

static int	chats_list(struct http_req *);
static int	family(struct http_req *);
static int	family_confirm_form(struct http_req *);
static int	family_confirm(struct http_req *);
static int	child_password(struct http_req *);
static int	my_guardian_remove_confirm(struct http_req *);
static int	my_guardian_remove(struct http_req *);
static int	direct_open(struct http_req *);
static int	parent_link_form(struct http_req *);
static int	parent_link_create(struct http_req *);
static int	parent_link_show(struct http_req *);
static int	chat_show(struct http_req *);
static int	message_post(struct http_req *);
static int	message_delete(struct http_req *);
static int	members_show(struct http_req *);
static int	member_remove_confirm(struct http_req *);
static int	member_remove(struct http_req *);
static int	message_delete_confirm(struct http_req *);
static int	settings_submit(struct http_req *);
static int	link_show(struct http_req *);
static int	link_regenerate(struct http_req *);
static int	org_chats(struct http_req *);
static int	org_chat_create(struct http_req *);
static int	link_landing(struct http_req *);
static int	link_follow(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN, "/chats", chats_list },
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
	{ APP_GET | APP_LOGIN, "/chats/{n}", chat_show },
	{ APP_POST | APP_LOGIN, "/chats/{n}/messages", message_post },
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
	{ APP_GET | APP_LOGIN, "/org/{n}/chats", org_chats },
	{ APP_POST | APP_LOGIN, "/org/{n}/chats", org_chat_create },
	{ APP_GET, "/c/{token}", link_landing },
	{ APP_POST | APP_LOGIN, "/c/{token}", link_follow },
};

#define CHAT_PAGE		50	/* messages per page */
#define CHAT_TEXT_MAX		4000	/* characters in a message */
#define CHAT_TITLE_MAX		100	/* characters in a chat title */
#define CHAT_POSTS_PER_MIN	60	/* posts per person and minute */
#define PARENT_LINKS_LIVE	5	/* unused parent links per child */
#define PARENT_LINK_DAYS	14

static const char	*valid_title(const char *, char *, size_t);
static const char	*valid_kind(const char *, char *, size_t);
static const char	*valid_audience(const char *, char *, size_t);

enum create_key {
	CR_TITLE, CR_CLASS, CR_KIND, CR_AUDIENCE, CR__MAX
};

static const struct valid_field create_fields[CR__MAX] = {
	{ "title", valid_title, 1 },		/* CR_TITLE */
	{ "class_id", valid_uint, 0 },		/* CR_CLASS */
	{ "kind", valid_kind, 0 },		/* CR_KIND */
	{ "audience", valid_audience, 0 },	/* CR_AUDIENCE */
};

/* A chat's name as this person sees it: a direct chat is named after the
 * other person.  $2 is the person asking. */
#define CHAT_TITLE_SQL							\
	"CASE WHEN c.purpose = 'direct' THEN (SELECT concat_ws(' ',"	\
	" a.first_name, a.last_name) FROM parta.account a WHERE a.id ="	\
	" CASE WHEN c.guardian_id = $2 THEN c.peer_id"			\
	" ELSE c.guardian_id END) ELSE c.title END"

/* Whether chat c is about a class that is archived (then read-only). */
#define CHAT_ARCHIVED_SQL						\
	"EXISTS (SELECT 1 FROM parta.class k WHERE k.org_id = c.org_id"	\
	" AND k.id = c.class_id AND k.archived_at IS NOT NULL)"

/* A chat and the asking person's membership: no row if not a member, or
 * a parent no longer reading it (parta.chat_readable, sql/0024). */
static const struct db_stmt q_chat = {
	"chat_load",
	"SELECT c.org_id, c.kind, c.purpose, c.admins_only,"
	" c.token_hash IS NOT NULL AS has_link, " CHAT_TITLE_SQL " AS title,"
	" o.short_name AS org_name, cm.is_admin, cm.last_read_id,"
	" cm.opened_at IS NOT NULL AS opened,"
	" " CHAT_ARCHIVED_SQL " AS archived, c.closed_at IS NOT NULL AS closed"
	" FROM parta.chat c JOIN parta.chat_member cm ON cm.org_id = c.org_id"
	"  AND cm.chat_id = c.id AND cm.account_id = $2"
	" JOIN parta.org o ON o.id = c.org_id"
	" WHERE c.id = $1 AND parta.chat_readable(c.org_id, c.id, $2)"
};

/* Every chat of the person, the most recently active first, with the
 * number of messages from others since they last read it. */
static const struct db_stmt q_my_chats = {
	"chat_my_chats",
	"SELECT c.id, c.kind, c.purpose, " CHAT_TITLE_SQL " AS title,"
	" o.short_name AS org_name, " CHAT_ARCHIVED_SQL " AS archived,"
	" c.closed_at IS NOT NULL AS closed,"
	" (SELECT count(*) FROM parta.message m WHERE m.org_id = c.org_id"
	"  AND m.chat_id = c.id AND m.id > cm.last_read_id"
	"  AND m.deleted_at IS NULL AND m.author_id <> $2) AS unread,"
	" (SELECT max(m.id) FROM parta.message m WHERE m.org_id = c.org_id"
	"  AND m.chat_id = c.id) AS last_id"
	" FROM parta.chat_member cm JOIN parta.chat c ON c.org_id = cm.org_id"
	"  AND c.id = cm.chat_id"
	" JOIN parta.org o ON o.id = c.org_id"
	" WHERE cm.account_id = $2 AND ($1::bigint IS NULL OR c.org_id = $1)"
	" AND parta.chat_readable(c.org_id, c.id, $2)"
	" ORDER BY last_id DESC NULLS LAST, c.id DESC"
};

/* A page of messages before message $3, newest first (the page shows
 * them oldest first); one more than a page tells whether there are
 * older ones.  Times in the organization's region. */
static const struct db_stmt q_messages = {
	"chat_messages",
	"SELECT m.id, m.author_id, m.body, m.deleted_at IS NOT NULL AS deleted,"
	" to_char(m.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI') AS at,"
	" concat_ws(' ', a.first_name, a.last_name) AS author"
	" FROM parta.message m JOIN parta.account a ON a.id = m.author_id"
	" JOIN parta.org o ON o.id = m.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE m.org_id = $1 AND m.chat_id = $2 AND m.id < $3"
	" ORDER BY m.id DESC LIMIT $4"
};

/* Read up to message $4; the first time, opened (a checklist step,
 * sql/0019_home.sql). */
static const struct db_stmt q_mark_read = {
	"chat_mark_read",
	"UPDATE parta.chat_member SET last_read_id = greatest(last_read_id, $4),"
	" opened_at = coalesce(opened_at, now())"
	" WHERE org_id = $1 AND chat_id = $2 AND account_id = $3"
};

/* Refused by the database: the class archived (check violation), the
 * author no longer in the chat, the direct chat closed meanwhile. */
static const struct db_stmt q_message_insert = {
	"chat_message_insert",
	"INSERT INTO parta.message (org_id, chat_id, author_id, body)"
	" VALUES ($1, $2, $3, $4) RETURNING id",
	DB_CHECK_VIOLATION " " DB_NOT_ALLOWED " " DB_CLOSED
};

static const struct db_stmt q_message = {
	"chat_message",
	"SELECT author_id, deleted_at IS NOT NULL AS deleted"
	" FROM parta.message WHERE org_id = $1 AND chat_id = $2 AND id = $3"
	" FOR UPDATE"
};

/* A message as its deletion is confirmed: who wrote it, when, what. */
static const struct db_stmt q_message_show = {
	"chat_message_show",
	"SELECT m.author_id, m.deleted_at IS NOT NULL AS deleted, m.body,"
	" to_char(m.created_at AT TIME ZONE rg.tz, 'DD.MM.YYYY HH24:MI') AS at,"
	" concat_ws(' ', a.first_name, a.last_name) AS author"
	" FROM parta.message m JOIN parta.account a ON a.id = m.author_id"
	" JOIN parta.org o ON o.id = m.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE m.org_id = $1 AND m.chat_id = $2 AND m.id = $3"
};

static const struct db_stmt q_message_delete = {
	"chat_message_delete",
	"UPDATE parta.message SET deleted_at = now()"
	" WHERE org_id = $1 AND chat_id = $2 AND id = $3"
	" AND deleted_at IS NULL"
};

/* Members of a chat; "parent" marks people who are not members of the
 * organization (they came by a link or as guardians). */
static const struct db_stmt q_members = {
	"chat_members",
	"SELECT a.id, concat_ws(' ', a.last_name, a.first_name) AS name,"
	" cm.is_admin, coalesce(m.role, '') AS role, a.gender"
	" FROM parta.chat_member cm"
	" JOIN parta.account a ON a.id = cm.account_id"
	" LEFT JOIN parta.member m ON m.org_id = cm.org_id"
	"  AND m.account_id = cm.account_id"
	" WHERE cm.org_id = $1 AND cm.chat_id = $2"
	" ORDER BY cm.is_admin DESC, a.last_name, a.first_name, a.id"
};

static const struct db_stmt q_member_get = {
	"chat_member_get",
	"SELECT concat_ws(' ', a.last_name, a.first_name) AS name, cm.is_admin"
	" FROM parta.chat_member cm"
	" JOIN parta.account a ON a.id = cm.account_id"
	" WHERE cm.org_id = $1 AND cm.chat_id = $2 AND cm.account_id = $3"
};

static const struct db_stmt q_member_delete = {
	"chat_member_delete",
	"DELETE FROM parta.chat_member WHERE org_id = $1 AND chat_id = $2"
	" AND account_id = $3 RETURNING is_admin"
};

static const struct db_stmt q_settings = {
	"chat_settings",
	"UPDATE parta.chat SET admins_only = $3 WHERE org_id = $1 AND id = $2"
};

/* The chat's link as stored: the hash and the salt it derives from ("":
 * none, or made before salts were kept). */
static const struct db_stmt q_link_get = {
	"chat_link_get",
	"SELECT coalesce(encode(token_hash, 'hex'), '') AS token_hash,"
	" coalesce(encode(token_salt, 'hex'), '') AS token_salt"
	" FROM parta.chat WHERE org_id = $1 AND id = $2"
};

static const struct db_stmt q_link_set = {
	"chat_link_set",
	"UPDATE parta.chat SET token_hash = decode($3, 'hex'),"
	" token_salt = decode($4, 'hex') WHERE org_id = $1 AND id = $2"
};

static const struct db_stmt q_audit = {
	"chat_audit",
	"INSERT INTO parta.audit (org_id, actor_id, action, target_id, detail)"
	" VALUES ($1, $2, $3, $4, $5)"
};

/* The classes a chat may be about. */
static const struct db_stmt q_classes = {
	"chat_classes",
	"SELECT id, concat_ws(' ', grade::text || letter, nullif(title, ''))"
	" AS name FROM parta.class WHERE org_id = $1 AND archived_at IS NULL"
	" ORDER BY grade NULLS LAST, letter, title, id"
};

static const struct db_stmt q_class_ok = {
	"chat_class_ok",
	"SELECT 1 FROM parta.class WHERE org_id = $1 AND id = $2"
	" AND archived_at IS NULL"
};

static const struct db_stmt q_chat_insert = {
	"chat_insert",
	"INSERT INTO parta.chat (org_id, kind, title, class_id, audience,"
	" created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
};

static const struct db_stmt q_chat_admin_add = {
	"chat_admin_add",
	"INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)"
	" VALUES ($1, $2, $3, true)",
	DB_CHECK_VIOLATION
};

/* A channel's readers: staff (admins and teachers) or every member.
 * Later changes of roles are followed by the member triggers. */
static const struct db_stmt q_channel_fill = {
	"chat_channel_fill",
	"INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)"
	" SELECT m.org_id, $2, m.account_id, m.role = 'admin'"
	" FROM parta.member m WHERE m.org_id = $1"
	" AND ($3 = 'all' OR m.role IN ('admin', 'teacher'))"
	" ON CONFLICT DO NOTHING"
};

/* Chat links: the chat for a token hash, whether $2 is in it, and
 * whether $2 was removed from its organization (barred). */
static const struct db_stmt q_link_chat = {
	"chat_link_chat",
	"SELECT c.org_id, c.id, c.title, o.short_name AS org_name,"
	" EXISTS (SELECT 1 FROM parta.chat_member cm WHERE cm.org_id = c.org_id"
	"  AND cm.chat_id = c.id AND cm.account_id = $2) AS joined,"
	" " CHAT_ARCHIVED_SQL " AS archived,"
	" parta.is_barred(c.org_id, $2) AS barred"
	" FROM parta.chat c JOIN parta.org o ON o.id = c.org_id"
	" WHERE c.token_hash = decode($1, 'hex')"
};

/* Refused by the database: the class archived meanwhile (check
 * violation), the person barred meanwhile. */
static const struct db_stmt q_link_join = {
	"chat_link_join",
	"INSERT INTO parta.chat_member (org_id, chat_id, account_id)"
	" VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	DB_CHECK_VIOLATION " " DB_BARRED
};

/* Parent links; barred_org names a school of the child's that removed
 * $2 ("" when none): a guardian joins its parents' chats, a barred
 * person does not (sql/0012_membership.sql, class_chats_sync). */
static const struct db_stmt q_parent_link = {
	"chat_parent_link",
	"SELECT p.child_id, p.used_at IS NOT NULL AS used,"
	" p.expires_at <= now() AS expired, a.first_name, a.gender,"
	" left(a.last_name, 1) AS initial,"
	" concat_ws(' ', a.last_name, a.first_name,"
	"  nullif(a.patronymic, '')) AS full_name,"
	" EXISTS (SELECT 1 FROM parta.guardian g WHERE g.child_id = p.child_id"
	"  AND g.parent_id = $2) AS guardian,"
	" CASE WHEN $2 = 0 THEN '' ELSE parta.guardian_refusal($2, p.child_id)"
	"  END AS refusal,"
	" coalesce((SELECT o.short_name FROM parta.class_member s"
	"  JOIN parta.org o ON o.id = s.org_id"
	"  WHERE s.account_id = p.child_id AND s.role = 'student'"
	"  AND parta.is_barred(s.org_id, $2) ORDER BY s.org_id LIMIT 1), '')"
	"  AS barred_org"
	" FROM parta.parent_link p JOIN parta.account a ON a.id = p.child_id"
	" WHERE p.token_hash = decode($1, 'hex')"
};

/* A student (or one applying as a student) who is not a young child
 * may make parent links, by the rule of parta.parent_link_refusal
 * (sql/0022_guardian_safety.sql). */
static const struct db_stmt q_child = {
	"chat_child",
	"SELECT parta.parent_link_refusal($1, $2::int) AS refusal,"
	" (SELECT count(*) FROM parta.parent_link WHERE child_id = $1"
	"  AND used_at IS NULL AND expires_at > now()) AS live"
};

static const struct db_stmt q_account_lock = {
	"chat_account_lock",
	"SELECT 1 FROM parta.account WHERE id = $1 FOR UPDATE"
};

static const struct db_stmt q_parent_link_insert = {
	"chat_parent_link_insert",
	"INSERT INTO parta.parent_link (child_id, token_hash, token_salt,"
	" expires_at) VALUES ($1, decode($2, 'hex'), decode($3, 'hex'),"
	" now() + make_interval(days => $4)) RETURNING id"
};

/* Times on a child's pages: in the region of their first school. */
#define CHILD_TZ_SQL							\
	"coalesce((SELECT rg.tz FROM parta.member m"			\
	" JOIN parta.org o ON o.id = m.org_id"				\
	" JOIN parta.region rg ON rg.code = o.region"			\
	" WHERE m.account_id = $1 ORDER BY m.joined_at LIMIT 1),"	\
	" 'Europe/Moscow')"

/* A child's parent links not used and not expired, newest first. */
static const struct db_stmt q_parent_links_live = {
	"chat_parent_links_live",
	"SELECT p.id,"
	" to_char(p.created_at AT TIME ZONE " CHILD_TZ_SQL ","
	"  'DD.MM.YYYY HH24:MI') AS created,"
	" to_char(p.expires_at AT TIME ZONE " CHILD_TZ_SQL ","
	"  'DD.MM.YYYY HH24:MI') AS expires"
	" FROM parta.parent_link p WHERE p.child_id = $1"
	" AND p.used_at IS NULL AND p.expires_at > now() ORDER BY p.id DESC"
};

/* One parent link of child $1, and who used it. */
static const struct db_stmt q_parent_link_mine = {
	"chat_parent_link_mine",
	"SELECT encode(p.token_hash, 'hex') AS token_hash,"
	" coalesce(encode(p.token_salt, 'hex'), '') AS token_salt,"
	" p.used_at IS NOT NULL AS used, p.expires_at <= now() AS expired,"
	" to_char(p.expires_at AT TIME ZONE " CHILD_TZ_SQL ","
	"  'DD.MM.YYYY HH24:MI') AS expires,"
	" coalesce(concat_ws(' ', a.last_name, a.first_name,"
	"  nullif(a.patronymic, '')), '')"
	"  AS used_by, a.gender AS used_by_gender"
	" FROM parta.parent_link p"
	" LEFT JOIN parta.account a ON a.id = p.used_by"
	" WHERE p.child_id = $1 AND p.id = $2"
};

static const struct db_stmt q_parents = {
	"chat_parents",
	"SELECT a.id, concat_ws(' ', a.last_name, a.first_name,"
	"  nullif(a.patronymic, ''))"
	" AS name FROM parta.guardian g"
	" JOIN parta.account a ON a.id = g.parent_id"
	" WHERE g.child_id = $1 ORDER BY g.confirmed_at, a.id"
};

/*
 * The people one may write to directly besides one's children and their
 * teachers (lib/guardian): one's parents (while one is a student in a
 * current class), the parents of one's students.
 */
static const struct db_stmt q_contacts = {
	"chat_contacts",
	"SELECT DISTINCT ON (x.account_id, x.relation) x.account_id,"
	" x.relation, concat_ws(' ', a.last_name, a.first_name,"
	"  nullif(a.patronymic, ''))"
	" AS name, x.about, o.short_name AS org_name FROM ("
	"  SELECT g.parent_id AS account_id, 'parent' AS relation, s.org_id,"
	"   '' AS about"
	"  FROM parta.guardian g LEFT JOIN parta.class_member s"
	"   ON s.account_id = g.child_id AND s.role = 'student'"
	"  WHERE g.child_id = $1"
	"  UNION ALL"
	"  SELECT g.parent_id, 'guardian', s.org_id,"
	"   concat_ws(' ', 'родитель:', c.first_name, c.last_name, '·',"
	"   parta.chat_class_name(k.grade, k.letter, k.title))"
	"  FROM parta.class_member t JOIN parta.class k ON k.org_id = t.org_id"
	"   AND k.id = t.class_id AND k.archived_at IS NULL"
	"  JOIN parta.member tm ON tm.org_id = t.org_id"
	"   AND tm.account_id = t.account_id"
	"  JOIN parta.class_member s ON s.org_id = t.org_id"
	"   AND s.class_id = t.class_id AND s.role = 'student'"
	"  JOIN parta.guardian g ON g.child_id = s.account_id"
	"  JOIN parta.account c ON c.id = s.account_id"
	"  WHERE t.account_id = $1 AND t.role IN ('teacher', 'homeroom')"
	"   AND g.parent_id <> $1"
	" ) x JOIN parta.account a ON a.id = x.account_id"
	" LEFT JOIN parta.org o ON o.id = x.org_id"
	" ORDER BY x.relation, x.account_id, x.org_id"
};

/*
 * Whether $1 and $2 may have a direct chat, and where: a guardian and
 * their child (in the child's school), or a guardian and a teacher of
 * the child's current class (in that school), by parta.direct_related
 * (sql/0012), the rule that also closes such chats when it ends.
 */
static const struct db_stmt q_relation = {
	"chat_relation",
	"SELECT o.org_id, pr.g AS guardian_id, pr.p AS peer_id"
	" FROM (VALUES ($1::bigint, $2::bigint), ($2::bigint, $1::bigint))"
	"  AS pr (g, p)"
	" CROSS JOIN LATERAL (SELECT DISTINCT s.org_id FROM parta.guardian g"
	"  JOIN parta.class_member s ON s.account_id = g.child_id"
	"  AND s.role = 'student' WHERE g.parent_id = pr.g) o"
	" WHERE parta.direct_related(o.org_id, pr.g, pr.p)"
	" ORDER BY NOT EXISTS (SELECT 1 FROM parta.guardian x"
	"  WHERE x.parent_id = pr.g AND x.child_id = pr.p), o.org_id LIMIT 1"
};

/* The other side's membership, held until the chat is opened: a way out
 * of theirs waits for it, or it waits for the way out and finds none
 * (""). */
static const struct db_stmt q_peer_lock = {
	"chat_peer_lock",
	"SELECT parta.member_role_locked($1, $2) AS role,"
	" (SELECT short_name FROM parta.org WHERE id = $1) AS org_name"
};

static const struct db_stmt q_direct_insert = {
	"chat_direct_insert",
	"INSERT INTO parta.chat (org_id, title, purpose, guardian_id, peer_id,"
	" created_by) VALUES ($1, 'Личные сообщения', 'direct', $2, $3, $4)"
	" ON CONFLICT DO NOTHING"
};

static const struct db_stmt q_direct_find = {
	"chat_direct_find",
	"SELECT id FROM parta.chat WHERE org_id = $1 AND purpose = 'direct'"
	" AND guardian_id = $2 AND peer_id = $3"
};

/*
 * Both people into their chat, only those not in it yet (the database
 * checks each joining row).  Refused: the chat was closed, the other
 * side having left (it opens again when they come back); the guardian
 * was removed from the organization and is barred.
 */
static const struct db_stmt q_direct_join = {
	"chat_direct_join",
	"INSERT INTO parta.chat_member (org_id, chat_id, account_id)"
	" SELECT $1, $2, a FROM unnest(ARRAY[$3, $4]::bigint[]) AS a"
	" WHERE NOT EXISTS (SELECT 1 FROM parta.chat_member cm"
	"  WHERE cm.org_id = $1 AND cm.chat_id = $2 AND cm.account_id = a)"
	" ON CONFLICT DO NOTHING",
	DB_CLOSED " " DB_BARRED
};

/* What the asking person is in a chat, loaded by chat_load(). */
struct chat {
	long long	 id;
	long long	 org;
	const char	*org_s;		/* org as a string, for parameters */
	const char	*id_s;
	const char	*kind;
	const char	*purpose;
	const char	*title;
	const char	*org_name;
	int		 is_channel;
	int		 is_admin;	/* chat admin */
	int		 admins_only;
	int		 has_link;
	int		 linkable;	/* may have a link */
	int		 archived;	/* its class is archived: read-only */
	int		 closed;	/* a direct chat whose other side
					 * left the organization: read-only */
	int		 can_write;
	long long	 last_read;
	int		 opened;	/* the person opened it before */
};

/* Count UTF-8 characters (input is known to be valid UTF-8). */
static size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A chat's title: one line (valid_line) of at most 100 characters. */
static const char *
valid_title(const char *in, char *out, size_t outsz)
{
	const char	*err;

	if ((err = valid_line(in, out, outsz)) != NULL)
		return err;
	if (utf8_chars(out) > CHAT_TITLE_MAX)
		return "Не больше 100 символов";
	return NULL;
}

static const char *
valid_kind(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "chat") != 0 && strcmp(in, "channel") != 0)
		return "Выберите чат или канал";
	snprintf(out, outsz, "%s", in);
	return NULL;
}

static const char *
valid_audience(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "staff") != 0 && strcmp(in, "all") != 0)
		return "Выберите, кто читает канал";
	snprintf(out, outsz, "%s", in);
	return NULL;
}

/* SHA-256 of a token as hex, for decode($n, 'hex'). */
static const char *
token_hash_hex(struct http_req *r, const char *token)
{
	char		 hex[2 * CRYPTO_SHA256_LEN + 1];

	crypto_sha256_hex(token, hex);
	return pool_strdup(r->pool, hex);
}

/* Put a link and its QR code into a page. */
static void
link_ctx(struct http_req *r, struct html_ctx *c, const char *token)
{
	const char	*url;

	url = pool_printf(r->pool, "%s/c/%s", app_base_url(r), token);
	html_set_str(c, "link", url);
	qr_ctx(c, url);
}

/* A stored link (token_salt, token_hash of row 0 of res) derived again
 * into a page, as link_ctx does: 1, or 0 when it cannot be shown. */
static int
link_again_ctx(struct http_req *r, struct html_ctx *c, const char *purpose,
    long long id, const PGresult *res)
{
	char	 token[CRYPTO_TOKEN_LEN + 1];

	if (!app_secret_ok() || crypto_link_again(config->secret, purpose, id,
	    db_get(res, 0, "token_salt"), db_get(res, 0, "token_hash"),
	    token) == -1)
		return 0;
	link_ctx(r, c, token);
	explicit_bzero(token, sizeof(token));
	return 1;
}

/*
 * Load chat id for the person asking into ch: 0, HTTP_NOT_FOUND when the
 * chat does not exist or they are not in it, or a database error status.
 */
static int
chat_load(struct http_req *r, long long id, struct chat *ch)
{
	PGresult	*res;

	memset(ch, 0, sizeof(*ch));
	if ((res = db_exec(&q_chat, PGRES_TUPLES_OK, app_num(r, id), app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	ch->id = id;
	ch->id_s = app_num(r, id);
	ch->org = db_getll(res, 0, "org_id");
	ch->org_s = app_num(r, ch->org);
	ch->kind = pool_strdup(r->pool, db_get(res, 0, "kind"));
	ch->purpose = pool_strdup(r->pool, db_get(res, 0, "purpose"));
	ch->title = pool_strdup(r->pool, db_get(res, 0, "title"));
	ch->org_name = pool_strdup(r->pool, db_get(res, 0, "org_name"));
	ch->is_channel = strcmp(ch->kind, "channel") == 0;
	ch->is_admin = db_getbool(res, 0, "is_admin");
	ch->admins_only = db_getbool(res, 0, "admins_only");
	ch->has_link = db_getbool(res, 0, "has_link");
	ch->archived = db_getbool(res, 0, "archived");
	ch->closed = db_getbool(res, 0, "closed");
	ch->last_read = db_getll(res, 0, "last_read_id");
	ch->opened = db_getbool(res, 0, "opened");
	/* Channels and the staff chat follow roles, direct chats are for
	 * two: none of them is joined by a link. */
	ch->linkable = !ch->is_channel && strcmp(ch->purpose, "staff") != 0 &&
	    strcmp(ch->purpose, "direct") != 0;
	ch->can_write = !ch->archived && !ch->closed && (ch->is_admin ||
	    (!ch->is_channel && !ch->admins_only));
	return 0;
}

/* Page values every chat page has. */
static struct html_ctx *
chat_ctx(struct http_req *r, const struct chat *ch)
{
	struct html_ctx	*c;

	c = app_ctx(r);
	html_set_str(c, "title", ch->title);
	html_set_int(c, "chat_id", ch->id);
	html_set_str(c, "chat_title", ch->title);
	html_set_str(c, "chat_org", ch->org_name);
	html_set_bool(c, "is_channel", ch->is_channel);
	html_set_bool(c, "chat_admin", ch->is_admin);
	html_set_bool(c, "admins_only", ch->admins_only);
	html_set_bool(c, "is_direct", strcmp(ch->purpose, "direct") == 0);
	html_set_bool(c, "archived", ch->archived);
	html_set_bool(c, "closed", ch->closed);
	return c;
}

/* Why a direct chat is closed (direct_related, sql/0012, no longer holds
 * for its two people: one left, a child moved, a guardianship ended). */
#define DIRECT_CLOSED_WORDS						\
	"Чат закрыт: вас больше не связывает общий класс или ребёнок в "	\
	"этой организации. Переписка сохранена, писать в этот чат нельзя."

/* A direct chat found closed where it was to be opened: 409. */
static int
direct_closed_page(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Переписка закрыта");
	html_set_str(c, "message", DIRECT_CLOSED_WORDS);
	return app_page(r, HTTP_CONFLICT, "error", c);
}

/* Is c a character that may not end a link ("see https://x.ru.")? */
static size_t
url_trailing(const char *s, size_t n)
{
	size_t	 open = 0, close = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] == '(')
			open++;
		else if (s[i] == ')')
			close++;
	}
	while (n > 0) {
		if (strchr(".,;:!?'\"]}", s[n - 1]) != NULL)
			n--;
		else if (s[n - 1] == ')' && close > open) {
			close--;
			n--;
		} else if (n >= 2 && (unsigned char)s[n - 2] == 0xc2 &&
		    (unsigned char)s[n - 1] == 0xbb)	/* » */
			n -= 2;
		else
			break;
	}
	return n;
}

/* Length of an http(s) link starting at s, or 0. */
static size_t
url_at(const char *s)
{
	size_t	 scheme, n;

	if (strncasecmp(s, "https://", 8) == 0)
		scheme = 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		scheme = 7;
	else
		return 0;
	for (n = scheme; s[n] != '\0'; n++)
		if ((unsigned char)s[n] <= ' ' || s[n] == '<' || s[n] == '>' ||
		    s[n] == '"' || s[n] == 0x7f)
			break;
	n = url_trailing(s, n);
	return n > scheme ? n : 0;
}

static void
part_add(struct http_req *r, struct html_ctx *item, const char *s, size_t n,
    int link)
{
	struct html_ctx	*p;
	char		*t;

	if (n == 0)
		return;
	t = pool_strndup(r->pool, s, n);
	p = html_list_add(item, "parts");
	html_set_str(p, "text", t);
	/* Set even when empty, so {{#href}} never finds a parent's href. */
	html_set_str(p, "href", link ? t : "");
}

/*
 * A message's text as parts for the template: plain text, and links
 * (http and https only) that the template makes clickable.  Everything
 * stays escaped by the template; line breaks are kept by CSS.
 */
static void
message_parts(struct http_req *r, struct html_ctx *item, const char *body)
{
	const char	*start = body, *s = body;
	size_t		 n;

	while (*s != '\0') {
		if ((s == body || !((s[-1] >= 'a' && s[-1] <= 'z') ||
		    (s[-1] >= 'A' && s[-1] <= 'Z') ||
		    (s[-1] >= '0' && s[-1] <= '9'))) &&
		    (n = url_at(s)) > 0) {
			part_add(r, item, start, (size_t)(s - start), 0);
			part_add(r, item, s, n, 1);
			s += n;
			start = s;
		} else
			s++;
	}
	part_add(r, item, start, (size_t)(s - start), 0);
}

/*
 * A message as typed, made ready to store: line breaks as \n, spaces
 * around trimmed.  NULL and a message for the form when it is empty, too
 * long or has control characters.
 */
static const char *
message_text(struct http_req *r, const char *in, const char **err)
{
	char	*out, *o;
	size_t	 n, chars;

	*err = NULL;
	if (in == NULL)
		in = "";
	o = out = pool_alloc(r->pool, strlen(in) + 1);
	for (; *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '\r') {
			if (in[1] != '\n')
				*o++ = '\n';
			continue;
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			*err = "Сообщение содержит недопустимые символы";
			return NULL;
		}
		*o++ = (char)c;
	}
	*o = '\0';
	while (*out == ' ' || *out == '\n' || *out == '\t')
		out++;
	n = strlen(out);
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\n' ||
	    out[n - 1] == '\t'))
		out[--n] = '\0';
	if (n == 0) {
		*err = "Напишите сообщение";
		return NULL;
	}
	if ((chars = utf8_chars(out)) > CHAT_TEXT_MAX) {
		*err = pool_printf(r->pool, "Не больше %d %s "
		    "(сейчас %zu)", CHAT_TEXT_MAX, ru_plural(CHAT_TEXT_MAX,
		    "символа", "символов", "символов"), chars);
		return NULL;
	}
	return out;
}

/*
 * The chat page: a page of messages, oldest at the top, newest at the
 * bottom, "earlier" going back before the first shown.  Reading the
 * newest page marks the chat read.  text and err refill the form after a
 * refused message.
 */
static int
chat_render(struct http_req *r, const struct chat *ch, int status,
    long long before, const char *text, const char *err)
{
	struct html_ctx	*c, *item;
	PGresult	*res;
	long long	 newest = 0, author;
	int		 i, n, more;

	if ((res = db_exec(&q_messages, PGRES_TUPLES_OK, ch->org_s,
	    ch->id_s, before > 0 ? app_num(r, before) : "9223372036854775807",
	    app_num(r, CHAT_PAGE + 1))) == NULL)
		return app_db_error();
	c = chat_ctx(r, ch);
	n = PQntuples(res);
	more = n > CHAT_PAGE;
	if (more)
		n = CHAT_PAGE;
	html_list_init(c, "messages");
	html_set_bool(c, "has_messages", n > 0);
	for (i = n - 1; i >= 0; i--) {
		item = html_list_add(c, "messages");
		author = db_getll(res, i, "author_id");
		app_set_cols(item, res, i, "id", "author", "at", NULL);
		html_set_bool(item, "mine", author == r->user->id);
		if (db_getbool(res, i, "deleted"))
			html_set_bool(item, "deleted", 1);
		else {
			message_parts(r, item, db_get(res, i, "body"));
			html_set_bool(item, "can_delete", ch->is_admin ||
			    author == r->user->id);
		}
		if (i == 0)
			newest = db_getll(res, i, "id");
	}
	if (more)
		html_set_str(c, "earlier", db_get(res, n - 1, "id"));
	if (before > 0)
		html_set_bool(c, "paged", 1);
	html_set_bool(c, "can_write", ch->can_write);
	html_set_str(c, "text", text != NULL ? text : "");
	if (err != NULL) {
		html_set_str(c, "text_error", err);
		html_set_bool(c, "form_errors", 1);
	}
	if (before == 0 && (newest > ch->last_read || !ch->opened)) {
		if (db_begin() == -1)
			return app_db_error();
		if ((res = db_exec(&q_mark_read, PGRES_COMMAND_OK, ch->org_s,
		    ch->id_s, app_num(r, r->user->id), app_num(r, newest))) == NULL)
			return app_db_error();
		if (app_commit(r) == -1)
			return app_db_error();
	}
	return app_page(r, status, "chat", c);
}

/* The list of chats from q_my_chats into c. */
static int
chats_ctx(struct http_req *r, struct html_ctx *c, const char *org)
{
	struct html_ctx	*item;
	PGresult	*res;
	int		 i;

	if ((res = db_exec(&q_my_chats, PGRES_TUPLES_OK, org, app_num(r,
	    r->user->id))) == NULL)
		return -1;
	html_list_init(c, "chats");
	html_set_bool(c, "has_chats", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "chats");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "title"));
		html_set_str(item, "org_name", db_get(res, i, "org_name"));
		html_set_bool(item, "channel", strcmp(db_get(res, i, "kind"),
		    "channel") == 0);
		html_set_bool(item, "direct", strcmp(db_get(res, i, "purpose"),
		    "direct") == 0);
		html_set_bool(item, "archived", db_getbool(res, i, "archived"));
		html_set_bool(item, "closed", db_getbool(res, i, "closed"));
		if (db_getll(res, i, "unread") > 0)
			html_set_str(item, "unread", db_get(res, i, "unread"));
	}
	return 0;
}

/*
 * GET /chats
 * Anyone logged in.  My chats and channels in every organization, the
 * most recently active first, with unread counts.
 */
static int
chats_list(struct http_req *r)
{
	struct html_ctx	*c;
	int		 ok;

	c = app_ctx(r);
	html_set_str(c, "title", "Сообщения");
	if (chats_ctx(r, c, NULL) == -1 ||
	    (ok = home_parent_link_allowed(r)) == -1)
		return app_db_error();
	html_set_bool(c, "parent_link", ok);
	return app_page(r, HTTP_OK, "chats", c);
}

/* The 410 page of a parent link used already or expired. */
static int
parent_link_gone(struct http_req *r, int used)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", used ? "Ссылка уже использована" :
	    "Срок действия ссылки истёк");
	html_set_str(c, "message", guardian_refusal_text(used ?
	    GUARDIAN_USED : GUARDIAN_EXPIRED));
	return app_page(r, HTTP_GONE, "error", c);
}

/* The 409 (or 403 for the child) page of a refused confirmation. */
static int
parent_link_refused(struct http_req *r, int result)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", result == GUARDIAN_EXISTS ?
	    "Вы уже подтверждены" : "Подтвердить нельзя");
	html_set_str(c, "message", guardian_refusal_text(result));
	return app_page(r, guardian_http_status(result), "error", c);
}

/* The family page with status; error (or NULL) next to the password
 * form of child err_child. */
static int
family_page(struct http_req *r, int status, long long err_child,
    const char *error)
{
	struct html_ctx	*c, *item;
	PGresult	*res;
	const char	*list;
	int		 i;

	c = app_ctx(r);
	html_set_str(c, "title", "Семья и учителя");
	if ((i = home_parent_link_allowed(r)) == -1)
		return app_db_error();
	html_set_bool(c, "parent_link", i);
	html_set_int(c, "child_age", config->child_age);
	html_set_bool(c, "password_set", status == HTTP_OK &&
	    http_query(r, "password") != NULL);
	if (guardian_family_ctx(r, c, err_child, error) == -1)
		return app_db_error();
	if ((res = db_exec(&q_contacts, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		list = strcmp(db_get(res, i, "relation"), "parent") == 0 ?
		    "parents" : "guardians";
		/* A section shows when its list has people (a list inside a
		 * section of the same name would repeat per item). */
		html_set_bool(c, pool_printf(r->pool, "has_%s", list), 1);
		item = html_list_add(c, list);
		html_set_str(item, "id", db_get(res, i, "account_id"));
		app_set_cols(item, res, i, "name", "about", "org_name", NULL);
		/* A direct chat lives in the school of the child's class. */
		html_set_bool(item, "reachable",
		    !db_isnull(res, i, "org_name"));
	}
	return app_page(r, status, "family", c);
}

/*
 * GET /chats/family[?password=1]
 * Anyone logged in.  One's children, each with their class and school,
 * the class's parents' chat and the teachers one may write to (a "write"
 * button each, POST /chats/direct), and for a young child a form to set
 * a new password; young children waiting for one's confirmation; one's
 * parents; the parents of one's students.
 */
static int
family(struct http_req *r)
{
	return family_page(r, HTTP_OK, 0, NULL);
}

/* The confirmation page with status; error (or NULL) next to the code
 * form of child err_child. */
static int
family_confirm_page(struct http_req *r, int status, long long err_child,
    const char *error)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", "Подтверждение регистрации ребёнка");
	html_set_int(c, "child_age", config->child_age);
	html_set_str(c, "next_enc", http_urlencode(r->pool,
	    "/chats/family/confirm"));
	if (r->user != NULL) {
		html_set_bool(c, "verified", r->user->verified);
		if (guardian_confirm_ctx(r, c, err_child, error) == -1)
			return app_db_error();
	}
	return app_page(r, status, "family_confirm", c);
}

/*
 * GET /chats/family/confirm
 * Anyone: where the code sent to a young child's parent leads.  Not
 * logged in: how to go on (log in, or sign up and come back here).
 * Logged in: the young children waiting for a phone or e-mail the person
 * has proven, each with a code field and «Да, это мой сын» / «моя
 * дочь»; none: what to do.
 */
static int
family_confirm_form(struct http_req *r)
{
	return family_confirm_page(r, HTTP_OK, 0, NULL);
}

/*
 * POST /chats/family/confirm   fields: child_id code
 * Logged in.  The parent confirms a young child's sign-up with the code
 * (lib/guardian): the child's account is verified and the person its
 * guardian; 303 to /chats/family.  No sign-up waiting for a contact the
 * person has proven: 404; malformed child_id: 400; a wrong or expired
 * code: 422 (the try counts against the contact), too many: 429;
 * confirmed already, or the person may not be a guardian (under 18, a
 * student): 409 with the reason.
 */
static int
family_confirm(struct http_req *r)
{
	char		 id[VALID_MAX], code[VALID_MAX];
	const char	*in = http_form(r, "child_id");
	long long	 child;
	int		 rc, retry = 0;

	if (in == NULL || valid_uint(in, id, sizeof(id)) != NULL)
		return HTTP_BAD_REQUEST;
	child = atoll(id);
	if (valid_code(http_form(r, "code"), code, sizeof(code)) != NULL)
		return family_confirm_page(r, HTTP_UNPROCESSABLE, child,
		    "Введите шесть цифр из сообщения");
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_child_confirm(r, child, code, &retry);
	switch (rc) {
	case GUARDIAN_OK:
		break;
	case GUARDIAN_WRONG:
	case GUARDIAN_LIMIT:
		/* The try stays counted. */
		if (app_commit(r) == -1)
			return app_db_error();
		return family_confirm_page(r, guardian_http_status(rc), child,
		    rc == GUARDIAN_LIMIT ? pool_printf(r->pool, "Слишком много "
		    "неверных попыток. Попробуйте снова через %d мин.", retry) :
		    "Неверный или устаревший код. Проверьте цифры; если код "
		    "устарел, попросите ребёнка отправить запрос ещё раз.");
	case GUARDIAN_ERROR:
	case GUARDIAN_NOT_FOUND:
		return guardian_http_status(rc);
	default:
		db_rollback();
		return parent_link_refused(r, rc);
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, "/chats/family");
}

/*
 * POST /chats/family/children/ID/password   field: password
 * A guardian of child ID who is young (PARTA_CHILD_AGE) or has no proven
 * contact of their own (lib/guardian; another child: 403; not one's
 * child: 404).  Sets the child's new password and ends all the child's
 * sessions (audited); 303 to /chats/family?password=1.  A bad password:
 * 422 with the message next to the child's form.
 */
static int
child_password(struct http_req *r)
{
	char		 pw[VALID_MAX], hash[SCRYPT_MCF_LEN];
	const char	*err;
	int		 rc;

	if ((rc = guardian_child_may_reset(r, r->id[0])) != GUARDIAN_OK)
		return guardian_http_status(rc);
	if ((err = valid_password(http_form(r, "password") != NULL ?
	    http_form(r, "password") : "", pw, sizeof(pw))) != NULL)
		return family_page(r, HTTP_UNPROCESSABLE, r->id[0], err);
	rc = auth_password_hash(pw, hash);
	explicit_bzero(pw, sizeof(pw));
	if (rc == -1) {
		log_err("password hash", "libscrypt failed");
		return HTTP_SERVER_ERROR;
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_child_password(r, r->id[0], hash);
	explicit_bzero(hash, sizeof(hash));
	if (rc != GUARDIAN_OK) {
		db_rollback();
		return guardian_http_status(rc);
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, "/chats/family?password=1");
}

/*
 * GET /me/guardians/ID/remove
 * The child whose guardian account ID is (anyone else: 404).  Asks to
 * confirm removing the guardian, saying what it ends (lib/guardian);
 * the form posts to the same URL.  Changes nothing.
 */
static int
my_guardian_remove_confirm(struct http_req *r)
{
	return guardian_remove_confirm(r, 0, r->id[0], r->user->id,
	    pool_printf(r->pool, "/me/guardians/%lld/remove", r->id[0]),
	    "/me");
}

/*
 * POST /me/guardians/ID/remove
 * The child whose guardian account ID is (anyone else: 404).  Ends the
 * guardianship (lib/guardian): the parent leaves the parents' chats of
 * the child's classes, their direct chats with the child and the
 * class's teachers close; audited in each school of the child's.  303 to
 * /me.
 */
static int
my_guardian_remove(struct http_req *r)
{
	int	 rc;

	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_remove(r, 0, r->id[0], r->user->id);
	if (rc != GUARDIAN_OK) {
		db_rollback();
		return guardian_refused_page(r, rc);
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, "/me");
}

/*
 * POST /chats/direct   field: account_id
 * A guardian and their child, or a guardian and a teacher of the child's
 * class (either of them).  Opens their direct chat, creating it the
 * first time; 303 to /chats/ID.  Anyone else: 404 (nobody is found by
 * asking), also when the other side leaves the organization meanwhile:
 * a closed chat is never opened again for them (409 if it is found
 * closed).  A guardian removed from the school: 403 with the page that
 * says so.  Malformed id: 400.
 */
static int
direct_open(struct http_req *r)
{
	char		 id[VALID_MAX];
	const char	*me = app_num(r, r->user->id), *in, *org, *guardian, *peer;
	const char	*org_name;
	PGresult	*res;
	long long	 chat;

	in = http_form(r, "account_id");
	if (in == NULL || valid_uint(in, id, sizeof(id)) != NULL)
		return HTTP_BAD_REQUEST;
	if (atoll(id) == r->user->id)
		return HTTP_NOT_FOUND;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_relation, PGRES_TUPLES_OK, me, id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	org = pool_strdup(r->pool, db_get(res, 0, "org_id"));
	guardian = pool_strdup(r->pool, db_get(res, 0, "guardian_id"));
	peer = pool_strdup(r->pool, db_get(res, 0, "peer_id"));
	if ((res = db_exec(&q_peer_lock, PGRES_TUPLES_OK, org, peer)) ==
	    NULL)
		return app_db_error();
	org_name = pool_strdup(r->pool, db_get(res, 0, "org_name"));
	if (db_get(res, 0, "role")[0] == '\0') {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	/* Two people opening it at once: the unique index keeps one chat,
	 * and both find it. */
	if ((res = db_exec(&q_direct_insert, PGRES_COMMAND_OK, org,
	    guardian, peer, me)) == NULL)
		return app_db_error();
	if ((res = db_exec(&q_direct_find, PGRES_TUPLES_OK, org, guardian,
	    peer)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		db_rollback();
		return HTTP_CONFLICT;
	}
	chat = db_getll(res, 0, "id");
	if ((res = db_exec(&q_direct_join, PGRES_COMMAND_OK, org, app_num(r,
	    chat), guardian, peer)) == NULL) {
		if (strcmp(db_sqlstate(), DB_BARRED) == 0) {
			db_rollback();
			return org_barred_page(r, org_name);
		}
		if (strcmp(db_sqlstate(), DB_CLOSED) != 0)
			return app_db_error();
		db_rollback();
		return direct_closed_page(r);
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld", chat));
}

/* 1 if the person may make parent links (a student, or applying as
 * one, not a young child), 0 if not (*young: because a young child), -1
 * on failure; *live is their unused links. */
static int
child_check(struct http_req *r, long long *live, int *young)
{
	PGresult	*res;
	const char	*why;
	int		 ok;

	if ((res = db_exec(&q_child, PGRES_TUPLES_OK, app_num(r,
	    r->user->id), app_num(r, config->child_age))) == NULL)
		return -1;
	why = db_get(res, 0, "refusal");
	ok = why[0] == '\0';
	*young = strcmp(why, "young") == 0;
	*live = db_getll(res, 0, "live");
	return ok;
}

/* The 403 of /chats/parent-link for anyone but a student: what the
 * link is, and how a parent, a teacher or an administrator brings
 * parents in instead; for a young child, that their parent was
 * confirmed at registration.  Returns 0. */
static int
parent_link_not_student(struct http_req *r, int young)
{
	struct html_ctx	*c = app_ctx(r);

	html_set_str(c, "title", young ? "Ваш родитель уже подтверждён" :
	    "Ссылку для родителя делает ученик");
	html_set_bool(c, "young", young);
	return app_page(r, HTTP_FORBIDDEN, "parent_link_refused", c);
}

static int
parent_link_page(struct http_req *r, int status, long long live,
    int sent)
{
	struct html_ctx	*c, *item;
	PGresult	*res;
	int		 i;

	c = app_ctx(r);
	html_set_str(c, "title", "Ссылка для родителя");
	html_set_int(c, "live", live);
	html_set_bool(c, "can_create", live < PARENT_LINKS_LIVE);
	html_set_int(c, "max_live", PARENT_LINKS_LIVE);
	html_set_bool(c, "sent", sent);
	/* Young children sign up with a parent's e-mail: offer to send
	 * the link there. */
	if (r->user->email[0] != '\0' && r->user->email_verified)
		html_set_str(c, "email", r->user->email);
	if ((res = db_exec(&q_parents, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	html_set_bool(c, "has_parents", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "parents");
		html_set_str(item, "name", db_get(res, i, "name"));
	}
	if ((res = db_exec(&q_parent_links_live, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	html_set_bool(c, "has_links", PQntuples(res) > 0);
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "links");
		app_set_cols(item, res, i, "id", "created", "expires", NULL);
	}
	return app_page(r, status, "parent_link", c);
}

/*
 * GET /chats/parent-link[?sent=1]
 * A student (or someone applying as a student; others 403 with a page
 * that says who makes it and how parents come in).  Their confirmed
 * parents, their links not yet used (each opens its page), and a button
 * to make a personal link for a parent.
 */
static int
parent_link_form(struct http_req *r)
{
	long long	 live;
	int		 ok, young;

	if ((ok = child_check(r, &live, &young)) == -1)
		return app_db_error();
	if (!ok)
		return parent_link_not_student(r, young);
	return parent_link_page(r, HTTP_OK, live,
	    http_query(r, "sent") != NULL);
}

/*
 * POST /chats/parent-link   field: send (optional, "email")
 * A student (others 403, the page GET shows).  Makes a single-use link
 * for a parent, valid 14 days; at most 5 unused links at a time (429),
 * counted under a lock of the child's account so parallel requests
 * cannot pass it.  303 to the link's page, /chats/parent-link/ID.  With
 * send=email the link goes to the account's verified e-mail instead (a
 * young child's account is the parent's e-mail; none: 400) and the
 * answer is 303 to /chats/parent-link?sent=1.
 */
static int
parent_link_create(struct http_req *r)
{
	char		 salt[2 * CRYPTO_SALT_LEN + 1];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1];
	char		 token[CRYPTO_TOKEN_LEN + 1];
	PGresult	*res;
	const char	*send = http_form(r, "send"), *me;
	long long	 live, id;
	int		 ok, by_email, young;

	by_email = send != NULL && strcmp(send, "email") == 0;
	if (by_email && (r->user->email[0] == '\0' ||
	    !r->user->email_verified))
		return HTTP_BAD_REQUEST;
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;
	me = app_num(r, r->user->id);
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_account_lock, PGRES_TUPLES_OK, me)) == NULL)
		return app_db_error();
	if ((ok = child_check(r, &live, &young)) == -1)
		return app_db_error();
	if (!ok) {
		db_rollback();
		return parent_link_not_student(r, young);
	}
	if (live >= PARENT_LINKS_LIVE) {
		/* The page says why and what to wait for. */
		db_rollback();
		return parent_link_page(r, HTTP_TOO_MANY, live, 0);
	}
	if (crypto_link_new(config->secret, CRYPTO_LINK_PARENT, r->user->id,
	    salt, hash, token) == -1) {
		db_rollback();
		log_err("parent-link", "no random bytes");
		return HTTP_SERVER_ERROR;
	}
	if ((res = db_exec(&q_parent_link_insert, PGRES_TUPLES_OK, me, hash,
	    salt, app_num(r, PARENT_LINK_DAYS))) == NULL)
		return app_db_error();
	id = db_getll(res, 0, "id");
	if (by_email && outbox_queue(OUTBOX_EMAIL, r->user->email,
	    pool_printf(r->pool, "%s %s просит подтвердить на платформе "
	    "«Парта», что вы родитель (законный представитель).\n"
	    "Откройте ссылку, войдите или зарегистрируйтесь и подтвердите "
	    "(ссылка действует 14 дней, один раз):\n%s/c/%s\n",
	    r->user->first_name, r->user->last_name, app_base_url(r),
	    token)) == -1) {
		explicit_bzero(token, sizeof(token));
		return app_db_error();
	}
	explicit_bzero(token, sizeof(token));
	if (app_commit(r) == -1)
		return app_db_error();
	if (by_email)
		return app_redirect(r, "/chats/parent-link?sent=1");
	return app_redirect(r, pool_printf(r->pool, "/chats/parent-link/%lld",
	    id));
}

/*
 * GET /chats/parent-link/ID
 * The child who made the link (anyone else: 404).  The link and its QR
 * code, derived again from the stored salt, while it can still be used;
 * once used, who used it; expired, or made before salts were kept: says
 * so.  Changes nothing.
 */
static int
parent_link_show(struct http_req *r)
{
	struct html_ctx	*c;
	PGresult	*res;
	int		 used, expired, shown;

	if ((res = db_exec(&q_parent_link_mine, PGRES_TUPLES_OK, app_num(r,
	    r->user->id), app_num(r, r->id[0]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	used = db_getbool(res, 0, "used");
	expired = db_getbool(res, 0, "expired");
	c = app_ctx(r);
	shown = !used && !expired && link_again_ctx(r, c, CRYPTO_LINK_PARENT,
	    r->user->id, res);
	html_set_str(c, "title", "Ссылка для родителя");
	html_set_str(c, "expires", db_get(res, 0, "expires"));
	html_set_bool(c, "used", used);
	html_set_str(c, "used_by", db_get(res, 0, "used_by"));
	html_set_str(c, "used_by_gender", db_get(res, 0, "used_by_gender"));
	html_set_bool(c, "expired", !used && expired);
	html_set_bool(c, "hidden_link", !used && !expired && !shown);
	return app_page(r, HTTP_OK, "parent_link_show", c);
}

/*
 * GET /chats/ID[?before=MSGID]
 * Members of the chat (others 404).  Its messages, 50 a page, newest at
 * the bottom; ?before pages back.  Marks the chat read.  Malformed
 * before: 400.
 */
static int
chat_show(struct http_req *r)
{
	struct chat	 ch;
	char		 v[VALID_MAX];
	const char	*before = http_query(r, "before");
	int		 rc;

	if (before != NULL && valid_uint(before, v, sizeof(v)) != NULL)
		return HTTP_BAD_REQUEST;
	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	return chat_render(r, &ch, HTTP_OK, before ? atoll(v) : 0, NULL, NULL);
}

/*
 * POST /chats/ID/messages   field: text
 * Members (others 404, also one taken out of the chat while the message
 * is on its way: the database refuses it); in a channel or an "only
 * admins write" chat only chat admins (403).  1..4000 characters (422
 * with the text kept); 60 a minute (429).  303 to /chats/ID#mMSGID.  The
 * chat of an archived class, and a direct chat whose other side left the
 * organization, are read-only: 409 with the chat page saying so (also
 * when it happens while the message is on its way).
 */
static int
message_post(struct http_req *r)
{
	struct chat	 ch;
	PGresult	*res;
	const char	*text, *err;
	long long	 id;
	int		 rc, n;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (ch.archived || ch.closed)
		return chat_render(r, &ch, HTTP_CONFLICT, 0, NULL, NULL);
	if (!ch.can_write)
		return HTTP_FORBIDDEN;
	if ((text = message_text(r, http_form(r, "text"), &err)) == NULL) {
		text = http_form(r, "text");
		return chat_render(r, &ch, HTTP_UNPROCESSABLE, 0, text, err);
	}
	n = auth_throttle_hit(pool_printf(r->pool, "chat_post:%lld",
	    r->user->id), 1);
	if (n == -1)
		return app_db_error();
	if (n > CHAT_POSTS_PER_MIN)
		return HTTP_TOO_MANY;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_message_insert, PGRES_TUPLES_OK, ch.org_s,
	    ch.id_s, app_num(r, r->user->id), text)) == NULL) {
		if (strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0) {
			db_rollback();
			return HTTP_NOT_FOUND;
		}
		if (strcmp(db_sqlstate(), DB_CLOSED) == 0)
			ch.closed = 1;
		else if (strcmp(db_sqlstate(), DB_CHECK_VIOLATION) == 0)
			ch.archived = 1;
		else
			return app_db_error();
		db_rollback();
		ch.can_write = 0;
		return chat_render(r, &ch, HTTP_CONFLICT, 0, NULL, NULL);
	}
	id = db_getll(res, 0, "id");
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld#m%lld", ch.id,
	    id));
}

/*
 * GET /chats/ID/messages/MSGID/delete
 * The author, or a chat admin (others 403); members only (404), a
 * message of another chat 404.  Asks to confirm deleting the message,
 * quoting it; the form posts to the same URL.  Changes nothing.
 * Deleted already: 409.
 */
static int
message_delete_confirm(struct http_req *r)
{
	struct chat	 ch;
	struct html_ctx	*c;
	PGresult	*res;
	int		 rc, mine;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if ((res = db_exec(&q_message_show, PGRES_TUPLES_OK, ch.org_s,
	    ch.id_s, app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	mine = db_getll(res, 0, "author_id") == r->user->id;
	rc = !mine && !ch.is_admin ? HTTP_FORBIDDEN :
	    db_getbool(res, 0, "deleted") ? HTTP_CONFLICT : 0;
	if (rc != 0)
		return rc;
	c = chat_ctx(r, &ch);
	html_set_str(c, "title", "Удалить сообщение?");
	html_set_str(c, "lead", pool_printf(r->pool, "%s, %s, в чате «%s»: "
	    "«%s»", db_get(res, 0, "author"), db_get(res, 0, "at"), ch.title,
	    db_get(res, 0, "body")));
	app_confirm_point(c, "текст сообщения исчезнет у всех участников "
	    "чата; на его месте останется «Сообщение удалено»;");
	app_confirm_point(c, "вернуть удалённое сообщение нельзя.");
	if (!mine)
		html_set_str(c, "note", "Вы удаляете чужое сообщение как "
		    "администратор чата: это попадёт в журнал действий.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/chats/%lld/messages/%lld/delete", ch.id, r->id[1]),
	    "Удалить сообщение", pool_printf(r->pool, "/chats/%lld#m%lld",
	    ch.id, r->id[1]));
}

/*
 * POST /chats/ID/messages/MSGID/delete
 * The author, or a chat admin (others 403); members only (404), a
 * message of another chat 404.  Hides the text for everyone; already
 * deleted: 409.  303 to /chats/ID.
 */
static int
message_delete(struct http_req *r)
{
	struct chat	 ch;
	PGresult	*res;
	long long	 author;
	int		 rc, deleted;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_message, PGRES_TUPLES_OK, ch.org_s, ch.id_s,
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1) {
		db_rollback();
		return HTTP_NOT_FOUND;
	}
	author = db_getll(res, 0, "author_id");
	deleted = db_getbool(res, 0, "deleted");
	if (author != r->user->id && !ch.is_admin) {
		db_rollback();
		return HTTP_FORBIDDEN;
	}
	if (deleted) {
		db_rollback();
		return HTTP_CONFLICT;
	}
	if ((res = db_exec(&q_message_delete, PGRES_COMMAND_OK, ch.org_s,
	    ch.id_s, app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if (author != r->user->id) {
		if ((res = db_exec(&q_audit, PGRES_COMMAND_OK, ch.org_s,
		    app_num(r, r->user->id), "chat_message_delete", app_num(r, author),
		    pool_printf(r->pool, "сообщение в чате «%s» удалено "
		    "администратором чата", ch.title))) == NULL)
			return app_db_error();
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld", ch.id));
}

/*
 * GET /chats/ID/members
 * Members of the chat (others 404).  Who is in it; for chat admins the
 * management: remove a member, "only admins write", the chat link.
 */
static int
members_show(struct http_req *r)
{
	struct chat	 ch;
	struct html_ctx	*c, *item;
	PGresult	*res;
	const char	*role;
	long long	 id;
	int		 rc, i, admin;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	c = chat_ctx(r, &ch);
	html_set_bool(c, "linkable", ch.linkable);
	html_set_bool(c, "has_link", ch.has_link);
	if ((res = db_exec(&q_members, PGRES_TUPLES_OK, ch.org_s,
	    ch.id_s)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "members");
		id = db_getll(res, i, "id");
		admin = db_getbool(res, i, "is_admin");
		role = db_get(res, i, "role");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_bool(item, "admin", admin);
		html_set_str(item, "role_name", role[0] != '\0' ?
		    org_person_role(role, db_get(res, i, "gender")) :
		    "Родитель");
		html_set_bool(item, "me", id == r->user->id);
		html_set_bool(item, "can_remove", ch.is_admin && !admin &&
		    id != r->user->id && strcmp(ch.purpose, "direct") != 0);
	}
	html_set_int(c, "member_count", PQntuples(res));
	return app_page(r, HTTP_OK, "chat_members", c);
}

/*
 * GET /chats/ID/members/AID/remove
 * Chat admins (others 403).  Asks to confirm taking the member out of
 * the chat; the form posts to the same URL.  Changes nothing.  A chat
 * admin: 403; not in the chat: 404.
 */
static int
member_remove_confirm(struct http_req *r)
{
	struct chat	 ch;
	struct html_ctx	*c;
	PGresult	*res;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || strcmp(ch.purpose, "direct") == 0)
		return HTTP_FORBIDDEN;
	if ((res = db_exec(&q_member_get, PGRES_TUPLES_OK, ch.org_s,
	    ch.id_s, app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	rc = PQntuples(res) != 1 ? HTTP_NOT_FOUND :
	    db_getbool(res, 0, "is_admin") ? HTTP_FORBIDDEN : 0;
	if (rc != 0)
		return rc;
	c = chat_ctx(r, &ch);
	html_set_str(c, "title", "Удалить из чата?");
	html_set_str(c, "lead", pool_printf(r->pool, "Из чата «%s» будет "
	    "удалён участник: %s. После этого:", ch.title,
	    db_get(res, 0, "name")));
	app_confirm_point(c, "участник перестанет видеть чат и писать в него; "
	    "его сообщения останутся;");
	app_confirm_point(c, "вернуться он сможет только по ссылке на чат, "
	    "если она есть, — или если его снова добавят.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/chats/%lld/members/%lld/remove", ch.id, r->id[1]),
	    "Удалить из чата", pool_printf(r->pool, "/chats/%lld/members",
	    ch.id));
}

/*
 * POST /chats/ID/members/AID/remove
 * Chat admins (others 403).  Takes a member out of the chat (chat admins
 * cannot be removed: 403; not in the chat: 404); audited.  303 to
 * /chats/ID/members.
 */
static int
member_remove(struct http_req *r)
{
	struct chat	 ch;
	PGresult	*res;
	const char	*who = app_num(r, r->id[1]);
	int		 rc, n, admin;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || strcmp(ch.purpose, "direct") == 0)
		return HTTP_FORBIDDEN;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_member_delete, PGRES_TUPLES_OK, ch.org_s,
	    ch.id_s, who)) == NULL)
		return app_db_error();
	n = PQntuples(res);
	admin = n == 1 && db_getbool(res, 0, "is_admin");
	if (n != 1 || admin) {
		db_rollback();
		return n != 1 ? HTTP_NOT_FOUND : HTTP_FORBIDDEN;
	}
	if ((res = db_exec(&q_audit, PGRES_COMMAND_OK, ch.org_s, app_num(r,
	    r->user->id), "chat_member_remove", who, pool_printf(r->pool,
	    "удалён из чата «%s» администратором чата", ch.title))) == NULL)
		return app_db_error();
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/members",
	    ch.id));
}

/*
 * POST /chats/ID/settings   field: admins_only ("1" or absent)
 * Chat admins (others 403).  "Only admins write" on or off (channels are
 * always so).  303 to /chats/ID/members.
 */
static int
settings_submit(struct http_req *r)
{
	struct chat	 ch;
	PGresult	*res;
	const char	*v = http_form(r, "admins_only");
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || strcmp(ch.purpose, "direct") == 0)
		return HTTP_FORBIDDEN;
	if (v != NULL && strcmp(v, "1") != 0)
		return HTTP_BAD_REQUEST;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_settings, PGRES_COMMAND_OK, ch.org_s,
	    ch.id_s, v != NULL ? "true" : "false")) == NULL)
		return app_db_error();
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/members",
	    ch.id));
}

/* The page of a chat's link for its admins: the link and its QR code
 * when there is one that can be shown, else why not, and the button. */
static int
chat_link_page(struct http_req *r, const struct chat *ch, int status)
{
	struct html_ctx	*c;
	PGresult	*res;
	int		 has_link, shown;

	if ((res = db_exec(&q_link_get, PGRES_TUPLES_OK, ch->org_s,
	    ch->id_s)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	c = chat_ctx(r, ch);
	has_link = db_get(res, 0, "token_hash")[0] != '\0';
	shown = has_link && !ch->archived && link_again_ctx(r, c,
	    CRYPTO_LINK_CHAT, ch->id, res);
	html_set_str(c, "title", pool_printf(r->pool, "Ссылка на чат «%s»",
	    ch->title));
	html_set_bool(c, "has_link", has_link);
	html_set_bool(c, "hidden_link", has_link && !shown);
	return app_page(r, status, "chat_link", c);
}

/*
 * GET /chats/ID/link
 * Chat admins (members who are not: 403; others 404) of a chat that may
 * have a link (not a channel, the staff chat or a direct chat: 403).  The
 * chat's current link and its QR code, derived again from the stored
 * salt; no link yet, or one made before salts were kept: says so, with
 * the button to make one.  The chat of an archived class: says its link
 * no longer lets anyone in.  Changes nothing.
 */
static int
link_show(struct http_req *r)
{
	struct chat	 ch;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || !ch.linkable)
		return HTTP_FORBIDDEN;
	return chat_link_page(r, &ch, HTTP_OK);
}

/*
 * POST /chats/ID/link
 * Chat admins (others as GET /chats/ID/link).  Makes a new link (a new
 * salt and hash): the old one stops working.  303 to /chats/ID/link,
 * which shows it.  The chat of an archived class takes no new members:
 * 409 with that page.
 */
static int
link_regenerate(struct http_req *r)
{
	char		 salt[2 * CRYPTO_SALT_LEN + 1];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1];
	struct chat	 ch;
	PGresult	*res;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (!ch.is_admin || !ch.linkable)
		return HTTP_FORBIDDEN;
	if (ch.archived)
		return chat_link_page(r, &ch, HTTP_CONFLICT);
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;
	if (crypto_link_new(config->secret, CRYPTO_LINK_CHAT, ch.id, salt,
	    hash, NULL) == -1) {
		log_err("link", "no random bytes");
		return HTTP_SERVER_ERROR;
	}
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_link_set, PGRES_COMMAND_OK, ch.org_s, ch.id_s,
	    hash, salt)) == NULL)
		return app_db_error();
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/link", ch.id));
}

/* The organization's chat page: my chats there and the create form. */
static int
org_chats_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *class_id)
{
	struct html_ctx	*item;
	PGresult	*res;
	int		 i;

	org_ctx(c, a);
	html_set_str(c, "title", "Чаты и каналы");
	html_set_bool(c, "can_create", a->is_admin || a->is_teacher);
	html_set_bool(c, "can_channel", a->is_admin);
	if (chats_ctx(r, c, app_num(r, a->id)) == -1)
		return app_db_error();
	if ((res = db_exec(&q_classes, PGRES_TUPLES_OK, app_num(r, a->id))) ==
	    NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_bool(item, "selected", class_id != NULL &&
		    strcmp(class_id, db_get(res, i, "id")) == 0);
	}
	return app_page(r, status, "org_chats", c);
}

/*
 * GET /org/N/chats
 * Members and the operator (others 404).  My chats and channels in the
 * organization; for admins and teachers the form to create a chat, for
 * admins also a channel.
 */
static int
org_chats(struct http_req *r)
{
	struct org_access	 a;
	struct html_ctx		*c;
	int			 rc;

	if ((rc = org_access(r, r->id[0], &a)) != 0)
		return rc;
	c = app_ctx(r);
	html_set_bool(c, "kind_chat", 1);
	html_set_bool(c, "audience_staff", 1);
	return org_chats_page(r, &a, c, HTTP_OK, NULL);
}

/*
 * POST /org/N/chats   fields: title class_id kind(chat|channel)
 *   audience(staff|all)
 * Admins and teachers (students 403); a channel admins only (403).
 * Creates the chat with its creator as chat admin, or the channel with
 * its audience as readers; 303 to /chats/ID.  Bad fields: 422.
 */
static int
org_chat_create(struct http_req *r)
{
	struct valid_result	 v[CR__MAX];
	struct org_access	 a;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*org, *kind, *audience, *class_id;
	long long		 id;
	int			 rc, errors, channel;

	if ((rc = org_access(r, r->id[0], &a)) != 0)
		return rc;
	if (!a.is_admin && !a.is_teacher)
		return HTTP_FORBIDDEN;
	kind = http_form(r, "kind");
	channel = kind != NULL && strcmp(kind, "channel") == 0;
	if (channel && !a.is_admin)
		return HTTP_FORBIDDEN;
	c = app_ctx(r);
	org = app_num(r, a.id);
	errors = app_form(r, create_fields, CR__MAX, v, c);
	/* "title" is the page's title: the typed one goes back as
	 * title_value, the choices as flags. */
	html_set_str(c, "title_value", v[CR_TITLE].value);
	html_set_bool(c, "kind_chat", !channel);
	html_set_bool(c, "kind_channel", channel);
	html_set_bool(c, "audience_staff", strcmp(v[CR_AUDIENCE].value,
	    "staff") == 0);
	html_set_bool(c, "audience_all", strcmp(v[CR_AUDIENCE].value,
	    "all") == 0);
	if (channel && !v[CR_AUDIENCE].present && v[CR_AUDIENCE].error ==
	    NULL) {
		html_set_str(c, "audience_error", "Выберите, кто читает канал");
		html_set_bool(c, "form_errors", 1);
		errors++;
	}
	if (v[CR_CLASS].present && v[CR_CLASS].error == NULL) {
		if ((res = db_exec(&q_class_ok, PGRES_TUPLES_OK, org,
		    v[CR_CLASS].value)) == NULL)
			return app_db_error();
		if (PQntuples(res) != 1) {
			html_set_str(c, "class_id_error", "Выберите класс "
			    "из списка");
			html_set_bool(c, "form_errors", 1);
			errors++;
		}
	}
	if (errors > 0)
		return org_chats_page(r, &a, c, HTTP_UNPROCESSABLE,
		    v[CR_CLASS].value);
	class_id = v[CR_CLASS].present ? v[CR_CLASS].value : NULL;
	audience = channel ? v[CR_AUDIENCE].value : NULL;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_chat_insert, PGRES_TUPLES_OK, org,
	    channel ? "channel" : "chat", v[CR_TITLE].value, class_id,
	    audience, app_num(r, r->user->id))) == NULL)
		return app_db_error();
	id = db_getll(res, 0, "id");
	if ((res = db_exec(&q_chat_admin_add, PGRES_COMMAND_OK, org,
	    app_num(r, id), app_num(r, r->user->id))) == NULL) {
		/* The class was archived since it was checked. */
		if (strcmp(db_sqlstate(), DB_CHECK_VIOLATION) != 0)
			return app_db_error();
		db_rollback();
		html_set_str(c, "class_id_error", "Выберите класс из списка");
		html_set_bool(c, "form_errors", 1);
		return org_chats_page(r, &a, c, HTTP_UNPROCESSABLE, NULL);
	}
	if (channel && (res = db_exec(&q_channel_fill, PGRES_COMMAND_OK,
	    org, app_num(r, id), audience)) == NULL)
		return app_db_error();
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld", id));
}

/* A token from /c/TOKEN and what it opens: 1 a chat link, 2 a parent
 * link, 0 neither; the row in *res (the caller clears it), or -1. */
static int
link_find(struct http_req *r, PGresult **res)
{
	const char	*hash = token_hash_hex(r, r->arg[0]);
	const char	*me = app_num(r, r->user != NULL ? r->user->id : 0);

	if ((*res = db_exec(&q_link_chat, PGRES_TUPLES_OK, hash, me)) ==
	    NULL)
		return -1;
	if (PQntuples(*res) == 1)
		return 1;
	if ((*res = db_exec(&q_parent_link, PGRES_TUPLES_OK, hash, me)) ==
	    NULL)
		return -1;
	if (PQntuples(*res) == 1)
		return 2;
	*res = NULL;
	return 0;
}

/* The landing page of a link: the chat's or the parent link's.  A chat
 * link answered 410 is the link of an archived class's chat. */
static int
link_page(struct http_req *r, int status, int what, const PGresult *res)
{
	struct html_ctx	*c;
	const char	*self = pool_printf(r->pool, "/c/%s", r->arg[0]);
	const char	*refusal;

	c = app_ctx(r);
	html_set_str(c, "token", r->arg[0]);
	html_set_str(c, "next_enc", http_urlencode(r->pool, self));
	if (what == 1) {
		html_set_str(c, "title", "Приглашение в чат");
		html_set_bool(c, "chat_link", 1);
		html_set_str(c, "chat_title", db_get(res, 0, "title"));
		html_set_str(c, "chat_org", db_get(res, 0, "org_name"));
		html_set_str(c, "chat_id", db_get(res, 0, "id"));
		html_set_bool(c, "joined", db_getbool(res, 0, "joined"));
		if (status == HTTP_GONE) {
			html_set_str(c, "title", "Чат только для чтения");
			html_set_bool(c, "archived", 1);
		}
	} else {
		html_set_str(c, "title", "Подтверждение родителя");
		html_set_bool(c, "parent_link", 1);
		html_set_str(c, "child_short", pool_printf(r->pool, "%s %s.",
		    db_get(res, 0, "first_name"), db_get(res, 0, "initial")));
		html_set_str(c, "child_gender", db_get(res, 0, "gender"));
		if (r->user != NULL) {
			html_set_str(c, "child_name", db_get(res, 0,
			    "full_name"));
			html_set_bool(c, "is_child", db_getll(res, 0,
			    "child_id") == r->user->id);
			html_set_bool(c, "guardian", db_getbool(res, 0,
			    "guardian"));
			refusal = db_get(res, 0, "refusal");
			/* Who may not be a guardian is told before trying. */
			if (strcmp(refusal, "minor") == 0)
				html_set_str(c, "refusal",
				    guardian_refusal_text(GUARDIAN_MINOR));
			else if (strcmp(refusal, "student") == 0)
				html_set_str(c, "refusal",
				    guardian_refusal_text(GUARDIAN_STUDENT));
		}
	}
	return app_page(r, status, "link_landing", c);
}

/* The organization of link row res that bars the person asking, or
 * NULL: the chat's for a chat link (what 1), a school of the child's
 * for a parent link. */
static const char *
link_barred(struct http_req *r, int what, const PGresult *res)
{
	if (r->user == NULL)
		return NULL;
	if (what == 1)
		return db_getbool(res, 0, "barred") ? pool_strdup(r->pool,
		    db_get(res, 0, "org_name")) : NULL;
	return db_get(res, 0, "barred_org")[0] != '\0' ? pool_strdup(r->pool,
	    db_get(res, 0, "barred_org")) : NULL;
}

/*
 * GET /c/TOKEN
 * Anyone.  A chat link: the chat's name and organization, and a button to
 * join (or log in / sign up first).  A child's parent link: who asks to
 * be confirmed, and a button to confirm; the child themselves is told the
 * link is for their parent, and who may not be a guardian (a minor, a
 * student) why.  Unknown token: 404; a used or expired parent link, or
 * the link of an archived class's chat: 410 with a page that says which.  A person removed from the chat's organization
 * (or from a school of the child's, for a parent link): 403 with a page
 * that says so and nothing of the chat.
 */
static int
link_landing(struct http_req *r)
{
	PGresult	*res;
	const char	*barred;
	int		 what, rc;

	if ((what = link_find(r, &res)) == -1)
		return app_db_error();
	if (what == 0)
		return HTTP_NOT_FOUND;
	if (what == 2 && (db_getbool(res, 0, "used") ||
	    db_getbool(res, 0, "expired"))) {
		rc = db_getbool(res, 0, "used");
		return parent_link_gone(r, rc);
	}
	if ((barred = link_barred(r, what, res)) != NULL)
		return org_barred_page(r, barred);
	rc = link_page(r, what == 1 && db_getbool(res, 0, "archived") ?
	    HTTP_GONE : HTTP_OK, what, res);
	return rc;
}

/* 1 if the person has proved a phone or e-mail (or is a young child
 * confirmed by a guardian). */
static int
verified(const struct http_req *r)
{
	return r->user->verified;
}

/*
 * POST /c/TOKEN
 * Anyone logged in with a verified phone or e-mail (others go to
 * /verify first).  A chat link: joins the chat, 303 to /chats/ID (already
 * in it: 409; the chat of an archived class: 410, also when the class is
 * archived meanwhile: the database refuses the member).  A parent link:
 * takes the link (single use, 14 days: else 410 saying which) and makes
 * the person the child's confirmed guardian (lib/guardian), which brings
 * them into the parents' chat of the child's class and tells the
 * homeroom teacher; 303 to /chats/family.  Already their guardian, under
 * 18, a student (or applying as one) anywhere: 409 with the plain
 * reason; the child themselves: 403 with the explanation.
 * Unknown token: 404.  A barred person (as for GET): 403 with the page
 * that says so, also when the bar came while the request was on its
 * way (the database refuses the join); nothing is changed.
 */
static int
link_follow(struct http_req *r)
{
	PGresult	*res, *join;
	const char	*me = app_num(r, r->user->id), *org, *chat;
	const char	*barred;
	long long	 id;
	int		 what, rc, n;

	if ((what = link_find(r, &res)) == -1)
		return app_db_error();
	if (what == 0)
		return HTTP_NOT_FOUND;
	if ((what == 1 || !(db_getbool(res, 0, "used") ||
	    db_getbool(res, 0, "expired"))) &&
	    (barred = link_barred(r, what, res)) != NULL) {
		return org_barred_page(r, barred);
	}
	if (what == 1 && db_getbool(res, 0, "archived")) {
		rc = link_page(r, HTTP_GONE, what, res);
		return rc;
	}
	if (!verified(r)) {
		return app_redirect(r, pool_printf(r->pool, "/verify?next=%s",
		    http_urlencode(r->pool, pool_printf(r->pool, "/c/%s",
		    r->arg[0]))));
	}
	if (what == 1) {
		org = pool_strdup(r->pool, db_get(res, 0, "org_id"));
		chat = pool_strdup(r->pool, db_get(res, 0, "id"));
		if (db_getbool(res, 0, "joined")) {
			rc = link_page(r, HTTP_CONFLICT, what, res);
			return rc;
		}
		if (db_begin() == -1)
			return app_db_error();
		if ((join = db_exec(&q_link_join, PGRES_COMMAND_OK, org,
		    chat, me)) == NULL) {
			if (strcmp(db_sqlstate(), DB_BARRED) == 0) {
				db_rollback();
				barred = pool_strdup(r->pool,
				    db_get(res, 0, "org_name"));
				return org_barred_page(r, barred);
			}
			if (strcmp(db_sqlstate(), DB_CHECK_VIOLATION) != 0)
				return app_db_error();
			db_rollback();
			rc = link_page(r, HTTP_GONE, what, res);
			return rc;
		}
		n = atoi(PQcmdTuples(join));
		if (app_commit(r) == -1)
			return app_db_error();
		if (n != 1)
			return HTTP_CONFLICT;
		return app_redirect(r, pool_printf(r->pool, "/chats/%s", chat));
	}
	if (db_getll(res, 0, "child_id") == r->user->id) {
		rc = link_page(r, HTTP_FORBIDDEN, what, res);
		return rc;
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_link_confirm(r, token_hash_hex(r, r->arg[0]), &id);
	if (rc != GUARDIAN_OK) {
		db_rollback();
		if (rc == GUARDIAN_USED || rc == GUARDIAN_EXPIRED)
			return parent_link_gone(r, rc == GUARDIAN_USED);
		if (rc == GUARDIAN_ERROR || rc == GUARDIAN_NOT_FOUND)
			return guardian_http_status(rc);
		return parent_link_refused(r, rc);
	}
	if (app_commit(r) == -1)
		return app_db_error();
	return app_redirect(r, "/chats/family");
}

int
main(void)
{
	return app_main("chat", routes, sizeof(routes) / sizeof(routes[0]));
}
