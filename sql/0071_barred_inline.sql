-- Issue 23: POST /join/TOKEN cost 1.13 times its SQL under row-level
-- security (bench/instructions.sh, with the policies against the same
-- role bypassing them).  callgrind: 300 k instructions a request in
-- PL/pgSQL, the plan of parta.is_barred made again twice a request.
-- A function's cached plan under row-level security is good for the
-- role that made it; is_barred ran for the programs' role (the link's
-- page, parta.standing) and for the owner (the application's trigger,
-- parta.bar_admit, SECURITY DEFINER) in turn, so each call found the
-- other's plan and planned anew.
--
-- The rule (a removed person is barred: a row in member_bar) is now a
-- set-returning SQL function, inlined into the statement that asks, so
-- each caller's statement carries its own plan of it; is_barred and
-- the callers that ran it as the programs' role go by it (the join's
-- standing, the chat link's page: cgi-bin/chat/links.c), so that
-- is_barred now runs for the owner alone (child_school_barred,
-- SECURITY DEFINER, and class_chats_sync, which only triggers call).

-- Whether account is barred from org (0012): one row.
CREATE FUNCTION parta.barred(org bigint, account bigint)
RETURNS TABLE (barred boolean)
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.member_bar b
	    WHERE b.org_id = barred.org AND b.account_id = barred.account)
$$;

CREATE OR REPLACE FUNCTION parta.is_barred(p_org bigint, p_account bigint)
RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT b.barred FROM parta.barred(p_org, p_account) b);
END
$$;

CREATE OR REPLACE FUNCTION parta.standing(org bigint, account bigint,
    invite bigint)
RETURNS TABLE (member_role text, barred boolean, invite_app bigint,
    pending_app bigint)
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT m.role FROM parta.member m
	    WHERE m.org_id = standing.org AND m.account_id = account), ''),
	    (SELECT b.barred FROM parta.barred(standing.org, account) b),
	    (SELECT a.id FROM parta.application a
	    WHERE a.org_id = standing.org AND a.account_id = account
	    AND a.invite_id = invite
	    AND a.status IN ('pending', 'rejected', 'withdrawn')),
	    (SELECT a.id FROM parta.application a
	    WHERE a.org_id = standing.org AND a.account_id = account
	    AND a.status = 'pending')
$$;

CREATE OR REPLACE FUNCTION parta.bar_admit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM parta.member_role_locked(NEW.org_id, NEW.account_id);
	IF (SELECT b.barred FROM parta.barred(NEW.org_id, NEW.account_id) b)
	THEN
		RAISE EXCEPTION 'account % is barred from organization %',
		    NEW.account_id, NEW.org_id
		USING ERRCODE = 'PAB03';
	END IF;
	RETURN NEW;
END
$$;
