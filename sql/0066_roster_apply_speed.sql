-- A roster's preview, and so its apply, in time linear in its rows
-- (issue 23).  roster_preview matched the rows with the organization's
-- members and pending applications by a join of the rows' kept keys with
-- parta.person_key of each account, a join whose shape was the planner's:
-- with a roster or a queue estimated small (a roster just uploaded, a
-- queue grown since the statistics were taken, members at the start of
-- the accounts' ids) it chose nested loops that computed an account's
-- key once per pair.  Measured on a bench-like organization (12 000
-- accounts, 10 000 pending applications of other names): 1 000 rows,
-- the preview 42 s, the apply (which runs it) 31 s, the preview page
-- nginx's 504; 5 000 rows, two loops of 60 385 000 pairs each, 585 s
-- under EXPLAIN ANALYZE.  Now the accounts named as the rows are found
-- once, by the accounts' key index for the file's keys at once (0055's
-- account_person_key: each key computed once), and the members and
-- applications joined are theirs; and every set joined back to the
-- rows is made once (a nested loop had the classes' lookups, the other
-- rosters' rows and the matches made again for every row: the work of
-- 600 rows 14 times that of 150).  5 000 rows: the preview 0.2-0.4 s, the
-- apply 0.5-1.6 s.  test_roster counts the preview's work with nested
-- loops forced.
-- The outcomes are the same for the same data.

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
	-- (0066: each set joined back to the rows is MATERIALIZED, made
	-- once: a nested loop, the planner's join when it takes the roster
	-- for a row, rescans what was stored instead of making it again for
	-- every row: the classes' lookups, the other rosters' rows, the
	-- members' and the applications' matches.)
	resolved AS MATERIALIZED (
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
	dup_other AS MATERIALIZED (
		SELECT DISTINCT w.line FROM w JOIN other o ON o.pkey = w.pkey
		    AND o.role = w.role
		    AND o.birth_date IS NOT DISTINCT FROM w.birth_date
		    AND (w.birth_date IS NOT NULL
			OR o.class_id IS NOT DISTINCT FROM w.cls)
	),
	-- The accounts named as a row is, found by the accounts' key index
	-- (0055's account_person_key) for the file's keys at once: each
	-- account's key computed once, and joined with the rows by it
	-- (0066).  The organization's members and pending applications
	-- were joined with the rows by their accounts' computed keys, a join
	-- the planner shaped: with a roster or a queue estimated at a row,
	-- a nested loop computed one key per pair (1 000 rows and 12 000
	-- accounts: 42 s; 5 000 rows and 10 000 pending applications, which
	-- the statistics had not counted yet: minutes).
	namesake AS MATERIALIZED (
		SELECT a.id,
		    CASE WHEN a.phone_verified THEN a.phone END AS phone,
		    CASE WHEN a.email_verified THEN a.email END AS email,
		    parta.person_key(a.last_name, a.first_name, a.patronymic)
			AS pkey,
		    a.birth_date
		FROM parta.account a
		WHERE parta.person_key(a.last_name, a.first_name, a.patronymic)
		    = ANY (ARRAY(SELECT DISTINCT w.pkey FROM w))
	),
	-- The organization's members named so, as applicants of their role.
	mem AS (
		SELECT m.account_id,
		    CASE m.role WHEN 'student' THEN 'student' ELSE 'teacher'
			END AS role,
		    n.phone, n.email, n.pkey, n.birth_date
		FROM namesake n JOIN parta.member m
		    ON m.org_id = roster_preview.org AND m.account_id = n.id
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
	mem_hit AS MATERIALIZED (
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
	-- The organization's pending applications of people named so.
	app AS (
		SELECT x.id, x.account_id, x.role, x.class_id, x.invite_id,
		    n.phone, n.email, n.pkey, n.birth_date
		FROM namesake n JOIN parta.application x
		    ON x.org_id = roster_preview.org AND x.account_id = n.id
		    AND x.status = 'pending'
	),
	-- Only exact matches are accepted at apply: by the same names.
	app_pair AS (
		SELECT b.line, x.id, x.account_id, x.class_id, x.role,
		    b.maker_admin, b.roster_class,
		    parta.roster_match(b.role, b.phone, b.email, b.pkey,
		    b.birth_date, b.cls, b.invite_id, x.role, x.phone, x.email,
		    x.pkey, x.birth_date, x.class_id, x.invite_id) AS how
		FROM nw b JOIN app x ON x.pkey = b.pkey
	),
	app_exact AS (
		SELECT ap.line, ap.id, ap.account_id, ap.class_id, ap.role,
		    ap.maker_admin, ap.roster_class,
		    count(*) OVER (PARTITION BY ap.line) AS per_row,
		    count(*) OVER (PARTITION BY ap.id) AS per_app
		FROM app_pair ap WHERE ap.how = 'exact'
	),
	-- Accepted at apply: the one application matching the row, which
	-- matches no other row, and which the roster may accept
	-- (application_decide: a homeroom teacher, applications for their
	-- class).
	app_hit AS MATERIALIZED (
		SELECT e.line, e.id, e.account_id FROM app_exact e
		WHERE e.per_row = 1 AND e.per_app = 1
		AND (e.maker_admin OR (e.role = 'student'
		    AND e.class_id = e.roster_class))
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
