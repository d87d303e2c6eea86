-- Issue 24: every organization page's header counts the applications its
-- reader may decide (lib/org.c); the queue lists them, oldest first.  The
-- count read each pending application's row for its role, class and
-- applicant (the policy's own-row arm): in the large data set those rows
-- lie one to a heap block, and the organization's home read 1.53 times
-- the buffers it reads in the empty one (58 -> 89).  With them in the
-- queue's index the count is read from the index alone (a row the
-- visibility map does not yet call all-visible is still fetched).
-- application_queue (org_id, created_at) is that index's prefix: gone,
-- one index fewer for every application filed.
DROP INDEX parta.application_queue;
DROP INDEX parta.application_queue_page;
CREATE INDEX application_queue_page ON parta.application (org_id,
    created_at, id) INCLUDE (role, class_id, account_id)
    WHERE status = 'pending';
