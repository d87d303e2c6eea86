/*
 * Unit tests for lib/config.c.  config_load keeps static state (the
 * settings and the keys read from the file), so every case runs it in a
 * child process: the parent prepares the environment and the file, the
 * child loads and sends back what it got through a pipe, and the parent
 * checks the result.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* Every key config_load reads, plus the file name. */
static const char *const keys[] = {
	"PARTA_CONFIG", "PARTA_DB", "PARTA_TEMPLATES", "PARTA_OUTBOX_DIR",
	"PARTA_SMS_COMMAND", "PARTA_MAIL_COMMAND", "PARTA_UPLOADS",
	"PARTA_BASE_URL", "PARTA_MAX_BODY", "PARTA_MAX_UPLOAD",
	"PARTA_LOGIN_MAX_FAIL", "PARTA_LOGIN_ADDR_MAX", "PARTA_LOGIN_WINDOW",
	"PARTA_INVITE_DAILY", "PARTA_INVITE_MAX_HOURS",
	"PARTA_INVITE_MAX_USES",
};

#define NSTR	7

/* What the child saw: the return value and a copy of *config. */
struct snap {
	int		 rc;
	int		 isnull[NSTR];
	char		 s[NSTR][256];
	long long	 max_body;
	long long	 max_upload;
	int		 login_max_fail;
	int		 login_addr_max;
	int		 login_window;
	int		 invite_daily;
	int		 invite_max_hours;
	int		 invite_max_uses;
};

enum { DB, TEMPLATES, OUTBOX, SMS, MAIL, UPLOADS, BASE };

static char	 cfgpath[] = "/tmp/parta-test-config-XXXXXX";
static int	 cfgmade;

static void
clear_env(void)
{
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		unsetenv(keys[i]);
}

static int
group_setup(void **state)
{
	int	 fd;

	(void)state;
	clear_env();
	if ((fd = mkstemp(cfgpath)) == -1)
		return -1;
	close(fd);
	cfgmade = 1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (cfgmade)
		unlink(cfgpath);
	return 0;
}

/* Each case starts from an environment without any key. */
static int
setup(void **state)
{
	(void)state;
	clear_env();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	clear_env();
	return 0;
}

static void
write_config(const char *text)
{
	FILE	*f;

	f = fopen(cfgpath, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(setenv("PARTA_CONFIG", cfgpath, 1), 0);
}

static void
copy_str(struct snap *sn, int i, const char *v)
{
	sn->isnull[i] = v == NULL;
	snprintf(sn->s[i], sizeof(sn->s[i]), "%s", v ? v : "");
}

/* Run config_load in a child and return what it saw. */
static void
load(struct snap *sn)
{
	int	 fds[2], status, devnull;
	pid_t	 pid;
	size_t	 got = 0;
	ssize_t	 k;

	memset(sn, 0, sizeof(*sn));
	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		struct snap	 c;

		close(fds[0]);
		/* The expected complaints stay out of the test output. */
		if ((devnull = open("/dev/null", O_WRONLY)) != -1)
			dup2(devnull, STDERR_FILENO);
		memset(&c, 0, sizeof(c));
		c.rc = config_load();
		copy_str(&c, DB, config->db);
		copy_str(&c, TEMPLATES, config->templates);
		copy_str(&c, OUTBOX, config->outbox_dir);
		copy_str(&c, SMS, config->sms_command);
		copy_str(&c, MAIL, config->mail_command);
		copy_str(&c, UPLOADS, config->uploads);
		copy_str(&c, BASE, config->base_url);
		c.max_body = (long long)config->max_body;
		c.max_upload = (long long)config->max_upload;
		c.login_max_fail = config->login_max_fail;
		c.login_addr_max = config->login_addr_max;
		c.login_window = config->login_window;
		c.invite_daily = config->invite_daily;
		c.invite_max_hours = config->invite_max_hours;
		c.invite_max_uses = config->invite_max_uses;
		if (write(fds[1], &c, sizeof(c)) != (ssize_t)sizeof(c))
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof(*sn)) {
		k = read(fds[0], (char *)sn + got, sizeof(*sn) - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(got, sizeof(*sn));
}

/* config_load's return value with the environment as it is now. */
static int
load_rc(void)
{
	struct snap	 sn;

	load(&sn);
	return sn.rc;
}

static void
assert_defaults_numbers(const struct snap *sn)
{
	assert_int_equal(sn->max_body, 1048576);
	assert_int_equal(sn->max_upload, 10485760);
	assert_int_equal(sn->login_max_fail, 5);
	assert_int_equal(sn->login_addr_max, 1000);
	assert_int_equal(sn->login_window, 15);
	assert_int_equal(sn->invite_daily, 50);
	assert_int_equal(sn->invite_max_hours, 336);
	assert_int_equal(sn->invite_max_uses, 100);
}

static void
test_defaults(void **state)
{
	struct snap	 sn;

	(void)state;
	load(&sn);
	assert_int_equal(sn.rc, 0);
	assert_string_equal(sn.s[DB], "dbname=parta");
	assert_string_equal(sn.s[TEMPLATES], PARTA_TEMPLATES_DEFAULT);
	assert_true(sn.isnull[OUTBOX]);
	assert_true(sn.isnull[SMS]);
	assert_true(sn.isnull[MAIL]);
	assert_string_equal(sn.s[UPLOADS], "/var/lib/parta/uploads");
	assert_true(sn.isnull[BASE]);
	assert_false(sn.isnull[DB]);
	assert_false(sn.isnull[TEMPLATES]);
	assert_false(sn.isnull[UPLOADS]);
	assert_defaults_numbers(&sn);
}

static void
test_env(void **state)
{
	struct snap	 sn;

	(void)state;
	setenv("PARTA_DB", "host=/x dbname=y user=z", 1);
	setenv("PARTA_TEMPLATES", "/t", 1);
	setenv("PARTA_OUTBOX_DIR", "/o", 1);
	setenv("PARTA_SMS_COMMAND", "sms-send --to", 1);
	setenv("PARTA_MAIL_COMMAND", "sendmail -t", 1);
	setenv("PARTA_UPLOADS", "/u", 1);
	setenv("PARTA_BASE_URL", "https://parta.example", 1);
	setenv("PARTA_MAX_BODY", "2048", 1);
	setenv("PARTA_MAX_UPLOAD", "1073741824", 1);
	setenv("PARTA_LOGIN_MAX_FAIL", "1", 1);
	setenv("PARTA_LOGIN_ADDR_MAX", "1000000", 1);
	setenv("PARTA_LOGIN_WINDOW", "1440", 1);
	setenv("PARTA_INVITE_DAILY", "7", 1);
	setenv("PARTA_INVITE_MAX_HOURS", "24", 1);
	setenv("PARTA_INVITE_MAX_USES", "3", 1);
	load(&sn);
	assert_int_equal(sn.rc, 0);
	assert_string_equal(sn.s[DB], "host=/x dbname=y user=z");
	assert_string_equal(sn.s[TEMPLATES], "/t");
	assert_string_equal(sn.s[OUTBOX], "/o");
	assert_string_equal(sn.s[SMS], "sms-send --to");
	assert_string_equal(sn.s[MAIL], "sendmail -t");
	assert_string_equal(sn.s[UPLOADS], "/u");
	assert_string_equal(sn.s[BASE], "https://parta.example");
	assert_int_equal(sn.max_body, 2048);
	assert_int_equal(sn.max_upload, 1073741824);
	assert_int_equal(sn.login_max_fail, 1);
	assert_int_equal(sn.login_addr_max, 1000000);
	assert_int_equal(sn.login_window, 1440);
	assert_int_equal(sn.invite_daily, 7);
	assert_int_equal(sn.invite_max_hours, 24);
	assert_int_equal(sn.invite_max_uses, 3);
}

/* An empty variable counts as unset. */
static void
test_env_empty(void **state)
{
	struct snap	 sn;

	(void)state;
	setenv("PARTA_DB", "", 1);
	setenv("PARTA_OUTBOX_DIR", "", 1);
	setenv("PARTA_MAX_BODY", "", 1);
	setenv("PARTA_CONFIG", "", 1);
	load(&sn);
	assert_int_equal(sn.rc, 0);
	assert_string_equal(sn.s[DB], "dbname=parta");
	assert_true(sn.isnull[OUTBOX]);
	assert_defaults_numbers(&sn);
}

static void
test_file(void **state)
{
	struct snap	 sn;

	(void)state;
	write_config(
	    "# Parta settings\n"
	    "\n"
	    "   # an indented comment\n"
	    "PARTA_DB=host=/run/pg dbname=parta\n"
	    "PARTA_TEMPLATES = /srv/templates\n"
	    "\tPARTA_UPLOADS\t=\t/srv/uploads\n"
	    "  PARTA_OUTBOX_DIR =/srv/outbox\r\n"
	    "PARTA_BASE_URL= https://school.example\n"
	    "   \n"
	    "\t\n"
	    "PARTA_MAX_BODY = 4096\n"
	    "PARTA_LOGIN_WINDOW=60\n"
	    "PARTA_INVITE_MAX_USES =  10\n"
	    "PARTA_SMS_COMMAND = /usr/bin/sms --flag=1\n"
	    "# PARTA_MAIL_COMMAND = not me\n"
	    "PARTA_UNKNOWN_KEY = ignored\n");
	load(&sn);
	assert_int_equal(sn.rc, 0);
	assert_string_equal(sn.s[DB], "host=/run/pg dbname=parta");
	assert_string_equal(sn.s[TEMPLATES], "/srv/templates");
	assert_string_equal(sn.s[UPLOADS], "/srv/uploads");
	assert_string_equal(sn.s[OUTBOX], "/srv/outbox");
	assert_string_equal(sn.s[BASE], "https://school.example");
	assert_string_equal(sn.s[SMS], "/usr/bin/sms --flag=1");
	assert_true(sn.isnull[MAIL]);
	assert_int_equal(sn.max_body, 4096);
	assert_int_equal(sn.login_window, 60);
	assert_int_equal(sn.invite_max_uses, 10);
	/* Keys not in the file keep their defaults. */
	assert_int_equal(sn.max_upload, 10485760);
	assert_int_equal(sn.login_max_fail, 5);
	assert_int_equal(sn.invite_max_hours, 336);
}

static void
test_env_wins(void **state)
{
	struct snap	 sn;

	(void)state;
	write_config(
	    "PARTA_DB = dbname=from_file\n"
	    "PARTA_UPLOADS = /file/uploads\n"
	    "PARTA_MAX_BODY = 4096\n"
	    "PARTA_LOGIN_MAX_FAIL = 9\n");
	setenv("PARTA_DB", "dbname=from_env", 1);
	setenv("PARTA_MAX_BODY", "8192", 1);
	/* An empty variable does not hide the file's value. */
	setenv("PARTA_LOGIN_MAX_FAIL", "", 1);
	load(&sn);
	assert_int_equal(sn.rc, 0);
	assert_string_equal(sn.s[DB], "dbname=from_env");
	assert_int_equal(sn.max_body, 8192);
	assert_string_equal(sn.s[UPLOADS], "/file/uploads");
	assert_int_equal(sn.login_max_fail, 9);
}

/* A bad value in the environment wins too, and fails. */
static void
test_env_wins_bad(void **state)
{
	(void)state;
	write_config("PARTA_LOGIN_WINDOW = 30\n");
	assert_int_equal(load_rc(), 0);
	setenv("PARTA_LOGIN_WINDOW", "0", 1);
	assert_int_equal(load_rc(), -1);
}

static void
test_file_errors(void **state)
{
	(void)state;
	/* A line without '='. */
	write_config("PARTA_DB=dbname=x\nthis line has no equals sign\n");
	assert_int_equal(load_rc(), -1);
	/* An out-of-range number in the file. */
	write_config("PARTA_LOGIN_WINDOW = 1441\n");
	assert_int_equal(load_rc(), -1);
	write_config("PARTA_MAX_BODY = lots\n");
	assert_int_equal(load_rc(), -1);
	/* A file that does not exist. */
	setenv("PARTA_CONFIG", "/nonexistent/parta/config", 1);
	assert_int_equal(load_rc(), -1);
	/* An empty file is fine. */
	write_config("");
	assert_int_equal(load_rc(), 0);
}

static void
test_numbers_range(void **state)
{
	static const struct {
		const char	*key;
		const char	*val;
		int		 rc;
	} v[] = {
		{ "PARTA_MAX_BODY", "1023", -1 },
		{ "PARTA_MAX_BODY", "1024", 0 },
		{ "PARTA_MAX_BODY", "1073741824", 0 },
		{ "PARTA_MAX_BODY", "1073741825", -1 },
		{ "PARTA_MAX_UPLOAD", "1023", -1 },
		{ "PARTA_MAX_UPLOAD", "1073741825", -1 },
		{ "PARTA_LOGIN_MAX_FAIL", "0", -1 },
		{ "PARTA_LOGIN_MAX_FAIL", "1000", 0 },
		{ "PARTA_LOGIN_MAX_FAIL", "1001", -1 },
		{ "PARTA_LOGIN_ADDR_MAX", "0", -1 },
		{ "PARTA_LOGIN_ADDR_MAX", "1000001", -1 },
		{ "PARTA_LOGIN_WINDOW", "0", -1 },
		{ "PARTA_LOGIN_WINDOW", "1", 0 },
		{ "PARTA_LOGIN_WINDOW", "1441", -1 },
		{ "PARTA_INVITE_DAILY", "0", -1 },
		{ "PARTA_INVITE_DAILY", "100001", -1 },
		{ "PARTA_INVITE_MAX_HOURS", "336", 0 },
		{ "PARTA_INVITE_MAX_HOURS", "337", -1 },
		{ "PARTA_INVITE_MAX_USES", "100", 0 },
		{ "PARTA_INVITE_MAX_USES", "101", -1 },
		{ "PARTA_INVITE_MAX_USES", "-1", -1 },
		{ "PARTA_LOGIN_WINDOW", "-15", -1 },
		{ "PARTA_MAX_BODY", "99999999999999999999999", -1 },
		{ "PARTA_MAX_BODY", "-99999999999999999999999", -1 },
		{ "PARTA_MAX_BODY", "18446744073709551616", -1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		setenv(v[i].key, v[i].val, 1);
		if (load_rc() != v[i].rc)
			fail_msg("%s=%s: want %d", v[i].key, v[i].val,
			    v[i].rc);
		unsetenv(v[i].key);
	}
}

static void
test_numbers_not_numeric(void **state)
{
	static const char *const bad[] = {
		"abc", "12abc", "12 ", "1e3", "0x400", "4096.0", "+", "-",
		"4 096", "١٢٣٤",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("PARTA_MAX_BODY", bad[i], 1);
		if (load_rc() != -1)
			fail_msg("PARTA_MAX_BODY=\"%s\" was accepted", bad[i]);
		setenv("PARTA_MAX_BODY", "4096", 1);
		setenv("PARTA_INVITE_DAILY", bad[i], 1);
		if (load_rc() != -1)
			fail_msg("PARTA_INVITE_DAILY=\"%s\" was accepted",
			    bad[i]);
		clear_env();
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_wins_bad, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_numbers_range, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_numbers_not_numeric,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
