/*
 * What the harnesses check of every set of fields a parser returned,
 * whatever the input: at most HTTP_MAX_FIELDS; each key not empty and
 * valid UTF-8; each value valid UTF-8 and as long as its len says.  A
 * field that is not aborts (libFuzzer reports it).
 */
#ifndef PARTA_FUZZ_H
#define PARTA_FUZZ_H

#include <stdlib.h>
#include <string.h>

#include "http.h"

static void
fuzz_fields_check(const struct http_kvs *kvs)
{
	size_t	 i, n;

	if (kvs->n > HTTP_MAX_FIELDS)
		abort();
	for (i = 0; i < kvs->n; i++) {
		n = strlen(kvs->v[i].key);
		if (n == 0 || !http_utf8_valid(kvs->v[i].key, n))
			abort();
		if (strlen(kvs->v[i].val) != kvs->v[i].len ||
		    !http_utf8_valid(kvs->v[i].val, kvs->v[i].len))
			abort();
	}
}

#endif
