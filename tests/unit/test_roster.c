/*
 * Unit tests for lib/roster.c, the reader of a school's list: the file
 * as schools have it (UTF-8 with and without a BOM, Windows-1251,
 * UTF-16; ';', ',' and tab; quotes; CRLF), the columns by their Russian
 * and English names in any order and a single «ФИО», the role words,
 * class names, each row's error in Russian, duplicates inside the file,
 * and the limits (413, 422 with the line).  No database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pool.h"
#include "roster.h"

#define BOM	"\xEF\xBB\xBF"
#define HEAD	"Фамилия;Имя;Отчество;Роль;Класс;Телефон;Почта;Дата рождения"

static struct pool	*pool;

static int
setup(void **state)
{
	(void)state;
	pool = pool_new();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pool_free(pool);
	return 0;
}

/* Reads s (a C string) and expects status. */
static struct roster
rd(const char *s, size_t len, int status)
{
	struct roster	 r;
	const char	*why;
	int		 line;

	assert_int_equal(roster_read(pool, s, len, &r, &why, &line), status);
	if (status == 0)
		assert_null(why);
	else {
		assert_non_null(why);
		assert_int_equal(r.n, 0);
	}
	return r;
}

#define RD(s, st)	rd((s), sizeof(s) - 1, (st))

/* The error (or NULL) of file s: status and line as expected. */
static const char *
why_of(const char *s, size_t len, int status, int want_line)
{
	struct roster	 r;
	const char	*why;
	int		 line;

	assert_int_equal(roster_read(pool, s, len, &r, &why, &line), status);
	assert_int_equal(line, want_line);
	assert_int_equal(r.n, 0);
	return why;
}

static void
test_utf8_bom_semicolon_crlf(void **state)
{
	struct roster		 r;
	struct roster_row	*w;

	(void)state;
	r = RD(BOM HEAD "\r\n"
	    "Иванов;Иван;Иванович;ученик;9Г;8 (912) 345-67-89;"
	    "Ivan@Mail.RU;01.09.2010\r\n"
	    "\"Петрова-Водкина\";\" Анна  Мария \";;учитель;;;;\r\n",
	    0);
	assert_int_equal(r.n, 2);
	w = &r.rows[0];
	assert_int_equal(w->line, 2);
	assert_string_equal(w->last_name, "Иванов");
	assert_string_equal(w->first_name, "Иван");
	assert_string_equal(w->patronymic, "Иванович");
	assert_string_equal(w->role, "student");
	assert_string_equal(w->class_text, "9Г");
	assert_int_equal(w->grade, 9);
	assert_string_equal(w->letter, "Г");
	assert_string_equal(w->title, "");
	assert_string_equal(w->phone, "+79123456789");
	assert_string_equal(w->email, "ivan@mail.ru");
	assert_string_equal(w->birth_date, "2010-09-01");
	assert_null(w->error);
	assert_null(w->error_field);
	assert_int_equal(w->dup_of, 0);
	w = &r.rows[1];
	assert_int_equal(w->line, 3);
	assert_string_equal(w->last_name, "Петрова-Водкина");
	assert_string_equal(w->first_name, "Анна Мария");
	assert_string_equal(w->patronymic, "");
	assert_string_equal(w->role, "teacher");
	assert_string_equal(w->class_text, "");
	assert_int_equal(w->grade, 0);
	assert_null(w->phone);
	assert_null(w->email);
	assert_null(w->birth_date);
	assert_null(w->error);
}

/* Commas, English names in another order, quotes with the delimiter
 * and a doubled quote inside, LF only, no trailing line break. */
static void
test_comma_english_quotes(void **state)
{
	struct roster	 r;

	(void)state;
	r = RD("Class,E-mail,First Name,Last Name,Role,Date of birth\n"
	    "\"10Б, ФизМат\",,Olga,O'Neil,Student,2009-12-31\n"
	    "\"11 \"\"А\"\"\",a@b.ru,Пётр,Ёлкин,teacher,",
	    0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.rows[0].last_name, "O'Neil");
	assert_string_equal(r.rows[0].first_name, "Olga");
	assert_string_equal(r.rows[0].class_text, "10Б, ФизМат");
	assert_string_equal(r.rows[0].error, "класс не распознан: "
	    "«10Б, ФизМат»");
	assert_string_equal(r.rows[0].error_field, "class");
	assert_string_equal(r.rows[0].birth_date, "2009-12-31");
	assert_int_equal(r.rows[1].grade, 11);
	assert_string_equal(r.rows[1].letter, "А");
	assert_string_equal(r.rows[1].role, "teacher");
	assert_string_equal(r.rows[1].email, "a@b.ru");
	assert_null(r.rows[1].error);
}

/* Windows-1251 as Excel saves it: «Ёлкин Пётр 9Г», «Іванова Марія
 * 5 «Б»» (Ukrainian letters from the whole table). */
static void
test_cp1251(void **state)
{
	struct roster	 r;

	(void)state;
	r = RD("\xd4\xe0\xec\xe8\xeb\xe8\xff;\xc8\xec\xff;\xca\xeb\xe0\xf1"
	    "\xf1\r\n\xa8\xeb\xea\xe8\xed;\xcf\xb8\xf2\xf0;9\xc3\r\n\xb2\xe2"
	    "\xe0\xed\xee\xe2\xe0;\xcc\xe0\xf0\xb3\xff;5 \xab\xc1\xbb\r\n", 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.rows[0].last_name, "Ёлкин");
	assert_string_equal(r.rows[0].first_name, "Пётр");
	assert_string_equal(r.rows[0].letter, "Г");
	assert_string_equal(r.rows[1].last_name, "Іванова");
	assert_string_equal(r.rows[1].first_name, "Марія");
	assert_int_equal(r.rows[1].grade, 5);
	assert_string_equal(r.rows[1].letter, "Б");
	assert_string_equal(r.rows[1].role, "student");
	assert_null(r.rows[1].error);
}

/* Excel's "Unicode text": UTF-16LE with its BOM, tabs between cells. */
static void
test_utf16(void **state)
{
	const char	*text = "ФИО\tКласс\r\nСидоров Пётр Ильич\t7а\r\n";
	struct roster	 r;
	struct buf	 b;
	uint32_t	 cp;
	const unsigned char *s = (const unsigned char *)text;

	(void)state;
	buf_init(&b);
	buf_add(&b, "\xFF\xFE", 2);
	while (*s != '\0') {
		if (*s < 0x80)
			cp = *s++;
		else {
			cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
			s += 2;
		}
		buf_putc(&b, (char)(cp & 0xFF));
		buf_putc(&b, (char)(cp >> 8));
	}
	r = rd(b.data, b.len, 0);
	buf_free(&b);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.rows[0].last_name, "Сидоров");
	assert_string_equal(r.rows[0].first_name, "Пётр");
	assert_string_equal(r.rows[0].patronymic, "Ильич");
	assert_string_equal(r.rows[0].letter, "А");
	assert_int_equal(r.rows[0].grade, 7);
}

/* A title above the table, «Ф.И.О.» split in three («оглы» stays with
 * the patronymic), empty rows passed over but counted, a line break in
 * quotes, unknown columns ignored. */
static void
test_fio_title_lines(void **state)
{
	struct roster	 r;

	(void)state;
	r = RD("Список 9А класса;;\n"
	    ";;\n"
	    "№;Ф.И.О. ученика;Дата рожд.;Пол\n"
	    "1;Алиев Рашид Магомед оглы;5.3.2011;м\n"
	    ";;;\n"
	    "2;\"Борисова\nЕлена\";;ж\n"
	    "3;Кузнецов;;м\n",
	    0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.rows[0].line, 4);
	assert_string_equal(r.rows[0].last_name, "Алиев");
	assert_string_equal(r.rows[0].first_name, "Рашид");
	assert_string_equal(r.rows[0].patronymic, "Магомед оглы");
	assert_string_equal(r.rows[0].birth_date, "2011-03-05");
	assert_string_equal(r.rows[0].role, "student");
	assert_int_equal(r.rows[1].line, 6);
	assert_string_equal(r.rows[1].last_name, "Борисова");
	assert_string_equal(r.rows[1].first_name, "Елена");
	assert_null(r.rows[1].error);
	assert_int_equal(r.rows[2].line, 7);
	assert_string_equal(r.rows[2].error, "не указано имя");
	assert_string_equal(r.rows[2].error_field, "first_name");
}

static void
test_roles(void **state)
{
	struct roster	 r;
	size_t		 i;
	static const char *const want[] = {
		"student", "student", "teacher", "teacher", "teacher",
		"student", NULL, NULL,
	};

	(void)state;
	r = RD("Фамилия;Имя;Роль;Класс\n"
	    "Аа;Бб;Учащийся;5А\n"
	    "Вв;Гг;;5А\n"
	    "Дд;Ее;Учитель математики;\n"
	    "Жж;Зз;ПЕДАГОГ;\n"
	    "Ии;Кк;кл. рук.;5А\n"
	    "Лл;Мм;ученица;5А\n"
	    "Нн;Оо;директор;\n"
	    "Пп;Рр;;\n",
	    0);
	assert_int_equal(r.n, 8);
	for (i = 0; i < r.n; i++) {
		if (want[i] == NULL)
			assert_null(r.rows[i].role);
		else
			assert_string_equal(r.rows[i].role, want[i]);
	}
	assert_string_equal(r.rows[6].error, "роль не распознана: "
	    "«директор»: пишите «ученик» или «учитель»");
	assert_string_equal(r.rows[6].error_field, "role");
	assert_string_equal(r.rows[7].error, "не указана роль: ученик или "
	    "учитель");

	/* No role column: a list of students. */
	r = RD("Фамилия,Имя\nЯковлев,Яков\n", 0);
	assert_string_equal(r.rows[0].role, "student");
	assert_null(r.rows[0].error);
	r = RD("Ученик\tКласс\nЯковлев Яков\t3В\n", 0);
	assert_string_equal(r.rows[0].role, "student");
	assert_string_equal(r.rows[0].first_name, "Яков");
	assert_null(r.rows[0].error);
}

/* Every kind of error, in the words a secretary reads. */
static void
test_errors(void **state)
{
	struct roster	 r;
	char		 long_name[200];

	(void)state;
	memset(long_name, 0, sizeof(long_name));
	memset(long_name, 'a', 61);
	r = RD(HEAD "\n"
	    "Иванов;Иван;;;9Г;8-900-12;;\n"
	    "Иванов;Иван;;;9-ый;;;\n"
	    "Ив@нов;Иван;;;9Г;;;\n"
	    ";Иван;;;9Г;;;\n"
	    "Петров;Пётр;;;9Г;;petrov@;\n"
	    "Петров;Пётр;;;9Г;;;31.02.2010\n"
	    "Петров;Пётр;;;9Г;;;01.01.2999\n"
	    "Петров;Пётр;1Иванович;;9Г;;;\n"
	    "Петров;Пётр;;;12А;+1 202 555 0100;x;y\n",
	    0);
	assert_int_equal(r.n, 9);
	assert_string_equal(r.rows[0].error,
	    "неверный номер телефона: «8-900-12»");
	assert_string_equal(r.rows[0].error_field, "phone");
	assert_null(r.rows[0].phone);
	assert_string_equal(r.rows[1].error, "класс не распознан: «9-ый»");
	assert_string_equal(r.rows[1].error_field, "class");
	assert_string_equal(r.rows[1].class_text, "9-ый");
	assert_int_equal(r.rows[1].grade, 0);
	assert_string_equal(r.rows[1].letter, "");
	assert_string_equal(r.rows[2].error, "неверная фамилия: «Ив@нов»");
	assert_string_equal(r.rows[2].last_name, "Ив@нов");
	assert_string_equal(r.rows[3].error, "не указана фамилия");
	assert_string_equal(r.rows[3].error_field, "last_name");
	assert_string_equal(r.rows[4].error,
	    "неверный адрес почты: «petrov@»");
	assert_string_equal(r.rows[4].error_field, "email");
	assert_null(r.rows[4].email);
	assert_string_equal(r.rows[5].error,
	    "неверная дата рождения: «31.02.2010»");
	assert_string_equal(r.rows[5].error_field, "birth_date");
	assert_null(r.rows[5].birth_date);
	assert_string_equal(r.rows[6].error,
	    "неверная дата рождения: «01.01.2999»");
	assert_string_equal(r.rows[7].error,
	    "неверное отчество: «1Иванович»");
	/* The first error in the order of the columns. */
	assert_string_equal(r.rows[8].error, "класс не распознан: «12А»");
	assert_null(r.rows[8].phone);
	assert_null(r.rows[8].email);
	assert_null(r.rows[8].birth_date);
	assert_int_equal(r.rows[8].dup_of, 0);
}

/* Whatever the file holds, the values fit parta.roster_row. */
static void
test_long_values(void **state)
{
	struct roster	 r;
	struct buf	 b;
	int		 i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "ФИО;Класс\n");
	for (i = 0; i < 70; i++)
		buf_puts(&b, "Я");
	buf_puts(&b, " Иван;9А ");
	for (i = 0; i < 130; i++)
		buf_puts(&b, "Ж");
	buf_puts(&b, "\n");
	r = rd(b.data, b.len, 0);
	buf_free(&b);
	assert_int_equal(r.n, 1);
	assert_int_equal(strlen(r.rows[0].last_name), 60 * 2);
	assert_string_equal(r.rows[0].error,
	    "неверная фамилия: длиннее 60 букв");
	assert_int_equal(strlen(r.rows[0].class_text), 4 + 117 * 2);
	assert_int_equal(r.rows[0].grade, 0);
}

/* The same person twice: by names and birth date (whatever the class,
 * «ё», case, hyphens), or without a birth date in the same class; a
 * namesake in another class is another child. */
static void
test_duplicates(void **state)
{
	struct roster	 r;

	(void)state;
	r = RD("Фамилия;Имя;Отчество;Класс;Дата рождения\n"
	    "Семёнов;Пётр;Ильич;5А;2014-02-03\n"		/* 2 */
	    "СЕМЕНОВ;петр;Ильич;6Б;03.02.2014\n"		/* 3 dup 2 */
	    "Орлова;Анна;;5А;\n"				/* 4 */
	    "Орлова;Анна;;5Б;\n"				/* 5 */
	    "Орлова;Анна;;5 а;\n"				/* 6 dup 4 */
	    "Семёнов;Пётр;Ильич;5А;2014-02-03\n"		/* 7 dup 2 */
	    "Семенов;Петр;Ильич;5А;bad\n"			/* 8 dup 4? no */
	    "Семенов;Петр;Ильич;5А;\n",			/* 9 dup 8 */
	    0);
	assert_int_equal(r.n, 8);
	assert_int_equal(r.rows[0].dup_of, 0);
	assert_null(r.rows[0].error);
	assert_int_equal(r.rows[1].dup_of, 2);
	assert_string_equal(r.rows[1].error,
	    "тот же человек, что в строке 2");
	assert_string_equal(r.rows[1].error_field, "line");
	assert_int_equal(r.rows[2].dup_of, 0);
	assert_int_equal(r.rows[3].dup_of, 0);
	assert_int_equal(r.rows[4].dup_of, 4);
	assert_int_equal(r.rows[5].dup_of, 2);
	/* A duplicate whose first error is another keeps that one. */
	assert_int_equal(r.rows[6].dup_of, 0);
	assert_string_equal(r.rows[6].error_field, "birth_date");
	assert_int_equal(r.rows[7].dup_of, 8);
	assert_string_equal(r.rows[7].error,
	    "тот же человек, что в строке 8");
}

static void
test_class_parse(void **state)
{
	static const struct {
		const char	*in;
		int		 rc, grade;
		const char	*letter, *title;
	} t[] = {
		{ "9Г", 0, 9, "Г", "" },
		{ "9 Г", 0, 9, "Г", "" },
		{ "9г ФизМат", 0, 9, "Г", "ФизМат" },
		{ "11-А", 0, 11, "А", "" },
		{ "5 \"Б\"", 0, 5, "Б", "" },
		{ "5 «б»", 0, 5, "Б", "" },
		{ "«7В»", 0, 7, "В", "" },
		{ "9A", 0, 9, "А", "" },		/* Latin A */
		{ "9 D", 0, 9, "D", "" },
		{ "1ё", 0, 1, "Ё", "" },
		{ "10Б1", 0, 10, "Б1", "" },
		{ "10Б1 (профиль)", 0, 10, "Б1", "профиль" },
		{ "9 класс", 0, 9, "", "" },
		{ "9А класс", 0, 9, "А", "" },
		{ "9 кл. А", 0, 9, "А", "" },
		{ "9 ФизМат", 0, 9, "", "ФизМат" },
		{ "10 \"Инженерный\"", 0, 10, "", "Инженерный" },
		{ "  4\xC2\xA0" "Д  ", 0, 4, "Д", "" },
		{ "", 0, 0, "", "" },
		{ "   ", 0, 0, "", "" },
		{ "9-ый", -1, 0, "", "" },
		{ "9-й", -1, 0, "", "" },
		{ "9ЫЙ", -1, 0, "", "" },
		{ "9-го", -1, 0, "", "" },
		{ "12А", -1, 0, "", "" },
		{ "0А", -1, 0, "", "" },
		{ "100", -1, 0, "", "" },
		{ "А9", -1, 0, "", "" },
		{ "девятый", -1, 0, "", "" },
		{ "9 1", -1, 0, "", "" },
		{ "9А,Б", -1, 0, "", "" },
		{ "9АБ12", -1, 0, "", "" },
		{ "9 А ()", -1, 0, "", "" },
		{ "-9А", -1, 0, "", "" },
	};
	const char	*letter, *title;
	size_t		 i;
	int		 grade;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(roster_class_parse(pool, t[i].in, &grade,
		    &letter, &title), t[i].rc);
		assert_int_equal(grade, t[i].grade);
		assert_string_equal(letter, t[i].letter);
		assert_string_equal(title, t[i].title);
	}
	assert_int_equal(roster_class_parse(pool, NULL, &grade, &letter,
	    &title), 0);
	assert_int_equal(roster_class_parse(pool, "9\xFF", &grade, &letter,
	    &title), -1);
	/* Longer than parta.roster_row.class_text (120 characters). */
	assert_int_equal(roster_class_parse(pool, "9А ------------------------"
	    "--------------------------------------------------------------"
	    "----------------------------------- ФМ", &grade, &letter,
	    &title), -1);
	assert_int_equal(roster_class_parse(pool, "9А ------------------------"
	    "--------------------------------------------------------------"
	    "---------------------------- ФМ", &grade, &letter, &title), 0);
	assert_string_equal(title, "ФМ");
}

static void
test_dates(void **state)
{
	struct roster	 r;

	(void)state;
	r = RD("ФИО;ДР\n"
	    "А Б;1.9.2010\n"
	    "В Г;01/09/2010\n"
	    "Д Е;01.09.2010 0:00:00\n"
	    "Ж З;2010-9-1\n"
	    "И К;01.09.10\n",
	    0);
	assert_string_equal(r.rows[0].birth_date, "2010-09-01");
	assert_string_equal(r.rows[1].birth_date, "2010-09-01");
	assert_string_equal(r.rows[2].birth_date, "2010-09-01");
	assert_string_equal(r.rows[3].birth_date, "2010-09-01");
	assert_null(r.rows[4].birth_date);
	assert_string_equal(r.rows[4].error,
	    "неверная дата рождения: «01.09.10»");
}

/* Files that are not a list: 422 with the reason and the line. */
static void
test_unreadable(void **state)
{
	(void)state;
	assert_string_equal(why_of("a\0b", 3, 422, 0), "Файл не похож на "
	    "таблицу. Сохраните файл в Excel как «CSV UTF-8» и загрузите "
	    "снова");
	assert_non_null(why_of("\x98\x98", 2, 422, 0));
	assert_non_null(why_of("\xFF\xFE\x00\xD8", 4, 422, 0));
	assert_string_equal(why_of("", 0, 422, 0), "Файл пустой");
	assert_string_equal(why_of("\r\n;;\r\n", 6, 422, 0), "Файл пустой");
	assert_string_equal(why_of("a;b\nc;d\n", 8, 422, 0), "Не найдена "
	    "строка с названиями столбцов: нужны «Фамилия» и «Имя» или "
	    "«ФИО»");
	assert_string_equal(why_of("x\nФамилия;Класс\nА;5А\n",
	    strlen("x\nФамилия;Класс\nА;5А\n"), 422, 2),
	    "нет столбца «Имя» (или «ФИО»)");
	assert_string_equal(why_of("Имя\nИван\n", 16, 422, 1),
	    "нет столбца «Фамилия» (или «ФИО»)");
	assert_string_equal(why_of("ФИО;Класс\n;\n", 20, 422, 0),
	    "В файле нет ни одной строки с людьми под строкой названий "
	    "столбцов");
	assert_string_equal(why_of("ФИО;Класс\nА Б;5А\nВ Г;\"5Б\nД Е;5В\n",
	    strlen("ФИО;Класс\nА Б;5А\nВ Г;\"5Б\nД Е;5В\n"), 422, 3),
	    "открыта кавычка, но не закрыта");
	/* Rows in UTF-8 and rows in Windows-1251 («Ивушкин» in 1251,
	 * «Ира» in UTF-8: its «И» holds 0x98, no 1251 letter; the header
	 * in UTF-8): the first line unlike the header. */
	assert_string_equal(why_of("ФИО;Класс\n\xC8\xE2\xF3\xF8\xEA\xE8\xED"
	    " \xC8\xE2\xE0\xED;5\xC0\nИра Мухина;5А\n", 58, 422, 2),
	    "в этой строке другая кодировка, чем в строке 1: в файле "
	    "смешаны UTF-8 и Windows-1251. Сохраните файл в Excel как "
	    "«CSV UTF-8» и загрузите снова");
	/* A title row past the ones looked at. */
	assert_non_null(why_of("t\nt\nt\nt\nt\nt\nt\nt\nt\nt\nФИО\nА Б\n",
	    strlen("t\nt\nt\nt\nt\nt\nt\nt\nt\nt\nФИО\nА Б\n"), 422, 0));
}

/* 2 MiB and 5,000 people: at the limit read, past it 413. */
static void
test_limits(void **state)
{
	struct buf	 b;
	struct roster	 r;
	const char	*why;
	char		*big;
	int		 i, line;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "ФИО;Класс\r\n");
	for (i = 0; i < ROSTER_MAX_ROWS; i++)
		buf_printf(&b, "Ученик%c Номер%c;%dА\r\n", 'a' + i % 26,
		    'a' + i / 26 % 26, 1 + i % 11);
	assert_int_equal(roster_read(pool, b.data, b.len, &r, &why, &line), 0);
	assert_int_equal(r.n, ROSTER_MAX_ROWS);
	assert_int_equal(r.rows[ROSTER_MAX_ROWS - 1].line,
	    ROSTER_MAX_ROWS + 1);
	buf_puts(&b, "\r\n\r\nЛишний Человек;5А\r\n");
	assert_int_equal(roster_read(pool, b.data, b.len, &r, &why, &line),
	    413);
	assert_string_equal(why, "в списке больше 5000 человек: разделите его "
	    "на несколько файлов");
	assert_int_equal(r.n, 0);
	buf_free(&b);

	big = calloc(1, ROSTER_MAX_BYTES + 1);
	assert_non_null(big);
	memset(big, '\n', ROSTER_MAX_BYTES + 1);
	memcpy(big, "ФИО\n", strlen("ФИО\n"));
	assert_int_equal(roster_read(pool, big, ROSTER_MAX_BYTES + 1, &r, &why,
	    &line), 413);
	/* Just under 2 MiB, but more rows than parta.roster_row numbers. */
	assert_int_equal(roster_read(pool, big, ROSTER_MAX_BYTES, &r, &why,
	    &line), 413);
	assert_string_equal(why, "В файле больше 100 000 строк");
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_bom_semicolon_crlf),
		cmocka_unit_test(test_comma_english_quotes),
		cmocka_unit_test(test_cp1251),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_fio_title_lines),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_class_parse),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
