/*
 * home: what a person's home pages (/me, /org/N) show by role.
 *
 * Every role has its onboarding checklist, built from brief 000:
 * administrator, teacher, homeroom teacher (one per class), student,
 * parent.  Whether a step is done is read from real data by one database
 * function, parta.checklist (sql/0019_home.sql), the one place each tick's
 * rule is said; this module words each step and links it to the page
 * where it is done.  Pages include the template partial "checklist" for
 * each item of the list "checklists" this module fills.
 */
#ifndef PARTA_HOME_H
#define PARTA_HOME_H

struct html_ctx;
struct http_req;
struct home_steps;
struct db_query;

/* The steps of the person asking, of organization org (0: of every
 * organization, and the parent's list), into *steps: 0, or an HTTP
 * status. */
int		 home_steps_load(struct http_req *, long long org,
		    struct home_steps **steps);
/* The same in two halves, so that the statement travels with others
 * (lib/db.h, db_send): queue it, then read its answer.  It reads for
 * the request's account (parta.rls_account()): it may be queued before
 * r->user is known (lib/app.h, APP_ONE_TRIP). */
struct db_query	*home_steps_send(struct http_req *, long long org);
int		 home_steps_read(struct http_req *, struct db_query *,
		    struct home_steps **steps);

/*
 * Add the checklists named list ("admin", "teacher", "student": one per
 * organization; "homeroom": one per class the person leads; "parent":
 * one, of organization 0) of organization org to c's list "checklists":
 * items with heading, steps (text, href, done), steps_done, steps_total
 * and all_done.  Returns how many were added (0: the person has no such
 * role there).
 */
int		 home_checklists(struct http_req *, const struct home_steps *,
		    struct html_ctx *c, const char *list, long long org);

/* Whether the person asking may make a link for a parent (a student, or
 * applying as one, not a young child: parta.parent_link_allowed), 1 or 0
 * into *allowed: 0, or an HTTP status. */
int		 home_parent_link_allowed(struct http_req *, int *allowed);
/* The same in two halves, as home_steps_send: it reads for the request's
 * account (parta.rls_account()), so it may be queued before r->user is
 * known (lib/app.h, APP_ONE_TRIP). */
struct db_query	*home_parent_link_send(struct http_req *);
int		 home_parent_link_read(struct db_query *, int *allowed);

/* Where the person asking is at home when nothing else is asked for:
 * "/operator" for the platform's operator, else "/me". */
const char	*home_path(const struct http_req *);

#endif
