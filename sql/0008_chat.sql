-- Chats follow the organization's data.  Other programs create
-- organizations, classes, members and class members; the triggers below
-- keep the automatic chats and their members in step, inside the same
-- transaction, whichever program made the change:
--   org inserted          its staff chat ("Учительская");
--   class inserted        its students' chat and parents' chat;
--   member in/up/deleted  staff chat and channels by role; removal leaves
--                         every chat of the organization except parents'
--                         chats the person is in as a guardian;
--   class_member in/del   students join their class chat; the homeroom
--                         teacher administers the class's two chats;
--   guardian inserted     the parent joins the parents' chats of the
--                         child's classes.
-- Every trigger is a few set-based statements and idempotent (ON
-- CONFLICT), so running one twice, or backfilling, changes nothing more.

-- Direct chats: a guardian and their child, or a guardian and a teacher of
-- the child's class.  guardian_id is the parent, peer_id the other side.
ALTER TABLE parta.chat DROP CONSTRAINT chat_purpose_check;
ALTER TABLE parta.chat ADD CONSTRAINT chat_purpose_check CHECK (purpose IN
    ('', 'staff', 'students', 'parents', 'direct'));
ALTER TABLE parta.chat ADD COLUMN guardian_id bigint
    REFERENCES parta.account;
ALTER TABLE parta.chat ADD COLUMN peer_id bigint REFERENCES parta.account;
ALTER TABLE parta.chat ADD CONSTRAINT chat_direct_pair CHECK
    ((purpose = 'direct') = (guardian_id IS NOT NULL AND peer_id IS NOT NULL
    AND guardian_id <> peer_id));

-- One staff chat per organization (its class_id is NULL, which the old
-- index let repeat) and one chat per class and purpose.
DROP INDEX parta.chat_purpose;
CREATE UNIQUE INDEX chat_purpose ON parta.chat
    USING btree (org_id, class_id, purpose) NULLS NOT DISTINCT
    WHERE purpose IN ('staff', 'students', 'parents');
CREATE UNIQUE INDEX chat_direct ON parta.chat (org_id, guardian_id, peer_id)
    WHERE purpose = 'direct';

-- Parent and child, confirmed by the parent (through the child's link).
CREATE TABLE parta.guardian (
	parent_id	bigint NOT NULL REFERENCES parta.account,
	child_id	bigint NOT NULL REFERENCES parta.account,
	confirmed_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (parent_id, child_id),
	CHECK (parent_id <> child_id)
);
CREATE INDEX guardian_child ON parta.guardian (child_id);

-- A child's personal link for a parent: single use, 14 days, only the
-- SHA-256 of the token kept.
CREATE TABLE parta.parent_link (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	child_id	bigint NOT NULL REFERENCES parta.account,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	used_by		bigint REFERENCES parta.account,
	CHECK (expires_at > created_at AND
	    expires_at <= created_at + interval '14 days'),
	CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX parent_link_child ON parta.parent_link (child_id, created_at);

-- Guardians and direct chats look classes up by the child's account.
CREATE INDEX class_member_by_account ON parta.class_member (account_id);
CREATE INDEX chat_member_chat ON parta.chat_member (org_id, chat_id, is_admin);

-- An organization's staff chat.
CREATE FUNCTION parta.chat_org_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO parta.chat (org_id, title, purpose)
	VALUES (NEW.id, 'Учительская', 'staff')
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_org_created AFTER INSERT ON parta.org
    FOR EACH ROW EXECUTE FUNCTION parta.chat_org_created();

-- A class's name as people write it: "7Б", "7Б ФизМат", or the title.
CREATE FUNCTION parta.chat_class_name(grade smallint, letter text,
    title text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(nullif(concat_ws(' ', grade::text || letter,
	    nullif(title, '')), ''), 'Класс')
$$;

-- A class's students' and parents' chats (classes, not staff groups).
CREATE FUNCTION parta.chat_class_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO parta.chat (org_id, class_id, title, purpose)
	SELECT NEW.org_id, NEW.id, left(p.prefix || parta.chat_class_name(
	    NEW.grade, NEW.letter, NEW.title), 100), p.purpose
	FROM (VALUES ('Класс ', 'students'), ('Родители ', 'parents'))
	    AS p (prefix, purpose)
	WHERE NEW.kind = 'class' AND NEW.archived_at IS NULL
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_class_created AFTER INSERT ON parta.class
    FOR EACH ROW EXECUTE FUNCTION parta.chat_class_created();

-- Staff chat and channels by role.  Administrators of the organization
-- administer its staff chat and channels (only they write in channels).
-- A member who becomes a student leaves what is for staff only.
CREATE FUNCTION parta.chat_member_role() RETURNS trigger
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
	ON CONFLICT (org_id, chat_id, account_id)
	DO UPDATE SET is_admin = EXCLUDED.is_admin;
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_member_role AFTER INSERT OR UPDATE OF role
    ON parta.member
    FOR EACH ROW EXECUTE FUNCTION parta.chat_member_role();

-- Leaving the organization leaves its chats, except the parents' chats
-- of classes where the person's own child studies and direct chats in
-- which they are the guardian: those they hold as a parent.
CREATE FUNCTION parta.chat_member_left() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM parta.chat_member cm USING parta.chat c
	WHERE cm.org_id = OLD.org_id AND cm.account_id = OLD.account_id
	AND c.org_id = cm.org_id AND c.id = cm.chat_id
	AND NOT (c.purpose = 'direct' AND c.guardian_id = OLD.account_id)
	AND NOT (c.purpose = 'parents' AND EXISTS (
	    SELECT 1 FROM parta.guardian g JOIN parta.class_member s
	    ON s.account_id = g.child_id AND s.role = 'student'
	    WHERE g.parent_id = OLD.account_id AND s.org_id = c.org_id
	    AND s.class_id = c.class_id));
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_member_left AFTER DELETE ON parta.member
    FOR EACH ROW EXECUTE FUNCTION parta.chat_member_left();

-- Joining a class: a student joins the students' chat and brings their
-- guardians into the parents' chat; the homeroom teacher administers
-- both chats of the class.
CREATE FUNCTION parta.chat_class_joined() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.role = 'student' THEN
		INSERT INTO parta.chat_member (org_id, chat_id, account_id)
		SELECT c.org_id, c.id, NEW.account_id FROM parta.chat c
		WHERE c.org_id = NEW.org_id AND c.class_id = NEW.class_id
		AND c.purpose = 'students'
		ON CONFLICT DO NOTHING;
		INSERT INTO parta.chat_member (org_id, chat_id, account_id)
		SELECT c.org_id, c.id, g.parent_id
		FROM parta.chat c, parta.guardian g
		WHERE c.org_id = NEW.org_id AND c.class_id = NEW.class_id
		AND c.purpose = 'parents' AND g.child_id = NEW.account_id
		ON CONFLICT DO NOTHING;
	ELSIF NEW.role = 'homeroom' THEN
		INSERT INTO parta.chat_member (org_id, chat_id, account_id,
		    is_admin)
		SELECT c.org_id, c.id, NEW.account_id, true FROM parta.chat c
		WHERE c.org_id = NEW.org_id AND c.class_id = NEW.class_id
		AND c.purpose IN ('students', 'parents')
		ON CONFLICT (org_id, chat_id, account_id)
		DO UPDATE SET is_admin = true;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_class_joined AFTER INSERT ON parta.class_member
    FOR EACH ROW EXECUTE FUNCTION parta.chat_class_joined();

-- Leaving a class: a student leaves the students' chat, and their
-- guardians leave the parents' chat unless another child of theirs is
-- still in the class; an unassigned homeroom teacher stops administering
-- the class's chats.
CREATE FUNCTION parta.chat_class_left() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.role = 'student' THEN
		DELETE FROM parta.chat_member cm USING parta.chat c
		WHERE c.org_id = OLD.org_id AND c.class_id = OLD.class_id
		AND c.purpose = 'students' AND cm.org_id = c.org_id
		AND cm.chat_id = c.id AND cm.account_id = OLD.account_id
		AND NOT cm.is_admin;
		DELETE FROM parta.chat_member cm USING parta.chat c,
		    parta.guardian g
		WHERE c.org_id = OLD.org_id AND c.class_id = OLD.class_id
		AND c.purpose = 'parents' AND g.child_id = OLD.account_id
		AND cm.org_id = c.org_id AND cm.chat_id = c.id
		AND cm.account_id = g.parent_id AND NOT cm.is_admin
		AND NOT EXISTS (SELECT 1 FROM parta.guardian g2
		    JOIN parta.class_member s ON s.account_id = g2.child_id
		    WHERE g2.parent_id = g.parent_id
		    AND s.org_id = OLD.org_id AND s.class_id = OLD.class_id
		    AND s.role = 'student');
	ELSIF OLD.role = 'homeroom' THEN
		UPDATE parta.chat_member cm SET is_admin = false
		FROM parta.chat c
		WHERE c.org_id = OLD.org_id AND c.class_id = OLD.class_id
		AND c.purpose IN ('students', 'parents')
		AND cm.org_id = c.org_id AND cm.chat_id = c.id
		AND cm.account_id = OLD.account_id;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_class_left AFTER DELETE ON parta.class_member
    FOR EACH ROW EXECUTE FUNCTION parta.chat_class_left();

-- A confirmed parent joins the parents' chats of the child's current
-- classes.
CREATE FUNCTION parta.chat_guardian_confirmed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO parta.chat_member (org_id, chat_id, account_id)
	SELECT c.org_id, c.id, NEW.parent_id
	FROM parta.class_member s JOIN parta.chat c
	ON c.org_id = s.org_id AND c.class_id = s.class_id
	AND c.purpose = 'parents'
	JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id
	WHERE s.account_id = NEW.child_id AND s.role = 'student'
	AND k.archived_at IS NULL
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_guardian_confirmed AFTER INSERT ON parta.guardian
    FOR EACH ROW EXECUTE FUNCTION parta.chat_guardian_confirmed();

-- Backfill what existed before these triggers: the same statements over
-- every row, idempotent.
INSERT INTO parta.chat (org_id, title, purpose)
SELECT o.id, 'Учительская', 'staff' FROM parta.org o
ON CONFLICT DO NOTHING;
INSERT INTO parta.chat (org_id, class_id, title, purpose)
SELECT k.org_id, k.id, left(p.prefix || parta.chat_class_name(k.grade,
    k.letter, k.title), 100), p.purpose
FROM parta.class k,
    (VALUES ('Класс ', 'students'), ('Родители ', 'parents'))
    AS p (prefix, purpose)
WHERE k.kind = 'class' AND k.archived_at IS NULL
ON CONFLICT DO NOTHING;
INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)
SELECT c.org_id, c.id, m.account_id, m.role = 'admin'
FROM parta.member m JOIN parta.chat c ON c.org_id = m.org_id
WHERE c.audience = 'all' OR ((c.purpose = 'staff' OR c.audience = 'staff')
    AND m.role IN ('admin', 'teacher'))
ON CONFLICT DO NOTHING;
INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)
SELECT c.org_id, c.id, cm.account_id, cm.role = 'homeroom'
FROM parta.class_member cm JOIN parta.chat c
ON c.org_id = cm.org_id AND c.class_id = cm.class_id
WHERE (cm.role = 'student' AND c.purpose = 'students')
    OR (cm.role = 'homeroom' AND c.purpose IN ('students', 'parents'))
ON CONFLICT (org_id, chat_id, account_id)
DO UPDATE SET is_admin = chat_member.is_admin OR EXCLUDED.is_admin;
