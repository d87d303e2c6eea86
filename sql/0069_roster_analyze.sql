-- A school's new roster rows in the statistics, whatever their share of
-- the table (issue 24; found by test_roster on a database the tests had
-- run on before).  0029's rule analysed roster_row after an upload only
-- when the new rows were over a tenth of the rows its statistics
-- counted.  A school's first roster of 300 rows among 5 000 others was
-- then unknown to them: the planner took the school for one row, and
-- parta.roster_application_match (sql/0055) looked each application's
-- name up by the primary key's org_id alone, reading every row of the
-- school once per application (300 rows x 40 applications, 14 820 rows
-- read by one apply instead of 1 020) instead of by
-- roster_row_expected_name.  ANALYZE reads a sample of at most 300 x
-- the statistics target rows (30 000), so its cost is bounded whatever
-- the table's size; an upload is rare.  SECURITY DEFINER: ANALYZE is the
-- table owner's.  Answers true.
CREATE OR REPLACE FUNCTION parta.roster_rows_analyze(new_rows int)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
	ANALYZE parta.roster_row;
	RETURN true;
END
$$;
