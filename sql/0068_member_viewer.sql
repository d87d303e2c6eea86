-- Issue 24, the bench of 30 November (21:55 UTC): the big school's
-- invites page touched 2.5 times the shared buffers among 10 000
-- schools that it touched alone, over the issue's 1.5.  Each
-- parta.viewer_role (sql/0064: the request's person's role in a school,
-- read by most of the school's pages) found its one row by member_role
-- (org_id, role, account_id) as an index-only scan, reading every
-- member of the school in the index to match the account (30 buffers
-- for the big school's 3 000), three times on that page.  The role and
-- the verified flag by the primary key's columns, from the index alone.
CREATE INDEX member_viewer ON parta.member (org_id, account_id)
    INCLUDE (role, verified);
