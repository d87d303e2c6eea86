/*
 * valid: input validators and per-form field tables (kcgi style).
 *
 * A validator takes the raw input and, when it is acceptable, writes the
 * normalised value to out (at most outsz bytes, NUL included) and returns
 * NULL; otherwise it returns a message in Russian to show next to the
 * field.  Input is already known to be valid UTF-8.
 */
#ifndef PARTA_VALID_H
#define PARTA_VALID_H

#include <stddef.h>

/*
 * Largest normalised value of a text field, NUL included: valid_line
 * allows 300 characters of up to 4 bytes each.
 */
#define VALID_MAX	1216

typedef const char *(*valid_fn)(const char *in, char *out, size_t outsz);

/* Russian mobile phone in any common spelling ("+7 912 345-67-89",
 * "8 (912) 345 67 89", "89123456789", "9123456789") to E.164
 * ("+79123456789").  Mobile means the number starts with 9 after +7/8. */
const char	*valid_phone(const char *, char *, size_t);
/* E-mail, trimmed and lower-cased: one '@', a local part and a domain
 * with a dot, no spaces, at most 254 bytes. */
const char	*valid_email(const char *, char *, size_t);
/* A person's name: letters (any script), spaces, hyphen, apostrophe;
 * starts with a letter; 1..60 characters; inner runs of spaces folded. */
const char	*valid_name(const char *, char *, size_t);
/* A last name: as valid_name, its messages say «Фамилия». */
const char	*valid_last_name(const char *, char *, size_t);
/* Optional name (patronymic): empty is fine, else as valid_name; its
 * messages say «Отчество». */
const char	*valid_name_opt(const char *, char *, size_t);
/* A date YYYY-MM-DD that exists in the calendar, years 1900..2100. */
const char	*valid_date(const char *, char *, size_t);
/* A birth date: a valid date, not in the future, not before 1900. */
const char	*valid_birth_date(const char *, char *, size_t);
/* "f" or "m". */
const char	*valid_gender(const char *, char *, size_t);
/* Password: 8..256 bytes, not all spaces (kept exactly as typed). */
const char	*valid_password(const char *, char *, size_t);
/* INN: 10 digits (organization) or 12 digits (person), checksums. */
const char	*valid_inn(const char *, char *, size_t);
/* INN of an organization: exactly 10 digits with a good checksum. */
const char	*valid_inn10(const char *, char *, size_t);
/* KPP: 9 characters, digits except positions 5-6 which may be A-Z. */
const char	*valid_kpp(const char *, char *, size_t);
/* A role one joins an organization in: "teacher" or "student". */
const char	*valid_role(const char *, char *, size_t);
/* A six-digit confirmation code. */
const char	*valid_code(const char *, char *, size_t);
/* A young child's login name: 3..32 Latin letters and digits, starting
 * with a letter (so never a phone or an e-mail), lower-cased. */
const char	*valid_login(const char *, char *, size_t);
/* A phone that may be a landline (an organization's, one typed in for
 * someone not on the platform): digits and + - ( ) and spaces, 5 to 20
 * characters with at least 5 digits, kept as typed. */
const char	*valid_any_phone(const char *, char *, size_t);
/* A phone (as valid_phone) or else an e-mail (as valid_email). */
const char	*valid_contact(const char *, char *, size_t);
/* Free text of one line, trimmed, 1..300 characters, no control chars. */
const char	*valid_line(const char *, char *, size_t);
/*
 * A line (valid_line) of at most max characters (max <= 300); past it
 * the caller's words, which say the number ("Не больше 200 символов").
 */
const char	*valid_line_max(const char *, char *, size_t, size_t max,
		    const char *too_long);
/*
 * One value of a fixed list, copied: in when it is one of the n values
 * of a table's rows (the const char * at the start of each row of size
 * bytes: valid_choice(in, out, outsz, &rows[0].value, N,
 * sizeof(rows[0]), msg)); else msg.
 */
const char	*valid_choice(const char *, char *, size_t,
		    const char *const *values, size_t n, size_t size,
		    const char *msg);
/*
 * A message of several lines (a chat's, a request's) as typed, made
 * ready to store, in place: line breaks as \n, spaces and blank lines
 * around trimmed.  NULL when it is fine, with its characters in *chars;
 * else the message for the form: empty, control characters, or more
 * than max characters (VALID_E_TEXT_LONG, a word the caller puts
 * the numbers to: "Не больше 4000 символов (сейчас 4001)").
 */
const char	*valid_message(char *s, size_t max, size_t *chars);
#define VALID_E_TEXT_EMPTY	"Напишите сообщение"
#define VALID_E_TEXT_CTRL	"Сообщение содержит недопустимые символы"
#define VALID_E_TEXT_LONG	"Слишком длинное сообщение"

/* Positive decimal integer without sign or leading zeros, < 2^31. */
const char	*valid_uint(const char *, char *, size_t);
/* A region's two-digit code (parta.region.code, sql/0003_regions.sql),
 * as a form's list sends it.  Whether such a region exists is the
 * database's word: a code that is none says VALID_E_REGION too. */
const char	*valid_region(const char *, char *, size_t);
#define VALID_E_REGION	"Выберите регион из списка"
/* Two files or more sent where a form takes one (http_file_count). */
#define VALID_E_ONE_FILE	"Здесь можно приложить только один файл: " \
	"выберите один и отправьте форму ещё раз"

/* A form: one row per field, indexed by an enum ending in __MAX. */
struct valid_field {
	const char	*name;		/* form field name */
	valid_fn	 fn;
	int		 required;	/* empty input is "Заполните поле" */
};

/*
 * A person's own details, the same on /register and /me/profile: the
 * first rows of both forms' tables, in this order.
 */
#define VALID_PERSON_FIELDS						\
	{ "last_name", valid_last_name, 1 },				\
	{ "first_name", valid_name, 1 },				\
	{ "patronymic", valid_name_opt, 0 },				\
	{ "gender", valid_gender, 1 },					\
	{ "birth_date", valid_birth_date, 1 }
#define VALID_PERSON_N	5

struct valid_result {
	char		 value[VALID_MAX];	/* normalised, or as typed */
	const char	*error;			/* NULL when the field is fine */
	int		 present;		/* non-empty input was given */
};

/*
 * Check each field of the form: get(arg, name) returns the raw input or
 * NULL.  Fills res[i] for every field (value is the normalised value when
 * valid, else the input as typed, truncated to fit).  Returns the number
 * of fields with an error.  An optional empty field is valid and its
 * validator is not called.
 */
int		 valid_form(const struct valid_field *fields, size_t n,
		    const char *(*get)(void *arg, const char *name), void *arg,
		    struct valid_result *res);

#endif
