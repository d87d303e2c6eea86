-- Issue 23, after bench/instructions.sh counted each page's SQL.
--
-- Who handles a request, set-based.  The organization's header (lib/org.c,
-- q_org_access, on every organization page) counted the requests waiting
-- for a handler by calling parta.appeal_role once per open request: a
-- PL/pgSQL call (0036) with its own statements per row.  The handler half
-- of that rule is now one place with two faces: the viewer's scope in an
-- organization, read once (parta.appeal_handler_scope: an administrator
-- handles every request, a homeroom teacher those of their current
-- classes), and the test of one request's class against it
-- (parta.appeal_handles, inlined).  appeal_role goes by them, and so does
-- the count: one scan of the open requests, the scope read once.

-- Viewer's scope as a handler of org's requests: every request (an
-- administrator), or those of these classes (their homeroom classes).
-- One row.  Set-returning, so inlined into the statement that reads it.
CREATE FUNCTION parta.appeal_handler_scope(org bigint, viewer bigint)
RETURNS TABLE (all_classes boolean, classes bigint[])
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = appeal_handler_scope.org
	    AND m.account_id = appeal_handler_scope.viewer
	    AND m.role = 'admin'),
	    ARRAY(SELECT h.class_id FROM parta.homeroom_classes(
	    org => appeal_handler_scope.org,
	    teacher => appeal_handler_scope.viewer) h)
$$;

-- Whether a request for class cls (NULL: none) is within a handler's
-- scope (all_classes, classes: parta.appeal_handler_scope).
CREATE FUNCTION parta.appeal_handles(all_classes boolean, classes bigint[],
    cls bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT all_classes OR coalesce(cls = ANY (classes), false)
$$;

-- The one rule (0032), its handler half from the two above; PL/pgSQL as
-- 0036 made it (planned once per connection).
CREATE OR REPLACE FUNCTION parta.appeal_role(org bigint, requester bigint,
    child bigint, cls bigint, viewer bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT CASE
	    WHEN parta.appeal_handles(s.all_classes, s.classes,
		appeal_role.cls) THEN 'handler'
	    WHEN appeal_role.viewer IN (SELECT p.account_id
		FROM parta.appeal_parties(appeal_role.requester,
		appeal_role.child) p) THEN 'party'
	    END
	FROM parta.appeal_handler_scope(org => appeal_role.org,
	    viewer => appeal_role.viewer) s);
END
$$;
