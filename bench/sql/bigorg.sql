-- The bench's big school (issue 24), on top of bench/sql/orgs.sql and
-- fixture.sql:  psql -v pw=HASH -v sessions=S -f bench/sql/bigorg.sql
-- then bench/sql/bigschool.sql with parta.big_org = 900000000.
--
-- Organization 900000000 (the same id in both data sets), its
-- administrator account 4000000000 (phone +79970000000, the bench's
-- password) and the administrator's sessions BB<i>, csrf CB<i> (<i>
-- zero-padded to 41 digits, as fixture.sql's), i = 0 .. :sessions.
\set ON_ERROR_STOP 1
\o /dev/null
BEGIN;
CREATE OR REPLACE FUNCTION pg_temp.tok(p text, i int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT p || lpad(i::text, 41, '0') $$;

INSERT INTO parta.org (id, region, org_type, full_name, short_name, inn, kpp,
    address, phone, email, website, description)
OVERRIDING SYSTEM VALUE
VALUES (900000000, '70', 'school',
    'Муниципальное автономное общеобразовательное учреждение «Большая '
    'школа» г. Томска', 'Большая школа', '7999999999', '701701001',
    'г. Томск, ул. Ленина, д. 1', '+7 3822 999999', 'big@edu.tomsk.ru',
    'https://big.tomsk.ru', 'Школа на 3 000 человек.');

INSERT INTO parta.account (id, last_name, first_name, patronymic, gender,
    birth_date, phone, phone_verified, password_hash)
OVERRIDING SYSTEM VALUE
VALUES (4000000000, 'Директорова', 'Анна', 'Петровна', 'f',
    date '1975-04-04', '+79970000000', true, :'pw');

INSERT INTO parta.member (org_id, account_id, role, verified)
VALUES (900000000, 4000000000, 'admin', true);

INSERT INTO parta.session (token_hash, account_id, csrf, expires_at)
SELECT sha256(convert_to(pg_temp.tok('BB', i), 'UTF8')), 4000000000,
    pg_temp.tok('CB', i), now() + interval '30 days'
FROM generate_series(0, :sessions) i;
COMMIT;
