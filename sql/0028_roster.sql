-- Issue 20: rosters.  A school's list of students and staff (from its
-- electronic diary or admissions) is uploaded as CSV, previewed row by
-- row, and applied: pending applications that match a row are accepted
-- into its class, the other rows become *expected people*, and a person
-- who applies later and matches exactly one expected row is accepted at
-- once.  The rules that match and apply are in 0029_roster_rules.sql;
-- the file is read by lib/roster (the rows arrive here already parsed).

-- One uploaded list.  A homeroom teacher's roster is for their own class
-- (class_id); an administrator's may span the school (class_id NULL).
-- file_hash (SHA-256 of the bytes as uploaded) tells a second upload of
-- the same file.  applied_at is set once, by the one apply that wins.
CREATE TABLE parta.roster (
	org_id		bigint NOT NULL REFERENCES parta.org,
	id		bigint GENERATED ALWAYS AS IDENTITY,
	created_by	bigint NOT NULL REFERENCES parta.account,
	class_id	bigint,
	file_name	text NOT NULL DEFAULT ''
			    CHECK (length(file_name) <= 255),
	file_hash	bytea NOT NULL CHECK (length(file_hash) = 32),
	row_count	int NOT NULL CHECK (row_count BETWEEN 0 AND 5000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	applied_at	timestamptz,
	applied_by	bigint REFERENCES parta.account,
	PRIMARY KEY (org_id, id),
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	CHECK ((applied_at IS NULL) = (applied_by IS NULL))
);
CREATE INDEX roster_file ON parta.roster (org_id, file_hash);
CREATE INDEX roster_list ON parta.roster (org_id, created_at);

-- One row of a roster, as lib/roster read it: line is the row's line in
-- the file (the header is line 1), and is the row's id in URLs and forms
-- («строка 12»).  The class is kept as written and as parsed (grade,
-- letter, title); which class it names is decided when the preview is
-- shown and again when it is applied (a class may be created between).
-- error is lib/roster's Russian reason the row cannot be applied (bad
-- phone, no name, ...); such a row is never applied.
--
-- state:
--   draft     uploaded, not applied yet
--   skipped   not applied (an error, or left out of a partial apply)
--   expected  waiting for the person to apply (class_id resolved)
--   joined    the person is a member by this row (account_id,
--             application_id when an application was accepted by it)
-- A row whose person was a member already becomes joined at apply.
CREATE TABLE parta.roster_row (
	org_id		bigint NOT NULL,
	roster_id	bigint NOT NULL,
	line		int NOT NULL CHECK (line BETWEEN 2 AND 100000),
	last_name	text NOT NULL DEFAULT ''
			    CHECK (length(last_name) <= 60),
	first_name	text NOT NULL DEFAULT ''
			    CHECK (length(first_name) <= 60),
	patronymic	text NOT NULL DEFAULT ''
			    CHECK (length(patronymic) <= 60),
	role		text CHECK (role IN ('teacher', 'student')),
	class_text	text NOT NULL DEFAULT ''
			    CHECK (length(class_text) <= 120),
	grade		smallint CHECK (grade BETWEEN 1 AND 11),
	letter		text NOT NULL DEFAULT '' CHECK (length(letter) <= 8),
	title		text NOT NULL DEFAULT '' CHECK (length(title) <= 100),
	phone		text CHECK (phone ~ '^\+7[0-9]{10}$'),
	email		text CHECK (email = lower(email)
			    AND length(email) <= 254),
	birth_date	date,
	error		text CHECK (length(error) <= 300),
	state		text NOT NULL DEFAULT 'draft' CHECK (state IN
			    ('draft', 'skipped', 'expected', 'joined')),
	class_id	bigint,
	account_id	bigint REFERENCES parta.account,
	application_id	bigint,
	invite_id	bigint,
	link_sent_at	timestamptz,
	joined_at	timestamptz,
	PRIMARY KEY (org_id, roster_id, line),
	FOREIGN KEY (org_id, roster_id) REFERENCES parta.roster
	    ON DELETE CASCADE,
	FOREIGN KEY (org_id, class_id) REFERENCES parta.class,
	FOREIGN KEY (org_id, application_id) REFERENCES parta.application,
	FOREIGN KEY (org_id, invite_id) REFERENCES parta.invite,
	CHECK (state <> 'joined' OR account_id IS NOT NULL),
	CHECK (error IS NULL OR state IN ('draft', 'skipped'))
);

-- The key two spellings of one person's name share: letters lower-case,
-- «ё» as «е», spaces and hyphens around words ignored.  Matching a roster
-- row against an account compares these (and the birth date).
CREATE FUNCTION parta.person_key(last_name text, first_name text,
    patronymic text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT translate(lower(
	    regexp_replace(coalesce(person_key.last_name, ''), '[\s-]+', '',
		'g') || ' ' ||
	    regexp_replace(coalesce(person_key.first_name, ''), '[\s-]+', '',
		'g') || ' ' ||
	    regexp_replace(coalesce(person_key.patronymic, ''), '[\s-]+',
		'', 'g')), 'ё', 'е')
$$;

-- Expected people, looked up when someone applies: by name, by phone, by
-- e-mail.
CREATE INDEX roster_row_expected_name ON parta.roster_row
	(org_id, parta.person_key(last_name, first_name, patronymic))
	WHERE state = 'expected';
CREATE INDEX roster_row_expected_phone ON parta.roster_row (org_id, phone)
	WHERE state = 'expected' AND phone IS NOT NULL;
CREATE INDEX roster_row_expected_email ON parta.roster_row (org_id, email)
	WHERE state = 'expected' AND email IS NOT NULL;
CREATE INDEX roster_row_application ON parta.roster_row
	(org_id, application_id) WHERE application_id IS NOT NULL;
CREATE INDEX roster_row_invite ON parta.roster_row (org_id, invite_id)
	WHERE invite_id IS NOT NULL;

-- An application that looks like a roster row but is not an exact match
-- (two rows match, or the name only) stays in the queue; the queue shows
-- «похож на строку N списка» from these two columns.
ALTER TABLE parta.application ADD COLUMN roster_id bigint,
	ADD COLUMN roster_line int,
	ADD FOREIGN KEY (org_id, roster_id, roster_line)
	    REFERENCES parta.roster_row ON DELETE SET NULL (roster_id,
	    roster_line);

-- Personal links made for a roster's rows are a batch of the roster:
-- they do not count against the links-a-day limit (that limit is against
-- spam of shared links; a roster is bounded by itself).
ALTER TABLE parta.invite_batch ADD COLUMN roster_id bigint,
	ADD FOREIGN KEY (org_id, roster_id) REFERENCES parta.roster;
CREATE INDEX invite_batch_roster ON parta.invite_batch (org_id, roster_id)
	WHERE roster_id IS NOT NULL;

INSERT INTO parta.audit_action (code, name) VALUES
	('roster_upload', 'Загружен список'),
	('roster_apply', 'Применён список'),
	('roster_accept', 'Принят по списку');
