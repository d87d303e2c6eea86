-- Issue 22 review: who reads a material, and for whom a teacher
-- publishes, asked of the tables once per statement, not once per row.
--
-- The materials list called material_visible for every live material
-- of the school (to count them and to find a page), and the filters'
-- choices twice more; each call looked the person's membership, their
-- children and classes up again.  Now what the person is to a school's
-- materials is read once (material_reader: their role, whether they
-- are a guardian of its students, the classes whose materials they
-- read) and the rule is an expression on that row (material_sees),
-- inlined into the list's statement.  material_visible, for one
-- material, is the two together: the rule stays in one place.
--
-- Likewise material_classes asked material_may_publish per class; it
-- now says the class rule itself, set-based, and material_may_publish
-- asks it.
--
-- The same rule as 0042/0048's: compared pair by pair (every account of
-- a school with an administrator, teachers, a homeroom and a subject
-- teacher, students in a class, in none and in an archived one,
-- guardians of each, of a child who left and of a child elsewhere, a
-- teacher who is a guardian, people and authors who left, a non-member,
-- no account; materials of every audience and author in two schools)
-- the new material_visible and the list's inline form answer as the old
-- function did, and material_may_publish and material_classes too.
-- The one change: the old one answered NULL (not false) for a staff
-- material to a non-member; every caller read that as false.
-- tests/http/test_materials.c (material_arms) keeps each arm.

-- What account is to the materials of org: role (NULL: no member),
-- guardian (of one of its students), classes (those whose materials
-- they read: their own, any role, and their student children's).
CREATE FUNCTION parta.material_reader(p_org bigint, p_account bigint)
RETURNS TABLE (role text, guardian boolean, classes bigint[])
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 1
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY SELECT
	    (SELECT m.role FROM parta.member m
	     WHERE m.org_id = p_org AND m.account_id = p_account),
	    EXISTS (SELECT 1 FROM parta.guardian g JOIN parta.member m
	     ON m.account_id = g.child_id AND m.org_id = p_org
	     AND m.role = 'student'
	     WHERE g.parent_id = p_account),
	    ARRAY(SELECT cm.class_id FROM parta.class_member cm
	     WHERE cm.org_id = p_org AND cm.account_id = p_account
	     UNION
	     SELECT cm.class_id FROM parta.guardian g
	     JOIN parta.class_member cm ON cm.account_id = g.child_id
	     AND cm.org_id = p_org AND cm.role = 'student'
	     JOIN parta.member m ON m.org_id = p_org
	     AND m.account_id = g.child_id AND m.role = 'student'
	     WHERE g.parent_id = p_account);
END
$$;

-- Whether the reader (material_reader's row for p_account) reads a
-- material for p_audience (class p_class) by p_author: as its author
-- while a member; as an administrator; 'all': every member and the
-- guardians of the school's students; 'staff': teachers; 'class': the
-- class's members and the guardians of its students.  No table read:
-- inlined where it is called.
CREATE FUNCTION parta.material_sees(p_role text, p_guardian boolean,
    p_classes bigint[], p_account bigint, p_audience text, p_class bigint,
    p_author bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(p_role IS NOT NULL
	    AND (p_author = p_account OR p_role = 'admin'), false)
	OR coalesce(CASE p_audience
	    WHEN 'all' THEN p_role IS NOT NULL OR p_guardian
	    WHEN 'staff' THEN p_role = 'teacher'
	    ELSE p_class = ANY (p_classes) END, false)
$$;

-- One material: the reader and the rule (0048's signature, its callers
-- unchanged).
CREATE OR REPLACE FUNCTION parta.material_visible(p_org bigint,
    p_account bigint, p_audience text, p_class bigint, p_author bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN coalesce((SELECT parta.material_sees(rd.role, rd.guardian,
	    rd.classes, p_account, p_audience, p_class, p_author)
	    FROM parta.material_reader(p_org, p_account) rd), false);
END
$$;

-- The open classes of org account may publish for: an administrator
-- any; a teacher those they lead or teach; nobody else.
CREATE OR REPLACE FUNCTION parta.material_classes(p_org bigint,
    p_account bigint)
RETURNS TABLE (id bigint, class_name text)
LANGUAGE sql STABLE AS $$
	SELECT k.id, parta.class_name(k.grade, k.letter, k.title)
	FROM parta.class k JOIN parta.member m ON m.org_id = k.org_id
	AND m.account_id = p_account AND m.role <> 'student'
	WHERE k.org_id = p_org AND k.archived_at IS NULL
	AND (m.role = 'admin' OR EXISTS (SELECT 1
	    FROM parta.class_member cm WHERE cm.org_id = p_org
	    AND cm.class_id = k.id AND cm.account_id = p_account
	    AND cm.role IN ('homeroom', 'teacher')))
	ORDER BY k.kind = 'class', k.grade NULLS LAST, k.letter, k.title, k.id
$$;

-- Whether account may publish in org for audience (class p_class):
-- for a class, one of material_classes; else as 0042 said.
CREATE OR REPLACE FUNCTION parta.material_may_publish(p_org bigint,
    p_account bigint, p_audience text, p_class bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	my_role text;
BEGIN
	IF p_audience = 'class' THEN
		RETURN p_class IS NOT NULL AND EXISTS (SELECT 1
		    FROM parta.material_classes(p_org, p_account) c
		    WHERE c.id = p_class);
	END IF;
	SELECT m.role INTO my_role FROM parta.member m
	WHERE m.org_id = p_org AND m.account_id = p_account;
	IF my_role IS NULL OR my_role = 'student' OR p_class IS NOT NULL THEN
		RETURN false;
	END IF;
	IF my_role = 'admin' THEN
		RETURN p_audience IN ('all', 'staff');
	END IF;
	RETURN p_audience = 'all' AND coalesce((SELECT s.teachers_all
	    FROM parta.material_setting s WHERE s.org_id = p_org), false);
END
$$;
