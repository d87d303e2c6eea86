-- A roster's apply under row-level security (issue 23).  Applying 5 000
-- rows with 200 pending applications took 6 s before 0030 and 14-216 s
-- after (the bench's POST /org/N/roster/ID/apply answered 504): the
-- rows the apply and each application are matched by names were found
-- by parta.person_key(last_name, first_name, patronymic) = key, and
-- under a policy a condition that calls a function not marked
-- LEAKPROOF (person_key, regexp_replace, lower...) may only run after
-- the policy's own, row by row: never as an index condition, so
-- roster_row_expected_name was scanned by org_id alone.  Each
-- application's match computed the key of every expected row of the
-- organization (5 000 rows: 23 ms per application, so 200 applications
-- 4.7 s), and the apply's search for candidate applications joined every
-- expected row with every pending application in a nested loop
-- (5 000 x 210: 1 050 000 keys, 10 s; with the bench's thousands of
-- pending joiners, minutes).  Now the row keeps its key in a generated
-- column (the rule is still person_key, written once), indexed, and
-- the lookups compare plain text, whose = is leakproof: an index
-- condition again, policy or not.  Nothing about who sees or may
-- change what is different.  Then each acceptance's check that no other
-- pending application matches its row went through every pending
-- applicant (O(applications²)): by the accounts' name keys now.
ALTER TABLE parta.roster_row ADD COLUMN pkey text
    GENERATED ALWAYS AS (parta.person_key(last_name, first_name,
	patronymic)) STORED;
COMMENT ON COLUMN parta.roster_row.pkey IS
    'parta.person_key of the row''s names: looked up as plain text (an '
    'index condition under row-level security)';
-- Expected rows, and joined ones: the preview's look for the same
-- person in another roster (its "other") asks both, and a roster just
-- uploaded is estimated at one row, so that look is a nested loop: by
-- this index one probe per row, not the organization's every row per
-- row (test_roster's apply work: 91 020 rows read, 1 020 by it).
DROP INDEX parta.roster_row_expected_name;
CREATE INDEX roster_row_expected_name ON parta.roster_row (org_id, pkey)
	WHERE state IN ('expected', 'joined');

-- An acceptance checks that no other pending application matches its
-- row exactly, so by the same names: each pending applicant's key was
-- computed again for every acceptance (200 acceptances, 210 pending:
-- 23 500 roster_match calls, 5.4 s of a 12 s apply).  The accounts have
-- no policy of their own: the key's index serves as it is.
CREATE INDEX account_person_key ON parta.account
	(parta.person_key(last_name, first_name, patronymic));

-- What applying roster of org would do to each of its rows, computed
-- now (a class created since shows up), changing nothing:
--   error      lib/roster found the row unreadable (row.error)
--   class      its class is not an open class of the organization (or
--              a student's row names none): class_id NULL
--   forbidden  the roster may not admit it: an administrator's roster
--              (applied by an administrator) admits anyone; a homeroom
--              teacher's the students of its class while its maker
--              leads it (roster_authority), else nobody
--   duplicate  the same person as an earlier line (dup_line), or as a
--              row expected by another roster of the organization, or
--              joined by one and still a member (dup_line NULL)
--   barred     a person removed from the organization and barred
--              (roster_barred): not expected until the bar is lifted
--   member     a member already, same role (account_id): no change
--   application  a pending application matches it exactly, and only
--              it (application_id, account_id): accepted at apply
--   new        expected after apply (class_id)
-- Two rows are the same person when they have the same names and birth
-- date, or, without one, the same names and class: lib/roster's rule
-- for the lines of one file (whose later line it marks with an error),
-- and, with the same role, for the rows of two rosters (a phone or an
-- e-mail may be a parent's, shared by brothers and sisters).  Once
-- applied, each row's state instead: 'expected',
-- 'joined' (account_id, application_id when joined by one), 'skipped'.
CREATE OR REPLACE FUNCTION parta.roster_preview(org bigint, roster bigint)
RETURNS TABLE (line int, outcome text, class_id bigint, account_id bigint,
    application_id bigint, dup_line int)
LANGUAGE sql STABLE AS $$
	WITH ro AS (
		-- An administrator's roster is applied by an
		-- administrator, with their authority; a homeroom
		-- teacher's keeps its maker's.
		SELECT r.org_id, r.id, r.class_id, r.applied,
		    r.class_id IS NULL OR EXISTS (SELECT 1
			FROM parta.member m WHERE m.org_id = r.org_id
			AND m.account_id = r.auth AND m.role = 'admin')
			AS maker_admin,
		    r.class_id IS NOT NULL AND r.auth IS NOT NULL
			AS maker_homeroom
		FROM (SELECT r.org_id, r.id, r.class_id,
		    r.applied_at IS NOT NULL AS applied,
		    parta.roster_authority(r.org_id, r.id) AS auth
		    FROM parta.roster r
		    WHERE r.org_id = roster_preview.org
		    AND r.id = roster_preview.roster) r
	),
	w0 AS (
		-- pkey: the row's kept parta.person_key (0055).
		SELECT w.*, ro.class_id AS roster_class,
		    w.grade IS NULL AND w.class_text = '' AS no_class
		FROM parta.roster_row w JOIN ro ON w.org_id = ro.org_id
		    AND w.roster_id = ro.id
		WHERE NOT ro.applied
	),
	named AS (
		SELECT DISTINCT n.grade, n.letter, n.title FROM w0 n
		WHERE n.grade IS NOT NULL
	),
	resolved AS (
		SELECT n.grade, n.letter, n.title,
		    parta.roster_class(roster_preview.org, n.grade, n.letter,
		    n.title) AS class_id
		FROM named n
	),
	w AS (
		SELECT w0.*, CASE WHEN w0.no_class THEN w0.roster_class
		    ELSE k.class_id END AS cls,
		    CASE WHEN btrim(w0.pkey) <> '' THEN min(w0.line) OVER
			(PARTITION BY w0.pkey, w0.birth_date,
			CASE WHEN w0.birth_date IS NULL THEN
			parta.class_name(w0.grade, w0.letter, lower(w0.title))
			END) END AS first_line
		FROM w0 LEFT JOIN resolved k ON k.grade = w0.grade
		    AND k.letter = w0.letter AND k.title = w0.title
	),
	-- The same person expected by another roster, or joined by one
	-- and still a member.
	other AS (
		SELECT o.org_id, o.roster_id, o.line, o.role, o.phone, o.email,
		    o.pkey, o.birth_date, o.class_id
		FROM parta.roster_row o
		WHERE o.org_id = roster_preview.org
		AND o.roster_id <> roster_preview.roster
		AND (o.state = 'expected' OR (o.state = 'joined' AND EXISTS (
		    SELECT 1 FROM parta.member m WHERE m.org_id = o.org_id
		    AND m.account_id = o.account_id)))
	),
	dup_other AS (
		SELECT DISTINCT w.line FROM w JOIN other o ON o.pkey = w.pkey
		    AND o.role = w.role
		    AND o.birth_date IS NOT DISTINCT FROM w.birth_date
		    AND (w.birth_date IS NOT NULL
			OR o.class_id IS NOT DISTINCT FROM w.cls)
	),
	-- The organization's members, as applicants of their role.
	mem AS (
		SELECT m.account_id,
		    CASE m.role WHEN 'student' THEN 'student' ELSE 'teacher'
			END AS role,
		    CASE WHEN a.phone_verified THEN a.phone END AS phone,
		    CASE WHEN a.email_verified THEN a.email END AS email,
		    parta.person_key(a.last_name, a.first_name, a.patronymic)
			AS pkey,
		    a.birth_date
		FROM parta.member m JOIN parta.account a ON a.id = m.account_id
		WHERE m.org_id = roster_preview.org
	),
	-- A member matches a row as an application into the row's own
	-- class would: whatever class they are in, no change is made.
	-- Exactly: so by the same names.
	mem_pair AS (
		SELECT w.line, x.account_id,
		    parta.roster_match(w.role, w.phone, w.email, w.pkey,
		    w.birth_date, w.cls, NULL, x.role, x.phone, x.email, x.pkey,
		    x.birth_date, w.cls, NULL) AS how
		FROM w JOIN mem x ON x.pkey = w.pkey
	),
	mem_hit AS (
		SELECT mp.line, min(mp.account_id) AS account_id
		FROM mem_pair mp WHERE mp.how = 'exact'
		GROUP BY mp.line
	),
	base AS (
		SELECT w.*, CASE
		    WHEN w.first_line < w.line THEN 'duplicate'
		    WHEN w.error IS NOT NULL OR w.role IS NULL THEN 'error'
		    WHEN w.cls IS NULL AND (w.role = 'student'
			OR NOT w.no_class) THEN 'class'
		    WHEN NOT (ro.maker_admin OR (ro.maker_homeroom
			AND w.role = 'student' AND w.cls = ro.class_id))
			THEN 'forbidden'
		    WHEN w.line IN (SELECT d.line FROM dup_other d)
			THEN 'duplicate'
		    WHEN mh.account_id IS NULL AND parta.roster_barred(
			roster_preview.org, w.role, w.phone, w.email, w.pkey,
			w.birth_date, w.cls) THEN 'barred'
		    WHEN mh.account_id IS NOT NULL THEN 'member'
		    ELSE 'new' END AS base_outcome,
		    mh.account_id AS member_id, ro.maker_admin
		FROM w CROSS JOIN ro LEFT JOIN mem_hit mh ON mh.line = w.line
	),
	nw AS (
		SELECT b.* FROM base b WHERE b.base_outcome = 'new'
	),
	app AS (
		SELECT x.id, x.account_id, x.role, x.class_id, x.invite_id,
		    CASE WHEN p.phone_verified THEN p.phone END AS phone,
		    CASE WHEN p.email_verified THEN p.email END AS email,
		    parta.person_key(p.last_name, p.first_name, p.patronymic)
			AS pkey,
		    p.birth_date
		FROM parta.application x JOIN parta.account p
		    ON p.id = x.account_id
		WHERE x.org_id = roster_preview.org AND x.status = 'pending'
	),
	-- Only exact matches are accepted at apply: by the same names.
	app_pair AS (
		SELECT b.line, x.id, x.account_id, x.class_id, x.role,
		    parta.roster_match(b.role, b.phone, b.email, b.pkey,
		    b.birth_date, b.cls, b.invite_id, x.role, x.phone, x.email,
		    x.pkey, x.birth_date, x.class_id, x.invite_id) AS how
		FROM nw b JOIN app x ON x.pkey = b.pkey
	),
	app_exact AS (
		SELECT ap.line, ap.id, ap.account_id, ap.class_id, ap.role,
		    count(*) OVER (PARTITION BY ap.line) AS per_row,
		    count(*) OVER (PARTITION BY ap.id) AS per_app
		FROM app_pair ap WHERE ap.how = 'exact'
	),
	-- Accepted at apply: the one application matching the row, which
	-- matches no other row, and which the roster may accept
	-- (application_decide: a homeroom teacher, applications for their
	-- class).
	app_hit AS (
		SELECT e.line, e.id, e.account_id FROM app_exact e
		JOIN base b ON b.line = e.line
		WHERE e.per_row = 1 AND e.per_app = 1
		AND (b.maker_admin OR (e.role = 'student'
		    AND e.class_id = b.roster_class))
	)
	SELECT b.line, CASE WHEN ah.id IS NOT NULL THEN 'application'
		ELSE b.base_outcome END,
	    b.cls,
	    CASE WHEN ah.id IS NOT NULL THEN ah.account_id
		WHEN b.base_outcome = 'member' THEN b.member_id END,
	    ah.id,
	    CASE WHEN b.base_outcome = 'duplicate' AND b.first_line < b.line
		THEN b.first_line END
	FROM base b LEFT JOIN app_hit ah ON ah.line = b.line
	UNION ALL
	SELECT w.line, w.state, w.class_id, w.account_id, w.application_id,
	    NULL::int
	FROM parta.roster_row w JOIN ro ON w.org_id = ro.org_id
	    AND w.roster_id = ro.id
	WHERE ro.applied
	ORDER BY 1
$$;

-- Match pending application app of org against the expected rows of
-- the organization's rosters.  When it matches exactly one row exactly
-- (roster_match), and no other pending application matches that row
-- exactly, it is accepted into the row's class (where that class went
-- if it was rolled over) by application_decide with the roster's
-- authority (roster_authority), the row joined, the audit saying
-- «принят по списку №ID (строка N)»: 'accepted'.  Otherwise, when any
-- row matches exactly or nearly, the application keeps a note of the
-- first such row (exact ones first, then by the row's link, the names,
-- the phone, the e-mail) and why it was not accepted by it (roster_why:
-- two rows, the names only, the phone with other names, a roster no
-- longer in force...), which the queue shows as «похож на строку N
-- списка №ID: who, class — why»: 'noted'.  '' when nothing matches or
-- it is no longer pending.
--
-- The caller holds the organization's roster lock (see the head of this
-- file).  The locks application_decide takes on the acting one's standing
-- and the classes are taken here first without waiting: a way out in
-- progress on them (the acting one removed, their homeroom ended, a class
-- archived) revokes links, and a new application may hold its link's
-- row (the use it consumed, join.c), so waiting could close a cycle.
-- Then the application is only noted, and waits for a reviewer.
CREATE OR REPLACE FUNCTION parta.roster_application_match(p_org bigint, p_app bigint)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	a record;
	hit record;
	best record;
	n_exact int := 0;
	matched boolean := false;
	got boolean := false;
	maker bigint;
	cls bigint;
	verdict text;
	why text;
BEGIN
	SELECT x.account_id, x.role, x.class_id, x.invite_id, x.status,
	    CASE WHEN p.phone_verified THEN p.phone END AS phone,
	    CASE WHEN p.email_verified THEN p.email END AS email,
	    parta.person_key(p.last_name, p.first_name, p.patronymic) AS pkey,
	    p.birth_date
	INTO a
	FROM parta.application x JOIN parta.account p ON p.id = x.account_id
	WHERE x.org_id = p_org AND x.id = p_app;
	IF NOT FOUND OR a.status <> 'pending' THEN
		RETURN '';
	END IF;

	-- The candidates by each index (one arm each, so each uses its own:
	-- 0028's partial indexes of expected rows), then how they match.
	FOR hit IN
		SELECT h.* FROM (
			SELECT c.*, parta.roster_match(c.role, c.phone,
			    c.email, c.pkey, c.birth_date, c.class_id,
			    c.invite_id, a.role, a.phone, a.email, a.pkey,
			    a.birth_date, a.class_id, a.invite_id) AS how
			FROM (
				SELECT rr.roster_id, rr.line, rr.role,
				    rr.phone, rr.email, rr.pkey, rr.birth_date,
				    rr.class_id, rr.invite_id
				FROM parta.roster_row rr
				WHERE rr.org_id = p_org
				AND rr.state = 'expected'
				AND rr.phone = a.phone
				UNION
				SELECT rr.roster_id, rr.line, rr.role,
				    rr.phone, rr.email, rr.pkey, rr.birth_date,
				    rr.class_id, rr.invite_id
				FROM parta.roster_row rr
				WHERE rr.org_id = p_org
				AND rr.state = 'expected'
				AND rr.email = a.email
				UNION
				SELECT rr.roster_id, rr.line, rr.role,
				    rr.phone, rr.email, rr.pkey, rr.birth_date,
				    rr.class_id, rr.invite_id
				FROM parta.roster_row rr
				WHERE rr.org_id = p_org
				AND rr.state = 'expected'
				AND rr.invite_id = a.invite_id
				UNION
				SELECT rr.roster_id, rr.line, rr.role,
				    rr.phone, rr.email, rr.pkey, rr.birth_date,
				    rr.class_id, rr.invite_id
				FROM parta.roster_row rr
				WHERE rr.org_id = p_org
				AND rr.state = 'expected'
				AND rr.pkey = a.pkey
			) c
		) h WHERE h.how IS NOT NULL
		ORDER BY h.how = 'exact' DESC,
		    coalesce(h.invite_id = a.invite_id, false) DESC,
		    h.pkey = a.pkey DESC,
		    coalesce(h.phone = a.phone, false) DESC,
		    h.roster_id, h.line
	LOOP
		IF NOT matched THEN
			best := hit;
			matched := true;
		END IF;
		IF hit.how = 'exact' THEN
			n_exact := n_exact + 1;
		END IF;
	END LOOP;
	IF NOT matched THEN
		RETURN '';
	END IF;

	why := CASE WHEN n_exact > 1 THEN 'rows'
	    WHEN n_exact = 1 THEN 'other'
	    WHEN best.pkey = a.pkey THEN 'name'
	    WHEN best.invite_id = a.invite_id THEN 'link'
	    WHEN best.phone = a.phone THEN 'phone'
	    ELSE 'email' END;
	IF n_exact = 1 AND NOT EXISTS (
		SELECT 1 FROM parta.application o
		JOIN parta.account q ON q.id = o.account_id
		WHERE o.org_id = p_org AND o.status = 'pending'
		AND o.id <> p_app AND o.role = best.role
		-- An exact match has the same names (0055: by the index
		-- on the accounts' keys, not every pending one's key again).
		AND parta.person_key(q.last_name, q.first_name,
		    q.patronymic) = best.pkey
		AND parta.roster_match(best.role, best.phone, best.email,
		    best.pkey, best.birth_date, best.class_id, best.invite_id,
		    o.role, CASE WHEN q.phone_verified THEN q.phone END,
		    CASE WHEN q.email_verified THEN q.email END,
		    parta.person_key(q.last_name, q.first_name, q.patronymic),
		    q.birth_date, o.class_id, o.invite_id) = 'exact') THEN
		-- The row, unless another applicant took it meanwhile, and
		-- whose right its roster accepts with.
		SELECT parta.roster_authority(p_org, rr.roster_id) INTO maker
		FROM parta.roster_row rr
		WHERE rr.org_id = p_org AND rr.roster_id = best.roster_id
		AND rr.line = best.line AND rr.state = 'expected'
		FOR NO KEY UPDATE OF rr;
		got := FOUND;
		why := CASE WHEN got AND maker IS NULL THEN 'off'
		    ELSE 'busy' END;
		IF got AND best.class_id IS NOT NULL THEN
			cls := parta.class_current(p_org, best.class_id);
		END IF;
		IF got AND maker IS NOT NULL
		    AND (best.class_id IS NULL OR cls IS NOT NULL)
		    AND EXISTS (SELECT 1 FROM (SELECT 1 FROM parta.member
			WHERE org_id = p_org AND account_id = maker
			FOR SHARE SKIP LOCKED) s)
		    AND (SELECT count(*) FROM parta.class_member
			WHERE org_id = p_org AND account_id = maker
			AND role = 'homeroom')
		    = (SELECT count(*) FROM (SELECT 1 FROM parta.class_member
			WHERE org_id = p_org AND account_id = maker
			AND role = 'homeroom' FOR SHARE SKIP LOCKED) s)
		    AND (SELECT count(*) FROM parta.class
			WHERE org_id = p_org AND id IN (cls, a.class_id))
		    = (SELECT count(*) FROM (SELECT 1 FROM parta.class
			WHERE org_id = p_org AND id IN (cls, a.class_id)
			FOR SHARE SKIP LOCKED) s) THEN
			verdict := parta.application_decide_checked(p_org,
			    p_app, maker, 'accepted', '', cls);
		END IF;
		IF verdict = 'ok' THEN
			UPDATE parta.roster_row SET state = 'joined',
			    account_id = a.account_id, application_id = p_app,
			    joined_at = now(),
			    class_id = coalesce(cls, class_id)
			WHERE org_id = p_org AND roster_id = best.roster_id
			AND line = best.line;
			UPDATE parta.application SET roster_id = best.roster_id,
			    roster_line = best.line, roster_why = NULL
			WHERE org_id = p_org AND id = p_app;
			PERFORM parta.audit_log(p_org, maker, 'roster_accept',
			    a.account_id, 'принят по списку №' || best.roster_id
			    || ' (строка ' || best.line || ')'
			    || coalesce(', ' || parta.class_name_of(p_org,
				(SELECT x.class_id FROM parta.application x
				WHERE x.org_id = p_org AND x.id = p_app)), ''));
			RETURN 'accepted';
		END IF;
	END IF;

	UPDATE parta.application SET roster_id = best.roster_id,
	    roster_line = best.line, roster_why = why
	WHERE org_id = p_org AND id = p_app AND status = 'pending'
	AND (roster_id, roster_line, roster_why) IS DISTINCT FROM
	    (best.roster_id, best.line, why);
	RETURN 'noted';
END
$$;


-- Apply roster of org, by actor (an administrator, or a homeroom teacher
-- of the roster's class), once: the rows of lines (NULL: every row)
-- that roster_preview says 'new' or 'application' become expected,
-- 'member' rows joined, every other row skipped ('nothing', and nothing
-- changed, when none of them may be applied); then every pending
-- application that may match one of its rows is matched
-- (roster_application_match: the ones the preview promised are
-- accepted, the ones that resemble a row noted); the roster is marked
-- applied (applied_by: whose authority it accepts with, roster_authority)
-- and one audit row says what it did.  Answers 'ok', 'applied' (applied already, also by an apply
-- running at the same moment), 'forbidden', 'not_found', 'nothing'.
CREATE OR REPLACE FUNCTION parta.roster_apply(org bigint, roster bigint, actor bigint,
    lines int[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	ro record;
	actor_role text;
	app bigint;
	n record;
	n_rows bigint;
BEGIN
	SELECT r.created_by, r.class_id, r.applied_at, r.file_name INTO ro
	FROM parta.roster r
	WHERE r.org_id = roster_apply.org AND r.id = roster_apply.roster
	FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF ro.applied_at IS NOT NULL THEN
		RETURN 'applied';
	END IF;
	actor_role := parta.member_role_locked(roster_apply.org,
	    roster_apply.actor);
	IF actor_role <> 'admin' AND NOT (actor_role = 'teacher'
	    AND ro.class_id IS NOT NULL
	    AND parta.homeroom_locked(roster_apply.org, ro.class_id,
	    roster_apply.actor)) THEN
		RETURN 'forbidden';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended(
	    'parta.roster:' || roster_apply.org, 0));

	WITH p AS MATERIALIZED (SELECT * FROM parta.roster_preview(
	    roster_apply.org, roster_apply.roster)),
	u AS (UPDATE parta.roster_row w SET
	    state = CASE WHEN (roster_apply.lines IS NULL
		OR w.line = ANY (roster_apply.lines)) THEN CASE
		WHEN p.outcome IN ('new', 'application') THEN 'expected'
		WHEN p.outcome = 'member' THEN 'joined'
		ELSE 'skipped' END ELSE 'skipped' END,
	    class_id = p.class_id,
	    account_id = CASE WHEN p.outcome = 'member' AND (roster_apply.lines
		IS NULL OR w.line = ANY (roster_apply.lines))
		THEN p.account_id END,
	    joined_at = CASE WHEN p.outcome = 'member' AND (roster_apply.lines
		IS NULL OR w.line = ANY (roster_apply.lines))
		THEN now() END
	FROM p
	WHERE w.org_id = roster_apply.org AND w.roster_id = roster_apply.roster
	AND w.line = p.line
	-- Only when one of the rows chosen may be applied.
	AND EXISTS (SELECT 1 FROM p p2
	    WHERE p2.outcome IN ('new', 'application', 'member')
	    AND (roster_apply.lines IS NULL
		OR p2.line = ANY (roster_apply.lines)))
	RETURNING 1)
	SELECT count(*) INTO n_rows FROM u;
	IF n_rows = 0 THEN
		RETURN 'nothing';
	END IF;

	-- Applied, by actor: their authority accepts (roster_authority).
	UPDATE parta.roster SET applied_at = now(),
	    applied_by = roster_apply.actor
	WHERE org_id = roster_apply.org AND id = roster_apply.roster;

	-- The pending applications that may match one of its rows now
	-- expected, exactly or nearly (same names, phone, e-mail or link:
	-- roster_match), in id order: the
	-- order bulk decisions lock applications in.
	FOR app IN
		SELECT c.id FROM (
			SELECT x.id FROM parta.application x
			JOIN parta.account p ON p.id = x.account_id
			JOIN parta.roster_row rr ON rr.org_id = x.org_id
			    AND rr.roster_id = roster_apply.roster
			    AND rr.state = 'expected' AND rr.phone = p.phone
			WHERE x.org_id = roster_apply.org
			AND x.status = 'pending' AND p.phone_verified
			UNION
			SELECT x.id FROM parta.application x
			JOIN parta.account p ON p.id = x.account_id
			JOIN parta.roster_row rr ON rr.org_id = x.org_id
			    AND rr.roster_id = roster_apply.roster
			    AND rr.state = 'expected' AND rr.email = p.email
			WHERE x.org_id = roster_apply.org
			AND x.status = 'pending' AND p.email_verified
			UNION
			SELECT x.id FROM parta.application x
			JOIN parta.roster_row rr ON rr.org_id = x.org_id
			    AND rr.roster_id = roster_apply.roster
			    AND rr.state = 'expected'
			    AND rr.invite_id = x.invite_id
			WHERE x.org_id = roster_apply.org
			AND x.status = 'pending'
			UNION
			-- By the names: each pending applicant's key computed
			-- once, then looked up among the rows by their kept
			-- key, one probe per applicant (a subplan of its own,
			-- so an index condition, whatever the statistics say
			-- of the rows this transaction just made expected).
			SELECT k.id FROM (
				SELECT x.id, parta.person_key(p.last_name,
				    p.first_name, p.patronymic) AS pkey
				FROM parta.application x
				JOIN parta.account p ON p.id = x.account_id
				WHERE x.org_id = roster_apply.org
				AND x.status = 'pending'
				OFFSET 0) k
			WHERE EXISTS (SELECT 1 FROM parta.roster_row rr
			    WHERE rr.org_id = roster_apply.org
			    AND rr.roster_id = roster_apply.roster
			    AND rr.state = 'expected' AND rr.pkey = k.pkey
			    OFFSET 0)
		) c ORDER BY c.id
	LOOP
		PERFORM parta.roster_application_match(roster_apply.org, app);
	END LOOP;

	SELECT count(*) FILTER (WHERE w.state = 'joined'
		AND w.application_id IS NOT NULL) AS accepted,
	    count(*) FILTER (WHERE w.state = 'expected') AS expected,
	    count(*) FILTER (WHERE w.state = 'joined'
		AND w.application_id IS NULL) AS members,
	    count(*) FILTER (WHERE w.state = 'skipped') AS skipped
	INTO n
	FROM parta.roster_row w
	WHERE w.org_id = roster_apply.org AND w.roster_id = roster_apply.roster;
	PERFORM parta.audit_log(roster_apply.org, roster_apply.actor,
	    'roster_apply', NULL, '№' || roster_apply.roster
	    || CASE WHEN ro.file_name <> '' THEN ' «' || ro.file_name || '»'
		ELSE '' END
	    || ': принято заявок — ' || n.accepted
	    || ', ждём по списку — ' || n.expected
	    || ', уже в организации — ' || n.members
	    || ', пропущено строк — ' || n.skipped);
	RETURN 'ok';
END
$$;
