-- A parent whose guardianship ended no longer reads the direct chats it
-- gave them (issue 18: removing a guardian ends the parent's access to
-- their direct chats with the child and the class's teachers).  The
-- chat closes (guardian_direct_refresh, 0017); the other side keeps its
-- history.  The parent keeps a closed chat only while they are still the
-- guardian of the child it is with, or of a student of its
-- organization: closed then for another reason (a teacher who left),
-- its history stays theirs.
CREATE FUNCTION parta.chat_readable(p_org bigint, p_chat bigint,
    p_account bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT c.purpose <> 'direct' OR c.closed_at IS NULL
	    OR c.guardian_id IS DISTINCT FROM p_account
	    OR EXISTS (SELECT 1 FROM parta.guardian g
		WHERE g.parent_id = p_account AND (g.child_id = c.peer_id
		OR EXISTS (SELECT 1 FROM parta.member m
		    WHERE m.org_id = c.org_id AND m.account_id = g.child_id
		    AND m.role = 'student')))
	FROM parta.chat c WHERE c.org_id = p_org AND c.id = p_chat
$$;
