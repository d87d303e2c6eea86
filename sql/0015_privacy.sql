-- Personal data (152-FZ): the policy in force, each person's consent to
-- it, and deleting an account.
--
-- The policy is versioned in the database: every version is a row of
-- parta.privacy_policy with its text, and the one in force is the newest
-- whose published_at has come.  Publishing a new version is one INSERT
-- (README, "Personal data"); everyone whose latest consent is for an
-- older version is asked again before anything else (lib/app.c, through
-- the consent_ok column of the session lookup in lib/auth.c).

CREATE TABLE parta.privacy_policy (
	version		text PRIMARY KEY CHECK (version ~ '^[0-9A-Za-z.-]{1,20}$'),
	published_at	timestamptz NOT NULL DEFAULT now(),
	-- Plain text; a blank line separates paragraphs.
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000)
);
CREATE INDEX privacy_policy_published ON parta.privacy_policy (published_at);

-- The version in force: NULL only while no version is published.
CREATE FUNCTION parta.privacy_current() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT version FROM parta.privacy_policy WHERE published_at <= now()
	ORDER BY published_at DESC, version DESC LIMIT 1
$$;

CREATE TABLE parta.privacy_consent (
	account_id	bigint NOT NULL REFERENCES parta.account ON DELETE CASCADE,
	version		text NOT NULL REFERENCES parta.privacy_policy,
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (account_id, version)
);

INSERT INTO parta.privacy_policy (version, published_at, body) VALUES
('1', '2025-09-01 12:00+03',
'Эта политика объясняет, какие персональные данные обрабатывает Парта, зачем и как вы можете ими распоряжаться. Она составлена по Федеральному закону от 27.07.2006 № 152-ФЗ «О персональных данных».

Какие данные мы храним: фамилию, имя, отчество, пол, дату рождения, номер мобильного телефона и адрес электронной почты, которые вы указали при регистрации; ваше членство в организациях и классах, ваши заявки, связи «родитель — ребёнок», сообщения, которые вы написали в чатах, и данные о входах (время, браузер, адрес).

Зачем: чтобы вы могли войти, чтобы школа знала, кто вы, и пустила вас в свои классы и чаты, чтобы родители общались с учителями. Мы не показываем ваши данные посторонним, не продаём их и не используем для рекламы. Найти человека по номеру телефона на сайте нельзя.

Кто видит ваши данные: администраторы и учителя организаций, в которые вы вступили, — в пределах этих организаций; участники чатов — ваше имя и ваши сообщения; оператор платформы — в объёме, нужном для её работы.

Сколько храним: пока у вас есть профиль. Вы можете в любой момент скачать все свои данные (страница «Мои данные») и удалить профиль (страница «Удалить профиль»): тогда ваши персональные данные удаляются сразу, а сообщения остаются в чатах под именем «Удалённый пользователь».

Ваше согласие: регистрируясь, вы соглашаетесь на обработку ваших персональных данных на этих условиях. Вы можете отозвать согласие, удалив профиль. Если политика изменится, мы попросим вашего согласия снова при следующем входе.');

-- People who signed up before consent was asked agreed to the first
-- version when they signed up.
INSERT INTO parta.privacy_consent (account_id, version, at)
SELECT id, '1', created_at FROM parta.account;

-- Deleted accounts: the row stays (messages, the audit and decisions
-- refer to it) under the name «Удалённый пользователь», with no personal
-- data left in it.
ALTER TABLE parta.account ADD COLUMN deleted_at timestamptz;
ALTER TABLE parta.account ALTER COLUMN gender DROP NOT NULL;
ALTER TABLE parta.account ALTER COLUMN birth_date DROP NOT NULL;
ALTER TABLE parta.account ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE parta.account DROP CONSTRAINT account_check;
ALTER TABLE parta.account DROP CONSTRAINT account_first_name_check;
ALTER TABLE parta.account ADD CONSTRAINT account_first_name_check
	CHECK (length(first_name) BETWEEN 1 AND 60 OR deleted_at IS NOT NULL);
ALTER TABLE parta.account ADD CONSTRAINT account_contact
	CHECK (phone IS NOT NULL OR email IS NOT NULL OR deleted_at IS NOT NULL);
ALTER TABLE parta.account ADD CONSTRAINT account_alive CHECK
	(deleted_at IS NULL OR (phone IS NULL AND email IS NULL AND
	birth_date IS NULL AND gender IS NULL AND password_hash IS NULL AND
	patronymic = '' AND first_name = ''));
ALTER TABLE parta.account ADD CONSTRAINT account_has_data CHECK
	(deleted_at IS NOT NULL OR (birth_date IS NOT NULL AND
	gender IS NOT NULL AND password_hash IS NOT NULL));

INSERT INTO parta.audit_action (code, name) VALUES
	('account_delete', 'Профиль удалён');

-- Erase account p_account, whose memberships the caller has ended
-- already through member_end (lib/member.h), each with its audit row:
-- everything else that holds the person's data or an access goes here,
-- in the caller's transaction.  The row keeps only its id, the name
-- «Удалённый пользователь» and the time.  'ok', or 'member' while the
-- person still belongs to an organization (nothing is changed).
CREATE FUNCTION parta.account_erase(p_account bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	a record;
BEGIN
	SELECT phone, phone_verified, email, email_verified INTO a
	FROM parta.account WHERE id = p_account AND deleted_at IS NULL
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF EXISTS (SELECT 1 FROM parta.member WHERE account_id = p_account)
	THEN
		RETURN 'member';
	END IF;

	-- Applications to organizations the person had not joined yet.
	PERFORM parta.audit_log(org_id, p_account, 'application_withdraw',
	    p_account, 'заявитель удалил свой профиль')
	FROM parta.application
	WHERE account_id = p_account AND status = 'pending';
	UPDATE parta.application SET status = 'withdrawn', decided_at = now()
	WHERE account_id = p_account AND status = 'pending';

	-- Guardianships both ways (their triggers take the parent out of
	-- the child's parents' chats), the child's links for a parent.
	DELETE FROM parta.guardian
	WHERE parent_id = p_account OR child_id = p_account;
	DELETE FROM parta.parent_link WHERE child_id = p_account;
	-- Chats joined without a membership (by a chat link).
	DELETE FROM parta.chat_member WHERE account_id = p_account;

	DELETE FROM parta.session WHERE account_id = p_account;
	DELETE FROM parta.code WHERE account_id = p_account;
	DELETE FROM parta.outbox
	WHERE (a.phone_verified AND recipient = a.phone)
	OR (a.email_verified AND recipient = a.email);

	UPDATE parta.account SET last_name = 'Удалённый пользователь',
	    first_name = '', patronymic = '', gender = NULL,
	    birth_date = NULL, phone = NULL, phone_verified = false,
	    email = NULL, email_verified = false, password_hash = NULL,
	    is_operator = false, deleted_at = now()
	WHERE id = p_account;
	PERFORM parta.audit_log(NULL, p_account, 'account_delete', p_account,
	    '');
	RETURN 'ok';
END
$$;

-- Deleting one's profile may be confirmed by a code sent to one's own
-- verified contact instead of the password (lib/code.h, CODE_DELETE).
ALTER TABLE parta.code DROP CONSTRAINT code_purpose_check;
ALTER TABLE parta.code ADD CONSTRAINT code_purpose_check
	CHECK (purpose IN ('verify', 'login', 'contact', 'delete'));
