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

-- The account's kept scope (0031) is written at commit, every account
-- of the transaction at once, locked in id order.  0031 locked and wrote
-- at the end of each statement that changed a membership, guardian or
-- seat, holding the locks to commit: one transaction's order held only
-- within a statement.  Two transactions that change the scope of the
-- same two accounts in separate statements in opposite orders (a
-- roster's rows, a chat's seats one by one, the seats a membership's
-- row triggers make before its own statement ends and the guardians
-- after) each held one account and waited for the other: a deadlock, one
-- of them rolled back after deadlock_timeout.  Now the statement
-- triggers only note the accounts (parta.rls_pending, a setting of the
-- transaction, undone with it or with a savepoint), and one deferred
-- trigger per changed row, at commit, syncs them all (the first does
-- the work, the rest find nothing).  The lock is still taken before the
-- account's scope is read, so two commits at once lose neither change.
-- Within the transaction the programs go by the request's settings
-- (parta.orgs, refreshed by rls_refresh from the rows themselves), never
-- by the kept columns, which the next request reads.
CREATE OR REPLACE FUNCTION parta.rls_scope_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	who bigint[];
BEGIN
	-- An update that moves a row from one account to another.
	IF TG_LEVEL = 'ROW' AND TG_TABLE_NAME = 'guardian' THEN
		who := ARRAY[OLD.parent_id, NEW.parent_id];
	ELSIF TG_LEVEL = 'ROW' THEN
		who := ARRAY[OLD.account_id, NEW.account_id];
	ELSIF TG_TABLE_NAME = 'guardian' AND TG_OP = 'INSERT' THEN
		who := ARRAY(SELECT c.parent_id FROM changed c);
	ELSIF TG_TABLE_NAME = 'guardian' THEN
		who := ARRAY(SELECT c.parent_id FROM gone c);
	ELSIF TG_OP = 'INSERT' THEN
		who := ARRAY(SELECT c.account_id FROM changed c);
	ELSE
		who := ARRAY(SELECT c.account_id FROM gone c);
	END IF;
	IF TG_TABLE_NAME = 'member' THEN
		who := who || ARRAY(SELECT g.parent_id
		    FROM parta.guardian g WHERE g.child_id = ANY (who));
	END IF;
	PERFORM set_config('parta.rls_pending', ARRAY(SELECT DISTINCT x
	    FROM unnest(coalesce(nullif(current_setting('parta.rls_pending',
	    true), ''), '{}')::bigint[] || who) AS x
	    WHERE x IS NOT NULL ORDER BY x)::text, true);
	RETURN NULL;
END
$$;

CREATE FUNCTION parta.rls_scope_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	who bigint[] := nullif(current_setting('parta.rls_pending', true),
	    '')::bigint[];
BEGIN
	IF cardinality(who) > 0 THEN
		PERFORM set_config('parta.rls_pending', '', true);
		PERFORM parta.rls_scope_sync(who);
	END IF;
	RETURN NULL;
END
$$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['member', 'guardian', 'chat_member'] LOOP
		EXECUTE format('CREATE CONSTRAINT TRIGGER rls_scope_commit'
		    ' AFTER INSERT OR UPDATE OR DELETE ON parta.%I'
		    ' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW'
		    ' EXECUTE FUNCTION parta.rls_scope_commit()', t);
	END LOOP;
END
$$;
