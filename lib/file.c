/*
 * file: see file.h.  The SQL is sql/0040_files.sql's: parta.file_insert
 * checks the quotas under a lock, parta.file_visible says who reads.
 */
#include <errno.h>
#include <iconv.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "file.h"
#include "html.h"
#include "http.h"
#include "log.h"
#include "org.h"
#include "pool.h"
#include "store.h"
#include "utf8.h"

/* The types kept: what libmagic calls them, the type stored, the
 * extensions a name may end in, and the word people read.  A name
 * keeps its extension when it is one of those of any row storing the
 * same type (a CSV's ".csv" for text/plain); otherwise the first of its
 * type's row is added ("отчёт.html" holding text: "отчёт.html.txt", so
 * that, saved on a disk, it does not open as a web page).  A ZIP may
 * be an office document libmagic did not look into (its parts in
 * another order): its office extension stays, it is served as a ZIP. */
static const struct file_kind {
	const char	*magic;
	const char	*type;
	const char	*ext;		/* space-separated */
	const char	*word;
} file_kinds[] = {
	{ "application/pdf", "application/pdf", "pdf", "PDF" },
	{ "image/jpeg", "image/jpeg", "jpg jpeg jpe jfif", "Фото" },
	{ "image/png", "image/png", "png", "Изображение PNG" },
	{ "image/webp", "image/webp", "webp", "Изображение WebP" },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	    "document", NULL, "docx", "Документ Word" },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    NULL, "xlsx", "Таблица Excel" },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	    "presentation", NULL, "pptx", "Презентация PowerPoint" },
	{ "application/vnd.oasis.opendocument.text", NULL, "odt",
	    "Документ OpenDocument" },
	{ "application/vnd.oasis.opendocument.spreadsheet", NULL, "ods",
	    "Таблица OpenDocument" },
	{ "application/vnd.oasis.opendocument.presentation", NULL, "odp",
	    "Презентация OpenDocument" },
	{ "application/msword", NULL, "doc", "Документ Word" },
	{ "application/vnd.ms-excel", NULL, "xls", "Таблица Excel" },
	{ "application/vnd.ms-powerpoint", NULL, "ppt",
	    "Презентация PowerPoint" },
	{ "text/plain", NULL, "txt text log md markdown csv tsv ini conf "
	    "cfg srt py c h cpp hpp cc java cs pas sh go rs rb kt js sql tex",
	    "Текст" },
	{ "text/csv", "text/plain", "csv", "Текст" },
	{ "application/zip", NULL, "zip docx xlsx pptx odt ods odp",
	    "Архив ZIP" },
};
#define NKINDS	(sizeof(file_kinds) / sizeof(file_kinds[0]))

static const struct file_kind *
file_kind(const char *type)
{
	size_t	 i;

	if (type == NULL)
		return NULL;
	for (i = 0; i < NKINDS; i++)
		if (strcmp(file_kinds[i].type != NULL ? file_kinds[i].type :
		    file_kinds[i].magic, type) == 0)
			return &file_kinds[i];
	return NULL;
}

/*
 * Whether text libmagic calls HTML is a web page: after a byte order
 * mark, white space and comments, it begins <!DOCTYPE html, <html, <head
 * or <body (ASCII case ignored).  Such a page is refused whatever its
 * name («an HTML file renamed .pdf is refused»); other text with tags in
 * it -- notes on HTML, a snippet of code -- is text, kept and served as
 * a text/plain attachment that nothing renders (nosniff, sandbox).
 */
static int
file_html_document(const char *s, size_t len)
{
	static const char *const starts[] = { "<!doctype html", "<html",
	    "<head", "<body" };
	const char	*e = s + len, *c;
	size_t		 i, n;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (;;) {
		while (s < e && strchr(" \t\r\n\f", *s) != NULL && *s != '\0')
			s++;
		if ((size_t)(e - s) < 4 || memcmp(s, "<!--", 4) != 0)
			break;
		if ((c = memmem(s + 4, (size_t)(e - s - 4), "-->", 3)) == NULL)
			return 1;	/* a comment never closed: nothing else */
		s = c + 3;
	}
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		n = strlen(starts[i]);
		if ((size_t)(e - s) >= n && strncasecmp(s, starts[i], n) == 0 &&
		    ((size_t)(e - s) == n || strchr(" \t\r\n\f>/",
		    s[n]) != NULL))
			return 1;
	}
	return 0;
}

/*
 * Whether the len bytes at p read as text in UTF-16LE without a byte
 * order mark (Windows Notepad's "Unicode" in some versions; libmagic
 * calls it application/octet-stream): two or more whole units, pairs of
 * surrogates paired, no NUL, no control but tab, line and page breaks,
 * no U+FFFE or U+FFFF, at least half the units in the alphabets before
 * U+0500 (Latin, Greek, Cyrillic: what Russian and English text is made
 * of) and, past a word's length, a space, tab or line break, so that a
 * binary file of another kind (a table of numbers) does not pass.
 */
static int
file_utf16le_text(const unsigned char *p, size_t len)
{
	size_t		 i, units = len / 2, low = 0, blank = 0;
	unsigned	 u, v;

	if (len < 4 || len % 2 != 0)
		return 0;
	for (i = 0; i < units; i++) {
		u = p[2 * i] | (unsigned)p[2 * i + 1] << 8;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 1 == units)
				return 0;
			v = p[2 * i + 2] | (unsigned)p[2 * i + 3] << 8;
			if (v < 0xdc00 || v > 0xdfff)
				return 0;
			i++;
			continue;
		}
		if ((u >= 0xdc00 && u <= 0xdfff) || u == 0xfffe ||
		    u == 0xffff || (u < 0x20 && u != '\t' && u != '\n' &&
		    u != '\r' && u != '\f') || (u >= 0x7f && u < 0xa0))
			return 0;
		low += u < 0x500;
		blank += u == ' ' || u == '\n' || u == '\t';
	}
	return low * 2 >= units && (units < 16 || blank > 0);
}

static magic_t	 file_magic;
/* Whether the last file_type_of found a web page (its refusal says so). */
static int	 file_looks_html;

const char *
file_type_of(const void *data, size_t len)
{
	const char	*m;
	size_t		 i;

	file_looks_html = 0;
	if (len == 0)
		return NULL;
	if (file_magic == NULL) {
		/* Compressed data is not opened, nor is anything run: the
		 * type is the container's own. */
		file_magic = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR |
		    MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF);
		if (file_magic == NULL || magic_load(file_magic, NULL) == -1) {
			log_err("file", "libmagic: %s", file_magic != NULL ?
			    magic_error(file_magic) : "magic_open failed");
			if (file_magic != NULL)
				magic_close(file_magic);
			file_magic = NULL;
			return NULL;
		}
	}
	if ((m = magic_buffer(file_magic, data, len)) == NULL)
		return NULL;
	if (strcmp(m, "text/html") == 0) {
		if ((file_looks_html = file_html_document(data, len)))
			return NULL;
		return "text/plain";
	}
	for (i = 0; i < NKINDS; i++)
		if (strcmp(file_kinds[i].magic, m) == 0)
			return file_kinds[i].type != NULL ?
			    file_kinds[i].type : file_kinds[i].magic;
	/* Program sources and scripts (text/x-script.python, text/x-c,
	 * text/x-shellscript...) are text: kept and served as text/plain,
	 * an attachment that nothing runs.  HTML is not among them. */
	if (strncmp(m, "text/x-", 7) == 0)
		return "text/plain";
	if (strcmp(m, "application/octet-stream") == 0 &&
	    file_utf16le_text(data, len))
		return "text/plain";
	return NULL;
}

const char *
file_type_word(const char *type)
{
	const struct file_kind	*k = file_kind(type);

	return k != NULL ? k->word : "Файл";
}

/* Whether name ends in ".EXT" for one of the extensions of a kind
 * stored as type (ASCII case ignored). */
static int
file_ext_ok(const char *name, const char *type)
{
	const char	*dot = strrchr(name, '.'), *e;
	size_t		 n, i;

	if (dot == NULL || dot == name)
		return 0;
	dot++;
	for (i = 0; i < NKINDS; i++) {
		if (strcmp(file_kinds[i].type != NULL ? file_kinds[i].type :
		    file_kinds[i].magic, type) != 0)
			continue;
		for (e = file_kinds[i].ext; *e != '\0'; ) {
			n = strcspn(e, " ");
			if (strlen(dot) == n && strncasecmp(dot, e, n) == 0)
				return 1;
			e += n;
			e += strspn(e, " ");
		}
	}
	return 0;
}

/* The length of the extension after the dot at dot (1 to 15 ASCII
 * letters and digits to the end), or 0. */
static size_t
file_ext_len(const char *dot)
{
	size_t	 n = strspn(dot + 1, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

	return n >= 1 && n <= 15 && dot[1 + n] == '\0' ? n : 0;
}

/*
 * Tidy a name in place (room for 8 bytes more): spaces around it
 * dropped; an extension typed twice ("отчёт.pdf.pdf", "a.PDF.pdf") kept
 * once; nothing before the extension ("   .pdf", ".pdf") gets "файл"
 * («файл.pdf»).
 */
static void
file_name_tidy(char *name)
{
	char	*dot, *prev;
	size_t	 n, el;

	n = strspn(name, " ");
	memmove(name, name + n, strlen(name + n) + 1);
	for (n = strlen(name); n > 0 && name[n - 1] == ' '; n--)
		name[n - 1] = '\0';
	while ((dot = strrchr(name, '.')) != NULL &&
	    (el = file_ext_len(dot)) > 0) {
		for (prev = dot; prev > name && prev[-1] != '.'; prev--)
			;
		if (prev == name || (size_t)(dot - prev) != el ||
		    strncasecmp(prev, dot + 1, el) != 0)
			break;
		/* prev[-1] is the dot of the same extension before. */
		memmove(prev - 1, dot, el + 2);
	}
	if ((dot = strrchr(name, '.')) != NULL && file_ext_len(dot) > 0 &&
	    name[strspn(name, ". ")] != '\0' &&
	    strspn(name, ". ") >= (size_t)(dot - name)) {
		memmove(name + strlen("файл"), dot, strlen(dot) + 1);
		memcpy(name, "файл", strlen("файл"));
	}
}

char *
file_name_kept(struct pool *p, const char *sent, const char *type)
{
	const struct file_kind	*k = file_kind(type);
	const char		*base, *s;
	char			*name, *o, ext[16];
	size_t			 n, keep, cl;
	uint32_t		 cp;

	if (sent == NULL)
		sent = "";
	/* Browsers send the name only; old ones a whole path. */
	base = sent;
	for (s = sent; *s != '\0'; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	ext[0] = '\0';
	if (k != NULL) {
		n = strcspn(k->ext, " ");
		snprintf(ext, sizeof(ext), ".%.*s", (int)n, k->ext);
	}
	name = o = pool_alloc(p, strlen(base) + sizeof(ext) + 16);
	/* Control characters, invisible reordering and broken UTF-8 become
	 * '_'.  Everything else is kept as the person named it, quotes,
	 * '*', ':', '<', '>', '?', '|' too (legal in names on their
	 * phones and Macs; served only escaped: file_disposition, and a
	 * browser saving it makes it fit its own disk). */
	for (s = base; *s != '\0'; ) {
		cl = utf8_decode(s, strlen(s), &cp);
		if (cl == 0) {
			*o++ = '_';
			s++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0x202e ||
		    cp == 0x202d) {
			*o++ = '_';
			s += cl;
			continue;
		}
		memcpy(o, s, cl);
		o += cl;
		s += cl;
	}
	*o = '\0';
	file_name_tidy(name);
	/* No name, or only dots and spaces: the type's word. */
	if (name[strspn(name, ". ")] == '\0')
		strcpy(name, "файл");
	if (k != NULL && !file_ext_ok(name, type))
		strcat(name, ext);
	/* At most 255 bytes, the extension kept. */
	if ((n = strlen(name)) > 255) {
		const char	*dot = strrchr(name, '.');
		size_t		 el = dot != NULL && strlen(dot) < 16 ?
			    strlen(dot) : 0;
		char		*tail = pool_strdup(p, name + n - el);

		keep = utf8_cut(name, 255 - el);
		memcpy(name + keep, tail, el + 1);
	}
	return name;
}

/* Latin letters for the Cyrillic letters U+0410..U+044F (lower case;
 * the capital's first letter capitalized): as Russian names are
 * commonly written in Latin letters. */
static const char *const file_latin[32] = {
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m",
	"n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh",
	"shch", "", "y", "", "e", "yu", "ya",
};

/* The Latin letters for Cyrillic letter cp (capitalized if it is a
 * capital), into out: 1, or 0 when cp is no letter of the table. */
static int
file_translit(uint32_t cp, char out[5])
{
	const char	*l;
	int		 upper = 0;

	if (cp >= 0x410 && cp <= 0x42f) {
		upper = 1;
		cp += 0x20;
	} else if (cp == 0x401 || cp == 0x404 || cp == 0x406 ||
	    cp == 0x407 || cp == 0x490) {
		upper = 1;
		cp += cp == 0x490 ? 1 : 0x50;
	}
	if (cp >= 0x430 && cp <= 0x44f)
		l = file_latin[cp - 0x430];
	else if (cp == 0x451)		/* ё */
		l = "e";
	else if (cp == 0x454)		/* є */
		l = "ye";
	else if (cp == 0x456)		/* і */
		l = "i";
	else if (cp == 0x457)		/* ї */
		l = "yi";
	else if (cp == 0x491)		/* ґ */
		l = "g";
	else
		return 0;
	strcpy(out, l);
	if (upper && out[0] != '\0')
		out[0] = (char)(out[0] - 'a' + 'A');
	return 1;
}

#define FILE_FALLBACK_MAX	120	/* bytes of the fallback before its
					 * extension */

/*
 * The one rule of the ASCII fallback (filename="..."): Cyrillic letters
 * in Latin ones («Домашнее задание.pdf»: "Domashnee zadanie.pdf"),
 * ASCII letters, digits, space and -_.(),+ kept, any other run of
 * characters -- quotes, backslashes, semicolons, other scripts -- one
 * '_'; at most FILE_FALLBACK_MAX bytes, then the extension (ASCII
 * letters and digits after the last dot) as it is; "file" when no
 * letter or digit is left.  The exact name is filename*.
 */
char *
file_disposition(struct pool *p, const char *name, int inline_)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b;
	const unsigned char	*s;
	const char		*dot, *end, *c;
	char			*out, lat[5];
	size_t			 start, cl;
	uint32_t		 cp;
	int			 any = 0, under = 0;

	buf_init(&b);
	buf_puts(&b, inline_ ? "inline; filename=\"" : "attachment; "
	    "filename=\"");
	/* An extension: 1 to 15 ASCII letters and digits after a dot that
	 * does not begin the name. */
	end = name + strlen(name);
	if ((dot = strrchr(name, '.')) != NULL && (dot == name ||
	    end - dot - 1 < 1 || end - dot - 1 > 15))
		dot = NULL;
	for (c = dot != NULL ? dot + 1 : end; c < end; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9')))
			dot = NULL;
	if (dot == NULL)
		dot = end;
	start = b.len;
	for (c = name; c < dot && b.len - start < FILE_FALLBACK_MAX; ) {
		if ((cl = utf8_decode(c, (size_t)(dot - c), &cp)) == 0) {
			cl = 1;
			cp = 0xfffd;
		}
		c += cl;
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9')) {
			buf_putc(&b, (char)cp);
			any = 1;
			under = 0;
		} else if (cp < 0x80 && cp != 0 &&
		    strchr(" -_.(),+", (int)cp) != NULL) {
			buf_putc(&b, (char)cp);
			under = 0;
		} else if (file_translit(cp, lat)) {
			buf_puts(&b, lat);
			any |= lat[0] != '\0';
			under = 0;
		} else if (!under) {
			buf_putc(&b, '_');
			under = 1;
		}
	}
	if (b.len - start > FILE_FALLBACK_MAX)
		b.len = start + FILE_FALLBACK_MAX;
	if (!any) {
		b.len = start;
		buf_puts(&b, "file");
	}
	buf_puts(&b, dot);
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (s = (const unsigned char *)name; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("!#$&+-.^_`|~", *s)
		    != NULL)
			buf_add(&b, (const char *)s, 1);
		else {
			char e[3] = { '%', hex[*s >> 4], hex[*s & 15] };

			buf_add(&b, e, 3);
		}
	}
	out = pool_strndup(p, b.data, b.len);
	buf_free(&b);
	return out;
}

/* Bytes stored for a row of this request: removed unless it commits. */
static void
file_unstore(void *arg, int committed)
{
	if (!committed)
		(void)store_delete(arg);
}

static const struct db_stmt q_file_insert = {
	"file_insert",
	"SELECT id, refused, left_bytes, quota FROM parta.file_insert("
	"$1, $2, $3, $4, $5, $6, $7, $8, $9)",
	NULL
};

/* Store len bytes at data, the removal deferred unless the request
 * commits: 0, or an HTTP status. */
static int
file_store(struct http_req *r, const void *data, size_t len, char **key)
{
	char	 k[STORE_KEY_LEN + 1];

	if (store_put(data, len, k) == -1)
		return HTTP_UNAVAILABLE;
	*key = pool_strdup(r->pool, k);
	if (app_defer(file_unstore, *key) == -1) {
		(void)store_delete(*key);
		return HTTP_SERVER_ERROR;
	}
	return 0;
}

static const struct db_stmt q_quota_room = {
	"file_quota_room",
	"SELECT refused, left_bytes, quota FROM parta.file_quota_room("
	"$1, $2, $3, $4)",
	NULL
};

int
file_screen(struct http_req *r, const struct http_file *const *f, size_t n,
    enum file_place place, long long org_id, const char **error)
{
	PGresult		*res;
	struct buf		 names;
	const char		*type, *words;
	unsigned long long	 px, mp = 0;
	long long		 bytes = 0;
	size_t			 i, photos = 0;

	*error = NULL;
	buf_init(&names);
	for (i = 0; i < n; i++) {
		bytes += (long long)f[i]->len;
		/* Refused by file_prepare anyway: not counted. */
		if (f[i]->len == 0 || f[i]->len > config->max_upload ||
		    (type = file_type_of(f[i]->data, f[i]->len)) == NULL ||
		    strncmp(type, "image/", 6) != 0)
			continue;
		if (file_image_pixels(f[i]->data, f[i]->len, type, &px) ==
		    -1 || px > FILE_MAX_PIXELS)
			px = FILE_MAX_PIXELS;
		mp += px;
		buf_puts(&names, photos++ > 0 ? ", «" : "«");
		buf_puts(&names, f[i]->filename[0] != '\0' &&
		    utf8_valid(f[i]->filename, strlen(f[i]->filename)) ?
		    f[i]->filename : "фото");
		buf_puts(&names, "»");
	}
	/* Megapixels, rounded up: a budget of 150 takes 150 000 000
	 * pixels, not one more. */
	mp = (mp + 999999) / 1000000;
	if (mp > (unsigned long long)config->convert_budget) {
		*error = pool_printf(r->pool, "Слишком большие фото для "
		    "одной отправки: в них вместе %llu %s (%s), а за один "
		    "раз Парта обрабатывает не больше %d мегапикселей. "
		    "Ничего не отправлено. Отправьте эти фото в несколько "
		    "приёмов или уменьшите их (например, сохраните с "
		    "меньшим разрешением)", mp, ru_plural((long long)mp,
		    "мегапиксель", "мегапикселя", "мегапикселей"),
		    pool_strndup(r->pool, names.data, names.len),
		    config->convert_budget);
		buf_free(&names);
		return HTTP_UNPROCESSABLE;
	}
	buf_free(&names);
	if (bytes == 0)
		return 0;
	if ((res = db_exec(&q_quota_room, PGRES_TUPLES_OK,
	    place == FILE_ORG ? app_num(r, org_id) : NULL,
	    app_num(r, bytes), app_num(r, config->user_quota),
	    app_num(r, config->org_quota))) == NULL)
		return app_db_error();
	if (db_isnull(res, 0, "refused"))
		return 0;
	if ((words = file_quota_words(r, db_get(res, 0, "refused"), org_id,
	    bytes, db_getll(res, 0, "left_bytes"), db_getll(res, 0,
	    "quota"))) == NULL)
		return app_db_error();
	/* The files named, all of them: together they do not fit. */
	buf_init(&names);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&names, i + 1 < n ? ", " : " и ");
		buf_printf(&names, "«%s»", file_name_kept(r->pool,
		    f[i]->filename, NULL));
	}
	*error = pool_printf(r->pool, "%.*s: %s", (int)names.len, names.data,
	    words);
	buf_free(&names);
	return HTTP_TOO_LARGE;
}

/* The 503 of a request whose photos did not convert by its deadline
 * (PARTA_CONVERT_DEADLINE): nothing is kept (the caller rolls back),
 * and the person reads what to do. */
static int
file_too_late(struct http_req *r, const char **error)
{
	log_err("file", "photos not converted within %d s (waiting for the "
	    "host's %d conversion slots included): refused, nothing kept",
	    config->convert_deadline, config->convert_slots);
	http_header(r, "Retry-After", "60");
	*error = "Сервер сейчас занят и не успел обработать фото. Ничего "
	    "не отправлено: попробуйте снова через минуту или отправьте "
	    "фото по одному";
	return HTTP_UNAVAILABLE;
}

static const struct db_stmt q_convert_slot = {
	"file_convert_slot",
	"SELECT parta.file_convert_slot() AS free",
	NULL
};

static const struct db_stmt q_convert_turn = {
	"file_convert_turn",
	"SELECT parta.file_convert_turn($1, $2, $3, $4, $5) AS turn",
	NULL
};

/* This request's turn to convert (sql/0062), once it has one: the
 * deadline of its conversions (ms of CLOCK_MONOTONIC), 0 before.  Set
 * back when the request ends (file_turn_over). */
static long long	 file_turn_until;

static void
file_turn_over(void *arg, int committed)
{
	(void)arg;
	(void)committed;
	file_turn_until = 0;
}

static long long
file_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The words of a 429 that asks to send again in FILE_CONVERT_RETRY
 * seconds, after why; Retry-After set on r. */
static const char *
file_retry_words(struct http_req *r, const char *why)
{
	http_header(r, "Retry-After", app_num(r, FILE_CONVERT_RETRY));
	return pool_printf(r->pool, "%s Ничего не отправлено: отправьте "
	    "снова примерно через %d %s", why, FILE_CONVERT_RETRY,
	    ru_plural(FILE_CONVERT_RETRY, "секунду", "секунды", "секунд"));
}

/* Whether r's person may convert an image now (sql/0059: one at a
 * time per person, in whichever program or worker, held to the end of
 * r's transaction), and the request's turn among the host's
 * conversions (sql/0062), waited for until the request's deadline:
 * 0; 429 with *error and Retry-After; 503 with *error when the wait
 * ran out (logged); 500 (logged). */
static int
file_convert_slot(struct http_req *r, const char **error)
{
	PGresult	*res;
	const char	*turn;
	char		 host[256];
	long long	 until;

	if (file_turn_until != 0)
		return 0;
	if ((res = db_exec(&q_convert_slot, PGRES_TUPLES_OK)) == NULL)
		return app_db_error();
	if (!db_getbool(res, 0, "free")) {
		*error = file_retry_words(r, "Подождите: ещё обрабатывается "
		    "предыдущий файл, который вы отправили (фото "
		    "обрабатываются по одному).");
		return HTTP_TOO_MANY;
	}
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "-");
	host[sizeof(host) - 1] = '\0';
	until = file_now_ms() + (long long)config->convert_deadline * 1000;
	if ((res = db_exec(&q_convert_turn, PGRES_TUPLES_OK, host,
	    program_invocation_short_name, app_num(r, config->convert_slots),
	    app_num(r, config->upload_workers > 1 ?
	    config->upload_workers - 1 : 1),
	    app_num(r, config->convert_deadline * 1000LL))) == NULL)
		return app_db_error();
	turn = db_get(res, 0, "turn");
	if (strcmp(turn, "busy") == 0) {
		*error = file_retry_words(r, "Сейчас сервер обрабатывает "
		    "фото других людей и не может взять ещё.");
		return HTTP_TOO_MANY;
	}
	if (strcmp(turn, "go") != 0)
		return file_too_late(r, error);
	if (app_defer(file_turn_over, NULL) == -1)
		return HTTP_SERVER_ERROR;
	file_turn_until = until;
	return 0;
}

/*
 * Plain text in UTF-8, as it is kept and served (charset=utf-8): a
 * person's .txt from Windows Notepad is often Windows-1251 or, saved
 * "as Unicode", UTF-16 with a byte order mark; served as UTF-8 either
 * read as mojibake.  Valid UTF-8 stays as it is (*out NULL); UTF-16
 * with a BOM, UTF-16LE without one (file_utf16le_text), or anything
 * else as Windows-1251 (the one 8-bit encoding of Russian text in use),
 * converted by iconv into *out (malloc'd, *outlen bytes, without a
 * BOM).  0; 1 when it is none of those; -1 on
 * a fault (logged).
 */
int
file_text_utf8(const char *in, size_t len, char **out, size_t *outlen)
{
	const char	*from;
	iconv_t		 cd;
	char		*src = (char *)in, *dst, *buf;
	size_t		 left = len, room, cap;

	*out = NULL;
	*outlen = len;
	if (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)
		return utf8_valid(in + 3, len - 3) ? 0 : 1;
	/* A byte order mark is not kept. */
	if (len >= 2 && memcmp(in, "\xff\xfe", 2) == 0) {
		from = "UTF-16LE";
		src += 2;
		left -= 2;
	} else if (len >= 2 && memcmp(in, "\xfe\xff", 2) == 0) {
		from = "UTF-16BE";
		src += 2;
		left -= 2;
	} else if (utf8_valid(in, len))
		return 0;
	else if (file_utf16le_text((const unsigned char *)in, len))
		from = "UTF-16LE";
	else
		from = "CP1251";
	if ((cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		log_err("file", "iconv_open %s: %s", from, strerror(errno));
		return -1;
	}
	/* At most 3 bytes of UTF-8 for a byte of Windows-1251 or for
	 * a UTF-16 unit (a pair of units: 4 for 4). */
	cap = left * 3 + 1;
	if ((buf = malloc(cap)) == NULL) {
		iconv_close(cd);
		log_err("file", "malloc: %s", strerror(errno));
		return -1;
	}
	dst = buf;
	room = cap;
	if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
		iconv_close(cd);
		free(buf);
		return 1;
	}
	iconv_close(cd);
	*out = buf;
	*outlen = cap - room;
	return 0;
}

static const char	 file_empty_words[] = "Файл пустой: выберите другой";

int
file_prepare(struct http_req *r, const struct http_file *f,
    struct file_ready *out, const char **error)
{
	struct file_image	 img = { NULL, 0, NULL, 0 };
	const char		*type, *data = f->data;
	char			*text = NULL;
	char			 w1[32];
	size_t			 len = f->len;
	int			 rc;

	memset(out, 0, sizeof(*out));
	*error = NULL;
	if (f->len == 0) {
		*error = file_empty_words;
		return HTTP_UNPROCESSABLE;
	}
	if (f->len > config->max_upload) {
		*error = pool_printf(r->pool, "Файл больше %s: выберите "
		    "файл поменьше", ru_size_words(w1, sizeof(w1),
		    (long long)config->max_upload));
		return HTTP_TOO_LARGE;
	}
	if ((type = file_type_of(f->data, f->len)) == NULL &&
	    file_looks_html) {
		*error = "Такой файл не принимаем: по содержимому это "
		    "веб-страница (HTML). Сохраните её как PDF или текст";
		return HTTP_UNPROCESSABLE;
	}
	if (type == NULL) {
		*error = "Такой файл не принимаем: по содержимому это не "
		    "PDF, не фото (JPEG, PNG, WebP), не документ Word, Excel, "
		    "PowerPoint или OpenDocument, не текст и не архив ZIP";
		return HTTP_UNPROCESSABLE;
	}
	if (strcmp(type, "text/plain") == 0) {
		switch (file_text_utf8(f->data, f->len, &text, &len)) {
		case 0:
			break;
		case 1:
			*error = "Не удалось прочитать текст: в нём есть "
			    "байты, которых нет ни в UTF-8, ни в UTF-16, ни "
			    "в Windows-1251. Сохраните файл в UTF-8 и "
			    "загрузите снова";
			return HTTP_UNPROCESSABLE;
		default:
			return HTTP_SERVER_ERROR;
		}
		if (text != NULL)
			data = text;
		/* A byte order mark alone is no text. */
		if (len == 0 || (len == 3 && memcmp(data, "\xef\xbb\xbf",
		    3) == 0)) {
			free(text);
			*error = file_empty_words;
			return HTTP_UNPROCESSABLE;
		}
	}
	if (strncmp(type, "image/", 6) == 0) {
		if ((rc = file_convert_slot(r, error)) != 0)
			return rc;
		switch (file_image_by(f->data, f->len, type, file_turn_until,
		    &img)) {
		case 0:
			break;
		case 3:
			return file_too_late(r, error);
		case 1:
			*error = "Изображение не открывается: оно "
			    "повреждено, загружено не целиком или слишком "
			    "велико. Откройте его у себя и, если оно целое, "
			    "сохраните заново и загрузите снова";
			return HTTP_UNPROCESSABLE;
		case 2:
			*error = pool_printf(r->pool, "Изображение больше %d "
			    "%s: такие Парта не принимает. Уменьшите его "
			    "(например, сохраните с меньшим разрешением) и "
			    "загрузите снова", FILE_MAX_PIXELS / 1000000,
			    ru_plural(FILE_MAX_PIXELS / 1000000,
			    "мегапикселя", "мегапикселей", "мегапикселей"));
			return HTTP_UNPROCESSABLE;
		default:
			return HTTP_SERVER_ERROR;
		}
		data = img.out;
		len = img.out_len;
	}
	rc = file_store(r, data, len, &out->key);
	if (rc == 0 && img.preview != NULL)
		rc = file_store(r, img.preview, img.preview_len, &out->pkey);
	free(img.out);
	free(img.preview);
	free(text);
	if (rc == HTTP_UNAVAILABLE)
		*error = "Не удалось сохранить файл: на сервере закончилось "
		    "место. Попробуйте позже";
	if (rc != 0)
		return rc;
	out->type = type;
	out->name = file_name_kept(r->pool, f->filename, type);
	out->len = len;
	return 0;
}

int
file_accept(struct http_req *r, const struct http_file *f,
    enum file_place place, long long org_id, long long *id,
    const char **error)
{
	struct file_ready	 ready;
	int			 rc;

	*id = 0;
	if (file_chosen(f) &&
	    (rc = file_screen(r, &f, 1, place, org_id, error)) != 0)
		return rc;
	if ((rc = file_prepare(r, f, &ready, error)) == 0)
		rc = file_keep(r, &ready, place, org_id, id, error);
	/* The refusal names the file, as file_screen's do. */
	if (rc != 0 && *error != NULL) {
		const char	*named = NULL;

		file_refusal_add(r, &named, f, *error);
		*error = named;
	}
	return rc;
}

const char *
file_quota_words(struct http_req *r, const char *refused, long long org_id,
    long long size, long long left, long long quota)
{
	struct org_access	 a;
	char			 ws[32], wl[32], wq[32];
	int			 rc;

	ru_size_words(ws, sizeof(ws), size);
	ru_size_words(wl, sizeof(wl), left);
	ru_size_words(wq, sizeof(wq), quota);
	if (strcmp(refused, "user") == 0)
		return pool_printf(r->pool, "Не хватает места: нужно %s, а в "
		    "вашем хранилище осталось %s из %s. Удалите ненужные "
		    "файлы в разделе «Мои файлы» и загрузите снова", ws, wl, wq);
	/* Whom the words are for: the administrator frees the place
	 * (or asks for more); anyone else tells them. */
	memset(&a, 0, sizeof(a));
	if (r->org != NULL && r->org->id == org_id)
		a = *r->org;
	else if ((rc = org_access(r, org_id, &a)) != 0 &&
	    rc != HTTP_NOT_FOUND)
		return NULL;
	if (a.is_admin)
		return pool_printf(r->pool, "Не хватает места: нужно %s, а у "
		    "школы для файлов осталось %s из %s. Освободите "
		    "место: удалите ненужные материалы и сообщения с файлами "
		    "в чатах, или попросите поддержку Парты увеличить место "
		    "школы", ws, wl, wq);
	return pool_printf(r->pool, "Не хватает места: нужно %s, а у школы "
	    "для файлов осталось %s из %s. Скажите об этом "
	    "администратору школы: он может освободить место", ws, wl, wq);
}

int
file_keep(struct http_req *r, const struct file_ready *f,
    enum file_place place, long long org_id, long long *id,
    const char **error)
{
	PGresult	*res;

	*id = 0;
	*error = NULL;
	res = db_exec(&q_file_insert, PGRES_TUPLES_OK,
	    place == FILE_ORG ? pool_printf(r->pool, "%lld", org_id) : NULL,
	    f->key, f->pkey, f->name, f->type,
	    pool_printf(r->pool, "%zu", f->len),
	    place == FILE_STORAGE ? "true" : "false",
	    pool_printf(r->pool, "%lld", config->user_quota),
	    pool_printf(r->pool, "%lld", config->org_quota));
	if (res == NULL)
		return app_db_error();
	if (!db_isnull(res, 0, "refused")) {
		*error = file_quota_words(r, db_get(res, 0, "refused"),
		    org_id, (long long)f->len, db_getll(res, 0, "left_bytes"),
		    db_getll(res, 0, "quota"));
		return *error != NULL ? HTTP_TOO_LARGE : app_db_error();
	}
	*id = db_getll(res, 0, "id");
	/* A material's edit lets go of the file this one replaces. */
	return file_released(r);
}

static const struct db_stmt q_file_get = {
	"file_get",
	"SELECT store_key, preview_key, name, type FROM parta.file "
	"WHERE id = $1 AND parta.file_visible(id)",
	NULL
};

/*
 * What the browser may do with a file: nothing runs -- no script, no
 * plugin, no form, no frame, nothing fetched but the file's own images
 * and inline styles (of the browser's own image and PDF views).  Every
 * file but a PDF is also "sandbox": a document of no origin, so even
 * content a browser misread could reach none of the site's cookies or
 * pages.  A PDF is not: Chromium-based browsers before about 2024 (and
 * Firefox's pdf.js for longer) refuse to show a PDF in a sandboxed
 * document, and the schools' browsers are often old.  Chromium 156
 * shows it either way (tests/browser/files.js); with no script allowed
 * and nosniff, a PDF with HTML inside is shown as a PDF or not at all.
 */
#define FILE_CSP	"default-src 'none'; img-src 'self' data:; " \
	"style-src 'unsafe-inline'; object-src 'none'; base-uri 'none'; " \
	"form-action 'none'; frame-ancestors 'none'"
#define FILE_CSP_SANDBOX	FILE_CSP "; sandbox"

/* The organization of the live material that holds file $1, if any. */
static const struct db_stmt q_file_material = {
	"file_material",
	"SELECT m.org_id FROM parta.material m"
	" WHERE m.file_id = $1 AND m.deleted_at IS NULL LIMIT 1",
	NULL
};

/*
 * Why r->user may not read file id: a material's file is answered as
 * the material's page is (cgi-bin/materials.c; the contract: 403 inside
 * the organization, 404 across), 403 with the reason to a member of the
 * material's organization; anything else 404.  An HTTP status.
 */
static int
file_refused(struct http_req *r, long long id)
{
	struct org_access	 a;
	PGresult		*res;
	int			 rc;

	if ((res = db_exec(&q_file_material, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	memset(&a, 0, sizeof(a));
	if ((rc = org_access(r, db_getll(res, 0, "org_id"), &a)) ==
	    HTTP_NOT_FOUND)
		return HTTP_NOT_FOUND;
	if (rc != 0)
		return rc;
	return app_refuse(r, HTTP_FORBIDDEN, "Файл не для вас", "Этот файл "
	    "из материала школы, который предназначен другим читателям, "
	    "поэтому открыть его вы не можете. Если он вам нужен, попросите "
	    "его у автора материала или у администратора школы.");
}

int
file_serve(struct http_req *r, long long id, int preview)
{
	PGresult	*res;
	const char	*type, *key, *etag, *inm;
	char		*data;
	size_t		 len;
	int		 inline_;

	if ((res = db_exec(&q_file_get, PGRES_TUPLES_OK,
	    pool_printf(r->pool, "%lld", id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return file_refused(r, id);
	type = db_get(res, 0, "type");
	key = db_get(res, 0, "store_key");
	if (preview) {
		if (db_isnull(res, 0, "preview_key"))
			return HTTP_NOT_FOUND;
		key = db_get(res, 0, "preview_key");
		type = "image/jpeg";
		/*
		 * A preview is kept in the person's own browser only (never
		 * in a shared cache, nor for another session there: Vary:
		 * Cookie), and asked for again every time it is shown
		 * (no-cache): a file deleted, or no longer the person's to
		 * read, is 404 at once -- a day's max-age kept it on the
		 * screen a day.  Asking again is cheap: a file's preview
		 * never changes, so its ETag is its id, and a browser that
		 * has it gets 304 with no body and nothing read from the
		 * store, once the statement above found the file still
		 * readable.
		 */
		etag = pool_printf(r->pool, "\"preview-%lld\"", id);
		http_header(r, "Cache-Control", "private, no-cache");
		http_header(r, "Vary", "Cookie");
		http_header(r, "ETag", etag);
		if ((inm = http_param(r, "HTTP_IF_NONE_MATCH")) != NULL &&
		    (strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL)) {
			r->status = HTTP_NOT_MODIFIED;
			buf_reset(&r->body);
			return 0;
		}
	}
	if (store_get(key, &data, &len) == -1)
		return HTTP_SERVER_ERROR;
	inline_ = strncmp(type, "image/", 6) == 0 ||
	    strcmp(type, "application/pdf") == 0;
	r->status = HTTP_OK;
	http_header(r, "Content-Type", strcmp(type, "text/plain") == 0 &&
	    utf8_valid(data, len) ? "text/plain; charset=utf-8" : type);
	http_header(r, "Content-Disposition", file_disposition(r->pool,
	    db_get(res, 0, "name"), inline_));
	/* Instead of the site's policy (the response's only one);
	 * X-Content-Type-Options: nosniff comes with every response. */
	http_csp(r, strcmp(type, "application/pdf") == 0 ? FILE_CSP :
	    FILE_CSP_SANDBOX);
	http_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	buf_reset(&r->body);
	buf_add(&r->body, data, len);
	free(data);
	/* The file itself is kept nowhere (no-store, as every response:
	 * lib/http); a preview's headers are above. */
	return 0;
}

void
file_set(struct html_ctx *c, const PGresult *res, int row)
{
	const char	*id = db_get(res, row, "file_id");
	char		 words[32];

	html_set_str(c, "file_id", id);
	html_set_str(c, "file_name", db_get(res, row, "file_name"));
	html_set_str(c, "file_type", file_type_word(db_get(res, row,
	    "file_type")));
	html_set_str(c, "file_size", ru_size_words(words, sizeof(words),
	    db_getll(res, row, "file_size")));
	html_set_strf(c, "file_url", "/files/%s", id);
	if (db_getbool(res, row, "file_preview"))
		html_set_strf(c, "file_preview_url", "/files/%s/preview", id);
	html_set_bool(c, "file_inline",
	    strncmp(db_get(res, row, "file_type"), "image/", 6) == 0 ||
	    strcmp(db_get(res, row, "file_type"), "application/pdf") == 0);
}

static const struct db_stmt q_file_take_out = {
	"file_take_out",
	"UPDATE parta.file SET in_storage = false "
	"WHERE id = $1 AND owner_id = parta.rls_account() AND in_storage "
	"RETURNING id",
	NULL
};
static const struct db_stmt q_file_let_go = {
	"file_let_go",
	"SELECT parta.file_let_go($1)",
	NULL
};

int
file_remove(struct http_req *r, long long id)
{
	PGresult	*res;
	const char	*num = pool_printf(r->pool, "%lld", id);

	if ((res = db_exec(&q_file_take_out, PGRES_TUPLES_OK, num)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (db_exec(&q_file_let_go, PGRES_TUPLES_OK, num) == NULL)
		return app_db_error();
	return file_released(r);
}

static const struct db_stmt q_file_gone_take = {
	"file_gone_take",
	"SELECT k AS store_key FROM parta.file_gone_take() k",
	NULL
};

int
file_gone_remove(void)
{
	PGresult	*res;
	int		 i, n = 0;

	if (db_begin() == -1)
		return -1;
	if ((res = db_exec(&q_file_gone_take, PGRES_TUPLES_OK)) == NULL) {
		db_rollback();
		return -1;
	}
	/* Removed before the queue's rows go: a crash between leaves a
	 * key queued whose bytes are gone already, which is harmless. */
	for (i = 0; i < PQntuples(res); i++)
		if (store_delete(db_get(res, i, "store_key")) == 0)
			n++;
	if (db_commit() == -1) {
		db_rollback();
		return -1;
	}
	return n;
}

/* Whether file_gone_after waits for this request's end already. */
static int	 file_gone_armed;

static void
file_gone_after(void *arg, int committed)
{
	(void)arg;
	file_gone_armed = 0;
	if (committed)
		(void)file_gone_remove();
}

int
file_released(struct http_req *r)
{
	(void)r;
	if (file_gone_armed)
		return 0;
	if (app_defer(file_gone_after, NULL) == -1)
		return HTTP_SERVER_ERROR;
	file_gone_armed = 1;
	return 0;
}

static const struct db_stmt q_file_room = {
	"file_room",
	"SELECT user_left, org_left FROM parta.file_room($1, $2, $3)",
	NULL
};

int
file_room(struct http_req *r, long long org, long long *user_left,
    long long *org_left)
{
	PGresult	*res;

	if ((res = db_exec(&q_file_room, PGRES_TUPLES_OK, app_num(r, org),
	    app_num(r, config->user_quota),
	    app_num(r, config->org_quota))) == NULL)
		return app_db_error();
	*user_left = db_getll(res, 0, "user_left");
	*org_left = db_getll(res, 0, "org_left");
	return 0;
}

static const struct db_stmt q_file_used = {
	"file_used",
	"SELECT parta.file_used() AS used",
	NULL
};

long long
file_used(void)
{
	return file_used_read(file_used_send());
}

struct db_query *
file_used_send(void)
{
	return db_send(&q_file_used, PGRES_TUPLES_OK);
}

long long
file_used_read(struct db_query *q)
{
	PGresult	*res;

	if ((res = db_result(q)) == NULL)
		return -1;
	return db_getll(res, 0, "used");
}

void
file_refusal_add(struct http_req *r, const char **all,
    const struct http_file *f, const char *error)
{
	const char	*one;

	one = pool_printf(r->pool, "«%s»: %s", file_name_kept(r->pool,
	    f->filename, NULL), error != NULL ? error :
	    "этот файл нельзя сохранить");
	*all = *all == NULL ? one : pool_printf(r->pool, "%s. %s", *all, one);
}

int
file_chosen(const struct http_file *f)
{
	return strcmp(f->field, "file") == 0 &&
	    !(f->len == 0 && f->filename[0] == '\0');
}

int
file_purged(const PGresult *res)
{
	int	 i, n = 0;

	for (i = 0; i < PQntuples(res); i++) {
		if (store_delete(db_get(res, i, "store_key")) == 0)
			n++;
		if (!db_isnull(res, i, "preview_key"))
			(void)store_delete(db_get(res, i, "preview_key"));
	}
	return n;
}
