/*
 * libFuzzer harness for file_image_pixels(), the header reader that runs
 * in the worker on an uploaded image before any conversion (issue 22:
 * what a request's photos cost).  The first byte chooses the type (JPEG,
 * PNG, WebP), the rest is the file, copied to a buffer of its exact size
 * so that a read past it is caught.  Whatever the input: -1 with 0
 * pixels, or 0 with at least one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "image/jpeg", "image/png",
	    "image/webp" };
	unsigned long long	 px = 1;
	char			*copy;
	int			 rc;

	if (size == 0)
		return 0;
	if ((copy = malloc(size - 1 > 0 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	rc = file_image_pixels(copy, size - 1, types[data[0] % 3], &px);
	if ((rc == -1 && px != 0) || (rc == 0 && px == 0) ||
	    (rc != 0 && rc != -1))
		abort();
	free(copy);
	return 0;
}
