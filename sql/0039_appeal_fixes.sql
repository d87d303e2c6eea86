-- Issue 21's QA round: whether someone may still open a request.
--
-- parta.appeal_role says what a person is to a request, but the pages
-- of a request are only for a member of its organization or a guardian
-- of one of its students (cgi-bin/appeal's appeal_standing, which
-- answers 404 to anyone else).  A member the school removed is still
-- the requester of what they filed, so appeal_role calls them a party;
-- their link would answer 404 all the same.  This is the one rule for
-- "viewer can open request": it marks an author who is gone in the
-- handlers' queue and on the request, and tells who gets a link.
CREATE FUNCTION parta.appeal_can_open(org bigint, requester bigint,
    child bigint, cls bigint, viewer bigint) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN parta.appeal_role(org => appeal_can_open.org,
	    requester => appeal_can_open.requester,
	    child => appeal_can_open.child, cls => appeal_can_open.cls,
	    viewer => appeal_can_open.viewer) IS NOT NULL
	AND (EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = appeal_can_open.org
	    AND m.account_id = appeal_can_open.viewer)
	OR EXISTS (SELECT 1 FROM parta.org_children(appeal_can_open.org,
	    appeal_can_open.viewer)));
END
$$;
