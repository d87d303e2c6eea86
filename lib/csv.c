#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "pool.h"

void
csv_begin(struct csv *c, struct buf *b)
{
	c->b = b;
	c->col = 0;
	buf_puts(b, "\xEF\xBB\xBF");
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
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	csv_field(c, s);
	free(s);
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
