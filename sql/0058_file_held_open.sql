-- Files a person sent to a chat or published in a material, once that
-- person may no longer open them (QA finding on /me/files): moved to
-- another class, a teacher or student removed from the school.  Their
-- rows on /me/files linked to pages that answer 404, they counted
-- against the person's quota, and nothing let the person delete them.
--
-- The rule, decided here: a file the person no longer opens
-- (parta.file_visible is false for them) counts against nobody's
-- personal quota.  Such a file is out of their storage, they can
-- neither open it nor delete its message or material (that is the
-- chat's or the school's now), so charging it to them would shrink
-- their space for good with nothing they could do about it.  It still
-- counts against the school's quota (parta.file_quota_short with
-- p_org): the school holds it and may delete it.  Once the person may
-- open it again (back in the chat), it counts again.
--
-- One place: parta.file_owner_used, which parta.file_used (/me/files'
-- «Занято») and parta.file_quota_short (the 413) both ask; and
-- parta.file_held_mine says per row whether the person still opens it
-- (file_open), asked in the same query, never per row by the program.

-- What account p_owner (the request's account: parta.file_visible asks
-- about it) has used of its personal quota, in bytes: its files in
-- storage, and those out of storage it still may open.
CREATE FUNCTION parta.file_owner_used(p_owner bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_owner IS DISTINCT FROM parta.rls_account() THEN
		RAISE EXCEPTION 'file_owner_used: not the request''s account'
		    USING ERRCODE = 'PA403';
	END IF;
	RETURN (SELECT coalesce(sum(f.size), 0) FROM parta.file f
	    WHERE f.owner_id = p_owner
	    AND (f.in_storage OR parta.file_visible(f.id)));
END
$$;

CREATE OR REPLACE FUNCTION parta.file_used() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN parta.file_owner_used(parta.rls_account());
END
$$;

-- 0050's rule, the owner's side now parta.file_owner_used.
CREATE OR REPLACE FUNCTION parta.file_quota_short(p_owner bigint,
    p_org bigint, p_size bigint, p_quota bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	used bigint;
BEGIN
	IF p_owner IS NOT NULL THEN
		PERFORM 1 FROM parta.account a WHERE a.id = p_owner FOR UPDATE;
		used := parta.file_owner_used(p_owner);
	ELSE
		PERFORM 1 FROM parta.org o WHERE o.id = p_org FOR UPDATE;
		SELECT coalesce(sum(f.size), 0) INTO used
		FROM parta.file f WHERE f.org_id = p_org;
	END IF;
	IF used + p_size > p_quota THEN
		RETURN greatest(p_quota - used, 0);
	END IF;
	RETURN NULL;
END
$$;

-- 0050's list, with file_open: whether the person still opens the file
-- (parta.file_visible; false also for a file waiting for the clean-up).
DROP FUNCTION parta.file_held_mine();
CREATE FUNCTION parta.file_held_mine()
RETURNS TABLE (file_id bigint, file_name text, file_type text,
    file_size bigint, file_preview boolean, created_at timestamptz,
    org_id bigint, chat_id bigint, message_id bigint, chat_title text,
    material_id bigint, material_title text, file_open boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT f.id, f.name, f.type, f.size, f.preview_key IS NOT NULL,
	    f.created_at, coalesce(mf.org_id, mt.org_id), mf.chat_id,
	    mf.message_id, ct.title, mt.id, mt.title,
	    parta.file_visible(f.id)
	FROM parta.file f
	LEFT JOIN parta.message_file mf ON mf.file_id = f.id
	LEFT JOIN parta.chat c ON c.org_id = mf.org_id AND c.id = mf.chat_id
	LEFT JOIN LATERAL parta.chat_title(viewer => f.owner_id,
	    purpose => c.purpose, title => c.title,
	    guardian => c.guardian_id, peer => c.peer_id) ct ON c.id IS NOT NULL
	LEFT JOIN parta.material mt ON mt.file_id = f.id
	    AND mt.deleted_at IS NULL
	WHERE f.owner_id = parta.rls_account() AND NOT f.in_storage
	ORDER BY f.created_at DESC, f.id DESC, mf.message_id, mt.id
	LIMIT 1000;
END
$$;
