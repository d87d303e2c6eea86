-- A class chat of the big school (issue 24), on top of bigschool.sql and
-- in the same psql session (its pg_temp.big_class):
--   psql -c "SELECT set_config('parta.big_org', ...)" -v pw=HASH
--       -v sessions=S -f bench/sql/bigschool.sql -f bench/sql/bigchat.sql
--
-- Chat 900000000 (the same id in both data sets), a chat of the school's
-- first class: its viewer, account 4000000001 (a student of that class,
-- the same id in both data sets too), the class's other students and
-- homeroom teacher, and teachers of the school up to 40 members; 1 000
-- messages, a minute apart, from its members in turn; the viewer has
-- read them all.  The viewer's sessions are BC<i> (csrf CC<i>,
-- <i> zero-padded to 41 digits as fixture.sql's), i = 0 .. :sessions.
-- Run as the schema's owner.
\set ON_ERROR_STOP 1
\o /dev/null
SELECT current_setting('parta.big_org') AS big \gset
SELECT id AS class0 FROM pg_temp.big_class WHERE i = 0 \gset

INSERT INTO parta.account (id, last_name, first_name, patronymic, gender,
    birth_date, phone, phone_verified, password_hash)
OVERRIDING SYSTEM VALUE
VALUES (4000000001, 'Чатова', 'Вера', 'Ильинична', 'f', date '2012-02-02',
    '+79970000001', true, :'pw');
INSERT INTO parta.member (org_id, account_id, role, verified)
VALUES (:big, 4000000001, 'student', true);
INSERT INTO parta.class_member (org_id, class_id, account_id, role)
VALUES (:big, :class0, 4000000001, 'student');

INSERT INTO parta.chat (org_id, id, title, class_id, purpose, created_by)
OVERRIDING SYSTEM VALUE
SELECT :big, 900000000, 'Олимпиада по математике', :class0, '',
    cm.account_id
FROM parta.class_member cm
WHERE cm.org_id = :big AND cm.class_id = :class0 AND cm.role = 'homeroom';

-- The class, then teachers up to 40.
INSERT INTO parta.chat_member (org_id, chat_id, account_id, is_admin)
SELECT :big, 900000000, cm.account_id, cm.role = 'homeroom'
FROM parta.class_member cm
WHERE cm.org_id = :big AND cm.class_id = :class0;
INSERT INTO parta.chat_member (org_id, chat_id, account_id)
SELECT :big, 900000000, m.account_id FROM parta.member m
WHERE m.org_id = :big AND m.role = 'teacher'
AND NOT EXISTS (SELECT 1 FROM parta.chat_member x WHERE x.org_id = :big
    AND x.chat_id = 900000000 AND x.account_id = m.account_id)
ORDER BY m.account_id
LIMIT greatest(0, 40 - (SELECT count(*) FROM parta.chat_member
    WHERE org_id = :big AND chat_id = 900000000));

INSERT INTO parta.message (org_id, chat_id, author_id, body, created_at)
SELECT :big, 900000000, m.account_id,
    'Сообщение ' || n || ': задание на завтра — параграф ' ||
    (n % 40 + 1) || ', задачи ' || n % 300 || ' и ' || n % 300 + 1 || '.',
    now() - (1000 - n) * interval '1 minute'
FROM generate_series(1, 1000) n
JOIN (SELECT account_id, row_number() OVER (ORDER BY account_id) - 1 AS k
    FROM parta.chat_member WHERE org_id = :big AND chat_id = 900000000) m
    ON m.k = n % 40;

-- The viewer has opened the chat and read it all: the page as it is read
-- again and again.  (With messages unread, the page marks them read in a
-- transaction of its own; the capture would catch that write, pgbench
-- would replay it every time, and the app make it once.)
UPDATE parta.chat_member SET last_read_id = (SELECT max(id)
    FROM parta.message WHERE org_id = :big AND chat_id = 900000000),
    opened_at = now()
WHERE org_id = :big AND chat_id = 900000000 AND account_id = 4000000001;

-- The viewer signed up: they agreed to the policy in force.
INSERT INTO parta.privacy_consent (account_id, version)
SELECT 4000000001, parta.privacy_current()
WHERE parta.privacy_current() IS NOT NULL ON CONFLICT DO NOTHING;

INSERT INTO parta.session (token_hash, account_id, csrf, expires_at)
SELECT sha256(convert_to('BC' || lpad(i::text, 41, '0'), 'UTF8')),
    4000000001, 'CC' || lpad(i::text, 41, '0'), now() + interval '30 days'
FROM generate_series(0, :sessions) i;

ANALYZE parta.chat, parta.chat_member, parta.message;
