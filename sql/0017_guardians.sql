-- Guardians and young children (issue 18): who may be a parent here,
-- how one becomes one, and how one stops being one, decided here.
--
-- A guardian (parta.guardian, 0008) is a parent or another legal
-- representative of a child.  Two ways in:
--   'link'    a student hands a personal, single-use, expiring link to
--             the parent, who confirms it (parent_link_confirm);
--   'signup'  a young child (under PARTA_CHILD_AGE, 14 by default: the
--             age at which Russian law lets a child consent alone) signs
--             up with a login name and a parent's phone or e-mail instead
--             of their own; a code goes to the parent, whose account has
--             proven that contact, and the parent confirms «это мой
--             ребёнок» (child_confirm), which verifies the child's
--             account and makes them its guardian in one step.
-- Whoever inserts a guardian row, it must pass guardian_refusal: the
-- parent is an adult (born 18 years ago or earlier), is not a student
-- (nor applying as one) in any organization, and is not the child.
--
-- One way out: guardian_remove, by the child themself, an administrator
-- of a school the child studies at, or the homeroom teacher of the
-- child's class.  It deletes the guardian row, and the triggers end what
-- the row granted, the same path as the membership removals of 0012: the
-- parents' chats of the child's classes (class_chats_sync) and the
-- direct chats with the child and the class's teachers (closed by
-- direct_chats_refresh).  A message racing the removal locks the rows
-- the removal changes (message_admit, 0012), so it commits before the
-- removal or is refused after it.  Every change is audited in Russian
-- words, in each school the child studies at.
--
-- The programs reach all this through lib/guardian.c only.

-- How a guardian was confirmed.  Rows from before this migration came
-- by the child's link.
ALTER TABLE parta.guardian ADD COLUMN how text NOT NULL DEFAULT 'link'
	CHECK (how IN ('link', 'signup'));

INSERT INTO parta.audit_action (code, name) VALUES
	('guardian_remove', 'Связь с родителем удалена'),
	('child_confirmed', 'Регистрация ребёнка подтверждена родителем'),
	('child_password', 'Пароль ребёнка сменён родителем');

-- Why p_parent may not be a guardian of p_child, or '' when they may:
--   'self'       the child themself
--   'not_found'  no such account (or a deleted one)
--   'student'    a student, or applying as one, in some organization
--   'minor'      under 18 years old
--   'exists'     their guardian already
-- The one statement of who may be a parent here.  Birth dates are read
-- in Moscow's calendar.
CREATE FUNCTION parta.guardian_refusal(p_parent bigint, p_child bigint)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN p_parent = p_child THEN 'self'
	    WHEN a.id IS NULL OR a.deleted_at IS NOT NULL THEN 'not_found'
	    WHEN EXISTS (SELECT 1 FROM parta.member m
		WHERE m.account_id = p_parent AND m.role = 'student')
		OR EXISTS (SELECT 1 FROM parta.application ap
		WHERE ap.account_id = p_parent AND ap.role = 'student'
		AND ap.status = 'pending') THEN 'student'
	    WHEN a.birth_date > (now() AT TIME ZONE 'Europe/Moscow')::date
		- interval '18 years' THEN 'minor'
	    WHEN EXISTS (SELECT 1 FROM parta.guardian g
		WHERE g.parent_id = p_parent AND g.child_id = p_child)
		THEN 'exists'
	    ELSE '' END
	FROM (SELECT 1) AS one LEFT JOIN parta.account a ON a.id = p_parent
$$;

-- Whoever inserts a guardian, the rule holds ('exists' passes, for ON
-- CONFLICT DO NOTHING to answer it).
CREATE FUNCTION parta.guardian_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	why text;
BEGIN
	why := parta.guardian_refusal(NEW.parent_id, NEW.child_id);
	IF why NOT IN ('', 'exists') THEN
		RAISE EXCEPTION 'account % may not be a guardian of %: %',
		    NEW.parent_id, NEW.child_id, why
		USING ERRCODE = 'PA409';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER guardian_admit BEFORE INSERT ON parta.guardian
	FOR EACH ROW EXECUTE FUNCTION parta.guardian_admit();

-- A guardian's direct chats follow the guardianship (0012's
-- direct_related): closed when it ends, open again when it comes back.
-- (The parents' chats follow it by chat_guardian_confirmed/_ended.)
CREATE FUNCTION parta.guardian_direct_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p bigint;
BEGIN
	p := CASE WHEN TG_OP = 'DELETE' THEN OLD.parent_id
	    ELSE NEW.parent_id END;
	PERFORM parta.direct_chats_refresh(c.org_id, p)
	FROM (SELECT DISTINCT org_id FROM parta.chat
	    WHERE purpose = 'direct' AND guardian_id = p) AS c;
	RETURN NULL;
END
$$;
CREATE TRIGGER guardian_direct_refresh AFTER INSERT OR DELETE
	ON parta.guardian
	FOR EACH ROW EXECUTE FUNCTION parta.guardian_direct_refresh();

-- One audit row per school child p_child studies at (none yet: one row
-- of no organization), target the child.
CREATE FUNCTION parta.guardian_audit(p_child bigint, p_actor bigint,
    p_action text, p_detail text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM parta.audit_log(m.org_id, p_actor, p_action, p_child,
	    p_detail)
	FROM parta.member m
	WHERE m.account_id = p_child AND m.role = 'student';
	IF NOT FOUND THEN
		PERFORM parta.audit_log(NULL, p_actor, p_action, p_child,
		    p_detail);
	END IF;
END
$$;

CREATE FUNCTION parta.person_name(p_account bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT concat_ws(' ', last_name, first_name, nullif(patronymic, ''))
	FROM parta.account WHERE id = p_account
$$;

-- Young children: an account with a login name instead of a contact.
-- Stored lower-case, so it is unique whatever the case typed.
ALTER TABLE parta.account ADD COLUMN login text
	CHECK (login ~ '^[a-z][a-z0-9]{2,31}$');
CREATE UNIQUE INDEX account_login ON parta.account (login);
ALTER TABLE parta.account DROP CONSTRAINT account_contact;
ALTER TABLE parta.account ADD CONSTRAINT account_contact CHECK
	(phone IS NOT NULL OR email IS NOT NULL OR login IS NOT NULL OR
	deleted_at IS NOT NULL);
ALTER TABLE parta.account ADD CONSTRAINT account_login_erased CHECK
	(deleted_at IS NULL OR login IS NULL);

-- A young child's sign-up and its confirmation: contact is the parent's
-- phone (E.164) or e-mail the code went to; confirmed_by the guardian
-- who confirmed.  While confirmed_at is NULL the child's account can do
-- nothing but wait (lib/auth.c reads it, lib/app.c keeps the doors
-- shut); once confirmed the account counts as verified, as a proven
-- contact would.
CREATE TABLE parta.child_signup (
	child_id	bigint PRIMARY KEY REFERENCES parta.account
			    ON DELETE CASCADE,
	contact		text NOT NULL CHECK (contact ~ '^\+7[0-9]{10}$' OR
			    (contact = lower(contact) AND contact LIKE '_%@_%'
			    AND length(contact) <= 254)),
	created_at	timestamptz NOT NULL DEFAULT now(),
	confirmed_at	timestamptz,
	confirmed_by	bigint REFERENCES parta.account,
	CHECK ((confirmed_at IS NULL) = (confirmed_by IS NULL))
);
CREATE INDEX child_signup_waiting ON parta.child_signup (contact)
	WHERE confirmed_at IS NULL;

-- Whether a person born on p_birth is a young child: under p_age years
-- (PARTA_CHILD_AGE, lib/config).
CREATE FUNCTION parta.child_young(p_birth date, p_age int) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_birth > (now() AT TIME ZONE 'Europe/Moscow')::date
	    - make_interval(years => p_age)
$$;

-- The sign-up of young child p_child waits for a parent at p_contact:
-- 'ok', or 'not_young' (nothing made).
CREATE FUNCTION parta.child_signup_start(p_child bigint, p_contact text,
    p_age int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM parta.account WHERE id = p_child
	    AND login IS NOT NULL
	    AND parta.child_young(birth_date, p_age)) THEN
		RETURN 'not_young';
	END IF;
	INSERT INTO parta.child_signup (child_id, contact)
	VALUES (p_child, p_contact);
	RETURN 'ok';
END
$$;

-- A waiting child's request goes to another contact: 'ok' or
-- 'not_found' (no waiting sign-up).
CREATE FUNCTION parta.child_signup_contact(p_child bigint, p_contact text)
RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE parta.child_signup SET contact = p_contact
	WHERE child_id = p_child AND confirmed_at IS NULL;
	RETURN CASE WHEN FOUND THEN 'ok' ELSE 'not_found' END;
END
$$;

-- Parent p_parent confirms young child p_child: the child's waiting
-- sign-up names a contact p_parent has proven, and p_parent may be a
-- guardian.  The sign-up row is locked first, so two confirmations at
-- once make one guardian.  'ok', 'not_found' (no such sign-up),
-- 'decided' (confirmed already), 'contact' (not sent to this person), or
-- a refusal of guardian_refusal.  The caller has checked the code.
CREATE FUNCTION parta.child_confirm(p_child bigint, p_parent bigint)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	s record;
	why text;
BEGIN
	SELECT contact, confirmed_at INTO s FROM parta.child_signup
	WHERE child_id = p_child FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF s.confirmed_at IS NOT NULL THEN
		RETURN 'decided';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM parta.account WHERE id = p_parent
	    AND ((phone = s.contact AND phone_verified)
	    OR (email = s.contact AND email_verified))) THEN
		RETURN 'contact';
	END IF;
	why := parta.guardian_refusal(p_parent, p_child);
	IF why NOT IN ('', 'exists') THEN
		RETURN why;
	END IF;
	UPDATE parta.child_signup SET confirmed_at = now(),
	    confirmed_by = p_parent
	WHERE child_id = p_child;
	INSERT INTO parta.guardian (parent_id, child_id, how)
	VALUES (p_parent, p_child, 'signup') ON CONFLICT DO NOTHING;
	PERFORM parta.guardian_audit(p_child, p_parent, 'child_confirmed',
	    'родитель: ' || parta.person_name(p_parent));
	RETURN 'ok';
END
$$;

-- Parent p_parent follows a child's link (token hash p_hash): the link
-- is taken (single use: its row is locked first, so of parallel
-- confirmations exactly one makes a guardian) and p_parent becomes the
-- child's guardian.  result: 'ok', 'not_found', 'used', 'expired', or a
-- refusal of guardian_refusal ('exists' too); child: the link's child.
CREATE FUNCTION parta.parent_link_confirm(p_hash bytea, p_parent bigint,
    OUT result text, OUT child bigint)
LANGUAGE plpgsql AS $$
DECLARE
	l record;
BEGIN
	SELECT id, child_id, used_at, expires_at INTO l
	FROM parta.parent_link WHERE token_hash = p_hash FOR UPDATE;
	IF NOT FOUND THEN
		result := 'not_found';
		RETURN;
	END IF;
	child := l.child_id;
	IF l.used_at IS NOT NULL THEN
		result := 'used';
		RETURN;
	END IF;
	IF l.expires_at <= now() THEN
		result := 'expired';
		RETURN;
	END IF;
	result := parta.guardian_refusal(p_parent, l.child_id);
	IF result <> '' THEN
		RETURN;
	END IF;
	UPDATE parta.parent_link SET used_at = now(), used_by = p_parent
	WHERE id = l.id;
	INSERT INTO parta.guardian (parent_id, child_id, how)
	VALUES (p_parent, l.child_id, 'link');
	PERFORM parta.guardian_audit(l.child_id, p_parent,
	    'guardian_confirmed', 'родитель: ' || parta.person_name(p_parent)
	    || '; по ссылке от ученика');
	result := 'ok';
END
$$;

-- Who manages the guardians of student p_child of p_org (sees them on the
-- class page and the member card, and may remove one): an administrator
-- of p_org, or the homeroom teacher of the child's current class there.
-- Reads without locks (pages); guardian_remove locks first.
CREATE FUNCTION parta.guardian_manager(p_org bigint, p_child bigint,
    p_actor bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.member s
	    WHERE s.org_id = p_org AND s.account_id = p_child
	    AND s.role = 'student')
	AND (EXISTS (SELECT 1 FROM parta.member a WHERE a.org_id = p_org
	    AND a.account_id = p_actor AND a.role = 'admin')
	OR EXISTS (SELECT 1 FROM parta.class_member s
	    JOIN parta.class k ON k.org_id = s.org_id AND k.id = s.class_id
		AND k.archived_at IS NULL
	    JOIN parta.class_member h ON h.org_id = s.org_id
		AND h.class_id = s.class_id AND h.account_id = p_actor
		AND h.role = 'homeroom'
	    WHERE s.org_id = p_org AND s.account_id = p_child
	    AND s.role = 'student'))
$$;

-- Remove guardian p_parent of child p_child, by p_actor: the child
-- themself (p_org NULL), or a manager of the child's guardians in p_org
-- (guardian_manager; the actor's membership and homeroom rows are
-- locked first, as a way out of theirs would take them).  The DELETE
-- locks the guardian row; the triggers take the parent out of the
-- parents' chats and close the direct chats.  'ok', 'not_found' (no
-- such guardian, or no such student in p_org), 'forbidden'.
CREATE FUNCTION parta.guardian_remove(p_org bigint, p_parent bigint,
    p_child bigint, p_actor bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	by_whom text;
	parent_name text;
BEGIN
	IF p_actor = p_child AND p_org IS NULL THEN
		by_whom := 'по решению самого ученика';
	ELSIF p_org IS NULL THEN
		RETURN 'forbidden';
	ELSE
		PERFORM parta.member_role_locked(p_org, p_actor);
		PERFORM 1 FROM parta.class_member
		WHERE org_id = p_org AND account_id = p_actor
		AND role = 'homeroom' FOR SHARE;
		IF NOT EXISTS (SELECT 1 FROM parta.member
		    WHERE org_id = p_org AND account_id = p_child
		    AND role = 'student') THEN
			RETURN 'not_found';
		END IF;
		IF NOT parta.guardian_manager(p_org, p_child, p_actor) THEN
			RETURN 'forbidden';
		END IF;
		by_whom := CASE WHEN EXISTS (SELECT 1 FROM parta.member
		    WHERE org_id = p_org AND account_id = p_actor
		    AND role = 'admin')
		    THEN 'по решению администратора'
		    ELSE 'по решению классного руководителя' END;
	END IF;
	parent_name := parta.person_name(p_parent);
	DELETE FROM parta.guardian
	WHERE parent_id = p_parent AND child_id = p_child;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	PERFORM parta.guardian_audit(p_child, p_actor, 'guardian_remove',
	    'родитель: ' || parent_name || '; ' || by_whom
	    || '; родительские чаты и личные сообщения с учителями закрыты');
	RETURN 'ok';
END
$$;

-- May guardian p_parent set a new password for p_child: while the child
-- is young (p_age, PARTA_CHILD_AGE) or has no proven contact of their
-- own to recover it by.
CREATE FUNCTION parta.guardian_may_reset(p_parent bigint, p_child bigint,
    p_age int) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.guardian g
	    JOIN parta.account a ON a.id = g.child_id
	    WHERE g.parent_id = p_parent AND g.child_id = p_child
	    AND a.deleted_at IS NULL
	    AND (parta.child_young(a.birth_date, p_age)
		OR NOT (a.phone_verified OR a.email_verified)))
$$;

-- Guardian p_parent sets password hash p_hash for p_child: the child's
-- sessions end.  'ok', 'not_found' (not their guardian), 'forbidden'
-- (the child is old enough and has a contact of their own).
CREATE FUNCTION parta.child_password_set(p_parent bigint, p_child bigint,
    p_hash text, p_age int) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM parta.guardian
	WHERE parent_id = p_parent AND child_id = p_child FOR SHARE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	IF NOT parta.guardian_may_reset(p_parent, p_child, p_age) THEN
		RETURN 'forbidden';
	END IF;
	UPDATE parta.account SET password_hash = p_hash WHERE id = p_child;
	DELETE FROM parta.session WHERE account_id = p_child;
	PERFORM parta.guardian_audit(p_child, p_parent, 'child_password',
	    'родитель: ' || parta.person_name(p_parent)
	    || '; все сеансы ребёнка завершены');
	RETURN 'ok';
END
$$;

-- Erasing an account (account_erase, 0015) drops its login name and a
-- waiting sign-up with it.
CREATE FUNCTION parta.account_login_erase() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.login := NULL;
	DELETE FROM parta.child_signup WHERE child_id = NEW.id;
	RETURN NEW;
END
$$;
CREATE TRIGGER account_login_erase BEFORE UPDATE OF deleted_at
	ON parta.account
	FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL)
	EXECUTE FUNCTION parta.account_login_erase();

-- The parent receives the child's code (lib/code.h, CODE_CHILD).
ALTER TABLE parta.code DROP CONSTRAINT code_purpose_check;
ALTER TABLE parta.code ADD CONSTRAINT code_purpose_check
	CHECK (purpose IN ('verify', 'login', 'contact', 'delete', 'child'));
