/*
 * audit: the organization's log of who did what to whom, in Russian
 * words.  One writer: parta.audit_write (sql/0027_audit_sql.sql), which
 * this module, parta-admin and the membership functions all go through;
 * one reader: the view parta.audit_event, each row with its action's
 * name and the people's names as the log pages and exports show them.
 *
 * A detail is a sentence for a person about the target, written in the
 * masculine ("удалён из чата «…»"): the database puts it in the
 * feminine for a girl or a woman and drops global numbers ("заявка
 * №12") as the row is written (sql/0018_words.sql, 0023_words2.sql).
 */
#ifndef PARTA_AUDIT_H
#define PARTA_AUDIT_H

/*
 * Write one row in the current transaction, timed as the transaction
 * (now()): 0, or -1 (logged; db_failed() tells a lost connection).  An
 * org of 0 is a platform-wide event, an actor of 0 the console
 * (parta-admin), a target of 0 no person; detail may be NULL for none.
 * action must be a code of parta.audit_action.
 */
int	audit_write(long long org, long long actor, const char *action,
	    long long target, const char *detail);

#endif
