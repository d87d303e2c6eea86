-- Chats and channels of an organization, their members and messages.
-- Parents are chat members without being organization members.

CREATE TABLE parta.chat (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	kind		text NOT NULL DEFAULT 'chat' CHECK (kind IN ('chat',
			    'channel')),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
	class_id	bigint,
	-- Channels: who reads them.  Automatic chats: what they are for.
	audience	text CHECK (audience IN ('staff', 'all')),
	purpose		text NOT NULL DEFAULT '' CHECK (purpose IN ('',
			    'staff', 'students', 'parents')),
	admins_only	boolean NOT NULL DEFAULT false,
	token_hash	bytea CHECK (length(token_hash) = 32),
	created_by	bigint REFERENCES parta.account,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CHECK ((kind = 'channel') = (audience IS NOT NULL))
);
CREATE INDEX chat_id ON parta.chat (id);
CREATE INDEX chat_token ON parta.chat (token_hash) WHERE token_hash IS NOT NULL;
CREATE UNIQUE INDEX chat_purpose ON parta.chat (org_id, class_id, purpose)
	WHERE purpose <> '';

CREATE TABLE parta.chat_member (
	org_id		bigint NOT NULL,
	chat_id		bigint NOT NULL,
	account_id	bigint NOT NULL REFERENCES parta.account,
	is_admin	boolean NOT NULL DEFAULT false,
	last_read_id	bigint NOT NULL DEFAULT 0,
	joined_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, chat_id, account_id),
	FOREIGN KEY (org_id, chat_id) REFERENCES parta.chat
);
CREATE INDEX chat_member_account ON parta.chat_member (account_id);

CREATE TABLE parta.message (
	org_id		bigint NOT NULL,
	chat_id		bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	author_id	bigint NOT NULL REFERENCES parta.account,
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	deleted_at	timestamptz,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, chat_id) REFERENCES parta.chat
);
CREATE INDEX message_chat ON parta.message (org_id, chat_id, id);
