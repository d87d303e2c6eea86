-- Housekeeping: rows that no longer mean anything go, by
-- `parta-admin cleanup` (hourly, systemd/parta-cleanup.timer).
--
-- * throttle and code_limit rows whose window has passed: no window is
--   longer than a day (PARTA_*_WINDOW are at most 1440 minutes);
-- * sessions and one-time codes past their expiry (a session's
--   expires_at slides while it is used, lib/auth.c);
-- * outbox messages delivered more than a day ago: their text may hold a
--   one-time code, and the delivery is done;
-- * unverified accounts older than 7 days that nothing refers to
--   (account_unverified_purge, now for every contact when given NULL).

CREATE OR REPLACE FUNCTION parta.account_unverified_purge(p_contact text)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	a bigint;
	n int := 0;
BEGIN
	FOR a IN
		SELECT id FROM parta.account
		WHERE (p_contact IS NULL OR phone = p_contact OR
		    email = p_contact)
		AND NOT phone_verified AND NOT email_verified
		AND created_at < now() - interval '7 days'
	LOOP
		BEGIN
			DELETE FROM parta.account WHERE id = a;
			n := n + 1;
		EXCEPTION WHEN foreign_key_violation THEN
			NULL;
		END;
	END LOOP;
	RETURN n;
END
$$;

CREATE FUNCTION parta.housekeeping(OUT sessions int, OUT codes int,
    OUT limits int, OUT messages int, OUT accounts int)
LANGUAGE plpgsql AS $$
DECLARE
	n int;
BEGIN
	DELETE FROM parta.session WHERE expires_at <= now();
	GET DIAGNOSTICS sessions = ROW_COUNT;
	DELETE FROM parta.code WHERE expires_at <= now();
	GET DIAGNOSTICS codes = ROW_COUNT;
	DELETE FROM parta.throttle WHERE since < now() - interval '1 day';
	GET DIAGNOSTICS limits = ROW_COUNT;
	DELETE FROM parta.code_limit WHERE since < now() - interval '1 day';
	GET DIAGNOSTICS n = ROW_COUNT;
	limits := limits + n;
	DELETE FROM parta.outbox WHERE sent_at < now() - interval '1 day';
	GET DIAGNOSTICS messages = ROW_COUNT;
	accounts := parta.account_unverified_purge(NULL);
END
$$;
