-- A member's current classes by name, as the members list and its CSV
-- show them (cgi-bin/org.c): one place for both.  A set-returning SQL
-- function of one SELECT, so that the planner inlines it into the
-- calling statement (a lateral subquery: each class found by its key,
-- under the caller's policies), not a call planned anew for each row.
CREATE FUNCTION parta.member_classes(org bigint, person bigint)
RETURNS TABLE (names text) LANGUAGE sql STABLE AS $$
	SELECT coalesce(string_agg(parta.class_name(c.grade, c.letter,
	    c.title), ', ' ORDER BY c.grade, c.letter), '')
	FROM parta.class_member cm JOIN parta.class c
	ON c.org_id = cm.org_id AND c.id = cm.class_id
	WHERE cm.org_id = org AND cm.account_id = person
	AND c.archived_at IS NULL
$$;
