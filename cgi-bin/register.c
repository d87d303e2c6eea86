/*
 * register: account sign-up and proof of a phone number or e-mail.
 *
 * A new account is logged in at once but unverified; a one-time code
 * (lib/code: its rules and limits) goes to the phone, or to the e-mail
 * when no phone was given.  A contact that a verified account already
 * has gets a message saying someone tried to register with it instead
 * of a code, with the same answer, page and work, so nobody learns
 * whether a contact has an account here.  Rights that hang on a phone
 * number (an organization's administrator) need the verified number.
 *
 * A child younger than PARTA_CHILD_AGE (14) signs up differently
 * (lib/guardian): a login name instead of a contact of their own, and a
 * parent's phone or e-mail, where the code goes; the parent confirms
 * (/chats/family/confirm), and until then the child's account waits
 * (its /me says so; /verify/parent sends the request again).
 *
 * /me/contacts changes a phone or e-mail: the new one is used only once
 * a code sent to it is proven, then it replaces the old one, which is
 * told by a message.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "code.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "home.h"
#include "guardian.h"
#include "log.h"
#include "org.h"
#include "outbox.h"
#include "pool.h"
#include "privacy.h"
#include "store.h"
#include "utf8.h"

static int	register_form(struct http_req *);
static int	register_submit(struct http_req *);
static int	verify_form(struct http_req *);
static int	verify_submit(struct http_req *);
static int	verify_resend(struct http_req *);
static int	verify_parent(struct http_req *);
static int	contacts_form(struct http_req *);
static int	contacts_submit(struct http_req *);
static int	contacts_verify(struct http_req *);
static int	org_request_form(struct http_req *);
static int	org_request_submit(struct http_req *);
static int	org_request_show(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET, "/register", register_form },
	{ APP_POST, "/register", register_submit },
	{ APP_GET | APP_LOGIN, "/verify", verify_form },
	{ APP_POST | APP_LOGIN, "/verify", verify_submit },
	{ APP_POST | APP_LOGIN, "/verify/resend", verify_resend },
	{ APP_POST | APP_LOGIN | APP_WAITING, "/verify/parent",
	    verify_parent },
	{ APP_GET | APP_LOGIN, "/register/org", org_request_form },
	{ APP_POST | APP_LOGIN | APP_UPLOAD, "/register/org",
	    org_request_submit },
	{ APP_GET | APP_LOGIN, "/register/org/{n}", org_request_show },
	{ APP_GET | APP_LOGIN, "/me/contacts", contacts_form },
	{ APP_POST | APP_LOGIN, "/me/contacts", contacts_submit },
	{ APP_POST | APP_LOGIN, "/me/contacts/verify", contacts_verify },
};

enum reg_key {
	REG_LAST, REG_FIRST, REG_PATRONYMIC, REG_GENDER, REG_BIRTH,
	REG_PHONE, REG_EMAIL, REG_PASSWORD, REG_CONSENT, REG_LOGIN,
	REG_PARENT, REG__MAX
};

/* REG_LAST .. REG_BIRTH: the person's details, shared with /me/profile.
 * A young child gives REG_LOGIN and REG_PARENT instead of REG_PHONE and
 * REG_EMAIL: the birth date decides which pair counts.  A password is
 * never shown again (html keys unread: password). */
static const struct valid_field reg_fields[REG__MAX] = {
	VALID_PERSON_FIELDS,
	{ "phone", valid_phone, 0 },		/* REG_PHONE */
	{ "email", valid_email, 0 },		/* REG_EMAIL */
	{ "password", valid_password, 1 },	/* REG_PASSWORD */
	{ "consent", valid_consent, 1 },	/* REG_CONSENT */
	{ "login", valid_login, 0 },		/* REG_LOGIN */
	{ "parent", valid_contact, 0 },		/* REG_PARENT */
};

_Static_assert(REG_PHONE == VALID_PERSON_N, "the person's fields first");

enum orgreq_key {
	ORQ_REGION, ORQ_TYPE, ORQ_FULL, ORQ_SHORT, ORQ_INN, ORQ_KPP,
	ORQ_ALAST, ORQ_AFIRST, ORQ_APATR, ORQ_APHONE, ORQ_ADDRESS, ORQ__MAX
};

static const char	*valid_org_type(const char *, char *, size_t);

/* The lists mark the chosen region and type (html keys unread: region
 * org_type). */
static const struct valid_field orgreq_fields[ORQ__MAX] = {
	{ "region", valid_region, 1 },		/* ORQ_REGION */
	{ "org_type", valid_org_type, 1 },	/* ORQ_TYPE */
	{ "full_name", valid_line, 1 },		/* ORQ_FULL */
	{ "short_name", valid_line, 1 },	/* ORQ_SHORT */
	{ "inn", valid_inn10, 1 },		/* ORQ_INN */
	{ "kpp", valid_kpp, 1 },		/* ORQ_KPP */
	{ "admin_last_name", valid_last_name, 1 },	/* ORQ_ALAST */
	{ "admin_first_name", valid_name, 1 },	/* ORQ_AFIRST */
	{ "admin_patronymic", valid_name_opt, 0 }, /* ORQ_APATR */
	{ "admin_phone", valid_phone, 1 },	/* ORQ_APHONE */
	{ "address", valid_line, 1 },		/* ORQ_ADDRESS */
};

/* Whether a verified account other than $2 has contact $1. */
static const struct db_stmt q_taken = {
	"register_taken",
	"SELECT EXISTS (SELECT 1 FROM parta.account WHERE id <> $2"
	"  AND ((phone = $1 AND phone_verified)"
	"   OR (email = $1 AND email_verified))) AS taken"
};

/* Stale unverified sign-ups naming the contact go (sql/0013_codes.sql). */
static const struct db_stmt q_purge = {
	"register_purge",
	"SELECT parta.account_unverified_purge($1)"
};

static const struct db_stmt q_account_insert = {
	"register_account_insert",
	"INSERT INTO parta.account (last_name, first_name, patronymic, gender,"
	" birth_date, phone, email, password_hash)"
	" VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, ''), $8)"
	" RETURNING id"
};

/* Rights bound to a verified phone (administrator grants) take effect. */
static const struct db_stmt q_grants_apply = {
	"register_grants_apply",
	"SELECT parta.admin_grants_apply($1)"
};

/* Verified only if the address is still the account's own. */
static const struct db_stmt q_verify_phone = {
	"register_verify_phone",
	"UPDATE parta.account SET phone_verified = true"
	" WHERE id = $1 AND phone = $2",
	DB_UNIQUE_VIOLATION
};

static const struct db_stmt q_verify_email = {
	"register_verify_email",
	"UPDATE parta.account SET email_verified = true"
	" WHERE id = $1 AND email = $2",
	DB_UNIQUE_VIOLATION
};

/* A proven new contact replaces the old one. */
static const struct db_stmt q_contact_phone = {
	"register_contact_phone",
	"UPDATE parta.account SET phone = $2, phone_verified = true"
	" WHERE id = $1",
	DB_UNIQUE_VIOLATION
};

static const struct db_stmt q_contact_email = {
	"register_contact_email",
	"UPDATE parta.account SET email = $2, email_verified = true"
	" WHERE id = $1",
	DB_UNIQUE_VIOLATION
};

/* The change is recorded in every organization the person runs. */
static const struct db_stmt q_contact_audit = {
	"register_contact_audit",
	"SELECT parta.audit_write(org => org_id, actor => $1,"
	" action => 'contact_change', target => $1, detail => $2)"
	" FROM parta.member WHERE account_id = $1 AND role = 'admin'"
};

static const struct db_stmt q_regions = {
	"register_regions",
	"SELECT code, name FROM parta.region ORDER BY code"
};

static const struct db_stmt q_org_exists = {
	"register_org_exists",
	"SELECT id FROM parta.org WHERE inn = $1 AND kpp = $2"
};

static const struct db_stmt q_orgreq_insert = {
	"register_orgreq_insert",
	"INSERT INTO parta.org_request (applicant_id, region, org_type,"
	" full_name, short_name, inn, kpp, admin_last_name, admin_first_name,"
	" admin_patronymic, admin_phone, address, doc_name, doc_type, doc_size,"
	" doc_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
	" $13, $14, $15, $16) RETURNING id",
	/* Another request for the INN is pending (org_request_one_pending,
	 * sql/0016_flow.sql): a double click, or a colleague. */
	DB_UNIQUE_VIOLATION
};

/* The pending request for INN $1, if any, and whether person $2 filed
 * it (parta.org_request_pending: another person's request too). */
static const struct db_stmt q_orgreq_pending = {
	"register_orgreq_pending",
	"SELECT q.id, q.applicant_id = $2 AS mine,"
	" parta.region_time(q.created_at, r.tz) AS created"
	" FROM parta.org_request_pending($1) q"
	" JOIN parta.region r ON r.code = q.region"
};

/* The applicant sees their own request; the operator sees any. */
static const struct db_stmt q_orgreq_get = {
	"register_orgreq_get",
	"SELECT q.id, q.full_name, q.short_name, q.inn, q.kpp, q.status,"
	" q.reason, q.org_id, r.name AS region_name,"
	" parta.region_time(q.created_at, r.tz) AS created,"
	" EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = q.org_id"
	"  AND m.account_id = $2) AS member"
	" FROM parta.org_request q JOIN parta.region r ON r.code = q.region"
	" WHERE q.id = $1 AND (q.applicant_id = $2 OR $3)"
};

static const char *
valid_org_type(const char *in, char *out, size_t outsz)
{
	if (org_type(in) == NULL || strlen(in) >= outsz)
		return "Выберите тип организации";
	strcpy(out, in);
	return NULL;
}

static const char *
next_or_default(struct http_req *r)
{
	const char	*next = http_form(r, "next");

	if (next == NULL)
		next = http_query(r, "next");
	return app_local_path(next) ? next : NULL;
}

static void
set_next(struct http_req *r, struct html_ctx *c)
{
	const char	*next = next_or_default(r);

	if (next != NULL) {
		html_set_str(c, "next", next);
		html_set_str(c, "next_enc", http_urlencode(r->pool, next));
	}
}

/* "Попробуйте снова через N мин." for a limit. */
static const char *
retry_text(struct http_req *r, const char *what, int retry)
{
	return pool_printf(r->pool, "%s Попробуйте снова через %d мин.", what,
	    retry);
}

/*
 * A code for purpose to address (channel "phone"/"email"), or, when a
 * verified account other than account has that contact, a message that
 * carries no code and says how its owner logs in or recovers: the same
 * limits and database work either way.  A code_send result.
 */
static int
code_or_notice(struct http_req *r, long long account, enum code_purpose p,
    const char *channel, const char *address, const char *what, int *retry)
{
	const char	*base = config->base_url ? config->base_url : "";
	PGresult	*res;
	int		 taken;

	if ((res = db_exec(&q_taken, PGRES_TUPLES_OK, address,
	    pool_printf(r->pool, "%lld", account))) == NULL)
		return CODE_ERROR;
	taken = db_getbool(res, 0, "taken");
	if (!taken)
		return code_send(account, p, channel, address, what, retry);
	return code_notice(account, p, channel, address, pool_printf(r->pool,
	    "Кто-то указал %s при регистрации или смене контакта в Парте, но "
	    "он уже есть в вашем профиле, и ничего не изменилось. Войти: "
	    "%s/login. Забыли пароль? Войдите по коду: %s/login/code. Если "
	    "это были не вы, ничего делать не нужно.",
	    strcmp(channel, "phone") == 0 ? "этот номер" : "этот адрес",
	    base, base), retry);
}

/* Stale unverified sign-ups naming value go: 0, or an HTTP status. */
static int
purge(const char *value)
{
	PGresult	*res;

	if (value[0] == '\0')
		return 0;
	if ((res = db_exec(&q_purge, PGRES_TUPLES_OK, value)) == NULL)
		return app_db_error();
	return 0;
}

/*
 * GET /register
 * Anyone.  The sign-up form.
 */
static int
register_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);

	if (r->user != NULL)
		return app_redirect(r, home_path(r));
	html_set_str(c, "title", "Регистрация");
	html_set_int(c, "child_age", config->child_age);
	set_next(r, c);
	return app_page(r, HTTP_OK, "register", c);
}

/* Field k of the sign-up form does not count (the other mode's). */
static void
reg_drop(struct http_req *r, struct html_ctx *c, struct valid_result *v,
    int k, int *errors)
{
	if (v[k].error != NULL) {
		v[k].error = NULL;
		(*errors)--;
		html_set_str(c, pool_printf(r->pool, "%s_error",
		    reg_fields[k].name), "");
	}
}

/*
 * A young child's sign-up (the form is valid): the account, with a login
 * name and no contact, waiting for the parent at the REG_PARENT contact,
 * who is sent the code (lib/guardian); logged in; 303 to /me, which says
 * what it waits for.  Login name taken: 422; over the parent contact's
 * code limit: 429.
 */
static int
register_child(struct http_req *r, struct html_ctx *c,
    struct valid_result *v, const char *hash)
{
	long long	 id;
	int		 rc, retry = 0;

	rc = guardian_child_signup(r, v[REG_LAST].value, v[REG_FIRST].value,
	    v[REG_PATRONYMIC].value, v[REG_GENDER].value, v[REG_BIRTH].value,
	    v[REG_LOGIN].value, hash, v[REG_PARENT].value, &id, &retry);
	switch (rc) {
	case GUARDIAN_OK:
		break;
	case GUARDIAN_TAKEN:
		html_set_str(c, "login_error", "Этот логин уже занят: "
		    "придумайте другой, например добавьте цифры.");
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_UNPROCESSABLE, "register", c);
	case GUARDIAN_LIMIT:
		html_set_str(c, "parent_error", retry_text(r, "На этот контакт "
		    "уже отправлено слишком много кодов.", retry));
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_TOO_MANY, "register", c);
	default:
		if (rc != GUARDIAN_ERROR)
			log_err("register", "child sign-up refused: %d", rc);
		return app_db_error();
	}
	if (privacy_consent(id) == -1)
		return app_db_error();
	if (auth_session_start(r, id) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me");
}

/*
 * POST /register
 * Anyone.  Creates an unverified account with its consent to the
 * personal-data policy in force (field consent=1), logs it in and sends
 * a code to the phone (else the e-mail); 303 to /verify.  A contact that
 * a verified account has gets a notice instead of a code, with the same
 * answer.  A birth date under PARTA_CHILD_AGE makes a young child's
 * account instead (fields login and parent, not phone and email; the
 * page asks for them, 422, when they are missing): see register_child.
 * Over PARTA_SIGNUP_ADDR_MAX sign-ups from this address or the
 * recipient's PARTA_CODE_SEND_MAX: 429, nothing made or sent.  Unverified
 * sign-ups older than 7 days naming the phone or e-mail are deleted
 * first.
 */
static int
register_submit(struct http_req *r)
{
	struct valid_result	 v[REG__MAX];
	struct html_ctx		*c = app_ctx(r);
	char			 hash[SCRYPT_MCF_LEN];
	const char		*next, *channel, *address;
	PGresult		*res;
	long long		 id;
	int			 errors, rc, retry = 0, young = 0;

	html_set_str(c, "title", "Регистрация");
	html_set_int(c, "child_age", config->child_age);
	set_next(r, c);
	errors = app_form(r, reg_fields, REG__MAX, v, c);
	if (v[REG_GENDER].error == NULL)
		html_set_bool(c, strcmp(v[REG_GENDER].value, "f") == 0 ?
		    "gender_f" : "gender_m", 1);
	html_set_str(c, "password", "");
	if (v[REG_CONSENT].error != NULL)
		html_set_str(c, "consent_error", PRIVACY_CONSENT_MISSING);
	if (v[REG_BIRTH].error == NULL &&
	    (young = guardian_young(v[REG_BIRTH].value)) == -1)
		return app_db_error();
	html_set_bool(c, "child", young);
	if (young) {
		reg_drop(r, c, v, REG_PHONE, &errors);
		reg_drop(r, c, v, REG_EMAIL, &errors);
		if (!v[REG_LOGIN].present) {
			html_set_str(c, "login_error", "Придумайте логин: "
			    "по нему ребёнок будет входить в Парту");
			errors++;
		}
		if (!v[REG_PARENT].present) {
			html_set_str(c, "parent_error", "Укажите телефон или "
			    "почту мамы, папы или другого законного "
			    "представителя");
			errors++;
		}
	} else {
		reg_drop(r, c, v, REG_LOGIN, &errors);
		reg_drop(r, c, v, REG_PARENT, &errors);
		if (!v[REG_PHONE].present && !v[REG_EMAIL].present) {
			html_set_str(c, "phone_error",
			    "Укажите мобильный телефон или электронную почту");
			errors++;
		}
	}
	html_set_bool(c, "form_errors", errors > 0);
	if (errors > 0)
		return app_page(r, HTTP_UNPROCESSABLE, "register", c);

	/* Both a new and a taken contact pay for scrypt. */
	if (auth_password_hash(v[REG_PASSWORD].value, hash) == -1) {
		log_err("password hash", "libscrypt failed");
		return HTTP_SERVER_ERROR;
	}
	explicit_bzero(v[REG_PASSWORD].value, sizeof(v[REG_PASSWORD].value));
	if (db_begin() == -1)
		return app_db_error();
	if ((rc = code_signup_hit(r->remote_addr, &retry)) == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_LIMIT) {
		html_set_str(c, young ? "parent_error" : "phone_error",
		    retry_text(r, "С этого адреса сегодня зарегистрировалось "
		    "слишком много людей.", retry));
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_TOO_MANY, "register", c);
	}
	if (young)
		return register_child(r, c, v, hash);
	if ((rc = purge(v[REG_PHONE].value)) != 0 ||
	    (rc = purge(v[REG_EMAIL].value)) != 0)
		return rc;
	res = db_exec(&q_account_insert, PGRES_TUPLES_OK, v[REG_LAST].value,
	    v[REG_FIRST].value, v[REG_PATRONYMIC].value, v[REG_GENDER].value,
	    v[REG_BIRTH].value, v[REG_PHONE].value, v[REG_EMAIL].value, hash);
	if (res == NULL)
		return app_db_error();
	id = db_getll(res, 0, "id");
	if (privacy_consent(id) == -1)
		return app_db_error();
	channel = v[REG_PHONE].present ? "phone" : "email";
	address = v[REG_PHONE].present ? v[REG_PHONE].value :
	    v[REG_EMAIL].value;
	rc = code_or_notice(r, id, CODE_VERIFY, channel, address,
	    "Код подтверждения Парты", &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_LIMIT) {
		html_set_str(c, v[REG_PHONE].present ? "phone_error" :
		    "email_error", retry_text(r, "На этот контакт уже отправлено "
		    "слишком много кодов.", retry));
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_TOO_MANY, "register", c);
	}
	if (auth_session_start(r, id) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	next = next_or_default(r);
	return app_redirect(r, next ? pool_printf(r->pool, "/verify?next=%s",
	    http_urlencode(r->pool, next)) : "/verify");
}

static const char *
channel_param(struct http_req *r)
{
	const char	*ch = http_form(r, "channel");

	if (ch == NULL)
		ch = http_query(r, "channel");
	if (ch != NULL && (strcmp(ch, "phone") == 0 ||
	    strcmp(ch, "email") == 0))
		return ch;
	return "";
}

/* The channel that still needs proof, "" when all is verified. */
static const char *
channel_unverified(const struct auth_user *u, const char *want)
{
	if (strcmp(want, "phone") == 0 && u->phone[0] && !u->phone_verified)
		return "phone";
	if (strcmp(want, "email") == 0 && u->email[0] && !u->email_verified)
		return "email";
	if (want[0] == '\0' && u->phone[0] && !u->phone_verified)
		return "phone";
	if (want[0] == '\0' && u->email[0] && !u->email_verified)
		return "email";
	return "";
}

static void
verify_ctx(struct http_req *r, struct html_ctx *c, const char *channel,
    const char *address)
{
	html_set_str(c, "title", "Подтверждение");
	html_set_str(c, "channel", channel);
	html_set_bool(c, "channel_email", strcmp(channel, "email") == 0);
	html_set_bool(c, "by_sms", strcmp(channel, "phone") == 0);
	if (address != NULL && address[0] != '\0')
		html_set_str(c, "sent_to", address);
	set_next(r, c);
}

/*
 * GET /verify[?channel=phone|email]
 * Logged in.  The code form for the newest pending code; nothing to
 * verify: 303 to /me.
 */
static int
verify_form(struct http_req *r)
{
	struct html_ctx		*c = app_ctx(r);
	struct code_found	 f;
	const char		*channel, *want = channel_param(r), *next;

	channel = channel_unverified(r->user, want);
	if (channel[0] == '\0') {
		next = next_or_default(r);
		return app_redirect(r, next ? next : home_path(r));
	}
	if (code_pending(r->user->id, CODE_VERIFY, channel, &f) == CODE_ERROR)
		return app_db_error();
	verify_ctx(r, c, channel, f.address);
	return app_page(r, HTTP_OK, "verify", c);
}

/*
 * POST /verify
 * Logged in.  Checks the code (lib/code); on success marks the phone or
 * e-mail verified and applies the administrator grants bound to that
 * phone; 303 to next or /me.  Wrong code: 422 (the try counted against
 * the recipient); none or expired: 422 asking for a new code; the
 * recipient's wrong tries used up: 429.
 */
static int
verify_submit(struct http_req *r)
{
	static const struct valid_field code_field[] = {
		{ "code", valid_code, 1 },
	};
	struct valid_result	 v[1];
	struct html_ctx		*c = app_ctx(r);
	struct code_found	 f;
	const char		*id, *next;
	PGresult		*res;
	int			 rc, status, retry = 0;

	id = pool_printf(r->pool, "%lld", r->user->id);
	if (app_form(r, code_field, 1, v, c) > 0) {
		verify_ctx(r, c, channel_unverified(r->user, ""), NULL);
		return app_page(r, HTTP_UNPROCESSABLE, "verify", c);
	}
	if (db_begin() == -1)
		return app_db_error();
	rc = code_check(r->user->id, CODE_VERIFY, "", "", v[0].value, &f,
	    &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_NONE) {
		next = next_or_default(r);
		if (channel_unverified(r->user, "")[0] == '\0')
			return app_redirect(r, next ? next : home_path(r));
		verify_ctx(r, c, channel_unverified(r->user, ""), NULL);
		html_set_str(c, "code_error", "Код не найден или истёк. "
		    "Запросите новый.");
		return app_page(r, HTTP_UNPROCESSABLE, "verify", c);
	}
	if (rc != CODE_OK) {
		/* The failed try stays counted even though the answer fails. */
		if ((status = app_commit(r)) != 0)
			return status;
		verify_ctx(r, c, channel_unverified(r->user, ""), NULL);
		html_set_str(c, "code_error", rc == CODE_LIMIT ? retry_text(r,
		    "Слишком много неверных попыток.", retry) :
		    "Неверный код. Проверьте цифры и попробуйте ещё раз.");
		return app_page(r, rc == CODE_LIMIT ? HTTP_TOO_MANY :
		    HTTP_UNPROCESSABLE, "verify", c);
	}
	verify_ctx(r, c, f.channel, f.address);
	res = db_exec(strcmp(f.channel, "phone") == 0 ? &q_verify_phone :
	    &q_verify_email, PGRES_COMMAND_OK, id, f.address);
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			return app_db_error();
		html_set_str(c, "code_error", "Этот адрес уже подтверждён в "
		    "другом профиле.");
		return app_page(r, HTTP_CONFLICT, "verify", c);
	}
	if ((res = db_exec(&q_grants_apply, PGRES_TUPLES_OK, id)) == NULL)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	next = next_or_default(r);
	return app_redirect(r, next ? next : home_path(r));
}

/*
 * POST /verify/resend   field: channel (phone|email, optional)
 * Logged in.  A new code replaces the old one (a notice instead when the
 * contact is another account's, as at sign-up); over the recipient's
 * PARTA_CODE_SEND_MAX: 429, nothing sent.  303 to /verify.
 */
static int
verify_resend(struct http_req *r)
{
	struct html_ctx	*c;
	const char	*channel, *address, *next;
	int		 rc, retry = 0;

	channel = channel_unverified(r->user, channel_param(r));
	next = next_or_default(r);
	if (channel[0] == '\0')
		return app_redirect(r, next ? next : home_path(r));
	address = strcmp(channel, "phone") == 0 ? r->user->phone :
	    r->user->email;
	if (db_begin() == -1)
		return app_db_error();
	rc = code_or_notice(r, r->user->id, CODE_VERIFY, channel, address,
	    "Код подтверждения Парты", &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_LIMIT) {
		c = app_ctx(r);
		verify_ctx(r, c, channel, NULL);
		html_set_str(c, "code_error", retry_text(r, "На этот контакт "
		    "уже отправлено слишком много кодов.", retry));
		return app_page(r, HTTP_TOO_MANY, "verify", c);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/verify?channel=%s%s%s",
	    channel, next ? "&next=" : "", next ?
	    http_urlencode(r->pool, next) : ""));
}

/*
 * POST /verify/parent   field: parent (optional: a phone or an e-mail)
 * A young child waiting for a guardian (anyone else: 404).  Sends the
 * code to the parent again (lib/guardian), to parent instead when given
 * (it replaces the contact named before); 303 to /me?sent=1.  Not a
 * phone or e-mail: 422; over the contact's PARTA_CODE_SEND_MAX, or the
 * account's own (the sign-up's code and the requests again, to whatever
 * contacts): 429 saying when to try again, nothing sent (both on the
 * waiting page).
 */
static int
verify_parent(struct http_req *r)
{
	char		 contact[VALID_MAX];
	const char	*in = http_form(r, "parent"), *err;
	int		 rc, retry = 0;

	if (!r->user->waiting)
		return HTTP_NOT_FOUND;
	contact[0] = '\0';
	if (in != NULL && in[strspn(in, " ")] != '\0' &&
	    (err = valid_contact(in, contact, sizeof(contact))) != NULL)
		return guardian_waiting_page(r, HTTP_UNPROCESSABLE,
		    "Введите мобильный телефон или электронную почту "
		    "родителя");
	if (db_begin() == -1)
		return app_db_error();
	rc = guardian_child_resend(r, contact, &retry);
	if (rc == GUARDIAN_LIMIT)
		return guardian_waiting_page(r, HTTP_TOO_MANY, retry_text(r,
		    "На этот контакт уже отправлено слишком много кодов.",
		    retry));
	if (rc == GUARDIAN_ACCOUNT_LIMIT)
		return guardian_waiting_page(r, HTTP_TOO_MANY, retry_text(r,
		    "Вы уже отправили родителям слишком много кодов.", retry));
	if (rc != GUARDIAN_OK)
		return guardian_http_status(rc);
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me?sent=1");
}

/*
 * The page of /me/contacts with status: the person's contacts and
 * pending changes.  Also the answer to a refused change, so it rolls
 * back first (app_rollback): it shows no code the refused request sent,
 * and reads after a statement that failed.
 */
static int
contacts_page(struct http_req *r, struct html_ctx *c, int status)
{
	static const char *const ch[2] = { "phone", "email" };
	struct code_found	 f;
	struct html_ctx		*item;
	int			 i, rc;

	app_rollback();
	html_set_str(c, "title", "Телефон и почта");
	html_set_str(c, "cur_phone", r->user->phone);
	html_set_str(c, "cur_email", r->user->email);
	html_set_bool(c, "phone_verified", r->user->phone_verified);
	html_set_bool(c, "email_verified", r->user->email_verified);
	html_set_bool(c, "ask_current", !r->user->code_login_recent);
	for (i = 0; i < 2; i++) {
		if ((rc = code_pending(r->user->id, CODE_CONTACT, ch[i], &f)) ==
		    CODE_ERROR)
			return app_db_error();
		if (rc == 1) {
			item = html_list_add(c, "pending");
			html_set_str(item, "address", f.address);
			html_set_bool(c, "has_pending", 1);
		}
	}
	return app_page(r, status, "contacts", c);
}

/*
 * GET /me/contacts
 * Logged in.  The phone and e-mail, a form to change them, and the code
 * form while a change waits for its proof.
 */
static int
contacts_form(struct http_req *r)
{
	return contacts_page(r, app_ctx(r), HTTP_OK);
}

/*
 * POST /me/contacts   fields: phone email password
 * Logged in, with the password (none within 15 minutes of a login by
 * code: auth_confirm_password; wrong 422, too many 429).  A value other
 * than the current one gets a code sent to it
 * (a notice instead when another verified account has it); nothing
 * changes until POST /me/contacts/verify.  An empty field keeps its
 * contact.  Nothing new: 422; over the recipient's PARTA_CODE_SEND_MAX:
 * 429, nothing sent.  303 to /me/contacts.
 */
static int
contacts_submit(struct http_req *r)
{
	static const struct valid_field fields[2] = {
		{ "phone", valid_phone, 0 },
		{ "email", valid_email, 0 },
	};
	static const char *const ch[2] = { "phone", "email" };
	struct valid_result	 v[2];
	struct html_ctx		*c = app_ctx(r);
	const char		*cur[2];
	int			 i, n = 0, rc, retry = 0;

	cur[0] = r->user->phone;
	cur[1] = r->user->email;
	if (app_form(r, fields, 2, v, c) > 0)
		goto invalid;
	for (i = 0; i < 2; i++)
		if (v[i].present && strcmp(v[i].value, cur[i]) != 0)
			n++;
	if (n == 0) {
		html_set_str(c, "phone_error", "Укажите новый номер или новый "
		    "адрес почты");
		goto invalid;
	}
	/* Whoever holds a session must not take the account over by a
	 * contact of theirs (then a code login, then a new password). */
	switch (auth_confirm_password(r, "contacts",
	    http_form(r, "password"))) {
	case AUTH_CONFIRM_OK:
		break;
	case AUTH_CONFIRM_MISSING:
		html_set_str(c, "password_error", "Введите пароль");
		goto invalid;
	case AUTH_CONFIRM_WRONG:
		html_set_str(c, "password_error", "Неверный пароль");
		goto invalid;
	case AUTH_CONFIRM_THROTTLED:
		html_set_str(c, "password_error", "Слишком много неверных "
		    "попыток: подождите и попробуйте снова");
		html_set_bool(c, "form_errors", 1);
		return contacts_page(r, c, HTTP_TOO_MANY);
	default:
		return app_db_error();
	}
	if (db_begin() == -1)
		return app_db_error();
	for (i = 0; i < 2; i++) {
		if (!v[i].present || strcmp(v[i].value, cur[i]) == 0)
			continue;
		rc = code_or_notice(r, r->user->id, CODE_CONTACT, ch[i],
		    v[i].value, "Код для смены контакта в Парте", &retry);
		if (rc == CODE_ERROR)
			return app_db_error();
		if (rc == CODE_LIMIT) {
			html_set_str(c, i == 0 ? "phone_error" : "email_error",
			    retry_text(r, "На этот контакт уже отправлено "
			    "слишком много кодов.", retry));
			html_set_bool(c, "form_errors", 1);
			return contacts_page(r, c, HTTP_TOO_MANY);
		}
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me/contacts");

invalid:
	html_set_bool(c, "form_errors", 1);
	return contacts_page(r, c, HTTP_UNPROCESSABLE);
}

/*
 * POST /me/contacts/verify   field: code
 * Logged in.  The right code for a pending change: the new contact
 * replaces the old one, verified; the old one is told by a message; a
 * new phone applies the administrator grants pending for it (rights
 * given through the old phone stay); every organization the person
 * administers records the change in its audit.  303 to /me/contacts.
 * Wrong code 422, none 422, the recipient's wrong tries used up 429,
 * the contact proven by someone else meanwhile 409.
 */
static int
contacts_verify(struct http_req *r)
{
	static const struct valid_field code_field[] = {
		{ "code", valid_code, 1 },
	};
	struct valid_result	 v[1];
	struct html_ctx		*c = app_ctx(r);
	struct code_found	 f;
	const char		*id, *old, *what;
	PGresult		*res;
	int			 rc, status, retry = 0, phone;

	id = pool_printf(r->pool, "%lld", r->user->id);
	if (app_form(r, code_field, 1, v, c) > 0)
		goto page;
	if (db_begin() == -1)
		return app_db_error();
	rc = code_check(r->user->id, CODE_CONTACT, "", "", v[0].value, &f,
	    &retry);
	if (rc == CODE_ERROR)
		return app_db_error();
	if (rc == CODE_NONE) {
		html_set_str(c, "code_error", "Код не найден или истёк. "
		    "Укажите новый контакт ещё раз.");
		goto page;
	}
	if (rc != CODE_OK) {
		if ((status = app_commit(r)) != 0)
			return status;
		html_set_str(c, "code_error", rc == CODE_LIMIT ? retry_text(r,
		    "Слишком много неверных попыток.", retry) :
		    "Неверный код. Проверьте цифры и попробуйте ещё раз.");
		return contacts_page(r, c, rc == CODE_LIMIT ? HTTP_TOO_MANY :
		    HTTP_UNPROCESSABLE);
	}
	phone = strcmp(f.channel, "phone") == 0;
	old = phone ? r->user->phone : r->user->email;
	res = db_exec(phone ? &q_contact_phone : &q_contact_email,
	    PGRES_COMMAND_OK, id, f.address);
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			return app_db_error();
		html_set_str(c, "code_error", "Этот контакт уже подтверждён в "
		    "другом профиле.");
		return contacts_page(r, c, HTTP_CONFLICT);
	}
	what = phone ? "телефон" : "электронная почта";
	if ((res = db_exec(&q_contact_audit, PGRES_TUPLES_OK, id,
	    pool_printf(r->pool, "Изменён контакт: %s", what))) == NULL)
		return app_db_error();
	if (phone) {
		if ((res = db_exec(&q_grants_apply, PGRES_TUPLES_OK, id)) ==
		    NULL)
			return app_db_error();
	}
	if (old[0] != '\0' && outbox_queue(phone ? OUTBOX_SMS : OUTBOX_EMAIL,
	    old, pool_printf(r->pool, "В вашем профиле Парты %s заменён на "
	    "%s. Если это сделали не вы, войдите по коду и смените пароль: "
	    "%s/login/code.", phone ? "номер телефона" : "адрес почты",
	    f.address, config->base_url ? config->base_url : "")) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me/contacts");

page:
	return contacts_page(r, c, HTTP_UNPROCESSABLE);
}

/* Region and type choices for the form, with the selected ones marked;
 * *bad_region set when region is given but is no region.  0, or an HTTP
 * status. */
static int
orgreq_choices(struct html_ctx *c, const char *region,
    const char *type, int *bad_region)
{
	struct html_ctx	*item;
	PGresult	*res;
	size_t		 i;
	int		 found = 0, row;

	/* The document's limit as the form's check says it. */
	html_set_int(c, "upload_max_mb", (long long)(config->max_upload >> 20));
	if ((res = db_exec(&q_regions, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	for (row = 0; row < PQntuples(res); row++) {
		item = html_list_add(c, "regions");
		html_set_str(item, "code", db_get(res, row, "code"));
		html_set_str(item, "name", db_get(res, row, "name"));
		if (region != NULL && strcmp(region, db_get(res, row,
		    "code")) == 0) {
			html_set_bool(item, "selected", 1);
			found = 1;
		}
	}
	for (i = 0; i < ORG_TYPE_N; i++) {
		item = html_list_add(c, "types");
		html_set_str(item, "value", org_types[i].value);
		html_set_str(item, "name", org_types[i].name);
		if (type != NULL && strcmp(type, org_types[i].value) == 0)
			html_set_bool(item, "selected", 1);
	}
	*bad_region = region != NULL && region[0] != '\0' && !found;
	return 0;
}

static int
has_verified_contact(const struct auth_user *u)
{
	return u->phone_verified || u->email_verified;
}

/*
 * The page for a request refused because one for the same INN is
 * pending: "заявка уже подана, вот она" with its link for the person
 * who filed it, or that someone else did (409).  0 with *shown set when
 * one is pending (none, or decided meanwhile: *shown 0), or an HTTP
 * status.  Also the answer when the request's INSERT lost to a parallel
 * one: that failure left the transaction unusable, so it reads outside
 * it (app_rollback).
 */
static int
orgreq_pending_page(struct http_req *r, struct html_ctx *c, const char *inn,
    int *shown)
{
	PGresult	*res;

	app_rollback();
	if ((res = db_exec(&q_orgreq_pending, PGRES_TUPLES_OK, inn,
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (!(*shown = PQntuples(res) == 1))
		return 0;
	html_set_str(c, "title", "Заявка уже подана");
	html_set_str(c, "inn", inn);
	html_set_str(c, "req_id", db_get(res, 0, "id"));
	html_set_str(c, "created", db_get(res, 0, "created"));
	html_set_bool(c, "mine", db_getbool(res, 0, "mine"));
	return app_page(r, HTTP_CONFLICT, "register_org_pending", c);
}

/*
 * GET /register/org
 * Logged in with a verified phone or e-mail (else 303 to /verify).  The
 * organization registration request form.
 */
static int
org_request_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	int		 rc, bad_region;

	if (!has_verified_contact(r->user))
		return app_redirect(r, "/verify?next=/register/org");
	html_set_str(c, "title", "Заявка на регистрацию организации");
	if ((rc = orgreq_choices(c, NULL, NULL, &bad_region)) != 0)
		return rc;
	return app_page(r, HTTP_OK, "register_org", c);
}

/*
 * POST /register/org   multipart: region org_type full_name short_name inn
 *   kpp admin_last_name admin_first_name admin_patronymic admin_phone
 *   address document
 * Logged in, verified.  Files a pending request with the appointment
 * document (PDF, JPEG or PNG by its first bytes, up to PARTA_MAX_UPLOAD);
 * 303 to /register/org/ID.  An organization with that INN and KPP exists
 * already: 409 explaining how to ask for an administrator change.  A
 * request for that INN is pending already (one at a time, held by the
 * database under any concurrency): 409 with that request, linked for
 * whoever filed it.
 */
static int
org_request_submit(struct http_req *r)
{
	struct valid_result	 v[ORQ__MAX];
	struct html_ctx		*c = app_ctx(r);
	const struct http_file	*doc;
	const char		*type = NULL, *name;
	char			 key[STORE_KEY_LEN + 1];
	PGresult		*res;
	long long		 id;
	int			 errors, bad_region, rc, shown;

	if (!has_verified_contact(r->user))
		return app_redirect(r, "/verify?next=/register/org");
	html_set_str(c, "title", "Заявка на регистрацию организации");
	errors = app_form(r, orgreq_fields, ORQ__MAX, v, c);
	if ((rc = orgreq_choices(c, v[ORQ_REGION].value, v[ORQ_TYPE].value,
	    &bad_region)) != 0)
		return rc;
	if (bad_region && v[ORQ_REGION].error == NULL) {
		html_set_str(c, "region_error", VALID_E_REGION);
		errors++;
	}
	doc = http_file_get(&r->files, "document");
	if (http_file_count(&r->files, "document") > 1) {
		html_set_str(c, "document_error", VALID_E_ONE_FILE);
		errors++;
	} else if (doc == NULL || doc->len == 0) {
		html_set_str(c, "document_error", "Приложите приказ о назначении "
		    "администратора, подписанный руководителем");
		errors++;
	} else if (doc->len > config->max_upload) {
		html_set_str(c, "document_error", pool_printf(r->pool, "Файл "
		    "больше %zu МБ", config->max_upload >> 20));
		errors++;
	} else if ((type = store_sniff(doc->data, doc->len)) == NULL) {
		html_set_str(c, "document_error", "Нужен файл PDF, JPEG или "
		    "PNG");
		errors++;
	}
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_UNPROCESSABLE, "register_org", c);
	}

	if ((res = db_exec(&q_org_exists, PGRES_TUPLES_OK, v[ORQ_INN].value,
	    v[ORQ_KPP].value)) == NULL)
		return app_db_error();
	if (PQntuples(res) > 0) {
		html_set_str(c, "title", "Организация уже зарегистрирована");
		html_set_str(c, "inn", v[ORQ_INN].value);
		html_set_str(c, "kpp", v[ORQ_KPP].value);
		return app_page(r, HTTP_CONFLICT, "org_exists", c);
	}
	if ((rc = orgreq_pending_page(r, c, v[ORQ_INN].value,
	    &shown)) != 0 || shown)
		return rc;

	if (store_put(doc->data, doc->len, key) == -1) {
		html_set_str(c, "document_error", "Не удалось сохранить файл: "
		    "на сервере закончилось место. Попробуйте позже.");
		html_set_bool(c, "form_errors", 1);
		return app_page(r, HTTP_UNAVAILABLE, "register_org", c);
	}
	name = doc->filename[0] != '\0' && utf8_valid(doc->filename,
	    strlen(doc->filename)) ? doc->filename : "document";
	if (db_begin() == -1)
		goto fail;
	res = db_exec(&q_orgreq_insert, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", r->user->id), v[ORQ_REGION].value,
	    v[ORQ_TYPE].value, v[ORQ_FULL].value, v[ORQ_SHORT].value,
	    v[ORQ_INN].value, v[ORQ_KPP].value, v[ORQ_ALAST].value,
	    v[ORQ_AFIRST].value, v[ORQ_APATR].value, v[ORQ_APHONE].value,
	    v[ORQ_ADDRESS].value, name, type,
	    pool_printf(r->pool, "%zu", doc->len), key);
	if (res == NULL) {
		if (strcmp(db_sqlstate(), DB_UNIQUE_VIOLATION) != 0)
			goto fail;
		/* Filed a moment ago by a parallel request. */
		(void)store_delete(key);
		if ((rc = orgreq_pending_page(r, c, v[ORQ_INN].value,
		    &shown)) != 0 || shown)
			return rc;
		return HTTP_CONFLICT;
	}
	id = db_getll(res, 0, "id");
	if (app_commit(r) != 0)
		goto fail;
	return app_redirect(r, pool_printf(r->pool, "/register/org/%lld", id));
fail:
	(void)store_delete(key);
	return app_db_error();
}

/*
 * GET /register/org/ID
 * The person who filed the request (or the operator); anyone else 404.
 * The request's status, and the reason when it was rejected.
 */
static int
org_request_show(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;
	const char	*status;

	res = db_exec(&q_orgreq_get, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", r->id[0]),
	    pool_printf(r->pool, "%lld", r->user->id),
	    r->user->is_operator ? "true" : "false");
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	status = db_get(res, 0, "status");
	html_set_str(c, "title", "Заявка организации");
	app_set_cols(c, res, 0, "id", "full_name", "short_name", "inn", "kpp",
	    "region_name", "created", "reason", NULL);
	html_set_bool(c, "pending", strcmp(status, "pending") == 0);
	html_set_bool(c, "approved", strcmp(status, "approved") == 0);
	html_set_bool(c, "rejected", strcmp(status, "rejected") == 0);
	html_set_str(c, "status_name", org_request_status(status));
	if (db_getbool(res, 0, "member"))
		html_set_str(c, "org_link", db_get(res, 0, "org_id"));
	return app_page(r, HTTP_OK, "register_org_status", c);
}

int
main(int argc, char *argv[])
{
	return app_main("register", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
