-- One-time codes and their limits (lib/code.c is their one place).
--
-- A code is six digits from getrandom, lives 10 minutes, is used once,
-- and only its SHA-256 is kept.  Each serves one purpose: proving a
-- contact named at sign-up ('verify'), logging in ('login'), or proving a
-- new contact before it replaces the old one ('contact').  One live code
-- per account, purpose and channel; a new one replaces the old.
CREATE TABLE parta.code (
	account_id	bigint NOT NULL REFERENCES parta.account ON DELETE CASCADE,
	purpose		text NOT NULL
	    CHECK (purpose IN ('verify', 'login', 'contact')),
	channel		text NOT NULL CHECK (channel IN ('phone', 'email')),
	address		text NOT NULL,
	code_hash	bytea NOT NULL CHECK (length(code_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	PRIMARY KEY (account_id, purpose, channel)
);
CREATE INDEX code_address ON parta.code (address, purpose);

-- Limit counters, one row per kind and key, counted by an atomic upsert
-- (the row lock orders parallel requests): 'sent' messages with a code
-- or about a code per recipient (a phone or an e-mail, across accounts
-- and purposes), 'wrong' code tries per recipient, 'signup' sign-ups per
-- client address.  A window starts at the first hit and lasts
-- PARTA_CODE_WINDOW minutes.
CREATE TABLE parta.code_limit (
	kind		text NOT NULL CHECK (kind IN ('sent', 'wrong', 'signup')),
	key		text NOT NULL,
	since		timestamptz NOT NULL,
	n		int NOT NULL,
	PRIMARY KEY (kind, key)
);

-- The codes of issue 16 move here from parta.verify_code.
DROP TABLE parta.verify_code;

-- A session started by a code: /me/password skips the current password
-- within 15 minutes of it.
ALTER TABLE parta.session ADD COLUMN IF NOT EXISTS code_login_at timestamptz;

INSERT INTO parta.audit_action (code, name) VALUES
	('contact_change', 'Администратор сменил телефон или почту')
ON CONFLICT DO NOTHING;

-- Unverified accounts that name contact and are older than 7 days are
-- deleted (they never block its owner).  Called lazily where a contact is
-- signed up or logged in with; an account something else refers to
-- (an application, a membership) stays.  Returns how many went.
CREATE FUNCTION parta.account_unverified_purge(p_contact text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	a bigint;
	n int := 0;
BEGIN
	FOR a IN
		SELECT id FROM parta.account
		WHERE (phone = p_contact OR email = p_contact)
		AND NOT phone_verified AND NOT email_verified
		AND created_at < now() - interval '7 days'
	LOOP
		BEGIN
			DELETE FROM parta.account WHERE id = a;
			n := n + 1;
		EXCEPTION WHEN foreign_key_violation THEN
			NULL;
		END;
	END LOOP;
	RETURN n;
END
$$;
