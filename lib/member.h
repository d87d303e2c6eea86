/*
 * member: every way into and out of an organization and its classes.
 *
 * The rules live in the database (sql/0012_membership.sql): these calls
 * run its functions inside the caller's transaction (db_begin ...
 * app_commit), and the triggers there end everything a membership
 * granted: class and school chats, direct chats opened through the
 * organization, the person's invite links and pending applications.
 * Each call writes one audit row in Russian words.  Programs and
 * parta-admin go through here, never through their own DELETE.
 *
 * Ids are positive database ids; an actor of 0 means "nobody" (parta-admin
 * at the console).  Every call returns a member_result: MEMBER_OK, one of
 * the refusals below, or MEMBER_ERROR when the database failed (logged;
 * db_failed() tells a lost connection, so the caller answers
 * app_db_error()).  Nothing is changed by a refusal.
 */
#ifndef PARTA_MEMBER_H
#define PARTA_MEMBER_H

enum member_result {
	MEMBER_ERROR = -1,
	MEMBER_OK = 0,
	MEMBER_NOT_FOUND,	/* no such member, application, teacher... */
	MEMBER_FORBIDDEN,	/* the actor may not do this */
	MEMBER_ADMIN,		/* an administrator is removed by the
				 * operator only */
	MEMBER_LAST_ADMIN,	/* the last administrator may not leave */
	MEMBER_EXISTS,		/* done already: teaches the class already */
	MEMBER_DECIDED,		/* the application is decided already */
	MEMBER_ARCHIVED,	/* its class is archived */
	MEMBER_BAD_CLASS,	/* not an open class of the organization */
	MEMBER_NOT_STUDENT,	/* not a student with a current class */
	MEMBER_NOT_TEACHER,	/* not a verified teacher of the
				 * organization */
	MEMBER_SAME,		/* already in that class */
	MEMBER_GUARDIAN,	/* a guardian cannot become a student (409) */
	MEMBER_NOTHING,		/* nothing chosen can be done: a roster
				 * without a row to apply (422) */
	MEMBER__MAX
};

/* How a person leaves an organization (member_end). */
enum member_how {
	MEMBER_REMOVED,		/* by an administrator; barred */
	MEMBER_ADMIN_REMOVED,	/* an administrator, by the operator;
				 * their admin grants end; barred */
	MEMBER_LEFT		/* by themselves; not barred */
};

/*
 * Take account out of organization org: MEMBER_OK, MEMBER_NOT_FOUND (not
 * a member; for MEMBER_ADMIN_REMOVED: not an administrator),
 * MEMBER_ADMIN (MEMBER_REMOVED of an administrator), MEMBER_LAST_ADMIN
 * (MEMBER_LEFT of the only administrator).  A removed person is barred
 * from coming back by any link or application until member_unbar().  An
 * administrator removed (MEMBER_ADMIN_REMOVED) is told so, by SMS to
 * their verified phone or else by e-mail, in the caller's transaction.
 */
int	member_end(long long org, long long account, long long actor,
	    enum member_how);

/*
 * Bind the administrator role of org to phone (the operator's page,
 * parta-admin admin-change): the grants still waiting for a phone are
 * revoked, a new grant is made and applied at once when the phone's
 * owner has verified it.  The caller has locked the organization row
 * and writes the audit row; actor 0 is parta-admin.  Both sides are
 * told in the caller's transaction (lib/outbox), by SMS in plain words
 * naming the organization: the phone bound, that its owner is now the
 * administrator and where to log in (site: the origin of links, NULL for
 * none); the phones whose waiting grants were revoked, that the role went
 * to someone else.  The account the grant applied to, 0 when it waits
 * for the phone to be verified, or MEMBER_ERROR.
 */
long long member_admin_bind(long long org, const char *phone,
	    long long actor, const char *site);

/* Lift the bar on account: MEMBER_OK or MEMBER_NOT_FOUND (not barred). */
int	member_unbar(long long org, long long account, long long actor);

/*
 * Move student account from their current class into class to:
 * MEMBER_OK, MEMBER_NOT_STUDENT, MEMBER_BAD_CLASS (to is not an open
 * school class of org), MEMBER_FORBIDDEN (actor is neither an
 * administrator nor the homeroom teacher of both classes), MEMBER_SAME.
 */
int	member_move(long long org, long long account, long long to,
	    long long actor);

/*
 * Subject teachers: a verified teacher of org teaches class cls, or no
 * longer.  The caller has checked that actor is an administrator.
 * Add: MEMBER_OK, MEMBER_EXISTS, MEMBER_NOT_TEACHER, MEMBER_BAD_CLASS.
 * Remove: MEMBER_OK, MEMBER_NOT_FOUND.
 */
int	member_teacher_add(long long org, long long cls, long long account,
	    long long actor);
int	member_teacher_remove(long long org, long long cls,
	    long long account, long long actor);

/*
 * Homeroom teachers of class cls, as member_teacher_add/_remove.
 * Unassigning ends the teacher's review of the class's applications and
 * revokes the links they made for it.
 */
int	member_homeroom_set(long long org, long long cls, long long account,
	    long long actor);
int	member_homeroom_unset(long long org, long long cls,
	    long long account, long long actor);

/*
 * Decide application app of org: accept (1) or reject (0, with reason,
 * "" for none; at most a line of text).  cls, when not 0, accepts into
 * that open class instead of the application's own (the class its
 * archived class was rolled into).  MEMBER_OK, MEMBER_NOT_FOUND,
 * MEMBER_FORBIDDEN (outside actor's scope), MEMBER_DECIDED,
 * MEMBER_ARCHIVED (accepting into an archived class), MEMBER_BAD_CLASS,
 * MEMBER_GUARDIAN (accepting a student who is a guardian of a child:
 * sql/0022).  Rules: DESIGN.md "Rules the product keeps" (a decision is final;
 * accepting a teacher verifies them; a student joins the class).
 */
int	member_decide(long long org, long long app, long long actor,
	    int accept, const char *reason, long long cls);

/*
 * Tell the applicant of application app of org, just decided (accept,
 * or not: reject, with reason, "" for none), where to read it: by SMS to
 * their verified phone, else by e-mail to their verified e-mail
 * (nothing without either), queued in the caller's transaction
 * (lib/outbox).  0, or -1 (logged).
 */
int	member_decided_tell(long long org, long long app, int accept,
	    const char *reason);

/*
 * Apply roster of org (sql/0029_roster_rules.sql, parta.roster_apply),
 * by actor: an administrator, or a homeroom teacher of the roster's
 * class.  lines is a PostgreSQL array of the rows' lines to apply
 * ("{2,5,9}"), or NULL for every row that can be.  In the caller's
 * transaction: the chosen rows become expected people (or joined, for
 * members), the pending applications that match a row exactly are
 * accepted into its class, the ones that resemble one are noted, the
 * roster is marked applied and the audit says so; the applicants
 * accepted are told (member_decided_tell).  MEMBER_OK,
 * MEMBER_DECIDED (applied already, also by a concurrent apply: 409),
 * MEMBER_FORBIDDEN, MEMBER_NOT_FOUND (no such roster in org),
 * MEMBER_NOTHING (none of the rows chosen, or of all its rows, can be
 * applied: nothing changed, the roster stays a draft).
 */
int	member_roster_apply(long long org, long long roster, long long actor,
	    const char *lines);

/*
 * The result for a word a membership function of sql/0012 answers with
 * ("ok", "not_member", ...), or MEMBER_ERROR for a word it does not know.
 */
int	member_result_of(const char *word);

/*
 * The HTTP status for a result: 0 for MEMBER_OK, 404, 403, 409, 422, and
 * 500/503 for MEMBER_ERROR.
 */
int	member_http_status(int result);

#endif
