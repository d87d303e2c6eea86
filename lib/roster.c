/*
 * roster: a school's list of people read from CSV (lib/roster.h says
 * what is taken and what each row becomes).  The file is decoded and cut
 * into cells by lib/csv, each value checked by lib/valid, characters
 * walked by lib/utf8; this file knows the columns, the words and the
 * class names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "pool.h"
#include "roster.h"
#include "utf8.h"
#include "valid.h"

/* Cells of a row looked at; any further ones are read and dropped. */
#define CELLS		64
/* Characters of a value quoted in an error message. */
#define SHOW_CHARS	40
/* parta.roster_row's bounds (sql/0028_roster.sql), in characters. */
#define NAME_CHARS	60
#define CLASS_CHARS	120
#define TITLE_CHARS	100
#define LETTER_DIGITS	2

enum col {
	COL_LAST,
	COL_FIRST,
	COL_PATR,
	COL_FIO,
	COL_ROLE,
	COL_CLASS,
	COL_PHONE,
	COL_EMAIL,
	COL_BIRTH,
	COL__MAX
};

/*
 * Header names, as head_key spells them: lower case, «ё» as «е», only
 * letters and digits («Ф.И.О.» is "фио", «E-mail» is "email").  A name
 * may be followed by one of the qualifiers below («Фамилия ученика»).
 */
static const struct {
	const char	*key;
	enum col	 col;
} heads[] = {
	{ "фамилия", COL_LAST },
	{ "lastname", COL_LAST },
	{ "surname", COL_LAST },
	{ "familyname", COL_LAST },
	{ "имя", COL_FIRST },
	{ "firstname", COL_FIRST },
	{ "givenname", COL_FIRST },
	{ "отчество", COL_PATR },
	{ "patronymic", COL_PATR },
	{ "middlename", COL_PATR },
	{ "фио", COL_FIO },
	{ "фамилияимяотчество", COL_FIO },
	{ "фамилияимя", COL_FIO },
	{ "name", COL_FIO },
	{ "fullname", COL_FIO },
	{ "ученик", COL_FIO },		/* as lib/csv's other reader, invite.c */
	{ "учащийся", COL_FIO },
	{ "обучающийся", COL_FIO },
	{ "роль", COL_ROLE },
	{ "должность", COL_ROLE },
	{ "role", COL_ROLE },
	{ "класс", COL_CLASS },
	{ "группа", COL_CLASS },
	{ "классгруппа", COL_CLASS },
	{ "class", COL_CLASS },
	{ "classname", COL_CLASS },
	{ "group", COL_CLASS },
	{ "телефон", COL_PHONE },
	{ "тел", COL_PHONE },
	{ "номертелефона", COL_PHONE },
	{ "мобильный", COL_PHONE },
	{ "мобильныйтелефон", COL_PHONE },
	{ "сотовый", COL_PHONE },
	{ "сотовыйтелефон", COL_PHONE },
	{ "phone", COL_PHONE },
	{ "phonenumber", COL_PHONE },
	{ "mobile", COL_PHONE },
	{ "tel", COL_PHONE },
	{ "telephone", COL_PHONE },
	{ "почта", COL_EMAIL },
	{ "электроннаяпочта", COL_EMAIL },
	{ "элпочта", COL_EMAIL },
	{ "эпочта", COL_EMAIL },
	{ "адресэлектроннойпочты", COL_EMAIL },
	{ "емейл", COL_EMAIL },
	{ "емэйл", COL_EMAIL },
	{ "имейл", COL_EMAIL },
	{ "email", COL_EMAIL },
	{ "mail", COL_EMAIL },
	{ "emailaddress", COL_EMAIL },
	{ "датарождения", COL_BIRTH },
	{ "датарожд", COL_BIRTH },
	{ "деньрождения", COL_BIRTH },
	{ "рождение", COL_BIRTH },
	{ "др", COL_BIRTH },
	{ "birthdate", COL_BIRTH },
	{ "dateofbirth", COL_BIRTH },
	{ "birthday", COL_BIRTH },
	{ "dob", COL_BIRTH },
};

static const char *const quals[] = {
	"", "ученика", "учащегося", "обучающегося", "ребенка", "сотрудника",
	"учителя", "педагога", "ддммгггг", "ггггммдд",
};

/* Role words, as head_key spells them; a word that starts with one of
 * the prefixes is that role too («учитель математики»). */
static const char *const students[] = {
	"ученик", "ученица", "учащийся", "учащаяся", "обучающийся",
	"обучающаяся", "школьник", "школьница", "student", "pupil",
};
static const char *const teachers[] = {
	"учитель", "учительница", "педагог", "преподаватель",
	"классныйруководитель", "клрук", "сотрудник", "teacher",
};

/* Endings of an ordinal («9-ый», «9-го»): not a class's letter. */
static const char *const ordinals[] = {
	"й", "ый", "ий", "ой", "го", "ого", "ая", "ое", "ых", "ом",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * A space that a spreadsheet or a document pastes: the no-break space
 * and its relatives.  0 for none, 1 for a space, 2 for a character to
 * drop (zero width, a BOM inside the text).
 */
static int
space_kind(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
	    cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	    cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000)
		return 1;
	if (cp == 0x200B || cp == 0xFEFF || cp == 0x00AD)
		return 2;
	return 0;
}

/*
 * s with control characters and odd spaces as spaces, trimmed, runs of
 * spaces as one; in the pool.  NULL when s is not UTF-8.
 */
static char *
clean(struct pool *p, const char *s)
{
	char		*out, *o;
	uint32_t	 cp;
	size_t		 n, len = strlen(s);
	int		 k, space = 0;

	o = out = pool_alloc(p, len + 1);
	for (; *s != '\0'; s += n) {
		if ((n = utf8_decode(s, len, &cp)) == 0)
			return NULL;
		len -= n;
		if ((k = space_kind(cp)) == 2)
			continue;
		if (k == 1 || cp == ' ') {
			space = 1;
			continue;
		}
		if (space && o > out)
			*o++ = ' ';
		space = 0;
		memcpy(o, s, n);
		o += n;
	}
	*o = '\0';
	return out;
}

/* s cut to at most max characters (a pool copy when it is longer). */
static const char *
cut(struct pool *p, const char *s, size_t max)
{
	size_t	 i = 0, chars = 0;

	while (s[i] != '\0' && chars < max) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return s[i] == '\0' ? s : pool_strndup(p, s, i);
}

/* A value to quote in a message: at most SHOW_CHARS characters. */
static const char *
show(struct pool *p, const char *s)
{
	const char	*c = cut(p, s, SHOW_CHARS);

	return c == s ? s : pool_printf(p, "%s…", c);
}

/*
 * The key a header or a word is compared by: lower case, «ё» as «е»,
 * letters (Latin, Cyrillic) and digits only; in the pool.
 */
static char *
head_key(struct pool *p, const char *s)
{
	char		*low, *out, *o;
	const char	*q;
	uint32_t	 cp;
	size_t		 n;

	low = pool_strdup(p, s);
	utf8_lower(low);
	o = out = pool_alloc(p, strlen(low) + 1);
	for (q = low; *q != '\0'; q += n) {
		if ((n = utf8_decode(q, UTF8_MAX, &cp)) == 0) {
			n = 1;
			continue;
		}
		if (cp == 0x451)
			cp = 0x435;		/* ё as е */
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    (cp >= 0x430 && cp <= 0x44F))
			o += utf8_encode(cp, o);
	}
	*o = '\0';
	return out;
}

/* The column a header cell names, or COL__MAX. */
static enum col
head_col(struct pool *p, const char *cell)
{
	const char	*k = head_key(p, cell);
	size_t		 i, j, n;

	for (i = 0; i < NELEM(heads); i++) {
		n = strlen(heads[i].key);
		if (strncmp(k, heads[i].key, n) != 0)
			continue;
		for (j = 0; j < NELEM(quals); j++)
			if (strcmp(k + n, quals[j]) == 0)
				return heads[i].col;
	}
	return COL__MAX;
}

static int
in_list(const char *k, const char *const *list, size_t n, int prefix)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (prefix ? strncmp(k, list[i], strlen(list[i])) == 0 :
		    strcmp(k, list[i]) == 0)
			return 1;
	return 0;
}

/* The role a cell names: "student", "teacher", "" empty, NULL unknown. */
static const char *
role_word(struct pool *p, const char *cell)
{
	const char	*k = head_key(p, cell);

	if (*k == '\0')
		return *cell == '\0' ? "" : NULL;
	if (in_list(k, students, NELEM(students), 0))
		return "student";
	if (in_list(k, teachers, NELEM(teachers), 1))
		return "teacher";
	if (in_list(k, students, NELEM(students), 1))
		return "student";
	return NULL;
}

/* A Latin capital that looks like a Cyrillic one, as that one. */
static uint32_t
cyrillic_look(uint32_t cp)
{
	static const struct {
		char		 lat;
		uint16_t	 cyr;
	} look[] = {
		{ 'A', 0x410 }, { 'B', 0x412 }, { 'C', 0x421 },
		{ 'E', 0x415 }, { 'H', 0x41D }, { 'K', 0x41A },
		{ 'M', 0x41C }, { 'O', 0x41E }, { 'P', 0x420 },
		{ 'T', 0x422 }, { 'X', 0x425 }, { 'Y', 0x423 },
	};
	size_t	 i;

	for (i = 0; i < NELEM(look); i++)
		if (cp == (uint32_t)look[i].lat)
			return look[i].cyr;
	return cp;
}

/* 1 when cp is a letter a class's letter may be (Latin, Russian). */
static int
class_letter(uint32_t cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	    (cp >= 0x410 && cp <= 0x44F) || cp == 0x401 || cp == 0x451;
}

static uint32_t
upper(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return cp - 0x20;
	if (cp >= 0x430 && cp <= 0x44F)
		return cp - 0x20;
	if (cp == 0x451)
		return 0x401;
	return cp;
}

/* What may stand between the grade, the letter and the title. */
static int
class_sep(uint32_t cp)
{
	return cp == ' ' || cp == '-' || cp == '.' || cp == '/' ||
	    cp == '"' || cp == '\'' || cp == 0x2013 || cp == 0x2014 ||
	    cp == 0xAB || cp == 0xBB || cp == 0x201C || cp == 0x201D ||
	    cp == 0x201E || cp == 0x2018 || cp == 0x2019;
}

/* The words «класс», «кл.» dropped from the cleaned text s. */
static char *
drop_class_word(struct pool *p, const char *s)
{
	struct buf	 b;
	const char	*w, *e;
	char		*k, *out;

	buf_init(&b);
	buf_puts(&b, "");
	for (w = s; *w != '\0'; w = *e == ' ' ? e + 1 : e) {
		e = w + strcspn(w, " ");
		k = pool_strndup(p, w, (size_t)(e - w));
		utf8_lower(k);
		if (strcmp(k, "класс") == 0 || strcmp(k, "класса") == 0 ||
		    strcmp(k, "кл") == 0 || strcmp(k, "кл.") == 0)
			continue;
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_add(&b, w, (size_t)(e - w));
	}
	out = pool_strndup(p, b.data, b.len);
	buf_free(&b);
	return out;
}

/* A quotation mark around a title. */
static int
quote(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == 0xAB || cp == 0xBB ||
	    cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x2018 ||
	    cp == 0x2019;
}

/*
 * The title after a class's grade and letter: quotation marks around
 * it and a pair of brackets dropped; NULL when it is too long or holds
 * no letter.
 */
static const char *
class_title(struct pool *p, const char *s)
{
	const char	*t, *e;
	char		*c;
	uint32_t	 cp;
	size_t		 n, len;
	int		 letter = 0;

	for (;;) {
		c = clean(p, s);
		if (c == NULL)
			return NULL;
		len = strlen(c);
		if ((n = utf8_decode(c, len, &cp)) > 0 && quote(cp)) {
			s = c + n;
			continue;
		}
		/* The last character: back over its continuation bytes. */
		for (e = c + len; e > c && (*--e & 0xC0) == 0x80; )
			;
		if (e > c && utf8_decode(e, len - (size_t)(e - c), &cp) > 0 &&
		    quote(cp)) {
			c[e - c] = '\0';
			s = c;
			continue;
		}
		if (len >= 2 && c[0] == '(' && c[len - 1] == ')') {
			c[len - 1] = '\0';
			s = c + 1;
			continue;
		}
		break;
	}
	for (t = c; *t != '\0'; t += n) {
		if ((n = utf8_decode(t, UTF8_MAX, &cp)) == 0)
			return NULL;
		letter |= cp > 0x7F || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= 'a' && cp <= 'z');
	}
	if (!letter || utf8_chars(c) > TITLE_CHARS)
		return NULL;
	return c;
}

int
roster_class_parse(struct pool *p, const char *text, int *grade,
    const char **letter, const char **title)
{
	const char	*s, *tok, *end, *k;
	char		*c, l[UTF8_MAX + LETTER_DIGITS + 1];
	uint32_t	 cp, first = 0;
	size_t		 n, letters = 0, digits = 0, ln;
	int		 g = 0, nd = 0;

	*grade = 0;
	*letter = "";
	*title = "";
	if (text == NULL)
		return 0;
	if ((c = clean(p, text)) == NULL)
		return -1;
	if (*c == '\0')
		return 0;
	if (utf8_chars(c) > CLASS_CHARS)
		return -1;
	s = drop_class_word(p, c);
	while ((n = utf8_decode(s, UTF8_MAX, &cp)) > 0 && class_sep(cp) &&
	    cp != '-')
		s += n;
	for (; *s >= '0' && *s <= '9'; s++)
		if (++nd > 2 || (g = g * 10 + (*s - '0')) > 11)
			return -1;
	if (nd == 0 || g < 1)
		return -1;
	while ((n = utf8_decode(s, UTF8_MAX, &cp)) > 0 && class_sep(cp))
		s += n;
	if (*s == '\0') {
		*grade = g;
		return 0;
	}

	/* The word after the grade: a letter with its digits, or a title. */
	for (tok = end = s; (n = utf8_decode(end, UTF8_MAX, &cp)) > 0;
	    end += n) {
		if (class_letter(cp) && digits == 0) {
			if (letters++ == 0)
				first = cp;
		} else if (cp >= '0' && cp <= '9' && letters > 0)
			digits++;
		else
			break;
	}
	if (*end != '\0' && *end != '(' && ((n = utf8_decode(end, UTF8_MAX,
	    &cp)) == 0 || !class_sep(cp)))
		return -1;		/* «9 1», «9 №», «9А,Б» */
	k = head_key(p, pool_strndup(p, tok, (size_t)(end - tok)));
	if (letters > 0 && digits == 0 && in_list(k, ordinals,
	    NELEM(ordinals), 0))
		return -1;
	if (letters == 1 && digits <= LETTER_DIGITS) {
		first = cyrillic_look(upper(first));
		/* Ъ Ы Ь Й name no class: «9-й» is an ordinal. */
		if (first == 0x42A || first == 0x42B || first == 0x42C ||
		    first == 0x419)
			return -1;
		ln = utf8_encode(first, l);
		memcpy(l + ln, end - digits, digits);
		l[ln + digits] = '\0';
		*letter = pool_strdup(p, l);
		s = end;
		while ((n = utf8_decode(s, UTF8_MAX, &cp)) > 0 &&
		    class_sep(cp))
			s += n;
	} else if (digits > 0)
		return -1;		/* «9АБ12» */
	if (*s != '\0' && (*title = class_title(p, s)) == NULL) {
		*letter = "";
		*title = "";
		return -1;
	}
	*grade = g;
	return 0;
}

/*
 * A birth date as a school writes it (ДД.ММ.ГГГГ, Д.М.ГГГГ, with '.',
 * '/' or '-'; ГГГГ-ММ-ДД; a time after it, as Excel adds, ignored) in
 * ISO form for valid_birth_date; anything else as it is, for it to
 * refuse.
 */
static const char *
date_iso(struct pool *p, const char *s)
{
	int	 v[3] = { 0, 0, 0 }, nd[3] = { 0, 0, 0 }, i = 0;
	char	 sep = 0;
	const char	*q;

	for (q = s; *q != '\0' && *q != ' '; q++) {
		if (*q >= '0' && *q <= '9') {
			if (++nd[i] > 4)
				return s;
			v[i] = v[i] * 10 + (*q - '0');
		} else if ((*q == '.' || *q == '/' || *q == '-') && i < 2 &&
		    nd[i] > 0 && (sep == 0 || *q == sep)) {
			sep = *q;
			i++;
		} else
			return s;
	}
	if (*q == ' ' && strspn(q + 1, "0123456789:") != strlen(q + 1))
		return s;
	if (i != 2)
		return s;
	if (nd[0] == 4 && nd[1] <= 2 && nd[2] <= 2 && nd[1] > 0 && nd[2] > 0)
		return pool_printf(p, "%04d-%02d-%02d", v[0], v[1], v[2]);
	if (nd[2] == 4 && nd[0] <= 2 && nd[1] <= 2)
		return pool_printf(p, "%04d-%02d-%02d", v[2], v[1], v[0]);
	return s;
}

/*
 * The person_key of parta.person_key (sql/0028_roster.sql) for the
 * Russian and Latin letters: lower case, «ё» as «е», no spaces or
 * hyphens inside a name, the three names apart.
 */
static void
key_part(struct buf *b, const char *name)
{
	char		*low = xstrdup(name), *q;

	utf8_lower(low);
	for (q = low; *q != '\0'; q++) {
		if (*q == ' ' || *q == '-')
			continue;
		if ((unsigned char)q[0] == 0xD1 &&
		    (unsigned char)q[1] == 0x91) {
			buf_puts(b, "е");
			q++;
			continue;
		}
		buf_putc(b, *q);
	}
	free(low);
}

struct dup {
	const char	*key;
	size_t		 i;
};

static int
dup_cmp(const void *a, const void *b)
{
	const struct dup	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Marks each row that names the same person as an earlier row. */
static void
mark_dups(struct pool *p, struct roster *r)
{
	struct dup		*d;
	struct roster_row	*w;
	struct buf		 b;
	size_t			 i, n = 0, first = 0;

	d = pool_alloc(p, (r->n > 0 ? r->n : 1) * sizeof(*d));
	for (i = 0; i < r->n; i++) {
		w = &r->rows[i];
		if (w->error_field != NULL && (strcmp(w->error_field,
		    "last_name") == 0 || strcmp(w->error_field,
		    "first_name") == 0 || strcmp(w->error_field,
		    "patronymic") == 0))
			continue;
		buf_init(&b);
		key_part(&b, w->last_name);
		buf_putc(&b, ' ');
		key_part(&b, w->first_name);
		buf_putc(&b, ' ');
		key_part(&b, w->patronymic);
		if (w->birth_date != NULL)
			buf_printf(&b, "|b%s", w->birth_date);
		else {
			buf_printf(&b, "|c%d|", w->grade);
			key_part(&b, w->letter);
			buf_putc(&b, '|');
			key_part(&b, w->title);
		}
		d[n].key = pool_strndup(p, b.data, b.len);
		d[n++].i = i;
		buf_free(&b);
	}
	qsort(d, n, sizeof(*d), dup_cmp);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(d[i].key, d[first].key) != 0) {
			first = i;
			continue;
		}
		w = &r->rows[d[i].i];
		w->dup_of = r->rows[d[first].i].line;
		if (w->error == NULL) {
			w->error = pool_printf(p, "тот же человек, что в "
			    "строке %d", w->dup_of);
			w->error_field = "line";
		}
	}
}

static void
row_error(struct roster_row *w, const char *field, const char *msg)
{
	if (w->error != NULL)
		return;
	w->error = msg;
	w->error_field = field;
}

/*
 * A name of the row: valid_fn's rule, the value kept (cut to fit) even
 * when wrong, so that the preview shows what the file said.
 */
static const char *
row_name(struct pool *p, struct roster_row *w, const char *field,
    const char *in, valid_fn fn, const char *bad, const char *none)
{
	char	 out[VALID_MAX];

	if (*in == '\0') {
		if (none != NULL)
			row_error(w, field, none);
		return "";
	}
	if (fn(in, out, sizeof(out)) == NULL)
		return pool_strdup(p, out);
	if (utf8_chars(in) > NAME_CHARS)
		row_error(w, field, pool_printf(p, "%s: длиннее %d букв",
		    bad, NAME_CHARS));
	else
		row_error(w, field, pool_printf(p, "%s: «%s»", bad,
		    show(p, in)));
	return cut(p, in, NAME_CHARS);
}

/* Fills w from the row's cells (cleaned; "" for a missing column). */
static void
row_fill(struct pool *p, struct roster_row *w, const char *const *v,
    int has_role, int split_fio)
{
	const char	*last = v[COL_LAST], *first = v[COL_FIRST];
	const char	*patr = v[COL_PATR], *role, *iso;
	char		 out[VALID_MAX], *fio, *sp;

	if (split_fio) {
		fio = pool_strdup(p, v[COL_FIO]);
		last = fio;
		first = patr = "";
		if ((sp = strchr(fio, ' ')) != NULL) {
			*sp = '\0';
			first = sp + 1;
			if ((sp = strchr(sp + 1, ' ')) != NULL) {
				*sp = '\0';
				patr = sp + 1;
			}
		}
	}
	w->last_name = row_name(p, w, "last_name", last, valid_last_name,
	    "неверная фамилия", "не указана фамилия");
	w->first_name = row_name(p, w, "first_name", first, valid_name,
	    "неверное имя", "не указано имя");
	w->patronymic = row_name(p, w, "patronymic", patr, valid_name_opt,
	    "неверное отчество", NULL);

	w->class_text = cut(p, v[COL_CLASS], CLASS_CHARS);
	role = has_role ? role_word(p, v[COL_ROLE]) : "student";
	if (role == NULL)
		row_error(w, "role", pool_printf(p, "роль не распознана: «%s»: "
		    "пишите «ученик» или «учитель»", show(p, v[COL_ROLE])));
	else if (*role == '\0' && *v[COL_CLASS] == '\0') {
		row_error(w, "role", "не указана роль: ученик или учитель");
		role = NULL;
	} else if (*role == '\0')
		role = "student";
	w->role = role;
	if (roster_class_parse(p, v[COL_CLASS], &w->grade, &w->letter,
	    &w->title) != 0) {
		w->grade = 0;
		w->letter = w->title = "";
		row_error(w, "class", pool_printf(p, "класс не распознан: "
		    "«%s»", show(p, v[COL_CLASS])));
	}

	if (*v[COL_PHONE] != '\0') {
		if (valid_phone(v[COL_PHONE], out, sizeof(out)) == NULL)
			w->phone = pool_strdup(p, out);
		else
			row_error(w, "phone", pool_printf(p, "неверный номер "
			    "телефона: «%s»", show(p, v[COL_PHONE])));
	}
	if (*v[COL_EMAIL] != '\0') {
		if (valid_email(v[COL_EMAIL], out, sizeof(out)) == NULL)
			w->email = pool_strdup(p, out);
		else
			row_error(w, "email", pool_printf(p, "неверный адрес "
			    "почты: «%s»", show(p, v[COL_EMAIL])));
	}
	if (*v[COL_BIRTH] != '\0') {
		iso = date_iso(p, v[COL_BIRTH]);
		if (valid_birth_date(iso, out, sizeof(out)) == NULL)
			w->birth_date = pool_strdup(p, out);
		else
			row_error(w, "birth_date", pool_printf(p, "неверная "
			    "дата рождения: «%s»", show(p, v[COL_BIRTH])));
	}
}

/*
 * A file that is neither UTF-8 nor Windows-1251 as a whole, but whose
 * lines are each one or the other (rows pasted from two files): the
 * first line (counted by line breaks) written otherwise than the first
 * line of letters, that one's number in *other; 0 when it is not so.
 */
static int
mixed_line(const char *data, size_t len, int *other)
{
	const char	*q = data, *e, *end = data + len;
	int		 line = 0, first = 0, first_utf8 = 0, utf8, ascii;
	size_t		 i;

	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0)
		q += 3;
	for (; q < end; q = e + 1) {
		line++;
		if ((e = memchr(q, '\n', (size_t)(end - q))) == NULL)
			e = end;
		for (ascii = 1, i = 0; q + i < e; i++)
			if ((unsigned char)q[i] >= 0x80)
				ascii = 0;
		if (ascii)
			continue;
		utf8 = utf8_valid(q, (size_t)(e - q));
		if (first == 0) {
			first = line;
			first_utf8 = utf8;
		} else if (utf8 != first_utf8) {
			*other = first;
			return line;
		}
		if (e == end)
			break;
	}
	return 0;
}

/* Sets *why and *why_line for a refusal and answers status. */
static int
refuse(struct roster *out, const char **why, int *why_line, int status,
    const char *msg, int line)
{
	out->rows = NULL;
	out->n = 0;
	*why = msg;
	*why_line = line;
	return status;
}

int
roster_read(struct pool *p, const char *data, size_t len,
    struct roster *out, const char **why, int *why_line)
{
	struct roster_row	*w;
	const char		*s, *v[COL__MAX], *next;
	char			*cells[CELLS], delim = ';', *c;
	size_t			 i, n, cap = 0;
	int			 col[COL__MAX], line = 0, head = 0, unclosed;
	int			 any, k;

	out->rows = NULL;
	out->n = 0;
	*why = NULL;
	*why_line = 0;
	if (len > ROSTER_MAX_BYTES)
		return refuse(out, why, why_line, 413, "Файл больше 2 МБ: "
		    "в списке может быть до 5000 человек", 0);
	if ((s = csv_text(p, data, len)) == NULL) {
		if ((line = mixed_line(data, len, &k)) > 0)
			return refuse(out, why, why_line, 422, pool_printf(p,
			    "в этой строке другая кодировка, чем в строке %d: "
			    "в файле смешаны UTF-8 и Windows-1251. Сохраните "
			    "файл в Excel как «CSV UTF-8» и загрузите снова",
			    k), line);
		return refuse(out, why, why_line, 422, "Файл не похож на "
		    "таблицу. Сохраните файл в Excel как «CSV UTF-8» и "
		    "загрузите снова", 0);
	}

	if (strspn(s, " \t\r\n;,") == strlen(s))
		return refuse(out, why, why_line, 422, "Файл пустой", 0);

	/* The header: the first row with a column of names. */
	while (*s != '\0' && !head && line < ROSTER_HEAD_SCAN) {
		line++;
		delim = csv_delim(s);
		n = csv_record_checked(p, &s, delim, cells, CELLS, &unclosed);
		if (unclosed)
			return refuse(out, why, why_line, 422, "открыта "
			    "кавычка, но не закрыта", line);
		for (k = 0; k < COL__MAX; k++)
			col[k] = -1;
		for (i = 0; i < n; i++) {
			k = (int)head_col(p, cells[i]);
			if (k != COL__MAX && col[k] < 0)
				col[k] = (int)i;
		}
		head = col[COL_LAST] >= 0 || col[COL_FIRST] >= 0 ||
		    col[COL_FIO] >= 0;
	}
	if (!head)
		return refuse(out, why, why_line, 422, "Не найдена строка с "
		    "названиями столбцов: нужны «Фамилия» и «Имя» или «ФИО»",
		    0);
	if (col[COL_FIO] < 0 && col[COL_LAST] < 0)
		return refuse(out, why, why_line, 422, "нет столбца "
		    "«Фамилия» (или «ФИО»)", line);
	if (col[COL_FIO] < 0 && col[COL_FIRST] < 0)
		return refuse(out, why, why_line, 422, "нет столбца «Имя» "
		    "(или «ФИО»)", line);

	while (*s != '\0') {
		if (++line > ROSTER_MAX_LINES)
			return refuse(out, why, why_line, 413, "В файле больше "
			    "100 000 строк", 0);
		next = s;
		n = csv_record_checked(p, &next, delim, cells, CELLS,
		    &unclosed);
		if (unclosed)
			return refuse(out, why, why_line, 422, "открыта "
			    "кавычка, но не закрыта", line);
		s = next;
		any = 0;
		for (k = 0; k < COL__MAX; k++) {
			v[k] = "";
			if (col[k] < 0 || (size_t)col[k] >= n)
				continue;
			if ((c = clean(p, cells[col[k]])) != NULL)
				v[k] = c;
			any |= *v[k] != '\0';
		}
		if (!any)
			continue;
		if (out->n == ROSTER_MAX_ROWS)
			return refuse(out, why, why_line, 413, "в списке больше "
			    "5000 человек: разделите его на несколько файлов",
			    line);
		if (out->n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if (cap > ROSTER_MAX_ROWS)
				cap = ROSTER_MAX_ROWS;
			w = pool_alloc(p, cap * sizeof(*w));
			if (out->n > 0)
				memcpy(w, out->rows, out->n * sizeof(*w));
			out->rows = w;
		}
		w = &out->rows[out->n++];
		memset(w, 0, sizeof(*w));
		w->line = line;
		row_fill(p, w, v, col[COL_ROLE] >= 0, col[COL_LAST] < 0 ||
		    col[COL_FIRST] < 0);
	}
	if (out->n == 0)
		return refuse(out, why, why_line, 422, "В файле нет ни одной "
		    "строки с людьми под строкой названий столбцов", 0);
	mark_dups(p, out);
	return 0;
}
