-- Issue 22: the school's materials («Документы, Видео, Статьи»).  A
-- material is a document (a stored file, parta.file of 0040), a video
-- (a link, shown as a card: nothing is embedded) or an article (text
-- with a small markup, rendered by cmark in cgi-bin/materials.c).  Who
-- may read one and who may publish, change or delete one is said here
-- only, as functions; the trigger material_guard keeps the publishing
-- rule whoever writes, and parta.file_in_material_visible (0040's hook)
-- lets exactly those who read a document read its file.
--
-- Audiences: 'all' (every member and the guardians of the school's
-- students), 'staff' (administrators and teachers), 'class' (the class's
-- students, its teachers, the guardians of its students).  The
-- administrators read everything; an author reads their own.
--
-- Deleting marks the row and empties it (title, file, link and text go),
-- so nothing of it is shown or served again and its file, held by
-- nothing, goes with the periodic clean-up.  A member who leaves or is
-- removed keeps what they published: the rows stay, and so does their
-- account's name on them.

CREATE TABLE parta.material (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	kind		text NOT NULL CHECK (kind IN ('document', 'video',
			    'article')),
	title		text NOT NULL CHECK (length(title) <= 200),
	audience	text NOT NULL CHECK (audience IN ('all', 'staff',
			    'class')),
	class_id	bigint,
	file_id		bigint REFERENCES parta.file,
	url		text CHECK (length(url) <= 1000),
	body		text CHECK (length(body) <= 20000),
	author_id	bigint REFERENCES parta.account,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz,
	deleted_at	timestamptz,
	deleted_by	bigint REFERENCES parta.account,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CONSTRAINT material_class CHECK ((audience = 'class') =
	    (class_id IS NOT NULL)),
	-- A live material has its title and what its kind needs; a
	-- deleted one keeps nothing.
	CONSTRAINT material_content CHECK (CASE WHEN deleted_at IS NOT NULL
	    THEN title = '' AND file_id IS NULL AND url IS NULL
		AND body IS NULL
	    ELSE length(title) >= 1 AND CASE kind
		WHEN 'document' THEN file_id IS NOT NULL AND url IS NULL
		    AND body IS NULL
		WHEN 'video' THEN url ~ '^https?://' AND file_id IS NULL
		    AND body IS NULL
		ELSE body IS NOT NULL AND length(body) >= 1
		    AND file_id IS NULL AND url IS NULL END END)
);
-- The list: newest first, a page after another by (created_at, id).
CREATE INDEX material_org_time ON parta.material (org_id, created_at, id)
	WHERE deleted_at IS NULL;
-- A file's holder (parta.file_in_material_visible, the clean-up's
-- parta.file_held).  Not unique: a unique key of a table distributed by
-- organization holds org_id (tests/http/test_distribution.c).
CREATE INDEX material_file ON parta.material (file_id)
	WHERE file_id IS NOT NULL;

-- An organization's choices about materials: whether its teachers may
-- publish for the whole school (else only for their classes).  No row:
-- the defaults.
CREATE TABLE parta.material_setting (
	org_id		bigint PRIMARY KEY REFERENCES parta.org,
	teachers_all	boolean NOT NULL DEFAULT false,
	updated_by	bigint REFERENCES parta.account,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO parta.audit_action (code, name) VALUES
	('material_create', 'Опубликован материал'),
	('material_edit', 'Материал изменён'),
	('material_delete', 'Материал удалён'),
	('material_setting', 'Изменены настройки материалов');

---------------------------------------------------------------- who

-- Whether account may publish in org for audience (and class p_class
-- when the audience is 'class'): an administrator for everyone, the
-- staff or any open class; a teacher for an open class they lead or
-- teach, and for everyone when the organization allows it
-- (material_setting.teachers_all).  Nobody else.
CREATE FUNCTION parta.material_may_publish(p_org bigint, p_account bigint,
    p_audience text, p_class bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	my_role text;
BEGIN
	SELECT m.role INTO my_role FROM parta.member m
	WHERE m.org_id = p_org AND m.account_id = p_account;
	IF my_role IS NULL OR my_role = 'student' THEN
		RETURN false;
	END IF;
	IF p_audience = 'class' THEN
		RETURN p_class IS NOT NULL AND EXISTS (SELECT 1
		    FROM parta.class k WHERE k.org_id = p_org AND k.id = p_class
		    AND k.archived_at IS NULL)
		AND (my_role = 'admin' OR EXISTS (SELECT 1
		    FROM parta.class_member cm WHERE cm.org_id = p_org
		    AND cm.class_id = p_class AND cm.account_id = p_account
		    AND cm.role IN ('homeroom', 'teacher')));
	END IF;
	IF p_class IS NOT NULL THEN
		RETURN false;
	END IF;
	IF my_role = 'admin' THEN
		RETURN p_audience IN ('all', 'staff');
	END IF;
	RETURN p_audience = 'all' AND coalesce((SELECT s.teachers_all
	    FROM parta.material_setting s WHERE s.org_id = p_org), false);
END
$$;

-- The open classes of org account may publish for (material_may_publish).
CREATE FUNCTION parta.material_classes(p_org bigint, p_account bigint)
RETURNS TABLE (id bigint, class_name text)
LANGUAGE sql STABLE AS $$
	SELECT k.id, parta.class_name(k.grade, k.letter, k.title)
	FROM parta.class k
	WHERE k.org_id = p_org AND k.archived_at IS NULL
	AND parta.material_may_publish(p_org, p_account, 'class', k.id)
	ORDER BY k.kind = 'class', k.grade NULLS LAST, k.letter, k.title, k.id
$$;

-- Whether account reads a material of org for audience (class p_class)
-- by p_author: its author; the organization's administrators; for
-- 'all' every member and the guardians of the school's students; for
-- 'staff' administrators and teachers; for 'class' the class's
-- students and teachers and the guardians of its students.  The
-- operator, who is no member, is the callers' to admit.
CREATE FUNCTION parta.material_visible(p_org bigint, p_account bigint,
    p_audience text, p_class bigint, p_author bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	my_role text;
BEGIN
	IF p_account IS NULL THEN
		RETURN false;
	END IF;
	IF p_author = p_account THEN
		RETURN true;
	END IF;
	SELECT m.role INTO my_role FROM parta.member m
	WHERE m.org_id = p_org AND m.account_id = p_account;
	IF my_role = 'admin' THEN
		RETURN true;
	END IF;
	IF p_audience = 'all' THEN
		RETURN my_role IS NOT NULL OR EXISTS (SELECT 1
		    FROM parta.guardian g JOIN parta.member m
		    ON m.account_id = g.child_id AND m.org_id = p_org
		    AND m.role = 'student'
		    WHERE g.parent_id = p_account);
	END IF;
	IF p_audience = 'staff' THEN
		RETURN my_role = 'teacher';
	END IF;
	RETURN EXISTS (SELECT 1 FROM parta.class_member cm
	    WHERE cm.org_id = p_org AND cm.class_id = p_class
	    AND cm.account_id = p_account)
	OR EXISTS (SELECT 1 FROM parta.guardian g
	    JOIN parta.class_member cm ON cm.account_id = g.child_id
	    AND cm.org_id = p_org AND cm.class_id = p_class
	    AND cm.role = 'student'
	    JOIN parta.member m ON m.org_id = p_org
	    AND m.account_id = g.child_id AND m.role = 'student'
	    WHERE g.parent_id = p_account);
END
$$;

-- Whether account may change or delete material p_id of org: its
-- author or an administrator of org (a change must still be one
-- material_may_publish allows the one who makes it: the handler and
-- material_guard ask).
CREATE FUNCTION parta.material_may_change(p_org bigint, p_account bigint,
    p_author bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = p_org
	    AND m.account_id = p_account
	    AND (m.role = 'admin' OR (p_author = p_account
		AND m.role = 'teacher')));
END
$$;

-- Whether the request's account (parta.rls_account) may read file
-- p_file as the document of a live material (0040's hook, replaced
-- here): whoever reads the material, and the operator.
CREATE OR REPLACE FUNCTION parta.file_in_material_visible(p_file bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM parta.material m
	    WHERE m.file_id = p_file AND m.deleted_at IS NULL
	    AND (parta.rls_operator() OR parta.material_visible(m.org_id,
		parta.rls_account(), m.audience, m.class_id, m.author_id)));
END
$$;

---------------------------------------------------------------- the rule kept

-- Who may publish, change and delete, whoever writes the row: a
-- request's account (parta.rls_account, the programs) publishes as
-- itself what material_may_publish allows; changes a material it may
-- change (material_may_change) into what it may publish; deletes one it
-- may change.  PA403 otherwise.  The owner at the console (no account)
-- is not asked.
CREATE FUNCTION parta.material_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'INSERT' THEN
		IF NEW.author_id IS DISTINCT FROM me
		    OR NOT parta.material_may_publish(NEW.org_id, me,
		    NEW.audience, NEW.class_id) THEN
			RAISE EXCEPTION 'account % may not publish for % % in '
			    'organization %', me, NEW.audience, NEW.class_id,
			    NEW.org_id USING ERRCODE = 'PA403';
		END IF;
		RETURN NEW;
	END IF;
	IF OLD.deleted_at IS NOT NULL
	    OR NEW.author_id IS DISTINCT FROM OLD.author_id
	    OR NEW.kind <> OLD.kind
	    OR NOT parta.material_may_change(OLD.org_id, me, OLD.author_id)
	    OR (NEW.deleted_at IS NULL AND (NEW.audience <> OLD.audience
		OR NEW.class_id IS DISTINCT FROM OLD.class_id)
		AND NOT parta.material_may_publish(NEW.org_id, me,
		NEW.audience, NEW.class_id)) THEN
		RAISE EXCEPTION 'account % may not change material % of '
		    'organization %', me, OLD.id, OLD.org_id
		USING ERRCODE = 'PA403';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER material_guard BEFORE INSERT OR UPDATE ON parta.material
	FOR EACH ROW EXECUTE FUNCTION parta.material_guard();

-- Only an administrator of the organization changes its settings.
CREATE FUNCTION parta.material_setting_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NOT NULL AND NOT EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = NEW.org_id AND m.account_id = me
	    AND m.role = 'admin') THEN
		RAISE EXCEPTION 'account % is no administrator of %', me,
		    NEW.org_id USING ERRCODE = 'PA403';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER material_setting_guard BEFORE INSERT OR UPDATE
	ON parta.material_setting
	FOR EACH ROW EXECUTE FUNCTION parta.material_setting_guard();

---------------------------------------------------------------- row-level security

-- Materials and settings: the organizations of the request's account (a
-- guardian's through their child), and the operator.  Which of them a
-- person reads is material_visible's, asked by every statement.
ALTER TABLE parta.material ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.material FORCE ROW LEVEL SECURITY;
ALTER TABLE parta.material_setting ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.material_setting FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.material TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.material'::regclass));
	EXECUTE format('CREATE POLICY owner_all ON parta.material_setting'
	    ' TO %I USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.material_setting'::regclass));
END
$$;
CREATE POLICY tenant ON parta.material TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR (SELECT parta.rls_operator()));
CREATE POLICY tenant ON parta.material_setting TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR (SELECT parta.rls_operator()));

SELECT parta.plan_once();
