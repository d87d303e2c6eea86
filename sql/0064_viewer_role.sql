-- Issue 24: a page's statements travel with the session's lookup, in one
-- round trip, before the program knows who asks (lib/app.h,
-- APP_ONE_TRIP): they take the person from the session, as row-level
-- security does (parta.rls_account(), which that lookup sets), and what
-- depends on the person's role there, or on the organization, from
-- these.  Set-returning, so that they are inlined into the statement
-- that joins them, not planned again on every call (test_rls).

-- The role of the request's person in org: one row, 'admin', 'teacher'
-- or 'student'; none when they are no member (the operator, nobody).
-- The same row lib/org's org_access reads.
CREATE FUNCTION parta.viewer_role(org bigint) RETURNS TABLE (role text)
LANGUAGE sql STABLE AS $$
	SELECT m.role::text FROM parta.member m
	    WHERE m.org_id = viewer_role.org
	    AND m.account_id = parta.rls_account()
$$;

-- The time zone of org's pages: its region's, Moscow's when it has none
-- (as lib/org's org_access reads it for the program).  One row.
CREATE FUNCTION parta.org_tz(org bigint) RETURNS TABLE (tz text)
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT rg.tz FROM parta.org o
	    JOIN parta.region rg ON rg.code = o.region
	    WHERE o.id = org_tz.org), 'Europe/Moscow')
$$;
