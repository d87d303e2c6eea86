-- The quota lock no longer deadlocks chat messages with files (QA: of
-- 8 messages with a file posted at once by one student, 1 answered 500,
-- "deadlock detected" in parta.file_quota_short).
--
-- POST /chats/ID/messages writes the message first, then its files
-- (parta.file_insert), in one transaction.  The message's foreign keys
-- (author_id to parta.account, org_id to parta.org) take FOR KEY SHARE
-- on the author's and the school's rows; file_quota_short then locked
-- the same rows FOR UPDATE, which conflicts with FOR KEY SHARE.  Two
-- such posts each held KEY SHARE and each waited for the other's to end
-- before its UPDATE lock: a cycle on the author's row (one person
-- posting twice) or on the school's row (two people in its chats).
-- Uploads to /me/files and materials did not: their first write is the
-- file itself, after the quota locks.
--
-- The quota locks are there only to count parallel uploads one after
-- the other; FOR NO KEY UPDATE does that (it conflicts with itself) and
-- does not conflict with the FOR KEY SHARE of foreign-key checks, as
-- the other row locks taken to take turns do (sql/0012 member_leave,
-- sql/0031 rls_scope_sync).  So whatever a transaction wrote before
-- (a message, a material, anything pointing at the account or the
-- school), taking the quota locks is never an upgrade of a lock it
-- already holds, and the quota locks themselves keep one order: the
-- account's before the organization's (parta.file_insert), a sent
-- file's row before the organization's (parta.message_file_send, which
-- takes no account lock).  Neither the key nor anything a foreign key
-- reads changes under these locks: nothing is lost by the weaker lock.

CREATE OR REPLACE FUNCTION parta.file_quota_short(p_owner bigint,
    p_org bigint, p_size bigint, p_quota bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	used bigint;
BEGIN
	IF p_owner IS NOT NULL THEN
		PERFORM 1 FROM parta.account a WHERE a.id = p_owner
		FOR NO KEY UPDATE;
		SELECT coalesce(sum(f.size), 0) INTO used
		FROM parta.file f WHERE f.owner_id = p_owner;
	ELSE
		PERFORM 1 FROM parta.org o WHERE o.id = p_org
		FOR NO KEY UPDATE;
		SELECT coalesce(sum(f.size), 0) INTO used
		FROM parta.file f WHERE f.org_id = p_org;
	END IF;
	IF used + p_size > p_quota THEN
		RETURN greatest(p_quota - used, 0);
	END IF;
	RETURN NULL;
END
$$;

-- One order for all of them: the account's row, the organization's, a
-- sent file's.  parta.message_file_send locked the file's row first and
-- the organization's after it, while a message with an upload and a
-- file from storage (POST /chats/ID/messages, uploads first) takes the
-- organization's in file_insert and the file's after it: the same
-- person posting that file twice at once, once with an upload, waited
-- in a circle.  The organization's row is now locked first, whether or
-- not the file turns out to be charged already.
CREATE OR REPLACE FUNCTION parta.message_file_send(p_org bigint,
    p_chat bigint, p_file bigint, p_org_quota bigint,
    OUT refused text, OUT left_bytes bigint, OUT quota bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	f record;
BEGIN
	IF me IS NULL OR NOT EXISTS (SELECT 1 FROM parta.chat_member cm
	    WHERE cm.org_id = p_org AND cm.chat_id = p_chat
	    AND cm.account_id = me) THEN
		RAISE EXCEPTION 'message_file_send: not in chat %', p_chat
		    USING ERRCODE = 'PA403';
	END IF;
	PERFORM 1 FROM parta.org o WHERE o.id = p_org FOR NO KEY UPDATE;
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
	left_bytes := parta.file_quota_short(NULL, p_org, f.size, p_org_quota);
	IF left_bytes IS NOT NULL THEN
		refused := 'org';
		quota := p_org_quota;
		RETURN;
	END IF;
	UPDATE parta.file SET org_id = p_org WHERE id = p_file;
END
$$;
