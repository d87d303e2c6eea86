/*
 * libFuzzer harness for lib/roster.c: any bytes as an uploaded roster,
 * and as a class name.  Whatever the input, what roster_read answers
 * must be storable as it is in parta.roster_row (sql/0028_roster.sql's
 * checks: lengths in characters, the phone's form, line's bounds),
 * valid UTF-8, and consistent (an error has its field, a duplicate its
 * error, a refusal its reason and no rows).  A broken promise aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "roster.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Characters in s when it is well-formed UTF-8 (RFC 3629), else -1.
 * Written apart from lib/utf8 so that a mistake there is not repeated.
 */
static long
chars(const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 len, k;
	uint32_t		 c;
	long			 n = 0;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			n++;
			continue;
		}
		if ((*s & 0xE0) == 0xC0) {
			len = 2;
			c = *s & 0x1F;
		} else if ((*s & 0xF0) == 0xE0) {
			len = 3;
			c = *s & 0x0F;
		} else if ((*s & 0xF8) == 0xF0) {
			len = 4;
			c = *s & 0x07;
		} else
			return -1;
		for (k = 1; k < len; k++) {
			if ((s[k] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (s[k] & 0x3F);
		}
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
		    (len == 4 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return -1;
		s += len;
		n++;
	}
	return n;
}

/* s is a string of at most max characters (and not empty if full). */
static void
text(const char *s, long max, int full)
{
	long	 n;

	if (s == NULL || (n = chars(s)) < 0 || n > max || (full && n == 0))
		abort();
}

static void
digits(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			abort();
}

static void
check_row(const struct roster_row *w, int prev)
{
	size_t	 i;

	if (w->line <= prev || w->line < 2 || w->line > ROSTER_MAX_LINES)
		abort();
	text(w->last_name, 60, 0);
	text(w->first_name, 60, 0);
	text(w->patronymic, 60, 0);
	text(w->class_text, 120, 0);
	text(w->letter, 8, 0);
	text(w->title, 100, 0);
	if (w->role != NULL && strcmp(w->role, "student") != 0 &&
	    strcmp(w->role, "teacher") != 0)
		abort();
	if (w->grade < 0 || w->grade > 11)
		abort();
	if (w->grade == 0 && (*w->letter != '\0' || *w->title != '\0'))
		abort();
	if (w->phone != NULL && (strlen(w->phone) != 12 ||
	    strncmp(w->phone, "+7", 2) != 0))
		abort();
	if (w->phone != NULL)
		digits(w->phone + 2, 10);
	if (w->email != NULL) {
		text(w->email, 254, 1);
		for (i = 0; w->email[i] != '\0'; i++)
			if (w->email[i] >= 'A' && w->email[i] <= 'Z')
				abort();
	}
	if (w->birth_date != NULL) {
		if (strlen(w->birth_date) != 10 || w->birth_date[4] != '-' ||
		    w->birth_date[7] != '-')
			abort();
		digits(w->birth_date, 4);
		digits(w->birth_date + 5, 2);
		digits(w->birth_date + 8, 2);
	}
	if ((w->error == NULL) != (w->error_field == NULL))
		abort();
	if (w->error != NULL)
		text(w->error, 300, 1);
	else if (*w->last_name == '\0' || *w->first_name == '\0' ||
	    w->role == NULL)
		abort();
	if (w->dup_of != 0 && (w->dup_of >= w->line || w->dup_of < 2 ||
	    w->error == NULL))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool	*p = pool_new();
	struct roster	 r;
	const char	*why, *letter, *title;
	char		*s;
	size_t		 i;
	int		 rc, line, grade, prev = 1;

	rc = roster_read(p, (const char *)data, size, &r, &why, &line);
	if (rc == 0) {
		if (why != NULL || r.n == 0 || r.n > ROSTER_MAX_ROWS)
			abort();
		for (i = 0; i < r.n; i++) {
			check_row(&r.rows[i], prev);
			prev = r.rows[i].line;
		}
	} else {
		if ((rc != 413 && rc != 422) || r.n != 0 || r.rows != NULL ||
		    line < 0 || line > ROSTER_MAX_LINES)
			abort();
		text(why, 300, 1);
	}

	/* The same bytes as a class's name (up to a NUL, as in C). */
	s = pool_alloc(p, size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	rc = roster_class_parse(p, s, &grade, &letter, &title);
	if (rc != 0 && rc != -1)
		abort();
	text(letter, 8, 0);
	text(title, 100, 0);
	if (rc == -1 && (grade != 0 || *letter != '\0' || *title != '\0'))
		abort();
	if (rc == 0 && (grade < 0 || grade > 11 || (grade == 0 &&
	    (*letter != '\0' || *title != '\0'))))
		abort();
	pool_free(p);
	return 0;
}
