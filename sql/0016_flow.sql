-- Flow (issue 17): one pending registration request per INN, and when
-- the year's rollover is meant to run.

-- A double click, or two people of one school, filed two requests for
-- one organization and the operator got both.  One pending request per
-- INN: the second is refused by this index (cgi-bin/register.c answers
-- the unique violation with the first request).  Duplicates filed
-- before this index are closed first, the oldest kept, with a reason
-- the applicant reads on the request's page.
UPDATE parta.org_request q SET status = 'rejected',
    reason = 'Повторная заявка: заявка на организацию с этим ИНН уже '
	|| 'подана (№ ' || k.id || ') и рассматривается.',
    decided_at = now()
FROM (SELECT DISTINCT ON (inn) inn, id FROM parta.org_request
    WHERE status = 'pending' ORDER BY inn, created_at, id) k
WHERE q.status = 'pending' AND q.inn = k.inn AND q.id <> k.id;
CREATE UNIQUE INDEX org_request_one_pending ON parta.org_request (inn)
	WHERE status = 'pending';

-- The rollover of academic year p_from is early while that year is
-- still running: a school year runs from 1 September to the end of May
-- (June for exams), so the move to the next one belongs to the summer,
-- June to August, once the year is over.  Early means before 1 June of
-- p_from + 1 in the organization's region; p_at is the moment asked
-- about (now, or any moment for a test).
CREATE FUNCTION parta.rollover_early(p_org bigint, p_from int,
    p_at timestamptz DEFAULT now()) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT (p_at AT TIME ZONE r.tz) < make_date(p_from + 1, 6, 1)
	FROM parta.org o JOIN parta.region r ON r.code = o.region
	WHERE o.id = p_org
$$;
