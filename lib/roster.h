/*
 * roster: the one reader of a school's list of people (issue 20): a CSV
 * file as a spreadsheet or an electronic diary saves it, read into rows
 * that sql/0028_roster.sql's parta.roster_row keeps, each with the first
 * reason it cannot be applied.  Which class a row names, who the person
 * is and what apply does are the database's (sql/0029_roster_rules.sql).
 *
 * The file (lib/csv's reader): UTF-8 with or without a BOM, Windows-1251
 * or UTF-16 with its BOM; ';', tab or ',' between cells (the header's
 * line decides); RFC 4180 quotes; CRLF or LF.  At most ROSTER_MAX_BYTES
 * bytes and ROSTER_MAX_ROWS rows of people.
 *
 * The header is the first row with a column of names: at most
 * ROSTER_HEAD_SCAN rows are looked at, so a title above the table
 * («Список 9А класса») is passed over.  Its columns, in any order,
 * Russian or English, upper or lower case, spaces and punctuation
 * ignored («Ф.И.О.», «E-mail», «Дата рождения»); README's "Roster
 * columns" has the table:
 *   Фамилия, Имя, Отчество (or one ФИО column: the first word is the
 *   last name, the second the first name, the rest the patronymic),
 *   Роль (ученик, учащийся, учитель, педагог, ...; a file without it is
 *   a list of students; an empty cell with a class is a student),
 *   Класс («9Г», «9 Г», «9г ФизМат»: roster_class_parse), Телефон
 *   (valid_phone), Почта (valid_email), Дата рождения (ДД.ММ.ГГГГ or
 *   ГГГГ-ММ-ДД: valid_birth_date).
 * Other columns (№, пол, СНИЛС...) are ignored; a row whose known
 * cells are all empty is passed over (its line still counts).
 *
 * Lines are the file's rows as a spreadsheet numbers them (the first
 * row is 1; a line break inside quotes does not start a row): what the
 * secretary sees next to «строка 12».
 *
 * Every value fits its column of parta.roster_row (a name at most 60
 * characters, the class as written 120, a letter 8, a title 100, an
 * e-mail 254, an error 300), whatever the file holds: a value too long
 * is cut, and the row has an error.
 */
#ifndef PARTA_ROSTER_H
#define PARTA_ROSTER_H

#include <stddef.h>

struct pool;

#define ROSTER_MAX_ROWS		5000
#define ROSTER_MAX_BYTES	(2 * 1024 * 1024)
/* Rows of the file counted with the empty ones: parta.roster_row.line's
 * bound. */
#define ROSTER_MAX_LINES	100000
/* Rows searched for the header. */
#define ROSTER_HEAD_SCAN	10

struct roster_row {
	int		 line;		/* line in the file; the header is 1 */
	const char	*last_name;	/* trimmed, spaces collapsed; "" none */
	const char	*first_name;
	const char	*patronymic;
	const char	*role;		/* "student" | "teacher" | NULL
					 * unreadable */
	const char	*class_text;	/* the cell as written, trimmed; ""
					 * none */
	int		 grade;		/* 1..11; 0 no class or unreadable */
	const char	*letter;	/* upper-case; "" none */
	const char	*title;		/* "ФизМат"; "" none */
	const char	*phone;		/* "+7XXXXXXXXXX" or NULL */
	const char	*email;		/* lower-case or NULL */
	const char	*birth_date;	/* "YYYY-MM-DD" or NULL */
	const char	*error;		/* first Russian reason the row cannot
					 * be applied, NULL when none */
	const char	*error_field;	/* "last_name", "phone", ... of error
					 * ("line" for a duplicate) */
	int		 dup_of;	/* earlier line of the same person in
					 * this file, 0 none (error set too) */
};

struct roster {
	struct roster_row	*rows;
	size_t			 n;
};

/*
 * Reads the len bytes of an uploaded file (data need not end in a NUL)
 * into *out: its rows of people in the file's order, each checked.
 * Returns 0; 413 over ROSTER_MAX_BYTES bytes, ROSTER_MAX_ROWS rows of
 * people or ROSTER_MAX_LINES rows in all; 422 when the file cannot be
 * read as a list: not text in a known encoding (lines in UTF-8 and
 * lines in Windows-1251: the first line unlike the first one with
 * letters), no header with names, no row of people, a quote never
 * closed.  On 413 and 422, *why is the reason in Russian for the person
 * who uploaded the file and *why_line the line it is about (0 = the
 * whole file), and *out is empty.  With a line, *why does not name it
 * and starts in lower case, for the caller to put «Строка N: » before
 * it («открыта кавычка, но не закрыта»); without one it is a sentence
 * («Файл пустой»).
 * Everything (rows, strings, *why) lives in the pool.
 *
 * A row's error is the first of, in this order: the last name, the
 * first name, the patronymic (valid_name's rule: letters, space, hyphen,
 * apostrophe, at most 60 characters), the role, the class, the phone,
 * the e-mail, the birth date, then a duplicate: the same person as an
 * earlier line (the same names, letter case, «ё» and spaces and hyphens
 * aside as in parta.person_key, and the same birth date, or, without
 * one, the same class).  A duplicate keeps dup_of even when another
 * error came first.  The messages are short and name the value in
 * quotes, the same way for every column («неверный номер телефона:
 * «8-900-12»», «класс не распознан: «9-ый»»).
 */
int	roster_read(struct pool *, const char *data, size_t len,
	    struct roster *out, const char **why, int *why_line);

/*
 * Reads a class as people write it: «9Г», «9 Г», «9г ФизМат», «11-А»,
 * «5 "Б"», «9 класс», «10Б1 (профиль)».  The grade is 1..11 and comes
 * first; then an optional letter, one letter with up to two digits,
 * upper-cased, a Latin letter that looks like a Cyrillic one read as
 * that one (so «9A» typed in the Latin layout is «9А»); then an optional
 * title (at most 100 characters, surrounding quotes or brackets
 * dropped); the word «класс» («кл.») anywhere is ignored.  A word
 * after the grade that is not one letter is a title («9 ФизМат»),
 * unless it is an ordinal's ending («9-ый», «9-й»).  Returns 0 with
 * *grade, *letter, *title set (empty text: 0 and 0, "", ""), or -1 when
 * the text cannot be read (no grade first, a grade past 11, an
 * ordinal, more than 120 characters: parta.roster_row.class_text's
 * bound...; *grade 0, *letter and *title "").  text NULL is empty.
 * The strings live in the pool.
 */
int	roster_class_parse(struct pool *, const char *text, int *grade,
	    const char **letter, const char **title);

#endif
