-- The quota locks no longer deadlock chat messages with files (QA: of
-- 8 messages with a file posted at once by one student, 1 answered 500,
-- "deadlock detected" in parta.file_quota_short).
--
-- POST /chats/ID/messages writes the message first, then its files
-- (parta.file_insert, parta.message_file_send), in one transaction.  The
-- message's foreign keys (author_id to parta.account, org_id to
-- parta.org) take FOR KEY SHARE on the author's and the school's rows;
-- file_quota_short then locked the same rows FOR UPDATE, which
-- conflicts with FOR KEY SHARE.  Two such posts each held KEY SHARE and
-- each waited for the other's to end before its UPDATE lock: a cycle on
-- the author's row (one person posting twice) or on the school's row
-- (two people in its chats).  Uploads to /me/files and materials did
-- not: their first write is the file itself, after the quota locks.
--
-- The rule: a transaction that takes the quota locks takes them before
-- it writes anything else, in one order: the account's row, the
-- organization's, then a sent file's.  parta.file_quota_lock takes the
-- first two, FOR UPDATE as file_quota_short does (sql/0058), so that
-- file_quota_short finds them held; the chat's message POST calls it
-- first when the message carries files (cgi-bin/chat/rooms.c).

-- Lock the quota rows of the request's account and of organization
-- p_org (one of its organizations), in that order, for the rest of the
-- transaction.
CREATE FUNCTION parta.file_quota_lock(p_org bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL OR NOT (p_org = ANY (parta.rls_orgs())) THEN
		RAISE EXCEPTION 'file_quota_lock: not in organization %', p_org
		    USING ERRCODE = 'PA403';
	END IF;
	PERFORM 1 FROM parta.account a WHERE a.id = me FOR UPDATE;
	PERFORM 1 FROM parta.org o WHERE o.id = p_org FOR UPDATE;
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
	PERFORM 1 FROM parta.org o WHERE o.id = p_org FOR UPDATE;
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
