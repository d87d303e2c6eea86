-- What is left of the quotas, for the forms that take a file (issue 22,
-- QA: the material form said «у вас свободно 500 МБ» while the school's
-- own quota had 1 MB left, so the upload was then refused).  One place
-- for the rule: parta.file_quota_room (0062), the refusal before
-- converting, now goes by this too.

-- The bytes left of the request's account's quota p_user_quota
-- (PARTA_USER_QUOTA) and, p_org given, of organization p_org's
-- p_org_quota (PARTA_ORG_QUOTA), by what is used now, without a lock
-- (parta.file_insert checks the exact size under the locks); org_left
-- NULL without p_org.  Never below 0.  The account must be in p_org.
CREATE FUNCTION parta.file_room(p_org bigint, p_user_quota bigint,
    p_org_quota bigint, OUT user_left bigint, OUT org_left bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION 'file_room: no account'
		    USING ERRCODE = 'PA403';
	END IF;
	IF p_org IS NOT NULL AND NOT (p_org = ANY (parta.rls_orgs())) THEN
		RAISE EXCEPTION 'file_room: not in organization %', p_org
		    USING ERRCODE = 'PA403';
	END IF;
	user_left := greatest(p_user_quota - parta.file_owner_used(me), 0);
	IF p_org IS NOT NULL THEN
		org_left := greatest(p_org_quota - parta.file_org_used(p_org),
		    0);
	END IF;
END
$$;

-- 0062's refusal by the room left: refused 'user' or 'org' with what is
-- left and the quota, or NULL (the columns as before).
CREATE OR REPLACE FUNCTION parta.file_quota_room(p_org bigint,
    p_size bigint, p_user_quota bigint, p_org_quota bigint,
    OUT refused text, OUT left_bytes bigint, OUT quota bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	room record;
BEGIN
	SELECT * INTO room FROM parta.file_room(p_org, p_user_quota,
	    p_org_quota);
	IF p_size > room.user_left THEN
		refused := 'user';
		left_bytes := room.user_left;
		quota := p_user_quota;
	ELSIF p_org IS NOT NULL AND p_size > room.org_left THEN
		refused := 'org';
		left_bytes := room.org_left;
		quota := p_org_quota;
	END IF;
END
$$;
