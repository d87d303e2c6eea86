/*
 * Unit tests for lib/file.c and lib/file_image.c: the type by content
 * (libmagic; HTML refused whatever its name, sources kept as text), the words
 * for types and sizes, the name kept (no folders, no control
 * characters, at most 255 bytes, its type's extension), the
 * Content-Disposition of RFC 6266, and the confined libvips child (an
 * image re-encoded with a preview; a broken or a too large one refused;
 * no file opened, no process started there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vips/vips.h>

#include "file.h"
#include "pool.h"

#define S(x)	x, sizeof(x) - 1

/* tests/http/files/NAME, malloc'd. */
static char *
fixture(const char *name, size_t *len)
{
	const char	*root = getenv("PARTA_ROOT");
	char		 path[512], *b;
	FILE		*f;
	long		 n;

	snprintf(path, sizeof(path), "%s/tests/http/files/%s",
	    root != NULL ? root : ".", name);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) > 0);
	rewind(f);
	assert_non_null(b = malloc((size_t)n));
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* A .txt from Windows: UTF-16 with a BOM or Windows-1251, kept as
 * UTF-8; UTF-8 as it is. */
static void
test_text_utf8(void **state)
{
	/* «Привет» in each. */
	static const char u8[] = "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5"
	    "\xd1\x82\n";
	static const char cp[] = "\xcf\xf0\xe8\xe2\xe5\xf2\n";
	static const char le[] = "\xff\xfe\x1f\x04\x40\x04\x38\x04\x32\x04"
	    "\x35\x04\x42\x04\n\0";
	static const char be[] = "\xfe\xff\x04\x1f\x04\x40\x04\x38\x04\x32"
	    "\x04\x35\x04\x42\0\n";
	char	*out;
	size_t	 n;

	(void)state;
	assert_int_equal(file_text_utf8(u8, sizeof(u8) - 1, &out, &n), 0);
	assert_null(out);
	assert_int_equal(n, sizeof(u8) - 1);
	assert_int_equal(file_text_utf8(cp, sizeof(cp) - 1, &out, &n), 0);
	assert_non_null(out);
	assert_int_equal(n, sizeof(u8) - 1);
	assert_memory_equal(out, u8, n);
	free(out);
	assert_int_equal(file_text_utf8(le, sizeof(le) - 1, &out, &n), 0);
	assert_int_equal(n, sizeof(u8) - 1);
	assert_memory_equal(out, u8, n);
	free(out);
	assert_int_equal(file_text_utf8(be, sizeof(be) - 1, &out, &n), 0);
	assert_int_equal(n, sizeof(u8) - 1);
	assert_memory_equal(out, u8, n);
	free(out);
	/* Libmagic calls them all text. */
	assert_string_equal(file_type_of(le, sizeof(le) - 1), "text/plain");
	assert_string_equal(file_type_of(cp, sizeof(cp) - 1), "text/plain");
	/* A byte Windows-1251 has not (0x98), an odd UTF-16: refused. */
	assert_int_equal(file_text_utf8("a\x98" "b", 3, &out, &n), 1);
	assert_int_equal(file_text_utf8("\xff\xfe\x41", 3, &out, &n), 1);
}

/* UTF-16LE without a byte order mark (issue 22's QA, item G): libmagic
 * calls it binary; taken as text and kept as UTF-8.  Binary data and
 * Windows-1251 are not taken for it. */
static void
test_text_utf16le_no_bom(void **state)
{
	/* «Привет, class 5А»: Cyrillic, Latin, digits. */
	static const char le[] = "\x1f\x04\x40\x04\x38\x04\x32\x04"
	    "\x35\x04\x42\x04,\0 \0c\0l\0a\0s\0s\0 \0" "5\0\x10\x04\n";
	static const char u8[] = "Привет, class 5А\n";
	/* Units that are no text: a lone surrogate, NUL, a control, a
	 * half of the units past U+0500 (Chinese-looking binary). */
	static const char lone[] = "a\0\x00\xdc" "b\0";
	static const char nul[] = "a\0\0\0b\0c\0";
	static const char ctl[] = "a\0\x01\0b\0c\0";
	static const char high[] = "\x00\x4e\x01\x4e" "a\0\x02\x4e";
	static const char cp[] = "\xcf\xf0\xe8\xe2\xe5\xf2";
	char	*out;
	size_t	 n, i;

	(void)state;
	assert_string_equal(file_type_of(le, sizeof(le)), "text/plain");
	assert_int_equal(file_text_utf8(le, sizeof(le), &out, &n), 0);
	assert_int_equal(n, sizeof(u8) - 1);
	assert_memory_equal(out, u8, n);
	free(out);
	assert_null(file_type_of(lone, sizeof(lone) - 1));
	assert_null(file_type_of(nul, sizeof(nul) - 1));
	assert_null(file_type_of(ctl, sizeof(ctl) - 1));
	assert_null(file_type_of(high, sizeof(high) - 1));
	/* A table of 16-bit numbers that are all letters of some
	 * alphabet, but no space or line break among 20 of them. */
	{
		unsigned char	 table[40];

		for (i = 0; i < 20; i++) {
			table[2 * i] = (unsigned char)((300 + 37 * i) & 0xff);
			table[2 * i + 1] = (unsigned char)((300 + 37 * i) >> 8);
		}
		assert_null(file_type_of(table, sizeof(table)));
	}
	/* Windows-1251 stays Windows-1251. */
	assert_int_equal(file_text_utf8(cp, sizeof(cp) - 1, &out, &n), 0);
	assert_memory_equal(out, "Привет", n);
	free(out);
}

static void
test_type_of(void **state)
{
	static const char *const kept[][2] = {
		{ "photo.jpg", "image/jpeg" },
		{ "alpha.png", "image/png" },
		{ "report.docx", "application/vnd.openxmlformats-"
		    "officedocument.wordprocessingml.document" },
		{ "essay.odt", "application/vnd.oasis.opendocument.text" },
		{ "notes.zip", "application/zip" },
	};
	size_t	 i, len;
	char	*b;

	(void)state;
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		b = fixture(kept[i][0], &len);
		assert_string_equal(file_type_of(b, len), kept[i][1]);
		free(b);
	}
	assert_string_equal(file_type_of(S("%PDF-1.4\n<html><script>"
	    "alert(1)</script></html>\n%%EOF\n")), "application/pdf");
	assert_string_equal(file_type_of(S("Домашнее задание\n")),
	    "text/plain");
	assert_string_equal(file_type_of(S("a;b\n1;2\n")), "text/plain");
	/* Refused whatever the name says. */
	assert_null(file_type_of(S("<!DOCTYPE html><html><body><script>"
	    "alert(1)</script></body></html>\n")));
	assert_null(file_type_of(S("<html><body>x</body></html>\n")));
	/* An HTML page is refused after a byte order mark, white space
	 * and comments too, in any case. */
	assert_null(file_type_of(S("\xef\xbb\xbf  \n<!DOCTYPE html><html>"
	    "<body>x</body></html>\n")));
	assert_null(file_type_of(S("<!-- c -->\n<HTML><body>x</body>"
	    "</HTML>\n")));
	assert_null(file_type_of(S("\n\n<head><title>x</title></head>"
	    "<body><script>alert(1)</script></body>\n")));
	/* Text with tags in it (notes on HTML, a snippet) is text. */
	assert_string_equal(file_type_of(S("Мой код:\n<html>\n<head><title>"
	    "x</title></head>\n<body><script>alert(1)</script></body>\n"
	    "</html>\n")), "text/plain");
	assert_string_equal(file_type_of(S("<script>alert(1)</script>\n")),
	    "text/plain");
	assert_string_equal(file_type_of(S("Урок по HTML.\nТег <b> делает "
	    "текст жирным, а <p> начинает абзац.\n")), "text/plain");
	assert_null(file_type_of(S("<?xml version=\"1.0\"?><svg xmlns="
	    "\"http://www.w3.org/2000/svg\"><script>alert(1)</script>"
	    "</svg>\n")));
	/* Program sources and scripts are text, kept as text/plain
	 * (served as an attachment, never run). */
	assert_string_equal(file_type_of(S("#!/bin/sh\nrm -rf /\n")),
	    "text/plain");
	assert_string_equal(file_type_of(S("#!/usr/bin/env python3\n"
	    "import sys\nprint(sys.argv)\n")), "text/plain");
	assert_string_equal(file_type_of(S("#include <stdio.h>\n\nint\n"
	    "main(void)\n{\n\tprintf(\"hi\\n\");\n\treturn 0;\n}\n")),
	    "text/plain");
	assert_null(file_type_of(S("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"
	    "\x02\0\x3e\0")));
	assert_null(file_type_of(S("GIF89a\x01\0\x01\0\0\0\0;")));
	assert_null(file_type_of("", 0));
}

static void
test_words(void **state)
{
	(void)state;
	assert_string_equal(file_type_word("application/pdf"), "PDF");
	assert_string_equal(file_type_word("image/jpeg"), "Фото");
	assert_string_equal(file_type_word("application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet"), "Таблица Excel");
	assert_string_equal(file_type_word("text/plain"), "Текст");
	assert_string_equal(file_type_word("nonsense"), "Файл");
}

static void
test_name_kept(void **state)
{
	struct pool	*p = pool_new();
	char		 long_name[600], *n;

	(void)state;
	assert_string_equal(file_name_kept(p, "Домашнее задание.pdf",
	    "application/pdf"), "Домашнее задание.pdf");
	assert_string_equal(file_name_kept(p, "C:\\Users\\Аня\\фото.JPG",
	    "image/jpeg"), "фото.JPG");
	assert_string_equal(file_name_kept(p, "../../etc/passwd.txt",
	    "text/plain"), "passwd.txt");
	/* The type's extension, when the name has another. */
	assert_string_equal(file_name_kept(p, "отчёт.html", "text/plain"),
	    "отчёт.html.txt");
	/* A name whose extension fits the type stays as it is: one
	 * extension, never two. */
	assert_string_equal(file_name_kept(p, "оценки.csv", "text/plain"),
	    "оценки.csv");
	assert_string_equal(file_name_kept(p, "Оценки.CSV", "text/plain"),
	    "Оценки.CSV");
	assert_string_equal(file_name_kept(p, "README.md", "text/plain"),
	    "README.md");
	assert_string_equal(file_name_kept(p, "журнал.log", "text/plain"),
	    "журнал.log");
	assert_string_equal(file_name_kept(p, "фото.jpeg", "image/jpeg"),
	    "фото.jpeg");
	assert_string_equal(file_name_kept(p, "фото.jfif", "image/jpeg"),
	    "фото.jfif");
	assert_string_equal(file_name_kept(p, "реферат.docx",
	    "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document"), "реферат.docx");
	assert_string_equal(file_name_kept(p, "реферат.docx",
	    "application/zip"), "реферат.docx");
	/* A name claiming another type gets its type's: a web page's or
	 * a PDF's extension on text, a text's on a picture. */
	assert_string_equal(file_name_kept(p, "страница.htm", "text/plain"),
	    "страница.htm.txt");
	assert_string_equal(file_name_kept(p, "скан.pdf", "text/plain"),
	    "скан.pdf.txt");
	assert_string_equal(file_name_kept(p, "фото.txt", "image/jpeg"),
	    "фото.txt.jpg");
	assert_string_equal(file_name_kept(p, "архив.csv", "application/zip"),
	    "архив.csv.zip");
	assert_string_equal(file_name_kept(p, "scan", "application/pdf"),
	    "scan.pdf");
	assert_string_equal(file_name_kept(p, "", "image/png"), "файл.png");
	assert_string_equal(file_name_kept(p, "...", "application/zip"),
	    "файл.zip");
	/* Control characters, a right-to-left override, broken UTF-8 and
	 * what a disk may not hold: '_'. */
	assert_string_equal(file_name_kept(p, "a\tb\x01" "c.pdf",
	    "application/pdf"), "a_b_c.pdf");
	assert_string_equal(file_name_kept(p, "x\xe2\x80\xae" "fdp.exe",
	    "application/pdf"), "x_fdp.exe.pdf");
	assert_string_equal(file_name_kept(p, "a\xff" "b.txt", "text/plain"),
	    "a_b.txt");
	/* What is legal in a name on a phone or a Mac is kept as the
	 * person named it: quotes, '*', ':', '<', '>', '?', '|'. */
	assert_string_equal(file_name_kept(p, "a<b>:\"c\"?.txt",
	    "text/plain"), "a<b>:\"c\"?.txt");
	assert_string_equal(file_name_kept(p, "Сочинение \"Зима\".pdf",
	    "application/pdf"), "Сочинение \"Зима\".pdf");
	/* Nothing before the extension: a name; an extension typed twice:
	 * once; spaces around a name: gone. */
	assert_string_equal(file_name_kept(p, "   .pdf", "application/pdf"),
	    "файл.pdf");
	assert_string_equal(file_name_kept(p, ".pdf", "application/pdf"),
	    "файл.pdf");
	assert_string_equal(file_name_kept(p, ". .txt", "text/plain"),
	    "файл.txt");
	assert_string_equal(file_name_kept(p, "отчёт.pdf.pdf",
	    "application/pdf"), "отчёт.pdf");
	assert_string_equal(file_name_kept(p, "отчёт.PDF.pdf.pdf",
	    "application/pdf"), "отчёт.pdf");
	assert_string_equal(file_name_kept(p, " отчёт.pdf  ",
	    "application/pdf"), "отчёт.pdf");
	assert_string_equal(file_name_kept(p, "фото.jpg.jpeg", "image/jpeg"),
	    "фото.jpg.jpeg");
	assert_string_equal(file_name_kept(p, "v1.2.3.txt", "text/plain"),
	    "v1.2.3.txt");
	/* At most 255 bytes, not splitting a character, the extension
	 * kept. */
	memset(long_name, 0, sizeof(long_name));
	for (int i = 0; i < 290; i++)
		memcpy(long_name + 2 * i, "ж", 2);
	strcat(long_name, ".pdf");
	n = file_name_kept(p, long_name, "application/pdf");
	assert_true(strlen(n) <= 255);
	assert_true(strlen(n) >= 253);
	assert_string_equal(n + strlen(n) - 4, ".pdf");
	assert_int_equal((strlen(n) - 4) % 2, 0);
	pool_free(p);
}

/* The ASCII fallback of file_disposition for name (inline_ 0). */
static const char *
fallback(struct pool *p, const char *name)
{
	const char	*d = file_disposition(p, name, 0), *e;

	assert_true(strncmp(d, "attachment; filename=\"", 22) == 0);
	d += 22;
	assert_non_null(e = strstr(d, "\"; filename*=UTF-8''"));
	return pool_strndup(p, d, (size_t)(e - d));
}

static void
test_disposition(void **state)
{
	struct pool	*p = pool_new();
	char		 long_name[700];
	const char	*f;
	size_t		 i;

	(void)state;
	assert_string_equal(file_disposition(p, "Домашнее задание.pdf", 1),
	    "inline; filename=\"Domashnee zadanie.pdf\"; filename*=UTF-8''"
	    "%D0%94%D0%BE%D0%BC%D0%B0%D1%88%D0%BD%D0%B5%D0%B5%20%D0%B7%D0%B0"
	    "%D0%B4%D0%B0%D0%BD%D0%B8%D0%B5.pdf");
	assert_string_equal(file_disposition(p, "report 2024.docx", 0),
	    "attachment; filename=\"report 2024.docx\"; "
	    "filename*=UTF-8''report%202024.docx");
	/* One rule: Cyrillic in Latin letters, whatever else is around. */
	assert_string_equal(fallback(p, "план.txt"), "plan.txt");
	assert_string_equal(fallback(p, "Расписание 5А.pdf"),
	    "Raspisanie 5A.pdf");
	assert_string_equal(fallback(p, "ЩИ и Ёжики, объявление (v2).docx"),
	    "ShchI i Ezhiki, obyavlenie (v2).docx");
	assert_string_equal(fallback(p, "Юля_Цой-Хан.jpg"), "Yulya_Tsoy-Khan.jpg");
	assert_string_equal(fallback(p, "Їжак і ґанок.txt"), "Yizhak i ganok.txt");
	/* A quote, a backslash or a semicolon never ends the quoted name
	 * or the parameter early: each run one '_'. */
	assert_string_equal(file_disposition(p, "a\"b\\c.txt", 0),
	    "attachment; filename=\"a_b_c.txt\"; "
	    "filename*=UTF-8''a%22b%5Cc.txt");
	assert_string_equal(fallback(p, "итоги; \"четверть\".xlsx"),
	    "itogi_ _chetvert_.xlsx");
	assert_string_equal(fallback(p, "a;;b\\\\c.pdf"), "a_b_c.pdf");
	/* Other scripts: '_'; nothing left of the name: "file". */
	assert_string_equal(fallback(p, "报告.pdf"), "file.pdf");
	assert_string_equal(fallback(p, "😀 план.png"), "_ plan.png");
	assert_string_equal(fallback(p, "ъь.txt"), "file.txt");
	/* No extension, or none that is one: the name as it is. */
	assert_string_equal(file_disposition(p, "без расширения", 0),
	    "attachment; filename=\"bez rasshireniya\"; filename*=UTF-8''"
	    "%D0%B1%D0%B5%D0%B7%20%D1%80%D0%B0%D1%81%D1%88%D0%B8%D1%80%D0%B5"
	    "%D0%BD%D0%B8%D1%8F");
	assert_string_equal(fallback(p, "версия 1.2 итог"), "versiya 1.2 itog");
	assert_string_equal(fallback(p, ".profile"), ".profile");
	/* Very long: 120 bytes, then the extension. */
	long_name[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(long_name, "ж");
	strcat(long_name, ".pdf");
	f = fallback(p, long_name);
	assert_int_equal(strlen(f), 124);
	assert_true(strncmp(f, "zhzhzh", 6) == 0);
	assert_string_equal(f + 120, ".pdf");
	/* Every fallback is printable ASCII without a quote, backslash or
	 * semicolon. */
	for (f = fallback(p, "«ТЕСТ»\t\x01;\"\\.pdf"); *f != '\0'; f++)
		assert_true(*f >= 0x20 && *f < 0x7f && *f != '"' &&
		    *f != '\\' && *f != ';');
	pool_free(p);
}

static void
test_image(void **state)
{
	struct file_image	 img;
	char			*jpg, *png;
	size_t			 jlen, plen, sof;

	(void)state;
	jpg = fixture("photo.jpg", &jlen);
	png = fixture("alpha.png", &plen);
	assert_int_equal(file_image(jpg, jlen, "image/jpeg", &img), 0);
	assert_true(img.out_len > 100);
	assert_memory_equal(img.out, "\xff\xd8\xff", 3);
	assert_true(img.preview_len > 100);
	assert_memory_equal(img.preview, "\xff\xd8\xff", 3);
	free(img.out);
	free(img.preview);
	assert_int_equal(file_image(png, plen, "image/png", &img), 0);
	assert_memory_equal(img.out, "\x89PNG", 4);
	assert_memory_equal(img.preview, "\xff\xd8\xff", 3);
	free(img.out);
	free(img.preview);
	/* Cut short, or of another type than said: refused.  Cut after
	 * its header, in the middle of its picture, too (libvips would
	 * show the rest grey). */
	assert_int_equal(file_image(jpg, 200, "image/jpeg", &img), 1);
	assert_null(img.out);
	assert_int_equal(file_image(jpg, jlen * 2 / 3, "image/jpeg", &img), 1);
	assert_null(img.out);
	assert_int_equal(file_image(png, plen * 2 / 3, "image/png", &img), 1);
	assert_null(img.out);
	assert_int_equal(file_image(png, plen, "image/jpeg", &img), 1);
	/* A header claiming 65000 x 65000 pixels: refused before decoding,
	 * as past FILE_MAX_PIXELS (2), not as broken. */
	for (sof = 0; sof + 9 < jlen; sof++)
		if ((unsigned char)jpg[sof] == 0xff &&
		    (unsigned char)jpg[sof + 1] == 0xc0)
			break;
	assert_true(sof + 9 < jlen);
	memcpy(jpg + sof + 5, "\xfd\xe8\xfd\xe8", 4);
	assert_int_equal(file_image(jpg, jlen, "image/jpeg", &img), 2);
	free(jpg);
	free(png);
}

/* A photo of 48 megapixels (8000 x 6000, as a phone's camera makes):
 * decoded it is 144 MB, past libvips's threshold for a temporary file
 * on disk, which the confined child may not open.  Made here, by
 * libvips in a child of the test (its threads stay out of this
 * process); kept, with a preview. */
static void
test_big_photo(void **state)
{
	struct file_image	 img;
	char			 path[] = "/tmp/parta-big-XXXXXX";
	char			*jpg;
	size_t			 jlen;
	FILE			*f;
	long			 n;
	pid_t			 pid;
	int			 fd, status;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		VipsImage	*black, *noise, *sum, *u;

		if (VIPS_INIT("test") != 0 ||
		    vips_black(&black, 8000, 6000, "bands", 3, NULL) != 0 ||
		    vips_gaussnoise(&noise, 8000, 6000, "sigma", 20.0,
		    "mean", 128.0, NULL) != 0 ||
		    vips_add(black, noise, &sum, NULL) != 0 ||
		    vips_cast_uchar(sum, &u, NULL) != 0 ||
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
	jlen = (size_t)n;
	assert_int_equal(file_image(jpg, jlen, "image/jpeg", &img), 0);
	assert_memory_equal(img.out, "\xff\xd8\xff", 3);
	assert_memory_equal(img.preview, "\xff\xd8\xff", 3);
	assert_true(img.preview_len < 200000);
	free(img.out);
	free(img.preview);
	free(jpg);
}

/* A photo-like JPEG of 2000 x 1500 (blurred noise in each colour)
 * saved by libvips at quality q, made in a child of the test as
 * test_big_photo's: malloc'd, its length into *len. */
static char *
made_jpeg(int q, size_t *len)
{
	char		 path[] = "/tmp/parta-q-XXXXXX";
	char		*jpg;
	FILE		*f;
	long		 n;
	pid_t		 pid;
	int		 fd, status, i;

	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		VipsImage	*noise, *b[3], *rgb, *u;

		if (VIPS_INIT("test") != 0)
			_exit(1);
		for (i = 0; i < 3; i++)
			if (vips_gaussnoise(&noise, 2000, 1500, "sigma", 40.0,
			    "mean", 128.0, NULL) != 0 ||
			    vips_gaussblur(noise, &b[i], i == 0 ? 1.5 : 3.0,
			    NULL) != 0)
				_exit(1);
		if (vips_bandjoin(b, &rgb, 3, NULL) != 0 ||
		    vips_cast_uchar(rgb, &u, NULL) != 0 ||
		    vips_jpegsave(u, path, "Q", q, NULL) != 0)
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
	*len = (size_t)n;
	return jpg;
}

/* A photo's re-encode (without its metadata) does not grow it: at most
 * 1.1 times the upload, whether it was saved at a high quality with
 * the colour subsampled (a phone's, which Q 90 without subsampling made
 * 1.7 times larger), at a low one, or at 95 without subsampling. */
static void
test_photo_not_larger(void **state)
{
	static const int	 q[] = { 85, 92, 70, 95 };
	struct file_image	 img;
	char			*jpg;
	size_t			 len, i;

	(void)state;
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		jpg = made_jpeg(q[i], &len);
		assert_int_equal(file_image(jpg, len, "image/jpeg", &img), 0);
		assert_memory_equal(img.out, "\xff\xd8\xff", 3);
		if (img.out_len * 10 > len * 11)
			fail_msg("quality %d: %zu bytes stored for %zu", q[i],
			    img.out_len, len);
		/* Re-encoded all the same, never the bytes as they came. */
		assert_true(img.out_len != len ||
		    memcmp(img.out, jpg, len) != 0);
		free(img.out);
		free(img.preview);
		free(jpg);
	}
}

/* The child that runs libvips can neither open a file nor start a
 * process. */
static void
test_confined(void **state)
{
	(void)state;
	assert_int_equal(file_image_confined(), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_of),
		cmocka_unit_test(test_text_utf8),
		cmocka_unit_test(test_text_utf16le_no_bom),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_name_kept),
		cmocka_unit_test(test_disposition),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_photo_not_larger),
		cmocka_unit_test(test_big_photo),
		cmocka_unit_test(test_confined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
