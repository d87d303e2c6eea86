-- Issue 24, the bench of 1 December: the audit log's filter names the
-- school's staff (cgi-bin/approve.c, q_audit_people), by role and in
-- name order.  Planned for an organization of average size (ten members
-- among 10 000 schools), it read the big school's 3 000 members through
-- member_viewer and kept the 150 staff (60 buffers, 0.5 ms; 9 among one
-- school, through member_role).  The staff alone, in the list's order,
-- from the index alone: 5 buffers, 0.07 ms, whatever the school's size.
CREATE INDEX member_staff ON parta.member (org_id, sort_last_name,
    sort_first_name, account_id) INCLUDE (sort_patronymic)
    WHERE role IN ('admin', 'teacher');
