-- Classes: the rules the create-class program keeps in the database, and
-- the academic-year rollover record.

-- A staff class (the teachers' room) has no grade.
ALTER TABLE parta.class ADD CONSTRAINT class_staff_no_grade
	CHECK (kind = 'class' OR grade IS NULL);

-- A rolled-over class points at its successor of the next year, so an
-- archived class leads to where its people went.
ALTER TABLE parta.class ADD COLUMN next_id bigint;
ALTER TABLE parta.class ADD CONSTRAINT class_next
	FOREIGN KEY (org_id, next_id) REFERENCES parta.class;

-- One rollover per organization and academic year: the primary key is
-- what refuses a second run, also when two run at once.
CREATE TABLE parta.class_rollover (
	org_id		bigint NOT NULL REFERENCES parta.org,
	from_year	int NOT NULL CHECK (from_year BETWEEN 2000 AND 2099),
	done_by		bigint NOT NULL REFERENCES parta.account,
	done_at		timestamptz NOT NULL DEFAULT now(),
	moved		int NOT NULL CHECK (moved >= 0),
	graduated	int NOT NULL CHECK (graduated >= 0),
	PRIMARY KEY (org_id, from_year)
);

-- An archived class keeps its history and takes no new members, whoever
-- inserts them.  The class row is locked FOR SHARE before its state is
-- read, so an insert racing an archiving UPDATE waits for it and then
-- sees the class archived.
CREATE FUNCTION parta.class_member_open() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	archived boolean;
BEGIN
	SELECT archived_at IS NOT NULL INTO archived FROM parta.class
	WHERE org_id = NEW.org_id AND id = NEW.class_id FOR SHARE;
	IF archived THEN
		RAISE EXCEPTION 'class % is archived', NEW.class_id
		USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER class_member_open BEFORE INSERT ON parta.class_member
	FOR EACH ROW EXECUTE FUNCTION parta.class_member_open();
