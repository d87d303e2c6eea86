/*
 * Unit tests for what bounds converting photos (issue 22): an image's
 * pixels read from its header (lib/file_pixels.c: JPEG, PNG, WebP;
 * nothing readable is -1, never a guess), the request's deadline of
 * the confined child (file_image_by: 3 when its time is up), and the
 * host's conversion turns in the database (sql/0062:
 * parta.file_convert_turn answers busy, late and go).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

#include "db.h"
#include "file.h"
#include "unit.h"

#define S(x)	(const void *)(x), sizeof(x) - 1

static unsigned long long
px(const void *data, size_t len, const char *type)
{
	unsigned long long	 n = 12345;

	if (file_image_pixels(data, len, type, &n) == -1) {
		assert_int_equal(n, 0);
		return 0;
	}
	return n;
}

static void
test_pixels_jpeg(void **state)
{
	(void)state;
	/* SOF0 right after SOI: 6000 x 8000 (height, width). */
	assert_int_equal(px(S("\xff\xd8\xff\xc0\x00\x11\x08\x17\x70\x1f\x40"
	    "\x03"), "image/jpeg"), 6000ULL * 8000);
	/* After an APP1 of 4 bytes, fill bytes, a restart marker; a
	 * progressive frame (SOF2). */
	assert_int_equal(px(S("\xff\xd8\xff\xe1\x00\x06" "abcd" "\xff\xff\xff\xd0"
	    "\xff\xc2\x00\x11\x08\x00\x10\x00\x20\x03"), "image/jpeg"),
	    16 * 32);
	/* DHT (C4) is no frame: skipped. */
	assert_int_equal(px(S("\xff\xd8\xff\xc4\x00\x03x\xff\xc1\x00\x11\x08"
	    "\x00\x02\x00\x03\x03"), "image/jpeg"), 6);
	/* Height given later (DNL): unknown. */
	assert_int_equal(px(S("\xff\xd8\xff\xc0\x00\x11\x08\x00\x00\x1f\x40"
	    "\x03"), "image/jpeg"), 0);
	/* A scan before any frame, an end, a length past the data, no
	 * marker, not a JPEG, cut short. */
	assert_int_equal(px(S("\xff\xd8\xff\xda\x00\x08"), "image/jpeg"), 0);
	assert_int_equal(px(S("\xff\xd8\xff\xd9\x00\x00"), "image/jpeg"), 0);
	assert_int_equal(px(S("\xff\xd8\xff\xe0\xff\xf0\xff\xc0\x00\x11\x08"
	    "\x01\x00\x01\x00"), "image/jpeg"), 0);
	assert_int_equal(px(S("\xff\xd8\x00\xc0\x00\x11\x08\x01\x00\x01\x00"),
	    "image/jpeg"), 0);
	assert_int_equal(px(S("\x89PNG\xff\xc0\x00\x11\x08\x01\x00\x01\x00"),
	    "image/jpeg"), 0);
	assert_int_equal(px(S("\xff\xd8\xff\xc0\x00\x11\x08\x01"),
	    "image/jpeg"), 0);
	assert_int_equal(px(S("\xff\xd8"), "image/jpeg"), 0);
}

static void
test_pixels_png_webp(void **state)
{
	(void)state;
	assert_int_equal(px(S("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"
	    "\x00\x00\x1b\x58\x00\x00\x1b\x58\x08\x02\0\0\0"), "image/png"),
	    7000ULL * 7000);
	/* Not IHDR first; 0 wide; cut short. */
	assert_int_equal(px(S("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDX"
	    "\x00\x00\x1b\x58\x00\x00\x1b\x58\x08\x02\0\0\0"), "image/png"), 0);
	assert_int_equal(px(S("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"
	    "\x00\x00\x00\x00\x00\x00\x1b\x58\x08\x02\0\0\0"), "image/png"), 0);
	assert_int_equal(px(S("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\x00\x00"),
	    "image/png"), 0);
	/* WebP: extended (canvas 4000 x 3000, stored less one), lossy
	 * (640 x 480, scale bits ignored), lossless (100 x 50). */
	assert_int_equal(px(S("RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0"
	    "\x9f\x0f\x00\xb7\x0b\x00"), "image/webp"), 4000ULL * 3000);
	assert_int_equal(px(S("RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0"
	    "\x9d\x01\x2a\x80\x42\xe0\x01"), "image/webp"), 640ULL * 480);
	assert_int_equal(px(S("RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f"
	    "\x63\x40\x0c\x00\0\0\0\0\0"), "image/webp"), 100ULL * 50);
	/* No start code; another chunk; cut short; a type not an image. */
	assert_int_equal(px(S("RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0"
	    "\x9d\x01\x2b\x80\x02\xe0\x01"), "image/webp"), 0);
	assert_int_equal(px(S("RIFF\0\0\0\0WEBPALPH\0\0\0\0\0\0\0"
	    "\x9d\x01\x2a\x80\x02\xe0\x01"), "image/webp"), 0);
	assert_int_equal(px(S("RIFF\0\0\0\0WEBPVP8X"), "image/webp"), 0);
	assert_int_equal(px(S("%PDF-1.4"), "application/pdf"), 0);
}

/* The fixture photo: 64 x 48, as libvips reads it. */
static void
test_pixels_photo(void **state)
{
	const char	*root = getenv("PARTA_ROOT");
	char		 path[512], buf[65536];
	FILE		*f;
	size_t		 n;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/http/files/photo.jpg",
	    root != NULL ? root : ".");
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(px(buf, n, "image/jpeg"), 64 * 48);
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A 16-megapixel JPEG (seconds to convert) with its request's time
 * up almost at once: the child ended, 3, nothing kept. */
static void
test_deadline(void **state)
{
	struct file_image	 img;
	char			 path[] = "/tmp/parta-late-XXXXXX";
	char			*jpg;
	FILE			*f;
	long			 n;
	pid_t			 pid;
	int			 fd, status;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		VipsImage	*noise, *u;

		if (VIPS_INIT("test") != 0 ||
		    vips_gaussnoise(&noise, 4000, 4000, "sigma", 20.0,
		    "mean", 128.0, NULL) != 0 ||
		    vips_cast_uchar(noise, &u, NULL) != 0 ||
		    vips_jpegsave(u, path, "Q", 75, NULL) != 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) > 1000);
	rewind(f);
	assert_non_null(jpg = malloc((size_t)n));
	assert_int_equal(fread(jpg, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	assert_int_equal(file_image_by(jpg, (size_t)n, "image/jpeg",
	    now_ms() + 20, &img), 3);
	assert_null(img.out);
	assert_null(img.preview);
	free(jpg);
}

static const struct db_stmt q_as = {
	"test_convert_as",
	"SELECT set_config('parta.account', '1', true)",
	NULL
};
static const struct db_stmt q_turn = {
	"test_convert_turn",
	"SELECT parta.file_convert_turn('unit-host', 'unit', 1, 1, $1)",
	NULL
};

static const char *
turn(const char *wait_ms)
{
	PGresult	*res;

	assert_non_null(res = db_exec(&q_turn, PGRES_TUPLES_OK, wait_ms));
	return PQgetvalue(res, 0, 0);
}

/* Whether the other connection took (or let go of) a lock of key. */
static int
other(PGconn *c, const char *fn, const char *key)
{
	PGresult	*res;
	const char	*v[1] = { key };
	char		 sql[128];
	int		 ok;

	snprintf(sql, sizeof(sql), "SELECT %s(hashtextextended($1, 0))", fn);
	res = PQexecParams(c, sql, 1, NULL, v, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK &&
	    (strcmp(PQgetvalue(res, 0, 0), "t") == 0 ||
	    strcmp(PQgetvalue(res, 0, 0), "") == 0);
	PQclear(res);
	return ok;
}

static void
test_turns(void **state)
{
	PGconn	*c;

	(void)state;
	assert_int_equal(unit_db_begin("test_file_convert"), 0);
	assert_non_null(db_exec(&q_as, PGRES_TUPLES_OK));
	c = PQconnectdb(getenv("PARTA_DB"));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	/* The program's one entry taken by another request: busy, at
	 * once. */
	assert_true(other(c, "pg_try_advisory_lock",
	    "parta.file_convert_entry:unit-host:unit:0"));
	assert_string_equal(turn("60000"), "busy");
	assert_true(other(c, "pg_advisory_unlock",
	    "parta.file_convert_entry:unit-host:unit:0"));
	/* The host's one turn taken: in, but late after waiting. */
	assert_true(other(c, "pg_try_advisory_lock",
	    "parta.file_convert_run:unit-host:0"));
	assert_string_equal(turn("100"), "late");
	/* Let go: this request's turn, held to its end. */
	assert_true(other(c, "pg_advisory_unlock",
	    "parta.file_convert_run:unit-host:0"));
	assert_string_equal(turn("100"), "go");
	assert_false(other(c, "pg_try_advisory_lock",
	    "parta.file_convert_run:unit-host:0"));
	PQfinish(c);
	db_rollback();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pixels_jpeg),
		cmocka_unit_test(test_pixels_png_webp),
		cmocka_unit_test(test_pixels_photo),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_turns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
