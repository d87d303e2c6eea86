-- Words in the audit that agree with the person they are about.
--
-- An action's name is what happened, not who it happened to, so it takes
-- no gender: «Исключение из организации», not «Исключён из организации»
-- next to a girl's name.  The details are sentences about the target
-- («переведён из 5А в 6Б»): they are written by the membership functions
-- (0012) and the programs in the masculine, and a trigger makes them
-- agree with the target's gender as the row is written, so every writer,
-- present and future, is covered in one place.  Rows written before are
-- put right here once.

UPDATE parta.audit_action SET name = v.name
FROM (VALUES
	('member_remove', 'Исключение из организации'),
	('member_leave', 'Выход из организации'),
	('student_move', 'Перевод в другой класс'),
	('teacher_add', 'Назначение учителем класса'),
	('teacher_remove', 'Снятие с преподавания в классе'),
	('chat_member_remove', 'Удаление из чата'),
	('contact_change', 'Смена телефона или почты администратора')
) AS v (code, name)
WHERE parta.audit_action.code = v.code;

-- The feminine of the participles and verbs the details use about a
-- person.  Whole words only; written with explicit letter ranges so that
-- it does not depend on the database's locale.
CREATE FUNCTION parta.audit_words_feminine(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(
	    regexp_replace(regexp_replace(p,
	    '(^|[^а-яёА-ЯЁ])исключён(?![а-яё])', '\1исключена', 'g'),
	    '(^|[^а-яёА-ЯЁ])вышел(?![а-яё])', '\1вышла', 'g'),
	    '(^|[^а-яёА-ЯЁ])переведён(?![а-яё])', '\1переведена', 'g'),
	    '(^|[^а-яёА-ЯЁ])назначен(?![а-яё])', '\1назначена', 'g'),
	    '(^|[^а-яёА-ЯЁ])снят(?![а-яё])', '\1снята', 'g'),
	    '(^|[^а-яёА-ЯЁ])удалён(?![а-яё])', '\1удалена', 'g')
$$;

CREATE FUNCTION parta.audit_words_agree() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.target_id IS NOT NULL AND NEW.detail <> '' AND EXISTS (
	    SELECT 1 FROM parta.account
	    WHERE id = NEW.target_id AND gender = 'f') THEN
		NEW.detail := parta.audit_words_feminine(NEW.detail);
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER audit_words_agree BEFORE INSERT ON parta.audit
FOR EACH ROW EXECUTE FUNCTION parta.audit_words_agree();

UPDATE parta.audit au SET detail = parta.audit_words_feminine(au.detail)
FROM parta.account a
WHERE a.id = au.target_id AND a.gender = 'f' AND au.detail <> ''
    AND au.detail <> parta.audit_words_feminine(au.detail);
