-- Issue 24: the big school's lists read in proportion to their page, and
-- none of them more among 10 000 organizations than among one
-- (EXPLAIN (ANALYZE, BUFFERS) as parta_app, generic plans: bench/out/
-- big_*.explain.*; what each step cost before and after is in the
-- README, "Performance").

-- The viewer's homeroom classes (parta.appeal_handler_scope, in every
-- organization page's header) and a member's classes (the members list)
-- are looked up by (org_id, account_id).  Without the role in this index
-- the planner, estimating one row an organization, read the primary key
-- (org_id, class_id, ...) from the index alone with the account as a
-- filter: every class member of the school (26 buffers for the big
-- school's 3 000, 2 with this index).
DROP INDEX parta.class_member_account;
CREATE INDEX class_member_account ON parta.class_member (org_id,
    account_id, role, class_id);

-- The members list's count, and any role's members: from the index
-- alone (the policy reads account_id), 19 buffers for 3 000 members
-- instead of 75.
DROP INDEX parta.member_role;
CREATE INDEX member_role ON parta.member (org_id, role, account_id);

-- The members list is ordered by role, then the person's last and first
-- name, kept on account: a page of 50 read and sorted every member's
-- account (12 000 buffers in the big school).  The names are kept on the
-- membership too, for that order (the page shows account's), and an
-- index in the list's order walks a page of it.  The audit log's filter
-- names the school's staff from them (150 accounts read, 630 buffers,
-- for a list of names).
ALTER TABLE parta.member
    ADD COLUMN sort_last_name text,
    ADD COLUMN sort_first_name text,
    ADD COLUMN sort_patronymic text;

COMMENT ON COLUMN parta.member.sort_last_name IS
    'account.last_name, kept by triggers (member_sort_name, '
    'account_sort_name): the members list''s order (parta.member_page)';
COMMENT ON COLUMN parta.member.sort_first_name IS
    'account.first_name, kept as sort_last_name';
COMMENT ON COLUMN parta.member.sort_patronymic IS
    'account.patronymic, kept as sort_last_name';

-- A membership made or moved, or its copy written: the account's names.
CREATE FUNCTION parta.member_sort_name() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	SELECT a.last_name, a.first_name, a.patronymic
	INTO NEW.sort_last_name, NEW.sort_first_name, NEW.sort_patronymic
	FROM parta.account a WHERE a.id = NEW.account_id;
	RETURN NEW;
END
$$;

CREATE TRIGGER member_sort_name
    BEFORE INSERT OR UPDATE OF account_id, sort_last_name, sort_first_name,
	sort_patronymic
    ON parta.member FOR EACH ROW EXECUTE FUNCTION parta.member_sort_name();

-- A name changed (or erased): its memberships' copies.
CREATE FUNCTION parta.account_sort_name() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	UPDATE parta.member m SET sort_last_name = NEW.last_name,
	    sort_first_name = NEW.first_name, sort_patronymic = NEW.patronymic
	WHERE m.account_id = NEW.id;
	RETURN NULL;
END
$$;

CREATE TRIGGER account_sort_name
    AFTER UPDATE OF last_name, first_name, patronymic ON parta.account
    FOR EACH ROW
    WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name
	OR OLD.first_name IS DISTINCT FROM NEW.first_name
	OR OLD.patronymic IS DISTINCT FROM NEW.patronymic)
    EXECUTE FUNCTION parta.account_sort_name();

UPDATE parta.member m SET sort_last_name = a.last_name,
    sort_first_name = a.first_name, sort_patronymic = a.patronymic
FROM parta.account a WHERE a.id = m.account_id;

CREATE INDEX member_page ON parta.member (org_id, parta.member_rank(role),
    sort_last_name, sort_first_name, account_id);

-- The audit log's total under its filters (who, what): 50 000 entries
-- of the big school.  Under the policy a count reads the table (the
-- policy names target_id, which audit_org_count lacks: 587 buffers);
-- for a reader whose scope holds the organization (org_id =
-- ANY(parta.rls_orgs()) or the operator: the policy admits every row of
-- it) the same count comes from audit_org_count alone, deduplicated to
-- 66 pages.  NULL for any other reader: the page then counts under the
-- policy (coalesce), so that the policy stays the one rule of who sees
-- which rows.
CREATE FUNCTION parta.audit_count(org bigint, actor bigint,
    action_name text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	-- (parta.rls_operator() is NULL when the setting is unset.)
	IF NOT coalesce(org = ANY (parta.rls_orgs())
	    OR parta.rls_operator(), false) THEN
		RETURN NULL;
	END IF;
	RETURN (SELECT count(*) FROM parta.audit au
	    WHERE au.org_id = org AND (actor IS NULL OR au.actor_id = actor)
	    AND (action_name IS NULL OR au.action IN (SELECT aa.code
		FROM parta.audit_action aa WHERE aa.name = action_name)));
END
$$;
