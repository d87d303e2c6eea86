/*
 * parta-admin: administration from the command line.
 *   parta-admin operator-create LOGIN   password on standard input
 *   parta-admin org-create REGION TYPE INN KPP SHORT_NAME ADMIN_PHONE
 *	creates an organization without a web request (bootstrapping a
 *	region, imports, tests) and binds its administrator to the phone;
 *	prints the new organization's id
 * The database is PARTA_DB, as for the programs.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "valid.h"

static const struct db_stmt q_operator_upsert = {
	"admin_operator_upsert",
	"INSERT INTO parta.account (last_name, first_name, gender, birth_date,"
	" email, email_verified, password_hash, is_operator)"
	" VALUES ('Парты', 'Оператор', 'm', '1970-01-01', $1, true, $2, true)"
	" ON CONFLICT (email) WHERE email_verified DO UPDATE SET"
	" password_hash = $2, is_operator = true"
};

static const struct db_stmt q_org_insert = {
	"admin_org_insert",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp) VALUES ($1, $2, $3, $3, $4, $5) RETURNING id"
};

static const struct db_stmt q_grant_insert = {
	"admin_grant_insert",
	"INSERT INTO parta.admin_grant (org_id, phone) VALUES ($1, $2)"
};

/* Apply the grant at once when the phone's owner has verified it. */
static const struct db_stmt q_grant_apply = {
	"admin_grant_apply",
	"SELECT parta.admin_grants_apply(a.id) FROM parta.account a"
	" WHERE a.phone = $1 AND a.phone_verified"
};

static int
org_create(char *argv[])
{
	char		 buf[VALID_MAX], phone[VALID_MAX], id[32];
	const char	*type = argv[1];
	PGresult	*res;

	if (strcmp(type, "school") != 0 && strcmp(type, "kindergarten") != 0 &&
	    strcmp(type, "college") != 0 && strcmp(type, "university") != 0 &&
	    strcmp(type, "extra") != 0 && strcmp(type, "authority") != 0) {
		fprintf(stderr, "parta-admin: %s: unknown type\n", type);
		return 1;
	}
	if (valid_inn10(argv[2], buf, sizeof(buf)) != NULL ||
	    valid_kpp(argv[3], buf, sizeof(buf)) != NULL) {
		fprintf(stderr, "parta-admin: bad INN or KPP\n");
		return 1;
	}
	if (valid_phone(argv[5], phone, sizeof(phone)) != NULL) {
		fprintf(stderr, "parta-admin: %s: not a mobile phone\n",
		    argv[5]);
		return 1;
	}
	if (db_begin() == -1)
		return 1;
	res = db_exec(&q_org_insert, PGRES_TUPLES_OK, 5, argv[0], type,
	    argv[4], argv[2], argv[3]);
	if (res == NULL)
		return 1;
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((res = db_exec(&q_grant_insert, PGRES_COMMAND_OK, 2, id,
	    phone)) == NULL)
		return 1;
	PQclear(res);
	if ((res = db_exec(&q_grant_apply, PGRES_TUPLES_OK, 1, phone)) == NULL)
		return 1;
	PQclear(res);
	if (db_commit() == -1)
		return 1;
	printf("%s\n", id);
	return 0;
}

static int
operator_create(const char *login)
{
	char		 email[VALID_MAX], pw[512], hash[SCRYPT_MCF_LEN];
	const char	*err;
	PGresult	*res;

	if ((err = valid_email(login, email, sizeof(email))) != NULL) {
		fprintf(stderr, "parta-admin: %s: not an e-mail\n", login);
		return 1;
	}
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "parta-admin: no password on stdin\n");
		return 1;
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if ((err = valid_password(pw, hash, sizeof(hash))) != NULL) {
		fprintf(stderr, "parta-admin: password: too short\n");
		return 1;
	}
	if (auth_password_hash(pw, hash) == -1) {
		fprintf(stderr, "parta-admin: scrypt failed\n");
		return 1;
	}
	explicit_bzero(pw, sizeof(pw));
	res = db_exec(&q_operator_upsert, PGRES_COMMAND_OK, 2, email, hash);
	if (res == NULL)
		return 1;
	PQclear(res);
	printf("operator %s\n", email);
	return 0;
}

int
main(int argc, char *argv[])
{
	log_init("parta-admin");
	if (config_load() == -1)
		return 1;
	if (argc == 3 && strcmp(argv[1], "operator-create") == 0)
		return operator_create(argv[2]);
	if (argc == 8 && strcmp(argv[1], "org-create") == 0)
		return org_create(argv + 2);
	fprintf(stderr, "usage: parta-admin operator-create LOGIN < password\n"
	    "       parta-admin org-create REGION TYPE INN KPP SHORT_NAME "
	    "ADMIN_PHONE\n");
	return 2;
}
