/*
 * libFuzzer harness for http_parse_multipart().  The first line of the
 * input is the Content-Type value and the rest is the body; the whole
 * input is also tried as a body with a fixed boundary, so that mutations
 * of the body alone are not lost to a broken Content-Type.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pool.h"

#define FIXED_CT	"multipart/form-data; boundary=XyZ"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(struct pool *pool, const char *ct, const char *body, size_t len)
{
	struct http_kvs		 fields;
	struct http_files	 files;
	size_t			 i, n;

	memset(&fields, 0, sizeof(fields));
	memset(&files, 0, sizeof(files));
	if (http_parse_multipart(pool, ct, body, len, &fields, &files) != 0) {
		if (fields.n != 0 || files.n != 0 || files.over != 0)
			abort();
		return;
	}
	if (fields.n > HTTP_MAX_FIELDS || files.n > HTTP_MAX_FILES ||
	    (files.over > 0 && files.n != HTTP_MAX_FILES))
		abort();
	for (i = 0; i < fields.n; i++) {
		n = strlen(fields.v[i].key);
		if (n == 0 || !http_utf8_valid(fields.v[i].key, n))
			abort();
		if (fields.v[i].len > len ||
		    strlen(fields.v[i].val) != fields.v[i].len ||
		    !http_utf8_valid(fields.v[i].val, fields.v[i].len))
			abort();
	}
	for (i = 0; i < files.n; i++) {
		n = strlen(files.v[i].field);
		if (n == 0 || !http_utf8_valid(files.v[i].field, n))
			abort();
		if (!http_utf8_valid(files.v[i].filename,
		    strlen(files.v[i].filename)) ||
		    !http_utf8_valid(files.v[i].type,
		    strlen(files.v[i].type)))
			abort();
		if (files.v[i].len > len ||
		    files.v[i].data[files.v[i].len] != '\0')
			abort();
		if (http_file_get(&files, files.v[i].field) == NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool	*pool;
	const uint8_t	*nl;
	char		*ct, *body;
	size_t		 ctlen, blen;

	nl = memchr(data, '\n', size);
	ctlen = nl != NULL ? (size_t)(nl - data) : size;
	blen = nl != NULL ? size - ctlen - 1 : 0;
	/* Exact-size heap copies, so that any overread is caught. */
	ct = malloc(ctlen + 1);
	body = malloc(blen == 0 ? 1 : blen);
	if (ct == NULL || body == NULL)
		abort();
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	if (blen > 0)
		memcpy(body, nl + 1, blen);

	pool = pool_new();
	check(pool, ct, body, blen);
	check(pool, FIXED_CT, (const char *)data, size);
	pool_free(pool);
	free(ct);
	free(body);
	return 0;
}
