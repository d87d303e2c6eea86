-- Fixes to issue 22's materials and files (0040, 0042).
--
-- A material's author may change or delete it only while they may still
-- publish for its audience: a teacher taken off a class no longer
-- edits that class's materials (an administrator still does).  One
-- rule, material_may_change, now given the material's audience; the
-- 3-argument form goes.

CREATE FUNCTION parta.material_may_change(p_org bigint, p_account bigint,
    p_author bigint, p_audience text, p_class bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = p_org
	    AND m.account_id = p_account
	    AND (m.role = 'admin' OR (p_author = p_account
		AND m.role = 'teacher'
		AND parta.material_may_publish(p_org, p_account, p_audience,
		p_class))));
END
$$;

CREATE OR REPLACE FUNCTION parta.material_guard() RETURNS trigger
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
	    OR NOT parta.material_may_change(OLD.org_id, me, OLD.author_id,
		OLD.audience, OLD.class_id)
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

DROP FUNCTION parta.material_may_change(bigint, bigint, bigint);

-- The owner reads through their own arm only the files in their
-- storage; a file they sent to a chat or published is read by whoever
-- may read what holds it (file_visible), the owner included while they
-- still may: an owner taken out of the school no longer reads the
-- school's file by owning it.
DROP POLICY tenant ON parta.file;
CREATE POLICY tenant ON parta.file TO parta_app
	USING ((owner_id = (SELECT parta.rls_account()) AND in_storage)
	OR parta.file_visible(id))
	WITH CHECK (owner_id = (SELECT parta.rls_account()));

-- The same for a material's author: they read it as its author while
-- they are a member of the school; out of it, as whoever else (a
-- guardian of a student, say) or not at all.
CREATE OR REPLACE FUNCTION parta.material_visible(p_org bigint, p_account bigint,
    p_audience text, p_class bigint, p_author bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	my_role text;
BEGIN
	IF p_account IS NULL THEN
		RETURN false;
	END IF;
	SELECT m.role INTO my_role FROM parta.member m
	WHERE m.org_id = p_org AND m.account_id = p_account;
	IF p_author = p_account AND my_role IS NOT NULL THEN
		RETURN true;
	END IF;
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
