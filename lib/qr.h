/*
 * qr: a QR code (libqrencode) as data for a template.  The picture is one
 * SVG path, drawn by the partial html/templates/qr.html, so a page prints
 * it through escaped values like any other and never as raw markup.
 * Programs that use it link -lqrencode.
 */
#ifndef PARTA_QR_H
#define PARTA_QR_H

struct html_ctx;

#define QR_QUIET	4	/* modules of white border the standard asks */

/*
 * The QR code of text into c: qr_size, the side in modules with the
 * border, and qr_path, SVG path data with one rectangle per run of dark
 * modules in a row (only digits, spaces and the letters M h v z).
 * 0, or -1 (logged) when text cannot be encoded.
 */
int	qr_ctx(struct html_ctx *c, const char *text);

#endif
