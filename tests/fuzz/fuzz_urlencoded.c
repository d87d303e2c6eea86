/*
 * libFuzzer harness for http_parse_urlencoded() and http_urldecode().
 * Besides memory errors it checks what the parser promises: every key
 * and value it returns is NUL-free, valid UTF-8 of the stated length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http.h"
#include "pool.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool	*pool;
	struct http_kvs	 kvs;
	char		*out;
	size_t		 i, n;

	pool = pool_new();
	memset(&kvs, 0, sizeof(kvs));
	if (http_parse_urlencoded(pool, (const char *)data, size,
	    &kvs) == 0) {
		fuzz_fields_check(&kvs);
		for (i = 0; i < kvs.n; i++)
			if (http_kv_get(&kvs, kvs.v[i].key) == NULL)
				abort();
	} else if (kvs.n != 0)
		abort();
	if (http_urldecode(pool, (const char *)data, size, &out, &n) == 0) {
		if (n > size || strlen(out) != n || !http_utf8_valid(out, n))
			abort();
	}
	pool_free(pool);
	return 0;
}
