/*
 * Row-level security by organization (sql/0030_rls.sql): the programs'
 * role, parta_app, owns nothing; every tenant table (every table with
 * org_id, and the chat tables) has row-level security on and forced with
 * a policy for it; without an account on the connection it sees no
 * tenant row; with one, only its organizations'; and a program built
 * with one organization check taken out (tests/security/NAME.sed) still
 * answers 404 for another organization's object.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "fixture.h"

/*
 * Tenant tables without their policy yet: none.  A table named here is a
 * known gap the catalog test lets pass; a new table with org_id that is
 * neither protected nor named here fails it.
 */
static const char *const known_gaps[] = { NULL };

/* The tenant tables: those with org_id or chat_id, and parta.chat. */
#define TENANT_TABLES							\
	"SELECT c.oid, c.relname FROM pg_class c"			\
	" WHERE c.relnamespace = 'parta'::regnamespace"			\
	" AND c.relkind IN ('r', 'p') AND (c.relname = 'chat'"		\
	" OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid" \
	"  AND a.attname IN ('org_id', 'chat_id') AND NOT a.attisdropped))"

static const char *
root(void)
{
	const char	*r = getenv("PARTA_ROOT");

	return r != NULL ? r : ".";
}

/* A connection as the programs' role (PARTA_DB, user parta_app). */
static PGconn *
app_connect(void)
{
	char	 conninfo[1024];
	PGconn	*conn;

	snprintf(conninfo, sizeof(conninfo), "%s user=parta_app",
	    getenv("PARTA_DB"));
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		T_FAIL("connect as parta_app: %s", PQerrorMessage(conn));
	return conn;
}

/* The first value of sql run as parta_app (a static copy), or NULL with
 * the error into err (when given) if it failed. */
static const char *
app_sql(PGconn *conn, char *err, size_t errsz, const char *fmt, ...)
{
	static char	 out[4096];
	char		 sql[4096];
	va_list		 ap;
	PGresult	*res;
	const char	*v = NULL;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	res = PQexec(conn, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0) {
		snprintf(out, sizeof(out), "%s", PQgetvalue(res, 0, 0));
		v = out;
	} else if (PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK) {
		out[0] = '\0';
		v = out;
	} else if (err != NULL)
		snprintf(err, errsz, "%s", PQresultErrorMessage(res));
	PQclear(res);
	return v;
}

/* Like app_sql, a failure fails the test. */
#define APP(conn, ...) app_ok((conn), app_sql((conn), NULL, 0, __VA_ARGS__))
static const char *
app_ok(PGconn *conn, const char *v)
{
	if (v == NULL)
		T_FAIL("as parta_app: %s", PQerrorMessage(conn));
	return v;
}

static int
known_gap(const char *table)
{
	size_t	 i;

	for (i = 0; known_gaps[i] != NULL; i++)
		if (strcmp(known_gaps[i], table) == 0)
			return 1;
	return 0;
}

/*
 * Every tenant table: row-level security enabled and forced, a policy
 * for parta_app.  Read from the catalog, so a new table with org_id and
 * no policy fails here.
 */
static void
every_tenant_table_forced(void)
{
	const char	*bad, *n;
	char		 list[4096], *t, *save;

	n = t_sql("SELECT count(*) FROM (" TENANT_TABLES ") t");
	T_TRUE(t_ll(n) >= 16);
	bad = t_sql("SELECT coalesce(string_agg(t.relname, ' '"
	    " ORDER BY t.relname), '') FROM (" TENANT_TABLES ") t"
	    " JOIN pg_class c ON c.oid = t.oid"
	    " WHERE NOT c.relrowsecurity OR NOT c.relforcerowsecurity"
	    " OR NOT EXISTS (SELECT 1 FROM pg_policy p"
	    "  WHERE p.polrelid = t.oid AND p.polpermissive"
	    "  AND (SELECT oid FROM pg_roles WHERE rolname = 'parta_app')"
	    "   = ANY (p.polroles))");
	snprintf(list, sizeof(list), "%s", bad);
	for (t = strtok_r(list, " ", &save); t != NULL;
	    t = strtok_r(NULL, " ", &save))
		if (!known_gap(t))
			T_FAIL("parta.%s: no forced row-level security with a"
			    " policy for parta_app", t);
	/* A table named a gap that has its policy now: take it out. */
	for (size_t i = 0; known_gaps[i] != NULL; i++)
		if (strstr(t_fmt(" %s ", bad), t_fmt(" %s ", known_gaps[i]))
		    == NULL)
			T_FAIL("parta.%s is protected: not a known gap",
			    known_gaps[i]);
	/* A view reads as the role that asks, under its policies (as
	 * its owner, it would see every row). */
	T_STREQ(t_sql("SELECT coalesce(string_agg(c.relname, ' '), '')"
	    " FROM pg_class c WHERE c.relnamespace = 'parta'::regnamespace"
	    " AND c.relkind IN ('v', 'm') AND NOT coalesce("
	    "  'security_invoker=true' = ANY (c.reloptions), false)"), "");
	/* The policy for parta_app is the only way in for it: no other
	 * policy names it or PUBLIC. */
	T_STREQ(t_sql("SELECT count(*) FROM pg_policy p"
	    " JOIN (" TENANT_TABLES ") t ON t.oid = p.polrelid"
	    " WHERE 0 = ANY (p.polroles)"), "0");
	/* The operator's role has a policy on each (sql/0072), and the
	 * operator is that role, not an arm of parta_app's policies. */
	T_STREQ(t_sql("SELECT coalesce(string_agg(t.relname, ' '), '')"
	    " FROM (" TENANT_TABLES ") t WHERE NOT EXISTS (SELECT 1"
	    "  FROM pg_policy p WHERE p.polrelid = t.oid AND p.polpermissive"
	    "  AND 'parta_operator'::regrole = ANY (p.polroles))"), "");
	T_STREQ(t_sql("SELECT coalesce(string_agg(polrelid::regclass::text,"
	    " ' '), '') FROM pg_policy p WHERE 'parta_app'::regrole"
	    " = ANY (p.polroles) AND (pg_get_expr(p.polqual, p.polrelid)"
	    "  || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), ''))"
	    "  ~ 'rls_operator|parta\\.operator'"), "");
}

/* The privileges of each object of the schema that role a has and role b
 * has not, or b has and a has not: "table:PRIVILEGE" words. */
#define PRIVILEGES_DIFFER(a, b)						\
	"SELECT coalesce(string_agg(d.x, ' ' ORDER BY d.x), '') FROM ("	\
	" SELECT c.relname || ':' || p AS x FROM pg_class c, unnest(ARRAY[" \
	"  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES'," \
	"  'TRIGGER']) p WHERE c.relnamespace = 'parta'::regnamespace"	\
	"  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"			\
	"  AND has_table_privilege('" a "', c.oid, p)"			\
	"   <> has_table_privilege('" b "', c.oid, p)"			\
	" UNION ALL SELECT c.relname || '.' || t.attname || ':' || p"	\
	"  FROM pg_class c JOIN pg_attribute t ON t.attrelid = c.oid"	\
	"  AND t.attnum > 0 AND NOT t.attisdropped, unnest(ARRAY['SELECT'," \
	"  'INSERT', 'UPDATE', 'REFERENCES']) p"				\
	"  WHERE c.relnamespace = 'parta'::regnamespace"		\
	"  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"			\
	"  AND has_column_privilege('" a "', c.oid, t.attnum, p)"	\
	"   <> has_column_privilege('" b "', c.oid, t.attnum, p)"	\
	" UNION ALL SELECT c.relname || ':' || p FROM pg_class c,"	\
	"  unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p"		\
	"  WHERE c.relnamespace = 'parta'::regnamespace AND c.relkind = 'S'" \
	"  AND has_sequence_privilege('" a "', c.oid, p)"		\
	"   <> has_sequence_privilege('" b "', c.oid, p)"		\
	" UNION ALL SELECT f.oid::regprocedure::text || ':EXECUTE'"	\
	"  FROM pg_proc f WHERE f.pronamespace = 'parta'::regnamespace"	\
	"  AND has_function_privilege('" a "', f.oid, 'EXECUTE')"	\
	"   <> has_function_privilege('" b "', f.oid, 'EXECUTE')"	\
	" UNION ALL SELECT 'parta:' || p FROM unnest(ARRAY['USAGE',"	\
	"  'CREATE']) p WHERE has_schema_privilege('" a "', 'parta', p)" \
	"  <> has_schema_privilege('" b "', 'parta', p)) d"

static PGconn	*owner_connect(void);
static void	 owner_exec(PGconn *, const char *);

/*
 * The operator's role (sql/0072_rls_operator_role.sql): no login, owns
 * nothing, bypasses nothing; parta_app may take it and does not inherit
 * it (its policy admits every row); it may do on every object exactly
 * what parta_app may, so an operator's request fails or succeeds where
 * anyone's would, the policies aside.  Only a role that may take it gets
 * it from parta.rls_role (the owner keeps its own).
 */
static void
operator_role(void)
{
	PGconn		*conn;
	PGresult	*res;

	T_STREQ(t_sql("SELECT rolcanlogin OR rolsuper OR rolbypassrls"
	    " OR rolcreaterole OR rolcreatedb OR rolreplication"
	    " FROM pg_roles WHERE rolname = 'parta_operator'"), "f");
	T_STREQ(t_sql("SELECT NOT rolinherit AND pg_has_role('parta_app',"
	    " 'parta_operator', 'MEMBER') AND NOT pg_has_role('parta_app',"
	    " 'parta_operator', 'USAGE') FROM pg_roles"
	    " WHERE rolname = 'parta_app'"), "t");
	T_STREQ(t_sql("SELECT (SELECT count(*) FROM pg_class"
	    "  WHERE relowner = 'parta_operator'::regrole)"
	    " + (SELECT count(*) FROM pg_proc"
	    "  WHERE proowner = 'parta_operator'::regrole)"), "0");
	T_STREQ(t_sql(PRIVILEGES_DIFFER("parta_app", "parta_operator")), "");
	/* The comparison sees a grant to one of them only. */
	conn = owner_connect();
	owner_exec(conn, "BEGIN");
	owner_exec(conn, "GRANT TRUNCATE ON parta.invite TO parta_app");
	owner_exec(conn, "GRANT UPDATE (rls_orgs) ON parta.account"
	    " TO parta_operator");
	res = PQexec(conn, PRIVILEGES_DIFFER("parta_app", "parta_operator"));
	T_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
	T_STREQ(PQgetvalue(res, 0, 0),
	    "account.rls_orgs:UPDATE invite:TRUNCATE");
	PQclear(res);
	owner_exec(conn, "ROLLBACK");
	/* The owner may not take it: its own role. */
	res = PQexec(conn, "SELECT parta.rls_role(true), parta.rls_role(false)");
	T_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
	T_STREQ(PQgetvalue(res, 0, 0), "none");
	T_STREQ(PQgetvalue(res, 0, 1), "none");
	PQclear(res);
	PQfinish(conn);
	conn = app_connect();
	T_STREQ(APP(conn, "SELECT parta.rls_role(true)"), "parta_operator");
	T_STREQ(APP(conn, "SELECT parta.rls_role(false)"), "none");
	T_STREQ(APP(conn, "SELECT parta.rls_role(NULL)"), "none");
	PQfinish(conn);
}

/* parta_app owns nothing and may change no structure. */
static void
app_role_owns_nothing(void)
{
	PGconn	*conn;
	char	 err[512];

	T_STREQ(t_sql("SELECT rolsuper OR rolbypassrls OR rolcreaterole"
	    " OR rolcreatedb OR rolreplication FROM pg_roles"
	    " WHERE rolname = 'parta_app'"), "f");
	T_STREQ(t_sql("SELECT (SELECT count(*) FROM pg_class"
	    "  WHERE relowner = 'parta_app'::regrole)"
	    " + (SELECT count(*) FROM pg_proc"
	    "  WHERE proowner = 'parta_app'::regrole)"
	    " + (SELECT count(*) FROM pg_namespace"
	    "  WHERE nspowner = 'parta_app'::regrole)"
	    " + (SELECT count(*) FROM pg_type"
	    "  WHERE typowner = 'parta_app'::regrole)"), "0");
	T_STREQ(t_sql("SELECT has_schema_privilege('parta_app', 'parta',"
	    " 'CREATE') OR has_schema_privilege('parta_app', 'public',"
	    " 'CREATE') OR has_database_privilege('parta_app',"
	    " current_database(), 'CREATE, TEMPORARY')"), "f");
	T_STREQ(t_sql("SELECT count(*) FROM pg_class c"
	    " WHERE c.relnamespace = 'parta'::regnamespace"
	    " AND c.relkind IN ('r', 'p') AND has_table_privilege('parta_app',"
	    " c.oid, 'TRUNCATE, REFERENCES, TRIGGER')"), "0");
	/* And the database says no when it tries. */
	conn = app_connect();
	T_TRUE(app_sql(conn, err, sizeof(err),
	    "CREATE TABLE parta.rls_probe (x int)") == NULL);
	T_TRUE(strstr(err, "permission denied") != NULL);
	T_TRUE(app_sql(conn, err, sizeof(err),
	    "TRUNCATE parta.member") == NULL);
	T_TRUE(strstr(err, "permission denied") != NULL);
	T_TRUE(app_sql(conn, err, sizeof(err),
	    "ALTER TABLE parta.member DISABLE ROW LEVEL SECURITY") == NULL);
	T_TRUE(strstr(err, "must be owner") != NULL);
	T_TRUE(app_sql(conn, err, sizeof(err),
	    "CREATE TEMPORARY TABLE rls_probe (x int)") == NULL);
	T_TRUE(strstr(err, "permission denied") != NULL);
	PQfinish(conn);
}

/*
 * The rules that must see every row run as the owner: every trigger
 * function, and each SECURITY DEFINER function sets its search_path.
 */
static void
definer_functions(void)
{
	T_STREQ(t_sql("SELECT coalesce(string_agg(p.proname, ' '), '')"
	    " FROM pg_proc p WHERE p.pronamespace = 'parta'::regnamespace"
	    " AND p.prorettype = 'trigger'::regtype AND NOT p.prosecdef"), "");
	T_STREQ(t_sql("SELECT coalesce(string_agg(p.proname, ' '), '')"
	    " FROM pg_proc p WHERE p.pronamespace = 'parta'::regnamespace"
	    " AND p.prosecdef AND NOT EXISTS (SELECT 1"
	    "  FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%%')"),
	    "");
	T_STREQ(t_sql("SELECT coalesce(string_agg(p.proname, ' '), '')"
	    " FROM pg_proc p WHERE p.pronamespace = 'parta'::regnamespace"
	    " AND p.prosecdef AND p.proowner <> (SELECT relowner FROM pg_class"
	    "  WHERE oid = 'parta.member'::regclass)"), "");
}

/* Two schools with an administrator, a class and a link each. */
struct two {
	struct t_person	 a, b;
	long long	 org_a, org_b, cls_a, cls_b, inv_a, inv_b;
};

static void
two_schools(struct two *s)
{
	char	 token[44];

	t_signup(&s->a, "Арлесова", "Анна");
	s->org_a = t_org_create(&s->a, "Школа РЛС А");
	t_signup(&s->b, "Брлесов", "Борис");
	s->org_b = t_org_create(&s->b, "Школа РЛС Б");
	s->cls_a = t_class_add(s->org_a, 5, "А", 0);
	s->cls_b = t_class_add(s->org_b, 5, "Б", 0);
	t_token_new(token);
	s->inv_a = t_invite_add(s->org_a, s->a.id, "student", s->cls_a, 5,
	    token);
	t_token_new(token);
	s->inv_b = t_invite_add(s->org_b, s->b.id, "student", s->cls_b, 5,
	    token);
	/* A request of a's loads its session: its settings now. */
	T_EQ(t_get(&s->a.c, t_fmt("/org/%lld", s->org_a)), 200);
}

/* A class of org %lld (twice) as create-class makes one: its id. */
#define CLASS_INSERT							\
	"INSERT INTO parta.class (org_id, kind, grade, letter, year, color)" \
	" VALUES (%lld, 'class', 6, 'В', parta.org_year(%lld), '#2453d6')" \
	" RETURNING id"

/* Set the connection's account as lib/auth does for account: its
 * organizations and chats as kept on its row, and for the operator the
 * operator's role. */
static void
app_as(PGconn *conn, long long account, int operator)
{
	APP(conn, "SELECT set_config('parta.account', a.id::text, false),"
	    " set_config('parta.orgs', a.rls_orgs::text, false),"
	    " set_config('parta.chats', a.rls_chats::text, false),"
	    " set_config('parta.operator', '%s', false),"
	    " set_config('role', parta.rls_role(%s), false)"
	    " FROM parta.account a WHERE a.id = %lld",
	    operator ? "t" : "", operator ? "true" : "false", account);
}

/* Cleared as lib/db clears a connection before a request without a
 * session. */
static void
app_clear(PGconn *conn)
{
	APP(conn, "SELECT set_config('parta.account', '', false),"
	    " set_config('parta.orgs', '', false),"
	    " set_config('parta.chats', '', false),"
	    " set_config('parta.operator', '', false),"
	    " set_config('role', 'none', false)");
}

/*
 * As parta_app: no account, no tenant row in any tenant table (the
 * owner sees rows in them); an account sees its organization's rows and
 * none of another's; the operator all.
 */
static void
no_account_no_rows(void)
{
	struct two	 s;
	PGconn		*conn;
	PGresult	*res;
	const char	*t;
	char		 err[512];
	int		 i, seen = 0;

	two_schools(&s);
	conn = app_connect();
	res = PQexec(conn, TENANT_TABLES);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		T_FAIL("%s", PQerrorMessage(conn));
	T_TRUE(PQntuples(res) >= 16);
	for (i = 0; i < PQntuples(res); i++) {
		t = PQgetvalue(res, i, 1);
		if (strcmp(APP(conn, "SELECT count(*) FROM parta.%s", t),
		    "0") != 0)
			T_FAIL("parta.%s: parta_app sees %s rows without an"
			    " account", t, APP(conn, "SELECT count(*) FROM"
			    " parta.%s", t));
		if (strcmp(t_sql("SELECT count(*) > 0 FROM parta.%s", t),
		    "t") == 0)
			seen++;
	}
	PQclear(res);
	/* The owner does see rows in most of them. */
	T_TRUE(seen >= 6);
	/* Nor through the audit's reader, a view. */
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.audit_event"), "0");
	T_STREQ(t_sql("SELECT count(*) > 0 FROM parta.audit_event"), "t");
	/* Nor can it write one. */
	T_TRUE(app_sql(conn, err, sizeof(err), CLASS_INSERT, s.org_a,
	    s.org_a) == NULL);
	T_TRUE(strstr(err, "row-level security") != NULL);
	T_STREQ(APP(conn, "UPDATE parta.invite SET label = 'x' WHERE"
	    " org_id = %lld RETURNING id", s.org_b), "");

	/* Administrator a: school A's rows, none of school B's. */
	app_as(conn, s.a.id, 0);
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.class WHERE id = %lld",
	    s.cls_a), "1");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.class"
	    " WHERE org_id = %lld", s.org_b), "0");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.invite WHERE id IN"
	    " (%lld, %lld)", s.inv_a, s.inv_b), "1");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.member"
	    " WHERE org_id = %lld", s.org_b), "0");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.chat"
	    " WHERE org_id = %lld", s.org_b), "0");
	T_STREQ(APP(conn, "UPDATE parta.invite SET label = 'x' WHERE"
	    " id = %lld RETURNING id", s.inv_b), "");
	/* Writing into school B is refused (the policy's check); into A
	 * it is not. */
	T_TRUE(app_sql(conn, err, sizeof(err), CLASS_INSERT, s.org_b,
	    s.org_b) == NULL);
	T_TRUE(strstr(err, "row-level security") != NULL);
	T_TRUE(t_ll(APP(conn, CLASS_INSERT, s.org_a, s.org_a)) > 0);

	/* The operator: both, as the operator's role. */
	app_as(conn, t_ll(t_sql("SELECT id FROM parta.account"
	    " WHERE is_operator ORDER BY id LIMIT 1")), 1);
	T_STREQ(APP(conn, "SELECT current_user"), "parta_operator");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.invite WHERE id IN"
	    " (%lld, %lld)", s.inv_a, s.inv_b), "2");

	/* Cleared as a request without a session does: nothing again,
	 * as the programs' role. */
	app_clear(conn);
	T_STREQ(APP(conn, "SELECT current_user"), "parta_app");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.invite WHERE id IN"
	    " (%lld, %lld)", s.inv_a, s.inv_b), "0");
	/* The operator's setting alone, without the role, admits nothing:
	 * no policy of parta_app's reads it. */
	APP(conn, "SELECT set_config('parta.operator', 't', false)");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.invite WHERE id IN"
	    " (%lld, %lld)", s.inv_a, s.inv_b), "0");
	/* Nor the role for someone who is not the operator. */
	app_as(conn, s.a.id, 0);
	T_STREQ(APP(conn, "SELECT current_user"), "parta_app");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.invite WHERE id IN"
	    " (%lld, %lld)", s.inv_a, s.inv_b), "1");
	PQfinish(conn);
	t_client_free(&s.a.c);
	t_client_free(&s.b.c);
}

/*
 * The home's checklist runs as the owner (sql/0070_checklist_owner.sql),
 * so its door is the whole of its safety: the request's own account's
 * lists, and PA403 for another account's, or with no account.  Its rows
 * read under the policies (checklist_rows as parta_app) are the same for
 * one's own account: the owner adds no row the policies would not give.
 */
static void
checklist_own_account_only(void)
{
	struct two	 s;
	PGconn		*conn;
	char		 err[512];
	const char	*own, *rows;

	two_schools(&s);
	conn = app_connect();
	app_as(conn, s.a.id, 0);
	own = t_fmt("%s", APP(conn, "SELECT string_agg(step || ':' || done,"
	    " ' ' ORDER BY ord) FROM parta.checklist(%lld, NULL)", s.a.id));
	T_TRUE(strstr(own, "profile:") != NULL);
	rows = APP(conn, "SELECT string_agg(step || ':' || done, ' '"
	    " ORDER BY ord) FROM parta.checklist_rows(%lld, NULL)", s.a.id);
	T_STREQ(rows, own);
	/* Another account's: refused, not empty. */
	T_TRUE(app_sql(conn, err, sizeof(err), "SELECT count(*)"
	    " FROM parta.checklist(%lld, NULL)", s.b.id) == NULL);
	T_TRUE(strstr(err, "not the request's account") != NULL);
	T_TRUE(app_sql(conn, err, sizeof(err), "SELECT count(*)"
	    " FROM parta.checklist(%lld, %lld)", s.b.id, s.org_b) == NULL);
	T_TRUE(strstr(err, "not the request's account") != NULL);
	/* Under the policies, b's rows are not a's to read. */
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.checklist_rows(%lld,"
	    " %lld)", s.b.id, s.org_b), "0");
	/* One's own list in another school: nothing. */
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.checklist(%lld, %lld)",
	    s.a.id, s.org_b), "0");
	/* No account (a visitor's home, asked with the session's lookup):
	 * no rows and no error, as under the policies; someone's list
	 * without an account: refused. */
	APP(conn, "SELECT set_config('parta.account', '', false)");
	T_STREQ(APP(conn, "SELECT count(*) FROM parta.checklist("
	    "parta.rls_account(), NULL)"), "0");
	T_TRUE(app_sql(conn, err, sizeof(err), "SELECT count(*)"
	    " FROM parta.checklist(%lld, NULL)", s.a.id) == NULL);
	T_TRUE(strstr(err, "not the request's account") != NULL);
	PQfinish(conn);
	t_client_free(&s.a.c);
	t_client_free(&s.b.c);
}

/*
 * Run build/PATH as CGI for a GET of uri with cookie, as db (a conninfo):
 * the status line's code, or -1.
 */
static int
cgi_status(const char *path, const char *db, const char *uri,
    const char *cookie)
{
	char	 cmd[4096], line[256];
	FILE	*f;
	int	 status = -1;

	snprintf(cmd, sizeof(cmd), "env -i PATH=/usr/bin:/bin "
	    "PARTA_DB='%s' PARTA_TEMPLATES='%s/html/templates' "
	    "PARTA_OUTBOX_DIR='%s/var/outbox' GATEWAY_INTERFACE=CGI/1.1 "
	    "PARTA_BASE_URL=https://parta.test SERVER_PROTOCOL=HTTP/1.1 "
	    "PARTA_SECRET=rls-test-secret-not-for-links-0123456789 "
	    "REMOTE_ADDR=127.0.0.1 REQUEST_METHOD=GET SCRIPT_NAME='%s' "
	    "HTTP_COOKIE='parta_session=%s' '%s/build/%s' </dev/null",
	    db, root(), root(), uri, cookie, root(), path);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) != NULL &&
	    strncmp(line, "Status: ", 8) == 0)
		status = atoi(line + 8);
	while (fgets(line, sizeof(line), f) != NULL)
		;
	pclose(f);
	return status;
}

/*
 * A program with its organization check taken out (invite's link
 * lookup: tests/security/invite-unscoped.sed) still answers 404 for
 * another organization's link, because the database does not give the
 * row to parta_app.  The same program connected as the owner shows it:
 * the patch did take the check out.
 */
static void
unscoped_program_still_404(void)
{
	struct two	 s;
	char		 app_db[1024];
	const char	*cookie, *own, *other;

	two_schools(&s);
	cookie = t_fmt("%s", t_cookie(&s.a.c, "parta_session"));
	T_TRUE(cookie[0] != '\0');
	snprintf(app_db, sizeof(app_db), "%s user=parta_app",
	    getenv("PARTA_DB"));
	own = t_fmt("/org/%lld/invites/%lld", s.org_a, s.inv_a);
	other = t_fmt("/org/%lld/invites/%lld", s.org_a, s.inv_b);
	/* The real program: its own link 200, the other's 404. */
	T_EQ(cgi_status("cgi-bin/invite", app_db, own, cookie), 200);
	T_EQ(cgi_status("cgi-bin/invite", app_db, other, cookie), 404);
	/* Without the check, as parta_app: still 404. */
	T_EQ(cgi_status("tests/security/invite-unscoped", app_db, own,
	    cookie), 200);
	T_EQ(cgi_status("tests/security/invite-unscoped", app_db, other,
	    cookie), 404);
	/* Without the check, as the owner: the other school's link. */
	T_EQ(cgi_status("tests/security/invite-unscoped", getenv("PARTA_DB"),
	    other, cookie), 200);
	t_client_free(&s.a.c);
	t_client_free(&s.b.c);
}

/* An owner's connection (PARTA_DB), for a transaction of its own. */
static PGconn *
owner_connect(void)
{
	PGconn	*conn = PQconnectdb(getenv("PARTA_DB"));

	if (PQstatus(conn) != CONNECTION_OK)
		T_FAIL("connect: %s", PQerrorMessage(conn));
	return conn;
}

static void
owner_exec(PGconn *conn, const char *sql)
{
	PGresult	*res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		T_FAIL("%s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
}

/* sql1 sent on c1 and sql2 on c2, both before either is waited for,
 * then each read to its end: how many of them succeeded. */
static int
owner_both(PGconn *c1, const char *sql1, PGconn *c2, const char *sql2)
{
	PGconn		*conn[2] = { c1, c2 };
	const char	*sql[2] = { sql1, sql2 };
	PGresult	*res;
	int		 i, ok = 0;

	for (i = 0; i < 2; i++)
		if (!PQsendQuery(conn[i], sql[i]))
			T_FAIL("send: %s", PQerrorMessage(conn[i]));
	for (i = 0; i < 2; i++)
		while ((res = PQgetResult(conn[i])) != NULL) {
			ok += PQresultStatus(res) == PGRES_COMMAND_OK;
			PQclear(res);
		}
	return ok;
}

/* The account's kept organizations, as text. */
static const char *
kept_orgs(long long account)
{
	return t_sql("SELECT rls_orgs::text FROM parta.account WHERE id = %lld",
	    account);
}

/*
 * The account's organizations and chats, kept on its row for the session
 * lookup (sql/0031_rls_speed.sql), follow every change at once, also two
 * at the same time: the second waits for the first and reads what it
 * committed (a sync that read before waiting would lose the first).  The
 * programs may not write them.
 */
static void
scope_kept_on_the_account(void)
{
	struct two	 s;
	struct t_person	 kid, kid2, parent;
	long long	 x, y, p, chat_a, chat_b;
	PGconn		*c1, *c2, *app;
	PGresult	*res;
	char		 err[512];
	const char	*want;
	int		 i;

	two_schools(&s);
	t_signup(&kid, "Скоупов", "Саша");
	t_signup(&kid2, "Скоупова", "Соня");
	t_signup(&parent, "Скоупова", "Серафима");
	x = t_account_id(&kid);
	y = t_account_id(&kid2);
	p = t_account_id(&parent);
	T_STREQ(kept_orgs(x), "{}");

	/* Two schools take the same child. */
	t_sql("INSERT INTO parta.member (org_id, account_id, role)"
	    " VALUES (%lld, %lld, 'student'), (%lld, %lld, 'student')",
	    s.org_a, x, s.org_b, x);
	want = t_fmt("{%lld,%lld}", s.org_a < s.org_b ? s.org_a : s.org_b,
	    s.org_a < s.org_b ? s.org_b : s.org_a);
	T_STREQ(kept_orgs(x), want);

	chat_a = t_ll(t_sql("SELECT max(id) FROM parta.chat WHERE org_id = %lld",
	    s.org_a));
	chat_b = t_ll(t_sql("SELECT max(id) FROM parta.chat WHERE org_id = %lld",
	    s.org_b));
	T_TRUE(chat_a > 0 && chat_b > 0);

	/* Two transactions seat the same two people in opposite orders,
	 * one statement each: neither waits for the other before its
	 * commit, which locks both in id order (0031 locked at each
	 * statement's end: each held one and waited for the other, a
	 * deadlock). */
	t_sql("INSERT INTO parta.member (org_id, account_id, role)"
	    " VALUES (%lld, %lld, 'student'), (%lld, %lld, 'student')",
	    s.org_a, y, s.org_b, y);
	t_sql("DELETE FROM parta.chat_member WHERE account_id IN (%lld, %lld)",
	    x, y);
	c1 = owner_connect();
	c2 = owner_connect();
	owner_exec(c1, "BEGIN");
	owner_exec(c2, "BEGIN");
	owner_exec(c1, t_fmt("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %lld, %lld)", s.org_a, chat_a, x));
	owner_exec(c2, t_fmt("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %lld, %lld)", s.org_b, chat_b, y));
	T_EQ(owner_both(c1, t_fmt("INSERT INTO parta.chat_member (org_id,"
	    " chat_id, account_id) VALUES (%lld, %lld, %lld)", s.org_a, chat_a,
	    y), c2, t_fmt("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %lld, %lld)", s.org_b, chat_b, x)), 2);
	T_EQ(owner_both(c1, "COMMIT", c2, "COMMIT"), 2);
	PQfinish(c1);
	PQfinish(c2);
	T_STREQ(t_sql("SELECT rls_chats::text FROM parta.account"
	    " WHERE id = %lld", x), t_fmt("{%lld,%lld}", chat_a < chat_b ?
	    chat_a : chat_b, chat_a < chat_b ? chat_b : chat_a));
	T_STREQ(t_sql("SELECT rls_chats::text FROM parta.account"
	    " WHERE id = %lld", y), t_fmt("{%lld,%lld}", chat_a < chat_b ?
	    chat_a : chat_b, chat_a < chat_b ? chat_b : chat_a));

	/* Two chats seat the child at once: the second's commit waits for
	 * the first's lock of the account (taken at commit, here at once by
	 * SET CONSTRAINTS) and reads what it committed. */
	t_sql("DELETE FROM parta.chat_member WHERE account_id = %lld", x);
	T_STREQ(t_sql("SELECT rls_chats::text FROM parta.account"
	    " WHERE id = %lld", x), "{}");
	c1 = owner_connect();
	c2 = owner_connect();
	owner_exec(c1, "BEGIN");
	owner_exec(c1, t_fmt("INSERT INTO parta.chat_member (org_id, chat_id,"
	    " account_id) VALUES (%lld, %lld, %lld)", s.org_a, chat_a, x));
	owner_exec(c1, "SET CONSTRAINTS ALL IMMEDIATE");
	owner_exec(c2, "BEGIN");
	owner_exec(c2, t_fmt("INSERT INTO parta.chat_member (org_id,"
	    " chat_id, account_id) VALUES (%lld, %lld, %lld)", s.org_b,
	    chat_b, x));
	if (!PQsendQuery(c2, "COMMIT"))
		T_FAIL("send: %s", PQerrorMessage(c2));
	for (i = 0; i < 100 && strcmp(t_sql("SELECT count(*) > 0"
	    " FROM pg_locks WHERE NOT granted AND pid = %d",
	    PQbackendPID(c2)), "t") != 0; i++)
		usleep(50 * 1000);
	T_TRUE(i < 100);
	owner_exec(c1, "COMMIT");
	while ((res = PQgetResult(c2)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			T_FAIL("commit: %s", PQerrorMessage(c2));
		PQclear(res);
	}
	PQfinish(c1);
	PQfinish(c2);
	T_STREQ(t_sql("SELECT rls_chats::text FROM parta.account"
	    " WHERE id = %lld", x), t_fmt("{%lld,%lld}", chat_a < chat_b ?
	    chat_a : chat_b, chat_a < chat_b ? chat_b : chat_a));

	/* A guardian sees the child's schools; the child leaves one. */
	t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%lld, %lld)", p, x);
	T_STREQ(kept_orgs(p), want);
	t_sql("DELETE FROM parta.member WHERE org_id = %lld"
	    " AND account_id = %lld", s.org_b, x);
	T_STREQ(kept_orgs(x), t_fmt("{%lld}", s.org_a));
	T_STREQ(kept_orgs(p), t_fmt("{%lld}", s.org_a));
	t_sql("DELETE FROM parta.guardian WHERE parent_id = %lld", p);
	T_STREQ(kept_orgs(p), "{}");
	/* Everyone's kept scope is what the rule computes. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.account a"
	    " WHERE a.rls_orgs <> parta.rls_orgs_of(a.id)"
	    " OR a.rls_chats <> parta.rls_chats_of(a.id)"), "0");

	/* The programs write every other column, never these. */
	T_STREQ(t_sql("SELECT coalesce(string_agg(a.attname, ' '), '')"
	    " FROM pg_attribute a WHERE a.attrelid = 'parta.account'::regclass"
	    " AND a.attnum > 0 AND NOT a.attisdropped"
	    " AND (a.attname IN ('rls_orgs', 'rls_chats')) ="
	    "  (has_column_privilege('parta_app', a.attrelid, a.attnum,"
	    "   'UPDATE') OR has_column_privilege('parta_app', a.attrelid,"
	    "   a.attnum, 'INSERT'))"), "");
	app = app_connect();
	T_TRUE(app_sql(app, err, sizeof(err), "UPDATE parta.account"
	    " SET rls_orgs = '{%lld}' WHERE id = %lld", s.org_b, x) == NULL);
	T_TRUE(strstr(err, "permission denied") != NULL);
	PQfinish(app);
	T_STREQ(kept_orgs(x), t_fmt("{%lld}", s.org_a));
	t_client_free(&kid.c);
	t_client_free(&kid2.c);
	t_client_free(&parent.c);
	t_client_free(&s.a.c);
	t_client_free(&s.b.c);
}

/*
 * The scalar SQL functions of schema parta whose body reads a table, a
 * view or a set-returning function of the schema, after the statements
 * extra (run first, in the same transaction, rolled back): their names,
 * space-separated.  PostgreSQL itself parses each body, so a FROM inside
 * extract(), substring(), trim() or overlay() is no table: every such
 * function is copied into pg_temp, with its name and arguments, as a
 * BEGIN ATOMIC function, whose dependencies the catalog records
 * (pg_depend); a body that cannot be copied so counts as reading.
 */
static const char *
table_readers(const char *extra)
{
	return t_sql("BEGIN; %s;"
	    "DO $probe$ DECLARE f record; BEGIN"
	    " FOR f IN SELECT p.proname, p.prosrc,"
	    "  pg_get_function_arguments(p.oid) AS args,"
	    "  pg_get_function_result(p.oid) AS result"
	    "  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
	    "  WHERE p.pronamespace = 'parta'::regnamespace"
	    "  AND l.lanname = 'sql' AND NOT p.proretset AND p.prokind = 'f'"
	    "  AND p.prorettype <> 'void'::regtype"
	    " LOOP"
	    "  BEGIN"
	    "   EXECUTE format('CREATE FUNCTION pg_temp.%%I(%%s) RETURNS %%s"
	    " LANGUAGE sql BEGIN ATOMIC %%s END', f.proname, f.args, f.result,"
	    "    regexp_replace(f.prosrc, ';?\\s*$', ';'));"
	    "  EXCEPTION WHEN others THEN"
	    "   EXECUTE format('CREATE FUNCTION pg_temp.%%I(%%s) RETURNS %%s"
	    " LANGUAGE sql BEGIN ATOMIC SELECT NULL FROM parta.org LIMIT 0;"
	    " END', f.proname, f.args, f.result);"
	    "  END;"
	    " END LOOP; END $probe$;"
	    "SELECT coalesce(string_agg(DISTINCT p.proname, ' '"
	    "  ORDER BY p.proname), '')"
	    " FROM pg_proc p JOIN pg_depend d"
	    "  ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid"
	    " WHERE p.pronamespace = pg_my_temp_schema()"
	    " AND (d.refclassid = 'pg_class'::regclass AND EXISTS (SELECT 1"
	    "  FROM pg_class c WHERE c.oid = d.refobjid"
	    "  AND c.relnamespace = 'parta'::regnamespace"
	    "  AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))"
	    " OR d.refclassid = 'pg_proc'::regclass AND EXISTS (SELECT 1"
	    "  FROM pg_proc s WHERE s.oid = d.refobjid AND s.proretset"
	    "  AND s.pronamespace = 'parta'::regnamespace))", extra);
}

/*
 * No scalar SQL function reads a table: such a function is not inlined,
 * so it is parsed and planned again on every call, policies and all; in
 * PL/pgSQL its plan is kept (parta.plan_once, sql/0031_rls_speed.sql).
 * The check itself: it names a function that reads a table directly, in
 * a subquery or through a set-returning function, and not one whose
 * only FROM is extract's, substring's or trim's.
 */
static void
functions_planned_once(void)
{
	T_STREQ(table_readers(""), "");
	T_STREQ(table_readers(
	    "CREATE FUNCTION parta.t_reads(org bigint) RETURNS bigint"
	    " LANGUAGE sql STABLE AS $$ SELECT count(*) FROM parta.member m"
	    "  WHERE m.org_id = t_reads.org $$;"
	    "CREATE FUNCTION parta.t_reads_inside(org bigint) RETURNS boolean"
	    " LANGUAGE sql STABLE AS $$ SELECT org > 0 AND EXISTS (SELECT 1"
	    "  FROM parta.homeroom_classes(org => org, teacher => 1)) $$;"
	    "CREATE FUNCTION parta.t_no_table(t timestamptz, s text)"
	    " RETURNS text LANGUAGE sql IMMUTABLE AS $$"
	    " SELECT extract(hour FROM t)::text"
	    "  || substring(s FROM 2 FOR 3) || trim(both 'x' FROM s)"
	    "  || overlay(s placing 'y' from 1 for 1) $$"),
	    "t_reads t_reads_inside");
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "every tenant table: RLS on, forced, a policy for parta_app;"
		    " views as the invoker",
		    every_tenant_table_forced },
		{ "parta_app owns nothing: no DDL, TRUNCATE or BYPASSRLS",
		    app_role_owns_nothing },
		{ "the operator's role: no login, parta_app's privileges,"
		    " taken only by parta_app", operator_role },
		{ "trigger and SECURITY DEFINER functions: owner, search_path",
		    definer_functions },
		{ "parta_app without an account sees no tenant row",
		    no_account_no_rows },
		{ "the checklist, run as the owner, only for the request's"
		    " own account", checklist_own_account_only },
		{ "a program without its org_id check still answers 404",
		    unscoped_program_still_404 },
		{ "no scalar SQL function reads a table (planned per call)",
		    functions_planned_once },
		{ "the account's scope kept on its row, also two changes at"
		    " once; the programs may not write it",
		    scope_kept_on_the_account },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
