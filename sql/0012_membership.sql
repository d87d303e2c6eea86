-- Membership: who belongs where, from joining to leaving, decided here.
--
-- Every way out of an organization or a class (a removal, leaving, the
-- operator taking an administrator away, a class archived or rolled
-- over, a homeroom teacher unassigned, a subject teacher taken out, a
-- student moved) ends in a DELETE of a row of parta.member or
-- parta.class_member, and the triggers below end what that row granted,
-- in the same transaction, whoever deletes it: class chats, school chats
-- and channels, direct chats opened through the organization (closed,
-- read-only for the other side), the invite links the person made, their
-- pending applications.  The ways out themselves are functions
-- (member_end, student_move, subject_teacher_add/remove, homeroom_set/
-- unset, member_unbar), each writing one audit row in Russian words; the
-- programs reach them through lib/member.c only.
--
-- Races: a way out first locks the row it deletes (FOR UPDATE); every
-- use of an access (a message, a decision, a link followed, an invite
-- made, a class or chat joined) locks the row that grants it FOR SHARE
-- before it acts, in a trigger, and reads again after waiting (plpgsql
-- takes a new snapshot per statement).  So a use either commits before
-- the way out (which then ends it) or sees that the access is gone.
--
-- The functions answer with a word the lib maps to an HTTP status; the
-- triggers refuse with these SQLSTATEs (lib/db.h):
--   PA403  the person may not do this (no longer a member, a reviewer...)
--   PA409  the thing is closed (archived class, closed direct chat)
--   PAB03  the person was removed from the organization and is barred

-- A removed person may not come back by a link or an application until
-- an administrator lifts the bar.  A person who left is not barred.
CREATE TABLE parta.member_bar (
	org_id		bigint NOT NULL REFERENCES parta.org,
	account_id	bigint NOT NULL REFERENCES parta.account,
	barred_by	bigint REFERENCES parta.account,
	barred_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, account_id)
);

-- A pending application ends "closed" when its applicant leaves or is
-- removed: no reviewer decided it.
ALTER TABLE parta.application DROP CONSTRAINT application_status_check;
ALTER TABLE parta.application ADD CONSTRAINT application_status_check
	CHECK (status IN ('pending', 'accepted', 'rejected', 'withdrawn',
	'closed'));

-- A direct chat whose other side left the organization is closed: its
-- history stays, nobody writes in it.
ALTER TABLE parta.chat ADD COLUMN closed_at timestamptz;

-- One staff class per organization and year: it gathers all teachers.
CREATE UNIQUE INDEX class_one_staff ON parta.class (org_id, year)
	WHERE kind = 'staff';

CREATE INDEX invite_class_creator ON parta.invite (org_id, class_id,
	created_by) WHERE revoked_at IS NULL;

-- How a class is named on every page: "9А · ФизМат", "9А", "Учительская".
CREATE FUNCTION parta.class_name(grade smallint, letter text, title text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(concat_ws(' · ', nullif(concat(grade, letter), ''),
	    nullif(title, '')), '')
$$;

CREATE FUNCTION parta.class_name_of(p_org bigint, p_class bigint)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT parta.class_name(grade, letter, title) FROM parta.class
	WHERE org_id = p_org AND id = p_class
$$;

-- Where class p_class of p_org is now: itself while open, else the first
-- open class along the rollover's next_id chain (9Г of 2025 archived
-- into 10Г of 2026...), or NULL when the chain ends in the archive.
CREATE FUNCTION parta.class_current(p_org bigint, p_class bigint)
RETURNS bigint LANGUAGE sql STABLE AS $$
	WITH RECURSIVE chain (id, archived, next_id, depth) AS (
		SELECT id, archived_at IS NOT NULL, next_id, 0
		FROM parta.class WHERE org_id = p_org AND id = p_class
		UNION ALL
		SELECT k.id, k.archived_at IS NOT NULL, k.next_id, c.depth + 1
		FROM chain c JOIN parta.class k
		ON k.org_id = p_org AND k.id = c.next_id
		WHERE c.archived AND c.depth < 100
	)
	SELECT id FROM chain WHERE NOT archived ORDER BY depth LIMIT 1
$$;

-- The academic year of an organization: it starts in September where
-- the organization is (its region's time zone).
CREATE FUNCTION parta.org_year(p_org bigint) RETURNS int
LANGUAGE sql STABLE AS $$
	SELECT extract(year FROM (now() AT TIME ZONE r.tz)
	    - interval '8 months')::int
	FROM parta.org o JOIN parta.region r ON r.code = o.region
	WHERE o.id = p_org
$$;

-- Audit: every action has its Russian name here, and the foreign key
-- keeps an action without one out of the log.  The detail column is a
-- sentence for a person, never an internal code.
CREATE TABLE parta.audit_action (
	code		text PRIMARY KEY,
	name		text NOT NULL
);
INSERT INTO parta.audit_action (code, name) VALUES
	('application_accept', 'Заявка принята'),
	('application_reject', 'Заявка отклонена'),
	('application_withdraw', 'Заявка отозвана заявителем'),
	('admin_grant_applied', 'Получены права администратора'),
	('admin_grant', 'Назначен администратор'),
	('admin_change', 'Администратор привязан к номеру телефона'),
	('admin_revoke', 'Сняты права администратора'),
	('admin_remove', 'Администратор снят оператором'),
	('member_remove', 'Исключён из организации'),
	('member_leave', 'Вышел из организации'),
	('member_unbar', 'Снят запрет на возвращение'),
	('student_move', 'Ученик переведён в другой класс'),
	('teacher_add', 'Назначен учителем класса'),
	('teacher_remove', 'Снят с преподавания в классе'),
	('homeroom_set', 'Назначен классный руководитель'),
	('homeroom_change', 'Сменён классный руководитель'),
	('homeroom_assign', 'Назначен классный руководитель'),
	('homeroom_unassign', 'Снят классный руководитель'),
	('invite_revoke', 'Ссылка-приглашение отозвана'),
	('invite_revoked', 'Ссылка-приглашение отозвана'),
	('class_archive', 'Класс перенесён в архив'),
	('class_restore', 'Класс возвращён из архива'),
	('class_rollover', 'Переход на новый учебный год'),
	('chat_message_delete', 'Сообщение удалено'),
	('chat_member_remove', 'Удалён из чата'),
	('org_request_approve', 'Заявка на регистрацию одобрена'),
	('org_request_reject', 'Заявка на регистрацию отклонена'),
	('guardian_confirmed', 'Подтверждён родитель');
INSERT INTO parta.audit_action (code, name)
SELECT DISTINCT action, action FROM parta.audit
ON CONFLICT DO NOTHING;
ALTER TABLE parta.audit ADD CONSTRAINT audit_action_known
	FOREIGN KEY (action) REFERENCES parta.audit_action;
CREATE INDEX audit_target ON parta.audit (org_id, target_id);

-- The row's time is the moment the event took effect, after everything
-- it ended (not the start of its transaction, which may have waited for
-- uses of the access under way): a use later than it did not happen
-- while the access lasted.
CREATE FUNCTION parta.audit_log(p_org bigint, p_actor bigint, p_action text,
    p_target bigint, p_detail text) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO parta.audit (org_id, actor_id, action, target_id, detail,
	    at)
	VALUES (p_org, p_actor, p_action, p_target, coalesce(p_detail, ''),
	    clock_timestamp())
$$;

-- Who the person is to an organization, locked against a concurrent way
-- out: their member role, or '' when not a member (or being removed:
-- the lock waits for that to commit and then finds no row).
CREATE FUNCTION parta.member_role_locked(p_org bigint, p_account bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	SELECT role INTO r FROM parta.member
	WHERE org_id = p_org AND account_id = p_account FOR SHARE;
	RETURN coalesce(r, '');
END
$$;

CREATE FUNCTION parta.is_barred(p_org bigint, p_account bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.member_bar
	    WHERE org_id = p_org AND account_id = p_account)
$$;

-- The homeroom teacher of a current class, locked the same way.
CREATE FUNCTION parta.homeroom_locked(p_org bigint, p_class bigint,
    p_account bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM parta.class_member cm JOIN parta.class k
	    ON k.org_id = cm.org_id AND k.id = cm.class_id
	WHERE cm.org_id = p_org AND cm.class_id = p_class
	AND cm.account_id = p_account AND cm.role = 'homeroom'
	AND k.archived_at IS NULL FOR SHARE OF cm;
	RETURN FOUND;
END
$$;

-- The chats of class p_class that person p_account belongs in, made so:
-- the students' chat for everyone of the class (its admin: the homeroom
-- teacher), the parents' chat for its teachers and for the guardians of
-- its students.  Joins only an open class's chats; leaves any.  Called by
-- the triggers on class_member and guardian, the one place this is said.
CREATE FUNCTION parta.class_chats_sync(p_org bigint, p_class bigint,
    p_account bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	in_class boolean;
	homeroom boolean;
	staff boolean;
	guardian boolean;
	open boolean;
BEGIN
	SELECT bool_or(true), coalesce(bool_or(role = 'homeroom'), false),
	    coalesce(bool_or(role IN ('teacher', 'homeroom')), false)
	INTO in_class, homeroom, staff
	FROM parta.class_member
	WHERE org_id = p_org AND class_id = p_class AND account_id = p_account;
	in_class := coalesce(in_class, false);
	SELECT EXISTS (SELECT 1 FROM parta.guardian g JOIN parta.class_member s
	    ON s.account_id = g.child_id AND s.role = 'student'
	    WHERE g.parent_id = p_account AND s.org_id = p_org
	    AND s.class_id = p_class) INTO guardian;
	SELECT archived_at IS NULL INTO open FROM parta.class
	WHERE org_id = p_org AND id = p_class;

	DELETE FROM parta.chat_member cm USING parta.chat c
	WHERE c.org_id = p_org AND c.class_id = p_class
	AND cm.org_id = c.org_id AND cm.chat_id = c.id
	AND cm.account_id = p_account
	AND ((c.purpose = 'students' AND NOT in_class)
	    OR (c.purpose = 'parents' AND NOT staff AND NOT guardian));
	UPDATE parta.chat_member cm SET is_admin = homeroom
	FROM parta.chat c
	WHERE c.org_id = p_org AND c.class_id = p_class
	AND c.purpose IN ('students', 'parents')
	AND cm.org_id = c.org_id AND cm.chat_id = c.id
	AND cm.account_id = p_account AND cm.is_admin <> homeroom;
	-- A parent removed from the school (they worked there) is barred:
	-- they keep the parents' chats they are in, join no new one, and
	-- their child's joins and moves go on (chat_member_admit would
	-- refuse the whole statement).
	IF open AND NOT parta.is_barred(p_org, p_account) THEN
		INSERT INTO parta.chat_member (org_id, chat_id, account_id,
		    is_admin)
		SELECT c.org_id, c.id, p_account, homeroom FROM parta.chat c
		WHERE c.org_id = p_org AND c.class_id = p_class
		AND ((c.purpose = 'students' AND in_class)
		    OR (c.purpose = 'parents' AND (staff OR guardian)))
		ON CONFLICT DO NOTHING;
	END IF;
END
$$;

-- class_member: the account must be a member in a fitting role (a
-- student row for a student, a teacher row for staff), locked against
-- its removal.  The rollover, an accept, a move: all pass here.
CREATE FUNCTION parta.class_member_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	r := parta.member_role_locked(NEW.org_id, NEW.account_id);
	IF (NEW.role = 'student' AND r <> 'student')
	    OR (NEW.role <> 'student' AND r NOT IN ('teacher', 'admin')) THEN
		RAISE EXCEPTION 'account % is not a % of organization %',
		    NEW.account_id, NEW.role, NEW.org_id
		USING ERRCODE = 'PA403';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER class_member_admit BEFORE INSERT ON parta.class_member
	FOR EACH ROW EXECUTE FUNCTION parta.class_member_admit();

CREATE OR REPLACE FUNCTION parta.chat_class_joined() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.class_chats_sync(NEW.org_id, NEW.class_id,
	    NEW.account_id);
	IF NEW.role = 'student' THEN
		PERFORM parta.class_chats_sync(NEW.org_id, NEW.class_id,
		    g.parent_id)
		FROM parta.guardian g WHERE g.child_id = NEW.account_id;
	END IF;
	RETURN NULL;
END
$$;

-- Leaving a class: its chats, and the links the person made for it as
-- its homeroom teacher (an administrator's links stay: they may make
-- links for any class).
CREATE OR REPLACE FUNCTION parta.chat_class_left() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.class_chats_sync(OLD.org_id, OLD.class_id,
	    OLD.account_id);
	IF OLD.role = 'student' THEN
		PERFORM parta.class_chats_sync(OLD.org_id, OLD.class_id,
		    g.parent_id)
		FROM parta.guardian g WHERE g.child_id = OLD.account_id;
	ELSIF OLD.role = 'homeroom' THEN
		UPDATE parta.invite SET revoked_at = now()
		WHERE org_id = OLD.org_id AND class_id = OLD.class_id
		AND created_by = OLD.account_id AND revoked_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM parta.member m
		    WHERE m.org_id = OLD.org_id
		    AND m.account_id = OLD.account_id AND m.role = 'admin');
	END IF;
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION parta.chat_guardian_confirmed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.class_chats_sync(s.org_id, s.class_id, NEW.parent_id)
	FROM parta.class_member s
	WHERE s.account_id = NEW.child_id AND s.role = 'student';
	RETURN NULL;
END
$$;

CREATE FUNCTION parta.chat_guardian_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.class_chats_sync(s.org_id, s.class_id, OLD.parent_id)
	FROM parta.class_member s
	WHERE s.account_id = OLD.child_id AND s.role = 'student';
	RETURN NULL;
END
$$;
CREATE TRIGGER chat_guardian_ended AFTER DELETE ON parta.guardian
	FOR EACH ROW EXECUTE FUNCTION parta.chat_guardian_ended();

-- Leaving the organization (any way): school chats and channels (the
-- 0008 trigger), then the links the person made, their pending
-- applications, the direct chats their membership related them by.
CREATE FUNCTION parta.member_left() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM parta.class_member
	WHERE org_id = OLD.org_id AND account_id = OLD.account_id;
	UPDATE parta.invite SET revoked_at = now()
	WHERE org_id = OLD.org_id AND created_by = OLD.account_id
	AND revoked_at IS NULL;
	UPDATE parta.application SET status = 'closed', decided_at = now(),
	    reason = 'Вы больше не состоите в организации'
	WHERE org_id = OLD.org_id AND account_id = OLD.account_id
	AND status = 'pending';
	PERFORM parta.direct_chats_refresh(OLD.org_id, OLD.account_id);
	RETURN NULL;
END
$$;
CREATE TRIGGER member_left AFTER DELETE ON parta.member
	FOR EACH ROW EXECUTE FUNCTION parta.member_left();

-- Joining: a teacher joins the staff class of the current year.  (A
-- closed direct chat opens again when its pair is related again, through
-- a class: direct_chats_refresh.)
CREATE FUNCTION parta.member_joined() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.role = 'teacher' THEN
		INSERT INTO parta.class_member (org_id, class_id, account_id,
		    role)
		SELECT k.org_id, k.id, NEW.account_id, 'teacher'
		FROM parta.class k
		WHERE k.org_id = NEW.org_id AND k.kind = 'staff'
		AND k.year = parta.org_year(NEW.org_id)
		AND k.archived_at IS NULL
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER member_joined AFTER INSERT OR UPDATE OF role
	ON parta.member
	FOR EACH ROW EXECUTE FUNCTION parta.member_joined();

-- A new staff class gathers the organization's teachers.
CREATE FUNCTION parta.class_staff_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO parta.class_member (org_id, class_id, account_id, role)
	SELECT m.org_id, NEW.id, m.account_id, 'teacher'
	FROM parta.member m
	WHERE m.org_id = NEW.org_id AND m.role = 'teacher'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER class_staff_created AFTER INSERT ON parta.class
	FOR EACH ROW WHEN (NEW.kind = 'staff' AND NEW.archived_at IS NULL)
	EXECUTE FUNCTION parta.class_staff_created();

-- chat_member and application: a removed person does not come back by a
-- chat link, an invite link or an application of their own, and a
-- member's own joins wait for a way out in progress.
CREATE FUNCTION parta.bar_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.member_role_locked(NEW.org_id, NEW.account_id);
	IF parta.is_barred(NEW.org_id, NEW.account_id) THEN
		RAISE EXCEPTION 'account % is barred from organization %',
		    NEW.account_id, NEW.org_id
		USING ERRCODE = 'PAB03';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER chat_member_admit BEFORE INSERT ON parta.chat_member
	FOR EACH ROW EXECUTE FUNCTION parta.bar_admit();
CREATE TRIGGER application_admit BEFORE INSERT ON parta.application
	FOR EACH ROW EXECUTE FUNCTION parta.bar_admit();

-- invite: made by an administrator, or by the homeroom teacher of the
-- link's class for its students (DESIGN.md, "Invite link"), at the
-- moment it is made.
CREATE FUNCTION parta.invite_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	r text;
BEGIN
	r := parta.member_role_locked(NEW.org_id, NEW.created_by);
	IF r = 'admin' OR (r = 'teacher' AND NEW.role = 'student'
	    AND parta.homeroom_locked(NEW.org_id, NEW.class_id,
	    NEW.created_by)) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'account % may not make this link', NEW.created_by
	USING ERRCODE = 'PA403';
END
$$;
CREATE TRIGGER invite_admit BEFORE INSERT ON parta.invite
	FOR EACH ROW EXECUTE FUNCTION parta.invite_admit();

-- message: only a member of the chat writes, and not in a closed chat.
-- The chat_member row is locked, so a removal in progress is waited for.
CREATE OR REPLACE FUNCTION parta.chat_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	archived boolean;
	closed boolean;
BEGIN
	SELECT k.archived_at IS NOT NULL INTO archived
	FROM parta.chat c JOIN parta.class k
	ON k.org_id = c.org_id AND k.id = c.class_id
	WHERE c.org_id = NEW.org_id AND c.id = NEW.chat_id
	FOR SHARE OF k;
	IF archived THEN
		RAISE EXCEPTION 'chat % belongs to an archived class',
		    NEW.chat_id
		USING ERRCODE = 'check_violation';
	END IF;
	SELECT c.closed_at IS NOT NULL INTO closed FROM parta.chat c
	WHERE c.org_id = NEW.org_id AND c.id = NEW.chat_id;
	IF closed THEN
		RAISE EXCEPTION 'chat % is closed', NEW.chat_id
		USING ERRCODE = 'PA409';
	END IF;
	RETURN NEW;
END
$$;

-- A direct chat closes when its other side leaves (member_left, after
-- their chat_member rows are gone): its row is locked here after the
-- writer's membership, the order a way out takes them in, so a message
-- commits before the chat closes or finds it closed, and never waits in
-- a cycle with the way out.  chat_open's look without a lock spares the
-- wait when the chat is long closed.
CREATE FUNCTION parta.message_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	closed boolean;
BEGIN
	PERFORM 1 FROM parta.chat_member
	WHERE org_id = NEW.org_id AND chat_id = NEW.chat_id
	AND account_id = NEW.author_id FOR KEY SHARE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'account % is not in chat %', NEW.author_id,
		    NEW.chat_id
		USING ERRCODE = 'PA403';
	END IF;
	SELECT closed_at IS NOT NULL INTO closed FROM parta.chat
	WHERE org_id = NEW.org_id AND id = NEW.chat_id AND purpose = 'direct'
	FOR SHARE;
	IF closed THEN
		RAISE EXCEPTION 'chat % is closed', NEW.chat_id
		USING ERRCODE = 'PA409';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER message_admit BEFORE INSERT ON parta.message
	FOR EACH ROW EXECUTE FUNCTION parta.message_admit();

-- One application per person and link, while it counts: someone who
-- was accepted and then left, or whose application closed when they
-- left, may follow the link again (a rejection or a withdrawal stands:
-- DESIGN.md, "a rejected person may be invited again by a new link").
DROP INDEX parta.application_one_per_invite;
CREATE UNIQUE INDEX application_one_per_invite ON parta.application
	(org_id, invite_id, account_id) WHERE invite_id IS NOT NULL
	AND status IN ('pending', 'rejected', 'withdrawn');

-- Archiving a class (by hand or by the rollover) ends its invite links:
-- nobody can be accepted into it any more.  Its people's direct chats
-- follow (they hold through a current class): closed, or open again
-- when the class is restored.
CREATE FUNCTION parta.class_archived() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.archived_at IS NOT NULL THEN
		UPDATE parta.invite SET revoked_at = now()
		WHERE org_id = NEW.org_id AND class_id = NEW.id
		AND revoked_at IS NULL;
	END IF;
	PERFORM parta.direct_chats_refresh(cm.org_id, cm.account_id)
	FROM parta.class_member cm
	WHERE cm.org_id = NEW.org_id AND cm.class_id = NEW.id;
	RETURN NULL;
END
$$;

-- Direct chats: a guardian may write to their child while the child is a
-- student of a current class of the organization, and to a teacher of
-- that class (DESIGN.md: parents talk to the child's teachers).  The one
-- statement of that rule; chat.c opens chats by it, and a chat whose
-- pair it no longer holds is closed (readable, nobody writes), open again
-- when it holds again.
CREATE FUNCTION parta.direct_related(p_org bigint, p_guardian bigint,
    p_peer bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (
		SELECT 1 FROM parta.guardian g
		JOIN parta.class_member s ON s.account_id = g.child_id
		    AND s.role = 'student' AND s.org_id = p_org
		JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id
		    AND k.archived_at IS NULL
		WHERE g.parent_id = p_guardian
		AND (g.child_id = p_peer OR EXISTS (
		    SELECT 1 FROM parta.class_member t
		    JOIN parta.member tm ON tm.org_id = t.org_id
			AND tm.account_id = t.account_id
		    WHERE t.org_id = s.org_id AND t.class_id = s.class_id
		    AND t.account_id = p_peer
		    AND t.role IN ('teacher', 'homeroom'))))
$$;

-- The direct chats of p_org that p_account's change may touch (as the
-- peer, as the guardian, or through a child), closed or opened again
-- by the rule above.
CREATE FUNCTION parta.direct_chats_refresh(p_org bigint, p_account bigint)
RETURNS void
LANGUAGE sql AS $$
	UPDATE parta.chat c SET closed_at = CASE
	    WHEN parta.direct_related(c.org_id, c.guardian_id, c.peer_id)
	    THEN NULL ELSE coalesce(c.closed_at, now()) END
	WHERE c.org_id = p_org AND c.purpose = 'direct'
	AND (c.peer_id = p_account OR c.guardian_id = p_account
	    OR c.guardian_id IN (SELECT g.parent_id FROM parta.guardian g
		WHERE g.child_id = p_account))
	AND (c.closed_at IS NULL) <>
	    parta.direct_related(c.org_id, c.guardian_id, c.peer_id)
$$;

CREATE TRIGGER class_archived AFTER UPDATE OF archived_at ON parta.class
	FOR EACH ROW WHEN (OLD.archived_at IS DISTINCT FROM NEW.archived_at)
	EXECUTE FUNCTION parta.class_archived();

CREATE FUNCTION parta.direct_class_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM parta.direct_chats_refresh(OLD.org_id, OLD.account_id);
	ELSE
		PERFORM parta.direct_chats_refresh(NEW.org_id, NEW.account_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER direct_class_changed AFTER INSERT OR DELETE
	ON parta.class_member
	FOR EACH ROW EXECUTE FUNCTION parta.direct_class_changed();

-- The ways out.

-- A person leaves organization p_org, or is taken out of it:
--   p_how 'removed'        by an administrator (p_actor); not another
--                          administrator; barred
--   p_how 'admin_removed'  an administrator, by the operator (or
--                          parta-admin, p_actor NULL); their grants end;
--                          barred
--   p_how 'left'           by themselves; not the last administrator
-- Answers 'ok', 'not_member' (or not an administrator, for
-- admin_removed), 'admin' (an administrator cannot remove another),
-- 'last_admin'.  Everything the membership granted ends by the triggers.
CREATE FUNCTION parta.member_end(p_org bigint, p_account bigint,
    p_actor bigint, p_how text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	r text;
	n int;
	links int;
	words text;
BEGIN
	IF p_how NOT IN ('removed', 'admin_removed', 'left') THEN
		RAISE EXCEPTION 'member_end: how %', p_how;
	END IF;
	SELECT role INTO r FROM parta.member
	WHERE org_id = p_org AND account_id = p_account FOR UPDATE;
	IF r IS NULL OR (p_how = 'admin_removed' AND r <> 'admin') THEN
		RETURN 'not_member';
	END IF;
	IF p_how = 'removed' AND r = 'admin' THEN
		RETURN 'admin';
	END IF;
	IF p_how = 'left' AND r = 'admin' THEN
		-- Administrators leaving at once take turns here, each
		-- counting after the one before has gone.
		PERFORM 1 FROM parta.org WHERE id = p_org FOR NO KEY UPDATE;
		SELECT count(*) INTO n FROM parta.member
		WHERE org_id = p_org AND role = 'admin'
		AND account_id <> p_account;
		IF n = 0 THEN
			RETURN 'last_admin';
		END IF;
	END IF;

	DELETE FROM parta.class_member
	WHERE org_id = p_org AND account_id = p_account;
	DELETE FROM parta.member
	WHERE org_id = p_org AND account_id = p_account;
	IF r = 'admin' THEN
		UPDATE parta.admin_grant SET revoked_at = now(),
		    revoked_by = p_actor
		WHERE org_id = p_org AND account_id = p_account
		AND revoked_at IS NULL;
	END IF;
	IF p_how <> 'left' THEN
		INSERT INTO parta.member_bar (org_id, account_id, barred_by)
		VALUES (p_org, p_account, p_actor)
		ON CONFLICT DO NOTHING;
	END IF;

	SELECT count(*) INTO links FROM parta.invite
	WHERE org_id = p_org AND created_by = p_account
	AND revoked_at = now();
	words := CASE p_how
	    WHEN 'removed' THEN 'исключён из организации'
	    WHEN 'admin_removed' THEN 'снят с должности администратора '
		'и исключён из организации'
	    ELSE 'вышел из организации' END;
	IF links > 0 THEN
		words := words || '; отозвано ссылок-приглашений: ' || links;
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, CASE p_how
	    WHEN 'removed' THEN 'member_remove'
	    WHEN 'admin_removed' THEN 'admin_remove'
	    ELSE 'member_leave' END, p_account, words);
	RETURN 'ok';
END
$$;

-- Lift the bar a removal put: 'ok' or 'not_barred'.
CREATE FUNCTION parta.member_unbar(p_org bigint, p_account bigint,
    p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM parta.member_bar
	WHERE org_id = p_org AND account_id = p_account;
	IF NOT FOUND THEN
		RETURN 'not_barred';
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, 'member_unbar', p_account,
	    'может снова вступить по ссылке или заявке');
	RETURN 'ok';
END
$$;

-- May p_actor change the people of class p_class: an administrator, or
-- its homeroom teacher (locked, see above).
CREATE FUNCTION parta.class_manager(p_org bigint, p_class bigint,
    p_actor bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	RETURN parta.member_role_locked(p_org, p_actor) = 'admin'
	    OR parta.homeroom_locked(p_org, p_class, p_actor);
END
$$;

-- Move student p_account of p_org from their current class into class
-- p_to: 'ok', 'not_student' (no current class), 'same', 'class' (not an
-- open school class of the organization), 'forbidden' (p_actor is
-- neither an administrator nor the homeroom teacher of both classes).
CREATE FUNCTION parta.student_move(p_org bigint, p_account bigint,
    p_to bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	from_id bigint;
BEGIN
	IF parta.member_role_locked(p_org, p_account) <> 'student' THEN
		RETURN 'not_student';
	END IF;
	SELECT cm.class_id INTO from_id FROM parta.class_member cm
	JOIN parta.class k ON k.org_id = cm.org_id AND k.id = cm.class_id
	WHERE cm.org_id = p_org AND cm.account_id = p_account
	AND cm.role = 'student' AND k.archived_at IS NULL
	ORDER BY k.year DESC, k.id LIMIT 1 FOR UPDATE OF cm;
	IF from_id IS NULL THEN
		RETURN 'not_student';
	END IF;
	PERFORM 1 FROM parta.class WHERE org_id = p_org AND id = p_to
	AND kind = 'class' AND archived_at IS NULL FOR SHARE;
	IF NOT FOUND THEN
		RETURN 'class';
	END IF;
	IF NOT (parta.class_manager(p_org, from_id, p_actor)
	    AND parta.class_manager(p_org, p_to, p_actor)) THEN
		RETURN 'forbidden';
	END IF;
	IF from_id = p_to THEN
		RETURN 'same';
	END IF;
	DELETE FROM parta.class_member WHERE org_id = p_org
	AND class_id = from_id AND account_id = p_account
	AND role = 'student';
	INSERT INTO parta.class_member (org_id, class_id, account_id, role)
	VALUES (p_org, p_to, p_account, 'student');
	PERFORM parta.audit_log(p_org, p_actor, 'student_move', p_account,
	    'переведён из ' || parta.class_name_of(p_org, from_id) || ' в '
	    || parta.class_name_of(p_org, p_to));
	RETURN 'ok';
END
$$;

-- A verified teacher of the organization teaches class p_class (a
-- subject teacher): 'ok', 'exists', 'not_teacher', 'class' (not an open
-- class of the organization).  The caller checks that p_actor is an
-- administrator.
CREATE FUNCTION parta.subject_teacher_add(p_org bigint, p_class bigint,
    p_account bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM parta.member WHERE org_id = p_org
	AND account_id = p_account AND role = 'teacher' AND verified
	FOR SHARE;
	IF NOT FOUND THEN
		RETURN 'not_teacher';
	END IF;
	PERFORM 1 FROM parta.class WHERE org_id = p_org AND id = p_class
	AND archived_at IS NULL FOR SHARE;
	IF NOT FOUND THEN
		RETURN 'class';
	END IF;
	INSERT INTO parta.class_member (org_id, class_id, account_id, role)
	VALUES (p_org, p_class, p_account, 'teacher') ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN 'exists';
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, 'teacher_add', p_account,
	    'назначен учителем ' || parta.class_name_of(p_org, p_class));
	RETURN 'ok';
END
$$;

-- Take a subject teacher out of a class: 'ok' or 'not_found'.  Their
-- homeroom role, if any, stays (homeroom_unset ends that).
CREATE FUNCTION parta.subject_teacher_remove(p_org bigint, p_class bigint,
    p_account bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM parta.class_member WHERE org_id = p_org
	AND class_id = p_class AND account_id = p_account AND role = 'teacher';
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, 'teacher_remove', p_account,
	    'снят с преподавания в ' || parta.class_name_of(p_org, p_class));
	RETURN 'ok';
END
$$;

-- Make a verified teacher the homeroom teacher of class p_class: 'ok',
-- 'exists', 'not_teacher', 'class'.  A class may have several.
CREATE FUNCTION parta.homeroom_set(p_org bigint, p_class bigint,
    p_account bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM parta.member WHERE org_id = p_org
	AND account_id = p_account AND role = 'teacher' AND verified
	FOR SHARE;
	IF NOT FOUND THEN
		RETURN 'not_teacher';
	END IF;
	PERFORM 1 FROM parta.class WHERE org_id = p_org AND id = p_class
	AND kind = 'class' AND archived_at IS NULL FOR SHARE;
	IF NOT FOUND THEN
		RETURN 'class';
	END IF;
	INSERT INTO parta.class_member (org_id, class_id, account_id, role)
	VALUES (p_org, p_class, p_account, 'homeroom') ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN 'exists';
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, 'homeroom_assign', p_account,
	    'назначен классным руководителем '
	    || parta.class_name_of(p_org, p_class));
	RETURN 'ok';
END
$$;

-- End a homeroom assignment: 'ok' or 'not_found'.  The triggers take the
-- teacher out of the class's chats (unless they also teach it) and
-- revoke the links they made for it.
CREATE FUNCTION parta.homeroom_unset(p_org bigint, p_class bigint,
    p_account bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	links int;
	words text;
BEGIN
	DELETE FROM parta.class_member WHERE org_id = p_org
	AND class_id = p_class AND account_id = p_account
	AND role = 'homeroom';
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	SELECT count(*) INTO links FROM parta.invite
	WHERE org_id = p_org AND class_id = p_class
	AND created_by = p_account AND revoked_at = now();
	words := 'снят с классного руководства '
	    || parta.class_name_of(p_org, p_class);
	IF links > 0 THEN
		words := words || '; отозвано ссылок-приглашений: ' || links;
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, 'homeroom_unassign',
	    p_account, words);
	RETURN 'ok';
END
$$;

-- Decide a pending application: p_decision 'accepted' or 'rejected',
-- by reviewer p_actor (an administrator, or the homeroom teacher of the
-- application's class for a student), locked against the reviewer's
-- own way out.  p_class, when not NULL, accepts into that open class
-- instead (the class an archived one was rolled into).  Answers:
--   'ok'         decided, the applicant a member (accepted)
--   'not_found'  no such application in the organization
--   'forbidden'  outside the reviewer's scope
--   'decided'    decided already
--   'archived'   accepting into an archived class
--   'class'      p_class is not an open class of the organization
-- An accepted teacher becomes a verified member (an administrator stays
-- one) and teaches the application's class; a student becomes a member
-- in it.
CREATE FUNCTION parta.application_decide(p_org bigint, p_app bigint,
    p_actor bigint, p_decision text, p_reason text, p_class bigint)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	a record;
	actor_role text;
	cls bigint;
	words text;
BEGIN
	IF p_decision NOT IN ('accepted', 'rejected') THEN
		RAISE EXCEPTION 'application_decide: decision %', p_decision;
	END IF;
	SELECT account_id, role, class_id, status INTO a
	FROM parta.application WHERE org_id = p_org AND id = p_app;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	actor_role := parta.member_role_locked(p_org, p_actor);
	IF actor_role <> 'admin' AND NOT (actor_role = 'teacher'
	    AND a.role = 'student'
	    AND parta.homeroom_locked(p_org, a.class_id, p_actor)) THEN
		RETURN 'forbidden';
	END IF;
	-- The applicant's membership before the application: the order a
	-- way out of the applicant takes too.
	PERFORM parta.member_role_locked(p_org, a.account_id);
	SELECT account_id, role, class_id, status INTO a
	FROM parta.application WHERE org_id = p_org AND id = p_app
	FOR UPDATE;
	IF a.status <> 'pending' THEN
		RETURN 'decided';
	END IF;
	cls := a.class_id;
	IF p_decision = 'accepted' AND p_class IS NOT NULL THEN
		-- A student into a school class; a teacher into any.
		PERFORM 1 FROM parta.class WHERE org_id = p_org AND id = p_class
		AND archived_at IS NULL
		AND (kind = 'class' OR a.role = 'teacher') FOR SHARE;
		IF NOT FOUND OR (actor_role <> 'admin' AND NOT
		    parta.homeroom_locked(p_org, p_class, p_actor)) THEN
			RETURN 'class';
		END IF;
		cls := p_class;
	ELSIF p_decision = 'accepted' AND cls IS NOT NULL THEN
		PERFORM 1 FROM parta.class WHERE org_id = p_org AND id = cls
		AND archived_at IS NULL FOR SHARE;
		IF NOT FOUND THEN
			RETURN 'archived';
		END IF;
	END IF;

	UPDATE parta.application SET status = p_decision, class_id = cls,
	    reason = CASE WHEN p_decision = 'rejected'
		THEN coalesce(p_reason, '') ELSE '' END,
	    decided_by = p_actor, decided_at = now()
	WHERE org_id = p_org AND id = p_app;
	IF p_decision = 'accepted' AND a.role = 'teacher' THEN
		INSERT INTO parta.member (org_id, account_id, role, verified)
		VALUES (p_org, a.account_id, 'teacher', true)
		ON CONFLICT (org_id, account_id) DO UPDATE SET verified = true,
		    role = CASE WHEN parta.member.role = 'admin' THEN 'admin'
		    ELSE 'teacher' END;
		IF cls IS NOT NULL THEN
			INSERT INTO parta.class_member (org_id, class_id,
			    account_id, role)
			VALUES (p_org, cls, a.account_id, 'teacher')
			ON CONFLICT DO NOTHING;
		END IF;
	ELSIF p_decision = 'accepted' THEN
		INSERT INTO parta.member (org_id, account_id, role)
		VALUES (p_org, a.account_id, 'student')
		ON CONFLICT (org_id, account_id) DO NOTHING;
		IF parta.member_role_locked(p_org, a.account_id) = 'student'
		THEN
			INSERT INTO parta.class_member (org_id, class_id,
			    account_id, role)
			VALUES (p_org, cls, a.account_id, 'student')
			ON CONFLICT DO NOTHING;
		END IF;
	END IF;

	words := 'заявка №' || p_app || ': '
	    || CASE a.role WHEN 'teacher' THEN 'учитель' ELSE 'ученик' END;
	IF cls IS NOT NULL THEN
		words := words || ', ' || parta.class_name_of(p_org, cls);
	END IF;
	IF cls IS DISTINCT FROM a.class_id AND a.class_id IS NOT NULL THEN
		words := words || ' (в заявке был '
		    || parta.class_name_of(p_org, a.class_id) || ')';
	END IF;
	IF p_decision = 'rejected' AND coalesce(p_reason, '') <> '' THEN
		words := words || '; причина: ' || p_reason;
	END IF;
	PERFORM parta.audit_log(p_org, p_actor, CASE p_decision
	    WHEN 'accepted' THEN 'application_accept'
	    ELSE 'application_reject' END, a.account_id, words);
	RETURN 'ok';
END
$$;

-- The rollover carries only people who are still members.  (Rows of
-- people who left before this migration, in classes not yet rolled
-- over, are ended now.)
DELETE FROM parta.class_member cm WHERE NOT EXISTS (
	SELECT 1 FROM parta.member m WHERE m.org_id = cm.org_id
	AND m.account_id = cm.account_id);
