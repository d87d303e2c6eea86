/*
 * The schema keeps the rules of a database distributed by organization
 * (Citus, issue 24; DESIGN.md "every tenant table keeps org_id in its
 * keys"), read from the catalog so that a migration that breaks one
 * fails here:
 *
 * - every table is placed: distributed by org_id (every table whose
 *   org_id is NOT NULL, and parta.org itself by id), a reference table
 *   (small, replicated to every node), or a table that stays on the
 *   coordinator (the platform's own: accounts' sessions, codes, the
 *   outbox, registration requests before an organization exists);
 * - a distributed table has a primary key, and its distribution column
 *   is in that key, in every unique constraint and in every unique index;
 * - a foreign key from a distributed table to another includes the
 *   distribution column on both sides (the rows are on the same node);
 *   a distributed table may also reference a reference table, never a
 *   coordinator one; a reference table references only reference tables;
 *   nothing but a distributed table references a distributed one.
 *
 * Source: Citus's documentation, "Distributed tables" and "Table
 * management: foreign keys" (the rules for co-located tables and
 * reference tables).
 */
#include <stdio.h>
#include <string.h>

#include "fixture.h"

/*
 * Reference tables: few rows, read by every organization's statements.
 * parta.org is one (tens of thousands of rows for a whole country, and
 * its INN/KPP is unique across all of them); parta.account is one
 * because every tenant table names its people by account id
 * (docs/scale.md says what that costs); parta.file (sql/0040) is one
 * because a person's file is held by several organizations' rows (a
 * message, a material: their foreign keys) and by none (personal
 * storage).
 */
#define REFERENCE_TABLES						\
	"('region'), ('audit_action'), ('privacy_policy'), ('org'),"	\
	" ('account'), ('file')"

/*
 * Tables that stay on the coordinator: a person's own rows, the
 * platform's queues and throttles (parta.file_gone, sql/0050: the
 * stored keys whose file rows are gone, for lib/file to remove), and
 * the rows written before an organization exists or by the operator
 * outside one (parta.audit's org_id may be NULL).
 */
#define COORDINATOR_TABLES						\
	"('session'), ('code'), ('code_limit'), ('throttle'), ('outbox'),"  \
	" ('guardian'), ('parent_link'), ('child_signup'),"		\
	" ('privacy_consent'), ('calendar_key'), ('org_request'),"	\
	" ('audit'), ('file_gone')"

/* Every rule broken, one line each ("" when none). */
#define VIOLATIONS							\
	"WITH ref(name) AS (VALUES " REFERENCE_TABLES "),"		\
	" coord(name) AS (VALUES " COORDINATOR_TABLES "),"		\
	" t AS (SELECT c.oid, c.relname,"				\
	"  CASE WHEN EXISTS (SELECT 1"				\
	"   FROM pg_attribute a WHERE a.attrelid = c.oid"		\
	"   AND a.attname = 'org_id' AND a.attnotnull"			\
	"   AND NOT a.attisdropped) THEN 'distributed'"			\
	"  WHEN c.relname IN (SELECT name FROM ref) THEN 'reference'"	\
	"  WHEN c.relname IN (SELECT name FROM coord) THEN 'coordinator'" \
	"  END AS place,"						\
	"  (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = c.oid" \
	"   AND a.attname = 'org_id') AS dist,"			\
	"  c.relname IN (SELECT name FROM ref UNION ALL"		\
	"   SELECT name FROM coord) AS named"				\
	"  FROM pg_class c WHERE c.relnamespace = 'parta'::regnamespace" \
	"  AND c.relkind IN ('r', 'p')),"				\
	" v(line) AS ("							\
	" SELECT relname || ': not placed (no org_id NOT NULL, not a"	\
	" reference or coordinator table)' FROM t WHERE place IS NULL"	\
	" UNION ALL SELECT relname || ': named reference or coordinator"\
	"  but its org_id is NOT NULL' FROM t"				\
	"  WHERE place = 'distributed' AND named"			\
	" UNION ALL SELECT relname || ': distributed without a primary"	\
	" key' FROM t WHERE place = 'distributed' AND NOT EXISTS"	\
	"  (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid"	\
	"  AND k.contype = 'p')"					\
	" UNION ALL SELECT t.relname || ': unique index ' ||"		\
	"  i.indexrelid::regclass::text || ' lacks the distribution column'"	\
	"  FROM t JOIN pg_index i ON i.indrelid = t.oid"		\
	"  WHERE t.place = 'distributed' AND i.indisunique"		\
	"  AND NOT t.dist = ANY (i.indkey::int2[])"			\
	" UNION ALL SELECT s.relname || ': foreign key ' || k.conname ||" \
	"  ' to ' || d.relname || ' (' || s.place || ' to ' ||"	\
	"  coalesce(d.place, 'unplaced') || ')'"			\
	"  FROM pg_constraint k JOIN t s ON s.oid = k.conrelid"		\
	"  JOIN t d ON d.oid = k.confrelid WHERE k.contype = 'f' AND"	\
	"  CASE s.place"						\
	"  WHEN 'distributed' THEN d.place = 'coordinator' OR"		\
	"   (d.place = 'distributed' AND NOT EXISTS (SELECT 1 FROM"	\
	"   generate_subscripts(k.conkey, 1) j WHERE k.conkey[j] = s.dist" \
	"   AND k.confkey[j] = d.dist))"				\
	"  WHEN 'reference' THEN d.place IS DISTINCT FROM 'reference'"	\
	"  ELSE d.place = 'distributed' END)"				\
	" SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '')"	\
	" FROM v"

static void
schema_keeps_the_rules(void)
{
	const char	*v = t_sql(VIOLATIONS);

	T_TRUE(v != NULL);
	if (*v != '\0')
		T_FAIL("rules broken:\n%s", v);
	/* Not vacuous: the tables are there and placed. */
	T_TRUE(t_ll(t_sql("SELECT count(*) FROM pg_class c"
	    " WHERE c.relnamespace = 'parta'::regnamespace"
	    " AND c.relkind = 'r'")) >= 30);
}

/*
 * The rules bite: tables that break each one, made in a transaction
 * that is rolled back, are each named.
 */
static void
broken_tables_are_named(void)
{
	const char	*v;
	static const char *const want[] = {
		"zz_unplaced: not placed",
		"zz_pk: unique index zz_pk_pkey lacks",
		"zz_unique: unique index zz_unique_key_key lacks",
		"zz_fk: foreign key zz_fk_other_org_chat_id_fkey to chat"
		    " (distributed to distributed)",
		"zz_coord_fk: foreign key zz_coord_fk_request_id_fkey"
		    " to org_request (distributed to coordinator)",
		"zz_nopk: distributed without a primary key",
	};
	size_t		 i;

	v = t_sql("BEGIN;"
	    " CREATE TABLE parta.zz_unplaced (id bigint PRIMARY KEY);"
	    " CREATE TABLE parta.zz_pk (org_id bigint NOT NULL,"
	    "  id bigint PRIMARY KEY);"
	    " CREATE TABLE parta.zz_unique (org_id bigint NOT NULL,"
	    "  id bigint, key text UNIQUE, PRIMARY KEY (org_id, id));"
	    " CREATE TABLE parta.zz_fk (org_id bigint NOT NULL, id bigint,"
	    "  other_org bigint, chat_id bigint, PRIMARY KEY (org_id, id),"
	    "  FOREIGN KEY (other_org, chat_id) REFERENCES parta.chat);"
	    " CREATE TABLE parta.zz_coord_fk (org_id bigint NOT NULL,"
	    "  id bigint, request_id bigint REFERENCES parta.org_request,"
	    "  PRIMARY KEY (org_id, id));"
	    " CREATE TABLE parta.zz_nopk (org_id bigint NOT NULL);"
	    " " VIOLATIONS);
	T_TRUE(v != NULL);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(v, want[i]) == NULL)
			T_FAIL("not named: \"%s\" in:\n%s", want[i], v);
	/* Rolled back: the real schema is as it was. */
	T_STREQ(t_sql("SELECT count(*) FROM pg_class"
	    " WHERE relname LIKE 'zz\\_%%'"), "0");
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "the schema keeps the rules of distribution by"
		    " organization", schema_keeps_the_rules },
		{ "a table breaking a rule is named", broken_tables_are_named },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
