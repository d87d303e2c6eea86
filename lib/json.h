/*
 * json: writing JSON documents into a buf.  Only what a program needs to
 * hand a person their data as a file: strings (escaped per RFC 8259),
 * and the punctuation around them, written by the caller.
 */
#ifndef PARTA_JSON_H
#define PARTA_JSON_H

struct buf;

/* s as a JSON string, quotes included: '"' and '\\' escaped, control
 * characters as \n, \t... or \u00XX, U+2028 and U+2029 as \u escapes
 * (for readers that take JSON as JavaScript), a byte that is not part
 * of valid UTF-8 as U+FFFD.  NULL is written as null. */
void	json_str(struct buf *, const char *s);

#endif
