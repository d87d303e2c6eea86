-- Issue 21: requests to the organization («Обращения в организацию»).
--
-- A member (any role) files a request to the school; so does a guardian
-- of one of its students, about that child.  A request has a topic (one
-- of the organization's list, which its administrators edit, or
-- «Другое»), a class it concerns (optional) and a thread of messages.
-- Statuses: 'new' until a handler first answers, then 'in_work', then
-- 'closed' (by a handler, or by the requester who needs it no more).
--
-- Who may read a request and who handles it is one rule,
-- parta.appeal_role, which every statement of cgi-bin/appeal/ goes by:
--   'handler'  an administrator of the organization, or the homeroom
--              teacher of the request's class (a current class they lead);
--   'party'    the requester, and where the request is about a child the
--              child and the child's guardians;
--   NULL       anybody else: the request does not exist for them (404).
-- The changes are functions here (appeal_file, appeal_reply,
-- appeal_close, appeal_topics_set), each one statement for the program
-- and one transaction; the limits hold in them under concurrency: at
-- most 10 new requests a day per person (a lock per person, then the
-- count), 4,000 characters a message (a CHECK as well).

INSERT INTO parta.audit_action (code, name) VALUES
	('appeal_close', 'Обращение закрыто'),
	('appeal_topics', 'Изменены темы обращений');

-- The topics an organization offers; no row: the default list.
CREATE TABLE parta.appeal_topics (
	org_id		bigint PRIMARY KEY REFERENCES parta.org,
	titles		text[] NOT NULL CHECK (cardinality(titles) <= 30),
	updated_by	bigint REFERENCES parta.account,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE parta.appeal (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	account_id	bigint NOT NULL REFERENCES parta.account,
	-- A guardian's request about their child.
	child_id	bigint REFERENCES parta.account,
	class_id	bigint,
	-- The topic's title as it was when filed ('' for «Другое»).
	topic		text NOT NULL CHECK (length(topic) <= 100),
	status		text NOT NULL DEFAULT 'new'
			    CHECK (status IN ('new', 'in_work', 'closed')),
	-- The last word is a handler's: the request waits for nobody
	-- there (the handlers' count in the menu leaves it out).
	answered	boolean NOT NULL DEFAULT false,
	outcome		text NOT NULL DEFAULT ''
			    CHECK (length(outcome) <= 300),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	closed_at	timestamptz,
	closed_by	bigint REFERENCES parta.account,
	PRIMARY KEY (org_id, id),
	UNIQUE (id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
-- The day's limit per person, and a person's own requests.
CREATE INDEX appeal_account ON parta.appeal (account_id, created_at);
CREATE INDEX appeal_child ON parta.appeal (child_id) WHERE child_id IS NOT NULL;
-- The handlers' queue and its count.
CREATE INDEX appeal_open ON parta.appeal (org_id, class_id)
	WHERE status <> 'closed';

CREATE TABLE parta.appeal_message (
	org_id		bigint NOT NULL,
	appeal_id	bigint NOT NULL,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	author_id	bigint NOT NULL REFERENCES parta.account,
	-- Written as a handler (the school's answer).
	from_handler	boolean NOT NULL,
	body		text NOT NULL
			    CHECK (char_length(body) BETWEEN 1 AND 4000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, appeal_id) REFERENCES parta.appeal
);
CREATE INDEX appeal_message_appeal ON parta.appeal_message
	(org_id, appeal_id, id);
CREATE INDEX appeal_message_author ON parta.appeal_message (author_id);

-- How far each reader has read a request's thread: the lists mark a
-- request with a message from someone else since (the site's own notice
-- of an answer, besides the message to the person's contact).
CREATE TABLE parta.appeal_seen (
	org_id		bigint NOT NULL,
	appeal_id	bigint NOT NULL,
	account_id	bigint NOT NULL REFERENCES parta.account,
	seen_id		bigint NOT NULL,
	PRIMARY KEY (org_id, appeal_id, account_id),
	FOREIGN KEY (org_id, appeal_id) REFERENCES parta.appeal
);

-- The day's limit: new requests per person in 24 hours.
CREATE FUNCTION parta.appeal_day_limit() RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT 10 $$;

-- The people a request of requester about child (NULL: none) concerns:
-- the requester, the child and the child's guardians.  They read it and
-- are told of each answer and of its closing.  A guardian who filed about
-- the child and is no longer their guardian (the school removed them) is
-- none of them any more.
CREATE FUNCTION parta.appeal_parties(requester bigint, child bigint)
RETURNS TABLE (account_id bigint)
LANGUAGE sql STABLE AS $$
	SELECT requester WHERE child IS NULL OR requester = child
	UNION SELECT child WHERE child IS NOT NULL
	UNION SELECT g.parent_id FROM parta.guardian g
	    WHERE child IS NOT NULL AND g.child_id = child
$$;

-- The one rule: what viewer is to a request of org filed by requester
-- about child (NULL: none) for class cls (NULL: none): 'handler',
-- 'party' or NULL (see the head of this file).  A handler who is also a
-- party (an administrator's own request) is a handler.
CREATE FUNCTION parta.appeal_role(org bigint, requester bigint,
    child bigint, cls bigint, viewer bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
	WHEN EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = appeal_role.org AND m.account_id = viewer
	    AND m.role = 'admin')
	    OR (cls IS NOT NULL AND cls IN (SELECT h.class_id
	    FROM parta.homeroom_classes(org => appeal_role.org,
	    teacher => viewer) h))
	THEN 'handler'
	WHEN viewer IN (SELECT p.account_id
	    FROM parta.appeal_parties(requester, child) p)
	THEN 'party'
	END
$$;

-- The organization's topics, in order (the default list when its
-- administrators have set none).
CREATE FUNCTION parta.appeal_topic_list(org bigint) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT t.titles FROM parta.appeal_topics t
	    WHERE t.org_id = appeal_topic_list.org),
	    ARRAY['Справка', 'Питание', 'Расписание и уроки',
	    'Безопасность', 'Предложение'])
$$;

-- The children of guardian account who are students of org: the one
-- rule for "a guardian of a student of org", who is no member and yet
-- files requests about the child (here), reads the leaders' page
-- (sql/0033_leaders.sql) and sees the child's events
-- (sql/0035_events.sql).
CREATE FUNCTION parta.org_children(org bigint, account bigint)
RETURNS TABLE (child_id bigint)
LANGUAGE sql STABLE AS $$
	SELECT g.child_id FROM parta.guardian g
	JOIN parta.member m ON m.account_id = g.child_id
	    AND m.org_id = org_children.org AND m.role = 'student'
	WHERE g.parent_id = org_children.account
$$;

-- The classes a request of requester (about child, NULL: their own) may
-- name in org: any current class for the staff, the child's current
-- classes for a guardian, a student's own.
CREATE FUNCTION parta.appeal_classes(org bigint, requester bigint,
    child bigint) RETURNS TABLE (class_id bigint)
LANGUAGE sql STABLE AS $$
	SELECT c.id FROM parta.class c
	WHERE c.org_id = appeal_classes.org AND c.archived_at IS NULL
	AND CASE WHEN child IS NULL AND EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = appeal_classes.org
	    AND m.account_id = requester AND m.role IN ('admin', 'teacher'))
	THEN true
	ELSE EXISTS (SELECT 1 FROM parta.class_member cm
	    WHERE cm.org_id = c.org_id AND cm.class_id = c.id
	    AND cm.account_id = coalesce(child, requester)
	    AND cm.role = 'student') END
$$;

-- File a request: 'ok' and its id; or a refusal, changing nothing:
--   'not_allowed'  requester is neither a member of org nor, with child,
--                  that student's guardian (the page answers 404)
--   'child'        a guardian who is no member must name their child
--   'class'        cls is none of appeal_classes
--   'topic'        topic is neither '' nor one of the list
--   'limit'        appeal_day_limit() requests in 24 hours already:
--                  retry is the minutes until the oldest of them is a
--                  day old
-- A request about a child that names no class concerns the child's class
-- (the first current one), so its homeroom teacher sees it.  Parallel
-- filings of one person wait for each other on a lock of their own
-- (parta.appeal:ACCOUNT), so the count they read is the whole day's.
CREATE FUNCTION parta.appeal_file(org bigint, requester bigint,
    child bigint, cls bigint, topic text, body text,
    OUT result text, OUT id bigint, OUT retry int)
LANGUAGE plpgsql AS $$
DECLARE
	is_member boolean;
	n int;
	oldest timestamptz;
BEGIN
	is_member := EXISTS (SELECT 1 FROM parta.member m
	    WHERE m.org_id = appeal_file.org AND m.account_id = requester);
	IF child IS NOT NULL AND child NOT IN (SELECT c.child_id
	    FROM parta.org_children(appeal_file.org, requester) c) THEN
		result := 'not_allowed';
		RETURN;
	END IF;
	IF child IS NULL AND NOT is_member THEN
		result := CASE WHEN EXISTS (SELECT 1
		    FROM parta.org_children(appeal_file.org, requester))
		    THEN 'child' ELSE 'not_allowed' END;
		RETURN;
	END IF;
	IF topic <> '' AND NOT topic = ANY (
	    parta.appeal_topic_list(appeal_file.org)) THEN
		result := 'topic';
		RETURN;
	END IF;
	IF cls IS NULL AND child IS NOT NULL THEN
		SELECT min(c.class_id) INTO cls FROM parta.appeal_classes(
		    appeal_file.org, requester, child) c;
	ELSIF cls IS NOT NULL AND cls NOT IN (SELECT c.class_id
	    FROM parta.appeal_classes(appeal_file.org, requester, child) c)
	THEN
		result := 'class';
		RETURN;
	END IF;

	PERFORM pg_advisory_xact_lock(hashtextextended(
	    'parta.appeal:' || requester, 0));
	SELECT count(*), min(a.created_at) INTO n, oldest FROM parta.appeal a
	WHERE a.account_id = requester
	AND a.created_at > clock_timestamp() - interval '1 day';
	IF n >= parta.appeal_day_limit() THEN
		result := 'limit';
		retry := greatest(1, ceil(extract(epoch FROM oldest +
		    interval '1 day' - clock_timestamp()) / 60))::int;
		RETURN;
	END IF;

	INSERT INTO parta.appeal (org_id, account_id, child_id, class_id,
	    topic, created_at, updated_at)
	VALUES (appeal_file.org, requester, child, cls, appeal_file.topic,
	    clock_timestamp(), clock_timestamp())
	RETURNING appeal.id INTO id;
	INSERT INTO parta.appeal_message (org_id, appeal_id, author_id,
	    from_handler, body)
	VALUES (appeal_file.org, id, requester, false, appeal_file.body);
	result := 'ok';
END
$$;

-- A message in request appeal of org by author: 'answered' (a
-- handler's: the parties are to be told), 'ok' (a party's); 'not_found' (no
-- such request, or one author may not read); 'closed'.  A handler's
-- message moves a new request to 'in_work' and marks it answered; the
-- requester's side marks it waiting again.  The request's row is locked,
-- so a reply racing the closing comes before it or is refused after it.
CREATE FUNCTION parta.appeal_reply(org bigint, appeal bigint,
    author bigint, body text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	a parta.appeal;
	role text;
BEGIN
	SELECT * INTO a FROM parta.appeal p
	WHERE p.org_id = appeal_reply.org AND p.id = appeal_reply.appeal
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	role := parta.appeal_role(a.org_id, a.account_id, a.child_id,
	    a.class_id, author);
	IF role IS NULL THEN
		RETURN 'not_found';
	ELSIF a.status = 'closed' THEN
		RETURN 'closed';
	END IF;
	INSERT INTO parta.appeal_message (org_id, appeal_id, author_id,
	    from_handler, body)
	VALUES (a.org_id, a.id, author, role = 'handler', appeal_reply.body);
	UPDATE parta.appeal p SET answered = (role = 'handler'),
	    status = CASE WHEN role = 'handler' THEN 'in_work'
	    ELSE p.status END,
	    updated_at = clock_timestamp()
	WHERE p.org_id = a.org_id AND p.id = a.id;
	RETURN CASE WHEN role = 'handler' THEN 'answered' ELSE 'ok' END;
END
$$;

-- Close request appeal of org by actor, with outcome ('' for none): 'ok'
-- (audited); 'not_found' as above; 'forbidden' (a party who is not the
-- requester: a guardian of the child reads the request but does not
-- close another's); 'closed' already.
CREATE FUNCTION parta.appeal_close(org bigint, appeal bigint, actor bigint,
    outcome text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	a parta.appeal;
	role text;
BEGIN
	SELECT * INTO a FROM parta.appeal p
	WHERE p.org_id = appeal_close.org AND p.id = appeal_close.appeal
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'not_found';
	END IF;
	role := parta.appeal_role(a.org_id, a.account_id, a.child_id,
	    a.class_id, actor);
	IF role IS NULL THEN
		RETURN 'not_found';
	ELSIF role = 'party' AND actor <> a.account_id THEN
		RETURN 'forbidden';
	ELSIF a.status = 'closed' THEN
		RETURN 'closed';
	END IF;
	UPDATE parta.appeal p SET status = 'closed', answered = true,
	    outcome = appeal_close.outcome, closed_at = clock_timestamp(),
	    closed_by = actor, updated_at = clock_timestamp()
	WHERE p.org_id = a.org_id AND p.id = a.id;
	PERFORM parta.audit_write(org => a.org_id, actor => actor,
	    action => 'appeal_close', target => a.account_id,
	    detail => 'обращение «' || coalesce(nullif(a.topic, ''),
	    'Другое') || '» от ' || to_char(a.created_at AT TIME ZONE
	    coalesce((SELECT rg.tz FROM parta.org o JOIN parta.region rg
	    ON rg.code = o.region WHERE o.id = a.org_id), 'Europe/Moscow'),
	    'DD.MM.YYYY') || CASE WHEN actor = a.account_id AND role = 'party'
	    THEN ' закрыто заявителем' ELSE ' закрыто' END
	    || CASE WHEN appeal_close.outcome <> ''
	    THEN ': ' || appeal_close.outcome ELSE '' END);
	RETURN 'ok';
END
$$;

-- Set org's topics to titles (in order, duplicates dropped) by actor, an
-- administrator (the program's route checks): audited with what was
-- added and removed; no row written when nothing changed.  'ok' or
-- 'same'.
CREATE FUNCTION parta.appeal_topics_set(org bigint, actor bigint,
    titles text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	had text[] := parta.appeal_topic_list(appeal_topics_set.org);
	want text[];
	added text;
	removed text;
BEGIN
	SELECT coalesce(array_agg(t ORDER BY i), '{}') INTO want FROM (
	    SELECT DISTINCT ON (t) t, i
	    FROM unnest(titles) WITH ORDINALITY AS u (t, i)
	    ORDER BY t, i) d;
	IF want = had THEN
		RETURN 'same';
	END IF;
	INSERT INTO parta.appeal_topics AS x (org_id, titles, updated_by)
	VALUES (appeal_topics_set.org, want, actor)
	ON CONFLICT (org_id) DO UPDATE SET titles = excluded.titles,
	    updated_by = excluded.updated_by, updated_at = now();
	SELECT string_agg('«' || t || '»', ', ' ORDER BY i) INTO added
	FROM unnest(want) WITH ORDINALITY AS u (t, i) WHERE t <> ALL (had);
	SELECT string_agg('«' || t || '»', ', ' ORDER BY i) INTO removed
	FROM unnest(had) WITH ORDINALITY AS u (t, i) WHERE t <> ALL (want);
	PERFORM parta.audit_write(org => appeal_topics_set.org,
	    actor => actor, action => 'appeal_topics',
	    detail => concat_ws('; ', 'добавлены: ' || added,
	    'убраны: ' || removed, CASE WHEN added IS NULL AND removed IS NULL
	    THEN 'изменён порядок' END));
	RETURN 'ok';
END
$$;

-- Row-level security (sql/0030_rls.sql's shape): the organization's rows,
-- a person's own, the operator's.  Who of the organization reads which
-- request is parta.appeal_role's word, in every statement.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['parta.appeal_topics', 'parta.appeal',
	    'parta.appeal_message', 'parta.appeal_seen'] LOOP
		EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY owner_all ON %s TO %I'
		    ' USING (true) WITH CHECK (true)', t, current_user);
	END LOOP;
END
$$;
CREATE POLICY tenant ON parta.appeal_topics TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR (SELECT parta.rls_operator()));
CREATE POLICY tenant ON parta.appeal TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR account_id = (SELECT parta.rls_account())
	OR (SELECT parta.rls_operator()));
CREATE POLICY tenant ON parta.appeal_message TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR author_id = (SELECT parta.rls_account())
	OR (SELECT parta.rls_operator()));
CREATE POLICY tenant ON parta.appeal_seen TO parta_app
	USING (org_id = ANY ((SELECT parta.rls_orgs())::bigint[])
	OR account_id = (SELECT parta.rls_account())
	OR (SELECT parta.rls_operator()));
