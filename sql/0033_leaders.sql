-- Issue 21: the organization's leaders («Руководители»): the director,
-- the deputies and whoever else the school lists, each with a position,
-- in the order its administrators choose, on /org/N/leaders for its
-- members and the guardians of its students.
--
-- A leader is usually a member of the organization (its staff: an
-- administrator or a teacher): then the name is the account's, and the
-- contacts shown are the account's own phone and e-mail, each only when
-- that person has chosen to show it (show_phone, show_email: consent,
-- 152-FZ; nobody else may turn them on, the trigger below refuses).
-- Leaving the organization, or being removed from it, takes the person
-- off the list (the foreign key to the membership).  A leader may also
-- be someone not on the platform: a name, a position and the contacts
-- an administrator typed in, which are that administrator's to answer
-- for.
--
-- Limits: 30 leaders an organization (the trigger counts under a lock of
-- the organization's list); lengths by the checks below, which the
-- program's forms say in Russian first.

CREATE TABLE parta.leader (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	-- The place on the page: smaller first (set on insert, swapped by
	-- parta.leader_move).
	sort		integer NOT NULL,
	-- A member of the organization, or NULL for someone not on the
	-- platform (then name holds theirs).
	account_id	bigint,
	name		text CHECK (char_length(name) BETWEEN 1 AND 150),
	title		text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 150),
	-- When and where the leader receives people («Часы приёма»).
	hours		text NOT NULL DEFAULT ''
			    CHECK (char_length(hours) <= 300),
	-- Typed-in contacts of someone not on the platform.
	phone		text NOT NULL DEFAULT ''
			    CHECK (char_length(phone) <= 20),
	email		text NOT NULL DEFAULT ''
			    CHECK (char_length(email) <= 254),
	-- A member's own choice of which of their contacts to show.
	show_phone	boolean NOT NULL DEFAULT false,
	show_email	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, account_id),
	-- Deferrable: a move swaps two places in one statement.
	UNIQUE (org_id, sort) DEFERRABLE,
	FOREIGN KEY (org_id, account_id) REFERENCES parta.member
	    ON DELETE CASCADE,
	CHECK ((account_id IS NULL) <> (name IS NULL)),
	CHECK (account_id IS NULL OR (phone = '' AND email = '')),
	CHECK (account_id IS NOT NULL OR NOT (show_phone OR show_email))
);
CREATE INDEX leader_account ON parta.leader (account_id);

-- Row-level security in 0030's shape: the organization's rows to its
-- members and its students' guardians (parta.rls_orgs), and the operator.
ALTER TABLE parta.leader ENABLE ROW LEVEL SECURITY;
ALTER TABLE parta.leader FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
	EXECUTE format('CREATE POLICY owner_all ON parta.leader TO %I'
	    ' USING (true) WITH CHECK (true)', (SELECT r.rolname
	    FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
	    WHERE c.oid = 'parta.leader'::regclass));
END
$$;
CREATE POLICY tenant ON parta.leader TO parta_app
    USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
    OR (SELECT parta.rls_operator()));

-- The most leaders an organization lists.
CREATE FUNCTION parta.leader_limit() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 30 $$;

-- A new leader: one of the organization's staff (an administrator or a
-- teacher), within the limit, last on the page.  Concurrent additions
-- to one organization wait for each other here, so the count holds.
-- Over the limit: PA409; a member who is not staff: PA403.
CREATE FUNCTION parta.leader_admit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	n integer;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(
	    'parta.leader:' || NEW.org_id, 0));
	SELECT count(*), coalesce(max(sort), 0) + 1 INTO n, NEW.sort
	FROM parta.leader WHERE org_id = NEW.org_id;
	IF n >= parta.leader_limit() THEN
		RAISE EXCEPTION 'organization % lists % leaders already',
		    NEW.org_id, n
		USING ERRCODE = 'PA409', HINT = 'leader_limit';
	END IF;
	IF NEW.account_id IS NOT NULL AND NOT EXISTS (SELECT 1
	    FROM parta.member m WHERE m.org_id = NEW.org_id
	    AND m.account_id = NEW.account_id
	    AND m.role IN ('admin', 'teacher')) THEN
		RAISE EXCEPTION 'account % is not staff of %', NEW.account_id,
		    NEW.org_id
		USING ERRCODE = 'PA403', HINT = 'leader_staff';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER leader_admit BEFORE INSERT ON parta.leader
    FOR EACH ROW EXECUTE FUNCTION parta.leader_admit();

-- Which of a member's contacts are shown is theirs alone to say: the
-- request's account (parta.rls_account(), sql/0030_rls.sql) must be the
-- leader.  An administrator's edit keeps them as they are; a new leader
-- starts with both hidden unless they add themselves.  A leader's person
-- never changes (remove and add again).
CREATE FUNCTION parta.leader_consent() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (NEW.account_id IS DISTINCT FROM OLD.account_id
	    OR NEW.org_id <> OLD.org_id) THEN
		RAISE EXCEPTION 'a leader''s person does not change'
		USING ERRCODE = 'PA403';
	END IF;
	IF (NEW.show_phone OR NEW.show_email) AND (TG_OP = 'INSERT' OR
	    (NEW.show_phone, NEW.show_email) IS DISTINCT FROM
	    (OLD.show_phone, OLD.show_email))
	    AND NEW.account_id IS DISTINCT FROM parta.rls_account() THEN
		RAISE EXCEPTION 'only account % chooses its contacts shown',
		    NEW.account_id
		USING ERRCODE = 'PA403', HINT = 'leader_consent';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER leader_consent BEFORE INSERT OR UPDATE ON parta.leader
    FOR EACH ROW EXECUTE FUNCTION parta.leader_consent();

-- Move leader p_id of p_org one place up (p_step -1) or down (+1): it
-- swaps places with its neighbour.  false when there is no neighbour
-- that way (already first or last), NULL when there is no such leader.
CREATE FUNCTION parta.leader_move(p_org bigint, p_id bigint, p_step integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	mine integer;
	other_id bigint;
	other_sort integer;
BEGIN
	IF p_step NOT IN (-1, 1) THEN
		RAISE EXCEPTION 'leader_move: step %', p_step;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended(
	    'parta.leader:' || p_org, 0));
	SELECT sort INTO mine FROM parta.leader
	WHERE org_id = p_org AND id = p_id;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF p_step < 0 THEN
		SELECT id, sort INTO other_id, other_sort FROM parta.leader
		WHERE org_id = p_org AND sort < mine
		ORDER BY sort DESC LIMIT 1;
	ELSE
		SELECT id, sort INTO other_id, other_sort FROM parta.leader
		WHERE org_id = p_org AND sort > mine
		ORDER BY sort LIMIT 1;
	END IF;
	IF other_id IS NULL THEN
		RETURN false;
	END IF;
	UPDATE parta.leader SET sort = CASE id WHEN p_id THEN other_sort
	    ELSE mine END
	WHERE org_id = p_org AND id IN (p_id, other_id);
	RETURN true;
END
$$;

INSERT INTO parta.audit_action (code, name) VALUES
	('leader_add', 'Добавлен руководитель'),
	('leader_edit', 'Изменены сведения о руководителе'),
	('leader_move', 'Изменён порядок руководителей'),
	('leader_remove', 'Руководитель убран со страницы'),
	('leader_contacts', 'Руководитель выбрал, какие контакты показать');
