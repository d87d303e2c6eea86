-- A material's author deletes it while they teach in the school, even
-- when they may no longer publish for its audience (the administrator
-- turned «teachers for the whole school» off, or took them off the
-- class): editing still asks material_may_change (0048), deleting asks
-- material_may_delete.  The guard tells the two apart: a delete sets
-- deleted_at and changes nothing that says whose or for whom it is.

-- Whether account may delete material p_id of org: whoever may change
-- it, and its author while a teacher or administrator of org.
CREATE FUNCTION parta.material_may_delete(p_org bigint, p_account bigint,
    p_author bigint, p_audience text, p_class bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = p_org
	    AND m.account_id = p_account
	    AND (m.role = 'admin' OR (p_author = p_account
		AND m.role = 'teacher')))
	    OR parta.material_may_change(p_org, p_account, p_author,
		p_audience, p_class);
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
	IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
	    AND NEW.author_id IS NOT DISTINCT FROM OLD.author_id
	    AND NEW.kind = OLD.kind AND NEW.audience = OLD.audience
	    AND NEW.class_id IS NOT DISTINCT FROM OLD.class_id THEN
		IF NOT parta.material_may_delete(OLD.org_id, me,
		    OLD.author_id, OLD.audience, OLD.class_id) THEN
			RAISE EXCEPTION 'account % may not delete material % '
			    'of organization %', me, OLD.id, OLD.org_id
			    USING ERRCODE = 'PA403';
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
