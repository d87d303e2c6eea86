/*
 * org: who the person asking is in an organization.  The dispatcher
 * loads it for an organization's route (APP_ORG and the role flags,
 * lib/app.h) before the handler, into r->org: a person who is neither a
 * member nor the operator gets 404, as if the organization did not
 * exist, and one without the route's role 403.  A handler reads r->org.
 */
#ifndef PARTA_ORG_H
#define PARTA_ORG_H

struct html_ctx;
struct http_req;

struct org_access {
	long long	 id;
	const char	*name;		/* short name */
	const char	*full_name;
	const char	*tz;		/* its region's time zone, for times
					 * on its pages */
	const char	*role;		/* "admin", "teacher", "student", "" */
	int		 verified;	/* verified member (staff badge) */
	int		 is_admin;
	int		 is_teacher;
	int		 is_student;
	int		 is_operator;	/* platform operator (not a member) */
	int		 homeroom;	/* homeroom teacher of a current class */
	int		 can_review;	/* admin, or homeroom teacher */
	long long	 pending;	/* applications this person may review */
	long long	 appeals;	/* requests to the organization waiting
					 * for this person's answer */
};

/* Load r->user's standing in organization org: 0, HTTP_NOT_FOUND, or the
 * status for a database failure.  r->user must be set.  The dispatcher's
 * (above); a page that lists several organizations calls it for each. */
int		 org_access(struct http_req *, long long org,
		    struct org_access *);
/* The same in two halves (lib/db.h, db_send): org_access_send queues
 * the statement, for the request's account (the connection's setting,
 * so it may be queued after the session's lookup, before r->user is
 * known); org_access_read answers as org_access from its result. */
struct db_query;
struct db_query	*org_access_send(struct http_req *, long long org);
int		 org_access_read(struct http_req *, struct db_query *,
		    long long org, struct org_access *);
/* The person's standing in each organization they are a member of, by
 * short name (as org_access; /me lists them): org_access_mine_send
 * queues the statement, for the request's account (as
 * org_access_send); org_access_mine_read puts the standings into *list,
 * *n of them (from the request's pool; none without r->user): 0, or the
 * status for a database failure. */
struct db_query	*org_access_mine_send(void);
int		 org_access_mine_read(struct http_req *, struct db_query *,
		    struct org_access **list, int *n);
/* Menu and header values for an organization page: org_id, org_name,
 * can_review, pending_count, appeals_count, can_invite, is_admin, and
 * menu_org (the
 * organization whose menu the page shows; only this sets it). */
void		 org_ctx(struct html_ctx *, const struct org_access *);
/* A new page context of an organization's route: app_ctx, org_ctx of
 * r->org and the title. */
struct html_ctx	*org_page_ctx(struct http_req *, const char *title);
/* A new page context of an organization's route for someone who is no
 * member (a guardian of its students, parta.org_children): app_ctx,
 * org_id, org_name and the title, and no organization's menu. */
struct html_ctx	*org_guest_ctx(struct http_req *, long long org,
		    const char *org_name, const char *title);
/*
 * The 403 page of a person removed from organization org_name (its short
 * name) at one of its doors (a chat link, an invite link, an
 * application): the school removed them and its administrator can let
 * them back.  Nothing else of the organization is shown.  Returns 0.
 */
int		 org_barred_page(struct http_req *, const char *org_name);
/*
 * The organization's vocabulary: every Russian word the site shows for
 * an organization type, a role or a status, here and nowhere else.  A
 * word alone (a heading, a badge, a table cell) is capitalised; a word
 * inside a sentence is not; a person's role agrees with their gender
 * (ru_gender: "f", "m", "" when erased) and a count's noun with its
 * number (ru_plural, by the caller).  The values are the database's
 * (sql/0002_orgs.sql: org_type, member.role, application.status,
 * org_request.status).  Every function returns a static string, never
 * NULL: an unknown value comes back as it is (an unknown role as "").
 */

/* An organization type of the contract, in the order forms offer it. */
struct org_type {
	const char	*value;		/* "school" */
	const char	*name;		/* "Школа" */
	const char	*plural;	/* "Школы": statistics by type */
};
#define ORG_TYPE_N	6
extern const struct org_type org_types[ORG_TYPE_N];

/* The type with value type, or NULL for none of the contract's. */
const struct org_type *org_type(const char *type);
/* "Школа", "Колледж, техникум"... */
const char	*org_type_name(const char *type);
/* "Школы", "Колледжи"... */
const char	*org_type_plural(const char *type);

/* "Администратор", "Учитель", "Ученик" for a role (of a link, a
 * filter: not a person). */
const char	*org_role_name(const char *role);
/* The role of one person of gender: "Ученица" for a girl.  Wherever a
 * specific person's role is shown. */
const char	*org_person_role(const char *role, const char *gender);
/* The same inside a sentence: "учитель", "ученица", "администратор". */
const char	*org_person_role_lower(const char *role, const char *gender);
/* "Администраторы", "Учителя", "Ученики": a count of people by role. */
const char	*org_role_plural(const char *role);
/* Whom something is for, genitive plural: "учителей", "учеников"
 * ("ссылка для учеников 5А"). */
const char	*org_role_for(const char *role);

/* An application's status as its badge, in the applicant's words: "На
 * рассмотрении", "Принята", "Отклонена", "Отозвана заявителем",
 * "Закрыта: вы больше не в организации". */
const char	*org_application_status(const char *status);
/* The same in a sentence, in the words of those who review it: "ждёт
 * решения", "принята", "отклонена", "отозвана заявителем", "закрыта:
 * заявитель больше не в организации". */
const char	*org_application_review(const char *status);
/* A request to register an organization, in a sentence: "на
 * рассмотрении", "одобрена", "отклонена". */
const char	*org_request_status(const char *status);
/* A request to the organization (sql/0032_appeals.sql), its badge:
 * "Новое", "В работе", "Закрыто". */
const char	*org_appeal_status(const char *status);

#endif
