-- Chat links and parent links shown again; the chats of an archived class
-- read-only.

-- A chat's link (/c/TOKEN) and a child's link for a parent are derived
-- the way invite links are (0005; README, "Links: shown again, never
-- stored"; lib/crypto.h):
--
--   token = base64url(HMAC-SHA256(PARTA_SECRET,
--               purpose 0x00 id 0x00 token_salt))
--
-- purpose "parta-chat-v1" with the chat's id, or "parta-parent-v1" with
-- the child's account id; token_salt is 32 random bytes from getrandom(2).
-- token_hash stays SHA-256(token), what /c/TOKEN looks up, so the pages
-- of the chat's link and of a parent link can show the link again while
-- the database holds no token.  Links made before this migration have a
-- hash and no salt: they keep working, their pages say they cannot be
-- shown again.
ALTER TABLE parta.chat ADD COLUMN token_salt bytea
	CHECK (length(token_salt) = 32);
ALTER TABLE parta.chat ADD CONSTRAINT chat_token_salt
	CHECK (token_salt IS NULL OR token_hash IS NOT NULL);
ALTER TABLE parta.parent_link ADD COLUMN token_salt bytea
	CHECK (length(token_salt) = 32);

-- The chats of an archived class (its students' and parents' chats, and
-- chats made by hand about it) keep their history and their members, who
-- go on reading them, but take no new messages and no new members,
-- whoever inserts them.  Their state is the class's: archiving the class,
-- by hand or by the year's rollover, closes them; restoring it opens
-- them again.  As in class_member_open (0004), the class row is locked
-- FOR SHARE before its state is read, so an insert racing an archiving
-- UPDATE waits for it and then sees the class archived, and an archiving
-- UPDATE waits for the inserts already under way.
CREATE FUNCTION parta.chat_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	archived boolean;
BEGIN
	SELECT k.archived_at IS NOT NULL INTO archived
	FROM parta.chat c JOIN parta.class k
	ON k.org_id = c.org_id AND k.id = c.class_id
	WHERE c.org_id = NEW.org_id AND c.id = NEW.chat_id
	FOR SHARE OF k;
	IF archived THEN
		RAISE EXCEPTION 'chat % belongs to an archived class',
		    NEW.chat_id
		USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER chat_message_open BEFORE INSERT ON parta.message
	FOR EACH ROW EXECUTE FUNCTION parta.chat_open();
CREATE TRIGGER chat_member_open BEFORE INSERT ON parta.chat_member
	FOR EACH ROW EXECUTE FUNCTION parta.chat_open();

-- Staff chat and channels by role (0008), leaving alone the channels
-- about an archived class: they take nobody new, and a new member of the
-- organization must not be refused for their sake.
CREATE OR REPLACE FUNCTION parta.chat_member_role() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.role = 'student' THEN
		DELETE FROM parta.chat_member cm USING parta.chat c
		WHERE cm.org_id = NEW.org_id
		AND cm.account_id = NEW.account_id
		AND c.org_id = cm.org_id AND c.id = cm.chat_id
		AND (c.purpose = 'staff' OR c.audience = 'staff');
	END IF;
	INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)
	SELECT c.org_id, c.id, NEW.account_id, NEW.role = 'admin'
	FROM parta.chat c
	WHERE c.org_id = NEW.org_id AND (c.audience = 'all' OR
	    ((c.purpose = 'staff' OR c.audience = 'staff') AND
	    NEW.role IN ('admin', 'teacher')))
	AND NOT EXISTS (SELECT 1 FROM parta.class k
	    WHERE k.org_id = c.org_id AND k.id = c.class_id
	    AND k.archived_at IS NOT NULL)
	ON CONFLICT (org_id, chat_id, account_id)
	DO UPDATE SET is_admin = EXCLUDED.is_admin;
	RETURN NULL;
END
$$;
