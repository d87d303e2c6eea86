/*
 * file_pixels: an image's size in pixels from its header (file.h), read
 * in the worker before anything is converted: what a request's photos
 * will cost to convert (PARTA_CONVERT_BUDGET).  Only fixed fields of
 * the header are read, every read inside len: no decoder runs here
 * (the image itself is decoded only in file_image's confined child).
 * The child checks the size libvips finds again (FILE_MAX_PIXELS), so
 * a header that lies here costs no more than the budget says: the
 * request's deadline (file.c) bounds the rest.
 */
#include <stdint.h>
#include <string.h>

#include "file.h"

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
le24(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* JPEG: the first start-of-frame marker's height and width (the
 * markers before it skipped by their lengths). */
static int
pixels_jpeg(const unsigned char *d, size_t len, uint64_t *px)
{
	size_t		 i = 2;
	unsigned	 m, seg;

	if (len < 4 || d[0] != 0xff || d[1] != 0xd8)
		return -1;
	while (i + 4 <= len) {
		if (d[i] != 0xff)
			return -1;
		/* Fill bytes before a marker. */
		while (i + 1 < len && d[i + 1] == 0xff)
			i++;
		if (i + 4 > len)
			return -1;
		m = d[i + 1];
		/* Markers without a length. */
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			i += 2;
			continue;
		}
		if (m == 0xd9 || m == 0xda)	/* end, or scan data: no frame */
			return -1;
		seg = be16(d + i + 2);
		if (seg < 2)
			return -1;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if (seg < 7 || i + 9 > len)
				return -1;
			/* precision, height, width */
			*px = (uint64_t)be16(d + i + 5) * be16(d + i + 7);
			/* Height 0 is given later (DNL): unknown. */
			return *px > 0 ? 0 : -1;
		}
		i += 2 + (size_t)seg;
	}
	return -1;
}

/* PNG: IHDR is the first chunk. */
static int
pixels_png(const unsigned char *d, size_t len, uint64_t *px)
{
	if (len < 24 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0 ||
	    memcmp(d + 12, "IHDR", 4) != 0)
		return -1;
	*px = (uint64_t)be32(d + 16) * be32(d + 20);
	return *px > 0 ? 0 : -1;
}

/* WebP: the canvas of an extended file (VP8X), else the frame of a
 * simple one, lossy (VP8) or lossless (VP8L). */
static int
pixels_webp(const unsigned char *d, size_t len, uint64_t *px)
{
	uint32_t	 b;

	if (len < 30 || memcmp(d, "RIFF", 4) != 0 ||
	    memcmp(d + 8, "WEBP", 4) != 0)
		return -1;
	if (memcmp(d + 12, "VP8X", 4) == 0)
		*px = (uint64_t)(le24(d + 24) + 1) * (le24(d + 27) + 1);
	else if (memcmp(d + 12, "VP8 ", 4) == 0) {
		if (memcmp(d + 23, "\x9d\x01\x2a", 3) != 0)
			return -1;
		*px = (uint64_t)((d[26] | d[27] << 8) & 0x3fff) *
		    ((d[28] | d[29] << 8) & 0x3fff);
	} else if (memcmp(d + 12, "VP8L", 4) == 0) {
		if (d[20] != 0x2f)
			return -1;
		b = (uint32_t)d[21] | (uint32_t)d[22] << 8 |
		    (uint32_t)d[23] << 16 | (uint32_t)d[24] << 24;
		*px = (uint64_t)((b & 0x3fff) + 1) * (((b >> 14) & 0x3fff) +
		    1);
	} else
		return -1;
	return *px > 0 ? 0 : -1;
}

int
file_image_pixels(const void *data, size_t len, const char *type,
    unsigned long long *pixels)
{
	uint64_t	 px = 0;
	int		 rc = -1;

	if (strcmp(type, "image/jpeg") == 0)
		rc = pixels_jpeg(data, len, &px);
	else if (strcmp(type, "image/png") == 0)
		rc = pixels_png(data, len, &px);
	else if (strcmp(type, "image/webp") == 0)
		rc = pixels_webp(data, len, &px);
	*pixels = rc == 0 ? px : 0;
	return rc;
}
