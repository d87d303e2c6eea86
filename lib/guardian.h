/*
 * guardian: parents (guardians) and young children.
 *
 * The rules live in the database (sql/0017_guardians.sql) and the
 * programs reach them through here only:
 *
 *  - a guardian is an adult (born 18 years ago or earlier), is not a
 *    student (nor applying as one) in any organization, and is not the
 *    child; whoever inserts a guardian row, a trigger holds this;
 *  - a student's link for a parent is single-use and expires (14 days):
 *    of parallel confirmations exactly one makes a guardian;
 *  - a child younger than PARTA_CHILD_AGE (14) signs up with a login name
 *    and a parent's phone or e-mail; the code goes to the parent
 *    (lib/code, CODE_CHILD, within the code limits), whose account must
 *    have proven that contact, and the parent's confirmation verifies the
 *    child's account and makes them its guardian in one step; until then
 *    the child's account can only wait (lib/app, APP_WAITING);
 *  - a guardian is removed by the child, an administrator of a school the
 *    child studies at, or the homeroom teacher of the child's class; the
 *    triggers end the parent's parents' chats and close their direct
 *    chats with the class's teachers, the path of the membership
 *    removals (sql/0012_membership.sql);
 *  - the guardian who confirmed a young child's registration holds the
 *    account: the young child cannot remove them (the school can) nor
 *    make parent links (parta.parent_link_refusal), and only they may set
 *    a new password for the child (while young or with no proven contact
 *    of their own); the child's sessions end;
 *  - the homeroom teachers of the child's classes are told of every new
 *    guardian (a message; a line on their organization's home page), and
 *    every change is audited in Russian words.
 *
 * Calls that change something run inside the caller's transaction
 * (db_begin ... app_commit) and return a guardian_result; a refusal
 * changes nothing (the caller rolls back), except that a wrong code is
 * counted (the caller commits).  The *_ctx calls fill a page's context
 * for the partial templates named at each: 0, or -1 when the database
 * failed (the caller answers app_db_error()).
 */
#ifndef PARTA_GUARDIAN_H
#define PARTA_GUARDIAN_H

struct html_ctx;
struct http_req;

enum guardian_result {
	GUARDIAN_ERROR = -1,	/* the database failed (logged) */
	GUARDIAN_OK = 0,
	GUARDIAN_NOT_FOUND,	/* no such link, sign-up, guardian, student */
	GUARDIAN_FORBIDDEN,	/* the actor may not do this */
	GUARDIAN_SELF,		/* the child themself */
	GUARDIAN_MINOR,		/* the would-be guardian is under 18 */
	GUARDIAN_STUDENT,	/* ... is a student (or applying as one) */
	GUARDIAN_EXISTS,	/* their guardian already */
	GUARDIAN_USED,		/* the link was used already */
	GUARDIAN_EXPIRED,	/* the link expired */
	GUARDIAN_DECIDED,	/* the sign-up was confirmed already */
	GUARDIAN_CONTACT,	/* the code went to a contact this person has
				 * not proven */
	GUARDIAN_NOT_YOUNG,	/* the child is not young enough */
	GUARDIAN_TAKEN,		/* the login name is taken */
	GUARDIAN_LIMIT,		/* over a code limit: *retry minutes */
	GUARDIAN_WRONG,		/* a wrong or expired code (counted) */
	GUARDIAN_ACCOUNT_LIMIT,	/* over the account's own limit of requests
				 * to parents: *retry minutes */
	GUARDIAN_CONFIRMER,	/* a young child removing the guardian who
				 * confirmed their registration (403) */
	GUARDIAN__MAX
};

/* 1 if a person born on birth (YYYY-MM-DD) is a young child, 0 if not,
 * -1 when the database failed. */
int	guardian_young(const char *birth);

/*
 * Sign up young child: a new account (names, gender f|m, birth date, the
 * login name lower-cased, a password hash) waiting for a parent at
 * contact (a phone "+7…" or an e-mail), who is sent the code.  *child is
 * its id.  GUARDIAN_OK, GUARDIAN_TAKEN (login name), GUARDIAN_NOT_YOUNG,
 * GUARDIAN_LIMIT (the contact's messages: roll back).
 */
int	guardian_child_signup(struct http_req *, const char *last,
	    const char *first, const char *patronymic, const char *gender,
	    const char *birth, const char *login, const char *hash,
	    const char *contact, long long *child, int *retry);

/*
 * The waiting child r->user asks again: a new code to contact (NULL or
 * "": the one named before; another one replaces it).  GUARDIAN_OK,
 * GUARDIAN_NOT_FOUND (not waiting), GUARDIAN_LIMIT (the contact's
 * messages) or GUARDIAN_ACCOUNT_LIMIT (the child's own requests, the
 * sign-up's among them: lib/code code_account_hit); both roll back.
 */
int	guardian_child_resend(struct http_req *, const char *contact,
	    int *retry);

/*
 * r->user confirms young child with code: GUARDIAN_OK (the child is
 * verified, r->user their guardian, the homeroom teachers told),
 * GUARDIAN_NOT_FOUND (no sign-up waiting for a contact r->user has
 * proven), GUARDIAN_WRONG (commit: the try counts), GUARDIAN_LIMIT
 * (commit), GUARDIAN_DECIDED, or a refusal (GUARDIAN_SELF,
 * GUARDIAN_MINOR, GUARDIAN_STUDENT).
 */
int	guardian_child_confirm(struct http_req *, long long child,
	    const char *code, int *retry);

/*
 * r->user follows a student's link for a parent, the hex SHA-256 of
 * whose token is hash: GUARDIAN_OK (r->user the child's guardian, the
 * homeroom teachers told), GUARDIAN_NOT_FOUND, GUARDIAN_USED,
 * GUARDIAN_EXPIRED, or a refusal (GUARDIAN_SELF, GUARDIAN_MINOR,
 * GUARDIAN_STUDENT, GUARDIAN_EXISTS).  *child is the link's child.
 */
int	guardian_link_confirm(struct http_req *, const char *hash,
	    long long *child);

/*
 * Remove guardian parent of child, by r->user: the child themself (org
 * 0), or in organization org an administrator or the child's homeroom
 * teacher.  GUARDIAN_OK, GUARDIAN_NOT_FOUND, GUARDIAN_FORBIDDEN,
 * GUARDIAN_CONFIRMER (a young child removing the guardian who confirmed
 * their registration: only the school may).
 */
int	guardian_remove(struct http_req *, long long org, long long parent,
	    long long child);

/*
 * GET of a removal: the page asking r->user to confirm removing guardian
 * parent of child (org 0: the child themself), by the rule of
 * parta.guardian_remove_check; its form posts to action, "Отмена" goes to
 * back.  0, or 403/404 as guardian_remove would answer (GUARDIAN_CONFIRMER:
 * the 403 page saying who may), or a database error.  Changes nothing.
 */
int	guardian_remove_confirm(struct http_req *, long long org,
	    long long parent, long long child, const char *action,
	    const char *back);

/* May guardian r->user set child's password (no change): GUARDIAN_OK,
 * GUARDIAN_NOT_FOUND, GUARDIAN_FORBIDDEN, as below. */
int	guardian_child_may_reset(struct http_req *, long long child);

/*
 * Guardian r->user sets password hash (lib/auth) for child: GUARDIAN_OK
 * (the child's
 * sessions ended), GUARDIAN_NOT_FOUND (not their child),
 * GUARDIAN_FORBIDDEN (the child is old enough and has a contact of their
 * own to recover it by).
 */
int	guardian_child_password(struct http_req *, long long child,
	    const char *hash);

/* The result for a word a function of sql/0017 answers with ("ok",
 * "minor", ...), or GUARDIAN_ERROR (logged) for a word it does not know. */
int		 guardian_result_of(const char *word);
/* A plain Russian sentence saying why for a refusal (409 pages). */
const char	*guardian_refusal_text(int result);
/* The answer to a refused removal: GUARDIAN_CONFIRMER's 403 page saying
 * who may remove, else guardian_http_status. */
int		 guardian_refused_page(struct http_req *, int result);
/* The HTTP status for a result: 0 for GUARDIAN_OK, 404, 403, 409, 410,
 * 422, 429, 500/503. */
int		 guardian_http_status(int result);

/*
 * Pages.
 *
 * guardian_waiting_page: the whole /me of a waiting child
 * (me_waiting.html): whom the request went to, a form to send it again
 * or to another contact; status and the field's error if any.  Also the
 * answer to a refused resend: it rolls back first (app_rollback), so
 * the page shows the contact as it stands.
 *
 * These answer as handlers do (lib/app.h): 0, or an HTTP status.
 */
int	guardian_waiting_page(struct http_req *, int status,
	    const char *contact_error);
/* /me of a student (me_guardians.html): their guardians, each with a
 * form to remove them.  In two halves (lib/db.h, db_send): queue the
 * statement, then read its answer into c.  It reads for the request's
 * account (parta.rls_account()), so it may be queued before r->user is
 * known (lib/app.h, APP_ONE_TRIP). */
struct db_query;
struct db_query	*guardian_me_send(struct http_req *);
int		 guardian_me_read(struct db_query *, struct html_ctx *);
/* A member's card (org_member_guardians.html): the student's guardians,
 * when and how confirmed, with remove forms, for those who manage them. */
int	guardian_member_ctx(struct http_req *, struct html_ctx *,
	    long long org, long long child);
/* A class page (class_guardians.html): each student's guardians, for
 * the administrator and the class's homeroom teacher. */
int	guardian_class_ctx(struct http_req *, struct html_ctx *,
	    long long org, long long cls);
/* An organization's home page (org_guardians_new.html): guardians
 * confirmed in the last 14 days for the students of the person's
 * homeroom classes. */
int	guardian_news_ctx(struct http_req *, struct html_ctx *, long long org);
/* The same in two halves, so that the statement travels with others
 * (lib/db.h, db_send): queue it, then read its answer into c.  It reads
 * for the request's account (parta.rls_account()): it may be queued
 * before r->user is known (lib/app.h, APP_ONE_TRIP). */
struct db_query;
struct db_query	*guardian_news_send(struct http_req *, long long org);
int	guardian_news_read(struct db_query *, struct html_ctx *);
/* /chats/family of a parent (family.html): each child with their
 * classes and schools, the class's parents' chat, the teachers one may
 * write to, the password form where allowed (error, when not NULL, next
 * to the form of child err_child); young children waiting for one's
 * confirmation. */
int	guardian_family_ctx(struct http_req *, struct html_ctx *,
	    long long err_child, const char *error);
/* /chats/family/confirm (family_confirm.html): the young children
 * waiting for a contact r->user has proven, each with the code form
 * (error, when not NULL, next to the one of child err_child). */
int	guardian_confirm_ctx(struct http_req *, struct html_ctx *,
	    long long err_child, const char *error);

#endif
