-- Issue 23: row-level security's own cost on the organization's home.
-- bench/instructions.sh counts each page's SQL as the programs' role
-- and as the same role bypassing the policies: GET /org/N 1.16 (4 674 k
-- against 4 022 k instructions a request), over the issue's 1.10.  The
-- home's checklist (0053) alone paid 296 k of it: an administrator's
-- list names ten tables in PL/pgSQL statements, each with its policy's
-- InitPlan and quals set up on every call, for rows every one of which
-- its own conditions already tie to the account (m.account_id,
-- h.account_id, g.parent_id, cm.account_id: the person's memberships,
-- classes, children and chats).
--
-- So the list runs as the owner, whose policies admit every row
-- (owner_all), behind a door that lets only the request's own account
-- through: parta.checklist checks its account is the request's
-- (parta.rls_account(), the session's, lib/auth) and reads the rows by
-- parta.checklist_rows, the list as 0053 wrote it.  What the program
-- asks and gets is unchanged: no account (a visitor's /me or /org/N,
-- whose statements go with the session's lookup) no rows, as under the
-- policies; another account's list is PA403.

ALTER FUNCTION parta.checklist(bigint, bigint) RENAME TO checklist_rows;
COMMENT ON FUNCTION parta.checklist_rows(bigint, bigint) IS
    'The steps of p_account''s lists (0053); read through parta.checklist';

-- The home's checklist of the request's account (p_account must be it:
-- PA403 otherwise; NULL: no rows), in organization p_org (NULL: every
-- one of the account's).  Rows as parta.checklist_rows gives them.
CREATE FUNCTION parta.checklist(p_account bigint, p_org bigint)
RETURNS TABLE (list text, org_id bigint, class_id bigint,
    class_name text, step text, done boolean, target bigint, ord int)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF p_account IS NULL THEN
		RETURN;
	END IF;
	IF p_account IS DISTINCT FROM parta.rls_account() THEN
		RAISE EXCEPTION 'checklist: not the request''s account'
		    USING ERRCODE = 'PA403';
	END IF;
	RETURN QUERY SELECT r.* FROM parta.checklist_rows(p_account, p_org) r;
END
$$;
