-- Issue 21: public chats, and the administrator's view of every chat.
--
-- A chat made by hand (kind 'chat', purpose '': not a channel, not one of
-- the automatic chats, not a direct chat) may be made public by its chat
-- administrators, for an audience as channels have one: 'staff' (the
-- organization's administrators and teachers) or 'all' (every member).
-- Members of that audience find it on /org/N/chats/public and join it
-- themselves; they may leave it again.  Parents are never members of an
-- organization, so no public chat admits them (they come into chats only
-- by a chat link or as guardians).  A public chat is not a channel: the
-- member triggers of 0008 seat nobody in it, people seat themselves.
--
-- The organization's administrator sees every chat of the organization
-- but the direct ones (a family's and a parent's own correspondence), may
-- close a chat made by hand (read-only for everyone, as a direct chat
-- whose other side left: chat.closed_at, refused by chat_open; its link
-- ends) and open it again, and may take over the moderation of any of
-- them (become its chat administrator: delete messages, remove members,
-- "only admins write"), so that no chat of the school's children is
-- beyond its reach.
-- The automatic chats follow roles and classes and cannot be closed:
-- their triggers seat new people whatever the state (an administrator
-- silences one by "only admins write" instead).
--
-- Every rule is a function below, answering a word that cgi-bin/chat/
-- public.c maps to an HTTP status (chat_word_status), in one place:
--   ok, already, same   done (or nothing to do)
--   not_found           no such chat for this person (404)
--   forbidden           the person may not (403)
--   closed, archived    the chat is closed, or its class archived (409)
--   last_admin          the last chat administrator may not leave (409)
-- Audit rows (lib/audit.h) are written by the program after an 'ok'.
--
-- Races.  Join, leave, publish, close and moderate lock the chat row
-- first (joins FOR SHARE, the changes FOR NO KEY UPDATE), then the
-- person's membership (member_role_locked, FOR SHARE): a join waits for a
-- close or an unpublishing in progress and sees its result, twenty people
-- joining at once share the row, and one person's two joins meet in the
-- chat_member key (ON CONFLICT DO NOTHING).

ALTER TABLE parta.chat ADD COLUMN public_audience text
	CHECK (public_audience IN ('staff', 'all'));
-- Who closed a chat made by hand (NULL for a direct chat closed by the
-- membership rules of 0012): only those may be opened again by hand.
ALTER TABLE parta.chat ADD COLUMN closed_by bigint
	REFERENCES parta.account;

-- Which chats may be public, closed by an administrator, left by their
-- members: those made by hand.  The rest follow roles, classes and
-- guardianship (0008, 0012, 0017).
CREATE FUNCTION parta.chat_by_hand(kind text, purpose text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT chat_by_hand.kind = 'chat' AND chat_by_hand.purpose = ''
$$;

ALTER TABLE parta.chat ADD CONSTRAINT chat_public_by_hand
	CHECK (public_audience IS NULL OR parta.chat_by_hand(kind, purpose));
ALTER TABLE parta.chat ADD CONSTRAINT chat_closed_by
	CHECK (closed_by IS NULL OR closed_at IS NOT NULL);

CREATE INDEX chat_public ON parta.chat (org_id)
	WHERE public_audience IS NOT NULL;

-- Whether a member of role (member.role, '' for none) is in audience
-- ('staff' or 'all'): staff are administrators and teachers; everyone
-- else is a member of 'all' only if a member at all.
CREATE FUNCTION parta.audience_admits(audience text, role text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(audience_admits.role IN ('admin', 'teacher')
	    OR (audience_admits.audience = 'all'
	    AND audience_admits.role = 'student'), false)
$$;

INSERT INTO parta.audit_action (code, name) VALUES
	('chat_public', 'Открытие чата для вступления'),
	('chat_unpublic', 'Закрытие свободного вступления в чат'),
	('chat_close', 'Закрытие чата администратором'),
	('chat_reopen', 'Возобновление чата'),
	('chat_moderate', 'Модерация чата администратором');

-- The public chats of org that account may see and join: not closed,
-- not of an archived class, for an audience the account's role is in;
-- with their member counts and whether account is in them.  Nothing for
-- someone who is not a member (a parent, a stranger).
CREATE FUNCTION parta.public_chats(org bigint, account bigint)
RETURNS TABLE (id bigint, title text, class_name text, audience text,
    members bigint, joined boolean)
LANGUAGE sql STABLE AS $$
	SELECT c.id, c.title, parta.class_name(k.grade, k.letter, k.title),
	    c.public_audience,
	    (SELECT count(*) FROM parta.chat_member x
		WHERE x.org_id = c.org_id AND x.chat_id = c.id),
	    EXISTS (SELECT 1 FROM parta.chat_member x
		WHERE x.org_id = c.org_id AND x.chat_id = c.id
		AND x.account_id = public_chats.account)
	FROM parta.member m
	JOIN parta.chat c ON c.org_id = m.org_id
	    AND c.public_audience IS NOT NULL AND c.closed_at IS NULL
	    AND parta.audience_admits(c.public_audience, m.role)
	LEFT JOIN parta.class k ON k.org_id = c.org_id AND k.id = c.class_id
	WHERE m.org_id = public_chats.org
	    AND m.account_id = public_chats.account
	    AND k.archived_at IS NULL
	ORDER BY lower(c.title), c.id
$$;

-- The chat row of chat_id, locked: FOR SHARE by a join, FOR NO KEY
-- UPDATE by a change.  (One statement each way; PL/pgSQL cannot choose
-- the lock strength by a parameter.)
CREATE FUNCTION parta.chat_lock(chat_id bigint, change boolean)
RETURNS SETOF parta.chat LANGUAGE plpgsql AS $$
BEGIN
	IF change THEN
		RETURN QUERY SELECT * FROM parta.chat c
		WHERE c.id = chat_lock.chat_id FOR NO KEY UPDATE;
	ELSE
		RETURN QUERY SELECT * FROM parta.chat c
		WHERE c.id = chat_lock.chat_id FOR SHARE;
	END IF;
END
$$;

-- account joins public chat chat_id: ok, already (in it), not_found (no
-- such public chat in an organization of theirs: parents and strangers
-- too), forbidden (a staff chat and a student), closed, archived.
CREATE FUNCTION parta.chat_join(chat_id bigint, account bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c parta.chat;
	r text;
BEGIN
	SELECT * INTO c FROM parta.chat_lock(chat_join.chat_id, false);
	IF NOT FOUND OR c.public_audience IS NULL THEN
		RETURN 'not_found';
	END IF;
	r := parta.member_role_locked(c.org_id, chat_join.account);
	IF r = '' THEN
		RETURN 'not_found';
	ELSIF NOT parta.audience_admits(c.public_audience, r) THEN
		RETURN 'forbidden';
	END IF;
	PERFORM 1 FROM parta.chat_member x WHERE x.org_id = c.org_id
	    AND x.chat_id = c.id AND x.account_id = chat_join.account;
	IF FOUND THEN
		RETURN 'already';
	ELSIF c.closed_at IS NOT NULL THEN
		RETURN 'closed';
	ELSIF (SELECT a.archived FROM parta.chat_archived(c.org_id,
	    c.class_id) a) THEN
		RETURN 'archived';
	END IF;
	INSERT INTO parta.chat_member (org_id, chat_id, account_id)
	VALUES (c.org_id, c.id, chat_join.account)
	ON CONFLICT DO NOTHING;
	RETURN CASE WHEN FOUND THEN 'ok' ELSE 'already' END;
END
$$;

-- account leaves chat chat_id: ok, not_found (not in it), forbidden (an
-- automatic chat: it follows roles and classes), last_admin (the only
-- chat administrator of a chat with other members).
CREATE FUNCTION parta.chat_leave(chat_id bigint, account bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c parta.chat;
	admin boolean;
BEGIN
	SELECT * INTO c FROM parta.chat_lock(chat_leave.chat_id, true);
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	SELECT x.is_admin INTO admin FROM parta.chat_member x
	WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id = chat_leave.account;
	IF NOT FOUND THEN
		RETURN 'not_found';
	ELSIF NOT parta.chat_by_hand(c.kind, c.purpose) THEN
		RETURN 'forbidden';
	ELSIF admin AND NOT EXISTS (SELECT 1 FROM parta.chat_member x
	    WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id <> chat_leave.account AND x.is_admin)
	    AND EXISTS (SELECT 1 FROM parta.chat_member x
	    WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id <> chat_leave.account) THEN
		RETURN 'last_admin';
	END IF;
	DELETE FROM parta.chat_member x WHERE x.org_id = c.org_id
	    AND x.chat_id = c.id AND x.account_id = chat_leave.account;
	RETURN 'ok';
END
$$;

-- A chat administrator (a member of the organization) of chat chat_id
-- makes it public for audience, or not public (audience NULL): ok, same,
-- not_found (not in it), forbidden (not its administrator, not a chat
-- made by hand), closed.
CREATE FUNCTION parta.chat_publish(chat_id bigint, account bigint,
    audience text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	c parta.chat;
	admin boolean;
BEGIN
	SELECT * INTO c FROM parta.chat_lock(chat_publish.chat_id, true);
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	SELECT x.is_admin INTO admin FROM parta.chat_member x
	WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id = chat_publish.account;
	IF NOT FOUND THEN
		RETURN 'not_found';
	ELSIF NOT admin OR parta.member_role_locked(c.org_id,
	    chat_publish.account) = ''
	    OR NOT parta.chat_by_hand(c.kind, c.purpose) THEN
		RETURN 'forbidden';
	ELSIF c.closed_at IS NOT NULL THEN
		RETURN 'closed';
	ELSIF c.public_audience IS NOT DISTINCT FROM chat_publish.audience
	    THEN
		RETURN 'same';
	END IF;
	UPDATE parta.chat SET public_audience = chat_publish.audience
	WHERE org_id = c.org_id AND id = c.id;
	RETURN 'ok';
END
$$;

-- The administrator (account) of org closes chat chat_id of org
-- (closing) or opens it again: ok, same, not_found (no such chat of org,
-- or a direct one), forbidden (not the administrator; an automatic chat;
-- opening one the administrator did not close).  Closing ends the chat's
-- link too (its admins make a new one once it is open again): a closed
-- chat takes nobody, by a button or by a link.
CREATE FUNCTION parta.chat_close(org bigint, chat_id bigint,
    account bigint, closing boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	c parta.chat;
BEGIN
	SELECT * INTO c FROM parta.chat_lock(chat_close.chat_id, true);
	IF NOT FOUND OR c.org_id <> chat_close.org
	    OR c.purpose = 'direct' THEN
		RETURN 'not_found';
	ELSIF parta.member_role_locked(c.org_id, chat_close.account) <>
	    'admin' OR NOT parta.chat_by_hand(c.kind, c.purpose) THEN
		RETURN 'forbidden';
	ELSIF (c.closed_at IS NOT NULL) = chat_close.closing THEN
		RETURN 'same';
	ELSIF NOT chat_close.closing AND c.closed_by IS NULL THEN
		RETURN 'forbidden';
	END IF;
	UPDATE parta.chat
	SET token_hash = CASE WHEN chat_close.closing THEN NULL
		ELSE token_hash END,
	    token_salt = CASE WHEN chat_close.closing THEN NULL
		ELSE token_salt END,
	    closed_at = CASE WHEN chat_close.closing THEN now() END,
	    closed_by = CASE WHEN chat_close.closing
		THEN chat_close.account END
	WHERE org_id = c.org_id AND id = c.id;
	RETURN 'ok';
END
$$;

-- The administrator (account) of org takes over the moderation of chat
-- chat_id of org: becomes its chat administrator, joining it if need
-- be.  ok, already, not_found (no such chat of org, or a direct one),
-- forbidden (not the administrator), closed, archived (not in it, and
-- it takes nobody new).
CREATE FUNCTION parta.chat_moderate(org bigint, chat_id bigint,
    account bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	c parta.chat;
	admin boolean;
BEGIN
	SELECT * INTO c FROM parta.chat_lock(chat_moderate.chat_id, false);
	IF NOT FOUND OR c.org_id <> chat_moderate.org
	    OR c.purpose = 'direct' THEN
		RETURN 'not_found';
	ELSIF parta.member_role_locked(c.org_id, chat_moderate.account) <>
	    'admin' THEN
		RETURN 'forbidden';
	END IF;
	SELECT x.is_admin INTO admin FROM parta.chat_member x
	WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id = chat_moderate.account FOR UPDATE;
	IF FOUND THEN
		IF admin THEN
			RETURN 'already';
		END IF;
		UPDATE parta.chat_member x SET is_admin = true
		WHERE x.org_id = c.org_id AND x.chat_id = c.id
		    AND x.account_id = chat_moderate.account;
		RETURN 'ok';
	ELSIF c.closed_at IS NOT NULL THEN
		RETURN 'closed';
	ELSIF (SELECT a.archived FROM parta.chat_archived(c.org_id,
	    c.class_id) a) THEN
		RETURN 'archived';
	END IF;
	INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)
	VALUES (c.org_id, c.id, chat_moderate.account, true);
	RETURN 'ok';
END
$$;

-- Every chat of org but the direct ones, for its administrator
-- (/org/N/chats/all): title, who made it (NULL: made by the site), its
-- class, members, the time of its last message, public, closed,
-- archived, and whether account administers it.  The last message is
-- read past row-level security (messages are visible only in chats one
-- has a seat in, 0030), so the function runs as the owner and answers
-- only the organization's administrator (the request's account).
CREATE FUNCTION parta.org_chats_overview(org bigint)
RETURNS TABLE (id bigint, kind text, purpose text, title text,
    owner text, class_name text, members bigint, last_at timestamptz,
    audience text, public_audience text, closed boolean,
    closed_by_admin boolean, archived boolean, moderating boolean,
    by_hand boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF NOT EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = org_chats_overview.org AND m.account_id = me
	    AND m.role = 'admin') THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT c.id, c.kind, c.purpose, c.title,
	    parta.person_name(c.created_by),
	    parta.class_name(k.grade, k.letter, k.title),
	    (SELECT count(*) FROM parta.chat_member x
		WHERE x.org_id = c.org_id AND x.chat_id = c.id),
	    (SELECT m.created_at FROM parta.message m
		WHERE m.org_id = c.org_id AND m.chat_id = c.id
		ORDER BY m.id DESC LIMIT 1),
	    c.audience, c.public_audience, c.closed_at IS NOT NULL,
	    c.closed_by IS NOT NULL, k.archived_at IS NOT NULL,
	    coalesce((SELECT x.is_admin FROM parta.chat_member x
		WHERE x.org_id = c.org_id AND x.chat_id = c.id
		AND x.account_id = me), false),
	    parta.chat_by_hand(c.kind, c.purpose)
	FROM parta.chat c
	LEFT JOIN parta.class k ON k.org_id = c.org_id AND k.id = c.class_id
	WHERE c.org_id = org_chats_overview.org AND c.purpose <> 'direct'
	ORDER BY c.closed_at IS NOT NULL, k.archived_at IS NOT NULL,
	    CASE c.purpose WHEN 'staff' THEN 0 WHEN '' THEN 2 ELSE 1 END,
	    k.grade NULLS LAST, k.letter, lower(c.title), c.id;
END
$$;
