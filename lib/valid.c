/*
 * valid: input validators for the forms of Parta.
 *
 * Every validator trims the input (except passwords, which are kept
 * byte for byte), checks it and writes the normalised value.  The
 * messages are meant for the person filling in the form, so they say
 * what to type rather than what went wrong inside.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "utf8.h"
#include "valid.h"

#define E_REQUIRED	"Заполните поле"
#define E_TOOLONG	"Слишком длинное значение"
#define E_PHONE		"Введите мобильный номер в формате +7 912 345-67-89"
#define E_PHONE_RU	"Укажите российский номер, начинающийся с +7"
#define E_PHONE_MOBILE	"Укажите мобильный номер: после +7 должна идти цифра 9"
#define E_EMAIL		"Введите адрес электронной почты, например name@school.ru"
#define E_EMAIL_LONG	"Адрес электронной почты слишком длинный"
#define E_NAME_CHARS	"Можно только буквы, пробел, дефис и апостроф"
/* The name checks say which name: the message stands next to its field. */
#define E_NAME_START	"Имя должно начинаться с буквы"
#define E_NAME_LONG	"Имя должно быть не длиннее 60 символов"
#define E_LAST_START	"Фамилия должна начинаться с буквы"
#define E_LAST_LONG	"Фамилия должна быть не длиннее 60 символов"
#define E_PATR_START	"Отчество должно начинаться с буквы"
#define E_PATR_LONG	"Отчество должно быть не длиннее 60 символов"
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
#define E_LOGIN		"Логин: от 3 до 32 латинских букв и цифр, " \
			    "первая — буква, например masha2019"
#define E_CONTACT	"Введите мобильный телефон или электронную почту"
#define E_LINE_CTRL	"Текст не должен содержать управляющих символов"
#define E_LINE_UTF8	"Текст содержит недопустимые символы"
#define E_LINE_LONG	"Текст должен быть не длиннее 300 символов"
#define E_UINT		"Введите целое число больше нуля"
#define E_UINT_BIG	"Слишком большое число"

#define NAME_MAX_CHARS	60
#define LINE_MAX_CHARS	300
#define EMAIL_MAX	254
#define EMAIL_LOCAL_MAX	64
#define EMAIL_LABEL_MAX	63
#define PASSWORD_MIN	8
#define PASSWORD_MAX	256

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
all_digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Find the input without surrounding white space.  A NULL input is
 * treated as empty so that a missing form field cannot crash a caller
 * that forgot to check.
 */
static void
trim(const char *in, const char **sp, size_t *np)
{
	const char	*e;

	if (in == NULL)
		in = "";
	while (is_space((unsigned char)*in))
		in++;
	e = in + strlen(in);
	while (e > in && is_space((unsigned char)e[-1]))
		e--;
	*sp = in;
	*np = (size_t)(e - in);
}

/*
 * Fail with msg, leaving an empty string in out so that a caller which
 * ignores the error never prints a half-written value.
 */
static const char *
fail(char *out, size_t outsz, const char *msg)
{
	if (outsz > 0)
		out[0] = '\0';
	return msg;
}

/* Copy n bytes of s to out as a string, or fail when they do not fit. */
static const char *
emit(char *out, size_t outsz, const char *s, size_t n)
{
	if (n >= outsz)
		return fail(out, outsz, E_TOOLONG);
	memcpy(out, s, n);
	out[n] = '\0';
	return NULL;
}

static unsigned char
lower_ascii(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

const char *
valid_phone(const char *in, char *out, size_t outsz)
{
	char		 d[11], buf[13];
	const char	*s;
	size_t		 n, i, nd = 0;
	unsigned char	 c;
	int		 plus = 0;

	trim(in, &s, &n);
	i = 0;
	if (n > 0 && s[0] == '+') {
		plus = 1;
		i = 1;
	}

	/*
	 * Keep the digits and skip the usual separators.  Digits past the
	 * eleventh are counted but not kept: the count alone tells that the
	 * number is wrong, after the country code has been looked at.
	 */
	for (; i < n; i++) {
		c = (unsigned char)s[i];
		if (is_digit(c)) {
			if (nd < sizeof(d))
				d[nd] = (char)c;
			nd++;
		} else if (c == ' ' || c == '-' || c == '(' || c == ')' ||
		    c == '.')
			continue;
		else if (c == 0xC2 && i + 1 < n &&
		    (unsigned char)s[i + 1] == 0xA0)
			i++;	/* A no-break space pasted from a document. */
		else
			return fail(out, outsz, E_PHONE);
	}
	if (nd == 0)
		return fail(out, outsz, E_PHONE);

	if (plus) {
		if (d[0] != '7')
			return fail(out, outsz, E_PHONE_RU);
		if (nd != 11)
			return fail(out, outsz, E_PHONE);
	} else if (nd == 11) {
		if (d[0] != '7' && d[0] != '8')
			return fail(out, outsz, E_PHONE);
	} else if (nd != 10 || d[0] == '7' || d[0] == '8')
		return fail(out, outsz, E_PHONE);	/* A digit short? */

	/* The ten digits of the national number follow the country code. */
	if (d[nd - 10] != '9')
		return fail(out, outsz, E_PHONE_MOBILE);
	buf[0] = '+';
	buf[1] = '7';
	memcpy(buf + 2, d + nd - 10, 10);
	return emit(out, outsz, buf, sizeof(buf) - 1);
}

/*
 * Characters allowed in the local part besides letters and digits: the
 * atext of RFC 5322.  Commas, angle brackets, quotes and the like are
 * refused because a mailer could read them as a second recipient.
 */
static int
email_local_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || is_digit(c) || c >= 0x80)
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~.", c) != NULL;
}

static const char *
email_local(const char *s, size_t n)
{
	size_t		 i, len;
	uint32_t	 cp;

	if (n == 0 || n > EMAIL_LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return E_EMAIL;
	for (i = 0; i < n; i += len) {
		if (!email_local_char(lower_ascii((unsigned char)s[i])))
			return E_EMAIL;
		if (s[i] == '.' && s[i + 1] == '.')
			return E_EMAIL;
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0 ||
		    (cp >= 0x80 && cp <= 0x9F))
			return E_EMAIL;
	}
	return NULL;
}

static const char *
email_domain(const char *s, size_t n)
{
	size_t		 i, start = 0, dots = 0;
	unsigned char	 c;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			/* The label is s[start..i). */
			if (i == start || i - start > EMAIL_LABEL_MAX ||
			    s[start] == '-' || s[i - 1] == '-')
				return E_EMAIL;
			if (i < n)
				dots++;
			start = i + 1;
			continue;
		}
		c = lower_ascii((unsigned char)s[i]);
		if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-'))
			return E_EMAIL;
	}
	return dots > 0 ? NULL : E_EMAIL;
}

const char *
valid_email(const char *in, char *out, size_t outsz)
{
	const char	*s, *at, *msg;
	size_t		 n, i;

	trim(in, &s, &n);
	if (n == 0)
		return fail(out, outsz, E_EMAIL);
	if (n > EMAIL_MAX)
		return fail(out, outsz, E_EMAIL_LONG);
	if ((at = memchr(s, '@', n)) == NULL ||
	    memchr(at + 1, '@', n - (size_t)(at - s) - 1) != NULL)
		return fail(out, outsz, E_EMAIL);
	if ((msg = email_local(s, (size_t)(at - s))) != NULL ||
	    (msg = email_domain(at + 1, n - (size_t)(at - s) - 1)) != NULL)
		return fail(out, outsz, msg);

	if (n >= outsz)
		return fail(out, outsz, E_TOOLONG);
	for (i = 0; i < n; i++)
		out[i] = (char)lower_ascii((unsigned char)s[i]);
	out[n] = '\0';
	return NULL;
}

/*
 * Letters of the scripts a Russian school meets: Latin with its
 * accented forms (without the multiplication and division signs that
 * sit among them) and Cyrillic (without its thousands sign and
 * combining marks, which are not letters).
 */
static int
name_letter(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		return 1;
	if (c >= 0xC0 && c <= 0x24F)
		return c != 0xD7 && c != 0xF7;
	if (c >= 0x400 && c <= 0x4FF)
		return c < 0x482 || c > 0x489;
	return 0;
}

/* A name of a person, with the messages for its field (e_start, e_long). */
static const char *
person_name(const char *in, char *out, size_t outsz, const char *e_start,
    const char *e_long)
{
	const char	*s;
	size_t		 n, i, len, o = 0, chars = 0;
	uint32_t	 c;
	int		 space = 0, over = 0;

	trim(in, &s, &n);
	if (n == 0)
		return fail(out, outsz, E_REQUIRED);

	/*
	 * Check every character before giving up on the size of out, so
	 * that the person sees what is wrong with the name itself.
	 */
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode(s + i, n - i, &c)) == 0)
			return fail(out, outsz, E_NAME_CHARS);
		if (c == ' ') {
			if (space)
				continue;
			space = 1;
		} else if (name_letter(c) || c == '-' || c == '\'' ||
		    c == 0x2019)
			space = 0;
		else
			return fail(out, outsz, E_NAME_CHARS);
		if (i == 0 && !name_letter(c))
			return fail(out, outsz, e_start);
		chars++;
		if (!over && o + len < outsz) {
			memcpy(out + o, s + i, len);
			o += len;
		} else
			over = 1;
	}
	if (chars > NAME_MAX_CHARS)
		return fail(out, outsz, e_long);
	if (over)
		return fail(out, outsz, E_TOOLONG);
	out[o] = '\0';
	return NULL;
}

const char *
valid_name(const char *in, char *out, size_t outsz)
{
	return person_name(in, out, outsz, E_NAME_START, E_NAME_LONG);
}

const char *
valid_last_name(const char *in, char *out, size_t outsz)
{
	return person_name(in, out, outsz, E_LAST_START, E_LAST_LONG);
}

const char *
valid_name_opt(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n;

	trim(in, &s, &n);
	if (n == 0)
		return emit(out, outsz, "", 0);
	return person_name(in, out, outsz, E_PATR_START, E_PATR_LONG);
}

static int
leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int	 days[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

static int
num(const char *s, size_t n)
{
	int	 v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* Parse a trimmed YYYY-MM-DD into *ymd as the number YYYYMMDD. */
static const char *
parse_date(const char *s, size_t n, long *ymd)
{
	int	 y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, 4) ||
	    !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return E_DATE;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (y < 1900 || y > 2100)
		return E_DATE_YEAR;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return E_DATE_NONE;
	*ymd = y * 10000L + m * 100L + d;
	return NULL;
}

const char *
valid_date(const char *in, char *out, size_t outsz)
{
	const char	*s, *msg;
	size_t		 n;
	long		 ymd;

	trim(in, &s, &n);
	if ((msg = parse_date(s, n, &ymd)) != NULL)
		return fail(out, outsz, msg);
	return emit(out, outsz, s, n);
}

const char *
valid_birth_date(const char *in, char *out, size_t outsz)
{
	const char	*s, *msg;
	size_t		 n;
	long		 ymd, today;
	time_t		 now;
	struct tm	 tm;

	trim(in, &s, &n);
	if ((msg = parse_date(s, n, &ymd)) != NULL)
		return fail(out, outsz, msg);

	/*
	 * The school's local date decides what "today" is: a child born
	 * this morning in Vladivostok must not be refused.
	 */
	now = time(NULL);
	if (localtime_r(&now, &tm) != NULL) {
		today = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L +
		    tm.tm_mday;
		if (ymd > today)
			return fail(out, outsz, E_DATE_FUTURE);
	}
	return emit(out, outsz, s, n);
}

const char *
valid_gender(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n;

	trim(in, &s, &n);
	if (n != 1 || (s[0] != 'f' && s[0] != 'm'))
		return fail(out, outsz, E_GENDER);
	return emit(out, outsz, s, n);
}

const char *
valid_password(const char *in, char *out, size_t outsz)
{
	size_t	 n, i;

	if (in == NULL)
		in = "";
	n = strlen(in);
	if (n < PASSWORD_MIN)
		return fail(out, outsz, E_PW_SHORT);
	if (n > PASSWORD_MAX)
		return fail(out, outsz, E_PW_LONG);
	for (i = 0; i < n; i++)
		if (!is_space((unsigned char)in[i]))
			break;
	if (i == n)
		return fail(out, outsz, E_PW_SPACES);
	return emit(out, outsz, in, n);
}

/*
 * The check digit of the FNS: the weighted sum of the digits before it,
 * modulo 11, modulo 10.
 */
static int
inn_digit_ok(const char *s, const int *w, size_t nw)
{
	size_t	 i;
	int	 sum = 0;

	for (i = 0; i < nw; i++)
		sum += w[i] * (s[i] - '0');
	return sum % 11 % 10 == s[nw] - '0';
}

static int
inn_sum_ok(const char *s, size_t n)
{
	static const int	 w10[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int	 w11[] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int	 w12[] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };

	if (n == 10)
		return inn_digit_ok(s, w10, 9);
	return inn_digit_ok(s, w11, 10) && inn_digit_ok(s, w12, 11);
}

const char *
valid_inn(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n;

	trim(in, &s, &n);
	if ((n != 10 && n != 12) || !all_digits(s, n))
		return fail(out, outsz, E_INN);
	if (!inn_sum_ok(s, n))
		return fail(out, outsz, E_INN_SUM);
	return emit(out, outsz, s, n);
}

const char *
valid_inn10(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n;

	trim(in, &s, &n);
	if (n != 10 || !all_digits(s, n))
		return fail(out, outsz, E_INN10);
	if (!inn_sum_ok(s, n))
		return fail(out, outsz, E_INN_SUM);
	return emit(out, outsz, s, n);
}

const char *
valid_kpp(const char *in, char *out, size_t outsz)
{
	const char	*s;
	char		 buf[10];
	size_t		 n, i;
	unsigned char	 c;

	trim(in, &s, &n);
	if (n != 9)
		return fail(out, outsz, E_KPP);

	/* Letters are upper-cased: that is how the FNS prints them. */
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((i == 4 || i == 5) && c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		if (!is_digit(c) && !((i == 4 || i == 5) && c >= 'A' &&
		    c <= 'Z'))
			return fail(out, outsz, E_KPP_CHARS);
		buf[i] = (char)c;
	}
	return emit(out, outsz, buf, n);
}

const char *
valid_code(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n;

	trim(in, &s, &n);
	if (n != 6 || !all_digits(s, n))
		return fail(out, outsz, E_CODE);
	return emit(out, outsz, s, n);
}

const char *
valid_login(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n, i;
	char		 c;

	trim(in, &s, &n);
	if (n < 3 || n > 32)
		return fail(out, outsz, E_LOGIN);
	if (n >= outsz)
		return fail(out, outsz, E_TOOLONG);
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!(c >= 'a' && c <= 'z') && (i == 0 || c < '0' || c > '9'))
			return fail(out, outsz, E_LOGIN);
		out[i] = c;
	}
	out[n] = '\0';
	return NULL;
}

const char *
valid_any_phone(const char *in, char *out, size_t outsz)
{
	size_t	 n, digits = 0, i;

	if (outsz > 0)
		out[0] = '\0';
	if (in == NULL)
		return "Введите телефон, например +7 3822 12-34-56";
	n = strlen(in);
	for (i = 0; i < n; i++) {
		if (in[i] >= '0' && in[i] <= '9')
			digits++;
		else if (strchr("+-() ", in[i]) == NULL)
			return "Телефон может содержать цифры, +, -, скобки "
			    "и пробелы";
	}
	if (digits < 5 || n > 20 || n >= outsz)
		return "Введите телефон, например +7 3822 12-34-56";
	memcpy(out, in, n + 1);
	return NULL;
}

const char *
valid_contact(const char *in, char *out, size_t outsz)
{
	if (valid_phone(in, out, outsz) == NULL ||
	    valid_email(in, out, outsz) == NULL)
		return NULL;
	return fail(out, outsz, E_CONTACT);
}

const char *
valid_line(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n, i, len, chars = 0;
	uint32_t	 c;

	trim(in, &s, &n);
	if (n == 0)
		return fail(out, outsz, E_REQUIRED);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_decode(s + i, n - i, &c)) == 0)
			return fail(out, outsz, E_LINE_UTF8);
		/* C1 controls are refused as well: no keyboard types them. */
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
			return fail(out, outsz, E_LINE_CTRL);
		chars++;
	}
	if (chars > LINE_MAX_CHARS)
		return fail(out, outsz, E_LINE_LONG);
	return emit(out, outsz, s, n);
}

const char *
valid_line_max(const char *in, char *out, size_t outsz, size_t max,
    const char *too_long)
{
	const char	*e;

	/* Past 300 characters too, the words say the field's limit. */
	if ((e = valid_line(in, out, outsz)) != NULL)
		return strcmp(e, E_LINE_LONG) == 0 ? too_long : e;
	if (utf8_chars(out) > max)
		return fail(out, outsz, too_long);
	return NULL;
}

const char *
valid_choice(const char *in, char *out, size_t outsz,
    const char *const *values, size_t n, size_t size, const char *msg)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < n; i++) {
		v = *(const char *const *)(const void *)
		    ((const char *)values + i * size);
		if (strcmp(in, v) == 0)
			return emit(out, outsz, in, strlen(in));
	}
	return fail(out, outsz, msg);
}

const char *
valid_message(char *s, size_t max, size_t *chars)
{
	char		*o = s, *start;
	const char	*in;
	size_t		 n;

	*chars = 0;
	for (in = s; *in != '\0'; in++) {
		unsigned char c = (unsigned char)*in;

		if (c == '\r') {
			if (in[1] != '\n')
				*o++ = '\n';
			continue;
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return VALID_E_TEXT_CTRL;
		*o++ = (char)c;
	}
	*o = '\0';
	for (start = s; *start == ' ' || *start == '\n' || *start == '\t';)
		start++;
	n = strlen(start);
	memmove(s, start, n + 1);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' ||
	    s[n - 1] == '\t'))
		s[--n] = '\0';
	if (n == 0)
		return VALID_E_TEXT_EMPTY;
	if ((*chars = utf8_chars(s)) > max)
		return VALID_E_TEXT_LONG;
	return NULL;
}

const char *
valid_uint(const char *in, char *out, size_t outsz)
{
	const char	*s;
	size_t		 n;
	long long	 v = 0;
	size_t		 i;

	trim(in, &s, &n);
	if (n == 0 || !all_digits(s, n) || s[0] == '0')
		return fail(out, outsz, E_UINT);
	if (n > 10)
		return fail(out, outsz, E_UINT_BIG);
	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v > 2147483647LL)
		return fail(out, outsz, E_UINT_BIG);
	return emit(out, outsz, s, n);
}

const char *
valid_region(const char *in, char *out, size_t outsz)
{
	if (strlen(in) != 2 || !all_digits(in, 2))
		return fail(out, outsz, VALID_E_REGION);
	return emit(out, outsz, in, 2);
}

/* Is the input missing or nothing but white space? */
static int
blank(const char *in)
{
	const char	*s;
	size_t		 n;

	trim(in, &s, &n);
	return n == 0;
}

/*
 * Keep the input as typed so the form can show it again, cut to fit
 * out at a character boundary: a split UTF-8 sequence would come back
 * to the browser as garbage.
 */
static void
keep_typed(const char *in, char *out, size_t outsz)
{
	size_t	 n;

	n = strlen(in);
	if (n >= outsz)
		n = utf8_cut(in, outsz - 1);
	memcpy(out, in, n);
	out[n] = '\0';
}

int
valid_form(const struct valid_field *fields, size_t n,
    const char *(*get)(void *arg, const char *name), void *arg,
    struct valid_result *res)
{
	const char		*in;
	struct valid_result	*r;
	size_t			 i;
	int			 errors = 0;

	for (i = 0; i < n; i++) {
		r = &res[i];
		in = get(arg, fields[i].name);
		r->value[0] = '\0';
		r->error = NULL;
		r->present = !blank(in);
		if (!r->present) {
			if (fields[i].required) {
				r->error = E_REQUIRED;
				errors++;
			}
			continue;
		}
		r->error = fields[i].fn(in, r->value, sizeof(r->value));
		if (r->error != NULL) {
			keep_typed(in, r->value, sizeof(r->value));
			errors++;
		}
	}
	return errors;
}

const char *
valid_role(const char *in, char *out, size_t outsz)
{
	if ((strcmp(in, "teacher") != 0 && strcmp(in, "student") != 0) ||
	    strlen(in) >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return "Выберите роль: учитель или ученик";
	}
	memcpy(out, in, strlen(in) + 1);
	return NULL;
}
