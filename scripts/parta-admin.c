/*
 * parta-admin: administration from the command line.
 *   parta-admin operator-create LOGIN   password on standard input
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
	" VALUES ('Оператор', 'Платформы', 'm', '1970-01-01', $1, true, $2, true)"
	" ON CONFLICT (email) WHERE email_verified DO UPDATE SET"
	" password_hash = $2, is_operator = true"
};

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
	fprintf(stderr, "usage: parta-admin operator-create LOGIN "
	    "< password\n");
	return 2;
}
