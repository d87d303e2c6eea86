/*
 * Stored files and a person's storage (issue 22; cgi-bin/files.c,
 * lib/file.c, sql/0040_files.sql): the type by content (an HTML page
 * named .pdf refused), the headers that keep a served file from running
 * (a PDF with HTML inside), EXIF location gone from photos, previews,
 * the quota and its 413 (also two uploads at once that together pass
 * it), another person's file 404 on every route, a Cyrillic name kept
 * (RFC 6266), taking a file out and the clean-up, an erased account's
 * storage, the send page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define QUOTA_DEFAULT	(500LL << 20)

static long long
quota(void)
{
	const char	*v = getenv("PARTA_USER_QUOTA");

	return v != NULL && *v != '\0' ? atoll(v) : QUOTA_DEFAULT;
}

/* Upload one file to /me/files from the form's page: the status. */
static long
upload(struct t_client *c, const char *name, const void *data, size_t len)
{
	struct t_mp	 m = { 0 };

	T_TRUE(t_form(c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", c->csrf);
	t_mp_file(&m, "file", name, "application/octet-stream", data, len);
	return t_mp_post(c, "/me/files", &m);
}

/* The id of p's newest file in storage, or -1. */
static long long
newest(const struct t_person *p)
{
	return t_ll(t_sql("SELECT max(id) FROM parta.file WHERE owner_id ="
	    " %lld AND in_storage", p->id));
}

static long long
count_of(const struct t_person *p)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.file WHERE owner_id ="
	    " %lld", p->id));
}

/* Whether the last response's headers hold s (any header, any copy). */
static int
head_has(const struct t_client *c, const char *s)
{
	return c->r.head != NULL && strstr(c->r.head, s) != NULL;
}

static const char pdf_html[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "<html><body><script>alert(document.cookie)</script>"
    "<img src=x onerror=alert(1)></body></html>\n"
    "trailer << /Root 1 0 R >>\n%%EOF\n";

static void
test_upload_and_serve(void)
{
	struct t_person	 p;
	long long	 id;

	t_signup(&p, "Файлова", "Анна");
	T_EQ(t_get(&p.c, "/me/files"), 200);
	T_HAS(&p.c, "Мои файлы");
	T_HAS(&p.c, "Здесь пока пусто");
	T_HAS(&p.c, "из 500 МБ");
	/* The limits by the file field: a file's, and what is left. */
	T_HAS(&p.c, "<p class=\"hint\" id=\"file_limits\">Файл — до 10 МБ;"
	    " за раз до 16 файлов, вместе тоже до 10 МБ. У вас свободно "
	    "500 МБ.");
	T_EQ(upload(&p.c, "Домашнее задание.pdf", pdf_html,
	    sizeof(pdf_html) - 1), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me/files?saved=1");
	T_EQ(t_get(&p.c, "/me/files?saved=1"), 200);
	T_HAS(&p.c, "1 файл загружен");
	T_HAS(&p.c, "Домашнее задание.pdf");
	T_TRUE((id = newest(&p)) > 0);
	T_HAS(&p.c, t_fmt("href=\"/files/%lld\"", id));
	T_HAS(&p.c, t_fmt("/me/files/%lld/send", id));

	/* The PDF with HTML inside: its stored type, shown inline, with
	 * nothing to run it: nosniff and a policy where no script, plugin,
	 * form or frame is allowed. */
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "application/pdf");
	T_EQ(p.c.r.len, sizeof(pdf_html) - 1);
	T_TRUE(memcmp(p.c.r.body, pdf_html, p.c.r.len) == 0);
	T_TRUE(head_has(&p.c, "X-Content-Type-Options: nosniff"));
	T_TRUE(head_has(&p.c, "Content-Security-Policy: default-src 'none';"));
	T_TRUE(head_has(&p.c, "object-src 'none'"));
	T_TRUE(head_has(&p.c, "form-action 'none'"));
	T_TRUE(head_has(&p.c, "frame-ancestors 'none'"));
	T_TRUE(!head_has(&p.c, "script-src"));
	T_TRUE(head_has(&p.c, "Cross-Origin-Resource-Policy: same-origin"));
	/* Not sandboxed: browsers would not show the PDF (lib/file.c). */
	T_TRUE(!head_has(&p.c, "sandbox"));
	/* The name, RFC 6266: an ASCII fallback and the UTF-8 name. */
	T_STREQ(t_header(&p.c, "Content-Disposition"), "inline; "
	    "filename=\"Domashnee zadanie.pdf\"; filename*=UTF-8''%D0%94%D0%BE%D0%BC%D0%B0"
	    "%D1%88%D0%BD%D0%B5%D0%B5%20%D0%B7%D0%B0%D0%B4%D0%B0%D0%BD%D0%B8"
	    "%D0%B5.pdf");
	/* Not an image: no preview. */
	T_EQ(t_get(&p.c, t_fmt("/files/%lld/preview", id)), 404);
}

/* Types by content: HTML named .pdf, a script named .txt, an empty file
 * are refused with the reason next to the field and nothing kept. */
static void
test_types_by_content(void)
{
	static const char html[] = "<!DOCTYPE html>\n<html><head><title>x"
	    "</title></head><body><script>alert(1)</script></body></html>\n";
	static const char sh[] = "#!/bin/sh\nrm -rf /\n";
	static const char py[] = "#!/usr/bin/env python3\nimport sys\n\n"
	    "print(sum(int(x) for x in sys.argv[1:]))\n";
	static const char text[] = "Задание на дом: упражнения 1-5.\n";
	struct t_person	 p;
	long long	 id;

	t_signup(&p, "Типова", "Вера");
	T_EQ(upload(&p.c, "report.pdf", html, sizeof(html) - 1), 422);
	T_HAS(&p.c, "Такой файл не принимаем");
	T_HAS(&p.c, "aria-invalid=\"true\"");
	T_HAS(&p.c, "веб-страница (HTML)");
	T_EQ(upload(&p.c, "empty.pdf", "", 0), 422);
	T_HAS(&p.c, "Файл пустой");
	T_EQ(count_of(&p), 0);

	/* Plain text is kept, as an attachment with a charset; a name
	 * whose extension is not its type's gets it. */
	T_EQ(upload(&p.c, "задание.html", text, sizeof(text) - 1), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name || ' ' || type FROM parta.file WHERE id ="
	    " %lld", id), "задание.html.txt text/plain");
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "text/plain; charset=utf-8");
	T_TRUE(strncmp(t_header(&p.c, "Content-Disposition"),
	    "attachment; ", 12) == 0);
	T_TRUE(head_has(&p.c, "form-action 'none'; frame-ancestors 'none'; "
	    "sandbox"));
	T_TRUE(head_has(&p.c, "X-Content-Type-Options: nosniff"));

	/* Program sources and scripts (libmagic's text/x-*) are text too:
	 * kept under their name, served as a text/plain attachment. */
	T_EQ(upload(&p.c, "решение.py", py, sizeof(py) - 1), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name || ' ' || type FROM parta.file WHERE id ="
	    " %lld", id), "решение.py text/plain");
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "text/plain; charset=utf-8");
	T_TRUE(strncmp(t_header(&p.c, "Content-Disposition"),
	    "attachment; ", 12) == 0);
	T_EQ(upload(&p.c, "run.sh", sh, sizeof(sh) - 1), 303);

	/* Text with HTML in it is text: a pupil's notes on a web page's
	 * code, served so that nothing renders or runs it.  A page that
	 * is HTML, named .txt, is refused. */
	T_EQ(upload(&p.c, "урок HTML.txt", "Мой код:\n<html>\n<body>"
	    "<script>alert(1)</script></body>\n</html>\n", strlen("Мой код:"
	    "\n<html>\n<body><script>alert(1)</script></body>\n</html>\n")),
	    303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name || ' ' || type FROM parta.file WHERE id ="
	    " %lld", id), "урок HTML.txt text/plain");
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "text/plain; charset=utf-8");
	T_TRUE(strncmp(t_header(&p.c, "Content-Disposition"),
	    "attachment; ", 12) == 0);
	T_TRUE(head_has(&p.c, "X-Content-Type-Options: nosniff"));
	T_TRUE(head_has(&p.c, "default-src 'none'"));
	T_TRUE(head_has(&p.c, "sandbox"));
	T_HAS(&p.c, "<script>alert(1)</script>");
	T_EQ(upload(&p.c, "страница.txt", html, sizeof(html) - 1), 422);
	T_HAS(&p.c, "веб-страница (HTML)");
	T_EQ(upload(&p.c, "страница.txt", "\xef\xbb\xbf\n<!-- x -->\n"
	    "<html><body>x</body></html>\n", strlen("\xef\xbb\xbf\n<!-- x "
	    "-->\n<html><body>x</body></html>\n")), 422);

	/* Text from Windows Notepad, in Windows-1251 or «Unicode»
	 * (UTF-16 with a BOM): kept in UTF-8, served with charset=utf-8,
	 * readable (no mojibake). */
	T_EQ(upload(&p.c, "cp1251.txt", "\xc7\xe0\xe4\xe0\xed\xe8\xe5 "
	    "\xed\xe0 \xe4\xee\xec\n", 15), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "text/plain; charset=utf-8");
	T_EQ(p.c.r.len, strlen("Задание на дом\n"));
	T_TRUE(memcmp(p.c.r.body, "Задание на дом\n", p.c.r.len) == 0);
	T_EQ(upload(&p.c, "utf16.txt", "\xff\xfe\x14\x04\x30\x04\n\0", 8),
	    303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "text/plain; charset=utf-8");
	T_EQ(p.c.r.len, strlen("Да\n"));
	T_TRUE(memcmp(p.c.r.body, "Да\n", p.c.r.len) == 0);
	/* «Unicode» without its BOM too; a byte order mark alone is an
	 * empty file (it was a 500: nothing to keep). */
	T_EQ(upload(&p.c, "utf16le.txt", "\x14\x04\x30\x04\n\0", 6), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_TRUE(p.c.r.len == strlen("Да\n") &&
	    memcmp(p.c.r.body, "Да\n", p.c.r.len) == 0);
	T_EQ(upload(&p.c, "bom.txt", "\xff\xfe", 2), 422);
	T_HAS(&p.c, "Файл пустой");
	T_EQ(upload(&p.c, "bom.txt", "\xfe\xff", 2), 422);
	T_EQ(upload(&p.c, "bom.txt", "\xef\xbb\xbf", 3), 422);
	T_EQ(newest(&p), id);

	/* A table saved as CSV keeps its one extension, whatever libmagic
	 * calls it (text/csv or text/plain). */
	T_EQ(upload(&p.c, "оценки.csv", "Фамилия;Оценка\nИванов;5\n"
	    "Петров;4\n", strlen("Фамилия;Оценка\nИванов;5\nПетров;4\n")),
	    303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name || ' ' || type FROM parta.file WHERE id ="
	    " %lld", id), "оценки.csv text/plain");
	T_EQ(upload(&p.c, "marks.csv", "name,mark\nA,5\nB,4\n",
	    strlen("name,mark\nA,5\nB,4\n")), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name FROM parta.file WHERE id = %lld", id),
	    "marks.csv");
	T_EQ(upload(&p.c, "заметки.md", text, sizeof(text) - 1), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name FROM parta.file WHERE id = %lld", id),
	    "заметки.md");
}

/* Several files at once: all kept, or none when one is refused. */
static void
test_several(void)
{
	static const char t1[] = "первый файл\n", t2[] = "второй файл\n";
	static const char bad[] = "<html><body>x</body></html>\n";
	struct t_person	 p;
	struct t_mp	 m = { 0 };
	long		 before;

	t_signup(&p, "Многофайлова", "Ира");
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", p.c.csrf);
	t_mp_file(&m, "file", "1.txt", "text/plain", t1, sizeof(t1) - 1);
	t_mp_file(&m, "file", "2.txt", "text/plain", t2, sizeof(t2) - 1);
	T_EQ(t_mp_post(&p.c, "/me/files", &m), 303);
	T_STREQ(t_header(&p.c, "Location"), "/me/files?saved=2");
	T_EQ(count_of(&p), 2);

	/* The first is stored before the second is refused: its bytes go
	 * again with the rolled-back request (app_defer). */
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	before = t_stored_count();
	t_mp_field(&m, "csrf", p.c.csrf);
	t_mp_file(&m, "file", "3.txt", "text/plain", t1, sizeof(t1) - 1);
	t_mp_file(&m, "file", "4.pdf", "application/pdf", bad,
	    sizeof(bad) - 1);
	T_EQ(t_mp_post(&p.c, "/me/files", &m), 422);
	T_HAS(&p.c, "«4.pdf»");
	T_EQ(count_of(&p), 2);
	T_EQ(t_stored_count(), before);

	/* Several refused: every one named, not only the first. */
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", p.c.csrf);
	t_mp_file(&m, "file", "5.pdf", "application/pdf", bad,
	    sizeof(bad) - 1);
	t_mp_file(&m, "file", "6.txt", "text/plain", t1, sizeof(t1) - 1);
	t_mp_file(&m, "file", "7.docx", "application/pdf", bad,
	    sizeof(bad) - 1);
	t_mp_file(&m, "file", "пусто.txt", "text/plain", "", 0);
	T_EQ(t_mp_post(&p.c, "/me/files", &m), 422);
	T_HAS(&p.c, "«5.pdf»: Такой файл не принимаем");
	T_HAS(&p.c, "«7.docx»: Такой файл не принимаем");
	T_HAS(&p.c, "«пусто.txt»: Файл пустой");
	T_LACKS(&p.c, "«6.txt»");
	T_EQ(count_of(&p), 2);
	T_EQ(t_stored_count(), before);

	/* More files than a request keeps (HTTP_MAX_FILES): 422 saying
	 * how many, nothing stored. */
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", p.c.csrf);
	for (int k = 0; k < 20; k++)
		t_mp_file(&m, "file", t_fmt("%d.txt", k), "text/plain", t1,
		    sizeof(t1) - 1);
	T_EQ(t_mp_post(&p.c, "/me/files", &m), 422);
	T_HAS(&p.c, "Не больше 16 файлов за раз (выбрано 20)");
	T_EQ(count_of(&p), 2);

	/* No file chosen: the form says so. */
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", p.c.csrf);
	t_mp_file(&m, "file", "", "application/octet-stream", "", 0);
	T_EQ(t_mp_post(&p.c, "/me/files", &m), 422);
	T_HAS(&p.c, "Выберите файл");
}

/*
 * A file's name as the person named it: a quote is a legal character,
 * whether a browser writes it %22 or curl \" (400 before); served
 * only escaped (RFC 6266: an ASCII fallback without it, and
 * filename*).  Spaces around a name go, an extension typed twice is
 * kept once, nothing before the extension gets a name.
 */
static void
test_names(void)
{
	static const char text[] = "Сочинение\n";
	struct t_person	 p;
	long long	 id;

	t_signup(&p, "Кавычкина", "Зоя");
	T_EQ(upload(&p.c, "Сочинение %22Зима%22.txt", text,
	    sizeof(text) - 1), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name FROM parta.file WHERE id = %lld", id),
	    "Сочинение \"Зима\".txt");
	T_EQ(t_get(&p.c, "/me/files"), 200);
	T_HAS(&p.c, "Сочинение &quot;Зима&quot;.txt");
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Disposition"), "attachment; "
	    "filename=\"Sochinenie _Zima_.txt\"; filename*=UTF-8''"
	    "%D0%A1%D0%BE%D1%87%D0%B8%D0%BD%D0%B5%D0%BD%D0%B8%D0%B5%20%22"
	    "%D0%97%D0%B8%D0%BC%D0%B0%22.txt");
	/* curl's quoted-pairs: \" a quote, \\ a backslash. */
	T_EQ(upload(&p.c, "Отчёт \\\"итог\\\" 5<6?.txt", text,
	    sizeof(text) - 1), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_STREQ(t_sql("SELECT name FROM parta.file WHERE id = %lld", id),
	    "Отчёт \"итог\" 5<6?.txt");
	/* Tidied: nothing before the extension, doubled, spaces. */
	T_EQ(upload(&p.c, "   .txt", text, sizeof(text) - 1), 303);
	T_STREQ(t_sql("SELECT name FROM parta.file WHERE id = %lld",
	    newest(&p)), "файл.txt");
	T_EQ(upload(&p.c, "отчёт.txt.txt", text, sizeof(text) - 1), 303);
	T_STREQ(t_sql("SELECT name FROM parta.file WHERE id = %lld",
	    newest(&p)), "отчёт.txt");
}

/* A photo's GPS position (written by exiftool) is gone from the kept
 * file; its preview is a small JPEG; a PNG with transparency too. */
static void
test_photo_without_location(void)
{
	struct t_person	 p;
	char		 in[] = "/tmp/parta-gps-XXXXXX", cmd[1024], line[256];
	char		*jpg, *png, *gps;
	size_t		 jlen, plen, glen;
	long long	 id;
	FILE		*f;
	int		 fd;

	T_TRUE((jpg = t_fixture_file("photo.jpg", &jlen)) != NULL);
	T_TRUE((png = t_fixture_file("alpha.png", &plen)) != NULL);
	T_TRUE((fd = mkstemp(in)) != -1);
	close(fd);
	snprintf(cmd, sizeof(cmd), "exiftool -q -overwrite_original"
	    " -GPSLatitude=56.4846 -GPSLatitudeRef=N -GPSLongitude=84.9476"
	    " -GPSLongitudeRef=E -Orientation=6 -n -o - - <%s/tests/http/"
	    "files/photo.jpg >%s", getenv("PARTA_ROOT") != NULL ?
	    getenv("PARTA_ROOT") : ".", in);
	T_EQ(system(cmd), 0);
	/* The photo as it was taken has the position. */
	snprintf(cmd, sizeof(cmd), "exiftool -s3 -n -GPSLatitude %s", in);
	T_TRUE((f = popen(cmd, "r")) != NULL);
	T_TRUE(fgets(line, sizeof(line), f) != NULL);
	pclose(f);
	T_TRUE(strncmp(line, "56.48", 5) == 0);
	T_TRUE((gps = t_read_file(in, &glen)) != NULL);

	t_signup(&p, "Фотова", "Мария");
	T_EQ(upload(&p.c, "IMG_0001.jpg", gps, glen), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "image/jpeg");
	T_TRUE(strncmp(t_header(&p.c, "Content-Disposition"), "inline; ", 8)
	    == 0);
	T_TRUE(p.c.r.len > 100 && memcmp(p.c.r.body, "\xff\xd8\xff", 3) == 0);
	/* What comes back has no position, nor any EXIF at all; it was
	 * turned upright (orientation 6: 64x48 becomes 48x64). */
	T_TRUE((f = fopen(in, "w")) != NULL);
	T_EQ(fwrite(p.c.r.body, 1, p.c.r.len, f), p.c.r.len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "exiftool -s3 -n -GPSLatitude -GPSPosition"
	    " -Orientation %s", in);
	T_TRUE((f = popen(cmd, "r")) != NULL);
	T_TRUE(fgets(line, sizeof(line), f) == NULL);
	pclose(f);
	snprintf(cmd, sizeof(cmd), "exiftool -s3 -ImageSize %s", in);
	T_TRUE((f = popen(cmd, "r")) != NULL);
	T_TRUE(fgets(line, sizeof(line), f) != NULL);
	pclose(f);
	T_TRUE(strncmp(line, "48x64", 5) == 0);
	T_TRUE(memmem(p.c.r.body, p.c.r.len, "GPS", 3) == NULL);
	T_TRUE(memmem(p.c.r.body, p.c.r.len, "Exif", 4) == NULL);
	/* Its preview. */
	T_EQ(t_get(&p.c, t_fmt("/files/%lld/preview", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "image/jpeg");
	T_TRUE(p.c.r.len > 100 && memcmp(p.c.r.body, "\xff\xd8\xff", 3) == 0);
	T_EQ(t_get(&p.c, "/me/files"), 200);
	T_HAS(&p.c, t_fmt("src=\"/files/%lld/preview\"", id));
	T_HAS(&p.c, "Фото");

	/* A PNG with transparency: kept as PNG, a JPEG preview. */
	T_EQ(upload(&p.c, "схема.png", png, plen), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "image/png");
	T_EQ(t_get(&p.c, t_fmt("/files/%lld/preview", id)), 200);
	T_STREQ(t_header(&p.c, "Content-Type"), "image/jpeg");

	/* A broken image (a JPEG's first bytes, then nothing) is refused. */
	T_EQ(upload(&p.c, "broken.jpg", jpg, 200), 422);
	T_HAS(&p.c, "«broken.jpg»: Изображение не открывается");
	/* Cut in the middle of its picture (an upload broken off): refused
	 * too, named, not kept with its lower part grey. */
	T_EQ(upload(&p.c, "обрыв.jpg", jpg, jlen * 2 / 3), 422);
	T_HAS(&p.c, "«обрыв.jpg»: Изображение не открывается: оно "
	    "повреждено, загружено не целиком");
	T_HAS(&p.c, "aria-invalid=\"true\"");
	unlink(in);
	free(jpg);
	free(png);
	free(gps);
}

/* A preview may stay in the person's own browser (never a shared
 * cache, nor another session's: Vary: Cookie), asked for again each
 * time it is shown (no-cache; 304 by its ETag while it is readable,
 * 404 once deleted or for another), still with nosniff and the policy
 * that runs nothing; the file itself is kept nowhere. */
static void
test_preview_cached(void)
{
	struct t_person	 p;
	const char	*cc, *etag;
	char		*png, inm[128];
	size_t		 plen;
	long long	 id;

	T_TRUE((png = t_fixture_file("alpha.png", &plen)) != NULL);
	t_signup(&p, "Превьюшкина", "Вера");
	T_EQ(upload(&p.c, "схема.png", png, plen), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld/preview", id)), 200);
	/* Kept in the person's browser, asked for again each time. */
	T_STREQ(t_header(&p.c, "Cache-Control"), "private, no-cache");
	T_TRUE(!head_has(&p.c, "no-store"));
	T_TRUE(!head_has(&p.c, "max-age"));
	T_TRUE(!head_has(&p.c, "public"));
	T_STREQ(t_header(&p.c, "Vary"), "Cookie");
	T_TRUE((etag = t_header(&p.c, "ETag")) != NULL);
	snprintf(inm, sizeof(inm), "If-None-Match: %s\r\n", etag);
	T_TRUE(p.c.r.len > 100);
	/* Asked again with its ETag: 304, no body, the same headers. */
	T_EQ(t_request(&p.c, "GET", t_fmt("/files/%lld/preview", id), inm,
	    NULL, 0), 304);
	T_TRUE(p.c.r.len == 0);
	T_STREQ(t_header(&p.c, "Cache-Control"), "private, no-cache");
	T_TRUE(head_has(&p.c, "ETag: "));
	T_EQ(t_request(&p.c, "GET", t_fmt("/files/%lld/preview", id),
	    "If-None-Match: \"preview-1\"\r\n", NULL, 0), 200);
	T_TRUE(head_has(&p.c, "X-Content-Type-Options: nosniff"));
	T_TRUE(head_has(&p.c, "Content-Security-Policy: default-src 'none';"));
	T_TRUE(head_has(&p.c, "; sandbox"));
	/* The file: as every response, no-store. */
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 200);
	T_TRUE((cc = t_header(&p.c, "Cache-Control")) != NULL);
	T_STREQ(cc, "no-store");
	T_TRUE(!head_has(&p.c, "max-age"));
	/* Someone else: 404, kept nowhere either. */
	{
		struct t_person	 o;

		t_signup(&o, "Чужова", "Нина");
		T_EQ(t_get(&o.c, t_fmt("/files/%lld/preview", id)), 404);
		T_STREQ(t_header(&o.c, "Cache-Control"), "no-store");
		/* Not even with the ETag: readable first, then 304. */
		T_EQ(t_request(&o.c, "GET", t_fmt("/files/%lld/preview", id),
		    inm, NULL, 0), 404);
	}
	/* Deleted: the same URL, with the ETag the browser kept, is 404 at
	 * once. */
	T_EQ(t_get(&p.c, t_fmt("/me/files/%lld/delete", id)), 200);
	T_EQ(t_postf(&p.c, t_fmt("/me/files/%lld/delete", id), "x=1"), 303);
	T_EQ(t_request(&p.c, "GET", t_fmt("/files/%lld/preview", id), inm,
	    NULL, 0), 404);
	T_EQ(t_get(&p.c, t_fmt("/files/%lld/preview", id)), 404);
	T_STREQ(t_header(&p.c, "Cache-Control"), "no-store");
	free(png);
}

/* An image past FILE_MAX_PIXELS (50 MP), small in bytes (a PNG of one
 * colour): 422 saying the limit, not "cannot read". */
static void
test_too_many_pixels(void)
{
	struct t_person	 p;
	char		 path[] = "/tmp/parta-huge-XXXXXX", cmd[1024];
	char		*png;
	size_t		 len;
	int		 fd;

	T_TRUE((fd = mkstemp(path)) != -1);
	close(fd);
	/* 8000 x 7000 (56 MP), 1 bit grey, all black: about 7 KB. */
	snprintf(cmd, sizeof(cmd), "python3 -c '"
	    "import struct, sys, zlib\n"
	    "def chunk(t, d):\n"
	    "    return struct.pack(\">I\", len(d)) + t + d + struct.pack("
	    "\">I\", zlib.crc32(t + d))\n"
	    "w, h = 8000, 7000\n"
	    "raw = (b\"\\0\" * (1 + w // 8)) * h\n"
	    "sys.stdout.buffer.write(b\"\\x89PNG\\r\\n\\x1a\\n\" + "
	    "chunk(b\"IHDR\", struct.pack(\">IIBBBBB\", w, h, 1, 0, 0, 0, 0))"
	    " + chunk(b\"IDAT\", zlib.compress(raw, 9)) + "
	    "chunk(b\"IEND\", b\"\"))\n' >%s", path);
	T_EQ(system(cmd), 0);
	T_TRUE((png = t_read_file(path, &len)) != NULL);
	unlink(path);
	T_TRUE(len > 100 && len < 100 * 1024);
	t_signup(&p, "Пикселева", "Ада");
	T_EQ(upload(&p.c, "огромная.png", png, len), 422);
	T_HAS(&p.c, "Изображение больше 50 мегапикселей");
	T_LACKS(&p.c, "Не удалось прочитать");
	T_EQ(count_of(&p), 0);
	free(png);
}

/* Whoever is not the owner, from another organization or the same:
 * 404 on every route of the file, never 403. */
static void
test_others_404(void)
{
	struct t_person	 owner, other, admin;
	long long	 id, org;

	t_signup(&admin, "Админова", "Ольга");
	org = t_org_create(&admin, NULL);
	t_person_new(&owner, "Владелец", "Пётр", org, "student");
	t_person_new(&other, "Сосед", "Иван", org, "student");
	T_EQ(upload(&owner.c, "мой.txt", "секрет\n",
	    strlen("секрет\n")), 303);
	T_TRUE((id = newest(&owner)) > 0);
	T_EQ(t_get(&owner.c, t_fmt("/files/%lld", id)), 200);

	T_EQ(t_get(&other.c, t_fmt("/files/%lld", id)), 404);
	T_EQ(t_get(&other.c, t_fmt("/files/%lld/preview", id)), 404);
	T_EQ(t_get(&other.c, t_fmt("/me/files/%lld/send", id)), 404);
	T_EQ(t_get(&other.c, t_fmt("/me/files/%lld/delete", id)), 404);
	T_TRUE(t_form(&other.c, "/me/files") != NULL);
	T_EQ(t_postf(&other.c, t_fmt("/me/files/%lld/delete", id), "x=1"),
	    404);
	T_EQ(t_get(&admin.c, t_fmt("/files/%lld", id)), 404);
	T_EQ(t_get(&admin.c, "/me/files"), 200);
	T_LACKS(&admin.c, "мой.txt");
	/* A visitor is sent to log in. */
	{
		struct t_client	 anon;

		t_client_init(&anon);
		T_EQ(t_get(&anon, t_fmt("/files/%lld", id)), 303);
		t_client_free(&anon);
	}
	/* A file charged to an organization that nothing holds (no
	 * holder exists before sql/0041 and 0042): nobody reads it, its
	 * owner neither. */
	T_TRUE(t_sql("UPDATE parta.file SET in_storage = false, org_id = %lld"
	    " WHERE id = %lld", org, id) != NULL);
	T_EQ(t_get(&owner.c, t_fmt("/files/%lld", id)), 404);
	T_EQ(t_get(&admin.c, t_fmt("/files/%lld", id)), 404);
	/* No such file at all: the same answer. */
	T_EQ(t_get(&owner.c, "/files/999999999"), 404);
}

/* A body past PARTA_MAX_UPLOAD (under nginx's client_max_body_size):
 * the 413 page says the limit in MB and how to go back. */
static void
test_too_large(void)
{
	struct t_person	 p;
	const char	*v = getenv("PARTA_MAX_UPLOAD");
	size_t		 max = v != NULL && *v != '\0' ? (size_t)atoll(v) :
	    (size_t)10 << 20, n = max + 1024;
	char		*big;

	T_TRUE((big = malloc(n)) != NULL);
	memset(big, 'a', n);
	t_signup(&p, "Большефайлова", "Оля");
	T_EQ(upload(&p.c, "огромный.txt", big, n), 413);
	T_HAS(&p.c, t_fmt("Файл больше %zu МБ", (max + (1 << 20) - 1) >> 20));
	T_HAS(&p.c, "такие Парта не принимает");
	T_LACKS(&p.c, "Parta");
	T_HAS(&p.c, "«Назад»");
	/* The way back to the form, for a browser without JavaScript. */
	T_HAS(&p.c, "<a class=\"button primary\" href=\"/me/files\">"
	    "Вернуться к форме</a>");
	/* The header names the person, as every page does. */
	T_HAS(&p.c, "<span class=\"user\">Большефайлова Оля</span>");
	T_EQ(count_of(&p), 0);
	free(big);
}

/* A body past nginx's client_max_body_size (11 MiB): nginx's refusal
 * is the site's page, in Russian, saying the limit as the programs' 413
 * does, with status 413; signed in or not. */
static void
test_past_nginx_limit(void)
{
	struct t_person	 p;
	struct t_client	 anon;
	const char	*v = getenv("PARTA_MAX_UPLOAD");
	size_t		 max = v != NULL && *v != '\0' ? (size_t)atoll(v) :
	    (size_t)10 << 20, n = (size_t)12 << 20;
	char		*big;

	T_TRUE((big = malloc(n)) != NULL);
	memset(big, 'a', n);
	t_signup(&p, "Сверхфайлова", "Оля");
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	T_EQ(t_request(&p.c, "POST", "/me/files", "Content-Type: "
	    "multipart/form-data; boundary=xyz\r\n", big, n), 413);
	T_HAS(&p.c, "<html lang=\"ru\">");
	T_HAS(&p.c, "<link rel=\"stylesheet\" href=\"/static/parta.css\">");
	T_HAS(&p.c, "Слишком большой файл");
	T_HAS(&p.c, t_fmt("Файл больше %zu МБ", (max + (1 << 20) - 1) >> 20));
	T_HAS(&p.c, "«Назад»");
	T_LACKS(&p.c, "Parta");
	/* The way back to the form, from the refused request's own path
	 * (its query left out), never from a Referer. */
	T_HAS(&p.c, "<a class=\"button primary\" href=\"/me/files\">"
	    "Вернуться к форме</a>");
	T_EQ(t_request(&p.c, "POST", "/chats/77/messages?x=%22",
	    "Content-Type: multipart/form-data; boundary=xyz\r\n"
	    "Referer: https://evil.example/\r\n", big, n), 413);
	T_HAS(&p.c, "href=\"/chats/77\">Вернуться к форме</a>");
	T_LACKS(&p.c, "evil.example");
	T_EQ(t_request(&p.c, "POST", "/org/5/materials/9/edit",
	    "Content-Type: multipart/form-data; boundary=xyz\r\n", big, n),
	    413);
	T_HAS(&p.c, "href=\"/org/5/materials/9\">Вернуться к форме</a>");
	T_EQ(t_request(&p.c, "POST", "/org/5/materials/new",
	    "Content-Type: multipart/form-data; boundary=xyz\r\n", big, n),
	    413);
	T_HAS(&p.c, "href=\"/org/5/materials/new\">Вернуться к форме</a>");
	/* The header as every page's: the person named, or a visitor's. */
	T_TRUE(strstr(p.c.r.body, "<span class=\"user\">Сверхфайлова Оля"
	    "</span>") != NULL || strstr(p.c.r.body, "Выйти") == NULL);
	T_LACKS(&p.c, "nginx");
	T_LACKS(&p.c, "Request Entity");
	T_EQ(count_of(&p), 0);
	/* A visitor, on a form of theirs: the same page. */
	t_client_init(&anon);
	T_EQ(t_request(&anon, "POST", "/register", "Content-Type: "
	    "application/x-www-form-urlencoded\r\n", big, n), 413);
	T_HAS(&anon, t_fmt("Файл больше %zu МБ", (max + (1 << 20) - 1) >> 20));
	T_LACKS(&anon, "nginx");
	T_LACKS(&anon, "Вернуться к форме");
	t_client_free(&anon);
	free(big);
}

/* Over the quota: 413 saying what is left. */
static void
test_quota(void)
{
	struct t_person	 p;
	char		*big;
	size_t		 n = 200 * 1024;
	long		 before;

	t_signup(&p, "Квотова", "Нина");
	/* Storage nearly full: a file of all but 100 KiB (its bytes are
	 * not needed for the count). */
	T_TRUE(t_sql("INSERT INTO parta.file (owner_id, store_key, name,"
	    " type, size) VALUES (%lld, md5(random()::text), 'архив.zip',"
	    " 'application/zip', %lld)", p.id, quota() - 100 * 1024) != NULL);
	T_EQ(t_get(&p.c, "/me/files"), 200);
	T_HAS(&p.c, "свободно 100 КБ");
	T_TRUE((big = malloc(n)) != NULL);
	memset(big, 'a', n);
	before = t_stored_count();
	T_EQ(upload(&p.c, "большой.txt", big, n), 413);
	T_EQ(t_stored_count(), before);
	T_HAS(&p.c, "осталось 100 КБ из 500 МБ");
	T_HAS(&p.c, "Не хватает места");
	T_EQ(count_of(&p), 1);
	/* What fits is kept. */
	T_EQ(upload(&p.c, "малый.txt", big, 50 * 1024), 303);
	T_EQ(count_of(&p), 2);
	free(big);
}

struct race {
	struct t_client	 c[2];
	long		 st[2];
	char		*data;
	size_t		 len;
};

static void
race_one(int i, void *arg)
{
	struct race	*r = arg;
	struct t_mp	 m = { 0 };

	t_mp_field(&m, "csrf", r->c[i].csrf);
	t_mp_file(&m, "file", t_fmt("%d.txt", i), "text/plain", r->data,
	    r->len);
	r->st[i] = t_mp_post(&r->c[i], "/me/files", &m);
}

/* Two uploads at once, each fitting alone, together over the quota:
 * one is kept, the other 413. */
static void
test_quota_parallel(void)
{
	struct t_person	 p;
	struct race	 r;

	memset(&r, 0, sizeof(r));
	t_signup(&p, "Гонкина", "Лена");
	T_TRUE(t_sql("INSERT INTO parta.file (owner_id, store_key, name,"
	    " type, size) VALUES (%lld, md5(random()::text), 'архив.zip',"
	    " 'application/zip', %lld)", p.id, quota() - 100 * 1024) != NULL);
	T_EQ(t_clients_of(&p, r.c, 2), 0);
	T_TRUE(t_form(&r.c[0], "/me/files") != NULL);
	T_TRUE(t_form(&r.c[1], "/me/files") != NULL);
	r.len = 60 * 1024;
	T_TRUE((r.data = malloc(r.len)) != NULL);
	memset(r.data, 'b', r.len);
	t_parallel(2, race_one, &r);
	T_TRUE((r.st[0] == 303 && r.st[1] == 413) ||
	    (r.st[0] == 413 && r.st[1] == 303));
	T_EQ(count_of(&p), 2);
	T_TRUE(t_ll(t_sql("SELECT sum(size) FROM parta.file WHERE owner_id ="
	    " %lld", p.id)) <= quota());
	free(r.data);
	t_client_free(&r.c[0]);
	t_client_free(&r.c[1]);
}

/* Taking a file out: the confirmation page, then gone with its row (no
 * holder), 404 afterwards; the quota freed. */
static void
test_delete(void)
{
	struct t_person	 p;
	long long	 id;
	long		 before;

	t_signup(&p, "Удалова", "Зоя");
	T_EQ(upload(&p.c, "черновик.txt", "черновик\n",
	    strlen("черновик\n")), 303);
	T_TRUE((id = newest(&p)) > 0);
	T_EQ(t_get(&p.c, t_fmt("/me/files/%lld/delete", id)), 200);
	T_HAS(&p.c, "Удалить файл?");
	T_HAS(&p.c, "черновик.txt");
	before = t_stored_count();
	T_EQ(t_postf(&p.c, t_fmt("/me/files/%lld/delete", id), "x=1"), 303);
	/* Nothing held it: its bytes went after the commit. */
	T_EQ(t_stored_count(), before - 1);
	T_STREQ(t_header(&p.c, "Location"), "/me/files?deleted=1");
	T_EQ(t_get(&p.c, "/me/files?deleted=1"), 200);
	T_HAS(&p.c, "Файл удалён");
	T_LACKS(&p.c, "черновик.txt");
	T_EQ(count_of(&p), 0);
	T_EQ(t_get(&p.c, "/me/delete"), 200);
	T_HAS(&p.c, "«Мои файлы»</a> удалятся навсегда (сейчас там пусто)");
	T_EQ(t_get(&p.c, t_fmt("/files/%lld", id)), 404);
	T_TRUE(t_form(&p.c, "/me/files") != NULL);
	T_EQ(t_postf(&p.c, t_fmt("/me/files/%lld/delete", id), "x=1"), 404);
}

/* An erased account keeps nothing in storage: `parta-admin cleanup`
 * deletes its files' rows (parta.file_purge), then their bytes. */
static void
test_erased_account(void)
{
	struct t_person	 p;
	char		 dir[512], path[1024], cmd[2048];
	long long	 id;

	t_uploads_dir(dir, sizeof(dir));
	t_signup(&p, "Уходова", "Ева");
	T_EQ(upload(&p.c, "мои.txt", "мои заметки\n",
	    strlen("мои заметки\n")), 303);
	T_TRUE((id = newest(&p)) > 0);
	snprintf(path, sizeof(path), "%s/%s", dir, t_sql("SELECT store_key"
	    " FROM parta.file WHERE id = %lld", id));
	T_EQ(access(path, F_OK), 0);
	/* The deletion page says what goes with the account. */
	T_EQ(t_get(&p.c, "/me/delete"), 200);
	T_HAS(&p.c, "«Мои файлы»</a> удалятся навсегда — сейчас там 1 файл,"
	    " 22 байта");
	T_EQ(upload(&p.c, "ещё.txt", "ещё\n", strlen("ещё\n")), 303);
	T_EQ(t_get(&p.c, "/me/delete"), 200);
	T_HAS(&p.c, "сейчас там 2 файла, 29 байт");
	T_STREQ(t_sql("SELECT parta.account_erase(%lld)", p.id), "ok");
	T_STREQ(t_sql("SELECT in_storage FROM parta.file WHERE id = %lld",
	    id), "f");
	snprintf(cmd, sizeof(cmd), "PARTA_UPLOADS='%s' '%s/build/bin/"
	    "parta-admin' cleanup >/dev/null", dir,
	    getenv("PARTA_ROOT") != NULL ? getenv("PARTA_ROOT") : ".");
	T_EQ(system(cmd), 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.file WHERE id = %lld", id),
	    "0");
	T_TRUE(access(path, F_OK) == -1);
}

/* The send page: the chats one may write in, each a form posting the
 * file to the chat program; a person in no organization has none. */
static void
test_send_page(void)
{
	struct t_person	 admin, s;
	long long	 org, cls, chat, id;

	t_signup(&admin, "Школьная", "Дарья");
	org = t_org_create(&admin, NULL);
	cls = t_class_add(org, 5, "А", 0);
	t_person_new(&s, "Ученик", "Коля", org, "student");
	T_EQ(t_class_member_add(org, cls, s.id, "student"), 0);
	T_TRUE((chat = t_chat_of(org, cls, "students")) > 0);
	T_EQ(upload(&s.c, "фото доски.txt", "доска\n",
	    strlen("доска\n")), 303);
	T_TRUE((id = newest(&s)) > 0);
	T_EQ(t_get(&s.c, t_fmt("/me/files/%lld/send", id)), 200);
	T_HAS(&s.c, "фото доски.txt");
	T_HAS(&s.c, t_fmt("action=\"/chats/%lld/messages#compose\"", chat));
	T_HAS(&s.c, t_fmt("name=\"file_id\" value=\"%lld\"", id));

	T_EQ(upload(&admin.c, "план.txt", "план\n", strlen("план\n")), 303);
	T_EQ(t_get(&admin.c, t_fmt("/me/files/%lld/send", newest(&admin))),
	    200);
	T_HAS(&admin.c, "Отправить файл в чат");
}

/* A document published as the material's form sends it (multipart):
 * the status. */
static long
material_post(struct t_client *c, const char *path, const char *title,
    const char *name)
{
	static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >>"
	    " endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
	struct t_mp	 m = { 0 };

	t_mp_field(&m, "csrf", c->csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", title);
	t_mp_field(&m, "audience", "all");
	t_mp_field(&m, "class_id", "");
	t_mp_field(&m, "url", "");
	t_mp_field(&m, "body", "");
	t_mp_file(&m, "file", name, "application/pdf", pdf, sizeof(pdf) - 1);
	return t_mp_post(c, path, &m);
}

/*
 * What else counts against the quota is listed on /me/files: a
 * published document, with its material.  Replaced on the material's
 * edit, the old file stops counting at once (its row goes in the edit's
 * transaction, sql/0050) and its bytes go after the commit; the
 * material deleted, its file's row goes too (its bytes by the next
 * request that lets go of a file, or the clean-up).
 */
static void
test_held_listed_and_freed(void)
{
	struct t_person	 admin;
	char		 key[128], dir[512], cmd[2048];
	long long	 org, mat, old, now, used;

	t_signup(&admin, "Публикова", "Таня");
	org = t_org_create(&admin, NULL);
	T_EQ(t_get(&admin.c, "/me/files"), 200);
	T_LACKS(&admin.c, "В чатах и материалах");
	T_TRUE(t_form(&admin.c, t_fmt("/org/%lld/materials/new", org)) !=
	    NULL);
	T_EQ(material_post(&admin.c, t_fmt("/org/%lld/materials/new", org),
	    "Расписание звонков", "звонки.pdf"), 303);
	mat = t_id_after(t_header(&admin.c, "Location"),
	    t_fmt("/org/%lld/materials/", org));
	T_TRUE(mat > 0);
	old = t_ll(t_sql("SELECT file_id FROM parta.material WHERE id = %lld",
	    mat));
	T_TRUE(old > 0);
	T_EQ(t_get(&admin.c, "/me/files"), 200);
	T_HAS(&admin.c, "В чатах и материалах");
	T_HAS(&admin.c, "звонки.pdf");
	T_HAS(&admin.c, t_fmt("href=\"/org/%lld/materials/%lld\">«Расписание"
	    " звонков»", org, mat));
	snprintf(key, sizeof(key), "%s", t_sql("SELECT store_key FROM"
	    " parta.file WHERE id = %lld", old));
	T_EQ(t_stored_key(key), 1);
	used = t_ll(t_sql("SELECT sum(size) FROM parta.file WHERE owner_id ="
	    " %lld", admin.id));

	/* Replaced: the old file's row and bytes go with the edit. */
	T_TRUE(t_form(&admin.c, t_fmt("/org/%lld/materials/%lld", org, mat))
	    != NULL);
	T_EQ(material_post(&admin.c, t_fmt("/org/%lld/materials/%lld/edit",
	    org, mat), "Расписание звонков", "звонки-2.pdf"), 303);
	now = t_ll(t_sql("SELECT file_id FROM parta.material WHERE id = %lld",
	    mat));
	T_TRUE(now > 0 && now != old);
	T_STREQ(t_sql("SELECT count(*) FROM parta.file WHERE id = %lld", old),
	    "0");
	T_EQ(t_stored_key(key), 0);
	T_EQ(t_ll(t_sql("SELECT sum(size) FROM parta.file WHERE owner_id ="
	    " %lld", admin.id)), used);
	T_EQ(t_get(&admin.c, "/me/files"), 200);
	T_HAS(&admin.c, "звонки-2.pdf");
	T_LACKS(&admin.c, "звонки.pdf");

	/* Deleted: the row at once; the bytes by the clean-up at the
	 * latest. */
	snprintf(key, sizeof(key), "%s", t_sql("SELECT store_key FROM"
	    " parta.file WHERE id = %lld", now));
	T_TRUE(t_form(&admin.c, t_fmt("/org/%lld/materials/%lld", org, mat))
	    != NULL);
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/materials/%lld/delete", org,
	    mat), "x=1"), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.file WHERE id = %lld", now),
	    "0");
	T_EQ(t_get(&admin.c, "/me/files"), 200);
	T_LACKS(&admin.c, "В чатах и материалах");
	t_uploads_dir(dir, sizeof(dir));
	snprintf(cmd, sizeof(cmd), "PARTA_UPLOADS='%s' '%s/build/bin/"
	    "parta-admin' cleanup >/dev/null", dir,
	    getenv("PARTA_ROOT") != NULL ? getenv("PARTA_ROOT") : ".");
	T_EQ(system(cmd), 0);
	T_EQ(t_stored_key(key), 0);
}

/* How many times s occurs in the last response's body. */
static int
occurrences(const struct t_client *c, const char *s)
{
	const char	*p = c->r.body;
	int		 n = 0;

	while (p != NULL && (p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

/*
 * One upload, one time: a file published in a material and one sent in
 * a chat show on /me/files the time their material's and chat's pages
 * show, the school's (region 70, Asia/Tomsk: 00:30 UTC is 07:30, 03:30
 * in Moscow), with no other label; so does a file of the storage.
 */
static void
test_one_time(void)
{
	static const char at[] = "2026-03-02 00:30:00+00";
	struct t_person	 admin;
	struct t_mp	 m = { 0 };
	long long	 org, mat, chat, fid;

	t_signup(&admin, "Временная", "Зоя");
	org = t_org_create(&admin, NULL);
	T_TRUE(t_form(&admin.c, t_fmt("/org/%lld/materials/new", org)) !=
	    NULL);
	T_EQ(material_post(&admin.c, t_fmt("/org/%lld/materials/new", org),
	    "Программа", "программа.pdf"), 303);
	mat = t_id_after(t_header(&admin.c, "Location"),
	    t_fmt("/org/%lld/materials/", org));
	T_TRUE(mat > 0);
	T_TRUE(t_sql("UPDATE parta.material SET created_at = '%s' WHERE id ="
	    " %lld", at, mat) != NULL);
	T_TRUE(t_sql("UPDATE parta.file SET created_at = '%s' WHERE id ="
	    " (SELECT file_id FROM parta.material WHERE id = %lld)", at, mat)
	    != NULL);

	/* A file in the staff chat's message. */
	T_TRUE((chat = t_chat_of(org, 0, "staff")) > 0);
	T_EQ(t_get(&admin.c, t_fmt("/chats/%lld", chat)), 200);
	t_mp_field(&m, "csrf", admin.c.csrf);
	t_mp_field(&m, "text", "План");
	t_mp_file(&m, "file", "план.txt", "text/plain", "план\n",
	    strlen("план\n"));
	T_EQ(t_mp_post(&admin.c, t_fmt("/chats/%lld/messages", chat), &m),
	    303);
	fid = t_ll(t_sql("SELECT max(file_id) FROM parta.message_file WHERE"
	    " chat_id = %lld", chat));
	T_TRUE(fid > 0);
	T_TRUE(t_sql("UPDATE parta.message SET created_at = '%s' WHERE id ="
	    " (SELECT message_id FROM parta.message_file WHERE file_id ="
	    " %lld)", at, fid) != NULL);
	T_TRUE(t_sql("UPDATE parta.file SET created_at = '%s' WHERE id ="
	    " %lld", at, fid) != NULL);

	/* A file of the storage. */
	T_EQ(upload(&admin.c, "своё.txt", "своё\n", strlen("своё\n")), 303);
	T_TRUE(t_sql("UPDATE parta.file SET created_at = '%s' WHERE id ="
	    " %lld", at, newest(&admin)) != NULL);

	T_EQ(t_get(&admin.c, t_fmt("/org/%lld/materials/%lld", org, mat)),
	    200);
	T_HAS(&admin.c, "<dd>02.03.2026 07:30</dd>");
	T_EQ(t_get(&admin.c, t_fmt("/chats/%lld", chat)), 200);
	T_HAS(&admin.c, "02.03.2026 07:30");
	T_EQ(t_get(&admin.c, "/me/files"), 200);
	T_HAS(&admin.c, "программа.pdf");
	T_HAS(&admin.c, "план.txt");
	T_HAS(&admin.c, "своё.txt");
	T_EQ(occurrences(&admin.c, "<td data-label=\"Загружен\">"
	    "02.03.2026 07:30</td>"), 3);
	T_LACKS(&admin.c, "МСК");
	T_LACKS(&admin.c, "03:30");
}

/*
 * A file sent to the class chat counts and links while its sender is in
 * the chat; moved to another class (sql/0058), the sender sees the row
 * without links, saying why, and it stops counting: «Занято» drops by
 * its size and an upload that fits only because of that is kept.
 */
static void
test_held_out_of_chat(void)
{
	struct t_person	 admin, s;
	struct t_mp	 m;
	long long	 org, a, b, chat, id, pad, size;
	char		*data;

	t_signup(&admin, "Переводова", "Нина");
	org = t_org_create(&admin, NULL);
	a = t_class_add(org, 6, "А", 0);
	b = t_class_add(org, 6, "Б", 0);
	t_person_new(&s, "Переводов", "Гоша", org, "student");
	T_EQ(t_class_member_add(org, a, s.id, "student"), 0);
	T_TRUE((chat = t_chat_of(org, a, "students")) > 0);
	size = 40 * 1024;
	T_TRUE((data = malloc((size_t)size)) != NULL);
	memset(data, 'k', (size_t)size);
	/* Attached to the message itself: out of storage, held by it. */
	T_TRUE(t_form(&s.c, t_fmt("/chats/%lld", chat)) != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", s.c.csrf);
	t_mp_field(&m, "text", "Конспект");
	t_mp_file(&m, "file", "конспект.txt", "text/plain", data,
	    (size_t)size);
	T_EQ(t_mp_post(&s.c, t_fmt("/chats/%lld/messages", chat), &m), 303);
	T_TRUE((id = t_ll(t_sql("SELECT max(file_id) FROM parta.message_file"
	    " WHERE chat_id = %lld", chat))) > 0);
	T_STREQ(t_sql("SELECT in_storage FROM parta.file WHERE id = %lld",
	    id), "f");
	/* The rest of the quota but 10 KB, so that 20 KB fit only without
	 * the sent file. */
	pad = quota() - size - 10 * 1024;
	T_TRUE(t_sql("INSERT INTO parta.file (owner_id, store_key, name,"
	    " type, size) VALUES (%lld, md5(random()::text), 'архив.zip',"
	    " 'application/zip', %lld)", s.id, pad) != NULL);

	/* In the chat: linked, counted, the upload refused. */
	T_EQ(t_get(&s.c, "/me/files"), 200);
	T_HAS(&s.c, t_fmt("href=\"/files/%lld\"", id));
	T_HAS(&s.c, t_fmt("href=\"/chats/%lld#m", chat));
	T_LACKS(&s.c, "Вы больше не в этом чате");
	T_HAS(&s.c, t_fmt("value=\"%lld\"", pad + size));
	memset(data, 'n', 20 * 1024);
	T_EQ(upload(&s.c, "новое.txt", data, 20 * 1024), 413);

	/* Moved to 6 Б: out of the chat. */
	T_STREQ(t_sql("SELECT parta.student_move(%lld, %lld, %lld, %lld)",
	    org, s.id, b, admin.id), "ok");
	T_EQ(t_get(&s.c, t_fmt("/files/%lld", id)), 404);
	T_EQ(t_get(&s.c, "/me/files"), 200);
	T_HAS(&s.c, "конспект.txt");
	T_LACKS(&s.c, t_fmt("href=\"/files/%lld\"", id));
	T_LACKS(&s.c, t_fmt("href=\"/chats/%lld", chat));
	T_HAS(&s.c, "Вы больше не в этом чате");
	T_HAS(&s.c, "Ваше место он больше не занимает (40 КБ");
	T_HAS(&s.c, t_fmt("value=\"%lld\"", pad));
	T_EQ(upload(&s.c, "новое.txt", data, 20 * 1024), 303);
	T_TRUE(newest(&s) > 0);
	free(data);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "upload, list, serve a PDF with HTML inside",
		    test_upload_and_serve },
		{ "types by content: HTML named .pdf refused",
		    test_types_by_content },
		{ "several files: all or none, every one refused named",
		    test_several },
		{ "a name kept as typed (quotes from a browser and curl), "
		    "served escaped; tidied", test_names },
		{ "a photo comes back without its GPS position",
		    test_photo_without_location },
		{ "another person's file: 404 everywhere", test_others_404 },
		{ "a preview stays in the person's own cache, revalidated "
		    "(304 by its ETag); deleted, 404 at once",
		    test_preview_cached },
		{ "past 50 megapixels: 422 saying the limit",
		    test_too_many_pixels },
		{ "over the quota: 413 with what is left", test_quota },
		{ "past PARTA_MAX_UPLOAD: 413 saying the limit",
		    test_too_large },
		{ "past nginx's limit: the site's 413 saying the limit",
		    test_past_nginx_limit },
		{ "two uploads at once past the quota: one 413",
		    test_quota_parallel },
		{ "taking a file out", test_delete },
		{ "an erased account's storage goes", test_erased_account },
		{ "the send page lists the chats", test_send_page },
		{ "sent and published files listed; let go, freed at once",
		    test_held_listed_and_freed },
		{ "one upload, one time on /me/files and where it is",
		    test_one_time },
		{ "out of the chat: no link, the reason, not counted",
		    test_held_out_of_chat },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
