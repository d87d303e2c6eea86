-- Organizations and their people: registration requests, organizations,
-- administrator grants, members, classes, invite links, applications.
--
-- Every tenant table carries org_id and every unique key of one includes
-- it, so the schema can be distributed by organization (Citus) later.

CREATE TABLE parta.region (
	code		char(2) PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
	name		text NOT NULL UNIQUE,
	tz		text NOT NULL
);

CREATE TABLE parta.org_request (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	applicant_id	bigint NOT NULL REFERENCES parta.account,
	region		char(2) NOT NULL REFERENCES parta.region,
	org_type	text NOT NULL CHECK (org_type IN ('school',
			    'kindergarten', 'college', 'university', 'extra',
			    'authority')),
	full_name	text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 300),
	short_name	text NOT NULL CHECK (length(short_name) BETWEEN 1 AND 300),
	inn		text NOT NULL CHECK (inn ~ '^[0-9]{10}$'),
	kpp		text NOT NULL CHECK (kpp ~ '^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$'),
	admin_last_name	text NOT NULL,
	admin_first_name text NOT NULL,
	admin_patronymic text NOT NULL DEFAULT '',
	admin_phone	text NOT NULL CHECK (admin_phone ~ '^\+7[0-9]{10}$'),
	address		text NOT NULL,
	doc_name	text NOT NULL,
	doc_type	text NOT NULL CHECK (doc_type IN ('application/pdf',
			    'image/jpeg', 'image/png')),
	doc_size	int NOT NULL CHECK (doc_size > 0),
	doc_key		text NOT NULL,
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'approved', 'rejected')),
	reason		text NOT NULL DEFAULT '',
	decided_by	bigint REFERENCES parta.account,
	decided_at	timestamptz,
	org_id		bigint,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX org_request_pending ON parta.org_request (created_at)
	WHERE status = 'pending';
CREATE INDEX org_request_applicant ON parta.org_request (applicant_id);

CREATE TABLE parta.org (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	region		char(2) NOT NULL REFERENCES parta.region,
	org_type	text NOT NULL,
	full_name	text NOT NULL,
	short_name	text NOT NULL,
	inn		text NOT NULL,
	kpp		text NOT NULL,
	address		text NOT NULL DEFAULT '',
	phone		text NOT NULL DEFAULT '',
	email		text NOT NULL DEFAULT '',
	website		text NOT NULL DEFAULT '',
	description	text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (inn, kpp)
);
CREATE INDEX org_region ON parta.org (region);

-- "The administrator of org X is whoever owns phone P": applied to the
-- account that has P verified, now or when it verifies P later.
CREATE TABLE parta.admin_grant (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	phone		text NOT NULL CHECK (phone ~ '^\+7[0-9]{10}$'),
	granted_by	bigint REFERENCES parta.account,
	created_at	timestamptz NOT NULL DEFAULT now(),
	account_id	bigint REFERENCES parta.account,
	applied_at	timestamptz,
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES parta.account,
	PRIMARY KEY (org_id, id)
);
CREATE INDEX admin_grant_phone ON parta.admin_grant (phone)
	WHERE applied_at IS NULL AND revoked_at IS NULL;

CREATE TABLE parta.member (
	org_id		bigint NOT NULL REFERENCES parta.org,
	account_id	bigint NOT NULL REFERENCES parta.account,
	role		text NOT NULL CHECK (role IN ('admin', 'teacher',
			    'student')),
	verified	boolean NOT NULL DEFAULT false,
	joined_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, account_id)
);
CREATE INDEX member_account ON parta.member (account_id);
CREATE INDEX member_role ON parta.member (org_id, role);

CREATE TABLE parta.class (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	kind		text NOT NULL DEFAULT 'class' CHECK (kind IN ('class',
			    'staff')),
	grade		smallint CHECK (grade BETWEEN 1 AND 11),
	letter		text NOT NULL DEFAULT '' CHECK (length(letter) <= 8),
	title		text NOT NULL DEFAULT '' CHECK (length(title) <= 100),
	year		int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	color		text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$'),
	archived_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, id),
	UNIQUE NULLS NOT DISTINCT (org_id, year, grade, letter, title)
);

CREATE TABLE parta.class_member (
	org_id		bigint NOT NULL,
	class_id	bigint NOT NULL,
	account_id	bigint NOT NULL REFERENCES parta.account,
	role		text NOT NULL CHECK (role IN ('student', 'teacher',
			    'homeroom')),
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, class_id, account_id, role),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class
);
CREATE INDEX class_member_account ON parta.class_member (org_id, account_id);

-- Invite links.  The token is 128+ random bits; only its SHA-256 is kept.
-- uses never passes max_uses: the CHECK backs the guarded UPDATE.
CREATE TABLE parta.invite (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	created_by	bigint NOT NULL REFERENCES parta.account,
	role		text NOT NULL CHECK (role IN ('teacher', 'student')),
	class_id	bigint,
	token_hash	bytea NOT NULL CHECK (length(token_hash) = 32),
	label		text NOT NULL DEFAULT '',
	max_uses	int NOT NULL CHECK (max_uses BETWEEN 1 AND 100),
	uses		int NOT NULL DEFAULT 0 CHECK (uses BETWEEN 0 AND max_uses),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz,
	PRIMARY KEY (org_id, id),
	UNIQUE (org_id, token_hash),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CHECK (role = 'teacher' OR class_id IS NOT NULL),
	CHECK (expires_at > created_at AND
	    expires_at <= created_at + interval '14 days')
);
-- Links arrive as /join/TOKEN without the organization: look up by hash.
CREATE INDEX invite_token ON parta.invite (token_hash);
CREATE INDEX invite_creator ON parta.invite (org_id, created_by, created_at);

CREATE TABLE parta.application (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	account_id	bigint NOT NULL REFERENCES parta.account,
	role		text NOT NULL CHECK (role IN ('teacher', 'student')),
	class_id	bigint,
	invite_id	bigint,
	status		text NOT NULL DEFAULT 'pending' CHECK (status IN
			    ('pending', 'accepted', 'rejected', 'withdrawn')),
	reason		text NOT NULL DEFAULT '',
	decided_by	bigint REFERENCES parta.account,
	decided_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	FOREIGN KEY (org_id, invite_id) REFERENCES parta.invite,
	CHECK (role = 'teacher' OR class_id IS NOT NULL)
);
-- At most one pending application per person and organization; one use
-- of a link per person.
CREATE UNIQUE INDEX application_one_pending ON parta.application
	(org_id, account_id) WHERE status = 'pending';
CREATE UNIQUE INDEX application_one_per_invite ON parta.application
	(org_id, invite_id, account_id) WHERE invite_id IS NOT NULL;
CREATE INDEX application_queue ON parta.application (org_id, created_at)
	WHERE status = 'pending';
CREATE INDEX application_account ON parta.application (account_id);

-- Apply the pending administrator grants for the phone of account: the
-- account must own the phone, verified.  Returns how many were applied.
CREATE FUNCTION parta.admin_grants_apply(p_account bigint) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	g record;
	n int := 0;
BEGIN
	FOR g IN
		SELECT ag.org_id, ag.id FROM parta.admin_grant ag
		JOIN parta.account a ON a.phone = ag.phone AND a.phone_verified
		WHERE a.id = p_account AND ag.applied_at IS NULL
		AND ag.revoked_at IS NULL
		FOR UPDATE OF ag
	LOOP
		INSERT INTO parta.member (org_id, account_id, role, verified)
		VALUES (g.org_id, p_account, 'admin', true)
		ON CONFLICT (org_id, account_id)
		DO UPDATE SET role = 'admin', verified = true;
		UPDATE parta.admin_grant SET account_id = p_account,
		    applied_at = now() WHERE org_id = g.org_id AND id = g.id;
		INSERT INTO parta.audit (org_id, actor_id, action, target_id)
		VALUES (g.org_id, p_account, 'admin_grant_applied', p_account);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
