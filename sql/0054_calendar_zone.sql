-- Issue 22 review: /me/files showed up to 1 000 rows, each with
-- parta.calendar_time (0038), which looked the person's schools' time
-- zones up again for every row (about 160 ms a page of 1 000).  The
-- rule is now in two parts, so that a list asks the zone once and
-- formats every row with it: calendar_zone (the tables) and zone_time
-- (the format); calendar_time, for one time, is the two together.

-- The zone of account's own pages (/me, /me/calendar, /me/files): the
-- one zone of their organizations and their children's, or NULL when
-- there is none or more than one (then Moscow time, named so).
-- PL/pgSQL: planned once (0031).
CREATE FUNCTION parta.calendar_zone(p_account bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	zones text[];
BEGIN
	SELECT array_agg(DISTINCT r.tz) INTO zones
	FROM parta.org o JOIN parta.region r ON r.code = o.region
	WHERE o.id = ANY (parta.rls_orgs_of(p_account));
	IF cardinality(zones) = 1 THEN
		RETURN zones[1];
	END IF;
	RETURN NULL;
END
$$;

-- ts as on a page whose zone is zone (calendar_zone's answer): the
-- local time, unnamed, or Moscow time named so when zone is NULL.  No
-- table read: inlined where it is called.
CREATE FUNCTION parta.zone_time(ts timestamptz, zone text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN zone IS NULL THEN parta.msk_time(ts)
	    ELSE parta.local_time(ts, zone) END
$$;

CREATE OR REPLACE FUNCTION parta.calendar_time(ts timestamptz,
    p_account bigint)
RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN parta.zone_time(ts, parta.calendar_zone(p_account));
END
$$;
