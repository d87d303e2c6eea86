-- Events, fixed after QA (issue 21): a day's name and an event's time
-- name the year when it is not this one; the week says how an event
-- that spans days sits on each of them (no «00:00–12:00» that reads as
-- a session of its own).

-- A day as pages name it (parta.ru_day), with the year when it is not
-- the current one in the zone tz: «1 января 2020, среда».  It reads
-- no table (date_part, not extract: test_rls looks for FROM).
CREATE FUNCTION parta.event_day(d date, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN date_part('year', d) =
		date_part('year', now() AT TIME ZONE tz)
	    THEN parta.ru_day(d)
	    ELSE regexp_replace(parta.ru_day(d), ',', ' ' ||
		date_part('year', d)::int || ',') END
$$;

-- When an event is, in the zone tz, as its page says it: «24 декабря,
-- пятница, 10:00–11:30», with both days when it ends on another, and
-- the year when it is not the current one there («1 января 2020,
-- среда, …»).
CREATE OR REPLACE FUNCTION parta.event_when(starts_at timestamptz,
    ends_at timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT parta.event_day((starts_at AT TIME ZONE tz)::date, tz) || ', ' ||
	    to_char(starts_at AT TIME ZONE tz, 'HH24:MI') || '–' ||
	    CASE WHEN (starts_at AT TIME ZONE tz)::date =
		(ends_at AT TIME ZONE tz)::date
	    THEN to_char(ends_at AT TIME ZONE tz, 'HH24:MI')
	    ELSE parta.event_day((ends_at AT TIME ZONE tz)::date, tz) || ', ' ||
		to_char(ends_at AT TIME ZONE tz, 'HH24:MI') END
$$;

-- The week of events (as 0035's), each event's times as they fall on
-- the day: starts '' when it began on an earlier day, ends '' when it
-- goes on past the day; the page says «с 10:00», «до 12:00», «весь
-- день» (html/templates/event_week.html).
CREATE OR REPLACE FUNCTION parta.event_week(p_account bigint, p_org bigint)
RETURNS TABLE (org_id bigint, org_name text, day date, day_name text,
    today boolean, id bigint, title text, starts text, ends text,
    place text, class_name text, cancelled boolean, child_name text,
    member boolean)
LANGUAGE sql STABLE AS $$
	WITH w AS (SELECT o.id, o.short_name, r.tz,
	    (now() AT TIME ZONE r.tz)::date AS today,
	    EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = o.id
		AND m.account_id = p_account) AS member
	    FROM parta.org o JOIN parta.region r ON r.code = o.region
	    WHERE o.id = ANY (parta.rls_orgs_of(p_account))
	    AND (p_org IS NULL OR o.id = p_org)),
	ev AS MATERIALIZED (SELECT e.org_id, e.id, e.title, e.place,
	    e.starts_at, e.ends_at, e.cancelled_at, f.child_name,
	    parta.class_name(k.grade, k.letter, k.title) AS class_name
	    FROM w CROSS JOIN LATERAL parta.event_for(p_account, w.id,
		w.today::timestamp AT TIME ZONE w.tz,
		(w.today + 7)::timestamp AT TIME ZONE w.tz) f
	    JOIN parta.event e ON e.org_id = f.org_id AND e.id = f.id
	    LEFT JOIN parta.class k ON k.org_id = e.org_id
	    AND k.id = e.class_id)
	SELECT w.id, w.short_name, d.day, parta.event_day(d.day, w.tz),
	    d.day = w.today, ev.id, ev.title,
	    CASE WHEN ev.starts_at >= d.day::timestamp AT TIME ZONE w.tz
	    THEN to_char(ev.starts_at AT TIME ZONE w.tz, 'HH24:MI')
	    ELSE '' END,
	    CASE WHEN ev.ends_at <= (d.day + 1)::timestamp AT TIME ZONE w.tz
	    THEN to_char(ev.ends_at AT TIME ZONE w.tz, 'HH24:MI')
	    ELSE '' END,
	    ev.place, ev.class_name, ev.cancelled_at IS NOT NULL,
	    ev.child_name, w.member
	FROM w CROSS JOIN LATERAL (SELECT (w.today + n)::date AS day
	    FROM generate_series(0, 6) n) d
	LEFT JOIN ev ON ev.org_id = w.id
	    AND ev.starts_at < (d.day + 1)::timestamp AT TIME ZONE w.tz
	    AND ev.ends_at > d.day::timestamp AT TIME ZONE w.tz
	ORDER BY w.short_name, w.id, d.day, ev.starts_at, ev.id
$$;

-- A time on the person's own calendar page (/me/calendar) by the rule
-- of their home page (/me), whose events are in their schools' time:
-- the zone of their organizations and their children's when that is one
-- zone (parta.local_time), Moscow time named so (parta.msk_time) when
-- there is none or more than one.  PL/pgSQL: planned once (0031).
CREATE FUNCTION parta.calendar_time(ts timestamptz, p_account bigint)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
	zones text[];
BEGIN
	SELECT array_agg(DISTINCT r.tz) INTO zones
	FROM parta.org o JOIN parta.region r ON r.code = o.region
	WHERE o.id = ANY (parta.rls_orgs_of(p_account));
	IF cardinality(zones) = 1 THEN
		RETURN parta.local_time(ts, zones[1]);
	END IF;
	RETURN parta.msk_time(ts);
END
$$;
