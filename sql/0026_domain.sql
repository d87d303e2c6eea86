-- One name for a class, everywhere: parta.class_name (sql/0012_membership.sql,
-- "9А · ФизМат", "9А", "Солнышко", "Учительская") builds it for every page,
-- export, message and audit line; no program builds it again.  The class
-- chats' titles used a second rule ("9А ФизМат", sql/0008_chat.sql), so a
-- person saw both spellings of one class: they now take the one name.

-- A class's students' and parents' chats (classes, not staff groups).
CREATE OR REPLACE FUNCTION parta.chat_class_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO parta.chat (org_id, class_id, title, purpose)
	SELECT NEW.org_id, NEW.id, left(p.prefix || parta.class_name(
	    NEW.grade, NEW.letter, NEW.title), 100), p.purpose
	FROM (VALUES ('Класс ', 'students'), ('Родители ', 'parents'))
	    AS p (prefix, purpose)
	WHERE NEW.kind = 'class' AND NEW.archived_at IS NULL
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;

-- The chats made so far keep their title unless it is the one the old
-- rule gave (a title is never edited; this is only for certainty).
UPDATE parta.chat c SET title = left(p.prefix || parta.class_name(k.grade,
    k.letter, k.title), 100)
FROM parta.class k,
    (VALUES ('Класс ', 'students'), ('Родители ', 'parents'))
    AS p (prefix, purpose)
WHERE c.org_id = k.org_id AND c.class_id = k.id AND c.purpose = p.purpose
AND c.title = left(p.prefix || parta.chat_class_name(k.grade, k.letter,
    k.title), 100);

DROP FUNCTION parta.chat_class_name(smallint, text, text);
