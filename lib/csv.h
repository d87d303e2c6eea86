/*
 * csv: the one CSV writer for every export (members, statistics, audit,
 * personal-link batches).  Made for Russian Excel: UTF-8 with a byte
 * order mark, fields separated by ';', rows ended by CRLF, every field
 * quoted with quotes doubled.  A field a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a
 * leading tab inside its quotes: the spreadsheet shows the text, never
 * runs it, and a phone number keeps its "+" with no apostrophe.
 */
#ifndef PARTA_CSV_H
#define PARTA_CSV_H

#include "buf.h"

#define CSV_SEP	';'

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

#endif
