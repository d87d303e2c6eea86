/* qr: a QR code as template data (see qr.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <qrencode.h>

#include "buf.h"
#include "html.h"
#include "log.h"
#include "qr.h"

int
qr_ctx(struct html_ctx *c, const char *text)
{
	QRcode			*q;
	struct buf		 b;
	const unsigned char	*row;
	int			 x, y, run, w;

	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL) {
		log_err("qr", "QRcode_encodeString: %s", strerror(errno));
		return -1;
	}
	w = q->width;
	buf_init(&b);
	for (y = 0; y < w; y++) {
		row = q->data + (size_t)y * (size_t)w;
		for (x = 0; x < w;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			for (run = 1; x + run < w && (row[x + run] & 1); run++)
				;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + QR_QUIET,
			    y + QR_QUIET, run, run);
			x += run;
		}
	}
	html_set_int(c, "qr_size", w + 2 * QR_QUIET);
	html_set_str(c, "qr_path", b.data != NULL ? b.data : "");
	buf_free(&b);
	QRcode_free(q);
	return 0;
}
