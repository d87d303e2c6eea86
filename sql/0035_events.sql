-- Issue 21: events on the home page.  An administrator makes the
-- school's events; a teacher makes events for the classes they teach or
-- lead.  Each member's home (/org/N, /me) shows the events addressed to
-- them for today and the coming week, a guardian their child's; a
-- personal iCalendar feed (/me/calendar.ics?key=...) puts them in a
-- phone's calendar.  cgi-bin/events.c and lib/event.c reach the rules
-- below; the rules are said here only.
--
-- Times are timestamptz.  A form sends a wall-clock time of the
-- organization's zone (its region's tz): parta.event_local_ts turns it
-- into an instant, parta.ru_day and to_char(... AT TIME ZONE tz) turn
-- instants back, so no program does time-zone arithmetic.

CREATE TABLE parta.event (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	class_id	bigint,
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	place		text NOT NULL DEFAULT '' CHECK (length(place) <= 200),
	starts_at	timestamptz NOT NULL,
	ends_at		timestamptz NOT NULL,
	-- Whom it is for, beyond the staff of the school (of the class, for
	-- a class's event), who see every event they may change: everyone,
	-- students, parents (guardians of the school's or class's
	-- students), or the staff only.
	audience	text NOT NULL CHECK (audience IN ('all', 'students',
			    'parents', 'staff')),
	created_by	bigint REFERENCES parta.account,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz,
	cancelled_at	timestamptz,
	cancelled_by	bigint REFERENCES parta.account,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CONSTRAINT event_ends_after_start CHECK (ends_at > starts_at),
	CONSTRAINT event_not_too_long CHECK (ends_at - starts_at <=
	    interval '31 days')
);
CREATE INDEX event_org_time ON parta.event (org_id, starts_at);
CREATE INDEX event_creator ON parta.event (created_by, created_at);

-- A person's calendar feed key: the token of /me/calendar.ics?key= is
-- derived from token_salt under the server's secret (lib/crypto,
-- CRYPTO_LINK_CALENDAR), so the account page can show the address
-- again; only SHA-256(token) is looked up.  One key per person; making a
-- new one replaces it, revoking deletes it.
CREATE TABLE parta.calendar_key (
	account_id	bigint PRIMARY KEY REFERENCES parta.account
			    ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	token_salt	bytea NOT NULL CHECK (length(token_salt) = 32),
	created_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO parta.audit_action (code, name) VALUES
	('event_create', 'Создано событие'),
	('event_edit', 'Событие изменено'),
	('event_cancel', 'Событие отменено');

---------------------------------------------------------------- times

-- The instant of wall-clock time local ('2026-12-24T10:00', as an HTML
-- datetime-local field sends it) in the zone of organization p_org.
CREATE FUNCTION parta.event_local_ts(p_org bigint, local text)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
	SELECT (local::timestamp) AT TIME ZONE r.tz
	FROM parta.org o JOIN parta.region r ON r.code = o.region
	WHERE o.id = p_org
$$;

-- A day as the home page names it: «24 декабря, пятница».
CREATE FUNCTION parta.ru_day(d date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT extract(day FROM d)::int || ' ' ||
	    (ARRAY['января', 'февраля', 'марта', 'апреля', 'мая', 'июня',
	    'июля', 'августа', 'сентября', 'октября', 'ноября',
	    'декабря'])[extract(month FROM d)::int] || ', ' ||
	    (ARRAY['воскресенье', 'понедельник', 'вторник', 'среда',
	    'четверг', 'пятница', 'суббота'])[extract(dow FROM d)::int + 1]
$$;

-- When an event is, in the zone tz, as its page says it: «24 декабря,
-- пятница, 10:00–11:30», or with both days when it ends on another.
CREATE FUNCTION parta.event_when(starts_at timestamptz, ends_at timestamptz,
    tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT parta.ru_day((starts_at AT TIME ZONE tz)::date) || ', ' ||
	    to_char(starts_at AT TIME ZONE tz, 'HH24:MI') || '–' ||
	    CASE WHEN (starts_at AT TIME ZONE tz)::date =
		(ends_at AT TIME ZONE tz)::date
	    THEN to_char(ends_at AT TIME ZONE tz, 'HH24:MI')
	    ELSE parta.ru_day((ends_at AT TIME ZONE tz)::date) || ', ' ||
		to_char(ends_at AT TIME ZONE tz, 'HH24:MI') END
$$;

---------------------------------------------------------------- who

-- Whether account may make, change and cancel events of org for class
-- p_class (NULL: the school's own): an administrator for the school and
-- any open class; a teacher for an open class they lead or teach.
CREATE FUNCTION parta.event_may_make(p_org bigint, p_account bigint,
    p_class bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = p_org AND m.account_id = p_account
	    AND m.role = 'admin'
	    AND (p_class IS NULL OR EXISTS (SELECT 1 FROM parta.class k
		WHERE k.org_id = p_org AND k.id = p_class
		AND k.archived_at IS NULL)))
	OR (p_class IS NOT NULL AND EXISTS (SELECT 1 FROM parta.class_member cm
	    JOIN parta.class k ON k.org_id = cm.org_id AND k.id = cm.class_id
	    AND k.archived_at IS NULL
	    JOIN parta.member m ON m.org_id = cm.org_id
	    AND m.account_id = cm.account_id AND m.role IN ('admin', 'teacher')
	    WHERE cm.org_id = p_org AND cm.class_id = p_class
	    AND cm.account_id = p_account
	    AND cm.role IN ('homeroom', 'teacher')))
$$;

-- The classes of org account may make events for (event_may_make).
CREATE FUNCTION parta.event_classes(p_org bigint, p_account bigint)
RETURNS TABLE (id bigint, class_name text)
LANGUAGE sql STABLE AS $$
	SELECT k.id, parta.class_name(k.grade, k.letter, k.title)
	FROM parta.class k
	WHERE k.org_id = p_org AND k.archived_at IS NULL
	AND parta.event_may_make(p_org, p_account, k.id)
	ORDER BY k.kind = 'class', k.grade NULLS LAST, k.letter, k.title, k.id
$$;

-- Whether the event (its org, class, audience and maker) is addressed
-- to account, and so on their home page and in their feed: its maker;
-- the school's staff (a class's: its teachers) always; students for
-- 'all' and 'students' (a class's: its students); guardians of such
-- students for 'all' and 'parents'.
CREATE FUNCTION parta.event_addressed(p_org bigint, p_class bigint,
    p_audience text, p_created_by bigint, p_account bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT p_created_by IS NOT DISTINCT FROM p_account
	OR EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = p_org AND m.account_id = p_account
	    AND ((p_class IS NULL AND (m.role IN ('admin', 'teacher')
		OR p_audience IN ('all', 'students')))
	    OR (p_class IS NOT NULL AND EXISTS (SELECT 1
		FROM parta.class_member cm
		WHERE cm.org_id = p_org AND cm.class_id = p_class
		AND cm.account_id = p_account
		AND (cm.role IN ('homeroom', 'teacher')
		OR p_audience IN ('all', 'students'))))))
	OR (p_audience IN ('all', 'parents') AND EXISTS (SELECT 1
	    FROM parta.org_children(p_org, p_account) ch
	    WHERE p_class IS NULL OR EXISTS (SELECT 1 FROM parta.class_member cm
		WHERE cm.org_id = p_org AND cm.class_id = p_class
		AND cm.account_id = ch.child_id AND cm.role = 'student')))
$$;

-- Whether account may open the event's page: it is addressed to them,
-- or they may change it, or they are the organization's administrator.
CREATE FUNCTION parta.event_visible(p_org bigint, p_class bigint,
    p_audience text, p_created_by bigint, p_account bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT parta.event_addressed(p_org, p_class, p_audience, p_created_by,
	    p_account)
	OR EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = p_org
	    AND m.account_id = p_account AND m.role = 'admin')
	OR parta.event_may_make(p_org, p_account, p_class)
$$;

-- The events addressed to account that overlap [p_from, p_to), of
-- organization p_org (NULL: of each organization of theirs or of their
-- children), with the name of the child an event reaches them through
-- ('' when it is their own).
CREATE FUNCTION parta.event_for(p_account bigint, p_org bigint,
    p_from timestamptz, p_to timestamptz)
RETURNS TABLE (org_id bigint, id bigint, child_name text)
LANGUAGE sql STABLE AS $$
	SELECT e.org_id, e.id,
	    CASE WHEN parta.event_addressed(e.org_id, e.class_id, 'staff',
		e.created_by, p_account) OR (e.audience IN ('all', 'students')
		AND parta.event_addressed(e.org_id, e.class_id, 'students',
		e.created_by, p_account))
	    THEN '' ELSE coalesce((SELECT string_agg(a.first_name, ', '
		ORDER BY a.first_name)
		FROM parta.org_children(e.org_id, p_account) ch
		JOIN parta.account a ON a.id = ch.child_id
		WHERE e.class_id IS NULL
		OR EXISTS (SELECT 1 FROM parta.class_member cm
		WHERE cm.org_id = e.org_id AND cm.class_id = e.class_id
		AND cm.account_id = ch.child_id AND cm.role = 'student')),
		'') END
	FROM parta.event e
	WHERE e.org_id = ANY (parta.rls_orgs_of(p_account))
	AND (p_org IS NULL OR e.org_id = p_org)
	AND e.starts_at < p_to AND e.ends_at > p_from
	-- No event lasts over 31 days (event_not_too_long): the index on
	-- (org_id, starts_at) reads a window, not every past event.
	AND e.starts_at > p_from - interval '31 days'
	AND parta.event_addressed(e.org_id, e.class_id, e.audience,
	    e.created_by, p_account)
$$;

-- The home page's week: for each organization of account (p_org: that
-- one only) where anything may reach them, each day from today to six
-- days on in the organization's zone, with its events addressed to
-- account (one row per day and event; a day without any: one row with
-- a NULL id), and whether they are its member (a guardian is not).
-- Cancelled events stay, marked, so nobody goes to one.
CREATE FUNCTION parta.event_week(p_account bigint, p_org bigint)
RETURNS TABLE (org_id bigint, org_name text, day date, day_name text,
    today boolean, id bigint, title text, starts text, ends text,
    place text, class_name text, cancelled boolean, child_name text,
    member boolean)
LANGUAGE sql STABLE AS $$
	-- The organizations and their today; the week's events of each
	-- read once, by its window (event_for), then laid out by day.
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
	SELECT w.id, w.short_name, d.day, parta.ru_day(d.day), d.day = w.today,
	    ev.id, ev.title,
	    to_char(greatest(ev.starts_at, d.day::timestamp AT TIME ZONE w.tz)
		AT TIME ZONE w.tz, 'HH24:MI'),
	    to_char(ev.ends_at AT TIME ZONE w.tz, 'HH24:MI'),
	    ev.place, ev.class_name, ev.cancelled_at IS NOT NULL,
	    ev.child_name, w.member
	FROM w CROSS JOIN LATERAL (SELECT (w.today + n)::date AS day
	    FROM generate_series(0, 6) n) d
	LEFT JOIN ev ON ev.org_id = w.id
	    AND ev.starts_at < (d.day + 1)::timestamp AT TIME ZONE w.tz
	    AND ev.ends_at > d.day::timestamp AT TIME ZONE w.tz
	ORDER BY w.short_name, w.id, d.day, ev.starts_at, ev.id
$$;

---------------------------------------------------------------- the rule kept

-- Who may make or change an event, and how many a person makes a day,
-- whoever writes the row: a request's account (parta.rls_account, the
-- programs) must be allowed for the event's class before and after the
-- change (PA403), and makes at most 50 events in 24 hours (PA429; the
-- advisory lock makes two at once count each other).  The owner at the
-- console (no account) is not asked.
CREATE FUNCTION parta.event_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
	made int;
BEGIN
	IF me IS NULL THEN
		RETURN NEW;
	END IF;
	IF NOT parta.event_may_make(NEW.org_id, me, NEW.class_id)
	    OR (TG_OP = 'UPDATE' AND NOT parta.event_may_make(OLD.org_id, me,
	    OLD.class_id)) THEN
		RAISE EXCEPTION 'account % may not make events of class % of '
		    'organization %', me, NEW.class_id, NEW.org_id
		USING ERRCODE = 'PA403';
	END IF;
	IF TG_OP = 'INSERT' THEN
		PERFORM pg_advisory_xact_lock(hashtextextended(
		    'parta.event:' || me, 0));
		SELECT count(*) INTO made FROM parta.event e
		WHERE e.created_by = me
		AND e.created_at > now() - interval '24 hours';
		IF made >= 50 THEN
			RAISE EXCEPTION 'account % made % events today', me, made
			USING ERRCODE = 'PA429';
		END IF;
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER event_guard BEFORE INSERT OR UPDATE ON parta.event
	FOR EACH ROW EXECUTE FUNCTION parta.event_guard();

-- The owner of a live calendar key (the hash of its token), or NULL: a
-- revoked key, or one of an erased account, opens nothing.
CREATE FUNCTION parta.calendar_owner(token_hash bytea) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	RETURN (SELECT k.account_id FROM parta.calendar_key k
	    JOIN parta.account a ON a.id = k.account_id
	    AND a.deleted_at IS NULL
	    WHERE k.token_hash = calendar_owner.token_hash);
END
$$;

-- The feed of a calendar key (the hash of its token): the key's owner's
-- events from 30 days back to 180 days on, each with its
-- organization's name and the zone's instants as epochs.  No session
-- comes with a calendar app's request: the token is the right.
CREATE FUNCTION parta.calendar_feed(token_hash bytea)
RETURNS TABLE (org_id bigint, id bigint, title text,
    place text, org_name text, class_name text, starts_epoch bigint,
    ends_epoch bigint, stamp_epoch bigint, cancelled boolean,
    child_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	who bigint;
BEGIN
	who := parta.calendar_owner(calendar_feed.token_hash);
	IF who IS NULL THEN
		RETURN;
	END IF;
	RETURN QUERY SELECT e.org_id, e.id, e.title, e.place,
	    o.short_name, parta.class_name(k.grade, k.letter, k.title),
	    extract(epoch FROM e.starts_at)::bigint,
	    extract(epoch FROM e.ends_at)::bigint,
	    extract(epoch FROM coalesce(e.cancelled_at, e.updated_at,
		e.created_at))::bigint,
	    e.cancelled_at IS NOT NULL, f.child_name
	FROM parta.event_for(who, NULL, now() - interval '30 days',
	    now() + interval '180 days') f
	JOIN parta.event e ON e.org_id = f.org_id AND e.id = f.id
	JOIN parta.org o ON o.id = e.org_id
	LEFT JOIN parta.class k ON k.org_id = e.org_id AND k.id = e.class_id
	ORDER BY e.starts_at, e.org_id, e.id;
END
$$;

---------------------------------------------------------------- row-level security

-- Events: the organizations of the request's account (a guardian's
-- through their child), and the operator.  Calendar keys: one's own.
ALTER TABLE parta.event ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.event FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.event TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.event'::regclass));
	EXECUTE format('CREATE POLICY owner_all ON parta.calendar_key TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.calendar_key'::regclass));
END
$$;
CREATE POLICY tenant ON parta.event TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR (SELECT parta.rls_operator()));
ALTER TABLE parta.calendar_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.calendar_key FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON parta.calendar_key TO parta_app
	USING (account_id = (SELECT parta.rls_account()));
