/*
 * code: one-time codes and the limits that keep them from being abused.
 * The rules are issue 16's and live here only:
 *
 *  - a code is CODE_DIGITS (6) decimal digits from getrandom, valid for
 *    CODE_MINUTES (10) minutes (a young child's code for a parent:
 *    CODE_CHILD_MINUTES, 3 days, as the parent may have to sign up
 *    first; only an account that proved the contact may try it), used
 *    once, and only its SHA-256 is
 *    stored (table parta.code, sql/0013_codes.sql); one live code per
 *    account, purpose and channel, a new one replaces the old;
 *  - per recipient (a phone "+7…" or an e-mail, whatever accounts name
 *    it), across all accounts and purposes: at most PARTA_CODE_SEND_MAX
 *    (5) messages and PARTA_CODE_WRONG_MAX (10) wrong tries per
 *    PARTA_CODE_WINDOW (60) minutes; as many requests per account for
 *    codes sent to others (code_account_hit); per client address at most
 *    PARTA_SIGNUP_ADDR_MAX (20) sign-ups per window;
 *  - the counts are rows of parta.code_limit changed by one atomic
 *    upsert each, so they hold under concurrency: the row stays locked
 *    until the caller's transaction ends, which orders parallel requests.
 *
 * Every function runs inside the caller's transaction (db_begin) and
 * returns one of enum code_result.  Over a limit (CODE_LIMIT) *retry is
 * set to the whole minutes until the window ends (at least 1) and
 * nothing was sent; the caller rolls back or commits as documented per
 * function.  Strings passed in are only read; nothing returned needs
 * freeing.  No code is ever logged.
 */
#ifndef PARTA_CODE_H
#define PARTA_CODE_H

#define CODE_DIGITS	6
#define CODE_MINUTES	10
#define CODE_CHILD_MINUTES (3 * 24 * 60)
#define CODE_ADDR_MAX	256	/* bytes of a recipient, with the NUL */

enum code_purpose {
	CODE_VERIFY,		/* prove a contact named at sign-up */
	CODE_LOGIN,		/* log in (and so recover access) */
	CODE_CONTACT,		/* prove a new contact before it replaces */
	CODE_DELETE,		/* confirm deleting one's profile */
	CODE_CHILD		/* a parent confirms a young child's sign-up
				 * (stored for the child, sent to the parent) */
};

enum code_result {
	CODE_ERROR = -1,	/* the database failed (logged) */
	CODE_OK = 0,
	CODE_LIMIT,		/* over a limit: *retry minutes to wait */
	CODE_WRONG,		/* a wrong code: the try is counted */
	CODE_NONE		/* no live code to check against */
};

/* What a right code was for (code_check). */
struct code_found {
	long long	 account;
	char		 channel[8];		/* "phone" or "email" */
	char		 address[CODE_ADDR_MAX];
};

/* "phone" for "+…", else "email". */
const char	*code_channel(const char *recipient);

/*
 * Count one sign-up from client address addr: CODE_OK, CODE_LIMIT or
 * CODE_ERROR.  On CODE_LIMIT the caller rolls back.
 */
int	code_signup_hit(const char *addr, int *retry);

/*
 * Count one request of account's to send a code to someone else (a
 * young child asking a parent) against the account's own limit, the
 * same PARTA_CODE_SEND_MAX per PARTA_CODE_WINDOW as a recipient's, so
 * that one account cannot reach any number of contacts: CODE_OK,
 * CODE_LIMIT (the caller rolls back) or CODE_ERROR.
 */
int	code_account_hit(long long account, int *retry);

/*
 * Count one message to recipient against its send limit without sending
 * a code (where there is nobody to send one to, so that the limit still
 * reads the same): CODE_OK, CODE_LIMIT (the caller rolls back) or
 * CODE_ERROR.
 */
int	code_quota(const char *recipient, int *retry);

/*
 * Make a code for account, purpose and channel ("phone"/"email"), store
 * its hash with address, and queue the message "WHAT: CODE. Он действует
 * 10 минут. Никому его не сообщайте." to address (lib/outbox), counting
 * it against the recipient's send limit.  On CODE_LIMIT the caller rolls
 * back (nothing must be sent); otherwise it commits.
 */
int	code_send(long long account, enum code_purpose, const char *channel,
	    const char *address, const char *what, int *retry);

/*
 * code_send with a message of one's own: before, the code, after (the
 * code's lifetime is the caller's to say).
 */
int	code_send_text(long long account, enum code_purpose,
	    const char *channel, const char *address, const char *before,
	    const char *after, int *retry);

/*
 * The same work as code_send (limit counted, a code stored that nobody
 * is told), but the message queued is text, carrying no code: for a
 * contact that belongs to someone else, so that neither answer nor
 * timing tells the two apart.
 */
int	code_notice(long long account, enum code_purpose, const char *channel,
	    const char *address, const char *text, int *retry);

/*
 * The newest live code of purpose for account and channel ("" any), to
 * say where it went: 1 with *found filled, 0 when there is none, or
 * CODE_ERROR.
 */
int	code_pending(long long account, enum code_purpose, const char *channel,
	    struct code_found *found);

/*
 * Check code against the newest live code of purpose for account (0:
 * any account), channel ("" any) and address ("" any); the code rows are
 * locked first, then the recipient's wrong-try counter.  CODE_OK: the
 * code is deleted (single use) and *found filled.  CODE_WRONG: the try
 * is counted against the recipient.  CODE_LIMIT: the recipient has used
 * its wrong tries, nothing compared.  CODE_NONE: no live code for
 * account (only when address is ""; with an address given, no code
 * reads as CODE_WRONG, so that a recipient without an account looks
 * like one with).  The caller commits in every case but CODE_ERROR.
 */
int	code_check(long long account, enum code_purpose, const char *channel,
	    const char *address, const char *code, struct code_found *found,
	    int *retry);

#endif
