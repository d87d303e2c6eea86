/*
 * libFuzzer harness for http_parse_cookies().  The header is a C string,
 * so the input is cut at its first NUL, as the environment would.
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
	char		*hdr;

	/* An exact-size copy so that reading past the NUL is caught. */
	if ((hdr = malloc(size + 1)) == NULL)
		return 0;
	memcpy(hdr, data, size);
	hdr[size] = '\0';
	pool = pool_new();
	memset(&kvs, 0, sizeof(kvs));
	if (http_parse_cookies(pool, hdr, &kvs) != 0)
		abort();
	fuzz_fields_check(&kvs);
	pool_free(pool);
	free(hdr);
	return 0;
}
