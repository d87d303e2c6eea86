#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "pool.h"
#include "utf8.h"

void
csv_begin(struct csv *c, struct buf *b)
{
	c->b = b;
	c->col = 0;
	buf_puts(b, CSV_BOM);
}

void
csv_field(struct csv *c, const char *s)
{
	if (s == NULL)
		s = "";
	if (c->col++ > 0)
		buf_putc(c->b, CSV_SEP);
	buf_putc(c->b, '"');
	if (*s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		buf_putc(c->b, '\t');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(c->b, '"');
		buf_putc(c->b, *s);
	}
	buf_putc(c->b, '"');
}

void
csv_fieldf(struct csv *c, const char *fmt, ...)
{
	struct buf	 s;
	va_list		 ap;

	buf_init(&s);
	buf_puts(&s, "");
	va_start(ap, fmt);
	buf_vprintf(&s, fmt, ap);
	va_end(ap);
	csv_field(c, s.data);
	buf_free(&s);
}

void
csv_end_row(struct csv *c)
{
	buf_puts(c->b, "\r\n");
	c->col = 0;
}

void
csv_row(struct csv *c, ...)
{
	va_list		 ap;
	const char	*s;

	va_start(ap, c);
	while ((s = va_arg(ap, const char *)) != NULL)
		csv_field(c, s);
	va_end(ap);
	csv_end_row(c);
}

/*
 * Windows-1251's code point for byte ch >= 0x80 (Microsoft's table,
 * unicode.org's MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1251.TXT), or 0 for
 * 0x98, the one byte it leaves undefined.  The no-break space reads as
 * a plain space: a name is never meant to hold one.
 */
static uint32_t
cp1251(unsigned char ch)
{
	static const uint16_t	 hi[64] = {
		0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020,
		0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C,
		0x040B, 0x040F,	/* 0x80 */
		0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
		0x2014, 0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C,
		0x045B, 0x045F,	/* 0x90 */
		0x0020, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6,
		0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD,
		0x00AE, 0x0407,	/* 0xA0 */
		0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6,
		0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405,
		0x0455, 0x0457,	/* 0xB0 */
	};

	if (ch >= 0xC0)
		return 0x410 + (ch - 0xC0);	/* А..я */
	return hi[ch - 0x80];
}

/*
 * The UTF-16 text of len bytes at data (after its BOM; big-endian when
 * be) as UTF-8 in b: 0, or -1 when it is not well-formed (an odd
 * length, a lone surrogate, a NUL).  RFC 2781, section 2.2.
 */
static int
utf16(struct buf *b, const unsigned char *data, size_t len, int be)
{
	uint32_t	 u, lo;
	size_t		 i;
	char		 e[UTF8_MAX];

	if (len % 2 != 0)
		return -1;
	for (i = 0; i < len; i += 2) {
		u = be ? (uint32_t)data[i] << 8 | data[i + 1] :
		    (uint32_t)data[i + 1] << 8 | data[i];
		if (u >= 0xD800 && u <= 0xDBFF) {
			if ((i += 2) >= len)
				return -1;
			lo = be ? (uint32_t)data[i] << 8 | data[i + 1] :
			    (uint32_t)data[i + 1] << 8 | data[i];
			if (lo < 0xDC00 || lo > 0xDFFF)
				return -1;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (u == 0)
			return -1;
		/* A lone low surrogate is refused by utf8_encode. */
		if (utf8_encode(u, e) == 0)
			return -1;
		buf_add(b, e, utf8_encode(u, e));
	}
	return 0;
}

/* The decoding of csv_text, before its check for control characters. */
static char *
csv_decode(struct pool *p, const char *data, size_t len)
{
	struct buf	 b;
	unsigned char	 ch;
	uint32_t	 u;
	size_t		 i;
	char		*out, e[UTF8_MAX];

	buf_init(&b);
	buf_puts(&b, "");
	if (len >= 2 && ((unsigned char)data[0] == 0xFF ||
	    (unsigned char)data[0] == 0xFE) &&
	    (unsigned char)data[1] == ((unsigned char)data[0] ^ 0x01)) {
		/* Excel's "Unicode text": UTF-16 after its BOM. */
		if (utf16(&b, (const unsigned char *)data + 2, len - 2,
		    (unsigned char)data[0] == 0xFE) != 0) {
			buf_free(&b);
			return NULL;
		}
		out = pool_strndup(p, b.data, b.len);
		buf_free(&b);
		return out;
	}
	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, '\0', len) == NULL && utf8_valid(data, len)) {
		buf_free(&b);
		return pool_strndup(p, data, len);
	}
	for (i = 0; i < len; i++) {
		ch = (unsigned char)data[i];
		if (ch == 0 || (ch >= 0x80 && (u = cp1251(ch)) == 0)) {
			buf_free(&b);
			return NULL;
		}
		if (ch < 0x80)
			buf_putc(&b, (char)ch);
		else
			buf_add(&b, e, utf8_encode(u, e));
	}
	out = pool_strndup(p, b.data, b.len);
	buf_free(&b);
	return out;
}

/* A text file holds no control characters but tab, CR and LF: a PNG's
 * \x1a or a NUL say the file is not text, whatever its bytes decode to. */
static int
text_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\r' &&
		    *s != '\n')
			return 0;
		else if (*s == 0x7F)
			return 0;
	return 1;
}

char *
csv_text(struct pool *p, const char *data, size_t len)
{
	char	*s;

	if ((s = csv_decode(p, data, len)) == NULL || !text_plain(s))
		return NULL;
	return s;
}

char
csv_delim(const char *s)
{
	size_t	 semi = 0, tab = 0, comma = 0;

	for (; *s != '\0' && *s != '\n'; s++) {
		semi += *s == ';';
		tab += *s == '\t';
		comma += *s == ',';
	}
	if (semi >= comma && semi >= tab && semi > 0)
		return ';';
	if (tab > comma)
		return '\t';
	return ',';
}

size_t
csv_record(struct pool *p, const char **s, char delim, char **cells,
    size_t max)
{
	int	 unclosed;

	return csv_record_checked(p, s, delim, cells, max, &unclosed);
}

size_t
csv_record_checked(struct pool *p, const char **s, char delim, char **cells,
    size_t max, int *unclosed)
{
	struct buf	 b;
	const char	*q = *s;
	size_t		 n = 0;
	int		 quoted, end = 0;

	*unclosed = 0;
	while (!end) {
		buf_init(&b);
		buf_puts(&b, "");
		quoted = *q == '"';
		if (quoted)
			q++;
		for (;;) {
			if (*q == '\0') {
				*unclosed = quoted;
				end = 1;
				break;
			}
			if (quoted && *q == '"' && q[1] == '"') {
				buf_putc(&b, '"');
				q += 2;
			} else if (quoted && *q == '"') {
				quoted = 0;
				q++;
			} else if (!quoted && *q == delim) {
				q++;
				break;
			} else if (!quoted && (*q == '\n' || *q == '\r')) {
				q += q[0] == '\r' && q[1] == '\n' ? 2 : 1;
				end = 1;
				break;
			} else {
				buf_putc(&b, *q == '\n' || *q == '\r' ? ' ' :
				    *q);
				q++;
			}
		}
		if (n < max)
			cells[n++] = pool_strdup(p, b.data);
		buf_free(&b);
	}
	*s = q;
	return n;
}
