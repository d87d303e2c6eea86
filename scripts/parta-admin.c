/*
 * parta-admin: administration from the command line.
 *   parta-admin operator-create LOGIN   password on standard input
 *   parta-admin org-create REGION TYPE INN KPP SHORT_NAME ADMIN_PHONE
 *	creates an organization without a web request (bootstrapping a
 *	region, imports, tests) and binds its administrator to the phone;
 *	prints the new organization's id
 *   parta-admin admin-change ORG_ID PHONE
 *	binds the organization's administrator role to another phone: the
 *	grants still waiting for their phone are revoked, a new one is made
 *	and applied at once when the phone's owner has verified it; the new
 *	administrator and the revoked grants' phones are told by SMS
 *	(lib/member, as the operator's page)
 *   parta-admin admin-remove ORG_ID ACCOUNT_ID
 *	takes an administrator out of the organization, as the operator's
 *	page does (lib/member): their grants, classes, chats and links end,
 *	they are barred from coming back, and they are told
 *   parta-admin migrate
 *	applies the SQL migrations not applied yet (the installed
 *	migrate.sh)
 *   parta-admin cleanup
 *	deletes what no longer means anything (parta.housekeeping in
 *	sql/0020: expired sessions and codes, passed limits, delivered
 *	messages, old unverified accounts; parta.file_purge in sql/0040:
 *	files taken out of storage or left by an erased account that
 *	nothing holds, rows first, their bytes after the commit; and the
 *	bytes still queued in parta.file_gone, sql/0050) and
 *	prints how many of each; hourly from systemd/parta-cleanup.timer
 *   parta-admin backup FILE / restore FILE
 *	the whole database and the uploaded files (PARTA_UPLOADS) to one
 *	file, a tar archive of parta.dump (pg_dump's custom format) and
 *	the files, and back; restore replaces the database in one
 *	transaction, then puts the files back.  A plain pg_dump file (the
 *	backups before issue 22) restores the database alone
 * It connects as the owner of the database (the role that runs the
 * migrations and sees every row, sql/0030_rls.sql): PARTA_OWNER_DB, or
 * PARTA_DB when that is unset (the local stack's tests).  The programs
 * connect as parta_app and never read PARTA_OWNER_DB.  Installed builds
 * read the installed configuration file when PARTA_CONFIG is not set,
 * and the owner's (owner.conf beside it, root's alone) when
 * PARTA_OWNER_CONFIG is not set and it can be read.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "file.h"
#include "log.h"
#include "member.h"
#include "outbox.h"
#include "privacy.h"
#include "valid.h"

#ifndef PARTA_MIGRATE_DEFAULT
#define PARTA_MIGRATE_DEFAULT	"/usr/local/share/parta/scripts/migrate.sh"
#endif

static const struct db_stmt q_operator_upsert = {
	"admin_operator_upsert",
	"INSERT INTO parta.account (last_name, first_name, gender, birth_date,"
	" email, email_verified, password_hash, is_operator)"
	" VALUES ('Парты', 'Оператор', 'm', '1970-01-01', $1, true, $2, true)"
	" ON CONFLICT (email) WHERE email_verified DO UPDATE SET"
	" password_hash = $2, is_operator = true"
	" RETURNING id"
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

/*
 * Changes of an organization's administrators lock the organization row
 * first, so two of them run one after the other and at most one grant
 * stays open.
 */
static const struct db_stmt q_org_lock = {
	"admin_org_lock",
	"SELECT id FROM parta.org WHERE id = $1 FOR UPDATE"
};

static const struct db_stmt q_housekeeping = {
	"admin_housekeeping",
	"SELECT * FROM parta.housekeeping()"
};

/* Files nothing holds any more: their rows go here, their bytes after
 * (lib/file: file_purged). */
static const struct db_stmt q_file_purge = {
	"admin_file_purge",
	"SELECT store_key, preview_key FROM parta.file_purge(NULL)"
};

static const struct db_stmt q_admins_count = {
	"admin_admins_count",
	"SELECT count(*) AS n FROM parta.member"
	" WHERE org_id = $1 AND role = 'admin'"
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
	res = db_exec(&q_org_insert, PGRES_TUPLES_OK, argv[0], type,
	    argv[4], argv[2], argv[3]);
	if (res == NULL)
		return 1;
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	if ((res = db_exec(&q_grant_insert, PGRES_COMMAND_OK, id,
	    phone)) == NULL)
		return 1;
	if ((res = db_exec(&q_grant_apply, PGRES_TUPLES_OK, phone)) == NULL)
		return 1;
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
	long long	 id;

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
	res = db_exec(&q_operator_upsert, PGRES_TUPLES_OK, email, hash);
	if (res == NULL)
		return 1;
	id = db_getll(res, 0, "id");
	/* The operator works under the policy in force, as everyone. */
	if (privacy_consent(id) == -1)
		return 1;
	printf("operator %s\n", email);
	return 0;
}

/* A database id: 1 to 18 digits, no sign. */
static int
id_ok(const char *s)
{
	size_t	 n = strspn(s, "0123456789");

	return n > 0 && n <= 18 && s[n] == '\0' && s[0] != '0';
}

/* Lock the organization: 1 when it exists, 0 when not, -1 on error. */
static int
org_lock(const char *org)
{
	PGresult	*res;
	int		 found;

	if ((res = db_exec(&q_org_lock, PGRES_TUPLES_OK, org)) == NULL)
		return -1;
	found = PQntuples(res) == 1;
	return found;
}

static int
admin_change(const char *org, const char *in)
{
	char		 phone[VALID_MAX], account[32], detail[VALID_MAX + 128];
	long long	 who;
	int		 found;

	if (!id_ok(org)) {
		fprintf(stderr, "parta-admin: %s: not an organization id\n",
		    org);
		return 1;
	}
	if (valid_phone(in, phone, sizeof(phone)) != NULL) {
		fprintf(stderr, "parta-admin: %s: not a mobile phone\n", in);
		return 1;
	}
	if (db_begin() == -1 || (found = org_lock(org)) == -1)
		return 1;
	if (!found) {
		fprintf(stderr, "parta-admin: organization %s: no such "
		    "organization\n", org);
		return 1;
	}
	/* The same binding as the operator's page, and the same messages
	 * to the new administrator and the replaced grants' phones. */
	if ((who = member_admin_bind(atoll(org), phone, 0,
	    config->base_url)) == MEMBER_ERROR)
		return 1;
	account[0] = '\0';
	if (who > 0)
		snprintf(account, sizeof(account), "%lld", who);
	snprintf(detail, sizeof(detail), "права администратора получит "
	    "владелец номера %s (из консоли)", phone);
	if (audit_write(atoll(org), 0, "admin_change", who,
	    detail) == -1 || db_commit() == -1)
		return 1;
	outbox_flush();
	if (account[0])
		printf("organization %s: administrator is account %s (%s)\n",
		    org, account, phone);
	else
		printf("organization %s: %s becomes administrator once its "
		    "owner verifies the phone\n", org, phone);
	return 0;
}

static int
admin_remove(const char *org, const char *account)
{
	PGresult	*res;
	int		 found;
	long long	 left;

	if (!id_ok(org) || !id_ok(account)) {
		fprintf(stderr, "parta-admin: ORG_ID and ACCOUNT_ID are "
		    "numbers\n");
		return 1;
	}
	if (db_begin() == -1 || (found = org_lock(org)) == -1)
		return 1;
	if (!found) {
		fprintf(stderr, "parta-admin: organization %s: no such "
		    "organization\n", org);
		return 1;
	}
	/* The way out the operator's page takes; the database writes the
	 * audit row, with no actor: the console. */
	switch (member_end(atoll(org), atoll(account), 0,
	    MEMBER_ADMIN_REMOVED)) {
	case MEMBER_OK:
		break;
	case MEMBER_NOT_FOUND:
		fprintf(stderr, "parta-admin: account %s is not an "
		    "administrator of organization %s\n", account, org);
		return 1;
	default:
		return 1;
	}
	if ((res = db_exec(&q_admins_count, PGRES_TUPLES_OK, org)) == NULL)
		return 1;
	left = db_getll(res, 0, "n");
	if (db_commit() == -1)
		return 1;
	/* member_end told the administrator removed. */
	outbox_flush();
	printf("organization %s: account %s is no longer its administrator"
	    "\n", org, account);
	if (left == 0)
		printf("organization %s has no administrator now: bind one "
		    "with parta-admin admin-change\n", org);
	return 0;
}

/*
 * The database address for the PostgreSQL tools: PARTA_DB as key='value'
 * pairs without the password, which travels in PGPASSWORD instead so it
 * never shows in a process list.  NULL when PARTA_DB does not parse.
 */
static char *
tool_conninfo(void)
{
	PQconninfoOption	*opts, *o;
	char			*err = NULL, *out, *p;
	const char		*v;
	size_t			 len = 1;

	if ((opts = PQconninfoParse(config->db, &err)) == NULL) {
		fprintf(stderr, "parta-admin: PARTA_DB: %s",
		    err ? err : "out of memory\n");
		PQfreemem(err);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (o->val != NULL)
			len += strlen(o->keyword) + 2 * strlen(o->val) + 4;
	if ((out = p = malloc(len)) == NULL) {
		PQconninfoFree(opts);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "password") == 0) {
			if (setenv("PGPASSWORD", o->val, 1) == -1) {
				free(out);
				PQconninfoFree(opts);
				return NULL;
			}
			continue;
		}
		if (p != out)
			*p++ = ' ';
		p += sprintf(p, "%s='", o->keyword);
		for (v = o->val; *v != '\0'; v++) {
			if (*v == '\'' || *v == '\\')
				*p++ = '\\';
			*p++ = *v;
		}
		*p++ = '\'';
	}
	*p = '\0';
	PQconninfoFree(opts);
	return out;
}

/* Replace this process with a PostgreSQL tool or script. */
static int
run_tool(char *const argv[])
{
	execvp(argv[0], argv);
	fprintf(stderr, "parta-admin: %s: %s\n", argv[0], strerror(errno));
	return 1;
}

static int
cleanup(void)
{
	PGresult	*res;
	int		 n, gone;

	if ((res = db_exec(&q_housekeeping, PGRES_TUPLES_OK)) == NULL)
		return 1;
	printf("sessions %s, codes %s, limits %s, messages %s, accounts %s",
	    db_get(res, 0, "sessions"), db_get(res, 0, "codes"),
	    db_get(res, 0, "limits"), db_get(res, 0, "messages"),
	    db_get(res, 0, "accounts"));
	/* One statement, committed on its own: the rows are gone before
	 * the bytes are. */
	if ((res = db_exec(&q_file_purge, PGRES_TUPLES_OK)) == NULL) {
		printf("\n");
		return 1;
	}
	n = file_purged(res);
	/* Bytes whose rows their holders let go (sql/0050) and that no
	 * request removed after its commit: a worker that ended first. */
	if ((gone = file_gone_remove()) == -1) {
		printf(", files %d\n", n);
		return 1;
	}
	printf(", files %d\n", n + gone);
	return 0;
}

static int
migrate(void)
{
	char	*db;

	if ((db = tool_conninfo()) == NULL)
		return 1;
	return run_tool((char *[]){ PARTA_MIGRATE_DEFAULT, db, NULL });
}

/* Run a tool and wait for it: 0 when it exited with 0, else 1 (it
 * has said why on stderr).  out, if not NULL, becomes its stdout. */
static int
run_wait(char *const argv[], const char *out)
{
	pid_t	 pid;
	int	 status, fd;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "parta-admin: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		if (out != NULL) {
			if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC,
			    0600)) == -1 || dup2(fd, STDOUT_FILENO) == -1) {
				fprintf(stderr, "parta-admin: %s: %s\n", out,
				    strerror(errno));
				_exit(1);
			}
		}
		execvp(argv[0], argv);
		fprintf(stderr, "parta-admin: %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* A folder of our own next to file, for the dump on its way into or out
 * of the archive: 0, or -1. */
static int
work_dir(const char *file, char *dir, size_t dirsz)
{
	snprintf(dir, dirsz, "%s.partaXXXXXX", file);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "parta-admin: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int
uploads_present(void)
{
	struct stat	 st;

	return stat(config->uploads, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * FILE: an uncompressed tar archive of the files, then parta.dump.  The
 * files are archived before the dump and again after it (those changed
 * meanwhile), so every file a row of the dump names is in it: a file is
 * stored before its row commits, and its bytes are removed only after
 * its row is gone (lib/file).
 */
static int
backup(const char *file)
{
	char	*db, dir[4096], dump[4200], since[64];
	int	 files = uploads_present(), rc;

	if ((db = tool_conninfo()) == NULL)
		return 1;
	/* The dump holds personal data: only its owner may read it. */
	umask(077);
	if (work_dir(file, dir, sizeof(dir)) == -1)
		return 1;
	snprintf(dump, sizeof(dump), "%s/parta.dump", dir);
	/* A second early: file times are in whole seconds on some disks. */
	snprintf(since, sizeof(since), "--newer-mtime=@%lld",
	    (long long)time(NULL) - 1);
	if (!files)
		fprintf(stderr, "parta-admin: %s: no such folder, the backup "
		    "holds the database alone\n", config->uploads);
	/* The owner is under its tables' row-level security too (FORCE,
	 * sql/0030_rls.sql), through a policy that admits every row:
	 * dumped with it on, or pg_dump refuses. */
	rc = (files ? run_wait((char *[]){ "tar", "--create", "--file",
	    (char *)file, "--exclude=.*.tmp", "--directory",
	    (char *)config->uploads, ".", NULL }, NULL) :
	    run_wait((char *[]){ "tar", "--create",
	    "--file", (char *)file, "--files-from=/dev/null", NULL }, NULL)) ||
	    run_wait((char *[]){ "pg_dump", "--format=custom",
	    "--enable-row-security", "--file", dump, "--dbname", db, NULL },
	    NULL) ||
	    (files && run_wait((char *[]){ "tar", "--append", "--file",
	    (char *)file, since, "--exclude=.*.tmp", "--directory",
	    (char *)config->uploads, ".", NULL }, NULL)) ||
	    run_wait((char *[]){ "tar", "--append", "--file", (char *)file,
	    "--directory", dir, "parta.dump", NULL }, NULL);
	unlink(dump);
	rmdir(dir);
	if (rc != 0)
		unlink(file);
	return rc;
}

/* Whether file starts as pg_dump's custom format does. */
static int
is_pg_dump(const char *file)
{
	char	 head[5];
	FILE	*f;
	int	 yes;

	if ((f = fopen(file, "rb")) == NULL)
		return 0;
	yes = fread(head, 1, 5, f) == 5 && memcmp(head, "PGDMP", 5) == 0;
	fclose(f);
	return yes;
}

/* Whether the list of an archive's members (tar --list) names any but
 * parta.dump and the folder itself. */
static int
archive_has_files(const char *list)
{
	char	 line[4096];
	FILE	*f;
	int	 any = 0;

	if ((f = fopen(list, "r")) == NULL)
		return 1;
	while (!any && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		any = strcmp(line, "parta.dump") != 0 &&
		    strcmp(line, "./") != 0 && strcmp(line, ".") != 0;
	}
	fclose(f);
	return any;
}

static int
restore(const char *file)
{
	char	*db, dir[4096], dump[4200];
	int	 rc, files;

	if (access(file, R_OK) == -1) {
		fprintf(stderr, "parta-admin: %s: %s\n", file,
		    strerror(errno));
		return 1;
	}
	if ((db = tool_conninfo()) == NULL)
		return 1;
	/* All or nothing: what was there goes, the dump comes back. */
	if (is_pg_dump(file))
		return run_tool((char *[]){ "pg_restore", "--clean",
		    "--if-exists", "--no-owner", "--enable-row-security",
		    "--single-transaction", "--exit-on-error",
		    "--dbname", db, (char *)file, NULL });
	umask(077);
	if (work_dir(file, dir, sizeof(dir)) == -1)
		return 1;
	snprintf(dump, sizeof(dump), "%s/parta.dump", dir);
	rc = run_wait((char *[]){ "tar", "--extract", "--file", (char *)file,
	    "--to-stdout", "parta.dump", NULL }, dump);
	if (rc == 0 && !is_pg_dump(dump)) {
		fprintf(stderr, "parta-admin: %s: not a backup\n", file);
		rc = 1;
	}
	if (rc == 0)
		rc = run_wait((char *[]){ "pg_restore", "--clean",
		    "--if-exists", "--no-owner", "--enable-row-security",
		    "--single-transaction", "--exit-on-error",
		    "--dbname", db, dump, NULL }, NULL);
	unlink(dump);
	if (rc == 0)
		rc = run_wait((char *[]){ "tar", "--list", "--file",
		    (char *)file, NULL }, dump);
	files = rc == 0 && archive_has_files(dump);
	unlink(dump);
	rmdir(dir);
	if (rc != 0 || !files)
		return rc;
	/* The files the database names, next to any already there (their
	 * names are random: none is overwritten by another's). */
	if (mkdir(config->uploads, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "parta-admin: %s: %s\n", config->uploads,
		    strerror(errno));
		return 1;
	}
	return run_wait((char *[]){ "tar", "--extract", "--file",
	    (char *)file, "--directory", (char *)config->uploads,
	    "--exclude=parta.dump", "--no-same-owner", NULL }, NULL);
}

int
main(int argc, char *argv[])
{
	log_init("parta-admin");
#ifdef PARTA_CONFIG_DEFAULT
	if (getenv("PARTA_CONFIG") == NULL &&
	    access(PARTA_CONFIG_DEFAULT, F_OK) == 0)
		setenv("PARTA_CONFIG", PARTA_CONFIG_DEFAULT, 1);
#endif
#ifdef PARTA_OWNER_CONFIG_DEFAULT
	if (getenv("PARTA_OWNER_CONFIG") == NULL &&
	    access(PARTA_OWNER_CONFIG_DEFAULT, R_OK) == 0)
		setenv("PARTA_OWNER_CONFIG", PARTA_OWNER_CONFIG_DEFAULT, 1);
#endif
	if (config_load() == -1)
		return 1;
	config_use_owner();
	if (argc == 3 && strcmp(argv[1], "operator-create") == 0)
		return operator_create(argv[2]);
	if (argc == 8 && strcmp(argv[1], "org-create") == 0)
		return org_create(argv + 2);
	if (argc == 4 && strcmp(argv[1], "admin-change") == 0)
		return admin_change(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "admin-remove") == 0)
		return admin_remove(argv[2], argv[3]);
	if (argc == 2 && strcmp(argv[1], "migrate") == 0)
		return migrate();
	if (argc == 2 && strcmp(argv[1], "cleanup") == 0)
		return cleanup();
	if (argc == 3 && strcmp(argv[1], "backup") == 0)
		return backup(argv[2]);
	if (argc == 3 && strcmp(argv[1], "restore") == 0)
		return restore(argv[2]);
	fprintf(stderr, "usage: parta-admin operator-create LOGIN < password\n"
	    "       parta-admin org-create REGION TYPE INN KPP SHORT_NAME "
	    "ADMIN_PHONE\n"
	    "       parta-admin admin-change ORG_ID PHONE\n"
	    "       parta-admin admin-remove ORG_ID ACCOUNT_ID\n"
	    "       parta-admin migrate\n"
	    "       parta-admin cleanup\n"
	    "       parta-admin backup FILE\n"
	    "       parta-admin restore FILE\n");
	return 2;
}
