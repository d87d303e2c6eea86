-- Issue 21's second QA round: what a request's author is told once they
-- can no longer open it, and what its handlers are told of that.
--
-- parta.appeal_can_open (0039) says only whether the author can still
-- open their request.  The pages promised «автору придёт только итог»
-- for every such author, but a parent whom the school unlinked from the
-- child is no party of the request any more (parta.appeal_parties) and
-- is told nothing, by design: they hear no more about that child.  And a
-- parent whose child left the school was called «не в школе», though a
-- parent was never a member.  This is the one rule both pages and the
-- message to the author read.
--
-- The author's standing in request (org, requester, child, cls): NULL
-- while they can open it; 'left' (a member the school removed: told the
-- outcome, without a link); 'child_left' (a guardian of the child, who
-- is no longer at the school: told the outcome, without a link);
-- 'unlinked' (a guardian no longer the child's: told nothing).
CREATE FUNCTION parta.appeal_author_gone(org bigint, requester bigint,
    child bigint, cls bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF parta.appeal_can_open(org => appeal_author_gone.org,
	    requester => appeal_author_gone.requester,
	    child => appeal_author_gone.child, cls => appeal_author_gone.cls,
	    viewer => appeal_author_gone.requester) THEN
		RETURN NULL;
	END IF;
	IF appeal_author_gone.child IS NULL
	    OR appeal_author_gone.child = appeal_author_gone.requester THEN
		RETURN 'left';
	END IF;
	IF appeal_author_gone.requester IN (SELECT p.account_id
	    FROM parta.appeal_parties(appeal_author_gone.requester,
	    appeal_author_gone.child) p) THEN
		RETURN 'child_left';
	END IF;
	RETURN 'unlinked';
END
$$;
