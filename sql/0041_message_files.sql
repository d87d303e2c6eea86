-- Files in chat messages (issue 22).  A message carries up to ten files
-- (parta.file, sql/0040_files.sql), uploaded with it or sent from the
-- author's storage (/me/files/ID/send); its text may then be empty.
-- Whoever reads the chat reads its files: its members, a parent in the
-- parents' chat of their child's class or in a direct chat while
-- parta.chat_readable (sql/0024) lets them.  A deleted message lets go
-- of its files: they are no longer readable through it, and the
-- clean-up (sql/0040) deletes a file no longer in its owner's storage
-- and held by nothing.

-------------------------------------------------------------- messages

-- A message's files name its chat as well (so a page lists them by
-- chat): the key they point to.  It is the index message_chat made
-- unique (id alone is unique already), which it replaces.
ALTER TABLE parta.message ADD CONSTRAINT message_chat_id
    UNIQUE (org_id, chat_id, id);
DROP INDEX parta.message_chat;

-- The text may be empty when the message carries files (checked at
-- commit, below: the files are attached after the message is written).
ALTER TABLE parta.message DROP CONSTRAINT message_body_check;
ALTER TABLE parta.message ADD CONSTRAINT message_body_check
    CHECK (length(body) <= 4000);

------------------------------------------------------------ their files

CREATE TABLE parta.message_file (
	org_id		bigint NOT NULL,
	chat_id		bigint NOT NULL,
	message_id	bigint NOT NULL,
	file_id		bigint NOT NULL REFERENCES parta.file,
	ord		smallint NOT NULL CHECK (ord BETWEEN 1 AND 10),
	PRIMARY KEY (org_id, message_id, file_id),
	-- Ten a message at most, in the order they were sent.
	UNIQUE (org_id, message_id, ord),
	FOREIGN KEY (org_id, chat_id, message_id)
	    REFERENCES parta.message (org_id, chat_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE parta.message_file IS
    'the files a chat message carries (at most 10); deleting the '
    'message (deleted_at) deletes its rows';
-- Who holds a file (parta.file_in_chat_visible, the clean-up).
CREATE INDEX message_file_file ON parta.message_file (file_id);

-- A message without text carries a file: checked when the transaction
-- that wrote it commits, after its files were attached.
CREATE FUNCTION parta.message_has_content() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM parta.message_file f
	    WHERE f.org_id = NEW.org_id AND f.message_id = NEW.id) THEN
		RAISE EXCEPTION 'a message without text needs a file'
		    USING ERRCODE = 'check_violation';
	END IF;
	RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER message_has_content
    AFTER INSERT ON parta.message
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.body = '')
    EXECUTE FUNCTION parta.message_has_content();

-- Deleting a message (deleted_at set) lets go of its files.
CREATE FUNCTION parta.message_files_release() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	DELETE FROM parta.message_file f
	WHERE f.org_id = NEW.org_id AND f.message_id = NEW.id;
	RETURN NULL;
END
$$;
CREATE TRIGGER message_files_release
    AFTER UPDATE OF deleted_at ON parta.message
    FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
    EXECUTE FUNCTION parta.message_files_release();

-- A file of the request's account's storage, sent to chat p_chat of
-- p_org (/me/files/ID/send posts it to /chats/ID/messages): the account
-- must own it, have it in storage, and be a member of the chat.  A file
-- charged to no organization yet is charged to p_org if its quota
-- (p_org_quota bytes, PARTA_ORG_QUOTA) allows it, counted under the
-- organization's row lock like parta.file_insert; one charged already
-- stays where it is (its bytes are kept once).  The file's row is locked
-- first, so two messages sending it at once charge it once.
--
-- refused NULL when it may be attached; 'not_found' (not the account's,
-- not in storage, no such file: one answer) or 'org' with what was left
-- and the quota, for the 413.
CREATE FUNCTION parta.message_file_send(p_org bigint, p_chat bigint,
    p_file bigint, p_org_quota bigint,
    OUT refused text, OUT left_bytes bigint, OUT quota bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	f record;
	used bigint;
BEGIN
	IF me IS NULL OR NOT EXISTS (SELECT 1 FROM parta.chat_member cm
	    WHERE cm.org_id = p_org AND cm.chat_id = p_chat
	    AND cm.account_id = me) THEN
		RAISE EXCEPTION 'message_file_send: not in chat %', p_chat
		    USING ERRCODE = 'PA403';
	END IF;
	SELECT x.org_id, x.size INTO f FROM parta.file x
	WHERE x.id = p_file AND x.owner_id = me AND x.in_storage
	FOR UPDATE;
	IF NOT FOUND THEN
		refused := 'not_found';
		RETURN;
	END IF;
	IF f.org_id IS NOT NULL THEN
		RETURN;
	END IF;
	PERFORM 1 FROM parta.org o WHERE o.id = p_org FOR UPDATE;
	SELECT coalesce(sum(x.size), 0) INTO used
	FROM parta.file x WHERE x.org_id = p_org;
	IF used + f.size > p_org_quota THEN
		refused := 'org';
		left_bytes := greatest(p_org_quota - used, 0);
		quota := p_org_quota;
		RETURN;
	END IF;
	UPDATE parta.file SET org_id = p_org WHERE id = p_file;
END
$$;

-------------------------------------------------------- who reads them

-- Whether the request's account reads a message that carries file
-- p_file: a member of its chat who reads that chat (parta.chat_readable:
-- a parent keeps a closed direct chat only while still a guardian), the
-- message not deleted.  Replaces 0040's stand-in; parta.file_visible
-- calls it.
CREATE OR REPLACE FUNCTION parta.file_in_chat_visible(p_file bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM parta.message_file f
	    JOIN parta.message m ON m.org_id = f.org_id
		AND m.chat_id = f.chat_id AND m.id = f.message_id
	    JOIN parta.chat_member cm ON cm.org_id = f.org_id
		AND cm.chat_id = f.chat_id
		AND cm.account_id = parta.rls_account()
	    WHERE f.file_id = p_file AND m.deleted_at IS NULL
		AND parta.chat_readable(f.org_id, f.chat_id, cm.account_id));
END
$$;

------------------------------------------------------ row-level security

-- By chat, like the messages (sql/0031): the chats of the request's
-- account, and the operator.
ALTER TABLE parta.message_file ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.message_file FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.message_file TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.message_file'::regclass));
END
$$;
CREATE POLICY tenant ON parta.message_file TO parta_app
	USING (chat_id = ANY ((SELECT parta.rls_chats())::bigint[])
	OR (SELECT parta.rls_operator()));
