#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "unit.h"

int
unit_db_env(void)
{
	const char	*v = getenv("PARTA_DB");

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "PARTA_DB is not set: run through "
		    "tests/run.sh or set it to the stack's database\n");
		return -1;
	}
	return 0;
}

int
unit_db_begin(const char *name)
{
	if (unit_db_env() == -1 || config_load() == -1)
		return -1;
	log_init(name);
	return db_begin();
}

int
unit_rollback(void **state)
{
	(void)state;
	db_rollback();
	return 0;
}
