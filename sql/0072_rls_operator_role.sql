-- Issue 23: row-level security at no more than 10 % a page.  The policies
-- cost most where a page reads many rows of a table whose policy has more
-- than one arm: every row then tests org_id = ANY (the InitPlan's array),
-- and the array, kept in the InitPlan's tuple with a 1-byte header, is
-- copied out for each row (a big school's members page: 3 000 rows,
-- 1.5 M instructions of its 19.9 M).  A policy of one arm can be an
-- index condition instead, tested once per scan, not per row (member's
-- and class_member's are, below).  What made the second and third arms:
--   the operator      every policy had "OR the operator".  The operator
--                     is now a role of its own, parta_operator, which the
--                     session lookup takes for the operator's requests
--                     (SET ROLE, in the same statement as the settings:
--                     parta.rls_role below), with a policy that admits
--                     every row; parta_app's policies lose that arm.
--   the own row       member and class_member admitted the account's own
--                     rows in any school.  Such a row's school is one of
--                     the account's (parta.orgs is made from them,
--                     0031), except within the transaction that makes
--                     the membership: admin_grants_apply, a SECURITY
--                     DEFINER function (0030), and a reviewer's decision
--                     (the reviewer's school).  A removed person's rows go
--                     with the membership.  The tables that keep the arm
--                     have rows of schools not the account's: its
--                     applications, bars, grants, appeals, audit entries,
--                     chat seats, messages, organization requests.
-- The remaining own-row arms compare the column as text with the setting
-- (one call fewer to set up than nullif(...)::bigint, for a test that
-- runs only for a row the first arm did not admit), and no arm is an
-- InitPlan but the arrays (an InitPlan costs its set-up in every
-- statement that names the table).
--
-- The operator's role is made by whoever makes parta_app (docs/deploy.md;
-- scripts/stack.sh for the local stack): a role of no login, granted to
-- parta_app, which must not inherit it (a policy applies to a role's
-- members that have its privileges, and this one admits every row).
-- Since PostgreSQL 16 a grant's inheritance is its own, fixed when it is
-- made (from the member's INHERIT then): hence NOINHERIT before the
-- grant, and the check of the privileges themselves ('USAGE'), not of the
-- attribute.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parta_operator')
	    OR NOT pg_has_role('parta_app', 'parta_operator', 'MEMBER')
	    OR pg_has_role('parta_app', 'parta_operator', 'USAGE')
	    OR (SELECT rolinherit FROM pg_roles WHERE rolname = 'parta_app')
	THEN
		RAISE EXCEPTION 'role parta_operator is missing, or parta_app'
		    ' may not take it, or inherits it'
		    USING HINT = 'as a superuser: CREATE ROLE parta_operator;'
		    ' ALTER ROLE parta_app NOINHERIT;'
		    ' GRANT parta_operator TO parta_app (in this order;'
		    ' docs/deploy.md)';
	END IF;
END
$$;

---------------------------------------------- what the operator may do

-- Whatever the programs may do, no more: every privilege parta_app holds
-- on the schema, its tables, columns, sequences and functions, and what
-- new tables and sequences give it (tests/http/test_rls.c compares the
-- two roles on every object).
GRANT USAGE ON SCHEMA parta TO parta_operator;
ALTER DEFAULT PRIVILEGES IN SCHEMA parta
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO parta_operator;
ALTER DEFAULT PRIVILEGES IN SCHEMA parta
    GRANT USAGE, SELECT ON SEQUENCES TO parta_operator;
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT c.oid::regclass AS rel, c.relkind, a.privilege_type
	    FROM pg_class c, aclexplode(c.relacl) a
	    WHERE c.relnamespace = 'parta'::regnamespace
	    AND a.grantee = 'parta_app'::regrole
	LOOP
		EXECUTE format('GRANT %s ON %s %s TO parta_operator',
		    r.privilege_type, CASE WHEN r.relkind = 'S'
		    THEN 'SEQUENCE' ELSE 'TABLE' END, r.rel);
	END LOOP;
	FOR r IN SELECT c.oid::regclass AS rel, t.attname, a.privilege_type
	    FROM pg_class c JOIN pg_attribute t ON t.attrelid = c.oid,
	    aclexplode(t.attacl) a
	    WHERE c.relnamespace = 'parta'::regnamespace
	    AND a.grantee = 'parta_app'::regrole
	LOOP
		EXECUTE format('GRANT %s (%I) ON TABLE %s TO parta_operator',
		    r.privilege_type, r.attname, r.rel);
	END LOOP;
	FOR r IN SELECT p.oid::regprocedure AS fn
	    FROM pg_proc p, aclexplode(p.proacl) a
	    WHERE p.pronamespace = 'parta'::regnamespace
	    AND a.grantee = 'parta_app'::regrole
	LOOP
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO parta_operator',
		    r.fn);
	END LOOP;
END
$$;

-- The role the rest of a request runs as, for set_config('role', ...) in
-- the statement that sets the request's account (lib/auth, lib/db):
-- parta_operator for the operator, else the connection's own ('none').
-- A connection that may not take the operator's role (the owner's, which
-- every policy admits anyway) keeps its own.
CREATE FUNCTION parta.rls_role(operator boolean) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN operator
	    AND pg_has_role('parta_operator', 'MEMBER')
	    THEN 'parta_operator' ELSE 'none' END
$$;

------------------------------------------------------------ the policies

-- Only member's and class_member's policies are index conditions: there
-- the test per row cost most (a school's members, its classes' members,
-- counted), and their indexes lead with the school and then the person
-- or the class.  Elsewhere the arm is kept out of the index conditions
-- (IS TRUE, the same rows: NULL admits none): as one, the
-- organization's array makes the planner estimate a school's rows as
-- one (it takes ten organizations, independent of the statement's own
-- org_id = $1) and no longer prefer the primary key (org_id, id) to any
-- other index led by the school, a unique one's shortcut being off with
-- an array; the big school's queue looked up each row's link and class
-- by the school's whole (org_id, role) and (org_id, year, ...) indexes,
-- 2.8 times the buffers of the empty data set for 1.3 before.
DO $$
DECLARE
	orgs constant text :=
	    'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])';
	alone constant text := '(' || orgs || ') IS TRUE';
	chats constant text := '((SELECT parta.rls_chats())::bigint[])';
	mine constant text := '::text = current_setting(''parta.account'','
	    ' true)';
	t text;
	u text;
BEGIN
	FOR t, u IN VALUES
	    ('member', orgs),
	    ('class_member', orgs),
	    ('member_bar', orgs || ' OR account_id' || mine),
	    ('application', orgs || ' OR account_id' || mine),
	    ('admin_grant', orgs || ' OR account_id' || mine),
	    ('chat_member', orgs || ' OR chat_id = ANY ' || chats
		|| ' OR account_id' || mine),
	    ('class', alone),
	    ('chat', orgs || ' OR id = ANY ' || chats),
	    ('message', 'chat_id = ANY ' || chats || ' OR author_id' || mine),
	    ('message_file', '(chat_id = ANY ' || chats || ') IS TRUE'),
	    ('invite', alone),
	    ('invite_batch', alone),
	    ('class_rollover', alone),
	    ('roster', alone),
	    ('roster_row', alone),
	    ('audit', orgs || ' OR actor_id' || mine || ' OR target_id'
		|| mine),
	    ('org_request', 'applicant_id' || mine || ' OR ' || orgs),
	    ('appeal', orgs || ' OR account_id' || mine),
	    ('appeal_message', orgs || ' OR author_id' || mine),
	    ('appeal_seen', orgs || ' OR account_id' || mine),
	    ('appeal_topics', alone),
	    ('event', alone),
	    ('leader', alone),
	    ('material', alone),
	    ('material_embed', alone),
	    ('material_setting', alone)
	LOOP
		EXECUTE format('ALTER POLICY tenant ON parta.%I USING (%s)',
		    t, u);
		EXECUTE format('CREATE POLICY operator ON parta.%I'
		    ' TO parta_operator USING (true) WITH CHECK (true)', t);
	END LOOP;
END
$$;

-- A person's own files and calendar key: the operator's too, no more
-- (these policies never admitted the operator to others').
ALTER POLICY tenant ON parta.file TO parta_app, parta_operator;
ALTER POLICY tenant ON parta.calendar_key TO parta_app, parta_operator;

------------------------------------------------ class_member's indexes

-- As an index condition the policy's org_id = ANY (...) multiplies the
-- planner's estimate of a school's rows by its own (it takes ten
-- organizations, independent of the statement's org_id = $1): a school
-- looks one row big.  A class's members, counted for each row of the
-- classes list by (org_id, class_id), were then read by the index led by
-- (org_id, account_id): every class member of the school for each class
-- (1 000 buffers for the tests' big school's page, 20 a class).  Led by
-- the account, that index serves its lookups (a person's homeroom
-- classes, a member's classes, a person's seats) and cannot pass for a
-- school's; it is also the one by account alone (0008).
DROP INDEX parta.class_member_account;
DROP INDEX parta.class_member_by_account;
CREATE INDEX class_member_account ON parta.class_member (account_id,
    org_id, role, class_id);
