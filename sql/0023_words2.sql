-- Words (issue 17, second round): the audit's details agree with the
-- person they are about, and name no global number.
--
-- 0018 made the participles of a detail agree with a girl or a woman;
-- the details also name the person's role and speak of them
-- («по ссылке от ученика», «по решению самого ученика», «заявка №12:
-- ученик, 5А»).  The same trigger now puts those words in the feminine
-- too.  Application and link numbers are global across organizations
-- (a school would read the others' activity from them): the trigger
-- drops «№12» from a detail, so «заявка №12: ученица, 5А» is written
-- «заявка: ученица, 5А», whoever wrote it.  Rows written before are put
-- right once.

CREATE FUNCTION parta.audit_words_feminine_all(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(
	    regexp_replace(regexp_replace(regexp_replace(regexp_replace(
	    regexp_replace(p,
	    '(^|[^а-яёА-ЯЁ])исключён(?![а-яё])', '\1исключена', 'g'),
	    '(^|[^а-яёА-ЯЁ])вышел(?![а-яё])', '\1вышла', 'g'),
	    '(^|[^а-яёА-ЯЁ])переведён(?![а-яё])', '\1переведена', 'g'),
	    '(^|[^а-яёА-ЯЁ])назначен(?![а-яё])', '\1назначена', 'g'),
	    '(^|[^а-яёА-ЯЁ])снят(?![а-яё])', '\1снята', 'g'),
	    '(^|[^а-яёА-ЯЁ])удалён(?![а-яё])', '\1удалена', 'g'),
	    '(^|[^а-яёА-ЯЁ])ученик(?![а-яё])', '\1ученица', 'g'),
	    '(^|[^а-яёА-ЯЁ])ученика(?![а-яё])', '\1ученицы', 'g'),
	    '(^|[^а-яёА-ЯЁ])самого(?![а-яё])', '\1самой', 'g')
$$;

-- A reviewer's reason («; причина: Такого ученика нет») is their own
-- words, about anyone: kept as written.
CREATE OR REPLACE FUNCTION parta.audit_words_feminine(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN strpos(p, '; причина: ') > 0
	    THEN parta.audit_words_feminine_all(left(p, strpos(p,
		'; причина: ') - 1)) || substr(p, strpos(p, '; причина: '))
	    ELSE parta.audit_words_feminine_all(p) END
$$;

-- «заявка №12», «ссылка № 3» → «заявка», «ссылка» (only these: a
-- chat's or a school's own name may have a number in it).
CREATE FUNCTION parta.audit_words_unnumbered(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT regexp_replace(p, '(^|[^а-яёА-ЯЁ])(заявка|ссылка)\s*№\s*[0-9]+',
	    '\1\2', 'g')
$$;

CREATE OR REPLACE FUNCTION parta.audit_words_agree() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.detail := parta.audit_words_unnumbered(NEW.detail);
	IF NEW.target_id IS NOT NULL AND NEW.detail <> '' AND EXISTS (
	    SELECT 1 FROM parta.account
	    WHERE id = NEW.target_id AND gender = 'f') THEN
		NEW.detail := parta.audit_words_feminine(NEW.detail);
	END IF;
	RETURN NEW;
END
$$;

UPDATE parta.audit SET detail = parta.audit_words_unnumbered(detail)
WHERE detail <> parta.audit_words_unnumbered(detail);
UPDATE parta.audit au SET detail = parta.audit_words_feminine(au.detail)
FROM parta.account a
WHERE a.id = au.target_id AND a.gender = 'f' AND au.detail <> ''
    AND au.detail <> parta.audit_words_feminine(au.detail);
