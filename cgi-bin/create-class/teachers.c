/*
 * create-class: who teaches a class, its homeroom and subject teachers
 * put in and taken out through lib/member.c (main.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "member.h"
#include "org.h"
#include "pool.h"

#include "create-class.h"

static const struct valid_field account_field[] = {
	{ "account_id", valid_uint, 1 },
};

/* The class row locked for a change of its members: an archiving UPDATE
 * waits for us, and we for it. */
static const struct db_stmt q_class_share = {
	"class_share",
	"SELECT archived_at IS NOT NULL AS archived, kind FROM parta.class"
	" WHERE org_id = $1 AND id = $2 FOR SHARE"
};

/* A class and a person, for the confirmation of taking the person out
 * of it: whether they hold role $4 there. */
static const struct db_stmt q_class_person = {
	"class_person",
	"SELECT c.kind, c.archived_at IS NOT NULL AS archived,"
	" parta.class_name(c.grade, c.letter, c.title) AS name, c.year,"
	" a.last_name, a.first_name, a.patronymic,"
	" EXISTS (SELECT 1 FROM parta.class_member cm"
	"  WHERE cm.org_id = c.org_id AND cm.class_id = c.id"
	"  AND cm.account_id = a.id AND cm.role = $4) AS holds"
	" FROM parta.class c JOIN parta.account a ON a.id = $3"
	" WHERE c.org_id = $1 AND c.id = $2"
};

/* What a change of a class's people may answer on the class page. */
#define ARCHIVED_WORDS	"Класс в архиве: его состав изменить нельзя. " \
	"Верните класс из архива, если он ещё нужен."

#define PICK_WORDS	"Выберите учителя из списка"

/*
 * Start a change of the people of a class by the organization's admin a
 * (APP_ADMIN): its class (404), open (409 on the class page) and not a
 * staff class (409, staff_why: the staff class gathers every teacher by
 * itself).  0 with *refused 0 when the handler may go on inside the open
 * transaction, the class row locked against archiving; 0 with *refused
 * set when the class page says why not; or an HTTP status.
 */
static int
people_begin(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *staff_why, int *refused)
{
	PGresult	*res;
	int		 archived, staff;

	*refused = 0;
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_class_share, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", a->id),
	    pool_printf(r->pool, "%lld", r->id[1]))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	archived = db_getbool(res, 0, "archived");
	staff = strcmp(db_get(res, 0, "kind"), "staff") == 0;
	if (staff || archived) {
		*refused = 1;
		html_set_str(c, "alert", staff ? staff_why : ARCHIVED_WORDS);
		return class_page(r, a, r->id[1], HTTP_CONFLICT, c);
	}
	return 0;
}

/*
 * The account_id field of a teacher form into v: 0, or 1 when it is not
 * a number ("pick from the list" told under errkey, the field's own
 * error key cleared).
 */
static int
people_account(struct http_req *r, struct html_ctx *c,
    struct valid_result *v, const char *errkey)
{
	if (app_form(r, account_field, 1, v, c) == 0)
		return 0;
	html_set_str(c, "account_id_error", "");
	html_set_str(c, errkey, PICK_WORDS);
	return 1;
}

/*
 * Finish a change of the people of a class with the answer of lib/member:
 * committed and 303 to the class page, or (nothing changed) the class
 * page with field_words under errkey (not a verified teacher of the
 * organization: 422) or conflict_words (done already, or not there:
 * 409).
 */
static int
people_done(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int result, const char *errkey,
    const char *field_words, const char *conflict_words)
{
	int	 rc;

	switch (result) {
	case MEMBER_OK:
		if ((rc = app_commit(r)) != 0)
			return rc;
		return app_redirect(r, pool_printf(r->pool,
		    "/org/%lld/classes/%lld", a->id, r->id[1]));
	case MEMBER_ERROR:
		return app_db_error();
	case MEMBER_NOT_TEACHER:
		html_set_str(c, errkey, field_words);
		return class_page(r, a, r->id[1], HTTP_UNPROCESSABLE, c);
	case MEMBER_BAD_CLASS:
		/* Not reached: people_begin holds the open class locked. */
		html_set_str(c, "alert", ARCHIVED_WORDS);
		return class_page(r, a, r->id[1], HTTP_CONFLICT, c);
	default:
		html_set_str(c, "alert", conflict_words);
		return class_page(r, a, r->id[1], HTTP_CONFLICT, c);
	}
}

/*
 * The confirmation of taking person acc out of role ("homeroom",
 * "teacher") in the class, to the admin (APP_ADMIN): the organization's
 * class and an account (404), open and not a staff class (409,
 * staff_why), the person holding the role there (409, gone_words).  The
 * page says what ends: the lead and points for the role are the caller's
 * (%s in lead: the person, the class).  The form posts to action, with
 * the account_id field when field is set.  Changes nothing.
 */
static int
people_confirm(struct http_req *r, long long acc, const char *role,
    const char *staff_why, const char *gone_words, const char *title,
    const char *lead, const char *const *points, const char *action,
    const char *button, int field)
{
	struct html_ctx		*it;
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*person, *cls;
	int			 archived, staff, holds;

	if ((res = db_exec(&q_class_person, PGRES_TUPLES_OK,
	    app_num(r, a->id), app_num(r, r->id[1]), app_num(r, acc),
	    role)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	archived = db_getbool(res, 0, "archived");
	staff = strcmp(db_get(res, 0, "kind"), "staff") == 0;
	holds = db_getbool(res, 0, "holds");
	person = person_name(r->pool, res, 0);
	cls = pool_printf(r->pool, "%s (%s)", db_get(res, 0, "name"),
	    year_label(r->pool, db_getll(res, 0, "year")));
	c = app_ctx(r);
	if (staff || archived || !holds) {
		html_set_str(c, "alert", staff ? staff_why : archived ?
		    ARCHIVED_WORDS : gone_words);
		return class_page(r, a, r->id[1], HTTP_CONFLICT, c);
	}
	org_ctx(c, a);
	html_set_str(c, "title", title);
	html_set_str(c, "lead", pool_printf(r->pool, lead, person, cls));
	for (; *points != NULL; points++)
		app_confirm_point(c, *points);
	if (field) {
		it = html_list_add(c, "fields");
		html_set_str(it, "name", "account_id");
		html_set_str(it, "value", app_num(r, acc));
	}
	return app_confirm(r, c, action, button, pool_printf(r->pool,
	    "/org/%lld/classes/%lld", a->id, r->id[1]));
}

#define NO_HOMEROOM	"У учительского класса нет классного руководителя."

/*
 * POST /org/N/classes/ID/homeroom   field: account_id
 * Admin.  Makes a verified teacher of the organization a homeroom
 * teacher of the class (member_homeroom_set: a teacher may lead several
 * classes, a class have several; audited by the database).  303 to
 * /org/N/classes/ID.  Not a verified teacher of this organization: 422;
 * already its homeroom teacher, a staff class, or the class is archived:
 * 409.
 */
int
homeroom_assign(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[1];
	struct html_ctx		*c = app_ctx(r);
	int			 rc, refused;

	if ((rc = people_begin(r, a, c, NO_HOMEROOM, &refused)) != 0 ||
	    refused)
		return rc;
	if (people_account(r, c, v, "account_id_error") > 0)
		return class_page(r, a, r->id[1], HTTP_UNPROCESSABLE, c);
	rc = member_homeroom_set(a->id, r->id[1], atoll(v[0].value),
	    r->user->id);
	return people_done(r, a, c, rc, "account_id_error",
	    "Классным руководителем может быть только подтверждённый учитель "
	    "этой организации", "Этот учитель уже классный руководитель "
	    "этого класса.");
}

#define NOT_HOMEROOM	"Этот человек не классный руководитель этого класса."

/*
 * GET /org/N/classes/ID/homeroom/remove?account_id=ACC
 * Admin (others 403).  Asks to confirm that ACC is no longer a homeroom
 * teacher of the class, saying what ends; the form posts to the same URL
 * with account_id.  Changes nothing.  No such class or person (or no
 * account_id): 404; not its homeroom teacher, a staff class, or the
 * class is archived: 409 on the class page.
 */
int
homeroom_unassign_confirm(struct http_req *r)
{
	static const char *const points[] = {
		"заявки в этот класс учитель больше не рассматривает, а "
		"ссылки-приглашения, созданные им для класса, перестанут "
		"работать;",
		"учитель выйдет из чатов класса, если не ведёт в нём уроки;",
		"в организации учитель останется; назначить снова можно на "
		"странице класса.",
		NULL
	};
	const char	*acc = http_query(r, "account_id");
	char		 buf[VALID_MAX];

	/* No account by a malformed id: 404, as for a person not there. */
	if (acc == NULL || valid_uint(acc, buf, sizeof(buf)) != NULL)
		snprintf(buf, sizeof(buf), "0");
	return people_confirm(r, atoll(buf), "homeroom", NO_HOMEROOM,
	    NOT_HOMEROOM, "Снять классного руководителя?",
	    "%s перестанет быть классным руководителем класса %s. После "
	    "этого:", points, pool_printf(r->pool,
	    "/org/%lld/classes/%lld/homeroom/remove", r->id[0], r->id[1]),
	    "Снять с руководства", 1);
}

/*
 * POST /org/N/classes/ID/homeroom/remove   field: account_id
 * Admin.  The teacher is no longer a homeroom teacher of the class
 * (member_homeroom_unset; the rest of their membership stays): the
 * database ends their review of its applications, revokes the links
 * they made for it and takes them out of its chats unless they also
 * teach it; audited.  303 to /org/N/classes/ID.  Not its homeroom
 * teacher, a staff class, or the class is archived: 409.
 */
int
homeroom_unassign(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[1];
	struct html_ctx		*c = app_ctx(r);
	int			 rc, refused;

	if ((rc = people_begin(r, a, c, NO_HOMEROOM, &refused)) != 0 ||
	    refused)
		return rc;
	if (people_account(r, c, v, "account_id_error") > 0)
		return class_page(r, a, r->id[1], HTTP_UNPROCESSABLE, c);
	rc = member_homeroom_unset(a->id, r->id[1], atoll(v[0].value),
	    r->user->id);
	return people_done(r, a, c, rc, "account_id_error", "",
	    NOT_HOMEROOM);
}

#define STAFF_TEACHERS	"В учительский класс учителя попадают сами, когда " \
	"их принимают в организацию, и уходят, когда покидают её."

/*
 * POST /org/N/classes/ID/teachers   field: account_id
 * Admin.  A verified teacher of the organization teaches the class (a
 * subject teacher, member_teacher_add): they see it, are in its chats as
 * a member, and do not review its applications; audited by the
 * database.  303 to /org/N/classes/ID.  Not a verified teacher of this
 * organization: 422 next to the field; teaches it already, a staff
 * class, or the class is archived: 409.
 */
int
teacher_add(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[1];
	struct html_ctx		*c = app_ctx(r);
	int			 rc, refused;

	if ((rc = people_begin(r, a, c, STAFF_TEACHERS, &refused)) != 0 ||
	    refused)
		return rc;
	if (people_account(r, c, v, "teacher_error") > 0)
		return class_page(r, a, r->id[1], HTTP_UNPROCESSABLE, c);
	rc = member_teacher_add(a->id, r->id[1], atoll(v[0].value),
	    r->user->id);
	return people_done(r, a, c, rc, "teacher_error",
	    "Учителем класса может быть только подтверждённый учитель этой "
	    "организации", "Этот учитель уже ведёт уроки в этом классе.");
}

#define NOT_TEACHING	"Этот человек не ведёт уроки в этом классе — " \
	"возможно, его уже убрали."

/*
 * GET /org/N/classes/ID/teachers/ACC/remove
 * Admin (others 403).  Asks to confirm that teacher ACC no longer
 * teaches the class, saying what ends; the form posts to the same URL.
 * Changes nothing.  No such class or person: 404; not a subject teacher
 * of the class, a staff class, or the class is archived: 409 on the
 * class page.
 */
int
teacher_remove_confirm(struct http_req *r)
{
	static const char *const points[] = {
		"учитель выйдет из чатов класса, если не руководит этим "
		"классом;",
		"в организации учитель останется; добавить снова можно на "
		"странице класса.",
		NULL
	};

	return people_confirm(r, r->id[2], "teacher", STAFF_TEACHERS,
	    NOT_TEACHING, "Убрать учителя из класса?",
	    "%s перестанет вести уроки в классе %s. После этого:", points,
	    pool_printf(r->pool, "/org/%lld/classes/%lld/teachers/%lld/remove",
	    r->id[0], r->id[1], r->id[2]), "Убрать из класса", 0);
}

/*
 * POST /org/N/classes/ID/teachers/ACC/remove
 * Admin.  Teacher ACC no longer teaches the class (member_teacher_
 * remove): they leave its chats unless they are its homeroom teacher;
 * audited by the database.  303 to /org/N/classes/ID.  Not a subject
 * teacher of the class (removed a moment ago included), a staff class,
 * or the class is archived: 409.
 */
int
teacher_remove(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c = app_ctx(r);
	int			 rc, refused;

	if ((rc = people_begin(r, a, c, STAFF_TEACHERS, &refused)) != 0 ||
	    refused)
		return rc;
	rc = member_teacher_remove(a->id, r->id[1], r->id[2], r->user->id);
	return people_done(r, a, c, rc, "teacher_error", "", NOT_TEACHING);
}
