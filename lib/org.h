/*
 * org: who the person asking is in an organization.  Every handler of an
 * organization's page starts with org_access(): a person who is neither
 * a member nor the operator gets 404, as if the organization did not
 * exist; then the handler checks the role it needs (403 inside one's own
 * organization).
 */
#ifndef PARTA_ORG_H
#define PARTA_ORG_H

struct html_ctx;
struct http_req;

struct org_access {
	long long	 id;
	const char	*name;		/* short name */
	const char	*full_name;
	const char	*role;		/* "admin", "teacher", "student", "" */
	int		 verified;	/* verified member (staff badge) */
	int		 is_admin;
	int		 is_teacher;
	int		 is_student;
	int		 is_operator;	/* platform operator (not a member) */
	int		 homeroom;	/* homeroom teacher of a current class */
	int		 can_review;	/* admin, or homeroom teacher */
	long long	 pending;	/* applications this person may review */
};

/* Load r->user's standing in organization org: 0, HTTP_NOT_FOUND, or the
 * status for a database failure.  r->user must be set. */
int		 org_access(struct http_req *, long long org,
		    struct org_access *);
/* 0 if the person is the organization's admin, else HTTP_FORBIDDEN. */
int		 org_require_admin(const struct org_access *);
/* Menu and header values for an organization page: org_id, org_name,
 * can_review, pending_count, can_invite, is_admin, and menu_org (the
 * organization whose menu the page shows; only this sets it). */
void		 org_ctx(struct html_ctx *, const struct org_access *);
/*
 * The 403 page of a person removed from organization org_name (its short
 * name) at one of its doors (a chat link, an invite link, an
 * application): the school removed them and its administrator can let
 * them back.  Nothing else of the organization is shown.  Returns 0.
 */
int		 org_barred_page(struct http_req *, const char *org_name);
/* "На рассмотрении", "Принята", "Отклонена", "Отозвана", "Закрыта..."
 * for the status of an application. */
const char	*org_application_status(const char *status);
/* "Администратор", "Учитель", "Ученик" for a role (of a link, a
 * filter: not a person). */
const char	*org_role_name(const char *role);
/* The role of one person of gender ("f", "m", "" erased; ru_gender):
 * "Ученица" for a girl.  Wherever a specific person's role is shown. */
const char	*org_person_role(const char *role, const char *gender);
/* "Администраторы", "Учителя", "Ученики": a count of people by role. */
const char	*org_role_plural(const char *role);

#endif
