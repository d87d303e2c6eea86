-- A big school (issue 24): the organization whose id is the setting
-- parta.big_org (SELECT set_config('parta.big_org', '42', false)), with
-- its administrator already a member, gets
--   2 999 more members (149 teachers, 120 of them homeroom teachers of a
--   class each; 2 850 students, in the classes in turn), so 3 000 in
--   all; 120 classes (grades 1 to 11, letters А to Л);
--   500 pending applications (every tenth for a teacher), a minute apart;
--   300 invite links of the administrator (every third expired);
--   50 000 audit events, two to each ten minutes (equal times: the
--   lists order by (time, id)), the detail "e1" to "e50000".
-- Names repeat (20 surnames, 10 first names), so that the lists' order
-- leans on the id.  Used by tests/http/test_lists.c (over t_sql,
-- statement by statement) and by bench/run.sh (psql -f).  Run as the
-- schema's owner.

-- A generated person's e-mail, which finds them again: big_email('m', n)
-- the n-th member, big_email('a', n) the n-th applicant.
CREATE OR REPLACE FUNCTION pg_temp.big_email(k text, n int) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT k || n || '.big' || current_setting('parta.big_org') ||
	    '@example.test'
$$;

INSERT INTO parta.class (org_id, kind, grade, letter, year, color)
SELECT s.o, 'class', g, x.l, parta.org_year(s.o), '#2453d6'
FROM (SELECT current_setting('parta.big_org')::bigint AS o) s,
    generate_series(1, 11) g,
    unnest(ARRAY['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К', 'Л'])
	WITH ORDINALITY AS x (l, n)
WHERE (g - 1) * 11 + x.n <= 120;

-- Those classes in turn: the i-th (0 to 119) by id.
CREATE OR REPLACE TEMP VIEW big_class AS
SELECT k.id, row_number() OVER (ORDER BY k.id) - 1 AS i
FROM parta.class k
WHERE k.org_id = current_setting('parta.big_org')::bigint
AND k.kind = 'class';

-- m1..m2999: members; a1..a500: applicants.
INSERT INTO parta.account (last_name, first_name, gender, birth_date,
    email, password_hash)
SELECT (ARRAY['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев',
    'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов',
    'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов',
    'Козлов', 'Степанов', 'Николаев'])[1 + n % 20],
    (ARRAY['Александр', 'Михаил', 'Максим', 'Лев', 'Артём', 'Марк',
    'Иван', 'Матвей', 'Дмитрий', 'Даниил'])[1 + (n / 20) % 10],
    'm', DATE '2010-01-01', pg_temp.big_email(k, n), 'x'
FROM (VALUES ('m', 2999), ('a', 500)) AS v (k, most),
    generate_series(1, most) n;

INSERT INTO parta.member (org_id, account_id, role, verified)
SELECT s.o, a.id, CASE WHEN n <= 149 THEN 'teacher' ELSE 'student' END,
    true
FROM (SELECT current_setting('parta.big_org')::bigint AS o) s,
    generate_series(1, 2999) n
JOIN parta.account a ON a.email = pg_temp.big_email('m', n);

INSERT INTO parta.class_member (org_id, class_id, account_id, role)
SELECT s.o, c.id, a.id, CASE WHEN n <= 120 THEN 'homeroom'
    ELSE 'student' END
FROM (SELECT current_setting('parta.big_org')::bigint AS o) s
CROSS JOIN generate_series(1, 2999) n
JOIN parta.account a ON a.email = pg_temp.big_email('m', n)
JOIN pg_temp.big_class c ON c.i = n % 120
WHERE n <= 120 OR n >= 150;

INSERT INTO parta.application (org_id, account_id, role, class_id,
    created_at)
SELECT s.o, a.id, CASE WHEN n % 10 = 0 THEN 'teacher' ELSE 'student' END,
    CASE WHEN n % 10 = 0 THEN NULL ELSE c.id END,
    now() - (500 - n) * interval '1 minute'
FROM (SELECT current_setting('parta.big_org')::bigint AS o) s
CROSS JOIN generate_series(1, 500) n
JOIN parta.account a ON a.email = pg_temp.big_email('a', n)
JOIN pg_temp.big_class c ON c.i = n % 120;

INSERT INTO parta.invite (org_id, created_by, role, class_id, token_hash,
    max_uses, expires_at, created_at)
SELECT s.o, ad.account_id, 'student', c.id,
    sha256(convert_to('big-' || s.o || '-' || n || '-' || random(),
    'UTF8')), 30,
    now() - interval '2 days' + n * interval '1 minute' +
    CASE WHEN n % 3 = 0 THEN interval '1 day' ELSE interval '10 days' END,
    now() - interval '2 days' + n * interval '1 minute'
FROM (SELECT current_setting('parta.big_org')::bigint AS o) s
JOIN LATERAL (SELECT m.account_id FROM parta.member m
    WHERE m.org_id = s.o AND m.role = 'admin'
    ORDER BY m.account_id LIMIT 1) ad ON true
CROSS JOIN generate_series(1, 300) n
JOIN pg_temp.big_class c ON c.i = n % 120;

INSERT INTO parta.audit (org_id, actor_id, action, target_id, detail, at)
SELECT s.o, t.id, (ARRAY['application_accept', 'application_reject',
    'student_move', 'member_remove', 'homeroom_assign'])[1 + n % 5],
    p.id, 'e' || n, now() - ((n + 1) / 2) * interval '10 minutes'
FROM (SELECT current_setting('parta.big_org')::bigint AS o) s
CROSS JOIN generate_series(1, 50000) n
JOIN parta.account t ON t.email = pg_temp.big_email('m', 1 + n % 149)
JOIN parta.account p ON p.email = pg_temp.big_email('m', 150 + n % 2850);

ANALYZE parta.account, parta.member, parta.class, parta.class_member,
    parta.application, parta.invite, parta.audit;
