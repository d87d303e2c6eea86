-- Issue 23: row-level security's cost, cut further (README, "Row-level
-- security").  bench/instructions.sh counts each page's SQL as parta_app
-- and as the superuser on the same schema: the policies' share is what a
-- statement pays per table it names (each reference's InitPlan and
-- quals are set up by the executor whether or not a row is read), so the
-- pages name fewer tables.

-- The checklist (0031's) planned and ran the homeroom list for every
-- member, a dozen tables under their policies for the one person in ten
-- who leads a class: the roles' lookup now says whether they do, and the
-- list runs only then.  Same rows, same order.
CREATE OR REPLACE FUNCTION parta.checklist(p_account bigint, p_org bigint)
RETURNS TABLE (list text, org_id bigint, class_id bigint,
    class_name text, step text, done boolean, target bigint, ord int)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
	roles text[];
BEGIN
	-- The person's roles, and 'homeroom' when they lead a class (the
	-- homeroom list has rows only then).
	roles := ARRAY(SELECT m.role FROM parta.member m
	    WHERE m.account_id = p_account
	    AND (p_org IS NULL OR m.org_id = p_org)
	    UNION
	    SELECT 'homeroom' FROM parta.class_member h
	    WHERE h.account_id = p_account AND h.role = 'homeroom'
	    AND (p_org IS NULL OR h.org_id = p_org));

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
	IF 'homeroom' = ANY (roles) THEN
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

-- The organization's header (lib/org.c, q_org_access, on every
-- organization page) named the viewer's homeroom classes three times
-- (whether they lead one, the applications they may decide, the
-- requests they handle): ten tables under their policies.  It now reads
-- the viewer's scope once (parta.appeal_handler_scope, 0043) and tests
-- each application against it: parta.homeroom_in, the rule of
-- parta.homeroom_scope (0027) for a scope already read, which
-- homeroom_scope now goes by too.

-- Whether an application for role app_role and class app_class is within
-- a homeroom teacher's classes: students' applications for those classes.
CREATE FUNCTION parta.homeroom_in(classes bigint[], app_role text,
    app_class bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT app_role = 'student' AND app_class = ANY (classes)
$$;

CREATE OR REPLACE FUNCTION parta.homeroom_scope(org bigint, reviewer bigint,
    app_role text, app_class bigint) RETURNS TABLE (in_scope boolean)
LANGUAGE sql STABLE AS $$
	SELECT parta.homeroom_in(ARRAY(SELECT h.class_id
	    FROM parta.homeroom_classes(org => homeroom_scope.org,
	    teacher => reviewer) h), app_role, app_class)
$$;

-- The applications queue named each row's roster class by
-- parta.class_name_of, a PL/pgSQL call (0031) with a statement under the
-- class's policy for every row, though most rows come by a link, not a
-- roster (rw.class_id NULL: no class, NULL, either way).  STRICT: no call
-- for a NULL.
ALTER FUNCTION parta.class_name_of(bigint, bigint) STRICT;

