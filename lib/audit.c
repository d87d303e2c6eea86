#include <stdio.h>

#include "audit.h"
#include "db.h"

static const struct db_stmt q_audit_write = {
	"audit_write",
	"SELECT parta.audit_write(org => $1, actor => $2, action => $3,"
	" target => $4, detail => $5)"
};

/* Id into buf as text, or NULL (SQL NULL) for 0. */
static const char *
audit_id(long long id, char *buf, size_t bufsz)
{
	if (id == 0)
		return NULL;
	snprintf(buf, bufsz, "%lld", id);
	return buf;
}

int
audit_write(long long org, long long actor, const char *action,
    long long target, const char *detail)
{
	char	 o[24], a[24], t[24];

	if (db_exec(&q_audit_write, PGRES_TUPLES_OK, audit_id(org, o,
	    sizeof(o)), audit_id(actor, a, sizeof(a)), action,
	    audit_id(target, t, sizeof(t)), detail) == NULL)
		return -1;
	return 0;
}
