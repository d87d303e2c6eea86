/*
 * Unit tests for lib/qr.c: the template data of a QR code says exactly
 * what libqrencode encoded, inside the standard's quiet zone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "html.h"
#include "pool.h"
#include "qr.h"

#define LINK	"https://parta.example/join/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde"

/* The dark modules of text as libqrencode encodes it, and its width. */
static int
dark_modules(const char *text, int *width)
{
	QRcode	*q;
	int	 i, n = 0;

	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(q);
	for (i = 0; i < q->width * q->width; i++)
		n += q->data[i] & 1;
	*width = q->width;
	QRcode_free(q);
	return n;
}

/* The size and the path: every rectangle one row high, inside the
 * border, and together exactly the dark modules. */
static void
test_qr_matches_encoding(void **state)
{
	struct pool	*p = pool_new();
	struct html_ctx	*c = html_ctx_new(p);
	const char	*path, *s;
	char		*end;
	long		 x, y, h, v, back, covered = 0;
	int		 width, dark;

	(void)state;
	dark = dark_modules(LINK, &width);
	assert_int_equal(qr_ctx(c, LINK), 0);
	assert_int_equal(atoi(html_get_str(c, "qr_size")),
	    width + 2 * QR_QUIET);
	path = html_get_str(c, "qr_path");
	assert_true(strspn(path, "0123456789 Mhvz-") == strlen(path));
	/* The finder pattern's top row: seven dark modules in the corner. */
	assert_true(strncmp(path, "M4 4h7v1h-7z", 12) == 0);
	for (s = path; *s != '\0'; s = end + 1) {
		assert_int_equal(*s, 'M');
		x = strtol(s + 1, &end, 10);
		y = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'h');
		h = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'v');
		v = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'h');
		back = strtol(end + 1, &end, 10);
		assert_int_equal(*end, 'z');
		assert_int_equal(v, 1);
		assert_int_equal(back, -h);
		assert_true(h >= 1);
		assert_true(x >= QR_QUIET && x + h <= QR_QUIET + width);
		assert_true(y >= QR_QUIET && y < QR_QUIET + width);
		covered += h;
	}
	assert_int_equal(covered, dark);
	pool_free(p);
}

/* A longer text makes a larger code (more modules per side). */
static void
test_qr_grows(void **state)
{
	struct pool	*p = pool_new();
	struct html_ctx	*a = html_ctx_new(p), *b = html_ctx_new(p);
	char		 big[600];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(qr_ctx(a, "a"), 0);
	assert_int_equal(qr_ctx(b, big), 0);
	assert_int_equal(atoi(html_get_str(a, "qr_size")), 21 + 2 * QR_QUIET);
	assert_true(atoi(html_get_str(b, "qr_size")) >
	    atoi(html_get_str(a, "qr_size")));
	pool_free(p);
}

/* More than a QR code holds: -1, and nothing set. */
static void
test_qr_too_long(void **state)
{
	struct pool	*p = pool_new();
	struct html_ctx	*c = html_ctx_new(p);
	char		*huge;

	(void)state;
	huge = malloc(8000);
	assert_non_null(huge);
	memset(huge, 'x', 7999);
	huge[7999] = '\0';
	assert_int_equal(qr_ctx(c, huge), -1);
	assert_null(html_get_str(c, "qr_path"));
	free(huge);
	pool_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_matches_encoding),
		cmocka_unit_test(test_qr_grows),
		cmocka_unit_test(test_qr_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
