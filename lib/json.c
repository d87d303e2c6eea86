#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "utf8.h"

void
json_str(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;
	uint32_t		 cp;

	if (s == NULL) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	while (*p != '\0') {
		switch (*p) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				buf_printf(b, "\\u%04x", *p);
				break;
			}
			/* At most UTF8_MAX bytes, never past the NUL
			 * (utf8_decode stops at the first non-continuation). */
			if ((n = utf8_decode((const char *)p, UTF8_MAX,
			    &cp)) == 0) {
				buf_puts(b, "\\ufffd");
				break;
			}
			if (cp == 0x2028 || cp == 0x2029)
				buf_printf(b, "\\u%04x", (unsigned)cp);
			else
				buf_add(b, p, n);
			p += n;
			continue;
		}
		p++;
	}
	buf_putc(b, '"');
}
