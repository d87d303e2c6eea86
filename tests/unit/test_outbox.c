/*
 * Unit tests for lib/outbox.c against the real PostgreSQL of the local
 * stack (PARTA_DB, exported by tests/run.sh; without it every case
 * fails).  Messages go to a fresh PARTA_OUTBOX_DIR; each case uses its
 * own recipient and looks only at files for it.  outbox_flush takes
 * every unsent row, so a message of someone else that lands here is put
 * back (sent_at NULL) for the next flush; our own rows are deleted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "outbox.h"
#include "unit.h"

#define MAX_TO	16

static char	 dir[] = "/tmp/parta-test-outbox-XXXXXX";
static int	 dir_made;
/* Recipients this run used, for the clean-up. */
static char	 tos[MAX_TO][80];
static size_t	 ntos;

static const struct db_stmt q_rows = {
	"test_outbox_rows",
	"SELECT id, kind, body, sent_at IS NOT NULL AS sent"
	" FROM parta.outbox WHERE recipient = $1 ORDER BY id"
};

static const struct db_stmt q_delete = {
	"test_outbox_delete",
	"DELETE FROM parta.outbox WHERE recipient = $1"
};

static const struct db_stmt q_give_back = {
	"test_outbox_give_back",
	"UPDATE parta.outbox SET sent_at = NULL WHERE id = $1::bigint"
};

static int
db_env_ok(void)
{
	const char	*v = getenv("PARTA_DB");

	return v != NULL && *v != '\0';
}

static int
group_setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	dir_made = 1;
	if (setenv("PARTA_OUTBOX_DIR", dir, 1) == -1)
		return -1;
	/* A missing PARTA_DB is reported by every case's setup. */
	if (!db_env_ok())
		return 0;
	return config_load();
}

/* A recipient nobody else uses. */
static const char *
new_recipient(const char *kind)
{
	char	 tok[16];

	assert_true(ntos < MAX_TO);
	assert_int_equal(crypto_token(tok, 9), 0);
	snprintf(tos[ntos], sizeof(tos[ntos]), "%s-test-%ld-%s@example.invalid",
	    kind, (long)getpid(), tok);
	return tos[ntos++];
}

static int
ours(const char *to)
{
	size_t	 i;

	for (i = 0; i < ntos; i++)
		if (strcmp(tos[i], to) == 0)
			return 1;
	return 0;
}

/* Read a whole (small) file into a malloc'd string. */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	if (s != NULL) {
		if (fread(s, 1, (size_t)n, f) != (size_t)n)
			n = 0;
		s[n] = '\0';
	}
	fclose(f);
	return s;
}

/* The first line of text, in a buffer. */
static void
first_line(const char *text, char *out, size_t outsz)
{
	snprintf(out, outsz, "%.*s", (int)strcspn(text, "\n"), text);
}

/*
 * The files for recipient to: how many, the content and name of the
 * last one (content malloc'd, or NULL).  Also fails on a leftover
 * temporary file.
 */
static int
files_for(const char *to, char **content, char *name, size_t namesz)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096], line[256], *s;
	int		 n = 0;

	*content = NULL;
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.')
			fail_msg("temporary file %s left behind", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		s = slurp(path);
		assert_non_null(s);
		first_line(s, line, sizeof(line));
		if (strcmp(line, to) != 0) {
			free(s);
			continue;
		}
		n++;
		free(*content);
		*content = s;
		snprintf(name, namesz, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

/* Remove every file; a message that is not ours goes back to the
 * queue. */
static void
clean_dir(void)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[4096], line[256], id[32], *s;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] != '.' && (s = slurp(path)) != NULL) {
			first_line(s, line, sizeof(line));
			if (!ours(line)) {
				snprintf(id, sizeof(id), "%lld",
				    strtoll(e->d_name, NULL, 10));
				(void)db_exec(&q_give_back, PGRES_COMMAND_OK,
				    id);
			}
			free(s);
		}
		unlink(path);
	}
	closedir(d);
}

static int
group_teardown(void **state)
{
	size_t		 i;

	(void)state;
	if (db_env_ok()) {
		db_rollback();
		clean_dir();
		for (i = 0; i < ntos; i++)
			(void)db_exec(&q_delete, PGRES_COMMAND_OK, tos[i]);
		db_close();
	}
	if (dir_made) {
		clean_dir();
		rmdir(dir);
	}
	return 0;
}

static int
setup(void **state)
{
	(void)state;
	return unit_db_env();
}

static int
teardown(void **state)
{
	(void)state;
	db_rollback();
	clean_dir();
	return 0;
}

static void
test_config(void **state)
{
	(void)state;
	assert_non_null(config->outbox_dir);
	assert_string_equal(config->outbox_dir, dir);
	assert_string_equal(config->db, getenv("PARTA_DB"));
}

/* Queued in a committed transaction: one file, recipient then text. */
static void
test_commit_writes_file(void **state)
{
	const char	*to = new_recipient("sms");
	const char	*text = "Код подтверждения: 123456";
	PGresult	*res;
	char		*content, name[256], want[512], wantname[64];

	(void)state;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(outbox_queue(OUTBOX_SMS, to, text), 0);
	assert_int_equal(db_commit(), 0);
	outbox_flush();

	assert_int_equal(files_for(to, &content, name, sizeof(name)), 1);
	snprintf(want, sizeof(want), "%s\n%s\n", to, text);
	assert_string_equal(content, want);
	free(content);

	/* Named after the row, and the row is marked sent. */
	res = db_exec(&q_rows, PGRES_TUPLES_OK, to);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(db_get(res, 0, "kind"), "sms");
	assert_string_equal(db_get(res, 0, "body"), text);
	assert_int_equal(db_getbool(res, 0, "sent"), 1);
	snprintf(wantname, sizeof(wantname), "%012lld-sms.txt",
	    db_getll(res, 0, "id"));
	assert_string_equal(name, wantname);

	/* A second flush sends nothing again. */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(outbox_queue(OUTBOX_SMS, new_recipient("sms"),
	    "other"), 0);
	assert_int_equal(db_commit(), 0);
	outbox_flush();
	assert_int_equal(files_for(to, &content, name, sizeof(name)), 1);
	free(content);
}

/* Queued in a transaction that is rolled back: no file, no row. */
static void
test_rollback_writes_nothing(void **state)
{
	const char	*to = new_recipient("sms");
	PGresult	*res;
	char		*content, name[256];

	(void)state;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(outbox_queue(OUTBOX_SMS, to, "Код: 654321"), 0);
	db_rollback();
	outbox_flush();
	assert_int_equal(files_for(to, &content, name, sizeof(name)), 0);
	assert_null(content);
	res = db_exec(&q_rows, PGRES_TUPLES_OK, to);
	assert_non_null(res);
	assert_int_equal(PQntuples(res), 0);
}

/* An e-mail with several lines keeps them; several messages to one
 * recipient give one file each. */
static void
test_email_and_several(void **state)
{
	const char	*to = new_recipient("email");
	const char	*text = "Здравствуйте!\n\nСсылка: "
	    "http://127.0.0.1:8080/join/abc?x=1&y=2\n-- \nПарта";
	char		*content, name[256], want[512];
	size_t		 len;

	(void)state;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(outbox_queue(OUTBOX_EMAIL, to, text), 0);
	assert_int_equal(db_commit(), 0);
	outbox_flush();
	assert_int_equal(files_for(to, &content, name, sizeof(name)), 1);
	snprintf(want, sizeof(want), "%s\n%s\n", to, text);
	assert_string_equal(content, want);
	free(content);
	len = strlen(name);
	assert_int_equal(len, 12 + strlen("-email.txt"));
	assert_string_equal(name + 12, "-email.txt");
	assert_int_equal(strspn(name, "0123456789"), 12);

	assert_int_equal(db_begin(), 0);
	assert_int_equal(outbox_queue(OUTBOX_EMAIL, to, "второе"), 0);
	assert_int_equal(outbox_queue(OUTBOX_EMAIL, to, "третье"), 0);
	assert_int_equal(db_commit(), 0);
	outbox_flush();
	assert_int_equal(files_for(to, &content, name, sizeof(name)), 3);
	free(content);
}

/* A kind the table does not allow fails inside the transaction. */
static void
test_bad_kind(void **state)
{
	const char	*to = new_recipient("fax");
	char		*content, name[256];

	(void)state;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(outbox_queue("fax", to, "no"), -1);
	assert_string_equal(db_sqlstate(), DB_CHECK_VIOLATION);
	db_rollback();
	outbox_flush();
	assert_int_equal(files_for(to, &content, name, sizeof(name)), 0);
	free(content);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config),
		T(test_commit_writes_file),
		T(test_rollback_writes_nothing),
		T(test_email_and_several),
		T(test_bad_kind),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
