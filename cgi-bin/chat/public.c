/*
 * chat: public chats (joined by a button, left again) and the
 * administrator's view of every chat of the organization (closed,
 * opened again, taken over for moderation).  What the program as a
 * whole does: main.c.
 *
 * Who may join, see, publish, leave, close and moderate is decided by
 * the functions of sql/0034_public_chats.sql (parta.public_chats,
 * chat_join, chat_leave, chat_publish, chat_close, chat_moderate,
 * org_chats_overview): they answer a word, and chat_word_status() below
 * is the one place that turns it into an HTTP status.  This file checks
 * nothing of its own but the form's values.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

#include "chat.h"

/* The public chats of the organization the person may join; of those
 * they are in, whether they are its only admin, who may not leave
 * (parta.chat_leave_refusal). */
static const struct db_stmt q_public = {
	"chat_public_list",
	"SELECT id, title, class_name, audience, members, joined,"
	" joined AND parta.chat_leave_refusal($1, id, $2) = 'last_admin'"
	"  AS last_admin"
	" FROM parta.public_chats(org => $1, account => $2)"
};

/* Every chat of the organization for its administrator, the time of
 * the last message in the organization's region. */
static const struct db_stmt q_overview = {
	"chat_overview",
	"SELECT v.id, v.kind, v.purpose, v.title, v.owner, v.class_name,"
	" v.members, parta.local_time(v.last_at, rg.tz) AS last_at,"
	" v.audience, v.public_audience, v.closed, v.closed_by_admin,"
	" v.archived, v.moderating, v.by_hand"
	" FROM parta.org_chats_overview(org => $1) v"
	" CROSS JOIN parta.org o JOIN parta.region rg ON rg.code = o.region"
	" WHERE o.id = $1"
};

/* A chat of the organization as its administrator names it. */
static const struct db_stmt q_org_chat = {
	"chat_org_chat",
	"SELECT title FROM parta.chat WHERE org_id = $1 AND id = $2"
	" AND purpose <> 'direct'"
};

/* The chat a join names, as far as the person sees it. */
static const struct db_stmt q_chat_org = {
	"chat_org_of",
	"SELECT org_id, title FROM parta.chat WHERE id = $1"
};

static const struct db_stmt q_join = {
	"chat_join",
	"SELECT parta.chat_join(chat_id => $1, account => $2) AS w"
};

static const struct db_stmt q_leave = {
	"chat_leave",
	"SELECT parta.chat_leave(chat_id => $1, account => $2) AS w"
};

static const struct db_stmt q_publish = {
	"chat_publish",
	"SELECT parta.chat_publish(chat_id => $1, account => $2,"
	" audience => $3) AS w"
};

static const struct db_stmt q_close = {
	"chat_close",
	"SELECT parta.chat_close(org => $1, chat_id => $2, account => $3,"
	" closing => $4) AS w"
};

static const struct db_stmt q_moderate = {
	"chat_moderate",
	"SELECT parta.chat_moderate(org => $1, chat_id => $2,"
	" account => $3) AS w"
};

/*
 * The HTTP status of a word of the rules (sql/0034_public_chats.sql):
 * 0 for done or nothing to do, 404, 403, or 409 for a chat that is
 * closed, of an archived class, or that would lose its last
 * administrator.
 */
static int
chat_word_status(const char *w)
{
	if (strcmp(w, "ok") == 0 || strcmp(w, "already") == 0 ||
	    strcmp(w, "same") == 0)
		return 0;
	if (strcmp(w, "forbidden") == 0)
		return HTTP_FORBIDDEN;
	if (strcmp(w, "closed") == 0 || strcmp(w, "archived") == 0 ||
	    strcmp(w, "last_admin") == 0)
		return HTTP_CONFLICT;
	return HTTP_NOT_FOUND;
}

/* The 409 page of word w about chat title, with the way back. */
static int
chat_refused(struct http_req *r, const char *w, const char *title,
    const char *back, const char *back_label)
{
	struct html_ctx	*c;

	c = app_ctx(r);
	if (strcmp(w, "closed") == 0) {
		html_set_str(c, "title", "Чат закрыт");
		html_set_str(c, "message", pool_printf(r->pool, "Чат «%s» "
		    "закрыт администратором организации: его можно читать, "
		    "но вступить в него и писать в него нельзя.", title));
	} else if (strcmp(w, "archived") == 0) {
		html_set_str(c, "title", "Класс в архиве");
		html_set_str(c, "message", pool_printf(r->pool, "Чат «%s» "
		    "относится к классу, который перенесён в архив: новых "
		    "участников в нём больше нет.", title));
	} else {
		html_set_str(c, "title", "Вы единственный администратор");
		html_set_str(c, "message", pool_printf(r->pool, "Чат «%s». "
		    "%s", title, CHAT_LAST_ADMIN_WORDS));
	}
	html_set_str(c, "back", back);
	html_set_str(c, "back_label", back_label);
	return app_page(r, HTTP_CONFLICT, "chat_notice", c);
}

/* Run one rule (q with its parameters already chosen by the caller)
 * and hand back its word in *w: 0, or a database error status. */
static int
chat_rule(PGresult *res, const char **w)
{
	*w = "";
	if (res == NULL || PQntuples(res) != 1)
		return app_db_error();
	*w = db_get(res, 0, "w");
	return 0;
}

/*
 * GET /org/N/chats/public
 * Members (the operator 403; parents, who are no members, and
 * strangers 404).  The organization's public chats the person's role
 * may join, with their member counts: "Вступить" for those they are not
 * in, "Открыть" and "Выйти" for the others.  Links to the person's own
 * chats of the organization (/org/N/chats) and, for its administrator,
 * to every chat (/org/N/chats/all).
 */
int
org_chats_public(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c, *item;
	PGresult		*res;
	long long		 n;
	int			 i;

	c = org_page_ctx(r, "Публичные чаты");
	if ((res = db_exec(&q_public, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	/* The ones the person is in apart from the ones to join. */
	html_list_init(c, "joined");
	html_list_init(c, "chats");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, db_getbool(res, i, "joined") ?
		    "joined" : "chats");
		app_set_cols(item, res, i, "id", "title", "class_name", NULL);
		n = db_getll(res, i, "members");
		html_set_str(item, "members", pool_printf(r->pool, "%lld %s",
		    n, ru_plural(n, "участник", "участника", "участников")));
		html_set_bool(item, "staff", strcmp(db_get(res, i,
		    "audience"), "staff") == 0);
		html_set_bool(item, "last_admin", db_getbool(res, i,
		    "last_admin"));
	}
	html_set_bool(c, "can_create", a->is_admin || a->is_teacher);
	return app_page(r, HTTP_OK, "chats_public", c);
}

/* The kind of an organization's chat as the administrator's list says
 * it. */
static const char *
chat_kind_name(const char *kind, const char *purpose, const char *audience)
{
	if (strcmp(kind, "channel") == 0)
		return strcmp(audience, "staff") == 0 ?
		    "Канал для сотрудников" : "Канал для всех";
	if (strcmp(purpose, "staff") == 0)
		return "Чат сотрудников";
	if (strcmp(purpose, "students") == 0)
		return "Чат класса";
	if (strcmp(purpose, "parents") == 0)
		return "Чат родителей";
	return "Чат";
}

/*
 * GET /org/N/chats/all
 * The organization's administrator (others 403, strangers 404).  Every
 * chat and channel of the organization but direct chats (a parent's own
 * correspondence): title, who made it, class, members, last message;
 * public, closed, archived.  For each: open it (when the administrator
 * moderates it) or take over moderation; close a chat made by hand, or
 * open again one closed.
 */
int
org_chats_all(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c, *item;
	PGresult		*res;
	const char		*pub, *last;
	long long		 n;
	int			 i, closed, archived;

	c = org_page_ctx(r, "Все чаты организации");
	if ((res = db_exec(&q_overview, PGRES_TUPLES_OK, app_num(r,
	    a->id))) == NULL)
		return app_db_error();
	html_list_init(c, "chats");
	html_set_int(c, "chat_count", PQntuples(res));
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "chats");
		app_set_cols(item, res, i, "id", "title", "class_name",
		    "owner", NULL);
		html_set_str(item, "kind_name", chat_kind_name(db_get(res, i,
		    "kind"), db_get(res, i, "purpose"), db_get(res, i,
		    "audience")));
		n = db_getll(res, i, "members");
		html_set_str(item, "members", pool_printf(r->pool, "%lld", n));
		last = db_get(res, i, "last_at");
		html_set_str(item, "last_at", last[0] != '\0' ? last :
		    "сообщений нет");
		pub = db_get(res, i, "public_audience");
		html_set_str(item, "public", pub[0] == '\0' ? "" :
		    strcmp(pub, "staff") == 0 ? "публичный, для сотрудников" :
		    "публичный, для всех");
		closed = db_getbool(res, i, "closed");
		archived = db_getbool(res, i, "archived");
		html_set_bool(item, "closed", closed);
		html_set_bool(item, "archived", archived);
		html_set_bool(item, "moderating", db_getbool(res, i,
		    "moderating"));
		html_set_bool(item, "can_moderate", !closed && !archived);
		html_set_bool(item, "can_close", !closed && db_getbool(res, i,
		    "by_hand"));
		html_set_bool(item, "can_reopen", closed && db_getbool(res, i,
		    "closed_by_admin"));
	}
	return app_page(r, HTTP_OK, "chats_all", c);
}

/* The title of chat id of the organization of r (not a direct chat)
 * into *title: 0, or 404. */
static int
org_chat_title(struct http_req *r, long long id, const char **title)
{
	PGresult	*res;

	if ((res = db_exec(&q_org_chat, PGRES_TUPLES_OK, app_num(r,
	    r->org->id), app_num(r, id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	*title = pool_strdup(r->pool, db_get(res, 0, "title"));
	return 0;
}

/*
 * GET /org/N/chats/ID/close
 * The organization's administrator (others 403; a chat of another
 * organization or a direct chat 404).  Asks to confirm closing the
 * chat; the form posts to the same URL.  Changes nothing.
 */
int
org_chat_close_confirm(struct http_req *r)
{
	struct html_ctx	*c;
	const char	*title;
	int		 rc;

	if ((rc = org_chat_title(r, r->id[1], &title)) != 0)
		return rc;
	c = org_page_ctx(r, "Закрыть чат?");
	html_set_str(c, "lead", pool_printf(r->pool, "Чат «%s» будет "
	    "закрыт. После этого:", title));
	app_confirm_point(c, "участники смогут читать переписку, но писать "
	    "в чат никто не сможет;");
	app_confirm_point(c, "вступить в чат, по кнопке или по ссылке, будет "
	    "нельзя; ссылка-приглашение перестанет действовать;");
	app_confirm_point(c, "открыть чат снова можно здесь же, в списке "
	    "всех чатов.");
	html_set_str(c, "note", "Закрытие чата попадёт в журнал действий "
	    "организации.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/chats/%lld/close", r->org->id, r->id[1]),
	    "Закрыть чат", pool_printf(r->pool, "/org/%lld/chats/all",
	    r->org->id));
}

/* Close (closing) or open again chat r->id[1]; audited.  303 to the
 * list of all chats. */
static int
org_chat_closing(struct http_req *r, int closing)
{
	PGresult	*res;
	const char	*title, *w, *back;
	int		 rc;

	if ((rc = org_chat_title(r, r->id[1], &title)) != 0)
		return rc;
	back = pool_printf(r->pool, "/org/%lld/chats/all", r->org->id);
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_close, PGRES_TUPLES_OK, app_num(r, r->org->id),
	    app_num(r, r->id[1]), app_num(r, r->user->id), closing ? "true" :
	    "false");
	if ((rc = chat_rule(res, &w)) != 0)
		return rc;
	if ((rc = chat_word_status(w)) != 0)
		return rc;
	if (strcmp(w, "ok") == 0 && audit_write(r->org->id, r->user->id,
	    closing ? "chat_close" : "chat_reopen", 0, pool_printf(r->pool,
	    closing ? "чат «%s» закрыт" : "чат «%s» снова открыт",
	    title)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, back);
}

/*
 * POST /org/N/chats/ID/close
 * The organization's administrator (others 403; another organization's
 * chat or a direct chat 404).  Closes a chat made by hand (an automatic
 * chat or a channel: 403): read-only for everyone, nobody joins it.
 * Closed already: nothing changes.  Audited.  303 to /org/N/chats/all.
 */
int
org_chat_close(struct http_req *r)
{
	return org_chat_closing(r, 1);
}

/*
 * POST /org/N/chats/ID/reopen
 * The organization's administrator (as close).  Opens again a chat an
 * administrator closed (a direct chat closed by its people's leaving:
 * 404; a chat not closed: nothing changes).  Audited.  303 to
 * /org/N/chats/all.
 */
int
org_chat_reopen(struct http_req *r)
{
	return org_chat_closing(r, 0);
}

/*
 * POST /org/N/chats/ID/moderate
 * The organization's administrator (others 403; another organization's
 * chat or a direct chat 404).  The administrator becomes the chat's
 * administrator, joining it if need be: deletes messages, removes
 * members, lets only administrators write.  A closed chat or one of an
 * archived class takes nobody new: 409.  Audited.  303 to /chats/ID.
 */
int
org_chat_moderate(struct http_req *r)
{
	PGresult	*res;
	const char	*title, *w;
	int		 rc;

	if ((rc = org_chat_title(r, r->id[1], &title)) != 0)
		return rc;
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_moderate, PGRES_TUPLES_OK, app_num(r, r->org->id),
	    app_num(r, r->id[1]), app_num(r, r->user->id));
	if ((rc = chat_rule(res, &w)) != 0)
		return rc;
	if ((rc = chat_word_status(w)) == HTTP_CONFLICT)
		return chat_refused(r, w, title, pool_printf(r->pool,
		    "/org/%lld/chats/all", r->org->id), "Ко всем чатам");
	if (rc != 0)
		return rc;
	if (strcmp(w, "ok") == 0 && audit_write(r->org->id, r->user->id,
	    "chat_moderate", 0, pool_printf(r->pool, "администратор "
	    "организации стал администратором чата «%s»", title)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, app_chat_href(r, r->id[1]));
}

/*
 * POST /chats/ID/join
 * A member of the chat's organization whom its audience admits (a
 * student and a chat for staff: 403); anyone else, a chat that is not
 * public, or another organization's: 404.  Parents are no members and
 * never join this way.  Seats the person (in it already: nothing
 * changes).  Closed, or its class archived: 409.  303 to /chats/ID.
 */
int
chat_join(struct http_req *r)
{
	PGresult	*res;
	const char	*title, *w;
	long long	 org;
	int		 rc;

	if ((res = db_exec(&q_chat_org, PGRES_TUPLES_OK, app_num(r,
	    r->id[0]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	org = db_getll(res, 0, "org_id");
	title = pool_strdup(r->pool, db_get(res, 0, "title"));
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_join, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id));
	if ((rc = chat_rule(res, &w)) != 0)
		return rc;
	if ((rc = chat_word_status(w)) == HTTP_CONFLICT)
		return chat_refused(r, w, title, pool_printf(r->pool,
		    "/org/%lld/chats/public", org), "К публичным чатам");
	if (rc != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, app_chat_href(r, r->id[0]));
}

/*
 * POST /chats/ID/leave
 * Members of the chat (others 404).  Leaves a chat made by hand (an
 * automatic chat or a channel follows roles and classes: 403); its last
 * chat administrator, while others are in it: 409.  303 to the
 * organization's public chats.
 */
int
chat_leave(struct http_req *r)
{
	struct chat	 ch;
	PGresult	*res;
	const char	*w, *back;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	back = pool_printf(r->pool, "/org/%lld/chats/public", ch.org);
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_leave, PGRES_TUPLES_OK, ch.id_s, app_num(r,
	    r->user->id));
	if ((rc = chat_rule(res, &w)) != 0)
		return rc;
	if ((rc = chat_word_status(w)) == HTTP_CONFLICT)
		return chat_refused(r, w, ch.title, pool_printf(r->pool,
		    "/chats/%lld/members", ch.id), "К участникам чата");
	if (rc != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, back);
}

/*
 * POST /chats/ID/public   field: audience (none|staff|all)
 * The chat's administrators (others 403; not in it: 404), for a chat
 * made by hand (403 otherwise).  Makes it public for staff or for every
 * member, or no longer public (who joined stays).  Closed: 409.
 * Audited.  Another audience: 400.  303 to /chats/ID/members.
 */
int
chat_public_set(struct http_req *r)
{
	struct chat	 ch;
	PGresult	*res;
	const char	*v = http_form(r, "audience"), *aud, *w;
	int		 rc;

	if ((rc = chat_load(r, r->id[0], &ch)) != 0)
		return rc;
	/* No form of ours sends another value (the members page offers
	 * these three as radio buttons): a bare 400, not a 422 page. */
	if (v == NULL || (strcmp(v, "none") != 0 && strcmp(v, "staff") != 0 &&
	    strcmp(v, "all") != 0))
		return HTTP_BAD_REQUEST;
	aud = strcmp(v, "none") == 0 ? NULL : v;
	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_publish, PGRES_TUPLES_OK, ch.id_s, app_num(r,
	    r->user->id), aud);
	if ((rc = chat_rule(res, &w)) != 0)
		return rc;
	if ((rc = chat_word_status(w)) == HTTP_CONFLICT)
		return chat_refused(r, w, ch.title, pool_printf(r->pool,
		    "/chats/%lld/members", ch.id), "К участникам чата");
	if (rc != 0)
		return rc;
	if (strcmp(w, "ok") == 0 && audit_write(ch.org, r->user->id,
	    aud != NULL ? "chat_public" : "chat_unpublic", 0,
	    aud == NULL ? pool_printf(r->pool, "чат «%s» больше не в списке "
	    "публичных", ch.title) : pool_printf(r->pool, "чат «%s» открыт "
	    "для вступления: %s", ch.title, strcmp(aud, "staff") == 0 ?
	    "сотрудникам" : "всем участникам организации")) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/chats/%lld/members",
	    ch.id));
}
