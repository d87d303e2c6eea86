-- Issue 23: row-level security by organization.  The programs connect as
-- parta_app, a role that owns nothing: no DDL, no TRUNCATE, no BYPASSRLS,
-- only SELECT, INSERT, UPDATE and DELETE on the tables.  The owner (the
-- role that runs the migrations, parta-admin and the SECURITY DEFINER
-- functions below) keeps every row.
--
-- Each request says whom it runs for, once, on its connection (lib/auth:
-- in the round trip of the session lookup, or of the session made by a
-- login; cleared before a request without a session runs a statement):
--   parta.account   the account id ('' for none)
--   parta.orgs      the organizations it belongs to, itself or through a
--                   child it is the guardian of (a bigint[] literal)
--   parta.chats     the chats it has a seat in (a chat's link seats
--                   people of no membership)
--   parta.operator  't' for the operator
-- Every table with org_id (and so the chat tables) admits a row to
-- parta_app only when its organization is one of parta.orgs, when the
-- row is the account's own (its membership, application, chat seat, bar,
-- audit entry, message), or for the operator; a message only in a chat
-- of parta.chats.  A request without a session sees
-- no tenant row at all.  What a link token opens (an invite, a chat's
-- link) is looked up by SECURITY DEFINER functions that take the token's
-- hash: knowing the token is the right to see what it opens.
--
-- The settings are a fence against a program's mistake (an id not scoped
-- to its organization), not against SQL the attacker writes: whoever can
-- run SQL as parta_app can call set_config.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parta_app') THEN
		RAISE EXCEPTION 'role parta_app does not exist'
		    USING HINT = 'create the programs'' role first: CREATE ROLE '
		    'parta_app LOGIN PASSWORD ''...'' (docs/deploy.md)';
	END IF;
END
$$;

-- What the programs may do: use the schema and read and write rows.
GRANT USAGE ON SCHEMA parta TO parta_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA parta
    TO parta_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA parta TO parta_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA parta
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO parta_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA parta
    GRANT USAGE, SELECT ON SEQUENCES TO parta_app;
-- No temporary tables either (PUBLIC may make them by default).
DO $$
BEGIN
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC',
	    current_database());
END
$$;

------------------------------------------------------------ the request's

-- The request's account, NULL without one.
CREATE FUNCTION parta.rls_account() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT nullif(current_setting('parta.account', true), '')::bigint
$$;

-- The organizations the request's account belongs to (parta.orgs).
CREATE FUNCTION parta.rls_orgs() RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(nullif(current_setting('parta.orgs', true), ''),
	    '{}')::bigint[]
$$;

-- Whether the request runs for the operator.
CREATE FUNCTION parta.rls_operator() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(current_setting('parta.operator', true) = 't', false)
$$;

-- The organizations of account: its memberships and its children's.
-- Computed by the owner (it reads memberships the account does not see
-- before it is set); lib/auth stores it in parta.orgs.  PL/pgSQL keeps
-- the plan for the connection's next request.
CREATE FUNCTION parta.rls_orgs_of(account bigint) RETURNS bigint[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT coalesce(array_agg(DISTINCT o.org_id ORDER BY o.org_id),
	    '{}')
	FROM (SELECT m.org_id FROM parta.member m
	    WHERE m.account_id = rls_orgs_of.account
	    UNION ALL
	    SELECT m.org_id FROM parta.guardian g
	    JOIN parta.member m ON m.account_id = g.child_id
	    WHERE g.parent_id = rls_orgs_of.account) o);
END
$$;

-- The chats account has a seat in.
CREATE FUNCTION parta.rls_chats_of(account bigint) RETURNS bigint[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT coalesce(array_agg(cm.chat_id ORDER BY cm.chat_id),
	    '{}')
	FROM parta.chat_member cm WHERE cm.account_id = rls_chats_of.account);
END
$$;

-- The chats of the request's account (parta.chats).
CREATE FUNCTION parta.rls_chats() RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce(nullif(current_setting('parta.chats', true), ''),
	    '{}')::bigint[]
$$;

-- A request that joins an organization or a chat (a login's grants, a
-- guardian confirmed, a membership or a seat of its own) sees the new
-- set from its next statement on; a rolled back transaction takes the
-- change back with it.  One that leaves keeps the old set until it ends:
-- the way out (parta.member_end) still revokes the links it made there.
CREATE FUNCTION parta.rls_refresh() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL THEN
		RETURN NULL;
	ELSIF TG_TABLE_NAME = 'chat_member' THEN
		IF NEW.account_id = me THEN
			PERFORM set_config('parta.chats',
			    parta.rls_chats_of(me)::text, false);
		END IF;
	ELSIF TG_TABLE_NAME = 'member' THEN
		IF NEW.account_id = me THEN
			PERFORM set_config('parta.orgs',
			    parta.rls_orgs_of(me)::text, false);
		END IF;
	ELSIF NEW.parent_id = me THEN
		PERFORM set_config('parta.orgs',
		    parta.rls_orgs_of(me)::text, false);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER rls_refresh AFTER INSERT ON parta.member
    FOR EACH ROW EXECUTE FUNCTION parta.rls_refresh();
CREATE TRIGGER rls_refresh AFTER INSERT ON parta.guardian
    FOR EACH ROW EXECUTE FUNCTION parta.rls_refresh();
CREATE TRIGGER rls_refresh AFTER INSERT ON parta.chat_member
    FOR EACH ROW EXECUTE FUNCTION parta.rls_refresh();

-------------------------------------------------- rules that see it all

-- The triggers keep the rules whoever writes (a membership's end ends its
-- chat seats, a bar refuses an application...): they read and write what
-- the rule needs, not what the request's account sees, so they run as
-- the owner, as they did before this migration.  A trigger function can
-- only be called by its trigger.  (A later migration's trigger function
-- says SECURITY DEFINER itself; tests/http/test_rls.c checks.)
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid FROM pg_proc p
	    WHERE p.pronamespace = 'parta'::regnamespace
	    AND p.prorettype = 'trigger'::regtype AND NOT p.prosecdef
	LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER'
		    ' SET search_path = pg_catalog, pg_temp', f);
	END LOOP;
END
$$;

-- A link opens what it names to whoever holds its token: the lookup by
-- the token's hash sees the invite whatever the account's organizations.
-- (The same query as 0027's; a SECURITY DEFINER function is not inlined,
-- and PL/pgSQL keeps its plan for the connection's next request where
-- SQL would plan it again on every call.)
CREATE OR REPLACE FUNCTION parta.invite_by_token(token_hash bytea)
RETURNS TABLE (org_id bigint, id bigint, role text, short_name text,
    class_name text, revoked boolean, expired boolean, used_up boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY SELECT i.org_id, i.id, i.role, o.short_name,
	    parta.class_name(c.grade, c.letter, c.title),
	    i.revoked_at IS NOT NULL, i.expires_at <= now(),
	    i.uses >= i.max_uses
	FROM parta.invite i JOIN parta.org o ON o.id = i.org_id
	LEFT JOIN parta.class c ON c.org_id = i.org_id AND c.id = i.class_id
	WHERE i.token_hash = invite_by_token.token_hash
	ORDER BY i.created_at DESC LIMIT 1;
END
$$;

-- A login applies the administrator grants waiting for the account's
-- verified phone (grants of organizations it does not belong to yet).
ALTER FUNCTION parta.admin_grants_apply(bigint) SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;

---------------------------------------------------------------- policies

-- A person's own messages, by the policy of chat and the data export.
CREATE INDEX message_author ON parta.message (author_id);

-- A view reads its tables as its owner unless told otherwise, and the
-- owner's policy admits every row: the audit's reader reads as the
-- request's role instead, under its policies.
ALTER VIEW parta.audit_event SET (security_invoker = true);

-- Enable and force row-level security on table t, with the owner's policy
-- (every row) and the programs' policy: using_sql.
CREATE FUNCTION pg_temp.rls_on(t regclass, using_sql text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	owner name := (SELECT r.rolname FROM pg_class c
	    JOIN pg_roles r ON r.oid = c.relowner WHERE c.oid = t);
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY owner_all ON %s TO %I'
	    ' USING (true) WITH CHECK (true)', t, owner);
	EXECUTE format('CREATE POLICY tenant ON %s TO parta_app USING (%s)',
	    t, using_sql);
END
$$;

-- The building blocks: the row's organization is one of the account's,
-- the operator, the row is the account's own.  Each is a sub-select, so
-- it is computed once per statement, not once per row.
DO $$
BEGIN
PERFORM pg_temp.rls_on(t::regclass, u) FROM (VALUES
    ('parta.member', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR account_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    ('parta.class_member', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR account_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    ('parta.member_bar', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR account_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    ('parta.application', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR account_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    ('parta.admin_grant', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR account_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    -- The chat tables: also the chats the account has a seat in.
    ('parta.chat_member', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR chat_id = ANY ((SELECT parta.rls_chats())::bigint[])'
	' OR account_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    -- A class: also the one of the account's own application (its /me).
    ('parta.class', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())'
	' OR EXISTS (SELECT 1 FROM parta.application a'
	'  WHERE a.account_id = (SELECT parta.rls_account())'
	'  AND a.org_id = class.org_id AND a.class_id = class.id)'),
    -- A chat: also one the account wrote in (its data export names the
    -- chats of its messages after it left).
    ('parta.chat', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR id = ANY ((SELECT parta.rls_chats())::bigint[])'
	' OR (SELECT parta.rls_operator())'
	' OR EXISTS (SELECT 1 FROM parta.message m WHERE m.org_id = chat.org_id'
	'  AND m.chat_id = chat.id AND m.author_id = (SELECT parta.rls_account()))'),
    -- Messages: only of the chats the account has a seat in (nobody
    -- reads a chat without one, cgi-bin/chat/), and its own.
    ('parta.message', 'chat_id = ANY ((SELECT parta.rls_chats())::bigint[])'
	' OR author_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    ('parta.invite', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())'),
    ('parta.invite_batch', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())'),
    ('parta.class_rollover', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())'),
    ('parta.roster', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())'),
    ('parta.roster_row', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())'),
    -- The audit: an organization's, and what the account did or had done
    -- to it (rows of no organization: its own account's events).
    ('parta.audit', 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR actor_id = (SELECT parta.rls_account())'
	' OR target_id = (SELECT parta.rls_account())'
	' OR (SELECT parta.rls_operator())'),
    -- A registration request: its applicant's, the operator's, and the
    -- organization's once it is made.
    ('parta.org_request', 'applicant_id = (SELECT parta.rls_account())'
	' OR org_id = ANY ((SELECT parta.rls_orgs())::bigint[])'
	' OR (SELECT parta.rls_operator())')
) AS p (t, u);
END
$$;

-- One use of a live link (by the hash of its token) and the application
-- of the request's account by it, in one statement (cgi-bin/join.c): no
-- row when the link is expired, revoked or used up; the application's
-- refusals (a unique violation, PAB03 barred, PA409) as they come.  The
-- link's organization is not the account's yet: the token is the right.
CREATE FUNCTION parta.invite_join(token_hash bytea, org bigint,
    invite bigint) RETURNS TABLE (id bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY WITH u AS (UPDATE parta.invite i SET uses = i.uses + 1
	    WHERE i.org_id = invite_join.org AND i.id = invite_join.invite
	    AND i.token_hash = invite_join.token_hash
	    AND i.uses < i.max_uses AND i.revoked_at IS NULL
	    AND i.expires_at > now() AND parta.rls_account() IS NOT NULL
	    RETURNING i.org_id, i.id, i.role, i.class_id)
	INSERT INTO parta.application AS ap (org_id, account_id, role,
	    class_id, invite_id)
	SELECT u.org_id, parta.rls_account(), u.role, u.class_id, u.id FROM u
	RETURNING ap.id;
END
$$;

-- What any signed-in person may know of an organization's classes, to
-- apply to one (/org/N/apply): kind and name of the current ones.
CREATE FUNCTION parta.org_classes(org bigint)
RETURNS TABLE (id bigint, kind text, class_name text, grade smallint,
    letter text, title text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY SELECT c.id, c.kind,
	    parta.class_name(c.grade, c.letter, c.title),
	    c.grade, c.letter, c.title
	FROM parta.class c
	WHERE c.org_id = org_classes.org AND c.archived_at IS NULL
	    AND parta.rls_account() IS NOT NULL;
END
$$;

-- The chat a chat link (the hash of its token) opens, with what its page
-- shows before one joins: the token is the right to see it.
CREATE FUNCTION parta.chat_by_token(token_hash bytea)
RETURNS TABLE (org_id bigint, id bigint, title text, org_name text,
    archived boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY SELECT c.org_id, c.id, c.title, o.short_name,
	    EXISTS (SELECT 1 FROM parta.class k WHERE k.org_id = c.org_id
	    AND k.id = c.class_id AND k.archived_at IS NOT NULL)
	FROM parta.chat c JOIN parta.org o ON o.id = c.org_id
	WHERE c.token_hash = chat_by_token.token_hash;
END
$$;

-- The pending registration request for an INN, whoever filed it: one at
-- a time per INN (org_request_one_pending, 0016), and the second person
-- is told one is on its way (cgi-bin/register.c).
CREATE FUNCTION parta.org_request_pending(inn text)
RETURNS TABLE (id bigint, applicant_id bigint, region character(2),
    created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY SELECT q.id, q.applicant_id, q.region, q.created_at
	FROM parta.org_request q
	WHERE q.inn = org_request_pending.inn AND q.status = 'pending'
	    AND parta.rls_account() IS NOT NULL;
END
$$;

-- The school of child's (as a student) that removed account, '' when
-- none: the parent link (cgi-bin/chat/links.c) says so to a parent who
-- is not in that school, and whose rows it does not see.
CREATE FUNCTION parta.child_school_barred(child bigint, account bigint)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce((SELECT o.short_name FROM parta.class_member s
	    JOIN parta.org o ON o.id = s.org_id
	    WHERE s.account_id = child_school_barred.child
	    AND s.role = 'student'
	    AND parta.is_barred(s.org_id, child_school_barred.account)
	    ORDER BY s.org_id LIMIT 1), '')
$$;

-- Who may be a guardian of whom is one rule, whoever asks (the person's
-- memberships in schools the asker is not in count).
ALTER FUNCTION parta.guardian_refusal(bigint, bigint) SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
