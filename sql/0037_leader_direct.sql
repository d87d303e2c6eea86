-- Issue 21: «a leader who is a member links to writing to them directly».
-- The direct messages' one rule (0012's direct_related) gains the
-- school's leaders: the parent of any student of the school may write to
-- a leader on its page (/org/N/leaders) who is a member, as to a teacher
-- of their child.  Taken off the page, the leader's direct chats with
-- parents who have no other reason close, as a teacher's do when they
-- stop teaching the class.  (PL/pgSQL, as 0031 made it: planned once.)
CREATE OR REPLACE FUNCTION parta.direct_related(p_org bigint,
    p_guardian bigint, p_peer bigint) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
	RETURN EXISTS (
		SELECT 1 FROM parta.guardian g
		JOIN parta.class_member s ON s.account_id = g.child_id
		    AND s.role = 'student' AND s.org_id = p_org
		JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id
		    AND k.archived_at IS NULL
		WHERE g.parent_id = p_guardian
		AND (g.child_id = p_peer OR EXISTS (
		    SELECT 1 FROM parta.class_member t
		    JOIN parta.member tm ON tm.org_id = t.org_id
			AND tm.account_id = t.account_id
		    WHERE t.org_id = s.org_id AND t.class_id = s.class_id
		    AND t.account_id = p_peer
		    AND t.role IN ('teacher', 'homeroom'))
		OR EXISTS (SELECT 1 FROM parta.leader l
		    WHERE l.org_id = s.org_id AND l.account_id = p_peer)));
END
$$;
