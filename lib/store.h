/*
 * store: uploaded files behind one interface, so that the programs never
 * assume one host.  This implementation keeps each file under
 * PARTA_UPLOADS with a random name; another (object storage, a shared
 * volume) can replace it without touching the programs.
 */
#ifndef PARTA_STORE_H
#define PARTA_STORE_H

#include <stddef.h>

#define STORE_KEY_LEN	32	/* base64url of 24 random bytes */

/* Keep data and write its new key into key: 0, or -1 with errno (ENOSPC
 * for a full disk, logged). */
int	 store_put(const void *data, size_t len, char key[STORE_KEY_LEN + 1]);
/* Read the file with key into a malloc'd buffer: 0, or -1. */
int	 store_get(const char *key, char **data, size_t *len);
/* Forget the file with key (after a rolled-back change): 0, or -1. */
int	 store_delete(const char *key);

/* The type of data from its first bytes: "application/pdf",
 * "image/jpeg", "image/png", or NULL for anything else. */
const char *store_sniff(const void *data, size_t len);
/* What a person calls a file of that type: "PDF", "JPEG", "PNG", or
 * "файл" for anything else. */
const char *store_type_word(const char *type);

#endif
