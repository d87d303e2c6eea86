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

/* Windows-1251's code point for byte ch >= 0x80, or 0 for one we do not
 * take (control codes, rare symbols: not a spreadsheet of names). */
static uint32_t
cp1251(unsigned char ch)
{
	if (ch >= 0xC0)
		return 0x410 + (ch - 0xC0);	/* А..я */
	if (ch == 0xA8)
		return 0x401;			/* Ё */
	if (ch == 0xB8)
		return 0x451;			/* ё */
	if (ch == 0xB9)
		return 0x2116;			/* № */
	if (ch == 0xA0)
		return ' ';			/* no-break space */
	if (ch == 0x96 || ch == 0x97)
		return 0x2013 + (ch - 0x96);	/* – — */
	if (ch == 0xAB || ch == 0xBB)
		return ch;			/* « » */
	return 0;
}

char *
csv_text(struct pool *p, const char *data, size_t len)
{
	struct buf	 b;
	unsigned char	 ch;
	uint32_t	 u;
	size_t		 i;
	char		*out, e[UTF8_MAX];

	if (len >= 3 && memcmp(data, CSV_BOM, 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (utf8_valid(data, len))
		return pool_strndup(p, data, len);
	buf_init(&b);
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
	out = pool_strndup(p, b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
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
	struct buf	 b;
	const char	*q = *s;
	size_t		 n = 0;
	int		 quoted, end = 0;

	while (!end) {
		buf_init(&b);
		buf_puts(&b, "");
		quoted = *q == '"';
		if (quoted)
			q++;
		for (;;) {
			if (*q == '\0') {
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
