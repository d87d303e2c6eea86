/*
 * csv: the one CSV writer for every export (members, statistics, audit,
 * personal-link batches), and the one reader of a spreadsheet's file (a
 * list of names uploaded for personal links).
 *
 * Writing is made for Russian Excel: UTF-8 with a byte order mark,
 * fields separated by ';', rows ended by CRLF, every field quoted with
 * quotes doubled (RFC 4180, with Excel's separator for a Russian
 * locale).  A field a spreadsheet would run as a formula (starting with
 * = + - @, a tab or a carriage return: OWASP's "CSV injection") gets a
 * leading tab inside its quotes: the spreadsheet shows the text, never
 * runs it, and a phone number keeps its "+" with no apostrophe.  The
 * document grows in the caller's buf; csv_fieldf allocates a temporary
 * copy and frees it (a failed allocation exits, as xmalloc does).
 *
 * Reading takes what Excel or LibreOffice saves: UTF-8 with or without
 * a BOM, Windows-1251, or UTF-16 with its BOM (Excel's "Unicode text");
 * ';', tab or ',' between cells; RFC 4180 quotes.  What it returns lives in the caller's pool (freed with the
 * request); lengths are in bytes.
 */
#ifndef PARTA_CSV_H
#define PARTA_CSV_H

#include <stddef.h>

#include "buf.h"

struct pool;

#define CSV_SEP	';'
#define CSV_BOM	"\xEF\xBB\xBF"	/* UTF-8's byte order mark */

struct csv {
	struct buf	*b;
	int		 col;	/* fields written on the current row */
};

/* Starts a CSV document in b (which the caller has emptied): the BOM. */
void	csv_begin(struct csv *, struct buf *);
/* One field of the current row (NULL is an empty field). */
void	csv_field(struct csv *, const char *);
void	csv_fieldf(struct csv *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Ends the current row. */
void	csv_end_row(struct csv *);
/* A whole row of fields, the list ended by NULL. */
void	csv_row(struct csv *, ...) __attribute__((sentinel));

/* The len bytes of an uploaded file as a NUL-terminated UTF-8 string in
 * the pool, a leading BOM dropped: UTF-16 when it starts with a UTF-16
 * BOM (FF FE little-endian, FE FF big-endian; RFC 2781), else UTF-8 as
 * it is, else Windows-1251 (what a Russian spreadsheet saves by default;
 * Microsoft's whole table, the no-break space read as a space)
 * converted.  NULL when it is none of them (a lone surrogate, 1251's
 * undefined byte 0x98) or holds a control character other than tab, CR
 * and LF (a NUL, a PNG's 0x1A: not a text file). */
char	*csv_text(struct pool *, const char *data, size_t len);
/* The delimiter the first line of s uses most: ';', tab or ','. */
char	 csv_delim(const char *s);
/* The cells of the record at *s, delimited by delim, into cells (at
 * most max kept: the rest are read and dropped), each a pool string;
 * *s moves past the record and its line break.  A line break inside
 * quotes reads as a space.  Returns the number of cells kept. */
size_t	 csv_record(struct pool *, const char **s, char delim, char **cells,
	    size_t max);
/* As csv_record; *unclosed is set to 1 when the record ran to the end
 * of s inside quotes (a quote opened and never closed: the rest of the
 * file was read as one cell), else to 0. */
size_t	 csv_record_checked(struct pool *, const char **s, char delim,
	    char **cells, size_t max, int *unclosed);

#endif
