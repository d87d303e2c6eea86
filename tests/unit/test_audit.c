/*
 * Unit tests for lib/audit.c and the audit's one writer and one reader
 * in the database (sql/0027_audit_sql.sql), against the real PostgreSQL
 * of the local stack (PARTA_DB, exported by tests/run.sh); every case
 * runs in a transaction it rolls back.  And two rules of the source
 * tree (PARTA_ROOT): no program writes the audit by its own INSERT, and
 * no C macro builds SQL (a rule statements share is a SQL function or
 * view with named parameters).
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "log.h"

static const struct db_stmt q_account = {
	"test_audit_account",
	"INSERT INTO parta.account (last_name, first_name, patronymic, gender,"
	" birth_date, email, password_hash)"
	" VALUES ($1, $2, $3, $4, '1990-01-01', $5, 'x')"
	" RETURNING id"
};

static const struct db_stmt q_org = {
	"test_audit_org",
	"INSERT INTO parta.org (region, org_type, full_name, short_name, inn,"
	" kpp) VALUES ('70', 'school', 'Школа', 'Школа', '7000000000',"
	" '7000ZZ002') RETURNING id"
};

/* The newest row, as written and as its reader renders it. */
static const struct db_stmt q_last = {
	"test_audit_last",
	"SELECT au.org_id IS NULL AS no_org, au.actor_id IS NULL AS no_actor,"
	" au.target_id IS NULL AS no_target, au.detail, au.at = now() AS now,"
	" e.action_name, e.actor, e.target,"
	" e.local_at = au.at AT TIME ZONE coalesce(rg.tz, 'Europe/Moscow')"
	"  AS local"
	" FROM parta.audit au JOIN parta.audit_event e ON e.id = au.id"
	" LEFT JOIN parta.org o ON o.id = au.org_id"
	" LEFT JOIN parta.region rg ON rg.code = o.region"
	" ORDER BY au.id DESC LIMIT 1"
};

/* The database's own functions that insert into the audit. */
static const struct db_stmt q_writers = {
	"test_audit_writers",
	"SELECT coalesce(string_agg(p.proname, ' ' ORDER BY p.proname), '')"
	" AS names FROM pg_catalog.pg_proc p"
	" JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" WHERE n.nspname = 'parta'"
	" AND p.prosrc ~* 'insert\\s+into\\s+parta\\.audit\\s*\\('"
};

static const struct db_stmt q_log = {
	"test_audit_log",
	"SELECT parta.audit_log($1, $2, 'member_leave', $2, 'вышел из"
	" организации')"
};

static const struct db_stmt q_log_at = {
	"test_audit_log_at",
	"SELECT at > now() AS later, detail FROM parta.audit"
	" ORDER BY id DESC LIMIT 1"
};

static int
setup(void **state)
{
	(void)state;
	if (getenv("PARTA_DB") == NULL || *getenv("PARTA_DB") == '\0') {
		fprintf(stderr, "PARTA_DB is not set: run through "
		    "tests/run.sh or set it to the stack's database\n");
		return -1;
	}
	if (config_load() == -1)
		return -1;
	log_init("test_audit");
	return db_begin();
}

static int
teardown(void **state)
{
	(void)state;
	db_rollback();
	return 0;
}

static long long
one_id(PGresult *res)
{
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	return atoll(PQgetvalue(res, 0, 0));
}

/*
 * A program's row: written at the transaction's time, the detail put in
 * the feminine for a woman, read back with the action's Russian name and
 * the people's full names in the organization's region time.
 */
static void
test_write_read(void **state)
{
	long long	 org, admin, pupil;
	PGresult	*res;

	(void)state;
	org = one_id(db_exec(&q_org, PGRES_TUPLES_OK));
	admin = one_id(db_exec(&q_account, PGRES_TUPLES_OK, "Петров",
	    "Пётр", "Ильич", "m", "petrov@audit.test"));
	pupil = one_id(db_exec(&q_account, PGRES_TUPLES_OK, "Иванова",
	    "Анна", "", "f", "ivanova@audit.test"));
	assert_int_equal(audit_write(org, admin, "chat_member_remove", pupil,
	    "удалён из чата «5А» администратором чата"), 0);
	res = db_exec(&q_last, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_false(db_getbool(res, 0, "no_org"));
	assert_false(db_getbool(res, 0, "no_target"));
	assert_string_equal(db_get(res, 0, "detail"),
	    "удалена из чата «5А» администратором чата");
	assert_true(db_getbool(res, 0, "now"));
	assert_string_equal(db_get(res, 0, "action_name"),
	    "Удаление из чата");
	assert_string_equal(db_get(res, 0, "actor"), "Петров Пётр Ильич");
	assert_string_equal(db_get(res, 0, "target"), "Иванова Анна");
	assert_true(db_getbool(res, 0, "local"));
}

/* No organization, the console, no person: NULLs, and '' for names. */
static void
test_write_nobody(void **state)
{
	PGresult	*res;

	(void)state;
	assert_int_equal(audit_write(0, 0, "admin_change", 0, NULL), 0);
	res = db_exec(&q_last, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_true(db_getbool(res, 0, "no_org"));
	assert_true(db_getbool(res, 0, "no_actor"));
	assert_true(db_getbool(res, 0, "no_target"));
	assert_string_equal(db_get(res, 0, "detail"), "");
	assert_string_equal(db_get(res, 0, "actor"), "");
	assert_string_equal(db_get(res, 0, "target"), "");
	assert_true(db_getbool(res, 0, "local"));
}

/*
 * In the database one function inserts into the audit; the membership
 * functions' audit_log goes through it, at the moment the event took
 * effect (clock_timestamp), and the words agree there too.
 */
static void
test_one_writer_sql(void **state)
{
	long long	 org, pupil;
	char		 o[24], p[24];
	PGresult	*res;

	(void)state;
	res = db_exec(&q_writers, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_string_equal(db_get(res, 0, "names"), "audit_write");
	org = one_id(db_exec(&q_org, PGRES_TUPLES_OK));
	pupil = one_id(db_exec(&q_account, PGRES_TUPLES_OK, "Сидорова",
	    "Мария", "", "f", "sidorova@audit.test"));
	snprintf(o, sizeof(o), "%lld", org);
	snprintf(p, sizeof(p), "%lld", pupil);
	assert_non_null(db_exec(&q_log, PGRES_TUPLES_OK, o, p));
	res = db_exec(&q_log_at, PGRES_TUPLES_OK);
	assert_non_null(res);
	assert_true(db_getbool(res, 0, "later"));
	assert_string_equal(db_get(res, 0, "detail"),
	    "вышла из организации");
}

/* The tree: C sources under cgi-bin/ (folders too), lib/ and scripts/. */

static const char *
root_dir(void)
{
	const char	*root = getenv("PARTA_ROOT");

	return root != NULL && *root != '\0' ? root : ".";
}

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1 || (s = malloc((size_t)n + 1)) ==
	    NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		fclose(f);
		return NULL;
	}
	s[n] = '\0';
	fclose(f);
	return s;
}

/* What in a macro's body says it is SQL text (or a "$1" placeholder). */
static const char *const sql_words[] = {
	"SELECT ", " FROM ", " WHERE ", " JOIN ", "CASE WHEN", "EXISTS (",
	"AT TIME ZONE", "parta.", "to_char(", "concat_ws(", "coalesce(",
	"nullif(", "'DD.", " AND ", " OR ", NULL
};

/*
 * Check one file into report: an INSERT into the audit, or a #define
 * whose body (continuation lines joined) holds SQL.  Returns the number
 * of findings.
 */
static int
check_file(const char *path, const char *name, struct buf *report)
{
	char		*s, *p, *e, *def, *q;
	size_t		 n;
	int		 found = 0, line = 1, start, i;

	if ((s = slurp(path)) == NULL)
		fail_msg("cannot read %s", path);
	for (p = s; *p != '\0'; p = *e != '\0' ? e + 1 : e, line++) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		def = strndup(p, n);
		if (strstr(def, "INSERT INTO parta.audit") != NULL) {
			buf_printf(report, "%s:%d: an audit row written by its "
			    "own INSERT, not audit_write\n", name, line);
			found++;
		}
		free(def);
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "#define", 7) != 0)
			continue;
		/* The logical line: continuation lines joined. */
		start = line;
		while (e > p && e[-1] == '\\' && *e != '\0') {
			e = strchr(e + 1, '\n');
			line++;
			if (e == NULL)
				e = p + strlen(p);
		}
		def = strndup(p, (size_t)(e - p));
		for (i = 0; sql_words[i] != NULL; i++)
			if (strstr(def, sql_words[i]) != NULL)
				break;
		for (q = def; sql_words[i] == NULL && (q = strchr(q, '$')) !=
		    NULL; q++)
			if (isdigit((unsigned char)q[1]))
				break;
		if (sql_words[i] != NULL || q != NULL) {
			buf_printf(report, "%s:%d: a macro builds SQL "
			    "(\"%s\"): make it a SQL function or view\n", name,
			    start, sql_words[i] != NULL ? sql_words[i] : "$");
			found++;
		}
		free(def);
	}
	free(s);
	return found;
}

static int
check_dir(const char *root, const char *dir, struct buf *report)
{
	char		 path[1024], name[512];
	struct dirent	*d;
	struct stat	 st;
	DIR		*dp;
	size_t		 len;
	int		 found = 0;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	if ((dp = opendir(path)) == NULL)
		fail_msg("cannot open %s", path);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/%s", dir, d->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, name);
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found += check_dir(root, name, report);
			continue;
		}
		len = strlen(d->d_name);
		if (len > 2 && (strcmp(d->d_name + len - 2, ".c") == 0 ||
		    strcmp(d->d_name + len - 2, ".h") == 0))
			found += check_file(path, name, report);
	}
	closedir(dp);
	return found;
}

static void
test_tree(void **state)
{
	static const char *const dirs[] = { "cgi-bin", "lib", "scripts",
	    NULL };
	struct buf	 report;
	int		 i, found = 0;

	(void)state;
	buf_init(&report);
	for (i = 0; dirs[i] != NULL; i++)
		found += check_dir(root_dir(), dirs[i], &report);
	buf_putc(&report, '\0');
	if (found > 0) {
		/* Every finding (a failure message is cut short). */
		fprintf(stderr, "%s", report.data);
		fail_msg("%d findings in the tree", found);
	}
	buf_free(&report);
}

/* The check itself catches what it is for. */
static void
test_tree_check(void **state)
{
	const char	*tmp = getenv("TMPDIR");
	char		 path[512];
	struct buf	 report;
	FILE		*f;
	int		 i;

	(void)state;
	snprintf(path, sizeof(path), "%s/test_audit_%ld.c",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp", (long)getpid());
	assert_non_null(f = fopen(path, "w"));
	fputs("#define N 5\n"
	    "#define WORDS \"Класс в архиве\"\n"
	    "#define VISIBLE(t)\t\\\n"
	    "\t\"($3::boolean OR \" t \".created_by = $2)\"\n"
	    "#define STANDING(org) \\\n"
	    "\t\" coalesce((SELECT role FROM x WHERE org_id = \" org \"))\"\n"
	    "static const char *q = \"INSERT INTO parta.audit (org_id)\";\n",
	    f);
	fclose(f);
	buf_init(&report);
	i = check_file(path, "x.c", &report);
	buf_putc(&report, '\0');
	if (i != 2 + 1)
		fail_msg("%d findings: %s", i, report.data);
	assert_non_null(strstr(report.data, "x.c:3: a macro builds SQL"));
	assert_non_null(strstr(report.data, "x.c:5: a macro builds SQL"));
	assert_non_null(strstr(report.data, "x.c:7: an audit row"));
	buf_free(&report);
	remove(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_nobody, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_one_writer_sql, setup,
		    teardown),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_tree_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
