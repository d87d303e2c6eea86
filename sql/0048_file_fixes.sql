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
