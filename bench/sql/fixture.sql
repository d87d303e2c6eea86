-- The bench's own people, on top of bench/sql/orgs.sql:
--   psql -v org=ID -v pw=HASH -v sessions=S -v joiners=J -v invites=V
--       -v logins=L
--
-- Tokens are fixed patterns the wrk and pgbench scripts rebuild from a
-- number i (43 characters, like real tokens; only their SHA-256 stored):
--   BA<i>  session of the organization's administrator, csrf CA<i>
--   BJ<i>  session of joiner i (a new person, no member), csrf CJ<i>
--   IJ<v>  the invite links joiners follow: joiner i takes link i mod
--          :invites (student, 100 uses; spread so that requests at once
--          never wait on one link)
-- with <i> zero-padded to 41 digits.  Number 0 of each pool is kept for
-- capturing the SQL of a request; wrk uses 1..N; pgbench the numbers
-- above.  Joiner i is account 1000000000 + i, link v is invite
-- 2000000000 + v, login account l is 3000000000 + l with phone
-- +7999000<l> (4 digits) and the bench password: ids far from any other,
-- so bench/pgbench.awk can tell them apart from constants.
\set ON_ERROR_STOP 1
SELECT account_id AS admin FROM parta.member
WHERE org_id = :org AND role = 'admin' \gset
SELECT min(id) AS class1 FROM parta.class WHERE org_id = :org \gset

\o /dev/null
BEGIN;
CREATE OR REPLACE FUNCTION pg_temp.tok(p text, i int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT p || lpad(i::text, 41, '0') $$;

INSERT INTO parta.session (token_hash, account_id, csrf, expires_at)
SELECT sha256(convert_to(pg_temp.tok('BA', i), 'UTF8')), :admin,
    pg_temp.tok('CA', i), now() + interval '30 days'
FROM generate_series(0, :sessions) i;

-- Joiners i = 0 .. 2 * joiners + 1 (capture, wrk, pgbench, the round
-- trips of bench/run.sh).
INSERT INTO parta.account (id, last_name, first_name, patronymic, gender,
    birth_date, phone, phone_verified, password_hash)
OVERRIDING SYSTEM VALUE
SELECT 1000000000 + i, 'Ученикова', 'Дарья', 'Игоревна', 'f',
    date '2012-05-01', '+7998' || lpad(i::text, 7, '0'), true, :'pw'
FROM generate_series(0, 2 * :joiners + 1) i;

INSERT INTO parta.session (token_hash, account_id, csrf, expires_at)
SELECT sha256(convert_to(pg_temp.tok('BJ', i), 'UTF8')), 1000000000 + i,
    pg_temp.tok('CJ', i), now() + interval '30 days'
FROM generate_series(0, 2 * :joiners + 1) i;

INSERT INTO parta.invite (org_id, id, created_by, role, class_id, token_hash,
    label, max_uses, expires_at)
OVERRIDING SYSTEM VALUE
SELECT :org, 2000000000 + i, :admin, 'student', :class1,
    sha256(convert_to(pg_temp.tok('IJ', i), 'UTF8')),
    '', 100, now() + interval '7 days'
FROM generate_series(0, :invites - 1) i;

INSERT INTO parta.account (id, last_name, first_name, gender, birth_date,
    phone, phone_verified, password_hash)
OVERRIDING SYSTEM VALUE
SELECT 3000000000 + i, 'Входов', 'Пётр', 'm',
    date '1985-03-03', '+7999000' || lpad(i::text, 4, '0'), true, :'pw'
FROM generate_series(0, :logins) i;

-- People made here signed up: they agreed to the policy in force.
INSERT INTO parta.privacy_consent (account_id, version)
SELECT id, parta.privacy_current() FROM parta.account
WHERE parta.privacy_current() IS NOT NULL ON CONFLICT DO NOTHING;
COMMIT;
\o

-- The administrator, for the scripts.
SELECT :admin;
