/*
 * Unit tests for lib/valid.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "valid.h"

/*
 * The buffer is filled with junk first so that a validator which forgets
 * the terminating NUL is caught.
 */
#define OK(fn, in, want) do {						\
	char	 b_[VALID_MAX];						\
	memset(b_, 'x', sizeof(b_));					\
	assert_null(fn((in), b_, sizeof(b_)));				\
	assert_string_equal(b_, (want));				\
} while (0)

#define BAD(fn, in, msg) do {						\
	char		 b_[VALID_MAX];					\
	const char	*e_;						\
	memset(b_, 'x', sizeof(b_));					\
	e_ = fn((in), b_, sizeof(b_));					\
	assert_non_null(e_);						\
	assert_string_equal(e_, (msg));					\
	assert_string_equal(b_, "");					\
} while (0)

#define E_REQUIRED	"Заполните поле"
#define E_TOOLONG	"Слишком длинное значение"
#define E_PHONE		"Введите мобильный номер в формате +7 912 345-67-89"
#define E_PHONE_RU	"Укажите российский номер, начинающийся с +7"
#define E_PHONE_MOBILE	"Укажите мобильный номер: после +7 должна идти цифра 9"
#define E_EMAIL		"Введите адрес электронной почты, например name@school.ru"
#define E_EMAIL_LONG	"Адрес электронной почты слишком длинный"
#define E_NAME_CHARS	"Можно только буквы, пробел, дефис и апостроф"
#define E_NAME_START	"Имя должно начинаться с буквы"
#define E_NAME_LONG	"Имя должно быть не длиннее 60 символов"
#define E_LAST_START	"Фамилия должна начинаться с буквы"
#define E_PATR_START	"Отчество должно начинаться с буквы"
#define E_DATE		"Введите дату в формате ГГГГ-ММ-ДД"
#define E_DATE_YEAR	"Год должен быть от 1900 до 2100"
#define E_DATE_NONE	"Такой даты нет"
#define E_DATE_FUTURE	"Дата рождения не может быть в будущем"
#define E_GENDER	"Выберите пол"
#define E_PW_SHORT	"Пароль должен быть не короче 8 символов"
#define E_PW_LONG	"Пароль должен быть не длиннее 256 байт"
#define E_PW_SPACES	"Пароль не может состоять из одних пробелов"
#define E_INN		"ИНН — 10 или 12 цифр"
#define E_INN10		"ИНН организации — 10 цифр"
#define E_INN_SUM	"Неверный ИНН: не сходится контрольная сумма"
#define E_KPP		"КПП — 9 символов"
#define E_KPP_CHARS	"КПП: знаки 5–6 — цифры или буквы A–Z, остальные — цифры"
#define E_CODE		"Введите шестизначный код"
#define E_LINE_CTRL	"Текст не должен содержать управляющих символов"
#define E_LINE_UTF8	"Текст содержит недопустимые символы"
#define E_LINE_LONG	"Текст должен быть не длиннее 300 символов"
#define E_UINT		"Введите целое число больше нуля"
#define E_UINT_BIG	"Слишком большое число"

/* Build s repeated n times into buf (which must be large enough). */
static char *
repeat(char *buf, const char *s, size_t n)
{
	size_t	 len = strlen(s), i;

	for (i = 0; i < n; i++)
		memcpy(buf + i * len, s, len);
	buf[n * len] = '\0';
	return buf;
}

static void
test_phone_spellings(void **state)
{
	(void)state;
	OK(valid_phone, "+7 912 345-67-89", "+79123456789");
	OK(valid_phone, "8 (912) 345 67 89", "+79123456789");
	OK(valid_phone, "89123456789", "+79123456789");
	OK(valid_phone, "79123456789", "+79123456789");
	OK(valid_phone, "9123456789", "+79123456789");
	OK(valid_phone, "+7(912)345-67-89", "+79123456789");
	OK(valid_phone, "+79123456789", "+79123456789");
	OK(valid_phone, "  8-912-345-67-89\t", "+79123456789");
	OK(valid_phone, "+7.912.345.67.89", "+79123456789");
	OK(valid_phone, "+7\xc2\xa0" "912\xc2\xa0" "345-67-89", "+79123456789");
	OK(valid_phone, "(912) 345-67-89", "+79123456789");
	OK(valid_phone, "+7 999 000-00-00", "+79990000000");
}

static void
test_phone_wrong(void **state)
{
	(void)state;
	BAD(valid_phone, "", E_PHONE);
	BAD(valid_phone, "   ", E_PHONE);
	BAD(valid_phone, NULL, E_PHONE);
	BAD(valid_phone, "+", E_PHONE);
	BAD(valid_phone, "+7 912 345-67-8", E_PHONE);
	BAD(valid_phone, "+7 912 345-67-890", E_PHONE);
	BAD(valid_phone, "8 912 345 67 890", E_PHONE);
	BAD(valid_phone, "912345678", E_PHONE);
	BAD(valid_phone, "8 912 345 67 8", E_PHONE);
	BAD(valid_phone, "7912345678", E_PHONE);
	BAD(valid_phone, "19123456789", E_PHONE);
	BAD(valid_phone, "8 912 ABC 67 89", E_PHONE);
	BAD(valid_phone, "8 912 345 67 89 доб. 12", E_PHONE);
	BAD(valid_phone, "++79123456789", E_PHONE);
	BAD(valid_phone, "7+9123456789", E_PHONE);
	BAD(valid_phone, "+7 912 345/67/89", E_PHONE);
	BAD(valid_phone, "89123456789x", E_PHONE);
	BAD(valid_phone, "８９１２３４５６７８９", E_PHONE);
	/* Landlines. */
	BAD(valid_phone, "+7 495 123-45-67", E_PHONE_MOBILE);
	BAD(valid_phone, "8 (495) 123-45-67", E_PHONE_MOBILE);
	BAD(valid_phone, "74951234567", E_PHONE_MOBILE);
	BAD(valid_phone, "4951234567", E_PHONE_MOBILE);
	BAD(valid_phone, "+7 812 000 00 00", E_PHONE_MOBILE);
	/* Other countries. */
	BAD(valid_phone, "+1 212 555 0100", E_PHONE_RU);
	BAD(valid_phone, "+380 44 123 45 67", E_PHONE_RU);
	BAD(valid_phone, "+375 29 123-45-67", E_PHONE_RU);
	BAD(valid_phone, "+8 912 345-67-89", E_PHONE_RU);
	BAD(valid_phone, "+9123456789", E_PHONE_RU);
}

/* A phone that may be a landline (an organization's, a leader's typed in
 * by the school): kept as typed. */
static void
test_any_phone(void **state)
{
	(void)state;
	OK(valid_any_phone, "+7 3822 12-34-56", "+7 3822 12-34-56");
	OK(valid_any_phone, "8 (495) 123-45-67", "8 (495) 123-45-67");
	OK(valid_any_phone, "12345", "12345");
	BAD(valid_any_phone, "1234", "Введите телефон, например +7 3822 12-34-56");
	BAD(valid_any_phone, "+7 3822 12-34-56-78-90", "Введите телефон, например +7 3822 12-34-56");
	BAD(valid_any_phone, "8 3822 доб. 12", "Телефон может содержать цифры, +, -, скобки и пробелы");
}

static void
test_email(void **state)
{
	char	 local[100], domain[400], addr[520];

	(void)state;
	OK(valid_email, "name@school.ru", "name@school.ru");
	OK(valid_email, "  Name.Surname@School.RU ", "name.surname@school.ru");
	OK(valid_email, "ivan+parta@mail.example.co",
	    "ivan+parta@mail.example.co");
	OK(valid_email, "a@b.c", "a@b.c");
	OK(valid_email, "o'neil_1@sch-1.msk.ru", "o'neil_1@sch-1.msk.ru");
	OK(valid_email, "x@xn--80ahgue5b.xn--p1ai", "x@xn--80ahgue5b.xn--p1ai");
	OK(valid_email, "Иван@School.ru", "Иван@school.ru");

	BAD(valid_email, "", E_EMAIL);
	BAD(valid_email, "  ", E_EMAIL);
	BAD(valid_email, NULL, E_EMAIL);
	BAD(valid_email, "name", E_EMAIL);
	BAD(valid_email, "name@", E_EMAIL);
	BAD(valid_email, "@school.ru", E_EMAIL);
	BAD(valid_email, "name@school", E_EMAIL);
	BAD(valid_email, "name@@school.ru", E_EMAIL);
	BAD(valid_email, "a@b@school.ru", E_EMAIL);
	BAD(valid_email, "na me@school.ru", E_EMAIL);
	BAD(valid_email, "name@sch ool.ru", E_EMAIL);
	BAD(valid_email, "na\tme@school.ru", E_EMAIL);
	BAD(valid_email, "na\x01me@school.ru", E_EMAIL);
	BAD(valid_email, "na\x7fme@school.ru", E_EMAIL);
	BAD(valid_email, "name@-school.ru", E_EMAIL);
	BAD(valid_email, "name@school-.ru", E_EMAIL);
	BAD(valid_email, "name@school..ru", E_EMAIL);
	BAD(valid_email, "name@.school.ru", E_EMAIL);
	BAD(valid_email, "name@school.ru.", E_EMAIL);
	BAD(valid_email, "name@school_1.ru", E_EMAIL);
	BAD(valid_email, "name@школа.рф", E_EMAIL);
	BAD(valid_email, "a,b@school.ru", E_EMAIL);
	BAD(valid_email, "<a>@school.ru", E_EMAIL);
	BAD(valid_email, ".name@school.ru", E_EMAIL);
	BAD(valid_email, "name.@school.ru", E_EMAIL);
	BAD(valid_email, "na..me@school.ru", E_EMAIL);
	BAD(valid_email, "na\xffme@school.ru", E_EMAIL);

	/* 64 + 1 + 189 = 254 bytes is the longest address. */
	repeat(local, "a", 64);
	repeat(domain, "b", 63);
	strcat(domain, ".");
	strcat(domain, repeat(addr, "c", 63));
	strcat(domain, ".");
	strcat(domain, repeat(addr, "d", 61));
	strcpy(addr, local);
	strcat(addr, "@");
	strcat(addr, domain);
	assert_int_equal(strlen(addr), 254);
	OK(valid_email, addr, addr);
	strcat(addr, "d");
	BAD(valid_email, addr, E_EMAIL_LONG);
	/* A local part over 64 bytes or a label over 63. */
	snprintf(addr, sizeof(addr), "%sa@school.ru", local);
	BAD(valid_email, addr, E_EMAIL);
	snprintf(addr, sizeof(addr), "a@%s.ru", repeat(domain, "b", 64));
	BAD(valid_email, addr, E_EMAIL);
}

static void
test_name_ok(void **state)
{
	char	 buf[400];

	(void)state;
	OK(valid_name, "Иван", "Иван");
	OK(valid_name, "Пётр", "Пётр");
	OK(valid_name, "Ёлкин", "Ёлкин");
	OK(valid_name, "ЁЖИКОВА", "ЁЖИКОВА");
	OK(valid_name, "Салтыков-Щедрин", "Салтыков-Щедрин");
	OK(valid_name, "Д'Артаньян", "Д'Артаньян");
	OK(valid_name, "О’Коннор", "О’Коннор");
	OK(valid_name, "  Анна   Мария  ", "Анна Мария");
	OK(valid_name, "\tАнна\n", "Анна");
	OK(valid_name, "José", "José");
	OK(valid_name, "Zoë Łukasiewicz", "Zoë Łukasiewicz");
	OK(valid_name, "Mary-Jane O'Neil", "Mary-Jane O'Neil");
	OK(valid_name, "Ўладзімір", "Ўладзімір");
	OK(valid_name, "Я", "Я");
	OK(valid_name, repeat(buf, "Ж", 60), buf);
	/* Folded spaces do not count towards the limit. */
	snprintf(buf, sizeof(buf), "%s     %s", "Анна", "Мария");
	OK(valid_name, buf, "Анна Мария");
}

static void
test_name_bad(void **state)
{
	char	 buf[400];

	(void)state;
	BAD(valid_name, "", E_REQUIRED);
	BAD(valid_name, "   ", E_REQUIRED);
	BAD(valid_name, NULL, E_REQUIRED);
	BAD(valid_name, "Иван2", E_NAME_CHARS);
	BAD(valid_name, "2Иван", E_NAME_CHARS);
	BAD(valid_name, "Иван😀", E_NAME_CHARS);
	BAD(valid_name, "<b>Иван</b>", E_NAME_CHARS);
	BAD(valid_name, "Иван!", E_NAME_CHARS);
	BAD(valid_name, "Анна_Мария", E_NAME_CHARS);
	BAD(valid_name, "Анна\tМария", E_NAME_CHARS);
	BAD(valid_name, "Иван×", E_NAME_CHARS);
	BAD(valid_name, "Иван\xd2\x83", E_NAME_CHARS);
	BAD(valid_name, "Ива\xffн", E_NAME_CHARS);
	BAD(valid_name, "Ива\xd0", E_NAME_CHARS);
	BAD(valid_name, "\xc0\xae", E_NAME_CHARS);
	BAD(valid_name, "\xed\xa0\x80", E_NAME_CHARS);
	BAD(valid_name, "-Иван", E_NAME_START);
	BAD(valid_name, "'Иван", E_NAME_START);
	BAD(valid_name, "’Иван", E_NAME_START);
	BAD(valid_name, repeat(buf, "Ж", 61), E_NAME_LONG);
	BAD(valid_name, repeat(buf, "a ", 31), E_NAME_LONG);
}

static void
test_name_opt(void **state)
{
	(void)state;
	OK(valid_name_opt, "", "");
	OK(valid_name_opt, "   ", "");
	OK(valid_name_opt, NULL, "");
	OK(valid_name_opt, " Иванович ", "Иванович");
	BAD(valid_name_opt, "123", E_NAME_CHARS);
	/* Each field's message names the field it stands by. */
	BAD(valid_name_opt, "-ич", E_PATR_START);
	BAD(valid_last_name, "-Иванов", E_LAST_START);
}

static void
test_date(void **state)
{
	(void)state;
	OK(valid_date, "2024-02-29", "2024-02-29");
	OK(valid_date, "2000-02-29", "2000-02-29");
	OK(valid_date, "1900-01-01", "1900-01-01");
	OK(valid_date, "2100-12-31", "2100-12-31");
	OK(valid_date, "2024-01-31", "2024-01-31");
	OK(valid_date, " 2024-12-01 ", "2024-12-01");

	BAD(valid_date, "2023-02-29", E_DATE_NONE);
	BAD(valid_date, "1900-02-29", E_DATE_NONE);
	BAD(valid_date, "2100-02-29", E_DATE_NONE);
	BAD(valid_date, "2024-02-30", E_DATE_NONE);
	BAD(valid_date, "2024-04-31", E_DATE_NONE);
	BAD(valid_date, "2024-13-01", E_DATE_NONE);
	BAD(valid_date, "2024-00-10", E_DATE_NONE);
	BAD(valid_date, "2024-01-00", E_DATE_NONE);
	BAD(valid_date, "2024-01-32", E_DATE_NONE);
	BAD(valid_date, "1899-12-31", E_DATE_YEAR);
	BAD(valid_date, "2101-01-01", E_DATE_YEAR);
	BAD(valid_date, "0000-01-01", E_DATE_YEAR);
	BAD(valid_date, "", E_DATE);
	BAD(valid_date, NULL, E_DATE);
	BAD(valid_date, "24-01-01", E_DATE);
	BAD(valid_date, "2024-1-1", E_DATE);
	BAD(valid_date, "2024/01/01", E_DATE);
	BAD(valid_date, "01.02.2024", E_DATE);
	BAD(valid_date, "2024-01-01T00", E_DATE);
	BAD(valid_date, "2024-01-1a", E_DATE);
	BAD(valid_date, "+024-01-01", E_DATE);
	BAD(valid_date, "2024 01 01", E_DATE);
}

static void
test_birth_date(void **state)
{
	char		 today[16], tomorrow[16];
	time_t		 now;
	struct tm	 tm;

	(void)state;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	tm.tm_mday++;
	tm.tm_isdst = -1;
	mktime(&tm);
	strftime(tomorrow, sizeof(tomorrow), "%Y-%m-%d", &tm);

	OK(valid_birth_date, "2010-05-15", "2010-05-15");
	OK(valid_birth_date, "1900-01-01", "1900-01-01");
	OK(valid_birth_date, "2016-02-29", "2016-02-29");
	OK(valid_birth_date, today, today);
	BAD(valid_birth_date, tomorrow, E_DATE_FUTURE);
	BAD(valid_birth_date, "2100-12-31", E_DATE_FUTURE);
	BAD(valid_birth_date, "2023-02-29", E_DATE_NONE);
	BAD(valid_birth_date, "1899-12-31", E_DATE_YEAR);
	BAD(valid_birth_date, "15.05.2010", E_DATE);
}

static void
test_gender(void **state)
{
	(void)state;
	OK(valid_gender, "f", "f");
	OK(valid_gender, "m", "m");
	OK(valid_gender, " m ", "m");
	BAD(valid_gender, "", E_GENDER);
	BAD(valid_gender, "x", E_GENDER);
	BAD(valid_gender, "M", E_GENDER);
	BAD(valid_gender, "mf", E_GENDER);
	BAD(valid_gender, "male", E_GENDER);
}

static void
test_password(void **state)
{
	char	 buf[300];

	(void)state;
	OK(valid_password, "12345678", "12345678");
	OK(valid_password, "  pass word  ", "  pass word  ");
	OK(valid_password, "пароль", "пароль");
	OK(valid_password, "       x", "       x");
	OK(valid_password, repeat(buf, "a", 256), buf);
	BAD(valid_password, repeat(buf, "a", 257), E_PW_LONG);
	BAD(valid_password, "1234567", E_PW_SHORT);
	BAD(valid_password, "пар", E_PW_SHORT);
	BAD(valid_password, "", E_PW_SHORT);
	BAD(valid_password, NULL, E_PW_SHORT);
	BAD(valid_password, "        ", E_PW_SPACES);
	BAD(valid_password, " \t \n \r \t ", E_PW_SPACES);
}

static void
test_inn(void **state)
{
	(void)state;
	OK(valid_inn, "7707083893", "7707083893");
	OK(valid_inn, "7830002293", "7830002293");
	OK(valid_inn, "500100732259", "500100732259");
	OK(valid_inn, " 7707083893 ", "7707083893");
	BAD(valid_inn, "7707083894", E_INN_SUM);
	BAD(valid_inn, "7707083890", E_INN_SUM);
	BAD(valid_inn, "7830002294", E_INN_SUM);
	BAD(valid_inn, "500100732258", E_INN_SUM);
	BAD(valid_inn, "500100732269", E_INN_SUM);
	BAD(valid_inn, "500100732250", E_INN_SUM);
	BAD(valid_inn, "770708389", E_INN);
	BAD(valid_inn, "77070838930", E_INN);
	BAD(valid_inn, "5001007322590", E_INN);
	BAD(valid_inn, "770708389X", E_INN);
	BAD(valid_inn, "7707 083893", E_INN);
	BAD(valid_inn, "-707083893", E_INN);
	BAD(valid_inn, "", E_INN);
	BAD(valid_inn, NULL, E_INN);

	OK(valid_inn10, "7707083893", "7707083893");
	OK(valid_inn10, "\t7830002293\n", "7830002293");
	BAD(valid_inn10, "7707083894", E_INN_SUM);
	BAD(valid_inn10, "500100732259", E_INN10);
	BAD(valid_inn10, "77070838", E_INN10);
	BAD(valid_inn10, "77070838a3", E_INN10);
	BAD(valid_inn10, "", E_INN10);
}

static void
test_kpp(void **state)
{
	(void)state;
	OK(valid_kpp, "773601001", "773601001");
	OK(valid_kpp, " 773601001 ", "773601001");
	OK(valid_kpp, "7736AB001", "7736AB001");
	OK(valid_kpp, "7736ab001", "7736AB001");
	OK(valid_kpp, "77360Z001", "77360Z001");
	BAD(valid_kpp, "77360100", E_KPP);
	BAD(valid_kpp, "7736010011", E_KPP);
	BAD(valid_kpp, "", E_KPP);
	BAD(valid_kpp, "7736АБ001", E_KPP);
	BAD(valid_kpp, "A73601001", E_KPP_CHARS);
	BAD(valid_kpp, "773A01001", E_KPP_CHARS);
	BAD(valid_kpp, "773601A01", E_KPP_CHARS);
	BAD(valid_kpp, "77360100Z", E_KPP_CHARS);
	BAD(valid_kpp, "7736-1001", E_KPP_CHARS);
	BAD(valid_kpp, "7736 1001", E_KPP_CHARS);
}

static void
test_code(void **state)
{
	(void)state;
	OK(valid_code, "123456", "123456");
	OK(valid_code, " 012345 ", "012345");
	BAD(valid_code, "12345", E_CODE);
	BAD(valid_code, "1234567", E_CODE);
	BAD(valid_code, "12345a", E_CODE);
	BAD(valid_code, "123 456", E_CODE);
	BAD(valid_code, "", E_CODE);
	BAD(valid_code, NULL, E_CODE);
}

static void
test_line(void **state)
{
	char	 buf[1400];

	(void)state;
	OK(valid_line, "  Привет, мир!  ", "Привет, мир!");
	OK(valid_line, "<b>5 «А» класс</b> & 😀", "<b>5 «А» класс</b> & 😀");
	OK(valid_line, "x", "x");
	OK(valid_line, repeat(buf, "Ж", 300), buf);
	OK(valid_line, repeat(buf, "😀", 300), buf);
	BAD(valid_line, repeat(buf, "Ж", 301), E_LINE_LONG);
	BAD(valid_line, "", E_REQUIRED);
	BAD(valid_line, " \t ", E_REQUIRED);
	BAD(valid_line, NULL, E_REQUIRED);
	BAD(valid_line, "a\tb", E_LINE_CTRL);
	BAD(valid_line, "a\nb", E_LINE_CTRL);
	BAD(valid_line, "a\x7f", E_LINE_CTRL);
	BAD(valid_line, "a\x1b[31m", E_LINE_CTRL);
	BAD(valid_line, "a\xc2\x85" "b", E_LINE_CTRL);
	BAD(valid_line, "a\xff", E_LINE_UTF8);
	BAD(valid_line, "a\xe2\x82", E_LINE_UTF8);
	BAD(valid_line, "\xf4\x90\x80\x80", E_LINE_UTF8);
}

/* The table rows valid_choice reads a value from the start of. */
static const struct {
	const char	*value;
	const char	*name;
} choices[] = { { "all", "Все" }, { "staff", "Учителя" } };

static const char *
valid_title_20(const char *in, char *out, size_t outsz)
{
	return valid_line_max(in, out, outsz, 20, "Не больше 20 символов");
}

static const char *
valid_pick(const char *in, char *out, size_t outsz)
{
	return valid_choice(in, out, outsz, &choices[0].value, 2,
	    sizeof(choices[0]), "Выберите из списка");
}

static void
test_line_max_choice(void **state)
{
	char	 buf[1400];

	(void)state;
	OK(valid_title_20, "  Правила  ", "Правила");
	OK(valid_title_20, repeat(buf, "Ж", 20), buf);
	BAD(valid_title_20, repeat(buf, "Ж", 21), "Не больше 20 символов");
	BAD(valid_title_20, repeat(buf, "Ж", 301), "Не больше 20 символов");
	BAD(valid_title_20, "a\tb", E_LINE_CTRL);
	BAD(valid_title_20, " ", E_REQUIRED);
	OK(valid_pick, "all", "all");
	OK(valid_pick, "staff", "staff");
	BAD(valid_pick, "Все", "Выберите из списка");
	BAD(valid_pick, "staf", "Выберите из списка");
	BAD(valid_pick, "", "Выберите из списка");
}

static void
test_uint(void **state)
{
	(void)state;
	OK(valid_uint, "1", "1");
	OK(valid_uint, "42", "42");
	OK(valid_uint, " 42 ", "42");
	OK(valid_uint, "2147483647", "2147483647");
	OK(valid_uint, "1000000000", "1000000000");
	BAD(valid_uint, "2147483648", E_UINT_BIG);
	BAD(valid_uint, "9999999999", E_UINT_BIG);
	BAD(valid_uint, "99999999999999999999999", E_UINT_BIG);
	BAD(valid_uint, "0", E_UINT);
	BAD(valid_uint, "007", E_UINT);
	BAD(valid_uint, "-1", E_UINT);
	BAD(valid_uint, "+1", E_UINT);
	BAD(valid_uint, "1.5", E_UINT);
	BAD(valid_uint, "1 000", E_UINT);
	BAD(valid_uint, "12a", E_UINT);
	BAD(valid_uint, "", E_UINT);
	BAD(valid_uint, NULL, E_UINT);
}

static void
test_small_buffer(void **state)
{
	char		 b[16], big[200];
	const char	*e;

	(void)state;
	/* "+79123456789" needs 13 bytes with the NUL. */
	memset(b, 'x', sizeof(b));
	assert_string_equal(valid_phone("89123456789", b, 12), E_TOOLONG);
	assert_string_equal(b, "");
	assert_null(valid_phone("89123456789", b, 13));
	assert_string_equal(b, "+79123456789");

	/* "Анна" is 8 bytes. */
	memset(b, 'x', sizeof(b));
	assert_string_equal(valid_name("Анна", b, 8), E_TOOLONG);
	assert_string_equal(b, "");
	assert_null(valid_name("  Анна  ", b, 9));
	assert_string_equal(b, "Анна");
	/* A wrong name says what is wrong, not that it does not fit. */
	assert_string_equal(valid_name("Анна2", b, 2), E_NAME_CHARS);
	assert_string_equal(valid_name(repeat(big, "Ж", 61), b, 2),
	    E_NAME_LONG);

	assert_string_equal(valid_email("A@B.RU", b, 6), E_TOOLONG);
	assert_string_equal(b, "");
	assert_null(valid_email("A@B.RU", b, 7));
	assert_string_equal(b, "a@b.ru");

	assert_string_equal(valid_date("2024-02-29", b, 10), E_TOOLONG);
	assert_string_equal(valid_birth_date("2016-02-29", b, 10), E_TOOLONG);
	assert_string_equal(valid_inn("7707083893", b, 10), E_TOOLONG);
	assert_string_equal(valid_inn10("7707083893", b, 10), E_TOOLONG);
	assert_string_equal(valid_kpp("773601001", b, 9), E_TOOLONG);
	assert_string_equal(valid_code("123456", b, 6), E_TOOLONG);
	assert_string_equal(valid_line("abc", b, 3), E_TOOLONG);
	assert_string_equal(valid_uint("123", b, 3), E_TOOLONG);
	assert_string_equal(valid_gender("f", b, 1), E_TOOLONG);
	assert_string_equal(valid_password("12345678", b, 8), E_TOOLONG);
	assert_string_equal(valid_name_opt("", b, 0), E_TOOLONG);
	assert_null(valid_name_opt("", b, 1));
	assert_string_equal(b, "");

	/* With no room at all nothing is written. */
	memset(b, 'x', sizeof(b));
	e = valid_phone("89123456789", b, 0);
	assert_string_equal(e, E_TOOLONG);
	assert_int_equal(b[0], 'x');
	assert_string_equal(valid_name("Я", b, 0), E_TOOLONG);
	assert_string_equal(valid_phone("12", b, 0), E_PHONE);
	assert_int_equal(b[0], 'x');
}

/* Form input for the tests: pairs of name and value, ending in NULL. */
static const char *
get(void *arg, const char *name)
{
	const char	**kv = arg;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

/* Always fails: shows that a validator was, or was not, called. */
static const char *
valid_never(const char *in, char *out, size_t outsz)
{
	(void)in;
	if (outsz > 0)
		out[0] = '\0';
	return "Вызван валидатор";
}

enum {
	F_SURNAME,
	F_PATRONYMIC,
	F_PHONE,
	F_EMAIL,
	F_BIRTH,
	F_NOTE,
	F__MAX
};

static const struct valid_field fields[F__MAX] = {
	{ "surname", valid_name, 1 },
	{ "patronymic", valid_name_opt, 0 },
	{ "phone", valid_phone, 1 },
	{ "email", valid_email, 0 },
	{ "birth", valid_birth_date, 0 },
	{ "note", valid_never, 0 },
};

static void
test_form_ok(void **state)
{
	struct valid_result	 res[F__MAX];
	const char		*in[] = {
		"surname", "  Салтыков-Щедрин ",
		"phone", "8 (912) 345 67 89",
		"email", "Name@School.RU",
		"birth", "2010-05-15",
		"note", "   ",
		NULL
	};

	(void)state;
	memset(res, 'x', sizeof(res));
	assert_int_equal(valid_form(fields, F__MAX, get, in, res), 0);
	assert_null(res[F_SURNAME].error);
	assert_string_equal(res[F_SURNAME].value, "Салтыков-Щедрин");
	assert_int_equal(res[F_SURNAME].present, 1);
	/* Missing and optional: fine, empty, not present. */
	assert_null(res[F_PATRONYMIC].error);
	assert_string_equal(res[F_PATRONYMIC].value, "");
	assert_int_equal(res[F_PATRONYMIC].present, 0);
	assert_null(res[F_PHONE].error);
	assert_string_equal(res[F_PHONE].value, "+79123456789");
	assert_int_equal(res[F_PHONE].present, 1);
	assert_null(res[F_EMAIL].error);
	assert_string_equal(res[F_EMAIL].value, "name@school.ru");
	assert_null(res[F_BIRTH].error);
	assert_string_equal(res[F_BIRTH].value, "2010-05-15");
	/* Blank and optional: the validator is not called. */
	assert_null(res[F_NOTE].error);
	assert_string_equal(res[F_NOTE].value, "");
	assert_int_equal(res[F_NOTE].present, 0);
}

static void
test_form_errors(void **state)
{
	struct valid_result	 res[F__MAX];
	const char		*in[] = {
		"surname", " \t ",
		"patronymic", "Иван0вич",
		"email", " not an email ",
		"birth", "2023-02-29",
		"note", "x",
		NULL
	};

	(void)state;
	memset(res, 'x', sizeof(res));
	assert_int_equal(valid_form(fields, F__MAX, get, in, res), 6);
	/* Required and blank. */
	assert_string_equal(res[F_SURNAME].error, E_REQUIRED);
	assert_string_equal(res[F_SURNAME].value, "");
	assert_int_equal(res[F_SURNAME].present, 0);
	/* Wrong: the input is kept exactly as typed. */
	assert_string_equal(res[F_PATRONYMIC].error, E_NAME_CHARS);
	assert_string_equal(res[F_PATRONYMIC].value, "Иван0вич");
	assert_int_equal(res[F_PATRONYMIC].present, 1);
	/* Required and missing. */
	assert_string_equal(res[F_PHONE].error, E_REQUIRED);
	assert_string_equal(res[F_PHONE].value, "");
	assert_int_equal(res[F_PHONE].present, 0);
	assert_string_equal(res[F_EMAIL].error, E_EMAIL);
	assert_string_equal(res[F_EMAIL].value, " not an email ");
	assert_int_equal(res[F_EMAIL].present, 1);
	assert_string_equal(res[F_BIRTH].error, E_DATE_NONE);
	assert_string_equal(res[F_BIRTH].value, "2023-02-29");
	assert_string_equal(res[F_NOTE].error, "Вызван валидатор");
	assert_string_equal(res[F_NOTE].value, "x");
	assert_int_equal(res[F_NOTE].present, 1);
}

static void
test_form_long_input(void **state)
{
	static const struct valid_field	 f[] = {
		{ "a", valid_line, 1 },
		{ "b", valid_line, 1 },
		{ "c", valid_line, 1 },
		{ "d", valid_phone, 1 },
	};
	struct valid_result		 res[4];
	static char			 cyr[2 * 700 + 1], ascii[2001],
					 emoji[4 * 300 + 1];
	const char			*in[] = {
		"a", cyr, "b", ascii, "c", emoji, "d", "8 912 345 67 8", NULL
	};

	(void)state;
	repeat(cyr, "Ж", 700);
	repeat(ascii, "a", 2000);
	repeat(emoji, "😀", 300);
	assert_int_equal(valid_form(f, 4, get, in, res), 3);

	/* Cut at VALID_MAX - 1 bytes, backing off to a whole character. */
	assert_string_equal(res[0].error, E_LINE_LONG);
	assert_int_equal(strlen(res[0].value), VALID_MAX - 2);
	assert_memory_equal(res[0].value, cyr, VALID_MAX - 2);
	assert_int_equal(res[0].present, 1);
	assert_string_equal(res[1].error, E_LINE_LONG);
	assert_int_equal(strlen(res[1].value), VALID_MAX - 1);
	assert_memory_equal(res[1].value, ascii, VALID_MAX - 1);
	/* The longest valid line fits in a result. */
	assert_null(res[2].error);
	assert_string_equal(res[2].value, emoji);
	assert_string_equal(res[3].error, E_PHONE);
	assert_string_equal(res[3].value, "8 912 345 67 8");
}

static void
test_form_empty(void **state)
{
	struct valid_result	 res[1];
	const char		*in[] = { NULL };

	(void)state;
	assert_int_equal(valid_form(fields, 0, get, in, res), 0);
}

static void
test_role(void **state)
{
	char	 out[VALID_MAX];

	(void)state;
	OK(valid_role, "teacher", "teacher");
	OK(valid_role, "student", "student");
	BAD(valid_role, "admin", "Выберите роль: учитель или ученик");
	BAD(valid_role, "Teacher", "Выберите роль: учитель или ученик");
	BAD(valid_role, "student ", "Выберите роль: учитель или ученик");
	/* Too small a buffer is refused, not truncated. */
	assert_non_null(valid_role("teacher", out, 7));
}

static void
test_region(void **state)
{
	char	 out[8];

	(void)state;
	OK(valid_region, "70", "70");
	OK(valid_region, "01", "01");
	BAD(valid_region, "7", VALID_E_REGION);
	BAD(valid_region, "7x", VALID_E_REGION);
	BAD(valid_region, "700", VALID_E_REGION);
	BAD(valid_region, " 70", VALID_E_REGION);
	BAD(valid_region, "", VALID_E_REGION);
	/* Too small a buffer is refused, not truncated. */
	assert_non_null(valid_region("70", out, 2));
}

/* A message of several lines: CRLF and lone CR as LF, trimmed around,
 * counted in characters, control characters refused. */
static void
test_message(void **state)
{
	static char	 buf[4 * 4001 + 1];
	char		 s[64];
	size_t		 n;

	(void)state;
	snprintf(s, sizeof(s), "  \r\nДобрый день!\r\nВопрос\rещё\t \n\n");
	assert_null(valid_message(s, 4000, &n));
	assert_string_equal(s, "Добрый день!\nВопрос\nещё");
	assert_int_equal(n, 23);
	snprintf(s, sizeof(s), " \r\n\t ");
	assert_string_equal(valid_message(s, 4000, &n), VALID_E_TEXT_EMPTY);
	snprintf(s, sizeof(s), "звонок\x07");
	assert_string_equal(valid_message(s, 4000, &n), VALID_E_TEXT_CTRL);
	repeat(buf, "Я", 4000);
	assert_null(valid_message(buf, 4000, &n));
	assert_int_equal(n, 4000);
	repeat(buf, "😀", 4001);
	assert_string_equal(valid_message(buf, 4000, &n), VALID_E_TEXT_LONG);
	assert_int_equal(n, 4001);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_phone_spellings),
		cmocka_unit_test(test_phone_wrong),
		cmocka_unit_test(test_any_phone),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_name_ok),
		cmocka_unit_test(test_name_bad),
		cmocka_unit_test(test_name_opt),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_birth_date),
		cmocka_unit_test(test_gender),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_inn),
		cmocka_unit_test(test_kpp),
		cmocka_unit_test(test_code),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_form_ok),
		cmocka_unit_test(test_form_errors),
		cmocka_unit_test(test_form_long_input),
		cmocka_unit_test(test_form_empty),
		cmocka_unit_test(test_role),
		cmocka_unit_test(test_line_max_choice),
		cmocka_unit_test(test_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
