/*
 * appeal: one request, its thread, the answer and the closing.
 */
#include <stdio.h>
#include <string.h>

#include "appeal.h"
#include "html.h"
#include "outbox.h"
#include "valid.h"

/* Request $2 of organization $1 as viewer $3 sees it; role NULL: not
 * theirs to see (parta.appeal_role). */
static const struct db_stmt q_appeal = {
	"appeal_load",
	"SELECT a.id, a.status, a.topic, a.outcome, a.account_id = $3 AS mine,"
	" parta.appeal_role(org => a.org_id, requester => a.account_id,"
	"  child => a.child_id, cls => a.class_id, viewer => $3) AS role,"
	" parta.full_name(p.last_name, p.first_name, p.patronymic)"
	"  AS requester,"
	" coalesce(parta.full_name(ch.last_name, ch.first_name,"
	"  ch.patronymic), '') AS child_name,"
	" coalesce(parta.class_name(c.grade, c.letter, c.title), '')"
	"  AS class_name,"
	" parta.local_time(a.created_at, rg.tz) AS created,"
	" coalesce(parta.local_time(a.closed_at, rg.tz), '') AS closed,"
	" coalesce(parta.full_name(cb.last_name, cb.first_name,"
	"  cb.patronymic), '') AS closed_by, cb.gender AS closed_by_gender,"
	" parta.appeal_author_gone(org => a.org_id,"
	"  requester => a.account_id, child => a.child_id,"
	"  cls => a.class_id) AS author_gone"
	" FROM parta.appeal a"
	" JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" JOIN parta.account p ON p.id = a.account_id"
	" LEFT JOIN parta.account ch ON ch.id = a.child_id"
	" LEFT JOIN parta.account cb ON cb.id = a.closed_by"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" WHERE a.org_id = $1 AND a.id = $2"
};

/* Its thread, oldest first, for viewer $3 (none for one who may not
 * read it). */
static const struct db_stmt q_messages = {
	"appeal_messages",
	"SELECT m.id, m.author_id = $3 AS own, m.from_handler, m.body,"
	" parta.full_name(u.last_name, u.first_name, u.patronymic) AS author,"
	" parta.local_time(m.created_at, rg.tz) AS at"
	" FROM parta.appeal_message m"
	" JOIN parta.appeal a ON a.org_id = m.org_id AND a.id = m.appeal_id"
	"  AND parta.appeal_role(org => a.org_id, requester => a.account_id,"
	"  child => a.child_id, cls => a.class_id, viewer => $3) IS NOT NULL"
	" JOIN parta.account u ON u.id = m.author_id"
	" JOIN parta.org o ON o.id = m.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" WHERE m.org_id = $1 AND m.appeal_id = $2"
	" ORDER BY m.id"
};

/* What viewer $3 is to request $2 of $1 (parta.appeal_role), and
 * whether they filed it. */
static const struct db_stmt q_role = {
	"appeal_role",
	"SELECT parta.appeal_role(org => a.org_id, requester => a.account_id,"
	"  child => a.child_id, cls => a.class_id, viewer => $3) AS role,"
	" a.account_id = $3 AS mine"
	" FROM parta.appeal a WHERE a.org_id = $1 AND a.id = $2"
};

/* Viewer $3 has read request $2 of $1 up to message $4. */
static const struct db_stmt q_seen = {
	"appeal_seen",
	"INSERT INTO parta.appeal_seen AS s (org_id, appeal_id, account_id,"
	" seen_id) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (org_id, appeal_id, account_id) DO UPDATE"
	" SET seen_id = greatest(s.seen_id, excluded.seen_id)"
};

static const struct db_stmt q_reply = {
	"appeal_reply",
	"SELECT parta.appeal_reply(org => $1, appeal => $2, author => $3,"
	" body => $4) AS result"
};

static const struct db_stmt q_close = {
	"appeal_close",
	"SELECT parta.appeal_close(org => $1, appeal => $2, actor => $3,"
	" outcome => $4) AS result"
};

/* Whom to tell of request $2 of $1 other than $3: its parties
 * (parta.appeal_parties) with a proven contact, an e-mail first (a
 * request's answer is not urgent enough for an SMS when there is one);
 * can_read: the request is still theirs to open (parta.appeal_can_open:
 * a member the school has removed is still the party of what they
 * filed, but gets 404 on its page).  A guardian removed from the child
 * is no party: they hear nothing more of a request about the child. */
static const struct db_stmt q_tell = {
	"appeal_tell",
	"SELECT t.email_verified AS by_email,"
	" parta.appeal_can_open(org => a.org_id, requester => a.account_id,"
	"  child => a.child_id, cls => a.class_id, viewer => t.id)"
	"  AS can_read,"
	" a.child_id IS NOT NULL AND t.id <> a.child_id AS guardian,"
	" CASE WHEN t.email_verified THEN t.email ELSE t.phone END AS address,"
	" o.short_name AS org_name, a.topic"
	" FROM parta.appeal a"
	" JOIN parta.org o ON o.id = a.org_id"
	" CROSS JOIN LATERAL parta.appeal_parties(requester => a.account_id,"
	"  child => a.child_id) p"
	" JOIN parta.account t ON t.id = p.account_id"
	" WHERE a.org_id = $1 AND a.id = $2 AND p.account_id <> $3"
	" AND (t.email_verified OR t.phone_verified)"
};

static const struct valid_field close_fields[] = {
	{ "outcome", valid_line, 0 },
};

/*
 * The request's page: its details, thread, and the forms its viewer may
 * use (values and errors in c after a refused POST), with status.  Rolls
 * back first.  404 when the viewer may not see it.
 */
static int
show_page(struct http_req *r, const struct appeal_who *w,
    struct html_ctx *c, int status)
{
	struct html_ctx	*item;
	PGresult	*res, *msg;
	const char	*org = app_num(r, w->org), *id = app_num(r, r->id[1]);
	const char	*me = app_num(r, r->user->id), *st;
	int		 i, open, handler, mine;

	app_rollback();
	if ((res = db_exec(&q_appeal, PGRES_TUPLES_OK, org, id, me)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1 || db_isnull(res, 0, "role"))
		return HTTP_NOT_FOUND;
	if ((msg = db_exec(&q_messages, PGRES_TUPLES_OK, org, id,
	    me)) == NULL)
		return app_db_error();
	st = db_get(res, 0, "status");
	open = strcmp(st, "closed") != 0;
	handler = strcmp(db_get(res, 0, "role"), "handler") == 0;
	mine = db_getbool(res, 0, "mine");

	html_set_str(c, "title", pool_printf(r->pool, "Обращение «%s»",
	    appeal_topic_name(db_get(res, 0, "topic"))));
	html_set_str(c, "topic_name",
	    appeal_topic_name(db_get(res, 0, "topic")));
	app_set_cols(c, res, 0, "id", "requester", "child_name", "class_name",
	    "created", "closed", "closed_by", "closed_by_gender", NULL);
	/* An open request's outcome is the close form's, as typed. */
	if (!open)
		html_set_str(c, "outcome", db_get(res, 0, "outcome"));
	html_set_str(c, "status", st);
	html_set_str(c, "status_name", org_appeal_status(st));
	html_set_bool(c, "is_open", open);
	html_set_bool(c, "as_handler", handler);
	/* The author can no longer open it: nobody will read an answer. */
	appeal_set_gone(c, res, 0);
	html_set_bool(c, "can_close", open && (handler || mine));
	html_set_int(c, "text_max", APPEAL_TEXT_MAX);
	/* The thread read: the lists stop marking it (one statement of its
	 * own; a page after a refusal has rolled back already). */
	if ((i = PQntuples(msg)) > 0 && db_exec(&q_seen, PGRES_COMMAND_OK,
	    org, id, me, db_get(msg, i - 1, "id")) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(msg); i++) {
		item = html_list_add(c, "messages");
		app_set_cols(item, msg, i, "id", "author", "at", "body", NULL);
		html_set_bool(item, "own", db_getbool(msg, i, "own"));
		html_set_bool(item, "from_handler",
		    db_getbool(msg, i, "from_handler"));
	}
	return app_page(r, status, "appeal_show", c);
}

/*
 * GET /org/N/appeals/ID
 * Its parties (the requester; the child and the child's guardians when
 * it is about a child) and its handlers (the administrators; the
 * homeroom teacher of its class); anyone else 404.  The request, its
 * thread, the answer form while it is open, and closing for a handler
 * or the requester.  Changes nothing.
 */
int
appeal_show(struct http_req *r)
{
	struct appeal_who	 w;
	int			 rc;

	if ((rc = appeal_standing(r, &w)) != 0)
		return rc;
	return show_page(r, &w, appeal_ctx(r, &w, "Обращение"), HTTP_OK);
}

/*
 * Who may act on the request of the route, before its form is read (a
 * form's error must not tell a stranger the request exists): 0 for a
 * handler, and for a party unless handlers_or_mine and they did not file
 * it (403); 404 for anyone else.
 */
static int
may_act(struct http_req *r, const struct appeal_who *w, int handlers_or_mine)
{
	PGresult	*res;
	const char	*role;

	if ((res = db_exec(&q_role, PGRES_TUPLES_OK, app_num(r, w->org),
	    app_num(r, r->id[1]), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1 || db_isnull(res, 0, "role"))
		return HTTP_NOT_FOUND;
	role = db_get(res, 0, "role");
	if (handlers_or_mine && strcmp(role, "handler") != 0 &&
	    !db_getbool(res, 0, "mine"))
		return HTTP_FORBIDDEN;
	return 0;
}

/*
 * Tell the parties of the request but the person acting, in the
 * transaction, what happened to it (words before its topic) and, when
 * not NULL, the outcome.  0, or an HTTP status.
 */
static int
tell(struct http_req *r, long long org, const char *what,
    const char *outcome)
{
	PGresult	*res;
	const char	*text;
	int		 i;

	if ((res = db_exec(&q_tell, PGRES_TUPLES_OK, app_num(r, org),
	    app_num(r, r->id[1]), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		/*
		 * Someone who may no longer open the request (the school
		 * removed them) gets no link that would answer 404.  A new
		 * answer is not told at all: «there is an answer you cannot
		 * read» helps nobody and reads like a leak.  The closing is
		 * told without the link: its outcome («Справка выдана») is
		 * what someone who left still asked for and may act on.
		 */
		if (!db_getbool(res, i, "can_read")) {
			if (outcome == NULL)
				continue;
			/* A guardian was never a member: it is the
			 * child who left. */
			text = pool_printf(r->pool, "Парта, «%s»: %s «%s», "
			    "итог: %s. %s в этой организации: "
			    "с вопросами обращайтесь в неё напрямую.",
			    db_get(res, i, "org_name"), what,
			    appeal_topic_name(db_get(res, i, "topic")),
			    outcome, db_getbool(res, i, "guardian") ?
			    "Ребёнок больше не учится" : "Вас больше нет");
			if (outbox_queue(db_getbool(res, i, "by_email") ?
			    OUTBOX_EMAIL : OUTBOX_SMS,
			    db_get(res, i, "address"), text) == -1)
				return app_db_error();
			continue;
		}
		text = pool_printf(r->pool, "Парта, «%s»: %s «%s»%s%s. "
		    "Открыть: %s/org/%lld/appeals/%lld",
		    db_get(res, i, "org_name"), what,
		    appeal_topic_name(db_get(res, i, "topic")),
		    outcome != NULL ? ", итог: " : "",
		    outcome != NULL ? outcome : "", app_base_url(r), org,
		    r->id[1]);
		if (outbox_queue(db_getbool(res, i, "by_email") ?
		    OUTBOX_EMAIL : OUTBOX_SMS, db_get(res, i, "address"),
		    text) == -1)
			return app_db_error();
	}
	return 0;
}

/*
 * POST /org/N/appeals/ID/reply   field: text
 * Whoever may read the request (anyone else 404).  Adds a message to
 * its thread (parta.appeal_reply): a handler's answer puts a new
 * request in work and is told to its parties.  303 to the message.  An
 * empty text or one over 4,000 characters: 422 on the request's page;
 * a closed request: 409; over APPEAL_REPLIES_PER_MIN in a minute: 429.
 */
int
appeal_reply(struct http_req *r)
{
	struct appeal_who	 w;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*text, *err, *result;
	int			 rc;

	if ((rc = appeal_standing(r, &w)) != 0 ||
	    (rc = may_act(r, &w, 0)) != 0)
		return rc;
	c = appeal_ctx(r, &w, "Обращение");
	if ((text = appeal_text(r, http_form(r, "text"), &err)) == NULL) {
		html_set_str(c, "text", http_form(r, "text") != NULL ?
		    http_form(r, "text") : "");
		html_set_str(c, "text_error", err);
		return show_page(r, &w, c, HTTP_UNPROCESSABLE);
	}
	/* Each answer may send a message to the parties' phones: a
	 * person's messages in a minute are bounded (429). */
	if ((rc = auth_throttle_hit(pool_printf(r->pool, "appeal_reply:%lld",
	    r->user->id), 1)) == -1)
		return app_db_error();
	if (rc > APPEAL_REPLIES_PER_MIN) {
		html_set_str(c, "text", text);
		html_set_str(c, "notice", "Слишком много сообщений подряд. "
		    "Подождите минуту и отправьте снова: текст сохранён.");
		return show_page(r, &w, c, HTTP_TOO_MANY);
	}
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_reply, PGRES_TUPLES_OK, app_num(r, w.org),
	    app_num(r, r->id[1]), app_num(r, r->user->id), text)) == NULL)
		return app_db_error();
	result = db_get(res, 0, "result");
	if (strcmp(result, "not_found") == 0)
		return HTTP_NOT_FOUND;
	if (strcmp(result, "closed") == 0) {
		html_set_str(c, "notice", "Обращение уже закрыто: написать в "
		    "него нельзя. Если вопрос остался, отправьте новое.");
		return show_page(r, &w, c, HTTP_CONFLICT);
	}
	if (strcmp(result, "answered") == 0 &&
	    (rc = tell(r, w.org, "новый ответ на обращение", NULL)) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/appeals/%lld#end", w.org, r->id[1]));
}

/*
 * POST /org/N/appeals/ID/close   field: outcome (optional, one line)
 * A handler of the request, or its requester (other parties 403, anyone
 * else 404).  Closes it (parta.appeal_close: audited) and tells its
 * other parties: 303 to its page.  An outcome that will not do: 422;
 * closed already: 409.
 */
int
appeal_close(struct http_req *r)
{
	struct appeal_who	 w;
	struct valid_result	 v[1];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*result;
	int			 rc;

	if ((rc = appeal_standing(r, &w)) != 0 ||
	    (rc = may_act(r, &w, 1)) != 0)
		return rc;
	c = appeal_ctx(r, &w, "Обращение");
	if (app_form(r, close_fields, 1, v, c) > 0)
		return show_page(r, &w, c, HTTP_UNPROCESSABLE);
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_close, PGRES_TUPLES_OK, app_num(r, w.org),
	    app_num(r, r->id[1]), app_num(r, r->user->id),
	    v[0].present ? v[0].value : "")) == NULL)
		return app_db_error();
	result = db_get(res, 0, "result");
	if (strcmp(result, "not_found") == 0)
		return HTTP_NOT_FOUND;
	if (strcmp(result, "forbidden") == 0)
		return HTTP_FORBIDDEN;
	if (strcmp(result, "closed") == 0) {
		html_set_str(c, "notice", "Обращение уже закрыто.");
		return show_page(r, &w, c, HTTP_CONFLICT);
	}
	if ((rc = tell(r, w.org, "закрыто обращение", v[0].present ?
	    v[0].value : NULL)) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/appeals/%lld",
	    w.org, r->id[1]));
}
