/*
 * Housekeeping (`parta-admin cleanup`, parta.housekeeping in
 * sql/0020_housekeeping.sql): what has expired goes, what is live stays.
 * Rows are planted with SQL, aged on purpose, and looked for afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

/* Run parta-admin cleanup against the test database: its exit status. */
static int
cleanup(void)
{
	char	 cmd[1024];

	snprintf(cmd, sizeof(cmd), "'%s/build/bin/parta-admin' cleanup "
	    ">/dev/null", getenv("PARTA_ROOT") ? getenv("PARTA_ROOT") : ".");
	return system(cmd);
}

static void
expired_rows_go_live_ones_stay(void)
{
	struct t_person	 p;
	char		 tag[16], phone_old[16], phone_new[16];

	t_signup(&p, "Уборкина", "Ольга");
	p.id = atoll(t_sql("SELECT id FROM parta.account WHERE phone = '%s'",
	    p.phone));
	T_TRUE(p.id > 0);
	t_unique_phone(phone_old);
	t_unique_phone(phone_new);
	snprintf(tag, sizeof(tag), "%s", phone_old + 4);
	/* Sessions: one expired a second ago; the person's own is live. */
	T_TRUE(t_sql("INSERT INTO parta.session (token_hash, account_id, csrf,"
	    " expires_at) VALUES (sha256(convert_to('hk%s', 'UTF8')), %lld,"
	    " 'x', now() - interval '1 second')", tag, p.id) != NULL);
	/* Codes: an expired one. */
	T_TRUE(t_sql("INSERT INTO parta.code (account_id, purpose, channel,"
	    " address, code_hash, expires_at) VALUES (%lld, 'login', 'phone',"
	    " '%s', sha256('x'), now() - interval '1 second')", p.id,
	    p.phone) != NULL);
	/* Limits: a window two days old and a fresh one. */
	T_TRUE(t_sql("INSERT INTO parta.throttle (key, since, n) VALUES"
	    " ('hk-old-%s', now() - interval '2 days', 3),"
	    " ('hk-new-%s', now(), 3);"
	    "INSERT INTO parta.code_limit (kind, key, since, n) VALUES"
	    " ('sent', 'hk-old-%s', now() - interval '2 days', 1),"
	    " ('sent', 'hk-new-%s', now(), 1)", tag, tag, tag, tag) != NULL);
	/* Messages: delivered two days ago, delivered now, never sent. */
	T_TRUE(t_sql("INSERT INTO parta.outbox (kind, recipient, body,"
	    " created_at, sent_at) VALUES"
	    " ('sms', 'hk-old-%s', 'x', now() - interval '2 days',"
	    "  now() - interval '2 days'),"
	    " ('sms', 'hk-new-%s', 'x', now(), now()),"
	    " ('sms', 'hk-unsent-%s', 'x', now() - interval '2 days', NULL)",
	    tag, tag, tag) != NULL);
	/* Accounts never verified: eight days old, and a fresh one. */
	T_TRUE(t_sql("INSERT INTO parta.account (last_name, first_name,"
	    " gender, birth_date, phone, password_hash, created_at) VALUES"
	    " ('Старый', 'Черновик', 'm', '2000-01-01', '%s', 'x',"
	    "  now() - interval '8 days'),"
	    " ('Новый', 'Черновик', 'm', '2000-01-01', '%s', 'x', now())",
	    phone_old, phone_new) != NULL);

	/* Young children (no contact, sql/0017): one whose registration a
	 * guardian confirmed counts as verified and stays, one still
	 * waiting after 8 days goes. */
	T_TRUE(t_sql("WITH k AS (INSERT INTO parta.account (last_name,"
	    " first_name, gender, birth_date, login, password_hash, created_at)"
	    " VALUES ('Малышова', 'Подтверждённая', 'f', '2019-01-01',"
	    " 'hkyes%s', 'x', now() - interval '8 days'),"
	    " ('Малышов', 'Ждущий', 'm', '2019-01-01', 'hkno%s', 'x',"
	    " now() - interval '8 days') RETURNING id, login)"
	    " INSERT INTO parta.child_signup (child_id, contact, confirmed_at,"
	    " confirmed_by) SELECT id, '%s', CASE WHEN login LIKE 'hkyes%%'"
	    " THEN now() END, CASE WHEN login LIKE 'hkyes%%' THEN %lld END"
	    " FROM k", tag, tag, p.phone, p.id) != NULL);

	T_EQ(cleanup(), 0);

	T_STREQ(t_sql("SELECT string_agg(login, ',') FROM parta.account"
	    " WHERE login IN ('hkyes%s', 'hkno%s')", tag, tag),
	    t_sql("SELECT 'hkyes%s'", tag));

	T_STREQ(t_sql("SELECT count(*) FROM parta.session WHERE account_id ="
	    " %lld AND expires_at <= now()", p.id), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.session WHERE account_id ="
	    " %lld", p.id), "1");
	T_STREQ(t_sql("SELECT count(*) FROM parta.code WHERE account_id ="
	    " %lld AND expires_at <= now()", p.id), "0");
	T_STREQ(t_sql("SELECT string_agg(key, ',' ORDER BY key) FROM"
	    " parta.throttle WHERE key LIKE 'hk-%%-%s'", tag),
	    t_sql("SELECT 'hk-new-%s'", tag));
	T_STREQ(t_sql("SELECT string_agg(key, ',' ORDER BY key) FROM"
	    " parta.code_limit WHERE key LIKE 'hk-%%-%s'", tag),
	    t_sql("SELECT 'hk-new-%s'", tag));
	T_STREQ(t_sql("SELECT string_agg(recipient, ',' ORDER BY recipient)"
	    " FROM parta.outbox WHERE recipient LIKE 'hk-%%-%s'", tag),
	    t_sql("SELECT 'hk-new-%s,hk-unsent-%s'", tag, tag));
	T_STREQ(t_sql("SELECT string_agg(first_name || last_name, ',')"
	    " FROM parta.account WHERE phone IN ('%s', '%s')", phone_old,
	    phone_new), "ЧерновикНовый");
	/* The person's own session still works. */
	T_EQ(t_get(&p.c, "/me"), 200);
	t_client_free(&p.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "parta-admin cleanup: expired rows go, live ones stay", expired_rows_go_live_ones_stay },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
