-- Converting photos, bounded (issue 22, QA): a chat message with nine
-- 49-megapixel photos converted for over 60 s, nginx gave up with its
-- 504 and the message was posted anyway; a small PDF waited 8-17 s
-- behind other people's photos (the upload workers all converting); a
-- photo over a quota was refused only after its conversion.
--
-- 1. The host's conversions at once.  Converting a photo takes a CPU
-- core for seconds (lib/file_image.c); a request converts only while it
-- holds one of the host's p_slots conversion slots (PARTA_CONVERT_SLOTS,
-- the cores given to it), and waits for one meanwhile, up to its
-- deadline.  So that waiting never holds every upload worker of a
-- program (a PDF must not queue behind photos), at most p_entries
-- requests of one program on one host (PARTA_UPLOAD_WORKERS - 1) wait
-- or convert; a further one is refused at once.  Both are
-- transaction-level advisory locks, keyed by the host and, for the
-- entries, the program: they go with the request's transaction, or
-- with the connection of a worker that died.  lib/file asks once per
-- request, for its first photo, after the person's own slot (sql/0059).
--
-- 'go': a conversion slot is held to the end of the transaction.
-- 'busy': p_entries requests of the program are in already (nothing
-- held but this transaction's entry attempts, none of which succeeded).
-- 'late': p_wait_ms went by without a free slot (the entry is held to
-- the transaction's end, which the caller then rolls back).
CREATE FUNCTION parta.file_convert_turn(p_host text, p_program text,
    p_slots integer, p_entries integer, p_wait_ms integer) RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
	i integer;
	entered boolean := false;
BEGIN
	IF parta.rls_account() IS NULL THEN
		RAISE EXCEPTION 'file_convert_turn: no account'
		    USING ERRCODE = 'PA403';
	END IF;
	FOR i IN 0 .. greatest(p_entries, 1) - 1 LOOP
		IF pg_try_advisory_xact_lock(hashtextextended(
		    'parta.file_convert_entry:' || p_host || ':' || p_program ||
		    ':' || i, 0)) THEN
			entered := true;
			EXIT;
		END IF;
	END LOOP;
	IF NOT entered THEN
		RETURN 'busy';
	END IF;
	LOOP
		FOR i IN 0 .. greatest(p_slots, 1) - 1 LOOP
			IF pg_try_advisory_xact_lock(hashtextextended(
			    'parta.file_convert_run:' || p_host || ':' || i,
			    0)) THEN
				RETURN 'go';
			END IF;
		END LOOP;
		IF clock_timestamp() >= t0 + p_wait_ms * interval '1 ms' THEN
			RETURN 'late';
		END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
END
$$;

-- 2. The quotas, read before converting: whether p_size more bytes fit
-- the request's account's quota (p_user_quota) and, p_org given,
-- organization p_org's (p_org_quota), by what is used now, without a
-- lock (parta.file_insert checks the exact size kept under the locks
-- afterwards).  The same columns as parta.file_insert's refusal:
-- refused 'user' or 'org' with what is left and the quota, or NULL.
-- What organization p_org's files use of its quota, in bytes (PL/pgSQL:
-- its plan kept, as every function that reads a table).
CREATE FUNCTION parta.file_org_used(p_org bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT coalesce(sum(f.size), 0) FROM parta.file f
	    WHERE f.org_id = p_org);
END
$$;
REVOKE ALL ON FUNCTION parta.file_org_used(bigint) FROM PUBLIC;

-- The organization's count is parta.file_org_used now, in one place.
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
		used := parta.file_org_used(p_org);
	END IF;
	IF used + p_size > p_quota THEN
		RETURN greatest(p_quota - used, 0);
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION parta.file_quota_room(p_org bigint, p_size bigint,
    p_user_quota bigint, p_org_quota bigint, OUT refused text,
    OUT left_bytes bigint, OUT quota bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	used bigint;
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION 'file_quota_room: no account'
		    USING ERRCODE = 'PA403';
	END IF;
	IF p_org IS NOT NULL AND NOT (p_org = ANY (parta.rls_orgs())) THEN
		RAISE EXCEPTION 'file_quota_room: not in organization %', p_org
		    USING ERRCODE = 'PA403';
	END IF;
	used := parta.file_owner_used(me);
	IF used + p_size > p_user_quota THEN
		refused := 'user';
		left_bytes := greatest(p_user_quota - used, 0);
		quota := p_user_quota;
		RETURN;
	END IF;
	IF p_org IS NOT NULL THEN
		used := parta.file_org_used(p_org);
		IF used + p_size > p_org_quota THEN
			refused := 'org';
			left_bytes := greatest(p_org_quota - used, 0);
			quota := p_org_quota;
		END IF;
	END IF;
END
$$;
