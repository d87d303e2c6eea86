/*
 * libFuzzer harness for lib/valid.c: every validator on the input, with
 * a normal output buffer and with a tiny one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "valid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The validators are promised valid UTF-8, so other input is not theirs
 * to handle.  This check is written apart from the one in valid.c so
 * that a mistake there is not repeated here.
 */
static int
utf8_ok(const uint8_t *s, size_t n)
{
	size_t		 i = 0, len, k;
	uint32_t	 c;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			len = 2;
			c = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			len = 3;
			c = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			len = 4;
			c = s[i] & 0x07;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
		    (len == 4 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static const char *
get(void *arg, const char *name)
{
	(void)name;
	return arg;
}

/* valid_line_max and valid_choice as a form's table has them. */
static const struct {
	const char	*value;
	int		 n;
} fuzz_choices[] = { { "all", 1 }, { "staff", 2 }, { "class", 3 } };

static const char *
fuzz_line_max(const char *in, char *out, size_t outsz)
{
	return valid_line_max(in, out, outsz, 20, "Не больше 20 символов");
}

static const char *
fuzz_choice(const char *in, char *out, size_t outsz)
{
	return valid_choice(in, out, outsz, &fuzz_choices[0].value, 3,
	    sizeof(fuzz_choices[0]), "Выберите из списка");
}

/* A validated value must be a string that fits where it was put. */
static void
check(const char *msg, const char *out, size_t outsz)
{
	if (msg == NULL && (outsz == 0 || memchr(out, '\0', outsz) == NULL))
		abort();
	if (msg != NULL && *msg == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const valid_fn	 fns[] = {
		valid_phone, valid_email, valid_name, valid_name_opt,
		valid_date, valid_birth_date, valid_gender, valid_password,
		valid_inn, valid_inn10, valid_kpp, valid_code, valid_line,
		valid_uint, fuzz_line_max, fuzz_choice,
	};
	static const size_t	 sizes[] = { VALID_MAX, 4, 1, 0 };
	struct valid_field	 fields[sizeof(fns) / sizeof(fns[0])];
	struct valid_result	 res[sizeof(fns) / sizeof(fns[0])];
	const char		*msg;
	char			*in, out[VALID_MAX], *tiny;
	size_t			 i, j, nf = sizeof(fns) / sizeof(fns[0]);

	/* An embedded NUL simply ends the string, as it would in C. */
	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (!utf8_ok((const uint8_t *)in, strlen(in))) {
		free(in);
		return 0;
	}

	for (i = 0; i < nf; i++) {
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			/*
			 * A heap buffer of the exact size lets the address
			 * sanitizer see a write one byte too far.
			 */
			if (sizes[j] == VALID_MAX) {
				msg = fns[i](in, out, sizeof(out));
				check(msg, out, sizeof(out));
				continue;
			}
			tiny = malloc(sizes[j] > 0 ? sizes[j] : 1);
			if (tiny == NULL)
				continue;
			tiny[0] = 'x';
			msg = fns[i](in, tiny, sizes[j]);
			check(msg, tiny, sizes[j]);
			if (sizes[j] == 0 && tiny[0] != 'x')
				abort();
			free(tiny);
		}
		fields[i].name = "f";
		fields[i].fn = fns[i];
		fields[i].required = (int)(i % 2);
	}
	if (valid_form(fields, nf, get, in, res) < 0)
		abort();
	for (i = 0; i < nf; i++)
		if (memchr(res[i].value, '\0', sizeof(res[i].value)) == NULL)
			abort();
	free(in);
	return 0;
}
