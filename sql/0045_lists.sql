-- Issue 24: the organization's long lists are paged by keyset
-- (lib/pager.h): each page is the 50 rows after the last one shown, in
-- a stable, unique order ending in the row's id.  An index for each
-- order, so that a page of a big school (3 000 members, 50 000 audit
-- events) reads its 51 rows and not the whole list, under the generic
-- plans the programs run (lib/db.c): a filter written "$n IS NULL OR
-- col = $n" is no index condition there, so the order's index is walked
-- and the filter checked on the way.

-- The order of the members list: administrators, teachers, students.
CREATE FUNCTION parta.member_rank(role text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE role WHEN 'admin' THEN 0 WHEN 'teacher' THEN 1
	    ELSE 2 END
$$;

-- The audit log, newest first: (at, id) descending within the
-- organization (audit_org has (org_id, at) without the id, which a
-- keyset needs to be unique).  Its total under the log's filters (who,
-- what) is counted from the index alone: 50 000 entries in a few
-- milliseconds, where the table's heap took 20.
CREATE INDEX audit_org_page ON parta.audit (org_id, at DESC, id DESC);
CREATE INDEX audit_org_count ON parta.audit (org_id, actor_id, action);

-- The applications queue: pending ones, oldest first, unique by id.
CREATE INDEX application_queue_page ON parta.application (org_id,
    created_at, id) WHERE status = 'pending';

-- A member's classes, read for each row of the members list: with the
-- class in the index, from the index alone (the primary key, led by
-- the class, scanned all the school's entries for each member).
DROP INDEX parta.class_member_account;
CREATE INDEX class_member_account ON parta.class_member (org_id,
    account_id, class_id);

-- The links, newest first, and the classes, by year: the primary keys
-- (org_id, id) and a sort of the school's 120 to 560 classes serve.
