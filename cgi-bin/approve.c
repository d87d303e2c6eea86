/*
 * approve: the review of an organization's join requests, and its audit
 * log.
 *
 * An admin reviews every application; a homeroom teacher only students'
 * applications for their own current classes (the same scope as the
 * pending count on the menu badge, lib/org.c).  The decision itself is
 * member_decide() (lib/member.h, parta.application_decide in sql/0012):
 * it checks the reviewer's scope again under lock, lets exactly one of
 * two reviewers deciding at once stand (the other gets 409), makes the
 * applicant a member and writes the audit row.  An application whose
 * class was archived (or rolled over) can still be rejected; accepting
 * it offers the class of the new year it was rolled into.  This program
 * keeps what the database does not: the pages, and telling the applicant
 * by SMS to a verified phone, else by e-mail, queued in the same
 * transaction (lib/member's member_decided_tell).  An application may
 * also be accepted by the school's roster (sql/0029_roster_rules.sql),
 * or resemble one of its rows: the queue and its page say so.
 *
 * The review is a flow: a decision returns to the queue as it was (its
 * filters travel with every form: role and class_id in a page's query,
 * back_role and back_class in a POST), which names the person and the
 * decision and shows the next application in line.  A decision on many
 * at once is asked to be confirmed first, on a page of its own (the GET
 * of the bulk route); the POST decides at once, as the contract says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "csv.h"
#include "config.h"
#include "db.h"
#include "member.h"
#include "org.h"
#include "pager.h"
#include "pool.h"

static int	queue(struct http_req *);
static int	decide_confirm(struct http_req *);
static int	decide_bulk(struct http_req *);
static int	application_show(struct http_req *);
static int	application_accept(struct http_req *);
static int	application_reject(struct http_req *);
static int	audit(struct http_req *);
static int	audit_csv(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_REVIEWER | APP_ONE_TRIP,
	    "/org/{n}/applications", queue },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/applications/decide",
	    decide_confirm },
	{ APP_POST | APP_LOGIN | APP_REVIEWER, "/org/{n}/applications/decide",
	    decide_bulk },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/applications/{n}",
	    application_show },
	{ APP_POST | APP_LOGIN | APP_REVIEWER,
	    "/org/{n}/applications/{n}/accept", application_accept },
	{ APP_POST | APP_LOGIN | APP_REVIEWER,
	    "/org/{n}/applications/{n}/reject", application_reject },
	{ APP_GET | APP_LOGIN | APP_ADMIN | APP_ONE_TRIP, "/org/{n}/audit",
	    audit },
	{ APP_GET | APP_LOGIN | APP_ADMIN, "/org/{n}/audit.csv", audit_csv },
};


#define QUEUE_MAX	PAGER_SIZE	/* applications a page of the queue */
#define BULK_MAX	1000	/* ids in one bulk decision */
#define FAILED_MAX	100	/* undecided ids named on the result page */
#define AUDIT_CSV_MAX	100000

/* Pending applications in the reviewer's scope, oldest first, a page
 * of them (lib/pager): those filed after application $6 (NULL: from
 * the first), $4 rows, with the total under the filters; after: filed
 * after application $5 (the one just decided), so the page knows which
 * comes next.  The page's rows are chosen first, by the queue's index,
 * and only they are joined to their names (a big school's 500 pending
 * applications were each joined, then all but 50 dropped); the time
 * zone is read once, not joined to each row.  Each row's class is
 * looked up by its key (LIMIT 1 keeps it a lookup: planned for a page
 * of one row, a join rescanned the school's classes under their policy
 * for each of the 50). */
static const struct db_stmt q_queue = {
	"approve_queue",
	"WITH me AS MATERIALIZED (SELECT"
	"  coalesce((SELECT v.role = 'admin' FROM parta.viewer_role($1) v),"
	"  false) AS admin, (SELECT z.tz FROM parta.org_tz($1) z) AS tz),"
	" f AS NOT MATERIALIZED (SELECT a.* FROM parta.application a"
	"  CROSS JOIN me CROSS JOIN LATERAL parta.homeroom_scope(org => a.org_id,"
	"  reviewer => parta.rls_account(), app_role => a.role, app_class => a.class_id) hs"
	"  WHERE a.org_id = $1 AND a.status = 'pending'"
	"  AND (me.admin OR hs.in_scope)"
	"  AND ($2::text IS NULL OR a.role = $2)"
	"  AND ($3::bigint IS NULL OR a.class_id = $3))"
	" SELECT t.total, x.* FROM (SELECT count(*) AS total FROM f) t"
	" LEFT JOIN LATERAL (SELECT a.id, a.role, a.invite_id,"
	" i.created_by = parta.rls_account() AS my_link,"
	" parta.full_name(p.last_name, p.first_name, p.patronymic) AS name,"
	" p.gender,"
	" coalesce(c.name, '') AS class_name,"
	" coalesce(c.archived_at IS NOT NULL, false) AS class_archived,"
	" coalesce(parta.full_name(ib.last_name, ib.first_name,"
	"  ib.patronymic), '') AS invited_by,"
	" ib.gender AS invited_by_gender,"
	" coalesce(i.label, '') AS label,"
	" parta.local_time(a.created_at, me.tz) AS created,"
	" coalesce(a.roster_id::text, '') AS roster_id,"
	" coalesce(a.roster_line::text, '') AS roster_line,"
	" coalesce(a.roster_why, '') AS roster_why,"
	" coalesce(parta.full_name(rw.last_name, rw.first_name,"
	"  rw.patronymic), '') AS roster_name,"
	" coalesce(parta.class_name_of(a.org_id, rw.class_id), '')"
	"  AS roster_class,"
	" coalesce((a.created_at, a.id) > (SELECT d.created_at, d.id"
	"  FROM parta.application d WHERE d.org_id = $1 AND d.id = $5),"
	"  false) AS after"
	" FROM (SELECT f.* FROM f"
	"  WHERE (f.created_at, f.id) > (SELECT"
	"  coalesce(max(k.created_at), '-infinity'), coalesce(max(k.id), 0)"
	"  FROM parta.application k WHERE k.org_id = $1 AND k.id = $6)"
	"  ORDER BY f.created_at, f.id LIMIT $4) a"
	" CROSS JOIN me"
	" JOIN parta.account p ON p.id = a.account_id"
	" LEFT JOIN LATERAL (SELECT"
	"  parta.class_name(c.grade, c.letter, c.title) AS name,"
	"  c.archived_at FROM parta.class c WHERE c.org_id = a.org_id"
	"  AND c.id = a.class_id LIMIT 1) c ON true"
	" LEFT JOIN parta.invite i ON i.org_id = a.org_id"
	"  AND i.id = a.invite_id"
	" LEFT JOIN parta.account ib ON ib.id = i.created_by"
	" LEFT JOIN parta.roster_row rw ON rw.org_id = a.org_id"
	"  AND rw.roster_id = a.roster_id AND rw.line = a.roster_line"
	" ORDER BY a.created_at, a.id) x ON true"
};

/* The classes the reviewer (the request's account) can filter by: an
 * admin's every open class, a homeroom teacher's their own. */
static const struct db_stmt q_classes = {
	"approve_classes",
	"SELECT c.id,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name"
	" FROM parta.class c"
	" WHERE c.org_id = $1"
	" AND ((coalesce((SELECT v.role = 'admin'"
	"  FROM parta.viewer_role($1) v), false)"
	"  AND c.archived_at IS NULL)"
	"  OR c.id IN (SELECT cm.class_id FROM parta.class_member cm"
	"  WHERE cm.org_id = $1 AND cm.account_id = parta.rls_account()"
	"  AND cm.role = 'homeroom'))"
	" ORDER BY c.kind, c.grade NULLS LAST, c.letter, c.title, c.id"
};

/* One application of the organization, with whether reviewer $2 could
 * decide it as a homeroom teacher. */
static const struct db_stmt q_application = {
	"approve_application",
	"SELECT a.id, a.account_id, a.role, a.status, a.reason, a.invite_id,"
	" i.created_by = $2 AS my_link,"
	" hs.in_scope AS in_homeroom,"
	" parta.full_name(p.last_name, p.first_name, p.patronymic) AS name,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" coalesce(parta.full_name(ib.last_name, ib.first_name,"
	"  ib.patronymic), '') AS invited_by,"
	" ib.gender AS invited_by_gender, p.gender,"
	" coalesce(parta.full_name(d.last_name, d.first_name, d.patronymic),"
	"  '') AS decided_by,"
	" coalesce(i.label, '') AS label,"
	" coalesce(m.verified AND m.role <> 'student', false) AS staff_badge,"
	" parta.local_time(a.created_at, rg.tz) AS created,"
	" coalesce(parta.local_time(a.decided_at, rg.tz), '') AS decided,"
	" coalesce(c.archived_at IS NOT NULL, false) AS class_archived,"
	" parta.class_year(c.year) AS class_year,"
	" coalesce(nx.id::text, '') AS next_id,"
	" parta.class_name(nx.grade, nx.letter, nx.title) AS next_name,"
	" parta.class_year(nx.year) AS next_year,"
	" coalesce(a.roster_id::text, '') AS roster_id,"
	" coalesce(a.roster_line::text, '') AS roster_line,"
	" coalesce(a.roster_why, '') AS roster_why,"
	" coalesce(parta.full_name(rw.last_name, rw.first_name,"
	"  rw.patronymic), '') AS roster_name,"
	" coalesce(parta.class_name_of(a.org_id, rw.class_id), '')"
	"  AS roster_class,"
	" EXISTS (SELECT 1 FROM parta.roster_row rr"
	"  WHERE rr.org_id = a.org_id AND rr.application_id = a.id"
	"  AND rr.state = 'joined') AS by_roster"
	" FROM parta.application a"
	" JOIN parta.account p ON p.id = a.account_id"
	" JOIN parta.org o ON o.id = a.org_id"
	" JOIN parta.region rg ON rg.code = o.region"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" LEFT JOIN parta.class nx ON c.archived_at IS NOT NULL"
	"  AND nx.org_id = a.org_id"
	"  AND nx.id = parta.class_current(a.org_id, a.class_id)"
	" LEFT JOIN parta.invite i ON i.org_id = a.org_id"
	"  AND i.id = a.invite_id"
	" LEFT JOIN parta.account ib ON ib.id = i.created_by"
	" LEFT JOIN parta.account d ON d.id = a.decided_by"
	" LEFT JOIN parta.roster_row rw ON rw.org_id = a.org_id"
	"  AND rw.roster_id = a.roster_id AND rw.line = a.roster_line"
	" LEFT JOIN parta.member m ON m.org_id = a.org_id"
	"  AND m.account_id = a.account_id"
	" CROSS JOIN LATERAL parta.homeroom_scope(org => a.org_id,"
	"  reviewer => $2, app_role => a.role, app_class => a.class_id) hs"
	" WHERE a.org_id = $1 AND a.id = $3"
};

/* The applications of a bulk decision that were left undecided ($3, an
 * array), as they stand now: the result page says why from this. */
static const struct db_stmt q_failed = {
	"approve_failed",
	"SELECT a.id, a.status, a.role, hs.in_scope AS in_homeroom,"
	" parta.full_name(p.last_name, p.first_name, p.patronymic) AS name,"
	" p.gender,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" coalesce(c.archived_at IS NOT NULL, false) AS class_archived,"
	" parta.class_current(a.org_id, a.class_id) IS NOT NULL AS successor"
	" FROM parta.application a"
	" JOIN parta.account p ON p.id = a.account_id"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" CROSS JOIN LATERAL parta.homeroom_scope(org => a.org_id,"
	"  reviewer => $2, app_role => a.role, app_class => a.class_id) hs"
	" WHERE a.org_id = $1 AND a.id = ANY ($3::bigint[])"
	" ORDER BY a.created_at, a.id"
};

/* An application just decided by reviewer $2, for the queue's notice:
 * who, what, and whether it is the reviewer's to name. */
static const struct db_stmt q_decided = {
	"approve_decided",
	"SELECT a.status, a.role,"
	" parta.full_name(p.last_name, p.first_name, p.patronymic) AS name,"
	" p.gender,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" a.decided_by = $2 AS mine, hs.in_scope AS in_homeroom"
	" FROM parta.application a"
	" JOIN parta.account p ON p.id = a.account_id"
	" LEFT JOIN parta.class c ON c.org_id = a.org_id AND c.id = a.class_id"
	" CROSS JOIN LATERAL parta.homeroom_scope(org => a.org_id,"
	"  reviewer => $2, app_role => a.role, app_class => a.class_id) hs"
	" WHERE a.org_id = $1 AND a.id = $3"
};

/* The audit log as its one reader renders it (parta.audit_event), the
 * time in format $3. */
static const struct db_stmt q_audit = {
	"approve_audit",
	"SELECT to_char(e.local_at, $3) AS at, e.action, e.action_name,"
	" e.detail, e.actor, e.target, e.target_id"
	" FROM parta.audit_event e"
	" WHERE e.org_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2"
};

/*
 * A page of the audit log (lib/pager), newest first: done by $2 (NULL:
 * anyone), an action named $3 (its Russian name, which the page shows,
 * never its code; NULL: any), after event $4 (NULL, or not of the
 * organization: from the newest), $5 rows; with the total under the
 * filters (f, the same shape as the other lists; counted on the table:
 * every action has its row in audit_action, so the view has the same
 * rows; for a reader who sees the whole organization, from the index
 * audit_org_count alone: parta.audit_count, sql/0061_list_buffers.sql;
 * once, t, not once a row).
 * The page's rows are chosen on the table alone, by the index
 * audit_org_page in that order (a plan for any parameters: no OR on the
 * cursor), and only those 50 are read through the view.
 */
static const struct db_stmt q_audit_page = {
	"approve_audit_page",
	"WITH f AS NOT MATERIALIZED (SELECT au.id, au.at FROM parta.audit au"
	"  WHERE au.org_id = $1 AND ($2::bigint IS NULL OR au.actor_id = $2)"
	"  AND ($3::text IS NULL OR au.action IN (SELECT aa.code"
	"   FROM parta.audit_action aa WHERE aa.name = $3))),"
	" t AS MATERIALIZED (SELECT coalesce(parta.audit_count($1, $2, $3),"
	"  (SELECT count(*) FROM f)) AS total)"
	" SELECT t.total, x.* FROM t"
	" LEFT JOIN LATERAL (SELECT e.id,"
	"  to_char(e.local_at, 'DD.MM.YYYY HH24:MI') AS at, e.action_name,"
	"  e.detail, e.actor, e.target"
	"  FROM (SELECT f.id FROM f"
	"   WHERE (f.at, f.id) < (SELECT coalesce(max(k.at), 'infinity'),"
	"    coalesce(max(k.id), 0) FROM parta.audit k"
	"    WHERE k.org_id = $1 AND k.id = $4)"
	"   ORDER BY f.at DESC, f.id DESC LIMIT $5) p"
	"  JOIN parta.audit_event e ON e.org_id = $1 AND e.id = p.id"
	"  ORDER BY e.at DESC, e.id DESC) x ON true"
};

/* Who may be named by the log's filter: the organization's staff, by
 * the names their memberships keep (sql/0061_list_buffers.sql: a
 * school's 150 staff are not 150 accounts read). */
static const struct db_stmt q_audit_people = {
	"approve_audit_people",
	"SELECT m.account_id AS id, parta.full_name(m.sort_last_name,"
	" m.sort_first_name, m.sort_patronymic) AS name"
	" FROM parta.member m"
	" WHERE m.org_id = $1 AND m.role IN ('admin', 'teacher')"
	" ORDER BY m.sort_last_name, m.sort_first_name, m.account_id"
};

/* The actions the log's filter offers, by their Russian names. */
static const struct db_stmt q_audit_actions = {
	"approve_audit_actions",
	"SELECT DISTINCT name FROM parta.audit_action ORDER BY name"
};

/* "accept" or "reject". */
static const char *
valid_decision(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "accept") != 0 && strcmp(in, "reject") != 0)
		return "Выберите решение: принять или отклонить";
	snprintf(out, outsz, "%s", in);
	return NULL;
}

enum filter_key { FILTER_ROLE, FILTER_CLASS, FILTER__MAX };

static const struct valid_field filter_fields[FILTER__MAX] = {
	{ "role", valid_role, 0 },		/* FILTER_ROLE */
	{ "class_id", valid_uint, 0 },		/* FILTER_CLASS */
};

enum bulk_key { BULK_DECISION, BULK_REASON, BULK__MAX };

static const struct valid_field bulk_fields[BULK__MAX] = {
	{ "decision", valid_decision, 1 },	/* BULK_DECISION */
	{ "reason", valid_line, 0 },		/* BULK_REASON */
};

static const struct valid_field reason_field[] = {
	{ "reason", valid_line, 0 },
};

/* Accepting may name the class to accept into (the one an archived
 * class was rolled into). */
static const struct valid_field class_field[] = {
	{ "class_id", valid_uint, 0 },
};

/*
 * The queue's filters, carried by every page and form of the review so
 * that a decision returns to the queue as it was: role and class_id in
 * a GET's query, back_role and back_class in a POST's form.  A malformed
 * one is dropped (the queue itself answers 422 for its own query).
 */
struct queue_filter {
	const char	*role;		/* "teacher", "student", NULL: all */
	const char	*class_id;	/* a class id, NULL: all */
};

static void
queue_filter_get(struct http_req *r, struct queue_filter *f)
{
	char		 buf[VALID_MAX];
	const char	*role, *cls;
	int		 post = strcmp(r->method, "POST") == 0;

	role = post ? http_form(r, "back_role") : http_query(r, "role");
	cls = post ? http_form(r, "back_class") : http_query(r, "class_id");
	f->role = role != NULL && role[0] != '\0' &&
	    valid_role(role, buf, sizeof(buf)) == NULL ?
	    pool_strdup(r->pool, buf) : NULL;
	f->class_id = cls != NULL && cls[0] != '\0' &&
	    valid_uint(cls, buf, sizeof(buf)) == NULL ?
	    pool_strdup(r->pool, buf) : NULL;
}

/* The queue's address with f and then more ("" or "&x=y" pieces, which
 * may also start the query): "/org/N/applications?role=student&x=y". */
static const char *
queue_href(struct http_req *r, long long org, const struct queue_filter *f,
    const char *more)
{
	const char	*q;

	q = pool_printf(r->pool, "%s%s%s%s%s",
	    f->role != NULL ? "&role=" : "", f->role != NULL ? f->role : "",
	    f->class_id != NULL ? "&class_id=" : "",
	    f->class_id != NULL ? f->class_id : "", more);
	return pool_printf(r->pool, "/org/%lld/applications%s%s", org,
	    q[0] != '\0' ? "?" : "", q[0] != '\0' ? q + 1 : "");
}

/* f into a page: back_role and back_class for its forms, the queue's
 * address for its links, and queue_qs for links to an application. */
static void
queue_filter_ctx(struct http_req *r, struct html_ctx *c, long long org,
    const struct queue_filter *f)
{
	const char	*href = queue_href(r, org, f, "");
	const char	*qs = strchr(href, '?');

	html_set_str(c, "back_role", f->role != NULL ? f->role : "");
	html_set_str(c, "back_class", f->class_id != NULL ? f->class_id : "");
	html_set_str(c, "queue_href", href);
	html_set_str(c, "queue_qs", qs != NULL ? qs : "");
}

/* Where an application came from, for the queue and its page. */
static void
source_ctx(struct http_req *r, struct html_ctx *c,
    const struct org_access *a, const PGresult *res, int row)
{
	if (db_isnull(res, row, "invite_id"))
		return;
	html_set_bool(c, "by_link", 1);
	app_set_cols(c, res, row, "invited_by", "invited_by_gender", "label",
	    NULL);
	/* The link's page is for admins and the link's author. */
	if (a->is_admin || db_getbool(res, row, "my_link"))
		html_set_str(c, "link_href", pool_printf(r->pool,
		    "/org/%lld/invites/%s", a->id,
		    db_get(res, row, "invite_id")));
}

/*
 * Why an application only resembles its roster row, in words, by
 * application.roster_why (sql/0029_roster_rules.sql); "" none.
 */
static const char *
roster_why_words(const char *why)
{
	static const struct {
		const char	*code;
		const char	*words;
	} whys[] = {
		{ "name", "совпадает только имя" },
		{ "link", "имя не совпадает" },
		{ "phone", "тот же телефон, другое имя" },
		{ "email", "та же почта, другое имя" },
		{ "rows", "подходят две строки или больше" },
		{ "other", "на эту строку есть ещё одна заявка" },
		{ "off", "список больше не действует" },
		{ "busy", "сразу принять не получилось" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(whys) / sizeof(whys[0]); i++)
		if (strcmp(whys[i].code, why) == 0)
			return whys[i].words;
	return "";
}

/*
 * The roster row an application resembles or was accepted by
 * (sql/0029_roster_rules.sql): «похож на строку N списка №ID», a link
 * to the roster's page, and roster_note: the row's person and class,
 * and why it only resembles it («Новый Никита, 9А — имя не
 * совпадает»).
 */
static void
roster_ctx(struct http_req *r, struct html_ctx *c, const PGresult *res,
    int row)
{
	const char	*cls = db_get(res, row, "roster_class");
	const char	*why = roster_why_words(db_get(res, row, "roster_why"));

	app_set_cols(c, res, row, "roster_id", "roster_line", NULL);
	html_set_str(c, "roster_gender", db_get(res, row, "gender"));
	if (*db_get(res, row, "roster_name") != '\0')
		html_set_str(c, "roster_note", pool_printf(r->pool,
		    "%s%s%s%s%s", db_get(res, row, "roster_name"),
		    *cls ? ", " : "", cls, *why ? " — " : "", why));
}

/* The queue's statements, sent (lib/db.h) before the page is built:
 * its classes and a page of it, as queue_send's arguments say. */
struct queue_q {
	struct queue_filter	 f;
	const char		*decided;
	struct pager		 pg;
	int			 bad;	/* a malformed cursor: 400 */
	struct db_query		*classes, *queue;
};

/* Queue the statements of the queue filtered by role and class (NULL:
 * all), after a decision on application decided (NULL: none).  They
 * read for the request's account: they may be sent before it is known
 * (APP_ONE_TRIP). */
static void
queue_send(struct http_req *r, struct queue_q *q, const char *role,
    const char *class, const char *decided)
{
	const char	*org = app_num(r, r->id[0]);

	memset(q, 0, sizeof(*q));
	q->f.role = role;
	q->f.class_id = class;
	q->decided = decided;
	if ((q->bad = pager_read(r, &q->pg, queue_href(r, r->id[0], &q->f,
	    ""))) != 0)
		return;
	q->classes = db_send(&q_classes, PGRES_TUPLES_OK, org);
	q->queue = db_send(&q_queue, PGRES_TUPLES_OK, org, role, class,
	    app_num(r, QUEUE_MAX + 1), decided, q->pg.after);
}

/*
 * The queue page of q with the values in c (filters, errors, notices).
 * After a decision on application q->decided, the next one in line (the
 * first filed after it, else the first) is marked and anchored as
 * #next.
 */
static int
queue_read(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const struct queue_q *q)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*role = q->f.role, *class = q->f.class_id;
	int		 i, n, next = -1;

	if (q->bad != 0)
		return q->bad;
	html_set_str(c, "title", "Заявки на вступление");
	org_ctx(c, a);
	html_set_int(c, "total", a->pending);
	queue_filter_ctx(r, c, a->id, &q->f);
	html_set_str(c, "back_after", q->pg.after != NULL ? q->pg.after : "");
	if ((res = db_result(q->classes)) == NULL)
		return app_db_error();
	html_list_init(c, "classes");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "class_id", db_get(res, i, "id"));
		html_set_str(item, "class_name", db_get(res, i, "class_name"));
		html_set_bool(item, "selected", class != NULL &&
		    strcmp(class, db_get(res, i, "id")) == 0);
	}
	html_set_bool(c, "role_teacher", role && strcmp(role, "teacher") == 0);
	html_set_bool(c, "role_student", role && strcmp(role, "student") == 0);

	if ((res = db_result(q->queue)) == NULL)
		return app_db_error();
	n = pager_ctx(r, c, &q->pg, res, "id", "заявка", "заявки", "заявок");
	if (q->decided != NULL && n > 0)
		for (next = 0, i = 0; i < n; i++)
			if (db_getbool(res, i, "after")) {
				next = i;
				break;
			}
	html_set_bool(c, "has_next", next != -1);
	html_set_bool(c, "has_rows", n > 0);
	html_set_int(c, "shown", n);
	html_list_init(c, "rows");
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "rows");
		html_set_str(item, "id", db_get(res, i, "id"));
		html_set_str(item, "name", db_get(res, i, "name"));
		html_set_str(item, "role_name", org_person_role(db_get(res, i,
		    "role"), db_get(res, i, "gender")));
		html_set_str(item, "class_name", db_get(res, i, "class_name"));
		html_set_bool(item, "class_archived", db_getbool(res, i,
		    "class_archived"));
		html_set_str(item, "created", db_get(res, i, "created"));
		html_set_bool(item, "next", i == next);
		html_set_bool(item, "by_link", 0);
		source_ctx(r, item, a, res, i);
		roster_ctx(r, item, res, i);
	}
	return app_page(r, status, "approve_queue", c);
}

/* The queue page (queue_read) filtered by role and class, after a
 * decision on application decided: the page of a refused form. */
static int
queue_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *role, const char *class,
    const char *decided)
{
	struct queue_q	 q;

	queue_send(r, &q, role, class, decided);
	return queue_read(r, a, c, status, &q);
}

/* Validate the query string against fields, as app_form does a form. */
static const char *
query_get(void *arg, const char *name)
{
	return http_query(arg, name);
}

/*
 * Why application row of res (or none: row -1) was left undecided by a
 * bulk decision, or would be (accept: the decision), told from how it
 * stands now, in the order member_decide checks: not here, not the
 * reviewer's, decided, its class archived (only accepting refuses
 * that).  NULL when nothing explains it any more: it changed since, or
 * a second try may work.
 */
static const char *
failed_reason(struct http_req *r, const struct org_access *a,
    const PGresult *res, int row, int accept)
{
	const char	*st;

	if (row == -1)
		return "заявка не найдена";
	if (!a->is_admin && !db_getbool(res, row, "in_homeroom"))
		return "нет прав: это не заявка в ваш класс";
	st = db_get(res, row, "status");
	if (strcmp(st, "withdrawn") == 0)
		return "заявитель отозвал её";
	if (strcmp(st, "closed") == 0)
		return org_application_review(st);
	if (strcmp(st, "pending") != 0)
		return pool_printf(r->pool, "уже рассмотрена (%s)",
		    org_application_review(st));
	if (accept && db_getbool(res, row, "class_archived"))
		return pool_printf(r->pool, db_getbool(res, row, "successor") ?
		    "класс %s в архиве: принять в класс нового года можно на "
		    "странице заявки" : "класс %s в архиве, и класса нового "
		    "года у него нет: заявку можно только отклонить",
		    db_get(res, row, "class_name"));
	return NULL;
}

/*
 * The applications a bulk decision left undecided (the failed query
 * parameter: ids separated by commas), each with why, into c; the
 * malformed parameter of a hand-made address is ignored.  0, or the
 * status of a database failure.
 */
static int
failed_ctx(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *failed)
{
	struct html_ctx	*item;
	PGresult	*res;
	long long	 ids[FAILED_MAX];
	const char	*p, *why, *arr;
	char		 num[16];
	size_t		 i, len, n = 0;
	int		 k, row;

	for (p = failed; *p != '\0' && n < FAILED_MAX; p += len) {
		if (p != failed && *p++ != ',')
			return 0;
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(num))
			return 0;
		memcpy(num, p, len);
		num[len] = '\0';
		if (valid_uint(num, num, sizeof(num)) != NULL)
			return 0;
		ids[n++] = atoll(num);
	}
	if (n == 0)
		return 0;
	arr = "{";
	for (i = 0; i < n; i++)
		arr = pool_printf(r->pool, "%s%s%lld", arr, i > 0 ? "," : "",
		    ids[i]);
	arr = pool_printf(r->pool, "%s}", arr);
	res = db_exec(&q_failed, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id), arr);
	if (res == NULL)
		return app_db_error();
	html_set_int(c, "failed_count", (long long)n);
	html_list_init(c, "failed");
	for (i = 0; i < n; i++) {
		row = -1;
		for (k = 0; k < PQntuples(res); k++)
			if (db_getll(res, k, "id") == ids[i])
				row = k;
		item = html_list_add(c, "failed");
		html_set_int(item, "id", ids[i]);
		why = failed_reason(r, a, res, row, 1);
		html_set_str(item, "why", why != NULL ? why :
		    "не удалось, попробуйте ещё раз");
		/* The name and the page only within the reviewer's scope. */
		html_set_str(item, "who", row != -1 && (a->is_admin ||
		    db_getbool(res, row, "in_homeroom")) ?
		    db_get(res, row, "name") : "");
	}
	return 0;
}

/*
 * The notice after the reviewer decided application id (the queue's
 * decided_id): "Заявка принята: Иванов Иван (ученик, 5А)." with a link
 * to it, into c; nothing when it is not the reviewer's decision, or not
 * in their scope.  0, or the status of a database failure.
 */
static int
decided_ctx(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *id)
{
	PGresult	*res;
	const char	*st, *cls, *role;

	if ((res = db_exec(&q_decided, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id), id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1 || !db_getbool(res, 0, "mine") ||
	    (!a->is_admin && !db_getbool(res, 0, "in_homeroom"))) {
		return 0;
	}
	st = db_get(res, 0, "status");
	cls = db_get(res, 0, "class_name");
	role = org_person_role_lower(db_get(res, 0, "role"),
	    db_get(res, 0, "gender"));
	if (strcmp(st, "accepted") == 0 || strcmp(st, "rejected") == 0) {
		html_set_str(c, "decided_notice", pool_printf(r->pool,
		    "Заявка %s: %s (%s%s%s).", org_application_review(st),
		    db_get(res, 0, "name"), role,
		    cls[0] != '\0' ? ", " : "", cls));
		html_set_str(c, "decided_href", pool_printf(r->pool,
		    "/org/%lld/applications/%s", a->id, id));
	}
	return 0;
}

/*
 * GET /org/N/applications[?role=teacher|student&class_id=ID]
 *     [&decided=N&failed=ID,ID...][&decided_id=ID]
 * The organization's reviewers: an admin sees every pending application,
 * a homeroom teacher students' applications for their classes; others
 * 403, non-members 404.  Oldest first, with name, role, class, how they
 * came and date; filters by role and class (bad filter: 422).  After a
 * bulk decision: how many were decided, and each one left undecided
 * with why.  After one decision (decided_id, the reviewer's own): who
 * and what was decided, and the next application in line marked and
 * anchored as #next.
 */
static int
queue(struct http_req *r)
{
	const struct org_access	*a;
	struct valid_result	 v[FILTER__MAX];
	struct html_ctx		*c;
	struct queue_q		 q;
	const char		*done, *failed, *one, *decided = NULL;
	char			 buf[16];
	size_t			 i;
	int			 rc, errors, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP). */
	errors = valid_form(filter_fields, FILTER__MAX, query_get, r, v);
	one = http_query(r, "decided_id");
	if (one != NULL && valid_uint(one, buf, sizeof(buf)) == NULL)
		decided = pool_strdup(r->pool, buf);
	if (errors > 0)
		queue_send(r, &q, NULL, NULL, NULL);
	else
		queue_send(r, &q, v[FILTER_ROLE].present ?
		    v[FILTER_ROLE].value : NULL, v[FILTER_CLASS].present ?
		    v[FILTER_CLASS].value : NULL, decided);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	a = r->org;
	c = app_ctx(r);
	for (i = 0; i < FILTER__MAX; i++)
		if (v[i].error != NULL)
			html_set_str(c, pool_printf(r->pool, "%s_error",
			    filter_fields[i].name), v[i].error);
	done = http_query(r, "decided");
	if (done != NULL && valid_uint(done, buf, sizeof(buf)) == NULL)
		html_set_str(c, "done", pool_printf(r->pool,
		    "Рассмотрено заявок: %s.", done));
	failed = http_query(r, "failed");
	if (failed != NULL && (rc = failed_ctx(r, a, c, failed)) != 0)
		return rc;
	if (decided != NULL && (rc = decided_ctx(r, a, c, decided)) != 0)
		return rc;
	return queue_read(r, a, c, errors > 0 ? HTTP_UNPROCESSABLE : HTTP_OK,
	    &q);
}

/* Load application id of the organization: 0, 404, or an error. */
static int
application_load(struct http_req *r, const struct org_access *a,
    const char *id, PGresult **resp)
{
	PGresult	*res;

	if ((res = db_exec(&q_application, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id), id)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	*resp = res;
	return 0;
}

/*
 * 1 if the reviewer may see the loaded application.  Deciding checks
 * the same scope again in the database (parta.application_decide).
 */
static int
in_scope(const struct org_access *a, const PGresult *res)
{
	return a->can_review &&
	    (a->is_admin || db_getbool(res, 0, "in_homeroom"));
}

/*
 * The application's page with the values in c: its facts, its decision
 * or the forms to make one.  An application for an archived class can
 * only be rejected, or accepted into the class that one was rolled
 * into.  0, or an HTTP status.
 */
static int
application_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status)
{
	struct queue_filter	 f;
	PGresult	*res = NULL;
	const char	*st;
	int		 rc;

	if ((rc = application_load(r, a, app_num(r, r->id[1]), &res)) != 0)
		return rc;
	if (!in_scope(a, res))
		return HTTP_FORBIDDEN;
	st = pool_strdup(r->pool, db_get(res, 0, "status"));
	html_set_str(c, "title", pool_printf(r->pool, "Заявка: %s",
	    db_get(res, 0, "name")));
	org_ctx(c, a);
	queue_filter_get(r, &f);
	queue_filter_ctx(r, c, a->id, &f);
	html_set_str(c, "id", db_get(res, 0, "id"));
	html_set_str(c, "name", db_get(res, 0, "name"));
	html_set_str(c, "role_name", org_person_role(db_get(res, 0, "role"),
	    db_get(res, 0, "gender")));
	app_set_cols(c, res, 0, "class_name", "created", "decided",
	    "decided_by", "reason", "class_year", "next_id", "next_name",
	    "next_year", "gender", NULL);
	html_set_bool(c, "class_archived", db_getbool(res, 0,
	    "class_archived"));
	html_set_str(c, "status", st);
	html_set_str(c, "status_name", org_application_status(st));
	html_set_bool(c, "is_pending", strcmp(st, "pending") == 0);
	html_set_bool(c, "is_accepted", strcmp(st, "accepted") == 0);
	html_set_bool(c, "is_rejected", strcmp(st, "rejected") == 0);
	html_set_bool(c, "staff_badge", strcmp(st, "accepted") == 0 &&
	    db_getbool(res, 0, "staff_badge"));
	html_set_bool(c, "by_link", 0);
	source_ctx(r, c, a, res, 0);
	roster_ctx(r, c, res, 0);
	html_set_bool(c, "by_roster", db_getbool(res, 0, "by_roster"));
	return app_page(r, status, "approve_application", c);
}

/*
 * GET /org/N/applications/ID[?role=...&class_id=...]
 * A reviewer whose scope holds the application (else 403; not of this
 * organization: 404).  The application and its decision, or the accept
 * and reject forms with the warning that a decision is final; for an
 * archived class, that it is archived and the button that accepts into
 * the class it was rolled into.  The queue's filters, when given, are
 * kept by the way back and by the forms.
 */
static int
application_show(struct http_req *r)
{
	const struct org_access	*a = r->org;

	return application_page(r, a, app_ctx(r), HTTP_OK);
}

/*
 * Decide application id inside the caller's transaction: member_decide
 * (cls 0: into the application's own class), and on success the
 * applicant told (member_decided_tell).  0 with the member_result in
 * *res (nothing changed unless MEMBER_OK), or the status of a database
 * failure.
 */
static int
decide_one(struct http_req *r, const struct org_access *a, long long id,
    int accept, const char *reason, long long cls, int *res)
{
	*res = member_decide(a->id, id, r->user->id, accept, reason, cls);
	if (*res == MEMBER_ERROR)
		return member_http_status(*res);
	if (*res == MEMBER_OK && member_decided_tell(a->id, id, accept,
	    reason) == -1)
		return app_db_error();
	return 0;
}

/*
 * One decision from its own form: 303 back to the queue as it was (the
 * form's back_role and back_class), naming the decision and anchored at
 * the next application.
 */
static int
decide_single(struct http_req *r, int accept)
{
	struct queue_filter	 f;
	const struct org_access	*a = r->org;
	struct valid_result	 v[1];
	struct html_ctx		*c;
	long long		 cls = 0;
	int			 rc, res;

	c = app_ctx(r);
	v[0].value[0] = '\0';
	if (app_form(r, accept ? class_field : reason_field, 1, v, c) > 0) {
		if (!accept)
			html_set_str(c, "reason_value", v[0].value);
		return application_page(r, a, c, HTTP_UNPROCESSABLE);
	}
	if (accept && v[0].present)
		cls = atoll(v[0].value);
	if (db_begin() == -1)
		return app_db_error();
	if ((rc = decide_one(r, a, r->id[1], accept, accept ? "" :
	    v[0].value, cls, &res)) != 0)
		return rc;
	switch (res) {
	case MEMBER_OK:
		break;
	case MEMBER_DECIDED:
		html_set_str(c, "conflict", "По этой заявке уже принято "
		    "решение. Отменить или изменить его нельзя.");
		return application_page(r, a, c, HTTP_CONFLICT);
	case MEMBER_ARCHIVED:
		html_set_str(c, "conflict", "Заявка не принята: её класс "
		    "уже в архиве. Что можно сделать — ниже.");
		return application_page(r, a, c, HTTP_CONFLICT);
	case MEMBER_GUARDIAN:
		html_set_str(c, "conflict", "Заявка не принята: этот человек "
		    "подтверждён в Парте как родитель ребёнка, а родитель не "
		    "может быть учеником. Отклоните заявку; если это ошибка, "
		    "пусть ребёнок или классный руководитель сначала уберёт "
		    "его из родителей.");
		return application_page(r, a, c, HTTP_CONFLICT);
	case MEMBER_BAD_CLASS:
		html_set_str(c, "class_id_error", "В этот класс принять "
		    "нельзя: он в архиве, не подходит заявке или недоступен "
		    "вам.");
		return application_page(r, a, c, HTTP_UNPROCESSABLE);
	default:
		return member_http_status(res);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	queue_filter_get(r, &f);
	return app_redirect(r, pool_printf(r->pool, "%s#next", queue_href(r,
	    a->id, &f, pool_printf(r->pool, "&decided_id=%lld", r->id[1]))));
}

/*
 * POST /org/N/applications/ID/accept   field: class_id (optional)
 * A reviewer whose scope holds the application (else 403; not of this
 * organization: 404).  Accepts it: a teacher becomes a verified member,
 * a student a member in the application's class, or in class_id when
 * given (the class the application's archived class was rolled into;
 * not an open class that fits: 422); audited, the applicant told.  303
 * to the queue (with back_role and back_class, the filters it was shown
 * with), which names the decision and shows the next application
 * (/org/N/applications?decided_id=ID#next).  Decided already, or its
 * class archived: 409 with the application's page, which offers the
 * class of the new year.  A student who is a guardian of a child: 409
 * with the page saying why (sql/0022_guardian_safety.sql).
 */
static int
application_accept(struct http_req *r)
{
	return decide_single(r, 1);
}

/*
 * POST /org/N/applications/ID/reject   field: reason (optional)
 * As accept; rejects it with the reason (bad reason: 422), also when
 * its class is archived; audited, the applicant told.  303 to the
 * queue, as accept.  Decided already: 409.
 */
static int
application_reject(struct http_req *r)
{
	return decide_single(r, 0);
}

static int
ll_cmp(const void *x, const void *y)
{
	long long	 a = *(const long long *)x, b = *(const long long *)y;

	return a < b ? -1 : a > b;
}

/*
 * The ids of a bulk decision, from the query (the confirmation page) or
 * the form (the decision): into *ids, their number in *n.  0, or 400 for
 * a malformed id or more than BULK_MAX.
 */
static int
bulk_ids(struct http_req *r, const struct http_kvs *kv, long long **ids,
    size_t *n)
{
	char	 buf[VALID_MAX];
	size_t	 i;

	*ids = pool_alloc(r->pool, sizeof(**ids) * (kv->n + 1));
	*n = 0;
	for (i = 0; i < kv->n; i++) {
		if (strcmp(kv->v[i].key, "id") != 0)
			continue;
		if (valid_uint(kv->v[i].val, buf, sizeof(buf)) != NULL ||
		    *n == BULK_MAX)
			return HTTP_BAD_REQUEST;
		(*ids)[(*n)++] = atoll(buf);
	}
	return 0;
}

/*
 * The page that asks to confirm deciding applications ids[0..n) at once
 * (accept, or reject with the reason field): who they are, which of them
 * would be left undecided and why, what the decision does, and the form
 * posting them to /org/N/applications/decide with the queue's filters.
 * status 200, or 422 with the errors already in c.
 */
static int
confirm_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, int accept, const long long *ids,
    size_t n, const struct queue_filter *f)
{
	struct html_ctx	*item;
	PGresult	*res;
	const char	*arr = "{", *why;
	size_t		 i;
	long long	 ok = 0;
	int		 k;

	for (i = 0; i < n; i++)
		arr = pool_printf(r->pool, "%s%s%lld", arr, i > 0 ? "," : "",
		    ids[i]);
	arr = pool_printf(r->pool, "%s}", arr);
	if ((res = db_exec(&q_failed, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id), arr)) == NULL)
		return app_db_error();
	org_ctx(c, a);
	queue_filter_ctx(r, c, a->id, f);
	html_list_init(c, "people");
	for (k = 0; k < PQntuples(res); k++) {
		item = html_list_add(c, "people");
		why = failed_reason(r, a, res, k, accept);
		if (why == NULL)
			ok++;
		html_set_str(item, "why", why != NULL ? why : "");
		if (!a->is_admin && !db_getbool(res, k, "in_homeroom"))
			continue;
		html_set_str(item, "who", db_get(res, k, "name"));
		html_set_str(item, "what", pool_printf(r->pool, "%s%s%s",
		    org_person_role_lower(db_get(res, k, "role"),
		    db_get(res, k, "gender")),
		    db_get(res, k, "class_name")[0] != '\0' ? ", " : "",
		    db_get(res, k, "class_name")));
	}
	html_list_init(c, "ids");
	for (i = 0; i < n; i++)
		html_set_int(html_list_add(c, "ids"), "id", ids[i]);
	html_set_str(c, "decision", accept ? "accept" : "reject");
	html_set_bool(c, "is_reject", !accept);
	html_set_bool(c, "ok", ok > 0);
	html_set_str(c, "title", accept ? "Принять заявки?" :
	    "Отклонить заявки?");
	if (ok == 0)
		html_set_str(c, "lead", "Ни по одной из этих заявок решение "
		    "принять нельзя:");
	else
		html_set_str(c, "lead", pool_printf(r->pool, "%s %lld %s:",
		    accept ? ru_plural(ok, "Будет принята", "Будут приняты",
		    "Будут приняты") : ru_plural(ok, "Будет отклонена",
		    "Будут отклонены", "Будут отклонены"), ok,
		    ru_plural(ok, "заявка", "заявки", "заявок")));
	html_set_str(c, "button", pool_printf(r->pool, "%s (%lld)",
	    accept ? "Принять" : "Отклонить", ok));
	if (accept)
		app_confirm_point(c, "ученики станут участниками организации и "
		    "своих классов, учителя — подтверждёнными сотрудниками;");
	app_confirm_point(c, accept ? "заявители получат SMS или письмо с "
	    "решением;" : "заявители получат SMS или письмо с решением и "
	    "причиной, если вы её укажете;");
	app_confirm_point(c, accept ? "решение окончательное: отменить его "
	    "нельзя." : "решение окончательное: отменить его нельзя. "
	    "Человека с отклонённой заявкой можно пригласить снова по новой "
	    "ссылке.");
	return app_page(r, status, "approve_confirm", c);
}

/*
 * GET /org/N/applications/decide?decision=accept|reject&id=ID...
 *     (or all=1: the applications the queue shows with its filters)
 *     [&role=...&class_id=...]
 * A reviewer.  Asks to confirm a decision on several applications at
 * once (the queue's «Отклонить отмеченные», «Отклонить все»...): who
 * they are, which would be left undecided and why, what the decision
 * does, and for a rejection the reason field; the form posts to the
 * same URL.  Changes nothing.  No selection or no decision: 422 on the
 * queue; a malformed id: 400.
 */
static int
decide_confirm(struct http_req *r)
{
	struct queue_filter	 f;
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	long long		*ids;
	const char		*decision = http_query(r, "decision");
	const char		*all = http_query(r, "all");
	char			 buf[VALID_MAX];
	size_t			 n;
	int			 rc, i, errors = 0;

	queue_filter_get(r, &f);
	if ((rc = bulk_ids(r, &r->query, &ids, &n)) != 0)
		return rc;
	if (n == 0 && all != NULL && strcmp(all, "1") == 0) {
		/* What the queue shows with these filters, as shown. */
		struct pager	 pg;

		if ((rc = pager_read(r, &pg, "")) != 0)
			return rc;
		res = db_exec(&q_queue, PGRES_TUPLES_OK, app_num(r, a->id),
		    f.role, f.class_id, app_num(r, QUEUE_MAX), NULL,
		    pg.after);
		if (res == NULL)
			return app_db_error();
		ids = pool_alloc(r->pool, sizeof(*ids) *
		    ((size_t)PQntuples(res) + 1));
		for (i = 0; i < PQntuples(res); i++)
			if (!db_isnull(res, i, "id"))
				ids[n++] = db_getll(res, i, "id");
	}
	c = app_ctx(r);
	if (decision == NULL || valid_decision(decision, buf,
	    sizeof(buf)) != NULL) {
		html_set_str(c, "decision_error", "Выберите решение: принять "
		    "или отклонить.");
		errors++;
	}
	if (n == 0) {
		html_set_str(c, "id_error", "Отметьте хотя бы одну заявку.");
		errors++;
	}
	if (errors > 0)
		return queue_page(r, a, c, HTTP_UNPROCESSABLE, f.role,
		    f.class_id, NULL);
	return confirm_page(r, a, c, HTTP_OK, strcmp(buf, "accept") == 0,
	    ids, n, &f);
}

/*
 * POST /org/N/applications/decide   fields: id (repeated), decision
 * (accept|reject), reason (optional, for rejections), back_role and
 * back_class (optional: the queue's filters to return to)
 * A reviewer.  Decides every selected application it can, in one
 * transaction, and leaves the others as they are: not of this
 * organization, outside the reviewer's scope, decided already, or (to
 * accept) their class archived.  303 to the queue with the number
 * decided and the ids left undecided, where the page says why.  No
 * selection or bad decision: 422 on the queue; a bad reason: 422 on the
 * confirmation page, by the field; a malformed id: 400.
 *
 * No savepoints: member_decide refuses without changing anything, so a
 * refused application leaves the transaction as it was.  What fails
 * instead of refusing (the database raising) is a fault: the whole
 * decision is rolled back, logged, and answered 500.
 */
static int
decide_bulk(struct http_req *r)
{
	struct queue_filter	 f;
	const struct org_access	*a = r->org;
	struct valid_result	 v[BULK__MAX];
	struct html_ctx		*c;
	long long		*ids;
	const char		*failed = "";
	size_t			 i, n = 0, nfailed = 0;
	int			 rc, res, errors, accept, decided = 0;

	queue_filter_get(r, &f);
	if ((rc = bulk_ids(r, &r->form, &ids, &n)) != 0)
		return rc;
	c = app_ctx(r);
	errors = app_form(r, bulk_fields, BULK__MAX, v, c);
	if (n == 0) {
		html_set_str(c, "id_error", "Отметьте хотя бы одну заявку.");
		errors++;
	}
	if (errors > 0 && (n == 0 || v[BULK_DECISION].error != NULL))
		return queue_page(r, a, c, HTTP_UNPROCESSABLE, f.role,
		    f.class_id, NULL);
	accept = strcmp(v[BULK_DECISION].value, "accept") == 0;
	if (errors > 0)
		return confirm_page(r, a, c, HTTP_UNPROCESSABLE, accept, ids,
		    n, &f);

	/* In id order, so that overlapping bulk decisions lock rows in
	 * the same order and never deadlock. */
	qsort(ids, n, sizeof(*ids), ll_cmp);
	if (db_begin() == -1)
		return app_db_error();
	for (i = 0; i < n; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		if ((rc = decide_one(r, a, ids[i], accept,
		    accept ? "" : v[BULK_REASON].value, 0, &res)) != 0)
			return rc;
		if (res == MEMBER_OK) {
			decided++;
			continue;
		}
		/* The page names the first FAILED_MAX. */
		if (nfailed++ < FAILED_MAX)
			failed = pool_printf(r->pool, "%s%s%lld", failed,
			    nfailed > 1 ? "," : "&failed=", ids[i]);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, queue_href(r, a->id, &f, pool_printf(r->pool,
	    "&decided=%d%s", decided, failed)));
}

/*
 * GET /org/N/audit.csv (also /org/N/audit?format=csv)
 * The organization's admin (others 403, non-members 404).  The whole
 * audit log as CSV (UTF-8), newest first, as an attachment.
 */
static int
audit_csv(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct csv		 csv;
	PGresult		*res;
	int			 i;

	if ((res = db_exec(&q_audit, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, AUDIT_CSV_MAX), "YYYY-MM-DD HH24:MI:SS")) == NULL)
		return app_db_error();
	app_csv(r, &csv, pool_printf(r->pool, "audit-org-%lld.csv", a->id));
	csv_row(&csv, "Когда", "Кто", "Что", "С кем", "Подробности", NULL);
	for (i = 0; i < PQntuples(res); i++)
		csv_row(&csv, db_get(res, i, "at"), db_get(res, i, "actor"),
		    db_get(res, i, "action_name"), db_get(res, i, "target"),
		    db_get(res, i, "detail"), NULL);
	return 0;
}

/*
 * GET /org/N/audit[?who=ID&action=NAME&after=ID][&format=csv]
 * The organization's admin (others 403, non-members 404).  Every
 * decision, grant, revocation, removal and homeroom change: who, what,
 * whom, when; newest first, 50 a page (lib/pager), with how many there
 * are under the filters (who did it, among the staff; what).  The CSV
 * has all.  A filter or cursor no page sends: 400.
 */
static int
audit(struct http_req *r)
{
	const struct org_access	*a;
	struct html_ctx		*c, *item;
	struct pager		 pg;
	const char		*format = http_query(r, "format");
	const char		*who = NULL, *action = http_query(r, "action");
	const char		*org = app_num(r, r->id[0]);
	struct db_query		*people = NULL, *actions = NULL, *page = NULL;
	PGresult		*res;
	char			 buf[VALID_MAX];
	int			 i, n, rc, bad, answered;

	if (format != NULL && strcmp(format, "csv") == 0) {
		if ((rc = app_admit(r, &answered)) != 0 || answered)
			return rc;
		return audit_csv(r);
	}
	/* The page's statements with the session's lookup (APP_ONE_TRIP);
	 * a filter or cursor no page sends is refused once admitted. */
	if (action != NULL && action[0] == '\0')
		action = NULL;
	if ((bad = pager_id(r, "who", &who)) == 0 && action != NULL &&
	    (valid_line(action, buf, sizeof(buf)) != NULL ||
	    strcmp(buf, action) != 0))
		bad = HTTP_BAD_REQUEST;
	if (bad == 0 && (bad = pager_read(r, &pg, pager_path(r,
	    pool_printf(r->pool, "/org/%s/audit", org), "who", who, "action",
	    action, NULL))) == 0) {
		people = db_send(&q_audit_people, PGRES_TUPLES_OK, org);
		actions = db_send(&q_audit_actions, PGRES_TUPLES_OK);
		page = db_send(&q_audit_page, PGRES_TUPLES_OK, org, who,
		    action, pg.after, app_num(r, PAGER_SIZE + 1));
	}
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	if (bad != 0)
		return bad;
	a = r->org;
	c = app_ctx(r);
	html_set_str(c, "title", "Журнал действий");
	org_ctx(c, a);
	html_set_bool(c, "filtered", who != NULL || action != NULL);
	if ((res = db_result(people)) == NULL)
		return app_db_error();
	html_list_init(c, "people");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "people");
		app_set_cols(item, res, i, "id", "name", NULL);
		html_set_bool(item, "selected", who != NULL &&
		    strcmp(who, db_get(res, i, "id")) == 0);
	}
	if ((res = db_result(actions)) == NULL)
		return app_db_error();
	html_list_init(c, "actions");
	for (i = 0; i < PQntuples(res); i++) {
		item = html_list_add(c, "actions");
		app_set_cols(item, res, i, "name", NULL);
		html_set_bool(item, "selected", action != NULL &&
		    strcmp(action, db_get(res, i, "name")) == 0);
	}
	if ((res = db_result(page)) == NULL)
		return app_db_error();
	n = pager_ctx(r, c, &pg, res, "id", "запись", "записи", "записей");
	html_set_bool(c, "has_rows", n > 0);
	html_list_init(c, "rows");
	for (i = 0; i < n; i++) {
		item = html_list_add(c, "rows");
		html_set_str(item, "at", db_get(res, i, "at"));
		html_set_str(item, "actor", db_get(res, i, "actor"));
		html_set_str(item, "action", db_get(res, i, "action_name"));
		html_set_str(item, "target", db_get(res, i, "target"));
		html_set_str(item, "detail", db_get(res, i, "detail"));
	}
	return app_page(r, HTTP_OK, "approve_audit", c);
}

int
main(int argc, char *argv[])
{
	return app_main("approve", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
