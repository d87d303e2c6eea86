-- A file its holder lets go of stops counting at once (issue 22, QA
-- finding 9): a chat message deleted, a material's document replaced
-- or the material deleted.  Until now such a file waited, not in its
-- owner's storage and held by nothing, for the hourly clean-up
-- (parta.file_purge in parta-admin cleanup), counted against its
-- owner's and its school's quota all the while.  Now its row goes in
-- the transaction that let go of it, and its keys are queued in
-- parta.file_gone: lib/file removes their bytes once that transaction
-- commits (file_gone_remove), the clean-up whatever is left.  And a
-- person sees on /me/files what else counts (parta.file_held_mine).

-- Bytes whose rows are gone: removed after the commit that deleted the
-- rows (lib/file), or by the clean-up.  No org_id: read and emptied
-- only through parta.file_gone_take.
CREATE TABLE parta.file_gone (
	store_key	text PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE parta.file_gone ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.file_gone FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.file_gone TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.file_gone'::regclass));
END
$$;

-- File p_file was let go by a holder: if it is not in its owner's
-- storage and nothing else holds it (parta.file_purge), its row goes
-- now and its keys are queued.
CREATE FUNCTION parta.file_let_go(p_file bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	INSERT INTO parta.file_gone (store_key)
	SELECT k FROM parta.file_purge(p_file) p
	CROSS JOIN LATERAL unnest(ARRAY[p.store_key, p.preview_key]) k
	WHERE k IS NOT NULL
	ON CONFLICT DO NOTHING;
END
$$;

-- The holders: a message's file row deleted (the message deleted,
-- parta.message_files_release of 0041, or gone with its chat), a
-- material's file_id changed (replaced on edit, emptied on delete).
CREATE FUNCTION parta.file_holder_let_go() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM parta.file_let_go(OLD.file_id);
	RETURN NULL;
END
$$;
CREATE TRIGGER message_file_let_go AFTER DELETE ON parta.message_file
	FOR EACH ROW EXECUTE FUNCTION parta.file_holder_let_go();
CREATE TRIGGER material_file_let_go AFTER UPDATE OF file_id
	ON parta.material FOR EACH ROW
	WHEN (OLD.file_id IS NOT NULL
	    AND OLD.file_id IS DISTINCT FROM NEW.file_id)
	EXECUTE FUNCTION parta.file_holder_let_go();

-- Up to 1000 queued keys, taken out of the queue (rows another
-- transaction is taking are skipped): the caller removes their bytes,
-- then commits.
CREATE FUNCTION parta.file_gone_take() RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY DELETE FROM parta.file_gone g WHERE g.store_key IN (
	    SELECT x.store_key FROM parta.file_gone x
	    ORDER BY x.at LIMIT 1000 FOR UPDATE SKIP LOCKED)
	RETURNING g.store_key;
END
$$;

-- The files of the request's account that count against its quota
-- (parta.file_used) but are not in its storage: sent to a chat or
-- published in a material, with where (chat_id, message_id and the
-- chat's title as the account reads it; or the material), and any
-- waiting for the clean-up (no holder).  One row per file and holder,
-- newest first.  The columns of parta.file_list for lib/file's
-- file_set.
CREATE FUNCTION parta.file_held_mine()
RETURNS TABLE (file_id bigint, file_name text, file_type text,
    file_size bigint, file_preview boolean, created_at timestamptz,
    org_id bigint, chat_id bigint, message_id bigint, chat_title text,
    material_id bigint, material_title text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN QUERY
	SELECT f.id, f.name, f.type, f.size, f.preview_key IS NOT NULL,
	    f.created_at, coalesce(mf.org_id, mt.org_id), mf.chat_id,
	    mf.message_id, ct.title, mt.id, mt.title
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

-- The quota rule, once (it was written out three times: the owner's and
-- the organization's in parta.file_insert, the organization's in
-- parta.message_file_send).  Whether p_size more bytes fit in p_quota
-- beside the files owned by account p_owner or, p_owner NULL, charged
-- to organization p_org, counted under that account's or
-- organization's row lock so that parallel uploads are counted one
-- after the other: NULL when they fit, else what is left (at least 0),
-- for the 413.
CREATE FUNCTION parta.file_quota_short(p_owner bigint, p_org bigint,
    p_size bigint, p_quota bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	used bigint;
BEGIN
	IF p_owner IS NOT NULL THEN
		PERFORM 1 FROM parta.account a WHERE a.id = p_owner FOR UPDATE;
		SELECT coalesce(sum(f.size), 0) INTO used
		FROM parta.file f WHERE f.owner_id = p_owner;
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

CREATE OR REPLACE FUNCTION parta.file_insert(p_org bigint,
    p_store_key text, p_preview_key text, p_name text, p_type text,
    p_size bigint, p_in_storage boolean, p_user_quota bigint,
    p_org_quota bigint, OUT id bigint, OUT refused text,
    OUT left_bytes bigint, OUT quota bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION 'file_insert: no account'
		    USING ERRCODE = 'PA403';
	END IF;
	IF p_org IS NOT NULL AND NOT (p_org = ANY (parta.rls_orgs())) THEN
		RAISE EXCEPTION 'file_insert: not in organization %', p_org
		    USING ERRCODE = 'PA403';
	END IF;
	left_bytes := parta.file_quota_short(me, NULL, p_size, p_user_quota);
	IF left_bytes IS NOT NULL THEN
		refused := 'user';
		quota := p_user_quota;
		RETURN;
	END IF;
	IF p_org IS NOT NULL THEN
		left_bytes := parta.file_quota_short(NULL, p_org, p_size,
		    p_org_quota);
		IF left_bytes IS NOT NULL THEN
			refused := 'org';
			quota := p_org_quota;
			RETURN;
		END IF;
	END IF;
	INSERT INTO parta.file (owner_id, org_id, store_key, preview_key,
	    name, type, size, in_storage)
	VALUES (me, p_org, p_store_key, p_preview_key, p_name, p_type, p_size,
	    p_in_storage)
	RETURNING file.id INTO id;
END
$$;

CREATE OR REPLACE FUNCTION parta.message_file_send(p_org bigint,
    p_chat bigint, p_file bigint, p_org_quota bigint,
    OUT refused text, OUT left_bytes bigint, OUT quota bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	f record;
BEGIN
	IF me IS NULL OR NOT EXISTS (SELECT 1 FROM parta.chat_member cm
	    WHERE cm.org_id = p_org AND cm.chat_id = p_chat
	    AND cm.account_id = me) THEN
		RAISE EXCEPTION 'message_file_send: not in chat %', p_chat
		    USING ERRCODE = 'PA403';
	END IF;
	SELECT x.org_id, x.size INTO f FROM parta.file x
	WHERE x.id = p_file AND x.owner_id = me AND x.in_storage
	FOR UPDATE;
	IF NOT FOUND THEN
		refused := 'not_found';
		RETURN;
	END IF;
	IF f.org_id IS NOT NULL THEN
		RETURN;
	END IF;
	left_bytes := parta.file_quota_short(NULL, p_org, f.size, p_org_quota);
	IF left_bytes IS NOT NULL THEN
		refused := 'org';
		quota := p_org_quota;
		RETURN;
	END IF;
	UPDATE parta.file SET org_id = p_org WHERE id = p_file;
END
$$;
