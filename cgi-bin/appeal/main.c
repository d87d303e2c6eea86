/*
 * appeal: requests to the organization («Обращения в организацию»,
 * issue 21).  A parent asks the school for a certificate, a student
 * reports a problem, a teacher asks the administration for something:
 * a request with a topic (the organization's list, which its
 * administrators edit, or «Другое»), the class it concerns (optional)
 * and a thread of messages, instead of someone's private messenger.
 *
 * Who files: the organization's members, and the guardians of its
 * students, about their child (a guardian is no member: these routes
 * are APP_GUEST, the standing loaded by the dispatcher with the session,
 * and appeal_standing admits them, where APP_ORG would not).  Who handles: the administrators,
 * and the homeroom teacher for a request about their class; they have
 * a queue on the list page, counted in the menu (lib/org.c).  Who reads
 * a request and who handles it is one SQL rule, parta.appeal_role
 * (sql/0032_appeals.sql), in every statement: anybody else gets 404.
 *
 * Statuses new → in work (a handler's first answer) → closed; the
 * parties (the requester, the child and the child's guardians) are told
 * of each answer and of the closing by a message to their proven
 * contact (lib/outbox, in the same transaction).  Limits, held by the
 * database: 4,000 characters a message (422), 10 new requests a day per
 * person (429 saying when).  Closing and the topics' edits are audited.
 *
 * The program is this folder: main.c the routes and what the pages
 * share, list.c the list, filing and the topics, show.c one request.
 */
#include <string.h>

#include "appeal.h"
#include "valid.h"

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_GUEST | APP_ONE_TRIP, "/org/{n}/appeals",
	    appeal_list },
	{ APP_POST | APP_LOGIN | APP_GUEST, "/org/{n}/appeals", appeal_file },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/appeals/topics",
	    appeal_topics },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/appeals/topics",
	    appeal_topics_post },
	{ APP_GET | APP_LOGIN | APP_GUEST, "/org/{n}/appeals/{n}", appeal_show },
	{ APP_POST | APP_LOGIN | APP_GUEST,
	    "/org/{n}/appeals/{n}/reply", appeal_reply },
	{ APP_POST | APP_LOGIN | APP_GUEST,
	    "/org/{n}/appeals/{n}/close", appeal_close },
};

/* The students of organization $1 the request's account is the
 * guardian of (parta.rls_account(): it may go with the session's
 * lookup, APP_ONE_TRIP). */
static const struct db_stmt q_children = {
	"appeal_children",
	"SELECT c.child_id AS id, o.short_name AS org_name,"
	" parta.full_name(a.last_name, a.first_name, a.patronymic) AS name"
	" FROM parta.org o"
	" CROSS JOIN LATERAL parta.org_children(org => o.id,"
	"  account => parta.rls_account()) c"
	" JOIN parta.account a ON a.id = c.child_id"
	" WHERE o.id = $1"
	" ORDER BY a.last_name, a.first_name, a.id"
};

int
appeal_standing(struct http_req *r, struct appeal_who *w)
{
	return appeal_standing_read(r, appeal_standing_send(r), w);
}

struct db_query *
appeal_standing_send(struct http_req *r)
{
	return db_send(&q_children, PGRES_TUPLES_OK, app_num(r, r->id[0]));
}

int
appeal_standing_read(struct http_req *r, struct db_query *q,
    struct appeal_who *w)
{
	struct org_access	*a = r->org;	/* APP_GUEST */
	PGresult		*res;

	memset(w, 0, sizeof(*w));
	w->org = r->id[0];
	w->member = a != NULL && a->role[0] != '\0';
	if ((res = db_result(q)) == NULL)
		return app_db_error();
	w->children = res;
	w->nchildren = PQntuples(res);
	if (!w->member && w->nchildren == 0)
		return HTTP_NOT_FOUND;
	if (w->member) {
		r->org = a;
		w->org_name = a->name;
		w->handler = a->is_admin || a->homeroom;
	} else {
		/* The operator oversees no requests: no member. */
		r->org = NULL;
		w->org_name = db_get(res, 0, "org_name");
	}
	return 0;
}

struct html_ctx *
appeal_ctx(struct http_req *r, const struct appeal_who *w, const char *title)
{
	if (w->member)
		return org_page_ctx(r, title);
	return org_guest_ctx(r, w->org, w->org_name, title);
}

const char *
appeal_text(struct http_req *r, const char *in, const char **err)
{
	char	*s = pool_strdup(r->pool, in != NULL ? in : "");
	size_t	 chars;

	if ((*err = valid_message(s, APPEAL_TEXT_MAX, &chars)) == NULL)
		return s;
	if (strcmp(*err, VALID_E_TEXT_LONG) == 0)
		*err = pool_printf(r->pool, "Не больше %d символов (сейчас "
		    "%zu): сократите текст или разделите его на два "
		    "сообщения", APPEAL_TEXT_MAX, chars);
	return NULL;
}

const char *
appeal_topic_name(const char *topic)
{
	return topic[0] != '\0' ? topic : APPEAL_OTHER;
}

void
appeal_set_gone(struct html_ctx *c, const PGresult *res, int row)
{
	const char	*gone = db_isnull(res, row, "author_gone") ? "" :
		    db_get(res, row, "author_gone");

	html_set_bool(c, "author_gone", gone[0] != '\0');
	html_set_bool(c, "gone_left", strcmp(gone, "left") == 0);
	html_set_bool(c, "gone_child_left", strcmp(gone, "child_left") == 0);
	html_set_bool(c, "gone_unlinked", strcmp(gone, "unlinked") == 0);
}

int
main(int argc, char *argv[])
{
	return app_main("appeal", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
