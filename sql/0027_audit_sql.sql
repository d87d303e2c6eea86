-- Issue 19: the audit has one writer and one reader, and the rules SQL
-- statements share are functions and views with named parameters here
-- (no C macro builds SQL, no statement's parameters are numbered by
-- another's).  Small rules are LANGUAGE sql functions that the planner
-- inlines into the statement that calls them, so its index plans stay.

---------------------------------------------------------------- audit

-- The one writer of parta.audit.  Programs call it through lib/audit.h,
-- parta-admin and the database's own functions directly.  A row's time
-- is its transaction's (now()) unless the caller says otherwise: the
-- membership functions write the moment the event took effect
-- (clock_timestamp(), see parta.audit_log).  The trigger of 0018/0023
-- makes the detail agree with the target's gender as the row is written.
CREATE FUNCTION parta.audit_write(org bigint, actor bigint, action text,
    target bigint DEFAULT NULL, detail text DEFAULT '',
    at timestamptz DEFAULT now()) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO parta.audit (org_id, actor_id, action, target_id, detail,
	    at)
	VALUES (audit_write.org, audit_write.actor, audit_write.action,
	    audit_write.target, coalesce(audit_write.detail, ''),
	    audit_write.at)
$$;

-- The membership functions of 0012, 0015 and 0017 write through this
-- name: the row at the moment the event took effect, after everything
-- it ended.
CREATE OR REPLACE FUNCTION parta.audit_log(p_org bigint, p_actor bigint,
    p_action text, p_target bigint, p_detail text) RETURNS void
LANGUAGE sql AS $$
	SELECT parta.audit_write(org => p_org, actor => p_actor,
	    action => p_action, target => p_target, detail => p_detail,
	    at => clock_timestamp())
$$;

-- 0017's guardian_audit and 0002's admin_grants_apply, as they were,
-- writing through audit_write.
CREATE OR REPLACE FUNCTION parta.guardian_audit(p_child bigint,
    p_actor bigint, p_action text, p_detail text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.audit_write(org => m.org_id, actor => p_actor,
	    action => p_action, target => p_child, detail => p_detail,
	    at => clock_timestamp())
	FROM parta.member m
	WHERE m.account_id = p_child AND m.role = 'student';
	IF NOT FOUND THEN
		PERFORM parta.audit_write(org => NULL, actor => p_actor,
		    action => p_action, target => p_child,
		    detail => p_detail, at => clock_timestamp());
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION parta.admin_grants_apply(p_account bigint)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	g record;
	n int := 0;
BEGIN
	FOR g IN
		SELECT ag.org_id, ag.id FROM parta.admin_grant ag
		JOIN parta.account a ON a.phone = ag.phone AND a.phone_verified
		WHERE a.id = p_account AND ag.applied_at IS NULL
		AND ag.revoked_at IS NULL
		FOR UPDATE OF ag
	LOOP
		INSERT INTO parta.member (org_id, account_id, role, verified)
		VALUES (g.org_id, p_account, 'admin', true)
		ON CONFLICT (org_id, account_id)
		DO UPDATE SET role = 'admin', verified = true;
		UPDATE parta.admin_grant SET account_id = p_account,
		    applied_at = now() WHERE org_id = g.org_id AND id = g.id;
		PERFORM parta.audit_write(org => g.org_id, actor => p_account,
		    action => 'admin_grant_applied', target => p_account);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

---------------------------------------------------------------- people and times

-- A person's full name as every list shows it: "Иванова Анна Сергеевна",
-- no trailing space without a patronymic.
CREATE FUNCTION parta.full_name(last_name text, first_name text,
    patronymic text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT concat_ws(' ', last_name, first_name, nullif(patronymic, ''))
$$;

CREATE OR REPLACE FUNCTION parta.person_name(p_account bigint)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT parta.full_name(last_name, first_name, patronymic)
	FROM parta.account WHERE id = p_account
$$;

-- Times on pages.  An organization's pages show its region's time
-- (local_time with the region's tz); pages of people with no region of
-- their own (the operator, a person's own sessions and consents) show
-- Moscow time, named so it is not misread (msk_time, msk_date); a page
-- read in more than one region names the time by its offset from Moscow
-- as Russians read it: "02.03.2025 03:30 МСК+4", "… МСК" in Moscow
-- itself (region_time).  The export is ISO 8601 (iso_time).
CREATE FUNCTION parta.local_time(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(ts AT TIME ZONE tz, 'DD.MM.YYYY HH24:MI')
$$;

CREATE FUNCTION parta.region_time(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT parta.local_time(ts, tz) || ' МСК' || coalesce(to_char(nullif(
	    round(extract(epoch FROM (ts AT TIME ZONE tz) -
	    (ts AT TIME ZONE 'Europe/Moscow')) / 3600)::int, 0), 'FMSG999'), '')
$$;

CREATE FUNCTION parta.msk_time(ts timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT parta.region_time(ts, 'Europe/Moscow')
$$;

CREATE FUNCTION parta.msk_date(ts timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(ts AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY')
$$;

CREATE FUNCTION parta.iso_time(ts timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SSOF')
$$;

-- A class's academic year: "2025/2026", "" for no class.
CREATE FUNCTION parta.class_year(year integer) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(year || '/' || (year + 1), '')
$$;

-- A class's one name, "9А · ФизМат" (0012), written with immutable
-- operators only, the same for every input: concat and concat_ws are
-- only stable, so the planner could not inline the immutable function
-- that called them and ran it as a call on every row.
CREATE OR REPLACE FUNCTION parta.class_name(grade smallint, letter text,
    title text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(nullif(coalesce(grade::text, '') || coalesce(letter, ''),
	    '') || ' · ' || nullif(title, ''),
	    nullif(coalesce(grade::text, '') || coalesce(letter, ''), ''),
	    nullif(title, ''), '')
$$;

---------------------------------------------------------------- the audit's reader

-- Every audit row as the log pages and exports show it: the action by
-- its Russian name, who and whom by their full names ('' for nobody or
-- the console), the time in the organization's region (Moscow for a
-- platform-wide event).
CREATE VIEW parta.audit_event AS
SELECT au.id, au.org_id, au.at,
    au.at AT TIME ZONE coalesce(rg.tz, 'Europe/Moscow') AS local_at,
    au.action, aa.name AS action_name, au.detail,
    au.actor_id,
    coalesce(parta.full_name(ac.last_name, ac.first_name, ac.patronymic),
	'') AS actor,
    au.target_id,
    coalesce(parta.full_name(t.last_name, t.first_name, t.patronymic), '')
	AS target
FROM parta.audit au
JOIN parta.audit_action aa ON aa.code = au.action
LEFT JOIN parta.org o ON o.id = au.org_id
LEFT JOIN parta.region rg ON rg.code = o.region
LEFT JOIN parta.account ac ON ac.id = au.actor_id
LEFT JOIN parta.account t ON t.id = au.target_id;

---------------------------------------------------------------- rules of rows
--
-- A rule that looks other rows up is a set-returning function of one
-- row: a statement joins it LATERAL (or selects from it), and the
-- planner inlines it as if its text stood there, so its index plans
-- stay (a scalar function with a subquery would run once a row).

-- Whether link (or batch of links) made by made_by, for role link_role
-- and class link_class of org, is visible to viewer: everything to the
-- organization's admin (viewer_admin), to a homeroom teacher what they
-- made and the student links of their classes.
CREATE FUNCTION parta.link_visible(org bigint, viewer bigint,
    viewer_admin boolean, made_by bigint, link_role text,
    link_class bigint) RETURNS TABLE (visible boolean)
LANGUAGE sql STABLE AS $$
	SELECT viewer_admin OR made_by = viewer OR (link_role = 'student'
	    AND link_class IN (SELECT cm.class_id FROM parta.class_member cm
	    WHERE cm.org_id = link_visible.org AND cm.account_id = viewer
	    AND cm.role = 'homeroom'))
$$;

-- The state of a link, most final first: 'revoked', 'used', 'expired',
-- 'active'.
CREATE FUNCTION parta.link_status(revoked_at timestamptz, uses integer,
    max_uses integer, expires_at timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN revoked_at IS NOT NULL THEN 'revoked'
	    WHEN uses >= max_uses THEN 'used'
	    WHEN expires_at <= now() THEN 'expired'
	    ELSE 'active' END
$$;

-- Whether the maker of a link of org (for class link_class, or none) no
-- longer has the right it was made with: 'left' (not in the
-- organization), 'homeroom' (no longer the homeroom teacher of its
-- class, nor an admin), '' otherwise: the ways out that revoke a
-- person's links.
CREATE FUNCTION parta.link_maker_gone(org bigint, made_by bigint,
    link_class bigint) RETURNS TABLE (gone text)
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = link_maker_gone.org AND m.account_id = made_by)
	THEN 'left'
	WHEN link_class IS NOT NULL AND NOT EXISTS (SELECT 1
	    FROM parta.member m WHERE m.org_id = link_maker_gone.org
	    AND m.account_id = made_by AND m.role = 'admin')
	AND NOT EXISTS (SELECT 1 FROM parta.class_member cm
	    WHERE cm.org_id = link_maker_gone.org AND cm.class_id = link_class
	    AND cm.account_id = made_by AND cm.role = 'homeroom')
	THEN 'homeroom' ELSE '' END
$$;

-- An invite link found by the SHA-256 of its token (only that is
-- stored; the raw token never reaches the database or its logs), the
-- newest when two organizations' hashes collide.
CREATE FUNCTION parta.invite_by_token(token_hash bytea)
RETURNS TABLE (org_id bigint, id bigint, role text, short_name text,
    class_name text, revoked boolean, expired boolean, used_up boolean)
LANGUAGE sql STABLE AS $$
	SELECT i.org_id, i.id, i.role, o.short_name,
	    parta.class_name(c.grade, c.letter, c.title),
	    i.revoked_at IS NOT NULL, i.expires_at <= now(),
	    i.uses >= i.max_uses
	FROM parta.invite i JOIN parta.org o ON o.id = i.org_id
	LEFT JOIN parta.class c ON c.org_id = i.org_id AND c.id = i.class_id
	WHERE i.token_hash = invite_by_token.token_hash
	ORDER BY i.created_at DESC LIMIT 1
$$;

-- Where person account stands in org: member role ('' when not a
-- member), barred, their application by link invite that still counts
-- (NULL: one accepted before they left, or closed when they left, does
-- not; see application_one_per_invite in 0012), their pending
-- application.
CREATE FUNCTION parta.standing(org bigint, account bigint, invite bigint)
RETURNS TABLE (member_role text, barred boolean, invite_app bigint,
    pending_app bigint)
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT m.role FROM parta.member m
	    WHERE m.org_id = standing.org AND m.account_id = account), ''),
	    parta.is_barred(standing.org, account),
	    (SELECT a.id FROM parta.application a
	    WHERE a.org_id = standing.org AND a.account_id = account
	    AND a.invite_id = invite
	    AND a.status IN ('pending', 'rejected', 'withdrawn')),
	    (SELECT a.id FROM parta.application a
	    WHERE a.org_id = standing.org AND a.account_id = account
	    AND a.status = 'pending')
$$;

-- The chat of class class_id of org for purpose ('students',
-- 'parents') when member is in it.
CREATE FUNCTION parta.class_chat(org bigint, class_id bigint,
    purpose text, member bigint) RETURNS TABLE (id bigint)
LANGUAGE sql STABLE AS $$
	SELECT c.id FROM parta.chat c JOIN parta.chat_member x
	    ON x.org_id = c.org_id AND x.chat_id = c.id
	    AND x.account_id = class_chat.member
	WHERE c.org_id = class_chat.org AND c.class_id = class_chat.class_id
	    AND c.purpose = class_chat.purpose
$$;

-- The current (not archived) classes of org teacher is the homeroom
-- teacher of.
CREATE FUNCTION parta.homeroom_classes(org bigint, teacher bigint)
RETURNS TABLE (class_id bigint)
LANGUAGE sql STABLE AS $$
	SELECT cm.class_id FROM parta.class_member cm JOIN parta.class hc
	    ON hc.org_id = cm.org_id AND hc.id = cm.class_id
	    AND hc.archived_at IS NULL
	WHERE cm.org_id = homeroom_classes.org
	    AND cm.account_id = homeroom_classes.teacher
	    AND cm.role = 'homeroom'
$$;

-- Whether reviewer may decide an application (for role app_role and
-- class app_class of org) as a homeroom teacher: students' applications
-- for the current classes they lead.  The review (approve.c) and the
-- count of applications waiting on every page of the organization
-- (lib/org.c) go by it.
CREATE FUNCTION parta.homeroom_scope(org bigint, reviewer bigint,
    app_role text, app_class bigint) RETURNS TABLE (in_scope boolean)
LANGUAGE sql STABLE AS $$
	SELECT app_role = 'student' AND app_class IN (SELECT h.class_id
	    FROM parta.homeroom_classes(org => homeroom_scope.org,
	    teacher => reviewer) h)
$$;

-- A chat's name as viewer sees it: a direct chat (between guardian and
-- peer) is named after the other person.
CREATE FUNCTION parta.chat_title(viewer bigint, purpose text, title text,
    guardian bigint, peer bigint) RETURNS TABLE (title text)
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN chat_title.purpose = 'direct'
	    THEN (SELECT concat_ws(' ', a.first_name, a.last_name)
	    FROM parta.account a WHERE a.id = CASE
	    WHEN chat_title.guardian = chat_title.viewer THEN chat_title.peer
	    ELSE chat_title.guardian END)
	    ELSE chat_title.title END
$$;

-- Whether a chat of org about class class_id (or none) is about an
-- archived class (then it is read-only).
CREATE FUNCTION parta.chat_archived(org bigint, class_id bigint)
RETURNS TABLE (archived boolean)
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.class k
	    WHERE k.org_id = chat_archived.org AND k.id = chat_archived.class_id
	    AND k.archived_at IS NOT NULL)
$$;

-- The time zone of a child's pages: the region of their first school,
-- Moscow for a child of none.
CREATE FUNCTION parta.child_tz(child bigint) RETURNS TABLE (tz text)
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT rg.tz FROM parta.member m
	    JOIN parta.org o ON o.id = m.org_id
	    JOIN parta.region rg ON rg.code = o.region
	    WHERE m.account_id = child_tz.child ORDER BY m.joined_at LIMIT 1),
	    'Europe/Moscow')
$$;

-- Who of class class_id of org (of kind 'class' or 'staff') a rollover
-- carries into the next year's class: students and homeroom teachers,
-- everyone of a staff class; of them only who is still a member of the
-- organization in a fitting role (the database admits no one else into
-- a class: class_member_admit in 0012).  Subject teachers are not
-- carried: teaching a class is decided per year.
CREATE FUNCTION parta.class_carried(org bigint, class_id bigint, kind text)
RETURNS TABLE (org_id bigint, account_id bigint, role text)
LANGUAGE sql STABLE AS $$
	SELECT m.org_id, m.account_id, m.role FROM parta.class_member m
	WHERE m.org_id = class_carried.org AND m.class_id = class_carried.class_id
	    AND (class_carried.kind = 'staff'
		OR m.role IN ('student', 'homeroom'))
	    AND EXISTS (SELECT 1 FROM parta.member o
		WHERE o.org_id = m.org_id AND o.account_id = m.account_id
		AND (o.role = 'student') = (m.role = 'student'))
$$;
