-- Files people upload (issue 22): personal storage (/me/files), chat
-- attachments (sql/0041), materials (sql/0042).  lib/file.c is the one
-- C face of this file; the bytes live in lib/store under store_key.
--
-- A file is owned by the account that uploaded it and charged to its
-- quota; one uploaded for an organization's thing (a message, a
-- material) is charged to the organization's quota too (org_id).  The
-- table is an account-level one like parta.account: org_id is only the
-- charge, never part of the key.  Under Citus it is a reference table
-- as account is (tests/http/test_distribution.c): the holders,
-- distributed by organization, reference it by foreign key.  A
-- published file outlives its owner's account (owner_id SET NULL); an
-- erased account's storage goes (trigger below, then parta.file_purge).

CREATE TABLE parta.file (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	owner_id	bigint REFERENCES parta.account ON DELETE SET NULL,
	org_id		bigint REFERENCES parta.org ON DELETE SET NULL,
	store_key	text NOT NULL UNIQUE,
	preview_key	text UNIQUE,
	name		text NOT NULL CHECK (octet_length(name) BETWEEN 1 AND 255),
	type		text NOT NULL CHECK (type IN ('application/pdf',
	    'image/jpeg', 'image/png', 'image/webp',
	    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	    'application/vnd.oasis.opendocument.text',
	    'application/vnd.oasis.opendocument.spreadsheet',
	    'application/vnd.oasis.opendocument.presentation',
	    'application/msword', 'application/vnd.ms-excel',
	    'application/vnd.ms-powerpoint', 'text/plain', 'application/zip')),
	size		bigint NOT NULL CHECK (size > 0),
	in_storage	boolean NOT NULL DEFAULT true,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (preview_key IS NULL OR type LIKE 'image/%')
);
CREATE INDEX file_owner ON parta.file (owner_id, created_at DESC);
CREATE INDEX file_org ON parta.file (org_id) WHERE org_id IS NOT NULL;

-- What every list of files shows (lib/file.c's file_set reads these
-- columns): join it by file_id.  security_invoker: the caller's
-- row-level security applies.
CREATE VIEW parta.file_list WITH (security_invoker = true) AS
SELECT f.id AS file_id, f.name AS file_name, f.type AS file_type,
    f.size AS file_size, f.preview_key IS NOT NULL AS file_preview,
    f.owner_id, f.org_id, f.in_storage, f.created_at
FROM parta.file f;

---------------------------------------------------------------- who may read

-- Whether the request's account may read file p_file because a chat
-- message holds it.  No holder exists yet: sql/0041_message_files.sql
-- replaces this function (and only it).
CREATE FUNCTION parta.file_in_chat_visible(p_file bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN false;
END
$$;

-- The same for a material: sql/0042_materials.sql replaces it.
CREATE FUNCTION parta.file_in_material_visible(p_file bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN false;
END
$$;

-- Whether the request's account (parta.rls_account()) may read file
-- p_file: its owner while it is in their storage, or whoever may read
-- a holder.  The one rule: /files/ID, the row-level security policy and
-- every holder's page ask it; nobody else edits it.
CREATE FUNCTION parta.file_visible(p_file bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL THEN
		RETURN false;
	END IF;
	IF EXISTS (SELECT 1 FROM parta.file f WHERE f.id = p_file
	    AND f.owner_id = me AND f.in_storage) THEN
		RETURN true;
	END IF;
	RETURN parta.file_in_chat_visible(p_file) OR
	    parta.file_in_material_visible(p_file);
END
$$;

---------------------------------------------------------------- quotas

-- Keep a new file owned by the request's account, charged to p_org
-- (NULL: personal storage only), if the quotas allow it: the owner's
-- files must stay within p_user_quota bytes, p_org's within
-- p_org_quota.  The account's row, then the organization's, are locked
-- first, so parallel uploads are counted one after the other.  p_org
-- must be one of the account's organizations (parta.rls_orgs()).
--
-- Returns the new id with refused NULL, or no id and refused 'user' or
-- 'org' with what was left there and the quota (bytes), for the 413.
CREATE FUNCTION parta.file_insert(p_org bigint, p_store_key text,
    p_preview_key text, p_name text, p_type text, p_size bigint,
    p_in_storage boolean, p_user_quota bigint, p_org_quota bigint,
    OUT id bigint, OUT refused text, OUT left_bytes bigint,
    OUT quota bigint)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	used bigint;
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION 'file_insert: no account'
		    USING ERRCODE = 'PA403';
	END IF;
	IF p_org IS NOT NULL AND NOT (p_org = ANY (parta.rls_orgs())) THEN
		RAISE EXCEPTION 'file_insert: not in organization %', p_org
		    USING ERRCODE = 'PA403';
	END IF;
	PERFORM 1 FROM parta.account a WHERE a.id = me FOR UPDATE;
	SELECT coalesce(sum(f.size), 0) INTO used
	FROM parta.file f WHERE f.owner_id = me;
	IF used + p_size > p_user_quota THEN
		refused := 'user';
		left_bytes := greatest(p_user_quota - used, 0);
		quota := p_user_quota;
		RETURN;
	END IF;
	IF p_org IS NOT NULL THEN
		PERFORM 1 FROM parta.org o WHERE o.id = p_org FOR UPDATE;
		SELECT coalesce(sum(f.size), 0) INTO used
		FROM parta.file f WHERE f.org_id = p_org;
		IF used + p_size > p_org_quota THEN
			refused := 'org';
			left_bytes := greatest(p_org_quota - used, 0);
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

-- What the request's account has used of its quota, in bytes.
CREATE FUNCTION parta.file_used() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT coalesce(sum(f.size), 0) FROM parta.file f
	    WHERE f.owner_id = parta.rls_account());
END
$$;

---------------------------------------------------------------- sending

-- The chats account may write in, for /me/files/ID/send: a seat it
-- reads (parta.chat_readable), not archived or closed, and a chat where
-- members write (not a channel, not admins only) or where it is an
-- admin -- the rule of cgi-bin/chat/rooms.c's chat_load (can_write).
CREATE FUNCTION parta.chats_writable(p_account bigint)
RETURNS TABLE (chat_id bigint, org_id bigint, title text, org_name text)
LANGUAGE sql STABLE AS $$
	SELECT c.id, c.org_id, ct.title, o.short_name
	FROM parta.chat_member cm
	JOIN parta.chat c ON c.org_id = cm.org_id AND c.id = cm.chat_id
	JOIN parta.org o ON o.id = c.org_id
	CROSS JOIN LATERAL parta.chat_title(viewer => p_account,
	    purpose => c.purpose, title => c.title, guardian => c.guardian_id,
	    peer => c.peer_id) ct
	CROSS JOIN LATERAL parta.chat_archived(org => c.org_id,
	    class_id => c.class_id) ca
	WHERE cm.account_id = p_account
	AND parta.chat_readable(c.org_id, c.id, p_account)
	AND NOT ca.archived AND c.closed_at IS NULL
	AND (cm.is_admin OR (c.kind <> 'channel' AND NOT c.admins_only))
	ORDER BY o.short_name, ct.title, c.id
$$;

---------------------------------------------------------------- clean-up

-- Whether anything holds file p_file: a row of any table with a foreign
-- key to parta.file (parta.message_file, parta.material...).  A holder
-- that only marks its rows deleted lets go of the file when it does
-- (deletes the row or sets its file_id NULL), so that this needs no
-- change when a holder is added.
CREATE FUNCTION parta.file_held(p_file bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	fk record;
	held boolean;
BEGIN
	FOR fk IN
		SELECT c.conrelid::regclass AS tbl, a.attname AS col
		FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid
		    AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND c.confrelid = 'parta.file'::regclass
		AND array_length(c.conkey, 1) = 1
	LOOP
		EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I = $1)',
		    fk.tbl, fk.col) INTO held USING p_file;
		IF held THEN
			RETURN true;
		END IF;
	END LOOP;
	RETURN false;
END
$$;

-- A file its owner took out of their storage (/me/files/ID/delete), or
-- whose owner is gone, that nothing holds: its row is deleted and its
-- keys returned, so that the caller removes the bytes once this
-- commits.  p_file NULL: every such file (parta-admin cleanup); else
-- that one only (lib/file's delete, at once).
CREATE FUNCTION parta.file_purge(p_file bigint)
RETURNS TABLE (store_key text, preview_key text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f record;
BEGIN
	FOR f IN
		SELECT x.id FROM parta.file x
		WHERE (p_file IS NULL OR x.id = p_file)
		AND (NOT x.in_storage OR x.owner_id IS NULL)
		FOR UPDATE SKIP LOCKED
	LOOP
		IF NOT parta.file_held(f.id) THEN
			RETURN QUERY DELETE FROM parta.file x WHERE x.id = f.id
			    RETURNING x.store_key, x.preview_key;
		END IF;
	END LOOP;
END
$$;

-- An erased account (parta.account_erase) keeps nothing in storage:
-- what it published stays with its holders.
CREATE FUNCTION parta.file_account_erased() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE parta.file SET in_storage = false
	WHERE owner_id = NEW.id AND in_storage;
	RETURN NULL;
END
$$;
CREATE TRIGGER file_account_erased AFTER UPDATE OF deleted_at
	ON parta.account FOR EACH ROW
	WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
	EXECUTE FUNCTION parta.file_account_erased();

---------------------------------------------------------------- row-level security

-- One's own files, and the files one may read through a holder.  Only
-- parta.file_insert (SECURITY DEFINER) inserts; the owner changes
-- in_storage of their own.
ALTER TABLE parta.file ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.file FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.file TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.file'::regclass));
END
$$;
CREATE POLICY tenant ON parta.file TO parta_app
	USING (owner_id = (SELECT parta.rls_account())
	OR parta.file_visible(id))
	WITH CHECK (owner_id = (SELECT parta.rls_account()));
