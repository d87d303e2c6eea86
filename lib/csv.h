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
 * a BOM, or Windows-1251; ';', tab or ',' between cells; RFC 4180
 * quotes.  What it returns lives in the caller's pool (freed with the
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
 * the pool, a leading BOM dropped: UTF-8 as it is, else Windows-1251
 * (what a Russian spreadsheet saves by default: the letters, Ё/ё, № and
 * the usual punctuation) converted.  NULL when it is neither (a NUL
 * byte included). */
char	*csv_text(struct pool *, const char *data, size_t len);
/* The delimiter the first line of s uses most: ';', tab or ','. */
char	 csv_delim(const char *s);
/* The cells of the record at *s, delimited by delim, into cells (at
 * most max kept: the rest are read and dropped), each a pool string;
 * *s moves past the record and its line break.  A line break inside
 * quotes reads as a space.  Returns the number of cells kept. */
size_t	 csv_record(struct pool *, const char **s, char delim, char **cells,
	    size_t max);

#endif
