-- Issue 24: the organization's long lists are paged by keyset
-- (lib/pager.h): each page is the 50 rows after the last one shown, in
-- a stable, unique order ending in the row's id.  An index for each
-- order, so that a page of a big school (3,000 members, 50,000 audit
-- events) reads its 51 rows and not the whole list.

-- The order of the members list: administrators, teachers, students.
CREATE FUNCTION parta.member_rank(role text) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE role WHEN 'admin' THEN 0 WHEN 'teacher' THEN 1
	    ELSE 2 END
$$;

-- The audit log, newest first: (at, id) descending within the
-- organization (audit_org has (org_id, at) without the id, which a
-- keyset needs to be unique); by action and by who did it, for the
-- log's filters.
CREATE INDEX audit_org_page ON parta.audit (org_id, at DESC, id DESC);
CREATE INDEX audit_org_action ON parta.audit (org_id, action, at DESC,
    id DESC);
CREATE INDEX audit_org_actor ON parta.audit (org_id, actor_id, at DESC,
    id DESC);

-- The applications queue: pending ones, oldest first, unique by id.
CREATE INDEX application_queue_page ON parta.application (org_id,
    created_at, id) WHERE status = 'pending';

-- The links, newest first: the primary key (org_id, id) serves; by
-- class for the class filter.
CREATE INDEX invite_class_page ON parta.invite (org_id, class_id, id);
