-- Accounts, sessions, verification codes, throttling, outbox, audit.
-- Every name lives in schema parta; the programs connect with an empty
-- search_path and qualify every name.

CREATE SCHEMA parta;

CREATE TABLE parta.account (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	last_name	text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 60),
	first_name	text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 60),
	patronymic	text NOT NULL DEFAULT '' CHECK (length(patronymic) <= 60),
	gender		char(1) NOT NULL CHECK (gender IN ('f', 'm')),
	birth_date	date NOT NULL,
	phone		text CHECK (phone ~ '^\+7[0-9]{10}$'),
	phone_verified	boolean NOT NULL DEFAULT false,
	email		text CHECK (email = lower(email) AND length(email) <= 254),
	email_verified	boolean NOT NULL DEFAULT false,
	password_hash	text NOT NULL,
	is_operator	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (phone IS NOT NULL OR email IS NOT NULL),
	CHECK (phone IS NOT NULL OR NOT phone_verified),
	CHECK (email IS NOT NULL OR NOT email_verified)
);

-- A phone or e-mail belongs to the one account that proved it owns it;
-- until then several sign-ups may name it, and none gets its rights.
CREATE UNIQUE INDEX account_phone_verified ON parta.account (phone)
	WHERE phone_verified;
CREATE UNIQUE INDEX account_email_verified ON parta.account (email)
	WHERE email_verified;
CREATE INDEX account_phone ON parta.account (phone);
CREATE INDEX account_email ON parta.account (email);

CREATE TABLE parta.session (
	token_hash	bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	account_id	bigint NOT NULL REFERENCES parta.account ON DELETE CASCADE,
	csrf		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX session_account ON parta.session (account_id);
CREATE INDEX session_expires ON parta.session (expires_at);

-- One live confirmation code per account and channel; only its hash.
CREATE TABLE parta.verify_code (
	account_id	bigint NOT NULL REFERENCES parta.account ON DELETE CASCADE,
	channel		text NOT NULL CHECK (channel IN ('phone', 'email')),
	address		text NOT NULL,
	code_hash	bytea NOT NULL,
	tries		int NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	PRIMARY KEY (account_id, channel)
);

-- Attempt counters for rate limits: one row per key and window.
CREATE TABLE parta.throttle (
	key		text PRIMARY KEY,
	since		timestamptz NOT NULL,
	n		int NOT NULL
);

CREATE TABLE parta.outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('sms', 'email')),
	recipient	text NOT NULL,
	body		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);
CREATE INDEX outbox_unsent ON parta.outbox (id) WHERE sent_at IS NULL;

-- Who did what to whom, when.  org_id is NULL for platform-wide events.
CREATE TABLE parta.audit (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id		bigint,
	actor_id	bigint REFERENCES parta.account,
	action		text NOT NULL,
	target_id	bigint REFERENCES parta.account,
	detail		text NOT NULL DEFAULT '',
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_org ON parta.audit (org_id, at);
