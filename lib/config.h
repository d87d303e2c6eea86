/*
 * config: settings from the environment, or from the file named by
 * PARTA_CONFIG (KEY=value lines, '#' comments), then the one named by
 * PARTA_OWNER_CONFIG (parta-admin's: the owner's PARTA_OWNER_DB, which
 * the programs never read); the environment wins.
 * Read once at start-up; read-only afterwards.  Every key and its
 * default is listed in README.
 */
#ifndef PARTA_CONFIG_H
#define PARTA_CONFIG_H

#include <stddef.h>

struct config {
	const char	*db;		/* PARTA_DB: libpq conninfo, the
					 * programs' role (owns nothing) */
	const char	*db_read;	/* PARTA_DB_READ: a hot standby's
					 * conninfo for read-only requests
					 * (lib/db.h); NULL unset */
	const char	*owner_db;	/* PARTA_OWNER_DB: the owner's, for
					 * parta-admin; NULL unset */
	const char	*templates;	/* PARTA_TEMPLATES: template folder */
	const char	*outbox_dir;	/* PARTA_OUTBOX_DIR: messages as files */
	const char	*sms_command;	/* PARTA_SMS_COMMAND: gets "TO\nTEXT" */
	const char	*mail_command;	/* PARTA_MAIL_COMMAND: e.g. sendmail -t */
	const char	*uploads;	/* PARTA_UPLOADS: uploaded documents */
	const char	*base_url;	/* PARTA_BASE_URL: for links we hand out */
	size_t		 max_body;	/* PARTA_MAX_BODY: form bodies, bytes */
	size_t		 max_upload;	/* PARTA_MAX_UPLOAD: uploads, bytes */
	long long	 user_quota;	/* PARTA_USER_QUOTA: a person's files,
					 * bytes (lib/file) */
	long long	 org_quota;	/* PARTA_ORG_QUOTA: the files charged
					 * to an organization, bytes */
	int		 convert_budget; /* PARTA_CONVERT_BUDGET: megapixels
					 * of the photos of one request
					 * (lib/file) */
	int		 convert_slots;	/* PARTA_CONVERT_SLOTS: photos
					 * converted at once on this host */
	int		 convert_deadline; /* PARTA_CONVERT_DEADLINE: seconds
					 * a request waits for and converts
					 * its photos */
	int		 upload_workers; /* PARTA_UPLOAD_WORKERS: a program's
					 * upload workers on this host */
	int		 login_max_fail; /* PARTA_LOGIN_MAX_FAIL per account
					 * and address */
	int		 login_addr_max; /* PARTA_LOGIN_ADDR_MAX per address */
	int		 login_account_max; /* PARTA_LOGIN_ACCOUNT_MAX per
					 * account, from anywhere */
	int		 login_window;	/* PARTA_LOGIN_WINDOW: minutes */
	int		 invite_daily;	/* PARTA_INVITE_DAILY: links a day */
	int		 invite_max_hours; /* PARTA_INVITE_MAX_HOURS */
	int		 invite_max_uses;  /* PARTA_INVITE_MAX_USES */
	int		 code_send_max;	/* PARTA_CODE_SEND_MAX per recipient */
	int		 code_wrong_max; /* PARTA_CODE_WRONG_MAX per recipient */
	int		 code_window;	/* PARTA_CODE_WINDOW: minutes */
	int		 signup_addr_max; /* PARTA_SIGNUP_ADDR_MAX per address */
	int		 child_age;	/* PARTA_CHILD_AGE: younger children
					 * sign up through a parent */
	const char	*secret;	/* PARTA_SECRET: key for derived tokens */
	const char	*pd_operator;	/* PARTA_PD_OPERATOR: who processes
					 * personal data (152-FZ), "" unset */
	const char	*pd_contact;	/* PARTA_PD_CONTACT: how to reach them */
	int		 debug_round_trips; /* PARTA_DEBUG_ROUND_TRIPS: 1 adds
					 * the X-Parta-Round-Trips header
					 * (lib/app, the tests) */
};

extern const struct config *config;

/* parta-admin: connect as the owner (PARTA_OWNER_DB) from now on; kept
 * PARTA_DB when it is unset (the local stack's tests, where PARTA_DB is
 * the owner's). */
void	config_use_owner(void);

/* Load the settings: 0, or -1 with a message on stderr. */
int	config_load(void);

#endif
