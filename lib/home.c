#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "home.h"
#include "log.h"
#include "pool.h"

/* Where a step is done: a page of the list's organization, of its class,
 * the chat the database named (target), or a page of the person's own. */
enum home_href {
	HREF_ORG,		/* /org/N + path */
	HREF_CLASS,		/* /org/N/classes/C */
	HREF_CHAT,		/* /chats/TARGET, else path */
	HREF_PATH		/* path */
};

struct home_step_text {
	const char	*list;
	const char	*step;
	const char	*text;
	enum home_href	 href;
	const char	*path;
};

/* The words and links of every step parta.checklist ticks, by list in
 * the order of brief 000.  A step the database names but this table
 * lacks is left out (and logged), never shown as its code. */
static const struct home_step_text home_texts[] = {
	{ "admin", "profile", "Заполнить профиль организации", HREF_ORG,
	    "/edit" },
	{ "admin", "classes", "Создать классы", HREF_ORG, "/classes" },
	{ "admin", "teachers_invited", "Пригласить учителей по ссылке",
	    HREF_ORG, "/invites" },
	{ "admin", "teachers_accepted", "Принять заявки учителей", HREF_ORG,
	    "/applications" },
	{ "admin", "homeroom", "Назначить классных руководителей", HREF_ORG,
	    "/classes" },
	{ "admin", "students_invited", "Пригласить учеников по классам",
	    HREF_ORG, "/invites" },
	{ "admin", "chats", "Создать чаты", HREF_ORG, "/chats" },

	{ "teacher", "verified", "Получить подтверждение школы, что вы "
	    "её учитель (значок «✓ подтверждён»)", HREF_ORG, "" },
	{ "teacher", "staff_chat", "Открыть чат учителей школы", HREF_CHAT,
	    "/chats" },
	{ "teacher", "chat", "Создать чат для учеников или родителей",
	    HREF_ORG, "/chats" },
	{ "teacher", "chat_link", "Пригласить учеников и родителей в чат "
	    "по ссылке", HREF_PATH, "/chats" },

	{ "homeroom", "invites", "Сделать ссылки-приглашения для учеников "
	    "класса и отправить каждому лично", HREF_ORG, "/invites" },
	{ "homeroom", "reviewed", "Рассмотреть заявки учеников класса",
	    HREF_ORG, "/applications" },
	{ "homeroom", "class_chat", "Открыть чат класса", HREF_CHAT,
	    "/chats" },
	{ "homeroom", "parents", "Попросить учеников пригласить родителей "
	    "(кнопка «Ссылка для родителя» у ученика)", HREF_CLASS, "" },

	{ "student", "class", "Вступить в свой класс", HREF_PATH, "/me" },
	{ "student", "class_chat", "Открыть чат класса", HREF_CHAT,
	    "/chats" },
	{ "student", "parent_link", "Сделать ссылку для родителя и "
	    "отправить её маме или папе", HREF_PATH, "/chats/parent-link" },
	{ "student", "parent", "Родитель открыл ссылку и подтвердил",
	    HREF_PATH, "/chats/parent-link" },

	{ "parent", "child", "Подтвердить, что вы родитель",
	    HREF_PATH, "/chats/family" },
	{ "parent", "parents_chat", "Открыть родительский чат класса",
	    HREF_CHAT, "/chats" },
	{ "parent", "teacher", "Написать учителю ребёнка", HREF_PATH,
	    "/chats/family" },
};

/* A young child's parent confirmed the registration: their step. */
static const struct home_step_text home_young_parent = {
	"student", "parent", "Родитель подтвердил регистрацию", HREF_PATH,
	"/me#my-guardians"
};

struct home_row {
	const char	*list;
	long long	 org;
	long long	 cls;
	const char	*class_name;
	const struct home_step_text *text;
	int		 done;
	long long	 target;
};

struct home_steps {
	struct home_row	*rows;
	int		 n;
};

/* The request's account's steps (of organization $1, NULL: all); on a
 * student's list, whether they may make a parent's link (a young child,
 * of fewer than $2 years, may not): parta.parent_link_allowed. */
static const struct db_stmt q_checklist = {
	"home_checklist",
	"SELECT list, coalesce(org_id, 0) AS org_id,"
	" coalesce(class_id, 0) AS class_id,"
	" coalesce(class_name, '') AS class_name, step, done,"
	" coalesce(target, 0) AS target,"
	" list = 'student' AND step IN ('parent_link', 'parent')"
	"  AND NOT parta.parent_link_allowed(parta.rls_account(), $2::int)"
	"  AS young"
	" FROM parta.checklist(parta.rls_account(), $1)"
};

/* Whether the request's account may make a parent's link (a young
 * child, of fewer than $1 years, may not). */
static const struct db_stmt q_parent_link_allowed = {
	"home_parent_link_allowed",
	"SELECT parta.parent_link_allowed(parta.rls_account(), $1::int)"
	" AS allowed"
};

static const struct home_step_text *
home_text(const char *list, const char *step)
{
	size_t	 i;

	for (i = 0; i < sizeof(home_texts) / sizeof(home_texts[0]); i++)
		if (strcmp(home_texts[i].list, list) == 0 &&
		    strcmp(home_texts[i].step, step) == 0)
			return &home_texts[i];
	return NULL;
}

struct db_query *
home_steps_send(struct http_req *r, long long org)
{
	return db_send(&q_checklist, PGRES_TUPLES_OK,
	    org > 0 ? app_num(r, org) : NULL, app_num(r, config->child_age));
}

int
home_steps_load(struct http_req *r, long long org, struct home_steps **steps)
{
	return home_steps_read(r, home_steps_send(r, org), steps);
}

int
home_steps_read(struct http_req *r, struct db_query *q,
    struct home_steps **steps)
{
	struct home_steps	*s;
	struct home_row		*w;
	PGresult		*res;
	int			 i;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	s = pool_zalloc(r->pool, sizeof(*s));
	s->rows = pool_zalloc(r->pool, sizeof(*s->rows) *
	    (size_t)(PQntuples(res) + 1));
	for (i = 0; i < PQntuples(res); i++) {
		w = &s->rows[s->n];
		w->text = home_text(db_get(res, i, "list"),
		    db_get(res, i, "step"));
		if (w->text == NULL) {
			log_err("home", "no words for step %s of list %s",
			    db_get(res, i, "step"), db_get(res, i, "list"));
			continue;
		}
		/* A young child makes no parent links
		 * (parta.parent_link_allowed): no step to make one. */
		if (db_getbool(res, i, "young")) {
			if (strcmp(w->text->step, "parent") != 0)
				continue;
			w->text = &home_young_parent;
		}
		w->list = w->text->list;
		w->org = db_getll(res, i, "org_id");
		w->cls = db_getll(res, i, "class_id");
		w->class_name = pool_strdup(r->pool, db_get(res, i,
		    "class_name"));
		w->done = db_getbool(res, i, "done");
		w->target = db_getll(res, i, "target");
		s->n++;
	}
	*steps = s;
	return 0;
}

static const char *
home_href(struct http_req *r, const struct home_row *w)
{
	switch (w->text->href) {
	case HREF_ORG:
		return pool_printf(r->pool, "/org/%lld%s", w->org,
		    w->text->path);
	case HREF_CLASS:
		return pool_printf(r->pool, "/org/%lld/classes/%lld", w->org,
		    w->cls);
	case HREF_CHAT:
		if (w->target > 0)
			return app_chat_href(r, w->target);
		return w->text->path;
	case HREF_PATH:
	default:
		return w->text->path;
	}
}

/* Add the list of w's list, organization and class to c: its item. */
static struct html_ctx *
home_list(struct http_req *r, const struct home_steps *s,
    struct html_ctx *c, const struct home_row *first)
{
	const struct home_row	*w;
	struct html_ctx		*item, *step;
	long long		 done = 0, total = 0;

	item = html_list_add(c, "checklists");
	if (strcmp(first->list, "homeroom") == 0)
		html_set_str(item, "heading", pool_printf(r->pool, "С чего "
		    "начать с классом %s", first->class_name));
	else
		html_set_str(item, "heading", "С чего начать");
	for (w = first; w < s->rows + s->n && strcmp(w->list, first->list) == 0 &&
	    w->org == first->org && w->cls == first->cls; w++) {
		step = html_list_add(item, "steps");
		html_set_str(step, "text", w->text->text);
		html_set_str(step, "href", home_href(r, w));
		/* Set even when not done, so {{#done}} never finds a
		 * "done" of a context around. */
		html_set_bool(step, "done", w->done);
		total++;
		if (w->done)
			done++;
	}
	html_set_int(item, "steps_done", done);
	html_set_int(item, "steps_total", total);
	html_set_bool(item, "all_done", done == total);
	return item;
}

int
home_checklists(struct http_req *r, const struct home_steps *s,
    struct html_ctx *c, const char *list, long long org)
{
	const struct home_row	*w, *prev = NULL;
	int			 n = 0;

	for (w = s->rows; w < s->rows + s->n; prev = w, w++) {
		if (strcmp(w->list, list) != 0 || w->org != org)
			continue;
		/* The rows of one list follow each other. */
		if (prev != NULL && strcmp(prev->list, w->list) == 0 &&
		    prev->org == w->org && prev->cls == w->cls)
			continue;
		(void)home_list(r, s, c, w);
		n++;
	}
	return n;
}

int
home_parent_link_allowed(struct http_req *r, int *allowed)
{
	return home_parent_link_read(home_parent_link_send(r), allowed);
}

struct db_query *
home_parent_link_send(struct http_req *r)
{
	return db_send(&q_parent_link_allowed, PGRES_TUPLES_OK,
	    app_num(r, config->child_age));
}

int
home_parent_link_read(struct db_query *q, int *allowed)
{
	PGresult	*res;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	*allowed = db_getbool(res, 0, "allowed");
	return 0;
}

const char *
home_path(const struct http_req *r)
{
	return r->user != NULL && r->user->is_operator ? "/operator" : "/me";
}
