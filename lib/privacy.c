#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "privacy.h"

static const struct db_stmt q_consent = {
	"privacy_consent",
	"INSERT INTO parta.privacy_consent (account_id, version)"
	" SELECT $1, parta.privacy_current()"
	" WHERE parta.privacy_current() IS NOT NULL"
	" ON CONFLICT (account_id, version) DO UPDATE SET at = now()"
};

const char *
valid_consent(const char *in, char *out, size_t outsz)
{
	if (strcmp(in, "1") != 0 || outsz < 2) {
		if (outsz > 0)
			out[0] = '\0';
		return PRIVACY_CONSENT_MISSING;
	}
	memcpy(out, "1", 2);
	return NULL;
}

int
privacy_consent(long long account)
{
	PGresult	*res;
	char		 id[24];

	snprintf(id, sizeof(id), "%lld", account);
	if ((res = db_exec(&q_consent, PGRES_COMMAND_OK, id)) == NULL)
		return -1;
	return 0;
}
