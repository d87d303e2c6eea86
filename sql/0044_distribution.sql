-- Issue 24: the schema keeps the rules of a database distributed by
-- organization (tests/http/test_distribution.c): every unique key of a
-- tenant table includes org_id.  parta.appeal had UNIQUE (id) beside its
-- primary key (org_id, id); nothing refers to id alone.
ALTER TABLE parta.appeal DROP CONSTRAINT appeal_id_key;
