/*
 * unit: what the unit tests over the stack's database share
 * (tests/unit/unit.c, linked into every unit test).
 */
#ifndef PARTA_UNIT_H
#define PARTA_UNIT_H

/* Whether PARTA_DB names a database: 0, or -1 after saying how to run
 * the tests. */
int	 unit_db_env(void);
/* A case over the database (a cmocka setup's body): PARTA_DB set, the
 * configuration loaded, the log named name, a transaction begun: 0, or
 * -1. */
int	 unit_db_begin(const char *name);
/* A cmocka teardown: the case's transaction rolled back. */
int	 unit_rollback(void **state);

#endif
