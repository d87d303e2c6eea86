/*
 * chat: chats, channels and their messages, members and settings; an
 * organization's chats (what the program as a whole does: main.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "file.h"
#include "home.h"
#include "org.h"
#include "pool.h"
#include "utf8.h"

#include "chat.h"

#define CHAT_PAGE		50	/* messages per page */

#define CHAT_TEXT_MAX		4000	/* characters in a message */

#define CHAT_TITLE_MAX		100	/* characters in a chat title */

#define CHAT_POSTS_PER_MIN	60	/* posts per person and minute */

#define CHAT_FILES_MAX		10	/* files in a message (also a CHECK
					 * of sql/0041_message_files.sql) */

/* What the file input offers to pick; the types kept are lib/file's
 * to decide, by content. */
#define CHAT_FILE_ACCEPT	"image/jpeg,image/png,image/webp,"	\
	"application/pdf,.pdf,.jpg,.jpeg,.png,.webp,.doc,.docx,.xls,"	\
	".xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt,.zip"

static const char	*valid_title(const char *, char *, size_t);
static const char	*valid_kind(const char *, char *, size_t);
static const char	*valid_audience(const char *, char *, size_t);

enum create_key {
	CR_TITLE, CR_CLASS, CR_KIND, CR_AUDIENCE, CR__MAX
};

/* The audience is shown as its checked choice (html keys unread:
 * audience). */
static const struct valid_field create_fields[CR__MAX] = {
	{ "title", valid_title, 1 },		/* CR_TITLE */
	{ "class_id", valid_uint, 0 },		/* CR_CLASS */
	{ "kind", valid_kind, 0 },		/* CR_KIND */
	{ "audience", valid_audience, 0 },	/* CR_AUDIENCE */
};

/* A chat and the request's account's membership: no row if not a
 * member, or a parent no longer reading it (parta.chat_readable,
 * sql/0024). */
static const struct db_stmt q_chat = {
	"chat_load",
	"SELECT c.org_id, c.kind, c.purpose, c.admins_only,"
	" c.token_hash IS NOT NULL AS has_link, ct.title,"
	" o.short_name AS org_name, cm.is_admin, cm.last_read_id,"
	" cm.opened_at IS NOT NULL AS opened,"
	" ca.archived, c.closed_at IS NOT NULL AS closed,"
	" coalesce(c.public_audience, '') AS public_audience,"
	" parta.chat_by_hand(c.kind, c.purpose) AS by_hand"
	" FROM parta.chat c JOIN parta.chat_member cm ON cm.org_id = c.org_id"
	"  AND cm.chat_id = c.id AND cm.account_id = parta.rls_account()"
	" JOIN parta.org o ON o.id = c.org_id"
	" CROSS JOIN LATERAL parta.chat_title(viewer => parta.rls_account(),"
	"  purpose => c.purpose, title => c.title, guardian => c.guardian_id,"
	"  peer => c.peer_id) ct"
	" CROSS JOIN LATERAL parta.chat_archived(org => c.org_id,"
	"  class_id => c.class_id) ca"
	" WHERE c.id = $1"
	" AND parta.chat_readable(c.org_id, c.id, parta.rls_account())"
};

/* Every chat of the request's account (parta.rls_account(): it may be
 * queued before the program knows who asks, APP_ONE_TRIP), of
 * organization $1 (NULL: of all), the most recently active first, with
 * the number of messages from others since they last read it. */
static const struct db_stmt q_my_chats = {
	"chat_my_chats",
	"SELECT c.id, c.kind, c.purpose, ct.title,"
	" o.short_name AS org_name, ca.archived,"
	" c.closed_at IS NOT NULL AS closed,"
	" (SELECT count(*) FROM parta.message m WHERE m.org_id = c.org_id"
	"  AND m.chat_id = c.id AND m.id > cm.last_read_id"
	"  AND m.deleted_at IS NULL AND m.author_id <> parta.rls_account())"
	"  AS unread,"
	" (SELECT max(m.id) FROM parta.message m WHERE m.org_id = c.org_id"
	"  AND m.chat_id = c.id) AS last_id"
	" FROM parta.chat_member cm JOIN parta.chat c ON c.org_id = cm.org_id"
	"  AND c.id = cm.chat_id"
	" JOIN parta.org o ON o.id = c.org_id"
	" CROSS JOIN LATERAL parta.chat_title(viewer => parta.rls_account(),"
	"  purpose => c.purpose, title => c.title, guardian => c.guardian_id,"
	"  peer => c.peer_id) ct"
	" CROSS JOIN LATERAL parta.chat_archived(org => c.org_id,"
	"  class_id => c.class_id) ca"
	" WHERE cm.account_id = parta.rls_account()"
	" AND ($1::bigint IS NULL OR c.org_id = $1)"
	" AND parta.chat_readable(c.org_id, c.id, parta.rls_account())"
	" ORDER BY last_id DESC NULLS LAST, c.id DESC"
};

/* A page of chat $1's messages before message $2, newest first (the
 * page shows them oldest first), $3 of them: one more than a page tells
 * whether there are older ones.  Times in the organization's region.
 * The chat's organization is read here (one row, before the messages'
 * index is walked), so the statement needs only the chat: it is sent
 * with the chat's own (APP_ONE_TRIP), and finds nothing in a chat the
 * request's account may not read (row-level security). */
static const struct db_stmt q_messages = {
	"chat_messages",
	"SELECT m.id, m.author_id, m.body, m.deleted_at IS NOT NULL AS deleted,"
	" parta.local_time(m.created_at, rg.tz) AS at,"
	" concat_ws(' ', a.first_name, a.last_name) AS author"
	" FROM parta.message m JOIN parta.account a ON a.id = m.author_id"
	" JOIN parta.org o ON o.id = m.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE m.org_id = (SELECT c.org_id FROM parta.chat c WHERE c.id = $1)"
	" AND m.chat_id = $1 AND m.id < $2"
	" ORDER BY m.id DESC LIMIT $3"
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

/* A message with files takes the quota locks (the author's, then the
 * school's row) before it writes anything: the message's own foreign
 * keys lock those rows FOR KEY SHARE, and two posts taking the quota
 * locks after that waited for each other (sql/0056_file_quota_lock.sql). */
static const struct db_stmt q_quota_lock = {
	"chat_file_quota_lock",
	"SELECT parta.file_quota_lock($1)"
};

/* The files of the messages of a page (q_messages' first $3 of chat
 * $1 before message $2: those shown), in the order of the messages and
 * of their files; the columns of a file are parta.file_list's
 * (sql/0040_files.sql), what file_set reads.  Files of deleted messages
 * were let go (sql/0041_message_files.sql). */
static const struct db_stmt q_message_files = {
	"chat_message_files",
	"WITH c AS MATERIALIZED (SELECT c.org_id FROM parta.chat c"
	"  WHERE c.id = $1),"
	" p AS MATERIALIZED (SELECT m.id FROM parta.message m"
	"  WHERE m.org_id = (SELECT org_id FROM c) AND m.chat_id = $1"
	"  AND m.id < $2 ORDER BY m.id DESC LIMIT $3)"
	" SELECT mf.message_id, f.*"
	" FROM parta.message_file mf JOIN parta.file_list f"
	"  ON f.file_id = mf.file_id"
	" WHERE mf.org_id = (SELECT org_id FROM c) AND mf.chat_id = $1"
	" AND mf.message_id BETWEEN (SELECT min(id) FROM p)"
	"  AND (SELECT max(id) FROM p)"
	" ORDER BY mf.message_id, mf.ord"
};

static const struct db_stmt q_message_file_add = {
	"chat_message_file_add",
	"INSERT INTO parta.message_file (org_id, chat_id, message_id, file_id,"
	" ord) VALUES ($1, $2, $3, $4, $5)"
};

static const struct db_stmt q_message = {
	"chat_message",
	"SELECT author_id, deleted_at IS NOT NULL AS deleted"
	" FROM parta.message WHERE org_id = $1 AND chat_id = $2 AND id = $3"
	" FOR UPDATE"
};

/* A message as its deletion is confirmed: who wrote it, when, what,
 * how many files it carries. */
static const struct db_stmt q_message_show = {
	"chat_message_show",
	"SELECT m.author_id, m.deleted_at IS NOT NULL AS deleted, m.body,"
	" (SELECT count(*) FROM parta.message_file f WHERE f.org_id = m.org_id"
	"  AND f.message_id = m.id) AS files,"
	" parta.local_time(m.created_at, rg.tz) AS at,"
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
/* The members of chat $2 of $1, its admins first; last_admin: viewer $3
 * is its only admin, who may not leave (parta.chat_leave_refusal). */
static const struct db_stmt q_members = {
	"chat_members",
	"SELECT a.id, concat_ws(' ', a.last_name, a.first_name) AS name,"
	" cm.is_admin, coalesce(m.role, '') AS role, a.gender,"
	" (SELECT parta.chat_leave_refusal($1, $2, $3)) = 'last_admin'"
	"  AS last_admin"
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

/* The classes a chat may be about. */
static const struct db_stmt q_classes = {
	"chat_classes",
	"SELECT id, parta.class_name(grade, letter, title) AS name"
	" FROM parta.class WHERE org_id = $1 AND archived_at IS NULL"
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

/*
 * Load chat id for the person asking into ch: 0, HTTP_NOT_FOUND when the
 * chat does not exist or they are not in it, or a database error status.
 */
int
chat_load(struct http_req *r, long long id, struct chat *ch)
{
	return chat_load_read(r, chat_load_send(r, id), id, ch);
}

struct db_query *
chat_load_send(struct http_req *r, long long id)
{
	return db_send(&q_chat, PGRES_TUPLES_OK, app_num(r, id));
}

int
chat_load_read(struct http_req *r, struct db_query *q, long long id,
    struct chat *ch)
{
	PGresult	*res;

	memset(ch, 0, sizeof(*ch));
	if ((res = db_result(q)) == NULL)
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
	ch->public_audience = pool_strdup(r->pool, db_get(res, 0,
	    "public_audience"));
	ch->by_hand = db_getbool(res, 0, "by_hand");
	/* Channels and the staff chat follow roles, direct chats are for
	 * two: none of them is joined by a link. */
	ch->linkable = !ch->is_channel && strcmp(ch->purpose, "staff") != 0 &&
	    strcmp(ch->purpose, "direct") != 0;
	ch->can_write = !ch->archived && !ch->closed && (ch->is_admin ||
	    (!ch->is_channel && !ch->admins_only));
	return 0;
}

/* Page values every chat page has. */
struct html_ctx *
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
		/* 'h' first: url_at at every byte of every message was an
		 * eighth of the chat page's own work (perf). */
		if ((*s == 'h' || *s == 'H') &&
		    (s == body || !((s[-1] >= 'a' && s[-1] <= 'z') ||
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
 * A message as typed, made ready to store (lib/valid's valid_message:
 * line breaks as \n, spaces around trimmed).  NULL and a message for the
 * form when it is empty, too long or has control characters.
 */
static const char *
message_text(struct http_req *r, const char *in, const char **err)
{
	char	*out = pool_strdup(r->pool, in != NULL ? in : "");
	size_t	 chars;

	if ((*err = valid_message(out, CHAT_TEXT_MAX, &chars)) == NULL)
		return out;
	if (strcmp(*err, VALID_E_TEXT_LONG) == 0)
		*err = pool_printf(r->pool, "Не больше %d %s "
		    "(сейчас %zu)", CHAT_TEXT_MAX, ru_plural(CHAT_TEXT_MAX,
		    "символа", "символов", "символов"), chars);
	return NULL;
}

/* Bytes in words (lib/html's ru_size_words), from r's pool. */
static const char *
bytes_words(struct http_req *r, long long n)
{
	char	 w[32];

	return pool_strdup(r->pool, ru_size_words(w, sizeof(w), n));
}

/*
 * The files of the page's messages into their items: one statement for
 * the page (ids first..last, items in the same order, oldest first).
 */
static int
message_files_ctx(struct db_query *q, struct html_ctx **items,
    const long long *ids, int n)
{
	PGresult	*res;
	long long	 mid;
	int		 i, j = 0;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		mid = db_getll(res, i, "message_id");
		while (j < n && ids[j] < mid)
			j++;
		if (j == n)
			break;
		if (ids[j] == mid && items[j] != NULL)
			file_set(html_list_add(items[j], "files"), res, i);
	}
	return 0;
}

/* A page of chat id's messages before message before (0: the newest)
 * and their files, queued (lib/db.h) for chat_page: by the chat alone,
 * so before it is loaded too (APP_ONE_TRIP). */
struct chat_page_q {
	long long	 before;
	struct db_query	*messages, *files;
};

static void
chat_page_send(struct http_req *r, long long id, long long before,
    struct chat_page_q *q)
{
	const char	*b = before > 0 ? app_num(r, before) :
	    "9223372036854775807";

	q->before = before;
	q->messages = db_send(&q_messages, PGRES_TUPLES_OK, app_num(r, id), b,
	    app_num(r, CHAT_PAGE + 1));
	q->files = db_send(&q_message_files, PGRES_TUPLES_OK, app_num(r, id),
	    b, app_num(r, CHAT_PAGE));
}

/*
 * The chat page of q: a page of messages, oldest at the top, newest at
 * the bottom, "earlier" going back before the first shown, each with
 * its files.  Reading the newest page marks the chat read.  text, err
 * and file_err refill the form after a refused message.
 */
static int
chat_page(struct http_req *r, const struct chat *ch, int status,
    const struct chat_page_q *q, const char *text, const char *err,
    const char *file_err)
{
	struct html_ctx	*c, *item, **items;
	PGresult	*res;
	long long	 newest = 0, author, *ids, before = q->before;
	int		 i, k, n, more, rc;

	if ((res = db_result(q->messages)) == NULL)
		return app_db_error();
	c = chat_ctx(r, ch);
	n = PQntuples(res);
	more = n > CHAT_PAGE;
	if (more)
		n = CHAT_PAGE;
	html_list_init(c, "messages");
	html_set_bool(c, "has_messages", n > 0);
	items = pool_alloc(r->pool, (size_t)(n + 1) * sizeof(*items));
	ids = pool_alloc(r->pool, (size_t)(n + 1) * sizeof(*ids));
	for (i = n - 1, k = 0; i >= 0; i--, k++) {
		item = html_list_add(c, "messages");
		author = db_getll(res, i, "author_id");
		app_set_cols(item, res, i, "id", "author", "at", NULL);
		html_set_bool(item, "mine", author == r->user->id);
		ids[k] = db_getll(res, i, "id");
		items[k] = NULL;
		if (db_getbool(res, i, "deleted"))
			html_set_bool(item, "deleted", 1);
		else {
			html_set_bool(item, "has_text",
			    db_get(res, i, "body")[0] != '\0');
			message_parts(r, item, db_get(res, i, "body"));
			html_set_bool(item, "can_delete", ch->is_admin ||
			    author == r->user->id);
			items[k] = item;
		}
		if (i == 0)
			newest = db_getll(res, i, "id");
	}
	if ((rc = message_files_ctx(q->files, items, ids, n)) != 0)
		return rc;
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
	if (file_err != NULL) {
		html_set_str(c, "file_error", file_err);
		html_set_bool(c, "form_errors", 1);
	}
	html_set_str(c, "file_accept", CHAT_FILE_ACCEPT);
	html_set_str(c, "upload_max", bytes_words(r,
	    (long long)config->max_upload));
	html_set_int(c, "upload_max_bytes", (long long)config->max_upload);
	/* One statement, atomic by itself: no BEGIN and COMMIT around it
	 * (two round trips more).  On a read replica it goes to the
	 * primary (lib/db.h). */
	if (before == 0 && (newest > ch->last_read || !ch->opened) &&
	    db_exec(&q_mark_read, PGRES_COMMAND_OK, ch->org_s, ch->id_s,
	    app_num(r, r->user->id), app_num(r, newest)) == NULL)
		return app_db_error();
	return app_page(r, status, "chat", c);
}

/*
 * The chat page (chat_page) of the newest messages, or those before
 * message before.  A message the database refused left its transaction
 * unusable, and a refused file leaves a message half made, so the page
 * rolls back first (app_rollback): nothing of it was posted.
 */
static int
chat_render(struct http_req *r, const struct chat *ch, int status,
    long long before, const char *text, const char *err,
    const char *file_err)
{
	struct chat_page_q	 q;

	app_rollback();
	chat_page_send(r, ch->id, before, &q);
	return chat_page(r, ch, status, &q, text, err, file_err);
}

/* The person's chats of organization org (NULL: of all), queued
 * (lib/db.h), for chats_read. */
static struct db_query *
chats_send(const char *org)
{
	return db_send(&q_my_chats, PGRES_TUPLES_OK, org);
}

/* The list of chats of q (chats_send) into c: 0, or an HTTP status. */
static int
chats_read(struct html_ctx *c, struct db_query *q)
{
	struct html_ctx	*item;
	PGresult	*res;
	int		 i;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
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
int
chats_list(struct http_req *r)
{
	struct html_ctx	*c;
	struct db_query	*chats, *link;
	int		 rc, ok, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP). */
	chats = chats_send(NULL);
	link = home_parent_link_send(r);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	c = app_ctx(r);
	html_set_str(c, "title", "Сообщения");
	if ((rc = chats_read(c, chats)) != 0 ||
	    (rc = home_parent_link_read(link, &ok)) != 0)
		return rc;
	html_set_bool(c, "parent_link", ok);
	return app_page(r, HTTP_OK, "chats", c);
}

/*
 * GET /chats/ID[?before=MSGID]
 * Members of the chat (others 404).  Its messages, 50 a page, newest at
 * the bottom; ?before pages back.  Marks the chat read.  Malformed
 * before: 400.
 */
int
chat_show(struct http_req *r)
{
	struct chat		 ch;
	struct chat_page_q	 page;
	struct db_query		*chat;
	char			 v[VALID_MAX];
	const char		*before = http_query(r, "before");
	int			 rc, answered, bad;

	/* The chat and its page with the session's lookup (APP_ONE_TRIP). */
	bad = before != NULL && valid_uint(before, v, sizeof(v)) != NULL;
	if (!bad) {
		chat = chat_load_send(r, r->id[0]);
		chat_page_send(r, r->id[0], before ? atoll(v) : 0, &page);
	}
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	if (bad)
		return HTTP_BAD_REQUEST;
	if ((rc = chat_load_read(r, chat, r->id[0], &ch)) != 0)
		return rc;
	return chat_page(r, &ch, HTTP_OK, &page, NULL, NULL, NULL);
}

/* The files a message being posted carries: the parts of field "file"
 * chosen (lib/file: file_chosen) into up, the values of field "file_id" into ids; both from
 * the request's pool.  -1 when a file_id is not a number. */
static int
message_files_sent(struct http_req *r, const struct http_file ***up,
    size_t *nup, const char ***ids, size_t *nids)
{
	char	 v[VALID_MAX];
	size_t	 i, j;

	*up = pool_alloc(r->pool, (r->files.n + 1) * sizeof(**up));
	*ids = pool_alloc(r->pool, (r->form.n + 1) * sizeof(**ids));
	*nup = *nids = 0;
	for (i = 0; i < r->files.n; i++) {
		if (file_chosen(&r->files.v[i]))
			(*up)[(*nup)++] = &r->files.v[i];
	}
	for (i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, "file_id") != 0)
			continue;
		if (valid_uint(r->form.v[i].val, v, sizeof(v)) != NULL)
			return -1;
		for (j = 0; j < *nids; j++)
			if (strcmp((*ids)[j], v) == 0)
				break;
		if (j == *nids)
			(*ids)[(*nids)++] = pool_strdup(r->pool, v);
	}
	return 0;
}

static const struct db_stmt q_message_file_send = {
	"chat_message_file_send",
	"SELECT s.refused, s.left_bytes, s.quota, f.name, f.size"
	" FROM parta.message_file_send($1, $2, $3, $4) s"
	" LEFT JOIN parta.file f ON f.id = $3::bigint"
};

/*
 * Attach file id (a number, from file_id) of the poster's storage to
 * the message being posted in ch: it must be theirs and in their
 * storage; charged to the organization's quota
 * (parta.message_file_send).  0; 422 or 413 with *err for the field;
 * else a database status.
 */
static int
message_file_send(struct http_req *r, const struct chat *ch, const char *id,
    const char **err)
{
	PGresult	*res;
	const char	*refused;

	if ((res = db_exec(&q_message_file_send, PGRES_TUPLES_OK, ch->org_s,
	    ch->id_s, id, app_num(r, config->org_quota))) == NULL)
		return app_db_error();
	refused = db_get(res, 0, "refused");
	if (refused[0] == '\0')
		return 0;
	if (strcmp(refused, "org") == 0 && !db_isnull(res, 0, "name")) {
		if ((*err = file_quota_words(r, refused, ch->org,
		    db_getll(res, 0, "size"), db_getll(res, 0, "left_bytes"),
		    db_getll(res, 0, "quota"))) == NULL)
			return app_db_error();
		*err = pool_printf(r->pool, "«%s»: %s", db_get(res, 0, "name"),
		    *err);
		return HTTP_TOO_LARGE;
	}
	*err = "Этого файла нет в вашем хранилище";
	return HTTP_UNPROCESSABLE;
}

/*
 * POST /chats/ID/messages   fields: text, file (any number of parts),
 *   file_id (any number); multipart/form-data or urlencoded
 * Members (others 404, also one taken out of the chat while the message
 * is on its way: the database refuses it); in a channel or an "only
 * admins write" chat only chat admins (403).  Text of 0..4000
 * characters, empty only with a file; at most 10 files, each uploaded
 * (kept by lib/file for the chat's organization: its type, size and
 * quotas) or one of the poster's own in their storage (file_id, from
 * /me/files/ID/send; charged to the organization's quota).  A refusal
 * is the chat page with the words next to the field and the text kept:
 * 422 (empty, too long, too many files, a type not kept, a file_id not
 * in the poster's storage), 413 over a quota, 429 with Retry-After for
 * a photo while another upload of the poster converts one (lib/file:
 * one at a time; the photos of one message are converted in turn), and
 * nothing posted.  60 posts a minute (429).  303 to /chats/ID#mMSGID.  The chat of an
 * archived class, and a direct chat whose other side left the
 * organization, are read-only: 409 with the chat page saying so (also
 * when it happens while the message is on its way).  The whole body is
 * at most PARTA_MAX_UPLOAD (APP_UPLOAD), the files together: it is held
 * in the worker's memory; a larger file goes through /me/files.  Photos of
 * more than PARTA_CONVERT_BUDGET megapixels together: 422; photos not
 * converted in time (the server busy): 503 with the page saying so,
 * nothing posted (lib/file).
 */
int
message_post(struct http_req *r)
{
	struct chat		  ch;
	struct file_ready	 *ready;
	PGresult		 *res;
	const struct http_file	**up;
	const char		**ids, *text, *err, *ferr, *refused;
	long long		  id, fid;
	size_t			  nup, nids, i;
	int			  rc, n, ord = 0, status;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	if (ch.archived || ch.closed)
		return chat_render(r, &ch, HTTP_CONFLICT, 0, NULL, NULL, NULL);
	if (!ch.can_write)
		return HTTP_FORBIDDEN;
	if (message_files_sent(r, &up, &nup, &ids, &nids) == -1)
		return HTTP_BAD_REQUEST;
	if ((text = message_text(r, http_form(r, "text"), &err)) == NULL) {
		if (nup + nids > 0 && strcmp(err, VALID_E_TEXT_EMPTY) == 0) {
			text = "";
			err = NULL;
		} else if (strcmp(err, VALID_E_TEXT_EMPTY) == 0)
			err = "Напишите сообщение или приложите файл";
	}
	/* Parts past HTTP_MAX_FILES were counted, not kept (lib/http). */
	ferr = nup + nids + r->files.over > CHAT_FILES_MAX ?
	    pool_printf(r->pool,
	    "Не больше %d файлов в одном сообщении (выбрано %zu)",
	    CHAT_FILES_MAX, nup + nids + r->files.over) : NULL;
	if (err != NULL || ferr != NULL)
		return chat_render(r, &ch, HTTP_UNPROCESSABLE, 0,
		    http_form(r, "text"), err, ferr);
	n = auth_throttle_hit(pool_printf(r->pool, "chat_post:%lld",
	    r->user->id), 1);
	if (n == -1)
		return app_db_error();
	if (n > CHAT_POSTS_PER_MIN)
		return HTTP_TOO_MANY;
	if (db_begin() == -1)
		return app_db_error();
	/* The uploads checked and converted first (seconds for a photo),
	 * before the quota locks and the message: no lock is held
	 * meanwhile.  A photo while another upload of the poster converts
	 * one: 429 (lib/file: one at a time), with Retry-After. */
	ready = pool_alloc(r->pool, (nup + 1) * sizeof(*ready));
	/* Their sizes against the quotas and the photos' pixels against
	 * the budget, before anything converts. */
	if ((rc = file_screen(r, up, nup, FILE_ORG, ch.org, &ferr)) != 0) {
		if (ferr == NULL)
			return rc;
		return chat_render(r, &ch, rc, 0, http_form(r, "text"), NULL,
		    ferr);
	}
	for (i = 0, refused = NULL, status = 0; i < nup; i++) {
		/* Every file checked, every one refused named. */
		rc = file_prepare(r, up[i], &ready[i], &ferr);
		if (rc == HTTP_UNPROCESSABLE || rc == HTTP_TOO_LARGE ||
		    rc == HTTP_TOO_MANY || (rc == HTTP_UNAVAILABLE &&
		    ferr != NULL)) {
			file_refusal_add(r, &refused, up[i], ferr);
			if (status == 0)
				status = rc;
		} else if (rc != 0)
			return rc;
	}
	if (refused != NULL)
		return chat_render(r, &ch, status, 0, http_form(r, "text"),
		    NULL, refused);
	if (nup + nids > 0 && db_exec(&q_quota_lock, PGRES_TUPLES_OK,
	    ch.org_s) == NULL)
		return app_db_error();
	if ((res = db_exec(&q_message_insert, PGRES_TUPLES_OK, ch.org_s,
	    ch.id_s, app_num(r, r->user->id), text)) == NULL) {
		if (strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0)
			return HTTP_NOT_FOUND;
		if (strcmp(db_sqlstate(), DB_CLOSED) == 0)
			ch.closed = 1;
		else if (strcmp(db_sqlstate(), DB_CHECK_VIOLATION) == 0)
			ch.archived = 1;
		else
			return app_db_error();
		ch.can_write = 0;
		return chat_render(r, &ch, HTTP_CONFLICT, 0, NULL, NULL, NULL);
	}
	id = db_getll(res, 0, "id");
	for (i = 0; i < nup; i++) {
		rc = file_keep(r, &ready[i], FILE_ORG, ch.org, &fid, &ferr);
		if (rc == HTTP_TOO_LARGE) {
			file_refusal_add(r, &refused, up[i], ferr);
			return chat_render(r, &ch, rc, 0, http_form(r, "text"),
			    NULL, refused);
		}
		if (rc != 0)
			return rc;
		if (db_exec(&q_message_file_add, PGRES_COMMAND_OK, ch.org_s,
		    ch.id_s, app_num(r, id), app_num(r, fid), app_num(r,
		    ++ord)) == NULL)
			return app_db_error();
	}
	for (i = 0; i < nids; i++) {
		if ((rc = message_file_send(r, &ch, ids[i], &ferr)) ==
		    HTTP_UNPROCESSABLE || rc == HTTP_TOO_LARGE)
			return chat_render(r, &ch, rc, 0, http_form(r, "text"),
			    NULL, ferr);
		if (rc != 0)
			return rc;
		if (db_exec(&q_message_file_add, PGRES_COMMAND_OK, ch.org_s,
		    ch.id_s, app_num(r, id), ids[i], app_num(r, ++ord)) ==
		    NULL)
			return app_db_error();
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
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
int
message_delete_confirm(struct http_req *r)
{
	struct chat	 ch;
	struct html_ctx	*c;
	PGresult	*res;
	const char	*body;
	long long	 files;
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
	files = db_getll(res, 0, "files");
	body = db_get(res, 0, "body");
	html_set_str(c, "lead", pool_printf(r->pool, "%s, %s, в чате «%s»: "
	    "%s%s%s%s", db_get(res, 0, "author"), db_get(res, 0, "at"),
	    ch.title, body[0] != '\0' ? "«" : "", body,
	    body[0] != '\0' ? "»" : "", files == 0 ? "" : pool_printf(r->pool,
	    "%s%lld %s", body[0] != '\0' ? " и " : "", files,
	    ru_plural(files, "файл", "файла", "файлов"))));
	app_confirm_point(c, files == 0 ? "текст сообщения исчезнет у всех "
	    "участников чата; на его месте останется «Сообщение удалено»;" :
	    "текст и файлы сообщения исчезнут у всех участников чата; на его "
	    "месте останется «Сообщение удалено»;");
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
 * message of another chat 404.  Hides the text for everyone, and its
 * files: nobody reads them through it any more (the database lets go of
 * them, sql/0041_message_files.sql; one nothing else holds and not in
 * its owner's storage goes at once, sql/0050, its bytes after the
 * commit: lib/file's file_released); already deleted: 409.  303 to
 * /chats/ID.
 */
int
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
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	author = db_getll(res, 0, "author_id");
	deleted = db_getbool(res, 0, "deleted");
	if (author != r->user->id && !ch.is_admin)
		return HTTP_FORBIDDEN;
	if (deleted)
		return HTTP_CONFLICT;
	if ((res = db_exec(&q_message_delete, PGRES_COMMAND_OK, ch.org_s,
	    ch.id_s, app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	if ((rc = file_released(r)) != 0)
		return rc;
	if (author != r->user->id) {
		if (audit_write(ch.org, r->user->id, "chat_message_delete",
		    author, pool_printf(r->pool, "сообщение в чате «%s» "
		    "удалено администратором чата", ch.title)) == -1)
			return app_db_error();
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, app_chat_href(r, ch.id));
}

/*
 * GET /chats/ID/members
 * Members of the chat (others 404).  Who is in it; for chat admins the
 * management: remove a member, "only admins write", the chat link.
 */
int
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
	    ch.id_s, app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) > 0 && db_getbool(res, 0, "last_admin"))
		html_set_str(c, "last_admin", CHAT_LAST_ADMIN_WORDS);
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
	/* A chat made by hand: its admins make it public
	 * (cgi-bin/chat/public.c), its members may leave it. */
	html_set_bool(c, "by_hand", ch.by_hand);
	html_set_bool(c, "public_none", ch.public_audience[0] == '\0');
	html_set_bool(c, "public_staff", strcmp(ch.public_audience,
	    "staff") == 0);
	html_set_bool(c, "public_all", strcmp(ch.public_audience,
	    "all") == 0);
	html_set_int(c, "org_id", ch.org);
	return app_page(r, HTTP_OK, "chat_members", c);
}

/*
 * GET /chats/ID/members/AID/remove
 * Chat admins (others 403).  Asks to confirm taking the member out of
 * the chat; the form posts to the same URL.  Changes nothing.  A chat
 * admin: 403; not in the chat: 404.
 */
int
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
int
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
	if (n != 1 || admin)
		return n != 1 ? HTTP_NOT_FOUND : HTTP_FORBIDDEN;
	if (audit_write(ch.org, r->user->id, "chat_member_remove", r->id[1],
	    pool_printf(r->pool, "удалён из чата «%s» администратором чата",
	    ch.title)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/members",
	    ch.id));
}

/*
 * POST /chats/ID/settings   field: admins_only ("1" or absent)
 * Chat admins (others 403).  "Only admins write" on or off (channels are
 * always so).  303 to /chats/ID/members.
 */
int
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
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/members",
	    ch.id));
}

/* The organization's chat page: my chats there and the create form.
 * Also the answer when the database refused a new chat (its class
 * archived meanwhile): the page rolls back first (app_rollback), so it
 * reads without the chat the refused transaction made. */
static int
org_chats_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *class_id)
{
	struct html_ctx	*item;
	PGresult	*res;
	int		 i, rc;

	app_rollback();
	org_ctx(c, a);
	html_set_str(c, "title", "Мои чаты и каналы");
	html_set_bool(c, "can_create", a->is_admin || a->is_teacher);
	html_set_bool(c, "can_channel", a->is_admin);
	if ((rc = chats_read(c, chats_send(app_num(r, a->id)))) != 0)
		return rc;
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
int
org_chats(struct http_req *r)
{
	struct html_ctx		*c;

	c = app_ctx(r);
	html_set_bool(c, "kind_chat", 1);
	html_set_bool(c, "audience_staff", 1);
	return org_chats_page(r, r->org, c, HTTP_OK, NULL);
}

/*
 * POST /org/N/chats   fields: title class_id kind(chat|channel)
 *   audience(staff|all)
 * Admins and teachers (students 403); a channel admins only (403).
 * Creates the chat with its creator as chat admin, or the channel with
 * its audience as readers; 303 to /chats/ID.  Bad fields: 422.
 */
int
org_chat_create(struct http_req *r)
{
	struct valid_result	 v[CR__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*org, *kind, *audience, *class_id;
	long long		 id;
	int			 errors, channel, rc;

	kind = http_form(r, "kind");
	channel = kind != NULL && strcmp(kind, "channel") == 0;
	/* A channel is the admins' alone. */
	if (channel && !a->is_admin)
		return HTTP_FORBIDDEN;
	c = app_ctx(r);
	org = app_num(r, a->id);
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
		return org_chats_page(r, a, c, HTTP_UNPROCESSABLE,
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
		html_set_str(c, "class_id_error", "Выберите класс из списка");
		html_set_bool(c, "form_errors", 1);
		return org_chats_page(r, a, c, HTTP_UNPROCESSABLE, NULL);
	}
	if (channel && (res = db_exec(&q_channel_fill, PGRES_COMMAND_OK,
	    org, app_num(r, id), audience)) == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, app_chat_href(r, id));
}
