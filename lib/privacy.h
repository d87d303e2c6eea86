/*
 * privacy: consent to the personal-data policy (152-FZ).  The policy's
 * versions and the consents live in the database (sql/0015_privacy.sql);
 * the session lookup says whether a person agreed to the version in
 * force (auth_user.consent_ok), and lib/app sends those who did not to
 * /privacy/consent.
 */
#ifndef PARTA_PRIVACY_H
#define PARTA_PRIVACY_H

#include <stddef.h>

/* The consent checkbox, field "consent": "1", or the reason it is not. */
const char	*valid_consent(const char *in, char *out, size_t outsz);
/* The error shown next to an unticked consent box. */
#define PRIVACY_CONSENT_MISSING						\
	"Без согласия на обработку персональных данных "		\
	"зарегистрироваться нельзя"

/* Record, in the current transaction, that account agrees now to the
 * policy in force: 0, or -1 when the database failed. */
int		 privacy_consent(long long account);

#endif
