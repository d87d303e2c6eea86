-- A person's own sessions (/me/sessions): each gets a public number to
-- name it in URLs (the token hash never leaves the database), the
-- browser and address it was started from, and when it was started by a
-- one-time code (a recent code login lets /me/password skip the current
-- password).  code_login_at is also added by the code-login migration:
-- IF NOT EXISTS lets either come first.

ALTER TABLE parta.session
	ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
	ADD COLUMN user_agent text NOT NULL DEFAULT ''
	    CHECK (length(user_agent) <= 512),
	ADD COLUMN client_addr text NOT NULL DEFAULT ''
	    CHECK (length(client_addr) <= 64);
ALTER TABLE parta.session ADD COLUMN IF NOT EXISTS code_login_at timestamptz;
CREATE UNIQUE INDEX session_id ON parta.session (id);
