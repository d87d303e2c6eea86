-- Issue 22: videos shown in the page from the sites an organization's
-- administrator allows (lib/embed.h, cgi-bin/materials.c).  Nothing is
-- embedded unless its site is here; every other page keeps the site's
-- Content-Security-Policy.
--
-- One row per allowed site: a provider by its key ('youtube', 'rutube',
-- 'vk') or a school's own server by its host name (lower-case, as
-- lib/embed's embed_valid_host makes it; at most 10, the program says).

CREATE TABLE parta.material_embed (
	org_id		bigint NOT NULL REFERENCES parta.org,
	site		text NOT NULL CHECK (site IN ('youtube', 'rutube', 'vk')
	    OR (length(site) <= 253 AND site ~
	    '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]*[a-z-][a-z0-9-]*$')),
	added_by	bigint REFERENCES parta.account,
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, site)
);

INSERT INTO parta.audit_action (code, name) VALUES
	('material_embed', 'Изменены сайты, видео с которых показываются на странице');

-- Only an administrator of the organization changes them.
CREATE FUNCTION parta.material_embed_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	org bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.org_id
	    ELSE NEW.org_id END;
BEGIN
	IF me IS NOT NULL AND NOT EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = org AND m.account_id = me
	    AND m.role = 'admin') THEN
		RAISE EXCEPTION 'account % is no administrator of %', me, org
		    USING ERRCODE = 'PA403';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER material_embed_guard BEFORE INSERT OR UPDATE OR DELETE
	ON parta.material_embed
	FOR EACH ROW EXECUTE FUNCTION parta.material_embed_guard();

-- The organizations of the request's account (a guardian's through
-- their child: a material's page asks), and the operator.
ALTER TABLE parta.material_embed ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.material_embed FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.material_embed'
	    ' TO %I USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.material_embed'::regclass));
END
$$;
CREATE POLICY tenant ON parta.material_embed TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR (SELECT parta.rls_operator()));
