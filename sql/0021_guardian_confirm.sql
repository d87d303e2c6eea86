-- Removing a guardian asks first, on a page of its own (issue 17's
-- confirmation pages): guardian_remove_check answers what
-- guardian_remove would, changing nothing, and guardian_remove now asks
-- it after taking its locks, so the rule stands in one place.
--   'ok', 'not_found' (no such student here, or p_parent is not their
--   guardian) or 'forbidden' (p_actor is not the child, an administrator
--   or the child's homeroom teacher).

CREATE FUNCTION parta.guardian_remove_check(p_org bigint, p_parent bigint,
    p_child bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_org IS NULL THEN
		IF p_actor <> p_child THEN
			RETURN 'forbidden';
		END IF;
	ELSE
		IF NOT EXISTS (SELECT 1 FROM parta.member
		    WHERE org_id = p_org AND account_id = p_child
		    AND role = 'student') THEN
			RETURN 'not_found';
		END IF;
		IF NOT parta.guardian_manager(p_org, p_child, p_actor) THEN
			RETURN 'forbidden';
		END IF;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM parta.guardian
	    WHERE parent_id = p_parent AND child_id = p_child) THEN
		RETURN 'not_found';
	END IF;
	RETURN 'ok';
END
$$;

CREATE OR REPLACE FUNCTION parta.guardian_remove(p_org bigint,
    p_parent bigint, p_child bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	by_whom text;
	parent_name text;
	verdict text;
BEGIN
	IF p_org IS NOT NULL THEN
		PERFORM parta.member_role_locked(p_org, p_actor);
		PERFORM 1 FROM parta.class_member
		WHERE org_id = p_org AND account_id = p_actor
		AND role = 'homeroom' FOR SHARE;
	END IF;
	verdict := parta.guardian_remove_check(p_org, p_parent, p_child,
	    p_actor);
	IF verdict <> 'ok' THEN
		RETURN verdict;
	END IF;
	IF p_org IS NULL THEN
		by_whom := 'по решению самого ученика';
	ELSE
		by_whom := CASE WHEN EXISTS (SELECT 1 FROM parta.member
		    WHERE org_id = p_org AND account_id = p_actor
		    AND role = 'admin')
		    THEN 'по решению администратора'
		    ELSE 'по решению классного руководителя' END;
	END IF;
	parent_name := parta.person_name(p_parent);
	DELETE FROM parta.guardian
	WHERE parent_id = p_parent AND child_id = p_child;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	PERFORM parta.guardian_audit(p_child, p_actor, 'guardian_remove',
	    'родитель: ' || parent_name || '; ' || by_whom
	    || '; родительские чаты и личные сообщения с учителями закрыты');
	RETURN 'ok';
END
$$;
