-- Issue 23: row-level security at the cost the issue allows (a page no
-- more than 10 % slower).  Measured by instructions per request in a
-- single-user backend (README, "Row-level security"), 0030 cost:
--   the session lookup   +260 k: two SECURITY DEFINER PL/pgSQL calls
--                        computing the account's organizations and chats
--   each table a statement names   three or four InitPlans (one per
--                        setting the policy reads), and the EXISTS arms
--                        of class and chat brought a plan of their own
--                        (the chat's a hashed sequential scan of message)
--   the home checklist   +490 k: fifty table references in one query
--                        for five lists of which a person has one or two
-- What this migration does instead:
--   1. The account's organizations and chats are kept on its row
--      (account.rls_orgs, rls_chats) by triggers on the tables that make
--      them; the session lookup reads two columns of a row it reads
--      anyway.  The programs may not write them (column privileges).
--   2. Policies name one setting by InitPlan (computed once per statement
--      and table, then an array test per row), and the rest inline: they
--      are read only for a row of no organization of the account's.  The
--      EXISTS arms are gone: what they admitted is looked up by SECURITY
--      DEFINER functions that take the account from the request.
--   3. The checklist runs only the lists the person has.

------------------------------------------------ the account's scope, kept

ALTER TABLE parta.account
    ADD COLUMN rls_orgs bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN rls_chats bigint[] NOT NULL DEFAULT '{}';

COMMENT ON COLUMN parta.account.rls_orgs IS
    'parta.rls_orgs_of(id), kept by parta.rls_scope_sync: what the '
    'session lookup puts in the setting parta.orgs';
COMMENT ON COLUMN parta.account.rls_chats IS
    'parta.rls_chats_of(id), kept by parta.rls_scope_sync';

-- Recompute the scope of accounts from what is committed: wait for any
-- other transaction changing it (the row lock), then read in a statement
-- of its own, whose snapshot is taken after the wait.  Locks in id order,
-- so two transactions syncing the same accounts in one statement each
-- never wait on each other in a circle.
CREATE FUNCTION parta.rls_scope_sync(accounts bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM 1 FROM parta.account a WHERE a.id = ANY (accounts)
	    ORDER BY a.id FOR NO KEY UPDATE;
	UPDATE parta.account a SET rls_orgs = s.orgs, rls_chats = s.chats
	FROM (SELECT x.id,
	    coalesce((SELECT array_agg(DISTINCT o.org_id ORDER BY o.org_id)
		FROM (SELECT m.org_id FROM parta.member m
		    WHERE m.account_id = x.id
		    UNION ALL
		    SELECT m.org_id FROM parta.guardian g
		    JOIN parta.member m ON m.account_id = g.child_id
		    WHERE g.parent_id = x.id) o), '{}') AS orgs,
	    coalesce((SELECT array_agg(cm.chat_id ORDER BY cm.chat_id)
		FROM parta.chat_member cm WHERE cm.account_id = x.id), '{}')
		AS chats
	    FROM unnest(accounts) AS x (id)) s
	WHERE a.id = s.id
	    AND (a.rls_orgs <> s.orgs OR a.rls_chats <> s.chats);
END
$$;

-- Statement triggers on insert and delete, a row trigger on the rare
-- update that moves a row: the accounts whose scope changed.  A
-- membership is also its guardians' (a parent sees the child's schools).
CREATE FUNCTION parta.rls_scope_changed() RETURNS trigger
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
	PERFORM parta.rls_scope_sync(ARRAY(SELECT DISTINCT x
	    FROM unnest(who) AS x WHERE x IS NOT NULL ORDER BY x));
	RETURN NULL;
END
$$;

DO $$
DECLARE
	t text;
	k text;
BEGIN
	FOR t, k IN VALUES
	    ('member', 'OLD.account_id <> NEW.account_id OR OLD.org_id <> NEW.org_id'),
	    ('guardian', 'OLD.parent_id <> NEW.parent_id OR OLD.child_id <> NEW.child_id'),
	    ('chat_member', 'OLD.account_id <> NEW.account_id OR OLD.chat_id <> NEW.chat_id')
	LOOP
		EXECUTE format('CREATE TRIGGER rls_scope_insert AFTER INSERT'
		    ' ON parta.%I REFERENCING NEW TABLE AS changed'
		    ' FOR EACH STATEMENT'
		    ' EXECUTE FUNCTION parta.rls_scope_changed()', t);
		EXECUTE format('CREATE TRIGGER rls_scope_delete AFTER DELETE'
		    ' ON parta.%I REFERENCING OLD TABLE AS gone'
		    ' FOR EACH STATEMENT'
		    ' EXECUTE FUNCTION parta.rls_scope_changed()', t);
		EXECUTE format('CREATE TRIGGER rls_scope_update AFTER UPDATE'
		    ' ON parta.%I FOR EACH ROW WHEN (%s)'
		    ' EXECUTE FUNCTION parta.rls_scope_changed()', t, k);
	END LOOP;
END
$$;

UPDATE parta.account SET rls_orgs = parta.rls_orgs_of(id),
    rls_chats = parta.rls_chats_of(id);

-- The programs write every column of an account but its scope.  A later
-- migration that
-- adds a column the programs write grants it (tests/http/test_rls.c
-- checks every column).
DO $$
DECLARE
	cols text;
BEGIN
	SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
	INTO cols FROM pg_attribute a
	WHERE a.attrelid = 'parta.account'::regclass AND a.attnum > 0
	    AND NOT a.attisdropped
	    AND a.attname NOT IN ('rls_orgs', 'rls_chats');
	REVOKE INSERT, UPDATE ON parta.account FROM parta_app;
	EXECUTE format('GRANT INSERT (%s), UPDATE (%s) ON parta.account'
	    ' TO parta_app', cols, cols);
END
$$;

------------------------------------------------------- the settings, read

-- NULL when not set on the connection, or set to '' (no tenant row then).
CREATE OR REPLACE FUNCTION parta.rls_orgs() RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT nullif(current_setting('parta.orgs', true), '')::bigint[]
$$;

CREATE OR REPLACE FUNCTION parta.rls_chats() RETURNS bigint[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT nullif(current_setting('parta.chats', true), '')::bigint[]
$$;

-- NULL (not true) without the operator: an OR arm admits nothing.
CREATE OR REPLACE FUNCTION parta.rls_operator() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT current_setting('parta.operator', true) = 't'
$$;

------------------------------------------------------------ the policies

-- The organization arm: an InitPlan, one array per statement and table.
-- Everything after it is read only for a row it does not admit (an own
-- row in a school not yet the account's: a seat taken by a chat's link,
-- a membership being made).
DO $$
DECLARE
	orgs constant text := 'org_id = ANY ((SELECT parta.rls_orgs())::bigint[])';
	chats constant text := '((SELECT parta.rls_chats())::bigint[])';
	me constant text := 'parta.rls_account()';
	op constant text := 'parta.rls_operator()';
	t text;
	u text;
BEGIN
	FOR t, u IN VALUES
	    ('member', orgs || ' OR account_id = ' || me || ' OR ' || op),
	    ('class_member', orgs || ' OR account_id = ' || me || ' OR ' || op),
	    ('member_bar', orgs || ' OR account_id = ' || me || ' OR ' || op),
	    ('application', orgs || ' OR account_id = ' || me || ' OR ' || op),
	    ('admin_grant', orgs || ' OR account_id = ' || me || ' OR ' || op),
	    ('chat_member', orgs || ' OR chat_id = ANY ' || chats
		|| ' OR account_id = ' || me || ' OR ' || op),
	    ('class', orgs || ' OR ' || op),
	    ('chat', orgs || ' OR id = ANY ' || chats || ' OR ' || op),
	    ('message', 'chat_id = ANY ' || chats || ' OR author_id = ' || me
		|| ' OR ' || op),
	    ('invite', orgs || ' OR ' || op),
	    ('invite_batch', orgs || ' OR ' || op),
	    ('class_rollover', orgs || ' OR ' || op),
	    ('roster', orgs || ' OR ' || op),
	    ('roster_row', orgs || ' OR ' || op),
	    ('audit', orgs || ' OR actor_id = ' || me || ' OR target_id = '
		|| me || ' OR ' || op),
	    ('org_request', 'applicant_id = ' || me || ' OR ' || orgs
		|| ' OR ' || op)
	LOOP
		EXECUTE format('ALTER POLICY tenant ON parta.%I USING (%s)',
		    t, u);
	END LOOP;
END
$$;

-- What the class and chat policies' EXISTS arms admitted, for the one
-- page each that needs it.

-- The name of class of org when the request's account applied to it
-- (its /me and data export: a class of a school it is not in), else NULL.
CREATE FUNCTION parta.my_application_class(org bigint, class bigint)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT parta.class_name(c.grade, c.letter, c.title)
	FROM parta.class c
	WHERE c.org_id = my_application_class.org
	    AND c.id = my_application_class.class
	    AND EXISTS (SELECT 1 FROM parta.application a
		WHERE a.account_id = parta.rls_account() AND a.org_id = c.org_id
		AND a.class_id = c.id));
END
$$;

-- The title of chat of org when the request's account wrote in it (its
-- data export names the chats of its messages after it left), else NULL.
CREATE FUNCTION parta.my_message_chat(org bigint, chat bigint)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT c.title FROM parta.chat c
	WHERE c.org_id = my_message_chat.org AND c.id = my_message_chat.chat
	    AND EXISTS (SELECT 1 FROM parta.message m
		WHERE m.org_id = c.org_id AND m.chat_id = c.id
		AND m.author_id = parta.rls_account()));
END
$$;

----------------------------------------------------------- the checklist

-- 0019's checklist, list by list: only the lists the person has are
-- planned and run (a query of all five named some fifty tables, each
-- with its policy, for the one or two lists a person has).  Same rows,
-- same order: by list, organization, class, step.
DROP FUNCTION parta.checklist(bigint, bigint);
CREATE FUNCTION parta.checklist(p_account bigint, p_org bigint)
RETURNS TABLE (list text, org_id bigint, class_id bigint,
    class_name text, step text, done boolean, target bigint, ord int)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
	roles text[];
BEGIN
	roles := ARRAY(SELECT DISTINCT m.role FROM parta.member m
	    WHERE m.account_id = p_account
	    AND (p_org IS NULL OR m.org_id = p_org));

	-- An administrator builds the school (the order of brief 000).
	IF 'admin' = ANY (roles) THEN
	RETURN QUERY SELECT 'admin'::text, m.org_id, NULL::bigint, NULL::text,
	    s.step, s.done, NULL::bigint, s.ord
	FROM parta.member m JOIN parta.org o ON o.id = m.org_id
	CROSS JOIN LATERAL (VALUES
	    (1, 'profile', o.address <> '' AND (o.phone <> ''
		OR o.email <> '')),
	    (2, 'classes', EXISTS (SELECT 1 FROM parta.class c
		WHERE c.org_id = o.id AND c.archived_at IS NULL)),
	    (3, 'teachers_invited', EXISTS (SELECT 1 FROM parta.invite i
		WHERE i.org_id = o.id AND i.role = 'teacher')),
	    (4, 'teachers_accepted', EXISTS (SELECT 1 FROM parta.member t
		WHERE t.org_id = o.id AND t.role = 'teacher')),
	    (5, 'homeroom', EXISTS (SELECT 1 FROM parta.class_member cm
		WHERE cm.org_id = o.id AND cm.role = 'homeroom')),
	    (6, 'students_invited', EXISTS (SELECT 1 FROM parta.invite i
		WHERE i.org_id = o.id AND i.role = 'student')),
	    (7, 'chats', EXISTS (SELECT 1 FROM parta.chat ch
		WHERE ch.org_id = o.id AND ch.purpose = ''))
	) AS s (ord, step, done)
	WHERE m.account_id = p_account AND m.role = 'admin'
	AND (p_org IS NULL OR m.org_id = p_org)
	ORDER BY m.org_id, s.ord;
	END IF;

	-- A homeroom teacher brings their class in: links for its
	-- students, their applications decided, the class chat, parents
	-- confirmed by the students' links.
	IF roles <> '{}' THEN
	RETURN QUERY SELECT 'homeroom'::text, k.org_id, k.id,
	    parta.class_name(k.grade, k.letter, k.title), s.step, s.done,
	    s.target, s.ord
	FROM parta.class_member h
	JOIN parta.class k ON k.org_id = h.org_id AND k.id = h.class_id
	    AND k.archived_at IS NULL
	JOIN parta.member m ON m.org_id = h.org_id
	    AND m.account_id = h.account_id
	LEFT JOIN parta.chat sc ON sc.org_id = k.org_id
	    AND sc.class_id = k.id AND sc.purpose = 'students'
	LEFT JOIN parta.chat pc ON pc.org_id = k.org_id
	    AND pc.class_id = k.id AND pc.purpose = 'parents'
	CROSS JOIN LATERAL (VALUES
	    (1, 'invites', EXISTS (SELECT 1 FROM parta.invite i
		WHERE i.org_id = k.org_id AND i.class_id = k.id
		AND i.role = 'student'), NULL::bigint),
	    (2, 'reviewed', EXISTS (SELECT 1 FROM parta.application a
		WHERE a.org_id = k.org_id AND a.class_id = k.id
		AND a.status IN ('accepted', 'rejected'))
		AND NOT EXISTS (SELECT 1 FROM parta.application a
		WHERE a.org_id = k.org_id AND a.class_id = k.id
		AND a.status = 'pending'), NULL),
	    (3, 'class_chat', parta.chat_opened(k.org_id, sc.id,
		h.account_id), sc.id),
	    (4, 'parents', EXISTS (SELECT 1 FROM parta.class_member s
		JOIN parta.guardian g ON g.child_id = s.account_id
		WHERE s.org_id = k.org_id AND s.class_id = k.id
		AND s.role = 'student'), pc.id)
	) AS s (ord, step, done, target)
	WHERE h.account_id = p_account AND h.role = 'homeroom'
	AND (p_org IS NULL OR h.org_id = p_org)
	ORDER BY k.org_id, k.id, s.ord;
	END IF;

	-- A parent confirms their child by the child's link, opens the
	-- class's parents' chat and writes to a teacher of the child.
	IF p_org IS NULL AND EXISTS (SELECT 1 FROM parta.guardian g
	    WHERE g.parent_id = p_account) THEN
	RETURN QUERY SELECT 'parent'::text, NULL::bigint, NULL::bigint,
	    NULL::text, s.step, s.done, s.target, s.ord
	FROM (SELECT (SELECT cm.chat_id FROM parta.chat_member cm
	    JOIN parta.chat c ON c.org_id = cm.org_id AND c.id = cm.chat_id
	    AND c.purpose = 'parents'
	    WHERE cm.account_id = p_account
	    ORDER BY cm.opened_at IS NOT NULL, cm.joined_at DESC LIMIT 1)
	    AS chat) p
	CROSS JOIN LATERAL (VALUES
	    (1, 'child', true, NULL::bigint),
	    (2, 'parents_chat', EXISTS (SELECT 1 FROM parta.chat_member cm
		JOIN parta.chat c ON c.org_id = cm.org_id AND c.id = cm.chat_id
		AND c.purpose = 'parents'
		WHERE cm.account_id = p_account AND cm.opened_at IS NOT NULL),
		p.chat),
	    (3, 'teacher', EXISTS (SELECT 1 FROM parta.chat c
		JOIN parta.message w ON w.org_id = c.org_id
		AND w.chat_id = c.id AND w.author_id = p_account
		WHERE c.purpose = 'direct' AND c.guardian_id = p_account
		AND NOT EXISTS (SELECT 1 FROM parta.guardian g
		WHERE g.parent_id = p_account AND g.child_id = c.peer_id)),
		NULL)
	) AS s (ord, step, done, target)
	ORDER BY s.ord;
	END IF;

	-- A student is in a class, opens its chat and brings a parent in
	-- by their personal link.
	IF 'student' = ANY (roles) THEN
	RETURN QUERY SELECT 'student'::text, m.org_id, k.id, k.name, s.step,
	    s.done, s.target, s.ord
	FROM parta.member m
	LEFT JOIN LATERAL (SELECT c.id,
	    parta.class_name(c.grade, c.letter, c.title) AS name
	    FROM parta.class_member cm
	    JOIN parta.class c ON c.org_id = cm.org_id AND c.id = cm.class_id
	    AND c.archived_at IS NULL
	    WHERE cm.org_id = m.org_id AND cm.account_id = m.account_id
	    AND cm.role = 'student' ORDER BY c.year DESC, c.id LIMIT 1) k
	    ON true
	LEFT JOIN parta.chat sc ON sc.org_id = m.org_id
	    AND sc.class_id = k.id AND sc.purpose = 'students'
	CROSS JOIN LATERAL (VALUES
	    (1, 'class', k.id IS NOT NULL, NULL::bigint),
	    (2, 'class_chat', parta.chat_opened(m.org_id, sc.id,
		m.account_id), sc.id),
	    (3, 'parent_link', EXISTS (SELECT 1 FROM parta.parent_link p
		WHERE p.child_id = m.account_id), NULL),
	    (4, 'parent', EXISTS (SELECT 1 FROM parta.guardian g
		WHERE g.child_id = m.account_id), NULL)
	) AS s (ord, step, done, target)
	WHERE m.account_id = p_account AND m.role = 'student'
	AND (p_org IS NULL OR m.org_id = p_org)
	ORDER BY m.org_id, k.id, s.ord;
	END IF;

	-- A teacher is verified, meets the staff, makes a chat and brings
	-- students and parents into it by its link.
	IF 'teacher' = ANY (roles) THEN
	RETURN QUERY SELECT 'teacher'::text, m.org_id, NULL::bigint,
	    NULL::text, s.step, s.done, s.target, s.ord
	FROM parta.member m
	LEFT JOIN parta.chat st ON st.org_id = m.org_id
	    AND st.class_id IS NULL AND st.purpose = 'staff'
	CROSS JOIN LATERAL (VALUES
	    (1, 'verified', m.verified, NULL::bigint),
	    (2, 'staff_chat', parta.chat_opened(m.org_id, st.id,
		m.account_id), st.id),
	    (3, 'chat', EXISTS (SELECT 1 FROM parta.chat c
		WHERE c.org_id = m.org_id AND c.purpose = ''
		AND c.created_by = m.account_id), NULL),
	    (4, 'chat_link', EXISTS (SELECT 1 FROM parta.chat c
		JOIN parta.chat_member cm ON cm.org_id = c.org_id
		AND cm.chat_id = c.id AND cm.account_id = m.account_id
		AND cm.is_admin
		WHERE c.org_id = m.org_id AND c.token_hash IS NOT NULL
		AND c.purpose IN ('', 'students', 'parents')), NULL)
	) AS s (ord, step, done, target)
	WHERE m.account_id = p_account AND m.role = 'teacher'
	AND (p_org IS NULL OR m.org_id = p_org)
	ORDER BY m.org_id, s.ord;
	END IF;
END
$$;

------------------------------------------- scalar SQL functions, planned once

-- A SQL function whose body reads a table (SELECT ... FROM) is not
-- inlined into the query that calls it: it is parsed and planned again
-- on every call, and under row-level security that planning grows by the
-- policies of every table it reads (is_barred on the join page: 142 k
-- instructions a call before 0030, 407 k after; privacy_current, on
-- every request twice, 179 k).  In PL/pgSQL the plan is made once per
-- connection.  Same result: the first row's value, NULL for none; column
-- names win over parameter names, as in SQL.  parta.plan_once() does it
-- for every such function; a migration that adds one calls it
-- (tests/http/test_rls.c finds any left).
CREATE FUNCTION parta.plan_once() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	f record;
	body text;
BEGIN
	FOR f IN SELECT p.oid, p.prosrc,
	    pg_get_function_identity_arguments(p.oid) AS ident,
	    pg_get_function_arguments(p.oid) AS args,
	    pg_get_function_result(p.oid) AS result,
	    CASE p.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE'
		ELSE 'VOLATILE' END AS volatility,
	    CASE WHEN p.proisstrict THEN 'STRICT' ELSE '' END AS strictness,
	    CASE p.proparallel WHEN 's' THEN 'PARALLEL SAFE'
		WHEN 'r' THEN 'PARALLEL RESTRICTED' ELSE '' END AS parallelism,
	    CASE WHEN p.prosecdef THEN 'SECURITY DEFINER' ELSE '' END AS security,
	    coalesce((SELECT string_agg(format('SET %s = %s',
		split_part(c, '=', 1), substr(c, strpos(c, '=') + 1)), ' ')
		FROM unnest(p.proconfig) c), '') AS config,
	    p.proname
	FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
	JOIN pg_type t ON t.oid = p.prorettype
	WHERE p.pronamespace = 'parta'::regnamespace AND l.lanname = 'sql'
	    AND NOT p.proretset AND p.prokind = 'f'
	    AND t.typtype IN ('b', 'd', 'e') AND t.oid <> 'void'::regtype
	    AND p.prosrc ~* '\mfrom\M'
	    AND p.prosrc ~* '^\s*(select|with)\M'
	ORDER BY p.proname
	LOOP
		body := regexp_replace(f.prosrc, ';\s*$', '');
		IF strpos(body, ';') > 0 THEN
			RAISE NOTICE 'parta.%: more than one statement, left as SQL',
			    f.proname;
			CONTINUE;
		END IF;
		EXECUTE format('CREATE OR REPLACE FUNCTION parta.%I(%s)'
		    ' RETURNS %s LANGUAGE plpgsql %s %s %s %s %s AS %L',
		    f.proname, f.args, f.result, f.volatility, f.strictness,
		    f.parallelism, f.security, f.config,
		    E'#variable_conflict use_column\nBEGIN\n\tRETURN (SELECT q.v'
		    ' FROM (' || body || E'\n\t) AS q (v) LIMIT 1);\nEND\n');
	END LOOP;
END
$$;
REVOKE EXECUTE ON FUNCTION parta.plan_once() FROM PUBLIC;
SELECT parta.plan_once();
