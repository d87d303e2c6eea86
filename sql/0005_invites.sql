-- Invite links: showing a link again, and personal links in bulk.
--
-- A created invite's page must show its full link, /join/TOKEN, yet the
-- database keeps no token.  The token is derived, not stored:
--
--   token = base64url(HMAC-SHA256(PARTA_SECRET,
--               "parta-invite-v1" 0x00 org_id 0x00 token_salt))
--
-- token_salt is 32 random bytes from getrandom(2), token_hash stays the
-- SHA-256 of the token (what /join/TOKEN looks up).  A copy of the
-- database alone yields no usable link (the key lives outside it, in
-- the programs' configuration), and the key alone yields none either
-- (each salt is random).  A row without a salt (made before this
-- migration, or by hand) still works as a link but cannot be shown.
ALTER TABLE parta.invite ADD COLUMN token_salt bytea
	CHECK (length(token_salt) = 32);

-- Personal single-use links made together from a list of names: the
-- printable sheet and the CSV are per batch.  Each link carries the
-- person's name in invite.label.
CREATE TABLE parta.invite_batch (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	created_by	bigint NOT NULL REFERENCES parta.account,
	role		text NOT NULL CHECK (role IN ('teacher', 'student')),
	class_id	bigint,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CHECK (role = 'teacher' OR class_id IS NOT NULL)
);

ALTER TABLE parta.invite ADD COLUMN batch_id bigint,
	ADD FOREIGN KEY (org_id, batch_id) REFERENCES parta.invite_batch;
CREATE INDEX invite_batch_links ON parta.invite (org_id, batch_id)
	WHERE batch_id IS NOT NULL;
