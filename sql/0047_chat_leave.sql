-- Issue 21's second QA round: «Выйти» was offered to the only
-- administrator of a chat with other members, who then got a 409.  Why
-- a person may not leave a chat is now one rule, read by
-- parta.chat_leave (which takes it under the chat's lock) and by the
-- pages that offer the button.
--
-- Why account may not leave chat chat_id of org (NULL: they may):
-- not_found (not in it), forbidden (an automatic chat: it follows roles
-- and classes), last_admin (the only chat administrator of a chat with
-- other members).
CREATE FUNCTION parta.chat_leave_refusal(org bigint, chat_id bigint,
    account bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	c parta.chat;
	admin boolean;
BEGIN
	SELECT * INTO c FROM parta.chat x
	WHERE x.org_id = chat_leave_refusal.org
	    AND x.id = chat_leave_refusal.chat_id;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	SELECT x.is_admin INTO admin FROM parta.chat_member x
	WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id = chat_leave_refusal.account;
	IF NOT FOUND THEN
		RETURN 'not_found';
	ELSIF NOT parta.chat_by_hand(c.kind, c.purpose) THEN
		RETURN 'forbidden';
	ELSIF admin AND NOT EXISTS (SELECT 1 FROM parta.chat_member x
	    WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id <> chat_leave_refusal.account AND x.is_admin)
	    AND EXISTS (SELECT 1 FROM parta.chat_member x
	    WHERE x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id <> chat_leave_refusal.account) THEN
		RETURN 'last_admin';
	END IF;
	RETURN NULL;
END
$$;

-- account leaves chat chat_id: ok, or parta.chat_leave_refusal's word,
-- asked under the chat's lock.
CREATE OR REPLACE FUNCTION parta.chat_leave(chat_id bigint, account bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	c parta.chat;
	refusal text;
BEGIN
	SELECT * INTO c FROM parta.chat_lock(chat_leave.chat_id, true);
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	refusal := parta.chat_leave_refusal(c.org_id, c.id,
	    chat_leave.account);
	IF refusal IS NOT NULL THEN
		RETURN refusal;
	END IF;
	DELETE FROM parta.chat_member x WHERE x.org_id = c.org_id
	    AND x.chat_id = c.id AND x.account_id = chat_leave.account;
	RETURN 'ok';
END
$$;
