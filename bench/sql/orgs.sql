-- Organizations of the typical size, generated: psql -v n=COUNT -v pw=HASH.
--
-- Each organization gets what the average one holds in the large data set
-- (10 000 organizations, 100 000 members, 1 000 000 applications):
--   10 members (1 admin, 2 teachers of whom 1 homeroom, 7 students),
--   4 classes, 5 invite links, 2 chats (school-wide and class 1),
--   100 applications: 10 pending (by invite link), 80 accepted, 10 rejected,
--   from the members of the next organizations (of its own when alone).
-- The bench's organization is the first one made (n = 1 alone for the
-- "empty" database; n = 10000 around it for the large one), so it is the
-- same in both.  Ids continue after what is already there; accounts use
-- the password hash :pw (the bench's own password).
\set ON_ERROR_STOP 1
SELECT coalesce(max(id), 0) AS org0 FROM parta.org \gset
SELECT coalesce(max(id), 0) AS acc0 FROM parta.account \gset
SELECT coalesce(max(id), 0) AS cls0 FROM parta.class \gset
SELECT coalesce(max(id), 0) AS inv0 FROM parta.invite \gset
SELECT coalesce(max(id), 0) AS app0 FROM parta.application \gset
SELECT coalesce(max(id), 0) AS chat0 FROM parta.chat \gset

BEGIN;
INSERT INTO parta.org (id, region, org_type, full_name, short_name, inn, kpp,
    address, phone, email, website, description)
OVERRIDING SYSTEM VALUE
SELECT :org0 + o, '70', 'school',
    'Муниципальное автономное общеобразовательное учреждение «Средняя '
    'общеобразовательная школа № ' || o || '» г. Томска',
    'МАОУ СОШ № ' || o,
    lpad((7000000000 + :org0 + o)::text, 10, '0'), '701701001',
    'г. Томск, ул. Ленина, д. ' || (o % 200 + 1),
    '+7 3822 ' || lpad((o % 1000000)::text, 6, '0'),
    'school' || o || '@edu.tomsk.ru', 'https://school' || o || '.tomsk.ru',
    'Школа с углублённым изучением иностранных языков.'
FROM generate_series(1, :n) o;

-- Accounts: ten per organization, member j (1..10) of organization o.
INSERT INTO parta.account (id, last_name, first_name, patronymic, gender,
    birth_date, phone, phone_verified, email, email_verified, password_hash)
OVERRIDING SYSTEM VALUE
SELECT :acc0 + i,
    (ARRAY['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев',
     'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров'])[i % 10 + 1],
    (ARRAY['Александр', 'Мария', 'Дмитрий', 'Анна', 'Сергей', 'Елена',
     'Андрей', 'Ольга', 'Алексей', 'Татьяна'])[i % 7 + 1],
    (ARRAY['Александрович', 'Сергеевич', 'Дмитриевич', ''])[i % 4 + 1],
    CASE WHEN i % 2 = 0 THEN 'f' ELSE 'm' END,
    date '1980-01-01' + (i % 9000),
    '+7' || (9000000000 + :acc0 + i), true,
    'user' || (:acc0 + i) || '@example.ru', i % 3 = 0, :'pw'
FROM generate_series(1, :n * 10) i;

INSERT INTO parta.member (org_id, account_id, role, verified)
SELECT :org0 + o, :acc0 + (o - 1) * 10 + j,
    CASE WHEN j = 1 THEN 'admin' WHEN j <= 3 THEN 'teacher'
    ELSE 'student' END, j <= 3
FROM generate_series(1, :n) o, generate_series(1, 10) j;

INSERT INTO parta.class (org_id, id, grade, letter, year, color)
OVERRIDING SYSTEM VALUE
SELECT :org0 + o, :cls0 + (o - 1) * 4 + c, c, 'А', 2025, '#3366cc'
FROM generate_series(1, :n) o, generate_series(1, 4) c;

INSERT INTO parta.class_member (org_id, class_id, account_id, role)
SELECT :org0 + o, :cls0 + (o - 1) * 4 + (j - 4) % 4 + 1,
    :acc0 + (o - 1) * 10 + j, 'student'
FROM generate_series(1, :n) o, generate_series(4, 10) j
UNION ALL
SELECT :org0 + o, :cls0 + (o - 1) * 4 + 1, :acc0 + (o - 1) * 10 + 2,
    'homeroom'
FROM generate_series(1, :n) o
UNION ALL
SELECT :org0 + o, :cls0 + (o - 1) * 4 + 2, :acc0 + (o - 1) * 10 + 3,
    'teacher'
FROM generate_series(1, :n) o;

INSERT INTO parta.invite (org_id, id, created_by, role, class_id, token_hash,
    max_uses, expires_at)
OVERRIDING SYSTEM VALUE
SELECT :org0 + o, :inv0 + (o - 1) * 5 + k, :acc0 + (o - 1) * 10 + 1,
    CASE WHEN k = 5 THEN 'teacher' ELSE 'student' END,
    CASE WHEN k = 5 THEN NULL ELSE :cls0 + (o - 1) * 4 + k END,
    sha256(convert_to('gen-invite-' || (:inv0 + (o - 1) * 5 + k), 'UTF8')),
    30, now() + interval '7 days'
FROM generate_series(1, :n) o, generate_series(1, 5) k;

INSERT INTO parta.chat (org_id, id, title, class_id, purpose, created_by)
OVERRIDING SYSTEM VALUE
SELECT :org0 + o, :chat0 + (o - 1) * 2 + 1, 'Вся школа', NULL, '',
    :acc0 + (o - 1) * 10 + 1
FROM generate_series(1, :n) o
UNION ALL
SELECT :org0 + o, :chat0 + (o - 1) * 2 + 2, '1А', :cls0 + (o - 1) * 4 + 1,
    'students', :acc0 + (o - 1) * 10 + 1
FROM generate_series(1, :n) o;

INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)
SELECT :org0 + o, :chat0 + (o - 1) * 2 + 1, :acc0 + (o - 1) * 10 + j, j = 1
FROM generate_series(1, :n) o, generate_series(1, 10) j;

-- Application k of organization o comes from member ((o-1)*10 + 10 + k-1)
-- mod (10 n): the next organizations' people, distinct for k = 1..10.
INSERT INTO parta.application (org_id, id, account_id, role, class_id,
    invite_id, status, decided_by, decided_at, created_at)
OVERRIDING SYSTEM VALUE
SELECT :org0 + o, :app0 + (o - 1) * 100 + k,
    :acc0 + ((o - 1) * 10 + 10 + k - 1) % (:n * 10) + 1, 'student',
    :cls0 + (o - 1) * 4 + (k - 1) % 4 + 1,
    CASE WHEN k <= 10 THEN :inv0 + (o - 1) * 5 + (k - 1) % 4 + 1 END,
    CASE WHEN k <= 10 THEN 'pending' WHEN k <= 90 THEN 'accepted'
    ELSE 'rejected' END,
    CASE WHEN k > 10 THEN :acc0 + (o - 1) * 10 + 1 END,
    CASE WHEN k > 10 THEN now() - k * interval '1 hour' END,
    now() - k * interval '1 hour' - interval '1 minute'
FROM generate_series(1, :n) o, generate_series(1, 100) k;

SELECT setval(pg_get_serial_sequence('parta.org', 'id'), :org0 + :n);
SELECT setval(pg_get_serial_sequence('parta.account', 'id'), :acc0 + :n * 10);
SELECT setval(pg_get_serial_sequence('parta.class', 'id'), :cls0 + :n * 4);
SELECT setval(pg_get_serial_sequence('parta.invite', 'id'), :inv0 + :n * 5);
SELECT setval(pg_get_serial_sequence('parta.chat', 'id'), :chat0 + :n * 2);
SELECT setval(pg_get_serial_sequence('parta.application', 'id'),
    :app0 + :n * 100);
-- People made here signed up: they agreed to the policy in force.
INSERT INTO parta.privacy_consent (account_id, version)
SELECT id, parta.privacy_current() FROM parta.account
WHERE parta.privacy_current() IS NOT NULL ON CONFLICT DO NOTHING;
COMMIT;
