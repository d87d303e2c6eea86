-- Role-aware home pages (/me, /org/N): every role's onboarding checklist
-- of brief 000, ticked from real data, and who may make a link for a
-- parent.  lib/home.c words and links each step; the rule of each tick
-- is said here only.

-- When the person first opened the chat's page: "opened the class chat"
-- ticks even while the chat has no messages (last_read_id stays 0 then).
-- Set by chat.c when the page is shown.
ALTER TABLE parta.chat_member ADD COLUMN opened_at timestamptz;
UPDATE parta.chat_member SET opened_at = joined_at WHERE last_read_id > 0;

-- Who may make a personal link for a parent (/chats/parent-link): a
-- student of an organization, or one applying as a student.  Teachers,
-- administrators and parents may not: a parent comes in through their
-- child.  chat.c makes links by this rule; pages show the entry by it.
CREATE FUNCTION parta.parent_link_allowed(p_account bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.member
	    WHERE account_id = p_account AND role = 'student')
	OR EXISTS (SELECT 1 FROM parta.application
	    WHERE account_id = p_account AND role = 'student'
	    AND status = 'pending')
$$;

-- Whether p_account has opened chat p_chat of p_org.
CREATE FUNCTION parta.chat_opened(p_org bigint, p_chat bigint,
    p_account bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.chat_member
	    WHERE org_id = p_org AND chat_id = p_chat
	    AND account_id = p_account AND opened_at IS NOT NULL)
$$;

-- The onboarding checklists of person p_account, one list per role they
-- have (brief 000), one row per step in order:
--   list	admin (per organization), teacher (per organization),
--		homeroom (per class they lead), student (per organization),
--		parent (one, for a guardian)
--   org_id	the list's organization (NULL for a parent's)
--   class_id	the list's class (a homeroom teacher's; a student's own)
--   class_name	its name ("9А · ФизМат")
--   step	the step, worded and linked by lib/home.c
--   done	ticked: real data shows it done
--   target	an id the step's link needs (the chat to open), or NULL
-- With p_org, only the lists of that organization.  A step that comes
-- undone again (a new application waiting) shows undone: the lists say
-- what is to do now.
CREATE FUNCTION parta.checklist(p_account bigint, p_org bigint)
RETURNS TABLE (list text, org_id bigint, class_id bigint,
    class_name text, step text, done boolean, target bigint, ord int)
LANGUAGE sql STABLE AS $$
	-- An administrator builds the school (the order of brief 000).
	SELECT 'admin', m.org_id, NULL::bigint, NULL::text, s.step, s.done,
	    NULL::bigint, s.ord
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
	UNION ALL
	-- A teacher is verified, meets the staff, makes a chat and brings
	-- students and parents into it by its link.
	SELECT 'teacher', m.org_id, NULL, NULL, s.step, s.done, s.target,
	    s.ord
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
	UNION ALL
	-- A homeroom teacher brings their class in: links for its
	-- students, their applications decided, the class chat, parents
	-- confirmed by the students' links.
	SELECT 'homeroom', k.org_id, k.id,
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
	UNION ALL
	-- A student is in a class, opens its chat and brings a parent in
	-- by their personal link.
	SELECT 'student', m.org_id, k.id, k.name, s.step, s.done, s.target,
	    s.ord
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
	UNION ALL
	-- A parent confirms their child by the child's link, opens the
	-- class's parents' chat and writes to a teacher of the child.
	SELECT 'parent', NULL, NULL, NULL, s.step, s.done, s.target, s.ord
	FROM (SELECT (SELECT cm.chat_id FROM parta.chat_member cm
	    JOIN parta.chat c ON c.org_id = cm.org_id AND c.id = cm.chat_id
	    AND c.purpose = 'parents'
	    WHERE cm.account_id = p_account
	    ORDER BY cm.opened_at IS NOT NULL, cm.joined_at DESC LIMIT 1) AS chat
	    WHERE p_org IS NULL AND EXISTS (SELECT 1 FROM parta.guardian g
		WHERE g.parent_id = p_account)) p
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
	ORDER BY 1, 2, 3, 8
$$;
