#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pool.h"

#ifndef PARTA_TEMPLATES_DEFAULT
#define PARTA_TEMPLATES_DEFAULT	"/usr/local/share/parta/templates"
#endif

static struct config	 config_values;
const struct config	*config = &config_values;

/* Keys read from the file; the environment overrides them. */
static char	*config_file_keys[64];
static char	*config_file_vals[64];
static size_t	 config_file_n;

static int
config_read_file(const char *path)
{
	FILE	*f;
	char	 line[1024], *eq, *key, *val, *end;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "config: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		key = line + strspn(line, " \t");
		if (*key == '#' || *key == '\0')
			continue;
		if ((eq = strchr(key, '=')) == NULL ||
		    config_file_n == sizeof(config_file_keys) /
		    sizeof(config_file_keys[0])) {
			fprintf(stderr, "config: %s: bad line: %s\n", path, key);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		for (end = eq; end > key && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		val = eq + 1 + strspn(eq + 1, " \t");
		for (end = val + strlen(val); end > val &&
		    (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		config_file_keys[config_file_n] = xstrdup(key);
		config_file_vals[config_file_n++] = xstrdup(val);
	}
	fclose(f);
	return 0;
}

static const char *
config_str(const char *key, const char *def)
{
	const char	*v;
	size_t		 i;

	if ((v = getenv(key)) != NULL && *v != '\0')
		return v;
	for (i = 0; i < config_file_n; i++)
		if (strcmp(config_file_keys[i], key) == 0)
			return config_file_vals[i];
	return def;
}

static int
config_num(const char *key, long long def, long long min, long long max,
    long long *out)
{
	const char	*v = config_str(key, NULL);
	char		*end;
	long long	 n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < min || n > max) {
		fprintf(stderr, "config: %s: must be a number from %lld to "
		    "%lld\n", key, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

int
config_load(void)
{
	struct config	*c = &config_values;
	const char	*file;
	long long	 n[21];

	if ((file = getenv("PARTA_CONFIG")) != NULL && *file != '\0' &&
	    config_read_file(file) == -1)
		return -1;
	if ((file = getenv("PARTA_OWNER_CONFIG")) != NULL && *file != '\0' &&
	    config_read_file(file) == -1)
		return -1;
	c->db = config_str("PARTA_DB", "dbname=parta");
	c->db_read = config_str("PARTA_DB_READ", NULL);
	c->owner_db = config_str("PARTA_OWNER_DB", NULL);
	c->templates = config_str("PARTA_TEMPLATES", PARTA_TEMPLATES_DEFAULT);
	c->outbox_dir = config_str("PARTA_OUTBOX_DIR", NULL);
	c->sms_command = config_str("PARTA_SMS_COMMAND", NULL);
	c->mail_command = config_str("PARTA_MAIL_COMMAND", NULL);
	c->uploads = config_str("PARTA_UPLOADS", "/var/lib/parta/uploads");
	c->base_url = config_str("PARTA_BASE_URL", NULL);
	c->secret = config_str("PARTA_SECRET", NULL);
	c->pd_operator = config_str("PARTA_PD_OPERATOR", "");
	c->pd_contact = config_str("PARTA_PD_CONTACT", "");
	if (config_num("PARTA_MAX_BODY", 1 << 20, 1024, 1 << 30, &n[0]) ||
	    config_num("PARTA_MAX_UPLOAD", 10 << 20, 1024, 1 << 30, &n[1]) ||
	    config_num("PARTA_LOGIN_MAX_FAIL", 5, 1, 1000, &n[2]) ||
	    config_num("PARTA_LOGIN_ADDR_MAX", 1000, 1, 1000000, &n[3]) ||
	    config_num("PARTA_LOGIN_WINDOW", 15, 1, 1440, &n[4]) ||
	    config_num("PARTA_INVITE_DAILY", 50, 1, 100000, &n[5]) ||
	    config_num("PARTA_INVITE_MAX_HOURS", 336, 1, 336, &n[6]) ||
	    config_num("PARTA_INVITE_MAX_USES", 100, 1, 100, &n[7]) ||
	    config_num("PARTA_CODE_SEND_MAX", 5, 1, 1000000, &n[8]) ||
	    config_num("PARTA_CODE_WRONG_MAX", 10, 1, 1000000, &n[9]) ||
	    config_num("PARTA_CODE_WINDOW", 60, 1, 1440, &n[10]) ||
	    config_num("PARTA_SIGNUP_ADDR_MAX", 20, 1, 1000000, &n[11]) ||
	    config_num("PARTA_CHILD_AGE", 14, 1, 18, &n[12]) ||
	    config_num("PARTA_LOGIN_ACCOUNT_MAX", 100, 1, 1000000, &n[13]) ||
	    config_num("PARTA_USER_QUOTA", 500LL << 20, 1 << 20, 1LL << 50,
	    &n[14]) ||
	    config_num("PARTA_ORG_QUOTA", 20LL << 30, 1 << 20, 1LL << 50,
	    &n[15]) ||
	    config_num("PARTA_DEBUG_ROUND_TRIPS", 0, 0, 1, &n[16]) ||
	    config_num("PARTA_CONVERT_BUDGET", 150, 50, 100000, &n[17]) ||
	    config_num("PARTA_CONVERT_SLOTS", 2, 1, 1024, &n[18]) ||
	    config_num("PARTA_CONVERT_DEADLINE", 75, 5, 3600, &n[19]) ||
	    config_num("PARTA_UPLOAD_WORKERS", 6, 1, 1024, &n[20]))
		return -1;
	c->max_body = (size_t)n[0];
	c->debug_round_trips = (int)n[16];
	c->max_upload = (size_t)n[1];
	c->login_max_fail = (int)n[2];
	c->login_addr_max = (int)n[3];
	c->login_window = (int)n[4];
	c->invite_daily = (int)n[5];
	c->invite_max_hours = (int)n[6];
	c->invite_max_uses = (int)n[7];
	c->code_send_max = (int)n[8];
	c->code_wrong_max = (int)n[9];
	c->code_window = (int)n[10];
	c->signup_addr_max = (int)n[11];
	c->child_age = (int)n[12];
	c->login_account_max = (int)n[13];
	c->user_quota = n[14];
	c->org_quota = n[15];
	c->convert_budget = (int)n[17];
	c->convert_slots = (int)n[18];
	c->convert_deadline = (int)n[19];
	c->upload_workers = (int)n[20];
	return 0;
}

void
config_use_owner(void)
{
	if (config_values.owner_db != NULL)
		config_values.db = config_values.owner_db;
}
