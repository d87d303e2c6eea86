-- Guardians and young children, safe by construction (issue 18's QA
-- round).  A young child here is one whose birth date is under the
-- child age passed in (PARTA_CHILD_AGE, lib/config; parta.child_young of
-- 0017): the birth date cannot be changed by its owner (below), so the
-- rule cannot be walked around.
--
-- 1. The guardian who confirmed a young child's registration
--    (child_signup.confirmed_by) holds the child's account:
--    - the young child cannot remove them (the school still can:
--      guardian_remove_check answers 'confirmer');
--    - a young child makes no parent links (parent_link_refusal
--      'young'): their parent was confirmed at registration;
--    - only that guardian may set the child's password
--      (guardian_may_reset).

-- Why p_account may not make a personal link for a parent, or '' when
-- they may: 'young' (a young child: their parent confirmed the
-- registration), 'not_student' (not a student, nor applying as one).
CREATE FUNCTION parta.parent_link_refusal(p_account bigint, p_age int)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN EXISTS (SELECT 1 FROM parta.account a WHERE a.id = p_account
		AND parta.child_young(a.birth_date, p_age)) THEN 'young'
	    WHEN EXISTS (SELECT 1 FROM parta.member
		WHERE account_id = p_account AND role = 'student')
	    OR EXISTS (SELECT 1 FROM parta.application
		WHERE account_id = p_account AND role = 'student'
		AND status = 'pending') THEN ''
	    ELSE 'not_student' END
$$;

-- 0019's rule, now with the child age: a student (or one applying as
-- one) who is not a young child.
DROP FUNCTION parta.parent_link_allowed(bigint);
CREATE FUNCTION parta.parent_link_allowed(p_account bigint, p_age int)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT parta.parent_link_refusal(p_account, p_age) = ''
$$;

-- Whether p_parent confirmed the registration of young child p_child.
CREATE FUNCTION parta.guardian_confirmer(p_parent bigint, p_child bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.child_signup
	    WHERE child_id = p_child AND confirmed_by = p_parent)
$$;

-- 0021's check, with the child age: a young child cannot remove the
-- guardian who confirmed their registration ('confirmer').
DROP FUNCTION parta.guardian_remove(bigint, bigint, bigint, bigint);
DROP FUNCTION parta.guardian_remove_check(bigint, bigint, bigint, bigint);
CREATE FUNCTION parta.guardian_remove_check(p_org bigint, p_parent bigint,
    p_child bigint, p_actor bigint, p_age int) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_org IS NULL THEN
		IF p_actor <> p_child THEN
			RETURN 'forbidden';
		END IF;
	ELSE
		IF NOT EXISTS (SELECT 1 FROM parta.member
		    WHERE org_id = p_org AND account_id = p_child
		    AND role = 'student') THEN
			RETURN 'not_found';
		END IF;
		IF NOT parta.guardian_manager(p_org, p_child, p_actor) THEN
			RETURN 'forbidden';
		END IF;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM parta.guardian
	    WHERE parent_id = p_parent AND child_id = p_child) THEN
		RETURN 'not_found';
	END IF;
	IF p_org IS NULL AND parta.guardian_confirmer(p_parent, p_child)
	    AND EXISTS (SELECT 1 FROM parta.account WHERE id = p_child
	    AND parta.child_young(birth_date, p_age)) THEN
		RETURN 'confirmer';
	END IF;
	RETURN 'ok';
END
$$;

CREATE FUNCTION parta.guardian_remove(p_org bigint, p_parent bigint,
    p_child bigint, p_actor bigint, p_age int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	by_whom text;
	parent_name text;
	verdict text;
BEGIN
	IF p_org IS NOT NULL THEN
		PERFORM parta.member_role_locked(p_org, p_actor);
		PERFORM 1 FROM parta.class_member
		WHERE org_id = p_org AND account_id = p_actor
		AND role = 'homeroom' FOR SHARE;
	END IF;
	verdict := parta.guardian_remove_check(p_org, p_parent, p_child,
	    p_actor, p_age);
	IF verdict <> 'ok' THEN
		RETURN verdict;
	END IF;
	IF p_org IS NULL THEN
		by_whom := 'по решению самого ученика';
	ELSE
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

-- Only the guardian who confirmed the registration sets a password for
-- a child who is young or has no proven contact of their own: a parent
-- who came by a link (or any later one) may not take the account over.
CREATE OR REPLACE FUNCTION parta.guardian_may_reset(p_parent bigint,
    p_child bigint, p_age int) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM parta.guardian g
	    JOIN parta.account a ON a.id = g.child_id
	    WHERE g.parent_id = p_parent AND g.child_id = p_child
	    AND a.deleted_at IS NULL
	    AND parta.guardian_confirmer(p_parent, p_child)
	    AND (parta.child_young(a.birth_date, p_age)
		OR NOT (a.phone_verified OR a.email_verified)))
$$;

-- 2. A guardian is not a student, whichever comes second.  0017 refuses
--    a student as a guardian; here a guardian cannot file a student's
--    application nor be made a student (application_decide accepting
--    one, or any other path): PA409 (lib/db.h DB_CLOSED), which the join
--    and approve programs answer with a 409 saying why.  Both sides
--    lock the person's account row first, so a guardian confirmed at the
--    same moment as the application is filed cannot slip past both
--    checks.
CREATE FUNCTION parta.student_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM 1 FROM parta.account WHERE id = NEW.account_id
	FOR NO KEY UPDATE;
	IF EXISTS (SELECT 1 FROM parta.guardian
	    WHERE parent_id = NEW.account_id) THEN
		RAISE EXCEPTION 'account % is a guardian: no student',
		    NEW.account_id
		USING ERRCODE = 'PA409', HINT = 'guardian';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER student_admit BEFORE INSERT OR UPDATE OF role
	ON parta.member
	FOR EACH ROW WHEN (NEW.role = 'student')
	EXECUTE FUNCTION parta.student_admit();
CREATE TRIGGER student_application_admit BEFORE INSERT OR UPDATE OF
	status, role ON parta.application
	FOR EACH ROW WHEN (NEW.role = 'student' AND NEW.status = 'pending')
	EXECUTE FUNCTION parta.student_admit();

CREATE OR REPLACE FUNCTION parta.guardian_admit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	why text;
BEGIN
	PERFORM 1 FROM parta.account WHERE id = NEW.parent_id
	FOR NO KEY UPDATE;
	why := parta.guardian_refusal(NEW.parent_id, NEW.child_id);
	IF why NOT IN ('', 'exists') THEN
		RAISE EXCEPTION 'account % may not be a guardian of %: %',
		    NEW.parent_id, NEW.child_id, why
		USING ERRCODE = 'PA409';
	END IF;
	RETURN NEW;
END
$$;

-- application_decide (0012) answering 'guardian' when accepting makes a
-- guardian a student (the trigger above refuses): that decision alone
-- is undone, so a bulk decision goes on with the others.
CREATE FUNCTION parta.application_decide_checked(p_org bigint,
    p_app bigint, p_actor bigint, p_decision text, p_reason text,
    p_class bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	hint text;
BEGIN
	RETURN parta.application_decide(p_org, p_app, p_actor, p_decision,
	    p_reason, p_class);
EXCEPTION WHEN SQLSTATE 'PA409' THEN
	GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
	IF hint IS DISTINCT FROM 'guardian' THEN
		RAISE;
	END IF;
	RETURN 'guardian';
END
$$;

-- 3. The birth date decides who is a young child and who may be a
--    guardian, so its owner cannot change it once the account exists
--    (the profile page shows it as text).  Only a privileged path may
--    correct a mistake: the operator, in one transaction that says so
--    (SET LOCAL parta.birth_date_fix = 'on'; UPDATE ...).  Erasing an
--    account (account_erase, 0015) clears it.
CREATE FUNCTION parta.birth_date_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.birth_date IS NOT NULL
	    AND NEW.birth_date IS DISTINCT FROM OLD.birth_date
	    AND NEW.deleted_at IS NULL
	    AND current_setting('parta.birth_date_fix', true)
		IS DISTINCT FROM 'on' THEN
		RAISE EXCEPTION 'account %: the birth date is not changed here',
		    NEW.id
		USING ERRCODE = 'PA403';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER birth_date_fixed BEFORE UPDATE OF birth_date
	ON parta.account
	FOR EACH ROW EXECUTE FUNCTION parta.birth_date_fixed();

-- 4. A waiting young child's requests to parents count per account too
--    (lib/code, code_account_hit): kind 'account', key the account id,
--    so that one account cannot send codes to any number of contacts.
ALTER TABLE parta.code_limit DROP CONSTRAINT code_limit_kind_check;
ALTER TABLE parta.code_limit ADD CONSTRAINT code_limit_kind_check
	CHECK (kind IN ('sent', 'wrong', 'signup', 'account'));
