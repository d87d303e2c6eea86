/*
 * appeal: the list of requests (one's own, and a handler's queue),
 * filing a new one, and the administrators' list of topics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appeal.h"
#include "html.h"
#include "utf8.h"
#include "valid.h"

#define LIST_MAX	200	/* requests shown in a list */

/*
 * The requests of organization $1 for the request's account, the viewer
 * (parta.rls_account(): the list goes with the session's lookup,
 * APP_ONE_TRIP), by parta.appeal_role:
 * $2 'mine' (filed by the viewer, or about their child or themself),
 * 'queue' (the open ones the viewer handles, waiting for an answer
 * first) or 'closed' (the closed ones the viewer handled); unread: a
 * message from someone else since the viewer last opened it;
 * unread_answer: one of them the school's answer.
 */
static const struct db_stmt q_list = {
	"appeal_list",
	"SELECT a.id, a.status, a.topic, a.answered, a.account_id = v.id"
	"  AS own,"
	" parta.appeal_author_gone(org => a.org_id,"
	"  requester => a.account_id, child => a.child_id,"
	"  cls => a.class_id) AS author_gone,"
	" u.unread, u.unread_answer,"
	" parta.full_name(p.last_name, p.first_name, p.patronymic)"
	"  AS requester,"
	" coalesce(parta.full_name(ch.last_name, ch.first_name,"
	"  ch.patronymic), '') AS child_name,"
	" coalesce(parta.class_name(c.grade, c.letter, c.title), '')"
	"  AS class_name,"
	" parta.local_time(a.created_at, rg.tz) AS created,"
	" parta.local_time(a.updated_at, rg.tz) AS updated"
	" FROM (SELECT parta.rls_account() AS id) v"
	" CROSS JOIN parta.appeal a"
	" JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" JOIN parta.account p ON p.id = a.account_id"
	" LEFT JOIN parta.account ch ON ch.id = a.child_id"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" CROSS JOIN LATERAL (SELECT count(*) > 0 AS unread,"
	"  coalesce(bool_or(m.from_handler), false) AS unread_answer"
	"  FROM parta.appeal_message m"
	"  WHERE m.org_id = a.org_id AND m.appeal_id = a.id"
	"  AND m.author_id <> v.id AND m.id > coalesce((SELECT s.seen_id"
	"  FROM parta.appeal_seen s WHERE s.org_id = a.org_id"
	"  AND s.appeal_id = a.id AND s.account_id = v.id), 0)) u"
	" CROSS JOIN LATERAL (SELECT parta.appeal_role(org => a.org_id,"
	"  requester => a.account_id, child => a.child_id, cls => a.class_id,"
	"  viewer => v.id) AS role) ar"
	" WHERE a.org_id = $1 AND ar.role IS NOT NULL AND CASE $2"
	"  WHEN 'mine' THEN a.account_id = v.id OR ar.role = 'party'"
	"  WHEN 'queue' THEN ar.role = 'handler' AND a.account_id <> v.id"
	"   AND a.status <> 'closed'"
	"  ELSE ar.role = 'handler' AND a.account_id <> v.id"
	"   AND a.status = 'closed' END"
	" ORDER BY CASE WHEN $2 = 'queue' THEN a.answered END,"
	" a.updated_at DESC, a.id DESC LIMIT $3"
};

/* The organization's topics, in order. */
static const struct db_stmt q_topics = {
	"appeal_topics",
	"SELECT t FROM unnest(parta.appeal_topic_list(org => $1))"
	" WITH ORDINALITY AS u (t, i) ORDER BY i"
};

/* The classes a request of the request's account may name in $1: their
 * own (any current class for the staff) and their children's
 * (parta.appeal_classes). */
static const struct db_stmt q_classes = {
	"appeal_classes",
	"SELECT c.id, parta.class_name(c.grade, c.letter, c.title)"
	"  AS class_name"
	" FROM parta.class c"
	" WHERE c.org_id = $1 AND (c.id IN (SELECT k.class_id"
	"  FROM parta.appeal_classes(org => $1,"
	"  requester => parta.rls_account(), child => NULL) k)"
	"  OR c.id IN (SELECT k.class_id"
	"  FROM parta.org_children(org => $1,"
	"  account => parta.rls_account()) ch"
	"  CROSS JOIN LATERAL parta.appeal_classes(org => $1,"
	"  requester => parta.rls_account(), child => ch.child_id) k))"
	" ORDER BY c.kind, c.grade NULLS LAST, c.letter, c.title, c.id"
};

static const struct db_stmt q_file = {
	"appeal_file",
	"SELECT f.result, f.id, f.retry, parta.appeal_day_limit() AS most"
	" FROM parta.appeal_file(org => $1,"
	" requester => $2, child => $3, cls => $4, topic => $5,"
	" body => $6) f"
};

static const struct db_stmt q_topics_set = {
	"appeal_topics_set",
	"SELECT parta.appeal_topics_set(org => $1, actor => $2,"
	" titles => string_to_array($3, E'\\n')) AS result"
};

/* A topic as the form sends it: one of the list, or «Другое» (checked
 * against the list by parta.appeal_file). */
static const char *
valid_topic(const char *in, char *out, size_t outsz)
{
	const char	*err;

	if ((err = valid_line(in, out, outsz)) != NULL)
		return "Выберите тему";
	if (utf8_chars(out) > APPEAL_TOPIC_MAX)
		return "Выберите тему из списка";
	return NULL;
}

enum file_key { FILE_TOPIC, FILE_CHILD, FILE_CLASS, FILE__MAX };

static const struct valid_field file_fields[FILE__MAX] = {
	{ "topic", valid_topic, 0 },		/* FILE_TOPIC: below */
	{ "child_id", valid_uint, 0 },		/* FILE_CHILD */
	{ "class_id", valid_uint, 0 },		/* FILE_CLASS */
};

/* The statement of q_list's kind which, queued (lib/db.h). */
static struct db_query *
list_send(struct http_req *r, const char *which)
{
	return db_send(&q_list, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    which, app_num(r, LIST_MAX));
}

/* The rows of q (list_send) into list key of c. */
static int
list_ctx(struct html_ctx *c, const char *key, struct db_query *q)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*status;
	int		 i, n;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	html_list_init(c, key);
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		item = html_list_add(c, key);
		status = db_get(res, i, "status");
		app_set_cols(item, res, i, "id", "requester", "child_name",
		    "class_name", "created", "updated", NULL);
		html_set_str(item, "topic_name",
		    appeal_topic_name(db_get(res, i, "topic")));
		html_set_str(item, "status", status);
		html_set_str(item, "status_name", org_appeal_status(status));
		html_set_bool(item, "waiting", strcmp(status, "closed") != 0 &&
		    !db_getbool(res, i, "answered"));
		/* «Новый ответ» only for the school's answer; a request
		 * the other parent filed, or their addition, is a new
		 * message, not an answer. */
		html_set_bool(item, "unread", db_getbool(res, i, "unread"));
		html_set_bool(item, "unread_answer",
		    db_getbool(res, i, "unread_answer"));
		/* Who wrote it, when not the reader (the other parent). */
		html_set_bool(item, "mine_own", db_getbool(res, i, "own"));
		/* The author can no longer open it: the handler should
		 * know before answering that nobody will read the answer. */
		appeal_set_gone(item, res, i);
	}
	return 0;
}

/* The list page's statements, queued (lib/db.h) for list_show, whoever
 * asks (so they may go before the session is known, APP_ONE_TRIP): the
 * classes are read for a member only, the queue (or, with closed, the
 * closed ones) for a handler only. */
struct list_q {
	struct db_query	*topics, *classes, *mine, *queue;
};

static void
list_queue(struct http_req *r, int closed, struct list_q *q)
{
	q->topics = db_send(&q_topics, PGRES_TUPLES_OK, app_num(r, r->id[0]));
	q->classes = db_send(&q_classes, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]));
	q->mine = list_send(r, "mine");
	q->queue = list_send(r, closed ? "closed" : "queue");
}

/*
 * The list page of q: the form for a new request (its values and
 * errors in c, from a refused POST), one's own requests, and for a
 * handler the queue (or, with closed, the closed ones).
 */
static int
list_show(struct http_req *r, const struct appeal_who *w,
    struct html_ctx *c, int status, int closed, const struct list_q *q)
{
	struct html_ctx	*item;
	PGresult	*res;
	struct db_query	*classes = NULL, *queue = NULL;
	const char	*topic, *child, *cls;
	int		 i, n, other = 1;

	topic = html_get_str(c, "topic");
	child = html_get_str(c, "child_id");
	cls = html_get_str(c, "class_id");
	if (w->member)
		classes = q->classes;
	if (w->handler)
		queue = q->queue;
	if ((res = db_result(q->topics)) == NULL)
		return app_db_error();
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "topics");
		html_set_str(item, "topic_title", db_get(res, i, "t"));
		if (topic != NULL && strcmp(topic, db_get(res, i, "t")) == 0) {
			html_set_bool(item, "selected", 1);
			other = 0;
		}
	}
	html_set_bool(c, "other_selected", topic != NULL && other &&
	    strcmp(topic, APPEAL_OTHER) == 0);
	html_set_str(c, "other_title", APPEAL_OTHER);

	/* About whom: a guardian who is no member files about a child
	 * (chosen when there are several); a member who is a guardian may
	 * file about a child too. */
	if (w->nchildren == 1 && !w->member) {
		html_set_str(c, "only_child_id", db_get(w->children, 0, "id"));
		html_set_str(c, "only_child_name",
		    db_get(w->children, 0, "name"));
	} else if (w->nchildren > 0) {
		html_set_bool(c, "child_choice", 1);
		html_set_bool(c, "child_optional", w->member);
		for (i = 0; i < w->nchildren; i++) {
			item = html_list_add(c, "children");
			html_set_str(item, "child_value",
			    db_get(w->children, i, "id"));
			html_set_str(item, "child_name",
			    db_get(w->children, i, "name"));
			html_set_bool(item, "selected", child != NULL &&
			    strcmp(child, db_get(w->children, i, "id")) == 0);
		}
	}

	/* A guardian who is no member files about a child, and a request
	 * about a child concerns the child's class (parta.appeal_file):
	 * nothing to choose.  A member may name a class. */
	html_set_bool(c, "about_child", !w->member);
	res = NULL;
	if (classes != NULL && (res = db_result(classes)) == NULL)
		return app_db_error();
	n = res != NULL ? PQntuples(res) : 0;
	html_set_bool(c, "has_classes", n > 0);
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "class_value", db_get(res, i, "id"));
		html_set_str(item, "class_name", db_get(res, i, "class_name"));
		html_set_bool(item, "selected", cls != NULL &&
		    strcmp(cls, db_get(res, i, "id")) == 0);
	}

	html_set_int(c, "text_max", APPEAL_TEXT_MAX);
	if ((i = list_ctx(c, "mine", q->mine)) != 0)
		return i;
	if (w->handler) {
		html_set_bool(c, "is_handler", 1);
		html_set_bool(c, "show_closed", closed);
		if ((i = list_ctx(c, "queue", queue)) != 0)
			return i;
	}
	return app_page(r, status, "appeal_list", c);
}

/* The list page (list_show), its statements sent now.  Rolls back
 * first: a refused filing's page shows the database as it was. */
static int
list_page(struct http_req *r, const struct appeal_who *w,
    struct html_ctx *c, int status, int closed)
{
	struct list_q	 q;

	app_rollback();
	list_queue(r, closed, &q);
	return list_show(r, w, c, status, closed, &q);
}

/*
 * GET /org/N/appeals[?closed=1]
 * Members and guardians of the organization's students (anyone else
 * 404).  The form for a new request, one's own requests, and for an
 * administrator or a homeroom teacher the requests they handle: the
 * open ones, waiting first (closed=1: the closed ones).  Changes
 * nothing.
 */
int
appeal_list(struct http_req *r)
{
	struct appeal_who	 w;
	struct list_q		 q;
	struct db_query		*standing;
	const char		*closed = http_query(r, "closed");
	int			 rc, answered, shut;

	/* The page's statements with the session's lookup (APP_ONE_TRIP). */
	shut = closed != NULL && strcmp(closed, "1") == 0;
	standing = appeal_standing_send(r);
	list_queue(r, shut, &q);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	if ((rc = appeal_standing_read(r, standing, &w)) != 0)
		return rc;
	return list_show(r, &w, appeal_ctx(r, &w, "Обращения в организацию"),
	    HTTP_OK, shut, &q);
}

/* "через 3 ч 20 мин", "через 45 минут". */
static const char *
retry_words(struct http_req *r, int minutes)
{
	if (minutes < 60)
		return pool_printf(r->pool, "через %d %s", minutes,
		    ru_plural(minutes, "минуту", "минуты", "минут"));
	if (minutes % 60 == 0)
		return pool_printf(r->pool, "через %d ч", minutes / 60);
	return pool_printf(r->pool, "через %d ч %d мин", minutes / 60,
	    minutes % 60);
}

/*
 * POST /org/N/appeals   fields: topic, text, class_id (optional),
 * child_id (a guardian's child; chosen when they have several there)
 * Members and guardians (anyone else 404).  Files a request with its
 * first message (parta.appeal_file, one transaction): 303 to its page.
 * A field that will not do: 422 with the form as typed; an eleventh
 * request in a day: 429 saying when the next may be filed.
 */
int
appeal_file(struct http_req *r)
{
	struct appeal_who	 w;
	struct valid_result	 v[FILE__MAX];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*text, *err, *result, *topic, *child;
	int			 rc, bad, most;

	if ((rc = appeal_standing(r, &w)) != 0)
		return rc;
	c = appeal_ctx(r, &w, "Обращения в организацию");
	bad = app_form(r, file_fields, FILE__MAX, v, c);
	html_set_str(c, "text", http_form(r, "text") != NULL ?
	    http_form(r, "text") : "");
	if ((text = appeal_text(r, http_form(r, "text"), &err)) == NULL) {
		html_set_str(c, "text_error", err);
		bad++;
	}
	if (!v[FILE_TOPIC].present) {
		html_set_str(c, "topic_error", "Выберите тему");
		bad++;
	}
	if (!v[FILE_CHILD].present && !w.member && w.nchildren > 1) {
		html_set_str(c, "child_id_error", "Выберите, о ком обращение");
		bad++;
	}
	if (bad > 0)
		return list_page(r, &w, c, HTTP_UNPROCESSABLE, 0);
	topic = strcmp(v[FILE_TOPIC].value, APPEAL_OTHER) == 0 ? "" :
	    v[FILE_TOPIC].value;
	/* A guardian who is no member, of one child there: about them. */
	child = v[FILE_CHILD].present ? v[FILE_CHILD].value :
	    !w.member && w.nchildren == 1 ? db_get(w.children, 0, "id") :
	    NULL;

	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_file, PGRES_TUPLES_OK, app_num(r, w.org),
	    app_num(r, r->user->id), child, v[FILE_CLASS].present ? v[FILE_CLASS].value : NULL, topic,
	    text)) == NULL)
		return app_db_error();
	result = db_get(res, 0, "result");
	if (strcmp(result, "ok") == 0) {
		if ((rc = app_commit(r)) != 0)
			return rc;
		return app_redirect(r, pool_printf(r->pool,
		    "/org/%lld/appeals/%s", w.org, db_get(res, 0, "id")));
	}
	if (strcmp(result, "not_allowed") == 0)
		return HTTP_NOT_FOUND;
	if (strcmp(result, "limit") == 0) {
		most = atoi(db_get(res, 0, "most"));
		html_set_str(c, "limit_error", pool_printf(r->pool, "За сутки "
		    "можно отправить не больше %d %s, и вы их уже отправили. "
		    "Следующее можно будет отправить %s. Пока можно дописать "
		    "в одно из своих обращений ниже.", most, ru_plural(most,
		    "обращения", "обращений", "обращений"),
		    retry_words(r, atoi(db_get(res, 0, "retry")))));
		return list_page(r, &w, c, HTTP_TOO_MANY, 0);
	}
	if (strcmp(result, "child") == 0)
		html_set_str(c, "child_id_error", "Выберите, о ком обращение");
	else if (strcmp(result, "class") == 0)
		html_set_str(c, "class_id_error", w.member ?
		    "Выберите класс из списка" : "Этот класс выбрать нельзя: "
		    "обращение о ребёнке придёт в класс ребёнка само. "
		    "Отправьте форму ещё раз.");
	else
		html_set_str(c, "topic_error", "Выберите тему из списка");
	return list_page(r, &w, c, HTTP_UNPROCESSABLE, 0);
}

/* The topics page, with c's values (the text as typed and its error
 * after a refused POST). */
static int
topics_page(struct http_req *r, struct html_ctx *c, int status)
{
	PGresult	*res;
	int		 i;

	app_rollback();
	html_set_str(c, "title", "Темы обращений");
	html_set_str(c, "other_title", APPEAL_OTHER);
	html_set_int(c, "topics_max", APPEAL_TOPICS_MAX);
	html_set_int(c, "topic_max", APPEAL_TOPIC_MAX);
	if (html_get_str(c, "topics") == NULL) {
		if ((res = db_exec(&q_topics, PGRES_TUPLES_OK,
		    app_num(r, r->org->id))) == NULL)
			return app_db_error();
		for (i = 0; i < PQntuples(res); i++)
			html_set_str(c, "topics", pool_printf(r->pool, "%s%s%s",
			    i > 0 ? html_get_str(c, "topics") : "",
			    i > 0 ? "\n" : "", db_get(res, i, "t")));
	}
	return app_page(r, status, "appeal_topics", c);
}

/*
 * GET /org/N/appeals/topics[?saved=1]
 * The organization's admin (other members 403, outsiders 404).  The
 * topics a request may have, one a line, to edit.  Changes nothing.
 */
int
appeal_topics(struct http_req *r)
{
	struct html_ctx	*c = org_page_ctx(r, "Темы обращений");
	const char	*saved = http_query(r, "saved");

	html_set_bool(c, "saved", saved != NULL && strcmp(saved, "1") == 0);
	return topics_page(r, c, HTTP_OK);
}

/*
 * POST /org/N/appeals/topics   field: topics (one a line)
 * The organization's admin.  Sets the list (blank lines and repeats
 * dropped; «Другое» is always offered and not listed), audited with
 * what was added and removed: 303 to the page.  A line too long, too
 * many lines, «Другое» among them, or none: 422 as typed.  Requests
 * filed keep the topic they had.
 */
int
appeal_topics_post(struct http_req *r)
{
	struct html_ctx	*c = org_page_ctx(r, "Темы обращений");
	const char	*in = http_form(r, "topics"), *err = NULL;
	char		*s, *line, *save = NULL, v[VALID_MAX];
	const char	*list = "";
	int		 n = 0, lineno = 0;
	PGresult	*res;

	s = pool_strdup(r->pool, in != NULL ? in : "");
	html_set_str(c, "topics", s);
	s = pool_strdup(r->pool, s);
	for (line = strtok_r(s, "\n", &save); line != NULL && err == NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		if (valid_line(line, v, sizeof(v)) != NULL ||
		    utf8_chars(v) > APPEAL_TOPIC_MAX)
			err = pool_printf(r->pool, "Строка %d: тема — одна "
			    "строка до %d символов", lineno,
			    APPEAL_TOPIC_MAX);
		else if (strcmp(v, APPEAL_OTHER) == 0)
			err = pool_printf(r->pool, "Строка %d: тема «%s» "
			    "есть всегда, её не нужно писать", lineno,
			    APPEAL_OTHER);
		else if (++n > APPEAL_TOPICS_MAX)
			err = pool_printf(r->pool, "Не больше %d тем",
			    APPEAL_TOPICS_MAX);
		else
			list = pool_printf(r->pool, "%s%s%s", list,
			    list[0] != '\0' ? "\n" : "", v);
	}
	if (err == NULL && n == 0)
		err = "Напишите хотя бы одну тему";
	if (err != NULL) {
		html_set_str(c, "topics_error", err);
		return topics_page(r, c, HTTP_UNPROCESSABLE);
	}
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_topics_set, PGRES_TUPLES_OK,
	    app_num(r, r->org->id), app_num(r, r->user->id), list)) == NULL)
		return app_db_error();
	if ((n = app_commit(r)) != 0)
		return n;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/appeals/topics?saved=1", r->org->id));
}
